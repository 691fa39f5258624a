//! Keys as the keymap sees them, independent of the terminal transport: the
//! local runner converts crossterm events, the SSH front end builds them from
//! raw bytes. Both must normalize the same way, so that a binding written as
//! `G` matches a shifted `g` and `ctrl-n` matches `ctrl-N`.
//!
//! Readable form (parsed from keymap files, shown in help and footer hints):
//! `q`, `?`, `G`, `ctrl-n`, `alt-x`, `shift-tab`, `enter`, `esc`, `space`,
//! `pgdn`, `f5`; a sequence separates its keys with spaces: `g g`.

use std::fmt;

use crate::i18n::{Lang, Localized};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KeyCode {
    /// A character as typed: `G` (never shift + `g`), `?`, `中`; `' '` is `space`.
    Char(char),
    Enter,
    Esc,
    Tab,
    /// Shift + tab.
    BackTab,
    Backspace,
    Delete,
    Insert,
    Up,
    Down,
    Left,
    Right,
    Home,
    End,
    PageUp,
    PageDown,
    F(u8),
    /// A key the keymap cannot name (caps lock, media keys, a lone modifier):
    /// it never parses and is never bound, so it always resolves to `Unbound`.
    Other,
}

/// One key press with its modifiers, normalized: a character key never has
/// `shift` (the character itself is upper case), `ctrl` + a character is lower
/// case, and shift + tab is [`KeyCode::BackTab`] without `shift`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
    pub alt: bool,
    pub shift: bool,
}

/// Why a key string could not be read. Shown inside keymap errors.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    #[error("empty key")]
    Empty,
    #[error("unknown key name \"{0}\"")]
    UnknownName(String),
    /// Several characters without spaces, like `gg`.
    #[error("unknown key name \"{0}\" (separate the keys of a sequence with spaces, e.g. \"g g\")")]
    Unspaced(String),
    #[error("shift can only modify letters and named keys; write the character itself, e.g. \"?\"")]
    ShiftChar,
    #[error("function keys go from f1 to f24")]
    FunctionKey,
}

impl Localized for KeyError {
    fn localized(&self, lang: Lang) -> String {
        match (self, lang) {
            (KeyError::Empty, Lang::Zh) => "按键为空".to_string(),
            (KeyError::UnknownName(name), Lang::Zh) => format!("无法识别的按键名 \"{name}\""),
            (KeyError::Unspaced(name), Lang::Zh) => {
                format!("无法识别的按键名 \"{name}\"（按键序列的各键之间要用空格隔开，如 \"g g\"）")
            }
            (KeyError::ShiftChar, Lang::Zh) => {
                "shift 只能修饰字母和具名按键；请直接写出字符本身，如 \"?\"".to_string()
            }
            (KeyError::FunctionKey, Lang::Zh) => "功能键只有 f1 到 f24".to_string(),
            (e, Lang::En) => e.to_string(),
        }
    }
}

/// Named keys: (readable name, code). The first name of a code is the one
/// `Display` uses; later ones are accepted aliases.
const NAMES: &[(&str, KeyCode)] = &[
    ("enter", KeyCode::Enter),
    ("return", KeyCode::Enter),
    ("esc", KeyCode::Esc),
    ("escape", KeyCode::Esc),
    ("tab", KeyCode::Tab),
    ("backtab", KeyCode::BackTab),
    ("backspace", KeyCode::Backspace),
    ("bs", KeyCode::Backspace),
    ("delete", KeyCode::Delete),
    ("del", KeyCode::Delete),
    ("insert", KeyCode::Insert),
    ("ins", KeyCode::Insert),
    ("up", KeyCode::Up),
    ("down", KeyCode::Down),
    ("left", KeyCode::Left),
    ("right", KeyCode::Right),
    ("home", KeyCode::Home),
    ("end", KeyCode::End),
    ("pgup", KeyCode::PageUp),
    ("pageup", KeyCode::PageUp),
    ("pgdn", KeyCode::PageDown),
    ("pagedown", KeyCode::PageDown),
    ("space", KeyCode::Char(' ')),
];

impl Key {
    /// A key without modifiers.
    pub const fn plain(code: KeyCode) -> Key {
        Key {
            code,
            ctrl: false,
            alt: false,
            shift: false,
        }
    }

