//! Reconciliation of an area's month (đối soát chi trả): from the published rolls of the
//! communes within the area and the receipts kept, the lines paid and unpaid with their amounts
//! by commune, by program and by payment point, the receipts flagged as paying a line twice
//! with the receipts that paid first, the lines paid into an account (transferred, failed,
//! awaiting the bank's result), and the month's receipts line by line for the exports.

use std::collections::BTreeMap;

use asxh_core::lists::roll::{LineStatus, RecipientRole};
use asxh_core::lists::Month;
use asxh_core::receipt::ReceiptId;
use asxh_core::AreaCode;
use asxh_sheet::OutTable;
use asxh_text::{Lang, Msg};
use rusqlite::{params, Connection};

use super::marks::{line_key, paid_keys};
use crate::error::Result;
use crate::policy::{act, Authorized};
use crate::rolls;
use crate::scope::Scope;

/// Lines paid and unpaid, and their amounts (VND).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub paid_lines: u64,
    pub paid_vnd: u64,
    pub unpaid_lines: u64,
    pub unpaid_vnd: u64,
}

/// The lines paid into an account: transferred (the bank's result ok), failed, and awaiting
/// the bank's result, with their amounts (VND).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AccountTally {
    pub transferred_lines: u64,
    pub transferred_vnd: u64,
    pub failed_lines: u64,
    pub failed_vnd: u64,
    pub awaiting_lines: u64,
    pub awaiting_vnd: u64,
}

/// What one payment point paid in the month: receipts kept, lines and amount paid (the lines
/// another receipt paid first not counted).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PointTally {
    pub point: String,
    pub receipts: u64,
    pub lines: u64,
    pub paid_vnd: u64,
}

/// A kept receipt as the console shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiptRow {
    pub id: String,
    pub point: String,
    pub ssn: String,
    pub area: String,
    pub paid_at: i64,
    pub total_vnd: u64,
    pub bytes: Vec<u8>,
}

impl ReceiptRow {
    /// The receipt number people read (`XXXX-XXXX-…`).
    pub fn number(&self) -> String {
        ReceiptId::parse_hex(&self.id).map_or(self.id.clone(), |id| id.to_string())
    }
}

/// A receipt flagged as paying a line twice, with the receipts that paid first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flag {
    pub receipt: ReceiptRow,
    pub paid_first: Vec<ReceiptRow>,
}

/// The month of an area, reconciled.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MonthPayments {
    /// By the area of each roll (a commune), in code order.
    pub by_area: BTreeMap<String, Tally>,
    pub by_program: BTreeMap<String, Tally>,
    pub by_point: Vec<PointTally>,
    pub flagged: Vec<Flag>,
    /// The lines paid into an account, by the area of each roll.
    pub accounts: BTreeMap<String, AccountTally>,
}

const RECEIPT_COLUMNS: &str = "receipt_id, point, ssn, area, paid_at, total_vnd, bytes";

fn receipt_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ReceiptRow> {
    Ok(ReceiptRow {
        id: r.get(0)?,
        point: r.get(1)?,
        ssn: r.get(2)?,
        area: r.get(3)?,
        paid_at: r.get(4)?,
        total_vnd: r.get::<_, i64>(5)? as u64,
        bytes: r.get(6)?,
    })
}

