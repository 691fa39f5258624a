//! Each tab's columns, one list per tab: a column's header, width, cell and
//! sort key live together, so a new column is a change in one place.

use chrono::{Datelike, NaiveDate, Timelike};
use ratatui::layout::Constraint;

use super::Tab;
use crate::domain::ledger::category_label;
use crate::domain::{Document, EntryKind, Filing, TraineeKind, TrainingMode};
use crate::i18n::Lang;
use crate::tui::model::calendar::day_text;
use crate::tui::model::{Reversal, SortValue, Workspace, sort_text};
use crate::tui::strings::L;

pub struct Column {
    pub label: L,
    pub width: Constraint,
    /// Dates, amounts, vouchers and terms are never cut: such a column is
    /// as wide as its widest cell on screen (at least `width`). Other text
    /// is cut with a visible mark when the screen is narrow.
    pub whole: bool,
    /// Money, right-aligned so the digits line up.
    pub right: bool,
    shows: Shows,
}

/// What a column holds, for row `r` (an index into the tab's records).
enum Shows {
    /// A record's own text, shown as it is and sorted by its collation key.
    Text(fn(&Workspace, usize) -> &str),
    /// Anything worded or formatted: the cell and its own sort key.
    Made {
        cell: fn(&Workspace, usize, Lang) -> String,
        sort: fn(&Workspace, usize, Lang) -> SortValue,
    },
}

impl Column {
    pub fn cell(&self, d: &Workspace, r: usize, lang: Lang) -> String {
        match self.shows {
            Shows::Text(text) => text(d, r).to_string(),
            Shows::Made { cell, .. } => cell(d, r, lang),
        }
    }

    pub fn sort(&self, d: &Workspace, r: usize, lang: Lang) -> SortValue {
        match self.shows {
            Shows::Text(text) => sort_text(text(d, r)),
            Shows::Made { sort, .. } => sort(d, r, lang),
        }
    }
}

const fn col(
    label: L,
    width: Constraint,
    cell: fn(&Workspace, usize, Lang) -> String,
    sort: fn(&Workspace, usize, Lang) -> SortValue,
) -> Column {
    column(label, width, Shows::Made { cell, sort })
}

const fn text(label: L, width: Constraint, text: fn(&Workspace, usize) -> &str) -> Column {
    column(label, width, Shows::Text(text))
}

/// A column that may give way to the others, left-aligned.
const fn column(label: L, width: Constraint, shows: Shows) -> Column {
    let (whole, right) = (false, false);
    Column {
        label,
        width,
        whole,
        right,
        shows,
    }
}

impl Column {
    /// Never cut (see [`Column::whole`]).
    const fn whole(mut self) -> Column {
        self.whole = true;
        self
    }

    /// Never cut, and right-aligned: an amount.
    const fn money(mut self) -> Column {
        self.whole = true;
        self.right = true;
        self
    }
}

use Constraint::{Length, Min};
use SortValue::Num;

fn day(d: NaiveDate) -> SortValue {
    Num(i64::from(d.num_days_from_ce()))
}

pub fn filing(f: Filing, lang: Lang) -> String {
    match f {
        Filing::NotSubmitted => L::NotSubmitted.get(lang).into(),
        Filing::Submitted(d) => format!("{} {d}", L::Submitted.get(lang)),
        Filing::Filed { filed, .. } => format!("{} {filed}", L::Filed.get(lang)),
    }
}

const TRAINEES: &[Column] = &[
    text(L::Name, Length(8), |d, r| &d.trainees[r].name),
    col(
        L::Kind,
        Length(7),
        |d, r, lang| match d.trainees[r].kind {
            TraineeKind::Student => L::Student.get(lang).into(),
            TraineeKind::Teacher => L::Teacher.get(lang).into(),
        },
        |d, r, _| Num(d.trainees[r].kind as i64),
    ),
    col(
        L::Stage,
        Length(12),
        |d, r, lang| d.trainees[r].stage.label(lang).into(),
        |d, r, _| Num(d.trainees[r].stage as i64),
    ),
    text(L::HomeSchool, Min(12), |d, r| &d.trainees[r].home_school),
    text(L::District, Length(8), |d, r| &d.trainees[r].district),
    text(L::Grade, Length(10), |d, r| &d.trainees[r].grade),
    col(
        L::Mode,
        Length(11),
        |d, r, lang| match d.trainees[r].training_mode {
            Some(TrainingMode::BaseSchool { .. }) => L::BaseMode.get(lang).into(),
            Some(TrainingMode::Commuting) => L::CommuteMode.get(lang).into(),
            None => String::new(),
        },
        |d, r, lang| {
            let mode = d.trainees[r].training_mode;
            sort_text(mode.map(|m| m.label(lang)).unwrap_or_default())
        },
    ),
];

