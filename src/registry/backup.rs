//! Backups: one file holding every record of every tree at one moment, with
//! a format version and a checksum, written to any `Write` (a file, or an SSH
//! channel once a server owns the database) and restored into an empty
//! directory.
//!
//! Layout (integers little-endian):
//! `QIANGJI-BACKUP\n` · format `u32` · schema `u32` · next id `u64` ·
//! records (`tree u8`, key length `u32`, key, value length `u32`, value) ·
//! `0xFF` · record count `u64` · CRC-32 of everything before it `u32`.
//! Values are copied as stored (each already a format byte and its payload,
//! see `store::codec`); nothing here encodes or decodes a record. A backup of
//! an older schema (from `migrate::OLDEST` on) restores as it was written and
//! is then upgraded by the same chain as a database, after its checksum is
//! verified.

use std::io::{Read, Write};
use std::path::Path;

use super::Registry;
use crate::i18n::{Lang, Localized};
use crate::store::{SCHEMA_VERSION, Store, StoreError, Tree};

pub const MAGIC: &[u8; 15] = b"QIANGJI-BACKUP\n";
/// The backup format written today.
pub const FORMAT: u32 = 1;
const END: u8 = 0xFF;

/// What a backup holds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub records: u64,
    pub bytes: u64,
    /// The older schema a restored backup was upgraded from.
    pub upgraded_from: Option<u32>,
}

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("cannot write the backup: {0}")]
    Write(std::io::Error),
    #[error("cannot read the backup: {0}")]
    Read(std::io::Error),
    #[error("not a qiangji backup")]
    NotABackup,
    #[error("backup format {0} is newer than this qiangji reads ({FORMAT}); use a newer qiangji")]
    Format(u32),
    #[error(
        "the backup holds schema version {0}, which this qiangji ({SCHEMA_VERSION}) cannot read; {advice}", advice = schema_advice(*.0, Lang::En)
    )]
    Schema(u32),
    #[error("the backup (schema {from}) could not be upgraded: {reason}; nothing was restored")]
    Upgrade { from: u32, reason: String },
    #[error("the backup is incomplete (cut short); nothing was restored")]
    Truncated,
    #[error("the backup is damaged (its checksum does not match); nothing was restored")]
    Checksum,
    #[error(
        "{0} is not empty; restore into an empty directory, or add --force to put the restored database there (the old one is kept beside it)"
    )]
    NotEmpty(String),
}

impl Localized for BackupError {
    fn localized(&self, lang: Lang) -> String {
        match (self, lang) {
            (BackupError::Store(e), _) => e.localized(lang),
            // The system's words (English, maybe a temporary path) go to
            // the log; the user reads what happened in their language.
            (BackupError::Write(e), _) => {
                tracing::error!(error = ?e, "cannot write the backup");
                let problem = crate::store::IoProblem::of_io(e).describe(lang);
                match lang {
                    Lang::Zh => format!("无法写入备份：{problem}"),
                    Lang::En => format!("cannot write the backup: {problem}"),
                }
            }
            (BackupError::Read(e), _) => {
                tracing::error!(error = ?e, "cannot read the backup");
                let problem = crate::store::IoProblem::of_io(e).describe(lang);
                match lang {
                    Lang::Zh => format!("无法读取备份：{problem}"),
                    Lang::En => format!("cannot read the backup: {problem}"),
                }
            }
            (BackupError::NotABackup, Lang::Zh) => "这不是强基的备份文件".into(),
            (BackupError::Format(v), Lang::Zh) => {
                format!("备份格式 {v} 比本程序能读的（{FORMAT}）新；请使用新版强基")
            }
            (BackupError::Schema(v), Lang::Zh) => {
                format!(
                    "备份的数据版本是 {v}，本程序（{SCHEMA_VERSION}）无法读取；{}",
                    schema_advice(*v, Lang::Zh)
                )
            }
            (BackupError::Upgrade { from, reason }, Lang::Zh) => {
                format!("备份（结构版本 {from}）无法升级：{reason}；未恢复任何内容")
            }
            (BackupError::Truncated, Lang::Zh) => "备份文件不完整（被截断），未恢复任何内容".into(),
            (BackupError::Checksum, Lang::Zh) => {
                "备份文件已损坏（校验和不符），未恢复任何内容".into()
            }
            (BackupError::NotEmpty(d), Lang::Zh) => format!(
                "{d} 不是空目录；请恢复到空目录，或加 --force 把恢复的数据库放在那里（原有的会保留在旁边）"
            ),
            (e, Lang::En) => e.to_string(),
        }
    }
}

