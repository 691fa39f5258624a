//! Crash test: a child process applies commands in a loop and prints the id of
//! each command `apply` acknowledged; the parent kills it with SIGKILL at random
//! moments, over and over on the same database, and after every kill checks
//! that the database opens, that `check` finds nothing wrong, and that every
//! acknowledged record is there.
//!
//! The child is this test binary itself, re-run with `--exact crash::child_writer` and
//! `QIANGJI_CRASH_DB` set; without that variable `child_writer` does nothing.
//! `QIANGJI_CRASH_SEED` replays one run (the parent prints the seed it used).

use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command as Process, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use qiangji::domain::{
    Account, Actor, EntryKind, Gender, Money, Outcome, ProjectId, Score, Semester, Term,
    TraineeKind, TraineeStage, TrainingMode, WithdrawalReason,
};
use qiangji::i18n::Lang;
use qiangji::registry::{
    ApplicationInput, AuditEntry, Command, Movement, RecordKind, Registry, RegistryError,
};
use qiangji::store::{OpenError, Tree};

const DB_ENV: &str = "QIANGJI_CRASH_DB";
const SEED_ENV: &str = "QIANGJI_CRASH_SEED";
/// Kills of a child that is writing.
const ROUNDS: usize = 24;
/// Every this many rounds the child is killed at a random moment after it
/// starts, often while it is still opening (recovering) the database.
const EARLY_KILL_EVERY: usize = 6;
const YEAR: i32 = 2025;
const DISTRICTS: [&str; 4] = ["市南区", "崂山区", "黄岛区", "即墨区"];
/// The child stops on its own after this long, in case the parent died.
const CHILD_LIFETIME: Duration = Duration::from_secs(40);
const READY: &str = "READY";

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

fn seed_from_env(default: u64) -> u64 {
    std::env::var(SEED_ENV)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

/// Opens the database, waiting briefly if the lock is still held (the process
/// that held it has been reaped, but give the kernel a moment).
fn open_retrying(dir: &Path, create: bool) -> Registry {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        match Registry::open(dir, create) {
            Ok(r) => return r,
            Err(OpenError::Locked { .. }) if Instant::now() < deadline => {
                thread::sleep(Duration::from_millis(20));
            }
            Err(e) => panic!("opening {} failed: {e}", dir.display()),
        }
    }
}

// ---------------------------------------------------------------- the child

/// One acknowledged command, as printed by the child:
/// `ACK <what> <record id> <audit id> <detail>`.
#[derive(Clone, Debug)]
enum Ack {
    /// A trainee created (`version` 1) or changed; its version is at least this.
    Trainee { id: u64, audit: u64, version: u32 },
    /// An allocation or expense of `fen`.
    Entry { id: u64, audit: u64, fen: i64 },
    /// A reversal of entry `of`.
    Reversal { id: u64, audit: u64, of: u64 },
    /// A semester result of `trainee`.
    Assessment { id: u64, audit: u64, trainee: u64 },
}

impl Ack {
    fn line(&self) -> String {
        let (id, audit, detail) = match *self {
            Ack::Trainee { id, audit, version } => (id, audit, i64::from(version)),
            Ack::Entry { id, audit, fen } => (id, audit, fen),
            Ack::Reversal { id, audit, of } => (id, audit, of as i64),
            Ack::Assessment { id, audit, trainee } => (id, audit, trainee as i64),
        };
        format!("ACK {} {id} {audit} {detail}", self.kind())
    }

    fn parse(line: &str) -> Option<Ack> {
        let mut w = line.split_whitespace();
        if w.next()? != "ACK" {
            return None;
        }
        let what = w.next()?;
        let id: u64 = w.next()?.parse().ok()?;
        let audit: u64 = w.next()?.parse().ok()?;
        let detail = w.next()?;
        if w.next().is_some() {
            return None;
        }
        Some(match what {
            "trainee" => Ack::Trainee {
                id,
                audit,
                version: detail.parse().ok()?,
            },
            "entry" => Ack::Entry {
                id,
                audit,
                fen: detail.parse().ok()?,
            },
            "reversal" => Ack::Reversal {
                id,
                audit,
                of: detail.parse().ok()?,
            },
            "assessment" => Ack::Assessment {
                id,
                audit,
                trainee: detail.parse().ok()?,
            },
            _ => return None,
        })
    }

