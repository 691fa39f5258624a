//! Key layout. Ids are big-endian so a scan returns records in creation order;
//! secondary indexes live in one tree, each under its own prefix byte.

use crate::domain::{Account, Fund, Holder, ProjectId, Semester};

pub fn id(id: u64) -> [u8; 8] {
    id.to_be_bytes()
}

pub fn read_id(bytes: &[u8]) -> Option<u64> {
    bytes.get(..8)?.try_into().ok().map(u64::from_be_bytes)
}

/// Index kinds: the first byte of every key in the index tree. Most are
/// posting lists (see `packed`); the functions below name the list.
pub mod ix {
    /// project -> trainee ids: the trainees of a group.
    pub const TRAINEES_OF_GROUP: u8 = b't';
    /// trainee -> (semester, assessment id) pairs: one result per semester.
    pub const ASSESSMENTS_OF_TRAINEE: u8 = b'a';
    /// project, semester -> assessment ids: a group's results of a semester.
    pub const ASSESSMENTS_OF_SEMESTER: u8 = b's';
    /// account -> entry ids: the entries of an account.
    pub const ENTRIES_OF_ACCOUNT: u8 = b'e';
    /// entry id -> reversal id: an entry is reversed at most once.
    pub const REVERSAL_OF: u8 = b'r';
    /// project -> appointment ids: a group's appointments.
    pub const COACHES_OF_GROUP: u8 = b'c';
    /// person -> appointment ids: a person's appointments.
    pub const APPOINTMENTS_OF_PERSON: u8 = b'p';
    /// record kind, record id -> audit ids: the history of one record.
    pub const HISTORY_OF_RECORD: u8 = b'u';
    /// `k` ++ a key's fingerprint: the login of the user it belongs to.
    pub const USER_OF_KEY: u8 = b'k';
    /// project -> session ids: a group's sessions.
    pub const SESSIONS_OF_GROUP: u8 = b'v';
    /// project -> class ids: a group's classes.
    pub const CLASSES_OF_GROUP: u8 = b'l';
    /// project -> development record ids: a group's coaches' development.
    pub const DEVELOPMENT_OF_GROUP: u8 = b'd';
}

pub fn sessions_of_group(p: ProjectId) -> [u8; 2] {
    [ix::SESSIONS_OF_GROUP, p.index()]
}

pub fn classes_of_group(p: ProjectId) -> [u8; 2] {
    [ix::CLASSES_OF_GROUP, p.index()]
}

pub fn development_of_group(p: ProjectId) -> [u8; 2] {
    [ix::DEVELOPMENT_OF_GROUP, p.index()]
}

/// A mark's key in the attendance tree: the session, then the trainee, so
/// a session's roster is one prefix scan.
pub fn attendance(session: u64, trainee: u64) -> [u8; 16] {
    let mut k = [0u8; 16];
    k[..8].copy_from_slice(&id(session));
    k[8..].copy_from_slice(&id(trainee));
    k
}

/// The index key naming the user of an SSH key (by its `SHA256:` fingerprint).
pub fn user_of_key(fingerprint: &str) -> Vec<u8> {
    cat(&[&[ix::USER_OF_KEY], fingerprint.as_bytes()])
}

pub fn trainees_of_group(p: ProjectId) -> [u8; 2] {
    [ix::TRAINEES_OF_GROUP, p.index()]
}

pub fn assessments_of_trainee(trainee: u64) -> Vec<u8> {
    cat(&[&[ix::ASSESSMENTS_OF_TRAINEE], &id(trainee)])
}

pub fn assessments_of_semester(p: ProjectId, s: Semester) -> Vec<u8> {
    cat(&[
        &[ix::ASSESSMENTS_OF_SEMESTER, p.index()],
        &s.code().to_be_bytes(),
    ])
}

pub fn entries_of_account(a: &Account) -> Vec<u8> {
    cat(&[&[ix::ENTRIES_OF_ACCOUNT], &account(a)])
}

