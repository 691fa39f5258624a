//! Achievements, the points table and the evaluation: one achievement
//! credits the base school and the home school; a changed table changes the
//! points; a malformed table is an error naming its file and line.

use crate::common;

use qiangji::domain::achievement::{Award, Feat, Level, Points};
use qiangji::domain::{ProjectId, Trainee, TraineeStage, TrainingMode};
use qiangji::evaluation;
use qiangji::i18n::{Lang, Localized};
use qiangji::registry::{Command, Registry};

fn demo() -> (tempfile::TempDir, Registry) {
    let (dir, reg) = common::open();
    qiangji::demo::generate(&reg, qiangji::demo::Scale::City, 2026).unwrap();
    (dir, reg)
}

fn find(reg: &Registry, base: bool) -> Trainee {
    ProjectId::ALL
        .into_iter()
        .flat_map(|p| reg.trainees(p).unwrap())
        .find(|t| {
            t.stage == TraineeStage::Enrolled
                && matches!(t.training_mode, Some(TrainingMode::BaseSchool { .. })) == base
        })
        .unwrap()
}

/// Records `feat` for `trainee` in `year`, as the coordinator.
fn achieve(reg: &Registry, trainee: u64, year: i32, feat: Feat) {
    let command = Command::RecordAchievement {
        trainee,
        year,
        feat,
    };
    common::ok(reg, &common::admin(), command);
}

fn prize(level: Level, award: Award) -> Feat {
    Feat::Prize {
        competition: "全国中学生数学奥林匹克竞赛".into(),
        level,
        award,
    }
}

fn school_points(e: &evaluation::Evaluation, name: &str) -> (u32, u32) {
    e.schools
        .iter()
        .find(|s| s.school == name)
        .map(|s| (s.as_base, s.as_home))
        .unwrap_or_default()
}

#[test]
fn one_achievement_credits_the_base_school_and_the_home_school() {
    let (_dir, reg) = demo();
    let t = find(&reg, true);
    let Some(TrainingMode::BaseSchool { school }) = t.training_mode else {
        unreachable!()
    };
    let base = reg.school(school).unwrap().unwrap().application.name;
    assert_ne!(base, t.home_school);
    achieve(&reg, t.id, 2026, prize(Level::National, Award::First));
    let points = Points::default_table();
    let e = evaluation::evaluate(&reg, 2026, &points, Lang::Zh).unwrap();
    assert_eq!(school_points(&e, &base), (12, 0));
    assert_eq!(school_points(&e, &t.home_school), (0, 12));
    let home = e
        .schools
        .iter()
        .find(|s| s.school == t.home_school)
        .unwrap();
    assert_eq!(
        home.behind,
        [format!(
            "{}：全国中学生数学奥林匹克竞赛（全国一等奖）（12）",
            t.name
        )]
    );
    assert!(e.points_label.starts_with("默认积分表"));
    // Commuting without a base: the home school only.
    let c = find(&reg, false);
    common::ok(
        &reg,
        &common::admin(),
        Command::RecordAchievement {
            trainee: c.id,
            year: 2026,
            feat: Feat::Admission {
                university: "北京大学".into(),
            },
        },
    );
    let e = evaluation::evaluate(&reg, 2026, &points, Lang::En).unwrap();
    let total: u32 = e.schools.iter().map(|s| s.total()).sum();
    assert_eq!(total, 12 + 12 + 10);
    assert!(e.points_label.starts_with("the default points table"));
    // Another year counts nothing.
    assert!(
        evaluation::evaluate(&reg, 2025, &points, Lang::Zh)
            .unwrap()
            .schools
            .is_empty()
    );
    common::assert_consistent(&reg);
    // Groups: targets, report and reward fund for each of the six.
    assert_eq!(e.groups.len(), 6);
    let list = e.list(Lang::En, reg.today());
    let text = evaluation::table(&list);
    assert!(
        text.contains("School points") && text.contains("Group targets"),
        "{text}"
    );
    assert!(
        e.groups
            .iter()
            .all(|g| !g.report.is_empty() && !g.reward.is_empty())
    );
}

