//! The ledger overview: every group's and base school's account of one year
//! with allocated, spent, balance and the share used, and a total line.

use ratatui::Frame;
use ratatui::layout::Constraint::{Fill, Length, Min};
use ratatui::layout::{Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Cell, HighlightSpacing, Paragraph, Row, Table};

use super::LedgerScreen;
use crate::domain::{Holder, Money};
use crate::tui::strings::L;
use crate::tui::widgets::{Ui, clip, empty_note, table::draw_list, years_line};

pub fn draw(frame: &mut Frame, area: Rect, ui: &Ui, l: &LedgerScreen) {
    let lang = ui.lang;
    let th = ui.theme;
    let [head, body, total] = Layout::vertical([Length(1), Min(3), Length(1)]).areas(area);
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(
                format!(" {} {}  ", L::LedgerOverview.get(lang), l.data.year),
                th.header,
            ),
            Span::styled(years_line(&l.data.years, l.data.year), th.base),
            Span::styled(format!("   {}", L::YearKeys.get(lang)), th.dim),
        ])),
        head,
    );

    let block = Block::bordered().border_style(th.focus_border);
    if l.data.lines.is_empty() {
        return empty_note(frame, body, L::NoAccounts.get(lang), block, ui);
    }
    // Money headers over their right-aligned amounts.
    let header = Row::new([
        Cell::from(L::AccountHolder.get(lang)),
        Cell::from(L::Fund.get(lang)),
        Cell::from(Line::from(L::Allocated.get(lang)).right_aligned()),
        Cell::from(Line::from(L::Spent.get(lang)).right_aligned()),
        Cell::from(Line::from(format!("{}  ", L::Balance.get(lang))).right_aligned()),
        Cell::from(Line::from(L::UsedPercent.get(lang)).right_aligned()),
    ])
    .style(th.header);
    let window = l.nav.window(body.height.saturating_sub(3) as usize);
    // The holder's room: what the border, the mark, the other columns and
    // the gaps leave. A long school name gives way, with a visible mark;
    // the money never does.
    let fixed: u16 = 8 + 13 + 13 + 15 + 4 + 5;
    let room = body.width.saturating_sub(2 + 2 + fixed) as usize;
    let money = |m: String| Cell::from(Line::from(m).right_aligned());
    let rows: Vec<Row> = l.nav.shown[window.clone()]
        .iter()
        .filter_map(|&i| l.data.lines.get(i))
        .map(|line| {
            let holder = match line.account.holder {
                Holder::Project(p) => p.group_name(lang),
                Holder::School(id) => line.school.clone().unwrap_or_else(|| id.to_string()),
            };
            let low = line.allocated.fen() > 0 && line.balance.fen() * 10 < line.allocated.fen();
            let balance = if low {
                // A mark as well as a colour: under a tenth left.
                money(format!("{} !", line.balance.display())).style(th.warn)
            } else {
                money(format!("{}  ", line.balance.display()))
            };
            Row::new(vec![
                Cell::from(clip(&holder, room)),
                Cell::from(line.account.fund.short_label(lang)),
                money(line.allocated.display()),
                money(line.spent.display()),
                balance,
                money(used(line.spent, line.allocated)),
            ])
        })
        .collect();
    let widths = [
        Fill(1),
        Length(8),
        Length(13),
        Length(13),
        Length(15),
        Length(4),
    ];
    let table = Table::new(rows, widths).header(header).block(block);
    draw_list(frame, body, table, &l.nav, &window, ui.theme);

    let sum = |f: fn(&crate::tui::model::LedgerLine) -> Money| {
        Money::saturating_sum(l.data.lines.iter().map(f))
    };
    let (allocated, spent, balance) = (sum(|x| x.allocated), sum(|x| x.spent), sum(|x| x.balance));
    // The total under the columns it sums: the same widths, inside the
    // table's border.
    let total_row = Row::new(vec![
        Cell::from(format!(
            "{} ({})",
            L::TotalRow.get(lang),
            l.data.lines.len()
        )),
        Cell::from(""),
        money(allocated.display()),
        money(spent.display()),
        money(format!("{}  ", balance.display())),
        money(used(spent, allocated)),
    ])
    .style(th.header);
    let totals = Table::new([total_row], widths)
        .column_spacing(1)
        .highlight_symbol("> ")
        .highlight_spacing(HighlightSpacing::Always);
    let inside = Rect {
        x: total.x + 1,
        width: total.width.saturating_sub(2),
        ..total
    };
    frame.render_widget(totals, inside);
}

/// `37%`, or `-` when nothing was allocated.
pub fn used(spent: Money, of: Money) -> String {
    if of.fen() <= 0 {
        return "-".into();
    }
    format!("{}%", spent.fen() * 100 / of.fen())
}
