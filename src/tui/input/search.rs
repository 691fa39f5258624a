//! Filtering lists by Chinese text, full pinyin and pinyin initials.
//!
//! Each row gets a [`SearchKey`] once, when the list is built: one lowercase
//! haystack holding every field as written and, for fields with Chinese
//! characters, their pinyin without tones (`张伟` → `zhangwei`) and initials
//! (`zw`). A [`Query`] is the typed filter split into terms; a row matches
//! when every term is a substring of its haystack. Matching does not allocate.
//!
//! Each character is spelled with the `pinyin` crate's default reading, plus a
//! short list of readings that default misses: surnames (`曾` zeng, `单` shan,
//! `解` xie) at the start of a field, and place-name readings (`重庆` chong,
//! `长江` chang, `厦门` xia) anywhere. The crate's full list of alternative
//! readings is not used: it has rare readings that would make short initials
//! match nearly every row (`青` jing turns every `青岛...` school into `jd...`).
//! `ü` is spelled both `v` (as typed in input methods) and `u`: `吕` is `lv`
//! and `lu`.
//!
//! Long fields (notes, goals: more than [`SHORT_FIELD`] characters) get their
//! full pinyin with default readings only: initials of a long text contain
//! nearly every pair of letters, so `zw` would find every row with a note.

use std::borrow::Cow;

use pinyin::ToPinyin;

/// Separates the parts of a haystack; it cannot be typed (a query drops
/// control characters), so no term matches across two fields.
const SEP: char = '\u{1}';

/// Surname readings missing from the default, added for the first character
/// of a field.
const SURNAME_READINGS: &[(char, &str)] = &[
    ('曾', "zeng"),
    ('单', "shan"),
    ('解', "xie"),
    ('仇', "qiu"),
    ('朴', "piao"),
    ('查', "zha"),
    ('乐', "yue"),
    ('区', "ou"),
    ('盖', "ge"),
    ('缪', "miao"),
    ('覃', "qin"),
    ('尉', "yu"),
    ('翟', "zhai"),
    ('召', "shao"),
    ('种', "chong"),
    ('员', "yun"),
    ('繁', "po"),
    ('折', "she"),
    ('秘', "bi"),
    ('薄', "bo"),
    ('卜', "bu"),
    ('阚', "kan"),
    ('隗', "wei"),
    ('句', "gou"),
];

/// Readings missing from the default that are common in place and school
/// names, added wherever the character is.
const OTHER_READINGS: &[(char, &str)] = &[
    ('长', "chang"),
    ('重', "chong"),
    ('行', "hang"),
    ('都', "du"),
    ('厦', "xia"),
    ('藏', "zang"),
    ('传', "zhuan"),
    ('乐', "yue"),
    ('调', "tiao"),
];

/// A field whose readings combine in at most this many ways gets every
/// combination; a longer one gets its default reading plus variants with one
/// character read differently, at most this many in all.
const MAX_COMBINATIONS: usize = 16;

/// Fields of at most this many characters (names, schools, places) also get
/// initials and alternative readings.
pub const SHORT_FIELD: usize = 40;

/// The searchable text of one row.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct SearchKey(Box<str>);

