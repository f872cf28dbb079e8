//! Paid marks (SPEC.md §17.3): a line a kept receipt paid is `paid` in the roll of its month
//! from the next version on. The roll's entries are computed from the register
//! ([`crate::register::due`]); this marks, in those entries, every due line whose item a
//! receipt paid for that SSN and month. A paid mark only reduces what is payable, so the draft
//! that carries it publishes at once, without approval.

use asxh_core::lists::roll::LineStatus;
use asxh_core::lists::{Month, RollEntry, RollItem};
use rusqlite::{params, Connection};

use crate::error::Result;

/// A line's double-payment key.
pub(crate) type LineKey = (String, String, String, i64, String, String);

/// The double-payment key of a line, as `payment_lines` stores it: program, category (`''`
/// for none), kind, amount, first and last month.
pub(crate) fn line_key(item: &RollItem) -> LineKey {
    (
        item.program.as_str().to_owned(),
        item.category
            .as_ref()
            .map_or(String::new(), |c| c.as_str().to_owned()),
        item.kind.as_str().to_owned(),
        item.amount_vnd as i64,
        item.first.to_string(),
        item.last.to_string(),
    )
}

/// The keys of the lines paid (by receipts not flagged for them) to `ssn` for `month`.
pub(crate) fn paid_keys(conn: &Connection, ssn: &str, month: &str) -> Result<Vec<LineKey>> {
    let mut stmt = conn.prepare_cached(
        "SELECT program, category, kind, amount_vnd, first, last FROM payment_lines
         WHERE ssn = ?1 AND month = ?2 AND flagged = 0",
    )?;
    let keys = stmt
        .query_map(params![ssn, month], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(keys)
}

/// Marks `paid` every due line of `entries` (the roll of `month`) that a kept receipt paid.
pub fn mark_paid(conn: &Connection, month: Month, entries: &mut [RollEntry]) -> Result<()> {
    let month = month.to_string();
    for entry in entries.iter_mut() {
        let paid = paid_keys(conn, &entry.ssn.to_string(), &month)?;
        if paid.is_empty() {
            continue;
        }
        for line in entry.lines.iter_mut() {
            if line.status != LineStatus::Due {
                continue;
            }
            if paid.contains(&line_key(&line.item)) {
                line.status = LineStatus::Paid;
            }
        }
    }
    Ok(())
}
