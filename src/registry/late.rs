//! 补录: a stage recorded well after the date it states. The stated date is
//! what the user typed; the recording time is when the audit trail says the
//! command that added the stage was applied. Nothing new is stored: both are
//! already on record, so the schema stays 5.

use chrono::{DateTime, NaiveDate, Utc};

use super::audit::AuditEntry;
use super::command::Command;
use super::shanghai;
use crate::domain::{Trainee, TraineeStage};
use crate::i18n::Lang;

/// A stage recorded more than this many days after its stated date is flagged
/// 补录. Three days leave room for a weekend and a day's delay in the office
/// (a Friday's decision entered on Monday) without hiding a stage entered
/// weeks later as if it had been recorded at the time.
pub const LATE_AFTER_DAYS: i64 = 3;

/// One stage of a trainee recorded late: the command that recorded it, its
/// stated date and the day (in Qingdao) it was recorded.
#[derive(Clone, Debug, PartialEq)]
pub struct LateStage {
    pub audit_id: u64,
    pub command: Command,
    pub stated: NaiveDate,
    pub recorded: NaiveDate,
}

impl LateStage {
    /// How many days after its stated date the stage was recorded.
    pub fn days_late(&self) -> i64 {
        (self.recorded - self.stated).num_days()
    }

    /// The stage of the trainee's history the command added; None for an
    /// objection raised or resolved.
    pub fn stage(&self) -> Option<TraineeStage> {
        use Command as C;
        Some(match &self.command {
            C::Apply(_) | C::ApplyRecommended { .. } => TraineeStage::Applied,
            C::Recommend { .. } => TraineeStage::Recommended,
            C::Select { selected: true, .. } => TraineeStage::Selected,
            C::Select { .. } => TraineeStage::NotSelected,
            C::Announce { .. } => TraineeStage::Announced,
            C::File { .. } => TraineeStage::Filed,
            C::Enrol { .. } | C::Reinstate { .. } => TraineeStage::Enrolled,
            C::Withdraw { .. } => TraineeStage::Withdrawn,
            _ => return None,
        })
    }

    /// `（补录 2026-09-21）`: the note put after the stated date.
    pub fn note(&self, lang: Lang) -> String {
        match lang {
            Lang::Zh => format!("（补录 {}）", self.recorded),
            Lang::En => format!(" (recorded late {})", self.recorded),
        }
    }

    /// Both dates: `2026-09-01（补录 2026-09-21）`.
    pub fn dates(&self, lang: Lang) -> String {
        format!("{}{}", self.stated, self.note(lang))
    }
}

/// True when a stage stated on `stated` and recorded at `at` is late.
pub fn is_late(stated: NaiveDate, at: DateTime<Utc>) -> bool {
    (shanghai(at).date_naive() - stated).num_days() > LATE_AFTER_DAYS
}

/// The date a trainee's stage command states: the day the stage happened,
/// as the user typed it. None for commands that state no date (edits).
pub fn stated_date(command: &Command) -> Option<NaiveDate> {
    use Command as C;
    match command {
        C::Apply(input) | C::ApplyRecommended { input, .. } => Some(input.date),
        C::Recommend { date, .. }
        | C::Select { date, .. }
        | C::RaiseObjection { date, .. }
        | C::ResolveObjection { date, .. }
        | C::File { date, .. }
        | C::Enrol { date, .. }
        | C::Withdraw { date, .. }
        | C::Reinstate { date, .. } => Some(*date),
        C::Announce { start, .. } => Some(*start),
        _ => None,
    }
}

/// The audit entry's stage, if it states a date and was recorded late.
pub fn late_entry(entry: &AuditEntry) -> Option<LateStage> {
    let stated = stated_date(&entry.command)?;
    is_late(stated, entry.at).then(|| LateStage {
        audit_id: entry.id,
        command: entry.command.clone(),
        stated,
        recorded: shanghai(entry.at).date_naive(),
    })
}

/// The stages of a trainee recorded late, oldest stated date first, from the
/// trainee's audit history (as `Registry::history` gives it). A stage whose
/// stated date no longer appears in the trainee's history (undone) is left
/// out.
pub fn late_stages(current: &Trainee, history: &[AuditEntry]) -> Vec<LateStage> {
    let undone: Vec<u64> = history
        .iter()
        .filter_map(|e| match &e.command {
            Command::Undo { of, .. } => Some(*of),
            _ => None,
        })
        .collect();
    let mut out: Vec<LateStage> = history
        .iter()
        .filter(|e| !undone.contains(&e.id))
        .filter_map(late_entry)
        .filter(|l| {
            // Announce, objections and withdrawals keep their own dates;
            // the stage changes must still be in the history.
            !matches!(
                l.command,
                Command::Recommend { .. } | Command::Select { .. } | Command::File { .. }
            ) || current.history.iter().any(|c| c.date == l.stated)
        })
        .collect();
    out.sort_by_key(|l| l.stated);
    out
}