/// The areas of the rolls of `month` within `area`.
pub(crate) fn roll_areas(
    conn: &Connection,
    area: &AreaCode,
    month: Month,
) -> Result<Vec<AreaCode>> {
    let mut stmt = conn.prepare_cached("SELECT area FROM rolls WHERE month = ?1 ORDER BY area")?;
    let areas = stmt
        .query_map([month.to_string()], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let scope = Scope::Within(area.clone());
    Ok(areas
        .iter()
        .filter_map(|a| AreaCode::parse(a).ok())
        .filter(|a| scope.contains(a))
        .collect())
}

/// The published entries of a roll: each SSN with its lines.
pub(crate) fn roll_lines(
    conn: &Connection,
    area: &AreaCode,
    month: Month,
) -> Result<Vec<(String, Vec<asxh_core::lists::RollLine>)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT ssn FROM roll_entries WHERE area = ?1 AND month = ?2 ORDER BY ssn",
    )?;
    let ssns = stmt
        .query_map(params![area.as_str(), month.to_string()], |r| {
            r.get::<_, String>(0)
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut out = Vec::with_capacity(ssns.len());
    for ssn in ssns {
        let parsed = asxh_core::Ssn::parse(&ssn)?;
        if let Some(lines) = rolls::published_lines(conn, area, month, parsed)? {
            out.push((ssn, lines));
        }
    }
    Ok(out)
}

/// Whether the bank's result of the transfer `reference` is ok (`None`: none recorded yet).
fn result_of(conn: &Connection, reference: &str) -> Result<Option<bool>> {
    use rusqlite::OptionalExtension;
    Ok(conn
        .prepare_cached("SELECT result = 'ok' FROM transfer_results WHERE reference = ?1")?
        .query_row([reference], |r| r.get(0))
        .optional()?)
}

/// The month `month` of `area`, reconciled. 403 outside the reader's area.
pub fn month_payments(
    conn: &Connection,
    grant: &Authorized<act::ReadPayments>,
    area: &AreaCode,
    month: Month,
) -> Result<MonthPayments> {
    grant.within(area)?;
    let mut out = MonthPayments::default();
    let month_text = month.to_string();
    for roll_area in roll_areas(conn, area, month)? {
        let mut tally = Tally::default();
        let mut accounts = AccountTally::default();
        for (ssn, lines) in roll_lines(conn, &roll_area, month)? {
            let paid = paid_keys(conn, &ssn, &month_text)?;
            let parsed = asxh_core::Ssn::parse(&ssn)?;
            for line in lines {
                let paid_now = match line.status {
                    LineStatus::Paid => true,
                    LineStatus::Due => paid.contains(&line_key(&line.item)),
                    LineStatus::PaidByAccount => {
                        let amount = line.item.amount_vnd;
                        let reference = super::transfers::reference(month, parsed, &line.item);
                        let (lines, vnd) = match result_of(conn, &reference)? {
                            Some(true) => (
                                &mut accounts.transferred_lines,
                                &mut accounts.transferred_vnd,
                            ),
                            Some(false) => (&mut accounts.failed_lines, &mut accounts.failed_vnd),
                            None => (&mut accounts.awaiting_lines, &mut accounts.awaiting_vnd),
                        };
                        *lines += 1;
                        *vnd += amount;
                        continue;
                    }
                    _ => continue,
                };
                let program = out
                    .by_program
                    .entry(line.item.program.as_str().to_owned())
                    .or_default();
                for t in [&mut tally, program] {
                    if paid_now {
                        t.paid_lines += 1;
                        t.paid_vnd += line.item.amount_vnd;
                    } else {
                        t.unpaid_lines += 1;
                        t.unpaid_vnd += line.item.amount_vnd;
                    }
                }
            }
        }
        out.by_area.insert(roll_area.as_str().to_owned(), tally);
        if accounts != AccountTally::default() {
            out.accounts.insert(roll_area.as_str().to_owned(), accounts);
        }
    }
    let scope = Scope::Within(area.clone());
    let (low, high) = scope.params();
    let mut points: BTreeMap<String, PointTally> = BTreeMap::new();
    {
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT p.area, p.point, p.receipt_id, SUM(1 - l.flagged), SUM(CASE WHEN l.flagged = 0 THEN l.amount_vnd ELSE 0 END)
             FROM payments p JOIN payment_lines l ON l.receipt_id = p.receipt_id
             WHERE p.month = ?1 AND {} GROUP BY p.receipt_id",
            scope.within("p.area", 2)
        ))?;
        let rows = stmt
            .query_map(params![month_text, low, high], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, i64>(3)?,
                    r.get::<_, i64>(4)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        for (_, point, lines, vnd) in rows {
            let t = points.entry(point.clone()).or_insert_with(|| PointTally {
                point,
                ..PointTally::default()
            });
            t.receipts += 1;
            t.lines += lines as u64;
            t.paid_vnd += vnd as u64;
        }
    }
    out.by_point = points.into_values().collect();
    let flagged = {
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {RECEIPT_COLUMNS} FROM payments WHERE month = ?1 AND flagged = 1 AND {} ORDER BY paid_at, receipt_id",
            scope.within("area", 2)
        ))?;
        let rows = stmt
            .query_map(params![month_text, low, high], receipt_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows
    };
    let mut first = conn.prepare_cached(&format!(
        "SELECT {} FROM payment_flags f JOIN payments p ON p.receipt_id = f.paid_by WHERE f.receipt_id = ?1 ORDER BY p.paid_at",
        RECEIPT_COLUMNS
            .split(", ")
            .map(|c| format!("p.{c}"))
            .collect::<Vec<_>>()
            .join(", ")
    ))?;
    for receipt in flagged {
        let paid_first = first
            .query_map([&receipt.id], receipt_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        out.flagged.push(Flag {
            receipt,
            paid_first,
        });
    }
    Ok(out)
}

