//! A semester assessment session (学期考核): the enrolled trainees of a group
//! (or of every group) in roster order, one key per result. Each result is a
//! registry command applied when its key is pressed, so nothing typed can be
//! lost; opening the session again starts at the first trainee without a
//! result. At the end a summary queues the failed trainees for withdrawal.
//!
//! A digit on the roster starts the score of the current trainee (`87.5`
//! then `p`); `e` on the summary reopens the roster, where any result can be
//! corrected (each correction audited); `W` asks before withdrawing every
//! failed trainee, naming them.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use tui_input::Input;

pub mod draw;

use super::Reply as Next;
use crate::domain::{
    Assessment, Outcome, ProjectId, Score, Semester, Trainee, TraineeStage, WithdrawalReason,
};
use crate::registry;
use crate::registry::{Command, Reader};
use crate::store::StoreError;
use crate::tui::ctx::Ctx;
use crate::tui::forms::field::{edit_input, paste_into};
use crate::tui::input::action::Action;
use crate::tui::input::key::Key;
use crate::tui::model::sort_text;
use crate::tui::strings::L;
use crate::tui::widgets::table::TableNav;

#[derive(Clone, Debug)]
pub struct RosterRow {
    pub trainee: Trainee,
    pub result: Option<Assessment>,
    /// The trainee's attendance this semester, percent: a fail is decided
    /// with it in view.
    pub attendance: Option<u8>,
}

/// A failed trainee on the summary, and whether the withdrawal is done.
#[derive(Clone, Debug)]
pub struct FailedRow {
    pub trainee: Trainee,
    pub withdrawn: bool,
}

pub struct AssessmentScreen {
    pub semester: Semester,
    /// The group, or every group.
    pub scope: Option<ProjectId>,
    pub today: NaiveDate,
    pub rows: Vec<RosterRow>,
    pub nav: TableNav,
    /// Trainees passed over in this session; they stay without a result.
    pub skipped: BTreeSet<u64>,
    /// The score and note typed for the next result (`n`).
    pub pending_score: Option<Score>,
    pub pending_note: String,
    /// Open while the score and note are typed.
    pub input: Option<Input>,
    /// The input holds a score begun with a digit on the roster: the
    /// roster's keys still act (`p` records it as a pass).
    pub score_only: bool,
    /// The roster reopened from the summary to correct results: a result
    /// moves to the next row, and esc goes back to the summary.
    pub reviewing: bool,
    /// The summary, once the session ends.
    pub summary: Option<Summary>,
    /// Each group's attendance threshold, percent.
    pub thresholds: Vec<(ProjectId, u8)>,
}

pub struct Summary {
    /// `W` was pressed: the queued rows it would withdraw, until yes or no.
    pub confirming: Option<Vec<usize>>,
    pub passed: usize,
    pub failed: usize,
    pub skipped: usize,
    pub missing: usize,
    pub queue: Vec<FailedRow>,
    pub nav: TableNav,
}

impl AssessmentScreen {
    /// The enrolled trainees of `scope` (a group or all) and their results for
    /// `semester`; the cursor on the first without one.
    pub fn open(
        r: &Reader<'_>,
        scope: Option<ProjectId>,
        semester: Semester,
        today: NaiveDate,
    ) -> Result<AssessmentScreen, StoreError> {
        let groups: Vec<ProjectId> = match scope {
            Some(p) => vec![p],
            None => ProjectId::ALL.to_vec(),
        };
        let mut rows = Vec::new();
        let mut thresholds = Vec::new();
        for p in groups {
            thresholds.push((p, r.attendance_threshold(p)?));
            // The semester's roster: who is enrolled, and whoever has a
            // result for it, withdrawn since or not (see
            // `Registry::semester_progress`).
            let assessed: BTreeSet<u64> = r
                .assessments(p, semester)?
                .iter()
                .map(|a| a.trainee_id)
                .collect();
            let mut enrolled: Vec<Trainee> = r
                .trainees(p)?
                .into_iter()
                .filter(|t| t.stage == TraineeStage::Enrolled || assessed.contains(&t.id))
                .collect();
            // The roster: students, then teacher trainees, each by name as
            // it is read aloud (pinyin).
            enrolled.sort_by_cached_key(|t| (t.kind as u8, sort_text(&t.name)));
            let rates = r.attendance_rates(p, semester)?;
            for t in enrolled {
                let result = r.assessment_for(t.id, semester)?;
                let attendance = rates.get(&t.id).and_then(|rate| rate.percent());
                rows.push(RosterRow {
                    trainee: t,
                    result,
                    attendance,
                });
            }
        }
        let n = rows.len();
        let mut session = AssessmentScreen {
            semester,
            scope,
            today,
            rows,
            nav: TableNav::of(n),
            skipped: BTreeSet::new(),
            pending_score: None,
            pending_note: String::new(),
            input: None,
            score_only: false,
            reviewing: false,
            summary: None,
            thresholds,
        };
        session.nav.selected = session.next_open(0).unwrap_or(0);
        if session.done() == n && n > 0 {
            session.finish();
        }
        Ok(session)
    }

