//! Training (issue 19): sessions and series, double bookings, classes,
//! attendance (resumable after kill -9), coaches' development, the plan's
//! parts, 撤回申报 (issue 20), and the schedule's iCalendar export.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Command as Process, Stdio};
use std::time::{Duration, Instant};

use chrono::{Datelike, NaiveTime, Weekday};

use qiangji::domain::training::{DevelopmentKind, Mark, Place, SessionKind, SessionStatus};
use qiangji::domain::{
    CoachRole, Document, PlanParts, ProjectId, Role, Semester, Term, TraineeKind, TraineeStage,
    WithdrawalReason,
};
use qiangji::i18n::{Lang, Localized};
use qiangji::registry::{Command, RecordKind, Registry, RegistryError, Warning};
use qiangji::store::Tree;

use crate::common::*;

const MATH: ProjectId = ProjectId::Math;

fn t(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap()
}

/// A group with a base school, a chief and a coach, and `n` enrolled
/// students at the school: (school, chief, coach, trainees).
fn group(reg: &Registry, n: usize) -> (u64, u64, u64, Vec<u64>) {
    let school = school(reg, "青岛二中", vec![MATH], true);
    let chief = active_coach(reg, "王海峰", MATH, CoachRole::Chief);
    let coach = active_coach(reg, "李老师", MATH, CoachRole::Coach);
    let ids = trainees_at(
        reg,
        TraineeKind::Student,
        MATH,
        "学员",
        n,
        TraineeStage::Enrolled,
    );
    (school, chief, coach, ids)
}

fn plan(school: u64, coaches: Vec<u64>, date: &str, until: Option<&str>, topic: &str) -> Command {
    Command::PlanSessions {
        project: MATH,
        kind: SessionKind::Course,
        date: d(date),
        until: until.map(d),
        every_days: 7,
        start: t(8, 30),
        end: t(11, 30),
        place: Place::School {
            school,
            room: "101".into(),
        },
        topic: topic.into(),
        coaches,
        class: None,
    }
}

#[test]
fn a_saturday_series_skips_the_holidays_and_one_session_moves_or_is_cancelled_alone() {
    let (_dir, reg) = open();
    let (school, chief, _, _) = group(&reg, 0);
    let e = ok(
        &reg,
        &admin(),
        plan(
            school,
            vec![chief],
            "2026-09-12",
            Some("2027-01-16"),
            "数学专题",
        ),
    );
    let sessions = reg.sessions(MATH).unwrap();
    assert!(sessions.iter().all(|s| s.series == Some(e.id)));
    assert!(sessions.iter().all(|s| s.date.weekday() == Weekday::Sat));
    let days: Vec<_> = sessions.iter().map(|s| s.date).collect();
    // 国庆 (2026-10-01 to 10-07) takes 3 October; New Year's Day holiday
    // (2027-01-01 to 01-03, provisional) takes 2 January.
    assert!(!days.contains(&d("2026-10-03")), "{days:?}");
    assert!(days.contains(&d("2026-10-10")));
    assert_eq!(days.first(), Some(&d("2026-09-12")));
    assert_eq!(days.last(), Some(&d("2027-01-16")));
    let ids: std::collections::HashSet<u64> = sessions.iter().map(|s| s.id).collect();
    assert_eq!(ids.len(), sessions.len(), "every session its own id");

    // One moved to Sunday, another cancelled: the others stay as planned.
    let moved = &sessions[3];
    ok(
        &reg,
        &admin(),
        Command::MoveSession {
            id: moved.id,
            version: 1,
            date: moved.date.succ_opt().unwrap(),
            start: t(14, 0),
            end: t(17, 0),
            place: moved.place.clone(),
        },
    );
    let cancelled = &sessions[4];
    ok(
        &reg,
        &admin(),
        Command::CancelSession {
            id: cancelled.id,
            version: 1,
            date: d("2026-10-20"),
            reason: "期中考试".into(),
        },
    );
    let after = reg.sessions(MATH).unwrap();
    let by_id = |id: u64| after.iter().find(|s| s.id == id).unwrap();
    assert_eq!(by_id(moved.id).date.weekday(), Weekday::Sun);
    assert_eq!(by_id(moved.id).start, t(14, 0));
    assert!(matches!(
        &by_id(cancelled.id).status,
        SessionStatus::Cancelled { reason, .. } if reason == "期中考试"
    ));
    let untouched = after
        .iter()
        .filter(|s| s.id != moved.id && s.id != cancelled.id)
        .all(|s| s.status == SessionStatus::Planned && s.start == t(8, 30) && s.stamp.version == 1);
    assert!(untouched);
    // A cancelled session is not moved.
    let e = refused(reg.apply(
        &admin(),
        Command::MoveSession {
            id: cancelled.id,
            version: 2,
            date: d("2026-10-25"),
            start: t(8, 30),
            end: t(9, 30),
            place: cancelled.place.clone(),
        },
    ));
    assert_says(&e, &["已取消"], &["cancelled"]);
    // Ends before it starts: refused in both languages.
    let mut bad = plan(school, vec![], "2026-12-01", None, "x");
    if let Command::PlanSessions { start, end, .. } = &mut bad {
        *start = t(10, 0);
        *end = t(9, 0);
    }
    let e = refused(reg.apply(&admin(), bad));
    assert_says(&e, &["结束时间"], &["end after it starts"]);
    assert_consistent(&reg);
}

