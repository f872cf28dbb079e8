//! The register's console pages: find a beneficiary and see every decision with its history;
//! register a beneficiary, record a decision, suspend, resume, stop, change who collects and how
//! it is paid (at the counter or into an account); the
//! base levels. The forms read into the same wire bodies the API takes
//! ([`crate::register::requests`]) and go through the same policy and register calls.

use std::sync::Arc;

use asxh_api as wire;
use asxh_core::{Date, Ssn};
use asxh_text::Msg;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde::Deserialize;

use super::ctx::Ctx;
use super::page::Notice;
use super::register_views as views;
use crate::error::ServerError;
use crate::policy::{self, act, Action};
use crate::register::{self, requests};
use crate::state::{blocking, AppState, Shared};

/// A form field, `None` when left empty.
fn given(v: Option<String>) -> Option<String> {
    v.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())
}

#[derive(Deserialize)]
pub(super) struct PageQuery {
    ssn: Option<String>,
    done: Option<String>,
}

pub(super) async fn page(ctx: Ctx, State(state): Shared, Query(q): Query<PageQuery>) -> Response {
    let done = q.done.is_some().then(|| ctx.lang.text(Msg::RegisterSaved));
    ctx.answer(render(&ctx, &state, given(q.ssn), done.map(Notice::Done)).await)
}

/// The register's page: a beneficiary's when `ssn` is given, the first page otherwise.
async fn render(
    ctx: &Ctx,
    state: &Arc<AppState>,
    ssn: Option<String>,
    notice: Option<Notice<'_>>,
) -> Result<Response, ServerError> {
    let l = ctx.lang;
    let grant = ctx.grant::<act::ReadEntitlements>()?;
    let may_record = policy::allows(&ctx.account, Action::RecordEntitlements);
    let Some(ssn) = ssn else {
        return Ok(ctx.page(
            l.text(Msg::RegisterTitle),
            notice,
            views::start(l, &ctx.csrf, may_record),
        ));
    };
    let ssn = Ssn::parse(&ssn).map_err(super::problem::refused(l))?;
    let s = state.clone();
    let record = blocking(move || {
        let (who, entitlements) = s.store.read(|c| register::history(c, &grant, ssn))?;
        Ok(requests::beneficiary_json(who, entitlements))
    })
    .await?;
    let title = format!("{} — {}", l.text(Msg::RegisterTitle), record.full_name);
    Ok(ctx.page(
        &title,
        notice,
        views::beneficiary(l, &ctx.csrf, &record, may_record),
    ))
}

/// After a form: back to the beneficiary's page saying it was saved, or the page again with
/// why it was refused.
async fn after(
    ctx: &Ctx,
    state: &Arc<AppState>,
    ssn: Option<String>,
    outcome: Result<(), ServerError>,
) -> Result<Response, ServerError> {
    match outcome {
        Ok(()) => Ok(Redirect::to(&match &ssn {
            Some(s) => format!("/console/register?ssn={s}&done=saved"),
            None => "/console/register?done=saved".to_owned(),
        })
        .into_response()),
        Err(
            e @ (ServerError::Invalid { .. }
            | ServerError::Worded { .. }
            | ServerError::Conflict(_)
            | ServerError::NotFound(_)
            | ServerError::Forbidden(_)),
        ) => {
            let ssn =
                ssn.filter(|s| Ssn::parse(s).is_ok() && !matches!(e, ServerError::NotFound(_)));
            render(ctx, state, ssn, Some(Notice::Refused(&e))).await
        }
        Err(e) => Err(e),
    }
}

#[derive(Deserialize)]
pub(super) struct BeneficiaryForm {
    csrf: Option<String>,
    ssn: Option<String>,
    full_name: Option<String>,
    area: Option<String>,
}

pub(super) async fn put_beneficiary(
    ctx: Ctx,
    State(state): Shared,
    Form(f): Form<BeneficiaryForm>,
) -> Response {
    let ssn = given(f.ssn);
    let s = state.clone();
    let outcome = async {
        ctx.check_form(f.csrf.as_deref())?;
        let grant = ctx.grant::<act::RecordEntitlements>()?;
        let req = wire::BeneficiaryRequest {
            full_name: f.full_name.unwrap_or_default(),
            area: f.area.unwrap_or_default(),
        };
        let who = requests::beneficiary(ssn.as_deref().unwrap_or_default(), &req)?;
        blocking(move || register::put_beneficiary(&s.store, &grant, who).map(|_| ())).await
    }
    .await;
    ctx.answer(after(&ctx, &state, ssn, outcome).await)
}

