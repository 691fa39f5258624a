//! The registry: the one writer. `apply(actor, command)` checks permission,
//! validates, and applies the command in one sled transaction that also updates
//! indexes, running balances, group counters and the audit trail, then flushes,
//! so a command that returned Ok survives a kill -9.

mod achievements;
mod assessments;
pub mod audit;
pub mod backup;
pub mod bulk;
pub mod check;
mod coaches;
pub mod command;
pub mod error;
pub mod late;
mod ledger;
pub mod migrate;
mod plans;
pub mod query;
pub mod reader;
mod record;
pub mod ssh_keys;
mod trainees;
mod training;
pub mod undo;
mod users;
pub mod warning;

use crate::domain::field::Field;
use std::path::Path;

use chrono::{DateTime, FixedOffset, NaiveDate, Offset, Utc};
use serde::{Deserialize, Serialize};

pub use audit::{AuditEntry, Snapshot};
pub use coaches::{MAX_COACHES, MIN_COACHES};
pub use command::{
    ApplicationInput, Command, Event, Movement, PersonInput, RecordKind, TraineeDetails,
};
pub use error::RegistryError;
pub use plans::cycle_id;
pub use reader::{Reader, mask_phone};
pub use users::MAX_KEYS;
pub use warning::Warning;

use crate::domain::text::{self, TextError};
use crate::domain::{Actor, Fund, ProjectId, Role, Stamp};
use crate::store::{
    Access, CACHE_BYTES, OpenError, Store, StoreError, Tree, TxError, TxOutcome, keys,
};

/// Shanghai time (UTC+8, no daylight saving): what users read.
pub fn shanghai(at: DateTime<Utc>) -> DateTime<FixedOffset> {
    let tz = FixedOffset::east_opt(8 * 3600).unwrap_or(Utc.fix());
    at.with_timezone(&tz)
}

/// Where "now" comes from: the system clock, or a fixed instant for tests and
/// reproducible demo data.
#[derive(Clone, Copy, Debug)]
pub enum Clock {
    System,
    Fixed(DateTime<Utc>),
}

/// Per-group numbers kept in step with every change, so capacity rules cost a
/// lookup. `qiangji check` recomputes them from the records.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupCounts {
    pub enrolled_students: u32,
    pub enrolled_teachers: u32,
    pub active_chief: Option<u64>,
    pub active_coaches: u32,
    /// Objections to announcements not yet resolved, for the dashboard's alert.
    pub open_objections: u32,
}

pub struct Registry {
    store: Store,
    clock: Clock,
    /// Held by every write and by a backup, so that a backup taken while
    /// sessions write is one consistent moment.
    gate: std::sync::Mutex<()>,
    /// What runs before a bulk change (see `bulk`): set by the server.
    before_bulk: std::sync::OnceLock<bulk::BeforeBulk>,
    /// Counts of applied batches, for whoever shows records and must notice
    /// a change made by someone else (an SSH session, an exec command).
    generations: Generations,
}

/// How many batches were applied through this registry, and how many of
/// them changed a user (the SSH sessions re-check who they are on each).
#[derive(Default)]
struct Generations {
    writes: std::sync::atomic::AtomicU64,
    users: std::sync::atomic::AtomicU64,
}

/// A refusal inside a batch: which command, and why.
#[derive(Debug, thiserror::Error)]
#[error("command {index}: {error}")]
pub struct BatchError {
    pub index: usize,
    pub error: RegistryError,
}

/// What a transaction needs besides the trees: who acts, when, and the ids
/// reserved for the records and audit entries it may create.
pub(crate) struct Applying<'a> {
    pub actor: &'a Actor,
    pub now: DateTime<Utc>,
    pub new_id: u64,
    /// Further ids reserved for the command: the sessions of a series
    /// after the first.
    pub more_ids: &'a [u64],
}

impl Applying<'_> {
    pub fn stamp(&self) -> Stamp {
        Stamp::new(self.now, &self.actor.login)
    }
}

/// What one command did, before its audit entry is written.
pub(crate) struct Applied {
    pub kind: RecordKind,
    pub id: u64,
    pub project: Option<ProjectId>,
    pub before: Option<Snapshot>,
}

pub(crate) type TxResult<T> = Result<T, TxError<RegistryError>>;

/// Ends the transaction with a refusal.
pub(crate) fn refuse<T>(e: impl Into<RegistryError>) -> TxResult<T> {
    Err(TxError::Abort(e.into()))
}