#[test]
fn a_coachs_or_a_rooms_double_booking_warns_naming_the_other_session() {
    let (_dir, reg) = open();
    let (school, chief, coach, _) = group(&reg, 0);
    ok(
        &reg,
        &admin(),
        plan(school, vec![chief], "2026-12-05", None, "数论专题"),
    );
    // The same coach elsewhere at an overlapping time.
    let mut other = plan(school, vec![chief, coach], "2026-12-05", None, "组合专题");
    if let Command::PlanSessions { place, start, .. } = &mut other {
        *place = Place::Other {
            name: "市实验中学".into(),
        };
        *start = t(10, 0);
    }
    let e = ok(&reg, &admin(), other);
    assert_eq!(e.warnings.len(), 1, "{:?}", e.warnings);
    let w = &e.warnings[0];
    assert!(
        matches!(w, Warning::CoachBusy { coach, topic, .. } if coach == "王海峰" && topic == "数论专题")
    );
    assert!(
        w.localized(Lang::Zh).contains("数论专题"),
        "{}",
        w.localized(Lang::Zh)
    );
    assert!(w.localized(Lang::En).contains("数论专题"));
    // The same room with another coach: the place is busy.
    let e = ok(
        &reg,
        &admin(),
        plan(school, vec![coach], "2026-12-05", None, "几何专题"),
    );
    assert!(
        e.warnings
            .iter()
            .any(|w| matches!(w, Warning::PlaceBusy { topic, .. } if topic == "数论专题")),
        "{:?}",
        e.warnings
    );
    // Another day: nothing to say.
    let e = ok(
        &reg,
        &admin(),
        plan(school, vec![chief], "2026-12-12", None, "代数专题"),
    );
    assert!(e.warnings.is_empty(), "{:?}", e.warnings);
}

#[test]
fn a_trainee_is_in_one_class_of_a_group_at_a_time_and_only_when_enrolled() {
    let (_dir, reg) = open();
    let (school, _, _, ids) = group(&reg, 3);
    let a = ok(
        &reg,
        &admin(),
        Command::AddClass {
            project: MATH,
            school,
            name: "数学1班".into(),
        },
    )
    .id;
    let b = ok(
        &reg,
        &admin(),
        Command::AddClass {
            project: MATH,
            school,
            name: "数学2班".into(),
        },
    )
    .id;
    let place = |class, trainee| Command::PlaceInClass {
        class,
        trainee,
        date: d("2026-10-01"),
    };
    ok(&reg, &admin(), place(a, ids[0]));
    let e = refused(reg.apply(&admin(), place(b, ids[0])));
    assert_says(&e, &["数学1班", "一个班级"], &["数学1班", "one class"]);
    // Taken out of the first, placed in the second: the history keeps both.
    ok(
        &reg,
        &admin(),
        Command::LeaveClass {
            class: a,
            trainee: ids[0],
            date: d("2026-11-01"),
        },
    );
    ok(&reg, &admin(), place(b, ids[0]));
    let first = reg.class(a).unwrap().unwrap();
    assert_eq!(first.members.len(), 1);
    assert_eq!(first.members[0].left, Some(d("2026-11-01")));
    assert_eq!(first.on(d("2026-10-15")), vec![ids[0]]);
    assert!(first.current().next().is_none());
    assert_eq!(reg.class_of(&trainee(&reg, ids[0])).unwrap().unwrap().id, b);
    // An applicant is not placed.
    let applicant = trainee_at(
        &reg,
        TraineeKind::Student,
        MATH,
        "申报者",
        TraineeStage::Applied,
    );
    let e = refused(reg.apply(&admin(), place(a, applicant)));
    assert_says(&e, &["不在培养中"], &["not enrolled"]);
    // Withdrawal ends the placement; the history stays.
    ok(&reg, &admin(), place(a, ids[1]));
    ok(
        &reg,
        &admin(),
        Command::Withdraw {
            id: ids[1],
            version: tv(&reg, ids[1]),
            date: d("2026-11-20"),
            reason: WithdrawalReason::OwnRequest,
            returned_to_home_school: true,
        },
    );
    let first = reg.class(a).unwrap().unwrap();
    assert!(!first.has_now(ids[1]));
    assert_eq!(first.on(d("2026-11-10")), vec![ids[1]]);
    assert_consistent(&reg);
}

