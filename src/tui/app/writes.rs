//! Writes: asking the driver to apply commands, hearing back, and undo.

use super::{App, Effect, Origin, Overlay};
use crate::domain::Actor;
use crate::i18n::{Lang, Localized};
use crate::registry::{self, Command, Registry};
use crate::tui::ctx::Status;
use crate::tui::strings::L;

impl App {
    pub(super) fn write(&mut self, commands: Vec<Command>, origin: Origin) -> Vec<Effect> {
        self.writes += 1;
        let id = self.writes;
        self.in_flight = Some((id, origin));
        vec![Effect::Write {
            id,
            actor: self.actor.clone(),
            commands,
        }]
    }

    /// The result of write `id`: handed to whoever asked, then every screen
    /// reads what it changed.
    pub(super) fn written(
        &mut self,
        id: u64,
        result: Result<Vec<registry::Event>, Refusal>,
    ) -> Vec<Effect> {
        let Some((expected, origin)) = self.in_flight.take() else {
            return Vec::new();
        };
        if expected != id {
            self.in_flight = Some((expected, origin));
            return Vec::new();
        }
        let mut effects = Vec::new();
        if let Ok(events) = &result {
            if !matches!(origin, Origin::Undo(_)) {
                self.undo.extend(events.iter().cloned());
            }
            self.changed(events);
            effects.push(Effect::Applied(events.clone()));
        }
        let lang = self.lang;
        match origin {
            Origin::Form => effects.extend(self.form_written(result)),
            Origin::Screen => {
                // A screen hears the message alone.
                let result = result.map_err(|r| r.message);
                let done = self
                    .ctx_top()
                    .is_some_and(|(screen, mut ctx)| screen.written(&result, &mut ctx));
                if done && self.stack.len() > 1 {
                    self.stack.pop();
                }
            }
            Origin::Undo(last) => match result {
                Ok(_) => {
                    let action = self.undone_action.take().unwrap_or_default();
                    self.say(Status::Info(format!(
                        "{}{}{action}",
                        L::Undone.get(lang),
                        lang.pick("：", ": ")
                    )));
                }
                Err(refusal) => {
                    // It stays the last change: the message says what to do.
                    self.undo.push(last);
                    self.say(Status::Error(refusal.message));
                }
            },
        }
        // What was typed meanwhile acts on the result.
        effects.extend(self.replay_held());
        effects
    }

    fn form_written(&mut self, result: Result<Vec<registry::Event>, Refusal>) -> Vec<Effect> {
        let lang = self.lang;
        if let Err(Refusal {
            stale: Some(first), ..
        }) = &result
        {
            self.saved_first(first);
            return Vec::new();
        }
        let Some(Overlay::Form(form)) = &mut self.overlay else {
            return Vec::new();
        };
        match result {
            Ok(events) => {
                let select = form.select_after(&events);
                // Saved, and what deserves a second look, naming the record.
                let mut said = form
                    .done(lang)
                    .unwrap_or_else(|| L::Saved.get(lang).to_string());
                self.overlay = None;
                for w in events.iter().flat_map(|e| &e.warnings) {
                    said.push_str(lang.pick("；", "; "));
                    said.push_str(&w.localized(lang));
                }
                self.say(Status::Info(said));
                if let Some((kind, id)) = select
                    && let Some((screen, mut ctx)) = self.ctx_top()
                {
                    screen.select_new(kind, id, &mut ctx);
                }
            }
            Err(refusal) => {
                // Keep every field as typed; say why, in the user's language,
                // on the field the refusal is about.
                form.sheet_mut().refused(refusal.message, refusal.field);
            }
        }
        Vec::new()
    }

