//! The offices and accounts page: the offices and accounts within the administrator's area,
//! and the forms that add an office, rotate, retire or revoke its issuer keys, create an account
//! (its token shown once) and revoke one.

use asxh_text::Msg;
use std::sync::Arc;

use asxh_core::lists::{IssuerStatus, OfficeCode};
use asxh_core::signature::IssuerKeyId;
use asxh_core::AreaCode;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::Form;
use serde::Deserialize;

use super::ctx::Ctx;
use super::page::Notice;
use super::problem::refused;
use super::views;
use crate::areas;
use crate::auth::{self, Role};
use crate::error::ServerError;
use crate::policy::act;
use crate::registry;
use crate::state::{blocking, AppState, Shared};

pub(super) async fn offices(ctx: Ctx, State(state): Shared) -> Response {
    ctx.answer(offices_page(&ctx, &state, None).await)
}

async fn offices_page(
    ctx: &Ctx,
    state: &Arc<AppState>,
    notice: Option<Notice<'_>>,
) -> Result<Response, ServerError> {
    let grant = ctx.grant::<act::ManageOffices>()?;
    let s = state.clone();
    let l = ctx.lang;
    let (offices, accounts, names) = blocking(move || {
        let offices = registry::offices_in(&s.store, &grant)?;
        let accounts = s.store.read(|c| auth::accounts_in(c, &grant))?;
        let codes = offices.iter().map(|o| o.area_code.as_str());
        let codes = codes.chain(accounts.iter().map(|a| a.area_code.as_str()));
        let names = s.store.read(|c| areas::display_all(c, codes, l))?;
        Ok((offices, accounts, names))
    })
    .await?;
    Ok(ctx.page(
        l.text(Msg::ConsoleOfficesAndAccounts),
        notice,
        views::offices(l, &ctx.account, &offices, &accounts, &names, &ctx.csrf),
    ))
}

/// The offices page again, saying what a form did or why it was refused.
async fn offices_after(
    ctx: &Ctx,
    state: &Arc<AppState>,
    outcome: Result<String, ServerError>,
) -> Result<Response, ServerError> {
    match outcome {
        Ok(text) => offices_page(ctx, state, Some(Notice::Done(&text))).await,
        Err(
            e @ (ServerError::Invalid { .. }
            | ServerError::Worded { .. }
            | ServerError::Conflict(_)
            | ServerError::NotFound(_)),
        ) => offices_page(ctx, state, Some(Notice::Refused(&e))).await,
        Err(e) => Err(e),
    }
}

#[derive(Deserialize)]
pub(super) struct OfficeForm {
    csrf: Option<String>,
    code: Option<String>,
    name: Option<String>,
    area: Option<String>,
}

pub(super) async fn add_office(
    ctx: Ctx,
    State(state): Shared,
    Form(form): Form<OfficeForm>,
) -> Response {
    ctx.answer(
        async {
            ctx.check_form(form.csrf.as_deref())?;
            let grant = ctx.grant::<act::AddOffices>()?;
            let s = state.clone();
            let done_text = ctx.lang.text(Msg::ConsoleOfficeAdded);
            let refused = refused(ctx.lang);
            let added = blocking(move || {
                let code = OfficeCode::parse(form.code.as_deref().unwrap_or_default())
                    .map_err(&refused)?;
                let area =
                    AreaCode::parse(form.area.as_deref().unwrap_or_default()).map_err(&refused)?;
                let name = form.name.as_deref().unwrap_or_default();
                registry::add_office(&s.store, &grant, &code, name, &area)?;
                Ok(format!("{done_text} {code}"))
            })
            .await;
            offices_after(&ctx, &state, added).await
        }
        .await,
    )
}

#[derive(Deserialize)]
pub(super) struct AccountForm {
    csrf: Option<String>,
    role: Option<String>,
    office: Option<String>,
    area: Option<String>,
    label: Option<String>,
}

fn non_empty(field: &Option<String>) -> Option<&str> {
    field.as_deref().map(str::trim).filter(|t| !t.is_empty())
}

