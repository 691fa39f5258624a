//! `qiangji check`: recomputes every invariant, index, counter and running
//! balance from the records themselves and lists what does not hold.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::coaches::MAX_COACHES;
use super::{GroupCounts, Registry};
use crate::domain::trainee::{REQUIRED_RECOMMENDERS, STUDENT_SEATS};
use crate::domain::{
    Account, Assessment, Balance, Coach, CoachRole, CoachStage, Entry, EntryKind, Fund, Money,
    ProjectId, Trainee, TraineeKind, TraineeStage, dates,
};
use crate::i18n::{Lang, Localized};
use crate::store::keys::ix;
use crate::store::{StoreError, Tree, codec, keys};

#[derive(Debug, Default)]
pub struct CheckReport {
    /// Records counted per kind, for the summary.
    pub counts: Vec<(&'static str, &'static str, usize)>,
    pub violations: Vec<String>,
    /// How many of the violations are storage damage (a value that does not
    /// decode) rather than records that break a rule: `qiangji check` exits
    /// 2 for those, like a database that cannot be opened.
    pub damaged: usize,
}

impl CheckReport {
    pub fn ok(&self) -> bool {
        self.violations.is_empty()
    }
}

struct Findings {
    lang: Lang,
    list: Vec<String>,
    damaged: usize,
}

impl Findings {
    fn damage(&mut self, zh: String, en: String) {
        self.damaged += 1;
        self.add(zh, en);
    }

    fn add(&mut self, zh: String, en: String) {
        self.list.push(match self.lang {
            Lang::Zh => zh,
            Lang::En => en,
        });
    }
}

impl Registry {
    pub fn check(&self, lang: Lang) -> Result<CheckReport, StoreError> {
        // The audit trail (every command ever, as JSON), the ledger, the
        // assessment results and the stored indexes are each read on a
        // thread of their own while the trainees and the rest are checked
        // here: on a province database (2 million audit entries, a million
        // ledger entries, half a million results) no one of them is more
        // than half the work, so two cores are both kept busy to the end.
        let store = self.store();
        std::thread::scope(|scope| {
            let audit = scope.spawn(|| audit_trail(store));
            let ledger = scope.spawn(|| self.check_ledger(lang));
            let results = scope.spawn(|| check_results(store, lang));
            let postings = scope.spawn(|| {
                POSTING_LISTS
                    .iter()
                    .map(|(kind, ..)| store.all_postings(*kind))
                    .collect()
            });
            self.check_with(lang, audit, ledger, results, postings)
        })
    }