    /// A character key without modifiers (`Key::char('G')` is shift + g).
    pub const fn char(c: char) -> Key {
        Key::plain(KeyCode::Char(c))
    }

    /// Ctrl + a character (lower-cased).
    pub fn ctrl(c: char) -> Key {
        Key {
            ctrl: true,
            ..Key::char(c)
        }
        .normalized()
    }

    /// Builds a key from raw parts, then normalizes it (see [`Key`]).
    pub fn new(code: KeyCode, ctrl: bool, alt: bool, shift: bool) -> Key {
        Key {
            code,
            ctrl,
            alt,
            shift,
        }
        .normalized()
    }

    fn normalized(mut self) -> Key {
        match self.code {
            KeyCode::Char(c) => {
                if self.shift {
                    self.code = KeyCode::Char(upper(c));
                    self.shift = false;
                }
                if self.ctrl {
                    self.code = KeyCode::Char(lower(c));
                }
            }
            KeyCode::BackTab => self.shift = false,
            KeyCode::Tab if self.shift => {
                self.code = KeyCode::BackTab;
                self.shift = false;
            }
            _ => {}
        }
        self
    }

    /// A character typed without ctrl or alt: what a text field would insert.
    pub fn is_printable(self) -> bool {
        matches!(self.code, KeyCode::Char(_)) && !self.ctrl && !self.alt
    }

    /// Reads one key: `q`, `G`, `?`, `ctrl-n`, `alt-x`, `shift-tab`, `enter`,
    /// `space`, `pgdn`, `f5`. Modifier and key names ignore case; a single
    /// character is taken as written (`G` is shift + g), except after `ctrl-`.
    pub fn parse(s: &str) -> Result<Key, KeyError> {
        let s = s.trim();
        if s.is_empty() {
            return Err(KeyError::Empty);
        }
        let (mut ctrl, mut alt, mut shift) = (false, false, false);
        let mut rest = s;
        while let Some((head, tail)) = rest.split_once('-') {
            if tail.is_empty() {
                break;
            }
            match head.to_ascii_lowercase().as_str() {
                "ctrl" | "control" => ctrl = true,
                "alt" | "meta" => alt = true,
                "shift" => shift = true,
                _ => break,
            }
            rest = tail;
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) => {
                if c.is_control() {
                    return Err(KeyError::UnknownName(rest.to_string()));
                }
                if shift && !c.is_alphabetic() {
                    return Err(KeyError::ShiftChar);
                }
                KeyCode::Char(c)
            }
            _ => {
                let lower = rest.to_ascii_lowercase();
                if let Some((_, code)) = NAMES.iter().find(|(name, _)| *name == lower) {
                    *code
                } else if let Some(n) = function_key(&lower) {
                    KeyCode::F(n.ok_or(KeyError::FunctionKey)?)
                } else if rest == s && rest.chars().count() <= 3 && !rest.contains('-') {
                    return Err(KeyError::Unspaced(rest.to_string()));
                } else {
                    return Err(KeyError::UnknownName(rest.to_string()));
                }
            }
        };
        Ok(Key::new(code, ctrl, alt, shift))
    }
}

/// `f5` → Some(Some(5)); `f99` → Some(None); `foo` → None.
fn function_key(lower: &str) -> Option<Option<u8>> {
    let digits = lower.strip_prefix('f')?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(digits.parse::<u8>().ok().filter(|n| (1..=24).contains(n)))
}

fn upper(c: char) -> char {
    let mut it = c.to_uppercase();
    match (it.next(), it.next()) {
        (Some(u), None) => u,
        _ => c,
    }
}

