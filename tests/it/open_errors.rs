//! The ways opening a database fails: in use, written by a newer qiangji,
//! damaged, missing. Each is one line naming the path, in English and Chinese,
//! never a panic; the `check` command turns each into exit code 2 and one line
//! on stderr.

use std::fs;
use std::io::{Seek, SeekFrom, Write};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::process::Command as Process;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use qiangji::domain::{Account, Actor, Gender, Money, ProjectId, TraineeKind};
use qiangji::i18n::{Lang, Localized};
use qiangji::registry::{ApplicationInput, Command, Movement, Registry};
use qiangji::store::{OpenError, SCHEMA_VERSION};

use crate::common;

use common::open_settled;

/// The message in English (Display and `localized(En)`) and Chinese: one line
/// each, naming the database.
fn assert_readable(e: &OpenError, dir: &Path) -> [String; 2] {
    let en = e.to_string();
    assert_eq!(
        e.localized(Lang::En),
        en,
        "English via Display and via localized"
    );
    let zh = e.localized(Lang::Zh);
    let path = dir.display().to_string();
    for m in [&en, &zh] {
        assert!(!m.trim().is_empty(), "{e:?}: empty message");
        assert!(
            !m.contains('\n') && !m.contains('\r'),
            "{e:?}: not one line: {m:?}"
        );
        assert!(m.contains(&path), "{e:?}: {m:?} does not name {path}");
        assert!(!m.contains("panicked"), "{m}");
    }
    assert_ne!(en, zh, "the Chinese message is not translated");
    [en, zh]
}

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, m, d).expect("valid date")
}

/// What a database holds, to compare after damage: trainees by id and name,
/// entries by id and amount.
#[derive(Debug, Default, PartialEq)]
struct Contents {
    trainees: Vec<(u64, String)>,
    entries: Vec<(u64, i64)>,
}

fn contents(r: &Registry) -> Contents {
    let trainees = r.all_trainees().map(|t| t.map(|t| (t.id, t.name)));
    let entries = r.all_entries().map(|e| e.map(|e| (e.id, e.amount.fen())));
    Contents {
        trainees: trainees
            .collect::<Result<_, _>>()
            .expect("trainees readable"),
        entries: entries.collect::<Result<_, _>>().expect("entries readable"),
    }
}

/// A database with `n` trainees and `n` allocations, closed again.
fn with_trainees_and_allocations(dir: &Path, n: usize) -> Contents {
    let r = Registry::open(dir, true).expect("create the database");
    let actor = Actor::admin("test");
    for i in 0..n {
        let input = ApplicationInput {
            gender: if i % 2 == 0 {
                Gender::Female
            } else {
                Gender::Male
            },
            phone: String::new(),
            date: day(3, 1),
            ..common::application(
                TraineeKind::Student,
                &format!("学员{i}"),
                ProjectId::ALL[i % ProjectId::ALL.len()],
            )
        };
        r.apply(&actor, Command::Apply(input)).expect("apply");
        let entry = Command::AddEntry {
            account: Account::daily(ProjectId::Math, 2025),
            date: day(4, 1),
            movement: Movement::Allocation,
            amount: Money(10_000 + i as i64),
            category: "拨款".into(),
            voucher: format!("记-{i}"),
            payee: String::new(),
            note: String::new(),
        };
        r.apply(&actor, entry).expect("allocate");
    }
    let c = contents(&r);
    assert_eq!((c.trainees.len(), c.entries.len()), (n, n));
    c
}

// ------------------------------------------------------------------ locked

#[test]
fn a_database_in_use_is_locked() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("db");
    let held = Registry::open(&dir, true).expect("create");
    for create in [false, true] {
        let e = Registry::open(&dir, create)
            .err()
            .expect("a second open while the first is held");
        assert!(
            matches!(&e, OpenError::Locked { path } if path == &dir),
            "{e:?}"
        );
        let [en, zh] = assert_readable(&e, &dir);
        assert!(en.contains("in use"), "{en}");
        assert!(zh.contains("正被另一个"), "{zh}");
    }
    // The holder is unaffected, and once it is gone the database opens.
    assert!(held.check(Lang::En).expect("check").ok());
    drop(held);
    assert!(open_settled(&dir, false).is_ok());
}

// ------------------------------------------------------------ older schema