    fn check_with(
        &self,
        lang: Lang,
        audit: std::thread::ScopedJoinHandle<'_, Result<AuditScan, StoreError>>,
        ledger: std::thread::ScopedJoinHandle<'_, Result<LedgerCheck, StoreError>>,
        results: std::thread::ScopedJoinHandle<'_, Result<ResultsCheck, StoreError>>,
        postings: std::thread::ScopedJoinHandle<'_, Result<Vec<Lists>, StoreError>>,
    ) -> Result<CheckReport, StoreError> {
        let mut f = Findings {
            lang,
            list: Vec::new(),
            damaged: 0,
        };
        let store = self.store();

        // Every value of every tree must decode.
        for (tree, name) in [
            (Tree::Users, "users"),
            (Tree::People, "people"),
            (Tree::Schools, "schools"),
            (Tree::Cycles, "cycles"),
            (Tree::Achievements, "achievements"),
            (Tree::Counters, "counters"),
            (Tree::Balances, "balances"),
        ] {
            for kv in store.raw(tree) {
                let (k, v) = kv?;
                let ok = match tree {
                    Tree::Users => codec::decode::<crate::domain::User>(&v).is_ok(),
                    Tree::People => codec::decode::<crate::domain::Person>(&v).is_ok(),
                    Tree::Schools => codec::decode::<crate::domain::BaseSchool>(&v).is_ok(),
                    Tree::Cycles => codec::decode::<crate::domain::AnnualCycle>(&v).is_ok(),
                    Tree::Achievements => {
                        codec::decode::<crate::domain::achievement::Achievement>(&v).is_ok()
                    }
                    Tree::Counters => codec::decode::<GroupCounts>(&v).is_ok(),
                    _ => codec::decode::<Balance>(&v).is_ok(),
                };
                if !ok {
                    f.damage(
                        format!("{name} 中键 {k:?} 的记录无法读取"),
                        format!("undecodable record in {name} at key {k:?}"),
                    );
                }
            }
        }

        // Each posting-list index is rebuilt here from the records and then
        // compared with the stored one, list by list.
        let mut expected: HashMap<u8, Lists> = HashMap::new();
        // A list's key is copied only the first time it is met: there are
        // a million ledger entries and half a million results.
        let mut expect = |kind: u8, list: &[u8], id: u64| {
            let lists = expected.entry(kind).or_default();
            match lists.get_mut(list) {
                Some(ids) => ids.push(id),
                None => {
                    lists.insert(list.to_vec(), vec![id]);
                }
            }
        };

        // Trainees, their index, and the seats they hold.
        let mut seats: HashMap<ProjectId, (u32, u32)> = HashMap::new();
        let mut trainees: HashMap<u64, (ProjectId, TraineeStage)> = HashMap::new();
        let mut objections: HashMap<ProjectId, u32> = HashMap::new();
        for t in store.values::<Trainee>(Tree::Trainees) {
            let t = match t {
                Ok(t) => t,
                Err(e) => {
                    f.damage(
                        format!("学员记录无法读取：{}", e.localized(Lang::Zh)),
                        format!("undecodable trainee: {e}"),
                    );
                    continue;
                }
            };
            trainees.insert(t.id, (t.project, t.stage));
            expect(
                ix::TRAINEES_OF_GROUP,
                &keys::trainees_of_group(t.project),
                t.id,
            );
            if t.history.last().map(|c| c.stage) != Some(t.stage) {
                f.add(
                    format!("学员 {} 的阶段与历史不符", t.id),
                    format!("trainee {}: stage differs from its history", t.id),
                );
            }
            let past_recommendation = !matches!(t.stage, TraineeStage::Applied);
            if t.kind == TraineeKind::Student
                && past_recommendation
                && t.recommenders.len() < REQUIRED_RECOMMENDERS
            {
                f.add(
                    format!("学生学员 {} 推荐教师不足 2 名", t.id),
                    format!(
                        "student {} passed recommendation with fewer than 2 recommenders",
                        t.id
                    ),
                );
            }
            if t.stage != TraineeStage::Retracted {
                *objections.entry(t.project).or_default() += t.open_objections() as u32;
            }
            let was_filed = t.stage_date(TraineeStage::Filed);
            if let (Some(filed), Some(a)) = (was_filed, &t.announcement)
                && filed <= a.end()
            {
                f.add(
                    format!("学员 {} 在公示期内备案", t.id),
                    format!("trainee {} filed before the announcement ended", t.id),
                );
            }
            if t.stage == TraineeStage::Enrolled {
                if t.training_mode.is_none() || t.commitment_signed.is_none() {
                    f.add(
                        format!("学员 {} 在培但缺少培养方式或承诺书日期", t.id),
                        format!(
                            "trainee {} enrolled without training mode or commitment letter",
                            t.id
                        ),
                    );
                }
                let e = seats.entry(t.project).or_default();
                match t.kind {
                    TraineeKind::Student => e.0 += 1,
                    TraineeKind::Teacher => e.1 += 1,
                }
            }
            if t.stage == TraineeStage::Withdrawn && t.current_withdrawal().is_none() {
                f.add(
                    format!("学员 {} 已退出但无退出记录", t.id),
                    format!("trainee {} withdrawn without a withdrawal record", t.id),
                );
            }
        }

        // Coaches per group.
        let mut active: HashMap<ProjectId, (Vec<u64>, u32)> = HashMap::new();
        let mut coach_count = 0;
        for c in store.values::<Coach>(Tree::Coaches) {
            let c = c?;
            coach_count += 1;
            expect(
                ix::COACHES_OF_GROUP,
                &keys::coaches_of_group(c.project),
                c.id,
            );
            expect(
                ix::APPOINTMENTS_OF_PERSON,
                &keys::appointments_of_person(c.person_id),
                c.id,
            );
            if self.person(c.person_id)?.is_none() {
                f.add(
                    format!("聘任 {} 指向不存在的人员", c.id),
                    format!("appointment {} names a missing person", c.id),
                );
            }
            if c.stage == CoachStage::Active {
                let e = active.entry(c.project).or_default();
                if c.role == CoachRole::Chief {
                    e.0.push(c.id);
                } else {
                    e.1 += 1;
                }
            }
        }

        for p in ProjectId::ALL {
            let stored = self.counts(p)?;
            let (students, teachers) = seats.get(&p).copied().unwrap_or_default();
            let (chiefs, coaches) = active.get(&p).cloned().unwrap_or_default();
            let name = p.group_name(lang);
            if students as usize > STUDENT_SEATS {
                f.add(
                    format!("{name}在培学生学员 {students} 名，超过 {STUDENT_SEATS} 名"),
                    format!("{name}: {students} enrolled students, over {STUDENT_SEATS}"),
                );
            }
            if chiefs.len() > 1 {
                f.add(
                    format!("{name}有 {} 名在聘首席教练员", chiefs.len()),
                    format!("{name}: {} active chief coaches", chiefs.len()),
                );
            }
            if coaches > MAX_COACHES {
                f.add(
                    format!("{name}在聘教练员 {coaches} 名，超过 {MAX_COACHES} 名"),
                    format!("{name}: {coaches} active coaches, over {MAX_COACHES}"),
                );
            }
            let recomputed = GroupCounts {
                enrolled_students: students,
                enrolled_teachers: teachers,
                active_chief: chiefs.first().copied(),
                active_coaches: coaches,
                open_objections: objections.get(&p).copied().unwrap_or_default(),
            };
            if stored != recomputed {
                f.add(
                    format!("{name}的计数 {stored:?} 与记录重算结果 {recomputed:?} 不符"),
                    format!(
                        "{name}: stored counts {stored:?} differ from recomputed {recomputed:?}"
                    ),
                );
            }
        }

        // Assessments: one per trainee and semester, only of enrolled
        // trainees. Read on their own thread; only the trainees they name
        // are looked up here.
        let results = results
            .join()
            .map_err(|_| StoreError::Sled("the results' check stopped".into()))??;
        for r in &results.list {
            if r.again {
                f.add(
                    format!("学员 {} 在同一学期有两条考核结果", r.trainee),
                    format!("trainee {} has two results for one semester", r.trainee),
                );
            }
            match trainees.get(&r.trainee) {
                None => f.add(
                    format!("考核结果 {} 指向不存在的学员", r.id),
                    format!("assessment {} names a missing trainee", r.id),
                ),
                Some((p, _)) if *p != r.project => f.add(
                    format!("考核结果 {} 的项目组与学员不符", r.id),
                    format!("assessment {} is filed under the wrong group", r.id),
                ),
                _ => {}
            }
        }
        f.list.extend(results.index_findings.list);

        // The ledger, checked on its own thread since the start: its
        // findings come here, in the order the report has always had.
        let ledger = ledger
            .join()
            .map_err(|_| StoreError::Sled("the ledger's check stopped".into()))??;
        f.list.extend(ledger.findings.list);
        f.damaged += ledger.findings.damaged;

        // Training (schema 5): sessions, classes against enrolment,
        // attendance against the rosters.
        let training = self.check_training(&mut f, &mut expect)?;

        let scan = audit
            .join()
            .map_err(|_| StoreError::Sled("the audit trail's check stopped".into()))??;
        for (zh, en) in scan.damage {
            f.damage(zh, en);
        }
        let audit_count = scan.count;
        expected.insert(ix::HISTORY_OF_RECORD, scan.histories);
        expected.insert(ix::ENTRIES_OF_ACCOUNT, ledger.postings);
        expected.insert(ix::ASSESSMENTS_OF_SEMESTER, results.semesters);

        let stored = postings
            .join()
            .map_err(|_| StoreError::Sled("the indexes' reading stopped".into()))??;
        for ((kind, zh, en), stored) in POSTING_LISTS.into_iter().zip(stored) {
            let recomputed = expected.remove(&kind).unwrap_or_default();
            compare_lists(&mut f, &stored, recomputed, zh, en);
        }

        Ok(CheckReport {
            counts: vec![
                ("学员", "trainees", trainees.len()),
                (
                    "在培学生学员",
                    "enrolled students",
                    seats.values().map(|s| s.0 as usize).sum(),
                ),
                ("人员", "people", store.len(Tree::People)),
                ("聘任", "appointments", coach_count),
                ("基地校", "base schools", store.len(Tree::Schools)),
                ("考核结果", "assessments", results.list.len()),
                ("台账记录", "ledger entries", ledger.entries),
                ("账户", "accounts", ledger.accounts),
                ("培养活动", "sessions", training.sessions),
                ("班级", "classes", training.classes),
                ("考勤记录", "attendance marks", training.marks),
                (
                    "教练员培养记录",
                    "development records",
                    training.development,
                ),
                ("审计记录", "audit entries", audit_count),
            ],
            violations: f.list,
            damaged: f.damaged,
        })
    }
}

