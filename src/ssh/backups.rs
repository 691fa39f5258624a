//! The server's own backups (`serve --backup-dir DIR`): the process that
//! holds the database writes a backup of one moment (`registry::backup`)
//! every `--backup-every`, and before every bulk change (an import, a
//! rollover; see `registry::bulk`), whoever sends it.
//!
//! - Names sort by time, in Qingdao time: `qiangji-20261203-145643.backup`,
//!   `qiangji-20261203-150112-before-import.backup`.
//! - Written whole or not at all (`atomic_file`), readable by the service's
//!   account alone (0600: they hold names and phone numbers).
//! - Rotation keeps the newest `--backup-keep` and, besides them, the newest
//!   of every month; it removes only files named as above.
//! - A backup that fails (a full disk, a directory it may not write) is
//!   logged and shown to admins on the dashboard's overview; the service
//!   goes on, and the next one is tried sooner.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use chrono::{DateTime, Datelike, NaiveDateTime, Utc};

use crate::i18n::{Lang, Localized};
use crate::registry::bulk::Bulk;
use crate::registry::{Registry, backup, shanghai};

const PREFIX: &str = "qiangji-";
const SUFFIX: &str = ".backup";
const STAMP: &str = "%Y%m%d-%H%M%S";
/// After a failure the next scheduled backup is tried this soon (or at the
/// interval, if shorter).
const RETRY: Duration = Duration::from_secs(10 * 60);

/// `--backup-dir`, `--backup-every`, `--backup-keep`.
#[derive(Clone, Debug)]
pub struct Schedule {
    pub dir: PathBuf,
    pub every: Duration,
    pub keep: u32,
}

/// Why a backup is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Why {
    Scheduled,
    Before(Bulk),
}

/// A backup that could not be written, in both languages.
#[derive(Clone, Debug)]
struct Failure {
    at: DateTime<Utc>,
    zh: String,
    en: String,
}

pub struct Backups {
    pub schedule: Schedule,
    /// One backup at a time.
    writing: Mutex<()>,
    failure: Mutex<Option<Failure>>,
}

impl Backups {
    pub fn new(schedule: Schedule) -> Backups {
        Backups {
            schedule,
            writing: Mutex::new(()),
            failure: Mutex::new(None),
        }
    }

    /// Writes a backup now, then rotates; the file written, or none when it
    /// failed. Logged either way; a failure is kept for the admins'
    /// overview until a backup succeeds.
    pub fn take(&self, registry: &Registry, why: Why) -> Option<PathBuf> {
        let _one = self.writing.lock().unwrap_or_else(|p| p.into_inner());
        let now = registry.now();
        match self.write(registry, now, why) {
            Ok((path, summary)) => {
                tracing::info!(
                    file = %path.display(),
                    records = summary.records,
                    bytes = summary.bytes,
                    "backup written{}",
                    match why {
                        Why::Scheduled => String::new(),
                        Why::Before(b) => format!(" before {}", b.word()),
                    }
                );
                *self.failure.lock().unwrap_or_else(|p| p.into_inner()) = None;
                self.rotate();
                Some(path)
            }
            Err((zh, en)) => {
                tracing::error!(dir = %self.schedule.dir.display(), "backup failed: {en}; the service goes on");
                *self.failure.lock().unwrap_or_else(|p| p.into_inner()) =
                    Some(Failure { at: now, zh, en });
                None
            }
        }
    }

    fn write(
        &self,
        registry: &Registry,
        now: DateTime<Utc>,
        why: Why,
    ) -> Result<(PathBuf, backup::Summary), (String, String)> {
        let dir = &self.schedule.dir;
        // In plain words for the overview; the system's own detail (errno)
        // in the English line, which the log shows.
        let both = |e: &std::io::Error, path: &Path| {
            let problem = crate::store::IoProblem::of_io(e);
            (
                format!(
                    "无法写入 {}：{}",
                    path.display(),
                    problem.describe(Lang::Zh)
                ),
                format!(
                    "cannot write {}: {} ({e})",
                    path.display(),
                    problem.describe(Lang::En)
                ),
            )
        };
        make_dir(dir).map_err(|e| both(&e, dir))?;
        let path = free_name(dir, now, why);
        let mut out = crate::atomic_file::AtomicFile::create(&path).map_err(|e| both(&e, &path))?;
        let summary = backup::write(registry, &mut out)
            .map_err(|e| (e.localized(Lang::Zh), e.localized(Lang::En)))?;
        out.commit().map_err(|e| both(&e, &path))?;
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))
            .map_err(|e| both(&e, &path))?;
        Ok((path, summary))
    }

    /// Removes what the rotation does not keep, and temporary files an
    /// interrupted backup left (one backup at a time, so none is being
    /// written now).
    fn rotate(&self) {
        let Ok(entries) = std::fs::read_dir(&self.schedule.dir) else {
            return;
        };
        let mut kept = Vec::new();
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with(&format!(".{PREFIX}")) && name.ends_with(".partial") {
                let _ = std::fs::remove_file(entry.path());
            } else if let Some(at) = stamp_of(&name) {
                kept.push((name, at));
            }
        }
        for name in to_remove(kept, self.schedule.keep as usize) {
            match std::fs::remove_file(self.schedule.dir.join(&name)) {
                Ok(()) => tracing::info!(file = %name, "old backup removed"),
                Err(e) => tracing::warn!(file = %name, error = %e, "old backup not removed"),
            }
        }
    }

    /// How long until the next scheduled backup: an interval after the
    /// newest backup in the directory (so a restart keeps the rhythm), now
    /// if there is none.
    pub fn due_in(&self, now: DateTime<Utc>) -> Duration {
        let newest = std::fs::read_dir(&self.schedule.dir)
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|e| stamp_of(&e.file_name().to_string_lossy()))
            .max();
        let Some(newest) = newest else {
            return Duration::ZERO;
        };
        let since = shanghai(now).naive_local() - newest;
        let since = since.to_std().unwrap_or(Duration::ZERO);
        self.schedule.every.saturating_sub(since)
    }

    /// How long to wait after a scheduled backup that succeeded or failed.
    pub fn next_after(&self, ok: bool) -> Duration {
        if ok {
            self.schedule.every
        } else {
            self.schedule.every.min(RETRY)
        }
    }

    /// The last backup failed: one line for admins, in `lang`.
    pub fn failure(&self, lang: Lang) -> Option<String> {
        let f = self
            .failure
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()?;
        let at = shanghai(f.at).format("%Y-%m-%d %H:%M");
        Some(match lang {
            Lang::Zh => format!("备份失败（{at}）：{}；服务照常运行，请检查备份目录", f.zh),
            Lang::En => format!(
                "backup failed ({at}): {}; the service goes on, check the backup directory",
                f.en
            ),
        })
    }
}