#[test]
fn an_older_schema_is_refused_with_how_to_start_again() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("db");
    with_trainees_and_allocations(&dir, 2);
    {
        let r = open_settled(&dir, false).expect("reopen");
        r.store().force_schema_version(1).expect("force version 1");
    }
    let e = open_settled(&dir, false)
        .err()
        .expect("a development-build schema must be refused");
    assert!(
        matches!(&e, OpenError::OlderSchema { found: 1, .. }),
        "{e:?}"
    );
    for m in assert_readable(&e, &dir) {
        assert!(
            m.contains("qiangji demo"),
            "{m} does not say how to start again"
        );
    }
}

// ------------------------------------------------------------ newer schema

#[test]
fn a_newer_schema_is_refused_and_left_alone() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("db");
    let before = with_trainees_and_allocations(&dir, 3);
    let newer = SCHEMA_VERSION + 1;
    {
        let r = open_settled(&dir, false).expect("reopen");
        r.store()
            .force_schema_version(newer)
            .expect("force the schema version");
    }
    for _ in 0..2 {
        // Refused twice: the refusal changes nothing on disk.
        let e = open_settled(&dir, false)
            .err()
            .expect("a newer schema must be refused");
        match &e {
            OpenError::NewerSchema {
                path,
                found,
                supported,
            } => {
                assert_eq!((path, *found, *supported), (&dir, newer, SCHEMA_VERSION));
            }
            other => panic!("expected NewerSchema, got {other:?}"),
        }
        for m in assert_readable(&e, &dir) {
            // Both numbers appear (the path is taken out first: it may hold digits).
            let rest = m.replace(&dir.display().to_string(), "");
            assert!(
                rest.contains(&newer.to_string()),
                "{m} lacks the version found, {newer}"
            );
            let rest = rest.replacen(&newer.to_string(), "", 1);
            assert!(
                rest.contains(&SCHEMA_VERSION.to_string()),
                "{m} lacks the supported {SCHEMA_VERSION}"
            );
        }
    }
    // Also with `create`: an existing database is never re-stamped.
    assert!(matches!(
        open_settled(&dir, true),
        Err(OpenError::NewerSchema { .. })
    ));
    // The records are still there for a newer qiangji (and for this test, once
    // the version is put back the way a newer qiangji could not).
    let deadline = Instant::now() + Duration::from_secs(3);
    let sled_db = loop {
        match sled::Config::new().path(&dir).open() {
            Ok(db) => break db,
            // The same lock the registry's opens ride out.
            Err(e)
                if Instant::now() < deadline
                    && e.to_string().contains("could not acquire lock") =>
            {
                std::thread::sleep(Duration::from_millis(20))
            }
            Err(e) => panic!("raw sled open: {e}"),
        }
    };
    sled_db
        .open_tree("meta")
        .and_then(|t| t.insert("schema_version", &SCHEMA_VERSION.to_be_bytes()))
        .expect("put the version back");
    sled_db.flush().expect("flush");
    drop(sled_db);
    let r = open_settled(&dir, false).expect("opens again at the supported version");
    assert_eq!(contents(&r), before);
}

// ----------------------------------------------------------------- missing

#[test]
fn no_database_is_missing_and_nothing_is_created() {
    let tmp = tempfile::tempdir().expect("temp dir");
    // An empty directory, and one that does not exist.
    let empty = tmp.path().join("empty");
    fs::create_dir(&empty).expect("mkdir");
    let absent = tmp.path().join("no").join("such").join("db");
    for dir in [&empty, &absent] {
        let e = Registry::open(dir, false).err().expect("nothing to open");
        assert!(
            matches!(&e, OpenError::Missing { path } if path == dir),
            "{e:?}"
        );
        assert_readable(&e, dir);
    }
    assert_eq!(
        fs::read_dir(&empty).expect("read dir").count(),
        0,
        "files appeared in {}",
        empty.display()
    );
    assert!(
        !tmp.path().join("no").exists(),
        "a refused open created directories"
    );
}

// ----------------------------------------------------------------- damaged

/// What a kind of damage must lead to.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Expect {
    /// `OpenError::Corrupt`.
    Corrupt,
    /// Opens with every record (the damage is to something sled rebuilds).
    Intact,
    /// Random damage: an error, or Ok when it hit only what sled rebuilds or
    /// no longer needs. sled recovers its log up to the first damaged record
    /// and drops the rest without a word; the `acknowledged` mark beside the
    /// database turns that loss into `Corrupt` (the fixed cases above expect
    /// it). Never a panic, never a record that was not written, and `check`
    /// still passes.
    Truncated,
}

