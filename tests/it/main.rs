//! Every integration test, in one binary: linking the crate once instead of
//! once per file is most of what a fresh `cargo test` costs on 2 cores.
//! One module per feature; shared setup lives in `common`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod audit_and_undo_screens;
mod backup;
mod calendar_screens;
mod cli;
mod common;
mod crash;
mod driver;
mod e2e_tmux;
mod evaluation;
mod every_size;
mod fields;
mod form_details;
mod hostile_input;
mod import;
mod import_and_achievement_screens;
mod keyboard_workflows;
mod keymaps;
mod late;
mod layers;
mod ledger;
mod ledger_forms;
mod limits;
mod lists;
mod messages;
mod no_cuts;
mod one_language;
mod open_errors;
mod proptest_cells;
mod proptest_commands;
mod record_rules;
mod redraw_bytes;
mod roles;
mod rollover;
mod rules;
mod screens_follow;
mod serve;
mod snapshots;
mod storage_faults;
mod training;
