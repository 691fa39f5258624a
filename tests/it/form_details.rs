//! What a form tells and where it leaves you: the editing keys in the help,
//! fields below the fold said at 80x24, a base school serving several
//! groups, and a new nomination or school application selected after saving.

use crate::common;

use common::ui::{RIGHT, SAVE, TAB, app_as, demo, press, send, typed};
use qiangji::domain::{ProjectId, SchoolStage};
use qiangji::i18n::Lang;
use qiangji::tui::app::{App, Message};
use qiangji::tui::key::Key;
use qiangji::tui::screens::group::Tab;

fn saved(app: &App) {
    assert!(
        app.form().is_none(),
        "refused: {:?}\n{}",
        common::ui::refusal(app),
        app.screen_text()
    );
}

#[test]
fn the_help_lists_the_keys_that_edit_a_field() {
    let (_dir, registry) = demo();
    for (lang, words) in [
        (Lang::Zh, ["ctrl-u", "清空本项"]),
        (Lang::En, ["ctrl-u", "Clear the field"]),
    ] {
        let mut app = app_as(&registry, lang, "coordinator");
        // Tall enough that the whole help shows at once.
        send(&mut app, Message::Resize(120, 200));
        press(&mut app, &[Key::char('?')]);
        let text = app.screen_text();
        for w in words {
            assert!(text.contains(w), "{w} in\n{text}");
        }
    }
}

/// The math group's schools tab, its application form open, at 80x24.
fn school_form(
    lang: Lang,
) -> (
    tempfile::TempDir,
    std::sync::Arc<qiangji::registry::Registry>,
    App,
) {
    let (dir, registry) = demo();
    let mut app = app_as(&registry, lang, "coordinator");
    send(&mut app, Message::Resize(80, 24));
    press(&mut app, &[Key::char('1'), RIGHT, RIGHT, Key::char('N')]);
    assert!(app.form().is_some(), "{}", app.screen_text());
    (dir, registry, app)
}

#[test]
fn fields_below_the_fold_of_a_form_are_said_at_80x24() {
    let (_dir, _registry, mut app) = school_form(Lang::Zh);
    let n = app.form().unwrap().fields.len();
    let text = app.screen_text();
    assert!(text.contains("v 还有 "), "{text}");
    // On the last field, those above are said instead.
    for _ in 1..n {
        press(&mut app, &[TAB]);
    }
    let text = app.screen_text();
    assert!(text.contains("^ 上面 "), "{text}");
    assert!(!text.contains("v 还有 "), "{text}");

    let (_dir, _registry, app) = school_form(Lang::En);
    let text = app.screen_text();
    assert!(text.contains(" more fields"), "{text}");
}

#[test]
fn a_base_school_applies_for_several_groups_and_is_selected_after_saving() {
    let (_dir, registry, mut app) = school_form(Lang::Zh);
    press(&mut app, &[TAB]);
    typed(&mut app, "青岛第五十八中学");
    press(&mut app, &[TAB]);
    // A group that is no group is refused, saying what the field takes.
    press(&mut app, &[Key::ctrl('u')]);
    typed(&mut app, "数学 天文");
    press(&mut app, &[SAVE]);
    assert!(common::ui::refusal(&app).is_some());
    let form = app.form().unwrap();
    assert_eq!(form.fields[form.focus].label.0, "申报项目组");
    let said = form.fields[form.focus]
        .shown_error(Lang::Zh)
        .unwrap_or_default();
    assert!(said.contains("数学 物理"), "{said}");
    press(&mut app, &[Key::ctrl('u')]);
    typed(&mut app, "数学、物理");
    press(&mut app, &[TAB]);
    typed(&mut app, "刘校长");
    press(&mut app, &[TAB, TAB]);
    typed(&mut app, "陈教练");
    press(&mut app, &[TAB, TAB]);
    typed(&mut app, "1980-05");
    press(&mut app, &[TAB]);
    typed(&mut app, "2003");
    press(&mut app, &[SAVE]);
    saved(&app);
    let school = registry
        .schools()
        .unwrap()
        .into_iter()
        .find(|s| s.application.name == "青岛第五十八中学")
        .expect("the application");
    assert_eq!(school.stage, SchoolStage::Applied);
    assert_eq!(
        school.application.projects,
        vec![ProjectId::Math, ProjectId::Physics]
    );
    // The new application is the selected row of the schools tab.
    let g = app.group().unwrap();
    assert_eq!(g.tab, Tab::Schools);
    let at = g.table().current().expect("a selected school");
    assert_eq!(g.data.schools[at].id, school.id, "{}", app.screen_text());
}

