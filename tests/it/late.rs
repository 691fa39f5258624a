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

#[test]
fn the_city_demo_records_its_stages_on_their_days_but_a_late_enrolment_and_a_filing_caught_up() {
    let (_dir, reg) = common::ui::demo();
    let mut late = Vec::new();
    for p in ProjectId::ALL {
        for t in reg.trainees(p).unwrap() {
            for l in reg.late_stages(&t).unwrap() {
                late.push((t.name.clone(), p, l));
            }
        }
    }
    assert_eq!(late.len(), 2, "{late:?}");
    assert!(late.iter().all(|(_, p, _)| *p == MATH), "{late:?}");
    let enrolment = late
        .iter()
        .find(|(_, _, l)| matches!(l.command, Command::Enrol { .. }))
        .expect("the late enrolment");
    assert_eq!(enrolment.2.days_late(), 20);
    // This year's filed applicant: the filing recorded by the coordinator
    // catching up on the demo's day.
    let filing = late
        .iter()
        .find(|(_, _, l)| matches!(l.command, Command::File { .. }))
        .expect("the filing caught up");
    assert_eq!(filing.2.recorded, reg.today());
    assert!(filing.2.days_late() > qiangji::registry::late::LATE_AFTER_DAYS);
}

/// Issue 20: the demo records a filing among its last writes, days after
/// its date, as a coordinator catching up would, so the audit trail (its
/// newest 5,000 entries) opens on a 补录 with both dates, and `/补录` finds
/// it (the enrolment recorded late last year is beyond what it shows).
#[test]
fn the_demos_audit_trail_opens_on_a_stage_recorded_late_with_both_dates() {
    use common::ui::{app_as, press};
    use qiangji::i18n::Lang;
    use qiangji::tui::key::Key;
    let (_dir, reg) = common::ui::demo();
    let l = reg
        .trainees(MATH)
        .unwrap()
        .iter()
        .flat_map(|t| reg.late_stages(t).unwrap())
        .find(|l| matches!(l.command, Command::File { .. }))
        .expect("the filing caught up");
    for lang in [Lang::Zh, Lang::En] {
        let mut app = app_as(&reg, lang, "coordinator");
        press(&mut app, &[Key::char('U')]);
        let audit = app
            .top_as::<qiangji::tui::screens::AuditScreen>()
            .expect("the audit trail");
        let both = l.dates(lang);
        assert!(
            audit.lines[0].action.contains(&both),
            "{both} not in {:?}",
            audit.lines[0]
        );
        if lang == Lang::Zh {
            let text = shown(&app, 200, 40);
            assert!(text.contains(&both), "{both} not in\n{text}");
        }
    }
    let mut app = app_as(&reg, Lang::Zh, "coordinator");
    press(&mut app, &[Key::char('U'), Key::char('/')]);
    common::ui::typed(&mut app, "补录");
    press(&mut app, &[common::ui::ENTER]);
    let audit = app
        .top_as::<qiangji::tui::screens::AuditScreen>()
        .expect("the audit trail");
    assert_eq!(audit.nav.shown.len(), 1, "{}", app.screen_text());
    assert!(
        audit.lines[audit.nav.shown[0]]
            .action
            .contains(&l.dates(Lang::Zh)),
        "{}",
        app.screen_text()
    );
}

#[test]
fn an_imported_application_dated_weeks_back_is_recorded_late() {
    let (_dir, reg) = open_on("2026-09-21");
    let mut input = application(TraineeKind::Student, "导入学生", MATH);
    input.date = d("2026-09-01");
    let id = ok(
        &reg,
        &admin(),
        Command::ApplyRecommended {
            input,
            recommenders: vec!["王老师".into()],
        },
    )
    .id;
    let flagged = reg.late_stages(&trainee(&reg, id)).unwrap();
    assert_eq!(flagged.len(), 1, "{flagged:?}");
    assert_eq!(
        (flagged[0].stated, flagged[0].recorded),
        (d("2026-09-01"), d("2026-09-21"))
    );
    assert_eq!(
        flagged[0].stage(),
        Some(qiangji::domain::TraineeStage::Applied)
    );
    assert_eq!(
        flagged[0].dates(qiangji::i18n::Lang::Zh),
        "2026-09-01（补录 2026-09-21）"
    );
}

/// The city demo's one stage recorded late: the trainee and the stage.
fn the_late_one(
    reg: &qiangji::registry::Registry,
) -> (qiangji::domain::Trainee, qiangji::registry::late::LateStage) {
    let t = reg
        .trainees(MATH)
        .unwrap()
        .into_iter()
        .find(|t| {
            reg.late_stages(t)
                .unwrap()
                .iter()
                .any(|l| matches!(l.command, Command::Enrol { .. }))
        })
        .expect("the demo's late enrolment");
    let l = reg.late_stages(&t).unwrap().remove(0);
    (t, l)
}

