//! Coach appointments (annex 1-1) as forms: a nomination (the person, their
//! record of competition results, the role and term), and the next stage of
//! an appointment (announce, file, activate, end). Filing someone who does
//! not meet annex 1-1 takes a written justification; the form lists each
//! unmet condition with its reason.

use chrono::NaiveDate;

use super::form::{Field, FieldKind, Form, Purpose, option};
use super::model::CoachRow;
use super::strings::L;
use crate::domain::coach::qualification_shortfalls;
use crate::domain::text::{LONG, MEDIUM, SHORT};
use crate::domain::{CoachRole, CoachStage, Gender, Prize, PrizeLevel, ProjectId, StudentResult};
use crate::i18n::{Lang, Localized};
use crate::registry::{Command, PersonInput};

const NAME: &str = "姓名";
const GENDER: &str = "性别";
const SCHOOL: &str = "工作单位";
const TITLE: &str = "职称";
const PHONE: &str = "联系电话";
const TEACHING: &str = "任教起始";
const COACHING: &str = "竞赛辅导起始";
const RESULTS: &str = "学生获奖";
const RESEARCH: &str = "研究成果";
const ROLE: &str = "聘任岗位";
const START: &str = "任期开始";
const YEARS: &str = "任期年数";
const DATE: &str = "日期";
const STAGE: &str = "变更为";
const JUSTIFICATION: &str = "未达条件说明";

/// A nomination to `project`: the person and the appointment.
pub fn nomination_form(project: ProjectId, today: NaiveDate, lang: Lang) -> Form {
    let today = today.to_string();
    let mut form = Form::new(
        L::NominateCoach,
        Purpose::Nominate { project },
        vec![
            Field::new((NAME, "Name"), FieldKind::text(SHORT, true), ""),
            Field::choice(
                (GENDER, "Gender"),
                vec![option("女", "female"), option("男", "male")],
                0,
            ),
            Field::new((SCHOOL, "Works at"), FieldKind::text(MEDIUM, true), ""),
            Field::new((TITLE, "Title"), FieldKind::text(SHORT, false), ""),
            Field::new((PHONE, "Phone"), FieldKind::Phone, ""),
            Field::new((TEACHING, "Teaching since"), FieldKind::Date, ""),
            Field::new((COACHING, "Coaching since"), FieldKind::text(10, false), ""),
            Field::new((RESULTS, "Prizes"), FieldKind::text(LONG, false), ""),
            Field::new((RESEARCH, "Research"), FieldKind::text(LONG, false), ""),
            Field::choice(
                (ROLE, "Role"),
                CoachRole::ALL
                    .iter()
                    .map(|r| option(r.label(Lang::Zh), r.label(Lang::En)))
                    .collect(),
                1,
            ),
            Field::new((START, "Term starts"), FieldKind::Date, &today),
            Field::choice(
                (YEARS, "Term years"),
                vec![
                    option("1 年", "1 year"),
                    option("2 年", "2 years"),
                    option("3 年", "3 years"),
                ],
                0,
            ),
        ],
    );
    form.intro = Some(L::PrizeSyntax.get(lang).to_string());
    form
}

