//! Drawing. Every function here takes the App read-only and a frame; nothing
//! here reads the store or changes state.

mod audit;
mod ledger;
mod overlay;
mod overview;
mod session;
mod workspace;

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::action::Action;
use super::app::{App, Status};
use super::strings::L;

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
    let Some(overview) = &app.overview else {
        let text = format!("{} ...", L::Loading.get(app.lang));
        frame.render_widget(
            Paragraph::new(text)
                .alignment(Alignment::Center)
                .style(app.theme.dim),
            centered_line(body),
        );
        return footer_bar(frame, footer, app);
    };
    match (&app.workspace, &app.ledger) {
        _ if app.session.is_some() => {
            if let Some(s) = &app.session {
                session::draw(frame, body, app, s);
            }
        }
        _ if app.audit.is_some() => {
            if let Some(a) = &app.audit {
                audit::draw(frame, body, app, a);
            }
        }
        (Some(w), _) => workspace::draw(frame, body, app, w),
        (None, Some(l)) => ledger::draw(frame, body, app, l),
        (None, None) => overview::draw(frame, body, app, overview),
    }
    footer_bar(frame, footer, app);
    overlay::draw(frame, area, app);
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
    let lang = app.lang;
    let mut parts = vec![format!(" {}", lang.pick("强基 Qiangji", "Qiangji"))];
    match (&app.workspace, &app.ledger) {
        _ if app.session.is_some() => parts.push(L::AssessmentSession.get(lang).to_string()),
        _ if app.audit.is_some() => parts.push(L::AuditTitle.get(lang).to_string()),
        (Some(w), _) => parts.push(w.data.project.group_name(lang)),
        (None, Some(_)) => parts.push(L::LedgerOverview.get(lang).to_string()),
        (None, None) => parts.push(L::Overview.get(lang).to_string()),
    }
    if let Some(o) = &app.overview {
        parts.push(o.semester.label(lang));
        parts.push(o.today.to_string());
    }
    parts.push(app.actor.login.clone());
    let text = parts.join(" | ");
    frame.render_widget(Paragraph::new(text).style(app.theme.title), area);
}

/// The status message if there is one, else hints generated from the keymap.
fn footer_bar(frame: &mut Frame, area: Rect, app: &App) {
    let line = match &app.status {
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
        super::action::Context::Form => &[A::NextField, A::Submit, A::Cancel],
        super::action::Context::Confirm => &[A::Yes, A::No],
        super::action::Context::Input => &[A::Confirm, A::Clear],
        _ if app.session.as_ref().is_some_and(|s| s.summary.is_some()) => {
            &[A::Withdraw, A::WithdrawAll, A::SelectNext, A::Back, A::Quit]
        }
        _ if app.audit.is_some() => &[A::Filter, A::SelectNext, A::Back, A::Help, A::Quit],
        _ if app.session.is_some() => &[
            A::AssessPass,
            A::AssessFail,
            A::AssessSkip,
            A::AssessNote,
            A::SelectPrev,
            A::Back,
        ],
        _ if app
            .workspace
            .as_ref()
            .is_some_and(|w| w.tab == super::app::Tab::Ledger) =>
        {
            &[
                A::Help,
                A::AddExpense,
                A::AddAllocation,
                A::ReverseEntry,
                A::Filter,
                A::NextTab,
                A::Back,
                A::Quit,
            ]
        }
        _ if app.workspace.is_some() => &[
            A::Help,
            A::StartAssessment,
            A::Filter,
            A::NextTab,
            A::SortNext,
            A::Edit,
            A::Withdraw,
            A::Back,
            A::Quit,
        ],
        _ if app.ledger.is_some() => &[
            A::Help,
            A::Open,
            A::AddExpense,
            A::AddAllocation,
            A::Back,
            A::Quit,
        ],
        _ => &[
            A::Help,
            A::Open,
            A::GroupMath,
            A::StartAssessment,
            A::LedgerOverview,
            A::AuditLog,
            A::Palette,
            A::Quit,
        ],
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
        let (keys, label) = if *a == A::GroupMath {
            (
                "1-6".to_string(),
                app.lang.pick("进入项目组", "open a group"),
            )
        } else {
            (keys.to_string(), a.describe(app.lang))
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

/// Pads or cuts `s` to `width` display cells (CJK counts two).
pub fn fit(s: &str, width: usize) -> String {
    use unicode_width::UnicodeWidthChar;
    let mut out = String::new();
    let mut w = 0;
    for c in s.chars() {
        let cw = c.width().unwrap_or(0);
        if w + cw > width {
            break;
        }
        out.push(c);
        w += cw;
    }
    out.extend(std::iter::repeat_n(' ', width - w));
    out
}

/// A label and value line for detail panes.
pub fn field<'a>(label: &str, value: String, label_style: Style) -> Line<'a> {
    // English labels are longer in cells than Chinese ones.
    let width = if label.is_ascii() { 14 } else { 10 };
    Line::from(vec![
        Span::styled(format!("{} ", fit(label, width)), label_style),
        Span::raw(value),
    ])
}

/// Draws `block` with a wrapped paragraph inside. The text gets one column
/// less than the inside of the block: ratatui 0.30.2 can place the last
/// wrapped wide glyph of a line over the right border (ratatui issue 2679).
pub fn wrapped_in(
    frame: &mut Frame,
    area: Rect,
    block: ratatui::widgets::Block,
    paragraph: Paragraph,
) {
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let text = Rect {
        width: inner.width.saturating_sub(1),
        ..inner
    };
    frame.render_widget(paragraph.wrap(Wrap { trim: false }), text);
}

/// Draws a list `table` as every screen does: one column between cells, the
/// selected row marked `>` as well as highlighted. `window` is the range of
/// `nav.shown` the table's rows are (the view builds only those).
pub fn draw_list(
    frame: &mut Frame,
    area: Rect,
    table: ratatui::widgets::Table,
    nav: &super::app::TableNav,
    window: &std::ops::Range<usize>,
    app: &App,
) {
    let table = table
        .column_spacing(1)
        .row_highlight_style(app.theme.selected)
        .highlight_symbol("> ")
        .highlight_spacing(ratatui::widgets::HighlightSpacing::Always);
    let selected = nav.selected.saturating_sub(window.start);
    let mut state = ratatui::widgets::TableState::default().with_selected(Some(selected));
    frame.render_stateful_widget(table, area, &mut state);
}

/// A rectangle of at most `w` x `h` centred in `area`.
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}
