//! The overview: one pane per group in a 3 x 2 grid when the window is wide
//! enough, else one row per group with the selected group's alerts below.

use ratatui::Frame;
use ratatui::layout::Constraint::{Length, Min, Ratio};
use ratatui::layout::{Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Cell, Paragraph, Row, Table, TableState, Wrap};

use super::OverviewScreen;
use crate::i18n::Lang;
use crate::tui::model::{Alert, GroupSummary};
use crate::tui::strings::L;
use crate::tui::widgets::{Ui, header_row, pad, titled, wrapped_in};

/// The grid needs three 40-cell columns and two 15-line rows.
const GRID_WIDTH: u16 = 120;
const GRID_HEIGHT: u16 = 30;

pub fn draw(frame: &mut Frame, area: Rect, ui: &Ui, s: &OverviewScreen) {
    let o = &s.data;
    let empty = o
        .groups
        .iter()
        .all(|g| g.students == 0 && g.teachers == 0 && g.coaches == 0 && g.chief.is_none());
    let area = if empty {
        let [note, rest] = Layout::vertical([Length(3), Min(1)]).areas(area);
        let p = Paragraph::new(L::EmptyDatabase.get(ui.lang))
            .wrap(Wrap { trim: true })
            .style(ui.theme.accent);
        frame.render_widget(p, note);
        rest
    } else {
        area
    };
    if area.width >= GRID_WIDTH && area.height >= GRID_HEIGHT {
        grid(frame, area, ui, s);
    } else {
        compact(frame, area, ui, s);
    }
}

fn grid(frame: &mut Frame, area: Rect, ui: &Ui, s: &OverviewScreen) {
    let o = &s.data;
    let rows = Layout::vertical([Ratio(1, 2), Ratio(1, 2)]).split(area);
    for (r, row) in rows.iter().enumerate() {
        let cols = Layout::horizontal([Ratio(1, 3); 3]).split(*row);
        for (c, cell) in cols.iter().enumerate() {
            let i = r * 3 + c;
            if let Some(g) = o.groups.get(i) {
                pane(frame, *cell, ui, g, i == s.nav.selected);
            }
        }
    }
}

fn pane(frame: &mut Frame, area: Rect, ui: &Ui, g: &GroupSummary, selected: bool) {
    let lang = ui.lang;
    let t = ui.theme;
    let mark = if selected { "> " } else { "" };
    let title = format!(
        " {mark}{} {} ",
        g.project.index() + 1,
        g.project.group_name(lang)
    );
    let block = Block::bordered()
        .title(Span::styled(
            title,
            if selected { t.accent } else { t.header },
        ))
        .border_style(t.border);
    // The labels in a column as wide as the widest, then a space: a value
    // never runs into its label.
    let labels = [
        L::ChiefCoach,
        L::Coaches,
        L::Students,
        L::Teachers,
        L::BaseSchools,
        L::DailyFund,
        L::RewardFund,
        L::Assessed,
        L::PlanAndReport,
        L::GuidedBy,
    ];
    let column = labels
        .iter()
        .map(|l| unicode_width::UnicodeWidthStr::width(l.get(lang)))
        .max()
        .unwrap_or(0)
        .max(12);
    let label = |l: L| Span::styled(format!("{} ", pad(l.get(lang), column)), t.dim);
    let mut lines = vec![
        Line::from(vec![label(L::ChiefCoach), chief(g, ui)]),
        Line::from(vec![
            label(L::Coaches),
            count_span(format!("{} / 2-5", g.coaches), g.coaches < 2, ui),
        ]),
        Line::from(vec![
            label(L::Students),
            Span::raw(format!("{} / 50", g.students)),
        ]),
        Line::from(vec![label(L::Teachers), Span::raw(g.teachers.to_string())]),
        Line::from(vec![
            label(L::BaseSchools),
            Span::raw(g.schools.to_string()),
        ]),
        Line::from(vec![
            label(L::DailyFund),
            Span::raw(g.daily_balance.display()),
        ]),
        Line::from(vec![label(L::RewardFund), reward(g, lang)]),
        Line::from(vec![
            label(L::Assessed),
            Span::raw(format!("{} / {}", g.assessed, g.due)),
        ]),
        Line::from(vec![
            label(L::PlanAndReport),
            filing_span(g.plan, lang, ui),
            Span::raw(" / "),
            filing_span(g.report, lang, ui),
        ]),
        Line::from(vec![
            label(L::GuidedBy),
            Span::styled(g.project.guided_by().name(lang), t.dim),
        ]),
    ];
    if g.alerts.is_empty() {
        lines.push(Line::from(Span::styled(
            format!("  {}", L::NoAlerts.get(lang)),
            t.good,
        )));
    }
    for a in &g.alerts {
        lines.push(alert_line(a, ui));
    }
    wrapped_in(frame, area, block, Paragraph::new(lines));
}

/// A plan's or report's state in a word, with a mark when done.
fn filing_span<'a>(f: crate::domain::Filing, lang: Lang, ui: &Ui) -> Span<'a> {
    use crate::domain::Filing;
    match f {
        Filing::NotSubmitted => Span::styled(L::NotSubmitted.get(lang), ui.theme.dim),
        Filing::Submitted(_) => Span::raw(L::Submitted.get(lang)),
        Filing::Filed { .. } => Span::styled(format!("+ {}", L::Filed.get(lang)), ui.theme.good),
    }
}

fn chief<'a>(g: &GroupSummary, ui: &Ui) -> Span<'a> {
    match &g.chief {
        Some(n) => Span::raw(n.clone()),
        None => Span::styled(L::NoChiefYet.get(ui.lang), ui.theme.bad),
    }
}

