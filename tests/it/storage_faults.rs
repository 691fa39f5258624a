//! Storage faults of issue 9: a save reported as failed must not be stored
//! (an unwritable `acknowledged` mark), a full disk or read-only media is
//! never called damage and never changes the files, a missing or garbled
//! mark on a database with records is an error with an explicit way out,
//! and a failed export never leaves a cut-short file.
//!
//! Some faults need root (`chattr +i`, mounting a small tmpfs or a
//! read-only bind mount); those parts print why they skip elsewhere. CI
//! (`.ci/run`) runs as root, so there they run.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command as Process, Output};
use std::time::Duration;

use chrono::NaiveDate;

use qiangji::domain::{Account, Actor, Money, ProjectId};
use qiangji::i18n::{Lang, Localized};
use qiangji::registry::{Command, Movement, Registry, RegistryError};
use qiangji::store::{OpenError, StoreError, Tree};

use crate::common;

use common::assert_matches;

use common::open_settled;

fn is_root() -> bool {
    // The effective uid of this process, from /proc.
    fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("Uid:"))
                .and_then(|l| l.split_whitespace().nth(2).map(|u| u == "0"))
        })
        .unwrap_or(false)
}

fn skip(what: &str, why: &str) {
    eprintln!("SKIPPED {what}: {why}");
}

fn allocation(i: usize) -> Command {
    Command::AddEntry {
        account: Account::daily(ProjectId::Math, 2026),
        date: NaiveDate::from_ymd_opt(2026, 3, 1).expect("date"),
        movement: Movement::Allocation,
        amount: Money(100_000 + i as i64),
        category: "拨款".into(),
        voucher: format!("记-{i}"),
        payee: String::new(),
        note: String::new(),
    }
}

fn expense(i: usize) -> Command {
    Command::AddEntry {
        account: Account::daily(ProjectId::Math, 2026),
        date: NaiveDate::from_ymd_opt(2026, 4, 1).expect("date"),
        movement: Movement::Expense,
        amount: Money(1_000 + i as i64),
        category: "资料".into(),
        voucher: format!("支-{i}"),
        payee: "书店".into(),
        note: String::new(),
    }
}

/// A database in `dir` with `n` allocations, closed again.
fn with_allocations(dir: &Path, n: usize) {
    let r = Registry::open(dir, true).expect("create");
    for i in 0..n {
        r.apply(&Actor::admin("test"), allocation(i))
            .expect("allocate");
    }
}

fn entry_count(r: &Registry) -> usize {
    r.all_entries().count()
}

fn newest_audit(r: &Registry) -> u64 {
    r.store()
        .journal_last_id(Tree::Audit)
        .expect("audit readable")
        .unwrap_or(0)
}

/// Every file under `dir` with its bytes: what "left as it was" compares.
fn fingerprint(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).expect("read dir").flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).expect("under dir").to_path_buf();
                out.insert(rel, fs::read(&p).expect("read file"));
            }
        }
    }
    out
}

