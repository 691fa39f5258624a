//! A coach nomination (annex 1-1): the person, their record of students'
//! competition results, the role and the term. The person (a record of
//! their own, kept for later terms) and the appointment are saved together
//! or not at all.

use crate::domain::field::Field as Ident;
use chrono::NaiveDate;

use super::{Choice, Field, FieldKind, Form, FormFlow, Scope, genders, sheet_of};
use crate::domain::text::{LONG, MEDIUM, SHORT};
use crate::domain::{CoachRole, Prize, PrizeLevel, ProjectId, StudentResult};
use crate::i18n::Lang;
use crate::registry::{self, Command, PersonInput};
use crate::tui::strings::L;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum F {
    Name,
    Gender,
    School,
    Title,
    Phone,
    Teaching,
    Coaching,
    Results,
    Research,
    Role,
    Start,
    Years,
}

pub struct NominationForm {
    form: Form<F>,
    project: ProjectId,
    /// The role the term was last set for.
    role: CoachRole,
}

/// A nomination to `project`.
pub fn nomination_form(project: ProjectId, today: NaiveDate, lang: Lang) -> NominationForm {
    let roles = CoachRole::ALL
        .iter()
        .map(|r| Choice::new(r.label(Lang::Zh), r.label(Lang::En), *r))
        .collect();
    let years = vec![
        Choice::new("1 年", "1 year", 1i32),
        Choice::new("2 年", "2 years", 2i32),
        Choice::new("3 年", "3 years", 3i32),
    ];
    let form = Form::new(L::NominateCoach)
        .with(F::Name, Field::text(("姓名", "Name"), SHORT, true))
        .with(F::Gender, Field::choice(("性别", "Gender"), genders(), 0))
        .with(
            F::School,
            Field::text(("工作单位", "Works at"), MEDIUM, true).names(Ident::Workplace),
        )
        .with(F::Title, Field::text(("职称", "Title"), SHORT, false))
        .with(
            F::Phone,
            Field::blank(("联系电话", "Phone"), FieldKind::Phone),
        )
        .with(
            F::Teaching,
            Field::blank(
                ("任教起始", "Teaching since"),
                FieldKind::Since { optional: false },
            )
            .names(Ident::TeachingSince),
        )
        .with(
            F::Coaching,
            Field::blank(
                ("竞赛辅导起始", "Coaching since"),
                FieldKind::Since { optional: true },
            ),
        )
        .with(
            F::Results,
            Field::text(("学生获奖", "Prizes"), LONG, false).names(Ident::Competition),
        )
        .with(
            F::Research,
            Field::text(("研究成果", "Research"), LONG, false).names(Ident::ResearchOutput),
        )
        .with(F::Role, Field::choice(("聘任岗位", "Role"), roles, 1))
        .with(F::Start, Field::date(("任期开始", "Term starts"), today))
        .with(
            F::Years,
            Field::choice(("任期年数", "Term years"), years, 0),
        )
        .intro(L::PrizeSyntax.get(lang));
    let mut form = NominationForm {
        form,
        project,
        role: CoachRole::Chief,
    };
    form.edited();
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

impl NominationForm {
    /// The person the form describes, or the message for what cannot be read.
    fn person_input(&self, lang: Lang) -> Result<PersonInput, String> {
        let f = &self.form;
        let coaching_since = f.since(F::Coaching);
        let results = parse_results(&f.text(F::Results), self.project).map_err(|item| {
            format!(
                "{} “{item}”；{}",
                lang.pick("看不懂获奖记录", "cannot read the prize"),
                L::PrizeSyntax.get(lang)
            )
        })?;
        Ok(PersonInput {
            name: f.text(F::Name),
            gender: f.required(F::Gender, lang)?,
            school: f.text(F::School),
            subject: self.project,
            title: f.text(F::Title),
            phone: f.text(F::Phone),
            teaching_since: f.required_since(F::Teaching, lang)?,
            coaching_since,
            coaching_now: coaching_since.is_some(),
            results,
            research_outputs: f
                .text(F::Research)
                .split([';', '；'])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect(),
        })
    }

    fn nomination(&self, person: u64, lang: Lang) -> Result<Command, String> {
        let f = &self.form;
        let start = f.required_date(F::Start, lang)?;
        Ok(Command::Nominate {
            date: start,
            person,
            project: self.project,
            role: f.required(F::Role, lang)?,
            term_start: start,
            term_years: f.required(F::Years, lang)?,
        })
    }
}

impl FormFlow for NominationForm {
    sheet_of!();

    fn save(&self, scope: Scope) -> Result<Vec<Command>, String> {
        // The person and the appointment in one transaction: a refused
        // appointment leaves no person behind.
        let person = self.person_input(scope.lang)?;
        let nomination = self.nomination(registry::command::ADDED_IN_BATCH, scope.lang)?;
        Ok(vec![Command::AddPerson(person), nomination])
    }

    fn select_after(&self, events: &[registry::Event]) -> Option<(registry::RecordKind, u64)> {
        super::first_of(events, registry::RecordKind::Coach)
    }

    fn edited(&mut self) {
        let Some(role) = self.form.chosen::<CoachRole>(F::Role) else {
            return;
        };
        if role != self.role {
            // A new role's term: the first its rules allow (a chief's is 3
            // years, a coach's or an assistant's 1 or 2).
            self.role = role;
            if let Some(years) = role.allowed_term_years().first() {
                self.form.choose(F::Years, years);
            }
        }
    }
}
