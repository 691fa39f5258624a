//! Taking attendance (考勤) at one session: its roster in order, one key per
//! trainee. Each mark is a registry command applied as its key is pressed,
//! so a roster left halfway (or a killed terminal) loses nothing; opening it
//! again starts at the first trainee without a mark. After the last one the
//! summary counts the marks and names who was absent or late.
//!
//! Keys on the roster ([attendance] in the keymap): `p` or `1` present,
//! `t` or `2` late (tardy), `q` or `3` excused (请假), `a` or `4` absent; space
//! passes a trainee over; up and down choose anyone to correct. `e` on the
//! summary reopens the roster.

pub mod draw;

use ratatui::Frame;
use ratatui::layout::Rect;

use super::{Reply as Next, Screen};
use crate::i18n::Lang;
use crate::tui::strings::L;
use crate::tui::widgets::Ui;
use crate::domain::Trainee;
use crate::domain::training::{Attendance, Mark, Session};
use crate::registry::{self, Command, Reader};
use crate::store::StoreError;
use crate::tui::ctx::Ctx;
use crate::tui::input::action::Action;
use crate::tui::model::sort_text;
use crate::tui::widgets::table::TableNav;

pub struct RosterRow {
    pub trainee: Trainee,
    pub mark: Option<Mark>,
}

pub struct AttendanceScreen {
    pub session: Session,
    /// Where, in words (the school and room, online, or the place's name).
    pub place: String,
    pub rows: Vec<RosterRow>,
    pub nav: TableNav,
    /// Passed over with space in this sitting; they stay unmarked.
    pub skipped: Vec<u64>,
    /// The mark sent for the selected row, until the registry answers.
    sent: Option<(usize, Mark)>,
    /// The roster reopened from the summary: a mark moves to the next row.
    pub reviewing: bool,
    pub summary: bool,
}

/// The mark an action gives on the roster.
fn mark_of(action: Action) -> Option<Mark> {
    match action {
        Action::MarkPresent => Some(Mark::Present),
        Action::MarkLate => Some(Mark::Late),
        Action::MarkExcused => Some(Mark::Excused),
        Action::MarkAbsent => Some(Mark::Absent),
        _ => None,
    }
}

impl AttendanceScreen {
    pub fn open(
        r: &Reader<'_>,
        s: &Session,
        place: String,
    ) -> Result<AttendanceScreen, StoreError> {
        let mut rows: Vec<RosterRow> = r
            .roster(s)?
            .into_iter()
            .map(|(trainee, a)| RosterRow {
                mark: a.map(|a: Attendance| a.mark),
                trainee,
            })
            .collect();
        // As the roster is called: students, then teacher trainees, each by
        // name as it is read aloud (pinyin), like the assessment's.
        rows.sort_by_cached_key(|row| (row.trainee.kind as u8, sort_text(&row.trainee.name)));
        let n = rows.len();
        let mut screen = AttendanceScreen {
            session: s.clone(),
            place,
            rows,
            nav: TableNav::of(n),
            skipped: Vec::new(),
            sent: None,
            reviewing: false,
            summary: false,
        };
        match screen.next_open(0) {
            Some(i) => screen.nav.selected = i,
            None => screen.summary = n > 0,
        }
        Ok(screen)
    }

    pub fn marked(&self) -> usize {
        self.rows.iter().filter(|r| r.mark.is_some()).count()
    }

    /// How many rows carry `mark`.
    pub fn count(&self, mark: Mark) -> usize {
        self.rows.iter().filter(|r| r.mark == Some(mark)).count()
    }

    /// The first row from `from` on (then from the top) without a mark and
    /// not passed over.
    fn next_open(&self, from: usize) -> Option<usize> {
        let open = |i: &usize| {
            let row = &self.rows[*i];
            row.mark.is_none() && !self.skipped.contains(&row.trainee.id)
        };
        (from..self.rows.len())
            .chain(0..from.min(self.rows.len()))
            .find(open)
    }

    fn advance(&mut self, from: usize) {
        if self.reviewing {
            self.nav.selected = from.min(self.rows.len().saturating_sub(1));
            return;
        }
        match self.next_open(from) {
            Some(next) => self.nav.selected = next,
            None => self.summary = true,
        }
    }

    /// A mark: the command that stores it.
    fn mark_command(&mut self, mark: Mark) -> Option<Command> {
        if self.summary || self.sent.is_some() {
            return None;
        }
        let i = self.nav.selected;
        let row = self.rows.get(i)?;
        self.sent = Some((i, mark));
        Some(Command::MarkAttendance {
            session: self.session.id,
            trainee: row.trainee.id,
            mark,
        })
    }

