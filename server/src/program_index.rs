//! `card_programs`, the dashboard's index of the programs each card's signed credential
//! carries: written with the card, and filled from every stored credential by the migration that
//! created the table.

use asxh_core::{CardSerial, Entitlement};
use rusqlite::{params, Transaction};

use crate::error::Result;

/// The entitlements inside a credential this server signed and stored, decoded without checking
/// the signature again (the bytes come from the server's own database); `None` if they no longer
/// decode.
pub fn stored_entitlements(credential: &[u8]) -> Option<Vec<Entitlement>> {
    let body = asxh_core::SignedCredential::parse(credential)
        .and_then(|c| c.unverified_body())
        .ok()?;
    Some(body.entitlements().to_vec())
}

/// Records the programs of a card's entitlements.
pub(crate) fn index(
    tx: &Transaction<'_>,
    serial: CardSerial,
    entitlements: &[Entitlement],
) -> Result<()> {
    let mut stmt =
        tx.prepare_cached("INSERT OR IGNORE INTO card_programs (serial, program) VALUES (?1, ?2)")?;
    for e in entitlements {
        stmt.execute(params![serial.number() as i64, e.program().as_str()])?;
    }
    Ok(())
}

/// Fills the index from every stored credential (once, when the table is created).
pub(crate) fn index_all(tx: &Transaction<'_>) -> Result<()> {
    let cards: Vec<(i64, Vec<u8>)> = tx
        .prepare("SELECT serial, credential FROM cards")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (serial, credential) in cards {
        if let Some(entitlements) = stored_entitlements(&credential) {
            index(tx, CardSerial::new(serial as u64)?, &entitlements)?;
        }
    }
    Ok(())
}