fn count_span<'a>(text: String, low: bool, ui: &Ui) -> Span<'a> {
    if low {
        Span::styled(format!("{text} !"), ui.theme.warn)
    } else {
        Span::raw(text)
    }
}

fn reward<'a>(g: &GroupSummary, lang: Lang) -> Span<'a> {
    match g.reward_paid {
        Some(m) => Span::raw(format!("{} {}", L::Paid.get(lang), m.display())),
        None => Span::raw(L::NotYet.get(lang)),
    }
}

/// An alert as a marked line: the mark and the words carry it, colour only helps.
pub fn alert_line<'a>(a: &Alert, ui: &Ui) -> Line<'a> {
    let lang = ui.lang;
    let (text, style): (String, Style) = match a {
        Alert::NoChief => (L::NoChief.get(lang).into(), ui.theme.bad),
        Alert::FewCoaches(n) => (format!("{} ({n})", L::FewCoaches.get(lang)), ui.theme.warn),
        Alert::TermEnding { name, role, ends } => (
            format!(
                "{} {} {} {ends}",
                role.label(lang),
                name,
                L::TermEnds.get(lang)
            ),
            ui.theme.warn,
        ),
        Alert::OpenObjections(n) => (
            format!("{} {n}", L::OpenObjections.get(lang)),
            ui.theme.warn,
        ),
        Alert::LowAttendance {
            threshold,
            trainees,
        } => {
            let names: Vec<String> = trainees
                .iter()
                .map(|(name, p)| format!("{name} {p}%"))
                .collect();
            (
                format!(
                    "{} {threshold}%{}{}",
                    L::LowAttendance.get(lang),
                    lang.pick("：", ": "),
                    names.join(lang.pick("、", ", "))
                ),
                ui.theme.warn,
            )
        }
        Alert::Deadline {
            document,
            year,
            due,
            overdue,
        } => {
            let when = if *overdue {
                L::Overdue.get(lang)
            } else {
                L::DueOn.get(lang)
            };
            (
                format!("{year} {} {when} {due}", document.label(lang)),
                if *overdue {
                    ui.theme.bad
                } else {
                    ui.theme.warn
                },
            )
        }
    };
    Line::from(Span::styled(format!("! {text}"), style))
}

fn compact(frame: &mut Frame, area: Rect, ui: &Ui, s: &OverviewScreen) {
    let o = &s.data;
    let lang = ui.lang;
    let t = ui.theme;
    let [table_area, alerts_area] = Layout::vertical([Length(9), Min(3)]).areas(area);
    let header = header_row(
        &[
            L::Group,
            L::ShortChief,
            L::ShortCoaches,
            L::ShortStudents,
            L::ShortTeachers,
            L::ShortSchools,
            L::ShortFund,
            L::ShortAssessed,
            L::Alerts,
        ],
        ui,
    );
    let rows = o.groups.iter().map(|g| {
        let alerts = if g.alerts.is_empty() {
            "-".to_string()
        } else {
            format!("! {}", g.alerts.len())
        };
        Row::new(vec![
            Cell::from(format!(
                "{} {}",
                g.project.index() + 1,
                g.project.group_name(lang)
            )),
            Cell::from(
                g.chief
                    .clone()
                    .unwrap_or_else(|| L::NoChiefYet.get(lang).into()),
            ),
            Cell::from(format!(
                "{}{}",
                g.coaches,
                if g.coaches < 2 { " !" } else { "" }
            )),
            Cell::from(format!("{}/50", g.students)),
            Cell::from(g.teachers.to_string()),
            Cell::from(g.schools.to_string()),
            Cell::from(g.daily_balance.display()),
            Cell::from(format!("{}/{}", g.assessed, g.due)),
            Cell::from(alerts),
        ])
    });
    let widths = [
        Length(if lang == Lang::Zh { 20 } else { 19 }),
        Length(8),
        Length(5),
        Length(6),
        Length(4),
        Length(4),
        Length(11),
        Length(if lang == Lang::Zh { 6 } else { 5 }),
        Min(3),
    ];
    let table = Table::new(rows, widths)
        .header(header)
        .column_spacing(1)
        .row_highlight_style(t.selected)
        .highlight_symbol("> ")
        .block(titled(L::Overview, lang, t.header, t.border));
    let mut state = TableState::default().with_selected(Some(s.nav.selected));
    frame.render_stateful_widget(table, table_area, &mut state);

    // The selected group's alerts first, then every other group's.
    let selected = s.nav.selected.min(o.groups.len().saturating_sub(1));
    let order = std::iter::once(selected).chain((0..o.groups.len()).filter(|&i| i != selected));
    let mut lines = Vec::new();
    for i in order {
        let Some(g) = o.groups.get(i) else { continue };
        if i != selected && g.alerts.is_empty() {
            continue;
        }
        let style = if i == selected { t.accent } else { t.header };
        lines.push(Line::from(vec![
            Span::styled(format!("{} ", g.project.group_name(lang)), style),
            Span::styled(
                format!(
                    "{} {}  {} {}",
                    L::RewardFund.get(lang),
                    reward(g, lang).content,
                    L::GuidedBy.get(lang),
                    g.project.guided_by().name(lang)
                ),
                t.dim,
            ),
        ]));
        if g.alerts.is_empty() {
            lines.push(Line::from(Span::styled(
                format!("  {}", L::NoAlerts.get(lang)),
                t.good,
            )));
        }
        lines.extend(g.alerts.iter().map(|a| alert_line(a, ui)));
    }
    let block = titled(L::Alerts, lang, t.header, t.border);
    wrapped_in(frame, alerts_area, block, Paragraph::new(lines));
}
