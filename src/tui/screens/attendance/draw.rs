//! The attendance roster: the session, progress, one row per trainee with
//! the mark; then the summary with the counts and who was absent or late.

use ratatui::Frame;
use ratatui::layout::Constraint::{Length, Min};
use ratatui::layout::{Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Cell, Gauge, Paragraph, Row, Table, Wrap};

use super::AttendanceScreen;
use crate::domain::TraineeKind;
use crate::domain::training::Mark;
use crate::tui::strings::L;
use crate::tui::widgets::table::{clip_to, column_widths, draw_list};
use crate::tui::widgets::{Ui, empty_note, header_row, titled};

pub fn draw(frame: &mut Frame, area: Rect, ui: &Ui, s: &AttendanceScreen) {
    let [head, gauge, body] = Layout::vertical([Length(1), Length(1), Min(3)]).areas(area);
    heading(frame, head, ui, s);
    progress(frame, gauge, ui, s);
    if s.summary {
        summary(frame, body, ui, s);
    } else {
        roster(frame, body, ui, s);
    }
}

fn heading(frame: &mut Frame, area: Rect, ui: &Ui, s: &AttendanceScreen) {
    let lang = ui.lang;
    let x = &s.session;
    let title = if s.summary {
        format!(
            " {} · {}",
            L::AttendanceTitle.get(lang),
            L::AttendanceSummary.get(lang)
        )
    } else {
        format!(" {}", L::AttendanceTitle.get(lang))
    };
    // The session in what room is left after the title, cut with `…`.
    let room =
        (area.width as usize).saturating_sub(unicode_width::UnicodeWidthStr::width(title.as_str()));
    let what = format!(
        "  {} {} {}-{}  {}  {}",
        x.date,
        crate::tui::model::calendar::weekday(x.date, lang),
        x.start.format("%H:%M"),
        x.end.format("%H:%M"),
        x.topic,
        s.place
    );
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(title, ui.theme.header),
            Span::styled(crate::tui::widgets::clip(&what, room), ui.theme.base),
        ])),
        area,
    );
}

fn progress(frame: &mut Frame, area: Rect, ui: &Ui, s: &AttendanceScreen) {
    let total = s.rows.len();
    let done = s.marked();
    let ratio = if total == 0 {
        0.0
    } else {
        done as f64 / total as f64
    };
    let gauge = Gauge::default()
        .gauge_style(ui.theme.accent)
        .ratio(ratio)
        .label(format!("{} {done} / {total}", L::Progress.get(ui.lang)));
    frame.render_widget(gauge, area);
}

fn mark_cell<'a>(ui: &Ui, mark: Option<Mark>, skipped: bool) -> Cell<'a> {
    let lang = ui.lang;
    let th = ui.theme;
    match mark {
        Some(Mark::Present) => {
            Cell::from(format!("+ {}", Mark::Present.label(lang))).style(th.good)
        }
        Some(Mark::Late) => Cell::from(format!("~ {}", Mark::Late.label(lang))).style(th.warn),
        Some(Mark::Excused) => Cell::from(format!("- {}", Mark::Excused.label(lang))).style(th.dim),
        Some(Mark::Absent) => Cell::from(format!("x {}", Mark::Absent.label(lang))).style(th.bad),
        None if skipped => Cell::from(format!("> {}", L::Skipped.get(lang))).style(th.warn),
        None => Cell::from(format!("  {}", L::Unmarked.get(lang))).style(th.dim),
    }
}

fn roster(frame: &mut Frame, area: Rect, ui: &Ui, s: &AttendanceScreen) {
    let lang = ui.lang;
    let th = ui.theme;
    let block = Block::bordered().border_style(th.focus_border);
    if s.rows.is_empty() {
        return empty_note(frame, area, L::NobodyExpected.get(lang), block, ui);
    }
    let header = header_row(&[L::Name, L::Kind, L::HomeSchool, L::Marked], ui);
    let widths = [Length(10), Length(8), Min(12), Length(10)];
    let columns = column_widths(&widths, area);
    let window = s.nav.window(area.height.saturating_sub(3) as usize);
    let rows: Vec<Row> = s.rows[window.clone()]
        .iter()
        .map(|row| {
            let t = &row.trainee;
            Row::new(vec![
                Cell::from(clip_to(&t.name, &columns, 0)),
                Cell::from(match t.kind {
                    TraineeKind::Student => L::Student.get(lang),
                    TraineeKind::Teacher => L::Teacher.get(lang),
                }),
                Cell::from(clip_to(&t.home_school, &columns, 2)),
                mark_cell(ui, row.mark, s.skipped.contains(&t.id)),
            ])
        })
        .collect();
    let table = Table::new(rows, widths).header(header).block(block);
    draw_list(frame, area, table, &s.nav, &window, ui.theme);
}

fn summary(frame: &mut Frame, area: Rect, ui: &Ui, s: &AttendanceScreen) {
    let lang = ui.lang;
    let th = ui.theme;
    let [counts, missed] = Layout::vertical([Length(3), Min(3)]).areas(area);
    let mut spans = vec![Span::raw(" ")];
    for (mark, style) in [
        (Mark::Present, th.good),
        (Mark::Late, th.warn),
        (Mark::Excused, th.dim),
        (Mark::Absent, th.bad),
    ] {
        spans.push(Span::styled(
            format!("{} {}   ", mark.label(lang), s.count(mark)),
            style,
        ));
    }
    let unmarked = s.rows.len() - s.marked();
    spans.push(Span::styled(
        format!("{} {unmarked}", L::Unmarked.get(lang)),
        th.dim,
    ));
    frame.render_widget(
        Paragraph::new(Line::from(spans)).block(Block::bordered().border_style(th.border)),
        counts,
    );
    let block = titled(L::AbsentOrLate, lang, th.header, th.focus_border);
    let names: Vec<Line> = s
        .rows
        .iter()
        .filter(|r| matches!(r.mark, Some(Mark::Absent | Mark::Late)))
        .map(|r| {
            let mark = r.mark.unwrap_or(Mark::Absent);
            Line::from(format!(
                "{}  {}  {}",
                r.trainee.name,
                mark.label(lang),
                r.trainee.home_school
            ))
        })
        .collect();
    let p = if names.is_empty() {
        Paragraph::new(L::NobodyMissed.get(lang)).style(th.dim)
    } else {
        Paragraph::new(names)
    };
    frame.render_widget(p.block(block).wrap(Wrap { trim: true }), missed);
}
