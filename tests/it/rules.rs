//! One test per rule the registry enforces: the refusal it gives, and that its
//! message in both languages names the facts a user needs (numbers, names).
//! Every test that leaves data ends with `registry.check` finding nothing wrong.

use crate::common;

use common::*;

use qiangji::domain::{
    Account, CoachRole, CoachStage, Money, Outcome, PriorResult, ProjectId, Role, Score, Semester,
    Term, TraineeKind, TraineeStage, TrainingMode, WithdrawalReason,
};
use qiangji::domain::{Prize, PrizeLevel, Shortfall, StudentResult};
use qiangji::registry::{Command, Movement, RegistryError};

use ProjectId::{Math, Physics};
use TraineeKind::{Student, Teacher};

fn enrol(id: u64, version: u32) -> Command {
    Command::Enrol {
        id,
        version,
        date: d(ENROL_DATE),
        mode: TrainingMode::Commuting,
        commitment_signed: d(ENROL_DATE),
    }
}

fn withdraw(id: u64, version: u32, date: &str, reason: WithdrawalReason) -> Command {
    Command::Withdraw {
        id,
        version,
        date: d(date),
        reason,
        returned_to_home_school: true,
    }
}

fn file(id: u64, version: u32, date: &str) -> Command {
    Command::File {
        id,
        version,
        date: d(date),
    }
}

fn assess(trainee: u64, semester: Semester, outcome: Outcome, score: &str, note: &str) -> Command {
    Command::RecordAssessment {
        trainee,
        semester,
        outcome,
        score: Score::parse(score),
        note: note.to_string(),
        date: d("2027-01-20"),
    }
}

fn autumn() -> Semester {
    Semester::new(2026, Term::First)
}

// ------------------------------------------------------------ seats

/// `e` refuses an appointment's step from `from` to `to`.
fn assert_coach_step(e: &RegistryError, from: CoachStage, to: CoachStage) {
    let step = matches!(e, RegistryError::CoachStep { from: f, to: t } if *f == from && *t == to);
    assert!(step, "{e:?}");
}

#[test]
fn the_51st_student_is_refused_and_teacher_trainees_do_not_count() {
    let (_dir, reg) = open();
    trainees_at(&reg, Student, Math, "学生", 50, TraineeStage::Enrolled);
    trainees_at(&reg, Teacher, Math, "教师", 2, TraineeStage::Enrolled);
    assert_eq!(reg.counts(Math).unwrap().enrolled_students, 50);

    let last = trainee_at(&reg, Student, Math, "孙五十一", TraineeStage::Filed);
    let e = refused(reg.apply(&admin(), enrol(last, tv(&reg, last))));
    assert_matches!(
        e,
        RegistryError::GroupFull {
            project: Math,
            seats: 50
        }
    );
    assert_says(&e, &["数学组", "50"], &["Mathematics group", "50"]);
    assert_eq!(trainee(&reg, last).stage, TraineeStage::Filed);

    // A teacher trainee still gets in: their number is the chief coach's call.
    let teacher = trainee_at(&reg, Teacher, Math, "教师3", TraineeStage::Filed);
    ok(&reg, &admin(), enrol(teacher, tv(&reg, teacher)));
    // Another group is not affected.
    let other = trainee_at(&reg, Student, Physics, "物理学生", TraineeStage::Filed);
    ok(&reg, &admin(), enrol(other, tv(&reg, other)));

    let c = reg.counts(Math).unwrap();
    assert_eq!((c.enrolled_students, c.enrolled_teachers), (50, 3));
    assert_eq!(reg.counts(Physics).unwrap().enrolled_students, 1);
    assert_consistent(&reg);
}

#[test]
fn reinstating_a_withdrawn_student_into_a_full_group_is_refused() {
    let (_dir, reg) = open_on("2027-06-30");
    let ids = trainees_at(&reg, Student, Math, "学生", 50, TraineeStage::Enrolled);
    let gone = ids[0];
    ok(
        &reg,
        &admin(),
        withdraw(
            gone,
            tv(&reg, gone),
            "2027-02-10",
            WithdrawalReason::OwnRequest,
        ),
    );
    // The freed seat is taken by someone else.
    let newcomer = trainee_at(&reg, Student, Math, "新学员", TraineeStage::Filed);
    ok(&reg, &admin(), enrol(newcomer, tv(&reg, newcomer)));

    let e = refused(reg.apply(
        &admin(),
        Command::Reinstate {
            id: gone,
            version: tv(&reg, gone),
            date: d("2027-03-01"),
            reason: "复核后恢复".into(),
        },
    ));
    assert_matches!(
        e,
        RegistryError::GroupFull {
            project: Math,
            seats: 50
        }
    );
    assert_says(&e, &["数学组", "50"], &["Mathematics group", "50"]);
    let t = trainee(&reg, gone);
    assert_eq!(t.stage, TraineeStage::Withdrawn);
    assert!(t.current_withdrawal().is_some());

    // Once a seat frees up, the reinstatement goes through.
    ok(
        &reg,
        &admin(),
        withdraw(
            ids[1],
            tv(&reg, ids[1]),
            "2027-03-02",
            WithdrawalReason::OwnRequest,
        ),
    );
    ok(
        &reg,
        &admin(),
        Command::Reinstate {
            id: gone,
            version: tv(&reg, gone),
            date: d("2027-03-03"),
            reason: "复核后恢复".into(),
        },
    );
    assert_eq!(reg.counts(Math).unwrap().enrolled_students, 50);
    assert_consistent(&reg);
}

// ------------------------------------------------------------ coaches