/// Issue 20: a refusal focuses the field it is about even when the form's
/// label and the registry's name for it differ (任教起始 is the registry's
/// 从教起始 teaching since): the field's identity, not its words.
#[test]
fn a_future_teaching_start_focuses_its_field() {
    let (_dir, registry) = demo();
    for lang in [Lang::Zh, Lang::En] {
        let mut app = app_as(&registry, lang, "coordinator");
        press(&mut app, &[Key::char('2'), RIGHT, Key::char('N')]);
        typed(&mut app, lang.pick("周老师", "吴老师"));
        press(&mut app, &[TAB, TAB]);
        typed(&mut app, "青岛第二中学");
        press(&mut app, &[TAB, TAB, TAB]);
        typed(&mut app, "2030");
        // On to the coaching start; then saved.
        press(&mut app, &[TAB]);
        press(&mut app, &[SAVE]);
        let said = common::ui::refusal(&app).expect("a future start is refused");
        assert!(said.contains("2030"), "{said}");
        let form = app.form().unwrap();
        assert_eq!(form.fields[form.focus].label.0, "任教起始", "{said}");
        press(&mut app, &[Key::ctrl('u')]);
        typed(&mut app, "2010");
        press(&mut app, &[SAVE]);
        saved(&app);
    }
}

#[test]
fn a_new_nomination_is_selected_after_saving() {
    let (_dir, registry) = demo();
    let mut app = app_as(&registry, Lang::Zh, "coordinator");
    // Physics: a group with room for another coach.
    press(&mut app, &[Key::char('2'), RIGHT, Key::char('N')]);
    typed(&mut app, "周老师");
    press(&mut app, &[TAB, TAB]);
    typed(&mut app, "青岛第二中学");
    press(&mut app, &[TAB, TAB, TAB]);
    typed(&mut app, "2010");
    press(&mut app, &[SAVE]);
    saved(&app);
    let coach = registry
        .coaches(ProjectId::Physics)
        .unwrap()
        .into_iter()
        .find(|c| registry.person(c.person_id).unwrap().unwrap().name == "周老师")
        .expect("nominated");
    let g = app.group().unwrap();
    assert_eq!(g.tab, Tab::Coaches);
    let at = g.table().current().expect("a selected coach");
    assert_eq!(
        g.data.coaches[at].coach.id,
        coach.id,
        "{}",
        app.screen_text()
    );
}

