//! What the server publishes ([`crate::publication`] does the publishing): the trust list
//! (root-signed; the issuer keys of every office and the revocation-list key) and the revocation
//! list, full or as a delta since a version. The full revocation list is built incrementally:
//! the list of the previous version, kept decoded in memory (or decoded once from its persisted
//! bytes), plus the revocations the new version carries.

use std::sync::Mutex;

use asxh_api::TrustListJson;
use asxh_core::lists::{
    IssuerEntry, IssuerStatus, OfficeCode, Revocation, RevocationList, RevocationReason, TrustList,
};
use asxh_core::signature::{self, IssuerKeyId};
use asxh_core::view::TrustListView;
use asxh_core::{AreaCode, CardSerial, Date};
use rusqlite::{params, Connection, OptionalExtension, Transaction};

use crate::error::Result;
use crate::publication::{self, ListKind, ListOptions, Stamp, Timing};
use crate::store::Store;

/// The trust list's name in `published_lists`.
pub const TRUST_LIST: &str = "trust-list";
/// The revocation list's name in `published_lists`.
pub const REVOCATION_LIST: &str = "revocation-list";

/// Every kind of list the server publishes.
pub fn kinds() -> Vec<Box<dyn ListKind>> {
    vec![
        Box::new(TrustListKind),
        Box::new(RevocationListKind::default()),
        Box::new(crate::rolls::RollKind),
    ]
}

/// Marks the trust list as changed by `tx` (an office added, a key retired or revoked).
pub fn trust_list_changed(tx: &Transaction<'_>) -> Result<u64> {
    publication::changed(tx, TRUST_LIST)
}

/// Marks the revocation list as changed by `tx`; returns the version that will carry the
/// revocations `tx` records.
pub fn revocation_list_changed(tx: &Transaction<'_>) -> Result<u64> {
    publication::changed(tx, REVOCATION_LIST)
}

fn issuers(conn: &Connection) -> Result<Vec<IssuerEntry>> {
    // Every key an office has had: retired keys vouch for the cards they signed, revoked ones
    // tell verifiers to trust nothing they signed.
    let mut stmt = conn.prepare_cached("SELECT o.code, o.name, o.area, k.key_id, k.public_key, k.valid_from, k.valid_until, k.status FROM issuer_keys k JOIN offices o ON o.code = k.office ORDER BY o.code, k.created_at, k.key_id")?;
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

struct TrustListKind;

impl ListKind for TrustListKind {
    fn name(&self) -> &'static str {
        TRUST_LIST
    }

    fn etag_prefix(&self) -> &'static str {
        "tl"
    }

    fn timing(&self, options: &ListOptions) -> Timing {
        options.trust_list
    }

    fn full(&self, store: &Store, tx: &Connection, _: &str, stamp: Stamp) -> Result<Vec<u8>> {
        let list = TrustList {
            version: stamp.version,
            issued_at: stamp.issued_at,
            next_update: stamp.next_update,
            list_key: *store.list_key()?.verifying_key(),
            roll_key: *store.roll_key()?.verifying_key(),
            issuers: issuers(tx)?,
        };
        Ok(list.sign(&store.root_key()?))
    }

    fn committed(&self, _version: Option<u64>) {}

    fn delta(&self, _: &Store, _: &Connection, _: &str, base: u64, _: Stamp) -> Result<Vec<u8>> {
        Err(crate::ServerError::invalid(
            "since",
            format!("the trust list has no deltas (asked since {base})"),
        ))
    }
}

/// The JSON view of the trust list `bytes` the server signed (for administrators).
pub fn trust_list_json(store: &Store, bytes: &[u8]) -> Result<TrustListJson> {
    let root = store.root_key()?;
    let list = TrustList::parse_verified(bytes, root.verifying_key())?;
    Ok(TrustListJson {
        root_key_fingerprint: signature::fingerprint(root.verifying_key()),
        list: TrustListView::from(&list),
    })
}

fn revocation_rows(conn: &Connection, sql: &str, bounds: &[i64]) -> Result<Vec<Revocation>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt
        .query_map(rusqlite::params_from_iter(bounds), |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter()
        .map(|(serial, reason)| {
            Ok(Revocation {
                serial: CardSerial::new(serial as u64)?,
                reason: RevocationReason::parse(&reason)?,
            })
        })
        .collect()
}

