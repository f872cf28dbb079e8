//! The monthly changes page of a payment roll (`/console/rolls/{area}/{month}/changes`, biến
//! động tăng/giảm): per commune and program, who is new, resumed, suspended, stopped, and whose
//! amount changed against last month's roll, with the arrears and one-off payments, the totals
//! and the list of the people; both tables as CSV or XLSX (`…/changes/export`).

use std::collections::BTreeMap;
use std::sync::Arc;

use asxh_core::lists::Month;
use asxh_core::AreaCode;
use asxh_text::{Lang, Msg};
use axum::extract::{Path, Query, State};
use axum::response::Response;
use maud::{html, Markup};
use serde::Deserialize;

use super::ctx::Ctx;
use crate::areas;
use crate::error::ServerError;
use crate::policy::act;
use crate::rolls::changes::{self, Change, ChangeFigures, ChangesReport, Tally};
use crate::state::{blocking, AppState, Shared};

struct Figures {
    report: ChangesReport,
    names: BTreeMap<String, String>,
}

async fn figures(
    ctx: &Ctx,
    state: &Arc<AppState>,
    area: &str,
    month: &str,
) -> Result<Figures, ServerError> {
    let grant = ctx.grant::<act::ReadRolls>()?;
    let area = AreaCode::parse(area).map_err(super::problem::refused(ctx.lang))?;
    let month = Month::parse("month", month).map_err(super::problem::refused(ctx.lang))?;
    let lang = ctx.lang;
    let s = state.clone();
    blocking(move || {
        s.store.read(|c| {
            let report = changes::monthly_changes(c, &grant, &area, month)?;
            let communes = report.rows.iter().map(|r| r.commune.as_str());
            let names = areas::display_all(c, communes, lang)?;
            Ok(Figures { report, names })
        })
    })
    .await
}

fn tally(l: Lang, t: &Tally) -> Markup {
    html! {
        td class="num" { (l.count(t.people)) }
        td class="num" { (l.money(t.vnd)) }
    }
}

fn figures_row(l: Lang, f: &ChangeFigures) -> Markup {
    html! {
        (tally(l, &f.before))
        (tally(l, &f.after))
        @for c in Change::ALL {
            (tally(l, &f.changes.get(&c).copied().unwrap_or_default()))
        }
        (tally(l, &f.arrears))
        (tally(l, &f.one_off))
    }
}

fn export_links(base: &str, table: &str) -> Markup {
    html! {
        p class="exports" {
            a href={ (base) "/export?table=" (table) "&format=xlsx" } { "XLSX" }
            " · "
            a href={ (base) "/export?table=" (table) "&format=csv" } { "CSV" }
        }
    }
}