/// Issue 20: a form open while someone else saves the same record. Saving
/// is refused naming the fields they changed, by their labels, and the time
/// in Shanghai to the minute; ctrl-r takes their values and keeps what was
/// typed in the other fields; saving then succeeds with both.
#[test]
fn a_stale_form_names_what_changed_and_ctrl_r_takes_it_keeping_what_was_typed() {
    for lang in [Lang::Zh, Lang::En] {
        let (_dir, registry) = demo();
        let mut mine = app_as(&registry, lang, "coordinator");
        let mut theirs = app_as(&registry, lang, "coordinator-wang");
        // Both open the first math trainee's details (`e`).
        for app in [&mut mine, &mut theirs] {
            press(app, &[Key::char('1'), Key::char('e')]);
            assert!(app.form().is_some(), "{}", app.screen_text());
        }
        let id = {
            let g = mine.group().unwrap();
            g.data.trainees[g.table().current().unwrap()].id
        };
        let before = registry.trainee(id).unwrap().unwrap();
        let (name, phone) = (lang.pick("姓名", "Name"), lang.pick("联系电话", "Phone"));
        // Here: a new phone (the last field), typed and not yet saved.
        press(
            &mut mine,
            &[Key::plain(qiangji::tui::key::KeyCode::BackTab)],
        );
        press(&mut mine, &[Key::ctrl('u')]);
        typed(&mut mine, "13900001111");
        // There: a new name, saved; this session hears of it.
        press(&mut theirs, &[Key::ctrl('u')]);
        typed(&mut theirs, "王改名");
        let effects = theirs.handle(Message::Key(SAVE));
        let applied: Vec<_> = theirs
            .settle(effects)
            .into_iter()
            .flat_map(|e| match e {
                qiangji::tui::app::Effect::Applied(events) => events,
                _ => Vec::new(),
            })
            .collect();
        saved(&theirs);
        assert!(!applied.is_empty());
        send(&mut mine, Message::Changed(applied));
        let after = registry.trainee(id).unwrap().unwrap();
        assert_eq!(after.name, "王改名");
        // Saving here is refused, naming the name (theirs), not the phone.
        press(&mut mine, &[SAVE]);
        let said = common::ui::refusal(&mine).expect("a stale save is refused");
        assert!(said.contains(name), "{said}");
        assert!(!said.contains(phone), "{said}");
        assert!(said.contains("coordinator-wang"), "{said}");
        assert!(said.contains("ctrl-r"), "{said}");
        let when = qiangji::registry::shanghai(after.stamp.updated_at)
            .format("%Y-%m-%d %H:%M")
            .to_string();
        assert!(said.contains(&when), "{when} in {said}");
        assert!(!said.contains("UTC"), "{said}");
        // The hints offer ctrl-r while the form holds their values.
        let footer = mine.screen_text();
        let last = footer.lines().last().unwrap_or_default().to_string();
        assert!(last.contains("ctrl-r"), "{footer}");
        assert_eq!(
            registry.trainee(id).unwrap().unwrap().phone,
            before.phone,
            "nothing of mine saved yet"
        );
        // ctrl-r: their name, my phone.
        press(&mut mine, &[Key::ctrl('r')]);
        assert!(mine.form().is_some(), "ctrl-r keeps the form open");
        assert_eq!(mine.form_value(name).as_deref(), Some("王改名"));
        assert_eq!(mine.form_value(phone).as_deref(), Some("13900001111"));
        press(&mut mine, &[SAVE]);
        saved(&mine);
        let t = registry.trainee(id).unwrap().unwrap();
        assert_eq!(
            (t.name.as_str(), t.phone.as_str()),
            ("王改名", "13900001111")
        );
        assert_eq!(t.stamp.version, after.stamp.version + 1);
    }
}

/// The form's help lists ctrl-r for taking someone else's values.
#[test]
fn the_forms_help_lists_ctrl_r() {
    let (_dir, registry) = demo();
    for (lang, words) in [
        (Lang::Zh, ["ctrl-r", "他人刚保存了此记录时"]),
        (
            Lang::En,
            ["ctrl-r", "When someone else just saved the record"],
        ),
    ] {
        let mut app = app_as(&registry, lang, "coordinator");
        send(&mut app, Message::Resize(160, 200));
        press(&mut app, &[Key::char('?')]);
        let text = app.screen_text();
        let form_part = text
            .split(lang.pick("[表单]", "[Forms]"))
            .nth(1)
            .unwrap_or_default();
        for w in words {
            assert!(form_part.contains(w), "{w} in\n{text}");
        }
    }
}

/// Issue 20: `e` on a trainee also corrects the recommending teachers and
/// the date applied; a refusal about the teachers focuses their field.
#[test]
fn e_corrects_the_recommenders_and_the_application_date() {
    let (_dir, registry) = demo();
    let mut app = app_as(&registry, Lang::Zh, "coordinator");
    press(&mut app, &[Key::char('1'), Key::char('e')]);
    let id = {
        let g = app.group().unwrap();
        g.data.trainees[g.table().current().unwrap()].id
    };
    let before = registry.trainee(id).unwrap().unwrap();
    assert!(before.stage != qiangji::domain::TraineeStage::Applied);
    let applied = before.history[0].date;
    assert_eq!(
        app.form_value("推荐教师").as_deref(),
        Some(before.recommenders.join(", ").as_str())
    );
    assert_eq!(
        app.form_value("申报日期").as_deref(),
        Some(applied.to_string().as_str())
    );
    let entries = registry.audit_newest_first().count();
    // One teacher only, and the date two days earlier; saved from the date.
    for _ in 0..5 {
        press(&mut app, &[TAB]);
    }
    press(&mut app, &[Key::ctrl('u')]);
    typed(&mut app, "张明老师");
    press(&mut app, &[TAB, Key::ctrl('u')]);
    let earlier = applied - chrono::Duration::days(2);
    typed(&mut app, &earlier.to_string());
    press(&mut app, &[SAVE]);
    let said = common::ui::refusal(&app).expect("two teachers are needed");
    assert!(said.contains("推荐"), "{said}");
    let form = app.form().unwrap();
    assert_eq!(form.fields[form.focus].label.0, "推荐教师", "{said}");
    // The focus is on the teachers: the second one is typed there.
    typed(&mut app, "、李红老师");
    press(&mut app, &[SAVE]);
    saved(&app);
    let t = registry.trainee(id).unwrap().unwrap();
    assert_eq!(t.recommenders, ["张明老师", "李红老师"]);
    assert_eq!(t.history[0].date, earlier);
    assert_eq!(t.name, before.name);
    // One change in the audit trail, the correction, with what it was.
    let newest = registry.audit_newest_first().next().unwrap().unwrap();
    assert!(matches!(
        newest.command,
        qiangji::registry::Command::CorrectApplication { .. }
    ));
    assert_eq!(
        registry.audit_newest_first().count(),
        entries + 1,
        "the details did not change: no edit of them is recorded"
    );
    // `u` takes it back.
    press(&mut app, &[Key::char('u')]);
    let t = registry.trainee(id).unwrap().unwrap();
    assert_eq!(t.recommenders, before.recommenders);
    assert_eq!(t.history[0].date, applied);
}

