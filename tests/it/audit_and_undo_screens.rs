//! Issue 11 on the screens: the audit trail a person can read (names, words,
//! money; an undo logged as one; `/` by name and pinyin; `J` stops at the
//! end), and undo of every edit.

use crate::common;

use common::ui::{demo, press, typed};
use qiangji::i18n::Lang;
use qiangji::tui::app::App;
use qiangji::tui::key::Key;

fn app(registry: &std::sync::Arc<qiangji::registry::Registry>, lang: Lang) -> App {
    common::ui::app_as(registry, lang, "coordinator-wang")
}

/// From the overview to the math group's ledger tab.
const TO_LEDGER: [Key; 4] = [
    Key::char('1'),
    common::ui::RIGHT,
    common::ui::RIGHT,
    common::ui::RIGHT,
];

/// The demo, and an App on its overview.
fn demo_app(
    lang: Lang,
) -> (
    tempfile::TempDir,
    std::sync::Arc<qiangji::registry::Registry>,
    App,
) {
    let (dir, registry) = demo();
    let app = app(&registry, lang);
    (dir, registry, app)
}

#[test]
fn the_audit_trail_names_records_and_logs_an_undo_as_an_undo() {
    let (_dir, _registry, mut app) = demo_app(Lang::Zh);
    // Edit the first math trainee's phone, then take it back.
    // `e` opens the trainee's details; the phone is the last field.
    press(
        &mut app,
        &[
            Key::char('1'),
            Key::char('e'),
            Key::plain(qiangji::tui::key::KeyCode::BackTab),
            Key::ctrl('u'),
        ],
    );
    typed(&mut app, "13900000000");
    press(&mut app, &[Key::ctrl('s')]);
    assert!(app.overlay().is_none(), "{:?}", app.status());
    let name = {
        let w = app.group().unwrap();
        w.data.trainees[w.table().current().unwrap()].name.clone()
    };
    press(&mut app, &[Key::char('u')]);
    let said = format!("{:?}", app.status());
    assert!(said.contains("已撤销：修改学员信息"), "{said}");
    press(&mut app, &[Key::char('U')]);
    let audit = app.audit().expect("the audit trail");
    let newest = &audit.lines[0];
    assert_eq!(newest.action, "撤销：修改学员信息");
    assert_eq!(newest.record, format!("学员 {name}"));
    assert_eq!(audit.lines[1].action, "修改学员信息");
    // The details: words, not JSON or ids.
    let fields: Vec<String> = newest
        .change
        .iter()
        .map(|(k, v)| format!("{k} {v}"))
        .collect();
    assert!(
        fields.iter().any(|f| f.starts_with("联系电话 ")),
        "{fields:?}"
    );
    let text = app.screen_text();
    assert!(text.contains(&format!("学员 {name}")), "{text}");

    // `/` finds the trainee by name, and by its pinyin initials.
    press(&mut app, &[Key::char('/')]);
    typed(&mut app, &name);
    let shown = app.audit().unwrap().nav.shown.len();
    assert!(shown >= 2, "{name} finds {shown}");
    press(&mut app, &[Key::ctrl('u')]);
    let initials: String = name
        .chars()
        .filter_map(|c| {
            use pinyin::ToPinyin;
            c.to_pinyin().map(|p| p.first_letter().to_string())
        })
        .collect();
    typed(&mut app, &initials);
    assert!(app.audit().unwrap().nav.shown.len() >= 2, "{initials}");
}

#[test]
fn the_audit_details_show_money_and_accounts_in_words() {
    let (_dir, registry) = demo();
    for lang in [Lang::Zh, Lang::En] {
        let app = app(&registry, lang);
        let mut app = app;
        press(&mut app, &[Key::char('U')]);
        let audit = app.audit().unwrap();
        let entry = audit
            .lines
            .iter()
            .find(|l| matches!(l.entry.command, qiangji::registry::Command::AddEntry { .. }))
            .expect("a ledger entry in the newest 5000");
        let all: String = entry
            .change
            .iter()
            .map(|(k, v)| format!("{k}={v}\n"))
            .collect();
        assert!(all.contains('¥'), "{all}");
        assert!(!all.contains("{\""), "no JSON: {all}");
        let fund = lang.pick("日常培养经费", "daily training fund");
        let reward = lang.pick("项目奖励经费", "reward fund");
        let base = lang.pick("基地经费", "base fund");
        assert!(
            all.contains(fund) || all.contains(reward) || all.contains(base),
            "{all}"
        );
        assert!(!entry.record.chars().all(|c| c.is_ascii_digit() || c == ' '));
    }
}

