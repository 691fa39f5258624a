//! The one place that turns records into bytes and back. Every stored value is a
//! format byte followed by a bincode 2 payload; bincode 3.0 is a deliberate
//! compile error from its retired maintainers, so it is pinned at 2.0.x here and
//! nowhere else, and a future codec gets a new format byte.

use serde::Serialize;
use serde::de::DeserializeOwned;

/// The format byte in front of every payload written today.
pub const FORMAT_BINCODE2: u8 = 1;

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

pub fn encode<T: Serialize>(value: &T) -> Result<Vec<u8>, CodecError> {
    let mut out = vec![FORMAT_BINCODE2];
    bincode::serde::encode_into_std_write(value, &mut out, config())
        .map_err(|e| CodecError::Encode(e.to_string()))?;
    Ok(out)
}

pub fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, CodecError> {
    let (&format, payload) = bytes.split_first().ok_or(CodecError::Empty)?;
    if format != FORMAT_BINCODE2 {
        return Err(CodecError::UnknownFormat(format));
    }
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
}
