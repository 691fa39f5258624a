//! The signals that ask the interface to stop: SIGTERM (`kill`), SIGHUP (the
//! terminal or SSH connection went away), SIGQUIT and SIGINT (sent by another
//! program: in raw mode `ctrl-\` and `ctrl-c` are keys, not signals). By default each kills the process at once, leaving the terminal in
//! the alternate screen with the cursor hidden and `--demo`'s directory behind.
//!
//! [`install`] replaces that with a flag: the event loop polls [`received`]
//! and returns normally, so the terminal guard, the database and the demo
//! directory are all dropped the usual way. A second signal of the same kind
//! while the first is being handled kills the process as before, so a program
//! that is stuck can still be stopped.
//!
//! This module has no terminal or database of its own: it lives outside
//! `tui/` so that any front end (the local runner, a future driver) can poll
//! it. [`restore_terminal`] is the one piece of terminal knowledge it offers,
//! for a front end that has no drop guard of its own.

use std::io::{self, Write};
use std::sync::Arc;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM};

/// The signals handled, in the order they are registered.
pub const STOP_SIGNALS: [i32; 4] = [SIGTERM, SIGHUP, SIGQUIT, SIGINT];

struct Flags {
    /// Set by the first stop signal; arms the default action for a second one.
    stopping: Arc<AtomicBool>,
    /// The number of the last stop signal received (0: none).
    which: Arc<AtomicUsize>,
}

static FLAGS: OnceLock<Flags> = OnceLock::new();

/// Installs the handlers (once per process; later calls do nothing). Until
/// it is called, the signals keep their default action.
pub fn install() -> io::Result<()> {
    if FLAGS.get().is_some() {
        return Ok(());
    }
    let flags = Flags {
        stopping: Arc::new(AtomicBool::new(false)),
        which: Arc::new(AtomicUsize::new(0)),
    };
    for signal in STOP_SIGNALS {
        // Registered first, so it sees the flag as it was before this
        // delivery: only a repeated signal takes the default action.
        signal_hook::flag::register_conditional_default(signal, flags.stopping.clone())?;
        signal_hook::flag::register(signal, flags.stopping.clone())?;
        signal_hook::flag::register_usize(signal, flags.which.clone(), signal as usize)?;
    }
    let _ = FLAGS.set(flags);
    Ok(())
}

/// The stop signal received since [`install`], if any.
pub fn received() -> Option<i32> {
    let flags = FLAGS.get()?;
    if !flags.stopping.load(Ordering::SeqCst) {
        return None;
    }
    match flags.which.load(Ordering::SeqCst) {
        0 => None,
        n => i32::try_from(n).ok(),
    }
}

/// The usual name of a stop signal, for messages.
pub fn name(signal: i32) -> &'static str {
    match signal {
        SIGTERM => "SIGTERM",
        SIGHUP => "SIGHUP",
        SIGQUIT => "SIGQUIT",
        SIGINT => "SIGINT",
        _ => "signal",
    }
}

/// The exit status a shell reports for a process ended by `signal` (128 + its
/// number), so scripts can tell a stopped run from a refusal.
pub fn exit_code(signal: i32) -> i32 {
    128 + signal
}

/// Leaves raw mode and the alternate screen and shows the cursor. Errors are
/// ignored: after a hang-up there is no terminal to restore.
pub fn restore_terminal() {
    let _ = crossterm::terminal::disable_raw_mode();
    let mut out = io::stdout();
    let _ = crossterm::execute!(
        out,
        crossterm::terminal::LeaveAlternateScreen,
        crossterm::cursor::Show
    );
    let _ = out.flush();
}
