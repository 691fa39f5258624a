//! The bureau's lists: the template schools fill in, the announcement list
//! (公示名单) and the filing list (备案名单), read back with calamine; every
//! cell that begins like a formula is neutralised in CSV and xlsx.

use crate::common;

use calamine::{Data, Reader, Xlsx};
use qiangji::domain::{ProjectId, TraineeKind, TraineeStage};
use qiangji::export::lists;
use qiangji::i18n::Lang;
use qiangji::import::{self, Options};
use qiangji::registry::Registry;
use qiangji::store::{Tree, codec, keys};

fn demo() -> (tempfile::TempDir, Registry) {
    let (dir, reg) = common::open();
    qiangji::demo::generate(&reg, qiangji::demo::Scale::City, 2026).unwrap();
    (dir, reg)
}

fn sheets(bytes: Vec<u8>) -> Vec<(String, Vec<Vec<String>>)> {
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    book.sheet_names()
        .into_iter()
        .map(|n| {
            let range = book.worksheet_range(&n).unwrap();
            let rows = range
                .rows()
                .map(|r| {
                    r.iter()
                        .map(|c| match c {
                            Data::Empty => String::new(),
                            other => other.to_string(),
                        })
                        .collect()
                })
                .collect();
            (n, rows)
        })
        .collect()
}

fn announced(reg: &Registry, p: ProjectId) -> usize {
    reg.trainees(p)
        .unwrap()
        .iter()
        .filter(|t| t.stage == TraineeStage::Announced)
        .count()
}

#[test]
fn the_announcement_workbook_has_title_headers_and_every_announced_trainee() {
    let (_dir, reg) = demo();
    let p = ProjectId::ALL
        .into_iter()
        .find(|p| announced(&reg, *p) > 0)
        .expect("the demo announces someone");
    let list = lists::announcement(&reg, p, Lang::Zh).unwrap();
    let book = sheets(lists::xlsx(&list, Some(&reg), Lang::Zh, true).unwrap());
    assert_eq!(book.len(), 1);
    let (name, rows) = &book[0];
    assert_eq!(name, "公示名单");
    assert!(
        rows[0][0].starts_with("青岛市强基计划") && rows[0][0].ends_with("拟录取学员公示名单"),
        "{}",
        rows[0][0]
    );
    assert!(rows[0][0].contains(&p.group_name(Lang::Zh)));
    assert!(rows[1][0].starts_with("公示期："), "{}", rows[1][0]);
    assert!(rows[2][0].contains("异议"));
    assert_eq!(
        rows[3],
        [
            "姓名",
            "性别",
            "所在学校",
            "区市",
            "年级",
            "学员类别",
            "项目组",
            "公示开始",
            "公示结束"
        ]
    );
    assert_eq!(rows.len() - 4, announced(&reg, p));
    // English and the other formats.
    let en = lists::announcement(&reg, p, Lang::En).unwrap();
    assert!(en.title.contains("trainees announced"));
    let mut csv = Vec::new();
    lists::csv(&en, &mut csv, true).unwrap();
    let text = String::from_utf8(csv).unwrap();
    assert!(
        text.starts_with('\u{feff}')
            && text
                .lines()
                .next()
                .unwrap()
                .contains("Qingdao Strong Foundation programme")
    );
    assert_eq!(text.lines().count(), 3 + 1 + announced(&reg, p));
    let mut json = Vec::new();
    lists::json(&list, &mut json).unwrap();
    let v: serde_json::Value = serde_json::from_slice(&json).unwrap();
    assert_eq!(
        v["parts"][0]["rows"].as_array().unwrap().len(),
        announced(&reg, p)
    );
    assert!(v["parts"][0]["rows"][0]["announced_to"].is_string());
}

