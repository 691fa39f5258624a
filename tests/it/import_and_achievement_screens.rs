//! The screens of issue 13, driven key by key on the fixed-date city demo:
//! the import from the trainees tab (the report, a bad path, bad rows, the
//! confirmation and the cancel), the achievement form on a trainee's details
//! (and a role that may not use it), the evaluation screen against the
//! numbers of `qiangji evaluation`, and the rollover for admins only.

use std::path::Path;
use std::sync::Arc;

use qiangji::domain::achievement::Points;
use qiangji::domain::{Account, Actor, Money, ProjectId, Role};
use qiangji::evaluation;
use qiangji::i18n::Lang;
use qiangji::registry::Registry;
use qiangji::tui::app::App;
use qiangji::tui::key::{Key, KeyCode};
use qiangji::tui::keymap::Keymap;
use qiangji::tui::scenes::render;
use qiangji::tui::screens::{EvaluationScreen, ImportScreen};
use qiangji::tui::screenshot::to_text;
use qiangji::tui::theme::ColorMode;

use crate::common;

use common::ui::{DOWN, ENTER, ESC, TAB, app_as, demo, press, refusal, typed};

const RIGHT: Key = Key::plain(KeyCode::Right);

/// Two good rows, a short phone on line 3 and a missing second recommender
/// on line 4.
const LIST: &str = "姓名,性别,所在学校,区市,年级,联系电话,推荐教师1,推荐教师2,申报日期\n\
王思远,男,青岛第二中学,市南区,高一,13812345678,李红老师,张伟老师,2026-09-01\n\
陈子墨,男,青岛第九中学,市北区,高二,1381234,周平老师,吴刚老师,2026-09-03\n\
孙悦,女,青岛第一中学,黄岛区,高一,13612345678,郑洁老师,,2026-09-03\n\
刘雨桐,女,青岛第五十八中学,崂山区,高一,13912345678,赵敏老师,孙强老师,2026/9/2\n";

fn screen(app: &App) -> String {
    to_text(&render(app, 80, 24))
}

fn app_with_role(registry: &Arc<Registry>, lang: Lang, role: Role) -> App {
    App::with_registry(
        lang,
        Keymap::default_keymap(),
        ColorMode::None,
        Actor::with_role("tester", role),
        registry.clone(),
    )
}

fn math_count(registry: &Registry) -> usize {
    registry.trainees(ProjectId::Math).unwrap().len()
}

/// From the overview: the math group, `I`, the path typed, and Enter.
fn import(app: &mut App, path: &Path, skip_bad: bool) {
    press(app, &[Key::char('1'), Key::char('I')]);
    assert!(app.form().is_some(), "{}", screen(app));
    // The form offers the path typed before: clear it first.
    press(app, &[Key::ctrl('u')]);
    typed(app, &path.to_string_lossy());
    if skip_bad {
        press(app, &[TAB, RIGHT]);
    }
    press(app, &[ENTER]);
}

/// The screen says `words`; else a failure showing the screen.
fn shows(app: &App, words: &str) {
    let text = screen(app);
    assert!(text.contains(words), "{text}");
}

