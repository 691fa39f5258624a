//! `qiangji` and `qiangji --demo`: the interface on a database.

use super::demo_dir::DemoDir;
use super::{CliError, Global, access, terminal};
use crate::demo::{self, Scale};
use crate::domain::Actor;
use crate::i18n::{Lang, Localized};
use crate::registry::Registry;
use crate::signals;
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
    if let Some(problem) = terminal::problem() {
        return Err(cannot_draw(&global, demo, problem));
    }
    // From here on SIGTERM, SIGHUP, SIGQUIT and SIGINT end the event loop like `q`.
    signals::install().map_err(|e| CliError::Message(format!("signals: {e}")))?;
    runner::init_logging();
    let app = App::new(lang, keymap, ColorMode::detect(), Actor::local());
    let result = if demo {
        // Kept until the interface closes, then removed with its contents;
        // the stale ones of killed runs are removed first.
        let dir = DemoDir::create()
            .map_err(|e| CliError::Message(format!("--demo: {}", access::reason(&e, lang))))?;
        let path = dir.db_path();
        let result = runner::run(app, move || {
            let registry = Registry::open(&path, true)?;
            demo::generate(&registry, Scale::City, 2026)
                .map_err(|e| RunError::Load(e.localized(lang)))?;
            Ok(registry)
        });
        drop(dir);
        result
    } else {
        let path = global.db_dir();
        access::prepare(&path, lang)?;
        runner::run(app, move || Ok(Registry::open(&path, true)?))
    };
    // A stop signal is the outcome, whatever the loop said while the
    // terminal went away (a hang-up makes reads and writes fail).
    if let Some(signal) = signals::received() {
        return Err(CliError::Stopped(signal));
    }
    Ok(result?)
}

/// Why the dashboard does not start without a capable terminal. A database
/// that exists is opened (without creating anything) first, because its
/// problem (in use by another process, damaged, denied) is the more useful
/// answer for a script; nothing is created either way.
fn cannot_draw(global: &Global, demo: bool, problem: terminal::Problem) -> CliError {
    if !demo {
        let path = global.db_dir();
        if let Err(denied) = access::check(&path) {
            return CliError::Denied(denied);
        }
        if path.join("db").exists() || path.join("conf").exists() {
            match Registry::open(&path, false) {
                Err(e) => return CliError::Open(e),
                Ok(registry) => drop(registry),
            }
        }
    }
    CliError::NoTerminal(problem)
}
