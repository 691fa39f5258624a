//! The command line's grammar: the global options, every subcommand and its
//! arguments, and the parsers of their values. The local CLI (`crate::cli`)
//! and the SSH server's exec commands (`crate::ssh::exec`) both parse with
//! it, so a command means the same in both places; where each may run and
//! for whom is [`super::gate`].

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::demo::Scale;
use crate::domain::ProjectId;
use crate::i18n::{Lang, Localized};

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
    /// Working-day calendar (TOML: public holidays and adjusted working days) [default: calendar.toml in the config dir, else the built-in one]
    #[arg(long, global = true, value_name = "FILE")]
    pub calendar: Option<PathBuf>,
}

/// The variable that sets the language when `--lang` is not given.
pub const LANG_VAR: &str = "QIANGJI_LANG";

impl Global {
    /// Sets `lang` from `--lang`, else from `env_value` (`QIANGJI_LANG`). A
    /// value given but not understood is a usage error, in the language of
    /// the other source if that one is understood, else in Chinese.
    pub fn resolve_lang(&mut self, env_value: Option<&str>) -> Result<Lang, String> {
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
                Err(match fallback {
                    Lang::Zh => format!("{source} 的值 \"{given}\" 不是可用的语言；请用 zh 或 en"),
                    Lang::En => {
                        format!(
                            "{source}: \"{given}\" is not a language qiangji speaks; use zh or en"
                        )
                    }
                })
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
        #[arg(long, default_value = "30m", value_parser = parse_duration)]
        idle: std::time::Duration,
        /// At most this many dashboard sessions at once
        #[arg(long, default_value_t = 64)]
        max_sessions: usize,
        /// Write a backup into DIR at every --backup-every and before every import or rollover
        #[arg(long, value_name = "DIR")]
        backup_dir: Option<PathBuf>,
        /// How often the scheduled backup is written (24h, 90m)
        #[arg(long, default_value = "24h", value_parser = parse_duration, requires = "backup_dir")]
        backup_every: std::time::Duration,
        /// Keep the newest N backups, and besides them the newest of each month
        #[arg(long, value_name = "N", default_value_t = 14, value_parser = clap::value_parser!(u32).range(1..), requires = "backup_dir")]
        backup_keep: u32,
        /// Print a systemd unit that runs this server as it is asked here, and exit
        #[arg(long)]
        print_unit: bool,
        /// The account the unit runs as (with --print-unit)
        #[arg(long, value_name = "NAME", requires = "print_unit")]
        user: Option<String>,
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
        /// This year's accounts, or `all` for every year [default: the current year]
        #[arg(long, value_name = "YEAR|all", value_parser = parse_ledger_year)]
        year: Option<LedgerYear>,
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
        /// For `schedule`: only the sessions this coach teaches (the appointment's number)
        #[arg(long, value_name = "ID")]
        coach: Option<u64>,
        /// For `schedule`: only the sessions on this trainee's roster (the trainee's number)
        #[arg(long, value_name = "ID")]
        trainee: Option<u64>,
        /// For `school-application`: the base school's number
        #[arg(long, value_name = "ID")]
        school: Option<u64>,
        /// For `sign-in`: the session's number (the id column of export schedule)
        #[arg(long, value_name = "ID")]
        session: Option<u64>,
        /// Write to FILE instead of standard output
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Import a school's recommendation list (.xlsx or .csv in UTF-8 or GBK): every row checked, all or none written
    Import {
        #[arg(value_enum)]
        what: ImportKind,
        /// The list: .xlsx, or .csv in UTF-8 (with or without BOM) or GBK/GB18030; `-` reads it from standard input
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
        /// The application date of every row when the list has no date column (default: today)
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_application_date)]
        date: Option<chrono::NaiveDate>,
    },
    /// Write a backup of the whole database to FILE: one moment, versioned and checksummed
    Backup {
        /// The backup file; `-` or nothing: standard output (`ssh ... backup > qiangji.backup`)
        file: Option<PathBuf>,
    },
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
        action: UserCmd,
    },
    /// How many dashboard sessions the server has open (over SSH; locally, whether a server holds the database)
    Sessions,
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
    /// iCalendar (RFC 5545), for the schedule: imported into a phone's calendar
    Ics,
    /// A Word document, for the plan, the report and a school's application
    Docx,
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
    /// A group's sessions (--project ID, --coach ID or --trainee ID): ics, json, csv or xlsx
    Schedule,
    /// A group's annual implementation plan, its five parts (--project ID --year Y): docx
    Plan,
    /// A group's completion report (--project ID --year Y): docx
    Report,
    /// A base school's application form, annex 2 (--school ID): docx
    SchoolApplication,
    /// One session's sign-in sheet (--session ID): xlsx, A4
    SignIn,
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

/// `ledger --year`: one year, or the whole history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LedgerYear {
    All,
    Year(i32),
}

