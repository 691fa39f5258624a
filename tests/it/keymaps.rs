//! The shipped keymaps, key reading, lookup order, layering and every keymap
//! error message (one fixture file per kind, in tests/fixtures/keymaps/).

use std::path::{Path, PathBuf};

use crossterm::event::{KeyCode as C, KeyEvent, KeyModifiers as M};
use qiangji::domain::ProjectId;
use qiangji::i18n::{Lang, Localized};
use qiangji::tui::action::{Action, Context};
use qiangji::tui::key::{Key, KeyCode, KeySeq};
use qiangji::tui::keymap::{DEFAULT_TOML, Keymap, KeymapError, PRESETS, Resolution, VIM_TOML};

fn k(s: &str) -> Key {
    Key::parse(s).unwrap()
}

fn seq(s: &str) -> KeySeq {
    KeySeq::parse(s).unwrap()
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/keymaps")
        .join(name)
}

// ---- shipped keymaps -------------------------------------------------------

#[test]
fn every_shipped_keymap_parses_and_reaches_every_action() {
    for name in PRESETS {
        let map = Keymap::load_named(name).unwrap_or_else(|e| panic!("{name}: {e}"));
        for &action in Action::ALL {
            let keys = map.key_for(action);
            assert!(keys.is_some(), "{name}: {} has no key", action.name());
            // Reachable where it belongs: bound in its own context.
            assert!(
                map.bindings(action.context())
                    .iter()
                    .any(|(a, _)| *a == action),
                "{name}: {} is not bound in [{}]",
                action.name(),
                action.context().code()
            );
        }
    }
    // The embedded texts are the files in keymaps/.
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("keymaps");
    assert_eq!(
        std::fs::read_to_string(dir.join("default.toml")).unwrap(),
        DEFAULT_TOML
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("vim.toml")).unwrap(),
        VIM_TOML
    );
    // And the files load as paths too.
    let by_path = Keymap::load(Some(&dir.join("vim.toml"))).unwrap();
    assert_eq!(by_path, Keymap::load_named("vim").unwrap());
}

#[test]
fn every_global_binding_is_reachable_from_a_list() {
    let map = Keymap::default_keymap();
    for (action, keys) in map.bindings(Context::Global) {
        assert!(
            keys.iter().any(|s| {
                s.keys().len() == 1
                    && map.resolve(Context::List, &[], s.keys()[0]) == Resolution::Action(action)
            }),
            "{} is shadowed in [list]",
            action.name()
        );
    }
}

#[test]
fn default_keys_as_specified() {
    let map = Keymap::default_keymap();
    let expect = [
        (Context::Global, "q", Action::Quit),
        (Context::Global, "ctrl-c", Action::Quit),
        (Context::Global, "?", Action::Help),
        (Context::Global, ":", Action::Palette),
        (Context::Global, "esc", Action::Back),
        (Context::Global, "0", Action::Overview),
        (Context::Global, "tab", Action::NextGroup),
        (Context::Global, "shift-tab", Action::PrevGroup),
        (Context::Global, "1", Action::Group(ProjectId::Math)),
        (Context::Global, "6", Action::Group(ProjectId::Humanities)),
        (Context::Global, "ctrl-r", Action::Refresh),
        (Context::List, "down", Action::SelectNext),
        (Context::List, "ctrl-n", Action::SelectNext),
        (Context::List, "ctrl-p", Action::SelectPrev),
        (Context::List, "pgdn", Action::PageDown),
        (Context::List, "]", Action::NextTab),
        (Context::List, "[", Action::PrevTab),
        (Context::List, "/", Action::Filter),
        (Context::List, "S", Action::SortReverse),
        (Context::List, "J", Action::DetailDown),
        (Context::List, "K", Action::DetailUp),
        (Context::Form, "tab", Action::NextField),
        (Context::Form, "shift-tab", Action::PrevField),
        (Context::Form, "ctrl-s", Action::Submit),
        (Context::Form, "enter", Action::Submit),
        (Context::Form, "esc", Action::Cancel),
        (Context::Input, "enter", Action::Confirm),
        (Context::Input, "esc", Action::Clear),
        (Context::Confirm, "y", Action::Yes),
        (Context::Confirm, "n", Action::No),
        (Context::Confirm, "enter", Action::Yes),
        (Context::Confirm, "esc", Action::No),
    ];
    for (ctx, key, action) in expect {
        assert_eq!(
            map.resolve(ctx, &[], k(key)),
            Resolution::Action(action),
            "[{}] {key}",
            ctx.code()
        );
    }
}

