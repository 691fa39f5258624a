//! What the views draw, read from the registry in one place. Views receive
//! these plain values and never reach the store.

use chrono::{Datelike, NaiveDate};
use std::cell::OnceCell;

use crate::domain::{
    Account, AnnualCycle, BaseSchool, BudgetLine, Coach, CoachRole, CoachStage, Document, Entry,
    Filing, Holder, Money, Person, ProjectId, Semester, Trainee,
};
use crate::i18n::Lang;
use crate::registry::{AuditEntry, MIN_COACHES, Reader, RecordKind};
use crate::store::StoreError;

use super::input::search::SearchKey;

mod audit;
pub mod calendar;
pub mod find;

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
    /// Trainees under the group's attendance threshold this semester, the
    /// lowest first (their names, with the rate).
    LowAttendance {
        threshold: u8,
        trainees: Vec<(String, u8)>,
    },
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

pub fn overview(r: &Reader<'_>) -> Result<Overview, StoreError> {
    let today = r.today();
    let semester = Semester::containing(today);
    let mut groups = Vec::with_capacity(ProjectId::ALL.len());
    for p in ProjectId::ALL {
        groups.push(group_summary(r, p, today, semester)?);
    }
    Ok(Overview {
        today,
        semester,
        groups,
    })
}

/// One group's pane, read on its own when only that group changed.
pub fn group_summary(
    r: &Reader<'_>,
    p: ProjectId,
    today: NaiveDate,
    semester: Semester,
) -> Result<GroupSummary, StoreError> {
    // Every role counts every group's schools; names only where it may read.
    let schools = r.school_outlines()?;
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
    if chief.is_none() && counts.active_chief.is_some() && !r.can_read(p) {
        // Another group's chief: there is one, but the name is not this role's to read.
        chief = Some(crate::registry::reader::HIDDEN.to_string());
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
    let low = r.low_attendance(p, semester)?;
    if !low.is_empty() {
        alerts.push(Alert::LowAttendance {
            threshold: r.attendance_threshold(p)?,
            trainees: low
                .into_iter()
                .map(|(t, rate)| (t.name, rate.percent().unwrap_or(0)))
                .collect(),
        });
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
    let (assessed, due) = r.semester_progress(p, semester)?;
    Ok(GroupSummary {
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
        due: due as u32,
        plan: this_year.as_ref().map(|c| c.plan).unwrap_or_default(),
        report: this_year.map(|c| c.report).unwrap_or_default(),
        alerts,
    })
}

/// A coach appointment with the person it appoints.
#[derive(Clone, Debug)]
pub struct AppointedCoach {
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
    /// Made at the first filter (`trainee_keys()`): on a province group
    /// (17,000 trainees, a year's ledger) the keys were half of opening it.
    pub trainee_keys: OnceCell<Vec<SearchKey>>,
    /// The day the workspace was read, which the keys' "due" words follow.
    pub today: NaiveDate,
    pub coaches: Vec<AppointedCoach>,
    pub coach_keys: Vec<SearchKey>,
    pub schools: Vec<BaseSchool>,
    pub school_keys: Vec<SearchKey>,
    /// Whether the ledger below (accounts, entries, budget, monthly) was
    /// read: only once its tab is shown (`read_ledger`), since a province
    /// group's year of entries was a third of opening it.
    pub ledger_read: bool,
    /// This year's entries, counted from the accounts' balances, for the tab
    /// bar before the ledger is read.
    pub ledger_count: usize,
    pub accounts: Vec<AccountRow>,
    pub entries: Vec<Entry>,
    /// Beside each entry: the reversal it stands in, if any.
    pub entry_links: Vec<Reversal>,
    /// Made at the first filter of the ledger tab (`entry_keys()`).
    pub entry_keys: OnceCell<Vec<SearchKey>>,
    pub cycles: Vec<AnnualCycle>,
    pub cycle_keys: Vec<SearchKey>,
    /// This year's daily fund: the plan's budget against what was spent.
    pub budget: Vec<BudgetLine>,
    /// This year's daily-fund spending by month.
    pub monthly: [Money; 12],
    /// The calendar tab: every session of the group by date.
    pub sessions: Vec<calendar::SessionRow>,
    pub session_keys: Vec<SearchKey>,
    pub classes: Vec<crate::domain::training::Class>,
}

/// An entry's side of a reversal. Both sides stay on record: the original
/// says it was reversed and when, the reversal which entry it reverses (by
/// date, kind and voucher: ids are the database's, not the ledger's).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reversal {
    None,
    /// Reversed by the entry at this index.
    ReversedBy(usize),
    /// Reverses the entry at this index.
    Of(usize),
}

/// Each entry's side of a reversal, by index into `entries`.
pub fn reversals(entries: &[Entry]) -> Vec<Reversal> {
    let at: std::collections::HashMap<u64, usize> =
        entries.iter().enumerate().map(|(i, e)| (e.id, i)).collect();
    let mut links = vec![Reversal::None; entries.len()];
    for (i, e) in entries.iter().enumerate() {
        if let crate::domain::EntryKind::Reversal { of } = e.kind
            && let Some(&o) = at.get(&of)
        {
            links[i] = Reversal::Of(o);
            links[o] = Reversal::ReversedBy(i);
        }
    }
    links
}

/// The words a filter finds due records by: `/待办` or `/todo`.
pub const DUE_MARK: &str = "待办 todo";

fn due(yes: bool) -> &'static str {
    if yes { DUE_MARK } else { "" }
}

