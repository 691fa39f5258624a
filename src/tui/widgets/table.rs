//! A list's cursor, sort and filter, and drawing a list table the one way
//! every screen draws it.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::{HighlightSpacing, Table, TableState};

use super::super::term::theme::Theme;
use crate::tui::input::action::Action;

/// Where the cursor is in one table, its sort, and its filter.
#[derive(Clone, Debug, Default)]
pub struct TableNav {
    pub selected: usize,
    pub sort: usize,
    pub reverse: bool,
    pub query: String,
    /// Every row index, sorted.
    pub order: Vec<usize>,
    /// Row indexes into the data, filtered and sorted.
    pub shown: Vec<usize>,
    /// The first shown row on screen. The view moves it to keep the selection
    /// visible, as ratatui's `TableState` would, and builds only the rows on
    /// screen: a province group has 17 000 trainees.
    pub offset: std::cell::Cell<usize>,
}

impl TableNav {
    /// A table of `n` rows in their own order.
    pub fn of(n: usize) -> TableNav {
        TableNav {
            order: (0..n).collect(),
            shown: (0..n).collect(),
            ..TableNav::default()
        }
    }

    pub fn step(&mut self, delta: isize) {
        let n = self.shown.len();
        if n == 0 {
            self.selected = 0;
            return;
        }
        self.selected = (self.selected as isize + delta).clamp(0, n as isize - 1) as usize;
    }

    /// Moves for a navigation action; false when `action` is not one.
    pub fn navigate(&mut self, action: Action, page: usize) -> bool {
        let page = page as isize;
        self.step(match action {
            Action::SelectNext => 1,
            Action::SelectPrev => -1,
            Action::SelectFirst => isize::MIN / 2,
            Action::SelectLast => isize::MAX / 2,
            Action::PageDown => page,
            Action::PageUp => -page,
            _ => return false,
        });
        true
    }

    /// The data index of the selected row.
    pub fn current(&self) -> Option<usize> {
        self.shown.get(self.selected).copied()
    }

    /// The range of `shown` that fits `height` rows with the selection in it,
    /// scrolling no more than needed since the last frame.
    pub fn window(&self, height: usize) -> std::ops::Range<usize> {
        let n = self.shown.len();
        let height = height.max(1);
        let mut offset = self.offset.get().min(n.saturating_sub(height));
        if self.selected < offset {
            offset = self.selected;
        } else if self.selected >= offset + height {
            offset = self.selected + 1 - height;
        }
        self.offset.set(offset);
        offset..(offset + height).min(n)
    }
}

/// Draws a list `table` as every screen does: one column between cells, the
/// selected row marked `>` as well as highlighted. `window` is the range of
/// `nav.shown` the table's rows are (the view builds only those).
pub fn draw_list(
    frame: &mut Frame,
    area: Rect,
    table: Table,
    nav: &TableNav,
    window: &std::ops::Range<usize>,
    theme: &Theme,
) {
    let table = table
        .column_spacing(1)
        .row_highlight_style(theme.selected)
        .highlight_symbol("> ")
        .highlight_spacing(HighlightSpacing::Always);
    let selected = nav.selected.saturating_sub(window.start);
    let mut state = TableState::default().with_selected(Some(selected));
    frame.render_stateful_widget(table, area, &mut state);
}

/// The width of each column `widths` gives a list table that `draw_list`
/// draws in the bordered `area`: what is left after the borders and the
/// selection mark, laid out as ratatui's table lays it out.
pub fn column_widths(widths: &[ratatui::layout::Constraint], area: Rect) -> Vec<usize> {
    use ratatui::layout::{Flex, Layout};
    let inner = area.width.saturating_sub(2 + 2);
    Layout::horizontal(widths.to_vec())
        .flex(Flex::Start)
        .spacing(1)
        .split(Rect::new(0, 0, inner, 1))
        .iter()
        .map(|r| usize::from(r.width))
        .collect()
}

/// `text` cut to column `i` of `columns` with a visible `…` (whole when the
/// column is unknown).
pub fn clip_to(text: &str, columns: &[usize], i: usize) -> String {
    match columns.get(i) {
        Some(&w) => super::clip(text, w),
        None => text.to_string(),
    }
}

/// Column widths for `cells` in `room` cells: each as wide as its widest
/// cell or header, then, when the room is short, the widest that may give
/// way (`whole[i]` false) narrowed first, to no less than 4 cells; their
/// cells are cut to fit with a visible `…`. The last column takes what is
/// left over.
pub fn fitted(
    cells: &mut [Vec<String>],
    headers: &[&str],
    whole: &[bool],
    room: u16,
) -> Vec<ratatui::layout::Constraint> {
    use ratatui::layout::Constraint::{Length, Min};
    use unicode_width::UnicodeWidthStr;
    let mut widths: Vec<u16> = headers
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let widest = cells.iter().map(|row| row[i].width()).max().unwrap_or(0);
            widest.max(h.width()).min(u16::MAX as usize) as u16
        })
        .collect();
    let spacing = headers.len().saturating_sub(1) as u16;
    let mut over = (widths.iter().sum::<u16>() + spacing).saturating_sub(room);
    while over > 0 {
        let widest = (0..widths.len())
            .filter(|&i| !whole[i] && widths[i] > 4)
            .max_by_key(|&i| widths[i]);
        let Some(i) = widest else { break };
        widths[i] -= 1;
        over -= 1;
    }
    for row in cells.iter_mut() {
        for (i, cell) in row.iter_mut().enumerate() {
            if !whole[i] {
                *cell = super::clip(cell, widths[i] as usize);
            }
        }
    }
    let last = widths.len().saturating_sub(1);
    widths
        .iter()
        .enumerate()
        .map(|(i, &w)| if i == last { Min(w) } else { Length(w) })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::TableNav;

    #[test]
    fn the_window_scrolls_only_as_far_as_the_selection_needs() {
        let mut nav = TableNav::of(100);
        assert_eq!(nav.window(10), 0..10);
        nav.selected = 9;
        assert_eq!(nav.window(10), 0..10);
        nav.selected = 12;
        assert_eq!(
            nav.window(10),
            3..13,
            "the selection ends up on the last row"
        );
        nav.selected = 8;
        assert_eq!(nav.window(10), 3..13, "moving back up does not scroll");
        nav.selected = 1;
        assert_eq!(nav.window(10), 1..11);
        nav.selected = 99;
        assert_eq!(nav.window(10), 90..100);
        // A filter that leaves fewer rows than fit shows them all.
        nav.shown.truncate(4);
        nav.selected = 3;
        assert_eq!(nav.window(10), 0..4);
        nav.shown.clear();
        nav.selected = 0;
        assert_eq!(nav.window(10), 0..0);
    }
}
