//! `qiangji import applications`: the encodings and layouts schools send,
//! every kind of bad row with its message in both languages, dry runs,
//! re-imports, and a kill in the middle of a large import.

use crate::common;

use common::process::qiangji;

use std::path::Path;
use std::process::Command as Process;

use common::{admin, open};
use qiangji::domain::{ProjectId, TraineeKind};
use qiangji::i18n::{Lang, Localized};
use qiangji::import::{self, Cell, ImportError, Options, Report};
use qiangji::registry::{Command, Registry};

const HEADER: [&str; 10] = [
    "姓名",
    "性别",
    "所在学校",
    "区市",
    "年级",
    "联系电话",
    "项目组",
    "推荐教师1",
    "推荐教师2",
    "申报日期",
];

fn good(name: &str) -> Vec<String> {
    [
        name,
        "男",
        "青岛二中",
        "市南区",
        "高一",
        "13812345678",
        "数学",
        "李明老师",
        "王芳老师",
        "2026-09-01",
    ]
    .map(String::from)
    .to_vec()
}

/// Space-separated cells, as a header (none of ours holds a space).
fn words(cells: &str) -> Vec<&str> {
    cells.split(' ').collect()
}

/// Space-separated cells, as a row.
fn cells(cells: &str) -> Vec<String> {
    cells.split(' ').map(String::from).collect()
}

/// A table of one good row (line 2) for `name`, its column `col` holding
/// `cell` instead.
fn one_row(name: &str, col: usize, cell: Cell) -> import::Table {
    let mut row: Vec<Cell> = good(name).into_iter().map(Cell::Text).collect();
    row[col] = cell;
    let headers = HEADER.map(String::from).to_vec();
    import::Table {
        headers,
        rows: vec![(2, row)],
    }
}

fn csv_text(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
    w.write_record(header).unwrap();
    for r in rows {
        w.write_record(r).unwrap();
    }
    String::from_utf8(w.into_inner().unwrap()).unwrap()
}

/// A CSV file `name` in `dir` with `header` and one row.
fn csv_file(dir: &Path, name: &str, header: &[&str], row: Vec<String>) -> std::path::PathBuf {
    write(dir, name, csv_text(header, &[row]).as_bytes())
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

fn run(reg: &Registry, path: &Path, options: Options) -> Report {
    match import::run(reg, &admin(), path, options) {
        Ok(r) => r,
        Err(e) => panic!("{}", e.localized(Lang::En)),
    }
}

fn count(reg: &Registry) -> usize {
    reg.all_trainees().count()
}

fn three_rows() -> Vec<Vec<String>> {
    let mut b = good("刘洋");
    b[6] = "physics".into();
    b[1] = "女".into();
    let mut c = good("陈静");
    c[9] = "2026/9/3".into();
    vec![good("张伟"), b, c]
}

#[test]
fn utf8_with_and_without_bom_and_gbk_import_the_same_rows() {
    let text = csv_text(&HEADER, &three_rows());
    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend_from_slice(text.as_bytes());
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(&text);
    assert!(!unmappable);
    assert!(
        std::str::from_utf8(&gbk).is_err(),
        "the GBK fixture must not be UTF-8"
    );
    for (name, bytes) in [
        ("utf8.csv", text.as_bytes().to_vec()),
        ("bom.csv", bom),
        ("gbk.csv", gbk.into_owned()),
    ] {
        let (dir, reg) = open();
        let path = write(dir.path(), name, &bytes);
        let report = run(&reg, &path, Options::default());
        assert!(report.written, "{name}: {:?}", report.lines(Lang::En));
        assert_eq!(count(&reg), 3, "{name}");
        let names: Vec<String> = reg.all_trainees().map(|t| t.unwrap().name).collect();
        assert!(
            names.contains(&"张伟".to_string()) && names.contains(&"陈静".to_string()),
            "{name}: {names:?}"
        );
        let t = reg.trainees(ProjectId::Physics).unwrap();
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].recommenders, vec!["李明老师", "王芳老师"]);
        assert_eq!(t[0].home_school, "青岛二中");
        common::assert_consistent(&reg);
    }
}