fn schema_advice(v: u32, lang: Lang) -> &'static str {
    if v > SCHEMA_VERSION {
        lang.pick("请使用新版强基", "use a newer qiangji")
    } else {
        lang.pick(
            "它由正式发布前的开发版本写入",
            "it was written by a development build before the first release",
        )
    }
}

/// A writer that counts and checksums what passes through it.
struct Summed<W> {
    inner: W,
    crc: crc32fast::Hasher,
    bytes: u64,
}

impl<W: Write> Summed<W> {
    fn put(&mut self, b: &[u8]) -> Result<(), BackupError> {
        self.crc.update(b);
        self.bytes += b.len() as u64;
        self.inner.write_all(b).map_err(BackupError::Write)
    }
}

/// Writes a backup of `registry` to `out`. Writes from other sessions of this
/// process wait until it is done, so the backup is one moment.
pub fn write(registry: &Registry, out: impl Write) -> Result<Summary, BackupError> {
    let _gate = registry.gate.lock().unwrap_or_else(|p| p.into_inner());
    let store = registry.store();
    let mut w = Summed {
        inner: std::io::BufWriter::new(out),
        crc: crc32fast::Hasher::new(),
        bytes: 0,
    };
    w.put(MAGIC)?;
    w.put(&FORMAT.to_le_bytes())?;
    w.put(&SCHEMA_VERSION.to_le_bytes())?;
    // Restored ids must not repeat: the restore moves its id counter past this.
    let next_id = store.generate_id()?;
    w.put(&next_id.to_le_bytes())?;
    let mut records = 0u64;
    for (i, t) in Tree::ALL.into_iter().enumerate() {
        for kv in store.raw(t) {
            let (k, v) = kv?;
            w.put(&[i as u8])?;
            w.put(&(k.len() as u32).to_le_bytes())?;
            w.put(&k)?;
            w.put(&(v.len() as u32).to_le_bytes())?;
            w.put(&v)?;
            records += 1;
        }
    }
    w.put(&[END])?;
    w.put(&records.to_le_bytes())?;
    let crc = w.crc.clone().finalize();
    w.inner
        .write_all(&crc.to_le_bytes())
        .map_err(BackupError::Write)?;
    w.inner.flush().map_err(BackupError::Write)?;
    Ok(Summary {
        records,
        bytes: w.bytes + 4,
        upgraded_from: None,
    })
}

struct Reader<R> {
    inner: R,
    crc: crc32fast::Hasher,
}

impl<R: Read> Reader<R> {
    fn take(&mut self, buf: &mut [u8]) -> Result<(), BackupError> {
        self.inner.read_exact(buf).map_err(|e| match e.kind() {
            std::io::ErrorKind::UnexpectedEof => BackupError::Truncated,
            _ => BackupError::Read(e),
        })?;
        self.crc.update(buf);
        Ok(())
    }
    fn u32(&mut self) -> Result<u32, BackupError> {
        let mut b = [0u8; 4];
        self.take(&mut b)?;
        Ok(u32::from_le_bytes(b))
    }
    fn u64(&mut self) -> Result<u64, BackupError> {
        let mut b = [0u8; 8];
        self.take(&mut b)?;
        Ok(u64::from_le_bytes(b))
    }
    fn bytes(&mut self, n: u32) -> Result<Vec<u8>, BackupError> {
        // A length no record has is damage, not a reason to allocate it.
        if n > 256 * 1024 * 1024 {
            return Err(BackupError::Checksum);
        }
        let mut v = vec![0u8; n as usize];
        self.take(&mut v)?;
        Ok(v)
    }
}

