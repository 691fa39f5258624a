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
        // The audit trail is by far the largest tree (every command ever, as
        // JSON): it is read and decoded on a thread of its own while the
        // records are checked, which halves a province database's check on
        // two cores.
        let store = self.store();
        std::thread::scope(|scope| {
            let audit = scope.spawn(|| audit_trail(store));
            self.check_with(lang, audit)
        })
    }

    fn check_with(
        &self,
        lang: Lang,
        audit: std::thread::ScopedJoinHandle<'_, Result<AuditScan, StoreError>>,
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

        let index = store.tree(Tree::Index);
        // Each posting-list index is rebuilt here from the records and then
        // compared with the stored one, list by list.
        let mut expected: HashMap<u8, Lists> = HashMap::new();
        let mut expect = |kind: u8, list: &[u8], id: u64| {
            expected
                .entry(kind)
                .or_default()
                .entry(list.to_vec())
                .or_default()
                .push(id);
        };

        // Trainees, their index, and the seats they hold.
        let mut seats: HashMap<ProjectId, (u32, u32)> = HashMap::new();
        let mut trainees: HashMap<u64, (ProjectId, TraineeStage)> = HashMap::new();
        let mut objections: HashMap<ProjectId, u32> = HashMap::new();
        let mut records: HashMap<u64, Trainee> = HashMap::new();
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
            // Kept for the classes' check, moved rather than copied: a
            // province database has 100,000 trainees.
            records.insert(t.id, t);
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

        // Assessments: one per trainee and semester, only of enrolled trainees.
        let mut seen: HashSet<(u64, u16)> = HashSet::new();
        let mut by_trainee: HashMap<Vec<u8>, Vec<(u16, u64)>> = HashMap::new();
        let mut assessment_count = 0;
        for a in store.values::<Assessment>(Tree::Assessments) {
            let a = a?;
            assessment_count += 1;
            if !seen.insert((a.trainee_id, a.semester.code())) {
                f.add(
                    format!("学员 {} 在同一学期有两条考核结果", a.trainee_id),
                    format!("trainee {} has two results for one semester", a.trainee_id),
                );
            }
            match trainees.get(&a.trainee_id) {
                None => f.add(
                    format!("考核结果 {} 指向不存在的学员", a.id),
                    format!("assessment {} names a missing trainee", a.id),
                ),
                Some((p, _)) if *p != a.project => f.add(
                    format!("考核结果 {} 的项目组与学员不符", a.id),
                    format!("assessment {} is filed under the wrong group", a.id),
                ),
                _ => {}
            }
            expect(
                ix::ASSESSMENTS_OF_SEMESTER,
                &keys::assessments_of_semester(a.project, a.semester),
                a.id,
            );
            by_trainee
                .entry(keys::assessments_of_trainee(a.trainee_id))
                .or_default()
                .push((a.semester.code(), a.id));
        }
        // The per-trainee results are a map, not a posting list.
        for kv in index.scan_prefix([ix::ASSESSMENTS_OF_TRAINEE]) {
            let (k, v) = kv?;
            let mut stored = keys::semester_results(&v);
            stored.sort_unstable();
            let mut recomputed = by_trainee.remove(k.as_ref()).unwrap_or_default();
            recomputed.sort_unstable();
            if stored != recomputed || v.len() % 10 != 0 {
                let trainee = k.get(1..).and_then(keys::read_id).unwrap_or_default();
                f.add(
                    format!("学员 {trainee} 的考核索引与考核结果不符"),
                    format!("trainee {trainee}: the results index differs from the results"),
                );
            }
        }
        for k in by_trainee.keys() {
            let trainee = k.get(1..).and_then(keys::read_id).unwrap_or_default();
            f.add(
                format!("学员 {trainee} 的考核结果缺少索引"),
                format!("trainee {trainee}: results missing from the index"),
            );
        }

        // Ledger: recompute every account's totals from its entries.
        let mut totals: BTreeMap<Vec<u8>, (Account, Balance)> = BTreeMap::new();
        let mut kinds: HashMap<u64, (EntryKind, Vec<u8>)> = HashMap::new();
        let mut amounts: HashMap<u64, i64> = HashMap::new();
        let mut reversals: Vec<(u64, u64, Vec<u8>)> = Vec::new();
        let mut overflowed: std::collections::BTreeSet<Vec<u8>> = Default::default();
        let mut entry_count = 0;
        for e in store.journal::<Entry>(Tree::Entries) {
            let e = e?;
            entry_count += 1;
            let key = keys::account(&e.account).to_vec();
            expect(
                ix::ENTRIES_OF_ACCOUNT,
                &keys::entries_of_account(&e.account),
                e.id,
            );
            kinds.insert(e.id, (e.kind, key.clone()));
            amounts.insert(e.id, e.amount.0);
            if let EntryKind::Reversal { of } = e.kind {
                reversals.push((e.id, of, key.clone()));
            }
            entry_sense(&mut f, &e);
            let slot = totals
                .entry(key.clone())
                .or_insert((e.account, Balance::default()));
            let b = &mut slot.1;
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
                None => {
                    overflowed.insert(key);
                }
            }
        }
        for (id, of, key) in &reversals {
            let Some((kind, original_key)) = kinds.get(of) else {
                f.add(
                    format!("冲销 {id} 指向不存在的记录 {of}"),
                    format!("reversal {id} names a missing entry {of}"),
                );
                continue;
            };
            if original_key != key {
                f.add(
                    format!("冲销 {id} 与原记录不在同一账户"),
                    format!("reversal {id} is in another account than entry {of}"),
                );
            }
            if index
                .get(keys::reversal_of(*of))?
                .as_deref()
                .and_then(keys::read_id)
                != Some(*id)
            {
                f.add(
                    format!("记录 {of} 的冲销索引不符"),
                    format!("reversal index of entry {of} is wrong"),
                );
            }
            let amount = Money(amounts.get(id).copied().unwrap_or_default());
            if let Some((_, b)) = totals.get_mut(key) {
                let sum = match kind {
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
                match sum.checked_sub(amount) {
                    Some(m) => *sum = m,
                    None => {
                        overflowed.insert(key.clone());
                    }
                }
            }
        }
        for key in &overflowed {
            if let Some((account, _)) = totals.get(key) {
                let label = account_label(account, lang);
                f.add(
                    format!("{label} 的台账合计溢出（超出可表示的金额）"),
                    format!("{label}: the sum of its entries overflows"),
                );
            }
        }
        let stored: Vec<(Account, Balance)> = self.balances()?;
        overflowing_totals(&mut f, &stored);
        if stored.len() != totals.len() {
            f.add(
                format!(
                    "余额表有 {} 个账户，台账有 {} 个",
                    stored.len(),
                    totals.len()
                ),
                format!(
                    "{} stored balances for {} accounts with entries",
                    stored.len(),
                    totals.len()
                ),
            );
        }
        for (account, b) in &stored {
            let label = account_label(account, lang);
            match totals.get(keys::account(account).as_slice()) {
                Some((_, computed)) if computed == b => {}
                Some((_, computed)) => f.add(
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
                ),
                None => f.add(
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

        // Training (schema 5): sessions, classes against enrolment,
        // attendance against the rosters.
        let training = self.check_training(&mut f, &records, &mut expect)?;

        let scan = audit
            .join()
            .map_err(|_| StoreError::Sled("the audit trail's check stopped".into()))??;
        for (zh, en) in scan.damage {
            f.damage(zh, en);
        }
        let audit_count = scan.count;
        expected.insert(ix::HISTORY_OF_RECORD, scan.histories);

        for (kind, zh, en) in [
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
        ] {
            let stored = store.all_postings(kind)?;
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
                ("考核结果", "assessments", assessment_count),
                ("台账记录", "ledger entries", entry_count),
                ("账户", "accounts", stored.len()),
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
        trainees: &HashMap<u64, Trainee>,
        expect: &mut impl FnMut(u8, &[u8], u64),
    ) -> Result<TrainingCounts, StoreError> {
        use crate::domain::training::{
            Attendance, Class, Development, GroupSettings, Session, SessionStatus,
        };
        let store = self.store();
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
                match trainees.get(&t) {
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
            match trainees.get(&a.trainee) {
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
