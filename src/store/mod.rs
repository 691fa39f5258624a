//! The sled store: one tree per record kind, one tree of secondary indexes, one
//! of running balances, one of per-group counters, the audit log, and `meta`
//! with the schema version. The audit log and the ledger entries are journals
//! and most indexes posting lists, packed into few keys (see `packed`). Only
//! the registry writes here.

pub mod codec;
pub mod keys;
pub mod packed;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde::de::DeserializeOwned;
use sled::transaction::{ConflictableTransactionError, TransactionError, TransactionalTree};

pub use codec::CodecError;

use crate::i18n::{Lang, Localized};

/// The schema this build writes and understands. 2: journals and posting
/// lists (`packed`) replaced one key per audit entry, ledger entry and index
/// posting. Version 1 was only ever written by development builds.
pub const SCHEMA_VERSION: u32 = 2;
const SCHEMA_KEY: &[u8] = b"schema_version";
/// The file beside sled's that holds the newest acknowledged audit id.
const ACK_FILE: &str = "acknowledged";

/// sled's default page cache is 1 GiB. What the TUI reads again and again
/// (counters, balances, one group's lists) is a few MiB even for a province,
/// and every cached MiB is resident memory for as long as a session is open.
pub const CACHE_BYTES: u64 = 16 * 1024 * 1024;

/// The trees, in the order a transaction sees them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tree {
    Meta,
    Users,
    People,
    Coaches,
    Schools,
    Trainees,
    Assessments,
    Entries,
    Balances,
    Cycles,
    Counters,
    Index,
    Audit,
}

impl Tree {
    pub const ALL: [Tree; 13] = [
        Tree::Meta,
        Tree::Users,
        Tree::People,
        Tree::Coaches,
        Tree::Schools,
        Tree::Trainees,
        Tree::Assessments,
        Tree::Entries,
        Tree::Balances,
        Tree::Cycles,
        Tree::Counters,
        Tree::Index,
        Tree::Audit,
    ];

    fn name(self) -> &'static str {
        match self {
            Tree::Meta => "meta",
            Tree::Users => "users",
            Tree::People => "people",
            Tree::Coaches => "coaches",
            Tree::Schools => "schools",
            Tree::Trainees => "trainees",
            Tree::Assessments => "assessments",
            Tree::Entries => "entries",
            Tree::Balances => "balances",
            Tree::Cycles => "cycles",
            Tree::Counters => "counters",
            Tree::Index => "index",
            Tree::Audit => "audit",
        }
    }
}

/// Why a database could not be opened. Each is one line for the user.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error(
        "the database {path} is in use by another qiangji process; use that process (e.g. over ssh) or stop it first"
    )]
    Locked { path: PathBuf },
    #[error(
        "the database {path} has schema version {found}, newer than this qiangji understands ({supported}); upgrade qiangji"
    )]
    NewerSchema {
        path: PathBuf,
        found: u32,
        supported: u32,
    },
    #[error(
        "the database {path} has schema version {found}, written by a development build before the first release; create it again with `qiangji demo` or a new import"
    )]
    OlderSchema { path: PathBuf, found: u32 },
    #[error("the database {path} is damaged ({detail}); restore it from a backup")]
    Corrupt { path: PathBuf, detail: String },
    #[error(
        "no database at {path}; create one with `qiangji demo` or open the TUI to start an empty one"
    )]
    Missing { path: PathBuf },
    #[error("cannot open the database {path}: {detail}")]
    Io { path: PathBuf, detail: String },
}

impl Localized for OpenError {
    fn localized(&self, lang: Lang) -> String {
        if lang == Lang::En {
            return self.to_string();
        }
        match self {
            OpenError::Locked { path } => format!(
                "数据库 {} 正被另一个 qiangji 进程使用；请通过该进程（如 ssh）操作，或先将其关闭",
                path.display()
            ),
            OpenError::NewerSchema {
                path,
                found,
                supported,
            } => format!(
                "数据库 {} 的结构版本为 {found}，高于本程序支持的 {supported}；请升级 qiangji",
                path.display()
            ),
            OpenError::OlderSchema { path, found } => format!(
                "数据库 {} 的结构版本为 {found}，由正式发布前的开发版本写入；请用 `qiangji demo` 或重新导入来新建",
                path.display()
            ),
            OpenError::Corrupt { path, detail } => {
                format!("数据库 {} 已损坏（{detail}）；请从备份恢复", path.display())
            }
            OpenError::Missing { path } => format!(
                "{} 没有数据库；可用 `qiangji demo` 创建，或打开界面新建空库",
                path.display()
            ),
            OpenError::Io { path, detail } => {
                format!("无法打开数据库 {}：{detail}", path.display())
            }
        }
    }
}

