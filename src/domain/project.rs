//! The six project groups (项目组) and the offices that guide them.

use serde::{Deserialize, Serialize};

use crate::i18n::Lang;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProjectId {
    Math,
    Physics,
    Chemistry,
    Biology,
    Informatics,
    Humanities,
}

/// The office of the city bureau that guides a group day to day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GuidingOffice {
    /// 市教科院: math, physics, chemistry, biology, humanities.
    ResearchInstitute,
    /// 装备信息中心: informatics.
    EquipmentCentre,
}

impl GuidingOffice {
    pub fn name(self, lang: Lang) -> &'static str {
        match self {
            GuidingOffice::ResearchInstitute => {
                lang.pick("市教科院", "Municipal Institute of Education Sciences")
            }
            GuidingOffice::EquipmentCentre => lang.pick(
                "装备信息中心",
                "Educational Equipment and Information Centre",
            ),
        }
    }
}

impl ProjectId {
    pub const ALL: [ProjectId; 6] = [
        ProjectId::Math,
        ProjectId::Physics,
        ProjectId::Chemistry,
        ProjectId::Biology,
        ProjectId::Informatics,
        ProjectId::Humanities,
    ];

    /// The stable id used in exports and on the command line.
    pub fn code(self) -> &'static str {
        match self {
            ProjectId::Math => "math",
            ProjectId::Physics => "physics",
            ProjectId::Chemistry => "chemistry",
            ProjectId::Biology => "biology",
            ProjectId::Informatics => "informatics",
            ProjectId::Humanities => "humanities",
        }
    }

    /// Position in [`ProjectId::ALL`]; also the byte used in store keys.
    pub fn index(self) -> u8 {
        self as u8
    }

    pub fn from_index(i: u8) -> Option<ProjectId> {
        ProjectId::ALL.get(usize::from(i)).copied()
    }

    /// A group from its code, its English name, or any way the plan and
    /// schools write it in Chinese (see [`ProjectId::from_written`]).
    pub fn parse(s: &str) -> Option<ProjectId> {
        let s = s.trim();
        ProjectId::ALL
            .into_iter()
            .find(|p| {
                p.code().eq_ignore_ascii_case(s)
                    || p.name(Lang::En).eq_ignore_ascii_case(s)
                    || p.group_name(Lang::En).eq_ignore_ascii_case(s)
            })
            .or_else(|| ProjectId::from_written(s))
    }

    /// Every written form of a group's Chinese name means that group. The
    /// plan writes 数学、物理、化学、生物、信息学 (section 三.1) and
    /// 生物学项目组 (annex 1-2); schools write 生物, 生物组, 信息, 信息学组,
    /// 历史/哲学/古文字学. So: the subject with or without 学, with or
    /// without 组, 项目组 or 培养项目(组); the humanities group by all three
    /// subjects or any of them, in any separators, or 人文.
    pub fn from_written(s: &str) -> Option<ProjectId> {
        let t: String = s
            .chars()
            .filter(|c| {
                !c.is_whitespace()
                    && !matches!(
                        c,
                        '、' | ','
                            | '，'
                            | '/'
                            | '／'
                            | '·'
                            | ';'
                            | '；'
                            | '+'
                            | '＋'
                            | '和'
                            | '与'
                            | '及'
                    )
            })
            .collect();
        let t = ["培养项目组", "项目组", "培养项目", "项目", "组"]
            .iter()
            .find_map(|suffix| t.strip_suffix(suffix))
            .unwrap_or(&t);
        let p = match t {
            "数学" => ProjectId::Math,
            "物理" | "物理学" => ProjectId::Physics,
            "化学" => ProjectId::Chemistry,
            "生物" | "生物学" => ProjectId::Biology,
            "信息" | "信息学" => ProjectId::Informatics,
            "人文" => ProjectId::Humanities,
            _ => {
                // 历史, 哲学, 古文字学 (or 古文字), each at most once, in
                // the plan's order.
                let mut rest = t;
                let mut parts = 0;
                for part in [&["历史"][..], &["哲学"], &["古文字学", "古文字"]] {
                    if let Some(r) = part.iter().find_map(|w| rest.strip_prefix(w)) {
                        rest = r;
                        parts += 1;
                    }
                }
                if parts == 0 || !rest.is_empty() {
                    return None;
                }
                ProjectId::Humanities
            }
        };
        Some(p)
    }

    /// The subject name: 数学, Mathematics.
    pub fn name(self, lang: Lang) -> &'static str {
        match self {
            ProjectId::Math => lang.pick("数学", "Mathematics"),
            ProjectId::Physics => lang.pick("物理", "Physics"),
            ProjectId::Chemistry => lang.pick("化学", "Chemistry"),
            ProjectId::Biology => lang.pick("生物学", "Biology"),
            ProjectId::Informatics => lang.pick("信息学", "Informatics"),
            ProjectId::Humanities => lang.pick(
                "历史、哲学、古文字学",
                "History, Philosophy and Paleography",
            ),
        }
    }

    /// The group's name as the interface shows it: 数学组, Mathematics group.
    pub fn group_name(self, lang: Lang) -> String {
        match (self, lang) {
            (ProjectId::Humanities, Lang::Zh) => "历史哲学古文字学组".to_string(),
            (ProjectId::Humanities, Lang::En) => "Humanities group".to_string(),
            (p, Lang::Zh) => format!("{}组", p.name(Lang::Zh)),
            (p, Lang::En) => format!("{} group", p.name(Lang::En)),
        }
    }

    pub fn guided_by(self) -> GuidingOffice {
        match self {
            ProjectId::Informatics => GuidingOffice::EquipmentCentre,
            _ => GuidingOffice::ResearchInstitute,
        }
    }

    /// Humanities coaches must also show research outputs (annex 1-1, point 4).
    pub fn requires_research_outputs(self) -> bool {
        self == ProjectId::Humanities
    }
}