fn view(l: Lang, f: &Figures, base: &str) -> Markup {
    let r = &f.report;
    let previous = asxh_text::format::date(&r.previous.to_string());
    let against = if r.previous_published {
        Msg::ConsoleChangesAgainst
    } else {
        Msg::ConsoleChangesNoPrevious
    };
    let name = |commune: &str| {
        f.names
            .get(commune)
            .cloned()
            .unwrap_or_else(|| commune.to_owned())
    };
    let heads = [Msg::ConsoleChangesBefore, Msg::ConsoleChangesAfter]
        .into_iter()
        .chain(Change::ALL.map(Change::label))
        .chain([Msg::ConsoleChangesArrears, Msg::ConsoleChangesOneOff]);
    html! {
        @if !r.published {
            p class="notice problem" role="status" {
                (asxh_text::message::fill(l.text(Msg::ConsoleChangesNotPublished), &[("month", asxh_text::format::date(&r.month.to_string()))]))
            }
        }
        p class="hint" { (asxh_text::message::fill(l.text(against), &[("month", previous)])) }
        section {
            h2 { (l.text(Msg::ConsoleChangesTitle)) }
            table {
                thead {
                    tr {
                        th scope="col" rowspan="2" { (l.text(Msg::ConsoleChangesCommune)) }
                        th scope="col" rowspan="2" { (l.text(Msg::ConsoleProgram)) }
                        @for h in heads { th scope="colgroup" colspan="2" { (l.text(h)) } }
                    }
                    tr {
                        @for _ in 0..10 {
                            th scope="col" class="num" { (l.text(Msg::ConsoleChangesPersonCount)) }
                            th scope="col" class="num" { (l.text(Msg::ConsoleChangesAmount)) }
                        }
                    }
                }
                tbody {
                    @for row in &r.rows {
                        tr {
                            th scope="row" { (name(&row.commune)) }
                            td { (l.program(&row.program).unwrap_or(&row.program)) }
                            (figures_row(l, &row.figures))
                        }
                    }
                    tr class="total" {
                        th scope="row" colspan="2" { (l.text(Msg::ReportTotal)) }
                        (figures_row(l, &r.total))
                    }
                }
            }
            (export_links(base, "summary"))
        }
        section {
            h2 { (l.text(Msg::ConsoleChangesPeople)) }
            @if r.people.is_empty() {
                p { (l.text(Msg::ConsoleChangesNone)) }
            } @else {
                table {
                    thead { tr {
                        th scope="col" { (l.text(Msg::ConsoleChangesCommune)) }
                        th scope="col" { (l.text(Msg::ConsoleSSN)) }
                        th scope="col" { (l.text(Msg::ColumnName)) }
                        th scope="col" { (l.text(Msg::ConsoleProgram)) }
                        th scope="col" { (l.text(Msg::ConsoleChangesKind)) }
                        th scope="col" class="num" { (l.text(Msg::ConsoleChangesAmountBefore)) }
                        th scope="col" class="num" { (l.text(Msg::ConsoleChangesAmountAfter)) }
                    } }
                    tbody {
                        @for p in &r.people {
                            tr {
                                td { (name(&p.commune)) }
                                td { (p.ssn) }
                                td { (p.full_name) }
                                td { (l.program(&p.program).unwrap_or(&p.program)) }
                                td { (l.text(p.change.label())) }
                                td class="num" { (l.money(p.before_vnd)) }
                                td class="num" { (l.money(p.after_vnd)) }
                            }
                        }
                    }
                }
            }
            (export_links(base, "people"))
        }
    }
}

/// `GET /console/rolls/{area}/{month}/changes`.
pub(super) async fn page(
    ctx: Ctx,
    State(state): Shared,
    Path((area, month)): Path<(String, String)>,
) -> Response {
    ctx.answer(
        async {
            let f = figures(&ctx, &state, &area, &month).await?;
            let l = ctx.lang;
            let title = format!(
                "{} · {} {} · {}",
                l.text(Msg::ConsoleChangesTitle),
                l.text(Msg::ConsoleRollTitle),
                f.report.area,
                asxh_text::format::date(&f.report.month.to_string())
            );
            let base = format!(
                "/console/rolls/{}/{}/changes",
                f.report.area, f.report.month
            );
            Ok(ctx.page(&title, None, view(l, &f, &base)))
        }
        .await,
    )
}

#[derive(Deserialize)]
pub(super) struct ExportQuery {
    /// `summary` (the default) or `people`.
    table: Option<String>,
    /// `csv` (the default) or `xlsx`.
    format: Option<String>,
}

/// `GET /console/rolls/{area}/{month}/changes/export?table=summary|people&format=csv|xlsx`.
pub(super) async fn export(
    ctx: Ctx,
    State(state): Shared,
    Path((area, month)): Path<(String, String)>,
    Query(q): Query<ExportQuery>,
) -> Response {
    ctx.answer(
        async {
            let which = q.table.as_deref().unwrap_or("summary");
            let people = match which {
                "summary" => false,
                "people" => true,
                other => {
                    return Err(ServerError::invalid(
                        "table",
                        format!("{other:?} is not summary or people"),
                    ))
                }
            };
            let f = figures(&ctx, &state, &area, &month).await?;
            let l = ctx.lang;
            let (table, title) = if people {
                (
                    changes::people_table(&f.report, l, &f.names),
                    Msg::ConsoleChangesPeople,
                )
            } else {
                (
                    changes::summary_table(&f.report, l, &f.names),
                    Msg::ConsoleChangesTitle,
                )
            };
            let file = format!("bien-dong-{which}-{}-{}", f.report.area, f.report.month);
            super::export::download(&table, q.format.as_deref(), l.text(title), &file)
        }
        .await,
    )
}
