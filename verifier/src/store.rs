//! The payment point's data directory: `verifier.sqlite` holds the configuration (server, pinned
//! root fingerprint, the root key once checked against it, point id), the signed lists exactly
//! as the server sent them (trust list; full revocation list and the deltas since), the
//! revocations the point keeps although a newer list of the server no longer carries them
//! (revocation is monotonic at the verifier, SPEC.md §15.3), the payment roll of the point's
//! area for each month synced (full and the deltas since, SPEC.md §17.4), the journal of
//! verifications, and the payment receipts (SPEC.md §18) with each one's upload outcome: a
//! receipt without an outcome is waiting to be uploaded. Each line a receipt paid is a row of
//! `receipt_lines`, keyed by (SSN, month, roll item): a line is paid at most once here. The
//! payment point's own signing key (for fallback receipts) is the file `point-key` beside the
//! database, readable by its owner only.
//! Lists are stored signed and verified again on every load, so a tampered cache file is refused
//! like a tampered download.

use std::path::{Path, PathBuf};

use asxh_core::lists::{
    Month, Revocation, RevocationList, RevocationReason, Roll, RollItem, TrustList,
};
use asxh_core::receipt::{ReceiptId, SignedReceipt};
use asxh_core::signature::SigningKey;
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
CREATE TABLE IF NOT EXISTS receipts (
    id          TEXT PRIMARY KEY,
    bytes       BLOB NOT NULL,
    ssn         TEXT NOT NULL,
    month       TEXT NOT NULL,
    -- JSON array of the lines paid (ReceiptLine)
    lines       TEXT NOT NULL,
    total_vnd   INTEGER NOT NULL,
    collector   TEXT NOT NULL,
    fallback    TEXT,
    holder      TEXT,
    point       TEXT NOT NULL,
    paid_at     INTEGER NOT NULL,
    -- NULL until the server answered for it: recorded, already_recorded, flagged, refused
    outcome     TEXT CHECK (outcome IN ('recorded', 'already_recorded', 'flagged', 'refused')),
    -- JSON: the server's problem (refused) or the receipts that paid first (flagged)
    outcome_detail TEXT,
    uploaded_at INTEGER
);
CREATE INDEX IF NOT EXISTS receipts_pending ON receipts (paid_at) WHERE outcome IS NULL;
CREATE TABLE IF NOT EXISTS receipt_lines (
    ssn        TEXT NOT NULL,
    month      TEXT NOT NULL,
    item       TEXT NOT NULL,
    receipt_id TEXT NOT NULL REFERENCES receipts (id),
    PRIMARY KEY (ssn, month, item)
);
"#;

/// The file of the payment point's signing key, in the data directory.
const POINT_KEY_FILE: &str = "point-key";

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

/// A held roll's bytes as stored: the full roll and its deltas in order.
struct HeldRollBytes {
    full: Vec<u8>,
    deltas: Vec<Vec<u8>>,
}

impl HeldRollBytes {
    /// The roll, each part verified under the roll key, the deltas applied in order.
    fn decode(self, roll_key: &PublicKey) -> Result<Roll> {
        let refused = |list, detail: String| {
            VerifierError::Refused(Refusal::CacheDoesNotVerify { list, detail })
        };
        let mut roll = Roll::parse_full_verified(&self.full, roll_key)
            .map_err(|e| refused(ListName::PaymentRoll, e.to_string()))?;
        for d in self.deltas {
            let delta = Roll::parse_delta_verified(&d, roll_key)
                .map_err(|e| refused(ListName::PaymentRollDelta, e.to_string()))?;
            roll.apply(&delta).map_err(|e| {
                refused(
                    ListName::PaymentRollDelta,
                    format!("the deltas do not chain: {e}"),
                )
            })?;
        }
        Ok(roll)
    }
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

/// One line a receipt paid, as the receipts table and the day's list show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct ReceiptLine {
    /// The line's number as the clerk saw it (its place in the roll entry, from 1).
    pub number: usize,
    pub program: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    pub kind: String,
    pub amount_vnd: u64,
    pub first_month: String,
    pub last_month: String,
}

