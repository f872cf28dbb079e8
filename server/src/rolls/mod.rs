//! The payment roll (danh sách chi trả, SPEC.md §17.3) of each area and month: drafted from the
//! entries it is to carry, checked (the [`RollSummary`]: beneficiaries, lines, totals by
//! program, changes against the published roll), approved by an administrator of the area
//! (audited with who approved), and published through [`crate::publication`] like the
//! revocation list: each roll is one list there, named `payment-roll/<area>/<YYYY-MM>`
//! ([`list_name`]), with the same versions, persisted bytes, ETags, deltas and heartbeat.
//!
//! A correction after approval is a new draft of the same month, published as a delta with its
//! own approval. A draft whose every change only reduces what is payable (a line suspended,
//! stopped or paid, a beneficiary removed: a death, a move away) publishes when it is drafted,
//! audited, without waiting for an approval, so a stop reaches the payment points within one
//! sync; anything that adds to what is payable (a new beneficiary or line, a higher or other
//! amount, another recipient, a line due again) waits for approval.
//!
//! The entries come from the register of decisions ([`register::due`]), read in the draft's own
//! transaction, with the lines the payment points' receipts paid marked paid
//! ([`payments::marks`]); after a change in the register or a payment the serving server drafts
//! the rolls it concerns again ([`redraft`]).

pub mod changes;
mod kind;
pub mod redraft;

use std::collections::{BTreeMap, HashMap};

use asxh_api::rolls::{RollChanges, RollDraft, RollProgramTotal, RollSummary};
use asxh_core::lists::roll::LineStatus;
use asxh_core::lists::{Month, Roll, RollEntry, RollHeader, RollLine};
use asxh_core::view::{RollEntryView, RollLineView};
use asxh_core::{AreaCode, Ssn};
use rusqlite::{params, Connection, OptionalExtension, Transaction};

pub use self::kind::RollKind;
use crate::audit;
use crate::clock;
use crate::error::{Result, ServerError};
use crate::payments;
use crate::policy::{act, Authorized};
use crate::publication;
use crate::register;
use crate::store::Store;

/// The start of every roll's name among the published lists.
pub const ROLLS: &str = "payment-roll";

/// The name of the roll of `area` for `month` among the published lists.
pub fn list_name(area: &AreaCode, month: Month) -> String {
    format!("{ROLLS}/{area}/{month}")
}

/// The area and month a roll's list name names.
fn parse_name(name: &str) -> Result<(AreaCode, Month)> {
    let rest = name
        .strip_prefix(ROLLS)
        .and_then(|r| r.strip_prefix('/'))
        .and_then(|r| r.rsplit_once('/'))
        .ok_or_else(|| ServerError::Setup(format!("{name:?} is not a payment roll's name")))?;
    Ok((AreaCode::parse(rest.0)?, Month::parse("month", rest.1)?))
}

fn lines_json(lines: &[RollLine]) -> String {
    let views: Vec<RollLineView> = lines.iter().map(RollLineView::from).collect();
    serde_json::to_string(&views).expect("lines serialize")
}

fn lines_from_json(text: &str) -> Result<Vec<RollLine>> {
    let views: Vec<RollLineView> = serde_json::from_str(text)
        .map_err(|e| ServerError::Storage(format!("stored roll lines do not read: {e}")))?;
    Ok(views
        .iter()
        .map(RollLine::try_from)
        .collect::<asxh_core::error::Result<_>>()?)
}

/// The published entries of a roll (`[]` lines: removed) with the version that last changed
/// each, the changes after `after` only when it is given.
fn stored_entries(
    conn: &Connection,
    area: &AreaCode,
    month: Month,
    after: Option<u64>,
    upto: u64,
) -> Result<Vec<RollEntry>> {
    let mut stmt = conn.prepare_cached(
        "SELECT ssn, lines FROM roll_entries
         WHERE area = ?1 AND month = ?2 AND version > ?3 AND version <= ?4 ORDER BY ssn",
    )?;
    let rows = stmt
        .query_map(
            params![
                area.as_str(),
                month.to_string(),
                after.map_or(-1, |a| a as i64),
                upto as i64
            ],
            |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)),
        )?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter()
        .map(|(ssn, lines)| {
            Ok(RollEntry {
                ssn: Ssn::parse(&ssn)?,
                lines: lines_from_json(&lines)?,
            })
        })
        .collect()
}

