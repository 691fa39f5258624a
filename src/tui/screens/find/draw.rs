//! The search line, how many it found, and the hits: who, what, which
//! group, where, at what stage.

use ratatui::Frame;
use ratatui::layout::Constraint::{Length, Min};
use ratatui::layout::{Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Row, Table};

use super::FindScreen;
use crate::tui::model::find::HitKind;
use crate::tui::strings::L;
use crate::tui::widgets::{Ui, caret, empty_note, header_row, table::draw_list};

pub fn draw(frame: &mut Frame, area: Rect, ui: &Ui, s: &FindScreen) {
    let lang = ui.lang;
    let th = ui.theme;
    let [line, help, body] = Layout::vertical([Length(1), Length(1), Min(3)]).areas(area);
    let prompt = format!("/{}: ", L::FindPrompt.get(lang));
    let found = format!(
        "   {} {} / {}",
        L::Shown.get(lang),
        s.nav.shown.len(),
        s.hits.len()
    );
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(prompt.clone(), th.dim),
            Span::styled(s.input.value().to_string(), th.base),
            Span::styled(found, th.dim),
        ])),
        line,
    );
    let width = unicode_width::UnicodeWidthStr::width(prompt.as_str());
    if s.typing {
        caret(frame, line, width + s.input.visual_cursor());
    }
    frame.render_widget(
        Paragraph::new(Span::styled(L::FilterWords.get(lang), th.dim)),
        help,
    );
    let block = Block::bordered().border_style(th.focus_border);
    if s.nav.shown.is_empty() {
        return empty_note(frame, body, L::Nothing.get(lang), block, ui);
    }
    let header = header_row(&[L::Name, L::Kind, L::Group, L::Stage, L::School], ui);
    let window = s.nav.window(body.height.saturating_sub(3) as usize);
    let rows: Vec<Row> = s.nav.shown[window.clone()]
        .iter()
        .map(|&i| {
            let h = &s.hits[i];
            let kind = match h.kind {
                HitKind::Trainee => L::HitTrainee,
                HitKind::Coach => L::HitCoach,
                HitKind::School => L::HitSchool,
            };
            Row::new(vec![
                h.name.clone(),
                kind.get(lang).to_string(),
                h.project.group_name(lang),
                h.stage(lang).to_string(),
                h.school.clone(),
            ])
        })
        .collect();
    let widths = [Length(10), Length(8), Length(18), Length(12), Min(8)];
    let table = Table::new(rows, widths).header(header).block(block);
    draw_list(frame, body, table, &s.nav, &window, th);
}
