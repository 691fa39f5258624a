//! The keymap's parsing, merging and resolution.
use super::*;

fn k(s: &str) -> Key {
    Key::parse(s).unwrap()
}

fn seq(s: &str) -> KeySeq {
    KeySeq::parse(s).unwrap()
}

#[test]
fn shipped_files_parse() {
    let default = Keymap::load(None).unwrap();
    assert_eq!(default, Keymap::default_keymap());
    assert!(default.unbound_actions().is_empty());
    let vim = Keymap::load_named("vim").unwrap();
    assert!(vim.unbound_actions().is_empty());
    assert_eq!(Keymap::load_named("default").unwrap(), default);
}

#[test]
fn every_action_is_bound_in_its_own_context() {
    for name in PRESETS {
        let map = Keymap::load_named(name).unwrap();
        for &action in Action::ALL {
            let own = map.bindings(action.context());
            assert!(
                own.iter().any(|(a, _)| *a == action),
                "{name}: {} not bound in [{}]",
                action.name(),
                action.context().code()
            );
        }
    }
}

#[test]
fn context_wins_over_global() {
    let map = Keymap::default_keymap();
    let tab = k("tab");
    assert_eq!(
        map.resolve(Context::Form, &[], tab),
        Resolution::Action(Action::NextField)
    );
    assert_eq!(
        map.resolve(Context::List, &[], tab),
        Resolution::Action(Action::NextGroup)
    );
    assert_eq!(
        map.resolve(Context::Form, &[], k("esc")),
        Resolution::Action(Action::Cancel)
    );
    assert_eq!(
        map.resolve(Context::List, &[], k("esc")),
        Resolution::Action(Action::Back)
    );
}

#[test]
fn typing_contexts_skip_printable_globals() {
    let map = Keymap::default_keymap();
    let quit = Resolution::Action(Action::Quit);
    let cases = [
        (Context::List, "q", quit),
        (Context::Form, "q", Resolution::Unbound),
        (Context::Input, "?", Resolution::Unbound),
        (Context::Input, "1", Resolution::Unbound),
        (Context::Input, "ctrl-c", quit),
    ];
    for (context, key, meant) in cases {
        assert_eq!(
            map.resolve(context, &[], k(key)),
            meant,
            "{key} in {context:?}"
        );
    }
}

#[test]
fn sequences() {
    let map = Keymap::load_named("vim").unwrap();
    let g = k("g");
    // (context, keys typed before, key) and what it comes to.
    let cases = [
        (Context::List, vec![], g, Resolution::Pending),
        (
            Context::List,
            vec![g],
            g,
            Resolution::Action(Action::SelectFirst),
        ),
        (Context::List, vec![g], k("j"), Resolution::Unbound),
        (Context::Global, vec![], g, Resolution::Unbound),
    ];
    for (context, before, key, meant) in cases {
        assert_eq!(
            map.resolve(context, &before, key),
            meant,
            "{before:?} {key:?}"
        );
    }
}

#[test]
fn layering_replaces_in_place_and_unbinds() {
    let mut map = Keymap::default_keymap();
    map.apply(
        "mine.toml",
        "[list]\n\"ctrl-n\" = \"page_down\"\ndown = \"none\"\nx = \"quit\"\n",
    )
    .unwrap();
    assert_eq!(
        map.resolve(Context::List, &[], k("ctrl-n")),
        Resolution::Action(Action::PageDown)
    );
    assert_eq!(
        map.resolve(Context::List, &[], k("down")),
        Resolution::Unbound
    );
    assert_eq!(
        map.resolve(Context::List, &[], k("x")),
        Resolution::Action(Action::Quit)
    );
    assert_eq!(map.key_for(Action::SelectNext), None);
    // ctrl-n kept its place: the second binding of [list].
    let list = map.bindings(Context::List);
    assert_eq!(
        list[0],
        (Action::PageDown, vec![seq("ctrl-n"), seq("pgdn")])
    );
}

#[test]
fn later_layer_drops_conflicting_prefixes() {
    let mut map = Keymap::load_named("vim").unwrap();
    map.apply("mine.toml", "[list]\ng = \"edit\"\n").unwrap();
    assert_eq!(
        map.resolve(Context::List, &[], k("g")),
        Resolution::Action(Action::Edit)
    );
    assert_eq!(map.key_for(Action::SelectFirst), Some(seq("home")));
}

#[test]
fn failed_layer_changes_nothing() {
    let mut map = Keymap::default_keymap();
    let before = map.clone();
    let err = map
        .apply("mine.toml", "[list]\nx = \"quit\"\ny = \"jump\"\n")
        .unwrap_err();
    assert_eq!(err.line(), Some(3));
    assert_eq!(map, before);
}

#[test]
fn help_and_hints() {
    let map = Keymap::default_keymap();
    let global = map.bindings(Context::Global);
    assert_eq!(global[0], (Action::Quit, vec![seq("q"), seq("ctrl-c")]));
    assert_eq!(map.key_for(Action::Help).unwrap().to_string(), "?");
    assert_eq!(
        map.key_for(Action::PrevGroup).unwrap().to_string(),
        "shift-tab"
    );
    assert_eq!(map.key_for(Action::Submit).unwrap().to_string(), "ctrl-s");
}

#[test]
fn error_lines_and_suggestions() {
    let err = Keymap::empty()
        .apply("x.toml", "[list]\n\n\"j\" = \"selct_next\"\n")
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "x.toml:3: unknown action \"selct_next\"; did you mean \"select_next\"?"
    );
    assert_eq!(
        err.localized(Lang::Zh),
        "x.toml 第 3 行：未知操作 \"selct_next\"；是否想写 \"select_next\"？"
    );
    let err = Keymap::empty()
        .apply("x.toml", "quit = \"q\"\n")
        .unwrap_err();
    assert!(
        matches!(err, KeymapError::NotATable { line: 1, .. }),
        "{err}"
    );
    let err = Keymap::empty()
        .apply("x.toml", "[list]\nj = 3\n")
        .unwrap_err();
    assert!(
        matches!(err, KeymapError::NotAString { line: 2, .. }),
        "{err}"
    );
    let err = Keymap::empty()
        .apply(
            "x.toml",
            "[list]\nj = \"select_next\"\nj = \"select_prev\"\n",
        )
        .unwrap_err();
    assert!(matches!(err, KeymapError::Syntax { line: 3, .. }), "{err}");
}

#[test]
fn unbinding_and_binding_a_prefix_in_one_file_is_fine() {
    let mut map = Keymap::default_keymap();
    map.apply(
        "x.toml",
        "[list]\ng = \"none\"\n\"g g\" = \"select_first\"\n",
    )
    .unwrap();
    assert_eq!(map.resolve(Context::List, &[], k("g")), Resolution::Pending);
}

#[test]
fn missing_file() {
    let err = Keymap::load_named("/nonexistent/keys.toml").unwrap_err();
    assert!(matches!(err, KeymapError::Read { .. }));
    assert!(
        err.to_string()
            .starts_with("/nonexistent/keys.toml: cannot read")
    );
}
