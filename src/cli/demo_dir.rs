//! The temporary directory of `qiangji --demo`.
//!
//! It is removed when the interface closes (also after SIGTERM, SIGHUP, SIGQUIT or
//! SIGINT, see `crate::signals`), but a process killed outright (SIGKILL, a
//! power cut) cannot clean up after itself. So each directory carries an
//! owner file naming its process, and the next `--demo` removes the
//! directories whose owner is gone. A directory is only removed when that is
//! certain: its owner file names a process that no longer runs, or (made by
//! an older qiangji, without an owner file) its database file exists and no
//! process holds sled's lock on it. Anything unclear is left alone.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// Every demo directory's name starts with this, in the temporary directory.
pub const PREFIX: &str = "qiangji-demo-";
/// The owner file: `<pid> <start time>` of the process that made the directory.
const OWNER_FILE: &str = "owner";
/// The database inside the directory (a subdirectory, so sled's directory
/// holds only sled's files).
const DB_DIR: &str = "db";

/// A demo directory owned by this process, removed when dropped.
pub struct DemoDir {
    dir: tempfile::TempDir,
}

impl DemoDir {
    /// Removes stale demo directories in the temporary directory, then makes
    /// a new one with this process as its owner.
    pub fn create() -> io::Result<DemoDir> {
        DemoDir::create_in(&std::env::temp_dir())
    }

    pub fn create_in(parent: &Path) -> io::Result<DemoDir> {
        remove_stale(parent);
        let dir = tempfile::Builder::new().prefix(PREFIX).tempdir_in(parent)?;
        let me = Owner::current().ok_or_else(|| io::Error::other("no process id"))?;
        fs::write(dir.path().join(OWNER_FILE), me.to_line())?;
        Ok(DemoDir { dir })
    }

    /// Where the demo database goes.
    pub fn db_path(&self) -> PathBuf {
        self.dir.path().join(DB_DIR)
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for DemoDir {
    /// A stop signal can end the interface while the demo is still being
    /// written on its worker thread, which may add a file between the
    /// removal's listing and its last step: try again a few times.
    fn drop(&mut self) {
        let path = self.dir.path();
        for _ in 0..5 {
            if fs::remove_dir_all(path).is_ok() || !path.exists() {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    }
}

/// Removes every demo directory in `parent` whose owner is certainly gone;
/// returns how many were removed. Failures are logged and skipped: a stale
/// directory that cannot be removed must not stop a new demo.
pub fn remove_stale(parent: &Path) -> usize {
    let Ok(entries) = fs::read_dir(parent) else {
        return 0;
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        let name = entry.file_name();
        if !name.to_string_lossy().starts_with(PREFIX) {
            continue;
        }
        let path = entry.path();
        if is_stale(&path) {
            match fs::remove_dir_all(&path) {
                Ok(()) => {
                    tracing::info!(dir = %path.display(), "removed a stale demo directory");
                    removed += 1;
                }
                Err(e) => {
                    tracing::warn!(dir = %path.display(), error = %e, "stale demo directory kept")
                }
            }
        }
    }
    removed
}

/// True when `dir` is a demo directory of this user whose process is gone.
fn is_stale(dir: &Path) -> bool {
    // Not a symlink, and ours: another user's directory is theirs to clean.
    let Ok(meta) = fs::symlink_metadata(dir) else {
        return false;
    };
    if !meta.is_dir() || !owned_by_me(&meta) {
        return false;
    }
    match fs::read_to_string(dir.join(OWNER_FILE)) {
        Ok(text) => match Owner::parse(&text) {
            Some(owner) => !owner.is_running(),
            // Being written right now, or damaged: not certain.
            None => false,
        },
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            // An older qiangji kept the database in the directory itself:
            // its sled file `db`, locked while that qiangji runs.
            let db = dir.join("db");
            fs::symlink_metadata(&db).is_ok_and(|m| m.is_file()) && unlocked_database(&db)
        }
        Err(_) => false,
    }
}

#[cfg(unix)]
fn owned_by_me(meta: &fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    // SAFETY: geteuid has no preconditions and cannot fail.
    meta.uid() == unsafe { libc::geteuid() }
}

#[cfg(not(unix))]
fn owned_by_me(_: &fs::Metadata) -> bool {
    true
}

/// True when `db` is a file that no process holds sled's lock on. sled
/// locks its `db` file with `flock` for as long as the database is open.
#[cfg(unix)]
fn unlocked_database(db: &Path) -> bool {
    use std::os::fd::AsRawFd;
    let Ok(file) = fs::File::open(db) else {
        return false;
    };
    // SAFETY: the descriptor is open for the duration of the call; the lock
    // is released when `file` is closed at the end of this function.
    let got = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) };
    got == 0
}

#[cfg(not(unix))]
fn unlocked_database(_: &Path) -> bool {
    false
}

/// A process, named by its id and its start time: the pair stays unique
/// when the id is reused by a later process.
#[derive(Debug, PartialEq, Eq)]
struct Owner {
    pid: u32,
    /// Clock ticks after boot (field 22 of `/proc/PID/stat`); 0 where unknown.
    started: u64,
}

impl Owner {
    fn current() -> Option<Owner> {
        let pid = std::process::id();
        Some(Owner {
            pid,
            started: start_time(pid).unwrap_or(0),
        })
    }

