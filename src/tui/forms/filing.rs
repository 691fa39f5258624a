//! The submission or filing (提交、备案) of a group's plan or report: the step
//! due first is chosen.

use chrono::NaiveDate;

use super::{Choice, Field, Form, FormFlow, Scope, sheet_of};
use crate::domain::{AnnualCycle, Document, Filing, ProjectId};
use crate::i18n::Lang;
use crate::registry::Command;
use crate::tui::strings::L;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum F {
    Document,
    Step,
    Date,
}

pub struct FilingForm {
    form: Form<F>,
    project: ProjectId,
    year: i32,
}

pub fn filing_form(cycle: &AnnualCycle, today: NaiveDate) -> FilingForm {
    let next = |f: Filing| match f {
        Filing::NotSubmitted | Filing::Filed { .. } => 0,
        Filing::Submitted(_) => 1,
    };
    let (document, step) = match (cycle.plan, cycle.report) {
        (Filing::Filed { .. }, report) => (1, next(report)),
        (plan, _) => (0, next(plan)),
    };
    let documents = [Document::Plan, Document::Report]
        .iter()
        .map(|d| Choice::new(d.label(Lang::Zh), d.label(Lang::En), *d))
        .collect();
    let steps = vec![
        Choice::new("已提交", "submitted", false),
        Choice::new("已备案", "filed", true),
    ];
    let form = Form::new(L::FilingForm)
        .with(
            F::Document,
            Field::choice(("文件", "Document"), documents, document),
        )
        .with(F::Step, Field::choice(("登记", "Record"), steps, step))
        .with(F::Date, Field::date(("日期", "Date"), today));
    FilingForm {
        form,
        project: cycle.project,
        year: cycle.year,
    }
}

impl FormFlow for FilingForm {
    sheet_of!();

    fn save(&self, scope: Scope) -> Result<Vec<Command>, String> {
        let f = &self.form;
        Ok(vec![Command::RecordFiling {
            project: self.project,
            year: self.year,
            document: f.required(F::Document, scope.lang)?,
            date: f.required_date(F::Date, scope.lang)?,
            filed: f.required(F::Step, scope.lang)?,
        }])
    }
}
