//! `/` on the overview: a search over every group's trainees, coaches and
//! base schools, by name, pinyin, school or stage (`/已退出`, `/withdrawn`,
//! `/公示中`, `/待办`). Enter opens the hit in its group, selected. The
//! hits are read again whenever records change, here or in another session.
//! Esc while typing stops typing (the hits stay, to move among); Esc then
//! goes back, and `/` types again. Coming back from a hit's group, typing is
//! off, so the next keys are commands, not a search.

pub mod draw;

use tui_input::Input;

use ratatui::Frame;
use ratatui::layout::Rect;

use super::{GroupScreen, Reply, Screen, Tab};
use crate::registry;
use crate::tui::ctx::Ctx;
use crate::tui::forms::field::{edit_input, paste_into};
use crate::tui::input::action::Action;
use crate::tui::input::key::{Key, KeyCode};
use crate::tui::input::search::Query;
use crate::tui::model::find::{Hit, HitKind, everyone};
use crate::tui::widgets::table::TableNav;

pub const HINTS: &[Action] = &[Action::Confirm, Action::Clear, Action::Help];
/// Once typing has stopped: open, search again, go back.
pub const LIST_HINTS: &[Action] = &[Action::Open, Action::Filter, Action::Back, Action::Help];

pub struct FindScreen {
    pub hits: Vec<Hit>,
    pub input: Input,
    pub nav: TableNav,
    /// Whether keys are typed into the search line.
    pub typing: bool,
}

impl FindScreen {
    pub fn open(ctx: &mut Ctx) -> Option<FindScreen> {
        let today = ctx.today;
        match everyone(&ctx.reader(), today) {
            Ok(hits) => Some(FindScreen {
                nav: TableNav::of(hits.len()),
                hits,
                input: Input::default(),
                typing: true,
            }),
            Err(e) => {
                ctx.error(&e);
                None
            }
        }
    }

    /// The selected hit's group, on its tab, with the hit selected.
    fn open_hit(&mut self, ctx: &mut Ctx) -> Reply {
        let Some(hit) = self.nav.current().map(|i| &self.hits[i]) else {
            return Reply::Done;
        };
        let tab = match hit.kind {
            HitKind::Trainee => Tab::Trainees,
            HitKind::Coach => Tab::Coaches,
            HitKind::School => Tab::Schools,
        };
        let (project, id) = (hit.project, hit.id);
        match GroupScreen::open(project, Some(tab), ctx) {
            Some(mut g) => {
                // Back here, keys are commands again, not a search.
                self.typing = false;
                g.select_record(tab, id, ctx);
                Reply::push(g)
            }
            None => Reply::Done,
        }
    }

    fn refilter(&mut self) {
        let query = Query::new(self.input.value());
        self.nav.shown = (0..self.hits.len())
            .filter(|&i| self.hits[i].key.matches(&query))
            .collect();
        self.nav.selected = 0;
    }
}

impl Screen for FindScreen {
    fn title(&self, lang: crate::i18n::Lang) -> String {
        crate::tui::strings::L::FindTitle.get(lang).to_string()
    }

    fn act(&mut self, action: Action, ctx: &mut Ctx) -> Reply {
        if !self.typing && self.nav.navigate(action, ctx.page) {
            return Reply::Done;
        }
        match action {
            Action::Confirm | Action::Open => self.open_hit(ctx),
            // Esc stops typing first; the next Esc goes back.
            Action::Clear | Action::Back if self.typing => {
                self.typing = false;
                Reply::Done
            }
            Action::Filter if !self.typing => {
                self.typing = true;
                Reply::Done
            }
            _ => Reply::Pass,
        }
    }

    fn draw(&self, frame: &mut Frame, area: Rect, ui: &crate::tui::widgets::Ui) {
        draw::draw(frame, area, ui, self)
    }

    /// Reads every hit again, keeping what was typed and the selected hit.
    fn reload(&mut self, ctx: &mut Ctx) {
        let selected = self
            .nav
            .current()
            .map(|i| (self.hits[i].kind, self.hits[i].project, self.hits[i].id));
        match everyone(&ctx.reader(), ctx.today) {
            Ok(hits) => {
                self.hits = hits;
                self.nav.order = (0..self.hits.len()).collect();
                self.refilter();
                if let Some(at) = selected.and_then(|(kind, project, id)| {
                    self.nav.shown.iter().position(|&i| {
                        let h = &self.hits[i];
                        (h.kind, h.project, h.id) == (kind, project, id)
                    })
                }) {
                    self.nav.selected = at;
                }
            }
            Err(e) => ctx.error(&e),
        }
    }

    /// Reads the hits again when `changes` touch anyone a search finds,
    /// keeping what was typed and the selected hit.
    fn changed(&mut self, changes: &[registry::Event], ctx: &mut Ctx) {
        use registry::RecordKind as K;
        let touches = changes.iter().any(|c| {
            matches!(
                c.kind,
                K::Trainee | K::Coach | K::Person | K::School | K::Assessment
            )
        });
        if touches {
            self.reload(ctx);
        }
    }

    fn hints(&self) -> &'static [Action] {
        if self.typing { HINTS } else { LIST_HINTS }
    }

    fn context(&self) -> crate::tui::input::action::Context {
        use crate::tui::input::action::Context;
        if self.typing {
            Context::Input
        } else {
            Context::List
        }
    }

    /// Typing narrows the hits; up and down choose among them.
    fn type_key(&mut self, key: Key, _ctx: &mut Ctx) {
        match key.code {
            _ if !self.typing => {}
            KeyCode::Down => self.nav.step(1),
            KeyCode::Up => self.nav.step(-1),
            _ => {
                if edit_input(&mut self.input, key) {
                    self.refilter();
                }
            }
        }
    }

    fn paste(&mut self, text: &str, _ctx: &mut Ctx) -> bool {
        if !self.typing {
            return false;
        }
        paste_into(&mut self.input, text);
        self.refilter();
        true
    }
}
