//! The main screens, reached by driving an App the way a user would. Used by
//! `qiangji screenshot` and the snapshot tests, so both show the same thing.

use ratatui::Terminal;

use crate::domain::ProjectId;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;

use crate::tui::app::App;
use crate::tui::input::action::Action;

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
            Action::AddExpense,
        ],
    ),
    ("plans", &[Action::Group(ProjectId::Math), Action::PrevTab]),
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
];

/// Renders `app` into a buffer of `width` x `height`.
pub fn render(app: &App, width: u16, height: u16) -> Buffer {
    let mut terminal = match Terminal::new(TestBackend::new(width, height)) {
        Ok(t) => t,
        Err(e) => match e {},
    };
    let _ = terminal.draw(|f| crate::tui::widgets::chrome::draw(f, app));
    terminal.backend().buffer().clone()
}

/// Takes a fresh App (at the overview) to `screen` and renders it.
pub fn capture(app: &mut App, actions: &[Action], width: u16, height: u16) -> Buffer {
    app.handle(crate::tui::app::Event::Resize(width, height));
    for a in actions {
        app.act(*a);
    }
    render(app, width, height)
}
