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

/// Marks `paid` every due line of `entries` (the roll of `month`) that a kept receipt paid, and
/// every line to be paid into an account that a receipt paid at the counter before (the method
/// changed after it was paid): it is not transferred again.
pub fn mark_paid(conn: &Connection, month: Month, entries: &mut [RollEntry]) -> Result<()> {
    let month = month.to_string();
    for entry in entries.iter_mut() {
        let paid = paid_keys(conn, &entry.ssn.to_string(), &month)?;
        if paid.is_empty() {
            continue;
        }
        for line in entry.lines.iter_mut() {
            if !matches!(line.status, LineStatus::Due | LineStatus::PaidByAccount) {
                continue;
            }
            if paid.contains(&line_key(&line.item)) {
                line.status = LineStatus::Paid;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use asxh_core::lists::roll::ItemKind;
    use asxh_core::lists::RollLine;
    use asxh_core::{CategoryCode, ProgramCode, Ssn};

    use super::*;
    use crate::store::Store;

    fn item(amount: u64) -> RollItem {
        let m = Month::parse("month", "2026-12").unwrap();
        RollItem::new(
            ProgramCode::parse("TGXH").unwrap(),
            Some(CategoryCode::parse("NCT80").unwrap()),
            ItemKind::Monthly,
            amount,
            m,
            m,
        )
        .unwrap()
    }

    fn due(amount: u64) -> RollLine {
        RollLine {
            item: item(amount),
            recipient: None,
            status: LineStatus::Due,
        }
    }

    #[test]
    fn a_due_line_a_kept_receipt_paid_is_marked_paid_and_a_line_only_a_flagged_receipt_paid_is_not()
    {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::init(dir.path()).unwrap();
        let ssn = Ssn::parse("051146000001").unwrap();
        store
            .write(|tx| {
                tx.execute_batch(
                    "INSERT INTO accounts (id, role, area, token_hash, created_at) VALUES (1, 'payment-point', '51', X'00', 0);
                     INSERT INTO payment_points VALUES ('POINT-1', 1, '51', 0);
                     INSERT INTO payments VALUES ('a', X'00', 'point', 'POINT-1', '051146000001', NULL, '51.22903', '2026-12', 1, 0, 0, 500000, 'holder', 'card_not_presented', 0);
                     INSERT INTO payments VALUES ('b', X'00', 'point', 'POINT-1', '051146000001', NULL, '51.22903', '2026-12', 1, 0, 0, 46000, 'holder', 'card_not_presented', 1);",
                )?;
                let mut insert = tx.prepare(
                    "INSERT INTO payment_lines VALUES (?1, '051146000001', '2026-12', ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                )?;
                for (receipt, amount, flagged) in [("a", 500_000, false), ("b", 46_000, true)] {
                    let k = line_key(&item(amount));
                    insert.execute(rusqlite::params![receipt, k.0, k.1, k.2, k.3, k.4, k.5, flagged])?;
                }
                Ok(())
            })
            .unwrap();
        let mut by_account = due(500_000);
        by_account.status = LineStatus::PaidByAccount;
        let mut entries = vec![RollEntry {
            ssn,
            lines: vec![due(500_000), due(46_000), due(1)],
        }];
        let mut moved = vec![RollEntry {
            ssn,
            lines: vec![by_account],
        }];
        store
            .read(|c| mark_paid(c, Month::parse("month", "2026-12").unwrap(), &mut moved))
            .unwrap();
        assert_eq!(
            moved[0].lines[0].status,
            LineStatus::Paid,
            "paid at the counter before the method changed: not transferred again"
        );
        store
            .read(|c| mark_paid(c, Month::parse("month", "2026-12").unwrap(), &mut entries))
            .unwrap();
        let statuses: Vec<LineStatus> = entries[0].lines.iter().map(|l| l.status).collect();
        assert_eq!(
            statuses,
            [LineStatus::Paid, LineStatus::Due, LineStatus::Due]
        );
        let mut other_month = vec![RollEntry {
            ssn,
            lines: vec![due(500_000)],
        }];
        store
            .read(|c| {
                mark_paid(
                    c,
                    Month::parse("month", "2027-01").unwrap(),
                    &mut other_month,
                )
            })
            .unwrap();
        assert_eq!(other_month[0].lines[0].status, LineStatus::Due);
    }
}
