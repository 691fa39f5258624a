//! One flat row type per exported kind, and the scans that produce them.

use chrono::NaiveDate;
use serde::Serialize;

use super::{Column, ExportError, Filter, Row, col};
use crate::domain::coach::qualification_shortfalls;
use crate::domain::{EntryKind, Holder, TrainingMode};
use crate::i18n::{Lang, Localized};
use crate::registry::Reader;
use crate::registry::shanghai;

fn opt<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map(ToString::to_string).unwrap_or_default()
}

#[derive(Serialize)]
pub struct WithdrawalRow {
    pub date: NaiveDate,
    /// failed_assessment, own_request or other.
    pub reason: &'static str,
    /// The reason in the export's language (`other`: as written).
    pub reason_text: String,
    pub returned_to_home_school: bool,
}

#[derive(Serialize)]
pub struct TraineeRow {
    pub id: u64,
    pub name: String,
    pub kind: &'static str,
    pub project: &'static str,
    pub stage: &'static str,
    pub gender: &'static str,
    pub home_school: String,
    pub district: String,
    pub grade: String,
    pub phone: String,
    pub training_mode: Option<&'static str>,
    pub base_school: Option<u64>,
    pub recommenders: Vec<String>,
    pub applied_on: Option<NaiveDate>,
    pub enrolled_on: Option<NaiveDate>,
    pub commitment_signed: Option<NaiveDate>,
    pub open_objections: usize,
    pub withdrawal: Option<WithdrawalRow>,
    pub version: u32,
}

impl Row for TraineeRow {
    const COLUMNS: &'static [Column<Self>] = &[
        col("编号", "ID", |r, _| r.id.to_string()),
        col("姓名", "Name", |r, _| r.name.clone()),
        col("类别", "Kind", |r, lang| code_label(r.kind, lang)),
        col("项目组", "Group", |r, lang| {
            project_label(r.project, lang)
        }),
        col("阶段", "Stage", |r, lang| code_label(r.stage, lang)),
        col("性别", "Gender", |r, lang| code_label(r.gender, lang)),
        col("所在学校", "Home school", |r, _| r.home_school.clone()),
        col("区市", "District", |r, _| r.district.clone()),
        col("年级", "Grade", |r, _| r.grade.clone()),
        col("联系电话", "Phone", |r, _| r.phone.clone()),
        col("培养方式", "Training mode", |r, lang| {
            r.training_mode
                .map(|c| code_label(c, lang))
                .unwrap_or_default()
        }),
        col("基地校编号", "Base school ID", |r, _| {
            opt(&r.base_school)
        }),
        col("推荐教师", "Recommenders", |r, lang| {
            r.recommenders.join(lang.pick("、", ", "))
        }),
        col("申报日期", "Applied on", |r, _| opt(&r.applied_on)),
        col("入学日期", "Enrolled on", |r, _| opt(&r.enrolled_on)),
        col("承诺书签订日期", "Commitment signed", |r, _| {
            opt(&r.commitment_signed)
        }),
        col("未处理异议", "Open objections", |r, _| {
            r.open_objections.to_string()
        }),
        col("退出日期", "Withdrawn on", |r, _| {
            r.withdrawal
                .as_ref()
                .map(|w| w.date.to_string())
                .unwrap_or_default()
        }),
        col("退出原因", "Withdrawal reason", |r, _| {
            r.withdrawal
                .as_ref()
                .map(|w| w.reason_text.clone())
                .unwrap_or_default()
        }),
        col("已回原校", "Returned to home school", |r, lang| {
            r.withdrawal
                .as_ref()
                .map(|w| yes_no(w.returned_to_home_school, lang))
                .unwrap_or_default()
        }),
    ];
}