#[test]
fn an_import_shows_its_report_and_writes_nothing_until_confirmed() {
    let (dir, registry) = demo();
    let file = dir.path().join("名单.csv");
    std::fs::write(&file, LIST).unwrap();
    let before = math_count(&registry);
    let audit = registry.audit().count();
    let mut app = app_as(&registry, Lang::Zh, "coordinator");
    import(&mut app, &file, false);
    let text = screen(&app);
    assert!(app.top_as::<ImportScreen>().is_some(), "{text}");
    assert!(
        text.contains("名单.csv") && text.contains("数学组"),
        "{text}"
    );
    assert!(
        text.contains("将新建 2 名") && text.contains("有问题 2 行"),
        "{text}"
    );
    // Each bad row with its line, its column and why.
    assert!(text.contains("第 3 行“联系电话”列"), "{text}");
    assert!(text.contains("第 4 行“推荐教师2”列"), "{text}");
    // Bad rows and no skipping: yes refuses, in words, and writes nothing.
    press(&mut app, &[Key::char('y')]);
    shows(&app, "有问题的行须先改正");
    assert_eq!(math_count(&registry), before);
    // No: back to the trainees tab, nothing written.
    press(&mut app, &[ESC]);
    assert!(app.group().is_some());
    shows(&app, "已取消导入");
    assert_eq!(
        (math_count(&registry), registry.audit().count()),
        (before, audit)
    );

    // Skipping the bad rows: yes writes the two good ones in one batch.
    press(&mut app, &[ESC]);
    import(&mut app, &file, true);
    shows(&app, "导入这 2 名学员？");
    press(&mut app, &[ENTER]);
    assert!(app.group().is_some(), "{}", screen(&app));
    shows(&app, "已导入 2 名学员");
    assert_eq!(math_count(&registry), before + 2);
    let names: Vec<String> = registry
        .trainees(ProjectId::Math)
        .unwrap()
        .into_iter()
        .map(|t| t.name)
        .collect();
    assert!(names.contains(&"王思远".into()) && names.contains(&"刘雨桐".into()));
    assert!(!names.contains(&"陈子墨".into()));
    common::assert_consistent(&registry);

    // The same file again creates nobody.
    press(&mut app, &[ESC]);
    import(&mut app, &file, true);
    let text = screen(&app);
    assert!(text.contains("已在系统中 2 行"), "{text}");
    press(&mut app, &[Key::char('y')]);
    shows(&app, "没有要新建的学员");
    assert_eq!(math_count(&registry), before + 2);
}

#[test]
fn a_bad_path_is_said_in_the_form_and_the_path_stays() {
    let (dir, registry) = demo();
    let missing = dir.path().join("没有这个文件.xlsx");
    let mut app = app_as(&registry, Lang::Zh, "coordinator");
    import(&mut app, &missing, false);
    let why = refusal(&app).expect("a refusal");
    // In words of the interface's language, not the OS's English.
    assert!(why.contains("无法读取") && why.contains("不存在"), "{why}");
    assert!(!why.contains("No such"), "{why}");
    assert_eq!(
        app.form_value("文件路径").as_deref(),
        Some(missing.to_string_lossy().as_ref())
    );
    // A file of another kind is named as such.
    let odd = dir.path().join("名单.pdf");
    std::fs::write(&odd, "x").unwrap();
    let mut app = app_as(&registry, Lang::En, "coordinator");
    import(&mut app, &odd, false);
    let why = refusal(&app).expect("a refusal");
    assert!(why.contains("only .xlsx or .csv"), "{why}");
}

#[test]
fn an_import_report_in_english_gives_each_reason_in_english() {
    let (dir, registry) = demo();
    let file = dir.path().join("list.csv");
    std::fs::write(&file, LIST).unwrap();
    let mut app = app_as(&registry, Lang::En, "coordinator");
    import(&mut app, &file, false);
    let text = screen(&app);
    assert!(
        text.contains("2 to create") && text.contains("2 bad"),
        "{text}"
    );
    assert!(text.contains("line 3, column \"联系电话\""), "{text}");
    assert!(text.contains("the second is missing"), "{text}");
    // Han characters only in the data: names, schools, the file's headers.
    for line in text.lines().filter(|l| l.contains("line 3,")) {
        let words = line.split("column").nth(1).unwrap_or_default();
        let after = words.split_once(':').map(|x| x.1).unwrap_or_default();
        assert!(
            !after
                .chars()
                .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "{line}"
        );
    }
}

