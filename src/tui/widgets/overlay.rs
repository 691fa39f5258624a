//! Popups drawn over the screen: help (generated from the keymap in force),
//! the command palette, and forms. Each is clamped into the window and cleared
//! first, so wide Chinese glyphs under its edge do not bleed through.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use super::View;
use super::{centered, fit, titled};
use crate::i18n::Lang;
use crate::tui::forms::{FormFlow, Sheet};
use crate::tui::input::action::{Action, Context};
use crate::tui::input::keymap::Resolution;
use crate::tui::strings::L;

/// What is open over the screen.
pub enum Overlay {
    Help {
        scroll: u16,
    },
    Palette {
        input: tui_input::Input,
        selected: usize,
        shown: Vec<Action>,
    },
    Form(Box<dyn FormFlow>),
}

pub fn draw(frame: &mut Frame, area: Rect, app: &View) {
    match app.overlay {
        None => {}
        Some(Overlay::Help { scroll }) => help(frame, area, app, *scroll),
        Some(Overlay::Palette {
            input,
            selected,
            shown,
        }) => palette(frame, area, app, input, *selected, shown),
        Some(Overlay::Form(form)) => form_popup(frame, area, app, form.sheet()),
    }
}

/// Clears the popup's area one cell wider on each side, so a wide glyph cut
/// by the popup's edge is blanked whole rather than left as half a character.
fn clear(frame: &mut Frame, r: Rect, area: Rect) {
    let x = r.x.saturating_sub(1).max(area.x);
    let right = (r.right() + 1).min(area.right());
    frame.render_widget(
        Clear,
        Rect {
            x,
            y: r.y,
            width: right - x,
            height: r.height,
        },
    );
}

/// The keys a form's text field edits with when nothing else binds them
/// (`field::input_request`), for the help.
const EDITING_KEYS: [(&str, &str, &str); 4] = [
    ("ctrl-a", "移到本项开头", "Go to the start of the field"),
    ("ctrl-e", "移到本项末尾", "Go to the end of the field"),
    ("ctrl-u", "清空本项", "Clear the field"),
    (
        "ctrl-w",
        "删除前一个词",
        "Delete the word before the cursor",
    ),
];

fn help(frame: &mut Frame, area: Rect, app: &View, scroll: u16) {
    let lang = app.lang;
    let th = &app.theme;
    let r = centered(area, 76, area.height.saturating_sub(2));
    clear(frame, r, area);
    // First, what `/` finds besides names: the words a filter knows.
    let mut lines = vec![
        Line::from(vec![
            Span::styled(format!("  {} ", fit("/", 22)), th.key),
            Span::raw(L::FilterWords.get(lang)),
        ]),
        Line::from(""),
    ];
    // The keys in force on the screen under the help first (its own
    // context, then what it falls back to), then every other context's.
    let here = app.top.map_or(Context::List, |s| s.context());
    let order: Vec<Context> = here
        .chain()
        .chain(
            Context::ALL
                .into_iter()
                .filter(|c| !here.chain().any(|h| h == *c)),
        )
        .collect();
    for ctx in order {
        let bindings = app.keymap.bindings(ctx);
        if bindings.is_empty() {
            continue;
        }
        lines.push(Line::from(Span::styled(
            format!("[{}]", ctx.label(lang)),
            th.header,
        )));
        for (action, seqs) in bindings {
            let keys: Vec<String> = seqs.iter().map(|s| s.to_string()).collect();
            lines.push(Line::from(vec![
                Span::styled(format!("  {} ", fit(&keys.join(", "), 22)), th.key),
                Span::raw(action.describe(lang)),
            ]));
        }
        if ctx == Context::Form {
            // The editing keys every field has (a shell line's), unless the
            // keymap binds the key to something else in a form.
            for (key, zh, en) in EDITING_KEYS {
                let bound = crate::tui::input::key::Key::parse(key)
                    .ok()
                    .map(|k| app.keymap.resolve(Context::Form, &[], k))
                    .is_none_or(|r| r != Resolution::Unbound);
                if bound {
                    continue;
                }
                lines.push(Line::from(vec![
                    Span::styled(format!("  {} ", fit(key, 22)), th.key),
                    Span::raw(lang.pick(zh, en)),
                ]));
            }
        }
    }
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(L::HelpFooter.get(lang), th.dim)));
    let block = titled(L::HelpTitle, lang, th.accent, th.focus_border);
    let help = Paragraph::new(lines)
        .block(block)
        .wrap(Wrap { trim: false });
    frame.render_widget(help.scroll((scroll, 0)), r);
}