fn qiangji(args: &[&str], db: &Path) -> Output {
    Process::new(env!("CARGO_BIN_EXE_qiangji"))
        .args(args)
        .arg("--db")
        .arg(db)
        .env_remove("QIANGJI_DB")
        .env_remove("QIANGJI_LANG")
        .env_remove("RUST_BACKTRACE")
        .output()
        .expect("run qiangji")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// A user-facing message has no Rust or system internals.
fn assert_plain(m: &str) {
    for internal in [
        "Os {",
        "os error",
        "kind:",
        "code:",
        "Uninitialized",
        "panicked",
    ] {
        assert!(!m.contains(internal), "internals in a message: {m:?}");
    }
}

// ------------------------------------------------ 2. unwritable mark

/// `chattr +i`/`-i`; false when the file system or the user cannot.
fn chattr(flag: &str, file: &Path) -> bool {
    Process::new("chattr")
        .arg(flag)
        .arg(file)
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}

/// Takes the immutable flag off again even when an assertion fails.
struct Immutable(PathBuf);

impl Drop for Immutable {
    fn drop(&mut self) {
        chattr("-i", &self.0);
    }
}

/// A mark that cannot be opened for writing (here a directory where the
/// file should be): the command is refused before its transaction, says
/// so in both languages, and nothing is stored.
#[test]
fn an_unwritable_mark_refuses_the_command_and_stores_nothing() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("db");
    with_allocations(&dir, 2);
    let r = open_settled(&dir, false).expect("reopen");
    let (entries, audit) = (entry_count(&r), newest_audit(&r));
    fs::remove_file(dir.join("acknowledged")).expect("rm mark");
    fs::create_dir(dir.join("acknowledged")).expect("a directory in its place");
    for i in 0..3 {
        let e = r
            .apply(&Actor::admin("test"), expense(i))
            .expect_err("a command whose mark cannot be written");
        assert_matches!(e, RegistryError::Store(StoreError::NotSaved { .. }));
        let (zh, en) = (e.localized(Lang::Zh), e.localized(Lang::En));
        assert!(
            zh.starts_with("未保存") && en.starts_with("not saved"),
            "{zh} / {en}"
        );
        assert_plain(&zh);
        assert_plain(&en);
    }
    assert_eq!(entry_count(&r), entries, "a refused command was stored");
    assert_eq!(newest_audit(&r), audit, "the audit log grew");
}

/// The case: `chattr +i acknowledged` between saves. Each save is
/// either acknowledged and stored, or refused and not stored: never three
/// refusals and three stored entries. Then `demo --force` on it is refused
/// without growing the audit log.
#[test]
fn an_immutable_mark_never_gives_a_failed_save_that_was_stored() {
    if !is_root() {
        return skip("the chattr +i case", "chattr +i needs root");
    }
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("db");
    with_allocations(&dir, 2);
    let mark = dir.join("acknowledged");
    {
        let r = open_settled(&dir, false).expect("reopen");
        // The mark is open for writing before it becomes immutable, as in
        // a dashboard session that has saved before.
        r.apply(&Actor::admin("test"), allocation(99))
            .expect("a save before");
        let before = entry_count(&r);
        if !chattr("+i", &mark) {
            return skip("the chattr +i case", "chattr +i failed on this file system");
        }
        let _guard = Immutable(mark.clone());
        let mut acknowledged = 0;
        for i in 0..3 {
            match r.apply(&Actor::admin("test"), expense(i)) {
                Ok(_) => acknowledged += 1,
                Err(e) => {
                    let (zh, en) = (e.localized(Lang::Zh), e.localized(Lang::En));
                    assert!(
                        zh.contains("未保存") && en.contains("not saved"),
                        "{zh} / {en}"
                    );
                    assert_plain(&zh);
                    assert_plain(&en);
                }
            }
        }
        assert_eq!(
            entry_count(&r) - before,
            acknowledged,
            "stored entries differ from acknowledged saves"
        );
        eprintln!(
            "with an immutable mark: {acknowledged} of 3 saves acknowledged, the rest refused"
        );
    }
    // A fresh process: the mark cannot even be opened for writing.
    let _guard = Immutable(mark.clone());
    assert!(chattr("+i", &mark));
    let audit_before = newest_audit(&open_settled(&dir, false).expect("reopen"));
    std::thread::sleep(Duration::from_millis(300));
    let out = qiangji(&["demo", "--force"], &dir);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert_plain(&text(&out.stderr));
    assert!(
        text(&out.stderr).contains("未保存"),
        "{}",
        text(&out.stderr)
    );
    chattr("-i", &mark);
    let r = open_settled(&dir, false).expect("reopen");
    assert_eq!(
        newest_audit(&r),
        audit_before,
        "a refused demo grew the audit log"
    );
}

// ------------------------------------------- 3. full disk, read-only media

