//! Recording an entitlement decision (quyết định hưởng): for a beneficiary or a household,
//! with its amount rule, its months and, if someone collects for the holder, the authorised
//! recipient. The first month a roll pays it is the month it is recorded (or its first month,
//! if later): months before that from its first month are arrears (truy lĩnh), paid in that
//! roll as a separate line.

use asxh_core::lists::Month;
use asxh_core::{AreaCode, Date};
use rusqlite::{params, Transaction};

use super::events::{record_change, Change};
use super::households::household_area;
use super::recipients::insert_recipient;
use super::types::{Decision, DecisionFor};
use crate::amounts::Rule;
use crate::clock::now;
use crate::error::{Result, ServerError};
use crate::policy::{act, Authorized};
use crate::store::Store;

/// Records `decision` on `today` (the server's day; a parameter so the months it pays can be
/// tested), returns the entitlement's id.
pub fn record(
    store: &Store,
    grant: &Authorized<act::RecordEntitlements>,
    decision: Decision,
    today: Date,
) -> Result<i64> {
    let decision = decision.check(today)?;
    let grant = grant.clone();
    store.write_batched(move |tx| record_in(tx, &grant, &decision, Month::of(today)))
}

fn record_in(
    tx: &Transaction<'_>,
    grant: &Authorized<act::RecordEntitlements>,
    d: &Decision,
    recorded: Month,
) -> Result<i64> {
    let (ssn, household, area): (Option<String>, Option<String>, AreaCode) = match &d.holder {
        DecisionFor::Person(ssn) => {
            let b = super::beneficiaries::beneficiary(tx, grant, *ssn)?;
            (Some(ssn.to_string()), None, b.area)
        }
        DecisionFor::Household(code) => {
            if d.recipient.is_some() {
                return Err(ServerError::invalid(
                    "recipient",
                    "a household decision has no recipient: each member collects their own",
                ));
            }
            let area = household_area(tx, grant, code)?;
            (None, Some(code.as_str().to_owned()), area)
        }
    };
    let duplicate: bool = tx
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM entitlements WHERE decision_no = ?1 AND program = ?2 AND category = ?3
             AND COALESCE(ssn, household) = COALESCE(?4, ?5))",
        )?
        .query_row(
            params![d.decision_no.as_str(), d.program.as_str(), d.category.as_str(), ssn, household],
            |r| r.get(0),
        )?;
    if duplicate {
        return Err(ServerError::Conflict(format!(
            "decision {} for {} {} is already recorded",
            d.decision_no.as_str(),
            d.program,
            d.category.as_str()
        )));
    }
    let (coefficient, fixed) = match d.rule {
        Rule::Coefficient(c) => (Some(c.0), None),
        Rule::Fixed(a) => (None, Some(a as i64)),
    };
    let first_paid = d.paid_from.max(recorded);
    let at = now();
    tx.prepare_cached(
        "INSERT INTO entitlements (ssn, household, program, category, coefficient, fixed_vnd, decision_no, decision_date,
           paid_from, paid_until, first_paid, settled_until, status, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, 'active', ?13, ?13)",
    )?
    .execute(params![
        ssn,
        household,
        d.program.as_str(),
        d.category.as_str(),
        coefficient,
        fixed,
        d.decision_no.as_str(),
        d.decision_date.to_string(),
        d.paid_from.to_string(),
        d.paid_until.map(|m| m.to_string()),
        first_paid.to_string(),
        d.settled_until.map(|m| m.to_string()),
        at
    ])?;
    let id = tx.last_insert_rowid();
    record_change(
        tx,
        id,
        &area,
        &grant.actor(),
        Change::Recorded,
        serde_json::json!({
            "ssn": ssn,
            "household": household,
            "program": d.program.as_str(),
            "category": d.category.as_str(),
            "coefficient": coefficient,
            "fixed_vnd": fixed,
            "decision_no": d.decision_no.as_str(),
            "decision_date": d.decision_date.to_string(),
            "paid_from": d.paid_from.to_string(),
            "paid_until": d.paid_until.map(|m| m.to_string()),
            "first_paid": first_paid.to_string(),
            "settled_until": d.settled_until.map(|m| m.to_string()),
        }),
    )?;
    if let Some(r) = &d.recipient {
        insert_recipient(tx, id, r)?;
        record_change(
            tx,
            id,
            &area,
            &grant.actor(),
            Change::Recipient,
            super::recipients::detail(Some(r)),
        )?;
    }
    Ok(id)
}
