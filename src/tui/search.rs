//! Filtering lists by Chinese text, full pinyin and pinyin initials.
//!
//! Each row gets a [`SearchKey`] once, when the list is built: one lowercase
//! haystack holding every field as written and, for fields with Chinese
//! characters, their pinyin without tones (`张伟` → `zhangwei`) and initials
//! (`zw`). A [`Query`] is the typed filter split into terms; a row matches
//! when every term is a substring of its haystack. Matching does not allocate.
//!
//! Polyphonic characters contribute each of their readings (`曾` is `zeng` as
//! well as the dictionary default `ceng`, `单` also `shan`), so surnames are
//! found by the reading people type.

use pinyin::{ToPinyin, ToPinyinMulti};

/// Separates the parts of a haystack; it cannot be typed (a query drops
/// control characters), so no term matches across two fields.
const SEP: char = '\u{1}';

/// A field whose readings combine in at most this many ways gets every
/// combination; a longer one gets its default reading plus each variant with
/// one character read differently.
const MAX_COMBINATIONS: usize = 16;

/// The searchable text of one row.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct SearchKey(Box<str>);

impl SearchKey {
    /// Builds the haystack of a row from its fields (name, school, district,
    /// ...).
    pub fn new(fields: &[&str]) -> Self {
        let mut hay = String::new();
        for field in fields {
            push_part(&mut hay, &fold(field));
            let readings = readings(field);
            if readings.iter().any(|r| r.is_pinyin) {
                for (full, initials) in spellings(&readings) {
                    push_part(&mut hay, &full);
                    push_part(&mut hay, &initials);
                }
            }
        }
        SearchKey(hay.into_boxed_str())
    }

    /// Whether every term of `query` occurs in this row; an empty query
    /// matches every row.
    pub fn matches(&self, query: &Query) -> bool {
        query
            .terms
            .iter()
            .all(|term| self.0.contains(term.as_str()))
    }

    /// The haystack, parts separated by U+0001 (for tests and debugging).
    pub fn haystack(&self) -> &str {
        &self.0
    }
}

/// A filter as typed: terms split at whitespace, all of which must match.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Query {
    terms: Vec<String>,
}

impl Query {
    /// Lowercases `text` (full-width letters and digits count as ASCII) and
    /// splits it at whitespace, ideographic space included.
    pub fn new(text: &str) -> Self {
        let terms = text
            .split(|c: char| c.is_whitespace() || c.is_control())
            .filter(|t| !t.is_empty())
            .map(fold)
            .collect();
        Query { terms }
    }

    /// Whether the query has no terms (it then matches everything).
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// The normalised terms.
    pub fn terms(&self) -> impl Iterator<Item = &str> {
        self.terms.iter().map(String::as_str)
    }
}

/// Lowercase, with full-width ASCII (typed with a Chinese input method in
/// full-width mode) turned into ASCII.
fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let c = match c {
            '\u{ff01}'..='\u{ff5e}' => char::from_u32(u32::from(c) - 0xfee0).unwrap_or(c),
            '\u{3000}' => ' ',
            c => c,
        };
        out.extend(c.to_lowercase());
    }
    out
}

fn push_part(hay: &mut String, part: &str) {
    if part.is_empty() {
        return;
    }
    if !hay.is_empty() {
        hay.push(SEP);
    }
    hay.push_str(part);
}

/// The ways one character of a field can be spelled.
struct Reading {
    /// (full spelling, initial), the default reading first.
    spellings: Vec<(String, String)>,
    is_pinyin: bool,
}

/// Readings of the characters of a field that count in its pinyin: Chinese
/// characters, letters and digits (spaces and punctuation are left out).
fn readings(field: &str) -> Vec<Reading> {
    let mut out = Vec::new();
    for c in field.chars() {
        if let Some(default) = c.to_pinyin() {
            let mut spellings = vec![(
                default.plain().to_string(),
                default.first_letter().to_string(),
            )];
            if let Some(multi) = c.to_pinyin_multi() {
                for p in multi {
                    if !spellings.iter().any(|(full, _)| full == p.plain()) {
                        spellings.push((p.plain().to_string(), p.first_letter().to_string()));
                    }
                }
            }
            out.push(Reading {
                spellings,
                is_pinyin: true,
            });
        } else if c.is_alphanumeric() {
            let s = fold(&c.to_string());
            out.push(Reading {
                spellings: vec![(s.clone(), s)],
                is_pinyin: false,
            });
        }
    }
    out
}

/// Distinct (full pinyin, initials) spellings of a field, default first.
fn spellings(readings: &[Reading]) -> Vec<(String, String)> {
    spelled(readings, &choices(readings))
}

