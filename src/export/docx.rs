//! Word documents the bureau files and prints (issue 19): a group's annual
//! implementation plan with its five parts, its completion report, and a
//! base school's application form (annex 2, 申报表).
//!
//! A .docx is a zip of a few XML parts; the little WordprocessingML these
//! documents need (headings, paragraphs, bordered tables, an A4 page) is
//! written here over the `zip` crate that the xlsx writer already brings,
//! rather than through a docx crate and its dependencies.

use std::io::Write;

use super::ExportError;
use crate::domain::ledger::budget_against_actual;
use crate::domain::training::{hours_text, minutes_by_kind};
use crate::domain::{Account, AnnualCycle, BaseSchool, PlanParts, ProjectId};
use crate::i18n::Lang;
use crate::registry::Reader;

/// One block of a document.
enum Block {
    Title(String),
    Centered(String),
    Heading(String),
    Para(String),
    /// Rows of cells; the first row is the header (bold).
    Table(Vec<Vec<String>>),
}

fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c if c.is_control() && c != '\n' && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

/// A run of text; line breaks within it become `w:br`.
fn run(text: &str, bold: bool, size_half_points: u32) -> String {
    let mut props = String::from(
        "<w:rPr><w:rFonts w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\" w:eastAsia=\"宋体\"/>",
    );
    if bold {
        props.push_str("<w:b/>");
    }
    props.push_str(&format!(
        "<w:sz w:val=\"{size_half_points}\"/><w:szCs w:val=\"{size_half_points}\"/></w:rPr>"
    ));
    let mut out = format!("<w:r>{props}");
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push_str("<w:br/>");
        }
        out.push_str(&format!("<w:t xml:space=\"preserve\">{}</w:t>", esc(line)));
    }
    out.push_str("</w:r>");
    out
}

fn para(text: &str, bold: bool, size: u32, center: bool) -> String {
    let align = if center {
        "<w:jc w:val=\"center\"/>"
    } else {
        ""
    };
    format!(
        "<w:p><w:pPr><w:spacing w:after=\"120\"/>{align}</w:pPr>{}</w:p>",
        run(text, bold, size)
    )
}

fn table(rows: &[Vec<String>]) -> String {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(1).max(1);
    // A4 less 2.5 cm margins: 9026 twentieths of a point.
    let width = 9026 / cols;
    let border = |side: &str| {
        format!("<w:{side} w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>")
    };
    let mut out = format!(
        "<w:tbl><w:tblPr><w:tblW w:w=\"9026\" w:type=\"dxa\"/><w:tblBorders>{}{}{}{}{}{}</w:tblBorders></w:tblPr><w:tblGrid>",
        border("top"),
        border("left"),
        border("bottom"),
        border("right"),
        border("insideH"),
        border("insideV")
    );
    for _ in 0..cols {
        out.push_str(&format!("<w:gridCol w:w=\"{width}\"/>"));
    }
    out.push_str("</w:tblGrid>");
    for (r, row) in rows.iter().enumerate() {
        out.push_str("<w:tr>");
        for c in 0..cols {
            let text = row.get(c).map(String::as_str).unwrap_or_default();
            out.push_str(&format!(
                "<w:tc><w:tcPr><w:tcW w:w=\"{width}\" w:type=\"dxa\"/></w:tcPr><w:p>{}</w:p></w:tc>",
                run(text, r == 0, 21)
            ));
        }
        out.push_str("</w:tr>");
    }
    out.push_str("</w:tbl><w:p/>");
    out
}

fn document_xml(blocks: &[Block]) -> String {
    let mut body = String::new();
    for b in blocks {
        body.push_str(&match b {
            Block::Title(t) => para(t, true, 36, true),
            Block::Centered(t) => para(t, false, 24, true),
            Block::Heading(t) => para(t, true, 28, false),
            Block::Para(t) => para(t, false, 24, false),
            Block::Table(rows) => table(rows),
        });
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
<w:body>{body}<w:sectPr><w:pgSz w:w=\"11906\" w:h=\"16838\"/>\
<w:pgMar w:top=\"1440\" w:right=\"1440\" w:bottom=\"1440\" w:left=\"1440\" w:header=\"851\" w:footer=\"992\" w:gutter=\"0\"/>\
</w:sectPr></w:body></w:document>"
    )
}

