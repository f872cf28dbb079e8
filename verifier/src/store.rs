//! The payment point's data directory: `verifier.sqlite` holds the configuration (server, pinned
//! root fingerprint, the root key once checked against it, point id), the signed lists exactly
//! as the server sent them (trust list; full revocation list and the deltas since), the
//! revocations the point keeps although a newer list of the server no longer carries them
//! (revocation is monotonic at the verifier, SPEC.md §15.3), the payment roll of the point's
//! area for each month synced (full and the deltas since, SPEC.md §17.4), and the journal of
//! verifications.
//! Lists are stored signed and verified again on every load, so a tampered cache file is refused
//! like a tampered download.

use std::path::{Path, PathBuf};

use asxh_core::lists::{Month, Revocation, RevocationList, RevocationReason, Roll, TrustList};
use asxh_core::signature::{self, PublicKey};
use asxh_core::{AreaCode, CardSerial};
use asxh_text::usage::Usage;
use asxh_verdict::roll::HeldRoll;
use asxh_verdict::{Checker, Lists, Policy};
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

use crate::error::{ListName, Refusal, Result, VerifierError};

const DB_FILE: &str = "verifier.sqlite";

const SCHEMA: &str = r#"
CREATE TABLE IF NOT EXISTS config (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS lists (
    kind    TEXT PRIMARY KEY CHECK (kind IN ('trust', 'revocations')),
    version INTEGER NOT NULL,
    bytes   BLOB NOT NULL,
    etag    TEXT
);
CREATE TABLE IF NOT EXISTS deltas (
    seq     INTEGER PRIMARY KEY,
    version INTEGER NOT NULL,
    bytes   BLOB NOT NULL,
    etag    TEXT
);
CREATE TABLE IF NOT EXISTS kept_revocations (
    serial       INTEGER PRIMARY KEY,
    reason       TEXT NOT NULL,
    -- the version of the list that first left it out
    dropped_at   INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS rolls (
    area    TEXT NOT NULL,
    month   TEXT NOT NULL,
    version INTEGER NOT NULL,
    bytes   BLOB NOT NULL,
    etag    TEXT,
    PRIMARY KEY (area, month)
);
CREATE TABLE IF NOT EXISTS roll_deltas (
    seq     INTEGER PRIMARY KEY,
    area    TEXT NOT NULL,
    month   TEXT NOT NULL,
    version INTEGER NOT NULL,
    bytes   BLOB NOT NULL,
    etag    TEXT
);
CREATE TABLE IF NOT EXISTS journal (
    id        INTEGER PRIMARY KEY,
    at        INTEGER NOT NULL,
    point_id  TEXT NOT NULL,
    medium    TEXT NOT NULL,
    serial    TEXT,
    outcome   TEXT NOT NULL,
    exit_code INTEGER NOT NULL,
    list_version INTEGER,
    holder    TEXT
);
"#;

/// How the verifier was set up.
#[derive(Debug, Clone)]
pub struct Config {
    pub server: String,
    pub root_fingerprint: String,
    pub point_id: String,
    /// The root public key, once fetched and checked against the fingerprint.
    pub root_key: Option<PublicKey>,
    /// The province's CA certificate (PEM) the server's TLS certificate may chain to, besides
    /// the operating system's store.
    pub ca_file: Option<PathBuf>,
    /// The commune (or larger area) whose payment roll this point pays from.
    pub area: Option<AreaCode>,
}

/// What a verification works from: the verified lists and, for a point that pays in an area,
/// that area's roll for the current month (SPEC.md §17.4).
#[derive(Debug, Clone)]
pub struct Snapshot {
    pub lists: Option<Lists>,
    pub area: Option<AreaCode>,
    pub month: Month,
    pub roll: Option<Roll>,
}

impl Snapshot {
    /// A checker over this snapshot now.
    pub fn checker(&self, policy: Policy) -> Checker<'_> {
        let checker = Checker::new(self.lists.as_ref(), policy);
        match &self.area {
            Some(area) => checker.with_roll(HeldRoll {
                area,
                month: self.month,
                roll: self.roll.as_ref(),
            }),
            None => checker,
        }
    }
}

/// One journal row.
#[derive(Debug, Clone, Serialize)]
pub struct JournalEntry {
    pub at: i64,
    pub point_id: String,
    pub medium: String,
    pub serial: Option<String>,
    pub outcome: String,
    pub exit_code: u8,
    pub list_version: Option<u64>,
    /// Holder name and SSN, only when the point keeps them (`--journal-holder`).
    pub holder: Option<String>,
}

/// The data directory.
pub struct Store {
    conn: Connection,
    dir: PathBuf,
}

impl Store {
    /// Creates the data directory and pins the root fingerprint. Refuses an existing one.
    pub fn init(dir: &Path, server: &str, root_fingerprint: &str, point_id: &str) -> Result<Store> {
        let fp = root_fingerprint.trim().to_ascii_lowercase();
        if fp.len() != 64 || !fp.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(VerifierError::Usage(Usage::RootFingerprint {
                text: root_fingerprint.to_owned(),
            }));
        }
        if !(server.starts_with("http://") || server.starts_with("https://")) {
            return Err(VerifierError::Usage(Usage::ServerUrl {
                url: server.to_owned(),
            }));
        }
        if dir.join(DB_FILE).exists() {
            return Err(VerifierError::Usage(Usage::AlreadyInitialised {
                dir: dir.display().to_string(),
            }));
        }
        std::fs::create_dir_all(dir)
            .map_err(|e| VerifierError::Storage(format!("cannot create {}: {e}", dir.display())))?;
        let store = Store::open_db(dir)?;
        for (k, v) in [
            ("server", server.trim_end_matches('/')),
            ("root_fingerprint", fp.as_str()),
            ("point_id", point_id),
        ] {
            store.conn.execute(
                "INSERT INTO config (key, value) VALUES (?1, ?2)",
                params![k, v],
            )?;
        }
        Ok(store)
    }

    /// Opens an initialised data directory.
    pub fn open(dir: &Path) -> Result<Store> {
        if !dir.join(DB_FILE).exists() {
            return Err(VerifierError::NotInitialised(dir.to_owned()));
        }
        Store::open_db(dir)
    }

    fn open_db(dir: &Path) -> Result<Store> {
        let conn = Connection::open(dir.join(DB_FILE))?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.execute_batch(SCHEMA)?;
        Ok(Store {
            conn,
            dir: dir.to_owned(),
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn get(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT value FROM config WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()?)
    }

    pub fn config(&self) -> Result<Config> {
        let need = |k: &str| {
            self.get(k)?
                .ok_or_else(|| VerifierError::Storage(format!("configuration lacks {k}")))
        };
        let root_key = match self.get("root_key")? {
            Some(h) => Some(
                hex::decode(&h)
                    .ok()
                    .and_then(|b| signature::public_key_from_bytes("root_key", &b).ok())
                    .ok_or_else(|| VerifierError::Storage("stored root key is damaged".into()))?,
            ),
            None => None,
        };
        Ok(Config {
            server: need("server")?,
            root_fingerprint: need("root_fingerprint")?,
            point_id: need("point_id")?,
            root_key,
            ca_file: self.get("ca_file")?.map(PathBuf::from),
            area: self
                .get("area")?
                .map(|a| {
                    AreaCode::parse(&a)
                        .map_err(|e| VerifierError::Storage(format!("stored area: {e}")))
                })
                .transpose()?,
        })
    }

    /// Pays from the roll of `area` from now on (the next sync fetches it).
    pub fn set_area(&self, area: &AreaCode) -> Result<()> {
        self.conn.execute(
            "INSERT OR REPLACE INTO config (key, value) VALUES ('area', ?1)",
            [area.as_str()],
        )?;
        Ok(())
    }

    /// The held roll of `area` for `month`: the full roll and its deltas, each verified under
    /// the trust list's roll key, applied in order. `None` before a sync found one.
    pub fn roll(&self, trust: &TrustList, area: &AreaCode, month: Month) -> Result<Option<Roll>> {
        let m = month.to_string();
        let full: Option<Vec<u8>> = self
            .conn
            .query_row(
                "SELECT bytes FROM rolls WHERE area = ?1 AND month = ?2",
                params![area.as_str(), m],
                |r| r.get(0),
            )
            .optional()?;
        let Some(full) = full else { return Ok(None) };
        let refused = |list, detail: String| {
            VerifierError::Refused(Refusal::CacheDoesNotVerify { list, detail })
        };
        let mut roll = Roll::parse_full_verified(&full, &trust.roll_key)
            .map_err(|e| refused(ListName::PaymentRoll, e.to_string()))?;
        let mut stmt = self
            .conn
            .prepare("SELECT bytes FROM roll_deltas WHERE area = ?1 AND month = ?2 ORDER BY seq")?;
        let deltas = stmt
            .query_map(params![area.as_str(), m], |r| r.get::<_, Vec<u8>>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        for d in deltas {
            let delta = Roll::parse_delta_verified(&d, &trust.roll_key)
                .map_err(|e| refused(ListName::PaymentRollDelta, e.to_string()))?;
            roll.apply(&delta).map_err(|e| {
                refused(
                    ListName::PaymentRollDelta,
                    format!("the deltas do not chain: {e}"),
                )
            })?;
        }
        Ok(Some(roll))
    }

    /// Replaces the held roll of an area and month with a full one (and forgets its deltas).
    pub fn save_full_roll(&mut self, roll: &Roll, bytes: &[u8], etag: Option<&str>) -> Result<()> {
        let (area, month) = (roll.header.area.as_str(), roll.header.month.to_string());
        let tx = self.conn.transaction()?;
        tx.execute(
            "DELETE FROM roll_deltas WHERE area = ?1 AND month = ?2",
            params![area, month],
        )?;
        tx.execute(
            "INSERT OR REPLACE INTO rolls (area, month, version, bytes, etag) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![area, month, roll.header.version as i64, bytes, etag],
        )?;
        tx.commit()?;
        Ok(())
    }

    pub fn append_roll_delta(&self, delta: &Roll, bytes: &[u8], etag: Option<&str>) -> Result<()> {
        self.conn.execute(
            "INSERT INTO roll_deltas (area, month, version, bytes, etag) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                delta.header.area.as_str(),
                delta.header.month.to_string(),
                delta.header.version as i64,
                bytes,
                etag
            ],
        )?;
        Ok(())
    }

    /// The number of deltas held on top of the roll of `area` for `month`, and the ETag of the
    /// last one.
    pub fn roll_deltas(&self, area: &AreaCode, month: Month) -> Result<(u64, Option<String>)> {
        Ok(self.conn.query_row(
            "SELECT COUNT(*), (SELECT etag FROM roll_deltas WHERE area = ?1 AND month = ?2 ORDER BY seq DESC LIMIT 1)
             FROM roll_deltas WHERE area = ?1 AND month = ?2",
            params![area.as_str(), month.to_string()],
            |r| Ok((r.get::<_, i64>(0)? as u64, r.get(1)?)),
        )?)
    }

    /// Trusts the CA certificate in `path` (PEM) for the server's TLS from now on; the file is
    /// read on every sync, so a renewed CA certificate needs no new set-up.
    pub fn set_ca_file(&self, path: &Path) -> Result<()> {
        let ca_file = |detail: String| VerifierError::Usage(Usage::CaFile { detail });
        asxh_client::read_ca_file(path).map_err(|e| ca_file(e.to_string()))?;
        let path = std::fs::canonicalize(path)
            .map_err(|e| ca_file(format!("--ca-file {}: {e}", path.display())))?;
        let text = path.to_str().ok_or_else(|| {
            VerifierError::Usage(Usage::PathNotUtf8 {
                option: "--ca-file",
                path: path.display().to_string(),
            })
        })?;
        self.conn.execute(
            "INSERT OR REPLACE INTO config (key, value) VALUES ('ca_file', ?1)",
            [text],
        )?;
        Ok(())
    }

    /// Stores the root key after checking it against the pinned fingerprint.
    pub fn set_root_key(&self, key: &PublicKey) -> Result<()> {
        let pinned = self.config()?.root_fingerprint;
        let actual = signature::fingerprint(key);
        if actual != pinned {
            return Err(VerifierError::Refused(Refusal::RootMismatch {
                actual,
                pinned,
            }));
        }
        self.conn.execute(
            "INSERT OR REPLACE INTO config (key, value) VALUES ('root_key', ?1)",
            [hex::encode(signature::public_key_bytes(key))],
        )?;
        Ok(())
    }

    /// The stored trust list bytes and ETag.
    pub fn trust_list(&self) -> Result<Option<(Vec<u8>, Option<String>)>> {
        Ok(self
            .conn
            .query_row(
                "SELECT bytes, etag FROM lists WHERE kind = 'trust'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
    }

    pub fn save_trust_list(&self, version: u64, bytes: &[u8], etag: Option<&str>) -> Result<()> {
        self.conn.execute(
            "INSERT OR REPLACE INTO lists (kind, version, bytes, etag) VALUES ('trust', ?1, ?2, ?3)",
            params![version as i64, bytes, etag],
        )?;
        Ok(())
    }

    /// Replaces the revocation data with a new full list (and forgets the deltas); `kept` are
    /// the revocations held before that the new list does not carry, kept revoked.
    pub fn save_full_revocations(
        &mut self,
        version: u64,
        bytes: &[u8],
        etag: Option<&str>,
        kept: &[Revocation],
    ) -> Result<()> {
        let tx = self.conn.transaction()?;
        tx.execute("DELETE FROM deltas", [])?;
        tx.execute(
            "INSERT OR REPLACE INTO lists (kind, version, bytes, etag) VALUES ('revocations', ?1, ?2, ?3)",
            params![version as i64, bytes, etag],
        )?;
        Self::set_kept(&tx, kept, version)?;
        tx.commit()?;
        Ok(())
    }

    /// Replaces the deltas on top of the full list with one delta from the full list's version
    /// (the server's answer to `since=` that version), keeping `kept` revoked.
    pub fn replace_deltas(
        &mut self,
        version: u64,
        bytes: &[u8],
        etag: Option<&str>,
        kept: &[Revocation],
    ) -> Result<()> {
        let tx = self.conn.transaction()?;
        tx.execute("DELETE FROM deltas", [])?;
        tx.execute(
            "INSERT INTO deltas (version, bytes, etag) VALUES (?1, ?2, ?3)",
            params![version as i64, bytes, etag],
        )?;
        Self::set_kept(&tx, kept, version)?;
        tx.commit()?;
        Ok(())
    }

    fn set_kept(tx: &rusqlite::Transaction<'_>, kept: &[Revocation], version: u64) -> Result<()> {
        let held: std::collections::HashMap<i64, i64> = {
            let mut stmt = tx.prepare("SELECT serial, dropped_at FROM kept_revocations")?;
            let rows = stmt
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?;
            rows
        };
        tx.execute("DELETE FROM kept_revocations", [])?;
        let mut insert = tx.prepare(
            "INSERT INTO kept_revocations (serial, reason, dropped_at) VALUES (?1, ?2, ?3)",
        )?;
        for k in kept {
            let serial = k.serial.number() as i64;
            let since = held.get(&serial).copied().unwrap_or(version as i64);
            insert.execute(params![serial, k.reason.as_str(), since])?;
        }
        Ok(())
    }

    /// The revocations kept although the server's newest list does not carry them.
    pub fn kept_revocations(&self) -> Result<Vec<Revocation>> {
        let mut stmt = self
            .conn
            .prepare("SELECT serial, reason FROM kept_revocations ORDER BY serial")?;
        let rows = stmt
            .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter()
            .map(|(serial, reason)| {
                let damaged = |e| VerifierError::Storage(format!("a kept revocation: {e}"));
                Ok(Revocation {
                    serial: CardSerial::new(serial as u64).map_err(damaged)?,
                    reason: RevocationReason::parse(&reason).map_err(damaged)?,
                })
            })
            .collect()
    }

    /// The stored full revocation list alone (without its deltas), verified.
    pub fn full_revocations(&self, trust: &TrustList) -> Result<Option<RevocationList>> {
        let full: Option<Vec<u8>> = self
            .conn
            .query_row(
                "SELECT bytes FROM lists WHERE kind = 'revocations'",
                [],
                |r| r.get(0),
            )
            .optional()?;
        full.map(|bytes| {
            RevocationList::parse_verified(&bytes, &trust.list_key).map_err(|e| {
                VerifierError::Refused(Refusal::CacheDoesNotVerify {
                    list: ListName::RevocationList,
                    detail: e.to_string(),
                })
            })
        })
        .transpose()
    }

    /// Forgets the revocation data (the next sync fetches a full list). The kept revocations
    /// stay: a point never forgets a revocation.
    pub fn clear_revocations(&mut self) -> Result<()> {
        let tx = self.conn.transaction()?;
        tx.execute("DELETE FROM deltas", [])?;
        tx.execute("DELETE FROM lists WHERE kind = 'revocations'", [])?;
        tx.commit()?;
        Ok(())
    }

    pub fn append_delta(&self, version: u64, bytes: &[u8], etag: Option<&str>) -> Result<()> {
        self.conn.execute(
            "INSERT INTO deltas (version, bytes, etag) VALUES (?1, ?2, ?3)",
            params![version as i64, bytes, etag],
        )?;
        Ok(())
    }

    /// Number of deltas kept on top of the full list.
    pub fn delta_count(&self) -> Result<u64> {
        Ok(self
            .conn
            .query_row("SELECT COUNT(*) FROM deltas", [], |r| r.get::<_, i64>(0))?
            as u64)
    }

    /// The ETag of the last delta fetched (to ask the server with `If-None-Match`).
    pub fn last_delta_etag(&self) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT etag FROM deltas ORDER BY seq DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .optional()?
            .flatten())
    }

    /// Loads and verifies the cached lists: the trust list under the root key, the revocation
    /// list and each delta under the trust list's revocation-list key. `None` before the first
    /// sync.
    pub fn lists(&self) -> Result<Option<Lists>> {
        let config = self.config()?;
        let (Some(root), Some((bytes, _))) = (config.root_key, self.trust_list()?) else {
            return Ok(None);
        };
        let trust = TrustList::parse_verified(&bytes, &root).map_err(|e| {
            VerifierError::Refused(Refusal::CacheDoesNotVerify {
                list: ListName::TrustList,
                detail: e.to_string(),
            })
        })?;
        let revocations = match self.full_revocations(&trust)? {
            None => None,
            Some(mut list) => {
                let mut stmt = self.conn.prepare("SELECT bytes FROM deltas ORDER BY seq")?;
                let deltas = stmt
                    .query_map([], |r| r.get::<_, Vec<u8>>(0))?
                    .collect::<rusqlite::Result<Vec<_>>>()?;
                for d in deltas {
                    let delta =
                        RevocationList::parse_verified(&d, &trust.list_key).map_err(|e| {
                            VerifierError::Refused(Refusal::CacheDoesNotVerify {
                                list: ListName::RevocationDelta,
                                detail: e.to_string(),
                            })
                        })?;
                    list.apply(&delta).map_err(|e| {
                        VerifierError::Refused(Refusal::CacheDoesNotVerify {
                            list: ListName::RevocationDelta,
                            detail: format!("the deltas do not chain: {e}"),
                        })
                    })?;
                }
                list.keep(&self.kept_revocations()?);
                Some(list)
            }
        };
        Ok(Some(Lists { trust, revocations }))
    }

    /// The verified lists and the area's roll of this month.
    pub fn snapshot(&self) -> Result<Snapshot> {
        let lists = self.lists()?;
        let area = self.config()?.area;
        let month = Month::of(asxh_core::Date::today());
        let roll = match (&lists, &area) {
            (Some(l), Some(a)) => self.roll(&l.trust, a, month)?,
            _ => None,
        };
        Ok(Snapshot {
            lists,
            area,
            month,
            roll,
        })
    }

    /// A version stamp of the cached lists, to notice that another process synced.
    pub fn lists_stamp(&self) -> Result<(i64, i64)> {
        Ok(self.conn.query_row(
            "SELECT (SELECT COALESCE(SUM(version), 0) FROM lists) + (SELECT COUNT(*) FROM kept_revocations) + (SELECT COALESCE(SUM(version), 0) FROM rolls), (SELECT COALESCE(MAX(version), 0) FROM deltas) + (SELECT COALESCE(MAX(version), 0) FROM roll_deltas)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?)
    }

    pub fn journal_add(&self, e: &JournalEntry) -> Result<()> {
        self.conn.execute(
            "INSERT INTO journal (at, point_id, medium, serial, outcome, exit_code, list_version, holder) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![e.at, e.point_id, e.medium, e.serial, e.outcome, e.exit_code, e.list_version.map(|v| v as i64), e.holder],
        )?;
        Ok(())
    }

    pub fn journal(&self) -> Result<Vec<JournalEntry>> {
        let mut stmt =
            self.conn.prepare("SELECT at, point_id, medium, serial, outcome, exit_code, list_version, holder FROM journal ORDER BY id")?;
        let rows = stmt
            .query_map([], |r| {
                Ok(JournalEntry {
                    at: r.get(0)?,
                    point_id: r.get(1)?,
                    medium: r.get(2)?,
                    serial: r.get(3)?,
                    outcome: r.get(4)?,
                    exit_code: r.get(5)?,
                    list_version: r.get::<_, Option<i64>>(6)?.map(|v| v as u64),
                    holder: r.get(7)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Writes the journal to the CSV file `path` (one row per verification, the columns of
    /// [`JournalEntry`] with the time also in Vietnam's local time, `25/11/2026 21:03`), with a
    /// byte order mark for Excel; returns how many rows it wrote.
    pub fn export_journal(&self, path: &Path) -> Result<usize> {
        let rows = self.journal()?;
        let mut file = std::fs::File::create(path).map_err(|e| {
            VerifierError::Usage(Usage::CannotWrite {
                path: path.display().to_string(),
                detail: e.to_string(),
            })
        })?;
        // A byte order mark, so Excel reads the names (with --journal-holder) as UTF-8.
        std::io::Write::write_all(&mut file, "\u{feff}".as_bytes())
            .map_err(|e| VerifierError::Storage(e.to_string()))?;
        let mut w = csv::Writer::from_writer(file);
        let storage = |e: csv::Error| VerifierError::Storage(e.to_string());
        w.write_record([
            "at",
            "local_time",
            "point_id",
            "medium",
            "serial",
            "outcome",
            "exit_code",
            "list_version",
            "holder",
        ])
        .map_err(storage)?;
        for row in &rows {
            w.write_record([
                row.at.to_string(),
                asxh_text::local_time(row.at),
                row.point_id.clone(),
                row.medium.clone(),
                row.serial.clone().unwrap_or_default(),
                row.outcome.clone(),
                row.exit_code.to_string(),
                row.list_version.map(|v| v.to_string()).unwrap_or_default(),
                row.holder.clone().unwrap_or_default(),
            ])
            .map_err(storage)?;
        }
        w.flush()
            .map_err(|e| VerifierError::Storage(e.to_string()))?;
        Ok(rows.len())
    }
}