pub(super) async fn add_account(
    ctx: Ctx,
    State(state): Shared,
    Form(form): Form<AccountForm>,
) -> Response {
    ctx.answer(
        async {
            ctx.check_form(form.csrf.as_deref())?;
            let grant = ctx.grant::<act::CreateAccounts>()?;
            let s = state.clone();
            let refused = refused(ctx.lang);
            let made = blocking(move || {
                let role = Role::parse(form.role.as_deref().unwrap_or_default())?;
                let office = non_empty(&form.office)
                    .map(OfficeCode::parse)
                    .transpose()
                    .map_err(&refused)?;
                let area = non_empty(&form.area)
                    .map(AreaCode::parse)
                    .transpose()
                    .map_err(&refused)?;
                let label = non_empty(&form.label);
                s.store.write(|tx| {
                    auth::add_account(tx, &grant, role, office.as_ref(), area.as_ref(), label)
                })
            })
            .await;
            match made {
                Ok((id, token)) => Ok(ctx.page(
                    ctx.lang.text(Msg::ConsoleNewAccount),
                    None,
                    views::new_token(ctx.lang, id, &token),
                )),
                Err(e) => offices_after(&ctx, &state, Err(e)).await,
            }
        }
        .await,
    )
}

#[derive(Deserialize)]
pub(super) struct RevokeAccountForm {
    csrf: Option<String>,
    confirm: Option<String>,
}

pub(super) async fn revoke_account(
    ctx: Ctx,
    State(state): Shared,
    Path(id): Path<i64>,
    Form(form): Form<RevokeAccountForm>,
) -> Response {
    ctx.answer(
        async {
            ctx.check_form(form.csrf.as_deref())?;
            let grant = ctx.grant::<act::RevokeAccounts>()?;
            if form.confirm.as_deref() != Some("yes") {
                return Err(ServerError::invalid(
                    "confirm",
                    ctx.lang.text(Msg::ConsoleConfirmAccountRevoke),
                ));
            }
            if id == ctx.account.id {
                return Err(ServerError::Conflict(
                    "an account cannot revoke itself here; ask another administrator".into(),
                ));
            }
            let s = state.clone();
            let done_text = ctx.lang.text(Msg::ConsoleRevokedAccount);
            let done = blocking(move || {
                s.store.write(|tx| auth::revoke_account(tx, &grant, id))?;
                Ok(format!("{done_text} #{id}"))
            })
            .await;
            if done.is_ok() {
                state.sessions.end_all_of(id);
            }
            offices_after(&ctx, &state, done).await
        }
        .await,
    )
}

pub(super) async fn rotate_key(
    ctx: Ctx,
    State(state): Shared,
    Path(code): Path<String>,
    Form(form): Form<CsrfForm>,
) -> Response {
    ctx.answer(
        async {
            ctx.check_form(form.csrf.as_deref())?;
            let grant = ctx.grant::<act::ManageIssuerKeys>()?;
            let s = state.clone();
            let done_text = ctx.lang.text(Msg::ConsoleKeyRotated);
            let done = blocking(move || {
                let office = OfficeCode::parse(&code)?;
                let done = registry::rotate_issuer_key(&s.store, &grant, &office)?;
                Ok(format!("{done_text} {}", done.key_id_hex))
            })
            .await;
            offices_after(&ctx, &state, done).await
        }
        .await,
    )
}

#[derive(Deserialize)]
pub(super) struct CsrfForm {
    csrf: Option<String>,
}

#[derive(Deserialize)]
pub(super) struct KeyChangeForm {
    csrf: Option<String>,
    confirm: Option<String>,
}

pub(super) async fn change_key(
    ctx: Ctx,
    State(state): Shared,
    Path((key_id, change)): Path<(String, String)>,
    Form(form): Form<KeyChangeForm>,
) -> Response {
    ctx.answer(
        async {
            ctx.check_form(form.csrf.as_deref())?;
            let grant = ctx.grant::<act::ManageIssuerKeys>()?;
            let (status, done_text) = match change.as_str() {
                "retire" => (IssuerStatus::Retired, ctx.lang.text(Msg::ConsoleRetiredKey)),
                "revoke" => (IssuerStatus::Revoked, ctx.lang.text(Msg::ConsoleRevokedKey)),
                _ => return Err(ServerError::NotFound("no such route".into())),
            };
            if form.confirm.as_deref() != Some("yes") {
                return Err(ServerError::invalid(
                    "confirm",
                    ctx.lang.text(Msg::ConsoleConfirmKeyChange),
                ));
            }
            let s = state.clone();
            let done = blocking(move || {
                let id = IssuerKeyId::parse_hex(&key_id)?;
                registry::set_issuer_key_status(&s.store, &grant, id, status)?;
                Ok(format!("{done_text} {id}"))
            })
            .await;
            offices_after(&ctx, &state, done).await
        }
        .await,
    )
}
