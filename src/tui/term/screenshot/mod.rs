//! Screenshots of a ratatui [`Buffer`]: plain text (tests, snapshots, bug
//! reports) and a standalone SVG with colours (documentation).
//!
//! A wide (CJK) glyph sits in the first of its cells; ratatui resets the cells
//! it covers to a blank (`Buffer::set_stringn`). Like a terminal, and like
//! ratatui's own `Debug` for `Buffer`, both outputs skip the cells a wide glyph
//! covers, whatever they hold, and paint them in the wide glyph's style.
//!
//! The SVG places every run of text at its column and also sizes it with
//! `textLength`, so browsers line columns up whatever font they pick. Renderers
//! that ignore `textLength` (librsvg, used by `rsvg-convert`) use the font's own
//! advances, so the font size is twice the cell width: the first font,
//! Noto Sans Mono CJK SC, is then exactly 1 cell per half-width character and
//! 2 cells per ideograph. Box-drawing and block characters are drawn as shapes,
//! so borders join up between rows whatever the font.

use std::fmt::{self, Write as _};

use ratatui::buffer::{Buffer, Cell, CellWidth};
use ratatui::style::{Color, Modifier};

/// Width of one terminal cell in the SVG, in pixels.
pub const CELL_WIDTH: u32 = 8;
/// Height of one terminal cell (one row) in the SVG, in pixels.
pub const CELL_HEIGHT: u32 = 20;
/// Font size in pixels: twice the cell width, so a monospace CJK font's
/// half-width advance (0.5 em) is exactly one cell.
pub const FONT_SIZE: u32 = 16;
/// Baseline of the text, from the top of its row.
const BASELINE: u32 = 16;
/// Font stack of the SVG.
pub const FONT_FAMILY: &str =
    "'Noto Sans Mono CJK SC','Noto Sans Mono','DejaVu Sans Mono',monospace";

/// A colour of the SVG.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl fmt::Display for Rgb {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }
}

/// Foreground of [`Color::Reset`].
pub const DEFAULT_FG: Rgb = Rgb(0xd0, 0xd0, 0xd0);
/// Background of [`Color::Reset`].
pub const DEFAULT_BG: Rgb = Rgb(0x1c, 0x1c, 0x1c);

/// The 16 ANSI colours, in ANSI order (black, red, green, yellow, blue,
/// magenta, cyan, gray, then their bright variants): a muted palette that reads
/// well on [`DEFAULT_BG`].
const ANSI: [Rgb; 16] = [
    Rgb(0x3a, 0x3a, 0x3a), // black
    Rgb(0xe0, 0x6c, 0x75), // red
    Rgb(0x98, 0xc3, 0x79), // green
    Rgb(0xe5, 0xc0, 0x7b), // yellow
    Rgb(0x61, 0xaf, 0xef), // blue
    Rgb(0xc6, 0x78, 0xdd), // magenta
    Rgb(0x56, 0xb6, 0xc2), // cyan
    Rgb(0xb8, 0xbc, 0xc4), // gray (ANSI white)
    Rgb(0x6b, 0x72, 0x80), // dark gray (bright black)
    Rgb(0xff, 0x8a, 0x93), // light red
    Rgb(0xb5, 0xe0, 0x8f), // light green
    Rgb(0xf5, 0xd6, 0x98), // light yellow
    Rgb(0x8c, 0xc8, 0xff), // light blue
    Rgb(0xdd, 0xa0, 0xf0), // light magenta
    Rgb(0x7f, 0xd6, 0xe2), // light cyan
    Rgb(0xf4, 0xf4, 0xf4), // white (bright white)
];

