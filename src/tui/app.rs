//! The App: the screen stack, the overlays above it, and `handle(Message) ->
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
use super::input::action::{Action, Context};
use super::input::key::Key;
use super::input::keymap::{Keymap, Resolution};
use super::input::search::SearchKey;
use super::screens::{self, OverviewScreen, Reply, Screen};
use super::strings::L;
use super::term::theme::{ColorMode, Theme};
use super::widgets::{Ui, View};

mod context;
mod form;
mod probe;
mod typing;
mod writes;

use crate::domain::Actor;
use crate::i18n::{Lang, Localized};
use crate::registry::{self, Command, Registry};
pub use writes::{Refusal, write};

/// What reaches the App: keys, pastes, size changes, and data events.
pub enum Message {
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
        result: Result<Vec<registry::Event>, Refusal>,
    },
    /// An admin changed this user's role (an SSH session follows its user
    /// record): everything is read again as the new role, from the overview.
    Rescoped(Actor),
}

/// What the App asks of its driver.
#[derive(Debug)]
pub enum Effect {
    Quit,
    /// Apply `commands` together as `actor` and answer with `Message::Written`.
    Write {
        id: u64,
        actor: Actor,
        commands: Vec<Command>,
    },
    /// Commands were applied: other sessions should refresh.
    Applied(Vec<registry::Event>),
}