/// The leftover a full disk left: a 0-byte `snap.*.generating`. sled reads
/// it as a corrupt snapshot; the open removes it (holding sled's lock) and
/// opens with everything.
#[test]
fn an_interrupted_snapshot_is_not_damage() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("db");
    with_allocations(&dir, 5);
    let snap = fs::read_dir(&dir)
        .expect("dir")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("snap.") && !n.contains("generating"))
        .max()
        .unwrap_or_else(|| "snap.0000000000000000".into());
    let leftover = dir.join(format!("{snap}.generating"));
    fs::write(&leftover, b"").expect("a 0-byte leftover");
    // A read-only command copies around it and never writes.
    let out = qiangji(&["check", "--lang", "en"], &dir);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let r = open_settled(&dir, false).expect("opens: a leftover snapshot is not damage");
    assert_eq!(entry_count(&r), 5);
    assert!(!leftover.exists(), "the leftover was not cleaned");
}

/// A failed open (a db file cut short) leaves every file byte for byte as
/// it was, through the library and through `check`, so a specialist can
/// still work on it.
#[test]
fn a_failed_open_leaves_the_files_as_they_were() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("db");
    with_allocations(&dir, 30);
    let db = dir.join("db");
    let bytes = fs::read(&db).expect("db");
    let written = bytes.iter().rposition(|b| *b != 0).unwrap_or(0);
    fs::OpenOptions::new()
        .write(true)
        .open(&db)
        .expect("open")
        .set_len(written as u64 / 2)
        .expect("truncate");
    let before = fingerprint(&dir);
    let e = open_settled(&dir, false)
        .err()
        .expect("a truncated db must not open");
    assert!(e.is_damage(), "{e:?}");
    assert_eq!(fingerprint(&dir), before, "a failed open changed the files");
    for args in [&["check"][..], &["ledger"], &["export", "audit"]] {
        let out = qiangji(args, &dir);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?}: {}",
            text(&out.stderr)
        );
        assert_eq!(fingerprint(&dir), before, "{args:?} changed the files");
    }
}

/// Read-only commands never write: a healthy database's files are the same
/// after `check`, `ledger` and `export`, and no lock or snapshot is left.
#[test]
fn read_only_commands_do_not_write() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("db");
    with_allocations(&dir, 4);
    let reads: [&[&str]; 3] = [
        &["check"],
        &["ledger", "--format", "json"],
        &["export", "ledger"],
    ];
    let run = |args: &[&str]| {
        let out = qiangji(args, &dir);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?}: {}",
            text(&out.stderr)
        );
    };

    // Closed cleanly: `check` still reads a private copy and changes
    // nothing; the other reads open in place (issue 18: no copy of a
    // database nobody touched since its clean close) and close it cleanly
    // again.
    assert!(qiangji::store::stamp::matches(&dir), "a clean close stamps");
    let before = fingerprint(&dir);
    run(reads[0]);
    assert_eq!(fingerprint(&dir), before, "check changed the files");
    for args in &reads[1..] {
        run(args);
        assert!(
            qiangji::store::stamp::matches(&dir),
            "{args:?} left the database without its clean-close stamp"
        );
    }

    // Not closed cleanly (a crash, or changed since): every read goes through
    // the private copy and the files stay byte for byte.
    fs::remove_file(dir.join(qiangji::store::stamp::FILE)).expect("remove the stamp");
    let before = fingerprint(&dir);
    for args in reads {
        run(args);
        assert_eq!(fingerprint(&dir), before, "{args:?} changed the files");
    }
}

struct Mount(PathBuf);

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Process::new("umount").arg("-l").arg(&self.0).status();
    }
}

fn mount(args: &[&str], target: &Path) -> Option<Mount> {
    let ok = Process::new("mount")
        .args(args)
        .arg(target)
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    ok.then(|| Mount(target.to_path_buf()))
}