/// The colour `color` is drawn in; `default` stands for [`Color::Reset`].
pub fn rgb(color: Color, default: Rgb) -> Rgb {
    match color {
        Color::Reset => default,
        Color::Black => ANSI[0],
        Color::Red => ANSI[1],
        Color::Green => ANSI[2],
        Color::Yellow => ANSI[3],
        Color::Blue => ANSI[4],
        Color::Magenta => ANSI[5],
        Color::Cyan => ANSI[6],
        Color::Gray => ANSI[7],
        Color::DarkGray => ANSI[8],
        Color::LightRed => ANSI[9],
        Color::LightGreen => ANSI[10],
        Color::LightYellow => ANSI[11],
        Color::LightBlue => ANSI[12],
        Color::LightMagenta => ANSI[13],
        Color::LightCyan => ANSI[14],
        Color::White => ANSI[15],
        Color::Rgb(r, g, b) => Rgb(r, g, b),
        Color::Indexed(n) => indexed(n),
    }
}

/// The xterm 256-colour palette: the 16 ANSI colours, a 6x6x6 cube, 24 grays.
fn indexed(n: u8) -> Rgb {
    const LEVELS: [u8; 6] = [0, 95, 135, 175, 215, 255];
    match n {
        0..=15 => ANSI[usize::from(n)],
        16..=231 => {
            let i = usize::from(n - 16);
            Rgb(LEVELS[i / 36], LEVELS[i / 6 % 6], LEVELS[i % 6])
        }
        _ => {
            let v = 8 + 10 * (n - 232);
            Rgb(v, v, v)
        }
    }
}

/// The screen as plain text: one line per row (each ending in `\n`, empty rows
/// included), trailing spaces trimmed, each wide glyph once.
pub fn to_text(buffer: &Buffer) -> String {
    let mut out = String::with_capacity(buffer.content.len() + buffer.area.height as usize);
    for row in rows(buffer) {
        let start = out.len();
        for glyph in glyphs(row) {
            out.push_str(glyph.symbol);
        }
        let kept = out[start..].trim_end_matches(' ').len();
        out.truncate(start + kept);
        out.push('\n');
    }
    out
}

/// The screen as a standalone SVG document, [`CELL_WIDTH`] x [`CELL_HEIGHT`]
/// pixels per cell.
pub fn to_svg(buffer: &Buffer) -> String {
    let width = u32::from(buffer.area.width) * CELL_WIDTH;
    let height = u32::from(buffer.area.height) * CELL_HEIGHT;
    let mut backgrounds = String::new();
    let mut shapes = String::new();
    let mut texts = String::new();
    for (y, row) in rows(buffer).enumerate() {
        let glyphs = glyphs(row);
        let top = y as u32 * CELL_HEIGHT;
        background_runs(&mut backgrounds, &glyphs, top);
        for glyph in &glyphs {
            let look = Look::of(glyph.cell);
            if look.hidden {
                continue;
            }
            let x = glyph.col as u32 * CELL_WIDTH;
            let w = glyph.width as u32 * CELL_WIDTH;
            if !is_blank(glyph.symbol) {
                draw_shape(&mut shapes, glyph.symbol, Area::new(x, top, w), &look);
            }
            if look.underlined {
                let _ = write!(
                    shapes,
                    r#"<rect x="{x}" y="{}" width="{w}" height="1" fill="{}"{}/>"#,
                    top + BASELINE + 2,
                    look.fg,
                    look.opacity()
                );
            }
            if look.crossed_out {
                let _ = write!(
                    shapes,
                    r#"<rect x="{x}" y="{}" width="{w}" height="1" fill="{}"{}/>"#,
                    top + CELL_HEIGHT / 2 + 1,
                    look.fg,
                    look.opacity()
                );
            }
        }
        text_runs(&mut texts, &glyphs, top);
    }
    let mut out = String::with_capacity(backgrounds.len() + shapes.len() + texts.len() + 512);
    let _ = write!(
        out,
        concat!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" "#,
            r#"viewBox="0 0 {w} {h}" font-family="{font}" font-size="{size}">"#,
            "\n",
            r#"<rect width="{w}" height="{h}" fill="{bg}"/>"#,
            "\n"
        ),
        w = width,
        h = height,
        font = FONT_FAMILY,
        size = FONT_SIZE,
        bg = DEFAULT_BG,
    );
    out.push_str("<g shape-rendering=\"crispEdges\">\n");
    out.push_str(&backgrounds);
    out.push_str(&shapes);
    out.push_str("</g>\n<g>\n");
    out.push_str(&texts);
    out.push_str("</g>\n</svg>\n");
    out
}