#[test]
fn shuffled_and_english_headers_with_variants_and_unknown_columns() {
    let (dir, reg) = open();
    // English, any case, another order, a column nobody asked for.
    let header = [
        "Application Date",
        "Recommender 2",
        "NAME",
        "Mobile",
        "Group",
        "school",
        "Sex",
        "District",
        "Grade",
        "Teacher1",
        "Shoe size",
    ];
    let row = [
        "2026年9月1日",
        "Ms Wang",
        "Li Lei",
        "0532-88886666",
        "chemistry",
        "No. 2 High School",
        "male",
        "崂山区",
        "Senior 1",
        "Mr Li",
        "42",
    ]
    .map(String::from)
    .to_vec();
    let path = write(dir.path(), "en.csv", csv_text(&header, &[row]).as_bytes());
    let report = run(&reg, &path, Options::default());
    assert!(report.written, "{:?}", report.lines(Lang::En));
    assert_eq!(report.unknown_columns, vec!["Shoe size"]);
    assert!(report.lines(Lang::En)[1].contains("columns not recognised (left out): Shoe size"));
    assert!(report.lines(Lang::Zh)[1].contains("未识别的列（已忽略）：Shoe size"));
    let t = &reg.trainees(ProjectId::Chemistry).unwrap()[0];
    assert_eq!(
        (t.name.as_str(), t.phone.as_str()),
        ("Li Lei", "0532-88886666")
    );
    assert_eq!(t.recommenders, vec!["Mr Li", "Ms Wang"]);

    // Chinese variants: 学生姓名, 手机号, 推荐教师一/二, 学校, 日期.
    let header = words("学生姓名 手机号 推荐教师一 推荐教师二 学校 区市 性别 日期 项目组 年级");
    let row = cells("王小明 13900001111 赵老师 钱老师 青岛五十八中 崂山 男 2026.9.2 信息学组 高二");
    let path = csv_file(dir.path(), "variants.csv", &header, row);
    let report = run(&reg, &path, Options::default());
    assert!(report.written, "{:?}", report.lines(Lang::Zh));
    let t = &reg.trainees(ProjectId::Informatics).unwrap()[0];
    assert_eq!(t.district, "崂山区");
    assert_eq!(t.grade, "高二");
}

#[test]
fn a_missing_required_column_is_one_clear_error() {
    let (dir, reg) = open();
    let header = words("姓名 性别 所在学校 区市 项目组 推荐教师1 申报日期");
    let path = write(dir.path(), "short.csv", csv_text(&header, &[]).as_bytes());
    let e = import::run(&reg, &admin(), &path, Options::default()).unwrap_err();
    assert_eq!(
        e,
        ImportError::MissingColumns(vec![import::Col::Recommender2])
    );
    common::assert_words(
        &e,
        "缺少必填的列：推荐教师2（表头可用中文或英文，顺序不限）",
        "missing required column: Recommender 2 (headers in Chinese or English, any order)",
    );
    // With --project the group column may be left out.
    let header = words("姓名 性别 所在学校 区市 推荐教师1 推荐教师2 申报日期");
    let row = cells("孙悦 女 青岛九中 市北区 甲老师 乙老师 2026-09-01");
    let path = csv_file(dir.path(), "nogroup.csv", &header, row);
    let options = Options {
        project: Some(ProjectId::Biology),
        ..Options::default()
    };
    assert!(run(&reg, &path, options).written);
    assert_eq!(reg.trainees(ProjectId::Biology).unwrap().len(), 1);
    // A file that is neither UTF-8 nor GB18030, and one of another type.
    let path = write(dir.path(), "binary.csv", &[0x81, 0x20, 0xFF, 0xFE, 0x00]);
    let e = import::run(&reg, &admin(), &path, Options::default()).unwrap_err();
    assert!(
        e.localized(Lang::Zh)
            .contains("既不是 UTF-8 也不是 GBK/GB18030")
    );
    assert!(
        e.localized(Lang::En)
            .contains("neither UTF-8 nor GBK/GB18030")
    );
    let path = write(dir.path(), "list.docx", b"x");
    let e = import::run(&reg, &admin(), &path, Options::default()).unwrap_err();
    assert!(e.localized(Lang::En).contains("only .xlsx or .csv"));
}

