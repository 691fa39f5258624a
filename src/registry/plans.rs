//! Each group's annual plan and completion report (annex 1-2).

use super::command::{Command, RecordKind};
use super::{
    Applied, Applying, RegistryError, Snapshot, TxResult, fresh, long_text, permit, refuse,
    required, year,
};
use crate::domain::field::Field;
use crate::domain::text::{MEDIUM, SHORT};
use crate::domain::{AnnualCycle, Document, Filing, PlanParts, ProjectId, Target};
use crate::store::{Tree, Tx, keys};

/// The id an annual cycle goes by in events and the audit trail.
pub fn cycle_id(project: ProjectId, year: i32) -> u64 {
    (u64::from(project.index()) << 32) | u64::from(year as u32)
}

/// A command on `project`'s cycle of `year`: permitted, the year checked,
/// and the cycle's key and record as it stands (if there is one yet).
fn cycle_of(
    tx: &Tx<'_>,
    ctx: &Applying<'_>,
    command: &Command,
    project: ProjectId,
    y: i32,
) -> TxResult<(i32, [u8; 5], Option<AnnualCycle>)> {
    permit(ctx.actor, command, Some(project), None)?;
    let y = year(y)?;
    let key = keys::cycle(project, y);
    let old = tx.get::<AnnualCycle, _>(Tree::Cycles, &key)?;
    Ok((y, key, old))
}

/// Writes `cycle`, which was `old` before this command.
fn put_cycle(
    tx: &Tx<'_>,
    key: &[u8; 5],
    cycle: &AnnualCycle,
    old: Option<AnnualCycle>,
) -> TxResult<Applied> {
    tx.put(Tree::Cycles, key, cycle)?;
    Ok(Applied {
        kind: RecordKind::Cycle,
        id: cycle_id(cycle.project, cycle.year),
        project: Some(cycle.project),
        before: old.map(Snapshot::Cycle),
    })
}

