//! Payment into an account (issue #19 item 5): the transfer list (danh sách chuyển khoản) of an
//! area's month and the bank's result of each transfer.
//!
//! - The transfer list is the published roll's lines `paid_by_account` (`04`) within the area,
//!   each with the account the register holds for it and a stable [`reference`] the bank echoes
//!   back: the month, the SSN and a digest of the line's item, so the same line has the same
//!   reference in every version of the roll and in every export.
//! - The bank's result file (CSV or XLSX: reference, result ok/failed, bank transaction id,
//!   reason) is recorded all or nothing: a file with a broken row records nothing and names
//!   every broken row in the reader's language; the same result again is recorded once; a result
//!   unlike the one recorded for a reference is refused with both.
//! - What the next draft of the roll makes of a result ([`apply_results`]): a line transferred
//!   stays `paid_by_account`, so no counter pays it again even when the method changes back to
//!   the counter; a line whose transfer failed is due at the counter (`00`), a draft that pays
//!   more, so it waits for approval.

use std::collections::{BTreeMap, HashMap};

use asxh_core::lists::roll::LineStatus;
use asxh_core::lists::{Month, RollEntry, RollItem};
use asxh_core::{AreaCode, Ssn};
use asxh_sheet::OutTable;
use asxh_text::message::fill;
use asxh_text::{Lang, Msg};
use rusqlite::{params, Connection, OptionalExtension};
use sha2::{Digest, Sha256};

use super::marks::line_key;
use super::reconcile::{roll_areas, roll_lines};
use crate::audit;
use crate::clock;
use crate::error::{Result, ServerError};
use crate::policy::{act, Authorized};
use crate::store::Store;

/// Length of a reference: `YYYYMM`, the 12-digit SSN, 6 hex digits of the item's digest.
pub const REFERENCE_LEN: usize = 24;

/// Largest result file accepted, in bytes.
pub const MAX_RESULT_FILE: usize = 1024 * 1024;

/// The stable reference of the line `item` of `ssn` in the roll of `month`.
pub fn reference(month: Month, ssn: Ssn, item: &RollItem) -> String {
    let k = line_key(item);
    let digest = Sha256::digest(format!("{}|{}|{}|{}|{}|{}", k.0, k.1, k.2, k.3, k.4, k.5));
    format!(
        "{}{ssn}{}",
        month.to_string().replace('-', ""),
        hex::encode_upper(&digest[..3])
    )
}

/// The month and SSN a reference names, when it has the shape of one.
fn parse_reference(text: &str) -> Option<(Month, Ssn)> {
    if text.len() != REFERENCE_LEN || !text.is_ascii() {
        return None;
    }
    let month = Month::parse("reference", &format!("{}-{}", &text[..4], &text[4..6])).ok()?;
    let ssn = Ssn::parse(&text[6..18]).ok()?;
    text[18..]
        .bytes()
        .all(|b| b.is_ascii_digit() || (b'A'..=b'F').contains(&b))
        .then_some((month, ssn))
}

/// The bank's result of one transfer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BankResult {
    pub ok: bool,
    pub bank_txn: String,
    pub reason: String,
}

impl BankResult {
    fn word(&self) -> &'static str {
        if self.ok {
            "ok"
        } else {
            "failed"
        }
    }

    /// The result as the console and the problems show it: `ok (TXN)`, `failed (reason)`.
    fn shown(&self) -> String {
        if self.ok {
            format!("ok ({})", self.bank_txn)
        } else {
            format!("failed ({})", self.reason)
        }
    }
}

/// One line of the transfer list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransferLine {
    pub reference: String,
    /// The roll's area (a commune).
    pub area: String,
    pub ssn: String,
    pub full_name: String,
    pub item: RollItem,
    /// `bank` or `ewallet`; empty when the register holds no account for the line any more.
    pub kind: String,
    pub provider: String,
    pub account_no: String,
    pub holder_name: String,
    /// `holder` or `recipient`.
    pub owner: String,
    pub result: Option<BankResult>,
}

/// The transfers to one bank or e-wallet.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProviderTotal {
    pub lines: u64,
    pub amount_vnd: u64,
}