/// What the training part of `check` counted.
struct TrainingCounts {
    sessions: usize,
    classes: usize,
    marks: usize,
    development: usize,
}

impl Registry {
    fn check_training(
        &self,
        f: &mut Findings,
        expect: &mut impl FnMut(u8, &[u8], u64),
    ) -> Result<TrainingCounts, StoreError> {
        use crate::domain::training::{
            Attendance, Class, Development, GroupSettings, Session, SessionStatus,
        };
        let store = self.store();
        // The trainees that classes and attendance name, read when first
        // named rather than all kept from the trainees' pass: a province
        // database has 100,000 trainees and a few thousand marks. One that
        // does not decode was reported there, and is missing here.
        let mut trainees: HashMap<u64, Option<Trainee>> = HashMap::new();
        let mut trainee = |id: u64| -> Option<Trainee> {
            trainees
                .entry(id)
                .or_insert_with(|| self.trainee(id).ok().flatten())
                .clone()
        };
        let mut counts = TrainingCounts {
            sessions: 0,
            classes: 0,
            marks: 0,
            development: 0,
        };
        for kv in store.raw(Tree::Groups) {
            let (k, v) = kv?;
            if codec::decode::<GroupSettings>(&v).is_err() {
                f.damage(
                    format!("groups 中键 {k:?} 的记录无法读取"),
                    format!("undecodable record in groups at key {k:?}"),
                );
            }
        }
        // Classes: each group's list of classes, and every trainee placed
        // now in training, of the class's group, in one class of it.
        let mut classes: HashMap<u64, Class> = HashMap::new();
        let mut lists: HashMap<ProjectId, Vec<u64>> = HashMap::new();
        for c in store.values::<Class>(Tree::Classes) {
            let c = match c {
                Ok(c) => c,
                Err(e) => {
                    f.damage(
                        format!("班级记录无法读取：{}", e.localized(Lang::Zh)),
                        format!("undecodable class: {e}"),
                    );
                    continue;
                }
            };
            counts.classes += 1;
            lists.entry(c.project).or_default().push(c.id);
            classes.insert(c.id, c);
        }
        let mut placed: HashMap<(ProjectId, u64), u64> = HashMap::new();
        let mut ids: Vec<&u64> = classes.keys().collect();
        ids.sort();
        for id in ids {
            let c = &classes[id];
            for t in c.current() {
                match trainee(t) {
                    None => f.add(
                        format!("班级 {} 含不存在的学员 {t}", c.name),
                        format!("class {} lists a missing trainee {t}", c.name),
                    ),
                    Some(r) if r.project != c.project || r.stage != TraineeStage::Enrolled => f
                        .add(
                            format!("班级 {} 的学员 {} 不是本项目组在培学员", c.name, r.name),
                            format!(
                                "class {}: {} is not an enrolled trainee of its group",
                                c.name, r.name
                            ),
                        ),
                    Some(_) => {}
                }
                if let Some(other) = placed.insert((c.project, t), c.id) {
                    f.add(
                        format!("学员 {t} 同时在两个班级（{other} 与 {}）", c.id),
                        format!("trainee {t} is in two classes ({other} and {})", c.id),
                    );
                }
            }
        }
        for p in ProjectId::ALL {
            let stored: Vec<u64> = store
                .tree(Tree::Index)
                .get(keys::classes_of_group(p))?
                .map(|v| v.chunks_exact(8).filter_map(keys::read_id).collect())
                .unwrap_or_default();
            let mut recomputed = lists.remove(&p).unwrap_or_default();
            recomputed.sort_unstable();
            let mut sorted = stored.clone();
            sorted.sort_unstable();
            if sorted != recomputed {
                f.add(
                    format!("{}的班级索引与班级记录不符", p.group_name(Lang::Zh)),
                    format!(
                        "{}: the classes index differs from the classes",
                        p.group_name(Lang::En)
                    ),
                );
            }
        }
        // Sessions.
        let mut sessions: HashMap<u64, Session> = HashMap::new();
        for s in store.values::<Session>(Tree::Sessions) {
            let s = match s {
                Ok(s) => s,
                Err(e) => {
                    f.damage(
                        format!("培养活动记录无法读取：{}", e.localized(Lang::Zh)),
                        format!("undecodable session: {e}"),
                    );
                    continue;
                }
            };
            counts.sessions += 1;
            expect(
                ix::SESSIONS_OF_GROUP,
                &keys::sessions_of_group(s.project),
                s.id,
            );
            if s.start >= s.end {
                f.add(
                    format!("培养活动 {} 的结束时间不晚于开始时间", s.id),
                    format!("session {} ends before it starts", s.id),
                );
            }
            if let Some(c) = s.class
                && classes.get(&c).is_none_or(|c| c.project != s.project)
            {
                f.add(
                    format!("培养活动 {} 指向不存在或其他项目组的班级 {c}", s.id),
                    format!(
                        "session {} names a missing class or one of another group ({c})",
                        s.id
                    ),
                );
            }
            sessions.insert(s.id, s);
        }
        // Attendance: each mark at a held session, of a trainee of its group
        // who was in training that day.
        for a in store.values::<Attendance>(Tree::Attendance) {
            let a = match a {
                Ok(a) => a,
                Err(e) => {
                    f.damage(
                        format!("考勤记录无法读取：{}", e.localized(Lang::Zh)),
                        format!("undecodable attendance mark: {e}"),
                    );
                    continue;
                }
            };
            counts.marks += 1;
            let Some(s) = sessions.get(&a.session) else {
                f.add(
                    format!("考勤记录指向不存在的培养活动 {}", a.session),
                    format!("an attendance mark names a missing session {}", a.session),
                );
                continue;
            };
            if s.status != SessionStatus::Held {
                f.add(
                    format!(
                        "培养活动 {}（{}）未举行却有考勤",
                        s.id,
                        s.status.label(Lang::Zh)
                    ),
                    format!(
                        "session {} is {} but has attendance",
                        s.id,
                        s.status.label(Lang::En)
                    ),
                );
            }
            match trainee(a.trainee) {
                None => f.add(
                    format!("培养活动 {} 的考勤指向不存在的学员 {}", s.id, a.trainee),
                    format!(
                        "session {}: a mark names a missing trainee {}",
                        s.id, a.trainee
                    ),
                ),
                Some(t) if t.project != s.project || a.project != s.project => f.add(
                    format!("培养活动 {} 的考勤含其他项目组学员 {}", s.id, t.name),
                    format!("session {}: {} of another group is marked", s.id, t.name),
                ),
                Some(t) if !t.enrolled_on(s.date) => f.add(
                    format!(
                        "培养活动 {}（{}）的考勤含当日不在培养中的学员 {}",
                        s.id, s.date, t.name
                    ),
                    format!(
                        "session {} ({}): {} was not in training that day",
                        s.id, s.date, t.name
                    ),
                ),
                Some(_) => {}
            }
        }
        for d in store.values::<Development>(Tree::Development) {
            let d = match d {
                Ok(d) => d,
                Err(e) => {
                    f.damage(
                        format!("教练员培养记录无法读取：{}", e.localized(Lang::Zh)),
                        format!("undecodable development record: {e}"),
                    );
                    continue;
                }
            };
            counts.development += 1;
            expect(
                ix::DEVELOPMENT_OF_GROUP,
                &keys::development_of_group(d.project),
                d.id,
            );
            if self.coach(d.coach)?.is_none_or(|c| c.project != d.project) {
                f.add(
                    format!("教练员培养记录 {} 指向不存在或其他项目组的聘任", d.id),
                    format!(
                        "development record {} names a missing appointment or one of another group",
                        d.id
                    ),
                );
            }
        }
        Ok(counts)
    }
}