#[test]
fn a_group_has_at_most_one_active_chief_coach() {
    let (_dir, reg) = open();
    let first = active_coach(&reg, "王海峰", Math, CoachRole::Chief);
    let second = nominee(&reg, "刘建国", Math, CoachRole::Chief);
    ok_batch(
        &reg,
        &admin(),
        &[
            advance_on(second, 1, CoachStage::Announced, "2026-09-01"),
            advance(second, 2, CoachStage::Filed),
        ],
    );

    let e = refused(reg.apply(&admin(), advance(second, 3, CoachStage::Active)));
    assert!(
        matches!(&e, RegistryError::ChiefTaken { project: Math, name } if name == "王海峰"),
        "{e:?}"
    );
    assert_says(&e, &["数学组", "王海峰"], &["Mathematics group", "王海峰"]);
    assert_eq!(reg.counts(Math).unwrap().active_chief, Some(first));

    // A chief in another group is no conflict.
    active_coach(&reg, "陈物理", Physics, CoachRole::Chief);
    // Ending the first term makes room.
    ok(
        &reg,
        &admin(),
        advance(first, coach_version(&reg, first), CoachStage::Ended),
    );
    ok(&reg, &admin(), advance(second, 3, CoachStage::Active));
    assert_eq!(reg.counts(Math).unwrap().active_chief, Some(second));
    assert_consistent(&reg);
}

#[test]
fn a_group_has_at_most_five_active_coaches_and_assistants() {
    let (_dir, reg) = open();
    active_coach(&reg, "王首席", Math, CoachRole::Chief);
    let mut active = Vec::new();
    for (name, role) in [
        ("教练甲", CoachRole::Coach),
        ("教练乙", CoachRole::Coach),
        ("教练丙", CoachRole::Coach),
        ("助理甲", CoachRole::Assistant),
        ("助理乙", CoachRole::Assistant),
    ] {
        active.push(active_coach(&reg, name, Math, role));
    }
    let c = reg.counts(Math).unwrap();
    assert_eq!(
        c.active_coaches, 5,
        "the chief coach is not one of the five"
    );

    let sixth = nominee(&reg, "助理丙", Math, CoachRole::Assistant);
    ok(&reg, &admin(), advance(sixth, 1, CoachStage::Filed));
    let e = refused(reg.apply(&admin(), advance(sixth, 2, CoachStage::Active)));
    assert_matches!(
        e,
        RegistryError::TooManyCoaches {
            project: Math,
            max: 5
        }
    );
    assert_says(
        &e,
        &["数学组", "5 名"],
        &["Mathematics group", "5 active coaches"],
    );

    ok(
        &reg,
        &admin(),
        advance(active[0], coach_version(&reg, active[0]), CoachStage::Ended),
    );
    ok(&reg, &admin(), advance(sixth, 2, CoachStage::Active));
    assert_eq!(reg.counts(Math).unwrap().active_coaches, 5);
    assert_consistent(&reg);
}

#[test]
fn a_chief_coach_is_filed_only_after_an_announcement() {
    let (_dir, reg) = open();
    let chief = nominee(&reg, "王海峰", Math, CoachRole::Chief);
    let e = refused(reg.apply(&admin(), advance(chief, 1, CoachStage::Filed)));
    assert_coach_step(&e, CoachStage::Nominated, CoachStage::Filed);
    assert_says(&e, &["已提名", "已备案"], &["nominated", "filed"]);
    assert_eq!(
        reg.coach(chief).unwrap().unwrap().stage,
        CoachStage::Nominated
    );

    // Through the announcement it works; a coach needs none.
    ok_batch(
        &reg,
        &admin(),
        &[
            advance_on(chief, 1, CoachStage::Announced, "2026-09-01"),
            advance(chief, 2, CoachStage::Filed),
        ],
    );
    let q = add_person(&reg, person("李教练", Math, CoachRole::Coach));
    let coach = nominate(&reg, q, Math, CoachRole::Coach);
    ok(&reg, &admin(), advance(coach, 1, CoachStage::Filed));
    assert_consistent(&reg);
}

#[test]
fn filing_an_unqualified_coach_needs_a_written_justification() {
    let (_dir, reg) = open();
    let mut input = person("赵志强", Math, CoachRole::Chief);
    // On 2026-09-15: 5 years teaching, 4 years coaching; a recent national first prize.
    input.teaching_since = d("2021-09-01");
    input.coaching_since = Some(d("2022-09-01"));
    input.results = vec![StudentResult {
        level: PrizeLevel::National,
        prize: Prize::First,
        year: 2025,
        competition: "全国中学生数学奥林匹克".into(),
    }];
    let p = add_person(&reg, input);
    let c = nominate(&reg, p, Math, CoachRole::Chief);
    ok(
        &reg,
        &admin(),
        advance_on(c, 1, CoachStage::Announced, "2026-09-01"),
    );

    let e = refused(reg.apply(&admin(), advance(c, 2, CoachStage::Filed)));
    match &e {
        RegistryError::NotQualified {
            name,
            role: CoachRole::Chief,
            shortfalls,
        } => {
            assert_eq!(name, "赵志强");
            assert_eq!(
                shortfalls,
                &vec![
                    Shortfall::TeachingYears {
                        required: 6,
                        actual: 5
                    },
                    Shortfall::CoachingYears {
                        required: 5,
                        actual: 4
                    },
                ]
            );
        }
        other => panic!("expected NotQualified, got {other:?}"),
    }
    assert_says(
        &e,
        &[
            "赵志强",
            "首席教练员",
            "本学科教学需 6 年以上，现 5 年",
            "本学科竞赛辅导需 5 年以上，现 4 年",
            "书面说明",
        ],
        &[
            "赵志强",
            "chief coach",
            "6 years teaching the subject, has 5",
            "5 years of competition coaching, has 4",
            "justification",
        ],
    );

    // A blank justification is no justification.
    let blank = Command::AdvanceCoach {
        id: c,
        version: 2,
        to: CoachStage::Filed,
        date: d("2026-09-15"),
        justification: Some("   ".into()),
    };
    assert!(matches!(
        refused(reg.apply(&admin(), blank)),
        RegistryError::NotQualified { .. }
    ));
    assert_eq!(reg.coach(c).unwrap().unwrap().stage, CoachStage::Announced);

    let why = Command::AdvanceCoach {
        id: c,
        version: 2,
        to: CoachStage::Filed,
        date: d("2026-09-15"),
        justification: Some("  市教育局特批：近两年指导学生获全国一等奖  ".into()),
    };
    ok(&reg, &admin(), why);
    let coach = reg.coach(c).unwrap().unwrap();
    assert_eq!(coach.stage, CoachStage::Filed);
    assert_eq!(
        coach.justification.as_deref(),
        Some("市教育局特批：近两年指导学生获全国一等奖")
    );

    // A qualified coach is filed without one, and none is recorded.
    let q = add_person(&reg, person("李教练", Math, CoachRole::Coach));
    let qc = nominate(&reg, q, Math, CoachRole::Coach);
    ok(&reg, &admin(), advance(qc, 1, CoachStage::Filed));
    assert_eq!(reg.coach(qc).unwrap().unwrap().justification, None);
    assert_consistent(&reg);
}

