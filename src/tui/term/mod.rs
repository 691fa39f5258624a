//! Terminals: the driver any transport runs the App with, the local
//! terminal's adapter, the colour theme, and screenshots of the screens.

pub mod driver;
pub mod local;
pub mod scenes;
pub mod screenshot;
pub mod theme;