pub(super) fn apply(tx: &Tx<'_>, ctx: &Applying<'_>, command: &Command) -> TxResult<Applied> {
    use Command as C;
    match command {
        C::SetPlan {
            project,
            year: y,
            version,
            goals,
            targets,
            budget,
            attainment,
            amendment,
        } => {
            let (y, key, old) = cycle_of(tx, ctx, command, *project, *y)?;
            let mut cycle = match (&old, version) {
                (Some(c), Some(v)) => {
                    fresh(
                        &c.stamp,
                        *v,
                        &format!("{}{y}", project.group_name(crate::i18n::Lang::Zh)),
                    )?;
                    let mut c = c.clone();
                    c.stamp.touch(ctx.now, &ctx.actor.login);
                    c
                }
                // Someone created the plan since this command was built.
                (Some(c), None) => {
                    return refuse(RegistryError::Stale {
                        what: format!("{}{y}", project.group_name(crate::i18n::Lang::Zh)),
                        by: c.stamp.updated_by.clone(),
                        at: c.stamp.updated_at,
                        current: c.stamp.version,
                        yours: 0,
                    });
                }
                (None, _) => empty_cycle(*project, y, ctx),
            };
            cycle.goals = long_text(Field::Goals, goals)?;
            cycle.attainment = long_text(Field::Attainment, attainment)?;
            let mut clean_targets = Vec::with_capacity(targets.len());
            for t in targets {
                clean_targets.push(Target {
                    name: required(Field::Target, &t.name, MEDIUM)?,
                    ..t.clone()
                });
            }
            cycle.targets = clean_targets;
            let mut clean_budget = Vec::with_capacity(budget.len());
            for (category, amount) in budget {
                if amount.fen() < 0 {
                    return refuse(RegistryError::NotPositive);
                }
                if !amount.within_ceiling() {
                    return refuse(RegistryError::AmountTooLarge { amount: *amount });
                }
                clean_budget.push((required(Field::Category, category, SHORT)?, *amount));
            }
            cycle.budget = clean_budget;
            // A filed document changes only by a recorded amendment.
            let amendment = long_text(Field::Amendment, amendment)?;
            if let Some(old) = &old
                && amendment.is_empty()
            {
                let filed = |d: Filing| matches!(d, Filing::Filed { .. });
                // The plan: goals, targets and their goals, budget; the
                // report: what was attained.
                let plan_of = |c: &AnnualCycle| {
                    let targets: Vec<(&str, u32)> = c
                        .targets
                        .iter()
                        .map(|t| (t.name.as_str(), t.goal))
                        .collect();
                    (c.goals.clone(), format!("{targets:?}"), c.budget.clone())
                };
                let report_of = |c: &AnnualCycle| {
                    let attained: Vec<Option<u32>> = c.targets.iter().map(|t| t.attained).collect();
                    (c.attainment.clone(), attained)
                };
                let document = if filed(old.plan) && plan_of(old) != plan_of(&cycle) {
                    Some(Document::Plan)
                } else if filed(old.report) && report_of(old) != report_of(&cycle) {
                    Some(Document::Report)
                } else {
                    None
                };
                if let Some(document) = document {
                    return refuse(RegistryError::FiledDocument {
                        project: *project,
                        year: y,
                        document,
                    });
                }
            }
            put_cycle(tx, &key, &cycle, old)
        }
        C::SetPlanParts {
            project,
            year: y,
            version,
            parts,
            amendment,
        } => {
            let (y, key, old) = cycle_of(tx, ctx, command, *project, *y)?;
            let what = format!("{}{y}", project.group_name(crate::i18n::Lang::Zh));
            let mut cycle = match (&old, version) {
                (Some(c), Some(v)) => {
                    fresh(&c.stamp, *v, &what)?;
                    let mut c = c.clone();
                    c.stamp.touch(ctx.now, &ctx.actor.login);
                    c
                }
                (Some(c), None) => {
                    return refuse(RegistryError::Stale {
                        what,
                        by: c.stamp.updated_by.clone(),
                        at: c.stamp.updated_at,
                        current: c.stamp.version,
                        yours: 0,
                    });
                }
                (None, _) => empty_cycle(*project, y, ctx),
            };
            cycle.parts = PlanParts {
                criteria: long_text(Field::Criteria, &parts.criteria)?,
                management: long_text(Field::Management, &parts.management)?,
                training: long_text(Field::TrainingPlan, &parts.training)?,
                funding: long_text(Field::Funding, &parts.funding)?,
            };
            let amendment = long_text(Field::Amendment, amendment)?;
            if let Some(old) = &old
                && amendment.is_empty()
                && matches!(old.plan, Filing::Filed { .. })
                && old.parts != cycle.parts
            {
                return refuse(RegistryError::FiledDocument {
                    project: *project,
                    year: y,
                    document: Document::Plan,
                });
            }
            put_cycle(tx, &key, &cycle, old)
        }
        C::RecordFiling {
            project,
            year: y,
            document,
            date,
            filed,
        } => {
            let (y, key, old) = cycle_of(tx, ctx, command, *project, *y)?;
            let mut cycle = match &old {
                Some(c) => {
                    let mut c = c.clone();
                    c.stamp.touch(ctx.now, &ctx.actor.login);
                    c
                }
                None => empty_cycle(*project, y, ctx),
            };
            let current = cycle.filing(*document);
            // A completion report says what was attained.
            if *document == Document::Report && !filed && cycle.attainment.trim().is_empty() {
                return refuse(RegistryError::NeedAttainment {
                    project: *project,
                    year: y,
                });
            }
            let next = match (current, filed) {
                (Filing::NotSubmitted | Filing::Submitted(_), false) => Filing::Submitted(*date),
                (Filing::Submitted(submitted), true) if *date >= submitted => Filing::Filed {
                    submitted,
                    filed: *date,
                },
                _ => {
                    return refuse(RegistryError::FilingOrder {
                        document: *document,
                        current,
                        filed: *filed,
                    });
                }
            };
            match document {
                Document::Plan => cycle.plan = next,
                Document::Report => cycle.report = next,
            }
            put_cycle(tx, &key, &cycle, old)
        }
        _ => refuse(RegistryError::Store(crate::store::StoreError::Sled(
            "misrouted command".into(),
        ))),
    }
}

fn empty_cycle(project: ProjectId, year: i32, ctx: &Applying<'_>) -> AnnualCycle {
    AnnualCycle {
        project,
        year,
        plan: Filing::NotSubmitted,
        report: Filing::NotSubmitted,
        goals: String::new(),
        targets: Vec::new(),
        budget: Vec::new(),
        attainment: String::new(),
        stamp: ctx.stamp(),
        parts: PlanParts::default(),
    }
}
