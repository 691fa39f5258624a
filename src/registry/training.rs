//! Training (issue 19): sessions and series, classes, attendance, coaches'
//! development, the group's attendance threshold and the plan's parts.

use crate::domain::field::Field;
use chrono::{NaiveDate, NaiveTime};

use super::command::{Command, RecordKind};
use super::{
    Applied, Applying, RegistryError, Snapshot, TxResult, fresh, long_text, permit, refuse,
    required,
};
use crate::domain::calendar;
use crate::domain::text::{MEDIUM, SHORT};
use crate::domain::training::{
    Attendance, Class, Development, GroupSettings, MAX_SERIES, Membership, Place, Session,
    SessionStatus, series_days,
};
use crate::domain::{BaseSchool, Coach, ProjectId, Trainee, TraineeStage};
use crate::store::{Tree, Tx, keys};

fn misrouted<T>() -> TxResult<T> {
    refuse(RegistryError::Store(crate::store::StoreError::Sled(
        "misrouted command".into(),
    )))
}

/// The days a `PlanSessions` creates sessions on, with the active holiday
/// calendar: one day, or the series' days.
pub fn planned_days(command: &Command) -> Vec<NaiveDate> {
    match command.acting() {
        Command::PlanSessions {
            date,
            until: Some(until),
            every_days,
            ..
        } => series_days(calendar::active(), *date, *until, *every_days),
        Command::PlanSessions { date, .. } => vec![*date],
        _ => Vec::new(),
    }
}

/// How many record ids a command needs besides its first: the sessions of
/// a series after the first.
pub fn more_ids_needed(command: &Command) -> usize {
    planned_days(command).len().saturating_sub(1)
}

fn today(ctx: &Applying<'_>) -> NaiveDate {
    super::shanghai(ctx.now).date_naive()
}

fn session(tx: &Tx<'_>, id: u64) -> TxResult<Session> {
    match tx.get::<Session, _>(Tree::Sessions, &keys::id(id))? {
        Some(s) => Ok(s),
        None => refuse(RegistryError::NotFound {
            kind: RecordKind::Session,
            id,
        }),
    }
}

fn trainee(tx: &Tx<'_>, id: u64) -> TxResult<Trainee> {
    match tx.get::<Trainee, _>(Tree::Trainees, &keys::id(id))? {
        Some(t) => Ok(t),
        None => refuse(RegistryError::NotFound {
            kind: RecordKind::Trainee,
            id,
        }),
    }
}

fn class(tx: &Tx<'_>, id: u64) -> TxResult<Class> {
    match tx.get::<Class, _>(Tree::Classes, &keys::id(id))? {
        Some(c) => Ok(c),
        None => refuse(RegistryError::NotFound {
            kind: RecordKind::Class,
            id,
        }),
    }
}

fn coach(tx: &Tx<'_>, id: u64) -> TxResult<Coach> {
    match tx.get::<Coach, _>(Tree::Coaches, &keys::id(id))? {
        Some(c) => Ok(c),
        None => refuse(RegistryError::NotFound {
            kind: RecordKind::Coach,
            id,
        }),
    }
}

/// A base school approved for the group.
fn serving_school(tx: &Tx<'_>, id: u64, project: ProjectId) -> TxResult<BaseSchool> {
    let Some(s) = tx.get::<BaseSchool, _>(Tree::Schools, &keys::id(id))? else {
        return refuse(RegistryError::NotFound {
            kind: RecordKind::School,
            id,
        });
    };
    if !s.serves(project) {
        return refuse(RegistryError::SchoolNotServing {
            school: s.application.name,
            project,
        });
    }
    Ok(s)
}

fn times(start: NaiveTime, end: NaiveTime) -> TxResult<()> {
    if start < end {
        Ok(())
    } else {
        refuse(RegistryError::SessionTimes { start, end })
    }
}

