//! The screens, kept as a stack: the overview at the bottom, then what was
//! opened from it (a group, the ledger overview, the audit trail, a semester
//! assessment, the evaluation, an import's report). Each is a type in its
//! own folder implementing [`Screen`]: its state, its actions, its drawing,
//! and how a global action opens it. The App holds `Box<dyn Screen>`s and
//! knows none in particular.

use std::any::Any;

use ratatui::Frame;
use ratatui::layout::Rect;

use super::ctx::Ctx;
use super::forms::FormFlow;
use super::input::action::{Action, Context};
use super::input::key::Key;
use super::widgets::Ui;
use crate::domain::ProjectId;
use crate::i18n::Lang;
use crate::registry::{self, Command, RecordKind};

/// The screens, one line each: its folder (`mod`) and its type. A screen's
/// folder holds everything of it: its state, its `impl Screen`, its
/// drawing and how a global action opens it (`Screen::open_from`);
/// adding a screen is its folder and one line here.
macro_rules! screens {
    ($($module:ident :: $screen:ident),* $(,)?) => {
        $(
            pub mod $module;
            pub use $module::$screen;
        )*
        /// Each screen's way in from an action no screen took.
        const OPENERS: &[Opener] = &[$(<$screen as Screen>::open_from),*];
    };
}

screens! {
    assessment::AssessmentScreen,
    attendance::AttendanceScreen,
    audit::AuditScreen,
    evaluation::EvaluationScreen,
    find::FindScreen,
    group::GroupScreen,
    import::ImportScreen,
    ledger_overview::LedgerScreen,
    overview::OverviewScreen,
    users::UsersScreen,
}

pub use group::Tab;

/// How a global action opens a screen, given the stack it would go on.
type Opener = fn(Action, &[Box<dyn Screen>], &mut Ctx) -> Option<Reply>;

/// What an action no screen took opens: the first screen that answers it
/// (see `Screen::open_from`).
pub fn open_from(action: Action, stack: &[Box<dyn Screen>], ctx: &mut Ctx) -> Option<Reply> {
    OPENERS.iter().find_map(|open| open(action, stack, ctx))
}

/// The screen at the bottom of the stack, once the data is there: the
/// overview.
pub fn root(reader: &registry::Reader<'_>) -> Result<Box<dyn Screen>, crate::store::StoreError> {
    Ok(Box::new(OverviewScreen::new(super::model::overview(
        reader,
    )?)))
}

/// The screen showing what a form read before anything is written: an
/// import's report.
pub fn review(review: super::forms::Review) -> Box<dyn Screen> {
    Box::new(ImportScreen::new(review))
}

/// A full-screen view on the App's stack. The one on top decides what keys
/// mean, what is drawn, the title and the hints; Esc pops it. The App
/// knows no particular screen: a screen asks for navigation by its
/// `Reply` (push this screen, close, open a form, write).
pub trait Screen: AsAny + Send {
    fn title(&self, lang: Lang) -> String;

    /// What the screen makes of an action; `Pass` leaves it to the App.
    fn act(&mut self, action: Action, ctx: &mut Ctx) -> Reply;

    fn draw(&self, frame: &mut Frame, area: Rect, ui: &Ui);

    /// Reads everything shown again, keeping selections and filters.
    fn reload(&mut self, ctx: &mut Ctx);

    /// The footer's hints, most important first.
    fn hints(&self) -> &'static [Action];

    /// How this screen opens on an action no screen took (`A` starting an
    /// assessment), given the stack it would go on; None when the action
    /// is not a way into it.
    fn open_from(_action: Action, _stack: &[Box<dyn Screen>], _ctx: &mut Ctx) -> Option<Reply>
    where
        Self: Sized,
    {
        None
    }

    /// Where bindings are looked up: `input` while a filter or a score is
    /// typed, `confirm` for a yes/no question.
    fn context(&self) -> Context {
        Context::List
    }

