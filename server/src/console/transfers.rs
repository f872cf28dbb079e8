//! The console pages of payment into an account (issue #19 items 4 and 5), within the
//! account's area:
//!
//! - `/console/transfers/{area}/{YYYY-MM}`: the transfer list (danh sách chuyển khoản) with its
//!   totals by bank or e-wallet, its exports (`…/export?format=csv|xlsx`), and the form that
//!   uploads the bank's result file (`…/results`, `multipart/form-data`, at most 1 MiB);
//! - `/console/uncollected/{area}/{YYYY-MM}`: the beneficiaries who collected nothing in three
//!   published months, with the one action "Tạm dừng" (`…/suspend`).

use asxh_core::lists::Month;
use asxh_core::{AreaCode, Date};
use asxh_text::message::fill;
use asxh_text::{Lang, Msg};
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap};
use axum::response::Response;
use axum::Form;
use maud::html;
use serde::Deserialize;

use super::ctx::Ctx;
use super::page::{csrf_field, Notice};
use crate::error::ServerError;
use crate::payments::{transfers, unpaid};
use crate::policy::{self, act, Action};
use crate::state::{blocking, Shared};

fn parse_area_month(area: &str, month: &str) -> Result<(AreaCode, Month), ServerError> {
    Ok((AreaCode::parse(area)?, Month::parse("month", month)?))
}

fn title(l: Lang, msg: Msg, area: &AreaCode, month: Month) -> String {
    format!(
        "{} {} · {}",
        l.text(msg),
        area,
        asxh_text::format::date(&month.to_string())
    )
}

/// The transfer list's page, with `notice` after an upload.
async fn transfers_page(
    ctx: &Ctx,
    state: &Shared,
    area: &str,
    month: &str,
    notice: Option<Notice<'_>>,
) -> Result<Response, ServerError> {
    let grant = ctx.grant::<act::ReadPayments>()?;
    let (area, month) = parse_area_month(area, month)?;
    let State(state) = state;
    let (a, s) = (area.clone(), state.clone());
    let list = blocking(move || {
        s.store
            .read(|c| transfers::transfer_list(c, &grant, &a, month))
    })
    .await?;
    let l = ctx.lang;
    let may_record = policy::allows(&ctx.account, Action::RecordTransferResults);
    let base = format!("/console/transfers/{area}/{month}");
    let content = html! {
        @if list.lines.is_empty() {
            p { (l.text(Msg::TransfersNone)) }
        }
        p class="exports" {
            (l.text(Msg::TransfersExport)) ": "
            a href={ (base) "/export?format=xlsx" } { "XLSX" }
            " · "
            a href={ (base) "/export?format=csv" } { "CSV" }
        }
        section { table {
            caption { (l.text(Msg::TransfersByProvider)) }
            thead { tr {
                th scope="col" { (l.text(Msg::RegisterAccountProvider)) }
                th scope="col" class="num" { (l.text(Msg::TransfersLines)) }
                th scope="col" class="num" { (l.text(Msg::ConsolePaymentsAmount)) }
            } }
            tbody {
                @for (provider, t) in &list.by_provider {
                    tr {
                        td { (provider) }
                        td class="num" { (l.count(t.lines)) }
                        td class="num" { (l.money(t.amount_vnd)) }
                    }
                }
            }
        } }
        section { table {
            caption { (l.text(Msg::TransfersTitle)) }
            thead { tr {
                th scope="col" { (l.text(Msg::TransfersReference)) }
                th scope="col" { (l.text(Msg::ConsolePaymentsSsn)) }
                th scope="col" { (l.text(Msg::TransfersFullName)) }
                th scope="col" { (l.text(Msg::ConsoleProgram)) }
                th scope="col" class="num" { (l.text(Msg::ConsolePaymentsAmount)) }
                th scope="col" { (l.text(Msg::RegisterAccountProvider)) }
                th scope="col" { (l.text(Msg::RegisterAccountNumber)) }
                th scope="col" { (l.text(Msg::RegisterAccountHolderName)) }
                th scope="col" { (l.text(Msg::TransfersResult)) }
            } }
            tbody {
                @for line in &list.lines {
                    tr {
                        td { code { (line.reference) } }
                        td { (line.ssn) }
                        td { (line.full_name) }
                        td { (line.item.program.as_str()) }
                        td class="num" { (l.money(line.item.amount_vnd)) }
                        td { (line.provider) }
                        td { (line.account_no) }
                        td { (line.holder_name) }
                        td {
                            (transfers::result_label(l, line.result.as_ref()))
                            @if let Some(r) = &line.result {
                                @if r.ok { " (" (r.bank_txn) ")" } @else { " (" (r.reason) ")" }
                            }
                        }
                    }
                }
            }
        } }
        @if may_record {
            section {
                h2 { (l.text(Msg::TransfersUploadTitle)) }
                p class="hint" { (l.text(Msg::TransfersUploadHint)) }
                form method="post" action={ (base) "/results" } enctype="multipart/form-data" {
                    (csrf_field(&ctx.csrf))
                    label for="result-file" { (l.text(Msg::TransfersUploadFile)) }
                    input id="result-file" type="file" name="file" required accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
                    button type="submit" { (l.text(Msg::TransfersUploadSubmit)) }
                }
            }
        }
    };
    Ok(ctx.page(
        &title(l, Msg::TransfersTitle, &area, month),
        notice,
        content,
    ))
}

