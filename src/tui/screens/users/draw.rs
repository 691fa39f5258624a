//! The users table and the selected user's keys.

use ratatui::Frame;
use ratatui::layout::Constraint::{Length, Min};
use ratatui::layout::{Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Cell, Paragraph, Row, Table, Wrap};

use super::UsersScreen;
use crate::tui::strings::L;
use crate::tui::widgets::table::{draw_list, fitted};
use crate::tui::widgets::{Ui, empty_note, header_row};

pub fn draw(frame: &mut Frame, area: Rect, ui: &Ui, s: &UsersScreen) {
    let lang = ui.lang;
    let th = ui.theme;
    let [list, detail] = Layout::vertical([Min(5), Length(6)]).areas(area);
    let block = Block::bordered()
        .title(format!(" {} ({}) ", L::UsersTitle.get(lang), s.users.len()))
        .border_style(th.focus_border);
    if s.users.is_empty() {
        return empty_note(frame, list, L::NoUsers.get(lang), block, ui);
    }
    let labels = [L::Login, L::Name, L::Role, L::UserKeys, L::UserState];
    let header = header_row(&labels, ui);
    let headers: Vec<&str> = labels.iter().map(|l| l.get(lang)).collect();
    let window = s.nav.window(list.height.saturating_sub(3) as usize);
    // Every column as wide as its widest cell; when the room is short the
    // widest text gives way, cut with a visible `…`.
    let mut cells: Vec<Vec<String>> = s
        .users
        .iter()
        .map(|u| {
            let state = match &u.removed {
                None => L::UserActive.get(lang).to_string(),
                Some(r) => format!(
                    "{} {}",
                    L::UserRemoved.get(lang),
                    crate::registry::shanghai(r.at).format("%Y-%m-%d")
                ),
            };
            vec![
                u.login.clone(),
                u.display_name.clone(),
                u.role.label(lang),
                u.keys.len().to_string(),
                state,
            ]
        })
        .collect();
    let room = list.width.saturating_sub(4);
    let widths = fitted(
        &mut cells,
        &headers,
        &[false, false, false, true, true],
        room,
    );
    let rows: Vec<Row> = s.nav.shown[window.clone()]
        .iter()
        .filter_map(|&i| {
            let removed = s.users.get(i)?.removed.is_some();
            let row = std::mem::take(cells.get_mut(i)?);
            let cells = row.into_iter().enumerate().map(|(c, text)| {
                let cell = Cell::from(text);
                if c == 4 && removed {
                    cell.style(th.dim)
                } else {
                    cell
                }
            });
            Some(Row::new(cells.collect::<Vec<_>>()))
        })
        .collect();
    let table = Table::new(rows, widths).header(header).block(block);
    draw_list(frame, list, table, &s.nav, &window, ui.theme);

    let mut lines = Vec::new();
    if let Some(u) = s.selected() {
        let language = match u.lang {
            Some(crate::i18n::Lang::Zh) => lang.pick("中文", "Chinese"),
            Some(crate::i18n::Lang::En) => lang.pick("英文", "English"),
            None => lang.pick("随服务器", "the server's"),
        };
        lines.push(Line::from(format!(
            "{}: {}   {}: {}   {}: {language}",
            L::Login.get(lang),
            u.login,
            L::AddedBy.get(lang),
            u.added_by,
            lang.pick("语言", "Language"),
        )));
        if u.keys.is_empty() {
            lines.push(Line::styled(
                lang.pick(
                    "（无公钥，不能通过 SSH 登录）",
                    "(no key: cannot log in over SSH)",
                ),
                th.dim,
            ));
        }
        for k in &u.keys {
            lines.push(Line::from(format!(
                "{} {} {}",
                k.algorithm(),
                k.fingerprint,
                k.comment
            )));
        }
    }
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: true })
            .block(Block::bordered().border_style(th.border)),
        detail,
    );
}