#[test]
fn vim_adds_keys_and_keeps_the_defaults() {
    let map = Keymap::load_named("vim").unwrap();
    let list = [
        ("j", Action::SelectNext),
        ("k", Action::SelectPrev),
        ("G", Action::SelectLast),
        ("ctrl-d", Action::PageDown),
        ("ctrl-u", Action::PageUp),
        ("l", Action::NextTab),
        ("h", Action::PrevTab),
        ("d", Action::ToggleDetail),
        ("J", Action::DetailDown),
        ("K", Action::DetailUp),
        ("down", Action::SelectNext),
    ];
    for (key, action) in list {
        assert_eq!(
            map.resolve(Context::List, &[], k(key)),
            Resolution::Action(action),
            "{key}"
        );
    }
    assert_eq!(
        map.resolve(Context::Form, &[], k("ctrl-j")),
        Resolution::Action(Action::NextField)
    );
    assert_eq!(
        map.resolve(Context::Form, &[], k("ctrl-k")),
        Resolution::Action(Action::PrevField)
    );
    // No default binding is replaced or dropped (no conflicts with vim.toml).
    let default = Keymap::default_keymap();
    for ctx in Context::ALL {
        for (action, keys) in default.bindings(ctx) {
            for s in keys {
                let (last, pending) = s.keys().split_last().unwrap();
                assert_eq!(
                    map.resolve(ctx, pending, *last),
                    Resolution::Action(action),
                    "[{}] {s}",
                    ctx.code()
                );
            }
        }
    }
    // Footer hints keep the default keys first; the help lists both.
    assert_eq!(map.key_for(Action::SelectNext), Some(seq("down")));
    let next = map
        .bindings(Context::List)
        .into_iter()
        .find(|(a, _)| *a == Action::SelectNext)
        .unwrap();
    assert_eq!(next.1, vec![seq("down"), seq("ctrl-n"), seq("j")]);
}

// ---- keys ------------------------------------------------------------------

#[test]
fn key_strings_round_trip() {
    for s in [
        "q",
        "?",
        "G",
        "ctrl-n",
        "alt-x",
        "shift-tab",
        "enter",
        "esc",
        "space",
        "tab",
        "backspace",
        "up",
        "pgdn",
        "pgup",
        "f5",
        "ctrl-d",
        "g g",
        "ctrl-x ctrl-s",
    ] {
        let parsed = seq(s);
        assert_eq!(parsed.to_string(), s);
        assert_eq!(seq(&parsed.to_string()), parsed);
    }
    assert_eq!(k("pagedown"), k("pgdn"));
    assert_eq!(k("space"), Key::char(' '));
    assert_eq!(k("shift-tab").code, KeyCode::BackTab);
    assert_eq!(
        k("G"),
        Key {
            code: KeyCode::Char('G'),
            ctrl: false,
            alt: false,
            shift: false
        }
    );
    assert_eq!(k("ctrl-N"), k("ctrl-n"));
    assert_eq!(seq("g g").keys(), &[k("g"), k("g")]);
    // Every key of the shipped keymaps displays as something that reads back.
    for name in PRESETS {
        let map = Keymap::load_named(name).unwrap();
        for ctx in Context::ALL {
            for (_, keys) in map.bindings(ctx) {
                for s in keys {
                    assert_eq!(seq(&s.to_string()), s);
                }
            }
        }
    }
}

