//! What every stored record carries: a version, and who last changed it when.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    /// Starts at 1 and grows by one with every change; a command built from an
    /// older version is refused instead of overwriting someone's change.
    pub version: u32,
    #[serde(with = "chrono::serde::ts_milliseconds")]
    pub created_at: DateTime<Utc>,
    #[serde(with = "chrono::serde::ts_milliseconds")]
    pub updated_at: DateTime<Utc>,
    pub updated_by: String,
}

impl Stamp {
    pub fn new(at: DateTime<Utc>, by: &str) -> Stamp {
        Stamp {
            version: 1,
            created_at: at,
            updated_at: at,
            updated_by: by.to_string(),
        }
    }

    pub fn touch(&mut self, at: DateTime<Utc>, by: &str) {
        self.version = self.version.saturating_add(1);
        self.updated_at = at;
        self.updated_by = by.to_string();
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Gender {
    Male,
    Female,
}

impl Gender {
    pub fn label(self, lang: crate::i18n::Lang) -> &'static str {
        match self {
            Gender::Male => lang.pick("男", "male"),
            Gender::Female => lang.pick("女", "female"),
        }
    }

    pub fn parse(s: &str) -> Option<Gender> {
        match s.trim().to_ascii_lowercase().as_str() {
            "男" | "m" | "male" => Some(Gender::Male),
            "女" | "f" | "female" => Some(Gender::Female),
            _ => None,
        }
    }
}