pub(super) fn trainees(
    r: &Reader<'_>,
    f: &Filter,
    lang: Lang,
    mut out: impl FnMut(TraineeRow) -> Result<(), ExportError>,
) -> Result<(), ExportError> {
    let mut emit = |t: crate::domain::Trainee| -> Result<(), ExportError> {
        let applied_on = t.history.first().map(|c| c.date);
        if let Some(y) = f.year
            && applied_on.map(|d| chrono::Datelike::year(&d)) != Some(y)
        {
            return Ok(());
        }
        let withdrawal = t.current_withdrawal().map(|w| WithdrawalRow {
            date: w.date,
            reason: w.reason.code(),
            reason_text: w.reason.label(lang),
            returned_to_home_school: w.returned_to_home_school,
        });
        out(TraineeRow {
            id: t.id,
            kind: t.kind.code(),
            project: t.project.code(),
            stage: t.stage.code(),
            gender: gender_code(t.gender),
            training_mode: t.training_mode.map(TrainingMode::code),
            base_school: match t.training_mode {
                Some(TrainingMode::BaseSchool { school }) => Some(school),
                _ => None,
            },
            applied_on,
            enrolled_on: t.stage_date(crate::domain::TraineeStage::Enrolled),
            commitment_signed: t.commitment_signed,
            open_objections: t.open_objections(),
            withdrawal,
            version: t.stamp.version,
            name: t.name,
            home_school: t.home_school,
            district: t.district,
            grade: t.grade,
            phone: t.phone,
            recommenders: t.recommenders,
        })
    };
    match f.project {
        Some(p) => {
            for t in r.trainees(p)? {
                emit(t)?;
            }
        }
        None => {
            for t in r.all_trainees() {
                emit(t?)?;
            }
        }
    }
    Ok(())
}

#[derive(Serialize)]
pub struct CoachRow {
    pub id: u64,
    pub person_id: u64,
    pub name: String,
    pub gender: &'static str,
    pub school: String,
    pub title: String,
    pub project: &'static str,
    pub role: &'static str,
    pub stage: &'static str,
    pub term_start: NaiveDate,
    pub term_end: NaiveDate,
    pub teaching_since: NaiveDate,
    pub coaching_since: Option<NaiveDate>,
    /// Annex 1-1 conditions not met today (in the export's language), empty
    /// when qualified.
    pub shortfalls: Vec<String>,
    pub justification: Option<String>,
}

impl Row for CoachRow {
    const COLUMNS: &'static [Column<Self>] = &[
        col("编号", "ID", |r, _| r.id.to_string()),
        col("人员编号", "Person ID", |r, _| r.person_id.to_string()),
        col("姓名", "Name", |r, _| r.name.clone()),
        col("性别", "Gender", |r, lang| code_label(r.gender, lang)),
        col("单位", "School", |r, _| r.school.clone()),
        col("职称", "Title", |r, _| r.title.clone()),
        col("项目组", "Group", |r, lang| {
            project_label(r.project, lang)
        }),
        col("角色", "Role", |r, lang| code_label(r.role, lang)),
        col("状态", "Stage", |r, lang| code_label(r.stage, lang)),
        col("聘期开始", "Term start", |r, _| {
            r.term_start.to_string()
        }),
        col("聘期结束", "Term end", |r, _| r.term_end.to_string()),
        col("从教起始", "Teaching since", |r, _| {
            r.teaching_since.to_string()
        }),
        col("竞赛辅导起始", "Coaching since", |r, _| {
            opt(&r.coaching_since)
        }),
        col("未满足条件", "Unmet conditions", |r, lang| {
            r.shortfalls.join(lang.pick("；", "; "))
        }),
        col("书面说明", "Justification", |r, _| {
            r.justification.clone().unwrap_or_default()
        }),
    ];
}

pub(super) fn coaches(
    r: &Reader<'_>,
    f: &Filter,
    lang: Lang,
    mut out: impl FnMut(CoachRow) -> Result<(), ExportError>,
) -> Result<(), ExportError> {
    let today = r.today();
    for c in r.all_coaches() {
        let c = c?;
        if f.project.is_some_and(|p| p != c.project) {
            continue;
        }
        if let Some(y) = f.year {
            use chrono::Datelike;
            if c.term_start.year() > y || c.term_end.year() < y {
                continue;
            }
        }
        let Some(p) = r.person(c.person_id)? else {
            continue;
        };
        let shortfalls = qualification_shortfalls(&p, c.role, c.project, today)
            .iter()
            .map(|s| s.localized(lang))
            .collect();
        out(CoachRow {
            id: c.id,
            person_id: p.id,
            name: p.name,
            gender: gender_code(p.gender),
            school: p.school,
            title: p.title,
            project: c.project.code(),
            role: c.role.code(),
            stage: c.stage.code(),
            term_start: c.term_start,
            term_end: c.term_end,
            teaching_since: p.teaching_since,
            coaching_since: p.coaching_since,
            shortfalls,
            justification: c.justification,
        })?;
    }
    Ok(())
}

