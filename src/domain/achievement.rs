//! Trainees' achievements (competition prizes, admission to a university's
//! 强基计划 track) and the points table that turns them into the "double
//! incentive" (双激励): each achievement counts for the base school where the
//! trainee trains and for the home school. The plan leaves the scoring method
//! "to be set separately", so the points come from a TOML table: a default
//! compiled in (and said to be a default), which the bureau may replace.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::project::ProjectId;
use super::record::Stamp;
use crate::i18n::{Lang, Localized};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    National,
    Provincial,
    City,
}

impl Level {
    pub const ALL: [Level; 3] = [Level::National, Level::Provincial, Level::City];
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Level::National => lang.pick("全国", "national"),
            Level::Provincial => lang.pick("省级", "provincial"),
            Level::City => lang.pick("市级", "city"),
        }
    }
    pub fn code(self) -> &'static str {
        match self {
            Level::National => "national",
            Level::Provincial => "provincial",
            Level::City => "city",
        }
    }
    pub fn parse(s: &str) -> Option<Level> {
        Level::ALL
            .into_iter()
            .find(|l| l.code().eq_ignore_ascii_case(s.trim()) || l.label(Lang::Zh) == s.trim())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Award {
    First,
    Second,
    Third,
}

impl Award {
    pub const ALL: [Award; 3] = [Award::First, Award::Second, Award::Third];
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Award::First => lang.pick("一等奖", "first prize"),
            Award::Second => lang.pick("二等奖", "second prize"),
            Award::Third => lang.pick("三等奖", "third prize"),
        }
    }
    pub fn code(self) -> &'static str {
        match self {
            Award::First => "first",
            Award::Second => "second",
            Award::Third => "third",
        }
    }
    pub fn parse(s: &str) -> Option<Award> {
        Award::ALL
            .into_iter()
            .find(|a| a.code().eq_ignore_ascii_case(s.trim()) || a.label(Lang::Zh) == s.trim())
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Feat {
    /// A prize in a competition.
    Prize {
        competition: String,
        level: Level,
        award: Award,
    },
    /// Admitted to a university's 强基计划 track.
    Admission { university: String },
}

impl Feat {
    pub fn describe(&self, lang: Lang) -> String {
        match self {
            Feat::Prize {
                competition,
                level,
                award,
            } => match lang {
                Lang::Zh => format!(
                    "{competition}（{}{}）",
                    level.label(lang),
                    award.label(lang)
                ),
                Lang::En => format!(
                    "{competition} ({} {})",
                    level.label(lang),
                    award.label(lang)
                ),
            },
            Feat::Admission { university } => match lang {
                Lang::Zh => format!("{university}强基计划录取"),
                Lang::En => format!("admitted to {university}'s Strong Foundation track"),
            },
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Achievement {
    pub id: u64,
    pub trainee: u64,
    pub project: ProjectId,
    pub year: i32,
    pub feat: Feat,
    pub stamp: Stamp,
}

/// The compiled-in table, used when the bureau has not set its own.
pub const DEFAULT_POINTS: &str = include_str!("points_default.toml");

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
struct PrizeRow {
    first: u32,
    second: u32,
    third: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
struct TableFile {
    competition: BTreeMap<String, PrizeRow>,
    admission: u32,
}

/// Points per achievement, and where they came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Points {
    /// The file, or `None` for the compiled-in default.
    pub source: Option<String>,
    prize: BTreeMap<(Level, Award), u32>,
    pub admission: u32,
}

/// A points table that cannot be used: the file, the line and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PointsError {
    pub file: String,
    pub line: usize,
    pub reason: String,
}

impl Localized for PointsError {
    fn localized(&self, lang: Lang) -> String {
        match lang {
            Lang::Zh => format!(
                "积分表 {} 第 {} 行有误：{}",
                self.file, self.line, self.reason
            ),
            Lang::En => format!(
                "points table {}, line {}: {}",
                self.file, self.line, self.reason
            ),
        }
    }
}

impl Points {
    pub fn default_table() -> Points {
        // The compiled-in table is tested; a failure here is a build mistake.
        Points::parse(DEFAULT_POINTS, None).unwrap_or(Points {
            source: None,
            prize: BTreeMap::new(),
            admission: 0,
        })
    }

    /// Reads a table; `file` names it in messages (`None`: the default).
    pub fn parse(text: &str, file: Option<&str>) -> Result<Points, PointsError> {
        let name = file.unwrap_or("(default)").to_string();
        let line_of = |offset: usize| text[..offset.min(text.len())].matches('\n').count() + 1;
        let t: TableFile = toml::from_str(text).map_err(|e| PointsError {
            file: name.clone(),
            line: e.span().map(|s| line_of(s.start)).unwrap_or(1),
            reason: e.message().to_string(),
        })?;
        let mut prize = BTreeMap::new();
        for (level, row) in &t.competition {
            let Some(l) = Level::parse(level) else {
                let at = text.find(&format!("competition.{level}")).unwrap_or(0);
                return Err(PointsError {
                    file: name,
                    line: line_of(at),
                    reason: format!("unknown level {level:?}; use national, provincial or city"),
                });
            };
            prize.insert((l, Award::First), row.first);
            prize.insert((l, Award::Second), row.second);
            prize.insert((l, Award::Third), row.third);
        }
        Ok(Points {
            source: file.map(String::from),
            prize,
            admission: t.admission,
        })
    }

    pub fn of(&self, feat: &Feat) -> u32 {
        match feat {
            Feat::Prize { level, award, .. } => {
                self.prize.get(&(*level, *award)).copied().unwrap_or(0)
            }
            Feat::Admission { .. } => self.admission,
        }
    }

    /// "默认积分表" or the file, for the report's heading.
    pub fn label(&self, lang: Lang) -> String {
        match (&self.source, lang) {
            (None, Lang::Zh) => "默认积分表（评价办法另行制定前的默认值，可用 --points 文件替换）".into(),
            (None, Lang::En) => "the default points table (a default until the scoring method is set; replace it with --points FILE)".into(),
            (Some(f), Lang::Zh) => format!("积分表 {f}"),
            (Some(f), Lang::En) => format!("points table {f}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_parses_and_a_bad_table_names_its_line() {
        let p = Points::default_table();
        assert!(p.source.is_none());
        assert!(
            p.of(&Feat::Prize {
                competition: "x".into(),
                level: Level::National,
                award: Award::First
            }) > 0
        );
        let e = Points::parse(
            "admission = 5\n[competition.national]\nfirst = 1\nsecond = \"two\"\nthird = 1\n",
            Some("p.toml"),
        )
        .unwrap_err();
        assert_eq!((e.file.as_str(), e.line), ("p.toml", 4));
    }
}
