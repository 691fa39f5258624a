//! The admission pipeline (annex 1-3) as forms: a new application, then for
//! each trainee the form of its next step (school recommendation, group
//! selection, announcement, objection resolution, filing, enrolment), and an
//! objection during the announcement. Each form turns into the registry
//! commands of that step, applied together.

use chrono::NaiveDate;

use super::form::{Field, FieldKind, Form, Purpose, option};
use super::strings::L;
use crate::domain::text::{MEDIUM, SHORT};
use crate::domain::trainee::REQUIRED_RECOMMENDERS;
use crate::domain::{
    BaseSchool, Gender, ProjectId, Trainee, TraineeKind, TraineeStage, TrainingMode,
};
use crate::i18n::Lang;
use crate::registry::{ApplicationInput, Command};

// The Chinese labels by which the commands read the fields.
const KIND: &str = "类别";
const NAME: &str = "姓名";
const GENDER: &str = "性别";
const SCHOOL: &str = "所在学校";
const DISTRICT: &str = "区市";
const GRADE: &str = "年级或学科";
const PHONE: &str = "联系电话";
const DATE: &str = "日期";
const FIRST: &str = "推荐教师一";
const SECOND: &str = "推荐教师二";
const DECISION: &str = "遴选结果";
const START: &str = "公示开始";
const DAYS: &str = "公示工作日";
const OBJECTION: &str = "异议内容";
const RESOLUTION: &str = "处理结果";
const MODE: &str = "培养方式";
const COMMITMENT: &str = "承诺书签署";

/// Whether the trainee's next step can be taken now: what a coordinator's
/// "waiting for me" list holds. An announcement still running is not.
pub fn is_due(t: &Trainee, today: NaiveDate) -> bool {
    match t.stage {
        TraineeStage::Applied
        | TraineeStage::Recommended
        | TraineeStage::Selected
        | TraineeStage::Filed => true,
        TraineeStage::Announced => {
            t.open_objections() > 0 || t.announcement.as_ref().is_some_and(|a| a.end() < today)
        }
        _ => false,
    }
}

/// The words a filter finds due records by: `/待办` or `/todo`.
pub const DUE_MARK: &str = "待办 todo";

/// What the trainee's next step is and what it still lacks, for the details.
pub fn next_step(t: &Trainee, today: NaiveDate, lang: Lang) -> Option<String> {
    let text = match t.stage {
        TraineeStage::Applied => {
            let needed = match t.kind {
                TraineeKind::Student => REQUIRED_RECOMMENDERS.saturating_sub(t.recommenders.len()),
                TraineeKind::Teacher => 0,
            };
            if needed > 0 {
                format!(
                    "{} {needed} {}",
                    lang.pick("学校推荐：还需", "school recommendation: needs"),
                    lang.pick("名实名推荐教师", "more named teachers")
                )
            } else {
                lang.pick("学校推荐", "school recommendation").into()
            }
        }
        TraineeStage::Recommended => lang.pick("项目组遴选", "group selection").into(),
        TraineeStage::Selected => lang.pick("公示", "public announcement").into(),
        TraineeStage::Announced => {
            let open = t.open_objections();
            let end = t.announcement.as_ref().map(|a| a.end());
            match (open, end) {
                (n, _) if n > 0 => format!(
                    "{} {n} {}",
                    lang.pick("处理异议：", "resolve the objection:"),
                    lang.pick("条未处理", "open")
                ),
                (_, Some(end)) if end >= today => format!(
                    "{} {end} {}",
                    lang.pick("公示至", "announced until"),
                    lang.pick("，之后备案", "; file after that")
                ),
                _ => lang.pick("备案", "filing").into(),
            }
        }
        TraineeStage::Filed => lang
            .pick(
                "参加培养：选择培养方式，签署承诺书",
                "enrolment: training mode and commitment letter",
            )
            .into(),
        _ => return None,
    };
    Some(format!("{} {text}", lang.pick("下一步：", "Next:")))
}

