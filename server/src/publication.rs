//! Publishing signed lists, whatever they carry (the trust list, the revocation list, and the
//! payment roll of each area and month: one kind publishing a family of lists, each named
//! `payment-roll/<area>/<YYYY-MM>`): versions, persistence, serving and the heartbeat.
//!
//! - **Versions** (SPEC.md §15.2): every publication — new content, or the heartbeat re-signing
//!   unchanged content — gets `max(previous + 1, floor + 1, now in Unix milliseconds)`, so a
//!   version names one byte string forever, even after a restore from backup or a copied data
//!   directory (given a clock not set back by more than the restore gap; `floor` is what a
//!   restore knew was published before it).
//! - **Persistence**: a write that changes a list calls [`changed`] in its transaction; before
//!   that transaction commits, the store calls [`Publisher::before_commit`], which signs the list
//!   once for the version and writes the exact bytes, times and ETag to `published_lists` in the
//!   same transaction. After a restart the same version is the same bytes and ETag.
//! - **Batching** (the revocation list while a server serves, [`Publisher::batch`]): the write
//!   only takes the version that will carry it (every write until the next publication shares
//!   one); the list is built and signed off the writer's critical path, at most once per
//!   [`BATCH_INTERVAL`], and persisted in a short transaction of its own
//!   ([`Publisher::publish_batched`]). A list answer waits for the publication of every write
//!   acknowledged before it ([`Publisher::settled`]), so what a client was told is revoked is on
//!   the next list it fetches.
//! - **Serving** is from memory: the newest publication of each list, and deltas (built once per
//!   base and version, deterministic, kept within [`DELTA_CACHE_BYTES`]). Concurrent requests
//!   never build a full list; a delta is built at most once at a time.
//! - **Heartbeat** ([`Publisher::tick`]): a list whose newest publication is older than its
//!   refresh interval is re-signed, so `next_update` never passes while the server runs; the
//!   tick also picks up what another process (the command line) published.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use axum::body::Bytes;
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use sha2::{Digest, Sha256};

use crate::clock;
use crate::error::{Result, ServerError};
use crate::store::Store;

/// How long a published version stays a base a delta can start from (SPEC.md §15.2).
pub const RETENTION: Duration = Duration::from_secs(35 * 24 * 3600);

/// The most bytes of deltas kept in memory by default ([`ListOptions::delta_cache_bytes`]); a
/// delta larger than the bound is built for each request that asks for it (it is still
/// deterministic: the same bytes each time).
pub const DELTA_CACHE_BYTES: usize = 32 << 20;

/// The least time between two publications of a batched list: the revocations made in between
/// share one version (SPEC.md §15.2).
pub const BATCH_INTERVAL: Duration = Duration::from_millis(100);

/// The most a list answer waits for the publication of writes already acknowledged.
const SETTLE_WAIT: Duration = Duration::from_secs(5);

/// How often one list is re-signed and how long each signature promises.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timing {
    /// Re-sign when the newest publication is this old.
    pub refresh: Duration,
    /// `next_update` = issued-at + this.
    pub validity: Duration,
}

/// The publishing settings of the server (`asxh-server serve` flags).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListOptions {
    pub trust_list: Timing,
    pub revocation_list: Timing,
    /// The most an HTTP cache may keep a list (`Cache-Control: max-age`, never past the list's
    /// `next_update`).
    pub max_age: Duration,
    /// The most bytes of built deltas kept in memory, the oldest dropped first.
    pub delta_cache_bytes: usize,
}

impl Default for ListOptions {
    fn default() -> Self {
        ListOptions {
            trust_list: Timing {
                refresh: Duration::from_secs(6 * 3600),
                validity: Duration::from_secs(24 * 3600),
            },
            revocation_list: Timing {
                refresh: Duration::from_secs(15 * 60),
                validity: Duration::from_secs(3600),
            },
            max_age: Duration::from_secs(30),
            delta_cache_bytes: DELTA_CACHE_BYTES,
        }
    }
}

impl ListOptions {
    /// Refuses settings under which a list could go stale while the server runs.
    pub fn check(&self) -> Result<()> {
        for (name, t) in [
            ("trust-list", self.trust_list),
            ("revocation-list", self.revocation_list),
        ] {
            if t.refresh.is_zero() || t.refresh >= t.validity {
                return Err(ServerError::invalid(
                    format!("{name}-refresh"),
                    format!(
                        "the {name} refresh interval ({}) must be above zero and below its validity ({})",
                        humantime::format_duration(t.refresh),
                        humantime::format_duration(t.validity)
                    ),
                ));
            }
        }
        Ok(())
    }
}

