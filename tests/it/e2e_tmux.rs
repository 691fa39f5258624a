//! End to end: the real binary in a real terminal. `qiangji --demo` runs in a
//! detached tmux session of 80x24 cells on a private tmux server; the test
//! types keys with `send-keys` and reads the screen with `capture-pane`,
//! polling (never sleeping a fixed time) until the screen shows what it waits
//! for.
//!
//! Everything the binary and tmux write (logs, config, the demo database, the
//! tmux socket) stays in a temporary directory: `HOME`, `XDG_*` and `TMPDIR`
//! point into it, and `QIANGJI_DB` / `QIANGJI_LANG` are removed. A drop guard
//! kills the tmux server however the test ends.
//!
//! Without tmux the tests print why and skip, except in CI (`CI=true`),
//! where they fail: `.ci/run` installs tmux.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use pinyin::ToPinyin;
use tempfile::TempDir;

use crate::common;

use common::process::{poll, run_with_timeout};

const BIN: &str = env!("CARGO_BIN_EXE_qiangji");
/// The demo database is generated while the first frames are drawn.
const STARTUP: Duration = Duration::from_secs(20);
/// Any other change of the screen after a key.
const STEP: Duration = Duration::from_secs(10);
const POLL: Duration = Duration::from_millis(50);

/// The six group names, in the order of the keys `1`..`6`.
const GROUPS: [&str; 6] = [
    "数学组",
    "物理组",
    "化学组",
    "生物学组",
    "信息学组",
    "历史哲学古文字学组",
];

/// Box-drawing characters of the interface's frames.
const FRAME: &[char] = &['┌', '┐', '└', '┘', '│', '─'];

/// Without tmux: a failure in CI (`.ci/run` installs it), else a skip that
/// says why (see `common::tools`).
fn tmux_available() -> bool {
    common::tools::available("tmux", &["-V"], "the binary in a real terminal")
}

