//! `qiangji screenshot`: the main screens as SVG and plain text, from a fresh
//! demo database (with a fixed date, so the pictures are reproducible) or the
//! given one.

use std::path::Path;
use std::sync::Arc;

use super::CliError;
use crate::demo;
use crate::domain::Actor;
use crate::i18n::{Lang, Localized};
use crate::registry::Registry;
use crate::tui::app::App;
use crate::tui::keymap::Keymap;
use crate::tui::screens::{SCREENS, capture};
use crate::tui::screenshot::{to_svg, to_text};
use crate::tui::theme::ColorMode;

pub fn run(
    out: &Path,
    (width, height): (u16, u16),
    lang: Lang,
    db: Option<&Path>,
) -> Result<(), CliError> {
    let fail = |e: String| CliError::Message(e);
    std::fs::create_dir_all(out).map_err(|e| fail(format!("{}: {e}", out.display())))?;
    let temp = tempfile::tempdir().map_err(|e| fail(e.to_string()))?;
    let registry = match db {
        Some(dir) => {
            Registry::open_read_only(dir).map_err(|e| CliError::Message(e.localized(lang)))?
        }
        None => demo::fixed_city(temp.path()).map_err(|e| CliError::Message(e.localized(lang)))?,
    };
    let registry = Arc::new(registry);
    for (name, actions) in SCREENS {
        let mut app = App::with_registry(
            lang,
            Keymap::default_keymap(),
            ColorMode::TrueColor,
            Actor::admin("coordinator"),
            registry.clone(),
        );
        let buffer = capture(&mut app, actions, width, height);
        let base = out.join(name);
        for (file, text) in [
            (base.with_extension("svg"), to_svg(&buffer)),
            (base.with_extension("txt"), to_text(&buffer)),
        ] {
            crate::atomic_file::write(&file, text.as_bytes())
                .map_err(|e| fail(crate::atomic_file::describe_error(&file, &e, lang)))?;
        }
    }
    eprintln!(
        "{} {}",
        lang.pick("截图已写入", "screenshots written to"),
        out.display()
    );
    Ok(())
}
