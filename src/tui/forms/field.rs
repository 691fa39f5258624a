//! One field of a form: a text input that handles Chinese (tui-input, caret
//! in display cells), or a choice among values. Each field validates itself
//! as the user types; what it holds is read back by the form through typed
//! accessors, never by its label.

use std::any::Any;
use std::sync::Arc;

use chrono::{Datelike, NaiveDate};
use tui_input::{Input, InputRequest};

use crate::domain::field::Field as Ident;
use crate::domain::text;
use crate::domain::{Money, ProjectId};
use crate::i18n::Lang;
use crate::i18n::Localized as _;
use crate::tui::input::key::{Key, KeyCode};
use crate::tui::strings::L;

/// One option of a choice: what it shows in each language, and the value it
/// stands for (a trainee kind, an account, a reason...), so submitting reads
/// the value itself rather than mapping an index back.
#[derive(Clone)]
pub struct Choice {
    pub zh: String,
    pub en: String,
    value: Arc<dyn Any + Send + Sync>,
}

impl Choice {
    pub fn new<T: Any + Send + Sync>(
        zh: impl Into<String>,
        en: impl Into<String>,
        value: T,
    ) -> Choice {
        Choice {
            zh: zh.into(),
            en: en.into(),
            value: Arc::new(value),
        }
    }

    pub fn label(&self, lang: Lang) -> &str {
        lang.pick(&self.zh, &self.en)
    }

    pub fn value<T: Any + Clone>(&self) -> Option<T> {
        self.value.downcast_ref::<T>().cloned()
    }
}

impl std::fmt::Debug for Choice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Choice({})", self.zh)
    }
}

#[derive(Clone, Debug)]
pub enum FieldKind {
    Text {
        max: usize,
        required: bool,
    },
    Phone,
    /// A date; `optional` ones may stay empty.
    Date {
        optional: bool,
    },
    /// A month (`2026-09`; a full date is taken for its month), held as the
    /// month's first day: a birth month (出生年月).
    Month,
    /// Since when (任教起始, 参加工作): a year alone (`2015`), a month
    /// (`2015-09`) or a date, as people remember it; see `parse_since`.
    Since {
        optional: bool,
    },
    Money,
    /// One or several groups by name (`数学 物理`, `math, physics`, or
    /// `全部`/`all`); see `parse_groups`.
    Groups,
    /// One of `options`; left and right choose.
    Choice {
        options: Vec<Choice>,
        selected: usize,
        initial: usize,
    },
}

impl FieldKind {
    /// Free text of at most `max` characters.
    pub fn text(max: usize, required: bool) -> FieldKind {
        FieldKind::Text { max, required }
    }

    pub const DATE: FieldKind = FieldKind::Date { optional: false };
}

#[derive(Clone, Debug)]
pub struct Field {
    pub label: (&'static str, &'static str),
    pub kind: FieldKind,
    pub input: Input,
    pub initial: String,
    /// Left once, or a save was tried: its error may show. A new form does
    /// not greet the user with red before anything was typed.
    pub checked: bool,
    /// The fields (the one table, `domain::field`) a refusal may name for
    /// this one, given where the label alone does not say it; a field may
    /// stand for several (a session's room, link or place); see `answers_to`.
    pub names: Vec<Ident>,
}

impl Field {
    pub fn new(label: (&'static str, &'static str), kind: FieldKind, value: &str) -> Field {
        Field {
            label,
            kind,
            input: Input::new(value.to_string()),
            initial: value.to_string(),
            checked: false,
            names: Vec::new(),
        }
    }

    /// A field that is `id`, labelled as the one table labels it.
    pub fn of(id: Ident, kind: FieldKind, value: &str) -> Field {
        Field::new(id.labels(), kind, value).names(id)
    }

    /// The field is the one a refusal names `id` (`Ident::Amount`),
    /// whatever its label says.
    pub fn names(mut self, id: Ident) -> Field {
        self.names.push(id);
        self
    }

    /// Whether the field was given the identity `id` (see `names`).
    pub fn named(&self, id: Ident) -> bool {
        self.names.contains(&id)
    }

    /// Whether a refusal naming the field `id` is about this field: an
    /// identity it was given, or, if it was given none, the field the one
    /// table labels as this field is labelled (a ledger form's 日期 is
    /// `Ident::Date`).
    pub fn answers_to(&self, id: Ident) -> bool {
        self.named(id) || (self.names.is_empty() && Ident::labelled(self.label.0) == Some(id))
    }

    /// An empty text field of at most `max` characters.
    pub fn text(label: (&'static str, &'static str), max: usize, required: bool) -> Field {
        Field::new(label, FieldKind::text(max, required), "")
    }

    /// An empty field of `kind`.
    pub fn blank(label: (&'static str, &'static str), kind: FieldKind) -> Field {
        Field::new(label, kind, "")
    }