#[test]
fn the_filing_workbook_has_a_sheet_per_part_and_totals_that_add_up() {
    let (_dir, reg) = demo();
    let list = lists::filing(&reg, None, 2026, Lang::Zh).unwrap();
    let book = sheets(lists::xlsx(&list, Some(&reg), Lang::Zh, true).unwrap());
    let names: Vec<&str> = book.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["学员", "教练员", "基地校", "退出培养", "合计"]);
    let enrolled: usize = ProjectId::ALL
        .into_iter()
        .map(|p| {
            reg.trainees(p)
                .unwrap()
                .iter()
                .filter(|t| t.stage == TraineeStage::Enrolled)
                .count()
        })
        .sum();
    for (_, rows) in &book {
        assert_eq!(rows[0][0], "青岛市强基计划全部项目组2026年备案名单");
        assert!(rows[1][0].starts_with("截至 "));
    }
    let trainees = &book[0].1;
    assert_eq!(
        trainees[3],
        [
            "姓名",
            "性别",
            "所在学校",
            "区市",
            "学员类别",
            "项目组",
            "备案日期",
            "培养方式",
            "参加培养日期",
            "补录"
        ]
    );
    assert_eq!(trainees.len() - 4, enrolled);
    assert!(
        trainees[4][6].starts_with("20"),
        "filing date {:?}",
        trainees[4]
    );
    let totals = &book[4].1;
    assert_eq!(
        totals[3],
        [
            "项目组",
            "学生学员",
            "青年教师学员",
            "教练员",
            "基地校",
            "当年退出"
        ]
    );
    assert_eq!(totals.len() - 4, 7, "six groups and the total");
    let last = totals.last().unwrap();
    assert_eq!(last[0], "合计");
    let students: usize = ProjectId::ALL
        .into_iter()
        .map(|p| {
            reg.trainees(p)
                .unwrap()
                .iter()
                .filter(|t| t.stage == TraineeStage::Enrolled && t.kind == TraineeKind::Student)
                .count()
        })
        .sum();
    assert_eq!(last[1], students.to_string());
    for col in 1..6 {
        let sum: u64 = totals[4..totals.len() - 1]
            .iter()
            .map(|r| r[col].parse::<u64>().unwrap())
            .sum();
        assert_eq!(last[col], sum.to_string(), "column {col}");
    }
    assert_eq!(
        book[1].1.len() - 4,
        totals[4..10]
            .iter()
            .map(|r| r[3].parse::<usize>().unwrap())
            .sum::<usize>()
    );
    assert_eq!(book[3].1.len() - 4, last[5].parse::<usize>().unwrap());
    // One group.
    let one = lists::filing(&reg, Some(ProjectId::Math), 2026, Lang::En).unwrap();
    assert_eq!(one.parts[4].rows.len(), 2);
    assert!(one.title.contains("Mathematics group 2026, filing list"));
}

#[test]
fn the_template_reads_back_and_imports_its_example() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("推荐名单模板.xlsx");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_qiangji"))
        .args([
            "export",
            "template",
            "applications",
            "-o",
            path.to_str().unwrap(),
        ])
        .env_remove("QIANGJI_LANG")
        .output()
        .unwrap();
    common::process::assert_ran(&out);
    let book = sheets(std::fs::read(&path).unwrap());
    assert_eq!(book[0].0, "推荐名单");
    assert_eq!(book[0].1[0][..3], ["姓名", "性别", "所在学校"]);
    assert_eq!(book[0].1.len(), 2, "headers and one example row");
    assert_eq!(book[1].0, "填写说明");
    assert!(book[1].1.len() > 5);
    let (_d, reg) = common::open();
    let report = import::run(
        &reg,
        &common::admin(),
        &path,
        Options {
            dry_run: true,
            ..Options::default()
        },
    )
    .unwrap();
    assert_eq!(report.create.len(), 1, "{:?}", report.lines(Lang::En));
    assert!(report.problems.is_empty() && report.unknown_columns.is_empty());
}

#[test]
fn formula_cells_are_neutralised_in_every_list() {
    let (_dir, reg) = demo();
    // Records written before the validators existed (or restored from
    // elsewhere) may hold anything: put such a trainee in place.
    let mut t = reg
        .trainees(ProjectId::Physics)
        .unwrap()
        .into_iter()
        .find(|t| t.stage == TraineeStage::Enrolled)
        .unwrap();
    t.name = "=HYPERLINK(\"http://x\",\"y\")".into();
    t.home_school = "@SUM(A1)".into();
    t.district = "+1".into();
    reg.store()
        .tree(Tree::Trainees)
        .insert(keys::id(t.id), codec::encode(&t).unwrap())
        .unwrap();
    let mut a = t.clone();
    a.stage = TraineeStage::Announced;
    a.announcement = Some(qiangji::domain::Announcement {
        start: common::d("2026-11-25"),
        working_days: 5,
    });
    a.name = "-2+3".into();
    reg.store()
        .tree(Tree::Trainees)
        .insert(keys::id(t.id), codec::encode(&a).unwrap())
        .unwrap();
    let announcement = lists::announcement(&reg, ProjectId::Physics, Lang::Zh).unwrap();
    reg.store()
        .tree(Tree::Trainees)
        .insert(keys::id(t.id), codec::encode(&t).unwrap())
        .unwrap();
    let filing = lists::filing(&reg, Some(ProjectId::Physics), 2026, Lang::Zh).unwrap();
    for (what, list, bad) in [
        (
            "announcement",
            &announcement,
            vec!["-2+3", "@SUM(A1)", "+1"],
        ),
        (
            "filing",
            &filing,
            vec!["=HYPERLINK(\"http://x\",\"y\")", "@SUM(A1)", "+1"],
        ),
    ] {
        let cells: Vec<String> = sheets(lists::xlsx(list, Some(&reg), Lang::Zh, true).unwrap())
            .into_iter()
            .flat_map(|(_, rows)| rows.into_iter().flatten())
            .collect();
        let mut csv = Vec::new();
        lists::csv(list, &mut csv, true).unwrap();
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(&csv[3..]);
        let csv_cells: Vec<String> = reader
            .records()
            .flat_map(|r| r.unwrap().iter().map(String::from).collect::<Vec<_>>())
            .collect();
        for b in &bad {
            for (format, cells) in [("xlsx", &cells), ("csv", &csv_cells)] {
                assert!(
                    !cells.iter().any(|c| c == b),
                    "{what} {format}: {b} left as it was"
                );
                assert!(
                    cells.iter().any(|c| *c == format!("'{b}")),
                    "{what} {format}: {b} not found neutralised"
                );
            }
        }
        // JSON keeps the text as it is (it is not a spreadsheet).
        let mut json = Vec::new();
        lists::json(list, &mut json).unwrap();
        assert!(String::from_utf8(json).unwrap().contains("@SUM(A1)"));
    }
}

