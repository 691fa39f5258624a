//! `qiangji` and `qiangji --demo`: the interface on a database.

use super::{CliError, Global};
use crate::demo::{self, Scale};
use crate::domain::Actor;
use crate::i18n::{Lang, Localized};
use crate::registry::Registry;
use crate::tui::app::App;
use crate::tui::keymap::Keymap;
use crate::tui::local::{self as runner, RunError};
use crate::tui::theme::ColorMode;

/// The keymap from `--keymap`, else the config dir's keymap.toml, else the defaults.
pub fn keymap(choice: Option<&str>, lang: Lang) -> Result<Keymap, CliError> {
    let result = match choice {
        Some(name) => Keymap::load_named(name),
        None => {
            let user = directories::ProjectDirs::from("", "", "qiangji")
                .map(|d| d.config_dir().join("keymap.toml"));
            match user {
                Some(path) if path.exists() => Keymap::load(Some(&path)),
                _ => Ok(Keymap::default_keymap()),
            }
        }
    };
    result.map_err(|e| CliError::Message(e.localized(lang)))
}

pub fn run(global: Global, demo: bool, keymap_choice: Option<&str>) -> Result<(), CliError> {
    let lang = global.lang;
    let keymap = keymap(keymap_choice, lang)?;
    runner::init_logging();
    let app = App::new(lang, keymap, ColorMode::detect(), Actor::local());
    if demo {
        // Kept until the interface closes, then removed with its contents.
        let dir = tempfile::Builder::new()
            .prefix("qiangji-demo-")
            .tempdir()
            .map_err(|e| CliError::Message(e.to_string()))?;
        let path = dir.path().to_path_buf();
        let result = runner::run(app, move || {
            let registry = Registry::open(&path, true)?;
            demo::generate(&registry, Scale::City, 2026)
                .map_err(|e| RunError::Load(e.localized(lang)))?;
            Ok(registry)
        });
        drop(dir);
        return Ok(result?);
    }
    let path = global.db_dir();
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| CliError::Message(format!("{}: {e}", parent.display())))?;
    }
    Ok(runner::run(app, move || Ok(Registry::open(&path, true)?))?)
}
