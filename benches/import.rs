//! Importing a school list of 5,000 rows (CSV, UTF-8): read, check every row,
//! apply in one transaction, on a fresh database each time.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use qiangji::domain::{Actor, ProjectId};
use qiangji::import::{self, Options};
use qiangji::registry::Registry;

fn list(n: usize) -> String {
    let mut out =
        String::from("姓名,性别,所在学校,区市,年级,联系电话,项目组,推荐教师1,推荐教师2,申报日期\n");
    for i in 0..n {
        out.push_str(&format!(
            "学员{i:05},男,青岛二中,市南区,高一,138{i:08},{},李明老师,王芳老师,2026-09-01\n",
            ProjectId::ALL[i % 6].code()
        ));
    }
    out
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("list.csv");
    std::fs::write(&path, list(5000)).unwrap();
    let mut group = c.benchmark_group("import");
    group.sample_size(10);
    group.bench_function("5000 rows", |b| {
        b.iter_batched(
            || {
                let db = tempfile::tempdir().unwrap();
                let reg = Registry::open(db.path(), true).unwrap();
                (db, reg)
            },
            |(db, reg)| {
                let report =
                    import::run(&reg, &Actor::admin("bench"), &path, Options::default()).unwrap();
                assert!(report.written && report.create.len() == 5000);
                (db, reg)
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
