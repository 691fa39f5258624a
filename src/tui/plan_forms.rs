//! The annual plan and completion report (annex 1-2) as forms: the plan's
//! goals, numeric targets and budget per category (with what was attained,
//! for the report), and the submission or filing of either document.

use chrono::NaiveDate;

use super::form::{Field, FieldKind, Form, Purpose, option};
use super::strings::L;
use crate::domain::text::LONG;
use crate::domain::{AnnualCycle, Document, Filing, Money, ProjectId, Target};
use crate::i18n::Lang;
use crate::registry::Command;

const YEAR: &str = "年度";
const GOALS: &str = "目标";
const TARGETS: &str = "量化指标";
const BUDGET: &str = "经费预算";
const ATTAINMENT: &str = "完成情况";
const DOCUMENT: &str = "文件";
const STEP: &str = "登记";
const DATE: &str = "日期";

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
    for item in text
        .split([';', '；'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
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

/// `课酬 120,000; 差旅 60000`: category and yuan.
pub fn budget_text(budget: &[(String, Money)]) -> String {
    budget
        .iter()
        .map(|(c, m)| format!("{c} {}", m.plain()))
        .collect::<Vec<_>>()
        .join("; ")
}

pub fn parse_budget(text: &str) -> Result<Vec<(String, Money)>, String> {
    let mut out = Vec::new();
    for item in text
        .split([';', '；'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        let (category, amount) = item
            .rsplit_once(char::is_whitespace)
            .ok_or(item.to_string())?;
        let amount = Money::parse(amount).map_err(|_| item.to_string())?;
        out.push((category.trim().to_string(), amount));
    }
    Ok(out)
}

/// The plan of `year` for `project`: a new one, or `existing` to edit.
pub fn plan_form(
    project: ProjectId,
    year: i32,
    existing: Option<&AnnualCycle>,
    lang: Lang,
) -> Form {
    let (goals, targets, budget, attainment) = match existing {
        Some(c) => (
            c.goals.clone(),
            targets_text(&c.targets),
            budget_text(&c.budget),
            c.attainment.clone(),
        ),
        None => Default::default(),
    };
    let mut form = Form::new(
        L::PlanForm,
        Purpose::SetPlan {
            project,
            version: existing.map(|c| c.stamp.version),
        },
        vec![
            Field::new(
                (YEAR, "Year"),
                FieldKind::Text {
                    max: 4,
                    required: true,
                },
                &year.to_string(),
            ),
            Field::new((GOALS, "Goals"), FieldKind::text(LONG, false), &goals),
            Field::new((TARGETS, "Targets"), FieldKind::text(LONG, false), &targets),
            Field::new((BUDGET, "Budget"), FieldKind::text(LONG, false), &budget),
            Field::new(
                (ATTAINMENT, "Attainment"),
                FieldKind::text(LONG, false),
                &attainment,
            ),
        ],
    );
    form.intro = Some(L::PlanSyntax.get(lang).to_string());
    form
}

/// The commands of a submitted plan form, or what cannot be read.
pub fn plan(form: &Form, lang: Lang) -> Result<Command, String> {
    let Purpose::SetPlan { project, version } = form.purpose else {
        return Err(String::new());
    };
    let year: i32 = form.text(YEAR).trim().parse().map_err(|_| {
        lang.pick("年度应为四位数字", "the year is four digits")
            .to_string()
    })?;
    let unreadable =
        |what: &str, item: String| format!("{what} “{item}”；{}", L::PlanSyntax.get(lang));
    Ok(Command::SetPlan {
        project,
        year,
        version,
        goals: form.text(GOALS),
        targets: parse_targets(&form.text(TARGETS))
            .map_err(|i| unreadable(lang.pick("看不懂指标", "cannot read the target"), i))?,
        budget: parse_budget(&form.text(BUDGET))
            .map_err(|i| unreadable(lang.pick("看不懂预算", "cannot read the budget line"), i))?,
        attainment: form.text(ATTAINMENT),
    })
}

/// Submission or filing of the plan or the report of `cycle`'s year: the
/// step due first is chosen.
pub fn filing_form(cycle: &AnnualCycle, today: NaiveDate) -> Form {
    let next = |f: Filing| match f {
        Filing::NotSubmitted => 0,
        Filing::Submitted(_) => 1,
        Filing::Filed { .. } => 0,
    };
    let (document, step) = match (cycle.plan, cycle.report) {
        (Filing::Filed { .. }, report) => (1, next(report)),
        (plan, _) => (0, next(plan)),
    };
    Form::new(
        L::FilingForm,
        Purpose::RecordFiling {
            project: cycle.project,
            year: cycle.year,
        },
        vec![
            Field::choice(
                (DOCUMENT, "Document"),
                [Document::Plan, Document::Report]
                    .iter()
                    .map(|d| option(d.label(Lang::Zh), d.label(Lang::En)))
                    .collect(),
                document,
            ),
            Field::choice(
                (STEP, "Record"),
                vec![option("已提交", "submitted"), option("已备案", "filed")],
                step,
            ),
            Field::new((DATE, "Date"), FieldKind::Date, &today.to_string()),
        ],
    )
}

pub fn filing(form: &Form) -> Option<Command> {
    let Purpose::RecordFiling { project, year } = form.purpose else {
        return None;
    };
    Some(Command::RecordFiling {
        project,
        year,
        document: if form.choice(DOCUMENT) == 0 {
            Document::Plan
        } else {
            Document::Report
        },
        date: form.date(DATE),
        filed: form.choice(STEP) == 1,
    })
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
        assert_eq!(parse_budget(&budget_text(&b)).unwrap(), b);
        assert!(parse_budget("课酬 -5").is_err());
    }
}