const CONTENT_TYPES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
<Default Extension=\"xml\" ContentType=\"application/xml\"/>\
<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>\
</Types>";

const RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>\
</Relationships>";

/// The .docx of `blocks`: the same blocks give the same bytes.
fn docx(blocks: &[Block]) -> Result<Vec<u8>, ExportError> {
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut buf);
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .last_modified_time(zip::DateTime::default());
        let io = |e: zip::result::ZipError| ExportError::Io(std::io::Error::other(e));
        for (name, content) in [
            ("[Content_Types].xml", CONTENT_TYPES.to_string()),
            ("_rels/.rels", RELS.to_string()),
            ("word/document.xml", document_xml(blocks)),
        ] {
            zip.start_file(name, options).map_err(io)?;
            zip.write_all(content.as_bytes())?;
        }
        zip.finish().map_err(io)?;
    }
    Ok(buf.into_inner())
}

fn yuan(m: crate::domain::Money) -> String {
    m.display()
}

fn signatures(lang: Lang) -> Vec<Block> {
    vec![
        Block::Para(String::new()),
        Block::Para(
            lang.pick(
                "首席教练员（签字）：____________    日期：______年____月____日",
                "Chief coach (signature): ____________    Date: ____________",
            )
            .into(),
        ),
        Block::Para(
            lang.pick(
                "基地学校（盖章）                    市教育局（盖章）",
                "Base school (seal)                    City education bureau (seal)",
            )
            .into(),
        ),
    ]
}

fn or_blank(s: &str, lang: Lang) -> String {
    if s.trim().is_empty() {
        lang.pick("（未填写）", "(not written)").into()
    } else {
        s.to_string()
    }
}

/// The annual implementation plan of `project` for `year`, its five parts
/// under their headings, the targets and the budget as tables.
pub fn plan(
    r: &Reader<'_>,
    project: ProjectId,
    year: i32,
    lang: Lang,
) -> Result<Vec<u8>, ExportError> {
    let cycle = r.cycle(project, year)?;
    let empty = AnnualCycle {
        project,
        year,
        plan: Default::default(),
        report: Default::default(),
        goals: String::new(),
        targets: Vec::new(),
        budget: Vec::new(),
        attainment: String::new(),
        stamp: crate::domain::Stamp::new(r.now(), "-"),
        parts: PlanParts::default(),
    };
    let c = cycle.unwrap_or(empty);
    let h = PlanParts::headings(lang);
    let numbered = |i: usize| match lang {
        Lang::Zh => format!("{}、{}", ["一", "二", "三", "四", "五"][i], h[i]),
        Lang::En => format!("{}. {}", i + 1, h[i]),
    };
    let mut b = vec![
        Block::Title(match lang {
            Lang::Zh => format!(
                "青岛市强基计划{}{year}年度实施方案",
                project.group_name(lang)
            ),
            Lang::En => format!(
                "Qingdao Strong Foundation programme: {} implementation plan {year}",
                project.group_name(lang)
            ),
        }),
        Block::Centered(format!(
            "{}{}",
            lang.pick("项目组：", "Group: "),
            project.group_name(lang)
        )),
        Block::Heading(numbered(0)),
        Block::Para(or_blank(&c.goals, lang)),
    ];
    let mut targets = vec![vec![
        lang.pick("目标", "Target").to_string(),
        lang.pick("目标值", "Goal").to_string(),
    ]];
    for t in &c.targets {
        targets.push(vec![t.name.clone(), t.goal.to_string()]);
    }
    b.push(Block::Table(targets));
    b.push(Block::Heading(numbered(1)));
    b.push(Block::Para(or_blank(&c.parts.criteria, lang)));
    b.push(Block::Heading(numbered(2)));
    b.push(Block::Para(or_blank(&c.parts.management, lang)));
    b.push(Block::Heading(numbered(3)));
    b.push(Block::Para(or_blank(&c.parts.training, lang)));
    b.push(Block::Table(sessions_table(r, project, year, false, lang)?));
    b.push(Block::Heading(numbered(4)));
    b.push(Block::Para(or_blank(&c.parts.funding, lang)));
    let mut budget = vec![vec![
        lang.pick("类别", "Category").to_string(),
        lang.pick("金额（元）", "Amount (CNY)").to_string(),
    ]];
    let mut total = crate::domain::Money(0);
    for (category, amount) in &c.budget {
        budget.push(vec![category.clone(), yuan(*amount)]);
        total = total.checked_add(*amount).unwrap_or(total);
    }
    budget.push(vec![lang.pick("合计", "Total").into(), yuan(total)]);
    b.push(Block::Table(budget));
    b.extend(signatures(lang));
    docx(&b)
}

