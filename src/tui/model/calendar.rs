//! A group's sessions as the calendar tab shows them: each with its place,
//! coaches and class in words, and how much of its roster has been marked.

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::domain::training::{Class, Place, Session, SessionStatus};
use crate::domain::{Trainee, TraineeStage};
use crate::i18n::Lang;
use crate::registry::Reader;
use crate::store::StoreError;
use crate::tui::input::search::SearchKey;

#[derive(Clone, Debug)]
pub struct SessionRow {
    pub session: Session,
    /// The school and room, the meeting link or the place's name.
    pub school: Option<String>,
    /// The coaches' names.
    pub coaches: Vec<String>,
    pub class: Option<String>,
    /// Trainees marked, of those expected (none ahead of the day).
    pub marked: usize,
    pub expected: usize,
}

impl SessionRow {
    pub fn place(&self, lang: Lang) -> String {
        match &self.session.place {
            Place::School { room, .. } => {
                let school = self.school.as_deref().unwrap_or_default();
                if room.is_empty() {
                    school.to_string()
                } else {
                    format!("{school} {room}")
                }
            }
            Place::Online { .. } => lang.pick("线上", "online").into(),
            Place::Other { name } => name.clone(),
        }
    }

    pub fn coaches_text(&self, lang: Lang) -> String {
        self.coaches.join(lang.pick("、", ", "))
    }

    /// `46/48` once held, `-` before or when cancelled.
    pub fn attendance(&self) -> String {
        if self.session.status == SessionStatus::Held || self.marked > 0 || self.expected > 0 {
            format!("{}/{}", self.marked, self.expected)
        } else {
            "-".into()
        }
    }

    /// Held, or due today or earlier, and not every expected trainee marked.
    pub fn awaits_attendance(&self, today: NaiveDate) -> bool {
        !self.session.is_cancelled() && self.session.date <= today && self.marked < self.expected
    }

    pub fn status(&self, today: NaiveDate, lang: Lang) -> &'static str {
        match &self.session.status {
            SessionStatus::Cancelled { .. } => lang.pick("已取消", "cancelled"),
            SessionStatus::Held => lang.pick("已举行", "held"),
            SessionStatus::Planned if self.session.date <= today => lang.pick("待考勤", "to mark"),
            SessionStatus::Planned => lang.pick("计划", "planned"),
        }
    }
}

/// `11-28 周六` / `11-28 Sat`.
pub fn day_text(date: NaiveDate, lang: Lang) -> String {
    format!("{} {}", date.format("%m-%d"), weekday(date, lang))
}

pub use crate::domain::calendar::weekday_label as weekday;

/// Sets what each past whole-group session expects: the group's trainees in
/// training that day (only those ever enrolled can be: on a province group
/// that leaves out the applicants of every year). A class's sessions were
/// counted by `read`.
pub fn count_expected(rows: &mut [SessionRow], trainees: &[Trainee], today: NaiveDate) {
    let mut ever: Option<Vec<&Trainee>> = None;
    for row in rows {
        let s = &row.session;
        if s.class.is_some() || s.date > today || s.is_cancelled() {
            continue;
        }
        let ever = ever.get_or_insert_with(|| {
            trainees
                .iter()
                .filter(|t| t.stage == TraineeStage::Enrolled || t.stage == TraineeStage::Withdrawn)
                .collect()
        });
        let n = ever.iter().filter(|t| t.enrolled_on(s.date)).count();
        row.expected = n.max(row.marked);
    }
}

/// The group's sessions by date and time, and their filter keys. Whole-group
/// sessions expect the group's trainees, who may still be being read when
/// this runs: those rows expect their marks until `count_expected`.
pub fn read(
    r: &Reader<'_>,
    schools: &[(u64, String)],
    coach_names: &HashMap<u64, String>,
    classes: &[Class],
    project: crate::domain::ProjectId,
    today: NaiveDate,
) -> Result<(Vec<SessionRow>, Vec<SearchKey>), StoreError> {
    let mut sessions = r.sessions(project)?;
    sessions.sort_by_key(|s| (s.date, s.start, s.id));
    let mut rows = Vec::with_capacity(sessions.len());
    for s in sessions {
        let past = s.date <= today && !s.is_cancelled();
        let marked = if past || s.status == SessionStatus::Held {
            r.marks(&s)?.len()
        } else {
            0
        };
        let expected = match s.class.and_then(|c| classes.iter().find(|k| k.id == c)) {
            Some(class) if past => class.on(s.date).len(),
            _ => 0,
        };
        let school = match &s.place {
            Place::School { school, .. } => schools
                .iter()
                .find(|(id, _)| id == school)
                .map(|(_, n)| n.clone()),
            _ => None,
        };
        let coaches: Vec<String> = s
            .coaches
            .iter()
            .filter_map(|c| coach_names.get(c).cloned())
            .collect();
        rows.push(SessionRow {
            school,
            coaches,
            class: s
                .class
                .and_then(|c| classes.iter().find(|k| k.id == c))
                .map(|k| k.name.clone()),
            marked,
            expected: expected.max(marked),
            session: s,
        });
    }
    let keys = rows
        .iter()
        .map(|row| {
            let s = &row.session;
            SearchKey::new(&[
                &s.topic,
                &row.place(Lang::Zh),
                &row.coaches_text(Lang::Zh),
                row.class.as_deref().unwrap_or_default(),
                s.kind.label(Lang::Zh),
                s.kind.label(Lang::En),
                row.status(today, Lang::Zh),
                row.status(today, Lang::En),
                &s.date.to_string(),
            ])
        })
        .collect();
    Ok((rows, keys))
}