/// A backup on read-only media: `check`, `ledger` and `export` work and the
/// files stay as they are. As root, a read-only bind mount (chmod does not
/// stop root from writing, so a chmod -w copy would prove nothing); as
/// another user, a chmod -w copy.
#[test]
fn check_ledger_and_export_work_on_read_only_media() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("db");
    with_allocations(&dir, 6);
    let ro = tmp.path().join("ro");
    fs::create_dir(&ro).expect("mount point");
    let _mount;
    let readonly = if is_root() {
        _mount = mount(&["--bind", dir.to_str().expect("utf-8 path")], &ro);
        if _mount.is_none() {
            return skip("read-only media", "mount --bind failed");
        }
        let remounted = Process::new("mount")
            .args(["-o", "remount,ro,bind"])
            .arg(&ro)
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        if !remounted {
            return skip("read-only media", "remount,ro failed");
        }
        assert!(
            fs::write(ro.join("probe"), b"x").is_err(),
            "the bind mount is writable"
        );
        ro.clone()
    } else {
        let copy = tmp.path().join("copy");
        fs::create_dir(&copy).expect("copy dir");
        for e in fs::read_dir(&dir).expect("dir").flatten() {
            if e.path().is_file() {
                fs::copy(e.path(), copy.join(e.file_name())).expect("copy");
            }
        }
        for e in fs::read_dir(&copy).expect("dir").flatten() {
            let mut p = fs::metadata(e.path()).expect("meta").permissions();
            p.set_readonly(true);
            fs::set_permissions(e.path(), p).expect("chmod");
        }
        let mut p = fs::metadata(&copy).expect("meta").permissions();
        p.set_readonly(true);
        fs::set_permissions(&copy, p).expect("chmod dir");
        copy
    };
    let before = fingerprint(&readonly);
    let out = qiangji(&["check", "--lang", "en"], &readonly);
    assert_eq!(out.status.code(), Some(0), "check: {}", text(&out.stderr));
    assert!(text(&out.stdout).contains("every check holds"));
    let out = qiangji(&["ledger", "--format", "json"], &readonly);
    assert_eq!(out.status.code(), Some(0), "ledger: {}", text(&out.stderr));
    assert!(text(&out.stdout).contains("allocated_fen"));
    let out = qiangji(&["export", "ledger"], &readonly);
    assert_eq!(out.status.code(), Some(0), "export: {}", text(&out.stderr));
    assert!(text(&out.stdout).contains("记-5"));
    assert_eq!(fingerprint(&readonly), before);
}

/// Writes `file` until the file system is full.
fn fill(file: &Path) {
    use std::io::Write;
    let mut f = fs::File::create(file).expect("filler");
    let block = vec![0x5a_u8; 64 * 1024];
    while f.write_all(&block).is_ok() {}
    let byte = [0x5a_u8];
    while f.write_all(&byte).is_ok() {}
    let _ = f.sync_all();
}

