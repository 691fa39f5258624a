//! Snapshot tests of the main screens (`screens::SCREENS`) as plain text, in
//! Chinese and English, at the smallest supported size (80 x 24) and a roomy
//! one (120 x 40), on the fixed-date city demo so they are the same on every
//! run.
//!
//! The snapshots live in `tests/it/snapshots/`. After a deliberate change to the
//! interface, regenerate them with `INSTA_UPDATE=always cargo test --test
//! snapshots` (or `cargo insta test --review`) and read the diff.

use std::sync::{Arc, OnceLock};

use qiangji::domain::Actor;
use qiangji::i18n::{Lang, Localized};
use qiangji::registry::Registry;
use qiangji::tui::app::{App, Message};
use qiangji::tui::keymap::Keymap;
use qiangji::tui::scenes::{SCREENS, STAGED, capture, capture_staged, render};
use qiangji::tui::screenshot::to_text;
use qiangji::tui::theme::ColorMode;
use tempfile::TempDir;

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];
const LANGS: [(Lang, &str); 2] = [(Lang::Zh, "zh"), (Lang::En, "en")];

/// The demo registry, built once per test binary; the directory lives as long
/// as the registry. A static is never dropped, so the directory is made in
/// Cargo's scratch directory for tests (`target/tmp`), not in `/tmp`.
fn registry() -> Arc<Registry> {
    static DEMO: OnceLock<(TempDir, Arc<Registry>)> = OnceLock::new();
    let (_dir, registry) = DEMO.get_or_init(|| {
        let dir = tempfile::Builder::new()
            .prefix("snapshots-demo-")
            .tempdir_in(env!("CARGO_TARGET_TMPDIR"))
            .expect("temporary directory");
        let registry = qiangji::demo::fixed_city(dir.path())
            .unwrap_or_else(|e| panic!("demo: {}", e.localized(Lang::En)));
        (dir, Arc::new(registry))
    });
    registry.clone()
}

/// The screen `name` as text, from a fresh App.
fn screen_text(name: &str, lang: Lang, (width, height): (u16, u16)) -> String {
    let (_, actions) = SCREENS
        .iter()
        .find(|(n, _)| *n == name)
        .unwrap_or_else(|| panic!("no screen named {name}"));
    let mut app = App::with_registry(
        lang,
        Keymap::default_keymap(),
        ColorMode::None,
        Actor::admin("coordinator"),
        registry(),
    );
    to_text(&capture(&mut app, actions, width, height))
}

/// A staged scene (`scenes::STAGED`) in `lang` at every size: each language
/// on a database of its own, since the evaluation's scene writes; driven
/// once at the smallest size, then drawn at each.
fn check_staged(name: &str) {
    let (_, stage) = STAGED
        .iter()
        .find(|(n, _)| *n == name)
        .unwrap_or_else(|| panic!("no staged scene named {name}"));
    for (lang, code) in LANGS {
        let dir = tempfile::tempdir().expect("temporary directory");
        let scratch = tempfile::tempdir().expect("temporary directory");
        let registry = qiangji::demo::fixed_city(dir.path())
            .unwrap_or_else(|e| panic!("demo: {}", e.localized(Lang::En)));
        let mut app = App::with_registry(
            lang,
            Keymap::default_keymap(),
            ColorMode::None,
            Actor::admin("coordinator"),
            Arc::new(registry),
        );
        let (width, height) = SIZES[0];
        capture_staged(&mut app, *stage, scratch.path(), width, height);
        for (width, height) in SIZES {
            app.handle(Message::Resize(width, height));
            let text = to_text(&render(&app, width, height));
            insta::assert_snapshot!(format!("{name}_{code}_{width}x{height}"), text);
        }
    }
}

#[test]
fn import_report() {
    check_staged("import_report");
}

#[test]
fn evaluation() {
    check_staged("evaluation");
}

/// A scene added to `STAGED` needs a test here too.
#[test]
fn every_staged_scene_is_tested() {
    let scenes: Vec<&str> = STAGED.iter().map(|(n, _)| *n).collect();
    assert_eq!(scenes, ["import_report", "evaluation"]);
}

/// Every language and size of one screen.
fn check(name: &str) {
    for (lang, code) in LANGS {
        for size in SIZES {
            let text = screen_text(name, lang, size);
            insta::assert_snapshot!(format!("{name}_{code}_{}x{}", size.0, size.1), text);
        }
    }
}

/// One test per screen, so they run in parallel and fail separately.
macro_rules! screens {
    ($($name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                check(stringify!($name));
            }
        )*

        /// A screen added to `SCREENS` needs a test here too.
        #[test]
        fn every_screen_is_tested() {
            let tested = [$(stringify!($name)),*];
            let screens: Vec<&str> = SCREENS.iter().map(|(n, _)| *n).collect();
            assert_eq!(screens, tested);
        }
    };
}

screens!(
    overview,
    trainees,
    coaches,
    schools,
    ledger,
    budget,
    ledger_overview,
    expense_form,
    plans,
    assessment,
    audit,
    assessment_summary,
    application_form,
    next_step_form,
    nomination_form,
    coach_stage_form,
    school_form,
    plan_form,
    withdraw_form,
    help,
    form,
    users,
    user_form,
    find,
    calendar,
    attendance,
    session_form,
);
