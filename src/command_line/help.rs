//! The command line in the interface's language. clap writes its help and
//! its errors in English; in Chinese every about and help text, the
//! headings, the `[default: ...]` notes, the help flag and subcommand and the
//! common argument errors are our own. The language is decided before clap
//! parses (`--lang`, else `QIANGJI_LANG`, else Chinese), so `--help` and a
//! wrong argument already speak it. In English the derived command is used
//! as it is.

use std::ffi::OsString;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, Command, CommandFactory};

use super::Cli;
use crate::i18n::Lang;

/// The language to parse in: `--lang X` or `--lang=X` on the command line
/// (the last one given), else `env` (`QIANGJI_LANG`), else Chinese. A value
/// not understood counts as not given; `Global::resolve_lang` reports it
/// after parsing.
pub fn lang_before_parsing(args: &[OsString], env: Option<&str>) -> Lang {
    let mut given = None;
    let mut words = args.iter().skip(1).map(|a| a.to_string_lossy());
    while let Some(w) = words.next() {
        if w == "--" {
            break;
        }
        if w == "--lang" {
            given = words.next().map(|v| v.into_owned());
        } else if let Some(v) = w.strip_prefix("--lang=") {
            given = Some(v.to_string());
        }
    }
    given
        .as_deref()
        .and_then(Lang::parse)
        .or_else(|| env.and_then(Lang::parse))
        .unwrap_or_default()
}

/// The whole command line in `lang`.
pub fn command(lang: Lang) -> Command {
    let cmd = Cli::command();
    match lang {
        Lang::En => cmd,
        Lang::Zh => localize(
            cmd.disable_version_flag(true)
                .arg(
                    Arg::new("version")
                        .short('V')
                        .long("version")
                        .action(ArgAction::Version),
                )
                .disable_help_subcommand(true)
                .subcommand(
                    Command::new("help").arg(Arg::new("command").num_args(0..).value_name("命令")),
                ),
            "",
        ),
    }
}

/// The names after `qiangji help`, when that was asked.
pub fn help_asked(matches: &clap::ArgMatches) -> Option<Vec<String>> {
    let (name, m) = matches.subcommand()?;
    (name == "help").then(|| {
        m.get_many::<String>("command")
            .map(|v| v.cloned().collect())
            .unwrap_or_default()
    })
}

/// The help of the command named by `path` (`["user", "add"]`), as
/// `qiangji PATH --help` prints it; None when there is no such command.
pub fn help_of(lang: Lang, path: &[String]) -> Option<String> {
    let mut cmd = command(lang);
    cmd.build();
    let mut at = &mut cmd;
    for name in path {
        at = at.find_subcommand_mut(name)?;
    }
    Some(fixed(&at.render_long_help().to_string(), lang))
}

/// clap's words that no setting reaches (the usage's `[OPTIONS]`), in
/// Chinese; English text is left as it is.
pub fn fixed(text: &str, lang: Lang) -> String {
    match lang {
        Lang::En => text.to_string(),
        Lang::Zh => text
            .replace("[OPTIONS]", "[选项]")
            .replace("Usage: ", "用法：")
            .replace("Usage:", "用法：")
            .replace("命令:\n", "命令：\n")
            .replace("选项:\n", "选项：\n")
            .replace("参数:\n", "参数：\n"),
    }
}

const TEMPLATE: &str = "{before-help}{about-with-newline}\n用法：{usage}\n\n{all-args}{after-help}";

/// `cmd` (at `path`, the subcommand names from the top) and everything under
/// it in Chinese.
fn localize(cmd: Command, path: &str) -> Command {
    let mut cmd = cmd
        .about(about(path))
        .long_about(None)
        .help_template(TEMPLATE)
        .subcommand_help_heading("命令")
        .subcommand_value_name("命令")
        .disable_help_flag(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help),
        );
    let ids: Vec<String> = cmd
        .get_arguments()
        .map(|a| a.get_id().to_string())
        .collect();
    for id in ids {
        let text = arg_help(path, &id);
        cmd = cmd.mut_arg(&id, |a| localize_arg(a, path, text));
    }
    let subs: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for name in subs {
        let sub = format!("{path} {name}");
        cmd = cmd.mut_subcommand(&name, |c| localize(c, sub.trim_start()));
    }
    cmd
}

