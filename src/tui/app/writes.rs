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
                form.sheet_mut()
                    .refused(refusal.message, refusal.field.as_deref());
            }
        }
        Vec::new()
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
/// it is about (the registry's identity, "金额 amount") for a form to focus,
/// and whether someone else saved the record first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    pub message: String,
    pub field: Option<String>,
    pub stale: bool,
}

impl Refusal {
    /// A refusal about no field in particular.
    pub fn said(message: impl Into<String>) -> Refusal {
        Refusal {
            message: message.into(),
            field: None,
            stale: false,
        }
    }

    pub fn of(error: &registry::RegistryError, lang: Lang) -> Refusal {
        Refusal {
            message: error.localized(lang),
            field: error.field().map(str::to_string),
            stale: matches!(error, registry::RegistryError::Stale { .. }),
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