#[test]
fn xlsx_with_date_and_number_cells() {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let (dir, reg) = open();
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let header = words("项目组 姓名 性别 所在学校 区市 年级 联系电话 推荐教师1 推荐教师2 申报日期");
    for (c, h) in header.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    let date_format = Format::new().set_num_format("yyyy-mm-dd");
    for r in 1..=3u32 {
        let cells = [
            "物理",
            &format!("学生{r}"),
            "女",
            "青岛一中",
            "黄岛区",
            "高一",
        ];
        for (c, v) in cells.iter().enumerate() {
            sheet.write_string(r, c as u16, *v).unwrap();
        }
        sheet.write_number(r, 6, 13812345670.0 + r as f64).unwrap();
        sheet.write_string(r, 7, "周老师").unwrap();
        sheet.write_string(r, 8, "吴老师").unwrap();
        let date = ExcelDateTime::from_ymd(2026, 9, r as u8).unwrap();
        sheet
            .write_datetime_with_format(r, 9, &date, &date_format)
            .unwrap();
    }
    let path = dir.path().join("list.xlsx");
    book.save(&path).unwrap();
    let report = run(&reg, &path, Options::default());
    assert!(report.written, "{:?}", report.lines(Lang::En));
    let t = reg.trainees(ProjectId::Physics).unwrap();
    assert_eq!(t.len(), 3);
    assert_eq!(t[1].phone, "13812345672");
    assert_eq!(
        t[1].stage_date(qiangji::domain::TraineeStage::Applied),
        Some(common::d("2026-09-02"))
    );
    // A number where a date should be is not taken for one.
    let table = one_row("数字", 9, Cell::Number(46266.0));
    let r = import::plan(&reg, &table, Options::default()).unwrap();
    assert!(
        r.problems[0]
            .localized(Lang::En)
            .contains("\"46266\" is not a date"),
        "{:?}",
        r.problems
    );
    // An error cell is reported as such.
    let table = one_row("错误", 5, Cell::Error("#N/A".into()));
    let r = import::plan(&reg, &table, Options::default()).unwrap();
    common::assert_words(
        &r.problems[0],
        "第 2 行“联系电话”列：是 Excel 的错误值 #N/A；请填写实际内容",
        "line 2, column \"联系电话\": is the Excel error value #N/A; fill in the real value",
    );
}

