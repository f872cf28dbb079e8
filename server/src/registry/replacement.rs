//! Replacement requests. An administrator starts a replacement for a damaged, lost or stolen card
//! (console), a commune's data entry for a damaged card or one issued with wrong data; the request stays open until an office issues a new card for the same SSN, which
//! closes it. A lost or stolen card is revoked at once, when the request is made: it must stop
//! working now, not when the new card is printed. A damaged card keeps working until the office
//! issues the new card with `replaces`, which revokes it in the same transaction.

use asxh_api::CardStatus;
use asxh_core::lists::RevocationReason;
use asxh_core::{AreaCode, CardSerial, Ssn};
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::Serialize;

use super::events::{event, status_column};
use super::lifecycle::{self, CardChange};
use super::revocation::revoke_card;
use crate::audit;
use crate::clock::now;
use crate::error::{Result, ServerError};
use crate::policy::{act, Authorized};
use crate::store::Store;

/// Why a card is being replaced (a subset of the revocation reasons).
pub const REASONS: [RevocationReason; 4] = [
    RevocationReason::Damaged,
    RevocationReason::Lost,
    RevocationReason::Stolen,
    RevocationReason::Error,
];

/// One replacement request.
#[derive(Debug, Clone, Serialize)]
pub struct Replacement {
    pub serial: String,
    pub reason: String,
    pub requested_by: String,
    pub requested_at: i64,
    pub new_serial: Option<String>,
    pub done_at: Option<i64>,
    pub full_name: String,
    pub ssn: String,
    pub area_code: String,
}

/// What starting a replacement did.
#[derive(Debug, Clone, Serialize)]
pub struct Started {
    /// The revocation-list version that revokes the old card, when the reason revokes it at once.
    pub revoked_in_version: Option<i64>,
}

/// Whether a replacement for `reason` revokes the old card at once.
pub fn revokes_at_once(reason: RevocationReason) -> bool {
    matches!(reason, RevocationReason::Lost | RevocationReason::Stolen)
}

/// Starts a replacement of an active card within the grant's reach.
pub fn request(
    store: &Store,
    grant: &Authorized<act::StartReplacements>,
    serial: CardSerial,
    reason: RevocationReason,
) -> Result<Started> {
    if !REASONS.contains(&reason) {
        return Err(ServerError::invalid(
            "reason",
            format!(
                "{} is not a reason to replace a card (damaged, lost, stolen or error)",
                reason.as_str()
            ),
        ));
    }
    // A lost or stolen card is revoked now, so starting its replacement is a revocation: a role
    // that may not revoke (a commune's data entry) may only ask for a damaged or wrong card.
    if revokes_at_once(reason) {
        grant.and::<act::RevokeCards>()?;
    }
    let actor = grant.actor();
    store.write(|tx| {
        let (status, area): (CardStatus, String) = tx
            .query_row(
                "SELECT status, area FROM cards WHERE serial = ?1",
                [serial.number() as i64],
                |r| Ok((status_column(r, 0)?, r.get::<_, String>(1)?)),
            )
            .optional()?
            .filter(|(_, area)| AreaCode::parse(area).is_ok_and(|a| grant.covers(&a)))
            .ok_or_else(|| ServerError::NotFound(format!("no card {serial}")))?;
        if !lifecycle::allows(status, CardChange::Replace) {
            return Err(ServerError::Conflict(format!(
                "card {serial} is {status}; only an active card can be replaced"
            )));
        }
        tx.prepare_cached(
            "INSERT INTO replacements (serial, reason, requested_by, requested_at) VALUES (?1, ?2, ?3, ?4)",
        )?
        .execute(params![serial.number() as i64, reason.as_str(), actor, now()])
        .map_err(|e| match e {
            rusqlite::Error::SqliteFailure(f, _)
                if f.code == rusqlite::ErrorCode::ConstraintViolation =>
            {
                ServerError::Conflict(format!("a replacement of card {serial} is already open"))
            }
            other => other.into(),
        })?;
        event(tx, serial, "replacement requested", &actor, reason.as_str())?;
        audit::append(
            tx,
            &actor,
            "card.replacement",
            Some(&AreaCode::parse(&area)?),
            &serde_json::json!({"serial": serial.to_string(), "reason": reason.as_str()}),
        )?;
        let revoked_in_version = if revokes_at_once(reason) {
            Some(revoke_card(tx, serial, reason, &actor)?)
        } else {
            None
        };
        Ok(Started { revoked_in_version })
    })
}

/// Closes the open replacement requests of `ssn`'s cards with the newly issued card.
pub(crate) fn link_new_card(tx: &Transaction<'_>, ssn: &Ssn, new: CardSerial) -> Result<()> {
    tx.prepare_cached(
        "UPDATE replacements SET new_serial = ?1, done_at = ?2
         WHERE new_serial IS NULL AND serial IN (SELECT serial FROM cards WHERE ssn = ?3)",
    )?
    .execute(params![new.number() as i64, now(), ssn.to_string()])?;
    Ok(())
}

/// Reopens the requests a voided card had closed: the holder still needs a card.
pub(crate) fn unlink_voided(tx: &Transaction<'_>, voided: CardSerial) -> Result<()> {
    tx.prepare_cached(
        "UPDATE replacements SET new_serial = NULL, done_at = NULL WHERE new_serial = ?1",
    )?
    .execute([voided.number() as i64])?;
    Ok(())
}

fn serial_text(n: i64) -> Result<String> {
    Ok(CardSerial::new(n as u64)?.to_string())
}

fn load(
    conn: &Connection,
    where_sql: &str,
    args: &[&dyn rusqlite::ToSql],
) -> Result<Vec<Replacement>> {
    let sql = format!(
        "SELECT p.serial, p.reason, p.requested_by, p.requested_at, p.new_serial, p.done_at, c.full_name, c.ssn, c.area
         FROM replacements p JOIN cards c ON c.serial = p.serial WHERE {where_sql} ORDER BY p.requested_at DESC, p.id DESC LIMIT 200"
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt
        .query_map(args, |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, Option<i64>>(4)?,
                r.get::<_, Option<i64>>(5)?,
                r.get::<_, String>(6)?,
                r.get::<_, String>(7)?,
                r.get::<_, String>(8)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter()
        .map(|(serial, reason, by, at, new, done, name, ssn, area)| {
            Ok(Replacement {
                serial: serial_text(serial)?,
                reason,
                requested_by: by,
                requested_at: at,
                new_serial: new.map(serial_text).transpose()?,
                done_at: done,
                full_name: name,
                ssn,
                area_code: area,
            })
        })
        .collect()
}

/// The replacement requests of one card, newest first.
pub fn of_card(
    conn: &Connection,
    _: &Authorized<act::LookUpCards>,
    serial: CardSerial,
) -> Result<Vec<Replacement>> {
    load(conn, "p.serial = ?1", &[&(serial.number() as i64)])
}

/// The open replacement requests within the grant's reach, newest first (at most 200).
pub fn open_in(conn: &Connection, grant: &Authorized<act::UseConsole>) -> Result<Vec<Replacement>> {
    let (area, below) = grant.scope().params();
    load(
        conn,
        &format!(
            "p.new_serial IS NULL AND {}",
            grant.scope().within("c.area", 1)
        ),
        &[&area, &below],
    )
}
