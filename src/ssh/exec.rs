//! The quick checks as SSH commands: `ssh -p 2222 USER@host ledger --project
//! math` runs the CLI's read commands inside the server, which holds the
//! database, limited to what the user's role may read. The line is split
//! like a shell would (quotes, escapes) and never given to a shell.

use std::io::Write;

use clap::Parser;

use super::Hub;
use crate::cli::{Format, LedgerFormat, parse_project};
use crate::domain::{Actor, ProjectId, Role};
use crate::export::balances::{self, Selection};
use crate::export::{Filter, Kind};
use crate::i18n::{Lang, Localized};

#[derive(Parser, Debug)]
#[command(
    name = "qiangji",
    no_binary_name = true,
    disable_help_subcommand = true
)]
enum Remote {
    /// Every account's allocated, spent and balance
    Ledger {
        #[arg(long, value_parser = parse_project)]
        project: Option<ProjectId>,
        #[arg(long)]
        year: Option<i32>,
        #[arg(long, value_enum, default_value_t = LedgerFormat::Table)]
        format: LedgerFormat,
    },
    /// Records as JSON or CSV
    Export {
        #[arg(value_enum)]
        kind: Kind,
        #[arg(long, value_enum, default_value_t = Format::Json)]
        format: Format,
        #[arg(long, value_parser = parse_project)]
        project: Option<ProjectId>,
        #[arg(long)]
        year: Option<i32>,
    },
    /// Recompute every invariant (coordinators only)
    Check,
    /// A backup of one moment to standard output (coordinators only):
    /// `ssh ... backup > qiangji.backup`
    Backup,
    /// How many dashboard sessions are open (coordinators only)
    Sessions,
}

/// Runs `line` for `actor`: what to print and the exit status.
pub fn run(hub: &Hub, actor: &Actor, line: &str, lang: Lang) -> (Vec<u8>, u32) {
    let mut out = Vec::new();
    let words = match shell_words::split(line) {
        Ok(w) => w,
        Err(_) => {
            let _ = writeln!(out, "{}", lang.pick("引号不配对", "unbalanced quotes"));
            return (out, 64);
        }
    };
    let command = match Remote::try_parse_from(&words) {
        Ok(c) => c,
        Err(e) => {
            let _ = write!(
                out,
                "{}",
                crate::export::cell::plain(&e.render().to_string())
            );
            let code = if e.use_stderr() { 64 } else { 0 };
            return (out, code);
        }
    };
    match execute(hub, actor, command, lang, &mut out) {
        Ok(()) => (out, 0),
        Err(message) => {
            let _ = writeln!(out, "qiangji: {message}");
            (out, 1)
        }
    }
}

fn execute(
    hub: &Hub,
    actor: &Actor,
    command: Remote,
    lang: Lang,
    out: &mut Vec<u8>,
) -> Result<(), String> {
    let registry = &hub.registry;
    // Every read goes through the role's reader: a chief's export holds
    // only their group, phones are masked where the role says so.
    let reader = registry.reader(actor);
    let failed = |e: crate::export::ExportError| e.localized(lang);
    match command {
        Remote::Ledger {
            project,
            year,
            format,
        } => {
            let project = scope(actor, project, lang)?;
            let selection = Selection {
                project,
                school: None,
                year,
            };
            let rows = balances::rows(&reader, &selection).map_err(failed)?;
            match format {
                LedgerFormat::Json => balances::json(&rows, out),
                LedgerFormat::Csv => balances::csv(&rows, lang, out),
                LedgerFormat::Hledger => crate::export::hledger::journal(
                    &reader,
                    &selection,
                    lang,
                    registry.today(),
                    out,
                ),
                LedgerFormat::Table => balances::table(&rows, lang, out),
            }
            .map_err(failed)
        }
        Remote::Export {
            kind,
            format,
            project,
            year,
        } => {
            let project = scope(actor, project, lang)?;
            let filter = Filter { project, year };
            match format {
                Format::Json => crate::export::json(&reader, kind, &filter, lang, out),
                Format::Csv => crate::export::csv(&reader, kind, &filter, lang, out),
                Format::Xlsx => {
                    return Err(lang
                        .pick(
                            "xlsx 请在本机导出；SSH 上可用 json 或 csv",
                            "export xlsx locally; over SSH use json or csv",
                        )
                        .into());
                }
            }
            .map_err(failed)
        }
        Remote::Check => {
            admin_only(actor, lang)?;
            let report = registry.check(lang).map_err(|e| e.localized(lang))?;
            for (zh, en, n) in &report.counts {
                let _ = writeln!(out, "  {:<12} {n:>10}", lang.pick(zh, en));
            }
            for v in &report.violations {
                let _ = writeln!(out, "  - {}", crate::export::cell::plain(v));
            }
            if report.ok() {
                let _ = writeln!(out, "{}", lang.pick("全部校验通过。", "every check holds."));
                Ok(())
            } else {
                Err(format!(
                    "{} {}",
                    report.violations.len(),
                    lang.pick("处不一致", "violations")
                ))
            }
        }
        Remote::Backup => {
            admin_only(actor, lang)?;
            crate::registry::backup::write(registry, &mut *out)
                .map(|_| ())
                .map_err(|e| e.localized(lang))
        }
        Remote::Sessions => {
            admin_only(actor, lang)?;
            let _ = writeln!(out, "sessions: {}", hub.sessions());
            Ok(())
        }
    }
}

/// The group a read may cover: the one asked for if the role may read it;
/// without one, everything for those who read everything, else the user's
/// own group.
fn scope(actor: &Actor, asked: Option<ProjectId>, lang: Lang) -> Result<Option<ProjectId>, String> {
    let denied = |p: ProjectId| {
        format!(
            "{} {} ({})",
            actor.role.label(lang),
            lang.pick("无权查看", "may not read"),
            p.group_name(lang)
        )
    };
    match (&actor.role, asked) {
        (role, Some(p)) if role.can_read(p) => Ok(Some(p)),
        (_, Some(p)) => Err(denied(p)),
        (Role::Admin | Role::Finance, None) => Ok(None),
        (Role::ChiefCoach(p) | Role::Coach(p), None) => Ok(Some(*p)),
        (Role::Viewer(ps), None) if ps.len() == 1 => Ok(Some(ps[0])),
        (Role::Viewer(_), None) => Err(lang
            .pick("请用 --project 指定项目组", "name the group with --project")
            .into()),
    }
}

fn admin_only(actor: &Actor, lang: Lang) -> Result<(), String> {
    match actor.role {
        Role::Admin => Ok(()),
        _ => Err(lang
            .pick("只有工作专班可以运行", "for coordinators only")
            .into()),
    }
}
