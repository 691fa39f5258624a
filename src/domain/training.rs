//! Training (section 三.4, 三.3, 四.2 of the plan): a group's sessions
//! (培养活动), the classes at its base schools (编班), attendance (考勤) and
//! the coaches' own development (教练员培养). Plain data and pure rules.

use chrono::{Datelike, Duration, NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};

use super::calendar::{Semester, WorkCalendar};
use super::project::ProjectId;
use super::record::Stamp;
use crate::i18n::Lang;

/// The most sessions one series may create (a year of daily sessions).
pub const MAX_SERIES: usize = 370;
/// The attendance rate under which a trainee is flagged, unless the group
/// sets its own (percent).
pub const DEFAULT_ATTENDANCE_THRESHOLD: u8 = 80;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SessionKind {
    /// 课程.
    Course,
    /// 测验.
    Test,
    /// 集训.
    Camp,
    /// 游学: at a base school of the group.
    StudyVisit,
    /// 线上.
    Online,
    /// 专家讲座: a lecture by an invited expert.
    Lecture,
}

impl SessionKind {
    pub const ALL: [SessionKind; 6] = [
        SessionKind::Course,
        SessionKind::Test,
        SessionKind::Camp,
        SessionKind::StudyVisit,
        SessionKind::Online,
        SessionKind::Lecture,
    ];

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            SessionKind::Course => lang.pick("课程", "course"),
            SessionKind::Test => lang.pick("测验", "test"),
            SessionKind::Camp => lang.pick("集训", "camp"),
            SessionKind::StudyVisit => lang.pick("游学", "study visit"),
            SessionKind::Online => lang.pick("线上", "online"),
            SessionKind::Lecture => lang.pick("专家讲座", "expert lecture"),
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            SessionKind::Course => "course",
            SessionKind::Test => "test",
            SessionKind::Camp => "camp",
            SessionKind::StudyVisit => "study_visit",
            SessionKind::Online => "online",
            SessionKind::Lecture => "lecture",
        }
    }

    pub fn parse(s: &str) -> Option<SessionKind> {
        let s = s.trim();
        SessionKind::ALL.into_iter().find(|k| {
            k.code() == s.to_ascii_lowercase() || k.label(Lang::Zh) == s || k.label(Lang::En) == s
        })
    }
}

/// Where a session takes place.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Place {
    /// A base school of the group, and the room there (may be empty).
    School { school: u64, room: String },
    /// Online, with the meeting link.
    Online { link: String },
    /// Anywhere else, by name.
    Other { name: String },
}

impl Place {
    /// Whether two sessions at these places would need the same room: the
    /// same school and room (an empty room is the whole school), or the
    /// same named place. Online sessions never clash.
    pub fn clashes_with(&self, other: &Place) -> bool {
        match (self, other) {
            (
                Place::School {
                    school: a,
                    room: ra,
                },
                Place::School {
                    school: b,
                    room: rb,
                },
            ) => a == b && (ra.is_empty() || rb.is_empty() || ra == rb),
            (Place::Other { name: a }, Place::Other { name: b }) => a == b,
            _ => false,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SessionStatus {
    Planned,
    Held,
    Cancelled { date: NaiveDate, reason: String },
}

impl SessionStatus {
    pub fn label(&self, lang: Lang) -> &'static str {
        match self {
            SessionStatus::Planned => lang.pick("计划", "planned"),
            SessionStatus::Held => lang.pick("已举行", "held"),
            SessionStatus::Cancelled { .. } => lang.pick("已取消", "cancelled"),
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            SessionStatus::Planned => "planned",
            SessionStatus::Held => "held",
            SessionStatus::Cancelled { .. } => "cancelled",
        }
    }
}

/// One training activity (培养活动) of a group.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    pub id: u64,
    pub project: ProjectId,
    /// The series it was planned in (the id of the series' first session),
    /// or none for a session planned alone.
    pub series: Option<u64>,
    #[serde(with = "crate::domain::day")]
    pub date: NaiveDate,
    pub start: NaiveTime,
    pub end: NaiveTime,
    pub kind: SessionKind,
    pub place: Place,
    pub topic: String,
    /// The coaches who teach it: appointment ids.
    pub coaches: Vec<u64>,
    /// The class it is for, or none: the whole group.
    pub class: Option<u64>,
    pub status: SessionStatus,
    pub stamp: Stamp,
}

impl Session {
    pub fn is_cancelled(&self) -> bool {
        matches!(self.status, SessionStatus::Cancelled { .. })
    }

