//! Building the signed lists from the registry: the trust list (root-signed; issuer keys of every
//! office and the revocation-list key) and the revocation list, full or as a delta since a
//! version. A list is built once per version and kept, so every client gets the same bytes for
//! the same ETag: the trust list and the full revocation list always, deltas within a bound in
//! bytes ([`Deltas`]), since anyone may ask for any `since` without an account. Revocation lists
//! are built on one thread of their own ([`Cache::build`]): one build at a time, whatever the
//! number of clients asking, so a flood of distinct `since` values costs one core and the memory
//! of one build, not one per worker thread.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use asxh_api::TrustListJson;
use asxh_core::lists::{
    IssuerEntry, IssuerStatus, OfficeCode, Revocation, RevocationList, RevocationReason, TrustList,
};
use asxh_core::signature::{self, IssuerKeyId};
use asxh_core::view::TrustListView;
use asxh_core::{AreaCode, CardSerial, Date};
use rusqlite::{params, Connection};

use crate::clock::now;
use crate::error::{Result, ServerError};
use crate::store::Store;

/// Seconds until the next trust list is promised.
pub const TRUST_LIST_NEXT_UPDATE: u64 = 24 * 3600;
/// Seconds until the next revocation list is promised (verifiers poll more often than this).
pub const REVOCATION_LIST_NEXT_UPDATE: u64 = 3600;

/// A signed list ready to serve.
#[derive(Debug, Clone)]
pub struct Signed {
    pub version: u64,
    /// Shared, not copied, by every answer that serves them.
    pub bytes: axum::body::Bytes,
}

/// Bytes of deltas kept by default.
pub const DEFAULT_DELTA_CACHE_BYTES: usize = 32 << 20;

/// What one kept delta costs besides its bytes (the map entries, the `Bytes` handle).
const ENTRY_OVERHEAD: usize = 128;

/// The deltas of the current revocation-list version kept built, by base version, least
/// recently used dropped first once they pass `bound` bytes; all dropped when the version moves.
#[derive(Debug)]
pub struct Deltas {
    bound: usize,
    version: u64,
    bytes: usize,
    tick: u64,
    by_base: HashMap<u64, (Signed, u64)>,
    by_use: BTreeMap<u64, u64>,
}

impl Deltas {
    pub fn new(bound: usize) -> Self {
        Deltas {
            bound,
            version: 0,
            bytes: 0,
            tick: 0,
            by_base: HashMap::new(),
            by_use: BTreeMap::new(),
        }
    }

    fn cost(signed: &Signed) -> usize {
        signed.bytes.len() + ENTRY_OVERHEAD
    }

    /// The delta from `base` to `version`, if kept (counts as a use).
    pub fn get(&mut self, base: u64, version: u64) -> Option<Signed> {
        if version != self.version {
            return None;
        }
        self.tick += 1;
        let (signed, used) = self.by_base.get_mut(&base)?;
        self.by_use.remove(used);
        *used = self.tick;
        self.by_use.insert(self.tick, base);
        Some(signed.clone())
    }

    /// Keeps the delta from `base` to `signed.version`, dropping the least recently used ones
    /// to stay within the bound (a delta larger than the bound is not kept).
    pub fn put(&mut self, base: u64, signed: Signed) {
        if signed.version != self.version {
            self.by_base.clear();
            self.by_use.clear();
            self.bytes = 0;
            self.version = signed.version;
        }
        let cost = Self::cost(&signed);
        if cost > self.bound {
            return;
        }
        if let Some((old, used)) = self.by_base.remove(&base) {
            self.by_use.remove(&used);
            self.bytes -= Self::cost(&old);
        }
        while self.bytes + cost > self.bound {
            let Some((_, oldest)) = self.by_use.pop_first() else {
                break;
            };
            if let Some((dropped, _)) = self.by_base.remove(&oldest) {
                self.bytes -= Self::cost(&dropped);
            }
        }
        self.tick += 1;
        self.by_use.insert(self.tick, base);
        self.by_base.insert(base, (signed, self.tick));
        self.bytes += cost;
    }

    /// Bytes the kept deltas cost.
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    pub fn len(&self) -> usize {
        self.by_base.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_base.is_empty()
    }
}

