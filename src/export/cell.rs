//! What leaves the program as text is neutralised here, whatever the records
//! hold (a database written before the validators existed, or restored from
//! elsewhere, may hold anything):
//!
//! - a spreadsheet cell (CSV, xlsx) never begins with a formula character
//!   (`=`, `+`, `-`, `@`, tab, carriage return: OWASP's CSV-injection rule,
//!   answered with a leading `'`, which Excel and LibreOffice show as text),
//!   except a plain number such as `-700.00`, which stays a number;
//! - no output (cells, tables, journals) carries a control, format or
//!   separator character: a line break or tab becomes a space, anything else
//!   U+FFFD, so an escape sequence in a name cannot reach the terminal that
//!   `cat`s an export.
//!
//! JSON keeps every character (it is the copy other tools read) but writes the
//! unsafe ones as `\uXXXX` escapes: see [`SafeJson`].

use std::borrow::Cow;
use std::io;

use crate::domain::chars;
use crate::domain::text::FORMULA_START;

/// Text with every unsafe character replaced: for tables printed to a
/// terminal, journal text, sheet names.
pub fn plain(text: &str) -> Cow<'_, str> {
    if !text.chars().any(chars::is_unsafe) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| match c {
                '\n' | '\t' | '\r' => ' ',
                c if chars::is_unsafe(c) => '\u{FFFD}',
                c => c,
            })
            .collect(),
    )
}

/// `rows` as lines of text columns two spaces apart, each column as wide as
/// its widest cell in display cells (a Chinese character takes two), the
/// columns in `right` aligned right, every cell [`plain`]; no line ends in
/// spaces.
pub fn columns(rows: &[Vec<String>], right: &[usize]) -> Vec<String> {
    use unicode_width::UnicodeWidthStr;
    let rows: Vec<Vec<Cow<'_, str>>> = rows
        .iter()
        .map(|r| r.iter().map(|c| plain(c)).collect())
        .collect();
    let mut widths: Vec<usize> = Vec::new();
    for r in &rows {
        for (i, c) in r.iter().enumerate() {
            if widths.len() <= i {
                widths.push(0);
            }
            widths[i] = widths[i].max(c.width());
        }
    }
    rows.iter()
        .map(|r| {
            let mut line = String::new();
            for (i, c) in r.iter().enumerate() {
                if i > 0 {
                    line.push_str("  ");
                }
                let pad = " ".repeat(widths[i] - c.width());
                if right.contains(&i) {
                    line.push_str(&pad);
                    line.push_str(c);
                } else {
                    line.push_str(c);
                    line.push_str(&pad);
                }
            }
            line.trim_end().to_string()
        })
        .collect()
}

/// A spreadsheet cell: [`plain`], then a leading `'` when the text would
/// otherwise begin like a formula.
pub fn spreadsheet(text: &str) -> Cow<'_, str> {
    // Checked on the raw text: a leading tab or CR becomes a space in `plain`,
    // but it was meant as a formula trigger, so it is marked too.
    let starts_like_formula = text.starts_with(FORMULA_START) && !is_plain_number(text);
    let text = plain(text);
    if starts_like_formula {
        Cow::Owned(format!("'{text}"))
    } else {
        text
    }
}

/// `-700.00`, `12`, `-0.5`: a number a spreadsheet should keep as a number.
fn is_plain_number(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let (int, frac) = match digits.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (digits, None),
    };
    !int.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()))
}

/// A serde_json formatter that writes controls, DEL, C1 controls and
/// invisible characters as `\uXXXX` escapes (serde_json escapes only those
/// below U+0020), wrapping the compact or the pretty formatter.
pub struct SafeJson<F>(pub F);

impl SafeJson<serde_json::ser::CompactFormatter> {
    pub fn compact() -> Self {
        SafeJson(serde_json::ser::CompactFormatter)
    }
}

impl SafeJson<serde_json::ser::PrettyFormatter<'static>> {
    pub fn pretty() -> Self {
        SafeJson(serde_json::ser::PrettyFormatter::new())
    }
}

/// Writes `value` as JSON with [`SafeJson`] and the given formatter.
pub fn write_json<W, T, F>(out: W, value: &T, formatter: SafeJson<F>) -> serde_json::Result<()>
where
    W: io::Write,
    T: serde::Serialize + ?Sized,
    F: serde_json::ser::Formatter,
{
    let mut ser = serde_json::Serializer::with_formatter(out, formatter);
    value.serialize(&mut ser)
}

impl<F: serde_json::ser::Formatter> serde_json::ser::Formatter for SafeJson<F> {
    fn write_string_fragment<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut start = 0;
        for (i, c) in fragment.char_indices() {
            if chars::is_unsafe(c) {
                writer.write_all(&fragment.as_bytes()[start..i])?;
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    write!(writer, "\\u{unit:04x}")?;
                }
                start = i + c.len_utf8();
            }
        }
        writer.write_all(&fragment.as_bytes()[start..])
    }

    // Layout is the wrapped formatter's.
    fn begin_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn end_object_key<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_key(w)
    }
    fn begin_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_value(w)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_become_text() {
        assert_eq!(spreadsheet("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(
            spreadsheet("@SUM(1+1)*cmd|' /C calc'!A0"),
            "'@SUM(1+1)*cmd|' /C calc'!A0"
        );
        assert_eq!(spreadsheet("+1-2"), "'+1-2");
        assert_eq!(spreadsheet("-2+3"), "'-2+3");
        assert_eq!(spreadsheet("\t=1"), "' =1");
        assert_eq!(spreadsheet("\r=1"), "' =1");
        assert_eq!(spreadsheet("-700.00"), "-700.00");
        assert_eq!(spreadsheet("张伟"), "张伟");
        assert!(matches!(spreadsheet("张伟"), Cow::Borrowed(_)));
    }

    #[test]
    fn control_and_invisible_characters_are_replaced() {
        assert_eq!(plain("\u{1b}]0;PWNED\u{7}"), "\u{FFFD}]0;PWNED\u{FFFD}");
        assert_eq!(plain("a\nb\tc"), "a b c");
        assert_eq!(
            plain("a\u{9b}b\u{202E}c\u{200B}"),
            "a\u{FFFD}b\u{FFFD}c\u{FFFD}"
        );
    }

    #[test]
    fn json_escapes_what_serde_json_leaves_raw() {
        let mut out = Vec::new();
        let v = serde_json::json!({"name": "a\u{1b}b\u{7f}c\u{9b}d\u{202E}e\u{E0041}f张"});
        write_json(&mut out, &v, SafeJson::compact()).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text,
            r#"{"name":"a\u001bb\u007fc\u009bd\u202ee\udb40\udc41f张"}"#
        );
        // Nothing is lost: it reads back as it was.
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, v);
    }
}
