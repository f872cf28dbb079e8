//! The payment points' routes (issue #19): `PUT /v1/payment-points/{code}/key` registers the
//! key a point signs its fallback receipts with (binding the code to the account on first use),
//! and `POST /v1/payments` uploads up to 100 receipts, each answered with what became of it.

use asxh_api::payments::{PaymentResults, PaymentUpload, PointKey, PointKeyRequest};
use asxh_api::ErrorBody;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;

use super::{authorization, parse_json, principal};
use crate::error::{Result, ServerError};
use crate::payments::{self, points, Registration};
use crate::policy::{act, authorize};
use crate::state::{blocking, Shared};

/// JSON that does not fit the body of a payment route: 400 naming the field.
fn body<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T> {
    parse_json(bytes).map_err(|e| match e {
        ServerError::Invalid { field, message } => ServerError::BadRequest { field, message },
        other => other,
    })
}

/// Register the key of payment point `code`. The first key binds the code to the calling
/// payment-point account (the point's area is the account's); the same key again changes
/// nothing; another key is a rotation, the old key kept as retired so the receipts it signed
/// still verify. Audited.
#[utoipa::path(put, path = "/v1/payment-points/{code}/key", tag = "payments", request_body = PointKeyRequest,
    params(("code" = String, Path, description = "The point's code: 2 to 16 of A-Z 0-9 - _ (upper-cased)")),
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The code's first key: bound to this account", body = PointKey),
        (status = 200, description = "The same key again, or a rotation", body = PointKey),
        (status = 400, description = "Not a point code, not a P-256 key, or not JSON", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "Not a payment-point account", body = ErrorBody),
        (status = 409, description = "The code is bound to another account, or the key was retired before", body = ErrorBody),
        (status = 503, description = "Storage unavailable", body = ErrorBody),
    ))]
pub(super) async fn register_key(
    State(state): Shared,
    headers: HeaderMap,
    Path(code): Path<String>,
    bytes: Bytes,
) -> Result<(StatusCode, Json<PointKey>)> {
    let auth = authorization(&headers);
    blocking(move || {
        let grant = authorize::<act::RecordPayments>(&principal(&state, auth.as_deref())?)?;
        let code = points::parse_code(&code)?;
        let req: PointKeyRequest = body(&bytes)?;
        let key = points::parse_key(&req.public_key_hex)?;
        let (registration, point) = payments::register_key(&state.store, &grant, &code, &key)?;
        let status = match registration {
            Registration::Bound => StatusCode::CREATED,
            Registration::Unchanged | Registration::Rotated => StatusCode::OK,
        };
        Ok((status, Json(point)))
    })
    .await
}

/// Upload 1 to 100 payment receipts (SPEC.md §18, each its bytes in lower-case hex). Each is
/// answered, in the order sent: `recorded` (verified, its lines now paid; the roll's next
/// version marks them), `already_recorded` (sent before: uploads are idempotent),
/// `flagged` (verified and kept, but a line was paid first by the receipts in `paid_by`), or
/// `refused` with `problem.code` `malformed`, `bad_signature`, `unknown_card`,
/// `unknown_point`, `point_mismatch`, `outside_area`, `not_in_roll` or `id_reused`. Durable on
/// return.
#[utoipa::path(post, path = "/v1/payments", tag = "payments", request_body = PaymentUpload,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "One result per receipt, in the order sent", body = PaymentResults),
        (status = 400, description = "Not JSON, or no receipt or more than 100", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "Not a payment-point account", body = ErrorBody),
        (status = 413, description = "Body over 128 KiB", body = ErrorBody),
        (status = 503, description = "Storage unavailable", body = ErrorBody),
        (status = 507, description = "Disk full, nothing written", body = ErrorBody),
    ))]
pub(super) async fn upload(
    State(state): Shared,
    headers: HeaderMap,
    bytes: Bytes,
) -> Result<Json<PaymentResults>> {
    let auth = authorization(&headers);
    blocking(move || {
        let grant = authorize::<act::RecordPayments>(&principal(&state, auth.as_deref())?)?;
        let req: PaymentUpload = body(&bytes)?;
        let results = payments::upload(&state.store, &grant, &req.receipts)?;
        Ok(Json(PaymentResults { results }))
    })
    .await
}
