//! Each user's uploads (`imports/` over SFTP): a directory of their own
//! beside the database (`DB.uploads/LOGIN/`, mode 700, files 600), only
//! ever read as data by the import. Bounded: 20 MiB a file, 100 MiB a user.
//! A file arrives under a temporary name and takes its own only when the
//! upload is complete, so a half-sent list is never offered.

use std::fs;
use std::io::{self, Seek, SeekFrom, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// The largest file one upload may be.
pub const MAX_FILE: u64 = 20 * 1024 * 1024;
/// The most one user's uploads may hold together.
pub const QUOTA: u64 = 100 * 1024 * 1024;
/// The longest name, in bytes.
const NAME_MAX: usize = 200;
/// What the import reads: nothing else is taken.
const EXTENSIONS: [&str; 3] = ["csv", "xlsx", "txt"];

/// One user's uploads.
#[derive(Clone, Debug)]
pub struct Uploads {
    dir: PathBuf,
    /// [`QUOTA`], smaller in tests.
    quota: u64,
}

/// An upload listed: its name, size and time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Uploaded {
    pub name: String,
    pub size: u64,
    pub modified: SystemTime,
}

/// Why an upload was refused.
#[derive(Debug)]
pub enum Refused {
    /// Not a name the import reads (`.csv`, `.xlsx`), or not a plain name.
    Name,
    /// Over [`MAX_FILE`].
    TooLarge,
    /// Over [`QUOTA`] with what is kept already.
    Quota,
    Io(io::Error),
}

impl From<io::Error> for Refused {
    fn from(e: io::Error) -> Self {
        Refused::Io(e)
    }
}

impl Uploads {
    /// `login`'s uploads for the database at `db` (the login is a checked
    /// one: letters, digits, `-`, `_`, `.`, never `..`).
    pub fn of(db: &Path, login: &str) -> Uploads {
        Uploads {
            dir: crate::ssh::hostkey::beside(db, "uploads").join(login),
            quota: QUOTA,
        }
    }

    /// Whether `name` may be an upload's: one plain name, not hidden, no
    /// control characters, ending in what the import reads.
    pub fn valid_name(name: &str) -> bool {
        let ext = name
            .rsplit_once('.')
            .map(|(_, e)| e.to_ascii_lowercase())
            .unwrap_or_default();
        !name.is_empty()
            && name.len() <= NAME_MAX
            && !name.starts_with('.')
            && !name.contains(['/', '\\'])
            && !name.chars().any(char::is_control)
            && EXTENSIONS.contains(&ext.as_str())
    }

    /// The uploads, newest first: regular files only (nothing else is ever
    /// made here, and a link would not be followed).
    pub fn list(&self) -> Vec<Uploaded> {
        let Ok(entries) = fs::read_dir(&self.dir) else {
            return Vec::new();
        };
        let mut files: Vec<Uploaded> = entries
            .flatten()
            .filter_map(|e| {
                let name = e.file_name().into_string().ok()?;
                let meta = e.path().symlink_metadata().ok()?;
                (meta.is_file() && Self::valid_name(&name)).then(|| Uploaded {
                    name,
                    size: meta.len(),
                    modified: meta.modified().unwrap_or(SystemTime::UNIX_EPOCH),
                })
            })
            .collect();
        files.sort_by(|a, b| b.modified.cmp(&a.modified).then(a.name.cmp(&b.name)));
        files
    }

    /// The upload called `name`, if there is one.
    pub fn get(&self, name: &str) -> Option<Uploaded> {
        self.list().into_iter().find(|u| u.name == name)
    }

    /// An upload's bytes, read without following a link, bounded.
    pub fn read(&self, name: &str) -> io::Result<Vec<u8>> {
        use std::io::Read;
        if !Self::valid_name(name) {
            return Err(io::ErrorKind::NotFound.into());
        }
        let file = fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NOFOLLOW)
            .open(self.dir.join(name))?;
        if !file.metadata()?.is_file() {
            return Err(io::ErrorKind::NotFound.into());
        }
        let mut bytes = Vec::new();
        file.take(MAX_FILE + 1).read_to_end(&mut bytes)?;
        Ok(bytes)
    }

    /// Removes the upload `name`.
    pub fn remove(&self, name: &str) -> io::Result<()> {
        if self.get(name).is_none() {
            return Err(io::ErrorKind::NotFound.into());
        }
        fs::remove_file(self.dir.join(name))
    }

    /// What the uploads hold together, `except` one being replaced.
    fn used(&self, except: &str) -> u64 {
        self.list()
            .iter()
            .filter(|u| u.name != except)
            .map(|u| u.size)
            .sum()
    }

    /// Starts an upload called `name`.
    pub fn begin(&self, name: &str) -> Result<Upload, Refused> {
        if !Self::valid_name(name) {
            return Err(Refused::Name);
        }
        let used = self.used(name);
        if used >= self.quota {
            return Err(Refused::Quota);
        }
        fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(&self.dir)?;
        // Unique in this process; `create_new` refuses anything already there.
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let temp = self.dir.join(format!(".{}.part-{n}", std::process::id()));
        let file = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .custom_flags(libc::O_NOFOLLOW)
            .open(&temp)?;
        Ok(Upload {
            file,
            temp,
            target: self.dir.join(name),
            room: (self.quota - used).min(MAX_FILE),
            over: None,
        })
    }
}

