//! Users and roles (issue 12): the whole role x command matrix of the
//! permission table, the same refusals through `apply` on real records, the
//! role x read matrix of `Registry::reader`, keys and fingerprints, and the
//! `qiangji user` commands.

use crate::common;

use chrono::NaiveTime;
use common::*;
use qiangji::domain::PlanParts;
use qiangji::domain::training::{DevelopmentKind, Mark, Place, SessionKind};
use qiangji::domain::{
    Account, Actor, CoachRole, CoachStage, Document, Fund, Money, Outcome, ProjectId, Role,
    Semester, Term, TraineeKind, TraineeStage, TrainingMode, WithdrawalReason,
};
use qiangji::registry::{Command, Movement, RegistryError, mask_phone, may};

use ProjectId::{Math, Physics};

const ED25519: &str =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIK/dEorfbQQE+KGC3WFMNhgE7GrbVnfBVoxXlTJLG73s test@qiangji";
const ED25519_FP: &str = "SHA256:sGQaF5GnmA+YtHyPYg9TLCFwqXBJhM1gTJsxD1Q4wsk";
const CHIEF_KEY: &str =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIH7mmQys6pSBltXRCpO7hcs164ghnILevFet/Ax2REGT chief@math";
const CHIEF_FP: &str = "SHA256:ZobSB1lrpLbNuHDOxdYAVHTr3niZtECDY9jEdiFn1Eg";
const LAPTOP_KEY: &str =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGQCfGqxTacA5yY2J28sTjDfbWtSwhhov9pOYzDXMKM1 li@laptop";
const LAPTOP_FP: &str = "SHA256:FkkCVBT34r2WYFbwswyDJoput9e750twXQV3cLEOopI";

