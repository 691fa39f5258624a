//! The `acknowledged` mark beside sled's files: the newest audit id that was
//! flushed and confirmed to a user. sled recovers a log damaged in the middle
//! by quietly dropping what follows; comparing the newest audit entry left
//! with this mark at every open turns that silent loss into a refusal.
//!
//! The mark is one fixed-width line, `<id, 20 digits> <checksum, 16 hex>`,
//! overwritten in place (no rename or truncation, which some file systems
//! turn into a flush costing milliseconds per command). The checksum makes a
//! garbled mark an error rather than a number that happens to parse; it
//! guards against damage, not against someone who rewrites both halves.

use std::fs::File;
use std::io::ErrorKind;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

pub const FILE: &str = "acknowledged";

/// What the file says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MarkState {
    /// No file.
    Absent,
    /// A file that is not a mark written by qiangji (cut short, overwritten,
    /// a checksum that does not match); the text says what is wrong.
    Garbled(String),
    /// The newest acknowledged audit id.
    At(u64),
}

/// A 64-bit FNV-1a hash of the id's digits, salted so that a file of some
/// other program's digits does not pass.
fn checksum(digits: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in b"qiangji-acknowledged:".iter().chain(digits) {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

pub fn encode(id: u64) -> String {
    let digits = format!("{id:020}");
    let sum = checksum(digits.as_bytes());
    format!("{digits} {sum:016x}\n")
}

pub fn parse(text: &[u8]) -> MarkState {
    let Ok(text) = std::str::from_utf8(text) else {
        return MarkState::Garbled("not text".into());
    };
    let Some(line) = text.strip_suffix('\n') else {
        return MarkState::Garbled("cut short".into());
    };
    // Marks written before the checksum was added: exactly 20 digits. They
    // are read as they are and replaced by the checksummed form on the next
    // change.
    if line.len() == 20 && line.bytes().all(|b| b.is_ascii_digit()) {
        return line
            .parse()
            .map(MarkState::At)
            .unwrap_or_else(|_| MarkState::Garbled("not a number".into()));
    }
    let Some((digits, sum)) = line.split_once(' ') else {
        return MarkState::Garbled("no checksum".into());
    };
    if digits.len() != 20 || !digits.bytes().all(|b| b.is_ascii_digit()) || sum.len() != 16 {
        return MarkState::Garbled("wrong layout".into());
    }
    match (digits.parse::<u64>(), u64::from_str_radix(sum, 16)) {
        (Ok(id), Ok(sum)) if sum == checksum(digits.as_bytes()) => MarkState::At(id),
        _ => MarkState::Garbled("checksum does not match".into()),
    }
}

/// Reads the mark in `dir`. A file that cannot be read (permissions) is an
/// error, not an absent mark.
pub fn read(dir: &Path) -> std::io::Result<MarkState> {
    match std::fs::read(dir.join(FILE)) {
        Ok(bytes) => Ok(parse(&bytes)),
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(MarkState::Absent),
        Err(e) => Err(e),
    }
}

/// Writes a mark in `dir` and makes it durable: at creation and when a user
/// accepts a loss, never per command.
pub fn write_durably(dir: &Path, id: u64) -> std::io::Result<()> {
    let f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(false)
        .open(dir.join(FILE))?;
    f.write_all_at(encode(id).as_bytes(), 0)?;
    // A mark longer than ours (another format) must not keep a tail.
    f.set_len(encode(id).len() as u64)?;
    f.sync_all()
}

/// The open mark of a writable database.
pub struct Mark {
    path: PathBuf,
    state: Mutex<Writer>,
}

struct Writer {
    file: Option<File>,
    /// The id the file says now.
    last: u64,
}

impl Mark {
    pub fn new(dir: &Path, last: u64) -> Mark {
        Mark {
            path: dir.join(FILE),
            state: Mutex::new(Writer { file: None, last }),
        }
    }

    /// The precondition of a command: the mark can be written. Opens the
    /// file for writing and writes what it already says, so an immutable
    /// (`chattr +i`), read-only or unwritable mark refuses the command before
    /// its transaction instead of after it committed.
    pub fn prepare(&self) -> std::io::Result<()> {
        let mut w = self.state.lock().unwrap_or_else(|p| p.into_inner());
        if w.file.is_none() {
            let f = std::fs::OpenOptions::new()
                .write(true)
                .create(true)
                .truncate(false)
                .open(&self.path)?;
            w.file = Some(f);
        }
        let text = encode(w.last);
        if let Some(f) = w.file.as_ref() {
            f.write_all_at(text.as_bytes(), 0)?;
        }
        Ok(())
    }

    /// Records that everything up to `audit_id` is durable. Called after the
    /// flush, so it never claims more than is on disk (a crash in between
    /// leaves it behind, which only weakens the check).
    pub fn note(&self, audit_id: u64) -> std::io::Result<()> {
        let mut w = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let Some(f) = w.file.as_ref() else {
            return Err(std::io::Error::other("the mark was not prepared"));
        };
        f.write_all_at(encode(audit_id).as_bytes(), 0)?;
        w.last = w.last.max(audit_id);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mark_reads_back_and_a_changed_digit_is_garbled() {
        for id in [0, 1, 4_820, u64::MAX] {
            assert_eq!(parse(encode(id).as_bytes()), MarkState::At(id));
        }
        let mut bytes = encode(4_820).into_bytes();
        bytes[17] = b'9';
        assert!(matches!(parse(&bytes), MarkState::Garbled(_)));
        assert!(matches!(parse(b""), MarkState::Garbled(_)));
        assert!(matches!(parse(b"12345\n"), MarkState::Garbled(_)));
        assert!(matches!(parse(&[0xff, 0x00, b'\n']), MarkState::Garbled(_)));
        // The format before the checksum.
        assert_eq!(
            parse(b"00000000000000004820\n"),
            MarkState::At(4_820),
            "legacy mark"
        );
    }
}
