//! Which characters a person can see. A name made of zero-width or format
//! characters looks blank, or like another name, and some of them (line and
//! paragraph separators, interlinear annotations) leave stale glyphs in a
//! terminal field; the text validator refuses them and the exports replace
//! them.
//!
//! General categories come from `unicode-general-category` (Unicode 16; the
//! standard library knows only controls and white space): Cf (format), Zl and
//! Zp are invisible. A few other characters draw nothing although their
//! category says otherwise (Unicode's Default_Ignorable_Code_Point): the Hangul
//! fillers are letters (Lo), the combining grapheme joiner and the variation
//! selectors are marks (Mn); they are listed below.

use unicode_general_category::{GeneralCategory as G, get_general_category};

/// Ranges (inclusive, sorted) of the characters outside Cf, Zl and Zp that
/// draw nothing by themselves.
const IGNORABLE: &[(char, char)] = &[
    ('\u{034F}', '\u{034F}'),   // combining grapheme joiner
    ('\u{115F}', '\u{1160}'),   // Hangul choseong and jungseong fillers
    ('\u{17B4}', '\u{17B5}'),   // Khmer inherent vowels
    ('\u{180B}', '\u{180F}'),   // Mongolian free variation selectors
    ('\u{2065}', '\u{2065}'),   // reserved among the invisible operators
    ('\u{3164}', '\u{3164}'),   // Hangul filler
    ('\u{FE00}', '\u{FE0F}'),   // variation selectors
    ('\u{FFA0}', '\u{FFA0}'),   // halfwidth Hangul filler
    ('\u{FFF0}', '\u{FFF8}'),   // reserved before the interlinear annotations
    ('\u{E0000}', '\u{E0FFF}'), // tags block and variation selectors supplement
];

fn in_table(table: &[(char, char)], c: char) -> bool {
    // The table is sorted; a binary search finds the range that may hold c.
    match table.binary_search_by(|&(lo, _)| lo.cmp(&c)) {
        Ok(_) => true,
        Err(0) => false,
        Err(i) => c <= table[i - 1].1,
    }
}

/// The CJK unified ideographs (all assigned, all Lo): with ASCII, nearly
/// every character Qiangji sees, so both are answered without the category
/// table. (Qiangji's tests are built at opt-level 0, where every look-up
/// copied the whole table.)
fn is_cjk_ideograph(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c)
}

/// A format, separator or ignorable character: draws nothing by itself.
pub fn is_invisible(c: char) -> bool {
    !(c.is_ascii() || is_cjk_ideograph(c)) && invisible_by_category(c)
}

fn invisible_by_category(c: char) -> bool {
    matches!(
        get_general_category(c),
        G::Format | G::LineSeparator | G::ParagraphSeparator
    ) || in_table(IGNORABLE, c)
}

/// A control (Cc) or an invisible character: what must never reach a
/// terminal or a spreadsheet cell as it is.
pub fn is_unsafe(c: char) -> bool {
    c.is_control() || is_invisible(c)
}

/// A character that puts ink on the screen by itself: not white space or a
/// separator, not a control, not invisible, not a mark (which shows only on
/// a base character), not unassigned, not the braille blank.
pub fn is_visible(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_graphic()
    } else {
        is_cjk_ideograph(c) || visible_by_category(c)
    }
}

fn visible_by_category(c: char) -> bool {
    let ink = !matches!(
        get_general_category(c),
        G::SpaceSeparator
            | G::NonspacingMark
            | G::EnclosingMark
            | G::Unassigned
            | G::Surrogate
            | G::Control
    );
    ink && !c.is_whitespace() && !c.is_control() && !invisible_by_category(c) && c != '\u{2800}'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_sorted_and_disjoint() {
        for w in IGNORABLE.windows(2) {
            assert!(w[0].0 <= w[0].1 && w[0].1 < w[1].0, "{w:?}");
        }
    }

    #[test]
    fn ascii_and_the_ideographs_are_answered_as_the_table_would() {
        for c in ('\0'..='\u{7F}').chain('\u{4E00}'..='\u{9FFF}') {
            let hex = c as u32;
            assert_eq!(is_invisible(c), invisible_by_category(c), "{hex:04X}");
            assert_eq!(is_visible(c), visible_by_category(c), "{hex:04X}");
        }
    }

    #[test]
    fn knows_the_characters_the_issue_names() {
        for c in [
            '\u{200B}',
            '\u{200F}',
            '\u{2060}',
            '\u{FEFF}',
            '\u{00AD}',
            '\u{034F}',
            '\u{061C}',
            '\u{E0041}',
            '\u{115F}',
            '\u{3164}',
            '\u{FFA0}',
            '\u{1160}',
            '\u{2028}',
            '\u{2029}',
            '\u{FFF9}',
            '\u{202E}',
            '\u{2066}',
        ] {
            assert!(is_invisible(c), "{:04X}", c as u32);
            assert!(!is_visible(c), "{:04X}", c as u32);
        }
        for c in ['张', 'a', '1', '·', '（', '〇', 'é', 'ㄱ'] {
            assert!(is_visible(c), "{c}");
            assert!(!is_unsafe(c), "{c}");
        }
        assert!(!is_visible('\u{0301}'), "a lone combining accent");
        assert!(!is_visible('\u{3000}'), "ideographic space");
        assert!(is_unsafe('\u{1b}') && is_unsafe('\u{9b}') && is_unsafe('\u{7f}'));
    }
}
