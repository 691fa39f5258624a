//! The earmarked-fund ledger (专项资金使用台账): accounts per group and year (daily
//! training fund, reward fund) and per base school and year (base fund), and the
//! entries that move money in and out of them.

use std::borrow::Borrow;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::money::Money;
use super::project::ProjectId;
use super::record::Stamp;
use crate::i18n::Lang;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Fund {
    /// 日常培养经费: spent by the group as it sees fit.
    Daily,
    /// 项目奖励经费: paid once a year by the bureau after the evaluation.
    Reward,
    /// 基地经费: a base school's fund for venues and equipment.
    Base,
}

impl Fund {
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Fund::Daily => lang.pick("日常培养经费", "daily training fund"),
            Fund::Reward => lang.pick("项目奖励经费", "reward fund"),
            Fund::Base => lang.pick("基地经费", "base fund"),
        }
    }

    /// For narrow columns.
    pub fn short_label(self, lang: Lang) -> &'static str {
        match self {
            Fund::Daily => lang.pick("日常经费", "daily"),
            Fund::Reward => lang.pick("奖励经费", "reward"),
            Fund::Base => lang.pick("基地经费", "base"),
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Fund::Daily => "daily",
            Fund::Reward => "reward",
            Fund::Base => "base",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Holder {
    Project(ProjectId),
    School(u64),
}

/// One account: a fund of a group or a base school for one calendar year.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Account {
    pub holder: Holder,
    pub fund: Fund,
    pub year: i32,
}

impl Account {
    pub fn daily(project: ProjectId, year: i32) -> Account {
        Account {
            holder: Holder::Project(project),
            fund: Fund::Daily,
            year,
        }
    }

    pub fn reward(project: ProjectId, year: i32) -> Account {
        Account {
            holder: Holder::Project(project),
            fund: Fund::Reward,
            year,
        }
    }

    pub fn base(school: u64, year: i32) -> Account {
        Account {
            holder: Holder::School(school),
            fund: Fund::Base,
            year,
        }
    }

    /// Group funds belong to groups, the base fund to schools.
    pub fn is_well_formed(&self) -> bool {
        matches!(
            (self.holder, self.fund),
            (Holder::Project(_), Fund::Daily | Fund::Reward) | (Holder::School(_), Fund::Base)
        )
    }

    pub fn project(&self) -> Option<ProjectId> {
        match self.holder {
            Holder::Project(p) => Some(p),
            Holder::School(_) => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    /// Money allocated into the account (income).
    Allocation,
    Expense,
    /// Cancels an earlier entry, which stays on record.
    Reversal {
        of: u64,
    },
}

impl EntryKind {
    pub fn code(self) -> &'static str {
        match self {
            EntryKind::Allocation => "allocation",
            EntryKind::Expense => "expense",
            EntryKind::Reversal { .. } => "reversal",
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            EntryKind::Allocation => lang.pick("拨入", "allocation"),
            EntryKind::Expense => lang.pick("支出", "expense"),
            EntryKind::Reversal { .. } => lang.pick("冲销", "reversal"),
        }
    }
}

/// Every category the program names (the English names fit the ledger
/// tab's category column at 80 x 24): the spending categories offered by
/// default (the first eight), then those the year-end rollover writes. Entries
/// store the Chinese text, so the list can grow without touching stored data;
/// a category a user typed is none of these and is shown as typed.
pub const KNOWN_CATEGORIES: [(&str, &str); 11] = [
    ("拨款", "allocation"),
    ("课酬", "coaching"),
    ("差旅", "travel"),
    ("资料", "materials"),
    ("设备", "equipment"),
    ("场地", "venue"),
    ("竞赛报名", "entry fees"),
    ("其他", "other"),
    ("结转下年", "carry out"),
    ("结余退回", "returned"),
    ("上年结转", "carry in"),
];

/// The spending categories offered by default, Chinese and English.
pub const DEFAULT_CATEGORIES: &[(&str, &str)] = KNOWN_CATEGORIES.as_slice().split_at(8).0;

/// The rollover's categories (see `crate::rollover`).
pub const CARRIED_OUT: &str = KNOWN_CATEGORIES[8].0;
pub const RETURNED: &str = KNOWN_CATEGORIES[9].0;
pub const CARRIED_IN: &str = KNOWN_CATEGORIES[10].0;

/// What to store for a category typed in either language: a known one's
/// English name (any case) becomes its Chinese name, anything else is kept.
pub fn category_stored(typed: &str) -> String {
    let typed = typed.trim();
    KNOWN_CATEGORIES
        .iter()
        .find(|(_, en)| en.eq_ignore_ascii_case(typed))
        .map_or(typed, |(zh, _)| zh)
        .to_string()
}

/// A stored category in `lang`: a known one by its name in that language, one
/// a user typed as typed.
pub fn category_label(stored: &str, lang: Lang) -> &str {
    KNOWN_CATEGORIES
        .iter()
        .find(|(zh, _)| *zh == stored)
        .map_or(stored, |(zh, en)| lang.pick(zh, en))
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub id: u64,
    pub account: Account,
    #[serde(with = "crate::domain::day")]
    pub date: NaiveDate,
    pub kind: EntryKind,
    /// Always positive; the kind says which way it moves the balance. A reversal
    /// carries the amount of the entry it cancels.
    pub amount: Money,
    pub category: String,
    pub voucher: String,
    pub payee: String,
    pub note: String,
    pub recorded_by: String,
    pub stamp: Stamp,
}

/// The running totals of one account, kept in the same transaction as each
/// entry so a balance costs a lookup, not a scan.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Balance {
    /// Allocations less reversed allocations.
    pub allocated: Money,
    /// Expenses less reversed expenses.
    pub spent: Money,
    /// Allocations that still stand (not reversed); the reward fund allows one.
    pub live_allocations: u32,
    pub entries: u64,
}