/// What reading the assessment results found, on their own thread: all but
/// whether the trainees they name exist, which the trainees' pass knows.
struct ResultsCheck {
    /// Every result, in the order read.
    list: Vec<ResultRead>,
    /// The per-trainee results index against the results.
    index_findings: Findings,
    /// Each semester's results, as its posting list should hold them.
    semesters: Lists,
}

struct ResultRead {
    id: u64,
    trainee: u64,
    project: ProjectId,
    /// The trainee already had a result that semester.
    again: bool,
}

fn check_results(store: &crate::store::Store, lang: Lang) -> Result<ResultsCheck, StoreError> {
    let mut seen: HashSet<(u64, u16)> = HashSet::new();
    let mut by_trainee: HashMap<u64, Vec<(u16, u64)>> = HashMap::new();
    let mut semesters: HashMap<(ProjectId, crate::domain::Semester), Vec<u64>> = HashMap::new();
    let mut list = Vec::new();
    for a in store.values::<Assessment>(Tree::Assessments) {
        let a = a?;
        let semester = a.semester.code();
        list.push(ResultRead {
            id: a.id,
            trainee: a.trainee_id,
            project: a.project,
            again: !seen.insert((a.trainee_id, semester)),
        });
        semesters
            .entry((a.project, a.semester))
            .or_default()
            .push(a.id);
        by_trainee
            .entry(a.trainee_id)
            .or_default()
            .push((semester, a.id));
    }
    let mut f = Findings {
        lang,
        list: Vec::new(),
        damaged: 0,
    };
    // The per-trainee results are a map, not a posting list.
    for kv in store
        .tree(Tree::Index)
        .scan_prefix([ix::ASSESSMENTS_OF_TRAINEE])
    {
        let (k, v) = kv?;
        let trainee = k.get(1..).and_then(keys::read_id);
        let mut stored = keys::semester_results(&v);
        stored.sort_unstable();
        let mut recomputed = trainee
            .filter(|t| keys::assessments_of_trainee(*t) == k.as_ref())
            .and_then(|t| by_trainee.remove(&t))
            .unwrap_or_default();
        recomputed.sort_unstable();
        if stored != recomputed || v.len() % 10 != 0 {
            let trainee = trainee.unwrap_or_default();
            f.add(
                format!("学员 {trainee} 的考核索引与考核结果不符"),
                format!("trainee {trainee}: the results index differs from the results"),
            );
        }
    }
    let mut missing: Vec<u64> = by_trainee.into_keys().collect();
    missing.sort_unstable();
    for trainee in missing {
        f.add(
            format!("学员 {trainee} 的考核结果缺少索引"),
            format!("trainee {trainee}: results missing from the index"),
        );
    }
    let semesters = semesters
        .into_iter()
        .map(|((p, semester), ids)| (keys::assessments_of_semester(p, semester), ids))
        .collect();
    Ok(ResultsCheck {
        list,
        index_findings: f,
        semesters,
    })
}