/// A full disk (a small tmpfs): `check` still works and writes nothing;
/// writing commands fail saying the disk is full, never "damaged"; once
/// space is freed the database opens with everything acknowledged.
#[test]
fn a_full_disk_is_not_damage() {
    if !is_root() {
        return skip("the full disk", "mounting a tmpfs needs root");
    }
    let tmp = tempfile::tempdir().expect("temp dir");
    let mnt = tmp.path().join("mnt");
    fs::create_dir(&mnt).expect("mount point");
    let Some(_mount) = mount(&["-t", "tmpfs", "-o", "size=24m", "tmpfs"], &mnt) else {
        return skip("the full disk", "mount -t tmpfs failed");
    };
    let dir = mnt.join("db");
    with_allocations(&dir, 10);
    let filler = mnt.join("filler");
    fill(&filler);
    let before = fingerprint(&dir);
    for lang in ["zh", "en"] {
        let out = qiangji(&["check", "--lang", lang], &dir);
        assert_eq!(
            out.status.code(),
            Some(0),
            "check on a full disk: {}",
            text(&out.stderr)
        );
    }
    assert_eq!(fingerprint(&dir), before, "check wrote to a full disk");
    let out = qiangji(&["ledger", "--lang", "en"], &dir);
    assert_eq!(
        out.status.code(),
        Some(0),
        "ledger on a full disk: {}",
        text(&out.stderr)
    );

    // Opening for writing on the full disk: done or refused, plainly.
    match open_settled(&dir, false) {
        Err(e) => {
            eprintln!("open on a full disk: {}", e.localized(Lang::En));
            assert!(!e.is_damage(), "a full disk called damage: {e:?}");
            let zh = e.localized(Lang::Zh);
            assert!(zh.contains("磁盘已满"), "{zh}");
            assert_plain(&zh);
            assert_plain(&e.localized(Lang::En));
        }
        Ok(r) => drop(r),
    }

    // A session that was open when the disk filled: each save is either
    // acknowledged or says plainly what happened, never damage.
    fs::remove_file(&filler).expect("free the space");
    let mut acknowledged = 0;
    let mut unsure = false;
    {
        let r = open_settled(&dir, false).expect("opens with space");
        fill(&filler);
        for i in 0..200 {
            match r.apply(&Actor::admin("test"), allocation(1000 + i)) {
                Ok(_) => acknowledged += 1,
                Err(e) => {
                    eprintln!("save {i} on a full disk: {}", e.localized(Lang::En));
                    unsure = matches!(e, RegistryError::Store(StoreError::NotDurable { .. }));
                    let zh = e.localized(Lang::Zh);
                    assert!(!zh.contains("损坏"), "{zh}");
                    assert_plain(&zh);
                    assert_plain(&e.localized(Lang::En));
                    break;
                }
            }
        }
    }
    std::thread::sleep(Duration::from_millis(300));
    let out = qiangji(&["ledger", "--lang", "en"], &dir);
    assert_plain(&text(&out.stderr));
    assert!(
        !text(&out.stderr).contains("damaged"),
        "{}",
        text(&out.stderr)
    );

    fs::remove_file(&filler).expect("free the space");
    let r = open_settled(&dir, false).expect("opens once space is free");
    if unsure {
        assert!(
            entry_count(&r) >= 10 + acknowledged,
            "acknowledged entries lost"
        );
    } else {
        assert_eq!(
            entry_count(&r),
            10 + acknowledged,
            "acknowledged or refused, nothing between"
        );
    }
    assert!(r.check(Lang::En).expect("check").ok());
    let leftovers: Vec<_> = fs::read_dir(&dir)
        .expect("dir")
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".generating"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

// ------------------------------------------------- 4. the mark's check

fn garble_mark(dir: &Path) {
    let path = dir.join("acknowledged");
    let mut bytes = fs::read(&path).expect("mark");
    // One digit of the id changed: still a number, but not the checksum's.
    bytes[19] = if bytes[19] == b'1' { b'2' } else { b'1' };
    fs::write(&path, bytes).expect("write mark");
}

/// A mark deleted or garbled on a database that has records is an error
/// (exit 2 from check, naming the way out); `check --accept-loss` accepts
/// the database as it is, and it opens afterwards.
#[test]
fn a_missing_or_garbled_mark_is_an_error_until_the_loss_is_accepted() {
    let tmp = tempfile::tempdir().expect("temp dir");
    for (name, damage) in [
        (
            "deleted",
            (|d: &Path| fs::remove_file(d.join("acknowledged")).expect("rm")) as fn(&Path),
        ),
        ("garbled", garble_mark),
        ("emptied", |d| {
            fs::write(d.join("acknowledged"), b"").expect("empty")
        }),
    ] {
        let dir = tmp.path().join(name);
        with_allocations(&dir, 3);
        damage(&dir);
        let e = open_settled(&dir, false)
            .err()
            .unwrap_or_else(|| panic!("{name}: opened"));
        assert!(matches!(e, OpenError::Unverifiable { .. }), "{name}: {e:?}");
        for lang in [Lang::Zh, Lang::En] {
            assert!(
                e.localized(lang).contains("--accept-loss"),
                "{}",
                e.localized(lang)
            );
        }
        let before = fingerprint(&dir);
        for lang in ["zh", "en"] {
            let out = qiangji(&["check", "--lang", lang], &dir);
            assert_eq!(out.status.code(), Some(2), "{name}: {}", text(&out.stderr));
            assert!(text(&out.stderr).contains("--accept-loss"));
            assert!(!text(&out.stdout).contains("全部校验通过"));
        }
        assert_eq!(fingerprint(&dir), before, "{name}: check changed the files");
        let out = qiangji(&["check", "--accept-loss", "--lang", "en"], &dir);
        assert_eq!(out.status.code(), Some(0), "{name}: {}", text(&out.stderr));
        assert!(
            text(&out.stdout).contains("accepted"),
            "{}",
            text(&out.stdout)
        );
        let r = open_settled(&dir, false).expect("opens after the loss was accepted");
        assert_eq!(entry_count(&r), 3);
    }
}

/// A mark ahead of the audit log (changes confirmed and then lost, as
/// random bytes in `db` once did) refuses to open; `check` exits 2.
#[test]
fn a_database_behind_its_mark_is_refused_at_open() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("db");
    with_allocations(&dir, 3);
    let newest = newest_audit(&open_settled(&dir, false).expect("reopen"));
    // What the mark of a database that had 1,621 more entries says.
    qiangji::store::mark::write_durably(&dir, newest + 1621).expect("mark ahead");
    let e = open_settled(&dir, false)
        .err()
        .expect("lost changes must refuse");
    assert_matches!(e, OpenError::Lost { .. });
    for lang in ["zh", "en"] {
        let out = qiangji(&["check", "--lang", lang], &dir);
        assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
        assert!(
            text(&out.stderr).contains("--accept-loss"),
            "{}",
            text(&out.stderr)
        );
        assert_plain(&text(&out.stderr));
    }
    // Accepting the loss: the mark comes back to what is there.
    let out = qiangji(&["check", "--accept-loss"], &dir);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains(&(newest + 1621).to_string()));
    let r = open_settled(&dir, false).expect("opens after the loss was accepted");
    assert_eq!(newest_audit(&r), newest);
}

