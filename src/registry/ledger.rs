//! Ledger entries: allocations, expenses and reversals, each updating the
//! account's running balance in the same transaction. Spend within income: no
//! entry may leave a balance below zero.

use super::command::{Command, Movement, RecordKind};
use super::error::EntryNote;
use super::{
    Applied, Applying, RegistryError, TxResult, long_text, optional, permit, refuse, required, year,
};
use crate::domain::dates::{self, Period};
use crate::domain::field::Field;
use crate::domain::text::{MEDIUM, SHORT};
use crate::domain::{Account, Balance, BaseSchool, Entry, EntryKind, Fund, Holder, Money};
use crate::store::{Tree, Tx, keys};

pub(super) fn apply(tx: &Tx<'_>, ctx: &Applying<'_>, command: &Command) -> TxResult<Applied> {
    use Command as C;
    match command {
        C::AddEntry {
            account,
            date,
            movement,
            amount,
            category,
            voucher,
            payee,
            note,
        } => {
            permit(ctx.actor, command, account.project(), Some(account.fund))?;
            if !account.is_well_formed() {
                return refuse(RegistryError::BadAccount);
            }
            year(account.year)?;
            if let Holder::School(s) = account.holder
                && tx
                    .get::<BaseSchool, _>(Tree::Schools, &keys::id(s))?
                    .is_none()
            {
                return refuse(RegistryError::NotFound {
                    kind: RecordKind::School,
                    id: s,
                });
            }
            if amount.fen() <= 0 {
                return refuse(RegistryError::NotPositive);
            }
            if !amount.within_ceiling() {
                return refuse(RegistryError::AmountTooLarge { amount: *amount });
            }
            in_year(account, *date)?;
            let kind = match movement {
                Movement::Allocation => EntryKind::Allocation,
                Movement::Expense => EntryKind::Expense,
            };
            let old = balance(tx, account)?;
            if kind == EntryKind::Allocation
                && account.fund == Fund::Reward
                && old.live_allocations > 0
            {
                let project = account.project().unwrap_or(crate::domain::ProjectId::Math);
                return refuse(RegistryError::RewardAlreadyAllocated {
                    project,
                    year: account.year,
                });
            }
            let new = settle(&old, kind, *amount, None)?;
            let entry = Entry {
                id: ctx.new_id,
                account: *account,
                date: *date,
                kind,
                amount: *amount,
                category: required(Field::Category, category, SHORT)?,
                voucher: optional(Field::Voucher, voucher, SHORT)?,
                payee: optional(Field::Payee, payee, MEDIUM)?,
                note: long_text(Field::Note, note)?,
                recorded_by: ctx.actor.login.clone(),
                stamp: ctx.stamp(),
            };
            write(tx, &entry, &new)?;
            Ok(Applied {
                kind: RecordKind::Entry,
                id: entry.id,
                project: account.project(),
                before: None,
            })
        }
        C::ReverseEntry { entry, date, note } => {
            let Some(original) = tx.journal_get::<Entry, _>(Tree::Entries, *entry)? else {
                return refuse(RegistryError::NotFound {
                    kind: RecordKind::Entry,
                    id: *entry,
                });
            };
            // A chief coach may correct the group's own spending, never take
            // back money the bureau allocated: the fund is named to the
            // permission check only when an expense is reversed.
            let fund = (original.kind == EntryKind::Expense).then_some(original.account.fund);
            permit(ctx.actor, command, original.account.project(), fund)?;
            if matches!(original.kind, EntryKind::Reversal { .. }) {
                return refuse(RegistryError::ReverseReversal);
            }
            if let Some(by) = tx.get_raw(Tree::Index, &keys::reversal_of(original.id))? {
                let by = keys::read_id(&by).unwrap_or_default();
                let reversal = tx.journal_get::<Entry, _>(Tree::Entries, by)?;
                return refuse(RegistryError::AlreadyReversed {
                    original: EntryNote {
                        date: original.date,
                        voucher: original.voucher.clone(),
                        amount: original.amount,
                    },
                    on: reversal.map_or(original.date, |r| r.date),
                });
            }
            in_year(&original.account, *date)?;
            let kind = EntryKind::Reversal { of: original.id };
            let old = balance(tx, &original.account)?;
            let new = settle(&old, kind, original.amount, Some(original.kind))?;
            let reversal = Entry {
                id: ctx.new_id,
                account: original.account,
                date: *date,
                kind,
                amount: original.amount,
                category: original.category.clone(),
                voucher: original.voucher.clone(),
                payee: original.payee.clone(),
                note: long_text(Field::ReversalReason, note)?,
                recorded_by: ctx.actor.login.clone(),
                stamp: ctx.stamp(),
            };
            write(tx, &reversal, &new)?;
            tx.put_raw(
                Tree::Index,
                &keys::reversal_of(original.id),
                &keys::id(reversal.id),
            )?;
            Ok(Applied {
                kind: RecordKind::Entry,
                id: reversal.id,
                project: original.account.project(),
                before: None,
            })
        }
        _ => refuse(RegistryError::Store(crate::store::StoreError::Sled(
            "misrouted command".into(),
        ))),
    }
}

/// An entry is dated in its account's year: the 2026 fund pays 2026's bills.
fn in_year(account: &Account, date: chrono::NaiveDate) -> TxResult<()> {
    match dates::within(
        Field::Date,
        date,
        dates::year_period(account.year),
        Period::AccountYear,
    ) {
        Ok(_) => Ok(()),
        Err(e) => refuse(e),
    }
}

fn balance(tx: &Tx<'_>, account: &Account) -> TxResult<Balance> {
    Ok(tx
        .get(Tree::Balances, &keys::account(account))?
        .unwrap_or_default())
}

/// The totals after the entry, refused when the balance would go below zero.
fn settle(
    old: &Balance,
    kind: EntryKind,
    amount: Money,
    reversed: Option<EntryKind>,
) -> TxResult<Balance> {
    let Some(new) = old.after(kind, amount, reversed) else {
        return refuse(RegistryError::TotalOverflow);
    };
    if new.balance().fen() < 0 {
        return refuse(RegistryError::Overdraft {
            balance: old.balance(),
            amount,
            would_leave: new.balance(),
        });
    }
    Ok(new)
}

fn write(tx: &Tx<'_>, entry: &Entry, balance: &Balance) -> TxResult<()> {
    tx.append(Tree::Entries, entry.id, entry)?;
    tx.post(&keys::entries_of_account(&entry.account), entry.id)?;
    tx.put(Tree::Balances, &keys::account(&entry.account), balance)
}
