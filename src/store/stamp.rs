//! The clean-close stamp: what lets an open skip the private copy.
//!
//! The copy (see `files`) exists so that sled's recovery never rewrites a
//! damaged database. A database that qiangji itself closed cleanly, and
//! whose files nobody touched since, has nothing for sled to recover; copying
//! it again costs a province database its first second. So a clean close
//! writes this stamp beside sled's files: every file's name, size, inode,
//! modification and change time (the change time moves on any write or
//! `chmod` and cannot be set back by `touch`), with a checksum. An open that
//! finds the stamp equal to the files as they are now removes it first (a
//! crash while open must bring the copy back) and opens in place; any
//! difference, a garbled or missing stamp, means the copy as before.

use std::io::Write;
use std::os::unix::fs::MetadataExt;
use std::path::Path;

pub const FILE: &str = "closed-cleanly";

/// The files of the database in `dir` as one text, sorted by path (the
/// stamp itself is not part of it), and the newest change time among them.
pub fn describe(dir: &Path) -> std::io::Result<(String, (i64, i64))> {
    let mut lines = Vec::new();
    let mut newest = (i64::MIN, 0);
    describe_into(dir, Path::new(""), &mut lines, &mut newest)?;
    lines.sort();
    Ok((lines.join("\n"), newest))
}

fn describe_into(
    dir: &Path,
    relative: &Path,
    lines: &mut Vec<String>,
    newest: &mut (i64, i64),
) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir.join(relative))? {
        let entry = entry?;
        let name = relative.join(entry.file_name());
        if name == Path::new(FILE) {
            continue;
        }
        let meta = entry.metadata()?;
        if meta.is_dir() {
            describe_into(dir, &name, lines, newest)?;
            continue;
        }
        *newest = (*newest).max((meta.ctime(), meta.ctime_nsec()));
        lines.push(format!(
            "{} {} {} {}.{} {}.{}",
            name.display(),
            meta.len(),
            meta.ino(),
            meta.mtime(),
            meta.mtime_nsec(),
            meta.ctime(),
            meta.ctime_nsec()
        ));
    }
    Ok(())
}

/// A 64-bit FNV-1a hash, salted, so that a cut-short stamp never matches.
fn checksum(text: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in b"qiangji-closed-cleanly:".iter().chain(text.as_bytes()) {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// Writes the stamp for the files in `dir` as they are now. The caller holds
/// the exclusive lock, so sled's threads have closed every file.
///
/// The kernel keeps change times to its clock tick (milliseconds), so a write
/// in the same tick as the last described one would leave a file's change
/// time as described. The stamp is therefore made strictly newer than every
/// file it describes (rewritten a tick later if need be): any later write
/// gives a file a change time at least the stamp's, which the description
/// cannot hold.
pub fn write(dir: &Path) -> std::io::Result<()> {
    for _ in 0..50 {
        let (files, newest) = describe(dir)?;
        let text = format!("{:016x}\n{files}", checksum(&files));
        let mut f = std::fs::File::create(dir.join(FILE))?;
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
        let own = f.metadata()?;
        if (own.ctime(), own.ctime_nsec()) > newest {
            return Ok(());
        }
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    std::fs::remove_file(dir.join(FILE))?;
    Err(std::io::Error::other(
        "the clock did not move past the files' change times",
    ))
}

/// Whether `dir` holds a stamp that describes its files exactly.
pub fn matches(dir: &Path) -> bool {
    let Ok(text) = std::fs::read_to_string(dir.join(FILE)) else {
        return false;
    };
    let Some((sum, files)) = text.split_once('\n') else {
        return false;
    };
    if u64::from_str_radix(sum, 16).ok() != Some(checksum(files)) {
        return false;
    }
    describe(dir).is_ok_and(|(now, _)| now == files)
}

/// Removes the stamp before the files may change, durably: the directory is
/// synced, so that after a power cut the stamp cannot outlive the changes it
/// no longer describes. An error (read-only media, another process removed it
/// first) means: do not open in place.
pub fn remove(dir: &Path) -> std::io::Result<()> {
    std::fs::remove_file(dir.join(FILE))?;
    std::fs::File::open(dir)?.sync_all()
}

/// Writes the stamp when dropped, once sled has closed the files: the last
/// field of a store opened in place. It holds the last handle on sled's
/// database, so that the close's final flush is seen to succeed.
pub struct OnClose {
    dir: std::path::PathBuf,
    db: Option<sled::Db>,
}

impl OnClose {
    pub fn new(dir: &Path, db: &sled::Db) -> OnClose {
        OnClose {
            dir: dir.to_path_buf(),
            db: Some(db.clone()),
        }
    }
}

impl Drop for OnClose {
    fn drop(&mut self) {
        let Some(db) = self.db.take() else {
            return;
        };
        if let Err(e) = db.flush() {
            tracing::debug!(dir = %self.dir.display(), error = ?e, "no clean-close stamp: the last flush failed");
            return;
        }
        drop(db);
        // The exclusive lock waits for sled's threads to close `db`
        // (milliseconds: polled finely, since every command's exit waits
        // for it); if another process holds it, the files are not ours to
        // describe.
        let Some(lock) = lock_when_closed(&self.dir) else {
            tracing::debug!(dir = %self.dir.display(), "no clean-close stamp: the lock is held");
            return;
        };
        if let Err(e) = write(&self.dir) {
            tracing::debug!(dir = %self.dir.display(), error = %e, "no clean-close stamp");
            let _ = std::fs::remove_file(self.dir.join(FILE));
        }
        drop(lock);
    }
}

/// The exclusive lock on `dir/db`, polled every millisecond for up to a
/// second; none if it stays held.
fn lock_when_closed(dir: &Path) -> Option<std::fs::File> {
    use rustix::fs::FlockOperation as Op;
    let file = std::fs::File::open(dir.join("db")).ok()?;
    for _ in 0..1000 {
        match rustix::fs::flock(&file, Op::NonBlockingLockExclusive) {
            Ok(()) => return Some(file),
            Err(e) if e == rustix::io::Errno::WOULDBLOCK => {
                std::thread::sleep(std::time::Duration::from_millis(1));
            }
            Err(_) => return None,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stamp_matches_until_a_file_changes_and_a_cut_one_never() {
        let dir = tempfile::tempdir().expect("dir");
        std::fs::write(dir.path().join("db"), b"abc").expect("db");
        std::fs::create_dir(dir.path().join("blobs")).expect("blobs");
        std::fs::write(dir.path().join("blobs/1"), b"x").expect("blob");
        assert!(!matches(dir.path()), "no stamp yet");
        write(dir.path()).expect("stamp");
        assert!(matches(dir.path()));

        // Same size, same content: the change time still moves.
        std::fs::write(dir.path().join("blobs/1"), b"x").expect("rewrite");
        assert!(!matches(dir.path()));
        write(dir.path()).expect("stamp");
        assert!(matches(dir.path()));

        // A new file (a leftover snapshot) is a difference too.
        std::fs::write(dir.path().join("snap.1.generating"), b"").expect("leftover");
        assert!(!matches(dir.path()));
        std::fs::remove_file(dir.path().join("snap.1.generating")).expect("rm");
        write(dir.path()).expect("stamp");

        let full = std::fs::read(dir.path().join(FILE)).expect("read");
        std::fs::write(dir.path().join(FILE), &full[..full.len() - 3]).expect("cut");
        assert!(!matches(dir.path()), "a cut stamp");

        write(dir.path()).expect("stamp");
        remove(dir.path()).expect("remove");
        assert!(!matches(dir.path()));
        assert!(remove(dir.path()).is_err(), "a second remove says so");
    }
}