#[test]
fn an_announcement_runs_for_working_days_of_the_holiday_calendar_and_no_fewer_than_the_minimum() {
    use qiangji::i18n::Localized;
    use qiangji::registry::{Command, RegistryError};
    let (_dir, reg) = common::open();
    let id = common::trainee_at(
        &reg,
        qiangji::domain::TraineeKind::Student,
        ProjectId::Math,
        "陈思远",
        TraineeStage::Selected,
    );
    let announce = |days: u8| Command::Announce {
        id,
        version: reg.trainee(id).unwrap().unwrap().stamp.version,
        start: common::d("2026-09-28"),
        working_days: days,
    };
    // One working day, or none: refused, with the range.
    for days in [0, 1, 4, 31] {
        let e = common::refused(reg.apply(&common::admin(), announce(days)));
        assert!(matches!(e, RegistryError::NotBetween { .. }), "{e:?}");
        assert_eq!(
            e.localized(Lang::Zh),
            format!("公示工作日：{days} 超出范围（应在 5 至 30 之间）")
        );
        assert_eq!(
            e.localized(Lang::En),
            format!("working days: {days} is outside the range 5 to 30")
        );
    }
    // Five working days from Monday 28 September run past the National Day
    // holiday (1 to 7 October) to Friday 9 October, in the list's row and
    // its heading alike.
    common::ok(&reg, &common::admin(), announce(5));
    let list = lists::announcement(&reg, ProjectId::Math, Lang::Zh).unwrap();
    let row = &list.parts[0].rows[0];
    assert_eq!(&row[row.len() - 2..], ["2026-09-28", "2026-10-09"]);
    assert!(
        list.subtitle
            .iter()
            .any(|l| l.contains("2026-09-28 至 2026-10-09")),
        "{:?}",
        list.subtitle
    );
}

#[test]
fn the_bureaus_calendar_file_moves_the_end_of_an_announcement_and_a_bad_one_names_its_line() {
    use common::process::{lossy, qiangji};
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let db = db.to_str().unwrap();
    let out = qiangji(&["demo", "--db", db]);
    assert_eq!(out.status.code(), Some(0), "{}", lossy(&out.stderr));
    let list = |extra: &[&str]| {
        let mut args = vec![
            "export",
            "announcement",
            "--project",
            "math",
            "--format",
            "csv",
            "--db",
            db,
        ];
        args.extend_from_slice(extra);
        qiangji(&args)
    };
    // The demo announces from today for 5 working days: read the window.
    let out = list(&[]);
    let text = lossy(&out.stdout);
    let window = |text: &str| -> (chrono::NaiveDate, chrono::NaiveDate) {
        let line = text
            .lines()
            .find(|l| l.starts_with("公示期："))
            .unwrap_or_else(|| panic!("{text}"));
        let dates: Vec<chrono::NaiveDate> = line
            .trim_start_matches("公示期：")
            .split(" 至 ")
            .map(|d| d.parse().unwrap())
            .collect();
        (dates[0], dates[1])
    };
    let (start, end) = window(&text);
    assert!(text.contains(&format!("{start},{end}")), "{text}");
    // The last day of that window made a holiday: the end moves later, to
    // a working day, and the start stays.
    let cal = dir.path().join("calendar.toml");
    std::fs::write(
        &cal,
        format!(
            "[announcement]\nmin_working_days = 5\n\n[year.{}]\nstatus = \"official\"\nholidays = [\"{end}\"]\n",
            chrono::Datelike::year(&end)
        ),
    )
    .unwrap();
    let out = list(&["--calendar", cal.to_str().unwrap()]);
    let text = lossy(&out.stdout);
    let (start2, end2) = window(&text);
    assert_eq!(start2, start, "{text}");
    assert!(end2 > end, "{text}");
    assert!(
        chrono::Datelike::weekday(&end2).num_days_from_monday() < 5,
        "{text}"
    );
    assert!(text.contains(&format!("{start},{end2}")), "{text}");
    // A malformed file: refused before anything runs, naming its line.
    std::fs::write(
        &cal,
        "[year.2026]\nstatus = \"official\"\nholidays = [\n  \"2026-12-32\",\n]\n",
    )
    .unwrap();
    let out = list(&["--calendar", cal.to_str().unwrap(), "--lang", "en"]);
    assert_ne!(out.status.code(), Some(0));
    let err = lossy(&out.stderr);
    assert!(err.contains("calendar.toml, line 4"), "{err}");
    assert!(err.contains("\"2026-12-32\" is not a date"), "{err}");
}
