//! Demo data, written through the registry like any other change.
//!
//! `city` is one realistic year of Qingdao's programme around today: six groups
//! with their coaches, base schools, 40-50 enrolled students each, applicants at
//! every stage, two semesters of assessments, and a year of spending. `province`
//! is ten school years at a scale far beyond one city, for measuring.

mod names;

use chrono::{Datelike, Duration, NaiveDate};
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::domain::calendar::{add_years, announcement_end};
use crate::domain::ledger::DEFAULT_CATEGORIES;
use crate::domain::{
    Account, Actor, ChiefCoachDetails, CoachRole, CoachStage, Document, Gender, Money, Outcome,
    Prize, PrizeLevel, ProjectId, Role, SchoolApplication, Score, Semester, StudentResult, Target,
    TraineeKind, TraineeStage, TrainingMode, WithdrawalReason,
};
use crate::i18n::{Lang, Localized};
use crate::registry::{
    ApplicationInput, BatchError, Command, Event, Movement, PersonInput, Registry,
};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Scale {
    /// One city year: six groups, ~300 enrolled students
    City,
    /// Ten school years, 100 000+ trainees, 500 000+ assessments, 1 000 000+ ledger entries
    Province,
}

#[derive(Debug, Default, Clone, Copy)]
pub struct Summary {
    pub commands: usize,
    pub trainees: usize,
    pub assessments: usize,
    pub entries: usize,
}

impl Summary {
    pub fn describe(&self, lang: Lang) -> String {
        match lang {
            Lang::Zh => format!(
                "{} 条命令，{} 名学员，{} 条考核结果，{} 笔台账记录",
                self.commands, self.trainees, self.assessments, self.entries
            ),
            Lang::En => format!(
                "{} commands, {} trainees, {} assessments, {} ledger entries",
                self.commands, self.trainees, self.assessments, self.entries
            ),
        }
    }
}