/// Sessions and hours by kind per semester of the school years that touch
/// `year`: planned (every session not cancelled) or held.
fn sessions_table(
    r: &Reader<'_>,
    project: ProjectId,
    year: i32,
    held_only: bool,
    lang: Lang,
) -> Result<Vec<Vec<String>>, ExportError> {
    let sessions: Vec<_> = r
        .sessions(project)?
        .into_iter()
        .filter(|s| chrono::Datelike::year(&s.date) == year)
        .collect();
    let mut rows = vec![vec![
        lang.pick("学期", "Semester").to_string(),
        lang.pick("类型", "Kind").to_string(),
        lang.pick("次数", "Sessions").to_string(),
        lang.pick("学时", "Hours").to_string(),
    ]];
    for (sem, kind, n, minutes) in minutes_by_kind(&sessions, held_only) {
        rows.push(vec![
            sem.label(lang),
            kind.label(lang).to_string(),
            n.to_string(),
            hours_text((minutes / 6) as u32),
        ]);
    }
    Ok(rows)
}

/// The completion report: each target's attainment, the training held
/// against the plan, attendance, coaches' development hours, and spending
/// against the budget.
pub fn report(
    r: &Reader<'_>,
    project: ProjectId,
    year: i32,
    lang: Lang,
) -> Result<Vec<u8>, ExportError> {
    let c = r.cycle(project, year)?;
    let mut b = vec![
        Block::Title(match lang {
            Lang::Zh => format!(
                "青岛市强基计划{}{year}年度完成情况报告",
                project.group_name(lang)
            ),
            Lang::En => format!(
                "Qingdao Strong Foundation programme: {} completion report {year}",
                project.group_name(lang)
            ),
        }),
        Block::Heading(lang.pick("一、目标完成情况", "1. Targets").into()),
    ];
    let mut targets = vec![vec![
        lang.pick("目标", "Target").to_string(),
        lang.pick("目标值", "Goal").to_string(),
        lang.pick("完成", "Attained").to_string(),
    ]];
    for t in c.iter().flat_map(|c| &c.targets) {
        targets.push(vec![
            t.name.clone(),
            t.goal.to_string(),
            t.attained.map(|a| a.to_string()).unwrap_or_default(),
        ]);
    }
    b.push(Block::Table(targets));
    b.push(Block::Para(or_blank(
        c.as_ref()
            .map(|c| c.attainment.as_str())
            .unwrap_or_default(),
        lang,
    )));
    b.push(Block::Heading(
        lang.pick("二、培训开展情况", "2. Training held").into(),
    ));
    b.push(Block::Para(lang.pick("计划：", "Planned:").into()));
    b.push(Block::Table(sessions_table(r, project, year, false, lang)?));
    b.push(Block::Para(lang.pick("已举行：", "Held:").into()));
    b.push(Block::Table(sessions_table(r, project, year, true, lang)?));
    // Attendance over the year's held sessions.
    let mut attended = 0u32;
    let mut counted = 0u32;
    for s in r.sessions(project)? {
        if chrono::Datelike::year(&s.date) != year {
            continue;
        }
        for (_, m) in r.roster(&s)? {
            if let Some(m) = m {
                if m.mark.attended() {
                    attended += 1;
                    counted += 1;
                } else if m.mark == crate::domain::training::Mark::Absent {
                    counted += 1;
                }
            }
        }
    }
    let rate = (attended * 100)
        .checked_div(counted)
        .map_or_else(|| "-".to_string(), |p| format!("{p}%"));
    b.push(Block::Para(format!(
        "{}{rate}",
        lang.pick("学员平均出勤率：", "Average attendance: ")
    )));
    b.push(Block::Heading(
        lang.pick("三、教练员队伍建设", "3. Coaches' development")
            .into(),
    ));
    let tenths: u32 = r
        .development(project)?
        .iter()
        .filter(|d| chrono::Datelike::year(&d.date) == year)
        .map(|d| d.tenths)
        .sum();
    b.push(Block::Para(format!(
        "{}{}",
        lang.pick("教练员培养学时合计：", "Development hours: "),
        hours_text(tenths)
    )));
    b.push(Block::Heading(
        lang.pick("四、经费使用情况", "4. Spending against the budget")
            .into(),
    ));
    let entries = r.entries(&Account::daily(project, year))?;
    let budget = c.as_ref().map(|c| c.budget.clone()).unwrap_or_default();
    let mut rows = vec![vec![
        lang.pick("类别", "Category").to_string(),
        lang.pick("预算（元）", "Budget (CNY)").to_string(),
        lang.pick("支出（元）", "Spent (CNY)").to_string(),
    ]];
    for l in budget_against_actual(&budget, &entries) {
        rows.push(vec![l.category.clone(), yuan(l.planned), yuan(l.spent)]);
    }
    b.push(Block::Table(rows));
    b.extend(signatures(lang));
    docx(&b)
}