/// Issue 20: a class's dates refused say the days they may be; they used to
/// say only "超出范围".
#[test]
fn a_refused_class_or_development_date_says_its_range() {
    let (_dir, reg) = open();
    let (school, chief, _, ids) = group(&reg, 1);
    let class = ok(
        &reg,
        &admin(),
        Command::AddClass {
            project: MATH,
            school,
            name: "数学1班".into(),
        },
    )
    .id;
    let place = |date| Command::PlaceInClass {
        class,
        trainee: ids[0],
        date: d(date),
    };
    // Placed after today (2026-11-30).
    let e = refused(reg.apply(&admin(), place("2026-12-01")));
    assert!(matches!(e, RegistryError::Date(_)), "{e:?}");
    assert_says(
        &e,
        &["编班日期：2026-12-01 须在 2000-01-01 至 2026-11-30 之间（不晚于今天）"],
        &["date placed: 2026-12-01 must lie between 2000-01-01 and 2026-11-30 (not after today)"],
    );
    let e = refused(reg.apply(&admin(), place("1999-12-31")));
    assert_says(
        &e,
        &["2000-01-01 至 2100-12-31"],
        &["between 2000-01-01 and 2100-12-31"],
    );
    ok(&reg, &admin(), place("2026-10-01"));
    // Taken out before they were placed.
    let e = refused(reg.apply(
        &admin(),
        Command::LeaveClass {
            class,
            trainee: ids[0],
            date: d("2026-09-30"),
        },
    ));
    assert_says(
        &e,
        &["调出日期：2026-09-30 须在 2026-10-01 至 2100-12-31 之间"],
        &["date moved out: 2026-09-30 must lie between 2026-10-01 and 2100-12-31"],
    );
    // A development record of a year no plan names.
    let e = refused(reg.apply(
        &admin(),
        Command::RecordDevelopment {
            coach: chief,
            kind: DevelopmentKind::Visit,
            date: d("1999-07-01"),
            place: "上海".into(),
            tenths: 10,
            note: String::new(),
        },
    ));
    assert_says(
        &e,
        &["日期：1999-07-01 须在 2000-01-01 至 2100-12-31 之间"],
        &["date: 1999-07-01 must lie between 2000-01-01 and 2100-12-31"],
    );
}

fn held_sessions(reg: &Registry, school: u64, chief: u64, n: usize) -> Vec<u64> {
    ok(
        reg,
        &admin(),
        plan(
            school,
            vec![chief],
            "2026-10-10",
            Some("2027-01-16"),
            "数学专题",
        ),
    );
    reg.sessions(MATH)
        .unwrap()
        .into_iter()
        .take(n)
        .map(|s| s.id)
        .collect()
}

#[test]
fn attendance_gives_each_trainees_rate_and_the_groups_alert_and_survives_withdrawal() {
    let (_dir, reg) = open();
    let (school, chief, coach, ids) = group(&reg, 3);
    let sessions = held_sessions(&reg, school, chief, 5);
    // The coach takes attendance: one command per mark.
    let coach_user = actor("li", Role::Coach(MATH));
    let _ = coach;
    for (k, s) in sessions.iter().enumerate() {
        for (i, id) in ids.iter().enumerate() {
            let mark = match (i, k) {
                (1, 0 | 1) => Mark::Absent,
                (1, 2) => Mark::Excused,
                (2, 0) => Mark::Late,
                _ => Mark::Present,
            };
            ok(
                &reg,
                &coach_user,
                Command::MarkAttendance {
                    session: *s,
                    trainee: *id,
                    mark,
                },
            );
        }
    }
    let autumn = Semester::new(2026, Term::First);
    let rate = |id| reg.attendance_rate(&trainee(&reg, id), autumn).unwrap();
    assert_eq!(rate(ids[0]).percent(), Some(100));
    // Two absences of four counted (one excused): 50%.
    assert_eq!(rate(ids[1]).percent(), Some(50));
    assert_eq!(rate(ids[2]).percent(), Some(100), "late counts as there");
    let low = reg.low_attendance(MATH, autumn).unwrap();
    assert_eq!(low.len(), 1);
    assert_eq!(low[0].0.id, ids[1]);
    // A group that sets its threshold to 40% has no alert.
    ok(
        &reg,
        &actor("wang", Role::ChiefCoach(MATH)),
        Command::SetAttendanceThreshold {
            project: MATH,
            percent: 40,
        },
    );
    assert!(reg.low_attendance(MATH, autumn).unwrap().is_empty());
    // The sessions are held now.
    assert!(
        sessions
            .iter()
            .all(|s| reg.session(*s).unwrap().unwrap().status == SessionStatus::Held)
    );
    // A withdrawn trainee's attendance stays.
    ok(
        &reg,
        &admin(),
        Command::Withdraw {
            id: ids[1],
            version: tv(&reg, ids[1]),
            date: d("2026-11-25"),
            reason: WithdrawalReason::FailedAssessment,
            returned_to_home_school: true,
        },
    );
    assert_eq!(rate(ids[1]).percent(), Some(50));
    assert_eq!(reg.marks(sessions[0]).unwrap().len(), 3);
    let roster = reg
        .roster(&reg.session(sessions[0]).unwrap().unwrap())
        .unwrap();
    assert_eq!(roster.len(), 3, "the roster of a past session keeps them");
    // A session after the withdrawal does not take them.
    let later = reg
        .sessions(MATH)
        .unwrap()
        .into_iter()
        .find(|s| s.date == d("2026-11-28"))
        .unwrap();
    let e = refused(reg.apply(
        &admin(),
        Command::MarkAttendance {
            session: later.id,
            trainee: ids[1],
            mark: Mark::Present,
        },
    ));
    assert_says(&e, &["不在培养中"], &["not in training"]);
    // A session ahead of today takes no attendance.
    let ahead = reg
        .sessions(MATH)
        .unwrap()
        .into_iter()
        .find(|s| s.date > d("2026-12-01"))
        .unwrap();
    let e = refused(reg.apply(
        &admin(),
        Command::MarkAttendance {
            session: ahead.id,
            trainee: ids[0],
            mark: Mark::Present,
        },
    ));
    assert!(matches!(e, RegistryError::SessionAhead { .. }), "{e:?}");
    assert_consistent(&reg);
}

