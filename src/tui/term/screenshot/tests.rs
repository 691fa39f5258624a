//! SVG and text renders of buffers.
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::*;

/// Two rows: a coloured Chinese name with ASCII around it, and a row with
/// markup characters and a reversed cell.
fn sample() -> Buffer {
    let mut buf = Buffer::empty(Rect::new(0, 0, 12, 3));
    let line = Line::from(vec![
        Span::raw("ID "),
        Span::styled(
            "张伟",
            Style::new().fg(Color::Yellow).bg(Color::Blue).bold(),
        ),
        Span::raw(" ok"),
    ]);
    buf.set_line(0, 0, &line, 12);
    buf.set_string(0, 1, "a<b & \"c\"", Style::new().fg(Color::Rgb(1, 2, 3)));
    buf.set_string(11, 1, "x", Style::new().reversed());
    buf
}

#[test]
fn text_prints_wide_glyphs_once_and_trims() {
    assert_eq!(to_text(&sample()), "ID 张伟 ok\na<b & \"c\"  x\n\n");
}

#[test]
fn text_of_empty_buffer() {
    assert_eq!(to_text(&Buffer::empty(Rect::new(0, 0, 0, 0))), "");
    assert_eq!(to_text(&Buffer::empty(Rect::new(0, 0, 3, 2))), "\n\n");
}

#[test]
fn text_hides_whatever_a_wide_glyph_covers() {
    let mut buf = Buffer::empty(Rect::new(0, 0, 4, 1));
    buf[(0, 0)].set_symbol("中");
    buf[(1, 0)].set_symbol("x"); // hidden under the wide glyph
    buf[(2, 0)].set_symbol("\u{1b}"); // never passed through
    buf[(3, 0)].set_symbol("");
    assert_eq!(to_text(&buf), "中?\n");
}

#[test]
fn text_of_a_region_not_at_the_origin() {
    let mut buf = Buffer::empty(Rect::new(5, 7, 4, 1));
    buf.set_string(5, 7, "区a", Style::new());
    assert_eq!(to_text(&buf), "区a\n");
}