impl Registry {
    fn opened(
        dir: &Path,
        create: bool,
        cache_bytes: u64,
        access: Access,
    ) -> Result<(Registry, crate::store::Accepted), OpenError> {
        let (store, accepted) =
            Store::open_upgrading(dir, create, cache_bytes, access, &migrate::Chain)?;
        Ok((
            Registry {
                store,
                clock: Clock::System,
                gate: Default::default(),
                before_bulk: Default::default(),
                generations: Default::default(),
            },
            accepted,
        ))
    }

    /// Opens for writing; a database of an older schema is upgraded first
    /// (`migrate`; `store().upgraded()` says so).
    pub fn open(dir: &Path, create: bool) -> Result<Registry, OpenError> {
        Ok(Registry::opened(dir, create, CACHE_BYTES, Access::Write)?.0)
    }

    /// Opens for reading: every command is refused (`StoreError::ReadOnly`).
    /// In place when the last close was clean (see `store::stamp`), else a
    /// private copy, so that a database that may be damaged stays exactly as
    /// it is.
    pub fn open_read_only(dir: &Path) -> Result<Registry, OpenError> {
        Ok(Registry::opened(dir, false, CACHE_BYTES, Access::Read)?.0)
    }

    /// Opens a private copy for reading, whatever the stamp says: `check`.
    pub fn open_to_inspect(dir: &Path) -> Result<Registry, OpenError> {
        Ok(Registry::opened(dir, false, CACHE_BYTES, Access::Inspect)?.0)
    }

    /// Opens a private, writable copy, removed on drop: what a series of
    /// commands would do, without doing it.
    pub fn open_trial(dir: &Path) -> Result<Registry, OpenError> {
        Ok(Registry::opened(dir, false, CACHE_BYTES, Access::Trial)?.0)
    }

    /// Opens accepting whatever the mark says (see `Access::AcceptLoss`).
    pub fn open_accepting_loss(
        dir: &Path,
    ) -> Result<(Registry, crate::store::Accepted), OpenError> {
        Registry::opened(dir, false, CACHE_BYTES, Access::AcceptLoss)
    }

    /// Opens for a bulk load, with a larger page cache.
    pub fn open_for_bulk(dir: &Path) -> Result<Registry, OpenError> {
        Ok(Registry::opened(dir, true, 512 * 1024 * 1024, Access::Write)?.0)
    }

    /// Sets what runs before every bulk change (an import, a rollover),
    /// outside the write lock so that it may take a backup. Set once.
    pub fn before_bulk(&self, hook: bulk::BeforeBulk) {
        let _ = self.before_bulk.set(hook);
    }

    pub fn with_clock(mut self, clock: Clock) -> Registry {
        self.clock = clock;
        self
    }

    pub fn now(&self) -> DateTime<Utc> {
        match self.clock {
            Clock::System => Utc::now(),
            Clock::Fixed(t) => t,
        }
    }