/// `J` sixty times, drawing between presses as the terminal would (the
/// furthest the details can go is learnt when they are drawn).
fn scroll_far(app: &mut App) {
    let _ = app.screen_text();
    for _ in 0..60 {
        press(app, &[Key::char('J')]);
        let _ = app.screen_text();
    }
}

#[test]
fn j_scrolls_the_details_and_stops_at_the_end() {
    let (_dir, _registry, mut app) = demo_app(Lang::Zh);
    press(&mut app, &[Key::char('U')]);
    scroll_far(&mut app);
    let a = app.audit().unwrap();
    let max = a.details.furthest();
    assert!(a.details.scroll <= max, "{} > {max}", a.details.scroll);
    assert!(max < 60, "the details are short: {max}");
    // One K brings it back up at once.
    let before = a.details.scroll;
    press(&mut app, &[Key::char('K')]);
    assert_eq!(
        app.audit().unwrap().details.scroll,
        before.saturating_sub(3)
    );

    // The same in a group's details.
    press(
        &mut app,
        &[Key::plain(qiangji::tui::key::KeyCode::Esc), Key::char('1')],
    );
    scroll_far(&mut app);
    let g = app.group().unwrap();
    let max = g.details_scroll.furthest();
    assert!(
        g.details_scroll.scroll <= max && max < 100,
        "{} / {max}",
        g.details_scroll.scroll
    );
}

#[test]
fn a_plan_edit_is_undone_and_a_one_way_step_says_which_it_is() {
    let (_dir, registry) = demo();
    let r = &registry;
    let actor = qiangji::domain::Actor::admin("coordinator-wang");
    let year = chrono::Datelike::year(&r.today());
    let p = qiangji::domain::ProjectId::Chemistry;
    let before = r.cycle(p, year).unwrap().unwrap();
    let edit = qiangji::registry::Command::SetPlan {
        project: p,
        year,
        version: Some(before.stamp.version),
        goals: "新的目标".into(),
        targets: before.targets.clone(),
        budget: before.budget.clone(),
        attainment: before.attainment.clone(),
        amendment: String::new(),
    };
    let event = r
        .apply(&actor, edit)
        .expect("a submitted plan can be edited");
    let undo = r
        .inverse(event.audit_id, r.today())
        .expect("an edit is undoable");
    let undone = r.apply(&actor, undo).unwrap();
    assert_eq!(r.cycle(p, year).unwrap().unwrap().goals, before.goals);
    let entry = r.audit_entry(undone.audit_id).unwrap().unwrap();
    assert_eq!(entry.command.describe(Lang::Zh), "撤销：编辑年度计划");
    assert_eq!(entry.command.describe(Lang::En), "undo: edit annual plans");

    // A pipeline step is one-way; the refusal names it.
    let t = r.trainees(p).unwrap().into_iter().find(|t| {
        t.stage == qiangji::domain::TraineeStage::Applied
            && t.kind == qiangji::domain::TraineeKind::Teacher
    });
    if let Some(t) = t {
        let e = r
            .apply(
                &actor,
                qiangji::registry::Command::Recommend {
                    id: t.id,
                    version: t.stamp.version,
                    date: r.today(),
                },
            )
            .unwrap();
        let refusal = r.inverse(e.audit_id, r.today()).unwrap_err();
        assert!(
            refusal
                .message(Lang::Zh)
                .contains("“登记学校推荐”这一步只能向前")
        );
        assert!(
            refusal
                .message(Lang::En)
                .contains("(record recommendations)")
        );
    }
}

/// The ledger tab's table rows (inside the frame, after the header) and its
/// title line, at `w` x `h`.
fn ledger_at(app: &mut App, w: u16, h: u16) -> (String, Vec<String>) {
    common::ui::send(app, qiangji::tui::app::Message::Resize(w, h));
    let screen = app.screen_text();
    let lines: Vec<String> = screen.lines().map(str::to_string).collect();
    let top = lines.iter().position(|l| l.starts_with('┌')).unwrap();
    let title = lines[top].clone();
    let rows = lines[top + 2..]
        .iter()
        .take_while(|l| l.starts_with('│'))
        .cloned()
        .collect();
    (title, rows)
}