/// One visible glyph of a row: a cell and the cells its symbol covers.
struct Glyph<'a> {
    col: usize,
    width: usize,
    symbol: &'a str,
    cell: &'a Cell,
}

fn rows(buffer: &Buffer) -> impl Iterator<Item = &[Cell]> {
    // An area without width has no content at all.
    buffer.content.chunks(usize::from(buffer.area.width).max(1))
}

/// The glyphs of one row, left to right; a wide glyph hides the cells it
/// covers (clipped at the right edge).
fn glyphs(row: &[Cell]) -> Vec<Glyph<'_>> {
    let mut out = Vec::with_capacity(row.len());
    let mut col = 0;
    while col < row.len() {
        let cell = &row[col];
        let raw = cell.symbol();
        let (symbol, width) = if raw.chars().any(char::is_control) {
            // Never let an escape sequence through to a terminal or an SVG.
            ("?", 1)
        } else {
            match usize::from(cell.cell_width()) {
                0 => (" ", 1),
                w => (raw, w),
            }
        };
        let width = width.min(row.len() - col);
        out.push(Glyph {
            col,
            width,
            symbol,
            cell,
        });
        col += width;
    }
    out
}

fn is_blank(symbol: &str) -> bool {
    symbol.chars().all(char::is_whitespace)
}

/// How a cell is drawn, after [`Modifier::REVERSED`].
#[derive(Clone, Copy, PartialEq, Eq)]
struct Look {
    fg: Rgb,
    bg: Rgb,
    bold: bool,
    italic: bool,
    dim: bool,
    underlined: bool,
    crossed_out: bool,
    hidden: bool,
}

impl Look {
    fn of(cell: &Cell) -> Self {
        let m = cell.modifier;
        let mut fg = rgb(cell.fg, DEFAULT_FG);
        let mut bg = rgb(cell.bg, DEFAULT_BG);
        if m.contains(Modifier::REVERSED) {
            std::mem::swap(&mut fg, &mut bg);
        }
        Look {
            fg,
            bg,
            bold: m.contains(Modifier::BOLD),
            italic: m.contains(Modifier::ITALIC),
            dim: m.contains(Modifier::DIM),
            underlined: m.contains(Modifier::UNDERLINED),
            crossed_out: m.contains(Modifier::CROSSED_OUT),
            hidden: m.contains(Modifier::HIDDEN),
        }
    }

    /// The opacity attribute of [`Modifier::DIM`].
    fn opacity(&self) -> &'static str {
        if self.dim { r#" opacity="0.55""# } else { "" }
    }

    /// Whether two glyphs can share one `<text>` element.
    fn same_text_style(&self, other: &Look) -> bool {
        (self.fg, self.bold, self.italic, self.dim)
            == (other.fg, other.bold, other.italic, other.dim)
    }
}

/// One rect per run of cells with the same background, except the default
/// background the whole picture is painted with.
fn background_runs(out: &mut String, glyphs: &[Glyph<'_>], top: u32) {
    let mut run: Option<(usize, usize, Rgb)> = None;
    let flush = |out: &mut String, run: Option<(usize, usize, Rgb)>| {
        if let Some((start, end, bg)) = run
            && bg != DEFAULT_BG
        {
            let _ = writeln!(
                out,
                r#"<rect x="{}" y="{top}" width="{}" height="{CELL_HEIGHT}" fill="{bg}"/>"#,
                start as u32 * CELL_WIDTH,
                (end - start) as u32 * CELL_WIDTH,
            );
        }
    };
    for glyph in glyphs {
        let bg = Look::of(glyph.cell).bg;
        match &mut run {
            Some((_, end, run_bg)) if *run_bg == bg => *end = glyph.col + glyph.width,
            _ => {
                flush(out, run);
                run = Some((glyph.col, glyph.col + glyph.width, bg));
            }
        }
    }
    flush(out, run);
}

/// Which glyphs may share a `<text>`: all of a run must have the same advance
/// in the font, or `textLength` would spread them unevenly.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    /// Printable ASCII: one cell.
    Ascii,
    /// Other symbols `width` cells wide (CJK: 2).
    Wide(usize),
    /// Other one-cell symbols (Latin letters with accents, arrows, ...): fonts
    /// disagree about their advance, so each gets its own `<text>`.
    Single,
}

