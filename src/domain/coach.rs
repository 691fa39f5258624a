//! People who coach, their appointments to a group, and the qualification check
//! of annex 1-1 (教练员人选条件).

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::calendar::full_years;
use super::project::ProjectId;
use super::record::{Gender, Stamp};
use crate::i18n::{Lang, Localized};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CoachRole {
    /// 首席教练员: one per group, three-year term.
    Chief,
    /// 教练员.
    Coach,
    /// 助理教练员.
    Assistant,
}

impl CoachRole {
    pub const ALL: [CoachRole; 3] = [CoachRole::Chief, CoachRole::Coach, CoachRole::Assistant];

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            CoachRole::Chief => lang.pick("首席教练员", "chief coach"),
            CoachRole::Coach => lang.pick("教练员", "coach"),
            CoachRole::Assistant => lang.pick("助理教练员", "assistant coach"),
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            CoachRole::Chief => "chief",
            CoachRole::Coach => "coach",
            CoachRole::Assistant => "assistant",
        }
    }

    /// Term lengths in years the plan allows: chief 3; others 1 or 2, chosen by
    /// the chief coach.
    pub fn allowed_term_years(self) -> &'static [i32] {
        match self {
            CoachRole::Chief => &[3],
            CoachRole::Coach | CoachRole::Assistant => &[1, 2],
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PrizeLevel {
    /// 全国中学生学科竞赛.
    National,
    /// 山东省中学生学科竞赛.
    Provincial,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Prize {
    First,
    Second,
    Third,
    /// Took part without a prize: still shows the coach trained a contestant
    /// at that level.
    Contestant,
}

impl Prize {
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Prize::First => lang.pick("一等奖", "first prize"),
            Prize::Second => lang.pick("二等奖", "second prize"),
            Prize::Third => lang.pick("三等奖", "third prize"),
            Prize::Contestant => lang.pick("参赛", "contestant"),
        }
    }
}

impl PrizeLevel {
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            PrizeLevel::National => lang.pick("全国", "national"),
            PrizeLevel::Provincial => lang.pick("全省", "provincial"),
        }
    }
}

/// A result of a student this person trained.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StudentResult {
    pub level: PrizeLevel,
    pub prize: Prize,
    pub year: i32,
    pub competition: String,
}

/// Anyone who is or may become a coach. Kept apart from their appointments so
/// one person's record serves every term they serve.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Person {
    pub id: u64,
    pub name: String,
    pub gender: Gender,
    pub school: String,
    pub subject: ProjectId,
    pub title: String,
    pub phone: String,
    /// Started teaching the subject.
    #[serde(with = "crate::domain::day")]
    pub teaching_since: NaiveDate,
    /// Started coaching for subject competitions, if ever.
    #[serde(with = "crate::domain::day::option")]
    pub coaching_since: Option<NaiveDate>,
    /// Coaching for competitions at present (required of an assistant).
    pub coaching_now: bool,
    pub results: Vec<StudentResult>,
    pub research_outputs: Vec<String>,
    pub stamp: Stamp,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CoachStage {
    Nominated,
    /// 公示: public announcement (chief coaches).
    Announced,
    /// 备案: filed with the bureau.
    Filed,
    Active,
    Ended,
}

impl CoachStage {
    /// The stages an appointment of `role` may move to from here: a chief
    /// coach is chosen after a public announcement (个人自荐、组织推荐及公示),
    /// the others are filed directly; any open appointment can end. The one
    /// table the registry enforces and the form offers.
    pub fn next(self, role: CoachRole) -> &'static [CoachStage] {
        use CoachStage as S;
        match (self, role) {
            (S::Nominated, CoachRole::Chief) => &[S::Announced, S::Ended],
            (S::Nominated, _) => &[S::Filed, S::Ended],
            (S::Announced, _) => &[S::Filed, S::Ended],
            (S::Filed, _) => &[S::Active, S::Ended],
            (S::Active, _) => &[S::Ended],
            (S::Ended, _) => &[],
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            CoachStage::Nominated => lang.pick("已提名", "nominated"),
            CoachStage::Announced => lang.pick("公示中", "announced"),
            CoachStage::Filed => lang.pick("已备案", "filed"),
            CoachStage::Active => lang.pick("在聘", "active"),
            CoachStage::Ended => lang.pick("聘期结束", "term ended"),
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            CoachStage::Nominated => "nominated",
            CoachStage::Announced => "announced",
            CoachStage::Filed => "filed",
            CoachStage::Active => "active",
            CoachStage::Ended => "ended",
        }
    }
}

/// One appointment of a person to a group in a role, for one term.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Coach {
    pub id: u64,
    pub person_id: u64,
    pub project: ProjectId,
    pub role: CoachRole,
    #[serde(with = "crate::domain::day")]
    pub term_start: NaiveDate,
    #[serde(with = "crate::domain::day")]
    pub term_end: NaiveDate,
    pub stage: CoachStage,
    /// When each stage was reached.
    pub history: Vec<(CoachStage, NaiveDate)>,
    /// Written reason for filing someone who does not meet annex 1-1.
    pub justification: Option<String>,
    pub stamp: Stamp,
}

