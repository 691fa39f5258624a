//! The real binary, as a coordinator would run it: demo, check, export.

use crate::common;

use common::process::{demo_db, lossy as text, qiangji};

use qiangji::domain::{Account, Balance, Money, ProjectId};
use qiangji::registry::Registry;
use qiangji::store::{Tree, codec, keys};

#[test]
fn demo_then_check_then_export_shows_six_full_groups() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let db = db.to_str().unwrap();

    let demo = qiangji(&["demo", "--db", db]);
    let said = text(&demo.stderr);
    assert!(
        demo.status.success() && said.contains("演示数据已写入"),
        "{said}"
    );

    let out = qiangji(&["check", "--db", db]);
    assert_eq!(out.status.code(), Some(0), "check: {}", text(&out.stdout));
    assert!(text(&out.stdout).contains("全部校验通过"));

    let out = qiangji(&["export", "trainees", "--db", db, "--format", "json"]);
    assert!(out.status.success());
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    for p in ProjectId::ALL {
        let enrolled_of = |kind: &str| {
            let of = |r: &&serde_json::Value| {
                r["project"] == p.code() && r["kind"] == kind && r["stage"] == "enrolled"
            };
            rows.iter().filter(of).count()
        };
        let enrolled = enrolled_of("student");
        assert!(
            (40..=50).contains(&enrolled),
            "{p}: {enrolled} enrolled students"
        );
        let teachers = enrolled_of("teacher");
        assert!(
            (3..=8).contains(&teachers),
            "{p}: {teachers} teacher trainees"
        );
    }
    let withdrawn: Vec<_> = rows.iter().filter(|r| r["stage"] == "withdrawn").collect();
    assert!(!withdrawn.is_empty());
    assert_eq!(withdrawn[0]["withdrawal"]["reason"], "failed_assessment");
    assert!(withdrawn[0]["withdrawal"]["date"].is_string());
    let enrolled = rows.iter().find(|r| r["stage"] == "enrolled").unwrap();
    assert!(enrolled["withdrawal"].is_null());
    assert!(enrolled["training_mode"].is_string());
    assert!(
        enrolled["recommenders"].as_array().unwrap().len() >= 2 || enrolled["kind"] == "teacher"
    );
    for stage in [
        "applied",
        "recommended",
        "selected",
        "announced",
        "filed",
        "not_selected",
    ] {
        assert!(
            rows.iter().any(|r| r["stage"] == stage),
            "no applicant at stage {stage}"
        );
    }
    assert!(
        rows.iter().any(|r| r["open_objections"] == 1),
        "one announcement has an open objection"
    );

    let out = qiangji(&["export", "assessments", "--db", db, "--project", "math"]);
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert!(rows.len() > 80);
    for r in &rows {
        assert_eq!(r["project"], "math");
        assert!(r["result"] == "pass" || r["result"] == "fail");
        assert!(r["trainee_id"].is_u64() && r["date"].is_string() && r["semester"].is_string());
    }

    // CSV for Excel: a byte-order mark and Chinese headers by default.
    let out = qiangji(&["export", "ledger", "--db", db, "--format", "csv"]);
    assert!(out.stdout.starts_with("\u{feff}".as_bytes()));
    let csv = text(&out.stdout);
    assert!(csv.lines().next().unwrap().contains("凭证号"));
    let out = qiangji(&[
        "--lang", "en", "export", "coaches", "--db", db, "--format", "csv",
    ]);
    assert!(
        text(&out.stdout)
            .lines()
            .next()
            .unwrap()
            .contains("Term start")
    );

    for kind in ["coaches", "schools", "audit"] {
        let out = qiangji(&["export", kind, "--db", db]);
        let rows: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
        assert!(!rows.is_empty(), "{kind} export is empty");
    }

    // A second demo into the same database is refused without --force.
    let out = qiangji(&["demo", "--db", db]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("--force"));
}

