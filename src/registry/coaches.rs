//! People, coach appointments (annex 1-1) and base-school applications (annex 2).

use super::command::{Command, PersonInput, RecordKind};
use super::record::store;
use super::{
    Applied, Applying, RegistryError, Snapshot, TxResult, counts, fresh, long_text, optional,
    permit, phone, put_counts, refuse, required,
};
use crate::domain::field::Field;
use chrono::NaiveDate;

use crate::domain::calendar::{add_years, announcement_end};
use crate::domain::coach::qualification_shortfalls;
use crate::domain::dates::{self, Period};
use crate::domain::project::DISTRICTS;
use crate::domain::text::{MEDIUM, SHORT};
use crate::domain::{
    BaseSchool, ChiefCoachDetails, Coach, CoachRole, CoachStage, Person, SchoolApplication,
    SchoolStage, StudentResult,
};
use crate::store::{Tree, Tx, keys};

/// At most this many active coaches and assistants per group (annex: 2-5).
pub const MAX_COACHES: u32 = 5;
/// Fewer than this is an alert, not a refusal.
pub const MIN_COACHES: u32 = 2;
/// How many working days a chief coach's appointment is publicly announced
/// (个人自荐、组织推荐及公示) before the bureau may file it; longer when the
/// bureau's calendar sets a longer minimum.
pub const CHIEF_ANNOUNCEMENT_DAYS: u8 = 5;

