//! The annual evaluation (目标达成情况 and 双激励): per school, the points
//! of the year's achievements, each counted for the base school where the
//! trainee trains (none for commuting without a base) and for the home
//! school; per group, the annual plan's targets against what was attained,
//! the completion report's status and the reward fund's state.

use std::collections::BTreeMap;
use std::path::Path;

use crate::domain::achievement::Points;
use crate::domain::{Account, Actor, ProjectId, TrainingMode};
use crate::export::ExportError;
use crate::export::lists::{List, Part};
use crate::i18n::{Lang, Localized};
use crate::registry::{Reader, Registry};

/// One school's points of the year.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SchoolPoints {
    pub school: String,
    pub as_base: u32,
    pub as_home: u32,
    /// "name: achievement (points)" behind the points.
    pub behind: Vec<String>,
}

impl SchoolPoints {
    pub fn total(&self) -> u32 {
        self.as_base + self.as_home
    }
}

/// One group's attainment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupState {
    pub project: ProjectId,
    /// (target, goal, attained).
    pub targets: Vec<(String, u32, Option<u32>)>,
    pub report: String,
    pub reward: String,
}

impl GroupState {
    /// Each target as "name attained/goal" ("?" while not attained yet).
    pub fn targets_text(&self, lang: Lang) -> String {
        self.targets
            .iter()
            .map(|(n, goal, got)| match got {
                Some(got) => format!("{n} {got}/{goal}"),
                None => format!("{n} ?/{goal}"),
            })
            .collect::<Vec<_>>()
            .join(lang.pick("；", "; "))
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Evaluation {
    pub year: i32,
    pub points_label: String,
    pub schools: Vec<SchoolPoints>,
    pub groups: Vec<GroupState>,
}

/// The evaluation of `year` over every record (the CLI's, run by the
/// bureau).
pub fn evaluate(
    registry: &Registry,
    year: i32,
    points: &Points,
    lang: Lang,
) -> Result<Evaluation, ExportError> {
    let bureau = Actor::admin("evaluation");
    evaluate_as(&registry.reader(&bureau), year, points, lang)
}

/// The evaluation of `year` as `reader`'s role sees it: the evaluation
/// screen counts only the achievements of the groups the role reads, and
/// shows only their targets.
pub fn evaluate_as(
    registry: &Reader<'_>,
    year: i32,
    points: &Points,
    lang: Lang,
) -> Result<Evaluation, ExportError> {
    let mut schools: BTreeMap<String, SchoolPoints> = BTreeMap::new();
    for a in registry.achievements() {
        let a = a?;
        if a.year != year {
            continue;
        }
        let Some(t) = registry.trainee(a.trainee)? else {
            continue;
        };
        let n = points.of(&a.feat);
        let line = match lang {
            Lang::Zh => format!("{}：{}（{n}）", t.name, a.feat.describe(lang)),
            Lang::En => format!("{}: {} ({n})", t.name, a.feat.describe(lang)),
        };
        let home = schools
            .entry(t.home_school.clone())
            .or_insert_with(|| SchoolPoints {
                school: t.home_school.clone(),
                ..SchoolPoints::default()
            });
        home.as_home += n;
        home.behind.push(line.clone());
        if let Some(TrainingMode::BaseSchool { school }) = t.training_mode
            && let Some(base) = registry.school(school)?
        {
            let name = base.application.name.clone();
            let e = schools.entry(name.clone()).or_insert_with(|| SchoolPoints {
                school: name,
                ..SchoolPoints::default()
            });
            e.as_base += n;
            e.behind.push(line);
        }
    }
    let mut schools: Vec<SchoolPoints> = schools.into_values().collect();
    schools.sort_by(|a, b| b.total().cmp(&a.total()).then(a.school.cmp(&b.school)));
    let mut groups = Vec::new();
    for p in ProjectId::ALL {
        let cycle = registry.cycle(p, year)?;
        let reward = registry.balance(&Account::reward(p, year))?;
        groups.push(GroupState {
            project: p,
            targets: cycle
                .as_ref()
                .map(|c| {
                    c.targets
                        .iter()
                        .map(|t| (t.name.clone(), t.goal, t.attained))
                        .collect()
                })
                .unwrap_or_default(),
            report: cycle
                .as_ref()
                .map(|c| c.report.label(lang).to_string())
                .unwrap_or_else(|| lang.pick("无年度计划", "no annual plan").to_string()),
            reward: if reward.live_allocations > 0 {
                match lang {
                    Lang::Zh => format!("已拨付 {}", reward.allocated.display()),
                    Lang::En => format!("paid {}", reward.allocated.display()),
                }
            } else {
                lang.pick("未拨付", "not paid").to_string()
            },
        });
    }
    Ok(Evaluation {
        year,
        points_label: points.label(lang),
        schools,
        groups,
    })
}

/// The points table: `file`, else `points.toml` in the config directory,
/// else the compiled-in default; a file that cannot be read or used is a
/// message in `lang` naming it.
pub fn points_table(file: Option<&Path>, lang: Lang) -> Result<Points, String> {
    let file = file.map(Path::to_path_buf).or_else(|| {
        directories::ProjectDirs::from("", "", "qiangji")
            .map(|d| d.config_dir().join("points.toml"))
            .filter(|p| p.is_file())
    });
    let Some(file) = file else {
        return Ok(Points::default_table());
    };
    let text = crate::user_file::read_text(&file, crate::user_file::limit::CONFIG)
        .map_err(|e| crate::user_file::describe(&file, &e, lang))?;
    Points::parse(&text, Some(&file.display().to_string())).map_err(|e| e.localized(lang))
}

impl Evaluation {
    /// As a list: the schools' points, then the groups.
    pub fn list(&self, lang: Lang, date: chrono::NaiveDate) -> List {
        use crate::export::heads::{Head::*, heads};
        List {
            title: match lang {
                Lang::Zh => format!("青岛市强基计划{}年度评价", self.year),
                Lang::En => format!(
                    "Qingdao Strong Foundation programme: evaluation {}",
                    self.year
                ),
            },
            subtitle: vec![self.points_label.clone()],
            parts: vec![
                Part {
                    name: lang.pick("学校积分", "School points").into(),
                    headers: heads(lang, &[SchoolName, AsBase, AsHome, Total, Behind]),
                    rows: self
                        .schools
                        .iter()
                        .map(|p| {
                            vec![
                                p.school.clone(),
                                p.as_base.to_string(),
                                p.as_home.to_string(),
                                p.total().to_string(),
                                p.behind.join(lang.pick("；", "; ")),
                            ]
                        })
                        .collect(),
                },
                Part {
                    name: lang.pick("项目组目标", "Group targets").into(),
                    headers: heads(lang, &[Group, Targets, ReportState, RewardFund]),
                    rows: self
                        .groups
                        .iter()
                        .map(|g| {
                            vec![
                                g.project.group_name(lang),
                                g.targets_text(lang),
                                g.report.clone(),
                                g.reward.clone(),
                            ]
                        })
                        .collect(),
                },
            ],
            date,
        }
    }
}

/// A list as aligned text columns (display widths), a part after another.
pub fn table(list: &List) -> String {
    use unicode_width::UnicodeWidthStr;
    let mut out = format!("{}\n", crate::export::cell::plain(&list.title));
    for s in &list.subtitle {
        out.push_str(&format!("{}\n", crate::export::cell::plain(s)));
    }
    for part in &list.parts {
        out.push_str(&format!("\n{}\n", part.name));
        let mut widths: Vec<usize> = part.headers.iter().map(|(h, _)| h.width()).collect();
        for r in &part.rows {
            for (i, c) in r.iter().enumerate() {
                if let Some(w) = widths.get_mut(i) {
                    *w = (*w).max(crate::export::cell::plain(c).width());
                }
            }
        }
        let line = |cells: Vec<String>| {
            let mut l = String::new();
            for (i, c) in cells.iter().enumerate() {
                let c = crate::export::cell::plain(c);
                l.push_str(&c);
                if i + 1 < cells.len() {
                    l.push_str(&" ".repeat(widths[i].saturating_sub(c.width()) + 2));
                }
            }
            l.trim_end().to_string() + "\n"
        };
        out.push_str(&line(part.headers.iter().map(|(h, _)| h.clone()).collect()));
        for r in &part.rows {
            out.push_str(&line(r.clone()));
        }
    }
    out
}