fn place(tx: &Tx<'_>, p: &Place, project: ProjectId) -> TxResult<Place> {
    Ok(match p {
        Place::School { school, room } => {
            serving_school(tx, *school, project)?;
            Place::School {
                school: *school,
                room: super::optional(Field::Room, room, SHORT)?,
            }
        }
        Place::Online { link } => Place::Online {
            link: super::optional(Field::Link, link, MEDIUM)?,
        },
        Place::Other { name } => Place::Other {
            name: required(Field::Place, name, MEDIUM)?,
        },
    })
}

/// The days a session, class or development record may be dated: the years
/// a plan may name.
fn session_days() -> (NaiveDate, NaiveDate) {
    let (first, _) = crate::domain::dates::year_period(super::FIRST_YEAR);
    let (_, last) = crate::domain::dates::year_period(super::LAST_YEAR);
    (first, last)
}

/// `d` outside `from..=to`, refused naming the period.
fn date_outside(field: Field, d: NaiveDate, (from, to): (NaiveDate, NaiveDate)) -> RegistryError {
    RegistryError::Date(crate::domain::dates::DateOutside {
        field: field.ident(),
        date: d,
        from,
        to,
        why: None,
    })
}

fn session_date(field: Field, d: NaiveDate) -> TxResult<NaiveDate> {
    let days = session_days();
    if (days.0..=days.1).contains(&d) {
        Ok(d)
    } else {
        refuse(date_outside(field, d, days))
    }
}

fn put_session(tx: &Tx<'_>, s: &Session, before: Option<Session>) -> TxResult<Applied> {
    tx.put(Tree::Sessions, &keys::id(s.id), s)?;
    Ok(Applied {
        kind: RecordKind::Session,
        id: s.id,
        project: Some(s.project),
        before: before.map(Snapshot::Session),
    })
}

fn put_class(tx: &Tx<'_>, c: &Class, before: Option<Class>) -> TxResult<Applied> {
    tx.put(Tree::Classes, &keys::id(c.id), c)?;
    Ok(Applied {
        kind: RecordKind::Class,
        id: c.id,
        project: Some(c.project),
        before: before.map(Snapshot::Class),
    })
}

/// The ids of a group's classes: one index key holding them all (a group
/// has a handful), so a transaction reads it whole.
pub(super) fn class_ids(tx: &Tx<'_>, project: ProjectId) -> TxResult<Vec<u64>> {
    let bytes = tx
        .get_raw(Tree::Index, &keys::classes_of_group(project))?
        .unwrap_or_default();
    Ok(bytes.chunks_exact(8).filter_map(keys::read_id).collect())
}

/// Ends `t`'s placements in the group's classes on `date` (a withdrawal).
pub(super) fn leave_classes(
    tx: &Tx<'_>,
    ctx: &Applying<'_>,
    t: &Trainee,
    date: NaiveDate,
) -> TxResult<()> {
    for id in class_ids(tx, t.project)? {
        let mut c = class(tx, id)?;
        if !c.has_now(t.id) {
            continue;
        }
        for m in c.members.iter_mut() {
            if m.trainee == t.id && m.left.is_none() {
                m.left = Some(date.max(m.joined));
            }
        }
        c.stamp.touch(ctx.now, &ctx.actor.login);
        tx.put(Tree::Classes, &keys::id(c.id), &c)?;
    }
    Ok(())
}

