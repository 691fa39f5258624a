//! `qiangji serve` end to end on loopback, with the system's `ssh` client:
//! users with their own keys, roles limiting what each reads, live refresh
//! between two dashboards in tmux, refusals (unknown key, a borrowed public
//! key, no pty), the quick checks as SSH commands, a killed client, and a
//! restart keeping the host key.

use crate::common;

use common::process::{poll, run_with_timeout, text};

use std::fs;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_qiangji");

struct Server {
    child: Child,
    port: u16,
    log: PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Site {
    dir: tempfile::TempDir,
}

impl Site {
    /// A fresh directory with the demo database in it.
    fn demo() -> Site {
        let dir = tempfile::Builder::new().prefix("qiangji-serve-").tempdir();
        let site = Site { dir: dir.unwrap() };
        site.qiangji(&["demo"]);
        site
    }

    /// A key pair named `login`, and a user of that login with `role`
    /// (e.g. `["admin"]`, `["chief", "--project", "math"]`) holding it.
    fn user(&self, login: &str, role: &[&str]) -> PathBuf {
        let key = self.key(login);
        let public = format!("{}.pub", key.display());
        let mut args = vec!["user", "add", login, "--role"];
        args.extend_from_slice(role);
        args.extend(["--key", &public]);
        self.qiangji(&args);
        key
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn db(&self) -> PathBuf {
        self.path("db")
    }

    fn qiangji(&self, args: &[&str]) -> Output {
        let out = Command::new(BIN)
            .args(args)
            .arg("--db")
            .arg(self.db())
            .env_remove("QIANGJI_LANG")
            .env("HOME", self.dir.path())
            .stdin(Stdio::null())
            .output()
            .expect("qiangji runs");
        assert!(
            out.status.success(),
            "qiangji {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }

    fn key(&self, name: &str) -> PathBuf {
        let path = self.path(name);
        let out = Command::new("ssh-keygen")
            .args(["-q", "-t", "ed25519", "-N", "", "-C", name, "-f"])
            .arg(&path)
            .output()
            .expect("ssh-keygen runs");
        assert!(out.status.success());
        path
    }

    fn serve(&self) -> Server {
        self.serve_on(free_port())
    }

    fn serve_on(&self, port: u16) -> Server {
        self.serve_with(port, &["--idle", "10m"])
    }

    fn serve_with(&self, port: u16, options: &[&str]) -> Server {
        let log = self.path(&format!("serve-{port}.log"));
        let child = Command::new(BIN)
            .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
            .args(options)
            .arg("--host-key")
            .arg(self.path("host_key"))
            .arg("--db")
            .arg(self.db())
            .env("HOME", self.dir.path())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(fs::File::create(&log).unwrap())
            .spawn()
            .expect("serve starts");
        let server = Server { child, port, log };
        wait_until("the server to listen", Duration::from_secs(60), || {
            server_log(&server).contains("127.0.0.1:")
        });
        server
    }

    /// `ssh` as `user` with `key` (and only it), to the server on `port`.
    fn ssh(&self, server: &Server, key: &Path, user: &str, extra: &[&str]) -> Command {
        let mut cmd = self.client("ssh", "-p", server, key);
        cmd.args(extra).arg(format!("{user}@127.0.0.1"));
        cmd
    }

    /// `tool` (ssh, sftp, scp) with `key` alone, in batch mode, to the
    /// server's port (given with `port_flag`).
    fn client(&self, tool: &str, port_flag: &str, server: &Server, key: &Path) -> Command {
        let mut cmd = Command::new(tool);
        cmd.arg(port_flag)
            .arg(server.port.to_string())
            .arg("-i")
            .arg(key)
            .args(["-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes"])
            .args(["-o", "PasswordAuthentication=no", "-o", "LogLevel=ERROR"])
            .arg("-o")
            .arg(format!(
                "UserKnownHostsFile={}",
                self.path("known_hosts").display()
            ))
            .arg("-F")
            .arg("/dev/null")
            .env("HOME", self.dir.path())
            .stdin(Stdio::null());
        cmd
    }

    /// The shell line that runs an interactive `ssh -t` dashboard in tmux.
    fn shell_line(&self, server: &Server, key: &Path, user: &str, checking: &str) -> String {
        let cmd = self.ssh(server, key, user, &["-t", "-o", checking]);
        let mut line = format!("HOME='{}' exec ssh", self.dir.path().display());
        for a in cmd.get_args() {
            line.push_str(&format!(" '{}'", a.to_string_lossy()));
        }
        line
    }

    fn run(&self, server: &Server, key: &Path, user: &str, command: &[&str]) -> Output {
        let mut cmd = self.ssh(
            server,
            key,
            user,
            &["-o", "StrictHostKeyChecking=accept-new"],
        );
        cmd.args(command);
        run_with_timeout(cmd, Duration::from_secs(30))
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

fn server_log(server: &Server) -> String {
    let mut s = String::new();
    let _ = fs::File::open(&server.log).and_then(|mut f| f.read_to_string(&mut s));
    s
}

fn wait_until(what: &str, timeout: Duration, ready: impl Fn() -> bool) {
    let deadline = Instant::now() + timeout;
    while !ready() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// ssh and ssh-keygen come together in openssh-client (.ci/run installs it).
fn tools() -> bool {
    common::tools::available("ssh", &["-V"], "serving over SSH")
        && common::tools::available("tmux", &["-V"], "two dashboards over SSH")
}

/// A tmux server of this test's own, for the interactive sessions.
struct Tmux {
    socket: PathBuf,
}

impl Tmux {
    fn cmd(&self, args: &[&str]) -> Output {
        let out = Command::new("tmux")
            .arg("-S")
            .arg(&self.socket)
            .args(args)
            .stdin(Stdio::null())
            .output()
            .expect("tmux runs");
        assert!(out.status.success(), "tmux {args:?}: {}", text(&out));
        out
    }

    fn start(&self, name: &str, command: &str) {
        self.cmd(&[
            "new-session",
            "-d",
            "-s",
            name,
            "-x",
            "120",
            "-y",
            "40",
            "-e",
            "TERM=xterm-256color",
            command,
        ]);
        self.cmd(&["set-option", "-t", name, "status", "off"]);
    }

    fn screen(&self, name: &str) -> String {
        String::from_utf8_lossy(&self.cmd(&["capture-pane", "-p", "-t", name]).stdout).into_owned()
    }

    fn keys(&self, name: &str, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", name];
        args.extend_from_slice(keys);
        self.cmd(&args);
    }

    fn wait(
        &self,
        name: &str,
        what: &str,
        timeout: Duration,
        ready: impl Fn(&str) -> bool,
    ) -> String {
        poll(
            &format!("{what} on {name}"),
            timeout,
            || self.screen(name),
            ready,
        )
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .arg("-S")
            .arg(&self.socket)
            .arg("kill-server")
            .output();
    }
}

/// The math group's "recorded / due" count on the overview's pane.
fn math_assessed(screen: &str) -> Option<String> {
    let line = screen.lines().find(|l| l.contains("考核"))?;
    let at = line.find("考核")?;
    Some(line[at..].split_whitespace().nth(1)?.to_string())
}

#[test]
fn two_users_over_ssh_with_roles_live_refresh_and_refusals() {
    if !tools() {
        return;
    }
    let site = Site::demo();
    let admin = site.user("coordinator", &["admin"]);
    let admin_pub = format!("{}.pub", admin.display());
    let wang = site.user("wang", &["chief", "--project", "math"]);
    let li = site.user("li", &["chief", "--project", "physics"]);
    let stranger = site.key("stranger");
    let server = site.serve();

    // The quick check over SSH: the table, exit 0.
    let out = site.run(&server, &wang, "wang", &["ledger", "--project", "math"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(text(&out).contains("数学组"), "{}", text(&out));
    // A math chief is refused physics, and a physics read holds nothing of it.
    let out = site.run(&server, &wang, "wang", &["ledger", "--project", "physics"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("无权查看"), "{}", text(&out));
    let mine = site.run(
        &server,
        &wang,
        "wang",
        &["export", "trainees", "--format", "json"],
    );
    let theirs = site.run(
        &server,
        &li,
        "li",
        &["export", "trainees", "--format", "json"],
    );
    let names = |out: &Output| -> Vec<String> {
        let rows: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).expect("json");
        rows.iter()
            .filter_map(|r| r["name"].as_str().map(str::to_string))
            .collect()
    };
    let (mine, theirs) = (names(&mine), names(&theirs));
    assert!(!mine.is_empty() && !theirs.is_empty());
    assert!(
        mine.iter().all(|n| !theirs.contains(n)),
        "no physics name in a math read"
    );

    // An unknown key; the admin's public key offered with another's
    // private key (it signs with its own): both refused.
    let out = site.run(&server, &stranger, "coordinator", &["sessions"]);
    assert_eq!(out.status.code(), Some(255));
    assert!(
        text(&out).contains("Permission denied (publickey)"),
        "{}",
        text(&out)
    );
    let borrowed = site.path("borrowed");
    fs::copy(&stranger, &borrowed).unwrap();
    fs::copy(&admin_pub, format!("{}.pub", borrowed.display())).unwrap();
    let out = site.run(&server, &borrowed, "coordinator", &["sessions"]);
    assert_ne!(out.status.code(), Some(0), "never admin: {}", text(&out));
    assert!(!text(&out).contains("sessions:"), "{}", text(&out));

    // A shell without a pty is refused in one line.
    let mut no_pty = site.ssh(
        &server,
        &wang,
        "wang",
        &["-T", "-o", "StrictHostKeyChecking=yes"],
    );
    no_pty.stdin(Stdio::piped());
    let out = run_with_timeout(no_pty, Duration::from_secs(30));
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("需要终端"), "{}", text(&out));

    // Two dashboards: the coordinator watches the overview while the math
    // chief records a result; the count changes without a key.
    let tmux = Tmux {
        socket: site.path("tmux.sock"),
    };
    let ssh_line =
        |key: &Path, user: &str| site.shell_line(&server, key, user, "StrictHostKeyChecking=yes");
    // The coordinator's messages (standard error) go to a file of their own.
    let coordinator_err = site.path("coordinator.stderr");
    tmux.start(
        "coordinator",
        &format!(
            "{} 2>'{}'",
            ssh_line(&admin, "coordinator"),
            coordinator_err.display()
        ),
    );
    tmux.start("wang", &ssh_line(&wang, "wang"));
    let before = tmux.wait(
        "coordinator",
        "the overview",
        Duration::from_secs(30),
        |s| math_assessed(s).is_some(),
    );
    let count = math_assessed(&before).unwrap();
    tmux.wait("wang", "the overview", Duration::from_secs(30), |s| {
        s.contains("总览")
    });
    assert!(
        tmux.screen("wang").contains("wang"),
        "who is logged in shows"
    );
    tmux.keys("wang", &["1"]);
    tmux.wait("wang", "the math group", Duration::from_secs(10), |s| {
        s.contains("数学组")
    });
    tmux.keys("wang", &["A"]);
    tmux.wait("wang", "the assessment", Duration::from_secs(10), |s| {
        s.contains("学期考核")
    });
    tmux.keys("wang", &["p"]);
    let recorded = Instant::now();
    let after = tmux.wait(
        "coordinator",
        "the new count",
        Duration::from_secs(5),
        |s| math_assessed(s).is_some_and(|c| c != count),
    );
    assert!(
        recorded.elapsed() < Duration::from_secs(1),
        "shown within a second: {:?}\n{after}",
        recorded.elapsed()
    );

    // A killed client leaves no session behind.
    let sessions = |site: &Site| {
        let out = site.run(&server, &admin, "coordinator", &["sessions"]);
        text(&out).trim().to_string()
    };
    assert_eq!(sessions(&site), "sessions: 2");
    let pid = String::from_utf8_lossy(
        &tmux
            .cmd(&["display", "-p", "-t", "wang", "#{pane_pid}"])
            .stdout,
    )
    .trim()
    .to_string();
    let _ = Command::new("kill").args(["-9", &pid]).status();
    wait_until("the killed session to go", Duration::from_secs(10), || {
        sessions(&site) == "sessions: 1"
    });

    // The coordinator starts an application and types a name: a form
    // with unsaved changes when the server stops.
    tmux.keys("coordinator", &["1"]);
    tmux.wait(
        "coordinator",
        "the math group",
        Duration::from_secs(10),
        |s| s.contains("数学组"),
    );
    tmux.keys("coordinator", &["N", "Tab", "Zhang"]);
    tmux.wait(
        "coordinator",
        "the typed name",
        Duration::from_secs(10),
        |s| s.contains("Zhang"),
    );

    // SIGTERM: the coordinator gets a goodbye and the terminal back.
    let _ = Command::new("kill")
        .args(["-TERM", &server.child.id().to_string()])
        .status();
    // The goodbye is a message: on standard error, after the dashboard
    // has left the alternate screen.
    poll(
        "the goodbye on the coordinator's standard error",
        Duration::from_secs(10),
        || fs::read_to_string(&coordinator_err).unwrap_or_default(),
        |s| s.contains("服务器正在关闭"),
    );
    // Not "everything is saved": the form was not.
    let goodbye = fs::read_to_string(&coordinator_err).unwrap();
    assert!(
        goodbye.contains("尚未保存的表单已丢弃") && !goodbye.contains("数据均已保存"),
        "{goodbye}"
    );
    // (The pane may be gone with its ssh already: then so is the screen.)
    let bye = Command::new("tmux")
        .arg("-S")
        .arg(&tmux.socket)
        .args(["capture-pane", "-p", "-t", "coordinator"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default();
    assert!(
        !bye.contains("总览"),
        "the alternate screen is left:\n{bye}"
    );
    let port = server.port;
    wait_until("the server to stop", Duration::from_secs(10), || {
        server_log(&server).contains("服务已停止")
    });
    drop(server);

    // A restart keeps the host key: strict checking passes.
    let server = site.serve_on(port);
    let mut strict = site.ssh(
        &server,
        &admin,
        "coordinator",
        &["-o", "StrictHostKeyChecking=yes"],
    );
    strict.arg("sessions");
    let out = run_with_timeout(strict, Duration::from_secs(30));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
}

#[test]
fn input_resizes_and_the_limits_of_one_server() {
    if !tools() {
        return;
    }
    let site = Site::demo();
    let admin = site.user("coordinator", &["admin"]);
    let server = site.serve_with(free_port(), &["--idle", "4s", "--max-sessions", "1"]);

    // A local command on the served database says who holds it and how.
    let out = Command::new(BIN)
        .args(["ledger", "--db"])
        .arg(site.db())
        .env_remove("QIANGJI_LANG")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let said = text(&out);
    assert!(
        said.contains("qiangji serve") && said.contains(&format!("ssh -p {}", server.port)),
        "{said}"
    );
    assert_eq!(said.trim().lines().count(), 1, "one line: {said}");

    // A backup through the server, of one moment, restores elsewhere.
    let out = site.run(&server, &admin, "coordinator", &["backup"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let file = site.path("served.backup");
    fs::write(&file, &out.stdout).unwrap();
    let restored = site.path("restored");
    let out = Command::new(BIN)
        .arg("restore")
        .arg(&file)
        .arg("--db")
        .arg(&restored)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));

    let tmux = Tmux {
        socket: site.path("tmux.sock"),
    };
    let line = site.shell_line(
        &server,
        &admin,
        "coordinator",
        "StrictHostKeyChecking=accept-new",
    );
    tmux.start("s", &line);
    tmux.wait("s", "the overview", Duration::from_secs(30), |s| {
        s.contains("总览")
    });

    // A second session is one too many.
    let mut second = site.ssh(
        &server,
        &admin,
        "coordinator",
        &["-tt", "-o", "StrictHostKeyChecking=yes"],
    );
    second.stdin(Stdio::piped());
    let out = run_with_timeout(second, Duration::from_secs(30));
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("会话已满"), "{}", text(&out));

    // A resize storm, then the size that stays: the frame fits it.
    for i in 0..40u16 {
        let (w, h) = (80 + i % 50, 24 + i % 20);
        tmux.cmd(&[
            "resize-window",
            "-t",
            "s",
            "-x",
            &w.to_string(),
            "-y",
            &h.to_string(),
        ]);
    }
    tmux.cmd(&["resize-window", "-t", "s", "-x", "100", "-y", "30"]);
    let screen = tmux.wait("s", "the 100x30 frame", Duration::from_secs(10), |s| {
        s.lines().any(|l| {
            unicode_width::UnicodeWidthStr::width(l.trim_end()) == 100
                && l.trim_end().ends_with('┐')
        })
    });
    assert!(screen.lines().count() <= 30);

    // Chinese typed into the filter arrives whole; a lone Esc closes it.
    tmux.keys("s", &["1"]);
    tmux.wait("s", "the math group", Duration::from_secs(10), |s| {
        s.contains("数学组")
    });
    tmux.keys("s", &["/"]);
    tmux.cmd(&["send-keys", "-t", "s", "-l", "陈"]);
    tmux.wait("s", "the typed name", Duration::from_secs(10), |s| {
        s.lines().any(|l| l.starts_with("/") && l.contains("陈"))
    });
    tmux.keys("s", &["Escape"]);
    tmux.wait("s", "the filter cleared", Duration::from_secs(10), |s| {
        !s.lines().any(|l| l.starts_with("/") && l.contains("陈"))
    });

    // A 100 KB bracketed paste goes into the field whole; nothing hangs.
    tmux.keys("s", &["e", "Tab", "Tab", "C-u"]);
    tmux.wait("s", "the details form", Duration::from_secs(10), |s| {
        s.contains("ctrl-s")
    });
    let big = site.path("paste.txt");
    fs::write(&big, "a".repeat(100_000) + "\nw\n").unwrap();
    tmux.cmd(&["load-buffer", big.to_str().unwrap()]);
    let pasted = Instant::now();
    tmux.cmd(&["paste-buffer", "-p", "-t", "s"]);
    tmux.wait("s", "the pasted field", Duration::from_secs(10), |s| {
        s.contains("ctrl-s") && s.contains("aaaaaaaaaaaaaaaaaaaa")
    });
    assert!(
        pasted.elapsed() < Duration::from_secs(5),
        "{:?}",
        pasted.elapsed()
    );
    tmux.keys("s", &["Escape"]);
    tmux.wait("s", "the discard question", Duration::from_secs(10), |s| {
        s.contains("放弃")
    });
    tmux.keys("s", &["y"]);
    tmux.wait("s", "the form closed", Duration::from_secs(10), |s| {
        !s.contains("ctrl-s")
    });

    // No input for --idle: the session closes by itself.
    let quiet = Instant::now();
    wait_until("the idle session to close", Duration::from_secs(20), || {
        !Command::new("tmux")
            .arg("-S")
            .arg(&tmux.socket)
            .args(["has-session", "-t", "s"])
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    });
    assert!(
        quiet.elapsed() >= Duration::from_secs(3),
        "not before --idle"
    );
    wait_until("the session count to drop", Duration::from_secs(10), || {
        server_log(&server).contains("(0 open)")
    });
}

#[test]
fn the_first_serve_without_an_admin_refuses_and_says_how_to_add_one() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    drop(qiangji::registry::Registry::open(&db, true).unwrap());
    let out = Command::new(BIN)
        .args(["serve", "--listen", &format!("127.0.0.1:{}", free_port())])
        .arg("--db")
        .arg(&db)
        .env_remove("QIANGJI_LANG")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let said = text(&out);
    assert!(
        said.contains("qiangji user add") && said.contains("--role admin"),
        "{said}"
    );
    assert!(
        !dir.path().join("db.ssh_host_ed25519_key").exists(),
        "nothing made yet"
    );
}

#[test]
fn exec_speaks_the_cli_grammar_data_to_stdout_messages_to_stderr() {
    if !tools() {
        return;
    }
    let site = Site::demo();
    let admin = site.user("coordinator", &["admin"]);
    let wang = site.user("wang", &["chief", "--project", "math"]);
    let server = site.serve();

    // A refusal by role: nothing on stdout, the reason on stderr, exit 1.
    let out = site.run(&server, &wang, "wang", &["check"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(out.stdout.is_empty(), "{}", text(&out));
    assert!(String::from_utf8_lossy(&out.stderr).contains("不能运行 check"));
    // A file on the server is never named over SSH.
    let out = site.run(
        &server,
        &admin,
        "coordinator",
        &["export", "trainees", "-o", "/tmp/x.json"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(out.stdout.is_empty(), "{}", text(&out));
    assert!(String::from_utf8_lossy(&out.stderr).contains("-o"));
    // A usage error: exit 64, on stderr.
    let out = site.run(&server, &wang, "wang", &["export", "pupils"]);
    assert_eq!(out.status.code(), Some(64), "{}", text(&out));
    assert!(out.stdout.is_empty(), "{}", text(&out));
    // Options without a command: a usage error that says what to do.
    let out = site.run(&server, &wang, "wang", &[" --lang en"]);
    assert_eq!(out.status.code(), Some(64), "{}", text(&out));
    assert!(String::from_utf8_lossy(&out.stderr).contains("name a command"));
    // --help keeps its line breaks, on stdout, in the asked language.
    let out = site.run(
        &server,
        &wang,
        "wang",
        &["ledger", "--help", "--lang", "en"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(help.lines().count() > 5, "{help}");
    assert!(
        help.contains("Usage:") && !help.contains("\\u{a}"),
        "{help}"
    );

    // The filing list as a workbook on standard output (no pty).
    let out = site.run(
        &server,
        &wang,
        "wang",
        &[
            "export",
            "filing",
            "--project",
            "math",
            "--year",
            "2026",
            "--format",
            "xlsx",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let file = site.path("filing.xlsx");
    fs::write(&file, &out.stdout).unwrap();
    {
        use calamine::Reader as _;
        let mut book: calamine::Xlsx<_> = calamine::open_workbook(&file).expect("a workbook");
        let first = book.sheet_names()[0].clone();
        let range = book.worksheet_range(&first).unwrap();
        let cells: String = range.rows().flatten().map(|c| c.to_string()).collect();
        assert!(cells.contains("数学组"), "{cells}");
    }
    // A workbook is never written to a terminal (ssh -tt: a pty).
    let mut tty = site.ssh(
        &server,
        &wang,
        "wang",
        &["-tt", "-o", "StrictHostKeyChecking=accept-new"],
    );
    tty.args(["export", "filing", "--project", "math", "--format", "xlsx"]);
    let out = run_with_timeout(tty, Duration::from_secs(30));
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("二进制"), "{}", text(&out));
    // Every group's filing list is for those who read every group.
    let out = site.run(
        &server,
        &wang,
        "wang",
        &["export", "filing", "--project", "all", "--format", "xlsx"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(out.stdout.is_empty());

    // An import from standard input, dry run: the report, nothing written.
    let trainees = |site: &Site| {
        let out = site.run(&server, &admin, "coordinator", &["export", "trainees"]);
        let rows: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).expect("json");
        rows.len()
    };
    let before = trainees(&site);
    let list = site.path("list.csv");
    fs::write(
        &list,
        "姓名,性别,所在学校,区市,年级,联系电话,项目组,推荐教师1,推荐教师2,申报日期\n\
         林小雨,女,青岛二中,市南区,高一,13812345678,数学,李明老师,王芳老师,2026-09-01\n\
         ,男,青岛二中,市南区,高一,13812345679,数学,李明老师,王芳老师,2026-09-01\n",
    )
    .unwrap();
    let mut cmd = site.ssh(
        &server,
        &wang,
        "wang",
        &["-o", "StrictHostKeyChecking=accept-new"],
    );
    cmd.args(["import", "applications", "-", "--dry-run"]);
    cmd.stdin(fs::File::open(&list).unwrap());
    let out = run_with_timeout(cmd, Duration::from_secs(30));
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        report.contains("第 3 行"),
        "the bad row by its line: {}",
        text(&out)
    );
    assert_eq!(out.status.code(), Some(1), "bad rows: {}", text(&out));
    assert_eq!(trainees(&site), before, "a dry run writes nothing");
    // A coach may not import at all.
    // (added by the admin over SSH, the key on standard input)
    let coach = site.key("zhou");
    let mut cmd = site.ssh(
        &server,
        &admin,
        "coordinator",
        &["-o", "StrictHostKeyChecking=accept-new"],
    );
    cmd.args([
        "user",
        "add",
        "zhou",
        "--role",
        "coach",
        "--project",
        "math",
        "--key",
        "-",
    ]);
    cmd.stdin(fs::File::open(site.path("zhou.pub")).unwrap());
    let out = run_with_timeout(cmd, Duration::from_secs(30));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let out = site.run(&server, &coach, "zhou", &["import", "applications", "-"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(out.stdout.is_empty());

    // The evaluation, and the users for an admin.
    let out = site.run(&server, &wang, "wang", &["evaluation", "--year", "2026"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let out = site.run(&server, &admin, "coordinator", &["user", "list"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("wang"));

    // An unknown subsystem is refused at once, not left waiting.
    let started = Instant::now();
    let mut cmd = site.ssh(
        &server,
        &wang,
        "wang",
        &["-s", "-o", "StrictHostKeyChecking=accept-new"],
    );
    cmd.arg("no-such-subsystem");
    let out = run_with_timeout(cmd, Duration::from_secs(30));
    assert_ne!(out.status.code(), Some(0), "{}", text(&out));
    assert!(started.elapsed() < Duration::from_secs(10));
    // So is X11 forwarding, and the command runs all the same.
    let mut cmd = site.ssh(
        &server,
        &wang,
        "wang",
        &["-X", "-o", "ForwardX11Trusted=yes"],
    );
    cmd.env("DISPLAY", ":99").arg("ledger");
    let out = run_with_timeout(cmd, Duration::from_secs(30));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("X11 forwarding request failed"),
        "{}",
        text(&out)
    );
}

impl Site {
    /// `sftp` or `scp` with `key`, the host key accepted.
    fn file_client(&self, tool: &str, server: &Server, key: &Path) -> Command {
        let mut cmd = self.client(tool, "-P", server, key);
        cmd.args(["-o", "StrictHostKeyChecking=accept-new"]);
        cmd
    }

    /// Runs one `sftp` batch line as `user`; a line failing fails the run.
    fn sftp(&self, server: &Server, key: &Path, user: &str, line: &str) -> Output {
        let batch = self.path("batch");
        fs::write(&batch, format!("{line}\n")).unwrap();
        let mut cmd = self.file_client("sftp", server, key);
        cmd.arg("-b").arg(&batch).arg(format!("{user}@127.0.0.1"));
        run_with_timeout(cmd, Duration::from_secs(60))
    }
}

#[test]
fn files_over_sftp_and_scp_are_the_users_own_tree() {
    // sftp and scp come with ssh in openssh-client (.ci/run installs it).
    if !tools()
        || !common::tools::available(
            "sh",
            &["-c", "command -v sftp && command -v scp"],
            "files over SFTP (sftp, scp)",
        )
    {
        return;
    }
    let site = Site::demo();
    let admin = site.user("coordinator", &["admin"]);
    let li = site.user("li", &["chief", "--project", "math"]);
    let wang = site.user("wang", &["chief", "--project", "physics"]);
    let server = site.serve();

    // The math chief's exports: the announcement list, read back.
    let got = site.path("announcement.xlsx");
    let out = site.sftp(
        &server,
        &li,
        "li",
        &format!("get exports/math/announcement.xlsx {}", got.display()),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    {
        use calamine::Reader as _;
        let mut book: calamine::Xlsx<_> = calamine::open_workbook(&got).expect("a workbook");
        let first = book.sheet_names()[0].clone();
        let range = book.worksheet_range(&first).unwrap();
        let cells: String = range.rows().flatten().map(|c| c.to_string()).collect();
        assert!(
            cells.contains("数学组") && cells.contains("公示"),
            "{cells}"
        );
    }
    // No physics folder, no folder of all groups: not there at all.
    let out = site.sftp(&server, &li, "li", "ls exports");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let listed = String::from_utf8_lossy(&out.stdout);
    assert!(listed.contains("math") && listed.contains("template-applications.xlsx"));
    assert!(
        !listed.contains("physics") && !listed.contains("all"),
        "{listed}"
    );
    for line in [
        "get exports/physics/trainees.csv",
        "ls exports/physics",
        "get ../../etc/passwd",
        "get /etc/passwd",
    ] {
        let out = site.sftp(&server, &li, "li", line);
        assert_ne!(out.status.code(), Some(0), "{line}: {}", text(&out));
        let said = String::from_utf8_lossy(&out.stderr);
        assert!(
            said.contains("not found") && !said.contains("ermission"),
            "{line}: {said}"
        );
    }
    // A coordinator has every group and all/, with the evaluation.
    let out = site.sftp(&server, &admin, "coordinator", "ls exports/all");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let listed = String::from_utf8_lossy(&out.stdout);
    for name in [
        "evaluation-2026.xlsx",
        "filing-2026.xlsx",
        "ledger-2026.xlsx",
        "trainees.csv",
    ] {
        assert!(listed.contains(name), "{name}: {listed}");
    }

    // Exports are read-only: permission denied, and nothing appears.
    let list = site.path("list.csv");
    fs::write(
        &list,
        "姓名,性别,所在学校,区市,年级,联系电话,项目组,推荐教师1,推荐教师2,申报日期\n\
         林小雨,女,青岛二中,市南区,高一,13812345678,数学,李明老师,王芳老师,2026-09-01\n",
    )
    .unwrap();
    for line in [
        format!("put {} exports/math/list.csv", list.display()),
        format!("put {} exports/list.csv", list.display()),
        "rm exports/math/trainees.csv".to_string(),
        "rename exports/math/trainees.csv exports/math/t.csv".to_string(),
    ] {
        let out = site.sftp(&server, &li, "li", &line);
        assert_ne!(out.status.code(), Some(0), "{line}: {}", text(&out));
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("Permission denied"),
            "{line}: {}",
            text(&out)
        );
    }

    // scp (SFTP mode) both ways: a download, an upload to imports/.
    let mut scp = site.file_client("scp", &server, &li);
    scp.arg("-s")
        .arg("li@127.0.0.1:exports/math/trainees.csv")
        .arg(site.path("trainees.csv"));
    let out = run_with_timeout(scp, Duration::from_secs(60));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(
        fs::read_to_string(site.path("trainees.csv"))
            .unwrap()
            .contains("姓名")
    );
    let mut scp = site.file_client("scp", &server, &li);
    scp.arg("-s")
        .arg(&list)
        .arg("li@127.0.0.1:imports/list.csv");
    let out = run_with_timeout(scp, Duration::from_secs(60));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let out = site.sftp(&server, &li, "li", "ls imports");
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("list.csv"),
        "{}",
        text(&out)
    );

    // The upload is offered by the chief's dashboard, and a confirmed
    // import creates the trainee; the dashboard says where the files are.
    let tmux = Tmux {
        socket: site.path("tmux.sock"),
    };
    tmux.start(
        "li",
        &site.shell_line(&server, &li, "li", "StrictHostKeyChecking=yes"),
    );
    tmux.wait("li", "the overview", Duration::from_secs(30), |s| {
        s.contains("总览")
    });
    tmux.keys("li", &["1"]);
    tmux.wait("li", "the math group", Duration::from_secs(10), |s| {
        s.contains("数学组")
    });
    tmux.keys("li", &["I"]);
    let form = tmux.wait("li", "the import form", Duration::from_secs(10), |s| {
        s.contains("上传的名单")
    });
    assert!(
        form.contains("list.csv") && !form.contains("文件路径"),
        "{form}"
    );
    tmux.keys("li", &["C-s"]);
    tmux.wait("li", "the report", Duration::from_secs(10), |s| {
        s.contains("将新建 1 名")
    });
    tmux.keys("li", &["y"]);
    let done = tmux.wait("li", "the import", Duration::from_secs(10), |s| {
        s.contains("已导入 1 名学员")
    });
    let line = format!(
        "scp -P {} li@127.0.0.1:exports/math/trainees.xlsx .",
        server.port
    );
    assert!(done.contains(&line), "{done}");
    let out = site.run(&server, &li, "li", &["export", "trainees"]);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("林小雨"),
        "{}",
        text(&out)
    );
    tmux.keys("li", &["D"]);
    let said = tmux.wait(
        "li",
        "where the exports are",
        Duration::from_secs(10),
        |s| s.contains("下载：scp"),
    );
    assert!(
        said.contains("li@127.0.0.1:exports/math/announcement.xlsx"),
        "{said}"
    );

    // 21 MiB is over the limit: refused, and not kept.
    let big = site.path("big.csv");
    fs::write(&big, vec![b'a'; 21 << 20]).unwrap();
    let out = site.sftp(
        &server,
        &li,
        "li",
        &format!("put {} imports/big.csv", big.display()),
    );
    assert_ne!(out.status.code(), Some(0), "{}", text(&out));
    let out = site.sftp(&server, &li, "li", "ls imports");
    assert!(
        !String::from_utf8_lossy(&out.stdout).contains("big.csv"),
        "{}",
        text(&out)
    );
    // Another user's uploads are not there for them.
    let out = site.sftp(&server, &wang, "wang", "ls imports");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(!String::from_utf8_lossy(&out.stdout).contains("list.csv"));
    let out = site.sftp(&server, &wang, "wang", "get imports/list.csv");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("not found"),
        "{}",
        text(&out)
    );
}

/// What the operator sees: the host key's `.pub` beside it, and one log line
/// per event on standard error (start, logins, refusals, sessions, stop).
#[test]
fn the_operator_sees_the_host_key_and_one_log_line_per_event() {
    if !tools() {
        return;
    }
    let site = Site::demo();
    let admin = site.user("coordinator", &["admin"]);
    let stranger = site.key("stranger");
    let server = site.serve();
    let public = site.path("host_key.pub");
    let out = Command::new("ssh-keygen")
        .arg("-lf")
        .arg(&public)
        .output()
        .expect("ssh-keygen runs");
    assert!(out.status.success(), "{}", text(&out));
    let fingerprint = String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .nth(1)
        .expect("a fingerprint")
        .to_string();
    assert!(fingerprint.starts_with("SHA256:"));
    let log = server_log(&server);
    let listening = format!("127.0.0.1:{}", server.port);
    let start = log.lines().find(|l| l.contains(&listening));
    assert!(
        start.is_some_and(|l| l.contains(&fingerprint)),
        "the start line says where and which key: {log}"
    );

    let key_of = |key: &Path| {
        let out = Command::new("ssh-keygen")
            .arg("-lf")
            .arg(key)
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout)
            .split_whitespace()
            .nth(1)
            .unwrap()
            .to_string()
    };
    let out = site.run(&server, &admin, "coordinator", &["sessions"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let out = site.run(&server, &stranger, "coordinator", &["sessions"]);
    assert_eq!(out.status.code(), Some(255));
    let admin_key = key_of(&admin);
    let stranger_key = key_of(&stranger);
    wait_until("the refusal in the log", Duration::from_secs(10), || {
        server_log(&server).contains(&stranger_key)
    });
    let log = server_log(&server);
    let line = |what: &str| {
        log.lines()
            .find(|l| l.contains(what))
            .unwrap_or_else(|| panic!("no line with {what:?} in {log}"))
            .to_string()
    };
    let login = line("logged in");
    for part in ["login=coordinator", &admin_key, "from=127.0.0.1:"] {
        assert!(login.contains(part), "{part} in {login}");
    }
    assert!(line("command: sessions").contains("login=coordinator"));
    let refused = line("login refused");
    for part in ["WARN", &stranger_key, "from=127.0.0.1:"] {
        assert!(refused.contains(part), "{part} in {refused}");
    }
    // A restart keeps the key and its .pub, and says the same fingerprint.
    let port = server.port;
    let before = fs::read_to_string(&public).unwrap();
    drop(server);
    let server = site.serve_on(port);
    assert_eq!(fs::read_to_string(&public).unwrap(), before);
    assert!(server_log(&server).contains(&fingerprint));
}

/// `serve --print-unit`: a unit systemd accepts, for this binary, the
/// database and address asked for, run by its own account.
#[test]
fn the_printed_systemd_unit_passes_systemd_analyze_verify() {
    if !common::tools::available(
        "systemd-analyze",
        &["--version"],
        "the printed systemd unit",
    ) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(BIN)
        .args(["serve", "--print-unit", "--user", "qiangji"])
        .args(["--db", "/var/lib/qiangji/db", "--listen", "0.0.0.0:2222"])
        .env_remove("QIANGJI_LANG")
        .env_remove("QIANGJI_DB")
        .stdin(Stdio::null())
        .output()
        .expect("qiangji runs");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let unit = String::from_utf8(out.stdout).unwrap();
    let exec = unit
        .lines()
        .find_map(|l| l.strip_prefix("ExecStart="))
        .expect("an ExecStart line");
    let bin = fs::canonicalize(BIN).unwrap();
    assert!(
        exec.starts_with(&format!(
            "{} serve --db /var/lib/qiangji/db --listen 0.0.0.0:2222",
            bin.display()
        )),
        "{exec}"
    );
    for line in [
        "User=qiangji",
        "StateDirectory=qiangji",
        "Restart=on-failure",
        "NoNewPrivileges=yes",
        "ProtectSystem=strict",
        "PrivateTmp=yes",
    ] {
        assert!(unit.lines().any(|l| l == line), "{line} in {unit}");
    }
    let file = dir.path().join("qiangji.service");
    fs::write(&file, &unit).unwrap();
    let out = Command::new("systemd-analyze")
        .arg("verify")
        .arg(&file)
        .output()
        .expect("systemd-analyze runs");
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{said}\n{unit}");
    assert!(!said.contains("qiangji.service"), "{said}\n{unit}");

    // A database where the service could not see it is refused, saying why.
    let out = Command::new(BIN)
        .args([
            "serve",
            "--print-unit",
            "--db",
            "/home/li/db",
            "--lang",
            "en",
        ])
        .output()
        .expect("qiangji runs");
    assert_eq!(out.status.code(), Some(64), "{}", text(&out));
    assert!(String::from_utf8_lossy(&out.stderr).contains("ProtectHome"));
    assert!(out.stdout.is_empty());
}

/// The `.backup` files in `dir`, sorted (oldest first), and whether a
/// temporary one is there.
fn backups_in(dir: &Path) -> (Vec<String>, bool) {
    let mut names: Vec<String> = fs::read_dir(dir)
        .map(|d| {
            d.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    let partial = names.iter().any(|n| n.ends_with(".partial"));
    names.retain(|n| n.ends_with(".backup"));
    names.sort();
    (names, partial)
}

/// `serve --backup-dir`: backups on a schedule, rotated to --backup-keep,
/// one before a rollover sent over SSH, and the newest restores.
#[test]
fn the_server_backs_up_on_a_schedule_and_before_a_rollover_and_the_newest_restores() {
    if !tools() {
        return;
    }
    let site = Site::demo();
    let admin = site.user("coordinator", &["admin"]);
    let dir = site.path("backups");
    let dir_arg = dir.to_str().unwrap();
    let server = site.serve_with(
        free_port(),
        &[
            "--backup-dir",
            dir_arg,
            "--backup-every",
            "1s",
            "--backup-keep",
            "2",
        ],
    );
    wait_until("four scheduled backups", Duration::from_secs(60), || {
        server_log(&server).matches("backup written").count() >= 4
    });
    let log = server_log(&server);
    assert!(log.contains("old backup removed"), "{log}");
    let (names, partial) = backups_in(&dir);
    // All in one month: the newest two are also that month's newest.
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(!partial);
    let mode = fs::metadata(dir.join(&names[0])).unwrap().permissions();
    assert_eq!(
        std::os::unix::fs::PermissionsExt::mode(&mode) & 0o777,
        0o600
    );
    drop(server);

    // Restarted with a long interval: no backup at start (the newest is
    // recent), one before the rollover.
    let server = site.serve_with(
        free_port(),
        &[
            "--backup-dir",
            dir_arg,
            "--backup-every",
            "1h",
            "--backup-keep",
            "5",
        ],
    );
    let (before, _) = backups_in(&dir);
    assert_eq!(before.len(), 2, "{before:?}");
    let year: i32 = chrono::Datelike::year(&chrono::Utc::now().date_naive());
    let to = (year + 1).to_string();
    let out = site.run(&server, &admin, "coordinator", &["rollover", "--to", &to]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let (after, _) = backups_in(&dir);
    assert_eq!(after.len(), 3, "{after:?}");
    // The newest (its name may share its second with the one before).
    let newest = after
        .iter()
        .find(|n| !before.contains(n))
        .expect("a new backup");
    assert!(newest.ends_with("-before-rollover.backup"), "{after:?}");
    assert!(server_log(&server).contains("backup written before rollover"));
    // An import sent over SSH: one more, before it.
    let list = site.path("list.csv");
    fs::write(
        &list,
        "姓名,性别,所在学校,区市,年级,联系电话,项目组,推荐教师1,推荐教师2,申报日期\n\
         林小雨,女,青岛二中,市南区,高一,13812345678,数学,李明老师,王芳老师,2026-09-01\n",
    )
    .unwrap();
    let mut import = site.ssh(
        &server,
        &admin,
        "coordinator",
        &["-o", "StrictHostKeyChecking=accept-new"],
    );
    import
        .args(["import", "applications", "-"])
        .stdin(fs::File::open(&list).unwrap());
    let out = run_with_timeout(import, Duration::from_secs(30));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let (with_import, _) = backups_in(&dir);
    assert_eq!(with_import.len(), 4, "{with_import:?}");
    assert!(
        with_import
            .iter()
            .any(|n| n.ends_with("-before-import.backup")),
        "{with_import:?}"
    );
    drop(server);

    // The newest restores, holds the state before the rollover, and checks.
    let restored = site.path("restored");
    let out = Command::new(BIN)
        .arg("restore")
        .arg(dir.join(newest))
        .arg("--db")
        .arg(&restored)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let ledger = |db: &Path| {
        let out = Command::new(BIN)
            .args(["export", "ledger", "--format", "json", "--db"])
            .arg(db)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", text(&out));
        String::from_utf8_lossy(&out.stdout)
            .matches("ROLLOVER-")
            .count()
    };
    assert_eq!(ledger(&restored), 0);
    assert!(ledger(&site.db()) > 0);
    let out = Command::new(BIN)
        .args(["check", "--db"])
        .arg(&restored)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
}

/// A backup directory that cannot be written: logged, shown, and the
/// server goes on serving.
#[test]
fn a_backup_that_cannot_be_written_is_logged_and_the_server_keeps_serving() {
    if !tools() {
        return;
    }
    let site = Site::demo();
    let admin = site.user("coordinator", &["admin"]);
    // A file where the directory should be (a read-only directory would not
    // stop root, who runs CI).
    let not_a_dir = site.path("backups");
    fs::write(&not_a_dir, b"a file").unwrap();
    let server = site.serve_with(
        free_port(),
        &[
            "--backup-dir",
            not_a_dir.to_str().unwrap(),
            "--backup-every",
            "1s",
        ],
    );
    wait_until("the failure in the log", Duration::from_secs(30), || {
        server_log(&server).contains("backup failed")
    });
    let log = server_log(&server);
    let line = log.lines().find(|l| l.contains("backup failed")).unwrap();
    assert!(
        line.contains("ERROR") && line.contains("the service goes on"),
        "{line}"
    );
    let out = site.run(&server, &admin, "coordinator", &["sessions"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(fs::read(&not_a_dir).unwrap(), b"a file");
    // The admin's overview says so.
    let tmux = Tmux {
        socket: site.path("tmux.sock"),
    };
    tmux.start(
        "admin",
        &site.shell_line(&server, &admin, "coordinator", "StrictHostKeyChecking=yes"),
    );
    tmux.wait("admin", "the warning", Duration::from_secs(30), |s| {
        s.contains("备份失败") && s.contains("总览")
    });
}

/// Sessions follow the user records (issue 17): a role changed by an admin
/// re-scopes the open dashboard, a removed user's dashboard ends with a
/// line on standard error within a second, and their SFTP session serves
/// nothing more; `user key add` over SSH reads the key from standard input.
#[test]
fn open_sessions_follow_the_user_records_within_a_second() {
    if !tools() {
        return;
    }
    let site = Site::demo();
    let admin = site.user("coordinator", &["admin"]);
    let li = site.user("li", &["chief", "--project", "math"]);
    let zhou = site.user("zhou", &["coach", "--project", "math"]);
    let server = site.serve();
    let tmux = Tmux {
        socket: site.path("tmux.sock"),
    };
    let ssh_line = |key: &Path, user: &str| {
        site.shell_line(&server, key, user, "StrictHostKeyChecking=accept-new")
    };
    let li_err = site.path("li.stderr");
    tmux.start(
        "li",
        &format!("{} 2>'{}'", ssh_line(&li, "li"), li_err.display()),
    );
    tmux.start("zhou", &ssh_line(&zhou, "zhou"));
    for who in ["li", "zhou"] {
        tmux.wait(who, "the overview", Duration::from_secs(30), |s| {
            s.contains("总览")
        });
    }

    // Another role: zhou's screen says so and reads as a physics chief.
    let out = site.run(
        &server,
        &admin,
        "coordinator",
        &[
            "user",
            "change",
            "zhou",
            "--role",
            "chief",
            "--project",
            "physics",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let changed = Instant::now();
    tmux.wait("zhou", "the new role", Duration::from_secs(5), |s| {
        s.contains("角色已被管理员变更")
    });
    assert!(
        changed.elapsed() < Duration::from_secs(1),
        "re-scoped within a second: {:?}",
        changed.elapsed()
    );

    // An SFTP session of li's, open before the removal.
    let mut sftp = site.client("sftp", "-P", &server, &li);
    sftp.args(["-o", "StrictHostKeyChecking=accept-new", "-b", "-"])
        .arg("li@127.0.0.1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut sftp = sftp.spawn().expect("sftp runs");
    let mut batch = sftp.stdin.take().unwrap();
    writeln!(batch, "ls exports").unwrap();
    batch.flush().unwrap();
    std::thread::sleep(Duration::from_millis(500));

    // Removed: li's dashboard ends with a line saying why.
    let out = site.run(&server, &admin, "coordinator", &["user", "remove", "li"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let removed = Instant::now();
    wait_until("li's session to end", Duration::from_secs(5), || {
        fs::read_to_string(&li_err).is_ok_and(|e| e.contains("已被停用"))
    });
    assert!(
        removed.elapsed() < Duration::from_secs(1),
        "ended within a second: {:?}",
        removed.elapsed()
    );
    // The SFTP session gets nothing more.
    writeln!(batch, "ls exports/math").unwrap();
    drop(batch);
    let done = sftp.wait_with_output().expect("sftp ends");
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&done.stdout),
        String::from_utf8_lossy(&done.stderr)
    );
    assert!(
        !said.contains("announcement.xlsx"),
        "a removed user still listed exports: {said}"
    );

    // A key given over SSH, from standard input; the user logs in with it.
    let laptop = site.key("zhou-laptop");
    let public = fs::read(format!("{}.pub", laptop.display())).unwrap();
    let mut add = site.ssh(
        &server,
        &admin,
        "coordinator",
        &["-o", "StrictHostKeyChecking=accept-new"],
    );
    add.args(["user", "key", "add", "zhou", "-"])
        .stdin(Stdio::piped());
    add.stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = add.spawn().unwrap();
    child.stdin.take().unwrap().write_all(&public).unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let out = site.run(
        &server,
        &laptop,
        "zhou",
        &["ledger", "--project", "physics"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
}
