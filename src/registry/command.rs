//! Commands: every change to the records, as data. Front ends build them; only
//! the registry applies them. Commands that change an existing record carry the
//! version the user saw, so a change built from a stale screen is refused.

use chrono::{NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};

use crate::domain::PlanParts;
use crate::domain::training::{DevelopmentKind, Mark, Place, SessionKind};
use crate::domain::{
    Account, CoachRole, CoachStage, Document, Gender, Money, Outcome, ProjectId, Role,
    SchoolApplication, Score, Semester, StudentResult, Target, TraineeKind, TrainingMode,
    WithdrawalReason,
};
use crate::i18n::Lang;

/// In a batch, "the record the previous command created"; no record has id
/// 0. The audit trail stores the command with the real id.
pub const ADDED_IN_BATCH: u64 = 0;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PersonInput {
    pub name: String,
    pub gender: Gender,
    pub school: String,
    pub subject: ProjectId,
    pub title: String,
    pub phone: String,
    pub teaching_since: NaiveDate,
    pub coaching_since: Option<NaiveDate>,
    pub coaching_now: bool,
    pub results: Vec<StudentResult>,
    pub research_outputs: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ApplicationInput {
    pub kind: TraineeKind,
    pub name: String,
    pub gender: Gender,
    pub home_school: String,
    pub district: String,
    pub grade: String,
    pub phone: String,
    pub project: ProjectId,
    pub date: NaiveDate,
}

/// Which way a new entry moves money; reversals have their own command.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Movement {
    Allocation,
    Expense,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Command {
    /// Adds a user with one or more SSH public keys (OpenSSH lines).
    AddUser {
        login: String,
        display_name: String,
        role: Role,
        keys: Vec<String>,
    },
    /// Marks a user removed: they can no longer log in; the record stays.
    RemoveUser {
        login: String,
    },

    AddPerson(PersonInput),
    UpdatePerson {
        id: u64,
        version: u32,
        input: PersonInput,
    },
    /// Nominates a person to a group on `date`; the term ends `term_years`
    /// after it starts.
    Nominate {
        date: NaiveDate,
        /// The person, or [`ADDED_IN_BATCH`]: the one the batch's previous
        /// command added (a new coach's details and nomination, saved
        /// together or not at all).
        person: u64,
        project: ProjectId,
        role: CoachRole,
        term_start: NaiveDate,
        term_years: i32,
    },
    /// Moves an appointment on: announce, file, activate, end. Filing someone
    /// who fails annex 1-1 needs a written justification.
    AdvanceCoach {
        id: u64,
        version: u32,
        to: CoachStage,
        date: NaiveDate,
        justification: Option<String>,
    },

    ApplySchool(SchoolApplication),
    DecideSchool {
        id: u64,
        version: u32,
        approve: bool,
        date: NaiveDate,
        note: String,
    },

    Apply(ApplicationInput),
    UpdateContact {
        id: u64,
        version: u32,
        phone: String,
        home_school: String,
    },
    AddRecommender {
        id: u64,
        version: u32,
        teacher: String,
    },
    Recommend {
        id: u64,
        version: u32,
        date: NaiveDate,
    },
    Select {
        id: u64,
        version: u32,
        date: NaiveDate,
        selected: bool,
    },
    Announce {
        id: u64,
        version: u32,
        start: NaiveDate,
        working_days: u8,
    },
    RaiseObjection {
        id: u64,
        version: u32,
        date: NaiveDate,
        text: String,
    },
    ResolveObjection {
        id: u64,
        version: u32,
        index: usize,
        date: NaiveDate,
        resolution: String,
    },
    File {
        id: u64,
        version: u32,
        date: NaiveDate,
    },
    Enrol {
        id: u64,
        version: u32,
        date: NaiveDate,
        mode: TrainingMode,
        commitment_signed: NaiveDate,
    },
    Withdraw {
        id: u64,
        version: u32,
        date: NaiveDate,
        reason: WithdrawalReason,
        returned_to_home_school: bool,
    },
    /// Reinstates a withdrawn trainee; the reason is required and kept.
    Reinstate {
        id: u64,
        version: u32,
        date: NaiveDate,
        reason: String,
    },

    RecordAssessment {
        trainee: u64,
        semester: Semester,
        outcome: Outcome,
        score: Option<Score>,
        note: String,
        date: NaiveDate,
    },
    CorrectAssessment {
        id: u64,
        version: u32,
        outcome: Outcome,
        score: Option<Score>,
        note: String,
        date: NaiveDate,
    },

    AddEntry {
        account: Account,
        date: NaiveDate,
        movement: Movement,
        amount: Money,
        category: String,
        voucher: String,
        payee: String,
        note: String,
    },
    ReverseEntry {
        entry: u64,
        date: NaiveDate,
        note: String,
    },

    /// Creates or replaces the content of a group's annual plan. Once the
    /// plan is filed its goals, targets and budget change only by a recorded
    /// amendment (what is amended and why, kept in the audit trail); once the
    /// report is filed, its attainment likewise.
    SetPlan {
        project: ProjectId,
        year: i32,
        version: Option<u32>,
        goals: String,
        targets: Vec<Target>,
        budget: Vec<(String, Money)>,
        attainment: String,
        amendment: String,
    },
    /// Records that a plan or report was submitted, or (`filed`) filed by the bureau.
    RecordFiling {
        project: ProjectId,
        year: i32,
        document: Document,
        date: NaiveDate,
        filed: bool,
    },

    /// Undoes audit entry `of` (whose command was `undone`) by applying
    /// `command`, its inverse: checked and applied as `command`, audited as
    /// an undo naming what it undid.
    Undo {
        of: u64,
        undone: Box<Command>,
        command: Box<Command>,
    },

    /// An application with its recommending teachers, as one command: what an
    /// imported row of a school's recommendation list creates (the trainee's
    /// id is only known inside the transaction, so `AddRecommender` cannot
    /// follow `Apply` in the same batch).
    ApplyRecommended {
        input: ApplicationInput,
        recommenders: Vec<String>,
    },

    /// Records a trainee's achievement of `year` (a prize, a 强基计划
    /// admission); it counts for the base school and the home school.
    RecordAchievement {
        trainee: u64,
        year: i32,
        feat: crate::domain::achievement::Feat,
    },
    /// A trainee's own details corrected (a misspelt name, a wrong district):
    /// audited with the record as it was, and undoable.
    UpdateTrainee {
        id: u64,
        version: u32,
        details: TraineeDetails,
    },
    // New commands go at the end: a schema-3 audit entry is read by the
    // variant's position (see `migrate::v3`).
    /// Gives a user one more SSH public key (one OpenSSH line). (Schema 4.)
    AddUserKey {
        login: String,
        key: String,
    },
    /// Takes a key (by its fingerprint) from a user: their sessions with it
    /// end. (Schema 4.)
    RemoveUserKey {
        login: String,
        fingerprint: String,
    },
    /// Sets a user's role (with it their groups) and language; their open
    /// sessions follow. (Schema 4.)
    ChangeUser {
        login: String,
        role: Role,
        lang: Option<Lang>,
    },
    /// Plans one session of a group on `date`, or with `until` a series:
    /// every `every_days` days from `date` to `until`, leaving out the
    /// holiday calendar's public holidays, created at once. (Schema 5.)
    PlanSessions {
        project: ProjectId,
        kind: SessionKind,
        date: NaiveDate,
        until: Option<NaiveDate>,
        every_days: u16,
        start: NaiveTime,
        end: NaiveTime,
        place: Place,
        topic: String,
        /// Appointment ids of the coaches who teach.
        coaches: Vec<u64>,
        /// The class, or none: the whole group.
        class: Option<u64>,
    },
    /// Moves one session (alone, even of a series) to another day, time or
    /// place. (Schema 5.)
    MoveSession {
        id: u64,
        version: u32,
        date: NaiveDate,
        start: NaiveTime,
        end: NaiveTime,
        place: Place,
    },
    /// Cancels one session, with the reason; it stays on record. (Schema 5.)
    CancelSession {
        id: u64,
        version: u32,
        date: NaiveDate,
        reason: String,
    },
    /// Marks a planned session held. (Schema 5.)
    HoldSession {
        id: u64,
        version: u32,
    },
    /// One trainee's attendance at one session, stored as it is taken;
    /// taken again, it replaces the mark (the audit trail keeps both).
    /// A planned session becomes held. (Schema 5.)
    MarkAttendance {
        session: u64,
        trainee: u64,
        mark: Mark,
    },
    /// A class (编班) of a group at one of its base schools. (Schema 5.)
    AddClass {
        project: ProjectId,
        school: u64,
        name: String,
    },
    /// Places an enrolled trainee in a class from `date`; a trainee is in
    /// one class of a group at a time. (Schema 5.)
    PlaceInClass {
        class: u64,
        trainee: u64,
        date: NaiveDate,
    },
    /// Takes a trainee out of a class on `date`; the placement stays in the
    /// class's history. (Schema 5.)
    LeaveClass {
        class: u64,
        trainee: u64,
        date: NaiveDate,
    },
    /// One development activity of a coach (section 四.2). (Schema 5.)
    RecordDevelopment {
        coach: u64,
        kind: DevelopmentKind,
        date: NaiveDate,
        place: String,
        /// Tenths of an hour.
        tenths: u32,
        note: String,
    },
    /// The attendance rate (percent) under which a group's trainees are
    /// flagged. (Schema 5.)
    SetAttendanceThreshold {
        project: ProjectId,
        percent: u8,
    },
    /// The plan's parts besides its goals and budget table; like `SetPlan`,
    /// a filed plan changes only by a recorded amendment. (Schema 5.)
    SetPlanParts {
        project: ProjectId,
        year: i32,
        version: Option<u32>,
        parts: PlanParts,
        amendment: String,
    },
    /// 撤回申报: a wrong application withdrawn before enrolment, with the
    /// reason; the record stays. (Schema 5.)
    RetractApplication {
        id: u64,
        version: u32,
        date: NaiveDate,
        reason: String,
    },
    /// A correction of a trainee's application (`e`, issue 20): the
    /// recommending teachers and the date applied, as they should have been
    /// recorded; audited with the trainee as it was, undone by `u`.
    /// (Schema 5; appended, as the audit trail stores commands by index.)
    CorrectApplication {
        id: u64,
        version: u32,
        recommenders: Vec<String>,
        applied_on: NaiveDate,
    },
}

/// What `e` edits of a trainee: who they are and how to reach them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TraineeDetails {
    pub name: String,
    pub gender: Gender,
    pub home_school: String,
    pub district: String,
    pub grade: String,
    pub phone: String,
}