fn lower(c: char) -> char {
    let mut it = c.to_lowercase();
    match (it.next(), it.next()) {
        (Some(l), None) => l,
        _ => c,
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ctrl {
            f.write_str("ctrl-")?;
        }
        if self.alt {
            f.write_str("alt-")?;
        }
        if self.shift {
            f.write_str("shift-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::BackTab => f.write_str("shift-tab"),
            KeyCode::F(n) => write!(f, "f{n}"),
            KeyCode::Other => f.write_str("(other)"),
            code => {
                let name = NAMES
                    .iter()
                    .find(|(_, c)| *c == code)
                    .map_or("(other)", |(name, _)| name);
                f.write_str(name)
            }
        }
    }
}

impl std::str::FromStr for Key {
    type Err = KeyError;
    fn from_str(s: &str) -> Result<Key, KeyError> {
        Key::parse(s)
    }
}

/// Keys pressed one after another, like `g g`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KeySeq(pub Vec<Key>);

impl KeySeq {
    /// Reads space-separated keys: `g g`, `ctrl-x ctrl-s`.
    pub fn parse(s: &str) -> Result<KeySeq, KeyError> {
        let keys = s
            .split_whitespace()
            .map(Key::parse)
            .collect::<Result<Vec<_>, _>>()?;
        if keys.is_empty() {
            return Err(KeyError::Empty);
        }
        Ok(KeySeq(keys))
    }

    pub fn keys(&self) -> &[Key] {
        &self.0
    }

    /// Whether `self` is a strict prefix of `other` (`g` of `g g`).
    pub fn is_prefix_of(&self, other: &KeySeq) -> bool {
        self.0.len() < other.0.len() && other.0.starts_with(&self.0)
    }
}

impl From<Key> for KeySeq {
    fn from(key: Key) -> KeySeq {
        KeySeq(vec![key])
    }
}

impl fmt::Display for KeySeq {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, key) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(" ")?;
            }
            write!(f, "{key}")?;
        }
        Ok(())
    }
}

impl std::str::FromStr for KeySeq {
    type Err = KeyError;
    fn from_str(s: &str) -> Result<KeySeq, KeyError> {
        KeySeq::parse(s)
    }
}

