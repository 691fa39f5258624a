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

    pub fn parse(s: &str) -> Option<ProjectId> {
        let s = s.trim();
        ProjectId::ALL.into_iter().find(|p| {
            p.code().eq_ignore_ascii_case(s)
                || p.name(Lang::Zh) == s
                || p.group_name(Lang::Zh) == s
                || p.name(Lang::En).eq_ignore_ascii_case(s)
        })
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
