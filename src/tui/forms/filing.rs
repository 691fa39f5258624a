//! The submission or filing (提交、备案) of a group's plan or report: the step
//! due first is chosen.

use chrono::NaiveDate;

use super::{Choice, Field, Form, FormFlow, Scope, Submitted, sheet_of};
use crate::domain::{AnnualCycle, Document, Filing, ProjectId};
use crate::i18n::Lang;
use crate::registry::Command;
use crate::tui::ctx::Ctx;
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
    /// The plan's version when the form was made: filing writes no
    /// version, so saving reads the plan first and refuses if someone else
    /// saved it meanwhile (they may have filed it, or changed what is filed).
    version: u32,
    /// The form built again from the plan as someone else saved it, and
    /// the fields that differ, for ctrl-r.
    theirs: Option<(Box<FilingForm>, Vec<F>)>,
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
        version: cycle.stamp.version,
        theirs: None,
    }
}

impl FormFlow for FilingForm {
    sheet_of!();

    fn submit(&mut self, ctx: &mut Ctx) -> Result<Submitted, String> {
        if let Ok(Some(c)) = ctx.registry.cycle(self.project, self.year)
            && c.stamp.version != self.version
        {
            return Ok(Submitted::Stale {
                by: c.stamp.updated_by,
                at: c.stamp.updated_at,
            });
        }
        self.save(ctx.scope()).map(Submitted::Write)
    }

    /// The plan read again: the document and step due next, which follow
    /// from what was filed.
    fn stale(&mut self, ctx: &mut Ctx) -> Option<Vec<String>> {
        let cycle = ctx.registry.cycle(self.project, self.year).ok().flatten()?;
        let theirs = filing_form(&cycle, ctx.today);
        let changed = self.form.changed_in(&theirs.form);
        let labels = self.form.labels(&changed, ctx.lang);
        self.theirs = Some((Box::new(theirs), changed));
        self.form.sheet.theirs_held = true;
        Some(labels)
    }

    fn take_theirs(&mut self, lang: Lang) -> Option<Vec<String>> {
        let (theirs, changed) = self.theirs.take()?;
        let labels = self.form.labels(&changed, lang);
        self.form = self.form.taken_into(theirs.form, &changed);
        self.version = theirs.version;
        self.form.sheet.theirs_held = false;
        Some(labels)
    }

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
