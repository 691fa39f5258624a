//! The audit trail as a person reads it: records by name, not id; money as
//! `¥100.00`, accounts and choices in words, in the interface language.

use std::collections::HashMap;

use serde_json::Value;

use crate::domain::field::Field;
use crate::domain::{
    Account, CoachRole, CoachStage, Document, Gender, Holder, Money, Outcome, ProjectId, Score,
    TraineeKind, TraineeStage, TrainingMode, WithdrawalReason,
};
use crate::i18n::Lang;
use crate::registry::{AuditEntry, Reader, RecordKind, Snapshot};
use crate::store::StoreError;

/// Names of records already looked up, so 5 000 lines cost one read each.
#[derive(Default)]
pub struct Names {
    seen: HashMap<(RecordKind, u64), String>,
    users: Option<HashMap<u64, String>>,
}

impl Names {
    /// The record's name: a trainee's or a coach's name, a school's, an
    /// entry's voucher, a plan's group and year. Empty if it is gone.
    pub fn of(
        &mut self,
        r: &Reader<'_>,
        kind: RecordKind,
        id: u64,
        lang: Lang,
    ) -> Result<String, StoreError> {
        if let Some(n) = self.seen.get(&(kind, id)) {
            return Ok(n.clone());
        }
        let name = match kind {
            RecordKind::Trainee => r.trainee(id)?.map(|t| t.name).unwrap_or_default(),
            RecordKind::Person => r.person(id)?.map(|p| p.name).unwrap_or_default(),
            RecordKind::Coach => match r.coach(id)? {
                Some(c) => self.of(r, RecordKind::Person, c.person_id, lang)?,
                None => String::new(),
            },
            RecordKind::School => r
                .school(id)?
                .map(|s| s.application.name)
                .unwrap_or_default(),
            RecordKind::Assessment => match r.assessment(id)? {
                Some(a) => format!(
                    "{} {}",
                    self.of(r, RecordKind::Trainee, a.trainee_id, lang)?,
                    a.semester.label(lang)
                ),
                None => String::new(),
            },
            // Shown through the trainee it belongs to, named in the change.
            RecordKind::Achievement => String::new(),
            RecordKind::Session | RecordKind::Attendance => match r.session(id)? {
                Some(s) => format!("{} {}", s.date, s.topic),
                None => String::new(),
            },
            RecordKind::Class => r.class(id)?.map(|c| c.name).unwrap_or_default(),
            RecordKind::Development => String::new(),
            RecordKind::Group => ProjectId::from_index(id as u8)
                .map(|p| p.group_name(lang).to_string())
                .unwrap_or_default(),
            RecordKind::Entry => match r.entry(id)? {
                Some(e) if !e.voucher.is_empty() => e.voucher,
                Some(e) => format!("{} {}", e.date, e.amount.display()),
                None => String::new(),
            },
            RecordKind::Cycle => {
                let project = ProjectId::from_index((id >> 32) as u8);
                let year = id as u32;
                match project {
                    Some(p) => format!("{} {year}", p.group_name(lang)),
                    None => year.to_string(),
                }
            }
            RecordKind::User => {
                if self.users.is_none() {
                    self.users = Some(r.users()?.into_iter().map(|u| (u.id, u.login)).collect());
                }
                self.users
                    .as_ref()
                    .and_then(|u| u.get(&id).cloned())
                    .unwrap_or_default()
            }
        };
        self.seen.insert((kind, id), name.clone());
        Ok(name)
    }
}

/// `label: value` pairs.
pub type Fields = Vec<(String, String)>;

/// `学员 陈磊杰`: what an entry changed, by kind and name.
pub fn record_text(
    r: &Reader<'_>,
    names: &mut Names,
    e: &AuditEntry,
    lang: Lang,
) -> Result<String, StoreError> {
    let name = names.of(r, e.kind, e.record, lang)?;
    Ok(if name.is_empty() {
        e.kind.label(lang).to_string()
    } else {
        format!("{} {name}", e.kind.label(lang))
    })
}

