//! From key presses to actions: keys as the keymap sees them, keymap files,
//! every bindable action, and the search that filters lists.

pub mod action;
pub mod key;
pub mod keymap;
pub mod search;