    fn kind(&self) -> &'static str {
        match self {
            Ack::Trainee { .. } => "trainee",
            Ack::Entry { .. } => "entry",
            Ack::Reversal { .. } => "reversal",
            Ack::Assessment { .. } => "assessment",
        }
    }

    fn audit(&self) -> u64 {
        match self {
            Ack::Trainee { audit, .. }
            | Ack::Entry { audit, .. }
            | Ack::Reversal { audit, .. }
            | Ack::Assessment { audit, .. } => *audit,
        }
    }

    /// The record id, for commands that create a record.
    fn created(&self) -> Option<u64> {
        match self {
            Ack::Trainee { version: 1, id, .. }
            | Ack::Entry { id, .. }
            | Ack::Reversal { id, .. }
            | Ack::Assessment { id, .. } => Some(*id),
            Ack::Trainee { .. } => None,
        }
    }
}

/// What the child applies next, and what it prints once `apply` returned Ok.
struct Next {
    command: Command,
    ack: fn(u64, u64, &Command, u32) -> Ack,
    /// The version of the trainee the command changes (0 for new records).
    version: u32,
}

fn next_command(
    registry: &Registry,
    rng: &mut ChaCha8Rng,
    trainees: &[u64],
    focus: Option<u64>,
    entries: &[u64],
    n: u64,
) -> Option<Next> {
    let project = ProjectId::ALL[rng.random_range(0..ProjectId::ALL.len())];
    let roll = rng.random_range(0..100);
    if roll < 30 || (roll < 55 && trainees.is_empty()) {
        let kind = if rng.random_bool(0.85) {
            TraineeKind::Student
        } else {
            TraineeKind::Teacher
        };
        let input = ApplicationInput {
            kind,
            name: format!("学员{n}"),
            gender: if rng.random_bool(0.5) {
                Gender::Female
            } else {
                Gender::Male
            },
            home_school: "青岛第二中学".into(),
            district: DISTRICTS[rng.random_range(0..DISTRICTS.len())].into(),
            grade: "高一".into(),
            phone: format!("1380000{:04}", n % 10_000),
            project,
            date: date(YEAR, 3, 1),
        };
        return Some(Next {
            command: Command::Apply(input),
            ack: |id, audit, _, _| Ack::Trainee {
                id,
                audit,
                version: 1,
            },
            version: 0,
        });
    }
    if roll < 55 {
        // Move a trainee one step along annex 1-3.
        // Mostly the trainee in focus, so that some get through to enrolment,
        // assessment, withdrawal and reinstatement (the seat counters).
        let id = match focus {
            Some(id) if rng.random_bool(0.7) => id,
            _ => trainees[rng.random_range(0..trainees.len())],
        };
        let t = registry.trainee(id).expect("read trainee")?;
        let version = t.stamp.version;
        let changed: fn(u64, u64, &Command, u32) -> Ack = |id, audit, _, version| Ack::Trainee {
            id,
            audit,
            version: version + 1,
        };
        let command = match t.stage {
            TraineeStage::Applied if t.kind == TraineeKind::Student && t.recommenders.len() < 2 => {
                Command::AddRecommender {
                    id,
                    version,
                    teacher: format!("教师{}", t.recommenders.len() + 1),
                }
            }
            TraineeStage::Applied => Command::Recommend {
                id,
                version,
                date: date(YEAR, 3, 10),
            },
            TraineeStage::Recommended => Command::Select {
                id,
                version,
                date: date(YEAR, 3, 20),
                selected: rng.random_bool(0.9),
            },
            TraineeStage::Selected => Command::Announce {
                id,
                version,
                start: date(YEAR, 4, 1),
                working_days: 5,
            },
            TraineeStage::Announced => Command::File {
                id,
                version,
                date: date(YEAR, 4, 20),
            },
            TraineeStage::Filed => Command::Enrol {
                id,
                version,
                date: date(YEAR, 5, 1),
                mode: TrainingMode::Commuting,
                commitment_signed: date(YEAR, 4, 25),
            },
            TraineeStage::Enrolled if rng.random_bool(0.8) => {
                let (semester, on) = if rng.random_bool(0.5) {
                    (
                        Semester::new(YEAR as u16 - 1, Term::Second),
                        date(YEAR, 7, 5),
                    )
                } else {
                    (
                        Semester::new(YEAR as u16, Term::First),
                        date(YEAR + 1, 1, 15),
                    )
                };
                let pass = rng.random_bool(0.9);
                return Some(Next {
                    command: Command::RecordAssessment {
                        trainee: id,
                        semester,
                        outcome: if pass { Outcome::Pass } else { Outcome::Fail },
                        score: Some(Score(rng.random_range(400..1000))),
                        note: String::new(),
                        date: on,
                    },
                    ack: |id, audit, c, _| {
                        let Command::RecordAssessment { trainee, .. } = c else {
                            unreachable!()
                        };
                        Ack::Assessment {
                            id,
                            audit,
                            trainee: *trainee,
                        }
                    },
                    version,
                });
            }
            TraineeStage::Enrolled => Command::Withdraw {
                id,
                version,
                date: date(YEAR, 9, 1),
                reason: WithdrawalReason::OwnRequest,
                returned_to_home_school: true,
            },
            TraineeStage::Withdrawn => Command::Reinstate {
                id,
                version,
                date: date(YEAR, 10, 1),
                reason: "复核后恢复".into(),
            },
            _ => return None,
        };
        return Some(Next {
            command,
            ack: changed,
            version,
        });
    }
    let account = Account::daily(project, YEAR);
    let entry = |movement, fen: i64| Command::AddEntry {
        account,
        date: date(YEAR, 6, 1),
        movement,
        amount: Money(fen),
        category: "培训费".into(),
        voucher: format!("记-{n}"),
        payee: "青岛第二中学".into(),
        note: String::new(),
    };
    let ack: fn(u64, u64, &Command, u32) -> Ack = |id, audit, c, _| {
        let Command::AddEntry { amount, .. } = c else {
            unreachable!()
        };
        Ack::Entry {
            id,
            audit,
            fen: amount.fen(),
        }
    };
    if roll < 78 {
        let fen = rng.random_range(1_000..50_000) * 100;
        return Some(Next {
            command: entry(Movement::Allocation, fen),
            ack,
            version: 0,
        });
    }
    if roll < 95 || entries.is_empty() {
        let left = registry
            .balance(&account)
            .expect("read balance")
            .balance()
            .fen();
        // Now and then more than is left, which must be refused.
        let fen = if left > 0 && rng.random_bool(0.9) {
            rng.random_range(1..=left.min(2_000_000))
        } else {
            left + rng.random_range(1..100_000)
        };
        return Some(Next {
            command: entry(Movement::Expense, fen),
            ack,
            version: 0,
        });
    }
    let of = entries[rng.random_range(0..entries.len())];
    Some(Next {
        command: Command::ReverseEntry {
            entry: of,
            date: date(YEAR, 6, 30),
            note: "录入错误".into(),
        },
        ack: |id, audit, c, _| {
            let Command::ReverseEntry { entry, .. } = c else {
                unreachable!()
            };
            Ack::Reversal {
                id,
                audit,
                of: *entry,
            }
        },
        version: 0,
    })
}