    /// Someone else saved the record the open form edits: the form reads it
    /// again and says which of its fields they changed, and that the take
    /// key (ctrl-r) takes their values while keeping what was typed
    /// elsewhere. The time is Shanghai's, to the minute, as screens show it.
    pub(super) fn saved_first(&mut self, first: &SavedFirst) {
        let lang = self.lang;
        let Some(Overlay::Form(mut form)) = self.overlay.take() else {
            return;
        };
        let changed = self.ctx_map(|ctx| form.stale(ctx)).flatten();
        let overtaken = match changed {
            None => self.ctx_map(|ctx| form.overtaken(ctx)).flatten(),
            Some(_) => None,
        };
        let when = registry::shanghai(first.at).format("%Y-%m-%d %H:%M");
        let by = crate::safe_text::one_line(&first.by);
        let key = self
            .keymap
            .key_for(crate::tui::input::action::Action::TakeTheirs)
            .map(|k| k.to_string())
            .unwrap_or_default();
        let message = match (lang, changed) {
            (Lang::Zh, Some(labels)) if !labels.is_empty() => format!(
                "{by} 于 {when} 已保存此记录，改动了：{}；按 {key} 取用其值，您在其他项的输入保留",
                labels.join("、")
            ),
            (Lang::En, Some(labels)) if !labels.is_empty() => format!(
                "{by} saved this record at {when}, changing: {}; {key} takes their values and keeps what you typed elsewhere",
                labels.join(", ")
            ),
            (Lang::Zh, Some(_)) => {
                format!("{by} 于 {when} 已保存此记录，本表各项未变；按 {key} 以其为准，再保存")
            }
            (Lang::En, Some(_)) => format!(
                "{by} saved this record at {when}, changing no field here; {key} takes their version, then save"
            ),
            (Lang::Zh, None) => match overtaken {
                Some(what) => format!("{by} 于 {when} 已保存此记录：{what}"),
                None => format!("{by} 于 {when} 已保存此记录；请关闭本表，重新打开后再改"),
            },
            (Lang::En, None) => match overtaken {
                Some(what) => format!("{by} saved this record at {when}: {what}"),
                None => format!(
                    "{by} saved this record at {when}; close this form and open it again to change it"
                ),
            },
        };
        form.sheet_mut().refused(message, None);
        self.overlay = Some(Overlay::Form(form));
    }

    /// Takes back this session's last change with its inverse command.
    pub(super) fn undo_last(&mut self) -> Vec<Effect> {
        let lang = self.lang;
        let (Some(registry), Some(today)) = (self.registry.clone(), self.today()) else {
            return Vec::new();
        };
        let Some(last) = self.undo.pop() else {
            self.say(Status::Info(L::NothingToUndo.get(lang).into()));
            return Vec::new();
        };
        match registry.inverse(last.audit_id, today) {
            Ok(command) => {
                // What is taken back: `已撤销：修改学员联系信息`.
                self.undone_action = Some(match &command {
                    registry::Command::Undo { undone, .. } => undone.describe(lang),
                    c => c.describe(lang),
                });
                self.write(vec![command], Origin::Undo(last))
            }
            Err(refusal) => {
                self.say(Status::Error(refusal.message(lang)));
                self.undo.push(last);
                Vec::new()
            }
        }
    }
}

/// Why a write was refused: the message in the user's language, the field
/// it is about (`domain::field`) for a form to focus,
/// and who saved the record first if someone did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    pub message: String,
    pub field: Option<crate::domain::field::Field>,
    pub stale: Option<SavedFirst>,
}

/// Someone else saved the record since it was read: who, and when.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SavedFirst {
    pub by: String,
    pub at: chrono::DateTime<chrono::Utc>,
}

impl Refusal {
    /// A refusal about no field in particular.
    pub fn said(message: impl Into<String>) -> Refusal {
        Refusal {
            message: message.into(),
            field: None,
            stale: None,
        }
    }

    pub fn of(error: &registry::RegistryError, lang: Lang) -> Refusal {
        Refusal {
            message: error.localized(lang),
            field: error.field(),
            stale: match error {
                registry::RegistryError::Stale { by, at, .. } => Some(SavedFirst {
                    by: by.clone(),
                    at: *at,
                }),
                _ => None,
            },
        }
    }
}

/// Applies `commands` together and says, in `lang`, why not if refused.
pub fn write(
    registry: &Registry,
    actor: &Actor,
    commands: &[Command],
    lang: Lang,
) -> Result<Vec<registry::Event>, Refusal> {
    registry
        .apply_batch(actor, commands)
        .map_err(|b| Refusal::of(&b.error, lang))
}
