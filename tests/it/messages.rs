//! What the binary says when it cannot do what was asked (issue 9, point 12):
//! one line, in the language asked for, with what the user typed shown but
//! never run by the terminal, and an exit code per kind of problem.

use std::fs;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use crate::common;

use common::process::lossy as text;

const BIN: &str = env!("CARGO_BIN_EXE_qiangji");

/// The binary with no terminal (stdin empty, stdout and stderr captured), in
/// a sandbox: HOME and TMPDIR in `home`, no QIANGJI_* variables.
fn qiangji_in(home: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .env_remove("QIANGJI_DB")
        .env_remove("QIANGJI_LANG")
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_STATE_HOME", home.join("state"))
        .env("TMPDIR", home)
        .stdin(Stdio::null());
    cmd
}

fn run(mut cmd: Command) -> Output {
    cmd.output().expect("the binary runs")
}

/// The one line of stderr.
fn one_line(out: &Output) -> String {
    let err = text(&out.stderr);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 1, "not one line: {err:?}");
    lines[0].to_string()
}

fn no_control_characters(s: &str) {
    assert!(
        !s.chars().any(|c| c.is_control() && c != '\n'),
        "a control character reached stderr: {s:?}"
    );
}

#[test]
fn without_a_terminal_the_dashboard_says_so_and_creates_nothing() {
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("new").join("db");
    for (lang, says) in [
        ("zh", "界面需要在终端中运行"),
        ("en", "the dashboard needs a terminal"),
    ] {
        let out = run(qiangji_in(
            home.path(),
            &["--lang", lang, "--db", db.to_str().unwrap()],
        ));
        assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
        let line = one_line(&out);
        assert!(line.contains(says), "{line}");
        assert!(!line.contains("No such device"), "{line}");
        assert!(
            !home.path().join("new").exists(),
            "something was created for {db:?}"
        );
    }
    // --demo neither: no demo directory, no data written.
    let out = run(qiangji_in(home.path(), &["--demo", "--lang", "en"]));
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(one_line(&out).contains("needs a terminal"));
    let made: Vec<_> = fs::read_dir(home.path())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("qiangji-demo-"))
        .collect();
    assert!(made.is_empty(), "--demo without a terminal made {made:?}");
}

#[test]
fn lang_en_overrides_a_bad_qiangji_lang_and_a_bad_one_alone_is_a_usage_error() {
    let home = tempfile::tempdir().unwrap();
    let missing = home.path().join("nothing-here");
    let missing = missing.to_str().unwrap();
    let mut cmd = qiangji_in(home.path(), &["--lang", "en", "check", "--db", missing]);
    cmd.env("QIANGJI_LANG", "klingon");
    let out = run(cmd);
    let line = one_line(&out);
    assert_eq!(out.status.code(), Some(2), "{line}");
    assert!(
        line.contains("no database at"),
        "not English, or not the database's problem: {line}"
    );

    let mut cmd = qiangji_in(home.path(), &["check", "--db", missing]);
    cmd.env("QIANGJI_LANG", "klingon");
    let out = run(cmd);
    let line = one_line(&out);
    assert_eq!(out.status.code(), Some(64), "{line}");
    assert!(
        line.contains("QIANGJI_LANG") && line.contains("klingon") && line.contains("请用 zh 或 en"),
        "{line}"
    );
    assert!(
        !line.is_ascii() && !line.contains("use zh or en"),
        "two languages in one line: {line}"
    );

    // A good QIANGJI_LANG still works, and --lang zh overrides it.
    let mut cmd = qiangji_in(home.path(), &["check", "--db", missing]);
    cmd.env("QIANGJI_LANG", "en");
    assert!(one_line(&run(cmd)).contains("no database at"));
    let mut cmd = qiangji_in(home.path(), &["--lang", "zh", "check", "--db", missing]);
    cmd.env("QIANGJI_LANG", "en");
    assert!(one_line(&run(cmd)).contains("没有数据库"));
}

#[test]
fn usage_errors_exit_64_and_an_unopenable_database_still_exits_2() {
    let home = tempfile::tempdir().unwrap();
    for args in [
        &["export", "trainees", "--project", "music"][..],
        &["--no-such-option"],
        &["ledger", "--year", "soon"],
        &["screenshot", "--out", "x", "--size", "big"],
        &["--lang", "fr", "check"],
    ] {
        let out = run(qiangji_in(home.path(), args));
        assert_eq!(
            out.status.code(),
            Some(64),
            "{args:?}: {}",
            text(&out.stderr)
        );
        assert!(!text(&out.stderr).is_empty(), "{args:?} said nothing");
    }
    let missing = home.path().join("nothing-here");
    let out = run(qiangji_in(
        home.path(),
        &["check", "--db", missing.to_str().unwrap()],
    ));
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    // Help and version are asked for: success, on stdout.
    for args in [&["--help"][..], &["--version"], &["export", "--help"]] {
        let out = run(qiangji_in(home.path(), args));
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        assert!(!out.stdout.is_empty());
    }
}