/// The process the parent kills. Does nothing unless `QIANGJI_CRASH_DB` is set.
#[test]
fn child_writer() {
    let Some(dir) = std::env::var_os(DB_ENV) else {
        return;
    };
    let dir = PathBuf::from(dir);
    let mut rng = ChaCha8Rng::seed_from_u64(seed_from_env(1));
    let registry = open_retrying(&dir, true);
    let actor = Actor::admin("crash");

    let mut trainees = Vec::new();
    for t in registry.all_trainees() {
        trainees.push(t.expect("read trainee").id);
    }
    let mut entries = Vec::new();
    for e in registry.all_entries() {
        let e = e.expect("read entry");
        if !matches!(e.kind, EntryKind::Reversal { .. }) {
            entries.push(e.id);
        }
    }

    let stdout = std::io::stdout();
    let say = |line: &str| {
        let mut out = stdout.lock();
        writeln!(out, "{line}").expect("write to the parent");
        out.flush().expect("flush to the parent");
    };
    // The harness has printed "test child_writer ... " without a newline.
    say(&format!("\n{READY}"));

    let deadline = Instant::now() + CHILD_LIFETIME;
    let mut n: u64 = rng.random();
    let mut focus = None;
    let mut steps = 0;
    while Instant::now() < deadline {
        n = n.wrapping_add(1);
        if focus.is_none() || steps >= 12 {
            focus = trainees.last().copied();
            steps = 0;
        }
        let Some(next) = next_command(&registry, &mut rng, &trainees, focus, &entries, n) else {
            focus = None;
            continue;
        };
        match registry.apply(&actor, next.command.clone()) {
            Ok(event) => {
                let ack = (next.ack)(event.id, event.audit_id, &next.command, next.version);
                match (&ack, event.kind) {
                    (Ack::Trainee { version: 1, .. }, RecordKind::Trainee) => {
                        trainees.push(event.id)
                    }
                    (Ack::Trainee { .. }, RecordKind::Trainee) => {}
                    (Ack::Entry { .. }, RecordKind::Entry) => entries.push(event.id),
                    (Ack::Reversal { .. }, RecordKind::Entry) => {}
                    (Ack::Assessment { .. }, RecordKind::Assessment) => {}
                    (a, k) => panic!("{a:?} came back as a {k:?}"),
                }
                if focus == Some(event.id)
                    || matches!(ack, Ack::Assessment { trainee, .. } if focus == Some(trainee))
                {
                    steps += 1;
                }
                say(&ack.line());
            }
            // A refusal (overdraft, full group, already assessed, ...) is part
            // of the mix; a storage failure is not.
            Err(RegistryError::Store(e)) => panic!("storage failure: {e}"),
            Err(_) => {}
        }
    }
}

