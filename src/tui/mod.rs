//! The terminal interface: a transport-agnostic App (a stack of screens,
//! forms above it) driven by a driver over any event source and ratatui
//! backend: the local terminal or an SSH session.
//!
//! - `screens/`: each full-screen view with its state, actions and drawing.
//! - `forms/`: one module per form, with typed fields.
//! - `widgets/`: drawing pieces and the chrome around the screens.
//! - `input/`: keys, keymaps, bindable actions, search.
//! - `term/`: the driver, the local terminal, theme, screenshots.

pub mod app;
pub mod ctx;
pub mod files;
pub mod forms;
pub mod input;
pub mod model;
pub mod screens;
pub mod strings;
pub mod term;
pub mod widgets;

pub use input::{action, key, keymap, search};
pub use term::{driver, local, scenes, screenshot, theme};
