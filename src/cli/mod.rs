//! The command line: global options, subcommands, and the exit codes scripts
//! rely on (see [`exit`]: 0 fine, 1 a refusal or failed check, 2 the database
//! cannot be opened or `check` found storage damage, 64 a usage error, 128+N
//! stopped by signal N).

pub(crate) mod access;
mod backup;
pub mod calendar;
mod check;
pub mod demo_dir;
pub mod exit;
pub mod export;
mod import;
mod screenshot;
mod serve;
pub mod terminal;
mod tui;
pub mod unit;
pub mod user;

use std::path::PathBuf;

pub use crate::command_line::{
    Cli, Cmd, EvaluationFormat, ExportKind, Format, Global, ImportKind, LANG_VAR, LedgerFormat,
    ProjectSel, TemplateKind, command, help, parse_project,
};
use crate::demo::Scale;
use crate::i18n::{Lang, Localized};
use crate::registry::Registry;
use crate::store::OpenError;

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

impl From<crate::runner::Failure> for CliError {
    fn from(f: crate::runner::Failure) -> Self {
        use crate::runner::Failure as F;
        match f {
            F::Refused(m) => CliError::Message(m),
            F::Usage(m) => CliError::Usage(m),
            F::Damaged(m) => CliError::Damaged(m),
            F::Failed => CliError::Failed,
            // Broken pipes are taken care of where the data is written.
            F::Write(e) => CliError::Message(e.to_string()),
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
        open_registry(&self.db_dir(), create, self.lang)
    }

    /// For commands that only read: a private copy, the files untouched
    /// (works on read-only media; see `store::files`).
    pub fn open_read_only(&self) -> Result<Registry, CliError> {
        let registry = Registry::open_read_only(&self.db_dir())?;
        say_upgraded(&registry, self.lang);
        Ok(registry)
    }
}

/// Opens the database in `dir`, saying "permission denied" (not "missing")
/// when this user may not reach it.
pub fn open_registry(
    dir: &std::path::Path,
    create: bool,
    lang: crate::i18n::Lang,
) -> Result<Registry, CliError> {
    access::check(dir).map_err(CliError::Denied)?;
    let registry = Registry::open(dir, create)?;
    say_upgraded(&registry, lang);
    Ok(registry)
}

/// One line on standard error when the open upgraded an older database.
pub(crate) fn say_upgraded(registry: &Registry, lang: crate::i18n::Lang) {
    if let Some(u) = registry.store().upgraded() {
        use crate::i18n::Localized;
        exit::say(&u.localized(lang));
    }
}

pub fn run(cli: Cli) -> Result<(), CliError> {
    let lang = cli.global.lang;
    // The working-day calendar, in force for every count of this run.
    let days =
        calendar::calendar(cli.global.calendar.as_deref(), lang).map_err(CliError::Message)?;
    crate::domain::calendar::set_active(days);
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
            backup_dir,
            backup_every,
            backup_keep,
            print_unit,
            user,
        }) => {
            let backup = backup_dir.map(|dir| unit::Backups {
                dir: unit::absolute(&dir),
                every: backup_every,
                keep: backup_keep,
            });
            if print_unit {
                return serve::print_unit(unit::Spec {
                    exe: std::env::current_exe().map_err(|e| CliError::Message(e.to_string()))?,
                    db: cli.global.db.as_deref().map(unit::absolute),
                    listen,
                    host_key: host_key.as_deref().map(unit::absolute),
                    idle,
                    max_sessions,
                    backup,
                    user: user.unwrap_or_else(|| unit::STATE.into()),
                    lang,
                });
            }
            serve::run(
                &cli.global.db_dir(),
                serve::Options {
                    listen,
                    host_key,
                    idle,
                    max_sessions,
                    backup,
                },
                lang,
            )
        }
        Some(Cmd::Check { accept_loss }) => check::run(&cli.global.db_dir(), accept_loss, lang),
        Some(Cmd::Ledger {
            project,
            school,
            year,
            format,
            output,
        }) => {
            let registry = cli.global.open_read_only()?;
            export::to_destination(&registry, lang, output.as_deref(), |ctx, out| {
                crate::runner::ledger(ctx, project, school.as_deref(), year, format, out)
            })
        }
        Some(Cmd::Export {
            kind,
            what,
            format,
            project,
            year,
            coach,
            trainee,
            school,
            session,
            output,
        }) => {
            if kind == ExportKind::SignIn {
                let registry = cli.global.open_read_only()?;
                return export::to_destination(&registry, lang, output.as_deref(), |ctx, out| {
                    crate::runner::export_sign_in(ctx, session, out)
                });
            }
            if matches!(
                kind,
                ExportKind::Plan | ExportKind::Report | ExportKind::SchoolApplication
            ) {
                let registry = cli.global.open_read_only()?;
                return export::to_destination(&registry, lang, output.as_deref(), |ctx, out| {
                    crate::runner::export_document(
                        ctx,
                        kind,
                        format,
                        project.and_then(ProjectSel::one),
                        year,
                        school,
                        out,
                    )
                });
            }
            if kind == ExportKind::Schedule {
                let registry = cli.global.open_read_only()?;
                return export::to_destination(&registry, lang, output.as_deref(), |ctx, out| {
                    crate::runner::export_schedule(
                        ctx,
                        format.unwrap_or(Format::Ics),
                        project.and_then(ProjectSel::one),
                        coach,
                        trainee,
                        out,
                    )
                });
            }
            if kind == ExportKind::Template {
                // The same for everyone: no database needed.
                return export::template(lang, what, format, output.as_deref());
            }
            let records = crate::runner::record_kind(kind);
            let registry = cli.global.open_read_only()?;
            export::to_destination(
                &registry,
                lang,
                output.as_deref(),
                |ctx, out| match records {
                    Some(kind) => crate::runner::export_records(
                        ctx,
                        kind,
                        format.unwrap_or(Format::Json),
                        project.and_then(ProjectSel::one),
                        year,
                        out,
                    ),
                    None => crate::runner::export_list(ctx, kind, what, format, project, year, out),
                },
            )
        }
        Some(Cmd::Import {
            what: ImportKind::Applications,
            file,
            project,
            dry_run,
            skip_bad,
            date,
        }) => import::run(
            &cli.global,
            lang,
            &file,
            crate::import::Options {
                project,
                dry_run,
                skip_bad,
                date,
            },
        ),
        Some(Cmd::Backup { file }) => backup::backup(&cli.global, lang, file.as_deref()),
        Some(Cmd::Sessions) => {
            // The count lives in the server; here, only whether one runs.
            let db = cli.global.db_dir();
            match crate::ssh::holder::message(&db, lang) {
                Some(text) => {
                    exit::say(&text);
                    Ok(())
                }
                None => Err(CliError::Message(match lang {
                    Lang::Zh => format!("没有服务器持有数据库 {}", db.display()),
                    Lang::En => format!("no server holds the database {}", db.display()),
                })),
            }
        }
        Some(Cmd::Restore { file, force }) => {
            backup::restore(&cli.global.db_dir(), lang, &file, force)
        }
        Some(Cmd::Rollover { to, daily_balance }) => {
            let registry = cli.global.open(false)?;
            let actor = crate::domain::Actor::local();
            let ctx = crate::runner::Invocation::new(&registry, &actor, lang);
            crate::runner::rollover(&ctx, to, daily_balance, &mut std::io::stdout().lock())
                .map_err(CliError::from)
        }
        Some(Cmd::User { action }) => user::run(&cli.global, action),
        Some(Cmd::Evaluation {
            year,
            format,
            points,
            output,
        }) => {
            let points = crate::evaluation::points_table(points.as_deref(), lang)
                .map_err(CliError::Message)?;
            let registry = cli.global.open_read_only()?;
            export::to_destination(&registry, lang, output.as_deref(), |ctx, out| {
                crate::runner::evaluation(ctx, year, format, &points, out)
            })
        }
        Some(Cmd::Screenshot { out, size }) => {
            let db = cli.global.db.clone();
            screenshot::check_size(size, lang)?;
            screenshot::run(&out, size, lang, db.as_deref())
        }
        None => tui::run(cli.global, cli.demo, cli.keymap.as_deref()),
    }
}
