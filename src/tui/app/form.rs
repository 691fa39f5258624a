//! The open form: moving between fields, saving, leaving.

use super::{App, Effect, Origin, Overlay};
use crate::tui::forms::Submitted;
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
            A::Cancel => {
                form.recall(&mut self.recall);
                self.overlay = None;
            }
            A::Yes if sheet.confirm_discard => {
                form.recall(&mut self.recall);
                self.overlay = None;
            }
            A::No => sheet.confirm_discard = false,
            A::Help => self.overlay = Some(Overlay::Help { scroll: 0 }),
            A::Fill => {
                let said = form.fill(self.lang);
                let said = said.unwrap_or_else(|| L::NothingToFill.get(self.lang).to_string());
                self.say(crate::tui::ctx::Status::Info(said));
            }
            A::TakeTheirs => {
                let lang = self.lang;
                let said = match form.take_theirs(lang) {
                    Some(labels) if labels.is_empty() => lang
                        .pick(
                            "已以他人保存的版本为准；可以保存",
                            "took their version; save when ready",
                        )
                        .to_string(),
                    Some(labels) => format!(
                        "{}{}",
                        lang.pick("已取用他人保存的值：", "took their values: "),
                        labels.join(lang.pick("、", ", "))
                    ),
                    None => lang
                        .pick("没有他人保存的值可取", "no one else's values to take")
                        .to_string(),
                };
                form.sheet_mut().refusal = None;
                self.say(crate::tui::ctx::Status::Info(said));
            }
            // A form holds typed text: nothing else navigates away from it.
            _ => {}
        }
        Vec::new()
    }

    fn submit(&mut self) -> Vec<Effect> {
        let lang = self.lang;
        let Some(Overlay::Form(mut form)) = self.overlay.take() else {
            return Vec::new();
        };
        let sheet = form.sheet_mut();
        sheet.check_all();
        if let Some(i) = sheet.first_error(lang) {
            sheet.focus = i;
            sheet.refusal = Some(L::FixErrors.get(lang).into());
            self.overlay = Some(Overlay::Form(form));
            return Vec::new();
        }
        form.recall(&mut self.recall);
        // The form is out of the overlay while it reads, so it and the
        // context it reads through can be borrowed at once.
        let submitted = self.ctx_map(|ctx| form.submit(ctx));
        match submitted {
            Some(Ok(Submitted::Write(commands))) => {
                self.overlay = Some(Overlay::Form(form));
                self.write(commands, Origin::Form)
            }
            Some(Ok(Submitted::Review(review))) => {
                self.stack.push(crate::tui::screens::review(*review));
                Vec::new()
            }
            Some(Ok(Submitted::Stale { by, at })) => {
                self.overlay = Some(Overlay::Form(form));
                self.saved_first(&super::writes::SavedFirst { by, at });
                Vec::new()
            }
            Some(Err(message)) => {
                form.sheet_mut().unreadable(message, lang);
                self.overlay = Some(Overlay::Form(form));
                Vec::new()
            }
            None => {
                self.overlay = Some(Overlay::Form(form));
                Vec::new()
            }
        }
    }
}
