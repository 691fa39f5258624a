//! The calendar tab and the attendance roster, key by key on the fixed-date
//! city demo (2026-11-29): attendance in one key a trainee, resumed where it
//! was left; a series planned from the tab skipping the holidays; a session
//! cancelled with its reason; the week as a list at 80 columns and a grid
//! from 120.

use qiangji::domain::ProjectId;
use qiangji::domain::training::{Mark, SessionStatus};
use qiangji::i18n::Lang;
use qiangji::tui::app::{App, Message};
use qiangji::tui::key::{Key, KeyCode};

use crate::common;

use common::ui::{ESC, SAVE, TAB, demo, press, send, typed};

const CTRL_U: Key = Key {
    code: KeyCode::Char('u'),
    ctrl: true,
    alt: false,
    shift: false,
};

/// The math group's calendar tab (the last tab: `[` from the trainees).
fn calendar(app: &mut App) {
    press(app, &[Key::char('1'), Key::char('[')]);
    let g = app.group().expect("the group");
    assert_eq!(g.tab, qiangji::tui::screens::Tab::Calendar);
}

fn shown(app: &App, w: u16, h: u16) -> String {
    qiangji::tui::screenshot::to_text(&qiangji::tui::scenes::render(app, w, h))
}

#[test]
fn attendance_takes_one_key_a_trainee_from_the_calendar_to_its_summary() {
    let (_dir, registry) = demo();
    let mut app = common::ui::app_as(&registry, Lang::Zh, "coordinator");
    calendar(&mut app);
    // The tab opens on the Saturday session still to mark.
    let session = {
        let g = app.group().unwrap();
        let r = g.table().current().unwrap();
        g.data.sessions[r].session.clone()
    };
    assert_eq!(session.date.to_string(), "2026-11-28");
    assert_eq!(session.status, SessionStatus::Planned);
    let mut keys = 1;
    press(&mut app, &[Key::char('.')]);
    let n = app.attendance().expect("the roster").rows.len();
    assert!((40..=60).contains(&n), "{n}");
    // Everyone present but two: one absent, one late.
    for i in 0..n {
        let k = match i {
            3 => 'a',
            7 => 't',
            _ => 'p',
        };
        press(&mut app, &[Key::char(k)]);
        keys += 1;
    }
    let roster = app.attendance().expect("still the roster");
    assert!(roster.summary, "the summary follows the last mark");
    assert!(keys <= n + 2, "{keys} keys for {n} trainees");
    let marks = registry.marks(session.id).unwrap();
    assert_eq!(marks.len(), n);
    assert_eq!(marks.iter().filter(|a| a.mark == Mark::Absent).count(), 1);
    assert_eq!(marks.iter().filter(|a| a.mark == Mark::Late).count(), 1);
    let text = shown(&app, 80, 24);
    assert!(text.contains("缺勤 1") && text.contains("迟到 1"), "{text}");
    // Marked, the session is held, and the calendar says n of n.
    assert_eq!(
        registry.session(session.id).unwrap().unwrap().status,
        SessionStatus::Held
    );
    press(&mut app, &[ESC]);
    let text = shown(&app, 80, 24);
    assert!(text.contains(&format!("已举行 {n}/{n}")), "{text}");
}

#[test]
fn a_roster_left_halfway_starts_again_at_the_first_trainee_without_a_mark() {
    let (_dir, registry) = demo();
    let mut app = common::ui::app_as(&registry, Lang::En, "coordinator");
    calendar(&mut app);
    press(&mut app, &[Key::char('.')]);
    for _ in 0..10 {
        press(&mut app, &[Key::char('1')]);
    }
    let tenth = app.attendance().unwrap().rows[10].trainee.id;
    // Esc shows the summary (10 marked), esc again leaves.
    press(&mut app, &[ESC]);
    assert!(app.attendance().unwrap().summary);
    press(&mut app, &[ESC]);
    assert!(app.group().is_some());
    // A new session of the App (as after a closed terminal): the roster
    // opens on the eleventh trainee, the ten marks kept.
    let mut app = common::ui::app_as(&registry, Lang::En, "coordinator");
    calendar(&mut app);
    press(&mut app, &[Key::char('.')]);
    let roster = app.attendance().unwrap();
    assert_eq!(roster.marked(), 10);
    assert_eq!(roster.rows[roster.nav.selected].trainee.id, tenth);
    assert!(!roster.summary);
}