// ------------------------------------------------------------ recommendation

#[test]
fn a_student_needs_two_named_recommenders_a_teacher_none() {
    let (_dir, reg) = open();
    let s = trainee_at(&reg, Student, Math, "陈思远", TraineeStage::Applied);
    let recommend = |v| Command::Recommend {
        id: s,
        version: v,
        date: d("2026-09-05"),
    };

    let e = refused(reg.apply(&admin(), recommend(1)));
    assert_matches!(e, RegistryError::NeedRecommenders { have: 0, need: 2 });
    assert_says(&e, &["至少 2 名", "目前 0 名"], &["at least 2", "0 so far"]);

    ok(
        &reg,
        &admin(),
        Command::AddRecommender {
            id: s,
            version: 1,
            teacher: "张明老师".into(),
        },
    );
    let e = refused(reg.apply(&admin(), recommend(2)));
    assert_matches!(e, RegistryError::NeedRecommenders { have: 1, need: 2 });
    assert_says(&e, &["至少 2 名", "目前 1 名"], &["at least 2", "1 so far"]);
    assert_eq!(trainee(&reg, s).stage, TraineeStage::Applied);

    ok(
        &reg,
        &admin(),
        Command::AddRecommender {
            id: s,
            version: 2,
            teacher: "李红老师".into(),
        },
    );
    ok(&reg, &admin(), recommend(3));
    let t = trainee(&reg, s);
    assert_eq!(t.stage, TraineeStage::Recommended);
    assert_eq!(
        t.recommenders,
        vec!["张明老师".to_string(), "李红老师".to_string()]
    );

    let teacher = trainee_at(&reg, Teacher, Math, "刘青年", TraineeStage::Applied);
    ok(
        &reg,
        &admin(),
        Command::Recommend {
            id: teacher,
            version: 1,
            date: d("2026-09-05"),
        },
    );
    assert_eq!(trainee(&reg, teacher).stage, TraineeStage::Recommended);
    assert_consistent(&reg);
}

#[test]
fn the_same_recommender_cannot_be_named_twice() {
    let (_dir, reg) = open();
    let s = trainee_at(&reg, Student, Math, "陈思远", TraineeStage::Applied);
    ok(
        &reg,
        &admin(),
        Command::AddRecommender {
            id: s,
            version: 1,
            teacher: "张明老师".into(),
        },
    );
    let e = refused(reg.apply(
        &admin(),
        Command::AddRecommender {
            id: s,
            version: 2,
            teacher: "  张明老师 ".into(),
        },
    ));
    assert!(
        matches!(&e, RegistryError::DuplicateRecommender { name, teacher } if name == "陈思远" && teacher == "张明老师"),
        "{e:?}"
    );
    assert_says(&e, &["陈思远", "张明老师"], &["陈思远", "张明老师"]);
    assert_eq!(trainee(&reg, s).recommenders.len(), 1);
    assert_consistent(&reg);
}

// ------------------------------------------------------------ announcement and filing

#[test]
fn filing_waits_for_the_end_of_the_announcement() {
    let (_dir, reg) = open();
    let s = trainee_at(&reg, Student, Math, "陈思远", TraineeStage::Announced);
    let v = tv(&reg, s);
    for during in ["2026-09-14", "2026-09-16", ANNOUNCE_END] {
        let e = refused(reg.apply(&admin(), file(s, v, during)));
        assert!(
            matches!(e, RegistryError::AnnouncementNotOver { ends } if ends == d(ANNOUNCE_END)),
            "{during}: {e:?}"
        );
        assert_says(
            &e,
            &["2026-09-18", "2026-09-19"],
            &["2026-09-18", "2026-09-19"],
        );
    }
    assert_eq!(trainee(&reg, s).stage, TraineeStage::Announced);
    // The day after the last day.
    ok(&reg, &admin(), file(s, v, "2026-09-19"));
    let t = trainee(&reg, s);
    assert_eq!(t.stage, TraineeStage::Filed);
    assert_eq!(t.stage_date(TraineeStage::Filed), Some(d("2026-09-19")));
    assert_consistent(&reg);
}