/// The revocation list: the decoded list of the newest committed version (what the next
/// version builds on) and the one being committed.
#[derive(Default)]
struct RevocationListKind {
    committed: Mutex<Option<RevocationList>>,
    staged: Mutex<Option<RevocationList>>,
}

impl RevocationListKind {
    /// The full list at the newest published version, `None` before the first publication.
    fn previous(&self, store: &Store, tx: &Connection) -> Result<Option<RevocationList>> {
        let Some(latest) = publication::latest_version(tx, REVOCATION_LIST)? else {
            return Ok(None);
        };
        if let Some(list) = self
            .committed
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .as_ref()
            .filter(|l| l.version == latest)
        {
            return Ok(Some(list.clone()));
        }
        let bytes: Option<Vec<u8>> = tx
            .prepare_cached(
                "SELECT bytes FROM published_lists WHERE name = ?1 AND version = ?2 AND bytes IS NOT NULL",
            )?
            .query_row(params![REVOCATION_LIST, latest as i64], |r| r.get(0))
            .optional()?;
        let decoded = match bytes {
            Some(b) => {
                match RevocationList::parse_verified(&b, store.list_key()?.verifying_key()) {
                    Ok(list) => Some(list),
                    Err(e) => {
                        // Signed with another key (a database restored into another data
                        // directory): the registry has the same content.
                        tracing::warn!(error = %e, "{}", asxh_text::logs::text(asxh_text::Msg::LogPersistedListBad));
                        None
                    }
                }
            }
            None => None,
        };
        let list = match decoded {
            Some(list) => list,
            // A version served before lists were persisted, or one that no longer verifies.
            None => RevocationList::new(
                latest,
                0,
                0,
                None,
                revocation_rows(
                    tx,
                    "SELECT serial, reason FROM revocations WHERE version <= ?1",
                    &[latest as i64],
                )?,
            )?,
        };
        Ok(Some(list))
    }
}

impl ListKind for RevocationListKind {
    fn name(&self) -> &'static str {
        REVOCATION_LIST
    }

    fn etag_prefix(&self) -> &'static str {
        "rl"
    }

    fn timing(&self, options: &ListOptions) -> Timing {
        options.revocation_list
    }

    fn batched(&self) -> bool {
        true
    }

    fn unpublished(&self, conn: &Connection, version: u64) -> Result<bool> {
        Ok(conn
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM revocations WHERE version > ?1)")?
            .query_row([version as i64], |r| r.get(0))?)
    }

    /// The previous version's list plus the revocations of the versions after it up to
    /// `stamp`'s (a later one is a batch still open).
    fn full(&self, store: &Store, tx: &Connection, _: &str, stamp: Stamp) -> Result<Vec<u8>> {
        let mut list = match self.previous(store, tx)? {
            Some(mut previous) => {
                previous.keep(&revocation_rows(
                    tx,
                    "SELECT serial, reason FROM revocations WHERE version > ?1 AND version <= ?2",
                    &[previous.version as i64, stamp.version as i64],
                )?);
                previous
            }
            None => RevocationList::new(
                stamp.version,
                0,
                0,
                None,
                revocation_rows(
                    tx,
                    "SELECT serial, reason FROM revocations WHERE version <= ?1",
                    &[stamp.version as i64],
                )?,
            )?,
        };
        list.version = stamp.version;
        list.issued_at = stamp.issued_at;
        list.next_update = stamp.next_update;
        let bytes = list.sign(&store.list_key()?);
        *self.staged.lock().unwrap_or_else(|p| p.into_inner()) = Some(list);
        Ok(bytes)
    }

    fn committed(&self, version: Option<u64>) {
        let staged = self.staged.lock().unwrap_or_else(|p| p.into_inner()).take();
        if let Some(list) = staged.filter(|l| Some(l.version) == version) {
            *self.committed.lock().unwrap_or_else(|p| p.into_inner()) = Some(list);
        }
    }

    fn delta(
        &self,
        store: &Store,
        conn: &Connection,
        _: &str,
        base: u64,
        current: Stamp,
    ) -> Result<Vec<u8>> {
        let entries = revocation_rows(
            conn,
            "SELECT serial, reason FROM revocations WHERE version > ?1 AND version <= ?2",
            &[base as i64, current.version as i64],
        )?;
        let delta = RevocationList::new(
            current.version,
            current.issued_at,
            current.next_update,
            Some(base),
            entries,
        )?;
        Ok(delta.sign(&store.list_key()?))
    }
}
