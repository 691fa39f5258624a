//! Waiting on things outside the test: a screen in tmux, a server's log, a
//! command that must finish in time.

use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Looks with `look` until `ready` holds what it saw, and returns that; a
/// panic naming `what` and showing the last look if `timeout` passes first.
pub fn poll(
    what: &str,
    timeout: Duration,
    look: impl Fn() -> String,
    ready: impl Fn(&str) -> bool,
) -> String {
    let deadline = Instant::now() + timeout;
    loop {
        let seen = look();
        if ready(&seen) {
            return seen;
        }
        assert!(
            Instant::now() < deadline,
            "timed out after {timeout:?} waiting for {what}; last seen:\n{seen}"
        );
        std::thread::sleep(Duration::from_millis(25));
    }
}

/// Runs `cmd` (stdin as the caller set it) and returns its output; kills
/// it and fails if it runs longer than `timeout`. Its output is read while
/// it runs, so a large one (a backup) cannot fill the pipe and stall it.
pub fn run_with_timeout(mut cmd: Command, timeout: Duration) -> Output {
    let child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the command starts");
    let pid = child.id();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    match rx.recv_timeout(timeout) {
        Ok(out) => out.expect("its output"),
        Err(_) => {
            let _ = Command::new("kill").args(["-9", &pid.to_string()]).status();
            panic!("{cmd:?} did not finish in {timeout:?}");
        }
    }
}

/// What a command printed, stdout then stderr.
pub fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// The real binary with `args`, as a user would run it: no database or
/// language taken from the environment.
pub fn qiangji(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_qiangji"))
        .args(args)
        .env_remove("QIANGJI_DB")
        .env_remove("QIANGJI_LANG")
        .output()
        .expect("the binary runs")
}

/// Bytes a command printed, as text.
pub fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// `qiangji demo` into `dir/db`; the database's path.
pub fn demo_db(dir: &std::path::Path) -> String {
    let db = dir.join("db").to_str().unwrap().to_string();
    let out = qiangji(&["demo", "--db", &db]);
    assert!(out.status.success(), "demo: {}", lossy(&out.stderr));
    db
}

/// `qiangji check --db DB` finds nothing wrong.
pub fn assert_checks(db: &str) {
    let out = qiangji(&["check", "--db", db]);
    assert_eq!(out.status.code(), Some(0), "{}", lossy(&out.stdout));
}

/// The command succeeded; else a failure showing what it said on stderr.
pub fn assert_ran(out: &Output) {
    assert!(out.status.success(), "{}", lossy(&out.stderr));
}

/// The real binary with the words of `line` (arguments with no spaces in
/// them: the temporary directories' paths have none).
pub fn qiangji_line(line: &str) -> Output {
    let words: Vec<&str> = line.split_whitespace().collect();
    qiangji(&words)
}
