//! Everyone in every group, for `/` on the overview: trainees, coaches and
//! base schools, each with the words a search finds it by (name, pinyin,
//! school, stage in both languages, `待办` when something is due).

use chrono::NaiveDate;

use super::{SearchKey, trainee_key};
use crate::domain::ProjectId;
use crate::i18n::Lang;
use crate::registry::Reader;
use crate::store::StoreError;

/// Which tab of its group a hit opens on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HitKind {
    Trainee,
    Coach,
    School,
}

/// One record a search can find.
#[derive(Clone, Debug)]
pub struct Hit {
    pub kind: HitKind,
    pub project: ProjectId,
    pub id: u64,
    pub name: String,
    /// Where they are: the trainee's or coach's school.
    pub school: String,
    /// The stage, in both languages (zh, en).
    pub stage: (&'static str, &'static str),
    pub key: SearchKey,
}

impl Hit {
    pub fn stage(&self, lang: Lang) -> &'static str {
        lang.pick(self.stage.0, self.stage.1)
    }
}

/// Every trainee, coach and base school, group by group.
pub fn everyone(r: &Reader<'_>, today: NaiveDate) -> Result<Vec<Hit>, StoreError> {
    let mut hits = Vec::new();
    let schools = r.schools()?;
    for project in ProjectId::ALL {
        for t in r.trainees(project)? {
            hits.push(Hit {
                kind: HitKind::Trainee,
                project,
                id: t.id,
                key: trainee_key(&t, today),
                stage: (t.stage.label(Lang::Zh), t.stage.label(Lang::En)),
                name: t.name,
                school: t.home_school,
            });
        }
        for c in r.coaches(project)? {
            let Some(p) = r.person(c.person_id)? else {
                continue;
            };
            let stage = (c.stage.label(Lang::Zh), c.stage.label(Lang::En));
            hits.push(Hit {
                kind: HitKind::Coach,
                project,
                id: c.id,
                key: SearchKey::new(&[&p.name, &p.school, stage.0, stage.1]),
                stage,
                name: p.name,
                school: p.school,
            });
        }
        // A school serving several groups is found under the first.
        for s in schools
            .iter()
            .filter(|s| s.application.projects.first() == Some(&project))
        {
            let a = &s.application;
            let stage = (s.stage.label(Lang::Zh), s.stage.label(Lang::En));
            hits.push(Hit {
                kind: HitKind::School,
                project,
                id: s.id,
                key: SearchKey::new(&[&a.name, &a.district, &a.principal, stage.0, stage.1]),
                stage,
                name: a.name.clone(),
                school: a.district.clone(),
            });
        }
    }
    Ok(hits)
}
