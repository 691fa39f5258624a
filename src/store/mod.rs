//! The sled store: one tree per record kind, one tree of secondary indexes, one
//! of running balances, one of per-group counters, the audit log, and `meta`
//! with the schema version. The audit log and the ledger entries are journals
//! and most indexes posting lists, packed into few keys (see `packed`). Only
//! the registry writes here.

pub mod codec;
pub mod files;
pub mod keys;
pub mod mark;
pub mod packed;
pub mod problem;
pub mod stamp;
mod verify;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde::de::DeserializeOwned;
use sled::transaction::{ConflictableTransactionError, TransactionError, TransactionalTree};

pub use codec::CodecError;
pub use mark::MarkState;
pub use problem::IoProblem;

use crate::i18n::{Lang, Localized};

/// The schema this build writes and understands. 2: journals and posting
/// lists (`packed`) replaced one key per audit entry, ledger entry and index
/// posting. 3: users carry SSH keys and a removal, audit entries the key
/// fingerprint of who acted, the index maps fingerprints to users;
/// reinstatements keep their reason, plan edits their amendment and undos
/// name what they undid. 4: the audit trail and the users are written as
/// JSON (see `codec`), users carry their language. Versions 1 and 2 were only
/// ever written by development builds (no release had them), so they are
/// refused with the advice to create the database again; from 3 on, every
/// version is upgraded by the registry's `migrate` chain.
pub const SCHEMA_VERSION: u32 = 5;
const SCHEMA_KEY: &[u8] = b"schema_version";

/// sled's default page cache is 1 GiB. What the TUI reads again and again
/// (counters, balances, one group's lists) is a few MiB even for a province,
/// and every cached MiB is resident memory for as long as a session is open.
pub const CACHE_BYTES: u64 = 16 * 1024 * 1024;

/// The free space a command needs before its transaction: room for sled to
/// start a new segment of its log (512 KiB by default) several times over.
const MIN_FREE_BYTES: u64 = 4 * 1024 * 1024;

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
    Achievements,
    // Schema 5: training.
    Sessions,
    Classes,
    Attendance,
    Development,
    Groups,
}

impl Tree {
    pub const ALL: [Tree; 19] = [
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
        Tree::Achievements,
        Tree::Sessions,
        Tree::Classes,
        Tree::Attendance,
        Tree::Development,
        Tree::Groups,
    ];

    pub fn name(self) -> &'static str {
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
            Tree::Achievements => "achievements",
            Tree::Sessions => "sessions",
            Tree::Classes => "classes",
            Tree::Attendance => "attendance",
            Tree::Development => "development",
            Tree::Groups => "groups",
        }
    }

    /// How the tree's values are written: JSON where the types must grow
    /// without rewriting what is stored (see `codec`).
    pub fn format(self) -> codec::Format {
        match self {
            Tree::Users | Tree::Audit => codec::Format::Json,
            _ => codec::Format::Bincode2,
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
    /// An older schema whose upgrade failed; the database is as it was.
    #[error(
        "the database {path} has schema version {from}; upgrading it to {SCHEMA_VERSION} failed ({reason}); it is unchanged: keep using the earlier qiangji, or restore a backup into a new directory"
    )]
    UpgradeFailed {
        path: PathBuf,
        from: u32,
        reason: String,
    },
    /// `detail` (sled's own words, a panic message) is for the log only.
    #[error("the database {path} is damaged ({}); restore it from a backup", .reason.describe(Lang::En))]
    Corrupt {
        path: PathBuf,
        reason: Damage,
        detail: String,
    },
    #[error(
        "the database {path} is damaged: changes up to audit entry {acknowledged} were confirmed, but the newest entry left is {newest}; restore it from a backup, or accept the loss with `qiangji check --accept-loss`"
    )]
    Lost {
        path: PathBuf,
        acknowledged: u64,
        newest: u64,
    },
    #[error(
        "the database {path} cannot be verified: its mark `acknowledged` is {}, so lost changes cannot be ruled out; restore it from a backup, or accept it as it is with `qiangji check --accept-loss`", .mark.describe(Lang::En)
    )]
    Unverifiable { path: PathBuf, mark: MarkFault },
    #[error(
        "no database at {path}; create one with `qiangji demo` or open the TUI to start an empty one"
    )]
    Missing { path: PathBuf },
    /// The private copy (see `files`) could not be made in the temporary
    /// directory `temp`: not a problem of the database itself.
    #[error("cannot open the database {path}: its private copy in {temp} failed: {}; set TMPDIR to a directory with room", .problem.describe(Lang::En))]
    NoRoomForCopy {
        path: PathBuf,
        temp: PathBuf,
        problem: IoProblem,
        detail: String,
    },
    /// An environment problem (a full disk, permissions, read-only media):
    /// not damage. `detail` is for the log only.
    #[error("cannot open the database {path}: {}", .problem.describe(Lang::En))]
    Io {
        path: PathBuf,
        problem: IoProblem,
        detail: String,
    },
}

