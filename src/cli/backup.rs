//! `qiangji backup FILE` and `qiangji restore FILE --db DIR [--force]`.

use std::path::{Path, PathBuf};

use super::{CliError, Global};
use crate::i18n::{Lang, Localized};
use crate::registry::backup;

/// `qiangji backup [FILE|-]`: to a file, or to standard output when none
/// (or `-`) is named and standard output is not a terminal.
pub fn backup(global: &Global, lang: Lang, file: Option<&Path>) -> Result<(), CliError> {
    let file = match file {
        Some(f) if f != Path::new("-") => f,
        _ => return backup_to_stdout(global, lang),
    };
    // A private copy: the database's own files are not touched.
    let registry = global.open_read_only()?;
    let mut out = crate::atomic_file::AtomicFile::create(file)
        .map_err(|e| CliError::Message(crate::atomic_file::describe_error(file, &e, lang)))?;
    let summary = backup::write(&registry, &mut out).map_err(|e| {
        CliError::Message(match e {
            // A full disk, permissions: said of the file the user named,
            // never of the temporary file beside it.
            backup::BackupError::Write(e) => crate::atomic_file::describe_error(file, &e, lang),
            e => e.localized(lang),
        })
    })?;
    out.commit()
        .map_err(|e| CliError::Message(crate::atomic_file::describe_error(file, &e, lang)))?;
    super::exit::say(&match lang {
        Lang::Zh => format!(
            "已备份到 {}：{} 条记录，{} 字节；可用 qiangji restore {} --db 新目录 检验",
            file.display(),
            summary.records,
            summary.bytes,
            file.display()
        ),
        Lang::En => format!(
            "backed up to {}: {} records, {} bytes; test it with qiangji restore {} --db NEW_DIR",
            file.display(),
            summary.records,
            summary.bytes,
            file.display()
        ),
    });
    Ok(())
}

fn backup_to_stdout(global: &Global, lang: Lang) -> Result<(), CliError> {
    use std::io::{IsTerminal, Write};
    if std::io::stdout().is_terminal() {
        return Err(CliError::Usage(
            lang.pick(
                "备份是二进制文件，不能显示在终端上；请写 qiangji backup 文件名，或重定向：qiangji backup - > qiangji.backup",
                "a backup is a binary file and cannot be shown in a terminal; name a file (qiangji backup FILE) or redirect: qiangji backup - > qiangji.backup",
            )
            .into(),
        ));
    }
    let registry = global.open_read_only()?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    backup::write(&registry, &mut out).map_err(|e| CliError::Message(e.localized(lang)))?;
    out.flush().map_err(|e| {
        CliError::Message(crate::atomic_file::describe_error(Path::new("-"), &e, lang))
    })
}

pub fn restore(dir: &Path, lang: Lang, file: &Path, force: bool) -> Result<(), CliError> {
    let input = crate::user_file::open(file, crate::user_file::limit::BACKUP)
        .map_err(|e| CliError::Message(crate::user_file::describe(file, &e, lang)))?;
    let occupied = dir.exists()
        && std::fs::read_dir(dir)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true);
    if occupied && !force {
        return Err(CliError::Message(
            backup::BackupError::NotEmpty(dir.display().to_string()).localized(lang),
        ));
    }
    // With --force: restore beside DIR, then swap, keeping the old database.
    let target: PathBuf = if occupied {
        let name = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        dir.with_file_name(format!(".{name}.restoring-{}", std::process::id()))
    } else {
        dir.to_path_buf()
    };
    if occupied {
        // Refuse while another process has the database open, and when
        // there is no database to replace: --force puts a database in the
        // place of a database, never in the place of other files.
        match super::open_registry(dir, false, lang) {
            Ok(registry) => drop(registry),
            Err(CliError::Open(crate::store::OpenError::Missing { .. })) => {
                return Err(CliError::Message(match lang {
                    Lang::Zh => format!(
                        "{} 不是空目录，其中也没有强基数据库；--force 只替换数据库，不替换其他文件。请恢复到空目录或新目录",
                        dir.display()
                    ),
                    Lang::En => format!(
                        "{} is not empty and holds no qiangji database; --force replaces a database, never other files: restore into an empty or new directory",
                        dir.display()
                    ),
                }));
            }
            Err(e) => return Err(e),
        }
    }
    let summary =
        backup::restore(input, &target).map_err(|e| CliError::Message(e.localized(lang)))?;
    if occupied {
        let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
        let name = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let kept = dir.with_file_name(format!("{name}.before-restore-{stamp}"));
        let io = |e: std::io::Error| {
            CliError::Message(crate::atomic_file::describe_error(dir, &e, lang))
        };
        std::fs::rename(dir, &kept).map_err(io)?;
        std::fs::rename(&target, dir).map_err(io)?;
        super::exit::say(&match lang {
            Lang::Zh => format!("原数据库保留在 {}", kept.display()),
            Lang::En => format!("the previous database is kept in {}", kept.display()),
        });
    }
    if let Some(from) = summary.upgraded_from {
        let to = crate::store::SCHEMA_VERSION;
        super::exit::say(&match lang {
            Lang::Zh => format!("备份由较早的版本写入（结构版本 {from}），已升级到 {to}"),
            Lang::En => format!("the backup was written at schema {from}; upgraded to {to}"),
        });
    }
    super::exit::say(&match lang {
        Lang::Zh => format!(
            "已从 {} 恢复 {} 条记录到 {}；正在校验：",
            file.display(),
            summary.records,
            dir.display()
        ),
        Lang::En => format!(
            "restored {} records from {} into {}; checking:",
            summary.records,
            file.display(),
            dir.display()
        ),
    });
    super::check::run(dir, false, lang)
}
