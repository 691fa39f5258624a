//! The next stage of a coach's appointment (announce, file, activate, end),
//! offering what the domain's table allows. Filing someone who does not meet
//! annex 1-1 takes a written justification; the form lists each unmet
//! condition with its reason.

use crate::domain::field::Field as Ident;
use chrono::NaiveDate;

use super::{Choice, Field, Form, FormFlow, Scope, sheet_of};
use crate::domain::CoachStage;
use crate::domain::coach::qualification_shortfalls;
use crate::domain::text::LONG;
use crate::i18n::{Lang, Localized};
use crate::registry::Command;
use crate::tui::ctx::Ctx;
use crate::tui::model::AppointedCoach;
use crate::tui::strings::L;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum F {
    Stage,
    Date,
    Justification,
}

pub struct CoachStageForm {
    form: Form<F>,
    coach: u64,
    version: u32,
    /// The stage the coach was at when the form was made: the steps it
    /// offers follow from it.
    stage: CoachStage,
    /// The form built again from the coach as someone else saved them
    /// meanwhile, and the fields that differ, for ctrl-r.
    theirs: Option<(Box<CoachStageForm>, Vec<F>)>,
}

/// The form moving `row`'s appointment on.
pub fn coach_stage_form(
    row: &AppointedCoach,
    today: NaiveDate,
    lang: Lang,
) -> Result<CoachStageForm, L> {
    let stages = row.coach.stage.next(row.coach.role);
    if stages.is_empty() {
        return Err(L::NoNextStep);
    }
    let shortfalls =
        qualification_shortfalls(&row.person, row.coach.role, row.coach.project, today);
    let options = stages
        .iter()
        .map(|s| Choice::new(s.label(Lang::Zh), s.label(Lang::En), *s))
        .collect();
    let mut form = Form::new(L::AdvanceCoach)
        .with(F::Stage, Field::choice(("变更为", "Move to"), options, 0))
        .with(F::Date, Field::date(("日期", "Date"), today));
    if !shortfalls.is_empty() && stages.contains(&CoachStage::Filed) {
        form = form.with(
            F::Justification,
            Field::text(("未达条件说明", "Justification"), LONG, false).names(Ident::Justification),
        );
    }
    let unmet: Vec<String> = shortfalls.iter().map(|s| s.localized(lang)).collect();
    let intro = if unmet.is_empty() {
        format!(
            "{} {} {}：{}",
            row.person.name,
            row.coach.role.label(lang),
            row.coach.stage.label(lang),
            L::Meets.get(lang)
        )
    } else {
        format!(
            "{} {}：! {}",
            row.person.name,
            row.coach.role.label(lang),
            unmet.join("；")
        )
    };
    Ok(CoachStageForm {
        form: form.intro(intro),
        coach: row.coach.id,
        version: row.coach.stamp.version,
        stage: row.coach.stage,
        theirs: None,
    })
}

impl FormFlow for CoachStageForm {
    sheet_of!();

    /// The coach read again: if someone else moved the appointment on, the
    /// steps offered (变更为) changed; `None` once no step is left.
    fn stale(&mut self, ctx: &mut Ctx) -> Option<Vec<String>> {
        let coach = ctx.registry.coach(self.coach).ok().flatten()?;
        let person = ctx.registry.person(coach.person_id).ok().flatten()?;
        let row = AppointedCoach {
            coach,
            person,
            shortfalls: 0,
        };
        let theirs = coach_stage_form(&row, ctx.today, ctx.lang).ok()?;
        let mut changed = self.form.changed_in(&theirs.form);
        if theirs.stage != self.stage && !changed.contains(&F::Stage) {
            changed.insert(0, F::Stage);
        }
        let labels = self.form.labels(&changed, ctx.lang);
        self.theirs = Some((Box::new(theirs), changed));
        self.form.sheet.theirs_held = true;
        Some(labels)
    }

    /// Moved meanwhile to a stage with no step after it (term ended).
    fn overtaken(&self, ctx: &mut Ctx) -> Option<String> {
        let coach = ctx.registry.coach(self.coach).ok().flatten()?;
        if !coach.stage.next(coach.role).is_empty() {
            return None;
        }
        let stage = coach.stage.label(ctx.lang);
        Some(match ctx.lang {
            Lang::Zh => format!("聘任已变为“{stage}”，没有下一步；本表无需保存，按 Esc 关闭"),
            Lang::En => format!(
                "the appointment is now {stage}, with no step after it; nothing is left to save: Esc closes this form"
            ),
        })
    }

    /// The steps from the coach's stage now, the date and justification
    /// kept as typed.
    fn take_theirs(&mut self, lang: Lang) -> Option<Vec<String>> {
        let (theirs, changed) = self.theirs.take()?;
        let labels = self.form.labels(&changed, lang);
        self.form = self.form.taken_into(theirs.form, &changed);
        self.version = theirs.version;
        self.stage = theirs.stage;
        self.form.sheet.theirs_held = false;
        Some(labels)
    }

    fn save(&self, scope: Scope) -> Result<Vec<Command>, String> {
        let f = &self.form;
        let justification = f.text(F::Justification);
        Ok(vec![Command::AdvanceCoach {
            id: self.coach,
            version: self.version,
            to: f.required(F::Stage, scope.lang)?,
            date: f.required_date(F::Date, scope.lang)?,
            justification: (!justification.trim().is_empty()).then_some(justification),
        }])
    }
}
