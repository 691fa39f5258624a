//! An allocation (拨入) or an expense (支出) recorded into one of the accounts
//! the screen offers.

use crate::domain::field::Field as Ident;
use chrono::NaiveDate;

use super::{Choice, Field, FieldKind, Form, FormFlow, Scope, sheet_of};
use crate::domain::text::{LONG, MEDIUM, SHORT};
use crate::domain::{Account, Money};
use crate::registry::{Command, Movement};
use crate::tui::strings::L;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum F {
    Account,
    Date,
    Amount,
    Category,
    Voucher,
    Payee,
    Note,
}

pub struct EntryForm {
    form: Form<F>,
    movement: Movement,
}

/// An account as a form offers it: the account and its name in each language.
pub struct Offered {
    pub account: Account,
    pub zh: String,
    pub en: String,
}

/// The spending categories every expense form offers: the ledger's defaults
/// without the first, which is the allocation's.
pub fn default_categories() -> Vec<(String, String)> {
    crate::domain::ledger::DEFAULT_CATEGORIES
        .iter()
        .skip(1)
        .map(|(zh, en)| (zh.to_string(), en.to_string()))
        .collect()
}

/// The form recording `movement` into one of `accounts` (`at` first);
/// expenses choose among `categories` (Chinese, English).
pub fn entry_form(
    movement: Movement,
    accounts: Vec<Offered>,
    at: usize,
    categories: Vec<(String, String)>,
    today: NaiveDate,
) -> EntryForm {
    let accounts = accounts
        .into_iter()
        .map(|o| Choice::new(o.zh, o.en, o.account))
        .collect();
    let mut form = Form::new(match movement {
        Movement::Allocation => L::AddAllocation,
        Movement::Expense => L::AddExpense,
    })
    .with(F::Account, Field::choice(("账户", "Account"), accounts, at))
    .with(F::Date, Field::date(("日期", "Date"), today))
    .with(
        F::Amount,
        Field::blank(("金额（元）", "Amount ¥"), FieldKind::Money).names(Ident::Amount),
    );
    let payee = match movement {
        Movement::Allocation => ("收付款方", "Allocated by"),
        Movement::Expense => {
            let options = categories
                .into_iter()
                .map(|(zh, en)| Choice::new(zh.clone(), en, zh))
                .collect();
            form = form.with(F::Category, Field::choice(("类别", "Category"), options, 0));
            ("收付款方", "Payee")
        }
    };
    let form = form
        .with(
            F::Voucher,
            Field::text(("凭证号", "Voucher no."), SHORT, false).names(Ident::Voucher),
        )
        .with(
            F::Payee,
            Field::new(payee, FieldKind::text(MEDIUM, false), "").names(Ident::Payee),
        )
        .with(F::Note, Field::text(("备注", "Note"), LONG, false));
    EntryForm { form, movement }
}

impl FormFlow for EntryForm {
    sheet_of!();

    fn save(&self, scope: Scope) -> Result<Vec<Command>, String> {
        let f = &self.form;
        let category = match self.movement {
            Movement::Expense => f.required::<String>(F::Category, scope.lang)?,
            // Allocations carry the ledger's first category, the allocation.
            Movement::Allocation => crate::domain::ledger::DEFAULT_CATEGORIES[0].0.to_string(),
        };
        let amount = Money::parse(&f.text(F::Amount))
            .map_err(|e| crate::i18n::Localized::localized(&e, scope.lang))?;
        Ok(vec![Command::AddEntry {
            account: f.required(F::Account, scope.lang)?,
            date: f.required_date(F::Date, scope.lang)?,
            movement: self.movement,
            amount,
            category,
            voucher: f.text(F::Voucher),
            payee: f.text(F::Payee),
            note: f.text(F::Note),
        }])
    }
}