#[test]
fn an_achievement_is_recorded_from_the_details_and_counted_in_the_evaluation() {
    let (_dir, registry) = demo();
    let mut app = app_as(&registry, Lang::Zh, "coordinator");
    press(&mut app, &[Key::char('1'), ENTER]);
    assert!(app.group().unwrap().details_focused);
    shows(&app, "登记成绩");
    press(&mut app, &[Key::char('N')]);
    assert_eq!(
        app.form().map(|f| f.title.get(Lang::Zh)),
        Some("登记学员成绩")
    );
    // A prize without its competition is refused in the form.
    press(&mut app, &[ENTER]);
    let why = refusal(&app).expect("a refusal");
    assert!(why.contains("竞赛名称"), "{why}");
    // The refusal took the focus to the field it names.
    assert_eq!(app.form().map(|f| f.focus), Some(1));
    typed(&mut app, "全国中学生数学奥林匹克竞赛");
    // National, second prize.
    press(&mut app, &[DOWN, DOWN, RIGHT, ENTER]);
    assert!(app.form().is_none(), "{:?}", refusal(&app));
    let text = screen(&app);
    assert!(
        text.contains("全国中学生数学奥林匹克竞赛（全国二等奖）"),
        "{text}"
    );
    // An admission, and a year typed badly first.
    press(&mut app, &[Key::char('N'), RIGHT]);
    press(&mut app, &[DOWN, DOWN, DOWN, DOWN]);
    typed(&mut app, "清华大学");
    press(&mut app, &[DOWN]);
    press(&mut app, &[Key::ctrl('u')]);
    typed(&mut app, "26");
    press(&mut app, &[ENTER]);
    assert!(refusal(&app).unwrap().contains("2000 至 2100"));
    press(&mut app, &[Key::ctrl('u')]);
    typed(&mut app, "2026");
    press(&mut app, &[ENTER]);
    assert!(app.form().is_none(), "{:?}", refusal(&app));
    shows(&app, "清华大学强基计划录取");

    // The evaluation screen shows the numbers `qiangji evaluation` gives.
    press(&mut app, &[ESC, Key::char('E')]);
    let Some(e) = app.top_as::<EvaluationScreen>() else {
        panic!("no evaluation: {}", screen(&app));
    };
    let cli = evaluation::evaluate(&registry, 2026, &Points::default_table(), Lang::Zh).unwrap();
    assert_eq!(e.data, cli);
    assert!(!cli.schools.is_empty());
    let text = screen(&app);
    let first = &cli.schools[0];
    assert!(text.contains(&first.school), "{text}");
    assert!(text.contains(&first.behind[0]), "{text}");
    // The groups' part, then last year's.
    press(&mut app, &[RIGHT]);
    let text = screen(&app);
    assert!(
        text.contains("目标（完成/目标）") && text.contains("数学组"),
        "{text}"
    );
    press(&mut app, &[Key::char('<')]);
    let Some(e) = app.top_as::<EvaluationScreen>() else {
        panic!("no evaluation");
    };
    assert_eq!(e.data.year, 2025);
    let text = screen(&app);
    assert!(text.contains("已拨付"), "{text}");
}

#[test]
fn a_coach_may_not_record_achievements_and_is_told_so() {
    let (_dir, registry) = demo();
    let mut app = app_with_role(&registry, Lang::En, Role::Coach(ProjectId::Math));
    press(&mut app, &[Key::char('1'), ENTER, Key::char('N')]);
    assert!(app.form().is_none());
    let text = screen(&app);
    assert!(text.contains("Your role cannot record"), "{text}");
    // A chief coach of the group may.
    let mut app = app_with_role(&registry, Lang::Zh, Role::ChiefCoach(ProjectId::Math));
    press(&mut app, &[Key::char('1'), ENTER, Key::char('N')]);
    assert!(app.form().is_some(), "{}", screen(&app));
}

#[test]
fn the_evaluation_of_a_chief_counts_their_own_group() {
    let (_dir, registry) = demo();
    let physics = registry.trainees(ProjectId::Physics).unwrap()[0].clone();
    common::ok(
        &registry,
        &common::admin(),
        qiangji::registry::Command::RecordAchievement {
            trainee: physics.id,
            year: 2026,
            feat: qiangji::domain::achievement::Feat::Admission {
                university: "北京大学".into(),
            },
        },
    );
    let mut app = app_with_role(&registry, Lang::Zh, Role::ChiefCoach(ProjectId::Math));
    press(&mut app, &[Key::char('E')]);
    let Some(e) = app.top_as::<EvaluationScreen>() else {
        panic!("no evaluation: {}", screen(&app));
    };
    assert!(e.data.schools.is_empty(), "{:?}", e.data.schools);
    assert!(screen(&app).contains("这一年还没有登记学员成绩"));
    let mut app = app_as(&registry, Lang::Zh, "coordinator");
    press(&mut app, &[Key::char('E')]);
    assert!(
        screen(&app).contains(&physics.home_school),
        "{}",
        screen(&app)
    );
}

