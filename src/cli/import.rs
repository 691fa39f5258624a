//! `qiangji import applications FILE|-`: the report goes to standard output,
//! one line per problem; exit 1 when rows were bad and nothing was written.

use std::io::Read;
use std::path::Path;

use super::{CliError, Global};
use crate::domain::Actor;
use crate::i18n::{Lang, Localized};
use crate::import::{Options, read};
use crate::registry::Registry;

pub fn run(global: &Global, lang: Lang, file: &Path, options: Options) -> Result<(), CliError> {
    let table = if file == Path::new("-") {
        let mut bytes = Vec::new();
        std::io::stdin()
            .take(read::MAX_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| CliError::Message(crate::atomic_file::describe_error(file, &e, lang)))?;
        read::from_bytes(
            bytes,
            Path::new(lang.pick("（标准输入）", "(standard input)")),
        )
    } else {
        read::read(file)
    }
    .map_err(|e| CliError::Message(e.localized(lang)))?;
    // A dry run reads a private copy: it cannot write even by mistake.
    let registry: Registry = if options.dry_run {
        global.open_read_only()?
    } else {
        global.open(false)?
    };
    let actor = Actor::local();
    let ctx = crate::runner::Invocation::new(&registry, &actor, lang);
    crate::runner::import(&ctx, &table, options, &mut std::io::stdout().lock())
        .map_err(CliError::from)
}
