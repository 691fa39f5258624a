//! Upgrades: every schema from 3 on opens in every later build. A schema
//! step rewrites what changed shape between two versions (one module per
//! step, holding frozen copies of the old types it reads); `chain` runs the
//! steps from a database's version to this build's. Where it happens, and
//! that the original is kept untouched until the upgraded copy checks out,
//! is the store's part (`Store::open_upgrading`); a backup of an older
//! schema goes through the same chain after its checksum is verified
//! (`backup::restore`).
//!
//! The rule that keeps this short: a change to a stored record bumps
//! `SCHEMA_VERSION` and adds its step here, with a fixture of the schema
//! before it under `tests/fixtures/` (made by the build before the change,
//! with `qiangji demo --seed 2026`), which the tests open, upgrade and check.

mod v3;
mod v4;

use crate::i18n::Lang;
use crate::store::{SCHEMA_VERSION, Store, StoreError, Upgrader};

use super::{Clock, Registry};

/// The oldest schema the chain brings up: 1 and 2 were only ever written by
/// development builds.
pub const OLDEST: u32 = 3;

/// One schema step: from `from` to `from + 1`.
pub struct Step {
    pub from: u32,
    /// What it rewrites, for the log.
    pub what: &'static str,
    pub run: fn(&Store) -> Result<(), StoreError>,
}

/// This build's steps, oldest first.
pub const STEPS: &[Step] = &[
    Step {
        from: 3,
        what: "users gain their language; users and the audit trail are written as JSON",
        run: v3::to_v4,
    },
    Step {
        from: 4,
        what: "training records; annual plans gain their parts, trainees a retraction (撤回申报)",
        run: v4::to_v5,
    },
];

#[derive(Debug, thiserror::Error)]
pub enum MigrateError {
    #[error("no step from schema {0}")]
    NoStep(u32),
    #[error("schema {from} to {to}: {error}")]
    Step {
        from: u32,
        to: u32,
        error: StoreError,
    },
    #[error("{0}")]
    Store(#[from] StoreError),
}

/// Runs `steps` on `store` from schema `from` up to `to`, then records `to`
/// as its schema. The store is a copy nobody else sees (or a restore in
/// progress): a failure leaves it to be thrown away.
pub fn chain(store: &Store, from: u32, to: u32, steps: &[Step]) -> Result<(), MigrateError> {
    let mut at = from;
    while at < to {
        let step = steps
            .iter()
            .find(|s| s.from == at)
            .ok_or(MigrateError::NoStep(at))?;
        tracing::info!(from = at, to = at + 1, what = step.what, "schema step");
        (step.run)(store).map_err(|error| MigrateError::Step {
            from: at,
            to: at + 1,
            error,
        })?;
        at += 1;
    }
    store.force_schema_version(to)?;
    Ok(())
}

/// The registry's upgrader: the chain, then `check`. Records that break a
/// rule were already there and are left for `qiangji check` to list; a
/// record the upgrade left undecodable fails it.
pub struct Chain;

impl Upgrader for Chain {
    fn oldest(&self) -> u32 {
        OLDEST
    }

    fn upgrade(&self, store: Store, from: u32) -> Result<Store, String> {
        chain(&store, from, SCHEMA_VERSION, STEPS).map_err(|e| e.to_string())?;
        let registry = Registry {
            store,
            clock: Clock::System,
            gate: Default::default(),
            before_bulk: Default::default(),
            generations: Default::default(),
        };
        let report = registry.check(Lang::En).map_err(|e| e.to_string())?;
        if report.damaged > 0 {
            let first = report.violations.first().cloned().unwrap_or_default();
            return Err(format!(
                "{} records unreadable after the upgrade, first: {first}",
                report.damaged
            ));
        }
        if !report.ok() {
            tracing::warn!(
                violations = report.violations.len(),
                "upgraded; `qiangji check` lists what was already there"
            );
        }
        Ok(registry.store)
    }
}

/// Whether every schema from `OLDEST` to this build's has its step.
pub fn chain_has_no_gaps() -> bool {
    (OLDEST..SCHEMA_VERSION).all(|v| STEPS.iter().any(|s| s.from == v))
}