#[test]
fn filing_waits_for_every_objection_to_be_resolved() {
    let (_dir, reg) = open();
    let s = trainee_at(&reg, Student, Math, "陈思远", TraineeStage::Announced);
    let v = tv(&reg, s);
    let objection = |version, text: &str| Command::RaiseObjection {
        id: s,
        version,
        date: d("2026-09-15"),
        text: text.into(),
    };
    ok(&reg, &admin(), objection(v, "该生竞赛成绩存疑"));
    ok(&reg, &admin(), objection(v + 1, "推荐程序不完整"));

    let e = refused(reg.apply(&admin(), file(s, v + 2, FILE_DATE)));
    assert!(
        matches!(&e, RegistryError::OpenObjection { name, count: 2 } if name == "陈思远"),
        "{e:?}"
    );
    assert_says(&e, &["陈思远", "2 条异议"], &["陈思远", "2 objection"]);

    let resolve = |version, index| Command::ResolveObjection {
        id: s,
        version,
        index,
        date: d("2026-09-17"),
        resolution: "经核实，情况属实无误".into(),
    };
    ok(&reg, &admin(), resolve(v + 2, 0));
    let e = refused(reg.apply(&admin(), file(s, v + 3, FILE_DATE)));
    assert_matches!(e, RegistryError::OpenObjection { count: 1, .. });
    assert_says(&e, &["1 条异议"], &["1 objection"]);
    // A resolved objection cannot be resolved again.
    assert!(matches!(
        refused(reg.apply(&admin(), resolve(v + 3, 0))),
        RegistryError::NoSuchObjection { index: 0 }
    ));

    ok(&reg, &admin(), resolve(v + 3, 1));
    ok(&reg, &admin(), file(s, v + 4, FILE_DATE));
    let t = trainee(&reg, s);
    assert_eq!(t.stage, TraineeStage::Filed);
    assert_eq!(t.objections.len(), 2, "objections stay on record");
    assert_eq!(t.open_objections(), 0);
    assert_consistent(&reg);
}

// ------------------------------------------------------------ enrolment

#[test]
fn enrolment_at_a_base_school_needs_one_approved_for_the_group() {
    let (_dir, reg) = open();
    let physics_only = school(&reg, "青岛第五十八中学", vec![Physics], true);
    let pending = school(&reg, "青岛第九中学", vec![Math], false);
    let math = school(&reg, "青岛第二中学", vec![Math, Physics], true);
    let s = trainee_at(&reg, Student, Math, "陈思远", TraineeStage::Filed);
    let v = tv(&reg, s);
    let at = |school| Command::Enrol {
        id: s,
        version: v,
        date: d(ENROL_DATE),
        mode: TrainingMode::BaseSchool { school },
        commitment_signed: d(ENROL_DATE),
    };

    for (school, name) in [
        (physics_only, "青岛第五十八中学"),
        (pending, "青岛第九中学"),
    ] {
        let e = refused(reg.apply(&admin(), at(school)));
        assert!(
            matches!(&e, RegistryError::SchoolNotServing { school, project: Math } if school == name),
            "{e:?}"
        );
        assert_says(&e, &[name, "数学组"], &[name, "Mathematics group"]);
    }
    assert_eq!(reg.counts(Math).unwrap().enrolled_students, 0);

    ok(&reg, &admin(), at(math));
    let t = trainee(&reg, s);
    assert_eq!(t.stage, TraineeStage::Enrolled);
    assert_eq!(
        t.training_mode,
        Some(TrainingMode::BaseSchool { school: math })
    );
    assert_eq!(reg.counts(Math).unwrap().enrolled_students, 1);
    assert_consistent(&reg);
}

// ------------------------------------------------------------ assessments

#[test]
fn one_assessment_per_semester_and_only_of_enrolled_trainees() {
    let (_dir, reg) = open();
    let s = trainee_at(&reg, Student, Math, "陈思远", TraineeStage::Enrolled);
    ok(&reg, &admin(), assess(s, autumn(), Outcome::Pass, "88", ""));

    let e = refused(reg.apply(&admin(), assess(s, autumn(), Outcome::Fail, "50", "")));
    assert!(
        matches!(&e, RegistryError::AlreadyAssessed { name, .. } if name == "陈思远"),
        "{e:?}"
    );
    assert_says(
        &e,
        &["陈思远", "2026-2027学年第一学期"],
        &["陈思远", "2026-2027 first semester"],
    );
    // The next semester is a new result.
    ok(
        &reg,
        &admin(),
        assess(s, autumn().next(), Outcome::Pass, "90", ""),
    );

    let filed = trainee_at(&reg, Student, Math, "林未录", TraineeStage::Filed);
    let e = refused(reg.apply(&admin(), assess(filed, autumn(), Outcome::Pass, "80", "")));
    assert!(
        matches!(&e, RegistryError::NotEnrolled { name } if name == "林未录"),
        "{e:?}"
    );
    assert_says(&e, &["林未录", "不在培养中"], &["林未录", "not enrolled"]);

    let gone = trainee_at(&reg, Student, Math, "周已退", TraineeStage::Enrolled);
    ok(
        &reg,
        &admin(),
        withdraw(
            gone,
            tv(&reg, gone),
            "2026-11-30",
            WithdrawalReason::OwnRequest,
        ),
    );
    let e = refused(reg.apply(&admin(), assess(gone, autumn(), Outcome::Pass, "80", "")));
    assert!(
        matches!(&e, RegistryError::NotEnrolled { name } if name == "周已退"),
        "{e:?}"
    );

    assert_eq!(reg.assessments(Math, autumn()).unwrap().len(), 1);
    assert_consistent(&reg);
}