/// Which spelling of each character to use, one list per combination; the
/// default reading of every character comes first.
fn choices(readings: &[Reading]) -> Vec<Vec<usize>> {
    let combinations = readings
        .iter()
        .try_fold(1usize, |n, r| n.checked_mul(r.spellings.len()))
        .unwrap_or(usize::MAX);
    if combinations <= MAX_COMBINATIONS {
        let mut all: Vec<Vec<usize>> = vec![Vec::with_capacity(readings.len())];
        for r in readings {
            all = all
                .into_iter()
                .flat_map(|pick| {
                    (0..r.spellings.len()).map(move |i| {
                        let mut pick = pick.clone();
                        pick.push(i);
                        pick
                    })
                })
                .collect();
        }
        all
    } else {
        let mut all = vec![vec![0; readings.len()]];
        for (i, r) in readings.iter().enumerate() {
            for alt in 1..r.spellings.len() {
                let mut pick = vec![0; readings.len()];
                pick[i] = alt;
                all.push(pick);
            }
        }
        all
    }
}

fn spelled(readings: &[Reading], choices: &[Vec<usize>]) -> Vec<(String, String)> {
    let mut fulls: Vec<String> = Vec::new();
    let mut initials: Vec<String> = Vec::new();
    for pick in choices {
        let mut full = String::new();
        let mut init = String::new();
        for (r, &i) in readings.iter().zip(pick) {
            let (f, s) = &r.spellings[i];
            full.push_str(f);
            init.push_str(s);
        }
        if !fulls.contains(&full) {
            fulls.push(full);
        }
        if !initials.contains(&init) {
            initials.push(init);
        }
    }
    // Pair them up for the haystack; the lists may differ in length.
    let n = fulls.len().max(initials.len());
    (0..n)
        .map(|i| {
            (
                fulls.get(i).cloned().unwrap_or_default(),
                initials.get(i).cloned().unwrap_or_default(),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finds(fields: &[&str], query: &str) -> bool {
        SearchKey::new(fields).matches(&Query::new(query))
    }

    #[test]
    fn finds_a_name_by_characters_pinyin_and_initials() {
        for q in [
            "zw", "zhangwei", "张", "张伟", "ZW", "Zhang", "zhangw", "wei", "ｚｗ",
        ] {
            assert!(finds(&["张伟"], q), "{q}");
        }
        for q in ["wz", "weizhang", "李", "zhangweia"] {
            assert!(!finds(&["张伟"], q), "{q}");
        }
    }

    #[test]
    fn haystack_layout() {
        let key = SearchKey::new(&["张伟", "Class 3"]);
        assert_eq!(key.haystack(), "张伟\u{1}zhangwei\u{1}zw\u{1}class 3");
    }

    #[test]
    fn all_terms_must_match() {
        assert!(finds(&["张伟", "市南区"], "zw 市南"));
        assert!(!finds(&["张伟", "崂山区"], "zw 市南"));
        assert!(finds(&["张伟", "崂山区"], "zw　lsq")); // ideographic space
        assert!(finds(&["张伟", "市南区"], "  zhang   shinan "));
    }

    #[test]
    fn finds_a_school() {
        let school = ["青岛海川中学"];
        for q in ["hczx", "haichuan", "海川", "qdhczx", "haichuanzhongxue"] {
            assert!(finds(&school, q), "{q}");
        }
        assert!(!finds(&school, "hcxz"));
    }

    #[test]
    fn terms_do_not_match_across_fields() {
        // "wei" + "shi" would be "weishi" if fields were simply concatenated.
        assert!(!finds(&["张伟", "市南区"], "weishi"));
        assert!(!finds(&["张伟", "市南区"], "zws"));
        assert!(!finds(&["ab", "cd"], "bc"));
        assert!(Query::new("\u{1}").is_empty());
    }

    #[test]
    fn empty_query_matches_everything() {
        assert!(Query::new("").is_empty());
        assert!(Query::new(" \t　").is_empty());
        assert!(finds(&["张伟"], ""));
        assert!(finds(&[], ""));
        assert!(!finds(&[], "a"));
    }

    #[test]
    fn polyphonic_surnames_by_any_reading() {
        assert!(finds(&["曾小明"], "zengxiaoming"));
        assert!(finds(&["曾小明"], "cengxiaoming"));
        assert!(finds(&["曾小明"], "zxm"));
        assert!(finds(&["单磊"], "shanlei"));
        assert!(finds(&["单磊"], "sl"));
    }

    #[test]
    fn mixed_fields_keep_letters_and_digits_in_pinyin() {
        assert!(finds(&["青岛2中"], "qd2z"));
        assert!(finds(&["青岛2中"], "qingdao2zhong"));
        assert!(finds(&["IB 班"], "ibban"));
        assert!(finds(&["ABC"], "abc"));
    }

    #[test]
    fn long_fields_stay_bounded() {
        // Many polyphonic characters: default plus single variants, not the
        // full product.
        let field = "重长行乐重长行乐重长行乐";
        let key = SearchKey::new(&[field]);
        assert!(key.haystack().len() < 4000, "{}", key.haystack().len());
        assert!(key.matches(&Query::new("zhongzhangxingle")));
        assert!(key.matches(&Query::new("chongzhangxingle")));
    }

    #[test]
    fn query_terms_are_folded() {
        let q = Query::new("ZW  Ｈａｉ\u{1}x");
        assert_eq!(q.terms().collect::<Vec<_>>(), ["zw", "hai", "x"]);
    }
}