/// The recipient fields of a form.
#[derive(Deserialize)]
pub(super) struct RecipientFields {
    role: Option<String>,
    name: Option<String>,
    id_number: Option<String>,
    document: Option<String>,
    valid_from: Option<String>,
    valid_until: Option<String>,
}

impl RecipientFields {
    fn wire(self) -> Option<wire::RecipientJson> {
        Some(wire::RecipientJson {
            role: given(self.role)?,
            name: self.name.unwrap_or_default(),
            id_number: self.id_number.unwrap_or_default(),
            document: self.document.unwrap_or_default(),
            valid_from: self.valid_from.unwrap_or_default(),
            valid_until: given(self.valid_until),
        })
    }
}

#[derive(Deserialize)]
pub(super) struct DecisionForm {
    csrf: Option<String>,
    ssn: Option<String>,
    household: Option<String>,
    program: Option<String>,
    category: Option<String>,
    coefficient: Option<String>,
    fixed_vnd: Option<String>,
    decision_no: Option<String>,
    decision_date: Option<String>,
    paid_from: Option<String>,
    paid_until: Option<String>,
    settled_until: Option<String>,
    #[serde(flatten)]
    recipient: RecipientFields,
}

/// A number field: `None` when empty, 422 naming it when not a number.
fn number<T: std::str::FromStr>(field: &str, v: Option<String>) -> Result<Option<T>, ServerError> {
    given(v)
        .map(|t| {
            t.replace(['.', ','], "")
                .parse()
                .map_err(|_| ServerError::invalid(field, format!("{t:?} is not a whole number")))
        })
        .transpose()
}

pub(super) async fn record(
    ctx: Ctx,
    State(state): Shared,
    Form(f): Form<DecisionForm>,
) -> Response {
    let ssn = given(f.ssn.clone());
    let s = state.clone();
    let outcome = async {
        ctx.check_form(f.csrf.as_deref())?;
        let grant = ctx.grant::<act::RecordEntitlements>()?;
        let req = wire::DecisionRequest {
            ssn: given(f.ssn),
            household: given(f.household),
            program: f.program.unwrap_or_default(),
            category: f.category.unwrap_or_default(),
            coefficient: number("coefficient", f.coefficient)?,
            fixed_vnd: number("fixed_vnd", f.fixed_vnd)?,
            decision_no: f.decision_no.unwrap_or_default(),
            decision_date: f.decision_date.unwrap_or_default(),
            paid_from: f.paid_from.unwrap_or_default(),
            paid_until: given(f.paid_until),
            settled_until: given(f.settled_until),
            recipient: f.recipient.wire(),
        };
        let decision = requests::decision(&req)?;
        blocking(move || register::record(&s.store, &grant, decision, Date::today()).map(|_| ()))
            .await
    }
    .await;
    ctx.answer(after(&ctx, &state, ssn, outcome).await)
}

#[derive(Deserialize)]
pub(super) struct StatusForm {
    csrf: Option<String>,
    ssn: Option<String>,
    on: Option<String>,
    reason: Option<String>,
    note: Option<String>,
}

pub(super) async fn change_status(
    ctx: Ctx,
    State(state): Shared,
    Path((id, change)): Path<(i64, String)>,
    Form(f): Form<StatusForm>,
) -> Response {
    let ssn = given(f.ssn);
    let s = state.clone();
    let outcome = async {
        ctx.check_form(f.csrf.as_deref())?;
        let grant = ctx.grant::<act::RecordEntitlements>()?;
        let req = wire::StatusRequest {
            on: f.on.unwrap_or_default(),
            reason: given(f.reason),
            note: given(f.note),
        };
        let (change, on, note) = requests::status_change(&change, &req)?;
        blocking(move || register::change_status(&s.store, &grant, id, change, on, note)).await
    }
    .await;
    ctx.answer(after(&ctx, &state, ssn, outcome).await)
}

#[derive(Deserialize)]
pub(super) struct RecipientForm {
    csrf: Option<String>,
    ssn: Option<String>,
    #[serde(flatten)]
    recipient: RecipientFields,
}

