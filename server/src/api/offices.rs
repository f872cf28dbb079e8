//! Issuing offices and their issuer keys: `GET /v1/offices` (within the caller's area),
//! `POST /v1/offices/{code}/keys` (rotate: a new active key, the old one retired) and
//! `POST /v1/issuer-keys/{key_id}/status` (retire or revoke a key). The trust list carries a
//! change at once (SPEC.md §14).

use asxh_api::{ErrorBody, IssuerKey, IssuerKeyStatusRequest, KeyRotation, OfficeList};
use asxh_core::lists::{IssuerStatus, OfficeCode};
use asxh_core::signature::IssuerKeyId;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;

use super::{authorization, parse_json, principal};
use crate::error::Result;
use crate::policy::{act, authorize};
use crate::registry;
use crate::state::{blocking, Shared};

/// The offices within the caller's area, each with every issuer key it has had.
#[utoipa::path(get, path = "/v1/offices", tag = "offices",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The offices, by code", body = OfficeList),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "Not an admin account", body = ErrorBody),
        (status = 503, description = "Storage unavailable", body = ErrorBody),
    ))]
pub(super) async fn offices(State(state): Shared, headers: HeaderMap) -> Result<Json<OfficeList>> {
    let auth = authorization(&headers);
    blocking(move || {
        let grant = authorize::<act::ManageOffices>(&principal(&state, auth.as_deref())?)?;
        Ok(Json(OfficeList {
            offices: registry::offices_in(&state.store, &grant)?,
        }))
    })
    .await
}

/// Gives an office a new issuer key and retires the one it had: the cards the old key signed
/// stay trusted (it is valid until today), new cards are signed with the new key. Durable and in
/// the trust list on return.
#[utoipa::path(post, path = "/v1/offices/{code}/keys", tag = "offices",
    params(("code" = String, Path, description = "Office code")),
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Rotated", body = KeyRotation),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "Not an admin account", body = ErrorBody),
        (status = 404, description = "No such office within the caller's area (one outside it is answered the same way)", body = ErrorBody),
        (status = 422, description = "Not an office code", body = ErrorBody),
        (status = 503, description = "Storage unavailable", body = ErrorBody),
        (status = 507, description = "Disk full, nothing written", body = ErrorBody),
    ))]
pub(super) async fn rotate(
    State(state): Shared,
    Path(code): Path<String>,
    headers: HeaderMap,
) -> Result<(StatusCode, Json<KeyRotation>)> {
    let auth = authorization(&headers);
    blocking(move || {
        let grant = authorize::<act::ManageIssuerKeys>(&principal(&state, auth.as_deref())?)?;
        let office = OfficeCode::parse(&code)?;
        let done = registry::rotate_issuer_key(&state.store, &grant, &office)?;
        Ok((StatusCode::CREATED, Json(done)))
    })
    .await
}

/// Retires an issuer key (it signs no new cards; its cards stay trusted) or revokes it
/// (compromised: verifiers trust none of its cards). A revoked key stays revoked.
#[utoipa::path(post, path = "/v1/issuer-keys/{key_id}/status", tag = "offices",
    params(("key_id" = String, Path, description = "Issuer key id, 16 hex digits")),
    request_body = IssuerKeyStatusRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The key as it now is", body = IssuerKey),
        (status = 400, description = "The body is not JSON", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "Not an admin account", body = ErrorBody),
        (status = 404, description = "No such key within the caller's area (one outside it is answered the same way)", body = ErrorBody),
        (status = 409, description = "Already retired, or already revoked", body = ErrorBody),
        (status = 422, description = "Not a key id, or a status other than retired or revoked", body = ErrorBody),
        (status = 503, description = "Storage unavailable", body = ErrorBody),
        (status = 507, description = "Disk full, nothing written", body = ErrorBody),
    ))]
pub(super) async fn set_status(
    State(state): Shared,
    Path(key_id): Path<String>,
    headers: HeaderMap,
    bytes: Bytes,
) -> Result<Json<IssuerKey>> {
    let auth = authorization(&headers);
    blocking(move || {
        let grant = authorize::<act::ManageIssuerKeys>(&principal(&state, auth.as_deref())?)?;
        let id = IssuerKeyId::parse_hex(&key_id)?;
        let req: IssuerKeyStatusRequest = parse_json(&bytes)?;
        let status = IssuerStatus::parse(&req.status)?;
        Ok(Json(registry::set_issuer_key_status(
            &state.store,
            &grant,
            id,
            status,
        )?))
    })
    .await
}