/// A value that does not decode is storage damage: `check` exits 2.
#[test]
fn check_exits_2_for_an_undecodable_record() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("db");
    with_allocations(&dir, 2);
    {
        let r = open_settled(&dir, false).expect("reopen");
        r.store()
            .tree(Tree::People)
            .insert(7_u64.to_be_bytes(), &b"\xff\xfe not a person"[..])
            .expect("insert");
        r.store().flush().expect("flush");
    }
    std::thread::sleep(Duration::from_millis(300));
    let out = qiangji(&["check", "--lang", "en"], &dir);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stdout));
    assert!(
        text(&out.stderr).contains("damaged"),
        "{}",
        text(&out.stderr)
    );
}

// ------------------------------------------------- 9. partial files

/// A failed export (the disk fills up halfway) leaves the previous file as
/// it was and no temporary file beside it, for JSON, CSV and xlsx.
#[test]
fn a_failed_export_leaves_the_previous_file() {
    if !is_root() {
        return skip(
            "the failed export on a full disk",
            "mounting a tmpfs needs root (atomic_file's unit tests cover the helper)",
        );
    }
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("db");
    with_allocations(&dir, 300);
    let mnt = tmp.path().join("mnt");
    fs::create_dir(&mnt).expect("mount point");
    // Room for the previous file and little more.
    let Some(_mount) = mount(&["-t", "tmpfs", "-o", "size=16k", "tmpfs"], &mnt) else {
        return skip("the failed export on a full disk", "mount -t tmpfs failed");
    };
    for (format, name) in [
        ("json", "out.json"),
        ("csv", "out.csv"),
        ("xlsx", "out.xlsx"),
    ] {
        let target = mnt.join(name);
        fs::write(&target, b"previous export").expect("previous");
        let out = qiangji(
            &[
                "export",
                "audit",
                "--format",
                format,
                "-o",
                target.to_str().expect("utf-8"),
            ],
            &dir,
        );
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{format}: {stderr}");
        assert_plain(&stderr);
        assert!(stderr.contains("磁盘已满"), "{format}: {stderr}");
        assert_eq!(
            fs::read(&target).expect("target"),
            b"previous export",
            "{format}"
        );
        let names: Vec<String> = fs::read_dir(&mnt)
            .expect("dir")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        assert!(!names.iter().any(|n| n.ends_with(".partial")), "{names:?}");
    }
    // And a successful export replaces it whole.
    let target = mnt.join("out.json");
    fs::remove_file(mnt.join("out.csv")).ok();
    fs::remove_file(mnt.join("out.xlsx")).ok();
    let out = qiangji(
        &["export", "trainees", "-o", target.to_str().expect("utf-8")],
        &dir,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let json: serde_json::Value =
        serde_json::from_slice(&fs::read(&target).expect("target")).expect("whole JSON");
    assert!(json.is_array());
}

/// `demo --force` on a database that already holds a demo is refused half
/// way (a second active chief coach); the refusal must leave the audit log
/// as it was, not with the batches before the refused one.
#[test]
fn a_refused_demo_force_changes_nothing() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("db");
    let out = qiangji(&["demo"], &dir);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let audit = newest_audit(&open_settled(&dir, false).expect("open"));
    std::thread::sleep(Duration::from_millis(300));
    let out = qiangji(&["demo", "--force", "--lang", "en"], &dir);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("refused"),
        "{}",
        text(&out.stderr)
    );
    let r = open_settled(&dir, false).expect("open");
    assert_eq!(newest_audit(&r), audit, "a refused demo grew the audit log");
}

