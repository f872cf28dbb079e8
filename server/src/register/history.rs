//! Reading the register: a beneficiary's entitlements (their own and their household's), each
//! with its current recipient and its whole history, oldest change first.

use asxh_core::Ssn;
use rusqlite::Connection;

use super::beneficiaries::{beneficiary, Beneficiary};
use super::types::Status;
use crate::error::Result;
use crate::policy::{act, Authorized};

/// One change of an entitlement, as its history keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub at: i64,
    pub actor: String,
    pub change: String,
    /// What the change said (a JSON object).
    pub detail: String,
}

/// A recipient as the register shows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecipientRow {
    pub role: String,
    pub name: String,
    pub id_number: String,
    pub document: String,
    pub valid_from: String,
    pub valid_until: Option<String>,
}

/// An entitlement with its decision, status, recipient and history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntitlementRecord {
    pub id: i64,
    /// The household whose decision it is, for a household's.
    pub household: Option<String>,
    pub program: String,
    pub category: String,
    pub coefficient: Option<u32>,
    pub fixed_vnd: Option<u64>,
    pub decision_no: String,
    pub decision_date: String,
    pub paid_from: String,
    pub paid_until: Option<String>,
    pub first_paid: String,
    pub settled_until: Option<String>,
    pub status: Status,
    pub recipient: Option<RecipientRow>,
    pub events: Vec<Event>,
}

/// The beneficiary of `ssn` (within the grant's reach) with every entitlement, by id.
pub fn history(
    conn: &Connection,
    grant: &Authorized<act::ReadEntitlements>,
    ssn: Ssn,
) -> Result<(Beneficiary, Vec<EntitlementRecord>)> {
    let who = beneficiary(conn, grant, ssn)?;
    let mut stmt = conn.prepare_cached(
        "SELECT e.id, e.household, e.program, e.category, e.coefficient, e.fixed_vnd, e.decision_no, e.decision_date,
                e.paid_from, e.paid_until, e.first_paid, e.status, e.reason, e.status_on, e.settled_until
         FROM entitlements e
         WHERE e.ssn = ?1 OR e.household IN (SELECT household FROM household_members WHERE ssn = ?1)
         ORDER BY e.id",
    )?;
    let mut rows = stmt.query([ssn.to_string()])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        out.push(EntitlementRecord {
            id,
            household: r.get(1)?,
            program: r.get(2)?,
            category: r.get(3)?,
            coefficient: r.get(4)?,
            fixed_vnd: r.get::<_, Option<i64>>(5)?.map(|a| a as u64),
            decision_no: r.get(6)?,
            decision_date: r.get(7)?,
            paid_from: r.get(8)?,
            paid_until: r.get(9)?,
            first_paid: r.get(10)?,
            settled_until: r.get(14)?,
            status: Status::from_columns(
                &r.get::<_, String>(11)?,
                r.get::<_, Option<String>>(12)?.as_deref(),
                r.get::<_, Option<String>>(13)?.as_deref(),
            )?,
            recipient: current_recipient(conn, id)?,
            events: events(conn, id)?,
        });
    }
    Ok((who, out))
}

fn current_recipient(conn: &Connection, entitlement: i64) -> Result<Option<RecipientRow>> {
    use rusqlite::OptionalExtension;
    Ok(conn
        .prepare_cached(
            "SELECT role, full_name, id_number, document, valid_from, valid_until FROM entitlement_recipients
             WHERE entitlement = ?1 AND replaced_at IS NULL",
        )?
        .query_row([entitlement], |r| {
            Ok(RecipientRow {
                role: r.get(0)?,
                name: r.get(1)?,
                id_number: r.get(2)?,
                document: r.get(3)?,
                valid_from: r.get(4)?,
                valid_until: r.get(5)?,
            })
        })
        .optional()?)
}

fn events(conn: &Connection, entitlement: i64) -> Result<Vec<Event>> {
    let mut stmt = conn.prepare_cached(
        "SELECT at, actor, change, detail FROM entitlement_events WHERE entitlement = ?1 ORDER BY id",
    )?;
    let events = stmt
        .query_map([entitlement], |r| {
            Ok(Event {
                at: r.get(0)?,
                actor: r.get(1)?,
                change: r.get(2)?,
                detail: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(events)
}
