//! `qiangji export`: picks the destination and hands over to `crate::export`.

use std::io::Write;
use std::path::Path;

use super::{CliError, Format};
use crate::domain::ProjectId;
use crate::export::{Filter, Kind};
use crate::i18n::{Lang, Localized};
use crate::registry::Registry;

pub fn run(
    registry: &Registry,
    lang: Lang,
    kind: Kind,
    format: Format,
    project: Option<ProjectId>,
    year: Option<i32>,
    output: Option<&Path>,
) -> Result<(), CliError> {
    let filter = Filter { project, year };
    let io_err = |e: std::io::Error| {
        CliError::Message(format!("{}: {e}", lang.pick("写入失败", "cannot write")))
    };
    let mut out: Box<dyn Write> = match output {
        Some(path) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(path)
                .map_err(|e| CliError::Message(format!("{}: {e}", path.display())))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    let result = match format {
        Format::Json => crate::export::json(registry, kind, &filter, &mut out),
        Format::Csv => crate::export::csv(registry, kind, &filter, lang, &mut out),
    };
    // A reader that stops early (`| head`) is not an error.
    match result {
        Err(e) if e.is_broken_pipe() => return Ok(()),
        Err(e) => return Err(CliError::Message(e.localized(lang))),
        Ok(()) => {}
    }
    match out.flush() {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        r => r.map_err(io_err),
    }
}
