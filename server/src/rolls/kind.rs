//! The payment rolls as one kind of published list ([`ListKind`]): each area and month is a list
//! of its own, signed with the roll key, full from the published content of its entries and as
//! a delta from the entries changed after a version. Rolls of the current and later months and of
//! the month before are served and re-signed by the heartbeat; older months are history.

use asxh_core::lists::{Month, Roll, RollHeader};
use asxh_core::Date;
use rusqlite::Connection;

use super::{list_name, parse_name, stored_entries, ROLLS};
use crate::error::Result;
use crate::publication::{ListKind, ListOptions, Stamp, Timing};
use crate::store::Store;

/// Every payment roll (SPEC.md §17).
pub struct RollKind;

impl ListKind for RollKind {
    fn name(&self) -> &'static str {
        ROLLS
    }

    fn owns(&self, list: &str) -> bool {
        list.strip_prefix(ROLLS)
            .is_some_and(|rest| rest.starts_with('/'))
    }

    fn lists(&self, conn: &Connection) -> Result<Vec<String>> {
        let this = Month::of(Date::today());
        let from = Month::from_index("month", u64::from(this.index().saturating_sub(1)))?;
        let mut stmt = conn.prepare_cached(
            "SELECT area, month FROM rolls WHERE month >= ?1 ORDER BY area, month",
        )?;
        let rows = stmt
            .query_map([from.to_string()], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter()
            .map(|(area, month)| {
                Ok(list_name(
                    &asxh_core::AreaCode::parse(&area)?,
                    Month::parse("month", &month)?,
                ))
            })
            .collect()
    }

    fn etag_prefix(&self) -> &'static str {
        "pr"
    }

    /// The revocation list's: a payment point learns of a stop as soon as of a revocation.
    fn timing(&self, options: &ListOptions) -> Timing {
        options.revocation_list
    }

    fn full(&self, store: &Store, conn: &Connection, list: &str, stamp: Stamp) -> Result<Vec<u8>> {
        let (area, month) = parse_name(list)?;
        let entries = stored_entries(conn, &area, month, None, stamp.version)?
            .into_iter()
            .filter(|e| !e.lines.is_empty())
            .collect();
        let roll = Roll::new(
            RollHeader {
                version: stamp.version,
                issued_at: stamp.issued_at,
                next_update: stamp.next_update,
                base_version: None,
                area,
                month,
            },
            entries,
        )?;
        Ok(roll.sign(&store.roll_key()?))
    }

    fn committed(&self, _version: Option<u64>) {}

    fn delta(
        &self,
        store: &Store,
        conn: &Connection,
        list: &str,
        base: u64,
        current: Stamp,
    ) -> Result<Vec<u8>> {
        let (area, month) = parse_name(list)?;
        let entries = stored_entries(conn, &area, month, Some(base), current.version)?;
        let roll = Roll::new(
            RollHeader {
                version: current.version,
                issued_at: current.issued_at,
                next_update: current.next_update,
                base_version: Some(base),
                area,
                month,
            },
            entries,
        )?;
        Ok(roll.sign(&store.roll_key()?))
    }
}