/// Makes the backup directory (0700) if it is not there.
fn make_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
}

/// The backup's file name at `now`, not yet taken in `dir`.
fn free_name(dir: &Path, now: DateTime<Utc>, why: Why) -> PathBuf {
    let stamp = shanghai(now).format(STAMP);
    let what = match why {
        Why::Scheduled => String::new(),
        Why::Before(b) => format!("-before-{}", b.word()),
    };
    let mut n = 1;
    loop {
        let again = if n == 1 {
            String::new()
        } else {
            format!("-{n}")
        };
        let path = dir.join(format!("{PREFIX}{stamp}{what}{again}{SUFFIX}"));
        if !path.exists() {
            return path;
        }
        n += 1;
    }
}

/// When a backup named `name` was written (Qingdao time), if it is one of
/// ours.
fn stamp_of(name: &str) -> Option<NaiveDateTime> {
    let rest = name.strip_prefix(PREFIX)?;
    rest.strip_suffix(SUFFIX)?;
    NaiveDateTime::parse_from_str(rest.get(..15)?, STAMP).ok()
}

/// Which of `backups` (name, time) go: all but the newest `keep` and the
/// newest of each month.
fn to_remove(mut backups: Vec<(String, NaiveDateTime)>, keep: usize) -> Vec<String> {
    backups.sort_by(|a, b| (b.1, &b.0).cmp(&(a.1, &a.0)));
    let mut months = Vec::new();
    let mut gone = Vec::new();
    for (i, (name, at)) in backups.into_iter().enumerate() {
        let month = (at.year(), at.month());
        let first_of_month = !months.contains(&month);
        if first_of_month {
            months.push(month);
        }
        if i >= keep && !first_of_month {
            gone.push(name);
        }
    }
    gone
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, STAMP).unwrap()
    }

    #[test]
    fn names_sort_by_time_and_only_ours_are_read_back() {
        assert_eq!(
            stamp_of("qiangji-20261203-145643.backup"),
            Some(at("20261203-145643"))
        );
        assert_eq!(
            stamp_of("qiangji-20261203-145643-before-import-2.backup"),
            Some(at("20261203-145643"))
        );
        for other in [
            "notes.txt",
            "qiangji-20261203.backup",
            "qiangji-20261203-145643.backup.old",
            ".qiangji-20261203-145643.backup.x1.partial",
            "qiangji-2026120-3145643.backup",
        ] {
            assert_eq!(stamp_of(other), None, "{other}");
        }
    }

    #[test]
    fn the_newest_n_are_kept_and_the_newest_of_each_month() {
        let backups: Vec<(String, NaiveDateTime)> = [
            "20260115-020000",
            "20260131-020000",
            "20260201-020000",
            "20260228-020000",
            "20260301-020000",
            "20260302-020000",
            "20260303-020000",
            "20260304-020000",
        ]
        .iter()
        .map(|s| (format!("qiangji-{s}.backup"), at(s)))
        .collect();
        let gone = to_remove(backups.clone(), 2);
        assert_eq!(
            gone,
            [
                "qiangji-20260302-020000.backup",
                "qiangji-20260301-020000.backup",
                "qiangji-20260201-020000.backup",
                "qiangji-20260115-020000.backup",
            ]
        );
        assert!(to_remove(backups.clone(), 8).is_empty());
        // keep 1: the newest, and the newest of February and January.
        assert_eq!(to_remove(backups, 1).len(), 5);
    }

    #[test]
    fn a_second_backup_in_the_same_second_gets_its_own_name() {
        let dir = tempfile::tempdir().unwrap();
        let now = Utc::now();
        let first = free_name(dir.path(), now, Why::Before(Bulk::Import));
        std::fs::write(&first, b"x").unwrap();
        let second = free_name(dir.path(), now, Why::Before(Bulk::Import));
        assert_ne!(first, second);
        assert!(
            second
                .to_string_lossy()
                .ends_with("-before-import-2.backup")
        );
        assert_eq!(
            stamp_of(&second.file_name().unwrap().to_string_lossy()),
            stamp_of(&first.file_name().unwrap().to_string_lossy())
        );
    }
}
