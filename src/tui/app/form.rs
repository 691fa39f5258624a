//! The open form: moving between fields, saving, leaving.

use super::{App, Effect, Origin, Overlay};
use crate::tui::forms::Scope;
use crate::tui::input::action::Action;
use crate::tui::strings::L;

impl App {
    pub(super) fn form_action(&mut self, action: Action) -> Vec<Effect> {
        use Action as A;
        let Some(Overlay::Form(form)) = &mut self.overlay else {
            return Vec::new();
        };
        let sheet = form.sheet_mut();
        match action {
            A::NextField => sheet.next(),
            A::PrevField => sheet.prev(),
            A::Submit => return self.submit(),
            A::Quit | A::Cancel if sheet.changed() => sheet.confirm_discard = true,
            A::Quit => return vec![Effect::Quit],
            A::Cancel => self.overlay = None,
            A::Yes if sheet.confirm_discard => self.overlay = None,
            A::No => sheet.confirm_discard = false,
            A::Help => self.overlay = Some(Overlay::Help { scroll: 0 }),
            // A form holds typed text: nothing else navigates away from it.
            _ => {}
        }
        Vec::new()
    }

    fn submit(&mut self) -> Vec<Effect> {
        let (lang, today) = (self.lang, self.today());
        let Some(Overlay::Form(form)) = &mut self.overlay else {
            return Vec::new();
        };
        let sheet = form.sheet_mut();
        sheet.check_all();
        if let Some(i) = sheet.first_error(lang) {
            sheet.focus = i;
            sheet.refusal = Some(L::FixErrors.get(lang).into());
            return Vec::new();
        }
        let Some(today) = today else {
            return Vec::new();
        };
        match form.save(Scope { lang, today }) {
            Ok(commands) => self.write(commands, Origin::Form),
            Err(message) => {
                form.sheet_mut().refused(message, lang);
                Vec::new()
            }
        }
    }
}