/// What is damaged, in words for the user.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Damage {
    /// sled's data file is gone.
    DbMissing,
    /// sled cannot read its files (a failed checksum, a panic on bad bytes).
    Unreadable,
    /// The files open but hold no schema version: cut short or overwritten.
    NoSchema,
    /// The audit log cannot be read.
    AuditUnreadable,
    /// The counters written with the records disagree with them.
    CountsDiffer,
}

impl Damage {
    pub fn describe(self, lang: Lang) -> &'static str {
        match self {
            Damage::DbMissing => lang.pick("数据文件 db 缺失", "the file db is missing"),
            Damage::Unreadable => lang.pick("文件无法读取", "its files cannot be read"),
            Damage::NoSchema => lang.pick(
                "没有结构版本：文件被截断或覆盖，或创建时被中断",
                "no schema version: the files are cut short or overwritten, or its creation was interrupted",
            ),
            Damage::AuditUnreadable => lang.pick("审计记录无法读取", "the audit log cannot be read"),
            Damage::CountsDiffer => lang.pick(
                "账户的记账笔数与台账索引不符，部分写入的数据已丢失",
                "an account's entry count differs from its ledger index: part of what was written is lost",
            ),
        }
    }
}

/// A damaged database's error; sled's own words go to the log.
fn damaged(path: &Path, reason: Damage, detail: impl Into<String>) -> OpenError {
    let detail = detail.into();
    tracing::error!(path = %path.display(), ?reason, %detail, "damaged database");
    OpenError::Corrupt {
        path: path.to_path_buf(),
        reason,
        detail,
    }
}

/// What is wrong with a mark that cannot vouch for the database.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MarkFault {
    Missing,
    Garbled(String),
}

impl MarkFault {
    pub fn describe(&self, lang: Lang) -> String {
        match (self, lang) {
            (MarkFault::Missing, Lang::Zh) => "缺失".into(),
            (MarkFault::Missing, Lang::En) => "missing".into(),
            (MarkFault::Garbled(_), Lang::Zh) => "已被改动或损坏".into(),
            (MarkFault::Garbled(why), Lang::En) => format!("garbled ({why})"),
        }
    }
}

impl OpenError {
    /// Whether the files themselves are damaged (as opposed to in use, of
    /// another version, or unreachable for an environment problem).
    pub fn is_damage(&self) -> bool {
        matches!(
            self,
            OpenError::Corrupt { .. } | OpenError::Lost { .. } | OpenError::Unverifiable { .. }
        )
    }
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
            OpenError::UpgradeFailed { path, from, reason } => format!(
                "数据库 {} 的结构版本为 {from}，升级到 {SCHEMA_VERSION} 失败（{reason}）；数据库没有改动：请继续用原版本的 qiangji，或把备份恢复到新目录",
                path.display()
            ),
            OpenError::Corrupt { path, reason, .. } => {
                format!(
                    "数据库 {} 已损坏（{}）；请从备份恢复",
                    path.display(),
                    reason.describe(Lang::Zh)
                )
            }
            OpenError::Missing { path } => format!(
                "{} 没有数据库；可用 `qiangji demo` 创建，或打开界面新建空库",
                path.display()
            ),
            OpenError::Lost {
                path,
                acknowledged,
                newest,
            } => format!(
                "数据库 {} 已损坏：已确认保存到审计记录 {acknowledged}，现存最新一条为 {newest}；请从备份恢复，或用 `qiangji check --accept-loss` 接受损失",
                path.display()
            ),
            OpenError::Unverifiable { path, mark } => format!(
                "数据库 {} 无法核实：其确认标记 acknowledged {}，不能排除已丢失修改；请从备份恢复，或用 `qiangji check --accept-loss` 按现状接受",
                path.display(),
                mark.describe(Lang::Zh)
            ),
            OpenError::NoRoomForCopy {
                path,
                temp,
                problem,
                ..
            } => format!(
                "无法打开数据库 {}：在 {} 建立私有副本失败：{}；请将 TMPDIR 设为有空间的目录",
                path.display(),
                temp.display(),
                problem.describe(Lang::Zh)
            ),
            OpenError::Io { path, problem, .. } => {
                format!(
                    "无法打开数据库 {}：{}",
                    path.display(),
                    problem.describe(Lang::Zh)
                )
            }
        }
    }
}

