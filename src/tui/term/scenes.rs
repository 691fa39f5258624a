//! The main screens, reached by driving an App the way a user would. Used by
//! `qiangji screenshot` and the snapshot tests, so both show the same thing.

use ratatui::Terminal;

use crate::domain::ProjectId;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;

use std::path::Path;

use crate::tui::app::App;
use crate::tui::input::action::Action;
use crate::tui::input::key::{Key, KeyCode};

/// A named screen and the actions that reach it from the overview.
pub const SCREENS: &[(&str, &[Action])] = &[
    ("overview", &[]),
    ("trainees", &[Action::Group(ProjectId::Math)]),
    (
        "coaches",
        &[Action::Group(ProjectId::Math), Action::NextTab],
    ),
    (
        "schools",
        &[
            Action::Group(ProjectId::Math),
            Action::NextTab,
            Action::NextTab,
        ],
    ),
    (
        "ledger",
        &[
            Action::Group(ProjectId::Math),
            Action::NextTab,
            Action::NextTab,
            Action::NextTab,
        ],
    ),
    (
        "budget",
        &[
            Action::Group(ProjectId::Math),
            Action::NextTab,
            Action::NextTab,
            Action::NextTab,
            Action::ToggleDetail,
        ],
    ),
    ("ledger_overview", &[Action::LedgerOverview]),
    (
        "expense_form",
        &[
            Action::Group(ProjectId::Math),
            Action::PrevTab,
            Action::PrevTab,
            Action::PrevTab,
            Action::AddExpense,
        ],
    ),
    (
        "plans",
        &[
            Action::Group(ProjectId::Math),
            Action::PrevTab,
            Action::PrevTab,
        ],
    ),
    (
        "assessment",
        &[Action::Group(ProjectId::Math), Action::StartAssessment],
    ),
    ("audit", &[Action::AuditLog]),
    (
        "assessment_summary",
        &[
            Action::Group(ProjectId::Math),
            Action::StartAssessment,
            Action::Back,
        ],
    ),
    (
        "application_form",
        &[Action::Group(ProjectId::Math), Action::NewRecord],
    ),
    (
        "next_step_form",
        &[Action::Group(ProjectId::Math), Action::NextStep],
    ),
    (
        "nomination_form",
        &[
            Action::Group(ProjectId::Math),
            Action::NextTab,
            Action::NewRecord,
        ],
    ),
    (
        "coach_stage_form",
        &[
            Action::Group(ProjectId::Math),
            Action::NextTab,
            Action::NextStep,
        ],
    ),
    (
        "school_form",
        &[
            Action::Group(ProjectId::Math),
            Action::NextTab,
            Action::NextTab,
            Action::NewRecord,
        ],
    ),
    (
        "plan_form",
        &[
            Action::Group(ProjectId::Math),
            Action::PrevTab,
            Action::PrevTab,
            Action::Edit,
        ],
    ),
    (
        "withdraw_form",
        &[
            Action::Group(ProjectId::Math),
            Action::SelectNext,
            Action::Withdraw,
        ],
    ),
    ("help", &[Action::Help]),
    (
        "form",
        &[
            Action::Group(ProjectId::Math),
            Action::SelectNext,
            Action::Edit,
        ],
    ),
    ("users", &[Action::Users]),
    ("user_form", &[Action::Users, Action::NewRecord]),
    ("find", &[Action::Filter]),
    (
        "calendar",
        &[Action::Group(ProjectId::Math), Action::PrevTab],
    ),
    (
        "attendance",
        &[
            Action::Group(ProjectId::Math),
            Action::PrevTab,
            Action::NextStep,
        ],
    ),
    (
        "session_form",
        &[
            Action::Group(ProjectId::Math),
            Action::PrevTab,
            Action::NewRecord,
        ],
    ),
];

/// A scene reached by typing as well as acting, given a scratch directory
/// for the files it reads.
pub type Staged = fn(&mut App, &Path);