/// What the published roll pays each beneficiary now.
fn published(
    conn: &Connection,
    area: &AreaCode,
    month: Month,
) -> Result<HashMap<Ssn, Vec<RollLine>>> {
    Ok(stored_entries(conn, area, month, None, i64::MAX as u64)?
        .into_iter()
        .filter(|e| !e.lines.is_empty())
        .map(|e| (e.ssn, e.lines))
        .collect())
}

/// The lines the published roll of `area` for `month` carries for `ssn` now (`None`: not on
/// it, or removed from it).
pub(crate) fn published_lines(
    conn: &Connection,
    area: &AreaCode,
    month: Month,
    ssn: Ssn,
) -> Result<Option<Vec<RollLine>>> {
    let lines: Option<String> = conn
        .prepare_cached(
            "SELECT lines FROM roll_entries WHERE area = ?1 AND month = ?2 AND ssn = ?3",
        )?
        .query_row(
            params![area.as_str(), month.to_string(), ssn.to_string()],
            |r| r.get(0),
        )
        .optional()?;
    Ok(lines
        .map(|l| lines_from_json(&l))
        .transpose()?
        .filter(|l| !l.is_empty()))
}

/// Whether a line pays: at the counter (due) or into an account.
fn pays(status: LineStatus) -> bool {
    matches!(status, LineStatus::Due | LineStatus::PaidByAccount)
}

/// Whether `new` pays nothing that `old` did not already pay: every due line of `new` is a due
/// line of `old`, and every line paid into an account one paid into an account there, the same
/// item (program, category, kind, amount, months) to the same recipient. A change of payment
/// method (counter to account, or back after a failed transfer) is not a reduction.
pub fn only_reduces(old: Option<&[RollLine]>, new: &[RollLine]) -> bool {
    new.iter().filter(|l| pays(l.status)).all(|l| {
        old.is_some_and(|old| {
            old.iter()
                .any(|o| o.status == l.status && o.item == l.item && o.recipient == l.recipient)
        })
    })
}

/// The check summary of `entries` against the published roll `before` (at `against`).
pub fn summarize(
    entries: &[RollEntry],
    before: &HashMap<Ssn, Vec<RollLine>>,
    against: Option<u64>,
) -> RollSummary {
    let mut totals: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    let mut lines = 0;
    for line in entries.iter().flat_map(|e| &e.lines) {
        lines += 1;
        if pays(line.status) {
            let t = totals.entry(line.item.program.to_string()).or_default();
            t.0 += 1;
            t.1 += line.item.amount_vnd;
        }
    }
    let mut changes = RollChanges {
        reductions_only: against.is_some(),
        ..RollChanges::default()
    };
    for e in entries {
        match before.get(&e.ssn) {
            None => {
                changes.added += 1;
                changes.reductions_only &= only_reduces(None, &e.lines);
            }
            Some(old) if *old != e.lines => {
                changes.changed += 1;
                changes.reductions_only &= only_reduces(Some(old), &e.lines);
            }
            Some(_) => {}
        }
    }
    let drafted: std::collections::HashSet<Ssn> = entries.iter().map(|e| e.ssn).collect();
    changes.removed = before.keys().filter(|s| !drafted.contains(s)).count() as u64;
    RollSummary {
        beneficiaries: entries.len() as u64,
        lines,
        total_vnd: totals.values().map(|t| t.1).sum(),
        totals: totals
            .into_iter()
            .map(|(program, (lines, amount_vnd))| RollProgramTotal {
                program,
                lines,
                amount_vnd,
            })
            .collect(),
        against_version: against,
        changes,
    }
}

