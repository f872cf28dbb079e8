//! The payments page (`/console/payments/{area}/{YYYY-MM}`): for an area's month, the lines
//! paid and unpaid with their amounts by commune, by program and by payment point, the receipts
//! that paid a line twice (chi trùng) each beside the receipt that paid it first, and the
//! month's receipts as CSV (with a BOM) or XLSX (`…/export?format=csv|xlsx`), within the
//! account's area.

use std::collections::BTreeMap;

use asxh_core::lists::Month;
use asxh_core::AreaCode;
use asxh_text::{Lang, Msg};
use axum::extract::{Path, Query, State};
use axum::response::Response;
use maud::{html, Markup};
use serde::Deserialize;

use super::ctx::Ctx;
use super::page::when;
use crate::error::ServerError;
use crate::payments::reconcile::{self, ReceiptRow, Tally};
use crate::policy::act;
use crate::state::{blocking, Shared};

fn parse_area_month(area: &str, month: &str) -> Result<(AreaCode, Month), ServerError> {
    Ok((AreaCode::parse(area)?, Month::parse("month", month)?))
}

fn tally_heads(l: Lang, first: Msg) -> Markup {
    html! {
        thead { tr {
            th scope="col" { (l.text(first)) }
            th scope="col" class="num" { (l.text(Msg::ConsolePaymentsPaidLines)) }
            th scope="col" class="num" { (l.text(Msg::ConsolePaymentsPaidAmount)) }
            th scope="col" class="num" { (l.text(Msg::ConsolePaymentsUnpaidLines)) }
            th scope="col" class="num" { (l.text(Msg::ConsolePaymentsUnpaidAmount)) }
        } }
    }
}

fn tally_cells(l: Lang, t: &Tally) -> Markup {
    html! {
        td class="num" { (l.count(t.paid_lines)) }
        td class="num" { (l.money(t.paid_vnd)) }
        td class="num" { (l.count(t.unpaid_lines)) }
        td class="num" { (l.money(t.unpaid_vnd)) }
    }
}

fn tally_table(
    l: Lang,
    caption: Msg,
    first: Msg,
    rows: &BTreeMap<String, Tally>,
    label: impl Fn(&str) -> Markup,
) -> Markup {
    html! {
        div class="scroll" { table {
            caption { (l.text(caption)) }
            (tally_heads(l, first))
            tbody {
                @for (key, t) in rows {
                    tr { td { (label(key)) } (tally_cells(l, t)) }
                }
            }
        } }
    }
}

fn receipt_view(l: Lang, r: &ReceiptRow) -> Markup {
    html! {
        dl {
            dt { (l.text(Msg::ConsolePaymentsReceiptNo)) } dd { code { (r.number()) } }
            dt { (l.text(Msg::ConsolePaymentsPoint)) } dd { (r.point) }
            dt { (l.text(Msg::ConsolePaymentsSsn)) } dd { (r.ssn) }
            dt { (l.text(Msg::ConsolePaymentsPaidAt)) } dd { (when(r.paid_at)) }
            dt { (l.text(Msg::ConsolePaymentsAmount)) } dd { (l.money(r.total_vnd)) }
            dt { (l.text(Msg::ConsolePaymentsEvidence)) } dd { code class="evidence" { (hex::encode(&r.bytes)) } }
        }
    }
}

