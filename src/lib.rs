//! 强基 Qiangji: records and rules of Qingdao's Strong Foundation programme.

pub mod atomic_file;
pub mod cli;
pub mod command_line;
pub mod demo;
pub mod domain;
pub mod evaluation;
pub mod export;
pub mod i18n;
pub mod import;
pub mod registry;
pub mod rollover;
pub mod runner;
pub mod safe_text;
pub mod signals;
pub mod ssh;
pub mod store;
pub mod tui;
pub mod user_file;
