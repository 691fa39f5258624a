//! A group's workspace: tabs with counts, a sortable and filterable table, and
//! the selected record's details with its whole history.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Cell, Paragraph, Row, Table, Tabs};

use super::super::app::{App, Tab, WorkspaceView};
use super::super::strings::L;
use super::{field, wrapped_in};
use crate::domain::{EntryKind, Filing, Holder, TraineeKind, TrainingMode};
use crate::i18n::{Lang, Localized};
use crate::registry::shanghai;

/// Side by side from this width; stacked below it.
const SIDE_BY_SIDE: u16 = 140;
/// Rows of the ledger tab's budget and monthly-spending panel.
const ANALYSIS_HEIGHT: u16 = 10;

pub fn draw(frame: &mut Frame, area: Rect, app: &App, w: &WorkspaceView) {
    let [tabs_area, filter_area, body] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(1),
    ])
    .areas(area);
    tabs(frame, tabs_area, app, w);
    filter_line(frame, filter_area, app, w);
    // The ledger tab also shows the budget against actual and the monthly
    // spending: under the table when wide, or in the place of the details
    // when they are hidden.
    let analysis = w.tab == Tab::Ledger && body.height >= ANALYSIS_HEIGHT * 2;
    if analysis && body.width >= SIDE_BY_SIDE && w.detail_visible {
        let [left, right] =
            Layout::horizontal([Constraint::Percentage(60), Constraint::Percentage(40)])
                .areas(body);
        let [top, bottom] =
            Layout::vertical([Constraint::Min(3), Constraint::Length(ANALYSIS_HEIGHT)]).areas(left);
        table(frame, top, app, w);
        ledger_analysis(frame, bottom, app, w);
        return detail(frame, right, app, w);
    }
    if analysis && !w.detail_visible {
        let [top, bottom] =
            Layout::vertical([Constraint::Min(3), Constraint::Length(ANALYSIS_HEIGHT)]).areas(body);
        table(frame, top, app, w);
        return ledger_analysis(frame, bottom, app, w);
    }
    if !w.detail_visible {
        return table(frame, body, app, w);
    }
    let (table_area, detail_area) = if body.width >= SIDE_BY_SIDE {
        let [a, b] = Layout::horizontal([Constraint::Percentage(60), Constraint::Percentage(40)])
            .areas(body);
        (a, b)
    } else {
        let [a, b] =
            Layout::vertical([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(body);
        (a, b)
    };
    table(frame, table_area, app, w);
    detail(frame, detail_area, app, w);
}

fn tabs(frame: &mut Frame, area: Rect, app: &App, w: &WorkspaceView) {
    let titles: Vec<String> = Tab::ALL
        .iter()
        .map(|t| format!("{} {}", t.label().get(app.lang), w.len(*t)))
        .collect();
    let index = Tab::ALL.iter().position(|t| *t == w.tab).unwrap_or(0);
    let tabs = Tabs::new(titles)
        .select(index)
        .highlight_style(app.theme.selected)
        .style(app.theme.header)
        .divider("|");
    frame.render_widget(tabs, area);
}

fn filter_line(frame: &mut Frame, area: Rect, app: &App, w: &WorkspaceView) {
    let lang = app.lang;
    let t = w.table();
    let counts = format!(
        "{} {} {} {}",
        L::Shown.get(lang),
        t.shown.len(),
        L::Of.get(lang),
        w.len(w.tab)
    );
    let sort_col = w
        .tab
        .columns()
        .get(t.sort)
        .map(|l| l.get(lang))
        .unwrap_or_default();
    let sort = format!(
        "{} {}{}",
        L::Sorted.get(lang),
        sort_col,
        if t.reverse { " v" } else { " ^" }
    );
    let prompt = format!("/ {}: ", L::FilterPrompt.get(lang));
    let (text, editing) = match &w.filtering {
        Some(input) => (input.value().to_string(), Some(input.visual_cursor())),
        None => (t.query.clone(), None),
    };
    let shown_text = if text.is_empty() && editing.is_some() {
        L::FilterHint.get(lang).to_string()
    } else {
        text.clone()
    };
    let line = Line::from(vec![
        Span::styled(prompt.clone(), app.theme.key),
        Span::styled(
            shown_text,
            if text.is_empty() {
                app.theme.dim
            } else {
                app.theme.accent
            },
        ),
        Span::styled(format!("   {counts}   {sort}"), app.theme.dim),
    ]);
    frame.render_widget(Paragraph::new(line), area);
    if let Some(cells) = editing {
        // The terminal cursor sits at the caret so an input method's candidate
        // window opens there.
        let x =
            area.x + unicode_width::UnicodeWidthStr::width(prompt.as_str()) as u16 + cells as u16;
        frame.set_cursor_position(Position {
            x: x.min(area.right().saturating_sub(1)),
            y: area.y,
        });
    }
}

fn table(frame: &mut Frame, area: Rect, app: &App, w: &WorkspaceView) {
    let lang = app.lang;
    let th = &app.theme;
    let nav = w.table();
    let cols = w.tab.columns();
    let header = Row::new(cols.iter().enumerate().map(|(i, l)| {
        let mark = if i == nav.sort {
            if nav.reverse { " v" } else { " ^" }
        } else {
            ""
        };
        Cell::from(format!("{}{mark}", l.get(lang)))
    }))
    .style(th.header);
    let d = &w.data;
    // Inside the border, below the header.
    let window = nav.window(area.height.saturating_sub(3) as usize);
    let rows: Vec<Row> = nav.shown[window.clone()]
        .iter()
        .map(|&r| match w.tab {
            Tab::Trainees => {
                let t = &d.trainees[r];
                Row::new(vec![
                    t.name.clone(),
                    match t.kind {
                        TraineeKind::Student => L::Student.get(lang).into(),
                        TraineeKind::Teacher => L::Teacher.get(lang).into(),
                    },
                    t.stage.label(lang).into(),
                    t.home_school.clone(),
                    t.district.clone(),
                    t.grade.clone(),
                    match t.training_mode {
                        Some(TrainingMode::BaseSchool { .. }) => L::BaseMode.get(lang).into(),
                        Some(TrainingMode::Commuting) => L::CommuteMode.get(lang).into(),
                        None => String::new(),
                    },
                ])
            }
            Tab::Coaches => {
                let c = &d.coaches[r];
                let q = if c.shortfalls == 0 {
                    L::Meets.get(lang).to_string()
                } else {
                    format!("! {} {}", c.shortfalls, L::Unmet.get(lang))
                };
                Row::new(vec![
                    c.person.name.clone(),
                    c.coach.role.label(lang).into(),
                    c.coach.stage.label(lang).into(),
                    format!(
                        "{} {} {}",
                        c.coach.term_start,
                        L::Until.get(lang),
                        c.coach.term_end
                    ),
                    c.person.school.clone(),
                    q,
                ])
            }
            Tab::Schools => {
                let s = &d.schools[r];
                Row::new(vec![
                    s.application.name.clone(),
                    s.application.district.clone(),
                    s.application
                        .projects
                        .iter()
                        .map(|p| p.name(lang))
                        .collect::<Vec<_>>()
                        .join(", "),
                    s.stage.label(lang).into(),
                    s.application.principal.clone(),
                ])
            }
            Tab::Ledger => {
                let e = &d.entries[r];
                let sign = match e.kind {
                    EntryKind::Expense => "-",
                    EntryKind::Allocation => "+",
                    EntryKind::Reversal { .. } => "~",
                };
                Row::new(vec![
                    e.date.to_string(),
                    e.kind.label(lang).into(),
                    format!("{sign}{}", e.amount.grouped()),
                    e.category.clone(),
                    e.voucher.clone(),
                    e.payee.clone(),
                ])
            }
            Tab::Plans => {
                let c = &d.cycles[r];
                Row::new(vec![
                    c.year.to_string(),
                    filing(c.plan, lang),
                    filing(c.report, lang),
                    c.goals.clone(),
                ])
            }
        })
        .collect();
    let widths: Vec<Constraint> = match w.tab {
        Tab::Trainees => vec![
            Constraint::Length(8),
            Constraint::Length(7),
            Constraint::Length(12),
            Constraint::Min(12),
            Constraint::Length(8),
            Constraint::Length(10),
            Constraint::Length(11),
        ],
        Tab::Coaches => vec![
            Constraint::Length(8),
            Constraint::Length(12),
            Constraint::Length(10),
            Constraint::Length(24),
            Constraint::Min(10),
            Constraint::Length(10),
        ],
        Tab::Schools => vec![
            Constraint::Min(16),
            Constraint::Length(8),
            Constraint::Length(16),
            Constraint::Length(10),
            Constraint::Length(8),
        ],
        Tab::Ledger => vec![
            Constraint::Length(10),
            Constraint::Length(10),
            Constraint::Length(14),
            Constraint::Length(10),
            Constraint::Length(14),
            Constraint::Min(10),
        ],
        Tab::Plans => vec![
            Constraint::Length(6),
            Constraint::Length(18),
            Constraint::Length(18),
            Constraint::Min(10),
        ],
    };
    let mut block = Block::bordered().border_style(th.focus_border);
    if w.tab == Tab::Ledger {
        block = block.title(Span::styled(
            format!(" {} ", ledger_summary(app, w)),
            th.header,
        ));
    }
    if rows.is_empty() {
        let p = Paragraph::new(L::Nothing.get(lang))
            .style(th.dim)
            .block(block);
        return frame.render_widget(p, area);
    }
    let table = Table::new(rows, widths).header(header).block(block);
    super::draw_list(frame, area, table, nav, &window, app);
}

fn filing(f: Filing, lang: Lang) -> String {
    match f {
        Filing::NotSubmitted => L::NotSubmitted.get(lang).into(),
        Filing::Submitted(d) => format!("{} {d}", L::Submitted.get(lang)),
        Filing::Filed { filed, .. } => format!("{} {filed}", L::Filed.get(lang)),
    }
}

/// The group's accounts with their balances, for the ledger table's title:
/// this year's daily fund first with what was allocated, then the others
/// (reward fund, last year's, the base schools') as far as the width allows.
fn ledger_summary(app: &App, w: &WorkspaceView) -> String {
    let lang = app.lang;
    let mut parts = Vec::new();
    for a in &w.data.accounts {
        let who = match &a.school {
            Some(name) => format!("{name} "),
            None => String::new(),
        };
        let fund = a.account.fund.short_label(lang);
        let year = a.account.year;
        if a.account.year == w.data.year && a.account.fund == crate::domain::Fund::Daily {
            parts.insert(
                0,
                format!(
                    "{year} {fund} {} {} {} {}",
                    L::Allocated.get(lang),
                    a.allocated.display(),
                    L::Balance.get(lang),
                    a.balance.display()
                ),
            );
        } else {
            parts.push(format!("{who}{year} {fund} {}", a.balance.display()));
        }
    }
    parts.join(" | ")
}

/// Budget against actual per category (left) and spending by month (right).
fn ledger_analysis(frame: &mut Frame, area: Rect, app: &App, w: &WorkspaceView) {
    let chart_width = if area.width >= 100 { 40 } else { 28 };
    let [budget_area, chart_area] =
        Layout::horizontal([Constraint::Min(40), Constraint::Length(chart_width)]).areas(area);
    budget(frame, budget_area, app, w);
    monthly_chart(frame, chart_area, app, w);
}

fn budget(frame: &mut Frame, area: Rect, app: &App, w: &WorkspaceView) {
    let lang = app.lang;
    let th = &app.theme;
    let lines = &w.data.budget;
    let planned_any = lines.iter().any(|l| l.planned.fen() > 0);
    let title = if planned_any || lines.is_empty() {
        L::BudgetTitle
    } else {
        L::NoBudget
    };
    let block = Block::bordered()
        .title(Span::styled(format!(" {} ", title.get(lang)), th.header))
        .border_style(th.border);
    if lines.is_empty() {
        let p = Paragraph::new(L::Nothing.get(lang))
            .style(th.dim)
            .block(block);
        return frame.render_widget(p, area);
    }
    // Remaining is left out when narrow: planned less spent can be read off.
    let wide = area.width >= 66;
    let mut heads = vec![L::Category, L::Planned, L::Spent];
    if wide {
        heads.push(L::Remaining);
    }
    heads.push(L::UsedPercent);
    let header = Row::new(heads.iter().map(|h| Cell::from(h.get(lang)))).style(th.header);
    let total = crate::domain::BudgetLine {
        category: L::TotalRow.get(lang).to_string(),
        planned: crate::domain::Money(lines.iter().map(|l| l.planned.fen()).sum()),
        spent: crate::domain::Money(lines.iter().map(|l| l.spent.fen()).sum()),
    };
    // Room for the header and the total: the lines that fit, then the total.
    let room = (area.height.saturating_sub(3) as usize).max(1);
    let shown = lines.iter().take(room.saturating_sub(1));
    let rows: Vec<Row> = shown
        .chain(std::iter::once(&total))
        .map(|l| {
            let over = l.planned.fen() > 0 && l.spent.fen() > l.planned.fen();
            let used = match l.percent_used() {
                Some(p) if over => format!("{p}% !"),
                Some(p) => format!("{p}%"),
                None => "-".into(),
            };
            let mut cells = vec![
                Cell::from(l.category.clone()),
                Cell::from(l.planned.display()),
                Cell::from(l.spent.display()),
            ];
            if wide {
                cells.push(Cell::from(l.remaining().display()));
            }
            cells.push(Cell::from(used).style(if over { th.warn } else { th.base }));
            let row = Row::new(cells);
            if std::ptr::eq(l, &total) {
                row.style(th.header)
            } else {
                row
            }
        })
        .collect();
    let mut widths = vec![
        Constraint::Min(8),
        Constraint::Length(13),
        Constraint::Length(13),
    ];
    if wide {
        widths.push(Constraint::Length(13));
    }
    widths.push(Constraint::Length(7));
    let table = Table::new(rows, widths)
        .header(header)
        .column_spacing(1)
        .block(block);
    frame.render_widget(table, area);
}

fn monthly_chart(frame: &mut Frame, area: Rect, app: &App, w: &WorkspaceView) {
    use ratatui::widgets::{Bar, BarChart, BarGroup};
    let lang = app.lang;
    let th = &app.theme;
    let block = Block::bordered()
        .title(Span::styled(
            format!(" {} ", L::MonthlyTitle.get(lang)),
            th.header,
        ))
        .border_style(th.border);
    // Twelve bars two cells wide (room for "12" under each), with a gap
    // when there is room; without one, months alternate in shade.
    let gap = u16::from(area.width.saturating_sub(2) >= 35);
    let bars: Vec<Bar> = w
        .data
        .monthly
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let yuan = u64::try_from(m.fen().max(0) / 100).unwrap_or(0);
            Bar::default()
                .value(yuan)
                .label(Line::from(format!("{}", i + 1)))
                .text_value(String::new())
                .style(if gap == 0 && i % 2 == 1 {
                    th.dim
                } else {
                    th.accent
                })
        })
        .collect();
    let peak = w.data.monthly.iter().map(|m| m.fen()).max().unwrap_or(0);
    let chart = BarChart::default()
        .block(block.title_bottom(Span::styled(
            format!(
                " {} {} ",
                lang.pick("最高", "peak"),
                crate::domain::Money(peak).display()
            ),
            th.dim,
        )))
        .data(BarGroup::default().bars(&bars))
        .bar_width(2)
        .bar_gap(gap);
    frame.render_widget(chart, area);
}

