//! Checking one uploaded receipt before anything is written: it parses, its id is new (or the
//! same receipt again), its point is the uploader's, its roll's area is within the uploader's
//! area, its signature verifies (the card key of the stored credential of the card it names,
//! that card being the SSN's; or a key of the point not retired before the payment), and every
//! line it pays is a line of the SSN's entry in the roll published for its area and month.

use asxh_core::lists::roll::LineStatus;
use asxh_core::receipt::{ReceiptProfile, SignedReceipt};
use asxh_core::signature;
use asxh_core::{CardSerial, SignedCredential};
use rusqlite::{Connection, OptionalExtension};

use super::points;
use crate::error::Result;
use crate::policy::{act, Authorized};
use crate::publication;
use crate::rolls;

/// Why a receipt is refused: one of the contract's codes and what was wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub code: &'static str,
    pub message: String,
}

fn refuse(code: &'static str, message: impl Into<String>) -> Refusal {
    Refusal {
        code,
        message: message.into(),
    }
}

/// What the check of one receipt found.
#[derive(Debug)]
pub enum Checked {
    /// Verified, to be kept (unless the same id arrives first in the write).
    Verified(Box<SignedReceipt>),
    /// This id with these bytes is kept already.
    AlreadyRecorded,
    Refused(Refusal),
}

/// Parses the hex form of one receipt of an upload.
pub fn parse(hex_text: &str) -> std::result::Result<SignedReceipt, Refusal> {
    let bytes = hex::decode(hex_text.trim()).map_err(|_| {
        refuse(
            "malformed",
            "not hexadecimal: a receipt is its bytes in lower-case hex",
        )
    })?;
    SignedReceipt::parse(&bytes).map_err(|e| refuse("malformed", e.to_string()))
}

/// Whether this id is kept already: `Some(true)` with the same bytes, `Some(false)` with
/// other bytes.
pub(crate) fn kept(conn: &Connection, receipt: &SignedReceipt) -> Result<Option<bool>> {
    let bytes: Option<Vec<u8>> = conn
        .prepare_cached("SELECT bytes FROM payments WHERE receipt_id = ?1")?
        .query_row([receipt.body().id.to_hex()], |r| r.get(0))
        .optional()?;
    Ok(bytes.map(|b| b == receipt.to_bytes()))
}

pub(crate) fn id_reused(receipt: &SignedReceipt) -> Refusal {
    refuse(
        "id_reused",
        format!(
            "receipt {} is kept already with other content; a receipt's id is never reused",
            receipt.body().id
        ),
    )
}

/// Checks `receipt`, uploaded by the account of `grant`, on the read connection `conn`.
pub fn check(
    conn: &Connection,
    grant: &Authorized<act::RecordPayments>,
    receipt: SignedReceipt,
) -> Result<Checked> {
    match kept(conn, &receipt)? {
        Some(true) => return Ok(Checked::AlreadyRecorded),
        Some(false) => return Ok(Checked::Refused(id_reused(&receipt))),
        None => {}
    }
    Ok(match verify(conn, grant, &receipt)? {
        Ok(()) => Checked::Verified(Box::new(receipt)),
        Err(refusal) => Checked::Refused(refusal),
    })
}

fn verify(
    conn: &Connection,
    grant: &Authorized<act::RecordPayments>,
    receipt: &SignedReceipt,
) -> Result<std::result::Result<(), Refusal>> {
    let body = receipt.body();
    let caller = grant.account().map(|a| a.id);
    match points::point_of(conn, &body.point)? {
        None => {
            return Ok(Err(refuse(
                "unknown_point",
                format!(
                    "payment point {} has no registered key (PUT /v1/payment-points/{}/key first)",
                    body.point, body.point
                ),
            )))
        }
        Some((owner, _)) if Some(owner) != caller => {
            return Ok(Err(refuse(
                "point_mismatch",
                format!(
                    "the receipt was paid at point {}, which is not this account's",
                    body.point
                ),
            )))
        }
        Some(_) => {}
    }
    if !grant.covers(&body.area) {
        return Ok(Err(refuse(
            "outside_area",
            format!(
                "the receipt pays from the roll of {}, outside this account's area",
                body.area
            ),
        )));
    }
    if let Err(refusal) = verify_signature(conn, receipt)? {
        return Ok(Err(refusal));
    }
    in_roll(conn, receipt)
}

