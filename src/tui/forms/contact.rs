//! A trainee's contact details: phone and home school.

use super::{Field, FieldKind, Form, FormFlow, Scope, sheet_of};
use crate::domain::Trainee;
use crate::domain::text::MEDIUM;
use crate::registry::Command;
use crate::tui::strings::L;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum F {
    Phone,
    School,
}

pub struct ContactForm {
    form: Form<F>,
    trainee: u64,
    version: u32,
}

pub fn contact_form(t: &Trainee) -> ContactForm {
    let form = Form::new(L::EditContact)
        .with(
            F::Phone,
            Field::new(("联系电话", "Phone"), FieldKind::Phone, &t.phone),
        )
        .with(
            F::School,
            Field::new(
                ("所在学校", "Home school"),
                FieldKind::text(MEDIUM, true),
                &t.home_school,
            ),
        );
    ContactForm {
        form,
        trainee: t.id,
        version: t.stamp.version,
    }
}

impl FormFlow for ContactForm {
    sheet_of!();

    fn save(&self, _scope: Scope) -> Result<Vec<Command>, String> {
        Ok(vec![Command::UpdateContact {
            id: self.trainee,
            version: self.version,
            phone: self.form.text(F::Phone),
            home_school: self.form.text(F::School),
        }])
    }
}