/// No room for the private copy (`TMPDIR` on a full tmpfs): said as such,
/// with what to do, and the database is untouched.
#[test]
fn no_room_for_the_private_copy_is_said_plainly() {
    if !is_root() {
        return skip("no room for the copy", "mounting a tmpfs needs root");
    }
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("db");
    with_allocations(&dir, 3);
    let small = tmp.path().join("small");
    fs::create_dir(&small).expect("mount point");
    let Some(_mount) = mount(&["-t", "tmpfs", "-o", "size=64k", "tmpfs"], &small) else {
        return skip("no room for the copy", "mount -t tmpfs failed");
    };
    let before = fingerprint(&dir);
    for (lang, words) in [("zh", "TMPDIR"), ("en", "set TMPDIR")] {
        let out = Process::new(env!("CARGO_BIN_EXE_qiangji"))
            .args(["check", "--lang", lang, "--db"])
            .arg(&dir)
            .env("TMPDIR", &small)
            .env_remove("QIANGJI_DB")
            .env_remove("QIANGJI_LANG")
            .output()
            .expect("run qiangji");
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains(words), "{stderr}");
        assert!(
            !stderr.contains("损坏") && !stderr.contains("damaged"),
            "{stderr}"
        );
        assert_plain(&stderr);
    }
    assert_eq!(fingerprint(&dir), before);
}