/// A failure while reading or writing an open database.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("storage error: {0}")]
    Sled(String),
    #[error("damaged record in {tree}: {detail}")]
    Corrupt { tree: &'static str, detail: String },
}

impl Localized for StoreError {
    fn localized(&self, lang: Lang) -> String {
        match (self, lang) {
            (StoreError::Sled(e), Lang::Zh) => format!("存储错误：{e}"),
            (StoreError::Corrupt { tree, detail }, Lang::Zh) => {
                format!("{tree} 中有损坏的记录：{detail}；请运行 qiangji check 并从备份恢复")
            }
            (e, Lang::En) => e.to_string(),
        }
    }
}

impl From<sled::Error> for StoreError {
    fn from(e: sled::Error) -> Self {
        StoreError::Sled(e.to_string())
    }
}

pub struct Store {
    db: sled::Db,
    trees: Vec<sled::Tree>,
    path: PathBuf,
    /// The `acknowledged` file, kept open and overwritten in place.
    acknowledged: std::sync::Mutex<Option<std::fs::File>>,
}

/// What a transaction closure may fail with: a refusal of type `E`, or a
/// conflict that sled retries.
pub type TxError<E> = ConflictableTransactionError<E>;

impl Store {
    /// Opens (creating if `create`) the database in `dir`.
    pub fn open(dir: &Path, create: bool) -> Result<Store, OpenError> {
        Store::open_with_cache(dir, create, CACHE_BYTES)
    }

    /// Opens with a page cache of `cache_bytes`: a bulk writer such as the
    /// province demo trades memory for speed.
    pub fn open_with_cache(dir: &Path, create: bool, cache_bytes: u64) -> Result<Store, OpenError> {
        let path = dir.to_path_buf();
        let exists = dir.join("conf").exists() || dir.join("db").exists();
        if !exists && !create {
            return Err(OpenError::Missing { path });
        }
        if exists && !dir.join("db").exists() {
            return Err(OpenError::Corrupt {
                path,
                detail: "the file db is missing".into(),
            });
        }
        let config = sled::Config::new()
            .path(dir)
            .cache_capacity(cache_bytes)
            .mode(sled::Mode::HighThroughput);
        // sled panics on some damaged files instead of returning an error; a
        // damaged file must still be a one-line message, so the panic is caught
        // and its default report silenced for the duration of the open.
        let mut attempt = 0;
        let db = loop {
            let db = quietly(|| config.open()).map_err(|panic| OpenError::Corrupt {
                path: path.clone(),
                detail: panic,
            })?;
            match db.map_err(|e| classify(&path, e)) {
                // sled can report its own just-closed database as still locked
                // for a moment (sled issue 1234); another process's lock stays.
                Err(OpenError::Locked { .. }) if attempt < 5 => {
                    attempt += 1;
                    std::thread::sleep(std::time::Duration::from_millis(100));
                }
                other => break other?,
            }
        };
        let mut trees = Vec::with_capacity(Tree::ALL.len());
        for t in Tree::ALL {
            trees.push(db.open_tree(t.name()).map_err(|e| classify(&path, e))?);
        }
        let store = Store {
            db,
            trees,
            path,
            acknowledged: std::sync::Mutex::new(None),
        };
        store.check_schema(exists)?;
        store.check_acknowledged()?;
        Ok(store)
    }

    /// `existed`: the files were there before this open. Every database this
    /// program creates has its schema version flushed at creation, and sled
    /// recovers a damaged log as far as its first bad record, so an existing
    /// database without one is damaged (e.g. the file overwritten or cut
    /// short), not new: refuse it rather than stamp it as an empty database.
    fn check_schema(&self, existed: bool) -> Result<(), OpenError> {
        let meta = self.tree(Tree::Meta);
        let found = meta.get(SCHEMA_KEY).map_err(|e| classify(&self.path, e))?;
        match found {
            Some(v) => {
                let bytes: [u8; 4] = v.as_ref().try_into().map_err(|_| OpenError::Corrupt {
                    path: self.path.clone(),
                    detail: "unreadable schema version".into(),
                })?;
                let found = u32::from_be_bytes(bytes);
                if found > SCHEMA_VERSION {
                    return Err(OpenError::NewerSchema {
                        path: self.path.clone(),
                        found,
                        supported: SCHEMA_VERSION,
                    });
                }
                if found < SCHEMA_VERSION {
                    return Err(OpenError::OlderSchema {
                        path: self.path.clone(),
                        found,
                    });
                }
                Ok(())
            }
            None if existed => Err(OpenError::Corrupt {
                path: self.path.clone(),
                detail: "no schema version: the files are damaged, or its creation was interrupted"
                    .into(),
            }),
            None => {
                meta.insert(SCHEMA_KEY, &SCHEMA_VERSION.to_be_bytes())
                    .map_err(|e| classify(&self.path, e))?;
                self.db.flush().map_err(|e| classify(&self.path, e))?;
                Ok(())
            }
        }
    }