/// Issue 20: a wrong application is withdrawn as a recorded fact (撤回申报,
/// with a reason), never deleted: `w` on a trainee not yet enrolled.
#[test]
fn w_withdraws_a_wrong_application_with_its_reason_and_keeps_the_record() {
    use qiangji::domain::TraineeStage;
    let (_dir, registry) = demo();
    let mut app = app_as(&registry, Lang::Zh, "coordinator");
    press(&mut app, &[Key::char('1')]);
    let (row, id) = {
        let g = app.group().unwrap();
        let row = g
            .data
            .trainees
            .iter()
            .position(|t| t.stage == TraineeStage::Applied)
            .expect("an applicant in the demo");
        (row, g.data.trainees[row].id)
    };
    common::ui::select_record(&mut app, row);
    press(&mut app, &[Key::char('w')]);
    let form = app.form().expect("the 撤回申报 form");
    assert_eq!(form.title.get(Lang::Zh), "撤回申报");
    assert!(
        form.intro
            .as_deref()
            .unwrap_or_default()
            .contains("记录保留"),
        "{:?}",
        form.intro
    );
    // A reason is needed.
    press(&mut app, &[SAVE]);
    assert!(common::ui::refusal(&app).is_some());
    assert_eq!(
        registry.trainee(id).unwrap().unwrap().stage,
        TraineeStage::Applied
    );
    typed(&mut app, "重复申报，系同一学生");
    press(&mut app, &[SAVE]);
    saved(&app);
    let t = registry.trainee(id).unwrap().unwrap();
    assert_eq!(t.stage, TraineeStage::Retracted);
    let r = t.retraction.expect("the retraction is recorded");
    assert_eq!(r.reason, "重复申报，系同一学生");
    assert_eq!(r.from, TraineeStage::Applied);
    let newest = registry.audit_newest_first().next().unwrap().unwrap();
    assert_eq!(newest.command.describe(Lang::Zh), "撤回申报");
    // Once withdrawn, `w` says what it takes.
    let row = {
        let g = app.group().unwrap();
        g.data
            .trainees
            .iter()
            .position(|t| t.id == id)
            .expect("kept on the list")
    };
    common::ui::select_record(&mut app, row);
    press(&mut app, &[Key::char('w')]);
    assert!(app.form().is_none());
    let said = format!("{:?}", app.status());
    assert!(said.contains("录取前的申报可以撤回"), "{said}");
}