#[test]
fn check_finds_attendance_off_the_roster_and_classes_off_enrolment() {
    let dir = tempfile::tempdir().unwrap();
    let (s, t0, t1, class) = {
        let reg = open_at(dir.path());
        let (school, chief, _, ids) = group(&reg, 2);
        let sessions = held_sessions(&reg, school, chief, 1);
        ok(
            &reg,
            &admin(),
            Command::MarkAttendance {
                session: sessions[0],
                trainee: ids[0],
                mark: Mark::Present,
            },
        );
        let class = ok(
            &reg,
            &admin(),
            Command::AddClass {
                project: MATH,
                school,
                name: "数学1班".into(),
            },
        )
        .id;
        ok(
            &reg,
            &admin(),
            Command::PlaceInClass {
                class,
                trainee: ids[1],
                date: d("2026-10-01"),
            },
        );
        assert_consistent(&reg);
        (sessions[0], ids[0], ids[1], class)
    };
    // Damage written behind the registry's back: a mark of a trainee who
    // was not in training that day, and a withdrawn trainee still placed.
    let reg = open_settled(dir.path(), false).unwrap();
    let applicant = trainee_at(
        &reg,
        TraineeKind::Student,
        MATH,
        "申报者",
        TraineeStage::Applied,
    );
    let mut mark = reg.marks(s).unwrap().remove(0);
    mark.trainee = applicant;
    put(
        &reg,
        Tree::Attendance,
        &qiangji::store::keys::attendance(s, applicant),
        &mark,
    );
    let mut withdrawn = trainee(&reg, t1);
    withdrawn.stage = TraineeStage::Withdrawn;
    withdrawn.history.push(qiangji::domain::StageChange {
        stage: TraineeStage::Withdrawn,
        date: d("2026-11-20"),
    });
    put(
        &reg,
        Tree::Trainees,
        &qiangji::store::keys::id(t1),
        &withdrawn,
    );
    let report = reg.check(Lang::En).unwrap();
    let text = report.violations.join("\n");
    assert!(text.contains("was not in training that day"), "{text}");
    assert!(
        text.contains("not an enrolled trainee of its group"),
        "{text}"
    );
    let _ = (t0, class);
}

fn put<T: serde::Serialize>(reg: &Registry, tree: Tree, key: &[u8], value: &T) {
    let bytes = qiangji::store::codec::encode_as(tree.format(), value).unwrap();
    reg.store().tree(tree).insert(key, bytes).unwrap();
    reg.store().flush().unwrap();
}

