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
    // The math group's ledger tab, where the budget against actual shows.
    let right = Key::plain(KeyCode::Right);
    press(&mut app, &[Key::char('1'), right, right, right]);
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
        // Past the attainment and the plan's four other parts.
        press(&mut app, &[TAB, TAB, TAB, TAB, TAB, TAB]);
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

// One test a screen kind: a record changed in another session, the screen
// read again as its user sees it.

fn other() -> Actor {
    Actor::admin("another-coordinator")
}

/// Applies `command` as another coordinator and tells `app`, as the server
/// does for every session.
fn elsewhere(
    app: &mut App,
    registry: &Arc<Registry>,
    command: Command,
) -> qiangji::registry::Event {
    let event = registry.apply(&other(), command).unwrap();
    send(app, Message::Changed(vec![event.clone()]));
    event
}

fn expense(registry: &Registry, project: ProjectId, amount: Money) -> Command {
    Command::AddEntry {
        account: qiangji::domain::Account::daily(
            project,
            chrono::Datelike::year(&registry.today()),
        ),
        date: registry.today(),
        movement: qiangji::registry::Movement::Expense,
        amount,
        category: "资料印刷".into(),
        voucher: "记-follow".into(),
        payee: "青岛印刷厂".into(),
        note: String::new(),
    }
}

/// Trainee `t` renamed `name`.
fn rename(t: &qiangji::domain::Trainee, name: &str) -> Command {
    let mut details = qiangji::registry::TraineeDetails::of(t);
    details.name = name.into();
    Command::UpdateTrainee {
        id: t.id,
        version: t.stamp.version,
        details,
    }
}

#[test]
fn the_overview_follows_an_expense_booked_in_another_session() {
    use qiangji::tui::screens::OverviewScreen;
    let (_dir, registry) = common::ui::demo();
    let mut app = app_as(&registry, Lang::Zh, "coordinator");
    let balance = |app: &App| {
        let o = app.top_as::<OverviewScreen>().expect("the overview");
        o.data
            .groups
            .iter()
            .find(|g| g.project == ProjectId::Math)
            .unwrap()
            .daily_balance
    };
    let before = balance(&app);
    let amount = Money::parse("1234.56").unwrap();
    elsewhere(
        &mut app,
        &registry,
        expense(&registry, ProjectId::Math, amount),
    );
    let after = Money(before.fen() - amount.fen());
    assert_eq!(balance(&app), after);
    let text = app.screen_text();
    assert!(text.contains(&after.display()), "{after} not on\n{text}");
    assert!(
        !text.contains(&before.display()),
        "{before} still on\n{text}"
    );
}

#[test]
fn the_ledger_overview_follows_an_expense_booked_in_another_session() {
    use qiangji::tui::screens::LedgerScreen;
    let (_dir, registry) = common::ui::demo();
    let mut app = app_as(&registry, Lang::Zh, "coordinator");
    press(&mut app, &[Key::char('$')]);
    let spent = |app: &App| {
        let l = app.top_as::<LedgerScreen>().expect("the ledger overview");
        let line = l
            .data
            .lines
            .iter()
            .find(|l| l.school.is_none() && l.project == Some(ProjectId::Math))
            .expect("the math group's daily fund");
        (line.spent, line.balance)
    };
    let (spent_before, balance_before) = spent(&app);
    let amount = Money::parse("2345.67").unwrap();
    elsewhere(
        &mut app,
        &registry,
        expense(&registry, ProjectId::Math, amount),
    );
    let (spent_after, balance_after) = spent(&app);
    assert_eq!(spent_after.fen(), spent_before.fen() + amount.fen());
    assert_eq!(balance_after.fen(), balance_before.fen() - amount.fen());
    let text = app.screen_text();
    assert!(
        text.contains(&balance_after.grouped()) || text.contains(&balance_after.display()),
        "{balance_after} not on\n{text}"
    );
}

#[test]
fn the_assessment_roster_follows_a_trainee_renamed_in_another_session() {
    let (_dir, registry) = common::ui::demo();
    let mut app = app_as(&registry, Lang::Zh, "coordinator");
    press(&mut app, &[Key::char('1'), Key::char('A')]);
    let t = {
        let s = app.assessment().expect("the roster");
        s.rows[s.nav.selected].trainee.clone()
    };
    assert!(app.screen_text().contains(&t.name));
    elsewhere(&mut app, &registry, rename(&t, "更名生"));
    let s = app.assessment().expect("still the roster");
    assert_eq!(s.rows[s.nav.selected].trainee.name, "更名生");
    let text = app.screen_text();
    assert!(text.contains("更名生"), "{text}");
}

