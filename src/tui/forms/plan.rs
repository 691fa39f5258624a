//! A group's annual plan and completion report (annex 1-2): the five parts
//! the plan requires (项目目标, 学员条件及产生方式, 学员组织管理,
//! 培训组织计划, 经费安排), numeric targets and budget per category, with
//! what was attained for the report. The training part fills from the
//! group's planned sessions of the year (ctrl-t).

use super::{Field, FieldKind, Form, FormFlow, Scope, sheet_of};
use crate::domain::field::Field as Ident;
use crate::domain::ledger::{category_label, category_stored};
use crate::domain::text::LONG;
use crate::domain::training::{Session, sessions_of_year, training_text};
use crate::domain::{AnnualCycle, Filing, Money, PlanParts, ProjectId, Target};
use crate::i18n::Lang;
use crate::registry::Command;
use crate::tui::strings::L;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum F {
    Year,
    Goals,
    Targets,
    Budget,
    Attainment,
    /// 学员条件及产生方式.
    Criteria,
    /// 学员组织管理.
    Management,
    /// 培训组织计划.
    Training,
    /// 经费安排: the words beside the budget table.
    Funding,
    /// What a filed plan's change amends and why.
    Amendment,
}

/// `省一等奖人数 5/3; 国赛获奖人数 2`: name, goal, and `/attained` once known.
pub fn targets_text(targets: &[Target]) -> String {
    targets
        .iter()
        .map(|t| match t.attained {
            Some(a) => format!("{} {}/{a}", t.name, t.goal),
            None => format!("{} {}", t.name, t.goal),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

pub fn parse_targets(text: &str) -> Result<Vec<Target>, String> {
    let mut out = Vec::new();
    for item in items(text) {
        let (name, numbers) = item
            .rsplit_once(char::is_whitespace)
            .ok_or(item.to_string())?;
        let (goal, attained) = match numbers.split_once('/') {
            Some((g, a)) => (g, Some(a)),
            None => (numbers, None),
        };
        let goal: u32 = goal.parse().map_err(|_| item.to_string())?;
        let attained = match attained {
            Some(a) => Some(a.parse::<u32>().map_err(|_| item.to_string())?),
            None => None,
        };
        out.push(Target {
            name: name.trim().to_string(),
            goal,
            attained,
        });
    }
    Ok(out)
}

/// `课酬 120,000; 差旅 60000` (`coaching 120000; travel 60000` in
/// English): category and yuan.
pub fn budget_text(budget: &[(String, Money)], lang: Lang) -> String {
    budget
        .iter()
        .map(|(c, m)| format!("{} {}", category_label(c, lang), m.plain()))
        .collect::<Vec<_>>()
        .join("; ")
}

pub fn parse_budget(text: &str) -> Result<Vec<(String, Money)>, String> {
    let mut out = Vec::new();
    for item in items(text) {
        let (category, amount) = item
            .rsplit_once(char::is_whitespace)
            .ok_or(item.to_string())?;
        let amount = Money::parse(amount).map_err(|_| item.to_string())?;
        out.push((category_stored(category), amount));
    }
    Ok(out)
}

/// The items of a `;`-separated list (either semicolon), trimmed.
fn items(text: &str) -> impl Iterator<Item = &str> {
    text.split([';', '；'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

pub struct PlanForm {
    form: Form<F>,
    project: ProjectId,
    version: Option<u32>,
    /// The plan as it was, to write only the commands of what changed.
    before: Option<(String, String, String, String, PlanParts)>,
    /// The group's sessions, which the training part fills from.
    sessions: Vec<Session>,
    /// The plan as someone else saved it meanwhile (this form built again
    /// from it) and the fields they changed, for ctrl-r.
    theirs: Option<(Box<PlanForm>, Vec<F>)>,
}

/// The plan of `year` for `project`: a new one, or `existing` to edit.
/// `sessions` are the group's: a new plan's training part starts written
/// from those of its year, and ctrl-t writes it again.
pub fn plan_form(
    project: ProjectId,
    year: i32,
    existing: Option<&AnnualCycle>,
    sessions: &[Session],
    lang: Lang,
) -> PlanForm {
    let before = existing.map(|c| {
        (
            c.goals.clone(),
            targets_text(&c.targets),
            budget_text(&c.budget, lang),
            c.attainment.clone(),
            c.parts.clone(),
        )
    });
    let (goals, targets, budget, attainment, mut parts) = before.clone().unwrap_or_default();
    if existing.is_none() {
        parts.training = training_text(&sessions_of_year(sessions, year), lang);
    }
    let long = |label, value: &str| Field::new(label, FieldKind::text(LONG, false), value);
    let form = Form::new(L::PlanForm)
        .with(F::Year, Field::year(("年度", "Year"), year))
        .with(
            F::Goals,
            long(("项目目标", "Project goals"), &goals).names(Ident::Goals),
        )
        .with(
            F::Targets,
            long(("量化指标", "Targets"), &targets).names(Ident::Target),
        )
        .with(
            F::Budget,
            long(("经费预算", "Budget"), &budget).names(Ident::Category),
        )
        .with(F::Attainment, long(("完成情况", "Attainment"), &attainment))
        .with(
            F::Criteria,
            long(("学员条件", "Criteria"), &parts.criteria).names(Ident::Criteria),
        )
        .with(
            F::Management,
            long(("学员管理", "Management"), &parts.management).names(Ident::Management),
        )
        .with(
            F::Training,
            long(("培训组织计划", "Training plan"), &parts.training),
        )
        .with(F::Funding, long(("经费安排", "Funding"), &parts.funding));
    // A filed plan (or report) changes only by a recorded amendment.
    let filed = existing.is_some_and(|c| {
        matches!(c.plan, Filing::Filed { .. }) || matches!(c.report, Filing::Filed { .. })
    });
    let form = if filed {
        form.with(F::Amendment, long(("修订说明", "Amendment"), ""))
    } else {
        form
    }
    .intro(L::PlanSyntax.get(lang));
    let mut form = form;
    form.sheet.fills = true;
    PlanForm {
        form,
        project,
        version: existing.map(|c| c.stamp.version),
        before,
        sessions: sessions.to_vec(),
        theirs: None,
    }
}

impl PlanForm {
    fn parts(&self) -> PlanParts {
        let f = &self.form;
        PlanParts {
            criteria: f.text(F::Criteria),
            management: f.text(F::Management),
            training: f.text(F::Training),
            funding: f.text(F::Funding),
        }
    }
}

impl FormFlow for PlanForm {
    sheet_of!();

    /// The plan of the year in the form, read again: the fields whose
    /// value someone else changed.
    fn stale(&mut self, ctx: &mut crate::tui::ctx::Ctx) -> Option<Vec<String>> {
        let year: i32 = self.form.text(F::Year).trim().parse().ok()?;
        let cycle = ctx.registry.cycle(self.project, year).ok().flatten()?;
        let theirs = plan_form(self.project, year, Some(&cycle), &self.sessions, ctx.lang);
        let changed = self.form.changed_in(&theirs.form);
        let labels = self.form.labels(&changed, ctx.lang);
        self.theirs = Some((Box::new(theirs), changed));
        self.form.sheet.theirs_held = true;
        Some(labels)
    }

    /// Their values in the fields they changed, what was typed kept in the
    /// others; saving writes what differs from their plan, on their version.
    fn take_theirs(&mut self, lang: Lang) -> Option<Vec<String>> {
        let (theirs, changed) = self.theirs.take()?;
        let labels = self.form.labels(&changed, lang);
        let PlanForm {
            form,
            version,
            before,
            ..
        } = *theirs;
        self.form = self.form.taken_into(form, &changed);
        self.version = version;
        self.before = before;
        self.form.sheet.theirs_held = false;
        Some(labels)
    }

    /// Saves the plan (`SetPlan`) and its parts (`SetPlanParts`), each only
    /// when it changed (a new plan: both), in one write; the parts'
    /// version follows the plan's when both are written.
    fn save(&self, scope: Scope) -> Result<Vec<Command>, String> {
        let (f, lang) = (&self.form, scope.lang);
        let year: i32 = f.text(F::Year).trim().parse().map_err(|_| {
            lang.pick("年度应为四位数字", "the year is four digits")
                .to_string()
        })?;
        let unreadable =
            |what: &str, item: String| format!("{what} “{item}”；{}", L::PlanSyntax.get(lang));
        let plan = Command::SetPlan {
            project: self.project,
            year,
            version: self.version,
            goals: f.text(F::Goals),
            targets: parse_targets(&f.text(F::Targets))
                .map_err(|i| unreadable(lang.pick("看不懂指标", "cannot read the target"), i))?,
            budget: parse_budget(&f.text(F::Budget)).map_err(|i| {
                unreadable(lang.pick("看不懂预算", "cannot read the budget line"), i)
            })?,
            attainment: f.text(F::Attainment),
            amendment: f.text(F::Amendment),
        };
        let parts = self.parts();
        let (plan_changed, parts_changed) = match &self.before {
            None => (true, parts != PlanParts::default()),
            Some((goals, targets, budget, attainment, before)) => (
                (f.text(F::Goals), f.text(F::Targets), f.text(F::Budget))
                    != (goals.clone(), targets.clone(), budget.clone())
                    || f.text(F::Attainment) != *attainment,
                parts != *before,
            ),
        };
        // Saving an unchanged plan still writes it, as before the parts.
        let plan_written = plan_changed || !parts_changed;
        let mut out = Vec::new();
        if plan_written {
            out.push(plan);
        }
        if parts_changed {
            // A new plan is version 1 once `SetPlan` created it; an edited one
            // is one version on if `SetPlan` went first.
            let version = match (self.version, plan_written) {
                (Some(v), true) => Some(v + 1),
                (Some(v), false) => Some(v),
                (None, _) => Some(1),
            };
            out.push(Command::SetPlanParts {
                project: self.project,
                year,
                version,
                parts,
                amendment: f.text(F::Amendment),
            });
        }
        Ok(out)
    }

    /// ctrl-t: the training part written again from the group's sessions
    /// of the year in the form.
    fn fill(&mut self, lang: Lang) -> Option<String> {
        let year: i32 = self.form.text(F::Year).trim().parse().ok()?;
        let sessions = sessions_of_year(&self.sessions, year);
        let text = training_text(&sessions, lang);
        let at = self.form.position(F::Training)?;
        let sheet = &mut self.form.sheet;
        sheet.fields.get_mut(at)?.input = tui_input::Input::new(text);
        sheet.focus = at;
        let n = sessions.iter().filter(|s| !s.is_cancelled()).count();
        Some(match lang {
            Lang::Zh => format!("已按 {year} 年的 {n} 次培养活动填写培训组织计划"),
            Lang::En => format!("The training plan is written from {year}'s {n} sessions"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_and_budget_read_back_what_they_print() {
        let t = parse_targets("省一等奖人数 5/3；国赛获奖人数 2").unwrap();
        assert_eq!(t.len(), 2);
        assert_eq!((t[0].goal, t[0].attained), (5, Some(3)));
        assert_eq!(t[1].attained, None);
        assert_eq!(parse_targets(&targets_text(&t)).unwrap(), t);
        assert!(parse_targets("省一等奖人数 五").is_err());

        let b = parse_budget("课酬 120,000; 差旅 60000.50").unwrap();
        assert_eq!(b[0], ("课酬".to_string(), Money::from_yuan(120_000)));
        assert_eq!(b[1].1, Money(6_000_050));
        assert_eq!(parse_budget(&budget_text(&b, Lang::Zh)).unwrap(), b);
        // In English the known categories read and print in English, and
        // are stored by their Chinese names all the same.
        assert_eq!(
            budget_text(&b, Lang::En),
            "coaching 120000.00; travel 60000.50"
        );
        assert_eq!(parse_budget(&budget_text(&b, Lang::En)).unwrap(), b);
        let typed = parse_budget("Travel 10; 集训 5").unwrap();
        assert_eq!((typed[0].0.as_str(), typed[1].0.as_str()), ("差旅", "集训"));
        assert!(parse_budget("课酬 -5").is_err());
    }
}
