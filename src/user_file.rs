//! Reading a file whose path a user gave (a keymap, `user add --key`,
//! `evaluation --points`, an import list, a backup to restore, the host
//! key): only a regular file, only up to a size limit, and never blocking.
//! Without these checks `--keymap /dev/zero` reads until memory runs out, a
//! FIFO blocks start-up forever and a directory gives an OS error in
//! English only. Every file option goes through here.

use std::fs;
use std::io::{self, Read};
use std::path::Path;

use crate::i18n::{Lang, Localized};

/// Why a user's file could not be read; shown after the file's name.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum UserFileError {
    #[error("no such file")]
    NotFound,
    #[error("permission denied")]
    Denied,
    #[error("not a regular file (a directory, device or pipe)")]
    NotAFile,
    #[error("larger than {limit} bytes")]
    TooLarge { limit: u64 },
    #[error("not UTF-8 text")]
    NotText,
    #[error("{0}")]
    Other(String),
}

impl Localized for UserFileError {
    fn localized(&self, lang: Lang) -> String {
        if lang == Lang::En {
            return self.to_string();
        }
        match self {
            UserFileError::NotFound => "文件不存在".into(),
            UserFileError::Denied => "没有读取权限".into(),
            UserFileError::NotAFile => "不是普通文件（是目录、设备或管道）".into(),
            UserFileError::TooLarge { limit } => format!("文件超过 {limit} 字节"),
            UserFileError::NotText => "不是 UTF-8 文本".into(),
            UserFileError::Other(_) => "读取时出错".into(),
        }
    }
}

impl From<io::Error> for UserFileError {
    fn from(e: io::Error) -> Self {
        match e.kind() {
            io::ErrorKind::NotFound => UserFileError::NotFound,
            io::ErrorKind::PermissionDenied => UserFileError::Denied,
            io::ErrorKind::IsADirectory => UserFileError::NotAFile,
            _ => UserFileError::Other(e.to_string()),
        }
    }
}

/// Size limits of the files read here.
pub mod limit {
    /// A keymap, a points table, a calendar: a page or two of TOML.
    pub const CONFIG: u64 = 1024 * 1024;
    /// A public key file (`authorized_keys` lines).
    pub const KEYS: u64 = 1024 * 1024;
    /// A backup to restore: far beyond a city's database, far below a disk.
    pub const BACKUP: u64 = 4 * 1024 * 1024 * 1024;
}

/// The regular file at `path` (a symlink to one is fine) opened for
/// reading, if it holds at most `limit` bytes; reading it never yields more
/// than `limit + 1` bytes, so a file that grows is still caught.
pub fn open(path: &Path, limit: u64) -> Result<io::Take<fs::File>, UserFileError> {
    // Looked at before opening: opening a FIFO would wait for a writer.
    if !fs::metadata(path)?.is_file() {
        return Err(UserFileError::NotAFile);
    }
    let file = open_nonblocking(path)?;
    // And again on the open file, in case the path was swapped in between.
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(UserFileError::NotAFile);
    }
    if meta.len() > limit {
        return Err(UserFileError::TooLarge { limit });
    }
    Ok(file.take(limit + 1))
}

/// The whole content of the regular file at `path`, if it holds at most
/// `limit` bytes.
pub fn read_bytes(path: &Path, limit: u64) -> Result<Vec<u8>, UserFileError> {
    let file = open(path, limit)?;
    let size = file.get_ref().metadata().map_or(0, |m| m.len());
    // The length can change while reading: never read more than the limit.
    let mut bytes = Vec::with_capacity(size.min(limit) as usize);
    let mut file = file;
    file.read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(UserFileError::TooLarge { limit });
    }
    Ok(bytes)
}

/// The whole text of the regular file at `path` (a symlink to one is fine),
/// if it holds at most `limit` bytes of UTF-8.
pub fn read_text(path: &Path, limit: u64) -> Result<String, UserFileError> {
    String::from_utf8(read_bytes(path, limit)?).map_err(|_| UserFileError::NotText)
}

/// "cannot read FILE: why", in the user's language.
pub fn describe(path: &Path, e: &UserFileError, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("无法读取 {}：{}", path.display(), e.localized(lang)),
        Lang::En => format!("cannot read {}: {}", path.display(), e.localized(lang)),
    }
}

#[cfg(unix)]
fn open_nonblocking(path: &Path) -> io::Result<fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
}

#[cfg(not(unix))]
fn open_nonblocking(path: &Path) -> io::Result<fs::File> {
    fs::File::open(path)
}
