//! Users and what each may change.

use chrono::{DateTime, Utc};
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

    /// The role's code on the command line and in exports.
    pub fn code(&self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::ChiefCoach(_) => "chief",
            Role::Coach(_) => "coach",
            Role::Finance => "finance",
            Role::Viewer(_) => "viewer",
        }
    }

    /// The groups the role is tied to: one for a chief or a coach, the listed
    /// ones for a viewer, none for admin and finance (who read every group).
    pub fn projects(&self) -> Vec<ProjectId> {
        match self {
            Role::ChiefCoach(p) | Role::Coach(p) => vec![*p],
            Role::Viewer(ps) => ps.clone(),
            Role::Admin | Role::Finance => Vec::new(),
        }
    }

    /// Builds a role from its code and groups: a chief or a coach names exactly
    /// one group, a viewer at least one, admin and finance none.
    pub fn from_parts(code: &str, projects: &[ProjectId]) -> Result<Role, RoleError> {
        let one = || match projects {
            [p] => Ok(*p),
            _ => Err(RoleError::OneGroup),
        };
        let none = |r: Role| {
            if projects.is_empty() {
                Ok(r)
            } else {
                Err(RoleError::NoGroup)
            }
        };
        match code.trim().to_ascii_lowercase().as_str() {
            "admin" => none(Role::Admin),
            "finance" => none(Role::Finance),
            "chief" => one().map(Role::ChiefCoach),
            "coach" => one().map(Role::Coach),
            "viewer" => {
                if projects.is_empty() {
                    return Err(RoleError::SomeGroups);
                }
                let mut ps = projects.to_vec();
                ps.sort_by_key(|p| p.index());
                ps.dedup();
                Ok(Role::Viewer(ps))
            }
            _ => Err(RoleError::Unknown(code.to_string())),
        }
    }

    /// Whether this role sees phone numbers in full (admin, a chief for their
    /// own group); everyone else reads them masked.
    pub fn sees_phones(&self, project: Option<ProjectId>) -> bool {
        match self {
            Role::Admin => true,
            Role::ChiefCoach(p) => project == Some(*p),
            _ => false,
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

/// Why a role cannot be made from a code and groups.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RoleError {
    Unknown(String),
    OneGroup,
    SomeGroups,
    NoGroup,
}

impl crate::i18n::Localized for RoleError {
    fn localized(&self, lang: Lang) -> String {
        match self {
            RoleError::Unknown(c) => match lang {
                Lang::Zh => format!("没有角色 {c:?}；可用 admin、chief、coach、finance、viewer"),
                Lang::En => {
                    format!("no role {c:?}; use admin, chief, coach, finance or viewer")
                }
            },
            RoleError::OneGroup => lang
                .pick(
                    "首席教练员和教练员须指定一个项目组（--project）",
                    "a chief or a coach needs exactly one group (--project)",
                )
                .into(),
            RoleError::SomeGroups => lang
                .pick(
                    "查看角色须至少指定一个项目组（--project）",
                    "a viewer needs at least one group (--project)",
                )
                .into(),
            RoleError::NoGroup => lang
                .pick(
                    "工作专班和财务角色可查看所有项目组，不指定 --project",
                    "admin and finance read every group; give no --project",
                )
                .into(),
        }
    }
}

/// One SSH public key of a user.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserKey {
    /// As OpenSSH prints it: `SHA256:` and unpadded base64.
    pub fingerprint: String,
    /// The key's algorithm and base64 data, `ssh-ed25519 AAAA...`, without
    /// options or comment.
    pub public: String,
    /// The key file's comment (often `user@host`), cleaned.
    pub comment: String,
}

impl UserKey {
    /// The key as one `.pub` line, with its comment.
    pub fn public_line(&self) -> String {
        if self.comment.is_empty() {
            self.public.clone()
        } else {
            format!("{} {}", self.public, self.comment)
        }
    }

    /// The algorithm name, `ssh-ed25519`, `ssh-rsa`, ...
    pub fn algorithm(&self) -> &str {
        self.public.split(' ').next().unwrap_or_default()
    }
}

/// When and by whom a user was removed: the record stays.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Removal {
    #[serde(with = "chrono::serde::ts_milliseconds")]
    pub at: DateTime<Utc>,
    pub by: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub id: u64,
    /// Login name (the SSH user).
    pub login: String,
    pub display_name: String,
    pub role: Role,
    pub keys: Vec<UserKey>,
    #[serde(with = "chrono::serde::ts_milliseconds")]
    pub added: DateTime<Utc>,
    pub added_by: String,
    pub removed: Option<Removal>,
    /// The language of their sessions; none: the server's. `SetEnv
    /// QIANGJI_LANG` still overrides it for one connection. (Schema 4.)
    #[serde(default)]
    pub lang: Option<crate::i18n::Lang>,
}

impl User {
    pub fn is_active(&self) -> bool {
        self.removed.is_none()
    }

    /// The user acting with the key of `fingerprint`.
    pub fn actor(&self, fingerprint: Option<&str>) -> Actor {
        Actor {
            login: self.login.clone(),
            role: self.role.clone(),
            key: fingerprint.map(str::to_string),
        }
    }
}

/// Who is acting. Every command names one; locally the OS user acts as admin.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    pub login: String,
    pub role: Role,
    /// The fingerprint of the SSH key the user logged in with; none locally.
    /// Recorded in every audit entry.
    pub key: Option<String>,
}

impl Actor {
    pub fn admin(login: &str) -> Actor {
        Actor {
            login: login.to_string(),
            role: Role::Admin,
            key: None,
        }
    }

    /// Someone acting in a role, without a key (tests, local runs).
    pub fn with_role(login: &str, role: Role) -> Actor {
        Actor {
            login: login.to_string(),
            role,
            key: None,
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
    fn roles_from_parts() {
        use ProjectId::*;
        assert_eq!(Role::from_parts("admin", &[]), Ok(Role::Admin));
        assert_eq!(
            Role::from_parts("Chief", &[Math]),
            Ok(Role::ChiefCoach(Math))
        );
        assert_eq!(Role::from_parts("coach", &[]), Err(RoleError::OneGroup));
        assert_eq!(
            Role::from_parts("viewer", &[Physics, Math, Physics]),
            Ok(Role::Viewer(vec![Math, Physics]))
        );
        assert_eq!(Role::from_parts("viewer", &[]), Err(RoleError::SomeGroups));
        assert_eq!(
            Role::from_parts("finance", &[Math]),
            Err(RoleError::NoGroup)
        );
        assert!(matches!(
            Role::from_parts("root", &[]),
            Err(RoleError::Unknown(_))
        ));
        for r in [
            Role::Admin,
            Role::ChiefCoach(Math),
            Role::Viewer(vec![Math]),
        ] {
            assert_eq!(Role::from_parts(r.code(), &r.projects()), Ok(r));
        }
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