impl Class {
    fn of(glyph: &Glyph<'_>) -> Class {
        if glyph.symbol.is_ascii() && glyph.width == 1 {
            Class::Ascii
        } else if glyph.width >= 2 {
            Class::Wide(glyph.width)
        } else {
            Class::Single
        }
    }
}

/// One `<text>` per run of adjacent non-blank glyphs of the same style and
/// class, at its column and exactly as wide as its cells.
fn text_runs(out: &mut String, glyphs: &[Glyph<'_>], top: u32) {
    struct Run {
        start: usize,
        end: usize,
        look: Look,
        class: Class,
        text: String,
    }
    let flush = |out: &mut String, run: &Option<Run>| {
        let Some(run) = run else { return };
        let look = &run.look;
        let _ = write!(
            out,
            r#"<text x="{}" y="{}" textLength="{}" lengthAdjust="spacingAndGlyphs" fill="{}""#,
            run.start as u32 * CELL_WIDTH,
            top + BASELINE,
            (run.end - run.start) as u32 * CELL_WIDTH,
            look.fg,
        );
        if look.bold {
            out.push_str(r#" font-weight="bold""#);
        }
        if look.italic {
            out.push_str(r#" font-style="italic""#);
        }
        out.push_str(look.opacity());
        out.push('>');
        escape_into(out, &run.text);
        out.push_str("</text>\n");
    };
    let mut run: Option<Run> = None;
    for glyph in glyphs {
        let look = Look::of(glyph.cell);
        let drawn = !look.hidden && !is_blank(glyph.symbol) && !is_shape(glyph.symbol);
        if !drawn {
            flush(out, &run);
            run = None;
            continue;
        }
        let class = Class::of(glyph);
        match &mut run {
            Some(r)
                if r.end == glyph.col
                    && r.class == class
                    && class != Class::Single
                    && r.look.same_text_style(&look) =>
            {
                r.end += glyph.width;
                r.text.push_str(glyph.symbol);
            }
            _ => {
                flush(out, &run);
                run = Some(Run {
                    start: glyph.col,
                    end: glyph.col + glyph.width,
                    look,
                    class,
                    text: glyph.symbol.to_string(),
                });
            }
        }
    }
    flush(out, &run);
}

/// Appends `text` with the five XML special characters escaped.
fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
}

/// The pixels of one glyph.
#[derive(Clone, Copy)]
struct Area {
    x: u32,
    y: u32,
    w: u32,
    h: u32,
}

impl Area {
    fn new(x: u32, y: u32, w: u32) -> Self {
        Area {
            x,
            y,
            w,
            h: CELL_HEIGHT,
        }
    }
}

/// The single character of `symbol` if it is drawn as a shape.
fn shape_char(symbol: &str) -> Option<char> {
    let mut chars = symbol.chars();
    let c = chars.next()?;
    (chars.next().is_none() && ('\u{2500}'..='\u{259f}').contains(&c)).then_some(c)
}

fn is_shape(symbol: &str) -> bool {
    shape_char(symbol).is_some()
}

/// Arms of the box-drawing characters U+2500..=U+257F as "up right down left",
/// each 0 (none), 1 (light), 2 (heavy) or 3 (double). Dashed lines are drawn
/// solid; the diagonals (U+2571..=U+2573) are drawn apart.
const BOX_ARMS: [&str; 128] = [
    "0101", "0202", "1010", "2020", "0101", "0202", "1010", "2020", // 2500
    "0101", "0202", "1010", "2020", "0110", "0210", "0120", "0220", // 2508
    "0011", "0012", "0021", "0022", "1100", "1200", "2100", "2200", // 2510
    "1001", "1002", "2001", "2002", "1110", "1210", "2110", "1120", // 2518
    "2120", "2210", "1220", "2220", "1011", "1012", "2011", "1021", // 2520
    "2021", "2012", "1022", "2022", "0111", "0112", "0211", "0212", // 2528
    "0121", "0122", "0221", "0222", "1101", "1102", "1201", "1202", // 2530
    "2101", "2102", "2201", "2202", "1111", "1112", "1211", "1212", // 2538
    "2111", "1121", "2121", "2112", "2211", "1122", "1221", "2212", // 2540
    "1222", "2122", "2221", "2222", "0101", "0202", "1010", "2020", // 2548
    "0303", "3030", "0310", "0130", "0330", "0013", "0031", "0033", // 2550
    "1300", "3100", "3300", "1003", "3001", "3003", "1310", "3130", // 2558
    "3330", "1013", "3031", "3033", "0313", "0131", "0333", "1303", // 2560
    "3101", "3303", "1313", "3131", "3333", "0110", "0011", "1001", // 2568
    "1100", "0000", "0000", "0000", "0001", "1000", "0100", "0010", // 2570
    "0002", "2000", "0200", "0020", "0201", "1020", "0102", "2010", // 2578
];

/// Writes filled shapes in one colour.
struct Pen<'a> {
    out: &'a mut String,
    color: Rgb,
    /// Extra attributes (opacity).
    extra: &'static str,
}

impl Pen<'_> {
    fn rect(&mut self, x: u32, y: u32, w: u32, h: u32) {
        if w > 0 && h > 0 {
            let _ = write!(
                self.out,
                r#"<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="{}"{}/>"#,
                self.color, self.extra
            );
        }
    }

    /// A 1-pixel stroked path (`d` in SVG path syntax), anti-aliased.
    fn stroke(&mut self, d: fmt::Arguments<'_>) {
        let _ = write!(
            self.out,
            r#"<path d="{d}" fill="none" stroke="{}" stroke-width="1" shape-rendering="geometricPrecision"{}/>"#,
            self.color, self.extra
        );
    }
}

