//! The command line: global options, subcommands, and the exit codes scripts
//! rely on (see [`exit`]: 0 fine, 1 a refusal or failed check, 2 the database
//! cannot be opened or `check` found storage damage, 64 a usage error, 128+N
//! stopped by signal N).

pub(crate) mod access;
mod backup;
mod check;
pub mod demo_dir;
pub mod exit;
pub mod export;
pub mod help;
mod import;
pub mod ledger;
pub mod safe_text;
mod screenshot;
mod serve;
pub mod terminal;
mod tui;
pub mod user;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

pub use help::command;

use crate::demo::Scale;
use crate::domain::ProjectId;
use crate::i18n::{Lang, Localized};
use crate::registry::Registry;
use crate::store::OpenError;

#[derive(Parser, Debug)]
#[command(
    name = "qiangji",
    version,
    about = "Qiangji: Qingdao Strong Foundation programme records"
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    /// Open the interface on a fresh temporary city demo database, removed on exit
    #[arg(long)]
    pub demo: bool,
    /// Key bindings: "vim", or a keymap file layered on the defaults [default: keymap.toml in the config dir, if present]
    #[arg(long, value_name = "FILE|vim")]
    pub keymap: Option<String>,
    #[command(subcommand)]
    pub command: Option<Cmd>,
}

#[derive(Args, Debug, Clone)]
pub struct Global {
    /// Database directory [default: the platform data dir, ~/.local/share/qiangji/db on Linux]
    #[arg(long, global = true, env = "QIANGJI_DB", value_name = "DIR")]
    pub db: Option<PathBuf>,
    /// Interface language: zh (default) or en [env: QIANGJI_LANG=]
    #[arg(long = "lang", global = true, value_name = "zh|en")]
    pub lang_flag: Option<String>,
    /// The language in force: `--lang`, else `QIANGJI_LANG`, else zh (set by
    /// [`Global::resolve_lang`]; clap's own `env` would reject a bad
    /// `QIANGJI_LANG` even when `--lang` overrides it).
    #[arg(skip)]
    pub lang: Lang,
}

/// The variable that sets the language when `--lang` is not given.
pub const LANG_VAR: &str = "QIANGJI_LANG";

impl Global {
    /// Sets `lang` from `--lang`, else from `env_value` (`QIANGJI_LANG`). A
    /// value given but not understood is a usage error, in the language of
    /// the other source if that one is understood, else in Chinese.
    pub fn resolve_lang(&mut self, env_value: Option<&str>) -> Result<Lang, CliError> {
        let env_value = env_value.filter(|v| !v.trim().is_empty());
        let (given, source) = match (&self.lang_flag, env_value) {
            (Some(flag), _) => (flag.as_str(), "--lang"),
            (None, Some(env)) => (env, LANG_VAR),
            (None, None) => {
                self.lang = Lang::Zh;
                return Ok(self.lang);
            }
        };
        match Lang::parse(given) {
            Some(lang) => {
                self.lang = lang;
                Ok(lang)
            }
            None => {
                let fallback = match source {
                    "--lang" => env_value.and_then(Lang::parse).unwrap_or_default(),
                    _ => Lang::default(),
                };
                self.lang = fallback;
                Err(CliError::Usage(match fallback {
                    Lang::Zh => format!("{source} 的值 \"{given}\" 不是可用的语言；请用 zh 或 en"),
                    Lang::En => {
                        format!(
                            "{source}: \"{given}\" is not a language qiangji speaks; use zh or en"
                        )
                    }
                }))
            }
        }
    }
}

