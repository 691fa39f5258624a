//! Memory bombs (issue 9, point 11): sizes and files a user gives are
//! bounded before anything is allocated. Every run here is under a 4 GiB
//! address-space limit, so a regression fails the test instead of eating the
//! machine's memory.

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_qiangji");

/// `qiangji args` with at most 4 GiB of address space and a deadline, no
/// terminal, in a sandbox `home`.
fn bounded(home: &Path, args: &[&str]) -> Output {
    let mut script = String::from("ulimit -v 4194304; exec \"$0\"");
    for i in 1..=args.len() {
        // Braced: `$10` would be `$1` and a 0.
        script.push_str(&format!(" \"${{{i}}}\""));
    }
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(script)
        .arg(BIN)
        .args(args)
        .env_remove("QIANGJI_DB")
        .env_remove("QIANGJI_LANG")
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("TMPDIR", home)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("qiangji {args:?} still runs after 20 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

fn one_line(out: &Output) -> String {
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 1, "not one line: {err:?}");
    lines[0].to_string()
}

#[test]
fn screenshot_sizes_beyond_500x200_are_refused_before_drawing() {
    let home = tempfile::tempdir().unwrap();
    let out_dir = home.path().join("shots");
    let out_arg = out_dir.to_str().unwrap();
    for size in [
        "65535x65535",
        "5000x5000",
        "501x200",
        "500x201",
        "0x24",
        "80x0",
    ] {
        for (lang, says) in [("en", "out of range"), ("zh", "超出范围")] {
            let started = Instant::now();
            let out = bounded(
                home.path(),
                &[
                    "--lang",
                    lang,
                    "screenshot",
                    "--out",
                    out_arg,
                    "--size",
                    size,
                ],
            );
            let line = one_line(&out);
            assert_eq!(out.status.code(), Some(64), "{size}: {line}");
            assert!(
                line.contains(says) && line.contains("500") && line.contains("200"),
                "{line}"
            );
            assert!(
                started.elapsed() < Duration::from_secs(5),
                "{size} took {:?}",
                started.elapsed()
            );
        }
    }
    assert!(
        !out_dir.exists(),
        "a refused size still made the output directory"
    );
}

#[test]
fn keymaps_from_devices_pipes_directories_and_huge_files_are_one_line_errors() {
    let home = tempfile::tempdir().unwrap();
    let fifo = home.path().join("fifo.toml");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success(), "mkfifo");
    let big = home.path().join("big.toml");
    // Valid TOML, just too much of it: 1 MiB of comment lines and a bit.
    let line = format!("# {}\n", "x".repeat(1021));
    std::fs::write(&big, line.repeat(1025)).unwrap();
    let binary = home.path().join("binary.toml");
    std::fs::write(&binary, [0xff, 0xfe, 0x00, 0x5b]).unwrap();
    let cases = [
        ("/dev/zero", "not a regular file"),
        (fifo.to_str().unwrap(), "not a regular file"),
        (home.path().to_str().unwrap(), "not a regular file"),
        (big.to_str().unwrap(), "larger than 1048576 bytes"),
        (binary.to_str().unwrap(), "not UTF-8 text"),
    ];
    for (file, says) in cases {
        for lang in ["en", "zh"] {
            let started = Instant::now();
            let out = bounded(home.path(), &["--lang", lang, "--keymap", file]);
            let line = one_line(&out);
            assert_eq!(out.status.code(), Some(1), "{file}: {line}");
            assert!(line.contains(file), "{line}");
            if lang == "en" {
                assert!(line.contains(says), "{line}");
            } else {
                assert!(
                    line.contains("无法读取按键配置文件") && !line.contains(says),
                    "{line}"
                );
            }
            assert!(
                started.elapsed() < Duration::from_secs(5),
                "{file} took {:?}",
                started.elapsed()
            );
        }
    }
}

/// Every option that names a file to read (`--keymap`, `user add --key`,
/// `evaluation --points`, `import applications`, `restore`, `serve
/// --host-key`) refuses a device, a pipe and a directory at once, in one
/// line naming it, and caps the size: `/dev/zero` once grew `user add --key`
/// to 6 GB and `--points` to 4.6 GB, and a FIFO blocked forever. (`/dev/zero`
/// is only read here.)
#[test]
fn every_file_option_refuses_devices_pipes_and_directories_quickly() {
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("db");
    let db_arg = db.to_str().unwrap();
    let key = home.path().join("admin.pub");
    std::fs::write(
        &key,
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIK/dEorfbQQE+KGC3WFMNhgE7GrbVnfBVoxXlTJLG73s admin\n",
    )
    .unwrap();
    let made = bounded(
        home.path(),
        &[
            "--db",
            db_arg,
            "user",
            "add",
            "admin",
            "--role",
            "admin",
            "--key",
            key.to_str().unwrap(),
        ],
    );
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let fifo = home.path().join("fifo");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    // Mode 600, as a host key must be: the read itself is what is tested.
    std::fs::set_permissions(&fifo, std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
    let dir = home.path().join("a-directory");
    std::fs::create_dir(&dir).unwrap();
    let restored = home.path().join("restored");
    let restored_arg = restored.to_str().unwrap();
    let commands: [&[&str]; 6] = [
        &["--keymap", "FILE"],
        &[
            "--db", db_arg, "user", "add", "someone", "--role", "finance", "--key", "FILE",
        ],
        &[
            "--db",
            db_arg,
            "evaluation",
            "--year",
            "2026",
            "--points",
            "FILE",
        ],
        &[
            "--db",
            db_arg,
            "import",
            "applications",
            "FILE",
            "--dry-run",
        ],
        &["--db", restored_arg, "restore", "FILE"],
        &[
            "--db",
            db_arg,
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--host-key",
            "FILE",
        ],
    ];
    for file in ["/dev/zero", fifo.to_str().unwrap(), dir.to_str().unwrap()] {
        for command in commands {
            for lang in ["en", "zh"] {
                let mut args = vec!["--lang", lang];
                args.extend(command.iter().map(|a| if *a == "FILE" { file } else { a }));
                let started = Instant::now();
                let out = bounded(home.path(), &args);
                let line = one_line(&out);
                assert!(!out.status.success(), "{args:?}: {line}");
                assert!(line.contains(file), "{args:?}: {line}");
                let says = if lang == "en" {
                    "not a regular file"
                } else {
                    "不是普通文件"
                };
                assert!(line.contains(says), "{args:?}: {line}");
                // A file read is never said to be written.
                assert!(
                    !line.contains("cannot write") && !line.contains("无法写入"),
                    "{args:?}: {line}"
                );
                assert!(
                    started.elapsed() < Duration::from_secs(5),
                    "{args:?} took {:?}",
                    started.elapsed()
                );
            }
        }
    }
    assert!(!restored.exists(), "a refused restore made its directory");

    // A points table that is not there cannot be read (it said "cannot write").
    let missing = home.path().join("points.toml");
    for (lang, says) in [("en", "cannot read"), ("zh", "无法读取")] {
        let out = bounded(
            home.path(),
            &[
                "--lang",
                lang,
                "--db",
                db_arg,
                "evaluation",
                "--year",
                "2026",
                "--points",
                missing.to_str().unwrap(),
            ],
        );
        let line = one_line(&out);
        assert!(
            line.contains(says) && line.contains("points.toml"),
            "{line}"
        );
    }
}
