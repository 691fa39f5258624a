//! Issue 20, "screens that show what is true": what a screen shows follows
//! the records when they change, in this session or another (the `/` find
//! screen, the ledger's budget against actual after the plan is amended),
//! and Esc on the find screen leaves its typing before leaving it.

use crate::common;

use std::sync::Arc;

use common::ui::{ENTER, ESC, SAVE, TAB, app_as, press, send, typed};
use qiangji::domain::{Actor, Filing, Money, ProjectId, TraineeKind};
use qiangji::i18n::Lang;
use qiangji::registry::{Command, Registry};
use qiangji::tui::action::Context;
use qiangji::tui::app::{App, Message};
use qiangji::tui::key::{Key, KeyCode};
use qiangji::tui::screens::FindScreen;

fn find(app: &App) -> &FindScreen {
    match app.top_as::<FindScreen>() {
        Some(f) => f,
        _ => panic!("the find screen is not on top:\n{}", app.screen_text()),
    }
}

/// The names the find screen shows for what is typed.
fn found(app: &App) -> Vec<String> {
    let f = find(app);
    f.nav
        .shown
        .iter()
        .map(|&i| f.hits[i].name.clone())
        .collect()
}

#[test]
fn the_find_screen_finds_a_trainee_saved_after_it_opened() {
    let (_dir, registry) = common::ui::demo();
    let mut app = app_as(&registry, Lang::Zh, "coordinator");
    press(&mut app, &[Key::char('/')]);
    typed(&mut app, "新来的");
    assert!(found(&app).is_empty(), "{:?}", found(&app));

    // Another coordinator files an application in their session.
    let other = Actor::admin("another-coordinator");
    let mut application = common::application(TraineeKind::Student, "新来的", ProjectId::Physics);
    application.date = registry.today();
    let event = registry.apply(&other, Command::Apply(application)).unwrap();
    send(&mut app, Message::Changed(vec![event.clone()]));
    assert_eq!(found(&app), ["新来的"], "{}", app.screen_text());
    assert!(
        app.screen_text().contains("新来的"),
        "{}",
        app.screen_text()
    );
    // What was typed is kept, and Enter opens the new trainee in its group.
    assert_eq!(find(&app).input.value(), "新来的");
    press(&mut app, &[ENTER]);
    let g = app.group().expect("the hit's group");
    assert_eq!(g.data.project, ProjectId::Physics);
    assert_eq!(g.data.trainees[g.table().current().unwrap()].id, event.id);
}

#[test]
fn the_find_screen_follows_this_sessions_own_writes() {
    let (_dir, registry) = common::ui::demo();
    let mut app = app_as(&registry, Lang::En, "coordinator");
    let wanted = registry.trainees(ProjectId::Math).unwrap().remove(0);
    press(&mut app, &[Key::char('/')]);
    typed(&mut app, &wanted.name);
    press(&mut app, &[ENTER]);
    assert!(app.group().is_some());
    // Renamed here: back on the find screen the new name is there.
    press(&mut app, &[Key::char('e')]);
    assert!(app.form().is_some(), "{}", app.screen_text());
    let name = app.form_value("Name").expect("a name field");
    assert_eq!(name, wanted.name);
    press(&mut app, &[Key::ctrl('u')]);
    typed(&mut app, "改名的");
    press(&mut app, &[SAVE]);
    assert!(app.form().is_none(), "{:?}", common::ui::refusal(&app));
    press(&mut app, &[ESC]);
    let f = find(&app);
    let names: Vec<&str> = f.hits.iter().map(|h| h.name.as_str()).collect();
    assert!(names.contains(&"改名的"), "{names:?}");
}

/// The math group's budget line of `category`, planned, as the ledger shows.
fn planned(app: &App, category: &str) -> Option<Money> {
    let g = app.group().expect("the group on top");
    g.data
        .budget
        .iter()
        .find(|l| l.category == category)
        .map(|l| l.planned)
}

fn amend_budget(registry: &Arc<Registry>, line: (&str, Money)) -> Command {
    let year = chrono::Datelike::year(&registry.today());
    let c = registry.cycle(ProjectId::Math, year).unwrap().unwrap();
    let mut budget = c.budget.clone();
    budget.push((line.0.to_string(), line.1));
    let filed = matches!(c.plan, Filing::Filed { .. }) || matches!(c.report, Filing::Filed { .. });
    Command::SetPlan {
        project: ProjectId::Math,
        year,
        version: Some(c.stamp.version),
        goals: c.goals.clone(),
        targets: c.targets.clone(),
        budget,
        attainment: c.attainment.clone(),
        amendment: if filed {
            "教育局同意追加资料费".into()
        } else {
            String::new()
        },
    }
}

