//! The programme's records and rules: plain data and pure functions, no IO.

pub mod achievement;
pub mod assessment;
pub mod calendar;
pub mod chars;
pub mod coach;
pub mod cycle;
pub mod dates;
pub mod day;
pub mod field;
pub mod ledger;
pub mod money;
pub mod phone;
pub mod pipeline;
pub mod project;
pub mod record;
pub mod school;
pub mod text;
pub mod trainee;
pub mod training;
pub mod user;

pub use assessment::{Assessment, Outcome, PriorResult, Score};
pub use calendar::{Semester, Term};
pub use coach::{
    Coach, CoachRole, CoachStage, Person, Prize, PrizeLevel, Shortfall, StudentResult,
};
pub use cycle::{AnnualCycle, Document, Filing, PlanParts, Target};
pub use ledger::{
    Account, Balance, BudgetLine, Entry, EntryKind, Fund, Holder, budget_against_actual,
    monthly_spending,
};
pub use money::Money;
pub use project::ProjectId;
pub use record::{Gender, Stamp};
pub use school::{BaseSchool, ChiefCoachDetails, SchoolApplication, SchoolStage};
pub use trainee::{
    Announcement, Objection, Retraction, StageChange, Trainee, TraineeKind, TraineeStage,
    TrainingMode, Withdrawal, WithdrawalReason,
};
pub use user::{Actor, Removal, Role, RoleError, User, UserKey};