pub(super) fn apply(tx: &Tx<'_>, ctx: &Applying<'_>, command: &Command) -> TxResult<Applied> {
    use Command as C;
    match command {
        C::AddPerson(input) => {
            permit(ctx.actor, command, Some(input.subject), None)?;
            let p = person(ctx.new_id, input, ctx.stamp(), today(ctx))?;
            store(tx, &p, None)
        }
        C::UpdatePerson { id, version, input } => {
            let old = load::<Person>(tx, Tree::People, RecordKind::Person, *id)?;
            permit(ctx.actor, command, Some(old.subject), None)?;
            fresh(&old.stamp, *version, &old.name)?;
            let mut p = person(*id, input, old.stamp.clone(), today(ctx))?;
            p.stamp.touch(ctx.now, &ctx.actor.login);
            store(tx, &p, Some(Snapshot::Person(old)))
        }
        C::Nominate {
            date,
            person,
            project,
            role,
            term_start,
            term_years,
        } => {
            permit(ctx.actor, command, Some(*project), None)?;
            load::<Person>(tx, Tree::People, RecordKind::Person, *person)?;
            let date = dates::within(
                Field::NominationDate,
                *date,
                (dates::EARLIEST_CAREER_START, today(ctx)),
                Period::Past,
            )
            .or_else(refuse)?;
            if !role.allowed_term_years().contains(term_years) {
                return refuse(RegistryError::BadTerm {
                    role: *role,
                    years: *term_years,
                });
            }
            let term_end = add_years(*term_start, *term_years)
                .pred_opt()
                .unwrap_or(*term_start);
            let c = Coach {
                id: ctx.new_id,
                person_id: *person,
                project: *project,
                role: *role,
                term_start: *term_start,
                term_end,
                stage: CoachStage::Nominated,
                history: vec![(CoachStage::Nominated, date)],
                justification: None,
                stamp: ctx.stamp(),
            };
            tx.put(Tree::Coaches, &keys::id(c.id), &c)?;
            tx.post(&keys::coaches_of_group(c.project), c.id)?;
            tx.post(&keys::appointments_of_person(c.person_id), c.id)?;
            Ok(Applied {
                kind: RecordKind::Coach,
                id: c.id,
                project: Some(c.project),
                before: None,
            })
        }
        C::AdvanceCoach {
            id,
            version,
            to,
            date,
            justification,
        } => {
            let mut c = load::<Coach>(tx, Tree::Coaches, RecordKind::Coach, *id)?;
            permit(ctx.actor, command, Some(c.project), None)?;
            let p = load::<Person>(tx, Tree::People, RecordKind::Person, c.person_id)?;
            fresh(&c.stamp, *version, &p.name)?;
            let before = c.clone();
            use CoachStage as S;
            let ok = c.stage.next(c.role).contains(to);
            if !ok {
                return refuse(RegistryError::CoachStep {
                    from: c.stage,
                    to: *to,
                });
            }
            // An appointment's history runs forwards and is recorded once a
            // step was taken; only the activation may be entered ahead, for
            // the day the term starts.
            let last = c
                .history
                .last()
                .map_or(dates::EARLIEST_CAREER_START, |h| h.1);
            let latest = if *to == S::Active {
                today(ctx).max(c.term_start)
            } else {
                today(ctx)
            };
            let date =
                &dates::within(Field::Date, *date, (last, latest), Period::Step).or_else(refuse)?;
            // A chief coach's appointment is announced before it is filed,
            // for a full announcement period.
            if *to == S::Filed && c.role == CoachRole::Chief {
                let announced = c
                    .history
                    .iter()
                    .rev()
                    .find(|h| h.0 == S::Announced)
                    .map(|h| h.1);
                if let Some(start) = announced {
                    let days = CHIEF_ANNOUNCEMENT_DAYS
                        .max(crate::domain::calendar::active().min_announcement_days);
                    let ends = announcement_end(start, days);
                    if *date <= ends {
                        return refuse(RegistryError::AnnouncementNotOver { ends });
                    }
                }
            }
            if *to == S::Filed {
                let shortfalls = qualification_shortfalls(&p, c.role, c.project, *date);
                let why = match justification {
                    Some(j) => long_text(Field::Justification, j)?,
                    None => String::new(),
                };
                if !shortfalls.is_empty() && why.is_empty() {
                    return refuse(RegistryError::NotQualified {
                        name: p.name.clone(),
                        role: c.role,
                        shortfalls,
                    });
                }
                if !why.is_empty() {
                    c.justification = Some(why);
                }
            }
            let mut n = counts(tx, c.project)?;
            if *to == S::Active {
                if c.role == CoachRole::Chief {
                    if let Some(other) = n.active_chief {
                        let name = tx
                            .get::<Coach, _>(Tree::Coaches, &keys::id(other))?
                            .and_then(|o| {
                                tx.get::<Person, RegistryError>(
                                    Tree::People,
                                    &keys::id(o.person_id),
                                )
                                .ok()
                                .flatten()
                            })
                            .map(|p| p.name)
                            .unwrap_or_default();
                        return refuse(RegistryError::ChiefTaken {
                            project: c.project,
                            name,
                        });
                    }
                    n.active_chief = Some(c.id);
                } else {
                    if n.active_coaches >= MAX_COACHES {
                        return refuse(RegistryError::TooManyCoaches {
                            project: c.project,
                            max: MAX_COACHES,
                        });
                    }
                    n.active_coaches += 1;
                }
                put_counts(tx, c.project, &n)?;
            }
            if c.stage == S::Active && *to == S::Ended {
                if c.role == CoachRole::Chief {
                    n.active_chief = None;
                } else {
                    n.active_coaches = n.active_coaches.saturating_sub(1);
                }
                put_counts(tx, c.project, &n)?;
            }
            c.stage = *to;
            c.history.push((*to, *date));
            c.stamp.touch(ctx.now, &ctx.actor.login);
            store(tx, &c, Some(Snapshot::Coach(before)))
        }
        C::ApplySchool(app) => {
            permit(ctx.actor, command, None, None)?;
            let s = BaseSchool {
                id: ctx.new_id,
                application: application(app, today(ctx))?,
                stage: SchoolStage::Applied,
                decided_on: None,
                decision_note: String::new(),
                stamp: ctx.stamp(),
            };
            store(tx, &s, None)
        }
        C::DecideSchool {
            id,
            version,
            approve,
            date,
            note,
        } => {
            permit(ctx.actor, command, None, None)?;
            let mut s = load::<BaseSchool>(tx, Tree::Schools, RecordKind::School, *id)?;
            fresh(&s.stamp, *version, &s.application.name)?;
            if s.stage != SchoolStage::Applied {
                return refuse(RegistryError::AlreadyDecided);
            }
            let before = s.clone();
            s.stage = if *approve {
                SchoolStage::Approved
            } else {
                SchoolStage::Rejected
            };
            s.decided_on = Some(*date);
            s.decision_note = long_text(Field::DecisionNote, note)?;
            s.stamp.touch(ctx.now, &ctx.actor.login);
            store(tx, &s, Some(Snapshot::School(before)))
        }
        _ => refuse(RegistryError::Store(crate::store::StoreError::Sled(
            "misrouted command".into(),
        ))),
    }
}

