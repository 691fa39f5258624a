//! The semester assessment session: progress, the roster with each result,
//! the score and note waiting for the next result; then the summary with the
//! failed trainees queued for withdrawal.

use ratatui::Frame;
use ratatui::layout::Constraint::{Length, Min};
use ratatui::layout::{Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Cell, Gauge, Paragraph, Row, Table, Wrap};

use super::AssessmentScreen;
use crate::domain::{Outcome, TraineeKind};
use crate::tui::strings::L;
use crate::tui::widgets::table::{clip_to, column_widths, draw_list};
use crate::tui::widgets::{Ui, caret, empty_note, header_row, titled};

pub fn draw(frame: &mut Frame, area: Rect, ui: &Ui, s: &AssessmentScreen) {
    let [head, gauge, body, pending] =
        Layout::vertical([Length(1), Length(1), Min(3), Length(1)]).areas(area);
    heading(frame, head, ui, s);
    progress(frame, gauge, ui, s);
    match &s.summary {
        Some(_) => summary(frame, body, ui, s),
        None => roster(frame, body, ui, s),
    }
    pending_line(frame, pending, ui, s);
}

fn heading(frame: &mut Frame, area: Rect, ui: &Ui, s: &AssessmentScreen) {
    let lang = ui.lang;
    let scope = match s.scope {
        Some(p) => p.group_name(lang),
        None => L::AllGroups.get(lang).to_string(),
    };
    let title = match s.summary {
        Some(_) => format!(
            " {} · {}",
            L::AssessmentSession.get(lang),
            L::SummaryTitle.get(lang)
        ),
        None => format!(" {}", L::AssessmentSession.get(lang)),
    };
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(title, ui.theme.header),
            Span::styled(
                format!("  {}  {scope}", s.semester.label(lang)),
                ui.theme.base,
            ),
            Span::styled(format!("   {}", L::SemesterKeys.get(lang)), ui.theme.dim),
        ])),
        area,
    );
}

fn progress(frame: &mut Frame, area: Rect, ui: &Ui, s: &AssessmentScreen) {
    let total = s.rows.len();
    let done = s.done();
    let ratio = if total == 0 {
        0.0
    } else {
        done as f64 / total as f64
    };
    let gauge = Gauge::default()
        .gauge_style(ui.theme.accent)
        .ratio(ratio)
        .label(format!("{} {done} / {total}", L::Progress.get(ui.lang)));
    frame.render_widget(gauge, area);
}

fn outcome_cell<'a>(ui: &Ui, outcome: Option<Outcome>, skipped: bool) -> Cell<'a> {
    let lang = ui.lang;
    match outcome {
        Some(Outcome::Pass) => {
            Cell::from(format!("+ {}", L::Passed.get(lang))).style(ui.theme.good)
        }
        Some(Outcome::Fail) => Cell::from(format!("x {}", L::Failed.get(lang))).style(ui.theme.bad),
        None if skipped => Cell::from(format!("> {}", L::Skipped.get(lang))).style(ui.theme.warn),
        None => Cell::from(format!("  {}", L::NoResult.get(lang))).style(ui.theme.dim),
    }
}

fn roster(frame: &mut Frame, area: Rect, ui: &Ui, s: &AssessmentScreen) {
    let lang = ui.lang;
    let th = ui.theme;
    let block = Block::bordered().border_style(th.focus_border);
    if s.rows.is_empty() {
        return empty_note(frame, area, L::NobodyEnrolled.get(lang), block, ui);
    }
    let header = header_row(
        &[
            L::Name,
            L::Kind,
            L::Attendance,
            L::HomeSchool,
            L::Result,
            L::Score,
            L::Note,
        ],
        ui,
    );
    let widths = [
        Length(if s.scope.is_none() { 16 } else { 10 }),
        Length(8),
        Length(6),
        Min(12),
        Length(10),
        Length(6),
        Min(8),
    ];
    // Text wider than its column is cut with a visible `…`.
    let columns = column_widths(&widths, area);
    let window = s.nav.window(area.height.saturating_sub(3) as usize);
    let rows: Vec<Row> = s.rows[window.clone()]
        .iter()
        .map(|row| {
            let t = &row.trainee;
            let a = row.result.as_ref();
            let mut name = t.name.clone();
            if s.scope.is_none() {
                name = format!("{} {}", t.project.name(lang), name);
            }
            Row::new(vec![
                Cell::from(clip_to(&name, &columns, 0)),
                Cell::from(match t.kind {
                    TraineeKind::Student => L::Student.get(lang),
                    TraineeKind::Teacher => L::Teacher.get(lang),
                }),
                match row.attendance {
                    Some(p) if p < s.attendance_threshold(t.project) => {
                        Cell::from(format!("{p}%")).style(th.warn)
                    }
                    Some(p) => Cell::from(format!("{p}%")),
                    None => Cell::from("-").style(th.dim),
                },
                Cell::from(clip_to(&t.home_school, &columns, 3)),
                outcome_cell(ui, a.map(|a| a.outcome), s.skipped.contains(&t.id)),
                Cell::from(
                    a.and_then(|a| a.score)
                        .map(|x| x.to_string())
                        .unwrap_or_default(),
                ),
                Cell::from(clip_to(a.map_or("", |a| a.note.as_str()), &columns, 6)),
            ])
        })
        .collect();
    let table = Table::new(rows, widths).header(header).block(block);
    draw_list(frame, area, table, &s.nav, &window, ui.theme);
}

