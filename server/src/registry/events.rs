//! What every registry change writes besides itself: the card's history row, and the status
//! column read back as a [`CardStatus`].

use asxh_api::CardStatus;
use asxh_core::CardSerial;
use rusqlite::{params, Transaction};

use crate::clock::now;
use crate::error::{Result, ServerError};

/// Appends one entry to a card's history.
pub(crate) fn event(
    tx: &Transaction<'_>,
    serial: CardSerial,
    event: &str,
    actor: &str,
    detail: &str,
) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO card_events (serial, at, event, actor, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![serial.number() as i64, now(), event, actor, detail])?;
    Ok(())
}

/// Column `i` of a `cards.status` read (the table's CHECK allows only the four statuses).
pub(crate) fn status_column(row: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<CardStatus> {
    let text: String = row.get(i)?;
    CardStatus::parse(&text).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            i,
            rusqlite::types::Type::Text,
            format!("{text:?} is not a card status").into(),
        )
    })
}

/// A unique-constraint failure as 409 `what`; anything else as a storage error.
pub(crate) fn conflict_on_unique(e: rusqlite::Error, what: &str) -> ServerError {
    match e {
        rusqlite::Error::SqliteFailure(f, _)
            if f.code == rusqlite::ErrorCode::ConstraintViolation =>
        {
            ServerError::Conflict(what.to_owned())
        }
        other => other.into(),
    }
}
