//! Bad input that an adversarial run got accepted (issue 9, points 5-8, 12,
//! 13): each test starts from what was seen, and checks that the registry now
//! refuses it with a message in one language at a time, or that what an older
//! database already holds leaves every export neutralised.

use crate::common;

use common::process::qiangji;

use common::*;
use qiangji::domain::text::TextError;
use qiangji::domain::{
    Account, Actor, CoachRole, Entry, EntryKind, Money, ProjectId, Stamp, TraineeKind, TraineeStage,
};
use qiangji::i18n::{Lang, Localized};
use qiangji::registry::{Command, Movement, Registry, RegistryError};
use qiangji::store::{Tree, keys};

use ProjectId::Math;
use TraineeKind::Student;

/// Neither message of a refusal mixes the two languages: the Chinese one
/// has no English word in it, the English one no Chinese character.
fn assert_one_language(e: &RegistryError) {
    // What the user typed, quoted, may be in either language.
    let unquoted = |s: String| -> String {
        let mut out = String::new();
        let mut quoted = false;
        for c in s.chars() {
            match c {
                '“' | '”' | '"' => quoted = !quoted,
                c if !quoted => out.push(c),
                _ => {}
            }
        }
        out
    };
    let zh = unquoted(e.localized(Lang::Zh));
    let en = unquoted(e.localized(Lang::En));
    let cjk = |c: char| ('\u{4E00}'..='\u{9FFF}').contains(&c) || "：，（）“”；".contains(c);
    assert!(!en.chars().any(cjk), "English message has Chinese: {en:?}");
    // English words of three letters or more (amounts, dates and codes are fine).
    let words: Vec<&str> = zh
        .split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| w.len() >= 3 && *w != "qiangji" && *w != "check")
        .collect();
    assert!(words.is_empty(), "Chinese message has English: {zh:?}");
}

fn apply_named(reg: &Registry, name: &str) -> Result<qiangji::registry::Event, RegistryError> {
    reg.apply(&admin(), Command::Apply(application(Student, name, Math)))
}

// ------------------------------------------------------------ point 5

const SPOOFED: &str = "\u{1b}]0;PWNED\u{7}\u{1b}[31m";

#[test]
fn a_spoofed_user_name_is_never_stored() {
    let (_dir, reg) = open();
    // An actor carrying the raw name is refused before anything is written.
    let e = refused(reg.apply(
        &Actor::admin(SPOOFED),
        Command::Apply(application(Student, "陈思远", Math)),
    ));
    assert_matches!(e, RegistryError::BadLogin { .. });
    for lang in [Lang::Zh, Lang::En] {
        let m = e.localized(lang);
        assert!(!m.chars().any(char::is_control), "{m:?}");
    }
    assert_one_language(&e);
    assert_eq!(reg.audit().count(), 0);

    // `$USER` is turned into a safe login, which is what the audit keeps.
    let local = Actor::from_os_login(Some(SPOOFED));
    ok(
        &reg,
        &local,
        Command::Apply(application(Student, "陈思远", Math)),
    );
    let entry = reg.audit().next().unwrap().unwrap();
    assert_eq!(entry.actor, "0_PWNED___31m");
    let t = reg.trainees(Math).unwrap().pop().unwrap();
    assert_eq!(t.stamp.updated_by, "0_PWNED___31m");

    // AddUser takes the same rule.
    let e = refused(reg.apply(
        &admin(),
        Command::AddUser {
            login: "wang\u{1b}".into(),
            display_name: "王".into(),
            role: qiangji::domain::Role::Finance,
            keys: Vec::new(),
        },
    ));
    assert_matches!(e, RegistryError::Text(_) | RegistryError::BadLogin { .. });
}