type Damage = fn(&Path);

fn db_file(dir: &Path) -> PathBuf {
    dir.join("db")
}

fn db_len(dir: &Path) -> u64 {
    fs::metadata(db_file(dir)).expect("db file").len()
}

fn write_at(dir: &Path, at: u64, bytes: &[u8]) {
    let mut f = fs::OpenOptions::new()
        .write(true)
        .open(db_file(dir))
        .expect("open db file");
    f.seek(SeekFrom::Start(at)).expect("seek");
    f.write_all(bytes).expect("write");
}

fn set_len(dir: &Path, len: u64) {
    fs::OpenOptions::new()
        .write(true)
        .open(db_file(dir))
        .expect("open db file")
        .set_len(len)
        .expect("truncate");
}

fn garbage(len: usize, seed: u64) -> Vec<u8> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    (0..len).map(|_| rng.random()).collect()
}

/// Where the last non-zero byte of the db file is: sled preallocates, so the
/// file is longer than what it wrote.
fn written(dir: &Path) -> u64 {
    let bytes = fs::read(db_file(dir)).expect("read db file");
    bytes
        .iter()
        .rposition(|b| *b != 0)
        .map_or(0, |i| i as u64 + 1)
}

const CASES: &[(&str, Expect, Damage)] = &[
    ("db overwritten with random bytes", Expect::Corrupt, |d| {
        fs::write(db_file(d), garbage(db_len(d) as usize, 1)).expect("write")
    }),
    ("db overwritten with zeros", Expect::Corrupt, |d| {
        fs::write(db_file(d), vec![0; db_len(d) as usize]).expect("write")
    }),
    ("db replaced by text", Expect::Corrupt, |d| {
        fs::write(db_file(d), "这不是数据库 not a database\n").expect("write")
    }),
    ("db truncated to 0 bytes", Expect::Corrupt, |d| {
        set_len(d, 0)
    }),
    ("db truncated to 100 bytes", Expect::Corrupt, |d| {
        set_len(d, 100)
    }),
    ("db header overwritten", Expect::Corrupt, |d| {
        write_at(d, 0, &[0xAB; 64])
    }),
    ("db removed", Expect::Corrupt, |d| {
        fs::remove_file(db_file(d)).expect("rm")
    }),
    ("conf overwritten with garbage", Expect::Corrupt, |d| {
        fs::write(d.join("conf"), b"\xff\xfe garbage \x00\x01").expect("write")
    }),
    (
        "db truncated to half its written length",
        Expect::Corrupt,
        |d| set_len(d, written(d) / 2),
    ),
    ("db truncated by its last byte", Expect::Corrupt, |d| {
        set_len(d, written(d) - 1)
    }),
    ("4 KiB of garbage inside the db", Expect::Corrupt, |d| {
        write_at(d, written(d) / 3, &garbage(4096, 2))
    }),
    (
        "one bit flipped near the end of the db",
        Expect::Corrupt,
        |d| {
            let at = written(d) - 200;
            let mut bytes = fs::read(db_file(d)).expect("read");
            bytes[at as usize] ^= 0x10;
            fs::write(db_file(d), bytes).expect("write");
        },
    ),
    ("garbage appended to the db", Expect::Intact, |d| {
        let mut f = fs::OpenOptions::new()
            .append(true)
            .open(db_file(d))
            .expect("open");
        f.write_all(&garbage(70_000, 3)).expect("append");
    }),
    ("conf removed", Expect::Intact, |d| {
        fs::remove_file(d.join("conf")).expect("rm")
    }),
    ("conf emptied", Expect::Intact, |d| {
        fs::write(d.join("conf"), b"").expect("write")
    }),
    ("blobs removed", Expect::Intact, |d| {
        fs::remove_dir_all(d.join("blobs")).expect("rm")
    }),
    ("a garbage blob", Expect::Intact, |d| {
        fs::write(d.join("blobs").join("7"), garbage(300, 4)).expect("write")
    }),
    ("a garbage snapshot", Expect::Corrupt, |d| {
        fs::write(d.join("snap.0000000000000000"), garbage(2000, 5)).expect("write")
    }),
];

