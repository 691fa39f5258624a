//! A group's workspace: tabs of trainees, coaches, base schools, ledger and
//! plans, each a sortable and filterable table, with the selected record's
//! details and history; and the forms each tab opens.

mod achievements;
pub mod columns;
mod detail;
pub mod draw;
mod refresh;
mod screen;
mod week;

use tui_input::Input;

use super::Reply;
use crate::domain::{Account, Holder, ProjectId};
use crate::i18n::Lang;
use crate::registry::{Movement, RecordKind};
use crate::tui::ctx::Ctx;
use crate::tui::forms::{self, entry::Offered};
use crate::tui::input::action::Action;
use crate::tui::input::key::{Key, KeyCode};
use crate::tui::input::search::{Query, SearchKey};
use crate::tui::model::{self, Detail, Workspace};
use crate::tui::strings::L;
use crate::tui::widgets::table::TableNav;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    Trainees,
    Coaches,
    Schools,
    Ledger,
    Plans,
    Calendar,
}

impl Tab {
    pub const ALL: [Tab; 6] = [
        Tab::Trainees,
        Tab::Coaches,
        Tab::Schools,
        Tab::Ledger,
        Tab::Plans,
        Tab::Calendar,
    ];

    pub fn label(self) -> L {
        match self {
            Tab::Trainees => L::TabTrainees,
            Tab::Coaches => L::TabCoaches,
            Tab::Schools => L::TabSchools,
            Tab::Ledger => L::TabLedger,
            Tab::Plans => L::TabPlans,
            Tab::Calendar => L::TabCalendar,
        }
    }

    fn index(self) -> usize {
        Tab::ALL.iter().position(|t| *t == self).unwrap_or(0)
    }
}

const HINTS: &[Action] = &[
    Action::Help,
    Action::StartAssessment,
    Action::Filter,
    Action::NextTab,
    Action::SortNext,
    Action::Edit,
    Action::Withdraw,
    Action::ImportApplications,
    Action::Back,
    Action::Quit,
];

const LEDGER_HINTS: &[Action] = &[
    Action::Help,
    Action::AddExpense,
    Action::AddAllocation,
    Action::ReverseEntry,
    Action::Filter,
    Action::NextTab,
    Action::Back,
    Action::Quit,
];

const CALENDAR_HINTS: &[Action] = &[
    Action::Help,
    Action::TakeAttendance,
    Action::NewRecord,
    Action::CancelSession,
    Action::Filter,
    Action::NextTab,
    Action::Back,
    Action::Quit,
];

pub struct GroupScreen {
    pub data: Workspace,
    pub tab: Tab,
    pub tables: [TableNav; 6],
    pub details: Detail,
    pub details_shown: bool,
    pub details_scroll: crate::tui::widgets::details::Details,
    /// The details have the keys (a trainee's, to record achievements).
    pub details_focused: bool,
    /// The filter being typed, when the filter input is open.
    pub filtering: Option<Input>,
}

impl GroupScreen {
    /// The workspace of `project`, on `tab` (the trainees when none).
    pub fn open(project: ProjectId, tab: Option<Tab>, ctx: &mut Ctx) -> Option<GroupScreen> {
        let data = match model::workspace(&ctx.reader(), project) {
            Ok(d) => d,
            Err(e) => {
                ctx.error(&e);
                return None;
            }
        };
        let mut g = GroupScreen {
            data,
            tab: tab.unwrap_or(Tab::Trainees),
            tables: Default::default(),
            details: Detail::default(),
            details_shown: true,
            details_scroll: Default::default(),
            details_focused: false,
            filtering: None,
        };
        for tab in Tab::ALL {
            g.tables[tab.index()].reverse = columns::opens_reversed(tab);
            g.resort(tab, ctx.lang);
        }
        g.show(g.tab, ctx);
        g.select_today();
        g.load_detail(ctx);
        Some(g)
    }