// --------------------------------------------------------------- the parent

/// Reads the child's stdout and sends each complete line; a final line without
/// its newline was cut by the kill and is not an acknowledgement.
fn read_lines(stdout: impl Read + Send + 'static) -> (Receiver<String>, JoinHandle<()>) {
    let (tx, rx) = mpsc::channel();
    let handle = thread::spawn(move || {
        let mut reader = BufReader::new(stdout);
        let mut buf = Vec::new();
        loop {
            buf.clear();
            match reader.read_until(b'\n', &mut buf) {
                Ok(0) | Err(_) => return,
                Ok(_) if buf.last() == Some(&b'\n') => {
                    let line = String::from_utf8_lossy(&buf[..buf.len() - 1]).into_owned();
                    if tx.send(line).is_err() {
                        return;
                    }
                }
                Ok(_) => return,
            }
        }
    });
    (rx, handle)
}

fn read_all(mut r: impl Read + Send + 'static) -> JoinHandle<String> {
    thread::spawn(move || {
        let mut s = String::new();
        let _ = r.read_to_string(&mut s);
        s
    })
}

/// Every acknowledged command must have left its record and its audit entry.
fn verify(registry: &Registry, acks: &[Ack], round: usize) {
    let report = registry.check(Lang::En).expect("check runs");
    assert!(
        report.ok(),
        "round {round}: check found {:#?}",
        report.violations
    );
    for ack in acks {
        let audit: Option<AuditEntry> = registry
            .store()
            .journal_get(Tree::Audit, ack.audit())
            .expect("read audit entry");
        let audit = audit.unwrap_or_else(|| panic!("round {round}: audit entry of {ack:?} lost"));
        match *ack {
            Ack::Trainee { id, version, .. } => {
                let t = registry.trainee(id).expect("read trainee");
                let t = t.unwrap_or_else(|| panic!("round {round}: acknowledged {ack:?} lost"));
                assert!(
                    t.stamp.version >= version,
                    "round {round}: {ack:?} lost a change: {t:?}"
                );
                assert_eq!(
                    (audit.kind, audit.record),
                    (RecordKind::Trainee, id),
                    "{ack:?}"
                );
            }
            Ack::Entry { id, fen, .. } => {
                let e = registry.entry(id).expect("read entry");
                let e = e.unwrap_or_else(|| panic!("round {round}: acknowledged {ack:?} lost"));
                assert_eq!(e.amount, Money(fen), "round {round}: {ack:?}");
                assert_eq!(
                    (audit.kind, audit.record),
                    (RecordKind::Entry, id),
                    "{ack:?}"
                );
            }
            Ack::Reversal { id, of, .. } => {
                let e = registry.entry(id).expect("read entry");
                let e = e.unwrap_or_else(|| panic!("round {round}: acknowledged {ack:?} lost"));
                assert_eq!(e.kind, EntryKind::Reversal { of }, "round {round}: {ack:?}");
                assert_eq!(
                    registry.reversed_by(of).expect("read index"),
                    Some(id),
                    "round {round}: {ack:?}"
                );
                assert_eq!(
                    (audit.kind, audit.record),
                    (RecordKind::Entry, id),
                    "{ack:?}"
                );
            }
            Ack::Assessment { id, trainee, .. } => {
                let a = registry.assessment(id).expect("read assessment");
                let a = a.unwrap_or_else(|| panic!("round {round}: acknowledged {ack:?} lost"));
                assert_eq!(a.trainee_id, trainee, "round {round}: {ack:?}");
                assert_eq!(
                    (audit.kind, audit.record),
                    (RecordKind::Assessment, id),
                    "{ack:?}"
                );
            }
        }
    }
}

