//! What a screen is handed when it acts: the registry to read, who acts, the
//! language, today, the page size, and the status line to write to. One value
//! instead of clones of each in every screen.

use std::sync::Arc;

use chrono::NaiveDate;

use super::strings::L;
use crate::domain::Actor;
use crate::i18n::{Lang, Localized};
use crate::registry::Registry;

/// What a form knows of where it is opened: the language and today.
#[derive(Clone, Copy, Debug)]
pub struct Scope {
    pub lang: Lang,
    pub today: NaiveDate,
}

/// The message under the screen, until the next action.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Status {
    Info(String),
    Error(String),
}

pub struct Ctx<'a> {
    pub registry: &'a Arc<Registry>,
    pub actor: &'a Actor,
    pub lang: Lang,
    pub today: NaiveDate,
    /// Rows a page key moves.
    pub page: usize,
    pub status: &'a mut Option<Status>,
    /// The user's files in an SSH session; None locally (see `tui::files`).
    pub remote: Option<&'a dyn super::files::RemoteFiles>,
    /// What this session typed that a form offers again.
    pub recall: &'a mut Recall,
}

/// What a session typed that its next form of the same kind offers again,
/// so that leaving a form loses nothing: the path of the last import.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Recall {
    pub import_path: String,
}

impl Ctx<'_> {
    pub fn info(&mut self, l: L) {
        *self.status = Some(Status::Info(l.get(self.lang).to_string()));
    }

    pub fn fail(&mut self, l: L) {
        *self.status = Some(Status::Error(l.get(self.lang).to_string()));
    }

    pub fn error(&mut self, e: &impl Localized) {
        *self.status = Some(Status::Error(e.localized(self.lang)));
    }

    /// What this actor may read (see `registry::reader`).
    pub fn reader(&self) -> crate::registry::Reader<'_> {
        self.registry.reader(self.actor)
    }

    pub fn scope(&self) -> Scope {
        Scope {
            lang: self.lang,
            today: self.today,
        }
    }
}