/// Lists already built, by version.
pub struct Cache {
    trust: Mutex<Option<(Signed, Arc<TrustListJson>)>>,
    full: Mutex<Option<Signed>>,
    deltas: Mutex<Deltas>,
    /// The list-building thread's queue.
    builder: std::sync::mpsc::Sender<Job>,
}

/// Work for the list-building thread.
type Job = Box<dyn FnOnce() + Send>;

/// Starts the list-building thread; it ends when its queue's sender is dropped.
fn start_builder() -> std::sync::mpsc::Sender<Job> {
    let (send, jobs) = std::sync::mpsc::channel::<Job>();
    let started = std::thread::Builder::new()
        .name("list-builder".into())
        .spawn(move || {
            for job in jobs {
                // A panicking build fails its own request, not every later one.
                let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
            }
        });
    if let Err(e) = started {
        tracing::error!(error = %e, "cannot start the list-building thread");
    }
    send
}

impl Cache {
    /// A cache keeping at most `delta_bytes` of deltas.
    pub fn new(delta_bytes: usize) -> Self {
        Cache {
            trust: Mutex::new(None),
            full: Mutex::new(None),
            deltas: Mutex::new(Deltas::new(delta_bytes)),
            builder: start_builder(),
        }
    }

    /// Runs `build` on the list-building thread and waits for it without holding a worker.
    pub async fn build<T: Send + 'static>(
        &self,
        build: impl FnOnce() -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let (send, receive) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move || {
            let _ = send.send(build());
        });
        let lost = || ServerError::Setup("the list-building thread is not running".into());
        self.builder.send(job).map_err(|_| lost())?;
        receive.await.map_err(|_| lost())?
    }

    fn kept(&self, since: Option<u64>, version: u64) -> Option<Signed> {
        match since {
            Some(base) => self
                .deltas
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .get(base, version),
            None => self
                .full
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .clone()
                .filter(|s| s.version == version),
        }
    }
}

impl Default for Cache {
    fn default() -> Self {
        Cache::new(DEFAULT_DELTA_CACHE_BYTES)
    }
}

pub fn trust_list_version(conn: &Connection) -> Result<u64> {
    Ok(conn
        .prepare_cached("SELECT value FROM meta WHERE key = 'trust_list_version'")?
        .query_row([], |r| r.get::<_, i64>(0))? as u64)
}

pub fn revocation_version(conn: &Connection) -> Result<u64> {
    Ok(conn
        .prepare_cached("SELECT COALESCE(MAX(version), 0) FROM revocations")?
        .query_row([], |r| r.get::<_, i64>(0))? as u64)
}

fn issuers(conn: &Connection) -> Result<Vec<IssuerEntry>> {
    let mut stmt = conn.prepare("SELECT code, name, area, key_id, public_key, valid_from, valid_until, status FROM offices ORDER BY code")?;
    let rows = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, Vec<u8>>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, String>(6)?,
                r.get::<_, String>(7)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter()
        .map(|(code, name, area, key_id, key, from, until, status)| {
            Ok(IssuerEntry {
                key_id: IssuerKeyId::parse_hex(&key_id)?,
                public_key: signature::public_key_from_bytes("public_key", &key)?,
                office: OfficeCode::parse(&code)?,
                office_name: name,
                area: AreaCode::parse(&area)?,
                valid_from: Date::parse("valid_from", &from)?,
                valid_until: Date::parse("valid_until", &until)?,
                status: IssuerStatus::parse(&status)?,
            })
        })
        .collect()
}

/// The current trust list, signed, and its JSON form.
pub fn trust_list(store: &Store, cache: &Cache) -> Result<(Signed, Arc<TrustListJson>)> {
    let version = store.read(trust_list_version)?;
    let mut slot = cache.trust.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(hit) = slot.as_ref().filter(|(s, _)| s.version == version) {
        return Ok(hit.clone());
    }
    let root = store.root_key()?;
    let list_key = store.list_key()?;
    let issued_at = now() as u64;
    let list = TrustList {
        version,
        issued_at,
        next_update: issued_at + TRUST_LIST_NEXT_UPDATE,
        list_key: *list_key.verifying_key(),
        issuers: store.read(issuers)?,
    };
    let json = TrustListJson {
        root_key_fingerprint: signature::fingerprint(root.verifying_key()),
        list: TrustListView::from(&list),
    };
    let signed = Signed {
        version,
        bytes: list.sign(&root).into(),
    };
    let entry = (signed, Arc::new(json));
    *slot = Some(entry.clone());
    Ok(entry)
}

