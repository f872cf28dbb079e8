//! `card_programs`, the dashboard's and the reports' index of the programs (and their
//! categories) each card's signed credential carries: written with the card, and filled from
//! every stored credential by the migrations that created the table and the category column.

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
    let mut stmt = tx.prepare_cached(
        "INSERT OR IGNORE INTO card_programs (serial, program, category) VALUES (?1, ?2, ?3)",
    )?;
    for e in entitlements {
        stmt.execute(params![
            serial.number() as i64,
            e.program().as_str(),
            e.category().as_str()
        ])?;
    }
    Ok(())
}

/// Fills each indexed program's category from the stored credentials (once, when the column is
/// created): the credentials are read one at a time in serial order, and only a category other
/// than the column's default (`''`, every row's before this step) is written, each row once,
/// with the last entitlement of its program in the credential as before.
pub(crate) fn index_categories(tx: &Transaction<'_>) -> Result<()> {
    let mut categories: Vec<(i64, String, String)> = Vec::new();
    {
        let mut read = tx.prepare("SELECT serial, credential FROM cards")?;
        let mut cards = read.query([])?;
        let mut card: Vec<(String, String)> = Vec::new();
        while let Some(r) = cards.next()? {
            let serial: i64 = r.get(0)?;
            let credential: Vec<u8> = r.get(1)?;
            card.clear();
            for e in stored_entitlements(&credential).unwrap_or_default() {
                let (program, category) = (e.program().as_str(), e.category().as_str());
                card.retain(|(p, _)| p != program);
                card.push((program.to_owned(), category.to_owned()));
            }
            categories.extend(
                card.drain(..)
                    .filter(|(_, category)| !category.is_empty())
                    .map(|(program, category)| (serial, program, category)),
            );
        }
    }
    let mut write =
        tx.prepare("UPDATE card_programs SET category = ?3 WHERE serial = ?1 AND program = ?2")?;
    for (serial, program, category) in categories {
        write.execute(params![serial, program, category])?;
    }
    Ok(())
}

/// Every stored card's serial and credential.
fn stored_cards(tx: &Transaction<'_>) -> Result<Vec<(i64, Vec<u8>)>> {
    let cards = tx
        .prepare("SELECT serial, credential FROM cards")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(cards)
}

/// Fills the index from every stored credential (once, when the table is created, as it was
/// then: without the categories of a later version).
pub(crate) fn index_all(tx: &Transaction<'_>) -> Result<()> {
    let mut stmt =
        tx.prepare("INSERT OR IGNORE INTO card_programs (serial, program) VALUES (?1, ?2)")?;
    for (serial, credential) in stored_cards(tx)? {
        for e in stored_entitlements(&credential).unwrap_or_default() {
            stmt.execute(params![serial, e.program().as_str()])?;
        }
    }
    Ok(())
}
