//! Building the signed lists from the registry: the trust list (root-signed; issuer keys of every
//! office and the revocation-list key) and the revocation list, full or as a delta since a
//! version. A list is built once per version and kept, so every client gets the same bytes for
//! the same ETag.

use std::collections::HashMap;
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
    pub bytes: Arc<Vec<u8>>,
}

/// Lists already built, by version.
#[derive(Default)]
pub struct Cache {
    trust: Mutex<Option<(Signed, Arc<TrustListJson>)>>,
    revocations: Mutex<HashMap<(Option<u64>, u64), Signed>>,
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
        bytes: Arc::new(list.sign(&root)),
    };
    let entry = (signed, Arc::new(json));
    *slot = Some(entry.clone());
    Ok(entry)
}

fn revocations_between(conn: &Connection, after: u64, upto: u64) -> Result<Vec<Revocation>> {
    let mut stmt = conn
        .prepare("SELECT serial, reason FROM revocations WHERE version > ?1 AND version <= ?2")?;
    let rows = stmt
        .query_map(params![after as i64, upto as i64], |r| {
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

/// The revocation list at the current version: full (`since` = `None`) or the delta since
/// `since`.
pub fn revocation_list(store: &Store, cache: &Cache, since: Option<u64>) -> Result<Signed> {
    let version = store.read(revocation_version)?;
    if let Some(s) = since {
        if s > version {
            return Err(ServerError::invalid(
                "since",
                format!("version {s} is newer than the current revocation list ({version})"),
            ));
        }
    }
    let key = (since, version);
    if let Some(hit) = cache
        .revocations
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .get(&key)
    {
        return Ok(hit.clone());
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
        bytes: Arc::new(list.sign(&store.list_key()?)),
    };
    let mut map = cache.revocations.lock().unwrap_or_else(|p| p.into_inner());
    map.retain(|(_, v), _| *v == version);
    map.insert(key, signed.clone());
    Ok(signed)
}