/// Checks the entries as a full roll carries them: each SSN once, 1 to 32 lines each.
fn check_entries(area: &AreaCode, month: Month, entries: &[RollEntry]) -> Result<()> {
    Roll::new(
        RollHeader {
            version: 1,
            issued_at: 0,
            next_update: 1,
            base_version: None,
            area: area.clone(),
            month,
        },
        entries.to_vec(),
    )?;
    Ok(())
}

/// Writes the draft's entries as the published content of the roll, each change (and each
/// removal) at the version that will publish it; returns that version.
fn publish_entries(
    tx: &Transaction<'_>,
    area: &AreaCode,
    month: Month,
    entries: &[RollEntry],
) -> Result<u64> {
    let version = publication::changed(tx, &list_name(area, month))?;
    tx.prepare_cached("INSERT OR IGNORE INTO rolls (area, month) VALUES (?1, ?2)")?
        .execute(params![area.as_str(), month.to_string()])?;
    let mut before = published(tx, area, month)?;
    let mut upsert = tx.prepare_cached(
        "INSERT INTO roll_entries (area, month, ssn, lines, version) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (area, month, ssn) DO UPDATE SET lines = excluded.lines, version = excluded.version",
    )?;
    let month_text = month.to_string();
    for e in entries {
        if before.remove(&e.ssn).as_ref() == Some(&e.lines) {
            continue;
        }
        upsert.execute(params![
            area.as_str(),
            month_text,
            e.ssn.to_string(),
            lines_json(&e.lines),
            version as i64
        ])?;
    }
    for ssn in before.keys() {
        upsert.execute(params![
            area.as_str(),
            month_text,
            ssn.to_string(),
            "[]",
            version as i64
        ])?;
    }
    Ok(version)
}

const DRAFT_COLUMNS: &str = "id, area, month, status, summary, drafted_by, drafted_at, approved_by, approved_at, published_version";

fn draft_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<(RollDraft, String)> {
    Ok((
        RollDraft {
            id: r.get(0)?,
            area: r.get(1)?,
            month: r.get(2)?,
            status: r.get(3)?,
            summary: RollSummary {
                beneficiaries: 0,
                lines: 0,
                totals: Vec::new(),
                total_vnd: 0,
                against_version: None,
                changes: RollChanges::default(),
            },
            drafted_by: r.get(5)?,
            drafted_at: r.get(6)?,
            approved_by: r.get(7)?,
            approved_at: r.get(8)?,
            published_version: r.get::<_, Option<i64>>(9)?.map(|v| v as u64),
        },
        r.get(4)?,
    ))
}

fn with_summary((mut draft, summary): (RollDraft, String)) -> Result<RollDraft> {
    draft.summary = serde_json::from_str(&summary)
        .map_err(|e| ServerError::Storage(format!("draft {}'s summary: {e}", draft.id)))?;
    Ok(draft)
}

fn load_draft(conn: &Connection, id: i64) -> Result<Option<RollDraft>> {
    conn.prepare_cached(&format!(
        "SELECT {DRAFT_COLUMNS} FROM roll_drafts WHERE id = ?1"
    ))?
    .query_row([id], draft_row)
    .optional()?
    .map(with_summary)
    .transpose()
}

/// Records a draft of the roll of `area` for `month` from the register (every beneficiary
/// residing there, each with the lines due that month: [`register::due`]), with its check
/// summary against the published roll. A
/// draft that only reduces what an already published roll pays is published at once (audited,
/// no approval); any other waits for [`approve`]. An earlier draft of the month still waiting
/// is superseded.
pub fn draft(
    store: &Store,
    grant: &Authorized<act::DraftRolls>,
    area: &AreaCode,
    month: Month,
) -> Result<RollDraft> {
    grant.within(area)?;
    draft_as(store, &grant.actor(), area, month, Entries::Register, false)?
        .ok_or_else(|| ServerError::Storage("a draft asked for was not made".into()))
}

