//! The data directory: `asxh.sqlite` (WAL, synchronous=FULL: a write acknowledged is on disk)
//! with its connections and group commit, the schema ([`migrations`]), the key files under
//! `keys/`, the lock a serving server holds, and restoring a backup ([`restore`]). No private
//! key ever goes into the database or a log. Every write transaction publishes the signed lists
//! it changed before it commits, but for the lists a serving server publishes in batches
//! ([`crate::publication`]).

mod checkpoint;
mod keys;
pub mod migrations;
pub mod restore;

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard, OnceLock};

use asxh_core::lists::OfficeCode;
use asxh_core::signature::{IssuerKeyId, SigningKey};
use rand_core::OsRng;
use rusqlite::{Connection, Transaction, TransactionBehavior};

use self::checkpoint::Checkpointer;
pub use self::checkpoint::{Checkpoint, CHECKPOINT_INTERVAL};
pub use self::keys::create_secret_file;
use self::keys::{read_key_file, write_key_file};
use crate::error::{Result, ServerError};
use crate::publication::{self, ListOptions, Publisher};

const DB_FILE: &str = "asxh.sqlite";
/// Locked exclusively by the process serving the data directory (or restoring it).
const SERVE_LOCK: &str = "serve.lock";
const ROOT_KEY: &str = "root.key";
const LIST_KEY: &str = "revocation-list.key";
const ROLL_KEY: &str = "payment-roll.key";

/// A write waiting for the next group commit: it runs inside the batch's transaction (in its own
/// savepoint) and returns how to deliver its outcome once the commit is known.
type Job = Box<dyn FnOnce(&Transaction<'_>) -> Deliver + Send>;
/// Delivers a job's outcome: `Ok(())` when the batch committed, or the commit's error.
type Deliver = Box<dyn FnOnce(Result<()>) + Send>;

/// The writes waiting for the next group commit, and whether a batch is being committed.
#[derive(Default)]
struct Batches {
    queued: Vec<Job>,
    committing: bool,
}

/// Ends a batch's commit however it ends (a write that panics too): the next batch may start,
/// and the writes waiting on this one look for their outcome.
struct BatchEnded<'a>(&'a Store);

impl Drop for BatchEnded<'_> {
    fn drop(&mut self) {
        self.0.lock_batches().committing = false;
        self.0.batch_done.notify_all();
    }
}

