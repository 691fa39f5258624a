//! Semesters, school years, working days and the annual deadlines of annex 1-2.

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use crate::i18n::Lang;

/// 第一学期 (autumn, September to January) or 第二学期 (spring, February to July).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Term {
    First,
    Second,
}

/// One semester of a school year that starts in September of `start_year`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Semester {
    pub start_year: u16,
    pub term: Term,
}

impl Semester {
    pub fn new(start_year: u16, term: Term) -> Semester {
        Semester { start_year, term }
    }

    /// The semester a date falls in. August, between the two, counts as the
    /// spring semester just ended: its results are still being recorded.
    pub fn containing(date: NaiveDate) -> Semester {
        let y = date.year().clamp(1, i32::from(u16::MAX)) as u16;
        match date.month() {
            9..=12 => Semester::new(y, Term::First),
            1 => Semester::new(y.saturating_sub(1), Term::First),
            _ => Semester::new(y.saturating_sub(1), Term::Second),
        }
    }

    pub fn previous(self) -> Semester {
        match self.term {
            Term::First => Semester::new(self.start_year.saturating_sub(1), Term::Second),
            Term::Second => Semester::new(self.start_year, Term::First),
        }
    }

    pub fn next(self) -> Semester {
        match self.term {
            Term::First => Semester::new(self.start_year, Term::Second),
            Term::Second => Semester::new(self.start_year.saturating_add(1), Term::First),
        }
    }

    /// A dense, ordered number for store keys.
    pub fn code(self) -> u16 {
        self.start_year.saturating_mul(2) + u16::from(self.term == Term::Second)
    }

    pub fn from_code(code: u16) -> Semester {
        let term = if code % 2 == 0 {
            Term::First
        } else {
            Term::Second
        };
        Semester::new(code / 2, term)
    }

    pub fn first_day(self) -> NaiveDate {
        let (y, m) = match self.term {
            Term::First => (i32::from(self.start_year), 9),
            Term::Second => (i32::from(self.start_year) + 1, 2),
        };
        NaiveDate::from_ymd_opt(y, m, 1).unwrap_or(NaiveDate::MIN)
    }

    pub fn last_day(self) -> NaiveDate {
        let (y, m, d) = match self.term {
            Term::First => (i32::from(self.start_year) + 1, 1, 31),
            Term::Second => (i32::from(self.start_year) + 1, 7, 31),
        };
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MAX)
    }

    /// `2026-2027学年第一学期` or `2026-2027 first semester`.
    pub fn label(self, lang: Lang) -> String {
        let (a, b) = (self.start_year, u32::from(self.start_year) + 1);
        match (lang, self.term) {
            (Lang::Zh, Term::First) => format!("{a}-{b}学年第一学期"),
            (Lang::Zh, Term::Second) => format!("{a}-{b}学年第二学期"),
            (Lang::En, Term::First) => format!("{a}-{b} first semester"),
            (Lang::En, Term::Second) => format!("{a}-{b} second semester"),
        }
    }

    /// Reads either language's form, and the short `2026-2027-1` / `2026-2027-2`.
    pub fn parse(input: &str) -> Option<Semester> {
        let s = input.trim();
        let (years, rest) = s.split_at(
            s.find(|c: char| !(c.is_ascii_digit() || c == '-'))
                .unwrap_or(s.len()),
        );
        let mut parts = years.split('-').filter(|p| !p.is_empty());
        let a: u16 = parts.next()?.parse().ok()?;
        let b: u32 = parts.next()?.parse().ok()?;
        if b != u32::from(a) + 1 {
            return None;
        }
        let short = parts.next();
        if parts.next().is_some() {
            return None;
        }
        let rest = rest.trim().to_ascii_lowercase();
        let term = match (short, rest.as_str()) {
            (Some("1"), "") => Term::First,
            (Some("2"), "") => Term::Second,
            (None, "学年第一学期" | "first semester" | "semester 1" | "autumn semester") => {
                Term::First
            }
            (None, "学年第二学期" | "second semester" | "semester 2" | "spring semester") => {
                Term::Second
            }
            _ => return None,
        };
        Some(Semester::new(a, term))
    }
}

