//! The evaluation: a heading with the parts and the years, the points
//! table's name, the part's table, and the selected row's details (beside
//! the table when the window is wide, else under it).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Cell, Paragraph, Row, Table};
use unicode_width::UnicodeWidthStr;

use super::{EvaluationScreen, Part};
use crate::i18n::Lang;
use crate::tui::strings::L;
use crate::tui::widgets::{Ui, empty_note, field, header_row, table::draw_list, years_line};

/// From this width the details stand beside the table.
const SIDE_BY_SIDE: u16 = 120;

pub fn draw(frame: &mut Frame, area: Rect, ui: &Ui, s: &EvaluationScreen) {
    let (lang, th) = (ui.lang, ui.theme);
    // Which points table counts: a line, or two on a narrow window.
    let label_text = format!(" {}", s.data.points_label);
    let label_rows =
        if unicode_width::UnicodeWidthStr::width(label_text.as_str()) > area.width as usize {
            2
        } else {
            1
        };
    let [head, label, body] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(label_rows),
        Constraint::Min(3),
    ])
    .areas(area);
    let mut spans = vec![Span::styled(
        format!(" {} {}  ", L::EvaluationTitle.get(lang), s.data.year),
        th.header,
    )];
    for part in Part::ALL {
        let text = part.label().get(lang);
        if part == s.part {
            spans.push(Span::styled(format!("[{text}] "), th.accent));
        } else {
            spans.push(Span::styled(format!(" {text}  "), th.dim));
        }
    }
    spans.push(Span::styled(
        format!(" {}", years_line(&s.years, s.data.year)),
        th.base,
    ));
    frame.render_widget(Paragraph::new(Line::from(spans)), head);
    frame.render_widget(
        Paragraph::new(label_text)
            .style(th.dim)
            .wrap(ratatui::widgets::Wrap { trim: false }),
        label,
    );
    let (table, details) = if body.width >= SIDE_BY_SIDE {
        let [t, d] = Layout::horizontal([Constraint::Percentage(60), Constraint::Percentage(40)])
            .areas(body);
        (t, d)
    } else {
        let [t, d] = Layout::vertical([Constraint::Min(4), Constraint::Percentage(40)]).areas(body);
        (t, d)
    };
    match s.part {
        Part::Schools => schools(frame, table, ui, s),
        Part::Groups => groups(frame, table, ui, s),
    }
    s.details.draw(frame, details, ui, detail_lines(ui, s));
}

/// A column as wide as its widest cell or header, so numbers and amounts
/// are never cut.
fn width_of<'a>(header: &str, cells: impl Iterator<Item = &'a str>) -> Constraint {
    let w = cells
        .map(UnicodeWidthStr::width)
        .fold(header.width(), usize::max);
    Constraint::Length(u16::try_from(w).unwrap_or(u16::MAX))
}

fn schools(frame: &mut Frame, area: Rect, ui: &Ui, s: &EvaluationScreen) {
    let lang = ui.lang;
    let block = Block::bordered().border_style(ui.theme.focus_border);
    if s.data.schools.is_empty() {
        return empty_note(frame, area, L::NoAchievementsYet.get(lang), block, ui);
    }
    let columns = [L::School, L::AsBase, L::AsHome, L::TotalRow];
    let labels = columns.map(|l| l.get(lang));
    let nav = &s.navs[0];
    let window = nav.window(area.height.saturating_sub(3) as usize);
    let rows: Vec<Row> = nav.shown[window.clone()]
        .iter()
        .filter_map(|&i| s.data.schools.get(i))
        .map(|p| {
            Row::new(vec![
                Cell::from(p.school.clone()),
                Cell::from(p.as_base.to_string()),
                Cell::from(p.as_home.to_string()),
                Cell::from(p.total().to_string()),
            ])
        })
        .collect();
    let widths = [
        Constraint::Fill(1),
        width_of(labels[1], ["0000"].into_iter()),
        width_of(labels[2], ["0000"].into_iter()),
        width_of(labels[3], ["00000"].into_iter()),
    ];
    let table = Table::new(rows, widths)
        .header(header_row(&columns, ui))
        .block(block);
    draw_list(frame, area, table, nav, &window, ui.theme);
}