/// The version and times of one publication.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    pub version: u64,
    /// Unix seconds.
    pub issued_at: u64,
    /// Unix seconds.
    pub next_update: u64,
}

/// One signed list as served: full (`base` is `None`) or a delta.
#[derive(Debug, Clone)]
pub struct Published {
    pub stamp: Stamp,
    pub base: Option<u64>,
    pub etag: String,
    pub bytes: Bytes,
}

impl Published {
    /// `bytes` published at `stamp`, with an ETag naming them (`"<prefix>-[<base>-]<version>-<16
    /// hex digits of their SHA-256>"`).
    pub fn new(prefix: &str, stamp: Stamp, base: Option<u64>, bytes: Vec<u8>) -> Published {
        let hash = hex::encode(&Sha256::digest(&bytes)[..8]);
        let etag = match base {
            Some(b) => format!("\"{prefix}-{b}-{}-{hash}\"", stamp.version),
            None => format!("\"{prefix}-{}-{hash}\"", stamp.version),
        };
        Published {
            stamp,
            base,
            etag,
            bytes: Bytes::from(bytes),
        }
    }
}

/// What one kind of list publishes.
pub trait ListKind: Send + Sync {
    /// The list's name in `published_lists` (`revocation-list`); for a kind that publishes a
    /// family of lists, the start of their names.
    fn name(&self) -> &'static str;
    /// Whether `list` is one of the lists of this kind.
    fn owns(&self, list: &str) -> bool {
        list == self.name()
    }
    /// The lists of this kind the server serves and keeps re-signing.
    fn lists(&self, _conn: &Connection) -> Result<Vec<String>> {
        Ok(vec![self.name().to_owned()])
    }
    /// The start of its ETags (`rl`).
    fn etag_prefix(&self) -> &'static str;
    /// Its refresh interval and validity among the server's settings.
    fn timing(&self, options: &ListOptions) -> Timing;
    /// Signs the full list `list` at `stamp` from `conn`, where the writes it publishes are
    /// visible (the writing transaction, or a read after the writes of a batch committed).
    fn full(&self, store: &Store, conn: &Connection, list: &str, stamp: Stamp) -> Result<Vec<u8>>;
    /// Whether `conn` holds writes that no publication up to `version` carries.
    fn unpublished(&self, _conn: &Connection, _version: u64) -> Result<bool> {
        Ok(false)
    }
    /// Whether a serving server publishes this list off the writer's path, in batches.
    fn batched(&self) -> bool {
        false
    }
    /// The publication of `version` committed (or, with `None`, the last one built did not).
    fn committed(&self, version: Option<u64>);
    /// Signs the delta of `list` from `base` to `current`, for a list that has deltas.
    fn delta(
        &self,
        store: &Store,
        conn: &Connection,
        list: &str,
        base: u64,
        current: Stamp,
    ) -> Result<Vec<u8>>;
}

/// Marks the list `name` as changed by the transaction `tx` and returns the version that will
/// publish the change (the same for every change in one transaction, and for a batched list
/// the same for every change until its next publication).
pub fn changed(tx: &Transaction<'_>, name: &str) -> Result<u64> {
    let pending = tx
        .prepare_cached("SELECT version, closed FROM temp.pending_lists WHERE name = ?1")?
        .query_row([name], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, bool>(1)?)))
        .optional()?;
    // A closed version is being published; the next one is above it.
    let closed = match pending {
        Some((v, false)) => return Ok(v as u64),
        Some((v, true)) => v,
        None => -1,
    };
    let previous: i64 = tx
        .prepare_cached("SELECT COALESCE(MAX(version), -1) FROM published_lists WHERE name = ?1")?
        .query_row([name], |r| r.get(0))?;
    let floor: i64 = tx
        .prepare_cached(
            "SELECT COALESCE((SELECT value FROM meta WHERE key = 'list_version_floor'), -1)",
        )?
        .query_row([], |r| r.get(0))?;
    let version = (previous.max(closed) + 1)
        .max(floor + 1)
        .max(clock::now_millis());
    tx.prepare_cached(
        "INSERT OR REPLACE INTO temp.pending_lists (name, version, closed) VALUES (?1, ?2, 0)",
    )?
    .execute(params![name, version])?;
    Ok(version as u64)
}