fn spawn_child(db: &Path, seed: u64) -> Child {
    Process::new(std::env::current_exe().expect("test binary path"))
        .args([
            "--exact",
            "crash::child_writer",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(DB_ENV, db)
        .env(SEED_ENV, seed.to_string())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the child")
}

#[test]
fn kill_9_loses_no_acknowledged_command() {
    let seed = seed_from_env(0x5eed_2025);
    eprintln!("crash test seed {seed} (set {SEED_ENV} to replay)");
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let tmp = tempfile::tempdir().expect("temp dir");
    let db = tmp.path().join("qiangji.db");
    let started = Instant::now();

    let mut acks: Vec<Ack> = Vec::new();
    let mut audits = HashSet::new();
    let mut created = HashSet::new();
    let mut per_kind: HashMap<&str, usize> = HashMap::new();
    let mut writing_kills = 0;

    for round in 0..ROUNDS + ROUNDS / EARLY_KILL_EVERY {
        let early = round % EARLY_KILL_EVERY == EARLY_KILL_EVERY - 1;
        let mut child = spawn_child(&db, rng.random());
        let (lines, reader) = read_lines(child.stdout.take().expect("child stdout"));
        let stderr = read_all(child.stderr.take().expect("child stderr"));

        let pause = Duration::from_millis(rng.random_range(20..=300));
        let mut received = Vec::new();
        if early {
            thread::sleep(pause);
        } else {
            // Wait until the child has opened the database, then let it write.
            let ready_by = Instant::now() + Duration::from_secs(20);
            loop {
                match lines.recv_timeout(ready_by.saturating_duration_since(Instant::now())) {
                    Ok(l) if l.ends_with(READY) => break,
                    Ok(l) => received.push(l),
                    Err(RecvTimeoutError::Timeout) => {
                        let _ = child.kill();
                        let _ = child.wait();
                        panic!(
                            "round {round}: the child did not open the database in 20 s; it said {received:?} and\n{}",
                            stderr.join().unwrap_or_default()
                        );
                    }
                    Err(RecvTimeoutError::Disconnected) => break,
                }
            }
            thread::sleep(pause);
        }
        if let Some(status) = child.try_wait().expect("poll the child") {
            let _ = reader.join();
            panic!(
                "round {round}: the child exited by itself ({status}) before the kill:\n{}",
                stderr.join().unwrap_or_default()
            );
        }
        child.kill().expect("SIGKILL the child");
        let status = child.wait().expect("reap the child");
        assert!(
            !status.success(),
            "round {round}: the child was killed, yet {status}"
        );
        reader.join().expect("stdout reader");
        received.extend(lines.try_iter());
        let _ = stderr.join();

        let mut this_round = 0;
        for line in &received {
            let Some(ack) = Ack::parse(line) else {
                continue;
            };
            assert!(
                audits.insert(ack.audit()),
                "round {round}: audit id reused by {ack:?}"
            );
            if let Some(id) = ack.created() {
                assert!(
                    created.insert(id),
                    "round {round}: record id reused by {ack:?}"
                );
            }
            *per_kind.entry(ack.kind()).or_default() += 1;
            acks.push(ack);
            this_round += 1;
        }
        if !early && this_round > 0 {
            writing_kills += 1;
        }

        let registry = open_retrying(&db, false);
        verify(&registry, &acks, round);
        drop(registry);
    }

    eprintln!(
        "crash test: {} kills, {writing_kills} while writing, {} acknowledged commands {per_kind:?}, {:.1} s",
        ROUNDS + ROUNDS / EARLY_KILL_EVERY,
        acks.len(),
        started.elapsed().as_secs_f64()
    );
    assert!(
        writing_kills >= 20,
        "only {writing_kills} kills hit a child that had acknowledged commands"
    );
    for kind in ["trainee", "entry", "reversal", "assessment"] {
        assert!(
            per_kind.get(kind).copied().unwrap_or(0) > 0,
            "no {kind} was acknowledged: {per_kind:?}"
        );
    }
}
