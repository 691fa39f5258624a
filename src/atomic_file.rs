//! Files written whole or not at all. Every command that writes a file the
//! user named (`-o out.json`, a workbook, a journal, screenshots) writes a
//! temporary file beside it and renames it over the target only once every
//! byte is written and synced: a full disk or a failed export leaves the
//! previous file as it was, never a truncated one. Beside it, not in /tmp,
//! because a rename only replaces a file atomically within one file system.

use std::io::Write;
use std::path::{Path, PathBuf};

/// A file being written; `commit` puts it in place, dropping it uncommitted
/// removes the temporary file and leaves the target alone.
///
/// Only a regular file (or nothing) at the target is replaced. A FIFO or a
/// character device there (`-o /dev/stdout`, a named pipe another program
/// reads) is written through, as a shell's `>` would: replacing it by a
/// regular file would break it, and run as root would turn a device node
/// into a file. Anything else there (a block device, a socket, a directory)
/// is refused. A symbolic link is followed: the file it names is replaced
/// (the link stays a link); a link to nothing is refused, since creating
/// its target is how a planted link redirects a write.
pub struct AtomicFile {
    sink: Sink,
}

enum Sink {
    Temp {
        target: PathBuf,
        temp: std::io::BufWriter<tempfile::NamedTempFile>,
    },
    Through(std::io::BufWriter<std::fs::File>),
}

/// Why a target is not written, carried inside an `io::Error` so that
/// [`describe_error`] can say it in the user's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    #[error("not a regular file, a pipe or a character device")]
    NotAFile,
    #[error("a symbolic link to a file that does not exist")]
    DanglingLink,
}

impl Refused {
    fn describe(self, lang: crate::i18n::Lang) -> &'static str {
        match self {
            Refused::NotAFile => lang.pick(
                "不是普通文件（是目录、块设备或套接字），不会替换它；请换一个文件名",
                "it is not a regular file (a directory, block device or socket) and is not replaced; name another file",
            ),
            Refused::DanglingLink => lang.pick(
                "是指向不存在文件的符号链接，不会跟随它创建文件；请换一个文件名",
                "it is a symbolic link to a file that does not exist, and no file is created through it; name another file",
            ),
        }
    }

    fn of(e: &std::io::Error) -> Option<Refused> {
        e.get_ref()?.downcast_ref::<Refused>().copied()
    }
}

impl From<Refused> for std::io::Error {
    fn from(r: Refused) -> std::io::Error {
        std::io::Error::other(r)
    }
}

impl AtomicFile {
    pub fn create(target: &Path) -> std::io::Result<AtomicFile> {
        use std::io::ErrorKind;
        let link = match std::fs::symlink_metadata(target) {
            Ok(meta) => meta.file_type().is_symlink(),
            Err(e) if e.kind() == ErrorKind::NotFound => return Self::replacing(target),
            Err(e) => return Err(e),
        };
        let meta = match std::fs::metadata(target) {
            Ok(meta) => meta,
            Err(e) if link && e.kind() == ErrorKind::NotFound => {
                return Err(Refused::DanglingLink.into());
            }
            Err(e) => return Err(e),
        };
        if meta.is_file() {
            return if link {
                Self::replacing(&std::fs::canonicalize(target)?)
            } else {
                Self::replacing(target)
            };
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::FileTypeExt;
            let kind = meta.file_type();
            if kind.is_fifo() || kind.is_char_device() {
                // Opened as it is: not created, not truncated (a pipe or
                // device has nothing to truncate), not replaced.
                let file = std::fs::OpenOptions::new().write(true).open(target)?;
                return Ok(AtomicFile {
                    sink: Sink::Through(std::io::BufWriter::new(file)),
                });
            }
        }
        Err(Refused::NotAFile.into())
    }

    /// A temporary file beside `target`, renamed over it on commit.
    fn replacing(target: &Path) -> std::io::Result<AtomicFile> {
        let dir = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let temp = tempfile::Builder::new()
            .prefix(&format!(".{name}."))
            .suffix(".partial")
            .tempfile_in(dir)?;
        Ok(AtomicFile {
            sink: Sink::Temp {
                target: target.to_path_buf(),
                temp: std::io::BufWriter::new(temp),
            },
        })
    }

