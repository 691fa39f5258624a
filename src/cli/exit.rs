//! The exit codes scripts rely on, and the one place a run's outcome is
//! printed: every line to stderr goes through [`say`], which neutralises
//! control characters and ignores a closed stderr (after SIGHUP there is no
//! terminal left, and a panic on a failed write would hide the exit code).

use std::ffi::OsString;
use std::io::Write;

use clap::FromArgMatches;

use crate::command_line::{Cli, LANG_VAR, help};
use crate::safe_text;

pub use crate::command_line::exit_code::{CANNOT_OPEN, OK, REFUSED, USAGE};

/// Parses `args`, runs the command and returns the exit code.
pub fn run_main(args: impl IntoIterator<Item = OsString>) -> i32 {
    let args: Vec<OsString> = args.into_iter().collect();
    let env_lang = std::env::var(LANG_VAR).ok();
    // Help and argument errors already speak the language asked for.
    let parse_lang = help::lang_before_parsing(&args, env_lang.as_deref());
    let parsed = help::command(parse_lang)
        .try_get_matches_from(&args)
        .and_then(|m| match help::help_asked(&m) {
            Some(path) => Ok(Err(path)),
            None => Cli::from_arg_matches(&m).map(Ok),
        });
    let mut cli = match parsed {
        Ok(Ok(cli)) => cli,
        Ok(Err(path)) => {
            // `qiangji help [COMMAND...]` (Chinese; clap answers it in English).
            return match help::help_of(parse_lang, &path) {
                Some(text) => {
                    print!("{text}");
                    OK
                }
                None => {
                    say(&format!("qiangji: 没有“{}”这个命令", path.join(" ")));
                    USAGE
                }
            };
        }
        Err(e) if !e.use_stderr() && parse_lang == crate::i18n::Lang::En => {
            // --help, --version: asked for, so stdout and success (in
            // clap's own words and colours).
            let _ = e.print();
            return OK;
        }
        Err(e) => {
            let (text, asked, code) = help::report(&e, parse_lang);
            if asked {
                // --help, --version: asked for, so stdout and success.
                let _ = write!(std::io::stdout(), "{text}");
            } else {
                say_lines(&text);
            }
            return code;
        }
    };
    let lang = match cli.global.resolve_lang(env_lang.as_deref()) {
        Ok(lang) => lang,
        Err(message) => {
            say(&format!("qiangji: {message}"));
            return USAGE;
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
