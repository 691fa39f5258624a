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