    /// The percent under which `p`'s trainees are flagged.
    pub fn attendance_threshold(&self, p: ProjectId) -> u8 {
        self.thresholds
            .iter()
            .find(|(q, _)| *q == p)
            .map_or(crate::domain::training::DEFAULT_ATTENDANCE_THRESHOLD, |(_, t)| *t)
    }

    pub fn done(&self) -> usize {
        self.rows.iter().filter(|r| r.result.is_some()).count()
    }

    /// The first row from `from` on (then from the top) that has no result
    /// and was not skipped.
    fn next_open(&self, from: usize) -> Option<usize> {
        let open = |i: &usize| {
            let row = &self.rows[*i];
            row.result.is_none() && !self.skipped.contains(&row.trainee.id)
        };
        (from..self.rows.len())
            .chain(0..from.min(self.rows.len()))
            .find(open)
    }

    /// The command that records `outcome` for the selected trainee: a new
    /// result, or a correction of the one recorded (itself audited).
    pub fn command(&self, outcome: Outcome) -> Option<Command> {
        let row = self.rows.get(self.nav.selected)?;
        let note = self.pending_note.clone();
        Some(match &row.result {
            None => Command::RecordAssessment {
                trainee: row.trainee.id,
                semester: self.semester,
                outcome,
                score: self.pending_score,
                note,
                date: self.today,
            },
            Some(a) => Command::CorrectAssessment {
                id: a.id,
                version: a.stamp.version,
                outcome,
                score: self.pending_score.or(a.score),
                note: if note.is_empty() {
                    a.note.clone()
                } else {
                    note
                },
                date: self.today,
            },
        })
    }

    /// After a result was stored: read it back, then move on to the next
    /// trainee without one, or end the session when none is left.
    pub fn recorded(&mut self, r: &Reader<'_>) -> Result<(), StoreError> {
        let i = self.nav.selected;
        let Some(row) = self.rows.get_mut(i) else {
            return Ok(());
        };
        row.result = r.assessment_for(row.trainee.id, self.semester)?;
        self.skipped.remove(&row.trainee.id);
        self.pending_score = None;
        self.pending_note.clear();
        self.advance(i + 1);
        Ok(())
    }

    pub fn skip(&mut self) {
        let i = self.nav.selected;
        if let Some(row) = self.rows.get(i)
            && row.result.is_none()
        {
            self.skipped.insert(row.trainee.id);
        }
        self.advance(i + 1);
    }

    fn advance(&mut self, from: usize) {
        if self.reviewing {
            // Correcting: the next row, whatever it holds.
            self.nav.selected = from.min(self.rows.len().saturating_sub(1));
            return;
        }
        match self.next_open(from) {
            Some(next) => self.nav.selected = next,
            None => self.finish(),
        }
    }

    /// Takes `text` typed after `n`: a leading number is the score, the rest
    /// the note. Returns false when the number is not a score.
    pub fn take_score_and_note(&mut self, text: &str) -> bool {
        let text = text.trim();
        let (first, rest) = text.split_once(char::is_whitespace).unwrap_or((text, ""));
        if first.chars().next().is_some_and(|c| c.is_ascii_digit()) {
            let Some(score) = Score::parse(first) else {
                return false;
            };
            self.pending_score = Some(score);
            self.pending_note = rest.trim().to_string();
        } else {
            self.pending_note = text.to_string();
        }
        true
    }

    /// Ends the session: counts, and the failed trainees still enrolled
    /// queued for withdrawal.
    pub fn finish(&mut self) {
        let mut passed = 0;
        let mut failed = 0;
        let mut queue = Vec::new();
        for row in &self.rows {
            match row.result.as_ref().map(|a| a.outcome) {
                Some(Outcome::Pass) => passed += 1,
                Some(Outcome::Fail) => {
                    failed += 1;
                    queue.push(FailedRow {
                        trainee: row.trainee.clone(),
                        withdrawn: row.trainee.stage == TraineeStage::Withdrawn,
                    });
                }
                None => {}
            }
        }
        let skipped = self
            .rows
            .iter()
            .filter(|r| r.result.is_none() && self.skipped.contains(&r.trainee.id))
            .count();
        let missing = self.rows.len() - passed - failed - skipped;
        let n = queue.len();
        self.input = None;
        self.score_only = false;
        self.reviewing = false;
        self.summary = Some(Summary {
            confirming: None,
            passed,
            failed,
            skipped,
            missing,
            queue,
            nav: TableNav::of(n),
        });
    }
}

