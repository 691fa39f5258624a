//! The training a city group has run this semester, for the demo: classes at
//! its base schools, a Saturday course series and a Wednesday online series,
//! two study visits, a winter camp ahead, attendance for what was held (a few
//! trainees well under the 80% line), and the coaches' own development.

use chrono::{Datelike, Duration, NaiveDate, NaiveTime, Weekday};
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::{DemoError, Writer, d};
use crate::domain::training::{DevelopmentKind, Mark, Place, SessionKind, SessionStatus};
use crate::domain::{CoachRole, CoachStage, ProjectId, Semester, TraineeStage, TrainingMode};
use crate::i18n::Lang;
use crate::registry::Command;

fn time(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap_or(NaiveTime::MIN)
}

/// The first `weekday` on or after `from`.
fn first(weekday: Weekday, from: NaiveDate) -> NaiveDate {
    let ahead = (7 + weekday.num_days_from_monday() - from.weekday().num_days_from_monday()) % 7;
    from + Duration::days(i64::from(ahead))
}

/// A group's classes, sessions, attendance and development in the current
/// semester; `schools` are the base schools serving the group.
pub(super) fn city_group(
    w: &mut Writer<'_>,
    project: ProjectId,
    gi: usize,
    schools: &[u64],
) -> Result<(), DemoError> {
    w.flush()?;
    let mut rng = ChaCha8Rng::seed_from_u64(0x5452_4149_4e00 + gi as u64);
    let today = w.registry.today();
    let semester = Semester::containing(today);
    let start = semester.first_day();
    let group = project.group_name(Lang::Zh);

    let coaches: Vec<_> = w
        .registry
        .coaches(project)?
        .into_iter()
        .filter(|c| c.stage == CoachStage::Active)
        .collect();
    let chief = coaches
        .iter()
        .find(|c| c.role == CoachRole::Chief)
        .map(|c| c.id);
    let teachers: Vec<u64> = coaches
        .iter()
        .filter(|c| c.role != CoachRole::Chief)
        .map(|c| c.id)
        .collect();
    let enrolled: Vec<_> = w
        .registry
        .trainees(project)?
        .into_iter()
        .filter(|t| t.stage == TraineeStage::Enrolled)
        .collect();

    // One class at each base school, for the trainees it manages (mode 1).
    let placed_on = start + Duration::days(5);
    for (k, school) in schools.iter().enumerate() {
        let class = w.create(Command::AddClass {
            project,
            school: *school,
            name: format!("{group}{}班", ["一", "二", "三"][k % 3]),
        })?;
        for t in &enrolled {
            if t.training_mode == Some(TrainingMode::BaseSchool { school: *school }) {
                w.push(Command::PlaceInClass {
                    class,
                    trainee: t.id,
                    date: placed_on,
                })?;
            }
        }
    }
    let Some(home) = schools.first().copied() else {
        return Ok(());
    };
    let room = format!(
        "{}教室",
        project.group_name(Lang::Zh).trim_end_matches('组')
    );
    let first_two = |k: usize| -> Vec<u64> {
        chief
            .into_iter()
            .chain(teachers.iter().copied().skip(k).take(1))
            .collect()
    };

    // The Saturday course, the whole semester, holidays skipped.
    let saturday = first(Weekday::Sat, start + Duration::days(7));
    let series = w.create(Command::PlanSessions {
        project,
        kind: SessionKind::Course,
        date: saturday,
        until: Some(semester.last_day() - Duration::days(14)),
        every_days: 7,
        start: time(8, 30),
        end: time(11, 30),
        place: Place::School {
            school: home,
            room: room.clone(),
        },
        topic: format!("{}专题课程", group.trim_end_matches('组')),
        coaches: first_two(0),
        class: None,
    })?;
    // The Wednesday evening online Q&A, from November.
    let online_from = first(Weekday::Wed, d(semester.start_year, 11, 1));
    w.push(Command::PlanSessions {
        project,
        kind: SessionKind::Online,
        date: online_from,
        until: Some(semester.last_day() - Duration::days(14)),
        every_days: 7,
        start: time(19, 0),
        end: time(20, 30),
        place: Place::Online {
            link: format!("https://meeting.qdedu.example/{}", project.code()),
        },
        topic: "线上答疑".into(),
        coaches: teachers.iter().copied().take(1).collect(),
        class: None,
    })?;
    // Two study visits on Sundays at the group's (other) base school, a test,
    // an expert's lecture, and the winter camp ahead.
    let visit_school = schools.get(1).copied().unwrap_or(home);
    for (i, weeks) in [6i64, 11].into_iter().enumerate() {
        let day = first(Weekday::Sun, start + Duration::days(7 * weeks));
        w.push(Command::PlanSessions {
            project,
            kind: SessionKind::StudyVisit,
            date: day,
            until: None,
            every_days: 0,
            start: time(9, 0),
            end: time(16, 0),
            place: Place::School {
                school: visit_school,
                room: String::new(),
            },
            topic: ["游学：实验与探究", "游学：名校课堂体验"][i].into(),
            coaches: first_two(1),
            class: None,
        })?;
    }
    w.push(Command::PlanSessions {
        project,
        kind: SessionKind::Lecture,
        date: first(Weekday::Sun, today + Duration::days(7)),
        until: None,
        every_days: 0,
        start: time(14, 0),
        end: time(16, 0),
        place: Place::Other {
            name: "青岛市教育科学研究院报告厅".into(),
        },
        topic: "专家讲座：竞赛命题趋势".into(),
        coaches: chief.into_iter().collect(),
        class: None,
    })?;
    let camp = first(Weekday::Mon, semester.last_day() - Duration::days(10));
    w.push(Command::PlanSessions {
        project,
        kind: SessionKind::Camp,
        date: camp,
        until: Some(camp + Duration::days(4)),
        every_days: 1,
        start: time(8, 0),
        end: time(17, 0),
        place: Place::Other {
            name: format!("{}冬令营（青岛二中）", group),
        },
        topic: "寒假集训".into(),
        coaches: first_two(0),
        class: None,
    })?;
    w.flush()?;

    // One Saturday was called off; the rest that are past were held.
    let sessions = w.registry.sessions(project)?;
    let cancelled = sessions
        .iter()
        .filter(|s| s.series == Some(series) && s.date < today)
        .nth(8)
        .map(|s| (s.id, s.stamp.version));
    if let Some((id, version)) = cancelled {
        w.push(Command::CancelSession {
            id,
            version,
            date: today - Duration::days(20),
            reason: "期中考试周，停课一次".into(),
        })?;
    }
    w.flush()?;

    // Attendance for every past session but the latest Saturday's, which is
    // left for the demo's user to take.
    let last_saturday = sessions
        .iter()
        .filter(|s| s.series == Some(series) && s.date <= today)
        .map(|s| s.date)
        .max();
    // A few trainees miss often: the alert on the overview.
    let truants: Vec<u64> = enrolled
        .choose_multiple(&mut rng, 2 + gi % 2)
        .map(|t| t.id)
        .collect();
    for s in w.registry.sessions(project)? {
        if s.date > today || Some(s.date) == last_saturday || s.status != SessionStatus::Planned {
            continue;
        }
        for t in w.registry.roster(&s)? {
            let miss = if truants.contains(&t.id) { 0.4 } else { 0.04 };
            let roll: f64 = rng.random();
            let mark = if roll < miss {
                Mark::Absent
            } else if roll < miss + 0.03 {
                Mark::Late
            } else if roll < miss + 0.05 {
                Mark::Excused
            } else {
                Mark::Present
            };
            w.push(Command::MarkAttendance {
                session: s.id,
                trainee: t.id,
                mark,
            })?;
        }
    }

    // The coaches' own development this year.
    let activities = [
        (
            DevelopmentKind::Visit,
            "上海市",
            160,
            "赴上海华育中学考察竞赛培养体系",
        ),
        (
            DevelopmentKind::AcademicEvent,
            "北京市",
            120,
            "全国中学生学科竞赛教练员研讨会",
        ),
        (
            DevelopmentKind::TrainingCourse,
            "青岛市",
            240,
            "山东省学科竞赛骨干教练员培训班",
        ),
        (
            DevelopmentKind::Exchange,
            "青岛市",
            30,
            "与特邀金牌教练员座谈交流",
        ),
    ];
    for (k, coach) in coaches.iter().enumerate() {
        for j in 0..(1 + (k + gi) % 2) {
            let (kind, place, tenths, note) = activities[(k + j + gi) % activities.len()];
            let date = d(
                today.year(),
                3 + ((k * 3 + j * 4 + gi) % 8) as u32,
                10 + (k % 15) as u32,
            );
            w.push(Command::RecordDevelopment {
                coach: coach.id,
                kind,
                date: date.min(today),
                place: place.into(),
                tenths,
                note: note.into(),
            })?;
        }
    }
    w.flush()?;
    Ok(())
}