impl Balance {
    /// What is left. Saturating, never wrapping: with the per-entry ceiling
    /// and checked totals it cannot overflow, and a damaged record must not
    /// show a plausible wrong number (`qiangji check` reports it).
    pub fn balance(&self) -> Money {
        Money(self.allocated.0.saturating_sub(self.spent.0))
    }

    /// What is left, or None when the difference does not fit.
    pub fn checked_balance(&self) -> Option<Money> {
        self.allocated.checked_sub(self.spent)
    }

    /// The totals after one more entry. `reversed` is the entry a reversal
    /// cancels. None on arithmetic overflow.
    pub fn after(
        &self,
        kind: EntryKind,
        amount: Money,
        reversed: Option<EntryKind>,
    ) -> Option<Balance> {
        let mut b = *self;
        b.entries += 1;
        match (kind, reversed) {
            (EntryKind::Allocation, _) => {
                b.allocated = b.allocated.checked_add(amount)?;
                b.live_allocations += 1;
            }
            (EntryKind::Expense, _) => b.spent = b.spent.checked_add(amount)?,
            (EntryKind::Reversal { .. }, Some(EntryKind::Allocation)) => {
                b.allocated = b.allocated.checked_sub(amount)?;
                b.live_allocations = b.live_allocations.saturating_sub(1);
            }
            (EntryKind::Reversal { .. }, Some(EntryKind::Expense)) => {
                b.spent = b.spent.checked_sub(amount)?
            }
            // A reversal of a reversal is refused before we get here.
            (EntryKind::Reversal { .. }, _) => return None,
        }
        Some(b)
    }
}

/// One line of budget against actual: what the annual plan set aside for a
/// category and what was spent on it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BudgetLine {
    pub category: String,
    pub planned: Money,
    pub spent: Money,
}

impl BudgetLine {
    pub fn remaining(&self) -> Money {
        Money(self.planned.0.saturating_sub(self.spent.0))
    }

    /// How much of the plan is used, in percent; none for spending that was
    /// not planned.
    pub fn percent_used(&self) -> Option<i64> {
        (self.planned.0 > 0).then(|| {
            let p = i128::from(self.spent.0) * 100 / i128::from(self.planned.0);
            i64::try_from(p).unwrap_or(i64::MAX)
        })
    }
}

/// The kind each reversal in `entries` cancels, looked up among `entries`
/// (a reversal stays in its original's account, so one account's entries
/// hold both).
fn expense_sign<E: Borrow<Entry>>(entries: &[E]) -> impl Fn(&Entry) -> Option<i64> + use<E> {
    let kinds: std::collections::HashMap<u64, EntryKind> = entries
        .iter()
        .map(|e| (e.borrow().id, e.borrow().kind))
        .collect();
    move |e: &Entry| match e.kind {
        EntryKind::Expense => Some(1),
        EntryKind::Reversal { of } if kinds.get(&of) == Some(&EntryKind::Expense) => Some(-1),
        _ => None,
    }
}