impl AssessmentScreen {
    /// Back from the summary to the roster, to correct any result; the
    /// cursor on the failed trainee selected there, else the first row.
    pub fn reopen(&mut self) {
        let Some(summary) = self.summary.take() else {
            return;
        };
        let chosen = summary
            .nav
            .current()
            .and_then(|i| summary.queue.get(i))
            .and_then(|f| self.rows.iter().position(|r| r.trainee.id == f.trainee.id));
        self.nav.selected = chosen.unwrap_or(0);
        self.reviewing = true;
    }

    /// Takes the score typed after a digit; false (and the input stays)
    /// when it is not a score from 0 to 100.
    fn take_typed_score(&mut self, ctx: &mut Ctx) -> bool {
        if !self.score_only {
            return true;
        }
        let Some(input) = self.input.take() else {
            return true;
        };
        match Score::parse(input.value()) {
            Some(score) => {
                self.pending_score = Some(score);
                self.score_only = false;
                true
            }
            None => {
                self.input = Some(input);
                ctx.fail(L::BadScore);
                false
            }
        }
    }

    /// The question `W` asks: how many and who.
    pub fn withdraw_all_question(&self, lang: crate::i18n::Lang) -> Option<String> {
        let summary = self.summary.as_ref()?;
        let which = summary.confirming.as_ref()?;
        let names: Vec<&str> = which
            .iter()
            .filter_map(|&i| summary.queue.get(i))
            .map(|f| f.trainee.name.as_str())
            .collect();
        let n = names.len();
        Some(match lang {
            crate::i18n::Lang::Zh => format!(
                "确认 {n} 名考核不合格的学员退出培养：{}？ y 确认  n 取消",
                names.join("、")
            ),
            crate::i18n::Lang::En => format!(
                "Withdraw {n} failed trainee{}: {}? y yes  n no",
                if n == 1 { "" } else { "s" },
                names.join(", ")
            ),
        })
    }

    /// Keys are looked up as a yes/no question while `W` waits for an
    /// answer, and as the roster's while a score begun with a digit is
    /// typed (so `p` records it).
    pub fn confirming(&self) -> bool {
        self.summary
            .as_ref()
            .is_some_and(|s| s.confirming.is_some())
    }

    /// After a result or the withdrawals were stored.
    pub fn written(&mut self, result: &Result<Vec<registry::Event>, String>, ctx: &mut Ctx) {
        if let Err(message) = result {
            *ctx.status = Some(crate::tui::ctx::Status::Error(message.clone()));
            return;
        }
        match &mut self.summary {
            Some(summary) => {
                // Every queued withdrawal went through together.
                let ids: Vec<u64> = result
                    .as_ref()
                    .map(|events| events.iter().map(|e| e.id).collect())
                    .unwrap_or_default();
                for row in &mut summary.queue {
                    if ids.contains(&row.trainee.id) {
                        row.withdrawn = true;
                    }
                }
            }
            None => {
                if let Err(e) = self.recorded(&ctx.reader()) {
                    ctx.error(&e);
                }
            }
        }
    }

    /// The withdrawals of queued rows `which` (those not done yet).
    fn withdrawals(&self, which: Vec<usize>, ctx: &mut Ctx) -> Next {
        let Some(summary) = self.summary.as_ref() else {
            return Next::Done;
        };
        let commands: Vec<Command> = which
            .into_iter()
            .filter_map(|i| summary.withdrawal(&ctx.reader(), i, self.today))
            .collect();
        if commands.is_empty() {
            Next::Done
        } else {
            Next::Write(commands)
        }
    }

}

impl Summary {
    /// The withdrawal of queued row `i`, with the reason and today's date
    /// filled in; none once it is done.
    pub fn withdrawal(&self, r: &Reader<'_>, i: usize, today: NaiveDate) -> Option<Command> {
        let row = self.queue.get(i).filter(|row| !row.withdrawn)?;
        // The version as stored now: the result was recorded after the
        // session read the trainee.
        let version = r
            .trainee(row.trainee.id)
            .ok()
            .flatten()
            .map_or(row.trainee.stamp.version, |t| t.stamp.version);
        Some(Command::Withdraw {
            id: row.trainee.id,
            version,
            date: today,
            reason: WithdrawalReason::FailedAssessment,
            returned_to_home_school: true,
        })
    }
}

