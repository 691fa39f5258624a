//! The App: the screen stack, the overlays above it, and `handle(Event) ->
//! Vec<Effect>`, the one place state changes. It routes each action to the
//! screen on top (or the open overlay) and carries out what comes back:
//! opening a form or a screen, or asking its driver to write. It reads
//! through the registry's queries and writes only by `Effect::Write`, so a
//! driver can apply commands off the drawing path; `act` applies them at
//! once, for tests, screenshots and scripts.

use std::collections::VecDeque;
use std::sync::Arc;

use tui_input::Input;

use super::ctx::Status;
use super::forms::FormFlow;
use super::input::action::{Action, Context};
use super::input::key::Key;
use super::input::keymap::{Keymap, Resolution};
use super::input::search::SearchKey;
use super::screens::{
    AssessmentScreen, AuditScreen, EvaluationScreen, GroupScreen, LedgerScreen, Outcome,
    OverviewScreen, Screen, UsersScreen,
};
use super::strings::L;
use super::term::theme::{ColorMode, Theme};
use super::widgets::Ui;

mod context;
mod form;
mod probe;
mod typing;
mod writes;

use crate::domain::{Actor, ProjectId, Semester};
use crate::i18n::{Lang, Localized};
use crate::registry::{self, Command, Registry};
pub use writes::write;

/// What reaches the App: keys, pastes, size changes, and data events.
pub enum Event {
    Key(Key),
    /// Text pasted in one piece (bracketed paste): text for the field being
    /// typed into, never keys.
    Paste(String),
    Resize(u16, u16),
    /// The database is open (the driver opens it off the drawing thread).
    Opened(Arc<Registry>),
    /// Records changed by another session: the screens read again only what
    /// these touched.
    Changed(Vec<registry::Event>),
    /// The write asked for by `Effect::Write` `id` was applied or refused.
    Written {
        id: u64,
        result: Result<Vec<registry::Event>, String>,
    },
    /// An admin changed this user's role (an SSH session follows its user
    /// record): everything is read again as the new role, from the overview.
    Rescoped(Actor),
}

/// What the App asks of its driver.
#[derive(Debug)]
pub enum Effect {
    Quit,
    /// Apply `commands` together as `actor` and answer with `Event::Written`.
    Write {
        id: u64,
        actor: Actor,
        commands: Vec<Command>,
    },
    /// Commands were applied: other sessions should refresh.
    Applied(Vec<registry::Event>),
}

pub enum Overlay {
    Help {
        scroll: u16,
    },
    Palette {
        input: Input,
        selected: usize,
        shown: Vec<Action>,
    },
    Form(Box<dyn FormFlow>),
}

/// Who asked for the write in flight, to hear its result.
pub(crate) enum Origin {
    Form,
    Screen,
    Undo(registry::Event),
}

pub struct App {
    pub lang: Lang,
    pub theme: Theme,
    pub keymap: Keymap,
    pub actor: Actor,
    registry: Option<Arc<Registry>>,
    /// The overview at the bottom once the data is there, then what was
    /// opened from it.
    stack: Vec<Screen>,
    overlay: Option<Overlay>,
    status: Option<Status>,
    /// What this session typed that a form offers again.
    recall: crate::tui::ctx::Recall,
    size: (u16, u16),
    pending: Vec<Key>,
    palette_keys: Vec<(Action, SearchKey)>,
    /// What this session applied, newest last: `u` takes back the last.
    undo: Vec<registry::Event>,
    writes: u64,
    in_flight: Option<(u64, Origin)>,
    /// Keys and pastes that arrived while a write was in flight: they act on
    /// what the write leaves, in order.
    held: VecDeque<Event>,
    /// What the undo in flight takes back, for its message.
    undone_action: Option<String>,
    /// The user's files in an SSH session (uploads, scp lines); None locally.
    remote: Option<Arc<dyn crate::tui::files::RemoteFiles>>,
}

// One App per SSH session, each on its own task.
const _: () = {
    const fn send<T: Send>() {}
    send::<App>()
};