impl ReceiptLine {
    pub fn of(number: usize, item: &RollItem) -> Self {
        ReceiptLine {
            number,
            program: item.program.as_str().to_owned(),
            category: item.category.as_ref().map(|c| c.as_str().to_owned()),
            kind: item.kind.as_str().to_owned(),
            amount_vnd: item.amount_vnd,
            first_month: item.first.to_string(),
            last_month: item.last.to_string(),
        }
    }
}

/// The double-payment key of a roll item within (SSN, month): every field of the item.
pub fn item_key(item: &RollItem) -> String {
    format!(
        "{}|{}|{}|{}|{}|{}",
        item.program.as_str(),
        item.category.as_ref().map_or("", |c| c.as_str()),
        item.kind.as_str(),
        item.amount_vnd,
        item.first,
        item.last
    )
}

/// A receipt as the point keeps it.
#[derive(Debug, Clone, Serialize)]
pub struct ReceiptRow {
    /// The id, 24 lower-case hex digits (as the server's API writes it).
    pub id: String,
    /// The receipt number people read (`ABCD-…`).
    pub number: String,
    #[serde(skip)]
    pub bytes: Vec<u8>,
    pub ssn: String,
    pub month: String,
    pub lines: Vec<ReceiptLine>,
    pub total_vnd: u64,
    /// `holder`, `guardian` or `authorised`.
    pub collector: String,
    /// The fallback reason of a receipt the point signed.
    pub fallback: Option<String>,
    /// The holder's name when the card or QR showed it.
    pub holder: Option<String>,
    pub point: String,
    pub paid_at: i64,
    /// `None` while waiting to be uploaded.
    pub outcome: Option<String>,
    /// The server's problem (refused) or the receipts that paid first (flagged).
    pub outcome_detail: Option<serde_json::Value>,
    pub uploaded_at: Option<i64>,
}

