//! The App: all interface state, and `handle(Event) -> Vec<Effect>`, the one
//! place it changes. It reads through the registry's queries and writes only
//! through `Registry::apply`; drawing lives in `view`.

use std::sync::Arc;

use tui_input::Input;

use super::action::{Action, Context};
use super::form::{Field, FieldKind, Form, Purpose, option};
use super::key::{Key, KeyCode};
use super::keymap::{Keymap, Resolution};
use super::model::{self, Detail, Overview, Workspace};
use super::search::{Query, SearchKey};
use super::strings::L;
use super::theme::{ColorMode, Theme};
use crate::domain::{Actor, ProjectId};
use crate::i18n::{Lang, Localized};
use crate::registry::{Command, RecordKind, Registry};

/// What reaches the App: keys, size changes, and data events.
pub enum Event {
    Key(Key),
    Resize(u16, u16),
    /// The database is open (the runner opens it off the drawing thread).
    Opened(Arc<Registry>),
    /// Another session changed the records.
    Changed,
}

/// What the App asks of its runner.
#[derive(Debug, PartialEq, Eq)]
pub enum Effect {
    Quit,
    /// A command was applied: other sessions should refresh.
    Applied(crate::registry::Event),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    Trainees,
    Coaches,
    Schools,
    Ledger,
    Plans,
}

impl Tab {
    pub const ALL: [Tab; 5] = [
        Tab::Trainees,
        Tab::Coaches,
        Tab::Schools,
        Tab::Ledger,
        Tab::Plans,
    ];

    pub fn label(self) -> L {
        match self {
            Tab::Trainees => L::TabTrainees,
            Tab::Coaches => L::TabCoaches,
            Tab::Schools => L::TabSchools,
            Tab::Ledger => L::TabLedger,
            Tab::Plans => L::TabPlans,
        }
    }

    fn index(self) -> usize {
        Tab::ALL.iter().position(|t| *t == self).unwrap_or(0)
    }

    /// The columns a table of this tab can be sorted by.
    pub fn columns(self) -> &'static [L] {
        match self {
            Tab::Trainees => &[
                L::Name,
                L::Kind,
                L::Stage,
                L::HomeSchool,
                L::District,
                L::Grade,
                L::Mode,
            ],
            Tab::Coaches => &[
                L::Name,
                L::Role,
                L::Stage,
                L::Term,
                L::Workplace,
                L::Qualified,
            ],
            Tab::Schools => &[L::School, L::District, L::Projects, L::Stage, L::Principal],
            Tab::Ledger => &[
                L::Date,
                L::EntryType,
                L::Amount,
                L::Category,
                L::Voucher,
                L::Payee,
            ],
            Tab::Plans => &[L::Year, L::Plan, L::Report, L::Goals],
        }
    }
}

/// Where the cursor is in one table, its sort, and its filter.
#[derive(Clone, Debug, Default)]
pub struct TableNav {
    pub selected: usize,
    pub sort: usize,
    pub reverse: bool,
    pub query: String,
    /// Every row index, sorted.
    pub order: Vec<usize>,
    /// Row indexes into the data, filtered and sorted.
    pub shown: Vec<usize>,
    /// The first shown row on screen. The view moves it to keep the selection
    /// visible, as ratatui's `TableState` would, and builds only the rows on
    /// screen: a province group has 17 000 trainees.
    pub offset: std::cell::Cell<usize>,
}

impl TableNav {
    fn step(&mut self, delta: isize) {
        let n = self.shown.len();
        if n == 0 {
            self.selected = 0;
            return;
        }
        self.selected = (self.selected as isize + delta).clamp(0, n as isize - 1) as usize;
    }

    /// The data index of the selected row.
    pub fn current(&self) -> Option<usize> {
        self.shown.get(self.selected).copied()
    }

    /// The range of `shown` that fits `height` rows with the selection in it,
    /// scrolling no more than needed since the last frame.
    pub fn window(&self, height: usize) -> std::ops::Range<usize> {
        let n = self.shown.len();
        let height = height.max(1);
        let mut offset = self.offset.get().min(n.saturating_sub(height));
        if self.selected < offset {
            offset = self.selected;
        } else if self.selected >= offset + height {
            offset = self.selected + 1 - height;
        }
        self.offset.set(offset);
        offset..(offset + height).min(n)
    }
}

pub struct WorkspaceView {
    pub data: Workspace,
    pub tab: Tab,
    pub tables: [TableNav; 5],
    pub detail: Detail,
    pub detail_visible: bool,
    pub detail_scroll: u16,
    /// The filter being typed, when the filter input is open.
    pub filtering: Option<Input>,
}

impl WorkspaceView {
    pub fn table(&self) -> &TableNav {
        &self.tables[self.tab.index()]
    }

    fn table_mut(&mut self) -> &mut TableNav {
        &mut self.tables[self.tab.index()]
    }

    pub fn len(&self, tab: Tab) -> usize {
        match tab {
            Tab::Trainees => self.data.trainees.len(),
            Tab::Coaches => self.data.coaches.len(),
            Tab::Schools => self.data.schools.len(),
            Tab::Ledger => self.data.entries.len(),
            Tab::Plans => self.data.cycles.len(),
        }
    }

    fn keys(&self, tab: Tab) -> &[SearchKey] {
        match tab {
            Tab::Trainees => &self.data.trainee_keys,
            Tab::Coaches => &self.data.coach_keys,
            Tab::Schools => &self.data.school_keys,
            Tab::Ledger => &self.data.entry_keys,
            Tab::Plans => &self.data.cycle_keys,
        }
    }

    /// Recomputes the rows shown for `tab` from its filter and sort, keeping
    /// the selected record selected when it is still shown.
    fn refresh_rows(&mut self, tab: Tab) {
        let i = tab.index();
        let keep = self.tables[i].current();
        let query = Query::new(&self.tables[i].query);
        let keys = self.keys(tab);
        // `order` is already sorted: a keystroke only filters it, no sorting.
        let shown: Vec<usize> = if query.is_empty() {
            self.tables[i].order.clone()
        } else {
            self.tables[i]
                .order
                .iter()
                .copied()
                .filter(|&r| keys[r].matches(&query))
                .collect()
        };
        let t = &mut self.tables[i];
        t.shown = shown;
        t.selected = keep
            .and_then(|k| t.shown.iter().position(|&r| r == k))
            .unwrap_or(0);
        if t.selected >= t.shown.len() {
            t.selected = t.shown.len().saturating_sub(1);
        }
    }

    /// Sorts every row of `tab` by its sort column, then filters.
    fn resort(&mut self, tab: Tab, lang: Lang) {
        let i = tab.index();
        let (col, reverse) = (self.tables[i].sort, self.tables[i].reverse);
        let mut order: Vec<usize> = (0..self.len(tab)).collect();
        order.sort_by_cached_key(|&r| model::sort_key(&self.data, tab, r, col, lang));
        if reverse {
            order.reverse();
        }
        self.tables[i].order = order;
        self.refresh_rows(tab);
    }