fn detail(frame: &mut Frame, area: Rect, app: &App, w: &WorkspaceView) {
    let lang = app.lang;
    let th = &app.theme;
    let lines = detail_lines(app, w);
    let block = Block::bordered()
        .title(Span::styled(
            format!(" {} ", L::Detail.get(lang)),
            th.header,
        ))
        .border_style(th.border);
    wrapped_in(
        frame,
        area,
        block,
        Paragraph::new(lines).scroll((w.detail_scroll, 0)),
    );
}

fn detail_lines(app: &App, w: &WorkspaceView) -> Vec<Line<'static>> {
    let lang = app.lang;
    let th = &app.theme;
    let label = th.dim;
    let section = |l: L| Line::from(Span::styled(format!("-- {} --", l.get(lang)), th.header));
    let Some(r) = w.table().current() else {
        return vec![Line::from(L::Nothing.get(lang))];
    };
    let d = &w.data;
    let mut out: Vec<Line<'static>> = Vec::new();
    match w.tab {
        Tab::Trainees => {
            let t = &d.trainees[r];
            out.push(Line::from(Span::styled(
                format!(
                    "{}  {}  {}",
                    t.name,
                    t.kind.label(lang),
                    t.stage.label(lang)
                ),
                th.accent,
            )));
            let today = app.overview.as_ref().map(|o| o.today);
            if let Some(next) = today.and_then(|d| super::super::pipeline::next_step(t, d, lang)) {
                out.push(Line::from(Span::styled(format!("> {next}"), th.warn)));
            }
            out.push(field(
                L::Gender.get(lang),
                t.gender.label(lang).into(),
                label,
            ));
            out.push(field(
                L::HomeSchool.get(lang),
                format!("{} ({})", t.home_school, t.district),
                label,
            ));
            out.push(field(L::Grade.get(lang), t.grade.clone(), label));
            out.push(field(L::Phone.get(lang), t.phone.clone(), label));
            out.push(field(
                L::Recommenders.get(lang),
                t.recommenders.join(", "),
                label,
            ));
            if let Some(m) = t.training_mode {
                let school = match m {
                    TrainingMode::BaseSchool { school } => d
                        .schools
                        .iter()
                        .find(|s| s.id == school)
                        .map(|s| format!(" {}", s.application.name))
                        .unwrap_or_default(),
                    TrainingMode::Commuting => String::new(),
                };
                out.push(field(
                    L::Mode.get(lang),
                    format!("{}{school}", m.label(lang)),
                    label,
                ));
            }
            if let Some(c) = t.commitment_signed {
                out.push(field(L::Commitment.get(lang), c.to_string(), label));
            }
            if let Some(a) = &t.announcement {
                out.push(field(
                    L::Announcement.get(lang),
                    format!("{} {} {}", a.start, L::Until.get(lang), a.end()),
                    label,
                ));
            }
            for o in &t.objections {
                let state = match &o.resolution {
                    Some((d, text)) => format!("{} {d}: {text}", L::Resolved.get(lang)),
                    None => format!("! {}", L::Open.get(lang)),
                };
                out.push(field(
                    L::Objections.get(lang),
                    format!("{} {} ({state})", o.raised_on, o.text),
                    label,
                ));
            }
            for wd in &t.withdrawals {
                let mut s = format!("{} {}", wd.date, wd.reason.label(lang));
                if let Some(r) = wd.reinstated_on {
                    s.push_str(&format!(" -> {r}"));
                }
                out.push(field(L::Withdrawal.get(lang), s, label));
            }
            out.push(section(L::History));
            for c in &t.history {
                out.push(Line::from(format!("{}  {}", c.date, c.stage.label(lang))));
            }
            if !w.detail.assessments.is_empty() {
                out.push(section(L::AssessmentsLabel));
                for a in &w.detail.assessments {
                    let score = a.score.map(|s| format!(" {s}")).unwrap_or_default();
                    out.push(Line::from(format!(
                        "{}  {}{score}",
                        a.semester.label(lang),
                        a.outcome.label(lang)
                    )));
                }
            }
        }
        Tab::Coaches => {
            let c = &d.coaches[r];
            let p = &c.person;
            out.push(Line::from(Span::styled(
                format!(
                    "{}  {}  {}",
                    p.name,
                    c.coach.role.label(lang),
                    c.coach.stage.label(lang)
                ),
                th.accent,
            )));
            out.push(field(
                L::Workplace.get(lang),
                format!("{} {}", p.school, p.title),
                label,
            ));
            out.push(field(
                L::Term.get(lang),
                format!(
                    "{} {} {}",
                    c.coach.term_start,
                    L::Until.get(lang),
                    c.coach.term_end
                ),
                label,
            ));
            out.push(field(L::Phone.get(lang), p.phone.clone(), label));
            for res in &p.results {
                out.push(field(
                    L::Results.get(lang),
                    format!(
                        "{} {} {}{}{}",
                        res.year,
                        res.competition,
                        res.level.label(lang),
                        lang.pick("", " "),
                        res.prize.label(lang)
                    ),
                    label,
                ));
            }
            for o in &p.research_outputs {
                out.push(field(L::Research.get(lang), o.clone(), label));
            }
            let today = app
                .overview
                .as_ref()
                .map(|o| o.today)
                .unwrap_or(c.coach.term_start);
            let shortfalls = crate::domain::coach::qualification_shortfalls(
                p,
                c.coach.role,
                c.coach.project,
                today,
            );
            if !shortfalls.is_empty() {
                out.push(section(L::Shortfalls));
                out.extend(shortfalls.iter().map(|s| {
                    Line::from(Span::styled(format!("! {}", s.localized(lang)), th.warn))
                }));
            }
            if let Some(j) = &c.coach.justification {
                out.push(field(L::Justification.get(lang), j.clone(), label));
            }
            out.push(section(L::History));
            for (stage, date) in &c.coach.history {
                out.push(Line::from(format!("{date}  {}", stage.label(lang))));
            }
        }
        Tab::Schools => {
            let s = &d.schools[r];
            let a = &s.application;
            out.push(Line::from(Span::styled(
                format!("{}  {}", a.name, s.stage.label(lang)),
                th.accent,
            )));
            out.push(field(L::District.get(lang), a.district.clone(), label));
            out.push(field(
                L::Principal.get(lang),
                format!("{} {}", a.principal, a.phone),
                label,
            ));
            out.push(field(
                L::ChiefCoach.get(lang),
                format!(
                    "{} {} {}",
                    a.chief_coach.name, a.chief_coach.title, a.chief_coach.subject
                ),
                label,
            ));
            if let Some(dd) = s.decided_on {
                out.push(field(
                    L::Decision.get(lang),
                    format!("{dd} {}", s.decision_note),
                    label,
                ));
            }
            out.push(field(
                L::TrackRecord.get(lang),
                a.track_record.clone(),
                label,
            ));
            out.push(field(L::WorkPlan.get(lang), a.work_plan.clone(), label));
            out.push(field(
                L::Recommendation.get(lang),
                a.district_recommendation.clone(),
                label,
            ));
        }
        Tab::Ledger => {
            let e = &d.entries[r];
            let holder = match e.account.holder {
                Holder::Project(p) => p.group_name(lang),
                Holder::School(id) => d
                    .schools
                    .iter()
                    .find(|s| s.id == id)
                    .map(|s| s.application.name.clone())
                    .unwrap_or_default(),
            };
            out.push(Line::from(Span::styled(
                format!("{}  {}", e.kind.label(lang), e.amount.display()),
                th.accent,
            )));
            out.push(field(
                L::Account.get(lang),
                format!("{holder} {} {}", e.account.year, e.account.fund.label(lang)),
                label,
            ));
            out.push(field(L::Date.get(lang), e.date.to_string(), label));
            out.push(field(L::Category.get(lang), e.category.clone(), label));
            out.push(field(L::Voucher.get(lang), e.voucher.clone(), label));
            out.push(field(L::Payee.get(lang), e.payee.clone(), label));
            out.push(field(
                L::RecordedBy.get(lang),
                format!(
                    "{} {}",
                    e.recorded_by,
                    shanghai(e.stamp.created_at).format("%Y-%m-%d %H:%M")
                ),
                label,
            ));
            if !e.note.is_empty() {
                out.push(field(L::Detail.get(lang), e.note.clone(), label));
            }
            out.push(section(L::Balance));
            for a in &d.accounts {
                let who = a
                    .school
                    .clone()
                    .unwrap_or_else(|| d.project.group_name(lang));
                out.push(Line::from(format!(
                    "{who} {} {}: {}",
                    a.account.year,
                    a.account.fund.label(lang),
                    a.balance.display()
                )));
            }
        }
        Tab::Plans => {
            let c = &d.cycles[r];
            out.push(Line::from(Span::styled(
                format!("{} {}", c.year, d.project.group_name(lang)),
                th.accent,
            )));
            out.push(field(L::Plan.get(lang), filing(c.plan, lang), label));
            out.push(field(L::Report.get(lang), filing(c.report, lang), label));
            out.push(field(L::Goals.get(lang), c.goals.clone(), label));
            for t in &c.targets {
                let got = t.attained.map(|a| format!(" -> {a}")).unwrap_or_default();
                out.push(field(
                    L::Targets.get(lang),
                    format!("{}: {}{got}", t.name, t.goal),
                    label,
                ));
            }
            for (cat, m) in &c.budget {
                out.push(field(
                    L::Budget.get(lang),
                    format!("{cat} {}", m.display()),
                    label,
                ));
            }
        }
    }
    if !w.detail.audit.is_empty() {
        out.push(section(L::Audit));
        for a in &w.detail.audit {
            out.push(Line::from(vec![
                Span::styled(shanghai(a.at).format("%Y-%m-%d %H:%M ").to_string(), label),
                Span::raw(format!(
                    "{} {} {}",
                    a.command.action(lang),
                    L::ByActor.get(lang),
                    a.actor
                )),
            ]));
        }
    }
    out
}
