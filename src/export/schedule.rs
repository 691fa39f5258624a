//! A group's schedule (issue 19): its sessions as rows (JSON, CSV, xlsx) and
//! as an iCalendar file (RFC 5545) a coach or a trainee's family imports
//! into a phone's calendar. Each session's UID is its id, so importing the
//! file again updates the events instead of adding them twice; a cancelled
//! session stays in the file as `STATUS:CANCELLED`.

use std::collections::HashMap;
use std::io::Write;

use chrono::{NaiveDate, NaiveTime};
use serde::Serialize;

use super::{Column, ExportError, Filter, Row, col};
use crate::domain::ProjectId;
use crate::domain::training::{Place, Session, SessionStatus};
use crate::i18n::Lang;
use crate::registry::Reader;

#[derive(Serialize)]
pub struct SessionRow {
    pub id: u64,
    pub project: &'static str,
    pub date: NaiveDate,
    pub start: String,
    pub end: String,
    pub kind: &'static str,
    pub kind_text: &'static str,
    pub topic: String,
    pub place: String,
    pub coaches: Vec<String>,
    pub class: Option<String>,
    pub status: &'static str,
    pub cancel_reason: Option<String>,
    pub series: Option<u64>,
    pub version: u32,
}

impl Row for SessionRow {
    const COLUMNS: &'static [Column<Self>] = &[
        col("编号", "ID", |r, _| r.id.to_string()),
        col("项目组", "Group", |r, lang| {
            ProjectId::parse(r.project)
                .map(|p| p.group_name(lang).to_string())
                .unwrap_or_default()
        }),
        col("日期", "Date", |r, _| r.date.to_string()),
        col("开始", "Start", |r, _| r.start.clone()),
        col("结束", "End", |r, _| r.end.clone()),
        col("类型", "Kind", |r, _| r.kind_text.to_string()),
        col("主题", "Topic", |r, _| r.topic.clone()),
        col("地点", "Place", |r, _| r.place.clone()),
        col("授课教练员", "Coaches", |r, lang| {
            r.coaches.join(lang.pick("、", ", "))
        }),
        col("班级", "Class", |r, _| {
            r.class.clone().unwrap_or_default()
        }),
        col("状态", "Status", |r, lang| {
            match r.status {
                "held" => lang.pick("已举行", "held"),
                "cancelled" => lang.pick("已取消", "cancelled"),
                _ => lang.pick("计划", "planned"),
            }
            .to_string()
        }),
        col("取消原因", "Reason cancelled", |r, _| {
            r.cancel_reason.clone().unwrap_or_default()
        }),
    ];
}

/// Names the rows need: schools, coaches, classes.
struct Names {
    schools: HashMap<u64, String>,
    coaches: HashMap<u64, String>,
    classes: HashMap<u64, String>,
}

impl Names {
    fn read(r: &Reader<'_>, project: ProjectId) -> Result<Names, ExportError> {
        let schools = r
            .school_outlines()?
            .into_iter()
            .map(|s| (s.id, s.application.name))
            .collect();
        let mut coaches = HashMap::new();
        for c in r.coaches(project)? {
            let name = r.person(c.person_id)?.map(|p| p.name).unwrap_or_default();
            coaches.insert(c.id, name);
        }
        let classes = r
            .classes(project)?
            .into_iter()
            .map(|c| (c.id, c.name))
            .collect();
        Ok(Names {
            schools,
            coaches,
            classes,
        })
    }

    fn place(&self, p: &Place, lang: Lang) -> String {
        match p {
            Place::School { school, room } => {
                let name = self.schools.get(school).cloned().unwrap_or_default();
                if room.is_empty() {
                    name
                } else {
                    format!("{name} {room}")
                }
            }
            Place::Online { link } if link.is_empty() => lang.pick("线上", "online").into(),
            Place::Online { link } => format!("{} {link}", lang.pick("线上", "online")),
            Place::Other { name } => name.clone(),
        }
    }
}

/// The sessions `filter` selects: its group's (every readable group's if
/// none), those a coach teaches (`filter.coach`, an appointment id), or
/// those on a trainee's roster (`filter.trainee`).
fn selected(r: &Reader<'_>, filter: &Filter) -> Result<Vec<Session>, ExportError> {
    let projects: Vec<ProjectId> = match filter.project {
        Some(p) => vec![p],
        None => ProjectId::ALL
            .into_iter()
            .filter(|p| r.can_read(*p))
            .collect(),
    };
    let mut out = Vec::new();
    for p in projects {
        for s in r.sessions(p)? {
            if let Some(c) = filter.coach
                && !s.coaches.contains(&c)
            {
                continue;
            }
            if let Some(t) = filter.trainee
                && !r.roster(&s)?.iter().any(|(x, _)| x.id == t)
            {
                continue;
            }
            out.push(s);
        }
    }
    Ok(out)
}

fn hm(t: NaiveTime) -> String {
    t.format("%H:%M").to_string()
}

/// Calls `f` with every selected session as a row.
pub(super) fn rows(
    r: &Reader<'_>,
    filter: &Filter,
    lang: Lang,
    mut f: impl FnMut(SessionRow) -> Result<(), ExportError>,
) -> Result<(), ExportError> {
    let sessions = selected(r, filter)?;
    let mut names: HashMap<ProjectId, Names> = HashMap::new();
    for s in sessions {
        let n = match names.entry(s.project) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(e) => e.insert(Names::read(r, s.project)?),
        };
        f(row(&s, n, lang))?;
    }
    Ok(())
}

