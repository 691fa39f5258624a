//! The frame around the screens: the title bar, the footer with the status
//! or hints generated from the keymap, the loading and "enlarge the window"
//! screens. It draws from a `View` of the App's state; nothing here reads
//! the store or changes state.

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::View;
use crate::tui::ctx::Status;
use crate::tui::input::action::{Action, Context};
use crate::tui::strings::L;

pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

pub fn draw(frame: &mut Frame, app: &View) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        return too_small(frame, area, app);
    }
    // A status longer than the line takes up to three, then ends in `…`.
    let footer_lines = footer_lines(app, area.width);
    let [title, body, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(footer_lines.len().clamp(1, FOOTER_ROWS) as u16),
    ])
    .areas(area);
    title_bar(frame, title, app);
    let Some(top) = app.top else {
        let text = format!("{} ...", L::Loading.get(app.lang));
        frame.render_widget(
            Paragraph::new(text)
                .alignment(Alignment::Center)
                .style(app.theme.dim),
            centered_line(body),
        );
        return footer_bar(frame, footer, footer_lines);
    };
    let body = match &app.server_warning {
        // On the bottom screen (the overview) alone.
        Some(warning) if app.at_bottom => {
            // Above the groups, on two lines when one is too narrow.
            use unicode_width::UnicodeWidthStr;
            let text = format!("! {}", crate::safe_text::one_line(warning));
            let lines = if text.width() > usize::from(body.width) {
                2
            } else {
                1
            };
            let [line, rest] =
                Layout::vertical([Constraint::Length(lines), Constraint::Min(1)]).areas(body);
            frame.render_widget(
                Paragraph::new(text)
                    .wrap(Wrap { trim: true })
                    .style(app.theme.warn),
                line,
            );
            rest
        }
        _ => body,
    };
    top.draw(frame, body, &app.ui());
    footer_bar(frame, footer, footer_lines);
    super::overlay::draw(frame, area, app);
}

fn too_small(frame: &mut Frame, area: Rect, app: &View) {
    let text = format!(
        "{} ({} x {})",
        L::Enlarge.get(app.lang),
        area.width,
        area.height
    );
    let p = Paragraph::new(text)
        .wrap(Wrap { trim: true })
        .alignment(Alignment::Center)
        .style(app.theme.warn);
    let h = area.height.min(3);
    let y = area.y + area.height.saturating_sub(h) / 2;
    frame.render_widget(
        p,
        Rect {
            x: area.x,
            y,
            width: area.width,
            height: h,
        },
    );
}

fn centered_line(area: Rect) -> Rect {
    Rect {
        x: area.x,
        y: area.y + area.height / 2,
        width: area.width,
        height: 1.min(area.height),
    }
}

fn title_bar(frame: &mut Frame, area: Rect, app: &View) {
    use unicode_width::UnicodeWidthStr;
    let lang = app.lang;
    let screen = match app.top {
        Some(top) => top.title(lang),
        None => L::Overview.get(lang).to_string(),
    };
    let (semester, today) = match app.today {
        Some(today) => (
            Some(crate::domain::Semester::containing(today).label(lang)),
            Some(today.to_string()),
        ),
        None => (None, None),
    };
    // Who is logged in and their role at the right.
    let who = format!(" {} · {} ", app.actor.login, app.actor.role.label(lang));
    let (left, who) = title_parts(
        usize::from(area.width),
        &who,
        lang.pick("强基 Qiangji", "Qiangji"),
        &screen,
        semester.as_deref(),
        today.as_deref(),
    );
    let who_width = who.width().min(usize::from(area.width)) as u16;
    let [left_area, right] =
        Layout::horizontal([Constraint::Min(1), Constraint::Length(who_width)]).areas(area);
    frame.render_widget(Paragraph::new(left).style(app.theme.title), left_area);
    frame.render_widget(
        Paragraph::new(who)
            .alignment(Alignment::Right)
            .style(app.theme.title),
        right,
    );
}