/// An area's transfer list for a month.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TransferList {
    pub lines: Vec<TransferLine>,
    pub by_provider: BTreeMap<String, ProviderTotal>,
    pub total_vnd: u64,
}

fn recorded_result(conn: &Connection, reference: &str) -> Result<Option<BankResult>> {
    Ok(conn
        .prepare_cached(
            "SELECT result, bank_txn, reason FROM transfer_results WHERE reference = ?1",
        )?
        .query_row([reference], |r| {
            Ok(BankResult {
                ok: r.get::<_, String>(0)? == "ok",
                bank_txn: r.get(1)?,
                reason: r.get(2)?,
            })
        })
        .optional()?)
}

/// An account's columns: kind, provider, number, holder's name, owner.
type AccountColumns = (String, String, String, String, String);

/// The account the register holds for the line of `ssn`'s `item`: the current one of the
/// entitlement of its program and category, else the last one it had.
fn account_of(conn: &Connection, ssn: &str, item: &RollItem) -> Result<Option<AccountColumns>> {
    Ok(conn
        .prepare_cached(
            "SELECT a.kind, a.provider, a.account_no, a.holder_name, a.owner
             FROM entitlements e JOIN entitlement_accounts a ON a.entitlement = e.id
             WHERE e.ssn = ?1 AND e.program = ?2 AND e.category = ?3
             ORDER BY a.replaced_at IS NULL DESC, a.id DESC LIMIT 1",
        )?
        .query_row(
            params![
                ssn,
                item.program.as_str(),
                item.category.as_ref().map_or("", |c| c.as_str())
            ],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .optional()?)
}

/// The transfer list of `area` for `month`: every line `paid_by_account` of the published
/// rolls within it, by roll area and SSN. 403 outside the reader's area.
pub fn transfer_list(
    conn: &Connection,
    grant: &Authorized<act::ReadPayments>,
    area: &AreaCode,
    month: Month,
) -> Result<TransferList> {
    grant.within(area)?;
    let mut out = TransferList::default();
    let mut name = conn.prepare_cached("SELECT full_name FROM beneficiaries WHERE ssn = ?1")?;
    for roll_area in roll_areas(conn, area, month)? {
        for (ssn, lines) in roll_lines(conn, &roll_area, month)? {
            let parsed = Ssn::parse(&ssn)?;
            for line in lines
                .into_iter()
                .filter(|l| l.status == LineStatus::PaidByAccount)
            {
                let reference = reference(month, parsed, &line.item);
                let (kind, provider, account_no, holder_name, owner) =
                    account_of(conn, &ssn, &line.item)?.unwrap_or_default();
                let t = out.by_provider.entry(provider.clone()).or_default();
                t.lines += 1;
                t.amount_vnd += line.item.amount_vnd;
                out.total_vnd += line.item.amount_vnd;
                out.lines.push(TransferLine {
                    result: recorded_result(conn, &reference)?,
                    reference,
                    area: roll_area.as_str().to_owned(),
                    full_name: name
                        .query_row([&ssn], |r| r.get(0))
                        .optional()?
                        .unwrap_or_default(),
                    ssn: ssn.clone(),
                    item: line.item,
                    kind,
                    provider,
                    account_no,
                    holder_name,
                    owner,
                });
            }
        }
    }
    Ok(out)
}

fn kind_label(lang: Lang, kind: &str) -> &'static str {
    lang.text(match kind {
        "ewallet" => Msg::RegisterAccountEwallet,
        _ => Msg::RegisterAccountBank,
    })
}

/// A transfer's result as people read it.
pub fn result_label(lang: Lang, result: Option<&BankResult>) -> &'static str {
    lang.text(match result {
        Some(r) if r.ok => Msg::TransfersResultOk,
        Some(_) => Msg::TransfersResultFailed,
        None => Msg::TransfersResultAwaiting,
    })
}

