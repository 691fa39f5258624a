//! The database directory as files, before sled sees it: its lock, the
//! leftovers of an interrupted snapshot, and private copies.
//!
//! Why copies: sled 0.34 has no read-only mode. Every open creates its files
//! if missing, opens `db` for writing and takes an exclusive lock, zeroes
//! the torn tail of the log it recovers and writes a new snapshot
//! (`snap.<lsn>.generating`, then a rename). So an open in place of a backup
//! on read-only media fails, an open on a full disk leaves a 0-byte
//! `.generating` file that sled itself later reads as a corrupt snapshot, and
//! a failed open of a damaged database has already rewritten what a
//! specialist would need to recover it. Opening a private copy instead keeps
//! the original byte for byte: read-only commands only ever use the copy,
//! and writing commands open the copy first so that damage is found (and
//! reported) before sled touches the real files.
//!
//! The alternatives, and why not: refusing read-only media cleanly would not
//! let anyone check a backup on a DVD or a read-only mount, which is what
//! backups are for; opening in place when the directory happens to be
//! writable would still let `check` rewrite a damaged database, the very
//! moment someone runs it. The price is the copy: the kernel copies, on two
//! threads (see `copy_database`), about 0.6 s for a 1.4 GB province database
//! into shared memory, and it needs that much room in `TMPDIR` (or
//! `/dev/shm`); a lack of room is said as such.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// sled's own lock is `flock` on the `db` file; holding it (shared to copy,
/// exclusive to clean up) keeps every sled process out meanwhile.
pub enum Held {
    Shared,
    Exclusive,
}

/// Why the lock could not be taken.
pub enum LockError {
    /// Another process (or a database still open in this one) holds it.
    Busy,
    Io(std::io::Error),
}

/// Takes the lock on `dir/db`, riding out the moment a just-closed database
/// of this process keeps it (sled's I/O threads close the file after `drop`
/// returns: spacejam/sled#1234).
pub fn lock(dir: &Path, how: Held) -> Result<File, LockError> {
    use rustix::fs::FlockOperation as Op;
    // Read-only: the lock must be possible on read-only media.
    let file = File::open(dir.join("db")).map_err(LockError::Io)?;
    let op = match how {
        Held::Shared => Op::NonBlockingLockShared,
        Held::Exclusive => Op::NonBlockingLockExclusive,
    };
    for attempt in 0..6 {
        match rustix::fs::flock(&file, op) {
            Ok(()) => return Ok(file),
            Err(e) if e == rustix::io::Errno::WOULDBLOCK && attempt < 5 => {
                std::thread::sleep(Duration::from_millis(100));
            }
            Err(e) if e == rustix::io::Errno::WOULDBLOCK => return Err(LockError::Busy),
            Err(e) => return Err(LockError::Io(e.into())),
        }
    }
    Err(LockError::Busy)
}

/// An interrupted snapshot: sled writes `snap.<lsn>.generating` and renames
/// it when complete, but lists it among the snapshots when it reads them, so
/// a leftover (a full disk, a kill during the write) makes every later open
/// fail as "corrupted". Deleting one is safe only while no sled process can
/// be writing it, i.e. with the exclusive lock held.
fn is_leftover(name: &str) -> bool {
    name.starts_with("snap.") && (name.ends_with(".generating") || name.ends_with(".in___motion"))
}

/// Removes sled's leftovers from `dir`. `_lock` is the exclusive lock.
/// Returns how many were removed; a leftover that cannot be removed stays
/// (the open then fails and says why).
pub fn clean_leftovers(dir: &Path, _lock: &File) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        let name = entry.file_name();
        if is_leftover(&name.to_string_lossy()) {
            match std::fs::remove_file(entry.path()) {
                Ok(()) => {
                    tracing::warn!(file = %entry.path().display(), "removed an interrupted sled snapshot");
                    removed += 1;
                }
                Err(e) => {
                    tracing::warn!(file = %entry.path().display(), error = %e, "cannot remove an interrupted sled snapshot");
                }
            }
        }
    }
    removed
}

/// Copies the database in `from` (sled's files and the mark, without
/// leftovers) into the empty directory `to`. The caller holds the lock, so
/// no writer changes the files meanwhile. `std::fs::copy` uses
/// `copy_file_range`, so the kernel copies (and file systems that can,
/// such as XFS and btrfs, share the blocks instead).
pub fn copy_database(from: &Path, to: &Path) -> Result<(), CopyError> {
    // The halves of sled's log are copied on threads of their own while
    // the rest (its blobs: a province database has thousands) is copied
    // here, so that both cores copy until the end.
    std::thread::scope(|scope| {
        let mut halves = Vec::new();
        let copied = copy_dir(from, to, &mut |from, to, offset, len| {
            halves.push(scope.spawn(move || copy_range(&from, &to, offset, len)));
        });
        let mut result = copied;
        for half in halves {
            let done = half
                .join()
                .unwrap_or_else(|_| Err(CopyError::Write(std::io::Error::other("copy stopped"))));
            result = result.and(done);
        }
        result
    })
}

