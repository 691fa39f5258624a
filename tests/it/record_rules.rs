//! Issue 11, "a coordinator's first day": the registry rules a new user found
//! could be bypassed. Dates that cannot cheat the announcement, a chief
//! coach's announcement period, duplicate warnings, filed plans changed only
//! by amendment, a report that needs its attainment, a reinstatement that
//! needs its reason. Today is Monday 2026-11-30 (the fixed clock).

use crate::common;

use common::*;

use qiangji::domain::{
    Account, CoachRole, CoachStage, Money, ProjectId, TraineeKind, TraineeStage,
};
use qiangji::i18n::{Lang, Localized};
use qiangji::registry::{Command, Movement, RegistryError, Warning};

use ProjectId::Math;
use TraineeKind::Student;

fn announce(id: u64, version: u32, start: &str) -> Command {
    Command::Announce {
        id,
        version,
        start: d(start),
        working_days: 5,
    }
}

fn file(id: u64, version: u32, date: &str) -> Command {
    Command::File {
        id,
        version,
        date: d(date),
    }
}

/// A selected trainee (selected on 2026-09-10) announced from 2026-11-26:
/// five working days run until 2026-12-02.
fn announced_now(reg: &qiangji::registry::Registry, name: &str) -> u64 {
    let id = trainee_at(reg, Student, Math, name, TraineeStage::Selected);
    ok(reg, &admin(), announce(id, tv(reg, id), "2026-11-26"));
    id
}

#[test]
fn filing_with_a_future_date_during_the_announcement_is_refused() {
    let (_dir, reg) = open();
    let id = announced_now(&reg, "陈磊杰");
    // Dated after the announcement, but that day has not come yet.
    let e = refused(reg.apply(&admin(), file(id, tv(&reg, id), "2026-12-09")));
    assert_matches!(e, RegistryError::Date(_));
    assert_says(
        &e,
        &["备案日期", "2026-12-09", "不晚于今天"],
        &["filing date", "2026-12-09", "not after today"],
    );
    // Dated today, the announcement is still running.
    let e = refused(reg.apply(&admin(), file(id, tv(&reg, id), "2026-11-30")));
    assert_matches!(e, RegistryError::AnnouncementNotOver { .. });
    assert_eq!(trainee(&reg, id).stage, TraineeStage::Announced);
    assert_consistent(&reg);
}

#[test]
fn an_announcement_cannot_start_before_its_selection_or_in_the_future() {
    let (_dir, reg) = open();
    let id = trainee_at(&reg, Student, Math, "李倒签", TraineeStage::Selected);
    // Selected on 2026-09-10: a start before it would shorten nothing but
    // the truth.
    let e = refused(reg.apply(&admin(), announce(id, tv(&reg, id), "2026-09-01")));
    assert_matches!(e, RegistryError::Date(_));
    assert_says(
        &e,
        &["公示开始", "2026-09-10", "不早于上一步"],
        &[
            "announcement start",
            "2026-09-10",
            "not before the previous step",
        ],
    );
    let e = refused(reg.apply(&admin(), announce(id, tv(&reg, id), "2026-12-07")));
    assert_matches!(e, RegistryError::Date(_));
    assert_eq!(trainee(&reg, id).stage, TraineeStage::Selected);

    // Any step dated before the one it follows is refused the same way.
    let a = trainee_at(&reg, Student, Math, "王倒序", TraineeStage::Applied);
    let mut v = tv(&reg, a);
    for teacher in RECOMMENDERS {
        ok(
            &reg,
            &admin(),
            Command::AddRecommender {
                id: a,
                version: v,
                teacher: teacher.into(),
            },
        );
        v += 1;
    }
    let e = refused(reg.apply(
        &admin(),
        Command::Recommend {
            id: a,
            version: v,
            date: d("2026-08-31"),
        },
    ));
    assert_matches!(e, RegistryError::Date(_));
    // An application dated in the future is refused too.
    let mut future = application(Student, "赵未来", Math);
    future.date = d("2026-12-01");
    let e = refused(reg.apply(&admin(), Command::Apply(future)));
    assert_matches!(e, RegistryError::Date(_));
    assert_consistent(&reg);
}

