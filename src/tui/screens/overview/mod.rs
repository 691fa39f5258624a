//! The overview: every group's counts, money and alerts at a glance.

pub mod draw;

use ratatui::Frame;
use ratatui::layout::Rect;

use super::{FindScreen, GroupScreen, Reply, Screen};
use crate::domain::ProjectId;
use crate::registry;
use crate::tui::ctx::Ctx;
use crate::tui::input::action::Action;
use crate::tui::model::{self, Overview};
use crate::i18n::Lang;
use crate::tui::strings::L;
use crate::tui::widgets::Ui;
use crate::tui::widgets::table::TableNav;

pub const HINTS: &[Action] = &[
    Action::Help,
    Action::Open,
    Action::Filter,
    Action::Group(ProjectId::Math),
    Action::StartAssessment,
    Action::LedgerOverview,
    Action::Evaluation,
    Action::AuditLog,
    Action::Palette,
    Action::Quit,
    Action::Rollover,
];

pub struct OverviewScreen {
    pub data: Overview,
    pub nav: TableNav,
}

impl OverviewScreen {
    pub fn new(data: Overview) -> OverviewScreen {
        OverviewScreen {
            nav: TableNav::of(data.groups.len()),
            data,
        }
    }

    pub fn selected_group(&self) -> ProjectId {
        ProjectId::ALL[self.nav.selected.min(ProjectId::ALL.len() - 1)]
    }

}

impl Screen for OverviewScreen {
    fn title(&self, lang: Lang) -> String {
        L::Overview.get(lang).to_string()
    }

    fn act(&mut self, action: Action, ctx: &mut Ctx) -> Reply {
        if self.nav.navigate(action, ctx.page) {
            return Reply::Done;
        }
        match action {
            Action::Open => match GroupScreen::open(self.selected_group(), None, ctx) {
                Some(g) => Reply::push(g),
                None => Reply::Done,
            },
            Action::Filter => match FindScreen::open(ctx) {
                Some(f) => Reply::push(f),
                None => Reply::Done,
            },
            Action::NextGroup | Action::PrevGroup => {
                let n = ProjectId::ALL.len();
                let delta = if action == Action::NextGroup {
                    1
                } else {
                    n - 1
                };
                self.nav.selected = (self.nav.selected + delta) % n;
                Reply::Done
            }
            Action::Rollover => super::rollover(chrono::Datelike::year(&ctx.today), ctx),
            _ => Reply::Pass,
        }
    }

    fn draw(&self, frame: &mut Frame, area: Rect, ui: &Ui) {
        draw::draw(frame, area, ui, self)
    }

    fn reload(&mut self, ctx: &mut Ctx) {
        match model::overview(&ctx.reader()) {
            Ok(o) => self.data = o,
            Err(e) => ctx.error(&e),
        }
    }

    /// Reads again the groups `changes` touch (all six for a change that
    /// belongs to no group).
    fn changed(&mut self, changes: &[registry::Event], ctx: &mut Ctx) {
        let mut touched: Vec<ProjectId> = Vec::new();
        for c in changes {
            match c.project {
                Some(p) if !touched.contains(&p) => touched.push(p),
                Some(_) => {}
                None => return self.reload(ctx),
            }
        }
        for p in touched {
            match model::group_summary(&ctx.reader(), p, self.data.today, self.data.semester) {
                Ok(g) => {
                    if let Some(slot) = self.data.groups.iter_mut().find(|g| g.project == p) {
                        *slot = g;
                    }
                }
                Err(e) => ctx.error(&e),
            }
        }
    }

    fn hints(&self) -> &'static [Action] {
        HINTS
    }

    fn context(&self) -> crate::tui::input::action::Context {
        crate::tui::input::action::Context::Overview
    }

    fn today(&self) -> Option<chrono::NaiveDate> {
        Some(self.data.today)
    }

    /// The group last opened stays selected here.
    fn follow(&mut self, top: &dyn Screen) {
        if let Some(p) = top.project() {
            self.nav.selected = p.index() as usize;
        }
    }
}