/// A base school's application as annex 2's form, filled in.
pub fn school_application(s: &BaseSchool, lang: Lang) -> Result<Vec<u8>, ExportError> {
    let a = &s.application;
    let c = &a.chief_coach;
    let groups: Vec<String> = a.projects.iter().map(|p| p.group_name(lang)).collect();
    let row = |zh: &str, en: &str, v: String| vec![lang.pick(zh, en).to_string(), v];
    let rows = vec![
        vec![
            lang.pick("项目", "Item").to_string(),
            lang.pick("内容", "Entry").to_string(),
        ],
        row("区市", "District", a.district.clone()),
        row("学校名称", "School", a.name.clone()),
        row(
            "申报项目",
            "Project applied for",
            groups.join(lang.pick("、", ", ")),
        ),
        row("校长姓名", "Principal", a.principal.clone()),
        row("联系电话", "Phone", a.phone.clone()),
        row("首席教练员姓名", "Chief coach", c.name.clone()),
        row("性别", "Gender", c.gender.label(lang).into()),
        row(
            "出生年月",
            "Born",
            c.birth_month.format("%Y-%m").to_string(),
        ),
        row(
            "参加工作时间",
            "Working since",
            c.work_start.format("%Y-%m").to_string(),
        ),
        row("任教学科", "Subject", c.subject.clone()),
        row("职称", "Professional title", c.title.clone()),
        row("主要成绩", "Achievements", c.achievements.clone()),
        row(
            "学校相关工作基础",
            "The school's track record",
            a.track_record.clone(),
        ),
        row(
            "工作计划（含学员条件及遴选方式）",
            "Work plan (with trainee criteria and selection)",
            a.work_plan.clone(),
        ),
        row(
            "区市教育局推荐意见",
            "The district bureau's recommendation",
            a.district_recommendation.clone(),
        ),
    ];
    let mut b = vec![
        Block::Title(
            lang.pick(
                "青岛市强基计划培养基地申报表",
                "Qingdao Strong Foundation programme: base school application",
            )
            .into(),
        ),
        Block::Centered(format!(
            "{}{}",
            lang.pick("申报日期：", "Applied on: "),
            a.applied_on
        )),
        Block::Table(rows),
    ];
    b.push(Block::Para(
        lang.pick(
            "学校（盖章）                    区市教育局（盖章）",
            "School (seal)                    District bureau (seal)",
        )
        .into(),
    ));
    docx(&b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_line_breaks_kept() {
        let xml = document_xml(&[Block::Para("a<b & \"c\"\nd".into())]);
        assert!(xml.contains("a&lt;b &amp; &quot;c&quot;</w:t><w:br/>"));
        assert!(xml.contains("w:w=\"11906\" w:h=\"16838\""), "A4");
    }
}
