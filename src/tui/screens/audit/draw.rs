//! The audit trail: every change, newest first, with time (Asia/Shanghai),
//! actor, group and action; the selected change's fields and the record's
//! values before it. `/` narrows by any of them (a group, an actor, a date).

use ratatui::Frame;
use ratatui::layout::Constraint::{Length, Min, Percentage};
use ratatui::layout::{Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table};

use super::AuditScreen;
use crate::tui::model::AUDIT_SHOWN;
use crate::tui::strings::L;
use crate::tui::widgets::{
    Ui, caret, empty_note, field,
    table::{draw_list, fitted},
    titled,
};

pub fn draw(frame: &mut Frame, area: Rect, ui: &Ui, a: &AuditScreen) {
    let [filter, body] = Layout::vertical([Length(1), Min(3)]).areas(area);
    filter_line(frame, filter, ui, a);
    let [table_area, detail_area] = if body.width >= 140 {
        Layout::horizontal([Percentage(60), Percentage(40)]).areas(body)
    } else {
        Layout::vertical([Percentage(60), Percentage(40)]).areas(body)
    };
    table(frame, table_area, ui, a);
    detail(frame, detail_area, ui, a);
}

fn filter_line(frame: &mut Frame, area: Rect, ui: &Ui, a: &AuditScreen) {
    let lang = ui.lang;
    let th = ui.theme;
    let prompt = format!(" {}: ", L::FilterPrompt.get(lang));
    let text = a
        .filtering
        .as_ref()
        .map_or(a.query.clone(), |i| i.value().to_string());
    let counts = format!(
        "   {} {} / {} ({} {AUDIT_SHOWN})",
        L::Shown.get(lang),
        a.nav.shown.len(),
        a.lines.len(),
        L::Newest.get(lang)
    );
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(format!("/{prompt}"), th.dim),
            Span::styled(text, th.base),
            Span::styled(counts, th.dim),
        ])),
        area,
    );
    if let Some(input) = &a.filtering {
        let prompt = unicode_width::UnicodeWidthStr::width(format!("/{prompt}").as_str());
        caret(frame, area, prompt + input.visual_cursor());
    }
}

fn table(frame: &mut Frame, area: Rect, ui: &Ui, a: &AuditScreen) {
    let lang = ui.lang;
    let th = ui.theme;
    let block = titled(L::AuditTitle, lang, th.header, th.focus_border);
    if a.nav.shown.is_empty() {
        return empty_note(frame, area, L::Nothing.get(lang), block, ui);
    }
    let heads = [L::Time, L::Actor, L::Group, L::Action, L::Record].map(|h| h.get(lang));
    let header = Row::new(heads.map(Cell::from)).style(th.header);
    let window = a.nav.window(area.height.saturating_sub(3) as usize);
    let mut cells: Vec<Vec<String>> = a.nav.shown[window.clone()]
        .iter()
        .filter_map(|&i| a.lines.get(i))
        .map(|l| {
            let e = &l.entry;
            vec![
                l.at.clone(),
                e.actor.clone(),
                e.project.map(|p| p.group_name(lang)).unwrap_or_default(),
                l.action.clone(),
                l.record.clone(),
            ]
        })
        .collect();
    // Inside the border and after the selection mark; the time is never cut.
    let room = area.width.saturating_sub(2 + 2);
    let whole = [true, false, false, false, false];
    let widths = fitted(&mut cells, &heads, &whole, room);
    let rows = cells
        .into_iter()
        .map(|row| Row::new(row.into_iter().map(Cell::from)));
    let table = Table::new(rows, widths).header(header).block(block);
    draw_list(frame, area, table, &a.nav, &window, ui.theme);
}

fn detail(frame: &mut Frame, area: Rect, ui: &Ui, a: &AuditScreen) {
    let lang = ui.lang;
    let th = ui.theme;
    let mut lines = Vec::new();
    if let Some(l) = a.nav.current().and_then(|i| a.lines.get(i)) {
        lines.push(Line::from(Span::styled(
            format!("#{} {} {} {}", l.entry.id, l.at, l.entry.actor, l.action),
            th.accent,
        )));
        lines.push(Line::from(Span::styled(
            format!("-- {} --", L::Change.get(lang)),
            th.header,
        )));
        for (k, v) in &l.change {
            lines.push(field(k, v.clone(), th.dim));
        }
        if !l.before.is_empty() {
            lines.push(Line::from(Span::styled(
                format!("-- {} --", L::Before.get(lang)),
                th.header,
            )));
            for (k, v) in &l.before {
                lines.push(field(k, v.clone(), th.dim));
            }
        }
    }
    a.details.draw(frame, area, ui, lines);
}