/// A failure while reading or writing an open database. The messages say
/// what happened to the change and what to do; sled's and the system's own
/// words (`Os { code: 28, .. }`) go to the log only.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// An internal failure of sled; `detail` is for the log.
    #[error("the storage failed (details in the log)")]
    Sled(String),
    /// `detail` (the decoder's words) is for the log and `check`'s list.
    #[error("a record in {tree} cannot be read; run qiangji check and restore from a backup")]
    Corrupt { tree: &'static str, detail: String },
    /// A read or write failed for an environment reason.
    #[error("{}", .problem.describe(Lang::En))]
    Io { problem: IoProblem, detail: String },
    /// The command's precondition failed: nothing was changed. `what` is
    /// the mark's file name, or "disk" for the free space.
    #[error("not saved, nothing was changed: {}", not_saved_reason(.what, .problem, Lang::En))]
    NotSaved {
        problem: IoProblem,
        what: &'static str,
        detail: String,
    },
    /// The transaction committed but could not be flushed: the change may or
    /// may not survive. Said as it is, so nobody repeats it blindly.
    #[error("the change was made but may not be on disk ({}); reload to see whether it is there before repeating it", .problem.describe(Lang::En))]
    NotDurable { problem: IoProblem, detail: String },
    /// A read-only command's copy of the database takes no changes.
    #[error("the database was opened read-only; nothing was changed")]
    ReadOnly,
}

impl Localized for StoreError {
    fn localized(&self, lang: Lang) -> String {
        match (self, lang) {
            (StoreError::Sled(_), Lang::Zh) => "存储出错（详情见日志）".into(),
            (StoreError::Corrupt { tree, .. }, Lang::Zh) => {
                format!("{tree} 中有无法读取的记录；请运行 qiangji check 并从备份恢复")
            }
            (StoreError::Io { problem, .. }, Lang::Zh) => problem.describe(Lang::Zh).into(),
            (StoreError::NotSaved { problem, what, .. }, Lang::Zh) => format!(
                "未保存，数据没有任何改动：{}",
                not_saved_reason(what, problem, Lang::Zh)
            ),
            (StoreError::NotDurable { problem, .. }, Lang::Zh) => format!(
                "修改已执行，但可能没有写入磁盘（{}）；重复操作前请先刷新查看是否已有",
                problem.describe(Lang::Zh)
            ),
            (StoreError::ReadOnly, Lang::Zh) => "数据库以只读方式打开；没有任何改动".into(),
            (e, Lang::En) => e.to_string(),
        }
    }
}

fn not_saved_reason(what: &str, problem: &IoProblem, lang: Lang) -> String {
    if what == mark::FILE {
        match lang {
            Lang::Zh => format!("无法写入确认标记 {what}（{}）", problem.describe(lang)),
            Lang::En => format!(
                "the mark `{what}` cannot be written ({})",
                problem.describe(lang)
            ),
        }
    } else {
        problem.describe(lang).to_string()
    }
}

impl From<sled::Error> for StoreError {
    fn from(e: sled::Error) -> Self {
        tracing::error!(error = ?e, "storage error");
        match &e {
            sled::Error::Io(io) => StoreError::Io {
                problem: IoProblem::of_io(io),
                detail: format!("{io:?}"),
            },
            other => StoreError::Sled(format!("{other:?}")),
        }
    }
}

impl StoreError {
    /// The same failure, said of a flush after a committed transaction.
    fn not_durable(self) -> StoreError {
        match self {
            StoreError::Io { problem, detail } => StoreError::NotDurable { problem, detail },
            StoreError::Sled(detail) => StoreError::NotDurable {
                problem: IoProblem::Other,
                detail,
            },
            other => other,
        }
    }
}

pub struct Store {
    db: sled::Db,
    trees: Vec<sled::Tree>,
    /// The database's directory, as the user named it.
    path: PathBuf,
    /// The `acknowledged` mark; none when opened read-only.
    mark: Option<mark::Mark>,
    /// What this open did to a database of an older schema.
    upgraded: Option<Upgraded>,
    /// The private copy a read-only store reads (see `files`); declared
    /// after `db` so that sled closes before the copy is removed.
    _copy: Option<files::PrivateCopy>,
    /// Stamps the files at a clean close of a store opened on them in place
    /// (see `stamp`); the last field, so that sled has closed them first.
    _closing: Option<stamp::OnClose>,
}

/// Brings a database of an older schema up to this build's. The registry's
/// (it knows every record type and how to check them); the store only
/// decides where that happens and keeps the original safe.
pub trait Upgrader {
    /// The oldest schema it can bring up; older ones are refused as before.
    fn oldest(&self) -> u32;
    /// Rewrites `store`, opened at schema `from` on files nobody else sees,
    /// to `SCHEMA_VERSION`, sets the version and checks the result. The
    /// error says why, for the message and the log.
    fn upgrade(&self, store: Store, from: u32) -> Result<Store, String>;
}

/// An open that upgraded an older database.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Upgraded {
    pub from: u32,
    pub to: u32,
    /// Where the original was kept (`DIR.before-upgrade-FROM-TIME`); none
    /// when only a private copy was upgraded (a read-only open), which
    /// leaves the database itself at its schema until a write opens it.
    pub kept: Option<PathBuf>,
}

