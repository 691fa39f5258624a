//! What an export file in the tree holds: made from the registry when it is
//! opened (one moment), in the user's language, by the same code as
//! `qiangji export` (`crate::runner`), as the user's role reads it.

use std::collections::BTreeSet;

use chrono::Datelike;

use super::tree::{Folder, Item};
use crate::command_line::{EvaluationFormat, ExportKind, Format, ProjectSel, TemplateKind};
use crate::domain::{Actor, Holder};
use crate::export::Kind;
use crate::i18n::Lang;
use crate::registry::Registry;
use crate::runner::{self, Failure, Invocation};

/// The years with records in `folder` as `actor` reads them: account years,
/// annual cycles and achievements; this year when there are none.
pub fn years(registry: &Registry, actor: &Actor, folder: Folder) -> Vec<i32> {
    let reader = registry.reader(actor);
    let mine = |p: crate::domain::ProjectId| folder.project().is_none_or(|f| f == p);
    let mut years = BTreeSet::new();
    if let Ok(balances) = reader.balances() {
        for (account, _) in balances {
            let ours = match account.holder {
                Holder::Project(p) => mine(p),
                Holder::School(_) => folder == Folder::All,
            };
            if ours {
                years.insert(account.year);
            }
        }
    }
    for cycle in reader.cycles().flatten() {
        if mine(cycle.project) {
            years.insert(cycle.year);
        }
    }
    for a in reader.achievements().flatten() {
        if mine(a.project) {
            years.insert(a.year);
        }
    }
    if years.is_empty() {
        years.insert(registry.today().year());
    }
    years.into_iter().collect()
}

/// The item named `name` in `folder`, if it is there.
pub fn item(registry: &Registry, actor: &Actor, folder: Folder, name: &str) -> Option<Item> {
    Item::all(folder, &years(registry, actor, folder))
        .into_iter()
        .find(|i| i.name() == name)
}

/// The bytes of `item` in `folder`, made now.
pub fn make(
    registry: &Registry,
    actor: &Actor,
    lang: Lang,
    folder: Folder,
    item: Item,
) -> Result<Vec<u8>, String> {
    let ctx = Invocation::new(registry, actor, lang);
    let project = folder.project();
    let selection = match project {
        Some(p) => ProjectSel::One(p),
        None => ProjectSel::All,
    };
    let mut out = Vec::new();
    let done = match item {
        Item::Announcement => runner::export_list(
            &ctx,
            ExportKind::Announcement,
            None,
            Some(Format::Xlsx),
            Some(selection),
            None,
            &mut out,
        ),
        Item::Filing(year) => runner::export_list(
            &ctx,
            ExportKind::Filing,
            None,
            Some(Format::Xlsx),
            Some(selection),
            Some(year),
            &mut out,
        ),
        Item::Ledger(year) => runner::export_records(
            &ctx,
            Kind::Ledger,
            Format::Xlsx,
            project,
            Some(year),
            &mut out,
        ),
        Item::TraineesCsv => {
            runner::export_records(&ctx, Kind::Trainees, Format::Csv, project, None, &mut out)
        }
        Item::TraineesXlsx => {
            runner::export_records(&ctx, Kind::Trainees, Format::Xlsx, project, None, &mut out)
        }
        Item::AssessmentsCsv => runner::export_records(
            &ctx,
            Kind::Assessments,
            Format::Csv,
            project,
            None,
            &mut out,
        ),
        Item::Evaluation(year) => crate::evaluation::points_table(None, lang)
            .map_err(Failure::Refused)
            .and_then(|points| {
                runner::evaluation(&ctx, year, EvaluationFormat::Xlsx, &points, &mut out)
            }),
    };
    finished(done, lang).map(|()| out)
}

/// The import template, the same for everyone.
pub fn template(lang: Lang) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let done = runner::lists::template(
        lang,
        Some(TemplateKind::Applications),
        Some(Format::Xlsx),
        false,
        &mut out,
    );
    finished(done, lang).map(|()| out)
}

fn finished(done: runner::Done, lang: Lang) -> Result<(), String> {
    done.map_err(|f| {
        f.message(lang)
            .unwrap_or_else(|| lang.pick("导出失败", "the export failed").to_string())
    })
}
