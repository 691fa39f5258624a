//! Money as whole fen (分) in an `i64`. Never a float: the ledger must balance to
//! the fen, and finance compares it with vouchers.

use serde::{Deserialize, Serialize};

use crate::i18n::{Lang, Localized};

#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub struct Money(pub i64);

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum MoneyError {
    #[error("no amount given")]
    Empty,
    #[error("\"{0}\" is not an amount; write it like 1234.50")]
    Invalid(String),
    #[error("\"{0}\" has more than two decimal places (amounts are exact to the fen)")]
    TooPrecise(String),
    #[error("\"{0}\" is negative; enter a positive amount")]
    Negative(String),
    #[error("\"{0}\" is more than one entry may be (¥100,000,000.00)")]
    Overflow(String),
}

impl Localized for MoneyError {
    fn localized(&self, lang: Lang) -> String {
        match (self, lang) {
            (MoneyError::Empty, Lang::Zh) => "请输入金额".into(),
            (MoneyError::Invalid(s), Lang::Zh) => format!("“{s}”不是有效金额，格式如 1234.50"),
            (MoneyError::TooPrecise(s), Lang::Zh) => format!("“{s}”超过两位小数（金额精确到分）"),
            (MoneyError::Negative(s), Lang::Zh) => format!("“{s}”为负数，请输入正数金额"),
            (MoneyError::Overflow(s), Lang::Zh) => format!("“{s}”超过单笔上限 ¥100,000,000.00"),
            (e, Lang::En) => e.to_string(),
        }
    }
}

impl Money {
    pub const ZERO: Money = Money(0);

    /// The most one entry (or one budget line) may be: ¥100,000,000. The
    /// programme's yearly funds are a few million; the ceiling keeps every
    /// sum of entries far inside an `i64` and catches a mistyped amount.
    pub const MAX_ENTRY: Money = Money(100_000_000 * 100);

    /// Whether one entry may carry this amount.
    pub fn within_ceiling(self) -> bool {
        self <= Money::MAX_ENTRY
    }

    /// The sum clamped to the `i64` range, for views that must draw
    /// something: a clamped total is visibly absurd, a wrapped one is not.
    pub fn saturating_sum(amounts: impl IntoIterator<Item = Money>) -> Money {
        Money(
            amounts
                .into_iter()
                .fold(0i64, |acc, m| acc.saturating_add(m.0)),
        )
    }

    /// The sum, or None when it does not fit: totals are never wrapped.
    pub fn checked_sum(amounts: impl IntoIterator<Item = Money>) -> Option<Money> {
        amounts
            .into_iter()
            .try_fold(Money::ZERO, |acc, m| acc.checked_add(m))
    }

    pub fn fen(self) -> i64 {
        self.0
    }

    pub fn from_yuan(yuan: i64) -> Money {
        Money(yuan * 100)
    }

    pub fn checked_add(self, o: Money) -> Option<Money> {
        self.0.checked_add(o.0).map(Money)
    }

    pub fn checked_sub(self, o: Money) -> Option<Money> {
        self.0.checked_sub(o.0).map(Money)
    }

    /// Parses an amount in yuan as people type it: `1234.5`, `1,234.50`,
    /// `¥1234`, `￥ 12`. Refuses more than two decimals, negatives, misplaced
    /// thousands separators, anything else, and amounts above
    /// [`Money::MAX_ENTRY`].
    pub fn parse(input: &str) -> Result<Money, MoneyError> {
        let raw = input.trim();
        if raw.is_empty() {
            return Err(MoneyError::Empty);
        }
        let invalid = || MoneyError::Invalid(raw.to_string());
        let mut s = raw;
        for sign in ["¥", "￥", "CNY", "RMB"] {
            if let Some(rest) = s.strip_prefix(sign) {
                s = rest.trim_start();
                break;
            }
        }
        if s.starts_with('-') {
            return Err(MoneyError::Negative(raw.to_string()));
        }
        let s = s.strip_prefix('+').unwrap_or(s);
        let (int_part, frac_part) = match s.split_once('.') {
            Some((i, f)) => (i, Some(f)),
            None => (s, None),
        };
        if int_part.is_empty() && frac_part.is_none_or(str::is_empty) {
            return Err(invalid());
        }
        // Thousands separators must group by three, as a finance office writes them.
        let digits: String = if int_part.contains(',') {
            let groups: Vec<&str> = int_part.split(',').collect();
            let first_ok = (1..=3).contains(&groups[0].len());
            let rest_ok = groups[1..].iter().all(|g| g.len() == 3);
            if !first_ok || !rest_ok {
                return Err(invalid());
            }
            groups.concat()
        } else {
            int_part.to_string()
        };
        if !digits.chars().all(|c| c.is_ascii_digit()) {
            return Err(invalid());
        }
        let frac = frac_part.unwrap_or("");
        if !frac.chars().all(|c| c.is_ascii_digit()) {
            return Err(invalid());
        }
        if frac.len() > 2 {
            return Err(MoneyError::TooPrecise(raw.to_string()));
        }
        let overflow = || MoneyError::Overflow(raw.to_string());
        let yuan: i64 = if digits.is_empty() {
            0
        } else {
            digits.parse().map_err(|_| overflow())?
        };
        let mut fen_part: i64 = if frac.is_empty() {
            0
        } else {
            frac.parse().map_err(|_| invalid())?
        };
        if frac.len() == 1 {
            fen_part *= 10;
        }
        yuan.checked_mul(100)
            .and_then(|v| v.checked_add(fen_part))
            .map(Money)
            .filter(|m| m.within_ceiling())
            .ok_or_else(overflow)
    }

