//! A group's workspace: tabs with counts, a sortable and filterable table, and
//! the selected record's details with its whole history.

use ratatui::Frame;
use ratatui::layout::Constraint::{Length, Min, Percentage};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Cell, Paragraph, Row, Table, Tabs};

use super::columns::{Column, columns};
use super::{GroupScreen, Tab};
use crate::tui::strings::L;
use crate::tui::widgets::{Ui, caret, clip, empty_note, table::draw_list, titled};

/// Side by side from this width; stacked below it.
const SIDE_BY_SIDE: u16 = 140;
/// Rows of the ledger tab's budget and monthly-spending panel.
const ANALYSIS_HEIGHT: u16 = 10;

pub fn draw(frame: &mut Frame, area: Rect, ui: &Ui, w: &GroupScreen) {
    let [tabs_area, filter_area, body] =
        Layout::vertical([Length(1), Length(1), Min(1)]).areas(area);
    tabs(frame, tabs_area, ui, w);
    filter_line(frame, filter_area, ui, w);
    // The ledger tab also shows the budget against actual and the monthly
    // spending: under the table when wide, or in the place of the details
    // when they are hidden.
    let analysis = w.tab == Tab::Ledger && body.height >= ANALYSIS_HEIGHT * 2;
    if analysis && body.width >= SIDE_BY_SIDE && w.details_shown {
        let [left, right] = Layout::horizontal([Percentage(60), Percentage(40)]).areas(body);
        let [top, bottom] = Layout::vertical([Min(3), Length(ANALYSIS_HEIGHT)]).areas(left);
        table(frame, top, ui, w);
        ledger_analysis(frame, bottom, ui, w);
        return super::detail::draw(frame, right, ui, w);
    }
    if analysis && !w.details_shown {
        let [top, bottom] = Layout::vertical([Min(3), Length(ANALYSIS_HEIGHT)]).areas(body);
        table(frame, top, ui, w);
        return ledger_analysis(frame, bottom, ui, w);
    }
    // The calendar's week grid takes the whole width, the details below.
    if w.tab == Tab::Calendar && body.width >= super::week::GRID_WIDTH {
        if !w.details_shown {
            return super::week::draw(frame, body, ui, w);
        }
        let [a, b] = Layout::vertical([Percentage(60), Percentage(40)]).areas(body);
        super::week::draw(frame, a, ui, w);
        return super::detail::draw(frame, b, ui, w);
    }
    if !w.details_shown {
        return table(frame, body, ui, w);
    }
    let (table_area, detail_area) = if body.width >= SIDE_BY_SIDE {
        let [a, b] = Layout::horizontal([Percentage(60), Percentage(40)]).areas(body);
        (a, b)
    } else {
        let [a, b] = Layout::vertical([Percentage(55), Percentage(45)]).areas(body);
        (a, b)
    };
    table(frame, table_area, ui, w);
    super::detail::draw(frame, detail_area, ui, w);
}

fn tabs(frame: &mut Frame, area: Rect, ui: &Ui, w: &GroupScreen) {
    let titles: Vec<String> = Tab::ALL
        .iter()
        .map(|t| format!("{} {}", t.label().get(ui.lang), w.count(*t)))
        .collect();
    let index = Tab::ALL.iter().position(|t| *t == w.tab).unwrap_or(0);
    let tabs = Tabs::new(titles)
        .select(index)
        .highlight_style(ui.theme.selected)
        .style(ui.theme.header)
        .divider("|");
    frame.render_widget(tabs, area);
}

fn filter_line(frame: &mut Frame, area: Rect, ui: &Ui, w: &GroupScreen) {
    let lang = ui.lang;
    let t = w.table();
    let counts = format!(
        "{} {} {} {}",
        L::Shown.get(lang),
        t.shown.len(),
        L::Of.get(lang),
        w.len(w.tab)
    );
    let sort_col = columns(w.tab)
        .get(t.sort)
        .map(|c| c.label.get(lang))
        .unwrap_or_default();
    let sort = format!(
        "{} {}{}",
        L::Sorted.get(lang),
        sort_col,
        if t.reverse { " v" } else { " ^" }
    );
    let prompt = format!("/ {}: ", L::FilterPrompt.get(lang));
    let (text, editing) = match &w.filtering {
        Some(input) => (input.value().to_string(), Some(input.visual_cursor())),
        None => (t.query.clone(), None),
    };
    let shown_text = if text.is_empty() && editing.is_some() {
        L::FilterHint.get(lang).to_string()
    } else {
        text.clone()
    };
    let line = Line::from(vec![
        Span::styled(prompt.clone(), ui.theme.key),
        Span::styled(
            shown_text,
            if text.is_empty() {
                ui.theme.dim
            } else {
                ui.theme.accent
            },
        ),
        Span::styled(format!("   {counts}   {sort}"), ui.theme.dim),
    ]);
    frame.render_widget(Paragraph::new(line), area);
    if let Some(cells) = editing {
        let prompt = unicode_width::UnicodeWidthStr::width(prompt.as_str());
        caret(frame, area, prompt + cells);
    }
}