#[test]
fn the_ledger_tab_names_accounts_aligns_money_and_cuts_no_voucher_or_balance() {
    let (_dir, registry) = demo();
    for lang in [Lang::Zh, Lang::En] {
        let mut app = app(&registry, lang);
        press(&mut app, &TO_LEDGER);
        for (w, h) in [(80, 24), (120, 40)] {
            let (title, rows) = ledger_at(&mut app, w, h);
            // Balances in the title are whole or left out behind "…".
            for part in title.split(" | ") {
                if let Some(at) = part.rfind('¥') {
                    let money: String = part[at..].chars().take_while(|c| *c != ' ').collect();
                    let cents = money.rsplit('.').next().unwrap_or("");
                    let whole = cents.len() >= 2 && cents[..2].chars().all(|c| c.is_ascii_digit());
                    assert!(whole, "a cut balance in {title:?}");
                }
            }
            let g = app.group().unwrap();
            let shown = &g.table().shown;
            assert!(!rows.is_empty());
            let mut right_edges = Vec::new();
            for (line, &r) in rows.iter().zip(shown) {
                let e = &g.data.entries[r];
                assert!(line.contains(&e.voucher), "voucher cut: {line:?}");
                assert!(line.contains(&e.date.to_string()), "date cut: {line:?}");
                let amount = e.amount.grouped();
                let at = line
                    .find(&amount)
                    .unwrap_or_else(|| panic!("amount cut: {line:?}"));
                right_edges.push(unicode_width::UnicodeWidthStr::width(
                    &line[..at + amount.len()],
                ));
                // Which account: the fund, or the base school by name.
                let account = match e.account.holder {
                    qiangji::domain::Holder::School(_) => g
                        .data
                        .accounts
                        .iter()
                        .find(|a| a.account == e.account)
                        .and_then(|a| a.school.clone())
                        .unwrap(),
                    _ => e.account.fund.short_label(lang).to_string(),
                };
                let start: String = account.chars().take(2).collect();
                assert!(line.contains(&start), "no account in {line:?}");
            }
            right_edges.dedup();
            assert_eq!(right_edges.len(), 1, "amounts not right-aligned: {rows:#?}");
        }
    }
}

#[test]
fn a_reversal_and_its_original_both_say_what_they_are() {
    let (_dir, _registry, mut app) = demo_app(Lang::Zh);
    press(&mut app, &TO_LEDGER);
    press(&mut app, &[common::ui::DOWN]);
    let voucher = {
        let g = app.group().unwrap();
        let e = &g.data.entries[g.table().current().unwrap()];
        assert_eq!(e.kind, qiangji::domain::EntryKind::Expense);
        e.voucher.clone()
    };
    press(&mut app, &[Key::char('R'), common::ui::DOWN]);
    typed(&mut app, "录入错误");
    press(&mut app, &[Key::ctrl('s')]);
    assert!(app.overlay().is_none(), "{:?}", common::ui::refusal(&app));
    press(&mut app, &[Key::char('/')]);
    typed(&mut app, &voucher);
    press(&mut app, &[common::ui::ENTER]);
    let (_, rows) = ledger_at(&mut app, 120, 40);
    let sides: Vec<&String> = rows.iter().filter(|l| l.contains(&voucher)).collect();
    assert_eq!(sides.len(), 2, "{rows:#?}");
    assert!(sides[0].contains("已冲销"), "{}", sides[0]);
    assert!(
        sides[1].contains("冲销") && sides[1].contains('+'),
        "{}",
        sides[1]
    );
    // The reversal's details name the entry it reverses by date and voucher.
    press(&mut app, &[Key::plain(qiangji::tui::key::KeyCode::End)]);
    scroll_far(&mut app);
    let screen = app.screen_text();
    assert!(screen.contains("冲销的是"), "{screen}");
    let line = screen.lines().find(|l| l.contains("冲销的是")).unwrap();
    assert!(line.contains(&voucher) && line.contains("支出"), "{line}");
}

fn focused_label(app: &App) -> &'static str {
    let form = app.form().expect("a form");
    form.fields[form.focus].label.0
}