fn roles() -> [(&'static str, Role); 5] {
    [
        ("admin", Role::Admin),
        ("chief", Role::ChiefCoach(Math)),
        ("coach", Role::Coach(Math)),
        ("finance", Role::Finance),
        ("viewer", Role::Viewer(vec![Math])),
    ]
}

/// One command of every kind, what it touches, and who may apply it to a
/// record of the math group: admin, math chief, math coach, finance, math
/// viewer ('x' may, '.' may not).
fn matrix() -> Vec<(&'static str, Command, Option<Fund>, &'static str)> {
    let date = d("2026-10-01");
    let sem = Semester::new(2026, Term::First);
    let daily = Account::daily(Math, 2026);
    let reward = Account::reward(Math, 2026);
    vec![
        (
            "AddUser",
            Command::AddUser {
                login: "x".into(),
                display_name: "x".into(),
                role: Role::Finance,
                keys: vec![],
            },
            None,
            "x....",
        ),
        (
            "RemoveUser",
            Command::RemoveUser { login: "x".into() },
            None,
            "x....",
        ),
        (
            "AddUserKey",
            Command::AddUserKey {
                login: "x".into(),
                key: ED25519.into(),
            },
            None,
            "x....",
        ),
        (
            "RemoveUserKey",
            Command::RemoveUserKey {
                login: "x".into(),
                fingerprint: ED25519_FP.into(),
            },
            None,
            "x....",
        ),
        (
            "ChangeUser",
            Command::ChangeUser {
                login: "x".into(),
                role: Role::Finance,
                lang: None,
            },
            None,
            "x....",
        ),
        (
            "AddPerson",
            Command::AddPerson(person("甲", Math, CoachRole::Coach)),
            None,
            "xx...",
        ),
        (
            "UpdatePerson",
            Command::UpdatePerson {
                id: 1,
                version: 1,
                input: person("甲", Math, CoachRole::Coach),
            },
            None,
            "xx...",
        ),
        (
            "Nominate coach",
            Command::Nominate {
                date,
                person: 1,
                project: Math,
                role: CoachRole::Coach,
                term_start: date,
                term_years: 1,
            },
            None,
            "xx...",
        ),
        (
            "Nominate chief",
            Command::Nominate {
                date,
                person: 1,
                project: Math,
                role: CoachRole::Chief,
                term_start: date,
                term_years: 3,
            },
            None,
            "x....",
        ),
        (
            "AdvanceCoach file",
            Command::AdvanceCoach {
                id: 1,
                version: 1,
                to: CoachStage::Filed,
                date,
                justification: None,
            },
            None,
            "x....",
        ),
        (
            "AdvanceCoach end",
            Command::AdvanceCoach {
                id: 1,
                version: 1,
                to: CoachStage::Ended,
                date,
                justification: None,
            },
            None,
            "xx...",
        ),
        (
            "ApplySchool",
            Command::ApplySchool(school_application("甲校", vec![Math])),
            None,
            "x....",
        ),
        (
            "DecideSchool",
            Command::DecideSchool {
                id: 1,
                version: 1,
                approve: true,
                date,
                note: String::new(),
            },
            None,
            "x....",
        ),
        (
            "Apply",
            Command::Apply(application(TraineeKind::Student, "甲", Math)),
            None,
            "xx...",
        ),
        (
            "UpdateContact",
            Command::UpdateContact {
                id: 1,
                version: 1,
                phone: "13800000000".into(),
                home_school: "x".into(),
            },
            None,
            "xx...",
        ),
        (
            "AddRecommender",
            Command::AddRecommender {
                id: 1,
                version: 1,
                teacher: "x".into(),
            },
            None,
            "xx...",
        ),
        (
            "Recommend",
            Command::Recommend {
                id: 1,
                version: 1,
                date,
            },
            None,
            "xx...",
        ),
        (
            "Select",
            Command::Select {
                id: 1,
                version: 1,
                date,
                selected: true,
            },
            None,
            "xx...",
        ),
        (
            "Announce",
            Command::Announce {
                id: 1,
                version: 1,
                start: date,
                working_days: 5,
            },
            None,
            "xx...",
        ),
        (
            "RaiseObjection",
            Command::RaiseObjection {
                id: 1,
                version: 1,
                date,
                text: "x".into(),
            },
            None,
            "xx...",
        ),
        (
            "ResolveObjection",
            Command::ResolveObjection {
                id: 1,
                version: 1,
                index: 0,
                date,
                resolution: "x".into(),
            },
            None,
            "xx...",
        ),
        (
            "File",
            Command::File {
                id: 1,
                version: 1,
                date,
            },
            None,
            "xx...",
        ),
        (
            "Enrol",
            Command::Enrol {
                id: 1,
                version: 1,
                date,
                mode: TrainingMode::Commuting,
                commitment_signed: date,
            },
            None,
            "xx...",
        ),
        (
            "Withdraw",
            Command::Withdraw {
                id: 1,
                version: 1,
                date,
                reason: WithdrawalReason::OwnRequest,
                returned_to_home_school: true,
            },
            None,
            "xx...",
        ),
        (
            "Reinstate",
            Command::Reinstate {
                id: 1,
                version: 1,
                date,
                reason: "本人申请".into(),
            },
            None,
            "xx...",
        ),
        (
            "RecordAssessment",
            Command::RecordAssessment {
                trainee: 1,
                semester: sem,
                outcome: Outcome::Pass,
                score: None,
                note: String::new(),
                date,
            },
            None,
            "xxx..",
        ),
        (
            "CorrectAssessment",
            Command::CorrectAssessment {
                id: 1,
                version: 1,
                outcome: Outcome::Fail,
                score: None,
                note: String::new(),
                date,
            },
            None,
            "xxx..",
        ),
        (
            "AddEntry daily expense",
            entry(daily, Movement::Expense, Money(100)),
            Some(Fund::Daily),
            "xx.x.",
        ),
        (
            "AddEntry daily allocation",
            entry(daily, Movement::Allocation, Money(100)),
            Some(Fund::Daily),
            "x..x.",
        ),
        (
            "AddEntry reward",
            entry(reward, Movement::Allocation, Money(100)),
            Some(Fund::Reward),
            "x..x.",
        ),
        ("ReverseEntry daily", reverse(1), Some(Fund::Daily), "xx.x."),
        (
            "ReverseEntry reward",
            reverse(1),
            Some(Fund::Reward),
            "x..x.",
        ),
        (
            "SetPlan",
            Command::SetPlan {
                project: Math,
                year: 2026,
                version: None,
                goals: String::new(),
                targets: vec![],
                budget: vec![],
                attainment: String::new(),
                amendment: String::new(),
            },
            None,
            "xx...",
        ),
        (
            "RecordFiling submit",
            Command::RecordFiling {
                project: Math,
                year: 2026,
                document: Document::Plan,
                date,
                filed: false,
            },
            None,
            "xx...",
        ),
        (
            "RecordFiling file",
            Command::RecordFiling {
                project: Math,
                year: 2026,
                document: Document::Plan,
                date,
                filed: true,
            },
            None,
            "x....",
        ),
        (
            "PlanSessions",
            Command::PlanSessions {
                project: Math,
                kind: SessionKind::Course,
                date,
                until: None,
                every_days: 7,
                start: NaiveTime::from_hms_opt(8, 30, 0).unwrap(),
                end: NaiveTime::from_hms_opt(11, 30, 0).unwrap(),
                place: Place::Other { name: "x".into() },
                topic: "x".into(),
                coaches: vec![],
                class: None,
            },
            None,
            "xx...",
        ),
        (
            "MoveSession",
            Command::MoveSession {
                id: 1,
                version: 1,
                date,
                start: NaiveTime::from_hms_opt(8, 30, 0).unwrap(),
                end: NaiveTime::from_hms_opt(11, 30, 0).unwrap(),
                place: Place::Other { name: "x".into() },
            },
            None,
            "xx...",
        ),
        (
            "CancelSession",
            Command::CancelSession {
                id: 1,
                version: 1,
                date,
                reason: "x".into(),
            },
            None,
            "xx...",
        ),
        (
            "HoldSession",
            Command::HoldSession { id: 1, version: 1 },
            None,
            "xx...",
        ),
        (
            "MarkAttendance",
            Command::MarkAttendance {
                session: 1,
                trainee: 1,
                mark: Mark::Present,
            },
            None,
            "xxx..",
        ),
        (
            "AddClass",
            Command::AddClass {
                project: Math,
                school: 1,
                name: "x".into(),
            },
            None,
            "xx...",
        ),
        (
            "PlaceInClass",
            Command::PlaceInClass {
                class: 1,
                trainee: 1,
                date,
            },
            None,
            "xx...",
        ),
        (
            "LeaveClass",
            Command::LeaveClass {
                class: 1,
                trainee: 1,
                date,
            },
            None,
            "xx...",
        ),
        (
            "RecordDevelopment",
            Command::RecordDevelopment {
                coach: 1,
                kind: DevelopmentKind::Visit,
                date,
                place: "x".into(),
                tenths: 10,
                note: String::new(),
            },
            None,
            "xx...",
        ),
        (
            "SetAttendanceThreshold",
            Command::SetAttendanceThreshold {
                project: Math,
                percent: 80,
            },
            None,
            "xx...",
        ),
        (
            "SetPlanParts",
            Command::SetPlanParts {
                project: Math,
                year: 2026,
                version: None,
                parts: PlanParts::default(),
                amendment: String::new(),
            },
            None,
            "xx...",
        ),
        (
            "RetractApplication",
            Command::RetractApplication {
                id: 1,
                version: 1,
                date,
                reason: "x".into(),
            },
            None,
            "xx...",
        ),
        (
            "CorrectApplication",
            Command::CorrectApplication {
                id: 1,
                version: 1,
                recommenders: vec!["张明老师".into(), "李红老师".into()],
                applied_on: date,
            },
            None,
            "xx...",
        ),
    ]
}

/// Adding user `login` holding one key (`key`, as an authorized_keys line).
fn add_user(login: &str, name: &str, role: Role, key: impl Into<String>) -> Command {
    Command::AddUser {
        login: login.into(),
        display_name: name.into(),
        role,
        keys: vec![key.into()],
    }
}

#[test]
fn the_role_x_command_matrix() {
    let rows = matrix();
    let mut cells = 0;
    for (name, command, fund, expected) in &rows {
        for (i, (role_name, role)) in roles().into_iter().enumerate() {
            let who = actor("someone", role);
            let want = expected.as_bytes()[i] == b'x';
            // A record of the math group, of no group, and of physics.
            let project = match command {
                Command::AddUser { .. }
                | Command::RemoveUser { .. }
                | Command::ApplySchool(_)
                | Command::DecideSchool { .. } => None,
                _ => Some(Math),
            };
            assert_eq!(
                may(&who, command, project, *fund),
                want,
                "{role_name} / {name} in math"
            );
            if project.is_some() {
                let elsewhere = want && matches!(role_name, "admin" | "finance");
                assert_eq!(
                    may(&who, command, Some(Physics), *fund),
                    elsewhere,
                    "{role_name} / {name} in physics"
                );
            }
            cells += 1;
        }
    }
    // Every kind of command is in the table.
    assert_eq!(cells, rows.len() * 5);
    assert!(rows.len() >= 29);
}

/// A small database with a math and a physics trainee (enrolled), a math
/// coach, and each group's daily fund with one expense.
fn math_and_physics_with_funds() -> (tempfile::TempDir, qiangji::registry::Registry, u64, u64) {
    let (dir, reg) = open();
    let m = trainee_at(
        &reg,
        TraineeKind::Student,
        Math,
        "数学甲",
        TraineeStage::Enrolled,
    );
    let p = trainee_at(
        &reg,
        TraineeKind::Student,
        Physics,
        "物理乙",
        TraineeStage::Enrolled,
    );
    for project in [Math, Physics] {
        let a = Account::daily(project, 2026);
        book(&reg, a, Movement::Allocation, 1000);
        book(&reg, a, Movement::Expense, 10);
    }
    add_person(&reg, person("物理教练", Physics, CoachRole::Coach));
    (dir, reg, m, p)
}

#[test]
fn the_registry_refuses_what_the_table_forbids() {
    let sem = Semester::new(2026, Term::First);
    for (role_name, role) in roles() {
        // A fresh database each: an applied command must not stand in the
        // way of the next role's.
        let (_dir, reg, m, p) = math_and_physics_with_funds();
        let who = actor("tester", role);
        for (target, project) in [(m, Math), (p, Physics)] {
            let commands = [
                Command::RecordAssessment {
                    trainee: target,
                    semester: sem,
                    outcome: Outcome::Pass,
                    score: None,
                    note: String::new(),
                    date: d("2026-11-30"),
                },
                Command::UpdateContact {
                    id: target,
                    version: tv(&reg, target),
                    phone: "13912345678".into(),
                    home_school: "青岛第二中学".into(),
                },
                entry(Account::daily(project, 2026), Movement::Expense, Money(10)),
                entry(
                    Account::daily(project, 2026),
                    Movement::Allocation,
                    Money(10),
                ),
            ];
            for c in commands {
                let allowed = may(&who, &c, Some(project), Some(Fund::Daily));
                match reg.apply(&who, c.clone()) {
                    Err(RegistryError::Forbidden { .. }) => {
                        assert!(!allowed, "{role_name} was refused {c:?}")
                    }
                    Err(e) => panic!("{role_name}: {c:?} refused for another reason: {e}"),
                    Ok(_) => assert!(allowed, "{role_name} applied {c:?}"),
                }
            }
        }
    }
    let (_dir, reg, _m, p) = math_and_physics_with_funds();
    // A math chief's refusal says who, in which role, may not do what.
    let e = refused(reg.apply(
        &actor("math_chief", Role::ChiefCoach(Math)),
        Command::Withdraw {
            id: p,
            version: tv(&reg, p),
            date: d("2026-11-30"),
            reason: WithdrawalReason::OwnRequest,
            returned_to_home_school: true,
        },
    ));
    assert_says(
        &e,
        &["math_chief", "数学组首席教练员", "办理退出培养"],
        &["math_chief", "chief coach", "may not withdraw trainees"],
    );
}

#[test]
fn the_role_x_read_matrix() {
    let (_dir, reg, m, p) = math_and_physics_with_funds();
    // (role, reads math, reads physics, sees the math phone in full, reads audit of no group)
    let table = [
        (Role::Admin, true, true, true, true),
        (Role::ChiefCoach(Math), true, false, true, false),
        (Role::Coach(Math), true, false, false, false),
        (Role::Finance, true, true, false, true),
        (Role::Viewer(vec![Physics]), false, true, false, false),
    ];
    for (role, math, physics, phone, ungrouped) in table {
        let who = actor("reader", role.clone());
        let r = reg.reader(&who);
        let label = format!("{role:?}");
        assert_eq!(
            r.trainees(Math).unwrap().len(),
            usize::from(math),
            "{label}"
        );
        assert_eq!(
            r.trainees(Physics).unwrap().len(),
            usize::from(physics),
            "{label}"
        );
        assert_eq!(r.trainee(p).unwrap().is_some(), physics, "{label}");
        let all: Vec<_> = r.all_trainees().collect::<Result<_, _>>().unwrap();
        assert_eq!(
            all.len(),
            usize::from(math) + usize::from(physics),
            "{label}"
        );
        if let Some(t) = r.trainee(m).unwrap() {
            let want = if phone {
                "13800000000".to_string()
            } else {
                mask_phone("13800000000")
            };
            assert_eq!(t.phone, want, "{label}");
        }
        // Everyone reads every group's numbers.
        assert_eq!(r.counts(Physics).unwrap().enrolled_students, 1, "{label}");
        assert_eq!(
            r.balance(&Account::daily(Physics, 2026)).unwrap().balance(),
            Money(99_000),
            "{label}"
        );
        // Listings follow the role.
        let accounts = r.balances().unwrap();
        assert_eq!(
            accounts.len(),
            usize::from(math) + usize::from(physics),
            "{label}"
        );
        assert_eq!(
            r.entries(&Account::daily(Physics, 2026)).unwrap().len(),
            if physics { 2 } else { 0 },
            "{label}"
        );
        let people: Vec<_> = r.people().collect::<Result<_, _>>().unwrap();
        assert_eq!(people.len(), usize::from(physics), "{label}");
        // The audit trail: a group's entries for who reads the group.
        for e in r.audit() {
            let e = e.unwrap();
            match e.project {
                Some(Math) => assert!(math, "{label}"),
                Some(Physics) => assert!(physics, "{label}"),
                Some(_) => {}
                None => assert!(ungrouped, "{label}"),
            }
            if let Command::Apply(input) = &e.command
                && input.project == Math
            {
                assert_eq!(input.phone == "13800000000", phone, "{label}");
            }
        }
        let physics_audit = r
            .audit()
            .filter(|e| e.as_ref().unwrap().project == Some(Physics))
            .count();
        assert_eq!(physics_audit > 0, physics, "{label}");
        // The overview: every group's counts, no other group's names.
        let o = qiangji::tui::model::overview(&r).unwrap();
        let phys = o.groups.iter().find(|g| g.project == Physics).unwrap();
        assert_eq!(phys.students, 1, "{label}");
    }
    // A math chief's physics read shows nothing of physics' names.
    let chief = actor("math_chief", Role::ChiefCoach(Math));
    let r = reg.reader(&chief);
    let mut w = qiangji::tui::model::workspace(&r, Physics).unwrap();
    qiangji::tui::model::read_ledger(&r, &mut w).unwrap();
    assert!(w.trainees.is_empty() && w.coaches.is_empty() && w.entries.is_empty());
    assert_eq!(w.ledger_count, 0);
    let mut json = Vec::new();
    qiangji::export::json(
        &r,
        qiangji::export::Kind::Trainees,
        &Default::default(),
        qiangji::i18n::Lang::En,
        &mut json,
    )
    .unwrap();
    let text = String::from_utf8(json).unwrap();
    assert!(
        text.contains("数学甲") && !text.contains("物理乙"),
        "{text}"
    );
}

#[test]
fn users_keys_and_fingerprints() {
    let (_dir, reg) = open();
    assert!(!reg.has_admin().unwrap());
    ok(
        &reg,
        &admin(),
        add_user("wang", "王老师", Role::Admin, format!("no-pty {ED25519}")),
    );
    ok(
        &reg,
        &admin(),
        add_user("li", "李首席", Role::ChiefCoach(Math), CHIEF_KEY),
    );
    assert!(reg.has_admin().unwrap());
    let wang = reg.user_by_fingerprint(ED25519_FP).unwrap().unwrap();
    assert_eq!((wang.login.as_str(), &wang.role), ("wang", &Role::Admin));
    assert_eq!(wang.keys[0].comment, "test@qiangji");
    assert_eq!(
        reg.user_by_fingerprint(CHIEF_FP).unwrap().unwrap().login,
        "li"
    );
    assert!(reg.user_by_fingerprint("SHA256:unknown").unwrap().is_none());

    // A key belongs to one active user.
    let e = refused(reg.apply(&admin(), add_user("zhao", "赵", Role::Finance, ED25519)));
    assert_matches!(e, RegistryError::DuplicateKey { .. });
    let e = refused(reg.apply(
        &admin(),
        add_user("zhao", "赵", Role::Finance, "ssh-ed25519 AAAA broken"),
    ));
    assert_matches!(e, RegistryError::Key(_));
    // Only admin manages users.
    let li = reg
        .user_by_login("li")
        .unwrap()
        .unwrap()
        .actor(Some(CHIEF_FP));
    let e = refused(reg.apply(
        &li,
        Command::RemoveUser {
            login: "wang".into(),
        },
    ));
    assert_matches!(e, RegistryError::Forbidden { .. });

    // The key's fingerprint is in the audit entry of what the user did.
    let t = ok(
        &reg,
        &li,
        Command::Apply(application(TraineeKind::Student, "数学丙", Math)),
    );
    let entry = reg
        .audit()
        .map(Result::unwrap)
        .find(|e| e.id == t.audit_id)
        .unwrap();
    assert_eq!(
        (entry.actor.as_str(), entry.key.as_deref()),
        ("li", Some(CHIEF_FP))
    );

    // Removal keeps the record and ends the login.
    let wang_actor = wang.actor(Some(ED25519_FP));
    let e = refused(reg.apply(
        &wang_actor,
        Command::RemoveUser {
            login: "wang".into(),
        },
    ));
    assert_matches!(e, RegistryError::RemoveSelf);
    ok(
        &reg,
        &wang_actor,
        Command::RemoveUser { login: "li".into() },
    );
    assert!(reg.user_by_fingerprint(CHIEF_FP).unwrap().is_none());
    let li_record = reg.user_by_login("li").unwrap().unwrap();
    assert_eq!(li_record.removed.as_ref().unwrap().by, "wang");
    assert_eq!(reg.users().unwrap().len(), 2);
    let e = refused(reg.apply(&wang_actor, Command::RemoveUser { login: "li".into() }));
    assert_matches!(e, RegistryError::AlreadyRemoved { .. });
    // Readers: admin lists everyone, others only themselves.
    assert_eq!(reg.reader(&wang_actor).users().unwrap().len(), 2);
    assert_eq!(reg.reader(&li).users().unwrap().len(), 1);
    assert_consistent(&reg);
}

/// A session keeps the actor it logged in as; the registry checks it
/// against the user record inside each write's transaction, so a session
/// of a user removed, stripped of that key or given another role since is
/// refused whatever its screen still shows. No timing: the order of the
/// writes is the race.
#[test]
fn a_write_by_a_user_changed_since_login_is_refused_by_the_registry() {
    let (_dir, reg) = open();
    ok(&reg, &admin(), add_user("wang", "王", Role::Admin, ED25519));
    ok(
        &reg,
        &admin(),
        add_user("li", "李首席", Role::ChiefCoach(Math), CHIEF_KEY),
    );
    let li = reg
        .user_by_login("li")
        .unwrap()
        .unwrap()
        .actor(Some(CHIEF_FP));
    let apply = |who: &Actor, name: &str| {
        reg.apply(
            who,
            Command::Apply(application(TraineeKind::Student, name, Math)),
        )
    };
    apply(&li, "数学甲").unwrap();

    // Role changed: the old session's role no longer holds.
    ok(
        &reg,
        &admin(),
        Command::ChangeUser {
            login: "li".into(),
            role: Role::Coach(Math),
            lang: Some(qiangji::i18n::Lang::En),
        },
    );
    assert_matches!(
        refused(apply(&li, "数学乙")),
        RegistryError::ActorChanged { .. }
    );
    let now = reg.user_by_login("li").unwrap().unwrap();
    assert_eq!(
        (&now.role, now.lang),
        (&Role::Coach(Math), Some(qiangji::i18n::Lang::En))
    );
    // Back to chief: a session as chief acts again.
    ok(
        &reg,
        &admin(),
        Command::ChangeUser {
            login: "li".into(),
            role: Role::ChiefCoach(Math),
            lang: None,
        },
    );
    apply(&li, "数学乙").unwrap();

    // A second key, then the first taken away: that session ends, the other acts.
    ok(
        &reg,
        &admin(),
        Command::AddUserKey {
            login: "li".into(),
            key: LAPTOP_KEY.into(),
        },
    );
    let e = refused(reg.apply(
        &admin(),
        Command::AddUserKey {
            login: "li".into(),
            key: CHIEF_KEY.into(),
        },
    ));
    assert_matches!(e, RegistryError::DuplicateKey { .. });
    let e = refused(reg.apply(
        &admin(),
        Command::RemoveUserKey {
            login: "li".into(),
            fingerprint: "SHA256:nothing".into(),
        },
    ));
    assert_matches!(e, RegistryError::NoSuchKey { .. });
    ok(
        &reg,
        &admin(),
        Command::RemoveUserKey {
            login: "li".into(),
            fingerprint: CHIEF_FP.into(),
        },
    );
    assert!(reg.user_by_fingerprint(CHIEF_FP).unwrap().is_none());
    assert_matches!(
        refused(apply(&li, "数学丙")),
        RegistryError::ActorChanged { .. }
    );
    let laptop = reg
        .user_by_fingerprint(LAPTOP_FP)
        .unwrap()
        .unwrap()
        .actor(Some(LAPTOP_FP));
    apply(&laptop, "数学丙").unwrap();

    // Removed: refused, and the key may go to someone else.
    let wang = reg
        .user_by_login("wang")
        .unwrap()
        .unwrap()
        .actor(Some(ED25519_FP));
    ok(&reg, &wang, Command::RemoveUser { login: "li".into() });
    let li_now = reg.user_by_login("li").unwrap().unwrap();
    assert!(li_now.removed.is_some());
    // An admin cannot take their own admin role or last key.
    let e = refused(reg.apply(
        &wang,
        Command::RemoveUserKey {
            login: "wang".into(),
            fingerprint: ED25519_FP.into(),
        },
    ));
    assert_matches!(e, RegistryError::LastAdmin);
    let e = refused(reg.apply(
        &wang,
        Command::ChangeUser {
            login: "wang".into(),
            role: Role::Finance,
            lang: None,
        },
    ));
    assert_matches!(e, RegistryError::LastAdmin);
    // Every user change counted: what the SSH sessions watch.
    assert!(reg.user_generation() >= 7);
    assert_consistent(&reg);
}

#[test]
fn the_user_commands() {
    use std::process::Command as Process;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let key = dir.path().join("id.pub");
    std::fs::write(&key, format!("# mine\n{ED25519}\n")).unwrap();
    let q = |args: &[&str]| {
        Process::new(env!("CARGO_BIN_EXE_qiangji"))
            .arg("--db")
            .arg(&db)
            .args(args)
            .env("USER", "ops")
            .output()
            .unwrap()
    };
    let out = q(&[
        "user",
        "add",
        "wang",
        "--role",
        "admin",
        "--key",
        key.to_str().unwrap(),
    ]);
    common::process::assert_ran(&out);
    assert!(String::from_utf8_lossy(&out.stderr).contains(ED25519_FP));
    let out = q(&[
        "user",
        "add",
        "li",
        "--role",
        "chief",
        "--key",
        key.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(64), "a chief needs a group");
    let out = q(&["--lang", "en", "user", "list"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("wang") && text.contains(ED25519_FP) && text.contains("active"),
        "{text}"
    );
    let out = q(&["user", "list", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v[0]["role"], "admin");
    assert_eq!(v[0]["keys"][0]["fingerprint"], ED25519_FP);
    assert_eq!(v[0]["added_by"], "ops");
    // Keys and language after the fact.
    let other = dir.path().join("other.pub");
    std::fs::write(&other, format!("{CHIEF_KEY}\n")).unwrap();
    let out = q(&["user", "key", "add", "wang", other.to_str().unwrap()]);
    common::process::assert_ran(&out);
    assert!(String::from_utf8_lossy(&out.stderr).contains(CHIEF_FP));
    let out = q(&["user", "change", "wang", "--language", "en"]);
    common::process::assert_ran(&out);
    let out = q(&["user", "key", "remove", "wang", ED25519_FP]);
    common::process::assert_ran(&out);
    let out = q(&["user", "list", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v[0]["lang"], "en");
    assert_eq!(v[0]["keys"].as_array().unwrap().len(), 1);
    assert_eq!(v[0]["keys"][0]["fingerprint"], CHIEF_FP);
    let out = q(&["user", "key", "remove", "wang", ED25519_FP]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = q(&[
        "user",
        "add",
        "zhou",
        "--role",
        "finance",
        "--language",
        "en",
        "--key",
        key.to_str().unwrap(),
    ]);
    common::process::assert_ran(&out);
    let out = q(&["user", "list", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let zhou = v
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["login"] == "zhou")
        .unwrap();
    assert_eq!(
        (zhou["lang"].as_str(), zhou["role"].as_str()),
        (Some("en"), Some("finance"))
    );
    let out = q(&["user", "remove", "wang"]);
    assert!(out.status.success());
    let out = q(&["user", "remove", "nobody"]);
    assert_eq!(out.status.code(), Some(1));
    let out = q(&["user", "list", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v[0]["removed_by"], "ops");
}

#[test]
fn the_users_screen_adds_and_removes_users_and_is_the_admins() {
    use common::ui::{ENTER, TAB, app_as, demo, press, send, typed};
    use qiangji::tui::app::{App, Message};
    use qiangji::tui::key::Key;

    let (_dir, registry) = demo();
    let mut app = app_as(&registry, qiangji::i18n::Lang::En, "coordinator");
    press(&mut app, &[Key::char('M')]);
    assert!(
        app.screen_text().contains("Users (9)"),
        "{}",
        app.screen_text()
    );
    // N: login, name, role (chief), group (math), the pasted key.
    press(&mut app, &[Key::char('N')]);
    typed(&mut app, "wang.li");
    press(&mut app, &[TAB]);
    typed(&mut app, "王丽");
    press(&mut app, &[TAB, TAB, TAB]);
    send(&mut app, Message::Paste(CHIEF_KEY.to_string()));
    press(&mut app, &[ENTER]);
    assert!(
        app.form().is_none(),
        "{:?}",
        app.form().and_then(|f| f.refusal.clone())
    );
    let u = registry.user_by_fingerprint(CHIEF_FP).unwrap().unwrap();
    assert_eq!(
        (u.login.as_str(), &u.role),
        ("wang.li", &Role::ChiefCoach(Math))
    );
    assert!(app.screen_text().contains("wang.li"));
    // X on the selected user asks; "no" (the default) removes nothing.
    press(&mut app, &[Key::char('X'), ENTER]);
    assert!(app.form().is_some_and(|f| f.refusal.is_some()));

    // A chief sees their name and role in the title and may not open it.
    let chief = Actor::with_role("wang.li", Role::ChiefCoach(Math));
    let mut app = App::with_registry(
        qiangji::i18n::Lang::Zh,
        qiangji::tui::keymap::Keymap::default_keymap(),
        qiangji::tui::theme::ColorMode::None,
        chief,
        registry.clone(),
    );
    press(&mut app, &[]);
    let first_line = app
        .screen_text()
        .lines()
        .next()
        .unwrap_or_default()
        .to_string();
    assert!(
        first_line.contains("wang.li · 数学组首席教练员"),
        "{first_line}"
    );
    press(&mut app, &[Key::char('M')]);
    assert!(
        app.screen_text().contains("只有工作专班"),
        "{}",
        app.screen_text()
    );
    // The physics workspace shows nothing of physics' names.
    let physics_names = common::trainee_names(&registry, Physics);
    press(&mut app, &[Key::char('2')]);
    let text = app.screen_text();
    assert!(!physics_names.is_empty());
    for name in &physics_names {
        assert!(
            !text.contains(name.as_str()),
            "{name} shown to a math chief:\n{text}"
        );
    }
}

/// Which kind of command `c` is, as an index: naming every variant (no
/// wildcard), so a new kind of command fails to compile here until the
/// masking test below covers it.
fn command_kind(c: &Command) -> usize {
    use Command as C;
    match c {
        C::AddUser { .. } => 0,
        C::RemoveUser { .. } => 1,
        C::AddPerson(_) => 2,
        C::UpdatePerson { .. } => 3,
        C::Nominate { .. } => 4,
        C::AdvanceCoach { .. } => 5,
        C::ApplySchool(_) => 6,
        C::DecideSchool { .. } => 7,
        C::Apply(_) => 8,
        C::UpdateContact { .. } => 9,
        C::AddRecommender { .. } => 10,
        C::Recommend { .. } => 11,
        C::Select { .. } => 12,
        C::Announce { .. } => 13,
        C::RaiseObjection { .. } => 14,
        C::ResolveObjection { .. } => 15,
        C::File { .. } => 16,
        C::Enrol { .. } => 17,
        C::Withdraw { .. } => 18,
        C::Reinstate { .. } => 19,
        C::RecordAssessment { .. } => 20,
        C::CorrectAssessment { .. } => 21,
        C::AddEntry { .. } => 22,
        C::ReverseEntry { .. } => 23,
        C::SetPlan { .. } => 24,
        C::RecordFiling { .. } => 25,
        C::Undo { .. } => 26,
        C::ApplyRecommended { .. } => 27,
        C::RecordAchievement { .. } => 28,
        C::UpdateTrainee { .. } => 29,
        C::AddUserKey { .. } => 30,
        C::RemoveUserKey { .. } => 31,
        C::ChangeUser { .. } => 32,
        C::PlanSessions { .. } => 33,
        C::MoveSession { .. } => 34,
        C::CancelSession { .. } => 35,
        C::HoldSession { .. } => 36,
        C::MarkAttendance { .. } => 37,
        C::AddClass { .. } => 38,
        C::PlaceInClass { .. } => 39,
        C::LeaveClass { .. } => 40,
        C::RecordDevelopment { .. } => 41,
        C::SetAttendanceThreshold { .. } => 42,
        C::SetPlanParts { .. } => 43,
        C::RetractApplication { .. } => 44,
        C::CorrectApplication { .. } => 45,
    }
}
const COMMAND_KINDS: usize = 46;

/// A run of 8 or more digits: a phone number shown in full (masked ones
/// read `138****0000`; dates, ids and amounts here are shorter).
fn full_phone(text: &str) -> Option<String> {
    let mut run = String::new();
    for c in text.chars().chain(std::iter::once(' ')) {
        if c.is_ascii_digit() {
            run.push(c);
        } else if run.len() >= 8 {
            return Some(run);
        } else {
            run.clear();
        }
    }
    None
}

#[test]
fn every_command_kind_in_the_audit_trail_is_read_with_phones_masked() {
    use qiangji::registry::{AuditEntry, RecordKind, Snapshot, TraineeDetails};
    let (_dir, reg, m, _p) = math_and_physics_with_funds();
    let trainee = common::trainee(&reg, m);
    let person_id = add_person(&reg, person("数学教练", Math, CoachRole::Coach));
    let person = reg.person(person_id).unwrap().unwrap();
    let school_id = school(&reg, "青岛第九中学", vec![Math], true);
    let school = reg.school(school_id).unwrap().unwrap();

    // One command of every kind (the permission matrix's, and the kinds it
    // does not list), each also inside an undo, as the trail holds them.
    let mut commands: Vec<Command> = matrix().into_iter().map(|row| row.1).collect();
    commands.push(Command::ApplyRecommended {
        input: application(TraineeKind::Student, "导入生", Math),
        recommenders: vec!["张明老师".into()],
    });
    commands.push(Command::UpdateTrainee {
        id: m,
        version: 1,
        details: TraineeDetails::of(&trainee),
    });
    commands.push(Command::RecordAchievement {
        trainee: m,
        year: 2026,
        feat: qiangji::domain::achievement::Feat::Admission {
            university: "北京大学".into(),
        },
    });
    let undos: Vec<Command> = commands
        .iter()
        .map(|c| Command::Undo {
            of: 1,
            undone: Box::new(c.clone()),
            command: Box::new(Command::Undo {
                of: 2,
                undone: Box::new(c.clone()),
                command: Box::new(c.clone()),
            }),
        })
        .collect();
    commands.extend(undos);
    let covered: std::collections::BTreeSet<usize> = commands.iter().map(command_kind).collect();
    assert_eq!(
        covered.len(),
        COMMAND_KINDS,
        "a kind of command is not tested"
    );
    // The command's phones are in full before any masking: the test sees them.
    assert!(
        commands
            .iter()
            .filter(|c| full_phone(&format!("{c:?}")).is_some())
            .count()
            >= 14
    );

    let befores = [
        None,
        Some(Snapshot::Trainee(trainee)),
        Some(Snapshot::Person(person)),
        Some(Snapshot::School(school)),
    ];
    // (role, sees the math group's phones)
    let table = [
        (Role::Admin, true),
        (Role::ChiefCoach(Math), true),
        (Role::Coach(Math), false),
        (Role::Finance, false),
        (Role::Viewer(vec![Math]), false),
    ];
    let mut checked = 0;
    for (role, phones) in table {
        assert_eq!(role.sees_phones(Some(Math)), phones, "{role:?}");
        let who = actor("reader", role.clone());
        let r = reg.reader(&who);
        for command in &commands {
            for before in &befores {
                for project in [Some(Math), None] {
                    let entry = AuditEntry {
                        id: 1,
                        at: now(),
                        actor: "admin".into(),
                        project,
                        kind: RecordKind::Trainee,
                        record: 1,
                        command: command.clone(),
                        before: before.clone(),
                        key: None,
                    };
                    let Some(read) = r.audit_view(entry.clone()) else {
                        continue;
                    };
                    let text = format!("{:?} {:?}", read.command, read.before);
                    if role.sees_phones(project) {
                        assert_eq!(read, entry, "{role:?} reads it as it is");
                    } else if let Some(phone) = full_phone(&text) {
                        panic!("{role:?} reads the phone {phone} in full in {text}");
                    }
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 600, "{checked}");
}
