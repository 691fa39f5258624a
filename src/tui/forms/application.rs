//! A new application to a group (annex 1-3's first step): the applicant, the
//! home school and district, and the date applied.

use super::{Choice, Field, FieldKind, Form, FormFlow, Scope, districts, genders, sheet_of};
use crate::domain::text::{MEDIUM, SHORT};
use crate::domain::{ProjectId, TraineeKind};
use crate::registry::{self, ApplicationInput, Command};
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
    let form = Form::new(L::NewApplication)
        .with(F::Kind, Field::choice(("类别", "Kind"), kinds, 0))
        .with(F::Name, Field::text(("姓名", "Name"), SHORT, true))
        .with(F::Gender, Field::choice(("性别", "Gender"), genders(), 0))
        .with(F::School, Field::text(("所在学校", "School"), MEDIUM, true))
        .with(
            F::District,
            Field::choice(("区市", "District"), districts(), 0),
        )
        .with(F::Grade, Field::text(("年级或学科", "Grade"), SHORT, true))
        .with(
            F::Phone,
            Field::blank(("联系电话", "Phone"), FieldKind::Phone),
        )
        .with(F::Date, Field::date(("日期", "Applied on"), scope.today));
    ApplicationForm { form, project }
}

impl FormFlow for ApplicationForm {
    sheet_of!();

    fn save(&self, scope: Scope) -> Result<Vec<Command>, String> {
        let f = &self.form;
        Ok(vec![Command::Apply(ApplicationInput {
            kind: f.required(F::Kind, scope.lang)?,
            name: f.text(F::Name),
            gender: f.required(F::Gender, scope.lang)?,
            home_school: f.text(F::School),
            district: f.required(F::District, scope.lang)?,
            grade: f.text(F::Grade),
            phone: f.text(F::Phone),
            project: self.project,
            date: f.required_date(F::Date, scope.lang)?,
        })])
    }

    fn select_after(&self, events: &[registry::Event]) -> Option<u64> {
        events.first().map(|e| e.id)
    }
}