    /// A year, `year` to begin with.
    pub fn year(label: (&'static str, &'static str), year: i32) -> Field {
        Field::new(label, FieldKind::text(4, true), &year.to_string())
    }

    /// A date field showing `day`.
    pub fn date(label: (&'static str, &'static str), day: NaiveDate) -> Field {
        Field::new(label, FieldKind::DATE, &day.to_string())
    }

    /// A choice among `options`, the one at `selected` first.
    pub fn choice(
        label: (&'static str, &'static str),
        options: Vec<Choice>,
        selected: usize,
    ) -> Field {
        let selected = selected.min(options.len().saturating_sub(1));
        Field::new(
            label,
            FieldKind::Choice {
                options,
                selected,
                initial: selected,
            },
            "",
        )
    }

    pub fn label(&self, lang: Lang) -> &'static str {
        lang.pick(self.label.0, self.label.1)
    }

    pub fn value(&self) -> &str {
        self.input.value()
    }

    /// The chosen option.
    pub fn chosen(&self) -> Option<&Choice> {
        match &self.kind {
            FieldKind::Choice {
                options, selected, ..
            } => options.get(*selected),
            _ => None,
        }
    }

    /// What the field shows: the text typed, or the chosen option.
    pub fn display(&self, lang: Lang) -> String {
        match self.chosen() {
            Some(c) => format!("< {} >", c.label(lang)),
            None => self.input.value().to_string(),
        }
    }

    /// What the field was opened with: the option first chosen, or the
    /// text first shown.
    pub fn opened_with(&self) -> (usize, &str) {
        match &self.kind {
            FieldKind::Choice { initial, .. } => (*initial, ""),
            _ => (0, &self.initial),
        }
    }

    /// Whether the user changed the field: a choice moved counts as much as
    /// typed text, so leaving such a form asks first.
    pub fn changed(&self) -> bool {
        match &self.kind {
            FieldKind::Choice {
                selected, initial, ..
            } => selected != initial,
            _ => self.input.value() != self.initial,
        }
    }

    /// The problem to show: the field's error once it was checked.
    pub fn shown_error(&self, lang: Lang) -> Option<String> {
        self.checked.then(|| self.error(lang)).flatten()
    }

    /// The problem with the current value, in the user's language.
    pub fn error(&self, lang: Lang) -> Option<String> {
        let v = self.input.value();
        match &self.kind {
            FieldKind::Text { max, required } => {
                let r = if *required {
                    text::clean(self.label(lang), v, *max, false)
                } else {
                    text::clean_optional(self.label(lang), v, *max, false)
                };
                r.err().map(|e| e.localized(lang))
            }
            FieldKind::Phone => phone_error(v, lang),
            FieldKind::Date { optional: true } if v.trim().is_empty() => None,
            FieldKind::Date { .. } => parse_date(v)
                .is_none()
                .then(|| L::BadDate.get(lang).to_string()),
            FieldKind::Month => parse_month(v)
                .is_none()
                .then(|| L::BadMonth.get(lang).to_string()),
            FieldKind::Since { optional: true } if v.trim().is_empty() => None,
            FieldKind::Since { .. } => parse_since(v)
                .is_none()
                .then(|| L::BadSince.get(lang).to_string()),
            FieldKind::Money => Money::parse(v).err().map(|e| e.localized(lang)),
            FieldKind::Groups => parse_groups(v)
                .is_none()
                .then(|| L::BadGroups.get(lang).to_string()),
            FieldKind::Choice { .. } => None,
        }
    }

    /// Feeds a key the keymap left unbound; returns whether the field used it.
    pub fn key(&mut self, key: Key) -> bool {
        if let FieldKind::Choice {
            options, selected, ..
        } = &mut self.kind
        {
            let n = options.len().max(1);
            match key.code {
                KeyCode::Left => *selected = (*selected + n - 1) % n,
                KeyCode::Right | KeyCode::Char(' ') => *selected = (*selected + 1) % n,
                _ => return false,
            }
            return true;
        }
        let Some(request) = input_request(key) else {
            return false;
        };
        self.input.handle(request);
        true
    }

    /// Pasted text, inserted at the caret as one edit. Fields are one line:
    /// line breaks and tabs become spaces, other control characters are
    /// dropped, so a paste can never act as Enter or as a key. A choice
    /// takes no text.
    pub fn paste(&mut self, text: &str) -> bool {
        if matches!(self.kind, FieldKind::Choice { .. }) {
            return false;
        }
        paste_into(&mut self.input, text);
        true
    }

    /// Where the caret is, in display cells from the start of the value.
    pub fn cursor(&self) -> usize {
        self.input.visual_cursor()
    }
}

