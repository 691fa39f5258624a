//! `qiangji screenshot`: the main screens as SVG and plain text, from a fresh
//! demo database (with a fixed date, so the pictures are reproducible) or the
//! given one.

use std::path::Path;
use std::sync::Arc;

use super::CliError;
use crate::demo;
use crate::domain::Actor;
use crate::i18n::{Lang, Localized};
use crate::tui::app::App;
use crate::tui::input::action::Action;
use crate::tui::keymap::Keymap;
use crate::tui::scenes::{SCREENS, STAGED, Staged, capture, capture_staged};
use crate::tui::screenshot::{to_svg, to_text};
use crate::tui::theme::ColorMode;

/// How a scene is reached: by actions alone, or typing too.
enum Scene {
    Acted(&'static [Action]),
    Staged(Staged),
}

/// The largest screenshot: far beyond any real terminal, and small enough
/// that the buffers of every screen fit in memory (65535x65535 asked for
/// 206 GB).
pub const MAX_SIZE: (u16, u16) = (500, 200);

/// Refuses a size of zero or beyond [`MAX_SIZE`] before anything is drawn.
pub fn check_size((width, height): (u16, u16), lang: Lang) -> Result<(), CliError> {
    let (max_w, max_h) = MAX_SIZE;
    if (1..=max_w).contains(&width) && (1..=max_h).contains(&height) {
        return Ok(());
    }
    Err(CliError::Usage(match lang {
        Lang::Zh => format!(
            "--size {width}x{height} 超出范围：宽 1 至 {max_w}、高 1 至 {max_h} 个字符格，如 120x36"
        ),
        Lang::En => format!(
            "--size {width}x{height} is out of range: width 1 to {max_w} and height 1 to {max_h} cells, e.g. 120x36"
        ),
    }))
}

pub fn run(
    out: &Path,
    (width, height): (u16, u16),
    lang: Lang,
    db: Option<&Path>,
) -> Result<(), CliError> {
    let fail = |e: String| CliError::Message(e);
    let io = |path: &Path, e: std::io::Error| {
        fail(format!(
            "{}: {}",
            path.display(),
            super::access::reason(&e, lang)
        ))
    };
    std::fs::create_dir_all(out).map_err(|e| io(out, e))?;
    let temp = tempfile::tempdir().map_err(|e| io(&std::env::temp_dir(), e))?;
    let registry = match db {
        // A database that cannot be opened (in use, damaged, missing) is
        // exit 2, as for every other command.
        Some(dir) => crate::registry::Registry::open_read_only(dir)?,
        None => demo::fixed_city(temp.path()).map_err(|e| CliError::Message(e.localized(lang)))?,
    };
    let registry = Arc::new(registry);
    let scratch = temp.path().join("scratch");
    std::fs::create_dir_all(&scratch).map_err(|e| io(&scratch, e))?;
    // The staged scenes after the others: the evaluation's writes.
    let scenes = SCREENS
        .iter()
        .map(|(name, actions)| (*name, Scene::Acted(actions)))
        .chain(
            STAGED
                .iter()
                .map(|(name, stage)| (*name, Scene::Staged(*stage))),
        );
    for (name, scene) in scenes {
        let mut app = App::with_registry(
            lang,
            Keymap::default_keymap(),
            ColorMode::TrueColor,
            Actor::admin("coordinator"),
            registry.clone(),
        );
        let buffer = match scene {
            Scene::Acted(actions) => capture(&mut app, actions, width, height),
            Scene::Staged(stage) => capture_staged(&mut app, stage, &scratch, width, height),
        };
        let base = out.join(name);
        for (file, text) in [
            (base.with_extension("svg"), to_svg(&buffer)),
            (base.with_extension("txt"), to_text(&buffer)),
        ] {
            crate::atomic_file::write(&file, text.as_bytes())
                .map_err(|e| fail(crate::atomic_file::describe_error(&file, &e, lang)))?;
        }
    }
    super::exit::say(&format!(
        "{} {}",
        lang.pick("截图已写入", "screenshots written to"),
        out.display()
    ));
    Ok(())
}
