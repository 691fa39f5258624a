//! Forms: one module per form, each with its builder, its field ids (an
//! enum), its validation and the commands it saves as. A form never loses
//! what was typed: a refusal is shown in the form, and leaving a changed form
//! asks first. Fields are read back by their id, never by label or position,
//! so a reworded label cannot change what a form saves.

pub mod field;

mod achievement;
mod application;
mod coach_stage;
pub mod entry;
mod filing;
mod import;
mod next_step;
mod nomination;
mod objection;
mod plan;
mod reversal;
mod rollover;
mod school;
mod session;
mod user;
mod withdrawal;

use chrono::NaiveDate;

pub use achievement::achievement_form;
pub use application::{application_form, details_form};
pub use coach_stage::coach_stage_form;
pub use entry::entry_form;
pub use field::{Choice, Field, FieldKind, parse_date};
pub use filing::filing_form;
pub use import::{Review, import_form};
pub use next_step::next_step_form;
pub use nomination::{nomination_form, parse_results};
pub use objection::objection_form;
pub use plan::{parse_budget, parse_targets, plan_form, targets_text};
pub use reversal::reversal_form;
pub use rollover::rollover_form;
pub use school::{school_decision_form, school_form};
pub use session::{SessionChoices, cancel_session_form, session_form};
pub use user::{add_user_form, change_user_form, remove_user_form};
pub use withdrawal::withdrawal_form;

use super::ctx::Ctx;
use super::strings::L;
use crate::domain::field::Field as Ident;
use crate::domain::{Gender, ProjectId};
use crate::i18n::Lang;
use crate::registry::{self, Command};

/// What every form has, whatever it is for: drawn, typed into and navigated
/// the same way.
#[derive(Clone, Debug)]
pub struct Sheet {
    pub title: L,
    pub fields: Vec<Field>,
    /// A line above the fields saying what the form acts on.
    pub intro: Option<String>,
    pub focus: usize,
    /// Why the last save was refused, kept until the next one.
    pub refusal: Option<String>,
    /// Leaving with changes asks first.
    pub confirm_discard: bool,
    /// ctrl-t fills a field from the records (`FormFlow::fill`): hinted.
    pub fills: bool,
    /// Someone else saved the record and the form holds their values for
    /// the take key (ctrl-r), which the hints then offer.
    pub theirs_held: bool,
}

impl Sheet {
    pub fn changed(&self) -> bool {
        self.fields.iter().any(Field::changed)
    }

    pub fn next(&mut self) {
        self.leave();
        self.focus = (self.focus + 1) % self.fields.len().max(1);
    }

    pub fn prev(&mut self) {
        self.leave();
        let n = self.fields.len().max(1);
        self.focus = (self.focus + n - 1) % n;
    }

    /// The focused field was left: its error may show from now on.
    fn leave(&mut self) {
        if let Some(f) = self.fields.get_mut(self.focus) {
            f.checked = true;
        }
    }

    /// A save was tried: every field's error may show.
    pub fn check_all(&mut self) {
        for f in &mut self.fields {
            f.checked = true;
        }
    }

    /// After the registry refused: focus the field the refusal is about
    /// (`field`, from the one table `domain::field`; see
    /// `Field::answers_to`; one given the identity before one labelled
    /// alike), staying on the focused field if it answers to it; else stay
    /// where the user was, so what they type next goes where they think it
    /// goes. The message is never searched for labels.
    pub fn refused(&mut self, message: String, field: Option<Ident>) {
        if let Some(id) = field {
            let named = self.fields.iter().position(|f| f.named(id));
            let focused = self.fields.get(self.focus);
            let here = match named {
                Some(_) => focused.is_some_and(|f| f.named(id)),
                None => focused.is_some_and(|f| f.answers_to(id)),
            };
            let labelled = || self.fields.iter().position(|f| f.answers_to(id));
            if !here && let Some(i) = named.or_else(labelled) {
                self.focus = i;
            }
        }
        self.refusal = Some(message);
    }

    /// After the form itself could not read what was typed: its message
    /// begins with the field's label ("时间: ..."); focus that field, else
    /// stay where the user was.
    pub fn unreadable(&mut self, message: String, lang: Lang) {
        let named = self.fields.iter().position(|f| {
            message
                .strip_prefix(f.label(lang))
                .is_some_and(|rest| rest.starts_with([':', '：']))
        });
        if let Some(i) = named {
            self.focus = i;
        }
        self.refusal = Some(message);
    }