    /// Whether the two sessions are on the same day at overlapping times.
    pub fn overlaps(&self, other: &Session) -> bool {
        self.date == other.date && self.start < other.end && other.start < self.end
    }

    pub fn minutes(&self) -> i64 {
        (self.end - self.start).num_minutes().max(0)
    }

    pub fn semester(&self) -> Semester {
        Semester::containing(self.date)
    }
}

/// The days a repeating series falls on: every `every_days` days from
/// `first` to `last` (both included), leaving out the calendar's public
/// holidays (not its ordinary weekends: a Saturday course is held on
/// Saturdays). At most [`MAX_SERIES`] days.
pub fn series_days(
    calendar: &WorkCalendar,
    first: NaiveDate,
    last: NaiveDate,
    every_days: u16,
) -> Vec<NaiveDate> {
    let step = Duration::days(i64::from(every_days.max(1)));
    let mut out = Vec::new();
    let mut day = first;
    while day <= last && out.len() < MAX_SERIES {
        if !calendar.is_holiday(day) {
            out.push(day);
        }
        day += step;
    }
    out
}

/// A class (编班) at a base school, with everyone who was ever in it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Class {
    pub id: u64,
    pub project: ProjectId,
    pub school: u64,
    pub name: String,
    /// Every placement, oldest first; a trainee who left and came back has
    /// two.
    pub members: Vec<Membership>,
    pub stamp: Stamp,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Membership {
    pub trainee: u64,
    #[serde(with = "crate::domain::day")]
    pub joined: NaiveDate,
    #[serde(with = "crate::domain::day::option")]
    pub left: Option<NaiveDate>,
}

impl Class {
    /// The trainees in the class now, in the order they joined.
    pub fn current(&self) -> impl Iterator<Item = u64> + '_ {
        self.members
            .iter()
            .filter(|m| m.left.is_none())
            .map(|m| m.trainee)
    }

    pub fn has_now(&self, trainee: u64) -> bool {
        self.current().any(|t| t == trainee)
    }

    /// The trainees in the class on `date`.
    pub fn on(&self, date: NaiveDate) -> Vec<u64> {
        let mut out: Vec<u64> = Vec::new();
        for m in &self.members {
            if m.joined <= date && m.left.is_none_or(|l| l > date) && !out.contains(&m.trainee) {
                out.push(m.trainee);
            }
        }
        out
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mark {
    /// 出勤.
    Present,
    /// 迟到.
    Late,
    /// 请假.
    Excused,
    /// 缺勤.
    Absent,
}

impl Mark {
    pub const ALL: [Mark; 4] = [Mark::Present, Mark::Late, Mark::Excused, Mark::Absent];

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Mark::Present => lang.pick("出勤", "present"),
            Mark::Late => lang.pick("迟到", "late"),
            Mark::Excused => lang.pick("请假", "excused"),
            Mark::Absent => lang.pick("缺勤", "absent"),
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Mark::Present => "present",
            Mark::Late => "late",
            Mark::Excused => "excused",
            Mark::Absent => "absent",
        }
    }

    pub fn parse(s: &str) -> Option<Mark> {
        let s = s.trim();
        Mark::ALL.into_iter().find(|m| {
            m.code() == s.to_ascii_lowercase()
                || m.label(Lang::Zh) == s
                || m.code().starts_with(&s.to_ascii_lowercase()) && s.len() == 1
        })
    }

    /// Whether the trainee was there (late counts as there).
    pub fn attended(self) -> bool {
        matches!(self, Mark::Present | Mark::Late)
    }
}

/// One trainee's mark for one session, stored as it is taken.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attendance {
    pub session: u64,
    pub trainee: u64,
    pub project: ProjectId,
    pub mark: Mark,
    pub stamp: Stamp,
}

