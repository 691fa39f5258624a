//! Runs what a command line asked (`crate::command_line`) against an open
//! registry, as one actor, writing the data to one stream and nothing else
//! there. The local CLI (`crate::cli`: it opens the database and picks the
//! destination, a file or standard output) and the SSH server's exec
//! commands (`crate::ssh::exec`: the shared registry, the channel's streams)
//! both call these, so a command does the same in both places.
//!
//! Reads go through the actor's reader and [`scope`]: a chief's export holds
//! only their group; locally the actor is the admin, so nothing is limited.

pub mod lists;
pub mod records;
pub mod users;

use std::io::Write;

use crate::domain::{Actor, ProjectId, Role};
use crate::export::ExportError;
use crate::i18n::{Lang, Localized};
use crate::registry::Registry;

pub use lists::{evaluation, export_list};
pub use records::{
    check, export_document, export_records, export_schedule, export_sign_in, import, ledger,
};

/// The registry, who acts, in which language, and where the data goes.
pub struct Invocation<'a> {
    pub registry: &'a Registry,
    pub actor: &'a Actor,
    pub lang: Lang,
    /// Standard output is a terminal (a pty over SSH): no binary file
    /// (xlsx, a backup) is written to it.
    pub out_is_terminal: bool,
}

/// Why a command did not do what was asked.
#[derive(Debug)]
pub enum Failure {
    /// Refused: the registry said no, the role may not, nothing to show (exit 1).
    Refused(String),
    /// The arguments cannot be done as written (exit 64).
    Usage(String),
    /// The storage is damaged (exit 2).
    Damaged(String),
    /// Writing the data failed (a closed pipe is not a failure).
    Write(ExportError),
    /// Already reported in the data (an import's report of bad rows): exit 1.
    Failed,
}

impl Failure {
    pub fn message(&self, lang: Lang) -> Option<String> {
        match self {
            Failure::Refused(m) | Failure::Usage(m) | Failure::Damaged(m) => Some(m.clone()),
            Failure::Write(e) => Some(e.localized(lang)),
            Failure::Failed => None,
        }
    }

    pub fn exit_code(&self) -> i32 {
        use crate::command_line::exit_code as code;
        match self {
            Failure::Usage(_) => code::USAGE,
            Failure::Damaged(_) => code::CANNOT_OPEN,
            Failure::Refused(_) | Failure::Write(_) | Failure::Failed => code::REFUSED,
        }
    }
}

impl From<ExportError> for Failure {
    fn from(e: ExportError) -> Self {
        Failure::Write(e)
    }
}

pub type Done = Result<(), Failure>;

impl<'a> Invocation<'a> {
    /// A context whose data goes to a file or a pipe, never a terminal.
    pub fn new(registry: &'a Registry, actor: &'a Actor, lang: Lang) -> Invocation<'a> {
        Invocation {
            registry,
            actor,
            lang,
            out_is_terminal: false,
        }
    }
}

impl Invocation<'_> {
    pub(crate) fn refused(&self, e: &dyn Localized) -> Failure {
        Failure::Refused(e.localized(self.lang))
    }

    pub(crate) fn binary_ok(&self, what: Binary) -> Done {
        binary_ok(self.lang, self.out_is_terminal, what)
    }
}

/// A binary file may go to standard output only when that is not a
/// terminal.
pub(crate) fn binary_ok(lang: Lang, out_is_terminal: bool, what: Binary) -> Done {
    if !out_is_terminal {
        return Ok(());
    }
    Err(Failure::Refused(
        match what {
            Binary::Xlsx => lang.pick(
                "xlsx 是二进制文件，不能显示在终端上；请用 -o 文件名.xlsx 指定输出文件（通过 SSH：ssh ... > 文件名.xlsx）",
                "xlsx is a binary file and cannot be shown in a terminal; name a file with -o FILE.xlsx (over SSH: ssh ... > FILE.xlsx)",
            ),
            Binary::Docx => lang.pick(
                "docx 是二进制文件，不能显示在终端上；请用 -o 文件名.docx 指定输出文件（通过 SSH：ssh ... > 文件名.docx）",
                "docx is a binary file and cannot be shown in a terminal; name a file with -o FILE.docx (over SSH: ssh ... > FILE.docx)",
            ),
            Binary::Backup => lang.pick(
                "备份是二进制文件，不能显示在终端上；请写 qiangji backup 文件名，或重定向：ssh ... backup > qiangji.backup",
                "a backup is a binary file and cannot be shown in a terminal; name a file (qiangji backup FILE) or redirect: ssh ... backup > qiangji.backup",
            ),
        }
        .to_string(),
    ))
}

