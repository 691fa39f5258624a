//! `qiangji backup` and `qiangji restore`: a round trip leaves every export
//! byte for byte as it was; a truncated or altered backup is refused in one
//! line and leaves nothing behind.

mod common;

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
                    kind: TraineeKind::Student,
                    name: "新来者".into(),
                    gender: Gender::Female,
                    home_school: "青岛二中".into(),
                    district: "市南区".into(),
                    grade: "高一".into(),
                    phone: String::new(),
                    project: ProjectId::Math,
                    date: reg.today(),
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
                    kind: TraineeKind::Teacher,
                    name: format!("教师{i}"),
                    gender: Gender::Male,
                    home_school: "青岛一中".into(),
                    district: "市北区".into(),
                    grade: String::new(),
                    phone: String::new(),
                    project: ProjectId::Physics,
                    date: reg.today(),
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