#[derive(Debug, thiserror::Error)]
#[error("demo data refused: {0}")]
pub struct DemoError(#[from] BatchError);

/// A read between batches that failed.
impl From<crate::store::StoreError> for DemoError {
    fn from(e: crate::store::StoreError) -> Self {
        DemoError(e.into())
    }
}

impl Localized for DemoError {
    fn localized(&self, lang: Lang) -> String {
        format!(
            "{}{}",
            lang.pick("演示数据写入被拒绝：", "demo data refused: "),
            self.0.error.localized(lang)
        )
    }
}

/// The date fixed-clock demos (screenshots, snapshot tests) show: 2026-11-29.
pub fn fixed_clock() -> crate::registry::Clock {
    use chrono::TimeZone;
    crate::registry::Clock::Fixed(
        chrono::Utc
            .with_ymd_and_hms(2026, 11, 29, 2, 0, 0)
            .single()
            .unwrap_or_default(),
    )
}

/// A city demo in `dir` on the fixed date, identical on every run: what
/// screenshots and snapshot tests are made from.
pub fn fixed_city(dir: &std::path::Path) -> Result<Registry, FixedDemoError> {
    let registry = Registry::open(dir, true)?.with_clock(fixed_clock());
    generate(&registry, Scale::City, 2026)?;
    Ok(registry)
}

#[derive(Debug, thiserror::Error)]
pub enum FixedDemoError {
    #[error("{0}")]
    Open(#[from] crate::store::OpenError),
    #[error("{0}")]
    Demo(#[from] DemoError),
}

impl Localized for FixedDemoError {
    fn localized(&self, lang: Lang) -> String {
        match self {
            FixedDemoError::Open(e) => e.localized(lang),
            FixedDemoError::Demo(e) => e.localized(lang),
        }
    }
}

mod training;

pub fn generate(registry: &Registry, scale: Scale, seed: u64) -> Result<Summary, DemoError> {
    let mut w = Writer {
        registry,
        actor: Actor::admin("demo"),
        rng: ChaCha8Rng::seed_from_u64(seed),
        pending: Vec::new(),
        pending_at: Vec::new(),
        late: None,
        held_back: None,
        caught_up: Vec::new(),
        summary: Summary::default(),
        chunk: match scale {
            Scale::City => 5_000,
            Scale::Province => 4_000,
        },
        progress: scale == Scale::Province,
        started: std::time::Instant::now(),
    };
    match scale {
        Scale::City => city(&mut w)?,
        Scale::Province => province(&mut w)?,
    }
    w.flush()?;
    Ok(w.summary)
}

/// The province demo's training, on any database: for every group, a class
/// of `class_size` enrolled trainees not yet in a class at a base school
/// serving it, a Saturday course for the class through the school year
/// (holidays skipped) and attendance for its sessions before today but the
/// latest. Tests run it on a city demo with a small class.
pub fn province_training(registry: &Registry, class_size: usize) -> Result<Summary, DemoError> {
    let mut w = Writer {
        registry,
        actor: Actor::admin("demo"),
        rng: ChaCha8Rng::seed_from_u64(0),
        pending: Vec::new(),
        pending_at: Vec::new(),
        late: None,
        held_back: None,
        caught_up: Vec::new(),
        summary: Summary::default(),
        chunk: 4_000,
        progress: false,
        started: std::time::Instant::now(),
    };
    let schools = registry.schools()?;
    for (gi, project) in ProjectId::ALL.into_iter().enumerate() {
        let school = schools
            .iter()
            .filter(|s| s.serves(project))
            .map(|s| s.id)
            .min();
        if let Some(school) = school {
            training::province_group(&mut w, project, gi, school, class_size)?;
        }
    }
    w.flush()?;
    Ok(w.summary)
}

/// Queues commands and applies them in batches; one flush per batch keeps a
/// province-sized load within minutes. A trainee's stage is recorded on the
/// day it states (at 10:00 in Qingdao, never after the clock's now), as a
/// coordinator keeping the records up would have: only the stages the city
/// demo enters late on purpose show 补录 (an enrolment of last year's
/// intake, and a filing held back to be recorded with the last writes, as a
/// coordinator catching up would, where the audit trail starts).
struct Writer<'a> {
    registry: &'a Registry,
    actor: Actor,
    rng: ChaCha8Rng,
    pending: Vec<Command>,
    /// When each pending command is recorded; none: the clock's now.
    pending_at: Vec<Option<chrono::DateTime<chrono::Utc>>>,
    /// The trainee whose enrolment is recorded this many days after its
    /// date (补录), once.
    late: Option<(u64, i64)>,
    /// The trainee whose filing (备案) is held back, to be recorded with the
    /// last writes (`catch_up`).
    held_back: Option<u64>,
    /// What was held back, in order.
    caught_up: Vec<Command>,
    summary: Summary,
    chunk: usize,
    progress: bool,
    started: std::time::Instant,
}

impl Writer<'_> {
    fn push(&mut self, c: Command) -> Result<(), DemoError> {
        match &c {
            Command::Apply(_) => self.summary.trainees += 1,
            Command::RecordAssessment { .. } => self.summary.assessments += 1,
            Command::AddEntry { .. } | Command::ReverseEntry { .. } => self.summary.entries += 1,
            _ => {}
        }
        self.queue(c);
        if self.pending.len() >= self.chunk {
            self.flush()?;
        }
        Ok(())
    }

    /// Queues `c` with the time it is recorded at; the filing held back
    /// waits for `catch_up`.
    fn queue(&mut self, c: Command) {
        if let (Some(id), Command::File { id: of, .. }) = (self.held_back, &c)
            && id == *of
        {
            self.held_back = None;
            self.caught_up.push(c);
            return;
        }
        let at = self.recorded_at(&c);
        self.pending.push(c);
        self.pending_at.push(at);
    }

    /// A stage's stated day at 10:00 in Qingdao, or later for the late
    /// enrolment; never after now. None for commands that state no stage.
    fn recorded_at(&mut self, c: &Command) -> Option<chrono::DateTime<chrono::Utc>> {
        let mut day = crate::registry::late::stated_date(c)?;
        if let (Some((id, days)), Command::Enrol { id: of, .. }) = (self.late, c)
            && id == *of
        {
            day += Duration::days(days);
            self.late = None;
        }
        let at = day.and_hms_opt(2, 0, 0)?.and_utc();
        Some(at.min(self.registry.now()))
    }

    /// Queues what was held back, recorded at the clock's now: the
    /// coordinator catching up on a stage days after its date (补录).
    fn catch_up(&mut self) {
        let now = self.registry.now();
        for c in std::mem::take(&mut self.caught_up) {
            self.pending.push(c);
            self.pending_at.push(Some(now));
        }
    }

    fn flush(&mut self) -> Result<Vec<Event>, DemoError> {
        let cmds = std::mem::take(&mut self.pending);
        let at = std::mem::take(&mut self.pending_at);
        let before = self.summary.commands;
        self.summary.commands += cmds.len();
        if self.progress && before / 100_000 != self.summary.commands / 100_000 {
            eprintln!(
                "  {} ({:.0} s)",
                self.summary.commands,
                self.started.elapsed().as_secs_f64()
            );
        }
        Ok(self.registry.apply_batch_at(&self.actor, &cmds, &at)?)
    }

    /// Applies everything queued plus `c` now, and returns the id `c` created.
    fn create(&mut self, c: Command) -> Result<u64, DemoError> {
        self.queue(c);
        let events = self.flush()?;
        Ok(events.last().map(|e| e.id).unwrap_or_default())
    }

    /// Applies `cs` (after anything queued) and returns the ids they created.
    fn create_all(&mut self, cs: Vec<Command>) -> Result<Vec<u64>, DemoError> {
        let n = cs.len();
        for c in &cs {
            if matches!(c, Command::Apply(_)) {
                self.summary.trainees += 1;
            }
        }
        for c in cs {
            self.queue(c);
        }
        let events = self.flush()?;
        Ok(events[events.len() - n..].iter().map(|e| e.id).collect())
    }
}

fn d(y: impl Into<i32>, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y.into(), m, day).unwrap_or(NaiveDate::MIN)
}

fn gender<R: Rng>(rng: &mut R) -> Gender {
    if rng.random_bool(0.5) {
        Gender::Male
    } else {
        Gender::Female
    }
}

/// A trainee's way from application to enrolment, as commands with the
/// versions each step will find.
struct Pipeline {
    id: u64,
    version: u32,
}

impl Pipeline {
    fn next(&mut self) -> u32 {
        let v = self.version;
        self.version += 1;
        v
    }
}