#[derive(Serialize)]
pub struct SchoolRow {
    pub id: u64,
    pub name: String,
    pub district: String,
    pub projects: Vec<&'static str>,
    pub stage: &'static str,
    pub principal: String,
    pub phone: String,
    pub chief_coach: String,
    pub applied_on: NaiveDate,
    pub decided_on: Option<NaiveDate>,
    pub decision_note: String,
}

impl Row for SchoolRow {
    const COLUMNS: &'static [Column<Self>] = &[
        col("编号", "ID", |r, _| r.id.to_string()),
        col("学校名称", "School", |r, _| r.name.clone()),
        col("区市", "District", |r, _| r.district.clone()),
        col("申报项目", "Groups", |r, lang| {
            r.projects
                .iter()
                .map(|p| project_label(p, lang))
                .collect::<Vec<_>>()
                .join("、")
        }),
        col("状态", "Stage", |r, lang| code_label(r.stage, lang)),
        col("校长", "Principal", |r, _| r.principal.clone()),
        col("联系电话", "Phone", |r, _| r.phone.clone()),
        col("首席教练员", "Chief coach", |r, _| {
            r.chief_coach.clone()
        }),
        col("申报日期", "Applied on", |r, _| {
            r.applied_on.to_string()
        }),
        col("审批日期", "Decided on", |r, _| opt(&r.decided_on)),
        col("审批意见", "Decision note", |r, _| {
            r.decision_note.clone()
        }),
    ];
}

pub(super) fn schools(
    r: &Reader<'_>,
    f: &Filter,
    mut out: impl FnMut(SchoolRow) -> Result<(), ExportError>,
) -> Result<(), ExportError> {
    for s in r.schools()? {
        if f.project
            .is_some_and(|p| !s.application.projects.contains(&p))
        {
            continue;
        }
        if f.year
            .is_some_and(|y| chrono::Datelike::year(&s.application.applied_on) != y)
        {
            continue;
        }
        let a = s.application;
        out(SchoolRow {
            id: s.id,
            name: a.name,
            district: a.district,
            projects: a.projects.iter().map(|p| p.code()).collect(),
            stage: s.stage.code(),
            principal: a.principal,
            phone: a.phone,
            chief_coach: a.chief_coach.name,
            applied_on: a.applied_on,
            decided_on: s.decided_on,
            decision_note: s.decision_note,
        })?;
    }
    Ok(())
}

#[derive(Serialize)]
pub struct AssessmentRow {
    pub id: u64,
    pub trainee_id: u64,
    pub trainee_name: String,
    pub project: &'static str,
    /// Short form, e.g. 2026-2027-1.
    pub semester: String,
    pub semester_label: String,
    /// pass or fail.
    pub result: &'static str,
    pub score: Option<f64>,
    pub note: String,
    pub assessor: String,
    pub date: NaiveDate,
    pub corrections: usize,
}

impl Row for AssessmentRow {
    const COLUMNS: &'static [Column<Self>] = &[
        col("编号", "ID", |r, _| r.id.to_string()),
        col("学员编号", "Trainee ID", |r, _| {
            r.trainee_id.to_string()
        }),
        col("学员姓名", "Trainee", |r, _| r.trainee_name.clone()),
        col("项目组", "Group", |r, lang| {
            project_label(r.project, lang)
        }),
        col("学期代码", "Semester code", |r, _| r.semester.clone()),
        col("学期", "Semester", |r, _| r.semester_label.clone()),
        col("考核结果", "Result", |r, lang| {
            code_label(r.result, lang)
        }),
        col("成绩", "Score", |r, _| opt(&r.score)),
        col("备注", "Note", |r, _| r.note.clone()),
        col("考核人", "Assessor", |r, _| r.assessor.clone()),
        col("考核日期", "Date", |r, _| r.date.to_string()),
        col("更正次数", "Corrections", |r, _| {
            r.corrections.to_string()
        }),
    ];
}