/// One argument in Chinese: its help with clap's bracketed notes in Chinese
/// (the default, the possible values, the variable), under a Chinese heading,
/// and its value checked with Chinese messages.
fn localize_arg(a: Arg, path: &str, text: &str) -> Arg {
    let mut help = text.to_string();
    let takes_values = a.get_action().takes_values();
    let env = a.get_env().map(|e| e.to_string_lossy().into_owned());
    let defaults: Vec<String> = a
        .get_default_values()
        .iter()
        .map(|d| d.to_string_lossy().into_owned())
        .collect();
    let values: Vec<String> = if takes_values {
        a.get_possible_values()
            .iter()
            .filter(|p| !p.is_hide_set())
            .map(|p| p.get_name().to_string())
            .collect()
    } else {
        Vec::new()
    };
    if !values.is_empty() {
        help.push_str(&format!(" [可选：{}]", values.join("、")));
    }
    if takes_values && !defaults.is_empty() {
        help.push_str(&format!(" [默认：{}]", defaults.join("、")));
    }
    if let Some(env) = env {
        help.push_str(&format!(" [环境变量：{env}]"));
    }
    let heading = if a.is_positional() {
        "参数"
    } else {
        "选项"
    };
    let a = a
        .help(help.trim_start().to_string())
        .long_help(None)
        .hide_env(true)
        .help_heading(heading);
    let a = if takes_values {
        a.hide_default_value(true).hide_possible_values(true)
    } else {
        a
    };
    match (path, a.get_id().as_str()) {
        ("ledger" | "import", "project") | ("user add", "projects") => {
            a.value_parser(|s: &str| super::parse_project_in(s, Lang::Zh))
        }
        ("export", "project") => {
            a.value_parser(|s: &str| super::parse_project_or_all_in(s, Lang::Zh))
        }
        ("screenshot", "size") => a.value_parser(|s: &str| super::parse_size_in(s, Lang::Zh)),
        ("ledger", "year") => {
            a.value_parser(|s: &str| super::grammar::parse_ledger_year_in(s, Lang::Zh))
        }
        ("serve", "idle") => {
            a.value_parser(|s: &str| super::grammar::parse_duration_in(s, Lang::Zh))
        }
        _ => a,
    }
}

/// The Chinese texts of the command line, from `help.zh.toml`.
#[derive(serde::Deserialize)]
struct Texts {
    about: std::collections::BTreeMap<String, String>,
    /// By command path, then argument id; `*` for every command.
    args: std::collections::BTreeMap<String, std::collections::BTreeMap<String, String>>,
}

fn texts() -> &'static Texts {
    static TEXTS: std::sync::OnceLock<Texts> = std::sync::OnceLock::new();
    TEXTS.get_or_init(|| {
        // Compiled in and checked by a test: a mistake in it is a build's.
        toml::from_str(include_str!("help.zh.toml")).unwrap_or_else(|_| Texts {
            about: Default::default(),
            args: Default::default(),
        })
    })
}

/// A command's about, by its path; empty when missing.
fn about(path: &str) -> &'static str {
    texts().about.get(path).map_or("", String::as_str)
}

/// An argument's help in Chinese, by the command's path and the argument's
/// id; empty when missing.
fn arg_help(path: &str, id: &str) -> &'static str {
    let t = texts();
    [path, "*"]
        .iter()
        .find_map(|p| t.args.get(*p).and_then(|a| a.get(id)))
        .map_or("", String::as_str)
}