    /// The record the selected row shows.
    pub fn selected_record(&self) -> Option<(RecordKind, u64)> {
        let r = self.table().current()?;
        Some(match self.tab {
            Tab::Trainees => (RecordKind::Trainee, self.data.trainees.get(r)?.id),
            Tab::Coaches => (RecordKind::Coach, self.data.coaches.get(r)?.coach.id),
            Tab::Schools => (RecordKind::School, self.data.schools.get(r)?.id),
            Tab::Ledger => (RecordKind::Entry, self.data.entries.get(r)?.id),
            Tab::Plans => {
                let c = self.data.cycles.get(r)?;
                (
                    RecordKind::Cycle,
                    crate::registry::cycle_id(c.project, c.year),
                )
            }
        })
    }
}

/// The audit trail, newest first, with its own filter.
pub struct AuditScreen {
    pub lines: Vec<model::AuditLine>,
    keys: Vec<SearchKey>,
    pub nav: TableNav,
    pub query: String,
    pub filtering: Option<Input>,
}

impl AuditScreen {
    fn new(lines: Vec<model::AuditLine>) -> AuditScreen {
        let keys = lines
            .iter()
            .map(|l| {
                let e = &l.entry;
                let group = e
                    .project
                    .map(|p| p.group_name(Lang::Zh))
                    .unwrap_or_default();
                let group_en = e.project.map(|p| p.code()).unwrap_or_default();
                SearchKey::new(&[
                    &l.at,
                    &e.actor,
                    &group,
                    group_en,
                    e.command.action(Lang::Zh),
                    e.command.action(Lang::En),
                    e.kind.label(Lang::Zh),
                ])
            })
            .collect();
        let n = lines.len();
        let mut screen = AuditScreen {
            lines,
            keys,
            nav: TableNav {
                order: (0..n).collect(),
                ..TableNav::default()
            },
            query: String::new(),
            filtering: None,
        };
        screen.refilter();
        screen
    }

    fn refilter(&mut self) {
        let q = Query::new(&self.query);
        self.nav.shown = if self.query.is_empty() {
            self.nav.order.clone()
        } else {
            self.nav
                .order
                .iter()
                .copied()
                .filter(|&i| self.keys[i].matches(&q))
                .collect()
        };
        self.nav.selected = self
            .nav
            .selected
            .min(self.nav.shown.len().saturating_sub(1));
    }
}

/// The ledger overview: every group's and school's accounts of one year.
pub struct LedgerScreen {
    pub data: model::LedgerOverview,
    pub nav: TableNav,
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
    Form(Form),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Status {
    Info(String),
    Error(String),
}

pub struct App {
    pub lang: Lang,
    pub theme: Theme,
    pub keymap: Keymap,
    pub actor: Actor,
    registry: Option<Arc<Registry>>,
    pub overview: Option<Overview>,
    pub overview_nav: TableNav,
    pub workspace: Option<WorkspaceView>,
    /// Under the workspace: Esc from a group opened here comes back here.
    pub ledger: Option<LedgerScreen>,
    /// A semester assessment session, over everything else.
    pub session: Option<super::session::Session>,
    /// The audit trail, over the workspace.
    pub audit: Option<AuditScreen>,
    /// What this session applied, newest last: `u` takes back the last.
    undo: Vec<crate::registry::Event>,
    pub overlay: Option<Overlay>,
    pub status: Option<Status>,
    pub size: (u16, u16),
    pending: Vec<Key>,
    palette_keys: Vec<(Action, SearchKey)>,
}

impl App {
    /// An App waiting for its database.
    pub fn new(lang: Lang, keymap: Keymap, colors: ColorMode, actor: Actor) -> App {
        let palette_keys = Action::ALL
            .iter()
            .map(|a| {
                (
                    *a,
                    SearchKey::new(&[a.describe(Lang::Zh), a.describe(Lang::En), a.name()]),
                )
            })
            .collect();
        App {
            lang,
            theme: Theme::new(colors),
            keymap,
            actor,
            registry: None,
            overview: None,
            overview_nav: TableNav {
                shown: (0..ProjectId::ALL.len()).collect(),
                ..TableNav::default()
            },
            workspace: None,
            ledger: None,
            session: None,
            audit: None,
            undo: Vec::new(),
            overlay: None,
            status: None,
            size: (80, 24),
            pending: Vec::new(),
            palette_keys,
        }
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
        self.overview.is_none()
    }

    /// The keys typed so far of a longer binding (`g` of `g g`).
    pub fn pending_keys(&self) -> &[Key] {
        &self.pending
    }

    /// Which bindings are in force now.
    pub fn context(&self) -> Context {
        match &self.overlay {
            Some(Overlay::Form(f)) if f.confirm_discard => Context::Confirm,
            Some(Overlay::Form(_)) => Context::Form,
            Some(Overlay::Palette { .. }) => Context::Input,
            Some(Overlay::Help { .. }) => Context::List,
            None if self.session.as_ref().is_some_and(|s| s.input.is_some()) => Context::Input,
            None if self.audit.as_ref().is_some_and(|a| a.filtering.is_some()) => Context::Input,
            None if self
                .workspace
                .as_ref()
                .is_some_and(|w| w.filtering.is_some()) =>
            {
                Context::Input
            }
            None => Context::List,
        }
    }

    pub fn handle(&mut self, event: Event) -> Vec<Effect> {
        match event {
            Event::Key(key) => self.key(key),
            Event::Resize(w, h) => {
                self.size = (w, h);
                Vec::new()
            }
            Event::Opened(registry) => {
                self.registry = Some(registry);
                self.reload();
                Vec::new()
            }
            Event::Changed => {
                self.reload();
                Vec::new()
            }
        }
    }