fn verify_signature(
    conn: &Connection,
    receipt: &SignedReceipt,
) -> Result<std::result::Result<(), Refusal>> {
    let body = receipt.body();
    let bad = || {
        refuse(
            "bad_signature",
            format!(
                "the signature of receipt {} does not verify: it was altered or not signed by {}",
                body.id,
                match body.profile() {
                    ReceiptProfile::Card => "the card it names",
                    ReceiptProfile::Point => "the point's key",
                }
            ),
        )
    };
    match body.profile() {
        ReceiptProfile::Card => {
            let serial = body.serial.expect("a card-signed receipt names its card");
            let Some(key) = card_key(conn, serial, body.ssn)? else {
                return Ok(Err(refuse(
                    "unknown_card",
                    format!("no card {serial} of SSN {}", body.ssn),
                )));
            };
            Ok(receipt.verify(&key).map_err(|_| bad()))
        }
        ReceiptProfile::Point => {
            let keys = points::keys_at(conn, &body.point, body.paid_at)?;
            if keys.is_empty() {
                return Ok(Err(refuse(
                    "unknown_point",
                    format!(
                        "payment point {} had no key in use at {} (its keys were retired before)",
                        body.point, body.paid_at
                    ),
                )));
            }
            Ok(if keys.iter().any(|k| receipt.verify(k).is_ok()) {
                Ok(())
            } else {
                Err(bad())
            })
        }
    }
}

/// The card public key (tag 8A) of the stored credential of card `serial`, when that card is
/// `ssn`'s.
fn card_key(
    conn: &Connection,
    serial: CardSerial,
    ssn: asxh_core::Ssn,
) -> Result<Option<asxh_core::PublicKey>> {
    let row: Option<(String, Vec<u8>)> = conn
        .prepare_cached("SELECT ssn, credential FROM cards WHERE serial = ?1")?
        .query_row([serial.number() as i64], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let Some((card_ssn, credential)) = row else {
        return Ok(None);
    };
    if card_ssn != ssn.to_string() {
        return Ok(None);
    }
    let (bound, key) = SignedCredential::parse(&credential)?.card_binding()?;
    if bound != serial {
        return Ok(None);
    }
    Ok(Some(signature::public_key_from_bytes("card_key", &key)?))
}

/// Whether every line of `receipt` is on the SSN's entry of the roll it names, published at the
/// version it names or later.
fn in_roll(conn: &Connection, receipt: &SignedReceipt) -> Result<std::result::Result<(), Refusal>> {
    let body = receipt.body();
    let name = rolls::list_name(&body.area, body.month);
    let latest = publication::latest_version(conn, &name)?;
    if latest.is_none_or(|v| v < body.roll_version) {
        return Ok(Err(refuse(
            "not_in_roll",
            match latest {
                None => format!(
                    "no payment roll of {} for {} is published",
                    body.area, body.month
                ),
                Some(v) => format!(
                    "the receipt names version {} of the roll of {} for {}, which is at version {v}",
                    body.roll_version, body.area, body.month
                ),
            },
        )));
    }
    let Some(lines) = rolls::published_lines(conn, &body.area, body.month, body.ssn)? else {
        return Ok(Err(refuse(
            "not_in_roll",
            format!(
                "SSN {} is not on the payment roll of {} for {}",
                body.ssn, body.area, body.month
            ),
        )));
    };
    for item in &body.lines {
        let on_roll = lines
            .iter()
            .any(|l| l.item == *item && matches!(l.status, LineStatus::Due | LineStatus::Paid));
        if !on_roll {
            return Ok(Err(refuse(
                "not_in_roll",
                format!(
                    "the line {} {} {} đ ({} to {}) is not payable to SSN {} on the roll of {} for {}",
                    item.program,
                    item.kind.as_str(),
                    item.amount_vnd,
                    item.first,
                    item.last,
                    body.ssn,
                    body.area,
                    body.month
                ),
            )));
        }
    }
    Ok(Ok(()))
}
