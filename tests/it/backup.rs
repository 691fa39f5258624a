//! `qiangji backup` and `qiangji restore`: a round trip leaves every export
//! byte for byte as it was; a truncated or altered backup is refused in one
//! line and leaves nothing behind.

use crate::common;

use common::process::{demo_db, lossy as text, qiangji};

use std::path::Path;

use qiangji::domain::{Actor, Gender, ProjectId, TraineeKind};
use qiangji::registry::{ApplicationInput, Command, Registry};

fn exports(db: &str, out: &Path) -> Vec<(String, Vec<u8>)> {
    let mut all = Vec::new();
    for kind in [
        "trainees",
        "coaches",
        "schools",
        "assessments",
        "ledger",
        "audit",
    ] {
        for format in ["json", "csv", "xlsx"] {
            let file = out.join(format!("{kind}.{format}"));
            let o = qiangji(&[
                "export",
                kind,
                "--format",
                format,
                "--db",
                db,
                "-o",
                file.to_str().unwrap(),
            ]);
            assert!(o.status.success(), "{kind} {format}: {}", text(&o.stderr));
            all.push((format!("{kind}.{format}"), std::fs::read(&file).unwrap()));
        }
    }
    for format in ["table", "csv", "json", "hledger"] {
        let o = qiangji(&["ledger", "--format", format, "--db", db]);
        assert!(o.status.success());
        all.push((format!("ledger.{format}"), o.stdout));
    }
    all
}

#[test]
fn round_trip_keeps_every_export_and_corrupt_backups_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let db_s = db.as_str();
    let file = dir.path().join("qiangji.backup");
    let o = qiangji(&["backup", file.to_str().unwrap(), "--db", db_s]);
    common::process::assert_ran(&o);
    assert!(
        text(&o.stderr).starts_with("已备份到"),
        "{}",
        text(&o.stderr)
    );

    let restored = dir.path().join("restored");
    let r_s = restored.to_str().unwrap();
    let o = qiangji(&[
        "restore",
        file.to_str().unwrap(),
        "--db",
        r_s,
        "--lang",
        "en",
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}{}",
        text(&o.stderr),
        text(&o.stdout)
    );
    assert!(text(&o.stderr).starts_with("restored "));
    assert!(text(&o.stdout).contains("every check holds."));

    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    std::fs::create_dir_all(&a).unwrap();
    std::fs::create_dir_all(&b).unwrap();
    let before = exports(db_s, &a);
    let after = exports(r_s, &b);
    for ((name, x), (_, y)) in before.iter().zip(&after) {
        assert!(x == y, "{name} differs after the round trip");
    }

    // The restored database takes new records without reusing an id.
    {
        let reg = Registry::open(&restored, false).unwrap();
        let n = reg.all_trainees().count();
        let max = reg.all_trainees().map(|t| t.unwrap().id).max().unwrap();
        let e = reg
            .apply(
                &Actor::admin("tester"),
                Command::Apply(ApplicationInput {
                    home_school: "青岛二中".into(),
                    phone: String::new(),
                    date: reg.today(),
                    ..common::application(TraineeKind::Student, "新来者", ProjectId::Math)
                }),
            )
            .unwrap();
        assert!(e.id > max);
        assert_eq!(reg.all_trainees().count(), n + 1);
    }
    let o = qiangji(&["check", "--db", r_s]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stdout));

    // A non-empty target is refused without --force; with it the old one is kept.
    let o = qiangji(&["restore", file.to_str().unwrap(), "--db", r_s]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o.stderr).contains("不是空目录"),
        "{}",
        text(&o.stderr)
    );
    let o = qiangji(&["restore", file.to_str().unwrap(), "--db", r_s, "--force"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let kept: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("restored.before-restore-")
        })
        .collect();
    assert_eq!(kept.len(), 1);

    // Truncated, altered, not a backup: one line each, nothing left behind.
    let bytes = std::fs::read(&file).unwrap();
    let cases: Vec<(&str, Vec<u8>, &str, &str)> = vec![
        (
            "truncated",
            bytes[..bytes.len() / 2].to_vec(),
            "备份文件不完整（被截断），未恢复任何内容",
            "the backup is incomplete (cut short); nothing was restored",
        ),
        (
            "last byte",
            bytes[..bytes.len() - 1].to_vec(),
            "备份文件不完整（被截断），未恢复任何内容",
            "the backup is incomplete (cut short); nothing was restored",
        ),
        (
            "altered",
            {
                let mut b = bytes.clone();
                let i = b.len() / 3;
                b[i] ^= 0x20;
                b
            },
            "备份文件已损坏（校验和不符），未恢复任何内容",
            "the backup is damaged (its checksum does not match); nothing was restored",
        ),
        (
            "appended",
            {
                let mut b = bytes.clone();
                b.push(0);
                b
            },
            "备份文件已损坏（校验和不符），未恢复任何内容",
            "the backup is damaged (its checksum does not match); nothing was restored",
        ),
        (
            "other",
            b"PK\x03\x04 a zip file".to_vec(),
            "这不是强基的备份文件",
            "not a qiangji backup",
        ),
    ];
    for (what, bad, zh, en) in cases {
        let path = dir.path().join(format!("{what}.backup"));
        std::fs::write(&path, bad).unwrap();
        let target = dir.path().join(format!("from-{what}"));
        for (lang, expected) in [("zh", zh), ("en", en)] {
            let o = qiangji(&[
                "restore",
                path.to_str().unwrap(),
                "--db",
                target.to_str().unwrap(),
                "--lang",
                lang,
            ]);
            assert_eq!(o.status.code(), Some(1), "{what}");
            assert_eq!(
                text(&o.stderr).trim_end(),
                format!("qiangji: {expected}"),
                "{what}"
            );
            assert_eq!(text(&o.stderr).lines().count(), 1);
            assert!(!target.exists(), "{what}: a refused restore leaves nothing");
        }
    }
}