/// The binary files a command may write.
pub(crate) enum Binary {
    Xlsx,
    Backup,
    Docx,
}

/// The group a read may cover: the one asked for if the role may read it;
/// without one, everything for those who read everything, else the user's
/// own group.
pub fn scope(
    actor: &Actor,
    asked: Option<ProjectId>,
    lang: Lang,
) -> Result<Option<ProjectId>, Failure> {
    let denied = |p: ProjectId| {
        Failure::Refused(format!(
            "{} {} ({})",
            actor.role.label(lang),
            lang.pick("无权查看", "may not read"),
            p.group_name(lang)
        ))
    };
    match (&actor.role, asked) {
        (role, Some(p)) if role.can_read(p) => Ok(Some(p)),
        (_, Some(p)) => Err(denied(p)),
        (Role::Admin | Role::Finance, None) => Ok(None),
        (Role::ChiefCoach(p) | Role::Coach(p), None) => Ok(Some(*p)),
        (Role::Viewer(ps), None) if ps.len() == 1 => Ok(Some(ps[0])),
        (Role::Viewer(_), None) => Err(Failure::Usage(
            lang.pick("请用 --project 指定项目组", "name the group with --project")
                .into(),
        )),
    }
}

/// The record kind an `export` names, or None for a list.
pub fn record_kind(kind: crate::command_line::ExportKind) -> Option<crate::export::Kind> {
    match kind {
        crate::command_line::ExportKind::Trainees => Some(crate::export::Kind::Trainees),
        crate::command_line::ExportKind::Coaches => Some(crate::export::Kind::Coaches),
        crate::command_line::ExportKind::Schools => Some(crate::export::Kind::Schools),
        crate::command_line::ExportKind::Assessments => Some(crate::export::Kind::Assessments),
        crate::command_line::ExportKind::Ledger => Some(crate::export::Kind::Ledger),
        crate::command_line::ExportKind::Audit => Some(crate::export::Kind::Audit),
        crate::command_line::ExportKind::Template
        | crate::command_line::ExportKind::Schedule
        | crate::command_line::ExportKind::Plan
        | crate::command_line::ExportKind::Report
        | crate::command_line::ExportKind::SchoolApplication
        | crate::command_line::ExportKind::SignIn
        | crate::command_line::ExportKind::Announcement
        | crate::command_line::ExportKind::Filing => None,
    }
}

/// Whether the role reads every group (and so the lists of all of them).
pub fn reads_every_group(role: &Role) -> bool {
    matches!(role, Role::Admin | Role::Finance)
}

/// `qiangji backup` to `out`: one moment, versioned and checksummed.
pub fn backup(
    ctx: &Invocation<'_>,
    out: &mut dyn Write,
) -> Result<crate::registry::backup::Summary, Failure> {
    ctx.binary_ok(Binary::Backup)?;
    crate::registry::backup::write(ctx.registry, out).map_err(|e| ctx.refused(&e))
}

/// `qiangji rollover`: the report's lines.
pub fn rollover(
    ctx: &Invocation<'_>,
    to: i32,
    daily_balance: crate::rollover::DailyBalance,
    out: &mut dyn Write,
) -> Done {
    if !(2001..=2100).contains(&to) {
        return Err(Failure::Usage(match ctx.lang {
            Lang::Zh => format!("--to {to}：年度须在 2001 至 2100 之间"),
            Lang::En => format!("--to {to}: the year must lie between 2001 and 2100"),
        }));
    }
    let report = crate::rollover::run(ctx.registry, ctx.actor, to, daily_balance).map_err(|e| {
        let (zh, en) = e.split_once('\u{1f}').unwrap_or((&e, &e));
        Failure::Refused(ctx.lang.pick(zh, en).to_string())
    })?;
    for line in report.lines(ctx.lang) {
        writeln!(out, "{}", crate::safe_text::one_line(&line)).map_err(ExportError::from)?;
    }
    Ok(())
}
