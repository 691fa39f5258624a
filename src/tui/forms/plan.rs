//! A group's annual plan and completion report (annex 1-2): goals, numeric
//! targets and budget per category, with what was attained for the report.

use super::{Field, FieldKind, Form, FormFlow, Scope, sheet_of};
use crate::domain::ledger::{category_label, category_stored};
use crate::domain::text::LONG;
use crate::domain::{AnnualCycle, Filing, Money, ProjectId, Target};
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
}

/// The plan of `year` for `project`: a new one, or `existing` to edit.
pub fn plan_form(
    project: ProjectId,
    year: i32,
    existing: Option<&AnnualCycle>,
    lang: Lang,
) -> PlanForm {
    let (goals, targets, budget, attainment) = match existing {
        Some(c) => (
            c.goals.clone(),
            targets_text(&c.targets),
            budget_text(&c.budget, lang),
            c.attainment.clone(),
        ),
        None => Default::default(),
    };
    let long = |label, value: &str| Field::new(label, FieldKind::text(LONG, false), value);
    let form = Form::new(L::PlanForm)
        .with(F::Year, Field::year(("年度", "Year"), year))
        .with(F::Goals, long(("目标", "Goals"), &goals))
        .with(F::Targets, long(("量化指标", "Targets"), &targets))
        .with(F::Budget, long(("经费预算", "Budget"), &budget))
        .with(F::Attainment, long(("完成情况", "Attainment"), &attainment));
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
    PlanForm {
        form,
        project,
        version: existing.map(|c| c.stamp.version),
    }
}

impl FormFlow for PlanForm {
    sheet_of!();

    fn save(&self, scope: Scope) -> Result<Vec<Command>, String> {
        let (f, lang) = (&self.form, scope.lang);
        let year: i32 = f.text(F::Year).trim().parse().map_err(|_| {
            lang.pick("年度应为四位数字", "the year is four digits")
                .to_string()
        })?;
        let unreadable =
            |what: &str, item: String| format!("{what} “{item}”；{}", L::PlanSyntax.get(lang));
        Ok(vec![Command::SetPlan {
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
        }])
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
