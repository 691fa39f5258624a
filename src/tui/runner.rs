//! The local terminal: raw mode and the alternate screen, restored by a drop
//! guard on every exit and by a panic hook before any panic message; the event
//! loop that handles every queued event and then draws once; the database
//! opened off the drawing thread so the first frame never waits for it.

use std::io::{self, Stdout, Write};
use std::sync::Arc;
use std::sync::mpsc;
use std::time::Duration;

use crossterm::event::{self, Event as TermEvent, KeyEventKind};
use crossterm::{cursor, execute, terminal};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

use super::app::{App, Effect, Event};
use super::key::Key;
use crate::registry::Registry;
use crate::store::OpenError;

/// Restores the terminal when dropped, however the loop ends.
struct TerminalGuard;

impl TerminalGuard {
    fn enter() -> io::Result<TerminalGuard> {
        terminal::enable_raw_mode()?;
        let guard = TerminalGuard;
        execute!(io::stdout(), terminal::EnterAlternateScreen, cursor::Hide)?;
        Ok(guard)
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore();
    }
}

fn restore() {
    let _ = terminal::disable_raw_mode();
    let _ = execute!(io::stdout(), terminal::LeaveAlternateScreen, cursor::Show);
    let _ = io::stdout().flush();
}

/// Restores the terminal before the default panic report, so the message is
/// readable and the shell is usable afterwards.
fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        previous(info);
    }));
}

/// Why the interface could not run.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("{0}")]
    Open(#[from] OpenError),
    #[error("terminal: {0}")]
    Terminal(#[from] io::Error),
    #[error("{0}")]
    Load(String),
}

/// Runs the interface until the user quits. `open` runs on a worker thread
/// and yields the registry (it may also write demo data first).
pub fn run(
    mut app: App,
    open: impl FnOnce() -> Result<Registry, RunError> + Send + 'static,
) -> Result<(), RunError> {
    install_panic_hook();
    let (tx, rx) = mpsc::channel();
    std::thread::Builder::new()
        .name("open-database".into())
        .spawn(move || {
            let _ = tx.send(open());
        })?;

    let guard = TerminalGuard::enter()?;
    let mut terminal = Terminal::new(CrosstermBackend::new(io::stdout()))?;
    let size = terminal.size()?;
    app.handle(Event::Resize(size.width, size.height));
    let result = event_loop(&mut terminal, &mut app, &rx);
    drop(terminal);
    drop(guard);
    result
}

fn event_loop(
    terminal: &mut Terminal<CrosstermBackend<Stdout>>,
    app: &mut App,
    opened: &mpsc::Receiver<Result<Registry, RunError>>,
) -> Result<(), RunError> {
    let mut waiting = true;
    loop {
        terminal.draw(|f| super::view::draw(f, app))?;
        // Wait for something to happen, then take everything queued before
        // drawing again: a burst of keys costs one frame.
        let mut events = Vec::new();
        let timeout = if waiting {
            Duration::from_millis(20)
        } else {
            Duration::from_secs(1)
        };
        if event::poll(timeout)? {
            events.push(event::read()?);
            while event::poll(Duration::ZERO)? {
                events.push(event::read()?);
            }
        }
        if waiting {
            match opened.try_recv() {
                Ok(Ok(registry)) => {
                    waiting = false;
                    tracing::info!(path = %registry.store().path().display(), "database open");
                    app.handle(Event::Opened(Arc::new(registry)));
                }
                Ok(Err(e)) => return Err(e),
                Err(mpsc::TryRecvError::Empty) => {}
                Err(mpsc::TryRecvError::Disconnected) => {
                    return Err(RunError::Load("the database thread stopped".into()));
                }
            }
        }
        for e in events {
            let ev = match e {
                TermEvent::Key(k) if k.kind != KeyEventKind::Release => Event::Key(Key::from(k)),
                TermEvent::Resize(w, h) => Event::Resize(w, h),
                _ => continue,
            };
            for effect in app.handle(ev) {
                match effect {
                    Effect::Quit => return Ok(()),
                    Effect::Applied(e) => {
                        tracing::info!(audit = e.audit_id, record = e.id, "applied")
                    }
                }
            }
        }
    }
}

/// Sends log lines to a file in the state directory: never to the screen.
pub fn init_logging() {
    let Some(dirs) = directories::ProjectDirs::from("", "", "qiangji") else {
        return;
    };
    let dir = dirs
        .state_dir()
        .unwrap_or_else(|| dirs.data_local_dir())
        .to_path_buf();
    if std::fs::create_dir_all(&dir).is_err() {
        return;
    }
    let Ok(file) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(dir.join("qiangji.log"))
    else {
        return;
    };
    let _ = tracing_subscriber::fmt()
        .with_writer(std::sync::Mutex::new(file))
        .with_ansi(false)
        .try_init();
}
