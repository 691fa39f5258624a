//! One language at a time (issue 11): every screen and every export in
//! English holds no Chinese outside user data, and in Chinese no English word
//! outside ids, keys, command-line syntax and user data.
//!
//! User data is recognised by taking it from the registry: every string a
//! command ever carried is in the audit log (the only way anything is
//! written), so the string leaves of every audit entry are what users typed.
//! A spending category is the exception: the default ones are the program's
//! words (stored as their Chinese name), so they are never user data.
//!
//! A piece of text in the wrong script passes only when it is part of one of
//! those strings (a name cut by a column, a note wrapped over two lines).

use crate::common;

use std::collections::BTreeSet;

use common::process::{lossy, qiangji};
use common::ui::{ENTER, app_as, demo, press, typed};
use qiangji::domain::ProjectId;
use qiangji::domain::ledger::KNOWN_CATEGORIES;
use qiangji::i18n::Lang;
use qiangji::registry::Registry;
use qiangji::tui::action::Action;
use qiangji::tui::key::Key;
use qiangji::tui::scenes::{SCREENS, capture};
use qiangji::tui::screenshot::to_text;

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

/// Words of the program's own in Chinese text, each for a reason: key names
/// as printed on keyboards, file formats and names the user types, the
/// programme's abbreviations.
const ALLOWED_IN_CHINESE: &[&str] = &[
    // keys, as the help and the footer name them (any case)
    "esc",
    "tab",
    "ctrl",
    "alt",
    "shift",
    "enter",
    "home",
    "end",
    "pgup",
    "pgdn",
    "space",
    "backspace",
    "del",
    "up",
    "down",
    "left",
    "right",
    // formats, tools and files the user names, and what a key line begins with
    "xlsx",
    "csv",
    "json",
    "toml",
    "keymap",
    "readme",
    "excel",
    "utf",
    "bom",
    "gbk",
    "gb",
    "ssh",
    "ed",
    "id",
    "pub",
    "authorized",
    "keys",
    "sha",
    "aaaa",
    "hledger",
    "vim",
    "db",
    "qiangji",
    "libreoffice",
    "svg",
    "tmux",
    // the service manager a unit is for, and ssh's option that passes a variable
    "systemd",
    "setenv",
    // an hledger journal's own directives, its `bal` and the currency's code
    "account",
    "type",
    "asset",
    "revenue",
    "expense",
    "commodity",
    "decimal",
    "mark",
    "bal",
    "cny",
    // values the command line takes as they are: `--project all`, `--role R`,
    // and the paths and file names it names (the default database, the
    // restore's `DIR.before-restore-TIME`)
    "all",
    "admin",
    "chief",
    "coach",
    "finance",
    "viewer",
    "linux",
    "local",
    "share",
    "before",
];

/// Whether `c` belongs to Chinese writing: an ideograph, CJK punctuation, or
/// a full-width form (`：`, `（`).
fn chinese(c: char) -> bool {
    matches!(c as u32,
        0x3000..=0x303F | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF
        | 0xFF00..=0xFFEF | 0x20000..=0x3FFFF)
}

/// The audit CSV without its command column, the command as applied (the
/// same raw record as the JSON's `command`); None for another text.
fn audit_csv_without_command(text: &str) -> Option<String> {
    let text = text.strip_prefix('\u{feff}')?;
    let mut rows = csv::Reader::from_reader(text.as_bytes());
    let headers = rows.headers().ok()?.clone();
    let command = headers
        .iter()
        .position(|h| matches!(h, "内容" | "Command"))?;
    let mut out: Vec<String> = Vec::new();
    for r in rows.records() {
        let r = r.ok()?;
        out.extend(
            r.iter()
                .enumerate()
                .filter(|(i, _)| *i != command)
                .map(|(_, c)| c.to_string()),
        );
    }
    Some(out.join("\n"))
}