/// Another user's database (mode 700) says permission denied, not "no
/// database". Runs the binary as `nobody` (needs root and setpriv).
#[test]
fn another_users_database_is_a_permission_problem() {
    if !is_root() {
        return skip("another user's database", "changing user needs root");
    }
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("db");
    with_allocations(&dir, 2);
    // The temporary directory must be reachable by nobody; the database
    // itself is root's, mode 700.
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(tmp.path(), fs::Permissions::from_mode(0o755)).expect("chmod");
    fs::set_permissions(&dir, fs::Permissions::from_mode(0o700)).expect("chmod");
    for (lang, words) in [("zh", "没有读写权限"), ("en", "permission denied")] {
        let out = match Process::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(env!("CARGO_BIN_EXE_qiangji"))
            .args(["check", "--lang", lang, "--db"])
            .arg(&dir)
            .env_remove("QIANGJI_DB")
            .env_remove("QIANGJI_LANG")
            .output()
        {
            Ok(out) => out,
            Err(e) => return skip("another user's database", &format!("setpriv: {e}")),
        };
        let stderr = text(&out.stderr);
        if stderr.starts_with("setpriv:") {
            return skip("another user's database", &stderr);
        }
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains(words), "{stderr}");
        assert_plain(&stderr);
    }
}

/// The cheap check at every open: an account whose running balance counts
/// more entries than its ledger index lists (part of what was written is
/// gone) refuses to open as damaged, and `check` exits 2.
#[test]
fn entry_counts_that_differ_from_the_index_refuse_the_open() {
    use qiangji::domain::Balance;
    use qiangji::store::{codec, keys};
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("db");
    with_allocations(&dir, 3);
    {
        let r = open_settled(&dir, false).expect("reopen");
        let account = Account::daily(ProjectId::Math, 2026);
        let mut b: Balance = r.balance(&account).expect("balance");
        assert_eq!(b.entries, 3);
        b.entries += 2;
        r.store()
            .tree(Tree::Balances)
            .insert(keys::account(&account), codec::encode(&b).expect("encode"))
            .expect("insert");
        r.store().flush().expect("flush");
    }
    // What this stands for, a log sled recovered by dropping part of it,
    // follows a crash: no clean close, so the open goes through the copy
    // and its checks (a clean close's open trusts the counts it left).
    std::fs::remove_file(dir.join(qiangji::store::stamp::FILE)).expect("no clean close");
    let e = open_settled(&dir, false)
        .err()
        .expect("counts that differ must refuse");
    assert_matches!(
        e,
        OpenError::Corrupt {
            reason: qiangji::store::Damage::CountsDiffer,
            ..
        }
    );
    std::thread::sleep(Duration::from_millis(300));
    for lang in ["zh", "en"] {
        let out = qiangji(&["check", "--lang", lang], &dir);
        assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
        assert_plain(&text(&out.stderr));
    }
}

/// A private copy left behind by a killed qiangji is removed by the next
/// one; a copy another process still uses (its `.in-use` locked) stays.
#[test]
fn copies_left_behind_are_removed_and_copies_in_use_stay() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("db");
    with_allocations(&dir, 2);
    let temp = tmp.path().join("tmp");
    fs::create_dir(&temp).expect("TMPDIR");
    let stale = temp.join("qiangji-copy-killed");
    fs::create_dir(&stale).expect("stale copy");
    fs::write(stale.join(".in-use"), b"").expect("in-use");
    fs::write(stale.join("db"), vec![0_u8; 1 << 20]).expect("a big file");
    let live = temp.join("qiangji-copy-live");
    fs::create_dir(&live).expect("live copy");
    let held = fs::File::create(live.join(".in-use")).expect("in-use");
    rustix::fs::flock(&held, rustix::fs::FlockOperation::NonBlockingLockExclusive).expect("lock");
    let out = Process::new(env!("CARGO_BIN_EXE_qiangji"))
        .args(["check", "--db"])
        .arg(&dir)
        .env("TMPDIR", &temp)
        .env_remove("QIANGJI_DB")
        .env_remove("QIANGJI_LANG")
        .output()
        .expect("run qiangji");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(!stale.exists(), "a copy left behind stayed");
    assert!(live.exists(), "a copy in use was removed");
    // Nothing of this run's own copy is left.
    let left: Vec<_> = fs::read_dir(&temp)
        .expect("dir")
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(left.len(), 1, "{left:?}");
}
