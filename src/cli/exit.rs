//! The exit codes scripts rely on, and the one place a run's outcome is
//! printed: every line to stderr goes through [`say`], which neutralises
//! control characters and ignores a closed stderr (after SIGHUP there is no
//! terminal left, and a panic on a failed write would hide the exit code).

use std::ffi::OsString;
use std::io::Write;

use clap::Parser;

use super::{Cli, LANG_VAR, safe_text};

/// Everything went as asked.
pub const OK: i32 = 0;
/// A refusal (the registry said no, `check` found a violation, a file could
/// not be written, the dashboard has no terminal to draw on).
pub const REFUSED: i32 = 1;
/// The database cannot be opened: locked, newer, damaged, missing, denied.
pub const CANNOT_OPEN: i32 = 2;
/// The command line is wrong: an unknown option, a bad value (EX_USAGE).
pub const USAGE: i32 = 64;
// 128 + N: stopped by signal N (SIGHUP 129, SIGQUIT 131, SIGTERM 143), see
// `crate::signals::exit_code`.

/// Parses `args`, runs the command and returns the exit code.
pub fn run_main(args: impl IntoIterator<Item = OsString>) -> i32 {
    let mut cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) if !e.use_stderr() => {
            // --help, --version: asked for, so stdout and success.
            let _ = e.print();
            return OK;
        }
        Err(e) => {
            say_lines(&e.render().to_string());
            return USAGE;
        }
    };
    let env_lang = std::env::var(LANG_VAR).ok();
    let lang = match cli.global.resolve_lang(env_lang.as_deref()) {
        Ok(lang) => lang,
        Err(e) => {
            if let Some(message) = e.message(cli.global.lang) {
                say(&format!("qiangji: {message}"));
            }
            return e.exit_code();
        }
    };
    match super::run(cli) {
        Ok(()) => OK,
        Err(e) => {
            if let Some(message) = e.message(lang) {
                say(&format!("qiangji: {message}"));
            }
            e.exit_code()
        }
    }
}

/// Prints one line to stderr, control characters made visible.
pub fn say(line: &str) {
    let _ = writeln!(std::io::stderr(), "{}", safe_text::one_line(line));
}

/// Prints a text of several lines (clap's usage errors) to stderr.
fn say_lines(text: &str) {
    let text = safe_text::lines(text.trim_end());
    let _ = writeln!(std::io::stderr(), "{text}");
}
