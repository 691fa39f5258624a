//! Building the context a screen acts in, from the App's parts: the stack
//! and the context borrow different fields, so both can be had at once.

use super::App;
use crate::tui::ctx::Ctx;
use crate::tui::screens::Screen;

impl App {
    /// The stack and a context to act in, once the data is there.
    pub(super) fn parts(&mut self) -> Option<(&mut Vec<Box<dyn Screen>>, Ctx<'_>)> {
        let page = usize::from(self.size.1.saturating_sub(8)).max(1);
        let today = self.today()?;
        let registry = self.registry.as_ref()?;
        let ctx = Ctx {
            registry,
            actor: &self.actor,
            lang: self.lang,
            today,
            page,
            status: &mut self.status,
            remote: self.remote.as_deref(),
            recall: &mut self.recall,
        };
        Some((&mut self.stack, ctx))
    }

    /// The screen on top and a context to act in.
    pub(super) fn ctx_top(&mut self) -> Option<(&mut dyn Screen, Ctx<'_>)> {
        let (stack, ctx) = self.parts()?;
        Some((&mut **stack.last_mut()?, ctx))
    }

    /// Runs `f` with a context, when the data is there.
    pub(super) fn ctx_map<T>(&mut self, f: impl FnOnce(&mut Ctx) -> T) -> Option<T> {
        let (_, mut ctx) = self.parts()?;
        Some(f(&mut ctx))
    }

    /// Runs `f` on every screen of the stack, bottom first.
    pub(super) fn each_screen(&mut self, f: impl Fn(&mut dyn Screen, &mut Ctx)) {
        if let Some((stack, mut ctx)) = self.parts() {
            for screen in stack.iter_mut() {
                f(&mut **screen, &mut ctx);
            }
        }
    }
}
