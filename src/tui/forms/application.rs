//! A new application to a group (annex 1-3's first step): the applicant, the
//! home school and district, and the date applied; and, with the same
//! fields, a correction of a trainee's details later (`e`).

use super::{Choice, Field, FieldKind, Form, FormFlow, Scope, districts, genders, sheet_of};
use crate::domain::text::{MEDIUM, SHORT};
use crate::domain::{Gender, ProjectId, Trainee, TraineeKind};
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
    let form =
        Form::new(L::NewApplication).with(F::Kind, Field::choice(("类别", "Kind"), kinds, 0));
    let blank = TraineeDetails {
        name: String::new(),
        gender: Gender::Female,
        home_school: String::new(),
        district: String::new(),
        grade: String::new(),
        phone: String::new(),
    };
    let form = with_details(form, &blank).with(
        F::Date,
        Field::date(("日期", "Applied on"), scope.today).names("申报日期 application date"),
    );
    ApplicationForm { form, project }
}

/// The fields of who a trainee is and how to reach them, showing `d`.
fn with_details(form: Form<F>, d: &TraineeDetails) -> Form<F> {
    let gender = genders()
        .iter()
        .position(|g| g.value::<Gender>() == Some(d.gender));
    let district = districts()
        .iter()
        .position(|c| c.value::<String>().as_ref() == Some(&d.district));
    let text = |label, max, value: &str| Field::new(label, FieldKind::text(max, true), value);
    form.with(F::Name, text(("姓名", "Name"), SHORT, &d.name))
        .with(
            F::Gender,
            Field::choice(("性别", "Gender"), genders(), gender.unwrap_or(0)),
        )
        .with(
            F::School,
            text(("所在学校", "School"), MEDIUM, &d.home_school),
        )
        .with(
            F::District,
            Field::choice(("区市", "District"), districts(), district.unwrap_or(0)),
        )
        .with(F::Grade, text(("年级或学科", "Grade"), SHORT, &d.grade))
        .with(
            F::Phone,
            Field::new(("联系电话", "Phone"), FieldKind::Phone, &d.phone),
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
        form: with_details(Form::new(L::EditTrainee), &TraineeDetails::of(t)),
        trainee: t.id,
        version: t.stamp.version,
        theirs: None,
    }
}

impl FormFlow for DetailsForm {
    sheet_of!();

    fn stale(&mut self, ctx: &mut Ctx) -> Option<Vec<String>> {
        let t = ctx.registry.trainee(self.trainee).ok().flatten()?;
        let theirs = with_details(Form::new(L::EditTrainee), &TraineeDetails::of(&t));
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

    fn save(&self, scope: Scope) -> Result<Vec<Command>, String> {
        Ok(vec![Command::UpdateTrainee {
            id: self.trainee,
            version: self.version,
            details: details(&self.form, scope.lang)?,
        }])
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