#[test]
fn budget_against_actual_follows_a_plan_amended_in_another_session() {
    let (_dir, registry) = common::ui::demo();
    let mut app = app_as(&registry, Lang::Zh, "coordinator");
    press(&mut app, &[Key::char('1')]);
    assert_eq!(planned(&app, "资料印刷"), None);
    let other = Actor::admin("another-coordinator");
    let amount = Money::parse("12345").unwrap();
    let command = amend_budget(&registry, ("资料印刷", amount));
    let event = registry.apply(&other, command).unwrap();
    send(&mut app, Message::Changed(vec![event]));
    assert_eq!(planned(&app, "资料印刷"), Some(amount));
}

#[test]
fn budget_against_actual_follows_a_plan_amended_in_this_session() {
    let (_dir, registry) = common::ui::demo();
    let mut app = app_as(&registry, Lang::Zh, "coordinator");
    let year = chrono::Datelike::year(&registry.today());
    let c = registry.cycle(ProjectId::Math, year).unwrap().unwrap();
    let filed = matches!(c.plan, Filing::Filed { .. }) || matches!(c.report, Filing::Filed { .. });
    // The math group's plans tab, this year's plan selected.
    let right = Key::plain(KeyCode::Right);
    press(&mut app, &[Key::char('1'), right, right, right, right]);
    let g = app.group().unwrap();
    let at = g
        .table()
        .shown
        .iter()
        .position(|&r| g.data.cycles[r].year == year)
        .expect("this year's plan on the tab");
    press(&mut app, &[Key::plain(KeyCode::Home)]);
    for _ in 0..at {
        press(&mut app, &[common::ui::DOWN]);
    }
    press(&mut app, &[Key::char('e'), TAB, TAB, TAB]);
    press(&mut app, &[Key::plain(KeyCode::End)]);
    typed(&mut app, "; 资料印刷 12345");
    if filed {
        press(&mut app, &[TAB, TAB]);
        typed(&mut app, "教育局同意追加资料费");
    }
    press(&mut app, &[SAVE]);
    assert!(app.form().is_none(), "{:?}", common::ui::refusal(&app));
    // The ledger tab's budget against actual has the new line at once.
    press(&mut app, &[Key::plain(KeyCode::Left)]);
    assert_eq!(
        planned(&app, "资料印刷"),
        Some(Money::parse("12345").unwrap())
    );
}

#[test]
fn esc_on_the_find_screen_stops_typing_before_going_back() {
    let (_dir, registry) = common::ui::demo();
    let wanted = registry.trainees(ProjectId::Physics).unwrap().remove(3);
    let mut app = app_as(&registry, Lang::Zh, "coordinator");
    press(&mut app, &[Key::char('/')]);
    typed(&mut app, &wanted.name);
    press(&mut app, &[ENTER]);
    assert!(app.group().is_some());
    // Back from the record: the find box, with typing off.
    press(&mut app, &[ESC]);
    assert_eq!(find(&app).input.value(), wanted.name);
    assert_eq!(app.context(), Context::List);
    // So `0 1 A` are commands, not a search: the overview, math, the
    // assessment.
    press(&mut app, &[Key::char('0')]);
    assert_eq!(app.screens().len(), 1, "{}", app.screen_text());

    // While typing, one Esc stops typing (the text stays, the hits can be
    // moved among); `/` types again; the next Esc goes back.
    press(&mut app, &[Key::char('/')]);
    typed(&mut app, &wanted.name);
    press(&mut app, &[ESC]);
    assert_eq!(app.context(), Context::List);
    assert_eq!(find(&app).input.value(), wanted.name);
    press(&mut app, &[Key::char('/')]);
    assert_eq!(app.context(), Context::Input);
    typed(&mut app, "x");
    assert_eq!(find(&app).input.value(), format!("{}x", wanted.name));
    press(&mut app, &[ESC, ESC]);
    assert_eq!(app.screens().len(), 1, "{}", app.screen_text());
}