impl App {
    /// An App waiting for its database.
    pub fn new(lang: Lang, keymap: Keymap, colors: ColorMode, actor: Actor) -> App {
        let palette_keys = Action::ALL
            .iter()
            .map(|a| {
                let words = [a.describe(Lang::Zh), a.describe(Lang::En), a.name()];
                (*a, SearchKey::new(&words))
            })
            .collect();
        App {
            lang,
            theme: Theme::new(colors),
            keymap,
            actor,
            registry: None,
            stack: Vec::new(),
            overlay: None,
            status: None,
            recall: Default::default(),
            size: (80, 24),
            pending: Vec::new(),
            palette_keys,
            undo: Vec::new(),
            writes: 0,
            in_flight: None,
            held: VecDeque::new(),
            undone_action: None,
            remote: None,
        }
    }

    /// In an SSH session: the user's files, in place of paths on the
    /// server's disk.
    pub fn set_remote(&mut self, remote: Arc<dyn crate::tui::files::RemoteFiles>) {
        self.remote = Some(remote);
    }

    /// An App on an open database, with its data loaded.
    pub fn with_registry(
        lang: Lang,
        keymap: Keymap,
        colors: ColorMode,
        actor: Actor,
        registry: Arc<Registry>,
    ) -> App {
        let mut app = App::new(lang, keymap, colors, actor);
        app.handle(Event::Opened(registry));
        app
    }

    pub fn is_loading(&self) -> bool {
        self.stack.is_empty()
    }

    /// The screen on top.
    pub fn top(&self) -> Option<&Screen> {
        self.stack.last()
    }

    pub fn screens(&self) -> &[Screen] {
        &self.stack
    }

    /// What an admin must know about the server (a backup that failed):
    /// shown on the overview; none for other roles or locally.
    pub fn server_warning(&self) -> Option<String> {
        if self.actor.role != crate::domain::Role::Admin {
            return None;
        }
        self.remote.as_ref()?.server_warning(self.lang)
    }

    pub fn overview(&self) -> Option<&OverviewScreen> {
        match self.stack.first() {
            Some(Screen::Overview(o)) => Some(o),
            _ => None,
        }
    }

    pub fn overlay(&self) -> Option<&Overlay> {
        self.overlay.as_ref()
    }

    pub fn status(&self) -> Option<&Status> {
        self.status.as_ref()
    }

    pub fn size(&self) -> (u16, u16) {
        self.size
    }

    /// Whether the window is below the size the screens need: then only
    /// "enlarge the window" is drawn, and only quitting acts.
    pub fn too_small(&self) -> bool {
        let (w, h) = self.size;
        w < crate::tui::widgets::chrome::MIN_WIDTH || h < crate::tui::widgets::chrome::MIN_HEIGHT
    }

