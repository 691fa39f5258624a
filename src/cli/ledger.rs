//! `qiangji ledger`: the quick check of every account's balance.

use std::path::Path;

use super::export::{destination, finish};
use super::{CliError, LedgerFormat};
use crate::domain::ProjectId;
use crate::export::balances::{self, Selection};
use crate::i18n::{Lang, Localized};
use crate::registry::Reader;

pub struct Request {
    pub project: Option<ProjectId>,
    pub school: Option<String>,
    pub year: Option<i32>,
    pub format: LedgerFormat,
}

pub fn run(
    registry: &Reader<'_>,
    lang: Lang,
    request: Request,
    output: Option<&Path>,
) -> Result<(), CliError> {
    let school = match &request.school {
        Some(wanted) => Some(find_school(registry, wanted, lang)?),
        None => None,
    };
    let selection = Selection {
        project: request.project,
        school,
        year: request.year,
    };
    let out_err = |e: crate::export::ExportError| CliError::Message(e.localized(lang));
    let mut out = destination(output, lang)?;
    let result = match request.format {
        LedgerFormat::Hledger => {
            crate::export::hledger::journal(registry, &selection, lang, registry.today(), &mut out)
        }
        format => {
            let rows = balances::rows(registry, &selection).map_err(out_err)?;
            match format {
                LedgerFormat::Json => balances::json(&rows, &mut out),
                LedgerFormat::Csv => balances::csv(&rows, lang, &mut out),
                _ => balances::table(&rows, lang, &mut out),
            }
        }
    };
    finish(result, out, lang)
}

/// A school by id or by its exact name; an unknown one lists what there is.
fn find_school(registry: &Reader<'_>, wanted: &str, lang: Lang) -> Result<u64, CliError> {
    let schools = registry
        .schools()
        .map_err(|e| CliError::Message(e.localized(lang)))?;
    let wanted = wanted.trim();
    if let Some(s) = schools
        .iter()
        .find(|s| s.id.to_string() == wanted || s.application.name == wanted)
    {
        return Ok(s.id);
    }
    let known: Vec<String> = schools
        .iter()
        .map(|s| {
            format!(
                "{} {}",
                s.id,
                crate::export::cell::plain(&s.application.name)
            )
        })
        .collect();
    Err(CliError::Message(format!(
        "{} {wanted:?}; {}: {}",
        lang.pick("没有这所基地校", "no base school"),
        lang.pick("现有", "known"),
        if known.is_empty() {
            lang.pick("（无）", "(none)").to_string()
        } else {
            known.join(", ")
        }
    )))
}