    /// For tests of the newer-schema refusal.
    #[doc(hidden)]
    pub fn force_schema_version(&self, v: u32) -> Result<(), StoreError> {
        self.tree(Tree::Meta).insert(SCHEMA_KEY, &v.to_be_bytes())?;
        self.db.flush()?;
        Ok(())
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn tree(&self, t: Tree) -> &sled::Tree {
        &self.trees[t as usize]
    }

    pub fn generate_id(&self) -> Result<u64, StoreError> {
        // sled's ids start at 0; ours start at 1 so 0 never names a record.
        Ok(self.db.generate_id()? + 1)
    }

    /// Makes everything written so far durable.
    pub fn flush(&self) -> Result<(), StoreError> {
        self.db.flush()?;
        Ok(())
    }

    /// Records, beside the database, the newest audit id that is durable.
    /// sled recovers a log damaged in the middle by dropping everything after
    /// the damage, silently; this mark lets the next open notice. It is
    /// written after the flush, so it never claims more than is on disk (a
    /// crash in between leaves it behind, which only weakens the check).
    pub fn note_acknowledged(&self, audit_id: u64) -> Result<(), StoreError> {
        use std::os::unix::fs::FileExt;
        let fail = |e: std::io::Error| StoreError::Sled(format!("{ACK_FILE}: {e}"));
        let mut file = self.acknowledged.lock().unwrap_or_else(|p| p.into_inner());
        if file.is_none() {
            let f = std::fs::OpenOptions::new()
                .write(true)
                .create(true)
                .truncate(false)
                .open(self.path.join(ACK_FILE))
                .map_err(fail)?;
            *file = Some(f);
        }
        // Fixed width, written in place: no rename or truncation, which some
        // file systems turn into a flush costing milliseconds per command.
        if let Some(f) = file.as_ref() {
            f.write_all_at(format!("{audit_id:020}\n").as_bytes(), 0)
                .map_err(fail)?;
        }
        Ok(())
    }

    /// Refuses a database that lost changes it once acknowledged.
    fn check_acknowledged(&self) -> Result<(), OpenError> {
        let Ok(text) = std::fs::read_to_string(self.path.join(ACK_FILE)) else {
            return Ok(());
        };
        let Ok(acknowledged) = text.trim().parse::<u64>() else {
            return Ok(());
        };
        let newest = self
            .journal_last_id(Tree::Audit)
            .map_err(|e| OpenError::Corrupt {
                path: self.path.clone(),
                detail: e.to_string(),
            })?
            .unwrap_or(0);
        if newest < acknowledged {
            return Err(OpenError::Corrupt {
                path: self.path.clone(),
                detail: format!(
                    "changes up to audit entry {acknowledged} were saved, but the newest entry left is {newest}"
                ),
            });
        }
        Ok(())
    }

    pub fn size_on_disk(&self) -> u64 {
        self.db.size_on_disk().unwrap_or(0)
    }

    /// Runs `f` in one transaction over every tree. sled re-runs `f` on a
    /// conflict, so `f` must have no effects outside the transaction.
    pub fn transaction<R, E>(
        &self,
        f: impl Fn(&Tx<'_>) -> Result<R, TxError<E>>,
    ) -> Result<R, TxOutcome<E>> {
        use sled::Transactional;
        self.trees
            .as_slice()
            .transaction(|trees| f(&Tx { trees }))
            .map_err(|e| match e {
                TransactionError::Abort(e) => TxOutcome::Refused(e),
                TransactionError::Storage(e) => TxOutcome::Store(e.into()),
            })
    }

    pub fn get<T: DeserializeOwned>(&self, t: Tree, key: &[u8]) -> Result<Option<T>, StoreError> {
        match self.tree(t).get(key)? {
            Some(v) => Ok(Some(decode(t, &v)?)),
            None => Ok(None),
        }
    }

    /// Every value of a tree, in key order.
    pub fn values<T: DeserializeOwned>(
        &self,
        t: Tree,
    ) -> impl Iterator<Item = Result<T, StoreError>> + '_ {
        self.tree(t).iter().values().map(move |v| decode(t, &v?))
    }

    /// Every value under a key prefix.
    pub fn values_with_prefix<T: DeserializeOwned>(
        &self,
        t: Tree,
        prefix: &[u8],
    ) -> impl Iterator<Item = Result<T, StoreError>> + '_ {
        self.tree(t)
            .scan_prefix(prefix)
            .values()
            .map(move |v| decode(t, &v?))
    }

