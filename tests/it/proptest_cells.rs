//! Fuzz-style properties of what goes in and what comes out (issue 9's
//! acceptance): no input makes an export cell begin with a formula character
//! or carry a control or invisible character, and a validated name never
//! holds a control, format (Cf) or separator (Zl, Zp) character and always has
//! a visible one. The general categories are read from the Unicode tables
//! directly, not from the validator's own helpers, so a gap in those shows.

use proptest::prelude::*;
use unicode_general_category::{GeneralCategory as G, get_general_category};

use qiangji::domain::phone;
use qiangji::domain::text::{self, FORMULA_START, LONG, SHORT};
use qiangji::domain::user::{is_valid_login, safe_login};
use qiangji::export::cell;

/// Characters an attacker reaches for, mixed with ordinary ones so that some
/// inputs pass the validators.
fn tricky_char() -> impl Strategy<Value = char> {
    prop_oneof![
        3 => prop::sample::select(vec![
            '=', '+', '-', '@', '\t', '\r', '\n', '\u{1b}', '\u{7}', '\u{0}', '\u{7f}', '\u{85}',
            '\u{9b}', '\u{00AD}', '\u{034F}', '\u{061C}', '\u{115F}', '\u{1160}', '\u{180E}',
            '\u{200B}', '\u{200D}', '\u{200F}', '\u{2028}', '\u{2029}', '\u{202E}', '\u{2060}',
            '\u{2066}', '\u{3164}', '\u{FE0F}', '\u{FEFF}', '\u{FFA0}', '\u{FFF9}', '\u{E0041}',
            '\u{E007F}', '\u{0301}', '\u{20DD}', '\u{3000}', '\u{2800}', ' ', '\'', '"', ',',
            '0', '7', '.',
        ]),
        4 => prop::char::range('\u{4E00}', '\u{9FA5}'),
        2 => prop::char::range('a', 'z'),
        2 => any::<char>(),
    ]
}

fn tricky_string() -> impl Strategy<Value = String> {
    prop::collection::vec(tricky_char(), 0..24).prop_map(|v| v.into_iter().collect())
}

/// Categories that never belong in stored text or an export cell.
fn forbidden(c: char) -> bool {
    matches!(
        get_general_category(c),
        G::Control | G::Format | G::LineSeparator | G::ParagraphSeparator
    ) || matches!(
        c,
        '\u{115F}' | '\u{1160}' | '\u{3164}' | '\u{FFA0}' | '\u{034F}'
    )
}

/// Letters, numbers, punctuation and symbols (and spacing marks) put ink on
/// the screen.
fn visible(c: char) -> bool {
    !matches!(
        get_general_category(c),
        G::Control
            | G::Format
            | G::LineSeparator
            | G::ParagraphSeparator
            | G::SpaceSeparator
            | G::NonspacingMark
            | G::EnclosingMark
            | G::Unassigned
            | G::Surrogate
    ) && !forbidden(c)
        && c != '\u{2800}'
}

/// `-700.00`: a number, which a spreadsheet keeps as a number.
fn plain_number(s: &str) -> bool {
    let digits = s.strip_prefix('-').unwrap_or(s);
    let (int, frac) = digits.split_once('.').unwrap_or((digits, "0"));
    !int.is_empty()
        && !frac.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn a_spreadsheet_cell_never_starts_like_a_formula_nor_holds_a_control(s in tricky_string()) {
        let c = cell::spreadsheet(&s);
        prop_assert!(!c.chars().any(forbidden), "{s:?} gave {c:?}");
        if c.starts_with(FORMULA_START) {
            prop_assert!(plain_number(&c) && c == s, "{s:?} gave {c:?}");
        }
        // The CSV writer quotes what it must; the cell reads back as it was.
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record([c.as_ref(), "x"]).unwrap();
        let bytes = w.into_inner().unwrap();
        let back = csv::ReaderBuilder::new().has_headers(false).from_reader(&bytes[..])
            .records().next().unwrap().unwrap();
        prop_assert_eq!(&back[0], c.as_ref());
    }

    #[test]
    fn terminal_text_holds_no_control_or_invisible_character(s in tricky_string()) {
        let p = cell::plain(&s);
        prop_assert!(!p.chars().any(forbidden), "{s:?} gave {p:?}");
        prop_assert_eq!(p.chars().count(), s.chars().count());
    }

    #[test]
    fn json_escapes_every_unsafe_character_and_loses_none(s in tricky_string()) {
        let mut out = Vec::new();
        cell::write_json(&mut out, &serde_json::json!({ "name": s }), cell::SafeJson::compact()).unwrap();
        let text = String::from_utf8(out).unwrap();
        prop_assert!(!text.chars().any(forbidden), "{text:?}");
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        prop_assert_eq!(back["name"].as_str(), Some(s.as_str()));
    }

    #[test]
    fn a_validated_name_is_visible_and_clean(s in tricky_string()) {
        if let Ok(name) = text::clean("姓名 name", &s, SHORT, false) {
            prop_assert!(!name.chars().any(forbidden), "{s:?} gave {name:?}");
            prop_assert!(name.chars().any(visible), "{s:?} gave {name:?}");
            prop_assert!(!name.starts_with(FORMULA_START), "{s:?} gave {name:?}");
            prop_assert!(name.chars().count() <= SHORT);
            // Cleaning again changes nothing.
            prop_assert_eq!(text::clean("姓名 name", &name, SHORT, false), Ok(name.clone()));
        }
        if let Ok(note) = text::clean_optional("备注 note", &s, LONG, true) {
            let stray = note.chars().any(|c| forbidden(c) && c != '\n' && c != '\t');
            prop_assert!(!stray, "{s:?} gave {note:?}");
            prop_assert!(note.is_empty() || note.chars().any(visible), "{s:?} gave {note:?}");
        }
    }

    #[test]
    fn a_validated_phone_is_digits(s in tricky_string()) {
        if let Ok(p) = phone::check(&s) {
            prop_assert!(p.chars().all(|c| c.is_ascii_digit() || c == ' ' || c == '-'), "{p:?}");
            prop_assert!(p.is_empty() || p.starts_with(|c: char| c.is_ascii_digit()), "{p:?}");
        }
    }

    #[test]
    fn any_user_name_becomes_a_valid_login(s in tricky_string()) {
        let login = safe_login(&s);
        prop_assert!(is_valid_login(&login), "{s:?} gave {login:?}");
        prop_assert!(cell::spreadsheet(&login) == login.as_str());
    }
}

/// Every character in Unicode, not a sample: the validator's idea of
/// invisible covers every Cf, Zl and Zp character, and a name of one
/// character is accepted only if that character is visible.
#[test]
fn every_format_and_separator_character_is_refused() {
    for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
        if forbidden(c) {
            assert!(
                qiangji::domain::chars::is_unsafe(c),
                "U+{:04X} is not refused",
                c as u32
            );
        }
        let one = c.to_string();
        if let Ok(name) = text::clean("姓名", &one, SHORT, false) {
            assert!(
                visible(c) && !forbidden(c),
                "U+{:04X} accepted as a name",
                c as u32
            );
            assert!(!name.starts_with(FORMULA_START));
        }
    }
}