#[test]
fn a_wrong_application_is_withdrawn_with_its_reason_and_kept() {
    let (_dir, reg) = open();
    let id = trainee_at(
        &reg,
        TraineeKind::Student,
        MATH,
        "误报",
        TraineeStage::Recommended,
    );
    let chief = actor("wang", Role::ChiefCoach(MATH));
    ok(
        &reg,
        &chief,
        Command::RetractApplication {
            id,
            version: tv(&reg, id),
            date: d("2026-11-30"),
            reason: "误录入，学生未申报".into(),
        },
    );
    let t = trainee(&reg, id);
    assert_eq!(t.stage, TraineeStage::Retracted);
    let r = t.retraction.clone().unwrap();
    assert_eq!(r.reason, "误录入，学生未申报");
    assert_eq!(r.from, TraineeStage::Recommended);
    assert_eq!(TraineeStage::Retracted.label(Lang::Zh), "已撤回申报");
    let history = reg.history(RecordKind::Trainee, id).unwrap();
    assert!(
        history
            .iter()
            .any(|e| matches!(e.command, Command::RetractApplication { .. }))
    );
    // Not twice, not after enrolment, not by another group's chief.
    let e = refused(reg.apply(
        &chief,
        Command::RetractApplication {
            id,
            version: tv(&reg, id),
            date: d("2026-11-30"),
            reason: "再次".into(),
        },
    ));
    assert!(matches!(e, RegistryError::WrongStage { .. }), "{e:?}");
    let enrolled = trainee_at(
        &reg,
        TraineeKind::Student,
        MATH,
        "在培",
        TraineeStage::Enrolled,
    );
    let e = refused(reg.apply(
        &chief,
        Command::RetractApplication {
            id: enrolled,
            version: tv(&reg, enrolled),
            date: d("2026-11-30"),
            reason: "x".into(),
        },
    ));
    assert!(matches!(e, RegistryError::WrongStage { .. }), "{e:?}");
    let other = trainee_at(
        &reg,
        TraineeKind::Student,
        ProjectId::Physics,
        "物理",
        TraineeStage::Applied,
    );
    let e = refused(reg.apply(
        &chief,
        Command::RetractApplication {
            id: other,
            version: tv(&reg, other),
            date: d("2026-11-30"),
            reason: "x".into(),
        },
    ));
    assert!(matches!(e, RegistryError::Forbidden { .. }), "{e:?}");
    assert_consistent(&reg);
}

#[test]
fn the_plan_has_five_parts_and_its_training_part_is_written_from_the_sessions() {
    let (_dir, reg) = open();
    let (school, chief, _, _) = group(&reg, 0);
    ok(
        &reg,
        &admin(),
        plan(
            school,
            vec![chief],
            "2026-09-12",
            Some("2027-01-16"),
            "数学专题",
        ),
    );
    let sessions = reg.sessions(MATH).unwrap();
    let training = qiangji::domain::training::training_text(&sessions, Lang::Zh);
    assert!(training.contains("2026-2027学年第一学期"), "{training}");
    assert!(training.contains("课程 "), "{training}");
    assert!(
        !training.contains('\n'),
        "one line, as a form field holds it: {training}"
    );
    let parts = PlanParts {
        criteria: "高一、高二学生".into(),
        management: "基地校编班".into(),
        training: training.clone(),
        funding: "专款专用".into(),
    };
    let set = |version, amendment: &str| Command::SetPlanParts {
        project: MATH,
        year: 2026,
        version,
        parts: parts.clone(),
        amendment: amendment.into(),
    };
    ok(&reg, &actor("wang", Role::ChiefCoach(MATH)), set(None, ""));
    let c = reg.cycle(MATH, 2026).unwrap().unwrap();
    assert_eq!(c.parts, parts);
    assert_eq!(PlanParts::headings(Lang::Zh)[3], "培训组织计划");
    // Filed, a change needs an amendment.
    for filed in [false, true] {
        ok(
            &reg,
            &admin(),
            Command::RecordFiling {
                project: MATH,
                year: 2026,
                document: Document::Plan,
                date: d("2026-01-20"),
                filed,
            },
        );
    }
    let v = reg.cycle(MATH, 2026).unwrap().unwrap().stamp.version;
    let mut changed = set(Some(v), "");
    if let Command::SetPlanParts { parts, .. } = &mut changed {
        parts.funding = "改".into();
    }
    let e = refused(reg.apply(&admin(), changed.clone()));
    assert!(matches!(e, RegistryError::FiledDocument { .. }), "{e:?}");
    if let Command::SetPlanParts { amendment, .. } = &mut changed {
        *amendment = "经费安排调整".into();
    }
    ok(&reg, &admin(), changed);
}