    pub fn ui(&self) -> Ui<'_> {
        Ui {
            lang: self.lang,
            theme: &self.theme,
            today: self
                .overview()
                .map_or(chrono::NaiveDate::MIN, |o| o.data.today),
        }
    }

    /// The keys typed so far of a longer binding (`g` of `g g`).
    pub fn pending_keys(&self) -> &[Key] {
        &self.pending
    }

    /// Which bindings are in force now.
    pub fn context(&self) -> Context {
        match &self.overlay {
            Some(Overlay::Form(f)) if f.sheet().confirm_discard => Context::Confirm,
            Some(Overlay::Form(_)) => Context::Form,
            Some(Overlay::Palette { .. }) => Context::Input,
            Some(Overlay::Help { .. }) => Context::List,
            None => self.top().map_or(Context::List, Screen::context),
        }
    }

    pub fn handle(&mut self, event: Event) -> Vec<Effect> {
        match event {
            Event::Key(key) if self.too_small() => {
                // "The window is too small" is all that shows: a key must
                // not record anything unseen. Only quitting acts, as it
                // would here (a changed form still asks first).
                self.pending.clear();
                let context = if self.is_loading() {
                    Context::Global
                } else {
                    self.context()
                };
                match self.keymap.resolve(context, &[], key) {
                    Resolution::Action(Action::Quit) if self.is_loading() => vec![Effect::Quit],
                    Resolution::Action(Action::Quit) => self.action(Action::Quit),
                    _ => Vec::new(),
                }
            }
            Event::Paste(_) if self.too_small() => Vec::new(),
            Event::Key(key) if self.is_loading() => {
                // Only quitting acts before the data is there; the rest is
                // typed ahead and acts once it is.
                if let Resolution::Action(Action::Quit) =
                    self.keymap.resolve(Context::Global, &[], key)
                {
                    return vec![Effect::Quit];
                }
                self.held.push_back(event);
                Vec::new()
            }
            Event::Key(_) | Event::Paste(_) if self.in_flight.is_some() || self.is_loading() => {
                self.held.push_back(event);
                Vec::new()
            }
            Event::Key(key) => self.key(key),
            Event::Paste(text) => {
                self.paste(&text);
                Vec::new()
            }
            Event::Resize(w, h) => {
                self.size = (w, h);
                Vec::new()
            }
            Event::Opened(registry) => {
                // An older database was upgraded by this open: say so once.
                let upgraded = registry.store().upgraded().map(|u| {
                    use crate::i18n::Localized;
                    u.localized(self.lang)
                });
                self.registry = Some(registry);
                self.load();
                if let Some(text) = upgraded {
                    self.say(Status::Info(text));
                }
                self.replay_held()
            }
            Event::Changed(changes) => {
                self.changed(&changes);
                Vec::new()
            }
            Event::Written { id, result } => self.written(id, result),
            Event::Rescoped(actor) => {
                let discarded = self.overlay.is_some();
                self.actor = actor;
                self.overlay = None;
                // What this session did was done as the old role.
                self.undo.clear();
                self.load();
                let role = self.actor.role.label(self.lang);
                let text = match (self.lang, discarded) {
                    (Lang::Zh, false) => format!("您的角色已被管理员变更为：{role}"),
                    (Lang::Zh, true) => {
                        format!("您的角色已被管理员变更为：{role}；打开的表单未保存，已关闭")
                    }
                    (Lang::En, false) => format!("an admin changed your role to: {role}"),
                    (Lang::En, true) => format!(
                        "an admin changed your role to: {role}; the open form was not saved and is closed"
                    ),
                };
                self.say(Status::Info(text));
                Vec::new()
            }
        }
    }

    /// Runs an action as if its key had been pressed, applying what it
    /// writes at once.
    pub fn act(&mut self, action: Action) -> Vec<Effect> {
        let effects = self.action(action);
        self.settle(effects)
    }

    /// Carries out the writes among `effects` here and now, and whatever
    /// they lead to; returns the other effects.
    pub fn settle(&mut self, effects: Vec<Effect>) -> Vec<Effect> {
        let mut queue = VecDeque::from(effects);
        let mut out = Vec::new();
        while let Some(effect) = queue.pop_front() {
            match effect {
                Effect::Write {
                    id,
                    actor,
                    commands,
                } => {
                    let result = match &self.registry {
                        Some(r) => write(r, &actor, &commands, self.lang),
                        None => Err(String::new()),
                    };
                    queue.extend(self.handle(Event::Written { id, result }));
                }
                other => out.push(other),
            }
        }
        out
    }

    /// Hands on what was held back while loading or writing, in order,
    /// until another write holds the rest.
    fn replay_held(&mut self) -> Vec<Effect> {
        let mut effects = Vec::new();
        while self.in_flight.is_none()
            && !self.is_loading()
            && let Some(event) = self.held.pop_front()
        {
            effects.extend(self.handle(event));
        }
        effects
    }

    fn key(&mut self, key: Key) -> Vec<Effect> {
        // Text the screen takes before any binding (a score's digits).
        if self.overlay.is_none()
            && self.pending.is_empty()
            && !self.is_loading()
            && self.top().is_some_and(|s| s.captures(key))
        {
            self.type_key(key);
            return Vec::new();
        }
        let context = self.context();
        match self.keymap.resolve(context, &self.pending, key) {
            Resolution::Pending => {
                self.pending.push(key);
                Vec::new()
            }
            Resolution::Action(action) => {
                self.pending.clear();
                self.action(action)
            }
            Resolution::Unbound => {
                let was_pending = !self.pending.is_empty();
                self.pending.clear();
                if !was_pending {
                    self.type_key(key);
                }
                Vec::new()
            }
        }
    }

    /// What one action does: the overlay's, else the screen's, else the App's.
    fn action(&mut self, action: Action) -> Vec<Effect> {
        use Action as A;
        if self.is_loading() {
            return if action == A::Quit {
                vec![Effect::Quit]
            } else {
                Vec::new()
            };
        }
        if !matches!(action, A::Help) {
            // A message stays until the next action.
            self.status = None;
        }
        match &mut self.overlay {
            Some(Overlay::Form(_)) => return self.form_action(action),
            Some(Overlay::Palette {
                selected, shown, ..
            }) => match action {
                A::Confirm => {
                    let chosen = shown.get(*selected).copied();
                    self.overlay = None;
                    return chosen.map_or_else(Vec::new, |a| self.action(a));
                }
                A::Clear | A::Back => {
                    self.overlay = None;
                    return Vec::new();
                }
                _ => {}
            },
            Some(Overlay::Help { scroll }) => {
                let delta: i64 = match action {
                    A::SelectNext => 1,
                    A::SelectPrev => -1,
                    A::PageDown => 10,
                    A::PageUp => -10,
                    A::SelectFirst => -1000,
                    A::SelectLast => 1000,
                    A::Help | A::Back => {
                        self.overlay = None;
                        return Vec::new();
                    }
                    _ => 0,
                };
                if delta != 0 {
                    *scroll = (i64::from(*scroll) + delta).clamp(0, 1000) as u16;
                    return Vec::new();
                }
                if action != A::Quit {
                    self.overlay = None;
                }
            }
            None => {}
        }
        let outcome = match self.ctx_top() {
            Some((screen, mut ctx)) => screen.act(action, &mut ctx),
            None => Outcome::Pass,
        };
        match outcome {
            Outcome::Done => Vec::new(),
            Outcome::Form(form) => {
                self.overlay = Some(Overlay::Form(form));
                Vec::new()
            }
            Outcome::Push(screen) => {
                self.stack.push(screen);
                Vec::new()
            }
            Outcome::Write(commands) => self.write(commands, Origin::Screen),
            Outcome::Close => {
                if self.stack.len() > 1 {
                    self.stack.pop();
                }
                Vec::new()
            }
            Outcome::Pass => self.global(action),
        }
    }

    /// Actions the screen on top left to the App: leaving, going elsewhere,
    /// the overlays, undo.
    fn global(&mut self, action: Action) -> Vec<Effect> {
        use Action as A;
        match action {
            A::Quit => return vec![Effect::Quit],
            A::Help => self.overlay = Some(Overlay::Help { scroll: 0 }),
            A::Palette => {
                let shown = self.palette_matches("");
                self.overlay = Some(Overlay::Palette {
                    input: Input::default(),
                    selected: 0,
                    shown,
                });
            }
            // Esc in a screen that is all input (the search) leaves it.
            A::Back | A::Clear if self.stack.len() > 1 => {
                self.stack.pop();
            }
            A::Overview => self.stack.truncate(1),
            A::Group(p) => self.open_group(p),
            A::NextGroup | A::PrevGroup => {
                self.close_transient();
                let n = ProjectId::ALL.len();
                let delta = if action == A::NextGroup { 1 } else { n - 1 };
                // The overview moves its selection itself.
                if let Some(Screen::Group(g)) = self.stack.last() {
                    let i = (g.data.project.index() as usize + delta) % n;
                    self.open_group(ProjectId::ALL[i]);
                }
            }
            A::Users => {
                if !matches!(self.stack.last(), Some(Screen::Users(_)))
                    && let Some(u) = self.ctx_map(UsersScreen::open).flatten()
                {
                    self.stack.truncate(1);
                    self.stack.push(Screen::Users(u));
                }
            }
            A::LedgerOverview => {
                self.stack.truncate(1);
                let year = self.today().map_or(2026, |t| chrono::Datelike::year(&t));
                if let Some(l) = self.ctx_map(|ctx| LedgerScreen::open(year, ctx)).flatten() {
                    self.stack.push(Screen::LedgerOverview(l));
                }
            }
            A::Exports => {
                let project = match self.stack.last() {
                    Some(Screen::Group(g)) => Some(g.data.project),
                    _ => None,
                };
                let year = self.today().map_or(2026, |t| chrono::Datelike::year(&t));
                self.status = Some(Status::Info(crate::tui::files::where_exports_are(
                    self.remote.as_deref(),
                    &self.actor.role,
                    project,
                    year,
                    self.lang,
                )));
            }
            A::Evaluation => {
                self.stack.truncate(1);
                let year = self.today().map_or(2026, |t| chrono::Datelike::year(&t));
                if let Some(e) = self
                    .ctx_map(|ctx| EvaluationScreen::open(year, ctx))
                    .flatten()
                {
                    self.stack.push(Screen::Evaluation(e));
                }
            }
            A::AuditLog => match self.stack.last() {
                Some(Screen::Audit(_)) => {
                    self.stack.pop();
                }
                _ => {
                    if let Some(a) = self.ctx_map(AuditScreen::open).flatten() {
                        self.stack.push(Screen::Audit(a));
                    }
                }
            },
            A::StartAssessment => self.start_assessment(),
            A::Undo => return self.undo_last(),
            A::Refresh => {
                self.reload();
                self.say(Status::Info(L::Reloaded.get(self.lang).into()));
            }
            A::AssessPass | A::AssessFail | A::AssessSkip | A::AssessNote | A::WithdrawAll => {
                self.say(Status::Info(L::NotInSession.get(self.lang).into()));
            }
            _ => {}
        }
        Vec::new()
    }

    /// Going elsewhere ends an assessment and leaves the audit trail, the
    /// evaluation or an import's report (which then writes nothing); every
    /// result is already stored, and opening the assessment again resumes.
    fn close_transient(&mut self) {
        while matches!(
            self.stack.last(),
            Some(
                Screen::Assessment(_)
                    | Screen::Audit(_)
                    | Screen::Evaluation(_)
                    | Screen::Import(_)
            )
        ) {
            self.stack.pop();
        }
    }

    fn open_group(&mut self, project: ProjectId) {
        self.close_transient();
        let replace = matches!(self.stack.last(), Some(Screen::Group(_)));
        let tab = match self.stack.last() {
            Some(Screen::Group(g)) => Some(g.tab),
            _ => None,
        };
        let opened = self
            .ctx_map(|ctx| GroupScreen::open(project, tab, ctx))
            .flatten();
        if let Some(g) = opened {
            if replace {
                self.stack.pop();
            }
            self.stack.push(Screen::Group(g));
            if let Some(Screen::Overview(o)) = self.stack.first_mut() {
                o.nav.selected = project.index() as usize;
            }
        }
    }

    /// The semester assessment of the group on screen, or of every group
    /// from the overview.
    fn start_assessment(&mut self) {
        let scope = match self.stack.last() {
            Some(Screen::Group(g)) => Some(g.data.project),
            _ => None,
        };
        let (Some(registry), Some(today)) = (self.registry.clone(), self.today()) else {
            return;
        };
        match AssessmentScreen::open(
            &registry.reader(&self.actor),
            scope,
            Semester::containing(today),
            today,
        ) {
            Ok(s) => self.stack.push(Screen::Assessment(s)),
            Err(e) => self.say(Status::Error(e.localized(self.lang))),
        }
    }

    fn say(&mut self, status: Status) {
        self.status = Some(status);
    }

    fn today(&self) -> Option<chrono::NaiveDate> {
        self.overview().map(|o| o.data.today)
    }

    /// The first read of the data: the overview.
    fn load(&mut self) {
        let Some(registry) = &self.registry else {
            return;
        };
        match super::model::overview(&registry.reader(&self.actor)) {
            Ok(o) => self.stack = vec![Screen::Overview(OverviewScreen::new(o))],
            Err(e) => self.status = Some(Status::Error(e.localized(self.lang))),
        }
    }

    /// Reads everything shown again, keeping selections and filters.
    fn reload(&mut self) {
        self.each_screen(|s, ctx| s.reload(ctx));
    }

    fn changed(&mut self, changes: &[registry::Event]) {
        self.each_screen(|s, ctx| s.changed(changes, ctx));
    }
}
