//! The users screen (admin only): who may log in over SSH, their roles and
//! key fingerprints; `N` adds a user with a pasted public key, `e` changes
//! the selected one's role, language or keys, `X` removes the selected one
//! (the record stays, marked removed).

pub mod draw;

use ratatui::Frame;
use ratatui::layout::Rect;

use super::{Reply, Screen};
use crate::domain::{Role, User};
use crate::tui::ctx::Ctx;
use crate::tui::forms;
use crate::tui::input::action::Action;
use crate::tui::strings::L;
use crate::tui::widgets::table::TableNav;

pub const HINTS: &[Action] = &[
    Action::Help,
    Action::NewRecord,
    Action::Edit,
    Action::RemoveUser,
    Action::Back,
    Action::Quit,
];

pub struct UsersScreen {
    pub users: Vec<User>,
    pub nav: TableNav,
}

impl UsersScreen {
    /// The screen, for an admin; anyone else is told it is the admin's.
    pub fn open(ctx: &mut Ctx) -> Option<UsersScreen> {
        if ctx.actor.role != Role::Admin {
            ctx.fail(L::UsersAdminOnly);
            return None;
        }
        match ctx.reader().users() {
            Ok(mut users) => {
                // Active users first, each part by login.
                users.sort_by(|a, b| {
                    (a.removed.is_some(), &a.login).cmp(&(b.removed.is_some(), &b.login))
                });
                Some(UsersScreen {
                    nav: TableNav::of(users.len()),
                    users,
                })
            }
            Err(e) => {
                ctx.error(&e);
                None
            }
        }
    }

    pub fn selected(&self) -> Option<&User> {
        self.nav.current().and_then(|i| self.users.get(i))
    }

    /// The selected user if they can still be changed; else says why not.
    fn active(&self, ctx: &mut Ctx) -> Option<&User> {
        match self.selected() {
            None => ctx.info(L::NoUserSelected),
            Some(u) if u.removed.is_some() => ctx.info(L::AlreadyRemovedUser),
            Some(u) => return Some(u),
        }
        None
    }

}

impl Screen for UsersScreen {
    fn title(&self, lang: crate::i18n::Lang) -> String {
        L::UsersTitle.get(lang).to_string()
    }

    fn act(&mut self, action: Action, ctx: &mut Ctx) -> Reply {
        if self.nav.navigate(action, ctx.page) {
            return Reply::Done;
        }
        match action {
            Action::NewRecord => Reply::form(forms::add_user_form(ctx.lang)),
            Action::Edit => match self.active(ctx) {
                Some(u) => Reply::form(forms::change_user_form(u, ctx.lang)),
                None => Reply::Done,
            },
            Action::RemoveUser => match self.active(ctx) {
                Some(u) => Reply::form(forms::remove_user_form(u, ctx.lang)),
                None => Reply::Done,
            },
            _ => Reply::Pass,
        }
    }

    fn draw(&self, frame: &mut Frame, area: Rect, ui: &crate::tui::widgets::Ui) {
        draw::draw(frame, area, ui, self)
    }

    fn reload(&mut self, ctx: &mut Ctx) {
        if let Some(next) = UsersScreen::open(ctx) {
            let selected = self.nav.selected;
            *self = next;
            self.nav.selected = selected.min(self.nav.shown.len().saturating_sub(1));
        }
    }

    fn changed(&mut self, changes: &[crate::registry::Event], ctx: &mut Ctx) {
        if changes
            .iter()
            .any(|c| c.kind == crate::registry::RecordKind::User)
        {
            UsersScreen::reload(self, ctx)
        }
    }

    fn hints(&self) -> &'static [Action] {
        HINTS
    }

    fn context(&self) -> crate::tui::input::action::Context {
        crate::tui::input::action::Context::Users
    }

    fn hint_label(&self, action: Action, lang: crate::i18n::Lang) -> Option<&'static str> {
        (action == Action::NewRecord).then(|| L::AddUserTitle.get(lang))
    }

    /// The users, over the overview alone.
    fn open_from(action: Action, stack: &[Box<dyn Screen>], ctx: &mut Ctx) -> Option<Reply> {
        if action != Action::Users {
            return None;
        }
        if stack.last().is_some_and(|s| s.is::<UsersScreen>()) {
            return Some(Reply::Done);
        }
        Some(match UsersScreen::open(ctx) {
            Some(u) => Reply::Root(Box::new(u)),
            None => Reply::Done,
        })
    }
}