/// A new application to `project`.
pub fn application_form(project: ProjectId, today: NaiveDate) -> Form {
    let districts = crate::domain::project::DISTRICTS
        .iter()
        .map(|d| option(d, d))
        .collect();
    Form::new(
        L::NewApplication,
        Purpose::Apply { project },
        vec![
            Field::choice(
                (KIND, "Kind"),
                vec![
                    option("学生", "student"),
                    option("青年教师", "young teacher"),
                ],
                0,
            ),
            Field::new((NAME, "Name"), FieldKind::text(SHORT, true), ""),
            Field::choice(
                (GENDER, "Gender"),
                vec![option("女", "female"), option("男", "male")],
                0,
            ),
            Field::new((SCHOOL, "School"), FieldKind::text(MEDIUM, true), ""),
            Field::choice((DISTRICT, "District"), districts, 0),
            Field::new((GRADE, "Grade"), FieldKind::text(SHORT, true), ""),
            Field::new((PHONE, "Phone"), FieldKind::Phone, ""),
            Field::new((DATE, "Applied on"), FieldKind::Date, &today.to_string()),
        ],
    )
}

/// The form of `t`'s next step, or why there is none.
pub fn step_form(
    t: &Trainee,
    schools: &[BaseSchool],
    today: NaiveDate,
    lang: Lang,
) -> Result<Form, L> {
    let today = today.to_string();
    let purpose = Purpose::Step {
        trainee: t.id,
        version: t.stamp.version,
        stage: t.stage,
    };
    let date = || Field::new((DATE, "Date"), FieldKind::Date, &today);
    let (title, fields) = match t.stage {
        TraineeStage::Applied => {
            let kind = match t.kind {
                TraineeKind::Student => FieldKind::text(SHORT, true),
                TraineeKind::Teacher => FieldKind::text(SHORT, false),
            };
            let named = |i: usize| t.recommenders.get(i).cloned().unwrap_or_default();
            (
                L::StepRecommend,
                vec![
                    Field::new((FIRST, "Teacher 1"), kind.clone(), &named(0)),
                    Field::new((SECOND, "Teacher 2"), kind, &named(1)),
                    date(),
                ],
            )
        }
        TraineeStage::Recommended => (
            L::StepSelect,
            vec![
                Field::choice(
                    (DECISION, "Decision"),
                    vec![option("入选", "selected"), option("未入选", "not selected")],
                    0,
                ),
                date(),
            ],
        ),
        TraineeStage::Selected => (
            L::StepAnnounce,
            vec![
                Field::new((START, "Starts on"), FieldKind::Date, &today),
                Field::new((DAYS, "Work days"), FieldKind::text(2, true), "5"),
            ],
        ),
        TraineeStage::Announced if t.open_objections() > 0 => {
            let mut form = Form::new(
                L::StepResolve,
                purpose,
                vec![
                    Field::new(
                        (RESOLUTION, "Resolution"),
                        FieldKind::text(MEDIUM, true),
                        "",
                    ),
                    date(),
                ],
            );
            form.intro = t
                .objections
                .iter()
                .find(|o| o.resolution.is_none())
                .map(|o| format!("{} {}", o.raised_on, o.text));
            return Ok(form);
        }
        TraineeStage::Announced => (L::StepFile, vec![date()]),
        TraineeStage::Filed => {
            let mut modes = vec![option("走读培养", "commuting")];
            for s in schools.iter().filter(|s| s.serves(t.project)) {
                modes.push((
                    format!("基地校培养：{}", s.application.name),
                    format!("at {}", s.application.name),
                ));
            }
            (
                L::StepEnrol,
                vec![
                    Field::choice((MODE, "Training"), modes, 0),
                    Field::new((COMMITMENT, "Letter on"), FieldKind::Date, &today),
                    date(),
                ],
            )
        }
        _ => return Err(L::NoNextStep),
    };
    let mut form = Form::new(title, purpose, fields);
    form.intro = Some(format!(
        "{} {} {}",
        t.name,
        t.home_school,
        t.stage.label(lang)
    ));
    Ok(form)
}

/// An objection raised during `t`'s announcement.
pub fn objection_form(t: &Trainee, today: NaiveDate) -> Result<Form, L> {
    if t.stage != TraineeStage::Announced {
        return Err(L::NotAnnounced);
    }
    Ok(Form::new(
        L::RaiseObjection,
        Purpose::Objection {
            trainee: t.id,
            version: t.stamp.version,
        },
        vec![
            Field::new((OBJECTION, "Objection"), FieldKind::text(MEDIUM, true), ""),
            Field::new((DATE, "Received on"), FieldKind::Date, &today.to_string()),
        ],
    ))
}