    /// Raw entries of a tree, for the consistency check.
    pub fn raw(
        &self,
        t: Tree,
    ) -> impl Iterator<Item = Result<(Vec<u8>, Vec<u8>), StoreError>> + '_ {
        self.tree(t).iter().map(|kv| {
            let (k, v) = kv?;
            Ok((k.to_vec(), v.to_vec()))
        })
    }

    pub fn len(&self, t: Tree) -> usize {
        self.tree(t).len()
    }

    pub fn is_empty(&self) -> bool {
        [
            Tree::Trainees,
            Tree::People,
            Tree::Schools,
            Tree::Entries,
            Tree::Users,
        ]
        .iter()
        .all(|t| self.tree(*t).is_empty())
    }
}

/// How a transaction ended when it did not commit.
#[derive(Debug)]
pub enum TxOutcome<E> {
    Refused(E),
    Store(StoreError),
}

pub struct Tx<'a> {
    trees: &'a [TransactionalTree],
}

impl Tx<'_> {
    fn t(&self, t: Tree) -> &TransactionalTree {
        &self.trees[t as usize]
    }

    pub fn get<T: DeserializeOwned, E: From<StoreError>>(
        &self,
        t: Tree,
        key: &[u8],
    ) -> Result<Option<T>, TxError<E>> {
        match self.t(t).get(key)? {
            Some(v) => decode(t, &v)
                .map(Some)
                .map_err(|e| ConflictableTransactionError::Abort(E::from(e))),
            None => Ok(None),
        }
    }

    pub fn contains<E>(&self, t: Tree, key: &[u8]) -> Result<bool, TxError<E>> {
        Ok(self.t(t).get(key)?.is_some())
    }

    pub fn get_raw<E>(&self, t: Tree, key: &[u8]) -> Result<Option<Vec<u8>>, TxError<E>> {
        Ok(self.t(t).get(key)?.map(|v| v.to_vec()))
    }

    pub fn put<T: Serialize, E: From<StoreError>>(
        &self,
        t: Tree,
        key: &[u8],
        value: &T,
    ) -> Result<(), TxError<E>> {
        let bytes = codec::encode(value).map_err(|e| {
            ConflictableTransactionError::Abort(E::from(StoreError::Corrupt {
                tree: t.name(),
                detail: e.to_string(),
            }))
        })?;
        self.t(t).insert(key, bytes)?;
        Ok(())
    }

    pub fn put_raw<E>(&self, t: Tree, key: &[u8], value: &[u8]) -> Result<(), TxError<E>> {
        self.t(t).insert(key, value)?;
        Ok(())
    }

    pub fn remove<E>(&self, t: Tree, key: &[u8]) -> Result<(), TxError<E>> {
        self.t(t).remove(key)?;
        Ok(())
    }
}

fn decode<T: DeserializeOwned>(t: Tree, bytes: &[u8]) -> Result<T, StoreError> {
    codec::decode(bytes).map_err(|e| StoreError::Corrupt {
        tree: t.name(),
        detail: e.to_string(),
    })
}

fn classify(path: &Path, e: sled::Error) -> OpenError {
    let path = path.to_path_buf();
    match e {
        sled::Error::Io(io) if io.to_string().contains("could not acquire lock") => {
            OpenError::Locked { path }
        }
        sled::Error::Io(io) if io.kind() == std::io::ErrorKind::UnexpectedEof => {
            OpenError::Corrupt {
                path,
                detail: io.to_string(),
            }
        }
        sled::Error::Corruption { .. } | sled::Error::Unsupported(_) => OpenError::Corrupt {
            path,
            detail: e.to_string(),
        },
        sled::Error::Io(io) => OpenError::Io {
            path,
            detail: io.to_string(),
        },
        other => OpenError::Corrupt {
            path,
            detail: other.to_string(),
        },
    }
}

/// Runs `f`, turning a panic into an error with the panic's message and keeping
/// the default panic report off the user's terminal.
fn quietly<R>(f: impl FnOnce() -> R) -> Result<R, String> {
    // The panic hook is global: swapping it per call would race with other
    // threads (one thread could restore the silent hook for good, or silence
    // another thread's panic). So one wrapper is installed once, and it stays
    // quiet only on the thread that is inside `quietly`.
    thread_local!(static QUIET: std::cell::Cell<bool> = const { std::cell::Cell::new(false) });
    static INSTALL: std::sync::Once = std::sync::Once::new();
    INSTALL.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(|q| q.get()) {
                previous(info);
            }
        }));
    });
    QUIET.with(|q| q.set(true));
    let result = catch_unwind(AssertUnwindSafe(f));
    QUIET.with(|q| q.set(false));
    result.map_err(|p| {
        p.downcast_ref::<String>()
            .cloned()
            .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_else(|| "unreadable files".to_string())
            .lines()
            .next()
            .unwrap_or_default()
            .to_string()
    })
}
