//! Warnings: what a command was allowed to do but a person should look at.
//! A second applicant with the same name and school as an existing trainee,
//! a voucher number already used in the same account and year. The command
//! is applied; the warning names the record it resembles.

use std::collections::{HashMap, HashSet};

use chrono::{NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};

use super::Registry;
use super::command::{ApplicationInput, Command, Event};
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
    /// An existing trainee has the applicant's phone number (and another
    /// name or school).
    SamePhone {
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
    /// A coach of the session teaches another session at the same time.
    CoachBusy {
        coach: String,
        date: NaiveDate,
        start: NaiveTime,
        end: NaiveTime,
        topic: String,
        project: ProjectId,
        existing: u64,
    },
    /// The session's place (a school's room, a named place) holds another
    /// session at the same time.
    PlaceBusy {
        date: NaiveDate,
        start: NaiveTime,
        end: NaiveTime,
        topic: String,
        project: ProjectId,
        existing: u64,
    },
}

/// "08:30-11:30".
fn span(start: &NaiveTime, end: &NaiveTime) -> String {
    format!("{}-{}", start.format("%H:%M"), end.format("%H:%M"))
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
            Warning::SamePhone {
                name,
                school,
                project,
                stage,
                ..
            } => match lang {
                Lang::Zh => format!(
                    "注意：联系电话与已有学员 {name}（{school}，{}，{}）相同；请核对是否重复申报",
                    project.group_name(lang),
                    stage.label(lang)
                ),
                Lang::En => format!(
                    "note: the phone number is that of the trainee {name} of {school} ({}, {}); check this is not the same application twice",
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
            Warning::CoachBusy {
                coach,
                date,
                start,
                end,
                topic,
                project,
                ..
            } => match lang {
                Lang::Zh => format!(
                    "注意：教练员 {coach} 在 {date} {} 已有培养活动“{topic}”（{}）；请核对时间",
                    span(start, end),
                    project.group_name(lang)
                ),
                Lang::En => format!(
                    "note: the coach {coach} already teaches \"{topic}\" ({}) on {date} {}; check the time",
                    project.group_name(lang),
                    span(start, end)
                ),
            },
            Warning::PlaceBusy {
                date,
                start,
                end,
                topic,
                project,
                ..
            } => match lang {
                Lang::Zh => format!(
                    "注意：该地点在 {date} {} 已有培养活动“{topic}”（{}）；请核对地点和时间",
                    span(start, end),
                    project.group_name(lang)
                ),
                Lang::En => format!(
                    "note: the place already holds \"{topic}\" ({}) on {date} {}; check the place and time",
                    project.group_name(lang),
                    span(start, end)
                ),
            },
        }
    }
}

/// The most double bookings named for one command (a series may clash on
/// every one of its days).
const MAX_BOOKING_WARNINGS: usize = 20;

impl Registry {
    /// For each applicant, the recorded trainees it resembles: the same
    /// name and school, or (else) the same phone number. One scan of the
    /// trainees for them all; the form and the import warn alike.
    pub fn applicant_warnings(
        &self,
        applicants: &[&ApplicationInput],
    ) -> Result<Vec<Vec<Warning>>, StoreError> {
        let mut out = vec![Vec::new(); applicants.len()];
        if applicants.is_empty() {
            return Ok(out);
        }
        let mut by_name: HashMap<(&str, &str), Vec<usize>> = HashMap::new();
        let mut by_phone: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, a) in applicants.iter().enumerate() {
            by_name
                .entry((a.name.trim(), a.home_school.trim()))
                .or_default()
                .push(i);
            let phone = a.phone.trim();
            if !phone.is_empty() {
                by_phone.entry(phone).or_default().push(i);
            }
        }
        for t in self.all_trainees() {
            let t = t?;
            let named = by_name
                .get(&(t.name.as_str(), t.home_school.as_str()))
                .cloned()
                .unwrap_or_default();
            for &i in &named {
                out[i].push(Warning::SameTrainee {
                    name: t.name.clone(),
                    school: t.home_school.clone(),
                    project: t.project,
                    stage: t.stage,
                    existing: t.id,
                });
            }
            let phone = t.phone.trim();
            if phone.is_empty() {
                continue;
            }
            for &i in by_phone.get(phone).into_iter().flatten() {
                if !named.contains(&i) {
                    out[i].push(Warning::SamePhone {
                        name: t.name.clone(),
                        school: t.home_school.clone(),
                        project: t.project,
                        stage: t.stage,
                        existing: t.id,
                    });
                }
            }
        }
        Ok(out)
    }

    /// The warnings of commands just applied, each with its event: read
    /// after the transaction, once per batch (one scan of the trainees, one
    /// of each account named).
    pub(crate) fn warnings(
        &self,
        commands: &[Command],
        events: &mut [Event],
    ) -> Result<(), StoreError> {
        let mut applicants = Vec::new();
        let mut accounts = HashSet::new();
        for (i, c) in commands.iter().enumerate() {
            match c {
                Command::Apply(a) | Command::ApplyRecommended { input: a, .. } => {
                    applicants.push((i, a));
                }
                Command::AddEntry {
                    account, voucher, ..
                } if !voucher.trim().is_empty() => {
                    accounts.insert(*account);
                }
                _ => {}
            }
        }
        let inputs: Vec<&ApplicationInput> = applicants.iter().map(|(_, a)| *a).collect();
        let mut trainees: HashMap<usize, Vec<Warning>> = applicants
            .iter()
            .map(|(i, _)| *i)
            .zip(self.applicant_warnings(&inputs)?)
            .collect();
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
            Warning::SameTrainee { existing, .. }
            | Warning::SamePhone { existing, .. }
            | Warning::SameVoucher { existing, .. }
            | Warning::CoachBusy { existing, .. }
            | Warning::PlaceBusy { existing, .. } => *existing,
        };
        for (i, (c, event)) in commands.iter().zip(events.iter_mut()).enumerate() {
            let found = match c {
                Command::AddEntry {
                    account, voucher, ..
                } => vouchers
                    .get(&(*account, voucher.trim().to_string()))
                    .cloned(),
                Command::PlanSessions { .. } | Command::MoveSession { .. } => {
                    let mut new = Vec::new();
                    if let Command::PlanSessions { project, .. } = c {
                        for s in self.sessions(*project)? {
                            if s.id == event.id || s.series == Some(event.id) {
                                new.push(s);
                            }
                        }
                    } else {
                        new.extend(self.session(event.id)?);
                    }
                    let found: Vec<Warning> = self
                        .booking_warnings(&new)?
                        .into_iter()
                        .flatten()
                        .take(MAX_BOOKING_WARNINGS)
                        .collect();
                    (!found.is_empty()).then_some(found)
                }
                _ => trainees.remove(&i),
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
