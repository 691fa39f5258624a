//! Where a trainee stands in the admission pipeline (annex 1-3): whether
//! the next step is due, and what it is. Rules the coordinator's "waiting for
//! me" list and the details pane both follow.

use chrono::NaiveDate;

use super::trainee::{REQUIRED_RECOMMENDERS, Trainee, TraineeKind, TraineeStage};
use crate::i18n::Lang;

/// Whether the trainee's next step can be taken now: what a coordinator's
/// "waiting for me" list holds. An announcement still running is not.
pub fn is_due(t: &Trainee, today: NaiveDate) -> bool {
    match t.stage {
        TraineeStage::Applied
        | TraineeStage::Recommended
        | TraineeStage::Selected
        | TraineeStage::Filed => true,
        TraineeStage::Announced => {
            t.open_objections() > 0 || t.announcement.as_ref().is_some_and(|a| a.end() < today)
        }
        _ => false,
    }
}

/// What the trainee's next step is and what it still lacks, for the details.
pub fn next_step(t: &Trainee, today: NaiveDate, lang: Lang) -> Option<String> {
    let text = match t.stage {
        TraineeStage::Applied => {
            let needed = match t.kind {
                TraineeKind::Student => REQUIRED_RECOMMENDERS.saturating_sub(t.recommenders.len()),
                TraineeKind::Teacher => 0,
            };
            if needed > 0 {
                format!(
                    "{} {needed} {}",
                    lang.pick("学校推荐：还需", "school recommendation: needs"),
                    lang.pick("名实名推荐教师", "more named teachers")
                )
            } else {
                lang.pick("学校推荐", "school recommendation").into()
            }
        }
        TraineeStage::Recommended => lang.pick("项目组遴选", "group selection").into(),
        TraineeStage::Selected => lang.pick("公示", "public announcement").into(),
        TraineeStage::Announced => {
            let open = t.open_objections();
            let end = t.announcement.as_ref().map(|a| a.end());
            match (open, end) {
                (n, _) if n > 0 => format!(
                    "{} {n} {}",
                    lang.pick("处理异议：", "resolve the objection:"),
                    lang.pick("条未处理", "open")
                ),
                (_, Some(end)) if end >= today => format!(
                    "{} {end} {}",
                    lang.pick("公示至", "announced until"),
                    lang.pick("，之后备案", "; file after that")
                ),
                _ => lang.pick("备案", "filing").into(),
            }
        }
        TraineeStage::Filed => lang
            .pick(
                "参加培养：选择培养方式，签署承诺书",
                "enrolment: training mode and commitment letter",
            )
            .into(),
        _ => return None,
    };
    Some(format!("{} {text}", lang.pick("下一步：", "Next:")))
}