#[test]
fn crossterm_events_are_normalized() {
    let ev = |code, mods| Key::from(KeyEvent::new(code, mods));
    assert_eq!(ev(C::Char('G'), M::SHIFT), k("G"));
    assert_eq!(ev(C::Char('c'), M::CONTROL), k("ctrl-c"));
    assert_eq!(ev(C::Char('N'), M::CONTROL | M::SHIFT), k("ctrl-n"));
    assert_eq!(ev(C::BackTab, M::SHIFT), k("shift-tab"));
    assert_eq!(ev(C::BackTab, M::NONE), k("shift-tab"));
    assert_eq!(ev(C::Enter, M::NONE), k("enter"));
    assert_eq!(ev(C::F(5), M::NONE), k("f5"));
    let map = Keymap::default_keymap();
    assert_eq!(
        map.resolve(Context::List, &[], ev(C::Char('S'), M::SHIFT)),
        Resolution::Action(Action::SortReverse)
    );
    assert_eq!(
        map.resolve(Context::List, &[], ev(C::Char('c'), M::CONTROL)),
        Resolution::Action(Action::Quit)
    );
    assert_eq!(
        map.resolve(Context::Form, &[], ev(C::BackTab, M::SHIFT)),
        Resolution::Action(Action::PrevField)
    );
}

// ---- lookup ----------------------------------------------------------------

#[test]
fn resolve_order() {
    let map = Keymap::load_named("vim").unwrap();
    // The context wins over Global.
    assert_eq!(
        map.resolve(Context::Form, &[], k("tab")),
        Resolution::Action(Action::NextField)
    );
    assert_eq!(
        map.resolve(Context::List, &[], k("tab")),
        Resolution::Action(Action::NextGroup)
    );
    assert_eq!(
        map.resolve(Context::Input, &[], k("esc")),
        Resolution::Action(Action::Clear)
    );
    // Typing contexts skip Global's printable keys, not its other keys.
    assert_eq!(
        map.resolve(Context::List, &[], k("q")),
        Resolution::Action(Action::Quit)
    );
    assert_eq!(map.resolve(Context::Form, &[], k("q")), Resolution::Unbound);
    assert_eq!(
        map.resolve(Context::Input, &[], k(":")),
        Resolution::Unbound
    );
    assert_eq!(
        map.resolve(Context::Confirm, &[], k("q")),
        Resolution::Action(Action::Quit)
    );
    assert_eq!(
        map.resolve(Context::Input, &[], k("ctrl-c")),
        Resolution::Action(Action::Quit)
    );
    assert_eq!(
        map.resolve(Context::Input, &[], k("tab")),
        Resolution::Action(Action::NextGroup)
    );
    // Sequences: pending, then the action; an unrelated key ends it.
    let g = k("g");
    assert_eq!(map.resolve(Context::List, &[], g), Resolution::Pending);
    assert_eq!(
        map.resolve(Context::List, &[g], g),
        Resolution::Action(Action::SelectFirst)
    );
    assert_eq!(
        map.resolve(Context::List, &[g], k("x")),
        Resolution::Unbound
    );
    assert_eq!(
        map.resolve(Context::List, &[g], k("q")),
        Resolution::Unbound
    );
    // Not in the default keymap.
    assert_eq!(
        Keymap::default_keymap().resolve(Context::List, &[], g),
        Resolution::Unbound
    );
}

// ---- user files ------------------------------------------------------------

#[test]
fn user_file_overrides_and_unbinds() {
    let map = Keymap::load(Some(&fixture("user_override.toml"))).unwrap();
    assert_eq!(map.resolve(Context::List, &[], k("q")), Resolution::Unbound);
    assert_eq!(
        map.resolve(Context::List, &[], k("ctrl-q")),
        Resolution::Action(Action::Quit)
    );
    assert_eq!(
        map.resolve(Context::List, &[], k("ctrl-c")),
        Resolution::Action(Action::Quit)
    );
    assert_eq!(
        map.resolve(Context::List, &[], k("ctrl-n")),
        Resolution::Action(Action::PageDown)
    );
    assert_eq!(
        map.resolve(Context::List, &[], k("down")),
        Resolution::Action(Action::SelectNext)
    );
    assert_eq!(map.resolve(Context::List, &[], k("e")), Resolution::Unbound);
    assert_eq!(
        map.resolve(Context::List, &[], k("x")),
        Resolution::Action(Action::Edit)
    );
    assert_eq!(map.key_for(Action::Quit), Some(seq("ctrl-c")));
    assert_eq!(map.key_for(Action::Edit), Some(seq("x")));
    // The same file through --keymap.
    let path = fixture("user_override.toml");
    assert_eq!(Keymap::load_named(path.to_str().unwrap()).unwrap(), map);
}

// ---- a context per screen --------------------------------------------------

