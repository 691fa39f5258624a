//! A semester assessment session (学期考核): the enrolled trainees of a group
//! (or of every group) in roster order, one key per result. Each result is a
//! registry command applied when its key is pressed, so nothing typed can be
//! lost; opening the session again starts at the first trainee without a
//! result. At the end a summary queues the failed trainees for withdrawal.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use tui_input::Input;

use super::app::TableNav;
use super::model::sort_text;
use crate::domain::{
    Assessment, Outcome, ProjectId, Score, Semester, Trainee, TraineeStage, WithdrawalReason,
};
use crate::registry::{Command, Registry};
use crate::store::StoreError;

#[derive(Clone, Debug)]
pub struct SessionRow {
    pub trainee: Trainee,
    pub result: Option<Assessment>,
}

/// A failed trainee on the summary, and whether the withdrawal is done.
#[derive(Clone, Debug)]
pub struct FailedRow {
    pub trainee: Trainee,
    pub withdrawn: bool,
}

pub struct Session {
    pub semester: Semester,
    /// The group, or every group.
    pub scope: Option<ProjectId>,
    pub today: NaiveDate,
    pub rows: Vec<SessionRow>,
    pub nav: TableNav,
    /// Trainees passed over in this session; they stay without a result.
    pub skipped: BTreeSet<u64>,
    /// The score and note typed for the next result (`n`).
    pub pending_score: Option<Score>,
    pub pending_note: String,
    /// Open while the score and note are typed.
    pub input: Option<Input>,
    /// The summary, once the session ends.
    pub summary: Option<Summary>,
}

pub struct Summary {
    pub passed: usize,
    pub failed: usize,
    pub skipped: usize,
    pub missing: usize,
    pub queue: Vec<FailedRow>,
    pub nav: TableNav,
}

impl Session {
    /// The enrolled trainees of `scope` (a group or all) and their results for
    /// `semester`; the cursor on the first without one.
    pub fn open(
        r: &Registry,
        scope: Option<ProjectId>,
        semester: Semester,
        today: NaiveDate,
    ) -> Result<Session, StoreError> {
        let groups: Vec<ProjectId> = match scope {
            Some(p) => vec![p],
            None => ProjectId::ALL.to_vec(),
        };
        let mut rows = Vec::new();
        for p in groups {
            let mut enrolled: Vec<Trainee> = r
                .trainees(p)?
                .into_iter()
                .filter(|t| t.stage == TraineeStage::Enrolled)
                .collect();
            // The roster: students, then teacher trainees, each by name as
            // it is read aloud (pinyin).
            enrolled.sort_by_cached_key(|t| (t.kind as u8, sort_text(&t.name)));
            for t in enrolled {
                let result = r.assessment_for(t.id, semester)?;
                rows.push(SessionRow { trainee: t, result });
            }
        }
        let n = rows.len();
        let mut session = Session {
            semester,
            scope,
            today,
            rows,
            nav: TableNav {
                order: (0..n).collect(),
                shown: (0..n).collect(),
                ..TableNav::default()
            },
            skipped: BTreeSet::new(),
            pending_score: None,
            pending_note: String::new(),
            input: None,
            summary: None,
        };
        session.nav.selected = session.next_open(0).unwrap_or(0);
        if session.done() == n && n > 0 {
            session.finish();
        }
        Ok(session)
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
    pub fn recorded(&mut self, r: &Registry) -> Result<(), StoreError> {
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
        self.summary = Some(Summary {
            passed,
            failed,
            skipped,
            missing,
            queue,
            nav: TableNav {
                order: (0..n).collect(),
                shown: (0..n).collect(),
                ..TableNav::default()
            },
        });
    }
}

impl Summary {
    /// The withdrawal of queued row `i`, with the reason and today's date
    /// filled in; none once it is done.
    pub fn withdrawal(&self, r: &Registry, i: usize, today: NaiveDate) -> Option<Command> {
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
