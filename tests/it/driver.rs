//! The transport-neutral driver: an App on a `TestBackend`, fed by a
//! scripted channel as an SSH session would feed it; a change applied by
//! another actor shows without a key press; writes go through the driver's
//! writer thread and are published.

use crate::common;

use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use qiangji::domain::{Actor, ProjectId, TraineeKind};
use qiangji::i18n::Lang;
use qiangji::registry::Command;
use qiangji::tui::app::{App, Message};
use qiangji::tui::driver::Driver;
use qiangji::tui::key::Key;
use qiangji::tui::keymap::Keymap;
use qiangji::tui::screenshot::to_text;
use qiangji::tui::theme::ColorMode;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn screen(driver: &Driver<TestBackend>) -> String {
    to_text(driver.terminal().backend().buffer())
}

/// Steps the driver until `ready` holds for the screen (at most 5 s).
fn until(driver: &mut Driver<TestBackend>, what: &str, ready: impl Fn(&str) -> bool) -> String {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let s = screen(driver);
        if ready(&s) {
            return s;
        }
        assert!(Instant::now() < deadline, "no {what} on screen:\n{s}");
        assert!(
            driver.step(Duration::from_millis(50)).unwrap(),
            "the App quit"
        );
    }
}

#[test]
fn another_actors_change_shows_without_a_key_and_writes_go_through_the_writer() {
    let (_dir, registry) = common::ui::demo();
    let (tx, rx) = mpsc::channel();
    let app = App::new(
        Lang::Zh,
        Keymap::default_keymap(),
        ColorMode::None,
        Actor::admin("coordinator"),
    );
    let terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    let published = Arc::new(Mutex::new(Vec::new()));
    let sink = published.clone();
    let mut driver = Driver::new(terminal, app, rx, tx.clone()).on_applied(Box::new(move |e| {
        sink.lock().unwrap().extend(e.iter().cloned())
    }));
    driver.draw().unwrap();
    assert!(
        screen(&driver).contains("正在打开数据库"),
        "the loading frame first"
    );

    tx.send(Message::Resize(120, 40)).unwrap();
    tx.send(Message::Opened(registry.clone())).unwrap();
    tx.send(Message::Key(Key::char('1'))).unwrap();
    let before = until(&mut driver, "the math group", |s| s.contains("数学组"));

    // Another coordinator files an application to math in their session.
    let other = Actor::admin("another-coordinator");
    let mut application = common::application(TraineeKind::Student, "新来的", ProjectId::Math);
    application.date = registry.today();
    let event = registry.apply(&other, Command::Apply(application)).unwrap();
    tx.send(Message::Changed(vec![event])).unwrap();
    // One step, no key: the row is there.
    assert!(driver.step(Duration::from_secs(1)).unwrap());
    let after = screen(&driver);
    let count = |s: &str| -> usize {
        let at = s.find("学员 ").expect("the trainees tab");
        s[at + "学员 ".len()..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect::<String>()
            .parse()
            .unwrap()
    };
    assert_eq!(count(&after), count(&before) + 1, "{after}");
    // Filtering for the name finds the new row, read from the change alone.
    for c in "/新来的".chars() {
        tx.send(Message::Key(Key::char(c))).unwrap();
    }
    until(&mut driver, "the new trainee", |s| {
        s.contains("新来的") && s.contains("青岛第二中学")
    });
    tx.send(Message::Key(Key::plain(qiangji::tui::key::KeyCode::Esc)))
        .unwrap();

    // A semester result typed here is written by the driver's writer
    // thread, answered into the channel, shown, and published.
    tx.send(Message::Key(Key::char('A'))).unwrap();
    let start = until(&mut driver, "the assessment", |s| s.contains("学期考核"));
    let done = |s: &str| {
        s.lines()
            .find(|l| l.contains("已登记"))
            .map(str::to_string)
            .unwrap_or_default()
    };
    let progress = done(&start);
    tx.send(Message::Key(Key::char('p'))).unwrap();
    until(&mut driver, "one more result", |s| done(s) != progress);
    let published = published.lock().unwrap();
    assert_eq!(published.len(), 1, "the one result was published");
    assert_eq!(
        published[0].kind,
        qiangji::registry::RecordKind::Assessment,
        "{published:?}"
    );
}
