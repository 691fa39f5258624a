//! Schema 4 to 5: training (issue 19) and 撤回申报 (issue 20).
//!
//! New trees (sessions, classes, attendance, development, groups) start
//! empty: nothing to rewrite for them. Two stored records grew a field:
//! the annual plan its parts (`AnnualCycle::parts`), the trainee its
//! retraction (`Trainee::retraction`). Both trees are bincode, so each
//! record is read in its schema-4 shape (frozen here) and written anew.
//! The audit trail is JSON since schema 4: its snapshots of plans and
//! trainees read as they are (both fields have a default), so it is left
//! alone. `TraineeStage`, `RecordKind`, `Snapshot` and `Command` only
//! gained variants at their end.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::{
    Announcement, AnnualCycle, Filing, Gender, Money, Objection, PlanParts, ProjectId, StageChange,
    Stamp, Target, Trainee, TraineeKind, TraineeStage, TrainingMode, Withdrawal,
};
use crate::store::codec::{self, FORMAT_BINCODE2, Format};
use crate::store::{Store, StoreError, Tree};

/// `AnnualCycle` as schemas 3 and 4 wrote it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(super) struct AnnualCycleV4 {
    pub project: ProjectId,
    pub year: i32,
    pub plan: Filing,
    pub report: Filing,
    pub goals: String,
    pub targets: Vec<Target>,
    pub budget: Vec<(String, Money)>,
    pub attainment: String,
    pub stamp: Stamp,
}

impl From<AnnualCycleV4> for AnnualCycle {
    fn from(c: AnnualCycleV4) -> AnnualCycle {
        AnnualCycle {
            project: c.project,
            year: c.year,
            plan: c.plan,
            report: c.report,
            goals: c.goals,
            targets: c.targets,
            budget: c.budget,
            attainment: c.attainment,
            stamp: c.stamp,
            parts: PlanParts::default(),
        }
    }
}

/// `Trainee` as schemas 3 and 4 wrote it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(super) struct TraineeV4 {
    pub id: u64,
    pub kind: TraineeKind,
    pub name: String,
    pub gender: Gender,
    pub home_school: String,
    pub district: String,
    pub grade: String,
    pub phone: String,
    pub project: ProjectId,
    pub recommenders: Vec<String>,
    pub stage: TraineeStage,
    pub history: Vec<StageChange>,
    pub announcement: Option<Announcement>,
    pub objections: Vec<Objection>,
    pub training_mode: Option<TrainingMode>,
    pub commitment_signed: Option<NaiveDate>,
    pub withdrawals: Vec<Withdrawal>,
    pub stamp: Stamp,
}

impl From<TraineeV4> for Trainee {
    fn from(t: TraineeV4) -> Trainee {
        Trainee {
            id: t.id,
            kind: t.kind,
            name: t.name,
            gender: t.gender,
            home_school: t.home_school,
            district: t.district,
            grade: t.grade,
            phone: t.phone,
            project: t.project,
            recommenders: t.recommenders,
            stage: t.stage,
            history: t.history,
            announcement: t.announcement,
            objections: t.objections,
            training_mode: t.training_mode,
            commitment_signed: t.commitment_signed,
            withdrawals: t.withdrawals,
            stamp: t.stamp,
            retraction: None,
        }
    }
}

fn damaged(t: Tree, e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt {
        tree: t.name(),
        detail: format!("schema 4 to 5: {e}"),
    }
}

/// Rewrites every bincode record of `tree` from `Old` to `New`.
fn rewrite<Old, New>(store: &Store, tree: Tree) -> Result<(), StoreError>
where
    Old: serde::de::DeserializeOwned,
    New: Serialize + From<Old>,
{
    let mut batch = sled::Batch::default();
    let mut pending = 0usize;
    for kv in store.raw(tree) {
        let (k, v) = kv?;
        if v.first() != Some(&FORMAT_BINCODE2) {
            continue;
        }
        let old: Old = codec::decode(&v).map_err(|e| damaged(tree, e))?;
        let new =
            codec::encode_as(Format::Bincode2, &New::from(old)).map_err(|e| damaged(tree, e))?;
        batch.insert(k, new);
        pending += 1;
        if pending >= 10_000 {
            store.tree(tree).apply_batch(std::mem::take(&mut batch))?;
            pending = 0;
        }
    }
    store.tree(tree).apply_batch(batch)?;
    Ok(())
}

pub fn to_v5(store: &Store) -> Result<(), StoreError> {
    rewrite::<AnnualCycleV4, AnnualCycle>(store, Tree::Cycles)?;
    rewrite::<TraineeV4, Trainee>(store, Tree::Trainees)?;
    store.flush()
}
