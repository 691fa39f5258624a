//! The import's report: a heading with the file and the group, the counts,
//! the question (or why there is none), then the bad rows, the rows to
//! create and those already recorded, scrolled in one pane.

use std::sync::atomic::Ordering;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::ImportScreen;
use crate::i18n::{Lang, Localized};
use crate::tui::strings::L;
use crate::tui::widgets::{Ui, scrolled_in};

pub fn draw(frame: &mut Frame, area: Rect, ui: &Ui, s: &ImportScreen) {
    let (lang, th) = (ui.lang, ui.theme);
    let [head, counts, question, body] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(3),
    ])
    .areas(area);
    let r = &s.report;
    let bad = r.bad_lines().len();
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(
                format!(
                    " {} {}  ",
                    L::ImportInto.get(lang),
                    s.project.group_name(lang)
                ),
                th.header,
            ),
            Span::styled(s.file.clone(), th.base),
        ])),
        head,
    );
    let summary = match lang {
        Lang::Zh => format!(
            " 共 {} 行：将新建 {} 名，已在系统中 {} 行，有问题 {bad} 行",
            r.rows,
            r.create.len(),
            r.already.len()
        ),
        Lang::En => format!(
            " {} rows: {} to create, {} already recorded, {bad} bad",
            r.rows,
            r.create.len(),
            r.already.len()
        ),
    };
    frame.render_widget(Paragraph::new(summary).style(th.base), counts);
    let (ask, style) = if s.importable() {
        let skipped = match (bad, lang) {
            (0, _) => String::new(),
            (n, Lang::Zh) => format!("（跳过 {n} 行有问题的行）"),
            (n, Lang::En) => format!(" (skipping the {n} bad rows)"),
        };
        let n = r.create.len();
        let ask = match lang {
            Lang::Zh => format!(" 导入这 {n} 名学员？{skipped}"),
            Lang::En => format!(" Import these {n} trainees?{skipped}"),
        };
        (ask, th.accent)
    } else if r.create.is_empty() {
        (format!(" {}", L::ImportNothingNew.get(lang)), th.dim)
    } else {
        (format!(" ! {}", L::ImportFixFirst.get(lang)), th.warn)
    };
    frame.render_widget(Paragraph::new(ask).style(style), question);
    let block = Block::bordered().border_style(th.focus_border);
    let max = scrolled_in(frame, body, block, lines(ui, s), s.scroll);
    s.scroll_max.store(max, Ordering::Relaxed);
}

/// The report's body: bad rows first, since they decide whether anything
/// can be imported.
fn lines(ui: &Ui, s: &ImportScreen) -> Vec<Line<'static>> {
    let (lang, th) = (ui.lang, ui.theme);
    let r = &s.report;
    let section = |l: L, n: usize| {
        Line::from(Span::styled(
            format!("-- {} ({n}) --", l.get(lang)),
            th.header,
        ))
    };
    let mut out = Vec::new();
    if !r.problems.is_empty() {
        out.push(section(L::ImportBadRows, r.bad_lines().len()));
        for p in &r.problems {
            out.push(Line::from(Span::styled(
                format!("! {}", p.localized(lang)),
                th.warn,
            )));
        }
    }
    if !r.unknown_columns.is_empty() {
        let cols: Vec<String> = r
            .unknown_columns
            .iter()
            .map(|c| crate::safe_text::one_line(c))
            .collect();
        out.push(Line::from(Span::styled(
            format!(
                "{}{}",
                L::ImportUnknownColumns.get(lang),
                cols.join(lang.pick("、", ", "))
            ),
            th.dim,
        )));
    }
    if let Some(date) = r.default_date {
        out.push(Line::from(Span::styled(
            match lang {
                Lang::Zh => format!("名单没有申报日期一列：各行记为 {date}（导入之日）"),
                Lang::En => {
                    format!("No application-date column: every row is dated {date} (today)")
                }
            },
            th.warn,
        )));
    }
    if !r.warnings.is_empty() {
        out.push(section(L::ImportCheck, r.warnings.len()));
        for (line, w) in &r.warnings {
            out.push(Line::from(vec![
                Span::styled(line_label(*line, lang), th.dim),
                Span::styled(w.localized(lang), th.warn),
            ]));
        }
    }
    out.push(section(L::ImportCreate, r.create.len()));
    for row in &r.create {
        let i = &row.input;
        out.push(Line::from(vec![
            Span::styled(line_label(row.line, lang), th.dim),
            Span::raw(format!(
                "{}  {}  {}  {}  {}  {}",
                i.name,
                i.gender.label(lang),
                i.home_school,
                i.district,
                i.grade,
                i.date
            )),
        ]));
    }
    if !r.already.is_empty() {
        out.push(section(L::ImportAlready, r.already.len()));
        for (line, id) in &r.already {
            out.push(Line::from(vec![
                Span::styled(line_label(*line, lang), th.dim),
                Span::raw(format!("{} {id}", L::RecordId.get(lang))),
            ]));
        }
    }
    out
}

/// "第 3 行  " / "line 3  ".
fn line_label(line: usize, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("第 {line} 行  "),
        Lang::En => format!("line {line}  "),
    }
}
