//! The audit log: every issuance, activation, void, revocation and account or office change,
//! written in the same transaction as the change. Rows are hash-chained —
//! `hash = SHA-256(prev_hash ‖ id ‖ at ‖ actor ‖ action ‖ detail)` — so an edited, inserted or
//! deleted row breaks the chain; `verify` finds the first broken row. The last hash, printed by
//! `asxh-server audit verify`, can be anchored elsewhere to detect truncation of the tail.
//!
//! Each row names the area it is about (the card's, the office's, the account's) in its detail,
//! under the hash, and in the `area` column, by which an administrator or auditor reads only the
//! rows of their area; `verify` checks the two agree. Rows written before schema version 4 got
//! their column from what they name ([`index_areas`]).

use asxh_api::AuditRow;
use asxh_core::AreaCode;
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use sha2::{Digest, Sha256};

use crate::clock::now;
use crate::error::{Result, ServerError};
use crate::policy::{act, Authorized};

const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

fn row_hash(prev: &str, id: i64, at: i64, actor: &str, action: &str, detail: &str) -> String {
    let mut h = Sha256::new();
    for part in [
        prev,
        &id.to_string(),
        &at.to_string(),
        actor,
        action,
        detail,
    ] {
        h.update((part.len() as u64).to_be_bytes());
        h.update(part.as_bytes());
    }
    hex::encode(h.finalize())
}

/// Appends one audit row inside the caller's transaction. `area` is the area the row is about;
/// it is added to `detail` (an object) as `"area"`.
pub fn append(
    tx: &Transaction<'_>,
    actor: &str,
    action: &str,
    area: Option<&AreaCode>,
    detail: &serde_json::Value,
) -> Result<()> {
    let mut detail = detail.clone();
    if let (Some(a), Some(fields)) = (area, detail.as_object_mut()) {
        fields.insert("area".into(), a.as_str().into());
    }
    let (prev_id, prev_hash): (i64, String) = tx
        .prepare_cached("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1")?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?
        .unwrap_or((0, GENESIS.to_owned()));
    let id = prev_id + 1;
    let at = now();
    let detail = detail.to_string();
    let hash = row_hash(&prev_hash, id, at, actor, action, &detail);
    tx.prepare_cached("INSERT INTO audit (id, at, actor, action, detail, prev_hash, hash, area) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")?.execute(params![id, at, actor, action, detail, prev_hash, hash, area.map(AreaCode::as_str)],
    )?;
    Ok(())
}

/// Rows after `after` within the grant's reach, at most `limit`.
pub fn rows(
    conn: &Connection,
    grant: &Authorized<act::ReadAuditLog>,
    after: i64,
    limit: i64,
) -> Result<Vec<AuditRow>> {
    let (area, below) = grant.scope().params();
    let mut stmt = conn.prepare(&format!(
        "SELECT id, at, actor, action, detail, hash, area FROM audit WHERE id > ?1 AND {} ORDER BY id LIMIT ?2",
        grant.scope().within("area", 3)
    ))?;
    let rows = stmt
        .query_map(params![after, limit, area, below], |r| {
            let detail: String = r.get(4)?;
            Ok(AuditRow {
                id: r.get(0)?,
                at: r.get(1)?,
                actor: r.get(2)?,
                action: r.get(3)?,
                detail: serde_json::from_str(&detail).unwrap_or(serde_json::Value::String(detail)),
                hash: r.get(5)?,
                area: r.get(6)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The `"area"` a row's detail names.
fn detail_area(detail: &str) -> Option<String> {
    serde_json::from_str::<serde_json::Value>(detail)
        .ok()?
        .get("area")?
        .as_str()
        .map(str::to_owned)
}

/// Fills the `area` column of rows written before it existed, from what each row names: its
/// detail's area, else the area of the card (`serial`), account or office it is about. A row
/// naming none keeps no area (only a reader of every area sees it).
pub(crate) fn index_areas(tx: &Transaction<'_>) -> Result<()> {
    let rows: Vec<(i64, String)> = {
        let mut stmt = tx.prepare("SELECT id, detail FROM audit WHERE area IS NULL")?;
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows
    };
    let mut by_serial = tx.prepare("SELECT area FROM cards WHERE serial = ?1")?;
    let mut by_account = tx.prepare("SELECT area FROM accounts WHERE id = ?1")?;
    let mut by_office = tx.prepare("SELECT area FROM offices WHERE code = ?1")?;
    let mut set = tx.prepare("UPDATE audit SET area = ?1 WHERE id = ?2")?;
    for (id, detail) in rows {
        let Ok(detail) = serde_json::from_str::<serde_json::Value>(&detail) else {
            continue;
        };
        let text = |k: &str| detail.get(k).and_then(|v| v.as_str()).map(str::to_owned);
        let area: Option<String> = if let Some(a) = text("area") {
            Some(a)
        } else if let Some(s) = text("serial").and_then(|s| asxh_core::CardSerial::parse(&s).ok()) {
            by_serial
                .query_row([s.number() as i64], |r| r.get(0))
                .optional()?
        } else if let Some(a) = detail.get("account").and_then(|v| v.as_i64()) {
            by_account.query_row([a], |r| r.get(0)).optional()?
        } else if let Some(o) = text("office") {
            by_office.query_row([o], |r| r.get(0)).optional()?
        } else {
            None
        };
        if let Some(a) = area {
            set.execute(params![a, id])?;
        }
    }
    Ok(())
}

/// What `verify` found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainReport {
    pub rows: i64,
    pub last_hash: String,
}

/// Recomputes the whole chain. Fails naming the first row that does not fit.
pub fn verify(conn: &Connection) -> Result<ChainReport> {
    let mut stmt = conn.prepare(
        "SELECT id, at, actor, action, detail, prev_hash, hash, area FROM audit ORDER BY id",
    )?;
    let mut rows = stmt.query([])?;
    let mut expected_prev = GENESIS.to_owned();
    let mut expected_id = 1i64;
    while let Some(r) = rows.next()? {
        let (id, at, actor, action, detail, prev, hash): (
            i64,
            i64,
            String,
            String,
            String,
            String,
            String,
        ) = (
            r.get(0)?,
            r.get(1)?,
            r.get(2)?,
            r.get(3)?,
            r.get(4)?,
            r.get(5)?,
            r.get(6)?,
        );
        if id != expected_id {
            return Err(ServerError::AuditBroken(format!(
                "audit chain broken: row {expected_id} is missing (next row is {id})"
            )));
        }
        if prev != expected_prev {
            return Err(ServerError::AuditBroken(format!(
                "audit chain broken at row {id}: it does not follow row {}",
                id - 1
            )));
        }
        if row_hash(&prev, id, at, &actor, &action, &detail) != hash {
            return Err(ServerError::AuditBroken(format!(
                "audit chain broken at row {id}: its content was changed"
            )));
        }
        let area: Option<String> = r.get(7)?;
        if let Some(hashed) = detail_area(&detail) {
            if area.as_deref() != Some(hashed.as_str()) {
                return Err(ServerError::AuditBroken(format!(
                    "audit row {id}: its area column says {area:?}, its detail {hashed:?}"
                )));
            }
        }
        expected_prev = hash;
        expected_id += 1;
    }
    Ok(ChainReport {
        rows: expected_id - 1,
        last_hash: expected_prev,
    })
}