fn palette(
    frame: &mut Frame,
    area: Rect,
    app: &View,
    input: &tui_input::Input,
    selected: usize,
    shown: &[Action],
) {
    let lang = app.lang;
    let th = &app.theme;
    let r = centered(area, 100, 16);
    clear(frame, r, area);
    let block = titled(L::PaletteTitle, lang, th.accent, th.focus_border);
    let inner = block.inner(r);
    frame.render_widget(block, r);
    if inner.height == 0 {
        return;
    }
    let prompt = ": ";
    let text = if input.value().is_empty() {
        L::PaletteHint.get(lang).to_string()
    } else {
        input.value().to_string()
    };
    let style = if input.value().is_empty() {
        th.dim
    } else {
        th.accent
    };
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(prompt, th.key),
            Span::styled(text, style),
        ])),
        Rect { height: 1, ..inner },
    );
    super::caret(frame, inner, 2 + input.visual_cursor());
    let rows = inner.height.saturating_sub(1) as usize;
    let first = selected.saturating_sub(rows.saturating_sub(1));
    let lines: Vec<Line> = shown
        .iter()
        .enumerate()
        .skip(first)
        .take(rows)
        .map(|(i, a)| {
            let key = app
                .keymap
                .key_for(*a)
                .map(|k| k.to_string())
                .unwrap_or_default();
            let mark = if i == selected { "> " } else { "  " };
            // The key after the words, the words as long as the room allows
            // (cut with a visible mark only on a narrow terminal).
            let room = (inner.width as usize).saturating_sub(2 + 1 + 12);
            let words = super::clip(a.describe(lang), room);
            let line = Line::from(vec![
                Span::raw(format!("{mark}{} ", fit(&words, room))),
                Span::styled(key, th.key),
            ]);
            if i == selected {
                line.style(th.selected)
            } else {
                line
            }
        })
        .collect();
    frame.render_widget(
        Paragraph::new(lines),
        Rect {
            y: inner.y + 1,
            height: inner.height - 1,
            ..inner
        },
    );
}