impl Localized for Upgraded {
    fn localized(&self, lang: Lang) -> String {
        let Upgraded { from, to, kept } = self;
        match (kept, lang) {
            (Some(k), Lang::Zh) => format!(
                "数据库已从结构版本 {from} 升级到 {to}，所有记录均保留；升级前的原样保存在 {}",
                k.display()
            ),
            (Some(k), Lang::En) => format!(
                "the database was upgraded from schema {from} to {to}, every record kept; the original is kept as {}",
                k.display()
            ),
            (None, Lang::Zh) => format!(
                "数据库的结构版本为 {from}：本次只读，读取的是升级到 {to} 的私有副本；下次写入时将正式升级"
            ),
            (None, Lang::En) => format!(
                "the database has schema {from}: read through a private copy upgraded to {to}; it is upgraded itself at the next open for writing"
            ),
        }
    }
}

/// How a database is opened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// In place, for commands that change it.
    Write,
    /// For reading only (ledger, export, backup): in place when the last
    /// close was clean and nothing changed since (see `stamp`), otherwise a
    /// private copy, so that the original is never written.
    Read,
    /// A private copy, always: `check` and a specialist's look at a database
    /// that may be damaged, whatever its stamp says.
    Inspect,
    /// A private copy that takes changes, thrown away on drop: a trial run
    /// of a long series of commands (`demo --force`) that must not leave
    /// half of itself behind when one of them is refused.
    Trial,
    /// In place, accepting a missing, garbled or ahead mark: the explicit
    /// way out of `Lost` and `Unverifiable` (`qiangji check --accept-loss`).
    AcceptLoss,
}

impl Access {
    /// Whether a store opened through the copy path keeps reading the copy.
    fn reads_a_copy(self) -> bool {
        matches!(self, Access::Read | Access::Inspect | Access::Trial)
    }
}

/// What an open with `Access::AcceptLoss` accepted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Accepted {
    pub mark: MarkState,
    pub newest: u64,
}

/// What a transaction closure may fail with: a refusal of type `E`, or a
/// conflict that sled retries.
pub type TxError<E> = ConflictableTransactionError<E>;

impl Store {
    /// Opens (creating if `create`) the database in `dir` for writing.
    pub fn open(dir: &Path, create: bool) -> Result<Store, OpenError> {
        Store::open_with_cache(dir, create, CACHE_BYTES)
    }

    /// Opens with a page cache of `cache_bytes`: a bulk writer such as the
    /// province demo trades memory for speed.
    pub fn open_with_cache(dir: &Path, create: bool, cache_bytes: u64) -> Result<Store, OpenError> {
        Ok(Store::open_as(dir, create, cache_bytes, Access::Write, None)?.0)
    }

    /// Opens a private copy of the database in `dir`, leaving the original
    /// exactly as it is (see `files` for why sled needs a copy for that).
    pub fn open_read_only(dir: &Path) -> Result<Store, OpenError> {
        Ok(Store::open_as(dir, false, CACHE_BYTES, Access::Read, None)?.0)
    }

    /// Opens a private copy whatever the stamp says (see `Access::Inspect`).
    pub fn open_to_inspect(dir: &Path) -> Result<Store, OpenError> {
        Ok(Store::open_as(dir, false, CACHE_BYTES, Access::Inspect, None)?.0)
    }

    /// Opens a private, writable copy of the database in `dir`, removed when
    /// dropped (see `Access::Trial`).
    pub fn open_trial(dir: &Path) -> Result<Store, OpenError> {
        Ok(Store::open_as(dir, false, CACHE_BYTES, Access::Trial, None)?.0)
    }

    /// Opens `dir` for writing whatever its mark says, and sets the mark to
    /// the newest audit entry present. Returns what was accepted.
    pub fn open_accepting_loss(dir: &Path) -> Result<(Store, Accepted), OpenError> {
        Store::open_as(dir, false, CACHE_BYTES, Access::AcceptLoss, None)
    }

    /// Opens as `access` says, bringing a database of an older schema up to
    /// this build's with `upgrader` (without one, an older schema is refused):
    /// in place for the accesses that write (upgrade a sibling copy, check
    /// it, keep the original as `DIR.before-upgrade-FROM-TIME`, swap), in the
    /// private copy for those that only read.
    pub fn open_upgrading(
        dir: &Path,
        create: bool,
        cache_bytes: u64,
        access: Access,
        upgrader: &dyn Upgrader,
    ) -> Result<(Store, Accepted), OpenError> {
        Store::open_as(dir, create, cache_bytes, access, Some(upgrader))
    }

    /// What this open did to a database of an older schema, if anything.
    pub fn upgraded(&self) -> Option<&Upgraded> {
        self.upgraded.as_ref()
    }