    pub fn focused(&mut self) -> Option<&mut Field> {
        self.fields.get_mut(self.focus)
    }

    /// The first field with an error, if any.
    pub fn first_error(&self, lang: Lang) -> Option<usize> {
        self.fields.iter().position(|f| f.error(lang).is_some())
    }
}

/// A form whose fields are named by the ids `F`.
#[derive(Clone, Debug)]
pub struct Form<F> {
    pub sheet: Sheet,
    ids: Vec<F>,
}

impl<F: Copy + Eq> Form<F> {
    pub fn new(title: L) -> Form<F> {
        Form {
            sheet: Sheet {
                title,
                fields: Vec::new(),
                intro: None,
                focus: 0,
                refusal: None,
                confirm_discard: false,
                fills: false,
                theirs_held: false,
            },
            ids: Vec::new(),
        }
    }

    /// Adds `field` under `id`, below the fields so far.
    pub fn with(mut self, id: F, field: Field) -> Form<F> {
        self.ids.push(id);
        self.sheet.fields.push(field);
        self
    }

    pub fn intro(mut self, intro: impl Into<String>) -> Form<F> {
        self.sheet.intro = Some(intro.into());
        self
    }

    pub fn field(&self, id: F) -> Option<&Field> {
        let at = self.ids.iter().position(|i| *i == id)?;
        self.sheet.fields.get(at)
    }

    /// Where field `id` is among the sheet's fields.
    pub fn position(&self, id: F) -> Option<usize> {
        self.ids.iter().position(|i| *i == id)
    }

    pub fn has(&self, id: F) -> bool {
        self.ids.contains(&id)
    }

    /// The text of field `id`, empty if the form has none.
    pub fn text(&self, id: F) -> String {
        self.field(id)
            .map(|f| f.value().to_string())
            .unwrap_or_default()
    }

    /// The date in field `id`. Saving checks every field first, so a date
    /// field holds a valid date by then; `None` for an empty optional one.
    pub fn date(&self, id: F) -> Option<NaiveDate> {
        parse_date(&self.text(id))
    }

    /// The "since" of field `id` (see `field::parse_since`), if it reads.
    pub fn since(&self, id: F) -> Option<NaiveDate> {
        field::parse_since(&self.text(id))
    }

    /// A required "since", or the message naming the field and the forms
    /// it takes.
    pub fn required_since(&self, id: F, lang: Lang) -> Result<NaiveDate, String> {
        self.since(id).ok_or_else(|| {
            let label = self.field(id).map(|f| f.label(lang)).unwrap_or_default();
            format!("{label}: {}", L::BadSince.get(lang))
        })
    }

    /// The month in field `id` (its first day), or the message to show.
    pub fn month(&self, id: F, lang: Lang) -> Result<NaiveDate, String> {
        field::parse_month(&self.text(id)).ok_or_else(|| L::BadMonth.get(lang).to_string())
    }

    /// The fields whose value in `theirs` (this form built again from the
    /// record as someone else saved it) differs from what this form was
    /// opened with: what they changed, whatever was typed here since.
    pub fn changed_in(&self, theirs: &Form<F>) -> Vec<F> {
        self.ids
            .iter()
            .zip(&self.sheet.fields)
            .filter(|(id, mine)| {
                theirs
                    .field(**id)
                    .is_some_and(|t| t.opened_with() != mine.opened_with())
            })
            .map(|(id, _)| *id)
            .collect()
    }

    /// Takes the fields `ids` as they are in `theirs`, their value becoming
    /// the one the field was opened with; every other field keeps what was
    /// typed.
    pub fn take(&mut self, theirs: &Form<F>, ids: &[F]) {
        for id in ids {
            let (Some(at), Some(t)) = (self.ids.iter().position(|i| i == id), theirs.field(*id))
            else {
                continue;
            };
            if let Some(f) = self.sheet.fields.get_mut(at) {
                *f = t.clone();
            }
        }
    }