#[test]
fn a_backup_is_one_moment_while_another_thread_writes() {
    let dir = tempfile::tempdir().unwrap();
    let reg = std::sync::Arc::new(Registry::open(&dir.path().join("db"), true).unwrap());
    let writer = {
        let reg = reg.clone();
        std::thread::spawn(move || {
            for i in 0..200 {
                let c = Command::Apply(ApplicationInput {
                    gender: Gender::Male,
                    home_school: "青岛一中".into(),
                    district: "市北区".into(),
                    grade: String::new(),
                    phone: String::new(),
                    date: reg.today(),
                    ..common::application(
                        TraineeKind::Teacher,
                        &format!("教师{i}"),
                        ProjectId::Physics,
                    )
                });
                reg.apply(&Actor::admin("tester"), c).unwrap();
            }
        })
    };
    let mut files = Vec::new();
    for _ in 0..5 {
        let mut buf = Vec::new();
        qiangji::registry::backup::write(&reg, &mut buf).unwrap();
        files.push(buf);
    }
    writer.join().unwrap();
    for (i, buf) in files.into_iter().enumerate() {
        let target = dir.path().join(format!("r{i}"));
        qiangji::registry::backup::restore(&buf[..], &target).unwrap();
        let r = Registry::open(&target, false).unwrap();
        let report = r.check(qiangji::i18n::Lang::En).unwrap();
        assert!(report.ok(), "backup {i}: {:?}", report.violations);
        assert_eq!(r.all_trainees().count(), r.audit().count(), "backup {i}");
    }
}

/// A backup onto a full disk says so in the user's language, naming the
/// file the user gave: not the system's English words, not the temporary
/// file beside it. The full disk is a `mknod c 1 7` node (what /dev/full
/// is) made in a temporary directory; without root it cannot be made and
/// that part is skipped. A forced restore into a directory of other files
/// (no database) is refused and leaves them as they were.
#[test]
fn a_backup_onto_a_full_disk_and_a_forced_restore_over_other_files_say_what_happened() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    drop(Registry::open(&db, true).unwrap());
    let db_s = db.to_str().unwrap();
    let file = dir.path().join("ok.backup");
    common::process::assert_ran(&qiangji(&["backup", file.to_str().unwrap(), "--db", db_s]));

    let full = dir.path().join("full");
    let made = std::process::Command::new("mknod")
        .arg(&full)
        .args(["c", "1", "7"])
        .status()
        .is_ok_and(|s| s.success());
    if made {
        for (lang, says) in [
            ("zh", "磁盘已满；请腾出空间后重试"),
            ("en", "the disk is full; free some space and try again"),
        ] {
            let o = qiangji(&[
                "backup",
                full.to_str().unwrap(),
                "--db",
                db_s,
                "--lang",
                lang,
            ]);
            let err = text(&o.stderr);
            assert_eq!(o.status.code(), Some(1), "{err}");
            assert_eq!(err.lines().count(), 1, "{err}");
            assert!(
                err.contains(says) && err.contains(full.to_str().unwrap()),
                "{err}"
            );
            for raw in ["os error", "No space", "partial"] {
                assert!(!err.contains(raw), "{err}");
            }
        }
        let kind = std::fs::symlink_metadata(&full).unwrap().file_type();
        assert!(std::os::unix::fs::FileTypeExt::is_char_device(&kind));
    } else {
        eprintln!("mknod is not permitted here: the full disk is not tested");
    }

    // --force into a directory that holds no database.
    let notes = dir.path().join("notes");
    std::fs::create_dir(&notes).unwrap();
    std::fs::write(notes.join("minutes.txt"), "会议纪要").unwrap();
    for (lang, says) in [
        ("zh", "其中也没有强基数据库"),
        ("en", "holds no qiangji database"),
    ] {
        let o = qiangji(&[
            "restore",
            file.to_str().unwrap(),
            "--db",
            notes.to_str().unwrap(),
            "--force",
            "--lang",
            lang,
        ]);
        let err = text(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{err}");
        assert!(err.contains(says) && !err.contains("demo"), "{err}");
    }
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("notes"))
        .collect();
    assert_eq!(left, vec!["notes".to_string()]);
    assert_eq!(
        std::fs::read_to_string(notes.join("minutes.txt")).unwrap(),
        "会议纪要"
    );
}