    /// The calendar opens on the first session still to mark, else the
    /// next one ahead, else the last.
    fn select_today(&mut self) {
        let d = &self.data;
        let nav = &self.tables[Tab::Calendar.index()];
        let row = |want: &dyn Fn(&model::calendar::SessionRow) -> bool| {
            nav.shown.iter().position(|&r| want(&d.sessions[r]))
        };
        let at = row(&|s| {
            s.awaits_attendance(d.today) && s.session.date >= d.today - chrono::Duration::days(14)
        })
        .or_else(|| row(&|s| s.session.date >= d.today))
        .unwrap_or(nav.shown.len().saturating_sub(1));
        self.tables[Tab::Calendar.index()].selected = at;
    }

    pub fn table(&self) -> &TableNav {
        &self.tables[self.tab.index()]
    }

    fn table_mut(&mut self) -> &mut TableNav {
        &mut self.tables[self.tab.index()]
    }

    /// What the tab bar says `tab` holds: its rows, or for a ledger not
    /// read yet, its entries as the balances count them.
    pub fn count(&self, tab: Tab) -> usize {
        match tab {
            Tab::Ledger if !self.data.ledger_read => self.data.ledger_count,
            _ => self.len(tab),
        }
    }

    /// Shows `tab`, reading the ledger the first time it is shown.
    fn show(&mut self, tab: Tab, ctx: &mut Ctx) {
        self.tab = tab;
        if tab == Tab::Ledger && !self.data.ledger_read {
            if let Err(e) = model::read_ledger(&ctx.reader(), &mut self.data) {
                ctx.error(&e);
            }
            self.resort(Tab::Ledger, ctx.lang);
        }
    }

    /// The table's rows of `tab` (none for a ledger not read yet).
    pub fn len(&self, tab: Tab) -> usize {
        match tab {
            Tab::Trainees => self.data.trainees.len(),
            Tab::Coaches => self.data.coaches.len(),
            Tab::Schools => self.data.schools.len(),
            Tab::Ledger => self.data.entries.len(),
            Tab::Plans => self.data.cycles.len(),
            Tab::Calendar => self.data.sessions.len(),
        }
    }

    fn keys(&self, tab: Tab) -> &[SearchKey] {
        match tab {
            Tab::Trainees => self.data.trainee_keys(),
            Tab::Coaches => &self.data.coach_keys,
            Tab::Schools => &self.data.school_keys,
            Tab::Ledger => self.data.entry_keys(),
            Tab::Plans => &self.data.cycle_keys,
            Tab::Calendar => &self.data.session_keys,
        }
    }

