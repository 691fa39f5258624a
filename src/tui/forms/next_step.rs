//! The form of a trainee's next step in the admission pipeline (annex 1-3):
//! school recommendation, group selection, announcement, objection
//! resolution, filing, enrolment. Each turns into that step's commands,
//! applied together.

use crate::domain::field::Field as Ident;
use chrono::NaiveDate;

use super::{Choice, Field, FieldKind, Form, FormFlow, Scope, sheet_of, step_on_newer};
use crate::domain::text::{MEDIUM, SHORT};
use crate::domain::{BaseSchool, Trainee, TraineeKind, TraineeStage, TrainingMode};
use crate::i18n::Lang;
use crate::registry::Command;
use crate::tui::strings::L;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum F {
    First,
    Second,
    Date,
    Decision,
    Start,
    Days,
    Resolution,
    Mode,
    Commitment,
}

/// The step the form takes, with what it needs of the trainee as it was read.
enum Step {
    Recommend { known: Vec<String> },
    Select,
    Announce,
    Resolve { index: usize },
    File,
    Enrol,
}

pub struct NextStepForm {
    form: Form<F>,
    step: Step,
    trainee: u64,
    version: u32,
    stage: TraineeStage,
    /// The trainee's version someone else saved meanwhile, for ctrl-r.
    theirs: Option<u32>,
}

/// The form of `t`'s next step, or why there is none.
pub fn next_step_form(
    t: &Trainee,
    schools: &[BaseSchool],
    today: NaiveDate,
    lang: Lang,
) -> Result<NextStepForm, L> {
    // The date of each step, as the registry names it in a refusal.
    let date = |names| Field::date(("日期", "Date"), today).names(names);
    let intro = format!("{} {} {}", t.name, t.home_school, t.stage.label(lang));
    let (form, step) = match t.stage {
        TraineeStage::Applied => {
            let kind = match t.kind {
                TraineeKind::Student => FieldKind::text(SHORT, true),
                TraineeKind::Teacher => FieldKind::text(SHORT, false),
            };
            let named = |i: usize| t.recommenders.get(i).cloned().unwrap_or_default();
            let form = Form::new(L::StepRecommend)
                .with(
                    F::First,
                    Field::new(("推荐教师一", "Teacher 1"), kind.clone(), &named(0))
                        .names(Ident::Recommender),
                )
                .with(
                    F::Second,
                    Field::new(("推荐教师二", "Teacher 2"), kind, &named(1))
                        .names(Ident::Recommender),
                )
                .with(F::Date, date(Ident::RecommendationDate));
            let known = t.recommenders.clone();
            (form, Step::Recommend { known })
        }
        TraineeStage::Recommended => {
            let decisions = vec![
                Choice::new("入选", "selected", true),
                Choice::new("未入选", "not selected", false),
            ];
            let form = Form::new(L::StepSelect)
                .with(
                    F::Decision,
                    Field::choice(("遴选结果", "Decision"), decisions, 0),
                )
                .with(F::Date, date(Ident::SelectionDate));
            (form, Step::Select)
        }
        TraineeStage::Selected => {
            let form = Form::new(L::StepAnnounce)
                .with(F::Start, Field::date(("公示开始", "Starts on"), today))
                .with(
                    F::Days,
                    Field::new(
                        ("公示工作日", "Work days"),
                        FieldKind::text(2, true),
                        &crate::domain::calendar::active()
                            .min_announcement_days
                            .to_string(),
                    ),
                );
            (form, Step::Announce)
        }
        TraineeStage::Announced if t.open_objections() > 0 => {
            let index = t
                .objections
                .iter()
                .position(|o| o.resolution.is_none())
                .unwrap_or(0);
            let mut form = Form::new(L::StepResolve)
                .with(
                    F::Resolution,
                    Field::text(("处理结果", "Resolution"), MEDIUM, true),
                )
                .with(F::Date, date(Ident::ResolutionDate));
            form.sheet.intro = t
                .objections
                .get(index)
                .map(|o| format!("{} {}", o.raised_on, o.text));
            return Ok(NextStepForm {
                form,
                step: Step::Resolve { index },
                trainee: t.id,
                version: t.stamp.version,
                stage: t.stage,
                theirs: None,
            });
        }
        TraineeStage::Announced => (
            Form::new(L::StepFile).with(F::Date, date(Ident::FilingDate)),
            Step::File,
        ),
        TraineeStage::Filed => {
            let mut modes = vec![Choice::new(
                "走读培养",
                "commuting",
                TrainingMode::Commuting,
            )];
            for s in schools.iter().filter(|s| s.serves(t.project)) {
                modes.push(Choice::new(
                    format!("基地校培养：{}", s.application.name),
                    format!("at {}", s.application.name),
                    TrainingMode::BaseSchool { school: s.id },
                ));
            }
            let form = Form::new(L::StepEnrol)
                .with(F::Mode, Field::choice(("培养方式", "Training"), modes, 0))
                .with(
                    F::Commitment,
                    Field::date(("承诺书签署", "Letter on"), today),
                )
                .with(F::Date, date(Ident::EnrolmentDate));
            (form, Step::Enrol)
        }
        _ => return Err(L::NoNextStep),
    };
    // An announcement says how its days are counted, and by which calendar.
    let intro = match &step {
        Step::Announce => {
            let cal = crate::domain::calendar::active().short_label(lang);
            match lang {
                Lang::Zh => format!("{intro}。公示按工作日计，节假日不计：{cal}"),
                Lang::En => format!("{intro}. Working days, holidays excluded: {cal}"),
            }
        }
        _ => intro,
    };
    Ok(NextStepForm {
        form: form.intro(intro),
        step,
        trainee: t.id,
        version: t.stamp.version,
        stage: t.stage,
        theirs: None,
    })
}