/// An older database (or one restored from elsewhere) written before the
/// validators: its text is rewritten here behind the registry's back.
fn poisoned_database() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let reg = open_at(&db);
    let id = trainee_at(&reg, Student, Math, "陈思远", TraineeStage::Applied);
    let school = school(&reg, "青岛第二中学", vec![Math], true);
    book(&reg, Account::daily(Math, 2026), Movement::Allocation, 500);
    book(&reg, Account::base(school, 2026), Movement::Allocation, 80);
    let mut t = trainee(&reg, id);
    t.name = format!("{SPOOFED}=HYPERLINK(\"http://evil\")");
    t.home_school = "=HYPERLINK(\"http://evil\",\"点我\")".into();
    t.grade = "@SUM(1+1)*cmd|' /C calc'!A0".into();
    t.phone = "+1-2".into();
    t.district = "\tcmd".into();
    t.recommenders = vec!["-2+3".into(), "a\u{9b}31mb\u{202E}c".into()];
    t.stamp.updated_by = SPOOFED.into();
    let mut s = reg.school(school).unwrap().unwrap();
    s.application.name = format!("\u{1b}]0;X\u{7}二中{SPOOFED}");
    reg.store()
        .transaction(|tx| {
            tx.put::<_, RegistryError>(Tree::Trainees, &keys::id(id), &t)?;
            tx.put::<_, RegistryError>(Tree::Schools, &keys::id(school), &s)
        })
        .map_err(|_| "write")
        .unwrap();
    reg.store().flush().unwrap();
    drop(reg);
    (dir, db)
}

/// No character of `text` may reach a terminal raw, other than the line
/// breaks between records.
fn assert_no_unsafe(what: &str, text: &str) {
    for c in text.chars() {
        assert!(
            c == '\n' || !qiangji::domain::chars::is_unsafe(c),
            "{what}: raw U+{:04X} in {text:?}",
            c as u32
        );
    }
}

fn assert_safe_cells(what: &str, rows: &[Vec<String>]) {
    for row in rows {
        for cell in row {
            assert_no_unsafe(what, cell);
            assert!(cell.chars().all(|c| c != '\n'), "{what}: {cell:?}");
            let plain_number = cell.trim_start_matches('-').parse::<f64>().is_ok();
            assert!(
                plain_number || !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "{what}: formula cell {cell:?}"
            );
        }
    }
}

