//! Semester assessments: one per enrolled trainee per semester; corrections are
//! new facts that keep the earlier result.

use super::command::{Command, RecordKind};
use super::record::store;
use super::{
    Applied, Applying, RegistryError, Snapshot, TxResult, fresh, long_text, permit, refuse,
};
use crate::domain::field::Field;
use crate::domain::{Assessment, PriorResult, Score, Trainee, TraineeStage};
use crate::i18n::Lang;
use crate::store::{Tree, Tx, keys};

pub(super) fn apply(tx: &Tx<'_>, ctx: &Applying<'_>, command: &Command) -> TxResult<Applied> {
    use Command as C;
    match command {
        C::RecordAssessment {
            trainee,
            semester,
            outcome,
            score,
            note,
            date,
        } => {
            let Some(t) = tx.get::<Trainee, _>(Tree::Trainees, &keys::id(*trainee))? else {
                return refuse(RegistryError::NotFound {
                    kind: RecordKind::Trainee,
                    id: *trainee,
                });
            };
            permit(ctx.actor, command, Some(t.project), None)?;
            in_range(*score)?;
            if t.stage != TraineeStage::Enrolled {
                return refuse(RegistryError::NotEnrolled { name: t.name });
            }
            let results_key = keys::assessments_of_trainee(t.id);
            let mut results = tx.get_raw(Tree::Index, &results_key)?.unwrap_or_default();
            let taken = keys::semester_results(&results)
                .iter()
                .any(|(code, _)| *code == semester.code());
            if taken {
                return refuse(RegistryError::AlreadyAssessed {
                    name: t.name,
                    semester: *semester,
                });
            }
            let a = Assessment {
                id: ctx.new_id,
                trainee_id: t.id,
                project: t.project,
                semester: *semester,
                outcome: *outcome,
                score: *score,
                note: long_text(Field::Note, note)?,
                assessor: ctx.actor.login.clone(),
                date: *date,
                corrections: Vec::new(),
                stamp: ctx.stamp(),
            };
            tx.put(Tree::Assessments, &keys::id(a.id), &a)?;
            keys::push_semester_result(&mut results, a.semester, a.id);
            tx.put_raw(Tree::Index, &results_key, &results)?;
            tx.post(&keys::assessments_of_semester(a.project, a.semester), a.id)?;
            Ok(Applied {
                kind: RecordKind::Assessment,
                id: a.id,
                project: Some(a.project),
                before: None,
            })
        }
        C::CorrectAssessment {
            id,
            version,
            outcome,
            score,
            note,
            date,
        } => {
            let Some(mut a) = tx.get::<Assessment, _>(Tree::Assessments, &keys::id(*id))? else {
                return refuse(RegistryError::NotFound {
                    kind: RecordKind::Assessment,
                    id: *id,
                });
            };
            permit(ctx.actor, command, Some(a.project), None)?;
            fresh(
                &a.stamp,
                *version,
                &format!("{} {}", RecordKind::Assessment.label(Lang::Zh), a.id),
            )?;
            in_range(*score)?;
            let before = a.clone();
            a.corrections.push(PriorResult {
                outcome: a.outcome,
                score: a.score,
                note: std::mem::take(&mut a.note),
                assessor: a.assessor.clone(),
                date: a.date,
            });
            a.outcome = *outcome;
            a.score = *score;
            a.note = long_text(Field::Note, note)?;
            a.assessor = ctx.actor.login.clone();
            a.date = *date;
            a.stamp.touch(ctx.now, &ctx.actor.login);
            store(tx, &a, Some(Snapshot::Assessment(before)))
        }
        _ => refuse(RegistryError::Store(crate::store::StoreError::Sled(
            "misrouted command".into(),
        ))),
    }
}

/// A score lies in 0 to 100; the refusal gives the range.
fn in_range(score: Option<Score>) -> TxResult<()> {
    match score {
        Some(s) if !s.in_range() => refuse(RegistryError::NotBetween {
            field: Field::Score,
            value: s.to_string(),
            min: "0".into(),
            max: Score(Score::MAX_TENTHS).to_string(),
        }),
        _ => Ok(()),
    }
}
