//! Many small records packed into few sled keys.
//!
//! sled 0.34 splits a leaf at 16 keys, and on every open it rebuilds, from the
//! log, an in-memory page-table entry for each leaf. Opening therefore costs
//! time and memory in proportion to the number of keys, not of bytes: one key
//! per audit entry, ledger entry and index posting made the province demo 6.6
//! million keys, 0.4 s and 270 MiB before the first frame could show a number.
//! Two shapes keep the count down:
//!
//! - a **journal** holds records that are written once and never changed
//!   (audit entries, ledger entries) in chunks of consecutive ids: the key is
//!   `id >> CHUNK_SHIFT`, the value a run of frames `id, length, payload`
//!   sorted by id;
//! - a **posting list** holds the ids an index lists under one prefix (a
//!   group's trainees, an account's entries): up to `POSTINGS_PER_KEY` ids per
//!   key. New ids go to the open tail key, `prefix ++ [0xFF; 8]`; a full tail is
//!   sealed under `prefix ++ first id`. Both are plain keys, so a transaction
//!   can append without a range scan, which sled transactions lack.

use std::collections::BTreeMap;

use serde::Serialize;
use serde::de::DeserializeOwned;
use sled::transaction::ConflictableTransactionError;

use super::{Store, StoreError, Tree, Tx, TxError, codec};

/// A journal chunk spans 64 consecutive ids. Ids come from one counter shared
/// by every record and audit entry, so a chunk holds at most 64 frames and
/// usually about half that: a few KiB, well under sled's blob threshold.
pub const CHUNK_SHIFT: u32 = 6;
/// Ids per sealed posting key: 512 bytes.
pub const POSTINGS_PER_KEY: usize = 64;
const TAIL: [u8; 8] = [0xFF; 8];
const FRAME_HEADER: usize = 12;

fn chunk_key(id: u64) -> [u8; 8] {
    (id >> CHUNK_SHIFT).to_be_bytes()
}

fn damaged(t: Tree, detail: impl Into<String>) -> StoreError {
    StoreError::Corrupt {
        tree: t.name(),
        detail: detail.into(),
    }
}

/// The frames of one journal chunk: `(id, payload)` in stored order.
fn frames(t: Tree, chunk: &[u8]) -> impl Iterator<Item = Result<(u64, &[u8]), StoreError>> {
    let mut rest = chunk;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let Some((header, body)) = rest.split_at_checked(FRAME_HEADER) else {
            rest = &[];
            return Some(Err(damaged(t, "truncated journal frame")));
        };
        let id = u64::from_be_bytes(header[..8].try_into().unwrap_or_default());
        let len = u32::from_be_bytes(header[8..].try_into().unwrap_or_default()) as usize;
        let Some((payload, after)) = body.split_at_checked(len) else {
            rest = &[];
            return Some(Err(damaged(t, format!("journal frame {id} cut short"))));
        };
        rest = after;
        Some(Ok((id, payload)))
    })
}

/// `chunk` with a frame for `id` inserted in id order.
fn with_frame(t: Tree, chunk: &[u8], id: u64, payload: &[u8]) -> Result<Vec<u8>, StoreError> {
    let mut at = chunk.len();
    let mut offset = 0;
    for frame in frames(t, chunk) {
        let (existing, body) = frame?;
        if existing == id {
            return Err(damaged(t, format!("id {id} written twice")));
        }
        if existing > id {
            at = offset;
            break;
        }
        offset += FRAME_HEADER + body.len();
    }
    let len = u32::try_from(payload.len()).map_err(|_| damaged(t, "record over 4 GiB"))?;
    let mut out = Vec::with_capacity(chunk.len() + FRAME_HEADER + payload.len());
    out.extend_from_slice(&chunk[..at]);
    out.extend_from_slice(&id.to_be_bytes());
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(payload);
    out.extend_from_slice(&chunk[at..]);
    Ok(out)
}

/// A journal chunk with each frame's payload replaced by `f`'s, ids and
/// order kept: how a schema step rewrites a journal's records.
pub fn map_frames(
    t: Tree,
    chunk: &[u8],
    mut f: impl FnMut(u64, &[u8]) -> Result<Vec<u8>, StoreError>,
) -> Result<Vec<u8>, StoreError> {
    let mut out = Vec::with_capacity(chunk.len() * 2);
    for frame in frames(t, chunk) {
        let (id, payload) = frame?;
        let payload = f(id, payload)?;
        let len = u32::try_from(payload.len()).map_err(|_| damaged(t, "record over 4 GiB"))?;
        out.extend_from_slice(&id.to_be_bytes());
        out.extend_from_slice(&len.to_be_bytes());
        out.extend_from_slice(&payload);
    }
    Ok(out)
}