fn table(frame: &mut Frame, area: Rect, ui: &Ui, w: &GroupScreen) {
    let lang = ui.lang;
    let th = ui.theme;
    let nav = w.table();
    let cols = columns(w.tab);
    let d = &w.data;
    // Inside the border, below the header.
    let window = nav.window(area.height.saturating_sub(3) as usize);
    let cells: Vec<Vec<String>> = nav.shown[window.clone()]
        .iter()
        .map(|&r| cols.iter().map(|c| c.cell(d, r, lang)).collect())
        .collect();
    // The cells' room as the table will lay them out: inside the border,
    // after the selection mark, a cell apart.
    let room = Rect {
        width: area.width.saturating_sub(2 + 2),
        ..area
    };
    let widths = column_widths(cols, &cells, lang, room.width);
    let room = Layout::horizontal(widths.clone()).spacing(1).split(room);
    // A header wider than its column is cut like its cells, with a `…`.
    let header = Row::new(
        cols.iter()
            .zip(room.iter())
            .enumerate()
            .map(|(i, (c, at))| {
                let mark = if i == nav.sort {
                    if nav.reverse { " v" } else { " ^" }
                } else {
                    ""
                };
                let label = format!("{}{mark}", c.label.get(lang));
                let label = if c.whole {
                    label
                } else {
                    clip(&label, at.width as usize)
                };
                if c.right {
                    Cell::from(Line::from(label).right_aligned())
                } else {
                    Cell::from(label)
                }
            }),
    )
    .style(th.header);
    let rows: Vec<Row> = cells
        .into_iter()
        .map(|row| {
            Row::new(
                row.into_iter()
                    .zip(cols)
                    .zip(room.iter())
                    .map(|((text, c), at)| {
                        let text = if c.whole {
                            text
                        } else {
                            clip(&text, at.width as usize)
                        };
                        if c.right {
                            Cell::from(Line::from(text).right_aligned())
                        } else {
                            Cell::from(text)
                        }
                    }),
            )
        })
        .collect();
    let mut block = Block::bordered().border_style(if w.details_focused {
        th.border
    } else {
        th.focus_border
    });
    if w.tab == Tab::Ledger {
        block = block.title(Span::styled(
            format!(
                " {} ",
                ledger_summary(ui, w, area.width.saturating_sub(4) as usize)
            ),
            th.header,
        ));
    }
    if rows.is_empty() {
        return empty_note(frame, area, L::Nothing.get(lang), block, ui);
    }
    let table = Table::new(rows, widths).header(header).block(block);
    draw_list(frame, area, table, nav, &window, th);
}

/// Each column's width in `room` cells: a column that is never cut is as
/// wide as its widest cell shown (and its header with the sort mark); the
/// others as declared, narrowed (widest first, to no less than 4) when the
/// room is short, so that text gives way and dates, amounts and vouchers do
/// not.
fn column_widths(
    cols: &[Column],
    cells: &[Vec<String>],
    lang: crate::i18n::Lang,
    room: u16,
) -> Vec<Constraint> {
    use unicode_width::UnicodeWidthStr;
    let declared = |c: &Column| match c.width {
        Length(n) | Min(n) => n,
        _ => 0,
    };
    let mut widths: Vec<u16> = cols
        .iter()
        .enumerate()
        .map(|(i, c)| {
            if !c.whole {
                return declared(c);
            }
            let widest = cells.iter().map(|row| row[i].width()).max().unwrap_or(0);
            let header = c.label.get(lang).width() + 2;
            declared(c).max(widest.max(header) as u16)
        })
        .collect();
    let spacing = cols.len().saturating_sub(1) as u16;
    let mut over = (widths.iter().sum::<u16>() + spacing).saturating_sub(room);
    while over > 0 {
        let widest = (0..cols.len())
            .filter(|&i| !cols[i].whole && widths[i] > 4)
            .max_by_key(|&i| widths[i]);
        let Some(i) = widest else { break };
        widths[i] -= 1;
        over -= 1;
    }
    cols.iter()
        .zip(widths)
        .map(|(c, w)| match c.width {
            Min(_) => Min(w),
            _ => Length(w),
        })
        .collect()
}

