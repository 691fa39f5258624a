//! The lists the bureau prints and files: the template schools fill in
//! (推荐名单模板), the announcement list (公示名单) and the filing list
//! (备案名单). Each is a title and one or more parts (a header row and
//! rows), written as a printable workbook (A4 portrait, the header row
//! repeated on every page, a footer with the date and page numbers), as CSV
//! (UTF-8 with BOM, one block per part) or as JSON. Every cell passes through
//! [`cell::spreadsheet`] (CSV, xlsx) or [`cell::SafeJson`] (JSON).

use std::io::Write;

use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{Format, Workbook, Worksheet};
use serde_json::{Map, Value};

use super::heads::{Head, heads};
use super::{ExportError, cell};
use crate::domain::{
    CoachStage, ProjectId, SchoolStage, Trainee, TraineeKind, TraineeStage, TrainingMode,
};
use crate::i18n::Lang;
use crate::import::Col;
use crate::registry::Registry;

/// Where objections to an announcement go, as the plan says (the group and
/// the bureau's office for basic education).
pub const OBJECTIONS_TO: (&str, &str) = (
    "公示期内如有异议，请以书面形式向所在项目组或青岛市教育局基础教育处反映",
    "objections during the announcement: in writing to the project group or the Qingdao Education Bureau's Basic Education Office",
);

