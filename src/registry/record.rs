//! The records kept under their id in a tree of their own, and the one way
//! a command writes one back: put it, and say what was applied.

use serde::Serialize;

use super::command::RecordKind;
use super::{Applied, Snapshot, TxResult};
use crate::domain::{Assessment, BaseSchool, Coach, Person, ProjectId, Trainee};
use crate::store::{Tree, Tx, keys};

pub(crate) trait Record: Serialize {
    const TREE: Tree;
    const KIND: RecordKind;
    fn id(&self) -> u64;
    /// The group it belongs to, which decides who may change it and whose
    /// screens refresh; base schools are the bureau's.
    fn project(&self) -> Option<ProjectId>;
}

/// Writes `record` under its id; `before` is what it was, for the audit
/// trail and undo (none for a new record).
pub(crate) fn store<R: Record>(
    tx: &Tx<'_>,
    record: &R,
    before: Option<Snapshot>,
) -> TxResult<Applied> {
    tx.put(R::TREE, &keys::id(record.id()), record)?;
    Ok(Applied {
        kind: R::KIND,
        id: record.id(),
        project: record.project(),
        before,
    })
}

/// `record!(Type, tree, kind, |r| its group)`.
macro_rules! record {
    ($record:ty, $tree:ident, $kind:ident, $project:expr) => {
        impl Record for $record {
            const TREE: Tree = Tree::$tree;
            const KIND: RecordKind = RecordKind::$kind;
            fn id(&self) -> u64 {
                self.id
            }
            fn project(&self) -> Option<ProjectId> {
                let project: fn(&$record) -> Option<ProjectId> = $project;
                project(self)
            }
        }
    };
}

record!(Person, People, Person, |p| Some(p.subject));
record!(Coach, Coaches, Coach, |c| Some(c.project));
record!(BaseSchool, Schools, School, |_| None);
record!(Trainee, Trainees, Trainee, |t| Some(t.project));
record!(Assessment, Assessments, Assessment, |a| Some(a.project));