/// Writes the publication `published` of `name` in `tx`: its bytes become the ones served, older
/// versions keep only their stamp (bases for deltas), and those past the retention go.
fn persist(tx: &Transaction<'_>, name: &str, published: &Published) -> Result<()> {
    let stamp = published.stamp;
    tx.prepare_cached(
        "INSERT INTO published_lists (name, version, issued_at, next_update, etag, bytes) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        name,
        stamp.version as i64,
        stamp.issued_at as i64,
        stamp.next_update as i64,
        published.etag,
        &published.bytes[..]
    ])?;
    // Only the newest full list is ever served; older versions stay bases for deltas for the
    // retention period.
    tx.prepare_cached(
        "UPDATE published_lists SET bytes = NULL WHERE name = ?1 AND version < ?2 AND bytes IS NOT NULL",
    )?
    .execute(params![name, stamp.version as i64])?;
    tx.prepare_cached(
        "DELETE FROM published_lists WHERE name = ?1 AND version < ?2 AND issued_at < ?3",
    )?
    .execute(params![
        name,
        stamp.version as i64,
        stamp.issued_at.saturating_sub(RETENTION.as_secs()) as i64
    ])?;
    Ok(())
}

/// The newest published version of `name` (`None` before the first publication).
pub fn latest_version(conn: &Connection, name: &str) -> Result<Option<u64>> {
    Ok(conn
        .prepare_cached("SELECT MAX(version) FROM published_lists WHERE name = ?1")?
        .query_row([name], |r| r.get::<_, Option<i64>>(0))?
        .map(|v| v as u64))
}

/// Raises the version floor to at least `version` (after a restore: what was published before).
pub fn raise_floor(tx: &Transaction<'_>, version: u64) -> Result<()> {
    tx.execute(
        "INSERT INTO meta (key, value) VALUES ('list_version_floor', ?1)
         ON CONFLICT (key) DO UPDATE SET value = MAX(value, excluded.value)",
        [version as i64],
    )?;
    Ok(())
}

/// The temporary table [`changed`] writes to, on the writer connection.
pub(crate) fn prepare_writer(conn: &Connection) -> Result<()> {
    conn.execute_batch(
        "CREATE TEMP TABLE IF NOT EXISTS pending_lists (name TEXT PRIMARY KEY, version INTEGER NOT NULL, closed INTEGER NOT NULL DEFAULT 0)",
    )?;
    Ok(())
}

/// Built deltas, oldest first out, within a bound in bytes.
#[derive(Default)]
struct DeltaCache {
    map: HashMap<(String, u64, u64), Arc<Published>>,
    order: VecDeque<(String, u64, u64)>,
    bytes: usize,
}

impl DeltaCache {
    fn insert(&mut self, key: (String, u64, u64), delta: Arc<Published>, limit: usize) {
        let size = delta.bytes.len();
        if size > limit || self.map.contains_key(&key) {
            return;
        }
        while self.bytes + size > limit {
            let Some(old) = self.order.pop_front() else {
                break;
            };
            if let Some(d) = self.map.remove(&old) {
                self.bytes -= d.bytes.len();
            }
        }
        self.bytes += size;
        self.order.push_back(key.clone());
        self.map.insert(key, delta);
    }
}

/// A delta request the server cannot answer with a delta.
#[derive(Debug)]
pub enum DeltaRefused {
    /// `since` names no version this server published within the retention (a lost history
    /// after a restore, a pruned one, or a version above the current one): take the full list.
    UnknownBase {
        base: u64,
        current: u64,
    },
    Failed(ServerError),
}

impl From<ServerError> for DeltaRefused {
    fn from(e: ServerError) -> Self {
        DeltaRefused::Failed(e)
    }
}

/// The lists a store publishes, and what it serves of them.
pub struct Publisher {
    kinds: Vec<Box<dyn ListKind>>,
    options: RwLock<ListOptions>,
    current: RwLock<HashMap<String, Arc<Published>>>,
    deltas: Mutex<DeltaCache>,
    /// Held while a delta is built, so many requests for one delta build it once.
    building: Mutex<()>,
    batching: Batching,
}

/// The state of the batched publication of lists (while a server serves).
struct Batching {
    on: std::sync::atomic::AtomicBool,
    /// Woken when a write leaves a batched list to publish.
    wake: tokio::sync::Notify,
    /// The newest version that writes already acknowledged wait to see published.
    awaited: std::sync::atomic::AtomicU64,
    /// The newest version of a batched list served.
    served: tokio::sync::watch::Sender<u64>,
}

