//! Dates that must make sense: a ledger entry lies in its account's year, an
//! objection inside its announcement, a career start between 1950 and today.
//! The records hold `NaiveDate`s that any front end can fill with
//! `0000-01-01` or `9999-12-31`; these rules are what the registry checks.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::field::Field;
use super::text::label;
use crate::i18n::{Lang, Localized};

/// No one in the programme began teaching before this.
pub const EARLIEST_CAREER_START: NaiveDate = match NaiveDate::from_ymd_opt(1950, 1, 1) {
    Some(d) => d,
    None => NaiveDate::MIN,
};

/// A date outside the period it must lie in. `field` names the date in both
/// languages ("日期 date").
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{}: {date} must lie between {from} and {to}{}", label(.field, Lang::En), .why.map(|w| w.en()).unwrap_or_default())]
pub struct DateOutside {
    pub field: String,
    pub date: NaiveDate,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub why: Option<Period>,
}

impl DateOutside {
    /// The field refused, if it was named from the one table.
    pub fn ident(&self) -> Option<Field> {
        Field::of_ident(&self.field)
    }
}

/// Which period a date was checked against, for the message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Period {
    AccountYear,
    Announcement,
    Career,
    /// A step of a history: not before the step before it, not after today.
    Step,
    /// A record of something that happened: not after today.
    Past,
    /// An objection's resolution: not before it was raised, not after today.
    Resolution,
}

impl Period {
    fn zh(self) -> &'static str {
        match self {
            Period::AccountYear => "（账户所属年度）",
            Period::Announcement => "（公示期内）",
            Period::Career => "（1950 年以后且不晚于今天）",
            Period::Step => "（不早于上一步的日期，不晚于今天）",
            Period::Past => "（不晚于今天）",
            Period::Resolution => "（不早于异议提出之日，不晚于今天）",
        }
    }

    fn en(self) -> &'static str {
        match self {
            Period::AccountYear => " (the account's year)",
            Period::Announcement => " (the announcement period)",
            Period::Career => " (from 1950, not after today)",
            Period::Step => " (not before the previous step, not after today)",
            Period::Past => " (not after today)",
            Period::Resolution => " (not before the objection was raised, not after today)",
        }
    }
}

impl Localized for DateOutside {
    fn localized(&self, lang: Lang) -> String {
        match lang {
            Lang::Zh => format!(
                "{}：{} 须在 {} 至 {} 之间{}",
                label(&self.field, lang),
                self.date,
                self.from,
                self.to,
                self.why.map(Period::zh).unwrap_or_default()
            ),
            Lang::En => self.to_string(),
        }
    }
}

/// Checks that `date` lies in `from..=to`.
pub fn within(
    field: Field,
    date: NaiveDate,
    (from, to): (NaiveDate, NaiveDate),
    why: Period,
) -> Result<NaiveDate, DateOutside> {
    if (from..=to).contains(&date) {
        Ok(date)
    } else {
        Err(DateOutside {
            field: field.ident(),
            date,
            from,
            to,
            why: Some(why),
        })
    }
}

/// The first and last day of a calendar year (a year chrono cannot hold gives
/// an empty period, so every date is outside it).
pub fn year_period(year: i32) -> (NaiveDate, NaiveDate) {
    match (
        NaiveDate::from_ymd_opt(year, 1, 1),
        NaiveDate::from_ymd_opt(year, 12, 31),
    ) {
        (Some(a), Some(b)) => (a, b),
        _ => (NaiveDate::MAX, NaiveDate::MIN),
    }
}

/// When a career (teaching, coaching, work) may have started, seen on `today`.
pub fn career_period(today: NaiveDate) -> (NaiveDate, NaiveDate) {
    (EARLIEST_CAREER_START, today)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn dates_inside_and_outside() {
        let y = year_period(2026);
        assert!(within(Field::Date, d("2026-01-01"), y, Period::AccountYear).is_ok());
        assert!(within(Field::Date, d("2026-12-31"), y, Period::AccountYear).is_ok());
        let e = within(Field::Date, d("9999-12-31"), y, Period::AccountYear).unwrap_err();
        assert_eq!(
            e.localized(Lang::Zh),
            "日期：9999-12-31 须在 2026-01-01 至 2026-12-31 之间（账户所属年度）"
        );
        assert_eq!(
            e.localized(Lang::En),
            "date: 9999-12-31 must lie between 2026-01-01 and 2026-12-31 (the account's year)"
        );
        let career = career_period(d("2026-11-30"));
        assert!(
            within(
                Field::TeachingSince,
                d("1949-12-31"),
                career,
                Period::Career
            )
            .is_err()
        );
        assert!(
            within(
                Field::TeachingSince,
                d("2026-12-01"),
                career,
                Period::Career
            )
            .is_err()
        );
        assert!(
            within(
                Field::TeachingSince,
                d("1990-09-01"),
                career,
                Period::Career
            )
            .is_ok()
        );
    }
}
