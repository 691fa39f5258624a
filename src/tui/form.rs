//! Forms: text inputs that handle Chinese (tui-input, cursor in display cells),
//! choice lists, date and money fields, each validated as the user types. A
//! form never loses what was typed: a refusal from the registry is shown in the
//! form, and leaving a changed form asks first.

use chrono::NaiveDate;
use tui_input::{Input, InputRequest};

use super::key::{Key, KeyCode};
use super::strings::L;
use crate::domain::Money;
use crate::domain::text;
use crate::i18n::Lang;
use crate::i18n::Localized as _;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FieldKind {
    Text {
        max: usize,
        required: bool,
    },
    Phone,
    Date,
    Money,
    /// One of `options` (Chinese, English); left and right choose.
    Choice {
        options: Vec<(String, String)>,
        selected: usize,
    },
}

impl FieldKind {
    /// Free text of at most `max` characters.
    pub fn text(max: usize, required: bool) -> FieldKind {
        FieldKind::Text { max, required }
    }
}

/// A choice's option in Chinese and English.
pub fn option(zh: &str, en: &str) -> (String, String) {
    (zh.to_string(), en.to_string())
}

#[derive(Clone, Debug)]
pub struct Field {
    pub label: (&'static str, &'static str),
    pub kind: FieldKind,
    pub input: Input,
    pub initial: String,
}

impl Field {
    pub fn new(label: (&'static str, &'static str), kind: FieldKind, value: &str) -> Field {
        Field {
            label,
            kind,
            input: Input::new(value.to_string()),
            initial: value.to_string(),
        }
    }