/// What the filter matches a trainee by; records whose next step is due
/// carry words the filter finds them by.
pub fn trainee_key(t: &Trainee, today: NaiveDate) -> SearchKey {
    SearchKey::new(&[
        &t.name,
        &t.home_school,
        &t.district,
        // `/已退出` and `/withdrawn` alike, whatever the interface speaks.
        t.stage.label(crate::i18n::Lang::Zh),
        t.stage.label(crate::i18n::Lang::En),
        due(crate::domain::pipeline::is_due(t, today)),
    ])
}

impl Workspace {
    pub fn trainee_keys(&self) -> &[SearchKey] {
        self.trainee_keys.get_or_init(|| {
            self.trainees
                .iter()
                .map(|t| trainee_key(t, self.today))
                .collect()
        })
    }

    pub fn entry_keys(&self) -> &[SearchKey] {
        self.entry_keys.get_or_init(|| {
            self.entries
                .iter()
                .map(|e| SearchKey::new(&[&e.category, &e.payee, &e.voucher, &e.note]))
                .collect()
        })
    }
}

pub fn workspace(r: &Reader<'_>, project: ProjectId) -> Result<Workspace, StoreError> {
    let today = r.today();
    let mut w = Workspace {
        project,
        year: today.year(),
        trainees: Vec::new(),
        trainee_keys: OnceCell::new(),
        today,
        coaches: Vec::new(),
        coach_keys: Vec::new(),
        schools: Vec::new(),
        school_keys: Vec::new(),
        ledger_read: false,
        ledger_count: 0,
        accounts: Vec::new(),
        entries: Vec::new(),
        entry_links: Vec::new(),
        entry_keys: OnceCell::new(),
        cycles: Vec::new(),
        cycle_keys: Vec::new(),
        budget: Vec::new(),
        monthly: [Money(0); 12],
        sessions: Vec::new(),
        session_keys: Vec::new(),
        classes: Vec::new(),
    };
    // The trainees (17,000 in a province group) are read on a thread of
    // their own while this one reads everything else but the calendar,
    // which needs them: opening a group is the two at once.
    let trainees = std::thread::scope(|scope| {
        let trainees = scope.spawn(|| r.trainees(project));
        read_coaches(r, &mut w, today)?;
        read_schools(r, &mut w)?;
        read_cycles(r, &mut w)?;
        count_ledger(r, &mut w)?;
        read_sessions(r, &mut w)?;
        match trainees.join() {
            Ok(trainees) => trainees,
            Err(panic) => std::panic::resume_unwind(panic),
        }
    })?;
    w.trainees = trainees;
    calendar::count_expected(&mut w.sessions, &w.trainees, w.today);
    Ok(w)
}