/// What a write's transaction published (to serve once it committed) and the version of a
/// batched list it left to publish.
#[derive(Default)]
pub(crate) struct Staged {
    published: Vec<(String, Arc<Published>)>,
    awaited: Option<u64>,
}

impl Publisher {
    pub fn new(kinds: Vec<Box<dyn ListKind>>) -> Publisher {
        Publisher {
            kinds,
            options: RwLock::new(ListOptions::default()),
            current: RwLock::new(HashMap::new()),
            deltas: Mutex::new(DeltaCache::default()),
            building: Mutex::new(()),
            batching: Batching {
                on: std::sync::atomic::AtomicBool::new(false),
                wake: tokio::sync::Notify::new(),
                awaited: std::sync::atomic::AtomicU64::new(0),
                served: tokio::sync::watch::Sender::new(0),
            },
        }
    }

    /// From now on, publishes the batched lists off the writer's path: the caller runs
    /// [`Publisher::publish_batched`] whenever [`Publisher::batch_due`] wakes.
    pub fn batch(&self) {
        self.batching
            .on
            .store(true, std::sync::atomic::Ordering::SeqCst);
    }

    fn batching(&self) -> bool {
        self.batching.on.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Returns when a write has left a batched list to publish.
    pub async fn batch_due(&self) {
        self.batching.wake.notified().await;
    }

    /// Wakes the batched publication again (after a failed attempt).
    pub fn retry_batch(&self) {
        self.batching.wake.notify_one();
    }

    /// Waits (a bounded time) until every write acknowledged so far is in the served lists.
    pub async fn settled(&self) {
        let awaited = self
            .batching
            .awaited
            .load(std::sync::atomic::Ordering::SeqCst);
        let mut served = self.batching.served.subscribe();
        let _ = tokio::time::timeout(SETTLE_WAIT, served.wait_for(|v| *v >= awaited)).await;
    }

    pub fn options(&self) -> ListOptions {
        *self.options.read().unwrap_or_else(|p| p.into_inner())
    }

    pub fn set_options(&self, options: ListOptions) -> Result<()> {
        options.check()?;
        *self.options.write().unwrap_or_else(|p| p.into_inner()) = options;
        Ok(())
    }

    fn timing(&self, name: &str) -> Timing {
        let options = self.options();
        self.kind(name)
            .map_or(options.revocation_list, |k| k.timing(&options))
    }

    fn kind(&self, name: &str) -> Option<&dyn ListKind> {
        self.kinds.iter().find(|k| k.owns(name)).map(|k| k.as_ref())
    }

    /// The newest publication of `name`, as served.
    pub fn current(&self, name: &str) -> Option<Arc<Published>> {
        self.current
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .get(name)
            .cloned()
    }

    /// Inside the transaction of a write, before it commits: signs and persists every list the
    /// write changed (but a batched one, which is left to [`Publisher::publish_batched`]).
    /// Returns what to serve once the commit succeeded.
    pub(crate) fn before_commit(&self, store: &Store, tx: &Transaction<'_>) -> Result<Staged> {
        let pending: Vec<(String, i64)> = {
            let mut stmt =
                tx.prepare_cached("SELECT name, version FROM temp.pending_lists WHERE closed = 0")?;
            let rows = stmt
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            rows
        };
        let mut staged = Staged::default();
        let now = clock::now() as u64;
        for (name, version) in pending {
            let kind = self.kind(&name).ok_or_else(|| {
                ServerError::Setup(format!("a write changed the unknown list {name:?}"))
            })?;
            if kind.batched() && self.batching() {
                staged.awaited = Some(version as u64);
                continue;
            }
            tx.prepare_cached("DELETE FROM temp.pending_lists WHERE name = ?1")?
                .execute([&name])?;
            let stamp = self.stamp(&name, version as u64, now);
            let published = Published::new(
                kind.etag_prefix(),
                stamp,
                None,
                kind.full(store, tx, &name, stamp)?,
            );
            persist(tx, &name, &published)?;
            staged.published.push((name, Arc::new(published)));
        }
        Ok(staged)
    }

    fn stamp(&self, name: &str, version: u64, now: u64) -> Stamp {
        Stamp {
            version,
            issued_at: now,
            next_update: now + self.timing(name).validity.as_secs(),
        }
    }

    /// After the write's commit: serve what it published (`committed`), or forget it; wake the
    /// batched publication if the write left something to it.
    pub(crate) fn after_commit(&self, staged: Staged, committed: bool) {
        for (name, published) in staged.published {
            if let Some(kind) = self.kind(&name) {
                kind.committed(committed.then_some(published.stamp.version));
            }
            if committed {
                self.serve(&name, published);
            }
        }
        if let (true, Some(version)) = (committed, staged.awaited) {
            self.batching
                .awaited
                .fetch_max(version, std::sync::atomic::Ordering::SeqCst);
            self.batching.wake.notify_one();
        }
    }

    /// Publishes the batched lists the writes (or the heartbeat) left: closes the version the writes share under the writer (every write
    /// that took it has committed), builds and signs the list from a read, and persists it in a
    /// transaction of its own. Returns the lists it published.
    pub fn publish_batched(&self, store: &Store) -> Result<Vec<&'static str>> {
        let mut done = Vec::new();
        for kind in self.kinds.iter().filter(|k| k.batched()) {
            let name = kind.name();
            let version = store.write(|tx| {
                let Some(version) = tx
                    .prepare_cached(
                        "SELECT version FROM temp.pending_lists WHERE name = ?1 AND closed = 0",
                    )?
                    .query_row([name], |r| r.get::<_, i64>(0))
                    .optional()?
                else {
                    return Ok(None);
                };
                tx.prepare_cached("UPDATE temp.pending_lists SET closed = 1 WHERE name = ?1")?
                    .execute([name])?;
                Ok(Some(version as u64))
            })?;
            let Some(version) = version else {
                continue;
            };
            let stamp = self.stamp(name, version, clock::now() as u64);
            let bytes = store.read(|c| kind.full(store, c, name, stamp));
            let published = match bytes {
                Ok(bytes) => Arc::new(Published::new(kind.etag_prefix(), stamp, None, bytes)),
                Err(e) => {
                    kind.committed(None);
                    return Err(e);
                }
            };
            let persisted = store.write(|tx| {
                // Another process (the command line) published a later version meanwhile: it
                // carries these writes too.
                if latest_version(tx, name)?.is_some_and(|v| v >= version) {
                    return Ok(false);
                }
                persist(tx, name, &published)?;
                Ok(true)
            });
            let served = matches!(persisted, Ok(true));
            kind.committed(served.then_some(version));
            persisted?;
            if served {
                self.serve(name, published);
                done.push(name);
            } else {
                self.load(store)?;
            }
            self.batching.served.send_modify(|v| *v = (*v).max(version));
        }
        Ok(done)
    }