/// Inserts pasted `text` into a one-line input at its caret.
pub fn paste_into(input: &mut Input, text: &str) {
    let line = one_line(text);
    let value = input.value();
    let at = value
        .char_indices()
        .nth(input.cursor())
        .map_or(value.len(), |(i, _)| i);
    let mut next = String::with_capacity(value.len() + line.len());
    next.push_str(&value[..at]);
    next.push_str(&line);
    next.push_str(&value[at..]);
    let cursor = input.cursor() + line.chars().count();
    *input = Input::new(next).with_cursor(cursor);
}

/// `text` as one line: line breaks and tabs become single spaces, other
/// control characters go.
pub fn one_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last_space = false;
    for c in text.chars() {
        if matches!(c, '\r' | '\n' | '\t' | '\u{2028}' | '\u{2029}') {
            if !last_space {
                out.push(' ');
            }
            last_space = true;
        } else if !c.is_control() {
            out.push(c);
            last_space = c == ' ';
        }
    }
    out
}

/// The phone rule as the form shows it while typing: the domain's one rule,
/// the same the registry checks on save.
fn phone_error(v: &str, lang: Lang) -> Option<String> {
    crate::domain::phone::check(v)
        .err()
        .map(|e| e.localized(lang))
}

/// What an unbound key does to a one-line text input, if anything: the
/// editing keys of a shell line (ctrl-a, ctrl-e, ctrl-u, ctrl-w) and typing.
pub fn input_request(key: Key) -> Option<InputRequest> {
    Some(match (key.code, key.ctrl) {
        (KeyCode::Char('a'), true) => InputRequest::GoToStart,
        (KeyCode::Char('e'), true) => InputRequest::GoToEnd,
        (KeyCode::Char('u'), true) => InputRequest::DeleteLine,
        (KeyCode::Char('w'), true) => InputRequest::DeletePrevWord,
        (KeyCode::Char(c), false) if !key.alt => InputRequest::InsertChar(c),
        (KeyCode::Backspace, _) => InputRequest::DeletePrevChar,
        (KeyCode::Delete, _) => InputRequest::DeleteNextChar,
        (KeyCode::Left, _) => InputRequest::GoToPrevChar,
        (KeyCode::Right, _) => InputRequest::GoToNextChar,
        (KeyCode::Home, _) => InputRequest::GoToStart,
        (KeyCode::End, _) => InputRequest::GoToEnd,
        _ => return None,
    })
}

/// Edits a one-line input with an unbound key; returns whether it changed.
pub fn edit_input(input: &mut Input, key: Key) -> bool {
    input_request(key)
        .and_then(|r| input.handle(r))
        .is_some_and(|changed| changed.value)
}

/// One or several groups, as people write them: names separated by spaces,
/// commas or 、 (`数学 物理`, `数学、物理`, `math, physics`; every way
/// `ProjectId::parse` reads, so 历史、哲学、古文字学 is one group), or
/// `全部`/`all`. In the plan's order, each once; `None` if a part is no
/// group or nothing is written.
pub fn parse_groups(s: &str) -> Option<Vec<ProjectId>> {
    let t = s.trim();
    if matches!(t, "全部" | "全部项目组" | "所有项目组") || t.eq_ignore_ascii_case("all")
    {
        return Some(ProjectId::ALL.to_vec());
    }
    let mut found = Vec::new();
    for part in t
        .split(|c: char| c.is_whitespace() || matches!(c, '、' | ',' | '，' | ';' | '；' | '/'))
        .filter(|p| !p.is_empty())
    {
        found.push(ProjectId::parse(part)?);
    }
    let groups: Vec<ProjectId> = ProjectId::ALL
        .into_iter()
        .filter(|p| found.contains(p))
        .collect();
    (!groups.is_empty()).then_some(groups)
}

/// `2026-09-01`, also `2026/9/1` and `2026.9.1`.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim().replace(['/', '.'], "-");
    let mut parts = s.split('-');
    let (Some(y), Some(m), Some(d), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

/// `2026-09`, `2026/9`, `2026.9` or a full date: the month's first day.
pub fn parse_month(s: &str) -> Option<NaiveDate> {
    let t = s.trim().replace(['/', '.'], "-");
    let mut parts = t.split('-');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(y), Some(m), None) => NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, 1),
        (Some(_), Some(_), Some(_)) => parse_date(s).and_then(|d| d.with_day(1)),
        _ => None,
    }
}