/// The group's classes and sessions (after its coaches and schools, whose
/// names the sessions show, and its trainees, whom whole-group sessions
/// expect).
pub fn read_calendar(r: &Reader<'_>, w: &mut Workspace) -> Result<(), StoreError> {
    read_sessions(r, w)?;
    calendar::count_expected(&mut w.sessions, &w.trainees, w.today);
    Ok(())
}

/// The calendar but what whole-group sessions expect (`count_expected`),
/// which needs the trainees: read while they are.
fn read_sessions(r: &Reader<'_>, w: &mut Workspace) -> Result<(), StoreError> {
    w.classes = r.classes(w.project)?;
    let schools: Vec<(u64, String)> = w
        .schools
        .iter()
        .map(|s| (s.id, s.application.name.clone()))
        .collect();
    let coaches: std::collections::HashMap<u64, String> = w
        .coaches
        .iter()
        .map(|c| (c.coach.id, c.person.name.clone()))
        .collect();
    let (rows, keys) = calendar::read(r, &schools, &coaches, &w.classes, w.project, w.today)?;
    w.sessions = rows;
    w.session_keys = keys;
    Ok(())
}

/// The group's appointments with their people, and their filter keys.
pub fn read_coaches(r: &Reader<'_>, w: &mut Workspace, today: NaiveDate) -> Result<(), StoreError> {
    let mut coaches = Vec::new();
    for c in r.coaches(w.project)? {
        if let Some(person) = r.person(c.person_id)? {
            let shortfalls =
                crate::domain::coach::qualification_shortfalls(&person, c.role, c.project, today)
                    .len();
            coaches.push(AppointedCoach {
                coach: c,
                person,
                shortfalls,
            });
        }
    }
    w.coach_keys = coaches
        .iter()
        .map(|c| {
            let pending = matches!(
                c.coach.stage,
                CoachStage::Nominated | CoachStage::Announced | CoachStage::Filed
            );
            let ending = c.coach.stage == CoachStage::Active
                && (c.coach.term_end - today).num_days() <= TERM_ALERT_DAYS;
            let stage = c.coach.stage;
            SearchKey::new(&[
                &c.person.name,
                &c.person.school,
                stage.label(crate::i18n::Lang::Zh),
                stage.label(crate::i18n::Lang::En),
                due(pending || ending),
            ])
        })
        .collect();
    w.coaches = coaches;
    Ok(())
}

/// The base schools that applied to serve the group.
pub fn read_schools(r: &Reader<'_>, w: &mut Workspace) -> Result<(), StoreError> {
    let project = w.project;
    w.schools = r
        .schools()?
        .into_iter()
        .filter(|s| s.application.projects.contains(&project))
        .collect();
    w.school_keys = w
        .schools
        .iter()
        .map(|s| {
            SearchKey::new(&[
                &s.application.name,
                &s.application.district,
                &s.application.principal,
                s.stage.label(crate::i18n::Lang::Zh),
                s.stage.label(crate::i18n::Lang::En),
                due(s.stage == crate::domain::SchoolStage::Applied),
            ])
        })
        .collect();
    Ok(())
}

/// The group's annual plans, newest first.
pub fn read_cycles(r: &Reader<'_>, w: &mut Workspace) -> Result<(), StoreError> {
    let project = w.project;
    let mut cycles: Vec<AnnualCycle> = r
        .cycles()
        .collect::<Result<Vec<_>, _>>()?
        .into_iter()
        .filter(|c| c.project == project)
        .collect();
    cycles.sort_by_key(|c| std::cmp::Reverse(c.year));
    w.cycle_keys = cycles
        .iter()
        .map(|c| SearchKey::new(&[&c.year.to_string(), &c.goals]))
        .collect();
    w.cycles = cycles;
    Ok(())
}

