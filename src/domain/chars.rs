//! Which characters a person can see. A name made of zero-width or format
//! characters looks blank, or like another name, and some of them (line and
//! paragraph separators, interlinear annotations) leave stale glyphs in a
//! terminal field; the text validator refuses them and the exports replace
//! them.
//!
//! The standard library knows controls (`char::is_control`, general category
//! Cc) and white space, not the other categories, so the ones that matter are
//! listed here as a small table rather than pulling in a Unicode-database crate.
//! The table is Unicode 16's general categories Cf (format), Zl and Zp, plus the
//! other Default_Ignorable_Code_Point characters (the Hangul fillers, the
//! combining grapheme joiner, variation selectors, the Mongolian free variation
//! selectors and the reserved ignorable ranges), which render as nothing.

/// Ranges (inclusive) of characters that draw nothing or change how their
/// neighbours draw.
const INVISIBLE: &[(char, char)] = &[
    ('\u{00AD}', '\u{00AD}'),   // soft hyphen (Cf)
    ('\u{034F}', '\u{034F}'),   // combining grapheme joiner
    ('\u{0600}', '\u{0605}'),   // Arabic number signs (Cf)
    ('\u{061C}', '\u{061C}'),   // Arabic letter mark (Cf)
    ('\u{06DD}', '\u{06DD}'),   // Arabic end of ayah (Cf)
    ('\u{070F}', '\u{070F}'),   // Syriac abbreviation mark (Cf)
    ('\u{0890}', '\u{0891}'),   // Arabic pound and piastre marks (Cf)
    ('\u{08E2}', '\u{08E2}'),   // Arabic disputed end of ayah (Cf)
    ('\u{115F}', '\u{1160}'),   // Hangul choseong and jungseong fillers
    ('\u{17B4}', '\u{17B5}'),   // Khmer inherent vowels
    ('\u{180B}', '\u{180F}'),   // Mongolian variation selectors, vowel separator (Cf)
    ('\u{200B}', '\u{200F}'),   // zero-width space, joiners, LRM, RLM (Cf)
    ('\u{2028}', '\u{2029}'),   // line separator (Zl), paragraph separator (Zp)
    ('\u{202A}', '\u{202E}'),   // bidirectional embeddings and overrides (Cf)
    ('\u{2060}', '\u{206F}'),   // word joiner, invisible operators, isolates (Cf)
    ('\u{3164}', '\u{3164}'),   // Hangul filler
    ('\u{FE00}', '\u{FE0F}'),   // variation selectors
    ('\u{FEFF}', '\u{FEFF}'),   // zero-width no-break space, byte-order mark (Cf)
    ('\u{FFA0}', '\u{FFA0}'),   // halfwidth Hangul filler
    ('\u{FFF0}', '\u{FFFB}'),   // reserved, interlinear annotation (Cf)
    ('\u{110BD}', '\u{110BD}'), // Kaithi number sign (Cf)
    ('\u{110CD}', '\u{110CD}'), // Kaithi number sign above (Cf)
    ('\u{13430}', '\u{1343F}'), // Egyptian hieroglyph format controls (Cf)
    ('\u{1BCA0}', '\u{1BCA3}'), // shorthand format controls (Cf)
    ('\u{1D173}', '\u{1D17A}'), // musical symbol format controls (Cf)
    ('\u{E0000}', '\u{E0FFF}'), // tag characters (Cf), variation selectors supplement
];

/// Combining marks: visible only on a base character, so a name of marks
/// alone shows nothing readable.
const COMBINING: &[(char, char)] = &[
    ('\u{0300}', '\u{036F}'),
    ('\u{1AB0}', '\u{1AFF}'),
    ('\u{1DC0}', '\u{1DFF}'),
    ('\u{20D0}', '\u{20FF}'),
    ('\u{FE20}', '\u{FE2F}'),
];

fn in_table(table: &[(char, char)], c: char) -> bool {
    // The tables are sorted; a binary search finds the range that may hold c.
    match table.binary_search_by(|&(lo, _)| lo.cmp(&c)) {
        Ok(_) => true,
        Err(0) => false,
        Err(i) => c <= table[i - 1].1,
    }
}

/// A format, separator or ignorable character: draws nothing by itself.
pub fn is_invisible(c: char) -> bool {
    in_table(INVISIBLE, c)
}

/// A control (Cc) or an invisible character: what must never reach a
/// terminal or a spreadsheet cell as it is.
pub fn is_unsafe(c: char) -> bool {
    c.is_control() || is_invisible(c)
}

/// A character that puts ink on the screen by itself: not white space, not a
/// control, not invisible, not a lone combining mark, not the braille blank.
pub fn is_visible(c: char) -> bool {
    !(c.is_whitespace() || is_unsafe(c) || in_table(COMBINING, c) || c == '\u{2800}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tables_are_sorted_and_disjoint() {
        for table in [INVISIBLE, COMBINING] {
            for w in table.windows(2) {
                assert!(w[0].0 <= w[0].1 && w[0].1 < w[1].0, "{w:?}");
            }
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
