//! Suspending (tạm dừng), resuming and stopping (thôi hưởng) an entitlement. Which change is
//! allowed from which status is one `match` ([`allows`]). A suspension holds from the month of
//! its day; a stop pays the month of its day and none after (the allowance ends from the month
//! after a death or a move), so it sets the last month paid.

use asxh_core::lists::Month;
use asxh_core::Date;
use rusqlite::{params, Transaction};

use super::events::{entitlement_area, record_change, Change};
use super::types::{Status, StopReason, SuspendReason};
use crate::clock::now;
use crate::error::{Result, ServerError};
use crate::policy::{act, Authorized};
use crate::store::Store;

/// A change of status asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusChange {
    Suspend(SuspendReason),
    Resume,
    Stop(StopReason),
}

/// Whether `change` may be made to an entitlement in `status`: a stopped entitlement is final
/// (a new decision starts a new one).
pub fn allows(status: Status, change: StatusChange) -> bool {
    use StatusChange::*;
    match (status, change) {
        (Status::Active, Suspend(_) | Stop(_)) => true,
        (Status::Active, Resume) => false,
        (Status::Suspended { .. }, Resume | Stop(_)) => true,
        (Status::Suspended { .. }, Suspend(_)) => false,
        (Status::Stopped { .. }, _) => false,
    }
}

fn status_of(tx: &Transaction<'_>, entitlement: i64) -> Result<(Status, Option<String>)> {
    let (status, reason, on, until): (String, Option<String>, Option<String>, Option<String>) = tx
        .prepare_cached(
            "SELECT status, reason, status_on, paid_until FROM entitlements WHERE id = ?1",
        )?
        .query_row([entitlement], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })?;
    Ok((
        Status::from_columns(&status, reason.as_deref(), on.as_deref())?,
        until,
    ))
}

/// Makes `change` on `on` (the day it takes effect), with an optional note for the history.
pub fn change_status(
    store: &Store,
    grant: &Authorized<act::RecordEntitlements>,
    entitlement: i64,
    change: StatusChange,
    on: Date,
    note: Option<String>,
) -> Result<()> {
    let grant = grant.clone();
    store.write_batched(move |tx| {
        let area = entitlement_area(tx, &grant, entitlement)?;
        let (status, paid_until) = status_of(tx, entitlement)?;
        if !allows(status, change) {
            return Err(ServerError::Conflict(format!(
                "entitlement {entitlement} is {}: it cannot be {}",
                status.as_str(),
                match change {
                    StatusChange::Suspend(_) => "suspended",
                    StatusChange::Resume => "resumed",
                    StatusChange::Stop(_) => "stopped",
                }
            )));
        }
        let (next, kind) = match change {
            StatusChange::Suspend(reason) => (Status::Suspended { reason, on }, Change::Suspended),
            StatusChange::Resume => (Status::Active, Change::Resumed),
            StatusChange::Stop(reason) => (Status::Stopped { reason, on }, Change::Stopped),
        };
        let (reason, status_on) = next.columns();
        // A stop pays up to the month of its day, never beyond the decision's own end.
        let paid_until = match change {
            StatusChange::Stop(_) => {
                let stop = Month::of(on).to_string();
                Some(paid_until.map_or(stop.clone(), |u| u.min(stop)))
            }
            _ => paid_until,
        };
        tx.prepare_cached(
            "UPDATE entitlements SET status = ?2, reason = ?3, status_on = ?4, paid_until = ?5, updated_at = ?6 WHERE id = ?1",
        )?
        .execute(params![entitlement, next.as_str(), reason, status_on, paid_until, now()])?;
        record_change(
            tx,
            entitlement,
            &area,
            &grant.actor(),
            kind,
            serde_json::json!({"reason": reason, "on": on.to_string(), "note": note, "paid_until": paid_until}),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stopped_entitlement_is_final_and_only_a_suspended_one_resumes() {
        let day = Date::parse("d", "2024-08-10").unwrap();
        let suspended = Status::Suspended {
            reason: SuspendReason::NotCollected,
            on: day,
        };
        let stopped = Status::Stopped {
            reason: StopReason::Deceased,
            on: day,
        };
        let stop = StatusChange::Stop(StopReason::MovedAway);
        let suspend = StatusChange::Suspend(SuspendReason::UnderReview);
        assert!(allows(Status::Active, suspend) && allows(Status::Active, stop));
        assert!(!allows(Status::Active, StatusChange::Resume));
        assert!(allows(suspended, StatusChange::Resume) && allows(suspended, stop));
        assert!(!allows(suspended, suspend));
        for change in [suspend, stop, StatusChange::Resume] {
            assert!(!allows(stopped, change));
        }
    }
}
