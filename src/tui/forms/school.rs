//! Base schools (annex 2): a school's application with the annex's fields,
//! and the bureau's decision on it.

use crate::domain::field::Field as Ident;
use chrono::NaiveDate;

use super::field::parse_groups;
use super::{Choice, Field, FieldKind, Form, FormFlow, Scope, districts, genders, sheet_of};
use crate::domain::text::{LONG, MEDIUM, SHORT};
use crate::domain::{BaseSchool, ChiefCoachDetails, ProjectId, SchoolApplication, SchoolStage};
use crate::i18n::Lang;
use crate::registry::Command;
use crate::tui::strings::L;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum F {
    District,
    Name,
    Groups,
    Principal,
    Phone,
    Chief,
    Gender,
    Born,
    Work,
    Subject,
    Title,
    Achievements,
    Record,
    Plan,
    Recommendation,
    Date,
    Decision,
    Note,
}

pub struct SchoolForm {
    form: Form<F>,
}

/// An application of a school to serve `project`, or several groups typed
/// in the form (`数学 物理`, or `全部`).
pub fn school_form(project: ProjectId, today: NaiveDate, lang: Lang) -> SchoolForm {
    let text = |label, max, required| Field::new(label, FieldKind::text(max, required), "");
    let form = Form::new(L::SchoolApplication)
        .with(
            F::District,
            Field::choice(("区市", "District"), districts(), 0),
        )
        .with(F::Name, text(("学校名称", "School"), MEDIUM, true))
        .with(
            F::Groups,
            Field::new(
                ("申报项目组", "Serves"),
                FieldKind::Groups,
                lang.pick(project.name(Lang::Zh), project.code()),
            )
            .names(Ident::Projects),
        )
        .with(F::Principal, text(("校长", "Principal"), SHORT, true))
        .with(
            F::Phone,
            Field::blank(("联系电话", "Phone"), FieldKind::Phone),
        )
        .with(
            F::Chief,
            text(("首席教练员", "Chief coach"), SHORT, true).names(Ident::ChiefCoach),
        )
        .with(F::Gender, Field::choice(("性别", "Gender"), genders(), 0))
        .with(
            F::Born,
            Field::blank(("出生年月", "Born (month)"), FieldKind::Month),
        )
        .with(
            F::Work,
            Field::blank(
                ("参加工作", "Working since"),
                FieldKind::Since { optional: false },
            )
            .names(Ident::WorkStart),
        )
        .with(
            F::Subject,
            Field::new(
                ("任教学科", "Subject"),
                FieldKind::text(SHORT, true),
                project.name(Lang::Zh),
            ),
        )
        .with(F::Title, text(("职称", "Title"), SHORT, false))
        .with(
            F::Achievements,
            text(("主要业绩", "Achievements"), LONG, false).names(Ident::Achievements),
        )
        .with(
            F::Record,
            text(("学校培养基础", "Track record"), LONG, false).names(Ident::TrackRecord),
        )
        .with(F::Plan, text(("工作计划", "Work plan"), LONG, false))
        .with(
            F::Recommendation,
            text(("区市推荐意见", "District says"), LONG, false),
        )
        .with(F::Date, Field::date(("日期", "Applied on"), today));
    SchoolForm { form }
}

impl FormFlow for SchoolForm {
    sheet_of!();

    fn save(&self, scope: Scope) -> Result<Vec<Command>, String> {
        let (f, lang) = (&self.form, scope.lang);
        Ok(vec![Command::ApplySchool(SchoolApplication {
            district: f.required(F::District, lang)?,
            name: f.text(F::Name),
            projects: parse_groups(&f.text(F::Groups)).ok_or_else(|| {
                format!(
                    "{}{}{}",
                    lang.pick("申报项目组", "Serves"),
                    lang.pick("：", ": "),
                    L::BadGroups.get(lang)
                )
            })?,
            principal: f.text(F::Principal),
            phone: f.text(F::Phone),
            chief_coach: ChiefCoachDetails {
                name: f.text(F::Chief),
                gender: f.required(F::Gender, lang)?,
                birth_month: f.month(F::Born, lang)?,
                work_start: f.required_since(F::Work, lang)?,
                subject: f.text(F::Subject),
                title: f.text(F::Title),
                achievements: f.text(F::Achievements),
            },
            track_record: f.text(F::Record),
            work_plan: f.text(F::Plan),
            district_recommendation: f.text(F::Recommendation),
            applied_on: f.required_date(F::Date, lang)?,
        })])
    }