    /// What the footer calls `action` here, when this screen gives it
    /// other words than its description (`N` on the users screen adds a
    /// user).
    fn hint_label(&self, _action: Action, _lang: Lang) -> Option<&'static str> {
        None
    }

    /// Whether going elsewhere closes this screen (an assessment, the audit
    /// trail, the evaluation, an import's report): every result is already
    /// stored, and opening it again resumes.
    fn transient(&self) -> bool {
        false
    }

    /// The group this screen is about, for what acts on "this group" (an
    /// assessment, the exports, the next group).
    fn project(&self) -> Option<ProjectId> {
        None
    }

    /// The date the data was read as: the App acts as of the bottom
    /// screen's.
    fn today(&self) -> Option<chrono::NaiveDate> {
        None
    }

    /// A key no binding took, typed into the screen's open input if any.
    fn type_key(&mut self, _key: Key, _ctx: &mut Ctx) {}

    /// Pasted text for the screen's open input; false when none is open.
    fn paste(&mut self, _text: &str, _ctx: &mut Ctx) -> bool {
        false
    }

    /// Whether `key` is text for this screen before any binding (a digit
    /// beginning a score on the assessment roster).
    fn captures(&self, _key: Key) -> bool {
        false
    }

    /// After a write this screen asked for; true when the screen is done
    /// with it and closes (an import written).
    fn written(&mut self, _result: &Result<Vec<registry::Event>, String>, _ctx: &mut Ctx) -> bool {
        false
    }

    /// Records changed (here or in another session): read again what the
    /// changes touch; everything, unless the screen knows better.
    fn changed(&mut self, _changes: &[registry::Event], ctx: &mut Ctx) {
        self.reload(ctx);
    }

    /// A form opened from this screen saved record `id`: select it.
    fn select_new(&mut self, _kind: RecordKind, _id: u64, _ctx: &mut Ctx) {}

    /// `top` was switched to above this screen (the overview keeps the
    /// group last opened selected).
    fn follow(&mut self, _top: &dyn Screen) {}
}

/// A screen as `Any`, to reach its own type where a test, a probe or a
/// picture needs it (`App::top_as`).
pub trait AsAny: Any {
    fn as_any(&self) -> &dyn Any;
    fn as_any_mut(&mut self) -> &mut dyn Any;
}

impl<T: Any> AsAny for T {
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

impl dyn Screen {
    /// This screen as a `T`, when it is one.
    pub fn downcast<T: Screen>(&self) -> Option<&T> {
        self.as_any().downcast_ref()
    }

    pub fn downcast_mut<T: Screen>(&mut self) -> Option<&mut T> {
        self.as_any_mut().downcast_mut()
    }

    pub fn is<T: Screen>(&self) -> bool {
        self.as_any().is::<T>()
    }

    /// Whether `other` is a screen of the same kind (the same type).
    pub fn same_kind(&self, other: &dyn Screen) -> bool {
        self.as_any().type_id() == other.as_any().type_id()
    }
}

/// What a screen made of an action.
pub enum Reply {
    /// Handled (or meaningless here, and swallowed).
    Done,
    /// Not the screen's: the App handles it (quit, help, going elsewhere,
    /// and Esc when the screen has nothing of its own to close).
    Pass,
    /// Open this form over the screen.
    Form(Box<dyn FormFlow>),
    /// Open a screen on top.
    Push(Box<dyn Screen>),
    /// Go elsewhere: leave the transient screens on top, and a screen of
    /// the same kind under them, for this one (the next group); the
    /// screens below follow it.
    Switch(Box<dyn Screen>),
    /// Leave the transient screens on top, opening nothing.
    Leave,
    /// Open this screen over the bottom one alone.
    Root(Box<dyn Screen>),
    /// Back to the bottom screen alone.
    Home,
    /// Apply these commands together; the screen hears back in `written`.
    Write(Vec<Command>),
    /// The screen is done: take it off the stack (an import cancelled).
    Close,
}

impl Reply {
    pub fn form(form: impl FormFlow + 'static) -> Reply {
        Reply::Form(Box::new(form))
    }

    pub fn push(screen: impl Screen) -> Reply {
        Reply::Push(Box::new(screen))
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
pub fn rollover(year: i32, ctx: &mut Ctx) -> Reply {
    if ctx.actor.role != crate::domain::Role::Admin {
        ctx.fail(super::strings::L::RolloverAdminOnly);
        return Reply::Done;
    }
    Reply::form(super::forms::rollover_form(year, ctx.lang))
}
