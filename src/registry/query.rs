//! Reads for the views, the CLI and exports. Reads go straight to the store
//! (sled reads are consistent per key); only the registry's `apply` writes.

use super::audit::AuditEntry;
use super::command::RecordKind;
use super::{GroupCounts, Registry};
use crate::domain::{
    Account, AnnualCycle, Assessment, Balance, BaseSchool, Coach, Entry, Person, ProjectId,
    Semester, Trainee, User,
};
use crate::store::{StoreError, Tree, keys};

type R<T> = Result<T, StoreError>;

impl Registry {
    pub fn trainee(&self, id: u64) -> R<Option<Trainee>> {
        self.store().get(Tree::Trainees, &keys::id(id))
    }

    /// A group's trainees (every stage), in the order they applied.
    pub fn trainees(&self, project: ProjectId) -> R<Vec<Trainee>> {
        self.listed(&keys::trainees_of_group(project), Tree::Trainees)
    }

    pub fn all_trainees(&self) -> impl Iterator<Item = R<Trainee>> + '_ {
        self.store().values(Tree::Trainees)
    }

    pub fn counts(&self, project: ProjectId) -> R<GroupCounts> {
        Ok(self
            .store()
            .get(Tree::Counters, &keys::project_key(project))?
            .unwrap_or_default())
    }

    pub fn person(&self, id: u64) -> R<Option<Person>> {
        self.store().get(Tree::People, &keys::id(id))
    }

    pub fn people(&self) -> impl Iterator<Item = R<Person>> + '_ {
        self.store().values(Tree::People)
    }

    pub fn coach(&self, id: u64) -> R<Option<Coach>> {
        self.store().get(Tree::Coaches, &keys::id(id))
    }

    /// A group's appointments, oldest first.
    pub fn coaches(&self, project: ProjectId) -> R<Vec<Coach>> {
        self.listed(&keys::coaches_of_group(project), Tree::Coaches)
    }

    pub fn all_coaches(&self) -> impl Iterator<Item = R<Coach>> + '_ {
        self.store().values(Tree::Coaches)
    }

    pub fn school(&self, id: u64) -> R<Option<BaseSchool>> {
        self.store().get(Tree::Schools, &keys::id(id))
    }

    pub fn schools(&self) -> R<Vec<BaseSchool>> {
        self.store().values(Tree::Schools).collect()
    }

    pub fn assessment(&self, id: u64) -> R<Option<Assessment>> {
        self.store().get(Tree::Assessments, &keys::id(id))
    }

    /// The result of one trainee in one semester, if recorded.
    pub fn assessment_for(&self, trainee: u64, semester: Semester) -> R<Option<Assessment>> {
        let found = self
            .semester_results(trainee)?
            .into_iter()
            .find(|(code, _)| *code == semester.code());
        match found {
            Some((_, id)) => self.assessment(id),
            None => Ok(None),
        }
    }

    /// A group's results for one semester.
    pub fn assessments(&self, project: ProjectId, semester: Semester) -> R<Vec<Assessment>> {
        self.listed(
            &keys::assessments_of_semester(project, semester),
            Tree::Assessments,
        )
    }

    pub fn all_assessments(&self) -> impl Iterator<Item = R<Assessment>> + '_ {
        self.store().values(Tree::Assessments)
    }

    pub fn entry(&self, id: u64) -> R<Option<Entry>> {
        self.store().journal_get(Tree::Entries, id)
    }

    /// The entries of one account in the order they were recorded.
    pub fn entries(&self, account: &Account) -> R<Vec<Entry>> {
        let ids = self.store().postings(&keys::entries_of_account(account))?;
        self.store().journal_get_sorted(Tree::Entries, &ids)
    }

    pub fn all_entries(&self) -> impl Iterator<Item = R<Entry>> + '_ {
        self.store().journal(Tree::Entries)
    }

    /// The id of the entry that reversed `entry`, if any.
    pub fn reversed_by(&self, entry: u64) -> R<Option<u64>> {
        Ok(self
            .store()
            .tree(Tree::Index)
            .get(keys::reversal_of(entry))?
            .and_then(|v| keys::read_id(&v)))
    }

    pub fn balance(&self, account: &Account) -> R<Balance> {
        Ok(self
            .store()
            .get(Tree::Balances, &keys::account(account))?
            .unwrap_or_default())
    }

    /// Every account that has entries, with its running totals: O(accounts).
    pub fn balances(&self) -> R<Vec<(Account, Balance)>> {
        let mut out = Vec::new();
        for kv in self.store().tree(Tree::Balances).iter() {
            let (k, v) = kv?;
            let account = keys::parse_account(&k).ok_or_else(|| StoreError::Corrupt {
                tree: "balances",
                detail: "unreadable account key".into(),
            })?;
            let b: Balance = crate::store::codec::decode(&v).map_err(|e| StoreError::Corrupt {
                tree: "balances",
                detail: e.to_string(),
            })?;
            out.push((account, b));
        }
        Ok(out)
    }

    pub fn cycle(&self, project: ProjectId, year: i32) -> R<Option<AnnualCycle>> {
        self.store().get(Tree::Cycles, &keys::cycle(project, year))
    }

    pub fn cycles(&self) -> impl Iterator<Item = R<AnnualCycle>> + '_ {
        self.store().values(Tree::Cycles)
    }

    pub fn users(&self) -> R<Vec<User>> {
        self.store().values(Tree::Users).collect()
    }

    pub fn user(&self, login: &str) -> R<Option<User>> {
        self.store().get(Tree::Users, login.as_bytes())
    }

    /// The audit trail, oldest first.
    pub fn audit(&self) -> impl Iterator<Item = R<AuditEntry>> + '_ {
        self.store().journal(Tree::Audit)
    }

    /// The audit trail, newest first.
    pub fn audit_newest_first(&self) -> impl Iterator<Item = R<AuditEntry>> + '_ {
        self.store().journal_newest_first(Tree::Audit)
    }

    /// The history of one record, oldest first.
    pub fn history(&self, kind: RecordKind, id: u64) -> R<Vec<AuditEntry>> {
        let mut out = Vec::new();
        for audit_id in self
            .store()
            .postings(&keys::history_of_record(kind.code(), id))?
        {
            out.extend(self.store().journal_get(Tree::Audit, audit_id)?);
        }
        Ok(out)
    }

    /// The stages of trainee `t` recorded more than a few days after their
    /// stated dates (补录), with both dates.
    pub fn late_stages(&self, t: &Trainee) -> R<Vec<super::late::LateStage>> {
        let history = self.history(RecordKind::Trainee, t.id)?;
        Ok(super::late::late_stages(t, &history))
    }

    /// The records of `tree` whose ids the posting list `list` holds, oldest
    /// first.
    /// The records of a posting list, in id order.
    fn listed<T: serde::de::DeserializeOwned + Send>(&self, list: &[u8], tree: Tree) -> R<Vec<T>> {
        let ids = self.store().postings(list)?;
        read_split(&ids, |part| {
            let mut out = Vec::with_capacity(part.len());
            for &id in part {
                out.extend(self.store().get(tree, &keys::id(id))?);
            }
            Ok(out)
        })
    }

    /// `(semester code, assessment id)` of every result of one trainee.
    fn semester_results(&self, trainee: u64) -> R<Vec<(u16, u64)>> {
        Ok(self
            .store()
            .tree(Tree::Index)
            .get(keys::assessments_of_trainee(trainee))?
            .map(|v| keys::semester_results(&v))
            .unwrap_or_default())
    }
}

