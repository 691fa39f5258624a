//! Undo: the command that takes back an audited one. Nothing is deleted, so an
//! undo is a new command, audited like any other: an entry is reversed, a
//! withdrawal is answered by a reinstatement, an edit by the edit back to the
//! record as it was. Steps of the admission pipeline and first results only
//! move forward; for those the refusal says what to do instead.

use chrono::NaiveDate;

use super::Registry;
use super::audit::{AuditEntry, Snapshot};
use super::command::{Command, Movement};
use crate::domain::{EntryKind, TraineeStage};
use crate::i18n::Lang;
use crate::store::{StoreError, Tree};

/// Why a command cannot be undone, in both languages.
#[derive(Debug)]
pub enum UndoRefusal {
    /// Forward-only: the text says what to do instead.
    Forward(&'static str, &'static str),
    /// A step of a pipeline that only moves forward: which one, by its action.
    OneWay(&'static str, &'static str),
    /// The record changed since (another command came after this one).
    Changed,
    Missing,
    Store(StoreError),
}

impl UndoRefusal {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            UndoRefusal::Forward(zh, en) => lang.pick(zh, en).to_string(),
            UndoRefusal::OneWay(zh, en) => match lang {
                Lang::Zh => format!("“{zh}”这一步只能向前，不能撤销；请用后续步骤更正"),
                Lang::En => format!(
                    "this step ({en}) only moves forward and cannot be undone; correct it with a later step"
                ),
            },
            UndoRefusal::Changed => lang
                .pick(
                    "该记录此后又有修改，不能撤销这一步；请查看审计记录后直接修改",
                    "the record has changed since; look at the audit trail and edit it instead",
                )
                .into(),
            UndoRefusal::Missing => lang.pick("找不到要撤销的记录", "the record is gone").into(),
            UndoRefusal::Store(e) => crate::i18n::Localized::localized(e, lang),
        }
    }
}

impl From<StoreError> for UndoRefusal {
    fn from(e: StoreError) -> Self {
        UndoRefusal::Store(e)
    }
}

impl Registry {
    /// One audit entry by id.
    pub fn audit_entry(&self, id: u64) -> Result<Option<AuditEntry>, StoreError> {
        self.store().journal_get(Tree::Audit, id)
    }

    /// The command that undoes audit entry `id`, dated `today`: its inverse,
    /// wrapped so the audit trail records it as an undo of `id`.
    pub fn inverse(&self, id: u64, today: NaiveDate) -> Result<Command, UndoRefusal> {
        let inverse = self.inverse_of(id, today)?;
        let undone = self.audit_entry(id)?.ok_or(UndoRefusal::Missing)?.command;
        Ok(Command::Undo {
            of: id,
            undone: Box::new(undone),
            command: Box::new(inverse),
        })
    }

