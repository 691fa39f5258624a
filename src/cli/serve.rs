//! `qiangji serve`: opens the database for the server and hands over to
//! `crate::ssh`. Users log in with the keys `qiangji user add` recorded.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::CliError;
use crate::i18n::{Lang, Localized};
use crate::registry::Registry;

/// How to serve, as `qiangji serve` was asked.
pub struct Options {
    pub listen: SocketAddr,
    pub host_key: Option<PathBuf>,
    pub idle: Duration,
    pub max_sessions: usize,
    pub backup: Option<super::unit::Backups>,
}

/// `qiangji serve --print-unit`: the unit on standard output, nothing opened.
pub fn print_unit(spec: super::unit::Spec) -> Result<(), CliError> {
    use std::io::Write;
    let text = super::unit::unit(&spec, spec.lang).map_err(CliError::Usage)?;
    if let Some(warning) = super::unit::exe_warning(&spec.exe, spec.lang) {
        super::exit::say(&warning);
    }
    std::io::stdout()
        .write_all(text.as_bytes())
        .map_err(|e| CliError::Message(e.to_string()))
}

pub fn run(dir: &Path, options: Options, lang: Lang) -> Result<(), CliError> {
    let Options {
        listen,
        host_key,
        idle,
        max_sessions,
        backup,
    } = options;
    crate::ssh::log::init();
    let registry = super::open_registry(dir, false, lang)?;
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
        backups: backup.map(|b| crate::ssh::backups::Schedule {
            dir: b.dir,
            every: b.every,
            keep: b.keep,
        }),
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