/// Attendance over some sessions: an excused absence counts for neither
/// side; the rate is attended over attended plus absent.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttendanceRate {
    pub present: u32,
    pub late: u32,
    pub excused: u32,
    pub absent: u32,
}

impl AttendanceRate {
    pub fn add(&mut self, m: Mark) {
        match m {
            Mark::Present => self.present += 1,
            Mark::Late => self.late += 1,
            Mark::Excused => self.excused += 1,
            Mark::Absent => self.absent += 1,
        }
    }

    pub fn counted(&self) -> u32 {
        self.present + self.late + self.absent
    }

    /// Percent, rounded down; none before any counted session.
    pub fn percent(&self) -> Option<u8> {
        let counted = self.counted();
        (counted > 0).then(|| ((self.present + self.late) * 100 / counted) as u8)
    }

    /// Under `threshold` percent.
    pub fn under(&self, threshold: u8) -> bool {
        self.percent().is_some_and(|p| p < threshold)
    }
}

/// A group's own training settings.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupSettings {
    pub project: ProjectId,
    /// Percent; a trainee under it is flagged on the overview.
    pub attendance_threshold: u8,
    pub stamp: Stamp,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DevelopmentKind {
    /// 赴先进地区考察学习.
    Visit,
    /// 全国性学术活动.
    AcademicEvent,
    /// 培训课程.
    TrainingCourse,
    /// 与特邀优秀教练员交流.
    Exchange,
}

impl DevelopmentKind {
    pub const ALL: [DevelopmentKind; 4] = [
        DevelopmentKind::Visit,
        DevelopmentKind::AcademicEvent,
        DevelopmentKind::TrainingCourse,
        DevelopmentKind::Exchange,
    ];

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            DevelopmentKind::Visit => lang.pick("考察学习", "visit"),
            DevelopmentKind::AcademicEvent => {
                lang.pick("全国性学术活动", "national academic event")
            }
            DevelopmentKind::TrainingCourse => lang.pick("培训课程", "training course"),
            DevelopmentKind::Exchange => {
                lang.pick("特邀教练员交流", "exchange with an invited coach")
            }
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            DevelopmentKind::Visit => "visit",
            DevelopmentKind::AcademicEvent => "academic_event",
            DevelopmentKind::TrainingCourse => "training_course",
            DevelopmentKind::Exchange => "exchange",
        }
    }

    pub fn parse(s: &str) -> Option<DevelopmentKind> {
        let s = s.trim();
        DevelopmentKind::ALL
            .into_iter()
            .find(|k| k.code() == s.to_ascii_lowercase() || k.label(Lang::Zh) == s)
    }
}

/// One development activity of a coach (section 四.2).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Development {
    pub id: u64,
    pub project: ProjectId,
    /// The appointment of the coach.
    pub coach: u64,
    pub kind: DevelopmentKind,
    #[serde(with = "crate::domain::day")]
    pub date: NaiveDate,
    pub place: String,
    /// Tenths of an hour (15 = 1.5 h).
    pub tenths: u32,
    pub note: String,
    pub stamp: Stamp,
}

/// "1.5" for 15 tenths.
pub fn hours_text(tenths: u32) -> String {
    if tenths % 10 == 0 {
        format!("{}", tenths / 10)
    } else {
        format!("{}.{}", tenths / 10, tenths % 10)
    }
}

/// Hours as typed ("3", "1.5", "2.25" refused) to tenths.
pub fn parse_hours(s: &str) -> Option<u32> {
    let s = s.trim();
    let (whole, frac) = match s.split_once('.') {
        Some((w, f)) => (w, f),
        None => (s, ""),
    };
    if whole.is_empty() || !whole.chars().all(|c| c.is_ascii_digit()) || frac.len() > 1 {
        return None;
    }
    if !frac.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let w: u32 = whole.parse().ok()?;
    let f: u32 = if frac.is_empty() {
        0
    } else {
        frac.parse().ok()?
    };
    w.checked_mul(10)?.checked_add(f)
}

/// The year a development record counts for (the calendar year).
pub fn development_year(d: &Development) -> i32 {
    d.date.year()
}