/// `国一 2024; 省二 2023 数学竞赛; 省参赛 2022` (or `N1 2024; P2 2023; PC
/// 2022`): level (国/N national, 省/P provincial), prize (一 二 三 or 1 2 3,
/// 参赛/C took part), year, and optionally the competition's name.
pub fn parse_results(text: &str, project: ProjectId) -> Result<Vec<StudentResult>, String> {
    let mut out = Vec::new();
    for item in text
        .split([';', '；', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        let mut words = item.split_whitespace();
        let head = words.next().unwrap_or_default();
        let mut chars = head.chars();
        let level = match chars.next() {
            Some('国' | 'N' | 'n') => PrizeLevel::National,
            Some('省' | 'P' | 'p') => PrizeLevel::Provincial,
            _ => return Err(item.to_string()),
        };
        let prize = match chars.as_str() {
            "一" | "1" => Prize::First,
            "二" | "2" => Prize::Second,
            "三" | "3" => Prize::Third,
            "参赛" | "C" | "c" => Prize::Contestant,
            _ => return Err(item.to_string()),
        };
        let year: i32 = words
            .next()
            .and_then(|y| y.parse().ok())
            .filter(|y| (1950..=2100).contains(y))
            .ok_or_else(|| item.to_string())?;
        let competition = words.collect::<Vec<_>>().join(" ");
        out.push(StudentResult {
            level,
            prize,
            year,
            competition: if competition.is_empty() {
                format!("{}竞赛", project.name(Lang::Zh))
            } else {
                competition
            },
        });
    }
    Ok(out)
}

/// The person a nomination form describes, or the message for what cannot
/// be read.
pub fn person(form: &Form, project: ProjectId, lang: Lang) -> Result<PersonInput, String> {
    let coaching = form.text(COACHING);
    let coaching_since = match coaching.trim() {
        "" => None,
        s => Some(super::form::parse_date(s).ok_or_else(|| {
            format!(
                "{}：{}",
                lang.pick(COACHING, "Coaching since"),
                L::BadDate.get(lang)
            )
        })?),
    };
    let results = parse_results(&form.text(RESULTS), project).map_err(|item| {
        format!(
            "{} “{item}”；{}",
            lang.pick("看不懂获奖记录", "cannot read the prize"),
            L::PrizeSyntax.get(lang)
        )
    })?;
    Ok(PersonInput {
        name: form.text(NAME),
        gender: if form.choice(GENDER) == 0 {
            Gender::Female
        } else {
            Gender::Male
        },
        school: form.text(SCHOOL),
        subject: project,
        title: form.text(TITLE),
        phone: form.text(PHONE),
        teaching_since: form.date(TEACHING),
        coaching_since,
        coaching_now: coaching_since.is_some(),
        results,
        research_outputs: form
            .text(RESEARCH)
            .split([';', '；'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect(),
    })
}

/// The nomination of person `id` the form describes.
pub fn nomination(form: &Form, project: ProjectId, person: u64) -> Command {
    Command::Nominate {
        date: form.date(START),
        person,
        project,
        role: CoachRole::ALL[form.choice(ROLE).min(2)],
        term_start: form.date(START),
        term_years: form.choice(YEARS) as i32 + 1,
    }
}

/// The stages an appointment can move to from where it is.
fn next_stages(row: &CoachRow) -> Vec<CoachStage> {
    use CoachStage as S;
    match row.coach.stage {
        S::Nominated if row.coach.role == CoachRole::Chief => vec![S::Announced, S::Ended],
        S::Nominated => vec![S::Filed, S::Ended],
        S::Announced => vec![S::Filed, S::Ended],
        S::Filed => vec![S::Active, S::Ended],
        S::Active => vec![S::Ended],
        S::Ended => Vec::new(),
    }
}

/// The form moving an appointment on, with annex 1-1's unmet conditions
/// listed when it is about to be filed.
pub fn advance_form(row: &CoachRow, today: NaiveDate, lang: Lang) -> Result<Form, L> {
    let stages = next_stages(row);
    if stages.is_empty() {
        return Err(L::NoNextStep);
    }
    let shortfalls =
        qualification_shortfalls(&row.person, row.coach.role, row.coach.project, today);
    let mut fields = vec![
        Field::choice(
            (STAGE, "Move to"),
            stages
                .iter()
                .map(|s| option(s.label(Lang::Zh), s.label(Lang::En)))
                .collect(),
            0,
        ),
        Field::new((DATE, "Date"), FieldKind::Date, &today.to_string()),
    ];
    if !shortfalls.is_empty() && stages.contains(&CoachStage::Filed) {
        fields.push(Field::new(
            (JUSTIFICATION, "Justification"),
            FieldKind::text(LONG, false),
            "",
        ));
    }
    let mut form = Form::new(
        L::AdvanceCoach,
        Purpose::AdvanceCoach {
            coach: row.coach.id,
            version: row.coach.stamp.version,
            stages,
        },
        fields,
    );
    let unmet: Vec<String> = shortfalls.iter().map(|s| s.localized(lang)).collect();
    form.intro = Some(if unmet.is_empty() {
        format!(
            "{} {} {}：{}",
            row.person.name,
            row.coach.role.label(lang),
            row.coach.stage.label(lang),
            L::Meets.get(lang)
        )
    } else {
        format!(
            "{} {}：! {}",
            row.person.name,
            row.coach.role.label(lang),
            unmet.join("；")
        )
    });
    Ok(form)
}

/// The command of a submitted advance form.
pub fn advance(form: &Form) -> Option<Command> {
    let Purpose::AdvanceCoach {
        coach,
        version,
        stages,
    } = &form.purpose
    else {
        return None;
    };
    let justification = form.text(JUSTIFICATION);
    Some(Command::AdvanceCoach {
        id: *coach,
        version: *version,
        to: *stages.get(form.choice(STAGE))?,
        date: form.date(DATE),
        justification: (!justification.trim().is_empty()).then_some(justification),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prizes_are_read_from_a_short_line() {
        let r = parse_results(
            "国一 2024; 省二 2023 山东省数学竞赛；省参赛 2022",
            ProjectId::Math,
        )
        .unwrap();
        assert_eq!(r.len(), 3);
        assert_eq!(
            (r[0].level, r[0].prize, r[0].year),
            (PrizeLevel::National, Prize::First, 2024)
        );
        assert_eq!(r[0].competition, "数学竞赛");
        assert_eq!(r[1].competition, "山东省数学竞赛");
        assert_eq!(r[2].prize, Prize::Contestant);
        let en = parse_results("N1 2024; pc 2022", ProjectId::Math).unwrap();
        assert_eq!(
            (en[0].level, en[0].prize),
            (PrizeLevel::National, Prize::First)
        );
        assert_eq!(
            (en[1].level, en[1].prize),
            (PrizeLevel::Provincial, Prize::Contestant)
        );
        assert_eq!(
            parse_results("市一 2024", ProjectId::Math),
            Err("市一 2024".into())
        );
        assert!(parse_results("国一", ProjectId::Math).is_err());
        assert_eq!(parse_results("  ", ProjectId::Math), Ok(Vec::new()));
    }
}
