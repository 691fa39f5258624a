//! Setup shared by the integration tests: a fresh registry on a temporary
//! directory with a fixed clock, actors, and builders for the commands that
//! bring records to a given stage.

// Each test binary uses a different part of this module.
#![allow(dead_code)]

pub mod process;
pub mod tools;

use std::path::Path;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use tempfile::TempDir;

use qiangji::domain::{
    Account, Actor, ChiefCoachDetails, CoachRole, CoachStage, Gender, Money, Prize, PrizeLevel,
    ProjectId, Role, SchoolApplication, StudentResult, Trainee, TraineeKind, TraineeStage,
    TrainingMode,
};
use qiangji::i18n::{Lang, Localized};
use qiangji::registry::{
    ApplicationInput, Clock, Command, Event, Movement, PersonInput, Registry, RegistryError,
};

/// Opens, riding out the lock a just-dropped database in this process may
/// still hold for a moment (sled's I/O threads close the file after `drop`
/// returns: spacejam/sled#1234).
pub fn open_settled(dir: &Path, create: bool) -> Result<Registry, qiangji::store::OpenError> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(3);
    loop {
        match Registry::open(dir, create) {
            Err(qiangji::store::OpenError::Locked { .. })
                if std::time::Instant::now() < deadline =>
            {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            other => return other,
        }
    }
}

/// `value` matches `pattern`; else a failure showing it.
#[allow(unused_macros)]
macro_rules! assert_matches {
    ($value:expr, $pattern:pat $(if $guard:expr)?) => {
        assert!(matches!($value, $pattern $(if $guard)?), "{:?}", $value)
    };
}
#[allow(unused_imports)]
pub(crate) use assert_matches;

/// Monday 30 November 2026, 10:00 in Qingdao.
pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 30, 2, 0, 0).unwrap()
}

pub fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// A new, empty registry whose today is `day` (10:00 in Qingdao): for
/// stories that run past the fixed clock's today, since no step may be
/// recorded ahead of its date.
pub fn open_on(day: &str) -> (TempDir, Registry) {
    let dir = tempfile::tempdir().unwrap();
    let at = d(day).and_hms_opt(2, 0, 0).unwrap().and_utc();
    let reg = Registry::open(dir.path(), true)
        .unwrap()
        .with_clock(Clock::Fixed(at));
    (dir, reg)
}

/// A new, empty registry with the fixed clock. Keep the directory alive as long
/// as the registry.
pub fn open() -> (TempDir, Registry) {
    let dir = tempfile::tempdir().unwrap();
    let reg = open_at(dir.path());
    (dir, reg)
}

/// A new, empty registry with the fixed clock at `db`.
pub fn open_at(db: &Path) -> Registry {
    let reg = Registry::open(db, true).unwrap();
    reg.with_clock(Clock::Fixed(now()))
}

pub fn admin() -> Actor {
    Actor::admin("coordinator-wang")
}

pub fn actor(login: &str, role: Role) -> Actor {
    Actor::with_role(login, role)
}

/// Applies a command that must succeed, with the refusal in both languages if not.
pub fn ok(reg: &Registry, who: &Actor, command: Command) -> Event {
    match reg.apply(who, command.clone()) {
        Ok(e) => e,
        Err(e) => panic!(
            "{command:?} was refused: {} / {}",
            e.localized(Lang::Zh),
            e.localized(Lang::En)
        ),
    }
}

/// Applies several commands that must all succeed, in one transaction.
pub fn ok_batch(reg: &Registry, who: &Actor, commands: &[Command]) -> Vec<Event> {
    match reg.apply_batch(who, commands) {
        Ok(events) => events,
        Err(b) => panic!(
            "{:?} was refused: {}",
            commands.get(b.index),
            b.error.localized(Lang::En)
        ),
    }
}

/// `registry.check` must find nothing wrong.
pub fn assert_consistent(reg: &Registry) {
    let report = reg.check(Lang::En).unwrap();
    assert!(
        report.ok(),
        "check found violations: {:#?}",
        report.violations
    );
}

