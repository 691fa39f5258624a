//! Semesters, school years, working days and the annual deadlines of annex 1-2.

use std::collections::{BTreeMap, BTreeSet};

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
/// `working_days` working days of the calendar in force ([`active`]): public
/// holidays do not count, adjusted working days (调休) do. A start on a day
/// off counts from the next working day.
pub fn announcement_end(start: NaiveDate, working_days: u8) -> NaiveDate {
    active().announcement_end(start, working_days)
}

/// Whether `d` is a working day in the calendar in force ([`active`]).
pub fn is_working_day(d: NaiveDate) -> bool {
    active().is_working_day(d)
}

/// The calendar every working-day count uses: the bureau's (`--calendar
/// FILE`, or `calendar.toml` in the config directory), set once when the
/// program starts, else the compiled-in default. It is configuration, not
/// a record: nothing of it is stored in the database.
pub fn active() -> &'static WorkCalendar {
    ACTIVE.get_or_init(WorkCalendar::default_calendar)
}

/// Puts `calendar` in force for the rest of the process; false when one
/// already is (the first wins: every count of a run agrees).
pub fn set_active(calendar: WorkCalendar) -> bool {
    ACTIVE.set(calendar).is_ok()
}

static ACTIVE: std::sync::OnceLock<WorkCalendar> = std::sync::OnceLock::new();

/// The compiled-in calendar: the State Council's schedule for 2026 and a
/// provisional 2027.
pub const DEFAULT_CALENDAR: &str = include_str!("calendar_default.toml");

/// The longest announcement a group may set, in working days.
pub const MAX_ANNOUNCEMENT_DAYS: u8 = 30;

/// Whether a year's days off follow the State Council's notice or are
/// expected dates until it is published.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum YearStatus {
    Official,
    Provisional,
}

/// Public holidays and adjusted working days (调休), year by year; days of
/// years not listed are working days Monday to Friday. And the shortest
/// announcement the bureau allows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkCalendar {
    /// The file, or `None` for the compiled-in default.
    pub source: Option<String>,
    pub years: BTreeMap<i32, YearStatus>,
    off: BTreeSet<NaiveDate>,
    work: BTreeSet<NaiveDate>,
    /// The fewest working days an announcement may run (default 5).
    pub min_announcement_days: u8,
}

/// A calendar file that cannot be used: the file, the line and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CalendarError {
    pub file: String,
    pub line: usize,
    /// Why, in Chinese and in English.
    pub reason: (String, String),
}