pub(super) async fn change_recipient(
    ctx: Ctx,
    State(state): Shared,
    Path(id): Path<i64>,
    Form(f): Form<RecipientForm>,
) -> Response {
    let ssn = given(f.ssn);
    let s = state.clone();
    let outcome = async {
        ctx.check_form(f.csrf.as_deref())?;
        let grant = ctx.grant::<act::RecordEntitlements>()?;
        let recipient = f
            .recipient
            .wire()
            .as_ref()
            .map(requests::recipient)
            .transpose()?;
        blocking(move || register::change_recipient(&s.store, &grant, id, recipient)).await
    }
    .await;
    ctx.answer(after(&ctx, &state, ssn, outcome).await)
}

#[derive(Deserialize)]
pub(super) struct AccountForm {
    csrf: Option<String>,
    ssn: Option<String>,
    /// `counter` or `account`.
    method: Option<String>,
    kind: Option<String>,
    provider: Option<String>,
    account_no: Option<String>,
    holder_name: Option<String>,
    owner: Option<String>,
}

/// `POST /console/register/entitlements/{id}/account`: the payment method.
pub(super) async fn change_account(
    ctx: Ctx,
    State(state): Shared,
    Path(id): Path<i64>,
    Form(f): Form<AccountForm>,
) -> Response {
    let ssn = given(f.ssn);
    let s = state.clone();
    let outcome = async {
        ctx.check_form(f.csrf.as_deref())?;
        let grant = ctx.grant::<act::RecordEntitlements>()?;
        let account = match given(f.method).as_deref() {
            Some("account") => Some(register::PaymentAccount::new(
                &f.kind.unwrap_or_default(),
                &f.provider.unwrap_or_default(),
                &f.account_no.unwrap_or_default(),
                &f.holder_name.unwrap_or_default(),
                &f.owner.unwrap_or_default(),
            )?),
            Some("counter") | None => None,
            Some(other) => {
                return Err(ServerError::invalid(
                    "method",
                    format!("{other:?} is not counter or account"),
                ))
            }
        };
        blocking(move || register::change_account(&s.store, &grant, id, account)).await
    }
    .await;
    ctx.answer(after(&ctx, &state, ssn, outcome).await)
}

pub(super) async fn base_levels(
    ctx: Ctx,
    State(state): Shared,
    Query(q): Query<PageQuery>,
) -> Response {
    let done = q.done.is_some().then(|| ctx.lang.text(Msg::RegisterSaved));
    ctx.answer(levels_page(&ctx, &state, done.map(Notice::Done)).await)
}

async fn levels_page(
    ctx: &Ctx,
    state: &Arc<AppState>,
    notice: Option<Notice<'_>>,
) -> Result<Response, ServerError> {
    ctx.grant::<act::ReadEntitlements>()?;
    let s = state.clone();
    let levels = blocking(move || s.store.read(register::base_levels)).await?;
    let levels: Vec<_> = levels.into_iter().map(requests::base_level_json).collect();
    let may_set = policy::allows(&ctx.account, Action::SetBaseLevels);
    let l = ctx.lang;
    Ok(ctx.page(
        l.text(Msg::RegisterBaseLevels),
        notice,
        views::base_levels(l, &ctx.csrf, &levels, may_set),
    ))
}

#[derive(Deserialize)]
pub(super) struct BaseLevelForm {
    csrf: Option<String>,
    program: Option<String>,
    province: Option<String>,
    from: Option<String>,
    amount_vnd: Option<String>,
    decree: Option<String>,
}

pub(super) async fn set_base_level(
    ctx: Ctx,
    State(state): Shared,
    Form(f): Form<BaseLevelForm>,
) -> Response {
    let s = state.clone();
    let outcome = async {
        ctx.check_form(f.csrf.as_deref())?;
        let grant = ctx.grant::<act::SetBaseLevels>()?;
        let req = wire::BaseLevelRequest {
            program: f.program.unwrap_or_default(),
            province: given(f.province),
            from: f.from.unwrap_or_default(),
            amount_vnd: number("amount_vnd", f.amount_vnd)?
                .ok_or_else(|| ServerError::invalid("amount_vnd", "give the amount in đồng"))?,
            decree: f.decree.unwrap_or_default(),
        };
        let change = requests::base_level(&req)?;
        blocking(move || register::set_base_level(&s.store, &grant, change).map(|_| ())).await
    }
    .await;
    ctx.answer(match outcome {
        Ok(()) => Ok(Redirect::to("/console/register/base-levels?done=saved").into_response()),
        Err(
            e @ (ServerError::Invalid { .. }
            | ServerError::Worded { .. }
            | ServerError::Forbidden(_)),
        ) => levels_page(&ctx, &state, Some(Notice::Refused(&e))).await,
        Err(e) => Err(e),
    })
}
