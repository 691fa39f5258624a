//! The bureau's lists: `export template applications`, `export announcement`,
//! `export filing`, and `evaluation`.

use std::io::Write;

use super::{Binary, Done, Failure, Invocation, reads_every_group, scope};
use crate::command_line::{EvaluationFormat, ExportKind, Format, ProjectSel, TemplateKind};
use crate::export::lists::{self, List};
use crate::i18n::{Lang, Localized};

/// `export template applications`, `export announcement`, `export filing`:
/// a workbook unless asked otherwise.
pub fn export_list(
    ctx: &Invocation<'_>,
    kind: ExportKind,
    what: Option<TemplateKind>,
    format: Option<Format>,
    project: Option<ProjectSel>,
    year: Option<i32>,
    out: &mut dyn Write,
) -> Done {
    if kind == ExportKind::Template {
        return template(ctx.lang, what, format, ctx.out_is_terminal, out);
    }
    let (list, titled) = list_of(ctx, kind, project, year)?;
    write_list(ctx, &list, format.unwrap_or(Format::Xlsx), titled, out)
}

/// `export template applications`: the same for everyone, from no database.
pub fn template(
    lang: Lang,
    what: Option<TemplateKind>,
    format: Option<Format>,
    out_is_terminal: bool,
    out: &mut dyn Write,
) -> Done {
    if what.is_none() {
        return Err(Failure::Usage(
            lang.pick(
                "请指明模板：qiangji export template applications -o 推荐名单模板.xlsx",
                "name the template: qiangji export template applications -o FILE.xlsx",
            )
            .to_string(),
        ));
    }
    let list = lists::template(lang, chrono::Utc::now().date_naive());
    match format.unwrap_or(Format::Xlsx) {
        Format::Json => lists::json(&list, out),
        Format::Csv => lists::csv(&list, out, false),
        Format::Ics | Format::Docx => {
            return Err(Failure::Refused(
                lang.pick(
                    "ics 格式只用于培养活动日程（export schedule）",
                    "the ics format is for the schedule only (export schedule)",
                )
                .into(),
            ));
        }
        Format::Xlsx => {
            super::binary_ok(lang, out_is_terminal, Binary::Xlsx)?;
            lists::xlsx(&list, None, lang, false).and_then(|bytes| Ok(out.write_all(&bytes)?))
        }
    }
    .map_err(Failure::from)
}

/// The list `kind` asks for, and whether it carries a title above its
/// headers (the template does not: its first row must be the headers).
pub fn list_of(
    ctx: &Invocation<'_>,
    kind: ExportKind,
    project: Option<ProjectSel>,
    year: Option<i32>,
) -> Result<(List, bool), Failure> {
    let lang = ctx.lang;
    let usage = |zh: &str, en: &str| Failure::Usage(lang.pick(zh, en).to_string());
    let failed = |e: crate::export::ExportError| Failure::Refused(e.localized(lang));
    match kind {
        ExportKind::Template => Ok((
            lists::template(lang, chrono::Utc::now().date_naive()),
            false,
        )),
        ExportKind::Announcement => {
            let Some(ProjectSel::One(p)) = project else {
                return Err(usage(
                    "公示名单按项目组导出：请加 --project 项目组（如 math）",
                    "the announcement list is per group: add --project ID (e.g. math)",
                ));
            };
            scope(ctx.actor, Some(p), lang)?;
            let list = lists::announcement(ctx.registry, p, lang).map_err(failed)?;
            Ok((list, true))
        }
        _ => {
            let project = match project {
                None => {
                    return Err(usage(
                        "请加 --project 项目组 或 --project all",
                        "add --project ID or --project all",
                    ));
                }
                Some(ProjectSel::All) if !reads_every_group(&ctx.actor.role) => {
                    return Err(Failure::Refused(format!(
                        "{} {}",
                        ctx.actor.role.label(lang),
                        lang.pick(
                            "只能导出本组的备案名单：请加 --project 项目组",
                            "may export only their own group's filing list: add --project ID"
                        )
                    )));
                }
                Some(ProjectSel::All) => None,
                Some(ProjectSel::One(p)) => scope(ctx.actor, Some(p), lang)?,
            };
            let year = year.unwrap_or_else(|| chrono::Datelike::year(&ctx.registry.today()));
            let list = lists::filing(ctx.registry, project, year, lang).map_err(failed)?;
            Ok((list, true))
        }
    }
}

/// A list in `format` to `out`.
pub fn write_list(
    ctx: &Invocation<'_>,
    list: &List,
    format: Format,
    titled: bool,
    out: &mut dyn Write,
) -> Done {
    match format {
        Format::Json => lists::json(list, out),
        Format::Csv => lists::csv(list, out, titled),
        Format::Ics | Format::Docx => {
            return Err(Failure::Refused(
                ctx.lang
                    .pick(
                        "名单只能导出为 xlsx、csv 或 json",
                        "a list is written as xlsx, csv or json",
                    )
                    .into(),
            ));
        }
        Format::Xlsx => {
            ctx.binary_ok(Binary::Xlsx)?;
            // The template is dated by no registry: it is the same for all.
            let registry = titled.then_some(ctx.registry);
            lists::xlsx(list, registry, ctx.lang, titled)
                .and_then(|bytes| Ok(out.write_all(&bytes)?))
        }
    }
    .map_err(Failure::from)
}

/// `qiangji evaluation`: each school's points and each group's targets, as
/// the actor's role sees them (locally: all).
pub fn evaluation(
    ctx: &Invocation<'_>,
    year: i32,
    format: EvaluationFormat,
    points: &crate::domain::achievement::Points,
    out: &mut dyn Write,
) -> Done {
    let list = evaluation_list(ctx, year, points)?;
    match format {
        EvaluationFormat::Table => out
            .write_all(crate::evaluation::table(&list).as_bytes())
            .map_err(Into::into),
        EvaluationFormat::Json => lists::json(&list, out),
        EvaluationFormat::Xlsx => {
            ctx.binary_ok(Binary::Xlsx)?;
            lists::xlsx(&list, Some(ctx.registry), ctx.lang, true)
                .and_then(|bytes| Ok(out.write_all(&bytes)?))
        }
    }
    .map_err(Failure::from)
}

/// The evaluation of `year` as a printable list.
pub fn evaluation_list(
    ctx: &Invocation<'_>,
    year: i32,
    points: &crate::domain::achievement::Points,
) -> Result<List, Failure> {
    let reader = ctx.registry.reader(ctx.actor);
    Ok(
        crate::evaluation::evaluate_as(&reader, year, points, ctx.lang)
            .map_err(|e| ctx.refused(&e))?
            .list(ctx.lang, ctx.registry.today()),
    )
}