pub(super) fn apply(tx: &Tx<'_>, ctx: &Applying<'_>, command: &Command) -> TxResult<Applied> {
    use Command as C;
    match command {
        C::PlanSessions {
            project,
            kind,
            date: _,
            until,
            every_days,
            start,
            end,
            place: at,
            topic,
            coaches,
            class: for_class,
        } => {
            permit(ctx.actor, command, Some(*project), None)?;
            times(*start, *end)?;
            let at = place(tx, at, *project)?;
            let topic = required(Field::Topic, topic, MEDIUM)?;
            for c in coaches {
                let c = coach(tx, *c)?;
                if c.project != *project {
                    return refuse(RegistryError::OtherGroup {
                        kind: RecordKind::Coach,
                        id: c.id,
                        project: *project,
                    });
                }
            }
            if let Some(k) = for_class {
                let k = class(tx, *k)?;
                if k.project != *project {
                    return refuse(RegistryError::OtherGroup {
                        kind: RecordKind::Class,
                        id: k.id,
                        project: *project,
                    });
                }
            }
            if until.is_some() && *every_days == 0 {
                return refuse(RegistryError::NotBetween {
                    field: Field::EveryDays,
                    value: "0".into(),
                    min: "1".into(),
                    max: "366".into(),
                });
            }
            let days = planned_days(command);
            if days.is_empty() {
                return refuse(RegistryError::EmptySeries);
            }
            if days.len() >= MAX_SERIES {
                return refuse(RegistryError::NotBetween {
                    field: Field::SeriesLength,
                    value: days.len().to_string(),
                    min: "1".into(),
                    max: (MAX_SERIES - 1).to_string(),
                });
            }
            if days.len() != ctx.more_ids.len() + 1 {
                // The holiday calendar changed between reserving the ids
                // and now: nothing is written; the same command again works.
                return refuse(RegistryError::Store(crate::store::StoreError::Sled(
                    "the holiday calendar changed while the series was planned; try again".into(),
                )));
            }
            let series = until.map(|_| ctx.new_id);
            let ids = std::iter::once(ctx.new_id).chain(ctx.more_ids.iter().copied());
            for (day, id) in days.into_iter().zip(ids) {
                let s = Session {
                    id,
                    project: *project,
                    series,
                    date: session_date(Field::Date, day)?,
                    start: *start,
                    end: *end,
                    kind: *kind,
                    place: at.clone(),
                    topic: topic.clone(),
                    coaches: coaches.clone(),
                    class: *for_class,
                    status: SessionStatus::Planned,
                    stamp: ctx.stamp(),
                };
                tx.put(Tree::Sessions, &keys::id(s.id), &s)?;
                tx.post(&keys::sessions_of_group(*project), s.id)?;
            }
            Ok(Applied {
                kind: RecordKind::Session,
                id: ctx.new_id,
                project: Some(*project),
                before: None,
            })
        }
        C::MoveSession {
            id,
            version,
            date,
            start,
            end,
            place: at,
        } => {
            let mut s = session(tx, *id)?;
            permit(ctx.actor, command, Some(s.project), None)?;
            fresh(&s.stamp, *version, &s.topic)?;
            let before = s.clone();
            if s.is_cancelled() {
                return refuse(RegistryError::SessionCancelled { topic: s.topic });
            }
            times(*start, *end)?;
            s.place = place(tx, at, s.project)?;
            s.date = session_date(Field::Date, *date)?;
            s.start = *start;
            s.end = *end;
            s.stamp.touch(ctx.now, &ctx.actor.login);
            put_session(tx, &s, Some(before))
        }
        C::CancelSession {
            id,
            version,
            date,
            reason,
        } => {
            let mut s = session(tx, *id)?;
            permit(ctx.actor, command, Some(s.project), None)?;
            fresh(&s.stamp, *version, &s.topic)?;
            let before = s.clone();
            if s.is_cancelled() {
                return refuse(RegistryError::SessionCancelled { topic: s.topic });
            }
            s.status = SessionStatus::Cancelled {
                date: *date,
                reason: required(Field::CancelReason, reason, MEDIUM)?,
            };
            s.stamp.touch(ctx.now, &ctx.actor.login);
            put_session(tx, &s, Some(before))
        }
        C::HoldSession { id, version } => {
            let mut s = session(tx, *id)?;
            permit(ctx.actor, command, Some(s.project), None)?;
            fresh(&s.stamp, *version, &s.topic)?;
            let before = s.clone();
            hold(&mut s, ctx)?;
            put_session(tx, &s, Some(before))
        }
        C::MarkAttendance {
            session: sid,
            trainee: tid,
            mark,
        } => {
            let mut s = session(tx, *sid)?;
            permit(ctx.actor, command, Some(s.project), None)?;
            let t = trainee(tx, *tid)?;
            if t.project != s.project {
                return refuse(RegistryError::OtherGroup {
                    kind: RecordKind::Trainee,
                    id: t.id,
                    project: s.project,
                });
            }
            if !t.enrolled_on(s.date) {
                return refuse(RegistryError::NotOnRoster {
                    name: t.name,
                    date: s.date,
                });
            }
            if s.status == SessionStatus::Planned {
                hold(&mut s, ctx)?;
                tx.put(Tree::Sessions, &keys::id(s.id), &s)?;
            } else if s.is_cancelled() {
                return refuse(RegistryError::SessionCancelled { topic: s.topic });
            }
            let a = Attendance {
                session: s.id,
                trainee: t.id,
                project: s.project,
                mark: *mark,
                stamp: ctx.stamp(),
            };
            tx.put(Tree::Attendance, &keys::attendance(s.id, t.id), &a)?;
            Ok(Applied {
                kind: RecordKind::Attendance,
                id: s.id,
                project: Some(s.project),
                before: None,
            })
        }
        C::AddClass {
            project,
            school,
            name,
        } => {
            permit(ctx.actor, command, Some(*project), None)?;
            serving_school(tx, *school, *project)?;
            let c = Class {
                id: ctx.new_id,
                project: *project,
                school: *school,
                name: required(Field::ClassName, name, SHORT)?,
                members: Vec::new(),
                stamp: ctx.stamp(),
            };
            let list = keys::classes_of_group(*project);
            let mut ids = tx.get_raw(Tree::Index, &list)?.unwrap_or_default();
            ids.extend_from_slice(&keys::id(c.id));
            tx.put_raw(Tree::Index, &list, &ids)?;
            put_class(tx, &c, None)
        }
        C::PlaceInClass {
            class: cid,
            trainee: tid,
            date,
        } => {
            let mut c = class(tx, *cid)?;
            permit(ctx.actor, command, Some(c.project), None)?;
            let t = trainee(tx, *tid)?;
            if t.project != c.project {
                return refuse(RegistryError::OtherGroup {
                    kind: RecordKind::Trainee,
                    id: t.id,
                    project: c.project,
                });
            }
            if t.stage != TraineeStage::Enrolled {
                return refuse(RegistryError::NotEnrolled { name: t.name });
            }
            for other in class_ids(tx, c.project)? {
                let other = class(tx, other)?;
                if other.has_now(t.id) {
                    return refuse(RegistryError::InAnotherClass {
                        name: t.name,
                        class: other.name,
                    });
                }
            }
            let date = session_date(Field::ClassDate, *date)?;
            if date > today(ctx) {
                return refuse(RegistryError::Date(crate::domain::dates::DateOutside {
                    field: Field::ClassDate.ident(),
                    date,
                    from: session_days().0,
                    to: today(ctx),
                    why: Some(crate::domain::dates::Period::Past),
                }));
            }
            let before = c.clone();
            c.members.push(Membership {
                trainee: t.id,
                joined: date,
                left: None,
            });
            c.stamp.touch(ctx.now, &ctx.actor.login);
            put_class(tx, &c, Some(before))
        }
        C::LeaveClass {
            class: cid,
            trainee: tid,
            date,
        } => {
            let mut c = class(tx, *cid)?;
            permit(ctx.actor, command, Some(c.project), None)?;
            let t = trainee(tx, *tid)?;
            let before = c.clone();
            let Some(m) = c
                .members
                .iter_mut()
                .find(|m| m.trainee == t.id && m.left.is_none())
            else {
                return refuse(RegistryError::NotInClass {
                    name: t.name,
                    class: c.name,
                });
            };
            if *date < m.joined || *date > session_days().1 {
                return refuse(date_outside(
                    Field::LeaveDate,
                    *date,
                    (m.joined, session_days().1),
                ));
            }
            m.left = Some(*date);
            c.stamp.touch(ctx.now, &ctx.actor.login);
            put_class(tx, &c, Some(before))
        }
        C::RecordDevelopment {
            coach: cid,
            kind,
            date,
            place: at,
            tenths,
            note,
        } => {
            let c = coach(tx, *cid)?;
            permit(ctx.actor, command, Some(c.project), None)?;
            if *tenths == 0 || *tenths > 24 * 10 * 60 {
                return refuse(RegistryError::NotBetween {
                    field: Field::Hours,
                    value: crate::domain::training::hours_text(*tenths),
                    min: "0.1".into(),
                    max: "1440".into(),
                });
            }
            let d = Development {
                id: ctx.new_id,
                project: c.project,
                coach: c.id,
                kind: *kind,
                date: session_date(Field::Date, *date)?,
                place: required(Field::Place, at, MEDIUM)?,
                tenths: *tenths,
                note: long_text(Field::Note, note)?,
                stamp: ctx.stamp(),
            };
            tx.put(Tree::Development, &keys::id(d.id), &d)?;
            tx.post(&keys::development_of_group(d.project), d.id)?;
            Ok(Applied {
                kind: RecordKind::Development,
                id: d.id,
                project: Some(d.project),
                before: None,
            })
        }
        C::SetAttendanceThreshold { project, percent } => {
            permit(ctx.actor, command, Some(*project), None)?;
            if *percent > 100 {
                return refuse(RegistryError::NotBetween {
                    field: Field::AttendanceThreshold,
                    value: percent.to_string(),
                    min: "0".into(),
                    max: "100".into(),
                });
            }
            let key = [project.index()];
            let old = tx.get::<GroupSettings, _>(Tree::Groups, &key)?;
            let settings = match &old {
                Some(g) => {
                    let mut g = g.clone();
                    g.attendance_threshold = *percent;
                    g.stamp.touch(ctx.now, &ctx.actor.login);
                    g
                }
                None => GroupSettings {
                    project: *project,
                    attendance_threshold: *percent,
                    stamp: ctx.stamp(),
                },
            };
            tx.put(Tree::Groups, &key, &settings)?;
            Ok(Applied {
                kind: RecordKind::Group,
                id: u64::from(project.index()),
                project: Some(*project),
                before: old.map(Snapshot::Group),
            })
        }
        _ => misrouted(),
    }
}