#[test]
fn e_edits_name_gender_grade_and_district_and_u_takes_it_back() {
    let (_dir, registry, mut app) = demo_app(Lang::Zh);
    press(&mut app, &[Key::char('1'), Key::char('e'), Key::ctrl('u')]);
    let (id, before) = {
        let g = app.group().unwrap();
        let t = &g.data.trainees[g.table().current().unwrap()];
        (t.id, t.clone())
    };
    typed(&mut app, "王改名");
    // Gender: the other one; the district: the next; the grade retyped.
    press(
        &mut app,
        &[common::ui::TAB, common::ui::RIGHT, common::ui::TAB],
    );
    press(
        &mut app,
        &[common::ui::TAB, common::ui::RIGHT, common::ui::TAB],
    );
    press(&mut app, &[Key::ctrl('u')]);
    typed(&mut app, "高三");
    press(&mut app, &[Key::ctrl('s')]);
    assert!(app.overlay().is_none(), "{:?}", common::ui::refusal(&app));
    let t = registry.trainee(id).unwrap().unwrap();
    assert_eq!(t.name, "王改名");
    assert_ne!(t.gender, before.gender);
    assert_ne!(t.district, before.district);
    assert_eq!(t.grade, "高三");
    let newest = registry.audit_newest_first().next().unwrap().unwrap();
    assert!(matches!(
        newest.command,
        qiangji::registry::Command::UpdateTrainee { .. }
    ));
    press(&mut app, &[Key::char('u')]);
    let t = registry.trainee(id).unwrap().unwrap();
    assert_eq!(
        (&t.name, t.gender, &t.district, &t.grade),
        (&before.name, before.gender, &before.district, &before.grade)
    );
}

#[test]
fn a_new_form_shows_errors_only_once_a_field_was_left_or_a_save_tried() {
    let (_dir, _registry, mut app) = demo_app(Lang::Zh);
    press(&mut app, &[Key::char('1'), Key::char('N')]);
    let screen = app.screen_text();
    assert!(
        !screen.contains("! "),
        "a fresh form shows no errors:\n{screen}"
    );
    // Leaving the empty name: its error shows, the others' not yet.
    press(&mut app, &[common::ui::TAB, common::ui::TAB]);
    let screen = app.screen_text();
    assert_eq!(screen.matches("! ").count(), 1, "{screen}");
    press(&mut app, &[Key::ctrl('s')]);
    let screen = app.screen_text();
    assert!(screen.matches("! ").count() >= 2, "{screen}");
}

#[test]
fn a_refusal_focuses_the_field_it_names_or_leaves_focus_where_it_was() {
    let (_dir, _registry, mut app) = demo_app(Lang::Zh);
    // A reversal dated outside its account's year: the date is named.
    press(&mut app, &TO_LEDGER);
    press(&mut app, &[common::ui::DOWN, Key::char('R')]);
    press(&mut app, &[Key::ctrl('u')]);
    typed(&mut app, "2031-01-05");
    press(&mut app, &[common::ui::TAB]);
    typed(&mut app, "录入错误");
    assert_eq!(focused_label(&app), "冲销原因");
    press(&mut app, &[Key::ctrl('s')]);
    assert!(common::ui::refusal(&app).is_some());
    assert_eq!(focused_label(&app), "日期");
    press(&mut app, &[common::ui::ESC, Key::char('y')]);
    // Reversing the allocation would overdraw the account: no field is to
    // blame, and the focus stays on the reason just typed.
    press(
        &mut app,
        &[Key::plain(qiangji::tui::key::KeyCode::Home), Key::char('R')],
    );
    press(&mut app, &[common::ui::TAB]);
    typed(&mut app, "录入错误");
    press(&mut app, &[Key::ctrl('s')]);
    let said = common::ui::refusal(&app).expect("refused");
    assert!(said.contains("余额"), "{said}");
    assert_eq!(focused_label(&app), "冲销原因");
}

/// Issue 20: a refusal focuses the field it is about by the field's identity
/// the registry gives, not by a label found in the message. A filed plan
/// changed without an amendment used to focus the year (the message says
/// "2026 年度实施方案").
#[test]
fn an_amendment_refusal_focuses_the_amendment_not_the_year() {
    for lang in [Lang::Zh, Lang::En] {
        let (_dir, _registry, mut app) = demo_app(lang);
        // The math group's plans, the 2026 plan (filed), `e`.
        press(
            &mut app,
            &[
                Key::char('1'),
                common::ui::LEFT,
                common::ui::LEFT,
                Key::char('e'),
            ],
        );
        assert!(app.form().is_some(), "{:?}", app.status());
        assert_eq!(focused_label(&app), "年度");
        // The goals changed, no amendment written.
        press(&mut app, &[common::ui::TAB]);
        typed(&mut app, "另加一条");
        let typed_in = focused_label(&app);
        assert_ne!(typed_in, "修订说明");
        press(&mut app, &[Key::ctrl('s')]);
        let said = common::ui::refusal(&app).expect("refused");
        assert!(said.contains(lang.pick("修订", "amendment")), "{said}");
        assert_eq!(focused_label(&app), "修订说明", "{said}");
    }
}