/// Runs `f` inside a savepoint of `tx`, rolling back just its changes when it fails.
fn run_in_savepoint<T>(
    tx: &Transaction<'_>,
    f: impl FnOnce(&Transaction<'_>) -> Result<T>,
) -> Result<T> {
    // Cached: a batch runs these around every one of its writes.
    tx.prepare_cached("SAVEPOINT job")?.execute([])?;
    match f(tx) {
        Ok(v) => {
            tx.prepare_cached("RELEASE job")?.execute([])?;
            Ok(v)
        }
        Err(e) => {
            tx.prepare_cached("ROLLBACK TO job")?.execute([])?;
            tx.prepare_cached("RELEASE job")?.execute([])?;
            Err(e)
        }
    }
}

/// The server's data directory and database connections.
pub struct Store {
    dir: PathBuf,
    writer: Mutex<Connection>,
    /// Read connections; a read takes whichever is free, so reads do not queue behind each other.
    readers: Vec<Mutex<Connection>>,
    next_reader: std::sync::atomic::AtomicUsize,
    batches: Mutex<Batches>,
    /// Signalled when a batch's commit ends.
    batch_done: Condvar,
    lists: Publisher,
    /// The highest card serial reserved by this process ([`Store::reserve_serial`]).
    serials: Mutex<i64>,
    /// Transactions the writer committed (what [`Store::checkpoint`] looks at).
    commits: AtomicU64,
    /// Set once the writer leaves checkpoints to [`Store::checkpoint`].
    checkpointer: OnceLock<Checkpointer>,
    /// Each office's issuer key last read from its file by [`Store::issuer_key`], so that an
    /// issuance does not read, parse and check a key file (a scalar multiplication) every time;
    /// forgotten when the key is retired, revoked or rotated out.
    issuer_keys: Mutex<HashMap<OfficeCode, (IssuerKeyId, SigningKey)>>,
}

/// Number of read connections.
const READERS: usize = 4;

fn open_connection(path: &Path) -> Result<Connection> {
    let conn = Connection::open(path)?;
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    Ok(conn)
}

impl Store {
    /// Creates a new data directory: database, root key and revocation-list key. Refuses to
    /// touch a directory that already holds a database or keys.
    pub fn init(dir: &Path) -> Result<Store> {
        fs::create_dir_all(dir.join("keys"))
            .map_err(|e| ServerError::Setup(format!("cannot create {}: {e}", dir.display())))?;
        if dir.join(DB_FILE).exists() {
            return Err(ServerError::Setup(format!(
                "{} already holds a database; refusing to initialise it again",
                dir.display()
            )));
        }
        write_key_file(
            &dir.join("keys").join(ROOT_KEY),
            &SigningKey::random(&mut OsRng),
        )?;
        write_key_file(
            &dir.join("keys").join(LIST_KEY),
            &SigningKey::random(&mut OsRng),
        )?;
        Self::open(dir)
    }

    /// Opens an existing data directory and brings its schema up to date.
    pub fn open(dir: &Path) -> Result<Store> {
        if !dir.join("keys").join(ROOT_KEY).exists() {
            return Err(ServerError::Setup(format!(
                "{} is not a server data directory (run `asxh-server init --data {}`)",
                dir.display(),
                dir.display()
            )));
        }
        // A data directory made before the payment roll gets its roll key on first open.
        let roll_key = dir.join("keys").join(ROLL_KEY);
        if !roll_key.exists() {
            write_key_file(&roll_key, &SigningKey::random(&mut OsRng))?;
        }
        let path = dir.join(DB_FILE);
        let mut writer = open_connection(&path)?;
        migrations::migrate(&mut writer)?;
        publication::prepare_writer(&writer)?;
        let readers = (0..READERS)
            .map(|_| open_connection(&path).map(Mutex::new))
            .collect::<Result<Vec<_>>>()?;
        let store = Store {
            dir: dir.to_owned(),
            writer: Mutex::new(writer),
            readers,
            next_reader: std::sync::atomic::AtomicUsize::new(0),
            batches: Mutex::new(Batches::default()),
            batch_done: Condvar::new(),
            lists: Publisher::new(crate::publish::kinds()),
            serials: Mutex::new(0),
            commits: AtomicU64::new(0),
            checkpointer: OnceLock::new(),
            issuer_keys: Mutex::new(HashMap::new()),
        };
        store.lists.load(&store)?;
        Ok(store)
    }

    /// Opens the data directory with the publishing settings `options`.
    pub fn open_with(dir: &Path, options: ListOptions) -> Result<Store> {
        let store = Self::open(dir)?;
        store.lists.set_options(options)?;
        Ok(store)
    }

    /// The signed lists this store publishes, as served.
    pub fn lists(&self) -> &Publisher {
        &self.lists
    }

    /// Takes the lock of the serving process: refuses when another process serves this data
    /// directory (or restores it). Released when the returned file is dropped or the process
    /// ends.
    pub fn lock_for_serving(&self) -> Result<DataDirLock> {
        lock_data_dir(&self.dir)
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn lock(m: &Mutex<Connection>) -> MutexGuard<'_, Connection> {
        m.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Runs `f` in an immediate (write-locking) transaction and commits it; the commit is
    /// durable when this returns `Ok`.
    pub fn write<T>(&self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        let mut conn = Self::lock(&self.writer);
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let out = f(&tx)?;
        let staged = self.lists.before_commit(self, &tx)?;
        let committed = tx.commit();
        if committed.is_ok() {
            self.commits.fetch_add(1, Ordering::Release);
        }
        self.lists.after_commit(staged, committed.is_ok());
        committed?;
        Ok(out)
    }

    /// Like [`Store::write`], but with group commit: writes that arrive while another batch is
    /// being committed are run together in one transaction (each in its own savepoint, so one
    /// failing write does not undo the others) and share one fsync. Returns once the write is
    /// durable. Under many concurrent clients this keeps latency flat where one fsync per write
    /// would queue them. A write waits on the batch being committed, never on the writer: one
    /// that was in it returns as soon as it ends, and the first of those queued behind it
    /// commits them all as the next batch (waiting on the writer's lock instead kept writes
    /// already committed waiting for later batches, and doubled the slowest revocations).
    pub fn write_batched<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Transaction<'_>) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let (send, receive) = std::sync::mpsc::sync_channel::<Result<T>>(1);
        let job: Job = Box::new(move |tx| {
            let outcome = run_in_savepoint(tx, f);
            Box::new(move |committed: Result<()>| {
                let _ = send.send(committed.and(outcome));
            })
        });
        let mut batches = self.lock_batches();
        batches.queued.push(job);
        loop {
            // Delivered by whoever committed the batch ours was in (another thread, or this one).
            match receive.try_recv() {
                Ok(outcome) => return outcome,
                Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                    return Err(ServerError::Storage(
                        "the write was lost before its commit".into(),
                    ))
                }
                Err(std::sync::mpsc::TryRecvError::Empty) => {}
            }
            if batches.committing {
                // Wait for the batch being committed, not for the writer: a write queued behind it
                // is taken by the next batch, and one already in it is delivered when it ends.
                batches = self
                    .batch_done
                    .wait(batches)
                    .unwrap_or_else(|p| p.into_inner());
                continue;
            }
            batches.committing = true;
            let jobs = std::mem::take(&mut batches.queued);
            drop(batches);
            let ended = BatchEnded(self);
            self.commit_batch(jobs);
            drop(ended);
            batches = self.lock_batches();
        }
    }

    fn lock_batches(&self) -> MutexGuard<'_, Batches> {
        self.batches.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Runs `jobs` in one transaction on the writer, commits it and delivers each job's outcome.
    fn commit_batch(&self, jobs: Vec<Job>) {
        let mut conn = Self::lock(&self.writer);
        let mut deliveries = Vec::with_capacity(jobs.len());
        let mut staged = publication::Staged::default();
        let committed = (|| -> Result<()> {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            for job in jobs {
                deliveries.push(job(&tx));
            }
            staged = self.lists.before_commit(self, &tx)?;
            tx.commit()?;
            self.commits.fetch_add(1, Ordering::Release);
            Ok(())
        })();
        self.lists
            .after_commit(std::mem::take(&mut staged), committed.is_ok());
        for deliver in deliveries {
            deliver(match &committed {
                Ok(()) => Ok(()),
                Err(e) => Err(e.commit_failed()),
            });
        }
    }

    /// Reserves the serial of a new card: above every card stored and every serial reserved
    /// before (issuances sign their card before their write, so two of them never share one).
    pub(crate) fn reserve_serial(&self) -> Result<i64> {
        let mut last = self.serials.lock().unwrap_or_else(|p| p.into_inner());
        let stored: i64 = self.read(|c| {
            Ok(
                c.prepare_cached("SELECT COALESCE(MAX(serial), 0) FROM cards")?
                    .query_row([], |r| r.get(0))?,
            )
        })?;
        *last = (*last).max(stored) + 1;
        Ok(*last)
    }

    /// Runs `f` on the read connection (a consistent snapshot per statement; WAL lets reads run
    /// beside writes).
    pub fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let start = self
            .next_reader
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        for i in 0..READERS {
            if let Ok(conn) = self.readers[(start + i) % READERS].try_lock() {
                return f(&conn);
            }
        }
        let conn = Self::lock(&self.readers[start % READERS]);
        f(&conn)
    }

    pub fn root_key(&self) -> Result<SigningKey> {
        read_key_file(&self.dir.join("keys").join(ROOT_KEY))
    }

    pub fn list_key(&self) -> Result<SigningKey> {
        read_key_file(&self.dir.join("keys").join(LIST_KEY))
    }

    /// The key that signs the payment rolls (SPEC.md §17).
    pub fn roll_key(&self) -> Result<SigningKey> {
        read_key_file(&self.dir.join("keys").join(ROLL_KEY))
    }

    /// An office's first key is `issuer-<office>.key`; each later one (a rotation) is
    /// `issuer-<office>-<key id>.key`.
    fn issuer_key_path(&self, office: &OfficeCode, key_id: Option<IssuerKeyId>) -> PathBuf {
        let name = match key_id {
            None => format!("issuer-{}.key", office.as_str()),
            Some(id) => format!("issuer-{}-{}.key", office.as_str(), id.to_hex()),
        };
        self.dir.join("keys").join(name)
    }

    /// Creates the issuer key file of a new office.
    pub fn create_issuer_key(&self, office: &OfficeCode) -> Result<SigningKey> {
        let key = SigningKey::random(&mut OsRng);
        write_key_file(&self.issuer_key_path(office, None), &key)?;
        Ok(key)
    }

    /// Creates the file of a further issuer key of `office` (a rotation).
    pub fn create_next_issuer_key(&self, office: &OfficeCode) -> Result<SigningKey> {
        let key = SigningKey::random(&mut OsRng);
        let id = IssuerKeyId::of(key.verifying_key());
        write_key_file(&self.issuer_key_path(office, Some(id)), &key)?;
        Ok(key)
    }

    /// Removes the file of a key made by [`Store::create_next_issuer_key`] that no transaction
    /// recorded (the rotation failed), so no private key is left on disk that nothing uses.
    pub fn discard_unrecorded_issuer_key(&self, office: &OfficeCode, key_id: IssuerKeyId) {
        let path = self.issuer_key_path(office, Some(key_id));
        if let Err(e) = std::fs::remove_file(&path) {
            tracing::warn!(path = %path.display(), error = %e, "{}", asxh_text::logs::text(asxh_text::Msg::LogKeyFileLeft));
        }
    }

    /// The private key `key_id` of `office`: read from its file the first time, then kept until
    /// [`Store::forget_issuer_key`] (the file is never overwritten).
    pub fn issuer_key(&self, office: &OfficeCode, key_id: IssuerKeyId) -> Result<SigningKey> {
        let mut kept = self.issuer_keys.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((_, key)) = kept.get(office).filter(|(id, _)| *id == key_id) {
            return Ok(key.clone());
        }
        let key = self.read_issuer_key(office, key_id)?;
        kept.insert(office.clone(), (key_id, key.clone()));
        Ok(key)
    }

    /// Drops the issuer key `key_id` from memory if [`Store::issuer_key`] kept it: it signs no
    /// more cards (retired, revoked or rotated out).
    pub fn forget_issuer_key(&self, key_id: IssuerKeyId) {
        self.issuer_keys
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .retain(|_, (id, _)| *id != key_id);
    }

    fn read_issuer_key(&self, office: &OfficeCode, key_id: IssuerKeyId) -> Result<SigningKey> {
        let later = self.issuer_key_path(office, Some(key_id));
        let path = if later.exists() {
            later
        } else {
            self.issuer_key_path(office, None)
        };
        let key = read_key_file(&path)?;
        if IssuerKeyId::of(key.verifying_key()) != key_id {
            return Err(ServerError::Setup(format!(
                "{} is not issuer key {key_id} of office {office}; restore the keys/ directory from the key backup",
                path.display()
            )));
        }
        Ok(key)
    }

    /// Leaves the write-ahead log's checkpoints to [`Store::checkpoint`] instead of the commit
    /// that fills it (why: the `checkpoint` module); a serving server calls it before serving and then
    /// [`Store::checkpoint`] every [`CHECKPOINT_INTERVAL`].
    pub fn checkpoint_off_the_writer(&self) -> Result<()> {
        let checkpointer = Checkpointer::open(&self.dir.join(DB_FILE))?;
        // The writer stops checkpointing only once the other connection is there to do it.
        let _ = self.checkpointer.set(checkpointer);
        Self::lock(&self.writer).pragma_update(None, "wal_autocheckpoint", 0)?;
        Ok(())
    }

    /// Checkpoints the log passively (never waiting for the writer or the readers) when the
    /// writer committed since the last time; `None` when there was nothing to do or the writer
    /// checkpoints by itself.
    pub fn checkpoint(&self) -> Result<Option<Checkpoint>> {
        match self.checkpointer.get() {
            Some(c) => c.run_if_written(&self.commits),
            None => Ok(None),
        }
    }

    /// Online backup of the database to `to` (consistent while the server runs).
    pub fn backup(&self, to: &Path) -> Result<()> {
        let conn = Self::lock(&self.readers[0]);
        conn.backup(rusqlite::MAIN_DB, to, None)?;
        Ok(())
    }
}