/// The transfer list as a table for the CSV and XLSX exports (the headers in `lang`): the bank
/// fills the result columns and sends the file back.
pub fn export_table(list: &TransferList, lang: Lang) -> OutTable {
    let headers = [
        Msg::TransfersReference,
        Msg::ConsoleArea,
        Msg::ConsolePaymentsSsn,
        Msg::TransfersFullName,
        Msg::ConsoleProgram,
        Msg::ConsolePaymentsKind,
        Msg::ConsolePaymentsFirstMonth,
        Msg::ConsolePaymentsLastMonth,
        Msg::ConsolePaymentsAmount,
        Msg::RegisterAccountKind,
        Msg::RegisterAccountProvider,
        Msg::RegisterAccountNumber,
        Msg::RegisterAccountHolderName,
        Msg::TransfersResult,
        Msg::TransfersBankTxn,
        Msg::TransfersReason,
    ]
    .into_iter()
    .map(|m| lang.text(m).to_owned())
    .collect();
    let rows = list
        .lines
        .iter()
        .map(|l| {
            vec![
                l.reference.clone(),
                l.area.clone(),
                l.ssn.clone(),
                l.full_name.clone(),
                l.item.program.as_str().to_owned(),
                l.item.kind.as_str().to_owned(),
                l.item.first.to_string(),
                l.item.last.to_string(),
                l.item.amount_vnd.to_string(),
                kind_label(lang, &l.kind).to_owned(),
                l.provider.clone(),
                l.account_no.clone(),
                l.holder_name.clone(),
                l.result
                    .as_ref()
                    .map_or(String::new(), |r| r.word().to_owned()),
                l.result
                    .as_ref()
                    .map_or(String::new(), |r| r.bank_txn.clone()),
                l.result
                    .as_ref()
                    .map_or(String::new(), |r| r.reason.clone()),
            ]
        })
        .collect();
    OutTable { headers, rows }
}

/// The transfer list as the API and the command line give it.
pub fn wire(list: TransferList, area: &AreaCode, month: Month) -> asxh_api::accounts::TransferList {
    use asxh_api::accounts::{
        AccountJson, ProviderTotalJson, TransferLineJson, TransferResultJson,
    };
    asxh_api::accounts::TransferList {
        area: area.to_string(),
        month: month.to_string(),
        by_provider: list
            .by_provider
            .into_iter()
            .map(|(provider, t)| ProviderTotalJson {
                provider,
                lines: t.lines,
                amount_vnd: t.amount_vnd,
            })
            .collect(),
        total_vnd: list.total_vnd,
        lines: list
            .lines
            .into_iter()
            .map(|l| TransferLineJson {
                reference: l.reference,
                area: l.area,
                ssn: l.ssn,
                full_name: l.full_name,
                program: l.item.program.as_str().to_owned(),
                category: l.item.category.as_ref().map(|c| c.as_str().to_owned()),
                kind: l.item.kind.as_str().to_owned(),
                first: l.item.first.to_string(),
                last: l.item.last.to_string(),
                amount_vnd: l.item.amount_vnd,
                account: AccountJson {
                    kind: l.kind,
                    provider: l.provider,
                    account_no: l.account_no,
                    holder_name: l.holder_name,
                    owner: l.owner,
                },
                result: l.result.map(|r| TransferResultJson {
                    result: r.word().to_owned(),
                    bank_txn: r.bank_txn,
                    reason: r.reason,
                }),
            })
            .collect(),
    }
}

/// The SHA-256 of a result file, in hex, as its results and their audit rows name it.
pub fn file_digest(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// One row of a result file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResultRow {
    /// The row's number in the file.
    pub row: u64,
    pub reference: String,
    pub result: BankResult,
}

/// The column a header names: the export's own headers (either language) or the bank's plain
/// names.
fn column(header: &str) -> Option<usize> {
    let h = header.trim().to_lowercase();
    let names: [(&[&str], Msg); 4] = [
        (&["reference", "ref"], Msg::TransfersReference),
        (&["result", "status"], Msg::TransfersResult),
        (&["bank_txn", "transaction", "txn"], Msg::TransfersBankTxn),
        (&["reason"], Msg::TransfersReason),
    ];
    names.iter().position(|(plain, msg)| {
        plain.contains(&h.as_str()) || Lang::ALL.iter().any(|l| l.text(*msg).to_lowercase() == h)
    })
}