pub(super) fn assessments(
    r: &Reader<'_>,
    f: &Filter,
    lang: Lang,
    mut out: impl FnMut(AssessmentRow) -> Result<(), ExportError>,
) -> Result<(), ExportError> {
    // Names are looked up once per trainee, not once per row.
    let mut names: std::collections::HashMap<u64, String> = std::collections::HashMap::new();
    for a in r.all_assessments() {
        let a = a?;
        if f.project.is_some_and(|p| p != a.project)
            || f.year
                .is_some_and(|y| i32::from(a.semester.start_year) != y)
        {
            continue;
        }
        let name = match names.get(&a.trainee_id) {
            Some(n) => n.clone(),
            None => {
                let n = r.trainee(a.trainee_id)?.map(|t| t.name).unwrap_or_default();
                names.insert(a.trainee_id, n.clone());
                n
            }
        };
        let code = a.semester.code() % 2 + 1;
        out(AssessmentRow {
            id: a.id,
            trainee_id: a.trainee_id,
            trainee_name: name,
            project: a.project.code(),
            semester: format!(
                "{}-{}-{code}",
                a.semester.start_year,
                u32::from(a.semester.start_year) + 1
            ),
            semester_label: a.semester.label(lang),
            result: a.outcome.code(),
            score: a.score.map(|s| s.as_f64()),
            note: a.note,
            assessor: a.assessor,
            date: a.date,
            corrections: a.corrections.len(),
        })?;
    }
    Ok(())
}

#[derive(Serialize)]
pub struct EntryRow {
    pub id: u64,
    pub project: Option<&'static str>,
    pub school: Option<u64>,
    pub year: i32,
    /// daily, reward or base.
    pub account: &'static str,
    pub date: NaiveDate,
    /// allocation, expense or reversal.
    pub kind: &'static str,
    pub amount_fen: i64,
    pub amount: String,
    /// A known category in the export's language, a typed one as typed.
    pub category: String,
    pub voucher: String,
    pub payee: String,
    pub note: String,
    pub reverses: Option<u64>,
    pub reversed_by: Option<u64>,
    pub recorded_by: String,
}

impl Row for EntryRow {
    const COLUMNS: &'static [Column<Self>] = &[
        col("编号", "ID", |r, _| r.id.to_string()),
        col("项目组", "Group", |r, lang| {
            r.project
                .map(|p| project_label(p, lang))
                .unwrap_or_default()
        }),
        col("基地校编号", "School ID", |r, _| opt(&r.school)),
        col("年度", "Year", |r, _| r.year.to_string()),
        col("账户", "Account", |r, lang| code_label(r.account, lang)),
        col("日期", "Date", |r, _| r.date.to_string()),
        col("类型", "Kind", |r, lang| code_label(r.kind, lang)),
        col("金额（分）", "Amount (fen)", |r, _| {
            r.amount_fen.to_string()
        }),
        col("金额（元）", "Amount (yuan)", |r, _| r.amount.clone()),
        col("类别", "Category", |r, _| r.category.clone()),
        col("凭证号", "Voucher", |r, _| r.voucher.clone()),
        col("收款方", "Payee", |r, _| r.payee.clone()),
        col("备注", "Note", |r, _| r.note.clone()),
        col("冲销记录", "Reverses", |r, _| opt(&r.reverses)),
        col("被冲销于", "Reversed by", |r, _| opt(&r.reversed_by)),
        col("经办人", "Recorded by", |r, _| r.recorded_by.clone()),
    ];
}

pub(super) fn entries(
    r: &Reader<'_>,
    f: &Filter,
    lang: Lang,
    mut out: impl FnMut(EntryRow) -> Result<(), ExportError>,
) -> Result<(), ExportError> {
    for e in r.all_entries() {
        let e = e?;
        if f.project.is_some_and(|p| e.account.project() != Some(p))
            || f.year.is_some_and(|y| e.account.year != y)
        {
            continue;
        }
        let reversed_by = match e.kind {
            EntryKind::Reversal { .. } => None,
            _ => r.reversed_by(e.id)?,
        };
        out(EntryRow {
            id: e.id,
            project: e.account.project().map(|p| p.code()),
            school: match e.account.holder {
                Holder::School(s) => Some(s),
                Holder::Project(_) => None,
            },
            year: e.account.year,
            account: e.account.fund.code(),
            date: e.date,
            kind: e.kind.code(),
            amount_fen: e.amount.fen(),
            amount: e.amount.plain(),
            reverses: match e.kind {
                EntryKind::Reversal { of } => Some(of),
                _ => None,
            },
            reversed_by,
            category: crate::domain::ledger::category_label(&e.category, lang).to_string(),
            voucher: e.voucher,
            payee: e.payee,
            note: e.note,
            recorded_by: e.recorded_by,
        })?;
    }
    Ok(())
}

