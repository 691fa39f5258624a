//! The audit trail: every change, newest first, with its own filter; the
//! selected change's fields before and after.

pub mod draw;

use tui_input::Input;

use ratatui::Frame;
use ratatui::layout::Rect;

use super::{Reply, Screen};
use crate::i18n::Lang;
use crate::tui::ctx::Ctx;
use crate::tui::forms::field::{edit_input, paste_into};
use crate::registry;
use crate::tui::input::action::{Action, Context};
use crate::tui::strings::L;
use crate::tui::input::key::Key;
use crate::tui::input::search::{Query, SearchKey};
use crate::tui::model::{self, AUDIT_SHOWN, AuditLine};
use crate::tui::widgets::table::TableNav;

pub const HINTS: &[Action] = &[
    Action::Filter,
    Action::SelectNext,
    Action::Back,
    Action::Help,
    Action::Quit,
];

pub struct AuditScreen {
    pub lines: Vec<AuditLine>,
    keys: Vec<SearchKey>,
    pub nav: TableNav,
    pub query: String,
    pub filtering: Option<Input>,
    /// The details' scroll, and how far they can scroll as last drawn.
    pub details: crate::tui::widgets::details::Details,
}

fn search_key(l: &AuditLine) -> SearchKey {
    let e = &l.entry;
    let group = e
        .project
        .map(|p| p.group_name(Lang::Zh))
        .unwrap_or_default();
    let group_en = e.project.map(|p| p.code()).unwrap_or_default();
    // The record's name (and so its pinyin) and the action as shown.
    SearchKey::new(&[
        &l.at,
        &e.actor,
        &group,
        group_en,
        &l.action,
        e.command.action(Lang::Zh),
        e.command.action(Lang::En),
        e.kind.label(Lang::Zh),
        &l.record,
    ])
}

impl AuditScreen {
    pub fn open(ctx: &mut Ctx) -> Option<AuditScreen> {
        match model::audit_log(&ctx.reader(), ctx.lang) {
            Ok(lines) => Some(AuditScreen::new(lines)),
            Err(e) => {
                ctx.error(&e);
                None
            }
        }
    }

    pub fn new(lines: Vec<AuditLine>) -> AuditScreen {
        let keys = lines.iter().map(search_key).collect();
        let mut screen = AuditScreen {
            nav: TableNav::of(lines.len()),
            lines,
            keys,
            query: String::new(),
            filtering: None,
            details: Default::default(),
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

impl Screen for AuditScreen {
    fn title(&self, lang: crate::i18n::Lang) -> String {
        L::AuditTitle.get(lang).to_string()
    }

    fn act(&mut self, action: Action, ctx: &mut Ctx) -> Reply {
        if self.nav.navigate(action, ctx.page) {
            // Another change: its details from the top.
            self.details.top();
            return Reply::Done;
        }
        match action {
            Action::DetailDown => self.details.down(),
            Action::DetailUp => self.details.up(),
            Action::Filter => self.filtering = Some(Input::new(self.query.clone())),
            Action::Confirm => self.filtering = None,
            Action::Clear => {
                self.filtering = None;
                self.query.clear();
                self.refilter();
            }
            Action::Back if !self.query.is_empty() => {
                self.query.clear();
                self.refilter();
            }
            _ => return Reply::Pass,
        }
        Reply::Done
    }

    fn draw(&self, frame: &mut Frame, area: Rect, ui: &crate::tui::widgets::Ui) {
        draw::draw(frame, area, ui, self)
    }

    fn reload(&mut self, ctx: &mut Ctx) {
        if let Some(mut fresh) = AuditScreen::open(ctx) {
            fresh.query = std::mem::take(&mut self.query);
            fresh.filtering = self.filtering.take();
            fresh.refilter();
            *self = fresh;
        }
    }

    /// New entries go on top; the rest are history and do not change.
    fn changed(&mut self, _changes: &[registry::Event], ctx: &mut Ctx) {
        let newest = self.lines.first().map(|l| l.entry.id);
        let fresh = match model::audit_since(&ctx.reader(), newest, ctx.lang) {
            Ok(fresh) => fresh,
            Err(e) => return ctx.error(&e),
        };
        if fresh.is_empty() {
            return;
        }
        let selected = self.nav.current();
        let n = fresh.len();
        let keys: Vec<SearchKey> = fresh.iter().map(search_key).collect();
        self.lines.splice(0..0, fresh);
        self.keys.splice(0..0, keys);
        self.lines.truncate(AUDIT_SHOWN);
        self.keys.truncate(AUDIT_SHOWN);
        self.nav.order = (0..self.lines.len()).collect();
        self.refilter();
        // Keep the same change selected, now further down.
        if let Some(at) = selected.and_then(|i| self.nav.shown.iter().position(|&r| r == i + n)) {
            self.nav.selected = at;
        }
    }

    fn hints(&self) -> &'static [Action] {
        HINTS
    }

    fn context(&self) -> Context {
        if self.filtering.is_some() {
            Context::Input
        } else {
            Context::Audit
        }
    }

    fn transient(&self) -> bool {
        true
    }

    fn type_key(&mut self, key: Key, _ctx: &mut Ctx) {
        if let Some(input) = self.filtering.as_mut()
            && edit_input(input, key)
        {
            self.query = input.value().to_string();
            self.refilter();
        }
    }

    fn paste(&mut self, text: &str, _ctx: &mut Ctx) -> bool {
        let Some(input) = self.filtering.as_mut() else {
            return false;
        };
        paste_into(input, text);
        self.query = input.value().to_string();
        self.refilter();
        true
    }

    /// The audit trail on top; on top already, the same key closes it.
    fn open_from(action: Action, stack: &[Box<dyn Screen>], ctx: &mut Ctx) -> Option<Reply> {
        if action != Action::AuditLog {
            return None;
        }
        if stack.last().is_some_and(|s| s.is::<AuditScreen>()) {
            return Some(Reply::Close);
        }
        Some(match AuditScreen::open(ctx) {
            Some(a) => Reply::push(a),
            None => Reply::Done,
        })
    }
}