fn revocations_between(conn: &Connection, after: u64, upto: u64) -> Result<Vec<Revocation>> {
    let mut stmt = conn
        .prepare("SELECT serial, reason FROM revocations WHERE version > ?1 AND version <= ?2")?;
    let mut rows = stmt.query(params![after as i64, upto as i64])?;
    let mut out = Vec::new();
    // Read in place: no allocation per row (a list may name a million cards).
    while let Some(r) = rows.next()? {
        let reason = r.get_ref(1)?.as_str().map_err(rusqlite::Error::from)?;
        out.push(Revocation {
            serial: CardSerial::new(r.get::<_, i64>(0)? as u64)?,
            reason: RevocationReason::parse(reason)?,
        });
    }
    Ok(out)
}

/// The current revocation-list version, checking that `since` is not above it.
fn current_revocation_version(store: &Store, since: Option<u64>) -> Result<u64> {
    let version = store.read(revocation_version)?;
    match since {
        Some(s) if s > version => Err(ServerError::invalid(
            "since",
            format!("version {s} is newer than the current revocation list ({version})"),
        )),
        _ => Ok(version),
    }
}

/// The revocation list at the current version (full, or the delta since `since`) if it is
/// already built.
pub fn kept_revocation_list(
    store: &Store,
    cache: &Cache,
    since: Option<u64>,
) -> Result<Option<Signed>> {
    let version = current_revocation_version(store, since)?;
    Ok(cache.kept(since, version))
}

/// The revocation list at the current version: full (`since` = `None`) or the delta since
/// `since`.
///
/// Run it through [`Cache::build`] when [`kept_revocation_list`] has not got it.
pub fn revocation_list(store: &Store, cache: &Cache, since: Option<u64>) -> Result<Signed> {
    let version = current_revocation_version(store, since)?;
    // Built by an earlier job in the queue, perhaps.
    if let Some(hit) = cache.kept(since, version) {
        return Ok(hit);
    }
    let entries = store.read(|c| revocations_between(c, since.unwrap_or(0), version))?;
    let issued_at = now() as u64;
    let list = RevocationList::new(
        version,
        issued_at,
        issued_at + REVOCATION_LIST_NEXT_UPDATE,
        since,
        entries,
    )?;
    let signed = Signed {
        version,
        bytes: list.sign(&store.list_key()?).into(),
    };
    match since {
        Some(base) => cache
            .deltas
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .put(base, signed.clone()),
        None => {
            *cache.full.lock().unwrap_or_else(|p| p.into_inner()) = Some(signed.clone());
        }
    }
    Ok(signed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signed(version: u64, len: usize) -> Signed {
        Signed {
            version,
            bytes: vec![0; len].into(),
        }
    }

    #[test]
    fn deltas_stay_within_their_bound_dropping_the_least_recently_used() {
        let mut d = Deltas::new(3 * (1000 + ENTRY_OVERHEAD));
        for base in 0..3 {
            d.put(base, signed(10, 1000));
        }
        assert_eq!(d.len(), 3);
        assert!(d.get(0, 10).is_some(), "base 0 used again");
        d.put(3, signed(10, 1000));
        assert!(d.get(1, 10).is_none(), "the least recently used went");
        assert!(d.get(0, 10).is_some() && d.get(2, 10).is_some() && d.get(3, 10).is_some());
        for base in 4..1000 {
            d.put(base, signed(10, 1000));
            assert!(d.bytes() <= 3 * (1000 + ENTRY_OVERHEAD));
        }
        assert_eq!(d.len(), 3);
        d.put(7, signed(10, 10_000));
        assert!(d.get(7, 10).is_none(), "larger than the bound: not kept");
    }

    #[test]
    fn a_new_version_drops_every_delta_of_the_old_one() {
        let mut d = Deltas::new(1 << 20);
        d.put(1, signed(10, 100));
        d.put(2, signed(10, 100));
        d.put(1, signed(11, 100));
        assert!(d.get(2, 10).is_none() && d.get(2, 11).is_none());
        assert!(d.get(1, 11).is_some());
        assert_eq!(d.len(), 1);
        assert_eq!(d.bytes(), 100 + ENTRY_OVERHEAD);
    }
}