#[test]
fn coaches_development_is_summed_per_group_and_year() {
    let (_dir, reg) = open();
    let (_, chief, coach, _) = group(&reg, 0);
    let record = |coach, date: &str, tenths| Command::RecordDevelopment {
        coach,
        kind: DevelopmentKind::Visit,
        date: d(date),
        place: "上海".into(),
        tenths,
        note: String::new(),
    };
    let chief_user = actor("wang", Role::ChiefCoach(MATH));
    ok(&reg, &chief_user, record(chief, "2026-04-10", 160));
    ok(&reg, &chief_user, record(coach, "2026-07-01", 15));
    ok(&reg, &chief_user, record(coach, "2025-07-01", 80));
    assert_eq!(reg.development_tenths(MATH, 2026).unwrap(), 175);
    assert_eq!(reg.development_tenths(MATH, 2025).unwrap(), 80);
    let e = refused(reg.apply(&chief_user, record(coach, "2026-07-01", 0)));
    assert!(matches!(e, RegistryError::NotBetween { .. }), "{e:?}");
    // A coach records no development; finance and viewers nothing here.
    for who in [
        actor("li", Role::Coach(MATH)),
        actor("caiwu", Role::Finance),
        actor("kan", Role::Viewer(vec![MATH])),
    ] {
        let e = refused(reg.apply(&who, record(coach, "2026-07-01", 10)));
        assert!(matches!(e, RegistryError::Forbidden { .. }), "{e:?}");
    }
    assert_consistent(&reg);
}

// ------------------------------------------------- attendance after kill -9

const ROSTER_DB: &str = "QIANGJI_ATTENDANCE_DB";

/// The child: marks every trainee of the first session present, one command
/// each, printing the id of each acknowledged mark. Nothing without the
/// variable.
#[test]
fn attendance_child() {
    let Some(dir) = std::env::var_os(ROSTER_DB) else {
        return;
    };
    let reg = open_settled(&PathBuf::from(dir), false)
        .unwrap()
        .with_clock(qiangji::registry::Clock::Fixed(now()));
    let session = reg.sessions(MATH).unwrap().remove(0);
    let marked: Vec<u64> = reg
        .marks(session.id)
        .unwrap()
        .iter()
        .map(|a| a.trainee)
        .collect();
    println!("\nREADY");
    for t in reg.roster(&session).unwrap() {
        if marked.contains(&t.id) {
            continue;
        }
        reg.apply(
            &admin(),
            Command::MarkAttendance {
                session: session.id,
                trainee: t.id,
                mark: Mark::Present,
            },
        )
        .unwrap();
        println!("MARKED {}", t.id);
        std::thread::sleep(Duration::from_millis(15));
    }
    println!("DONE");
}