fn checked_text(text: &str, max: usize) -> Option<String> {
    let t = text.trim();
    (!t.is_empty() && t.chars().count() <= max && !t.chars().any(char::is_control))
        .then(|| t.to_owned())
}

fn refused(lang: Lang, problems: Vec<String>) -> ServerError {
    ServerError::worded(
        "file",
        format!(
            "{}\n{}",
            lang.text(Msg::TransfersResultRefused),
            problems.join("\n")
        ),
    )
}

/// Reads a result file (CSV or XLSX) into its rows, or every broken row's problem in `lang`.
pub fn parse_results(bytes: &[u8], lang: Lang) -> Result<Vec<ResultRow>> {
    if bytes.len() > MAX_RESULT_FILE {
        return Err(ServerError::TooLarge(MAX_RESULT_FILE));
    }
    let sheet = asxh_sheet::read(bytes).map_err(|e| ServerError::invalid("file", e.to_string()))?;
    let table = sheet.table(|h| column(h).is_some());
    let at: Vec<Option<usize>> = (0..4)
        .map(|c| table.headers.iter().position(|h| column(h) == Some(c)))
        .collect();
    let (Some(reference), Some(result)) = (at[0], at[1]) else {
        return Err(refused(
            lang,
            vec![fill(
                lang.text(Msg::TransfersResultNoColumns),
                &[("header", format!("{:?}", table.headers))],
            )],
        ));
    };
    let cell =
        |r: &asxh_sheet::Record, c: Option<usize>| c.map(|i| r.get(i).text).unwrap_or_default();
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    let mut seen: HashMap<String, u64> = HashMap::new();
    for r in &table.records {
        let row = r.number.to_string();
        let msg = |m: Msg, extra: &[(&str, String)]| {
            let mut args = vec![("row", row.clone())];
            args.extend(extra.iter().cloned());
            fill(lang.text(m), &args)
        };
        if let Some(p) = &r.problem {
            problems.push(format!("{row}: {p}"));
            continue;
        }
        let reference_text = cell(r, Some(reference)).to_ascii_uppercase();
        if parse_reference(&reference_text).is_none() {
            problems.push(msg(
                Msg::TransfersResultBadReference,
                &[("value", format!("{reference_text:?}"))],
            ));
            continue;
        }
        if let Some(first) = seen.get(&reference_text) {
            problems.push(msg(
                Msg::TransfersResultRepeated,
                &[
                    ("value", reference_text.clone()),
                    ("first", first.to_string()),
                ],
            ));
            continue;
        }
        seen.insert(reference_text.clone(), r.number);
        let ok = match cell(r, Some(result)).to_lowercase().as_str() {
            "ok" | "success" | "thành công" => true,
            "failed" | "fail" | "không thành công" => false,
            other => {
                problems.push(msg(
                    Msg::TransfersResultBadResult,
                    &[("value", format!("{other:?}"))],
                ));
                continue;
            }
        };
        let txn = cell(r, at[2]);
        let reason = cell(r, at[3]);
        let result = if ok {
            let Some(bank_txn) = checked_text(&txn, 64) else {
                problems.push(msg(Msg::TransfersResultNoTxn, &[]));
                continue;
            };
            BankResult {
                ok,
                bank_txn,
                reason: checked_text(&reason, 200).unwrap_or_default(),
            }
        } else {
            let Some(reason) = checked_text(&reason, 200) else {
                problems.push(msg(Msg::TransfersResultNoReason, &[]));
                continue;
            };
            BankResult {
                ok,
                bank_txn: checked_text(&txn, 64).unwrap_or_default(),
                reason,
            }
        };
        rows.push(ResultRow {
            row: r.number,
            reference: reference_text,
            result,
        });
    }
    if !problems.is_empty() {
        return Err(refused(lang, problems));
    }
    if rows.is_empty() {
        return Err(refused(
            lang,
            vec![lang.text(Msg::TransfersResultEmpty).to_owned()],
        ));
    }
    Ok(rows)
}