    /// `theirs` as the form from now on (its fields and intro, which follow
    /// the record: a plan filed meanwhile takes an amendment), each field of
    /// this form they did not change kept as typed here.
    pub fn taken_into(&self, mut theirs: Form<F>, changed: &[F]) -> Form<F> {
        let kept: Vec<F> = self
            .ids
            .iter()
            .copied()
            .filter(|id| !changed.contains(id))
            .collect();
        theirs.take(self, &kept);
        let last = theirs.sheet.fields.len().saturating_sub(1);
        theirs.sheet.focus = self.sheet.focus.min(last);
        theirs
    }

    /// The labels of fields `ids` in `lang`.
    pub fn labels(&self, ids: &[F], lang: Lang) -> Vec<String> {
        ids.iter()
            .filter_map(|id| self.field(*id))
            .map(|f| f.label(lang).to_string())
            .collect()
    }

    /// Chooses the option of field `id` whose value is `value`, if it has one.
    pub fn choose<T: PartialEq + Clone + 'static>(&mut self, id: F, value: &T) {
        let Some(at) = self.ids.iter().position(|i| *i == id) else {
            return;
        };
        if let Some(FieldKind::Choice {
            options, selected, ..
        }) = self.sheet.fields.get_mut(at).map(|f| &mut f.kind)
            && let Some(i) = options
                .iter()
                .position(|o| o.value::<T>().as_ref() == Some(value))
        {
            *selected = i;
        }
    }

    /// The value of the option chosen in field `id`.
    pub fn chosen<T: Clone + 'static>(&self, id: F) -> Option<T> {
        self.field(id)?.chosen()?.value::<T>()
    }

    /// A required date, or the message naming the field that lacks one.
    pub fn required_date(&self, id: F, lang: Lang) -> Result<NaiveDate, String> {
        self.date(id).ok_or_else(|| {
            let label = self.field(id).map(|f| f.label(lang)).unwrap_or_default();
            format!("{label}: {}", L::BadDate.get(lang))
        })
    }

    /// A required choice, or the message naming it.
    pub fn required<T: Clone + 'static>(&self, id: F, lang: Lang) -> Result<T, String> {
        self.chosen(id).ok_or_else(|| {
            let label = self.field(id).map(|f| f.label(lang)).unwrap_or_default();
            format!("{label}: {}", L::FixErrors.get(lang))
        })
    }
}

/// What a form knows of where it is opened (see `ctx::Scope`).
pub use super::ctx::Scope;

/// What submitting a form leads to.
pub enum Submitted {
    /// Write these commands, all or none.
    Write(Vec<Command>),
    /// Close the form and show what it read: an import's report, where the
    /// user confirms the write or cancels it.
    Review(Box<Review>),
    /// Someone else saved the record since the form was opened, found as the
    /// form read it (a filing, whose command carries no version): who, and
    /// when. The form says what changed (`FormFlow::stale`).
    Stale {
        by: String,
        at: chrono::DateTime<chrono::Utc>,
    },
}

/// What the App needs of an open form.
pub trait FormFlow: Send {
    fn sheet(&self) -> &Sheet;
    fn sheet_mut(&mut self) -> &mut Sheet;
    /// The commands saving writes, all or none; or a message saying what
    /// cannot be read, shown in the form.
    fn save(&self, scope: Scope) -> Result<Vec<Command>, String>;
    /// After the user typed into or moved a field: a form whose fields
    /// depend on each other keeps them agreeing (a chief's term is 3 years).
    fn edited(&mut self) {}
    /// Submitting: most forms only save what was typed. A form that must
    /// read before it knows what to write (an import reads its file and the
    /// trainees its rows match, a rollover the balances it moves) reads here,
    /// through the actor's registry; views still never read the store.
    fn submit(&mut self, ctx: &mut Ctx) -> Result<Submitted, String> {
        self.save(ctx.scope()).map(Submitted::Write)
    }
    /// The message once everything was written, instead of "saved" (a
    /// rollover says what it moved).
    fn done(&self, _lang: Lang) -> Option<String> {
        None
    }
    /// The record to select once the form closed: a new application,
    /// nomination or school application.
    fn select_after(&self, _events: &[registry::Event]) -> Option<(registry::RecordKind, u64)> {
        None
    }
    /// ctrl-t: fills a field from the records (a plan's training part from
    /// the group's sessions), saying what it did; none where nothing fills.
    fn fill(&mut self, _lang: Lang) -> Option<String> {
        None
    }
    /// Keeps what the next form of this kind offers again, as the form is
    /// submitted or left (an import's path).
    fn recall(&self, _recall: &mut crate::tui::ctx::Recall) {}
    /// Someone else saved the record this form edits since it was opened
    /// (the registry refused the save as stale): read it again, hold it
    /// for `take_theirs`, and give the labels, in the user's language, of
    /// the fields they changed. `None`: the form cannot read it again.
    fn stale(&mut self, _ctx: &mut Ctx) -> Option<Vec<String>> {
        None
    }
    /// The take key after `stale`: their values into the fields they
    /// changed, what was typed kept in the others, and saving from their
    /// version on. Returns the labels taken, `None` if nothing was held.
    fn take_theirs(&mut self, _lang: Lang) -> Option<Vec<String>> {
        None
    }
    /// When `stale` gives `None` because the record moved past what the
    /// form does (an application decided, a session cancelled): what
    /// happened, in the user's language, said instead of asking to reopen.
    fn overtaken(&self, _ctx: &mut Ctx) -> Option<String> {
        None
    }
}

