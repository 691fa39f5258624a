//! What every open verifies beyond the mark because it is cheap: each
//! account's running balance counts its entries, and the account's posting
//! list holds that many ids. Both are written in the one transaction of each
//! entry, so a difference means the files lost part of what was written
//! (sled recovering a damaged log), which `check` would find only later.
//! Only lengths are compared (no id is decoded): a province database has 60
//! accounts and about 16 000 list keys.

use super::keys;
use super::{Store, Tree};
use crate::domain::Balance;

/// An account whose counts differ: its key, the balance's count and the
/// list's.
pub struct Mismatch {
    pub account: Vec<u8>,
    pub counted: u64,
    pub listed: u64,
}

impl Store {
    /// The first account whose entry count and posting list differ, if any.
    pub(super) fn entry_counts_mismatch(&self) -> Result<Option<Mismatch>, String> {
        for kv in self.tree(Tree::Balances).iter() {
            let (account, value) = kv.map_err(|e| format!("{e:?}"))?;
            let balance: Balance = super::codec::decode(&value).map_err(|e| e.to_string())?;
            let parsed = keys::parse_account(&account).ok_or("an unreadable account key")?;
            let list = keys::entries_of_account(&parsed);
            let mut listed = 0u64;
            for kv in self.tree(Tree::Index).scan_prefix(&list) {
                let (k, v) = kv.map_err(|e| format!("{e:?}"))?;
                // Keys of longer lists that share the prefix are not this one's.
                if k.len() == list.len() + 8 {
                    listed += (v.len() / 8) as u64;
                }
            }
            if listed != balance.entries {
                return Ok(Some(Mismatch {
                    account: account.to_vec(),
                    counted: balance.entries,
                    listed,
                }));
            }
        }
        Ok(None)
    }
}