    pub fn hints(&self) -> &'static [Action] {
        if self.details_focused {
            achievements::DETAIL_HINTS
        } else if self.tab == Tab::Calendar {
            CALENDAR_HINTS
        } else if self.tab == Tab::Ledger {
            LEDGER_HINTS
        } else {
            HINTS
        }
    }

    /// Recomputes the rows shown for `tab` from its filter and sort, keeping
    /// the selected record selected when it is still shown.
    fn refresh_rows(&mut self, tab: Tab) {
        let i = tab.index();
        let keep = self.tables[i].current();
        let query = Query::new(&self.tables[i].query);
        // `order` is already sorted: a keystroke only filters it, no sorting.
        // The keys are made at the first filter, not when the group opens.
        let shown: Vec<usize> = if query.is_empty() {
            self.tables[i].order.clone()
        } else {
            let keys = self.keys(tab);
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
        let column = &columns::columns(tab)[col];
        let mut order: Vec<usize> = (0..self.len(tab)).collect();
        order.sort_by_cached_key(|&r| column.sort(&self.data, r, lang));
        if reverse {
            order.reverse();
        }
        self.tables[i].order = order;
        self.refresh_rows(tab);
    }

    /// The record the selected row shows.
    pub fn selected_record(&self) -> Option<(RecordKind, u64)> {
        let r = self.table().current()?;
        let d = &self.data;
        Some(match self.tab {
            Tab::Trainees => (RecordKind::Trainee, d.trainees.get(r)?.id),
            Tab::Coaches => (RecordKind::Coach, d.coaches.get(r)?.coach.id),
            Tab::Schools => (RecordKind::School, d.schools.get(r)?.id),
            Tab::Ledger => (RecordKind::Entry, d.entries.get(r)?.id),
            Tab::Plans => {
                let c = d.cycles.get(r)?;
                (
                    RecordKind::Cycle,
                    crate::registry::cycle_id(c.project, c.year),
                )
            }
            Tab::Calendar => (RecordKind::Session, d.sessions.get(r)?.session.id),
        })
    }

    /// Reads the history of the selected record when the selection changed.
    fn load_detail(&mut self, ctx: &mut Ctx) {
        let Some((kind, id)) = self.selected_record() else {
            self.details = Detail::default();
            return;
        };
        if self.details.kind == Some((kind, id)) {
            return;
        }
        match model::detail(&ctx.reader(), kind, id) {
            Ok(d) => self.details = d,
            Err(e) => ctx.error(&e),
        }
    }

    /// The selected row of `tab`, when the screen shows `tab`.
    fn selected_on(&self, tab: Tab) -> Option<usize> {
        (self.tab == tab).then(|| self.table().current()).flatten()
    }

    pub fn act(&mut self, action: Action, ctx: &mut Ctx) -> Reply {
        use Action as A;
        if self.details_focused
            && let Some(outcome) = self.detail_act(action, ctx)
        {
            return outcome;
        }
        if self.tables[self.tab.index()].navigate(action, ctx.page) {
            self.details_scroll.top();
            self.load_detail(ctx);
            return Reply::Done;
        }
        match action {
            A::Open => self.open_detail(),
            A::NextTab | A::PrevTab => {
                let n = Tab::ALL.len();
                let i = (self.tab.index() + if action == A::NextTab { 1 } else { n - 1 }) % n;
                self.show(Tab::ALL[i], ctx);
                self.details_scroll.top();
                self.load_detail(ctx);
            }
            A::Filter => self.filtering = Some(Input::new(self.table().query.clone())),
            A::Confirm => self.filtering = None,
            A::Clear => {
                if self.filtering.take().is_some() {
                    self.table_mut().query.clear();
                    self.refresh_rows(self.tab);
                    self.load_detail(ctx);
                }
            }
            A::SortNext | A::SortReverse => {
                let tab = self.tab;
                let t = self.table_mut();
                if action == A::SortNext {
                    t.sort = (t.sort + 1) % columns::columns(tab).len();
                    t.reverse = false;
                } else {
                    t.reverse = !t.reverse;
                }
                self.resort(tab, ctx.lang);
            }
            A::ToggleDetail => self.details_shown = !self.details_shown,
            A::DetailDown => self.details_scroll.down(),
            A::DetailUp => self.details_scroll.up(),
            A::Back if !self.table().query.is_empty() => {
                self.table_mut().query.clear();
                self.refresh_rows(self.tab);
            }
            A::Edit => return self.edit(ctx),
            A::NewRecord => return self.new_record(ctx),
            A::ImportApplications => return self.import(ctx),
            A::NextStep | A::RaiseObjection => return self.step(action, ctx),
            A::Withdraw => {
                let Some(t) = self
                    .selected_on(Tab::Trainees)
                    .map(|r| &self.data.trainees[r])
                else {
                    ctx.info(L::PickTrainee);
                    return Reply::Done;
                };
                // The reason proposed is a failed result only if there is one.
                let failed = ctx.registry.assessments_of(t.id).is_ok_and(|all| {
                    all.iter()
                        .any(|a| a.outcome == crate::domain::Outcome::Fail)
                });
                return match forms::withdrawal_form(t, failed, ctx.today, ctx.lang) {
                    Ok(f) => Reply::form(f),
                    Err(why) => {
                        ctx.info(why);
                        Reply::Done
                    }
                };
            }
            A::CancelSession if self.tab == Tab::Calendar => return self.cancel_session(ctx),
            A::TakeAttendance if self.tab == Tab::Calendar => return self.take_attendance(ctx),
            A::AddAllocation => return self.entry(Movement::Allocation, ctx),
            A::AddExpense => return self.entry(Movement::Expense, ctx),
            A::ReverseEntry => {
                let Some(e) = self.selected_on(Tab::Ledger).map(|r| &self.data.entries[r]) else {
                    ctx.info(L::PickEntry);
                    return Reply::Done;
                };
                return Reply::form(forms::reversal_form(e, ctx.today, ctx.lang));
            }
            _ => return Reply::Pass,
        }
        Reply::Done
    }

    fn edit(&self, ctx: &mut Ctx) -> Reply {
        let d = &self.data;
        match (self.tab, self.table().current()) {
            (Tab::Plans, Some(r)) => {
                let c = &d.cycles[r];
                Reply::form(forms::plan_form(
                    c.project,
                    c.year,
                    Some(c),
                    &sessions_of(d),
                    ctx.lang,
                ))
            }
            (Tab::Trainees, Some(r)) => Reply::form(forms::details_form(&d.trainees[r])),
            _ => {
                ctx.info(L::NotEditable);
                Reply::Done
            }
        }
    }

    /// `N`: a new record of the tab's kind.
    fn new_record(&self, ctx: &mut Ctx) -> Reply {
        let (project, today) = (self.data.project, ctx.today);
        match self.tab {
            Tab::Trainees => Reply::form(forms::application_form(project, ctx.scope())),
            Tab::Coaches => Reply::form(forms::nomination_form(project, today, ctx.lang)),
            Tab::Schools => Reply::form(forms::school_form(project, today, ctx.lang)),
            Tab::Plans => {
                // The current year's plan, or next year's once it exists.
                let year = chrono::Datelike::year(&today);
                let taken = self.data.cycles.iter().any(|c| c.year == year);
                let year = year + i32::from(taken);
                let sessions = sessions_of(&self.data);
                Reply::form(forms::plan_form(project, year, None, &sessions, ctx.lang))
            }
            Tab::Ledger => {
                ctx.info(L::NothingNewHere);
                Reply::Done
            }
            Tab::Calendar => {
                let d = &self.data;
                let choices = forms::SessionChoices {
                    schools: d
                        .schools
                        .iter()
                        .filter(|s| s.serves(project))
                        .map(|s| (s.id, s.application.name.clone()))
                        .collect(),
                    coaches: d
                        .coaches
                        .iter()
                        .map(|c| (c.coach.id, c.person.name.clone()))
                        .collect(),
                    classes: d.classes.iter().map(|c| (c.id, c.name.clone())).collect(),
                    chief: d
                        .coaches
                        .iter()
                        .find(|c| {
                            c.coach.role == crate::domain::CoachRole::Chief
                                && c.coach.stage == crate::domain::CoachStage::Active
                        })
                        .map(|c| c.person.name.clone()),
                };
                Reply::form(forms::session_form(project, today, choices, ctx.lang))
            }
        }
    }

    /// The calendar's selected session when it is not cancelled; else
    /// the status line says why nothing opens.
    fn open_session(&self, ctx: &mut Ctx) -> Option<&model::calendar::SessionRow> {
        let Some(row) = self
            .selected_on(Tab::Calendar)
            .map(|r| &self.data.sessions[r])
        else {
            ctx.info(L::PickSession);
            return None;
        };
        if row.session.is_cancelled() {
            ctx.info(L::SessionCancelledAlready);
            return None;
        }
        Some(row)
    }

    /// `x` on the calendar: cancel the selected session, with a reason.
    fn cancel_session(&self, ctx: &mut Ctx) -> Reply {
        let Some(row) = self.open_session(ctx) else {
            return Reply::Done;
        };
        Reply::form(forms::cancel_session_form(
            &row.session,
            ctx.today,
            ctx.lang,
        ))
    }

    /// `.` on the calendar: the session's attendance roster.
    fn take_attendance(&self, ctx: &mut Ctx) -> Reply {
        let Some(row) = self.open_session(ctx) else {
            return Reply::Done;
        };
        if row.session.date > ctx.today {
            ctx.info(L::SessionAheadNoMarks);
            return Reply::Done;
        }
        match super::AttendanceScreen::open(&ctx.reader(), &row.session, row.place(ctx.lang)) {
            Ok(s) => Reply::push(s),
            Err(e) => {
                ctx.error(&e);
                Reply::Done
            }
        }
    }

    /// `.` the selected record's next step, `O` an objection to a trainee's
    /// announcement.
    fn step(&self, action: Action, ctx: &mut Ctx) -> Reply {
        let d = &self.data;
        let (today, lang) = (ctx.today, ctx.lang);
        let current = self.table().current();
        let result: Result<Reply, L> = match (self.tab, action) {
            (Tab::Trainees, _) => match current.map(|r| &d.trainees[r]) {
                Some(t) if action == Action::NextStep => {
                    forms::next_step_form(t, &d.schools, today, lang).map(Reply::form)
                }
                Some(t) => forms::objection_form(t, today).map(Reply::form),
                None => Err(L::PickTrainee),
            },
            (_, Action::RaiseObjection) => Err(L::PickTrainee),
            (Tab::Coaches, _) => match current.map(|r| &d.coaches[r]) {
                Some(row) => forms::coach_stage_form(row, today, lang).map(Reply::form),
                None => Err(L::Nothing),
            },
            (Tab::Schools, _) => match current.map(|r| &d.schools[r]) {
                Some(s) => forms::school_decision_form(s, today).map(Reply::form),
                None => Err(L::Nothing),
            },
            (Tab::Plans, _) => match current.map(|r| &d.cycles[r]) {
                Some(c) => Ok(Reply::form(forms::filing_form(c, today))),
                None => Err(L::Nothing),
            },
            (Tab::Ledger, _) => Err(L::NothingNewHere),
            (Tab::Calendar, _) => return self.take_attendance(ctx),
        };
        result.unwrap_or_else(|why| {
            ctx.info(why);
            Reply::Done
        })
    }

    /// An allocation or expense into this year's accounts, the selected
    /// entry's account (else the daily fund) offered first.
    fn entry(&self, movement: Movement, ctx: &mut Ctx) -> Reply {
        if self.tab != Tab::Ledger {
            ctx.info(L::LedgerOnly);
            return Reply::Done;
        }
        let d = &self.data;
        let accounts: Vec<Account> = d
            .accounts
            .iter()
            .filter(|a| a.account.year == d.year)
            .map(|a| a.account)
            .collect();
        if accounts.is_empty() {
            ctx.info(L::NoAccountHere);
            return Reply::Done;
        }
        let wanted = self
            .table()
            .current()
            .map(|r| d.entries[r].account)
            .unwrap_or(Account::daily(d.project, d.year));
        let at = accounts.iter().position(|a| *a == wanted).unwrap_or(0);
        let offered = accounts
            .into_iter()
            .map(|account| Offered {
                zh: self.account_label(&account, Lang::Zh),
                en: self.account_label(&account, Lang::En),
                account,
            })
            .collect();
        Reply::form(forms::entry_form(
            movement,
            offered,
            at,
            self.categories(),
            ctx.today,
        ))
    }

    fn account_label(&self, account: &Account, lang: Lang) -> String {
        let school = match account.holder {
            Holder::School(id) => self.data.schools.iter().find(|s| s.id == id),
            Holder::Project(_) => None,
        };
        model::account_label(account, school.map(|s| s.application.name.as_str()), lang)
    }

    /// The spending categories to offer: the defaults, then those of this
    /// year's budget and of entries already recorded, so a category the plan
    /// adds is offered from then on.
    fn categories(&self) -> Vec<(String, String)> {
        let mut out = forms::entry::default_categories();
        let planned = self.data.budget.iter().map(|b| &b.category);
        let used = self
            .data
            .entries
            .iter()
            .filter(|e| e.kind == crate::domain::EntryKind::Expense)
            .map(|e| &e.category);
        for c in planned.chain(used) {
            if !out.iter().any(|(zh, _)| zh == c) {
                let en = crate::domain::ledger::category_label(c, Lang::En);
                out.push((c.clone(), en.to_string()));
            }
        }
        out
    }

    /// A key no binding took, for the filter while it is typed.
    pub fn type_key(&mut self, key: Key, ctx: &mut Ctx) {
        let Some(input) = &mut self.filtering else {
            return;
        };
        if matches!(key.code, KeyCode::Down | KeyCode::Up) {
            // Arrows move through the narrowed list while typing.
            let d = if key.code == KeyCode::Down { 1 } else { -1 };
            self.table_mut().step(d);
        } else if forms::field::edit_input(input, key) {
            let q = input.value().to_string();
            self.table_mut().query = q;
            self.refresh_rows(self.tab);
        }
        self.load_detail(ctx);
    }

    pub fn paste(&mut self, text: &str, ctx: &mut Ctx) -> bool {
        let Some(input) = &mut self.filtering else {
            return false;
        };
        forms::field::paste_into(input, text);
        let q = input.value().to_string();
        self.table_mut().query = q;
        self.refresh_rows(self.tab);
        self.load_detail(ctx);
        true
    }

    /// Selects trainee `id` on the trainees tab, clearing its filter.
    pub fn select_trainee(&mut self, id: u64, ctx: &mut Ctx) {
        self.select_record(Tab::Trainees, id, ctx);
    }

    /// A record just saved here (a new application, nomination or school
    /// application), selected on its tab.
    pub fn select_new(&mut self, kind: RecordKind, id: u64, ctx: &mut Ctx) {
        let tab = match kind {
            RecordKind::Trainee => Tab::Trainees,
            RecordKind::Coach => Tab::Coaches,
            RecordKind::School => Tab::Schools,
            RecordKind::Entry => Tab::Ledger,
            RecordKind::Session => Tab::Calendar,
            _ => return,
        };
        self.select_record(tab, id, ctx);
    }

    /// Shows `tab` with the record `id` selected (any filter cleared).
    pub fn select_record(&mut self, tab: Tab, id: u64, ctx: &mut Ctx) {
        self.show(tab, ctx);
        let d = &self.data;
        let at = match tab {
            Tab::Trainees => d.trainees.iter().position(|t| t.id == id),
            Tab::Coaches => d.coaches.iter().position(|c| c.coach.id == id),
            Tab::Schools => d.schools.iter().position(|s| s.id == id),
            Tab::Ledger => d.entries.iter().position(|e| e.id == id),
            Tab::Plans => None,
            Tab::Calendar => d.sessions.iter().position(|s| s.session.id == id),
        };
        if let Some(at) = at {
            let nav = self.table_mut();
            nav.query.clear();
            if let Some(row) = nav.order.iter().position(|&r| r == at) {
                nav.shown = nav.order.clone();
                nav.selected = row;
            }
        }
        self.load_detail(ctx);
    }
}

/// The group's sessions as records, which a plan's training part is written
/// from.
fn sessions_of(w: &crate::tui::model::Workspace) -> Vec<crate::domain::training::Session> {
    w.sessions.iter().map(|r| r.session.clone()).collect()
}
