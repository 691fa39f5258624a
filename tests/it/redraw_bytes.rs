//! Moving the selection one row must send the terminal only the changed
//! cells: ratatui diffs frames, and our views must not defeat that (e.g. by
//! drawing something that changes every frame).

use std::cell::RefCell;
use std::io::Write;
use std::rc::Rc;
use std::sync::Arc;

use qiangji::domain::{Actor, ProjectId};
use qiangji::i18n::Lang;
use qiangji::tui::action::Action;
use qiangji::tui::app::App;
use qiangji::tui::keymap::Keymap;
use qiangji::tui::theme::ColorMode;
use ratatui::backend::CrosstermBackend;
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};

#[derive(Clone, Default)]
struct Counter(Rc<RefCell<Vec<u8>>>);

impl Write for Counter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Bytes written for one selection move on a screen reached by `actions`.
fn bytes_for_move(app: &mut App, actions: &[Action]) -> usize {
    let out = Counter::default();
    let options = TerminalOptions {
        viewport: Viewport::Fixed(Rect::new(0, 0, 120, 40)),
    };
    let mut terminal = Terminal::with_options(CrosstermBackend::new(out.clone()), options).unwrap();
    app.handle(qiangji::tui::app::Message::Resize(120, 40));
    for a in actions {
        app.act(*a);
    }
    terminal
        .draw(|f| qiangji::tui::widgets::chrome::draw(f, &app.view()))
        .unwrap();
    out.0.borrow_mut().clear();
    app.act(Action::SelectNext);
    terminal
        .draw(|f| qiangji::tui::widgets::chrome::draw(f, &app.view()))
        .unwrap();
    out.0.borrow().len()
}

#[test]
fn one_row_down_writes_under_a_kibibyte() {
    let dir = tempfile::tempdir().unwrap();
    let registry = Arc::new(qiangji::demo::fixed_city(dir.path()).unwrap());
    // With the detail pane open, the pane shows the newly selected trainee:
    // that content changes whole, so it is measured apart (printed, not bounded).
    let mut app = App::with_registry(
        Lang::Zh,
        Keymap::default_keymap(),
        ColorMode::TrueColor,
        Actor::admin("coordinator"),
        registry.clone(),
    );
    println!(
        "trainees with details: {} bytes",
        bytes_for_move(&mut app, &[Action::Group(ProjectId::Math)])
    );
    for (name, actions) in [
        ("overview", &[][..]),
        (
            "trainees",
            &[Action::Group(ProjectId::Math), Action::ToggleDetail][..],
        ),
    ] {
        for colors in [ColorMode::TrueColor, ColorMode::Ansi16] {
            let mut app = App::with_registry(
                Lang::Zh,
                Keymap::default_keymap(),
                colors,
                Actor::admin("coordinator"),
                registry.clone(),
            );
            let n = bytes_for_move(&mut app, actions);
            println!("{name} {colors:?}: {n} bytes");
            assert!(n > 0, "{name}: nothing redrawn");
            assert!(n < 1024, "{name} {colors:?}: {n} bytes for one row");
        }
    }
}
