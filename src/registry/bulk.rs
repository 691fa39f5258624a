//! Changes of many records at once (an import of applications, a year's
//! rollover), which a server backs up before it applies them. The registry
//! sees every batch, whichever front end sent it (the CLI, an SSH command,
//! a dashboard's import report or rollover form), so it is asked here what
//! a batch is and the hook the server set runs before it is applied.

use super::Command;

/// A batch this long is a bulk change whatever it holds.
pub const MANY: usize = 20;

/// The voucher every rollover entry carries (`ROLLOVER-2027`).
pub const ROLLOVER_VOUCHER: &str = "ROLLOVER-";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bulk {
    /// Trainees from a school's recommendation list.
    Import,
    /// Balances carried or returned, terms closed.
    Rollover,
    /// Another batch of at least [`MANY`] commands.
    Many,
}

impl Bulk {
    /// What `commands` is, when it is a bulk change.
    pub fn of(commands: &[Command]) -> Option<Bulk> {
        if commands
            .iter()
            .any(|c| matches!(c, Command::ApplyRecommended { .. }))
        {
            return Some(Bulk::Import);
        }
        if commands.iter().any(|c| {
            matches!(c, Command::AddEntry { voucher, .. } if voucher.starts_with(ROLLOVER_VOUCHER))
        }) {
            return Some(Bulk::Rollover);
        }
        (commands.len() >= MANY).then_some(Bulk::Many)
    }

    /// A word for file names and the log.
    pub fn word(self) -> &'static str {
        match self {
            Bulk::Import => "import",
            Bulk::Rollover => "rollover",
            Bulk::Many => "bulk",
        }
    }
}

/// Runs before a bulk change is applied (the server's backup). It must not
/// apply commands itself.
pub type BeforeBulk = Box<dyn Fn(&super::Registry, Bulk) + Send + Sync>;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::Scale;
    use crate::registry::Registry;
    use crate::rollover::{self, DailyBalance};

    #[test]
    fn a_rollover_is_bulk_and_one_of_its_entries_alone_is_not_a_form_entry() {
        let dir = tempfile::tempdir().unwrap();
        let registry = Registry::open(&dir.path().join("db"), true).unwrap();
        crate::demo::generate(&registry, Scale::City, 7).unwrap();
        let year = chrono::Datelike::year(&registry.today());
        let (commands, _) = rollover::plan(&registry, year + 1, DailyBalance::Carry).unwrap();
        assert!(!commands.is_empty());
        assert_eq!(Bulk::of(&commands), Some(Bulk::Rollover));
        let mut entry = commands
            .iter()
            .find(|c| matches!(c, Command::AddEntry { .. }))
            .cloned()
            .unwrap();
        if let Command::AddEntry { voucher, .. } = &mut entry {
            *voucher = "2026-017".into();
        }
        assert_eq!(Bulk::of(std::slice::from_ref(&entry)), None);
        assert_eq!(Bulk::of(&vec![entry; MANY]), Some(Bulk::Many));
    }
}
