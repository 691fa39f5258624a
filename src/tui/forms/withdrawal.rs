//! Withdrawal from training (退出培养) of an enrolled trainee, the
//! reinstatement of one withdrawn, and before enrolment the withdrawal of a
//! wrong application (撤回申报): a recorded fact with its reason, the
//! trainee kept on record.

use crate::domain::field::Field as Ident;
use chrono::NaiveDate;

use super::{Choice, Field, Form, FormFlow, Scope, sheet_of, step_on_newer, yes_no};
use crate::domain::text::MEDIUM;
use crate::domain::{Trainee, TraineeStage, WithdrawalReason};
use crate::i18n::Lang;
use crate::registry::Command;
use crate::tui::strings::L;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum F {
    Reason,
    Other,
    Date,
    Returned,
    /// Why a withdrawn trainee is reinstated, or a wrong application
    /// withdrawn.
    Why,
}

/// What the form records.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Step {
    Withdraw,
    Reinstate,
    /// 撤回申报: an application withdrawn as wrong before enrolment.
    Retract,
}

/// Which reason the choice stands for; "other" takes the text below it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Why {
    Failed,
    OwnRequest,
    Other,
}

pub struct WithdrawalForm {
    form: Form<F>,
    trainee: u64,
    version: u32,
    step: Step,
    stage: TraineeStage,
    /// The trainee's version someone else saved meanwhile, for ctrl-r.
    theirs: Option<u32>,
}

/// The withdrawal form of `t`, the reinstatement form if `t` is withdrawn,
/// or the form withdrawing `t`'s application (撤回申报) before enrolment.
/// `failed`: `t` has a failed semester result, the one case where that is the
/// reason proposed; otherwise it is the trainee's own request.
pub fn withdrawal_form(
    t: &Trainee,
    failed: bool,
    today: NaiveDate,
    lang: Lang,
) -> Result<WithdrawalForm, L> {
    let (form, step) = match t.stage {
        TraineeStage::Enrolled => {
            let reasons = vec![
                Choice::new(
                    "学期考核不合格",
                    "failed the semester assessment",
                    Why::Failed,
                ),
                Choice::new("本人申请", "own request", Why::OwnRequest),
                Choice::new("其他（请写明）", "other (write it below)", Why::Other),
            ];
            let form = Form::new(L::WithdrawTitle)
                .with(
                    F::Reason,
                    Field::choice(("退出原因", "Reason"), reasons, if failed { 0 } else { 1 }),
                )
                .with(
                    F::Other,
                    Field::text(("其他原因", "Other reason"), MEDIUM, false)
                        .names(Ident::WithdrawalReason),
                )
                .with(
                    F::Date,
                    Field::date(("日期", "Effective"), today).names(Ident::WithdrawalDate),
                )
                .with(
                    F::Returned,
                    Field::choice(("回原学校", "Back home"), yes_no(), 0),
                )
                .intro(format!(
                    "{} {} {}",
                    t.name,
                    t.home_school,
                    t.stage.label(lang)
                ));
            (form, Step::Withdraw)
        }
        TraineeStage::Withdrawn => {
            let why = t
                .current_withdrawal()
                .map(|w| w.reason.label(lang))
                .unwrap_or_default();
            let form = Form::new(L::ReinstateTitle)
                .with(
                    F::Date,
                    Field::date(("日期", "Date"), today).names(Ident::ReinstatementDate),
                )
                .with(F::Why, Field::text(("恢复原因", "Reason"), MEDIUM, true))
                .intro(format!("{} {} {why}", t.name, t.home_school));
            (form, Step::Reinstate)
        }
        TraineeStage::Applied
        | TraineeStage::Recommended
        | TraineeStage::Selected
        | TraineeStage::NotSelected
        | TraineeStage::Announced
        | TraineeStage::Filed => {
            let form = Form::new(L::RetractTitle)
                .with(
                    F::Why,
                    Field::text(("撤回原因", "Reason"), MEDIUM, true)
                        .names(Ident::RetractionReason),
                )
                .with(
                    F::Date,
                    Field::date(("日期", "Date"), today).names(Ident::RetractionDate),
                )
                .intro(format!(
                    "{} {} {}{}{}",
                    t.name,
                    t.home_school,
                    t.stage.label(lang),
                    lang.pick("：", ": "),
                    L::RetractKept.get(lang)
                ));
            (form, Step::Retract)
        }
        _ => return Err(L::NotEnrolledHere),
    };
    Ok(WithdrawalForm {
        form,
        trainee: t.id,
        version: t.stamp.version,
        step,
        stage: t.stage,
        theirs: None,
    })
}

impl FormFlow for WithdrawalForm {
    sheet_of!();
    step_on_newer!();

    fn save(&self, scope: Scope) -> Result<Vec<Command>, String> {
        let f = &self.form;
        let date = f.required_date(F::Date, scope.lang)?;
        match self.step {
            Step::Reinstate => {
                return Ok(vec![Command::Reinstate {
                    id: self.trainee,
                    version: self.version,
                    date,
                    reason: f.text(F::Why),
                }]);
            }
            Step::Retract => {
                return Ok(vec![Command::RetractApplication {
                    id: self.trainee,
                    version: self.version,
                    date,
                    reason: f.text(F::Why),
                }]);
            }
            Step::Withdraw => {}
        }
        let reason = match f.required(F::Reason, scope.lang)? {
            Why::Failed => WithdrawalReason::FailedAssessment,
            Why::OwnRequest => WithdrawalReason::OwnRequest,
            Why::Other => WithdrawalReason::Other(f.text(F::Other)),
        };
        Ok(vec![Command::Withdraw {
            id: self.trainee,
            version: self.version,
            date,
            reason,
            returned_to_home_school: f.chosen(F::Returned).unwrap_or(true),
        }])
    }
}
