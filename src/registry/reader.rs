//! Reads as one user may make them: `registry.reader(&actor)` returns only
//! the records the actor's role may read, with phone numbers masked
//! (`138****1234`) for coaches, finance and viewers (and for a chief outside
//! their own group). The views (`tui::model`), the exports and the CLI's read
//! commands read through it, so a role's limits hold for every front end,
//! not only in what a screen chooses to draw.
//!
//! What each role reads:
//! - admin and finance: every group (finance with phone numbers masked);
//! - chief and coach: their own group; viewer: the listed groups;
//! - everyone: the overview's numbers of every group (`counts`, `balance`,
//!   the plan's and report's filing state through `cycle`, `assessed_count`);
//! - people: those of a readable subject or appointed to a readable group;
//!   base schools: those that applied for a readable group;
//! - ledger accounts of a readable group, or of a base school the role reads;
//! - the audit trail: entries of a readable group; entries of no group
//!   (users, people, base schools) for admin and finance only;
//! - users: admin all of them, anyone else only themselves.

use chrono::{DateTime, NaiveDate, Utc};

use super::audit::{AuditEntry, Snapshot};
use super::command::{Command, RecordKind};
use super::{GroupCounts, Registry};
use crate::domain::achievement::Achievement;
use crate::domain::training::{Attendance, AttendanceRate, Class, Development, Session};
use crate::domain::{
    Account, AnnualCycle, Assessment, Balance, BaseSchool, Coach, Entry, Holder, Person, ProjectId,
    Role, Semester, Trainee, User,
};
use crate::store::{StoreError, keys};

type R<T> = Result<T, StoreError>;

/// The name shown where a role may see that a record exists but not whose.
pub const HIDDEN: &str = "***";

/// A phone number with its middle hidden: `13812341234` -> `138****1234`.
/// Short or empty values become `****` (or stay empty).
pub fn mask_phone(phone: &str) -> String {
    let chars: Vec<char> = phone.chars().collect();
    if chars.is_empty() {
        return String::new();
    }
    if chars.len() < 8 {
        return "****".into();
    }
    let head: String = chars[..3].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}****{tail}")
}

impl Registry {
    /// The reads `actor` may make.
    pub fn reader<'a>(&'a self, actor: &'a crate::domain::Actor) -> Reader<'a> {
        Reader {
            registry: self,
            role: &actor.role,
            login: &actor.login,
        }
    }
}

#[derive(Clone, Copy)]
pub struct Reader<'a> {
    registry: &'a Registry,
    role: &'a Role,
    login: &'a str,
}

impl<'a> Reader<'a> {
    pub fn role(&self) -> &Role {
        self.role
    }

    pub fn today(&self) -> NaiveDate {
        self.registry.today()
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.registry.now()
    }

    /// Whether the role reads every group (admin, finance).
    pub fn reads_all(&self) -> bool {
        matches!(self.role, Role::Admin | Role::Finance)
    }

    pub fn can_read(&self, p: ProjectId) -> bool {
        self.role.can_read(p)
    }

    fn phones(&self, p: Option<ProjectId>) -> bool {
        self.role.sees_phones(p)
    }

    fn trainee_view(&self, mut t: Trainee) -> Option<Trainee> {
        if !self.can_read(t.project) {
            return None;
        }
        if !self.phones(Some(t.project)) {
            t.phone = mask_phone(&t.phone);
        }
        Some(t)
    }

    pub fn trainee(&self, id: u64) -> R<Option<Trainee>> {
        Ok(self
            .registry
            .trainee(id)?
            .and_then(|t| self.trainee_view(t)))
    }

    pub fn trainees(&self, p: ProjectId) -> R<Vec<Trainee>> {
        if !self.can_read(p) {
            return Ok(Vec::new());
        }
        Ok(self
            .registry
            .trainees(p)?
            .into_iter()
            .filter_map(|t| self.trainee_view(t))
            .collect())
    }

