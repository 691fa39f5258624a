//! `ledger`, `export` of records, `import applications`, `check`.

use std::io::Write;

use super::{Binary, Done, Failure, Invocation, scope};
use crate::command_line::{Format, LedgerFormat};
use crate::domain::ProjectId;
use crate::export::balances::{self, Selection};
use crate::export::{ExportError, Filter, Kind};
use crate::i18n::{Lang, Localized};
use crate::import::{self, Options};
use crate::store::StoreError;

/// `qiangji ledger`: every account's allocated, spent and balance.
pub fn ledger(
    ctx: &Invocation<'_>,
    project: Option<ProjectId>,
    school: Option<&str>,
    year: Option<crate::command_line::LedgerYear>,
    format: LedgerFormat,
    out: &mut dyn Write,
) -> Done {
    use crate::command_line::LedgerYear;
    let reader = ctx.registry.reader(ctx.actor);
    // By default the current year: what can be spent now, never a sum of
    // every year's money.
    let year = match year {
        None => Some(chrono::Datelike::year(&reader.today())),
        Some(LedgerYear::Year(y)) => Some(y),
        Some(LedgerYear::All) => None,
    };
    let school = match school {
        Some(wanted) => Some(find_school(ctx, wanted)?),
        None => None,
    };
    // A school's base fund is the bureau's to read, whatever the group.
    let project = if school.is_some() && project.is_none() {
        None
    } else {
        scope(ctx.actor, project, ctx.lang)?
    };
    let selection = Selection {
        project,
        school,
        year,
    };
    let lang = ctx.lang;
    let mut out = out;
    let out = &mut out;
    match format {
        LedgerFormat::Hledger => {
            crate::export::hledger::journal(&reader, &selection, lang, reader.today(), out)
        }
        format => {
            let rows = balances::rows(&reader, &selection)?;
            match format {
                LedgerFormat::Json => balances::json(&rows, out),
                LedgerFormat::Csv => balances::csv(&rows, lang, out),
                _ => balances::table(&rows, lang, out),
            }
        }
    }
    .map_err(Failure::from)
}