/// What the ledger's check found, on its own thread.
struct LedgerCheck {
    findings: Findings,
    /// Each account's entries, as its posting list should hold them.
    postings: Lists,
    entries: usize,
    accounts: usize,
}

/// One account's entries recomputed: its key, its totals and its entries.
struct Recomputed {
    key: [u8; 14],
    account: Account,
    balance: Balance,
    ids: Vec<u64>,
    overflowed: bool,
}

/// What a reversal needs of the entry it names, kept for every entry in id
/// order (a journal reads oldest first) rather than in maps keyed by id: a
/// province database has a million entries.
#[derive(Clone, Copy)]
struct Posted {
    id: u64,
    kind: EntryKind,
    account: usize,
    amount: Money,
}

impl Registry {
    /// Recomputes every account's totals from its entries and compares
    /// them, the reversals and the entries' index with what is stored.
    fn check_ledger(&self, lang: Lang) -> Result<LedgerCheck, StoreError> {
        let store = self.store();
        let index = store.tree(Tree::Index);
        let mut f = Findings {
            lang,
            list: Vec::new(),
            damaged: 0,
        };
        let mut slots: HashMap<[u8; 14], usize> = HashMap::new();
        let mut accounts: Vec<Recomputed> = Vec::new();
        let mut posted: Vec<Posted> = Vec::new();
        for e in store.journal::<Entry>(Tree::Entries) {
            let e = e?;
            let key = keys::account(&e.account);
            let slot = *slots.entry(key).or_insert_with(|| {
                accounts.push(Recomputed {
                    key,
                    account: e.account,
                    balance: Balance::default(),
                    ids: Vec::new(),
                    overflowed: false,
                });
                accounts.len() - 1
            });
            posted.push(Posted {
                id: e.id,
                kind: e.kind,
                account: slot,
                amount: e.amount,
            });
            entry_sense(&mut f, &e);
            let Some(a) = accounts.get_mut(slot) else {
                continue;
            };
            a.ids.push(e.id);
            let b = &mut a.balance;
            b.entries += 1;
            // Checked sums: an overflow is a finding, never a wrapped total.
            let sum = match e.kind {
                EntryKind::Allocation => {
                    b.live_allocations += 1;
                    &mut b.allocated
                }
                EntryKind::Expense => &mut b.spent,
                EntryKind::Reversal { .. } => continue,
            };
            match sum.checked_add(e.amount) {
                Some(m) => *sum = m,
                None => a.overflowed = true,
            }
        }
        if !posted.is_sorted_by_key(|p| p.id) {
            posted.sort_by_key(|p| p.id);
        }
        let named = |id: u64| {
            posted
                .binary_search_by_key(&id, |p| p.id)
                .ok()
                .and_then(|i| posted.get(i))
        };
        for r in &posted {
            let EntryKind::Reversal { of } = r.kind else {
                continue;
            };
            let id = r.id;
            let Some(original) = named(of) else {
                f.add(
                    format!("冲销 {id} 指向不存在的记录 {of}"),
                    format!("reversal {id} names a missing entry {of}"),
                );
                continue;
            };
            if original.account != r.account {
                f.add(
                    format!("冲销 {id} 与原记录不在同一账户"),
                    format!("reversal {id} is in another account than entry {of}"),
                );
            }
            if index
                .get(keys::reversal_of(of))?
                .as_deref()
                .and_then(keys::read_id)
                != Some(id)
            {
                f.add(
                    format!("记录 {of} 的冲销索引不符"),
                    format!("reversal index of entry {of} is wrong"),
                );
            }
            let Some(a) = accounts.get_mut(r.account) else {
                continue;
            };
            let b = &mut a.balance;
            let sum = match original.kind {
                EntryKind::Allocation => {
                    b.live_allocations = b.live_allocations.saturating_sub(1);
                    &mut b.allocated
                }
                EntryKind::Expense => &mut b.spent,
                EntryKind::Reversal { .. } => {
                    f.add(
                        format!("冲销 {id} 冲销了另一笔冲销"),
                        format!("reversal {id} reverses a reversal"),
                    );
                    continue;
                }
            };
            match sum.checked_sub(r.amount) {
                Some(m) => *sum = m,
                None => a.overflowed = true,
            }
        }
        // In the order of the accounts' keys, as the stored balances are.
        accounts.sort_by_key(|a| a.key);
        for a in accounts.iter().filter(|a| a.overflowed) {
            let label = account_label(&a.account, lang);
            f.add(
                format!("{label} 的台账合计溢出（超出可表示的金额）"),
                format!("{label}: the sum of its entries overflows"),
            );
        }
        let stored: Vec<(Account, Balance)> = self.balances()?;
        overflowing_totals(&mut f, &stored);
        if stored.len() != accounts.len() {
            f.add(
                format!(
                    "余额表有 {} 个账户，台账有 {} 个",
                    stored.len(),
                    accounts.len()
                ),
                format!(
                    "{} stored balances for {} accounts with entries",
                    stored.len(),
                    accounts.len()
                ),
            );
        }
        for (account, b) in &stored {
            let label = account_label(account, lang);
            let key = keys::account(account);
            match accounts.binary_search_by_key(&key, |a| a.key) {
                Ok(i) if accounts.get(i).is_some_and(|a| a.balance == *b) => {}
                Ok(i) => {
                    let computed = accounts.get(i).map(|a| a.balance).unwrap_or_default();
                    f.add(
                        format!(
                            "{label} 的余额 {} 与台账重算 {} 不符",
                            b.balance().display(),
                            computed.balance().display()
                        ),
                        format!(
                            "{label}: running balance {} differs from the entries' {}",
                            b.balance().display(),
                            computed.balance().display()
                        ),
                    )
                }
                Err(_) => f.add(
                    format!("{label} 有余额但无台账记录"),
                    format!("{label}: balance without entries"),
                ),
            }
            if b.checked_balance().is_none() {
                f.add(
                    format!("{label} 的余额溢出"),
                    format!("{label}: the balance overflows"),
                );
            }
            if b.balance().0 < 0 {
                f.add(
                    format!("{label} 余额为负"),
                    format!("{label}: negative balance"),
                );
            }
            if account.fund == Fund::Reward && b.live_allocations > 1 {
                f.add(
                    format!("{label} 奖励经费拨付多于一次"),
                    format!("{label}: reward fund allocated more than once"),
                );
            }
        }
        let entries = posted.len();
        let postings = accounts
            .into_iter()
            .map(|a| (keys::entries_of_account(&a.account), a.ids))
            .collect();
        Ok(LedgerCheck {
            findings: f,
            postings,
            entries,
            accounts: stored.len(),
        })
    }
}

