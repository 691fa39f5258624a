//! The admission pipeline of annex 1-3, contact edits, withdrawal and
//! reinstatement.

use crate::domain::field::Field;
use chrono::NaiveDate;

use super::command::{Command, RecordKind};
use super::record::store;
use super::{
    Applied, Applying, RegistryError, Snapshot, TxResult, counts, fresh, permit, phone, put_counts,
    refuse, required,
};
use crate::domain::dates::{self, Period};
use crate::domain::project::DISTRICTS;
use crate::domain::text::{MEDIUM, SHORT};
use crate::domain::trainee::{REQUIRED_RECOMMENDERS, STUDENT_SEATS};
use crate::domain::{
    Announcement, Objection, SchoolStage, StageChange, Trainee, TraineeKind, TraineeStage,
    TrainingMode, Withdrawal, WithdrawalReason,
};
use crate::domain::{BaseSchool, ProjectId};
use crate::store::{Tree, Tx, keys};

/// One of Qingdao's districts, as the list names it.
fn district(typed: &str) -> TxResult<String> {
    let district = required(Field::District, typed, SHORT)?;
    if !DISTRICTS.contains(&district.as_str()) {
        return refuse(RegistryError::NotDistrict { value: district });
    }
    Ok(district)
}

pub(super) fn apply(tx: &Tx<'_>, ctx: &Applying<'_>, command: &Command) -> TxResult<Applied> {
    use Command as C;
    let new = match command {
        C::Apply(input) => Some((input, &[][..])),
        C::ApplyRecommended {
            input,
            recommenders,
        } => Some((input, recommenders.as_slice())),
        _ => None,
    };
    if let Some((input, named)) = new {
        permit(ctx.actor, command, Some(input.project), None)?;
        let mut recommenders: Vec<String> = Vec::with_capacity(named.len());
        for teacher in named {
            let teacher = required(Field::Recommender, teacher, SHORT)?;
            if recommenders.contains(&teacher) {
                return refuse(RegistryError::DuplicateRecommender {
                    name: input.name.trim().to_string(),
                    teacher,
                });
            }
            recommenders.push(teacher);
        }
        let district = district(&input.district)?;
        let date = dates::within(
            Field::ApplicationDate,
            input.date,
            (dates::EARLIEST_CAREER_START, today(ctx)),
            Period::Past,
        )
        .or_else(refuse)?;
        let t = Trainee {
            id: ctx.new_id,
            kind: input.kind,
            name: required(Field::Name, &input.name, SHORT)?,
            gender: input.gender,
            home_school: required(Field::HomeSchool, &input.home_school, MEDIUM)?,
            district,
            grade: super::optional(Field::Grade, &input.grade, SHORT)?,
            phone: phone(&input.phone)?,
            project: input.project,
            recommenders,
            stage: TraineeStage::Applied,
            history: vec![StageChange {
                stage: TraineeStage::Applied,
                date,
            }],
            announcement: None,
            objections: Vec::new(),
            training_mode: None,
            commitment_signed: None,
            withdrawals: Vec::new(),
            stamp: ctx.stamp(),
            retraction: None,
        };
        tx.put(Tree::Trainees, &keys::id(t.id), &t)?;
        tx.post(&keys::trainees_of_group(t.project), t.id)?;
        return Ok(Applied {
            kind: RecordKind::Trainee,
            id: t.id,
            project: Some(t.project),
            before: None,
        });
    }

    let (id, version) = match command {
        C::UpdateContact { id, version, .. }
        | C::UpdateTrainee { id, version, .. }
        | C::AddRecommender { id, version, .. }
        | C::Recommend { id, version, .. }
        | C::Select { id, version, .. }
        | C::Announce { id, version, .. }
        | C::RaiseObjection { id, version, .. }
        | C::ResolveObjection { id, version, .. }
        | C::File { id, version, .. }
        | C::Enrol { id, version, .. }
        | C::Withdraw { id, version, .. }
        | C::Reinstate { id, version, .. }
        | C::RetractApplication { id, version, .. }
        | C::CorrectApplication { id, version, .. } => (*id, *version),
        _ => {
            return refuse(RegistryError::Store(crate::store::StoreError::Sled(
                "misrouted command".into(),
            )));
        }
    };
    let Some(mut t) = tx.get::<Trainee, _>(Tree::Trainees, &keys::id(id))? else {
        return refuse(RegistryError::NotFound {
            kind: RecordKind::Trainee,
            id,
        });
    };
    permit(ctx.actor, command, Some(t.project), None)?;
    fresh(&t.stamp, version, &t.name)?;
    // Stage changes are described by the command and the record's own history;
    // only an edit that overwrites values keeps the record as it was.
    let edit = matches!(
        command,
        C::UpdateContact { .. } | C::UpdateTrainee { .. } | C::CorrectApplication { .. }
    );
    let before = edit.then(|| Snapshot::Trainee(t.clone()));

    match command {
        C::UpdateContact {
            phone: p,
            home_school,
            ..
        } => {
            t.phone = phone(p)?;
            t.home_school = required(Field::HomeSchool, home_school, MEDIUM)?;
        }
        C::UpdateTrainee { details: d, .. } => {
            t.name = required(Field::Name, &d.name, SHORT)?;
            t.gender = d.gender;
            t.home_school = required(Field::HomeSchool, &d.home_school, MEDIUM)?;
            t.district = district(&d.district)?;
            t.grade = super::optional(Field::Grade, &d.grade, SHORT)?;
            t.phone = phone(&d.phone)?;
        }
        C::CorrectApplication {
            recommenders,
            applied_on,
            ..
        } => correct_application(&mut t, recommenders, *applied_on, ctx)?,
        C::AddRecommender { teacher, .. } => {
            expect_stage(&t, &[TraineeStage::Applied])?;
            let teacher = required(Field::Recommender, teacher, SHORT)?;
            if t.recommenders.contains(&teacher) {
                return refuse(RegistryError::DuplicateRecommender {
                    name: t.name.clone(),
                    teacher,
                });
            }
            t.recommenders.push(teacher);
        }
        C::Recommend { date, .. } => {
            expect_stage(&t, &[TraineeStage::Applied])?;
            if t.kind == TraineeKind::Student && t.recommenders.len() < REQUIRED_RECOMMENDERS {
                return refuse(RegistryError::NeedRecommenders {
                    have: t.recommenders.len(),
                    need: REQUIRED_RECOMMENDERS,
                });
            }
            let date = step_date(&t, Field::RecommendationDate, *date, ctx)?;
            advance(&mut t, TraineeStage::Recommended, date);
        }
        C::Select { date, selected, .. } => {
            expect_stage(&t, &[TraineeStage::Recommended])?;
            let to = if *selected {
                TraineeStage::Selected
            } else {
                TraineeStage::NotSelected
            };
            let date = step_date(&t, Field::SelectionDate, *date, ctx)?;
            advance(&mut t, to, date);
        }
        C::Announce {
            start,
            working_days,
            ..
        } => {
            expect_stage(&t, &[TraineeStage::Selected])?;
            // The bureau's minimum (its calendar file, default 5) to 30.
            let min = crate::domain::calendar::active().min_announcement_days;
            let max = crate::domain::calendar::MAX_ANNOUNCEMENT_DAYS;
            if !(min..=max).contains(working_days) {
                return refuse(RegistryError::NotBetween {
                    field: Field::WorkingDays,
                    value: working_days.to_string(),
                    min: min.to_string(),
                    max: max.to_string(),
                });
            }
            // An announcement follows the selection it announces and has
            // begun: a backdated start would shorten it.
            let start = step_date(&t, Field::AnnouncementStart, *start, ctx)?;
            t.announcement = Some(Announcement {
                start,
                working_days: *working_days,
            });
            advance(&mut t, TraineeStage::Announced, start);
        }
        C::RaiseObjection { date, text, .. } => {
            expect_stage(&t, &[TraineeStage::Announced])?;
            // An objection is raised during the announcement, not before or
            // years after it.
            if let Some(a) = &t.announcement
                && let Err(e) = dates::within(
                    Field::ObjectionDate,
                    *date,
                    (a.start, a.end().min(today(ctx))),
                    Period::Announcement,
                )
            {
                return refuse(e);
            }
            let text = super::required_long(Field::Objection, text)?;
            t.objections.push(Objection {
                raised_on: *date,
                text,
                resolution: None,
            });
            let mut c = counts(tx, t.project)?;
            c.open_objections += 1;
            put_counts(tx, t.project, &c)?;
        }
        C::ResolveObjection {
            index,
            date,
            resolution,
            ..
        } => {
            let resolution = super::long_text(Field::Resolution, resolution)?;
            let today = today(ctx);
            match t.objections.get_mut(*index) {
                Some(o) if o.resolution.is_none() => {
                    // Resolved after it was raised, and not ahead of time.
                    let date = dates::within(
                        Field::ResolutionDate,
                        *date,
                        (o.raised_on, today),
                        Period::Resolution,
                    )
                    .or_else(refuse)?;
                    o.resolution = Some((date, resolution));
                }
                _ => return refuse(RegistryError::NoSuchObjection { index: *index }),
            }
            let mut c = counts(tx, t.project)?;
            c.open_objections = c.open_objections.saturating_sub(1);
            put_counts(tx, t.project, &c)?;
        }
        C::File { date, .. } => {
            expect_stage(&t, &[TraineeStage::Announced])?;
            if let Some(a) = &t.announcement
                && *date <= a.end()
            {
                return refuse(RegistryError::AnnouncementNotOver { ends: a.end() });
            }
            let open = t.open_objections();
            if open > 0 {
                return refuse(RegistryError::OpenObjection {
                    name: t.name.clone(),
                    count: open,
                });
            }
            let date = step_date(&t, Field::FilingDate, *date, ctx)?;
            advance(&mut t, TraineeStage::Filed, date);
        }
        C::Enrol {
            date,
            mode,
            commitment_signed,
            ..
        } => {
            expect_stage(&t, &[TraineeStage::Filed])?;
            let date = step_date(&t, Field::EnrolmentDate, *date, ctx)?;
            if let TrainingMode::BaseSchool { school } = mode {
                check_school(tx, *school, t.project)?;
            }
            t.training_mode = Some(*mode);
            t.commitment_signed = Some(*commitment_signed);
            take_seat(tx, &t)?;
            advance(&mut t, TraineeStage::Enrolled, date);
        }
        C::Withdraw {
            date,
            reason,
            returned_to_home_school,
            ..
        } => {
            expect_stage(&t, &[TraineeStage::Enrolled])?;
            let date = step_date(&t, Field::WithdrawalDate, *date, ctx)?;
            let reason = match reason {
                WithdrawalReason::Other(s) => {
                    WithdrawalReason::Other(required(Field::WithdrawalReason, s, MEDIUM)?)
                }
                r => r.clone(),
            };
            free_seat(tx, &t)?;
            // The seat in a class is freed too; the placement stays in the
            // class's history.
            super::training::leave_classes(tx, ctx, &t, date)?;
            t.withdrawals.push(Withdrawal {
                date,
                reason,
                returned_to_home_school: *returned_to_home_school,
                reinstated_on: None,
                reinstatement_reason: None,
            });
            advance(&mut t, TraineeStage::Withdrawn, date);
        }
        C::RetractApplication { date, reason, .. } => {
            expect_stage(
                &t,
                &[
                    TraineeStage::Applied,
                    TraineeStage::Recommended,
                    TraineeStage::Selected,
                    TraineeStage::NotSelected,
                    TraineeStage::Announced,
                    TraineeStage::Filed,
                ],
            )?;
            let date = step_date(&t, Field::RetractionDate, *date, ctx)?;
            let reason = required(Field::RetractionReason, reason, MEDIUM)?;
            // Open objections are moot once the application is withdrawn,
            // but they stay on record; the count of open ones drops.
            let open = t.open_objections() as u32;
            if open > 0 {
                let mut c = counts(tx, t.project)?;
                c.open_objections = c.open_objections.saturating_sub(open);
                put_counts(tx, t.project, &c)?;
            }
            t.retraction = Some(crate::domain::Retraction {
                date,
                reason,
                from: t.stage,
            });
            advance(&mut t, TraineeStage::Retracted, date);
        }
        C::Reinstate { date, reason, .. } => {
            expect_stage(&t, &[TraineeStage::Withdrawn])?;
            let date = step_date(&t, Field::ReinstatementDate, *date, ctx)?;
            // Why the withdrawal no longer stands stays in the history.
            let reason = required(Field::ReinstatementReason, reason, MEDIUM)?;
            take_seat(tx, &t)?;
            if let Some(w) = t.withdrawals.last_mut() {
                w.reinstated_on = Some(date);
                w.reinstatement_reason = Some(reason);
            }
            advance(&mut t, TraineeStage::Enrolled, date);
        }
        _ => {}
    }
    t.stamp.touch(ctx.now, &ctx.actor.login);
    store(tx, &t, before)
}