#[test]
fn a_correction_keeps_the_earlier_result() {
    let (_dir, reg) = open();
    let s = trainee_at(&reg, Student, Math, "陈思远", TraineeStage::Enrolled);
    let coach = actor("coach-zhao", Role::Coach(Math));
    let a = ok(
        &reg,
        &coach,
        assess(s, autumn(), Outcome::Pass, "87.5", "表现良好"),
    )
    .id;
    let correct = |version, outcome, score: &str, note: &str| Command::CorrectAssessment {
        id: a,
        version,
        outcome,
        score: Score::parse(score),
        note: note.into(),
        date: d("2027-01-25"),
    };
    ok(
        &reg,
        &admin(),
        correct(1, Outcome::Fail, "55", "复核后不合格"),
    );

    let got = reg.assessment(a).unwrap().unwrap();
    assert_eq!(
        (got.outcome, got.score, got.note.as_str()),
        (Outcome::Fail, Some(Score(550)), "复核后不合格")
    );
    assert_eq!(got.assessor, "coordinator-wang");
    assert_eq!(
        got.corrections,
        vec![PriorResult {
            outcome: Outcome::Pass,
            score: Some(Score(875)),
            note: "表现良好".into(),
            assessor: "coach-zhao".into(),
            date: d("2027-01-20"),
        }]
    );
    assert_eq!(got.stamp.version, 2);
    assert_eq!(
        reg.assessment_for(s, autumn()).unwrap().map(|x| x.id),
        Some(a)
    );

    // A correction built on the first version is stale; a second one stacks.
    assert!(matches!(
        refused(reg.apply(&admin(), correct(1, Outcome::Pass, "60", ""))),
        RegistryError::Stale { .. }
    ));
    ok(&reg, &coach, correct(2, Outcome::Pass, "60", "再次复核"));
    let got = reg.assessment(a).unwrap().unwrap();
    assert_eq!(got.corrections.len(), 2);
    assert_eq!(got.corrections[1].outcome, Outcome::Fail);
    assert_consistent(&reg);
}

#[test]
fn a_score_outside_0_to_100_is_refused_with_the_range() {
    use qiangji::i18n::{Lang, Localized};
    let (_dir, reg) = open();
    let s = trainee_at(&reg, Student, Math, "陈思远", TraineeStage::Enrolled);
    let record = |score: u16| Command::RecordAssessment {
        trainee: s,
        semester: autumn(),
        outcome: Outcome::Pass,
        score: Some(Score(score)),
        note: String::new(),
        date: d("2027-01-20"),
    };
    let e = refused(reg.apply(&admin(), record(1050)));
    assert!(matches!(e, RegistryError::NotBetween { .. }), "{e:?}");
    assert_eq!(
        e.localized(Lang::Zh),
        "分数：105 超出范围（应在 0 至 100 之间）"
    );
    assert_eq!(
        e.localized(Lang::En),
        "score: 105 is outside the range 0 to 100"
    );
    assert!(reg.assessment_for(s, autumn()).unwrap().is_none());
    // 100 is a score; so is a correction to 100, not one to 100.5.
    let a = ok(&reg, &admin(), record(1000)).id;
    let correct = |score: u16| Command::CorrectAssessment {
        id: a,
        version: 1,
        outcome: Outcome::Pass,
        score: Some(Score(score)),
        note: String::new(),
        date: d("2027-01-25"),
    };
    let e = refused(reg.apply(&admin(), correct(1005)));
    assert!(
        e.localized(Lang::En)
            .contains("100.5 is outside the range 0 to 100")
    );
    ok(&reg, &admin(), correct(990));
    assert_consistent(&reg);
}

// ------------------------------------------------------------ withdrawal

#[test]
fn a_withdrawal_keeps_the_record_and_frees_the_seat_until_reinstated() {
    let (_dir, reg) = open_on("2027-06-30");
    let ids = trainees_at(&reg, Student, Math, "学生", 2, TraineeStage::Enrolled);
    let teacher = trainee_at(&reg, Teacher, Math, "刘青年", TraineeStage::Enrolled);
    let s = ids[0];
    let before = trainee(&reg, s);
    ok(
        &reg,
        &admin(),
        withdraw(
            s,
            before.stamp.version,
            "2027-02-10",
            WithdrawalReason::FailedAssessment,
        ),
    );
    ok(
        &reg,
        &admin(),
        withdraw(
            teacher,
            tv(&reg, teacher),
            "2027-02-10",
            WithdrawalReason::OwnRequest,
        ),
    );

    let c = reg.counts(Math).unwrap();
    assert_eq!((c.enrolled_students, c.enrolled_teachers), (1, 0));
    let t = trainee(&reg, s);
    assert_eq!(t.stage, TraineeStage::Withdrawn);
    assert_eq!(
        (t.name.as_str(), &t.recommenders, &t.announcement),
        (
            before.name.as_str(),
            &before.recommenders,
            &before.announcement
        )
    );
    assert_eq!(
        t.history.len(),
        before.history.len() + 1,
        "history is kept and extended"
    );
    assert_eq!(t.stage_date(TraineeStage::Enrolled), Some(d(ENROL_DATE)));
    let w = t.current_withdrawal().expect("the withdrawal in force");
    assert_eq!(
        (w.date, &w.reason, w.returned_to_home_school),
        (d("2027-02-10"), &WithdrawalReason::FailedAssessment, true)
    );
    assert_eq!(reg.trainees(Math).unwrap().len(), 3, "nothing is deleted");
    assert_consistent(&reg);

    ok(
        &reg,
        &admin(),
        Command::Reinstate {
            id: s,
            version: t.stamp.version,
            date: d("2027-03-01"),
            reason: "复核后恢复".into(),
        },
    );
    let t = trainee(&reg, s);
    assert_eq!(t.stage, TraineeStage::Enrolled);
    assert!(t.current_withdrawal().is_none());
    assert_eq!(t.withdrawals.len(), 1, "the withdrawal stays on record");
    assert_eq!(t.withdrawals[0].reinstated_on, Some(d("2027-03-01")));
    assert_eq!(reg.counts(Math).unwrap().enrolled_students, 2);

    // A second withdrawal is the one in force; the reason is trimmed.
    ok(
        &reg,
        &admin(),
        withdraw(
            s,
            t.stamp.version,
            "2027-05-01",
            WithdrawalReason::Other("  转学外省  ".into()),
        ),
    );
    let t = trainee(&reg, s);
    assert_eq!(t.withdrawals.len(), 2);
    assert_eq!(
        t.current_withdrawal().map(|w| &w.reason),
        Some(&WithdrawalReason::Other("转学外省".into()))
    );
    assert_eq!(reg.counts(Math).unwrap().enrolled_students, 1);
    assert_consistent(&reg);
}

