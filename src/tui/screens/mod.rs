//! The screens, kept as a stack: the overview at the bottom, then what was
//! opened from it (a group, the ledger overview, the audit trail, a semester
//! assessment, the evaluation, an import's report). The one on top decides what keys mean, what is drawn, the
//! title and the hints; Esc pops it. Each screen owns its state, its `act`
//! and its drawing.

pub mod assessment;
pub mod audit;
pub mod evaluation;
pub mod find;
pub mod group;
pub mod import;
pub mod ledger_overview;
pub mod overview;
pub mod users;

use ratatui::Frame;
use ratatui::layout::Rect;

use super::ctx::Ctx;
use super::forms::FormFlow;
use super::input::action::{Action, Context};
use super::input::key::Key;
use super::widgets::Ui;
use crate::i18n::Lang;
use crate::registry::{self, Command};

pub use assessment::AssessmentScreen;
pub use audit::AuditScreen;
pub use evaluation::EvaluationScreen;
pub use find::FindScreen;
pub use group::{GroupScreen, Tab};
pub use import::ImportScreen;
pub use ledger_overview::LedgerScreen;
pub use overview::OverviewScreen;
pub use users::UsersScreen;

// A handful of screens live at a time, on one stack: boxing the group
// workspace would save nothing worth an indirection on every access.
#[allow(clippy::large_enum_variant)]
pub enum Screen {
    Overview(OverviewScreen),
    Group(GroupScreen),
    LedgerOverview(LedgerScreen),
    Audit(AuditScreen),
    Assessment(AssessmentScreen),
    Users(UsersScreen),
    Find(FindScreen),
    Evaluation(EvaluationScreen),
    Import(ImportScreen),
}

/// What a screen made of an action.
#[allow(clippy::large_enum_variant)]
pub enum Outcome {
    /// Handled (or meaningless here, and swallowed).
    Done,
    /// Not the screen's: the App handles it (quit, help, going elsewhere,
    /// and Esc when the screen has nothing of its own to close).
    Pass,
    /// Open this form over the screen.
    Form(Box<dyn FormFlow>),
    /// Open a screen on top.
    Push(Screen),
    /// Apply these commands together; the screen hears back in `written`.
    Write(Vec<Command>),
    /// The screen is done: take it off the stack (an import cancelled).
    Close,
}

impl Outcome {
    pub fn form(form: impl FormFlow + 'static) -> Outcome {
        Outcome::Form(Box::new(form))
    }
}

impl Screen {
    pub fn act(&mut self, action: Action, ctx: &mut Ctx) -> Outcome {
        match self {
            Screen::Overview(s) => s.act(action, ctx),
            Screen::Group(s) => s.act(action, ctx),
            Screen::LedgerOverview(s) => s.act(action, ctx),
            Screen::Audit(s) => s.act(action, ctx),
            Screen::Assessment(s) => s.act(action, ctx),
            Screen::Users(s) => s.act(action, ctx),
            Screen::Find(s) => s.act(action, ctx),
            Screen::Evaluation(s) => s.act(action, ctx),
            Screen::Import(s) => s.act(action, ctx),
        }
    }

    /// A key no binding took, typed into the screen's open input if any.
    pub fn type_key(&mut self, key: Key, ctx: &mut Ctx) {
        match self {
            Screen::Group(s) => s.type_key(key, ctx),
            Screen::Audit(s) => s.type_key(key),
            Screen::Assessment(s) => s.type_key(key),
            Screen::Find(s) => s.type_key(key),
            Screen::Import(s) => s.type_key(key, ctx.page),
            Screen::Overview(_)
            | Screen::LedgerOverview(_)
            | Screen::Users(_)
            | Screen::Evaluation(_) => {}
        }
    }

    /// Pasted text for the screen's open input; false when none is open.
    pub fn paste(&mut self, text: &str, ctx: &mut Ctx) -> bool {
        match self {
            Screen::Group(s) => s.paste(text, ctx),
            Screen::Audit(s) => s.paste(text),
            Screen::Assessment(s) => s.paste(text),
            Screen::Find(s) => s.paste(text),
            Screen::Overview(_)
            | Screen::LedgerOverview(_)
            | Screen::Users(_)
            | Screen::Evaluation(_)
            | Screen::Import(_) => false,
        }
    }

    /// Whether `key` is text for this screen before any binding (a digit
    /// beginning a score on the assessment roster).
    pub fn captures(&self, key: Key) -> bool {
        match self {
            Screen::Assessment(s) => s.captures(key),
            _ => false,
        }
    }

    /// Where bindings are looked up: `input` while a filter or a score is
    /// typed, `confirm` on an import's report (a yes/no question).
    pub fn context(&self) -> Context {
        let typing = match self {
            Screen::Group(s) => s.filtering.is_some(),
            Screen::Audit(s) => s.filtering.is_some(),
            Screen::Assessment(s) if s.confirming() => return Context::Confirm,
            Screen::Assessment(s) => s.input.is_some() && !s.score_only,
            Screen::Find(s) => s.typing,
            Screen::Import(_) => return Context::Confirm,
            Screen::Overview(_)
            | Screen::LedgerOverview(_)
            | Screen::Users(_)
            | Screen::Evaluation(_) => false,
        };
        if typing {
            Context::Input
        } else {
            Context::List
        }
    }

    /// After a write this screen asked for; true when the screen is done
    /// with it and closes (an import written).
    pub fn written(
        &mut self,
        result: &Result<Vec<registry::Event>, String>,
        ctx: &mut Ctx,
    ) -> bool {
        match self {
            Screen::Assessment(s) => {
                s.written(result, ctx);
                false
            }
            Screen::Import(s) => s.written(result, ctx),
            _ => false,
        }
    }