impl super::Screen for AssessmentScreen {
    fn title(&self, lang: crate::i18n::Lang) -> String {
        L::AssessmentSession.get(lang).to_string()
    }

    /// Keys during the session and on its summary. Quit, help, the palette
    /// and going elsewhere pass to the App; every other key is meaningless
    /// here and swallowed.
    fn act(&mut self, action: Action, ctx: &mut Ctx) -> Next {
        use Action as A;
        let in_summary = self.summary.is_some();
        if self.confirming() {
            let which = self.summary.as_mut().and_then(|s| s.confirming.take());
            return match (action, which) {
                (A::Yes, Some(which)) => self.withdrawals(which, ctx),
                (A::Quit | A::Help, which) => {
                    if let Some(s) = self.summary.as_mut() {
                        s.confirming = which;
                    }
                    Next::Pass
                }
                _ => {
                    ctx.info(L::NothingWithdrawn);
                    Next::Done
                }
            };
        }
        match action {
            A::AssessPass | A::AssessFail if !in_summary => {
                if !self.take_typed_score(ctx) {
                    return Next::Done;
                }
                let outcome = if action == A::AssessPass {
                    Outcome::Pass
                } else {
                    Outcome::Fail
                };
                if let Some(command) = self.command(outcome) {
                    return Next::Write(vec![command]);
                }
            }
            A::AssessSkip if !in_summary => {
                if self.score_only {
                    self.input = None;
                    self.score_only = false;
                }
                self.skip();
            }
            // left/right: the session of the previous or next semester.
            A::PrevTab | A::NextTab => {
                let semester = if action == A::PrevTab {
                    self.semester.previous()
                } else {
                    self.semester.next()
                };
                match AssessmentScreen::open(&ctx.reader(), self.scope, semester, self.today) {
                    Ok(s) => *self = s,
                    Err(e) => ctx.error(&e),
                }
            }
            A::AssessNote if !in_summary => {
                // A score begun with a digit is kept; the note follows.
                if !self.take_typed_score(ctx) {
                    return Next::Done;
                }
                self.input = Some(Input::default());
            }
            A::Edit if in_summary => self.reopen(),
            A::Withdraw if in_summary => {
                let which = self
                    .summary
                    .as_ref()
                    .and_then(|s| s.nav.current())
                    .into_iter()
                    .collect();
                return self.withdrawals(which, ctx);
            }
            A::WithdrawAll if in_summary => {
                let Some(summary) = self.summary.as_mut() else {
                    return Next::Done;
                };
                let which: Vec<usize> = (0..summary.queue.len())
                    .filter(|&i| !summary.queue[i].withdrawn)
                    .collect();
                if which.is_empty() {
                    ctx.info(L::NothingToWithdraw);
                } else {
                    summary.confirming = Some(which);
                }
            }
            // esc closes the score input, else ends the session (to the
            // summary), else leaves the summary.
            A::Back | A::Clear => match (self.input.take(), in_summary) {
                (Some(_), _) => self.score_only = false,
                (None, true) => return Next::Pass,
                (None, false) => self.finish(),
            },
            // enter takes a score begun with a digit.
            A::Open if self.score_only => {
                self.take_typed_score(ctx);
            }
            A::Confirm => {
                if let Some(input) = self.input.take()
                    && !self.take_score_and_note(input.value())
                {
                    self.input = Some(input);
                    ctx.fail(L::BadScore);
                }
            }
            A::SelectNext
            | A::SelectPrev
            | A::SelectFirst
            | A::SelectLast
            | A::PageDown
            | A::PageUp => {
                let nav = match &mut self.summary {
                    Some(summary) => &mut summary.nav,
                    None => &mut self.nav,
                };
                nav.navigate(action, ctx.page);
            }
            A::Quit | A::Help | A::Palette | A::Refresh => return Next::Pass,
            A::Overview | A::LedgerOverview | A::Group(_) | A::NextGroup | A::PrevGroup => {
                return Next::Pass;
            }
            _ => {}
        }
        Next::Done
    }

    fn draw(
        &self,
        frame: &mut ratatui::Frame,
        area: ratatui::layout::Rect,
        ui: &crate::tui::widgets::Ui,
    ) {
        draw::draw(frame, area, ui, self)
    }