#[test]
fn a_screens_keys_are_bound_on_that_screen_alone() {
    let map = Keymap::default_keymap();
    let act = |a| Resolution::Action(a);
    for (ctx, key, expect) in [
        (Context::Assessment, "p", act(Action::AssessPass)),
        (Context::Assessment, "space", act(Action::AssessSkip)),
        (Context::Assessment, "w", act(Action::Withdraw)),
        (Context::Group, "w", act(Action::Withdraw)),
        (Context::Group, ".", act(Action::NextStep)),
        (Context::Ledger, "a", act(Action::AddAllocation)),
        (Context::Ledger, "R", act(Action::ReverseEntry)),
        (Context::Ledgers, "Y", act(Action::Rollover)),
        (Context::Ledgers, "a", act(Action::AddAllocation)),
        (Context::Overview, "Y", act(Action::Rollover)),
        (Context::Users, "X", act(Action::RemoveUser)),
        (Context::Evaluation, ">", act(Action::NextYear)),
        // Not bound where they would do nothing.
        (Context::Group, "p", Resolution::Unbound),
        (Context::Group, "a", Resolution::Unbound),
        (Context::Overview, "space", Resolution::Unbound),
        (Context::Ledger, "w", Resolution::Unbound),
        // The group's ledger tab reverses, the ledger overview rolls over.
        (Context::Ledger, "Y", Resolution::Unbound),
        (Context::Ledgers, "R", Resolution::Unbound),
        (Context::List, "p", Resolution::Unbound),
        (Context::Audit, "X", Resolution::Unbound),
        // A screen's context falls back to [list], then [global].
        (Context::Group, "down", act(Action::SelectNext)),
        (Context::Assessment, "e", act(Action::Edit)),
        (Context::Ledger, "q", act(Action::Quit)),
        (Context::Audit, "/", act(Action::Filter)),
    ] {
        assert_eq!(
            map.resolve(ctx, &[], k(key)),
            expect,
            "[{}] {key}",
            ctx.code()
        );
    }
}

#[test]
fn a_keymap_written_before_screen_contexts_keeps_its_meaning() {
    // Today's default.toml, copied whole by a user, binds every table key in
    // [list] as it did: each means the same on every screen.
    let old = fixture("before_screen_contexts.toml");
    let map = Keymap::load(Some(&old)).unwrap();
    let text = std::fs::read_to_string(&old).unwrap();
    let list = text.split("\n[list]\n").nth(1).unwrap();
    let list = list.split("\n[form]\n").next().unwrap();
    let mut checked = 0;
    for line in list.lines().filter(|l| l.contains(" = ")) {
        let (key, action) = line.split_once(" = ").unwrap();
        let key = k(key.trim_matches('"'));
        let action = Action::from_name(action.trim_matches('"')).unwrap();
        for ctx in Context::ALL
            .into_iter()
            .filter(|c| *c == Context::List || c.is_screen())
        {
            assert_eq!(
                map.resolve(ctx, &[], key),
                Resolution::Action(action),
                "[{}] {key}",
                ctx.code()
            );
        }
        checked += 1;
    }
    assert_eq!(checked, 39);
    // The vim preset still loads on the defaults, and as a path.
    let vim = Path::new(env!("CARGO_MANIFEST_DIR")).join("keymaps/vim.toml");
    assert_eq!(
        Keymap::load(Some(&vim)).unwrap(),
        Keymap::load_named("vim").unwrap()
    );
    // A file remapping [list] keys reaches the screens' contexts: p freed,
    // ctrl-x passes, a moves down even on the ledger tab.
    let map = Keymap::load(Some(&fixture("list_remaps.toml"))).unwrap();
    for (ctx, key, expect) in [
        (Context::Assessment, "p", Resolution::Unbound),
        (
            Context::Assessment,
            "ctrl-x",
            Resolution::Action(Action::AssessPass),
        ),
        (Context::Ledger, "a", Resolution::Action(Action::SelectNext)),
        (Context::Ledger, "x", Resolution::Action(Action::AddExpense)),
        (
            Context::Assessment,
            "f",
            Resolution::Action(Action::AssessFail),
        ),
    ] {
        assert_eq!(
            map.resolve(ctx, &[], k(key)),
            expect,
            "[{}] {key}",
            ctx.code()
        );
    }
}