/// Trainee `id` read again after someone else saved it, for a form that adds
/// a step to it (an objection, the next step, a withdrawal) and so holds none
/// of its values: the version to save against if the trainee is still at
/// `stage`; `None` if the step no longer applies (the form is reopened).
pub(crate) fn still_at(ctx: &Ctx, id: u64, stage: crate::domain::TraineeStage) -> Option<u32> {
    let t = ctx.registry.trainee(id).ok().flatten()?;
    (t.stage == stage).then_some(t.stamp.version)
}

/// `stale` and `take_theirs` of a form struct adding a step to a trainee:
/// its fields `form`, `trainee`, `stage`, `version` and `theirs` (the
/// version held for ctrl-r). No field of the form changed.
macro_rules! step_on_newer {
    () => {
        fn stale(&mut self, ctx: &mut $crate::tui::ctx::Ctx) -> Option<Vec<String>> {
            self.theirs = Some($crate::tui::forms::still_at(ctx, self.trainee, self.stage)?);
            self.form.sheet.theirs_held = true;
            Some(Vec::new())
        }

        fn take_theirs(&mut self, _lang: $crate::i18n::Lang) -> Option<Vec<String>> {
            self.version = self.theirs.take()?;
            self.form.sheet.theirs_held = false;
            Some(Vec::new())
        }
    };
}
pub(crate) use step_on_newer;

/// The first record of `kind` among what a save wrote, for `select_after`.
pub fn first_of(
    events: &[registry::Event],
    kind: registry::RecordKind,
) -> Option<(registry::RecordKind, u64)> {
    events.iter().find(|e| e.kind == kind).map(|e| (kind, e.id))
}

/// The `sheet`/`sheet_mut` pair of a form struct whose `form` field holds its
/// `Form<F>`.
macro_rules! sheet_of {
    () => {
        fn sheet(&self) -> &$crate::tui::forms::Sheet {
            &self.form.sheet
        }
        fn sheet_mut(&mut self) -> &mut $crate::tui::forms::Sheet {
            &mut self.form.sheet
        }
    };
}
pub(crate) use sheet_of;

/// The options of a gender choice.
pub fn genders() -> Vec<Choice> {
    vec![
        Choice::new("女", "female", Gender::Female),
        Choice::new("男", "male", Gender::Male),
    ]
}

/// The districts of Qingdao as a choice.
pub fn districts() -> Vec<Choice> {
    crate::domain::project::DISTRICTS
        .iter()
        .map(|d| Choice::new(*d, *d, d.to_string()))
        .collect()
}

/// `yes`/`no` as a choice, `yes` first.
pub fn yes_no() -> Vec<Choice> {
    vec![
        Choice::new("是", "yes", true),
        Choice::new("否", "no", false),
    ]
}

/// The group's own label in both languages.
pub fn group_choice(project: ProjectId) -> Choice {
    Choice::new(
        project.group_name(Lang::Zh),
        project.group_name(Lang::En),
        vec![project],
    )
}