#[test]
fn an_admin_rolls_the_year_over_once_and_others_are_refused() {
    let (_dir, registry) = demo();
    let daily = |y| {
        registry
            .balance(&Account::daily(ProjectId::Math, y))
            .unwrap()
            .balance()
    };
    let left = daily(2026);
    assert!(left.fen() > 0);
    // A chief coach is told whose step it is.
    let mut app = app_with_role(&registry, Lang::Zh, Role::ChiefCoach(ProjectId::Math));
    press(&mut app, &[Key::char('Y')]);
    assert!(app.form().is_none());
    shows(&app, "只有工作专班");

    let mut app = app_as(&registry, Lang::En, "coordinator");
    press(&mut app, &[Key::char('Y')]);
    assert_eq!(app.form_value("Roll over to").as_deref(), Some("2027"));
    press(&mut app, &[ENTER]);
    assert!(app.form().is_none(), "{:?}", refusal(&app));
    shows(&app, "rolled over from 2026 to 2027");
    assert_eq!((daily(2026), daily(2027)), (Money(0), left));
    common::assert_consistent(&registry);
    // Again, from the ledger overview: nothing to do, said in the form.
    press(&mut app, &[Key::char('$'), Key::char('Y'), ENTER]);
    let why = refusal(&app).expect("a refusal");
    assert!(why.contains("nothing to do"), "{why}");
    assert_eq!(daily(2027), left);
}

#[test]
fn the_import_form_keeps_the_typed_path_after_esc_and_after_the_report() {
    let (dir, registry) = demo();
    let file = dir.path().join("名单.csv");
    std::fs::write(&file, LIST).unwrap();
    let path = file.to_string_lossy().to_string();
    let mut app = app_as(&registry, Lang::Zh, "coordinator");
    // Typed, then esc (and yes to leaving the form): the next I offers it.
    press(&mut app, &[Key::char('1'), Key::char('I')]);
    typed(&mut app, &path);
    press(&mut app, &[ESC, Key::char('y')]);
    assert!(app.form().is_none(), "{}", screen(&app));
    press(&mut app, &[Key::char('I')]);
    assert_eq!(app.form_value("文件路径").as_deref(), Some(path.as_str()));
    // Unchanged, esc leaves at once; the path is still offered.
    press(&mut app, &[ESC]);
    assert!(app.form().is_none(), "{}", screen(&app));
    press(&mut app, &[Key::char('I')]);
    assert_eq!(app.form_value("文件路径").as_deref(), Some(path.as_str()));
    // Read, the report said no to: the form offers the path again.
    press(&mut app, &[ENTER]);
    assert!(app.top_as::<ImportScreen>().is_some(), "{}", screen(&app));
    press(&mut app, &[Key::char('n'), Key::char('I')]);
    assert_eq!(app.form_value("文件路径").as_deref(), Some(path.as_str()));
}

#[test]
fn yes_on_a_report_with_bad_rows_says_which_lines_stop_it() {
    let (dir, registry) = demo();
    let file = dir.path().join("名单.csv");
    std::fs::write(&file, LIST).unwrap();
    let mut app = app_as(&registry, Lang::Zh, "coordinator");
    import(&mut app, &file, false);
    press(&mut app, &[Key::char('y')]);
    // The status line (the screen's last) names the lines and the way on.
    let text = screen(&app);
    let status = text
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or_default();
    assert!(status.contains("未导入：第 3、4 行有问题"), "{text}");
    assert!(status.contains("按 n 返回"), "{text}");
    let mut app = app_as(&registry, Lang::En, "coordinator");
    import(&mut app, &file, false);
    press(&mut app, &[Key::char('y')]);
    let text = screen(&app);
    // A status longer than the line wraps onto the rows below it.
    let lines: Vec<&str> = text.lines().collect();
    let status = lines[lines.len().saturating_sub(3)..].join(" ");
    assert!(status.contains("Nothing imported: line 3, 4 bad"), "{text}");
}
