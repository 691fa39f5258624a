//! Whether the dashboard can run where it was started. It draws with cursor
//! movement and the alternate screen, so it needs a terminal on stdin and
//! stdout, and a `TERM` that is not `dumb`. Checked before anything else is
//! done (no database is created, no demo written, the terminal untouched), so
//! the answer is one line in the user's language.

use std::io::IsTerminal;

use crate::i18n::{Lang, Localized};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// stdin or stdout is a file or pipe (a script, cron, `ssh host qiangji` without -t).
    NotATerminal,
    /// `TERM` is unset or empty.
    NoTerm,
    /// `TERM` names a terminal without cursor control (`dumb`).
    Dumb(String),
}

/// What stops the dashboard from drawing here, if anything.
pub fn problem() -> Option<Problem> {
    if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
        return Some(Problem::NotATerminal);
    }
    term_problem(std::env::var("TERM").ok().as_deref())
}

/// The `TERM` part of [`problem`], apart for testing.
pub fn term_problem(term: Option<&str>) -> Option<Problem> {
    match term.map(str::trim) {
        None | Some("") => Some(Problem::NoTerm),
        Some(t) if t == "dumb" || t.starts_with("dumb-") => Some(Problem::Dumb(t.to_string())),
        Some(_) => None,
    }
}

impl Localized for Problem {
    fn localized(&self, lang: Lang) -> String {
        match (self, lang) {
            (Problem::NotATerminal, Lang::Zh) => {
                "界面需要在终端中运行（标准输入或输出不是终端）；脚本中请用 ledger、export、check 等子命令，通过 ssh 运行请加 -t".into()
            }
            (Problem::NotATerminal, Lang::En) => {
                "the dashboard needs a terminal (standard input or output is not one); in scripts use the subcommands such as ledger, export and check, and over ssh add -t".into()
            }
            (Problem::NoTerm, Lang::Zh) => {
                "未设置 TERM，无法确定终端能力；界面需要功能完整的终端，请设置如 TERM=xterm-256color".into()
            }
            (Problem::NoTerm, Lang::En) => {
                "TERM is not set, so the terminal's abilities are unknown; the dashboard needs a capable terminal: set e.g. TERM=xterm-256color".into()
            }
            (Problem::Dumb(t), Lang::Zh) => format!(
                "终端 TERM={t} 不能移动光标、切换屏幕；界面需要功能完整的终端，请设置如 TERM=xterm-256color"
            ),
            (Problem::Dumb(t), Lang::En) => format!(
                "the terminal TERM={t} cannot move the cursor or switch screens; the dashboard needs a capable terminal: set e.g. TERM=xterm-256color"
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dumb_and_missing_term_are_problems_and_real_terminals_are_not() {
        assert_eq!(term_problem(None), Some(Problem::NoTerm));
        assert_eq!(term_problem(Some("")), Some(Problem::NoTerm));
        assert_eq!(
            term_problem(Some("dumb")),
            Some(Problem::Dumb("dumb".into()))
        );
        for t in [
            "xterm-256color",
            "screen",
            "tmux-256color",
            "linux",
            "vt100",
        ] {
            assert_eq!(term_problem(Some(t)), None, "{t}");
        }
    }
}