    fn select_after(
        &self,
        events: &[crate::registry::Event],
    ) -> Option<(crate::registry::RecordKind, u64)> {
        super::first_of(events, crate::registry::RecordKind::School)
    }
}

pub struct SchoolDecisionForm {
    form: Form<F>,
    school: u64,
    version: u32,
    /// The school's version someone else saved meanwhile, for ctrl-r.
    theirs: Option<u32>,
}

/// The decision on a pending application.
pub fn school_decision_form(
    school: &BaseSchool,
    today: NaiveDate,
) -> Result<SchoolDecisionForm, L> {
    if school.stage != SchoolStage::Applied {
        return Err(L::AlreadyDecided);
    }
    let decisions = vec![
        Choice::new("批准", "approve", true),
        Choice::new("不批准", "reject", false),
    ];
    let a = &school.application;
    let form = Form::new(L::DecideSchool)
        .with(
            F::Decision,
            Field::choice(("审批结果", "Decision"), decisions, 0),
        )
        .with(
            F::Note,
            Field::text(("意见", "Note"), LONG, false).names(Ident::DecisionNote),
        )
        .with(F::Date, Field::date(("日期", "Date"), today))
        .intro(format!("{} {} {}", a.name, a.district, a.principal));
    Ok(SchoolDecisionForm {
        form,
        school: school.id,
        version: school.stamp.version,
        theirs: None,
    })
}

impl FormFlow for SchoolDecisionForm {
    sheet_of!();

    /// The school read again (a decision taken back elsewhere leaves it
    /// pending on a new version): the form holds none of its values, so no
    /// field changed and ctrl-r decides on their version; `None` if it was
    /// decided meanwhile.
    fn stale(&mut self, ctx: &mut crate::tui::ctx::Ctx) -> Option<Vec<String>> {
        let school = ctx.registry.school(self.school).ok().flatten()?;
        let theirs = school_decision_form(&school, ctx.today).ok()?;
        self.theirs = Some(theirs.version);
        self.form.sheet.intro = theirs.form.sheet.intro;
        self.form.sheet.theirs_held = true;
        Some(Vec::new())
    }

    /// Decided meanwhile: their decision, and nothing left to save.
    fn overtaken(&self, ctx: &mut crate::tui::ctx::Ctx) -> Option<String> {
        let school = ctx.registry.school(self.school).ok().flatten()?;
        if school.stage == SchoolStage::Applied {
            return None;
        }
        let lang = ctx.lang;
        let decision = school.stage.label(lang);
        let on = school.decided_on.map(|d| d.to_string()).unwrap_or_default();
        Some(match lang {
            Lang::Zh => format!("此申报已审批，{decision}（{on}）；本表无需保存，按 Esc 关闭"),
            Lang::En => format!(
                "the application was decided, {decision} ({on}); nothing is left to save: Esc closes this form"
            ),
        })
    }

    fn take_theirs(&mut self, _lang: Lang) -> Option<Vec<String>> {
        self.version = self.theirs.take()?;
        self.form.sheet.theirs_held = false;
        Some(Vec::new())
    }

    fn save(&self, scope: Scope) -> Result<Vec<Command>, String> {
        let f = &self.form;
        Ok(vec![Command::DecideSchool {
            id: self.school,
            version: self.version,
            approve: f.required(F::Decision, scope.lang)?,
            date: f.required_date(F::Date, scope.lang)?,
            note: f.text(F::Note),
        }])
    }
}