// ------------------------------------------------------------ ledger

#[test]
fn an_expense_beyond_the_balance_is_refused() {
    let (_dir, reg) = open();
    let acc = Account::daily(Math, 2026);
    book(&reg, acc, Movement::Allocation, 1000);
    ok(&reg, &admin(), entry(acc, Movement::Expense, Money(30_050)));

    let e = refused(reg.apply(&admin(), entry(acc, Movement::Expense, Money(80_000))));
    assert_matches!(
        e,
        RegistryError::Overdraft {
            balance: Money(69_950),
            amount: Money(80_000),
            would_leave: Money(-10_050)
        }
    );
    assert_says(
        &e,
        &["¥800.00", "-¥100.50", "¥699.50"],
        &["¥800.00", "-¥100.50", "¥699.50"],
    );
    assert_eq!(reg.balance(&acc).unwrap().balance(), Money(69_950));

    // Spending the balance to the fen is fine; one fen more is not.
    ok(&reg, &admin(), entry(acc, Movement::Expense, Money(69_950)));
    let e = refused(reg.apply(&admin(), entry(acc, Movement::Expense, Money(1))));
    assert_says(
        &e,
        &["¥0.01", "-¥0.01", "¥0.00"],
        &["¥0.01", "-¥0.01", "¥0.00"],
    );
    // An account without income cannot spend at all.
    let e = refused(reg.apply(
        &admin(),
        entry(
            Account::daily(Physics, 2026),
            Movement::Expense,
            Money(1_234_500),
        ),
    ));
    assert_says(
        &e,
        &["¥12,345.00", "-¥12,345.00"],
        &["¥12,345.00", "-¥12,345.00"],
    );
    assert_eq!(reg.balance(&acc).unwrap().balance(), Money::ZERO);
    assert_consistent(&reg);
}

#[test]
fn the_reward_fund_is_allocated_once_per_group_and_year() {
    let (_dir, reg) = open();
    let acc = Account::reward(Math, 2026);
    book(&reg, acc, Movement::Allocation, 50_000);
    let e = refused(reg.apply(
        &admin(),
        entry(acc, Movement::Allocation, Money::from_yuan(10_000)),
    ));
    assert_matches!(
        e,
        RegistryError::RewardAlreadyAllocated {
            project: Math,
            year: 2026
        }
    );
    assert_says(
        &e,
        &["数学组", "2026", "奖励经费"],
        &["Mathematics group", "2026", "reward fund"],
    );
    assert_eq!(
        reg.balance(&acc).unwrap().balance(),
        Money::from_yuan(50_000)
    );

    // Another year, another group, and the daily fund (any number) are fine.
    book(
        &reg,
        Account::reward(Math, 2027),
        Movement::Allocation,
        40_000,
    );
    book(
        &reg,
        Account::reward(Physics, 2026),
        Movement::Allocation,
        30_000,
    );
    book(
        &reg,
        Account::daily(Math, 2026),
        Movement::Allocation,
        1_000,
    );
    book(
        &reg,
        Account::daily(Math, 2026),
        Movement::Allocation,
        1_000,
    );
    assert_consistent(&reg);
}

#[test]
fn a_reversal_restores_the_balance_once_and_is_itself_final() {
    let (_dir, reg) = open();
    let acc = Account::daily(Physics, 2026);
    let alloc = book(&reg, acc, Movement::Allocation, 1000).id;
    let spend = book(&reg, acc, Movement::Expense, 400).id;
    assert_eq!(reg.balance(&acc).unwrap().balance(), Money(60_000));

    let rev = ok(&reg, &admin(), reverse(spend)).id;
    let b = reg.balance(&acc).unwrap();
    assert_eq!(
        (b.balance(), b.spent, b.entries),
        (Money(100_000), Money::ZERO, 3)
    );
    assert!(
        reg.entry(spend).unwrap().is_some(),
        "the reversed entry stays on record"
    );
    assert_eq!(reg.reversed_by(spend).unwrap(), Some(rev));

    let e = refused(reg.apply(&admin(), reverse(spend)));
    assert_matches!(e, RegistryError::AlreadyReversed { .. });
    // Said as the ledger's keepers know the entry (date, amount, voucher),
    // never by the database's ids.
    assert_words(
        &e,
        "2026-10-10 的一笔 ¥400.00（凭证 记-001）已于 2026-10-20 冲销",
        "the entry of 2026-10-10 for ¥400.00 (voucher 记-001) was already reversed on 2026-10-20",
    );
    for id in [spend, rev] {
        assert!(!format!("{e}").contains(&id.to_string()), "{e}");
    }

    let e = refused(reg.apply(&admin(), reverse(rev)));
    assert_matches!(e, RegistryError::ReverseReversal);
    assert_says(
        &e,
        &["冲销记录不能再冲销"],
        &["reversal cannot itself be reversed"],
    );

    // Reversing income that was already spent would overdraw the account.
    book(&reg, acc, Movement::Expense, 700);
    let e = refused(reg.apply(&admin(), reverse(alloc)));
    assert_matches!(
        e,
        RegistryError::Overdraft {
            balance: Money(30_000),
            amount: Money(100_000),
            would_leave: Money(-70_000)
        }
    );
    assert_says(&e, &["¥300.00", "-¥700.00"], &["¥300.00", "-¥700.00"]);
    assert_eq!(reg.balance(&acc).unwrap().balance(), Money(30_000));
    assert_consistent(&reg);
}

