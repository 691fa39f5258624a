//! `qiangji user add|change|key|list|remove`: the users the SSH server lets in, with
//! their roles and public keys. Run locally (the file system is the
//! permission: whoever opens the database acts as its admin), or over SSH by
//! an admin (`crate::runner::users` does both).

use super::{CliError, Global};
pub use crate::command_line::{KeyCmd, ListFormat, UserCmd};
use crate::domain::Actor;
use crate::runner::users::KeyFile;

pub fn run(global: &Global, cmd: UserCmd) -> Result<(), CliError> {
    let lang = global.lang;
    let mut keys = Vec::new();
    let read = |path: &std::path::PathBuf, keys: &mut Vec<KeyFile>| -> Result<(), CliError> {
        let text = crate::user_file::read_text(path, crate::user_file::limit::KEYS)
            .map_err(|e| CliError::Message(crate::user_file::describe(path, &e, lang)))?;
        keys.push(KeyFile {
            name: path.display().to_string(),
            text,
        });
        Ok(())
    };
    let registry = match &cmd {
        UserCmd::Add { keys: files, .. } => {
            for path in files {
                read(path, &mut keys)?;
            }
            global.open(true)?
        }
        UserCmd::Key {
            action: KeyCmd::Add { file, .. },
        } => {
            read(file, &mut keys)?;
            global.open(false)?
        }
        UserCmd::List { .. } => global.open_read_only()?,
        UserCmd::Remove { .. } | UserCmd::Change { .. } | UserCmd::Key { .. } => {
            global.open(false)?
        }
    };
    let actor = Actor::local();
    let ctx = crate::runner::Invocation::new(&registry, &actor, lang);
    let mut out = std::io::stdout().lock();
    crate::runner::users::run(&ctx, cmd, &keys, &mut out, &mut std::io::stderr())
        .map_err(CliError::from)
}