/// The fields of the change (of an undo: of the command that acted), and of
/// the record before it where it existed, as `label: value` in `lang`.
pub fn change_fields(
    r: &Reader<'_>,
    names: &mut Names,
    e: &AuditEntry,
    lang: Lang,
) -> Result<(Fields, Fields), StoreError> {
    let change = fields(
        r,
        names,
        &serde_json::to_value(e.command.acting()).unwrap_or_default(),
        lang,
    )?;
    let before = match &e.before {
        Some(snapshot) => {
            let all = fields(r, names, &snapshot_value(snapshot), lang)?;
            all.into_iter()
                .filter(|(k, _)| {
                    k == &key_label("stage", lang) || change.iter().any(|(c, _)| c == k)
                })
                .collect()
        }
        None => Vec::new(),
    };
    Ok((change, before))
}

fn snapshot_value(s: &Snapshot) -> Value {
    serde_json::to_value(s).unwrap_or_default()
}

/// One level down from the variant; an `input` or `details` object is read
/// as fields.
fn fields(
    r: &Reader<'_>,
    names: &mut Names,
    v: &Value,
    lang: Lang,
) -> Result<Vec<(String, String)>, StoreError> {
    let inner = match v {
        Value::Object(m) if m.len() == 1 => m.values().next().cloned().unwrap_or_default(),
        other => other.clone(),
    };
    let Value::Object(map) = inner else {
        return Ok(vec![(String::new(), plain(&inner, lang))]);
    };
    let mut out = Vec::new();
    for (k, v) in map {
        if matches!(
            k.as_str(),
            "id" | "version" | "stamp" | "history" | "of" | "undone" | "application"
        ) {
            continue;
        }
        if let ("input" | "details", Value::Object(_)) = (k.as_str(), &v) {
            out.extend(fields(r, names, &v, lang)?);
            continue;
        }
        out.push((key_label(&k, lang), value_text(r, names, &k, &v, lang)?));
    }
    Ok(out)
}

/// A field's name in `lang`: a field of the one table (`domain::field`)
/// by its label, whichever key a command gives it; the rest (stages,
/// links to records) by their own words here.
fn key_label(key: &str, lang: Lang) -> String {
    let zh = match key {
        // Keys several records give different fields: a trainee's kind or
        // a session's, a withdrawal's reason or a cancellation's.
        "kind" => "类别",
        "reason" => "原因",
        _ => "",
    };
    if let (true, Some(f)) = (zh.is_empty(), key_field(key)) {
        return f.label(lang).to_string();
    }
    let zh = match key {
        "kind" => "类别",
        "reason" => "原因",
        "start" => "开始日期",
        "returned_to_home_school" => "回原学校",
        "stage" => "阶段",
        "to" => "变为",
        "role" => "角色",
        "term_start" => "聘期开始",
        "person" => "人员",
        "coach" => "教练员",
        "trainee" => "学员",
        "entry" => "台账记录",
        "semester" => "学期",
        "outcome" => "结果",
        "commitment_signed" => "承诺书签署",
        "movement" => "类型",
        "index" => "序号",
        "selected" => "入选",
        "budget" => "经费预算",
        "document" => "文件",
        "filed" => "备案",
        "coaching_now" => "正在辅导",
        "results" => "学生成绩",
        "keys" => "公钥",
        "key" => "公钥",
        "approve" => "批准",
        "announcement" => "公示",
        "objections" => "异议",
        "withdrawals" => "退出记录",
        _ => "",
    };
    match lang {
        Lang::Zh if !zh.is_empty() => zh.to_string(),
        // As the one table writes English labels: "Returned to home school".
        _ => {
            let words = key.replace('_', " ");
            let mut chars = words.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        }
    }
}

/// The field of the one table a command's or record's key is: its own key,
/// or the key a command gives it (an `AddRecommender`'s `teacher`, a
/// user's `display_name`).
fn key_field(key: &str) -> Option<Field> {
    Field::of_key(key).or(match key {
        "teacher" => Some(Field::Recommender),
        "text" => Some(Field::Objection),
        "display_name" => Some(Field::Name),
        "home" => Some(Field::HomeSchool),
        "mode" => Some(Field::TrainingMode),
        "research_outputs" => Some(Field::ResearchOutput),
        _ => None,
    })
}

