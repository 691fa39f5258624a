//! `qiangji export`: picks the destination and hands over to `crate::export`.

use std::io::{IsTerminal, Write};
use std::path::Path;

use super::{CliError, Format};
use crate::domain::ProjectId;
use crate::export::{Filter, Kind};
use crate::i18n::{Lang, Localized};
use crate::registry::Reader;

pub fn run(
    registry: &Reader<'_>,
    lang: Lang,
    kind: Kind,
    format: Format,
    project: Option<ProjectId>,
    year: Option<i32>,
    output: Option<&Path>,
) -> Result<(), CliError> {
    let filter = Filter { project, year };
    let mut out = binary_destination(format == Format::Xlsx, output, lang)?;
    let result = match format {
        Format::Json => crate::export::json(registry, kind, &filter, lang, &mut out),
        Format::Csv => crate::export::csv(registry, kind, &filter, lang, &mut out),
        Format::Xlsx => match kind {
            Kind::Ledger => crate::export::xlsx::ledger(registry, &filter, lang),
            other => crate::export::xlsx::records(registry, other, &filter, lang),
        }
        .and_then(|bytes| Ok(out.write_all(&bytes)?)),
    };
    finish(result, out, lang)
}

/// Where an export goes: a file the user named, written whole or not at all
/// (`atomic_file`), or standard output.
pub(super) enum Destination {
    File(crate::atomic_file::AtomicFile, std::path::PathBuf),
    Stdout(std::io::BufWriter<std::io::StdoutLock<'static>>),
}

impl Write for Destination {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Destination::File(f, _) => f.write(buf),
            Destination::Stdout(o) => o.write(buf),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Destination::File(f, _) => f.flush(),
            Destination::Stdout(o) => o.flush(),
        }
    }
}

/// A writer to `output` (a temporary file beside it until `finish`), or to
/// standard output.
pub(super) fn destination(output: Option<&Path>, lang: Lang) -> Result<Destination, CliError> {
    Ok(match output {
        Some(path) => Destination::File(
            crate::atomic_file::AtomicFile::create(path).map_err(|e| {
                CliError::Message(crate::atomic_file::describe_error(path, &e, lang))
            })?,
            path.to_path_buf(),
        ),
        None => Destination::Stdout(std::io::BufWriter::new(std::io::stdout().lock())),
    })
}

/// Like [`destination`], but a binary file (xlsx) is refused for a terminal.
fn binary_destination(
    binary: bool,
    output: Option<&Path>,
    lang: Lang,
) -> Result<Destination, CliError> {
    if binary && output.is_none() && std::io::stdout().is_terminal() {
        return Err(CliError::Message(
            lang.pick(
                "xlsx 是二进制文件，不能显示在终端上；请用 -o 文件名.xlsx 指定输出文件",
                "xlsx is a binary file and cannot be shown in a terminal; name a file with -o FILE.xlsx",
            )
            .into(),
        ));
    }
    destination(output, lang)
}

/// Reports a failed write in the user's language, and puts a file in place
/// only when everything was written (a failed export leaves the previous
/// file as it was); a reader that stops early (`| head`) is not an error.
pub(super) fn finish(
    result: Result<(), crate::export::ExportError>,
    out: Destination,
    lang: Lang,
) -> Result<(), CliError> {
    match result {
        Err(e) if e.is_broken_pipe() => return Ok(()),
        Err(e) => return Err(CliError::Message(e.localized(lang))),
        Ok(()) => {}
    }
    match out {
        Destination::File(f, path) => f
            .commit()
            .map_err(|e| CliError::Message(crate::atomic_file::describe_error(&path, &e, lang))),
        Destination::Stdout(mut o) => match o.flush() {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
            Err(e) => Err(CliError::Message(crate::atomic_file::describe_error(
                Path::new("-"),
                &e,
                lang,
            ))),
            Ok(()) => Ok(()),
        },
    }
}

/// `export template applications`, `export announcement`, `export filing`.
#[allow(clippy::too_many_arguments)]
pub fn lists(
    global: &super::Global,
    lang: Lang,
    kind: super::ExportKind,
    what: Option<super::TemplateKind>,
    format: Option<Format>,
    project: Option<super::ProjectSel>,
    year: Option<i32>,
    output: Option<&Path>,
) -> Result<(), CliError> {
    use super::{ExportKind, ProjectSel};
    use crate::export::lists;
    let usage = |zh: &str, en: &str| CliError::Usage(lang.pick(zh, en).to_string());
    // The lists are printed: a workbook unless asked otherwise.
    let format = format.unwrap_or(Format::Xlsx);
    let (list, registry, titled) = match kind {
        ExportKind::Template => {
            if what.is_none() {
                return Err(usage(
                    "请指明模板：qiangji export template applications -o 推荐名单模板.xlsx",
                    "name the template: qiangji export template applications -o FILE.xlsx",
                ));
            }
            let today = chrono::Utc::now().date_naive();
            (lists::template(lang, today), None, false)
        }
        ExportKind::Announcement => {
            let Some(ProjectSel::One(p)) = project else {
                return Err(usage(
                    "公示名单按项目组导出：请加 --project 项目组（如 math）",
                    "the announcement list is per group: add --project ID (e.g. math)",
                ));
            };
            let registry = global.open_read_only()?;
            let list = lists::announcement(&registry, p, lang)
                .map_err(|e| CliError::Message(e.localized(lang)))?;
            (list, Some(registry), true)
        }
        _ => {
            let Some(project) = project else {
                return Err(usage(
                    "请加 --project 项目组 或 --project all",
                    "add --project ID or --project all",
                ));
            };
            let registry = global.open_read_only()?;
            let year = year.unwrap_or_else(|| chrono::Datelike::year(&registry.today()));
            let list = lists::filing(&registry, project.one(), year, lang)
                .map_err(|e| CliError::Message(e.localized(lang)))?;
            (list, Some(registry), true)
        }
    };
    let mut out = binary_destination(format == Format::Xlsx, output, lang)?;
    let result = match format {
        Format::Json => lists::json(&list, &mut out),
        Format::Csv => lists::csv(&list, &mut out, titled),
        Format::Xlsx => lists::xlsx(&list, registry.as_ref(), lang, titled)
            .and_then(|bytes| Ok(out.write_all(&bytes)?)),
    };
    finish(result, out, lang)
}

pub fn evaluation(
    global: &super::Global,
    lang: Lang,
    year: i32,
    format: super::EvaluationFormat,
    points: Option<&Path>,
    output: Option<&Path>,
) -> Result<(), CliError> {
    use super::EvaluationFormat as F;
    let points = crate::evaluation::points_table(points, lang).map_err(CliError::Message)?;
    let registry = global.open_read_only()?;
    let list = crate::evaluation::evaluate(&registry, year, &points, lang)
        .map_err(|e| CliError::Message(e.localized(lang)))?
        .list(lang, registry.today());
    let mut out = binary_destination(format == F::Xlsx, output, lang)?;
    let result = match format {
        F::Table => out
            .write_all(crate::evaluation::table(&list).as_bytes())
            .map_err(Into::into),
        F::Json => crate::export::lists::json(&list, &mut out),
        F::Xlsx => crate::export::lists::xlsx(&list, Some(&registry), lang, true)
            .and_then(|bytes| Ok(out.write_all(&bytes)?)),
    };
    finish(result, out, lang)
}
