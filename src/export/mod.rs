//! Exports: every record kind as JSON (an array of objects with stable
//! snake_case keys) or as CSV for Excel (UTF-8 with a BOM, headers in the
//! user's language). Rows are streamed, so a province-sized ledger never sits in
//! memory whole.

pub mod balances;
pub mod cell;
pub mod docx;
pub mod heads;
pub mod hledger;
pub mod lists;
mod rows;
pub mod schedule;
pub mod sign_in;
pub mod timetable;
pub mod xlsx;

use std::io::Write;

use serde::Serialize;

pub use rows::{AssessmentRow, AuditRow, CoachRow, EntryRow, SchoolRow, TraineeRow};

use crate::domain::ProjectId;
use crate::i18n::{Lang, Localized};
use crate::registry::Reader;
use crate::store::StoreError;

/// What to export; the command line takes these names as they are.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Kind {
    Trainees,
    Coaches,
    Schools,
    Assessments,
    Ledger,
    Audit,
    /// A group's sessions (issue 19).
    Schedule,
}

#[derive(Clone, Copy, Debug, Default)]
pub struct Filter {
    pub project: Option<ProjectId>,
    pub year: Option<i32>,
    /// Schedule: only the sessions this coach (appointment id) teaches.
    pub coach: Option<u64>,
    /// Schedule: only the sessions on this trainee's roster.
    pub trainee: Option<u64>,
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("cannot write: {0}")]
    Io(#[from] std::io::Error),
    #[error("cannot write CSV: {0}")]
    Csv(#[from] ::csv::Error),
    #[error("cannot write JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("the totals do not fit in a number; the ledger is damaged: run qiangji check")]
    Overflow,
}

impl ExportError {
    pub fn is_broken_pipe(&self) -> bool {
        let pipe = std::io::ErrorKind::BrokenPipe;
        match self {
            ExportError::Io(e) => e.kind() == pipe,
            ExportError::Csv(e) => {
                matches!(e.kind(), ::csv::ErrorKind::Io(io) if io.kind() == pipe)
            }
            ExportError::Json(e) => e.io_error_kind() == Some(pipe),
            ExportError::Store(_) | ExportError::Overflow => false,
        }
    }
}

impl Localized for ExportError {
    fn localized(&self, lang: Lang) -> String {
        match (self, lang) {
            (ExportError::Store(e), _) => e.localized(lang),
            (ExportError::Overflow, lang) => lang
                .pick(
                    "合计超出可表示的范围，台账已损坏；请运行 qiangji check",
                    "a total is beyond what can be represented: the ledger is damaged; run qiangji check",
                )
                .to_string(),
            // The system's words (`No space left on device (os error 28)`)
            // go to the log; the user reads what to do.
            (e, lang) => {
                tracing::error!(error = ?e, "export failed");
                let problem = match e {
                    ExportError::Io(io) => crate::store::IoProblem::of_io(io),
                    ExportError::Csv(c) => match c.kind() {
                        ::csv::ErrorKind::Io(io) => crate::store::IoProblem::of_io(io),
                        _ => crate::store::IoProblem::Other,
                    },
                    ExportError::Json(j) => match j.io_error_kind() {
                        Some(kind) => crate::store::IoProblem::of_io(&std::io::Error::from(kind)),
                        None => crate::store::IoProblem::Other,
                    },
                    ExportError::Store(_) | ExportError::Overflow => crate::store::IoProblem::Other,
                };
                format!(
                    "{}{}",
                    lang.pick("导出失败：", "the export failed: "),
                    problem.describe(lang)
                )
            }
        }
    }
}

/// A row type: its JSON form comes from serde, its CSV form from `cells`.
/// One column of a CSV or xlsx export: its header in both languages beside
/// the cell it holds, so that a new column is one line and headers and cells
/// cannot fall out of step. (JSON is the row's own serde shape: typed
/// values, codes and nesting, which a spreadsheet column cannot hold.)
pub struct Column<R> {
    pub zh: &'static str,
    pub en: &'static str,
    pub cell: fn(&R, Lang) -> String,
}

pub const fn col<R>(zh: &'static str, en: &'static str, cell: fn(&R, Lang) -> String) -> Column<R> {
    Column { zh, en, cell }
}

pub trait Row: Serialize + Sized + 'static {
    const COLUMNS: &'static [Column<Self>];

    fn headers(lang: Lang) -> Vec<&'static str> {
        Self::COLUMNS
            .iter()
            .map(|c| lang.pick(c.zh, c.en))
            .collect()
    }

    fn cells(&self, lang: Lang) -> Vec<String> {
        Self::COLUMNS.iter().map(|c| (c.cell)(self, lang)).collect()
    }
}