/// What recording a result file did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Recorded {
    pub recorded: u64,
    /// Rows whose result was recorded before (the same file uploaded again).
    pub repeated: u64,
}

/// The published line of `ssn` in `month` within the grant's reach whose reference is
/// `reference`: its roll's area and item.
fn line_of(
    conn: &Connection,
    grant: &Authorized<act::RecordTransferResults>,
    reference: &str,
    month: Month,
    ssn: Ssn,
) -> Result<Option<(AreaCode, RollItem)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT area FROM roll_entries WHERE month = ?1 AND ssn = ?2 ORDER BY area",
    )?;
    let areas = stmt
        .query_map(params![month.to_string(), ssn.to_string()], |r| {
            r.get::<_, String>(0)
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for area in areas {
        let area = AreaCode::parse(&area)?;
        if !grant.covers(&area) {
            continue;
        }
        let lines = crate::rolls::published_lines(conn, &area, month, ssn)?.unwrap_or_default();
        if let Some(line) = lines
            .into_iter()
            .find(|l| self::reference(month, ssn, &l.item) == reference)
        {
            return Ok(Some((area, line.item)));
        }
    }
    Ok(None)
}

/// Records the rows of a result file, all or nothing: every reference must name a published
/// line within the grant's area, and a reference already settled must have the same result.
/// Each result recorded is audited; the rolls it concerns are drafted again.
pub fn record_results(
    store: &Store,
    grant: &Authorized<act::RecordTransferResults>,
    rows: Vec<ResultRow>,
    file_sha256: String,
    lang: Lang,
) -> Result<Recorded> {
    let actor = grant.actor();
    store.write(|tx| {
        let mut problems = Vec::new();
        let mut new = Vec::new();
        let mut done = Recorded::default();
        for r in &rows {
            let row = r.row.to_string();
            let (month, ssn) = parse_reference(&r.reference).ok_or_else(|| {
                ServerError::Storage(format!("reference {} was checked", r.reference))
            })?;
            if let Some(recorded) = recorded_result(tx, &r.reference)? {
                if recorded == r.result {
                    done.repeated += 1;
                } else {
                    problems.push(fill(
                        lang.text(Msg::TransfersResultConflict),
                        &[
                            ("row", row),
                            ("value", r.reference.clone()),
                            ("recorded", recorded.shown()),
                            ("given", r.result.shown()),
                        ],
                    ));
                }
                continue;
            }
            match line_of(tx, grant, &r.reference, month, ssn)? {
                Some((area, item)) => new.push((r, month, ssn, area, item)),
                None => problems.push(fill(
                    lang.text(Msg::TransfersResultBadReference),
                    &[("row", row), ("value", format!("{:?}", r.reference))],
                )),
            }
        }
        if !problems.is_empty() {
            return Err(refused(lang, problems));
        }
        let now = clock::now();
        let mut insert = tx.prepare_cached(
            "INSERT INTO transfer_results (reference, area, ssn, month, program, category, kind, amount_vnd, first, last,
                                           result, bank_txn, reason, file_sha256, recorded_by, recorded_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
        )?;
        for (r, month, ssn, area, item) in new {
            let k = line_key(&item);
            insert.execute(params![
                r.reference,
                area.as_str(),
                ssn.to_string(),
                month.to_string(),
                k.0,
                k.1,
                k.2,
                k.3,
                k.4,
                k.5,
                r.result.word(),
                r.result.bank_txn,
                r.result.reason,
                file_sha256,
                actor,
                now
            ])?;
            audit::append(
                tx,
                &actor,
                "transfer.result",
                Some(&area),
                &serde_json::json!({
                    "reference": r.reference,
                    "month": month.to_string(),
                    "ssn": ssn.to_string(),
                    "amount_vnd": item.amount_vnd,
                    "result": r.result.word(),
                    "bank_txn": r.result.bank_txn,
                    "reason": r.result.reason,
                    "file_sha256": file_sha256,
                }),
            )?;
            done.recorded += 1;
        }
        Ok(done)
    })
}

/// Applies the bank's results to the entries of the roll of `month` drafted from the register:
/// a line transferred stays paid into the account; a line whose transfer failed is due at the
/// counter.
pub fn apply_results(conn: &Connection, month: Month, entries: &mut [RollEntry]) -> Result<()> {
    let month_text = month.to_string();
    let mut any = conn.prepare_cached(
        "SELECT EXISTS (SELECT 1 FROM transfer_results WHERE ssn = ?1 AND month = ?2)",
    )?;
    for entry in entries.iter_mut() {
        if !any.query_row(params![entry.ssn.to_string(), month_text], |r| {
            r.get::<_, bool>(0)
        })? {
            continue;
        }
        for line in entry.lines.iter_mut() {
            if !matches!(line.status, LineStatus::Due | LineStatus::PaidByAccount) {
                continue;
            }
            match recorded_result(conn, &reference(month, entry.ssn, &line.item))? {
                Some(r) if r.ok => line.status = LineStatus::PaidByAccount,
                Some(_) => line.status = LineStatus::Due,
                None => {}
            }
        }
    }
    Ok(())
}

/// Whether a transfer of `ssn`'s lines in `month` was made (a result ok).
pub(crate) fn transferred(conn: &Connection, ssn: &str, month: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM transfer_results WHERE ssn = ?1 AND month = ?2 AND result = 'ok')",
        )?
        .query_row(params![ssn, month], |r| r.get(0))?)
}

