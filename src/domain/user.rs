//! Users and what each may change.

use serde::{Deserialize, Serialize};

use super::project::ProjectId;
use crate::i18n::Lang;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// A coordinator of the bureau's working group (工作专班): everything.
    Admin,
    /// 首席教练员 of one group: runs that group.
    ChiefCoach(ProjectId),
    /// 教练员 / 助理教练员: records assessments for the group.
    Coach(ProjectId),
    /// 规划财务处: reads every ledger.
    Finance,
    /// Guidance offices and others: read access to some groups.
    Viewer(Vec<ProjectId>),
}

impl Role {
    pub fn label(&self, lang: Lang) -> String {
        match self {
            Role::Admin => lang.pick("工作专班", "coordinator").into(),
            Role::ChiefCoach(p) => format!(
                "{}{}",
                p.group_name(lang),
                lang.pick("首席教练员", " chief coach")
            ),
            Role::Coach(p) => format!("{}{}", p.group_name(lang), lang.pick("教练员", " coach")),
            Role::Finance => lang.pick("规划财务处", "finance").into(),
            Role::Viewer(_) => lang.pick("查看", "viewer").into(),
        }
    }

    pub fn can_read(&self, project: ProjectId) -> bool {
        match self {
            Role::Admin | Role::Finance => true,
            Role::ChiefCoach(p) | Role::Coach(p) => *p == project,
            Role::Viewer(ps) => ps.contains(&project),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub id: u64,
    /// Login name (the SSH user).
    pub login: String,
    pub display_name: String,
    pub role: Role,
}

/// Who is acting. Every command names one; locally the OS user acts as admin.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    pub login: String,
    pub role: Role,
}

impl Actor {
    pub fn admin(login: &str) -> Actor {
        Actor {
            login: login.to_string(),
            role: Role::Admin,
        }
    }

    /// The operating-system user, who owns the local database.
    pub fn local() -> Actor {
        let login = std::env::var("USER")
            .or_else(|_| std::env::var("LOGNAME"))
            .unwrap_or_else(|_| "local".to_string());
        Actor::admin(&login)
    }
}
