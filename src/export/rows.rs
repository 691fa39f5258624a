//! One flat row type per exported kind, and the scans that produce them.

use chrono::NaiveDate;
use serde::Serialize;

use super::{ExportError, Filter, Row};
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
    const HEADERS: &'static [(&'static str, &'static str)] = &[
        ("编号", "ID"),
        ("姓名", "Name"),
        ("类别", "Kind"),
        ("项目组", "Group"),
        ("阶段", "Stage"),
        ("性别", "Gender"),
        ("所在学校", "Home school"),
        ("区市", "District"),
        ("年级", "Grade"),
        ("联系电话", "Phone"),
        ("培养方式", "Training mode"),
        ("基地校编号", "Base school ID"),
        ("推荐教师", "Recommenders"),
        ("申报日期", "Applied on"),
        ("入学日期", "Enrolled on"),
        ("承诺书签订日期", "Commitment signed"),
        ("未处理异议", "Open objections"),
        ("退出日期", "Withdrawn on"),
        ("退出原因", "Withdrawal reason"),
        ("已回原校", "Returned to home school"),
    ];

    fn cells(&self, lang: Lang) -> Vec<String> {
        let tr = |code: &str| -> String { code_label(code, lang) };
        vec![
            self.id.to_string(),
            self.name.clone(),
            tr(self.kind),
            project_label(self.project, lang),
            tr(self.stage),
            tr(self.gender),
            self.home_school.clone(),
            self.district.clone(),
            self.grade.clone(),
            self.phone.clone(),
            self.training_mode.map(tr).unwrap_or_default(),
            opt(&self.base_school),
            self.recommenders.join(lang.pick("、", ", ")),
            opt(&self.applied_on),
            opt(&self.enrolled_on),
            opt(&self.commitment_signed),
            self.open_objections.to_string(),
            self.withdrawal
                .as_ref()
                .map(|w| w.date.to_string())
                .unwrap_or_default(),
            self.withdrawal
                .as_ref()
                .map(|w| w.reason_text.clone())
                .unwrap_or_default(),
            self.withdrawal
                .as_ref()
                .map(|w| yes_no(w.returned_to_home_school, lang))
                .unwrap_or_default(),
        ]
    }
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
    const HEADERS: &'static [(&'static str, &'static str)] = &[
        ("编号", "ID"),
        ("人员编号", "Person ID"),
        ("姓名", "Name"),
        ("性别", "Gender"),
        ("单位", "School"),
        ("职称", "Title"),
        ("项目组", "Group"),
        ("角色", "Role"),
        ("状态", "Stage"),
        ("聘期开始", "Term start"),
        ("聘期结束", "Term end"),
        ("从教起始", "Teaching since"),
        ("竞赛辅导起始", "Coaching since"),
        ("未满足条件", "Unmet conditions"),
        ("书面说明", "Justification"),
    ];

    fn cells(&self, lang: Lang) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.person_id.to_string(),
            self.name.clone(),
            code_label(self.gender, lang),
            self.school.clone(),
            self.title.clone(),
            project_label(self.project, lang),
            code_label(self.role, lang),
            code_label(self.stage, lang),
            self.term_start.to_string(),
            self.term_end.to_string(),
            self.teaching_since.to_string(),
            opt(&self.coaching_since),
            self.shortfalls.join(lang.pick("；", "; ")),
            self.justification.clone().unwrap_or_default(),
        ]
    }
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
    const HEADERS: &'static [(&'static str, &'static str)] = &[
        ("编号", "ID"),
        ("学校名称", "School"),
        ("区市", "District"),
        ("申报项目", "Groups"),
        ("状态", "Stage"),
        ("校长", "Principal"),
        ("联系电话", "Phone"),
        ("首席教练员", "Chief coach"),
        ("申报日期", "Applied on"),
        ("审批日期", "Decided on"),
        ("审批意见", "Decision note"),
    ];

    fn cells(&self, lang: Lang) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.name.clone(),
            self.district.clone(),
            self.projects
                .iter()
                .map(|p| project_label(p, lang))
                .collect::<Vec<_>>()
                .join("、"),
            code_label(self.stage, lang),
            self.principal.clone(),
            self.phone.clone(),
            self.chief_coach.clone(),
            self.applied_on.to_string(),
            opt(&self.decided_on),
            self.decision_note.clone(),
        ]
    }
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
    const HEADERS: &'static [(&'static str, &'static str)] = &[
        ("编号", "ID"),
        ("学员编号", "Trainee ID"),
        ("学员姓名", "Trainee"),
        ("项目组", "Group"),
        ("学期代码", "Semester code"),
        ("学期", "Semester"),
        ("考核结果", "Result"),
        ("成绩", "Score"),
        ("备注", "Note"),
        ("考核人", "Assessor"),
        ("考核日期", "Date"),
        ("更正次数", "Corrections"),
    ];

    fn cells(&self, lang: Lang) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.trainee_id.to_string(),
            self.trainee_name.clone(),
            project_label(self.project, lang),
            self.semester.clone(),
            self.semester_label.clone(),
            code_label(self.result, lang),
            opt(&self.score),
            self.note.clone(),
            self.assessor.clone(),
            self.date.to_string(),
            self.corrections.to_string(),
        ]
    }
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
    const HEADERS: &'static [(&'static str, &'static str)] = &[
        ("编号", "ID"),
        ("项目组", "Group"),
        ("基地校编号", "School ID"),
        ("年度", "Year"),
        ("账户", "Account"),
        ("日期", "Date"),
        ("类型", "Kind"),
        ("金额（分）", "Amount (fen)"),
        ("金额（元）", "Amount (yuan)"),
        ("类别", "Category"),
        ("凭证号", "Voucher"),
        ("收款方", "Payee"),
        ("备注", "Note"),
        ("冲销记录", "Reverses"),
        ("被冲销于", "Reversed by"),
        ("经办人", "Recorded by"),
    ];

    fn cells(&self, lang: Lang) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.project
                .map(|p| project_label(p, lang))
                .unwrap_or_default(),
            opt(&self.school),
            self.year.to_string(),
            code_label(self.account, lang),
            self.date.to_string(),
            code_label(self.kind, lang),
            self.amount_fen.to_string(),
            self.amount.clone(),
            self.category.clone(),
            self.voucher.clone(),
            self.payee.clone(),
            self.note.clone(),
            opt(&self.reverses),
            opt(&self.reversed_by),
            self.recorded_by.clone(),
        ]
    }
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
}

impl Row for AuditRow {
    const HEADERS: &'static [(&'static str, &'static str)] = &[
        ("编号", "ID"),
        ("时间", "Time"),
        ("操作人", "Actor"),
        ("项目组", "Group"),
        ("记录类型", "Record kind"),
        ("记录编号", "Record ID"),
        ("操作", "Action"),
        ("内容", "Command"),
    ];

    fn cells(&self, lang: Lang) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.at.clone(),
            self.actor.clone(),
            self.project
                .map(|p| project_label(p, lang))
                .unwrap_or_default(),
            self.record_kind.clone(),
            self.record_id.to_string(),
            self.action.clone(),
            self.command.to_string(),
        ]
    }
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