// ---------------------------------------------------------------- trainees

pub fn application(kind: TraineeKind, name: &str, project: ProjectId) -> ApplicationInput {
    ApplicationInput {
        kind,
        name: name.to_string(),
        gender: Gender::Female,
        home_school: "青岛第二中学".to_string(),
        district: "市南区".to_string(),
        grade: match kind {
            TraineeKind::Student => "高一".to_string(),
            TraineeKind::Teacher => "数学教师".to_string(),
        },
        phone: "13800000000".to_string(),
        project,
        date: d("2026-09-01"),
    }
}

/// Monday; five working days end on Friday 2026-09-18.
pub const ANNOUNCE_START: &str = "2026-09-14";
pub const ANNOUNCE_END: &str = "2026-09-18";
pub const FILE_DATE: &str = "2026-09-21";
pub const ENROL_DATE: &str = "2026-09-22";

pub const RECOMMENDERS: [&str; 2] = ["张明老师", "李红老师"];

/// The commands that take a trainee fresh from its application (version 1)
/// to `until`, each with the version the previous one leaves.
pub fn pipeline(
    id: u64,
    kind: TraineeKind,
    until: TraineeStage,
    mode: TrainingMode,
) -> Vec<Command> {
    let mut out = Vec::new();
    let mut v = 0;
    let mut version = || {
        v += 1;
        v
    };
    let reached = |s: TraineeStage| s <= until;
    if kind == TraineeKind::Student && reached(TraineeStage::Recommended) {
        for teacher in RECOMMENDERS {
            out.push(Command::AddRecommender {
                id,
                version: version(),
                teacher: teacher.to_string(),
            });
        }
    }
    if reached(TraineeStage::Recommended) {
        out.push(Command::Recommend {
            id,
            version: version(),
            date: d("2026-09-05"),
        });
    }
    if reached(TraineeStage::Selected) {
        out.push(Command::Select {
            id,
            version: version(),
            date: d("2026-09-10"),
            selected: true,
        });
    }
    if reached(TraineeStage::Announced) {
        out.push(Command::Announce {
            id,
            version: version(),
            start: d(ANNOUNCE_START),
            working_days: 5,
        });
    }
    if reached(TraineeStage::Filed) {
        out.push(Command::File {
            id,
            version: version(),
            date: d(FILE_DATE),
        });
    }
    if reached(TraineeStage::Enrolled) {
        out.push(Command::Enrol {
            id,
            version: version(),
            date: d(ENROL_DATE),
            mode,
            commitment_signed: d(ENROL_DATE),
        });
    }
    out
}

/// Creates trainees named `{prefix}{n}` and brings each to `until`: two
/// transactions however many there are.
pub fn trainees_at(
    reg: &Registry,
    kind: TraineeKind,
    project: ProjectId,
    prefix: &str,
    n: usize,
    until: TraineeStage,
) -> Vec<u64> {
    if n == 0 {
        return Vec::new();
    }
    let applies: Vec<Command> = (1..=n)
        .map(|i| Command::Apply(application(kind, &format!("{prefix}{i}"), project)))
        .collect();
    let ids: Vec<u64> = ok_batch(reg, &admin(), &applies)
        .iter()
        .map(|e| e.id)
        .collect();
    let steps: Vec<Command> = ids
        .iter()
        .flat_map(|&id| pipeline(id, kind, until, TrainingMode::Commuting))
        .collect();
    if !steps.is_empty() {
        ok_batch(reg, &admin(), &steps);
    }
    ids
}

/// One trainee named `name`, brought to `until`.
pub fn trainee_at(
    reg: &Registry,
    kind: TraineeKind,
    project: ProjectId,
    name: &str,
    until: TraineeStage,
) -> u64 {
    let id = ok(
        reg,
        &admin(),
        Command::Apply(application(kind, name, project)),
    )
    .id;
    let steps = pipeline(id, kind, until, TrainingMode::Commuting);
    if !steps.is_empty() {
        ok_batch(reg, &admin(), &steps);
    }
    id
}

