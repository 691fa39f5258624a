//! The next stage of a coach's appointment (announce, file, activate, end),
//! offering what the domain's table allows. Filing someone who does not meet
//! annex 1-1 takes a written justification; the form lists each unmet
//! condition with its reason.

use chrono::NaiveDate;

use super::{Choice, Field, Form, FormFlow, Scope, sheet_of};
use crate::domain::CoachStage;
use crate::domain::coach::qualification_shortfalls;
use crate::domain::text::LONG;
use crate::i18n::{Lang, Localized};
use crate::registry::Command;
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
            Field::text(("未达条件说明", "Justification"), LONG, false)
                .names("书面说明 justification"),
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
    })
}

impl FormFlow for CoachStageForm {
    sheet_of!();

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