#[test]
fn the_audit_trail_follows_an_application_filed_in_another_session() {
    let (_dir, registry) = common::ui::demo();
    let mut app = app_as(&registry, Lang::Zh, "coordinator");
    press(&mut app, &[Key::char('U')]);
    assert!(app.top_as::<qiangji::tui::screens::AuditScreen>().is_some());
    assert!(!app.screen_text().contains("审计新人"));
    let mut application = common::application(TraineeKind::Student, "审计新人", ProjectId::Physics);
    application.date = registry.today();
    elsewhere(&mut app, &registry, Command::Apply(application));
    let text = app.screen_text();
    assert!(text.contains("审计新人"), "{text}");
    // The actor's column is cut at 80 columns, with its `…`.
    assert!(text.contains("another-coordina"), "{text}");
}

#[test]
fn the_users_screen_follows_a_user_added_in_another_session() {
    let (_dir, registry) = common::ui::demo();
    let mut app = app_as(&registry, Lang::En, "coordinator");
    press(&mut app, &[Key::char('M')]);
    assert!(app.top_as::<qiangji::tui::screens::UsersScreen>().is_some());
    elsewhere(
        &mut app,
        &registry,
        Command::AddUser {
            login: "newfinance".into(),
            display_name: "新来的会计".into(),
            role: qiangji::domain::Role::Finance,
            keys: Vec::new(),
        },
    );
    let text = app.screen_text();
    assert!(text.contains("newfinance"), "{text}");
}

#[test]
fn the_evaluation_follows_an_achievement_recorded_in_another_session() {
    use qiangji::domain::achievement::{Award, Feat, Level};
    use qiangji::domain::{TraineeStage, TrainingMode};
    use qiangji::tui::screens::EvaluationScreen;
    let (_dir, registry) = common::ui::demo();
    let mut app = app_as(&registry, Lang::Zh, "coordinator");
    press(&mut app, &[Key::char('E')]);
    let t = registry
        .trainees(ProjectId::Math)
        .unwrap()
        .into_iter()
        .find(|t| {
            t.stage == TraineeStage::Enrolled
                && matches!(t.training_mode, Some(TrainingMode::BaseSchool { .. }))
        })
        .expect("a trainee at a base school");
    let points = |app: &App| -> u32 {
        let e = app.top_as::<EvaluationScreen>().expect("the evaluation");
        e.data.schools.iter().map(|s| s.total()).sum()
    };
    let before = points(&app);
    let year = chrono::Datelike::year(&registry.today());
    elsewhere(
        &mut app,
        &registry,
        Command::RecordAchievement {
            trainee: t.id,
            year,
            feat: Feat::Prize {
                competition: "全国中学生数学奥林匹克竞赛".into(),
                level: Level::National,
                award: Award::First,
            },
        },
    );
    assert!(points(&app) > before, "{} then {}", before, points(&app));
    let e = app.top_as::<EvaluationScreen>().unwrap();
    assert!(
        e.data
            .schools
            .iter()
            .any(|s| s.behind.iter().any(|b| b.contains(&t.name))),
        "{:?}",
        e.data.schools
    );
}

#[test]
fn the_calendar_tab_follows_a_session_moved_in_another_session() {
    let (_dir, registry) = common::ui::demo();
    let mut app = app_as(&registry, Lang::Zh, "coordinator");
    press(&mut app, &[Key::char('1'), Key::char('[')]);
    let session = {
        let g = app.group().expect("the group");
        assert_eq!(g.tab, qiangji::tui::screens::Tab::Calendar);
        g.data.sessions[g.table().current().unwrap()]
            .session
            .clone()
    };
    let t = |h, m| chrono::NaiveTime::from_hms_opt(h, m, 0).unwrap();
    assert!(!app.screen_text().contains("19:05-20:35"));
    elsewhere(
        &mut app,
        &registry,
        Command::MoveSession {
            id: session.id,
            version: session.stamp.version,
            date: session.date,
            start: t(19, 5),
            end: t(20, 35),
            place: session.place.clone(),
        },
    );
    let text = app.screen_text();
    assert!(text.contains("19:05-20:35"), "{text}");
}

