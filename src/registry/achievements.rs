//! Trainees' achievements: recorded once each, never edited (a mistake is
//! answered by the record staying and the audit trail saying who wrote it).

use super::command::{Command, RecordKind};
use super::{Applied, Applying, RegistryError, TxResult, permit, refuse, required, year};
use crate::domain::Trainee;
use crate::domain::achievement::{Achievement, Feat};
use crate::domain::field::Field;
use crate::domain::text::MEDIUM;
use crate::store::{Tree, Tx, keys};

pub(super) fn apply(tx: &Tx<'_>, ctx: &Applying<'_>, command: &Command) -> TxResult<Applied> {
    let Command::RecordAchievement {
        trainee,
        year: y,
        feat,
    } = command
    else {
        return refuse(RegistryError::Store(crate::store::StoreError::Sled(
            "misrouted command".into(),
        )));
    };
    let Some(t) = tx.get::<Trainee, _>(Tree::Trainees, &keys::id(*trainee))? else {
        return refuse(RegistryError::NotFound {
            kind: RecordKind::Trainee,
            id: *trainee,
        });
    };
    permit(ctx.actor, command, Some(t.project), None)?;
    let y = year(*y)?;
    let feat = match feat {
        Feat::Prize {
            competition,
            level,
            award,
        } => Feat::Prize {
            competition: required(Field::Competition, competition, MEDIUM)?,
            level: *level,
            award: *award,
        },
        Feat::Admission { university } => Feat::Admission {
            university: required(Field::University, university, MEDIUM)?,
        },
    };
    let a = Achievement {
        id: ctx.new_id,
        trainee: t.id,
        project: t.project,
        year: y,
        feat,
        stamp: ctx.stamp(),
    };
    tx.put(Tree::Achievements, &keys::id(a.id), &a)?;
    Ok(Applied {
        kind: RecordKind::Achievement,
        id: a.id,
        project: Some(t.project),
        before: None,
    })
}
