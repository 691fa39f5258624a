//! Schema 3 to 4: users gain their language, and the two trees whose types
//! must grow without rewriting what is stored (the users and the audit
//! trail) move from bincode to JSON (see `store::codec`).
//!
//! What it reads: users in their schema-3 shape (`UserV3`, frozen here), and
//! audit entries in bincode of `AuditEntry` as it stood at schema 3, which is
//! today's type: `Command` has only grown at its end since (bincode numbers
//! variants in order, so the older entries decode). When a later schema
//! changes a type an audit entry holds (a command's fields, a snapshot's
//! record), freeze its schema-3 shape here: the schema-3 fixture test fails
//! until then.
//!
//! Schema 5 changed two such records (the annual plan gained its parts, the
//! trainee a retraction): an entry's snapshot is read as `SnapshotV3`, with
//! their shapes frozen in `v4`, and written as the JSON schema 4 wrote.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::v4::{AnnualCycleV4, TraineeV4};
use crate::domain::{Assessment, BaseSchool, Coach, Person, ProjectId};
use crate::domain::{Removal, Role, User, UserKey};
use crate::registry::command::{Command, RecordKind};
use crate::store::codec::{self, FORMAT_BINCODE2, Format};
use crate::store::{Store, StoreError, Tree, packed};

/// `Snapshot` as schemas 3 and 4 held it.
#[derive(Serialize, Deserialize)]
enum SnapshotV3 {
    Person(Person),
    Coach(Coach),
    School(BaseSchool),
    Trainee(TraineeV4),
    Assessment(Assessment),
    Cycle(AnnualCycleV4),
}

/// `AuditEntry` as schemas 3 and 4 held it.
#[derive(Serialize, Deserialize)]
struct AuditEntryV3 {
    id: u64,
    #[serde(with = "chrono::serde::ts_milliseconds")]
    at: DateTime<Utc>,
    actor: String,
    project: Option<ProjectId>,
    kind: RecordKind,
    record: u64,
    command: Command,
    before: Option<SnapshotV3>,
    key: Option<String>,
}

/// `User` as schema 3 wrote it.
#[derive(Deserialize)]
struct UserV3 {
    id: u64,
    login: String,
    display_name: String,
    role: Role,
    keys: Vec<UserKey>,
    #[serde(with = "chrono::serde::ts_milliseconds")]
    added: DateTime<Utc>,
    added_by: String,
    removed: Option<Removal>,
}

impl From<UserV3> for User {
    fn from(u: UserV3) -> User {
        User {
            id: u.id,
            login: u.login,
            display_name: u.display_name,
            role: u.role,
            keys: u.keys,
            added: u.added,
            added_by: u.added_by,
            removed: u.removed,
            lang: None,
        }
    }
}

fn damaged(t: Tree, e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt {
        tree: t.name(),
        detail: format!("schema 3 to 4: {e}"),
    }
}

pub fn to_v4(store: &Store) -> Result<(), StoreError> {
    let mut users = sled::Batch::default();
    for kv in store.raw(Tree::Users) {
        let (k, v) = kv?;
        if v.first() != Some(&FORMAT_BINCODE2) {
            continue;
        }
        let old: UserV3 = codec::decode(&v).map_err(|e| damaged(Tree::Users, e))?;
        let new = codec::encode_as(Format::Json, &User::from(old))
            .map_err(|e| damaged(Tree::Users, e))?;
        users.insert(k, new);
    }
    store.tree(Tree::Users).apply_batch(users)?;

    // Chunk by chunk: a province's audit trail is hundreds of MB, so it is
    // never held whole.
    let mut audit = sled::Batch::default();
    let mut pending = 0usize;
    for kv in store.raw(Tree::Audit) {
        let (k, chunk) = kv?;
        let rewritten = packed::map_frames(Tree::Audit, &chunk, |id, payload| {
            if payload.first() != Some(&FORMAT_BINCODE2) {
                return Ok(payload.to_vec());
            }
            let entry: AuditEntryV3 = codec::decode(payload)
                .map_err(|e| damaged(Tree::Audit, format!("entry {id}: {e}")))?;
            codec::encode_as(Format::Json, &entry).map_err(|e| damaged(Tree::Audit, e))
        })?;
        audit.insert(k, rewritten);
        pending += 1;
        if pending >= 1_000 {
            store
                .tree(Tree::Audit)
                .apply_batch(std::mem::take(&mut audit))?;
            pending = 0;
        }
    }
    store.tree(Tree::Audit).apply_batch(audit)?;
    store.flush()
}
