//! What the views draw, read from the registry in one place. Views receive
//! these plain values and never reach the store.

use chrono::{Datelike, NaiveDate};

use crate::domain::{
    Account, AnnualCycle, BaseSchool, BudgetLine, Coach, CoachRole, CoachStage, Document, Entry,
    Filing, Holder, Money, Person, ProjectId, Semester, Trainee,
};
use crate::registry::{AuditEntry, MIN_COACHES, RecordKind, Registry};
use crate::store::StoreError;

use super::search::SearchKey;

/// Days ahead a coach's term end or a deadline starts to show as an alert.
pub const TERM_ALERT_DAYS: i64 = 60;
pub const DEADLINE_ALERT_DAYS: i64 = 30;

#[derive(Clone, Debug, PartialEq)]
pub enum Alert {
    NoChief,
    FewCoaches(u32),
    TermEnding {
        name: String,
        role: CoachRole,
        ends: NaiveDate,
    },
    OpenObjections(u32),
    Deadline {
        document: Document,
        year: i32,
        due: NaiveDate,
        overdue: bool,
    },
}

/// One group's pane on the overview.
#[derive(Clone, Debug)]
pub struct GroupSummary {
    pub project: ProjectId,
    pub chief: Option<String>,
    pub coaches: u32,
    pub students: u32,
    pub teachers: u32,
    pub schools: usize,
    pub daily_balance: Money,
    pub daily_allocated: Money,
    pub reward_paid: Option<Money>,
    pub assessed: usize,
    pub due: u32,
    /// This year's plan and report: not submitted, submitted or filed.
    pub plan: Filing,
    pub report: Filing,
    pub alerts: Vec<Alert>,
}

#[derive(Clone, Debug)]
pub struct Overview {
    pub today: NaiveDate,
    pub semester: Semester,
    pub groups: Vec<GroupSummary>,
}

pub fn overview(r: &Registry) -> Result<Overview, StoreError> {
    let today = r.today();
    let semester = Semester::containing(today);
    let schools = r.schools()?;
    let mut groups = Vec::with_capacity(ProjectId::ALL.len());
    for p in ProjectId::ALL {
        let counts = r.counts(p)?;
        let mut alerts = Vec::new();
        let mut chief = None;
        for c in r.coaches(p)? {
            if c.stage != CoachStage::Active {
                continue;
            }
            let name = r.person(c.person_id)?.map(|x| x.name).unwrap_or_default();
            let left = (c.term_end - today).num_days();
            if (0..=TERM_ALERT_DAYS).contains(&left) {
                alerts.push(Alert::TermEnding {
                    name: name.clone(),
                    role: c.role,
                    ends: c.term_end,
                });
            }
            if c.role == CoachRole::Chief {
                chief = Some(name);
            }
        }
        if chief.is_none() {
            alerts.insert(0, Alert::NoChief);
        }
        if counts.active_coaches < MIN_COACHES {
            alerts.insert(0, Alert::FewCoaches(counts.active_coaches));
        }
        if counts.open_objections > 0 {
            alerts.push(Alert::OpenObjections(counts.open_objections));
        }
        let this_year = r.cycle(p, today.year())?;
        let next_year = r.cycle(p, today.year() + 1)?;
        for (document, year, cycle) in [
            (Document::Plan, today.year(), &this_year),
            (Document::Report, today.year(), &this_year),
            (Document::Plan, today.year() + 1, &next_year),
        ] {
            let filing = cycle
                .as_ref()
                .map(|c| c.filing(document))
                .unwrap_or_default();
            let due = document.due(year);
            let left = (due - today).num_days();
            if filing == Filing::NotSubmitted && left <= DEADLINE_ALERT_DAYS {
                alerts.push(Alert::Deadline {
                    document,
                    year,
                    due,
                    overdue: left < 0,
                });
            }
        }
        let daily = r.balance(&Account::daily(p, today.year()))?;
        let reward = r.balance(&Account::reward(p, today.year()))?;
        let assessed = r.assessed_count(p, semester)?;
        groups.push(GroupSummary {
            project: p,
            chief,
            coaches: counts.active_coaches,
            students: counts.enrolled_students,
            teachers: counts.enrolled_teachers,
            schools: schools.iter().filter(|s| s.serves(p)).count(),
            daily_balance: daily.balance(),
            daily_allocated: daily.allocated,
            reward_paid: (reward.live_allocations > 0).then_some(reward.allocated),
            assessed,
            due: counts.enrolled_students + counts.enrolled_teachers,
            plan: this_year.as_ref().map(|c| c.plan).unwrap_or_default(),
            report: this_year.map(|c| c.report).unwrap_or_default(),
            alerts,
        });
    }
    Ok(Overview {
        today,
        semester,
        groups,
    })
}