/// `GET /console/payments/{area}/{month}`.
pub(super) async fn page(
    ctx: Ctx,
    State(state): Shared,
    Path((area, month)): Path<(String, String)>,
) -> Response {
    ctx.answer(
        async {
            let grant = ctx.grant::<act::ReadPayments>()?;
            let (area, month) = parse_area_month(&area, &month)?;
            let (a, s) = (area.clone(), state.clone());
            let m = blocking(move || {
                s.store
                    .read(|c| reconcile::month_payments(c, &grant, &a, month))
            })
            .await?;
            let l = ctx.lang;
            let title = format!(
                "{} {} · {}",
                l.text(Msg::ConsolePaymentsTitle),
                area,
                asxh_text::format::date(&month.to_string())
            );
            let export = format!("/console/payments/{area}/{month}/export");
            let content = html! {
                @if m.accounts.is_empty() && m.by_area.values().all(|t| t.paid_lines + t.unpaid_lines == 0) {
                    p { (l.text(Msg::ConsolePaymentsNone)) }
                }
                p {
                    a href={ "/console/transfers/" (area) "/" (month) } { (l.text(Msg::TransfersTitle)) }
                    " · "
                    a href={ "/console/uncollected/" (area) "/" (month) } { (l.text(Msg::UnpaidTitle)) }
                }
                p class="exports" {
                    (l.text(Msg::ConsolePaymentsExport)) ": "
                    a href={ (export) "?format=xlsx" } { "XLSX" }
                    " · "
                    a href={ (export) "?format=csv" } { "CSV" }
                }
                (tally_table(l, Msg::ConsolePaymentsByArea, Msg::ConsoleArea, &m.by_area, |a| {
                    html! { a href={ "/console/rolls/" (a) "/" (month) } { (a) } }
                }))
                (tally_table(l, Msg::ConsolePaymentsByProgram, Msg::ConsoleProgram, &m.by_program, |p| {
                    html! { (l.program(p).unwrap_or(p)) " (" (p) ")" }
                }))
                div class="scroll" { table {
                    caption { (l.text(Msg::ConsolePaymentsByPoint)) }
                    thead { tr {
                        th scope="col" { (l.text(Msg::ConsolePaymentsPoint)) }
                        th scope="col" class="num" { (l.text(Msg::ConsolePaymentsReceipts)) }
                        th scope="col" class="num" { (l.text(Msg::ConsolePaymentsPaidLines)) }
                        th scope="col" class="num" { (l.text(Msg::ConsolePaymentsPaidAmount)) }
                    } }
                    tbody {
                        @for p in &m.by_point {
                            tr {
                                td { (p.point) }
                                td class="num" { (l.count(p.receipts)) }
                                td class="num" { (l.count(p.lines)) }
                                td class="num" { (l.money(p.paid_vnd)) }
                            }
                        }
                    }
                } }
                @if !m.accounts.is_empty() {
                    div class="scroll" { table {
                        caption { (l.text(Msg::ReconcileAccountLines)) }
                        thead { tr {
                            th scope="col" { (l.text(Msg::ConsoleArea)) }
                            th scope="col" class="num" { (l.text(Msg::ReconcileTransferred)) }
                            th scope="col" class="num" { (l.text(Msg::ConsolePaymentsAmount)) }
                            th scope="col" class="num" { (l.text(Msg::ReconcileFailed)) }
                            th scope="col" class="num" { (l.text(Msg::ConsolePaymentsAmount)) }
                            th scope="col" class="num" { (l.text(Msg::ReconcileAwaiting)) }
                            th scope="col" class="num" { (l.text(Msg::ConsolePaymentsAmount)) }
                        } }
                        tbody {
                            @for (a, t) in &m.accounts {
                                tr {
                                    td { a href={ "/console/transfers/" (a) "/" (month) } { (a) } }
                                    td class="num" { (l.count(t.transferred_lines)) }
                                    td class="num" { (l.money(t.transferred_vnd)) }
                                    td class="num" { (l.count(t.failed_lines)) }
                                    td class="num" { (l.money(t.failed_vnd)) }
                                    td class="num" { (l.count(t.awaiting_lines)) }
                                    td class="num" { (l.money(t.awaiting_vnd)) }
                                }
                            }
                        }
                    } }
                }
                section {
                    h2 { (l.text(Msg::ConsolePaymentsFlagged)) " (" (l.count(m.flagged.len() as u64)) ")" }
                    @if m.flagged.is_empty() {
                        p { (l.text(Msg::ConsolePaymentsNoFlagged)) }
                    } @else {
                        p { (l.text(Msg::ConsolePaymentsFlaggedNote)) }
                    }
                    @for f in &m.flagged {
                        article class="flag" {
                            h3 { (l.text(Msg::ConsolePaymentsStatusTwice)) ": " (f.receipt.number()) }
                            (receipt_view(l, &f.receipt))
                            @for first in &f.paid_first {
                                h4 { (l.text(Msg::ConsolePaymentsPaidFirst)) }
                                (receipt_view(l, first))
                            }
                        }
                    }
                }
            };
            Ok(ctx.page(&title, None, content))
        }
        .await,
    )
}

#[derive(Deserialize)]
pub(super) struct ExportQuery {
    format: Option<String>,
}

/// `GET /console/payments/{area}/{month}/export?format=csv|xlsx`: the month's receipts, a row
/// per line paid.
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
                s.store
                    .read(|c| reconcile::export_table(c, &grant, &a, month, l))
            })
            .await?;
            let file = format!("chi-tra-{area}-{month}");
            super::export::download(
                &table,
                q.format.as_deref(),
                l.text(Msg::ConsolePaymentsTitle),
                &file,
            )
        }
        .await,
    )
}
