//! Validation of strings typed by users, applied at the edge before anything is
//! stored: a name with an escape sequence in it would otherwise reach every other
//! user's terminal.

use serde::{Deserialize, Serialize};

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

/// Trims `input` and checks it: not empty, at most `max` characters, and no
/// control characters (a newline is allowed only when `multiline`).
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
    let bad = s
        .chars()
        .any(|c| c.is_control() && !(multiline && (c == '\n' || c == '\t')) || is_bidi_control(c));
    if bad {
        return Err(TextError::Control {
            field: field.to_string(),
        });
    }
    Ok(s.to_string())
}

/// Bidirectional overrides can make a name read differently from what is stored.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
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