pub fn reversal_of(entry: u64) -> Vec<u8> {
    cat(&[&[ix::REVERSAL_OF], &id(entry)])
}

pub fn coaches_of_group(p: ProjectId) -> [u8; 2] {
    [ix::COACHES_OF_GROUP, p.index()]
}

pub fn appointments_of_person(person: u64) -> Vec<u8> {
    cat(&[&[ix::APPOINTMENTS_OF_PERSON], &id(person)])
}

pub fn history_of_record(kind: u8, record: u64) -> Vec<u8> {
    cat(&[&[ix::HISTORY_OF_RECORD, kind], &id(record)])
}

/// The value under `assessments_of_trainee`: 10 bytes per result, the
/// semester code then the assessment id. A trainee has a handful, so one key
/// holds them all and a transaction can read it to refuse a second result.
pub fn semester_results(bytes: &[u8]) -> Vec<(u16, u64)> {
    bytes
        .chunks_exact(10)
        .map(|c| {
            let code = u16::from_be_bytes([c[0], c[1]]);
            (code, read_id(&c[2..]).unwrap_or_default())
        })
        .collect()
}

pub fn push_semester_result(bytes: &mut Vec<u8>, s: Semester, assessment: u64) {
    bytes.extend_from_slice(&s.code().to_be_bytes());
    bytes.extend_from_slice(&id(assessment));
}

/// 14 bytes: holder tag, holder, fund, year. Orders accounts by holder, then
/// fund, then year.
pub fn account(a: &Account) -> [u8; 14] {
    let mut k = [0u8; 14];
    let (tag, holder) = match a.holder {
        Holder::Project(p) => (0u8, u64::from(p.index())),
        Holder::School(s) => (1u8, s),
    };
    k[0] = tag;
    k[1..9].copy_from_slice(&holder.to_be_bytes());
    k[9] = match a.fund {
        Fund::Daily => 0,
        Fund::Reward => 1,
        Fund::Base => 2,
    };
    // Offset so that the byte order is the numeric order for any i32.
    k[10..14].copy_from_slice(&((a.year as u32) ^ 0x8000_0000).to_be_bytes());
    k
}

/// The account a 14-byte account key names.
pub fn parse_account(k: &[u8]) -> Option<Account> {
    let k: &[u8; 14] = k.try_into().ok()?;
    let holder_value = u64::from_be_bytes(k[1..9].try_into().ok()?);
    let holder = match k[0] {
        0 => Holder::Project(ProjectId::from_index(u8::try_from(holder_value).ok()?)?),
        1 => Holder::School(holder_value),
        _ => return None,
    };
    let fund = match k[9] {
        0 => Fund::Daily,
        1 => Fund::Reward,
        2 => Fund::Base,
        _ => return None,
    };
    let year = (u32::from_be_bytes(k[10..14].try_into().ok()?) ^ 0x8000_0000) as i32;
    Some(Account { holder, fund, year })
}

pub fn project_key(p: ProjectId) -> [u8; 1] {
    [p.index()]
}

pub fn cycle(p: ProjectId, year: i32) -> [u8; 5] {
    let mut k = [0u8; 5];
    k[0] = p.index();
    k[1..5].copy_from_slice(&((year as u32) ^ 0x8000_0000).to_be_bytes());
    k
}

fn cat(parts: &[&[u8]]) -> Vec<u8> {
    let mut v = Vec::with_capacity(parts.iter().map(|p| p.len()).sum());
    for p in parts {
        v.extend_from_slice(p);
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_keys_sort_by_year() {
        let a = account(&Account::daily(ProjectId::Math, 2025));
        let b = account(&Account::daily(ProjectId::Math, 2026));
        let c = account(&Account::reward(ProjectId::Math, 2020));
        assert!(a < b && b < c);
        for acc in [
            Account::daily(ProjectId::Humanities, 2026),
            Account::base(77, 2019),
        ] {
            assert_eq!(parse_account(&account(&acc)), Some(acc));
        }
        assert_eq!(parse_account(&[9; 14]), None);
    }
}