/// `GET /console/transfers/{area}/{month}`.
pub(super) async fn page(
    ctx: Ctx,
    state: Shared,
    Path((area, month)): Path<(String, String)>,
) -> Response {
    ctx.answer(transfers_page(&ctx, &state, &area, &month, None).await)
}

#[derive(Deserialize)]
pub(super) struct ExportQuery {
    format: Option<String>,
}

/// `GET /console/transfers/{area}/{month}/export?format=csv|xlsx`: the list for the bank.
pub(super) async fn export(
    ctx: Ctx,
    State(state): Shared,
    Path((area, month)): Path<(String, String)>,
    Query(q): Query<ExportQuery>,
) -> Response {
    ctx.answer(
        async {
            let grant = ctx.grant::<act::ReadPayments>()?;
            let (area, month) = parse_area_month(&area, &month)?;
            let (a, s, l) = (area.clone(), state.clone(), ctx.lang);
            let table = blocking(move || {
                let list = s
                    .store
                    .read(|c| transfers::transfer_list(c, &grant, &a, month))?;
                Ok(transfers::export_table(&list, l))
            })
            .await?;
            super::export::download(
                &table,
                q.format.as_deref(),
                l.text(Msg::TransfersTitle),
                &format!("chuyen-khoan-{area}-{month}"),
            )
        }
        .await,
    )
}

/// The parts of a `multipart/form-data` body, by field name: `None` when the body is not one.
fn form_parts(content_type: &str, body: &[u8]) -> Option<Vec<(String, Vec<u8>)>> {
    let boundary = content_type
        .split(';')
        .map(str::trim)
        .find_map(|p| p.strip_prefix("boundary="))?
        .trim_matches('"');
    let delimiter = format!("--{boundary}").into_bytes();
    let find = |hay: &[u8], needle: &[u8], from: usize| {
        hay.get(from..)?
            .windows(needle.len())
            .position(|w| w == needle)
            .map(|i| i + from)
    };
    let mut parts = Vec::new();
    let mut at = find(body, &delimiter, 0)? + delimiter.len();
    while !body[at..].starts_with(b"--") {
        let start = at + 2;
        let next = find(body, &delimiter, start)?;
        let part = &body[start..next.checked_sub(2)?];
        let split = find(part, b"\r\n\r\n", 0)?;
        let head = String::from_utf8_lossy(&part[..split]);
        let name = head
            .split(';')
            .map(str::trim)
            .find_map(|p| p.strip_prefix("name="))?
            .split(['\r', '\n'])
            .next()?
            .trim_matches('"')
            .to_owned();
        parts.push((name, part[split + 4..].to_vec()));
        at = next + delimiter.len();
    }
    Some(parts)
}

/// `POST /console/transfers/{area}/{month}/results`: the bank's result file, uploaded.
pub(super) async fn upload(
    ctx: Ctx,
    state: Shared,
    Path((area, month)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let l = ctx.lang;
    let outcome = async {
        let content_type = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        let parts = form_parts(content_type, &body).unwrap_or_default();
        let field = |name: &str| {
            parts
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.clone())
        };
        let csrf = field("csrf").map(|v| String::from_utf8_lossy(&v).into_owned());
        ctx.check_form(csrf.as_deref())?;
        let grant = ctx.grant::<act::RecordTransferResults>()?;
        let file = field("file").ok_or_else(|| {
            ServerError::invalid("file", l.text(Msg::TransfersResultEmpty).to_owned())
        })?;
        let State(s) = &state;
        let s = s.clone();
        blocking(move || {
            let rows = transfers::parse_results(&file, l)?;
            transfers::record_results(&s.store, &grant, rows, transfers::file_digest(&file), l)
        })
        .await
    }
    .await;
    match outcome {
        Ok(done) => {
            let text = fill(
                l.text(Msg::TransfersUploadDone),
                &[
                    ("recorded", done.recorded.to_string()),
                    ("repeated", done.repeated.to_string()),
                ],
            );
            ctx.answer(transfers_page(&ctx, &state, &area, &month, Some(Notice::Done(&text))).await)
        }
        Err(
            e @ (ServerError::Invalid { .. }
            | ServerError::Worded { .. }
            | ServerError::TooLarge(_)),
        ) => {
            ctx.answer(transfers_page(&ctx, &state, &area, &month, Some(Notice::Refused(&e))).await)
        }
        Err(e) => ctx.answer(Err(e)),
    }
}

