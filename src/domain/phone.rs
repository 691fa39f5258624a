//! Phone numbers: the one validator, used by the registry and by the forms.
//! A contact phone in this programme is a mainland mobile (11 digits, `1`
//! then 3-9, e.g. 13812345678) or a landline with its area code (`0532` and
//! 7 or 8 digits, e.g. 0532-88886666 or 053288886666). Spaces and one hyphen
//! may separate groups as people write them; nothing else is allowed, so a
//! phone cell can never begin with a formula character.

use serde::{Deserialize, Serialize};

use crate::i18n::{Lang, Localized};

/// The longest number: a four-digit area code and an eight-digit line.
pub const MAX_DIGITS: usize = 12;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum PhoneError {
    #[error("a phone number has digits only (spaces or a hyphen may separate them)")]
    NotDigits,
    #[error(
        "{got} digits is too long for a phone number (a mobile has 11, a landline with its area code at most {MAX_DIGITS})"
    )]
    TooLong { got: usize },
    #[error(
        "not a phone number: write a mobile (11 digits, e.g. 13812345678) or a landline with its area code (e.g. 0532-88886666)"
    )]
    NotAPhone,
}

impl Localized for PhoneError {
    fn localized(&self, lang: Lang) -> String {
        match (self, lang) {
            (PhoneError::NotDigits, Lang::Zh) => {
                "联系电话只能包含数字（可用空格或一个连字符分隔）".into()
            }
            (PhoneError::TooLong { got }, Lang::Zh) => format!(
                "联系电话有 {got} 位数字，太长了（手机号 11 位，座机含区号最多 {MAX_DIGITS} 位）"
            ),
            (PhoneError::NotAPhone, Lang::Zh) => {
                "不是电话号码：请填写手机号（11 位，如 13812345678）或带区号的座机（如 0532-88886666）"
                    .into()
            }
            (e, Lang::En) => e.to_string(),
        }
    }
}

/// Checks a phone number and returns it trimmed; an empty one is fine (the
/// field is optional).
pub fn check(input: &str) -> Result<String, PhoneError> {
    let s = input.trim();
    if s.is_empty() {
        return Ok(String::new());
    }
    if !s
        .chars()
        .all(|c| c.is_ascii_digit() || c == ' ' || c == '-')
    {
        return Err(PhoneError::NotDigits);
    }
    let parts: Vec<&str> = s.split('-').map(str::trim).collect();
    let digits: String = s.chars().filter(char::is_ascii_digit).collect();
    if digits.len() > MAX_DIGITS {
        return Err(PhoneError::TooLong { got: digits.len() });
    }
    let ok = is_mobile(&digits)
        || match parts.as_slice() {
            [_] => is_landline(&digits),
            // With a hyphen, what comes before it is the area code.
            [area, line] => {
                let area: String = area.chars().filter(char::is_ascii_digit).collect();
                let line: String = line.chars().filter(char::is_ascii_digit).collect();
                area.starts_with('0')
                    && (3..=4).contains(&area.len())
                    && (7..=8).contains(&line.len())
                    && !line.starts_with('0')
            }
            _ => false,
        };
    if ok {
        Ok(s.to_string())
    } else {
        Err(PhoneError::NotAPhone)
    }
}

fn is_mobile(digits: &str) -> bool {
    let b = digits.as_bytes();
    b.len() == 11 && b[0] == b'1' && (b'3'..=b'9').contains(&b[1])
}

/// An area code (0 and two or three digits) and a line of seven or eight
/// digits not starting with 0.
fn is_landline(digits: &str) -> bool {
    digits.starts_with('0') && (10..=MAX_DIGITS).contains(&digits.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mobiles_and_landlines_with_their_area_code() {
        for ok in [
            "13812345678",
            "19912345678",
            "0532-88886666",
            "053288886666",
            "010-1234567",
            "0532-8888 6666",
            "138-1234-5678",
            " 138 1234 5678 ",
            "",
        ] {
            assert_eq!(check(ok), Ok(ok.trim().to_string()), "{ok:?}");
        }
        for bad in [
            "138",
            "12812345678",
            "1381234567",
            "88886666",
            "0532-",
            "-0532",
        ] {
            assert_eq!(check(bad), Err(PhoneError::NotAPhone), "{bad:?}");
        }
        for bad in ["+1-2", "+8613812345678", "call me", "=1+1", "138\u{1b}1234"] {
            assert_eq!(check(bad), Err(PhoneError::NotDigits), "{bad:?}");
        }
    }

    #[test]
    fn a_long_number_is_told_it_is_too_long() {
        let e = check("12345678901234567890123").unwrap_err();
        assert_eq!(e, PhoneError::TooLong { got: 23 });
        assert!(e.localized(Lang::Zh).contains("23 位数字，太长了"));
        assert!(e.localized(Lang::En).starts_with("23 digits is too long"));
        assert!(!e.localized(Lang::En).contains("digits only"));
    }
}