#[test]
fn a_series_planned_on_the_calendar_skips_the_holidays() {
    let (_dir, registry) = demo();
    let mut app = common::ui::app_as(&registry, Lang::Zh, "coordinator");
    calendar(&mut app);
    press(&mut app, &[Key::char('N')]);
    assert!(app.form().is_some());
    // Kind stays course; the topic; from Saturday 26 September (中秋) to
    // 17 October, weekly: the 26th and 3 October (国庆) are holidays.
    press(&mut app, &[TAB]);
    typed(&mut app, "周末提高课");
    press(&mut app, &[TAB, CTRL_U]);
    typed(&mut app, "2026-09-26");
    press(&mut app, &[TAB]);
    typed(&mut app, "2026-10-17");
    press(&mut app, &[SAVE]);
    assert!(app.form().is_none(), "{:?}", common::ui::refusal(&app));
    let days: Vec<String> = registry
        .sessions(ProjectId::Math)
        .unwrap()
        .into_iter()
        .filter(|s| s.topic == "周末提高课")
        .map(|s| s.date.to_string())
        .collect();
    assert_eq!(days, ["2026-10-10", "2026-10-17"]);
    // The new series is selected on the tab.
    let g = app.group().unwrap();
    let r = g.table().current().unwrap();
    assert_eq!(g.data.sessions[r].session.topic, "周末提高课");
}

#[test]
fn x_cancels_a_session_with_its_reason_and_a_cancelled_one_takes_no_attendance() {
    let (_dir, registry) = demo();
    let mut app = common::ui::app_as(&registry, Lang::Zh, "coordinator");
    calendar(&mut app);
    // The next session ahead: one down from the one to mark.
    press(&mut app, &[common::ui::DOWN]);
    let id = {
        let g = app.group().unwrap();
        g.data.sessions[g.table().current().unwrap()].session.id
    };
    press(&mut app, &[Key::char('x')]);
    // Saving without a reason is refused, the form stays, on the reason.
    press(&mut app, &[SAVE]);
    assert!(app.form().is_some());
    typed(&mut app, "期末考试，停课");
    press(&mut app, &[SAVE]);
    assert!(app.form().is_none(), "{:?}", common::ui::refusal(&app));
    match registry.session(id).unwrap().unwrap().status {
        SessionStatus::Cancelled { reason, .. } => assert_eq!(reason, "期末考试，停课"),
        other => panic!("{other:?}"),
    }
    press(&mut app, &[Key::char('.')]);
    assert!(app.attendance().is_none());
    assert!(shown(&app, 80, 24).contains("该活动已取消"));
}

#[test]
fn the_week_is_a_list_at_80_columns_and_a_grid_from_120() {
    let (_dir, registry) = demo();
    let mut app = common::ui::app_as(&registry, Lang::Zh, "coordinator");
    calendar(&mut app);
    let narrow = shown(&app, 80, 24);
    assert!(narrow.contains("11-28 周六 08:30-11:30"), "{narrow}");
    assert!(!narrow.contains("周一 11-23"), "{narrow}");
    send(&mut app, Message::Resize(120, 40));
    let wide = shown(&app, 120, 40);
    for day in ["周一 11-23", "周三 11-25", "周六 11-28", "周日 11-29"] {
        assert!(wide.contains(day), "{wide}");
    }
    assert!(wide.contains("第 48 周"), "{wide}");
}