/// The three-unpaid-months page, with `notice` after the action.
async fn uncollected_page(
    ctx: &Ctx,
    state: &Shared,
    area: &str,
    month: &str,
    notice: Option<Notice<'_>>,
) -> Result<Response, ServerError> {
    let grant = ctx.grant::<act::ReadPayments>()?;
    let (area, month) = parse_area_month(area, month)?;
    let State(state) = state;
    let (a, s) = (area.clone(), state.clone());
    let list =
        blocking(move || s.store.read(|c| unpaid::uncollected(c, &grant, &a, month))).await?;
    let l = ctx.lang;
    let may_suspend = policy::allows(&ctx.account, Action::SuspendUncollected)
        && policy::allows(&ctx.account, Action::RecordEntitlements);
    let content = html! {
        p class="hint" { (l.text(Msg::UnpaidHint)) }
        @if list.is_empty() {
            p { (l.text(Msg::UnpaidNone)) }
        } @else {
            section { table {
                caption { (l.text(Msg::UnpaidTitle)) }
                thead { tr {
                    th scope="col" { (l.text(Msg::ConsolePaymentsSsn)) }
                    th scope="col" { (l.text(Msg::TransfersFullName)) }
                    th scope="col" { (l.text(Msg::ConsoleArea)) }
                    th scope="col" { (l.text(Msg::UnpaidMonths)) }
                    th scope="col" class="num" { (l.text(Msg::ConsolePaymentsUnpaidAmount)) }
                } }
                tbody {
                    @for u in &list {
                        tr {
                            td { a href={ "/console/register?ssn=" (u.ssn) } { (u.ssn) } }
                            td { (u.full_name) }
                            td { (u.area) }
                            td { (u.months.iter().map(|m| asxh_text::format::date(&m.to_string())).collect::<Vec<_>>().join(", ")) }
                            td class="num" { (l.money(u.due_vnd)) }
                        }
                    }
                }
            } }
            @if may_suspend {
                form method="post" action={ "/console/uncollected/" (area) "/" (month) "/suspend" } {
                    (csrf_field(&ctx.csrf))
                    button type="submit" class="danger" { (l.text(Msg::UnpaidSuspend)) }
                }
            }
        }
    };
    Ok(ctx.page(&title(l, Msg::UnpaidTitle, &area, month), notice, content))
}

/// `GET /console/uncollected/{area}/{month}`.
pub(super) async fn uncollected(
    ctx: Ctx,
    state: Shared,
    Path((area, month)): Path<(String, String)>,
) -> Response {
    ctx.answer(uncollected_page(&ctx, &state, &area, &month, None).await)
}

#[derive(Deserialize)]
pub(super) struct CsrfForm {
    csrf: Option<String>,
}

/// `POST /console/uncollected/{area}/{month}/suspend`: "Tạm dừng".
pub(super) async fn suspend(
    ctx: Ctx,
    state: Shared,
    Path((area, month)): Path<(String, String)>,
    Form(f): Form<CsrfForm>,
) -> Response {
    let outcome = async {
        ctx.check_form(f.csrf.as_deref())?;
        let grant = ctx.grant::<act::SuspendUncollected>()?;
        let record = ctx.grant::<act::RecordEntitlements>()?;
        let (a, m) = parse_area_month(&area, &month)?;
        let State(s) = &state;
        let s = s.clone();
        blocking(move || {
            unpaid::suspend_uncollected(&s.store, &grant, &record, &a, m, Date::today())
        })
        .await
    }
    .await;
    match outcome {
        Ok(n) => {
            let text = fill(
                ctx.lang.text(Msg::UnpaidSuspendDone),
                &[("count", n.to_string())],
            );
            ctx.answer(
                uncollected_page(&ctx, &state, &area, &month, Some(Notice::Done(&text))).await,
            )
        }
        Err(e) => ctx.answer(Err(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_multipart_body_reads_into_its_named_fields_and_a_broken_one_into_none() {
        let body = b"--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\nabc\r\n--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"kq.csv\"\r\nContent-Type: text/csv\r\n\r\nreference,result\r\nA,ok\r\n\r\n--XyZ--\r\n";
        let parts = form_parts("multipart/form-data; boundary=XyZ", body).unwrap();
        assert_eq!(parts[0], ("csrf".to_owned(), b"abc".to_vec()));
        assert_eq!(parts[1].0, "file");
        assert_eq!(parts[1].1, b"reference,result\r\nA,ok\r\n".to_vec());
        assert!(form_parts("multipart/form-data; boundary=Other", body).is_none());
        assert!(form_parts("application/x-www-form-urlencoded", b"csrf=abc").is_none());
    }
}