#[test]
fn an_objection_is_resolved_after_it_was_raised_and_not_ahead_of_time() {
    let (_dir, reg) = open();
    let id = announced_now(&reg, "孙异议");
    // Raised in the future: refused.
    let e = refused(reg.apply(
        &admin(),
        objection(&reg, id, "2026-12-01", "推荐材料待核实"),
    ));
    assert_matches!(e, RegistryError::Date(_));
    ok(
        &reg,
        &admin(),
        objection(&reg, id, "2026-11-27", "推荐材料待核实"),
    );
    let resolve = |date: &str| Command::ResolveObjection {
        id,
        version: tv(&reg, id),
        index: 0,
        date: d(date),
        resolution: "经核实属实".into(),
    };
    let e = refused(reg.apply(&admin(), resolve("2026-11-26")));
    assert_says(
        &e,
        &["处理日期", "2026-11-27", "不早于异议提出之日"],
        &[
            "resolution date",
            "2026-11-27",
            "not before the objection was raised",
        ],
    );
    let e = refused(reg.apply(&admin(), resolve("2026-12-02")));
    assert_matches!(e, RegistryError::Date(_));
    ok(&reg, &admin(), resolve("2026-11-30"));
    assert_eq!(trainee(&reg, id).open_objections(), 0);
    assert_consistent(&reg);
}

#[test]
fn a_chief_coach_is_announced_for_a_full_period_before_filing() {
    let (_dir, reg) = open();
    let c = nominee(&reg, "王首席", Math, CoachRole::Chief);
    ok(
        &reg,
        &admin(),
        advance_on(c, 1, CoachStage::Announced, "2026-09-14"),
    );
    // Announced and filed the same day: refused, naming the period's end.
    let e = refused(reg.apply(&admin(), advance_on(c, 2, CoachStage::Filed, "2026-09-14")));
    assert_matches!(e, RegistryError::AnnouncementNotOver { .. });
    assert_says(&e, &["2026-09-18", "2026-09-19"], &["2026-09-18"]);
    // Not before the announcement, nor in the future.
    let e = refused(reg.apply(&admin(), advance_on(c, 2, CoachStage::Filed, "2026-12-01")));
    assert_matches!(e, RegistryError::Date(_));
    ok(
        &reg,
        &admin(),
        advance_on(c, 2, CoachStage::Filed, "2026-09-21"),
    );
    assert_eq!(reg.coach(c).unwrap().unwrap().stage, CoachStage::Filed);
    assert_consistent(&reg);
}

#[test]
fn a_reinstatement_needs_a_reason_which_is_kept() {
    let (_dir, reg) = open();
    let id = trainee_at(&reg, Student, Math, "周恢复", TraineeStage::Enrolled);
    ok(
        &reg,
        &admin(),
        Command::Withdraw {
            id,
            version: tv(&reg, id),
            date: d("2026-11-20"),
            reason: qiangji::domain::WithdrawalReason::OwnRequest,
            returned_to_home_school: true,
        },
    );
    let reinstate = |reason: &str| Command::Reinstate {
        id,
        version: tv(&reg, id),
        date: d("2026-11-27"),
        reason: reason.into(),
    };
    let e = refused(reg.apply(&admin(), reinstate("   ")));
    assert_matches!(e, RegistryError::Text(_));
    assert_says(&e, &["恢复原因"], &["reason"]);
    ok(&reg, &admin(), reinstate("家长撤回退出申请"));
    let t = trainee(&reg, id);
    assert_eq!(t.stage, TraineeStage::Enrolled);
    assert_eq!(
        t.withdrawals[0].reinstatement_reason.as_deref(),
        Some("家长撤回退出申请")
    );
    assert_consistent(&reg);
}