impl SearchKey {
    /// Builds the haystack of a row from its fields (name, school, district,
    /// ...).
    pub fn new(fields: &[&str]) -> Self {
        let mut hay = String::with_capacity(fields.iter().map(|f| 4 * f.len()).sum());
        for field in fields {
            push_part(&mut hay, &fold(field));
            if !field.chars().any(|c| c.to_pinyin().is_some()) {
                continue;
            }
            let short = field.chars().nth(SHORT_FIELD).is_none();
            for (full, initials) in spellings(&readings(field, short)) {
                push_part(&mut hay, &full);
                if short {
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
    /// Full spellings, the default reading first.
    spellings: Vec<Cow<'static, str>>,
    /// Pinyin (its initial is its first letter) or a letter or digit kept as
    /// is (its own initial).
    is_pinyin: bool,
}

impl Reading {
    /// Adds a pinyin spelling unless already there; `ü` as both `v` and `u`.
    fn add(&mut self, plain: &'static str) {
        let forms = if plain.contains('ü') {
            vec![
                Cow::Owned(plain.replace('ü', "v")),
                Cow::Owned(plain.replace('ü', "u")),
            ]
        } else {
            vec![Cow::Borrowed(plain)]
        };
        for form in forms {
            if !self.spellings.contains(&form) {
                self.spellings.push(form);
            }
        }
    }

    fn initial(&self, spelling: usize) -> &str {
        let s = &self.spellings[spelling];
        match (self.is_pinyin, s.chars().next()) {
            (true, Some(c)) => &s[..c.len_utf8()],
            _ => s,
        }
    }
}

/// Readings of the characters of a field that count in its pinyin: Chinese
/// characters, letters and digits (spaces and punctuation are left out);
/// with `alternatives`, also the readings the default misses.
fn readings(field: &str, alternatives: bool) -> Vec<Reading> {
    let mut out = Vec::with_capacity(field.len() / 2);
    for (i, c) in field.chars().enumerate() {
        if let Some(default) = c.to_pinyin() {
            let mut reading = Reading {
                spellings: Vec::with_capacity(1),
                is_pinyin: true,
            };
            let extra = OTHER_READINGS
                .iter()
                .chain(SURNAME_READINGS.iter().filter(|_| i == 0))
                .filter(|(e, _)| alternatives && *e == c)
                .map(|(_, r)| *r);
            for spelling in std::iter::once(default.plain()).chain(extra) {
                reading.add(spelling);
            }
            out.push(reading);
        } else if c.is_alphanumeric() {
            let mut buf = [0; 4];
            out.push(Reading {
                spellings: vec![Cow::Owned(fold(c.encode_utf8(&mut buf)))],
                is_pinyin: false,
            });
        }
    }
    out
}

/// Distinct (full pinyin, initials) spellings of a field, default first.
fn spellings(readings: &[Reading]) -> Vec<(String, String)> {
    if readings.iter().all(|r| r.spellings.len() == 1) {
        let mut full = String::new();
        let mut initials = String::new();
        for r in readings {
            full.push_str(&r.spellings[0]);
            initials.push_str(r.initial(0));
        }
        return vec![(full, initials)];
    }
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
        all.truncate(MAX_COMBINATIONS);
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
            full.push_str(&r.spellings[i]);
            init.push_str(r.initial(i));
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
    let mut fulls = fulls.into_iter();
    let mut initials = initials.into_iter();
    (0..n)
        .map(|_| {
            (
                fulls.next().unwrap_or_default(),
                initials.next().unwrap_or_default(),
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
        assert!(finds(&["单磊"], "danlei"));
        assert!(finds(&["翟强"], "zhaiqiang"));
        // Only at the start of a field: districts are not "ou".
        assert!(!finds(&["市南区"], "shinanou"));
    }

    #[test]
    fn place_name_readings_anywhere() {
        assert!(finds(&["重庆南路小学"], "chongqing"));
        assert!(finds(&["青岛长江路学校"], "changjiang"));
        assert!(finds(&["青岛长江路学校"], "qdcjlxx"));
        // No rare readings: 青 is not "jing", so "jd" does not find every school.
        assert!(!finds(&["青岛海川中学"], "jd"));
    }

    #[test]
    fn u_umlaut_is_typed_as_v_or_u() {
        for q in ["lv", "lvming", "luming", "lm", "吕"] {
            assert!(finds(&["吕明"], q), "{q}");
        }
        assert!(finds(&["女子中学"], "nvzi"));
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
        // full product (2^12 here).
        let field = "重长行乐重长行乐重长行乐";
        let key = SearchKey::new(&[field]);
        assert!(key.haystack().len() < 4000, "{}", key.haystack().len());
        assert!(key.matches(&Query::new("zhongzhangxingle")));
        assert!(key.matches(&Query::new("chongzhangxingle")));
    }

    #[test]
    fn long_fields_get_full_pinyin_only() {
        let note =
            "张伟同学参加了青岛市的数学竞赛，成绩优秀，老师建议继续参加省里的选拔。重点是几何。";
        assert!(note.chars().count() > SHORT_FIELD);
        let key = SearchKey::new(&["李娜", note]);
        assert!(key.matches(&Query::new("shuxuejingsai")));
        assert!(key.matches(&Query::new("数学")));
        assert!(key.matches(&Query::new("ln"))); // initials of the short field
        assert!(!key.matches(&Query::new("sxjs"))); // no initials of the note
        assert!(!key.matches(&Query::new("chongdian"))); // default readings only
        assert!(key.matches(&Query::new("zhongdian")));
    }

    #[test]
    fn query_terms_are_folded() {
        let q = Query::new("ZW  Ｈａｉ\u{1}x");
        assert_eq!(q.terms().collect::<Vec<_>>(), ["zw", "hai", "x"]);
    }
}
