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

    // Most failures to open (locked, missing, damaged) are quick: wait a
    // moment for them so they print as one line without the screen flashing.
    let early = match rx.recv_timeout(Duration::from_millis(50)) {
        Ok(Err(e)) => return Err(e),
        Ok(Ok(registry)) => Some(registry),
        Err(_) => None,
    };
    let guard = match TerminalGuard::enter() {
        Ok(g) => g,
        // No terminal to draw on (e.g. run from a script): a database error
        // is still the more useful thing to report.
        Err(e) => {
            if early.is_none()
                && let Ok(Err(open)) = rx.recv_timeout(Duration::from_secs(2))
            {
                return Err(open);
            }
            return Err(e.into());
        }
    };
    let mut terminal = Terminal::new(CrosstermBackend::new(io::stdout()))?;
    let size = terminal.size()?;
    app.handle(Event::Resize(size.width, size.height));
    let already_open = early.is_some();
    if let Some(registry) = early {
        app.handle(Event::Opened(Arc::new(registry)));
    }
    let result = event_loop(&mut terminal, &mut app, &rx, already_open);
    drop(terminal);
    drop(guard);
    result
}

fn event_loop(
    terminal: &mut Terminal<CrosstermBackend<Stdout>>,
    app: &mut App,
    opened: &mpsc::Receiver<Result<Registry, RunError>>,
    already_open: bool,
) -> Result<(), RunError> {
    let mut waiting = !already_open;
    let mut dirty = true;
    loop {
        if dirty {
            terminal.draw(|f| super::view::draw(f, app))?;
            dirty = false;
        }
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
        // SIGTERM, SIGHUP, SIGQUIT, SIGINT: end like `q`, so the guard restores the
        // terminal and the caller cleans up (see crate::signals).
        if crate::signals::received().is_some() {
            return Ok(());
        }
        if waiting {
            match opened.try_recv() {
                Ok(Ok(registry)) => {
                    waiting = false;
                    tracing::info!(path = %registry.store().path().display(), "database open");
                    app.handle(Event::Opened(Arc::new(registry)));
                    dirty = true;
                }
                Ok(Err(e)) => return Err(e),
                Err(mpsc::TryRecvError::Empty) => {}
                Err(mpsc::TryRecvError::Disconnected) => {
                    return Err(RunError::Load("the database thread stopped".into()));
                }
            }
        }
        dirty |= !events.is_empty();
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
