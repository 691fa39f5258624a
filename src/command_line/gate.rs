//! Where each subcommand may run and who may run it. Locally the file
//! system is the permission (whoever opens the database acts as its admin),
//! so only the SSH-only `sessions` differs; over SSH the user's role decides,
//! and nothing the user typed may name a file on the server: `-o`, `--db`,
//! `--points`, `--key` and a file to import are refused, except `-` for the
//! channel's own standard input or output.
//!
//! Writes are checked again by the registry against the acting user (the
//! source of truth); this gate refuses early, with a message that names the
//! role, what the registry would refuse anyway, and what it cannot judge
//! (server paths, commands that hold the database).

use std::path::Path;

use super::grammar::{Cli, Cmd, UserCmd};
use crate::domain::Role;
use crate::i18n::Lang;

/// Where a command line is run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    /// `qiangji ...` on the machine that holds the database.
    Local,
    /// `ssh user@host ...`: inside the server, as the user the key names.
    Ssh,
}

/// Why a command line may not run here.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Runs only on the server's machine (demo, serve, restore, screenshot).
    LocalOnly(&'static str),
    /// Options without a command over SSH (the dashboard is a shell, not a
    /// command).
    NoCommand,
    /// An option naming a file on the server (`-o`, `--db`, `--points`...).
    ServerPath(&'static str),
    /// The role may not run this command.
    Role { command: &'static str, role: Role },
}

impl Refusal {
    /// A line without a command is a usage error (64); the rest are
    /// refusals (1).
    pub fn exit_code(&self) -> i32 {
        match self {
            Refusal::NoCommand => super::exit_code::USAGE,
            _ => super::exit_code::REFUSED,
        }
    }

    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (Refusal::LocalOnly(c), Lang::Zh) => {
                format!("{c} 只能在服务器本机运行，不能通过 SSH 运行")
            }
            (Refusal::LocalOnly(c), Lang::En) => {
                format!("{c} runs only on the server's own machine, not over SSH")
            }
            (Refusal::NoCommand, Lang::Zh) => {
                "请给出命令，如 ssh ... ledger；不带命令连接（ssh -t）则打开工作台".to_string()
            }
            (Refusal::NoCommand, Lang::En) => {
                "name a command, e.g. ssh ... ledger; connect without one (ssh -t) for the dashboard"
                    .to_string()
            }
            (Refusal::ServerPath(opt), Lang::Zh) => format!(
                "通过 SSH 不能使用服务器上的文件（{opt}）：数据从标准输入读入（-），结果写到标准输出，如 ssh ... export filing --project math --format xlsx > 备案名单.xlsx；文件也可用 sftp/scp 存取"
            ),
            (Refusal::ServerPath(opt), Lang::En) => format!(
                "over SSH no file on the server may be named ({opt}): read from standard input (-) and redirect standard output, e.g. ssh ... export filing --project math --format xlsx > filing.xlsx; files also go through sftp/scp"
            ),
            (Refusal::Role { command, role }, Lang::Zh) => {
                format!("{}不能运行 {command}", role.label(lang))
            }
            (Refusal::Role { command, role }, Lang::En) => {
                format!("a {} may not run {command}", role.label(lang))
            }
        }
    }
}

/// Who may run a command over SSH.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Who {
    /// Every role: what it reads is limited to its groups by the reader.
    Reader,
    /// Those who may import a recommendation list: coordinators and chiefs.
    Importer,
    /// Coordinators (工作专班) only.
    Admin,
}

/// Whether `cli` may run at `place` for `role`.
pub fn check(cli: &Cli, place: Place, role: &Role) -> Result<(), Refusal> {
    let Some(command) = &cli.command else {
        // The dashboard: a shell request over SSH, not an exec command.
        return match place {
            Place::Local => Ok(()),
            Place::Ssh => Err(Refusal::NoCommand),
        };
    };
    if place == Place::Local {
        return Ok(());
    }
    if cli.global.db.is_some() {
        return Err(Refusal::ServerPath("--db"));
    }
    if cli.keymap.is_some() {
        return Err(Refusal::ServerPath("--keymap"));
    }
    if cli.global.calendar.is_some() {
        return Err(Refusal::ServerPath("--calendar"));
    }
    let (name, who) = ssh_rule(command)?;
    let allowed = match who {
        Who::Reader => true,
        Who::Importer => matches!(role, Role::Admin | Role::ChiefCoach(_)),
        Who::Admin => *role == Role::Admin,
    };
    if allowed {
        Ok(())
    } else {
        Err(Refusal::Role {
            command: name,
            role: role.clone(),
        })
    }
}