/// Opens a damaged database without letting a panic through, and says what
/// came of it, checking the outcome against `expect`.
fn open_damaged(name: &str, dir: &Path, expect: Expect, before: &Contents) -> String {
    let opened = catch_unwind(AssertUnwindSafe(|| open_settled(dir, false)));
    let result = match opened {
        Ok(r) => r,
        Err(p) => {
            let msg = p
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()));
            panic!("{name}: opening panicked: {msg:?}");
        }
    };
    match result {
        Err(e) => {
            assert_readable(&e, dir);
            assert!(
                !matches!(e, OpenError::Missing { .. } | OpenError::NewerSchema { .. }),
                "{name}: {e:?}"
            );
            match expect {
                // Corrupt, or Lost/Unverifiable when sled recovered a
                // prefix that the `acknowledged` mark shows to be short.
                Expect::Corrupt => assert!(e.is_damage(), "{name}: {e:?}"),
                Expect::Intact => panic!("{name}: expected to open, got {e}"),
                Expect::Truncated => {}
            }
            format!("{name}: refused: {e}")
        }
        Ok(r) => {
            assert_ne!(expect, Expect::Corrupt, "{name}: a damaged database opened");
            let report = catch_unwind(AssertUnwindSafe(|| (contents(&r), r.check(Lang::En))))
                .unwrap_or_else(|_| panic!("{name}: reading the opened database panicked"));
            let (after, check) = report;
            let check = check.unwrap_or_else(|e| panic!("{name}: check failed to run: {e}"));
            assert!(check.ok(), "{name}: check found {:?}", check.violations);
            for t in &after.trainees {
                assert!(
                    before.trainees.contains(t),
                    "{name}: a trainee that was never written: {t:?}"
                );
            }
            for e in &after.entries {
                assert!(
                    before.entries.contains(e),
                    "{name}: an entry that was never written: {e:?}"
                );
            }
            if expect == Expect::Intact {
                assert_eq!(&after, before, "{name}: records lost");
            }
            format!(
                "{name}: opened with {}/{} trainees, {}/{} entries",
                after.trainees.len(),
                before.trainees.len(),
                after.entries.len(),
                before.entries.len()
            )
        }
    }
}

#[test]
fn damaged_files_are_refused_or_recovered_never_a_panic() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let mut seen = Vec::new();
    for (i, (name, expect, damage)) in CASES.iter().enumerate() {
        let dir = tmp.path().join(format!("case{i}"));
        let before = with_trainees_and_allocations(&dir, 30);
        damage(&dir);
        seen.push(open_damaged(name, &dir, *expect, &before));
    }
    eprintln!("{}", seen.join("\n"));
}

/// Random damage of random kinds: whatever happens, no panic, a readable
/// error or a consistent prefix of what was written.
#[test]
fn random_damage_never_panics() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let mut rng = ChaCha8Rng::seed_from_u64(0xdb);
    let mut seen = Vec::new();
    for i in 0..16 {
        let dir = tmp.path().join(format!("case{i}"));
        let before = with_trainees_and_allocations(&dir, 20);
        let mut bytes = fs::read(db_file(&dir)).expect("read db file");
        let end = written(&dir) as usize;
        let what = match i % 4 {
            0 => {
                let flips = rng.random_range(1..16);
                for _ in 0..flips {
                    bytes[rng.random_range(0..end)] ^= 1 << rng.random_range(0..8);
                }
                format!("{flips} bits flipped")
            }
            1 => {
                let at = rng.random_range(0..end);
                let n = rng.random_range(1..8192).min(bytes.len() - at);
                bytes[at..at + n].copy_from_slice(&garbage(n, i));
                format!("{n} random bytes at {at}")
            }
            2 => {
                let at = rng.random_range(0..end);
                bytes.truncate(at);
                format!("cut to {at} of {end} bytes")
            }
            _ => {
                let at = rng.random_range(0..end);
                let n = rng.random_range(1..4096).min(bytes.len() - at);
                bytes[at..at + n].fill(0);
                format!("{n} zeros at {at}")
            }
        };
        fs::write(db_file(&dir), &bytes).expect("write db file");
        seen.push(open_damaged(&what, &dir, Expect::Truncated, &before));
    }
    eprintln!("{}", seen.join("\n"));
}

// ------------------------------------------------------ the real command line

/// Words that tell the open errors apart in each language.
fn marker(kind: &str, lang: &str) -> &'static str {
    match (kind, lang) {
        ("locked", "en") => "in use",
        ("locked", _) => "正被另一个",
        ("newer", "en") => "newer",
        ("newer", _) => "高于本程序",
        ("damaged", "en") => "damaged",
        ("damaged", _) => "已损坏",
        (_, "en") => "no database",
        _ => "没有数据库",
    }
}