    fn inverse_of(&self, id: u64, today: NaiveDate) -> Result<Command, UndoRefusal> {
        use Command as C;
        let entry = self.audit_entry(id)?.ok_or(UndoRefusal::Missing)?;
        let note = format!("撤销 undo #{}", entry.id);
        match (entry.command.acting(), &entry.before) {
            (C::AddEntry { .. }, _) => Ok(C::ReverseEntry {
                entry: entry.record,
                date: today,
                note,
            }),
            (
                C::ReverseEntry {
                    entry: original, ..
                },
                _,
            ) => {
                // A reversal is final; the money comes back as a new entry
                // like the one reversed.
                let e = self.entry(*original)?.ok_or(UndoRefusal::Missing)?;
                Ok(C::AddEntry {
                    account: e.account,
                    date: today,
                    movement: match e.kind {
                        EntryKind::Allocation => Movement::Allocation,
                        _ => Movement::Expense,
                    },
                    amount: e.amount,
                    category: e.category,
                    voucher: e.voucher,
                    payee: e.payee,
                    note,
                })
            }
            (C::Withdraw { .. }, _) => {
                let t = self.trainee(entry.record)?.ok_or(UndoRefusal::Missing)?;
                if t.stage != TraineeStage::Withdrawn {
                    return Err(UndoRefusal::Changed);
                }
                Ok(C::Reinstate {
                    id: t.id,
                    version: t.stamp.version,
                    date: today,
                    reason: note,
                })
            }
            (C::Reinstate { .. }, _) => {
                // The withdrawal it reversed stays on the record, marked.
                let t = self.trainee(entry.record)?.ok_or(UndoRefusal::Missing)?;
                let reversed = t.withdrawals.last().filter(|w| w.reinstated_on.is_some());
                let (Some(w), TraineeStage::Enrolled) = (reversed, t.stage) else {
                    return Err(UndoRefusal::Changed);
                };
                Ok(C::Withdraw {
                    id: t.id,
                    version: t.stamp.version,
                    date: today,
                    reason: w.reason.clone(),
                    returned_to_home_school: w.returned_to_home_school,
                })
            }
            (C::UpdateContact { .. }, Some(Snapshot::Trainee(before))) => {
                let t = self.trainee(entry.record)?.ok_or(UndoRefusal::Missing)?;
                if t.stamp.version != before.stamp.version + 1 {
                    return Err(UndoRefusal::Changed);
                }
                Ok(C::UpdateContact {
                    id: t.id,
                    version: t.stamp.version,
                    phone: before.phone.clone(),
                    home_school: before.home_school.clone(),
                })
            }
            (C::UpdateTrainee { .. }, Some(Snapshot::Trainee(before))) => {
                let t = self.trainee(entry.record)?.ok_or(UndoRefusal::Missing)?;
                if t.stamp.version != before.stamp.version + 1 {
                    return Err(UndoRefusal::Changed);
                }
                Ok(C::UpdateTrainee {
                    id: t.id,
                    version: t.stamp.version,
                    details: super::TraineeDetails::of(before),
                })
            }
            (C::CorrectApplication { .. }, Some(Snapshot::Trainee(before))) => {
                let t = self.trainee(entry.record)?.ok_or(UndoRefusal::Missing)?;
                if t.stamp.version != before.stamp.version + 1 {
                    return Err(UndoRefusal::Changed);
                }
                let applied = before
                    .history
                    .iter()
                    .find(|h| h.stage == TraineeStage::Applied)
                    .ok_or(UndoRefusal::Missing)?;
                Ok(C::CorrectApplication {
                    id: t.id,
                    version: t.stamp.version,
                    recommenders: before.recommenders.clone(),
                    applied_on: applied.date,
                })
            }
            (C::CorrectAssessment { .. }, Some(Snapshot::Assessment(before))) => {
                let a = self.assessment(entry.record)?.ok_or(UndoRefusal::Missing)?;
                if a.stamp.version != before.stamp.version + 1 {
                    return Err(UndoRefusal::Changed);
                }
                Ok(C::CorrectAssessment {
                    id: a.id,
                    version: a.stamp.version,
                    outcome: before.outcome,
                    score: before.score,
                    note: before.note.clone(),
                    date: today,
                })
            }
            (C::SetPlan { .. }, Some(Snapshot::Cycle(before))) => {
                let c = self
                    .cycle(before.project, before.year)?
                    .ok_or(UndoRefusal::Missing)?;
                if c.stamp.version != before.stamp.version + 1 {
                    return Err(UndoRefusal::Changed);
                }
                Ok(C::SetPlan {
                    project: before.project,
                    year: before.year,
                    version: Some(c.stamp.version),
                    goals: before.goals.clone(),
                    targets: before.targets.clone(),
                    budget: before.budget.clone(),
                    attainment: before.attainment.clone(),
                    // Taking back an amendment of a filed plan is itself one.
                    amendment: note,
                })
            }
            (C::UpdatePerson { .. }, Some(Snapshot::Person(before))) => {
                let p = self.person(entry.record)?.ok_or(UndoRefusal::Missing)?;
                if p.stamp.version != before.stamp.version + 1 {
                    return Err(UndoRefusal::Changed);
                }
                Ok(C::UpdatePerson {
                    id: p.id,
                    version: p.stamp.version,
                    input: super::command::PersonInput {
                        name: before.name.clone(),
                        gender: before.gender,
                        school: before.school.clone(),
                        subject: before.subject,
                        title: before.title.clone(),
                        phone: before.phone.clone(),
                        teaching_since: before.teaching_since,
                        coaching_since: before.coaching_since,
                        coaching_now: before.coaching_now,
                        results: before.results.clone(),
                        research_outputs: before.research_outputs.clone(),
                    },
                })
            }
            (C::SetPlanParts { .. }, Some(Snapshot::Cycle(before))) => {
                let c = self
                    .cycle(before.project, before.year)?
                    .ok_or(UndoRefusal::Missing)?;
                if c.stamp.version != before.stamp.version + 1 {
                    return Err(UndoRefusal::Changed);
                }
                Ok(C::SetPlanParts {
                    project: before.project,
                    year: before.year,
                    version: Some(c.stamp.version),
                    parts: before.parts.clone(),
                    amendment: note,
                })
            }
            (C::MoveSession { .. }, Some(Snapshot::Session(before))) => {
                let s = self.session(before.id)?.ok_or(UndoRefusal::Missing)?;
                if s.stamp.version != before.stamp.version + 1 {
                    return Err(UndoRefusal::Changed);
                }
                Ok(C::MoveSession {
                    id: s.id,
                    version: s.stamp.version,
                    date: before.date,
                    start: before.start,
                    end: before.end,
                    place: before.place.clone(),
                })
            }
            (C::SetAttendanceThreshold { project, .. }, before) => Ok(C::SetAttendanceThreshold {
                project: *project,
                percent: match before {
                    Some(Snapshot::Group(g)) => g.attendance_threshold,
                    _ => crate::domain::training::DEFAULT_ATTENDANCE_THRESHOLD,
                },
            }),
            (C::PlaceInClass { class, trainee, .. }, _) => Ok(C::LeaveClass {
                class: *class,
                trainee: *trainee,
                date: today,
            }),
            (C::LeaveClass { class, trainee, .. }, _) => Ok(C::PlaceInClass {
                class: *class,
                trainee: *trainee,
                date: today,
            }),
            (C::PlanSessions { .. }, _) => Err(UndoRefusal::Forward(
                "已安排的培养活动不能删除；请逐次取消（x）并写明原因",
                "planned sessions are not removed; cancel them (x) with a reason",
            )),
            (C::CancelSession { .. }, _) => Err(UndoRefusal::Forward(
                "取消的活动保留记录；如需要，请重新安排一次",
                "a cancelled session stays on record; plan it again if needed",
            )),
            (C::MarkAttendance { .. }, _) => Err(UndoRefusal::Forward(
                "考勤不能删除；请重新登记该学员的考勤",
                "a mark is not removed; take the trainee's mark again",
            )),
            (C::RecordAssessment { .. }, _) => Err(UndoRefusal::Forward(
                "考核结果不能删除；请在考核中对该学员按 p 或 f 更正",
                "a result cannot be removed; correct it with p or f in the assessment",
            )),
            (C::Enrol { .. }, _) => Err(UndoRefusal::Forward(
                "录取不能撤回；如需要，请办理退出培养（w）",
                "an enrolment cannot be taken back; withdraw the trainee instead (w)",
            )),
            (other, _) => Err(UndoRefusal::OneWay(
                other.action(Lang::Zh),
                other.action(Lang::En),
            )),
        }
    }
}
