//! Every main screen (`screens::SCREENS`) drawn at every terminal size from
//! 1 x 1 to 200 x 60 must not panic, and below the minimum size must show the
//! "enlarge the window" message instead of a cramped layout.
//!
//! One App per screen is brought to its screen once; each size is then a
//! resize of the App and of one test terminal, and a full redraw, as in the
//! running program, without the terminal's diff and output (a test has no
//! screen to send it to). Screens run on parallel threads. Takes about 30 s
//! of two free cores in a debug build; nearly all of it is ratatui's layout
//! solver and buffers.

use std::sync::Arc;

use crate::common;
use std::time::Instant;

use qiangji::i18n::{Lang, Localized};
use qiangji::tui::app::{App, Message};
use qiangji::tui::scenes::{self as screens, SCREENS};
use qiangji::tui::screenshot::to_text;
use qiangji::tui::widgets::chrome::{self as view, MIN_HEIGHT, MIN_WIDTH};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::{Buffer, Cell};
use ratatui::layout::Rect;

const MAX_WIDTH: u16 = 200;
const MAX_HEIGHT: u16 = 60;
/// From this size on, the Chinese "enlarge" message must be there in full; it
/// is never more than this many rows.
const MESSAGE_WIDTH: u16 = 30;
const MESSAGE_HEIGHT: u16 = 3;
/// Sizes where the resized terminal is compared with a new one.
const SAME_AS_NEW: [(u16, u16); 5] = [(1, 1), (40, 10), (79, 24), (80, 24), (200, 60)];

/// The text of the rows of `buffer` that are not blank, and how many there are.
/// (Converting only these keeps the test fast in a debug build.)
fn drawn_rows(buffer: &Buffer) -> (String, usize) {
    let width = usize::from(buffer.area.width);
    let rows: Vec<&[Cell]> = buffer
        .content
        .chunks(width.max(1))
        .filter(|row| row.iter().any(|c| c.symbol() != " "))
        .collect();
    (rows_text(&rows, buffer.area.width), rows.len())
}

/// `rows` (each `width` cells) as text.
fn rows_text(rows: &[&[Cell]], width: u16) -> String {
    let content: Vec<Cell> = rows.concat();
    let height = u16::try_from(rows.len()).unwrap_or(u16::MAX);
    to_text(&Buffer {
        area: Rect::new(0, 0, width, height),
        content,
    })
}

/// Resizes `terminal` and `app` to `width` x `height` and draws a frame of
/// `app` into the terminal's buffer, as the runner does when the window
/// changes. Draws the same as a new terminal would (checked at a few sizes).
fn draw_at(terminal: &mut Terminal<TestBackend>, app: &mut App, width: u16, height: u16) {
    app.handle(Message::Resize(width, height));
    terminal.backend_mut().resize(width, height);
    if let Err(e) = terminal.resize(Rect::new(0, 0, width, height)) {
        match e {}
    }
    terminal.current_buffer_mut().reset();
    view::draw(&mut terminal.get_frame(), &app.view());
}

/// What one frame of `app` at `width` x `height` draws on a new terminal.
fn fresh_frame(app: &mut App, width: u16, height: u16) -> Buffer {
    let mut terminal = match Terminal::new(TestBackend::new(width, height)) {
        Ok(t) => t,
        Err(e) => match e {},
    };
    app.handle(Message::Resize(width, height));
    view::draw(&mut terminal.get_frame(), &app.view());
    terminal.current_buffer_mut().clone()
}

