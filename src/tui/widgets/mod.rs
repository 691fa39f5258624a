//! Drawing pieces every screen uses: the look (language, colours, today)
//! handed to views, text fitted to display cells, label-value lines, wrapped
//! panes, list tables; and the chrome around the screens.

pub mod chrome;
pub mod details;
pub mod overlay;
pub mod table;

use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Cell, Paragraph, Row, Wrap};

use super::strings::L;

use super::term::theme::Theme;
use crate::i18n::Lang;

/// What the chrome and the overlays draw from: the App's state as it is
/// shown, read-only (`App::view`). They never see the App itself.
pub struct View<'a> {
    pub lang: Lang,
    pub theme: &'a Theme,
    pub keymap: &'a super::input::keymap::Keymap,
    pub actor: &'a crate::domain::Actor,
    /// The screen on top; none while the data is loading.
    pub top: Option<&'a dyn super::screens::Screen>,
    /// Whether the screen on top is the bottom one (the overview).
    pub at_bottom: bool,
    pub overlay: Option<&'a overlay::Overlay>,
    pub status: Option<&'a super::ctx::Status>,
    /// Which bindings are in force.
    pub context: super::input::action::Context,
    /// The keys typed so far of a longer binding.
    pub pending: &'a [super::input::key::Key],
    /// What an admin must know about the server, shown on the overview.
    pub server_warning: Option<String>,
    /// The date the data was read as, once it is there.
    pub today: Option<NaiveDate>,
}

impl View<'_> {
    pub fn ui(&self) -> Ui<'_> {
        Ui {
            lang: self.lang,
            theme: self.theme,
            today: self.today.unwrap_or(NaiveDate::MIN),
        }
    }
}

/// What views draw with: they read state, never the store.
pub struct Ui<'a> {
    pub lang: Lang,
    pub theme: &'a Theme,
    pub today: NaiveDate,
}

/// A bordered pane titled ` title ` in `title_style`, its border in
/// `border`.
pub fn titled(title: L, lang: Lang, title_style: Style, border: Style) -> Block<'static> {
    let title = Span::styled(format!(" {} ", title.get(lang)), title_style);
    Block::bordered().title(title).border_style(border)
}

/// A table's header row of `labels`, in the header style.
pub fn header_row(labels: &[L], ui: &Ui) -> Row<'static> {
    Row::new(labels.iter().map(|l| Cell::from(l.get(ui.lang)))).style(ui.theme.header)
}

/// `text` dimmed in `block`, where a list has nothing to show.
pub fn empty_note(frame: &mut Frame, area: Rect, text: &str, block: Block, ui: &Ui) {
    let p = Paragraph::new(text.to_string())
        .style(ui.theme.dim)
        .wrap(Wrap { trim: true })
        .block(block);
    frame.render_widget(p, area);
}

/// Pads or cuts `s` to `width` display cells (CJK counts two).
pub fn fit(s: &str, width: usize) -> String {
    use unicode_width::UnicodeWidthChar;
    let mut out = String::new();
    let mut w = 0;
    for c in s.chars() {
        let cw = c.width().unwrap_or(0);
        if w + cw > width {
            break;
        }
        out.push(c);
        w += cw;
    }
    out.extend(std::iter::repeat_n(' ', width - w));
    out
}

/// `text` in at most `width` cells, its end replaced by `…` when cut.
pub fn clip(text: &str, width: usize) -> String {
    use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};
    if text.width() <= width {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for ch in text.chars() {
        let w = ch.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(ch);
        used += w;
    }
    if width > 0 {
        out.push('…');
    }
    out
}

/// A label and value line for detail panes: the labels line up in a
/// column, and a label longer than the column is shown whole (a label cut
/// would say something else), still a space before its value.
pub fn field<'a>(label: &str, value: String, label_style: Style) -> Line<'a> {
    // English labels are longer in cells than Chinese ones.
    let width = if label.is_ascii() { 14 } else { 10 };
    Line::from(vec![
        Span::styled(format!("{} ", pad(label, width)), label_style),
        Span::raw(value),
    ])
}

/// `s` padded to `width` display cells, or whole when it is wider.
pub fn pad(s: &str, width: usize) -> String {
    use unicode_width::UnicodeWidthStr;
    let w = s.width();
    let mut out = s.to_string();
    out.extend(std::iter::repeat_n(' ', width.saturating_sub(w)));
    out
}

/// Draws `block` with a wrapped paragraph inside. The text gets one column
/// less than the inside of the block: ratatui 0.30.2 can place the last
/// wrapped wide glyph of a line over the right border (ratatui issue 2679).
pub fn wrapped_in(
    frame: &mut Frame,
    area: Rect,
    block: ratatui::widgets::Block,
    paragraph: Paragraph,
) {
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let text = Rect {
        width: inner.width.saturating_sub(1),
        ..inner
    };
    frame.render_widget(paragraph.wrap(Wrap { trim: false }), text);
}

/// `lines` wrapped in `block`, scrolled down `scroll` rows but never past
/// the end: the last row drawn is the text's last. Returns how far down it
/// can scroll, for the screen to stop `J` there.
pub fn scrolled_in(
    frame: &mut Frame,
    area: Rect,
    block: ratatui::widgets::Block,
    lines: Vec<ratatui::text::Line<'static>>,
    scroll: u16,
) -> u16 {
    let inner = block.inner(area);
    let width = inner.width.saturating_sub(1).max(1) as usize;
    let rows: usize = lines.iter().map(|l| l.width().div_ceil(width).max(1)).sum();
    let max = rows
        .saturating_sub(inner.height as usize)
        .min(u16::MAX as usize) as u16;
    wrapped_in(
        frame,
        area,
        block,
        Paragraph::new(lines).scroll((scroll.min(max), 0)),
    );
    max
}

/// Puts the terminal's cursor `offset` cells into the first line of `area`
/// (kept inside it): where text is typed, so an input method's candidate
/// window opens at the caret.
pub fn caret(frame: &mut Frame, area: Rect, offset: usize) {
    let x = area.x.saturating_add(offset.min(u16::MAX as usize) as u16);
    let x = x.min(area.right().saturating_sub(1));
    frame.set_cursor_position(ratatui::layout::Position { x, y: area.y });
}

/// The years a screen can show, the one shown in brackets: `2025 [2026]`.
pub fn years_line(years: &[i32], shown: i32) -> String {
    let words: Vec<String> = years
        .iter()
        .map(|y| {
            if *y == shown {
                format!("[{y}]")
            } else {
                y.to_string()
            }
        })
        .collect();
    words.join(" ")
}

/// A rectangle of at most `w` x `h` centred in `area`.
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}