    fn open_as(
        dir: &Path,
        create: bool,
        cache_bytes: u64,
        access: Access,
        upgrader: Option<&dyn Upgrader>,
    ) -> Result<(Store, Accepted), OpenError> {
        let path = dir.to_path_buf();
        // `try_exists`: a directory the user may not read (another user's,
        // mode 700) is a permission problem, not a missing database.
        let present = |name: &str| {
            dir.join(name)
                .try_exists()
                .map_err(|e| io_open_error(&path, &e))
        };
        let exists = present("conf")? || present("db")?;
        if !exists && (!create || access != Access::Write) {
            return Err(OpenError::Missing { path });
        }
        if exists && !present("db")? {
            return Err(damaged(&path, Damage::DbMissing, "no file db beside conf"));
        }
        if !exists {
            // A new database: nothing to protect. The mark exists from the
            // start, so that a mark missing later means something.
            let mut store = Store::sled_open(dir, &path, cache_bytes)?;
            mark::write_durably(dir, 0).map_err(|e| io_open_error(&path, &e))?;
            store.check_schema(false)?;
            store.mark = Some(mark::Mark::new(dir, 0));
            store._closing = Some(stamp::OnClose::new(dir, &store.db));
            let accepted = Accepted {
                mark: MarkState::At(0),
                newest: 0,
            };
            return Ok((store, accepted));
        }

        if matches!(access, Access::Write | Access::Read)
            && stamp::matches(dir)
            && let Some(opened) = Store::open_clean(dir, &path, cache_bytes, access)
        {
            return opened;
        }

        // Open a private copy first: damage shows there, and sled's recovery
        // (zeroing a torn tail, a new snapshot) happens to the copy only.
        let copy = files::private_copy(dir).map_err(|e| match e {
            files::CopyError::Busy => OpenError::Locked { path: path.clone() },
            files::CopyError::Read(e) => io_open_error(&path, &e),
            files::CopyError::Write(e) => {
                tracing::error!(error = ?e, "cannot make the private copy");
                OpenError::NoRoomForCopy {
                    path: path.clone(),
                    temp: std::env::temp_dir(),
                    problem: IoProblem::of_io(&e),
                    detail: format!("{e:?}"),
                }
            }
        })?;
        // sled writes while it opens the copy: an environment failure here
        // is the temporary directory's.
        let probe = Store::sled_open(copy.path(), &path, cache_bytes).map_err(|e| match e {
            OpenError::Io {
                path,
                problem,
                detail,
            } => OpenError::NoRoomForCopy {
                path,
                temp: std::env::temp_dir(),
                problem,
                detail,
            },
            other => other,
        })?;
        let schema = probe.check_schema_upgradable(upgrader.map(|u| u.oldest()))?;
        let newest = probe.newest_audit_id()?;
        let found = mark::read(copy.path()).map_err(|e| io_open_error(&path, &e))?;
        if access != Access::AcceptLoss {
            verify_mark(&path, &found, newest)?;
        }
        probe.counts_agree()?;
        let accepted = Accepted {
            mark: found.clone(),
            newest,
        };
        let mut probe = probe;
        if let (true, Some(upgrader)) = (schema < SCHEMA_VERSION, upgrader) {
            if access.reads_a_copy() {
                // Only the private copy changes: a read never rewrites.
                probe = upgrader
                    .upgrade(probe, schema)
                    .map_err(|reason| upgrade_failed(&path, schema, reason))?;
                probe.upgraded = Some(Upgraded {
                    from: schema,
                    to: SCHEMA_VERSION,
                    kept: None,
                });
            } else {
                drop(probe);
                drop(copy);
                let kept = upgrade_in_place(dir, &path, schema, cache_bytes, upgrader)?;
                let (mut store, accepted) =
                    Store::open_as(dir, create, cache_bytes, access, Some(upgrader))?;
                store.upgraded = Some(Upgraded {
                    from: schema,
                    to: SCHEMA_VERSION,
                    kept: Some(kept),
                });
                return Ok((store, accepted));
            }
        }
        if access.reads_a_copy() {
            probe.mark = (access == Access::Trial).then(|| {
                let last = match &found {
                    MarkState::At(m) => *m,
                    _ => newest,
                };
                mark::Mark::new(copy.path(), last)
            });
            probe._copy = Some(copy);
            return Ok((probe, accepted));
        }
        drop(probe);
        drop(copy);

        // The same files opened cleanly as a copy, so whatever fails from
        // here on is the environment (space, permissions), never damage.
        let environmental = |e: OpenError| match e {
            OpenError::Locked { .. } | OpenError::Io { .. } => e,
            // The detail (sled's words, a panic's) may name the cause.
            other => {
                let detail = format!("{other:?}");
                OpenError::Io {
                    path: path.clone(),
                    problem: IoProblem::of_message(&detail).unwrap_or(IoProblem::Other),
                    detail,
                }
            }
        };
        Store::clean_leftovers(dir, &path)?;
        let mut store = match Store::sled_open(dir, &path, cache_bytes) {
            Ok(s) => s,
            Err(e) => {
                tracing::error!(error = ?e, "open in place failed after the copy opened");
                // A snapshot cut short by this failure must not pass for
                // damage at the next open.
                let _ = Store::clean_leftovers(dir, &path);
                return Err(environmental(e));
            }
        };
        store.check_schema(true).map_err(environmental)?;
        let last = match (&found, access) {
            (_, Access::AcceptLoss) => {
                mark::write_durably(dir, newest).map_err(|e| io_open_error(&path, &e))?;
                newest
            }
            (MarkState::At(m), _) => *m,
            _ => newest,
        };
        store.mark = Some(mark::Mark::new(dir, last));
        store._closing = Some(stamp::OnClose::new(dir, &store.db));
        Ok((store, accepted))
    }