/// One entry's own sense: an amount within the ceiling, a date in its
/// account's year.
fn entry_sense(f: &mut Findings, e: &Entry) {
    if e.amount.fen() <= 0 || !e.amount.within_ceiling() {
        f.add(
            format!(
                "台账记录 {} 的金额 {} 不在 0 至单笔上限 {} 之间",
                e.id,
                e.amount.display(),
                Money::MAX_ENTRY.display()
            ),
            format!(
                "ledger entry {}: amount {} is not between 0 and the ceiling {}",
                e.id,
                e.amount.display(),
                Money::MAX_ENTRY.display()
            ),
        );
    }
    let (from, to) = dates::year_period(e.account.year);
    if !(from..=to).contains(&e.date) {
        f.add(
            format!(
                "台账记录 {} 的日期 {} 不在账户年度 {} 内",
                e.id, e.date, e.account.year
            ),
            format!(
                "ledger entry {}: date {} is outside its account's year {}",
                e.id, e.date, e.account.year
            ),
        );
    }
}

/// The totals `qiangji ledger` prints must fit: each column summed over every
/// account, checked.
fn overflowing_totals(f: &mut Findings, stored: &[(Account, Balance)]) {
    type Column = fn(&Balance) -> Money;
    let columns: [(&str, &str, Column); 3] = [
        ("拨入", "allocated", |b| b.allocated),
        ("支出", "spent", |b| b.spent),
        ("余额", "balance", |b| b.balance()),
    ];
    for (zh, en, column) in columns {
        if Money::checked_sum(stored.iter().map(|(_, b)| column(b))).is_none() {
            f.add(
                format!("全部账户的{zh}合计溢出"),
                format!("the total {en} of all accounts overflows"),
            );
        }
    }
}