    fn key(&mut self, key: Key) -> Vec<Effect> {
        if self.is_loading() {
            // Only quitting makes sense before the data is there.
            return match self.keymap.resolve(Context::Global, &[], key) {
                Resolution::Action(Action::Quit) => vec![Effect::Quit],
                _ => Vec::new(),
            };
        }
        let context = self.context();
        match self.keymap.resolve(context, &self.pending, key) {
            Resolution::Pending => {
                self.pending.push(key);
                Vec::new()
            }
            Resolution::Action(action) => {
                self.pending.clear();
                self.act(action)
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

    /// Runs an action as if its key had been pressed.
    pub fn act(&mut self, action: Action) -> Vec<Effect> {
        let effects = self.act_inner(action);
        if action != Action::Undo {
            for effect in &effects {
                if let Effect::Applied(event) = effect {
                    self.undo.push(event.clone());
                }
            }
        }
        effects
    }

    fn act_inner(&mut self, action: Action) -> Vec<Effect> {
        use Action as A;
        // A form holds typed text: only its own keys, help and quit reach
        // through it, so nothing navigates away from unsaved input.
        if matches!(self.overlay, Some(Overlay::Form(_)))
            && action.context() == Context::Global
            && !matches!(action, A::Quit | A::Help)
        {
            return Vec::new();
        }
        if !matches!(action, A::Help) {
            // A message stays until the next action.
            self.status = None;
        }
        // Going elsewhere ends an assessment session; every result in it is
        // already stored, and opening it again resumes.
        if matches!(
            action,
            A::Overview
                | A::NextGroup
                | A::PrevGroup
                | A::GroupMath
                | A::GroupPhysics
                | A::GroupChemistry
                | A::GroupBiology
                | A::GroupInformatics
                | A::GroupHumanities
                | A::LedgerOverview
        ) {
            self.session = None;
            self.audit = None;
        }
        if self.session.is_none() && self.overlay.is_none() && self.audit.is_some() {
            if let Some(effects) = self.audit_action(action) {
                return effects;
            }
        }
        if self.session.is_some() && self.overlay.is_none() {
            if let Some(effects) = self.session_action(action) {
                return effects;
            }
        }
        match action {
            A::Quit => {
                if let Some(Overlay::Form(f)) = &mut self.overlay
                    && f.changed()
                {
                    f.confirm_discard = true;
                    return Vec::new();
                }
                return vec![Effect::Quit];
            }
            A::Help => {
                self.overlay = match self.overlay {
                    Some(Overlay::Help { .. }) => None,
                    _ => Some(Overlay::Help { scroll: 0 }),
                };
            }
            A::Palette => {
                let shown = self.palette_matches("");
                self.overlay = Some(Overlay::Palette {
                    input: Input::default(),
                    selected: 0,
                    shown,
                });
            }
            A::Back => self.back(),
            A::Overview => {
                self.overlay = None;
                self.workspace = None;
                self.ledger = None;
            }
            A::LedgerOverview => {
                self.overlay = None;
                self.workspace = None;
                let year = self
                    .overview
                    .as_ref()
                    .map_or(2026, |o| chrono::Datelike::year(&o.today));
                self.open_ledger(year);
            }
            A::StartAssessment => self.start_assessment(),
            A::Undo => return self.undo_last(),
            A::AuditLog => self.open_audit(),
            A::NewRecord | A::NextStep | A::RaiseObjection => self.pipeline_form(action),
            // Outside a session: the withdrawal form of the selected trainee.
            A::Withdraw => self.withdraw_form(),
            A::AssessPass | A::AssessFail | A::AssessSkip | A::AssessNote | A::WithdrawAll => {
                self.status = Some(Status::Info(L::NotInSession.get(self.lang).into()));
            }
            A::AddAllocation => self.entry_form(crate::registry::Movement::Allocation),
            A::AddExpense => self.entry_form(crate::registry::Movement::Expense),
            A::ReverseEntry => self.reverse_form(),
            A::NextGroup | A::PrevGroup => {
                let delta = if action == A::NextGroup {
                    1
                } else {
                    ProjectId::ALL.len() - 1
                };
                match &self.workspace {
                    Some(w) => {
                        let i = (w.data.project.index() as usize + delta) % ProjectId::ALL.len();
                        self.open_group(ProjectId::ALL[i]);
                    }
                    None => {
                        self.overview_nav.selected =
                            (self.overview_nav.selected + delta) % ProjectId::ALL.len();
                    }
                }
            }
            A::GroupMath => self.open_group(ProjectId::Math),
            A::GroupPhysics => self.open_group(ProjectId::Physics),
            A::GroupChemistry => self.open_group(ProjectId::Chemistry),
            A::GroupBiology => self.open_group(ProjectId::Biology),
            A::GroupInformatics => self.open_group(ProjectId::Informatics),
            A::GroupHumanities => self.open_group(ProjectId::Humanities),
            A::Refresh => {
                self.reload();
                self.status = Some(Status::Info(L::Reloaded.get(self.lang).into()));
            }
            A::SelectNext => self.move_selection(1),
            A::SelectPrev => self.move_selection(-1),
            A::SelectFirst => self.move_selection(isize::MIN / 2),
            A::SelectLast => self.move_selection(isize::MAX / 2),
            A::PageDown => self.move_selection(self.page() as isize),
            A::PageUp => self.move_selection(-(self.page() as isize)),
            A::Open => match (&mut self.workspace, &self.ledger) {
                (Some(w), _) => w.detail_visible = true,
                (None, Some(l)) => {
                    let project = l
                        .nav
                        .current()
                        .and_then(|i| l.data.lines.get(i))
                        .and_then(|line| line.project);
                    if let Some(p) = project {
                        self.open_group(p);
                        if let Some(w) = &mut self.workspace {
                            w.tab = Tab::Ledger;
                            self.load_detail();
                        }
                    }
                }
                (None, None) => {
                    let p =
                        ProjectId::ALL[self.overview_nav.selected.min(ProjectId::ALL.len() - 1)];
                    self.open_group(p);
                }
            },
            A::NextTab | A::PrevTab if self.workspace.is_none() => {
                // On the ledger overview the arrows change the year.
                if let Some(l) = &self.ledger {
                    let years = &l.data.years;
                    let at = years.iter().position(|y| *y == l.data.year);
                    let next = match (at, action == A::NextTab) {
                        (Some(i), true) => years.get(i + 1),
                        (Some(i), false) => i.checked_sub(1).and_then(|i| years.get(i)),
                        (None, _) => years.last(),
                    };
                    if let Some(&year) = next {
                        self.open_ledger(year);
                    }
                }
            }
            A::NextTab | A::PrevTab => {
                if let Some(w) = &mut self.workspace {
                    let n = Tab::ALL.len();
                    let i = (w.tab.index() + if action == A::NextTab { 1 } else { n - 1 }) % n;
                    w.tab = Tab::ALL[i];
                    w.detail_scroll = 0;
                    self.load_detail();
                }
            }
            A::Filter => {
                if let Some(w) = &mut self.workspace {
                    let q = w.table().query.clone();
                    w.filtering = Some(Input::new(q));
                }
            }
            A::SortNext | A::SortReverse => {
                let lang = self.lang;
                if let Some(w) = &mut self.workspace {
                    let tab = w.tab;
                    let t = w.table_mut();
                    if action == A::SortNext {
                        t.sort = (t.sort + 1) % tab.columns().len();
                        t.reverse = false;
                    } else {
                        t.reverse = !t.reverse;
                    }
                    w.resort(tab, lang);
                }
            }
            A::ToggleDetail => {
                if let Some(w) = &mut self.workspace {
                    w.detail_visible = !w.detail_visible;
                }
            }
            A::DetailDown | A::DetailUp => {
                if let Some(w) = &mut self.workspace {
                    w.detail_scroll = if action == A::DetailDown {
                        w.detail_scroll.saturating_add(3)
                    } else {
                        w.detail_scroll.saturating_sub(3)
                    };
                }
            }
            A::Edit => self.edit(),
            A::NextField | A::PrevField => {
                if let Some(Overlay::Form(f)) = &mut self.overlay {
                    if action == A::NextField {
                        f.next()
                    } else {
                        f.prev()
                    }
                }
            }
            A::Submit => return self.submit(),
            A::Cancel => {
                if let Some(Overlay::Form(f)) = &mut self.overlay {
                    if f.changed() {
                        f.confirm_discard = true;
                    } else {
                        self.overlay = None;
                    }
                }
            }
            A::Confirm => return self.confirm_input(),
            A::Clear => self.clear_input(),
            A::Yes => {
                if matches!(&self.overlay, Some(Overlay::Form(f)) if f.confirm_discard) {
                    self.overlay = None;
                }
            }
            A::No => {
                if let Some(Overlay::Form(f)) = &mut self.overlay {
                    f.confirm_discard = false;
                }
            }
        }
        Vec::new()
    }

    fn open_audit(&mut self) {
        let Some(registry) = self.registry.clone() else {
            return;
        };
        match model::audit_log(&registry) {
            Ok(lines) => {
                self.overlay = None;
                self.audit = Some(AuditScreen::new(lines));
            }
            Err(e) => self.status = Some(Status::Error(e.localized(self.lang))),
        }
    }

    /// Keys on the audit screen: moving, filtering, leaving.
    fn audit_action(&mut self, action: Action) -> Option<Vec<Effect>> {
        use Action as A;
        let audit = self.audit.as_mut()?;
        match action {
            A::SelectNext => audit.nav.step(1),
            A::SelectPrev => audit.nav.step(-1),
            A::SelectFirst => audit.nav.step(isize::MIN / 2),
            A::SelectLast => audit.nav.step(isize::MAX / 2),
            A::PageDown | A::PageUp => {
                let page = usize::from(self.size.1.saturating_sub(8)).max(1) as isize;
                let audit = self.audit.as_mut()?;
                audit
                    .nav
                    .step(if action == A::PageDown { page } else { -page });
            }
            A::Filter => audit.filtering = Some(Input::new(audit.query.clone())),
            A::Confirm => audit.filtering = None,
            A::Clear => {
                audit.filtering = None;
                audit.query.clear();
                audit.refilter();
            }
            A::Back => {
                if !audit.query.is_empty() {
                    audit.query.clear();
                    audit.refilter();
                } else {
                    self.audit = None;
                }
            }
            A::AuditLog => self.audit = None,
            _ => return None,
        }
        Some(Vec::new())
    }

    /// Takes back this session's last change with its inverse command.
    fn undo_last(&mut self) -> Vec<Effect> {
        let lang = self.lang;
        let (Some(registry), Some(today)) = (
            self.registry.clone(),
            self.overview.as_ref().map(|o| o.today),
        ) else {
            return Vec::new();
        };
        let Some(last) = self.undo.pop() else {
            self.status = Some(Status::Info(L::NothingToUndo.get(lang).into()));
            return Vec::new();
        };
        let result = registry
            .inverse(last.audit_id, today)
            .map_err(|refusal| refusal.message(lang))
            .and_then(|command| {
                let action = command.action(lang);
                registry
                    .apply(&self.actor, command)
                    .map(|event| (event, action))
                    .map_err(|e| e.localized(lang))
            });
        match result {
            Ok((event, action)) => {
                self.reload();
                self.status = Some(Status::Info(format!("{}：{action}", L::Undone.get(lang))));
                vec![Effect::Applied(event)]
            }
            Err(message) => {
                // It stays the last change: the message says what to do.
                self.undo.push(last);
                self.status = Some(Status::Error(message));
                Vec::new()
            }
        }
    }

    /// Opens the semester assessment of the group on screen, or of every
    /// group from the overview.
    fn start_assessment(&mut self) {
        let (Some(registry), Some(o)) = (self.registry.clone(), &self.overview) else {
            return;
        };
        let scope = self.workspace.as_ref().map(|w| w.data.project);
        match super::session::Session::open(&registry, scope, o.semester, o.today) {
            Ok(s) => {
                self.overlay = None;
                self.session = Some(s);
            }
            Err(e) => self.status = Some(Status::Error(e.localized(self.lang))),
        }
    }

    /// Runs `action` inside the open assessment session; `None` when the
    /// session leaves it to the usual handling (help, quit, palette).
    fn session_action(&mut self, action: Action) -> Option<Vec<Effect>> {
        use super::session::Session;
        use crate::domain::Outcome;
        use Action as A;
        let registry = self.registry.clone()?;
        let lang = self.lang;
        let session: &mut Session = self.session.as_mut()?;
        let in_summary = session.summary.is_some();
        let apply = |command: crate::registry::Command| registry.apply(&self.actor, command);
        let mut effects = Vec::new();
        match action {
            A::AssessPass | A::AssessFail if !in_summary => {
                let outcome = if action == A::AssessPass {
                    Outcome::Pass
                } else {
                    Outcome::Fail
                };
                if let Some(command) = session.command(outcome) {
                    match apply(command) {
                        Ok(event) => {
                            effects.push(Effect::Applied(event));
                            if let Err(e) = session.recorded(&registry) {
                                self.status = Some(Status::Error(e.localized(lang)));
                            }
                        }
                        Err(e) => self.status = Some(Status::Error(e.localized(lang))),
                    }
                }
            }
            A::AssessSkip if !in_summary => session.skip(),
            // left/right: the session of the previous or next semester.
            A::PrevTab | A::NextTab => {
                let semester = if action == A::PrevTab {
                    session.semester.previous()
                } else {
                    session.semester.next()
                };
                let (scope, today) = (session.scope, session.today);
                match Session::open(&registry, scope, semester, today) {
                    Ok(s) => self.session = Some(s),
                    Err(e) => self.status = Some(Status::Error(e.localized(lang))),
                }
            }
            A::AssessNote if !in_summary => session.input = Some(Input::default()),
            A::Withdraw | A::WithdrawAll if in_summary => {
                let summary = session.summary.as_mut()?;
                let which: Vec<usize> = if action == A::Withdraw {
                    summary.nav.current().into_iter().collect()
                } else {
                    (0..summary.queue.len()).collect()
                };
                for i in which {
                    let Some(command) = summary.withdrawal(&registry, i, session.today) else {
                        continue;
                    };
                    match apply(command) {
                        Ok(event) => {
                            effects.push(Effect::Applied(event));
                            summary.queue[i].withdrawn = true;
                        }
                        Err(e) => {
                            self.status = Some(Status::Error(e.localized(lang)));
                            break;
                        }
                    }
                }
                if !effects.is_empty() {
                    self.reload();
                }
            }
            // esc closes the score input, else ends the session (to the
            // summary), else leaves the summary.
            A::Back | A::Clear => match (session.input.take(), in_summary) {
                (Some(_), _) => {}
                (None, true) => {
                    self.session = None;
                    self.reload();
                }
                (None, false) => session.finish(),
            },
            A::Confirm => {
                if let Some(input) = session.input.take()
                    && !session.take_score_and_note(input.value())
                {
                    session.input = Some(input);
                    self.status = Some(Status::Error(L::BadScore.get(lang).into()));
                }
            }
            A::SelectNext | A::SelectPrev | A::SelectFirst | A::SelectLast => {
                let delta = match action {
                    A::SelectNext => 1,
                    A::SelectPrev => -1,
                    A::SelectFirst => isize::MIN / 2,
                    _ => isize::MAX / 2,
                };
                match &mut session.summary {
                    Some(summary) => summary.nav.step(delta),
                    None => session.nav.step(delta),
                }
            }
            A::PageDown | A::PageUp => {
                let page = self.page() as isize;
                let session = self.session.as_mut()?;
                let delta = if action == A::PageDown { page } else { -page };
                match &mut session.summary {
                    Some(summary) => summary.nav.step(delta),
                    None => session.nav.step(delta),
                }
            }
            A::Quit | A::Help | A::Palette | A::Refresh => return None,
            // Everything else (tabs, sorting, forms) has no meaning here.
            _ => {}
        }
        Some(effects)
    }

    fn back(&mut self) {
        if self.overlay.take().is_some() {
            return;
        }
        if let Some(w) = &mut self.workspace {
            if !w.table().query.is_empty() {
                w.table_mut().query.clear();
                let tab = w.tab;
                w.refresh_rows(tab);
                return;
            }
            self.workspace = None;
            return;
        }
        self.ledger = None;
    }

    fn page(&self) -> usize {
        usize::from(self.size.1.saturating_sub(8)).max(1)
    }

    fn move_selection(&mut self, delta: isize) {
        match (&mut self.overlay, &mut self.workspace) {
            (Some(Overlay::Help { scroll }), _) => {
                *scroll =
                    (i64::from(*scroll) + delta.clamp(-1000, 1000) as i64).clamp(0, 1000) as u16;
            }
            (_, Some(w)) => {
                w.table_mut().step(delta);
                w.detail_scroll = 0;
                self.load_detail();
            }
            (_, None) => match &mut self.ledger {
                Some(l) => l.nav.step(delta),
                None => self.overview_nav.step(delta),
            },
        }
    }

    /// Shows the ledger overview of `year`, keeping the selected row.
    fn open_ledger(&mut self, year: i32) {
        let Some(registry) = self.registry.clone() else {
            return;
        };
        match model::ledger_overview(&registry, year) {
            Ok(data) => {
                let selected = self.ledger.as_ref().map_or(0, |l| l.nav.selected);
                let n = data.lines.len();
                self.ledger = Some(LedgerScreen {
                    data,
                    nav: TableNav {
                        selected: selected.min(n.saturating_sub(1)),
                        order: (0..n).collect(),
                        shown: (0..n).collect(),
                        ..TableNav::default()
                    },
                });
            }
            Err(e) => self.status = Some(Status::Error(e.localized(self.lang))),
        }
    }

    fn open_group(&mut self, project: ProjectId) {
        let Some(registry) = self.registry.clone() else {
            return;
        };
        self.overlay = None;
        self.overview_nav.selected = project.index() as usize;
        match model::workspace(&registry, project) {
            Ok(data) => {
                let mut w = WorkspaceView {
                    data,
                    tab: self.workspace.as_ref().map_or(Tab::Trainees, |w| w.tab),
                    tables: Default::default(),
                    detail: Detail::default(),
                    detail_visible: true,
                    detail_scroll: 0,
                    filtering: None,
                };
                for tab in Tab::ALL {
                    w.resort(tab, self.lang);
                }
                self.workspace = Some(w);
                self.load_detail();
            }
            Err(e) => self.status = Some(Status::Error(e.localized(self.lang))),
        }
    }

    /// Reads everything shown again, keeping selections and filters.
    fn reload(&mut self) {
        let Some(registry) = self.registry.clone() else {
            return;
        };
        match model::overview(&registry) {
            Ok(o) => self.overview = Some(o),
            Err(e) => {
                self.status = Some(Status::Error(e.localized(self.lang)));
                return;
            }
        }
        if let Some(year) = self.ledger.as_ref().map(|l| l.data.year) {
            self.open_ledger(year);
        }
        if let Some(query) = self.audit.as_ref().map(|a| a.query.clone())
            && let Ok(lines) = model::audit_log(&registry)
        {
            let mut audit = AuditScreen::new(lines);
            audit.query = query;
            audit.refilter();
            self.audit = Some(audit);
        }
        if let Some(w) = &mut self.workspace {
            match model::workspace(&registry, w.data.project) {
                Ok(data) => {
                    w.data = data;
                    for tab in Tab::ALL {
                        w.resort(tab, self.lang);
                    }
                    w.detail = Detail::default();
                }
                Err(e) => self.status = Some(Status::Error(e.localized(self.lang))),
            }
            self.load_detail();
        }
    }

    /// Reads the history of the selected record when the selection changed.
    fn load_detail(&mut self) {
        let (Some(registry), Some(w)) = (self.registry.clone(), &mut self.workspace) else {
            return;
        };
        let Some((kind, id)) = w.selected_record() else {
            w.detail = Detail::default();
            return;
        };
        if w.detail.kind == Some((kind, id)) {
            return;
        }
        match model::detail(&registry, kind, id) {
            Ok(d) => w.detail = d,
            Err(e) => self.status = Some(Status::Error(e.localized(self.lang))),
        }
    }

    fn palette_matches(&self, text: &str) -> Vec<Action> {
        let q = Query::new(text);
        self.palette_keys
            .iter()
            .filter(|(_, k)| k.matches(&q))
            .map(|(a, _)| *a)
            .collect()
    }

    /// A key no binding took: text for the open input or form field.
    fn type_key(&mut self, key: Key) {
        if self.overlay.is_none()
            && let Some(input) = self.session.as_mut().and_then(|s| s.input.as_mut())
        {
            edit_input(input, key);
            return;
        }
        if self.overlay.is_none()
            && let Some(audit) = self.audit.as_mut()
            && let Some(input) = audit.filtering.as_mut()
        {
            if edit_input(input, key) {
                audit.query = input.value().to_string();
                audit.refilter();
            }
            return;
        }
        if let Some(Overlay::Form(f)) = &mut self.overlay {
            if !f.confirm_discard
                && let Some(field) = f.focused()
            {
                field.key(key);
            }
            return;
        }
        if let Some(Overlay::Palette {
            input,
            selected,
            shown,
        }) = &mut self.overlay
        {
            match key.code {
                KeyCode::Down => *selected = (*selected + 1).min(shown.len().saturating_sub(1)),
                KeyCode::Up => *selected = selected.saturating_sub(1),
                _ => {
                    if edit_input(input, key) {
                        let text = input.value().to_string();
                        let matches = self.palette_matches(&text);
                        if let Some(Overlay::Palette {
                            shown, selected, ..
                        }) = &mut self.overlay
                        {
                            *shown = matches;
                            *selected = 0;
                        }
                    }
                }
            }
            return;
        }
        if let Some(w) = &mut self.workspace
            && let Some(input) = &mut w.filtering
        {
            if matches!(key.code, KeyCode::Down | KeyCode::Up) {
                // Arrows move through the narrowed list while typing.
                let d = if key.code == KeyCode::Down { 1 } else { -1 };
                w.table_mut().step(d);
            } else if edit_input(input, key) {
                let q = input.value().to_string();
                let tab = w.tab;
                w.table_mut().query = q;
                w.refresh_rows(tab);
            }
            self.load_detail();
        }
    }

    fn confirm_input(&mut self) -> Vec<Effect> {
        if let Some(Overlay::Palette {
            selected, shown, ..
        }) = &self.overlay
        {
            let action = shown.get(*selected).copied();
            self.overlay = None;
            return match action {
                Some(a) => self.act(a),
                None => Vec::new(),
            };
        }
        if let Some(w) = &mut self.workspace {
            w.filtering = None;
        }
        Vec::new()
    }

    fn clear_input(&mut self) {
        if matches!(self.overlay, Some(Overlay::Palette { .. })) {
            self.overlay = None;
            return;
        }
        if let Some(w) = &mut self.workspace
            && w.filtering.take().is_some()
        {
            w.table_mut().query.clear();
            let tab = w.tab;
            w.refresh_rows(tab);
            self.load_detail();
        }
    }

    fn edit(&mut self) {
        let Some(w) = &self.workspace else { return };
        if w.tab == Tab::Plans
            && let Some(c) = w.table().current().and_then(|r| w.data.cycles.get(r))
        {
            let form = super::plan_forms::plan_form(c.project, c.year, Some(c), self.lang);
            self.overlay = Some(Overlay::Form(form));
            return;
        }
        let trainee = match (w.tab, w.table().current()) {
            (Tab::Trainees, Some(r)) => w.data.trainees.get(r),
            _ => None,
        };
        let Some(t) = trainee else {
            self.status = Some(Status::Info(L::NotEditable.get(self.lang).into()));
            return;
        };
        let fields = vec![
            Field::new(("联系电话", "Phone"), FieldKind::Phone, &t.phone),
            Field::new(
                ("所在学校", "Home school"),
                FieldKind::Text {
                    max: crate::domain::text::MEDIUM,
                    required: true,
                },
                &t.home_school,
            ),
        ];
        self.overlay = Some(Overlay::Form(Form::new(
            L::EditContact,
            Purpose::EditContact {
                trainee: t.id,
                version: t.stamp.version,
            },
            fields,
        )));
    }

    /// The accounts money can be recorded into from here, and the one to
    /// offer first: the ledger tab's (the selected entry's account, else the
    /// daily fund), or the ledger overview's selected account.
    fn entry_accounts(&self) -> Option<(Vec<crate::domain::Account>, usize)> {
        use crate::domain::Account;
        if let Some(w) = &self.workspace {
            if w.tab != Tab::Ledger {
                return None;
            }
            let accounts: Vec<Account> = w
                .data
                .accounts
                .iter()
                .filter(|a| a.account.year == w.data.year)
                .map(|a| a.account)
                .collect();
            let wanted = w
                .table()
                .current()
                .and_then(|r| w.data.entries.get(r))
                .map(|e| e.account)
                .unwrap_or(Account::daily(w.data.project, w.data.year));
            let at = accounts.iter().position(|a| *a == wanted).unwrap_or(0);
            return Some((accounts, at));
        }
        let l = self.ledger.as_ref()?;
        let accounts: Vec<Account> = l.data.lines.iter().map(|line| line.account).collect();
        Some((accounts, l.nav.selected))
    }

    fn account_label(&self, account: &crate::domain::Account, lang: Lang) -> String {
        use crate::domain::Holder;
        let holder = match account.holder {
            Holder::Project(p) => p.group_name(lang),
            Holder::School(id) => self
                .school_name(id)
                .unwrap_or_else(|| format!("{} {id}", L::BaseSchools.get(lang))),
        };
        format!("{holder} {} {}", account.fund.label(lang), account.year)
    }

    fn school_name(&self, id: u64) -> Option<String> {
        let from_workspace = self.workspace.as_ref().and_then(|w| {
            w.data
                .schools
                .iter()
                .find(|s| s.id == id)
                .map(|s| s.application.name.clone())
        });
        from_workspace.or_else(|| {
            self.ledger.as_ref().and_then(|l| {
                l.data
                    .lines
                    .iter()
                    .find(|line| line.account.holder == crate::domain::Holder::School(id))
                    .and_then(|line| line.school.clone())
            })
        })
    }

    /// The spending categories to offer: the defaults, then those of this
    /// year's budget and of entries already recorded, so a category the plan
    /// adds is offered from then on.
    fn categories(&self) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = crate::domain::ledger::DEFAULT_CATEGORIES
            .iter()
            .skip(1)
            .map(|(zh, en)| (zh.to_string(), en.to_string()))
            .collect();
        if let Some(w) = &self.workspace {
            let planned = w.data.budget.iter().map(|b| &b.category);
            let used = w
                .data
                .entries
                .iter()
                .filter(|e| e.kind == crate::domain::EntryKind::Expense)
                .map(|e| &e.category);
            for c in planned.chain(used) {
                if !out.iter().any(|(zh, _)| zh == c) {
                    out.push((c.clone(), c.clone()));
                }
            }
        }
        out
    }

    fn entry_form(&mut self, movement: crate::registry::Movement) {
        use crate::domain::text::{LONG, MEDIUM, SHORT};
        use crate::registry::Movement;
        let Some((accounts, at)) = self.entry_accounts() else {
            self.status = Some(Status::Info(L::LedgerOnly.get(self.lang).into()));
            return;
        };
        if accounts.is_empty() {
            self.status = Some(Status::Info(L::NoAccountHere.get(self.lang).into()));
            return;
        }
        let options = accounts
            .iter()
            .map(|a| {
                (
                    self.account_label(a, Lang::Zh),
                    self.account_label(a, Lang::En),
                )
            })
            .collect();
        let today = self.today_text();
        let mut fields = vec![
            Field::choice((ACCOUNT, "Account"), options, at),
            Field::new((DATE, "Date"), FieldKind::Date, &today),
            Field::new((AMOUNT, "Amount ¥"), FieldKind::Money, ""),
        ];
        let (title, payee) = match movement {
            Movement::Allocation => (L::AddAllocation, (PAYEE, "Allocated by")),
            Movement::Expense => {
                fields.push(Field::choice((CATEGORY, "Category"), self.categories(), 0));
                (L::AddExpense, (PAYEE, "Payee"))
            }
        };
        fields.push(Field::new(
            (VOUCHER, "Voucher no."),
            FieldKind::text(SHORT, false),
            "",
        ));
        fields.push(Field::new(payee, FieldKind::text(MEDIUM, false), ""));
        fields.push(Field::new((NOTE, "Note"), FieldKind::text(LONG, false), ""));
        self.overlay = Some(Overlay::Form(Form::new(
            title,
            Purpose::AddEntry { movement, accounts },
            fields,
        )));
    }

    /// Today as a form's date field shows it.
    fn today_text(&self) -> String {
        self.overview
            .as_ref()
            .map(|o| o.today.to_string())
            .unwrap_or_default()
    }

    /// `pick` of the selected row when the workspace shows `tab`.
    fn selected_on<T>(&self, tab: Tab, pick: impl Fn(&Workspace, usize) -> Option<T>) -> Option<T> {
        let w = self.workspace.as_ref().filter(|w| w.tab == tab)?;
        pick(&w.data, w.table().current()?)
    }

    /// The withdrawal form of the selected trainee, or the reinstatement
    /// form of one already withdrawn.
    fn withdraw_form(&mut self) {
        use crate::domain::TraineeStage;
        let lang = self.lang;
        let trainee = self.selected_on(Tab::Trainees, |d, r| d.trainees.get(r).cloned());
        let Some(t) = trainee else {
            self.status = Some(Status::Info(L::PickTrainee.get(lang).into()));
            return;
        };
        let today = self.today_text();
        let form = match t.stage {
            TraineeStage::Enrolled => {
                let mut form = Form::new(
                    L::WithdrawTitle,
                    Purpose::Withdraw {
                        trainee: t.id,
                        version: t.stamp.version,
                    },
                    vec![
                        Field::choice(
                            (WHY, "Reason"),
                            vec![
                                option("学期考核不合格", "failed the semester assessment"),
                                option("本人申请", "own request"),
                                option("其他（请写明）", "other (write it below)"),
                            ],
                            0,
                        ),
                        Field::new(
                            (OTHER, "Other reason"),
                            FieldKind::Text {
                                max: crate::domain::text::MEDIUM,
                                required: false,
                            },
                            "",
                        ),
                        Field::new((DATE, "Effective"), FieldKind::Date, &today),
                        Field::choice(
                            (RETURNED, "Back home"),
                            vec![option("是", "yes"), option("否", "no")],
                            0,
                        ),
                    ],
                );
                form.intro = Some(format!(
                    "{} {} {}",
                    t.name,
                    t.home_school,
                    t.stage.label(lang)
                ));
                form
            }
            TraineeStage::Withdrawn => {
                let mut form = Form::new(
                    L::ReinstateTitle,
                    Purpose::Reinstate {
                        trainee: t.id,
                        version: t.stamp.version,
                    },
                    vec![Field::new((DATE, "Date"), FieldKind::Date, &today)],
                );
                form.intro = Some(format!(
                    "{} {} {}",
                    t.name,
                    t.home_school,
                    t.current_withdrawal()
                        .map(|w| w.reason.label(lang))
                        .unwrap_or_default()
                ));
                form
            }
            _ => {
                self.status = Some(Status::Info(L::NotEnrolledHere.get(lang).into()));
                return;
            }
        };
        self.overlay = Some(Overlay::Form(form));
    }

    /// `N`, `.` and `O` on a workspace tab: a new record of the tab's kind,
    /// the selected record's next step, or an objection to a trainee's
    /// announcement.
    fn pipeline_form(&mut self, action: Action) {
        use super::{coach_forms, pipeline, plan_forms, school_forms};
        let lang = self.lang;
        let today = self.overview.as_ref().map(|o| o.today);
        let (Some(w), Some(today)) = (&self.workspace, today) else {
            self.status = Some(Status::Info(L::GroupFirst.get(lang).into()));
            return;
        };
        let (d, project) = (&w.data, w.data.project);
        let current = w.table().current();
        let result: Result<Form, L> = match (w.tab, action) {
            (Tab::Trainees, Action::NewRecord) => Ok(pipeline::application_form(project, today)),
            (Tab::Coaches, Action::NewRecord) => {
                Ok(coach_forms::nomination_form(project, today, lang))
            }
            (Tab::Schools, Action::NewRecord) => Ok(school_forms::application_form(project, today)),
            (Tab::Plans, Action::NewRecord) => {
                // The current year's plan, or next year's once it exists.
                let year = chrono::Datelike::year(&today);
                let taken = d.cycles.iter().any(|c| c.year == year);
                Ok(plan_forms::plan_form(
                    project,
                    year + i32::from(taken),
                    None,
                    lang,
                ))
            }
            (Tab::Trainees, _) => match current.and_then(|r| d.trainees.get(r)) {
                Some(t) if action == Action::NextStep => {
                    pipeline::step_form(t, &d.schools, today, lang)
                }
                Some(t) => pipeline::objection_form(t, today),
                None => Err(L::PickTrainee),
            },
            (Tab::Coaches, Action::NextStep) => match current.and_then(|r| d.coaches.get(r)) {
                Some(row) => coach_forms::advance_form(row, today, lang),
                None => Err(L::Nothing),
            },
            (Tab::Schools, Action::NextStep) => match current.and_then(|r| d.schools.get(r)) {
                Some(s) => school_forms::decision_form(s, today),
                None => Err(L::Nothing),
            },
            (Tab::Plans, Action::NextStep) => match current.and_then(|r| d.cycles.get(r)) {
                Some(c) => Ok(plan_forms::filing_form(c, today)),
                None => Err(L::Nothing),
            },
            (_, Action::RaiseObjection) => Err(L::PickTrainee),
            _ => Err(L::NothingNewHere),
        };
        match result {
            Ok(form) => self.overlay = Some(Overlay::Form(form)),
            Err(why) => self.status = Some(Status::Info(why.get(lang).into())),
        }
    }

    fn reverse_form(&mut self) {
        let lang = self.lang;
        let entry = self.selected_on(Tab::Ledger, |d, r| d.entries.get(r).cloned());
        let Some(e) = entry else {
            self.status = Some(Status::Info(L::PickEntry.get(lang).into()));
            return;
        };
        let today = self.today_text();
        let mut form = Form::new(
            L::ReverseEntry,
            Purpose::Reverse { entry: e.id },
            vec![
                Field::new((DATE, "Date"), FieldKind::Date, &today),
                Field::new(
                    (REASON, "Reason"),
                    FieldKind::Text {
                        max: crate::domain::text::LONG,
                        required: true,
                    },
                    "",
                ),
            ],
        );
        form.intro = Some(format!(
            "{} {} {} {} {} {} {}",
            L::ReverseIntro.get(lang),
            e.date,
            e.kind.label(lang),
            e.amount.display(),
            e.category,
            e.payee,
            e.voucher
        ));
        self.overlay = Some(Overlay::Form(form));
    }

    /// Applies the open form's one command; a refusal stays in the form.
    fn submit_command(&mut self, command: Command) -> Vec<Effect> {
        let lang = self.lang;
        let Some(registry) = self.registry.clone() else {
            return Vec::new();
        };
        match registry.apply(&self.actor, command) {
            Ok(event) => {
                self.overlay = None;
                self.reload();
                self.status = Some(Status::Info(L::Saved.get(lang).into()));
                vec![Effect::Applied(event)]
            }
            Err(e) => {
                if let Some(Overlay::Form(form)) = &mut self.overlay {
                    form.refusal = Some(e.localized(lang));
                }
                Vec::new()
            }
        }
    }

    /// A nomination: the person first (a record of their own, kept for later
    /// terms), then the appointment.
    fn submit_nomination(&mut self, project: ProjectId) -> Vec<Effect> {
        let lang = self.lang;
        let (Some(registry), Some(Overlay::Form(form))) =
            (self.registry.clone(), &mut self.overlay)
        else {
            return Vec::new();
        };
        let person = match super::coach_forms::person(form, project, lang) {
            Ok(p) => p,
            Err(message) => {
                form.refusal = Some(message);
                return Vec::new();
            }
        };
        let added = match registry.apply(&self.actor, Command::AddPerson(person)) {
            Ok(event) => event,
            Err(e) => {
                form.refusal = Some(e.localized(lang));
                return Vec::new();
            }
        };
        let person_id = added.id;
        let nomination = super::coach_forms::nomination(form, project, person_id);
        let mut effects = vec![Effect::Applied(added)];
        match registry.apply(&self.actor, nomination) {
            Ok(event) => {
                effects.push(Effect::Applied(event));
                self.overlay = None;
                self.reload();
                self.status = Some(Status::Info(L::Saved.get(lang).into()));
            }
            Err(e) => {
                form.refusal = Some(format!(
                    "{}；{}",
                    e.localized(lang),
                    lang.pick(
                        "人员信息已保存，可改正后再提名",
                        "the person is saved; correct and nominate again"
                    )
                ));
                form.purpose = Purpose::Renominate {
                    project,
                    person: person_id,
                };
            }
        }
        effects
    }

    /// Applies a pipeline form's commands together: all or none.
    fn submit_pipeline(&mut self) -> Vec<Effect> {
        let lang = self.lang;
        let (Some(registry), Some(Overlay::Form(form))) =
            (self.registry.clone(), &mut self.overlay)
        else {
            return Vec::new();
        };
        let (trainees, schools) = match &self.workspace {
            Some(w) => (w.data.trainees.as_slice(), w.data.schools.as_slice()),
            None => (&[][..], &[][..]),
        };
        let commands = match super::pipeline::commands(form, trainees, schools, lang) {
            Ok(c) => c,
            Err(message) => {
                form.refusal = Some(message);
                return Vec::new();
            }
        };
        match registry.apply_batch(&self.actor, &commands) {
            Ok(events) => {
                let new_trainee = matches!(form.purpose, Purpose::Apply { .. })
                    .then(|| events.first().map(|e| e.id))
                    .flatten();
                self.overlay = None;
                self.reload();
                if let (Some(id), Some(w)) = (new_trainee, &mut self.workspace) {
                    // Show the new application: select it.
                    w.tab = Tab::Trainees;
                    if let Some(at) = w.data.trainees.iter().position(|t| t.id == id) {
                        let nav = w.table_mut();
                        nav.query.clear();
                        if let Some(row) = nav.order.iter().position(|&r| r == at) {
                            nav.shown = nav.order.clone();
                            nav.selected = row;
                        }
                    }
                    self.load_detail();
                }
                self.status = Some(Status::Info(L::Saved.get(lang).into()));
                events.into_iter().map(Effect::Applied).collect()
            }
            Err(batch) => {
                form.refusal = Some(batch.error.localized(lang));
                Vec::new()
            }
        }
    }

    fn submit(&mut self) -> Vec<Effect> {
        let lang = self.lang;
        let Some(Overlay::Form(form)) = &mut self.overlay else {
            return Vec::new();
        };
        if let Some(i) = form.first_error(lang) {
            form.focus = i;
            form.refusal = Some(L::FixErrors.get(lang).into());
            return Vec::new();
        }
        if matches!(
            form.purpose,
            Purpose::Apply { .. } | Purpose::Step { .. } | Purpose::Objection { .. }
        ) {
            return self.submit_pipeline();
        }
        if let Purpose::Nominate { project } = form.purpose {
            return self.submit_nomination(project);
        }
        let built: Option<Result<Command, String>> = match &form.purpose {
            // After a refused nomination the person exists: nominate again.
            Purpose::Renominate { project, person } => {
                Some(Ok(super::coach_forms::nomination(form, *project, *person)))
            }
            Purpose::AdvanceCoach { .. } => super::coach_forms::advance(form).map(Ok),
            Purpose::ApplySchool { project } => {
                Some(Ok(super::school_forms::application(form, *project)))
            }
            Purpose::DecideSchool { .. } => super::school_forms::decision(form).map(Ok),
            Purpose::SetPlan { .. } => Some(super::plan_forms::plan(form, lang)),
            Purpose::RecordFiling { .. } => super::plan_forms::filing(form).map(Ok),
            _ => None,
        };
        if let Some(built) = built {
            let command = match built {
                Ok(c) => c,
                Err(message) => {
                    form.refusal = Some(message);
                    return Vec::new();
                }
            };
            return self.submit_command(command);
        }
        let command = match &form.purpose {
            Purpose::EditContact { trainee, version } => Command::UpdateContact {
                id: *trainee,
                version: *version,
                phone: form.fields[0].value().to_string(),
                home_school: form.fields[1].value().to_string(),
            },
            Purpose::AddEntry { movement, accounts } => {
                let Some(account) = form.fields[0].chosen().and_then(|i| accounts.get(i)) else {
                    return Vec::new();
                };
                let category = match form.field(CATEGORY) {
                    Some(f) => match &f.kind {
                        FieldKind::Choice { options, selected } => options
                            .get(*selected)
                            .map(|o| o.0.clone())
                            .unwrap_or_default(),
                        _ => f.value().to_string(),
                    },
                    None => crate::domain::ledger::DEFAULT_CATEGORIES[0].0.to_string(),
                };
                Command::AddEntry {
                    account: *account,
                    date: form.date(DATE),
                    movement: *movement,
                    amount: crate::domain::Money::parse(&form.text(AMOUNT))
                        .unwrap_or(crate::domain::Money(0)),
                    category,
                    voucher: form.text(VOUCHER),
                    payee: form.text(PAYEE),
                    note: form.text(NOTE),
                }
            }
            Purpose::Reverse { entry } => Command::ReverseEntry {
                entry: *entry,
                date: form.date(DATE),
                note: form.text(REASON),
            },
            Purpose::Withdraw { trainee, version } => {
                use crate::domain::WithdrawalReason as W;
                let reason = match form.field(WHY).and_then(Field::chosen) {
                    Some(0) => W::FailedAssessment,
                    Some(1) => W::OwnRequest,
                    _ => W::Other(form.text(OTHER)),
                };
                Command::Withdraw {
                    id: *trainee,
                    version: *version,
                    date: form.date(DATE),
                    reason,
                    returned_to_home_school: form.field(RETURNED).and_then(Field::chosen)
                        == Some(0),
                }
            }
            Purpose::Reinstate { trainee, version } => Command::Reinstate {
                id: *trainee,
                version: *version,
                date: form.date(DATE),
            },
            // Handled above.
            _ => return Vec::new(),
        };
        let Some(registry) = self.registry.clone() else {
            return Vec::new();
        };
        match registry.apply(&self.actor, command) {
            Ok(event) => {
                self.overlay = None;
                self.reload();
                self.status = Some(Status::Info(L::Saved.get(lang).into()));
                vec![Effect::Applied(event)]
            }
            Err(e) => {
                // Keep every field as typed; say why, in the user's language.
                form.refusal = Some(e.localized(lang));
                Vec::new()
            }
        }
    }
}

// The Chinese labels of the ledger forms' fields, by which submit reads them.
const ACCOUNT: &str = "账户";
const DATE: &str = "日期";
const AMOUNT: &str = "金额（元）";
const CATEGORY: &str = "类别";
const VOUCHER: &str = "凭证号";
const PAYEE: &str = "收付款方";
const NOTE: &str = "备注";
const REASON: &str = "冲销原因";
const WHY: &str = "退出原因";
const OTHER: &str = "其他原因";
const RETURNED: &str = "回原学校";

/// Edits a one-line input with an unbound key; returns whether it changed.
fn edit_input(input: &mut Input, key: Key) -> bool {
    super::form::input_request(key)
        .and_then(|r| input.handle(r))
        .is_some_and(|changed| changed.value)
}

#[cfg(test)]
mod tests {
    use super::TableNav;

    #[test]
    fn the_window_scrolls_only_as_far_as_the_selection_needs() {
        let mut nav = TableNav {
            shown: (0..100).collect(),
            ..TableNav::default()
        };
        assert_eq!(nav.window(10), 0..10);
        nav.selected = 9;
        assert_eq!(nav.window(10), 0..10);
        nav.selected = 12;
        assert_eq!(
            nav.window(10),
            3..13,
            "the selection ends up on the last row"
        );
        nav.selected = 8;
        assert_eq!(nav.window(10), 3..13, "moving back up does not scroll");
        nav.selected = 1;
        assert_eq!(nav.window(10), 1..11);
        nav.selected = 99;
        assert_eq!(nav.window(10), 90..100);
        // A filter that leaves fewer rows than fit shows them all.
        nav.shown.truncate(4);
        nav.selected = 3;
        assert_eq!(nav.window(10), 0..4);
        nav.shown.clear();
        nav.selected = 0;
        assert_eq!(nav.window(10), 0..0);
    }
}