/// A coach appointment with the person it appoints.
#[derive(Clone, Debug)]
pub struct CoachRow {
    pub coach: Coach,
    pub person: Person,
    pub shortfalls: usize,
}

/// An account of the group (or of one of its base schools) with its totals.
#[derive(Clone, Debug)]
pub struct AccountRow {
    pub account: Account,
    pub school: Option<String>,
    pub allocated: Money,
    pub spent: Money,
    pub balance: Money,
}

/// Everything a group's workspace shows.
#[derive(Clone, Debug)]
pub struct Workspace {
    pub project: ProjectId,
    pub year: i32,
    pub trainees: Vec<Trainee>,
    pub trainee_keys: Vec<SearchKey>,
    pub coaches: Vec<CoachRow>,
    pub coach_keys: Vec<SearchKey>,
    pub schools: Vec<BaseSchool>,
    pub school_keys: Vec<SearchKey>,
    pub accounts: Vec<AccountRow>,
    pub entries: Vec<Entry>,
    pub entry_keys: Vec<SearchKey>,
    pub cycles: Vec<AnnualCycle>,
    pub cycle_keys: Vec<SearchKey>,
    /// This year's daily fund: the plan's budget against what was spent.
    pub budget: Vec<BudgetLine>,
    /// This year's daily-fund spending by month.
    pub monthly: [Money; 12],
}

pub fn workspace(r: &Registry, project: ProjectId) -> Result<Workspace, StoreError> {
    let today = r.today();
    let year = today.year();
    let trainees = r.trainees(project)?;
    // Records whose next step is due carry words the filter finds them by.
    let due = |yes: bool| if yes { super::pipeline::DUE_MARK } else { "" };
    let trainee_keys = trainees
        .iter()
        .map(|t| {
            SearchKey::new(&[
                &t.name,
                &t.home_school,
                &t.district,
                t.stage.label(crate::i18n::Lang::Zh),
                due(super::pipeline::is_due(t, today)),
            ])
        })
        .collect();
    let mut coaches = Vec::new();
    for c in r.coaches(project)? {
        if let Some(person) = r.person(c.person_id)? {
            let shortfalls =
                crate::domain::coach::qualification_shortfalls(&person, c.role, c.project, today)
                    .len();
            coaches.push(CoachRow {
                coach: c,
                person,
                shortfalls,
            });
        }
    }
    let coach_keys = coaches
        .iter()
        .map(|c| {
            let pending = matches!(
                c.coach.stage,
                CoachStage::Nominated | CoachStage::Announced | CoachStage::Filed
            );
            let ending = c.coach.stage == CoachStage::Active
                && (c.coach.term_end - today).num_days() <= TERM_ALERT_DAYS;
            SearchKey::new(&[&c.person.name, &c.person.school, due(pending || ending)])
        })
        .collect();
    let schools: Vec<BaseSchool> = r
        .schools()?
        .into_iter()
        .filter(|s| s.application.projects.contains(&project))
        .collect();
    let school_keys = schools
        .iter()
        .map(|s| {
            SearchKey::new(&[
                &s.application.name,
                &s.application.district,
                &s.application.principal,
                due(s.stage == crate::domain::SchoolStage::Applied),
            ])
        })
        .collect();
    let mut accounts = Vec::new();
    let mut entries = Vec::new();
    let mut wanted: Vec<(Account, Option<String>)> = vec![
        (Account::daily(project, year), None),
        (Account::reward(project, year), None),
        (Account::daily(project, year - 1), None),
        (Account::reward(project, year - 1), None),
    ];
    for s in schools.iter().filter(|s| s.serves(project)) {
        wanted.push((Account::base(s.id, year), Some(s.application.name.clone())));
    }
    for (account, school) in wanted {
        let b = r.balance(&account)?;
        if b.entries == 0 && account.year != year {
            continue;
        }
        if account.year == year {
            entries.extend(r.entries(&account)?);
        }
        accounts.push(AccountRow {
            account,
            school,
            allocated: b.allocated,
            spent: b.spent,
            balance: b.balance(),
        });
    }
    entries.sort_by_key(|e| (e.date, e.id));
    let entry_keys = entries
        .iter()
        .map(|e| SearchKey::new(&[&e.category, &e.payee, &e.voucher, &e.note]))
        .collect();
    let mut cycles: Vec<AnnualCycle> = r
        .cycles()
        .filter_map(Result::ok)
        .filter(|c| c.project == project)
        .collect();
    cycles.sort_by_key(|c| std::cmp::Reverse(c.year));
    let daily = Account::daily(project, year);
    let daily_entries: Vec<Entry> = entries
        .iter()
        .filter(|e| e.account == daily)
        .cloned()
        .collect();
    let planned = cycles
        .iter()
        .find(|c| c.year == year)
        .map(|c| c.budget.clone())
        .unwrap_or_default();
    let budget = crate::domain::budget_against_actual(&planned, &daily_entries);
    let monthly = crate::domain::monthly_spending(&daily_entries);
    let cycle_keys = cycles
        .iter()
        .map(|c| SearchKey::new(&[&c.year.to_string(), &c.goals]))
        .collect();
    Ok(Workspace {
        project,
        year,
        trainees,
        trainee_keys,
        coaches,
        coach_keys,
        schools,
        school_keys,
        accounts,
        entries,
        entry_keys,
        cycles,
        cycle_keys,
        budget,
        monthly,
    })
}