    /// Records changed (here or in another session): read again only what
    /// the changes touch.
    pub fn changed(&mut self, changes: &[registry::Event], ctx: &mut Ctx) {
        match self {
            Screen::Overview(s) => s.changed(changes, ctx),
            Screen::Group(s) => s.changed(changes, ctx),
            Screen::LedgerOverview(s) => s.reload(ctx),
            Screen::Audit(s) => s.changed(ctx),
            Screen::Assessment(s) => s.changed(changes, ctx),
            Screen::Users(s) => {
                if changes.iter().any(|c| c.kind == registry::RecordKind::User) {
                    s.reload(ctx)
                }
            }
            Screen::Find(s) => s.changed(changes, ctx),
            Screen::Evaluation(s) => s.reload(ctx),
            Screen::Import(s) => s.changed(changes, ctx),
        }
    }

    /// Reads everything shown again, keeping selections and filters.
    pub fn reload(&mut self, ctx: &mut Ctx) {
        match self {
            Screen::Overview(s) => s.reload(ctx),
            Screen::Group(s) => s.reload(ctx),
            Screen::LedgerOverview(s) => s.reload(ctx),
            Screen::Audit(s) => s.reload(ctx),
            Screen::Assessment(s) => s.changed(&[], ctx),
            Screen::Users(s) => s.reload(ctx),
            Screen::Find(s) => s.reload(ctx),
            Screen::Evaluation(s) => s.reload(ctx),
            Screen::Import(s) => s.reload(ctx),
        }
    }

    pub fn title(&self, lang: Lang) -> String {
        use super::strings::L;
        match self {
            Screen::Overview(_) => L::Overview.get(lang).to_string(),
            Screen::Group(s) => s.data.project.group_name(lang),
            Screen::LedgerOverview(_) => L::LedgerOverview.get(lang).to_string(),
            Screen::Audit(_) => L::AuditTitle.get(lang).to_string(),
            Screen::Assessment(_) => L::AssessmentSession.get(lang).to_string(),
            Screen::Users(_) => L::UsersTitle.get(lang).to_string(),
            Screen::Find(_) => L::FindTitle.get(lang).to_string(),
            Screen::Evaluation(_) => L::EvaluationTitle.get(lang).to_string(),
            Screen::Import(_) => L::ImportScreen.get(lang).to_string(),
        }
    }

    /// The footer's hints, most important first.
    pub fn hints(&self) -> &'static [Action] {
        match self {
            Screen::Overview(_) => overview::HINTS,
            Screen::Group(s) => s.hints(),
            Screen::LedgerOverview(_) => ledger_overview::HINTS,
            Screen::Audit(_) => audit::HINTS,
            Screen::Assessment(s) => s.hints(),
            Screen::Users(_) => users::HINTS,
            Screen::Find(s) => s.hints(),
            Screen::Evaluation(_) => evaluation::HINTS,
            // A question: the footer shows its yes and no.
            Screen::Import(_) => &[],
        }
    }

    /// What the footer calls `action` here, when this screen gives it
    /// other words than its description: `N` on a trainee's details records
    /// an achievement, on the users screen adds a user, an import's yes
    /// imports.
    pub fn hint_label(&self, action: Action, lang: Lang) -> Option<&'static str> {
        use super::strings::L;
        let l = match (self, action) {
            (Screen::Group(g), Action::NewRecord) if g.detail_focus => L::AddAchievement,
            (Screen::Users(_), Action::NewRecord) => L::AddUserTitle,
            (Screen::Import(s), Action::Yes) if s.importable() => L::ImportYes,
            (Screen::Import(_), Action::No) => L::ImportNo,
            _ => return None,
        };
        Some(l.get(lang))
    }

    pub fn draw(&self, frame: &mut Frame, area: Rect, ui: &Ui) {
        match self {
            Screen::Overview(s) => overview::draw::draw(frame, area, ui, s),
            Screen::Group(s) => group::draw::draw(frame, area, ui, s),
            Screen::LedgerOverview(s) => ledger_overview::draw::draw(frame, area, ui, s),
            Screen::Audit(s) => audit::draw::draw(frame, area, ui, s),
            Screen::Assessment(s) => assessment::draw::draw(frame, area, ui, s),
            Screen::Users(s) => users::draw::draw(frame, area, ui, s),
            Screen::Find(s) => find::draw::draw(frame, area, ui, s),
            Screen::Evaluation(s) => evaluation::draw::draw(frame, area, ui, s),
            Screen::Import(s) => import::draw::draw(frame, area, ui, s),
        }
    }
}

/// The year before or after `year` among `years` (sorted), for the screens
/// that show one year at a time; the last when `year` is not among them.
pub fn adjacent_year(years: &[i32], year: i32, forward: bool) -> Option<i32> {
    let next = match (years.iter().position(|y| *y == year), forward) {
        (Some(i), true) => years.get(i + 1),
        (Some(i), false) => i.checked_sub(1).and_then(|i| years.get(i)),
        (None, _) => years.last(),
    };
    next.copied()
}

/// The rollover form into the year after `year`, for an admin; anyone else
/// is told whose step it is.
pub fn rollover(year: i32, ctx: &mut Ctx) -> Outcome {
    if ctx.actor.role != crate::domain::Role::Admin {
        ctx.fail(super::strings::L::RolloverAdminOnly);
        return Outcome::Done;
    }
    Outcome::form(super::forms::rollover_form(year, ctx.lang))
}