/// Trainees in a province group's class: a class as a base school really
/// forms one, so the roster a coach marks stays the size of a classroom.
pub(super) const PROVINCE_CLASS: usize = 50;

/// A province group's year of training: one class of `size` (50 in the
/// demo) enrolled trainees not yet in a class at its base school,
/// a Saturday course from September to July for that class (holidays
/// skipped), and attendance for every Saturday held before today but the
/// latest, which is left to mark. What the calendar and attendance
/// benchmarks open.
pub(super) fn province_group(
    w: &mut Writer<'_>,
    project: ProjectId,
    gi: usize,
    school: u64,
    size: usize,
) -> Result<(), DemoError> {
    w.flush()?;
    let mut rng = ChaCha8Rng::seed_from_u64(0x5052_4f56_0000 + gi as u64);
    let today = w.registry.today();
    let year = Semester::containing(today).start_year;
    let group = project.group_name(Lang::Zh);
    let chief: Vec<u64> = w
        .registry
        .coaches(project)?
        .into_iter()
        .filter(|c| c.stage == CoachStage::Active && c.role == CoachRole::Chief)
        .map(|c| c.id)
        .collect();
    // A trainee is in one class of a group at a time (none yet in a
    // province group; a city group's base-school trainees are).
    let placed: Vec<u64> = w
        .registry
        .classes(project)?
        .iter()
        .flat_map(|c| c.members.iter().filter(|m| m.left.is_none()))
        .map(|m| m.trainee)
        .collect();
    let class_members: Vec<u64> = w
        .registry
        .trainees(project)?
        .into_iter()
        .filter(|t| t.stage == TraineeStage::Enrolled && !placed.contains(&t.id))
        .take(size)
        .map(|t| t.id)
        .collect();
    let class = w.create(Command::AddClass {
        project,
        school,
        name: format!("{group}一班"),
    })?;
    let opening = first(Weekday::Sat, d(year, 9, 5));
    for &trainee in &class_members {
        w.push(Command::PlaceInClass {
            class,
            trainee,
            date: opening - Duration::days(3),
        })?;
    }
    w.push(Command::PlanSessions {
        project,
        kind: SessionKind::Course,
        date: opening,
        until: Some(d(i32::from(year) + 1, 7, 10)),
        every_days: 7,
        start: time(8, 30),
        end: time(11, 30),
        place: Place::School {
            school,
            room: format!("{}教室", group.trim_end_matches('组')),
        },
        topic: format!("{}专题课程", group.trim_end_matches('组')),
        coaches: chief,
        class: Some(class),
    })?;
    w.flush()?;
    let sessions: Vec<_> = w
        .registry
        .sessions(project)?
        .into_iter()
        .filter(|s| s.class == Some(class))
        .collect();
    let latest = sessions
        .iter()
        .filter(|s| s.date <= today)
        .map(|s| s.date)
        .max();
    for s in &sessions {
        if s.date > today || Some(s.date) == latest || s.status != SessionStatus::Planned {
            continue;
        }
        for &trainee in &class_members {
            let roll: f64 = rng.random();
            let mark = match roll {
                r if r < 0.06 => Mark::Absent,
                r if r < 0.09 => Mark::Late,
                r if r < 0.11 => Mark::Excused,
                _ => Mark::Present,
            };
            w.push(Command::MarkAttendance {
                session: s.id,
                trainee,
                mark,
            })?;
        }
    }
    w.flush()?;
    Ok(())
}
