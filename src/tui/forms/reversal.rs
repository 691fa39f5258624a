//! The reversal (冲销) of a ledger entry: a new entry with a required reason;
//! the original is never changed.

use crate::domain::field::Field as Ident;
use chrono::NaiveDate;

use super::{Field, FieldKind, Form, FormFlow, Scope, sheet_of};
use crate::domain::Entry;
use crate::domain::text::LONG;
use crate::i18n::Lang;
use crate::registry::Command;
use crate::tui::strings::L;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum F {
    Date,
    Reason,
}

pub struct ReversalForm {
    form: Form<F>,
    entry: u64,
}

pub fn reversal_form(e: &Entry, today: NaiveDate, lang: Lang) -> ReversalForm {
    let intro = format!(
        "{} {} {} {} {} {} {}",
        L::ReverseIntro.get(lang),
        e.date,
        e.kind.label(lang),
        e.amount.display(),
        crate::domain::ledger::category_label(&e.category, lang),
        e.payee,
        e.voucher
    );
    let form = Form::new(L::ReverseEntry)
        .with(F::Date, Field::date(("日期", "Date"), today))
        .with(
            F::Reason,
            Field::of(Ident::ReversalReason, FieldKind::text(LONG, true), ""),
        )
        .intro(intro);
    ReversalForm { form, entry: e.id }
}

impl FormFlow for ReversalForm {
    sheet_of!();

    fn save(&self, scope: Scope) -> Result<Vec<Command>, String> {
        Ok(vec![Command::ReverseEntry {
            entry: self.entry,
            date: self.form.required_date(F::Date, scope.lang)?,
            note: self.form.text(F::Reason),
        }])
    }
}