/// One account on the ledger overview.
#[derive(Clone, Debug)]
pub struct LedgerLine {
    pub account: Account,
    /// The school's name for a base fund.
    pub school: Option<String>,
    /// The group whose ledger tab shows the account (a school's first group).
    pub project: Option<ProjectId>,
    pub allocated: Money,
    pub spent: Money,
    pub balance: Money,
}

/// Every group's and base school's accounts of one year, for coordinators and
/// finance.
#[derive(Clone, Debug)]
pub struct LedgerOverview {
    pub year: i32,
    /// Every year with an account, oldest first.
    pub years: Vec<i32>,
    pub lines: Vec<LedgerLine>,
}

pub fn ledger_overview(r: &Registry, year: i32) -> Result<LedgerOverview, StoreError> {
    let schools: std::collections::HashMap<u64, BaseSchool> =
        r.schools()?.into_iter().map(|s| (s.id, s)).collect();
    let mut years = Vec::new();
    let mut lines = Vec::new();
    for (account, b) in r.balances()? {
        if !years.contains(&account.year) {
            years.push(account.year);
        }
        if account.year != year {
            continue;
        }
        lines.push(LedgerLine {
            account,
            school: match account.holder {
                Holder::School(id) => schools.get(&id).map(|s| s.application.name.clone()),
                Holder::Project(_) => None,
            },
            project: match account.holder {
                Holder::School(id) => schools
                    .get(&id)
                    .and_then(|s| s.application.projects.first().copied()),
                Holder::Project(p) => Some(p),
            },
            allocated: b.allocated,
            spent: b.spent,
            balance: b.balance(),
        });
    }
    years.sort_unstable();
    Ok(LedgerOverview { year, years, lines })
}

/// The selected record's history for the detail pane.
#[derive(Clone, Debug, Default)]
pub struct Detail {
    pub kind: Option<(RecordKind, u64)>,
    pub audit: Vec<AuditEntry>,
    pub assessments: Vec<crate::domain::Assessment>,
}

pub fn detail(r: &Registry, kind: RecordKind, id: u64) -> Result<Detail, StoreError> {
    let audit = r.history(kind, id)?;
    let assessments = if kind == RecordKind::Trainee {
        r.assessments_of(id)?
    } else {
        Vec::new()
    };
    Ok(Detail {
        kind: Some((kind, id)),
        audit,
        assessments,
    })
}

/// A value to sort a table column by. Chinese sorts by its pinyin, as people
/// expect from a roster.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum SortValue {
    Num(i64),
    Text(String),
}

pub fn sort_text(s: &str) -> SortValue {
    use pinyin::ToPinyin;
    let mut out = String::with_capacity(s.len() * 2);
    // One syllable per character with a space after it, so characters
    // compare one by one: 李 (li) before 林 (lin) whatever follows.
    for c in s.chars() {
        match c.to_pinyin() {
            Some(p) => {
                out.push_str(p.plain());
                out.push(' ');
            }
            None => out.extend(c.to_lowercase()),
        }
    }
    SortValue::Text(out)
}