fn hold(s: &mut Session, ctx: &Applying<'_>) -> TxResult<()> {
    match s.status {
        SessionStatus::Planned => {
            if s.date > today(ctx) {
                return refuse(RegistryError::SessionAhead { date: s.date });
            }
            s.status = SessionStatus::Held;
            s.stamp.touch(ctx.now, &ctx.actor.login);
            Ok(())
        }
        SessionStatus::Held => Ok(()),
        SessionStatus::Cancelled { .. } => refuse(RegistryError::SessionCancelled {
            topic: s.topic.clone(),
        }),
    }
}

type R<T> = Result<T, crate::store::StoreError>;

use std::collections::HashMap;

use super::Registry;
use super::warning::Warning;
use crate::domain::Semester;
use crate::domain::training::{AttendanceRate, DEFAULT_ATTENDANCE_THRESHOLD};

impl Registry {
    pub fn session(&self, id: u64) -> R<Option<Session>> {
        self.store().get(Tree::Sessions, &keys::id(id))
    }

    /// A group's sessions by day and time.
    pub fn sessions(&self, project: ProjectId) -> R<Vec<Session>> {
        let mut out = Vec::new();
        for id in self.store().postings(&keys::sessions_of_group(project))? {
            if let Some(s) = self.session(id)? {
                out.push(s);
            }
        }
        out.sort_by_key(|s| (s.date, s.start, s.id));
        Ok(out)
    }

