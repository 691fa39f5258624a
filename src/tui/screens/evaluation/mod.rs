//! The annual evaluation (年度评价), the numbers of `qiangji evaluation`:
//! per school the points of the year's achievements as base school and as
//! home school (双激励), with the achievements behind them in the details;
//! per group the annual plan's targets against what was attained, the
//! completion report's status and the reward fund's state. Left and right
//! switch between the two parts, `<` and `>` between years. It reads as the
//! actor's role: a chief coach counts and sees their own group only.

pub mod draw;

use ratatui::Frame;
use ratatui::layout::Rect;

use super::{Reply, Screen, adjacent_year};
use crate::domain::achievement::Points;
use crate::evaluation::{self, Evaluation};
use crate::tui::ctx::Ctx;
use crate::tui::input::action::Action;
use crate::tui::strings::L;
use crate::tui::widgets::details::Details;
use crate::tui::widgets::table::TableNav;

pub const HINTS: &[Action] = &[
    Action::Help,
    Action::NextTab,
    Action::NextYear,
    Action::PrevYear,
    Action::DetailDown,
    Action::Back,
    Action::Quit,
];

/// The evaluation's two parts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    Schools,
    Groups,
}

impl Part {
    pub const ALL: [Part; 2] = [Part::Schools, Part::Groups];

    pub fn label(self) -> L {
        match self {
            Part::Schools => L::SchoolPoints,
            Part::Groups => L::GroupTargets,
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

pub struct EvaluationScreen {
    pub data: Evaluation,
    /// The years there is something to evaluate, oldest first.
    pub years: Vec<i32>,
    points: Points,
    pub part: Part,
    pub navs: [TableNav; 2],
    pub details: Details,
}

impl EvaluationScreen {
    /// The evaluation of `year`, with the bureau's points table (the
    /// config directory's `points.toml`) or the default one.
    pub fn open(year: i32, ctx: &mut Ctx) -> Option<EvaluationScreen> {
        let points = match evaluation::points_table(None, ctx.lang) {
            Ok(p) => p,
            Err(message) => {
                *ctx.status = Some(crate::tui::ctx::Status::Error(message));
                return None;
            }
        };
        let mut s = EvaluationScreen {
            data: Evaluation {
                year,
                points_label: String::new(),
                schools: Vec::new(),
                groups: Vec::new(),
            },
            years: Vec::new(),
            points,
            part: Part::Schools,
            navs: Default::default(),
            details: Details::default(),
        };
        s.show(year, ctx).then_some(s)
    }

    /// Reads `year`; false (and the reason said) when it cannot be read.
    fn show(&mut self, year: i32, ctx: &mut Ctx) -> bool {
        let reader = ctx.reader();
        let read = evaluation::evaluate_as(&reader, year, &self.points, ctx.lang)
            .and_then(|data| Ok((data, years(&reader, ctx.today)?)));
        match read {
            Ok((data, years)) => {
                let keep = self.navs.clone();
                self.navs = [
                    TableNav::of(data.schools.len()),
                    TableNav::of(data.groups.len()),
                ];
                // The same rows stay selected when the year is the same.
                if year == self.data.year {
                    for (nav, old) in self.navs.iter_mut().zip(keep) {
                        nav.selected = old.selected.min(nav.shown.len().saturating_sub(1));
                    }
                }
                self.data = data;
                self.years = years;
                self.details.top();
                true
            }
            Err(e) => {
                ctx.error(&e);
                false
            }
        }
    }

    pub fn nav(&self) -> &TableNav {
        &self.navs[self.part.index()]
    }
}

impl Screen for EvaluationScreen {
    fn title(&self, lang: crate::i18n::Lang) -> String {
        L::EvaluationTitle.get(lang).to_string()
    }

    fn hints(&self) -> &'static [Action] {
        HINTS
    }

    fn transient(&self) -> bool {
        true
    }

    fn context(&self) -> crate::tui::input::action::Context {
        crate::tui::input::action::Context::Evaluation
    }

    fn draw(&self, frame: &mut Frame, area: Rect, ui: &crate::tui::widgets::Ui) {
        draw::draw(frame, area, ui, self)
    }

    fn reload(&mut self, ctx: &mut Ctx) {
        self.show(self.data.year, ctx);
    }

    /// This year's evaluation, over the overview alone.
    fn open_from(action: Action, _: &[Box<dyn Screen>], ctx: &mut Ctx) -> Option<Reply> {
        if action != Action::Evaluation {
            return None;
        }
        let year = chrono::Datelike::year(&ctx.today);
        Some(match EvaluationScreen::open(year, ctx) {
            Some(e) => Reply::Root(Box::new(e)),
            None => Reply::Home,
        })
    }

    fn act(&mut self, action: Action, ctx: &mut Ctx) -> Reply {
        if self.navs[self.part.index()].navigate(action, ctx.page) {
            self.details.top();
            return Reply::Done;
        }
        match action {
            Action::NextTab | Action::PrevTab => {
                let i = (self.part.index() + 1) % Part::ALL.len();
                self.part = Part::ALL[i];
                self.details.top();
            }
            Action::NextYear | Action::PrevYear => {
                let next = adjacent_year(&self.years, self.data.year, action == Action::NextYear);
                match next {
                    Some(year) => {
                        self.show(year, ctx);
                    }
                    None => ctx.info(L::NoOtherYear),
                }
            }
            Action::DetailDown => self.details.down(),
            Action::DetailUp => self.details.up(),
            _ => return Reply::Pass,
        }
        Reply::Done
    }
}

/// The years with a plan or an achievement the role reads, and this year.
fn years(
    reader: &crate::registry::Reader<'_>,
    today: chrono::NaiveDate,
) -> Result<Vec<i32>, crate::store::StoreError> {
    let mut years = vec![chrono::Datelike::year(&today)];
    for c in reader.cycles() {
        years.push(c?.year);
    }
    for a in reader.achievements() {
        years.push(a?.year);
    }
    years.sort_unstable();
    years.dedup();
    Ok(years)
}