/// What of an export a person reads: for JSON its string values (keys and
/// codes are the format's stable words), without the audit's `command`
/// (the command as applied, exactly as stored); other text as it is.
fn readable(text: &str, lang: Lang) -> String {
    if let Some(audit) = audit_csv_without_command(text) {
        return audit;
    }
    let Ok(json) = serde_json::from_str::<serde_json::Value>(text) else {
        return text.to_string();
    };
    fn walk(v: &serde_json::Value, lang: Lang, out: &mut Vec<String>) {
        match v {
            serde_json::Value::String(s) => {
                let code = s.chars().all(|c| c.is_ascii_lowercase() || c == '_');
                if !(lang == Lang::Zh && code) {
                    out.push(s.clone());
                }
            }
            serde_json::Value::Array(a) => a.iter().for_each(|v| walk(v, lang, out)),
            serde_json::Value::Object(o) => o
                .iter()
                .filter(|(k, _)| k.as_str() != "command")
                .for_each(|(_, v)| walk(v, lang, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(&json, lang, &mut out);
    out.join("\n")
}

/// Every string leaf of a JSON value.
fn strings(v: &serde_json::Value, out: &mut BTreeSet<String>) {
    match v {
        serde_json::Value::String(s) => {
            out.insert(s.clone());
        }
        serde_json::Value::Array(a) => a.iter().for_each(|v| strings(v, out)),
        serde_json::Value::Object(o) => o.values().for_each(|v| strings(v, out)),
        _ => {}
    }
}

/// The login the screens are drawn for (shown in the title bar).
const LOGIN: &str = "coordinator-wang";

/// What users typed into `registry` (see the module's comment), with the
/// login of the screens' user and the person of the import template's
/// example row (a school's typing, shown as an example).
fn user_data(registry: &Registry) -> Vec<String> {
    let mut out: BTreeSet<String> = qiangji::export::lists::template_example(Lang::En)
        .into_iter()
        .chain([LOGIN.to_string()])
        .collect();
    for a in registry.audit() {
        let a = a.expect("an audit entry");
        strings(&serde_json::to_value(&a).expect("as JSON"), &mut out);
    }
    let known: BTreeSet<&str> = KNOWN_CATEGORIES.iter().map(|(zh, _)| *zh).collect();
    out.into_iter()
        .filter(|s| !known.contains(s.as_str()))
        .collect()
}

/// The pieces of `text` that are in `script` (maximal runs), on their line.
fn runs(text: &str, script: impl Fn(char) -> bool) -> Vec<(String, &str)> {
    let mut found = Vec::new();
    for line in text.lines() {
        let mut run = String::new();
        for c in line.chars().chain(std::iter::once('\n')) {
            if script(c) {
                run.push(c);
            } else if !run.is_empty() {
                found.push((std::mem::take(&mut run), line));
            }
        }
    }
    found
}

/// What of `text` is Chinese and no part of user data, with its line.
fn chinese_outside(text: &str, data: &[String]) -> Vec<String> {
    let known: BTreeSet<&str> = KNOWN_CATEGORIES.iter().map(|(zh, _)| *zh).collect();
    runs(text, chinese)
        .into_iter()
        .filter(|(run, _)| known.contains(run.as_str()) || !data.iter().any(|d| d.contains(run)))
        .map(|(run, line)| format!("{run:?} in {:?}", line.trim()))
        .collect()
}

/// What of `text` is an English word and neither allowed nor part of user
/// data nor one of `syntax` (command-line names), with its line.
fn english_outside(text: &str, data: &[String], syntax: &BTreeSet<String>) -> Vec<String> {
    runs(text, |c| c.is_ascii_alphabetic())
        .into_iter()
        .filter(|(word, _)| {
            word.len() > 1
                && !ALLOWED_IN_CHINESE.contains(&word.to_ascii_lowercase().as_str())
                && !syntax.contains(word)
                && !data.iter().any(|d| d.contains(word.as_str()))
        })
        .map(|(word, line)| format!("{word:?} in {:?}", line.trim()))
        .collect()
}

/// The problems of `text` (named `what`) in `lang`.
fn problems(
    lang: Lang,
    what: &str,
    text: &str,
    data: &[String],
    syntax: &BTreeSet<String>,
) -> Vec<String> {
    let found = match lang {
        Lang::En => chinese_outside(text, data),
        Lang::Zh => english_outside(text, data, syntax),
    };
    found.into_iter().map(|p| format!("{what}: {p}")).collect()
}

/// Fails with every problem found, deduplicated.
fn assert_none(lang: Lang, found: Vec<String>) {
    let found: BTreeSet<String> = found.into_iter().collect();
    assert!(
        found.is_empty(),
        "{} problems in {lang:?}:\n{}",
        found.len(),
        found.into_iter().collect::<Vec<_>>().join("\n")
    );
}

/// Screens beyond the snapshots' (`SCREENS`) on the math group: a name, how
/// many tabs to the right (left when negative) of the trainees, the actions
/// there. The details, the other forms, the filter.
const MORE_GROUP_SCREENS: &[(&str, i8, &[Action])] = &[
    ("filter", 0, &[Action::Filter]),
    ("trainee_detail", 0, &[Action::ToggleDetail]),
    ("objection_form", 0, &[Action::RaiseObjection]),
    ("coach_detail", 1, &[Action::ToggleDetail]),
    ("school_detail", 2, &[Action::ToggleDetail]),
    ("plan_detail", -2, &[Action::ToggleDetail]),
    ("plan_next_step", -2, &[Action::NextStep]),
    ("allocation_form", -3, &[Action::AddAllocation]),
    (
        "reversal_form",
        -3,
        &[Action::SelectLast, Action::ReverseEntry],
    ),
    ("session_detail", -1, &[Action::ToggleDetail]),
    ("cancel_session_form", -1, &[Action::AddExpense]),
    ("attendance_summary", -1, &[Action::NextStep, Action::Back]),
];

/// Screens beyond the snapshots' elsewhere.
const MORE_SCREENS: &[(&str, &[Action])] = &[
    ("palette", &[Action::Palette]),
    ("audit_detail", &[Action::AuditLog, Action::ToggleDetail]),
    ("other_group", &[Action::Group(ProjectId::Humanities)]),
];

/// Every screen to look at: its name and the actions that reach it.
fn screens() -> Vec<(String, Vec<Action>)> {
    let mut out: Vec<(String, Vec<Action>)> = SCREENS
        .iter()
        .chain(MORE_SCREENS)
        .map(|(name, actions)| (name.to_string(), actions.to_vec()))
        .collect();
    for (name, tabs, there) in MORE_GROUP_SCREENS {
        let step = if *tabs < 0 {
            Action::PrevTab
        } else {
            Action::NextTab
        };
        let mut actions = vec![Action::Group(ProjectId::Math)];
        actions.extend(std::iter::repeat_n(step, usize::from(tabs.unsigned_abs())));
        actions.extend_from_slice(there);
        out.push((name.to_string(), actions));
    }
    out
}

/// Every screen, in both sizes, as text.
fn every_screen(registry: &std::sync::Arc<Registry>, lang: Lang) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (name, actions) in screens() {
        for (w, h) in SIZES {
            let mut app = app_as(registry, lang, LOGIN);
            let text = to_text(&capture(&mut app, &actions, w, h));
            out.push((format!("{name} {w}x{h}"), text));
        }
    }
    // Every row's details on the trainees tab of a group with withdrawals,
    // scrolled: the history, the withdrawal reasons.
    let mut app = app_as(registry, lang, LOGIN);
    press(&mut app, &[Key::char('1'), Key::char('d')]);
    let rows = app.group().map_or(0, |g| g.table().shown.len());
    for row in 0..rows {
        out.push((format!("trainee row {row}"), app.screen_text()));
        app.act(Action::SelectNext);
    }
    // A change and its undo: the messages after each.
    let mut app = app_as(registry, lang, LOGIN);
    press(&mut app, &[Key::char('1'), Key::char('e'), Key::ctrl('u')]);
    typed(&mut app, "13900000000");
    press(&mut app, &[Key::ctrl('s')]);
    out.push(("after a save".into(), app.screen_text()));
    press(&mut app, &[Key::char('u')]);
    out.push(("after an undo".into(), app.screen_text()));
    // A refused save: the form's message.
    let mut app = app_as(registry, lang, LOGIN);
    press(&mut app, &[Key::char('1'), Key::char('N'), Key::ctrl('s')]);
    out.push(("a refused application".into(), app.screen_text()));
    press(
        &mut app,
        &[Key::plain(qiangji::tui::key::KeyCode::Esc), ENTER],
    );
    out
}

fn screens_in(lang: Lang) {
    let (_dir, registry) = demo();
    let data = user_data(&registry);
    let mut found = Vec::new();
    for (what, text) in every_screen(&registry, lang) {
        found.extend(problems(lang, &what, &text, &data, &BTreeSet::new()));
    }
    assert_none(lang, found);
}

/// Two tests of `check`, one per language, so they fail separately.
macro_rules! in_each_language {
    ($check:ident: $en:ident, $zh:ident) => {
        #[test]
        fn $en() {
            $check(Lang::En);
        }

        #[test]
        fn $zh() {
            $check(Lang::Zh);
        }
    };
}

in_each_language!(screens_in:
    every_screen_in_english_has_no_chinese_outside_user_data,
    every_screen_in_chinese_has_no_english_word_outside_ids_keys_and_user_data);

/// The command line's own words: subcommands, options, their value names
/// and possible values (typed as they are in either language).
fn syntax() -> BTreeSet<String> {
    fn walk(cmd: &clap::Command, out: &mut BTreeSet<String>) {
        let mut words = |s: &str| {
            for w in s.split(|c: char| !c.is_ascii_alphabetic()) {
                if !w.is_empty() {
                    out.insert(w.to_string());
                }
            }
        };
        words(cmd.get_name());
        for a in cmd.get_arguments() {
            words(a.get_id().as_str());
            if let Some(env) = a.get_env() {
                words(&env.to_string_lossy());
            }
            if let Some(l) = a.get_long() {
                words(l);
            }
            for v in a.get_value_names().unwrap_or_default() {
                words(v);
            }
            for p in a.get_possible_values() {
                words(p.get_name());
            }
        }
        for s in cmd.get_subcommands() {
            walk(s, out);
        }
    }
    let mut out: BTreeSet<String> = qiangji::cli::LANG_VAR
        .split('_')
        .map(str::to_string)
        .collect();
    walk(&qiangji::cli::command(Lang::Zh), &mut out);
    out
}

/// Runs each of `lines` (words without spaces) with `extra` and `--lang`:
/// the line, and what it printed (stdout as [`readable`], then stderr).
fn run_all(lines: Vec<String>, extra: &[&str], lang: Lang) -> Vec<(String, String)> {
    let code = match lang {
        Lang::Zh => "zh",
        Lang::En => "en",
    };
    lines
        .into_iter()
        .map(|line| {
            let mut args: Vec<&str> = line.split_whitespace().collect();
            args.extend(extra);
            args.extend(["--lang", code]);
            let out = qiangji(&args);
            let stdout = readable(&lossy(&out.stdout), lang);
            (line.clone(), format!("{stdout}\n{}", lossy(&out.stderr)))
        })
        .collect()
}

/// Every export and printed list, as the binary writes it in `lang`, with
/// what it said on stderr.
fn exports(db: &str, lang: Lang) -> Vec<(String, String)> {
    let kinds = <qiangji::export::Kind as clap::ValueEnum>::value_variants()
        .iter()
        .filter_map(clap::ValueEnum::to_possible_value)
        .map(|v| v.get_name().to_string());
    let mut lines: Vec<String> = Vec::new();
    for format in ["csv", "json"] {
        for kind in kinds.clone() {
            lines.push(format!("export {kind} --format {format}"));
        }
        for p in ProjectId::ALL {
            let p = p.code();
            lines.push(format!(
                "export announcement --project {p} --format {format}"
            ));
        }
        lines.push(format!("export filing --project all --format {format}"));
        lines.push(format!(
            "export filing --project all --year 2025 --format {format}"
        ));
        lines.push(format!("export template applications --format {format}"));
    }
    for format in ["table", "csv", "json", "hledger"] {
        lines.push(format!("ledger --format {format}"));
    }
    for format in ["table", "json"] {
        lines.push(format!("evaluation --year 2026 --format {format}"));
    }
    lines.extend(
        [
            "ledger --project math --year 2026",
            "check",
            "user list",
            "export announcement --format csv",
            "export template",
            "rollover --to 1999",
        ]
        .map(String::from),
    );
    run_all(lines, &["--db", db], lang)
}

/// `--help` of the program and every subcommand, and the common argument
/// errors, in `lang`.
fn help_and_usage(lang: Lang) -> Vec<(String, String)> {
    let cmd = qiangji::cli::command(lang);
    let mut lines: Vec<String> = cmd
        .get_subcommands()
        .map(|s| format!("{} --help", s.get_name()))
        .collect();
    lines.extend(
        [
            "--help",
            "-h",
            "help",
            "help export",
            "user add --help",
            "--no-such-option",
            "export",
            "export pupils",
            "ledger --year",
            "ledger --year soon",
            "export trainees --project music",
            "screenshot --out x --size big",
            "frobnicate",
            "check extra",
        ]
        .map(String::from),
    );
    run_all(lines, &[], lang)
}

fn command_line_in(lang: Lang) {
    let dir = tempfile::tempdir().unwrap();
    let db = common::process::demo_db(dir.path());
    let data = {
        let registry = Registry::open_read_only(std::path::Path::new(&db)).expect("the demo");
        user_data(&registry)
    };
    let syntax = syntax();
    let mut found = Vec::new();
    for (what, text) in exports(&db, lang).into_iter().chain(help_and_usage(lang)) {
        let text = text.replace(&db, "DB");
        // What the user typed on this command line is theirs too.
        let mut data = data.clone();
        data.push(what.clone());
        found.extend(problems(lang, &what, &text, &data, &syntax));
    }
    assert_none(lang, found);
}

in_each_language!(command_line_in:
    every_export_list_and_message_in_english_has_no_chinese_outside_user_data,
    every_export_list_and_message_in_chinese_has_no_english_word_outside_syntax_and_user_data);

/// The plans list opens newest first, and its header's arrow says so; a
/// reversal sorts it oldest first under `^`. (Issue 11, a small point.)
#[test]
fn the_plans_header_arrow_tells_the_order_it_shows() {
    let (_dir, registry) = demo();
    let mut app = app_as(&registry, Lang::Zh, LOGIN);
    app.act(Action::Group(ProjectId::Math));
    app.act(Action::PrevTab);
    app.act(Action::PrevTab);
    let years = |app: &qiangji::tui::app::App| -> Vec<i32> {
        let g = app.group().expect("the group");
        g.table()
            .shown
            .iter()
            .map(|&r| g.data.cycles[r].year)
            .collect()
    };
    let shown = years(&app);
    assert!(shown.len() >= 2, "{shown:?}");
    assert!(
        shown.windows(2).all(|w| w[0] > w[1]),
        "newest first: {shown:?}"
    );
    let text = app.screen_text();
    assert!(
        text.contains("年度 v") && !text.contains("年度 ^"),
        "{text}"
    );
    app.act(Action::SortReverse);
    let shown = years(&app);
    assert!(
        shown.windows(2).all(|w| w[0] < w[1]),
        "oldest first: {shown:?}"
    );
    assert!(app.screen_text().contains("年度 ^"));
}
