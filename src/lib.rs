//! 强基 Qiangji: records and rules of Qingdao's Strong Foundation programme.

pub mod domain;
pub mod i18n;
pub mod store;
pub mod registry;