/// [`draft`] of explicit entries instead of the register's (the drafting rules' own tests).
#[cfg(test)]
pub(crate) fn draft_entries(
    store: &Store,
    grant: &Authorized<act::DraftRolls>,
    area: &AreaCode,
    month: Month,
    entries: Vec<RollEntry>,
) -> Result<RollDraft> {
    grant.within(area)?;
    draft_as(
        store,
        &grant.actor(),
        area,
        month,
        Entries::Given(entries),
        false,
    )?
    .ok_or_else(|| ServerError::Storage("a draft asked for was not made".into()))
}

/// Drafts the roll of `area` for `month` in one transaction: its entries (the register's when
/// `None`, read in the same transaction as the draft is written), the check summary against the
/// published roll, and, when the draft only reduces what that roll pays, its publication. With
/// `unless_unchanged`, a draft that would change nothing in the published roll is not made
/// (`None`).
/// Where a draft's entries come from.
pub(crate) enum Entries {
    /// The register's ([`register::due`]), with the lines receipts paid marked paid.
    Register,
    /// The published roll's, with the lines receipts paid since marked paid: a draft that only
    /// reduces, whatever else waits for approval.
    PublishedWithPaidMarks,
    /// Given (the drafting rules' own tests).
    #[cfg_attr(not(test), allow(dead_code))]
    Given(Vec<RollEntry>),
}

fn draft_as(
    store: &Store,
    actor: &str,
    area: &AreaCode,
    month: Month,
    entries: Entries,
    unless_unchanged: bool,
) -> Result<Option<RollDraft>> {
    let name = list_name(area, month);
    let id = store.write(|tx| {
        let entries = match entries {
            Entries::Given(entries) => entries,
            Entries::Register => {
                let mut due = register::due(tx, area, month)?;
                payments::transfers::apply_results(tx, month, &mut due)?;
                payments::marks::mark_paid(tx, month, &mut due)?;
                due
            }
            Entries::PublishedWithPaidMarks => {
                let mut now: Vec<RollEntry> = stored_entries(tx, area, month, None, i64::MAX as u64)?
                    .into_iter()
                    .filter(|e| !e.lines.is_empty())
                    .collect();
                payments::marks::mark_paid(tx, month, &mut now)?;
                now
            }
        };
        check_entries(area, month, &entries)?;
        let views: Vec<RollEntryView> = entries.iter().map(RollEntryView::from).collect();
        let entries_json = serde_json::to_string(&views).expect("entries serialize");
        let against = publication::latest_version(tx, &name)?;
        let summary = summarize(&entries, &published(tx, area, month)?, against);
        let changes = &summary.changes;
        if unless_unchanged && against.is_some() && changes.added + changes.removed + changes.changed == 0 {
            return Ok(None);
        }
        let now = clock::now();
        tx.prepare_cached(
            "UPDATE roll_drafts SET status = 'superseded' WHERE area = ?1 AND month = ?2 AND status = 'draft'",
        )?
        .execute(params![area.as_str(), month.to_string()])?;
        tx.prepare_cached(
            "INSERT INTO roll_drafts (area, month, entries, summary, against_version, status, drafted_by, drafted_at)
             VALUES (?1, ?2, ?3, ?4, ?5, 'draft', ?6, ?7)",
        )?
        .execute(params![
            area.as_str(),
            month.to_string(),
            entries_json,
            serde_json::to_string(&summary).expect("summary serializes"),
            against.map(|v| v as i64),
            actor,
            now
        ])?;
        let id = tx.last_insert_rowid();
        audit::append(
            tx,
            actor,
            "roll.draft",
            Some(area),
            &serde_json::json!({
                "draft": id,
                "month": month.to_string(),
                "beneficiaries": summary.beneficiaries,
                "total_vnd": summary.total_vnd,
                "against_version": against,
                "added": summary.changes.added,
                "removed": summary.changes.removed,
                "changed": summary.changes.changed,
            }),
        )?;
        if summary.changes.reductions_only {
            // §17.3: a stop or a suspension must reach the payment points within one sync.
            let version = publish_entries(tx, area, month, &entries)?;
            tx.prepare_cached(
                "UPDATE roll_drafts SET status = 'published', published_version = ?2 WHERE id = ?1",
            )?
            .execute(params![id, version as i64])?;
            audit::append(
                tx,
                actor,
                "roll.publish_reduction",
                Some(area),
                &serde_json::json!({"draft": id, "month": month.to_string(), "version": version}),
            )?;
        }
        Ok(Some(id))
    })?;
    let Some(id) = id else {
        return Ok(None);
    };
    store
        .read(|c| load_draft(c, id))?
        .ok_or_else(|| ServerError::Storage(format!("draft {id} vanished")))
        .map(Some)
}