fn collector_label(lang: Lang, collector: &str) -> &'static str {
    lang.text(match collector {
        c if c == RecipientRole::Guardian.as_str() => Msg::ConsolePaymentsCollectorGuardian,
        c if c == RecipientRole::Authorised.as_str() => Msg::ConsolePaymentsCollectorAuthorised,
        _ => Msg::ConsolePaymentsCollectorHolder,
    })
}

fn kind_label(lang: Lang, kind: &str) -> &'static str {
    lang.text(match kind {
        "arrears" => Msg::RollKindArrears,
        "one_off" => Msg::RollKindOneOff,
        _ => Msg::RollKindMonthly,
    })
}

/// The month's receipts within `area`, one row per line paid, for the CSV and XLSX exports
/// (the headers in `lang`).
pub fn export_table(
    conn: &Connection,
    grant: &Authorized<act::ReadPayments>,
    area: &AreaCode,
    month: Month,
    lang: Lang,
) -> Result<OutTable> {
    grant.within(area)?;
    let headers = [
        Msg::ConsolePaymentsReceiptNo,
        Msg::ConsolePaymentsPoint,
        Msg::ConsolePaymentsSsn,
        Msg::ConsoleArea,
        Msg::ConsolePaymentsPaidAt,
        Msg::ConsoleProgram,
        Msg::ConsoleCategory,
        Msg::ConsolePaymentsKind,
        Msg::ConsolePaymentsAmount,
        Msg::ConsolePaymentsFirstMonth,
        Msg::ConsolePaymentsLastMonth,
        Msg::ConsolePaymentsCollector,
        Msg::ConsolePaymentsSignedBy,
        Msg::ConsolePaymentsStatus,
    ]
    .into_iter()
    .map(|m| lang.text(m).to_owned())
    .collect();
    let scope = Scope::Within(area.clone());
    let (low, high) = scope.params();
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT p.receipt_id, p.point, p.ssn, p.area, p.paid_at, l.program, l.category, l.kind, l.amount_vnd,
                l.first, l.last, p.collector, p.profile, p.fallback, l.flagged
         FROM payments p JOIN payment_lines l ON l.receipt_id = p.receipt_id
         WHERE p.month = ?1 AND {} ORDER BY p.paid_at, p.receipt_id, l.rowid",
        scope.within("p.area", 2)
    ))?;
    let mut rows = Vec::new();
    let mut query = stmt.query(params![month.to_string(), low, high])?;
    while let Some(r) = query.next()? {
        let row_area: String = r.get(3)?;
        let id: String = r.get(0)?;
        let signed_by = match (
            r.get::<_, String>(12)?.as_str(),
            r.get::<_, Option<String>>(13)?,
        ) {
            ("card", _) => lang.text(Msg::ConsolePaymentsSignedByCard).to_owned(),
            (_, reason) => format!(
                "{} ({})",
                lang.text(Msg::ConsolePaymentsSignedByPoint),
                reason.unwrap_or_default()
            ),
        };
        rows.push(vec![
            ReceiptId::parse_hex(&id).map_or(id.clone(), |i| i.to_string()),
            r.get(1)?,
            r.get(2)?,
            row_area,
            asxh_text::local_time(r.get(4)?),
            r.get(5)?,
            r.get(6)?,
            kind_label(lang, &r.get::<_, String>(7)?).to_owned(),
            r.get::<_, i64>(8)?.to_string(),
            r.get(9)?,
            r.get(10)?,
            collector_label(lang, &r.get::<_, String>(11)?).to_owned(),
            signed_by,
            lang.text(if r.get::<_, bool>(14)? {
                Msg::ConsolePaymentsStatusTwice
            } else {
                Msg::ConsolePaymentsStatusPaid
            })
            .to_owned(),
        ]);
    }
    Ok(OutTable { headers, rows })
}