/// The lock of a data directory: an SQLite file held with an exclusive lock (the operating
/// system's file lock, released when the process ends however it ends).
pub struct DataDirLock {
    _conn: Connection,
}

/// Takes the exclusive lock of the data directory `dir` without waiting.
fn lock_data_dir(dir: &Path) -> Result<DataDirLock> {
    let path = dir.join(SERVE_LOCK);
    let conn = Connection::open(&path)
        .map_err(|e| ServerError::Setup(format!("cannot open {}: {e}", path.display())))?;
    let taken = conn
        .busy_timeout(std::time::Duration::ZERO)
        .and_then(|()| conn.pragma_update(None, "locking_mode", "EXCLUSIVE"))
        .and_then(|()| {
            conn.execute_batch(
                "BEGIN EXCLUSIVE; CREATE TABLE IF NOT EXISTS held (at INTEGER); COMMIT;",
            )
        });
    match taken {
        Ok(()) => Ok(DataDirLock { _conn: conn }),
        Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseBusy) => {
            Err(ServerError::Setup(format!(
                "a server is running on {} (it holds {}); stop it first",
                dir.display(),
                path.display()
            )))
        }
        Err(e) => Err(ServerError::Setup(format!(
            "cannot lock {}: {e}",
            path.display()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    /// Frames of `size` pages written by one commit of the test's table.
    fn commit_pages(store: &Store, from: usize, pages: usize) {
        store
            .write(|tx| {
                for i in from..from + pages {
                    tx.execute(
                        "INSERT INTO meta (key, value) VALUES (?1, ?2)",
                        rusqlite::params![format!("page{i}"), vec![7u8; 3000]],
                    )?;
                }
                Ok(())
            })
            .unwrap();
    }

    fn log_file_frames(dir: &Path) -> u64 {
        fs::metadata(dir.join("asxh.sqlite-wal")).unwrap().len() / (4096 + 24)
    }

    #[test]
    fn a_writer_that_leaves_checkpoints_to_the_checkpointer_lets_the_log_grow_until_it_checkpoints()
    {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::init(dir.path()).unwrap();
        assert_eq!(
            store.checkpoint().unwrap(),
            None,
            "the writer checkpoints by itself"
        );
        store.checkpoint_off_the_writer().unwrap();
        store.checkpoint().unwrap();
        assert_eq!(store.checkpoint().unwrap(), None, "nothing committed since");
        // A writer checkpointing by itself would have checkpointed after the first commit (past
        // SQLite's 1,000 pages) and started the log again with the second.
        commit_pages(&store, 0, 1200);
        commit_pages(&store, 1200, 1200);
        assert!(
            log_file_frames(dir.path()) > 2400,
            "{} frames",
            log_file_frames(dir.path())
        );
        let done = store.checkpoint().unwrap().expect("commits to checkpoint");
        assert!(done.log_frames > 2400, "{done:?}");
        assert_eq!(done.checkpointed_frames, done.log_frames);
        assert_eq!(store.checkpoint().unwrap(), None);
    }

    #[test]
    fn a_write_that_panics_in_a_batch_fails_its_batch_and_the_next_batches_commit() {
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(Store::init(dir.path()).unwrap());
        let panicking = {
            let store = store.clone();
            std::thread::spawn(move || {
                store.write_batched(|_| -> Result<()> { panic!("a bug in a write") })
            })
        };
        assert!(panicking.join().is_err());
        let writers: Vec<_> = (0..8)
            .map(|i: i64| {
                let store = store.clone();
                std::thread::spawn(move || {
                    store.write_batched(move |tx| {
                        tx.execute(
                            "INSERT INTO meta (key, value) VALUES (?1, ?2)",
                            rusqlite::params![format!("after{i}"), i],
                        )?;
                        Ok(())
                    })
                })
            })
            .collect();
        for w in writers {
            w.join().unwrap().unwrap();
        }
        let kept: i64 = store
            .read(|c| {
                Ok(c.query_row(
                    "SELECT COUNT(*) FROM meta WHERE key LIKE 'after%'",
                    [],
                    |r| r.get(0),
                )?)
            })
            .unwrap();
        assert_eq!(kept, 8);
    }

    #[test]
    fn group_commit_keeps_each_write_whole_and_a_failing_one_undone() {
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(Store::init(dir.path()).unwrap());
        let handles: Vec<_> = (0..40)
            .map(|i: i64| {
                let store = store.clone();
                std::thread::spawn(move || {
                    store.write_batched(move |tx| {
                        tx.execute(
                            "INSERT INTO meta (key, value) VALUES (?1, ?2)",
                            rusqlite::params![format!("k{i}"), i],
                        )?;
                        if i % 3 == 0 {
                            return Err(ServerError::Conflict(format!(
                                "job {i} fails after writing"
                            )));
                        }
                        Ok(i)
                    })
                })
            })
            .collect();
        for (i, h) in handles.into_iter().enumerate() {
            let outcome = h.join().unwrap();
            assert_eq!(outcome.is_ok(), i % 3 != 0, "job {i}: {outcome:?}");
        }
        let kept: Vec<i64> = store
            .read(|c| {
                let mut stmt =
                    c.prepare("SELECT value FROM meta WHERE key LIKE 'k%' ORDER BY value")?;
                let rows = stmt
                    .query_map([], |r| r.get(0))?
                    .collect::<rusqlite::Result<Vec<i64>>>()?;
                Ok(rows)
            })
            .unwrap();
        assert_eq!(kept, (0..40).filter(|i| i % 3 != 0).collect::<Vec<_>>());
    }
}
