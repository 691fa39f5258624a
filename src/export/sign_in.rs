//! The sign-in sheet (签到表) of one session, printed and passed round: a
//! title with the group, date, time, topic, place and coaches, then the
//! session's roster in order with a blank column to sign. A4 portrait, one
//! page wide, the header row repeated on every page.

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Worksheet};

use super::{ExportError, cell};
use crate::domain::TraineeKind;
use crate::domain::field::Field;
use crate::domain::training::{Place, Session};
use crate::i18n::Lang;
use crate::registry::Reader;

/// The session's place in words: the school and room, online, or its name.
fn place(r: &Reader<'_>, s: &Session, lang: Lang) -> Result<String, ExportError> {
    Ok(match &s.place {
        Place::School { school, room } => {
            let name = r
                .school(*school)?
                .map(|x| x.application.name)
                .unwrap_or_default();
            format!("{name} {room}").trim().to_string()
        }
        Place::Online { link } => format!("{} {link}", lang.pick("线上", "online"))
            .trim()
            .to_string(),
        Place::Other { name } => name.clone(),
    })
}

/// The workbook of session `s`'s sign-in sheet.
pub fn xlsx(r: &Reader<'_>, s: &Session, lang: Lang) -> Result<Vec<u8>, ExportError> {
    let mut book = super::xlsx::read_workbook(r)?;
    let mut roster = r.roster(s)?;
    roster.sort_by_cached_key(|(t, _)| (t.kind as u8, crate::domain::text::pinyin_key(&t.name)));
    let mut coaches = Vec::new();
    for c in &s.coaches {
        if let Some(coach) = r.coach(*c)?
            && let Some(p) = r.person(coach.person_id)?
        {
            coaches.push(p.name);
        }
    }
    let title = super::xlsx::print_title();
    let head = super::xlsx::print_header().set_align(FormatAlign::Center);
    let body = Format::new()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::VerticalCenter);
    let mut sheet = Worksheet::new();
    sheet.set_name(lang.pick("签到表", "Sign-in"))?;
    sheet.set_paper_size(9); // A4
    sheet.set_portrait();
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_margins(0.5, 0.5, 0.6, 0.6, 0.3, 0.3);
    let group = s.project.group_name(lang);
    let heading = match lang {
        Lang::Zh => format!("{group}培养活动签到表"),
        Lang::En => format!("{group}: sign-in sheet"),
    };
    sheet.merge_range(0, 0, 0, 4, &cell::spreadsheet(&heading), &title)?;
    sheet.set_row_height(0, 28)?;
    let weekday = crate::domain::calendar::weekday_label(s.date, lang);
    let lines = [
        format!(
            "{}{} {weekday} {}-{}",
            lang.pick("时间：", "When: "),
            s.date,
            s.start.format("%H:%M"),
            s.end.format("%H:%M")
        ),
        format!(
            "{}{}（{}）",
            lang.pick("主题：", "Topic: "),
            s.topic,
            s.kind.label(lang)
        ),
        format!("{}{}", lang.pick("地点：", "Place: "), place(r, s, lang)?),
        format!(
            "{}{}",
            lang.pick("授课教练员：", "Coaches: "),
            coaches.join(lang.pick("、", ", "))
        ),
    ];
    for (i, line) in lines.iter().enumerate() {
        let row = 1 + i as u32;
        sheet.merge_range(row, 0, row, 4, &cell::spreadsheet(line), &Format::new())?;
    }
    let header_row = 1 + lines.len() as u32 + 1;
    // A trainee's name, home school and a note, as the one table words them.
    let headers = [
        lang.pick("序号", "No."),
        Field::Name.label(lang),
        Field::HomeSchool.label(lang),
        lang.pick("签到", "Signature"),
        Field::Note.label(lang),
    ];
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string_with_format(header_row, c as u16, *h, &head)?;
    }
    sheet.set_repeat_rows(header_row, header_row)?;
    for (i, (t, _)) in roster.iter().enumerate() {
        let row = header_row + 1 + i as u32;
        sheet.set_row_height(row, 26)?;
        sheet.write_number_with_format(row, 0, (i + 1) as f64, &body)?;
        let name = match t.kind {
            TraineeKind::Student => t.name.clone(),
            TraineeKind::Teacher => {
                format!("{}{}", t.name, lang.pick("（青年教师）", " (teacher)"))
            }
        };
        sheet.write_string_with_format(row, 1, cell::spreadsheet(&name), &body)?;
        sheet.write_string_with_format(row, 2, cell::spreadsheet(&t.home_school), &body)?;
        sheet.write_blank(row, 3, &body)?;
        sheet.write_blank(row, 4, &body)?;
    }
    let total = header_row + 2 + roster.len() as u32;
    let count = match lang {
        Lang::Zh => format!("应到 {} 人　实到 ____ 人　记录人：________", roster.len()),
        Lang::En => format!(
            "Expected {}   present ____   taken by ________",
            roster.len()
        ),
    };
    sheet.merge_range(total, 0, total, 4, &count, &Format::new())?;
    for (c, w) in [6.0, 14.0, 26.0, 22.0, 14.0].into_iter().enumerate() {
        sheet.set_column_width(c as u16, w)?;
    }
    book.push_worksheet(sheet);
    Ok(book.save_to_buffer()?)
}