/// Queues the steps after application up to `until` (inclusive): recommend,
/// select, announce, file, enrol. Returns the pipeline for later steps.
#[allow(clippy::too_many_arguments)]
/// Money allocated to `account` (拨款), as the bureau's voucher records it.
fn allocation(
    account: Account,
    date: NaiveDate,
    amount: Money,
    voucher: String,
    payee: impl Into<String>,
    note: &str,
) -> Command {
    Command::AddEntry {
        account,
        date,
        movement: Movement::Allocation,
        amount,
        category: "拨款".into(),
        voucher,
        payee: payee.into(),
        note: note.into(),
    }
}

/// A commuting student (the demo's students not yet enrolled) to `until`.
fn student(
    w: &mut Writer<'_>,
    id: u64,
    applied: NaiveDate,
    until: TraineeStage,
    objection: bool,
) -> Result<Pipeline, DemoError> {
    let kind = TraineeKind::Student;
    advance(
        w,
        id,
        kind,
        applied,
        until,
        TrainingMode::Commuting,
        objection,
    )
}

fn advance(
    w: &mut Writer<'_>,
    id: u64,
    kind: TraineeKind,
    applied: NaiveDate,
    until: TraineeStage,
    mode: TrainingMode,
    objection: bool,
) -> Result<Pipeline, DemoError> {
    let mut p = Pipeline { id, version: 1 };
    if kind == TraineeKind::Student || until == TraineeStage::Applied {
        let n = if until == TraineeStage::Applied { 1 } else { 2 };
        let mut named: Vec<String> = Vec::with_capacity(n);
        for _ in 0..n {
            let mut teacher = format!("{}老师", names::person(&mut w.rng));
            while named.contains(&teacher) {
                teacher = format!("{}老师", names::person(&mut w.rng));
            }
            named.push(teacher.clone());
            let v = p.next();
            w.push(Command::AddRecommender {
                id,
                version: v,
                teacher,
            })?;
        }
    }
    if until == TraineeStage::Applied {
        return Ok(p);
    }
    let recommended = applied + Duration::days(7);
    let selected = recommended + Duration::days(7);
    let start = selected + Duration::days(3);
    let filed = announcement_end(start, 5) + Duration::days(1);
    let enrolled = filed + Duration::days(2);
    let date = recommended;
    let steps: [(TraineeStage, &dyn Fn(u32) -> Command); 5] = [
        (TraineeStage::Recommended, &|version| Command::Recommend {
            id,
            version,
            date,
        }),
        (TraineeStage::Selected, &|version| Command::Select {
            id,
            version,
            date: selected,
            selected: until != TraineeStage::NotSelected,
        }),
        (TraineeStage::Announced, &|version| Command::Announce {
            id,
            version,
            start,
            working_days: 5,
        }),
        (TraineeStage::Filed, &|version| Command::File {
            id,
            version,
            date: filed,
        }),
        (TraineeStage::Enrolled, &|version| Command::Enrol {
            id,
            version,
            date: enrolled,
            mode,
            commitment_signed: enrolled,
        }),
    ];
    for (step, command) in steps {
        let v = p.next();
        w.push(command(v))?;
        if step == TraineeStage::Announced && objection {
            let v = p.next();
            w.push(Command::RaiseObjection {
                id,
                version: v,
                // Raised on the announcement's first day: the demo's running
                // announcements start today, and no objection lies ahead.
                date: start,
                text: "有家长反映该生推荐材料中的竞赛获奖信息需核实。".into(),
            })?;
        }
        let stops_here =
            until == step || (step == TraineeStage::Selected && until == TraineeStage::NotSelected);
        if stops_here {
            break;
        }
    }
    Ok(p)
}

fn application(
    w: &mut Writer<'_>,
    project: ProjectId,
    kind: TraineeKind,
    date: NaiveDate,
) -> Command {
    let rng = &mut w.rng;
    let district = crate::domain::project::DISTRICTS
        .choose(rng)
        .copied()
        .unwrap_or("市南区");
    Command::Apply(ApplicationInput {
        kind,
        name: names::person(rng),
        gender: gender(rng),
        home_school: names::school(rng),
        district: district.to_string(),
        grade: match kind {
            TraineeKind::Student => names::GRADES
                .choose(rng)
                .copied()
                .unwrap_or("高一")
                .to_string(),
            TraineeKind::Teacher => format!("{}教师", project.name(Lang::Zh)),
        },
        phone: names::phone(rng),
        project,
        date,
    })
}

fn person_input<R: Rng>(
    rng: &mut R,
    project: ProjectId,
    role: CoachRole,
    today: NaiveDate,
    qualified: bool,
) -> PersonInput {
    let y = today.year();
    let (teach, coach) = match role {
        CoachRole::Chief => (rng.random_range(14..25), rng.random_range(10..15)),
        CoachRole::Coach => (rng.random_range(10..20), rng.random_range(6..12)),
        CoachRole::Assistant => (rng.random_range(6..10), rng.random_range(2..4)),
    };
    let coach = if qualified { coach } else { 2 };
    let mut results = vec![StudentResult {
        level: PrizeLevel::Provincial,
        prize: Prize::First,
        year: y - rng.random_range(2..5),
        competition: names::competition(project).to_string(),
    }];
    if role == CoachRole::Chief {
        results.push(StudentResult {
            level: PrizeLevel::National,
            prize: *[Prize::First, Prize::Second, Prize::Third]
                .choose(rng)
                .unwrap_or(&Prize::Second),
            year: y - rng.random_range(3..8),
            competition: names::competition(project).to_string(),
        });
    }
    PersonInput {
        name: names::person(rng),
        gender: gender(rng),
        school: names::school(rng),
        subject: project,
        title: names::title(rng),
        phone: names::phone(rng),
        teaching_since: d(y - teach, 9, 1),
        coaching_since: Some(d(y - coach, 9, 1)),
        coaching_now: true,
        results,
        research_outputs: if project == ProjectId::Humanities {
            vec!["《青岛地区出土金文考释》".to_string()]
        } else {
            Vec::new()
        },
    }
}