pub fn parse_ledger_year(s: &str) -> Result<LedgerYear, String> {
    parse_ledger_year_in(s, Lang::En)
}

pub(crate) fn parse_ledger_year_in(s: &str, lang: Lang) -> Result<LedgerYear, String> {
    let s = s.trim();
    if s.eq_ignore_ascii_case("all") {
        return Ok(LedgerYear::All);
    }
    s.parse::<i32>()
        .ok()
        .filter(|y| (1900..=9999).contains(y))
        .map(LedgerYear::Year)
        .ok_or_else(|| match lang {
            Lang::Zh => format!("“{s}”不是年度（如 2026），也不是 all"),
            Lang::En => format!("{s:?} is not a year (e.g. 2026) or all"),
        })
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

/// A date as a list writes it (2026-09-01, 2026/9/1, 2026年9月1日).
pub fn parse_application_date(s: &str) -> Result<chrono::NaiveDate, String> {
    crate::import::parse_date(s).map_err(|r| r.localized(Lang::En))
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

#[derive(Subcommand, Debug)]
pub enum UserCmd {
    /// Add a user with one or more SSH public keys
    Add {
        /// Login name (what they type after ssh: `ssh -p 2222 NAME@host`)
        name: String,
        /// admin, chief, coach, finance or viewer
        #[arg(long)]
        role: String,
        /// The group of a chief or coach; one or more for a viewer
        #[arg(long = "project", value_parser = parse_project, num_args = 1..)]
        projects: Vec<ProjectId>,
        /// A public key file (`id_ed25519.pub` or `authorized_keys` lines); repeat for more
        #[arg(long = "key", value_name = "FILE.pub", required = true)]
        keys: Vec<PathBuf>,
        /// The name shown in the title bar [default: the login]
        #[arg(long = "display-name")]
        display_name: Option<String>,
        /// The language of their sessions: zh, en or server [default: the server's]; `SetEnv QIANGJI_LANG` overrides it per connection. (`--lang` is the language qiangji answers you in.)
        #[arg(long = "language", value_enum)]
        lang: Option<UserLang>,
    },
    /// Change a user's role (with its groups) or language; their open sessions follow at once
    Change {
        name: String,
        /// The new role: admin, chief, coach, finance or viewer [default: unchanged]
        #[arg(long)]
        role: Option<String>,
        /// The group of a chief or coach; one or more for a viewer
        #[arg(long = "project", value_parser = parse_project, num_args = 1..)]
        projects: Vec<ProjectId>,
        /// Their sessions' language: zh, en, or server (the server's) [default: unchanged]
        #[arg(long = "language", value_enum)]
        lang: Option<UserLang>,
    },
    /// Add or remove one of a user's SSH public keys
    Key {
        #[command(subcommand)]
        action: KeyCmd,
    },
    /// List users, their roles and key fingerprints
    List {
        #[arg(long, value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
    },
    /// Mark a user removed: they can no longer log in; the record stays
    Remove { name: String },
}

#[derive(Subcommand, Debug)]
pub enum KeyCmd {
    /// Give a user one more key: a .pub file, or `-` for standard input (`ssh admin@host user key add li - < li.pub`)
    Add { name: String, file: PathBuf },
    /// Take a key from a user, by the fingerprint `user list` shows (SHA256:...); their sessions with it end
    Remove { name: String, fingerprint: String },
}

/// A user's language: one of the interface's, or the server's.
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserLang {
    Zh,
    En,
    /// The server's language (`serve --lang`)
    Server,
}

impl UserLang {
    pub fn lang(self) -> Option<Lang> {
        match self {
            UserLang::Zh => Some(Lang::Zh),
            UserLang::En => Some(Lang::En),
            UserLang::Server => None,
        }
    }
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListFormat {
    Table,
    Json,
}

/// `30m`, `90s`, `2h`, or plain seconds.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    parse_duration_in(s, Lang::En)
}

pub(crate) fn parse_duration_in(s: &str, lang: Lang) -> Result<Duration, String> {
    let s = s.trim();
    let (number, unit) = s.split_at(s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len()));
    let n: u64 = number.parse().map_err(|_| match lang {
        Lang::Zh => "请写成 30m、90s 或 2h 这样的时长".to_string(),
        Lang::En => format!("{s:?}: write a duration like 30m, 90s or 2h"),
    })?;
    let seconds = match unit {
        "" | "s" => n,
        "m" => n * 60,
        "h" => n * 3600,
        _ => {
            return Err(match lang {
                Lang::Zh => "单位须为 s、m 或 h（秒、分、时）".to_string(),
                Lang::En => format!("{s:?}: the unit is s, m or h"),
            });
        }
    };
    if seconds == 0 {
        return Err(match lang {
            Lang::Zh => "须大于零".to_string(),
            Lang::En => format!("{s:?}: more than zero"),
        });
    }
    Ok(Duration::from_secs(seconds))
}