    pub fn label(&self, lang: Lang) -> &'static str {
        lang.pick(self.label.0, self.label.1)
    }

    pub fn value(&self) -> &str {
        self.input.value()
    }

    /// A choice among `options` (Chinese, English), `selected` first.
    pub fn choice(
        label: (&'static str, &'static str),
        options: Vec<(String, String)>,
        selected: usize,
    ) -> Field {
        Field::new(label, FieldKind::Choice { options, selected }, "")
    }

    /// The chosen option's index.
    pub fn chosen(&self) -> Option<usize> {
        match &self.kind {
            FieldKind::Choice { selected, .. } => Some(*selected),
            _ => None,
        }
    }

    /// What the field shows: the text typed, or the chosen option.
    pub fn display(&self, lang: Lang) -> String {
        match &self.kind {
            FieldKind::Choice { options, selected } => options
                .get(*selected)
                .map(|(zh, en)| format!("< {} >", lang.pick(zh, en)))
                .unwrap_or_default(),
            _ => self.input.value().to_string(),
        }
    }

    pub fn changed(&self) -> bool {
        match &self.kind {
            FieldKind::Choice { .. } => false,
            _ => self.input.value() != self.initial,
        }
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
            FieldKind::Phone => crate::domain::phone::check(v)
                .err()
                .map(|e| e.localized(lang)),
            FieldKind::Date => parse_date(v)
                .is_none()
                .then(|| L::BadDate.get(lang).to_string()),
            FieldKind::Money => Money::parse(v).err().map(|e| e.localized(lang)),
            FieldKind::Choice { .. } => None,
        }
    }

    /// Feeds a key the keymap left unbound; returns whether the field used it.
    pub fn key(&mut self, key: Key) -> bool {
        if let FieldKind::Choice { options, selected } = &mut self.kind {
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

    /// Where the caret is, in display cells from the start of the value.
    pub fn cursor(&self) -> usize {
        self.input.visual_cursor()
    }
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

/// What a form is for: the command it builds on submit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Purpose {
    /// A trainee's contact phone and home school.
    EditContact {
        trainee: u64,
        version: u32,
    },
    /// An allocation or expense into one of `accounts` (the first field
    /// chooses which).
    AddEntry {
        movement: crate::registry::Movement,
        accounts: Vec<crate::domain::Account>,
    },
    /// A reversal of `entry`.
    Reverse {
        entry: u64,
    },
    /// A trainee's withdrawal (reason, date, back to the home school).
    Withdraw {
        trainee: u64,
        version: u32,
    },
    /// Undoing a withdrawal.
    Reinstate {
        trainee: u64,
        version: u32,
    },
    /// A new application to a group.
    Apply {
        project: crate::domain::ProjectId,
    },
    /// The next pipeline step of a trainee at `stage`.
    Step {
        trainee: u64,
        version: u32,
        stage: crate::domain::TraineeStage,
    },
    /// An objection during the announcement.
    Objection {
        trainee: u64,
        version: u32,
    },
    /// A person and their nomination to a group.
    Nominate {
        project: crate::domain::ProjectId,
    },
    /// The nomination again, after it was refused: the person is saved.
    Renominate {
        project: crate::domain::ProjectId,
        person: u64,
    },
    /// An appointment moved to one of `stages`.
    AdvanceCoach {
        coach: u64,
        version: u32,
        stages: Vec<crate::domain::CoachStage>,
    },
    /// A school's application to serve a group.
    ApplySchool {
        project: crate::domain::ProjectId,
    },
    DecideSchool {
        school: u64,
        version: u32,
    },
    /// A group's annual plan (new, or the version edited).
    SetPlan {
        project: crate::domain::ProjectId,
        version: Option<u32>,
    },
    /// A plan or report submitted or filed.
    RecordFiling {
        project: crate::domain::ProjectId,
        year: i32,
    },
}

#[derive(Clone, Debug)]
pub struct Form {
    pub title: L,
    pub purpose: Purpose,
    pub fields: Vec<Field>,
    /// A line above the fields saying what the form acts on.
    pub intro: Option<String>,
    pub focus: usize,
    /// The registry's refusal of the last submit, kept until the next one.
    pub refusal: Option<String>,
    /// Leaving with changes asks first.
    pub confirm_discard: bool,
}

impl Form {
    pub fn new(title: L, purpose: Purpose, fields: Vec<Field>) -> Form {
        Form {
            title,
            purpose,
            fields,
            intro: None,
            focus: 0,
            refusal: None,
            confirm_discard: false,
        }
    }

    pub fn changed(&self) -> bool {
        self.fields.iter().any(Field::changed)
    }

    pub fn next(&mut self) {
        self.focus = (self.focus + 1) % self.fields.len().max(1);
    }

    pub fn prev(&mut self) {
        let n = self.fields.len().max(1);
        self.focus = (self.focus + n - 1) % n;
    }

    pub fn focused(&mut self) -> Option<&mut Field> {
        self.fields.get_mut(self.focus)
    }

    /// The field labelled `zh` in Chinese.
    pub fn field(&self, zh: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.label.0 == zh)
    }

    /// The text of the field labelled `zh`, empty if there is none.
    pub fn text(&self, zh: &str) -> String {
        self.field(zh)
            .map(|f| f.value().to_string())
            .unwrap_or_default()
    }

    /// The date in the field labelled `zh`. Submit checks every field first,
    /// so a date field holds a valid date by then; `NaiveDate::MIN` (refused
    /// by the registry as out of range) stands for one that does not.
    pub fn date(&self, zh: &str) -> NaiveDate {
        parse_date(&self.text(zh)).unwrap_or(NaiveDate::MIN)
    }

    /// The option chosen in the field labelled `zh` (the first if none).
    pub fn choice(&self, zh: &str) -> usize {
        self.field(zh).and_then(Field::chosen).unwrap_or(0)
    }

    /// The first field with an error, if any.
    pub fn first_error(&self, lang: Lang) -> Option<usize> {
        self.fields.iter().position(|f| f.error(lang).is_some())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(kind: FieldKind, s: &str) -> Field {
        let mut f = Field::new(("金额", "Amount"), kind, "");
        for c in s.chars() {
            f.key(Key::char(c));
        }
        f
    }

    #[test]
    fn chinese_input_keeps_the_caret_in_cells() {
        let f = typed(
            FieldKind::Text {
                max: 40,
                required: true,
            },
            "青岛二中",
        );
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
        assert!(typed(FieldKind::Date, "2026-9-1").error(Lang::En).is_none());
        assert_eq!(
            typed(FieldKind::Date, "2026-02-30")
                .error(Lang::En)
                .unwrap(),
            L::BadDate.get(Lang::En)
        );
        assert!(
            typed(FieldKind::Phone, "0532-8888 1234")
                .error(Lang::Zh)
                .is_none()
        );
        assert!(typed(FieldKind::Phone, "call me").error(Lang::Zh).is_some());
        assert!(
            typed(
                FieldKind::Text {
                    max: 4,
                    required: true
                },
                ""
            )
            .error(Lang::Zh)
            .unwrap()
            .contains("不能为空")
        );
        assert!(
            typed(
                FieldKind::Text {
                    max: 4,
                    required: false
                },
                ""
            )
            .error(Lang::Zh)
            .is_none()
        );
    }

    #[test]
    fn choices_cycle_and_forms_track_changes() {
        let mut f = Field::new(
            ("方式", "Mode"),
            FieldKind::Choice {
                options: vec![
                    ("基地校".into(), "base".into()),
                    ("走读".into(), "commuting".into()),
                ],
                selected: 0,
            },
            "",
        );
        f.key(Key::plain(KeyCode::Right));
        assert_eq!(f.display(Lang::Zh), "< 走读 >");
        f.key(Key::plain(KeyCode::Right));
        assert_eq!(f.display(Lang::En), "< base >");
        let mut form = Form::new(
            L::EditContact,
            Purpose::EditContact {
                trainee: 1,
                version: 1,
            },
            vec![
                Field::new(("电话", "Phone"), FieldKind::Phone, "138"),
                Field::new(
                    ("学校", "School"),
                    FieldKind::Text {
                        max: 40,
                        required: true,
                    },
                    "青岛二中",
                ),
            ],
        );
        assert!(!form.changed());
        form.next();
        form.focused().unwrap().key(Key::plain(KeyCode::Backspace));
        assert!(form.changed());
        form.prev();
        assert_eq!(form.focus, 0);
    }
}