    fn serve(&self, name: &str, published: Arc<Published>) {
        let mut current = self.current.write().unwrap_or_else(|p| p.into_inner());
        if current
            .get(name)
            .is_none_or(|c| c.stamp.version < published.stamp.version)
        {
            current.insert(name.to_owned(), published);
        }
    }

    /// Serves the newest persisted publication of each list that is newer than what is served
    /// (after start-up, or when another process published).
    pub fn load(&self, store: &Store) -> Result<()> {
        let names = self.names(store)?;
        for name in &names {
            let name = name.as_str();
            let served = self.current(name).map(|p| p.stamp.version);
            let newest = store.read(|c| {
                Ok(c.prepare_cached(
                    "SELECT version, issued_at, next_update, etag, bytes FROM published_lists
                     WHERE name = ?1 AND bytes IS NOT NULL ORDER BY version DESC LIMIT 1",
                )?
                .query_row([name], |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, i64>(1)?,
                        r.get::<_, i64>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, Vec<u8>>(4)?,
                    ))
                })
                .optional()?)
            })?;
            if let Some((version, issued_at, next_update, etag, bytes)) = newest {
                if served.is_none_or(|s| s < version as u64) {
                    self.serve(
                        name,
                        Arc::new(Published {
                            stamp: Stamp {
                                version: version as u64,
                                issued_at: issued_at as u64,
                                next_update: next_update as u64,
                            },
                            base: None,
                            etag,
                            bytes: Bytes::from(bytes),
                        }),
                    );
                }
            }
        }
        Ok(())
    }

    /// Every list of every kind that is served and re-signed.
    fn names(&self, store: &Store) -> Result<Vec<String>> {
        store.read(|c| {
            let mut names = Vec::new();
            for kind in &self.kinds {
                names.extend(kind.lists(c)?);
            }
            Ok(names)
        })
    }

    /// The heartbeat: picks up publications of other processes, then re-signs every list that
    /// was never published, whose newest publication is older than its refresh interval, or
    /// that has writes no publication carries (a batch a stopped server left).
    /// Returns the lists it published.
    pub fn tick(&self, store: &Store) -> Result<Vec<String>> {
        self.load(store)?;
        let now = clock::now() as u64;
        let names = self.names(store)?;
        let mut due: Vec<String> = names
            .iter()
            .filter(|name| {
                self.current(name).is_none_or(|p| {
                    now.saturating_sub(p.stamp.issued_at) >= self.timing(name).refresh.as_secs()
                        || p.stamp.issued_at > now
                })
            })
            .cloned()
            .collect();
        for name in &names {
            if due.contains(name) {
                continue;
            }
            let Some(kind) = self.kind(name) else {
                continue;
            };
            if let Some(current) = self.current(name) {
                if store.read(|c| kind.unpublished(c, current.stamp.version))? {
                    due.push(name.clone());
                }
            }
        }
        if !due.is_empty() {
            store.write(|tx| {
                for name in &due {
                    changed(tx, name)?;
                }
                Ok(())
            })?;
        }
        Ok(due)
    }

    /// The delta of `name` from `base` to the current version, if already built.
    pub fn cached_delta(&self, name: &str, base: u64) -> Option<Arc<Published>> {
        let version = self.current(name)?.stamp.version;
        self.deltas
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .map
            .get(&(name.to_owned(), base, version))
            .cloned()
    }

    /// The delta of `name` from `base` to the current version.
    pub fn delta(
        &self,
        store: &Store,
        name: &str,
        base: u64,
    ) -> std::result::Result<Arc<Published>, DeltaRefused> {
        let current = self
            .current(name)
            .ok_or_else(|| ServerError::Storage(format!("the {name} is not published yet")))?;
        let key = (name.to_owned(), base, current.stamp.version);
        let cached = |deltas: &Mutex<DeltaCache>| {
            deltas
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .map
                .get(&key)
                .cloned()
        };
        if let Some(hit) = cached(&self.deltas) {
            return Ok(hit);
        }
        let unknown = DeltaRefused::UnknownBase {
            base,
            current: current.stamp.version,
        };
        if base > current.stamp.version {
            return Err(unknown);
        }
        let _building = self.building.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(hit) = cached(&self.deltas) {
            return Ok(hit);
        }
        let kind = self
            .kind(name)
            .ok_or_else(|| ServerError::Setup(format!("no list {name:?}")))?;
        let bytes = store.read(|c| {
            let known = c
                .prepare_cached("SELECT 1 FROM published_lists WHERE name = ?1 AND version = ?2")?
                .query_row(params![name, base as i64], |_| Ok(()))
                .optional()?
                .is_some();
            if !known {
                return Ok(None);
            }
            kind.delta(store, c, name, base, current.stamp).map(Some)
        })?;
        let Some(bytes) = bytes else {
            return Err(unknown);
        };
        let delta = Arc::new(Published::new(
            kind.etag_prefix(),
            current.stamp,
            Some(base),
            bytes,
        ));
        self.deltas
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(key, delta.clone(), self.options().delta_cache_bytes);
        Ok(delta)
    }

    /// Bytes of deltas held in memory.
    pub fn delta_cache_bytes(&self) -> usize {
        self.deltas.lock().unwrap_or_else(|p| p.into_inner()).bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::publish::{self, REVOCATION_LIST};

    /// Revokes card `serial` (made for the purpose) in one write; returns the version given.
    fn revoke(store: &Store, serial: i64) -> u64 {
        store
            .write(|tx| {
                tx.execute(
                    "INSERT OR IGNORE INTO offices (code, name, area, key_id, public_key, valid_from, valid_until, created_at)
                     VALUES ('QNG-01', 'Phòng', '51', '00', x'00', '2026-01-01', '2030-01-01', 0)",
                    [],
                )?;
                tx.execute(
                    "INSERT INTO cards (serial, ssn, full_name, date_of_birth, sex, area, office, status, credential, qr_text, issued, expires, created_at)
                     VALUES (?1, printf('0511460%05d', ?1), 'Lan', '1946-08-19', 'F', '51', 'QNG-01', 'revoked', x'00', '', '2026-01-01', '2031-01-01', 0)",
                    [serial],
                )?;
                let version = publish::revocation_list_changed(tx)?;
                tx.execute(
                    "INSERT INTO revocations (version, serial, reason, revoked_on, at) VALUES (?1, ?2, 'lost', '2026-12-01', 0)",
                    params![version as i64, serial],
                )?;
                Ok(version)
            })
            .unwrap()
    }

    fn served(store: &Store) -> asxh_core::lists::RevocationList {
        let current = store.lists().current(REVOCATION_LIST).unwrap();
        asxh_core::lists::RevocationList::parse_verified(
            &current.bytes,
            store.list_key().unwrap().verifying_key(),
        )
        .unwrap()
    }

    #[test]
    fn batched_revocations_share_one_version_published_apart_from_their_writes() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::init(dir.path()).unwrap();
        store.lists().tick(&store).unwrap();
        let before = store
            .lists()
            .current(REVOCATION_LIST)
            .unwrap()
            .stamp
            .version;
        store.lists().batch();
        let (a, b) = (revoke(&store, 1), revoke(&store, 2));
        assert_eq!(a, b, "one version until the next publication");
        assert!(a > before);
        assert_eq!(
            store
                .lists()
                .current(REVOCATION_LIST)
                .unwrap()
                .stamp
                .version,
            before,
            "not published by the writes"
        );
        assert_eq!(
            store.lists().publish_batched(&store).unwrap(),
            [REVOCATION_LIST]
        );
        let list = served(&store);
        assert_eq!(list.version, a);
        assert_eq!(list.entries().len(), 2);
        assert!(
            store.lists().publish_batched(&store).unwrap().is_empty(),
            "nothing left"
        );
        let c = revoke(&store, 3);
        assert!(c > a, "the next batch has the next version");
        store.lists().publish_batched(&store).unwrap();
        assert_eq!(
            (served(&store).version, served(&store).entries().len()),
            (c, 3)
        );
    }

    #[test]
    fn a_batch_a_stopped_server_left_unpublished_is_published_at_start() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::init(dir.path()).unwrap();
        store.lists().tick(&store).unwrap();
        store.lists().batch();
        let version = revoke(&store, 1);
        drop(store);
        let store = Store::open(dir.path()).unwrap();
        assert_eq!(store.lists().tick(&store).unwrap(), [REVOCATION_LIST]);
        let list = served(&store);
        assert!(list.version > version);
        assert_eq!(list.entries().len(), 1);
    }

    #[test]
    fn the_delta_cache_stays_within_its_bound_and_drops_the_oldest_first() {
        let mut cache = DeltaCache::default();
        let stamp = Stamp {
            version: 9,
            issued_at: 1,
            next_update: 2,
        };
        let chunk = DELTA_CACHE_BYTES / 4 + 1;
        for base in 0..10u64 {
            cache.insert(
                ("rl".to_owned(), base, 9),
                Arc::new(Published::new("rl", stamp, Some(base), vec![0; chunk])),
                DELTA_CACHE_BYTES,
            );
            assert!(cache.bytes <= DELTA_CACHE_BYTES);
        }
        assert_eq!(cache.map.len(), 3);
        assert!(cache.map.contains_key(&("rl".to_owned(), 9, 9)));
        assert!(!cache.map.contains_key(&("rl".to_owned(), 6, 9)));
        cache.insert(
            ("rl".to_owned(), 20, 9),
            Arc::new(Published::new(
                "rl",
                stamp,
                Some(20),
                vec![0; DELTA_CACHE_BYTES + 1],
            )),
            DELTA_CACHE_BYTES,
        );
        assert!(
            !cache.map.contains_key(&("rl".to_owned(), 20, 9)),
            "too large to keep"
        );
    }

    #[test]
    fn an_etag_names_the_version_the_base_and_the_bytes() {
        let stamp = Stamp {
            version: 1_800_000_000_123,
            issued_at: 1,
            next_update: 2,
        };
        let a = Published::new("rl", stamp, None, b"one".to_vec());
        let b = Published::new("rl", stamp, None, b"two".to_vec());
        assert!(a.etag.starts_with("\"rl-1800000000123-"), "{}", a.etag);
        assert_ne!(a.etag, b.etag, "other bytes, another ETag");
        let d = Published::new("rl", stamp, Some(5), b"one".to_vec());
        assert!(d.etag.starts_with("\"rl-5-1800000000123-"), "{}", d.etag);
    }
}