    pub fn all_trainees(&self) -> impl Iterator<Item = R<Trainee>> + 'a {
        let me = *self;
        self.registry
            .all_trainees()
            .filter_map(move |t| t.map(|t| me.trainee_view(t)).transpose())
    }

    /// The overview's numbers: every role reads them for every group.
    pub fn counts(&self, p: ProjectId) -> R<GroupCounts> {
        self.registry.counts(p)
    }

    /// A semester's results and who is due one: counts everyone may see.
    pub fn semester_progress(
        &self,
        p: ProjectId,
        semester: crate::domain::Semester,
    ) -> R<(usize, usize)> {
        self.registry.semester_progress(p, semester)
    }

    fn person_readable(&self, person: &Person) -> R<bool> {
        if self.reads_all() || self.can_read(person.subject) {
            return Ok(true);
        }
        for id in self
            .registry
            .store()
            .postings(&keys::appointments_of_person(person.id))?
        {
            if let Some(c) = self.registry.coach(id)?
                && self.can_read(c.project)
            {
                return Ok(true);
            }
        }
        Ok(false)
    }

    fn person_view(&self, mut p: Person) -> R<Option<Person>> {
        if !self.person_readable(&p)? {
            return Ok(None);
        }
        if !self.phones(Some(p.subject)) {
            p.phone = mask_phone(&p.phone);
        }
        Ok(Some(p))
    }

    pub fn person(&self, id: u64) -> R<Option<Person>> {
        match self.registry.person(id)? {
            Some(p) => self.person_view(p),
            None => Ok(None),
        }
    }

    pub fn people(&self) -> impl Iterator<Item = R<Person>> + 'a {
        let me = *self;
        self.registry
            .people()
            .filter_map(move |p| p.and_then(|p| me.person_view(p)).transpose())
    }

    pub fn coach(&self, id: u64) -> R<Option<Coach>> {
        Ok(self
            .registry
            .coach(id)?
            .filter(|c| self.can_read(c.project)))
    }

    pub fn coaches(&self, p: ProjectId) -> R<Vec<Coach>> {
        if !self.can_read(p) {
            return Ok(Vec::new());
        }
        self.registry.coaches(p)
    }

    pub fn all_coaches(&self) -> impl Iterator<Item = R<Coach>> + 'a {
        let me = *self;
        self.registry
            .all_coaches()
            .filter(move |c| c.as_ref().map_or(true, |c| me.can_read(c.project)))
    }

    fn school_view(&self, mut s: BaseSchool) -> Option<BaseSchool> {
        let readable = self.reads_all() || s.application.projects.iter().any(|p| self.can_read(*p));
        if !readable {
            return None;
        }
        let own = s.application.projects.iter().any(|p| self.phones(Some(*p)));
        if !own {
            s.application.phone = mask_phone(&s.application.phone);
        }
        Some(s)
    }

    pub fn school(&self, id: u64) -> R<Option<BaseSchool>> {
        Ok(self.registry.school(id)?.and_then(|s| self.school_view(s)))
    }

    pub fn schools(&self) -> R<Vec<BaseSchool>> {
        Ok(self
            .registry
            .schools()?
            .into_iter()
            .filter_map(|s| self.school_view(s))
            .collect())
    }

    /// Every base school, named, for counting and naming what serves a
    /// group on the overview; phones masked as for `schools`, and schools
    /// the role may not read reduced to their groups and stage.
    pub fn school_outlines(&self) -> R<Vec<BaseSchool>> {
        Ok(self
            .registry
            .schools()?
            .into_iter()
            .map(|s| match self.school_view(s.clone()) {
                Some(v) => v,
                None => outline(s),
            })
            .collect())
    }

    pub fn assessment(&self, id: u64) -> R<Option<Assessment>> {
        Ok(self
            .registry
            .assessment(id)?
            .filter(|a| self.can_read(a.project)))
    }

    pub fn assessment_for(&self, trainee: u64, semester: Semester) -> R<Option<Assessment>> {
        Ok(self
            .registry
            .assessment_for(trainee, semester)?
            .filter(|a| self.can_read(a.project)))
    }

    pub fn assessments(&self, p: ProjectId, semester: Semester) -> R<Vec<Assessment>> {
        if !self.can_read(p) {
            return Ok(Vec::new());
        }
        self.registry.assessments(p, semester)
    }

    pub fn all_assessments(&self) -> impl Iterator<Item = R<Assessment>> + 'a {
        let me = *self;
        self.registry
            .all_assessments()
            .filter(move |a| a.as_ref().map_or(true, |a| me.can_read(a.project)))
    }

    /// The overview's count of results: every role reads it.
    pub fn assessed_count(&self, p: ProjectId, semester: Semester) -> R<usize> {
        self.registry.assessed_count(p, semester)
    }

    pub fn assessments_of(&self, trainee: u64) -> R<Vec<Assessment>> {
        Ok(self
            .registry
            .assessments_of(trainee)?
            .into_iter()
            .filter(|a| self.can_read(a.project))
            .collect())
    }

    /// The achievements of the groups the role reads, in the order recorded
    /// (the evaluation counts only what its reader may see).
    pub fn achievements(&self) -> impl Iterator<Item = R<Achievement>> + 'a {
        let me = *self;
        self.registry
            .achievements()
            .filter(move |a| a.as_ref().map_or(true, |a| me.can_read(a.project)))
    }

    /// One trainee's achievements, for their details.
    pub fn achievements_of(&self, trainee: u64) -> R<Vec<Achievement>> {
        self.achievements()
            .filter(|a| a.as_ref().map_or(true, |a| a.trainee == trainee))
            .collect()
    }

    /// Whether the role reads this account's entries and its line in the
    /// ledger lists.
    pub fn can_read_account(&self, account: &Account) -> R<bool> {
        if self.reads_all() {
            return Ok(true);
        }
        Ok(match account.holder {
            Holder::Project(p) => self.can_read(p),
            Holder::School(id) => self.school(id)?.is_some(),
        })
    }

    pub fn entry(&self, id: u64) -> R<Option<Entry>> {
        match self.registry.entry(id)? {
            Some(e) if self.can_read_account(&e.account)? => Ok(Some(e)),
            _ => Ok(None),
        }
    }

    pub fn entries(&self, account: &Account) -> R<Vec<Entry>> {
        if !self.can_read_account(account)? {
            return Ok(Vec::new());
        }
        self.registry.entries(account)
    }

    pub fn all_entries(&self) -> impl Iterator<Item = R<Entry>> + 'a {
        let me = *self;
        self.registry.all_entries().filter_map(move |e| match e {
            Ok(e) => match me.can_read_account(&e.account) {
                Ok(true) => Some(Ok(e)),
                Ok(false) => None,
                Err(x) => Some(Err(x)),
            },
            Err(x) => Some(Err(x)),
        })
    }

    pub fn reversed_by(&self, entry: u64) -> R<Option<u64>> {
        if self.entry(entry)?.is_none() {
            return Ok(None);
        }
        self.registry.reversed_by(entry)
    }

    /// One account's running totals: an overview number, read by every role.
    pub fn balance(&self, account: &Account) -> R<Balance> {
        self.registry.balance(account)
    }

    /// The accounts the role reads, with their totals (the ledger overview,
    /// `qiangji ledger`).
    pub fn balances(&self) -> R<Vec<(Account, Balance)>> {
        let mut out = Vec::new();
        for (a, b) in self.registry.balances()? {
            if self.can_read_account(&a)? {
                out.push((a, b));
            }
        }
        Ok(out)
    }

    /// A group's plan of a year. Every role reads whether the plan and the
    /// report were submitted or filed (the overview); the content only a role
    /// that reads the group.
    pub fn cycle(&self, p: ProjectId, year: i32) -> R<Option<AnnualCycle>> {
        let c = self.registry.cycle(p, year)?;
        if self.can_read(p) {
            return Ok(c);
        }
        Ok(c.map(|mut c| {
            c.goals.clear();
            c.targets.clear();
            c.budget.clear();
            c.attainment.clear();
            c.parts = Default::default();
            c
        }))
    }

    /// A group's sessions (a role that reads the group).
    pub fn sessions(&self, p: ProjectId) -> R<Vec<Session>> {
        if !self.can_read(p) {
            return Ok(Vec::new());
        }
        self.registry.sessions(p)
    }

    pub fn session(&self, id: u64) -> R<Option<Session>> {
        Ok(self
            .registry
            .session(id)?
            .filter(|s| self.can_read(s.project)))
    }

    /// One class by id.
    pub fn class(&self, id: u64) -> R<Option<Class>> {
        Ok(self
            .registry
            .class(id)?
            .filter(|c| self.can_read(c.project)))
    }

    pub fn classes(&self, p: ProjectId) -> R<Vec<Class>> {
        if !self.can_read(p) {
            return Ok(Vec::new());
        }
        self.registry.classes(p)
    }

    /// The marks taken at a session, for a role that reads its group.
    pub fn marks(&self, s: &Session) -> R<Vec<Attendance>> {
        if !self.can_read(s.project) {
            return Ok(Vec::new());
        }
        self.registry.marks(s.id)
    }

    /// A session's roster and the marks taken, for a role that reads its
    /// group.
    pub fn roster(&self, s: &Session) -> R<Vec<(Trainee, Option<Attendance>)>> {
        if !self.can_read(s.project) {
            return Ok(Vec::new());
        }
        let marks = self.registry.marks(s.id)?;
        Ok(self
            .registry
            .roster(s)?
            .into_iter()
            .filter_map(|t| self.trainee_view(t))
            .map(|t| {
                let m = marks.iter().find(|a| a.trainee == t.id).cloned();
                (t, m)
            })
            .collect())
    }

    pub fn attendance_rate(&self, t: &Trainee, semester: Semester) -> R<AttendanceRate> {
        if !self.can_read(t.project) {
            return Ok(AttendanceRate::default());
        }
        self.registry.attendance_rate(t, semester)
    }

    /// Every trainee's attendance of the group's held sessions in
    /// `semester` (a role that reads the group).
    pub fn attendance_rates(
        &self,
        p: ProjectId,
        semester: Semester,
    ) -> R<std::collections::HashMap<u64, AttendanceRate>> {
        if !self.can_read(p) {
            return Ok(Default::default());
        }
        self.registry.attendance_rates(p, semester)
    }

    /// The overview's alert: trainees under the group's attendance
    /// threshold (a role that reads the group; others see none).
    pub fn low_attendance(
        &self,
        p: ProjectId,
        semester: Semester,
    ) -> R<Vec<(Trainee, AttendanceRate)>> {
        if !self.can_read(p) {
            return Ok(Vec::new());
        }
        Ok(self
            .registry
            .low_attendance(p, semester)?
            .into_iter()
            .filter_map(|(t, r)| self.trainee_view(t).map(|t| (t, r)))
            .collect())
    }

    pub fn attendance_threshold(&self, p: ProjectId) -> R<u8> {
        self.registry.attendance_threshold(p)
    }

    pub fn development(&self, p: ProjectId) -> R<Vec<Development>> {
        if !self.can_read(p) {
            return Ok(Vec::new());
        }
        self.registry.development(p)
    }

    pub fn cycles(&self) -> impl Iterator<Item = R<AnnualCycle>> + 'a {
        let me = *self;
        self.registry
            .cycles()
            .filter(move |c| c.as_ref().map_or(true, |c| me.can_read(c.project)))
    }

    /// Admin reads every user; anyone else only themselves.
    pub fn users(&self) -> R<Vec<User>> {
        let all = self.registry.users()?;
        Ok(match self.role {
            Role::Admin => all,
            _ => all.into_iter().filter(|u| u.login == self.login).collect(),
        })
    }

    /// Whether the role reads this audit entry, and the entry as it may read
    /// it (phones masked).
    pub fn audit_view(&self, mut e: AuditEntry) -> Option<AuditEntry> {
        let readable = match e.project {
            Some(p) => self.can_read(p),
            None => self.reads_all(),
        };
        if !readable {
            return None;
        }
        if !self.phones(e.project) {
            mask_command(&mut e.command);
            if let Some(s) = &mut e.before {
                mask_snapshot(s);
            }
        }
        Some(e)
    }

    /// The audit trail the role reads, oldest first.
    pub fn audit(&self) -> impl Iterator<Item = R<AuditEntry>> + 'a {
        let me = *self;
        self.registry
            .audit()
            .filter_map(move |e| e.map(|e| me.audit_view(e)).transpose())
    }

    /// The audit trail the role reads, newest first.
    pub fn audit_newest_first(&self) -> impl Iterator<Item = R<AuditEntry>> + 'a {
        let me = *self;
        self.registry
            .audit_newest_first()
            .filter_map(move |e| e.map(|e| me.audit_view(e)).transpose())
    }

    pub fn history(&self, kind: RecordKind, id: u64) -> R<Vec<AuditEntry>> {
        Ok(self
            .registry
            .history(kind, id)?
            .into_iter()
            .filter_map(|e| self.audit_view(e))
            .collect())
    }
}