/// Each bad row: the column changed, its value, and the message expected in
/// Chinese and in English.
fn bad_rows() -> Vec<(usize, String, &'static str, &'static str, &'static str)> {
    let long = |n: usize| "字".repeat(n);
    vec![
        (
            0,
            String::new(),
            "姓名",
            "姓名不能为空",
            "name: must not be empty",
        ),
        (
            0,
            long(41),
            "姓名",
            "姓名最多 40 个字，现有 41 个",
            "name: at most 40 characters, got 41",
        ),
        (
            0,
            "张\u{1b}[31m伟".into(),
            "姓名",
            "姓名含有控制字符",
            "name: contains a control character",
        ),
        (
            0,
            "张\u{200B}伟".into(),
            "姓名",
            "姓名含有不可见字符",
            "name: contains an invisible",
        ),
        (
            0,
            "张\u{202E}伟".into(),
            "姓名",
            "姓名含有控制字符",
            "name: contains a control character",
        ),
        (
            0,
            "=HYPERLINK(\"x\")".into(),
            "姓名",
            "以“=”开头，像公式",
            "begins with '=' like a formula",
        ),
        (
            0,
            "@SUM(A1)".into(),
            "姓名",
            "以“@”开头，像公式",
            "begins with '@' like a formula",
        ),
        (
            1,
            "未知".into(),
            "性别",
            "“未知”不是性别",
            "\"未知\" is not a gender",
        ),
        (
            1,
            String::new(),
            "性别",
            "“”不是性别",
            "\"\" is not a gender",
        ),
        (
            2,
            String::new(),
            "所在学校",
            "所在学校不能为空",
            "home school: must not be empty",
        ),
        (
            2,
            long(121),
            "所在学校",
            "所在学校最多 120 个字",
            "home school: at most 120 characters",
        ),
        (
            2,
            "+青岛二中".into(),
            "所在学校",
            "以“+”开头，像公式",
            "begins with '+' like a formula",
        ),
        (
            3,
            "北京市".into(),
            "区市",
            "“北京市”不是青岛的区市",
            "\"北京市\" is not a district of Qingdao",
        ),
        (
            3,
            String::new(),
            "区市",
            "区市不能为空",
            "district: must not be empty",
        ),
        (
            3,
            "-市南区".into(),
            "区市",
            "以“-”开头，像公式",
            "begins with '-' like a formula",
        ),
        (
            4,
            long(41),
            "年级",
            "年级最多 40 个字",
            "grade: at most 40 characters",
        ),
        (
            4,
            "高\u{7}一".into(),
            "年级",
            "年级含有控制字符",
            "grade: contains a control character",
        ),
        (
            5,
            "1381234567a".into(),
            "联系电话",
            "联系电话只能包含数字",
            "a phone number has digits only",
        ),
        (
            5,
            "1381234567890123".into(),
            "联系电话",
            "联系电话有 16 位数字，太长了",
            "16 digits is too long for a phone number",
        ),
        (
            5,
            "12345".into(),
            "联系电话",
            "不是电话号码",
            "not a phone number",
        ),
        (
            5,
            "+8613812345678".into(),
            "联系电话",
            "以“+”开头，像公式",
            "begins with '+' like a formula",
        ),
        (
            6,
            "天文".into(),
            "项目组",
            "“天文”不是项目组",
            "\"天文\" is not a project group",
        ),
        (
            6,
            String::new(),
            "项目组",
            "项目组不能为空",
            "group: must not be empty",
        ),
        (
            7,
            String::new(),
            "推荐教师1",
            "缺少第一名",
            "the first is missing",
        ),
        (
            8,
            String::new(),
            "推荐教师2",
            "缺少第二名",
            "the second is missing",
        ),
        (
            8,
            "李明老师".into(),
            "推荐教师2",
            "两名推荐教师都是“李明老师”",
            "both recommenders are \"李明老师\"",
        ),
        (
            7,
            "李\u{1b}]0;x\u{7}老师".into(),
            "推荐教师1",
            "推荐教师含有控制字符",
            "recommender: contains a control character",
        ),
        (
            9,
            "下周一".into(),
            "申报日期",
            "“下周一”不是日期",
            "\"下周一\" is not a date",
        ),
        (
            9,
            "2026-02-30".into(),
            "申报日期",
            "日期“2026-02-30”不存在",
            "there is no such date as \"2026-02-30\"",
        ),
        (
            9,
            "2027-01-05".into(),
            "申报日期",
            "申报日期 2027-01-05 晚于今天",
            "the application date 2027-01-05 is after today",
        ),
        (
            9,
            "1999-12-31".into(),
            "申报日期",
            "申报日期 1999-12-31 早于 2000-01-01",
            "the application date 1999-12-31 is before 2000-01-01",
        ),
        (
            9,
            String::new(),
            "申报日期",
            "申报日期不能为空",
            "date applied: must not be empty",
        ),
        (
            9,
            "=TODAY()".into(),
            "申报日期",
            "以“=”开头，像公式",
            "begins with '=' like a formula",
        ),
        (
            9,
            "46266".into(),
            "申报日期",
            "“46266”不是日期",
            "\"46266\" is not a date",
        ),
        (
            9,
            "2026-9".into(),
            "申报日期",
            "“2026-9”不是日期",
            "\"2026-9\" is not a date",
        ),
    ]
}