/// The group's accounts with their balances, for the ledger table's title:
/// this year's daily fund first with what was allocated, then the others
/// (reward fund, last year's, the base schools') as far as `room` allows:
/// whole accounts only, and `…` when some did not fit (a balance is never
/// cut).
fn ledger_summary(ui: &Ui, w: &GroupScreen, room: usize) -> String {
    let lang = ui.lang;
    let mut parts = Vec::new();
    for a in &w.data.accounts {
        let who = match &a.school {
            Some(name) => format!("{name} "),
            None => String::new(),
        };
        let fund = a.account.fund.short_label(lang);
        let year = a.account.year;
        if a.account.year == w.data.year && a.account.fund == crate::domain::Fund::Daily {
            parts.insert(
                0,
                format!(
                    "{year} {fund} {} {} {} {}",
                    L::Allocated.get(lang),
                    a.allocated.display(),
                    L::Balance.get(lang),
                    a.balance.display()
                ),
            );
        } else {
            parts.push(format!("{who}{year} {fund} {}", a.balance.display()));
        }
    }
    let mut shown = String::new();
    for (i, part) in parts.iter().enumerate() {
        let more = if i + 1 < parts.len() { " | …" } else { "" };
        let next = if i == 0 {
            part.clone()
        } else {
            format!("{shown} | {part}")
        };
        if unicode_width::UnicodeWidthStr::width(format!("{next}{more}").as_str()) > room {
            // The first part (this year's daily fund) is the point of the
            // title; the rest give way to it.
            if i == 0 {
                return clip(part, room);
            }
            return format!("{shown} | …");
        }
        shown = next;
    }
    shown
}

/// Spent on, but not in the plan's budget.
fn is_unbudgeted(l: &crate::domain::BudgetLine) -> bool {
    l.planned.fen() == 0 && l.spent.fen() != 0
}

/// The budget lines shown in `cap` rows, adding up to the same total as
/// `lines`: every unbudgeted category keeps its own row (it is what needs
/// looking at); when not all fit, the planned lines that do not are summed
/// in one "other categories (n)" row.
pub(crate) fn fitted_budget(
    lines: &[crate::domain::BudgetLine],
    cap: usize,
    lang: crate::i18n::Lang,
) -> Vec<crate::domain::BudgetLine> {
    use crate::domain::{BudgetLine, Money};
    if lines.len() <= cap {
        return lines.to_vec();
    }
    let keep = cap.saturating_sub(1);
    let flagged = lines.iter().filter(|l| is_unbudgeted(l)).count().min(keep);
    let mut planned_room = keep - flagged;
    let mut flagged_room = flagged;
    let mut shown = Vec::new();
    let mut rest: Vec<&BudgetLine> = Vec::new();
    for l in lines {
        let room = if is_unbudgeted(l) {
            &mut flagged_room
        } else {
            &mut planned_room
        };
        if *room > 0 {
            *room -= 1;
            shown.push(l.clone());
        } else {
            rest.push(l);
        }
    }
    if !rest.is_empty() {
        shown.push(BudgetLine {
            category: format!("{} ({})", L::MoreCategories.get(lang), rest.len()),
            planned: Money::saturating_sum(rest.iter().map(|l| l.planned)),
            spent: Money::saturating_sum(rest.iter().map(|l| l.spent)),
        });
    }
    shown
}

/// Budget against actual per category (left) and spending by month (right).
fn ledger_analysis(frame: &mut Frame, area: Rect, ui: &Ui, w: &GroupScreen) {
    let chart_width = if area.width >= 100 { 40 } else { 28 };
    let [budget_area, chart_area] = Layout::horizontal([Min(40), Length(chart_width)]).areas(area);
    budget(frame, budget_area, ui, w);
    monthly_chart(frame, chart_area, ui, w);
}

