//! The ledger from the command line: the quick check in each format, the
//! hledger journal checked by hledger itself, and the Excel workbook read back.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use calamine::{Data, Reader, Xlsx};

use crate::common;

use common::process::{demo_db as demo, lossy as text, qiangji, qiangji_line};
use common::tools;

/// `qiangji ledger --format json`, as (holder, fund, year) -> balance in fen.
fn balances(db: &str, extra: &[&str]) -> Vec<serde_json::Value> {
    let mut args = vec!["ledger", "--db", db, "--format", "json"];
    args.extend_from_slice(extra);
    let out = qiangji(&args);
    assert!(out.status.success(), "ledger: {}", text(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("ledger JSON")
}

#[test]
fn the_quick_check_answers_for_one_group_in_one_command() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(dir.path());

    let rows = balances(&db, &["--project", "math", "--year", "2026"]);
    assert!(!rows.is_empty());
    for r in &rows {
        assert_eq!(r["project"], "math");
        assert_eq!(r["year"], 2026);
        assert!(r.get("school").is_none());
        let (a, s, b) = (
            r["allocated_fen"].as_i64().unwrap(),
            r["spent_fen"].as_i64().unwrap(),
            r["balance_fen"].as_i64().unwrap(),
        );
        assert_eq!(a - s, b);
        assert!(b >= 0);
    }
    let daily = rows.iter().find(|r| r["account"] == "daily").unwrap();

    // The table says the same in yuan, in Chinese by default.
    let out = qiangji(&["ledger", "--db", &db, "--project", "math", "--year", "2026"]);
    assert!(out.status.success());
    let table = text(&out.stdout);
    let yuan = qiangji::domain::Money(daily["balance_fen"].as_i64().unwrap()).display();
    assert!(
        table.contains("数学组") && table.contains("日常培养经费"),
        "{table}"
    );
    assert!(table.contains(&yuan), "{table} lacks {yuan}");
    assert!(table.lines().last().unwrap().starts_with("合计"), "{table}");

    let out = qiangji(&["--lang", "en", "ledger", "--db", &db, "--project", "math"]);
    let table = text(&out.stdout);
    assert!(table.starts_with("Group / school"), "{table}");
    assert!(table.contains("Mathematics group"), "{table}");

    // CSV for Excel: BOM, Chinese headers, amounts in yuan.
    let out = qiangji(&["ledger", "--db", &db, "--format", "csv"]);
    let csv = text(&out.stdout);
    assert!(
        csv.starts_with("\u{feff}项目组/基地校,年度,经费,拨入,支出,余额"),
        "{csv}"
    );
}

/// Without `--year` the ledger is this year's, with a total per fund: a
/// daily fund's money, a reward fund's and a base school's are never added
/// into one "total" (it once said ¥453,512.66 while ¥234,012.66 could be
/// spent this year). `--year all` is the whole history.
#[test]
fn the_ledger_is_this_years_by_default_with_a_total_per_fund() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(dir.path());
    let this_year = {
        let at = qiangji::registry::shanghai(chrono::Utc::now());
        chrono::Datelike::year(&at)
    };
    let now = balances(&db, &[]);
    let all = balances(&db, &["--year", "all"]);
    assert!(now.iter().all(|r| r["year"] == this_year), "{now:#?}");
    assert!(
        all.iter().any(|r| r["year"] != this_year),
        "the demo has earlier years"
    );
    assert_eq!(
        now.len(),
        all.iter().filter(|r| r["year"] == this_year).count()
    );
    for (lang, total) in [("zh", "合计"), ("en", "Total")] {
        for year in [None, Some("all")] {
            let mut args = vec!["--lang", lang, "ledger", "--db", &db];
            if let Some(y) = year {
                args.extend(["--year", y]);
            }
            let out = qiangji(&args);
            common::process::assert_ran(&out);
            let table = text(&out.stdout);
            let rows = if year.is_some() { &all } else { &now };
            let mut funds: Vec<&str> = rows
                .iter()
                .map(|r| r["account"].as_str().unwrap())
                .collect();
            funds.sort();
            funds.dedup();
            let totals: Vec<&str> = table.lines().filter(|l| l.starts_with(total)).collect();
            assert_eq!(totals.len(), funds.len(), "one total per fund:\n{table}");
            // Each fund's total is that fund's balance, in yuan.
            for fund in funds {
                let fen: i64 = rows
                    .iter()
                    .filter(|r| r["account"] == fund)
                    .map(|r| r["balance_fen"].as_i64().unwrap())
                    .sum();
                let yuan = qiangji::domain::Money(fen).display();
                assert!(
                    totals.iter().any(|l| l.ends_with(&yuan)),
                    "{fund} {yuan}:\n{table}"
                );
            }
        }
    }
    let out = qiangji(&["--lang", "en", "ledger", "--db", &db, "--year", "twenty"]);
    assert_eq!(out.status.code(), Some(64), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("all"), "{}", text(&out.stderr));
}

