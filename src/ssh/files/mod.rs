//! Files over SSH, on the same port and server: an SFTP subsystem showing
//! each user a tree of their own ([`tree`]): the exports their role reads,
//! made from the registry when opened ([`content`]), and an `imports/`
//! folder for the lists they upload ([`uploads`]), which the dashboard's
//! import form offers ([`remote`], with the `scp` lines the dashboard
//! shows). Never the server's own file system.

pub mod content;
pub mod remote;
pub mod sftp;
pub mod tree;
pub mod uploads;