/// Issue 20: a form adding a step to a trainee (here a withdrawal) holds
/// none of the trainee's values: when someone else saved the trainee
/// meanwhile, the refusal says no field of the form changed and ctrl-r saves
/// against their version; if the step no longer applies, it says to reopen.
#[test]
fn a_step_form_on_a_trainee_saved_elsewhere_takes_their_version_or_says_to_reopen() {
    use qiangji::domain::TraineeStage;
    let (_dir, registry) = demo();
    let mut mine = app_as(&registry, Lang::Zh, "coordinator");
    let mut theirs = app_as(&registry, Lang::Zh, "coordinator-wang");
    // Both on the first enrolled math trainee.
    let mut id = 0;
    for app in [&mut mine, &mut theirs] {
        press(app, &[Key::char('1')]);
        let (row, at) = {
            let g = app.group().unwrap();
            let row = g
                .data
                .trainees
                .iter()
                .position(|t| t.stage == TraineeStage::Enrolled)
                .unwrap();
            (row, g.data.trainees[row].id)
        };
        common::ui::select_record(app, row);
        id = at;
    }
    press(&mut mine, &[Key::char('w')]);
    assert!(mine.form().is_some(), "{}", mine.screen_text());
    // There: the phone corrected, saved.
    press(
        &mut theirs,
        &[
            Key::char('e'),
            Key::plain(qiangji::tui::key::KeyCode::BackTab),
            Key::ctrl('u'),
        ],
    );
    typed(&mut theirs, "13900002222");
    press(&mut theirs, &[SAVE]);
    saved(&theirs);
    // Here: the withdrawal is refused, no field of it changed; ctrl-r, saved.
    press(&mut mine, &[SAVE]);
    let said = common::ui::refusal(&mine).expect("stale");
    assert!(
        said.contains("本表各项未变") && said.contains("ctrl-r"),
        "{said}"
    );
    press(&mut mine, &[Key::ctrl('r'), SAVE]);
    saved(&mine);
    let t = registry.trainee(id).unwrap().unwrap();
    assert_eq!(t.stage, TraineeStage::Withdrawn);
    assert_eq!(t.phone, "13900002222");
    // Both open the reinstatement; there it is saved first; here the step
    // no longer applies.
    press(&mut mine, &[Key::char('w')]);
    // There the data is read again (ctrl-r) before w.
    press(&mut theirs, &[Key::ctrl('r'), Key::char('w')]);
    for app in [&mut mine, &mut theirs] {
        assert!(app.form().is_some(), "{}", app.screen_text());
        // The reason, below the date.
        press(app, &[TAB]);
        typed(app, "复议后恢复");
    }
    press(&mut theirs, &[SAVE]);
    saved(&theirs);
    press(&mut mine, &[SAVE]);
    let said = common::ui::refusal(&mine).expect("stale");
    assert!(said.contains("重新打开"), "{said}");
    press(&mut mine, &[Key::ctrl('r')]);
    assert!(mine.form().is_some());
    assert_eq!(
        registry.trainee(id).unwrap().unwrap().stage,
        TraineeStage::Enrolled
    );
}

/// Issue 20: a field may stand for several of the registry's fields (a
/// session's 地点说明 is the room, the link or the other place's name): a
/// place elsewhere without its name focuses 地点说明, not the place choice
/// whose label is the registry's word for it.
#[test]
fn a_place_elsewhere_without_its_name_focuses_the_place_explanation() {
    let (_dir, registry) = demo();
    let mut app = app_as(&registry, Lang::Zh, "coordinator");
    press(&mut app, &[Key::char('1'), Key::char('['), Key::char('N')]);
    assert!(app.form().is_some(), "{}", app.screen_text());
    press(&mut app, &[TAB]);
    typed(&mut app, "外出参观");
    // On to the place (kind, topic, date, until, every, start, end, place):
    // the last option, elsewhere.
    for _ in 0..6 {
        press(&mut app, &[TAB]);
    }
    press(&mut app, &[Key::plain(qiangji::tui::key::KeyCode::Left)]);
    assert_eq!(app.form_value("地点").as_deref(), Some("< 其他地点 >"));
    press(&mut app, &[SAVE]);
    let said = common::ui::refusal(&app).expect("a place elsewhere needs its name");
    let form = app.form().unwrap();
    assert_eq!(form.fields[form.focus].label.0, "地点说明", "{said}");
    typed(&mut app, "青岛市科技馆");
    press(&mut app, &[SAVE]);
    saved(&app);
}

/// The group `key`'s tab `right` steps right of the trainees, its record
/// `row` selected, in a session of `login`.
fn on_record(
    registry: &std::sync::Arc<qiangji::registry::Registry>,
    login: &str,
    key: char,
    right: usize,
    row: impl Fn(&qiangji::tui::screens::group::GroupScreen) -> usize,
) -> App {
    let mut app = app_as(registry, Lang::Zh, login);
    press(&mut app, &[Key::char(key)]);
    for _ in 0..right {
        press(&mut app, &[RIGHT]);
    }
    let at = row(app.group().unwrap());
    common::ui::select_record(&mut app, at);
    app
}

