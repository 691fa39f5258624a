//! Validation of strings typed by users, applied at the edge before anything is
//! stored: a name with an escape sequence in it would otherwise reach every other
//! user's terminal.

use serde::{Deserialize, Serialize};

use super::chars;
use crate::i18n::{Lang, Localized};

/// Lengths are counted in characters; a Chinese name of 40 characters is already
/// far longer than any real one.
pub const SHORT: usize = 40;
pub const MEDIUM: usize = 120;
pub const LONG: usize = 2000;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum TextError {
    #[error("{}: must not be empty", label(.field, Lang::En))]
    Empty { field: String },
    #[error("{}: at most {max} characters, got {got}", label(.field, Lang::En))]
    TooLong {
        field: String,
        max: usize,
        got: usize,
    },
    #[error("{}: contains a control character", label(.field, Lang::En))]
    Control { field: String },
    #[error("{}: contains an invisible or format character (such as a zero-width space); delete it and try again", label(.field, Lang::En))]
    Invisible { field: String },
    #[error("{}: has no visible character", label(.field, Lang::En))]
    NoVisible { field: String },
    #[error("{}: must not begin with {first:?} (a spreadsheet would read it as a formula)", label(.field, Lang::En))]
    FormulaStart { field: String, first: char },
}

impl TextError {
    /// The field refused, as it was named ("姓名 name").
    pub fn field(&self) -> &str {
        match self {
            TextError::Empty { field }
            | TextError::TooLong { field, .. }
            | TextError::Control { field }
            | TextError::Invisible { field }
            | TextError::NoVisible { field }
            | TextError::FormulaStart { field, .. } => field,
        }
    }

    /// The field refused, if it was named from the one table
    /// (`Field::ident`).
    pub fn ident(&self) -> Option<super::field::Field> {
        super::field::Field::of_ident(self.field())
    }
}

impl Localized for TextError {
    fn localized(&self, lang: Lang) -> String {
        match (self, lang) {
            (TextError::Empty { field }, Lang::Zh) => format!("{}不能为空", label(field, lang)),
            (TextError::TooLong { field, max, got }, Lang::Zh) => {
                format!("{}最多 {max} 个字，现有 {got} 个", label(field, lang))
            }
            (TextError::Control { field }, Lang::Zh) => {
                format!("{}含有控制字符，请删除后重试", label(field, lang))
            }
            (TextError::Invisible { field }, Lang::Zh) => {
                format!(
                    "{}含有不可见字符或格式字符（如零宽空格），请删除后重试",
                    label(field, lang)
                )
            }
            (TextError::NoVisible { field }, Lang::Zh) => {
                format!("{}没有可见的字符", label(field, lang))
            }
            (TextError::FormulaStart { field, first }, Lang::Zh) => {
                format!(
                    "{}不能以“{first}”开头（电子表格会当作公式）",
                    label(field, lang)
                )
            }
            (e, Lang::En) => e.to_string(),
        }
    }
}

/// A field's name in one language. The registry names fields in both,
/// "姓名 name"; a front end may pass a name in one language only.
pub fn label(field: &str, lang: Lang) -> &str {
    match field.split_once(' ') {
        Some((zh, en)) if !zh.is_ascii() && en.is_ascii() => lang.pick(zh, en),
        _ => field,
    }
}

/// Characters that make a spreadsheet read a cell as a formula when they come
/// first (OWASP's list for CSV injection; tab and carriage return are controls,
/// refused anyway).
pub const FORMULA_START: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Trims `input` and checks it: not empty, at most `max` characters, no
/// control characters (a newline is allowed only when `multiline`), no
/// invisible or format characters, at least one visible character, and a
/// one-line text (a name, a school, a category) does not begin with a formula
/// character. Notes may begin with `-` (a list); exports neutralise them.
pub fn clean(field: &str, input: &str, max: usize, multiline: bool) -> Result<String, TextError> {
    let s = input.trim();
    if s.is_empty() {
        return Err(TextError::Empty {
            field: field.to_string(),
        });
    }
    clean_optional(field, s, max, multiline)
}

/// Like [`clean`], but an empty string is fine.
pub fn clean_optional(
    field: &str,
    input: &str,
    max: usize,
    multiline: bool,
) -> Result<String, TextError> {
    let s = input.trim();
    let got = s.chars().count();
    if got > max {
        return Err(TextError::TooLong {
            field: field.to_string(),
            max,
            got,
        });
    }
    let field = || field.to_string();
    let bad = s
        .chars()
        .any(|c| c.is_control() && !(multiline && (c == '\n' || c == '\t')) || is_bidi_control(c));
    if bad {
        return Err(TextError::Control { field: field() });
    }
    if s.chars().any(chars::is_invisible) {
        return Err(TextError::Invisible { field: field() });
    }
    if !s.is_empty() && !s.chars().any(chars::is_visible) {
        return Err(TextError::NoVisible { field: field() });
    }
    if let Some(first) = s.chars().next()
        && !multiline
        && FORMULA_START.contains(&first)
    {
        return Err(TextError::FormulaStart {
            field: field(),
            first,
        });
    }
    Ok(s.to_string())
}