fn summary(frame: &mut Frame, area: Rect, ui: &Ui, s: &AssessmentScreen) {
    let lang = ui.lang;
    let th = ui.theme;
    let Some(sum) = &s.summary else { return };
    let question = s.withdraw_all_question(lang);
    // The question takes the rows its names need, up to half the pane.
    let tall = question.as_ref().map_or(3, |q| {
        let inner = usize::from(area.width.saturating_sub(2)).max(1);
        let rows = unicode_width::UnicodeWidthStr::width(q.as_str()).div_ceil(inner) + 1;
        u16::try_from(rows + 2)
            .unwrap_or(u16::MAX)
            .min(area.height / 2)
            .max(3)
    });
    let [counts, queue] = Layout::vertical([Length(tall), Min(3)]).areas(area);
    let line = Line::from(vec![
        Span::styled(format!(" {} {}", L::Passed.get(lang), sum.passed), th.good),
        Span::raw("   "),
        Span::styled(format!("{} {}", L::Failed.get(lang), sum.failed), th.bad),
        Span::raw("   "),
        Span::styled(format!("{} {}", L::Skipped.get(lang), sum.skipped), th.warn),
        Span::raw("   "),
        Span::styled(
            format!("{} {}", L::NotAssessed.get(lang), sum.missing),
            th.dim,
        ),
    ]);
    match question {
        // W waits for yes or no: the question, naming everyone.
        Some(question) => frame.render_widget(
            Paragraph::new(Span::styled(question, th.warn))
                .block(Block::bordered().border_style(th.focus_border))
                .wrap(Wrap { trim: true }),
            counts,
        ),
        None => frame.render_widget(
            Paragraph::new(line).block(Block::bordered().border_style(th.border)),
            counts,
        ),
    }
    let block = titled(L::WithdrawQueue, lang, th.header, th.focus_border);
    if sum.queue.is_empty() {
        let p = Paragraph::new(L::NothingFailed.get(lang))
            .style(th.dim)
            .block(block)
            .wrap(Wrap { trim: true });
        return frame.render_widget(p, queue);
    }
    let widths = [Length(12), Min(12), Length(12)];
    let columns = column_widths(&widths, queue);
    let window = sum.nav.window(queue.height.saturating_sub(2) as usize);
    let rows: Vec<Row> = sum.queue[window.clone()]
        .iter()
        .map(|f| {
            let status = if f.withdrawn {
                Cell::from(format!("+ {}", L::Withdrawn.get(lang))).style(th.good)
            } else {
                Cell::from(format!("? {}", L::ToConfirm.get(lang))).style(th.warn)
            };
            Row::new(vec![
                Cell::from(clip_to(&f.trainee.name, &columns, 0)),
                Cell::from(clip_to(&f.trainee.home_school, &columns, 1)),
                status,
            ])
        })
        .collect();
    let table = Table::new(rows, widths).block(block);
    draw_list(frame, queue, table, &sum.nav, &window, ui.theme);
}

/// The score and note for the next result, or the input where they are typed.
fn pending_line(frame: &mut Frame, area: Rect, ui: &Ui, s: &AssessmentScreen) {
    let lang = ui.lang;
    let th = ui.theme;
    if let Some(input) = &s.input {
        let prompt = format!(" {}: ", L::ScorePrompt.get(lang));
        let width = unicode_width::UnicodeWidthStr::width(prompt.as_str());
        frame.render_widget(
            Paragraph::new(Line::from(vec![
                Span::styled(prompt, th.dim),
                Span::styled(input.value().to_string(), th.base),
            ])),
            area,
        );
        caret(frame, area, width + input.visual_cursor());
        return;
    }
    if s.pending_score.is_some() || !s.pending_note.is_empty() {
        let score = s.pending_score.map(|x| x.to_string()).unwrap_or_default();
        frame.render_widget(
            Paragraph::new(Span::styled(
                format!(
                    " {}: {} {score}  {} {}",
                    L::Pending.get(lang),
                    L::Score.get(lang),
                    L::Note.get(lang),
                    s.pending_note
                ),
                th.accent,
            )),
            area,
        );
    }
}
