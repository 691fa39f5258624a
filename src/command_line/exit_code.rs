//! The exit codes scripts rely on, the same for a local run and an SSH
//! command (`ssh` returns the remote status).

/// Everything went as asked.
pub const OK: i32 = 0;
/// A refusal (the registry said no, `check` found a violation, a file could
/// not be written, the dashboard has no terminal to draw on, the role may
/// not run the command).
pub const REFUSED: i32 = 1;
/// The database cannot be opened: locked, newer, damaged, missing, denied.
pub const CANNOT_OPEN: i32 = 2;
/// The command line is wrong: an unknown option, a bad value (EX_USAGE).
pub const USAGE: i32 = 64;
// 128 + N: stopped by signal N (SIGHUP 129, SIGQUIT 131, SIGTERM 143), see
// `crate::signals::exit_code`.