impl TraineeDetails {
    /// The trainee's details as they stand.
    pub fn of(t: &crate::domain::Trainee) -> TraineeDetails {
        TraineeDetails {
            name: t.name.clone(),
            gender: t.gender,
            home_school: t.home_school.clone(),
            district: t.district.clone(),
            grade: t.grade.clone(),
            phone: t.phone.clone(),
        }
    }
}

/// The kinds of record a command creates or changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RecordKind {
    User,
    Person,
    Coach,
    School,
    Trainee,
    Assessment,
    Entry,
    Cycle,
    Achievement,
    // Schema 5.
    Session,
    Class,
    Attendance,
    Development,
    Group,
}

impl RecordKind {
    pub fn code(self) -> u8 {
        self as u8
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            RecordKind::User => lang.pick("用户", "user"),
            RecordKind::Person => lang.pick("人员", "person"),
            RecordKind::Coach => lang.pick("聘任", "appointment"),
            RecordKind::School => lang.pick("基地校", "base school"),
            RecordKind::Trainee => lang.pick("学员", "trainee"),
            RecordKind::Assessment => lang.pick("考核结果", "assessment"),
            RecordKind::Entry => lang.pick("台账记录", "ledger entry"),
            RecordKind::Cycle => lang.pick("年度计划", "annual plan"),
            RecordKind::Achievement => lang.pick("学员成绩", "achievement"),
            RecordKind::Session => lang.pick("培养活动", "session"),
            RecordKind::Class => lang.pick("班级", "class"),
            RecordKind::Attendance => lang.pick("考勤", "attendance"),
            RecordKind::Development => lang.pick("教练员培养记录", "development record"),
            RecordKind::Group => lang.pick("项目组设置", "group settings"),
        }
    }
}