fn shown(app: &qiangji::tui::app::App, w: u16, h: u16) -> String {
    qiangji::tui::screenshot::to_text(&qiangji::tui::scenes::render(app, w, h))
}

#[test]
fn the_details_say_a_stage_was_recorded_late_with_both_dates() {
    use common::ui::{app_as, press, select_record};
    use qiangji::i18n::Lang;
    use qiangji::tui::key::Key;
    let (_dir, reg) = common::ui::demo();
    let (t, l) = the_late_one(&reg);
    for (lang, line) in [
        (
            Lang::Zh,
            format!("{}  培养中（补录 {}）", l.stated, l.recorded),
        ),
        (
            Lang::En,
            format!("{}  enrolled (recorded late {})", l.stated, l.recorded),
        ),
    ] {
        let mut app = app_as(&reg, lang, "coordinator");
        press(&mut app, &[Key::char('1')]);
        let row = app
            .group()
            .unwrap()
            .data
            .trainees
            .iter()
            .position(|x| x.id == t.id)
            .unwrap();
        select_record(&mut app, row);
        let text = shown(&app, 200, 80);
        assert!(text.contains(&line), "{line:?} not in\n{text}");
        // The other stages of the trainee were recorded on their days.
        assert_eq!(text.matches(l.note(lang).as_str()).count(), 1, "{text}");
    }
}

#[test]
fn the_audit_trail_marks_a_late_entry_with_both_dates() {
    use common::ui::{app_as, press};
    use qiangji::i18n::Lang;
    use qiangji::tui::key::Key;
    let (_dir, reg) = open_on("2026-09-01");
    let mut input = application(TraineeKind::Teacher, "晚录老师", MATH);
    input.date = d("2026-09-01");
    let id = ok(&reg, &admin(), Command::Apply(input)).id;
    let reg = std::sync::Arc::new(reg.with_clock(at("2026-09-21")));
    let recommend = |date: &str| Command::Recommend {
        id,
        version: 1,
        date: d(date),
    };
    ok(&reg, &admin(), recommend("2026-09-01"));
    let mut app = app_as(&reg, Lang::Zh, "coordinator");
    press(&mut app, &[Key::char('U')]);
    let text = shown(&app, 200, 40);
    assert!(
        text.contains("2026-09-01（补录 2026-09-21）"),
        "both dates not in\n{text}"
    );
    // The application, recorded on its day, is not marked.
    assert_eq!(
        text.matches("补录 ").count(),
        2,
        "table and detail:\n{text}"
    );
    // `/补录` narrows the trail to the entries recorded late.
    press(&mut app, &[Key::char('/')]);
    common::ui::typed(&mut app, "补录");
    press(&mut app, &[common::ui::ENTER]);
    let audit = app
        .top_as::<qiangji::tui::screens::AuditScreen>()
        .expect("the audit trail");
    assert_eq!(audit.nav.shown.len(), 1, "{}", app.screen_text());
    // In English the action is longer than its column: the whole of it is
    // the selected change's heading.
    let mut app = app_as(&reg, Lang::En, "coordinator");
    press(&mut app, &[Key::char('U')]);
    let audit = app
        .top_as::<qiangji::tui::screens::AuditScreen>()
        .expect("the audit trail");
    assert_eq!(
        audit.lines[0].action,
        "record recommendations 2026-09-01 (recorded late 2026-09-21)"
    );
    assert_eq!(audit.lines[1].action, "record applications");
}

#[test]
fn the_filing_list_has_a_column_of_stages_recorded_late() {
    use calamine::{Data, Reader, Xlsx};
    use qiangji::export::lists;
    use qiangji::i18n::Lang;
    let (_dir, reg) = common::ui::demo();
    let (t, l) = the_late_one(&reg);
    let list = lists::filing(&reg, Some(MATH), 2026, Lang::Zh).unwrap();
    let bytes = lists::xlsx(&list, Some(&reg), Lang::Zh, true).unwrap();
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    let range = book.worksheet_range("学员").unwrap();
    let rows: Vec<Vec<String>> = range
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
    let header = &rows[3];
    let col = header
        .iter()
        .position(|h| h == "补录")
        .expect("a 补录 column");
    let flagged: Vec<(&str, &str)> = rows[4..]
        .iter()
        .filter(|r| r.get(col).is_some_and(|c| !c.is_empty()))
        .map(|r| (r[0].as_str(), r[col].as_str()))
        .collect();
    let expected = format!("培养中 {}（补录 {}）", l.stated, l.recorded);
    assert_eq!(flagged, [(t.name.as_str(), expected.as_str())]);
    // English: the same column, in English.
    let en = lists::filing(&reg, Some(MATH), 2026, Lang::En).unwrap();
    let trainees = &en.parts[0];
    assert_eq!(trainees.headers.last().unwrap().0, "Recorded late");
    assert!(
        trainees.rows.iter().any(|r| r.last().unwrap()
            == &format!("enrolled {} (recorded late {})", l.stated, l.recorded)),
        "{:?}",
        trainees.rows
    );
}