#[test]
fn a_second_applicant_with_the_same_name_and_school_is_warned_not_refused() {
    let (_dir, reg) = open();
    let first = trainee_at(&reg, Student, Math, "陈磊杰", TraineeStage::Enrolled);
    let event = ok(
        &reg,
        &admin(),
        Command::Apply(application(Student, "陈磊杰", ProjectId::Physics)),
    );
    assert_ne!(event.id, first, "the application is recorded");
    match event.warnings.as_slice() {
        [Warning::SameTrainee { existing, .. }] => assert_eq!(*existing, first),
        other => panic!("expected one warning naming {first}, got {other:?}"),
    }
    let w = &event.warnings[0];
    assert!(
        w.localized(Lang::Zh)
            .contains("已有同名同校学员 陈磊杰（青岛第二中学，数学组，培养中"),
        "{}",
        w.localized(Lang::Zh)
    );
    assert!(w.localized(Lang::En).contains("陈磊杰 of 青岛第二中学"));
    // Another school and phone: no warning.
    let mut other = application(Student, "陈磊杰", Math);
    other.home_school = "青岛第五十八中学".into();
    other.phone = "13900009999".into();
    assert!(
        ok(&reg, &admin(), Command::Apply(other.clone()))
            .warnings
            .is_empty()
    );
    // Another name and school with a recorded phone: warned, naming the
    // trainee whose phone it is.
    let mut phone = application(Student, "刘洋", Math);
    phone.home_school = "青岛第九中学".into();
    phone.phone = other.phone.clone();
    let event = ok(&reg, &admin(), Command::Apply(phone));
    match event.warnings.as_slice() {
        [w @ Warning::SamePhone { name, .. }] => {
            assert_eq!(name, "陈磊杰");
            assert!(
                w.localized(Lang::Zh)
                    .contains("联系电话与已有学员 陈磊杰（青岛第五十八中学"),
                "{}",
                w.localized(Lang::Zh)
            );
        }
        other => panic!("expected the phone's warning, got {other:?}"),
    }
    assert_consistent(&reg);
}

#[test]
fn a_voucher_used_twice_in_an_account_and_year_is_warned_not_refused() {
    let (_dir, reg) = open();
    let daily = Account::daily(Math, 2026);
    let with_voucher = |account: Account, amount: i64, voucher: &str| {
        let mut c = entry(account, Movement::Allocation, Money(amount));
        if let Command::AddEntry { voucher: v, .. } = &mut c {
            *v = voucher.into();
        }
        c
    };
    let first = ok(
        &reg,
        &admin(),
        with_voucher(daily, 100_000, "数记-2026-001"),
    )
    .id;
    let again = ok(&reg, &admin(), with_voucher(daily, 20_000, "数记-2026-001"));
    match again.warnings.as_slice() {
        [Warning::SameVoucher { existing, .. }] => assert_eq!(*existing, first),
        other => panic!("expected one warning naming entry {first}, got {other:?}"),
    }
    let zh = again.warnings[0].localized(Lang::Zh);
    assert!(
        zh.contains("数记-2026-001") && zh.contains("¥1,000.00"),
        "{zh}"
    );
    // The same number in another year's account, or a new number: none.
    let next_year = Account::daily(Math, 2025);
    assert!(
        ok(
            &reg,
            &admin(),
            with_voucher(next_year, 100, "数记-2026-001")
        )
        .warnings
        .is_empty()
    );
    assert!(
        ok(&reg, &admin(), with_voucher(daily, 100, "数记-2026-002"))
            .warnings
            .is_empty()
    );
    assert_consistent(&reg);
}

#[test]
fn a_phone_number_of_three_digits_is_refused() {
    let (_dir, reg) = open();
    let mut a = application(Student, "钱电话", Math);
    a.phone = "123".into();
    let e = refused(reg.apply(&admin(), Command::Apply(a)));
    assert_matches!(e, RegistryError::Phone(_));
}

fn set_plan(
    year: i32,
    version: Option<u32>,
    goals: &str,
    attainment: &str,
    amendment: &str,
) -> Command {
    Command::SetPlan {
        project: Math,
        year,
        version,
        goals: goals.into(),
        targets: vec![qiangji::domain::Target {
            name: "省赛一等奖人数".into(),
            goal: 5,
            attained: None,
        }],
        budget: vec![("课酬".into(), Money::from_yuan(120_000))],
        attainment: attainment.into(),
        amendment: amendment.into(),
    }
}

