//! The local terminal, a thin adapter over the driver: raw mode, the
//! alternate screen and bracketed paste, restored by a drop guard on every
//! exit and by a panic hook before any panic message; a thread turning
//! crossterm's events into the App's; the database opened off the drawing
//! thread so the first frame never waits for it.

use std::io::{self, Write};
use std::sync::Arc;
use std::sync::mpsc;
use std::time::Duration;

use crossterm::event::{self, Event as TermEvent, KeyEventKind};
use crossterm::{cursor, execute, terminal};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

use super::driver::{Driver, DriverError};
use crate::registry::Registry;
use crate::store::OpenError;
use crate::tui::app::{App, Message};
use crate::tui::input::key::Key;

/// Restores the terminal when dropped, however the loop ends.
struct TerminalGuard;

impl TerminalGuard {
    fn enter() -> io::Result<TerminalGuard> {
        terminal::enable_raw_mode()?;
        let guard = TerminalGuard;
        execute!(
            io::stdout(),
            terminal::EnterAlternateScreen,
            event::EnableBracketedPaste,
            cursor::Hide
        )?;
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
    let _ = execute!(
        io::stdout(),
        event::DisableBracketedPaste,
        terminal::LeaveAlternateScreen,
        cursor::Show
    );
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
    let (opened_tx, opened_rx) = mpsc::channel();
    std::thread::Builder::new()
        .name("open-database".into())
        .spawn(move || {
            let _ = opened_tx.send(open());
        })?;

    // Most failures to open (locked, missing, damaged) are quick: wait a
    // moment for them so they print as one line without the screen flashing.
    let early = match opened_rx.recv_timeout(Duration::from_millis(50)) {
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
                && let Ok(Err(open)) = opened_rx.recv_timeout(Duration::from_secs(2))
            {
                return Err(open);
            }
            return Err(e.into());
        }
    };
    let terminal = Terminal::new(CrosstermBackend::new(io::stdout()))?;
    let size = terminal.size()?;
    app.handle(Message::Resize(size.width, size.height));
    let (tx, rx) = mpsc::channel();
    let mut waiting = true;
    if let Some(registry) = early {
        let _ = tx.send(Message::Opened(Arc::new(registry)));
        waiting = false;
    }
    spawn_input(tx.clone())?;
    let mut driver = Driver::new(terminal, app, rx, tx.clone());
    driver.draw().map_err(driver_error)?;
    loop {
        if waiting {
            match opened_rx.try_recv() {
                Ok(Ok(registry)) => {
                    waiting = false;
                    tracing::info!(path = %registry.store().path().display(), "database open");
                    let _ = tx.send(Message::Opened(Arc::new(registry)));
                }
                Ok(Err(e)) => return Err(e),
                Err(mpsc::TryRecvError::Empty) => {}
                Err(mpsc::TryRecvError::Disconnected) => {
                    return Err(RunError::Load("the database thread stopped".into()));
                }
            }
        }
        // SIGTERM, SIGHUP, SIGQUIT, SIGINT: end like `q`, so the guard
        // restores the terminal and the caller cleans up.
        if crate::signals::received().is_some() {
            break;
        }
        // While the database opens, look again soon; after that events wake
        // the loop, and a signal is seen within a quarter second.
        let timeout = if waiting {
            Duration::from_millis(20)
        } else {
            Duration::from_millis(250)
        };
        if !driver.step(timeout).map_err(driver_error)? {
            break;
        }
    }
    drop(driver);
    drop(guard);
    Ok(())
}

fn driver_error(e: DriverError) -> RunError {
    RunError::Load(e.to_string())
}

/// A thread reading the terminal: keys (not their release), pastes whole,
/// size changes. It ends when the App's end drops the receiver.
fn spawn_input(tx: mpsc::Sender<Message>) -> io::Result<()> {
    std::thread::Builder::new()
        .name("terminal-input".into())
        .spawn(move || {
            while let Ok(e) = event::read() {
                let ev = match e {
                    TermEvent::Key(k) if k.kind != KeyEventKind::Release => {
                        Message::Key(Key::from(k))
                    }
                    TermEvent::Paste(text) => Message::Paste(text),
                    TermEvent::Resize(w, h) => Message::Resize(w, h),
                    _ => continue,
                };
                if tx.send(ev).is_err() {
                    break;
                }
            }
        })?;
    Ok(())
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
