//! The details pane beside a list: wrapped lines in a bordered block that
//! `J`/`K` scroll, stopping at the last line (not scrolling into blank rows).

use std::sync::atomic::{AtomicU16, Ordering};

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Block;

use super::{Ui, scrolled_in};
use crate::tui::strings::L;

/// How far the details are scrolled. The furthest they can go is known only
/// once they are drawn at the pane's width, so drawing stores it.
pub struct Details {
    pub scroll: u16,
    pub max: AtomicU16,
}

impl Default for Details {
    fn default() -> Details {
        Details {
            scroll: 0,
            max: AtomicU16::new(u16::MAX),
        }
    }
}

impl Details {
    pub fn down(&mut self) {
        let max = self.max.load(Ordering::Relaxed);
        self.scroll = self.scroll.saturating_add(3).min(max);
    }

    pub fn up(&mut self) {
        self.scroll = self.scroll.saturating_sub(3);
    }

    /// Another record: its details from the top.
    pub fn top(&mut self) {
        self.scroll = 0;
    }

    pub fn furthest(&self) -> u16 {
        self.max.load(Ordering::Relaxed)
    }

    /// Scrolls by `rows` (up when negative), within what was drawn.
    pub fn by(&mut self, rows: i32) {
        let at = i32::from(self.scroll).saturating_add(rows);
        let at = u16::try_from(at.max(0)).unwrap_or(u16::MAX);
        self.scroll = at.min(self.furthest());
    }

    pub fn draw(&self, frame: &mut Frame, area: Rect, ui: &Ui, lines: Vec<Line<'static>>) {
        self.draw_in(frame, area, ui, lines, false);
    }

    /// As `draw`, with the focus border when the details have the keys.
    pub fn draw_in(
        &self,
        frame: &mut Frame,
        area: Rect,
        ui: &Ui,
        lines: Vec<Line<'static>>,
        focused: bool,
    ) {
        let title = format!(" {} ", L::Detail.get(ui.lang));
        let border = if focused {
            ui.theme.focus_border
        } else {
            ui.theme.border
        };
        let block = Block::bordered()
            .title(Span::styled(title, ui.theme.header))
            .border_style(border);
        let max = scrolled_in(frame, area, block, lines, self.scroll);
        self.max.store(max, Ordering::Relaxed);
    }
}
