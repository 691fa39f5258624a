//! `qiangji serve`: opens the database for the server and hands over to
//! `crate::ssh`. Users log in with the keys `qiangji user add` recorded.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::CliError;
use crate::i18n::Lang;
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
    let host_key = host_key.unwrap_or_else(|| crate::ssh::hostkey::default_path(dir));
    let options = crate::ssh::Options {
        listen,
        host_key,
        idle,
        max_sessions,
        lang,
    };
    crate::ssh::serve(registry, keyring(), options).map_err(CliError::Message)
}

/// Who a verified key is.
fn keyring() -> crate::ssh::Keyring {
    Box::new(|_registry: &Registry, _fingerprint: &str| None)
}

/// `30m`, `90s`, `2h`, or plain seconds.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    let (number, unit) = s.split_at(s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len()));
    let n: u64 = number
        .parse()
        .map_err(|_| format!("{s:?}: write a duration like 30m, 90s or 2h"))?;
    let seconds = match unit {
        "" | "s" => n,
        "m" => n * 60,
        "h" => n * 3600,
        _ => return Err(format!("{s:?}: the unit is s, m or h")),
    };
    if seconds == 0 {
        return Err(format!("{s:?}: more than zero"));
    }
    Ok(Duration::from_secs(seconds))
}