impl Registry {
    /// How many of a group's trainees have a result for `semester`.
    pub fn assessed_count(&self, project: ProjectId, semester: Semester) -> R<usize> {
        Ok(self
            .store()
            .postings(&keys::assessments_of_semester(project, semester))?
            .len())
    }

    /// A semester's "done / due", the one definition every screen shows:
    /// due are the trainees enrolled now plus those with a result for the
    /// semester (withdrawn since, after failing it or not); done are those
    /// with a result. A withdrawal never makes a recorded result vanish.
    pub fn semester_progress(&self, project: ProjectId, semester: Semester) -> R<(usize, usize)> {
        let results = self.assessments(project, semester)?;
        let mut due = self.counts(project)?;
        let mut not_enrolled = 0;
        for a in &results {
            if self
                .trainee(a.trainee_id)?
                .is_some_and(|t| t.stage != crate::domain::TraineeStage::Enrolled)
            {
                not_enrolled += 1;
            }
        }
        due.enrolled_students += not_enrolled;
        Ok((
            results.len(),
            (due.enrolled_students + due.enrolled_teachers) as usize,
        ))
    }

    /// Every result of one trainee, oldest semester first.
    pub fn assessments_of(&self, trainee: u64) -> R<Vec<Assessment>> {
        let mut results = self.semester_results(trainee)?;
        results.sort_unstable();
        let mut out = Vec::new();
        for (_, id) in results {
            out.extend(self.assessment(id)?);
        }
        Ok(out)
    }
}

impl Registry {
    /// Every achievement, in the order recorded.
    pub fn achievements(
        &self,
    ) -> impl Iterator<Item = R<crate::domain::achievement::Achievement>> + '_ {
        self.store().values(Tree::Achievements)
    }
}

/// Reads the record of each id, in order. A province group's trainees are
/// 17,000 records to look up and decode: a long list is split over the
/// machine's cores (at most four), each part read on a thread of its own.
fn read_split<T: Send>(ids: &[u64], read: impl Fn(&[u64]) -> R<Vec<T>> + Sync) -> R<Vec<T>> {
    /// Below this a thread costs more than it saves.
    const SPLIT_FROM: usize = 2048;
    let part = &read;
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let parts = if ids.len() < SPLIT_FROM {
        1
    } else {
        cores.min(4)
    };
    if parts <= 1 {
        return part(ids);
    }
    std::thread::scope(|scope| {
        let threads: Vec<_> = ids
            .chunks(ids.len().div_ceil(parts))
            .map(|ids| scope.spawn(move || part(ids)))
            .collect();
        let mut out = Vec::with_capacity(ids.len());
        for thread in threads {
            match thread.join() {
                Ok(records) => out.extend(records?),
                // A reader cannot panic on stored data (a record that does
                // not decode is an error value); if one did, it goes on.
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        Ok(out)
    })
}