/// Bidirectional overrides can make a name read differently from what is
/// stored; they are told apart from other invisible characters because they
/// were refused as controls before the table existed.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// The key a name sorts by, as it is read aloud: its pinyin, one syllable
/// per character with a space after it, so characters compare one by one:
/// 李 (li) before 林 (lin) whatever follows.
pub fn pinyin_key(s: &str) -> String {
    use pinyin::ToPinyin;
    let mut out = String::with_capacity(s.len() * 2);
    for c in s.chars() {
        match c.to_pinyin() {
            Some(p) => {
                out.push_str(p.plain());
                out.push(' ');
            }
            None => out.extend(c.to_lowercase()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_and_accepts_chinese() {
        assert_eq!(clean("姓名", "  张伟 ", SHORT, false).unwrap(), "张伟");
    }

    #[test]
    fn refuses_empty_long_and_control() {
        assert!(matches!(
            clean("姓名", "   ", SHORT, false),
            Err(TextError::Empty { .. })
        ));
        let long = "字".repeat(SHORT + 1);
        assert!(
            matches!(clean("姓名", &long, SHORT, false), Err(TextError::TooLong { got, .. }) if got == SHORT + 1)
        );
        assert!(matches!(
            clean("姓名", "张\x1b[31m伟", SHORT, false),
            Err(TextError::Control { .. })
        ));
        assert!(matches!(
            clean("备注", "a\nb", LONG, false),
            Err(TextError::Control { .. })
        ));
        assert_eq!(clean("备注", "a\nb", LONG, true).unwrap(), "a\nb");
        assert!(matches!(
            clean("姓名", "ab\u{202E}c", SHORT, false),
            Err(TextError::Control { .. })
        ));
        assert_eq!(clean_optional("备注", "  ", LONG, false).unwrap(), "");
    }

    #[test]
    fn refuses_invisible_and_blank_looking_names() {
        // What the adversarial run got accepted (issue 9, point 13).
        for name in [
            "张\u{200B}伟",
            "张\u{200F}伟",
            "张\u{2060}伟",
            "\u{FEFF}张伟",
            "张\u{00AD}伟",
            "张\u{034F}伟",
            "张\u{061C}伟",
            "张伟\u{E0041}\u{E007F}",
            "张\u{2028}伟",
            "张\u{FFF9}伟",
        ] {
            assert!(
                matches!(
                    clean("姓名", name, SHORT, false),
                    Err(TextError::Invisible { .. })
                ),
                "{name:?}"
            );
        }
        assert!(matches!(
            clean("姓名", "\u{115F}\u{3164}", SHORT, false),
            Err(TextError::Invisible { .. })
        ));
        assert!(matches!(
            clean("姓名", "\u{0301}\u{0301}", SHORT, false),
            Err(TextError::NoVisible { .. })
        ));
        assert!(matches!(
            clean_optional("备注", "\u{2800}", LONG, true),
            Err(TextError::NoVisible { .. })
        ));
        assert_eq!(
            clean("姓名", "Zoë 欧阳·娜娜", SHORT, false).unwrap(),
            "Zoë 欧阳·娜娜"
        );
    }

    #[test]
    fn one_line_text_does_not_begin_like_a_formula() {
        for (name, first) in [
            ("=HYPERLINK(\"http://x\")", '='),
            ("@SUM(1+1)*cmd|' /C calc'!A0", '@'),
            ("+1-2", '+'),
            ("-2+3", '-'),
        ] {
            assert_eq!(
                clean("姓名", name, SHORT, false),
                Err(TextError::FormulaStart {
                    field: "姓名".into(),
                    first
                })
            );
        }
        // Inside a name, or at the start of a note (a list), they are fine.
        assert!(clean("姓名", "李=王", SHORT, false).is_ok());
        assert!(clean("备注", "- 第一点\n- 第二点", LONG, true).is_ok());
        let e = clean("姓名 name", "=1", SHORT, false).unwrap_err();
        assert_eq!(
            e.localized(Lang::Zh),
            "姓名不能以“=”开头（电子表格会当作公式）"
        );
        assert!(
            e.localized(Lang::En)
                .starts_with("name: must not begin with '='")
        );
    }

    #[test]
    fn messages_in_both_languages() {
        let e = clean("姓名", "", SHORT, false).unwrap_err();
        assert_eq!(e.localized(Lang::Zh), "姓名不能为空");
        assert!(e.localized(Lang::En).contains("must not be empty"));
        // A field named in both languages shows only the user's.
        let e = clean("姓名 name", "", SHORT, false).unwrap_err();
        assert_eq!(e.localized(Lang::Zh), "姓名不能为空");
        assert_eq!(e.localized(Lang::En), "name: must not be empty");
    }
}
