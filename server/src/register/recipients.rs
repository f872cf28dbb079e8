//! Changing who may collect an entitlement for the beneficiary (a new guardian, another
//! authorised person, or nobody: the holder collects). The one replaced is kept with the day it
//! was replaced.

use rusqlite::{params, Transaction};

use super::events::{entitlement_area, record_change, Change};
use super::types::Recipient;
use crate::clock::now;
use crate::error::{Result, ServerError};
use crate::policy::{act, Authorized};
use crate::store::Store;

/// Writes `r` as the current recipient of `entitlement` (the caller has ended the previous).
pub(crate) fn insert_recipient(
    tx: &Transaction<'_>,
    entitlement: i64,
    r: &Recipient,
) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO entitlement_recipients (entitlement, role, full_name, id_number, document, valid_from, valid_until, set_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        entitlement,
        r.role.as_str(),
        r.name.as_str(),
        r.id_number.as_str(),
        r.document,
        r.valid_from.to_string(),
        r.valid_until.map(|d| d.to_string()),
        now()
    ])?;
    Ok(())
}

/// What the history and the audit log say about a recipient. The identity number is not
/// repeated there: the recipient row holds it.
pub(crate) fn detail(r: Option<&Recipient>) -> serde_json::Value {
    match r {
        Some(r) => serde_json::json!({
            "role": r.role.as_str(),
            "name": r.name.as_str(),
            "document": r.document,
            "valid_from": r.valid_from.to_string(),
            "valid_until": r.valid_until.map(|d| d.to_string()),
        }),
        None => serde_json::json!({"role": null}),
    }
}

/// Makes `recipient` the one who may collect `entitlement` (`None`: only the holder).
pub fn change_recipient(
    store: &Store,
    grant: &Authorized<act::RecordEntitlements>,
    entitlement: i64,
    recipient: Option<Recipient>,
) -> Result<()> {
    let grant = grant.clone();
    store.write_batched(move |tx| {
        let area = entitlement_area(tx, &grant, entitlement)?;
        let (household, status): (Option<String>, String) = tx
            .prepare_cached("SELECT household, status FROM entitlements WHERE id = ?1")?
            .query_row([entitlement], |r| Ok((r.get(0)?, r.get(1)?)))?;
        if household.is_some() && recipient.is_some() {
            return Err(ServerError::invalid(
                "recipient",
                "a household decision has no recipient: each member collects their own",
            ));
        }
        if status == "stopped" {
            return Err(ServerError::Conflict(format!("entitlement {entitlement} is stopped")));
        }
        let ended = tx
            .prepare_cached("UPDATE entitlement_recipients SET replaced_at = ?2 WHERE entitlement = ?1 AND replaced_at IS NULL")?
            .execute(params![entitlement, now()])?;
        if ended == 0 && recipient.is_none() {
            return Err(ServerError::Conflict(format!(
                "entitlement {entitlement} has no recipient to remove"
            )));
        }
        if let Some(r) = &recipient {
            insert_recipient(tx, entitlement, r)?;
        }
        record_change(tx, entitlement, &area, &grant.actor(), Change::Recipient, detail(recipient.as_ref()))
    })
}
