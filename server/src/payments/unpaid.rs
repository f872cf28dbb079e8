//! The three-unpaid-months rule (issue #19 item 5): the beneficiaries of an area who, in the
//! published rolls of a month and the two months before, had lines due and collected none of
//! them, and their suspension (tạm dừng, reason `not_collected`) by an administrator.
//!
//! A month counts as unpaid for a beneficiary when the published roll has a line payable to
//! them at the counter (`00`) or a line paid into an account whose transfer failed, and no
//! receipt paid any of their lines that month, no line is marked paid and no transfer of theirs
//! was made. A line paid into an account still awaiting the bank's result does not count: the
//! money may have reached them. The suspension goes through the register's own
//! ([`crate::register::change_status`]), audited, and the rolls are drafted again: a
//! suspension only reduces, so it is published at once.

use std::collections::BTreeMap;

use asxh_core::lists::roll::LineStatus;
use asxh_core::lists::Month;
use asxh_core::{AreaCode, Date, Ssn};
use rusqlite::{Connection, OptionalExtension};

use super::marks::paid_keys;
use super::reconcile::{roll_areas, roll_lines};
use super::transfers::{reference, transferred};
use crate::error::Result;
use crate::policy::{act, Authorized};
use crate::register::{change_status, StatusChange, SuspendReason};
use crate::store::Store;

/// How many published months in a row a beneficiary collected nothing before they are listed.
pub const MONTHS: u16 = 3;

/// The note the suspension's history keeps.
pub const NOTE: &str = "không nhận trợ cấp 3 tháng liên tiếp";

/// A beneficiary who collected nothing for [`MONTHS`] months.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Uncollected {
    pub ssn: String,
    pub full_name: String,
    /// The area of their roll in the last month.
    pub area: String,
    /// The months, oldest first.
    pub months: Vec<Month>,
    /// What they were due in those months (VND).
    pub due_vnd: u64,
    /// Their own entitlements still active, which the action suspends.
    pub entitlements: Vec<i64>,
}

/// Whether `ssn`'s lines of the published roll of `month` went uncollected: what was due.
fn uncollected_in(
    conn: &Connection,
    ssn: &str,
    month: Month,
    lines: &[asxh_core::lists::RollLine],
) -> Result<Option<u64>> {
    let month_text = month.to_string();
    if lines.iter().any(|l| l.status == LineStatus::Paid)
        || !paid_keys(conn, ssn, &month_text)?.is_empty()
        || transferred(conn, ssn, &month_text)?
    {
        return Ok(None);
    }
    let parsed = Ssn::parse(ssn)?;
    let mut failed =
        conn.prepare_cached("SELECT result = 'failed' FROM transfer_results WHERE reference = ?1")?;
    let mut due = 0;
    let mut any = false;
    for l in lines {
        let owed = match l.status {
            LineStatus::Due => true,
            LineStatus::PaidByAccount => failed
                .query_row([reference(month, parsed, &l.item)], |r| r.get::<_, bool>(0))
                .optional()?
                .unwrap_or(false),
            _ => false,
        };
        if owed {
            any = true;
            due += l.item.amount_vnd;
        }
    }
    Ok(any.then_some(due))
}

fn months_to(month: Month) -> Result<Vec<Month>> {
    (0..MONTHS)
        .rev()
        .map(|back| {
            Ok(Month::from_index(
                "month",
                u64::from(month.index().saturating_sub(back)),
            )?)
        })
        .collect()
}

fn list(conn: &Connection, area: &AreaCode, month: Month) -> Result<Vec<Uncollected>> {
    let months = months_to(month)?;
    // ssn -> (area of the last roll, months uncollected, due)
    let mut found: BTreeMap<String, (String, Vec<Month>, u64)> = BTreeMap::new();
    for m in &months {
        for roll_area in roll_areas(conn, area, *m)? {
            for (ssn, lines) in roll_lines(conn, &roll_area, *m)? {
                if let Some(due) = uncollected_in(conn, &ssn, *m, &lines)? {
                    let f = found.entry(ssn).or_default();
                    f.0 = roll_area.as_str().to_owned();
                    if !f.1.contains(m) {
                        f.1.push(*m);
                    }
                    f.2 += due;
                }
            }
        }
    }
    let mut name = conn.prepare_cached("SELECT full_name FROM beneficiaries WHERE ssn = ?1")?;
    let mut active = conn.prepare_cached(
        "SELECT id FROM entitlements WHERE ssn = ?1 AND status = 'active' ORDER BY id",
    )?;
    let mut out = Vec::new();
    for (ssn, (roll_area, ms, due_vnd)) in found {
        if ms.len() < months.len() {
            continue;
        }
        out.push(Uncollected {
            full_name: name
                .query_row([&ssn], |r| r.get(0))
                .optional()?
                .unwrap_or_default(),
            entitlements: active
                .query_map([&ssn], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?,
            ssn,
            area: roll_area,
            months: ms,
            due_vnd,
        });
    }
    Ok(out)
}

/// The beneficiaries within `area` who collected nothing in the published rolls of `month`
/// and the two months before. 403 outside the reader's area.
pub fn uncollected(
    conn: &Connection,
    grant: &Authorized<act::ReadPayments>,
    area: &AreaCode,
    month: Month,
) -> Result<Vec<Uncollected>> {
    grant.within(area)?;
    list(conn, area, month)
}

/// Suspends, from `today`, every active entitlement of the beneficiaries [`uncollected`] lists
/// (reason `not_collected`, the note [`NOTE`]); returns how many were suspended.
pub fn suspend_uncollected(
    store: &Store,
    grant: &Authorized<act::SuspendUncollected>,
    record: &Authorized<act::RecordEntitlements>,
    area: &AreaCode,
    month: Month,
    today: Date,
) -> Result<u64> {
    grant.within(area)?;
    record.within(area)?;
    let listed = store.read(|c| list(c, area, month))?;
    let mut done = 0;
    for who in listed {
        for id in who.entitlements {
            change_status(
                store,
                record,
                id,
                StatusChange::Suspend(SuspendReason::NotCollected),
                today,
                Some(NOTE.to_owned()),
            )?;
            done += 1;
        }
    }
    Ok(done)
}

/// The list as the API and the command line give it.
pub fn wire(
    list: Vec<Uncollected>,
    area: &AreaCode,
    month: Month,
) -> asxh_api::accounts::UncollectedList {
    asxh_api::accounts::UncollectedList {
        area: area.to_string(),
        month: month.to_string(),
        beneficiaries: list
            .into_iter()
            .map(|u| asxh_api::accounts::UncollectedJson {
                ssn: u.ssn,
                full_name: u.full_name,
                area: u.area,
                months: u.months.iter().map(ToString::to_string).collect(),
                due_vnd: u.due_vnd,
                entitlements: u.entitlements,
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_three_months_are_the_month_and_the_two_before_across_a_year() {
        let m = |t| Month::parse("month", t).unwrap();
        assert_eq!(
            months_to(m("2027-02")).unwrap(),
            [m("2026-12"), m("2027-01"), m("2027-02")]
        );
    }
}