/// The group's accounts (and its base schools'), this year's entries, and
/// the daily fund's budget against actual and monthly spending. Reads the
/// schools and plans already in `w`.
/// The group's accounts the ledger tab shows, with their balances: this
/// year's and last year's daily and reward funds (last year's only if used)
/// and this year's base funds of the schools serving it.
fn ledger_accounts(
    r: &Reader<'_>,
    w: &Workspace,
) -> Result<Vec<(Account, Option<String>, crate::domain::Balance)>, StoreError> {
    let (project, year) = (w.project, w.year);
    let mut wanted: Vec<(Account, Option<String>)> = vec![
        (Account::daily(project, year), None),
        (Account::reward(project, year), None),
        (Account::daily(project, year - 1), None),
        (Account::reward(project, year - 1), None),
    ];
    for s in w.schools.iter().filter(|s| s.serves(project)) {
        wanted.push((Account::base(s.id, year), Some(s.application.name.clone())));
    }
    let mut out = Vec::new();
    for (account, school) in wanted {
        let b = r.balance(&account)?;
        if b.entries == 0 && account.year != year {
            continue;
        }
        out.push((account, school, b));
    }
    Ok(out)
}

/// How many entries the ledger tab will list, from the balances alone.
pub fn count_ledger(r: &Reader<'_>, w: &mut Workspace) -> Result<(), StoreError> {
    w.ledger_count = ledger_accounts(r, w)?
        .iter()
        .filter(|(a, _, _)| a.year == w.year)
        .map(|(_, _, b)| b.entries as usize)
        .sum();
    Ok(())
}