/// Appoints a person to a group and takes the appointment to `stage`.
#[allow(clippy::too_many_arguments)]
fn appoint(
    w: &mut Writer<'_>,
    person: u64,
    project: ProjectId,
    role: CoachRole,
    term_start: NaiveDate,
    years: i32,
    stage: CoachStage,
) -> Result<(), DemoError> {
    // Nominated, announced and filed before the term starts.
    let id = w.create(Command::Nominate {
        date: term_start - Duration::days(40),
        person,
        project,
        role,
        term_start,
        term_years: years,
    })?;
    let mut steps = Vec::new();
    if role == CoachRole::Chief || stage == CoachStage::Announced {
        steps.push(CoachStage::Announced);
    }
    if matches!(stage, CoachStage::Filed | CoachStage::Active) {
        steps.push(CoachStage::Filed);
    }
    if stage == CoachStage::Active {
        steps.push(CoachStage::Active);
    }
    let announce = term_start - Duration::days(30);
    for (version, to) in (1..).zip(steps) {
        let date = match to {
            CoachStage::Announced => announce,
            CoachStage::Filed => announce + Duration::days(10),
            _ => term_start,
        };
        w.push(Command::AdvanceCoach {
            id,
            version,
            to,
            date,
            justification: None,
        })?;
    }
    Ok(())
}

fn school_application<R: Rng>(
    rng: &mut R,
    projects: Vec<ProjectId>,
    applied_on: NaiveDate,
) -> SchoolApplication {
    let district = crate::domain::project::DISTRICTS
        .choose(rng)
        .copied()
        .unwrap_or("市南区");
    SchoolApplication {
        district: district.to_string(),
        name: names::school(rng),
        projects,
        principal: names::person(rng),
        phone: format!("0532-{:08}", rng.random_range(10_000_000..99_999_999u32)),
        chief_coach: ChiefCoachDetails {
            name: names::person(rng),
            gender: gender(rng),
            birth_month: d(rng.random_range(1972..1986), rng.random_range(1..13), 1),
            work_start: d(rng.random_range(1995..2010), 8, 1),
            subject: "数学".into(),
            title: names::title(rng),
            achievements: "指导学生获全国中学生学科竞赛一等奖 3 人次，山东省一等奖 12 人次。".into(),
        },
        track_record: "近三年承办市级学科竞赛培训 6 期，实验室与图书资料齐全。".into(),
        work_plan: "面向全市遴选学员，每周六集中授课，寒暑假开设集训营；学员条件：高一、高二学科成绩优异，有竞赛获奖经历者优先。".into(),
        district_recommendation: "同意推荐。".into(),
        applied_on,
    }
}

