//! Issue 20, "dates that cannot be cheated": a stage entered weeks after the
//! date it states is flagged 补录 with both dates; one entered on its day is
//! not. The recording time is the audit trail's, so nothing new is stored.

use crate::common;

use common::*;

use qiangji::domain::{ProjectId, TraineeKind};
use qiangji::registry::late::LATE_AFTER_DAYS;
use qiangji::registry::{Clock, Command};

const MATH: ProjectId = ProjectId::Math;

fn at(day: &str) -> Clock {
    Clock::Fixed(d(day).and_hms_opt(2, 0, 0).unwrap().and_utc())
}

#[test]
fn a_stage_dated_twenty_days_back_is_recorded_late_and_one_on_its_day_is_not() {
    let (_dir, reg) = open_on("2026-09-01");
    let mut late = application(TraineeKind::Teacher, "补录老师", MATH);
    late.date = d("2026-09-01");
    let late = ok(&reg, &admin(), Command::Apply(late)).id;
    let on_time = ok(
        &reg,
        &admin(),
        Command::Apply(application(TraineeKind::Teacher, "按时老师", MATH)),
    )
    .id;
    // Twenty days later: one recommendation dated back to the application's
    // day, one dated today.
    let reg = reg.with_clock(at("2026-09-21"));
    ok(
        &reg,
        &admin(),
        Command::Recommend {
            id: late,
            version: 1,
            date: d("2026-09-01"),
        },
    );
    ok(
        &reg,
        &admin(),
        Command::Recommend {
            id: on_time,
            version: 1,
            date: d("2026-09-21"),
        },
    );

    let flagged = reg.late_stages(&trainee(&reg, late)).unwrap();
    assert_eq!(
        flagged
            .iter()
            .map(|l| (l.stated, l.recorded))
            .collect::<Vec<_>>(),
        vec![(d("2026-09-01"), d("2026-09-21"))],
        "the application was recorded on its day, the recommendation 20 days late"
    );
    assert_matches!(flagged[0].command, Command::Recommend { .. });
    assert_eq!(flagged[0].days_late(), 20);
    assert!(reg.late_stages(&trainee(&reg, on_time)).unwrap().is_empty());
}

#[test]
fn the_threshold_leaves_a_weekend_and_flags_the_day_after() {
    let (_dir, reg) = open_on("2026-09-01");
    let first = ok(
        &reg,
        &admin(),
        Command::Apply(application(TraineeKind::Teacher, "周五老师", MATH)),
    )
    .id;
    let second = ok(
        &reg,
        &admin(),
        Command::Apply(application(TraineeKind::Teacher, "再晚老师", MATH)),
    )
    .id;
    let reg = reg.with_clock(at("2026-09-08"));
    let edge = d("2026-09-08") - chrono::Days::new(LATE_AFTER_DAYS as u64);
    for (id, date) in [(first, edge), (second, edge - chrono::Days::new(1))] {
        ok(
            &reg,
            &admin(),
            Command::Recommend {
                id,
                version: 1,
                date,
            },
        );
    }
    assert!(reg.late_stages(&trainee(&reg, first)).unwrap().is_empty());
    assert_eq!(reg.late_stages(&trainee(&reg, second)).unwrap().len(), 1);
}