/// The scenes that type: an import's report (of a sample list written to the
/// scratch directory) and the evaluation (of achievements recorded through
/// their form). The evaluation's scene writes, so each staged scene wants a
/// database of its own, or to come after the scenes of [`SCREENS`].
pub const STAGED: &[(&str, Staged)] =
    &[("import_report", import_report), ("evaluation", evaluation)];

/// A school's list with good rows and bad ones (a short phone, a missing
/// and a repeated recommender, a formula, a date after the demo's today).
const SAMPLE_LIST: &str = include_str!("sample_applications.csv");

/// The math group imports the sample list, skipping its bad rows: the
/// report waits for the yes.
fn import_report(app: &mut App, scratch: &Path) {
    let file = scratch.join("推荐名单.csv");
    if std::fs::write(&file, SAMPLE_LIST).is_err() {
        return;
    }
    app.act(Action::Group(ProjectId::Math));
    app.act(Action::ImportApplications);
    type_text(app, &file.to_string_lossy());
    app.act(Action::NextField);
    type_key(app, Key::plain(KeyCode::Right));
    app.act(Action::Submit);
}

/// Four of the math group's trainees get a prize or an admission through
/// the achievement form, then the evaluation opens.
fn evaluation(app: &mut App, _scratch: &Path) {
    // (row, competition or university, level and prize steps right, admission)
    let recorded: [(usize, &str, usize, usize, bool); 4] = [
        (0, "全国中学生数学奥林匹克竞赛", 0, 0, false),
        (1, "全国高中数学联赛", 1, 0, false),
        (2, "全国高中数学联赛", 1, 1, false),
        (3, "北京大学", 0, 0, true),
    ];
    app.act(Action::Group(ProjectId::Math));
    for (row, name, level, award, admission) in recorded {
        app.act(Action::SelectFirst);
        for _ in 0..row {
            app.act(Action::SelectNext);
        }
        app.act(Action::Open);
        app.act(Action::NewRecord);
        if admission {
            type_key(app, Key::plain(KeyCode::Right));
            for _ in 0..4 {
                app.act(Action::NextField);
            }
            type_text(app, name);
        } else {
            app.act(Action::NextField);
            type_text(app, name);
            for steps in [level, award] {
                app.act(Action::NextField);
                for _ in 0..steps {
                    type_key(app, Key::plain(KeyCode::Right));
                }
            }
        }
        app.act(Action::Submit);
        // A read-only database refuses: the scene goes on without it.
        if app.form().is_some() {
            app.act(Action::Cancel);
            app.act(Action::Yes);
        }
        app.act(Action::Back);
    }
    app.act(Action::Evaluation);
}

/// A key as typed, and what it writes applied.
fn type_key(app: &mut App, key: Key) {
    let effects = app.handle(crate::tui::app::Message::Key(key));
    app.settle(effects);
}

fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        type_key(app, Key::char(c));
    }
}

/// Takes a fresh App (at the overview) to the staged scene and renders it.
pub fn capture_staged(
    app: &mut App,
    stage: Staged,
    scratch: &Path,
    width: u16,
    height: u16,
) -> Buffer {
    app.handle(crate::tui::app::Message::Resize(width, height));
    stage(app, scratch);
    render(app, width, height)
}

/// Renders `app` into a buffer of `width` x `height`.
pub fn render(app: &App, width: u16, height: u16) -> Buffer {
    let mut terminal = match Terminal::new(TestBackend::new(width, height)) {
        Ok(t) => t,
        Err(e) => match e {},
    };
    let _ = terminal.draw(|f| crate::tui::widgets::chrome::draw(f, &app.view()));
    terminal.backend().buffer().clone()
}

/// Takes a fresh App (at the overview) to `screen` and renders it.
pub fn capture(app: &mut App, actions: &[Action], width: u16, height: u16) -> Buffer {
    app.handle(crate::tui::app::Message::Resize(width, height));
    for a in actions {
        app.act(*a);
    }
    render(app, width, height)
}