/// A command's name and who may run it over SSH, or why it cannot run there.
fn ssh_rule(command: &Cmd) -> Result<(&'static str, Who), Refusal> {
    let stdio = |path: &Path, opt: &'static str| {
        if path == Path::new("-") {
            Ok(())
        } else {
            Err(Refusal::ServerPath(opt))
        }
    };
    let output = |o: &Option<std::path::PathBuf>| match o {
        Some(p) => stdio(p, "-o"),
        None => Ok(()),
    };
    Ok(match command {
        Cmd::Demo { .. } => return Err(Refusal::LocalOnly("demo")),
        Cmd::Serve { .. } => return Err(Refusal::LocalOnly("serve")),
        Cmd::Restore { .. } => return Err(Refusal::LocalOnly("restore")),
        Cmd::Screenshot { .. } => return Err(Refusal::LocalOnly("screenshot")),
        Cmd::Check { accept_loss } => {
            if *accept_loss {
                return Err(Refusal::LocalOnly("check --accept-loss"));
            }
            ("check", Who::Admin)
        }
        Cmd::Ledger { output: o, .. } => {
            output(o)?;
            ("ledger", Who::Reader)
        }
        Cmd::Export { output: o, .. } => {
            output(o)?;
            ("export", Who::Reader)
        }
        Cmd::Evaluation {
            output: o, points, ..
        } => {
            output(o)?;
            if points.is_some() {
                return Err(Refusal::ServerPath("--points"));
            }
            ("evaluation", Who::Reader)
        }
        Cmd::Import { file, .. } => {
            stdio(file, "FILE")?;
            ("import", Who::Importer)
        }
        Cmd::Backup { file } => {
            if let Some(f) = file {
                stdio(f, "FILE")?;
            }
            ("backup", Who::Admin)
        }
        Cmd::Rollover { .. } => ("rollover", Who::Admin),
        Cmd::Sessions => ("sessions", Who::Admin),
        Cmd::User { action } => {
            if let UserCmd::Add { keys, .. } = action {
                for k in keys {
                    stdio(k, "--key")?;
                }
            }
            if let UserCmd::Key {
                action: super::grammar::KeyCmd::Add { file, .. },
            } = action
            {
                stdio(file, "FILE")?;
            }
            ("user", Who::Admin)
        }
    })
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;
    use crate::domain::ProjectId;

    fn line(words: &[&str]) -> Cli {
        Cli::try_parse_from(std::iter::once("qiangji").chain(words.iter().copied()))
            .expect("parses")
    }

    fn over_ssh(words: &[&str], role: &Role) -> Result<(), Refusal> {
        check(&line(words), Place::Ssh, role)
    }

    #[test]
    fn over_ssh_no_option_may_name_a_file_on_the_server() {
        let admin = Role::Admin;
        for words in [
            &["export", "trainees", "-o", "/etc/passwd"][..],
            &["ledger", "--output", "x.csv"],
            &["evaluation", "--year", "2026", "--points", "/etc/shadow"],
            &["import", "applications", "/root/list.csv"],
            &["backup", "/tmp/b"],
            &[
                "user",
                "add",
                "li",
                "--role",
                "admin",
                "--key",
                "/root/.ssh/id.pub",
            ],
            &["--db", "/srv/other", "ledger"],
            &["--calendar", "/etc/passwd", "ledger"],
        ] {
            assert!(
                matches!(over_ssh(words, &admin), Err(Refusal::ServerPath(_))),
                "{words:?}"
            );
        }
        for words in [
            &["import", "applications", "-", "--dry-run"][..],
            &["backup"],
            &["backup", "-"],
            &["export", "filing", "--project", "math", "--format", "xlsx"],
        ] {
            assert_eq!(over_ssh(words, &admin), Ok(()), "{words:?}");
        }
    }

    #[test]
    fn over_ssh_each_command_is_gated_by_role() {
        let chief = Role::ChiefCoach(ProjectId::Math);
        let coach = Role::Coach(ProjectId::Math);
        assert_eq!(over_ssh(&["ledger"], &coach), Ok(()));
        assert_eq!(over_ssh(&["evaluation", "--year", "2026"], &coach), Ok(()));
        assert_eq!(over_ssh(&["import", "applications", "-"], &chief), Ok(()));
        for (words, role) in [
            (&["import", "applications", "-"][..], &coach),
            (&["check"], &chief),
            (&["backup"], &Role::Finance),
            (&["sessions"], &chief),
            (&["user", "list"], &chief),
            (&["rollover", "--to", "2027"], &chief),
        ] {
            assert!(
                matches!(over_ssh(words, role), Err(Refusal::Role { .. })),
                "{words:?}"
            );
        }
        for words in [
            &["demo"][..],
            &["serve"],
            &["restore", "b"],
            &["screenshot", "--out", "x"],
            &["check", "--accept-loss"],
        ] {
            assert!(
                matches!(over_ssh(words, &Role::Admin), Err(Refusal::LocalOnly(_))),
                "{words:?}"
            );
        }
        assert_eq!(
            over_ssh(&["--lang", "en"], &Role::Admin),
            Err(Refusal::NoCommand)
        );
        // Locally the file system is the permission.
        assert_eq!(check(&line(&["demo"]), Place::Local, &coach), Ok(()));
    }

    #[test]
    fn refusals_speak_both_languages() {
        let r = Refusal::Role {
            command: "check",
            role: Role::Coach(ProjectId::Math),
        };
        assert!(
            r.message(Lang::Zh).contains("数学组教练员"),
            "{}",
            r.message(Lang::Zh)
        );
        assert!(
            r.message(Lang::En).contains("Mathematics group coach"),
            "{}",
            r.message(Lang::En)
        );
    }
}
