//! Planning a training session or a weekly series (培养活动), and cancelling
//! one with its reason.

use crate::domain::field::Field as Ident;
use chrono::{NaiveDate, NaiveTime};

use super::{Choice, Field, Form, FormFlow, Scope, sheet_of};
use crate::domain::ProjectId;
use crate::domain::text::{LONG, MEDIUM, SHORT};
use crate::domain::training::{Place, Session, SessionKind};
use crate::i18n::Lang;
use crate::registry::Command;
use crate::tui::strings::L;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum F {
    Kind,
    Topic,
    Date,
    Until,
    Every,
    Start,
    End,
    Place,
    Where,
    Coaches,
    Class,
}

/// Where a session can be held: one of the group's base schools, online,
/// or a place named in the next field.
#[derive(Clone, Debug, PartialEq)]
enum At {
    School(u64),
    Online,
    Other,
}

pub struct SessionForm {
    form: Form<F>,
    project: ProjectId,
    /// The group's coaches: appointment id and name.
    coaches: Vec<(u64, String)>,
}

/// What the form offers: the group's schools, coaches and classes by name.
pub struct SessionChoices {
    pub schools: Vec<(u64, String)>,
    pub coaches: Vec<(u64, String)>,
    pub classes: Vec<(u64, String)>,
    /// The chief coach's name, offered as the one who teaches.
    pub chief: Option<String>,
}

pub fn session_form(
    project: ProjectId,
    today: NaiveDate,
    c: SessionChoices,
    lang: Lang,
) -> SessionForm {
    let kinds = SessionKind::ALL
        .iter()
        .map(|k| Choice::new(k.label(Lang::Zh), k.label(Lang::En), *k))
        .collect();
    let mut places: Vec<Choice> = c
        .schools
        .iter()
        .map(|(id, name)| Choice::new(name.clone(), name.clone(), At::School(*id)))
        .collect();
    places.push(Choice::new("线上", "Online", At::Online));
    places.push(Choice::new("其他地点", "Elsewhere", At::Other));
    let mut classes = vec![Choice::new("全组", "Whole group", None::<u64>)];
    classes.extend(
        c.classes
            .iter()
            .map(|(id, name)| Choice::new(name.clone(), name.clone(), Some(*id))),
    );
    let form = Form::new(L::NewSessionTitle)
        .with(F::Kind, Field::choice(("类型", "Kind"), kinds, 0))
        .with(F::Topic, Field::text(("主题", "Topic"), MEDIUM, true))
        .with(F::Date, Field::date(("日期", "Date"), today))
        .with(
            F::Until,
            Field::blank(
                ("重复至", "Repeat until"),
                super::FieldKind::Date { optional: true },
            ),
        )
        .with(
            F::Every,
            Field::new(
                ("间隔天数", "Every (days)"),
                super::FieldKind::text(3, true),
                "7",
            ),
        )
        .with(
            F::Start,
            Field::new(("开始", "Start"), super::FieldKind::text(5, true), "08:30"),
        )
        .with(
            F::End,
            Field::new(("结束", "End"), super::FieldKind::text(5, true), "11:30"),
        )
        .with(F::Place, Field::choice(("地点", "Place"), places, 0))
        .with(
            F::Where,
            Field::text(("地点说明", "Room or link"), MEDIUM, false)
                .names(Ident::Room)
                .names(Ident::Link)
                .names(Ident::Place),
        )
        .with(
            F::Coaches,
            Field::new(
                ("授课教练员", "Coaches"),
                super::FieldKind::text(SHORT * 4, false),
                c.chief.as_deref().unwrap_or_default(),
            ),
        )
        .with(F::Class, Field::choice(("班级", "Class"), classes, 0))
        .intro(L::NewSessionIntro.get(lang));
    SessionForm {
        form,
        project,
        coaches: c.coaches,
    }
}

/// `8:30`, `08:30` or `0830`.
fn parse_time(s: &str) -> Option<NaiveTime> {
    let s = s.trim().replace('：', ":");
    NaiveTime::parse_from_str(&s, "%H:%M")
        .or_else(|_| NaiveTime::parse_from_str(&s, "%H%M"))
        .ok()
}

impl SessionForm {
    fn time(&self, id: F, lang: Lang) -> Result<NaiveTime, String> {
        parse_time(&self.form.text(id)).ok_or_else(|| {
            let label = self
                .form
                .field(id)
                .map(|f| f.label(lang))
                .unwrap_or_default();
            format!("{label}: {}", L::BadTime.get(lang))
        })
    }

    /// The coaches typed, by name; a name not of the group is refused by name.
    fn coach_ids(&self, lang: Lang) -> Result<Vec<u64>, String> {
        let text = self.form.text(F::Coaches);
        let mut ids = Vec::new();
        for name in text
            .split(|c: char| c.is_whitespace() || matches!(c, '、' | ',' | '，'))
            .filter(|n| !n.is_empty())
        {
            match self.coaches.iter().find(|(_, n)| n == name) {
                Some((id, _)) if !ids.contains(id) => ids.push(*id),
                Some(_) => {}
                None => {
                    return Err(format!("{}: {name}", L::NotACoachHere.get(lang)));
                }
            }
        }
        Ok(ids)
    }
}