    /// `12345.67`: what a CSV cell or a journal wants.
    pub fn plain(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let a = self.0.unsigned_abs();
        format!("{sign}{}.{:02}", a / 100, a % 100)
    }

    /// `¥12,345.67`, `-¥700.00`: what a person reads.
    pub fn display(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let a = self.0.unsigned_abs();
        format!("{sign}¥{}", grouped_abs(a))
    }

    /// `12,345.67`.
    pub fn grouped(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        format!("{sign}{}", grouped_abs(self.0.unsigned_abs()))
    }
}

/// `12,345.67` of an amount in fen without its sign (unsigned, so `i64::MIN`
/// prints right instead of being clamped).
fn grouped_abs(a: u64) -> String {
    let yuan = (a / 100).to_string();
    let mut out = String::with_capacity(yuan.len() + yuan.len() / 3 + 4);
    for (i, c) in yuan.chars().enumerate() {
        if i > 0 && (yuan.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    format!("{out}.{:02}", a % 100)
}

impl std::fmt::Display for Money {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.display())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_what_people_type() {
        assert_eq!(Money::parse("0.01"), Ok(Money(1)));
        assert_eq!(Money::parse("1234.5"), Ok(Money(123_450)));
        assert_eq!(Money::parse("1,234.50"), Ok(Money(123_450)));
        assert_eq!(Money::parse("¥1234"), Ok(Money(123_400)));
        assert_eq!(Money::parse("￥ 12"), Ok(Money(1_200)));
        assert_eq!(Money::parse(" 1,234,567 "), Ok(Money(123_456_700)));
        assert_eq!(Money::parse(".5"), Ok(Money(50)));
        assert_eq!(Money::parse("7."), Ok(Money(700)));
    }

    #[test]
    fn refuses_the_rest() {
        assert!(matches!(
            Money::parse("12.345"),
            Err(MoneyError::TooPrecise(_))
        ));
        assert!(matches!(Money::parse("abc"), Err(MoneyError::Invalid(_))));
        assert!(matches!(Money::parse("-5"), Err(MoneyError::Negative(_))));
        assert!(matches!(Money::parse("¥-5"), Err(MoneyError::Negative(_))));
        assert!(matches!(Money::parse(""), Err(MoneyError::Empty)));
        assert!(matches!(Money::parse("."), Err(MoneyError::Invalid(_))));
        assert!(matches!(Money::parse("12,34"), Err(MoneyError::Invalid(_))));
        assert!(matches!(
            Money::parse("1,2345"),
            Err(MoneyError::Invalid(_))
        ));
        assert!(matches!(Money::parse("1 234"), Err(MoneyError::Invalid(_))));
        assert!(matches!(Money::parse("1e5"), Err(MoneyError::Invalid(_))));
        assert!(matches!(
            Money::parse("92233720368547758.08"),
            Err(MoneyError::Overflow(_))
        ));
        assert!(matches!(
            Money::parse("99999999999999999999"),
            Err(MoneyError::Overflow(_))
        ));
        assert!(matches!(
            Money::parse("92233720368547758.07"),
            Err(MoneyError::Overflow(_))
        ));
        // The allocation: ¥90,000,000,000,000,000.
        assert!(matches!(
            Money::parse("90000000000000000"),
            Err(MoneyError::Overflow(_))
        ));
        assert_eq!(Money::parse("100,000,000.00"), Ok(Money::MAX_ENTRY));
        assert!(matches!(
            Money::parse("100000000.01"),
            Err(MoneyError::Overflow(_))
        ));
    }

    #[test]
    fn sums_never_wrap() {
        let big = [Money(i64::MAX - 1), Money(5)];
        assert_eq!(Money::checked_sum(big), None);
        assert_eq!(Money::saturating_sum(big), Money(i64::MAX));
        assert_eq!(Money::checked_sum([Money(2), Money(3)]), Some(Money(5)));
        assert_eq!(Money(i64::MIN).display(), "-¥92,233,720,368,547,758.08");
    }

    #[test]
    fn prints_both_ways() {
        assert_eq!(Money(1_234_567).display(), "¥12,345.67");
        assert_eq!(Money(5).plain(), "0.05");
        assert_eq!(Money(-120_000).display(), "-¥1,200.00");
        assert_eq!(Money(100_000).grouped(), "1,000.00");
        assert_eq!(Money(99_999).grouped(), "999.99");
    }

    #[test]
    fn error_messages_in_chinese() {
        let e = Money::parse("12.345").unwrap_err();
        assert!(e.localized(Lang::Zh).contains("两位小数"));
        assert!(e.localized(Lang::En).contains("two decimal"));
    }
}