#[test]
fn a_changed_table_changes_the_points_and_a_malformed_one_names_file_and_line() {
    let (_dir, reg) = demo();
    let t = find(&reg, true);
    achieve(&reg, t.id, 2026, prize(Level::Provincial, Award::Second));
    let default = evaluation::evaluate(&reg, 2026, &Points::default_table(), Lang::Zh).unwrap();
    assert_eq!(school_points(&default, &t.home_school).1, 4);
    let edited = qiangji::domain::achievement::DEFAULT_POINTS.replace("second = 4", "second = 7");
    let table = Points::parse(&edited, Some("points.toml")).unwrap();
    let e = evaluation::evaluate(&reg, 2026, &table, Lang::Zh).unwrap();
    assert_eq!(school_points(&e, &t.home_school).1, 7);
    assert_eq!(e.points_label, "积分表 points.toml");

    for (text, line, zh, en) in [
        (
            "admission = 10\n[competition.national]\nfirst = 12\nsecond = nine\nthird = 6\n",
            4,
            "积分表 bad.toml 第 4 行有误：",
            "points table bad.toml, line 4: ",
        ),
        (
            "admission = 10\n\n[competition.galactic]\nfirst = 1\nsecond = 1\nthird = 1\n",
            3,
            "unknown level \"galactic\"",
            "unknown level \"galactic\"",
        ),
        (
            "admission = 10\n[competition.city]\nfirst = 1\nsecond = 1\n",
            2,
            "third",
            "missing field `third`",
        ),
        ("admision = 10\n", 1, "第 1 行", "line 1"),
    ] {
        let e = Points::parse(text, Some("bad.toml")).unwrap_err();
        assert_eq!(e.line, line, "{text}: {e:?}");
        assert!(
            e.localized(Lang::Zh).contains(zh),
            "{}",
            e.localized(Lang::Zh)
        );
        assert!(
            e.localized(Lang::En).contains(en),
            "{}",
            e.localized(Lang::En)
        );
    }
}

#[test]
fn a_bad_achievement_is_refused_and_the_cli_reads_a_points_file() {
    let (_dir, reg) = demo();
    let t = find(&reg, true);
    let e = common::refused(reg.apply(
        &common::admin(),
        Command::RecordAchievement {
            trainee: t.id,
            year: 2026,
            feat: Feat::Prize {
                competition: "  ".into(),
                level: Level::City,
                award: Award::Third,
            },
        },
    ));
    common::assert_says(
        &e,
        &["竞赛名称不能为空"],
        &["competition: must not be empty"],
    );
    let e = common::refused(reg.apply(
        &common::admin(),
        Command::RecordAchievement {
            trainee: 999_999_999,
            year: 2026,
            feat: prize(Level::City, Award::Third),
        },
    ));
    assert!(
        e.localized(Lang::En).contains("999999999"),
        "{}",
        e.localized(Lang::En)
    );

    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let q = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_qiangji"))
            .args(args)
            .env_remove("QIANGJI_LANG")
            .env_remove("QIANGJI_DB")
            .env("XDG_CONFIG_HOME", dir.path())
            .output()
            .unwrap()
    };
    let db = db.to_str().unwrap();
    assert!(q(&["demo", "--db", db]).status.success());
    // `qiangji evaluation --year 2026 --db DB` and then these.
    let evaluation =
        |more: &[&str]| q(&[&["evaluation", "--year", "2026", "--db", db], more].concat());
    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, "admission = 10\n[competition.national]\nfirst = -1\n").unwrap();
    let out = evaluation(&["--points", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("积分表 {} 第 3 行有误", bad.display())),
        "{err}"
    );
    let out = evaluation(&["--format", "json"]);
    common::process::assert_ran(&out);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["parts"][1]["rows"].as_array().unwrap().len(), 6);
    assert!(v["subtitle"][0].as_str().unwrap().starts_with("默认积分表"));
    let xlsx = dir.path().join("e.xlsx");
    let out = evaluation(&["--format", "xlsx", "-o", xlsx.to_str().unwrap()]);
    assert!(out.status.success());
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(&xlsx).unwrap();
    assert_eq!(book.sheet_names(), ["学校积分", "项目组目标"]);
    let r = book.worksheet_range("项目组目标").unwrap();
    assert_eq!(
        r.height(),
        4 + 6 + 1 - 1,
        "title, subtitle, part name, header and six groups"
    );
}
