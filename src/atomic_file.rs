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
pub struct AtomicFile {
    target: PathBuf,
    temp: std::io::BufWriter<tempfile::NamedTempFile>,
}

impl AtomicFile {
    pub fn create(target: &Path) -> std::io::Result<AtomicFile> {
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
            target: target.to_path_buf(),
            temp: std::io::BufWriter::new(temp),
        })
    }

    /// Flushes, syncs and renames over the target; keeps an existing
    /// target's permissions, as an overwrite in place would.
    pub fn commit(self) -> std::io::Result<()> {
        let temp = self.temp.into_inner().map_err(|e| e.into_error())?;
        temp.as_file().sync_all()?;
        if let Ok(meta) = std::fs::metadata(&self.target) {
            let _ = temp.as_file().set_permissions(meta.permissions());
        } else {
            // tempfile creates 0600; a new export is as readable as any
            // file the user creates.
            use std::os::unix::fs::PermissionsExt;
            let _ = temp
                .as_file()
                .set_permissions(std::fs::Permissions::from_mode(0o644));
        }
        temp.persist(&self.target).map_err(|e| e.error)?;
        Ok(())
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.temp.write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.temp.flush()
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
    let problem = crate::store::IoProblem::of_io(e).describe(lang);
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

    #[test]
    fn a_bare_file_name_is_written_in_the_current_directory() {
        let f = AtomicFile::create(Path::new("qiangji-atomic-test.txt")).unwrap();
        drop(f);
        assert!(!Path::new("qiangji-atomic-test.txt").exists());
    }
}