/// `e` corrects an application: the teachers who recommended it (each
/// named once; a student past the school's recommendation keeps the
/// number it needed) and the date applied (not after the trainee's next
/// step, nor after today).
fn correct_application(
    t: &mut Trainee,
    recommenders: &[String],
    applied_on: NaiveDate,
    ctx: &Applying<'_>,
) -> TxResult<()> {
    let mut named: Vec<String> = Vec::with_capacity(recommenders.len());
    for teacher in recommenders {
        let teacher = required(Field::Recommender, teacher, SHORT)?;
        if named.contains(&teacher) {
            return refuse(RegistryError::DuplicateRecommender {
                name: t.name.clone(),
                teacher,
            });
        }
        named.push(teacher);
    }
    let recommended = match t.stage {
        TraineeStage::Applied => false,
        TraineeStage::Retracted => t
            .retraction
            .as_ref()
            .is_some_and(|r| r.from != TraineeStage::Applied),
        _ => true,
    };
    if t.kind == TraineeKind::Student && recommended && named.len() < REQUIRED_RECOMMENDERS {
        return refuse(RegistryError::NeedRecommenders {
            have: named.len(),
            need: REQUIRED_RECOMMENDERS,
        });
    }
    // Not after the step that followed the application, nor after today.
    let next = t
        .history
        .iter()
        .filter(|h| h.stage != TraineeStage::Applied)
        .map(|h| h.date)
        .min();
    let last = next.map_or(today(ctx), |n| n.min(today(ctx)));
    let why = if next.is_some() {
        Period::Step
    } else {
        Period::Past
    };
    let date = dates::within(
        Field::ApplicationDate,
        applied_on,
        (dates::EARLIEST_CAREER_START, last),
        why,
    )
    .or_else(refuse)?;
    t.recommenders = named;
    match t
        .history
        .iter_mut()
        .find(|h| h.stage == TraineeStage::Applied)
    {
        Some(h) => h.date = date,
        None => t.history.insert(
            0,
            StageChange {
                stage: TraineeStage::Applied,
                date,
            },
        ),
    }
    Ok(())
}

