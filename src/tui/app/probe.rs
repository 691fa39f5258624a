//! Read-only views of the App's state for tests, screenshots and the
//! benchmarks: what is on screen and what a form holds, without reaching
//! into the App's fields.

use super::{App, Overlay};
use crate::tui::forms::Sheet;
use crate::tui::screens::{
    AssessmentScreen, AttendanceScreen, AuditScreen, GroupScreen, LedgerScreen,
};

impl App {
    /// The group workspace, when it is on top.
    pub fn group(&self) -> Option<&GroupScreen> {
        self.top_as()
    }

    /// The semester assessment, when it is on top.
    pub fn assessment(&self) -> Option<&AssessmentScreen> {
        self.top_as()
    }

    /// A session's attendance roster, when it is on top.
    pub fn attendance(&self) -> Option<&AttendanceScreen> {
        self.top_as()
    }

    /// The audit trail, when it is on top.
    pub fn audit(&self) -> Option<&AuditScreen> {
        self.top_as()
    }

    /// The ledger overview, wherever it is in the stack.
    pub fn ledger_overview(&self) -> Option<&LedgerScreen> {
        self.screens().iter().find_map(|s| s.downcast())
    }

    /// The open form's fields, intro and refusal.
    pub fn form(&self) -> Option<&Sheet> {
        match self.overlay()? {
            Overlay::Form(f) => Some(f.sheet()),
            _ => None,
        }
    }

    /// The value the open form's field labelled `label` (in either language)
    /// holds as shown.
    pub fn form_value(&self, label: &str) -> Option<String> {
        let sheet = self.form()?;
        let field = sheet
            .fields
            .iter()
            .find(|f| f.label.0 == label || f.label.1 == label)?;
        Some(field.display(self.lang))
    }

    /// The screen as text, at the App's size.
    pub fn screen_text(&self) -> String {
        let (w, h) = self.size();
        crate::tui::screenshot::to_text(&crate::tui::scenes::render(self, w, h))
    }
}