/// Minutes of planned or held sessions by kind, per semester: what the
/// plan's 培训组织计划 says and the report counts.
pub fn minutes_by_kind<'a>(
    sessions: impl IntoIterator<Item = &'a Session>,
    held_only: bool,
) -> Vec<(Semester, SessionKind, u32, i64)> {
    let mut out: std::collections::BTreeMap<(Semester, SessionKind), (u32, i64)> =
        Default::default();
    for s in sessions {
        if s.is_cancelled() || (held_only && s.status != SessionStatus::Held) {
            continue;
        }
        let e = out.entry((s.semester(), s.kind)).or_default();
        e.0 += 1;
        e.1 += s.minutes();
    }
    out.into_iter()
        .map(|((sem, k), (n, m))| (sem, k, n, m))
        .collect()
}

/// The training part of a plan, written from its planned sessions: per
/// semester, sessions and hours by kind, on one line as a form's field
/// holds it ("2026-2027学年第一学期：课程 18 次 54 学时，线上 8 次 12 学时；…").
pub fn training_text(sessions: &[Session], lang: Lang) -> String {
    let mut semesters: Vec<(Semester, Vec<String>)> = Vec::new();
    for (sem, kind, n, minutes) in minutes_by_kind(sessions, false) {
        let hours = hours_text((minutes / 6) as u32);
        let item = match lang {
            Lang::Zh => format!("{} {n} 次 {hours} 学时", kind.label(lang)),
            Lang::En => format!("{} {n} sessions {hours} hours", kind.label(lang)),
        };
        match semesters.last_mut() {
            Some((last, items)) if *last == sem => items.push(item),
            _ => semesters.push((sem, vec![item])),
        }
    }
    semesters
        .into_iter()
        .map(|(sem, items)| match lang {
            Lang::Zh => format!("{}：{}", sem.label(lang), items.join("，")),
            Lang::En => format!("{}: {}", sem.label(lang), items.join(", ")),
        })
        .collect::<Vec<_>>()
        .join(lang.pick("；", "; "))
}

/// The sessions of calendar year `year`, as the plan of that year counts
/// them (the completion report's table too).
pub fn sessions_of_year(sessions: &[Session], year: i32) -> Vec<Session> {
    sessions
        .iter()
        .filter(|s| s.date.year() == year)
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_saturday_series_skips_the_national_day_holiday() {
        let cal = WorkCalendar::default_calendar();
        let days = series_days(&cal, d("2026-09-12"), d("2027-01-16"), 7);
        assert!(days.iter().all(|d| d.weekday() == chrono::Weekday::Sat));
        // 2026-10-03 is in the National Day holiday.
        assert!(!days.contains(&d("2026-10-03")));
        assert!(days.contains(&d("2026-10-10")));
        assert_eq!(days.first(), Some(&d("2026-09-12")));
    }

    #[test]
    fn rates_leave_out_excused_absences() {
        let mut r = AttendanceRate::default();
        for m in [Mark::Present, Mark::Late, Mark::Excused, Mark::Absent] {
            r.add(m);
        }
        assert_eq!(r.percent(), Some(66));
        assert!(r.under(80));
        assert_eq!(AttendanceRate::default().percent(), None);
    }

    #[test]
    fn hours_are_read_to_a_tenth() {
        assert_eq!(parse_hours("3"), Some(30));
        assert_eq!(parse_hours("1.5"), Some(15));
        assert_eq!(parse_hours("2.25"), None);
        assert_eq!(parse_hours("x"), None);
        assert_eq!(hours_text(15), "1.5");
        assert_eq!(hours_text(30), "3");
    }

    #[test]
    fn a_room_clashes_only_with_itself_or_the_whole_school() {
        let s = |room: &str| Place::School {
            school: 1,
            room: room.into(),
        };
        assert!(s("101").clashes_with(&s("101")));
        assert!(!s("101").clashes_with(&s("102")));
        assert!(s("").clashes_with(&s("102")));
        let online = Place::Online { link: "x".into() };
        assert!(!online.clashes_with(&online));
    }
}
