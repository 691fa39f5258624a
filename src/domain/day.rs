//! A stored day read quickly. chrono stores a `NaiveDate` as its text
//! (`2026-09-12`) and reads it back through its general format parser, which
//! was a fifth of opening a 17,000-trainee group. The fields marked
//! `#[serde(with = "day")]` are written by chrono itself, so the stored bytes
//! do not change (no schema step), and read by hand when they have the usual
//! ten characters; anything else goes to chrono as before.

use chrono::NaiveDate;
use serde::{Deserializer, Serializer, de};

pub fn serialize<S: Serializer>(date: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
    serde::Serialize::serialize(date, s)
}

pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
    d.deserialize_str(DayVisitor)
}

/// `Option<NaiveDate>` the same way.
pub mod option {
    use chrono::NaiveDate;
    use serde::{Deserializer, Serializer, de};

    pub fn serialize<S: Serializer>(date: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
        serde::Serialize::serialize(date, s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
        d.deserialize_option(OptionVisitor)
    }

    struct OptionVisitor;

    impl<'de> de::Visitor<'de> for OptionVisitor {
        type Value = Option<NaiveDate>;

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("an optional date")
        }

        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            super::deserialize(d).map(Some)
        }
    }
}

struct DayVisitor;

impl de::Visitor<'_> for DayVisitor {
    type Value = NaiveDate;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a date like 2026-09-12")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<NaiveDate, E> {
        match quick(text.as_bytes()) {
            Some(date) => Ok(date),
            None => text.parse().map_err(E::custom),
        }
    }
}

/// `YYYY-MM-DD` with four-digit year: the only shape chrono writes for the
/// years the programme has.
fn quick(b: &[u8]) -> Option<NaiveDate> {
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| {
        b[r].iter().try_fold(0u32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    let year = i32::try_from(num(0..4)?).ok()?;
    NaiveDate::from_ymd_opt(year, num(5..7)?, num(8..10)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::{Deserialize, Serialize};

    #[derive(Serialize, Deserialize, PartialEq, Debug)]
    struct Chrono {
        a: NaiveDate,
        b: Option<NaiveDate>,
    }

    #[derive(Serialize, Deserialize, PartialEq, Debug)]
    struct Quick {
        #[serde(with = "super")]
        a: NaiveDate,
        #[serde(with = "super::option")]
        b: Option<NaiveDate>,
    }

    #[test]
    fn the_bytes_are_chronos_and_read_back_the_same() {
        let days = [
            NaiveDate::MIN,
            NaiveDate::MAX,
            NaiveDate::from_ymd_opt(1, 1, 1).unwrap(),
            NaiveDate::from_ymd_opt(2026, 9, 12).unwrap(),
            NaiveDate::from_ymd_opt(2028, 2, 29).unwrap(),
            NaiveDate::from_ymd_opt(9999, 12, 31).unwrap(),
            NaiveDate::from_ymd_opt(10000, 1, 1).unwrap(),
        ];
        for a in days {
            for b in [None, Some(a)] {
                let c = Chrono { a, b };
                let q = Quick { a, b };
                let bytes = crate::store::codec::encode(&c).unwrap();
                assert_eq!(crate::store::codec::encode(&q).unwrap(), bytes, "{a}");
                let back: Quick = crate::store::codec::decode(&bytes).unwrap();
                assert_eq!(back, q);
            }
        }
    }

    #[test]
    fn only_the_usual_shape_is_read_by_hand() {
        assert_eq!(quick(b"2026-09-12"), NaiveDate::from_ymd_opt(2026, 9, 12));
        assert_eq!(quick(b"2026-02-30"), None);
        assert_eq!(quick(b"2026-9-12x"), None);
        assert_eq!(quick(b"+10000-01-01"), None);
        assert_eq!(quick(b"20a6-09-12"), None);
    }
}
