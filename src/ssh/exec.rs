//! Commands over SSH: `ssh -p 2222 USER@host ledger --project math` runs a
//! command of the CLI's own grammar (`crate::command_line`) inside the
//! server, which holds the database, as the user the key names: the gate
//! decides what the role may run, and every read goes through the role's
//! reader. The line is split like a shell would (quotes, escapes) and never
//! given to a shell. Data goes to the channel's standard output, messages
//! and refusals to its standard error, with the CLI's exit codes.

use std::io::Write;

use clap::FromArgMatches;

use super::Hub;
use crate::command_line::gate::{self, Place};
use crate::command_line::{Cli, Cmd, LedgerFormat, exit_code, help};
use crate::domain::{Actor, ProjectId, Role};
use crate::export::balances::{self, Selection};
use crate::export::{Filter, Kind};
use crate::i18n::{Lang, Localized};

/// What a command wrote and how it ended.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Data: what a redirect (`> file`) keeps.
    pub out: Vec<u8>,
    /// Messages and refusals (SSH extended data 1).
    pub err: Vec<u8>,
    pub status: u32,
}

impl Outcome {
    fn said(text: &str, status: i32) -> Outcome {
        let mut o = Outcome {
            status: status as u32,
            ..Outcome::default()
        };
        let _ = writeln!(o.err, "{}", safe_lines(text.trim_end()));
        o
    }
}

/// Parses an exec line in the CLI's grammar; help and usage errors are the
/// outcome itself. `session_lang` is the connection's (`QIANGJI_LANG`);
/// `--lang` on the line overrides it as it does locally.
pub fn parse(line: &str, session_lang: Lang) -> Result<(Cli, Lang), Outcome> {
    let words = match shell_words::split(line) {
        Ok(w) => w,
        Err(_) => {
            return Err(Outcome::said(
                session_lang.pick("qiangji: 引号不配对", "qiangji: unbalanced quotes"),
                exit_code::USAGE,
            ));
        }
    };
    let args: Vec<std::ffi::OsString> = std::iter::once("qiangji".into())
        .chain(words.into_iter().map(Into::into))
        .collect();
    let lang = help::lang_before_parsing(&args, Some(session_lang.pick("zh", "en")));
    // The server's own environment (QIANGJI_DB) is not the user's: only
    // what the line says counts.
    let parsed = help::command(lang)
        .mut_arg("db", |a| a.env(None))
        .try_get_matches_from(&args)
        .and_then(|m| match help::help_asked(&m) {
            Some(path) => Ok(Err(path)),
            None => Cli::from_arg_matches(&m).map(Ok),
        });
    match parsed {
        Ok(Ok(mut cli)) => match cli.global.resolve_lang(Some(session_lang.pick("zh", "en"))) {
            Ok(lang) => Ok((cli, lang)),
            Err(message) => Err(Outcome::said(
                &format!("qiangji: {message}"),
                exit_code::USAGE,
            )),
        },
        Ok(Err(path)) => Err(match help::help_of(lang, &path) {
            Some(text) => Outcome {
                out: text.into_bytes(),
                ..Outcome::default()
            },
            None => Outcome::said(
                &match lang {
                    Lang::Zh => format!("qiangji: 没有“{}”这个命令", path.join(" ")),
                    Lang::En => format!("qiangji: no command {:?}", path.join(" ")),
                },
                exit_code::USAGE,
            ),
        }),
        Err(e) => {
            let (text, asked, code) = help::report(&e, lang);
            if asked {
                // --help, --version: asked for, so standard output, with
                // its line breaks.
                Err(Outcome {
                    out: safe_lines(&text).into_bytes(),
                    ..Outcome::default()
                })
            } else {
                Err(Outcome::said(&text, code))
            }
        }
    }
}

/// Runs `line` for `actor`.
pub fn run(hub: &Hub, actor: &Actor, line: &str, lang: Lang) -> Outcome {
    let (cli, lang) = match parse(line, lang) {
        Ok(parsed) => parsed,
        Err(outcome) => return outcome,
    };
    if let Err(refusal) = gate::check(&cli, Place::Ssh, &actor.role) {
        return Outcome::said(
            &format!("qiangji: {}", refusal.message(lang)),
            exit_code::REFUSED,
        );
    }
    let mut outcome = Outcome::default();
    match execute(hub, actor, cli, lang, &mut outcome.out) {
        Ok(()) => outcome,
        Err(message) => {
            // A refused command writes no data.
            outcome.out.clear();
            let _ = writeln!(outcome.err, "qiangji: {}", one_line(&message));
            outcome.status = exit_code::REFUSED as u32;
            outcome
        }
    }
}

fn execute(
    hub: &Hub,
    actor: &Actor,
    cli: Cli,
    lang: Lang,
    out: &mut Vec<u8>,
) -> Result<(), String> {
    let registry = &hub.registry;
    // Every read goes through the role's reader: a chief's export holds
    // only their group, phones are masked where the role says so.
    let reader = registry.reader(actor);
    let failed = |e: crate::export::ExportError| e.localized(lang);
    let Some(command) = cli.command else {
        return Err(gate::Refusal::LocalOnly("qiangji").message(lang));
    };
    match command {
        Cmd::Ledger {
            project,
            year,
            format,
            ..
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
        Cmd::Export {
            kind,
            format,
            project,
            year,
            ..
        } => {
            use crate::command_line::{ExportKind as E, Format};
            let kind = match kind {
                E::Trainees => Kind::Trainees,
                E::Coaches => Kind::Coaches,
                E::Schools => Kind::Schools,
                E::Assessments => Kind::Assessments,
                E::Ledger => Kind::Ledger,
                E::Audit => Kind::Audit,
                E::Template | E::Announcement | E::Filing => {
                    return Err(lang
                        .pick(
                            "名单请在本机导出，或用 sftp 下载",
                            "export the lists locally",
                        )
                        .into());
                }
            };
            let project = scope(actor, project.and_then(|p| p.one()), lang)?;
            let filter = Filter { project, year };
            match format.unwrap_or(Format::Json) {
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
        Cmd::Check { .. } => {
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
        Cmd::Backup { .. } => crate::registry::backup::write(registry, &mut *out)
            .map(|_| ())
            .map_err(|e| e.localized(lang)),
        Cmd::Sessions => {
            let _ = writeln!(out, "sessions: {}", hub.sessions());
            Ok(())
        }
        _ => Err(lang
            .pick(
                "此命令暂不能通过 SSH 运行",
                "this command cannot run over SSH yet",
            )
            .into()),
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

fn one_line(text: &str) -> String {
    crate::cli::safe_text::one_line(text)
}

fn safe_lines(text: &str) -> String {
    crate::cli::safe_text::lines(text)
}