#[test]
fn every_bad_row_is_reported_with_line_column_and_reason_in_both_languages() {
    let (dir, reg) = open();
    // A trainee already recorded with other details than a row of the file.
    common::ok(
        &reg,
        &admin(),
        Command::ApplyRecommended {
            input: qiangji::registry::ApplicationInput {
                phone: "13900000000".into(),
                home_school: "青岛二中".into(),
                date: common::d("2026-09-01"),
                district: "市南区".into(),
                grade: "高一".into(),
                ..common::application(TraineeKind::Student, "已有者", ProjectId::Math)
            },
            recommenders: vec!["甲".into(), "乙".into()],
        },
    );
    let mut header: Vec<&str> = HEADER.to_vec();
    header.push("学员类别");
    let mut rows = vec![good("张伟")];
    rows[0].push(String::new());
    let bad = bad_rows();
    for (i, (col, value, ..)) in bad.iter().enumerate() {
        let mut r = good(&format!("学生{i}"));
        r[*col] = value.clone();
        r.push(String::new());
        rows.push(r);
    }
    let mut extra: Vec<(String, &str, &str, &str)> = Vec::new();
    // The kind column.
    let mut r = good("类别错");
    r.push("校长".into());
    rows.push(r);
    extra.push((
        "".into(),
        "学员类别",
        "“校长”不是学员类别",
        "\"校长\" is not a kind of trainee",
    ));
    // A repeat of line 2 (the first data row).
    let mut r = good("张伟");
    r[5] = "13700000000".into();
    r.push(String::new());
    rows.push(r);
    extra.push((
        "".into(),
        "姓名",
        "与第 2 行重复（姓名、学校、项目组和年度相同）",
        "repeats line 2 (same name, school, group and year)",
    ));
    // The trainee already recorded, with another phone.
    let mut r = good("已有者");
    r.push(String::new());
    rows.push(r);
    extra.push((
        "".into(),
        "姓名",
        "已有同名同校同项目组同年度的学员 已有者",
        "with the same name, school, group and year is already recorded with other details",
    ));
    let path = write(dir.path(), "bad.csv", csv_text(&header, &rows).as_bytes());

    let report = run(&reg, &path, Options::default());
    assert!(!report.written);
    assert_eq!(count(&reg), 1, "a file with a bad row imports nothing");
    let expected: Vec<(&str, &str, &str)> = bad
        .iter()
        .map(|(_, _, c, zh, en)| (*c, *zh, *en))
        .chain(extra.iter().map(|(_, c, zh, en)| (*c, *zh, *en)))
        .collect();
    assert!(expected.len() >= 30, "{} bad rows", expected.len());
    let mut reasons = std::collections::HashSet::new();
    for (i, (column, zh, en)) in expected.iter().enumerate() {
        let line = i + 3;
        let found: Vec<_> = report.problems.iter().filter(|p| p.line == line).collect();
        assert!(!found.is_empty(), "line {line} ({en}) was not reported");
        let p = found
            .iter()
            .find(|p| p.column == *column)
            .unwrap_or_else(|| panic!("line {line}: {found:?}"));
        let (z, e) = (p.localized(Lang::Zh), p.localized(Lang::En));
        assert!(z.starts_with(&format!("第 {line} 行“{column}”列：")), "{z}");
        assert!(z.contains(zh), "line {line}: {z:?} lacks {zh:?}");
        assert!(
            e.starts_with(&format!("line {line}, column \"{column}\": ")),
            "{e}"
        );
        assert!(e.contains(en), "line {line}: {e:?} lacks {en:?}");
        // One language per message, and no raw control character reaches the terminal.
        assert!(!e.contains("不能") && !z.contains("must"), "{z} / {e}");
        assert!(!z.chars().chain(e.chars()).any(|c| c.is_control()), "{z:?}");
        reasons.insert(format!("{:?}", std::mem::discriminant(&p.reason)) + en);
    }
    assert!(reasons.len() >= 30);
    assert_eq!(report.bad_lines().len(), expected.len());
    assert_eq!(report.create.len(), 1, "only the good row is planned");
    assert!(
        report.lines(Lang::Zh)[0].starts_with("未导入任何学员"),
        "{:?}",
        report.lines(Lang::Zh)[0]
    );
    assert!(
        report.lines(Lang::En)[0].starts_with("nothing imported"),
        "{:?}",
        report.lines(Lang::En)[0]
    );

    // --skip-bad imports the good row only.
    let options = Options {
        skip_bad: true,
        ..Options::default()
    };
    let report = run(&reg, &path, options);
    assert!(report.written);
    assert_eq!(count(&reg), 2);
    assert!(reg.all_trainees().any(|t| t.unwrap().name == "张伟"));
    common::assert_consistent(&reg);
}

