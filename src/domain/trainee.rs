//! Trainees (学员) and their way through annex 1-3: application, school
//! recommendation, group selection, announcement, filing, enrolment, semester
//! assessments, and possibly withdrawal.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::calendar::announcement_end;
use super::project::ProjectId;
use super::record::{Gender, Stamp};
use crate::i18n::Lang;

/// A group takes at most this many enrolled student trainees at once.
pub const STUDENT_SEATS: usize = 50;
/// A student needs this many subject teachers recommending them by name.
pub const REQUIRED_RECOMMENDERS: usize = 2;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TraineeKind {
    /// 学生学员.
    Student,
    /// 青年骨干教师学员 (the "dual training" of teachers).
    Teacher,
}

impl TraineeKind {
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            TraineeKind::Student => lang.pick("学生学员", "student"),
            TraineeKind::Teacher => lang.pick("青年教师学员", "young teacher"),
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            TraineeKind::Student => "student",
            TraineeKind::Teacher => "teacher",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TraineeStage {
    /// 个人申报.
    Applied,
    /// 学校推荐.
    Recommended,
    /// 项目组遴选: chosen by the group.
    Selected,
    /// Not chosen by the group; the application ends here.
    NotSelected,
    /// 公示.
    Announced,
    /// 备案.
    Filed,
    /// 参加培养.
    Enrolled,
    /// 退出培养.
    Withdrawn,
    /// 撤回申报: a wrong application, withdrawn before enrolment; the
    /// record stays with its reason (schema 5).
    Retracted,
}

impl TraineeStage {
    pub const ALL: [TraineeStage; 9] = [
        TraineeStage::Applied,
        TraineeStage::Recommended,
        TraineeStage::Selected,
        TraineeStage::NotSelected,
        TraineeStage::Announced,
        TraineeStage::Filed,
        TraineeStage::Enrolled,
        TraineeStage::Withdrawn,
        TraineeStage::Retracted,
    ];

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            TraineeStage::Applied => lang.pick("已申报", "applied"),
            TraineeStage::Recommended => lang.pick("学校已推荐", "recommended"),
            TraineeStage::Selected => lang.pick("项目组已遴选", "selected"),
            TraineeStage::NotSelected => lang.pick("未入选", "not selected"),
            TraineeStage::Announced => lang.pick("公示中", "announced"),
            TraineeStage::Filed => lang.pick("已备案", "filed"),
            TraineeStage::Enrolled => lang.pick("培养中", "enrolled"),
            TraineeStage::Withdrawn => lang.pick("已退出", "withdrawn"),
            TraineeStage::Retracted => lang.pick("已撤回申报", "application withdrawn"),
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            TraineeStage::Applied => "applied",
            TraineeStage::Recommended => "recommended",
            TraineeStage::Selected => "selected",
            TraineeStage::NotSelected => "not_selected",
            TraineeStage::Announced => "announced",
            TraineeStage::Filed => "filed",
            TraineeStage::Enrolled => "enrolled",
            TraineeStage::Withdrawn => "withdrawn",
            TraineeStage::Retracted => "retracted",
        }
    }
}

/// Annex 1-3, step 4: where the trainee is trained.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TrainingMode {
    /// 基地校培养: enrols at the base school and is managed by it.
    BaseSchool { school: u64 },
    /// 走读培养: stays at the home school and attends base-school sessions.
    Commuting,
}