pub fn sort_key(
    w: &Workspace,
    tab: super::app::Tab,
    row: usize,
    col: usize,
    lang: crate::i18n::Lang,
) -> SortValue {
    use super::app::Tab;
    use SortValue::Num;
    let date = |d: NaiveDate| Num(i64::from(d.num_days_from_ce()));
    match tab {
        Tab::Trainees => {
            let Some(t) = w.trainees.get(row) else {
                return Num(0);
            };
            match col {
                0 => sort_text(&t.name),
                1 => Num(t.kind as i64),
                2 => Num(t.stage as i64),
                3 => sort_text(&t.home_school),
                4 => sort_text(&t.district),
                5 => sort_text(&t.grade),
                _ => sort_text(t.training_mode.map(|m| m.label(lang)).unwrap_or_default()),
            }
        }
        Tab::Coaches => {
            let Some(c) = w.coaches.get(row) else {
                return Num(0);
            };
            match col {
                0 => sort_text(&c.person.name),
                1 => Num(c.coach.role as i64),
                2 => Num(c.coach.stage as i64),
                3 => date(c.coach.term_end),
                4 => sort_text(&c.person.school),
                _ => Num(c.shortfalls as i64),
            }
        }
        Tab::Schools => {
            let Some(s) = w.schools.get(row) else {
                return Num(0);
            };
            match col {
                0 => sort_text(&s.application.name),
                1 => sort_text(&s.application.district),
                2 => Num(s
                    .application
                    .projects
                    .first()
                    .map_or(0, |p| i64::from(p.index()))),
                3 => Num(s.stage as i64),
                _ => sort_text(&s.application.principal),
            }
        }
        Tab::Ledger => {
            let Some(e) = w.entries.get(row) else {
                return Num(0);
            };
            match col {
                0 => {
                    Num(i64::from(e.date.num_days_from_ce()) * 1_000_000
                        + (e.id % 1_000_000) as i64)
                }
                1 => sort_text(e.kind.label(lang)),
                2 => Num(e.amount.fen()),
                3 => sort_text(&e.category),
                4 => sort_text(&e.voucher),
                _ => sort_text(&e.payee),
            }
        }
        Tab::Plans => {
            let Some(c) = w.cycles.get(row) else {
                return Num(0);
            };
            match col {
                0 => Num(-i64::from(c.year)),
                1 => sort_text(c.plan.label(lang)),
                2 => sort_text(c.report.label(lang)),
                _ => sort_text(&c.goals),
            }
        }
    }
}

/// How many of the newest audit entries the audit screen reads: a province
/// has millions, and a person reads the recent ones.
pub const AUDIT_SHOWN: usize = 5_000;

/// One line of the audit screen.
#[derive(Clone, Debug)]
pub struct AuditLine {
    pub entry: AuditEntry,
    /// Local time (Asia/Shanghai), `2026-11-29 21:35`.
    pub at: String,
    /// The command's fields, `name: value`, without ids and versions.
    pub change: Vec<(String, String)>,
    /// The same fields of the record as it was before, where it existed.
    pub before: Vec<(String, String)>,
}

/// The newest audit entries, newest first.
pub fn audit_log(r: &Registry) -> Result<Vec<AuditLine>, StoreError> {
    let mut out = Vec::new();
    for entry in r.audit_newest_first().take(AUDIT_SHOWN) {
        let entry = entry?;
        let at = crate::registry::shanghai(entry.at)
            .format("%Y-%m-%d %H:%M")
            .to_string();
        let change = fields(&serde_json::to_value(&entry.command).unwrap_or_default());
        let before = match &entry.before {
            Some(snapshot) => {
                let all = fields(&serde_json::to_value(snapshot).unwrap_or_default());
                all.into_iter()
                    .filter(|(k, _)| k == "stage" || change.iter().any(|(c, _)| c == k))
                    .collect()
            }
            None => Vec::new(),
        };
        out.push(AuditLine {
            entry,
            at,
            change,
            before,
        });
    }
    Ok(out)
}

/// The fields of a serialized command or record (one level down from its
/// variant), as text; ids and versions left out.
fn fields(v: &serde_json::Value) -> Vec<(String, String)> {
    let inner = match v {
        serde_json::Value::Object(m) if m.len() == 1 => {
            m.values().next().cloned().unwrap_or_default()
        }
        other => other.clone(),
    };
    let serde_json::Value::Object(map) = inner else {
        return vec![(String::new(), inner.to_string())];
    };
    map.into_iter()
        .filter(|(k, _)| !matches!(k.as_str(), "id" | "version" | "stamp" | "history"))
        .map(|(k, v)| {
            let text = match v {
                serde_json::Value::String(s) => s,
                other => other.to_string(),
            };
            (k, text)
        })
        .collect()
}
