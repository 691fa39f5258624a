//! Key layout. Ids are big-endian so a scan returns records in creation order;
//! secondary indexes live in one tree, each under its own prefix byte.

use crate::domain::{Account, Fund, Holder, ProjectId, Semester};

pub fn id(id: u64) -> [u8; 8] {
    id.to_be_bytes()
}

pub fn read_id(bytes: &[u8]) -> Option<u64> {
    bytes.get(..8)?.try_into().ok().map(u64::from_be_bytes)
}

/// Index prefixes.
pub mod ix {
    /// project, trainee id -> (): the trainees of a group.
    pub const TRAINEE_BY_PROJECT: u8 = b't';
    /// trainee id, semester -> assessment id: one assessment per trainee and semester.
    pub const ASSESSMENT_BY_TRAINEE: u8 = b'a';
    /// project, semester, assessment id -> (): a group's assessments of a semester.
    pub const ASSESSMENT_BY_SEMESTER: u8 = b's';
    /// account, entry id -> (): the entries of an account.
    pub const ENTRY_BY_ACCOUNT: u8 = b'e';
    /// entry id -> reversal id: an entry is reversed at most once.
    pub const REVERSAL_OF: u8 = b'r';
    /// project, coach id -> (): a group's appointments.
    pub const COACH_BY_PROJECT: u8 = b'c';
    /// person id, coach id -> (): a person's appointments.
    pub const COACH_BY_PERSON: u8 = b'p';
    /// record kind, record id, audit id -> (): the history of one record.
    pub const AUDIT_BY_RECORD: u8 = b'u';
}

pub fn trainee_by_project(p: ProjectId, trainee: u64) -> Vec<u8> {
    cat(&[&[ix::TRAINEE_BY_PROJECT, p.index()], &id(trainee)])
}

pub fn assessment_by_trainee(trainee: u64, s: Semester) -> Vec<u8> {
    cat(&[
        &[ix::ASSESSMENT_BY_TRAINEE],
        &id(trainee),
        &s.code().to_be_bytes(),
    ])
}

pub fn assessment_by_semester(p: ProjectId, s: Semester, assessment: u64) -> Vec<u8> {
    cat(&[
        &[ix::ASSESSMENT_BY_SEMESTER, p.index()],
        &s.code().to_be_bytes(),
        &id(assessment),
    ])
}

pub fn assessment_semester_prefix(p: ProjectId, s: Semester) -> Vec<u8> {
    cat(&[
        &[ix::ASSESSMENT_BY_SEMESTER, p.index()],
        &s.code().to_be_bytes(),
    ])
}

pub fn entry_by_account(a: &Account, entry: u64) -> Vec<u8> {
    cat(&[&[ix::ENTRY_BY_ACCOUNT], &account(a), &id(entry)])
}

pub fn entry_account_prefix(a: &Account) -> Vec<u8> {
    cat(&[&[ix::ENTRY_BY_ACCOUNT], &account(a)])
}

pub fn reversal_of(entry: u64) -> Vec<u8> {
    cat(&[&[ix::REVERSAL_OF], &id(entry)])
}

pub fn coach_by_project(p: ProjectId, coach: u64) -> Vec<u8> {
    cat(&[&[ix::COACH_BY_PROJECT, p.index()], &id(coach)])
}

pub fn coach_by_person(person: u64, coach: u64) -> Vec<u8> {
    cat(&[&[ix::COACH_BY_PERSON], &id(person), &id(coach)])
}

pub fn audit_by_record(kind: u8, record: u64, audit: u64) -> Vec<u8> {
    cat(&[&[ix::AUDIT_BY_RECORD, kind], &id(record), &id(audit)])
}

pub fn audit_record_prefix(kind: u8, record: u64) -> Vec<u8> {
    cat(&[&[ix::AUDIT_BY_RECORD, kind], &id(record)])
}

pub fn project_prefix(prefix: u8, p: ProjectId) -> [u8; 2] {
    [prefix, p.index()]
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
