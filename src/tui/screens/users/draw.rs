//! The users table and the selected user's keys.

use ratatui::Frame;
use ratatui::layout::Constraint::{Fill, Length, Min};
use ratatui::layout::{Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Cell, Paragraph, Row, Table, Wrap};

use super::UsersScreen;
use crate::tui::strings::L;
use crate::tui::widgets::{Ui, empty_note, header_row, table::draw_list};

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
    let header = header_row(&[L::Login, L::Name, L::Role, L::UserKeys, L::UserState], ui);
    let window = s.nav.window(list.height.saturating_sub(3) as usize);
    let rows: Vec<Row> = s.nav.shown[window.clone()]
        .iter()
        .filter_map(|&i| s.users.get(i))
        .map(|u| {
            let state = match &u.removed {
                None => Cell::from(L::UserActive.get(lang)),
                Some(r) => Cell::from(format!(
                    "{} {}",
                    L::UserRemoved.get(lang),
                    crate::registry::shanghai(r.at).format("%Y-%m-%d")
                ))
                .style(th.dim),
            };
            Row::new(vec![
                Cell::from(u.login.clone()),
                Cell::from(u.display_name.clone()),
                Cell::from(u.role.label(lang)),
                Cell::from(u.keys.len().to_string()),
                state,
            ])
        })
        .collect();
    let widths = [Length(16), Fill(1), Length(20), Length(5), Length(18)];
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