/// Draws `symbol` as shapes if it is a box-drawing or block character.
fn draw_shape(out: &mut String, symbol: &str, a: Area, look: &Look) {
    let Some(c) = shape_char(symbol) else { return };
    let mut pen = Pen {
        out,
        color: look.fg,
        extra: look.opacity(),
    };
    match u32::from(c) {
        0x2580.. => draw_block(&mut pen, c, a),
        code @ 0x2571..=0x2573 => {
            let (x0, y0, x1, y1) = (a.x, a.y, a.x + a.w, a.y + a.h);
            if code != 0x2572 {
                pen.stroke(format_args!("M{x1} {y0}L{x0} {y1}"));
            }
            if code != 0x2571 {
                pen.stroke(format_args!("M{x0} {y0}L{x1} {y1}"));
            }
        }
        code @ 0x256d..=0x2570 => draw_arc(&mut pen, code, a),
        code => draw_lines(&mut pen, BOX_ARMS[(code - 0x2500) as usize], a, look.bg),
    }
}

/// Centre pixel of an area: a line of half-width `hw` covers
/// `centre - hw ..= centre + hw`, so 1-pixel lines stay crisp.
fn centre(a: Area) -> (u32, u32) {
    (a.x + (a.w - 1) / 2, a.y + (a.h - 1) / 2)
}