#[cfg(test)]
mod tests {
    use asxh_core::lists::roll::ItemKind;
    use asxh_core::{CategoryCode, ProgramCode};

    use super::*;

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

    #[test]
    fn a_reference_is_stable_names_its_month_and_ssn_and_differs_between_lines() {
        let month = Month::parse("month", "2026-12").unwrap();
        let ssn = Ssn::parse("051146000001").unwrap();
        let a = reference(month, ssn, &item(500_000));
        assert_eq!(a, reference(month, ssn, &item(500_000)));
        assert_eq!(a.len(), REFERENCE_LEN);
        assert!(a.starts_with("202612051146000001"), "{a}");
        assert_ne!(a, reference(month, ssn, &item(750_000)));
        assert_eq!(parse_reference(&a), Some((month, ssn)));
        assert_eq!(parse_reference("202612051146000001XYZ123"), None);
    }

    #[test]
    fn a_result_file_with_a_broken_row_is_refused_naming_each_row_in_vietnamese() {
        let good = "202612051146000001A1B2C3";
        let csv = format!(
            "reference,result,bank_txn,reason\n{good},ok,FT123,\n202612051146000002A1B2C3,maybe,,\nABC,ok,FT9,\n202612051146000003A1B2C3,failed,,\n{good},ok,FT124,\n"
        );
        let err = parse_results(csv.as_bytes(), Lang::Vi)
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("Không ghi nhận dòng nào của tệp"), "{err}");
        assert!(
            err.contains("dòng 3: kết quả \"maybe\" không hợp lệ (cần ok hoặc failed)"),
            "{err}"
        );
        assert!(err.contains("dòng 4: mã tham chiếu \"ABC\""), "{err}");
        assert!(err.contains("dòng 5: thiếu lý do"), "{err}");
        assert!(
            err.contains("dòng 6: mã tham chiếu 202612051146000001A1B2C3 đã có ở dòng 2"),
            "{err}"
        );
        let en = parse_results(csv.as_bytes(), Lang::En)
            .unwrap_err()
            .to_string();
        assert!(en.contains("row 3: result \"maybe\" is not valid"), "{en}");
    }

    #[test]
    fn a_result_file_reads_the_exports_own_vietnamese_headers() {
        let csv = "Mã tham chiếu;Kết quả;Mã giao dịch ngân hàng;Lý do\n202612051146000001A1B2C3;failed;;Sai số tài khoản\n";
        let rows = parse_results(csv.as_bytes(), Lang::Vi).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].row, 2);
        assert!(!rows[0].result.ok);
        assert_eq!(rows[0].result.reason, "Sai số tài khoản");
    }
}