impl crate::i18n::Localized for CalendarError {
    fn localized(&self, lang: Lang) -> String {
        match lang {
            Lang::Zh => format!(
                "工作日历 {} 第 {} 行有误：{}",
                self.file, self.line, self.reason.0
            ),
            Lang::En => format!(
                "working-day calendar {}, line {}: {}",
                self.file, self.line, self.reason.1
            ),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CalendarFile {
    announcement: Option<AnnouncementRule>,
    #[serde(default)]
    year: BTreeMap<String, toml::Spanned<YearFile>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AnnouncementRule {
    min_working_days: toml::Spanned<i64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct YearFile {
    status: toml::Spanned<String>,
    #[serde(default)]
    #[allow(dead_code)]
    source: String,
    #[serde(default)]
    holidays: Vec<toml::Spanned<String>>,
    #[serde(default)]
    workdays: Vec<toml::Spanned<String>>,
}

impl WorkCalendar {
    /// Monday to Friday, no holidays; announcements of at least 5 days.
    pub fn weekdays_only() -> WorkCalendar {
        WorkCalendar {
            source: None,
            years: BTreeMap::new(),
            off: BTreeSet::new(),
            work: BTreeSet::new(),
            min_announcement_days: 5,
        }
    }

    pub fn default_calendar() -> WorkCalendar {
        // The compiled-in file is tested; a failure here is a build mistake.
        WorkCalendar::parse(DEFAULT_CALENDAR, None)
            .unwrap_or_else(|_| WorkCalendar::weekdays_only())
    }

    /// Reads a calendar; `file` names it in messages (`None`: the default).
    pub fn parse(text: &str, file: Option<&str>) -> Result<WorkCalendar, CalendarError> {
        let name = file.unwrap_or("(default)").to_string();
        let line_of = |offset: usize| text[..offset.min(text.len())].matches('\n').count() + 1;
        let fail = |offset: usize, zh: String, en: String| CalendarError {
            file: name.clone(),
            line: line_of(offset),
            reason: (zh, en),
        };
        let f: CalendarFile = toml::from_str(text).map_err(|e| {
            let m = e.message().trim().to_string();
            fail(e.span().map_or(0, |s| s.start), m.clone(), m)
        })?;
        let mut cal = WorkCalendar::weekdays_only();
        cal.source = file.map(String::from);
        if let Some(rule) = f.announcement {
            let n = *rule.min_working_days.get_ref();
            if !(1..=i64::from(MAX_ANNOUNCEMENT_DAYS)).contains(&n) {
                return Err(fail(
                    rule.min_working_days.span().start,
                    format!("公示期最少工作日 {n} 应在 1 至 {MAX_ANNOUNCEMENT_DAYS} 之间"),
                    format!("min_working_days {n} must lie between 1 and {MAX_ANNOUNCEMENT_DAYS}"),
                ));
            }
            cal.min_announcement_days = n as u8;
        }
        for (key, year) in &f.year {
            let at = year.span().start;
            let Some(y) = key
                .parse::<i32>()
                .ok()
                .filter(|y| (2000..=2100).contains(y))
            else {
                return Err(fail(
                    at,
                    format!("“year.{key}”不是年份；请写成 [year.2026]"),
                    format!("\"year.{key}\" is not a year; write [year.2026]"),
                ));
            };
            let year = year.get_ref();
            let status = match year.status.get_ref().as_str() {
                "official" => YearStatus::Official,
                "provisional" => YearStatus::Provisional,
                other => {
                    return Err(fail(
                        year.status.span().start,
                        format!("status “{other}”应为 \"official\" 或 \"provisional\""),
                        format!("status {other:?} must be \"official\" or \"provisional\""),
                    ));
                }
            };
            cal.years.insert(y, status);
            for entry in &year.holidays {
                let at = entry.span().start;
                let (from, to) = days(entry.get_ref(), y).map_err(|(zh, en)| fail(at, zh, en))?;
                let mut d = from;
                while d <= to {
                    if cal.work.contains(&d) {
                        return Err(fail(
                            at,
                            format!("{d} 已列为调休上班日"),
                            format!("{d} is also listed as a working day"),
                        ));
                    }
                    cal.off.insert(d);
                    d += Duration::days(1);
                }
            }
            for entry in &year.workdays {
                let at = entry.span().start;
                let (d, to) = days(entry.get_ref(), y).map_err(|(zh, en)| fail(at, zh, en))?;
                if d != to {
                    return Err(fail(
                        at,
                        "调休上班日逐日列出，不用区间".into(),
                        "list working days one by one, not as a range".into(),
                    ));
                }
                if !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
                    return Err(fail(
                        at,
                        format!("{d} 不是周六或周日：调休上班日应是周末"),
                        format!(
                            "{d} is not a Saturday or Sunday: an adjusted working day is a weekend day"
                        ),
                    ));
                }
                if cal.off.contains(&d) {
                    return Err(fail(
                        at,
                        format!("{d} 已列为放假日"),
                        format!("{d} is also listed as a holiday"),
                    ));
                }
                cal.work.insert(d);
            }
        }
        return Ok(cal);

        /// `2026-10-01` or `2026-10-01..2026-10-07`, inside `year`.
        fn days(s: &str, year: i32) -> Result<(NaiveDate, NaiveDate), (String, String)> {
            let one = |t: &str| {
                NaiveDate::parse_from_str(t.trim(), "%Y-%m-%d").map_err(|_| {
                    (
                        format!(
                            "“{}”不是日期；请写成 2026-10-01 或 2026-10-01..2026-10-07",
                            t.trim()
                        ),
                        format!(
                            "{:?} is not a date; write 2026-10-01 or 2026-10-01..2026-10-07",
                            t.trim()
                        ),
                    )
                })
            };
            let (from, to) = match s.split_once("..") {
                Some((a, b)) => (one(a)?, one(b)?),
                None => {
                    let d = one(s)?;
                    (d, d)
                }
            };
            if from > to || (to - from).num_days() > 31 {
                return Err((
                    format!("区间 {from}..{to} 应从早到晚，且不超过 31 天"),
                    format!("the range {from}..{to} must run forwards, 31 days at most"),
                ));
            }
            if from.year() != year || to.year() != year {
                return Err((
                    format!("{s} 不在 {year} 年内（写在 [year.{year}] 下）"),
                    format!("{s} is not in {year} (it is under [year.{year}])"),
                ));
            }
            Ok((from, to))
        }
    }

    pub fn is_working_day(&self, d: NaiveDate) -> bool {
        if self.work.contains(&d) {
            return true;
        }
        if self.off.contains(&d) {
            return false;
        }
        !matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
    }

    /// A public holiday of the calendar (not an ordinary weekend).
    pub fn is_holiday(&self, d: NaiveDate) -> bool {
        self.off.contains(&d) && !self.work.contains(&d)
    }

    /// The last day of an announcement from `start` for `working_days`.
    pub fn announcement_end(&self, start: NaiveDate, working_days: u8) -> NaiveDate {
        let mut day = start;
        let mut counted = 0;
        // A calendar lists at most 31 days off in a row; a year of them is
        // a mistake that still ends.
        for _ in 0..2000 {
            if self.is_working_day(day) {
                counted += 1;
                if counted >= working_days.max(1) {
                    return day;
                }
            }
            day += Duration::days(1);
        }
        day
    }

    /// The working days from `from` to `to`, both included.
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> usize {
        from.iter_days()
            .take_while(|d| *d <= to)
            .filter(|d| self.is_working_day(*d))
            .count()
    }

    /// Where the calendar comes from, briefly: 内置日历（2027 年暂定）,
    /// built-in calendar (2027 provisional), or the file's name.
    pub fn short_label(&self, lang: Lang) -> String {
        if let Some(f) = &self.source {
            let name = std::path::Path::new(f)
                .file_name()
                .map_or_else(|| f.clone(), |n| n.to_string_lossy().into_owned());
            return match lang {
                Lang::Zh => format!("日历 {name}"),
                Lang::En => format!("calendar {name}"),
            };
        }
        let provisional: Vec<String> = self
            .years
            .iter()
            .filter(|(_, s)| **s == YearStatus::Provisional)
            .map(|(y, _)| y.to_string())
            .collect();
        match (lang, provisional.is_empty()) {
            (Lang::Zh, true) => "内置日历".into(),
            (Lang::En, true) => "built-in calendar".into(),
            (Lang::Zh, false) => format!("内置日历（{} 年暂定）", provisional.join("、")),
            (Lang::En, false) => {
                format!("built-in calendar ({} provisional)", provisional.join(", "))
            }
        }
    }

    /// Where the calendar comes from, and which years are only provisional.
    pub fn label(&self, lang: Lang) -> String {
        let provisional: Vec<String> = self
            .years
            .iter()
            .filter(|(_, s)| **s == YearStatus::Provisional)
            .map(|(y, _)| y.to_string())
            .collect();
        let official: Vec<String> = self
            .years
            .iter()
            .filter(|(_, s)| **s == YearStatus::Official)
            .map(|(y, _)| y.to_string())
            .collect();
        let source = match (&self.source, lang) {
            (None, Lang::Zh) => "内置默认工作日历".to_string(),
            (None, Lang::En) => "the built-in default working-day calendar".to_string(),
            (Some(f), Lang::Zh) => format!("工作日历 {f}"),
            (Some(f), Lang::En) => format!("working-day calendar {f}"),
        };
        match lang {
            Lang::Zh => format!(
                "{source}（按国务院通知：{}；暂定：{}）",
                if official.is_empty() {
                    "无".into()
                } else {
                    official.join("、")
                },
                if provisional.is_empty() {
                    "无".into()
                } else {
                    provisional.join("、")
                }
            ),
            Lang::En => format!(
                "{source} (the State Council's notice: {}; provisional: {})",
                if official.is_empty() {
                    "none".into()
                } else {
                    official.join(", ")
                },
                if provisional.is_empty() {
                    "none".into()
                } else {
                    provisional.join(", ")
                }
            ),
        }
    }
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

/// The day of the week as a timetable heads it: 周六 / Sat.
pub fn weekday_label(date: NaiveDate, lang: crate::i18n::Lang) -> &'static str {
    let i = chrono::Datelike::weekday(&date).num_days_from_monday() as usize;
    match lang {
        crate::i18n::Lang::Zh => ["周一", "周二", "周三", "周四", "周五", "周六", "周日"][i],
        crate::i18n::Lang::En => ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][i],
    }
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
    fn working_days_follow_the_state_councils_2026_schedule() {
        let c = WorkCalendar::default_calendar();
        assert_eq!(c.source, None);
        assert_eq!(c.min_announcement_days, 5);
        // 5 days from Monday 2026-09-28: 28, 29, 30, then the National Day
        // holiday (1-7 October), then Thursday 8 and Friday 9.
        assert_eq!(c.announcement_end(d("2026-09-28"), 5), d("2026-10-09"));
        // The default in force is the same.
        assert_eq!(announcement_end(d("2026-09-28"), 5), d("2026-10-09"));
        // Saturday 10 October is a working day (调休); so is Sunday 20 September.
        assert!(c.is_working_day(d("2026-10-10")));
        assert!(c.is_working_day(d("2026-09-20")));
        assert_eq!(c.announcement_end(d("2026-10-08"), 3), d("2026-10-10"));
        // The Spring Festival: 15 to 23 February off, 14 and 28 worked.
        assert!(!c.is_working_day(d("2026-02-16")));
        assert!(!c.is_working_day(d("2026-02-23")));
        assert!(c.is_working_day(d("2026-02-14")));
        assert!(c.is_working_day(d("2026-02-28")));
        assert_eq!(
            c.working_days_between(d("2026-01-01"), d("2026-12-31")),
            // 261 weekdays; 33 days off, 19 of them weekdays; 6 weekend
            // days worked.
            261 - 19 + 6
        );
        // 2027 is there, labelled provisional; 2028 is Monday to Friday.
        assert_eq!(c.years.get(&2026), Some(&YearStatus::Official));
        assert_eq!(c.years.get(&2027), Some(&YearStatus::Provisional));
        assert!(!c.is_working_day(d("2027-10-01")));
        assert!(!c.is_working_day(d("2027-02-08")));
        assert!(c.is_working_day(d("2028-10-02")));
        assert!(
            c.label(Lang::Zh)
                .contains("内置默认工作日历（按国务院通知：2026；暂定：2027）")
        );
        assert!(c.label(Lang::En).contains("provisional: 2027"));
    }

    #[test]
    fn a_bureau_calendar_is_read_and_a_malformed_one_names_its_line() {
        let text = "[announcement]\nmin_working_days = 7\n\n[year.2026]\nstatus = \"official\"\nholidays = [\"2026-12-07..2026-12-08\"]\nworkdays = [\"2026-12-12\"]\n";
        let c = WorkCalendar::parse(text, Some("cal.toml")).unwrap();
        assert_eq!(c.min_announcement_days, 7);
        assert_eq!(c.source.as_deref(), Some("cal.toml"));
        // From Thursday 3 December: 3, 4, (7, 8 off), 9, 10, 11, Saturday 12.
        assert_eq!(c.announcement_end(d("2026-12-03"), 6), d("2026-12-12"));
        let line = |text: &str| {
            let e = WorkCalendar::parse(text, Some("cal.toml")).unwrap_err();
            (e.line, e.localized(Lang::Zh), e.localized(Lang::En))
        };
        use crate::i18n::Localized;
        // A date that does not exist, on line 4.
        let (n, zh, en) =
            line("[year.2026]\nstatus = \"official\"\nholidays = [\n  \"2026-02-30\",\n]\n");
        assert_eq!(n, 4, "{en}");
        assert!(zh.starts_with("工作日历 cal.toml 第 4 行有误："), "{zh}");
        assert!(
            en.contains("line 4") && en.contains("\"2026-02-30\" is not a date"),
            "{en}"
        );
        // TOML that does not parse.
        assert_eq!(line("[announcement]\nmin_working_days = = 5\n").0, 2);
        // A minimum out of 1 to 30.
        let (n, _, en) = line("\n[announcement]\nmin_working_days = 0\n");
        assert_eq!(n, 3);
        assert!(en.contains("between 1 and 30"), "{en}");
        // A working day on a weekday, a date of another year, a bad status,
        // an unknown key.
        assert_eq!(
            line("[year.2026]\nstatus = \"official\"\nworkdays = [\"2026-12-07\"]\n").0,
            3
        );
        assert_eq!(
            line("[year.2026]\nstatus = \"official\"\nholidays = [\"2027-01-01\"]\n").0,
            3
        );
        assert_eq!(line("[year.2026]\nstatus = \"maybe\"\n").0, 2);
        assert_eq!(
            line("[year.2026]\nstatus = \"official\"\nholiday = []\n").0,
            3
        );
    }

    #[test]
    fn full_years_is_birthday_arithmetic() {
        assert_eq!(full_years(d("2020-09-01"), d("2026-08-31")), 5);
        assert_eq!(full_years(d("2020-09-01"), d("2026-09-01")), 6);
        assert_eq!(full_years(d("2027-01-01"), d("2026-09-01")), 0);
        assert_eq!(add_years(d("2024-02-29"), 3), d("2027-02-28"));
    }
}