/// A part of a large file to copy elsewhere: from, to, offset, length.
type Part<'a> = dyn FnMut(PathBuf, PathBuf, u64, u64) + 'a;

fn copy_dir(from: &Path, to: &Path, elsewhere: &mut Part<'_>) -> Result<(), CopyError> {
    for entry in std::fs::read_dir(from).map_err(CopyError::Read)? {
        let entry = entry.map_err(CopyError::Read)?;
        let name = entry.file_name();
        if is_leftover(&name.to_string_lossy()) {
            continue;
        }
        let kind = entry.file_type().map_err(CopyError::Read)?;
        let target = to.join(&name);
        if kind.is_dir() {
            std::fs::create_dir(&target).map_err(CopyError::Write)?;
            copy_dir(&entry.path(), &target, elsewhere)?;
        } else if kind.is_file() {
            copy_file(&entry.path(), &target, elsewhere)?;
        }
    }
    Ok(())
}

/// From this size on a file is copied in two halves, each on a thread of
/// its own: sled's log is most of a database, and one kernel copy of a
/// province database's (1.2 GB) took 1.1 s of one core.
const COPIED_IN_HALVES: u64 = 64 << 20;

fn copy_file(from: &Path, to: &Path, elsewhere: &mut Part<'_>) -> Result<(), CopyError> {
    // Reading first tells an unreadable original (permissions) from a
    // temporary directory without room.
    let source = File::open(from).map_err(CopyError::Read)?;
    let len = source.metadata().map_err(CopyError::Read)?.len();
    let dest = File::create(to).map_err(CopyError::Write)?;
    if len < COPIED_IN_HALVES {
        std::io::copy(&mut &source, &mut &dest).map_err(CopyError::Write)?;
        return Ok(());
    }
    // Each half through its own descriptors, at its own offset; the kernel
    // copies both (`std::io::copy` of a `Take<File>`).
    let half = (len / 2) & !0xfff;
    elsewhere(from.to_path_buf(), to.to_path_buf(), 0, half);
    elsewhere(from.to_path_buf(), to.to_path_buf(), half, len - half);
    Ok(())
}

fn copy_range(from: &Path, to: &Path, offset: u64, len: u64) -> Result<(), CopyError> {
    use std::io::{Read, Seek, SeekFrom};
    let mut source = File::open(from).map_err(CopyError::Read)?;
    source
        .seek(SeekFrom::Start(offset))
        .map_err(CopyError::Read)?;
    let mut dest = std::fs::OpenOptions::new()
        .write(true)
        .open(to)
        .map_err(CopyError::Write)?;
    dest.seek(SeekFrom::Start(offset))
        .map_err(CopyError::Write)?;
    let copied = std::io::copy(&mut source.take(len), &mut dest).map_err(CopyError::Write)?;
    if copied != len {
        // The lock keeps writers out, so a shorter file is a read failing.
        return Err(CopyError::Read(std::io::Error::new(
            std::io::ErrorKind::UnexpectedEof,
            format!("copied {copied} of {len} bytes"),
        )));
    }
    Ok(())
}

/// A private copy in the temporary directory, removed on drop. While it
/// exists its `.in-use` file is locked, so that another qiangji can tell a
/// copy in use from one left behind by a killed process.
pub struct PrivateCopy {
    dir: tempfile::TempDir,
    _in_use: File,
}

impl PrivateCopy {
    pub fn path(&self) -> &Path {
        self.dir.path()
    }
}

const COPY_PREFIX: &str = "qiangji-copy-";
const IN_USE: &str = ".in-use";

/// Where private copies go: `TMPDIR` when it is set; otherwise shared
/// memory (`/dev/shm`) when it has room for twice the database, since a copy
/// on disk is written back while it is read (a province `check` spent a
/// third of its time waiting on the disk); else the system's temporary
/// directory.
fn copy_root(dir: &Path) -> PathBuf {
    const SHARED_MEMORY: &str = "/dev/shm";
    if std::env::var_os("TMPDIR").is_some() {
        return std::env::temp_dir();
    }
    let room = rustix::fs::statvfs(SHARED_MEMORY)
        .map(|s| s.f_bavail.saturating_mul(s.f_frsize))
        .unwrap_or(0);
    if room > size_of_dir(dir).saturating_mul(2) {
        PathBuf::from(SHARED_MEMORY)
    } else {
        std::env::temp_dir()
    }
}

