//! A new application to a group (annex 1-3's first step): the applicant, the
//! home school and district, and the date applied; and, with the same
//! fields, a correction of a trainee's details later (`e`), which corrects
//! the application too: its recommending teachers and the date applied.

use super::{Choice, Field, FieldKind, Form, FormFlow, Scope, districts, genders, sheet_of};
use crate::domain::field::Field as Ident;
use crate::domain::text::{MEDIUM, SHORT};
use crate::domain::{Gender, ProjectId, Trainee, TraineeKind, TraineeStage};
use crate::i18n::Lang;
use crate::registry::{self, ApplicationInput, Command, TraineeDetails};
use crate::tui::ctx::Ctx;
use crate::tui::strings::L;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum F {
    Kind,
    Name,
    Gender,
    School,
    District,
    Grade,
    Phone,
    Date,
    /// The recommending teachers, as `e` corrects them.
    Recommenders,
    /// The date applied, as `e` corrects it.
    Applied,
}

pub struct ApplicationForm {
    form: Form<F>,
    project: ProjectId,
}

/// A new application to `project`.
pub fn application_form(project: ProjectId, scope: Scope) -> ApplicationForm {
    let kinds = vec![
        Choice::new("学生", "student", TraineeKind::Student),
        Choice::new("青年教师", "young teacher", TraineeKind::Teacher),
    ];
    let form = Form::new(L::NewApplication).with(
        F::Kind,
        Field::choice(Ident::Kind.labels(), kinds, 0).names(Ident::Kind),
    );
    let blank = TraineeDetails {
        name: String::new(),
        gender: Gender::Female,
        home_school: String::new(),
        district: String::new(),
        grade: String::new(),
        phone: String::new(),
    };
    let form = with_phone(with_details(form, &blank), &blank).with(
        F::Date,
        Field::of(
            Ident::ApplicationDate,
            FieldKind::DATE,
            &scope.today.to_string(),
        ),
    );
    ApplicationForm { form, project }
}

/// The fields of who a trainee is, showing `d` (the phone comes apart, last
/// of the details: see `with_phone`).
fn with_details(form: Form<F>, d: &TraineeDetails) -> Form<F> {
    let gender = genders()
        .iter()
        .position(|g| g.value::<Gender>() == Some(d.gender));
    let district = districts()
        .iter()
        .position(|c| c.value::<String>().as_ref() == Some(&d.district));
    let text = |id, max, value: &str| Field::of(id, FieldKind::text(max, true), value);
    let choice = |id: Ident, options, at: Option<usize>| {
        Field::choice(id.labels(), options, at.unwrap_or(0)).names(id)
    };
    form.with(F::Name, text(Ident::Name, SHORT, &d.name))
        .with(F::Gender, choice(Ident::Gender, genders(), gender))
        .with(F::School, text(Ident::HomeSchool, MEDIUM, &d.home_school))
        .with(F::District, choice(Ident::District, districts(), district))
        .with(F::Grade, text(Ident::Grade, SHORT, &d.grade))
}

/// How to reach the trainee, showing `d`'s phone.
fn with_phone(form: Form<F>, d: &TraineeDetails) -> Form<F> {
    form.with(
        F::Phone,
        Field::of(Ident::Phone, FieldKind::Phone, &d.phone),
    )
}

/// What the details fields hold.
fn details(f: &Form<F>, lang: Lang) -> Result<TraineeDetails, String> {
    Ok(TraineeDetails {
        name: f.text(F::Name),
        gender: f.required(F::Gender, lang)?,
        home_school: f.text(F::School),
        district: f.required(F::District, lang)?,
        grade: f.text(F::Grade),
        phone: f.text(F::Phone),
    })
}

/// A correction of `t`'s details: audited, and undone by `u`.
pub struct DetailsForm {
    form: Form<F>,
    trainee: u64,
    version: u32,
    /// The trainee as someone else saved them meanwhile (their version,
    /// their details as this form, the fields they changed), for ctrl-r.
    theirs: Option<(u32, Form<F>, Vec<F>)>,
}

