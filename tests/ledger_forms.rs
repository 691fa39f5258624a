//! The ledger's keyboard forms, driven key by key through the App as a user
//! would type them, against the fixed-date city demo.

use std::sync::Arc;

use qiangji::domain::{Account, Actor, ProjectId};
use qiangji::i18n::{Lang, Localized};
use qiangji::registry::Registry;
use qiangji::tui::app::{App, Event, Overlay, Status};
use qiangji::tui::key::{Key, KeyCode};
use qiangji::tui::keymap::Keymap;
use qiangji::tui::theme::ColorMode;

fn demo() -> (tempfile::TempDir, Arc<Registry>) {
    let dir = tempfile::tempdir().unwrap();
    let registry = qiangji::demo::fixed_city(dir.path())
        .unwrap_or_else(|e| panic!("demo: {}", e.localized(Lang::En)));
    (dir, Arc::new(registry))
}

fn app(registry: &Arc<Registry>, lang: Lang) -> App {
    App::with_registry(
        lang,
        Keymap::default_keymap(),
        ColorMode::None,
        Actor::admin("finance"),
        registry.clone(),
    )
}

fn press(app: &mut App, keys: &[Key]) {
    for k in keys {
        app.handle(Event::Key(*k));
    }
}

fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        app.handle(Event::Key(Key::char(c)));
    }
}

const TAB: Key = Key::plain(KeyCode::Tab);
const RIGHT: Key = Key::plain(KeyCode::Right);
const DOWN: Key = Key::plain(KeyCode::Down);

/// From the overview to the math group's ledger tab.
fn math_ledger(app: &mut App) {
    press(app, &[Key::char('1'), RIGHT, RIGHT, RIGHT]);
}

fn daily_balance(registry: &Registry) -> i64 {
    let year = chrono::Datelike::year(&registry.today());
    registry
        .balance(&Account::daily(ProjectId::Math, year))
        .unwrap()
        .balance()
        .fen()
}

fn refusal(app: &App) -> Option<String> {
    match &app.overlay {
        Some(Overlay::Form(f)) => f.refusal.clone(),
        _ => None,
    }
}

#[test]
fn an_expense_typed_in_the_form_lowers_the_balance() {
    let (_dir, registry) = demo();
    let before = daily_balance(&registry);
    let mut app = app(&registry, Lang::Zh);
    math_ledger(&mut app);
    press(&mut app, &[Key::char('x')]);
    assert!(matches!(app.overlay, Some(Overlay::Form(_))));
    // Account (the daily fund), date (today), then the amount.
    press(&mut app, &[TAB, TAB]);
    typed(&mut app, "1,234.50");
    press(&mut app, &[TAB, RIGHT, TAB]); // the second category: travel
    typed(&mut app, "记-2026-20001");
    press(&mut app, &[TAB]);
    typed(&mut app, "青岛交运集团");
    press(&mut app, &[Key::ctrl('s')]);
    assert!(app.overlay.is_none(), "refused: {:?}", refusal(&app));
    assert_eq!(daily_balance(&registry), before - 123_450);
    let year = chrono::Datelike::year(&registry.today());
    let newest = registry
        .entries(&Account::daily(ProjectId::Math, year))
        .unwrap()
        .pop()
        .unwrap();
    assert_eq!(newest.category, "差旅");
    assert_eq!(newest.voucher, "记-2026-20001");
    assert_eq!(newest.payee, "青岛交运集团");
    assert_eq!(newest.recorded_by, "finance");
}

#[test]
fn an_overdraft_is_refused_in_the_form_with_what_was_typed_kept() {
    for lang in [Lang::Zh, Lang::En] {
        let (_dir, registry) = demo();
        let before = daily_balance(&registry);
        let mut app = app(&registry, lang);
        math_ledger(&mut app);
        press(&mut app, &[Key::char('x'), TAB, TAB]);
        typed(&mut app, "99999999");
        press(&mut app, &[Key::ctrl('s')]);
        let message = refusal(&app).expect("an overdraft is refused in the form");
        let balance = qiangji::domain::Money(before).display();
        assert!(message.contains(&balance), "{message} lacks {balance}");
        match lang {
            Lang::Zh => assert!(message.contains("余额"), "{message}"),
            Lang::En => assert!(message.contains("balance"), "{message}"),
        }
        let Some(Overlay::Form(form)) = &app.overlay else {
            panic!("the form closed")
        };
        assert_eq!(form.fields[2].value(), "99999999");
        assert_eq!(daily_balance(&registry), before);
    }
}

#[test]
fn an_allocation_then_its_reversal_restore_the_balance() {
    let (_dir, registry) = demo();
    let before = daily_balance(&registry);
    let mut app = app(&registry, Lang::Zh);
    math_ledger(&mut app);
    press(&mut app, &[Key::char('a'), TAB, TAB]);
    typed(&mut app, "5000");
    press(&mut app, &[Key::plain(KeyCode::Enter)]);
    assert!(app.overlay.is_none(), "refused: {:?}", refusal(&app));
    assert_eq!(daily_balance(&registry), before + 500_000);

    // The newest entry is last in date order: select it and reverse it.
    press(&mut app, &[Key::plain(KeyCode::End), Key::char('R'), TAB]);
    let Some(Overlay::Form(form)) = &app.overlay else {
        panic!("no reversal form: {:?}", app.status)
    };
    assert!(form.intro.as_deref().unwrap().contains("¥5,000.00"));
    // A reason is required: an empty one is pointed at, nothing is written.
    press(&mut app, &[Key::ctrl('s')]);
    assert!(app.overlay.is_some());
    typed(&mut app, "拨款单位重复拨付");
    press(&mut app, &[Key::ctrl('s')]);
    assert!(app.overlay.is_none(), "refused: {:?}", refusal(&app));
    assert_eq!(daily_balance(&registry), before);
    assert!(registry.check(Lang::En).unwrap().ok());
}

#[test]
fn the_ledger_overview_lists_every_account_of_the_year_and_opens_a_group() {
    let (_dir, registry) = demo();
    let mut app = app(&registry, Lang::En);
    press(&mut app, &[Key::char('$')]);
    let ledger = app.ledger.as_ref().expect("the ledger overview");
    let year = chrono::Datelike::year(&registry.today());
    assert_eq!(ledger.data.year, year);
    let expected = registry
        .balances()
        .unwrap()
        .into_iter()
        .filter(|(a, _)| a.year == year)
        .count();
    assert_eq!(ledger.data.lines.len(), expected);
    // Left goes a year back.
    press(&mut app, &[Key::plain(KeyCode::Left)]);
    assert_eq!(app.ledger.as_ref().unwrap().data.year, year - 1);
    // Enter opens the selected group's ledger tab; Esc comes back here.
    press(&mut app, &[DOWN, Key::plain(KeyCode::Enter)]);
    let w = app.workspace.as_ref().expect("a workspace");
    assert_eq!(w.tab, qiangji::tui::app::Tab::Ledger);
    press(&mut app, &[Key::plain(KeyCode::Esc)]);
    assert!(app.workspace.is_none() && app.ledger.is_some());
    // Recording money needs an account: not from a trainee list.
    press(
        &mut app,
        &[Key::plain(KeyCode::Esc), Key::char('1'), Key::char('x')],
    );
    assert!(app.overlay.is_none());
    assert!(matches!(app.status, Some(Status::Info(_))));
}