fn budget(frame: &mut Frame, area: Rect, ui: &Ui, w: &GroupScreen) {
    let lang = ui.lang;
    let th = ui.theme;
    let lines = &w.data.budget;
    let planned_any = lines.iter().any(|l| l.planned.fen() > 0);
    let title = if planned_any || lines.is_empty() {
        L::BudgetTitle
    } else {
        L::NoBudget
    };
    let block = Block::bordered()
        .title(Span::styled(format!(" {} ", title.get(lang)), th.header))
        .border_style(th.border);
    if lines.is_empty() {
        return empty_note(frame, area, L::Nothing.get(lang), block, ui);
    }
    // Remaining is left out when narrow: planned less spent can be read off.
    let wide = area.width >= 66;
    let mut heads = vec![L::Category, L::Planned, L::Spent];
    if wide {
        heads.push(L::Remaining);
    }
    heads.push(L::UsedPercent);
    let header = Row::new(heads.iter().map(|h| Cell::from(h.get(lang)))).style(th.header);
    let total = crate::domain::BudgetLine {
        category: L::TotalRow.get(lang).to_string(),
        planned: crate::domain::Money::saturating_sum(lines.iter().map(|l| l.planned)),
        spent: crate::domain::Money::saturating_sum(lines.iter().map(|l| l.spent)),
    };
    // Room for the header and the total: the lines that fit, then the total;
    // what does not fit is summed in one row, so the rows add up.
    let room = (area.height.saturating_sub(3) as usize).max(1);
    let shown = fitted_budget(lines, room.saturating_sub(1).max(1), lang);
    let rows: Vec<Row> = shown
        .iter()
        .chain(std::iter::once(&total))
        .map(|l| {
            let over = l.planned.fen() > 0 && l.spent.fen() > l.planned.fen();
            // Spent without a plan: flagged with words, not colour alone.
            let unbudgeted = is_unbudgeted(l);
            let named = crate::domain::ledger::category_label(&l.category, lang);
            let category = if unbudgeted {
                format!("{named} ! {}", L::Unbudgeted.get(lang))
            } else {
                named.to_string()
            };
            let used = match l.percent_used() {
                Some(p) if over => format!("{p}% !"),
                Some(p) => format!("{p}%"),
                None => "-".into(),
            };
            let mut cells = vec![
                Cell::from(category).style(if unbudgeted { th.warn } else { th.base }),
                Cell::from(l.planned.display()),
                Cell::from(l.spent.display()),
            ];
            if wide {
                cells.push(Cell::from(l.remaining().display()));
            }
            cells.push(Cell::from(used).style(if over { th.warn } else { th.base }));
            let row = Row::new(cells);
            if std::ptr::eq(l, &total) {
                row.style(th.header)
            } else {
                row
            }
        })
        .collect();
    let mut widths = vec![Min(8), Length(13), Length(13)];
    if wide {
        widths.push(Length(13));
    }
    widths.push(Length(7));
    let table = Table::new(rows, widths)
        .header(header)
        .column_spacing(1)
        .block(block);
    frame.render_widget(table, area);
}

fn monthly_chart(frame: &mut Frame, area: Rect, ui: &Ui, w: &GroupScreen) {
    use ratatui::widgets::{Bar, BarChart, BarGroup};
    let lang = ui.lang;
    let th = ui.theme;
    let block = titled(L::MonthlyTitle, lang, th.header, th.border);
    // Twelve bars two cells wide (room for "12" under each), with a gap
    // when there is room; without one, months alternate in shade.
    let gap = u16::from(area.width.saturating_sub(2) >= 35);
    let bars: Vec<Bar> = w
        .data
        .monthly
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let yuan = u64::try_from(m.fen().max(0) / 100).unwrap_or(0);
            Bar::default()
                .value(yuan)
                .label(Line::from(format!("{}", i + 1)))
                .text_value(String::new())
                .style(if gap == 0 && i % 2 == 1 {
                    th.dim
                } else {
                    th.accent
                })
        })
        .collect();
    let peak = w.data.monthly.iter().map(|m| m.fen()).max().unwrap_or(0);
    let chart = BarChart::default()
        .block(block.title_bottom(Span::styled(
            format!(
                " {} {} ",
                lang.pick("最高", "peak"),
                crate::domain::Money(peak).display()
            ),
            th.dim,
        )))
        .data(BarGroup::default().bars(&bars))
        .bar_width(2)
        .bar_gap(gap);
    frame.render_widget(chart, area);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{BudgetLine, Money};
    use crate::i18n::Lang;

    fn line(category: &str, planned: i64, spent: i64) -> BudgetLine {
        BudgetLine {
            category: category.into(),
            planned: Money(planned),
            spent: Money(spent),
        }
    }

    #[test]
    fn budget_rows_add_up_to_the_total_and_keep_every_unbudgeted_category() {
        let lines = vec![
            line("课酬", 12_000_000, 9_000_000),
            line("差旅", 6_000_000, 2_000_000),
            line("资料", 2_000_000, 1_500_000),
            line("竞赛报名", 1_500_000, 700_000),
            line("其他", 1_000_000, 300_000),
            line("场地", 0, 2_413_148),
            line("设备", 0, 100_000),
        ];
        let total = |ls: &[BudgetLine]| {
            (
                Money::saturating_sum(ls.iter().map(|l| l.planned)),
                Money::saturating_sum(ls.iter().map(|l| l.spent)),
            )
        };
        for cap in 1..=8 {
            let shown = fitted_budget(&lines, cap, Lang::Zh);
            assert!(shown.len() <= cap.max(1), "{cap}: {shown:?}");
            assert_eq!(
                total(&shown),
                total(&lines),
                "rows sum to the total at {cap}"
            );
            if cap >= 3 {
                for c in ["场地", "设备"] {
                    assert!(shown.iter().any(|l| l.category == c), "{c} at {cap}");
                }
            }
        }
        assert_eq!(fitted_budget(&lines, 7, Lang::Zh), lines);
    }
}
