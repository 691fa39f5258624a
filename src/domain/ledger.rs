//! The earmarked-fund ledger (专项资金使用台账): accounts per group and year (daily
//! training fund, reward fund) and per base school and year (base fund), and the
//! entries that move money in and out of them.

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

/// The spending categories offered by default; entries store the text, so the
/// list can grow without touching stored data.
pub const DEFAULT_CATEGORIES: [(&str, &str); 8] = [
    ("拨款", "allocation"),
    ("课酬", "coaching fees"),
    ("差旅", "travel"),
    ("资料", "materials"),
    ("设备", "equipment"),
    ("场地", "venue"),
    ("竞赛报名", "competition fees"),
    ("其他", "other"),
];

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub id: u64,
    pub account: Account,
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
    pub fn balance(&self) -> Money {
        Money(self.allocated.0 - self.spent.0)
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