/// One part of a list: a sheet of the workbook.
#[derive(Clone, Debug, PartialEq)]
pub struct Part {
    pub name: String,
    /// (header as printed, JSON key).
    pub headers: Vec<(String, &'static str)>,
    pub rows: Vec<Vec<String>>,
}

/// A list: its title, the lines under it, its parts.
#[derive(Clone, Debug, PartialEq)]
pub struct List {
    pub title: String,
    pub subtitle: Vec<String>,
    pub parts: Vec<Part>,
    pub date: NaiveDate,
}

fn mode(t: &Trainee, registry: &Registry, lang: Lang) -> String {
    match t.training_mode {
        Some(TrainingMode::BaseSchool { school }) => {
            let name = registry
                .school(school)
                .ok()
                .flatten()
                .map(|s| s.application.name)
                .unwrap_or_default();
            let mode = TrainingMode::BaseSchool { school }.label(lang);
            match lang {
                Lang::Zh => format!("{mode}（{name}）"),
                Lang::En => format!("{mode} ({name})"),
            }
        }
        Some(m) => m.label(lang).to_string(),
        None => String::new(),
    }
}

/// The trainee's stages recorded late (补录), each with its stated date and
/// the day it was recorded: `参加培养 2025-09-10（补录 2025-09-30）`.
fn late(registry: &Registry, t: &Trainee, lang: Lang) -> Result<String, ExportError> {
    let stages: Vec<String> = registry
        .late_stages(t)?
        .iter()
        .map(|l| {
            let what = l
                .stage()
                .map_or_else(|| l.command.describe(lang), |s| s.label(lang).to_string());
            format!("{what} {}", l.dates(lang))
        })
        .collect();
    Ok(stages.join(lang.pick("；", "; ")))
}

fn groups(project: Option<ProjectId>) -> Vec<ProjectId> {
    match project {
        Some(p) => vec![p],
        None => ProjectId::ALL.to_vec(),
    }
}

fn group_label(project: Option<ProjectId>, lang: Lang) -> String {
    match project {
        Some(p) => p.group_name(lang),
        None => lang.pick("全部项目组", "all groups").to_string(),
    }
}

/// The 公示名单 of `project`'s trainees now announced.
pub fn announcement(
    registry: &Registry,
    project: ProjectId,
    lang: Lang,
) -> Result<List, ExportError> {
    use Head::*;
    let today = registry.today();
    let mut rows = Vec::new();
    let (mut first, mut last) = (None::<NaiveDate>, None::<NaiveDate>);
    for t in registry.trainees(project)? {
        if t.stage != TraineeStage::Announced {
            continue;
        }
        let Some(a) = &t.announcement else { continue };
        first = Some(first.map_or(a.start, |f| f.min(a.start)));
        last = Some(last.map_or(a.end(), |l| l.max(a.end())));
        rows.push(vec![
            t.name.clone(),
            t.gender.label(lang).to_string(),
            t.home_school.clone(),
            t.district.clone(),
            t.grade.clone(),
            t.kind.label(lang).to_string(),
            project.group_name(lang),
            a.start.to_string(),
            a.end().to_string(),
        ]);
    }
    let year = first.map_or(today.year(), |d| d.year());
    let period = match (first, last) {
        (Some(f), Some(l)) => match lang {
            Lang::Zh => format!("公示期：{f} 至 {l}"),
            Lang::En => format!("announced from {f} to {l}"),
        },
        _ => lang
            .pick("目前没有公示中的学员", "no trainee is being announced now")
            .into(),
    };
    Ok(List {
        title: match lang {
            Lang::Zh => format!(
                "青岛市强基计划{}{year}年拟录取学员公示名单",
                project.group_name(lang)
            ),
            Lang::En => format!(
                "Qingdao Strong Foundation programme: {} {year}, trainees announced",
                project.group_name(lang)
            ),
        },
        subtitle: vec![
            period,
            lang.pick(OBJECTIONS_TO.0, OBJECTIONS_TO.1).to_string(),
        ],
        parts: vec![Part {
            name: lang.pick("公示名单", "Announcement").into(),
            headers: heads(
                lang,
                &[
                    Name, Gender, School, District, Grade, Kind, Group, Opens, Closes,
                ],
            ),
            rows,
        }],
        date: today,
    })
}

/// The 备案名单 of `project` (or every group) for `year`: enrolled trainees,
/// coaches, base schools, the year's withdrawals, and totals.
pub fn filing(
    registry: &Registry,
    project: Option<ProjectId>,
    year: i32,
    lang: Lang,
) -> Result<List, ExportError> {
    use Head::*;
    let today = registry.today();
    let mut trainees = Vec::new();
    let mut withdrawals = Vec::new();
    let mut coaches = Vec::new();
    let mut totals = Vec::new();
    let schools_all = registry.schools()?;
    let mut schools = Vec::new();
    for p in groups(project) {
        let (mut students, mut teachers, mut out) = (0, 0, 0);
        for t in registry.trainees(p)? {
            if t.stage == TraineeStage::Enrolled {
                match t.kind {
                    TraineeKind::Student => students += 1,
                    TraineeKind::Teacher => teachers += 1,
                }
                trainees.push(vec![
                    t.name.clone(),
                    t.gender.label(lang).to_string(),
                    t.home_school.clone(),
                    t.district.clone(),
                    t.kind.label(lang).to_string(),
                    p.group_name(lang),
                    t.stage_date(TraineeStage::Filed)
                        .map(|d| d.to_string())
                        .unwrap_or_default(),
                    mode(&t, registry, lang),
                    t.stage_date(TraineeStage::Enrolled)
                        .map(|d| d.to_string())
                        .unwrap_or_default(),
                    late(registry, &t, lang)?,
                ]);
            }
            for w in t.withdrawals.iter().filter(|w| w.date.year() == year) {
                out += 1;
                withdrawals.push(vec![
                    t.name.clone(),
                    t.home_school.clone(),
                    p.group_name(lang),
                    w.date.to_string(),
                    w.reason.label(lang),
                    lang.pick(
                        if w.returned_to_home_school {
                            "是"
                        } else {
                            "否"
                        },
                        if w.returned_to_home_school {
                            "yes"
                        } else {
                            "no"
                        },
                    )
                    .to_string(),
                ]);
            }
        }
        let mut n_coaches = 0;
        for c in registry.coaches(p)? {
            if !matches!(c.stage, CoachStage::Filed | CoachStage::Active) {
                continue;
            }
            n_coaches += 1;
            let person = registry.person(c.person_id)?;
            coaches.push(vec![
                person.as_ref().map(|p| p.name.clone()).unwrap_or_default(),
                person
                    .as_ref()
                    .map(|p| p.school.clone())
                    .unwrap_or_default(),
                c.role.label(lang).to_string(),
                p.group_name(lang),
                c.term_start.to_string(),
                c.term_end.to_string(),
                c.stage.label(lang).to_string(),
            ]);
        }
        let mut n_schools = 0;
        for s in schools_all
            .iter()
            .filter(|s| s.stage == SchoolStage::Approved && s.application.projects.contains(&p))
        {
            n_schools += 1;
            schools.push(vec![
                s.application.name.clone(),
                s.application.district.clone(),
                p.group_name(lang),
                s.decided_on.map(|d| d.to_string()).unwrap_or_default(),
            ]);
        }
        totals.push(vec![
            p.group_name(lang),
            students.to_string(),
            teachers.to_string(),
            n_coaches.to_string(),
            n_schools.to_string(),
            out.to_string(),
        ]);
    }
    let sum = |i: usize| {
        totals
            .iter()
            .map(|r: &Vec<String>| r[i].parse::<u64>().unwrap_or(0))
            .sum::<u64>()
            .to_string()
    };
    let total_row = vec![
        lang.pick("合计", "total").to_string(),
        sum(1),
        sum(2),
        sum(3),
        sum(4),
        sum(5),
    ];
    totals.push(total_row);
    Ok(List {
        title: match lang {
            Lang::Zh => format!(
                "青岛市强基计划{}{year}年备案名单",
                group_label(project, lang)
            ),
            Lang::En => format!(
                "Qingdao Strong Foundation programme: {} {year}, filing list",
                group_label(project, lang)
            ),
        },
        subtitle: vec![match lang {
            Lang::Zh => format!("截至 {today}"),
            Lang::En => format!("as of {today}"),
        }],
        parts: vec![
            Part {
                name: lang.pick("学员", "Trainees").into(),
                headers: heads(
                    lang,
                    &[
                        Name, Gender, School, District, Kind, Group, Filed, Mode, Enrolled, Late,
                    ],
                ),
                rows: trainees,
            },
            Part {
                name: lang.pick("教练员", "Coaches").into(),
                headers: heads(
                    lang,
                    &[Name, Workplace, Role, Group, TermFrom, TermTo, Stage],
                ),
                rows: coaches,
            },
            Part {
                name: lang.pick("基地校", "Base schools").into(),
                headers: heads(lang, &[SchoolName, District, Group, Approved]),
                rows: schools,
            },
            Part {
                name: lang.pick("退出培养", "Withdrawals").into(),
                headers: heads(lang, &[Name, School, Group, Date, Reason, Returned]),
                rows: withdrawals,
            },
            Part {
                name: lang.pick("合计", "Totals").into(),
                headers: heads(
                    lang,
                    &[Group, Students, Teachers, Coaches, Bases, Withdrawn],
                ),
                rows: totals,
            },
        ],
        date: today,
    })
}

/// The template's example row, in the order of `Col::ALL`: a person typed
/// as a school would (names and school in Chinese), the words the import
/// reads (gender, group, kind) in `lang`.
pub fn template_example(lang: Lang) -> Vec<String> {
    Col::ALL
        .into_iter()
        .map(|c| {
            match c {
                Col::Name => "张伟",
                Col::Gender => lang.pick("男", "male"),
                Col::School => "青岛第二中学",
                Col::District => "市南区",
                Col::Grade => "高一",
                Col::Phone => "13812345678",
                Col::Project => lang.pick("数学", "math"),
                Col::Recommender1 => "李明",
                Col::Recommender2 => "王芳",
                Col::Date => "2026-09-01",
                Col::Kind => lang.pick("学生", "student"),
            }
            .to_string()
        })
        .collect()
}

/// The template a school fills in: the headers, one example row, and a
/// notes sheet.
pub fn template(lang: Lang, today: NaiveDate) -> List {
    use Head::*;
    let headers: Vec<(String, &'static str)> = Col::ALL
        .into_iter()
        .map(|c| (c.header(lang).to_string(), c.header(Lang::En)))
        .collect();
    let example = template_example(lang);
    let notes: Vec<Vec<String>> = [
        ("姓名、性别、所在学校、区市、项目组、推荐教师1、推荐教师2、申报日期必填；年级、联系电话、学员类别可空。", "name, gender, school, district, group, both recommenders and the date are required; grade, phone and kind may be blank."),
        ("性别填“男”或“女”；学员类别填“学生”或“教师”，空白即学生。", "gender: male or female; kind: student or teacher, blank is student (the Chinese words are read too)."),
        ("区市：市南区、市北区、李沧区、崂山区、黄岛区、城阳区、即墨区、胶州市、平度市、莱西市。", "district: one of Qingdao's ten districts, written in Chinese as listed."),
        ("项目组：数学、物理、化学、生物学、信息学、历史哲学古文字学。", "group: math, physics, chemistry, biology, informatics, humanities (or the Chinese names)."),
        ("学生学员须有两名不同的学科教师实名推荐。", "a student needs two different subject teachers recommending by name."),
        ("联系电话：11 位手机号，或带区号的座机（如 0532-88886666）。", "phone: an 11-digit mobile, or a landline with its area code (0532-88886666)."),
        ("申报日期写成 2026-09-01、2026/9/1 或 2026年9月1日，不晚于导入当天。", "date: 2026-09-01 or 2026/9/1 (or written the Chinese way), not after the day of the import."),
        ("任何单元格不要以 = + - @ 开头；删除示例行后再填写。", "no cell may begin with = + - @; delete the example row before filling in."),
        ("另存为 .xlsx 或 CSV（UTF-8 或 GBK）均可导入：qiangji import applications 文件。", "save as .xlsx or CSV (UTF-8 or GBK); import with: qiangji import applications FILE."),
    ]
    .iter()
    .enumerate()
    .map(|(i, (zh, en))| vec![(i + 1).to_string(), lang.pick(zh, en).to_string()])
    .collect();
    List {
        title: lang
            .pick(
                "强基计划学员推荐名单",
                "Strong Foundation programme: recommendation list",
            )
            .into(),
        subtitle: Vec::new(),
        parts: vec![
            Part {
                name: lang.pick("推荐名单", "Applications").into(),
                headers,
                rows: vec![example],
            },
            Part {
                name: lang.pick("填写说明", "Notes").into(),
                headers: heads(lang, &[No, Note]),
                rows: notes,
            },
        ],
        date: today,
    }
}

/// A printable workbook: a sheet per part, with the list's title and lines
/// above the headers (except for the template, whose first row must be the
/// headers for the import to read it).
pub fn xlsx(
    list: &List,
    registry: Option<&Registry>,
    lang: Lang,
    titled: bool,
) -> Result<Vec<u8>, ExportError> {
    let mut book = match registry {
        Some(r) => super::xlsx::dated_workbook(r)?,
        None => Workbook::new(),
    };
    let title = super::xlsx::print_title();
    let head = super::xlsx::print_header();
    let body = Format::new().set_border(rust_xlsxwriter::FormatBorder::Thin);
    let bold = Format::new()
        .set_bold()
        .set_border(rust_xlsxwriter::FormatBorder::Thin);
    let mut taken: Vec<String> = Vec::new();
    for part in &list.parts {
        let mut sheet = Worksheet::new();
        let name: String = cell::plain(&part.name).chars().take(31).collect();
        taken.push(name.clone());
        sheet.set_name(&name)?;
        let cols = part.headers.len().max(1) as u16;
        let mut row = 0u32;
        if titled {
            sheet.merge_range(0, 0, 0, cols - 1, &cell::spreadsheet(&list.title), &title)?;
            row = 1;
            for line in &list.subtitle {
                sheet.merge_range(
                    row,
                    0,
                    row,
                    cols - 1,
                    &cell::spreadsheet(line),
                    &Format::new(),
                )?;
                row += 1;
            }
            if list.parts.len() > 1 {
                sheet.write_string_with_format(
                    row,
                    0,
                    cell::spreadsheet(&part.name),
                    &Format::new().set_bold(),
                )?;
                row += 1;
            }
        }
        let header_row = row;
        let mut widths: Vec<usize> = part
            .headers
            .iter()
            .map(|(h, _)| unicode_width::UnicodeWidthStr::width(h.as_str()))
            .collect();
        for (c, (text, _)) in part.headers.iter().enumerate() {
            sheet.write_string_with_format(row, c as u16, cell::spreadsheet(text), &head)?;
        }
        let last = part.rows.len();
        for (i, r) in part.rows.iter().enumerate() {
            row += 1;
            let is_total = titled && part.name == lang.pick("合计", "Totals") && i + 1 == last;
            for (c, v) in r.iter().enumerate() {
                let text = cell::spreadsheet(v);
                if let Some(w) = widths.get_mut(c) {
                    *w = (*w).max(unicode_width::UnicodeWidthStr::width(text.as_ref()));
                }
                sheet.write_string_with_format(
                    row,
                    c as u16,
                    text,
                    if is_total { &bold } else { &body },
                )?;
            }
        }
        for (c, w) in widths.iter().enumerate() {
            sheet.set_column_width(c as u16, (*w as f64 + 2.0).min(60.0))?;
        }
        sheet.set_paper_size(9); // A4
        sheet.set_portrait();
        sheet.set_print_fit_to_pages(1, 0);
        sheet.set_repeat_rows(header_row, header_row)?;
        sheet.set_print_gridlines(false);
        let footer = match lang {
            Lang::Zh => format!("&L制表日期：{}&C第 &P 页，共 &N 页", list.date),
            Lang::En => format!("&LPrinted {}&CPage &P of &N", list.date),
        };
        sheet.set_footer(&footer);
        sheet.set_freeze_panes(header_row + 1, 0)?;
        book.push_worksheet(sheet);
    }
    Ok(book.save_to_buffer()?)
}

/// CSV (UTF-8 with BOM): per part, its name, its headers and its rows, then
/// a blank line. The template has its headers first.
pub fn csv(list: &List, out: &mut dyn Write, titled: bool) -> Result<(), ExportError> {
    out.write_all("\u{feff}".as_bytes())?;
    let mut w = ::csv::WriterBuilder::new().flexible(true).from_writer(out);
    if titled {
        w.write_record([cell::spreadsheet(&list.title).as_ref()])?;
        for s in &list.subtitle {
            w.write_record([cell::spreadsheet(s).as_ref()])?;
        }
    }
    for (i, part) in list.parts.iter().enumerate() {
        if !titled && i > 0 {
            break; // the template's notes are in the workbook only
        }
        if titled && list.parts.len() > 1 {
            w.write_record([""])?;
            w.write_record([cell::spreadsheet(&part.name).as_ref()])?;
        }
        w.write_record(
            part.headers
                .iter()
                .map(|(h, _)| cell::spreadsheet(h).into_owned()),
        )?;
        for r in &part.rows {
            w.write_record(r.iter().map(|v| cell::spreadsheet(v).into_owned()))?;
        }
    }
    w.flush()?;
    Ok(())
}

/// JSON: `{"title", "subtitle", "date", "parts": [{"name", "rows": [{key: value}]}]}`.
pub fn json(list: &List, out: &mut dyn Write) -> Result<(), ExportError> {
    let parts: Vec<Value> = list
        .parts
        .iter()
        .map(|p| {
            let rows: Vec<Value> = p
                .rows
                .iter()
                .map(|r| {
                    let mut m = Map::new();
                    for ((_, key), v) in p.headers.iter().zip(r) {
                        m.insert((*key).to_string(), Value::String(v.clone()));
                    }
                    Value::Object(m)
                })
                .collect();
            serde_json::json!({"name": p.name, "rows": rows})
        })
        .collect();
    let v = serde_json::json!({
        "title": list.title,
        "subtitle": list.subtitle,
        "date": list.date.to_string(),
        "parts": parts,
    });
    let mut ser = serde_json::Serializer::with_formatter(&mut *out, cell::SafeJson::compact());
    serde::Serialize::serialize(&v, &mut ser)?;
    out.write_all(b"\n")?;
    Ok(())
}