fn find<T: DeserializeOwned>(t: Tree, chunk: &[u8], id: u64) -> Result<Option<T>, StoreError> {
    for frame in frames(t, chunk) {
        let (found, payload) = frame?;
        if found == id {
            return codec::decode(payload)
                .map(Some)
                .map_err(|e| damaged(t, e.to_string()));
        }
    }
    Ok(None)
}

fn read_ids(bytes: &[u8], into: &mut Vec<u64>) -> Result<(), StoreError> {
    if bytes.len() % 8 != 0 {
        return Err(damaged(Tree::Index, "posting list of odd length"));
    }
    into.extend(
        bytes
            .chunks_exact(8)
            .map(|c| u64::from_be_bytes(c.try_into().unwrap_or_default())),
    );
    Ok(())
}

fn abort<E: From<StoreError>>(e: StoreError) -> TxError<E> {
    ConflictableTransactionError::Abort(E::from(e))
}

impl Tx<'_> {
    /// Adds a record to a journal under its id.
    pub fn append<T: Serialize, E: From<StoreError>>(
        &self,
        t: Tree,
        id: u64,
        value: &T,
    ) -> Result<(), TxError<E>> {
        let payload =
            codec::encode_as(t.format(), value).map_err(|e| abort(damaged(t, e.to_string())))?;
        let key = chunk_key(id);
        let chunk = self.t(t).get(key)?;
        let chunk =
            with_frame(t, chunk.as_deref().unwrap_or_default(), id, &payload).map_err(abort)?;
        self.t(t).insert(&key, chunk)?;
        Ok(())
    }

    /// A journal record by id, as this transaction sees it.
    pub fn journal_get<T: DeserializeOwned, E: From<StoreError>>(
        &self,
        t: Tree,
        id: u64,
    ) -> Result<Option<T>, TxError<E>> {
        match self.t(t).get(chunk_key(id))? {
            Some(chunk) => find(t, &chunk, id).map_err(abort),
            None => Ok(None),
        }
    }

    /// Adds `id` to the posting list `list` (an index prefix).
    pub fn post<E: From<StoreError>>(&self, list: &[u8], id: u64) -> Result<(), TxError<E>> {
        let index = self.t(Tree::Index);
        let tail_key = [list, &TAIL].concat();
        let mut ids = Vec::new();
        if let Some(tail) = index.get(&tail_key)? {
            read_ids(&tail, &mut ids).map_err(abort)?;
        }
        if let Err(at) = ids.binary_search(&id) {
            ids.insert(at, id);
        }
        let bytes: Vec<u8> = ids.iter().flat_map(|i| i.to_be_bytes()).collect();
        if ids.len() >= POSTINGS_PER_KEY {
            index.insert([list, &ids[0].to_be_bytes()].concat(), bytes)?;
            index.remove(tail_key)?;
        } else {
            index.insert(tail_key, bytes)?;
        }
        Ok(())
    }
}

impl Store {
    /// A journal record by id.
    pub fn journal_get<T: DeserializeOwned>(
        &self,
        t: Tree,
        id: u64,
    ) -> Result<Option<T>, StoreError> {
        match self.tree(t).get(chunk_key(id))? {
            Some(chunk) => find(t, &chunk, id),
            None => Ok(None),
        }
    }

    /// The records of `ids` (sorted, as a posting list gives them), each
    /// chunk read once: an account's entries share chunks, and one lookup a
    /// chunk instead of one an entry halved a province group's ledger read.
    pub fn journal_get_sorted<T: DeserializeOwned>(
        &self,
        t: Tree,
        ids: &[u64],
    ) -> Result<Vec<T>, StoreError> {
        let mut out = Vec::with_capacity(ids.len());
        let mut rest = ids;
        while let Some(&first) = rest.first() {
            let key = chunk_key(first);
            let same = rest.partition_point(|&id| chunk_key(id) == key);
            let (wanted, after) = rest.split_at(same);
            rest = after;
            let Some(chunk) = self.tree(t).get(key)? else {
                continue;
            };
            let mut wanted = wanted.iter().peekable();
            for frame in frames(t, &chunk) {
                let (id, payload) = frame?;
                while wanted.next_if(|&&w| w < id).is_some() {}
                if wanted.next_if(|&&w| w == id).is_some() {
                    out.push(codec::decode(payload).map_err(|e| damaged(t, e.to_string()))?);
                }
                if wanted.peek().is_none() {
                    break;
                }
            }
        }
        Ok(out)
    }