// ------------------------------------------------------------ versions and text

#[test]
fn a_change_built_on_a_stale_version_is_refused_naming_who_changed_it() {
    let (_dir, reg) = open();
    let s = trainee_at(&reg, Student, Math, "陈思远", TraineeStage::Applied);
    ok(
        &reg,
        &admin(),
        Command::UpdateContact {
            id: s,
            version: 1,
            phone: "13900000000".into(),
            home_school: "青岛第一中学".into(),
        },
    );
    let li = actor("coordinator-li", Role::Admin);
    let e = refused(reg.apply(
        &li,
        Command::AddRecommender {
            id: s,
            version: 1,
            teacher: "张明老师".into(),
        },
    ));
    assert!(
        matches!(&e, RegistryError::Stale { what, by, current: 2, yours: 1, .. } if what == "陈思远" && by == "coordinator-wang"),
        "{e:?}"
    );
    assert_says(
        &e,
        &["陈思远", "coordinator-wang", "2026-11-30 10:00", "刷新"],
        &[
            "陈思远",
            "coordinator-wang",
            "at 2026-11-30 10:00 (version 2",
            "yours 1",
            "reload",
        ],
    );
    // Local time to the minute, as the screen shows it (not 02:00:00 UTC).
    let en = qiangji::i18n::Localized::localized(&e, qiangji::i18n::Lang::En);
    assert!(!en.contains("UTC") && !en.contains(":00:00"), "{en}");
    let t = trainee(&reg, s);
    assert!(t.recommenders.is_empty());
    assert_eq!(
        (t.phone.as_str(), t.home_school.as_str()),
        ("13900000000", "青岛第一中学")
    );

    ok(
        &reg,
        &li,
        Command::AddRecommender {
            id: s,
            version: 2,
            teacher: "张明老师".into(),
        },
    );
    assert_eq!(trainee(&reg, s).stamp.updated_by, "coordinator-li");
    assert_consistent(&reg);
}

#[test]
fn text_is_trimmed_and_long_or_control_text_refused() {
    let (_dir, reg) = open();
    let mut input = common::application(Student, "  陈思远  ", Math);
    input.home_school = " 青岛第二中学\t".into();
    let s = ok(&reg, &admin(), Command::Apply(input)).id;
    let t = trainee(&reg, s);
    assert_eq!(
        (t.name.as_str(), t.home_school.as_str()),
        ("陈思远", "青岛第二中学")
    );

    let long = "字".repeat(41);
    let e = refused(reg.apply(
        &admin(),
        Command::Apply(common::application(Student, &long, Math)),
    ));
    assert!(
        matches!(
            &e,
            RegistryError::Text(qiangji::domain::text::TextError::TooLong {
                max: 40,
                got: 41,
                ..
            })
        ),
        "{e:?}"
    );
    assert_says(&e, &["姓名", "40", "41"], &["name", "at most 40", "got 41"]);
    // Forty is the limit, not over it.
    ok(
        &reg,
        &admin(),
        Command::Apply(common::application(Student, &"字".repeat(40), Math)),
    );

    for bad in ["张\x1b[31m伟", "张伟\x07", "张\u{202E}伟"] {
        let e = refused(reg.apply(
            &admin(),
            Command::Apply(common::application(Student, bad, Math)),
        ));
        assert!(
            matches!(
                &e,
                RegistryError::Text(qiangji::domain::text::TextError::Control { .. })
            ),
            "{bad:?}: {e:?}"
        );
        assert_says(&e, &["姓名", "控制字符"], &["name", "control character"]);
    }
    let e = refused(reg.apply(
        &admin(),
        Command::AddRecommender {
            id: s,
            version: 1,
            teacher: "李\x1b[0m老师".into(),
        },
    ));
    assert_says(
        &e,
        &["推荐教师", "控制字符"],
        &["recommender", "control character"],
    );
    let e = refused(reg.apply(
        &admin(),
        Command::Apply(common::application(Student, "   ", Math)),
    ));
    assert!(
        matches!(
            &e,
            RegistryError::Text(qiangji::domain::text::TextError::Empty { .. })
        ),
        "{e:?}"
    );
    assert_says(&e, &["姓名", "不能为空"], &["name", "must not be empty"]);
    let mut input = common::application(Student, "王小明", Math);
    input.home_school = "学".repeat(121);
    let e = refused(reg.apply(&admin(), Command::Apply(input)));
    assert_says(
        &e,
        &["所在学校", "120", "121"],
        &["home school", "at most 120", "got 121"],
    );

    let names = common::trainee_names(&reg, Math);
    assert_eq!(names, vec!["陈思远".to_string(), "字".repeat(40)]);
    assert!(trainee(&reg, s).recommenders.is_empty());
    assert_consistent(&reg);
}

// ------------------------------------------------------------ permissions