/// What to print for a parse that did not give a command line, and where:
/// (text, to stdout, exit code).
pub fn report(e: &clap::Error, lang: Lang) -> (String, bool, i32) {
    let asked = !e.use_stderr();
    let code = if asked {
        super::exit_code::OK
    } else {
        super::exit_code::USAGE
    };
    let text = match (lang, e.kind()) {
        (Lang::En, _) => e.render().to_string(),
        (Lang::Zh, ErrorKind::DisplayHelp | ErrorKind::DisplayVersion)
        | (Lang::Zh, ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand) => {
            fixed(&e.render().to_string(), lang)
        }
        (Lang::Zh, _) => chinese_error(e),
    };
    (text, asked, code)
}

fn context(e: &clap::Error, kind: ContextKind) -> Option<String> {
    e.get(kind).map(|v| match v {
        ContextValue::Strings(s) => s.join("、"),
        other => other.to_string(),
    })
}

/// A usage error in Chinese: what is wrong, a hint where clap has one, the
/// usage line and where to read more.
fn chinese_error(e: &clap::Error) -> String {
    let arg = context(e, ContextKind::InvalidArg).unwrap_or_default();
    let value = context(e, ContextKind::InvalidValue).unwrap_or_default();
    let head = match e.kind() {
        ErrorKind::UnknownArgument => format!("无法识别的参数“{arg}”"),
        ErrorKind::InvalidSubcommand => format!(
            "没有“{}”这个命令",
            context(e, ContextKind::InvalidSubcommand).unwrap_or_default()
        ),
        ErrorKind::InvalidValue if value.is_empty() => format!("{arg} 需要一个值，但没有给出"),
        ErrorKind::InvalidValue => format!("“{value}”不是 {arg} 可用的值"),
        ErrorKind::ValueValidation => {
            format!("{arg} 的值“{value}”不对：{}", validation_reason(e))
        }
        ErrorKind::MissingRequiredArgument => format!("缺少必需的参数：{arg}"),
        ErrorKind::MissingSubcommand => "请指明要运行的命令".to_string(),
        ErrorKind::TooManyValues => format!("{arg} 多了一个值“{value}”"),
        ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            format!("{arg} 的值的个数不对")
        }
        ErrorKind::ArgumentConflict => format!(
            "{arg} 不能与 {} 同时使用",
            context(e, ContextKind::PriorArg).unwrap_or_default()
        ),
        ErrorKind::NoEquals => format!("{arg} 的值须用等号给出，如 {arg}=值"),
        ErrorKind::InvalidUtf8 => "参数中有无法识别的字符（不是 UTF-8）".to_string(),
        _ => "命令行参数有误".to_string(),
    };
    let mut lines = vec![format!("错误：{head}")];
    if let Some(valid) = context(e, ContextKind::ValidValue).filter(|v| !v.is_empty()) {
        lines.push(format!("  可用的值：{valid}"));
    }
    for kind in [ContextKind::SuggestedArg, ContextKind::SuggestedSubcommand] {
        if let Some(s) = context(e, kind) {
            lines.push(format!("  提示：是否想用“{s}”？"));
        }
    }
    if matches!(
        e.get(ContextKind::TrailingArg),
        Some(ContextValue::Bool(true))
    ) {
        lines.push(format!("  提示：如要把“{arg}”当作值，请写成“-- {arg}”"));
    }
    if let Some(usage) = context(e, ContextKind::Usage) {
        lines.push(String::new());
        lines.push(fixed(usage.trim(), Lang::Zh));
    }
    lines.push(String::new());
    lines.push("更多信息请运行 qiangji --help（或 qiangji 命令 --help）".to_string());
    lines.join("\n")
}