    /// Flushes, syncs and renames over the target; keeps an existing
    /// target's permissions, as an overwrite in place would. Written
    /// through a pipe or device: flushes.
    pub fn commit(self) -> std::io::Result<()> {
        let (target, temp) = match self.sink {
            Sink::Temp { target, temp } => (target, temp),
            Sink::Through(mut file) => return file.flush(),
        };
        let temp = temp.into_inner().map_err(|e| e.into_error())?;
        temp.as_file().sync_all()?;
        if let Ok(meta) = std::fs::metadata(&target) {
            let _ = temp.as_file().set_permissions(meta.permissions());
        } else {
            // tempfile creates 0600; a new export is as readable as any
            // file the user creates.
            use std::os::unix::fs::PermissionsExt;
            let _ = temp
                .as_file()
                .set_permissions(std::fs::Permissions::from_mode(0o644));
        }
        temp.persist(&target).map_err(|e| e.error)?;
        Ok(())
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match &mut self.sink {
            Sink::Temp { temp, .. } => temp.write(buf),
            Sink::Through(file) => file.write(buf),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match &mut self.sink {
            Sink::Temp { temp, .. } => temp.flush(),
            Sink::Through(file) => file.flush(),
        }
    }
}

/// Writes `bytes` to `target` whole or not at all.
pub fn write(target: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut f = AtomicFile::create(target)?;
    f.write_all(bytes)?;
    f.commit()
}

/// A failed write of `file` in plain words in the user's language (a full
/// disk, permissions, ...); the system's own detail goes to the log.
pub fn describe_error(file: &Path, e: &std::io::Error, lang: crate::i18n::Lang) -> String {
    use crate::i18n::Lang;
    tracing::error!(file = %file.display(), error = ?e, "cannot write");
    let problem = match Refused::of(e) {
        Some(refused) => refused.describe(lang),
        None => crate::store::IoProblem::of_io(e).describe(lang),
    };
    match lang {
        Lang::Zh => format!("无法写入 {}：{problem}", file.display()),
        Lang::En => format!("cannot write {}: {problem}", file.display()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leftovers(dir: &Path) -> Vec<String> {
        std::fs::read_dir(dir)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".partial"))
            .collect()
    }

    #[test]
    fn a_failed_write_leaves_the_old_file_and_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.json");
        std::fs::write(&target, b"[\"old\"]").unwrap();
        {
            let mut f = AtomicFile::create(&target).unwrap();
            f.write_all(b"[\"new, but cut sh").unwrap();
            // The writer fails here (a full disk, an export error): dropped
            // without commit.
        }
        assert_eq!(std::fs::read(&target).unwrap(), b"[\"old\"]");
        assert!(leftovers(dir.path()).is_empty());

        write(&target, b"[\"new\"]").unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"[\"new\"]");
        assert!(leftovers(dir.path()).is_empty());
    }

    fn kind(path: &Path) -> String {
        use std::os::unix::fs::FileTypeExt;
        let t = std::fs::symlink_metadata(path).unwrap().file_type();
        match () {
            _ if t.is_symlink() => "symlink",
            _ if t.is_fifo() => "fifo",
            _ if t.is_char_device() => "char",
            _ if t.is_block_device() => "block",
            _ if t.is_dir() => "dir",
            _ if t.is_file() => "file",
            _ => "other",
        }
        .into()
    }

    fn made(program: &str, args: &[&Path], rest: &[&str]) -> bool {
        std::process::Command::new(program)
            .args(args)
            .args(rest)
            .status()
            .is_ok_and(|s| s.success())
    }

    #[test]
    fn a_fifo_is_written_through_and_stays_a_fifo() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe");
        assert!(made("mkfifo", &[&fifo], &[]));
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || std::fs::read(fifo).unwrap())
        };
        write(&fifo, b"through the pipe").unwrap();
        assert_eq!(reader.join().unwrap(), b"through the pipe");
        assert_eq!(kind(&fifo), "fifo");
        assert!(leftovers(dir.path()).is_empty());
    }

    #[test]
    fn device_nodes_are_written_through_or_refused_never_replaced() {
        // Nodes made here, in a temporary directory (root only: mknod).
        let dir = tempfile::tempdir().unwrap();
        let null = dir.path().join("null");
        let block = dir.path().join("block");
        if !made("mknod", &[&null], &["c", "1", "3"])
            || !made("mknod", &[&block], &["b", "7", "250"])
        {
            eprintln!("mknod is not permitted here: device nodes not tested");
            return;
        }
        // A character device (this one: null) takes the bytes as it is.
        write(&null, b"gone").unwrap();
        assert_eq!(kind(&null), "char");
        // A block device is never written nor replaced.
        let e = write(&block, b"would overwrite a disk").unwrap_err();
        assert_eq!(Refused::of(&e), Some(Refused::NotAFile));
        assert_eq!(kind(&block), "block");
        let said = describe_error(&block, &e, crate::i18n::Lang::Zh);
        assert!(said.contains("不是普通文件"), "{said}");
        assert!(leftovers(dir.path()).is_empty());
    }

    #[test]
    fn a_symlink_replaces_the_file_it_names_and_a_dangling_one_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.json");
        std::fs::write(&real, b"old").unwrap();
        let link = dir.path().join("link.json");
        assert!(made(
            "ln",
            &[],
            &["-s", "real.json", link.to_str().unwrap()]
        ));
        write(&link, b"new").unwrap();
        assert_eq!(kind(&link), "symlink", "the link stays a link");
        assert_eq!(std::fs::read(&real).unwrap(), b"new");

        let dangling = dir.path().join("dangling.json");
        let nowhere = dir.path().join("nowhere.json");
        assert!(made(
            "ln",
            &[],
            &["-s", nowhere.to_str().unwrap(), dangling.to_str().unwrap()]
        ));
        let e = write(&dangling, b"x").unwrap_err();
        assert_eq!(Refused::of(&e), Some(Refused::DanglingLink));
        assert!(!nowhere.exists());
        assert_eq!(kind(&dangling), "symlink");
        let said = describe_error(&dangling, &e, crate::i18n::Lang::En);
        assert!(said.contains("symbolic link"), "{said}");

        // A directory is refused, not replaced.
        let sub = dir.path().join("sub");
        std::fs::create_dir(&sub).unwrap();
        let e = write(&sub, b"x").unwrap_err();
        assert_eq!(Refused::of(&e), Some(Refused::NotAFile));
        assert_eq!(kind(&sub), "dir");
        assert!(leftovers(dir.path()).is_empty());
    }

    #[test]
    fn a_bare_file_name_is_written_in_the_current_directory() {
        let f = AtomicFile::create(Path::new("qiangji-atomic-test.txt")).unwrap();
        drop(f);
        assert!(!Path::new("qiangji-atomic-test.txt").exists());
    }
}
