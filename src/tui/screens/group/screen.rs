//! The group workspace as a screen of the stack, and how a group opens from
//! anywhere: `1`-`6`, and the next or previous group.

use ratatui::Frame;
use ratatui::layout::Rect;

use super::GroupScreen;
use crate::domain::ProjectId;
use crate::i18n::Lang;
use crate::registry::{self, RecordKind};
use crate::tui::ctx::Ctx;
use crate::tui::input::action::{Action, Context};
use crate::tui::input::key::Key;
use crate::tui::screens::{Reply, Screen};
use crate::tui::strings::L;
use crate::tui::widgets::Ui;

impl Screen for GroupScreen {
    fn title(&self, lang: Lang) -> String {
        self.data.project.group_name(lang)
    }

    fn act(&mut self, action: Action, ctx: &mut Ctx) -> Reply {
        GroupScreen::act(self, action, ctx)
    }

    fn draw(&self, frame: &mut Frame, area: Rect, ui: &Ui) {
        super::draw::draw(frame, area, ui, self)
    }

    fn reload(&mut self, ctx: &mut Ctx) {
        GroupScreen::reload(self, ctx)
    }

    fn changed(&mut self, changes: &[registry::Event], ctx: &mut Ctx) {
        GroupScreen::changed(self, changes, ctx)
    }

    fn hints(&self) -> &'static [Action] {
        GroupScreen::hints(self)
    }

    /// `N` on a trainee's details records an achievement; on the calendar
    /// `N`, `.` and `x` plan, take attendance and cancel.
    fn hint_label(&self, action: Action, lang: Lang) -> Option<&'static str> {
        let calendar = self.tab == super::Tab::Calendar;
        let l = match action {
            Action::NewRecord if self.details_focused => L::AddAchievement,
            Action::NewRecord if calendar => L::NewSessionHint,
            _ => return None,
        };
        Some(l.get(lang))
    }

    fn context(&self) -> Context {
        if self.filtering.is_some() {
            Context::Input
        } else if self.tab == super::Tab::Ledger {
            Context::Ledger
        } else if self.tab == super::Tab::Calendar {
            Context::Calendar
        } else {
            Context::Group
        }
    }

    fn project(&self) -> Option<ProjectId> {
        Some(self.data.project)
    }

    fn type_key(&mut self, key: Key, ctx: &mut Ctx) {
        GroupScreen::type_key(self, key, ctx)
    }

    fn paste(&mut self, text: &str, ctx: &mut Ctx) -> bool {
        GroupScreen::paste(self, text, ctx)
    }

    fn select_new(&mut self, kind: RecordKind, id: u64, ctx: &mut Ctx) {
        GroupScreen::select_new(self, kind, id, ctx)
    }

    /// A group by its key, or the next or previous one from a group: in
    /// place of the group under the transient screens, on the same tab.
    fn open_from(action: Action, stack: &[Box<dyn Screen>], ctx: &mut Ctx) -> Option<Reply> {
        let under = stack.iter().rev().find(|s| !s.transient());
        let current = under.and_then(|s| s.downcast::<GroupScreen>());
        let project = match action {
            Action::Group(p) => p,
            Action::NextGroup | Action::PrevGroup => {
                // The overview moves its selection itself.
                let Some(g) = current else {
                    return Some(Reply::Leave);
                };
                let n = ProjectId::ALL.len();
                let delta = if action == Action::NextGroup { 1 } else { n - 1 };
                ProjectId::ALL[(g.data.project.index() as usize + delta) % n]
            }
            _ => return None,
        };
        let tab = current.map(|g| g.tab);
        Some(match GroupScreen::open(project, tab, ctx) {
            Some(g) => Reply::Switch(Box::new(g)),
            None => Reply::Leave,
        })
    }
}