/// A school by id or by its exact name; an unknown one lists what there is.
fn find_school(ctx: &Invocation<'_>, wanted: &str) -> Result<u64, Failure> {
    let lang = ctx.lang;
    let schools = ctx
        .registry
        .reader(ctx.actor)
        .schools()
        .map_err(|e| ctx.refused(&e))?;
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
    Err(Failure::Refused(format!(
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

/// `qiangji export trainees|coaches|schools|assessments|ledger|audit`.
pub fn export_records(
    ctx: &Invocation<'_>,
    kind: Kind,
    format: Format,
    project: Option<ProjectId>,
    year: Option<i32>,
    out: &mut dyn Write,
) -> Done {
    let reader = ctx.registry.reader(ctx.actor);
    let lang = ctx.lang;
    let project = scope(ctx.actor, project, lang)?;
    let filter = Filter {
        project,
        year,
        ..Filter::default()
    };
    let mut out = out;
    let out = &mut out;
    match format {
        Format::Json => crate::export::json(&reader, kind, &filter, lang, out),
        Format::Csv => crate::export::csv(&reader, kind, &filter, lang, out),
        Format::Xlsx => {
            ctx.binary_ok(Binary::Xlsx)?;
            match kind {
                Kind::Ledger => crate::export::xlsx::ledger(&reader, &filter, lang),
                other => crate::export::xlsx::records(&reader, other, &filter, lang),
            }
            .and_then(|bytes| Ok(out.write_all(&bytes)?))
        }
        Format::Ics | Format::Docx => return Err(ics_only(lang)),
    }
    .map_err(Failure::from)
}

/// `qiangji export plan|report --project ID --year Y` and
/// `export school-application --school ID`: Word documents.
#[allow(clippy::too_many_arguments)]
pub fn export_document(
    ctx: &Invocation<'_>,
    kind: crate::command_line::ExportKind,
    format: Option<Format>,
    project: Option<ProjectId>,
    year: Option<i32>,
    school: Option<u64>,
    out: &mut dyn Write,
) -> Done {
    use crate::command_line::ExportKind as K;
    let lang = ctx.lang;
    if !matches!(format, None | Some(Format::Docx)) {
        return Err(Failure::Usage(
            lang.pick(
                "实施方案、完成情况报告和申报表只能导出为 docx（--format docx）",
                "the plan, the report and the application are written as docx only (--format docx)",
            )
            .into(),
        ));
    }
    let reader = ctx.registry.reader(ctx.actor);
    let bytes = match kind {
        K::SchoolApplication => {
            let Some(id) = school else {
                return Err(Failure::Usage(
                    lang.pick(
                        "请用 --school 指定基地校编号",
                        "name the base school with --school ID",
                    )
                    .into(),
                ));
            };
            let Some(s) = reader.school(id).map_err(ExportError::from)? else {
                return Err(Failure::Refused(format!(
                    "{} {id}",
                    lang.pick("没有这所基地校", "no base school")
                )));
            };
            crate::export::docx::school_application(&s, lang)
        }
        _ => {
            let Some(project) = scope(ctx.actor, project, lang)? else {
                return Err(Failure::Usage(
                    lang.pick("请用 --project 指定项目组", "name the group with --project")
                        .into(),
                ));
            };
            let year = year.unwrap_or_else(|| chrono::Datelike::year(&ctx.registry.today()));
            if kind == K::Report {
                crate::export::docx::report(&reader, project, year, lang)
            } else {
                crate::export::docx::plan(&reader, project, year, lang)
            }
        }
    }
    .map_err(Failure::from)?;
    ctx.binary_ok(Binary::Docx)?;
    out.write_all(&bytes).map_err(ExportError::from)?;
    Ok(())
}

fn ics_only(lang: crate::i18n::Lang) -> Failure {
    Failure::Refused(
        lang.pick(
            "ics 格式只用于培养活动日程（export schedule）",
            "the ics format is for the schedule only (export schedule)",
        )
        .into(),
    )
}

/// `qiangji export schedule --project ID [--coach ID|--trainee ID]`: the
/// sessions as iCalendar, JSON, CSV or xlsx.
pub fn export_schedule(
    ctx: &Invocation<'_>,
    format: Format,
    project: Option<ProjectId>,
    coach: Option<u64>,
    trainee: Option<u64>,
    out: &mut dyn Write,
) -> Done {
    let reader = ctx.registry.reader(ctx.actor);
    let lang = ctx.lang;
    let project = scope(ctx.actor, project, lang)?;
    let filter = Filter {
        project,
        year: None,
        coach,
        trainee,
    };
    let mut out = out;
    let out = &mut out;
    match format {
        Format::Ics => crate::export::schedule::ics(&reader, &filter, lang, out),
        Format::Docx => return Err(ics_only(lang)),
        Format::Json => crate::export::json(&reader, Kind::Schedule, &filter, lang, out),
        Format::Csv => crate::export::csv(&reader, Kind::Schedule, &filter, lang, out),
        Format::Xlsx => {
            ctx.binary_ok(Binary::Xlsx)?;
            crate::export::timetable::xlsx(&reader, &filter, lang)
                .and_then(|bytes| Ok(out.write_all(&bytes)?))
        }
    }
    .map_err(Failure::from)
}

/// `qiangji export sign-in --session ID`: the session's 签到表 as xlsx.
pub fn export_sign_in(ctx: &Invocation<'_>, session: Option<u64>, out: &mut dyn Write) -> Done {
    let lang = ctx.lang;
    let Some(id) = session else {
        return Err(Failure::Refused(
            lang.pick(
                "签到表需要活动编号：--session ID（编号见 export schedule）",
                "the sign-in sheet needs a session: --session ID (the ids are in export schedule)",
            )
            .into(),
        ));
    };
    let reader = ctx.registry.reader(ctx.actor);
    let Some(session) = reader
        .session(id)
        .map_err(|e| Failure::from(crate::export::ExportError::from(e)))?
    else {
        return Err(Failure::Refused(match lang {
            crate::i18n::Lang::Zh => format!("没有编号为 {id} 的培养活动（或无权查看）"),
            crate::i18n::Lang::En => format!("no session numbered {id} (or not yours to read)"),
        }));
    };
    ctx.binary_ok(Binary::Xlsx)?;
    crate::export::sign_in::xlsx(&reader, &session, lang)
        .and_then(|bytes| Ok(out.write_all(&bytes)?))
        .map_err(Failure::from)
}

/// `qiangji import applications`: the table read, checked, and (unless a
/// dry run or refused) written; the report to `out`, a line per problem.
/// Exit 1 when rows were bad and nothing was written.
pub fn import(
    ctx: &Invocation<'_>,
    table: &import::read::Table,
    options: Options,
    out: &mut dyn Write,
) -> Done {
    let lang = ctx.lang;
    let mut report = import::plan(ctx.registry, table, options).map_err(|e| ctx.refused(&e))?;
    import::commit(ctx.registry, ctx.actor, &mut report, options).map_err(|e| ctx.refused(&e))?;
    for line in report.lines(lang) {
        writeln!(out, "{}", crate::safe_text::one_line(&line)).map_err(ExportError::from)?;
    }
    let refused = !report.problems.is_empty() && !report.written && !options.skip_bad;
    if refused {
        Err(Failure::Failed)
    } else {
        Ok(())
    }
}

/// `qiangji check`: what was checked and every violation. Exit 1 when
/// records break a rule, 2 when the storage is damaged.
pub fn check(ctx: &Invocation<'_>, out: &mut dyn Write) -> Done {
    let lang = ctx.lang;
    let report = match ctx.registry.check(lang) {
        Ok(report) => report,
        Err(e @ StoreError::Corrupt { .. }) => return Err(Failure::Damaged(e.localized(lang))),
        Err(e) => return Err(ctx.refused(&e)),
    };
    let mut say = |line: String| writeln!(out, "{line}").map_err(ExportError::from);
    say(format!(
        "{} {}",
        lang.pick("数据库", "database"),
        ctx.registry.store().path().display()
    ))?;
    for line in counts_table(&report.counts, lang) {
        say(format!("  {line}"))?;
    }
    if report.ok() {
        say(lang
            .pick("全部校验通过。", "every check holds.")
            .to_string())?;
        return Ok(());
    }
    say(format!(
        "{} {}",
        report.violations.len(),
        lang.pick("处不一致：", "violations:")
    ))?;
    for v in &report.violations {
        // A finding may quote stored text; nothing raw reaches the terminal.
        say(format!("  - {}", crate::export::cell::plain(v)))?;
    }
    if report.damaged > 0 {
        return Err(Failure::Damaged(
            lang.pick(
                "存储已损坏（有无法读取的记录）；请从备份恢复",
                "the storage is damaged (records that cannot be read); restore it from a backup",
            )
            .into(),
        ));
    }
    Err(Failure::Failed)
}

/// What was checked, a line per kind: the names left, the numbers right,
/// aligned by display width in either language.
pub(crate) fn counts_table(counts: &[(&str, &str, usize)], lang: Lang) -> Vec<String> {
    let rows: Vec<Vec<String>> = counts
        .iter()
        .map(|(zh, en, n)| vec![lang.pick(zh, en).to_string(), n.to_string()])
        .collect();
    crate::export::cell::columns(&rows, &[1])
}

#[cfg(test)]
mod tests {
    use unicode_width::UnicodeWidthStr;

    use super::*;

    #[test]
    fn the_counts_line_up_by_display_width_in_both_languages() {
        let counts = [
            ("学员", "trainees", 4_200),
            ("在培学生学员", "enrolled students", 300),
            ("审计记录", "audit entries", 51_234),
            ("账户", "accounts", 7),
        ];
        for lang in [Lang::Zh, Lang::En] {
            let lines = counts_table(&counts, lang);
            let ends: Vec<usize> = lines.iter().map(|l| l.width()).collect();
            assert!(
                ends.iter().all(|&e| e == ends[0]),
                "{lang:?}:\n{}",
                lines.join("\n")
            );
            // The numbers start after the widest name, never inside it.
            let widest = counts
                .iter()
                .map(|(zh, en, _)| lang.pick(zh, en).width())
                .max();
            assert!(lines.iter().all(|l| l.width() > widest.unwrap_or(0) + 1));
        }
    }
}