fn city(w: &mut Writer<'_>) -> Result<(), DemoError> {
    let today = w.registry.today();
    let year = today.year();
    let current = Semester::containing(today);
    let last = current.previous();
    let before_last = last.previous();
    let intake = before_last.first_day();

    // Users the SSH front end will know.
    let mut users = vec![
        Command::AddUser {
            login: "caiwu".into(),
            display_name: "规划财务处".into(),
            role: Role::Finance,
            keys: Vec::new(),
        },
        Command::AddUser {
            login: "jiaokeyuan".into(),
            display_name: "市教科院".into(),
            role: Role::Viewer(
                ProjectId::ALL
                    .into_iter()
                    .filter(|p| *p != ProjectId::Informatics)
                    .collect(),
            ),
            keys: Vec::new(),
        },
        Command::AddUser {
            login: "zhuangbei".into(),
            display_name: "装备信息中心".into(),
            role: Role::Viewer(vec![ProjectId::Informatics]),
            keys: Vec::new(),
        },
    ];

    // Base schools: each group gets one to three, a few serve two groups.
    let mut schools: Vec<(u64, Vec<ProjectId>)> = Vec::new();
    let applied_on = d(year - 1, 6, 15);
    for (i, p) in ProjectId::ALL.into_iter().enumerate() {
        let n = w.rng.random_range(1..=2);
        for k in 0..n {
            let mut serves = vec![p];
            if k == 0 && i + 1 < ProjectId::ALL.len() && w.rng.random_bool(0.4) {
                serves.push(ProjectId::ALL[i + 1]);
            }
            let app = school_application(&mut w.rng, serves.clone(), applied_on);
            let id = w.create(Command::ApplySchool(app))?;
            w.push(Command::DecideSchool {
                id,
                version: 1,
                approve: true,
                date: applied_on + Duration::days(30),
                note: "经研究，同意设立为培养基地。".into(),
            })?;
            schools.push((id, serves));
        }
    }
    let pending = school_application(
        &mut w.rng,
        vec![ProjectId::Chemistry],
        today - Duration::days(12),
    );
    w.push(Command::ApplySchool(pending))?;
    let rejected = school_application(&mut w.rng, vec![ProjectId::Physics], applied_on);
    let rid = w.create(Command::ApplySchool(rejected))?;
    w.push(Command::DecideSchool {
        id: rid,
        version: 1,
        approve: false,
        date: applied_on + Duration::days(30),
        note: "实验条件暂不满足要求，建议明年再报。".into(),
    })?;

    let mut group_schools: Vec<Vec<u64>> = Vec::new();
    for (gi, project) in ProjectId::ALL.into_iter().enumerate() {
        let serving: Vec<u64> = schools
            .iter()
            .filter(|(_, s)| s.contains(&project))
            .map(|(id, _)| *id)
            .collect();

        // Coaches: a chief, two to five coaches; biology is left with one so
        // the dashboard has an alert to show.
        let chief_input = person_input(&mut w.rng, project, CoachRole::Chief, today, true);
        let chief_name = chief_input.name.clone();
        let chief = w.create(Command::AddPerson(chief_input))?;
        appoint(
            w,
            chief,
            project,
            CoachRole::Chief,
            d(before_last.start_year - 1, 9, 1),
            3,
            CoachStage::Active,
        )?;
        users.push(Command::AddUser {
            login: format!("{}_chief", project.code()),
            display_name: chief_name,
            role: Role::ChiefCoach(project),
            keys: Vec::new(),
        });
        let n_coaches = if project == ProjectId::Biology {
            1
        } else {
            w.rng.random_range(2..=5)
        };
        for k in 0..n_coaches {
            let role = if k % 3 == 2 {
                CoachRole::Assistant
            } else {
                CoachRole::Coach
            };
            let input = person_input(&mut w.rng, project, role, today, true);
            let person = w.create(Command::AddPerson(input))?;
            // One term in each of two groups ends within 60 days.
            let (start, years) = if k == 0 && gi % 3 == 0 {
                (
                    add_years(today + Duration::days(40), -1) + Duration::days(1),
                    1,
                )
            } else {
                (d(before_last.start_year, 9, 1), 2)
            };
            appoint(w, person, project, role, start, years, CoachStage::Active)?;
        }
        // A nomination waiting for filing, short of annex 1-1.
        if gi % 2 == 1 {
            let input = person_input(&mut w.rng, project, CoachRole::Coach, today, false);
            let person = w.create(Command::AddPerson(input))?;
            appoint(
                w,
                person,
                project,
                CoachRole::Coach,
                d(current.start_year, 9, 1),
                1,
                CoachStage::Nominated,
            )?;
        }

        // Enrolled trainees of last autumn's intake.
        let failures = w.rng.random_range(1..=2);
        let students = w.rng.random_range(40..=(50 - failures));
        let teachers = w.rng.random_range(3..=8);
        let mut apps = Vec::new();
        for i in 0..(students + failures + teachers) {
            let kind = if i < students + failures {
                TraineeKind::Student
            } else {
                TraineeKind::Teacher
            };
            let applied = intake - Duration::days(w.rng.random_range(70..80));
            apps.push((application(w, project, kind, applied), kind, applied));
        }
        let ids = w.create_all(apps.iter().map(|a| a.0.clone()).collect())?;
        // One enrolment of the math group (a young teacher, who stays)
        // entered 20 days after its date, so the 补录 flag has something
        // to show.
        if project == ProjectId::Math {
            w.late = ids.last().map(|id| (*id, 20));
        }
        let mut enrolled = Vec::new();
        for (id, (_, kind, applied)) in ids.into_iter().zip(apps) {
            let mode = match serving.choose(&mut w.rng) {
                Some(school) if w.rng.random_bool(0.6) => {
                    TrainingMode::BaseSchool { school: *school }
                }
                _ => TrainingMode::Commuting,
            };
            let p = advance(w, id, kind, applied, TraineeStage::Enrolled, mode, false)?;
            enrolled.push((p, kind));
        }

        // Two semesters of results; the failures of the last one withdraw.
        for (sem, fail_some) in [(before_last, false), (last, true)] {
            let mut failed = 0;
            for (p, kind) in enrolled.iter_mut() {
                let fail = fail_some && *kind == TraineeKind::Student && failed < failures;
                if fail {
                    failed += 1;
                }
                let score = if fail {
                    w.rng.random_range(350..590)
                } else {
                    w.rng.random_range(620..990)
                };
                w.push(Command::RecordAssessment {
                    trainee: p.id,
                    semester: sem,
                    outcome: if fail { Outcome::Fail } else { Outcome::Pass },
                    score: Some(Score(score)),
                    note: if fail {
                        "学期考核成绩未达合格线".into()
                    } else {
                        String::new()
                    },
                    date: sem.last_day() - Duration::days(10),
                })?;
                if fail {
                    let v = p.next();
                    w.push(Command::Withdraw {
                        id: p.id,
                        version: v,
                        date: sem.last_day() - Duration::days(5),
                        reason: WithdrawalReason::FailedAssessment,
                        returned_to_home_school: true,
                    })?;
                    // Withdrawn: no more steps for this trainee.
                    p.version = 0;
                }
            }
        }
        // The physics group has started this semester's assessment.
        if project == ProjectId::Physics {
            for (p, _) in enrolled.iter().filter(|(p, _)| p.version > 0).take(12) {
                let c = Command::RecordAssessment {
                    trainee: p.id,
                    semester: current,
                    outcome: Outcome::Pass,
                    score: Some(Score(w.rng.random_range(650..980))),
                    note: String::new(),
                    date: today - Duration::days(3),
                };
                w.push(c)?;
            }
        }

        // This year's applicants, at every stage of annex 1-3.
        let stages = [
            TraineeStage::Applied,
            TraineeStage::Applied,
            TraineeStage::Recommended,
            TraineeStage::Selected,
            TraineeStage::NotSelected,
            TraineeStage::Announced,
            TraineeStage::Announced,
            TraineeStage::Filed,
        ];
        let recent = today - Duration::days(30);
        let mut apps = Vec::new();
        for _ in stages {
            apps.push(application(w, project, TraineeKind::Student, recent));
        }
        let ids = w.create_all(apps)?;
        for (i, (id, step)) in ids.into_iter().zip(stages).enumerate() {
            // Announcements start recently enough to be running today.
            let applied = if step == TraineeStage::Announced {
                today - Duration::days(17)
            } else {
                recent
            };
            let objection = step == TraineeStage::Announced && i == 5 && gi == 2;
            // The bureau filed the math group's applicant; the coordinator
            // records it only when catching up on the demo's day, among the
            // last writes, so the audit trail starts with a 补录.
            if project == ProjectId::Math && step == TraineeStage::Filed {
                w.held_back = Some(id);
            }
            student(w, id, applied, step, objection)?;
        }

        ledger_year(w, project, year - 1, &serving, d(year - 1, 12, 20))?;
        ledger_year(w, project, year, &serving, today)?;
        // Last year's reward fund, paid after the evaluation at that year's
        // end (an entry is dated in its account's year).
        let c = allocation(
            Account::reward(project, year - 1),
            d(year - 1, 12, 28),
            Money::from_yuan(w.rng.random_range(5..=20) * 10_000),
            format!("奖-{}-{:02}", year - 1, gi + 1),
            project.group_name(Lang::Zh),
            "依据年度绩效评估结果一次性发放",
        );
        w.push(c)?;

        plans(w, project, gi, year)?;
        group_schools.push(serving);
    }
    // The semester's training comes last, from its own random numbers, so
    // the records above stay as they were before it existed.
    for (gi, (project, serving)) in ProjectId::ALL.into_iter().zip(&group_schools).enumerate() {
        training::city_group(w, project, gi, serving)?;
    }
    for u in users {
        w.push(u)?;
    }
    w.catch_up();
    Ok(())
}