fn filing(year: i32, document: qiangji::domain::Document, date: &str, filed: bool) -> Command {
    Command::RecordFiling {
        project: Math,
        year,
        document,
        date: d(date),
        filed,
    }
}

#[test]
fn a_filed_plan_changes_only_by_a_recorded_amendment() {
    use qiangji::domain::Document::Plan;
    let (_dir, reg) = open();
    ok(&reg, &admin(), set_plan(2026, None, "稳定规模", "", ""));
    ok(&reg, &admin(), filing(2026, Plan, "2026-01-20", false));
    ok(&reg, &admin(), filing(2026, Plan, "2026-01-25", true));
    let v = reg.cycle(Math, 2026).unwrap().unwrap().stamp.version;
    let e = refused(reg.apply(&admin(), set_plan(2026, Some(v), "扩大规模", "", "")));
    assert_matches!(e, RegistryError::FiledDocument { .. });
    assert_says(&e, &["已备案", "修订"], &["filed", "amendment"]);
    // The year is said once: 2026 年度, never 2026 年年度.
    let zh = e.localized(Lang::Zh);
    assert!(
        zh.contains("2026 年度实施方案") && !zh.contains("年年度"),
        "{zh}"
    );
    assert_eq!(reg.cycle(Math, 2026).unwrap().unwrap().goals, "稳定规模");
    // The attainment is the report's, written after the plan was filed.
    ok(
        &reg,
        &admin(),
        set_plan(2026, Some(v), "稳定规模", "完成", ""),
    );
    // With an amendment the plan changes, and the audit trail keeps why.
    let event = ok(
        &reg,
        &admin(),
        set_plan(2026, Some(v + 1), "扩大规模", "完成", "教育局同意增加名额"),
    );
    assert_eq!(reg.cycle(Math, 2026).unwrap().unwrap().goals, "扩大规模");
    let entry = reg.audit_entry(event.audit_id).unwrap().unwrap();
    assert!(
        matches!(&entry.command, Command::SetPlan { amendment, .. } if amendment == "教育局同意增加名额")
    );
    assert_consistent(&reg);
}

#[test]
fn a_report_is_submitted_only_with_its_attainment() {
    use qiangji::domain::Document::Report;
    let (_dir, reg) = open();
    ok(&reg, &admin(), set_plan(2026, None, "稳定规模", "", ""));
    let e = refused(reg.apply(&admin(), filing(2026, Report, "2026-11-25", false)));
    assert_matches!(e, RegistryError::NeedAttainment { .. });
    assert_says(
        &e,
        &["完成情况", "数学组"],
        &["attainment", "Mathematics group"],
    );
    ok(
        &reg,
        &admin(),
        set_plan(2026, Some(1), "稳定规模", "完成年度任务", ""),
    );
    ok(&reg, &admin(), filing(2026, Report, "2026-11-25", false));
    assert_consistent(&reg);
}

#[test]
fn a_semester_counts_every_result_including_those_of_trainees_withdrawn_since() {
    use qiangji::domain::{Outcome, Semester, Term, WithdrawalReason};
    use qiangji::tui::screens::AssessmentScreen;
    let (_dir, reg) = open();
    let ids = trainees_at(&reg, Student, Math, "学生", 4, TraineeStage::Enrolled);
    let autumn = Semester::new(2026, Term::First);
    for (i, &id) in ids.iter().enumerate().take(3) {
        ok(
            &reg,
            &admin(),
            Command::RecordAssessment {
                trainee: id,
                semester: autumn,
                outcome: if i == 0 { Outcome::Fail } else { Outcome::Pass },
                score: None,
                note: String::new(),
                date: d("2026-11-27"),
            },
        );
    }
    ok(
        &reg,
        &admin(),
        Command::Withdraw {
            id: ids[0],
            version: tv(&reg, ids[0]),
            date: d("2026-11-30"),
            reason: WithdrawalReason::FailedAssessment,
            returned_to_home_school: true,
        },
    );
    // Done: three results; due: the three enrolled plus the one withdrawn
    // after failing.
    assert_eq!(reg.semester_progress(Math, autumn).unwrap(), (3, 4));
    let coordinator = qiangji::domain::Actor::admin("coordinator");
    let reader = reg.reader(&coordinator);
    let mut s = AssessmentScreen::open(&reader, Some(Math), autumn, d("2026-11-30")).unwrap();
    assert_eq!((s.done(), s.rows.len()), (3, 4));
    s.finish();
    let summary = s.summary.as_ref().unwrap();
    assert_eq!((summary.passed, summary.failed, summary.missing), (2, 1, 1));
    assert!(
        summary.queue[0].withdrawn,
        "the failed one is shown withdrawn"
    );
    // The overview shows the same pair.
    let o = qiangji::tui::model::overview(&reader).unwrap();
    let math = o.groups.iter().find(|g| g.project == Math).unwrap();
    assert_eq!((math.assessed, math.due), (3, 4));
}