/// One unmet condition of annex 1-1.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Shortfall {
    TeachingYears { required: i32, actual: i32 },
    CoachingYears { required: i32, actual: i32 },
    NotCoachingNow,
    NoContestantAt(PrizeLevel),
    NoRecentFirstPrize { levels: Vec<PrizeLevel>, since: i32 },
    NoResearchOutputs,
}

impl Localized for Shortfall {
    fn localized(&self, lang: Lang) -> String {
        match (self, lang) {
            (Shortfall::TeachingYears { required, actual }, Lang::Zh) => {
                format!("本学科教学需 {required} 年以上，现 {actual} 年")
            }
            (Shortfall::TeachingYears { required, actual }, Lang::En) => {
                format!("needs at least {required} years teaching the subject, has {actual}")
            }
            (Shortfall::CoachingYears { required, actual }, Lang::Zh) => {
                format!("本学科竞赛辅导需 {required} 年以上，现 {actual} 年")
            }
            (Shortfall::CoachingYears { required, actual }, Lang::En) => {
                format!("needs at least {required} years of competition coaching, has {actual}")
            }
            (Shortfall::NotCoachingNow, Lang::Zh) => "须正在从事本学科竞赛辅导".into(),
            (Shortfall::NotCoachingNow, Lang::En) => {
                "must be coaching for subject competitions now".into()
            }
            (Shortfall::NoContestantAt(PrizeLevel::National), Lang::Zh) => {
                "须有培养参加全国中学生学科竞赛选手的经验".into()
            }
            (Shortfall::NoContestantAt(PrizeLevel::Provincial), Lang::Zh) => {
                "须有培养参加全省中学生学科竞赛选手的经验".into()
            }
            (Shortfall::NoContestantAt(level), Lang::En) => format!(
                "has not trained contestants of the {} competition",
                level.label(Lang::En)
            ),
            (Shortfall::NoRecentFirstPrize { levels, since }, Lang::Zh) => {
                let where_ = if levels.contains(&PrizeLevel::National) {
                    "全国或全省"
                } else {
                    "山东省"
                };
                format!(
                    "本人培养的选手须在近五年内（{since} 年以来）获{where_}中学生学科竞赛一等奖"
                )
            }
            (Shortfall::NoRecentFirstPrize { levels, since }, Lang::En) => {
                let where_ = if levels.contains(&PrizeLevel::National) {
                    "a national or provincial"
                } else {
                    "a Shandong provincial"
                };
                format!(
                    "no student of theirs won {where_} first prize in the last five years (since {since})"
                )
            }
            (Shortfall::NoResearchOutputs, Lang::Zh) => {
                "历史、哲学、古文字学组教练员须有本学科相关研究成果".into()
            }
            (Shortfall::NoResearchOutputs, Lang::En) => {
                "humanities coaches need research outputs in the subject".into()
            }
        }
    }
}

