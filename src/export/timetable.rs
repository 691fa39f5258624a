//! The printable weekly timetable (周课表, issue 19): `export schedule
//! --format xlsx` gives one sheet per week that has sessions, named by its
//! Monday, with the days Monday to Sunday as columns and the week's time
//! slots as rows, A4 landscape on one page, the way a chief coach pins the
//! week on a base school's notice board. A last sheet lists every session
//! with the CSV's columns, for sorting and filtering.

use std::collections::BTreeMap;

use chrono::{Datelike, Duration, NaiveDate};
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Worksheet};

use super::schedule::SessionRow;
use super::{ExportError, Filter, Kind, cell};
use crate::domain::calendar::weekday_label;
use crate::i18n::Lang;
use crate::registry::Reader;

/// The Monday of `date`'s week.
pub fn monday(date: NaiveDate) -> NaiveDate {
    date - Duration::days(i64::from(date.weekday().num_days_from_monday()))
}

/// One session as its timetable cell: kind and topic, place, coaches, class;
/// a cancelled one says so with its reason.
fn session_text(r: &SessionRow, lang: Lang) -> String {
    let mut lines = vec![format!("{} {}", r.kind_text, r.topic)];
    if !r.place.is_empty() {
        lines.push(r.place.clone());
    }
    if !r.coaches.is_empty() {
        lines.push(r.coaches.join(lang.pick("、", ", ")));
    }
    if let Some(class) = &r.class
        && !class.is_empty()
    {
        lines.push(class.clone());
    }
    if r.status == "cancelled" {
        let reason = r.cancel_reason.clone().unwrap_or_default();
        lines.push(match lang {
            Lang::Zh => format!("已取消：{reason}"),
            Lang::En => format!("cancelled: {reason}"),
        });
    }
    multiline(&lines)
}

/// Lines of a cell made safe one by one (`cell::plain` would fold the line
/// breaks), the first also against starting like a formula.
fn multiline(lines: &[String]) -> String {
    lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            if i == 0 {
                cell::spreadsheet(l).into_owned()
            } else {
                cell::plain(l).into_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A day column's width in characters (a Chinese character takes two).
const DAY_WIDTH: usize = 22;

/// How many printed lines `text` takes in a day column once wrapped as a
/// spreadsheet wraps it: at spaces, and a word longer than the column
/// broken over as many lines as it needs.
fn printed_lines(text: &str) -> usize {
    use unicode_width::UnicodeWidthStr;
    let room = DAY_WIDTH - 2;
    text.split('\n')
        .map(|line| {
            let (mut lines, mut used) = (1, 0);
            for word in line.split(' ') {
                let w = word.width();
                if used > 0 && used + 1 + w > room {
                    lines += 1;
                    used = 0;
                }
                if w > room {
                    lines += (w - 1) / room;
                    used = w % room;
                } else {
                    used += w + usize::from(used > 0);
                }
            }
            lines
        })
        .sum()
}

/// The sessions of one week: the time slot ("08:30-11:30") and the weekday
/// (0 = Monday) to the sessions there, in the order read.
type Week = BTreeMap<String, [Vec<SessionRow>; 7]>;

/// The timetable workbook of the sessions `filter` selects.
pub fn xlsx(r: &Reader<'_>, filter: &Filter, lang: Lang) -> Result<Vec<u8>, ExportError> {
    let mut weeks: BTreeMap<NaiveDate, Week> = BTreeMap::new();
    super::schedule::rows(r, filter, lang, |row| {
        let slot = format!("{}-{}", row.start, row.end);
        let day = row.date.weekday().num_days_from_monday() as usize;
        weeks
            .entry(monday(row.date))
            .or_default()
            .entry(slot)
            .or_default()[day]
            .push(row);
        Ok(())
    })?;
    let mut book = super::xlsx::read_workbook(r)?;
    let group = match filter.project {
        Some(p) => p.group_name(lang).to_string(),
        None => lang.pick("各项目组", "All groups").to_string(),
    };
    for (monday, week) in &weeks {
        book.push_worksheet(week_sheet(*monday, week, &group, lang)?);
    }
    // The list of every session last, as the CSV has it.
    book.push_worksheet(super::xlsx::records_sheet(r, Kind::Schedule, filter, lang)?);
    Ok(book.save_to_buffer()?)
}

fn week_sheet(
    monday: NaiveDate,
    week: &Week,
    group: &str,
    lang: Lang,
) -> Result<Worksheet, ExportError> {
    let sunday = monday + Duration::days(6);
    let mut sheet = Worksheet::new();
    sheet.set_name(monday.to_string())?;
    sheet.set_paper_size(9); // A4
    sheet.set_landscape();
    sheet.set_print_fit_to_pages(1, 1);
    sheet.set_print_center_horizontally(true);
    sheet.set_margins(0.4, 0.4, 0.5, 0.5, 0.3, 0.3);
    let title = super::xlsx::print_title();
    let head = super::xlsx::print_header()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_text_wrap();
    let slot = Format::new()
        .set_bold()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter);
    let body = Format::new()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Top)
        .set_text_wrap();
    let cancelled = body
        .clone()
        .set_font_strikethrough()
        .set_font_color("808080");
    let heading = match lang {
        Lang::Zh => format!("{group}培养活动周课表（{monday} 至 {sunday}）"),
        Lang::En => format!("{group}: timetable, {monday} to {sunday}"),
    };
    sheet.merge_range(0, 0, 0, 7, &cell::spreadsheet(&heading), &title)?;
    sheet.set_row_height(0, 30)?;
    sheet.write_string_with_format(1, 0, lang.pick("时间", "Time"), &head)?;
    for d in 0..7u16 {
        let date = monday + Duration::days(i64::from(d));
        let text = format!("{}\n{}", weekday_label(date, lang), date.format("%m-%d"));
        sheet.write_string_with_format(1, d + 1, text, &head)?;
    }
    sheet.set_row_height(1, 32)?;
    sheet.set_repeat_rows(1, 1)?;
    for (i, (time, days)) in week.iter().enumerate() {
        let row = 2 + i as u32;
        sheet.write_string_with_format(row, 0, time, &slot)?;
        // Room for four lines at least, so a week with one session a day
        // still prints as a timetable one can write into.
        let mut lines = 4;
        for (d, sessions) in days.iter().enumerate() {
            let col = 1 + d as u16;
            if sessions.is_empty() {
                sheet.write_blank(row, col, &body)?;
                continue;
            }
            let text = sessions
                .iter()
                .map(|s| session_text(s, lang))
                .collect::<Vec<_>>()
                .join("\n\n");
            lines = lines.max(printed_lines(&text));
            let all_cancelled = sessions.iter().all(|s| s.status == "cancelled");
            let format = if all_cancelled { &cancelled } else { &body };
            sheet.write_string_with_format(row, col, &text, format)?;
        }
        sheet.set_row_height(row, 15.0 * lines as f64 + 6.0)?;
    }
    sheet.set_column_width(0, 12)?;
    for d in 1..=7u16 {
        sheet.set_column_width(d, DAY_WIDTH as f64)?;
    }
    Ok(sheet)
}
