//! The audit log: every issuance, activation, void, revocation and account or office change,
//! written in the same transaction as the change. Rows are hash-chained —
//! `hash = SHA-256(prev_hash ‖ id ‖ at ‖ actor ‖ action ‖ detail)` — so an edited, inserted or
//! deleted row breaks the chain; `verify` finds the first broken row. The last hash, printed by
//! `asxh-server audit verify`, can be anchored elsewhere to detect truncation of the tail.

use asxh_api::AuditRow;
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

/// Appends one audit row inside the caller's transaction.
pub fn append(
    tx: &Transaction<'_>,
    actor: &str,
    action: &str,
    detail: &serde_json::Value,
) -> Result<()> {
    let (prev_id, prev_hash): (i64, String) = tx
        .query_row(
            "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?
        .unwrap_or((0, GENESIS.to_owned()));
    let id = prev_id + 1;
    let at = now();
    let detail = detail.to_string();
    let hash = row_hash(&prev_hash, id, at, actor, action, &detail);
    tx.prepare_cached("INSERT INTO audit (id, at, actor, action, detail, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")?.execute(params![id, at, actor, action, detail, prev_hash, hash],
    )?;
    Ok(())
}

/// Rows after `after`, at most `limit`.
pub fn rows(
    conn: &Connection,
    _: &Authorized<act::ReadAuditLog>,
    after: i64,
    limit: i64,
) -> Result<Vec<AuditRow>> {
    let mut stmt = conn.prepare(
        "SELECT id, at, actor, action, detail, hash FROM audit WHERE id > ?1 ORDER BY id LIMIT ?2",
    )?;
    let rows = stmt
        .query_map(params![after, limit], |r| {
            let detail: String = r.get(4)?;
            Ok(AuditRow {
                id: r.get(0)?,
                at: r.get(1)?,
                actor: r.get(2)?,
                action: r.get(3)?,
                detail: serde_json::from_str(&detail).unwrap_or(serde_json::Value::String(detail)),
                hash: r.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// What `verify` found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainReport {
    pub rows: i64,
    pub last_hash: String,
}

/// Recomputes the whole chain. Fails naming the first row that does not fit.
pub fn verify(conn: &Connection) -> Result<ChainReport> {
    let mut stmt = conn
        .prepare("SELECT id, at, actor, action, detail, prev_hash, hash FROM audit ORDER BY id")?;
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
        expected_prev = hash;
        expected_id += 1;
    }
    Ok(ChainReport {
        rows: expected_id - 1,
        last_hash: expected_prev,
    })
}
