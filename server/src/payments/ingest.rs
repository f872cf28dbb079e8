//! Recording an upload of receipts: each is checked on a read connection ([`verify`]), then the
//! verified ones are written together in one write transaction of the group-commit writer
//! ([`Store::write_batched`]), with one audit row for the upload. In the write, a receipt whose
//! line another kept receipt paid first is kept flagged, naming those receipts; the others'
//! lines are paid, and the roll of each area paid from is left to be drafted again, which
//! publishes the paid marks ([`crate::rolls::redraft`]).

use std::collections::BTreeSet;

use asxh_api::payments::{PaidBy, PaymentOutcome, PaymentProblem, PaymentResult, MAX_RECEIPTS};
use asxh_core::receipt::{Collector, ReceiptProfile, SignedReceipt};
use rusqlite::{params, Transaction};

use super::marks::line_key;
use super::verify::{self, Checked, Refusal};
use crate::audit;
use crate::clock;
use crate::error::{Result, ServerError};
use crate::policy::{act, Authorized};
use crate::store::Store;

fn refused(id: String, refusal: Refusal) -> PaymentResult {
    PaymentResult {
        id,
        outcome: PaymentOutcome::Refused,
        problem: Some(PaymentProblem {
            code: refusal.code.to_owned(),
            message: refusal.message,
        }),
        paid_by: Vec::new(),
    }
}

fn outcome(id: String, outcome: PaymentOutcome) -> PaymentResult {
    PaymentResult {
        id,
        outcome,
        problem: None,
        paid_by: Vec::new(),
    }
}

/// What each receipt of an upload came to before the write: its result, or the verified receipt
/// the write decides.
enum Step {
    Done(PaymentResult),
    Write(Box<SignedReceipt>),
}

/// Records the receipts `receipts` (hex) uploaded by the account of `grant`; returns one result
/// per receipt, in the order sent. Durable on return: every receipt recorded or flagged is on
/// disk. 400 for an empty upload or one over [`MAX_RECEIPTS`].
pub fn upload(
    store: &Store,
    grant: &Authorized<act::RecordPayments>,
    receipts: &[String],
) -> Result<Vec<PaymentResult>> {
    if receipts.is_empty() || receipts.len() > MAX_RECEIPTS {
        return Err(ServerError::bad_request(
            "receipts",
            format!(
                "{} receipts; send 1 to {MAX_RECEIPTS} receipts per request",
                receipts.len()
            ),
        ));
    }
    let steps = store.read(|c| {
        receipts
            .iter()
            .map(|text| {
                let receipt = match verify::parse(text) {
                    Ok(r) => r,
                    Err(refusal) => return Ok(Step::Done(refused(String::new(), refusal))),
                };
                let id = receipt.body().id.to_hex();
                Ok(match verify::check(c, grant, receipt)? {
                    Checked::Verified(r) => Step::Write(r),
                    Checked::AlreadyRecorded => {
                        Step::Done(outcome(id, PaymentOutcome::AlreadyRecorded))
                    }
                    Checked::Refused(refusal) => Step::Done(refused(id, refusal)),
                })
            })
            .collect::<Result<Vec<Step>>>()
    })?;
    let actor = grant.actor();
    let area = grant.account().map(|a| a.area.clone());
    store.write_batched(move |tx| {
        let now = clock::now();
        let mut results = Vec::with_capacity(steps.len());
        let mut areas = BTreeSet::new();
        for step in steps {
            results.push(match step {
                Step::Done(r) => r,
                Step::Write(receipt) => {
                    let result = keep(tx, &receipt, now)?;
                    if result.outcome != PaymentOutcome::AlreadyRecorded
                        && result.outcome != PaymentOutcome::Refused
                    {
                        areas.insert(receipt.body().area.as_str().to_owned());
                    }
                    result
                }
            });
        }
        for a in &areas {
            tx.prepare_cached("INSERT INTO roll_changes (area) VALUES (?1)")?
                .execute([a])?;
        }
        let count = |o: PaymentOutcome| results.iter().filter(|r| r.outcome == o).count();
        let kept: Vec<&str> = results
            .iter()
            .filter(|r| {
                matches!(
                    r.outcome,
                    PaymentOutcome::Recorded | PaymentOutcome::Flagged
                )
            })
            .map(|r| r.id.as_str())
            .collect();
        if !kept.is_empty() {
            audit::append(
                tx,
                &actor,
                "payments.upload",
                area.as_ref(),
                &serde_json::json!({
                    "recorded": count(PaymentOutcome::Recorded),
                    "flagged": count(PaymentOutcome::Flagged),
                    "already_recorded": count(PaymentOutcome::AlreadyRecorded),
                    "refused": count(PaymentOutcome::Refused),
                    "receipts": kept,
                }),
            )?;
        }
        Ok(results)
    })
}