/// Approves the draft `id`, which publishes it: its changes against the roll it was checked
/// with become the next version (a delta after the first). Refused when the draft is outside
/// the approver's area (as an unknown draft), no longer waiting, or the roll was published
/// again since its check (draft again: the summary the approver read is no longer true).
pub fn approve(store: &Store, grant: &Authorized<act::ApproveRolls>, id: i64) -> Result<RollDraft> {
    let actor = grant.actor();
    store.write(|tx| {
        let unknown = || ServerError::NotFound(format!("no roll draft {id} within this account's area"));
        let row = tx
            .prepare_cached(
                "SELECT area, month, entries, against_version, status FROM roll_drafts WHERE id = ?1",
            )?
            .query_row([id], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, Option<i64>>(3)?,
                    r.get::<_, String>(4)?,
                ))
            })
            .optional()?
            .ok_or_else(unknown)?;
        let (area, month, entries, against, status) = row;
        let area = AreaCode::parse(&area)?;
        if !grant.covers(&area) {
            return Err(unknown());
        }
        if status != "draft" {
            return Err(ServerError::Conflict(format!(
                "roll draft {id} is {status}, not waiting for approval"
            )));
        }
        let month = Month::parse("month", &month)?;
        let latest = publication::latest_version(tx, &list_name(&area, month))?;
        if latest != against.map(|v| v as u64) {
            return Err(ServerError::Conflict(format!(
                "the roll of {area} for {month} was published again (version {}) after draft {id} was checked against {}; draft it again",
                latest.map_or("none".to_owned(), |v| v.to_string()),
                against.map_or("nothing".to_owned(), |v| format!("version {v}"))
            )));
        }
        let views: Vec<RollEntryView> = serde_json::from_str(&entries)
            .map_err(|e| ServerError::Storage(format!("draft {id}'s entries: {e}")))?;
        let entries = views
            .iter()
            .map(RollEntry::try_from)
            .collect::<asxh_core::error::Result<Vec<_>>>()?;
        let version = publish_entries(tx, &area, month, &entries)?;
        tx.prepare_cached(
            "UPDATE roll_drafts SET status = 'published', approved_by = ?2, approved_at = ?3, published_version = ?4 WHERE id = ?1",
        )?
        .execute(params![id, actor, clock::now(), version as i64])?;
        audit::append(
            tx,
            &actor,
            "roll.approve",
            Some(&area),
            &serde_json::json!({"draft": id, "month": month.to_string(), "version": version}),
        )?;
        load_draft(tx, id)?.ok_or_else(unknown)
    })
}

/// The drafts of the roll of `area` for `month`, newest first.
pub fn drafts(
    conn: &Connection,
    grant: &Authorized<act::ReadRolls>,
    area: &AreaCode,
    month: Month,
) -> Result<Vec<RollDraft>> {
    grant.within(area)?;
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {DRAFT_COLUMNS} FROM roll_drafts WHERE area = ?1 AND month = ?2 ORDER BY id DESC"
    ))?;
    let rows = stmt
        .query_map(params![area.as_str(), month.to_string()], draft_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter().map(with_summary).collect()
}

/// The draft `id`, when it is within the reader's area.
pub fn draft_by_id(
    conn: &Connection,
    grant: &Authorized<act::ReadRolls>,
    id: i64,
) -> Result<RollDraft> {
    load_draft(conn, id)?
        .filter(|d| AreaCode::parse(&d.area).is_ok_and(|a| grant.covers(&a)))
        .ok_or_else(|| {
            ServerError::NotFound(format!("no roll draft {id} within this account's area"))
        })
}

#[cfg(test)]
mod tests;
