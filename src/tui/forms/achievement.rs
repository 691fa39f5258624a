//! Recording a trainee's achievement (`N` on the achievements in their
//! details): a competition prize with its level and award, or admission to
//! a university's 强基计划 track, and the year it counts for. Recorded once,
//! never edited (`registry::achievements`).

use super::{Choice, Field, Form, FormFlow, Scope, sheet_of};
use crate::domain::Trainee;
use crate::domain::achievement::{Award, Feat, Level};
use crate::domain::field::Field as Ident;
use crate::domain::text::MEDIUM;
use crate::i18n::Lang;
use crate::registry::Command;
use crate::tui::strings::L;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum F {
    Kind,
    Competition,
    Level,
    Award,
    University,
    Year,
}

/// Which kind of achievement the choice stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Prize,
    Admission,
}

pub struct AchievementForm {
    form: Form<F>,
    trainee: u64,
}

pub fn achievement_form(t: &Trainee, year: i32, lang: Lang) -> AchievementForm {
    let kinds = vec![
        Choice::new("竞赛获奖", "competition prize", Kind::Prize),
        Choice::new(
            "强基计划录取",
            "Strong Foundation admission",
            Kind::Admission,
        ),
    ];
    let levels = Level::ALL
        .into_iter()
        .map(|l| Choice::new(l.label(Lang::Zh), l.label(Lang::En), l))
        .collect();
    let awards = Award::ALL
        .into_iter()
        .map(|a| Choice::new(a.label(Lang::Zh), a.label(Lang::En), a))
        .collect();
    let form = Form::new(L::AchievementTitle)
        .with(F::Kind, Field::choice(("类别", "Kind"), kinds, 0))
        .with(
            F::Competition,
            Field::text(("竞赛名称", "Competition"), MEDIUM, false).names(Ident::Competition),
        )
        .with(F::Level, Field::choice(("级别", "Level"), levels, 0))
        .with(F::Award, Field::choice(("奖项", "Prize"), awards, 0))
        .with(
            F::University,
            Field::text(("录取高校", "University"), MEDIUM, false).names(Ident::University),
        )
        .with(
            F::Year,
            Field::new(
                ("年度", "Year"),
                super::FieldKind::text(4, true),
                &year.to_string(),
            ),
        )
        .intro(format!(
            "{} {}{}",
            t.name,
            t.home_school,
            lang.pick(
                "：竞赛填名称、级别和奖项；录取只填高校",
                ": a prize takes the competition, level and prize; an admission only the university"
            )
        ));
    AchievementForm {
        form,
        trainee: t.id,
    }
}

impl FormFlow for AchievementForm {
    sheet_of!();

    fn save(&self, scope: Scope) -> Result<Vec<Command>, String> {
        let f = &self.form;
        let lang = scope.lang;
        // What the kind needs, named by its field when missing.
        let needed = |id: F| {
            let text = f.text(id).trim().to_string();
            if text.is_empty() {
                let label = f.field(id).map(|x| x.label(lang)).unwrap_or_default();
                Err(format!("{label}: {}", L::Required.get(lang)))
            } else {
                Ok(text)
            }
        };
        let feat = match f.required(F::Kind, lang)? {
            Kind::Prize => Feat::Prize {
                competition: needed(F::Competition)?,
                level: f.required(F::Level, lang)?,
                award: f.required(F::Award, lang)?,
            },
            Kind::Admission => Feat::Admission {
                university: needed(F::University)?,
            },
        };
        let year = f
            .text(F::Year)
            .trim()
            .parse::<i32>()
            .ok()
            .filter(|y| (2000..=2100).contains(y))
            .ok_or_else(|| L::BadYear.get(lang).to_string())?;
        Ok(vec![Command::RecordAchievement {
            trainee: self.trainee,
            year,
            feat,
        }])
    }
}
