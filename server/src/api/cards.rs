//! `/v1/cards`: an office issues a card (PENDING), then activates it once written and read back,
//! or voids it when personalization failed; offices and administrators look cards up.

use std::sync::Arc;

use asxh_api::{
    CardList, CardRecord, CardStatus, ErrorBody, IssueRequest, IssueResponse, SsnQuery,
    StatusChange,
};
use asxh_core::{CardSerial, Ssn};
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;

use super::{authorization, parse_json, principal};
use crate::error::{Result, ServerError};
use crate::policy::{act, authorize};
use crate::registry;
use crate::state::{blocking, AppState, Shared};

pub(super) fn parse_serial(text: &str) -> Result<CardSerial> {
    CardSerial::parse(text).map_err(ServerError::from)
}

/// Issue a card for the caller's office: the server allocates the serial and signs the card
/// credential and QR credential for the card's key. The card is PENDING until activated.
#[utoipa::path(post, path = "/v1/cards", tag = "cards", request_body = IssueRequest,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Issued, PENDING", body = IssueResponse),
        (status = 400, description = "The body is not JSON", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "Not an office account, holder outside its area, or its key not active", body = ErrorBody),
        (status = 404, description = "The card to replace does not exist within the caller's area (a card outside it is answered the same way)", body = ErrorBody),
        (status = 409, description = "The SSN already has a live card (named only when within the caller's area), or the card to replace is not live", body = ErrorBody),
        (status = 413, description = "Body over 64 KiB", body = ErrorBody),
        (status = 422, description = "A field is wrong; `field` names it", body = ErrorBody),
        (status = 503, description = "Storage unavailable", body = ErrorBody),
        (status = 507, description = "Disk full, nothing written", body = ErrorBody),
    ))]
pub(super) async fn issue(
    State(state): Shared,
    headers: HeaderMap,
    bytes: Bytes,
) -> Result<(StatusCode, Json<IssueResponse>)> {
    let auth = authorization(&headers);
    let out = blocking(move || {
        let grant = authorize::<act::IssueCards>(&principal(&state, auth.as_deref())?)?;
        let req: IssueRequest = parse_json(&bytes)?;
        registry::issue(&state.store, &grant, &req)
    })
    .await?;
    Ok((StatusCode::CREATED, Json(out)))
}

/// The answer of activate and void.
async fn finish(
    state: Arc<AppState>,
    headers: HeaderMap,
    serial: String,
    status: CardStatus,
) -> Result<Json<StatusChange>> {
    let auth = authorization(&headers);
    blocking(move || {
        let principal = principal(&state, auth.as_deref())?;
        let serial = parse_serial(&serial)?;
        if status == CardStatus::Active {
            registry::activate(
                &state.store,
                &authorize::<act::ActivateCards>(&principal)?,
                serial,
            )?;
        } else {
            registry::void(
                &state.store,
                &authorize::<act::VoidCards>(&principal)?,
                serial,
            )?;
        }
        Ok(Json(StatusChange {
            serial: serial.to_string(),
            status,
        }))
    })
    .await
}

/// Mark the office's PENDING card ACTIVE: written, locked and read back. Repeating it is
/// accepted.
#[utoipa::path(post, path = "/v1/cards/{serial}/activate", tag = "cards",
    params(("serial" = String, Path, description = "Card serial")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Active", body = StatusChange),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "Not an office account, or another office's card", body = ErrorBody),
        (status = 404, description = "No such card within the account's area (a card outside it is answered the same way)", body = ErrorBody),
        (status = 409, description = "The card is not pending", body = ErrorBody),
        (status = 422, description = "Not a card serial", body = ErrorBody),
    ))]
pub(super) async fn activate(
    State(state): Shared,
    headers: HeaderMap,
    Path(serial): Path<String>,
) -> Result<Json<StatusChange>> {
    finish(state, headers, serial, CardStatus::Active).await
}

/// Mark the office's PENDING card VOID: personalization failed and the card was never used.
/// Repeating it is accepted.
#[utoipa::path(post, path = "/v1/cards/{serial}/void", tag = "cards",
    params(("serial" = String, Path, description = "Card serial")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Void", body = StatusChange),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "Not an office account, or another office's card", body = ErrorBody),
        (status = 404, description = "No such card within the account's area (a card outside it is answered the same way)", body = ErrorBody),
        (status = 409, description = "The card is not pending", body = ErrorBody),
        (status = 422, description = "Not a card serial", body = ErrorBody),
    ))]
pub(super) async fn void(
    State(state): Shared,
    headers: HeaderMap,
    Path(serial): Path<String>,
) -> Result<Json<StatusChange>> {
    finish(state, headers, serial, CardStatus::Void).await
}

/// A card with its history, if within the caller's area.
#[utoipa::path(get, path = "/v1/cards/{serial}", tag = "cards",
    params(("serial" = String, Path, description = "Card serial")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The card", body = CardRecord),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "Not an office or admin account", body = ErrorBody),
        (status = 404, description = "No such card within the caller's area (a card outside it is answered the same way)", body = ErrorBody),
        (status = 422, description = "Not a card serial", body = ErrorBody),
    ))]
pub(super) async fn card(
    State(state): Shared,
    headers: HeaderMap,
    Path(serial): Path<String>,
) -> Result<Json<CardRecord>> {
    let auth = authorization(&headers);
    blocking(move || {
        let grant = authorize::<act::LookUpCards>(&principal(&state, auth.as_deref())?)?;
        Ok(Json(registry::card(
            &state.store,
            &grant,
            parse_serial(&serial)?,
        )?))
    })
    .await
}

/// Every card of an SSN within the caller's area, by serial.
#[utoipa::path(get, path = "/v1/cards", tag = "cards", params(SsnQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The SSN's cards", body = CardList),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "Not an office or admin account", body = ErrorBody),
        (status = 422, description = "No `ssn`, or not an SSN", body = ErrorBody),
    ))]
pub(super) async fn cards_by_ssn(
    State(state): Shared,
    headers: HeaderMap,
    Query(q): Query<SsnQuery>,
) -> Result<Json<CardList>> {
    let auth = authorization(&headers);
    blocking(move || {
        let grant = authorize::<act::LookUpCards>(&principal(&state, auth.as_deref())?)?;
        let ssn = Ssn::parse(
            q.ssn
                .as_deref()
                .ok_or_else(|| ServerError::invalid("ssn", "the query needs ?ssn="))?,
        )?;
        Ok(Json(CardList {
            cards: registry::cards_of(&state.store, &grant, ssn)?,
        }))
    })
    .await
}