fn form_popup(frame: &mut Frame, area: Rect, app: &View, form: &Sheet) {
    let lang = app.lang;
    let th = &app.theme;
    // Two rows a field (its value, then its error if any): the longest form
    // fits at 80x24.
    let intro_rows = u16::from(form.intro.is_some()) * 2;
    let refusal_rows = u16::from(form.refusal.is_some()) * 2;
    let height = (form.fields.len() as u16) * 2 + 3 + intro_rows + refusal_rows;
    // Between the title bar and the footer, which stay in view.
    let body = Rect {
        y: area.y + 1,
        height: area.height.saturating_sub(2),
        ..area
    };
    let r = centered(body, 70, height);
    clear(frame, r, area);
    let mut block = Block::bordered()
        .title(Span::styled(
            format!(" {} ", form.title.get(lang)),
            th.accent,
        ))
        .border_style(th.focus_border);
    let inner = block.inner(r);
    // As wide as the longest label, within limits: English labels run longer.
    let label_width = form
        .fields
        .iter()
        .map(|f| unicode_width::UnicodeWidthStr::width(f.label(lang)) as u16 + 1)
        .max()
        .unwrap_or(12)
        .clamp(10, 16);
    let mut y = inner.y;
    if form.intro.is_some() {
        y += 2;
    }
    let mut cursor = None;
    // A form longer than the window scrolls to keep the focused field in
    // view (the last rows stay for the refusal).
    let limit = inner.bottom().saturating_sub(refusal_rows);
    let room = (limit.saturating_sub(y) / 2).max(1) as usize;
    let first = (form.focus + 1).saturating_sub(room);
    // Fields out of view are said on the frame, so none is missed.
    let drawn = usize::from(limit.saturating_sub(y).div_ceil(2));
    let below = form.fields.len().saturating_sub(first + drawn);
    if let Some(hint) = hidden_fields(first, below, lang) {
        block = block.title_bottom(Line::from(Span::styled(hint, th.key)).right_aligned());
    }
    frame.render_widget(block, r);
    if let Some(intro) = &form.intro {
        let p = Paragraph::new(Span::styled(intro.clone(), th.base)).wrap(Wrap { trim: true });
        frame.render_widget(
            p,
            Rect {
                height: 2.min(inner.height),
                ..inner
            },
        );
    }
    for (i, f) in form.fields.iter().enumerate().skip(first) {
        if y >= limit {
            break;
        }
        let focused = i == form.focus;
        let label = Span::styled(
            fit(f.label(lang), label_width as usize),
            if focused { th.accent } else { th.dim },
        );
        let value = f.display(lang);
        let value_style = if focused { th.selected } else { th.base };
        let width = inner.width.saturating_sub(label_width) as usize;
        // A value wider than the field scrolls to keep the caret in view.
        let scroll = if focused && f.chosen().is_none() {
            f.input.visual_scroll(width.saturating_sub(1))
        } else {
            0
        };
        let shown = skip_cells(&value, scroll);
        let line = Line::from(vec![label, Span::styled(fit(shown, width), value_style)]);
        frame.render_widget(
            Paragraph::new(line),
            Rect {
                y,
                height: 1,
                ..inner
            },
        );
        if focused {
            let x = inner.x + label_width + f.cursor().saturating_sub(scroll) as u16;
            cursor = Some(Position {
                x: x.min(inner.right().saturating_sub(1)),
                y,
            });
        }
        if let Some(err) = f.shown_error(lang)
            && y + 1 < inner.bottom()
        {
            let line = Line::from(Span::styled(
                format!("{}! {err}", " ".repeat(label_width as usize)),
                th.warn,
            ));
            frame.render_widget(
                Paragraph::new(line),
                Rect {
                    y: y + 1,
                    height: 1,
                    ..inner
                },
            );
        }
        y += 2;
    }
    if let Some(refusal) = &form.refusal
        && y < inner.bottom()
    {
        let p =
            Paragraph::new(Span::styled(format!("! {refusal}"), th.bad)).wrap(Wrap { trim: true });
        frame.render_widget(
            p,
            Rect {
                y,
                height: inner.bottom() - y,
                ..inner
            },
        );
    }
    if form.confirm_discard {
        let q = centered(area, 40, 5);
        clear(frame, q, area);
        let block = titled(L::DiscardTitle, lang, th.warn, th.warn);
        let keys = format!(
            "{}: {}   {}: {}",
            app.keymap
                .key_for(Action::Yes)
                .map(|k| k.to_string())
                .unwrap_or_default(),
            L::Yes.get(lang),
            app.keymap
                .key_for(Action::No)
                .map(|k| k.to_string())
                .unwrap_or_default(),
            L::No.get(lang)
        );
        let p = Paragraph::new(vec![
            Line::from(L::DiscardBody.get(lang)),
            Line::from(Span::styled(keys, th.key)),
        ])
        .block(block)
        .wrap(Wrap { trim: true });
        frame.render_widget(p, q);
    } else if let Some(c) = cursor {
        frame.set_cursor_position(c);
    }
}

/// `v 还有 3 项` when fields are below the form's fold, `^ 上面 2 项` when
/// above (ASCII marks: arrows are drawn two cells wide in a Chinese locale).
fn hidden_fields(above: usize, below: usize, lang: Lang) -> Option<String> {
    let mut parts = Vec::new();
    if above > 0 {
        parts.push(match lang {
            Lang::Zh => format!("^ 上面 {above} 项"),
            Lang::En => format!("^ {above} more above"),
        });
    }
    if below > 0 {
        parts.push(match lang {
            Lang::Zh => format!("v 还有 {below} 项"),
            Lang::En => format!(
                "v {below} more {}",
                if below == 1 { "field" } else { "fields" }
            ),
        });
    }
    (!parts.is_empty()).then(|| format!(" {} ", parts.join("  ")))
}

/// `s` without its first `cells` display cells.
fn skip_cells(s: &str, cells: usize) -> &str {
    use unicode_width::UnicodeWidthChar;
    let mut skipped = 0;
    for (i, c) in s.char_indices() {
        if skipped >= cells {
            return &s[i..];
        }
        skipped += c.width().unwrap_or(0);
    }
    ""
}