#[test]
fn a_trainees_details_are_corrected_checked_and_audited_with_what_they_were() {
    let (_dir, reg) = open();
    let id = trainee_at(&reg, Student, Math, "陈思远", TraineeStage::Enrolled);
    let edit = |name: &str, district: &str, phone: &str| Command::UpdateTrainee {
        id,
        version: tv(&reg, id),
        details: qiangji::registry::TraineeDetails {
            name: name.into(),
            gender: qiangji::domain::Gender::Female,
            home_school: "青岛第二中学".into(),
            district: district.into(),
            grade: "高二".into(),
            phone: phone.into(),
        },
    };
    let e = refused(reg.apply(&admin(), edit("陈思远", "火星区", "13812345678")));
    assert_matches!(e, RegistryError::NotDistrict { .. });
    let e = refused(reg.apply(&admin(), edit("陈思远", "市南区", "123")));
    assert_matches!(e, RegistryError::Phone(_));
    let e = refused(reg.apply(&admin(), edit("  ", "市南区", "13812345678")));
    assert_matches!(e, RegistryError::Text(_));
    ok(&reg, &admin(), edit("陈思源", "市南区", "13812345678"));
    let t = trainee(&reg, id);
    assert_eq!((t.name.as_str(), t.district.as_str()), ("陈思源", "市南区"));
    let newest = reg.audit_newest_first().next().unwrap().unwrap();
    match newest.before {
        Some(qiangji::registry::Snapshot::Trainee(before)) => assert_eq!(before.name, "陈思远"),
        other => panic!("the record as it was is kept: {other:?}"),
    }
    assert_consistent(&reg);
}