/// A year of the group's daily fund and its base schools' funds, with
/// spending from March up to `until`.
fn ledger_year(
    w: &mut Writer<'_>,
    project: ProjectId,
    year: i32,
    schools: &[u64],
    until: NaiveDate,
) -> Result<(), DemoError> {
    let share = (until.ordinal() as f64 / 365.0).clamp(0.3, 1.0);
    let alloc = Money::from_yuan(w.rng.random_range(30..=50) * 10_000);
    w.push(allocation(
        Account::daily(project, year),
        d(year, 3, 10),
        alloc,
        format!("拨-{year}-{}", project.index() + 1),
        project.group_name(Lang::Zh),
        "年度日常培养经费",
    ))?;
    let n = ((w.rng.random_range(50..=200) as f64) * share) as usize;
    let days_in_span = (until - d(year, 3, 15)).num_days().max(1);
    let mut left = alloc.fen() * 85 / 100;
    for k in 0..n {
        let (zh, _) = DEFAULT_CATEGORIES[w.rng.random_range(1..DEFAULT_CATEGORIES.len())];
        let amount = w.rng.random_range(20_000..=600_000_i64).min(left);
        if amount <= 0 {
            break;
        }
        left -= amount;
        let date = d(year, 3, 15) + Duration::days(w.rng.random_range(0..days_in_span.max(1)));
        let c = Command::AddEntry {
            account: Account::daily(project, year),
            date,
            movement: Movement::Expense,
            amount: Money(amount),
            category: zh.into(),
            voucher: format!("记-{year}-{}{:04}", project.index() + 1, k + 1),
            payee: names::PAYEES
                .choose(&mut w.rng)
                .copied()
                .unwrap_or("青岛大学")
                .into(),
            note: match zh {
                "课酬" => "集训授课课酬".into(),
                "差旅" => "带队参加省赛差旅".into(),
                "竞赛报名" => "学员竞赛报名费".into(),
                _ => String::new(),
            },
        };
        w.push(c)?;
    }
    for &school in schools {
        let alloc = Money::from_yuan(w.rng.random_range(5..=15) * 10_000);
        w.push(allocation(
            Account::base(school, year),
            d(year, 4, 1),
            alloc,
            format!("基-{year}-{school}"),
            "培养基地",
            "场地、设备保障经费",
        ))?;
        let mut left = alloc.fen() / 2;
        for k in 0..w.rng.random_range(5..=20) {
            let category = if w.rng.random_bool(0.5) {
                "设备"
            } else {
                "场地"
            };
            let amount = w.rng.random_range(50_000..=800_000_i64).min(left);
            if amount <= 0 {
                break;
            }
            left -= amount;
            let c = Command::AddEntry {
                account: Account::base(school, year),
                date: (d(year, 4, 10) + Duration::days(w.rng.random_range(0..150))).min(until),
                movement: Movement::Expense,
                amount: Money(amount),
                category: category.into(),
                voucher: format!("基记-{year}-{school}-{:03}", k + 1),
                payee: "青岛科教仪器有限公司".into(),
                note: String::new(),
            };
            w.push(c)?;
        }
    }
    Ok(())
}