impl std::fmt::Display for ProjectId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// The ten districts and county-level cities of Qingdao (区市).
pub const DISTRICTS: [&str; 10] = [
    "市南区",
    "市北区",
    "李沧区",
    "崂山区",
    "黄岛区",
    "城阳区",
    "即墨区",
    "胶州市",
    "平度市",
    "莱西市",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_written_form_of_a_group_means_that_group() {
        let cases: [(&str, ProjectId); 30] = [
            ("数学", ProjectId::Math),
            ("数学组", ProjectId::Math),
            ("数学项目组", ProjectId::Math),
            ("math", ProjectId::Math),
            ("物理", ProjectId::Physics),
            ("Physics group", ProjectId::Physics),
            ("化学组", ProjectId::Chemistry),
            ("生物", ProjectId::Biology),
            ("生物学", ProjectId::Biology),
            ("生物组", ProjectId::Biology),
            ("生物学组", ProjectId::Biology),
            ("生物学项目组", ProjectId::Biology),
            (" 生物 学 ", ProjectId::Biology),
            ("信息", ProjectId::Informatics),
            ("信息学", ProjectId::Informatics),
            ("信息组", ProjectId::Informatics),
            ("信息学组", ProjectId::Informatics),
            ("信息学项目组", ProjectId::Informatics),
            ("历史、哲学、古文字学", ProjectId::Humanities),
            ("历史、哲学、古文字学项目组", ProjectId::Humanities),
            ("历史哲学古文字学组", ProjectId::Humanities),
            ("历史/哲学/古文字学", ProjectId::Humanities),
            ("历史，哲学，古文字学", ProjectId::Humanities),
            ("历史", ProjectId::Humanities),
            ("哲学组", ProjectId::Humanities),
            ("古文字学", ProjectId::Humanities),
            ("古文字学项目组", ProjectId::Humanities),
            ("历史、哲学", ProjectId::Humanities),
            ("人文", ProjectId::Humanities),
            ("History, Philosophy and Paleography", ProjectId::Humanities),
        ];
        for (written, p) in cases {
            assert_eq!(ProjectId::parse(written), Some(p), "{written}");
        }
        for p in ProjectId::ALL {
            for lang in [Lang::Zh, Lang::En] {
                assert_eq!(ProjectId::parse(p.name(lang)), Some(p));
                assert_eq!(ProjectId::parse(&p.group_name(lang)), Some(p));
            }
        }
        for not in [
            "",
            "组",
            "生",
            "语文",
            "数学物理",
            "哲学历史",
            "历史历史",
            "信息技术",
        ] {
            assert_eq!(ProjectId::parse(not), None, "{not}");
        }
    }
}