fn row(s: &Session, n: &Names, lang: Lang) -> SessionRow {
    SessionRow {
        id: s.id,
        project: s.project.code(),
        date: s.date,
        start: hm(s.start),
        end: hm(s.end),
        kind: s.kind.code(),
        kind_text: s.kind.label(lang),
        topic: s.topic.clone(),
        place: n.place(&s.place, lang),
        coaches: s
            .coaches
            .iter()
            .map(|c| n.coaches.get(c).cloned().unwrap_or_default())
            .collect(),
        class: s
            .class
            .map(|c| n.classes.get(&c).cloned().unwrap_or_default()),
        status: s.status.code(),
        cancel_reason: match &s.status {
            SessionStatus::Cancelled { reason, .. } => Some(reason.clone()),
            _ => None,
        },
        series: s.series,
        version: s.stamp.version,
    }
}

/// RFC 5545 TEXT: backslash, semicolon, comma and newline escaped.
fn ics_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// One content line, folded at 75 octets (never inside a character), with
/// CRLF.
fn line(out: &mut Vec<u8>, text: &str) {
    let mut width = 0;
    for c in text.chars() {
        let n = c.len_utf8();
        if width + n > 75 {
            out.extend_from_slice(b"\r\n ");
            width = 1;
        }
        let mut buf = [0u8; 4];
        out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
        width += n;
    }
    out.extend_from_slice(b"\r\n");
}

/// The time zone every session is in: China Standard Time, no daylight
/// saving since 1991.
const VTIMEZONE: &[&str] = &[
    "BEGIN:VTIMEZONE",
    "TZID:Asia/Shanghai",
    "BEGIN:STANDARD",
    "DTSTART:19700101T000000",
    "TZOFFSETFROM:+0800",
    "TZOFFSETTO:+0800",
    "TZNAME:CST",
    "END:STANDARD",
    "END:VTIMEZONE",
];

/// The selected sessions as an iCalendar file.
pub fn ics<W: Write>(
    r: &Reader<'_>,
    filter: &Filter,
    lang: Lang,
    out: &mut W,
) -> Result<(), ExportError> {
    let sessions = selected(r, filter)?;
    let mut names: HashMap<ProjectId, Names> = HashMap::new();
    let mut buf = Vec::new();
    let title = match filter.project {
        Some(p) => format!(
            "{} {}",
            lang.pick("强基计划", "Strong Foundation"),
            p.group_name(lang)
        ),
        None => lang
            .pick("强基计划培养活动", "Strong Foundation sessions")
            .to_string(),
    };
    for l in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Qiangji//Qiangji//ZH",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ] {
        line(&mut buf, l);
    }
    line(&mut buf, &format!("X-WR-CALNAME:{}", ics_text(&title)));
    line(&mut buf, "X-WR-TIMEZONE:Asia/Shanghai");
    for l in VTIMEZONE {
        line(&mut buf, l);
    }
    for s in &sessions {
        let n = match names.entry(s.project) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(e) => e.insert(Names::read(r, s.project)?),
        };
        let row = row(s, n, lang);
        let at = |t: NaiveTime| format!("{}T{}", s.date.format("%Y%m%d"), t.format("%H%M%S"));
        line(&mut buf, "BEGIN:VEVENT");
        line(&mut buf, &format!("UID:qiangji-session-{}@qiangji", s.id));
        line(
            &mut buf,
            &format!("DTSTAMP:{}", s.stamp.updated_at.format("%Y%m%dT%H%M%SZ")),
        );
        line(
            &mut buf,
            &format!("DTSTART;TZID=Asia/Shanghai:{}", at(s.start)),
        );
        line(&mut buf, &format!("DTEND;TZID=Asia/Shanghai:{}", at(s.end)));
        line(
            &mut buf,
            &format!("SEQUENCE:{}", s.stamp.version.saturating_sub(1)),
        );
        line(
            &mut buf,
            &format!(
                "SUMMARY:{}",
                ics_text(&format!("{}：{}", row.kind_text, row.topic))
            ),
        );
        if !row.place.is_empty() {
            line(&mut buf, &format!("LOCATION:{}", ics_text(&row.place)));
        }
        let mut description = Vec::new();
        description.push(format!(
            "{}{}",
            lang.pick("项目组：", "Group: "),
            s.project.group_name(lang)
        ));
        if !row.coaches.is_empty() {
            description.push(format!(
                "{}{}",
                lang.pick("授课教练员：", "Coaches: "),
                row.coaches.join(lang.pick("、", ", "))
            ));
        }
        if let Some(c) = &row.class {
            description.push(format!("{}{c}", lang.pick("班级：", "Class: ")));
        }
        if let Some(reason) = &row.cancel_reason {
            description.push(format!(
                "{}{reason}",
                lang.pick("取消原因：", "Cancelled: ")
            ));
        }
        line(
            &mut buf,
            &format!("DESCRIPTION:{}", ics_text(&description.join("\n"))),
        );
        line(
            &mut buf,
            match s.status {
                SessionStatus::Cancelled { .. } => "STATUS:CANCELLED",
                _ => "STATUS:CONFIRMED",
            },
        );
        line(&mut buf, "END:VEVENT");
        if buf.len() > 1 << 16 {
            out.write_all(&buf)?;
            buf.clear();
        }
    }
    line(&mut buf, "END:VCALENDAR");
    out.write_all(&buf)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_fold_between_characters() {
        let mut out = Vec::new();
        line(&mut out, &format!("SUMMARY:{}", "数学专题课程".repeat(10)));
        let text = String::from_utf8(out).unwrap();
        for l in text.split("\r\n") {
            assert!(l.len() <= 75, "{l}");
        }
        assert!(text.contains("\r\n "));
        assert_eq!(ics_text("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
    }
}