#[test]
fn the_attendance_roster_follows_a_mark_and_a_name_changed_in_another_session() {
    use qiangji::domain::training::Mark;
    let (_dir, registry) = common::ui::demo();
    let mut app = app_as(&registry, Lang::Zh, "coordinator");
    press(&mut app, &[Key::char('1'), Key::char('['), Key::char('.')]);
    let (session, first, second) = {
        let r = app.attendance().expect("the roster");
        (
            r.session.id,
            r.rows[0].trainee.clone(),
            r.rows[1].trainee.clone(),
        )
    };
    elsewhere(
        &mut app,
        &registry,
        Command::MarkAttendance {
            session,
            trainee: first.id,
            mark: Mark::Excused,
        },
    );
    assert_eq!(app.attendance().unwrap().rows[0].mark, Some(Mark::Excused));
    elsewhere(&mut app, &registry, rename(&second, "更名生"));
    let r = app.attendance().expect("still the roster");
    assert_eq!(r.rows[1].trainee.name, "更名生");
    let text = app.screen_text();
    assert!(text.contains("更名生"), "{text}");
}

#[test]
fn an_import_report_follows_a_row_recorded_in_another_session() {
    use qiangji::domain::Gender;
    use qiangji::registry::ApplicationInput;
    let (dir, registry) = common::ui::demo();
    let file = dir.path().join("名单.csv");
    std::fs::write(
        &file,
        "姓名,性别,所在学校,区市,年级,联系电话,推荐教师1,推荐教师2,申报日期\n\
         王思远,男,青岛第二中学,市南区,高一,13812345678,李红老师,张伟老师,2026-09-01\n",
    )
    .unwrap();
    let mut app = app_as(&registry, Lang::Zh, "coordinator");
    press(&mut app, &[Key::char('1'), Key::char('I'), Key::ctrl('u')]);
    typed(&mut app, &file.to_string_lossy());
    press(&mut app, &[ENTER]);
    assert!(
        app.top_as::<qiangji::tui::screens::ImportScreen>()
            .is_some(),
        "{}",
        app.screen_text()
    );
    assert!(
        app.screen_text().contains("将新建 1 名"),
        "{}",
        app.screen_text()
    );
    // The same row recorded by another coordinator while the report is open.
    elsewhere(
        &mut app,
        &registry,
        Command::ApplyRecommended {
            input: ApplicationInput {
                kind: TraineeKind::Student,
                name: "王思远".into(),
                gender: Gender::Male,
                home_school: "青岛第二中学".into(),
                district: "市南区".into(),
                grade: "高一".into(),
                phone: "13812345678".into(),
                project: ProjectId::Math,
                date: chrono::NaiveDate::from_ymd_opt(2026, 9, 1).unwrap(),
            },
            recommenders: vec!["李红老师".into(), "张伟老师".into()],
        },
    );
    let text = app.screen_text();
    assert!(text.contains("已在系统中 1 行"), "{text}");
    assert!(!text.contains("将新建 1 名"), "{text}");
}

#[test]
fn a_trainees_details_follow_a_stage_recorded_in_another_session() {
    use qiangji::domain::TraineeStage;
    let (_dir, registry) = common::ui::demo();
    let mut app = app_as(&registry, Lang::Zh, "coordinator");
    press(&mut app, &[Key::char('1')]);
    let (row, t) = {
        let g = app.group().expect("the group");
        let row = g
            .data
            .trainees
            .iter()
            .position(|t| t.stage == TraineeStage::Recommended)
            .expect("a recommended applicant");
        (row, g.data.trainees[row].clone())
    };
    common::ui::select_record(&mut app, row);
    let line = format!("{}  项目组已遴选", registry.today());
    let shown =
        |app: &App| qiangji::tui::screenshot::to_text(&qiangji::tui::scenes::render(app, 200, 80));
    assert!(!shown(&app).contains(&line));
    elsewhere(
        &mut app,
        &registry,
        Command::Select {
            id: t.id,
            version: t.stamp.version,
            date: registry.today(),
            selected: true,
        },
    );
    let text = shown(&app);
    assert!(text.contains(&line), "{line:?} not in\n{text}");
    assert!(text.contains("another-coordinator"), "{text}");
}