/// Issue 20: the plan form open while someone else saves the plan: the
/// refusal names the part they changed (项目目标), not the one typed here
/// (经费安排); ctrl-r takes their goals and keeps the funding typed.
#[test]
fn a_stale_plan_form_names_their_change_and_ctrl_r_keeps_the_part_typed_here() {
    use qiangji::registry::Command;
    let (_dir, registry) = demo();
    let project = ProjectId::Chemistry;
    let row = |g: &qiangji::tui::screens::group::GroupScreen| {
        g.data.cycles.iter().position(|c| c.year == 2026).unwrap()
    };
    let mut mine = on_record(&registry, "coordinator", '3', 4, row);
    press(&mut mine, &[Key::char('e')]);
    assert!(mine.form().is_some(), "{}", mine.screen_text());
    // The funding, the last part, typed here.
    press(
        &mut mine,
        &[
            Key::plain(qiangji::tui::key::KeyCode::BackTab),
            Key::ctrl('u'),
        ],
    );
    typed(&mut mine, "经费由市教育局统筹");
    // There: the goals changed and saved.
    let c = registry.cycle(project, 2026).unwrap().unwrap();
    registry
        .apply_batch(
            &common::admin(),
            &[Command::SetPlan {
                project,
                year: 2026,
                version: Some(c.stamp.version),
                goals: "他人改的年度目标".into(),
                targets: c.targets.clone(),
                budget: c.budget.clone(),
                attainment: c.attainment.clone(),
                amendment: String::new(),
            }],
        )
        .unwrap();
    press(&mut mine, &[SAVE]);
    let said = common::ui::refusal(&mine).expect("a stale save is refused");
    assert!(
        said.contains("改动了：项目目标") && said.contains("ctrl-r"),
        "{said}"
    );
    assert!(!said.contains("经费安排"), "{said}");
    press(&mut mine, &[Key::ctrl('r')]);
    assert_eq!(
        mine.form_value("项目目标").as_deref(),
        Some("他人改的年度目标")
    );
    assert_eq!(
        mine.form_value("经费安排").as_deref(),
        Some("经费由市教育局统筹")
    );
    press(&mut mine, &[SAVE]);
    saved(&mine);
    let c = registry.cycle(project, 2026).unwrap().unwrap();
    assert_eq!(c.goals, "他人改的年度目标");
    assert_eq!(c.parts.funding, "经费由市教育局统筹");
}

/// Issue 20: the coach stage form open while someone else moves the same
/// appointment on: the refusal names the step offered (变更为), ctrl-r
/// offers the steps from their stage and keeps the date typed here.
#[test]
fn a_stale_coach_stage_form_offers_the_steps_from_their_stage_keeping_the_date() {
    use qiangji::domain::CoachStage;
    use qiangji::registry::Command;
    let (_dir, registry) = demo();
    let waiting = |g: &qiangji::tui::screens::group::GroupScreen| {
        g.data
            .coaches
            .iter()
            .position(|c| matches!(c.coach.stage, CoachStage::Nominated | CoachStage::Announced))
            .expect("a coach before filing")
    };
    // Physics has a nomination waiting for filing.
    let mut mine = on_record(&registry, "coordinator", '2', 1, waiting);
    let coach = {
        let g = mine.group().unwrap();
        g.data.coaches[waiting(g)].coach.clone()
    };
    press(&mut mine, &[Key::char('.')]);
    assert!(mine.form().is_some(), "{}", mine.screen_text());
    assert_eq!(mine.form_value("变更为").as_deref(), Some("< 已备案 >"));
    press(&mut mine, &[TAB, Key::ctrl('u')]);
    typed(&mut mine, "2026-11-20");
    // There: filed.
    registry
        .apply_batch(
            &common::admin(),
            &[Command::AdvanceCoach {
                id: coach.id,
                version: coach.stamp.version,
                to: CoachStage::Filed,
                date: chrono::NaiveDate::from_ymd_opt(2026, 11, 10).unwrap(),
                justification: Some("经研究同意备案".into()),
            }],
        )
        .unwrap();
    press(&mut mine, &[SAVE]);
    let said = common::ui::refusal(&mine).expect("a stale save is refused");
    assert!(
        said.contains("改动了：变更为") && said.contains("ctrl-r"),
        "{said}"
    );
    press(&mut mine, &[Key::ctrl('r')]);
    assert_eq!(mine.form_value("变更为").as_deref(), Some("< 在聘 >"));
    assert_eq!(mine.form_value("日期").as_deref(), Some("2026-11-20"));
    press(&mut mine, &[SAVE]);
    saved(&mine);
    let c = registry.coach(coach.id).unwrap().unwrap();
    assert_eq!(c.stage, CoachStage::Active);
}