#[test]
fn an_objection_raised_weeks_after_its_date_says_so_in_the_details() {
    use common::ui::{app_as, press, select_record};
    use qiangji::domain::TraineeStage;
    use qiangji::i18n::Lang;
    use qiangji::tui::key::Key;
    let (_dir, reg) = open_on(ANNOUNCE_START);
    let id = trainee_at(
        &reg,
        TraineeKind::Student,
        MATH,
        "异议学生",
        TraineeStage::Announced,
    );
    // Three weeks on, an objection of the announcement's second day.
    let reg = std::sync::Arc::new(reg.with_clock(at("2026-10-05")));
    let raised = objection(&reg, id, "2026-09-15", "材料待核实");
    ok(&reg, &admin(), raised);
    let flagged = reg.late_stages(&trainee(&reg, id)).unwrap();
    let objection = flagged
        .iter()
        .find(|l| matches!(l.command, Command::RaiseObjection { .. }))
        .expect("the objection flagged");
    assert_eq!(objection.stage(), None);
    let mut app = app_as(&reg, Lang::Zh, "coordinator");
    press(&mut app, &[Key::char('1')]);
    let row = app
        .group()
        .unwrap()
        .data
        .trainees
        .iter()
        .position(|x| x.id == id)
        .unwrap();
    select_record(&mut app, row);
    let text = shown(&app, 200, 80);
    assert!(
        text.contains("2026-09-15（补录 2026-10-05） 材料待核实"),
        "{text}"
    );
}

/// Issue 20: `export audit` marks an entry recorded late with the date its
/// stage states (补录 / recorded late / `recorded_late`), by the audit
/// trail's rule; an entry recorded on its day leaves the column empty, in
/// CSV and JSON.
#[test]
fn export_audit_gives_the_stated_date_of_an_entry_recorded_late() {
    use qiangji::export::{Filter, Kind};
    use qiangji::i18n::Lang;
    let (_dir, reg) = open_on("2026-09-01");
    let mut ids = Vec::new();
    for name in ["补录老师", "按时老师"] {
        let mut input = application(TraineeKind::Teacher, name, MATH);
        input.date = d("2026-09-01");
        ids.push(ok(&reg, &admin(), Command::Apply(input)).id);
    }
    let reg = reg.with_clock(at("2026-09-21"));
    // One recommendation dated back to the application's day, one today.
    for (id, date) in [(ids[0], "2026-09-01"), (ids[1], "2026-09-21")] {
        ok(
            &reg,
            &admin(),
            Command::Recommend {
                id,
                version: 1,
                date: d(date),
            },
        );
    }
    let actor = admin();
    let reader = reg.reader(&actor);
    let filter = Filter::default();
    // The recommendations' rows: the late one first (recorded first).
    for (lang, head) in [(Lang::Zh, "补录"), (Lang::En, "recorded late")] {
        let mut out = Vec::new();
        qiangji::export::csv(&reader, Kind::Audit, &filter, lang, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let mut csv = ::csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
        let headers = csv.headers().unwrap().clone();
        let col = headers
            .iter()
            .position(|h| h == head)
            .unwrap_or_else(|| panic!("{head} in {headers:?}"));
        let kind = headers
            .iter()
            .position(|h| h == "内容" || h == "Command")
            .unwrap();
        let cells: Vec<(bool, String)> = csv
            .records()
            .map(|r| r.unwrap())
            .map(|r| (r[kind].contains("Recommend"), r[col].to_string()))
            .collect();
        let recommendations: Vec<&str> = cells
            .iter()
            .filter(|(rec, _)| *rec)
            .map(|(_, c)| c.as_str())
            .collect();
        assert_eq!(recommendations, ["2026-09-01", ""], "{text}");
        // The applications, recorded on their day, are not marked.
        assert!(
            cells
                .iter()
                .filter(|(rec, _)| !rec)
                .all(|(_, c)| c.is_empty()),
            "{text}"
        );
    }
    let mut out = Vec::new();
    qiangji::export::json(&reader, Kind::Audit, &filter, Lang::En, &mut out).unwrap();
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&out).unwrap();
    let late: Vec<(bool, serde_json::Value)> = rows
        .iter()
        .map(|r| {
            (
                r["command"].to_string().contains("Recommend"),
                r["recorded_late"].clone(),
            )
        })
        .collect();
    assert_eq!(
        late,
        [
            (false, serde_json::Value::Null),
            (false, serde_json::Value::Null),
            (true, serde_json::json!("2026-09-01")),
            (true, serde_json::Value::Null),
        ],
        "{}",
        String::from_utf8_lossy(&out)
    );
}