fn csv_rows(bytes: &[u8]) -> Vec<Vec<String>> {
    let text = String::from_utf8(bytes.to_vec()).unwrap();
    let text = text.trim_start_matches('\u{feff}');
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

#[test]
fn every_export_neutralises_control_characters_and_formula_cells() {
    let (dir, db) = poisoned_database();
    let db = db.to_str().unwrap();

    for kind in ["trainees", "schools", "ledger", "audit", "coaches"] {
        let out = qiangji(&["export", kind, "--db", db, "--format", "csv"]);
        assert!(
            out.status.success(),
            "{kind}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let rows = csv_rows(&out.stdout);
        assert!(rows.len() > 1 || kind == "coaches", "{kind}: {rows:?}");
        assert_safe_cells(&format!("{kind} csv"), &rows);
    }
    // The formula cells of the issue are there, as text.
    let out = qiangji(&["export", "trainees", "--db", db, "--format", "csv"]);
    let rows = csv_rows(&out.stdout);
    let row = &rows[1];
    assert!(row.contains(&"'+1-2".to_string()), "{row:?}");
    assert!(
        row.contains(&"'@SUM(1+1)*cmd|' /C calc'!A0".to_string()),
        "{row:?}"
    );
    assert!(row.iter().any(|c| c.starts_with("'=HYPERLINK")), "{row:?}");
    assert!(
        row.iter()
            .any(|c| c.starts_with('\u{FFFD}') && c.contains("PWNED")),
        "{row:?}"
    );

    // JSON keeps every character, escaped: nothing raw, nothing lost.
    for kind in ["trainees", "schools", "audit"] {
        let out = qiangji(&["export", kind, "--db", db, "--format", "json"]);
        assert!(out.status.success());
        let text = String::from_utf8(out.stdout).unwrap();
        assert_no_unsafe(&format!("{kind} json"), &text);
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        if kind == "trainees" {
            assert!(v[0]["name"].as_str().unwrap().starts_with(SPOOFED));
            assert_eq!(v[0]["phone"], "+1-2");
        }
    }

    // The ledger's formats and the quick check's table.
    for format in ["table", "csv", "json", "hledger"] {
        let out = qiangji(&["ledger", "--db", db, "--format", format]);
        assert!(
            out.status.success(),
            "{format}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8(out.stdout).unwrap();
        // The CSV's byte-order mark is for Excel, on purpose.
        let text = text.trim_start_matches('\u{feff}');
        assert_no_unsafe(&format!("ledger {format}"), text);
        assert!(text.contains("二中"), "{format}: {text}");
        if format == "csv" {
            assert_safe_cells("ledger csv", &csv_rows(text.as_bytes()));
        }
    }

    // xlsx string cells, read back.
    use calamine::Reader as _;
    for kind in ["trainees", "ledger"] {
        let file = dir.path().join(format!("{kind}.xlsx"));
        let out = qiangji(&[
            "export",
            kind,
            "--db",
            db,
            "--format",
            "xlsx",
            "-o",
            file.to_str().unwrap(),
        ]);
        common::process::assert_ran(&out);
        let mut book: calamine::Xlsx<_> = calamine::open_workbook(&file).unwrap();
        let names = book.sheet_names().to_vec();
        for name in names {
            assert_no_unsafe("sheet name", &name);
            let range = book.worksheet_range(&name).unwrap();
            let rows: Vec<Vec<String>> = range
                .rows()
                .map(|r| r.iter().map(|c| c.to_string()).collect())
                .collect();
            assert_safe_cells(&format!("{kind} xlsx {name}"), &rows);
        }
    }

    // check's own output.
    let out = qiangji(&["check", "--db", db]);
    assert_no_unsafe("check", &String::from_utf8_lossy(&out.stdout));
}

// ------------------------------------------------------------ point 6

#[test]
fn names_that_begin_like_a_formula_are_refused_at_input() {
    let (_dir, reg) = open();
    for (name, first) in [
        ("=HYPERLINK(\"http://evil\")", '='),
        ("@SUM(1+1)*cmd|' /C calc'!A0", '@'),
        ("+陈思远", '+'),
        ("-陈思远", '-'),
    ] {
        let e = refused(apply_named(&reg, name));
        assert!(
            matches!(&e, RegistryError::Text(TextError::FormulaStart { first: f, .. }) if *f == first),
            "{name}: {e:?}"
        );
        assert_says(&e, &["姓名", "公式"], &["name", "formula"]);
        assert_one_language(&e);
    }
    let mut input = application(Student, "陈思远", Math);
    input.home_school = "=cmd".into();
    let e = refused(reg.apply(&admin(), Command::Apply(input)));
    assert_says(&e, &["所在学校"], &["home school"]);
    // Coaches and base schools go through the same validator.
    let e = refused(reg.apply(
        &admin(),
        Command::AddPerson(person("=王老师", Math, CoachRole::Coach)),
    ));
    assert_says(&e, &["姓名", "公式"], &["name", "formula"]);
    let mut app = school_application("@二中", vec![Math]);
    app.chief_coach.name = "张三".into();
    let e = refused(reg.apply(&admin(), Command::ApplySchool(app)));
    assert_says(&e, &["学校名称", "公式"], &["school", "formula"]);
    assert!(reg.trainees(Math).unwrap().is_empty());
}

#[test]
fn a_phone_is_a_mobile_or_a_landline_with_its_area_code() {
    let (_dir, reg) = open();
    let with_phone = |phone: &str| {
        let mut input = application(Student, "陈思远", Math);
        input.phone = phone.into();
        reg.apply(&admin(), Command::Apply(input))
    };
    for bad in ["+1-2", "=1+1", "138", "call me"] {
        let e = refused(with_phone(bad));
        assert!(matches!(e, RegistryError::Phone(_)), "{bad}: {e:?}");
        assert_one_language(&e);
    }
    // Point 12: a 23-digit phone is told it is too long, not "digits only".
    let e = refused(with_phone("12345678901234567890123"));
    assert_says(&e, &["23 位数字", "太长"], &["23 digits", "too long"]);
    assert!(!e.localized(Lang::En).contains("digits only"));
    assert_one_language(&e);
    for ok_phone in ["13812345678", "0532-88886666", "053288886666", ""] {
        ok(&reg, &admin(), {
            let mut input = application(Student, "陈思远", Math);
            input.phone = ok_phone.into();
            Command::Apply(input)
        });
    }
    // A coach's phone is checked by the same validator.
    let mut p = person("王老师", Math, CoachRole::Coach);
    p.phone = "+1-2".into();
    let e = refused(reg.apply(&admin(), Command::AddPerson(p)));
    assert_matches!(e, RegistryError::Phone(_));
}

// ------------------------------------------------------------ point 7

#[test]
fn an_entry_above_the_ceiling_is_refused() {
    let (_dir, reg) = open();
    let account = Account::daily(Math, 2026);
    // The allocation: 90000000000000000 (yuan).
    assert!(Money::parse("90000000000000000").is_err());
    let huge = Money(9_000_000_000_000_000_000);
    let e = refused(reg.apply(&admin(), entry(account, Movement::Allocation, huge)));
    assert_matches!(e, RegistryError::AmountTooLarge { .. });
    assert_says(&e, &["单笔上限", "¥100,000,000.00"], &["¥100,000,000.00"]);
    assert_one_language(&e);
    ok(
        &reg,
        &admin(),
        entry(account, Movement::Allocation, Money::MAX_ENTRY),
    );
    let e = refused(reg.apply(
        &admin(),
        entry(account, Movement::Allocation, Money(Money::MAX_ENTRY.0 + 1)),
    ));
    assert_matches!(e, RegistryError::AmountTooLarge { .. });
    // A plan's budget line has the same ceiling.
    let e = refused(reg.apply(
        &admin(),
        Command::SetPlan {
            project: Math,
            year: 2026,
            version: None,
            goals: String::new(),
            targets: Vec::new(),
            budget: vec![("课酬".into(), Money(i64::MAX))],
            attainment: String::new(),
            amendment: String::new(),
        },
    ));
    assert_matches!(e, RegistryError::AmountTooLarge { .. });
    assert_consistent(&reg);
}

/// Two allocations of ¥90,000,000,000,000,000 as the old code accepted them,
/// in two accounts, written behind the registry's back.
fn overflowing_database() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let reg = open_at(&db);
    // One real command first, so the database is an ordinary one with an
    // acknowledged audit entry.
    book(
        &reg,
        Account::daily(ProjectId::Chemistry, 2026),
        Movement::Allocation,
        1,
    );
    for project in [Math, ProjectId::Physics] {
        let account = Account::daily(project, 2026);
        let id = reg.store().generate_id().unwrap();
        let e = Entry {
            id,
            account,
            date: d("2026-03-01"),
            kind: EntryKind::Allocation,
            amount: Money(9_000_000_000_000_000_000),
            category: "拨款".into(),
            voucher: String::new(),
            payee: String::new(),
            note: String::new(),
            recorded_by: "old".into(),
            stamp: Stamp::new(now(), "old"),
        };
        let b = qiangji::domain::Balance {
            allocated: e.amount,
            spent: Money::ZERO,
            live_allocations: 1,
            entries: 1,
        };
        reg.store()
            .transaction(|tx| {
                tx.append::<_, RegistryError>(Tree::Entries, id, &e)?;
                tx.post::<RegistryError>(&keys::entries_of_account(&account), id)?;
                tx.put::<_, RegistryError>(Tree::Balances, &keys::account(&account), &b)
            })
            .map_err(|_| "write")
            .unwrap();
    }
    reg.store().flush().unwrap();
    drop(reg);
    (dir, db)
}

#[test]
fn overflowing_totals_are_found_by_check_and_never_printed_wrapped() {
    let (_dir, db) = overflowing_database();
    let db = db.to_str().unwrap();
    let out = qiangji(&["--lang", "en", "ledger", "--db", db]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_ne!(out.status.code(), Some(0), "{stdout}");
    assert!(!stdout.contains("-¥"), "a wrapped total: {stdout}");
    assert!(stderr.contains("run qiangji check"), "{stderr}");
    let out = qiangji(&["ledger", "--db", db, "--format", "csv"]);
    assert!(out.status.success(), "per-account lines need no total");

    let out = qiangji(&["--lang", "en", "check", "--db", db]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_ne!(out.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains("the total allocated of all accounts overflows"),
        "{stdout}"
    );
    assert!(
        stdout.contains("is not between 0 and the ceiling"),
        "{stdout}"
    );
    let out = qiangji(&["check", "--db", db]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("全部账户的拨入合计溢出"), "{stdout}");
}

// ------------------------------------------------------------ point 8

#[test]
fn an_entry_is_dated_in_its_accounts_year() {
    let (_dir, reg) = open();
    let account = Account::daily(Math, 2026);
    let dated = |date: &str| {
        let mut c = entry(account, Movement::Allocation, Money::from_yuan(100));
        if let Command::AddEntry { date: dt, .. } = &mut c {
            *dt = d(date);
        }
        c
    };
    for bad in ["0000-01-01", "9999-12-31", "2025-12-31", "2027-01-01"] {
        let e = refused(reg.apply(&admin(), dated(bad)));
        assert!(matches!(e, RegistryError::Date(_)), "{bad}: {e:?}");
        assert_says(
            &e,
            &[bad, "2026-01-01", "2026-12-31", "账户所属年度"],
            &[bad, "2026-01-01", "2026-12-31", "the account's year"],
        );
        assert_one_language(&e);
    }
    let first = ok(&reg, &admin(), dated("2026-01-01")).id;
    ok(&reg, &admin(), dated("2026-12-31"));
    // A reversal stays in its original's account, so in that year too.
    let e = refused(reg.apply(
        &admin(),
        Command::ReverseEntry {
            entry: first,
            date: d("9999-12-31"),
            note: String::new(),
        },
    ));
    assert_matches!(e, RegistryError::Date(_));
    assert_consistent(&reg);
}

#[test]
fn an_objection_lies_inside_its_announcement() {
    let (_dir, reg) = open();
    let id = trainee_at(&reg, Student, Math, "陈思远", TraineeStage::Announced);
    for bad in ["1900-01-01", "2026-09-13", "2026-09-19", "9999-12-31"] {
        let e = refused(reg.apply(&admin(), objection(&reg, id, bad, "成绩存疑")));
        assert!(matches!(e, RegistryError::Date(_)), "{bad}: {e:?}");
        assert_says(
            &e,
            &["异议日期", ANNOUNCE_START, ANNOUNCE_END, "公示期内"],
            &[
                "objection date",
                ANNOUNCE_START,
                ANNOUNCE_END,
                "announcement",
            ],
        );
        assert_one_language(&e);
    }
    for good in [ANNOUNCE_START, ANNOUNCE_END] {
        ok(&reg, &admin(), objection(&reg, id, good, "成绩存疑"));
    }
    assert_eq!(trainee(&reg, id).objections.len(), 2);
    assert_consistent(&reg);
}

#[test]
fn a_career_starts_between_1950_and_today() {
    let (_dir, reg) = open();
    for (teaching, coaching) in [
        ("9999-12-31", None),
        ("1949-12-31", None),
        ("2026-12-01", None),
        ("2000-09-01", Some("9999-12-31")),
    ] {
        let mut p = person("王老师", Math, CoachRole::Coach);
        p.teaching_since = d(teaching);
        p.coaching_since = coaching.map(d);
        let e = refused(reg.apply(&admin(), Command::AddPerson(p)));
        assert!(matches!(e, RegistryError::Date(_)), "{teaching}: {e:?}");
        assert_says(
            &e,
            &["1950-01-01", "2026-11-30"],
            &["1950-01-01", "2026-11-30"],
        );
        assert_one_language(&e);
    }
    let mut app = school_application("青岛第二中学", vec![Math]);
    app.chief_coach.work_start = d("9999-12-31");
    let e = refused(reg.apply(&admin(), Command::ApplySchool(app)));
    assert_says(&e, &["参加工作时间"], &["work start"]);
    let mut p = person("王老师", Math, CoachRole::Coach);
    p.teaching_since = d("2026-11-30");
    ok(&reg, &admin(), Command::AddPerson(p));
}

// ------------------------------------------------------------ point 12

#[test]
fn out_of_range_messages_are_in_one_language() {
    let (_dir, reg) = open();
    let mut input = application(Student, "陈思远", Math);
    input.district = "火星区".into();
    let e = refused(reg.apply(&admin(), Command::Apply(input)));
    // The refusal says what a district may be (issue 20): it used to say
    // only "区市：火星区 超出范围".
    assert_matches!(e, RegistryError::NotDistrict { .. });
    assert_eq!(
        e.localized(Lang::Zh),
        "区市：“火星区”不是青岛市的区市（应为 市南区、市北区、李沧区、崂山区、黄岛区、城阳区、即墨区、胶州市、平度市、莱西市 之一）"
    );
    assert_eq!(
        e.localized(Lang::En),
        "district: “火星区” is not one of Qingdao's ten districts and county-level cities; choose one from the list"
    );
    assert_one_language(&e);
    let e = RegistryError::TotalOverflow;
    assert_one_language(&e);
    // Filing a plan that was never submitted used to say "状态 status: 未提交 -> 备案".
    let e = refused(reg.apply(
        &admin(),
        Command::RecordFiling {
            project: Math,
            year: 2026,
            document: qiangji::domain::Document::Plan,
            date: d("2026-03-01"),
            filed: true,
        },
    ));
    assert_matches!(e, RegistryError::FilingOrder { .. });
    assert_says(
        &e,
        &["年度实施方案", "未提交"],
        &["implementation plan", "not submitted"],
    );
    assert_one_language(&e);
    let e = RegistryError::NotBetween {
        field: qiangji::domain::field::Field::Amount,
        value: "1.00".into(),
        min: "2".into(),
        max: "3".into(),
    };
    assert_one_language(&e);
}

/// Issue 20: every refusal of a number says its range, in both languages
/// (a year, a count of groups, a district used to say only "超出范围").
#[test]
fn a_refused_year_or_count_says_its_range() {
    let (_dir, reg) = open();
    let plan = |year| Command::SetPlan {
        project: Math,
        year,
        version: None,
        goals: String::new(),
        targets: Vec::new(),
        budget: Vec::new(),
        attainment: String::new(),
        amendment: String::new(),
    };
    for year in [1999, 2101, -5] {
        let e = refused(reg.apply(&admin(), plan(year)));
        assert_matches!(e, RegistryError::NotBetween { .. });
        assert_eq!(
            e.localized(Lang::Zh),
            format!("年度：{year} 超出范围（应在 2000 至 2100 之间）")
        );
        assert_eq!(
            e.localized(Lang::En),
            format!("year: {year} is outside the range 2000 to 2100")
        );
        assert_one_language(&e);
    }
    ok(&reg, &admin(), plan(2100));
    // A school applying for no group at all.
    let e = refused(reg.apply(
        &admin(),
        Command::ApplySchool(school_application("青岛第二中学", vec![])),
    ));
    assert_matches!(e, RegistryError::NotBetween { .. });
    assert_says(
        &e,
        &["申报项目：0 超出范围（应在 1 至 6 之间）"],
        &["groups applied for: 0 is outside the range 1 to 6"],
    );
    assert_one_language(&e);
}

// ------------------------------------------------------------ point 13

#[test]
fn invisible_characters_and_blank_looking_names_are_refused() {
    let (_dir, reg) = open();
    for name in [
        "陈\u{200B}思远",
        "陈\u{200F}思远",
        "陈\u{2060}思远",
        "\u{FEFF}陈思远",
        "陈\u{00AD}思远",
        "陈\u{034F}思远",
        "陈\u{061C}思远",
        "陈思远\u{E0041}\u{E007F}",
        "陈\u{2028}思远",
        "陈\u{FFF9}思远",
        "\u{115F}\u{3164}",
    ] {
        let e = refused(apply_named(&reg, name));
        assert!(
            matches!(&e, RegistryError::Text(TextError::Invisible { .. })),
            "{name:?}: {e:?}"
        );
        assert_says(&e, &["姓名", "不可见字符"], &["name", "invisible"]);
        assert_one_language(&e);
    }
    let e = refused(apply_named(&reg, "\u{0301}\u{0301}"));
    assert!(
        matches!(&e, RegistryError::Text(TextError::NoVisible { .. })),
        "{e:?}"
    );
    assert_says(&e, &["姓名", "可见"], &["name", "visible"]);
    // Notes are held to the same rule.
    let id = trainee_at(&reg, Student, Math, "陈思远", TraineeStage::Announced);
    let e = refused(reg.apply(
        &admin(),
        objection(&reg, id, ANNOUNCE_START, "成绩\u{2029}存疑"),
    ));
    assert!(
        matches!(&e, RegistryError::Text(TextError::Invisible { .. })),
        "{e:?}"
    );
    assert_eq!(reg.trainees(Math).unwrap().len(), 1);
}