/// Issue 20: the filing form open while someone else writes the plan's
/// attainment and files it: the refusal names the document and step, which
/// follow from what they filed; ctrl-r takes them (the report, submitted)
/// and keeps the date typed here.
#[test]
fn a_stale_filing_form_names_the_document_and_step_and_keeps_the_date() {
    use qiangji::domain::{Document, Filing};
    use qiangji::registry::Command;
    let (_dir, registry) = demo();
    let project = ProjectId::Chemistry;
    let row = |g: &qiangji::tui::screens::group::GroupScreen| {
        g.data.cycles.iter().position(|c| c.year == 2026).unwrap()
    };
    let mut mine = on_record(&registry, "coordinator", '3', 4, row);
    press(&mut mine, &[Key::char('.')]);
    assert!(mine.form().is_some(), "{}", mine.screen_text());
    assert_eq!(mine.form_value("文件").as_deref(), Some("< 年度实施方案 >"));
    press(&mut mine, &[TAB, TAB, Key::ctrl('u')]);
    typed(&mut mine, "2026-11-20");
    let c = registry.cycle(project, 2026).unwrap().unwrap();
    let d = |m, day| chrono::NaiveDate::from_ymd_opt(2026, m, day).unwrap();
    registry
        .apply_batch(
            &common::admin(),
            &[
                Command::SetPlan {
                    project,
                    year: 2026,
                    version: Some(c.stamp.version),
                    goals: c.goals.clone(),
                    targets: c.targets.clone(),
                    budget: c.budget.clone(),
                    attainment: "完成年度培养任务。".into(),
                    amendment: String::new(),
                },
                Command::RecordFiling {
                    project,
                    year: 2026,
                    document: Document::Plan,
                    date: d(11, 10),
                    filed: true,
                },
            ],
        )
        .unwrap();
    press(&mut mine, &[SAVE]);
    let said = common::ui::refusal(&mine).expect("a stale save is refused");
    assert!(
        said.contains("改动了：文件、登记") && said.contains("ctrl-r"),
        "{said}"
    );
    assert_eq!(
        registry.cycle(project, 2026).unwrap().unwrap().report,
        Filing::NotSubmitted
    );
    press(&mut mine, &[Key::ctrl('r')]);
    assert_eq!(mine.form_value("文件").as_deref(), Some("< 完成情况报告 >"));
    assert_eq!(mine.form_value("登记").as_deref(), Some("< 已提交 >"));
    assert_eq!(mine.form_value("日期").as_deref(), Some("2026-11-20"));
    press(&mut mine, &[SAVE]);
    saved(&mine);
    let c = registry.cycle(project, 2026).unwrap().unwrap();
    assert_eq!(c.report, Filing::Submitted(d(11, 20)));
}

