//! The one place that turns records into bytes and back. Every stored value is a
//! format byte followed by its payload:
//!
//! - `1`, bincode 2: compact and fast, for the records read again and again
//!   (trainees, entries, indexes). Its bytes follow the Rust type field by
//!   field, so a record type that changes needs a schema step that rewrites
//!   the old records (`registry::migrate`). bincode 3.0 is a deliberate
//!   compile error from its retired maintainers, so it is pinned at 2.0.x here
//!   and nowhere else.
//! - `2`, JSON: self-describing, for what must stay readable while the types
//!   grow: the audit trail (whose commands name every kind of change, so the
//!   `Command` enum grows with each feature) and the users. A new variant or
//!   a new field with `#[serde(default)]` reads the older entries as they are.
//!
//! Which trees use which is `Tree::format`; decoding follows the byte.

use serde::Serialize;
use serde::de::DeserializeOwned;

/// The format byte of bincode 2 payloads.
pub const FORMAT_BINCODE2: u8 = 1;
/// The format byte of JSON payloads.
pub const FORMAT_JSON: u8 = 2;

/// How a tree's values are written (see the module's comment).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Bincode2,
    Json,
}

#[derive(Debug, thiserror::Error)]
pub enum CodecError {
    #[error("empty value")]
    Empty,
    #[error("unknown format byte {0}")]
    UnknownFormat(u8),
    #[error("undecodable payload: {0}")]
    Decode(String),
    #[error("unencodable value: {0}")]
    Encode(String),
}

fn config() -> bincode::config::Configuration {
    bincode::config::standard()
}

/// Bincode 2, the format of most trees.
pub fn encode<T: Serialize>(value: &T) -> Result<Vec<u8>, CodecError> {
    encode_as(Format::Bincode2, value)
}

pub fn encode_as<T: Serialize>(format: Format, value: &T) -> Result<Vec<u8>, CodecError> {
    match format {
        Format::Bincode2 => {
            let mut out = vec![FORMAT_BINCODE2];
            bincode::serde::encode_into_std_write(value, &mut out, config())
                .map_err(|e| CodecError::Encode(e.to_string()))?;
            Ok(out)
        }
        Format::Json => {
            let mut out = vec![FORMAT_JSON];
            serde_json::to_writer(&mut out, value)
                .map_err(|e| CodecError::Encode(e.to_string()))?;
            Ok(out)
        }
    }
}

/// Decodes a value of either format, as its first byte says.
pub fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, CodecError> {
    let (&format, payload) = bytes.split_first().ok_or(CodecError::Empty)?;
    match format {
        FORMAT_BINCODE2 => decode_bincode(payload),
        FORMAT_JSON => {
            serde_json::from_slice(payload).map_err(|e| CodecError::Decode(e.to_string()))
        }
        other => Err(CodecError::UnknownFormat(other)),
    }
}

fn decode_bincode<T: DeserializeOwned>(payload: &[u8]) -> Result<T, CodecError> {
    let (value, used) = bincode::serde::decode_from_slice(payload, config())
        .map_err(|e| CodecError::Decode(e.to_string()))?;
    if used != payload.len() {
        return Err(CodecError::Decode(format!(
            "{} trailing bytes",
            payload.len() - used
        )));
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Money, Semester, Term};

    #[test]
    fn round_trips_and_refuses_garbage() {
        let v = (
            Money(12_345),
            Semester::new(2026, Term::Second),
            "张伟".to_string(),
        );
        let bytes = encode(&v).unwrap();
        assert_eq!(bytes[0], FORMAT_BINCODE2);
        assert_eq!(decode::<(Money, Semester, String)>(&bytes).unwrap(), v);
        assert!(matches!(decode::<u32>(&[]), Err(CodecError::Empty)));
        assert!(matches!(
            decode::<u32>(&[9, 1]),
            Err(CodecError::UnknownFormat(9))
        ));
        assert!(matches!(
            decode::<String>(&[1, 200]),
            Err(CodecError::Decode(_))
        ));
        let mut long = encode(&1u32).unwrap();
        long.push(0);
        assert!(matches!(decode::<u32>(&long), Err(CodecError::Decode(_))));
    }

    /// JSON reads what an older, smaller type wrote: the reason the audit
    /// trail is written in it.
    #[test]
    fn json_reads_entries_of_a_type_that_grew() {
        #[derive(serde::Serialize)]
        enum Then {
            Add { name: String },
        }
        #[derive(serde::Deserialize, Debug, PartialEq)]
        enum Now {
            Add {
                name: String,
                #[serde(default)]
                lang: Option<String>,
            },
            #[allow(dead_code)]
            Rename { to: String },
        }
        let bytes = encode_as(Format::Json, &Then::Add { name: "li".into() }).unwrap();
        assert_eq!(bytes[0], FORMAT_JSON);
        assert_eq!(
            decode::<Now>(&bytes).unwrap(),
            Now::Add {
                name: "li".into(),
                lang: None
            }
        );
        // bincode of the same change cannot be read: why it is not used there.
        let old = encode(&Then::Add { name: "li".into() }).unwrap();
        assert!(decode::<Now>(&old).is_err());
    }
}