const COACHES: &[Column] = &[
    text(L::Name, Length(8), |d, r| &d.coaches[r].person.name),
    col(
        L::Role,
        Length(12),
        |d, r, lang| d.coaches[r].coach.role.label(lang).into(),
        |d, r, _| Num(d.coaches[r].coach.role as i64),
    ),
    col(
        L::Stage,
        Length(10),
        |d, r, lang| d.coaches[r].coach.stage.label(lang).into(),
        |d, r, _| Num(d.coaches[r].coach.stage as i64),
    ),
    col(
        L::Term,
        Length(24),
        |d, r, lang| {
            let c = &d.coaches[r].coach;
            format!("{} {} {}", c.term_start, L::Until.get(lang), c.term_end)
        },
        |d, r, _| day(d.coaches[r].coach.term_end),
    )
    .whole(),
    text(L::Workplace, Min(10), |d, r| &d.coaches[r].person.school),
    col(
        L::Qualified,
        Length(10),
        |d, r, lang| match d.coaches[r].shortfalls {
            0 => L::Meets.get(lang).to_string(),
            n => format!("! {n} {}", L::Unmet.get(lang)),
        },
        |d, r, _| Num(d.coaches[r].shortfalls as i64),
    ),
];

const SCHOOLS: &[Column] = &[
    text(L::School, Min(16), |d, r| &d.schools[r].application.name),
    text(L::District, Length(8), |d, r| {
        &d.schools[r].application.district
    }),
    col(
        L::Projects,
        Length(16),
        |d, r, lang| {
            let projects = &d.schools[r].application.projects;
            let names: Vec<&str> = projects.iter().map(|p| p.name(lang)).collect();
            names.join(", ")
        },
        |d, r, _| {
            let first = d.schools[r].application.projects.first();
            Num(first.map_or(0, |p| i64::from(p.index())))
        },
    ),
    col(
        L::Stage,
        Length(10),
        |d, r, lang| d.schools[r].stage.label(lang).into(),
        |d, r, _| Num(d.schools[r].stage as i64),
    ),
    text(L::Principal, Length(8), |d, r| {
        &d.schools[r].application.principal
    }),
];

const LEDGER: &[Column] = &[
    col(
        L::Date,
        Length(10),
        |d, r, _| d.entries[r].date.to_string(),
        // Same-day entries in the order they were recorded.
        |d, r, _| {
            let e = &d.entries[r];
            Num(i64::from(e.date.num_days_from_ce()) * 1_000_000 + (e.id % 1_000_000) as i64)
        },
    )
    .whole(),
    col(L::Account, Length(8), account, |d, r, lang| {
        sort_text(&account(d, r, lang))
    }),
    col(L::EntryType, Length(6), entry_type, |d, r, lang| {
        sort_text(&entry_type(d, r, lang))
    })
    .whole(),
    col(
        L::Amount,
        Length(12),
        |d, r, _| {
            let e = &d.entries[r];
            // A reversal moves the balance back: it adds what an expense took.
            let sign = match e.kind {
                EntryKind::Expense => "-",
                EntryKind::Allocation => "+",
                EntryKind::Reversal { .. } => match d.entry_links[r] {
                    Reversal::Of(o) if d.entries[o].kind == EntryKind::Expense => "+",
                    Reversal::Of(_) => "-",
                    _ => "",
                },
            };
            format!("{sign}{}", e.amount.grouped())
        },
        |d, r, _| Num(d.entries[r].amount.fen()),
    )
    .money(),
    col(
        L::Category,
        Length(10),
        |d, r, lang| category_label(&d.entries[r].category, lang).into(),
        |d, r, lang| sort_text(category_label(&d.entries[r].category, lang)),
    ),
    text(L::Voucher, Length(10), |d, r| &d.entries[r].voucher).whole(),
    text(L::Payee, Min(6), |d, r| &d.entries[r].payee),
];

