//! Base schools (培养基地) and their application (annex 2).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::project::ProjectId;
use super::record::{Gender, Stamp};
use crate::i18n::Lang;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SchoolStage {
    Applied,
    Approved,
    Rejected,
}

impl SchoolStage {
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            SchoolStage::Applied => lang.pick("已申报", "applied"),
            SchoolStage::Approved => lang.pick("已批准", "approved"),
            SchoolStage::Rejected => lang.pick("未批准", "rejected"),
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            SchoolStage::Applied => "applied",
            SchoolStage::Approved => "approved",
            SchoolStage::Rejected => "rejected",
        }
    }
}

/// The chief coach's details as annex 2 asks for them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChiefCoachDetails {
    pub name: String,
    pub gender: Gender,
    /// 出生年月, kept as the first day of the month.
    #[serde(with = "crate::domain::day")]
    pub birth_month: NaiveDate,
    #[serde(with = "crate::domain::day")]
    pub work_start: NaiveDate,
    pub subject: String,
    pub title: String,
    pub achievements: String,
}

/// What a school writes on the application form (annex 2).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchoolApplication {
    pub district: String,
    pub name: String,
    /// Groups the school applies to serve.
    pub projects: Vec<ProjectId>,
    pub principal: String,
    pub phone: String,
    pub chief_coach: ChiefCoachDetails,
    pub track_record: String,
    /// Work plan, with trainee criteria and selection method.
    pub work_plan: String,
    pub district_recommendation: String,
    #[serde(with = "crate::domain::day")]
    pub applied_on: NaiveDate,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BaseSchool {
    pub id: u64,
    pub application: SchoolApplication,
    pub stage: SchoolStage,
    #[serde(with = "crate::domain::day::option")]
    pub decided_on: Option<NaiveDate>,
    pub decision_note: String,
    pub stamp: Stamp,
}

impl BaseSchool {
    pub fn serves(&self, project: ProjectId) -> bool {
        self.stage == SchoolStage::Approved && self.application.projects.contains(&project)
    }
}
