//! The annual cycle of annex 1-2: each group's implementation plan (due 31
//! January) and completion report (due 30 November).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::calendar::{plan_due, report_due};
use super::money::Money;
use super::project::ProjectId;
use super::record::Stamp;
use crate::i18n::Lang;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Document {
    /// 项目实施方案.
    Plan,
    /// 完成情况报告.
    Report,
}

impl Document {
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Document::Plan => lang.pick("年度实施方案", "implementation plan"),
            Document::Report => lang.pick("完成情况报告", "completion report"),
        }
    }

    /// The document of `year` as a sentence names it: `2026 年度实施方案`,
    /// `2026 年度完成情况报告` (the label already says 年度: never
    /// `2026 年年度`), `the 2026 implementation plan`.
    pub fn of_year(self, year: i32, lang: Lang) -> String {
        match lang {
            Lang::Zh => format!("{year} 年度{}", self.label(lang).trim_start_matches("年度")),
            Lang::En => format!("the {year} {}", self.label(lang)),
        }
    }

    pub fn due(self, year: i32) -> NaiveDate {
        match self {
            Document::Plan => plan_due(year),
            Document::Report => report_due(year),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Filing {
    #[default]
    NotSubmitted,
    Submitted(NaiveDate),
    /// 备案: accepted and filed by the bureau.
    Filed {
        submitted: NaiveDate,
        filed: NaiveDate,
    },
}

impl Filing {
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Filing::NotSubmitted => lang.pick("未提交", "not submitted"),
            Filing::Submitted(_) => lang.pick("已提交", "submitted"),
            Filing::Filed { .. } => lang.pick("已备案", "filed"),
        }
    }
}

/// A numeric goal of the year, e.g. "trainees with a provincial first prize: 5".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Target {
    pub name: String,
    pub goal: u32,
    pub attained: Option<u32>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnnualCycle {
    pub project: ProjectId,
    pub year: i32,
    pub plan: Filing,
    pub report: Filing,
    pub goals: String,
    pub targets: Vec<Target>,
    /// Planned spending of the daily fund per category.
    pub budget: Vec<(String, Money)>,
    pub attainment: String,
    pub stamp: Stamp,
    /// The plan's parts beside its goals (项目目标) and budget table
    /// (schema 5).
    #[serde(default)]
    pub parts: PlanParts,
}

/// The parts of an annual implementation plan that annex 1-2 names besides
/// 项目目标 (`goals`): each a text.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanParts {
    /// 学员条件及产生方式.
    pub criteria: String,
    /// 学员组织管理.
    pub management: String,
    /// 培训组织计划.
    pub training: String,
    /// 经费安排: the words beside the budget table.
    pub funding: String,
}

impl PlanParts {
    /// The five headings of the plan, in order: 项目目标 first.
    pub fn headings(lang: Lang) -> [&'static str; 5] {
        [
            lang.pick("项目目标", "Project goals"),
            lang.pick("学员条件及产生方式", "Trainee criteria and selection"),
            lang.pick("学员组织管理", "Trainee organisation and management"),
            lang.pick("培训组织计划", "Training organisation plan"),
            lang.pick("经费安排", "Budget"),
        ]
    }
}

impl AnnualCycle {
    pub fn filing(&self, doc: Document) -> Filing {
        match doc {
            Document::Plan => self.plan,
            Document::Report => self.report,
        }
    }
}