fn load<T: serde::de::DeserializeOwned>(
    tx: &Tx<'_>,
    tree: Tree,
    kind: RecordKind,
    id: u64,
) -> TxResult<T> {
    match tx.get::<T, RegistryError>(tree, &keys::id(id))? {
        Some(v) => Ok(v),
        None => refuse(RegistryError::NotFound { kind, id }),
    }
}

/// Today in Qingdao, for the dates that must not lie in the future.
fn today(ctx: &Applying<'_>) -> NaiveDate {
    super::shanghai(ctx.now).date_naive()
}

/// A career start between 1950 and today.
fn career(field: Field, date: NaiveDate, today: NaiveDate) -> TxResult<NaiveDate> {
    dates::within(field, date, dates::career_period(today), Period::Career).or_else(refuse)
}

fn person(
    id: u64,
    input: &PersonInput,
    stamp: crate::domain::Stamp,
    today: NaiveDate,
) -> TxResult<Person> {
    let mut results = Vec::with_capacity(input.results.len());
    for r in &input.results {
        results.push(StudentResult {
            competition: required(Field::Competition, &r.competition, MEDIUM)?,
            ..r.clone()
        });
    }
    let mut outputs = Vec::with_capacity(input.research_outputs.len());
    for o in &input.research_outputs {
        outputs.push(required(Field::ResearchOutput, o, MEDIUM)?);
    }
    Ok(Person {
        id,
        name: required(Field::Name, &input.name, SHORT)?,
        gender: input.gender,
        school: required(Field::Workplace, &input.school, MEDIUM)?,
        subject: input.subject,
        title: optional(Field::Title, &input.title, SHORT)?,
        phone: phone(&input.phone)?,
        teaching_since: career(Field::TeachingSince, input.teaching_since, today)?,
        coaching_since: match input.coaching_since {
            Some(d) => Some(career(Field::CoachingSince, d, today)?),
            None => None,
        },
        coaching_now: input.coaching_now,
        results,
        research_outputs: outputs,
        stamp,
    })
}

fn application(a: &SchoolApplication, today: NaiveDate) -> TxResult<SchoolApplication> {
    let district = required(Field::District, &a.district, SHORT)?;
    if !DISTRICTS.contains(&district.as_str()) {
        return refuse(RegistryError::NotDistrict { value: district });
    }
    if a.projects.is_empty() {
        return refuse(RegistryError::NotBetween {
            field: Field::Projects,
            value: "0".into(),
            min: "1".into(),
            max: crate::domain::ProjectId::ALL.len().to_string(),
        });
    }
    let c = &a.chief_coach;
    Ok(SchoolApplication {
        district,
        name: required(Field::SchoolName, &a.name, MEDIUM)?,
        projects: a.projects.clone(),
        principal: required(Field::Principal, &a.principal, SHORT)?,
        phone: phone(&a.phone)?,
        chief_coach: ChiefCoachDetails {
            name: required(Field::ChiefCoach, &c.name, SHORT)?,
            gender: c.gender,
            birth_month: c.birth_month,
            work_start: career(Field::WorkStart, c.work_start, today)?,
            subject: required(Field::Subject, &c.subject, SHORT)?,
            title: optional(Field::Title, &c.title, SHORT)?,
            achievements: long_text(Field::Achievements, &c.achievements)?,
        },
        track_record: long_text(Field::TrackRecord, &a.track_record)?,
        work_plan: long_text(Field::WorkPlan, &a.work_plan)?,
        district_recommendation: long_text(
            Field::DistrictRecommendation,
            &a.district_recommendation,
        )?,
        applied_on: a.applied_on,
    })
}
