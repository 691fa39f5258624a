//! Warnings: what a command was allowed to do but a person should look at.
//! A second applicant with the same name and school as an existing trainee,
//! a voucher number already used in the same account and year. The command
//! is applied; the warning names the record it resembles.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::Registry;
use super::command::{Command, Event};
use crate::domain::{Account, Money, ProjectId, TraineeStage};
use crate::i18n::{Lang, Localized};
use crate::store::StoreError;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Warning {
    /// An existing trainee has the applicant's name and school.
    SameTrainee {
        name: String,
        school: String,
        project: ProjectId,
        stage: TraineeStage,
        existing: u64,
    },
    /// The voucher number is already on another entry of the account.
    SameVoucher {
        voucher: String,
        account: Account,
        date: NaiveDate,
        amount: Money,
        existing: u64,
    },
}

impl Localized for Warning {
    fn localized(&self, lang: Lang) -> String {
        match self {
            Warning::SameTrainee {
                name,
                school,
                project,
                stage,
                ..
            } => match lang {
                Lang::Zh => format!(
                    "注意：已有同名同校学员 {name}（{school}，{}，{}）；请核对是否重复申报",
                    project.group_name(lang),
                    stage.label(lang)
                ),
                Lang::En => format!(
                    "note: a trainee {name} of {school} already exists ({}, {}); check this is not the same application twice",
                    project.group_name(lang),
                    stage.label(lang)
                ),
            },
            Warning::SameVoucher {
                voucher,
                account,
                date,
                amount,
                ..
            } => match lang {
                Lang::Zh => format!(
                    "注意：凭证号 {voucher} 已用于{} {} 年 {date} 的一笔 {}；请核对凭证号",
                    account.fund.label(lang),
                    account.year,
                    amount.display()
                ),
                Lang::En => format!(
                    "note: voucher {voucher} is already on the {} {} entry of {date} for {}; check the voucher number",
                    account.year,
                    account.fund.label(lang),
                    amount.display()
                ),
            },
        }
    }
}

impl Registry {
    /// The warnings of commands just applied, each with its event: read
    /// after the transaction, once per batch (one scan of the trainees, one
    /// of each account named).
    pub(crate) fn warnings(
        &self,
        commands: &[Command],
        events: &mut [Event],
    ) -> Result<(), StoreError> {
        let mut applicants = HashSet::new();
        let mut accounts = HashSet::new();
        for c in commands {
            match c {
                Command::Apply(a) => {
                    applicants
                        .insert((a.name.trim().to_string(), a.home_school.trim().to_string()));
                }
                Command::AddEntry {
                    account, voucher, ..
                } if !voucher.trim().is_empty() => {
                    accounts.insert(*account);
                }
                _ => {}
            }
        }
        let mut trainees: HashMap<(String, String), Vec<Warning>> = HashMap::new();
        if !applicants.is_empty() {
            for t in self.all_trainees() {
                let t = t?;
                let key = (t.name.clone(), t.home_school.clone());
                if applicants.contains(&key) {
                    trainees.entry(key).or_default().push(Warning::SameTrainee {
                        name: t.name,
                        school: t.home_school,
                        project: t.project,
                        stage: t.stage,
                        existing: t.id,
                    });
                }
            }
        }
        let mut vouchers: HashMap<(Account, String), Vec<Warning>> = HashMap::new();
        for account in accounts {
            for e in self.entries(&account)? {
                if e.voucher.is_empty() {
                    continue;
                }
                vouchers
                    .entry((account, e.voucher.clone()))
                    .or_default()
                    .push(Warning::SameVoucher {
                        voucher: e.voucher,
                        account,
                        date: e.date,
                        amount: e.amount,
                        existing: e.id,
                    });
            }
        }
        let existing = |w: &Warning| match w {
            Warning::SameTrainee { existing, .. } | Warning::SameVoucher { existing, .. } => {
                *existing
            }
        };
        for (c, event) in commands.iter().zip(events.iter_mut()) {
            let found = match c {
                Command::Apply(a) => {
                    trainees.get(&(a.name.trim().to_string(), a.home_school.trim().to_string()))
                }
                Command::AddEntry {
                    account, voucher, ..
                } => vouchers.get(&(*account, voucher.trim().to_string())),
                _ => None,
            };
            if let Some(found) = found {
                event.warnings = found
                    .iter()
                    .filter(|w| existing(w) != event.id)
                    .cloned()
                    .collect();
            }
        }
        Ok(())
    }
}