// ---- errors: one fixture per kind ------------------------------------------

/// Loads a fixture and checks its English and Chinese messages, given the
/// line and the problem in each language.
fn check_error(name: &str, line: usize, en: &str, zh: &str) -> KeymapError {
    let path = fixture(name);
    let file = path.display().to_string();
    let err = Keymap::load(Some(&path)).unwrap_err();
    assert_eq!(err.file(), file);
    assert_eq!(err.line(), Some(line));
    assert_eq!(err.to_string(), format!("{file}:{line}: {en}"));
    assert_eq!(err.localized(Lang::En), format!("{file}:{line}: {en}"));
    assert_eq!(
        err.localized(Lang::Zh),
        format!("{file} 第 {line} 行：{zh}")
    );
    // --keymap gives the same error.
    assert_eq!(Keymap::load_named(&file).unwrap_err(), err);
    err
}

#[test]
fn error_bad_toml() {
    // The detail is toml's own (English) text.
    let err = check_error(
        "bad_toml.toml",
        3,
        "TOML syntax error: key with no value, expected `=`",
        "TOML 语法错误：key with no value, expected `=`",
    );
    assert!(matches!(err, KeymapError::Syntax { .. }), "{err:?}");
}

#[test]
fn error_unknown_context() {
    let err = check_error(
        "unknown_context.toml",
        4,
        "unknown context [lists]; use [global], [list], [form], [input], [confirm] or a screen's: [overview], [group], [ledger], [ledgers], [assessment], [audit], [users], [evaluation], [calendar], [attendance]",
        "未知的上下文 [lists]；可用的有 [global]、[list]、[form]、[input]、[confirm] 及各界面的 [overview]、[group]、[ledger]、[ledgers]、[assessment]、[audit]、[users]、[evaluation]、[calendar]、[attendance]",
    );
    assert!(matches!(err, KeymapError::UnknownContext { .. }), "{err:?}");
}

#[test]
fn error_unknown_action() {
    let err = check_error(
        "unknown_action.toml",
        3,
        "unknown action \"jump\"",
        "未知操作 \"jump\"",
    );
    assert!(matches!(err, KeymapError::UnknownAction { .. }), "{err:?}");
}

#[test]
fn error_bad_key() {
    let err = check_error(
        "bad_key.toml",
        2,
        "bad key \"ctrl-foo\": unknown key name \"foo\"",
        "按键 \"ctrl-foo\" 有误：无法识别的按键名 \"foo\"",
    );
    assert!(matches!(err, KeymapError::BadKey { .. }), "{err:?}");
}

#[test]
fn error_prefix_conflict() {
    let err = check_error(
        "prefix_conflict.toml",
        4,
        "\"g g\" conflicts with \"g\" on line 2 in [list]: one is the start of the other",
        "[list] 中的 \"g g\" 与第 2 行的 \"g\" 冲突：一个是另一个的开头",
    );
    assert!(matches!(err, KeymapError::PrefixConflict { .. }), "{err:?}");
}

#[test]
fn error_same_key_twice() {
    let err = check_error(
        "same_key_twice.toml",
        3,
        "\"ctrl-N\" is the same key as \"ctrl-n\" on line 2 in [global]",
        "[global] 中的 \"ctrl-N\" 与第 2 行的 \"ctrl-n\" 是同一个按键",
    );
    assert!(matches!(err, KeymapError::SameKey { .. }), "{err:?}");
}

#[test]
fn error_wrong_context() {
    let err = check_error(
        "wrong_context.toml",
        4,
        "action \"edit\" belongs to [list] and cannot be bound in [form]; an action may be bound in its own context, global actions anywhere, and the actions of [list] and of a screen in [list] or any screen's context",
        "操作 \"edit\" 属于 [list]，不能绑定在 [form] 中；操作只能绑定在自己的上下文中，全局操作可绑定在任何上下文，[list] 和各界面的操作可绑定在 [list] 或任一界面的上下文",
    );
    assert!(matches!(err, KeymapError::WrongContext { .. }), "{err:?}");
}