    /// Opens in place a database whose stamp says it was closed cleanly and
    /// not touched since: no copy, and of the copy's checks only the schema
    /// and the mark (the files are those an earlier open checked and
    /// a clean close left). None: open through the copy after all (the stamp
    /// could not be removed: read-only media, or another open took it; or
    /// the schema is older and needs the upgrade the copy path does).
    fn open_clean(
        dir: &Path,
        path: &Path,
        cache_bytes: u64,
        access: Access,
    ) -> Option<Result<(Store, Accepted), OpenError>> {
        // sled writes while it opens: on a nearly full disk the copy path
        // opens elsewhere and says what a write would meet.
        let free = rustix::fs::statvfs(dir)
            .map(|fs| fs.f_bavail.saturating_mul(fs.f_frsize))
            .unwrap_or(0);
        if free < MIN_FREE_BYTES {
            return None;
        }
        stamp::remove(dir).ok()?;
        let opened = (|| {
            if access == Access::Write {
                Store::clean_leftovers(dir, path)?;
            }
            let mut store = Store::sled_open(dir, path, cache_bytes)?;
            store.check_schema(true)?;
            let newest = store.newest_audit_id()?;
            let found = mark::read(dir).map_err(|e| io_open_error(path, &e))?;
            // The entry counts are not compared again: they were at the open
            // whose clean close left these files, and only the registry's
            // transactions (which keep them) changed them since. A log sled
            // recovered by dropping part of it follows a crash, which leaves
            // no stamp.
            verify_mark(path, &found, newest)?;
            if access == Access::Write {
                let last = match &found {
                    MarkState::At(m) => *m,
                    _ => newest,
                };
                store.mark = Some(mark::Mark::new(dir, last));
            }
            store._closing = Some(stamp::OnClose::new(dir, &store.db));
            Ok((
                store,
                Accepted {
                    mark: found,
                    newest,
                },
            ))
        })();
        match opened {
            Err(OpenError::OlderSchema { .. }) => None,
            other => Some(other),
        }
    }

    /// Removes sled's interrupted snapshots, holding the exclusive lock.
    fn clean_leftovers(dir: &Path, path: &Path) -> Result<(), OpenError> {
        match files::lock(dir, files::Held::Exclusive) {
            Ok(lock) => {
                files::clean_leftovers(dir, &lock);
                Ok(())
            }
            Err(files::LockError::Busy) => Err(OpenError::Locked {
                path: path.to_path_buf(),
            }),
            Err(files::LockError::Io(e)) => Err(io_open_error(path, &e)),
        }
    }