fn plans(w: &mut Writer<'_>, project: ProjectId, gi: usize, year: i32) -> Result<(), DemoError> {
    let plan = |y: i32, w: &mut Writer<'_>| Command::SetPlan {
        project,
        year: y,
        version: None,
        goals: format!(
            "{}：稳定 50 名学员规模，提升省赛一等奖人数，培养青年教练员梯队。",
            project.group_name(Lang::Zh)
        ),
        targets: vec![
            Target {
                name: "省赛一等奖人数".into(),
                goal: w.rng.random_range(3..=8),
                attained: None,
            },
            Target {
                name: "国赛参赛人数".into(),
                goal: w.rng.random_range(1..=4),
                attained: None,
            },
        ],
        budget: vec![
            ("课酬".into(), Money::from_yuan(120_000)),
            ("差旅".into(), Money::from_yuan(60_000)),
            ("资料".into(), Money::from_yuan(20_000)),
            ("竞赛报名".into(), Money::from_yuan(15_000)),
            ("其他".into(), Money::from_yuan(10_000)),
        ],
        attainment: String::new(),
        amendment: String::new(),
    };
    let last = plan(year - 1, w);
    w.push(last.clone())?;
    w.push(plan_parts(project, year - 1))?;
    // Last year's plan is filed, then its attainment written, then the
    // report submitted and filed.
    let mut version = 2;
    for (document, date) in [
        (Document::Plan, d(year - 1, 1, 20)),
        (Document::Report, d(year - 1, 11, 25)),
    ] {
        if document == Document::Report {
            let Command::SetPlan {
                goals,
                targets,
                budget,
                ..
            } = last.clone()
            else {
                continue;
            };
            let attained: Vec<Target> = targets
                .into_iter()
                .map(|t| Target {
                    attained: Some(t.goal),
                    ..t
                })
                .collect();
            w.push(Command::SetPlan {
                project,
                year: year - 1,
                version: Some(version),
                goals,
                targets: attained,
                budget,
                attainment: "完成年度培养任务，学员规模稳定，省赛成绩达到预期。".into(),
                amendment: String::new(),
            })?;
            version += 1;
        }
        w.push(Command::RecordFiling {
            project,
            year: year - 1,
            document,
            date,
            filed: false,
        })?;
        w.push(Command::RecordFiling {
            project,
            year: year - 1,
            document,
            date: date + Duration::days(5),
            filed: true,
        })?;
        version += 2;
    }
    // This year: most groups submitted their plan, some already filed.
    if gi < 4 {
        let c = plan(year, w);
        w.push(c)?;
        w.push(plan_parts(project, year))?;
        w.push(Command::RecordFiling {
            project,
            year,
            document: Document::Plan,
            date: d(year, 1, 25),
            filed: false,
        })?;
        if gi < 2 {
            w.push(Command::RecordFiling {
                project,
                year,
                document: Document::Plan,
                date: d(year, 2, 10),
                filed: true,
            })?;
        }
    }
    Ok(())
}

/// The four parts of a plan besides its goals (section 三.4 of the plan).
fn plan_parts(project: ProjectId, year: i32) -> Command {
    let group = project.group_name(Lang::Zh);
    Command::SetPlanParts {
        project,
        year,
        version: Some(1),
        parts: crate::domain::PlanParts {
            criteria: format!(
                "面向全市初三、高一学生，学科竞赛成绩突出或在{group}相关学科表现优异；\
                 经学校推荐、项目组测试选拔、公示后确定，学员规模 50 人，另招收青年教师学员。"
            ),
            management: "学员实行基地校培养与走读培养相结合；建立学员档案，\
                 每学期考核一次，考核不合格者退出并回原校学习；考勤纳入考核。"
                .into(),
            training: format!(
                "{year} 年每周六上午在基地校集中授课（每次 3 学时），\
                 秋季学期起每周三晚线上答疑；每学期组织游学两次、专家讲座一次；\
                 寒暑假各集训 5 天。线上与线下、集中与分散相结合。"
            ),
            funding: "经费专款专用：课酬、差旅、资料、竞赛报名等按预算表执行，\
                 由规划财务处统一核算，年终报送使用情况。"
                .into(),
        },
        amendment: String::new(),
    }
}