fn groups(frame: &mut Frame, area: Rect, ui: &Ui, s: &EvaluationScreen) {
    let lang = ui.lang;
    let block = Block::bordered().border_style(ui.theme.focus_border);
    let columns = [L::Group, L::TargetsAttained, L::Report, L::RewardFund];
    let labels = columns.map(|l| l.get(lang));
    let names: Vec<String> = s
        .data
        .groups
        .iter()
        .map(|g| g.project.group_name(lang))
        .collect();
    let nav = &s.navs[1];
    let window = nav.window(area.height.saturating_sub(3) as usize);
    let rows: Vec<Row> = nav.shown[window.clone()]
        .iter()
        .filter_map(|&i| Some((names.get(i)?, s.data.groups.get(i)?)))
        .map(|(name, g)| {
            Row::new(vec![
                Cell::from(name.clone()),
                Cell::from(g.targets_text(lang)),
                Cell::from(g.report.clone()),
                Cell::from(g.reward.clone()),
            ])
        })
        .collect();
    let widths = [
        width_of(labels[0], names.iter().map(String::as_str)),
        Constraint::Fill(1),
        width_of(labels[2], s.data.groups.iter().map(|g| g.report.as_str())),
        width_of(labels[3], s.data.groups.iter().map(|g| g.reward.as_str())),
    ];
    let table = Table::new(rows, widths)
        .header(header_row(&columns, ui))
        .block(block);
    draw_list(frame, area, table, nav, &window, ui.theme);
}

/// The selected school's points and the achievements behind them, or the
/// selected group's targets one by one, its report and reward fund.
fn detail_lines(ui: &Ui, s: &EvaluationScreen) -> Vec<Line<'static>> {
    let (lang, th) = (ui.lang, ui.theme);
    let section = |l: L| Line::from(Span::styled(format!("-- {} --", l.get(lang)), th.header));
    let mut out = Vec::new();
    match s.part {
        Part::Schools => {
            let Some(p) = s.nav().current().and_then(|i| s.data.schools.get(i)) else {
                return vec![Line::from(L::Nothing.get(lang))];
            };
            out.push(Line::from(Span::styled(p.school.clone(), th.accent)));
            out.push(field(L::AsBase.get(lang), p.as_base.to_string(), th.dim));
            out.push(field(L::AsHome.get(lang), p.as_home.to_string(), th.dim));
            out.push(field(L::TotalRow.get(lang), p.total().to_string(), th.dim));
            out.push(section(L::AchievementsLabel));
            out.extend(p.behind.iter().map(|b| Line::from(b.clone())));
        }
        Part::Groups => {
            let Some(g) = s.nav().current().and_then(|i| s.data.groups.get(i)) else {
                return vec![Line::from(L::Nothing.get(lang))];
            };
            out.push(Line::from(Span::styled(
                format!("{} {}", g.project.group_name(lang), s.data.year),
                th.accent,
            )));
            out.push(field(L::Report.get(lang), g.report.clone(), th.dim));
            out.push(field(L::RewardFund.get(lang), g.reward.clone(), th.dim));
            out.push(section(L::Targets));
            if g.targets.is_empty() {
                out.push(Line::from(Span::styled(L::NoTargets.get(lang), th.dim)));
            }
            for (name, goal, got) in &g.targets {
                let (got, style) = match got {
                    Some(n) if n >= goal => (n.to_string(), th.good),
                    Some(n) => (n.to_string(), th.warn),
                    None => ("?".to_string(), th.dim),
                };
                out.push(Line::from(vec![
                    Span::raw(format!("{name}  ")),
                    Span::styled(target_words(*goal, &got, lang), style),
                ]));
            }
        }
    }
    out
}

/// "目标 5，完成 3" / "goal 5, attained 3".
fn target_words(goal: u32, got: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("目标 {goal}，完成 {got}"),
        Lang::En => format!("goal {goal}, attained {got}"),
    }
}
