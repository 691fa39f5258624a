//! Messages that echo what a user typed (a `--db` path, a keymap's action
//! name, a file name) are printed to a terminal: a raw escape sequence in
//! them would be run by that terminal (retitle it, recolour it, hide text).
//! Everything printed to stderr passes through [`one_line`].

/// `text` with every control character (C0, DEL, C1, line breaks) and every
/// bidirectional override written as a visible `\u{..}` escape, so the
/// message stays one line and shows exactly what was given.
pub fn one_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if needs_escape(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// Like [`one_line`] for each line of a text whose own line breaks are meant
/// (clap's usage errors).
pub fn lines(text: &str) -> String {
    text.split('\n')
        .map(one_line)
        .collect::<Vec<_>>()
        .join("\n")
}

fn needs_escape(c: char) -> bool {
    c.is_control()
        // Reordering marks and overrides: they make a path read as another.
        || matches!(c, '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_become_visible_and_text_stays() {
        assert_eq!(
            one_line("数据库 /tmp/a\u{1b}]0;PWNED\u{7}b"),
            "数据库 /tmp/a\\u{1b}]0;PWNED\\u{7}b"
        );
        assert_eq!(
            one_line("a\nb\tc\u{9b}d\u{202e}e"),
            "a\\u{a}b\\u{9}c\\u{9b}d\\u{202e}e"
        );
        assert_eq!(
            lines("error: x\u{1b}[31m\n\nUsage"),
            "error: x\\u{1b}[31m\n\nUsage"
        );
    }
}