#[test]
fn a_school_is_named_by_id_or_name_and_an_unknown_one_is_explained() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(dir.path());
    let all = balances(&db, &["--year", "all"]);
    let school = all.iter().find(|r| r.get("school").is_some()).unwrap();
    let id = school["school"].as_u64().unwrap().to_string();
    let name = school["school_name"].as_str().unwrap().to_string();
    for wanted in [&id, &name] {
        let rows = balances(&db, &["--school", wanted, "--year", "all"]);
        assert!(!rows.is_empty());
        assert!(
            rows.iter()
                .all(|r| r["school"].as_u64().unwrap().to_string() == id)
        );
        assert!(rows.iter().all(|r| r["account"] == "base"));
    }
    let out = qiangji(&["ledger", "--db", &db, "--school", "不存在中学"]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains("没有这所基地校") && err.contains(&name),
        "{err}"
    );
}

/// hledger's own balance of every asset account, in fen.
/// None (after saying why) where hledger cannot run outside CI.
fn hledger_balances(journal: &Path, assets: &str) -> Option<BTreeMap<String, i64>> {
    if !tools::available(
        "hledger",
        &["--version"],
        "the journal's balances in hledger",
    ) {
        return None;
    }
    let out = match Command::new("hledger")
        .arg("-f")
        .arg(journal)
        .args([
            "bal",
            "--strict",
            "--flat",
            "--no-total",
            "-O",
            "csv",
            assets,
        ])
        .output()
    {
        Ok(out) => out,
        Err(e) => panic!("hledger ran for --version but not now: {e}"),
    };
    assert!(
        out.status.success(),
        "hledger refused the journal: {}",
        text(&out.stderr)
    );
    let mut map = BTreeMap::new();
    for line in text(&out.stdout).lines().skip(1) {
        let cells: Vec<&str> = line.split("\",\"").collect();
        let account = cells[0].trim_matches('"').to_string();
        let amount = cells[1].trim_matches('"').trim_end_matches(" CNY");
        let fen = qiangji::domain::Money::parse(amount.trim_start_matches('-'))
            .unwrap_or_else(|e| panic!("{amount}: {e:?}"))
            .fen();
        map.insert(account, if amount.starts_with('-') { -fen } else { fen });
    }
    Some(map)
}

#[test]
fn hledger_reads_the_journal_and_agrees_on_every_balance() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(dir.path());
    let ours = balances(&db, &["--year", "all"]);
    for (lang, assets, schools) in [("zh", "资产", "基地校"), ("en", "assets", "base schools")]
    {
        let journal = dir.path().join(format!("{lang}.journal"));
        let out = qiangji(&[
            "--lang",
            lang,
            "ledger",
            "--db",
            &db,
            "--format",
            "hledger",
            "--year",
            "all",
            "-o",
            journal.to_str().unwrap(),
        ]);
        common::process::assert_ran(&out);
        let Some(theirs) = hledger_balances(&journal, assets) else {
            return;
        };
        // Accounts whose balance is zero are left out by hledger.
        let nonzero: Vec<_> = ours.iter().filter(|r| r["balance_fen"] != 0).collect();
        assert_eq!(theirs.len(), nonzero.len(), "{theirs:#?}");
        for r in nonzero {
            let year = r["year"].to_string();
            let fen = r["balance_fen"].as_i64().unwrap();
            let holder = match r.get("school_name") {
                Some(name) => format!("{schools}:{}", name.as_str().unwrap()),
                None => String::new(),
            };
            let found = theirs.iter().find(|(account, balance)| {
                account.ends_with(&format!(":{year}"))
                    && account.contains(&holder)
                    && **balance == fen
            });
            assert!(found.is_some(), "no hledger account for {r} in {theirs:#?}");
        }
    }
}

#[test]
fn the_workbook_has_a_summary_and_a_sheet_per_account_with_totals() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(dir.path());
    let ours = balances(&db, &["--project", "physics", "--year", "all"]);
    let file = dir.path().join("台账.xlsx");
    let out = qiangji_line(&format!(
        "export ledger --db {db} --project physics --format xlsx -o {}",
        file.display()
    ));
    common::process::assert_ran(&out);
    let mut book: Xlsx<_> = calamine::open_workbook(&file).expect("a readable workbook");
    let names = book.sheet_names();
    assert_eq!(names.len(), ours.len() + 1, "{names:?}");
    assert_eq!(names[0], "汇总");
    for r in &ours {
        let year = r["year"].to_string();
        let fund = if r["account"] == "daily" {
            "日常培养经费"
        } else {
            "项目奖励经费"
        };
        let name = format!("物理组 {fund} {year}");
        let sheet = book.worksheet_range(&name).expect("a sheet per account");
        let last = sheet.rows().next_back().unwrap();
        assert_eq!(last[0], Data::String("合计".into()), "{name}");
        let balance = match &last[7] {
            Data::Float(f) => (f * 100.0).round() as i64,
            other => panic!("{name}: balance cell {other:?}"),
        };
        assert_eq!(balance, r["balance_fen"].as_i64().unwrap(), "{name}");
    }

    // A terminal is not a place for a binary file; other kinds get one sheet.
    let trainees = dir.path().join("trainees.xlsx");
    let out = qiangji_line(&format!(
        "export trainees --db {db} --format xlsx -o {}",
        trainees.display()
    ));
    assert!(out.status.success());
    let mut book: Xlsx<_> = calamine::open_workbook(&trainees).unwrap();
    let sheet = book.worksheet_range("学员").unwrap();
    assert_eq!(sheet.rows().next().unwrap()[0], Data::String("编号".into()));
    assert!(sheet.rows().count() > 300);
}
