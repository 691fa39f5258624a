//! Interface benchmarks: one frame of the overview and of a trainee table at
//! 120x40, a filter keystroke over the province demo's trainees, start-up
//! to the first frame on the province database (opened in place after a
//! clean close: see `store::stamp`), and opening its largest group.
//!
//! The province database is read from `QIANGJI_BENCH_PROVINCE` or
//! `target/bench-province-db` (build it with
//! `qiangji demo --scale province --db target/bench-province-db`).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use qiangji::domain::{Actor, ProjectId};
use qiangji::i18n::Lang;
use qiangji::registry::Registry;
use qiangji::tui::action::Action;
use qiangji::tui::app::{App, Message};
use qiangji::tui::key::Key;
use qiangji::tui::keymap::Keymap;
use qiangji::tui::search::{Query, SearchKey};
use qiangji::tui::theme::ColorMode;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn app(registry: Arc<Registry>) -> App {
    let mut app = App::with_registry(
        Lang::Zh,
        Keymap::default_keymap(),
        ColorMode::TrueColor,
        Actor::admin("bench"),
        registry,
    );
    app.handle(Message::Resize(120, 40));
    app
}

fn frames(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let registry = Arc::new(qiangji::demo::fixed_city(dir.path()).expect("city demo"));
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("test terminal");
    let overview = app(registry.clone());
    c.bench_function("frame/overview_120x40", |b| {
        b.iter(|| {
            terminal
                .draw(|f| qiangji::tui::widgets::chrome::draw(f, &overview.view()))
                .map(|_| ())
        })
    });
    let mut trainees = app(registry);
    trainees.act(Action::Group(ProjectId::Math));
    c.bench_function("frame/trainees_120x40", |b| {
        b.iter(|| {
            terminal
                .draw(|f| qiangji::tui::widgets::chrome::draw(f, &trainees.view()))
                .map(|_| ())
        })
    });
}

fn province_db() -> Option<PathBuf> {
    let dir = std::env::var_os("QIANGJI_BENCH_PROVINCE")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-province-db")
        });
    if dir.join("db").exists() {
        Some(dir)
    } else {
        eprintln!(
            "no province database at {}: skipping the province benchmarks",
            dir.display()
        );
        None
    }
}

