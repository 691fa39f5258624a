//! The signals that end the interface. By default each kills the process at
//! once, leaving the terminal in the alternate screen with the cursor hidden
//! and `--demo`'s directory behind. Every signal from 1 to 31 whose default
//! is to terminate is handled here (SIGKILL alone cannot be):
//!
//! - the ones that ask a program to stop (SIGTERM from `kill`, SIGHUP when
//!   the terminal or SSH connection goes away, SIGQUIT and SIGINT sent by
//!   another program (in raw mode `ctrl-\` and `ctrl-c` are keys), SIGUSR1,
//!   SIGUSR2, the timers, SIGIO, SIGPWR, the resource limits, SIGTRAP,
//!   SIGABRT, SIGSYS): [`install`] replaces the kill with a flag; the event
//!   loop polls [`received`] and returns normally, so the terminal guard,
//!   the database and the demo directory are all dropped the usual way. A
//!   second signal of the same kind while the first is being handled kills
//!   the process as before, so a program that is stuck can still be stopped.
//! - the faults (SIGSEGV, SIGBUS, SIGILL, SIGFPE): sent by another program,
//!   they stop the interface the same way; raised by a real fault, the
//!   process cannot go on, so the handler restores the terminal there and
//!   then (raw terminal calls only, safe in a signal handler) and hands the
//!   fault to the handler that was there before (Rust's stack-overflow
//!   report, else the default).
//! - SIGPIPE is ignored by every Rust program: it does not end it.
//!
//! This module has no terminal or database of its own: it lives outside
//! `tui/` so that any front end (the local runner, a future driver) can poll
//! it. [`restore_terminal`] is the one piece of terminal knowledge it offers,
//! for a front end that has no drop guard of its own.

use std::io::{self, Write};
use std::sync::Arc;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use libc::c_int;

/// The signals that stop the interface through the event loop, in the order
/// they are registered.
pub const STOP_SIGNALS: &[c_int] = &[
    libc::SIGTERM,
    libc::SIGHUP,
    libc::SIGQUIT,
    libc::SIGINT,
    libc::SIGUSR1,
    libc::SIGUSR2,
    libc::SIGALRM,
    libc::SIGVTALRM,
    libc::SIGPROF,
    libc::SIGIO,
    #[cfg(any(target_os = "linux", target_os = "android"))]
    libc::SIGPWR,
    #[cfg(any(target_os = "linux", target_os = "android"))]
    libc::SIGSTKFLT,
    libc::SIGXCPU,
    libc::SIGXFSZ,
    libc::SIGTRAP,
    libc::SIGABRT,
    libc::SIGSYS,
];

/// The faults: handled with `sigaction` directly (signal-hook refuses them).
pub const FAULT_SIGNALS: [c_int; 4] = [libc::SIGSEGV, libc::SIGBUS, libc::SIGILL, libc::SIGFPE];

struct Flags {
    /// Set by the first stop signal; arms the default action for a second one.
    stopping: Arc<AtomicBool>,
    /// The number of the last stop signal received (0: none).
    which: Arc<AtomicUsize>,
}

static FLAGS: OnceLock<Flags> = OnceLock::new();

/// The terminal's modes before the interface changed them (when standard
/// input is a terminal), for a fault's restore.
static TERMIOS: OnceLock<libc::termios> = OnceLock::new();

/// The faults' actions before [`install`], in the order of [`FAULT_SIGNALS`].
static PREVIOUS: OnceLock<Vec<libc::sigaction>> = OnceLock::new();

/// Installs the handlers (once per process; later calls do nothing). Until
/// it is called, the signals keep their default action. Call it before the
/// terminal is put in raw mode: it keeps the terminal's modes for a fault.
pub fn install() -> io::Result<()> {
    if FLAGS.get().is_some() {
        return Ok(());
    }
    // SAFETY: tcgetattr fills the struct it is given; a zeroed termios is a
    // valid value of it.
    unsafe {
        let mut t: libc::termios = std::mem::zeroed();
        if libc::isatty(0) == 1 && libc::tcgetattr(0, &mut t) == 0 {
            let _ = TERMIOS.set(t);
        }
    }
    let flags = Flags {
        stopping: Arc::new(AtomicBool::new(false)),
        which: Arc::new(AtomicUsize::new(0)),
    };
    for &signal in STOP_SIGNALS {
        // Registered first, so it sees the flag as it was before this
        // delivery: only a repeated signal takes the default action. (Not
        // signal-hook's register_conditional_default: its table lacks
        // SIGPWR and SIGSTKFLT and takes SIGIO's default for "ignore".)
        let stopping = flags.stopping.clone();
        // SAFETY: the action makes only async-signal-safe calls (an atomic
        // load, signal, raise).
        unsafe {
            signal_hook::low_level::register(signal, move || {
                if stopping.load(Ordering::SeqCst) {
                    libc::signal(signal, libc::SIG_DFL);
                    libc::raise(signal);
                }
            })?;
        }
        signal_hook::flag::register(signal, flags.stopping.clone())?;
        signal_hook::flag::register_usize(signal, flags.which.clone(), signal as usize)?;
    }
    let _ = FLAGS.set(flags);
    install_fault_handlers()
}

