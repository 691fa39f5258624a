//! The ledger's keyboard forms, driven key by key through the App as a user
//! would type them, against the fixed-date city demo.

use std::sync::Arc;

use qiangji::domain::{Account, ProjectId};
use qiangji::i18n::Lang;
use qiangji::registry::Registry;
use qiangji::tui::app::App;
use qiangji::tui::ctx::Status;
use qiangji::tui::key::{Key, KeyCode};

use crate::common;

use common::ui::{DOWN, RIGHT, TAB, demo, press, typed};

fn app(registry: &Arc<Registry>, lang: Lang) -> App {
    common::ui::app_as(registry, lang, "finance")
}

/// The demo, and an App on the math group's ledger tab (from the overview,
/// as a user gets there).
fn on_math_ledger(lang: Lang) -> (tempfile::TempDir, Arc<Registry>, App) {
    let (dir, registry) = demo();
    let mut app = app(&registry, lang);
    press(&mut app, &[Key::char('1'), RIGHT, RIGHT, RIGHT]);
    (dir, registry, app)
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
    match app.form() {
        Some(f) => f.refusal.clone(),
        _ => None,
    }
}

#[test]
fn an_expense_typed_in_the_form_lowers_the_balance() {
    let (_dir, registry, mut app) = on_math_ledger(Lang::Zh);
    let before = daily_balance(&registry);
    press(&mut app, &[Key::char('x')]);
    assert!(app.form().is_some());
    // Account (the daily fund), date (today), then the amount.
    press(&mut app, &[TAB, TAB]);
    typed(&mut app, "1,234.50");
    press(&mut app, &[TAB, RIGHT, TAB]); // the second category: travel
    typed(&mut app, "记-2026-20001");
    press(&mut app, &[TAB]);
    typed(&mut app, "青岛交运集团");
    press(&mut app, &[Key::ctrl('s')]);
    assert!(app.overlay().is_none(), "refused: {:?}", refusal(&app));
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
        let (_dir, registry, mut app) = on_math_ledger(lang);
        let before = daily_balance(&registry);
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
        let Some(form) = app.form() else {
            panic!("the form closed")
        };
        assert_eq!(form.fields[2].value(), "99999999");
        assert_eq!(daily_balance(&registry), before);
    }
}

/// Issue 20: an overdraft is about the amount: the refusal focuses it, by
/// the field identity the registry gives ("金额 amount"), not the payee
/// the user last typed into (the message names no label, so focus stayed).
#[test]
fn an_overdraft_focuses_the_amount() {
    for lang in [Lang::Zh, Lang::En] {
        let (_dir, _registry, mut app) = on_math_ledger(lang);
        press(&mut app, &[Key::char('x'), TAB, TAB]);
        typed(&mut app, "99999999");
        // On to the payee (category, voucher, payee), typed into.
        press(&mut app, &[TAB, TAB, TAB]);
        typed(&mut app, "青岛交运集团");
        let focused = |app: &App| {
            let form = app.form().expect("a form");
            form.fields[form.focus].label.0
        };
        assert_eq!(focused(&app), "收付款方");
        press(&mut app, &[Key::ctrl('s')]);
        assert!(refusal(&app).is_some(), "an overdraft is refused");
        assert_eq!(focused(&app), "金额（元）");
        // What is typed next replaces the amount, and saves.
        press(&mut app, &[Key::ctrl('u')]);
        typed(&mut app, "1");
        press(&mut app, &[Key::ctrl('s')]);
        assert!(app.overlay().is_none(), "refused: {:?}", refusal(&app));
    }
}

#[test]
fn an_allocation_then_its_reversal_restore_the_balance() {
    let (_dir, registry, mut app) = on_math_ledger(Lang::Zh);
    let before = daily_balance(&registry);
    press(&mut app, &[Key::char('a'), TAB, TAB]);
    typed(&mut app, "5000");
    press(&mut app, &[Key::plain(KeyCode::Enter)]);
    assert!(app.overlay().is_none(), "refused: {:?}", refusal(&app));
    assert_eq!(daily_balance(&registry), before + 500_000);

    // The newest entry is last in date order: select it and reverse it.
    press(&mut app, &[Key::plain(KeyCode::End), Key::char('R'), TAB]);
    let Some(form) = app.form() else {
        panic!("no reversal form: {:?}", app.status())
    };
    assert!(form.intro.as_deref().unwrap().contains("¥5,000.00"));
    // A reason is required: an empty one is pointed at, nothing is written.
    press(&mut app, &[Key::ctrl('s')]);
    assert!(app.overlay().is_some());
    typed(&mut app, "拨款单位重复拨付");
    press(&mut app, &[Key::ctrl('s')]);
    assert!(app.overlay().is_none(), "refused: {:?}", refusal(&app));
    assert_eq!(daily_balance(&registry), before);
    assert!(registry.check(Lang::En).unwrap().ok());
}

#[test]
fn the_ledger_overview_lists_every_account_of_the_year_and_opens_a_group() {
    let (_dir, registry) = demo();
    let mut app = app(&registry, Lang::En);
    press(&mut app, &[Key::char('$')]);
    let ledger = app.ledger_overview().expect("the ledger overview");
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
    assert_eq!(app.ledger_overview().unwrap().data.year, year - 1);
    // Enter opens the selected group's ledger tab; Esc comes back here.
    press(&mut app, &[DOWN, Key::plain(KeyCode::Enter)]);
    let w = app.group().expect("a workspace");
    assert_eq!(w.tab, qiangji::tui::screens::Tab::Ledger);
    press(&mut app, &[Key::plain(KeyCode::Esc)]);
    assert!(app.group().is_none() && app.ledger_overview().is_some());
    // Recording money is a key of the ledger's: on a trainee list `x` is
    // not bound and does nothing.
    press(
        &mut app,
        &[Key::plain(KeyCode::Esc), Key::char('1'), Key::char('x')],
    );
    assert!(app.overlay().is_none());
    assert_eq!(app.status(), None);
    // Run from the palette there, it says where money is recorded.
    app.act(qiangji::tui::action::Action::AddExpense);
    assert!(app.overlay().is_none());
    assert!(matches!(app.status(), Some(Status::Info(_))));
}

/// A group opens without reading its ledger (a province group's year of
/// entries was a third of opening it): the tab bar counts the entries from
/// the balances, the same number the tab lists once shown, for every group.
#[test]
fn the_ledger_is_read_when_its_tab_is_shown_and_counted_before() {
    let (_dir, registry) = demo();
    for (i, project) in ProjectId::ALL.into_iter().enumerate() {
        let mut app = app(&registry, Lang::Zh);
        let digit = char::from(b'1' + i as u8);
        press(&mut app, &[Key::char(digit)]);
        let g = app.group().expect("the group");
        assert_eq!(g.data.project, project);
        assert!(!g.data.ledger_read);
        assert!(g.data.entries.is_empty());
        let counted = g.count(qiangji::tui::screens::Tab::Ledger);
        press(&mut app, &[RIGHT, RIGHT, RIGHT]);
        let g = app.group().unwrap();
        assert_eq!(g.tab, qiangji::tui::screens::Tab::Ledger);
        assert!(g.data.ledger_read);
        assert_eq!(g.data.entries.len(), counted, "{project:?}");
        assert_eq!(g.table().shown.len(), counted, "{project:?}");
        if project == ProjectId::Math {
            assert!(counted > 50, "{counted}");
        }
    }
}