/// Where and when this point already paid a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaidHere {
    pub receipt: String,
    pub paid_at: i64,
    pub point: String,
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
        self.held_roll(area, month)?
            .map(|held| held.decode(&trust.roll_key))
            .transpose()
    }

    /// The bytes of the held roll of `area` for `month` and of its deltas, in order.
    fn held_roll(&self, area: &AreaCode, month: Month) -> Result<Option<HeldRollBytes>> {
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
        let mut stmt = self
            .conn
            .prepare("SELECT bytes FROM roll_deltas WHERE area = ?1 AND month = ?2 ORDER BY seq")?;
        let deltas = stmt
            .query_map(params![area.as_str(), m], |r| r.get::<_, Vec<u8>>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(Some(HeldRollBytes { full, deltas }))
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
        let Some(trust) = self.verified_trust_list()? else {
            return Ok(None);
        };
        let revocations = self.revocations(&trust)?;
        Ok(Some(Lists { trust, revocations }))
    }

    /// The cached trust list, verified under the root key; `None` before the first sync.
    fn verified_trust_list(&self) -> Result<Option<TrustList>> {
        let config = self.config()?;
        let (Some(root), Some((bytes, _))) = (config.root_key, self.trust_list()?) else {
            return Ok(None);
        };
        TrustList::parse_verified(&bytes, &root)
            .map(Some)
            .map_err(|e| {
                VerifierError::Refused(Refusal::CacheDoesNotVerify {
                    list: ListName::TrustList,
                    detail: e.to_string(),
                })
            })
    }

    /// The cached revocation list with its deltas applied and the kept revocations, each
    /// verified under the trust list's revocation-list key; `None` before the first sync.
    fn revocations(&self, trust: &TrustList) -> Result<Option<RevocationList>> {
        match self.full_revocations(trust)? {
            None => Ok(None),
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
                Ok(Some(list))
            }
        }
    }

    /// The verified lists and the area's roll of this month. The roll (hundreds of thousands of
    /// lines for a large area) is decoded on a thread of its own beside the revocation list (a
    /// million entries): a start pays for the longer of the two, not their sum.
    pub fn snapshot(&self) -> Result<Snapshot> {
        let area = self.config()?.area;
        let month = Month::of(asxh_core::Date::today());
        let Some(trust) = self.verified_trust_list()? else {
            return Ok(Snapshot {
                lists: None,
                area,
                month,
                roll: None,
            });
        };
        let held = match &area {
            Some(a) => self.held_roll(a, month)?,
            None => None,
        };
        let roll_key = trust.roll_key;
        let (revocations, roll) = std::thread::scope(|scope| {
            let roll = held.map(|h| scope.spawn(move || h.decode(&roll_key)));
            let revocations = self.revocations(&trust);
            let roll = roll
                .map(|t| t.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
                .transpose();
            (revocations, roll)
        });
        Ok(Snapshot {
            lists: Some(Lists {
                trust,
                revocations: revocations?,
            }),
            area,
            month,
            roll: roll?,
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
        write_csv(
            path,
            &[
                "at",
                "local_time",
                "point_id",
                "medium",
                "serial",
                "outcome",
                "exit_code",
                "list_version",
                "holder",
            ],
            rows.iter().map(|row| {
                [
                    row.at.to_string(),
                    asxh_text::local_time(row.at),
                    row.point_id.clone(),
                    row.medium.clone(),
                    row.serial.clone().unwrap_or_default(),
                    row.outcome.clone(),
                    row.exit_code.to_string(),
                    row.list_version.map(|v| v.to_string()).unwrap_or_default(),
                    row.holder.clone().unwrap_or_default(),
                ]
            }),
        )?;
        Ok(rows.len())
    }
    /// Keeps the payment-point token (for uploads) in the configuration.
    pub fn set_token(&self, token: &str) -> Result<()> {
        self.conn.execute(
            "INSERT OR REPLACE INTO config (key, value) VALUES ('token', ?1)",
            [token],
        )?;
        Ok(())
    }

    /// Reads the token file `path` (its first line) and keeps it.
    pub fn set_token_file(&self, path: &Path) -> Result<()> {
        let bad = |detail: String| {
            VerifierError::Usage(Usage::TokenFile {
                path: path.display().to_string(),
                detail,
            })
        };
        let text = std::fs::read_to_string(path).map_err(|e| bad(e.to_string()))?;
        let token = text.lines().next().unwrap_or("").trim();
        if token.is_empty() {
            return Err(bad("the file is empty".into()));
        }
        self.set_token(token)
    }

    pub fn token(&self) -> Result<Option<String>> {
        self.get("token")
    }

    /// The public key (SEC1 hex) last registered with the server for this point.
    pub fn registered_point_key(&self) -> Result<Option<String>> {
        self.get("point_key_registered")
    }

    pub fn set_registered_point_key(&self, key_hex: &str) -> Result<()> {
        self.conn.execute(
            "INSERT OR REPLACE INTO config (key, value) VALUES ('point_key_registered', ?1)",
            [key_hex],
        )?;
        Ok(())
    }

    /// The payment point's signing key, generated (and kept in `point-key`, owner-only) at
    /// first need.
    pub fn point_key(&self) -> Result<SigningKey> {
        let path = self.dir.join(POINT_KEY_FILE);
        let unusable = |detail: String| {
            VerifierError::Storage(format!(
                "the payment point's key in {}: {detail}",
                path.display()
            ))
        };
        match std::fs::read_to_string(&path) {
            Ok(text) => {
                let bytes = hex::decode(text.trim()).map_err(|e| unusable(e.to_string()))?;
                SigningKey::from_slice(&bytes).map_err(|e| unusable(e.to_string()))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let key = SigningKey::random(&mut rand_core::OsRng);
                let tmp = path.with_extension("tmp");
                {
                    let mut options = std::fs::OpenOptions::new();
                    options.write(true).create(true).truncate(true);
                    #[cfg(unix)]
                    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
                    let mut f = options.open(&tmp).map_err(|e| unusable(e.to_string()))?;
                    std::io::Write::write_all(&mut f, hex::encode(key.to_bytes()).as_bytes())
                        .and_then(|_| f.sync_all())
                        .map_err(|e| unusable(e.to_string()))?;
                }
                std::fs::rename(&tmp, &path).map_err(|e| unusable(e.to_string()))?;
                Ok(key)
            }
            Err(e) => Err(unusable(e.to_string())),
        }
    }

    /// Where and when this point paid `item` of `ssn` for `month`, if it did.
    pub fn paid_here(&self, ssn: &str, month: Month, item: &RollItem) -> Result<Option<PaidHere>> {
        Ok(self
            .conn
            .query_row(
                "SELECT r.id, r.paid_at, r.point FROM receipt_lines l JOIN receipts r ON r.id = l.receipt_id
                 WHERE l.ssn = ?1 AND l.month = ?2 AND l.item = ?3",
                params![ssn, month.to_string(), item_key(item)],
                |r| {
                    Ok(PaidHere {
                        receipt: r.get(0)?,
                        paid_at: r.get(1)?,
                        point: r.get(2)?,
                    })
                },
            )
            .optional()?)
    }

    /// Stores a signed receipt and its lines in one durable transaction (the database is
    /// `synchronous = FULL`): once this returns, the payment survives a crash. A line already
    /// paid here fails the whole transaction and stores nothing.
    pub fn save_receipt(
        &mut self,
        receipt: &SignedReceipt,
        lines: &[ReceiptLine],
        holder: Option<&str>,
    ) -> Result<()> {
        let body = receipt.body();
        let collector = match body.collector {
            asxh_core::receipt::Collector::Holder => "holder",
            asxh_core::receipt::Collector::Recipient { role, .. } => role.as_str(),
        };
        let id = body.id.to_hex();
        let ssn = body.ssn.to_string();
        let month = body.month.to_string();
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO receipts (id, bytes, ssn, month, lines, total_vnd, collector, fallback, holder, point, paid_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            params![
                id,
                receipt.to_bytes(),
                ssn,
                month,
                serde_json::to_string(lines).expect("lines serialize"),
                body.total_vnd() as i64,
                collector,
                body.fallback.map(|f| f.as_str()),
                holder,
                body.point.as_str(),
                body.paid_at as i64
            ],
        )?;
        for item in &body.lines {
            tx.execute(
                "INSERT INTO receipt_lines (ssn, month, item, receipt_id) VALUES (?1, ?2, ?3, ?4)",
                params![ssn, month, item_key(item), id],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Up to `limit` receipts waiting for upload, oldest first: id and bytes.
    pub fn pending_receipts(&self, limit: usize) -> Result<Vec<(ReceiptId, Vec<u8>)>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, bytes FROM receipts WHERE outcome IS NULL ORDER BY paid_at, id LIMIT ?1",
        )?;
        let rows = stmt
            .query_map([limit as i64], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, Vec<u8>>(1)?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter()
            .map(|(id, bytes)| {
                let id = ReceiptId::parse_hex(&id)
                    .map_err(|e| VerifierError::Storage(format!("a receipt id: {e}")))?;
                Ok((id, bytes))
            })
            .collect()
    }

    pub fn pending_count(&self) -> Result<u64> {
        Ok(self.conn.query_row(
            "SELECT COUNT(*) FROM receipts WHERE outcome IS NULL",
            [],
            |r| r.get::<_, i64>(0),
        )? as u64)
    }

    /// Records the server's answers for uploaded receipts (id, outcome, detail), in one
    /// transaction.
    pub fn record_outcomes(
        &mut self,
        outcomes: &[(String, String, Option<serde_json::Value>)],
        at: i64,
    ) -> Result<()> {
        let tx = self.conn.transaction()?;
        for (id, outcome, detail) in outcomes {
            tx.execute(
                "UPDATE receipts SET outcome = ?2, outcome_detail = ?3, uploaded_at = ?4 WHERE id = ?1",
                params![id, outcome, detail.as_ref().map(|d| d.to_string()), at],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// The receipts paid from Unix time `from` (included) to `to` (excluded), in order.
    pub fn receipts(&self, from: i64, to: i64) -> Result<Vec<ReceiptRow>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, bytes, ssn, month, lines, total_vnd, collector, fallback, holder, point, paid_at, outcome, outcome_detail, uploaded_at
             FROM receipts WHERE paid_at >= ?1 AND paid_at < ?2 ORDER BY paid_at, id",
        )?;
        let rows = stmt
            .query_map(params![from, to], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, Vec<u8>>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, i64>(5)?,
                    r.get::<_, String>(6)?,
                    r.get::<_, Option<String>>(7)?,
                    r.get::<_, Option<String>>(8)?,
                    r.get::<_, String>(9)?,
                    r.get::<_, i64>(10)?,
                    r.get::<_, Option<String>>(11)?,
                    r.get::<_, Option<String>>(12)?,
                    r.get::<_, Option<i64>>(13)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let damaged =
            |what: &str, e: String| VerifierError::Storage(format!("a receipt's {what}: {e}"));
        rows.into_iter()
            .map(
                |(
                    id,
                    bytes,
                    ssn,
                    month,
                    lines,
                    total,
                    collector,
                    fallback,
                    holder,
                    point,
                    paid_at,
                    outcome,
                    detail,
                    uploaded_at,
                )| {
                    let number = ReceiptId::parse_hex(&id)
                        .map_err(|e| damaged("id", e.to_string()))?
                        .to_string();
                    Ok(ReceiptRow {
                        id,
                        number,
                        bytes,
                        ssn,
                        month,
                        lines: serde_json::from_str(&lines)
                            .map_err(|e| damaged("lines", e.to_string()))?,
                        total_vnd: total as u64,
                        collector,
                        fallback,
                        holder,
                        point,
                        paid_at,
                        outcome,
                        outcome_detail: detail
                            .map(|d| serde_json::from_str(&d))
                            .transpose()
                            .map_err(|e| damaged("outcome", e.to_string()))?,
                        uploaded_at,
                    })
                },
            )
            .collect()
    }

    /// Writes `rows` (a day's list) to the CSV file `path`, with a byte order mark for Excel:
    /// one row per receipt, its lines joined.
    pub fn export_receipts(&self, path: &Path, rows: &[ReceiptRow]) -> Result<usize> {
        write_csv(
            path,
            &[
                "receipt_number",
                "receipt_id",
                "paid_at",
                "local_time",
                "point",
                "ssn",
                "holder",
                "month",
                "lines",
                "total_vnd",
                "collector",
                "fallback",
                "upload",
            ],
            rows.iter().map(|row| {
                let lines = row
                    .lines
                    .iter()
                    .map(|l| format!("{}:{} {} {}", l.number, l.program, l.kind, l.amount_vnd))
                    .collect::<Vec<_>>()
                    .join("; ");
                [
                    row.number.clone(),
                    row.id.clone(),
                    row.paid_at.to_string(),
                    asxh_text::local_time(row.paid_at),
                    row.point.clone(),
                    row.ssn.clone(),
                    row.holder.clone().unwrap_or_default(),
                    row.month.clone(),
                    lines,
                    row.total_vnd.to_string(),
                    row.collector.clone(),
                    row.fallback.clone().unwrap_or_default(),
                    row.outcome.clone().unwrap_or_else(|| "pending".into()),
                ]
            }),
        )?;
        Ok(rows.len())
    }
}

/// Writes a CSV file for Excel: a byte order mark (so the Vietnamese names read as UTF-8), the
/// header, then the rows.
fn write_csv<const N: usize>(
    path: &Path,
    header: &[&str; N],
    rows: impl Iterator<Item = [String; N]>,
) -> Result<()> {
    let mut file = std::fs::File::create(path).map_err(|e| {
        VerifierError::Usage(Usage::CannotWrite {
            path: path.display().to_string(),
            detail: e.to_string(),
        })
    })?;
    std::io::Write::write_all(&mut file, "\u{feff}".as_bytes())
        .map_err(|e| VerifierError::Storage(e.to_string()))?;
    let mut w = csv::Writer::from_writer(file);
    let storage = |e: csv::Error| VerifierError::Storage(e.to_string());
    w.write_record(header).map_err(storage)?;
    for row in rows {
        w.write_record(&row).map_err(storage)?;
    }
    w.flush().map_err(|e| VerifierError::Storage(e.to_string()))
}
