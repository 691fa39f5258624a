//! `qiangji rollover`: balances carried or returned as recorded entries,
//! ended terms closed, enrolled trainees untouched; twice does nothing.

use crate::common;

use qiangji::domain::{Account, CoachRole, CoachStage, Money, ProjectId, TraineeStage};
use qiangji::i18n::Lang;
use qiangji::registry::Registry;
use qiangji::rollover::{self, DailyBalance};

fn demo() -> (tempfile::TempDir, Registry) {
    let (dir, reg) = common::open();
    qiangji::demo::generate(&reg, qiangji::demo::Scale::City, 2026).unwrap();
    (dir, reg)
}

fn enrolled(reg: &Registry) -> Vec<u64> {
    ProjectId::ALL
        .into_iter()
        .flat_map(|p| reg.trainees(p).unwrap())
        .filter(|t| t.stage == TraineeStage::Enrolled)
        .map(|t| t.id)
        .collect()
}

#[test]
fn carry_moves_each_balance_into_the_new_year_and_twice_does_nothing() {
    let (_dir, reg) = demo();
    // An appointment whose term ends in 2026.
    let person = common::add_person(
        &reg,
        common::person("期满者", ProjectId::Chemistry, CoachRole::Assistant),
    );
    let c = common::ok(
        &reg,
        &common::admin(),
        qiangji::registry::Command::Nominate {
            date: common::d("2025-08-01"),
            person,
            project: ProjectId::Chemistry,
            role: CoachRole::Assistant,
            term_start: common::d("2025-09-01"),
            term_years: 1,
        },
    )
    .id;
    let before: Vec<(ProjectId, Money)> = ProjectId::ALL
        .into_iter()
        .map(|p| (p, reg.balance(&Account::daily(p, 2026)).unwrap().balance()))
        .collect();
    assert!(before.iter().any(|(_, m)| m.fen() > 0));
    let trainees = enrolled(&reg);
    let report = rollover::run(&reg, &common::admin(), 2027, DailyBalance::Carry).unwrap();
    assert!(!report.nothing_to_do());
    for (p, m) in &before {
        assert_eq!(
            reg.balance(&Account::daily(*p, 2026)).unwrap().balance(),
            Money(0),
            "{p}"
        );
        assert_eq!(
            reg.balance(&Account::daily(*p, 2027)).unwrap().balance(),
            *m,
            "{p}"
        );
        // Recorded entries, with the voucher; last year's entries are all still there.
        let old = reg.entries(&Account::daily(*p, 2026)).unwrap();
        if m.fen() > 0 {
            assert!(
                old.iter()
                    .any(|e| e.voucher == "ROLLOVER-2027" && e.amount == *m)
            );
        }
    }
    let coach = reg.coach(c).unwrap().unwrap();
    assert!(coach.term_end < common::d("2026-12-31"));
    assert_eq!(
        coach.stage,
        CoachStage::Ended,
        "a term that ended is closed"
    );
    assert!(report.closed_terms.contains(&(ProjectId::Chemistry, c)));
    assert_eq!(enrolled(&reg), trainees, "enrolled trainees carry on");
    common::assert_consistent(&reg);
    let zh = report.lines(Lang::Zh);
    assert!(zh[0].starts_with("已从 2026 年结转到 2027 年"), "{zh:?}");
    assert!(report.lines(Lang::En)[0].starts_with("rolled over from 2026 to 2027"));

    let audit = reg.audit().count();
    let again = rollover::run(&reg, &common::admin(), 2027, DailyBalance::Carry).unwrap();
    assert!(again.nothing_to_do(), "{:?}", again);
    assert_eq!(reg.audit().count(), audit);
    assert_eq!(
        again.lines(Lang::Zh)[0],
        "2026 年已结转到 2027 年，无需再做"
    );
    assert_eq!(
        again.lines(Lang::En)[0],
        "2026 has already been rolled over to 2027; nothing to do"
    );
    common::assert_consistent(&reg);
}

#[test]
fn return_gives_the_balance_back_and_opens_nothing() {
    let (_dir, reg) = demo();
    let math = reg
        .balance(&Account::daily(ProjectId::Math, 2026))
        .unwrap()
        .balance();
    assert!(math.fen() > 0);
    let report = rollover::run(&reg, &common::admin(), 2027, DailyBalance::Return).unwrap();
    assert!(report.balances.contains(&(ProjectId::Math, math)));
    assert_eq!(
        reg.balance(&Account::daily(ProjectId::Math, 2026))
            .unwrap()
            .balance(),
        Money(0)
    );
    assert_eq!(
        reg.balance(&Account::daily(ProjectId::Math, 2027))
            .unwrap()
            .entries,
        0
    );
    let e = reg.entries(&Account::daily(ProjectId::Math, 2026)).unwrap();
    let back = e.iter().find(|e| e.voucher == "ROLLOVER-2027").unwrap();
    assert_eq!((back.category.as_str(), back.amount), ("结余退回", math));
    assert!(
        rollover::run(&reg, &common::admin(), 2027, DailyBalance::Carry)
            .unwrap()
            .nothing_to_do()
    );
    common::assert_consistent(&reg);
}

#[test]
fn the_cli_rolls_over_and_check_passes() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let db = db.to_str().unwrap();
    let q = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_qiangji"))
            .args(args)
            .env_remove("QIANGJI_LANG")
            .env_remove("QIANGJI_DB")
            .output()
            .unwrap()
    };
    assert!(q(&["demo", "--db", db]).status.success());
    let year: i32 = chrono::Datelike::year(&chrono::Utc::now().date_naive());
    let to = (year + 1).to_string();
    let out = q(&["rollover", "--to", &to, "--db", db, "--lang", "en"]);
    common::process::assert_ran(&out);
    assert!(
        String::from_utf8_lossy(&out.stdout)
            .starts_with(&format!("rolled over from {year} to {to}"))
    );
    let out = q(&["rollover", "--to", &to, "--db", db, "--lang", "en"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("nothing to do"));
    common::process::assert_checks(db);
    let out = q(&["rollover", "--to", "1990", "--db", db]);
    assert_eq!(out.status.code(), Some(64));
}