/// An objection to trainee `id`'s announcement raised on `date`.
pub fn objection(reg: &Registry, id: u64, date: &str, text: &str) -> Command {
    let (version, date, text) = (tv(reg, id), d(date), text.to_string());
    Command::RaiseObjection {
        id,
        version,
        date,
        text,
    }
}

/// The names of `project`'s trainees, in the registry's order.
pub fn trainee_names(reg: &Registry, project: ProjectId) -> Vec<String> {
    let trainees = reg.trainees(project).unwrap();
    trainees.into_iter().map(|t| t.name).collect()
}

pub fn trainee(reg: &Registry, id: u64) -> Trainee {
    reg.trainee(id).unwrap().expect("trainee exists")
}

pub fn tv(reg: &Registry, id: u64) -> u32 {
    trainee(reg, id).stamp.version
}

// ---------------------------------------------------------------- coaches

fn result(level: PrizeLevel, prize: Prize, year: i32) -> StudentResult {
    StudentResult {
        level,
        prize,
        year,
        competition: "全国中学生数学奥林匹克".to_string(),
    }
}

/// Someone who meets annex 1-1 for `role` on any date in 2026.
pub fn person(name: &str, subject: ProjectId, role: CoachRole) -> PersonInput {
    let (teaching, coaching, results) = match role {
        CoachRole::Chief => (
            "2008-09-01",
            "2012-09-01",
            vec![
                result(PrizeLevel::National, Prize::Second, 2019),
                result(PrizeLevel::Provincial, Prize::First, 2024),
            ],
        ),
        CoachRole::Coach => (
            "2012-09-01",
            "2016-09-01",
            vec![result(PrizeLevel::Provincial, Prize::First, 2024)],
        ),
        CoachRole::Assistant => ("2020-09-01", "2022-09-01", vec![]),
    };
    PersonInput {
        name: name.to_string(),
        gender: Gender::Male,
        school: "青岛第二中学".to_string(),
        subject,
        title: "高级教师".to_string(),
        phone: "0532-85912345".to_string(),
        teaching_since: d(teaching),
        coaching_since: Some(d(coaching)),
        coaching_now: true,
        results,
        research_outputs: if subject == ProjectId::Humanities {
            vec!["《甲骨文字形演变研究》".to_string()]
        } else {
            vec![]
        },
    }
}

pub fn add_person(reg: &Registry, input: PersonInput) -> u64 {
    ok(reg, &admin(), Command::AddPerson(input)).id
}

pub fn nominate(reg: &Registry, person: u64, project: ProjectId, role: CoachRole) -> u64 {
    let term_years = if role == CoachRole::Chief { 3 } else { 2 };
    ok(
        reg,
        &admin(),
        Command::Nominate {
            date: d("2026-06-01"),
            person,
            project,
            role,
            term_start: d("2026-09-01"),
            term_years,
        },
    )
    .id
}

/// A new person of `project`'s subject, nominated to `role` there.
pub fn nominee(reg: &Registry, name: &str, project: ProjectId, role: CoachRole) -> u64 {
    let p = add_person(reg, person(name, project, role));
    nominate(reg, p, project, role)
}

pub fn advance(id: u64, version: u32, to: CoachStage) -> Command {
    advance_on(id, version, to, "2026-09-15")
}

pub fn advance_on(id: u64, version: u32, to: CoachStage, date: &str) -> Command {
    Command::AdvanceCoach {
        id,
        version,
        to,
        date: d(date),
        justification: None,
    }
}

/// Nominates a qualified person and brings the appointment to Active.
pub fn active_coach(reg: &Registry, name: &str, project: ProjectId, role: CoachRole) -> u64 {
    let p = add_person(reg, person(name, project, role));
    let c = nominate(reg, p, project, role);
    // A chief coach is announced for a full period before filing; the others
    // are filed straight away.
    let steps = if role == CoachRole::Chief {
        vec![
            advance_on(c, 1, CoachStage::Announced, "2026-09-01"),
            advance(c, 2, CoachStage::Filed),
            advance(c, 3, CoachStage::Active),
        ]
    } else {
        vec![
            advance(c, 1, CoachStage::Filed),
            advance(c, 2, CoachStage::Active),
        ]
    };
    ok_batch(reg, &admin(), &steps);
    c
}