/// Renders `app` at every size; returns the first problem found, if any.
fn every_size(name: &str, app: &mut App) -> Result<(), String> {
    let mut terminal = match Terminal::new(TestBackend::new(1, 1)) {
        Ok(t) => t,
        Err(e) => match e {},
    };
    for width in 1..=MAX_WIDTH {
        for height in 1..=MAX_HEIGHT {
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                draw_at(&mut terminal, app, width, height)
            }))
            .map_err(|_| format!("{name} panics at {width} x {height}"))?;
            let buffer = terminal.current_buffer_mut();
            if SAME_AS_NEW.contains(&(width, height)) {
                let fresh = fresh_frame(app, width, height);
                if *buffer != fresh {
                    return Err(format!(
                        "{name} at {width} x {height} differs from a new terminal:\n{}\n{}",
                        to_text(buffer),
                        to_text(&fresh)
                    ));
                }
            }
            if width < MIN_WIDTH || height < MIN_HEIGHT {
                let (text, rows) = drawn_rows(buffer);
                // Tiny areas show what fits of the message; from 30 x 3 on it
                // is all there, minimum size included. Nothing else is drawn.
                let big = width >= MESSAGE_WIDTH && height >= MESSAGE_HEIGHT;
                let complete = text.contains("窗口太小") && text.contains("80 x 24");
                if (big && !complete) || rows > usize::from(MESSAGE_HEIGHT) {
                    return Err(format!(
                        "{name} at {width} x {height} does not just ask to enlarge the window:\n{}",
                        to_text(buffer)
                    ));
                }
            } else {
                // The full interface: its title bar (the program's name, or
                // on a narrow terminal who is logged in), not the message.
                let title = rows_text(&[&buffer.content[..usize::from(width)]], width);
                if !title.contains("Qiangji") && !title.contains(" · ") {
                    return Err(format!(
                        "{name} at {width} x {height} has no title bar:\n{}",
                        to_text(buffer)
                    ));
                }
            }
        }
    }
    Ok(())
}

/// The staged scenes (`scenes::STAGED`: an import's report, the
/// evaluation), each on a database of its own since the evaluation's writes.
#[test]
fn every_staged_scene_at_every_size() {
    let problems: Vec<String> = std::thread::scope(|scope| {
        let handles: Vec<_> = screens::STAGED
            .iter()
            .map(|(name, stage)| {
                scope.spawn(move || {
                    let (_dir, registry) = common::ui::demo();
                    let scratch = tempfile::tempdir().expect("temporary directory");
                    let mut app = common::ui::app_as(&registry, Lang::Zh, "coordinator");
                    screens::capture_staged(
                        &mut app,
                        *stage,
                        scratch.path(),
                        MAX_WIDTH,
                        MAX_HEIGHT,
                    );
                    every_size(name, &mut app)
                })
            })
            .collect();
        handles
            .into_iter()
            .zip(screens::STAGED)
            .filter_map(|(h, (name, _))| match h.join() {
                Ok(result) => result.err(),
                Err(_) => Some(format!("{name} panics on the way to the scene")),
            })
            .collect()
    });
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

#[test]
fn every_screen_at_every_size() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let registry = Arc::new(
        qiangji::demo::fixed_city(dir.path())
            .unwrap_or_else(|e| panic!("demo: {}", e.localized(Lang::En))),
    );
    let start = Instant::now();
    let problems: Vec<String> = std::thread::scope(|scope| {
        let handles: Vec<_> = SCREENS
            .iter()
            .map(|(name, actions)| {
                let registry = registry.clone();
                scope.spawn(move || {
                    let mut app = common::ui::app_as(&registry, Lang::Zh, "coordinator");
                    screens::capture(&mut app, actions, MAX_WIDTH, MAX_HEIGHT);
                    every_size(name, &mut app)
                })
            })
            .collect();
        handles
            .into_iter()
            .zip(SCREENS)
            .filter_map(|(h, (name, _))| match h.join() {
                Ok(result) => result.err(),
                Err(_) => Some(format!("{name} panics on the way to the screen")),
            })
            .collect()
    });
    eprintln!(
        "{} screens x {} sizes in {:.1?}",
        SCREENS.len(),
        usize::from(MAX_WIDTH) * usize::from(MAX_HEIGHT),
        start.elapsed()
    );
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}