/// Today in Qingdao, for the dates that must not lie in the future.
fn today(ctx: &Applying<'_>) -> NaiveDate {
    super::shanghai(ctx.now).date_naive()
}

/// The date of a pipeline step: never before the trainee's last step (a
/// history does not run backwards) and never after today (a step is recorded
/// once it was taken).
fn step_date(
    t: &Trainee,
    field: Field,
    date: NaiveDate,
    ctx: &Applying<'_>,
) -> TxResult<NaiveDate> {
    let from = t
        .history
        .last()
        .map_or(dates::EARLIEST_CAREER_START, |h| h.date);
    dates::within(field, date, (from, today(ctx)), Period::Step).or_else(refuse)
}

fn expect_stage(t: &Trainee, expected: &[TraineeStage]) -> TxResult<()> {
    if expected.contains(&t.stage) {
        Ok(())
    } else {
        refuse(RegistryError::WrongStage {
            name: t.name.clone(),
            stage: t.stage,
            expected: expected.to_vec(),
        })
    }
}

fn advance(t: &mut Trainee, stage: TraineeStage, date: NaiveDate) {
    t.stage = stage;
    t.history.push(StageChange { stage, date });
}

/// Takes a seat for an enrolment or reinstatement; students are capped at 50.
fn take_seat(tx: &Tx<'_>, t: &Trainee) -> TxResult<()> {
    let mut c = counts(tx, t.project)?;
    match t.kind {
        TraineeKind::Student => {
            if c.enrolled_students as usize >= STUDENT_SEATS {
                return refuse(RegistryError::GroupFull {
                    project: t.project,
                    seats: STUDENT_SEATS,
                });
            }
            c.enrolled_students += 1;
        }
        TraineeKind::Teacher => c.enrolled_teachers += 1,
    }
    put_counts(tx, t.project, &c)
}

fn free_seat(tx: &Tx<'_>, t: &Trainee) -> TxResult<()> {
    let mut c = counts(tx, t.project)?;
    match t.kind {
        TraineeKind::Student => c.enrolled_students = c.enrolled_students.saturating_sub(1),
        TraineeKind::Teacher => c.enrolled_teachers = c.enrolled_teachers.saturating_sub(1),
    }
    put_counts(tx, t.project, &c)
}

fn check_school(tx: &Tx<'_>, school: u64, project: ProjectId) -> TxResult<()> {
    let Some(s) = tx.get::<BaseSchool, _>(Tree::Schools, &keys::id(school))? else {
        return refuse(RegistryError::NotFound {
            kind: RecordKind::School,
            id: school,
        });
    };
    if s.stage != SchoolStage::Approved || !s.serves(project) {
        return refuse(RegistryError::SchoolNotServing {
            school: s.application.name,
            project,
        });
    }
    Ok(())
}