/// The commands a submitted pipeline form stands for; an error message (in
/// `lang`) when a field cannot become one.
pub fn commands(
    form: &Form,
    trainees: &[Trainee],
    schools: &[BaseSchool],
    lang: Lang,
) -> Result<Vec<Command>, String> {
    match &form.purpose {
        Purpose::Apply { project } => {
            let district = crate::domain::project::DISTRICTS
                .get(form.choice(DISTRICT))
                .copied()
                .unwrap_or_default();
            Ok(vec![Command::Apply(ApplicationInput {
                kind: if form.choice(KIND) == 0 {
                    TraineeKind::Student
                } else {
                    TraineeKind::Teacher
                },
                name: form.text(NAME),
                gender: if form.choice(GENDER) == 0 {
                    Gender::Female
                } else {
                    Gender::Male
                },
                home_school: form.text(SCHOOL),
                district: district.to_string(),
                grade: form.text(GRADE),
                phone: form.text(PHONE),
                project: *project,
                date: form.date(DATE),
            })])
        }
        Purpose::Objection { trainee, version } => Ok(vec![Command::RaiseObjection {
            id: *trainee,
            version: *version,
            date: form.date(DATE),
            text: form.text(OBJECTION),
        }]),
        Purpose::Step {
            trainee,
            version,
            stage,
        } => {
            let (id, v) = (*trainee, *version);
            let t = trainees.iter().find(|t| t.id == id);
            let date = form.date(DATE);
            Ok(match stage {
                TraineeStage::Applied => {
                    // Each command moves the version on by one.
                    let known: Vec<String> = t.map(|t| t.recommenders.clone()).unwrap_or_default();
                    let mut out = Vec::new();
                    for name in [form.text(FIRST), form.text(SECOND)] {
                        let name = name.trim().to_string();
                        if !name.is_empty() && !known.contains(&name) {
                            out.push(Command::AddRecommender {
                                id,
                                version: v + out.len() as u32,
                                teacher: name,
                            });
                        }
                    }
                    out.push(Command::Recommend {
                        id,
                        version: v + out.len() as u32,
                        date,
                    });
                    out
                }
                TraineeStage::Recommended => vec![Command::Select {
                    id,
                    version: v,
                    date,
                    selected: form.choice(DECISION) == 0,
                }],
                TraineeStage::Selected => {
                    let days: u8 = form.text(DAYS).trim().parse().map_err(|_| {
                        lang.pick(
                            "公示工作日应为 1 到 30 之间的整数",
                            "working days: a whole number from 1 to 30",
                        )
                        .to_string()
                    })?;
                    vec![Command::Announce {
                        id,
                        version: v,
                        start: form.date(START),
                        working_days: days,
                    }]
                }
                TraineeStage::Announced if form.field(RESOLUTION).is_some() => {
                    let index = t
                        .and_then(|t| t.objections.iter().position(|o| o.resolution.is_none()))
                        .unwrap_or(0);
                    vec![Command::ResolveObjection {
                        id,
                        version: v,
                        index,
                        date,
                        resolution: form.text(RESOLUTION),
                    }]
                }
                TraineeStage::Announced => vec![Command::File {
                    id,
                    version: v,
                    date,
                }],
                TraineeStage::Filed => {
                    let project = t.map(|t| t.project);
                    let serving: Vec<&BaseSchool> = schools
                        .iter()
                        .filter(|s| project.is_some_and(|p| s.serves(p)))
                        .collect();
                    let mode = match form.choice(MODE) {
                        0 => TrainingMode::Commuting,
                        i => match serving.get(i - 1) {
                            Some(s) => TrainingMode::BaseSchool { school: s.id },
                            None => TrainingMode::Commuting,
                        },
                    };
                    vec![Command::Enrol {
                        id,
                        version: v,
                        date,
                        mode,
                        commitment_signed: form.date(COMMITMENT),
                    }]
                }
                _ => Vec::new(),
            })
        }
        _ => Ok(Vec::new()),
    }
}
