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
use crate::command_line::{Cli, Cmd, Format, KeyCmd, UserCmd, exit_code, help};
use crate::domain::Actor;
use crate::i18n::{Lang, Localized};
use crate::runner::users::KeyFile;
use crate::runner::{self, Failure, Invocation};

/// What a command wrote and how it ended.
#[derive(Debug, Default)]
pub struct Output {
    /// Data: what a redirect (`> file`) keeps.
    pub out: Vec<u8>,
    /// Messages and refusals (SSH extended data 1).
    pub err: Vec<u8>,
    pub status: u32,
}

impl Output {
    fn said(text: &str, status: i32) -> Output {
        let mut o = Output {
            status: status as u32,
            ..Output::default()
        };
        let _ = writeln!(o.err, "{}", safe_lines(text.trim_end()));
        o
    }
}

/// Parses an exec line in the CLI's grammar; help and usage errors are the
/// outcome itself. `session_lang` is the connection's (`QIANGJI_LANG`);
/// `--lang` on the line overrides it as it does locally.
pub fn parse(line: &str, session_lang: Lang) -> Result<(Cli, Lang), Output> {
    let words = match shell_words::split(line) {
        Ok(w) => w,
        Err(_) => {
            return Err(Output::said(
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
            Err(message) => Err(Output::said(
                &format!("qiangji: {message}"),
                exit_code::USAGE,
            )),
        },
        Ok(Err(path)) => Err(match help::help_of(lang, &path) {
            Some(text) => Output {
                out: text.into_bytes(),
                ..Output::default()
            },
            None => Output::said(
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
                Err(Output {
                    out: safe_lines(&text).into_bytes(),
                    ..Output::default()
                })
            } else {
                Err(Output::said(&text, code))
            }
        }
    }
}

/// A command line parsed and let through the gate, waiting for its input
/// when it reads standard input.
pub struct Prepared {
    cli: Cli,
    lang: Lang,
}

impl Prepared {
    /// Whether the command reads the channel's standard input (`import
    /// applications -`, `user add --key -`): it runs after the client's EOF.
    pub fn needs_input(&self) -> bool {
        match &self.cli.command {
            Some(Cmd::Import { .. }) => true,
            Some(Cmd::User {
                action: UserCmd::Add { keys, .. },
            }) => keys.iter().any(|k| k.as_os_str() == "-"),
            Some(Cmd::User {
                action:
                    UserCmd::Key {
                        action: KeyCmd::Add { .. },
                    },
            }) => true,
            _ => false,
        }
    }
}

/// Parses `line` and checks it against `actor`'s role: the command ready
/// to run, or what to answer at once (help, a usage error, a refusal).
pub fn prepare(actor: &Actor, line: &str, lang: Lang) -> Result<Prepared, Output> {
    let (cli, lang) = parse(line, lang)?;
    if let Err(refusal) = gate::check(&cli, Place::Ssh, &actor.role) {
        return Err(Output::said(
            &format!("qiangji: {}", refusal.message(lang)),
            refusal.exit_code(),
        ));
    }
    Ok(Prepared { cli, lang })
}

/// Runs a prepared command for `actor`. `input` is the channel's standard
/// input, read whole (`None` when it went over the size a list may have);
/// `pty`: the client asked for a terminal, so no binary data is written.
pub fn run(
    hub: &Hub,
    actor: &Actor,
    prepared: Prepared,
    input: Option<Vec<u8>>,
    pty: bool,
) -> Output {
    let lang = prepared.lang;
    let ctx = Invocation {
        registry: &hub.registry,
        actor,
        lang,
        out_is_terminal: pty,
    };
    let mut outcome = Output::default();
    let result = execute(
        hub,
        &ctx,
        prepared.cli,
        input,
        &mut outcome.out,
        &mut outcome.err,
    );
    if let Err(failure) = result {
        // A refused command writes no data; an import's report of bad
        // rows is the data itself.
        if !matches!(failure, Failure::Failed) {
            outcome.out.clear();
        }
        if let Some(message) = failure.message(lang) {
            let _ = writeln!(outcome.err, "qiangji: {}", one_line(&message));
        }
        outcome.status = failure.exit_code() as u32;
    }
    outcome
}

fn execute(
    hub: &Hub,
    ctx: &Invocation<'_>,
    cli: Cli,
    input: Option<Vec<u8>>,
    out: &mut Vec<u8>,
    err: &mut Vec<u8>,
) -> Result<(), Failure> {
    let lang = ctx.lang;
    let too_large = || {
        Failure::Refused(
            lang.pick(
                "标准输入超过了允许的大小",
                "standard input is larger than allowed",
            )
            .into(),
        )
    };
    let Some(command) = cli.command else {
        return Err(Failure::Refused(
            gate::Refusal::LocalOnly("qiangji").message(lang),
        ));
    };
    match command {
        Cmd::Ledger {
            project,
            school,
            year,
            format,
            ..
        } => runner::ledger(ctx, project, school.as_deref(), year, format, out),
        Cmd::Export {
            kind: crate::command_line::ExportKind::SignIn,
            session,
            ..
        } => runner::export_sign_in(ctx, session, out),
        Cmd::Export {
            kind: crate::command_line::ExportKind::Schedule,
            format,
            project,
            coach,
            trainee,
            ..
        } => runner::export_schedule(
            ctx,
            format.unwrap_or(Format::Ics),
            project.and_then(|p| p.one()),
            coach,
            trainee,
            out,
        ),
        Cmd::Export {
            kind:
                kind @ (crate::command_line::ExportKind::Plan
                | crate::command_line::ExportKind::Report
                | crate::command_line::ExportKind::SchoolApplication),
            format,
            project,
            year,
            school,
            ..
        } => runner::export_document(
            ctx,
            kind,
            format,
            project.and_then(|p| p.one()),
            year,
            school,
            out,
        ),
        Cmd::Export {
            kind,
            what,
            format,
            project,
            year,
            ..
        } => match crate::runner::record_kind(kind) {
            Some(kind) => runner::export_records(
                ctx,
                kind,
                format.unwrap_or(Format::Json),
                project.and_then(|p| p.one()),
                year,
                out,
            ),
            None => runner::export_list(ctx, kind, what, format, project, year, out),
        },
        Cmd::Evaluation { year, format, .. } => {
            // The server's points table (its config dir, else the default).
            let points = crate::evaluation::points_table(None, lang).map_err(Failure::Refused)?;
            runner::evaluation(ctx, year, format, &points, out)
        }
        Cmd::Import {
            project,
            dry_run,
            skip_bad,
            date,
            ..
        } => {
            let bytes = input.ok_or_else(too_large)?;
            let table = crate::import::read::from_bytes(
                bytes,
                std::path::Path::new(lang.pick("（标准输入）", "(standard input)")),
            )
            .map_err(|e| Failure::Refused(e.localized(lang)))?;
            let options = crate::import::Options {
                project,
                dry_run,
                skip_bad,
                date,
            };
            runner::import(ctx, &table, options, out)
        }
        Cmd::Check { .. } => runner::check(ctx, out),
        Cmd::Backup { .. } => runner::backup(ctx, out).map(|_| ()),
        Cmd::Rollover { to, daily_balance } => runner::rollover(ctx, to, daily_balance, out),
        Cmd::Sessions => {
            let _ = writeln!(out, "sessions: {}", hub.sessions());
            Ok(())
        }
        Cmd::User { action } => {
            let mut keys = Vec::new();
            let reads_keys = match &action {
                UserCmd::Add { keys: named, .. } => !named.is_empty(),
                UserCmd::Key {
                    action: KeyCmd::Add { .. },
                } => true,
                _ => false,
            };
            if reads_keys {
                let text = String::from_utf8_lossy(&input.ok_or_else(too_large)?).into_owned();
                keys.push(KeyFile {
                    name: "-".into(),
                    text,
                });
            }
            runner::users::run(ctx, action, &keys, out, err)
        }
        Cmd::Demo { .. } | Cmd::Serve { .. } | Cmd::Restore { .. } | Cmd::Screenshot { .. } => Err(
            Failure::Refused(gate::Refusal::LocalOnly("qiangji").message(lang)),
        ),
    }
}

fn one_line(text: &str) -> String {
    crate::safe_text::one_line(text)
}

fn safe_lines(text: &str) -> String {
    crate::safe_text::lines(text)
}
