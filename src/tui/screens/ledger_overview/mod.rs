//! The ledger overview: every group's and base school's accounts of one year,
//! for coordinators and finance.

pub mod draw;

use ratatui::Frame;
use ratatui::layout::Rect;

use super::{GroupScreen, Reply, Screen, Tab, adjacent_year};
use crate::domain::Account;
use crate::i18n::Lang;
use crate::registry::Movement;
use crate::tui::ctx::Ctx;
use crate::tui::forms::{self, entry::Offered};
use crate::tui::input::action::Action;
use crate::tui::model::{self, LedgerOverview};
use crate::tui::strings::L;
use crate::tui::widgets::table::TableNav;

pub const HINTS: &[Action] = &[
    Action::Help,
    Action::Open,
    Action::AddExpense,
    Action::AddAllocation,
    Action::Back,
    Action::Quit,
    Action::Rollover,
];

pub struct LedgerScreen {
    pub data: LedgerOverview,
    pub nav: TableNav,
}

impl LedgerScreen {
    pub fn open(year: i32, ctx: &mut Ctx) -> Option<LedgerScreen> {
        match model::ledger_overview(&ctx.reader(), year) {
            Ok(data) => Some(LedgerScreen {
                nav: TableNav::of(data.lines.len()),
                data,
            }),
            Err(e) => {
                ctx.error(&e);
                None
            }
        }
    }

    /// Shows `year`, keeping the selected row.
    fn show(&mut self, year: i32, ctx: &mut Ctx) {
        if let Some(next) = LedgerScreen::open(year, ctx) {
            let selected = self.nav.selected;
            *self = next;
            self.nav.selected = selected.min(self.nav.shown.len().saturating_sub(1));
        }
    }

    fn account_label(&self, account: &Account, lang: Lang) -> String {
        let school = self
            .data
            .lines
            .iter()
            .find(|line| line.account == *account)
            .and_then(|line| line.school.as_deref());
        model::account_label(account, school, lang)
    }
}

impl Screen for LedgerScreen {
    fn title(&self, lang: Lang) -> String {
        crate::tui::strings::L::LedgerOverview.get(lang).to_string()
    }

    fn act(&mut self, action: Action, ctx: &mut Ctx) -> Reply {
        if self.nav.navigate(action, ctx.page) {
            return Reply::Done;
        }
        match action {
            Action::Open => {
                let project = self
                    .nav
                    .current()
                    .and_then(|i| self.data.lines.get(i))
                    .and_then(|line| line.project);
                match project.and_then(|p| GroupScreen::open(p, Some(Tab::Ledger), ctx)) {
                    Some(g) => Reply::push(g),
                    None => Reply::Done,
                }
            }
            // Left and right change the year.
            Action::NextTab | Action::PrevTab => {
                let next =
                    adjacent_year(&self.data.years, self.data.year, action == Action::NextTab);
                if let Some(year) = next {
                    self.show(year, ctx);
                }
                Reply::Done
            }
            Action::AddAllocation | Action::AddExpense => {
                let movement = if action == Action::AddExpense {
                    Movement::Expense
                } else {
                    Movement::Allocation
                };
                if self.data.lines.is_empty() {
                    ctx.info(L::NoAccountHere);
                    return Reply::Done;
                }
                let offered = self
                    .data
                    .lines
                    .iter()
                    .map(|line| Offered {
                        account: line.account,
                        zh: self.account_label(&line.account, Lang::Zh),
                        en: self.account_label(&line.account, Lang::En),
                    })
                    .collect();
                Reply::form(forms::entry_form(
                    movement,
                    offered,
                    self.nav.selected,
                    forms::entry::default_categories(),
                    ctx.today,
                ))
            }
            Action::Rollover => super::rollover(self.data.year, ctx),
            _ => Reply::Pass,
        }
    }

    fn draw(&self, frame: &mut Frame, area: Rect, ui: &crate::tui::widgets::Ui) {
        draw::draw(frame, area, ui, self)
    }

    fn reload(&mut self, ctx: &mut Ctx) {
        self.show(self.data.year, ctx);
    }

    fn hints(&self) -> &'static [Action] {
        HINTS
    }

    fn context(&self) -> crate::tui::input::action::Context {
        crate::tui::input::action::Context::Ledgers
    }

    /// The ledger overview of this year, over the overview alone.
    fn open_from(action: Action, _: &[Box<dyn Screen>], ctx: &mut Ctx) -> Option<Reply> {
        if action != Action::LedgerOverview {
            return None;
        }
        let year = chrono::Datelike::year(&ctx.today);
        Some(match LedgerScreen::open(year, ctx) {
            Some(l) => Reply::Root(Box::new(l)),
            None => Reply::Home,
        })
    }
}