/// Why a value was refused: our parsers say it in Chinese; a number that
/// did not parse, or another of the standard library's reasons, in our words.
fn validation_reason(e: &clap::Error) -> String {
    let Some(source) = std::error::Error::source(e) else {
        return "格式不对".into();
    };
    if source.downcast_ref::<std::num::ParseIntError>().is_some() {
        return "须为整数".into();
    }
    let text = source.to_string();
    if !text.is_ascii() {
        text
    } else {
        "格式不对".into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(words: &[&str]) -> Vec<OsString> {
        std::iter::once("qiangji")
            .chain(words.iter().copied())
            .map(OsString::from)
            .collect()
    }

    #[test]
    fn the_language_is_found_before_parsing() {
        assert_eq!(lang_before_parsing(&args(&["--help"]), None), Lang::Zh);
        assert_eq!(
            lang_before_parsing(&args(&["--help"]), Some("en")),
            Lang::En
        );
        let en = args(&["export", "--lang", "en", "--help"]);
        assert_eq!(lang_before_parsing(&en, Some("zh")), Lang::En);
        assert_eq!(lang_before_parsing(&args(&["--lang=en"]), None), Lang::En);
        // Not understood: the variable, else Chinese; after `--` it is a value.
        assert_eq!(
            lang_before_parsing(&args(&["--lang", "fr"]), Some("en")),
            Lang::En
        );
        assert_eq!(
            lang_before_parsing(&args(&["--", "--lang", "en"]), None),
            Lang::Zh
        );
    }

    /// Every command and argument has its Chinese text, so a new one cannot
    /// be left in English.
    #[test]
    fn every_command_and_argument_has_chinese_help() {
        fn walk(cmd: &Command, path: &str, missing: &mut Vec<String>) {
            if about(path).is_empty() {
                missing.push(format!("about of {path:?}"));
            }
            for a in cmd.get_arguments() {
                if arg_help(path, a.get_id().as_str()).is_empty() {
                    missing.push(format!("{path:?} {}", a.get_id()));
                }
            }
            for s in cmd.get_subcommands() {
                let sub = format!("{path} {}", s.get_name());
                walk(s, sub.trim_start(), missing);
            }
        }
        let mut missing = Vec::new();
        walk(&Cli::command(), "", &mut missing);
        assert!(missing.is_empty(), "no Chinese help for: {missing:?}");
        assert!(
            toml::from_str::<Texts>(include_str!("help.zh.toml")).is_ok(),
            "help.zh.toml does not read"
        );
        command(Lang::Zh).debug_assert();
    }

    #[test]
    fn help_and_errors_follow_the_language() {
        let zh = command(Lang::Zh).try_get_matches_from(args(&["--help"]));
        let (text, stdout, code) = report(&zh.unwrap_err(), Lang::Zh);
        assert!(stdout && code == 0);
        for word in [
            "用法：qiangji [选项] [命令]",
            "命令：",
            "选项：",
            "显示帮助",
            "数据库目录",
        ] {
            assert!(text.contains(word), "{word} missing from:\n{text}");
        }
        assert!(
            !text.contains("Usage") && !text.contains("Print help"),
            "{text}"
        );
        let en = command(Lang::En).try_get_matches_from(args(&["--help"]));
        let (text, ..) = report(&en.unwrap_err(), Lang::En);
        assert!(
            text.contains("Usage: qiangji [OPTIONS] [COMMAND]"),
            "{text}"
        );

        let wrong = command(Lang::Zh).try_get_matches_from(args(&["export", "pupils"]));
        let (text, stdout, code) = report(&wrong.unwrap_err(), Lang::Zh);
        assert!(!stdout && code == super::super::exit_code::USAGE);
        assert!(
            text.starts_with("错误：“pupils”不是 <KIND> 可用的值"),
            "{text}"
        );
        assert!(text.contains("可用的值：trainees、coaches"), "{text}");
        let year = command(Lang::Zh).try_get_matches_from(args(&["ledger", "--year", "soon"]));
        let (text, ..) = report(&year.unwrap_err(), Lang::Zh);
        assert!(text.contains("不是年度（如 2026），也不是 all"), "{text}");
        let year =
            command(Lang::Zh).try_get_matches_from(args(&["export", "trainees", "--year", "soon"]));
        let (text, ..) = report(&year.unwrap_err(), Lang::Zh);
        assert!(text.contains("须为整数"), "{text}");
        let project =
            command(Lang::Zh).try_get_matches_from(args(&["ledger", "--project", "music"]));
        let (text, ..) = report(&project.unwrap_err(), Lang::Zh);
        assert!(text.contains("没有“music”这个项目组"), "{text}");
    }
}
