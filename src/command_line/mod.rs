//! What a user may type, below both front ends that read it: the local
//! command line (`crate::cli`) and the SSH server's exec commands
//! (`crate::ssh::exec`). One definition of the subcommands
//! ([`grammar`]), their help in the user's language ([`help`]), and the
//! gate that says where each may run and which roles may run it
//! ([`gate`]). A new subcommand is added here once and is then parsed,
//! explained and gated the same way locally and over SSH.
//!
//! This module uses only the domain and i18n layers: no database, no
//! terminal, no network.

pub mod exit_code;
pub mod gate;
pub mod grammar;
pub mod help;

pub use grammar::*;
pub use help::command;
