//! `POST /v1/revocations`: an administrator revokes a card, or every live card of an SSN,
//! within their area.

use asxh_api::{ErrorBody, RevocationRequest, RevocationResponse};
use asxh_core::lists::RevocationReason;
use asxh_core::Ssn;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::Json;

use super::cards::parse_serial;
use super::{authorization, parse_json, principal};
use crate::error::{Result, ServerError};
use crate::policy::{act, authorize};
use crate::registry::{self, RevocationTarget};
use crate::state::{blocking, Shared};

/// Parses and checks the body of `POST /v1/revocations`: what to revoke and why.
pub fn parse_revocation_request(bytes: &[u8]) -> Result<(RevocationTarget, RevocationReason)> {
    let req: RevocationRequest = parse_json(bytes)?;
    let target = match (&req.serial, &req.ssn) {
        (Some(s), None) => RevocationTarget::Serial(parse_serial(s)?),
        (None, Some(n)) => RevocationTarget::Ssn(Ssn::parse(n)?),
        _ => {
            return Err(ServerError::invalid(
                "serial",
                "give exactly one of serial or ssn",
            ))
        }
    };
    let reason = RevocationReason::parse(&req.reason)?;
    Ok((target, reason))
}

/// Revoke a card, or every live card of an SSN, within the caller's area. Durable on return;
/// the next revocation list carries it.
#[utoipa::path(post, path = "/v1/revocations", tag = "revocations", request_body = RevocationRequest,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Revoked", body = RevocationResponse),
        (status = 400, description = "The body is not JSON", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "Not an admin account", body = ErrorBody),
        (status = 404, description = "No such card within the caller's area, or the SSN has no live card there (a card outside it is answered the same way)", body = ErrorBody),
        (status = 409, description = "Already revoked, or voided", body = ErrorBody),
        (status = 413, description = "Body over 64 KiB", body = ErrorBody),
        (status = 422, description = "A field is wrong; `field` names it", body = ErrorBody),
        (status = 503, description = "Storage unavailable", body = ErrorBody),
        (status = 507, description = "Disk full, nothing written", body = ErrorBody),
    ))]
pub(super) async fn revoke(
    State(state): Shared,
    headers: HeaderMap,
    bytes: Bytes,
) -> Result<(StatusCode, Json<RevocationResponse>)> {
    let auth = authorization(&headers);
    blocking(move || {
        let grant = authorize::<act::RevokeCards>(&principal(&state, auth.as_deref())?)?;
        let (target, reason) = parse_revocation_request(&bytes)?;
        let (version, serials) = registry::revoke(&state.store, &grant, target, reason)?;
        Ok((
            StatusCode::CREATED,
            Json(RevocationResponse {
                list_version: version,
                revoked: serials.iter().map(ToString::to_string).collect(),
                reason: reason.as_str().to_owned(),
            }),
        ))
    })
    .await
}
