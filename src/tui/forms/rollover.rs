//! The year's rollover from the overview or the ledger overview (admin
//! only): the year to roll over to and what happens to each group's daily
//! fund balance. Submitting plans it with the rollover the CLI runs
//! (`qiangji rollover`) and writes its commands as one batch; a rollover
//! already done is said in the form, and nothing is written.

use super::{Choice, Field, Form, FormFlow, Scope, Submitted, sheet_of};
use crate::i18n::{Lang, Localized};
use crate::registry::Command;
use crate::rollover::{self, DailyBalance, Report};
use crate::tui::ctx::Ctx;
use crate::tui::strings::L;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum F {
    To,
    Daily,
}

pub struct RolloverForm {
    form: Form<F>,
    /// What the last submission planned, for the message once written.
    planned: Option<(Vec<Command>, Report)>,
}

/// The rollover into the year after `year`.
pub fn rollover_form(year: i32, lang: Lang) -> RolloverForm {
    use DailyBalance::{Carry, Return};
    // What becomes of a daily fund's balance: carried, or returned.
    let carry = Choice::new("结转至新年度", "carry into the new year", Carry);
    let modes = vec![
        carry,
        Choice::new("退回市教育局", "return to the bureau", Return),
    ];
    let to = Field::year(("结转到", "Roll over to"), year + 1);
    let form = Form::new(L::RolloverTitle)
        .with(F::To, to)
        .with(F::Daily, Field::choice(("日常经费结余", "Daily balance"), modes, 0))
        .intro(lang.pick(
            "在培学员继续培养；结余记为台账记录；到期聘任结束。重复执行不会重复记账",
            "Enrolled trainees carry on; balances move as recorded entries; ended terms close. Running it again does nothing",
        ));
    RolloverForm {
        form,
        planned: None,
    }
}

impl RolloverForm {
    fn year(&self, lang: Lang) -> Result<i32, String> {
        self.form
            .text(F::To)
            .trim()
            .parse::<i32>()
            .ok()
            .filter(|y| (2001..=2100).contains(y))
            .ok_or_else(|| L::BadRolloverYear.get(lang).to_string())
    }
}

impl FormFlow for RolloverForm {
    sheet_of!();

    /// The commands the last submission planned.
    fn save(&self, scope: Scope) -> Result<Vec<Command>, String> {
        self.year(scope.lang)?;
        match &self.planned {
            Some((commands, _)) => Ok(commands.clone()),
            None => Err(L::RolloverNotPlanned.get(scope.lang).to_string()),
        }
    }

    fn submit(&mut self, ctx: &mut Ctx) -> Result<Submitted, String> {
        let lang = ctx.lang;
        let to = self.year(lang)?;
        let mode = self.form.chosen(F::Daily).unwrap_or_default();
        let (commands, report) =
            rollover::plan(ctx.registry, to, mode).map_err(|e| e.localized(lang))?;
        if report.nothing_to_do() {
            let said = report.lines(lang).into_iter().next().unwrap_or_default();
            self.planned = None;
            return Err(said);
        }
        self.planned = Some((commands, report));
        self.save(ctx.scope()).map(Submitted::Write)
    }

    fn done(&self, lang: Lang) -> Option<String> {
        // One footer line: what happened, then how much, in counts.
        let (_, report) = self.planned.as_ref()?;
        let first = report.lines(lang).into_iter().next().unwrap_or_default();
        let (groups, terms) = (report.balances.len(), report.closed_terms.len());
        Some(match (lang, report.mode) {
            (Lang::Zh, DailyBalance::Carry) => {
                format!("{first}：{groups} 个项目组的结余已结转，{terms} 个聘任结束")
            }
            (Lang::Zh, DailyBalance::Return) => {
                format!("{first}：{groups} 个项目组的结余已退回，{terms} 个聘任结束")
            }
            (Lang::En, DailyBalance::Carry) => {
                format!("{first}: {groups} groups' balances carried, {terms} terms closed")
            }
            (Lang::En, DailyBalance::Return) => {
                format!("{first}: {groups} groups' balances returned, {terms} terms closed")
            }
        })
    }
}