#[test]
fn each_role_may_do_only_its_part() {
    let (_dir, reg) = open();
    let m = trainee_at(&reg, Student, Math, "陈数学", TraineeStage::Enrolled);
    let p = trainee_at(&reg, Student, Physics, "李物理", TraineeStage::Enrolled);
    let f = trainee_at(&reg, Student, Math, "王待录", TraineeStage::Filed);
    let daily_math = Account::daily(Math, 2026);
    let reward_math = Account::reward(Math, 2026);
    let allocation = book(&reg, daily_math, Movement::Allocation, 10_000);
    book(&reg, reward_math, Movement::Allocation, 50_000);

    let forbidden = |who: &qiangji::domain::Actor, cmd: Command, zh: &str, en: &str| {
        let e = refused(reg.apply(who, cmd));
        assert_matches!(e, RegistryError::Forbidden { .. });
        assert_says(&e, &[&who.login, zh], &[&who.login, en]);
    };

    // A viewer changes nothing, not even in the groups it reads.
    let viewer = actor("guide-ke", Role::Viewer(ProjectId::ALL.to_vec()));
    forbidden(
        &viewer,
        Command::Apply(common::application(Student, "新申请", Math)),
        "登记学员申报",
        "record applications",
    );
    forbidden(
        &viewer,
        assess(m, autumn(), Outcome::Pass, "90", ""),
        "登记学期考核",
        "record assessments",
    );
    forbidden(
        &viewer,
        entry(daily_math, Movement::Expense, Money(100)),
        "登记支出",
        "record expenses",
    );
    forbidden(
        &viewer,
        enrol(f, tv(&reg, f)),
        "录取参加培养",
        "enrol trainees",
    );
    forbidden(
        &viewer,
        Command::UpdateContact {
            id: m,
            version: tv(&reg, m),
            phone: "1".into(),
            home_school: "x".into(),
        },
        "修改学员联系信息",
        "edit trainee contacts",
    );

    // A math coach records math results, not physics ones, and enrols no one.
    let coach = actor("coach-zhao", Role::Coach(Math));
    ok(&reg, &coach, assess(m, autumn(), Outcome::Pass, "90", ""));
    forbidden(
        &coach,
        assess(p, autumn(), Outcome::Pass, "90", ""),
        "登记学期考核",
        "record assessments",
    );
    forbidden(
        &coach,
        enrol(f, tv(&reg, f)),
        "录取参加培养",
        "enrol trainees",
    );

    // The math chief coach spends the math daily fund, nothing else, and may
    // reverse the group's own expense but not the bureau's allocation.
    let chief = actor("chief-wang", Role::ChiefCoach(Math));
    let spent = ok(
        &reg,
        &chief,
        entry(daily_math, Movement::Expense, Money::from_yuan(100)),
    );
    let reverse = |id: u64| Command::ReverseEntry {
        entry: id,
        date: chrono::NaiveDate::from_ymd_opt(2026, 10, 1).unwrap(),
        note: String::new(),
    };
    forbidden(
        &chief,
        reverse(allocation.id),
        "冲销台账记录",
        "reverse ledger entries",
    );
    ok(&reg, &chief, reverse(spent.id));
    ok(
        &reg,
        &chief,
        entry(daily_math, Movement::Expense, Money::from_yuan(100)),
    );
    forbidden(
        &chief,
        entry(daily_math, Movement::Allocation, Money::from_yuan(100)),
        "登记拨款",
        "record allocations",
    );
    forbidden(
        &chief,
        entry(reward_math, Movement::Expense, Money::from_yuan(100)),
        "登记支出",
        "record expenses",
    );
    forbidden(
        &chief,
        entry(Account::daily(Physics, 2026), Movement::Expense, Money(1)),
        "登记支出",
        "record expenses",
    );
    ok(&reg, &chief, enrol(f, tv(&reg, f)));

    // Finance records money, and only money.
    let finance = actor("finance-sun", Role::Finance);
    ok(
        &reg,
        &finance,
        entry(
            Account::daily(Physics, 2026),
            Movement::Allocation,
            Money::from_yuan(5_000),
        ),
    );
    ok(
        &reg,
        &finance,
        entry(
            Account::daily(Physics, 2026),
            Movement::Expense,
            Money::from_yuan(1_000),
        ),
    );
    let g = trainee_at(&reg, Student, Physics, "赵待录", TraineeStage::Filed);
    forbidden(
        &finance,
        enrol(g, tv(&reg, g)),
        "录取参加培养",
        "enrol trainees",
    );
    forbidden(
        &finance,
        assess(p, autumn(), Outcome::Pass, "90", ""),
        "登记学期考核",
        "record assessments",
    );

    assert_eq!(
        reg.balance(&daily_math).unwrap().balance(),
        Money::from_yuan(9_900)
    );
    assert_eq!(
        reg.balance(&reward_math).unwrap().balance(),
        Money::from_yuan(50_000)
    );
    assert_eq!(trainee(&reg, g).stage, TraineeStage::Filed);
    assert_eq!(reg.assessments(Math, autumn()).unwrap().len(), 1);
    assert_eq!(reg.assessments(Physics, autumn()).unwrap().len(), 0);
    assert_consistent(&reg);
}

#[test]
fn appointments_take_the_steps_of_the_domains_table_and_no_others() {
    let (_dir, reg) = open();
    // A coach is filed directly; an announcement is the chief's step.
    let c = nominee(&reg, "钱学森", Math, CoachRole::Coach);
    let e = refused(reg.apply(&admin(), advance(c, 1, CoachStage::Announced)));
    assert_coach_step(&e, CoachStage::Nominated, CoachStage::Announced);
    // A chief is announced first: filing straight away is refused.
    let chief = nominee(&reg, "华罗庚", Math, CoachRole::Chief);
    let e = refused(reg.apply(&admin(), advance(chief, 1, CoachStage::Filed)));
    assert_matches!(e, RegistryError::CoachStep { .. });
    // What the table offers, the registry takes.
    for (role, stage) in [
        (CoachRole::Coach, CoachStage::Nominated),
        (CoachRole::Chief, CoachStage::Nominated),
    ] {
        assert!(!stage.next(role).is_empty());
    }
    ok(&reg, &admin(), advance(c, 1, CoachStage::Filed));
    ok(&reg, &admin(), advance(chief, 1, CoachStage::Announced));
    assert_eq!(
        CoachStage::Ended.next(CoachRole::Chief),
        &[] as &[CoachStage]
    );
}