fn child(dir: &std::path::Path) -> std::process::Child {
    Process::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "training::attendance_child",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(ROSTER_DB, dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

#[test]
fn attendance_taken_mark_by_mark_resumes_after_kill_9_losing_no_acknowledged_mark() {
    let dir = tempfile::tempdir().unwrap();
    let ids = {
        let reg = open_at(dir.path());
        let (school, chief, _, ids) = group(&reg, 30);
        held_sessions(&reg, school, chief, 1);
        ids
    };
    // Killed after some marks were acknowledged.
    let mut acknowledged = Vec::new();
    let mut c = child(dir.path());
    let out = BufReader::new(c.stdout.take().unwrap());
    let deadline = Instant::now() + Duration::from_secs(60);
    for l in out.lines() {
        let l = l.unwrap();
        if let Some(id) = l.strip_prefix("MARKED ") {
            acknowledged.push(id.trim().parse::<u64>().unwrap());
        }
        if acknowledged.len() >= 8 || Instant::now() > deadline {
            break;
        }
    }
    c.kill().unwrap(); // SIGKILL
    c.wait().unwrap();
    assert!(acknowledged.len() >= 8, "{acknowledged:?}");
    {
        let reg = open_settled(dir.path(), false).unwrap();
        let session = reg.sessions(MATH).unwrap().remove(0);
        let marked: Vec<u64> = reg
            .marks(session.id)
            .unwrap()
            .iter()
            .map(|a| a.trainee)
            .collect();
        for id in &acknowledged {
            assert!(marked.contains(id), "acknowledged mark of {id} lost");
        }
        assert!(marked.len() < ids.len());
        assert_consistent(&reg);
    }
    // Resumed: the rest are marked, none twice.
    let c = child(dir.path());
    let output = c.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("DONE"), "{text}");
    let reg = open_settled(dir.path(), false).unwrap();
    let session = reg.sessions(MATH).unwrap().remove(0);
    assert_eq!(reg.marks(session.id).unwrap().len(), ids.len());
    assert_consistent(&reg);
}

// --------------------------------------------------------- the schedule

/// Parses an .ics with Python's icalendar (installed by .ci/run) and
/// returns one line per event: UID, STATUS, DTSTART.
fn parse_ics(path: &std::path::Path) -> Vec<String> {
    let script = r#"
import sys, icalendar
cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())
assert any(c.name == 'VTIMEZONE' for c in cal.walk())
for e in cal.walk('VEVENT'):
    start = e.decoded('DTSTART')
    print(e['UID'], e.get('STATUS'), start.isoformat(), str(start.tzinfo))
"#;
    if !crate::common::tools::available(
        "python3",
        &["-c", "import icalendar"],
        "an .ics file read by Python's icalendar",
    ) {
        return Vec::new();
    }
    let o = Process::new("python3")
        .args(["-c", script, path.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "python icalendar: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(String::from)
        .collect()
}

#[test]
fn the_schedule_exports_as_icalendar_with_stable_uids_and_cancelled_sessions() {
    let dir = tempfile::tempdir().unwrap();
    {
        let reg = open_at(dir.path());
        let (school, chief, _, _) = group(&reg, 0);
        ok(
            &reg,
            &admin(),
            plan(
                school,
                vec![chief],
                "2026-09-12",
                Some("2026-12-26"),
                "数学专题; 集中",
            ),
        );
        let s = reg.sessions(MATH).unwrap().remove(2);
        ok(
            &reg,
            &admin(),
            Command::CancelSession {
                id: s.id,
                version: 1,
                date: d("2026-09-20"),
                reason: "台风".into(),
            },
        );
    }
    let db = dir.path().to_str().unwrap();
    let ics = |name: &str| {
        let path = dir.path().with_file_name(format!(
            "{}-{name}.ics",
            dir.path().file_name().unwrap().to_string_lossy()
        ));
        let o = crate::common::process::qiangji(&[
            "export",
            "schedule",
            "--project",
            "math",
            "--format",
            "ics",
            "--db",
            db,
            "-o",
            path.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        path
    };
    let first = ics("a");
    let second = ics("b");
    let text = std::fs::read_to_string(&first).unwrap();
    assert!(text.contains("BEGIN:VTIMEZONE\r\nTZID:Asia/Shanghai"));
    assert!(text.contains("DTSTART;TZID=Asia/Shanghai:20260912T083000"));
    assert!(text.contains("STATUS:CANCELLED"));
    assert!(text.contains("数学专题\\; 集中"), "the semicolon escaped");
    for l in text.split("\r\n") {
        assert!(l.len() <= 75, "an unfolded line: {l}");
    }
    let a = parse_ics(&first);
    let b = parse_ics(&second);
    assert_eq!(a, b, "exported twice: the same UIDs");
    if !a.is_empty() {
        assert_eq!(a.iter().filter(|l| l.contains("CANCELLED")).count(), 1);
        assert!(a[0].contains("2026-09-12T08:30:00+08:00"), "{a:?}");
        assert!(a[0].contains("Asia/Shanghai"), "{a:?}");
    }
    // JSON and CSV rows too; ics refused for other kinds.
    let o = crate::common::process::qiangji(&[
        "export",
        "schedule",
        "--project",
        "math",
        "--format",
        "json",
        "--db",
        db,
    ]);
    let rows: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(rows.as_array().unwrap().len() >= 14);
    let o = crate::common::process::qiangji(&[
        "export", "trainees", "--format", "ics", "--db", db, "--lang", "en",
    ]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("schedule only"));
}

// --------------------------------------------------------- documents

/// `word/document.xml` of a .docx.
fn document_xml(bytes: &[u8]) -> String {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    xml
}

#[test]
fn the_plan_the_report_and_a_schools_application_are_word_documents() {
    let dir = tempfile::tempdir().unwrap();
    let school = {
        let reg = open_at(dir.path());
        let (school, chief, _, _) = group(&reg, 0);
        ok(
            &reg,
            &admin(),
            plan(
                school,
                vec![chief],
                "2026-09-12",
                Some("2026-12-26"),
                "数学专题",
            ),
        );
        ok(
            &reg,
            &admin(),
            Command::SetPlan {
                project: MATH,
                year: 2026,
                version: None,
                goals: "稳定 50 名学员规模".into(),
                targets: vec![qiangji::domain::Target {
                    name: "省赛一等奖人数".into(),
                    goal: 6,
                    attained: None,
                }],
                budget: vec![("课酬".into(), qiangji::domain::Money::from_yuan(120_000))],
                attainment: String::new(),
                amendment: String::new(),
            },
        );
        ok(
            &reg,
            &admin(),
            Command::SetPlanParts {
                project: MATH,
                year: 2026,
                version: Some(1),
                parts: PlanParts {
                    criteria: "高一、高二学生".into(),
                    management: "基地校编班 <管理> & 考核".into(),
                    training: "每周六上午集中授课".into(),
                    funding: "专款专用".into(),
                },
                amendment: String::new(),
            },
        );
        school
    };
    let db = dir.path().to_str().unwrap();
    let out = dir.path().with_extension("plan.docx");
    let o = crate::common::process::qiangji(&[
        "export",
        "plan",
        "--project",
        "math",
        "--year",
        "2026",
        "--format",
        "docx",
        "--db",
        db,
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let xml = document_xml(&std::fs::read(&out).unwrap());
    for heading in PlanParts::headings(Lang::Zh) {
        assert!(xml.contains(heading), "{heading} missing");
    }
    for value in [
        "稳定 50 名学员规模",
        "省赛一等奖人数",
        "高一、高二学生",
        "基地校编班 &lt;管理&gt; &amp; 考核",
        "课酬",
        "120,000.00",
        "签字",
        "w:w=\"11906\" w:h=\"16838\"",
    ] {
        assert!(xml.contains(value), "{value} missing from the plan");
    }
    let o = crate::common::process::qiangji(&[
        "export",
        "report",
        "--project",
        "math",
        "--year",
        "2026",
        "--db",
        db,
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let xml = document_xml(&std::fs::read(&out).unwrap());
    assert!(xml.contains("培训开展情况") && xml.contains("经费使用情况"));
    let o = crate::common::process::qiangji(&[
        "export",
        "school-application",
        "--school",
        &school.to_string(),
        "--db",
        db,
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let xml = document_xml(&std::fs::read(&out).unwrap());
    for value in ["培养基地申报表", "青岛二中", "王海峰", "区市教育局推荐意见"]
    {
        assert!(xml.contains(value), "{value} missing from the application");
    }
}

/// The province demo's training (issue 19's benchmark), run with a class of 8
/// on a city demo: every group gains a class at a base school serving it,
/// only of enrolled trainees not in another class, a Saturday course for it
/// from September to July that skips the holidays, and a mark for each member
/// at every session before today but the latest (left to mark), none after.
#[test]
fn the_province_training_gives_each_group_a_class_weekly_sessions_and_attendance() {
    let dir = tempfile::tempdir().unwrap();
    let reg = qiangji::demo::fixed_city(dir.path()).unwrap();
    let today = reg.today();
    let before: Vec<usize> = ProjectId::ALL
        .iter()
        .map(|p| reg.classes(*p).unwrap().len())
        .collect();
    let summary = qiangji::demo::province_training(&reg, 8).unwrap();
    assert!(summary.commands > 0);
    for (gi, p) in ProjectId::ALL.into_iter().enumerate() {
        let classes = reg.classes(p).unwrap();
        assert_eq!(classes.len(), before[gi] + 1, "{p:?}: one class more");
        let class = classes.last().unwrap();
        assert!(class.name.ends_with("一班"), "{}", class.name);
        assert!(reg.school(class.school).unwrap().unwrap().serves(p));
        let members: Vec<u64> = class.members.iter().map(|m| m.trainee).collect();
        assert_eq!(members.len(), 8, "{p:?}");
        for id in &members {
            let t = reg.trainee(*id).unwrap().unwrap();
            assert_eq!(t.project, p);
            assert_eq!(t.stage, TraineeStage::Enrolled);
            let in_classes = classes.iter().filter(|c| c.has_now(*id)).count();
            assert_eq!(in_classes, 1, "{} is in one class of the group", t.name);
        }
        let sessions: Vec<_> = reg
            .sessions(p)
            .unwrap()
            .into_iter()
            .filter(|s| s.class == Some(class.id))
            .collect();
        assert!(sessions.len() >= 35, "{p:?}: {} sessions", sessions.len());
        let first = sessions.first().unwrap().date;
        let last = sessions.last().unwrap().date;
        assert_eq!((first.year(), first.month()), (2026, 9));
        assert_eq!((last.year(), last.month()), (2027, 7));
        for pair in sessions.windows(2) {
            let gap = (pair[1].date - pair[0].date).num_days();
            assert!(gap > 0 && gap % 7 == 0, "weekly: {gap} days");
        }
        // 2026-10-03, a Saturday in the National Day holiday, is skipped.
        assert!(sessions.iter().all(|s| s.date != d("2026-10-03")));
        let latest = sessions
            .iter()
            .filter(|s| s.date <= today)
            .map(|s| s.date)
            .max()
            .unwrap();
        let mut past = 0;
        for s in &sessions {
            assert_eq!(s.date.weekday(), Weekday::Sat);
            assert_eq!(s.kind, SessionKind::Course);
            let marks = reg.marks(s.id).unwrap();
            if s.date < latest {
                past += 1;
                assert_eq!(s.status, SessionStatus::Held, "{}", s.date);
                let mut marked: Vec<u64> = marks.iter().map(|a| a.trainee).collect();
                marked.sort_unstable();
                let mut expected = members.clone();
                expected.sort_unstable();
                assert_eq!(marked, expected, "{}: every member marked", s.date);
            } else {
                assert_eq!(s.status, SessionStatus::Planned, "{}", s.date);
                assert!(marks.is_empty(), "{}: no marks ahead", s.date);
            }
        }
        assert!(past >= 10, "{p:?}: {past} sessions held before {today}");
    }
}