impl FormFlow for NextStepForm {
    sheet_of!();
    step_on_newer!();

    fn save(&self, scope: Scope) -> Result<Vec<Command>, String> {
        let (f, lang) = (&self.form, scope.lang);
        let (id, version) = (self.trainee, self.version);
        Ok(match &self.step {
            Step::Recommend { known } => {
                // Each command moves the version on by one.
                let mut out = Vec::new();
                for name in [f.text(F::First), f.text(F::Second)] {
                    let name = name.trim().to_string();
                    if !name.is_empty() && !known.contains(&name) {
                        out.push(Command::AddRecommender {
                            id,
                            version: version + out.len() as u32,
                            teacher: name,
                        });
                    }
                }
                out.push(Command::Recommend {
                    id,
                    version: version + out.len() as u32,
                    date: f.required_date(F::Date, lang)?,
                });
                out
            }
            Step::Select => vec![Command::Select {
                id,
                version,
                date: f.required_date(F::Date, lang)?,
                selected: f.required(F::Decision, lang)?,
            }],
            Step::Announce => {
                let (min, max) = (
                    crate::domain::calendar::active().min_announcement_days,
                    crate::domain::calendar::MAX_ANNOUNCEMENT_DAYS,
                );
                let days: u8 = f
                    .text(F::Days)
                    .trim()
                    .parse()
                    .ok()
                    .filter(|d| (min..=max).contains(d))
                    .ok_or_else(|| match lang {
                        Lang::Zh => format!("公示工作日应为 {min} 到 {max} 之间的整数"),
                        Lang::En => format!("working days: a whole number from {min} to {max}"),
                    })?;
                vec![Command::Announce {
                    id,
                    version,
                    start: f.required_date(F::Start, lang)?,
                    working_days: days,
                }]
            }
            Step::Resolve { index } => vec![Command::ResolveObjection {
                id,
                version,
                index: *index,
                date: f.required_date(F::Date, lang)?,
                resolution: f.text(F::Resolution),
            }],
            Step::File => vec![Command::File {
                id,
                version,
                date: f.required_date(F::Date, lang)?,
            }],
            Step::Enrol => vec![Command::Enrol {
                id,
                version,
                date: f.required_date(F::Date, lang)?,
                mode: f.required(F::Mode, lang)?,
                commitment_signed: f.required_date(F::Commitment, lang)?,
            }],
        })
    }
}