/// The bytes of the files under `dir`.
fn size_of_dir(dir: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return u64::MAX;
    };
    entries
        .flatten()
        .map(|e| match e.file_type() {
            Ok(t) if t.is_dir() => size_of_dir(&e.path()),
            _ => e.metadata().map_or(0, |m| m.len()),
        })
        .fold(0, u64::saturating_add)
}

/// A private copy of the database in `dir` (see `copy_root` for where),
/// removed when dropped.
pub fn private_copy(dir: &Path) -> Result<PrivateCopy, CopyError> {
    remove_stale_copies();
    let lock = lock(dir, Held::Shared).map_err(|e| match e {
        LockError::Busy => CopyError::Busy,
        LockError::Io(e) => CopyError::Read(e),
    })?;
    let copy = tempfile::Builder::new()
        .prefix(COPY_PREFIX)
        .tempdir_in(copy_root(dir))
        .map_err(CopyError::Write)?;
    // Locked before it gets its name: another qiangji cleaning up must never
    // find an `.in-use` it can lock while this copy is being made (it would
    // take the copy for one left behind and remove it).
    let fresh = copy.path().join(".in-use.new");
    let in_use = File::create(&fresh).map_err(CopyError::Write)?;
    rustix::fs::flock(
        &in_use,
        rustix::fs::FlockOperation::NonBlockingLockExclusive,
    )
    .map_err(|e| CopyError::Write(e.into()))?;
    std::fs::rename(&fresh, copy.path().join(IN_USE)).map_err(CopyError::Write)?;
    copy_database(dir, copy.path())?;
    drop(lock);
    Ok(PrivateCopy {
        dir: copy,
        _in_use: in_use,
    })
}

/// Copies a killed qiangji left behind (SIGKILL, a power cut): a province
/// database is hundreds of MB each. A copy whose `.in-use` lock can be
/// taken has no owner; one without the file is being created, unless it is
/// an hour old.
fn remove_stale_copies() {
    let roots = [std::env::temp_dir(), PathBuf::from("/dev/shm")];
    let entries = roots
        .iter()
        .filter_map(|root| std::fs::read_dir(root).ok())
        .flat_map(|entries| entries.flatten());
    for entry in entries {
        if !entry.file_name().to_string_lossy().starts_with(COPY_PREFIX) {
            continue;
        }
        let path = entry.path();
        let stale = match File::open(path.join(IN_USE)) {
            Ok(f) => {
                rustix::fs::flock(&f, rustix::fs::FlockOperation::NonBlockingLockExclusive).is_ok()
            }
            Err(_) => entry
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age > Duration::from_secs(3600)),
        };
        if stale {
            tracing::warn!(dir = %path.display(), "removing a private copy left behind");
            let _ = std::fs::remove_dir_all(&path);
        }
    }
}

#[derive(Debug)]
pub enum CopyError {
    Busy,
    /// The original could not be read.
    Read(std::io::Error),
    /// The copy could not be written (the temporary directory).
    Write(std::io::Error),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_interrupted_snapshots_are_leftovers() {
        assert!(is_leftover("snap.0000000000001234.generating"));
        assert!(!is_leftover("snap.0000000000001234"));
        assert!(!is_leftover("db"));
        assert!(!is_leftover("conf"));
        assert!(!is_leftover("acknowledged"));
    }

    /// A file large enough to be copied in halves arrives byte for byte,
    /// its length not a multiple of a page, beside a small one.
    #[test]
    fn a_large_file_is_copied_in_halves_byte_for_byte() {
        let dir = tempfile::tempdir().unwrap();
        let (source, target) = (dir.path().join("db-dir"), dir.path().join("copy-dir"));
        std::fs::create_dir(&source).unwrap();
        std::fs::create_dir(&target).unwrap();
        let len = COPIED_IN_HALVES as usize + 12_345;
        let mut x: u32 = 1;
        let bytes: Vec<u8> = (0..len)
            .map(|_| {
                x = x.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                (x >> 24) as u8
            })
            .collect();
        std::fs::write(source.join("db"), &bytes).unwrap();
        std::fs::write(source.join("conf"), b"small").unwrap();
        copy_database(&source, &target).unwrap();
        assert_eq!(std::fs::read(target.join("conf")).unwrap(), b"small");
        assert!(
            std::fs::read(target.join("db")).unwrap() == bytes,
            "the copy differs"
        );
    }
}