/// The title bar's two texts in `width` cells: the left (program, screen,
/// semester, date) and who is logged in. On a narrow terminal the
/// program's name gives way first, then the semester; the screen's name and
/// the date stay. What still does not fit is cut with a visible `…`: who
/// first (down to half the bar), then the left.
fn title_parts(
    width: usize,
    who: &str,
    program: &str,
    screen: &str,
    semester: Option<&str>,
    today: Option<&str>,
) -> (String, String) {
    use unicode_width::UnicodeWidthStr;
    let build = |name: bool, term: bool| {
        let mut parts = Vec::new();
        if name {
            parts.push(program);
        }
        parts.push(screen);
        if term {
            parts.extend(semester);
        }
        parts.extend(today);
        format!(" {}", parts.join(" | "))
    };
    let fits = |left: &String| left.width() + who.width() <= width;
    if let Some(left) = [(true, true), (false, true), (false, false)]
        .into_iter()
        .map(|(n, t)| build(n, t))
        .find(fits)
    {
        return (left, who.to_string());
    }
    let left = build(false, false);
    let who_room = width.saturating_sub(left.width()).max(width / 2);
    let who = if who.width() > who_room {
        // The space before the right edge stays.
        format!(
            "{} ",
            super::clip(who.trim_end(), who_room.saturating_sub(1))
        )
    } else {
        who.to_string()
    };
    let left = super::clip(&left, width.saturating_sub(who.width()));
    (left, who)
}

/// Rows the status may take at the foot of the screen.
const FOOTER_ROWS: usize = 3;

/// The footer's rows: the status message if there is one, wrapped onto up
/// to `FOOTER_ROWS` rows (the last cut with `…` if it is longer still), else
/// one row of hints generated from the keymap.
fn footer_lines(app: &View, width: u16) -> Vec<Line<'static>> {
    let (text, style) = match app.status {
        Some(Status::Info(m)) => (format!(" {m}"), app.theme.good),
        Some(Status::Error(m)) => (format!(" ! {m}"), app.theme.bad),
        None => return vec![hints(app, width)],
    };
    let text = text.replace(['\n', '\r', '\t'], " ");
    wrap_cells(&text, usize::from(width), FOOTER_ROWS)
        .into_iter()
        .map(|row| Line::from(Span::styled(row, style)))
        .collect()
}

/// `text` in rows of at most `width` cells, at most `rows` of them, broken
/// at a space when one is near the end of a row (CJK text breaks anywhere);
/// the last row ends in `…` when text is left over.
pub fn wrap_cells(text: &str, width: usize, rows: usize) -> Vec<String> {
    use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};
    let width = width.max(2);
    let mut out: Vec<String> = Vec::new();
    let mut rest = text;
    while !rest.is_empty() && out.len() < rows {
        // Rows after the first keep its one-cell indent.
        let indent = if out.is_empty() { "" } else { " " };
        let room = width - indent.len();
        if rest.width() <= room {
            out.push(format!("{indent}{rest}"));
            break;
        }
        if out.len() + 1 == rows {
            out.push(format!("{indent}{}", super::clip(rest, room)));
            break;
        }
        // The longest head that fits.
        let mut used = 0;
        let mut end = 0;
        for (i, c) in rest.char_indices() {
            let w = c.width().unwrap_or(0);
            if used + w > room {
                break;
            }
            used += w;
            end = i + c.len_utf8();
        }
        if end == 0 {
            break;
        }
        // Break after a space within the row's last third, if any.
        let head = &rest[..end];
        let at = match head.rfind(' ') {
            Some(i) if i > 0 && head[..i].width() >= room * 2 / 3 => i + 1,
            _ => end,
        };
        out.push(format!("{indent}{}", rest[..at].trim_end()));
        rest = rest[at..].trim_start();
    }
    out
}

fn footer_bar(frame: &mut Frame, area: Rect, lines: Vec<Line<'static>>) {
    frame.render_widget(Paragraph::new(lines), area);
}

/// Whether the open form fills a field from the records (ctrl-t).
fn fills(app: &View) -> bool {
    matches!(app.overlay, Some(super::overlay::Overlay::Form(f)) if f.sheet().fills)
}

/// Whether the open form holds values someone else saved, for the take key.
fn form_holds_theirs(app: &View) -> bool {
    matches!(app.overlay, Some(super::overlay::Overlay::Form(f)) if f.sheet().theirs_held)
}

