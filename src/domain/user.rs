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
        let raw = std::env::var_os("USER").or_else(|| std::env::var_os("LOGNAME"));
        Actor::from_os_login(raw.as_deref().map(|s| s.to_string_lossy()).as_deref())
    }

    /// The local admin named by an OS login (`$USER`). The variable is set by
    /// whoever starts the process, so it is not trusted: a name that is not a
    /// valid login is replaced by its safe form before anything stores it
    /// (an escape sequence in the audit trail's actor would reach every
    /// terminal that shows or `cat`s an export).
    pub fn from_os_login(raw: Option<&str>) -> Actor {
        let login = match raw {
            Some(s) if is_valid_login(s) => s.to_string(),
            Some(s) => {
                let safe = safe_login(s);
                tracing::warn!("USER is not a valid login name; acting as {safe}");
                safe
            }
            None => "local".to_string(),
        };
        Actor::admin(&login)
    }
}

/// The longest login name.
pub const MAX_LOGIN: usize = 32;

/// A login name: 1 to 32 ASCII letters, digits, `.`, `_` and `-`, beginning
/// with a letter or digit (so it is also safe as a spreadsheet cell).
pub fn is_valid_login(s: &str) -> bool {
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-');
    s.len() <= MAX_LOGIN
        && s.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
        && s.chars().all(allowed)
}

/// A valid login made from any text: every other character becomes `_`, a
/// leading non-alphanumeric is dropped, the length is capped; nothing usable
/// gives `local`.
pub fn safe_login(raw: &str) -> String {
    let mapped: String = raw
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let trimmed: String = mapped
        .trim_start_matches(|c: char| !c.is_ascii_alphanumeric())
        .chars()
        .take(MAX_LOGIN)
        .collect();
    if trimmed.is_empty() {
        "local".to_string()
    } else {
        trimmed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_spoofed_user_becomes_a_safe_login() {
        // What the adversarial run set USER to (issue 9, point 5).
        let a = Actor::from_os_login(Some("\u{1b}]0;PWNED\u{7}\u{1b}[31m"));
        assert_eq!(a.login, "0_PWNED___31m");
        assert!(is_valid_login(&a.login));
        assert_eq!(Actor::from_os_login(Some("wang.li")).login, "wang.li");
        assert_eq!(Actor::from_os_login(None).login, "local");
        assert_eq!(Actor::from_os_login(Some("=cmd")).login, "cmd");
        assert_eq!(Actor::from_os_login(Some("\u{1b}")).login, "local");
        assert_eq!(safe_login(&"x".repeat(100)).len(), MAX_LOGIN);
        assert_eq!(safe_login("王伟"), "local");
    }

    #[test]
    fn valid_logins() {
        for ok in ["wang", "coordinator-wang", "li.na_2"] {
            assert!(is_valid_login(ok), "{ok}");
        }
        for bad in ["", "-rf", ".x", "a b", "a\u{1b}", "王", &"a".repeat(33)] {
            assert!(!is_valid_login(bad), "{bad:?}");
        }
    }
}
