//! The reports page (`/console/reports`): the people with a card in force on a day by area, sex,
//! age band, program and category, the monthly increases and decreases with their chart, and
//! each table as CSV (with a BOM) or XLSX (`/console/reports/export`), within the account's area.

use std::collections::BTreeMap;

use asxh_core::Date;
use asxh_sheet::OutTable;
use asxh_text::{Lang, Msg};
use axum::extract::{Query, State};
use axum::response::Response;
use maud::{html, Markup};
use serde::Deserialize;

use super::ctx::Ctx;
use super::page::bar_chart_of;
use crate::areas;
use crate::error::ServerError;
use crate::policy::act;
use crate::reports::{self, Dimension, Month, Report};
use crate::state::{blocking, Shared};

/// Months of changes shown unless asked otherwise.
const MONTHS: u32 = 12;

#[derive(Deserialize)]
pub(super) struct ReportQuery {
    as_of: Option<String>,
    months: Option<u32>,
    /// `area`, `sex`, `age`, `program`, `category`, or `changes` (exports only).
    by: Option<String>,
    /// `csv` or `xlsx` (exports only).
    format: Option<String>,
}

impl ReportQuery {
    fn as_of(&self, lang: Lang) -> Result<Date, ServerError> {
        match self.as_of.as_deref().map(str::trim) {
            None | Some("") => Ok(Date::today()),
            Some(d) => Date::parse_human("as_of", d).map_err(super::problem::refused(lang)),
        }
    }
}

/// Everything the page and the exports show.
struct Figures {
    report: Report,
    months: Vec<Month>,
    names: BTreeMap<String, String>,
}

async fn figures(ctx: &Ctx, state: Shared, q: &ReportQuery) -> Result<Figures, ServerError> {
    let grant = ctx.grant::<act::ReadReports>()?;
    let as_of = q.as_of(ctx.lang)?;
    let months = q.months.unwrap_or(MONTHS);
    let lang = ctx.lang;
    let State(state) = state;
    blocking(move || {
        state.store.read(|c| {
            let report = reports::report(c, &grant, as_of)?;
            let months = reports::monthly_changes(c, &grant, as_of, months)?;
            let names = areas::display_all(c, report.by_area.iter().map(|l| l.key.as_str()), lang)?;
            Ok(Figures {
                report,
                months,
                names,
            })
        })
    })
    .await
}

pub(super) async fn page(ctx: Ctx, state: Shared, Query(q): Query<ReportQuery>) -> Response {
    ctx.answer(
        async {
            let f = figures(&ctx, state, &q).await?;
            let title = format!("{} — {}", ctx.lang.text(Msg::Reports), ctx.account.area);
            Ok(ctx.page(&title, None, view(ctx.lang, &f)))
        }
        .await,
    )
}

pub(super) async fn export(ctx: Ctx, state: Shared, Query(q): Query<ReportQuery>) -> Response {
    ctx.answer(
        async {
            let by = q.by.clone().unwrap_or_else(|| "area".into());
            let dimension = match by.as_str() {
                "changes" => None,
                other => Some(Dimension::parse(other)?),
            };
            let f = figures(&ctx, state, &q).await?;
            let l = ctx.lang;
            let (table, title): (OutTable, Msg) = match dimension {
                Some(d) => (reports::table(&f.report, d, l, &f.names), d.title()),
                None => (reports::changes_table(&f.months, l), Msg::ReportChanges),
            };
            let file = format!("bao-cao-{by}-{}", f.report.as_of);
            super::export::download(&table, q.format.as_deref(), l.text(title), &file)
        }
        .await,
    )
}

fn export_links(by: &str, as_of: Date) -> Markup {
    html! {
        p class="exports" {
            a href={ "/console/reports/export?by=" (by) "&format=xlsx&as_of=" (as_of) } { "XLSX" }
            " · "
            a href={ "/console/reports/export?by=" (by) "&format=csv&as_of=" (as_of) } { "CSV" }
        }
    }
}

fn view(l: Lang, f: &Figures) -> Markup {
    let r = &f.report;
    let heads = [
        Msg::ReportCode,
        Msg::ReportName,
        Msg::ReportPeople,
        Msg::ReportMen,
        Msg::ReportWomen,
    ];
    let in_force: Vec<(String, u64)> = f
        .months
        .iter()
        .map(|m| (m.month.clone(), m.in_force))
        .collect();
    html! {
        form method="get" action="/console/reports" class="panel" {
            label for="as_of" { (l.text(Msg::ReportAsOf)) }
            input type="date" id="as_of" name="as_of" value=(r.as_of);
            " "
            button type="submit" { (l.text(Msg::ReportShow)) }
        }
        p class="hint" { (l.text(Msg::ReportWhat)) }
        div class="tiles" {
            div class="tile" { span class="n" { (l.count(r.total.people)) } (l.text(Msg::ReportPeople)) }
            div class="tile" { span class="n" { (l.count(r.total.male)) } (l.text(Msg::ReportMen)) }
            div class="tile" { span class="n" { (l.count(r.total.female)) } (l.text(Msg::ReportWomen)) }
        }
        div class="grid" {
            @for d in Dimension::ALL {
                section {
                    h2 { (l.text(d.title())) }
                    table {
                        thead { tr { @for h in heads { th scope="col" { (l.text(h)) } } } }
                        tbody {
                            @for line in r.lines(d) {
                                tr {
                                    th scope="row" { (line.key) }
                                    td { (reports::label(d, &line.key, l, &f.names)) }
                                    td class="num" { (l.count(line.figures.people)) }
                                    td class="num" { (l.count(line.figures.male)) }
                                    td class="num" { (l.count(line.figures.female)) }
                                }
                            }
                        }
                    }
                    (export_links(d.code(), r.as_of))
                }
            }
        }
        section {
            h2 { (l.text(Msg::ReportChanges)) }
            (bar_chart_of(l.text(Msg::ReportInForce), &in_force, l, (l.text(Msg::ReportMonth), l.text(Msg::ReportInForce))))
            table {
                thead { tr {
                    th scope="col" { (l.text(Msg::ReportMonth)) }
                    th scope="col" class="num" { (l.text(Msg::ReportIncreases)) }
                    th scope="col" class="num" { (l.text(Msg::ReportDecreases)) }
                    th scope="col" class="num" { (l.text(Msg::ReportInForce)) }
                } }
                tbody {
                    @for m in &f.months {
                        tr {
                            th scope="row" { (m.month) }
                            td class="num" { (l.count(m.increases)) }
                            td class="num" { (l.count(m.decreases)) }
                            td class="num" { (l.count(m.in_force)) }
                        }
                    }
                }
            }
            (export_links("changes", r.as_of))
        }
    }
}
