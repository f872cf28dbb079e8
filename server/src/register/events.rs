//! The history of an entitlement: one row per change, written in the transaction of the change
//! together with its audit row, and the reach check every change starts with.

use asxh_core::AreaCode;
use rusqlite::{params, OptionalExtension, Transaction};

use crate::audit;
use crate::clock::now;
use crate::error::{Result, ServerError};
use crate::policy::{Act, Authorized};

/// What one change was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Recorded,
    Suspended,
    Resumed,
    Stopped,
    Recipient,
    /// The payment method: into an account, or at the counter again.
    Account,
}

impl Change {
    pub fn as_str(self) -> &'static str {
        match self {
            Change::Recorded => "recorded",
            Change::Suspended => "suspended",
            Change::Resumed => "resumed",
            Change::Stopped => "stopped",
            Change::Recipient => "recipient",
            Change::Account => "account",
        }
    }

    /// The audit action of the change.
    fn audit_action(self) -> &'static str {
        match self {
            Change::Recorded => "entitlement.record",
            Change::Suspended => "entitlement.suspend",
            Change::Resumed => "entitlement.resume",
            Change::Stopped => "entitlement.stop",
            Change::Recipient => "entitlement.recipient",
            Change::Account => "entitlement.account",
        }
    }
}

/// Writes the change's history row and audit row; `detail` is an object, completed with the
/// entitlement's id.
pub(crate) fn record_change(
    tx: &Transaction<'_>,
    entitlement: i64,
    area: &AreaCode,
    actor: &str,
    change: Change,
    detail: serde_json::Value,
) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO entitlement_events (entitlement, at, actor, change, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![entitlement, now(), actor, change.as_str(), detail.to_string()])?;
    let mut detail = detail;
    if let Some(fields) = detail.as_object_mut() {
        fields.insert("entitlement".into(), entitlement.into());
    }
    audit::append(tx, actor, change.audit_action(), Some(area), &detail)
}

/// The area of the beneficiary or household an entitlement is for, if the grant reaches it;
/// an entitlement out of reach is answered as one that does not exist.
pub(crate) fn entitlement_area<A: Act>(
    tx: &Transaction<'_>,
    grant: &Authorized<A>,
    entitlement: i64,
) -> Result<AreaCode> {
    let area: Option<String> = tx
        .prepare_cached(
            "SELECT COALESCE(b.area, h.area) FROM entitlements e
             LEFT JOIN beneficiaries b ON b.ssn = e.ssn
             LEFT JOIN households h ON h.code = e.household
             WHERE e.id = ?1",
        )?
        .query_row([entitlement], |r| r.get(0))
        .optional()?;
    area.map(|a| AreaCode::parse(&a))
        .transpose()?
        .filter(|a| grant.covers(a))
        .ok_or_else(|| ServerError::NotFound(format!("no entitlement {entitlement}")))
}
