//! The server's log: one line per event on standard error, where journald
//! (or whoever started it) takes it. What is logged: the start (listen
//! address, host key fingerprint), logins (login, key fingerprint, source
//! address), refused keys, sessions opened and closed, backups, errors.
//!
//! The level comes from `RUST_LOG` in its simple form: a level (`debug`),
//! or targets with levels (`warn,qiangji=debug,russh=info`). Without it:
//! qiangji's own events from `info` up, the libraries' warnings.

use tracing_subscriber::filter::Targets;
use tracing_subscriber::prelude::*;

/// What is logged when `RUST_LOG` says nothing.
pub const DEFAULT: &str = "warn,qiangji=info";

/// The filter `RUST_LOG` asks for, or the default and why when it cannot be
/// read.
pub fn filter(var: Option<&str>) -> (Targets, Option<String>) {
    let default = || DEFAULT.parse::<Targets>().unwrap_or_default();
    match var.map(str::trim) {
        None | Some("") => (default(), None),
        Some(asked) => match asked.parse::<Targets>() {
            Ok(t) => (t, None),
            Err(e) => (
                default(),
                Some(format!(
                    "RUST_LOG={asked:?} cannot be read ({e}); logging with {DEFAULT}"
                )),
            ),
        },
    }
}

/// Sends the process's log to standard error. Without timestamps under
/// journald (which stamps each line itself), without colours unless
/// standard error is a terminal.
pub fn init() {
    use std::io::IsTerminal;
    let (targets, problem) = filter(std::env::var("RUST_LOG").ok().as_deref());
    let journald = std::env::var_os("JOURNAL_STREAM").is_some();
    let layer = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_target(false);
    let installed = if journald {
        tracing_subscriber::registry()
            .with(layer.without_time())
            .with(targets)
            .try_init()
    } else {
        tracing_subscriber::registry()
            .with(layer)
            .with(targets)
            .try_init()
    };
    if let (Ok(()), Some(problem)) = (installed, problem) {
        tracing::warn!("{problem}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tracing::Level;
    use tracing_subscriber::filter::LevelFilter;

    #[test]
    fn rust_log_in_its_simple_forms_sets_the_level() {
        let (t, problem) = filter(None);
        assert!(problem.is_none());
        assert!(t.would_enable("qiangji::ssh", &Level::INFO));
        assert!(!t.would_enable("qiangji::ssh", &Level::DEBUG));
        assert!(!t.would_enable("russh::server", &Level::INFO));
        assert!(t.would_enable("russh::server", &Level::WARN));

        let (t, _) = filter(Some("debug"));
        assert!(t.would_enable("russh::server", &Level::DEBUG));
        let (t, _) = filter(Some("warn,qiangji=trace"));
        assert!(t.would_enable("qiangji::registry", &Level::TRACE));
        assert!(!t.would_enable("russh", &Level::INFO));
        let (t, _) = filter(Some("off"));
        assert_eq!(t.default_level(), Some(LevelFilter::OFF));
    }

    #[test]
    fn an_unreadable_rust_log_keeps_the_default_and_says_why() {
        let (t, problem) = filter(Some("qiangji=loud"));
        assert!(t.would_enable("qiangji", &Level::INFO));
        assert!(problem.unwrap().contains("RUST_LOG=\"qiangji=loud\""));
    }
}