fn hints(app: &View, width_limit: u16) -> Line<'static> {
    use Action as A;
    use unicode_width::UnicodeWidthStr;
    let actions: &[Action] = match app.context {
        // Their values first, while the form holds them.
        Context::Form if form_holds_theirs(app) => &[A::TakeTheirs, A::Submit, A::Cancel],
        Context::Form if fills(app) => &[A::NextField, A::Submit, A::Fill, A::Cancel],
        Context::Form => &[A::NextField, A::Submit, A::Cancel],
        Context::Confirm => &[A::Yes, A::No],
        Context::Input => &[A::Confirm, A::Clear],
        _ => app.top.map_or(&[][..], |s| s.hints()),
    };
    let mut spans = vec![Span::raw(" ")];
    if !app.pending.is_empty() {
        let typed: Vec<String> = app.pending.iter().map(|k| k.to_string()).collect();
        spans.push(Span::styled(
            format!("{} ... ", typed.join(" ")),
            app.theme.accent,
        ));
    }
    // Hints in order of importance, as many as fit whole.
    let mut used = 1;
    for a in actions {
        let Some(keys) = app.keymap.key_for(*a) else {
            continue;
        };
        let (keys, label) = if matches!(a, A::Group(_)) {
            (
                "1-6".to_string(),
                app.lang.pick("进入项目组", "open a group"),
            )
        } else {
            let label = match a {
                A::TakeTheirs => Some(app.lang.pick("取用他人保存的值", "take their values")),
                _ => app.top.and_then(|s| s.hint_label(*a, app.lang)),
            };
            (
                keys.to_string(),
                label.unwrap_or_else(|| a.describe(app.lang)),
            )
        };
        let label = format!(" {label}  ");
        let width = UnicodeWidthStr::width(keys.as_str()) + UnicodeWidthStr::width(label.as_str());
        if used + width > usize::from(width_limit) {
            break;
        }
        used += width;
        spans.push(Span::styled(keys, app.theme.key));
        spans.push(Span::styled(label, app.theme.dim));
    }
    Line::from(spans)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use crate::domain::{Actor, ProjectId, Role};
    use crate::i18n::Lang;
    use crate::tui::app::App;
    use crate::tui::files::RemoteFiles;
    use crate::tui::keymap::Keymap;
    use crate::tui::theme::ColorMode;

    /// A server whose last backup failed.
    struct Failing;

    impl RemoteFiles for Failing {
        fn uploads(&self) -> Vec<String> {
            Vec::new()
        }
        fn read_upload(&self, _: &str) -> std::io::Result<Vec<u8>> {
            Err(std::io::ErrorKind::NotFound.into())
        }
        fn fetch_line(&self, _: &str) -> String {
            String::new()
        }
        fn upload_line(&self, _: Lang) -> String {
            String::new()
        }
        fn server_warning(&self, lang: Lang) -> Option<String> {
            Some(
                lang.pick(
                    "备份失败（2026-12-03 02:00）：磁盘已满",
                    "backup failed (2026-12-03 02:00): the disk is full",
                )
                .into(),
            )
        }
    }

    fn screen(role: Role, lang: Lang) -> String {
        let dir = tempfile::tempdir().unwrap();
        let registry = Arc::new(crate::demo::fixed_city(dir.path()).unwrap());
        let mut actor = Actor::admin("li");
        actor.role = role;
        let mut app = App::with_registry(
            lang,
            Keymap::default_keymap(),
            ColorMode::None,
            actor,
            registry,
        );
        app.set_remote(Arc::new(Failing));
        let buffer = crate::tui::term::scenes::capture(&mut app, &[], 80, 24);
        crate::tui::term::screenshot::to_text(&buffer)
    }

    #[test]
    fn a_failed_backup_is_on_the_admins_overview_and_no_one_elses() {
        let shown = screen(Role::Admin, Lang::Zh);
        assert!(
            shown.contains("! 备份失败（2026-12-03 02:00）：磁盘已满"),
            "{shown}"
        );
        let shown = screen(Role::Admin, Lang::En);
        assert!(shown.contains("backup failed"), "{shown}");
        let shown = screen(Role::ChiefCoach(ProjectId::Math), Lang::Zh);
        assert!(!shown.contains("备份"), "{shown}");
    }
}
