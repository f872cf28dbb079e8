//! The payment roll page (SPEC.md §17.3): the drafts of an area's month, newest first, each
//! with its check summary (beneficiaries, lines, totals by program, changes against the
//! published version) and, for a draft waiting, the button that approves and publishes it.

use std::sync::Arc;

use asxh_api::rolls::RollDraft;
use asxh_core::lists::Month;
use asxh_core::AreaCode;
use asxh_text::Msg;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::Form;
use maud::{html, Markup};
use serde::Deserialize;

use super::ctx::Ctx;
use super::page::{csrf_field, when, Lang, Notice};
use crate::error::ServerError;
use crate::policy::{self, act, Action};
use crate::rolls;
use crate::state::{blocking, AppState, Shared};

fn status_label(l: Lang, status: &str) -> &'static str {
    l.text(match status {
        "draft" => Msg::ConsoleRollStatusDraft,
        "published" => Msg::ConsoleRollStatusPublished,
        _ => Msg::ConsoleRollStatusSuperseded,
    })
}

/// One draft: its summary, who drafted and approved it, and the approve button.
fn draft_view(l: Lang, d: &RollDraft, may_approve: bool, csrf: &str) -> Markup {
    let s = &d.summary;
    html! {
        section {
            h2 { (l.text(Msg::ConsoleRollDraft)) " " (d.id) " · " (status_label(l, &d.status)) }
            dl {
                dt { (l.text(Msg::ConsoleRollBeneficiaries)) } dd { (l.count(s.beneficiaries)) }
                dt { (l.text(Msg::ConsoleRollLines)) } dd { (l.count(s.lines)) }
                dt { (l.text(Msg::ConsoleRollTotal)) } dd { (l.money(s.total_vnd)) }
                dt { (l.text(Msg::ConsoleRollAgainst)) }
                dd { @match s.against_version {
                    Some(v) => (v),
                    None => (l.text(Msg::ConsoleRollNothingPublished)),
                } }
                dt { (l.text(Msg::ConsoleRollAdded)) } dd { (l.count(s.changes.added)) }
                dt { (l.text(Msg::ConsoleRollRemoved)) } dd { (l.count(s.changes.removed)) }
                dt { (l.text(Msg::ConsoleRollChanged)) } dd { (l.count(s.changes.changed)) }
                @if let Some(by) = &d.approved_by {
                    dt { (l.text(Msg::ConsoleRollApprovedBy)) }
                    dd { (by) @if let Some(at) = d.approved_at { " · " (when(at)) } }
                }
            }
            table {
                thead { tr {
                    th scope="col" { (l.text(Msg::ConsoleProgram)) }
                    th scope="col" class="num" { (l.text(Msg::ConsoleRollLines)) }
                    th scope="col" class="num" { (l.text(Msg::ConsoleRollTotal)) }
                } }
                tbody {
                    @for t in &s.totals {
                        tr {
                            td { (l.program(&t.program).unwrap_or(&t.program)) " (" (t.program) ")" }
                            td class="num" { (l.count(t.lines)) }
                            td class="num" { (l.money(t.amount_vnd)) }
                        }
                    }
                }
            }
            @if d.status == "published" && d.approved_by.is_none() {
                p { (l.text(Msg::ConsoleRollNoApprovalNeeded)) }
            }
            @if d.status == "draft" && may_approve {
                form method="post" action={ "/console/roll-drafts/" (d.id) "/approve" } {
                    (csrf_field(csrf))
                    button type="submit" { (l.text(Msg::ConsoleRollApprove)) }
                }
            }
        }
    }
}

async fn rolls_page(
    ctx: &Ctx,
    state: &Arc<AppState>,
    area: String,
    month: String,
    notice: Option<Notice<'_>>,
) -> Result<Response, ServerError> {
    let grant = ctx.grant::<act::ReadRolls>()?;
    let area = AreaCode::parse(&area).map_err(super::problem::refused(ctx.lang))?;
    let month = Month::parse("month", &month).map_err(super::problem::refused(ctx.lang))?;
    let s = state.clone();
    let (a, m) = (area.clone(), month);
    let drafts = blocking(move || s.store.read(|c| rolls::drafts(c, &grant, &a, m))).await?;
    let l = ctx.lang;
    let may_approve = policy::allows(&ctx.account, Action::ApproveRolls);
    let title = format!(
        "{} {} · {}",
        l.text(Msg::ConsoleRollTitle),
        area,
        asxh_text::format::date(&month.to_string())
    );
    let may_read_payments = policy::allows(&ctx.account, Action::ReadPayments);
    let content = html! {
        p { a href={ "/console/rolls/" (area) "/" (month) "/changes" } { (l.text(Msg::ConsoleChangesLink)) } }
        @if may_read_payments {
            p { a href={ "/console/payments/" (area) "/" (month) } { (l.text(Msg::ConsolePaymentsLink)) } }
        }
        @if drafts.is_empty() {
            p { (l.text(Msg::ConsoleRollNoDrafts)) }
        }
        @for d in &drafts {
            (draft_view(l, d, may_approve, &ctx.csrf))
        }
    };
    Ok(ctx.page(&title, notice, content))
}

/// `GET /console/rolls/{area}/{month}`.
pub(super) async fn page(
    ctx: Ctx,
    State(state): Shared,
    Path((area, month)): Path<(String, String)>,
) -> Response {
    ctx.answer(rolls_page(&ctx, &state, area, month, None).await)
}

#[derive(Deserialize)]
pub(super) struct ApproveForm {
    csrf: Option<String>,
}

/// `POST /console/roll-drafts/{id}/approve`: approves and publishes, then shows the month again.
pub(super) async fn approve(
    ctx: Ctx,
    State(state): Shared,
    Path(id): Path<i64>,
    Form(form): Form<ApproveForm>,
) -> Response {
    ctx.answer(
        async {
            ctx.check_form(form.csrf.as_deref())?;
            let grant = ctx.grant::<act::ApproveRolls>()?;
            let s = state.clone();
            let outcome = blocking(move || rolls::approve(&s.store, &grant, id)).await;
            match outcome {
                Ok(d) => {
                    let text = asxh_text::message::fill(
                        ctx.lang.text(Msg::ConsoleRollApproved),
                        &[(
                            "version",
                            d.published_version.unwrap_or_default().to_string(),
                        )],
                    );
                    rolls_page(&ctx, &state, d.area, d.month, Some(Notice::Done(&text))).await
                }
                Err(e @ (ServerError::Conflict(_) | ServerError::NotFound(_))) => {
                    let d = {
                        let s = state.clone();
                        let grant = ctx.grant::<act::ReadRolls>()?;
                        blocking(move || s.store.read(|c| rolls::draft_by_id(c, &grant, id)))
                            .await?
                    };
                    rolls_page(&ctx, &state, d.area, d.month, Some(Notice::Refused(&e))).await
                }
                Err(e) => Err(e),
            }
        }
        .await,
    )
}
