//! `qiangji export`: picks the destination and hands over to `crate::export`.

use std::io::{IsTerminal, Write};
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
    if format == Format::Xlsx && output.is_none() && std::io::stdout().is_terminal() {
        return Err(CliError::Message(
            lang.pick(
                "xlsx 是二进制文件，不能显示在终端上；请用 -o 文件名.xlsx 指定输出文件",
                "xlsx is a binary file and cannot be shown in a terminal; name a file with -o FILE.xlsx",
            )
            .into(),
        ));
    }
    let mut out = destination(output)?;
    let result = match format {
        Format::Json => crate::export::json(registry, kind, &filter, &mut out),
        Format::Csv => crate::export::csv(registry, kind, &filter, lang, &mut out),
        Format::Xlsx => match kind {
            Kind::Ledger => crate::export::xlsx::ledger(registry, &filter, lang),
            other => crate::export::xlsx::records(registry, other, &filter, lang),
        }
        .and_then(|bytes| Ok(out.write_all(&bytes)?)),
    };
    finish(result, out, lang)
}

/// A buffered writer to `output`, or to standard output.
pub(super) fn destination(output: Option<&Path>) -> Result<Box<dyn Write>, CliError> {
    Ok(match output {
        Some(path) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(path)
                .map_err(|e| CliError::Message(format!("{}: {e}", path.display())))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    })
}

/// Reports a failed write in the user's language and flushes; a reader that
/// stops early (`| head`) is not an error.
pub(super) fn finish(
    result: Result<(), crate::export::ExportError>,
    mut out: Box<dyn Write>,
    lang: Lang,
) -> Result<(), CliError> {
    let io_err = |e: std::io::Error| {
        CliError::Message(format!("{}: {e}", lang.pick("写入失败", "cannot write")))
    };
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