impl TrainingMode {
    pub fn code(self) -> &'static str {
        match self {
            TrainingMode::BaseSchool { .. } => "base_school",
            TrainingMode::Commuting => "commuting",
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            TrainingMode::BaseSchool { .. } => lang.pick("基地校培养", "at the base school"),
            TrainingMode::Commuting => lang.pick("走读培养", "commuting"),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Announcement {
    #[serde(with = "crate::domain::day")]
    pub start: NaiveDate,
    pub working_days: u8,
}

impl Announcement {
    /// The last day of the announcement; filing is possible the day after.
    pub fn end(&self) -> NaiveDate {
        announcement_end(self.start, self.working_days)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Objection {
    #[serde(with = "crate::domain::day")]
    pub raised_on: NaiveDate,
    pub text: String,
    pub resolution: Option<(NaiveDate, String)>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum WithdrawalReason {
    /// 学期考核不合格.
    FailedAssessment,
    /// 本人申请.
    OwnRequest,
    /// 其他, with the reason written out.
    Other(String),
}

impl WithdrawalReason {
    pub fn label(&self, lang: Lang) -> String {
        match self {
            WithdrawalReason::FailedAssessment => lang
                .pick("学期考核不合格", "failed the semester assessment")
                .into(),
            WithdrawalReason::OwnRequest => lang.pick("本人申请", "at own request").into(),
            WithdrawalReason::Other(s) => s.clone(),
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            WithdrawalReason::FailedAssessment => "failed_assessment",
            WithdrawalReason::OwnRequest => "own_request",
            WithdrawalReason::Other(_) => "other",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Withdrawal {
    #[serde(with = "crate::domain::day")]
    pub date: NaiveDate,
    pub reason: WithdrawalReason,
    pub returned_to_home_school: bool,
    /// Set when a reinstatement reversed this withdrawal; the withdrawal stays on
    /// record.
    #[serde(with = "crate::domain::day::option")]
    pub reinstated_on: Option<NaiveDate>,
    /// Why the reinstatement was made, kept with the withdrawal it reversed.
    pub reinstatement_reason: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageChange {
    pub stage: TraineeStage,
    #[serde(with = "crate::domain::day")]
    pub date: NaiveDate,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trainee {
    pub id: u64,
    pub kind: TraineeKind,
    pub name: String,
    pub gender: Gender,
    pub home_school: String,
    pub district: String,
    /// 高一, 高二 ... for students; the teacher's subject role for teachers.
    pub grade: String,
    pub phone: String,
    pub project: ProjectId,
    pub recommenders: Vec<String>,
    pub stage: TraineeStage,
    pub history: Vec<StageChange>,
    pub announcement: Option<Announcement>,
    pub objections: Vec<Objection>,
    pub training_mode: Option<TrainingMode>,
    /// Date the study commitment letter (学习培养承诺书) was signed.
    #[serde(with = "crate::domain::day::option")]
    pub commitment_signed: Option<NaiveDate>,
    /// Every withdrawal ever made, oldest first.
    pub withdrawals: Vec<Withdrawal>,
    pub stamp: Stamp,
    /// Set when the application was withdrawn as wrong (撤回申报; schema 5).
    #[serde(default)]
    pub retraction: Option<Retraction>,
}

/// 撤回申报: when and why a wrong application was withdrawn. Nothing is
/// deleted: the trainee stays on record, out of every count.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Retraction {
    #[serde(with = "crate::domain::day")]
    pub date: NaiveDate,
    pub reason: String,
    /// The stage the application had reached.
    pub from: TraineeStage,
}

impl Trainee {
    /// Holds one of the group's student seats right now.
    pub fn holds_seat(&self) -> bool {
        self.kind == TraineeKind::Student && self.stage == TraineeStage::Enrolled
    }

    pub fn open_objections(&self) -> usize {
        self.objections
            .iter()
            .filter(|o| o.resolution.is_none())
            .count()
    }

    /// The withdrawal in force, if the trainee is withdrawn.
    pub fn current_withdrawal(&self) -> Option<&Withdrawal> {
        if self.stage != TraineeStage::Withdrawn {
            return None;
        }
        self.withdrawals
            .last()
            .filter(|w| w.reinstated_on.is_none())
    }

    /// The stage the trainee was in at the end of `date`.
    pub fn stage_on(&self, date: NaiveDate) -> Option<TraineeStage> {
        self.history
            .iter()
            .take_while(|c| c.date <= date)
            .last()
            .map(|c| c.stage)
    }

    /// Enrolled (training) on `date`: on a session's roster that day.
    pub fn enrolled_on(&self, date: NaiveDate) -> bool {
        self.stage_on(date) == Some(TraineeStage::Enrolled)
    }

    pub fn stage_date(&self, stage: TraineeStage) -> Option<NaiveDate> {
        self.history
            .iter()
            .rev()
            .find(|c| c.stage == stage)
            .map(|c| c.date)
    }
}