    /// sled's open of the files in `dir`; `path` names the database in
    /// messages.
    fn sled_open(dir: &Path, path: &Path, cache_bytes: u64) -> Result<Store, OpenError> {
        let path = path.to_path_buf();
        let config = sled::Config::new()
            .path(dir)
            .cache_capacity(cache_bytes)
            .mode(sled::Mode::HighThroughput);
        // sled panics on some damaged files instead of returning an error; a
        // damaged file must still be a one-line message, so the panic is caught
        // and its default report silenced for the duration of the open.
        let mut attempt = 0;
        let db = loop {
            let db = quietly(|| config.open()).map_err(|panic| {
                match IoProblem::of_message(&panic) {
                    // A panic on a failed write (a full disk) is not damage.
                    Some(problem) => OpenError::Io {
                        path: path.clone(),
                        problem,
                        detail: panic,
                    },
                    None => damaged(&path, Damage::Unreadable, panic),
                }
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
        Ok(Store {
            db,
            trees,
            path,
            mark: None,
            upgraded: None,
            _copy: None,
            _closing: None,
        })
    }

    /// Every account's count of entries equals its ledger index's length;
    /// a difference is damage.
    fn counts_agree(&self) -> Result<(), OpenError> {
        match self.entry_counts_mismatch() {
            Ok(None) => Ok(()),
            Ok(Some(m)) => Err(damaged(
                &self.path,
                Damage::CountsDiffer,
                format!(
                    "account {:?}: balance counts {} entries, its list holds {}",
                    m.account, m.counted, m.listed
                ),
            )),
            Err(detail) => Err(damaged(&self.path, Damage::Unreadable, detail)),
        }
    }

    fn newest_audit_id(&self) -> Result<u64, OpenError> {
        Ok(self
            .journal_last_id(Tree::Audit)
            .map_err(|e| damaged(&self.path, Damage::AuditUnreadable, e.to_string()))?
            .unwrap_or(0))
    }

    /// Whether this store takes no changes (a read-only copy).
    pub fn is_read_only(&self) -> bool {
        self.mark.is_none()
    }

    /// Whether this store is a private copy (read-only or a trial).
    pub fn is_copy(&self) -> bool {
        self._copy.is_some()
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
                let bytes: [u8; 4] = v.as_ref().try_into().map_err(|_| {
                    damaged(&self.path, Damage::NoSchema, "unreadable schema version")
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
            None if existed => Err(damaged(
                &self.path,
                Damage::NoSchema,
                "no schema version in meta",
            )),
            None => {
                meta.insert(SCHEMA_KEY, &SCHEMA_VERSION.to_be_bytes())
                    .map_err(|e| classify(&self.path, e))?;
                self.db.flush().map_err(|e| classify(&self.path, e))?;
                Ok(())
            }
        }
    }

    /// The schema version of an existing database, refusing a newer one and
    /// an older one that `oldest` (the upgrader's, if any) cannot bring up.
    fn check_schema_upgradable(&self, oldest: Option<u32>) -> Result<u32, OpenError> {
        match self.check_schema(true) {
            Ok(()) => Ok(SCHEMA_VERSION),
            Err(OpenError::OlderSchema { found, .. })
                if oldest.is_some_and(|oldest| found >= oldest) =>
            {
                Ok(found)
            }
            Err(e) => Err(e),
        }
    }

    /// The schema version stored in `meta` (none in a store just made).
    pub fn schema_version(&self) -> Result<Option<u32>, StoreError> {
        Ok(self
            .tree(Tree::Meta)
            .get(SCHEMA_KEY)?
            .and_then(|v| <[u8; 4]>::try_from(v.as_ref()).ok())
            .map(u32::from_be_bytes))
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

    /// The precondition of every command, checked before its transaction:
    /// the store takes changes and its mark can be written. A failure here
    /// means nothing was changed.
    pub fn prepare_change(&self) -> Result<(), StoreError> {
        let Some(mark) = &self.mark else {
            return Err(StoreError::ReadOnly);
        };
        mark.prepare().map_err(|e| {
            tracing::error!(error = ?e, "the mark acknowledged cannot be written");
            StoreError::NotSaved {
                problem: IoProblem::of_io(&e),
                what: mark::FILE,
                detail: format!("{e:?}"),
            }
        })?;
        // sled commits a transaction in memory and writes it at the flush;
        // a flush that fails on a full disk leaves a change that is neither
        // refused nor durable. Refusing while the disk is nearly full keeps
        // that to a disk that fills between this check and the flush.
        let data_dir = self
            ._copy
            .as_ref()
            .map_or(self.path.as_path(), |c| c.path());
        if let Ok(fs) = rustix::fs::statvfs(data_dir) {
            let free = fs.f_bavail.saturating_mul(fs.f_frsize);
            if free < MIN_FREE_BYTES {
                tracing::error!(free, "refusing a command: the disk is nearly full");
                return Err(StoreError::NotSaved {
                    problem: IoProblem::DiskFull,
                    what: "disk",
                    detail: format!("{free} bytes free"),
                });
            }
        }
        Ok(())
    }

    /// Makes a committed transaction durable and then marks it acknowledged.
    /// A failed flush is said as such (the change may or may not survive). A
    /// mark that fails after the flush leaves the change durable and the
    /// mark behind, which only weakens the next open's check; it is logged,
    /// and the next command's `prepare_change` refuses before changing
    /// anything.
    pub fn acknowledge(&self, newest_audit_id: Option<u64>) -> Result<(), StoreError> {
        self.db
            .flush()
            .map_err(|e| StoreError::from(e).not_durable())?;
        if let (Some(id), Some(mark)) = (newest_audit_id, &self.mark)
            && let Err(e) = mark.note(id)
        {
            tracing::error!(error = ?e, audit = id, "durable, but the mark acknowledged was not updated");
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
        let bytes = codec::encode_as(t.format(), value).map_err(|e| {
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

fn upgrade_failed(path: &Path, from: u32, reason: String) -> OpenError {
    tracing::error!(path = %path.display(), from, %reason, "upgrade failed; the database is unchanged");
    OpenError::UpgradeFailed {
        path: path.to_path_buf(),
        from,
        reason,
    }
}

/// Upgrades the database in `dir` from schema `from` so that it either
/// completes or leaves the original as it was: a copy beside it
/// (`DIR.upgrading-TIME`, on the same file system so that the swap is two
/// renames) is upgraded and checked, then the original becomes
/// `DIR.before-upgrade-FROM-TIME` and the copy takes its name. The
/// exclusive lock keeps every other qiangji out meanwhile. Returns where the
/// original was kept.
fn upgrade_in_place(
    dir: &Path,
    path: &Path,
    from: u32,
    cache_bytes: u64,
    upgrader: &dyn Upgrader,
) -> Result<PathBuf, OpenError> {
    let lock = match files::lock(dir, files::Held::Exclusive) {
        Ok(lock) => lock,
        Err(files::LockError::Busy) => {
            return Err(OpenError::Locked {
                path: path.to_path_buf(),
            });
        }
        Err(files::LockError::Io(e)) => return Err(io_open_error(path, &e)),
    };
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
    let name = dir
        .file_name()
        .map_or_else(|| "db".into(), |n| n.to_string_lossy().into_owned());
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let work = parent.join(format!("{name}.upgrading-{stamp}"));
    let kept = parent.join(format!("{name}.before-upgrade-{from}-{stamp}"));
    let failed = |reason: String| upgrade_failed(path, from, reason);
    std::fs::create_dir(&work).map_err(|e| {
        failed(format!(
            "{}: {}",
            work.display(),
            IoProblem::of_io(&e).describe(Lang::En)
        ))
    })?;
    let upgraded = (|| {
        files::copy_database(dir, &work).map_err(|e| match e {
            files::CopyError::Busy => "the database is in use".to_string(),
            files::CopyError::Read(e) | files::CopyError::Write(e) => {
                IoProblem::of_io(&e).describe(Lang::En).to_string()
            }
        })?;
        let store = Store::sled_open(&work, path, cache_bytes).map_err(|e| e.to_string())?;
        let store = upgrader.upgrade(store, from)?;
        store.flush().map_err(|e| e.to_string())?;
        Ok::<(), String>(())
    })();
    if let Err(reason) = upgraded {
        let _ = std::fs::remove_dir_all(&work);
        return Err(failed(reason));
    }
    if let Err(e) = std::fs::rename(dir, &kept) {
        let _ = std::fs::remove_dir_all(&work);
        return Err(failed(format!("cannot rename the original: {e}")));
    }
    if let Err(e) = std::fs::rename(&work, dir) {
        // Put the original back; the database is as it was.
        let _ = std::fs::rename(&kept, dir);
        let _ = std::fs::remove_dir_all(&work);
        return Err(failed(format!(
            "cannot move the upgraded copy in place: {e}"
        )));
    }
    drop(lock);
    tracing::info!(path = %path.display(), from, to = SCHEMA_VERSION, kept = %kept.display(), "database upgraded");
    Ok(kept)
}

fn io_open_error(path: &Path, e: &std::io::Error) -> OpenError {
    tracing::error!(path = %path.display(), error = ?e, "cannot open the database");
    OpenError::Io {
        path: path.to_path_buf(),
        problem: IoProblem::of_io(e),
        detail: format!("{e:?}"),
    }
}

/// Refuses a database that lost changes it once acknowledged, or whose mark
/// cannot say. A database without audit entries has nothing to lose.
fn verify_mark(path: &Path, found: &MarkState, newest: u64) -> Result<(), OpenError> {
    let path = path.to_path_buf();
    match found {
        MarkState::At(acknowledged) if newest < *acknowledged => Err(OpenError::Lost {
            path,
            acknowledged: *acknowledged,
            newest,
        }),
        MarkState::At(_) => Ok(()),
        _ if newest == 0 => Ok(()),
        MarkState::Absent => Err(OpenError::Unverifiable {
            path,
            mark: MarkFault::Missing,
        }),
        MarkState::Garbled(why) => Err(OpenError::Unverifiable {
            path,
            mark: MarkFault::Garbled(why.clone()),
        }),
    }
}

fn classify(path: &Path, e: sled::Error) -> OpenError {
    let path = path.to_path_buf();
    match e {
        sled::Error::Io(io) if io.to_string().contains("could not acquire lock") => {
            OpenError::Locked { path }
        }
        sled::Error::Io(io) if io.kind() == std::io::ErrorKind::UnexpectedEof => {
            damaged(&path, Damage::Unreadable, format!("{io:?}"))
        }
        sled::Error::Corruption { .. } | sled::Error::Unsupported(_) => {
            damaged(&path, Damage::Unreadable, format!("{e:?}"))
        }
        sled::Error::Io(io) => OpenError::Io {
            path,
            problem: IoProblem::of_io(&io),
            detail: format!("{io:?}"),
        },
        other => damaged(&path, Damage::Unreadable, format!("{other:?}")),
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
