//! `/` on the overview: a search over every group's trainees, coaches and
//! base schools, by name, pinyin, school or stage (`/已退出`, `/withdrawn`,
//! `/公示中`, `/待办`). Enter opens the hit in its group, selected.

pub mod draw;

use tui_input::Input;

use super::{GroupScreen, Outcome, Screen, Tab};
use crate::tui::ctx::Ctx;
use crate::tui::forms::field::{edit_input, paste_into};
use crate::tui::input::action::Action;
use crate::tui::input::key::{Key, KeyCode};
use crate::tui::input::search::Query;
use crate::tui::model::find::{Hit, HitKind, everyone};
use crate::tui::widgets::table::TableNav;

pub const HINTS: &[Action] = &[Action::Confirm, Action::Clear, Action::Help];

pub struct FindScreen {
    pub hits: Vec<Hit>,
    pub input: Input,
    pub nav: TableNav,
}

impl FindScreen {
    pub fn open(ctx: &mut Ctx) -> Option<FindScreen> {
        let today = ctx.today;
        match everyone(&ctx.reader(), today) {
            Ok(hits) => Some(FindScreen {
                nav: TableNav::of(hits.len()),
                hits,
                input: Input::default(),
            }),
            Err(e) => {
                ctx.error(&e);
                None
            }
        }
    }

    pub fn act(&mut self, action: Action, ctx: &mut Ctx) -> Outcome {
        match action {
            Action::Confirm => self.open_hit(ctx),
            Action::Clear if !self.input.value().is_empty() => {
                self.input = Input::default();
                self.refilter();
                Outcome::Done
            }
            _ => Outcome::Pass,
        }
    }

    /// The selected hit's group, on its tab, with the hit selected.
    fn open_hit(&mut self, ctx: &mut Ctx) -> Outcome {
        let Some(hit) = self.nav.current().map(|i| &self.hits[i]) else {
            return Outcome::Done;
        };
        let tab = match hit.kind {
            HitKind::Trainee => Tab::Trainees,
            HitKind::Coach => Tab::Coaches,
            HitKind::School => Tab::Schools,
        };
        let (project, id) = (hit.project, hit.id);
        match GroupScreen::open(project, Some(tab), ctx) {
            Some(mut g) => {
                g.select_record(tab, id, ctx);
                Outcome::Push(Screen::Group(g))
            }
            None => Outcome::Done,
        }
    }

    /// Typing narrows the hits; up and down choose among them.
    pub fn type_key(&mut self, key: Key) {
        match key.code {
            KeyCode::Down => self.nav.step(1),
            KeyCode::Up => self.nav.step(-1),
            _ => {
                if edit_input(&mut self.input, key) {
                    self.refilter();
                }
            }
        }
    }

    pub fn paste(&mut self, text: &str) -> bool {
        paste_into(&mut self.input, text);
        self.refilter();
        true
    }

    fn refilter(&mut self) {
        let query = Query::new(self.input.value());
        self.nav.shown = (0..self.hits.len())
            .filter(|&i| self.hits[i].key.matches(&query))
            .collect();
        self.nav.selected = 0;
    }
}