/// Reads a backup from `input` into a new database in `dir` (which must not
/// exist or be empty), checking the checksum before the database is
/// acknowledged. On any problem `dir` is removed again if this call made it.
pub fn restore(input: impl Read, dir: &Path) -> Result<Summary, BackupError> {
    let mut r = Reader {
        inner: std::io::BufReader::new(input),
        crc: crc32fast::Hasher::new(),
    };
    let mut magic = [0u8; 15];
    r.take(&mut magic).map_err(|e| match e {
        BackupError::Truncated => BackupError::NotABackup,
        e => e,
    })?;
    if &magic != MAGIC {
        return Err(BackupError::NotABackup);
    }
    let format = r.u32()?;
    if format != FORMAT {
        return Err(BackupError::Format(format));
    }
    let schema = r.u32()?;
    if !(super::migrate::OLDEST..=SCHEMA_VERSION).contains(&schema) {
        return Err(BackupError::Schema(schema));
    }
    let next_id = r.u64()?;
    if dir.exists()
        && std::fs::read_dir(dir)
            .map_err(BackupError::Read)?
            .next()
            .is_some()
    {
        return Err(BackupError::NotEmpty(dir.display().to_string()));
    }
    let result = (|| {
        let store = Store::open(dir, true)
            .map_err(|e| BackupError::Read(std::io::Error::other(e.localized(Lang::En))))?;
        let mut records = 0u64;
        let mut batch = sled::Batch::default();
        let mut tree = None::<u8>;
        let flush =
            |store: &Store, t: Option<u8>, batch: &mut sled::Batch| -> Result<(), BackupError> {
                if let Some(t) = t {
                    let b = std::mem::take(batch);
                    store
                        .tree(Tree::ALL[t as usize])
                        .apply_batch(b)
                        .map_err(|e| BackupError::Store(e.into()))?;
                }
                Ok(())
            };
        let mut pending = 0usize;
        loop {
            let mut t = [0u8; 1];
            r.take(&mut t)?;
            if t[0] == END {
                break;
            }
            if t[0] as usize >= Tree::ALL.len() {
                return Err(BackupError::Checksum);
            }
            if tree != Some(t[0]) || pending >= 10_000 {
                flush(&store, tree, &mut batch)?;
                tree = Some(t[0]);
                pending = 0;
            }
            let kl = r.u32()?;
            let k = r.bytes(kl)?;
            let vl = r.u32()?;
            let v = r.bytes(vl)?;
            batch.insert(k, v);
            pending += 1;
            records += 1;
        }
        let count = r.u64()?;
        let expected = r.crc.clone().finalize();
        let mut sum = [0u8; 4];
        r.inner
            .read_exact(&mut sum)
            .map_err(|_| BackupError::Truncated)?;
        if u32::from_le_bytes(sum) != expected || count != records {
            return Err(BackupError::Checksum);
        }
        if r.inner.read(&mut [0u8; 1]).map_err(BackupError::Read)? != 0 {
            return Err(BackupError::Checksum);
        }
        flush(&store, tree, &mut batch)?;
        // The checksum held: now the records may be rewritten.
        let upgraded_from = (schema < SCHEMA_VERSION).then_some(schema);
        if upgraded_from.is_some() {
            let steps = super::migrate::STEPS;
            super::migrate::chain(&store, schema, SCHEMA_VERSION, steps).map_err(|e| {
                BackupError::Upgrade {
                    from: schema,
                    reason: e.to_string(),
                }
            })?;
        }
        while store.generate_id()? < next_id {}
        let newest = store.journal_last_id(Tree::Audit)?;
        store.acknowledge(newest)?;
        Ok(Summary {
            records,
            bytes: 0,
            upgraded_from,
        })
    })();
    if result.is_err() {
        // Only what this call created: the directory was empty or missing.
        let _ = std::fs::remove_dir_all(dir);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A full disk while the backup is written: what tempfile reports names
    /// the temporary file and is in English; the user reads neither.
    #[test]
    fn a_full_disk_is_said_in_the_users_language_without_the_systems_words() {
        let io = std::io::Error::new(
            std::io::ErrorKind::StorageFull,
            "No space left on device (os error 28) at path \"/srv/.qiangji.backup.x1Y2.partial\"",
        );
        let e = BackupError::Write(io);
        assert_eq!(
            e.localized(Lang::Zh),
            "无法写入备份：磁盘已满；请腾出空间后重试"
        );
        assert_eq!(
            e.localized(Lang::En),
            "cannot write the backup: the disk is full; free some space and try again"
        );
        let read = BackupError::Read(std::io::Error::from_raw_os_error(13));
        assert!(!read.localized(Lang::Zh).contains("denied"));
    }
}
