//! An objection received during a trainee's announcement (公示异议).

use crate::domain::field::Field as Ident;
use chrono::NaiveDate;

use super::{Field, Form, FormFlow, Scope, sheet_of, step_on_newer};
use crate::domain::text::MEDIUM;
use crate::domain::{Trainee, TraineeStage};
use crate::registry::Command;
use crate::tui::strings::L;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum F {
    Objection,
    Date,
}

pub struct ObjectionForm {
    form: Form<F>,
    trainee: u64,
    version: u32,
    stage: TraineeStage,
    /// The trainee's version someone else saved meanwhile, for ctrl-r.
    theirs: Option<u32>,
}

/// An objection raised during `t`'s announcement.
pub fn objection_form(t: &Trainee, today: NaiveDate) -> Result<ObjectionForm, L> {
    if t.stage != TraineeStage::Announced {
        return Err(L::NotAnnounced);
    }
    // Whose announcement it is, in the form itself: the form covers the
    // screen that said it.
    let who = format!(
        "{} · {}",
        crate::safe_text::one_line(&t.name),
        crate::safe_text::one_line(&t.home_school)
    );
    let form = Form::new(L::RaiseObjection)
        .intro(who)
        .with(
            F::Objection,
            Field::text(("异议内容", "Objection"), MEDIUM, true).names(Ident::Objection),
        )
        .with(
            F::Date,
            Field::date(("日期", "Received on"), today).names(Ident::ObjectionDate),
        );
    Ok(ObjectionForm {
        form,
        trainee: t.id,
        version: t.stamp.version,
        stage: t.stage,
        theirs: None,
    })
}

impl FormFlow for ObjectionForm {
    sheet_of!();
    step_on_newer!();

    fn save(&self, scope: Scope) -> Result<Vec<Command>, String> {
        Ok(vec![Command::RaiseObjection {
            id: self.trainee,
            version: self.version,
            date: self.form.required_date(F::Date, scope.lang)?,
            text: self.form.text(F::Objection),
        }])
    }
}