fn install_fault_handlers() -> io::Result<()> {
    let mut previous = Vec::new();
    for signal in FAULT_SIGNALS {
        // SAFETY: a zeroed sigaction is valid; the handler only makes
        // async-signal-safe calls (see `on_fault`).
        unsafe {
            let mut action: libc::sigaction = std::mem::zeroed();
            action.sa_sigaction = on_fault as *const () as libc::sighandler_t;
            action.sa_flags = libc::SA_SIGINFO | libc::SA_ONSTACK;
            libc::sigemptyset(&mut action.sa_mask);
            let mut old: libc::sigaction = std::mem::zeroed();
            if libc::sigaction(signal, &action, &mut old) != 0 {
                return Err(io::Error::last_os_error());
            }
            previous.push(old);
        }
    }
    let _ = PREVIOUS.set(previous);
    Ok(())
}

/// A fault's handler. Sent by another program (`kill -SEGV`), it is a stop
/// signal like SIGTERM; a real fault (or a second one sent) restores the
/// terminal and gives the signal to the action that was there before, which
/// ends the process. Only async-signal-safe calls: atomics, tcsetattr,
/// write, sigaction, raise.
extern "C" fn on_fault(signal: c_int, info: *mut libc::siginfo_t, _context: *mut libc::c_void) {
    // SAFETY: the kernel hands a valid siginfo to an SA_SIGINFO handler.
    let sent = !info.is_null() && unsafe { (*info).si_code } <= 0;
    if sent
        && let Some(flags) = FLAGS.get()
        && !flags.stopping.swap(true, Ordering::SeqCst)
    {
        flags.which.store(signal as usize, Ordering::SeqCst);
        return;
    }
    restore_terminal_in_handler();
    let index = FAULT_SIGNALS.iter().position(|&s| s == signal);
    // SAFETY: sigaction and raise are async-signal-safe.
    unsafe {
        match (sent, index.and_then(|i| PREVIOUS.get()?.get(i))) {
            (false, Some(old)) => {
                // Returning re-runs the faulting instruction, which now
                // reaches the previous action.
                libc::sigaction(signal, old, std::ptr::null_mut());
            }
            _ => {
                libc::signal(signal, libc::SIG_DFL);
                if sent {
                    libc::raise(signal);
                }
            }
        }
    }
}

/// Raw mode off and the alternate screen, bracketed paste and the hidden
/// cursor undone, with calls that are safe inside a signal handler.
fn restore_terminal_in_handler() {
    const LEAVE: &[u8] = b"\x1b[?2004l\x1b[?1049l\x1b[?25h\r\n";
    // SAFETY: tcsetattr and write are async-signal-safe; the termios was
    // set before any handler was installed.
    unsafe {
        if let Some(t) = TERMIOS.get() {
            libc::tcsetattr(0, libc::TCSANOW, t);
        }
        libc::write(1, LEAVE.as_ptr().cast(), LEAVE.len());
    }
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

/// The usual name of a signal, for messages.
pub fn name(signal: i32) -> &'static str {
    match signal {
        libc::SIGHUP => "SIGHUP",
        libc::SIGINT => "SIGINT",
        libc::SIGQUIT => "SIGQUIT",
        libc::SIGILL => "SIGILL",
        libc::SIGTRAP => "SIGTRAP",
        libc::SIGABRT => "SIGABRT",
        libc::SIGBUS => "SIGBUS",
        libc::SIGFPE => "SIGFPE",
        libc::SIGUSR1 => "SIGUSR1",
        libc::SIGSEGV => "SIGSEGV",
        libc::SIGUSR2 => "SIGUSR2",
        libc::SIGALRM => "SIGALRM",
        libc::SIGTERM => "SIGTERM",
        #[cfg(any(target_os = "linux", target_os = "android"))]
        libc::SIGSTKFLT => "SIGSTKFLT",
        libc::SIGXCPU => "SIGXCPU",
        libc::SIGXFSZ => "SIGXFSZ",
        libc::SIGVTALRM => "SIGVTALRM",
        libc::SIGPROF => "SIGPROF",
        libc::SIGIO => "SIGIO",
        #[cfg(any(target_os = "linux", target_os = "android"))]
        libc::SIGPWR => "SIGPWR",
        libc::SIGSYS => "SIGSYS",
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
