//! `qiangji screenshot`: the main screens as SVG and plain text, from a fresh
//! demo database (with a fixed date, so the pictures are reproducible) or the
//! given one.

use std::path::Path;
use std::sync::Arc;

use chrono::TimeZone;

use super::CliError;
use crate::demo::{self, Scale};
use crate::domain::Actor;
use crate::i18n::{Lang, Localized};
use crate::registry::{Clock, Registry};
use crate::tui::app::App;
use crate::tui::keymap::Keymap;
use crate::tui::screens::{SCREENS, capture};
use crate::tui::screenshot::{to_svg, to_text};
use crate::tui::theme::ColorMode;

/// The date the demo pictures show.
pub fn demo_clock() -> Clock {
    Clock::Fixed(
        chrono::Utc
            .with_ymd_and_hms(2026, 11, 29, 2, 0, 0)
            .single()
            .unwrap_or_default(),
    )
}

/// A city demo registry in `dir` on the fixed demo date.
pub fn demo_registry(dir: &Path) -> Result<Registry, String> {
    let registry = Registry::open(dir, true)
        .map_err(|e| e.to_string())?
        .with_clock(demo_clock());
    demo::generate(&registry, Scale::City, 2026).map_err(|e| e.to_string())?;
    Ok(registry)
}

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
            Registry::open(dir, false).map_err(|e| CliError::Message(e.localized(lang)))?
        }
        None => demo_registry(temp.path()).map_err(fail)?,
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
        std::fs::write(base.with_extension("svg"), to_svg(&buffer))
            .map_err(|e| fail(e.to_string()))?;
        std::fs::write(base.with_extension("txt"), to_text(&buffer))
            .map_err(|e| fail(e.to_string()))?;
    }
    eprintln!(
        "{} {}",
        lang.pick("截图已写入", "screenshots written to"),
        out.display()
    );
    Ok(())
}