/// The local terminal's keys. The event kind (press, repeat, release) is not
/// looked at: the runner should pass on presses (and repeats) only.
impl From<crossterm::event::KeyEvent> for Key {
    fn from(ev: crossterm::event::KeyEvent) -> Key {
        use crossterm::event::{KeyCode as C, KeyModifiers as M};
        let mut ctrl = ev.modifiers.contains(M::CONTROL);
        let code = match ev.code {
            C::Char(c) => KeyCode::Char(c),
            // The NUL byte is what a terminal sends for ctrl-space.
            C::Null => {
                ctrl = true;
                KeyCode::Char(' ')
            }
            C::Enter => KeyCode::Enter,
            C::Esc => KeyCode::Esc,
            C::Tab => KeyCode::Tab,
            C::BackTab => KeyCode::BackTab,
            C::Backspace => KeyCode::Backspace,
            C::Delete => KeyCode::Delete,
            C::Insert => KeyCode::Insert,
            C::Up => KeyCode::Up,
            C::Down => KeyCode::Down,
            C::Left => KeyCode::Left,
            C::Right => KeyCode::Right,
            C::Home => KeyCode::Home,
            C::End => KeyCode::End,
            C::PageUp => KeyCode::PageUp,
            C::PageDown => KeyCode::PageDown,
            C::F(n) => KeyCode::F(n),
            _ => KeyCode::Other,
        };
        Key::new(
            code,
            ctrl,
            ev.modifiers.contains(M::ALT),
            ev.modifiers.contains(M::SHIFT),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::{KeyCode as C, KeyEvent, KeyModifiers as M};

    fn k(s: &str) -> Key {
        Key::parse(s).unwrap()
    }

    #[test]
    fn parses_plain_and_named_keys() {
        assert_eq!(k("q"), Key::char('q'));
        assert_eq!(k("?"), Key::char('?'));
        assert_eq!(k("-"), Key::char('-'));
        assert_eq!(k("G"), Key::char('G'));
        assert_eq!(k("space"), Key::char(' '));
        assert_eq!(k("enter"), Key::plain(KeyCode::Enter));
        assert_eq!(k("Enter"), Key::plain(KeyCode::Enter));
        assert_eq!(k("esc"), Key::plain(KeyCode::Esc));
        assert_eq!(k("pgdn"), Key::plain(KeyCode::PageDown));
        assert_eq!(k("pagedown"), Key::plain(KeyCode::PageDown));
        assert_eq!(k("f5"), Key::plain(KeyCode::F(5)));
        assert_eq!(k("中"), Key::char('中'));
    }

    #[test]
    fn parses_modifiers_and_normalizes() {
        assert_eq!(k("ctrl-n"), Key::ctrl('n'));
        assert_eq!(k("ctrl-N"), Key::ctrl('n'));
        assert_eq!(k("CTRL-n"), Key::ctrl('n'));
        assert_eq!(k("ctrl--"), Key::ctrl('-'));
        assert_eq!(k("shift-tab"), Key::plain(KeyCode::BackTab));
        assert_eq!(k("backtab"), Key::plain(KeyCode::BackTab));
        assert_eq!(k("shift-g"), Key::char('G'));
        assert_eq!(
            k("alt-x"),
            Key {
                alt: true,
                ..Key::char('x')
            }
        );
        assert_eq!(
            k("shift-up"),
            Key {
                shift: true,
                ..Key::plain(KeyCode::Up)
            }
        );
    }

    #[test]
    fn rejects_bad_keys() {
        assert_eq!(Key::parse(""), Err(KeyError::Empty));
        assert_eq!(Key::parse("gg"), Err(KeyError::Unspaced("gg".into())));
        assert_eq!(
            Key::parse("ctrl-foobar"),
            Err(KeyError::UnknownName("foobar".into()))
        );
        assert_eq!(
            Key::parse("hyper-x"),
            Err(KeyError::UnknownName("hyper-x".into()))
        );
        assert_eq!(Key::parse("shift-?"), Err(KeyError::ShiftChar));
        assert_eq!(Key::parse("f25"), Err(KeyError::FunctionKey));
        assert_eq!(Key::parse("f0"), Err(KeyError::FunctionKey));
        assert!(Key::parse("ctrl-").is_err());
        assert_eq!(KeySeq::parse("  "), Err(KeyError::Empty));
    }

    #[test]
    fn display_round_trips() {
        for s in [
            "q",
            "?",
            "G",
            "-",
            "ctrl-n",
            "alt-x",
            "ctrl-alt-x",
            "shift-tab",
            "shift-up",
            "enter",
            "esc",
            "space",
            "ctrl-space",
            "tab",
            "backspace",
            "delete",
            "insert",
            "up",
            "down",
            "left",
            "right",
            "home",
            "end",
            "pgup",
            "pgdn",
            "f5",
            "f12",
            "中",
        ] {
            assert_eq!(k(s).to_string(), s, "{s}");
        }
        assert_eq!(k("pagedown").to_string(), "pgdn");
        assert_eq!(k("Return").to_string(), "enter");
        assert_eq!(k("ctrl-N").to_string(), "ctrl-n");
        let seq = KeySeq::parse("g  g").unwrap();
        assert_eq!(seq.to_string(), "g g");
        assert_eq!(KeySeq::parse(&seq.to_string()).unwrap(), seq);
        assert_eq!(
            KeySeq::parse("ctrl-x space").unwrap().to_string(),
            "ctrl-x space"
        );
    }

    #[test]
    fn prefixes() {
        let g = KeySeq::parse("g").unwrap();
        let gg = KeySeq::parse("g g").unwrap();
        assert!(g.is_prefix_of(&gg));
        assert!(!gg.is_prefix_of(&g));
        assert!(!gg.is_prefix_of(&gg));
    }

    #[test]
    fn from_crossterm() {
        let ev = |code, mods| Key::from(KeyEvent::new(code, mods));
        assert_eq!(ev(C::Char('G'), M::SHIFT), k("G"));
        assert_eq!(ev(C::Char('G'), M::NONE), k("G"));
        assert_eq!(ev(C::Char('c'), M::CONTROL), k("ctrl-c"));
        assert_eq!(ev(C::Char('C'), M::CONTROL | M::SHIFT), k("ctrl-c"));
        assert_eq!(ev(C::BackTab, M::SHIFT), k("shift-tab"));
        assert_eq!(ev(C::Tab, M::SHIFT), k("shift-tab"));
        assert_eq!(ev(C::Char('?'), M::SHIFT), k("?"));
        assert_eq!(ev(C::Char('x'), M::ALT), k("alt-x"));
        assert_eq!(ev(C::Null, M::NONE), k("ctrl-space"));
        assert_eq!(ev(C::PageDown, M::NONE), k("pgdn"));
        assert_eq!(ev(C::CapsLock, M::NONE).code, KeyCode::Other);
    }

    #[test]
    fn localized_errors() {
        assert_eq!(
            KeyError::Unspaced("gg".into()).localized(Lang::Zh),
            "无法识别的按键名 \"gg\"（按键序列的各键之间要用空格隔开，如 \"g g\"）"
        );
        assert_eq!(
            KeyError::Empty.localized(Lang::En),
            KeyError::Empty.to_string()
        );
    }
}
