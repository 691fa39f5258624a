//! Store benchmarks: one durable command, opening the province database, and
//! every ledger balance at province scale (from the running balances, and
//! recomputed from the entries for comparison).
//!
//! The province database is built once (about two minutes) into
//! `target/bench-province-db`, or read from `QIANGJI_BENCH_PROVINCE`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;
use std::time::Duration;

use chrono::Datelike;
use criterion::{Criterion, criterion_group, criterion_main};
use qiangji::demo::{self, Scale};
use qiangji::domain::{Account, Actor, EntryKind, Money, ProjectId};
use qiangji::registry::{Command, Movement, Registry};

fn province_db() -> PathBuf {
    let dir = std::env::var_os("QIANGJI_BENCH_PROVINCE")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-province-db")
        });
    if !dir.join("db").exists() {
        eprintln!(
            "building the province database in {} (once)...",
            dir.display()
        );
        let registry = Registry::open_for_bulk(&dir).expect("create the bench database");
        demo::generate(&registry, Scale::Province, 2026).expect("province demo");
    }
    dir
}

fn durable_command(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let registry = Registry::open(dir.path(), true).expect("open");
    demo::generate(&registry, Scale::City, 7).expect("city demo");
    let actor = Actor::admin("bench");
    let account = Account::daily(ProjectId::Math, registry.today().year());
    let entry = |movement, amount, category: &str, voucher: &str, payee: &str| {
        let (category, voucher, payee) = (category.into(), voucher.into(), payee.into());
        Command::AddEntry {
            account,
            date: registry.today(),
            movement,
            amount,
            category,
            voucher,
            payee,
            note: String::new(),
        }
    };
    let funds = entry(
        Movement::Allocation,
        Money::from_yuan(10_000_000),
        "拨款",
        "",
        "",
    );
    registry.apply(&actor, funds).ok();
    c.bench_function("durable_command/expense", |b| {
        b.iter(|| {
            let expense = entry(
                Movement::Expense,
                Money(1),
                "资料",
                "记-bench",
                "琴岛图书有限公司",
            );
            registry.apply(&actor, expense).expect("expense applies")
        })
    });
}

fn province(c: &mut Criterion) {
    let dir = province_db();
    let mut g = c.benchmark_group("province");
    g.sample_size(10).measurement_time(Duration::from_secs(20));
    g.bench_function("open", |b| {
        b.iter(|| Registry::open(&dir, false).expect("open province"));
    });
    let registry = Registry::open(&dir, false).expect("open province");
    g.bench_function("balances_running", |b| {
        b.iter(|| {
            let all = registry.balances().expect("balances");
            assert!(all.len() >= 60);
            all
        })
    });
    g.bench_function("balances_recomputed_from_entries", |b| {
        b.iter(|| {
            let mut totals = std::collections::HashMap::<Account, i64>::new();
            for e in registry.all_entries() {
                let e = e.expect("entry");
                let sign = match e.kind {
                    EntryKind::Allocation => 1,
                    EntryKind::Expense => -1,
                    // The province demo records no reversals.
                    EntryKind::Reversal { .. } => 0,
                };
                *totals.entry(e.account).or_default() += sign * e.amount.fen();
            }
            totals
        })
    });
    g.finish();
}

criterion_group!(benches, durable_command, province);
criterion_main!(benches);