#[test]
fn escape_sequences_in_a_db_path_a_keymap_action_or_an_argument_reach_stderr_neutralised() {
    let home = tempfile::tempdir().unwrap();
    let evil = home.path().join("x\u{1b}]0;PWNED\u{7}\u{1b}[31mred\ny");
    let out = run(qiangji_in(
        home.path(),
        &["check", "--db", evil.to_str().unwrap()],
    ));
    assert_eq!(out.status.code(), Some(2));
    let line = one_line(&out);
    no_control_characters(&line);
    assert!(
        line.contains("x\\u{1b}]0;PWNED\\u{7}\\u{1b}[31mred\\u{a}y"),
        "{line}"
    );

    let keymap = home.path().join("keymap.toml");
    fs::write(&keymap, "[list]\n\"x\" = \"\\u001b]0;PWNED\\u0007quit\"\n").unwrap();
    let out = run(qiangji_in(
        home.path(),
        &["--lang", "en", "--keymap", keymap.to_str().unwrap()],
    ));
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let line = one_line(&out);
    no_control_characters(&line);
    assert!(
        line.contains("unknown action") && line.contains("\\u{1b}]0;PWNED"),
        "{line}"
    );

    // clap echoes a bad value in its own (several-line) message.
    let out = run(qiangji_in(
        home.path(),
        &["ledger", "--year", "\u{1b}[2J2026"],
    ));
    assert_eq!(out.status.code(), Some(64));
    no_control_characters(&text(&out.stderr));
    let out = run(qiangji_in(home.path(), &["--lang", "\u{1b}[2J", "check"]));
    assert_eq!(out.status.code(), Some(64));
    no_control_characters(&one_line(&out));
}

/// Runs `args` as the unprivileged user 65534 (nobody): as root through
/// setpriv, as anyone else directly. None (after saying why) where that
/// cannot be done outside CI.
fn as_another_user(home: &Path, args: &[&str]) -> Option<Output> {
    // SAFETY: geteuid has no preconditions.
    let root = unsafe { libc_geteuid() } == 0;
    if !root {
        return Some(run(qiangji_in(home, args)));
    }
    if !common::tools::available("setpriv", &["--version"], "a database of another user") {
        return None;
    }
    // A copy of the binary where that user may run it: the target
    // directory may not be reachable by others.
    let bin = home.join("qiangji-copy");
    if !bin.exists() {
        fs::copy(BIN, &bin).unwrap();
    }
    let mut cmd = qiangji_in(home, args);
    let program = bin.into_os_string();
    let mut setpriv = Command::new("setpriv");
    setpriv
        .args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
        .arg(program)
        .args(cmd.get_args());
    for (k, v) in cmd.get_envs() {
        match v {
            Some(v) => setpriv.env(k, v),
            None => setpriv.env_remove(k),
        };
    }
    setpriv.stdin(Stdio::null());
    cmd = setpriv;
    Some(run(cmd))
}

unsafe extern "C" {
    #[link_name = "geteuid"]
    fn libc_geteuid() -> u32;
}

#[test]
fn a_database_of_another_user_is_permission_denied_not_missing() {
    use std::os::unix::fs::PermissionsExt;
    let home = tempfile::tempdir().unwrap();
    // The sandbox and the binary must be reachable by the other user.
    fs::set_permissions(home.path(), fs::Permissions::from_mode(0o755)).unwrap();
    let db = home.path().join("db");
    drop(qiangji::registry::Registry::open(&db, true).unwrap());
    // Mode 700 for its owner (root, or this user with no rights left at all).
    // SAFETY: geteuid has no preconditions.
    let root = unsafe { libc_geteuid() } == 0;
    let mode = if root { 0o700 } else { 0o000 };
    fs::set_permissions(&db, fs::Permissions::from_mode(mode)).unwrap();
    let db_arg = db.to_str().unwrap();
    for (lang, says, wrong) in [
        ("en", "permission denied", "no database"),
        ("zh", "权限", "没有数据库"),
    ] {
        let Some(out) = as_another_user(home.path(), &["--lang", lang, "check", "--db", db_arg])
        else {
            return;
        };
        let line = one_line(&out);
        if line.starts_with("setpriv:") {
            common::tools::skip_or_fail(&format!("setpriv cannot run the binary as 65534: {line}"));
            return;
        }
        assert_eq!(out.status.code(), Some(2), "{line}");
        assert!(line.contains(says) && !line.contains(wrong), "{line}");
        // The dashboard without a terminal says the same, and creates nothing.
        let Some(out) = as_another_user(home.path(), &["--lang", lang, "--db", db_arg]) else {
            return;
        };
        let line = one_line(&out);
        assert_eq!(out.status.code(), Some(2), "{line}");
        assert!(line.contains(says), "{line}");
    }
    fs::set_permissions(&db, fs::Permissions::from_mode(0o700)).unwrap();
}