/// Calls `sink` with every row of `kind` that passes `filter`.
fn each<W>(
    registry: &Reader<'_>,
    kind: Kind,
    filter: &Filter,
    lang: Lang,
    sink: &mut Sink<'_, W>,
) -> Result<(), ExportError>
where
    W: Write,
{
    match kind {
        Kind::Trainees => rows::trainees(registry, filter, lang, |r| sink.row(&r, lang)),
        Kind::Coaches => rows::coaches(registry, filter, lang, |r| sink.row(&r, lang)),
        Kind::Schools => rows::schools(registry, filter, |r| sink.row(&r, lang)),
        Kind::Assessments => rows::assessments(registry, filter, lang, |r| sink.row(&r, lang)),
        Kind::Ledger => rows::entries(registry, filter, lang, |r| sink.row(&r, lang)),
        Kind::Audit => rows::audit(registry, filter, lang, |r| sink.row(&r, lang)),
        Kind::Schedule => schedule::rows(registry, filter, lang, |r| sink.row(&r, lang)),
    }
}

/// Calls `f` with every row of `kind` that passes `filter`, seen through its
/// cells (for the xlsx sheet, which needs no serde).
fn each_row(
    registry: &Reader<'_>,
    kind: Kind,
    filter: &Filter,
    lang: Lang,
    f: &mut dyn FnMut(&dyn xlsx::RowCells) -> Result<(), ExportError>,
) -> Result<(), ExportError> {
    match kind {
        Kind::Trainees => rows::trainees(registry, filter, lang, |r| f(&r)),
        Kind::Coaches => rows::coaches(registry, filter, lang, |r| f(&r)),
        Kind::Schools => rows::schools(registry, filter, |r| f(&r)),
        Kind::Assessments => rows::assessments(registry, filter, lang, |r| f(&r)),
        Kind::Ledger => rows::entries(registry, filter, lang, |r| f(&r)),
        Kind::Audit => rows::audit(registry, filter, lang, |r| f(&r)),
        Kind::Schedule => schedule::rows(registry, filter, lang, |r| f(&r)),
    }
}

/// The column headers of `kind` in `lang`.
fn headers(kind: Kind, lang: Lang) -> Vec<&'static str> {
    match kind {
        Kind::Trainees => TraineeRow::headers(lang),
        Kind::Coaches => CoachRow::headers(lang),
        Kind::Schools => SchoolRow::headers(lang),
        Kind::Assessments => AssessmentRow::headers(lang),
        Kind::Ledger => EntryRow::headers(lang),
        Kind::Audit => AuditRow::headers(lang),
        Kind::Schedule => schedule::SessionRow::headers(lang),
    }
}

enum Sink<'a, W: Write> {
    Json {
        out: &'a mut W,
        first: bool,
    },
    // Boxed: the CSV writer carries its buffer inline.
    Csv {
        out: Box<::csv::Writer<&'a mut W>>,
        header_written: bool,
    },
}

impl<W: Write> Sink<'_, W> {
    fn row<R: Row>(&mut self, row: &R, lang: Lang) -> Result<(), ExportError> {
        match self {
            Sink::Json { out, first } => {
                out.write_all(if *first { b"\n  " } else { b",\n  " })?;
                *first = false;
                cell::write_json(&mut **out, row, cell::SafeJson::compact())?;
            }
            Sink::Csv {
                out,
                header_written,
            } => {
                if !*header_written {
                    out.write_record(R::headers(lang))?;
                    *header_written = true;
                }
                let cells = row.cells(lang);
                out.write_record(cells.iter().map(|c| cell::spreadsheet(c).into_owned()))?;
            }
        }
        Ok(())
    }
}

/// Records as JSON: stable keys and codes; the few words beside the codes
/// (a withdrawal's reason, a semester, unmet conditions, a known spending
/// category, the audit's action) in `lang`.
pub fn json<W: Write>(
    registry: &Reader<'_>,
    kind: Kind,
    filter: &Filter,
    lang: Lang,
    out: &mut W,
) -> Result<(), ExportError> {
    out.write_all(b"[")?;
    let mut sink = Sink::Json { out, first: true };
    each(registry, kind, filter, lang, &mut sink)?;
    if let Sink::Json { out, first } = sink {
        out.write_all(if first { b"]\n" } else { b"\n]\n" })?;
    }
    Ok(())
}

pub fn csv<W: Write>(
    registry: &Reader<'_>,
    kind: Kind,
    filter: &Filter,
    lang: Lang,
    out: &mut W,
) -> Result<(), ExportError> {
    // Excel opens UTF-8 CSV correctly only with a byte-order mark.
    out.write_all("\u{feff}".as_bytes())?;
    let mut sink = Sink::Csv {
        out: Box::new(::csv::Writer::from_writer(out)),
        header_written: false,
    };
    each(registry, kind, filter, lang, &mut sink)?;
    if let Sink::Csv {
        mut out,
        header_written,
    } = sink
    {
        if !header_written {
            // An empty export still tells Excel what the columns are.
            out.write_record(headers(kind, lang))?;
        }
        out.flush()?;
    }
    Ok(())
}