#[test]
fn dry_run_writes_nothing_and_reimport_creates_nothing() {
    let (dir, reg) = open();
    let path = write(
        dir.path(),
        "list.csv",
        csv_text(&HEADER, &three_rows()).as_bytes(),
    );
    let audit_before = reg.audit().count();
    let report = run(
        &reg,
        &path,
        Options {
            dry_run: true,
            ..Options::default()
        },
    );
    assert!(!report.written);
    assert_eq!(report.create.len(), 3);
    assert_eq!((count(&reg), reg.audit().count()), (0, audit_before));
    let zh = report.lines(Lang::Zh);
    assert!(
        zh[0].starts_with("试运行，未写入：将新建 3 名学员"),
        "{zh:?}"
    );
    assert!(
        zh.iter()
            .any(|l| l == "第 2 行：将新建 张伟（青岛二中，数学组）"),
        "{zh:?}"
    );
    let en = report.lines(Lang::En);
    assert!(
        en[0].starts_with("dry run, nothing written: would create 3 trainees"),
        "{en:?}"
    );

    assert!(run(&reg, &path, Options::default()).written);
    assert_eq!(count(&reg), 3);
    let audit = reg.audit().count();
    let again = run(&reg, &path, Options::default());
    assert!(!again.written);
    assert!(
        again.create.is_empty() && again.problems.is_empty(),
        "{:?}",
        again.lines(Lang::En)
    );
    assert_eq!(again.already.len(), 3);
    assert_eq!((count(&reg), reg.audit().count()), (3, audit));
    assert!(again.lines(Lang::En)[0].contains("3 already recorded"));
}

fn big_list(n: usize) -> String {
    let rows: Vec<Vec<String>> = (0..n)
        .map(|i| {
            let mut r = good(&format!("学员{i:05}"));
            r[6] = ProjectId::ALL[i % 6].code().into();
            r[5] = format!("138{:08}", i);
            r
        })
        .collect();
    csv_text(&HEADER, &rows)
}

