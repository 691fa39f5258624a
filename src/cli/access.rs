//! Telling "permission denied" apart from "no database". `Path::exists` is
//! false both when nothing is there and when the directory may not be
//! searched (another user's mode-700 database), so the store's open would
//! call such a database missing and offer to create one. This looks first.

use std::fs;
use std::io::ErrorKind;
use std::path::Path;

/// Err with the database directory when it, or the files sled keeps in it,
/// cannot be reached by this user.
pub fn check(dir: &Path) -> Result<(), std::path::PathBuf> {
    for path in [dir.to_path_buf(), dir.join("db"), dir.join("conf")] {
        match fs::metadata(&path) {
            Err(e) if e.kind() == ErrorKind::PermissionDenied => return Err(dir.to_path_buf()),
            Ok(meta) if meta.is_file() => {
                if let Err(e) = fs::File::open(&path)
                    && e.kind() == ErrorKind::PermissionDenied
                {
                    return Err(dir.to_path_buf());
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// An OS error in the user's language, for messages that name a path
/// (`{path}: {reason}`): the OS's own text is English only.
/// Before a database is made at `dir`: the checks of [`check`], and the
/// folder it goes in made if missing.
pub fn prepare(dir: &Path, lang: crate::i18n::Lang) -> Result<(), super::CliError> {
    use super::CliError;
    check(dir).map_err(CliError::Denied)?;
    if let Some(parent) = dir.parent() {
        fs::create_dir_all(parent).map_err(|e| {
            CliError::Message(format!("{}: {}", parent.display(), reason(&e, lang)))
        })?;
    }
    Ok(())
}

pub fn reason(e: &std::io::Error, lang: crate::i18n::Lang) -> String {
    use crate::i18n::Lang;
    let zh = match e.kind() {
        ErrorKind::PermissionDenied => "权限不足",
        ErrorKind::NotFound => "不存在",
        ErrorKind::AlreadyExists => "已存在",
        ErrorKind::NotADirectory => "路径中有一项不是目录",
        ErrorKind::IsADirectory => "是目录",
        ErrorKind::StorageFull => "磁盘已满",
        ErrorKind::ReadOnlyFilesystem => "文件系统为只读",
        ErrorKind::QuotaExceeded => "超出磁盘配额",
        _ => "读写出错",
    };
    match lang {
        Lang::Zh => zh.to_string(),
        Lang::En => match e.raw_os_error() {
            // "Permission denied (os error 13)" without the error number.
            Some(_) => {
                let text = e.to_string();
                match text.find(" (os error") {
                    Some(at) => text[..at].to_string(),
                    None => text,
                }
            }
            None => e.to_string(),
        },
    }
}
