//! `qiangji import applications FILE`: the report goes to standard output,
//! one line per problem; exit 1 when rows were bad and nothing was written.

use std::io::Write;
use std::path::Path;

use super::{CliError, Global};
use crate::domain::Actor;
use crate::i18n::{Lang, Localized};
use crate::import::{self, Options};
use crate::registry::Registry;

pub fn run(global: &Global, lang: Lang, file: &Path, options: Options) -> Result<(), CliError> {
    // A dry run reads a private copy: it cannot write even by mistake.
    let registry: Registry = if options.dry_run {
        global.open_read_only()?
    } else {
        global.open(false)?
    };
    let report = import::run(&registry, &Actor::local(), file, options)
        .map_err(|e| CliError::Message(e.localized(lang)))?;
    let mut out = std::io::stdout().lock();
    for line in report.lines(lang) {
        let _ = writeln!(out, "{}", super::safe_text::one_line(&line));
    }
    let _ = out.flush();
    let refused = !report.problems.is_empty() && !report.written && !options.skip_bad;
    if refused {
        Err(CliError::Failed)
    } else {
        Ok(())
    }
}