    fn to_line(&self) -> String {
        format!("{} {}\n", self.pid, self.started)
    }

    fn parse(text: &str) -> Option<Owner> {
        // Only a whole line counts: a file being written is not read as a pid.
        let line = text.strip_suffix('\n')?;
        let (pid, started) = line.split_once(' ')?;
        Some(Owner {
            pid: pid.parse().ok()?,
            started: started.parse().ok()?,
        })
    }

    /// Whether the process still runs. Where `/proc` cannot tell, it is
    /// taken to run, so nothing is removed on a guess.
    fn is_running(&self) -> bool {
        if !Path::new("/proc/self/stat").exists() {
            return true;
        }
        match start_time(self.pid) {
            None => false,
            Some(started) => self.started == 0 || started == self.started,
        }
    }
}

/// A process's start time from `/proc/PID/stat`, or None if it does not run.
fn start_time(pid: u32) -> Option<u64> {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name (field 2) is in parentheses and may hold spaces.
    let after_name = &stat[stat.rfind(')')? + 1..];
    // Fields from 3 on; the start time is field 22.
    after_name.split_whitespace().nth(19)?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owner_lines_round_trip_and_half_written_ones_are_not_read() {
        let me = Owner::current().unwrap();
        assert_eq!(Owner::parse(&me.to_line()), Some(me));
        assert_eq!(Owner::parse("123"), None);
        assert_eq!(Owner::parse("123 45"), None);
        assert_eq!(Owner::parse("x 1\n"), None);
    }

    #[test]
    fn this_process_runs_and_a_reused_pid_does_not_count() {
        let me = Owner::current().unwrap();
        assert!(me.is_running());
        if Path::new("/proc/self/stat").exists() {
            assert!(me.started > 0, "no start time read from /proc");
            let reused = Owner {
                pid: me.pid,
                started: me.started + 1,
            };
            assert!(!reused.is_running());
        }
    }

    #[test]
    fn only_stale_directories_are_removed() {
        let parent = tempfile::tempdir().unwrap();
        let live = DemoDir::create_in(parent.path()).unwrap();
        // A process that has exited: its pid no longer runs.
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let gone_pid = child.id();
        child.wait().unwrap();
        let stale = parent.path().join(format!("{PREFIX}stale"));
        fs::create_dir(&stale).unwrap();
        fs::write(stale.join(OWNER_FILE), format!("{gone_pid} 1\n")).unwrap();
        fs::create_dir(stale.join(DB_DIR)).unwrap();
        // Being created: no whole owner line yet.
        let young = parent.path().join(format!("{PREFIX}young"));
        fs::create_dir(&young).unwrap();
        fs::write(young.join(OWNER_FILE), "12").unwrap();
        // Not a demo directory at all.
        let other = parent.path().join("something-else");
        fs::create_dir(&other).unwrap();

        // Made by an older qiangji (no owner file): sled's `db` file, once
        // with no process holding its lock and once held (still running).
        let legacy = parent.path().join(format!("{PREFIX}legacy"));
        fs::create_dir(&legacy).unwrap();
        fs::write(legacy.join("db"), "sled").unwrap();
        let running = parent.path().join(format!("{PREFIX}running"));
        fs::create_dir(&running).unwrap();
        fs::write(running.join("db"), "sled").unwrap();
        let held = fs::File::open(running.join("db")).unwrap();
        {
            use std::os::fd::AsRawFd;
            // SAFETY: `held` stays open (and so locked) until the end of the test.
            let got = unsafe { libc::flock(held.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) };
            assert_eq!(got, 0);
        }

        let second = DemoDir::create_in(parent.path()).unwrap();
        assert!(!stale.exists(), "the stale directory is still there");
        assert!(
            !legacy.exists(),
            "the unlocked older directory is still there"
        );
        assert!(
            running.exists(),
            "a locked database's directory was removed"
        );
        assert!(live.path().exists() && young.exists() && other.exists());
        drop(held);
        assert!(second.path().exists());
    }
}