/// The ledger tab's accounts, this year's entries, the daily fund's budget
/// against actual and its monthly spending.
pub fn read_ledger(r: &Reader<'_>, w: &mut Workspace) -> Result<(), StoreError> {
    let (project, year) = (w.project, w.year);
    let mut accounts = Vec::new();
    let mut entries = Vec::new();
    for (account, school, b) in ledger_accounts(r, w)? {
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
    w.entry_keys = OnceCell::new();
    let daily = Account::daily(project, year);
    let daily_entries: Vec<&Entry> = entries.iter().filter(|e| e.account == daily).collect();
    let planned = w
        .cycles
        .iter()
        .find(|c| c.year == year)
        .map(|c| c.budget.clone())
        .unwrap_or_default();
    w.budget = crate::domain::budget_against_actual(&planned, &daily_entries);
    w.monthly = crate::domain::monthly_spending(&daily_entries);
    w.accounts = accounts;
    w.entry_links = reversals(&entries);
    w.ledger_count = entries.len();
    w.entries = entries;
    w.ledger_read = true;
    Ok(())
}

/// An account as a person names it: `数学组 日常培养经费 2026`, a base
/// school's by its name (`school`, when known).
pub fn account_label(account: &Account, school: Option<&str>, lang: crate::i18n::Lang) -> String {
    let holder = match (account.holder, school) {
        (Holder::Project(p), _) => p.group_name(lang),
        (Holder::School(_), Some(name)) => name.to_string(),
        (Holder::School(id), None) => {
            format!("{} {id}", super::strings::L::BaseSchools.get(lang))
        }
    };
    format!("{holder} {} {}", account.fund.label(lang), account.year)
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

pub fn ledger_overview(r: &Reader<'_>, year: i32) -> Result<LedgerOverview, StoreError> {
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
    /// A trainee's prizes and admissions, oldest first.
    pub achievements: Vec<crate::domain::achievement::Achievement>,
    /// A trainee's attendance this semester, and the group's threshold.
    pub attendance: Option<(
        crate::domain::Semester,
        crate::domain::training::AttendanceRate,
        u8,
    )>,
    /// The class a trainee is in now.
    pub class: Option<String>,
    /// A session's marks so far, by kind (present, late, excused, absent).
    pub marks: Option<[u32; 4]>,
    /// A trainee's stages recorded late (补录), with both dates.
    pub late: Vec<crate::registry::late::LateStage>,
}

pub fn detail(r: &Reader<'_>, kind: RecordKind, id: u64) -> Result<Detail, StoreError> {
    let audit = r.history(kind, id)?;
    let (assessments, achievements) = if kind == RecordKind::Trainee {
        (r.assessments_of(id)?, r.achievements_of(id)?)
    } else {
        (Vec::new(), Vec::new())
    };
    let mut late = Vec::new();
    let (attendance, class) = match (kind, r.trainee(id)?) {
        (RecordKind::Trainee, Some(t)) => {
            late = crate::registry::late::late_stages(&t, &audit);
            let semester = crate::domain::Semester::containing(r.today());
            let rate = r.attendance_rate(&t, semester)?;
            let threshold = r.attendance_threshold(t.project)?;
            let class = r
                .classes(t.project)?
                .into_iter()
                .find(|c| c.has_now(t.id))
                .map(|c| c.name);
            (
                (rate.counted() > 0).then_some((semester, rate, threshold)),
                class,
            )
        }
        _ => (None, None),
    };
    let session = match kind {
        RecordKind::Session => r.session(id)?,
        _ => None,
    };
    let marks = if let Some(s) = &session {
        let mut counts = [0u32; 4];
        for a in r.marks(s)? {
            let i = crate::domain::training::Mark::ALL
                .iter()
                .position(|m| *m == a.mark)
                .unwrap_or(0);
            counts[i] += 1;
        }
        Some(counts).filter(|c| c.iter().any(|n| *n > 0))
    } else {
        None
    };
    Ok(Detail {
        kind: Some((kind, id)),
        audit,
        assessments,
        achievements,
        attendance,
        class,
        marks,
        late,
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
    SortValue::Text(crate::domain::text::pinyin_key(s))
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
    /// What it changed, by kind and name: `学员 陈磊杰`.
    pub record: String,
    /// What it did, an undo naming what it took back: `撤销：办理退出培养`.
    pub action: String,
    /// The command's fields, `name: value`, without ids and versions.
    pub change: Vec<(String, String)>,
    /// The same fields of the record as it was before, where it existed.
    pub before: Vec<(String, String)>,
}

/// The newest audit entries, newest first, in `lang`.
pub fn audit_log(r: &Reader<'_>, lang: Lang) -> Result<Vec<AuditLine>, StoreError> {
    audit_since(r, None, lang)
}

/// The audit entries newer than `after` (all of the newest when `None`),
/// newest first.
pub fn audit_since(
    r: &Reader<'_>,
    after: Option<u64>,
    lang: Lang,
) -> Result<Vec<AuditLine>, StoreError> {
    let mut names = audit::Names::default();
    let mut out = Vec::new();
    for entry in r.audit_newest_first().take(AUDIT_SHOWN) {
        let entry = entry?;
        if after.is_some_and(|id| entry.id <= id) {
            break;
        }
        let at = crate::registry::shanghai(entry.at)
            .format("%Y-%m-%d %H:%M")
            .to_string();
        let (change, before) = audit::change_fields(r, &mut names, &entry, lang)?;
        let record = audit::record_text(r, &mut names, &entry, lang)?;
        // A stage recorded well after its date says both dates.
        let mut action = entry.command.describe(lang);
        if let Some(late) = crate::registry::late::late_entry(&entry) {
            action = format!("{action} {}", late.dates(lang));
        }
        out.push(AuditLine {
            action,
            record,
            entry,
            at,
            change,
            before,
        });
    }
    Ok(out)
}