/// A value in words: money as `¥100.00`, an account as its holder, fund and
/// year, choices by their labels, linked records by name.
fn value_text(
    r: &Reader<'_>,
    names: &mut Names,
    key: &str,
    v: &Value,
    lang: Lang,
) -> Result<String, StoreError> {
    let text = match key {
        "amount" => as_::<Money>(v).map(Money::display),
        // Hours, as the form and the lists give them (1.5), not tenths.
        "tenths" => as_::<u32>(v).map(crate::domain::training::hours_text),
        "account" => match as_::<Account>(v) {
            Some(a) => {
                let holder = match a.holder {
                    Holder::Project(p) => p.group_name(lang),
                    Holder::School(id) => names.of(r, RecordKind::School, id, lang)?,
                };
                Some(format!("{holder} {} {}", a.fund.label(lang), a.year))
            }
            None => None,
        },
        "budget" => as_::<Vec<(String, Money)>>(v).map(|b| {
            b.iter()
                .map(|(c, m)| format!("{c} {}", m.display()))
                .collect::<Vec<_>>()
                .join("; ")
        }),
        "targets" => {
            as_::<Vec<crate::domain::Target>>(v).map(|t| crate::tui::forms::targets_text(&t))
        }
        "project" | "subject" => as_::<ProjectId>(v).map(|p| p.group_name(lang)),
        "role" => as_::<CoachRole>(v)
            .map(|x| x.label(lang).to_string())
            .or_else(|| as_::<crate::domain::Role>(v).map(|x| x.label(lang))),
        "to" => as_::<CoachStage>(v).map(|x| x.label(lang).to_string()),
        "stage" => as_::<TraineeStage>(v)
            .map(|x| x.label(lang).to_string())
            .or_else(|| as_::<CoachStage>(v).map(|x| x.label(lang).to_string())),
        "outcome" => as_::<Outcome>(v).map(|x| x.label(lang).to_string()),
        "score" => as_::<Option<Score>>(v).map(|s| s.map(|s| s.to_string()).unwrap_or("-".into())),
        "gender" => as_::<Gender>(v).map(|x| x.label(lang).to_string()),
        "kind" => as_::<TraineeKind>(v)
            .map(|x| x.label(lang).to_string())
            .or_else(|| {
                as_::<crate::domain::training::DevelopmentKind>(v).map(|x| x.label(lang).into())
            }),
        "document" => as_::<Document>(v).map(|x| x.label(lang).to_string()),
        "reason" => as_::<WithdrawalReason>(v).map(|x| x.label(lang)),
        "mode" => as_::<TrainingMode>(v).map(|x| x.label(lang).to_string()),
        "movement" => as_::<crate::registry::Movement>(v).map(|m| {
            match m {
                crate::registry::Movement::Allocation => lang.pick("拨款", "allocation"),
                crate::registry::Movement::Expense => lang.pick("支出", "expense"),
            }
            .to_string()
        }),
        "person" => match v.as_u64() {
            Some(id) => Some(names.of(r, RecordKind::Person, id, lang)?),
            None => None,
        },
        "trainee" => match v.as_u64() {
            Some(id) => Some(names.of(r, RecordKind::Trainee, id, lang)?),
            None => None,
        },
        "coach" => match v.as_u64() {
            Some(id) => Some(names.of(r, RecordKind::Coach, id, lang)?),
            None => None,
        },
        "entry" => match v.as_u64() {
            Some(id) => Some(names.of(r, RecordKind::Entry, id, lang)?),
            None => None,
        },
        "semester" => as_::<crate::domain::Semester>(v).map(|s| s.label(lang)),
        _ => None,
    };
    Ok(text.unwrap_or_else(|| plain(v, lang)))
}

fn as_<T: serde::de::DeserializeOwned>(v: &Value) -> Option<T> {
    serde_json::from_value::<T>(v.clone()).ok()
}

/// Any other value: text as it is, yes/no in words, nothing as `-`.
fn plain(v: &Value, lang: Lang) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Bool(b) => lang
            .pick(if *b { "是" } else { "否" }, if *b { "yes" } else { "no" })
            .to_string(),
        Value::Null => "-".into(),
        Value::Array(items) => items
            .iter()
            .map(|i| plain(i, lang))
            .collect::<Vec<_>>()
            .join("; "),
        other => other.to_string(),
    }
}