#[test]
fn the_cli_reports_dry_runs_and_refuses_bad_files_with_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    drop(Registry::open(&db, true).unwrap());
    let db = db.to_str().unwrap();
    let list = write(
        dir.path(),
        "list.csv",
        csv_text(&HEADER, &three_rows()).as_bytes(),
    );
    let list = list.to_str().unwrap();
    let out = qiangji(&["import", "applications", list, "--db", db, "--dry-run"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("试运行，未写入：将新建 3 名学员"));
    let out = qiangji(&["import", "applications", list, "--db", db, "--lang", "en"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("imported 3 trainees"));
    let mut rows = three_rows();
    rows[1][5] = "123".into();
    let bad = write(dir.path(), "bad.csv", csv_text(&HEADER, &rows).as_bytes());
    let out = qiangji(&[
        "import",
        "applications",
        bad.to_str().unwrap(),
        "--db",
        db,
        "--lang",
        "en",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("line 3, column \"联系电话\": not a phone number"),
        "{text}"
    );
    common::process::assert_checks(db);
}

#[test]
fn a_kill_during_a_5000_row_import_leaves_all_or_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let list = write(dir.path(), "big.csv", big_list(5000).as_bytes());
    let mut outcomes = Vec::new();
    for (round, delay_ms) in [30u64, 120, 250, 400, 700, 850, 1000, 1200, 2500]
        .into_iter()
        .enumerate()
    {
        let db = dir.path().join(format!("db{round}"));
        drop(Registry::open(&db, true).unwrap());
        let mut child = Process::new(env!("CARGO_BIN_EXE_qiangji"))
            .args([
                "import",
                "applications",
                list.to_str().unwrap(),
                "--db",
                db.to_str().unwrap(),
            ])
            .env_remove("QIANGJI_LANG")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let finished = child.try_wait().unwrap().is_some();
        child.kill().ok(); // SIGKILL
        child.wait().unwrap();
        let out = qiangji(&["check", "--db", db.to_str().unwrap()]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "round {round}: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        let reg = Registry::open_read_only(&db).unwrap();
        let n = count(&reg);
        assert!(
            n == 0 || n == 5000,
            "round {round}: {n} trainees after the kill"
        );
        outcomes.push((delay_ms, finished, n));
    }
    eprintln!("kill outcomes (delay ms, had finished, trainees): {outcomes:?}");
}

/// The lines a report names for its bad rows.
fn bad_lines(report: &Report) -> Vec<usize> {
    report.bad_lines()
}

#[test]
fn rows_are_numbered_as_excel_shows_them_with_crlf_cr_or_lf() {
    // Line 3 has a short phone; line 4 a note over two lines in one cell
    // (still one row in Excel); line 6 (after a blank line) a bad gender.
    let text = "姓名,性别,所在学校,区市,年级,联系电话,项目组,推荐教师1,推荐教师2,申报日期\n\
        张伟,男,青岛二中,市南区,高一,13812345678,数学,李明老师,王芳老师,2026-09-01\n\
        刘洋,女,青岛二中,市南区,高一,1381234,数学,李明老师,王芳老师,2026-09-01\n\
        陈静,女,\"青岛二中\n（本部）\",市南区,高一,13812345670,数学,李明老师,王芳老师,2026-09-01\n\
        \n\
        孙悦,未知,青岛九中,市北区,高一,13812345671,数学,李明老师,王芳老师,2026-09-01\n";
    for (ending, text) in [
        ("LF", text.to_string()),
        ("CR LF", text.replace('\n', "\r\n")),
        ("CR", text.replace('\n', "\r")),
    ] {
        let (dir, reg) = open();
        let path = write(dir.path(), "list.csv", text.as_bytes());
        let report = run(&reg, &path, Options::default());
        assert_eq!(report.rows, 4, "{ending}: {:?}", report.lines(Lang::En));
        // 陈静's school holds a line break: refused there, on line 4.
        assert_eq!(
            bad_lines(&report),
            vec![3, 4, 6],
            "{ending}: {:?}",
            report.lines(Lang::En)
        );
        let en = report.lines(Lang::En).join("\n");
        assert!(en.contains("line 3, column \"联系电话\""), "{ending}: {en}");
        assert!(en.contains("line 6, column \"性别\""), "{ending}: {en}");
    }
}

#[test]
fn group_names_as_the_plan_and_schools_write_them_are_taken() {
    let (dir, reg) = open();
    let written = [
        ("生物", ProjectId::Biology),
        ("生物学项目组", ProjectId::Biology),
        ("信息", ProjectId::Informatics),
        ("信息学组", ProjectId::Informatics),
        ("历史、哲学、古文字学", ProjectId::Humanities),
        ("古文字学", ProjectId::Humanities),
        ("哲学组", ProjectId::Humanities),
    ];
    let rows: Vec<Vec<String>> = written
        .iter()
        .enumerate()
        .map(|(i, (group, _))| {
            let mut row = good(&format!(
                "学生{}",
                ["甲", "乙", "丙", "丁", "戊", "己", "庚"][i]
            ));
            row[5] = format!("1381234567{i}");
            row[6] = group.to_string();
            row
        })
        .collect();
    let path = write(
        dir.path(),
        "groups.csv",
        csv_text(&HEADER, &rows).as_bytes(),
    );
    let report = run(&reg, &path, Options::default());
    assert!(report.written, "{:?}", report.lines(Lang::Zh));
    for p in [
        ProjectId::Biology,
        ProjectId::Informatics,
        ProjectId::Humanities,
    ] {
        let want = written.iter().filter(|(_, q)| *q == p).count();
        assert_eq!(reg.trainees(p).unwrap().len(), want, "{p:?}");
    }
}

#[test]
fn a_list_without_a_date_column_is_dated_the_day_of_the_import_and_says_so() {
    let (dir, reg) = open();
    let header = words("姓名 性别 所在学校 区市 年级 联系电话 项目组 推荐教师1 推荐教师2");
    let mut row = good("张伟");
    row.pop();
    let path = csv_file(dir.path(), "nodate.csv", &header, row.clone());
    let report = run(&reg, &path, Options::default());
    assert!(report.written, "{:?}", report.lines(Lang::En));
    let today = reg.today();
    assert_eq!(report.default_date, Some(today));
    let t = &reg.trainees(ProjectId::Math).unwrap()[0];
    assert_eq!(
        t.stage_date(qiangji::domain::TraineeStage::Applied),
        Some(today)
    );
    let zh = report.lines(Lang::Zh).join("\n");
    assert!(
        zh.contains(&format!("名单没有申报日期一列：各行的申报日期记为 {today}")),
        "{zh}"
    );
    let en = report.lines(Lang::En).join("\n");
    assert!(
        en.contains(&format!(
            "no application-date column: every row is dated {today}"
        )),
        "{en}"
    );

    // --date gives another day; one after today is refused whole.
    let mut row = good("刘洋");
    row.pop();
    let path = csv_file(dir.path(), "nodate2.csv", &header, row);
    let day = chrono::NaiveDate::from_ymd_opt(2026, 9, 15).unwrap();
    let report = run(
        &reg,
        &path,
        Options {
            date: Some(day),
            ..Options::default()
        },
    );
    assert!(report.written, "{:?}", report.lines(Lang::En));
    assert!(
        report
            .lines(Lang::En)
            .join("\n")
            .contains("dated 2026-09-15")
    );
    let future = today + chrono::Duration::days(1);
    let e = import::run(
        &reg,
        &admin(),
        &path,
        Options {
            date: Some(future),
            ..Options::default()
        },
    )
    .unwrap_err();
    assert!(
        e.localized(Lang::En).contains("is after today"),
        "{}",
        e.localized(Lang::En)
    );
}

#[test]
fn a_row_like_a_recorded_trainee_is_imported_with_the_forms_warning() {
    let (dir, reg) = open();
    let path = write(
        dir.path(),
        "first.csv",
        csv_text(&HEADER, &[good("张伟")]).as_bytes(),
    );
    assert!(run(&reg, &path, Options::default()).written);
    // The same student for physics (same name and school), and another
    // student with 张伟's phone.
    let mut physics = good("张伟");
    physics[6] = "物理".into();
    let mut phone = good("刘洋");
    phone[2] = "青岛九中".into();
    let mut other = good("陈静");
    other[5] = "13900001111".into();
    let path = write(
        dir.path(),
        "second.csv",
        csv_text(&HEADER, &[physics, phone, other]).as_bytes(),
    );
    let dry = run(
        &reg,
        &path,
        Options {
            dry_run: true,
            ..Options::default()
        },
    );
    let lines: Vec<usize> = dry.warnings.iter().map(|(l, _)| *l).collect();
    assert_eq!(lines, vec![2, 3], "{:?}", dry.lines(Lang::Zh));
    let zh = dry.lines(Lang::Zh).join("\n");
    assert!(
        zh.contains("第 2 行：注意：已有同名同校学员 张伟（青岛二中，数学组"),
        "{zh}"
    );
    assert!(
        zh.contains("第 3 行：注意：联系电话与已有学员 张伟（青岛二中，数学组"),
        "{zh}"
    );
    let en = dry.lines(Lang::En).join("\n");
    assert!(
        en.contains("line 2: note: a trainee 张伟 of 青岛二中 already exists"),
        "{en}"
    );
    assert!(
        en.contains("line 3: note: the phone number is that of the trainee 张伟"),
        "{en}"
    );
    // Warned, not refused: the rows are imported.
    let report = run(&reg, &path, Options::default());
    assert!(report.written && report.create.len() == 3);
    assert_eq!(report.warnings.len(), 2);
}

#[test]
fn the_cli_dates_a_list_without_dates_by_date() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    drop(Registry::open(&db, true).unwrap());
    let db = db.to_str().unwrap();
    let header = words("姓名 性别 所在学校 区市 年级 联系电话 项目组 推荐教师1 推荐教师2");
    let mut row = good("张伟");
    row.pop();
    let list = csv_file(dir.path(), "nodate.csv", &header, row);
    let list = list.to_str().unwrap();
    let out = qiangji(&[
        "import",
        "applications",
        list,
        "--db",
        db,
        "--dry-run",
        "--date",
        "2026/9/1",
    ]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("各行的申报日期记为 2026-09-01"), "{text}");
    let out = qiangji(&[
        "import",
        "applications",
        list,
        "--db",
        db,
        "--date",
        "someday",
    ]);
    assert_eq!(
        out.status.code(),
        Some(64),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