#[test]
fn error_missing_file() {
    let path = fixture("no_such_file.toml");
    let err = Keymap::load_named(path.to_str().unwrap()).unwrap_err();
    assert!(matches!(err, KeymapError::Read { .. }), "{err:?}");
    assert_eq!(err.line(), None);
    assert!(err.to_string().starts_with(&format!(
        "{}: cannot read the keymap file: ",
        path.display()
    )));
    assert!(
        err.localized(Lang::Zh)
            .starts_with(&format!("无法读取按键配置文件 {}：", path.display()))
    );
}

#[test]
fn keymap_files_are_read_only_when_regular_and_at_most_1_mib() {
    use qiangji::tui::keymap::KEYMAP_FILE_LIMIT;
    use qiangji::user_file::UserFileError;
    let dir = tempfile::tempdir().unwrap();
    let read_error = |path: &Path| match Keymap::load_named(path.to_str().unwrap()) {
        Err(KeymapError::Read { error, .. }) => error,
        other => panic!("{}: {other:?}", path.display()),
    };
    assert_eq!(read_error(Path::new("/dev/zero")), UserFileError::NotAFile);
    assert_eq!(read_error(dir.path()), UserFileError::NotAFile);
    let fifo = dir.path().join("fifo");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    // Would block until a writer came, were it opened blindly.
    assert_eq!(read_error(&fifo), UserFileError::NotAFile);

    // Exactly the limit is read; one byte more is refused.
    let at_limit = dir.path().join("at_limit.toml");
    let mut text = String::from("[list]\n\"ctrl-j\" = \"select_next\"\n");
    text.push_str(&"#".repeat(KEYMAP_FILE_LIMIT as usize - text.len() - 1));
    text.push('\n');
    assert_eq!(text.len() as u64, KEYMAP_FILE_LIMIT);
    std::fs::write(&at_limit, &text).unwrap();
    assert!(Keymap::load_named(at_limit.to_str().unwrap()).is_ok());
    let over = dir.path().join("over.toml");
    std::fs::write(&over, format!("{text}#")).unwrap();
    assert_eq!(
        read_error(&over),
        UserFileError::TooLarge {
            limit: KEYMAP_FILE_LIMIT
        }
    );
    let err = Keymap::load_named(over.to_str().unwrap()).unwrap_err();
    assert_eq!(
        err.localized(Lang::Zh),
        format!(
            "无法读取按键配置文件 {}：文件超过 1048576 字节",
            over.display()
        )
    );
}

#[test]
fn the_help_lists_the_screens_keys_first_and_a_key_unbound_there_does_nothing() {
    use crate::common::ui::{app_as, demo, press, send};
    use qiangji::tui::app::Message;
    let (_dir, registry) = demo();
    let mut app = app_as(&registry, Lang::En, "coordinator");
    send(&mut app, Message::Resize(120, 60));
    // On the overview an assessment's key is not bound: nothing, not even
    // a message.
    press(&mut app, &[k("p"), k("space"), k("w")]);
    assert_eq!(app.status(), None, "{}", app.screen_text());
    assert_eq!(app.screens().len(), 1);
    let order = |app: &qiangji::tui::app::App, sections: &[&str]| {
        let text = app.screen_text();
        let at: Vec<usize> = sections
            .iter()
            .map(|s| text.find(s).unwrap_or_else(|| panic!("no {s} in\n{text}")))
            .collect();
        assert!(at.windows(2).all(|w| w[0] < w[1]), "{sections:?}\n{text}");
    };
    // The help on a group: the group's keys, then the lists', then the
    // global ones.
    press(&mut app, &[k("1"), k("?")]);
    order(&app, &["[Group]", "[Lists]", "[Everywhere]", "[Forms]"]);
    // On its ledger tab, the ledger's first.
    press(&mut app, &[k("?"), k("]"), k("]"), k("]"), k("?")]);
    assert!(
        app.group()
            .is_some_and(|g| g.tab == qiangji::tui::screens::Tab::Ledger)
    );
    order(&app, &["[Ledger]", "[Lists]", "[Everywhere]", "[Forms]"]);
    // In an assessment, its keys first.
    press(&mut app, &[k("?"), k("A"), k("?")]);
    assert!(app.assessment().is_some());
    order(&app, &["[Semester assessment]", "[Lists]", "[Everywhere]"]);
}