#[test]
fn check_lists_a_tampered_balance_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    {
        // Write a wrong running balance behind the registry's back.
        let registry = Registry::open(db.as_ref(), false).unwrap();
        let account = Account::daily(ProjectId::Math, chrono::Datelike::year(&registry.today()));
        let mut b: Balance = registry.balance(&account).unwrap();
        b.spent = Money(b.spent.0 + 1);
        let tree = registry.store().tree(Tree::Balances);
        tree.insert(keys::account(&account), codec::encode(&b).unwrap())
            .unwrap();
        registry.store().flush().unwrap();
    }
    let out = qiangji(&["--lang", "en", "check", "--db", &db]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("1 violations"), "{stdout}");
    assert!(
        stdout.contains("Mathematics group") && stdout.contains("daily training fund"),
        "{stdout}"
    );
}

#[test]
fn check_lists_what_an_index_lacks_and_what_it_should_not_hold() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let dropped = {
        let registry = Registry::open(db.as_ref(), false).unwrap();
        let index = registry.store().tree(Tree::Index);
        // The math group's trainee list: take its newest key away, and put a
        // stranger into the physics group's list.
        let (key, value) = index
            .scan_prefix(keys::trainees_of_group(ProjectId::Math))
            .last()
            .unwrap()
            .unwrap();
        index.remove(&key).unwrap();
        let mut physics = keys::trainees_of_group(ProjectId::Physics).to_vec();
        physics.extend_from_slice(&[0xFF; 8]);
        let mut stranger = index.get(&physics).unwrap().unwrap().to_vec();
        stranger.extend_from_slice(&999_999u64.to_be_bytes());
        index.insert(physics, stranger).unwrap();
        registry.store().flush().unwrap();
        u64::from_be_bytes(value[..8].try_into().unwrap())
    };
    let out = qiangji(&["--lang", "en", "check", "--db", &db]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains(&format!("group trainees index lacks {dropped}")),
        "{stdout}"
    );
    assert!(
        stdout.contains("group trainees index lists 999999"),
        "{stdout}"
    );
}

#[test]
fn bad_arguments_are_explained() {
    let out = qiangji(&["export", "trainees", "--project", "music"]);
    // A usage error has its own code (64); 2 is a database that cannot be opened.
    assert_eq!(out.status.code(), Some(64));
    assert!(text(&out.stderr).contains("math physics chemistry biology informatics humanities"));
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nothing-here");
    let out = qiangji(&["check", "--db", missing.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("没有数据库"));
}

/// `-` is standard input for an import and standard output for a backup,
/// locally as over SSH.
#[test]
fn a_dash_reads_the_list_from_stdin_and_writes_the_backup_to_stdout() {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let run = |args: &[&str], input: &[u8]| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_qiangji"))
            .args(args)
            .env_remove("QIANGJI_DB")
            .env_remove("QIANGJI_LANG")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(input).unwrap();
        child.wait_with_output().unwrap()
    };
    let list = "姓名,性别,所在学校,区市,年级,联系电话,项目组,推荐教师1,推荐教师2,申报日期\n\
                林小雨,女,青岛二中,市南区,高一,13812345678,数学,李明老师,王芳老师,2026-09-01\n";
    let out = run(
        &["import", "applications", "-", "--dry-run", "--db", &db],
        list.as_bytes(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("林小雨"),
        "{}",
        text(&out.stdout)
    );

    // An xlsx on standard input is known by its bytes: the template (its
    // example row) is read as a workbook.
    let template = dir.path().join("t.xlsx");
    let made = qiangji(&[
        "export",
        "template",
        "applications",
        "-o",
        template.to_str().unwrap(),
    ]);
    assert!(made.status.success(), "{}", text(&made.stderr));
    let out = run(
        &["import", "applications", "-", "--dry-run", "--db", &db],
        &std::fs::read(&template).unwrap(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("张伟"),
        "the template's example row: {}",
        text(&out.stdout)
    );

    let out = run(&["backup", "-", "--db", &db], b"");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let file = dir.path().join("b.backup");
    std::fs::write(&file, &out.stdout).unwrap();
    let restored = dir.path().join("restored");
    let out = qiangji(&[
        "restore",
        file.to_str().unwrap(),
        "--db",
        restored.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
}