impl Command {
    /// A short name of what the command does, for the audit trail and for
    /// "may not ..." messages.
    pub fn action(&self, lang: Lang) -> &'static str {
        use Command as C;
        match self {
            C::AddUser { .. } => lang.pick("添加用户", "add users"),
            C::RemoveUser { .. } => lang.pick("停用用户", "remove users"),
            C::AddUserKey { .. } => lang.pick("添加用户公钥", "add users' keys"),
            C::RemoveUserKey { .. } => lang.pick("移除用户公钥", "remove users' keys"),
            C::ChangeUser { .. } => lang.pick("变更用户角色或语言", "change users"),
            C::AddPerson(_) => lang.pick("添加人员", "add people"),
            C::UpdatePerson { .. } => lang.pick("修改人员信息", "edit people"),
            C::Nominate { .. } => lang.pick("提名教练员", "nominate coaches"),
            C::AdvanceCoach { .. } => lang.pick("变更聘任状态", "change appointments"),
            C::ApplySchool(_) => lang.pick("登记基地校申报", "record base-school applications"),
            C::DecideSchool { .. } => lang.pick("审批基地校", "decide base-school applications"),
            C::Apply(_) => lang.pick("登记学员申报", "record applications"),
            C::UpdateContact { .. } => lang.pick("修改学员联系信息", "edit trainee contacts"),
            C::AddRecommender { .. } => lang.pick("添加推荐教师", "add recommenders"),
            C::Recommend { .. } => lang.pick("登记学校推荐", "record recommendations"),
            C::Select { .. } => lang.pick("登记项目组遴选", "record selections"),
            C::Announce { .. } => lang.pick("发起公示", "open announcements"),
            C::RaiseObjection { .. } => lang.pick("登记公示异议", "record objections"),
            C::ResolveObjection { .. } => lang.pick("处理公示异议", "resolve objections"),
            C::File { .. } => lang.pick("备案", "file trainees"),
            C::Enrol { .. } => lang.pick("录取参加培养", "enrol trainees"),
            C::Withdraw { .. } => lang.pick("办理退出培养", "withdraw trainees"),
            C::Reinstate { .. } => lang.pick("恢复培养", "reinstate trainees"),
            C::RecordAssessment { .. } => lang.pick("登记学期考核", "record assessments"),
            C::CorrectAssessment { .. } => lang.pick("更正考核结果", "correct assessments"),
            C::AddEntry {
                movement: Movement::Allocation,
                ..
            } => lang.pick("登记拨款", "record allocations"),
            C::AddEntry {
                movement: Movement::Expense,
                ..
            } => lang.pick("登记支出", "record expenses"),
            C::ReverseEntry { .. } => lang.pick("冲销台账记录", "reverse ledger entries"),
            C::SetPlan { .. } => lang.pick("编辑年度计划", "edit annual plans"),
            C::RecordFiling { filed: false, .. } => lang.pick("登记提交", "record submissions"),
            C::RecordFiling { filed: true, .. } => lang.pick("登记备案", "record filings"),
            C::Undo { .. } => lang.pick("撤销", "undo"),
            C::ApplyRecommended { .. } => lang.pick("导入学员申报", "import applications"),
            C::RecordAchievement { .. } => lang.pick("登记学员成绩", "record achievements"),
            C::UpdateTrainee { .. } => lang.pick("修改学员信息", "edit trainees"),
            C::PlanSessions { until: None, .. } => lang.pick("安排培养活动", "plan sessions"),
            C::PlanSessions { .. } => lang.pick("安排系列培养活动", "plan series of sessions"),
            C::MoveSession { .. } => lang.pick("调整培养活动", "move sessions"),
            C::CancelSession { .. } => lang.pick("取消培养活动", "cancel sessions"),
            C::HoldSession { .. } => lang.pick("登记活动已举行", "mark sessions held"),
            C::MarkAttendance { .. } => lang.pick("登记考勤", "take attendance"),
            C::AddClass { .. } => lang.pick("编班", "add classes"),
            C::PlaceInClass { .. } => lang.pick("学员编入班级", "place trainees in classes"),
            C::LeaveClass { .. } => lang.pick("学员调出班级", "take trainees out of classes"),
            C::RecordDevelopment { .. } => {
                lang.pick("登记教练员培养", "record coaches' development")
            }
            C::SetAttendanceThreshold { .. } => {
                lang.pick("设置出勤率预警线", "set the attendance threshold")
            }
            C::SetPlanParts { .. } => lang.pick("编辑年度计划各部分", "edit annual plans' parts"),
            C::RetractApplication { .. } => lang.pick("撤回申报", "withdraw applications"),
            C::CorrectApplication { .. } => lang.pick("更正申报信息", "correct applications"),
        }
    }

    /// What the command did, for the audit trail: its action, or for an
    /// undo "撤销：" and the action it took back.
    pub fn describe(&self, lang: Lang) -> String {
        match self {
            Command::Undo { undone, .. } => {
                format!("{}{}", lang.pick("撤销：", "undo: "), undone.describe(lang))
            }
            c => c.action(lang).to_string(),
        }
    }

    /// The command that acts: an undo's inverse, or the command itself.
    pub fn acting(&self) -> &Command {
        match self {
            Command::Undo { command, .. } => command.acting(),
            c => c,
        }
    }
}

/// What a command did: the record it created or changed, and its audit entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    pub audit_id: u64,
    pub kind: RecordKind,
    pub id: u64,
    pub project: Option<ProjectId>,
    /// What the command was allowed to do but a person should look at.
    pub warnings: Vec<super::warning::Warning>,
}