pub fn details_form(t: &Trainee) -> DetailsForm {
    DetailsForm {
        form: correcting(t),
        trainee: t.id,
        version: t.stamp.version,
        theirs: None,
    }
}

/// The fields `e` corrects, showing `t`: who they are, their application
/// (the recommending teachers, the date applied), and how to reach them.
fn correcting(t: &Trainee) -> Form<F> {
    let applied = t
        .history
        .iter()
        .find(|h| h.stage == TraineeStage::Applied)
        .map(|h| h.date.to_string())
        .unwrap_or_default();
    let d = TraineeDetails::of(t);
    let form = with_details(Form::new(L::EditTrainee), &d)
        .with(
            F::Recommenders,
            Field::new(
                ("推荐教师", "Recommenders"),
                FieldKind::text(MEDIUM, false),
                &t.recommenders.join(", "),
            )
            .names(Ident::Recommender),
        )
        .with(
            F::Applied,
            Field::of(Ident::ApplicationDate, FieldKind::DATE, &applied),
        );
    // The phone last, as in the application form.
    with_phone(form, &d)
}

/// The teachers named in `text`, separated by commas, semicolons or 、.
fn teachers(text: &str) -> Vec<String> {
    text.split([',', '，', '、', ';', '；'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

impl FormFlow for DetailsForm {
    sheet_of!();

    fn stale(&mut self, ctx: &mut Ctx) -> Option<Vec<String>> {
        let t = ctx.registry.trainee(self.trainee).ok().flatten()?;
        let theirs = correcting(&t);
        let changed = self.form.changed_in(&theirs);
        let labels = self.form.labels(&changed, ctx.lang);
        self.theirs = Some((t.stamp.version, theirs, changed));
        self.form.sheet.theirs_held = true;
        Some(labels)
    }

    fn take_theirs(&mut self, lang: Lang) -> Option<Vec<String>> {
        let (version, theirs, changed) = self.theirs.take()?;
        self.form.take(&theirs, &changed);
        self.version = version;
        self.form.sheet.theirs_held = false;
        Some(self.form.labels(&changed, lang))
    }

    /// The details as typed, and the application's correction when its
    /// fields changed: applied together, the correction against the
    /// version the details' edit leaves.
    fn save(&self, scope: Scope) -> Result<Vec<Command>, String> {
        let f = &self.form;
        let changed = |id| f.field(id).is_some_and(|x| x.changed());
        let application = changed(F::Recommenders) || changed(F::Applied);
        let details_changed = [
            F::Name,
            F::Gender,
            F::School,
            F::District,
            F::Grade,
            F::Phone,
        ]
        .into_iter()
        .any(changed);
        let mut commands = Vec::new();
        if details_changed || !application {
            commands.push(Command::UpdateTrainee {
                id: self.trainee,
                version: self.version,
                details: details(f, scope.lang)?,
            });
        }
        if application {
            commands.push(Command::CorrectApplication {
                id: self.trainee,
                version: self.version + commands.len() as u32,
                recommenders: teachers(&f.text(F::Recommenders)),
                applied_on: f.required_date(F::Applied, scope.lang)?,
            });
        }
        Ok(commands)
    }
}

impl FormFlow for ApplicationForm {
    sheet_of!();

    fn save(&self, scope: Scope) -> Result<Vec<Command>, String> {
        let f = &self.form;
        let d = details(f, scope.lang)?;
        Ok(vec![Command::Apply(ApplicationInput {
            kind: f.required(F::Kind, scope.lang)?,
            name: d.name,
            gender: d.gender,
            home_school: d.home_school,
            district: d.district,
            grade: d.grade,
            phone: d.phone,
            project: self.project,
            date: f.required_date(F::Date, scope.lang)?,
        })])
    }

    fn select_after(&self, events: &[registry::Event]) -> Option<(registry::RecordKind, u64)> {
        super::first_of(events, registry::RecordKind::Trainee)
    }
}
