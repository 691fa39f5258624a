//! Bytes from an SSH client's terminal become the App's events. The parser
//! (termina's, the one Helix uses) keeps escape sequences and UTF-8
//! characters split across packets until they are whole, and returns a
//! bracketed paste as one event. A lone Esc is only known to be one when no
//! more bytes follow: `flush` after a short quiet time sends it.

use std::time::Duration;

use termina::event::{KeyCode as T, KeyEventKind, Modifiers};

use crate::tui::app::Message;
use crate::tui::key::{Key, KeyCode};

/// How long a lone Esc waits for the rest of a sequence.
pub const ESC_WAIT: Duration = Duration::from_millis(30);

/// Bytes kept for one unfinished event at most (a paste without its end
/// marker): past this the paste is dropped up to its end marker, so input
/// cannot grow memory, and what was pasted never turns into keys.
pub const MAX_PENDING: usize = 1 << 20;

const PASTE_END: &[u8] = b"\x1b[201~";

#[derive(Default)]
pub struct Input {
    parser: termina::Parser,
    /// Bytes fed since the last event came out.
    pending: usize,
    /// Dropping an oversized paste: the last bytes seen, to find its end.
    discarding: Option<Vec<u8>>,
}

impl Input {
    /// Takes `bytes` as they arrived; the events now complete.
    pub fn feed(&mut self, bytes: &[u8]) -> Vec<Message> {
        let bytes = match self.discarding.take() {
            None => bytes,
            Some(mut tail) => {
                tail.extend_from_slice(bytes);
                match tail.windows(PASTE_END.len()).position(|w| w == PASTE_END) {
                    Some(at) => {
                        let rest = tail[at + PASTE_END.len()..].to_vec();
                        return self.feed(&rest);
                    }
                    None => {
                        let keep = tail.len().saturating_sub(PASTE_END.len() - 1);
                        tail.drain(..keep);
                        self.discarding = Some(tail);
                        return Vec::new();
                    }
                }
            }
        };
        self.pending += bytes.len();
        self.parser.parse(bytes, true);
        let events = self.drain();
        if self.pending > MAX_PENDING {
            tracing::warn!(bytes = self.pending, "an oversized paste is dropped");
            self.parser = termina::Parser::default();
            self.pending = 0;
            self.discarding = Some(Vec::new());
        }
        events
    }

    /// No more bytes came for `ESC_WAIT`: what was held is complete as it is
    /// (a lone Esc is Esc).
    pub fn flush(&mut self) -> Vec<Message> {
        self.parser.parse(&[], false);
        self.drain()
    }

    fn drain(&mut self) -> Vec<Message> {
        let mut out = Vec::new();
        while let Some(e) = self.parser.pop() {
            self.pending = 0;
            match e {
                termina::Event::Key(k) if k.kind != KeyEventKind::Release => {
                    out.push(Message::Key(key(k.code, k.modifiers)));
                }
                termina::Event::Paste(text) => out.push(Message::Paste(text)),
                _ => {}
            }
        }
        out
    }
}

fn key(code: T, m: Modifiers) -> Key {
    let mut ctrl = m.contains(Modifiers::CONTROL);
    let code = match code {
        T::Char(c) => KeyCode::Char(c),
        // The NUL byte is what a terminal sends for ctrl-space.
        T::Null => {
            ctrl = true;
            KeyCode::Char(' ')
        }
        T::Enter => KeyCode::Enter,
        T::Escape => KeyCode::Esc,
        T::Tab => KeyCode::Tab,
        T::BackTab => KeyCode::BackTab,
        T::Backspace => KeyCode::Backspace,
        T::Delete => KeyCode::Delete,
        T::Insert => KeyCode::Insert,
        T::Up => KeyCode::Up,
        T::Down => KeyCode::Down,
        T::Left => KeyCode::Left,
        T::Right => KeyCode::Right,
        T::Home => KeyCode::Home,
        T::End => KeyCode::End,
        T::PageUp => KeyCode::PageUp,
        T::PageDown => KeyCode::PageDown,
        T::Function(n) => KeyCode::F(n),
        _ => KeyCode::Other,
    };
    Key::new(
        code,
        ctrl,
        m.contains(Modifiers::ALT),
        m.contains(Modifiers::SHIFT),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(events: &[Message]) -> Vec<Key> {
        events
            .iter()
            .filter_map(|e| match e {
                Message::Key(k) => Some(*k),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn an_escape_sequence_split_across_packets_is_one_key() {
        let mut input = Input::default();
        assert!(input.feed(b"\x1b").is_empty());
        assert!(input.feed(b"[").is_empty());
        assert_eq!(keys(&input.feed(b"A")), vec![Key::plain(KeyCode::Up)]);
        // Page down, in three pieces.
        assert!(input.feed(b"\x1b[").is_empty());
        assert!(input.feed(b"6").is_empty());
        assert_eq!(keys(&input.feed(b"~")), vec![Key::plain(KeyCode::PageDown)]);
    }

    #[test]
    fn chinese_split_mid_character_arrives_whole() {
        let mut input = Input::default();
        let text = "青岛".as_bytes();
        assert!(input.feed(&text[..1]).is_empty());
        assert!(
            input.feed(&text[1..4]).len() == 1,
            "the first character once whole"
        );
        let got = keys(&input.feed(&text[4..]));
        assert_eq!(got, vec![Key::char('岛')]);
    }

    #[test]
    fn a_lone_esc_is_esc_once_nothing_follows() {
        let mut input = Input::default();
        assert!(input.feed(b"\x1b").is_empty(), "it may start a sequence");
        assert_eq!(keys(&input.flush()), vec![Key::plain(KeyCode::Esc)]);
        // Alt-x is Esc then x in one packet.
        let alt = keys(&input.feed(b"\x1bx"));
        assert_eq!(alt.len(), 1);
        assert!(alt[0].alt);
    }

    #[test]
    fn a_bracketed_paste_of_100_kb_is_one_event() {
        let mut input = Input::default();
        let text = "长".repeat(34_000) + "\nw\n";
        let mut bytes = b"\x1b[200~".to_vec();
        bytes.extend_from_slice(text.as_bytes());
        bytes.extend_from_slice(b"\x1b[201~");
        assert!(bytes.len() > 100_000);
        let mut events = Vec::new();
        for chunk in bytes.chunks(4096) {
            events.extend(input.feed(chunk));
        }
        assert_eq!(events.len(), 1, "one paste, no keys");
        match &events[0] {
            Message::Paste(p) => assert_eq!(*p, text),
            _ => panic!("not a paste"),
        }
    }

    #[test]
    fn a_paste_without_its_end_cannot_grow_without_bound() {
        let mut input = Input::default();
        input.feed(b"\x1b[200~");
        let chunk = vec![b'a'; 64 * 1024];
        for _ in 0..40 {
            assert!(input.feed(&chunk).is_empty(), "pasted bytes are never keys");
        }
        assert!(input.pending <= MAX_PENDING);
        // The end marker, split, ends the dropping; typing works again.
        assert!(input.feed(b"aa\x1b[2").is_empty());
        assert_eq!(keys(&input.feed(b"01~q")), vec![Key::char('q')]);
    }
}