/// Issue 20: `e` corrects the application too. Its recommending teachers
/// and the date applied change by a command of their own
/// (`CorrectApplication`), checked, audited with the trainee as it was, and
/// undone by `u`; TraineeDetails keeps its shape.
#[test]
fn an_applications_recommenders_and_date_are_corrected_checked_audited_and_undone() {
    let (_dir, reg) = open();
    let id = trainee_at(&reg, Student, Math, "陈思远", TraineeStage::Recommended);
    let t = trainee(&reg, id);
    assert_eq!(t.history[0].stage, TraineeStage::Applied);
    let (applied, recommended) = (t.history[0].date, t.history[1].date);
    assert!(applied < recommended, "{:?}", t.history);
    let correct = |teachers: &[&str], on: chrono::NaiveDate| Command::CorrectApplication {
        id,
        version: tv(&reg, id),
        recommenders: teachers.iter().map(|s| s.to_string()).collect(),
        applied_on: on,
    };
    // Past the school's recommendation, a student keeps two teachers.
    let e = refused(reg.apply(&admin(), correct(&["张明老师"], applied)));
    assert_matches!(e, RegistryError::NeedRecommenders { have: 1, need: 2 });
    let e = refused(reg.apply(&admin(), correct(&["张明老师", " 张明老师 "], applied)));
    assert_matches!(e, RegistryError::DuplicateRecommender { .. });
    // Not after the recommendation that followed it: the range is said.
    let late = recommended.succ_opt().unwrap();
    let e = refused(reg.apply(&admin(), correct(&["张明老师", "李红老师"], late)));
    assert_matches!(e, RegistryError::Date(_));
    assert_says(
        &e,
        &["申报日期", &late.to_string(), &recommended.to_string()],
        &["date applied", &late.to_string(), &recommended.to_string()],
    );
    assert_eq!(
        e.field(),
        Some(qiangji::domain::field::Field::ApplicationDate)
    );
    // A coach may not correct it; the chief of the group may.
    let coach = actor("li", qiangji::domain::Role::Coach(Math));
    let e = refused(reg.apply(&coach, correct(&["张明老师", "李红老师"], applied)));
    assert_matches!(e, RegistryError::Forbidden { .. });
    let before = trainee(&reg, id);
    let new_date = d("2026-08-28");
    let chief = actor("wang", qiangji::domain::Role::ChiefCoach(Math));
    ok(&reg, &chief, correct(&["张明老师", "李红老师"], new_date));
    let t = trainee(&reg, id);
    assert_eq!(t.recommenders, ["张明老师", "李红老师"]);
    assert_eq!(t.history[0].date, new_date);
    assert_eq!(t.history[1], before.history[1], "the later steps stay");
    assert_eq!(
        (t.name.as_str(), t.phone.as_str()),
        (before.name.as_str(), before.phone.as_str())
    );
    // Audited with the trainee as it was, and with its words.
    let newest = reg.audit_newest_first().next().unwrap().unwrap();
    assert_eq!(newest.command.describe(Lang::Zh), "更正申报信息");
    assert_eq!(newest.command.describe(Lang::En), "correct applications");
    match &newest.before {
        Some(qiangji::registry::Snapshot::Trainee(b)) => {
            assert_eq!(b.recommenders, before.recommenders);
            assert_eq!(b.history[0].date, applied);
        }
        other => panic!("the record as it was is kept: {other:?}"),
    }
    // Undone: the teachers and the date as they were.
    let inverse = reg.inverse(newest.id, reg.today()).unwrap();
    ok(&reg, &admin(), inverse);
    let t = trainee(&reg, id);
    assert_eq!(t.recommenders, before.recommenders);
    assert_eq!(t.history[0].date, applied);
    // Still applied: one teacher is enough to correct to, none is too.
    let fresh = trainee_at(&reg, Student, Math, "王小明", TraineeStage::Applied);
    let one = Command::CorrectApplication {
        id: fresh,
        version: tv(&reg, fresh),
        recommenders: vec!["张明老师".into()],
        applied_on: d("2026-09-01"),
    };
    ok(&reg, &admin(), one);
    let e = refused(reg.apply(
        &admin(),
        Command::CorrectApplication {
            id: fresh,
            version: tv(&reg, fresh),
            recommenders: vec![],
            applied_on: d("2026-12-01"),
        },
    ));
    assert_says(&e, &["不晚于今天"], &["not after today"]);
    assert_consistent(&reg);
}

#[test]
fn a_person_and_their_nomination_are_saved_together_or_not_at_all() {
    use qiangji::registry::command::ADDED_IN_BATCH;
    let (_dir, reg) = open();
    let nominate = |years: i32| Command::Nominate {
        date: d("2026-06-01"),
        person: ADDED_IN_BATCH,
        project: Math,
        role: CoachRole::Coach,
        term_start: d("2026-09-01"),
        term_years: years,
    };
    let person = || Command::AddPerson(common::person("周老师", Math, CoachRole::Coach));
    // A coach may not serve 3 years: refused, and the person goes too.
    let e = reg
        .apply_batch(&admin(), &[person(), nominate(3)])
        .unwrap_err();
    assert_eq!(e.index, 1);
    assert_matches!(e.error, RegistryError::BadTerm { .. });
    assert_eq!(reg.people().count(), 0);
    let events = reg.apply_batch(&admin(), &[person(), nominate(2)]).unwrap();
    let coach = reg.coach(events[1].id).unwrap().unwrap();
    assert_eq!(coach.person_id, events[0].id);
    // The audit trail keeps the real person, not the placeholder.
    let newest = reg.audit_newest_first().next().unwrap().unwrap();
    assert_matches!(newest.command, Command::Nominate { person, .. } if person == events[0].id);
    assert_consistent(&reg);
}