    pub fn all_sessions(&self) -> impl Iterator<Item = R<Session>> + '_ {
        self.store().values(Tree::Sessions)
    }

    pub fn class(&self, id: u64) -> R<Option<Class>> {
        self.store().get(Tree::Classes, &keys::id(id))
    }

    /// A group's classes, in the order they were made.
    pub fn classes(&self, project: ProjectId) -> R<Vec<Class>> {
        let bytes = self
            .store()
            .tree(Tree::Index)
            .get(keys::classes_of_group(project))?
            .map(|v| v.to_vec())
            .unwrap_or_default();
        let mut out = Vec::new();
        for id in bytes.chunks_exact(8).filter_map(keys::read_id) {
            if let Some(c) = self.class(id)? {
                out.push(c);
            }
        }
        Ok(out)
    }

    pub fn all_classes(&self) -> impl Iterator<Item = R<Class>> + '_ {
        self.store().values(Tree::Classes)
    }

    /// The class a trainee is in now.
    pub fn class_of(&self, t: &Trainee) -> R<Option<Class>> {
        Ok(self
            .classes(t.project)?
            .into_iter()
            .find(|c| c.has_now(t.id)))
    }

    /// The marks taken at a session, by trainee id.
    pub fn marks(&self, session: u64) -> R<Vec<Attendance>> {
        self.store()
            .values_with_prefix(Tree::Attendance, &keys::id(session))
            .collect()
    }

    pub fn all_marks(&self) -> impl Iterator<Item = R<Attendance>> + '_ {
        self.store().values(Tree::Attendance)
    }

    /// Who is expected at a session: the class's members that day, or every
    /// trainee of the group in training that day; then anyone else marked
    /// (a commuting trainee joining a class's session). In the order they
    /// applied.
    pub fn roster(&self, s: &Session) -> R<Vec<Trainee>> {
        let marked: Vec<u64> = self.marks(s.id)?.iter().map(|a| a.trainee).collect();
        let members = match s.class {
            Some(c) => self.class(c)?.map(|c| c.on(s.date)),
            None => None,
        };
        // A class's session reads its members and whoever was marked, by
        // id, not the group's 17,000 trainees of a province.
        if let Some(members) = &members {
            let mut ids: Vec<u64> = members.iter().chain(&marked).copied().collect();
            ids.sort_unstable();
            ids.dedup();
            let mut out = Vec::with_capacity(ids.len());
            for id in ids {
                out.extend(self.trainee(id)?.filter(|t| t.project == s.project));
            }
            return Ok(out);
        }
        let trainees = self.trainees(s.project)?;
        Ok(trainees
            .into_iter()
            .filter(|t| marked.contains(&t.id) || t.enrolled_on(s.date))
            .collect())
    }

    /// Every trainee's attendance of the group's held sessions in
    /// `semester`.
    pub fn attendance_rates(
        &self,
        project: ProjectId,
        semester: Semester,
    ) -> R<HashMap<u64, AttendanceRate>> {
        let mut out: HashMap<u64, AttendanceRate> = HashMap::new();
        for s in self.sessions(project)? {
            if s.status != SessionStatus::Held || s.semester() != semester {
                continue;
            }
            for a in self.marks(s.id)? {
                out.entry(a.trainee).or_default().add(a.mark);
            }
        }
        Ok(out)
    }

    /// One trainee's attendance in `semester`.
    pub fn attendance_rate(&self, t: &Trainee, semester: Semester) -> R<AttendanceRate> {
        let mut rate = AttendanceRate::default();
        for s in self.sessions(t.project)? {
            if s.status != SessionStatus::Held || s.semester() != semester {
                continue;
            }
            if let Some(a) = self
                .store()
                .get::<Attendance>(Tree::Attendance, &keys::attendance(s.id, t.id))?
            {
                rate.add(a.mark);
            }
        }
        Ok(rate)
    }

    /// The percent under which the group's trainees are flagged.
    pub fn attendance_threshold(&self, project: ProjectId) -> R<u8> {
        Ok(self
            .store()
            .get::<GroupSettings>(Tree::Groups, &[project.index()])?
            .map_or(DEFAULT_ATTENDANCE_THRESHOLD, |g| g.attendance_threshold))
    }

    /// The group's trainees in training whose attendance in `semester` is
    /// under the group's threshold, lowest first.
    pub fn low_attendance(
        &self,
        project: ProjectId,
        semester: Semester,
    ) -> R<Vec<(Trainee, AttendanceRate)>> {
        let threshold = self.attendance_threshold(project)?;
        let rates = self.attendance_rates(project, semester)?;
        // Only the trainees under the line are read, by id: a province
        // group has 17,000, and the overview asks again at every mark.
        let mut out: Vec<(Trainee, AttendanceRate)> = Vec::new();
        for (&id, &rate) in rates.iter().filter(|(_, r)| r.under(threshold)) {
            if let Some(t) = self.trainee(id)?
                && t.project == project
                && t.stage == TraineeStage::Enrolled
            {
                out.push((t, rate));
            }
        }
        out.sort_by_key(|(t, r)| (r.percent(), t.id));
        Ok(out)
    }

    pub fn development_record(&self, id: u64) -> R<Option<Development>> {
        self.store().get(Tree::Development, &keys::id(id))
    }

    /// The group's coaches' development records, by date.
    pub fn development(&self, project: ProjectId) -> R<Vec<Development>> {
        let mut out = Vec::new();
        for id in self
            .store()
            .postings(&keys::development_of_group(project))?
        {
            if let Some(d) = self.development_record(id)? {
                out.push(d);
            }
        }
        out.sort_by_key(|d| (d.date, d.id));
        Ok(out)
    }

    pub fn all_development(&self) -> impl Iterator<Item = R<Development>> + '_ {
        self.store().values(Tree::Development)
    }

    /// Tenths of an hour of the group's coaches' development in `year`.
    pub fn development_tenths(&self, project: ProjectId, year: i32) -> R<u32> {
        Ok(self
            .development(project)?
            .iter()
            .filter(|d| crate::domain::training::development_year(d) == year)
            .map(|d| d.tenths)
            .sum())
    }

    /// The double bookings of sessions just planned or moved: a coach (the
    /// same person, whatever the group) or a place in another session at
    /// the same time. Named by the other session.
    pub(super) fn booking_warnings(&self, new: &[Session]) -> R<Vec<Vec<Warning>>> {
        let mut out = vec![Vec::new(); new.len()];
        if new.is_empty() {
            return Ok(out);
        }
        let days: std::collections::HashSet<NaiveDate> = new.iter().map(|s| s.date).collect();
        let new_ids: std::collections::HashSet<u64> = new.iter().map(|s| s.id).collect();
        let mut others = Vec::new();
        for s in self.all_sessions() {
            let s = s?;
            if days.contains(&s.date) && !new_ids.contains(&s.id) && !s.is_cancelled() {
                others.push(s);
            }
        }
        let mut people: HashMap<u64, (u64, String)> = HashMap::new();
        let mut person = |appointment: u64| -> R<Option<(u64, String)>> {
            if let Some(p) = people.get(&appointment) {
                return Ok(Some(p.clone()));
            }
            let Some(c) = self.coach(appointment)? else {
                return Ok(None);
            };
            let name = self
                .person(c.person_id)?
                .map(|p| p.name)
                .unwrap_or_default();
            people.insert(appointment, (c.person_id, name.clone()));
            Ok(Some((c.person_id, name)))
        };
        for (i, s) in new.iter().enumerate() {
            for o in others.iter().filter(|o| o.overlaps(s)) {
                for a in &s.coaches {
                    let Some((pa, name)) = person(*a)? else {
                        continue;
                    };
                    let mut busy = false;
                    for b in &o.coaches {
                        if person(*b)?.is_some_and(|(pb, _)| pb == pa) {
                            busy = true;
                        }
                    }
                    if busy {
                        out[i].push(Warning::CoachBusy {
                            coach: name,
                            date: o.date,
                            start: o.start,
                            end: o.end,
                            topic: o.topic.clone(),
                            project: o.project,
                            existing: o.id,
                        });
                    }
                }
                if s.place.clashes_with(&o.place) {
                    out[i].push(Warning::PlaceBusy {
                        date: o.date,
                        start: o.start,
                        end: o.end,
                        topic: o.topic.clone(),
                        project: o.project,
                        existing: o.id,
                    });
                }
            }
        }
        Ok(out)
    }
}