#[derive(Serialize)]
pub struct AuditRow {
    pub id: u64,
    /// Asia/Shanghai time, RFC 3339.
    pub at: String,
    pub actor: String,
    pub project: Option<&'static str>,
    pub record_kind: String,
    pub record_id: u64,
    pub action: String,
    /// The command as applied.
    pub command: serde_json::Value,
    pub changed_existing: bool,
    /// The date the entry's stage states when it was recorded late (补录,
    /// by the audit trail's rule, `registry::late`); none otherwise.
    pub recorded_late: Option<NaiveDate>,
}

impl Row for AuditRow {
    const COLUMNS: &'static [Column<Self>] = &[
        col("编号", "ID", |r, _| r.id.to_string()),
        col("时间", "Time", |r, _| r.at.clone()),
        col("操作人", "Actor", |r, _| r.actor.clone()),
        col("项目组", "Group", |r, lang| {
            r.project
                .map(|p| project_label(p, lang))
                .unwrap_or_default()
        }),
        col("记录类型", "Record kind", |r, _| r.record_kind.clone()),
        col("记录编号", "Record ID", |r, _| r.record_id.to_string()),
        col("操作", "Action", |r, _| r.action.clone()),
        // Before the command, which stays last (the raw record as applied).
        col("补录", "recorded late", |r, _| opt(&r.recorded_late)),
        col("内容", "Command", |r, _| r.command.to_string()),
    ];
}

pub(super) fn audit(
    r: &Reader<'_>,
    f: &Filter,
    lang: Lang,
    mut out: impl FnMut(AuditRow) -> Result<(), ExportError>,
) -> Result<(), ExportError> {
    for a in r.audit() {
        let a = a?;
        if f.project.is_some() && a.project != f.project {
            continue;
        }
        let at = shanghai(a.at);
        if f.year.is_some_and(|y| chrono::Datelike::year(&at) != y) {
            continue;
        }
        let recorded_late = crate::registry::late::late_entry(&a).map(|l| l.stated);
        out(AuditRow {
            id: a.id,
            at: at.to_rfc3339(),
            actor: a.actor,
            project: a.project.map(|p| p.code()),
            record_kind: a.kind.label(lang).to_string(),
            record_id: a.record,
            action: a.command.action(lang).to_string(),
            command: serde_json::to_value(&a.command)?,
            changed_existing: a.before.is_some(),
            recorded_late,
        })?;
    }
    Ok(())
}

fn gender_code(g: crate::domain::Gender) -> &'static str {
    match g {
        crate::domain::Gender::Male => "male",
        crate::domain::Gender::Female => "female",
    }
}

fn yes_no(b: bool, lang: Lang) -> String {
    if b {
        lang.pick("是", "yes")
    } else {
        lang.pick("否", "no")
    }
    .to_string()
}

fn project_label(code: &str, lang: Lang) -> String {
    crate::domain::ProjectId::parse(code)
        .map(|p| p.group_name(lang))
        .unwrap_or_else(|| code.to_string())
}

/// The label of a stable code as the CSV shows it.
fn code_label(code: &str, lang: Lang) -> String {
    use crate::domain::*;
    let from_stage = TraineeStage::ALL
        .iter()
        .find(|s| s.code() == code)
        .map(|s| s.label(lang));
    let label = from_stage.or_else(|| {
        Some(match code {
            "student" => TraineeKind::Student.label(lang),
            "teacher" => TraineeKind::Teacher.label(lang),
            "male" => Gender::Male.label(lang),
            "female" => Gender::Female.label(lang),
            "base_school" => TrainingMode::BaseSchool { school: 0 }.label(lang),
            "commuting" => TrainingMode::Commuting.label(lang),
            "chief" => CoachRole::Chief.label(lang),
            "coach" => CoachRole::Coach.label(lang),
            "assistant" => CoachRole::Assistant.label(lang),
            "nominated" => CoachStage::Nominated.label(lang),
            "active" => CoachStage::Active.label(lang),
            "ended" => CoachStage::Ended.label(lang),
            "approved" => SchoolStage::Approved.label(lang),
            "rejected" => SchoolStage::Rejected.label(lang),
            "pass" => Outcome::Pass.label(lang),
            "fail" => Outcome::Fail.label(lang),
            "daily" => Fund::Daily.label(lang),
            "reward" => Fund::Reward.label(lang),
            "base" => Fund::Base.label(lang),
            "allocation" => EntryKind::Allocation.label(lang),
            "expense" => EntryKind::Expense.label(lang),
            "reversal" => EntryKind::Reversal { of: 0 }.label(lang),
            _ => return None,
        })
    });
    label.unwrap_or(code).to_string()
}