fn province(c: &mut Criterion) {
    let Some(dir) = province_db() else { return };
    let mut g = c.benchmark_group("province");
    g.sample_size(10).measurement_time(Duration::from_secs(15));

    // The first frame the user sees: the runner draws while the database opens
    // on a worker thread.
    g.bench_function("first_frame_while_opening", |b| {
        b.iter(|| {
            let app = App::new(
                Lang::Zh,
                Keymap::default_keymap(),
                ColorMode::TrueColor,
                Actor::admin("bench"),
            );
            let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("test terminal");
            terminal
                .draw(|f| qiangji::tui::widgets::chrome::draw(f, &app.view()))
                .map(|_| ())
        })
    });
    // The first frame with the data: open, load the overview, draw.
    // The close (a flush and the clean-close stamp) happens at the user's
    // exit, not before the first frame: dropped outside the timing.
    g.bench_function("first_frame_with_data", |b| {
        // Each App is dropped before the next one opens: two registries on
        // one sled directory at once fail with "Locked".
        b.iter_custom(|iters| {
            let mut timed = Duration::ZERO;
            for _ in 0..iters {
                let start = Instant::now();
                let registry = Arc::new(Registry::open(&dir, false).expect("open province"));
                let app = app(registry);
                let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("test terminal");
                terminal
                    .draw(|f| qiangji::tui::widgets::chrome::draw(f, &app.view()))
                    .expect("draw");
                timed += start.elapsed();
                drop(terminal);
                drop(app);
            }
            timed
        })
    });

    let registry = Arc::new(Registry::open(&dir, false).expect("open province"));
    // Opening the largest group from the overview: its workspace read and
    // its first frame drawn. The overview is made, and the App with its
    // 17,000 trainees dropped (when the user leaves), outside the timing.
    g.bench_function("open_group_workspace", |b| {
        b.iter_batched(
            || app(registry.clone()),
            |mut overview| {
                overview.act(Action::Group(ProjectId::Math));
                let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("test terminal");
                terminal
                    .draw(|f| qiangji::tui::widgets::chrome::draw(f, &overview.view()))
                    .expect("draw");
                assert!(
                    overview
                        .group()
                        .is_some_and(|w| !w.data.trainees.is_empty())
                );
                overview
            },
            criterion::BatchSize::LargeInput,
        )
    });
    // One keystroke in the filter of the largest group workspace.
    let mut ws = app(registry.clone());
    ws.act(Action::Group(ProjectId::Math));
    ws.act(Action::Filter);
    let rows = ws.group().map_or(0, |w| w.data.trainees.len());
    eprintln!("math workspace: {rows} trainees");
    let mut typed = false;
    g.bench_function("filter_keystroke_group_workspace", |b| {
        b.iter(|| {
            // Alternately type and delete a letter: each is one keystroke.
            let key = if typed {
                Key::plain(qiangji::tui::key::KeyCode::Backspace)
            } else {
                Key::char('z')
            };
            typed = !typed;
            ws.handle(Message::Key(key))
        })
    });
    // Another session changed one trainee of the group on screen: what the
    // driver's `Message::Changed` costs, against reading everything again.
    let mut group = app(registry.clone());
    group.act(Action::Group(ProjectId::Math));
    let trainee = group
        .group()
        .and_then(|g| g.data.trainees.get(g.data.trainees.len() / 2))
        .map(|t| t.id)
        .expect("a math trainee");
    let change = qiangji::registry::Event {
        audit_id: 0,
        kind: qiangji::registry::RecordKind::Trainee,
        id: trainee,
        project: Some(ProjectId::Math),
        warnings: Vec::new(),
    };
    g.bench_function("change_one_trainee_group_screen", |b| {
        b.iter(|| group.handle(Message::Changed(vec![change.clone()])))
    });
    g.bench_function("reload_everything_group_screen", |b| {
        b.iter(|| group.act(Action::Refresh))
    });
    // The calendar tab of the largest group, from its open workspace: the
    // key that shows it and the frame drawn (the workspace read its sessions
    // and their marks when the group opened; that open is measured above).
    g.bench_function("calendar_tab_from_group", |b| {
        b.iter_batched(
            || {
                let mut a = app(registry.clone());
                a.act(Action::Group(ProjectId::Math));
                a
            },
            |mut a| {
                a.handle(Message::Key(Key::char('[')));
                let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("test terminal");
                terminal
                    .draw(|f| qiangji::tui::widgets::chrome::draw(f, &a.view()))
                    .expect("draw");
                assert!(a.group().is_some_and(|g| !g.data.sessions.is_empty()));
                a
            },
            criterion::BatchSize::LargeInput,
        )
    });
    // Opening the group straight onto its calendar: the group's whole read
    // and the tab, what a user waits for after `1 [` from the overview.
    g.bench_function("calendar_tab_from_overview", |b| {
        b.iter_batched(
            || app(registry.clone()),
            |mut a| {
                a.act(Action::Group(ProjectId::Math));
                a.handle(Message::Key(Key::char('[')));
                let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("test terminal");
                terminal
                    .draw(|f| qiangji::tui::widgets::chrome::draw(f, &a.view()))
                    .expect("draw");
                a
            },
            criterion::BatchSize::LargeInput,
        )
    });
    // The same query over every trainee of the province.
    let keys: Vec<SearchKey> = registry
        .all_trainees()
        .filter_map(Result::ok)
        .map(|t| SearchKey::new(&[&t.name, &t.home_school, &t.district]))
        .collect();
    eprintln!("all trainees: {}", keys.len());
    let query = Query::new("zw");
    g.bench_function("filter_all_trainees", |b| {
        b.iter(|| keys.iter().filter(|k| k.matches(&query)).count())
    });
    g.finish();
}

fn attendance(c: &mut Criterion) {
    let Some(dir) = province_db() else { return };
    let mut g = c.benchmark_group("province");
    g.sample_size(10).measurement_time(Duration::from_secs(15));
    // One attendance key on the roster of the session left to mark (a class
    // of 50): the mark applied and stored durably, as the driver does, and
    // the frame drawn. After the last trainee the summary's `e` reopens the
    // roster, outside the timing, and the marks are corrections from then.
    // On a private copy (removed at the end), so the database benchmarked
    // keeps its session to mark.
    let trial = Arc::new(Registry::open_trial(&dir).expect("a trial copy of the province"));
    let mut roll = app(trial);
    roll.act(Action::Group(ProjectId::Math));
    for key in ['[', '.'] {
        let effects = roll.handle(Message::Key(Key::char(key)));
        roll.settle(effects);
    }
    let roster = roll.attendance().map_or(0, |a| a.rows.len());
    eprintln!("attendance roster: {roster} trainees");
    if roster > 0 {
        let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("test terminal");
        g.bench_function("attendance_key", |b| {
            b.iter_custom(|iters| {
                let mut timed = Duration::ZERO;
                for _ in 0..iters {
                    if roll.attendance().is_some_and(|a| a.summary) {
                        let effects = roll.handle(Message::Key(Key::char('e')));
                        roll.settle(effects);
                    }
                    let start = Instant::now();
                    let effects = roll.handle(Message::Key(Key::char('p')));
                    roll.settle(effects);
                    terminal
                        .draw(|f| qiangji::tui::widgets::chrome::draw(f, &roll.view()))
                        .expect("draw");
                    timed += start.elapsed();
                }
                timed
            })
        });
    }
    g.finish();
}

criterion_group!(benches, frames, province, attendance);
criterion_main!(benches);
