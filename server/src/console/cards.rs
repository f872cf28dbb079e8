//! The card pages: search, a card with its entitlements, history and replacements, and the
//! revoke and replace forms with their confirmation step.

use asxh_text::Msg;
use std::collections::BTreeMap;
use std::sync::Arc;

use asxh_api::CardRecord;
use asxh_core::lists::RevocationReason;
use asxh_core::CardSerial;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde::Deserialize;

use super::ctx::Ctx;
use super::page::Notice;
use super::views::{self, CardAction, CardExtras};
use crate::areas;
use crate::error::ServerError;
use crate::policy::{act, Authorized};
use crate::program_index;
use crate::registry::{self, replacement, RevocationTarget};
use crate::state::{blocking, AppState, Shared};

#[derive(Deserialize)]
pub(super) struct SearchQuery {
    q: Option<String>,
}

pub(super) async fn search(
    ctx: Ctx,
    State(state): Shared,
    Query(q): Query<SearchQuery>,
) -> Response {
    ctx.answer(
        async {
            let l = ctx.lang;
            let title = l.text(Msg::ConsoleFindACard);
            let query = q.q.unwrap_or_default();
            if query.trim().is_empty() {
                return Ok(ctx.page(title, None, views::search(l, "", None, &BTreeMap::new())));
            }
            let grant = ctx.grant::<act::LookUpCards>()?;
            let text = query.clone();
            let found = blocking(move || {
                let results = registry::search(&state.store, &grant, &text)?;
                let codes = results.iter().map(|r| r.area_code.as_str());
                let names = state.store.read(|c| areas::display_all(c, codes, l))?;
                Ok((results, names))
            });
            match found.await {
                Ok((results, names)) => Ok(ctx.page(
                    title,
                    None,
                    views::search(l, &query, Some(&results), &names),
                )),
                Err(e @ (ServerError::Invalid { .. } | ServerError::Worded { .. })) => Ok(ctx
                    .page(
                        title,
                        Some(Notice::Refused(&e)),
                        views::search(l, &query, None, &BTreeMap::new()),
                    )),
                Err(e) => Err(e),
            }
        }
        .await,
    )
}

/// The card `serial` (parsed from the path), if within the account's area, and the proof that
/// the account may look it up.
async fn load_card(
    ctx: &Ctx,
    state: &Arc<AppState>,
    serial: &str,
) -> Result<(CardSerial, CardRecord, Authorized<act::LookUpCards>), ServerError> {
    let serial = CardSerial::parse(serial).map_err(super::problem::refused(ctx.lang))?;
    let s = state.clone();
    let grant = ctx.grant::<act::LookUpCards>()?;
    let g = grant.clone();
    let record = blocking(move || registry::card(&s.store, &g, serial)).await?;
    Ok((serial, record, grant))
}

#[derive(Deserialize)]
pub(super) struct CardQuery {
    done: Option<String>,
}

pub(super) async fn card(
    ctx: Ctx,
    State(state): Shared,
    Path(serial): Path<String>,
    Query(q): Query<CardQuery>,
) -> Response {
    ctx.answer(
        async {
            let l = ctx.lang;
            let (serial, record, grant) = load_card(&ctx, &state, &serial).await?;
            let s = state.clone();
            let (area, issued) = (record.area_code.clone(), record.issued.clone());
            let (replacements, replaced_by, area_name) = blocking(move || {
                let issued = asxh_core::Date::parse("issued", &issued)?;
                Ok((
                    s.store.read(|c| replacement::of_card(c, &grant, serial))?,
                    registry::replaced_by(&s.store, &grant, serial)?,
                    s.store.read(|c| areas::display(c, &area, issued, l))?,
                ))
            })
            .await?;
            let entitlements: Vec<_> = hex::decode(&record.credential_hex)
                .ok()
                .and_then(|b| program_index::stored_entitlements(&b))
                .map(|es| es.iter().map(Into::into).collect())
                .unwrap_or_default();
            let done = match (q.done.as_deref(), &record.revocation) {
                (Some("revoked"), Some(r)) => Some(format!(
                    "{} {}{}",
                    l.text(Msg::ConsoleCardRevokedInList),
                    r.list_version,
                    l.text(Msg::ConsoleRefusedAfterNextSync)
                )),
                (Some("replacement"), _) => {
                    Some(l.text(Msg::ConsoleReplacementRequested).to_owned())
                }
                _ => None,
            };
            let title = format!("{} {}", l.text(Msg::ConsoleCard), record.serial);
            let x = CardExtras {
                entitlements: &entitlements,
                replacements: &replacements,
                replaced_by: &replaced_by,
                area_name: area_name.as_deref(),
            };
            Ok(ctx.page(
                &title,
                done.as_deref().map(Notice::Done),
                views::card(l, &ctx.account, &record, &x),
            ))
        }
        .await,
    )
}

/// The proof that the account may do a card action.
enum ActionGrant {
    Revoke(Authorized<act::RevokeCards>),
    Replace(Authorized<act::StartReplacements>),
}

fn grant_for(ctx: &Ctx, action: CardAction) -> Result<ActionGrant, ServerError> {
    Ok(match action {
        CardAction::Revoke => ActionGrant::Revoke(ctx.grant()?),
        CardAction::Replace => ActionGrant::Replace(ctx.grant()?),
    })
}

pub(super) async fn action_form(
    ctx: Ctx,
    State(state): Shared,
    Path(serial): Path<String>,
    action: CardAction,
) -> Response {
    ctx.answer(
        async {
            grant_for(&ctx, action)?;
            let (_, card, _) = load_card(&ctx, &state, &serial).await?;
            Ok(ctx.page(
                action.title(ctx.lang),
                None,
                views::action_form(ctx.lang, &ctx.account, action, &card, &ctx.csrf),
            ))
        }
        .await,
    )
}

#[derive(Deserialize)]
pub(super) struct ActionForm {
    csrf: Option<String>,
    step: Option<String>,
    reason: Option<String>,
}

/// `review` shows the confirmation step; `confirm` acts.
pub(super) async fn action(
    ctx: Ctx,
    State(state): Shared,
    Path(serial): Path<String>,
    Form(form): Form<ActionForm>,
    action: CardAction,
) -> Response {
    ctx.answer(
        async {
            let l = ctx.lang;
            ctx.check_form(form.csrf.as_deref())?;
            let grant = grant_for(&ctx, action)?;
            let (serial, card, _) = load_card(&ctx, &state, &serial).await?;
            let reason = form
                .reason
                .as_deref()
                .and_then(|r| RevocationReason::parse(r).ok())
                .filter(|r| action.reasons(&ctx.account).contains(r));
            let Some(reason) = reason else {
                let message = l.text(Msg::ConsoleChooseAReason);
                return Ok(ctx.page(
                    action.title(l),
                    Some(Notice::Problem(message)),
                    views::action_form(l, &ctx.account, action, &card, &ctx.csrf),
                ));
            };
            if form.step.as_deref() != Some("confirm") {
                return Ok(ctx.page(
                    action.title(l),
                    None,
                    views::action_confirm(l, action, &card, reason, &ctx.csrf),
                ));
            }
            let s = state.clone();
            let what = blocking(move || match grant {
                ActionGrant::Revoke(g) => {
                    registry::revoke(&s.store, &g, RevocationTarget::Serial(serial), reason)
                        .map(|_| "revoked")
                }
                ActionGrant::Replace(g) => {
                    replacement::request(&s.store, &g, serial, reason).map(|_| "replacement")
                }
            })
            .await?;
            Ok(Redirect::to(&format!("/console/cards/{serial}?done={what}")).into_response())
        }
        .await,
    )
}
