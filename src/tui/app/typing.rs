//! Text typed or pasted into the open input: a form field, the palette, or
//! the screen's filter or score.

use super::{App, Overlay};
use crate::tui::ctx::Status;
use crate::tui::input::action::Action;
use crate::tui::input::key::{Key, KeyCode};
use crate::tui::input::search::Query;
use crate::tui::strings::L;

impl App {
    pub(super) fn palette_matches(&self, text: &str) -> Vec<Action> {
        let q = Query::new(text);
        self.palette_keys
            .iter()
            .filter(|(_, k)| k.matches(&q))
            .map(|(a, _)| *a)
            .collect()
    }

    /// A key no binding took: text for the open input or form field.
    pub(super) fn type_key(&mut self, key: Key) {
        match &mut self.overlay {
            Some(Overlay::Form(f)) => {
                let sheet = f.sheet_mut();
                if !sheet.confirm_discard
                    && let Some(field) = sheet.focused()
                {
                    field.key(key);
                    f.edited();
                }
            }
            Some(Overlay::Palette {
                input,
                selected,
                shown,
            }) => match key.code {
                KeyCode::Down => *selected = (*selected + 1).min(shown.len().saturating_sub(1)),
                KeyCode::Up => *selected = selected.saturating_sub(1),
                _ => {
                    if crate::tui::forms::field::edit_input(input, key) {
                        let text = input.value().to_string();
                        self.refilter_palette(&text);
                    }
                }
            },
            Some(Overlay::Help { .. }) => {}
            None => {
                if let Some((screen, mut ctx)) = self.ctx_top() {
                    screen.type_key(key, &mut ctx);
                }
            }
        }
    }

    fn refilter_palette(&mut self, text: &str) {
        let matches = self.palette_matches(text);
        if let Some(Overlay::Palette {
            shown, selected, ..
        }) = &mut self.overlay
        {
            *shown = matches;
            *selected = 0;
        }
    }

    /// A paste goes whole into the field or input being typed into; with
    /// none open it is ignored, with a hint, and never read as keys.
    pub(super) fn paste(&mut self, text: &str) {
        let taken = match &mut self.overlay {
            Some(Overlay::Form(f)) => {
                let sheet = f.sheet_mut();
                !sheet.confirm_discard && sheet.focused().is_some_and(|field| field.paste(text))
            }
            Some(Overlay::Palette { input, .. }) => {
                crate::tui::forms::field::paste_into(input, text);
                let text = input.value().to_string();
                self.refilter_palette(&text);
                true
            }
            Some(Overlay::Help { .. }) => false,
            None => match self.ctx_top() {
                Some((screen, mut ctx)) => screen.paste(text, &mut ctx),
                None => false,
            },
        };
        if !taken {
            self.say(Status::Info(L::PasteIgnored.get(self.lang).into()));
        }
    }
}