fn province(w: &mut Writer<'_>) -> Result<(), DemoError> {
    let today = w.registry.today();
    let first_year = Semester::containing(today).start_year - 10;
    // Teacher cohorts stay four years; a student cohort one year.
    const TEACHERS_PER_COHORT: usize = 1_280;
    const APPLICANTS_ONLY: usize = 400;
    const EXPENSES_PER_YEAR: usize = 16_700;
    let mut schools = Vec::new();
    for p in ProjectId::ALL {
        let app = school_application(&mut w.rng, vec![p], d(i32::from(first_year), 6, 1));
        let id = w.create(Command::ApplySchool(app))?;
        w.push(Command::DecideSchool {
            id,
            version: 1,
            approve: true,
            date: d(i32::from(first_year), 7, 1),
            note: String::new(),
        })?;
        schools.push(id);
    }
    for project in ProjectId::ALL {
        let chief = person_input(
            &mut w.rng,
            project,
            CoachRole::Chief,
            d(first_year, 6, 1),
            true,
        );
        let chief = w.create(Command::AddPerson(chief))?;
        appoint(
            w,
            chief,
            project,
            CoachRole::Chief,
            d(i32::from(first_year), 9, 1),
            3,
            CoachStage::Active,
        )?;
    }
    // Enrolled teachers of each group: (pipeline, semesters left).
    let mut teachers: Vec<Vec<(Pipeline, u32)>> =
        (0..ProjectId::ALL.len()).map(|_| Vec::new()).collect();
    for sy in first_year..first_year + 10 {
        let intake = d(i32::from(sy), 9, 1);
        let autumn = Semester::new(sy, crate::domain::Term::First);
        for (gi, project) in ProjectId::ALL.into_iter().enumerate() {
            let school = schools[gi];
            let applied = intake - Duration::days(60);
            let mut apps = Vec::with_capacity(50 + TEACHERS_PER_COHORT + APPLICANTS_ONLY);
            for i in 0..(50 + TEACHERS_PER_COHORT + APPLICANTS_ONLY) {
                let kind = if !(50..50 + TEACHERS_PER_COHORT).contains(&i) {
                    TraineeKind::Student
                } else {
                    TraineeKind::Teacher
                };
                apps.push(application(w, project, kind, applied));
            }
            let ids = w.create_all(apps)?;
            let mut students = Vec::with_capacity(50);
            for (i, id) in ids.into_iter().enumerate() {
                if i < 50 + TEACHERS_PER_COHORT {
                    let kind = if i < 50 {
                        TraineeKind::Student
                    } else {
                        TraineeKind::Teacher
                    };
                    let mode = if i % 2 == 0 {
                        TrainingMode::BaseSchool { school }
                    } else {
                        TrainingMode::Commuting
                    };
                    let p = advance(w, id, kind, applied, TraineeStage::Enrolled, mode, false)?;
                    if kind == TraineeKind::Student {
                        students.push(p);
                    } else {
                        teachers[gi].push((p, 8));
                    }
                } else {
                    let step = if i % 2 == 0 {
                        TraineeStage::Applied
                    } else {
                        TraineeStage::NotSelected
                    };
                    student(w, id, applied, step, false)?;
                }
            }
            for sem in [autumn, autumn.next()] {
                let date = sem.last_day() - Duration::days(10);
                for p in students.iter_mut().filter(|p| p.version > 0) {
                    let fail = w.rng.random_ratio(1, 30);
                    let c = assessment(p.id, sem, fail, date, &mut w.rng);
                    w.push(c)?;
                    if fail {
                        let v = p.next();
                        w.push(Command::Withdraw {
                            id: p.id,
                            version: v,
                            date: date + Duration::days(3),
                            reason: WithdrawalReason::FailedAssessment,
                            returned_to_home_school: true,
                        })?;
                        p.version = 0;
                    }
                }
                let mut kept = Vec::with_capacity(teachers[gi].len());
                for (mut p, left) in std::mem::take(&mut teachers[gi]) {
                    let c = assessment(p.id, sem, false, date, &mut w.rng);
                    w.push(c)?;
                    if left > 1 {
                        kept.push((p, left - 1));
                    } else {
                        let v = p.next();
                        w.push(Command::Withdraw {
                            id: p.id,
                            version: v,
                            date: date + Duration::days(5),
                            reason: WithdrawalReason::Other("培养周期结束".into()),
                            returned_to_home_school: true,
                        })?;
                    }
                }
                teachers[gi] = kept;
            }
            // The student cohort ends with the school year, freeing the seats;
            // the latest cohort is still in training.
            let last_year = sy + 1 == first_year + 10;
            for p in students.iter_mut().filter(|p| p.version > 0 && !last_year) {
                let v = p.next();
                w.push(Command::Withdraw {
                    id: p.id,
                    version: v,
                    date: d(i32::from(sy) + 1, 7, 20),
                    reason: WithdrawalReason::Other("培养周期结束".into()),
                    returned_to_home_school: true,
                })?;
            }
            let year = i32::from(sy) + 1;
            w.push(allocation(
                Account::daily(project, year),
                d(year, 1, 5),
                Money::from_yuan(600_000),
                format!("拨-{year}-{gi}"),
                project.group_name(Lang::Zh),
                "",
            ))?;
            for k in 0..EXPENSES_PER_YEAR {
                let (zh, _) = DEFAULT_CATEGORIES[1 + k % (DEFAULT_CATEGORIES.len() - 1)];
                let c = Command::AddEntry {
                    account: Account::daily(project, year),
                    date: d(year, 1, 10) + Duration::days((k % 340) as i64),
                    movement: Movement::Expense,
                    amount: Money(w.rng.random_range(100..=5_000)),
                    category: zh.into(),
                    voucher: format!("记-{year}-{gi}-{k:05}"),
                    payee: names::PAYEES[k % names::PAYEES.len()].into(),
                    note: String::new(),
                };
                w.push(c)?;
            }
        }
    }
    for (gi, project) in ProjectId::ALL.into_iter().enumerate() {
        training::province_group(w, project, gi, schools[gi], training::PROVINCE_CLASS)?;
    }
    Ok(())
}

fn assessment<R: Rng>(
    trainee: u64,
    semester: Semester,
    fail: bool,
    date: NaiveDate,
    rng: &mut R,
) -> Command {
    Command::RecordAssessment {
        trainee,
        semester,
        outcome: if fail { Outcome::Fail } else { Outcome::Pass },
        score: Some(Score(if fail {
            rng.random_range(300..590)
        } else {
            rng.random_range(600..1000)
        })),
        note: String::new(),
        date,
    }
}