/// The posting-list indexes the check rebuilds, with their names in the
/// report. The stored lists are read on a thread of their own meanwhile.
const POSTING_LISTS: [(u8, &str, &str); 8] = [
    (ix::TRAINEES_OF_GROUP, "项目组学员", "group trainees"),
    (ix::COACHES_OF_GROUP, "项目组聘任", "group appointments"),
    (
        ix::APPOINTMENTS_OF_PERSON,
        "人员聘任",
        "appointments per person",
    ),
    (ix::ASSESSMENTS_OF_SEMESTER, "学期考核", "semester results"),
    (ix::ENTRIES_OF_ACCOUNT, "账户台账", "account entries"),
    (ix::HISTORY_OF_RECORD, "记录历史", "record history"),
    (ix::SESSIONS_OF_GROUP, "项目组培养活动", "group sessions"),
    (
        ix::DEVELOPMENT_OF_GROUP,
        "教练员培养记录",
        "coaches' development",
    ),
];

/// Posting lists by list prefix.
type Lists = BTreeMap<Vec<u8>, Vec<u64>>;

/// What reading the whole audit trail found.
struct AuditScan {
    count: usize,
    /// Entries that do not decode, Chinese and English.
    damage: Vec<(String, String)>,
    /// Every record's history as the entries say it should be.
    histories: Lists,
}

fn audit_trail(store: &crate::store::Store) -> Result<AuditScan, StoreError> {
    let mut scan = AuditScan {
        count: 0,
        damage: Vec::new(),
        histories: Lists::new(),
    };
    for entry in store.journal::<AuditHead>(Tree::Audit) {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                scan.damage.push((
                    format!("审计记录无法读取：{}", e.localized(Lang::Zh)),
                    format!("undecodable audit entry: {e}"),
                ));
                continue;
            }
        };
        scan.count += 1;
        if entry.command.0 {
            scan.histories
                .entry(keys::history_of_record(entry.kind.code(), entry.record))
                .or_default()
                .push(entry.id);
        }
    }
    Ok(scan)
}

/// What the check needs of an audit entry: whose history it belongs to and
/// what its command acts as. The command's fields are parsed (the JSON must
/// be whole) but not built: on a province database (2 million entries)
/// building every command was most of `check`'s time.
#[derive(serde::Deserialize)]
struct AuditHead {
    id: u64,
    kind: super::RecordKind,
    record: u64,
    command: Acting,
}

/// Whether the command an entry acts as records a history
/// (`records_history`): an undo acts as the command it wrote
/// (`Command::acting`).
struct Acting(bool);

impl<'de> serde::Deserialize<'de> for Acting {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Acting, D::Error> {
        struct Visitor;
        /// An undo's fields: the command it wrote; the others are skipped.
        #[derive(serde::Deserialize)]
        struct Undo {
            command: Acting,
        }
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Acting;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a command")
            }
            fn visit_str<E: serde::de::Error>(self, name: &str) -> Result<Acting, E> {
                Ok(Acting(acting_records_history(name)))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Acting, A::Error> {
                // Borrowed: a command's name has nothing to unescape.
                let Some(name) = map.next_key::<&'de str>()? else {
                    return Err(serde::de::Error::custom("a command without a name"));
                };
                if name == "Undo" {
                    return Ok(map.next_value::<Undo>()?.command);
                }
                map.next_value::<serde::de::IgnoredAny>()?;
                Ok(Acting(acting_records_history(name)))
            }
        }
        d.deserialize_any(Visitor)
    }
}

/// `records_history` by the name of the command an entry acts as.
fn acting_records_history(name: &str) -> bool {
    !matches!(
        name,
        "AddEntry" | "ReverseEntry" | "RecordAssessment" | "MarkAttendance"
    )
}

/// Reports every id an index lacks and every id it holds that the records do
/// not put there.
fn compare_lists(f: &mut Findings, stored: &Lists, mut recomputed: Lists, zh: &str, en: &str) {
    for ids in recomputed.values_mut() {
        ids.sort_unstable();
    }
    let empty = Vec::new();
    let lists: std::collections::BTreeSet<&Vec<u8>> =
        stored.keys().chain(recomputed.keys()).collect();
    for list in lists {
        let have = stored.get(list).unwrap_or(&empty);
        let want = recomputed.get(list).unwrap_or(&empty);
        if have == want {
            continue;
        }
        for id in want.iter().filter(|id| have.binary_search(id).is_err()) {
            f.add(
                format!("{zh}索引缺少 {id}"),
                format!("{en} index lacks {id}"),
            );
        }
        for id in have.iter().filter(|id| want.binary_search(id).is_err()) {
            f.add(
                format!("{zh}索引列有不属于它的 {id}"),
                format!("{en} index lists {id}, which does not belong there"),
            );
        }
        if have.len() != want.len() && have.iter().all(|id| want.binary_search(id).is_ok()) {
            f.add(
                format!("{zh}索引重复列出记录"),
                format!("{en} index lists a record twice"),
            );
        }
    }
}