#[test]
fn a_chiefs_term_is_three_years_and_a_refused_nomination_saves_nobody() {
    let (_dir, registry, mut app) = demo_app(Lang::Zh);
    press(
        &mut app,
        &[Key::char('2'), common::ui::RIGHT, Key::char('N')],
    );
    typed(&mut app, "周老师");
    press(&mut app, &[common::ui::TAB, common::ui::TAB]);
    typed(&mut app, "青岛第二中学");
    for _ in 0..3 {
        press(&mut app, &[common::ui::TAB]);
    }
    typed(&mut app, "2010-09-01");
    // To the role: a chief's term is offered at 3 years.
    for _ in 0..4 {
        press(&mut app, &[common::ui::TAB]);
    }
    assert_eq!(focused_label(&app), "聘任岗位");
    press(&mut app, &[common::ui::LEFT]);
    assert_eq!(
        app.form_value("聘任岗位").as_deref(),
        Some("< 首席教练员 >")
    );
    assert_eq!(app.form_value("任期年数").as_deref(), Some("< 3 年 >"));
    // Back to a coach (1 year), then 3 years, which a coach may not serve:
    // refused, and the person is not saved either.
    press(&mut app, &[common::ui::RIGHT]);
    assert_eq!(app.form_value("任期年数").as_deref(), Some("< 1 年 >"));
    press(
        &mut app,
        &[
            common::ui::TAB,
            common::ui::TAB,
            common::ui::RIGHT,
            common::ui::RIGHT,
        ],
    );
    assert_eq!(app.form_value("任期年数").as_deref(), Some("< 3 年 >"));
    let people = registry.people().count();
    press(&mut app, &[Key::ctrl('s')]);
    let said = common::ui::refusal(&app).expect("refused");
    assert!(!said.contains("已保存"), "{said}");
    assert_eq!(
        registry.people().count(),
        people,
        "a refused nomination saved the person"
    );
}

#[test]
fn slash_on_the_overview_finds_anyone_in_any_group_and_opens_them_there() {
    use qiangji::domain::{ProjectId, TraineeStage};
    let (_dir, registry) = demo();
    // A physics trainee, found from the overview by name.
    let wanted = registry.trainees(ProjectId::Physics).unwrap().remove(3);
    let mut app = app(&registry, Lang::Zh);
    press(&mut app, &[Key::char('/')]);
    typed(&mut app, &wanted.name);
    press(&mut app, &[common::ui::ENTER]);
    let g = app.group().expect("the hit's group");
    assert_eq!(g.data.project, ProjectId::Physics);
    let shown = &g.data.trainees[g.table().current().unwrap()];
    assert_eq!(shown.id, wanted.id);
    // Esc goes back to the search, and again to the overview.
    press(&mut app, &[common::ui::ESC]);
    assert!(app.screen_text().contains("查找"));
    press(&mut app, &[common::ui::ESC, common::ui::ESC]);
    assert!(app.group().is_none() && app.audit().is_none());

    // Stages in either language, over every group.
    let withdrawn: usize = ProjectId::ALL
        .iter()
        .map(|&p| {
            registry
                .trainees(p)
                .unwrap()
                .iter()
                .filter(|t| t.stage == TraineeStage::Withdrawn)
                .count()
        })
        .sum();
    assert!(withdrawn > 0);
    for (lang, word) in [
        (Lang::Zh, "已退出"),
        (Lang::En, "withdrawn"),
        (Lang::Zh, "withdrawn"),
    ] {
        let mut app = self::app(&registry, lang);
        press(&mut app, &[Key::char('/')]);
        typed(&mut app, word);
        let text = app.screen_text();
        let count = format!("{withdrawn} / ");
        assert!(text.contains(&count), "{word}: {text}");
    }
    // And in a group's own filter, with the stage words in the help.
    let mut app = self::app(&registry, Lang::Zh);
    press(&mut app, &[Key::char('1'), Key::char('/')]);
    typed(&mut app, "公示中");
    press(&mut app, &[common::ui::ENTER]);
    let g = app.group().unwrap();
    assert!(!g.table().shown.is_empty());
    assert!(
        g.table()
            .shown
            .iter()
            .all(|&r| g.data.trainees[r].stage == TraineeStage::Announced)
    );
    press(&mut app, &[Key::char('?')]);
    assert!(
        app.screen_text().contains("已退出"),
        "the help lists the stage words"
    );
}