/// Quotes `s` for `sh`.
fn sh(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

fn path_str(p: &Path) -> &str {
    p.to_str().expect("temporary paths are UTF-8")
}

/// A private tmux server and the sandbox directory of everything it runs.
/// Dropping it kills the server (and so every program in its panes) before
/// the directory is removed.
struct Tmux {
    socket: PathBuf,
    home: TempDir,
}

impl Tmux {
    fn new() -> Tmux {
        let home = tempfile::Builder::new()
            .prefix("qiangji-e2e-")
            .tempdir()
            .unwrap();
        for sub in ["config", "data", "state", "cache", "tmp"] {
            fs::create_dir(home.path().join(sub)).unwrap();
        }
        // No status line: the program gets all 24 rows.
        fs::write(home.path().join("tmux.conf"), "set -g status off\n").unwrap();
        Tmux {
            socket: home.path().join("tmux.sock"),
            home,
        }
    }

    fn dir(&self) -> &Path {
        self.home.path()
    }

    /// The sandbox environment: variables to set, and variables to remove.
    fn env_vars(&self) -> Vec<(&'static str, String)> {
        let at = |sub: &str| path_str(&self.dir().join(sub)).to_string();
        vec![
            ("HOME", path_str(self.dir()).to_string()),
            ("XDG_CONFIG_HOME", at("config")),
            ("XDG_DATA_HOME", at("data")),
            ("XDG_STATE_HOME", at("state")),
            ("XDG_CACHE_HOME", at("cache")),
            // `--demo` makes its database here: removed with the sandbox even
            // if the program is killed.
            ("TMPDIR", at("tmp")),
            ("SHELL", "/bin/sh".to_string()),
        ]
    }

    const REMOVED: [&'static str; 4] = ["QIANGJI_DB", "QIANGJI_LANG", "TMUX", "XDG_RUNTIME_DIR"];

    fn sandboxed(&self, mut cmd: Command) -> Command {
        for var in Self::REMOVED {
            cmd.env_remove(var);
        }
        cmd.envs(self.env_vars());
        cmd
    }

    fn tmux(&self, args: &[&str]) -> Output {
        let mut cmd = self.sandboxed(Command::new("tmux"));
        cmd.arg("-S").arg(&self.socket).args(args);
        cmd.stdin(Stdio::null());
        let out = cmd.output().expect("tmux runs");
        assert!(
            out.status.success(),
            "tmux {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }

    /// Starts `command` (run by `sh`) in a new detached 80x24 session.
    fn new_session(&self, name: &str, command: &str) {
        let conf = self.dir().join("tmux.conf");
        let mut cmd = self.sandboxed(Command::new("tmux"));
        cmd.arg("-S").arg(&self.socket).arg("-f").arg(&conf).args([
            "new-session",
            "-d",
            "-s",
            name,
            "-x",
            "80",
            "-y",
            "24",
        ]);
        for (var, value) in self.env_vars() {
            cmd.arg("-e").arg(format!("{var}={value}"));
        }
        let command = format!("unset {}; {command}", Self::REMOVED.join(" "));
        cmd.arg(command).stdin(Stdio::null());
        let out = cmd.output().expect("tmux runs");
        assert!(
            out.status.success(),
            "tmux new-session failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let size = self.display(name, "#{pane_width}x#{pane_height}");
        assert_eq!(size, "80x24", "the pane has the wrong size");
    }

    fn capture(&self, session: &str) -> String {
        let out = self.tmux(&["capture-pane", "-p", "-t", session]);
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// A tmux format (`#{...}`) evaluated for the session's pane.
    fn display(&self, session: &str, format: &str) -> String {
        let out = self.tmux(&["display-message", "-p", "-t", session, format]);
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    /// Presses keys by tmux name (`1`, `/`, `Enter`, `Escape`, `q`).
    fn keys(&self, session: &str, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", session];
        args.extend_from_slice(keys);
        self.tmux(&args);
    }

    /// Types `text` literally.
    fn type_text(&self, session: &str, text: &str) {
        self.tmux(&["send-keys", "-t", session, "-l", text]);
    }

    /// Polls the screen until `ready` holds; the screen, or a panic showing
    /// the last screen.
    fn wait_for(
        &self,
        session: &str,
        what: &str,
        timeout: Duration,
        ready: impl Fn(&str) -> bool,
    ) -> String {
        poll(what, timeout, || self.capture(session), ready)
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self
            .sandboxed(Command::new("tmux"))
            .arg("-S")
            .arg(&self.socket)
            .arg("kill-server")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
}

/// Waits for `file` to hold the whole line `EXIT=<code>` and returns the code.
fn wait_exit_code(file: &Path, tmux: &Tmux, session: &str) -> i32 {
    let deadline = Instant::now() + STEP;
    loop {
        if let Ok(text) = fs::read_to_string(file)
            && text.ends_with('\n')
        {
            let code = text.trim().strip_prefix("EXIT=");
            return code
                .and_then(|c| c.parse().ok())
                .unwrap_or_else(|| panic!("{}: unexpected {text:?}", file.display()));
        }
        if Instant::now() >= deadline {
            panic!(
                "the program did not exit within {STEP:?} ({} not written); the screen:\n{}",
                file.display(),
                tmux.capture(session)
            );
        }
        std::thread::sleep(POLL);
    }
}

/// The first line: ` 强基 Qiangji  | 数学组 | 2026-2027学年第一学期 | ...`.
fn title(screen: &str) -> &str {
    screen.lines().next().unwrap_or("")
}

/// The group is a part of the title (the first when the program's name gave
/// way to who is logged in at 80 columns).
fn title_shows(screen: &str, group: &str) -> bool {
    let t = title(screen);
    t.contains(&format!("| {group} |")) || t.trim_start().starts_with(&format!("{group} |"))
}

/// `(N, M)` from the filter line's `显示 N / M`.
fn shown(screen: &str) -> Option<(usize, usize)> {
    let rest = screen.split_once("显示 ")?.1;
    let (n, rest) = rest.split_once(" / ")?;
    let m: String = rest.chars().take_while(char::is_ascii_digit).collect();
    Some((n.trim().parse().ok()?, m.parse().ok()?))
}

/// The trainee names in the visible rows of a workspace table (`│> 蔡晨曦   学生 ...`,
/// `│  蔡敏     学生 ...`).
fn visible_names(screen: &str) -> Vec<String> {
    screen
        .lines()
        .filter_map(|line| {
            line.strip_prefix("│> ")
                .or_else(|| line.strip_prefix("│  "))
        })
        .filter_map(|row| row.split_whitespace().next())
        .filter(|name| {
            *name != "姓名"
                && (2..=4).contains(&name.chars().count())
                && name.chars().all(|c| c.to_pinyin().is_some())
        })
        .map(str::to_string)
        .collect()
}

/// Pinyin initials with each character's default reading: `蔡晨曦` → `ccx`.
fn initials(name: &str) -> String {
    name.chars()
        .map(|c| {
            c.to_pinyin()
                .unwrap_or_else(|| panic!("{c} in {name} has no pinyin"))
                .first_letter()
        })
        .collect()
}

#[test]
fn demo_groups_filter_by_initials_and_quit_restores_the_terminal() {
    if !tmux_available() {
        return;
    }
    let started = Instant::now();
    let tmux = Tmux::new();
    let session = "qiangji-demo";
    let exit_file = tmux.dir().join("exit");
    let stty_file = tmux.dir().join("stty");
    // After the program, the shell records the terminal's modes and the exit
    // code, then keeps the pane open so its state can still be read.
    tmux.new_session(
        session,
        &format!(
            "{} --demo; code=$?; stty -a > {} 2>&1; echo EXIT=$code > {}; exec sleep 60",
            sh(BIN),
            sh(path_str(&stty_file)),
            sh(path_str(&exit_file)),
        ),
    );

    let screen = tmux.wait_for(session, "the overview with the groups", STARTUP, |s| {
        s.contains("总览") && s.contains("数学组")
    });
    assert!(title(&screen).contains("总览"), "{screen}");
    assert_eq!(tmux.display(session, "#{alternate_on}"), "1", "{screen}");
    let loaded = started.elapsed();

    for (i, group) in GROUPS.iter().enumerate() {
        let key = (i + 1).to_string();
        tmux.keys(session, &[&key]);
        tmux.wait_for(
            session,
            &format!("{group} in the title after {key}"),
            STEP,
            |s| title_shows(s, group),
        );
    }

    // Filter the math group by the initials of a name on screen.
    tmux.keys(session, &["1"]);
    let screen = tmux.wait_for(session, "the math group's table", STEP, |s| {
        title_shows(s, "数学组") && shown(s).is_some() && !visible_names(s).is_empty()
    });
    let (all, total) = shown(&screen).unwrap();
    assert_eq!(all, total, "no filter yet:\n{screen}");
    let names = visible_names(&screen);
    // Three characters give initials that few other rows share.
    let name = names
        .iter()
        .find(|n| n.chars().count() == 3)
        .unwrap_or(&names[0])
        .clone();
    let typed = initials(&name);

    // While the filter input is open, its cursor is shown.
    let cursor_shown = || tmux.display(session, "#{cursor_flag}") == "1";
    tmux.keys(session, &["/"]);
    tmux.type_text(session, &typed);
    let filtered = |s: &str| {
        s.contains(&format!("筛选: {typed} "))
            && s.contains(&name)
            && shown(s).is_some_and(|(n, m)| m == total && (1..m).contains(&n))
    };
    let screen = tmux.wait_for(
        session,
        &format!("{name} alone or with few others after typing {typed}"),
        STEP,
        |s| filtered(s) && cursor_shown(),
    );
    assert!(title_shows(&screen, "数学组"), "{screen}");
    let (matched, _) = shown(&screen).unwrap();
    // enter keeps the filter and leaves the input (its cursor goes).
    tmux.keys(session, &["Enter"]);
    tmux.wait_for(session, "the filter kept after enter", STEP, |s| {
        filtered(s) && !cursor_shown()
    });
    // esc clears it.
    tmux.keys(session, &["Escape"]);
    tmux.wait_for(session, "the filter cleared after esc", STEP, |s| {
        shown(s) == Some((total, total))
    });

    tmux.keys(session, &["q"]);
    let code = wait_exit_code(&exit_file, &tmux, session);
    let screen = tmux.capture(session);
    assert_eq!(code, 0, "exit code after q; the screen:\n{screen}");

    // The terminal is as it was: main screen, cursor shown, cooked mode.
    assert!(
        !screen.contains("总览") && !screen.contains("数学组") && !screen.contains(FRAME),
        "the interface is still on screen after exit:\n{screen}"
    );
    assert_eq!(
        tmux.display(session, "#{alternate_on}"),
        "0",
        "the alternate screen was not left"
    );
    assert_eq!(
        tmux.display(session, "#{cursor_flag}"),
        "1",
        "the cursor was left hidden"
    );
    let stty = fs::read_to_string(&stty_file).unwrap();
    let modes: Vec<&str> = stty.split_whitespace().collect();
    for mode in ["icanon", "echo"] {
        assert!(
            modes.contains(&mode),
            "the terminal was left in raw mode (no {mode}):\n{stty}"
        );
    }

    eprintln!(
        "e2e: overview after {:.1} s, {name} found by {typed} ({} of {total} shown), \
         done in {:.1} s",
        loaded.as_secs_f64(),
        matched,
        started.elapsed().as_secs_f64()
    );
}

/// `setsid -w` if there is one: the child then has no controlling terminal,
/// wherever the tests run, and cannot touch the terminal of a developer
/// running them.
fn without_terminal() -> Command {
    if common::tools::runs("setsid", &["-w", "true"]) {
        let mut cmd = Command::new("setsid");
        cmd.args(["-w", BIN]);
        cmd
    } else {
        Command::new(BIN)
    }
}

#[test]
fn a_second_instance_on_a_database_in_use_exits_2_with_one_line() {
    if !tmux_available() {
        return;
    }
    let tmux = Tmux::new();
    let session = "qiangji-first";
    let db = tmux.dir().join("db");
    let exit_file = tmux.dir().join("exit-first");
    tmux.new_session(
        session,
        &format!(
            "{} --db {}; echo EXIT=$? > {}; exec sleep 60",
            sh(BIN),
            sh(path_str(&db)),
            sh(path_str(&exit_file)),
        ),
    );
    // The overview of the (new, empty) database: it is open, so locked.
    tmux.wait_for(session, "the first instance's overview", STARTUP, |s| {
        title(s).contains("总览") && s.contains("数据库是空的")
    });

    let mut second = tmux.sandboxed(without_terminal());
    second.args(["--db", path_str(&db), "--lang", "en"]);
    second.stdin(Stdio::null());
    let out = run_with_timeout(second, STEP);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(2),
        "a second qiangji on a database in use must exit 2 (database cannot be opened); \
         stderr: {stderr:?}"
    );
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "not one line on stderr: {stderr:?}");
    assert!(
        lines[0].contains("in use") && lines[0].contains(path_str(&db)),
        "stderr does not say the database is in use: {stderr:?}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    // If it did find a terminal and took the alternate screen, it gave it back.
    if let Some(entered) = stdout.rfind("\x1b[?1049h") {
        assert!(
            stdout[entered..].contains("\x1b[?1049l"),
            "the alternate screen was not left"
        );
    }

    // The first instance is unaffected and quits normally.
    let screen = tmux.capture(session);
    assert!(title(&screen).contains("总览"), "{screen}");
    tmux.keys(session, &["q"]);
    assert_eq!(wait_exit_code(&exit_file, &tmux, session), 0);
}

/// A database with exactly `n` enrolled students in the math group.
fn enrolled(dir: &Path, n: usize) {
    use qiangji::domain::{ProjectId, TraineeKind, TraineeStage};
    let registry = qiangji::registry::Registry::open(dir, true).expect("create");
    let ids = common::trainees_at(
        &registry,
        TraineeKind::Student,
        ProjectId::Math,
        "学员",
        n,
        TraineeStage::Enrolled,
    );
    assert_eq!(ids.len(), n);
}

/// `qiangji export KIND --project math` as JSON.
fn export(tmux: &Tmux, db: &Path, kind: &str) -> Vec<serde_json::Value> {
    // The dashboard just quit: its lock goes with its process, and until
    // then the export says the database is in use (exit 2).
    let deadline = Instant::now() + STEP;
    loop {
        let mut cmd = tmux.sandboxed(Command::new(BIN));
        cmd.args(["export", kind, "--project", "math", "--db", path_str(db)]);
        cmd.stdin(Stdio::null());
        let out = run_with_timeout(cmd, STEP);
        if out.status.code() == Some(2) && Instant::now() < deadline {
            std::thread::sleep(POLL);
            continue;
        }
        common::process::assert_ran(&out);
        return serde_json::from_slice(&out.stdout).expect("export JSON");
    }
}

/// The overview with the database open: while it opens (a private copy is
/// checked first) the title already says 总览, but keys are not yet taken.
fn overview_ready(screen: &str) -> bool {
    screen.contains("总览") && !screen.contains("正在打开数据库")
}

/// Starts the dashboard on `db` (as the pane's own process, so killing the
/// pane's pid kills qiangji) and opens the math group's assessment session.
fn open_session(tmux: &Tmux, session: &str, db: &Path) -> String {
    tmux.new_session(
        session,
        &format!("exec {} --db {}", sh(BIN), sh(path_str(db))),
    );
    tmux.wait_for(session, "the overview", STARTUP, overview_ready);
    tmux.keys(session, &["1"]);
    tmux.wait_for(session, "the math group", STEP, |s| {
        title_shows(s, "数学组")
    });
    tmux.keys(session, &["A"]);
    tmux.wait_for(session, "the assessment session", STEP, |s| {
        title(s).contains("学期考核") && s.contains("已登记")
    })
}

/// `已登记 n / m` on the progress bar.
fn progress(screen: &str) -> Option<(usize, usize)> {
    let rest = screen.split("已登记 ").nth(1)?;
    let mut parts = rest.split_whitespace();
    let done = parts.next()?.parse().ok()?;
    parts.next()?;
    let total = parts.next()?.parse().ok()?;
    Some((done, total))
}

#[test]
fn a_semester_of_fifty_in_52_keys_withdrawals_from_the_summary_and_a_resumed_session() {
    if !tmux_available() {
        return;
    }
    let tmux = Tmux::new();
    // Sessions here end with their program; this one keeps the tmux server
    // up in between, so a new session never races the server's exit.
    tmux.new_session("keeper", "exec sleep 600");

    // A whole group: 2 keys to open the session, one per trainee; the summary
    // comes by itself after the last.
    let db = tmux.dir().join("full");
    enrolled(&db, 50);
    let session = "assess-full";
    let screen = open_session(&tmux, session, &db);
    let screen = if progress(&screen).is_some() {
        screen
    } else {
        tmux.wait_for(session, "the progress bar", STEP, |s| progress(s).is_some())
    };
    assert_eq!(progress(&screen), Some((0, 50)), "{screen}");
    let mut keys: Vec<&str> = vec!["p"; 50];
    keys[9] = "f";
    keys[29] = "f";
    tmux.keys(session, &keys);
    // Waits for the whole summary: a frame can be caught half written.
    let screen = tmux.wait_for(session, "the summary", STEP, |s| {
        s.contains("考核小结") && s.contains("不合格 2") && s.matches("待确认").count() == 2
    });
    let pressed = 2 + keys.len();
    assert!(pressed <= 55, "{pressed} keystrokes");
    assert!(
        screen.contains("合格 48") && screen.contains("不合格 2"),
        "{screen}"
    );
    assert_eq!(screen.matches("待确认").count(), 2, "{screen}");
    // W asks first, naming how many (issue 20); y withdraws both.
    tmux.keys(session, &["W"]);
    tmux.wait_for(session, "the question", STEP, |s| s.contains("y 确认"));
    tmux.keys(session, &["y"]);
    tmux.wait_for(session, "both withdrawn", STEP, |s| {
        s.matches("已退出").count() == 2 && !s.contains("待确认")
    });
    tmux.keys(session, &["q"]);
    // The tmux session ends with its program; the lock goes with it.
    let results = export(&tmux, &db, "assessments");
    assert_eq!(results.len(), 50);
    assert_eq!(results.iter().filter(|r| r["result"] == "fail").count(), 2);
    let trainees = export(&tmux, &db, "trainees");
    let withdrawn: Vec<_> = trainees
        .iter()
        .filter(|t| t["stage"] == "withdrawn")
        .collect();
    assert_eq!(withdrawn.len(), 2);
    for t in withdrawn {
        let reason = t["withdrawal"].to_string();
        assert!(reason.contains("failed_assessment"), "{t}");
    }

    // Killed in the middle, the session resumes at the first trainee without
    // a result.
    let db = tmux.dir().join("killed");
    enrolled(&db, 50);
    let session = "assess-killed";
    open_session(&tmux, session, &db);
    tmux.keys(session, &vec!["p"; 20]);
    tmux.wait_for(session, "20 recorded", STEP, |s| {
        progress(s) == Some((20, 50))
    });
    let pid = tmux.display(session, "#{pane_pid}");
    let killed = Command::new("kill").args(["-9", &pid]).status().unwrap();
    assert!(killed.success());
    let deadline = Instant::now() + STEP;
    let session = "assess-resumed";
    let screen = loop {
        // The lock goes with the process (and its pane with it); until then
        // qiangji says the database is in use.
        tmux.new_session(
            session,
            &format!("{} --db {}; sleep 60", sh(BIN), sh(path_str(&db))),
        );
        let s = tmux.wait_for(session, "the overview or a refusal", STARTUP, |s| {
            overview_ready(s) || s.contains("正被另一个")
        });
        if overview_ready(&s) || Instant::now() > deadline {
            break s;
        }
        tmux.tmux(&["kill-session", "-t", session]);
        std::thread::sleep(POLL);
    };
    assert!(screen.contains("总览"), "{screen}");
    tmux.keys(session, &["1"]);
    tmux.wait_for(session, "the math group", STEP, |s| {
        title_shows(s, "数学组")
    });
    tmux.keys(session, &["A"]);
    // The whole frame: the progress and the selected row.
    let screen = tmux.wait_for(session, "the resumed session", STEP, |s| {
        progress(s) == Some((20, 50)) && s.lines().any(|l| l.starts_with("│> "))
    });
    let rows: Vec<&str> = screen.lines().filter(|l| l.starts_with('│')).collect();
    let at = rows
        .iter()
        .position(|l| l.starts_with("│> "))
        .unwrap_or_else(|| panic!("no selected row:\n{screen}"));
    assert!(rows[at].contains("未登记"), "{screen}");
    assert!(rows[at - 1].contains("合格"), "{screen}");
}

#[test]
fn a_student_from_application_to_enrolment_in_the_real_terminal() {
    use qiangji::domain::TraineeStage;
    use qiangji::i18n::Lang;
    if !tmux_available() {
        return;
    }
    let tmux = Tmux::new();
    tmux.new_session("keeper", "exec sleep 600");
    // One seat left of 50: the enrolment takes it.
    let db = tmux.dir().join("pipeline");
    enrolled(&db, 49);
    let session = "pipeline";
    tmux.new_session(
        session,
        &format!("exec {} --db {}", sh(BIN), sh(path_str(&db))),
    );
    tmux.wait_for(session, "the overview", STARTUP, overview_ready);
    let name = "王小明";
    let at_stage = |stage: TraineeStage| {
        let label = stage.label(Lang::Zh);
        move |s: &str| {
            s.lines()
                .any(|l| l.contains(&format!("{name}  学生学员  {label}")))
                && !s.contains("ctrl-s")
        }
    };
    tmux.keys(session, &["1"]);
    tmux.wait_for(session, "the math group", STEP, |s| {
        title_shows(s, "数学组")
    });
    tmux.keys(session, &["N", "Tab"]);
    tmux.type_text(session, name);
    tmux.keys(session, &["Tab", "Tab"]);
    tmux.type_text(session, "青岛第二中学");
    tmux.keys(session, &["Tab", "Tab"]);
    tmux.type_text(session, "高一");
    tmux.keys(session, &["C-s"]);
    tmux.wait_for(
        session,
        "the application",
        STEP,
        at_stage(TraineeStage::Applied),
    );

    tmux.keys(session, &["."]);
    tmux.type_text(session, "张明老师");
    tmux.keys(session, &["Tab"]);
    tmux.type_text(session, "李红老师");
    tmux.keys(session, &["C-s"]);
    tmux.wait_for(
        session,
        "recommended",
        STEP,
        at_stage(TraineeStage::Recommended),
    );
    tmux.keys(session, &[".", "C-s"]);
    tmux.wait_for(session, "selected", STEP, at_stage(TraineeStage::Selected));
    tmux.keys(session, &[".", "C-s"]);
    tmux.wait_for(
        session,
        "announced",
        STEP,
        at_stage(TraineeStage::Announced),
    );

    // Filing dated after the announcement's last working day is refused
    // while that day has not come: a step is recorded once it was taken
    // (filing and enrolment through the forms: keyboard_workflows).
    let now = chrono::Utc::now() + chrono::Duration::hours(8);
    let end = qiangji::domain::calendar::announcement_end(now.date_naive(), 5);
    let after = (end + chrono::Duration::days(1)).to_string();
    tmux.keys(session, &[".", "C-u"]);
    tmux.type_text(session, &after);
    tmux.keys(session, &["C-s"]);
    tmux.wait_for(session, "the refusal of a future date", STEP, |s| {
        s.contains("备案日期") && s.contains(&after)
    });
    // Leave the form, discarding the typed date (a separate key: after
    // Escape, "y" would read as alt-y).
    tmux.keys(session, &["Escape"]);
    std::thread::sleep(Duration::from_millis(300));
    tmux.keys(session, &["y"]);
    tmux.wait_for(
        session,
        "still announced",
        STEP,
        at_stage(TraineeStage::Announced),
    );
    tmux.keys(session, &["q"]);

    let trainees = export(&tmux, &db, "trainees");
    let t = trainees
        .iter()
        .find(|t| t["name"] == name)
        .expect("the new trainee is exported");
    assert_eq!(t["stage"], "announced", "{t}");
    assert_eq!(t["recommenders"].as_array().map(Vec::len), Some(2), "{t}");
}

// --- Signals (issue 9, point 10) and the terminal check (point 12) ---------

/// The demo directories (`qiangji-demo-*`) in the sandbox's TMPDIR.
fn demo_dirs(tmux: &Tmux) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = fs::read_dir(tmux.dir().join("tmp"))
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("qiangji-demo-"))
        .map(|e| e.path())
        .collect();
    dirs.sort();
    dirs
}

/// The pid in the owner file of the one running demo's directory.
fn demo_pid(tmux: &Tmux, stale: &[PathBuf]) -> String {
    let live: Vec<PathBuf> = demo_dirs(tmux)
        .into_iter()
        .filter(|d| !stale.contains(d))
        .collect();
    assert_eq!(live.len(), 1, "not one demo directory: {live:?}");
    let owner =
        fs::read_to_string(live[0].join("owner")).expect("the demo directory has an owner file");
    owner.split_whitespace().next().unwrap().to_string()
}

/// A demo directory left by a killed run: its owner process has exited.
fn stale_demo_dir(tmux: &Tmux, name: &str) -> PathBuf {
    let mut child = Command::new("true").spawn().unwrap();
    let gone = child.id();
    child.wait().unwrap();
    let dir = tmux.dir().join("tmp").join(format!("qiangji-demo-{name}"));
    fs::create_dir_all(dir.join("db")).unwrap();
    fs::write(dir.join("db").join("conf"), "left behind").unwrap();
    fs::write(dir.join("owner"), format!("{gone} 1\n")).unwrap();
    dir
}

/// Every signal from 1 to 31 whose default action ends the process, but
/// SIGKILL (which no program can catch) and SIGPIPE (ignored by every Rust
/// program: it ends nothing). SIGUSR1 once left the alternate screen on.
const TERMINATING: [(&str, i32); 21] = [
    ("TERM", 15),
    ("HUP", 1),
    ("QUIT", 3),
    ("INT", 2),
    ("ILL", 4),
    ("TRAP", 5),
    ("ABRT", 6),
    ("BUS", 7),
    ("FPE", 8),
    ("USR1", 10),
    ("SEGV", 11),
    ("USR2", 12),
    ("ALRM", 14),
    ("STKFLT", 16),
    ("XCPU", 24),
    ("XFSZ", 25),
    ("VTALRM", 26),
    ("PROF", 27),
    ("IO", 29),
    ("PWR", 30),
    ("SYS", 31),
];

#[test]
fn every_terminating_signal_restores_the_terminal_and_removes_the_demo_directory() {
    if !tmux_available() {
        return;
    }
    // Each signal has a tmux server and a sandbox of its own, so three run
    // at once: most of a signal's time is waiting for the screen.
    std::thread::scope(|scope| {
        for signals in TERMINATING.chunks(TERMINATING.len().div_ceil(3)) {
            scope.spawn(move || {
                for &(signal, number) in signals {
                    a_signal_restores_the_terminal(signal, number);
                }
            });
        }
    });
}

/// SIG`signal` (`number`) sent to a running demo: the exit status says so,
/// the terminal is as it was, the demo's directory is gone and the others
/// are handled as they should be.
fn a_signal_restores_the_terminal(signal: &str, number: i32) {
    let tmux = Tmux::new();
    let session = format!("qiangji-sig{}", signal.to_lowercase());
    let exit_file = tmux.dir().join("exit");
    let stty_file = tmux.dir().join("stty");
    // A directory of an earlier run that was killed outright, and one
    // of a run that is (for all the program can tell) still going: the
    // owner is this test process, with its start time unknown (0).
    let stale = stale_demo_dir(&tmux, "killed");
    let alive = tmux.dir().join("tmp").join("qiangji-demo-alive");
    fs::create_dir_all(&alive).unwrap();
    fs::write(alive.join("owner"), format!("{} 0\n", std::process::id())).unwrap();
    tmux.new_session(
        &session,
        &format!(
            "{} --demo; code=$?; stty -a > {} 2>&1; echo EXIT=$code > {}; exec sleep 60",
            sh(BIN),
            sh(path_str(&stty_file)),
            sh(path_str(&exit_file)),
        ),
    );
    tmux.wait_for(&session, "the demo overview", STARTUP, |s| {
        s.contains("总览") && s.contains("数学组")
    });
    assert_eq!(
        tmux.display(&session, "#{alternate_on} #{cursor_flag}"),
        "1 0"
    );
    assert!(
        !stale.exists(),
        "SIG{signal}: the stale demo directory was not removed"
    );
    assert!(
        alive.exists(),
        "SIG{signal}: a running demo's directory was removed"
    );
    let pid = demo_pid(&tmux, std::slice::from_ref(&alive));

    // By number: not every kill knows every name (STKFLT, PWR).
    let sent = Command::new("kill")
        .args([&format!("-{number}"), &pid])
        .status()
        .unwrap();
    assert!(sent.success(), "kill -{signal} {pid}");
    let code = wait_exit_code(&exit_file, &tmux, &session);
    let screen = tmux.capture(&session);
    assert_eq!(
        code,
        128 + number,
        "SIG{signal}: the exit status is not 128+{number}; the screen:\n{screen}"
    );
    assert_eq!(
        tmux.display(&session, "#{alternate_on} #{cursor_flag}"),
        "0 1",
        "SIG{signal} left the alternate screen on or the cursor hidden; the screen:\n{screen}"
    );
    let stty = fs::read_to_string(&stty_file).unwrap();
    let modes: Vec<&str> = stty.split_whitespace().collect();
    for mode in ["icanon", "echo"] {
        assert!(
            modes.contains(&mode),
            "SIG{signal} left raw mode (no {mode}):\n{stty}"
        );
    }
    assert!(
        screen.contains(&format!("收到 SIG{signal}")),
        "SIG{signal}: no line saying why it stopped:\n{screen}"
    );
    assert_eq!(
        demo_dirs(&tmux),
        vec![alive.clone()],
        "SIG{signal}: the demo directory is left behind"
    );
}

/// Runs `command` in a fresh pane, waits for it to exit, and returns its exit
/// code and the screen; the terminal must be as it was (never taken over).
fn run_in_pane(tmux: &Tmux, session: &str, command: &str) -> (i32, String) {
    let exit_file = tmux.dir().join(format!("exit-{session}"));
    tmux.new_session(
        session,
        &format!(
            "{command}; echo EXIT=$? > {}; exec sleep 60",
            sh(path_str(&exit_file))
        ),
    );
    let code = wait_exit_code(&exit_file, tmux, session);
    assert_eq!(
        tmux.display(session, "#{alternate_on} #{cursor_flag}"),
        "0 1"
    );
    // -J: a long line wrapped by the pane is read back as one.
    let out = tmux.tmux(&["capture-pane", "-p", "-J", "-t", session]);
    (code, String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn a_dumb_or_unset_term_is_told_it_needs_a_capable_terminal_before_any_drawing() {
    if !tmux_available() {
        return;
    }
    let tmux = Tmux::new();
    for (session, term, lang, says) in [
        ("dumb-zh", "TERM=dumb", "zh", "TERM=dumb 不能移动光标"),
        ("dumb-en", "TERM=dumb", "en", "needs a capable terminal"),
        ("unset-en", "unset TERM;", "en", "TERM is not set"),
    ] {
        let db = tmux.dir().join(format!("db-{session}"));
        let command = format!(
            "{term} {} --lang {lang} --db {}",
            sh(BIN),
            sh(path_str(&db))
        );
        let (code, screen) = run_in_pane(&tmux, session, &command);
        assert_eq!(code, 1, "{session}: {screen}");
        let said: Vec<&str> = screen.lines().filter(|l| l.contains("qiangji:")).collect();
        assert_eq!(said.len(), 1, "{session}: not one line:\n{screen}");
        assert!(said[0].contains(says), "{session}: {screen}");
        assert!(
            !screen.contains("总览") && !screen.contains('┌'),
            "{session} drew:\n{screen}"
        );
        assert!(!db.exists(), "{session}: a database was created");
    }
}

// --- A paste is text, never keys (issue 9, point 1) -------------------------

#[test]
fn a_bracketed_paste_with_newlines_stays_text_in_the_field_and_runs_nothing() {
    if !tmux_available() {
        return;
    }
    let tmux = Tmux::new();
    tmux.new_session("keeper", "exec sleep 600");
    let db = tmux.dir().join("paste");
    enrolled(&db, 3);
    let session = "paste";
    tmux.new_session(
        session,
        &format!("exec {} --db {}", sh(BIN), sh(path_str(&db))),
    );
    tmux.wait_for(session, "the overview", STARTUP, |s| s.contains("总览"));
    tmux.keys(session, &["1"]);
    tmux.wait_for(session, "the math group", STEP, |s| {
        title_shows(s, "数学组")
    });
    // The details form of the first trainee, on its home school field.
    tmux.keys(session, &["e", "Tab", "Tab", "C-u"]);
    tmux.wait_for(session, "the details form", STEP, |s| s.contains("ctrl-s"));
    // What a person pastes from a chat: a school, a newline, a `w`, a
    // newline; sent as a terminal sends a paste (bracketed, -p).
    tmux.tmux(&["set-buffer", "--", "青岛二中\nw\n"]);
    tmux.tmux(&["paste-buffer", "-p", "-t", session]);
    let screen = tmux.wait_for(session, "the pasted text", STEP, |s| {
        s.contains("青岛二中 w")
    });
    assert!(
        screen.contains("ctrl-s"),
        "the form must still be open: the newline is no Enter\n{screen}"
    );
    // A paste outside any field is ignored with a hint, never keys.
    tmux.keys(session, &["Escape"]);
    tmux.wait_for(session, "the discard question", STEP, |s| {
        s.contains("放弃")
    });
    tmux.keys(session, &["y"]);
    tmux.wait_for(session, "the form closed", STEP, |s| !s.contains("ctrl-s"));
    tmux.tmux(&["set-buffer", "--", "w\nq\n"]);
    tmux.tmux(&["paste-buffer", "-p", "-t", session]);
    let screen = tmux.wait_for(session, "the hint", STEP, |s| s.contains("粘贴"));
    assert!(
        title_shows(&screen, "数学组"),
        "still in the group\n{screen}"
    );
    tmux.keys(session, &["q"]);
    let trainees = export(&tmux, &db, "trainees");
    assert!(
        trainees.iter().all(|t| t["stage"] == "enrolled"),
        "nobody was withdrawn: {trainees:?}"
    );
    assert!(
        trainees.iter().all(|t| t["home_school"] != "青岛二中 w"),
        "nothing was saved"
    );
}

/// In a 10x5 terminal the dashboard shows only "the window is too small";
/// `1 A p p p` there once recorded three results unseen. Now nothing is
/// recorded, and the same keys act once the window is large enough again.
#[test]
fn keys_in_a_10x5_terminal_record_nothing() {
    if !tmux_available() {
        return;
    }
    let tmux = Tmux::new();
    tmux.new_session("keeper", "exec sleep 600");
    let db = tmux.dir().join("small");
    enrolled(&db, 5);
    let audit = |db: &Path| {
        let registry = qiangji::registry::Registry::open_read_only(db).expect("open");
        registry.audit().count()
    };
    let before = audit(&db);
    let session = "small";
    tmux.new_session(
        session,
        &format!("exec {} --db {}", sh(BIN), sh(path_str(&db))),
    );
    tmux.wait_for(session, "the overview", STARTUP, overview_ready);
    tmux.tmux(&["resize-window", "-t", session, "-x", "10", "-y", "5"]);
    tmux.wait_for(session, "the small-window notice", STEP, |s| {
        s.contains("窗口太") && !s.contains("总览")
    });
    for key in ["1", "A", "p", "p", "p"] {
        tmux.keys(session, &[key]);
    }
    // Enlarged: the overview, not a group or a session the keys opened.
    std::thread::sleep(Duration::from_millis(500));
    tmux.tmux(&["resize-window", "-t", session, "-x", "80", "-y", "24"]);
    let screen = tmux.wait_for(session, "the overview again", STEP, overview_ready);
    assert!(!screen.contains("学期考核"), "{screen}");
    tmux.keys(session, &["q"]);
    // The dashboard's lock goes with its process.
    let deadline = Instant::now() + STEP;
    let after = loop {
        match qiangji::registry::Registry::open_read_only(&db) {
            Ok(r) => break r.audit().count(),
            Err(_) if Instant::now() < deadline => std::thread::sleep(POLL),
            Err(e) => panic!("{e}"),
        }
    };
    assert_eq!(after, before, "keys in a 10x5 window recorded something");
}
