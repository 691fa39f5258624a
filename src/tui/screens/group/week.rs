//! The calendar tab from 120 columns: the selected session's week as a grid,
//! a column a day, each session as its time, topic, place and state; the
//! selection moves through the sessions as on the list.

use chrono::{Datelike, Duration};
use ratatui::Frame;
use ratatui::layout::Constraint::{Length, Min, Ratio};
use ratatui::layout::{Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::GroupScreen;
use crate::tui::model::calendar::weekday;
use crate::tui::widgets::{Ui, clip};

/// From this width the calendar tab draws its week as a grid.
pub const GRID_WIDTH: u16 = 120;

pub fn draw(frame: &mut Frame, area: Rect, ui: &Ui, w: &GroupScreen) {
    let lang = ui.lang;
    let th = ui.theme;
    let d = &w.data;
    let nav = w.table();
    let selected = nav.current();
    let day = selected.map_or(d.today, |r| d.sessions[r].session.date);
    let monday = day - Duration::days(i64::from(day.weekday().num_days_from_monday()));
    let sunday = monday + Duration::days(6);
    let title = match lang {
        crate::i18n::Lang::Zh => format!(
            " {} 至 {}  第 {} 周 ",
            monday,
            sunday.format("%m-%d"),
            monday.iso_week().week()
        ),
        crate::i18n::Lang::En => format!(
            " {} to {}  week {} ",
            monday,
            sunday.format("%m-%d"),
            monday.iso_week().week()
        ),
    };
    let block = Block::bordered()
        .title(Span::styled(title, th.header))
        .border_style(if w.details_focused {
            th.border
        } else {
            th.focus_border
        });
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let [head, days] = Layout::vertical([Length(1), Min(1)]).areas(inner);
    let columns = Layout::horizontal([Ratio(1, 7); 7]).spacing(1).split(days);
    let heads = Layout::horizontal([Ratio(1, 7); 7]).spacing(1).split(head);
    for (i, (col, top)) in columns.iter().zip(heads.iter()).enumerate() {
        let date = monday + Duration::days(i as i64);
        let width = col.width as usize;
        let style = if date == d.today {
            th.accent
        } else {
            th.header
        };
        frame.render_widget(
            Paragraph::new(Span::styled(
                clip(
                    &format!("{} {}", weekday(date, lang), date.format("%m-%d")),
                    width,
                ),
                style,
            )),
            *top,
        );
        let mut lines: Vec<Line> = Vec::new();
        for &r in nav
            .shown
            .iter()
            .filter(|&&r| d.sessions[r].session.date == date)
        {
            let row = &d.sessions[r];
            let s = &row.session;
            let chosen = selected == Some(r);
            let base = if chosen { th.selected } else { th.base };
            let mark = if chosen { "> " } else { "" };
            lines.push(Line::from(Span::styled(
                clip(
                    &format!(
                        "{mark}{}-{}",
                        s.start.format("%H:%M"),
                        s.end.format("%H:%M")
                    ),
                    width,
                ),
                if chosen { th.selected } else { th.key },
            )));
            lines.push(Line::from(Span::styled(clip(&s.topic, width), base)));
            lines.push(Line::from(Span::styled(
                clip(&row.place(lang), width),
                th.dim,
            )));
            let state = match row.attendance().as_str() {
                "-" => row.status(d.today, lang).to_string(),
                marks => format!("{} {marks}", row.status(d.today, lang)),
            };
            let state_style = if s.is_cancelled() {
                th.bad
            } else if row.awaits_attendance(d.today) {
                th.warn
            } else {
                th.dim
            };
            lines.push(Line::from(Span::styled(clip(&state, width), state_style)));
            lines.push(Line::from(""));
        }
        frame.render_widget(Paragraph::new(lines), *col);
    }
}