    /// Today in Qingdao.
    pub fn today(&self) -> NaiveDate {
        shanghai(self.now()).date_naive()
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Bumped by every applied batch.
    pub fn write_generation(&self) -> u64 {
        self.generations
            .writes
            .load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Bumped by every applied batch that changed a user.
    pub fn user_generation(&self) -> u64 {
        self.generations
            .users
            .load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Applies one command durably.
    pub fn apply(&self, actor: &Actor, command: Command) -> Result<Event, RegistryError> {
        let mut events = self
            .apply_batch(actor, std::slice::from_ref(&command))
            .map_err(|b| b.error)?;
        events
            .pop()
            .ok_or_else(|| StoreError::Sled("empty batch".into()).into())
    }

    /// Applies several commands in one transaction: all or none. Used by the
    /// demo and importers, where one flush for many commands matters.
    pub fn apply_batch(
        &self,
        actor: &Actor,
        commands: &[Command],
    ) -> Result<Vec<Event>, BatchError> {
        self.apply_batch_at(actor, commands, &[])
    }

    /// As `apply_batch`, command `i` applied and audited as at `at[i]` where
    /// that is given, at the clock's time otherwise: the demo records each
    /// stage on the day it states, as a coordinator would have.
    pub fn apply_batch_at(
        &self,
        actor: &Actor,
        commands: &[Command],
        at: &[Option<DateTime<Utc>>],
    ) -> Result<Vec<Event>, BatchError> {
        let store_err = |e: StoreError| BatchError {
            index: 0,
            error: e.into(),
        };
        // The actor's login goes into every stamp and audit entry: whoever
        // built the actor (an SSH session, a test, `$USER`), only a valid
        // login is stored.
        if !crate::domain::user::is_valid_login(&actor.login) {
            return Err(BatchError {
                index: 0,
                error: RegistryError::BadLogin {
                    shown: crate::domain::user::safe_login(&actor.login),
                },
            });
        }
        // Whatever can be checked before the transaction is: a command that
        // fails after it committed would be reported as failed while stored.
        self.store.prepare_change().map_err(store_err)?;
        if let (Some(hook), Some(kind)) = (self.before_bulk.get(), bulk::Bulk::of(commands)) {
            hook(self, kind);
        }
        // Ids are reserved outside the transaction: sled may run the closure more
        // than once, and a retry must reuse the same ids.
        let mut ids = Vec::with_capacity(commands.len());
        let mut more_ids = Vec::with_capacity(commands.len());
        for command in commands {
            ids.push((
                self.store.generate_id().map_err(store_err)?,
                self.store.generate_id().map_err(store_err)?,
            ));
            let mut more = Vec::new();
            for _ in 0..training::more_ids_needed(command) {
                more.push(self.store.generate_id().map_err(store_err)?);
            }
            more_ids.push(more);
        }
        let _gate = self.gate.lock().unwrap_or_else(|p| p.into_inner());
        let now = self.now();
        let result = self.store.transaction(|tx| {
            // Whoever logged in acts only as the user they still are: a
            // session of a user removed, stripped of this key or given
            // another role since it began is refused here, in the same
            // transaction as the change, whatever its screen still shows.
            if actor.key.is_some()
                && let Err(error) = users::still_acting(tx, actor)
            {
                return Err(match error {
                    TxError::Abort(error) => TxError::Abort(BatchError { index: 0, error }),
                    TxError::Conflict => TxError::Conflict,
                    TxError::Storage(s) => TxError::Storage(s),
                });
            }
            let mut events = Vec::with_capacity(commands.len());
            let mut created = None;
            for (index, ((command, &(new_id, audit_id)), more_ids)) in
                commands.iter().zip(&ids).zip(&more_ids).enumerate()
            {
                let now = at.get(index).copied().flatten().unwrap_or(now);
                let ctx = Applying {
                    actor,
                    now,
                    new_id,
                    more_ids,
                };
                let command = &*in_batch(command, created);
                let applied = match dispatch(tx, &ctx, command) {
                    Ok(a) => a,
                    Err(TxError::Abort(error)) => {
                        return Err(TxError::Abort(BatchError { index, error }));
                    }
                    Err(TxError::Conflict) => return Err(TxError::Conflict),
                    Err(TxError::Storage(e)) => return Err(TxError::Storage(e)),
                };
                let entry = AuditEntry {
                    id: audit_id,
                    at: now,
                    actor: actor.login.clone(),
                    project: applied.project,
                    kind: applied.kind,
                    record: applied.id,
                    command: command.clone(),
                    before: applied.before,
                    key: actor.key.clone(),
                };
                let wrap = |r: TxResult<()>| {
                    r.map_err(|e| match e {
                        TxError::Abort(error) => TxError::Abort(BatchError { index, error }),
                        TxError::Conflict => TxError::Conflict,
                        TxError::Storage(s) => TxError::Storage(s),
                    })
                };
                wrap(tx.append(Tree::Audit, audit_id, &entry))?;
                if records_history(command) {
                    wrap(tx.post(
                        &keys::history_of_record(applied.kind.code(), applied.id),
                        audit_id,
                    ))?;
                }
                created = Some(applied.id);
                events.push(Event {
                    audit_id,
                    kind: applied.kind,
                    id: applied.id,
                    project: applied.project,
                    warnings: Vec::new(),
                });
            }
            Ok(events)
        });
        let mut events = result.map_err(|e| match e {
            TxOutcome::Refused(b) => b,
            TxOutcome::Store(e) => store_err(e),
        })?;
        let acknowledged = self
            .store
            .acknowledge(events.iter().map(|e| e.audit_id).max());
        // Committed either way (a failed flush says so): the change is seen.
        use std::sync::atomic::Ordering::SeqCst;
        if events.iter().any(|e| e.kind == RecordKind::User) {
            self.generations.users.fetch_add(1, SeqCst);
        }
        self.generations.writes.fetch_add(1, SeqCst);
        acknowledged.map_err(store_err)?;
        // Applied and durable: a warning that cannot be read costs nothing
        // but the warning.
        let _ = self.warnings(commands, &mut events);
        Ok(events)
    }
}

impl From<StoreError> for BatchError {
    fn from(e: StoreError) -> Self {
        BatchError {
            index: 0,
            error: e.into(),
        }
    }
}

/// Whether a command's audit entry joins its record's history index. Ledger
/// entries and assessments are created whole and carry who recorded them and
/// when; indexing a million one-entry histories would double the index for
/// nothing. Their later changes (corrections) are indexed.
pub(crate) fn records_history(command: &Command) -> bool {
    !matches!(
        command.acting(),
        Command::AddEntry { .. }
            | Command::ReverseEntry { .. }
            | Command::RecordAssessment { .. }
            | Command::MarkAttendance { .. }
    )
}

fn dispatch(tx: &crate::store::Tx<'_>, ctx: &Applying<'_>, command: &Command) -> TxResult<Applied> {
    use Command as C;
    match command {
        C::AddUser { .. }
        | C::RemoveUser { .. }
        | C::AddUserKey { .. }
        | C::RemoveUserKey { .. }
        | C::ChangeUser { .. } => users::apply(tx, ctx, command),
        C::SetPlan { .. } | C::RecordFiling { .. } | C::SetPlanParts { .. } => {
            plans::apply(tx, ctx, command)
        }
        C::PlanSessions { .. }
        | C::MoveSession { .. }
        | C::CancelSession { .. }
        | C::HoldSession { .. }
        | C::MarkAttendance { .. }
        | C::AddClass { .. }
        | C::PlaceInClass { .. }
        | C::LeaveClass { .. }
        | C::RecordDevelopment { .. }
        | C::SetAttendanceThreshold { .. } => training::apply(tx, ctx, command),
        C::Undo { command, .. } => dispatch(tx, ctx, command),
        C::AddPerson(_)
        | C::UpdatePerson { .. }
        | C::Nominate { .. }
        | C::AdvanceCoach { .. }
        | C::ApplySchool(_)
        | C::DecideSchool { .. } => coaches::apply(tx, ctx, command),
        C::RecordAssessment { .. } | C::CorrectAssessment { .. } => {
            assessments::apply(tx, ctx, command)
        }
        C::AddEntry { .. } | C::ReverseEntry { .. } => ledger::apply(tx, ctx, command),
        C::RecordAchievement { .. } => achievements::apply(tx, ctx, command),
        C::Apply(_)
        | C::ApplyRecommended { .. }
        | C::UpdateContact { .. }
        | C::UpdateTrainee { .. }
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
        | C::RetractApplication { .. }
        | C::CorrectApplication { .. } => trainees::apply(tx, ctx, command),
    }
}

/// `command` with [`command::ADDED_IN_BATCH`] replaced by the id of the
/// record the batch's previous command created (`created`).
fn in_batch(command: &Command, created: Option<u64>) -> std::borrow::Cow<'_, Command> {
    match (command, created) {
        (Command::Nominate { person, .. }, Some(id)) if *person == command::ADDED_IN_BATCH => {
            let mut resolved = command.clone();
            if let Command::Nominate { person, .. } = &mut resolved {
                *person = id;
            }
            std::borrow::Cow::Owned(resolved)
        }
        _ => std::borrow::Cow::Borrowed(command),
    }
}

/// What a role may change. `project` is the group the target belongs to;
/// `fund` the fund a ledger command touches. The one table of the role
/// rules (README, "Users and roles"):
///
/// - admin: everything;
/// - chief coach: their group's records (applications, every pipeline step,
///   contacts, withdrawals and reinstatements), people of their subject,
///   nominating coaches and assistants (not a chief) and ending their terms,
///   assessments, spending of the daily training fund (and reversing such
///   entries), the annual plan and its submission;
/// - coach: recording and correcting their group's assessments, taking
///   attendance at their group's sessions;
/// - finance: every ledger's entries and reversals;
/// - viewer: nothing.
///
/// Training (schema 5): a chief manages their group's sessions, classes,
/// coaches' development records, attendance threshold and plan parts, and
/// withdraws a wrong application (撤回申报) of their group.
///
/// Users, base schools and filings are the bureau's (admin's).
pub fn may(
    actor: &Actor,
    command: &Command,
    project: Option<ProjectId>,
    fund: Option<Fund>,
) -> bool {
    use Command as C;
    // An undo is allowed to whoever may run the inverse it carries.
    if let C::Undo { command, .. } = command {
        return may(actor, command, project, fund);
    }
    let own = |p: &ProjectId| project == Some(*p);
    match &actor.role {
        Role::Admin => true,
        Role::Viewer(_) => false,
        Role::Finance => matches!(command, C::AddEntry { .. } | C::ReverseEntry { .. }),
        Role::Coach(p) => {
            own(p)
                && matches!(
                    command,
                    C::RecordAssessment { .. }
                        | C::CorrectAssessment { .. }
                        | C::MarkAttendance { .. }
                )
        }
        Role::ChiefCoach(p) => match command {
            C::AddUser { .. }
            | C::RemoveUser { .. }
            | C::AddUserKey { .. }
            | C::RemoveUserKey { .. }
            | C::ChangeUser { .. }
            | C::ApplySchool(_)
            | C::DecideSchool { .. } => false,
            // Decided above by what it undoes.
            C::Undo { .. } => false,
            C::Nominate { role, .. } => own(p) && *role != crate::domain::CoachRole::Chief,
            // Announcing and filing coaches is the bureau's step.
            C::AdvanceCoach { to, .. } => own(p) && *to == crate::domain::CoachStage::Ended,
            C::AddEntry { movement, .. } => {
                own(p) && *movement == Movement::Expense && fund == Some(Fund::Daily)
            }
            C::ReverseEntry { .. } => own(p) && fund == Some(Fund::Daily),
            C::RecordFiling { filed, .. } => own(p) && !filed,
            C::AddPerson(_)
            | C::UpdatePerson { .. }
            | C::Apply(_)
            | C::UpdateContact { .. }
            | C::UpdateTrainee { .. }
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
            | C::SetPlan { .. }
            | C::ApplyRecommended { .. }
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
            | C::CorrectApplication { .. } => own(p),
        },
    }
}

/// `may`, ending the transaction with a refusal that names the actor, the
/// role and the action.
pub(crate) fn permit(
    actor: &Actor,
    command: &Command,
    project: Option<ProjectId>,
    fund: Option<Fund>,
) -> TxResult<()> {
    if may(actor, command, project, fund) {
        Ok(())
    } else {
        refuse(RegistryError::Forbidden {
            actor: actor.login.clone(),
            role: actor.role.clone(),
            action_zh: command.action(crate::i18n::Lang::Zh),
            action_en: command.action(crate::i18n::Lang::En),
        })
    }
}

/// Refuses a change built from an older version of the record.
pub(crate) fn fresh(stamp: &Stamp, yours: u32, what: &str) -> TxResult<()> {
    if stamp.version == yours {
        return Ok(());
    }
    refuse(RegistryError::Stale {
        what: what.to_string(),
        by: stamp.updated_by.clone(),
        at: stamp.updated_at,
        current: stamp.version,
        yours,
    })
}

/// Field cleaning that ends the transaction on bad input.
pub(crate) fn required(field: Field, s: &str, max: usize) -> TxResult<String> {
    text::clean(&field.ident(), s, max, false).or_else(|e: TextError| refuse(e))
}

pub(crate) fn optional(field: Field, s: &str, max: usize) -> TxResult<String> {
    text::clean_optional(&field.ident(), s, max, false).or_else(|e: TextError| refuse(e))
}

pub(crate) fn required_long(field: Field, s: &str) -> TxResult<String> {
    text::clean(&field.ident(), s, text::LONG, true).or_else(|e: TextError| refuse(e))
}

pub(crate) fn long_text(field: Field, s: &str) -> TxResult<String> {
    text::clean_optional(&field.ident(), s, text::LONG, true).or_else(|e: TextError| refuse(e))
}

/// A phone number, checked by the one validator in `domain::phone`.
pub(crate) fn phone(s: &str) -> TxResult<String> {
    crate::domain::phone::check(s).or_else(refuse)
}

/// The first and last year a ledger, plan or session may name.
pub(crate) const FIRST_YEAR: i32 = 2000;
pub(crate) const LAST_YEAR: i32 = 2100;

/// Years a ledger or plan may name.
pub(crate) fn year(y: i32) -> TxResult<i32> {
    if (FIRST_YEAR..=LAST_YEAR).contains(&y) {
        Ok(y)
    } else {
        refuse(RegistryError::NotBetween {
            field: Field::Year,
            value: y.to_string(),
            min: FIRST_YEAR.to_string(),
            max: LAST_YEAR.to_string(),
        })
    }
}

pub(crate) fn counts(tx: &crate::store::Tx<'_>, p: ProjectId) -> TxResult<GroupCounts> {
    Ok(tx
        .get(Tree::Counters, &keys::project_key(p))?
        .unwrap_or_default())
}

pub(crate) fn put_counts(tx: &crate::store::Tx<'_>, p: ProjectId, c: &GroupCounts) -> TxResult<()> {
    tx.put(Tree::Counters, &keys::project_key(p), c)
}
