//! A trainee's achievements, on their details: Enter on the trainees tab
//! gives the details the keys (up and down scroll them, `N` records an
//! achievement, Esc gives the keys back to the table); and the import of a
//! recommendation list (`I`), which belongs to the same tab.

use chrono::Datelike;

use super::{GroupScreen, Tab};
use crate::domain::achievement::Feat;
use crate::registry::{self, Command};
use crate::tui::ctx::Ctx;
use crate::tui::forms;
use crate::tui::input::action::Action;
use crate::tui::screens::Reply;
use crate::tui::strings::L;

/// The footer's hints while the details have the keys.
pub const DETAIL_HINTS: &[Action] = &[
    Action::NewRecord,
    Action::DetailDown,
    Action::Back,
    Action::Help,
    Action::Quit,
];

impl GroupScreen {
    /// Enter: on the trainees tab the details take the keys.
    pub(super) fn open_detail(&mut self) {
        self.details_shown = true;
        self.details_focused = self.tab == Tab::Trainees && self.table().current().is_some();
    }

    /// An action while the details have the keys; `None` when it is not
    /// theirs, and then the table has the keys again and acts on it.
    pub(super) fn detail_act(&mut self, action: Action, ctx: &mut Ctx) -> Option<Reply> {
        use Action as A;
        let page = i32::try_from(ctx.page).unwrap_or(i32::MAX);
        let rows = match action {
            A::SelectNext => 1,
            A::DetailDown => 3,
            A::PageDown => page,
            A::SelectPrev => -1,
            A::DetailUp => -3,
            A::PageUp => -page,
            A::NewRecord => return Some(self.new_achievement(ctx)),
            A::Back => {
                self.details_focused = false;
                return Some(Reply::Done);
            }
            _ => {
                self.details_focused = false;
                return None;
            }
        };
        self.details_scroll.by(rows);
        Some(Reply::Done)
    }

    /// `N` on the details: the achievement form of the selected trainee, if
    /// the role may record one (as the registry decides).
    fn new_achievement(&self, ctx: &mut Ctx) -> Reply {
        let Some(t) = self
            .table()
            .current()
            .and_then(|r| self.data.trainees.get(r))
        else {
            ctx.info(L::PickTrainee);
            return Reply::Done;
        };
        let year = ctx.today.year();
        let probe = Command::RecordAchievement {
            trainee: t.id,
            year,
            feat: Feat::Admission {
                university: String::new(),
            },
        };
        if !registry::may(ctx.actor, &probe, Some(t.project), None) {
            ctx.fail(L::AchievementNotYours);
            return Reply::Done;
        }
        Reply::form(forms::achievement_form(t, year, ctx.lang))
    }

    /// `I`: the import form, from the trainees tab.
    pub(super) fn import(&self, ctx: &mut Ctx) -> Reply {
        if self.tab != Tab::Trainees {
            ctx.info(L::ImportFromTrainees);
            return Reply::Done;
        }
        let uploads = ctx.remote.map(|r| r.uploads());
        if let (Some(remote), Some([])) = (ctx.remote, uploads.as_deref()) {
            // Nothing to offer yet: say how a list gets here.
            *ctx.status = Some(crate::tui::ctx::Status::Info(remote.upload_line(ctx.lang)));
            return Reply::Done;
        }
        Reply::form(forms::import_form(
            self.data.project,
            ctx.lang,
            uploads,
            &ctx.recall.import_path,
        ))
    }
}