/// Upgrades (issue 17): the schema-3 fixture, made by the last build that
/// wrote schema 3, opens in this build with every record kept.
mod upgrades {
    use super::*;
    use qiangji::registry::migrate::{self, STEPS, Step};
    use qiangji::store::{
        Access, CACHE_BYTES, OpenError, SCHEMA_VERSION, Store, StoreError, Tree, Upgrader,
    };

    const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/schema-3");

    /// A copy of the fixture's database in `dir/db` (never the fixture).
    fn fixture_copy(dir: &Path) -> std::path::PathBuf {
        let db = dir.join("db");
        copy_dir(&Path::new(FIXTURE).join("db"), &db);
        db
    }

    fn copy_dir(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for e in std::fs::read_dir(from).unwrap() {
            let e = e.unwrap();
            if e.file_type().unwrap().is_dir() {
                copy_dir(&e.path(), &to.join(e.file_name()));
            } else {
                std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
            }
        }
    }

    /// Every file under `dir` with its bytes, to tell "untouched".
    fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
        let mut out = Vec::new();
        for e in std::fs::read_dir(dir).unwrap() {
            let e = e.unwrap();
            let name = e.file_name().to_string_lossy().into_owned();
            if e.file_type().unwrap().is_dir() {
                out.extend(
                    files(&e.path())
                        .into_iter()
                        .map(|(n, b)| (format!("{name}/{n}"), b)),
                );
            } else {
                out.push((name, std::fs::read(e.path()).unwrap()));
            }
        }
        out.sort();
        out
    }

    fn expected(name: &str) -> serde_json::Value {
        let path = Path::new(FIXTURE).join("expected").join(name);
        serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
    }

    /// The JSON export of `kind` made by this build from `db`.
    fn export(db: &Path, kind: &str) -> serde_json::Value {
        let o = qiangji(&[
            "export",
            kind,
            "--format",
            "json",
            "--db",
            db.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{kind}: {}", text(&o.stderr));
        serde_json::from_slice(&o.stdout).unwrap()
    }

    /// This build's export of `kind` without the columns added since the
    /// fixtures were exported: the audit's 补录 (recorded late), which says
    /// how an entry was recorded, not what it recorded.
    fn as_exported_then(kind: &str, mut now: serde_json::Value) -> serde_json::Value {
        if kind == "audit"
            && let Some(entries) = now.as_array_mut()
        {
            for e in entries {
                if let Some(e) = e.as_object_mut() {
                    e.remove("recorded_late");
                }
            }
        }
        now
    }

    /// The records a schema-3 build exported are those this build exports
    /// after the upgrade; the users gained a language (none yet).
    fn assert_every_record_kept(db: &Path) {
        for kind in [
            "trainees",
            "coaches",
            "schools",
            "assessments",
            "ledger",
            "audit",
        ] {
            let now = as_exported_then(kind, export(db, kind));
            let then = expected(&format!("{kind}.json"));
            assert_eq!(
                now.as_array().map(Vec::len),
                then.as_array().map(Vec::len),
                "{kind}: count"
            );
            assert!(now == then, "{kind}: the records differ after the upgrade");
        }
        let o = qiangji(&[
            "user",
            "list",
            "--format",
            "json",
            "--db",
            db.to_str().unwrap(),
        ]);
        let mut users: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        for u in users.as_array_mut().unwrap() {
            assert_eq!(u["lang"], serde_json::Value::Null);
            u.as_object_mut().unwrap().remove("lang");
        }
        assert_eq!(users, expected("users.json"));
        let o = qiangji(&["check", "--db", db.to_str().unwrap()]);
        assert!(
            o.status.success(),
            "check: {}{}",
            text(&o.stdout),
            text(&o.stderr)
        );
    }

    #[test]
    fn a_schema_3_database_is_upgraded_once_keeping_every_record_and_the_original() {
        let dir = tempfile::tempdir().unwrap();
        let db = fixture_copy(dir.path());
        let before = files(&db);

        // A read opens an upgraded private copy and leaves the files as
        // they are.
        let o = qiangji(&["ledger", "--db", db.to_str().unwrap(), "--lang", "en"]);
        assert!(o.status.success(), "{}", text(&o.stderr));
        assert!(text(&o.stderr).contains("schema 3"), "{}", text(&o.stderr));
        assert_eq!(files(&db), before, "a read changed the files");

        // A write open upgrades in place, once, keeping the original.
        let registry = Registry::open(&db, false).expect("upgraded");
        let upgraded = registry.store().upgraded().cloned().expect("said so");
        assert_eq!((upgraded.from, upgraded.to), (3, SCHEMA_VERSION));
        let kept = upgraded.kept.expect("the original is kept");
        assert!(
            kept.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("db.before-upgrade-3-"),
            "{kept:?}"
        );
        assert_eq!(files(&kept), before, "the kept original is byte for byte");
        assert_eq!(
            registry.store().schema_version().unwrap(),
            Some(SCHEMA_VERSION)
        );
        drop(registry);
        let again = Registry::open(&db, false).unwrap();
        assert!(again.store().upgraded().is_none(), "upgraded twice");
        drop(again);
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains("upgrading"))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
        assert_every_record_kept(&db);
    }

    #[test]
    fn a_schema_3_backup_restores_upgraded() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("restored");
        let backup = Path::new(FIXTURE).join("backup");
        let o = qiangji(&[
            "restore",
            backup.to_str().unwrap(),
            "--db",
            db.to_str().unwrap(),
            "--lang",
            "en",
        ]);
        assert!(o.status.success(), "{}{}", text(&o.stdout), text(&o.stderr));
        assert!(
            text(&o.stderr).contains("schema 3; upgraded to"),
            "{}",
            text(&o.stderr)
        );
        assert_every_record_kept(&db);
    }

    /// A step after this build's (to SCHEMA_VERSION + 1), for the test of
    /// the chain: it records that it ran after the real steps.
    fn simulated_next_step(store: &Store) -> Result<(), StoreError> {
        let users = store.len(Tree::Users) as u64;
        store
            .tree(Tree::Meta)
            .insert(b"simulated-next-step", &users.to_be_bytes())?;
        Ok(())
    }

    /// Runs this build's chain plus the simulated next step, checks
    /// what they did, then fails: the store must then leave the original
    /// as it was and no half-made copy behind.
    struct ToNextThenFail(std::sync::Mutex<Vec<String>>);

    impl Upgrader for ToNextThenFail {
        fn oldest(&self) -> u32 {
            migrate::OLDEST
        }
        fn upgrade(&self, store: Store, from: u32) -> Result<Store, String> {
            let mut steps: Vec<Step> = STEPS
                .iter()
                .map(|s| Step {
                    from: s.from,
                    what: s.what,
                    run: s.run,
                })
                .collect();
            steps.push(Step {
                from: SCHEMA_VERSION,
                what: "simulated",
                run: simulated_next_step,
            });
            migrate::chain(&store, from, SCHEMA_VERSION + 1, &steps).map_err(|e| e.to_string())?;
            let mut seen = self.0.lock().unwrap();
            seen.push(format!("schema {:?}", store.schema_version().unwrap()));
            let users: Vec<qiangji::domain::User> =
                store.values(Tree::Users).map(Result::unwrap).collect();
            seen.push(format!("users {}", users.len()));
            let marker = store.tree(Tree::Meta).get(b"simulated-next-step").unwrap();
            seen.push(format!("next step ran: {}", marker.is_some()));
            Err("simulated failure after the chain".into())
        }
    }

    #[test]
    fn the_chain_runs_every_step_in_order_and_a_failed_upgrade_leaves_the_original() {
        assert!(migrate::chain_has_no_gaps());
        let dir = tempfile::tempdir().unwrap();
        let db = fixture_copy(dir.path());
        let before = files(&db);
        let upgrader = ToNextThenFail(Default::default());
        let e = Store::open_upgrading(&db, false, CACHE_BYTES, Access::Write, &upgrader)
            .err()
            .expect("the simulated failure");
        assert!(
            matches!(&e, OpenError::UpgradeFailed { from: 3, reason, .. } if reason.contains("simulated")),
            "{e:?}"
        );
        let users_then = expected("users.json").as_array().unwrap().len();
        assert_eq!(
            *upgrader.0.lock().unwrap(),
            [
                format!("schema Some({})", SCHEMA_VERSION + 1),
                format!("users {users_then}"),
                "next step ran: true".into()
            ]
        );
        assert_eq!(files(&db), before, "a failed upgrade changed the original");
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["db"], "a half-made copy was left");
        // The message says what to do, in both languages.
        use qiangji::i18n::{Lang, Localized};
        assert!(e.localized(Lang::Zh).contains("没有改动"));
        assert!(e.localized(Lang::En).contains("unchanged"));
    }

    const FIXTURE_4: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/schema-4");

    fn expected_4(name: &str) -> serde_json::Value {
        let path = Path::new(FIXTURE_4).join("expected").join(name);
        serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
    }

    /// The records the schema-4 build exported are those this build exports
    /// from `db`.
    fn assert_every_schema_4_record_kept(db: &Path) {
        for kind in [
            "trainees",
            "coaches",
            "schools",
            "assessments",
            "ledger",
            "audit",
        ] {
            let now = as_exported_then(kind, export(db, kind));
            let then = expected_4(&format!("{kind}.json"));
            assert_eq!(
                now.as_array().map(Vec::len),
                then.as_array().map(Vec::len),
                "{kind}: count"
            );
            assert!(now == then, "{kind}: the records differ after the upgrade");
        }
        let o = qiangji(&[
            "user",
            "list",
            "--format",
            "json",
            "--db",
            db.to_str().unwrap(),
        ]);
        let users: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(users, expected_4("users.json"));
        let o = qiangji(&[
            "ledger",
            "--year",
            "all",
            "--format",
            "json",
            "--db",
            db.to_str().unwrap(),
        ]);
        let balances: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(balances, expected_4("ledger-balances.json"));
        let o = qiangji(&["check", "--db", db.to_str().unwrap()]);
        assert!(
            o.status.success(),
            "check: {}{}",
            text(&o.stdout),
            text(&o.stderr)
        );
    }

    #[test]
    fn a_schema_4_database_opens_upgraded_once_keeping_every_record_and_the_original() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("db");
        copy_dir(&Path::new(FIXTURE_4).join("db"), &db);
        let before = files(&db);
        let registry = Registry::open(&db, false).expect("opened");
        if SCHEMA_VERSION > 4 {
            let upgraded = registry.store().upgraded().cloned().expect("said so");
            assert_eq!((upgraded.from, upgraded.to), (4, SCHEMA_VERSION));
            let kept = upgraded.kept.expect("the original is kept");
            assert!(
                kept.file_name()
                    .unwrap()
                    .to_string_lossy()
                    .starts_with("db.before-upgrade-4-"),
                "{kept:?}"
            );
            assert_eq!(files(&kept), before, "the kept original is byte for byte");
        } else {
            assert!(registry.store().upgraded().is_none());
        }
        assert_eq!(
            registry.store().schema_version().unwrap(),
            Some(SCHEMA_VERSION)
        );
        drop(registry);
        let again = Registry::open(&db, false).unwrap();
        assert!(again.store().upgraded().is_none(), "upgraded twice");
        drop(again);
        assert_every_schema_4_record_kept(&db);
    }

    #[test]
    fn a_schema_4_backup_restores_with_every_record() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("restored");
        let backup = Path::new(FIXTURE_4).join("backup");
        let o = qiangji(&[
            "restore",
            backup.to_str().unwrap(),
            "--db",
            db.to_str().unwrap(),
            "--lang",
            "en",
        ]);
        assert!(o.status.success(), "{}{}", text(&o.stdout), text(&o.stderr));
        if SCHEMA_VERSION > 4 {
            assert!(
                text(&o.stderr).contains("schema 4; upgraded to"),
                "{}",
                text(&o.stderr)
            );
        }
        assert_every_schema_4_record_kept(&db);
    }

    #[test]
    fn a_newer_database_or_backup_is_refused_as_before() {
        let dir = tempfile::tempdir().unwrap();
        let db = fixture_copy(dir.path());
        drop(Registry::open(&db, false).unwrap());
        Registry::open(&db, false)
            .unwrap()
            .store()
            .force_schema_version(SCHEMA_VERSION + 1)
            .unwrap();
        let o = qiangji(&["ledger", "--db", db.to_str().unwrap(), "--lang", "en"]);
        assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
        assert!(
            text(&o.stderr).contains("upgrade qiangji"),
            "{}",
            text(&o.stderr)
        );
    }
}