/// Issue 20: cancelling a session someone else moved meanwhile: the form
/// holds none of the session's values, so the refusal says no field
/// changed; ctrl-r shows when it is now and cancels that, with the reason
/// typed here.
#[test]
fn a_stale_cancellation_takes_the_moved_session_keeping_the_reason() {
    use qiangji::domain::training::SessionStatus;
    use qiangji::registry::Command;
    let (_dir, registry) = demo();
    let mut mine = app_as(&registry, Lang::Zh, "coordinator");
    press(&mut mine, &[Key::char('1'), Key::char('[')]);
    // The next session ahead.
    press(&mut mine, &[common::ui::DOWN]);
    let s = {
        let g = mine.group().unwrap();
        g.data.sessions[g.table().current().unwrap()]
            .session
            .clone()
    };
    press(&mut mine, &[Key::char('x')]);
    assert!(mine.form().is_some(), "{}", mine.screen_text());
    press(&mut mine, &[TAB]);
    typed(&mut mine, "期末考试，停课");
    let moved = s.date + chrono::Duration::days(1);
    registry
        .apply_batch(
            &common::admin(),
            &[Command::MoveSession {
                id: s.id,
                version: s.stamp.version,
                date: moved,
                start: s.start,
                end: s.end,
                place: s.place.clone(),
            }],
        )
        .unwrap();
    press(&mut mine, &[SAVE]);
    let said = common::ui::refusal(&mine).expect("a stale save is refused");
    assert!(
        said.contains("本表各项未变") && said.contains("ctrl-r"),
        "{said}"
    );
    press(&mut mine, &[Key::ctrl('r')]);
    let intro = mine.form().unwrap().intro.clone().unwrap_or_default();
    assert!(intro.contains(&moved.to_string()), "{intro}");
    assert_eq!(
        mine.form_value("取消原因").as_deref(),
        Some("期末考试，停课")
    );
    press(&mut mine, &[SAVE]);
    saved(&mine);
    let after = registry.session(s.id).unwrap().unwrap();
    assert_eq!(after.date, moved);
    match after.status {
        SessionStatus::Cancelled { reason, .. } => assert_eq!(reason, "期末考试，停课"),
        other => panic!("{other:?}"),
    }
}

/// Issue 20: the school decision form open while someone else decides the
/// same application (a school changes only by its decision, so a stale
/// decision is always this): the refusal says what they decided and that
/// nothing is left to save, rather than to reopen the form; a cancellation
/// of a session cancelled meanwhile says when and why.
#[test]
fn a_decision_or_cancellation_overtaken_elsewhere_says_what_was_decided() {
    use qiangji::domain::training::SessionStatus;
    let (_dir, registry) = demo();
    let pending = |g: &qiangji::tui::screens::group::GroupScreen| {
        g.data
            .schools
            .iter()
            .position(|s| s.stage == SchoolStage::Applied)
            .expect("the pending application")
    };
    let mut mine = on_record(&registry, "coordinator", '3', 2, pending);
    let mut theirs = on_record(&registry, "coordinator-wang", '3', 2, pending);
    let id = {
        let g = mine.group().unwrap();
        g.data.schools[pending(g)].id
    };
    for app in [&mut mine, &mut theirs] {
        press(app, &[Key::char('.')]);
        assert!(app.form().is_some(), "{}", app.screen_text());
    }
    press(&mut mine, &[TAB]);
    typed(&mut mine, "同意");
    press(&mut theirs, &[SAVE]);
    saved(&theirs);
    press(&mut mine, &[SAVE]);
    let said = common::ui::refusal(&mine).expect("a stale save is refused");
    assert!(
        said.contains("coordinator-wang") && said.contains("此申报已审批，已批准"),
        "{said}"
    );
    assert!(!said.contains("重新打开"), "{said}");
    let school = registry.school(id).unwrap().unwrap();
    assert_eq!(school.stage, SchoolStage::Approved);
    assert_eq!(school.decision_note, "");

    // A session cancelled there while its cancellation is open here.
    let mut mine = app_as(&registry, Lang::Zh, "coordinator");
    let mut theirs = app_as(&registry, Lang::Zh, "coordinator-wang");
    for app in [&mut mine, &mut theirs] {
        press(
            app,
            &[
                Key::char('1'),
                Key::char('['),
                common::ui::DOWN,
                Key::char('x'),
            ],
        );
        assert!(app.form().is_some(), "{}", app.screen_text());
        press(app, &[TAB]);
    }
    typed(&mut theirs, "期末考试，停课");
    press(&mut theirs, &[SAVE]);
    saved(&theirs);
    typed(&mut mine, "场地检修");
    press(&mut mine, &[SAVE]);
    let said = common::ui::refusal(&mine).expect("a stale save is refused");
    assert!(
        said.contains("取消（期末考试，停课）") && !said.contains("重新打开"),
        "{said}"
    );
    let cancelled = registry
        .sessions(ProjectId::Math)
        .unwrap()
        .into_iter()
        .filter(|s| matches!(&s.status, SessionStatus::Cancelled { reason, .. } if reason == "期末考试，停课"))
        .count();
    assert_eq!(cancelled, 1);
}