    fn roster_hints(&self) -> &'static [Action] {
        use Action as A;
        if self.summary {
            &[A::Edit, A::Back, A::Quit]
        } else {
            &[
                A::MarkPresent,
                A::MarkLate,
                A::MarkExcused,
                A::MarkAbsent,
                A::AssessSkip,
                A::Back,
            ]
        }
    }

    fn act_on(&mut self, action: Action, ctx: &mut Ctx) -> Next {
        use Action as A;
        if let Some(mark) = mark_of(action) {
            return match self.mark_command(mark) {
                Some(c) => Next::Write(vec![c]),
                None => Next::Done,
            };
        }
        match action {
            A::AssessSkip if !self.summary => {
                let i = self.nav.selected;
                if let Some(row) = self.rows.get(i)
                    && row.mark.is_none()
                    && !self.skipped.contains(&row.trainee.id)
                {
                    self.skipped.push(row.trainee.id);
                }
                self.advance(i + 1);
            }
            A::Edit if self.summary => {
                self.summary = false;
                self.reviewing = true;
                self.nav.selected = self.next_open(0).unwrap_or(0);
            }
            // Esc on the roster shows the summary; on the summary it leaves.
            A::Back | A::Clear if !self.summary => {
                self.summary = true;
                self.reviewing = false;
            }
            A::SelectNext
            | A::SelectPrev
            | A::SelectFirst
            | A::SelectLast
            | A::PageDown
            | A::PageUp
                if !self.summary =>
            {
                self.nav.navigate(action, ctx.page);
            }
            A::Refresh => return Next::Pass,
            A::Quit | A::Help | A::Palette | A::Back => return Next::Pass,
            A::Overview | A::LedgerOverview | A::Group(_) | A::NextGroup | A::PrevGroup => {
                return Next::Pass;
            }
            _ => {}
        }
        Next::Done
    }

    /// The registry's answer to the mark sent: on success the row shows it
    /// and the next trainee without one is chosen.
    fn heard(&mut self, result: &Result<Vec<registry::Event>, String>, ctx: &mut Ctx) {
        let sent = self.sent.take();
        if let Err(message) = result {
            *ctx.status = Some(crate::tui::ctx::Status::Error(message.clone()));
            return;
        }
        if let Some((i, mark)) = sent
            && let Some(row) = self.rows.get_mut(i)
        {
            row.mark = Some(mark);
            let id = row.trainee.id;
            self.skipped.retain(|t| *t != id);
            self.advance(i + 1);
        }
    }

    /// Marks taken elsewhere (another coach on the same roster) show here.
    fn on_change(&mut self, changes: &[registry::Event], ctx: &mut Ctx) {
        let ours = changes.iter().any(|c| {
            c.id == self.session.id
                && matches!(
                    c.kind,
                    registry::RecordKind::Attendance | registry::RecordKind::Session
                )
        });
        if ours || changes.is_empty() {
            self.read_marks(ctx);
        }
        // A trainee on the roster changed elsewhere (renamed): read again.
        for row in self.rows.iter_mut() {
            let id = row.trainee.id;
            let touched = changes.is_empty()
                || changes
                    .iter()
                    .any(|c| c.kind == registry::RecordKind::Trainee && c.id == id);
            if !touched {
                continue;
            }
            match ctx.reader().trainee(id) {
                Ok(Some(t)) => row.trainee = t,
                Ok(None) => {}
                Err(e) => return ctx.error(&e),
            }
        }
    }

    fn read_marks(&mut self, ctx: &mut Ctx) {
        let r = ctx.reader();
        // The marks alone: the roster's trainees are already on screen.
        let marks = match r.marks(&self.session) {
            Ok(m) => m,
            Err(e) => return ctx.error(&e),
        };
        for row in self.rows.iter_mut() {
            row.mark = marks
                .iter()
                .find(|a| a.trainee == row.trainee.id)
                .map(|a| a.mark);
        }
    }
}

impl Screen for AttendanceScreen {
    fn title(&self, lang: Lang) -> String {
        L::AttendanceTitle.get(lang).to_string()
    }

    fn act(&mut self, action: Action, ctx: &mut Ctx) -> Next {
        self.act_on(action, ctx)
    }

    fn draw(&self, frame: &mut Frame, area: Rect, ui: &Ui) {
        draw::draw(frame, area, ui, self)
    }

    fn reload(&mut self, ctx: &mut Ctx) {
        self.on_change(&[], ctx)
    }

    fn hints(&self) -> &'static [Action] {
        self.roster_hints()
    }

    fn hint_label(&self, action: Action, lang: Lang) -> Option<&'static str> {
        if let Some(mark) = mark_of(action) {
            return Some(mark.label(lang));
        }
        match action {
            Action::AssessSkip => Some(L::Skip.get(lang)),
            Action::Edit => Some(L::CorrectMarks.get(lang)),
            _ => None,
        }
    }

    /// Every mark is stored as it is pressed: going elsewhere loses
    /// nothing, and `.` on the session resumes.
    fn transient(&self) -> bool {
        true
    }

    fn project(&self) -> Option<crate::domain::ProjectId> {
        Some(self.session.project)
    }

    fn context(&self) -> crate::tui::input::action::Context {
        crate::tui::input::action::Context::Attendance
    }

    fn written(&mut self, result: &Result<Vec<registry::Event>, String>, ctx: &mut Ctx) -> bool {
        self.heard(result, ctx);
        false
    }

    fn changed(&mut self, changes: &[registry::Event], ctx: &mut Ctx) {
        self.on_change(changes, ctx)
    }
}
