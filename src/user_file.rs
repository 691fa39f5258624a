//! Reading a small text file whose path a user gave (a keymap): only a
//! regular file, only up to a size limit, and never blocking. Without these
//! checks `--keymap /dev/zero` reads until memory runs out, a FIFO blocks
//! start-up forever and a directory gives an OS error in English only.

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

/// The whole text of the regular file at `path` (a symlink to one is fine),
/// if it holds at most `limit` bytes of UTF-8.
pub fn read_text(path: &Path, limit: u64) -> Result<String, UserFileError> {
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
    // The length can change while reading: never read more than the limit.
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(UserFileError::TooLarge { limit });
    }
    String::from_utf8(bytes).map_err(|_| UserFileError::NotText)
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