/// A school the role may not read: its groups and stage, nothing else.
fn outline(mut s: BaseSchool) -> BaseSchool {
    let a = &mut s.application;
    a.name = HIDDEN.into();
    a.district.clear();
    a.principal.clear();
    a.phone.clear();
    a.chief_coach.name.clear();
    a.chief_coach.achievements.clear();
    a.track_record.clear();
    a.work_plan.clear();
    a.district_recommendation.clear();
    s.decision_note.clear();
    s
}

/// Hides the phone numbers a command carries. Every variant is named, so a
/// new command that carries a phone cannot slip through unmasked: the
/// compiler asks which kind it is.
fn mask_command(c: &mut Command) {
    use Command as C;
    match c {
        C::Apply(i) | C::ApplyRecommended { input: i, .. } => i.phone = mask_phone(&i.phone),
        C::UpdateContact { phone, .. } => *phone = mask_phone(phone),
        C::UpdateTrainee { details, .. } => details.phone = mask_phone(&details.phone),
        C::AddPerson(i) | C::UpdatePerson { input: i, .. } => i.phone = mask_phone(&i.phone),
        C::ApplySchool(a) => a.phone = mask_phone(&a.phone),
        C::Undo {
            undone, command, ..
        } => {
            mask_command(undone);
            mask_command(command);
        }
        // No phone in these.
        C::AddUser { .. }
        | C::RemoveUser { .. }
        | C::AddUserKey { .. }
        | C::RemoveUserKey { .. }
        | C::ChangeUser { .. }
        | C::Nominate { .. }
        | C::AdvanceCoach { .. }
        | C::DecideSchool { .. }
        | C::AddRecommender { .. }
        | C::Recommend { .. }
        | C::Select { .. }
        | C::Announce { .. }
        | C::RaiseObjection { .. }
        | C::ResolveObjection { .. }
        | C::File { .. }
        | C::Enrol { .. }
        | C::Withdraw { .. }
        | C::Reinstate { .. }
        | C::RecordAssessment { .. }
        | C::CorrectAssessment { .. }
        | C::AddEntry { .. }
        | C::ReverseEntry { .. }
        | C::SetPlan { .. }
        | C::RecordFiling { .. }
        | C::RecordAchievement { .. }
        | C::PlanSessions { .. }
        | C::MoveSession { .. }
        | C::CancelSession { .. }
        | C::HoldSession { .. }
        | C::MarkAttendance { .. }
        | C::AddClass { .. }
        | C::PlaceInClass { .. }
        | C::LeaveClass { .. }
        | C::RecordDevelopment { .. }
        | C::SetAttendanceThreshold { .. }
        | C::SetPlanParts { .. }
        | C::RetractApplication { .. }
        | C::CorrectApplication { .. } => {}
    }
}

/// Hides the phone numbers a record as it was carries; every kind named.
fn mask_snapshot(s: &mut Snapshot) {
    match s {
        Snapshot::Person(p) => p.phone = mask_phone(&p.phone),
        Snapshot::Trainee(t) => t.phone = mask_phone(&t.phone),
        Snapshot::School(x) => x.application.phone = mask_phone(&x.application.phone),
        // No phone in these.
        Snapshot::Coach(_)
        | Snapshot::Assessment(_)
        | Snapshot::Cycle(_)
        | Snapshot::Session(_)
        | Snapshot::Class(_)
        | Snapshot::Group(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_are_masked_in_the_middle() {
        assert_eq!(mask_phone("13812341234"), "138****1234");
        assert_eq!(mask_phone("0532-88881234"), "053****1234");
        assert_eq!(mask_phone("12345"), "****");
        assert_eq!(mask_phone(""), "");
    }
}