/// The end of a public announcement (公示) that starts on `start` and lasts
/// `working_days` days, Monday to Friday. A start on a weekend counts from the
/// Monday after.
pub fn announcement_end(start: NaiveDate, working_days: u8) -> NaiveDate {
    let mut day = start;
    let mut counted = 0;
    loop {
        if is_working_day(day) {
            counted += 1;
            if counted >= working_days.max(1) {
                return day;
            }
        }
        day += Duration::days(1);
    }
}

pub fn is_working_day(d: NaiveDate) -> bool {
    !matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

/// Whole years from `from` to `to` (birthday arithmetic): 2020-09-01 to
/// 2026-08-31 is 5, to 2026-09-01 is 6.
pub fn full_years(from: NaiveDate, to: NaiveDate) -> i32 {
    if to < from {
        return 0;
    }
    let mut years = to.year() - from.year();
    if (to.month(), to.day()) < (from.month(), from.day()) {
        years -= 1;
    }
    years
}

/// Annex 1-2: the implementation plan is due by 31 January of the year it covers.
pub fn plan_due(year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, 1, 31).unwrap_or(NaiveDate::MIN)
}

/// Annex 1-2: the completion report is due by 30 November.
pub fn report_due(year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, 11, 30).unwrap_or(NaiveDate::MIN)
}

/// The same day `years` later (29 February becomes 28 February).
pub fn add_years(date: NaiveDate, years: i32) -> NaiveDate {
    let y = date.year() + years;
    NaiveDate::from_ymd_opt(y, date.month(), date.day())
        .or_else(|| NaiveDate::from_ymd_opt(y, date.month(), 28))
        .unwrap_or(date)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn semester_labels_round_trip() {
        let s = Semester::new(2026, Term::First);
        assert_eq!(s.label(Lang::Zh), "2026-2027学年第一学期");
        assert_eq!(s.label(Lang::En), "2026-2027 first semester");
        for lang in [Lang::Zh, Lang::En] {
            for sem in [s, s.next(), s.previous()] {
                assert_eq!(Semester::parse(&sem.label(lang)), Some(sem));
            }
        }
        assert_eq!(
            Semester::parse("2025-2026-2"),
            Some(Semester::new(2025, Term::Second))
        );
        assert_eq!(Semester::parse("2025-2027学年第一学期"), None);
        assert_eq!(Semester::parse("2025-2026学年第三学期"), None);
        assert_eq!(Semester::parse("nonsense"), None);
        assert_eq!(Semester::from_code(s.code()), s);
        assert!(s.previous().code() < s.code());
    }

    #[test]
    fn dates_fall_in_semesters() {
        assert_eq!(
            Semester::containing(d("2026-11-29")),
            Semester::new(2026, Term::First)
        );
        assert_eq!(
            Semester::containing(d("2027-01-15")),
            Semester::new(2026, Term::First)
        );
        assert_eq!(
            Semester::containing(d("2027-03-01")),
            Semester::new(2026, Term::Second)
        );
        assert_eq!(
            Semester::containing(d("2027-08-10")),
            Semester::new(2026, Term::Second)
        );
        let s = Semester::new(2026, Term::Second);
        assert_eq!(s.first_day(), d("2027-02-01"));
        assert_eq!(s.last_day(), d("2027-07-31"));
    }

    #[test]
    fn announcements_count_working_days() {
        // Monday 2026-11-30 + 5 working days ends on Friday 2026-12-04.
        assert_eq!(announcement_end(d("2026-11-30"), 5), d("2026-12-04"));
        // Wednesday start runs over the weekend to Tuesday.
        assert_eq!(announcement_end(d("2026-12-02"), 5), d("2026-12-08"));
        // A Saturday start counts from Monday.
        assert_eq!(announcement_end(d("2026-11-28"), 5), d("2026-12-04"));
    }

    #[test]
    fn full_years_is_birthday_arithmetic() {
        assert_eq!(full_years(d("2020-09-01"), d("2026-08-31")), 5);
        assert_eq!(full_years(d("2020-09-01"), d("2026-09-01")), 6);
        assert_eq!(full_years(d("2027-01-01"), d("2026-09-01")), 0);
        assert_eq!(add_years(d("2024-02-29"), 3), d("2027-02-28"));
    }
}