#[derive(Subcommand, Debug)]
pub enum Cmd {
    /// Write demo data through the registry (refuses a non-empty database without --force)
    Demo {
        #[arg(long, value_enum, default_value_t = Scale::City)]
        scale: Scale,
        #[arg(long, default_value_t = 2026)]
        seed: u64,
        /// Write even if the database already holds records
        #[arg(long)]
        force: bool,
    },
    /// Serve the dashboard over SSH: one process owns the database, one App per session
    Serve {
        /// Address to listen on; a non-loopback one is the operator's explicit choice
        #[arg(long, default_value = "127.0.0.1:2222")]
        listen: std::net::SocketAddr,
        /// The ed25519 host key (made once, mode 600); default: beside the database
        #[arg(long, value_name = "FILE")]
        host_key: Option<PathBuf>,
        /// Close sessions without input for this long (30m, 90s, 2h)
        #[arg(long, default_value = "30m", value_parser = serve::parse_duration)]
        idle: std::time::Duration,
        /// At most this many dashboard sessions at once
        #[arg(long, default_value_t = 64)]
        max_sessions: usize,
    },
    /// Recompute every invariant, index and running balance; exit 1 on any violation, 2 on storage damage
    Check {
        /// Keep using a database whose `acknowledged` mark is missing, garbled or ahead of its audit log: accept what is there as it is and set the mark to it
        #[arg(long)]
        accept_loss: bool,
    },
    /// Every account's allocated, spent and balance, without opening the interface
    Ledger {
        /// Only this group's daily and reward funds (math physics chemistry biology informatics humanities)
        #[arg(long, value_parser = parse_project)]
        project: Option<ProjectId>,
        /// Only this base school's base fund: its id or its exact name
        #[arg(long, value_name = "ID|NAME")]
        school: Option<String>,
        /// Only this year
        #[arg(long)]
        year: Option<i32>,
        #[arg(long, value_enum, default_value_t = LedgerFormat::Table)]
        format: LedgerFormat,
        /// Write to FILE instead of standard output
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Export records as JSON, CSV (UTF-8 with BOM) or an Excel workbook (xlsx); or the lists: template applications, announcement, filing
    Export {
        #[arg(value_enum)]
        kind: ExportKind,
        /// For `template`: which template (applications)
        #[arg(value_enum)]
        what: Option<TemplateKind>,
        #[arg(long, value_enum)]
        format: Option<Format>,
        /// Only this project group (math physics chemistry biology informatics humanities; `all` for filing)
        #[arg(long, value_parser = parse_project_or_all)]
        project: Option<ProjectSel>,
        /// Only this year (school year start for assessments, account year for the ledger, the filing list's year)
        #[arg(long)]
        year: Option<i32>,
        /// Write to FILE instead of standard output
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Import a school's recommendation list (.xlsx or .csv in UTF-8 or GBK): every row checked, all or none written
    Import {
        #[arg(value_enum)]
        what: ImportKind,
        /// The list: .xlsx, or .csv in UTF-8 (with or without BOM) or GBK/GB18030
        file: PathBuf,
        /// Every row is for this group (the group column may then be left out)
        #[arg(long, value_parser = parse_project)]
        project: Option<ProjectId>,
        /// Check and show what would be created; write nothing
        #[arg(long)]
        dry_run: bool,
        /// Import the good rows even when some rows are bad
        #[arg(long)]
        skip_bad: bool,
    },
    /// Write a backup of the whole database to FILE: one moment, versioned and checksummed
    Backup { file: PathBuf },
    /// Restore a backup into --db DIR (an empty directory unless --force), verify it, then run check
    Restore {
        file: PathBuf,
        /// DIR is not empty: restore beside it and put the restored database in its place, keeping the old one as DIR.before-restore-TIME
        #[arg(long)]
        force: bool,
    },
    /// Close a year: enrolled trainees carry on, each daily fund's balance is carried or returned as recorded entries, ended terms are closed (twice does nothing)
    Rollover {
        /// The new year
        #[arg(long)]
        to: i32,
        #[arg(long, value_enum, default_value_t = crate::rollover::DailyBalance::Carry)]
        daily_balance: crate::rollover::DailyBalance,
    },
    /// The year's evaluation: each school's points (as base and as home school) and each group's targets, report and reward fund
    Evaluation {
        #[arg(long)]
        year: i32,
        #[arg(long, value_enum, default_value_t = EvaluationFormat::Table)]
        format: EvaluationFormat,
        /// The points table (TOML) [default: points.toml in the config dir, else the compiled-in default]
        #[arg(long, value_name = "FILE")]
        points: Option<PathBuf>,
        /// Write to FILE instead of standard output
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Users who may log in over SSH, their roles and public keys
    User {
        #[command(subcommand)]
        action: user::UserCmd,
    },
    /// Render the main screens to SVG and plain text (from a fresh demo unless --db is given)
    Screenshot {
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Width x height in cells
        #[arg(long, default_value = "120x36", value_parser = parse_size)]
        size: (u16, u16),
    },
}

fn parse_size(s: &str) -> Result<(u16, u16), String> {
    parse_size_in(s, Lang::En)
}

pub(crate) fn parse_size_in(s: &str, lang: Lang) -> Result<(u16, u16), String> {
    let (w, h) = s.split_once(['x', 'X']).ok_or_else(|| match lang {
        Lang::Zh => "请把大小写成“宽x高”，如 120x36".to_string(),
        Lang::En => format!("{s:?}: write the size like 120x36"),
    })?;
    let w = w.trim().parse().map_err(|_| match lang {
        Lang::Zh => format!("宽度“{w}”不是数字"),
        Lang::En => format!("{s:?}: bad width"),
    })?;
    let h = h.trim().parse().map_err(|_| match lang {
        Lang::Zh => format!("高度“{h}”不是数字"),
        Lang::En => format!("{s:?}: bad height"),
    })?;
    Ok((w, h))
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Csv,
    /// An Excel workbook; for the ledger, one sheet per account with totals
    Xlsx,
}

/// What `export` writes: a kind of record, or one of the bureau's lists.
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportKind {
    Trainees,
    Coaches,
    Schools,
    Assessments,
    Ledger,
    Audit,
    /// A template a school fills in (`export template applications -o FILE.xlsx`)
    Template,
    /// The announcement list of the trainees now announced (--project)
    Announcement,
    /// The filing list of a year (--project ID|all --year Y)
    Filing,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum TemplateKind {
    /// The recommendation list read by `import applications`
    Applications,
}

/// `--project`: one group, or `all`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProjectSel {
    All,
    One(ProjectId),
}

impl ProjectSel {
    pub fn one(self) -> Option<ProjectId> {
        match self {
            ProjectSel::All => None,
            ProjectSel::One(p) => Some(p),
        }
    }
}

pub fn parse_project_or_all(s: &str) -> Result<ProjectSel, String> {
    parse_project_or_all_in(s, Lang::En)
}

pub(crate) fn parse_project_or_all_in(s: &str, lang: Lang) -> Result<ProjectSel, String> {
    if s.trim().eq_ignore_ascii_case("all") {
        return Ok(ProjectSel::All);
    }
    parse_project_in(s, lang).map(ProjectSel::One)
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum EvaluationFormat {
    Table,
    Json,
    Xlsx,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportKind {
    /// Trainee applications (the recommendation list): name, gender, school, district, grade, phone, group, two recommending teachers, date
    Applications,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum LedgerFormat {
    /// Aligned columns with a total row
    Table,
    Csv,
    Json,
    /// A journal for `hledger -f FILE bal`
    Hledger,
}

pub fn parse_project(s: &str) -> Result<ProjectId, String> {
    parse_project_in(s, Lang::En)
}

pub(crate) fn parse_project_in(s: &str, lang: Lang) -> Result<ProjectId, String> {
    let codes = ProjectId::ALL.map(|p| p.code()).join(" ");
    ProjectId::parse(s).ok_or_else(|| match lang {
        Lang::Zh => format!("没有“{s}”这个项目组；可用：{codes}"),
        Lang::En => format!("unknown project group {s:?}; use one of: {codes}"),
    })
}

/// How a CLI run ended, for `main` to print and turn into an exit code.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error("{0}")]
    Open(#[from] OpenError),
    /// This user may not read the database (or a directory on its path).
    #[error("permission denied: {}", .0.display())]
    Denied(PathBuf),
    /// Already reported to the user; exit 1.
    #[error("failed")]
    Failed,
    /// The storage is damaged; exit 2 like a database that cannot be opened.
    #[error("{0}")]
    Damaged(String),
    #[error("{0}")]
    Message(String),
    /// The arguments ask for something that cannot be done as written.
    #[error("{0}")]
    Usage(String),
    /// The dashboard cannot draw here.
    #[error("{0:?}")]
    NoTerminal(terminal::Problem),
    /// Stopped by SIGTERM, SIGHUP, SIGQUIT or SIGINT, after restoring the terminal.
    #[error("stopped by signal {0}")]
    Stopped(i32),
}

impl From<crate::tui::local::RunError> for CliError {
    fn from(e: crate::tui::local::RunError) -> Self {
        match e {
            crate::tui::local::RunError::Open(o) => CliError::Open(o),
            other => CliError::Message(other.to_string()),
        }
    }
}

fn self_open_message(e: &CliError, lang: Lang) -> String {
    match e {
        CliError::Open(o) => o.localized(lang),
        _ => String::new(),
    }
}

impl CliError {
    pub fn exit_code(&self) -> i32 {
        match self {
            CliError::Open(_) | CliError::Denied(_) | CliError::Damaged(_) => exit::CANNOT_OPEN,
            CliError::Usage(_) => exit::USAGE,
            CliError::Stopped(signal) => crate::signals::exit_code(*signal),
            CliError::Failed | CliError::Message(_) | CliError::NoTerminal(_) => exit::REFUSED,
        }
    }

    /// The one line to print (before control characters are neutralised).
    pub fn message(&self, lang: Lang) -> Option<String> {
        match self {
            CliError::Open(crate::store::OpenError::Locked { path }) => Some(
                crate::ssh::holder::message(path, lang)
                    .unwrap_or_else(|| self_open_message(self, lang)),
            ),
            CliError::Open(e) => Some(e.localized(lang)),
            CliError::Denied(path) => Some(match lang {
                Lang::Zh => format!(
                    "无权访问数据库 {}（属于其他用户或权限不允许）；请以数据库所有者身份运行，或请管理员调整权限",
                    path.display()
                ),
                Lang::En => format!(
                    "permission denied for the database {} (it belongs to another user, or its permissions do not allow this user); run qiangji as its owner or ask an administrator",
                    path.display()
                ),
            }),
            CliError::Failed => None,
            CliError::Message(m) | CliError::Usage(m) | CliError::Damaged(m) => Some(m.clone()),
            CliError::NoTerminal(p) => Some(p.localized(lang)),
            CliError::Stopped(signal) => Some(match lang {
                Lang::Zh => format!("收到 {}，已恢复终端并退出", crate::signals::name(*signal)),
                Lang::En => format!(
                    "stopped by {}; the terminal was restored",
                    crate::signals::name(*signal)
                ),
            }),
        }
    }
}

/// Where the database lives unless `--db` or `QIANGJI_DB` say otherwise.
pub fn default_db_dir() -> PathBuf {
    directories::ProjectDirs::from("", "", "qiangji")
        .map(|d| d.data_dir().join("db"))
        .unwrap_or_else(|| PathBuf::from("qiangji-db"))
}

impl Global {
    pub fn db_dir(&self) -> PathBuf {
        self.db.clone().unwrap_or_else(default_db_dir)
    }

    pub fn open(&self, create: bool) -> Result<Registry, CliError> {
        open_registry(&self.db_dir(), create)
    }

    /// For commands that only read: a private copy, the files untouched
    /// (works on read-only media; see `store::files`).
    pub fn open_read_only(&self) -> Result<Registry, CliError> {
        Ok(Registry::open_read_only(&self.db_dir())?)
    }
}

/// Opens the database in `dir`, saying "permission denied" (not "missing")
/// when this user may not reach it.
pub fn open_registry(dir: &std::path::Path, create: bool) -> Result<Registry, CliError> {
    access::check(dir).map_err(CliError::Denied)?;
    Ok(Registry::open(dir, create)?)
}

pub fn run(cli: Cli) -> Result<(), CliError> {
    let lang = cli.global.lang;
    match cli.command {
        Some(Cmd::Demo { scale, seed, force }) => {
            let dir = cli.global.db_dir();
            access::prepare(&dir, lang)?;
            let open = || match scale {
                Scale::City => cli.global.open(true),
                Scale::Province => Ok(Registry::open_for_bulk(&dir)?),
            };
            let mut registry = open()?;
            if !registry.store().is_empty() {
                if !force {
                    return Err(CliError::Message(
                        lang.pick(
                            "数据库已有记录；如确需写入演示数据，请加 --force，或用 --db 指定新目录",
                            "the database already holds records; add --force to write demo data anyway, or pick a new --db",
                        )
                        .to_string(),
                    ));
                }
                // The demo is written in many batches, and the records already
                // there can make a late one refused (a second chief coach):
                // run it on a private copy first, so that a refusal leaves the
                // database as it was.
                drop(registry);
                let trial = Registry::open_trial(&dir)?;
                crate::demo::generate(&trial, scale, seed)
                    .map_err(|e| CliError::Message(e.localized(lang)))?;
                drop(trial);
                registry = open()?;
            }
            let started = std::time::Instant::now();
            let summary = crate::demo::generate(&registry, scale, seed)
                .map_err(|e| CliError::Message(e.localized(lang)))?;
            exit::say(&format!(
                "{} {} ({:.1} s): {}",
                lang.pick("演示数据已写入", "demo data written to"),
                dir.display(),
                started.elapsed().as_secs_f64(),
                summary.describe(lang)
            ));
            Ok(())
        }
        Some(Cmd::Serve {
            listen,
            host_key,
            idle,
            max_sessions,
        }) => serve::run(
            &cli.global.db_dir(),
            listen,
            host_key,
            idle,
            max_sessions,
            lang,
        ),
        Some(Cmd::Check { accept_loss }) => check::run(&cli.global.db_dir(), accept_loss, lang),
        Some(Cmd::Ledger {
            project,
            school,
            year,
            format,
            output,
        }) => {
            let registry = cli.global.open_read_only()?;
            // Locally the file system is the permission: whoever opens the
            // database reads it as admin.
            let actor = crate::domain::Actor::local();
            ledger::run(
                &registry.reader(&actor),
                lang,
                ledger::Request {
                    project,
                    school,
                    year,
                    format,
                },
                output.as_deref(),
            )
        }
        Some(Cmd::Export {
            kind,
            what,
            format,
            project,
            year,
            output,
        }) => {
            use crate::export::Kind as K;
            let records = match kind {
                ExportKind::Trainees => Some(K::Trainees),
                ExportKind::Coaches => Some(K::Coaches),
                ExportKind::Schools => Some(K::Schools),
                ExportKind::Assessments => Some(K::Assessments),
                ExportKind::Ledger => Some(K::Ledger),
                ExportKind::Audit => Some(K::Audit),
                _ => None,
            };
            match records {
                Some(kind) => {
                    let registry = cli.global.open_read_only()?;
                    export::run(
                        &registry.reader(&crate::domain::Actor::local()),
                        lang,
                        kind,
                        format.unwrap_or(Format::Json),
                        project.and_then(ProjectSel::one),
                        year,
                        output.as_deref(),
                    )
                }
                None => export::lists(
                    &cli.global,
                    lang,
                    kind,
                    what,
                    format,
                    project,
                    year,
                    output.as_deref(),
                ),
            }
        }
        Some(Cmd::Import {
            what: ImportKind::Applications,
            file,
            project,
            dry_run,
            skip_bad,
        }) => import::run(
            &cli.global,
            lang,
            &file,
            crate::import::Options {
                project,
                dry_run,
                skip_bad,
            },
        ),
        Some(Cmd::Backup { file }) => backup::backup(&cli.global, lang, &file),
        Some(Cmd::Restore { file, force }) => {
            backup::restore(&cli.global.db_dir(), lang, &file, force)
        }
        Some(Cmd::Rollover { to, daily_balance }) => {
            if !(2001..=2100).contains(&to) {
                return Err(CliError::Usage(match lang {
                    Lang::Zh => format!("--to {to}：年度须在 2001 至 2100 之间"),
                    Lang::En => format!("--to {to}: the year must lie between 2001 and 2100"),
                }));
            }
            let registry = cli.global.open(false)?;
            let report =
                crate::rollover::run(&registry, &crate::domain::Actor::local(), to, daily_balance)
                    .map_err(|e| {
                        let (zh, en) = e.split_once('\u{1f}').unwrap_or((&e, &e));
                        CliError::Message(lang.pick(zh, en).to_string())
                    })?;
            for line in report.lines(lang) {
                println!("{}", safe_text::one_line(&line));
            }
            Ok(())
        }
        Some(Cmd::User { action }) => user::run(&cli.global, action),
        Some(Cmd::Evaluation {
            year,
            format,
            points,
            output,
        }) => export::evaluation(
            &cli.global,
            lang,
            year,
            format,
            points.as_deref(),
            output.as_deref(),
        ),
        Some(Cmd::Screenshot { out, size }) => {
            let db = cli.global.db.clone();
            screenshot::check_size(size, lang)?;
            screenshot::run(&out, size, lang, db.as_deref())
        }
        None => tui::run(cli.global, cli.demo, cli.keymap.as_deref()),
    }
}