/// Runs `qiangji check` on `dir` and asserts the open-failure contract: exit
/// code 2, one line on stderr naming the database and saying what is wrong, no
/// panic report, nothing on stdout. Returns the line.
fn check_fails_to_open(dir: &Path, lang: &str, kind: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(3);
    loop {
        let out = Process::new(env!("CARGO_BIN_EXE_qiangji"))
            .args(["check", "--lang", lang, "--db"])
            .arg(dir)
            .env_remove("QIANGJI_DB")
            .env_remove("QIANGJI_LANG")
            .env_remove("RUST_BACKTRACE")
            .output()
            .expect("run qiangji");
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        let cmd = format!("qiangji check --lang {lang} --db {}", dir.display());
        assert_eq!(
            out.status.code(),
            Some(2),
            "{cmd}: {}\nstderr: {stderr}",
            out.status
        );
        assert!(!stderr.contains("panicked"), "{cmd}: {stderr}");
        assert!(
            stderr.ends_with('\n') && stderr.lines().count() == 1,
            "{cmd}: not one line on stderr: {stderr:?}"
        );
        assert!(
            stderr.contains(&dir.display().to_string()),
            "{cmd}: {stderr:?} does not name the database"
        );
        assert!(
            stdout.trim().is_empty(),
            "{cmd}: a failed open printed to stdout: {stdout:?}"
        );
        // A database this process has just closed may be locked for a moment.
        if kind != "locked" && stderr.contains(marker("locked", lang)) && Instant::now() < deadline
        {
            std::thread::sleep(Duration::from_millis(50));
            continue;
        }
        assert!(
            stderr.contains(marker(kind, lang)),
            "{cmd}: expected a {kind} message, got {stderr:?}"
        );
        return stderr.trim_end().to_string();
    }
}

#[test]
fn cli_check_exits_2_with_one_line_when_the_database_cannot_be_opened() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let mut lines = Vec::new();

    // In use by another process (this one).
    let locked = tmp.path().join("locked");
    let held = Registry::open(&locked, true).expect("create");
    for lang in ["en", "zh"] {
        lines.push(check_fails_to_open(&locked, lang, "locked"));
    }
    drop(held);

    // Written by a newer qiangji.
    let newer = tmp.path().join("newer");
    with_trainees_and_allocations(&newer, 2);
    open_settled(&newer, false)
        .expect("reopen")
        .store()
        .force_schema_version(SCHEMA_VERSION + 1)
        .expect("force the schema version");
    for lang in ["en", "zh"] {
        lines.push(check_fails_to_open(&newer, lang, "newer"));
    }

    // Damaged: overwritten, and cut to nothing.
    for (name, damage) in [
        (
            "garbage",
            (|d| fs::write(db_file(d), garbage(db_len(d) as usize, 9)).expect("write")) as Damage,
        ),
        ("empty", |d| set_len(d, 0)),
    ] {
        let dir = tmp.path().join(name);
        with_trainees_and_allocations(&dir, 2);
        damage(&dir);
        for lang in ["en", "zh"] {
            lines.push(check_fails_to_open(&dir, lang, "damaged"));
        }
    }

    // Missing, and not created by the attempt.
    let missing = tmp.path().join("missing");
    for lang in ["en", "zh"] {
        lines.push(check_fails_to_open(&missing, lang, "missing"));
    }
    assert!(!missing.exists(), "check created the missing database");

    eprintln!("{}", lines.join("\n"));
}

/// `screenshot --db` on a database it cannot open exits 2, as the README
/// says of every command (it exited 1).
#[test]
fn screenshot_of_a_database_in_use_exits_2() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let locked = tmp.path().join("locked");
    let held = Registry::open(&locked, true).expect("create");
    let missing = tmp.path().join("missing");
    for (dir, kind) in [(&locked, "locked"), (&missing, "missing")] {
        for lang in ["en", "zh"] {
            let out = Process::new(env!("CARGO_BIN_EXE_qiangji"))
                .args(["screenshot", "--lang", lang, "--out"])
                .arg(tmp.path().join("shots"))
                .arg("--db")
                .arg(dir)
                .env_remove("QIANGJI_DB")
                .env_remove("QIANGJI_LANG")
                .output()
                .expect("run qiangji");
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{kind} {lang}: {stderr}");
            assert_eq!(stderr.lines().count(), 1, "{stderr}");
            assert!(stderr.contains(marker(kind, lang)), "{stderr}");
        }
    }
    drop(held);
}