#[test]
fn the_overview_names_who_is_under_the_attendance_line_and_the_assessment_shows_rates() {
    let (_dir, registry) = demo();
    let semester = qiangji::domain::Semester::containing(registry.today());
    let low = registry.low_attendance(ProjectId::Math, semester).unwrap();
    assert!(!low.is_empty(), "the demo has trainees under 80%");
    let app = common::ui::app_as(&registry, Lang::Zh, "coordinator");
    let overview = shown(&app, 120, 40);
    let (name, rate) = (&low[0].0.name, low[0].1.percent().unwrap());
    assert!(overview.contains("出勤率低于 80%"), "{overview}");
    assert!(overview.contains(&format!("{name} {rate}%")), "{overview}");
    // The assessment roster: the same rate beside the trainee's name.
    let mut app = common::ui::app_as(&registry, Lang::Zh, "coordinator");
    press(&mut app, &[Key::char('1'), Key::char('A')]);
    let row = app
        .assessment()
        .unwrap()
        .rows
        .iter()
        .find(|r| &r.trainee.name == name)
        .map(|r| r.attendance);
    assert_eq!(row, Some(Some(rate)));
}

#[test]
fn the_sign_in_sheet_lists_the_roster_with_a_blank_column_to_sign_on_a4() {
    use calamine::{Data, Reader as _, Xlsx};
    let (_dir, registry) = demo();
    let session = registry
        .sessions(ProjectId::Math)
        .unwrap()
        .into_iter()
        .find(|s| s.date.to_string() == "2026-11-28")
        .expect("the Saturday session");
    let actor = qiangji::domain::Actor::admin("coordinator");
    let reader = registry.reader(&actor);
    let expected = reader.roster(&session).unwrap();
    let bytes = qiangji::export::sign_in::xlsx(&reader, &session, Lang::Zh).unwrap();
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes.clone())).unwrap();
    let sheet = book.worksheet_range("签到表").unwrap();
    let rows: Vec<Vec<String>> = sheet
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::Empty => String::new(),
                    Data::Float(f) => format!("{f}"),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect();
    assert!(rows[0][0].contains("数学组培养活动签到表"), "{rows:?}");
    assert!(
        rows.iter()
            .any(|r| r[0].contains("2026-11-28 周六 08:30-11:30"))
    );
    let head = rows
        .iter()
        .position(|r| r.first().map(String::as_str) == Some("序号"))
        .expect("the header row");
    assert_eq!(rows[head], ["序号", "姓名", "所在学校", "签到", "备注"]);
    let body = &rows[head + 1..head + 1 + expected.len()];
    for (i, r) in body.iter().enumerate() {
        assert_eq!(r[0], (i + 1).to_string());
        assert!(r[3].is_empty(), "the signature cell is blank: {r:?}");
    }
    for (t, _) in &expected {
        assert!(body.iter().any(|r| r[1].starts_with(&t.name)), "{}", t.name);
    }
    // A4 portrait, one page wide.
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("xl/worksheets/sheet1.xml").unwrap(),
        &mut xml,
    )
    .unwrap();
    assert!(xml.contains(r#"paperSize="9""#) && xml.contains(r#"orientation="portrait""#));
}

#[test]
fn a_base_schools_details_show_its_classes_and_who_is_in_them() {
    let (_dir, registry) = demo();
    let class = registry
        .classes(ProjectId::Math)
        .unwrap()
        .into_iter()
        .next()
        .expect("the demo's class");
    let n = class.current().count();
    assert!(n > 0);
    let mut app = common::ui::app_as(&registry, Lang::Zh, "coordinator");
    // The schools tab: two steps right of the trainees.
    press(&mut app, &[Key::char('1'), Key::char(']'), Key::char(']')]);
    let text = shown(&app, 120, 40);
    assert!(
        text.contains(&format!("{}（{n}人）：", class.name)),
        "{text}"
    );
}

#[test]
fn the_weekly_timetable_has_a_sheet_a_week_with_the_days_as_columns_on_a4_landscape() {
    use calamine::{Data, Reader as _, Xlsx};
    use chrono::Datelike;
    let (_dir, registry) = demo();
    let actor = qiangji::domain::Actor::admin("coordinator");
    let reader = registry.reader(&actor);
    let filter = qiangji::export::Filter {
        project: Some(ProjectId::Math),
        year: None,
        coach: None,
        trainee: None,
    };
    let sessions = registry.sessions(ProjectId::Math).unwrap();
    assert!(
        sessions.iter().any(|s| s.is_cancelled()),
        "the demo cancels one"
    );
    let bytes = qiangji::export::timetable::xlsx(&reader, &filter, Lang::Zh).unwrap();
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes.clone())).unwrap();
    let names = book.sheet_names();
    // One sheet a week that has sessions, named by its Monday, in order,
    // then the list of every session.
    let mut mondays: Vec<String> = sessions
        .iter()
        .map(|s| qiangji::export::timetable::monday(s.date).to_string())
        .collect();
    mondays.sort();
    mondays.dedup();
    assert_eq!(names[..names.len() - 1], mondays[..]);
    assert_eq!(names.last().map(String::as_str), Some("培养活动"));
    let text = |c: &Data| match c {
        Data::Empty => String::new(),
        other => other.to_string(),
    };
    for s in &sessions {
        let monday = qiangji::export::timetable::monday(s.date).to_string();
        let sheet = book.worksheet_range(&monday).unwrap();
        let rows: Vec<Vec<String>> = sheet.rows().map(|r| r.iter().map(text).collect()).collect();
        assert!(rows[0][0].contains("数学组培养活动周课表"), "{:?}", rows[0]);
        // Monday to Sunday across, each with its date.
        let day = s.date.weekday().num_days_from_monday() as usize;
        let head = &rows[1];
        assert_eq!(head[0], "时间");
        assert!(
            head[1].starts_with("周一") && head[7].starts_with("周日"),
            "{head:?}"
        );
        assert!(head[1 + day].ends_with(&s.date.format("%m-%d").to_string()));
        // The session in its day's column, on its time's row.
        let slot = format!("{}-{}", s.start.format("%H:%M"), s.end.format("%H:%M"));
        let row = rows
            .iter()
            .find(|r| r[0] == slot)
            .unwrap_or_else(|| panic!("{slot} in {monday}: {rows:?}"));
        assert!(
            row[1 + day].contains(&s.topic),
            "{} on {}: {row:?}",
            s.topic,
            s.date
        );
        if let SessionStatus::Cancelled { reason, .. } = &s.status {
            assert!(
                row[1 + day].contains(&format!("已取消：{reason}")),
                "{row:?}"
            );
        }
    }
    // Every week sheet prints on one A4 landscape page.
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    for i in 1..names.len() {
        let mut xml = String::new();
        std::io::Read::read_to_string(
            &mut zip.by_name(&format!("xl/worksheets/sheet{i}.xml")).unwrap(),
            &mut xml,
        )
        .unwrap();
        assert!(xml.contains(r#"paperSize="9""#), "sheet {i}");
        assert!(xml.contains(r#"orientation="landscape""#), "sheet {i}");
        // Fit to one page (no fitToWidth or fitToHeight: one page each way).
        assert!(xml.contains(r#"fitToPage="1""#), "sheet {i}");
        assert!(
            !xml.contains("fitToHeight") && !xml.contains("fitToWidth"),
            "sheet {i}"
        );
    }
}

const CTRL_T: Key = Key {
    code: KeyCode::Char('t'),
    ctrl: true,
    alt: false,
    shift: false,
};

/// The open form's field labelled `label` (in Chinese): its value.
fn field(app: &App, label: &str) -> String {
    let sheet = app.form().expect("a form");
    sheet
        .fields
        .iter()
        .find(|f| f.label(Lang::Zh) == label)
        .unwrap_or_else(|| panic!("no field {label}"))
        .value()
        .to_string()
}

/// Tabs to the field labelled `label`, as a user would (tab wraps round).
fn to_field(app: &mut App, label: &str) {
    for _ in 0..20 {
        let sheet = app.form().expect("a form");
        if sheet.fields[sheet.focus].label(Lang::Zh) == label {
            return;
        }
        press(app, &[TAB]);
    }
    panic!("no field {label}");
}

#[test]
fn the_plan_form_holds_the_five_parts_and_writes_its_training_part_from_the_sessions() {
    use qiangji::domain::training::{sessions_of_year, training_text};
    let (_dir, registry) = demo();
    let sessions = registry.sessions(ProjectId::Math).unwrap();
    let mut app = common::ui::app_as(&registry, Lang::Zh, "coordinator");
    // The plans tab (two steps left of the trainees), a new plan: 2027, as
    // 2026 has one.
    press(&mut app, &[Key::char('1'), Key::char('['), Key::char('[')]);
    press(&mut app, &[Key::char('N')]);
    assert_eq!(field(&app, "年度"), "2027");
    let labels: Vec<&str> = app
        .form()
        .unwrap()
        .fields
        .iter()
        .map(|f| f.label(Lang::Zh))
        .collect();
    for part in [
        "项目目标",
        "学员条件",
        "学员管理",
        "培训组织计划",
        "经费安排",
    ] {
        assert!(labels.contains(&part), "{labels:?}");
    }
    // The training part starts written from 2027's sessions.
    let planned = training_text(&sessions_of_year(&sessions, 2027), Lang::Zh);
    assert!(planned.contains("集训"), "{planned}");
    assert_eq!(field(&app, "培训组织计划"), planned);
    // Cleared and written again with ctrl-t, which says so.
    to_field(&mut app, "培训组织计划");
    press(&mut app, &[CTRL_U]);
    assert_eq!(field(&app, "培训组织计划"), "");
    press(&mut app, &[CTRL_T]);
    assert_eq!(field(&app, "培训组织计划"), planned);
    let shown = shown(&app, 80, 24);
    assert!(shown.contains("已按 2027 年的"), "{shown}");
    // The other parts typed, then saved: the plan and its parts in one write.
    press(&mut app, &[TAB]);
    typed(&mut app, "专款专用");
    to_field(&mut app, "项目目标");
    typed(&mut app, "稳定规模");
    to_field(&mut app, "学员条件");
    typed(&mut app, "初三学生");
    press(&mut app, &[TAB]);
    typed(&mut app, "基地校编班");
    press(&mut app, &[SAVE]);
    assert!(
        app.form().is_none(),
        "saved: {:?}",
        common::ui::refusal(&app)
    );
    let c = registry
        .cycle(ProjectId::Math, 2027)
        .unwrap()
        .expect("the plan");
    assert_eq!(c.goals, "稳定规模");
    assert_eq!(c.parts.criteria, "初三学生");
    assert_eq!(c.parts.management, "基地校编班");
    assert_eq!(c.parts.training, planned);
    assert_eq!(c.parts.funding, "专款专用");
    // Edited: only the parts changed, so only they are written, at the
    // version the form read; then both, the parts' version after the plan's.
    let version = c.stamp.version;
    press(&mut app, &[Key::char('e')]);
    assert_eq!(field(&app, "学员管理"), "基地校编班");
    to_field(&mut app, "学员管理");
    typed(&mut app, "，走读");
    press(&mut app, &[SAVE]);
    assert!(
        app.form().is_none(),
        "saved: {:?}",
        common::ui::refusal(&app)
    );
    let c = registry.cycle(ProjectId::Math, 2027).unwrap().unwrap();
    assert_eq!(c.parts.management, "基地校编班，走读");
    assert_eq!(c.goals, "稳定规模");
    assert_eq!(c.stamp.version, version + 1);
    press(&mut app, &[Key::char('e')]);
    to_field(&mut app, "项目目标");
    typed(&mut app, "，提升获奖");
    to_field(&mut app, "经费安排");
    press(&mut app, &[CTRL_U]);
    typed(&mut app, "按预算表执行");
    press(&mut app, &[SAVE]);
    assert!(
        app.form().is_none(),
        "saved: {:?}",
        common::ui::refusal(&app)
    );
    let c = registry.cycle(ProjectId::Math, 2027).unwrap().unwrap();
    assert_eq!(c.goals, "稳定规模，提升获奖");
    assert_eq!(c.parts.funding, "按预算表执行");
    assert_eq!(c.stamp.version, version + 3);
}