/// Planned against spent per category for one account's entries: the plan's
/// categories in its order, then categories spent on without a plan.
/// `entries` are the entries or references to them (the group screen's
/// daily fund is a part of its ledger, not copied out of it).
pub fn budget_against_actual<E: Borrow<Entry>>(
    budget: &[(String, Money)],
    entries: &[E],
) -> Vec<BudgetLine> {
    let sign = expense_sign(entries);
    let mut lines: Vec<BudgetLine> = budget
        .iter()
        .map(|(category, planned)| BudgetLine {
            category: category.clone(),
            planned: *planned,
            spent: Money(0),
        })
        .collect();
    for e in entries {
        let e = e.borrow();
        let Some(sign) = sign(e) else { continue };
        let at = match lines.iter().position(|l| l.category == e.category) {
            Some(i) => i,
            None => {
                lines.push(BudgetLine {
                    category: e.category.clone(),
                    planned: Money(0),
                    spent: Money(0),
                });
                lines.len() - 1
            }
        };
        // Saturating: a view of a damaged ledger shows a clamped number, never
        // a wrapped one; `qiangji check` names the damage.
        lines[at].spent.0 = lines[at].spent.0.saturating_add(sign * e.amount.0);
    }
    lines
}

/// Net spending per calendar month (January first) of one account's entries;
/// a reversal counts in the month it was recorded.
pub fn monthly_spending<E: Borrow<Entry>>(entries: &[E]) -> [Money; 12] {
    use chrono::Datelike;
    let sign = expense_sign(entries);
    let mut months = [Money(0); 12];
    for e in entries {
        let e = e.borrow();
        if let Some(sign) = sign(e) {
            let m = &mut months[e.date.month0() as usize].0;
            *m = m.saturating_add(sign * e.amount.0);
        }
    }
    months
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: u64, month: u32, kind: EntryKind, yuan: i64, category: &str) -> Entry {
        let at = chrono::DateTime::UNIX_EPOCH;
        Entry {
            id,
            account: Account::daily(ProjectId::Math, 2026),
            date: NaiveDate::from_ymd_opt(2026, month, 10).unwrap(),
            kind,
            amount: Money::from_yuan(yuan),
            category: category.into(),
            voucher: String::new(),
            payee: String::new(),
            note: String::new(),
            recorded_by: "t".into(),
            stamp: Stamp {
                version: 1,
                created_at: at,
                updated_at: at,
                updated_by: "t".into(),
            },
        }
    }

    #[test]
    fn budget_against_actual_nets_reversed_expenses_and_keeps_unplanned_spending() {
        let entries = [
            entry(1, 1, EntryKind::Allocation, 10_000, "拨款"),
            entry(2, 3, EntryKind::Expense, 1_200, "课酬"),
            entry(3, 3, EntryKind::Expense, 300, "差旅"),
            entry(4, 5, EntryKind::Reversal { of: 3 }, 300, "差旅"),
            entry(5, 5, EntryKind::Expense, 800, "设备"),
            entry(6, 6, EntryKind::Reversal { of: 1 }, 10_000, "拨款"),
        ];
        let budget = vec![
            ("课酬".to_string(), Money::from_yuan(2_000)),
            ("差旅".to_string(), Money::from_yuan(500)),
        ];
        let lines = budget_against_actual(&budget, &entries);
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[0].spent, Money::from_yuan(1_200));
        assert_eq!(lines[0].remaining(), Money::from_yuan(800));
        assert_eq!(lines[0].percent_used(), Some(60));
        assert_eq!(lines[1].spent, Money(0), "the reversed trip is not spent");
        assert_eq!(lines[2].category, "设备");
        assert_eq!(lines[2].percent_used(), None);
        assert_eq!(lines[2].remaining(), Money::from_yuan(-800));

        let months = monthly_spending(&entries);
        assert_eq!(months[2], Money::from_yuan(1_500));
        assert_eq!(
            months[4],
            Money::from_yuan(500),
            "800 spent less 300 reversed"
        );
        assert_eq!(months[0], Money(0), "allocations are not spending");
        assert_eq!(months[5], Money(0));
    }
}
