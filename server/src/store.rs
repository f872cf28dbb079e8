//! The data directory: `asxh.sqlite` (WAL, synchronous=FULL: a write acknowledged is on disk),
//! versioned schema migrations, and the key files under `keys/` (hex private scalars, mode 0600,
//! never overwritten). No private key ever goes into the database or a log.

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use asxh_core::lists::OfficeCode;
use asxh_core::signature::SigningKey;
use rand_core::OsRng;
use rusqlite::{Connection, Transaction, TransactionBehavior};

use crate::error::{Result, ServerError};

const DB_FILE: &str = "asxh.sqlite";
const ROOT_KEY: &str = "root.key";
const LIST_KEY: &str = "revocation-list.key";

/// Schema migrations, applied in order; `PRAGMA user_version` records how many ran. Append,
/// never edit: existing databases have run the earlier ones.
const MIGRATIONS: &[&str] = &[r#"
CREATE TABLE offices (
    code        TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    area        TEXT NOT NULL,
    key_id      TEXT NOT NULL UNIQUE,
    public_key  BLOB NOT NULL,
    valid_from  TEXT NOT NULL,
    valid_until TEXT NOT NULL,
    status      TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'retired', 'revoked')),
    created_at  INTEGER NOT NULL
);
CREATE TABLE accounts (
    id          INTEGER PRIMARY KEY,
    role        TEXT NOT NULL CHECK (role IN ('admin', 'office', 'payment-point', 'auditor')),
    office      TEXT REFERENCES offices(code),
    area        TEXT NOT NULL,
    token_hash  BLOB NOT NULL UNIQUE,
    created_at  INTEGER NOT NULL,
    revoked_at  INTEGER
);
CREATE TABLE cards (
    serial        INTEGER PRIMARY KEY,
    ssn           TEXT NOT NULL,
    full_name     TEXT NOT NULL,
    date_of_birth TEXT NOT NULL,
    sex           TEXT NOT NULL,
    area          TEXT NOT NULL,
    office        TEXT NOT NULL REFERENCES offices(code),
    status        TEXT NOT NULL CHECK (status IN ('pending', 'active', 'void', 'revoked')),
    credential    BLOB NOT NULL,
    qr_text       TEXT NOT NULL,
    issued        TEXT NOT NULL,
    expires       TEXT NOT NULL,
    replaces      INTEGER REFERENCES cards(serial),
    created_at    INTEGER NOT NULL
);
-- One live card per SSN: the database itself refuses a second one, so two concurrent requests
-- for one SSN cannot both succeed.
CREATE UNIQUE INDEX cards_one_live_per_ssn ON cards(ssn) WHERE status IN ('pending', 'active');
CREATE INDEX cards_by_ssn ON cards(ssn);
CREATE TABLE card_events (
    id      INTEGER PRIMARY KEY,
    serial  INTEGER NOT NULL REFERENCES cards(serial),
    at      INTEGER NOT NULL,
    event   TEXT NOT NULL,
    actor   TEXT NOT NULL,
    detail  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX card_events_by_serial ON card_events(serial);
-- Each revocation is one version of the revocation list.
CREATE TABLE revocations (
    version    INTEGER PRIMARY KEY AUTOINCREMENT,
    serial     INTEGER NOT NULL UNIQUE REFERENCES cards(serial),
    reason     TEXT NOT NULL,
    revoked_on TEXT NOT NULL,
    at         INTEGER NOT NULL
);
CREATE TABLE audit (
    id        INTEGER PRIMARY KEY,
    at        INTEGER NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    detail    TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
);
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
INSERT INTO meta (key, value) VALUES ('trust_list_version', 1);
"#];

/// Seconds since the Unix epoch.
pub fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// The server's data directory and database connections.
pub struct Store {
    dir: PathBuf,
    writer: Mutex<Connection>,
    reader: Mutex<Connection>,
}

fn open_connection(path: &Path) -> Result<Connection> {
    let conn = Connection::open(path)?;
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    Ok(conn)
}

fn migrate(conn: &mut Connection) -> Result<()> {
    let done: usize = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if done > MIGRATIONS.len() {
        return Err(ServerError::Setup(format!(
            "database schema version {done} is newer than this server ({}); upgrade the server",
            MIGRATIONS.len()
        )));
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(done) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", i + 1)?;
        tx.commit()?;
    }
    Ok(())
}

fn write_key_file(path: &Path, key: &SigningKey) -> Result<()> {
    let mut f = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .map_err(|e| {
            ServerError::Setup(format!(
                "cannot create key file {} ({e}); refusing to overwrite a key",
                path.display()
            ))
        })?;
    writeln!(f, "{}", hex::encode(key.to_bytes()))
        .and_then(|()| f.sync_all())
        .map_err(|e| ServerError::Setup(format!("cannot write {}: {e}", path.display())))
}

fn read_key_file(path: &Path) -> Result<SigningKey> {
    let text = fs::read_to_string(path)
        .map_err(|e| ServerError::Setup(format!("cannot read key file {}: {e}", path.display())))?;
    let bytes = hex::decode(text.trim())
        .map_err(|_| ServerError::Setup(format!("{} is not a hex key", path.display())))?;
    SigningKey::from_slice(&bytes)
        .map_err(|_| ServerError::Setup(format!("{} is not a P-256 private key", path.display())))
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
        let path = dir.join(DB_FILE);
        let mut writer = open_connection(&path)?;
        migrate(&mut writer)?;
        let reader = open_connection(&path)?;
        Ok(Store {
            dir: dir.to_owned(),
            writer: Mutex::new(writer),
            reader: Mutex::new(reader),
        })
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
        tx.commit()?;
        Ok(out)
    }

    /// Runs `f` on the read connection (a consistent snapshot per statement; WAL lets reads run
    /// beside writes).
    pub fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let conn = Self::lock(&self.reader);
        f(&conn)
    }

    pub fn root_key(&self) -> Result<SigningKey> {
        read_key_file(&self.dir.join("keys").join(ROOT_KEY))
    }

    pub fn list_key(&self) -> Result<SigningKey> {
        read_key_file(&self.dir.join("keys").join(LIST_KEY))
    }

    fn issuer_key_path(&self, office: &OfficeCode) -> PathBuf {
        self.dir
            .join("keys")
            .join(format!("issuer-{}.key", office.as_str()))
    }

    /// Creates the issuer key file of a new office.
    pub fn create_issuer_key(&self, office: &OfficeCode) -> Result<SigningKey> {
        let key = SigningKey::random(&mut OsRng);
        write_key_file(&self.issuer_key_path(office), &key)?;
        Ok(key)
    }

    pub fn issuer_key(&self, office: &OfficeCode) -> Result<SigningKey> {
        read_key_file(&self.issuer_key_path(office))
    }

    /// Online backup of the database to `to` (consistent while the server runs).
    pub fn backup(&self, to: &Path) -> Result<()> {
        let conn = Self::lock(&self.reader);
        conn.backup(rusqlite::MAIN_DB, to, None)?;
        Ok(())
    }
}