/// Which of the group's accounts an entry is in: the fund, or the base
/// school's name for its base fund.
fn account(d: &Workspace, r: usize, lang: Lang) -> String {
    let account = d.entries[r].account;
    let row = d.accounts.iter().find(|a| a.account == account);
    match row.and_then(|a| a.school.clone()) {
        Some(school) => school,
        None => account.fund.short_label(lang).to_string(),
    }
}

/// The entry's kind; an entry since reversed says so.
fn entry_type(d: &Workspace, r: usize, lang: Lang) -> String {
    match d.entry_links[r] {
        Reversal::ReversedBy(_) => L::Reversed.get(lang).into(),
        _ => d.entries[r].kind.label(lang).into(),
    }
}

const PLANS: &[Column] = &[
    col(
        L::Year,
        Length(6),
        |d, r, _| d.cycles[r].year.to_string(),
        |d, r, _| Num(i64::from(d.cycles[r].year)),
    )
    .whole(),
    col(L::Plan, Length(18), plan, |d, r, l| {
        filed(d, r, l, Document::Plan)
    })
    .whole(),
    col(L::Report, Length(18), report, |d, r, l| {
        filed(d, r, l, Document::Report)
    })
    .whole(),
    text(L::Goals, Min(10), |d, r| &d.cycles[r].goals),
];

const CALENDAR: &[Column] = &[
    col(
        L::Date,
        Length(9),
        |d, r, lang| day_text(d.sessions[r].session.date, lang),
        |d, r, _| {
            let s = &d.sessions[r].session;
            Num(s.date.num_days_from_ce() as i64 * 1440
                + i64::from(s.start.num_seconds_from_midnight() / 60))
        },
    )
    .whole(),
    col(
        L::Time,
        Length(11),
        |d, r, _| {
            let s = &d.sessions[r].session;
            format!("{}-{}", s.start.format("%H:%M"), s.end.format("%H:%M"))
        },
        |d, r, _| {
            Num(i64::from(
                d.sessions[r].session.start.num_seconds_from_midnight(),
            ))
        },
    )
    .whole(),
    col(
        L::EntryType,
        Length(6),
        |d, r, lang| d.sessions[r].session.kind.label(lang).into(),
        |d, r, lang| sort_text(d.sessions[r].session.kind.label(lang)),
    ),
    text(L::Topic, Min(8), |d, r| &d.sessions[r].session.topic),
    col(
        L::Place,
        Min(6),
        |d, r, lang| d.sessions[r].place(lang),
        |d, r, lang| sort_text(&d.sessions[r].place(lang)),
    ),
    col(
        L::Coaches,
        Length(8),
        |d, r, lang| d.sessions[r].coaches_text(lang),
        |d, r, lang| sort_text(&d.sessions[r].coaches_text(lang)),
    ),
    col(
        L::SessionStatus,
        Length(6),
        |d, r, lang| d.sessions[r].status(d.today, lang).into(),
        |d, r, lang| sort_text(d.sessions[r].status(d.today, lang)),
    )
    .whole(),
    col(
        L::Marked,
        Length(5),
        |d, r, _| d.sessions[r].attendance(),
        |d, r, _| Num(d.sessions[r].marked as i64),
    )
    .whole(),
];

/// Whether `tab` opens sorted backwards on its first column: the plans
/// newest year first (the header's arrow says so: `v`).
pub fn opens_reversed(tab: Tab) -> bool {
    tab == Tab::Plans
}

fn plan(d: &Workspace, r: usize, lang: Lang) -> String {
    filing(d.cycles[r].plan, lang)
}

fn report(d: &Workspace, r: usize, lang: Lang) -> String {
    filing(d.cycles[r].report, lang)
}

/// Plans and reports sort by how far they got.
fn filed(d: &Workspace, r: usize, lang: Lang, doc: Document) -> SortValue {
    sort_text(d.cycles[r].filing(doc).label(lang))
}

pub fn columns(tab: Tab) -> &'static [Column] {
    match tab {
        Tab::Trainees => TRAINEES,
        Tab::Coaches => COACHES,
        Tab::Schools => SCHOOLS,
        Tab::Ledger => LEDGER,
        Tab::Plans => PLANS,
        Tab::Calendar => CALENDAR,
    }
}