fn collector_text(c: &Collector) -> &'static str {
    match c {
        Collector::Holder => "holder",
        Collector::Recipient { role, .. } => role.as_str(),
    }
}

/// Keeps one verified receipt in the upload's transaction: recorded, or flagged with the
/// receipts that paid one of its lines first; or, when the same id arrived since its check,
/// already recorded (same bytes) or refused (other bytes).
fn keep(tx: &Transaction<'_>, receipt: &SignedReceipt, now: i64) -> Result<PaymentResult> {
    let body = receipt.body();
    let id = body.id.to_hex();
    match verify::kept(tx, receipt)? {
        Some(true) => return Ok(outcome(id, PaymentOutcome::AlreadyRecorded)),
        Some(false) => return Ok(refused(id, verify::id_reused(receipt))),
        None => {}
    }
    let ssn = body.ssn.to_string();
    let month = body.month.to_string();
    let mut paid_by: Vec<(String, String, i64)> = Vec::new();
    let mut line_flags = Vec::with_capacity(body.lines.len());
    {
        let mut first = tx.prepare_cached(
            "SELECT p.receipt_id, p.point, p.paid_at FROM payment_lines l JOIN payments p ON p.receipt_id = l.receipt_id
             WHERE l.ssn = ?1 AND l.month = ?2 AND l.program = ?3 AND l.category = ?4 AND l.kind = ?5
               AND l.amount_vnd = ?6 AND l.first = ?7 AND l.last = ?8 AND l.flagged = 0",
        )?;
        for item in &body.lines {
            let k = line_key(item);
            let before = first
                .query_map(params![ssn, month, k.0, k.1, k.2, k.3, k.4, k.5], |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, i64>(2)?,
                    ))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            line_flags.push(!before.is_empty());
            for b in before {
                if !paid_by.iter().any(|p| p.0 == b.0) {
                    paid_by.push(b);
                }
            }
        }
    }
    let flagged = !paid_by.is_empty();
    tx.prepare_cached(
        "INSERT INTO payments (receipt_id, bytes, profile, point, ssn, serial, area, month, roll_version,
                               paid_at, received_at, total_vnd, collector, fallback, flagged)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
    )?
    .execute(params![
        id,
        receipt.to_bytes(),
        match body.profile() {
            ReceiptProfile::Card => "card",
            ReceiptProfile::Point => "point",
        },
        body.point.as_str(),
        ssn,
        body.serial.map(|s| s.number() as i64),
        body.area.as_str(),
        month,
        body.roll_version as i64,
        body.paid_at as i64,
        now,
        body.total_vnd() as i64,
        collector_text(&body.collector),
        body.fallback.map(|f| f.as_str()),
        flagged,
    ])?;
    let mut line = tx.prepare_cached(
        "INSERT INTO payment_lines (receipt_id, ssn, month, program, category, kind, amount_vnd, first, last, flagged)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?;
    for (item, paid_before) in body.lines.iter().zip(line_flags) {
        let k = line_key(item);
        line.execute(params![
            id,
            ssn,
            month,
            k.0,
            k.1,
            k.2,
            k.3,
            k.4,
            k.5,
            paid_before
        ])?;
    }
    let mut flag =
        tx.prepare_cached("INSERT INTO payment_flags (receipt_id, paid_by) VALUES (?1, ?2)")?;
    for (first, _, _) in &paid_by {
        flag.execute(params![id, first])?;
    }
    Ok(PaymentResult {
        id,
        outcome: if flagged {
            PaymentOutcome::Flagged
        } else {
            PaymentOutcome::Recorded
        },
        problem: None,
        paid_by: paid_by
            .into_iter()
            .map(|(id, point, paid_at)| PaidBy {
                id,
                point,
                paid_at: paid_at as u64,
            })
            .collect(),
    })
}