    fn reload(&mut self, ctx: &mut Ctx) {
        AssessmentScreen::changed(self, &[], ctx)
    }

    /// Results recorded elsewhere (another coordinator at the same roster):
    /// read each row's result again, keeping the cursor; a trainee changed
    /// elsewhere (renamed, moved school) is read again too.
    fn changed(&mut self, changes: &[registry::Event], ctx: &mut Ctx) {
        use crate::registry::RecordKind;
        let relevant = changes.is_empty()
            || changes
                .iter()
                .any(|c| matches!(c.kind, RecordKind::Assessment | RecordKind::Trainee));
        if !relevant {
            return;
        }
        let reader = ctx.reader();
        for row in &mut self.rows {
            let id = row.trainee.id;
            let touched = changes.is_empty()
                || changes
                    .iter()
                    .any(|c| c.kind == RecordKind::Trainee && c.id == id);
            let read = (|| {
                if touched && let Some(t) = reader.trainee(id)? {
                    row.trainee = t;
                }
                row.result = reader.assessment_for(id, self.semester)?;
                Ok::<_, crate::store::StoreError>(())
            })();
            if let Err(e) = read {
                return ctx.error(&e);
            }
        }
    }

    fn hints(&self) -> &'static [Action] {
        use Action as A;
        if self.confirming() {
            &[A::Yes, A::No]
        } else if self.summary.is_some() {
            &[
                A::Withdraw,
                A::WithdrawAll,
                A::Edit,
                A::SelectNext,
                A::Back,
                A::Quit,
            ]
        } else {
            &[
                A::AssessPass,
                A::AssessFail,
                A::AssessSkip,
                A::AssessNote,
                A::SelectPrev,
                A::Back,
            ]
        }
    }

    fn context(&self) -> crate::tui::input::action::Context {
        use crate::tui::input::action::Context;
        if self.confirming() {
            Context::Confirm
        } else if self.input.is_some() && !self.score_only {
            Context::Input
        } else {
            Context::Assessment
        }
    }

    fn transient(&self) -> bool {
        true
    }

    /// Whether `key` is text for this screen before any binding: a digit
    /// on the roster begins a score, and while that score is typed its
    /// digits, point and backspace go on into it.
    fn captures(&self, key: Key) -> bool {
        use crate::tui::input::key::KeyCode;
        if self.summary.is_some() || key.ctrl || key.alt || self.rows.is_empty() {
            return false;
        }
        match key.code {
            KeyCode::Char(c) if c.is_ascii_digit() => self.input.is_none() || self.score_only,
            KeyCode::Char('.') | KeyCode::Backspace | KeyCode::Left | KeyCode::Right => {
                self.score_only
            }
            _ => false,
        }
    }

    fn type_key(&mut self, key: Key, _ctx: &mut Ctx) {
        use crate::tui::input::key::KeyCode;
        match self.input.as_mut() {
            Some(input) => {
                edit_input(input, key);
            }
            None => {
                if let KeyCode::Char(c) = key.code
                    && c.is_ascii_digit()
                    && self.summary.is_none()
                    && !self.rows.is_empty()
                {
                    self.input = Some(Input::new(c.to_string()));
                    self.score_only = true;
                }
            }
        }
    }

    fn paste(&mut self, text: &str, _ctx: &mut Ctx) -> bool {
        match self.input.as_mut() {
            Some(input) => {
                paste_into(input, text);
                true
            }
            None => false,
        }
    }

    fn written(&mut self, result: &Result<Vec<registry::Event>, String>, ctx: &mut Ctx) -> bool {
        AssessmentScreen::written(self, result, ctx);
        false
    }

    /// `A` starts (or resumes) the semester assessment of the group on
    /// screen, or of every group; a result's key anywhere else says how.
    fn open_from(
        action: Action,
        stack: &[Box<dyn super::Screen>],
        ctx: &mut Ctx,
    ) -> Option<Next> {
        use Action as A;
        match action {
            A::StartAssessment => {
                let scope = stack.last().and_then(|s| s.project());
                let semester = Semester::containing(ctx.today);
                Some(
                    match AssessmentScreen::open(&ctx.reader(), scope, semester, ctx.today) {
                        Ok(s) => Next::push(s),
                        Err(e) => {
                            ctx.error(&e);
                            Next::Done
                        }
                    },
                )
            }
            A::AssessPass | A::AssessFail | A::AssessSkip | A::AssessNote | A::WithdrawAll => {
                ctx.info(L::NotInSession);
                Some(Next::Done)
            }
            _ => None,
        }
    }
}