#[test]
fn svg_has_backgrounds_text_and_sizes() {
    let svg = to_svg(&sample());
    assert!(
        svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"96\" height=\"60\"")
    );
    assert!(svg.trim_end().ends_with("</svg>"));
    // The default background, once for the whole picture.
    assert!(svg.contains(r##"<rect width="96" height="60" fill="#1c1c1c"/>"##));
    // The blue background of 张伟: columns 3 and 4 (two wide glyphs), row 0.
    assert!(svg.contains(r##"<rect x="24" y="0" width="32" height="20" fill="#61afef"/>"##));
    // Two wide glyphs: 4 cells; bold yellow.
    assert!(svg.contains(concat!(
        r##"<text x="24" y="16" textLength="32" lengthAdjust="spacingAndGlyphs" "##,
        r##"fill="#e5c07b" font-weight="bold">张伟</text>"##
    )));
    // ASCII runs split at blanks, default colour.
    assert!(svg.contains(
        r##"<text x="0" y="16" textLength="16" lengthAdjust="spacingAndGlyphs" fill="#d0d0d0">ID</text>"##
    ));
    // Reversed: default background as text colour on the default foreground.
    assert!(svg.contains(r##"<rect x="88" y="20" width="8" height="20" fill="#d0d0d0"/>"##));
    assert!(svg.contains(r##"fill="#1c1c1c">x</text>"##));
}

#[test]
fn svg_escapes_markup() {
    let svg = to_svg(&sample());
    assert!(svg.contains(r##"fill="#010203">a&lt;b</text>"##));
    assert!(svg.contains(">&amp;</text>"));
    assert!(svg.contains(">&quot;c&quot;</text>"));
    let body = svg.split_once('>').map(|(_, b)| b).unwrap_or_default();
    let texts: Vec<&str> = body
        .split("<text")
        .skip(1)
        .filter_map(|t| t.split_once('>').and_then(|(_, t)| t.split_once("</text>")))
        .map(|(t, _)| t)
        .collect();
    assert!(texts.iter().all(|t| !t.contains('<') && !t.contains('"')));
}

#[test]
fn svg_gives_a_wide_glyph_two_cells_and_splits_ascii_from_cjk() {
    let mut buf = Buffer::empty(Rect::new(0, 0, 8, 1));
    buf.set_string(0, 0, "ab中文cd", Style::new());
    let svg = to_svg(&buf);
    assert!(svg.contains(r#"<text x="0" y="16" textLength="16" "#));
    assert!(svg.contains(r#"<text x="16" y="16" textLength="32" "#));
    assert!(svg.contains(">中文</text>"));
    assert!(svg.contains(r#"<text x="48" y="16" textLength="16" "#));

    let mut buf = Buffer::empty(Rect::new(0, 0, 3, 1));
    buf.set_string(1, 0, "区", Style::new());
    let svg = to_svg(&buf);
    assert!(svg.contains(&format!(
        r#"<text x="{}" y="16" textLength="{}" "#,
        CELL_WIDTH,
        2 * CELL_WIDTH
    )));
}

#[test]
fn svg_modifiers() {
    let mut buf = Buffer::empty(Rect::new(0, 0, 10, 1));
    buf.set_string(0, 0, "i", Style::new().italic());
    buf.set_string(2, 0, "d", Style::new().dim());
    buf.set_string(4, 0, "u", Style::new().underlined().fg(Color::Indexed(196)));
    buf.set_string(6, 0, "h", Style::new().hidden());
    buf.set_string(
        8,
        0,
        "s",
        Style::new().crossed_out().fg(Color::Indexed(244)),
    );
    let svg = to_svg(&buf);
    assert!(svg.contains(r#"font-style="italic">i</text>"#));
    assert!(svg.contains(r#"opacity="0.55">d</text>"#));
    assert!(svg.contains(r##"fill="#ff0000">u</text>"##));
    assert!(svg.contains(r##"<rect x="32" y="18" width="8" height="1" fill="#ff0000"/>"##));
    assert!(!svg.contains(">h</text>"));
    assert!(svg.contains(r##"fill="#808080">s</text>"##));
    assert!(svg.contains(r##"<rect x="64" y="11" width="8" height="1" fill="#808080"/>"##));
}

#[test]
fn palettes() {
    assert_eq!(rgb(Color::Reset, DEFAULT_FG), DEFAULT_FG);
    assert_eq!(rgb(Color::Reset, DEFAULT_BG), DEFAULT_BG);
    assert_eq!(
        rgb(Color::Indexed(1), DEFAULT_FG),
        rgb(Color::Red, DEFAULT_FG)
    );
    assert_eq!(
        rgb(Color::Indexed(15), DEFAULT_FG),
        rgb(Color::White, DEFAULT_FG)
    );
    assert_eq!(rgb(Color::Indexed(16), DEFAULT_FG), Rgb(0, 0, 0));
    assert_eq!(rgb(Color::Indexed(67), DEFAULT_FG), Rgb(95, 135, 175));
    assert_eq!(rgb(Color::Indexed(231), DEFAULT_FG), Rgb(255, 255, 255));
    assert_eq!(rgb(Color::Indexed(232), DEFAULT_FG), Rgb(8, 8, 8));
    assert_eq!(rgb(Color::Indexed(255), DEFAULT_FG), Rgb(238, 238, 238));
    assert_eq!(Rgb(1, 171, 255).to_string(), "#01abff");
}

#[test]
fn svg_draws_borders_as_shapes() {
    let mut buf = Buffer::empty(Rect::new(0, 0, 3, 1));
    buf.set_string(0, 0, "┌─█", Style::new().fg(Color::Green));
    let svg = to_svg(&buf);
    assert!(!svg.contains("<text"));
    // ┌: right arm and down arm, 1 pixel wide through the centre pixel (3, 9).
    assert!(svg.contains(r##"<rect x="3" y="9" width="5" height="1" fill="#98c379"/>"##));
    assert!(svg.contains(r##"<rect x="3" y="9" width="1" height="11" fill="#98c379"/>"##));
    // █: the whole cell.
    assert!(svg.contains(r##"<rect x="16" y="0" width="8" height="20" fill="#98c379"/>"##));
}
