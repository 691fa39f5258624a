//! The UI tests' harness: an App on the fixed-date city demo, keys pressed
//! and text typed as a user would, with every write applied before the next
//! key (as the driver's writer thread would by then).

use std::sync::Arc;

use qiangji::domain::Actor;
use qiangji::i18n::{Lang, Localized};
use qiangji::registry::Registry;
use qiangji::tui::app::{App, Message};
use qiangji::tui::key::{Key, KeyCode};
use qiangji::tui::keymap::Keymap;
use qiangji::tui::theme::ColorMode;

pub const TAB: Key = Key::plain(KeyCode::Tab);
pub const RIGHT: Key = Key::plain(KeyCode::Right);
pub const LEFT: Key = Key::plain(KeyCode::Left);
pub const UP: Key = Key::plain(KeyCode::Up);
pub const DOWN: Key = Key::plain(KeyCode::Down);
pub const ENTER: Key = Key::plain(KeyCode::Enter);
pub const ESC: Key = Key::plain(KeyCode::Esc);
/// Ctrl-S, as `Key::ctrl('s')` makes it.
pub const SAVE: Key = Key {
    code: KeyCode::Char('s'),
    ctrl: true,
    alt: false,
    shift: false,
};

/// The fixed-date city demo in a temporary directory.
pub fn demo() -> (tempfile::TempDir, Arc<Registry>) {
    let dir = tempfile::tempdir().unwrap();
    let registry = qiangji::demo::fixed_city(dir.path())
        .unwrap_or_else(|e| panic!("demo: {}", e.localized(Lang::En)));
    (dir, Arc::new(registry))
}

/// An App for admin `login` on `registry`, in `lang`.
pub fn app_as(registry: &Arc<Registry>, lang: Lang, login: &str) -> App {
    App::with_registry(
        lang,
        Keymap::default_keymap(),
        ColorMode::None,
        Actor::admin(login),
        registry.clone(),
    )
}

/// Hands `event` to the App and applies what it writes.
pub fn send(app: &mut App, event: Message) {
    let effects = app.handle(event);
    app.settle(effects);
}

pub fn press(app: &mut App, keys: &[Key]) {
    for k in keys {
        send(app, Message::Key(*k));
    }
}

pub fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        send(app, Message::Key(Key::char(c)));
    }
}

/// The open form's refusal, if any.
pub fn refusal(app: &App) -> Option<String> {
    app.form().and_then(|f| f.refusal.clone())
}

/// Puts the open group tab's selection on its record `row` (an index into
/// the tab's records), moving as a user would: Home, then Down.
pub fn select_record(app: &mut App, row: usize) {
    let group = app.group().expect("a group screen");
    let at = group.table().shown.iter().position(|&r| r == row);
    let at = at.expect("the record is shown");
    press(app, &[Key::plain(KeyCode::Home)]);
    for _ in 0..at {
        press(app, &[DOWN]);
    }
}
