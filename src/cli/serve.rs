//! `qiangji serve`: opens the database for the server and hands over to
//! `crate::ssh`. Users log in with the keys `qiangji user add` recorded.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::CliError;
use crate::i18n::{Lang, Localized};
use crate::registry::Registry;

pub fn run(
    dir: &Path,
    listen: SocketAddr,
    host_key: Option<PathBuf>,
    idle: Duration,
    max_sessions: usize,
    lang: Lang,
) -> Result<(), CliError> {
    let registry = super::open_registry(dir, false)?;
    // Someone must be able to add the others.
    if !registry
        .has_admin()
        .map_err(|e| CliError::Message(e.localized(lang)))?
    {
        return Err(CliError::Message(
            lang.pick(
                "还没有管理员（工作专班）用户，服务不能启动；先添加一个：qiangji user add 名字 --role admin --key 公钥.pub",
                "there is no admin user yet, so the server will not start; add one first: qiangji user add NAME --role admin --key FILE.pub",
            )
            .into(),
        ));
    }
    let host_key = host_key.unwrap_or_else(|| crate::ssh::hostkey::default_path(dir));
    let options = crate::ssh::Options {
        db: dir.to_path_buf(),
        listen,
        host_key,
        idle,
        max_sessions,
        lang,
    };
    crate::ssh::serve(registry, keyring(), options).map_err(CliError::Message)
}

/// Who a verified key is: the active user it was added for, acting with
/// their role and that key (recorded in every audit entry).
fn keyring() -> crate::ssh::Keyring {
    Box::new(|registry: &Registry, fingerprint: &str| {
        let user = registry
            .user_by_fingerprint(fingerprint)
            .map_err(
                |e| tracing::error!(error = %e.localized(crate::i18n::Lang::En), "user lookup"),
            )
            .ok()??;
        Some(crate::domain::Actor {
            login: user.login,
            role: user.role,
            key: Some(fingerprint.to_string()),
        })
    })
}

/// `30m`, `90s`, `2h`, or plain seconds.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    parse_duration_in(s, Lang::En)
}

pub(crate) fn parse_duration_in(s: &str, lang: Lang) -> Result<Duration, String> {
    let s = s.trim();
    let (number, unit) = s.split_at(s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len()));
    let n: u64 = number.parse().map_err(|_| match lang {
        Lang::Zh => "请写成 30m、90s 或 2h 这样的时长".to_string(),
        Lang::En => format!("{s:?}: write a duration like 30m, 90s or 2h"),
    })?;
    let seconds = match unit {
        "" | "s" => n,
        "m" => n * 60,
        "h" => n * 3600,
        _ => {
            return Err(match lang {
                Lang::Zh => "单位须为 s、m 或 h（秒、分、时）".to_string(),
                Lang::En => format!("{s:?}: the unit is s, m or h"),
            });
        }
    };
    if seconds == 0 {
        return Err(match lang {
            Lang::Zh => "须大于零".to_string(),
            Lang::En => format!("{s:?}: more than zero"),
        });
    }
    Ok(Duration::from_secs(seconds))
}