pub fn coach_version(reg: &Registry, id: u64) -> u32 {
    reg.coach(id)
        .unwrap()
        .expect("appointment exists")
        .stamp
        .version
}

// ---------------------------------------------------------------- schools

pub fn school_application(name: &str, projects: Vec<ProjectId>) -> SchoolApplication {
    SchoolApplication {
        district: "市南区".to_string(),
        name: name.to_string(),
        projects,
        principal: "周校长".to_string(),
        phone: "0532-82861234".to_string(),
        chief_coach: ChiefCoachDetails {
            name: "王海峰".to_string(),
            gender: Gender::Male,
            birth_month: d("1980-05-01"),
            work_start: d("2003-08-01"),
            subject: "数学".to_string(),
            title: "正高级教师".to_string(),
            achievements: "指导学生获全国中学生数学奥林匹克金牌".to_string(),
        },
        track_record: "多年承担竞赛培训".to_string(),
        work_plan: "每周两次集中培训".to_string(),
        district_recommendation: "同意推荐".to_string(),
        applied_on: d("2026-03-01"),
    }
}

/// A base school, approved when `approve` is set.
pub fn school(reg: &Registry, name: &str, projects: Vec<ProjectId>, approve: bool) -> u64 {
    let id = ok(
        reg,
        &admin(),
        Command::ApplySchool(school_application(name, projects)),
    )
    .id;
    if approve {
        ok(
            reg,
            &admin(),
            Command::DecideSchool {
                id,
                version: 1,
                approve: true,
                date: d("2026-04-01"),
                note: "同意".to_string(),
            },
        );
    }
    id
}

// ---------------------------------------------------------------- ledger

/// An entry on 10 October of its account's year (an entry lies in its year).
pub fn entry(account: Account, movement: Movement, amount: Money) -> Command {
    Command::AddEntry {
        account,
        date: NaiveDate::from_ymd_opt(account.year, 10, 10).unwrap_or_else(|| d("2026-10-10")),
        movement,
        amount,
        category: match movement {
            Movement::Allocation => "拨款".to_string(),
            Movement::Expense => "资料".to_string(),
        },
        voucher: "记-001".to_string(),
        payee: "青岛新华书店".to_string(),
        note: String::new(),
    }
}

/// An entry of `yuan` yuan that the administrator records (and the test
/// expects to be accepted).
pub fn book(reg: &Registry, account: Account, movement: Movement, yuan: i64) -> Event {
    ok(
        reg,
        &admin(),
        entry(account, movement, Money::from_yuan(yuan)),
    )
}

pub fn reverse(entry: u64) -> Command {
    Command::ReverseEntry {
        entry,
        date: d("2026-10-20"),
        note: "录入错误".to_string(),
    }
}

// ---------------------------------------------------------------- messages

/// Both messages of a refusal must contain the given facts.
/// A message is exactly `zh` in Chinese and `en` in English.
pub fn assert_words(message: &impl Localized, zh: &str, en: &str) {
    let both = [Lang::Zh, Lang::En].map(|lang| message.localized(lang));
    assert_eq!(both, [zh.to_string(), en.to_string()]);
}

pub fn assert_says(e: &RegistryError, zh: &[&str], en: &[&str]) {
    let z = e.localized(Lang::Zh);
    for s in zh {
        assert!(
            z.contains(s),
            "Chinese message {z:?} does not mention {s:?}"
        );
    }
    let n = e.localized(Lang::En);
    for s in en {
        assert!(
            n.contains(s),
            "English message {n:?} does not mention {s:?}"
        );
    }
}

/// The refusal of a command that must be refused.
pub fn refused(r: Result<Event, RegistryError>) -> RegistryError {
    match r {
        Ok(e) => panic!("expected a refusal, got {e:?}"),
        Err(e) => e,
    }
}
pub mod ui;
