//! Semester assessments (学期考核): one per trainee per semester.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::calendar::Semester;
use super::project::ProjectId;
use super::record::Stamp;
use crate::i18n::Lang;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Pass,
    Fail,
}

impl Outcome {
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Outcome::Pass => lang.pick("合格", "pass"),
            Outcome::Fail => lang.pick("不合格", "fail"),
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Outcome::Pass => "pass",
            Outcome::Fail => "fail",
        }
    }
}

/// A score in tenths of a point, 0.0 to 100.0: exact, and enough for "87.5".
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Score(pub u16);

impl Score {
    /// 100 points: the most a semester assessment gives.
    pub const MAX_TENTHS: u16 = 1_000;

    /// Whether the score lies in 0 to 100.
    pub fn in_range(self) -> bool {
        self.0 <= Score::MAX_TENTHS
    }

    pub fn parse(s: &str) -> Option<Score> {
        let s = s.trim();
        let (i, f) = s.split_once('.').unwrap_or((s, ""));
        if i.is_empty() || f.len() > 1 || !i.chars().chain(f.chars()).all(|c| c.is_ascii_digit()) {
            return None;
        }
        let whole: u32 = i.parse().ok()?;
        let tenth: u32 = if f.is_empty() { 0 } else { f.parse().ok()? };
        let t = whole.checked_mul(10)?.checked_add(tenth)?;
        u16::try_from(t)
            .ok()
            .filter(|t| *t <= Score::MAX_TENTHS)
            .map(Score)
    }

    pub fn as_f64(self) -> f64 {
        f64::from(self.0) / 10.0
    }
}

impl std::fmt::Display for Score {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.0 % 10 == 0 {
            write!(f, "{}", self.0 / 10)
        } else {
            write!(f, "{}.{}", self.0 / 10, self.0 % 10)
        }
    }
}

/// A result as it was before a correction; kept so nothing is lost.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriorResult {
    pub outcome: Outcome,
    pub score: Option<Score>,
    pub note: String,
    pub assessor: String,
    #[serde(with = "crate::domain::day")]
    pub date: NaiveDate,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assessment {
    pub id: u64,
    pub trainee_id: u64,
    pub project: ProjectId,
    pub semester: Semester,
    pub outcome: Outcome,
    pub score: Option<Score>,
    pub note: String,
    pub assessor: String,
    #[serde(with = "crate::domain::day")]
    pub date: NaiveDate,
    /// Earlier results this one corrected, oldest first.
    pub corrections: Vec<PriorResult>,
    pub stamp: Stamp,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_parse_to_tenths() {
        assert_eq!(Score::parse("87.5"), Some(Score(875)));
        assert_eq!(Score::parse("90"), Some(Score(900)));
        assert_eq!(Score::parse("100"), Some(Score(1_000)));
        assert_eq!(Score::parse("100.0"), Some(Score(1_000)));
        assert_eq!(Score::parse("0"), Some(Score(0)));
        // Out of 0 to 100.
        assert_eq!(Score::parse("100.1"), None);
        assert_eq!(Score::parse("105"), None);
        assert_eq!(Score::parse("1000"), None);
        assert_eq!(Score::parse("8.75"), None);
        assert_eq!(Score::parse("-1"), None);
        assert_eq!(Score::parse(".5"), None);
        assert_eq!(Score(875).to_string(), "87.5");
        assert_eq!(Score(900).to_string(), "90");
    }
}