/// An upload on its way: a temporary file until [`Upload::finish`].
pub struct Upload {
    file: fs::File,
    temp: PathBuf,
    target: PathBuf,
    /// How large it may grow: the file limit or what the quota leaves.
    room: u64,
    /// Set once it went over: every later write and the finish refuse.
    over: Option<Over>,
}

#[derive(Clone, Copy)]
enum Over {
    File,
    Quota,
}

impl Over {
    fn refused(self) -> Refused {
        match self {
            Over::File => Refused::TooLarge,
            Over::Quota => Refused::Quota,
        }
    }
}

impl Upload {
    /// Writes `data` at `offset`.
    pub fn write_at(&mut self, offset: u64, data: &[u8]) -> Result<(), Refused> {
        let end = offset.saturating_add(data.len() as u64);
        if self.over.is_none() && end > self.room {
            self.over = Some(if end > MAX_FILE {
                Over::File
            } else {
                Over::Quota
            });
            // What came so far is of no use: give the space back now.
            let _ = self.file.set_len(0);
        }
        if let Some(over) = self.over {
            return Err(over.refused());
        }
        self.file.seek(SeekFrom::Start(offset))?;
        self.file.write_all(data)?;
        Ok(())
    }

    /// Puts the file in place under its name (replacing an older upload of
    /// that name); a refused upload is removed instead.
    pub fn finish(self) -> Result<(), Refused> {
        if let Some(over) = self.over {
            let _ = fs::remove_file(&self.temp);
            return Err(over.refused());
        }
        self.file.sync_all()?;
        fs::rename(&self.temp, &self.target)?;
        Ok(())
    }

    /// Drops an upload the client never closed.
    pub fn abandon(self) {
        let _ = fs::remove_file(&self.temp);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_names_of_lists_are_taken() {
        for good in ["list.csv", "推荐名单.xlsx", "a b.XLSX", "x.txt"] {
            assert!(Uploads::valid_name(good), "{good}");
        }
        for bad in [
            "",
            ".hidden.csv",
            "../x.csv",
            "a/b.csv",
            "run.sh",
            "x.csv\n",
            "noext",
            "a\\b.csv",
        ] {
            assert!(!Uploads::valid_name(bad), "{bad:?}");
        }
    }

    #[test]
    fn an_upload_over_the_limit_is_refused_and_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let uploads = Uploads::of(&dir.path().join("db"), "li");
        let mut up = uploads.begin("big.csv").unwrap();
        let chunk = vec![b'a'; 1 << 20];
        let mut refused = false;
        for i in 0..21u64 {
            if up.write_at(i << 20, &chunk).is_err() {
                refused = true;
                break;
            }
        }
        assert!(refused, "21 MiB is over the limit");
        assert!(matches!(up.finish(), Err(Refused::TooLarge)));
        assert!(uploads.list().is_empty());
        assert_eq!(
            fs::read_dir(&uploads.dir).unwrap().count(),
            0,
            "no temporary left"
        );

        let mut up = uploads.begin("ok.csv").unwrap();
        up.write_at(0, b"a,b\n").unwrap();
        up.finish().unwrap();
        assert_eq!(uploads.read("ok.csv").unwrap(), b"a,b\n");
        assert_eq!(uploads.list().len(), 1);
        // Another user's uploads are elsewhere.
        assert!(
            Uploads::of(&dir.path().join("db"), "wang")
                .list()
                .is_empty()
        );
    }

    #[test]
    fn the_quota_counts_what_is_kept_and_a_replaced_file_only_once() {
        let dir = tempfile::tempdir().unwrap();
        let mut uploads = Uploads::of(&dir.path().join("db"), "li");
        uploads.quota = 10;
        let put = |name: &str, bytes: &[u8]| -> Result<(), Refused> {
            let mut up = uploads.begin(name)?;
            up.write_at(0, bytes)?;
            up.finish()
        };
        put("a.csv", b"123456").unwrap();
        assert!(matches!(put("b.csv", b"12345"), Err(Refused::Quota)));
        // Replacing a.csv frees its own space first.
        put("a.csv", b"1234567890").unwrap();
        assert!(matches!(put("c.csv", b"1"), Err(Refused::Quota)));
        uploads.remove("a.csv").unwrap();
        put("c.csv", b"1").unwrap();
        assert_eq!(uploads.list().len(), 1);
    }

    #[test]
    fn a_link_in_the_uploads_is_neither_listed_nor_read() {
        let dir = tempfile::tempdir().unwrap();
        let uploads = Uploads::of(&dir.path().join("db"), "li");
        fs::create_dir_all(&uploads.dir).unwrap();
        std::os::unix::fs::symlink("/etc/passwd", uploads.dir.join("passwd.csv")).unwrap();
        assert!(uploads.list().is_empty());
        assert!(uploads.read("passwd.csv").is_err());
    }
}
