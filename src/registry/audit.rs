//! The append-only audit trail: every applied command, who applied it and when,
//! and the record as it was before (for changes to existing records).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::command::{Command, RecordKind};
use crate::domain::{AnnualCycle, Assessment, BaseSchool, Coach, Person, ProjectId, Trainee};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Snapshot {
    Person(Person),
    Coach(Coach),
    School(BaseSchool),
    Trainee(Trainee),
    Assessment(Assessment),
    Cycle(AnnualCycle),
    // Schema 5.
    Session(crate::domain::training::Session),
    Class(crate::domain::training::Class),
    Group(crate::domain::training::GroupSettings),
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub id: u64,
    #[serde(with = "chrono::serde::ts_milliseconds")]
    pub at: DateTime<Utc>,
    pub actor: String,
    pub project: Option<ProjectId>,
    pub kind: RecordKind,
    pub record: u64,
    pub command: Command,
    pub before: Option<Snapshot>,
    /// The fingerprint of the SSH key the actor logged in with (none for
    /// local runs, where the file system is the permission).
    pub key: Option<String>,
}