pub fn account_label(a: &Account, lang: Lang) -> String {
    match a.holder {
        crate::domain::Holder::Project(p) => {
            format!("{} {} {}", p.group_name(lang), a.year, a.fund.label(lang))
        }
        crate::domain::Holder::School(s) => format!(
            "{} {s} {} {}",
            lang.pick("基地校", "base school"),
            a.year,
            a.fund.label(lang)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::Command;

    /// The ledger's check, on its own thread, still finds what it found:
    /// a stored balance that differs from its entries, a reversal whose
    /// index is lost, and a balance with no entries behind it.
    #[test]
    fn the_ledger_check_finds_a_wrong_balance_a_lost_reversal_and_a_balance_without_entries() {
        let dir = tempfile::tempdir().unwrap();
        let registry = crate::demo::fixed_city(dir.path()).unwrap();
        let expense = registry
            .store()
            .journal::<Entry>(Tree::Entries)
            .map(|e| e.unwrap())
            .find(|e| e.kind == EntryKind::Expense)
            .unwrap();
        registry
            .apply(
                &crate::domain::Actor::local(),
                Command::ReverseEntry {
                    entry: expense.id,
                    date: expense.date,
                    note: "错账".into(),
                },
            )
            .unwrap();
        let clean = registry.check(Lang::En).unwrap();
        assert!(clean.ok(), "{:?}", clean.violations);
        let entries = registry.store().journal::<Entry>(Tree::Entries).count();
        assert!(
            clean
                .counts
                .contains(&("台账记录", "ledger entries", entries))
        );

        let store = registry.store();
        store
            .tree(Tree::Index)
            .remove(keys::reversal_of(expense.id))
            .unwrap();
        let (account, mut balance) = registry.balances().unwrap().remove(0);
        balance.spent = Money(balance.spent.0 + 1);
        store
            .tree(Tree::Balances)
            .insert(keys::account(&account), codec::encode(&balance).unwrap())
            .unwrap();
        let idle = Account::daily(ProjectId::Math, 1999);
        store
            .tree(Tree::Balances)
            .insert(
                keys::account(&idle),
                codec::encode(&Balance::default()).unwrap(),
            )
            .unwrap();

        let report = registry.check(Lang::En).unwrap();
        let said = report.violations.join("\n");
        let accounts = registry.balances().unwrap().len();
        for expected in [
            format!("reversal index of entry {} is wrong", expense.id),
            format!(
                "{}: running balance {}",
                account_label(&account, Lang::En),
                balance.balance().display()
            ),
            format!(
                "{}: balance without entries",
                account_label(&idle, Lang::En)
            ),
            format!("{accounts} stored balances for {} accounts", accounts - 1),
        ] {
            assert!(said.contains(&expected), "{expected:?} not in {said}");
        }
        assert_eq!(report.violations.len(), 4, "{said}");
        assert_eq!(report.damaged, 0);
    }

    /// The head the check reads says what the whole entry says: for every
    /// command of the city demo, and for undos of them.
    #[test]
    fn an_audit_head_acts_as_its_command() {
        let dir = tempfile::tempdir().unwrap();
        let registry = crate::demo::fixed_city(dir.path()).unwrap();
        let mut seen = HashSet::new();
        let mut checked = 0;
        let mut entries: Vec<_> = registry.audit().map(|e| e.unwrap()).collect();
        // A reversal, which the demo does not make.
        let mut reversal = entries[0].clone();
        reversal.command = Command::ReverseEntry {
            entry: 7,
            date: chrono::NaiveDate::MIN,
            note: "错账".into(),
        };
        entries.push(reversal);
        for mut entry in entries {
            let plain = entry.command.clone();
            for command in [
                plain.clone(),
                Command::Undo {
                    of: 1,
                    undone: Box::new(plain.clone()),
                    command: Box::new(plain.clone()),
                },
            ] {
                entry.command = command;
                let json = codec::encode_as(codec::Format::Json, &entry).unwrap();
                let head: AuditHead = codec::decode(&json).unwrap();
                let records = crate::registry::records_history(&entry.command);
                assert_eq!(head.command.0, records, "{:?}", entry.command);
                assert_eq!(
                    (head.id, head.kind, head.record),
                    (entry.id, entry.kind, entry.record)
                );
                let name = serde_json::to_value(entry.command.acting()).unwrap();
                let name = match name {
                    serde_json::Value::Object(m) => m.keys().next().cloned().unwrap(),
                    serde_json::Value::String(s) => s,
                    other => panic!("{other:?}"),
                };
                if !records {
                    seen.insert(name);
                }
                checked += 1;
            }
        }
        // The demo names the commands whose entries stay out of histories.
        for name in [
            "AddEntry",
            "RecordAssessment",
            "MarkAttendance",
            "ReverseEntry",
        ] {
            assert!(seen.contains(name), "{name} in {seen:?}");
        }
        assert!(checked > 1000);
    }
}
