//! Revoking cards: one by serial or every live card of an SSN, with its card event and audit row
//! in the same transaction. The revocations a transaction records (every card of an SSN, and
//! all the revocations committed until the next publication) share one version of the revocation
//! list ([`crate::publication`] publishes it: before the commit at the command line, in a batch
//! of its own while a server serves).

use asxh_api::CardStatus;
use asxh_core::lists::RevocationReason;
use asxh_core::{AreaCode, CardSerial, Date, Ssn};
use rusqlite::{params, OptionalExtension, Transaction};

use super::events::{event, status_column};
use super::lifecycle::{self, CardChange};
use crate::audit;
use crate::clock::now;
use crate::error::{Result, ServerError};
use crate::policy::{act, Authorized};
use crate::publish;
use crate::store::Store;

/// Revokes one card inside a transaction; returns the revocation-list version that carries it.
/// The caller has authorised the revocation (an administrator's or the operator's, or the
/// issuance or replacement that revokes the old card).
pub(crate) fn revoke_card(
    tx: &Transaction<'_>,
    serial: CardSerial,
    reason: RevocationReason,
    actor: &str,
) -> Result<i64> {
    let (status, area) = tx
        .prepare_cached("SELECT status, area FROM cards WHERE serial = ?1")?
        .query_row([serial.number() as i64], |r| {
            Ok((status_column(r, 0)?, r.get::<_, String>(1)?))
        })
        .optional()?
        .ok_or_else(|| ServerError::NotFound(format!("no card {serial}")))?;
    if !lifecycle::allows(status, CardChange::Revoke) {
        return Err(ServerError::Conflict(if status == CardStatus::Revoked {
            format!("card {serial} is already revoked")
        } else {
            format!("card {serial} was voided and never used")
        }));
    }
    tx.prepare_cached("UPDATE cards SET status = ?1 WHERE serial = ?2")?
        .execute(params![
            CardStatus::Revoked.as_str(),
            serial.number() as i64
        ])?;
    let version = publish::revocation_list_changed(tx)? as i64;
    tx.prepare_cached(
        "INSERT INTO revocations (version, serial, reason, revoked_on, at) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        version,
        serial.number() as i64,
        reason.as_str(),
        Date::today().to_string(),
        now()
    ])?;
    event(tx, serial, "revoked", actor, reason.as_str())?;
    audit::append(
        tx,
        actor,
        "card.revoke",
        Some(&AreaCode::parse(&area)?),
        &serde_json::json!({"serial": serial.to_string(), "reason": reason.as_str(), "list_version": version}),
    )?;
    Ok(version)
}

/// What to revoke.
#[derive(Debug, Clone, Copy)]
pub enum RevocationTarget {
    Serial(CardSerial),
    Ssn(Ssn),
}

/// Revokes a card, or every live card of an SSN, within the grant's reach. Returns the
/// revocation-list version that includes the revocation(s) and the serials revoked. Durable on
/// return.
pub fn revoke(
    store: &Store,
    grant: &Authorized<act::RevokeCards>,
    target: RevocationTarget,
    reason: RevocationReason,
) -> Result<(i64, Vec<CardSerial>)> {
    let scope = grant.scope();
    let actor = grant.actor();
    store.write_batched(move |tx| {
        let serials: Vec<(i64, String)> = match target {
            RevocationTarget::Serial(s) => tx
                .prepare_cached("SELECT serial, area FROM cards WHERE serial = ?1")?
                .query_row([s.number() as i64], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?
                .into_iter()
                .collect(),
            RevocationTarget::Ssn(ssn) => {
                let mut stmt = tx.prepare("SELECT serial, area FROM cards WHERE ssn = ?1 AND status IN ('pending', 'active') ORDER BY serial")?;
                let rows = stmt.query_map([ssn.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<Vec<_>>>()?;
                rows
            }
        };
        // A card out of reach is answered as one that does not exist.
        let serials: Vec<(i64, String)> = serials
            .into_iter()
            .filter(|(_, area)| AreaCode::parse(area).is_ok_and(|a| scope.contains(&a)))
            .collect();
        if serials.is_empty() {
            return Err(ServerError::NotFound(match target {
                RevocationTarget::Serial(s) => format!("no card {s}"),
                RevocationTarget::Ssn(n) => format!("SSN {n} has no live card"),
            }));
        }
        let mut version = 0;
        let mut done = Vec::new();
        for (serial, _) in serials {
            let serial = CardSerial::new(serial as u64)?;
            version = revoke_card(tx, serial, reason, &actor)?;
            done.push(serial);
        }
        Ok((version, done))
    })
}
