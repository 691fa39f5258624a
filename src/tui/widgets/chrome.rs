//! The frame around the screens: the title bar, the footer with the status
//! or hints generated from the keymap, the loading and "enlarge the window"
//! screens. It takes the App read-only; nothing here reads the store or
//! changes state.

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::tui::app::App;
use crate::tui::ctx::Status;
use crate::tui::input::action::{Action, Context};
use crate::tui::strings::L;

pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

pub fn draw(frame: &mut Frame, app: &App) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        return too_small(frame, area, app);
    }
    let [title, body, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(area);
    title_bar(frame, title, app);
    let Some(top) = app.top() else {
        let text = format!("{} ...", L::Loading.get(app.lang));
        frame.render_widget(
            Paragraph::new(text)
                .alignment(Alignment::Center)
                .style(app.theme.dim),
            centered_line(body),
        );
        return footer_bar(frame, footer, app);
    };
    let body = match app.server_warning() {
        Some(warning) if matches!(top, crate::tui::screens::Screen::Overview(_)) => {
            // Above the groups, on two lines when one is too narrow.
            use unicode_width::UnicodeWidthStr;
            let text = format!("! {}", crate::cli::safe_text::one_line(&warning));
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
    footer_bar(frame, footer, app);
    super::overlay::draw(frame, area, app);
}

fn too_small(frame: &mut Frame, area: Rect, app: &App) {
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

fn title_bar(frame: &mut Frame, area: Rect, app: &App) {
    use unicode_width::UnicodeWidthStr;
    let lang = app.lang;
    // Who is logged in and their role, always shown whole at the right.
    let who = format!(" {} · {} ", app.actor.login, app.actor.role.label(lang));
    let who_width = (who.width() as u16).min(area.width / 2);
    let screen = match app.top() {
        Some(top) => top.title(lang),
        None => L::Overview.get(lang).to_string(),
    };
    let (semester, today) = match app.overview() {
        Some(o) => (
            Some(o.data.semester.label(lang)),
            Some(o.data.today.to_string()),
        ),
        None => (None, None),
    };
    // The rest gives way on a narrow terminal: the date first, then the
    // program's name.
    let room = usize::from(area.width.saturating_sub(who_width));
    let build = |name: bool, date: bool| {
        let mut parts = Vec::new();
        if name {
            parts.push(lang.pick("强基 Qiangji", "Qiangji").to_string());
        }
        parts.push(screen.clone());
        parts.extend(semester.clone());
        if date {
            parts.extend(today.clone());
        }
        format!(" {}", parts.join(" | "))
    };
    let text = [(true, true), (true, false), (false, false)]
        .into_iter()
        .map(|(n, d)| build(n, d))
        .find(|t| t.width() <= room)
        .unwrap_or_else(|| build(false, false));
    let [left, right] =
        Layout::horizontal([Constraint::Min(1), Constraint::Length(who_width)]).areas(area);
    frame.render_widget(Paragraph::new(text).style(app.theme.title), left);
    frame.render_widget(
        Paragraph::new(who)
            .alignment(Alignment::Right)
            .style(app.theme.title),
        right,
    );
}

/// The status message if there is one, else hints generated from the keymap.
fn footer_bar(frame: &mut Frame, area: Rect, app: &App) {
    let line = match app.status() {
        Some(Status::Info(m)) => Line::from(Span::styled(format!(" {m}"), app.theme.good)),
        Some(Status::Error(m)) => Line::from(Span::styled(format!(" ! {m}"), app.theme.bad)),
        None => hints(app, area.width),
    };
    frame.render_widget(Paragraph::new(line), area);
}

fn hints(app: &App, width_limit: u16) -> Line<'static> {
    use Action as A;
    use unicode_width::UnicodeWidthStr;
    let actions: &[Action] = match app.context() {
        Context::Form => &[A::NextField, A::Submit, A::Cancel],
        Context::Confirm => &[A::Yes, A::No],
        Context::Input => &[A::Confirm, A::Clear],
        _ => app.top().map_or(&[][..], |s| s.hints()),
    };
    let mut spans = vec![Span::raw(" ")];
    if !app.pending_keys().is_empty() {
        let typed: Vec<String> = app.pending_keys().iter().map(|k| k.to_string()).collect();
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
            let label = app.top().and_then(|s| s.hint_label(*a, app.lang));
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
