//! The terminal interface: a transport-agnostic App (state, update, views)
//! driven by the local terminal runner or an SSH session.

pub mod action;
pub mod app;
pub mod coach_forms;
pub mod form;
pub mod key;
pub mod keymap;
pub mod model;
pub mod pipeline;
pub mod plan_forms;
pub mod runner;
pub mod school_forms;
pub mod screens;
pub mod screenshot;
pub mod search;
pub mod session;
pub mod strings;
pub mod theme;
pub mod view;