    /// Every record of a journal, oldest id first.
    pub fn journal<T: DeserializeOwned + 'static>(
        &self,
        t: Tree,
    ) -> impl Iterator<Item = Result<T, StoreError>> + '_ {
        self.tree(t)
            .iter()
            .values()
            .flat_map(move |chunk| decode_chunk(t, chunk.map_err(StoreError::from)))
    }

    /// Every record of a journal, newest id first.
    pub fn journal_newest_first<T: DeserializeOwned + 'static>(
        &self,
        t: Tree,
    ) -> impl Iterator<Item = Result<T, StoreError>> + '_ {
        self.tree(t).iter().values().rev().flat_map(move |chunk| {
            let mut records = decode_chunk(t, chunk.map_err(StoreError::from));
            records.reverse();
            records
        })
    }

    /// The ids in a journal, oldest first, without decoding the records.
    pub fn journal_ids(&self, t: Tree) -> impl Iterator<Item = Result<u64, StoreError>> + '_ {
        self.tree(t).iter().values().flat_map(move |chunk| {
            let ids: Vec<Result<u64, StoreError>> = match chunk {
                Ok(chunk) => frames(t, &chunk).map(|f| f.map(|(id, _)| id)).collect(),
                Err(e) => vec![Err(e.into())],
            };
            ids
        })
    }

    /// The newest id in a journal.
    pub fn journal_last_id(&self, t: Tree) -> Result<Option<u64>, StoreError> {
        let Some((_, chunk)) = self.tree(t).last()? else {
            return Ok(None);
        };
        let mut last = None;
        for frame in frames(t, &chunk) {
            last = Some(frame?.0);
        }
        Ok(last)
    }

    /// The ids listed under `list`, ascending.
    pub fn postings(&self, list: &[u8]) -> Result<Vec<u64>, StoreError> {
        let mut ids = Vec::new();
        for kv in self.tree(Tree::Index).scan_prefix(list) {
            let (k, v) = kv?;
            // Keys of longer lists that share the prefix are not this list's.
            if k.len() == list.len() + 8 {
                read_ids(&v, &mut ids)?;
            }
        }
        ids.sort_unstable();
        Ok(ids)
    }

    /// Every posting list of one index kind, by list prefix, for the check.
    pub fn all_postings(&self, kind: u8) -> Result<BTreeMap<Vec<u8>, Vec<u64>>, StoreError> {
        let mut lists: BTreeMap<Vec<u8>, Vec<u64>> = BTreeMap::new();
        for kv in self.tree(Tree::Index).scan_prefix([kind]) {
            let (k, v) = kv?;
            let Some(list) = k.len().checked_sub(8).map(|n| k[..n].to_vec()) else {
                return Err(damaged(Tree::Index, format!("short index key {k:?}")));
            };
            read_ids(&v, lists.entry(list).or_default())?;
        }
        for ids in lists.values_mut() {
            ids.sort_unstable();
        }
        Ok(lists)
    }
}

fn decode_chunk<T: DeserializeOwned>(
    t: Tree,
    chunk: Result<sled::IVec, StoreError>,
) -> Vec<Result<T, StoreError>> {
    match chunk {
        Ok(chunk) => frames(t, &chunk)
            .map(|f| f.and_then(|(_, p)| codec::decode(p).map_err(|e| damaged(t, e.to_string()))))
            .collect(),
        Err(e) => vec![Err(e)],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_stay_in_id_order_and_refuse_a_repeat() {
        let mut chunk = Vec::new();
        for id in [5u64, 2, 9] {
            chunk = with_frame(Tree::Audit, &chunk, id, &codec::encode(&id).unwrap()).unwrap();
        }
        let ids: Vec<u64> = frames(Tree::Audit, &chunk).map(|f| f.unwrap().0).collect();
        assert_eq!(ids, [2, 5, 9]);
        assert_eq!(find::<u64>(Tree::Audit, &chunk, 9).unwrap(), Some(9));
        assert_eq!(find::<u64>(Tree::Audit, &chunk, 3).unwrap(), None);
        assert!(with_frame(Tree::Audit, &chunk, 5, &[1]).is_err());
        assert!(frames(Tree::Audit, &chunk[..chunk.len() - 1]).any(|f| f.is_err()));
    }
}