pub use super::widgets::overlay::Overlay;

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
    stack: Vec<Box<dyn Screen>>,
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
    held: VecDeque<Message>,
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
        app.handle(Message::Opened(registry));
        app
    }

    pub fn is_loading(&self) -> bool {
        self.stack.is_empty()
    }

    /// The screen on top.
    pub fn top(&self) -> Option<&dyn Screen> {
        self.stack.last().map(|s| &**s)
    }

    /// The screen on top as a `T`, when it is one.
    pub fn top_as<T: Screen>(&self) -> Option<&T> {
        self.top()?.downcast()
    }

    pub fn screens(&self) -> &[Box<dyn Screen>] {
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

    /// The overview, at the bottom once the data is there.
    pub fn overview(&self) -> Option<&OverviewScreen> {
        self.stack.first()?.downcast()
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

    /// The state as the chrome and the overlays draw it.
    pub fn view(&self) -> View<'_> {
        View {
            lang: self.lang,
            theme: &self.theme,
            keymap: &self.keymap,
            actor: &self.actor,
            top: self.top(),
            at_bottom: self.stack.len() == 1,
            overlay: self.overlay.as_ref(),
            status: self.status.as_ref(),
            context: self.context(),
            pending: &self.pending,
            server_warning: self.server_warning(),
            today: self.today(),
        }
    }

    pub fn ui(&self) -> Ui<'_> {
        Ui {
            lang: self.lang,
            theme: &self.theme,
            today: self.today().unwrap_or(chrono::NaiveDate::MIN),
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
            None => self.top().map_or(Context::List, |s| s.context()),
        }
    }

    pub fn handle(&mut self, event: Message) -> Vec<Effect> {
        let depth = self.stack.len();
        let effects = self.handle_message(event);
        if self.stack.len() < depth {
            give_back_memory();
        }
        effects
    }

    fn handle_message(&mut self, event: Message) -> Vec<Effect> {
        match event {
            Message::Key(key) if self.too_small() => {
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
            Message::Paste(_) if self.too_small() => Vec::new(),
            Message::Key(key) if self.is_loading() => {
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
            Message::Key(_) | Message::Paste(_)
                if self.in_flight.is_some() || self.is_loading() =>
            {
                self.held.push_back(event);
                Vec::new()
            }
            Message::Key(key) => self.key(key),
            Message::Paste(text) => {
                self.paste(&text);
                Vec::new()
            }
            Message::Resize(w, h) => {
                self.size = (w, h);
                Vec::new()
            }
            Message::Opened(registry) => {
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
            Message::Changed(changes) => {
                self.changed(&changes);
                Vec::new()
            }
            Message::Written { id, result } => self.written(id, result),
            Message::Rescoped(actor) => {
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
                        None => Err(Refusal::said("")),
                    };
                    queue.extend(self.handle(Message::Written { id, result }));
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
        let reply = match self.ctx_top() {
            Some((screen, mut ctx)) => screen.act(action, &mut ctx),
            None => Reply::Pass,
        };
        match reply {
            Reply::Pass => self.global(action),
            reply => self.reply(reply),
        }
    }

    /// Carries out what a screen asked for.
    fn reply(&mut self, reply: Reply) -> Vec<Effect> {
        match reply {
            Reply::Form(form) => {
                self.overlay = Some(Overlay::Form(form));
                Vec::new()
            }
            Reply::Write(commands) => self.write(commands, Origin::Screen),
            navigation => {
                self.navigate(navigation);
                Vec::new()
            }
        }
    }

    /// Carries out a screen's request to go elsewhere.
    fn navigate(&mut self, reply: Reply) {
        match reply {
            Reply::Push(screen) => self.stack.push(screen),
            Reply::Switch(screen) => {
                self.leave_transient();
                if self.stack.len() > 1 && self.top().is_some_and(|s| s.same_kind(&*screen)) {
                    self.stack.pop();
                }
                for below in &mut self.stack {
                    below.follow(&*screen);
                }
                self.stack.push(screen);
            }
            Reply::Leave => self.leave_transient(),
            Reply::Root(screen) => {
                self.stack.truncate(1);
                self.stack.push(screen);
            }
            Reply::Home => self.stack.truncate(1),
            Reply::Close => {
                if self.stack.len() > 1 {
                    self.stack.pop();
                }
            }
            Reply::Done | Reply::Pass | Reply::Form(_) | Reply::Write(_) => {}
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
            A::Exports => {
                let project = self.top().and_then(|s| s.project());
                let Some(today) = self.today() else {
                    return Vec::new();
                };
                let year = chrono::Datelike::year(&today);
                self.status = Some(Status::Info(crate::tui::files::where_exports_are(
                    self.remote.as_deref(),
                    &self.actor.role,
                    project,
                    year,
                    self.lang,
                )));
            }
            A::Undo => return self.undo_last(),
            A::Refresh => {
                self.reload();
                self.say(Status::Info(L::Reloaded.get(self.lang).into()));
            }
            // Going elsewhere: the screen this action opens.
            _ => {
                let opened = self
                    .parts()
                    .and_then(|(stack, mut ctx)| screens::open_from(action, stack, &mut ctx));
                if let Some(reply) = opened {
                    return self.reply(reply);
                }
            }
        }
        Vec::new()
    }

    /// Going elsewhere ends an assessment and leaves the audit trail, the
    /// evaluation or an import's report (which then writes nothing); every
    /// result is already stored, and opening the assessment again resumes.
    fn leave_transient(&mut self) {
        while self.stack.len() > 1 && self.top().is_some_and(|s| s.transient()) {
            self.stack.pop();
        }
    }

    fn say(&mut self, status: Status) {
        self.status = Some(status);
    }

    /// The date the data was read as (the bottom screen's).
    fn today(&self) -> Option<chrono::NaiveDate> {
        self.stack.first()?.today()
    }

    /// The first read of the data: the overview.
    fn load(&mut self) {
        let Some(registry) = &self.registry else {
            return;
        };
        match screens::root(&registry.reader(&self.actor)) {
            Ok(root) => self.stack = vec![root],
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

/// A closed screen may have held a province group (17,000 trainees read on
/// a thread of their own): glibc keeps what it freed in that thread's arena,
/// and opening the six groups in turn grew the dashboard from 93 to 133 MiB.
/// Handing the free pages back keeps one group's worth.
fn give_back_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free memory to the system; it reads
    // and writes nothing of ours.
    unsafe {
        libc::malloc_trim(0);
    }
}