/// Annex 1-1 as a pure function: every condition `person` fails for `role` in
/// `project` on `on`, each with its reason. Empty means qualified.
pub fn qualification_shortfalls(
    person: &Person,
    role: CoachRole,
    project: ProjectId,
    on: NaiveDate,
) -> Vec<Shortfall> {
    let mut out = Vec::new();
    let teaching = full_years(person.teaching_since, on);
    let coaching = person.coaching_since.map_or(0, |s| full_years(s, on));
    let since = on.year() - 5;
    let recent_first = |levels: &[PrizeLevel]| {
        person.results.iter().any(|r| {
            r.prize == Prize::First
                && levels.contains(&r.level)
                && r.year >= since
                && r.year <= on.year()
        })
    };
    let trained_at =
        |levels: &[PrizeLevel]| person.results.iter().any(|r| levels.contains(&r.level));
    let (teach_req, coach_req) = match role {
        CoachRole::Chief => (6, Some(5)),
        CoachRole::Coach => (6, Some(3)),
        CoachRole::Assistant => (3, None),
    };
    if teaching < teach_req {
        out.push(Shortfall::TeachingYears {
            required: teach_req,
            actual: teaching,
        });
    }
    if let Some(req) = coach_req
        && coaching < req
    {
        out.push(Shortfall::CoachingYears {
            required: req,
            actual: coaching,
        });
    }
    match role {
        CoachRole::Chief => {
            if !trained_at(&[PrizeLevel::National]) {
                out.push(Shortfall::NoContestantAt(PrizeLevel::National));
            }
            let levels = vec![PrizeLevel::National, PrizeLevel::Provincial];
            if !recent_first(&levels) {
                out.push(Shortfall::NoRecentFirstPrize { levels, since });
            }
        }
        CoachRole::Coach => {
            if !trained_at(&[PrizeLevel::National, PrizeLevel::Provincial]) {
                out.push(Shortfall::NoContestantAt(PrizeLevel::Provincial));
            }
            let levels = vec![PrizeLevel::Provincial];
            if !recent_first(&levels) {
                out.push(Shortfall::NoRecentFirstPrize { levels, since });
            }
        }
        CoachRole::Assistant => {
            if !person.coaching_now || person.coaching_since.is_none_or(|s| s > on) {
                out.push(Shortfall::NotCoachingNow);
            }
        }
    }
    if project.requires_research_outputs() && person.research_outputs.is_empty() {
        out.push(Shortfall::NoResearchOutputs);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn person(teaching: &str, coaching: Option<&str>, results: Vec<StudentResult>) -> Person {
        Person {
            id: 1,
            name: "王海峰".into(),
            gender: Gender::Male,
            school: "青岛第二中学".into(),
            subject: ProjectId::Math,
            title: "正高级教师".into(),
            phone: String::new(),
            teaching_since: d(teaching),
            coaching_since: coaching.map(d),
            coaching_now: true,
            results,
            research_outputs: vec![],
            stamp: Stamp::new(Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap(), "admin"),
        }
    }

    fn result(level: PrizeLevel, prize: Prize, year: i32) -> StudentResult {
        StudentResult {
            level,
            prize,
            year,
            competition: "全国中学生数学奥林匹克".into(),
        }
    }

    const ON: &str = "2026-11-29";

    #[test]
    fn a_qualified_chief_coach() {
        let p = person(
            "2010-09-01",
            Some("2014-09-01"),
            vec![
                result(PrizeLevel::National, Prize::Second, 2019),
                result(PrizeLevel::Provincial, Prize::First, 2023),
            ],
        );
        assert_eq!(
            qualification_shortfalls(&p, CoachRole::Chief, ProjectId::Math, d(ON)),
            vec![]
        );
    }

    #[test]
    fn chief_with_four_years_of_coaching_fails_with_that_reason() {
        let p = person(
            "2010-09-01",
            Some("2022-09-01"),
            vec![result(PrizeLevel::National, Prize::First, 2025)],
        );
        let s = qualification_shortfalls(&p, CoachRole::Chief, ProjectId::Math, d(ON));
        assert_eq!(
            s,
            vec![Shortfall::CoachingYears {
                required: 5,
                actual: 4
            }]
        );
        assert_eq!(
            s[0].localized(Lang::Zh),
            "本学科竞赛辅导需 5 年以上，现 4 年"
        );
        assert!(
            s[0].localized(Lang::En)
                .contains("5 years of competition coaching, has 4")
        );
        // The same person is a qualified coach (3 years suffice) only with a provincial first prize.
        let s = qualification_shortfalls(&p, CoachRole::Coach, ProjectId::Math, d(ON));
        assert_eq!(
            s,
            vec![Shortfall::NoRecentFirstPrize {
                levels: vec![PrizeLevel::Provincial],
                since: 2021
            }]
        );
    }

    #[test]
    fn chief_needs_national_contestants_and_a_recent_first_prize() {
        let p = person(
            "2010-09-01",
            Some("2012-09-01"),
            vec![result(PrizeLevel::Provincial, Prize::First, 2020)],
        );
        let s = qualification_shortfalls(&p, CoachRole::Chief, ProjectId::Physics, d(ON));
        assert!(s.contains(&Shortfall::NoContestantAt(PrizeLevel::National)));
        assert!(
            s.iter()
                .any(|x| matches!(x, Shortfall::NoRecentFirstPrize { since: 2021, .. }))
        );
        assert_eq!(s.len(), 2);
    }

    #[test]
    fn coach_needs_six_years_teaching() {
        let p = person(
            "2021-09-01",
            Some("2021-09-01"),
            vec![result(PrizeLevel::Provincial, Prize::First, 2025)],
        );
        let s = qualification_shortfalls(&p, CoachRole::Coach, ProjectId::Chemistry, d(ON));
        assert_eq!(
            s,
            vec![Shortfall::TeachingYears {
                required: 6,
                actual: 5
            }]
        );
        // ... but is a qualified assistant (3 years, coaching now).
        assert!(
            qualification_shortfalls(&p, CoachRole::Assistant, ProjectId::Chemistry, d(ON))
                .is_empty()
        );
    }

    #[test]
    fn assistant_must_be_coaching_now() {
        let mut p = person("2020-09-01", None, vec![]);
        p.coaching_now = false;
        let s = qualification_shortfalls(&p, CoachRole::Assistant, ProjectId::Biology, d(ON));
        assert_eq!(s, vec![Shortfall::NotCoachingNow]);
    }

    #[test]
    fn humanities_coaches_need_research_outputs() {
        let mut p = person(
            "2010-09-01",
            Some("2015-09-01"),
            vec![result(PrizeLevel::Provincial, Prize::First, 2024)],
        );
        let s = qualification_shortfalls(&p, CoachRole::Coach, ProjectId::Humanities, d(ON));
        assert_eq!(s, vec![Shortfall::NoResearchOutputs]);
        p.research_outputs.push("《甲骨文字形演变研究》".into());
        assert!(
            qualification_shortfalls(&p, CoachRole::Coach, ProjectId::Humanities, d(ON)).is_empty()
        );
    }
}