impl FormFlow for SessionForm {
    sheet_of!();

    fn save(&self, scope: Scope) -> Result<Vec<Command>, String> {
        let lang = scope.lang;
        let f = &self.form;
        let date = f.required_date(F::Date, lang)?;
        let until = f.date(F::Until);
        let every_days = match f.text(F::Every).trim().parse::<u16>() {
            Ok(n) if (1..=366).contains(&n) => n,
            _ if until.is_none() => 0,
            _ => return Err(L::BadEveryDays.get(lang).to_string()),
        };
        let words = f.text(F::Where).trim().to_string();
        let place = match f.required::<At>(F::Place, lang)? {
            At::School(school) => Place::School {
                school,
                room: words,
            },
            At::Online => Place::Online { link: words },
            At::Other => Place::Other { name: words },
        };
        Ok(vec![Command::PlanSessions {
            project: self.project,
            kind: f.required(F::Kind, lang)?,
            date,
            until,
            every_days,
            start: self.time(F::Start, lang)?,
            end: self.time(F::End, lang)?,
            place,
            topic: f.text(F::Topic).trim().to_string(),
            coaches: self.coach_ids(lang)?,
            class: f.required::<Option<u64>>(F::Class, lang)?,
        }])
    }

    fn select_after(
        &self,
        events: &[crate::registry::Event],
    ) -> Option<(crate::registry::RecordKind, u64)> {
        super::first_of(events, crate::registry::RecordKind::Session)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum C {
    Date,
    Reason,
}

pub struct CancelSessionForm {
    form: Form<C>,
    session: u64,
    version: u32,
    /// The session as someone else saved it meanwhile (moved, say): its
    /// version and the line saying when it is, for ctrl-r.
    theirs: Option<(u32, Option<String>)>,
}

pub fn cancel_session_form(s: &Session, today: NaiveDate, lang: Lang) -> CancelSessionForm {
    let intro = format!(
        "{} {} {}-{} {}",
        s.date,
        crate::tui::model::calendar::weekday(s.date, lang),
        s.start.format("%H:%M"),
        s.end.format("%H:%M"),
        s.topic
    );
    let form = Form::new(L::CancelSessionTitle)
        .with(C::Date, Field::date(("取消日期", "Cancelled on"), today))
        .with(C::Reason, Field::text(("取消原因", "Reason"), LONG, true))
        .intro(intro);
    CancelSessionForm {
        form,
        session: s.id,
        version: s.stamp.version,
        theirs: None,
    }
}

impl FormFlow for CancelSessionForm {
    sheet_of!();

    /// The session read again: the form holds none of its values (the date
    /// and reason are the cancellation's), so no field changed and ctrl-r
    /// cancels their version, shown above the fields; `None` if it was
    /// cancelled meanwhile.
    fn stale(&mut self, ctx: &mut crate::tui::ctx::Ctx) -> Option<Vec<String>> {
        let s = ctx.registry.session(self.session).ok().flatten()?;
        if s.is_cancelled() {
            return None;
        }
        let theirs = cancel_session_form(&s, ctx.today, ctx.lang);
        self.theirs = Some((theirs.version, theirs.form.sheet.intro));
        self.form.sheet.theirs_held = true;
        Some(Vec::new())
    }

    /// Cancelled meanwhile: when and why, and nothing left to save.
    fn overtaken(&self, ctx: &mut crate::tui::ctx::Ctx) -> Option<String> {
        let s = ctx.registry.session(self.session).ok().flatten()?;
        let crate::domain::training::SessionStatus::Cancelled { date, reason } = s.status else {
            return None;
        };
        let reason = crate::safe_text::one_line(&reason);
        Some(match ctx.lang {
            Lang::Zh => format!("该活动已于 {date} 取消（{reason}）；本表无需保存，按 Esc 关闭"),
            Lang::En => format!(
                "the session was cancelled on {date} ({reason}); nothing is left to save: Esc closes this form"
            ),
        })
    }

    fn take_theirs(&mut self, _lang: Lang) -> Option<Vec<String>> {
        let (version, intro) = self.theirs.take()?;
        self.version = version;
        self.form.sheet.intro = intro;
        self.form.sheet.theirs_held = false;
        Some(Vec::new())
    }

    fn save(&self, scope: Scope) -> Result<Vec<Command>, String> {
        Ok(vec![Command::CancelSession {
            id: self.session,
            version: self.version,
            date: self.form.required_date(C::Date, scope.lang)?,
            reason: self.form.text(C::Reason).trim().to_string(),
        }])
    }
}

#[cfg(test)]
mod tests {
    use super::parse_time;

    #[test]
    fn times_read_as_people_type_them() {
        assert_eq!(
            parse_time("8:30").map(|t| t.to_string()),
            Some("08:30:00".into())
        );
        assert_eq!(
            parse_time("0830").map(|t| t.to_string()),
            Some("08:30:00".into())
        );
        assert_eq!(
            parse_time("19：00").map(|t| t.to_string()),
            Some("19:00:00".into())
        );
        assert_eq!(parse_time("25:00"), None);
    }
}