/// Since when: `2015` (a year alone: the school year's start, 1 September,
/// the day teachers' terms begin), `2015-09` (the month's first day) or a
/// full date; years from 1950 to 2100.
pub fn parse_since(s: &str) -> Option<NaiveDate> {
    let t = s.trim();
    let date = if t.len() == 4 && t.chars().all(|c| c.is_ascii_digit()) {
        NaiveDate::from_ymd_opt(t.parse().ok()?, 9, 1)
    } else {
        parse_month(t)
            .filter(|_| t.replace(['/', '.'], "-").matches('-').count() == 1)
            .or_else(|| parse_date(t))
    }?;
    (1950..=2100).contains(&date.year()).then_some(date)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn since_takes_a_year_a_month_or_a_date() {
        let d = |s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
        assert_eq!(parse_since("2015"), d("2015-09-01"));
        assert_eq!(parse_since(" 2015-03 "), d("2015-03-01"));
        assert_eq!(parse_since("2015/3/14"), d("2015-03-14"));
        assert_eq!(parse_since("15"), None);
        assert_eq!(parse_since("1850"), None);
        assert_eq!(parse_since("2015-13"), None);
        let f = Field::blank(
            ("任教起始", "Teaching since"),
            FieldKind::Since { optional: false },
        );
        assert!(typed(f.kind.clone(), "2015").error(Lang::Zh).is_none());
        let e = typed(f.kind.clone(), "去年").error(Lang::Zh).unwrap();
        assert!(e.contains("2015") && e.contains("2015-09"), "{e}");
    }

    #[test]
    fn a_birth_month_is_a_month_or_a_date_taken_for_its_month() {
        let first = NaiveDate::from_ymd_opt(1980, 9, 1);
        for typed in ["1980-09", "1980/9", "1980.09", "1980-09-17"] {
            assert_eq!(parse_month(typed), first, "{typed}");
        }
        for bad in ["1980", "1980-13", "九月", "1980-09-31"] {
            assert_eq!(parse_month(bad), None, "{bad}");
        }
        assert!(typed(FieldKind::Month, "2026-09").error(Lang::Zh).is_none());
        assert!(typed(FieldKind::Month, "2026").error(Lang::Zh).is_some());
    }

    fn typed(kind: FieldKind, s: &str) -> Field {
        let mut f = Field::new(("金额", "Amount"), kind, "");
        for c in s.chars() {
            f.key(Key::char(c));
        }
        f
    }

    #[test]
    fn chinese_input_keeps_the_caret_in_cells() {
        let f = typed(FieldKind::text(40, true), "青岛二中");
        assert_eq!(f.value(), "青岛二中");
        assert_eq!(f.cursor(), 8);
        assert!(f.error(Lang::Zh).is_none());
    }

    #[test]
    fn fields_validate_as_typed() {
        assert!(
            typed(FieldKind::Money, "1,234.50")
                .error(Lang::Zh)
                .is_none()
        );
        assert!(
            typed(FieldKind::Money, "12.345")
                .error(Lang::Zh)
                .unwrap()
                .contains("两位小数")
        );
        assert!(typed(FieldKind::DATE, "2026-9-1").error(Lang::En).is_none());
        assert_eq!(
            typed(FieldKind::DATE, "2026-02-30")
                .error(Lang::En)
                .unwrap(),
            L::BadDate.get(Lang::En)
        );
        assert!(
            typed(FieldKind::Date { optional: true }, "")
                .error(Lang::En)
                .is_none()
        );
        assert!(
            typed(FieldKind::Phone, "0532-8888 1234")
                .error(Lang::Zh)
                .is_none()
        );
        assert!(typed(FieldKind::Phone, "call me").error(Lang::Zh).is_some());
        assert!(
            typed(FieldKind::text(4, true), "")
                .error(Lang::Zh)
                .unwrap()
                .contains("不能为空")
        );
        assert!(
            typed(FieldKind::text(4, false), "")
                .error(Lang::Zh)
                .is_none()
        );
    }

    #[test]
    fn a_choice_carries_its_values_and_counts_as_changed_once_moved() {
        let mut f = Field::choice(
            ("方式", "Mode"),
            vec![
                Choice::new("基地校", "base", 1u8),
                Choice::new("走读", "commuting", 2u8),
            ],
            0,
        );
        assert!(!f.changed());
        f.key(Key::plain(KeyCode::Right));
        assert_eq!(f.display(Lang::Zh), "< 走读 >");
        assert_eq!(f.chosen().and_then(Choice::value::<u8>), Some(2));
        assert!(f.changed(), "a moved choice is a change");
        f.key(Key::plain(KeyCode::Right));
        assert_eq!(f.display(Lang::En), "< base >");
        assert!(!f.changed(), "back where it started");
        assert_eq!(f.chosen().and_then(Choice::value::<String>), None);
    }

    #[test]
    fn a_paste_is_one_line_of_text_inserted_at_the_caret() {
        let mut f = typed(FieldKind::text(40, true), "青岛中");
        f.key(Key::plain(KeyCode::Left));
        assert!(f.paste("二\nw\r\n"));
        assert_eq!(f.value(), "青岛二 w 中");
        assert_eq!(f.input.cursor(), 6);
        assert_eq!(one_line("a\u{1b}[31mb\tc"), "a[31mb c");
    }
}
