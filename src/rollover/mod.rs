//! The year's rollover (`qiangji rollover --to 2027`): enrolled trainees
//! simply carry on (nothing about them changes); each group's remaining
//! daily-fund balance of the old year is carried into the new year's account
//! or returned, always as recorded ledger entries (voucher `ROLLOVER-YEAR`),
//! never a silent edit; appointments whose term ended in the old year are
//! closed. Everything is one batch: all or none. Running it again finds
//! nothing left to do: the balances are zero and the terms closed.

use chrono::NaiveDate;

use crate::domain::{Account, Actor, CoachStage, Money, ProjectId, TraineeStage, ledger};
use crate::i18n::{Lang, Localized};
use crate::registry::{Command, Movement, Registry};

/// What happens to a daily fund's balance at the end of the year.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum DailyBalance {
    /// Moved into the new year's daily account.
    #[default]
    Carry,
    /// Given back to the bureau.
    Return,
}

/// What a rollover did (or would do).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Report {
    pub to: i32,
    /// (group, amount) carried or returned.
    pub balances: Vec<(ProjectId, Money)>,
    pub mode: DailyBalance,
    /// Appointments closed: (group, coach id).
    pub closed_terms: Vec<(ProjectId, u64)>,
    /// Enrolled trainees who carry on.
    pub carried_trainees: usize,
    pub commands: usize,
}

impl Report {
    pub fn nothing_to_do(&self) -> bool {
        self.commands == 0
    }

    pub fn lines(&self, lang: Lang) -> Vec<String> {
        let from = self.to - 1;
        let mut out = vec![match (lang, self.nothing_to_do()) {
            (Lang::Zh, true) => format!("{from} 年已结转到 {} 年，无需再做", self.to),
            (Lang::En, true) => format!(
                "{from} has already been rolled over to {}; nothing to do",
                self.to
            ),
            (Lang::Zh, false) => format!("已从 {from} 年结转到 {} 年", self.to),
            (Lang::En, false) => format!("rolled over from {from} to {}", self.to),
        }];
        out.push(match lang {
            Lang::Zh => format!("{} 名培养中的学员继续培养", self.carried_trainees),
            Lang::En => format!("{} enrolled trainees carry on", self.carried_trainees),
        });
        for (p, m) in &self.balances {
            out.push(match (lang, self.mode) {
                (Lang::Zh, DailyBalance::Carry) => format!(
                    "{} 日常培养经费结余 {} 结转至 {} 年",
                    p.group_name(lang),
                    m.display(),
                    self.to
                ),
                (Lang::En, DailyBalance::Carry) => format!(
                    "{}: daily-fund balance {} carried into {}",
                    p.group_name(lang),
                    m.display(),
                    self.to
                ),
                (Lang::Zh, DailyBalance::Return) => format!(
                    "{} 日常培养经费结余 {} 已退回",
                    p.group_name(lang),
                    m.display()
                ),
                (Lang::En, DailyBalance::Return) => format!(
                    "{}: daily-fund balance {} returned",
                    p.group_name(lang),
                    m.display()
                ),
            });
        }
        if !self.closed_terms.is_empty() {
            out.push(match lang {
                Lang::Zh => format!("{} 个到期的聘任已结束", self.closed_terms.len()),
                Lang::En => format!(
                    "{} appointments whose term ended were closed",
                    self.closed_terms.len()
                ),
            });
        }
        out
    }
}

/// The voucher every rollover entry carries.
pub fn voucher(to: i32) -> String {
    format!("{}{to}", crate::registry::bulk::ROLLOVER_VOUCHER)
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
}

/// The commands of the rollover to `to`, and what they do.
pub fn plan(
    registry: &Registry,
    to: i32,
    mode: DailyBalance,
) -> Result<(Vec<Command>, Report), crate::store::StoreError> {
    let from = to - 1;
    let (last_day, first_day) = (ymd(from, 12, 31), ymd(to, 1, 1));
    let mut commands = Vec::new();
    let mut report = Report {
        to,
        mode,
        ..Report::default()
    };
    for p in ProjectId::ALL {
        report.carried_trainees += registry
            .trainees(p)?
            .iter()
            .filter(|t| t.stage == TraineeStage::Enrolled)
            .count();
        let old = Account::daily(p, from);
        let left = registry.balance(&old)?.balance();
        if left.fen() > 0 {
            let (out_category, note) = match mode {
                DailyBalance::Carry => {
                    (ledger::CARRIED_OUT, format!("{from} 年结余结转至 {to} 年"))
                }
                DailyBalance::Return => (ledger::RETURNED, format!("{from} 年结余退回市教育局")),
            };
            commands.push(Command::AddEntry {
                account: old,
                date: last_day,
                movement: Movement::Expense,
                amount: left,
                category: out_category.into(),
                voucher: voucher(to),
                payee: match mode {
                    DailyBalance::Carry => {
                        format!("{} {to} 年日常培养经费", p.group_name(Lang::Zh))
                    }
                    DailyBalance::Return => "青岛市教育局".into(),
                },
                note: note.clone(),
            });
            if mode == DailyBalance::Carry {
                commands.push(Command::AddEntry {
                    account: Account::daily(p, to),
                    date: first_day,
                    movement: Movement::Allocation,
                    amount: left,
                    category: ledger::CARRIED_IN.into(),
                    voucher: voucher(to),
                    payee: String::new(),
                    note,
                });
            }
            report.balances.push((p, left));
        }
        for c in registry.coaches(p)? {
            if c.stage == CoachStage::Ended || c.term_end > last_day {
                continue;
            }
            let latest = c
                .history
                .iter()
                .map(|(_, d)| *d)
                .max()
                .unwrap_or(c.term_end);
            commands.push(Command::AdvanceCoach {
                id: c.id,
                version: c.stamp.version,
                to: CoachStage::Ended,
                date: c.term_end.max(latest),
                justification: None,
            });
            report.closed_terms.push((p, c.id));
        }
    }
    report.commands = commands.len();
    Ok((commands, report))
}

/// Plans and applies the rollover in one batch.
pub fn run(
    registry: &Registry,
    actor: &Actor,
    to: i32,
    mode: DailyBalance,
) -> Result<Report, String> {
    let (commands, report) = plan(registry, to, mode).map_err(|e| e.to_string())?;
    if !commands.is_empty() {
        registry.apply_batch(actor, &commands).map_err(|b| {
            format!(
                "{}\u{1f}{}",
                b.error.localized(Lang::Zh),
                b.error.localized(Lang::En)
            )
        })?;
    }
    Ok(report)
}