/// Lines from the centre to the edges, `arms` as in [`BOX_ARMS`]. A double
/// line is a 5-pixel line with its middle 3 pixels painted back in `bg`, which
/// also gets the joins of double lines right.
fn draw_lines(pen: &mut Pen<'_>, arms: &str, a: Area, bg: Rgb) {
    let (cx, cy) = centre(a);
    let arm = |pen: &mut Pen<'_>, dir: usize, hw: u32| {
        let (left, top) = (cx - hw, cy - hw);
        let thick = 2 * hw + 1;
        match dir {
            0 => pen.rect(left, a.y, thick, cy + hw + 1 - a.y),
            1 => pen.rect(left, top, a.x + a.w - left, thick),
            2 => pen.rect(left, top, thick, a.y + a.h - top),
            _ => pen.rect(a.x, top, cx + hw + 1 - a.x, thick),
        }
    };
    for (dir, weight) in arms.bytes().enumerate() {
        match weight {
            b'1' => arm(pen, dir, 0),
            b'2' => arm(pen, dir, 1),
            b'3' => arm(pen, dir, 2),
            _ => {}
        }
    }
    if arms.contains('3') {
        let mut gap = Pen {
            out: &mut *pen.out,
            color: bg,
            extra: "",
        };
        for (dir, weight) in arms.bytes().enumerate() {
            if weight == b'3' {
                arm(&mut gap, dir, 1);
            }
        }
    }
}

/// Rounded corners U+256D..=U+2570: a quarter curve between the middles of
/// two edges.
fn draw_arc(pen: &mut Pen<'_>, code: u32, a: Area) {
    let (cx, cy) = centre(a);
    let (mx, my) = (cx as f32 + 0.5, cy as f32 + 0.5);
    let (ex, ey) = match code {
        0x256d => (a.x + a.w, a.y + a.h),
        0x256e => (a.x, a.y + a.h),
        0x256f => (a.x, a.y),
        _ => (a.x + a.w, a.y),
    };
    let r = (a.w / 2) as f32;
    let hx = if ex > a.x { mx + r } else { mx - r };
    let vy = if ey > a.y { my + r } else { my - r };
    pen.stroke(format_args!(
        "M{ex} {my}L{hx} {my}Q{mx} {my} {mx} {vy}L{mx} {ey}"
    ));
}

/// Block elements U+2580..=U+259F: eighths, halves, shades and quadrants.
fn draw_block(pen: &mut Pen<'_>, c: char, a: Area) {
    let code = u32::from(c);
    let (w8, h8) = (|n: u32| a.w * n / 8, |n: u32| a.h * n / 8);
    let (hw, hh) = (a.w / 2, a.h / 2);
    // Quadrants: upper left, upper right, lower left, lower right.
    let quadrants = match c {
        '▖' => [false, false, true, false],
        '▗' => [false, false, false, true],
        '▘' => [true, false, false, false],
        '▙' => [true, false, true, true],
        '▚' => [true, false, false, true],
        '▛' => [true, true, true, false],
        '▜' => [true, true, false, true],
        '▝' => [false, true, false, false],
        '▞' => [false, true, true, false],
        '▟' => [false, true, true, true],
        _ => [false; 4],
    };
    let parts = [
        (a.x, a.y, hw, hh),
        (a.x + hw, a.y, a.w - hw, hh),
        (a.x, a.y + hh, hw, a.h - hh),
        (a.x + hw, a.y + hh, a.w - hw, a.h - hh),
    ];
    for (on, (x, y, w, h)) in quadrants.into_iter().zip(parts) {
        if on {
            pen.rect(x, y, w, h);
        }
    }
    match code {
        0x2580 => pen.rect(a.x, a.y, a.w, hh),
        0x2581..=0x2588 => {
            let h = h8(code - 0x2580);
            pen.rect(a.x, a.y + a.h - h, a.w, h);
        }
        0x2589..=0x258f => pen.rect(a.x, a.y, w8(0x2590 - code), a.h),
        0x2590 => pen.rect(a.x + hw, a.y, a.w - hw, a.h),
        0x2591..=0x2593 => {
            // Shades: the full cell, partly transparent.
            pen.extra = match code {
                0x2591 => r#" opacity="0.25""#,
                0x2592 => r#" opacity="0.5""#,
                _ => r#" opacity="0.75""#,
            };
            pen.rect(a.x, a.y, a.w, a.h);
        }
        0x2594 => pen.rect(a.x, a.y, a.w, h8(1).max(1)),
        0x2595 => pen.rect(a.x + a.w - w8(1).max(1), a.y, w8(1).max(1), a.h),
        _ => {}
    }
}

#[cfg(test)]
mod tests;
