//! The public routes every verifier and client uses without an account: health, the root key,
//! the signed trust list (or its JSON view) and the revocation list, full or as a delta, with
//! ETags so an unchanged list costs a 304.

use asxh_api::schema::SignedList;
use asxh_api::{ErrorBody, Health, RootKey, SinceQuery, TrustListJson};
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;

use crate::error::{Result, ServerError};
use crate::publish;
use crate::state::{blocking, Shared};

/// The server answers, and the lists' current versions.
#[utoipa::path(get, path = "/healthz", tag = "lists",
    responses(
        (status = 200, description = "Up", body = Health),
        (status = 503, description = "Storage unavailable", body = ErrorBody),
    ))]
pub(super) async fn healthz(State(state): Shared) -> Result<Json<Health>> {
    let s = state.clone();
    let (tl, rl) = blocking(move || {
        s.store.read(|c| {
            Ok((
                publish::trust_list_version(c)?,
                publish::revocation_version(c)?,
            ))
        })
    })
    .await?;
    Ok(Json(Health {
        status: "ok".into(),
        trust_list_version: tl,
        revocation_list_version: rl,
    }))
}

/// The root public key, which verifiers store after checking its fingerprint against the one
/// they pinned (SPEC.md §14).
#[utoipa::path(get, path = "/v1/root-key", tag = "lists",
    responses((status = 200, description = "The root key", body = RootKey)))]
pub(super) async fn root_key(State(state): Shared) -> Result<Json<RootKey>> {
    let key = blocking(move || state.store.root_key()).await?;
    let public = key.verifying_key();
    Ok(Json(RootKey {
        public_key_hex: hex::encode(asxh_core::signature::public_key_bytes(public)),
        fingerprint: asxh_core::signature::fingerprint(public),
    }))
}

fn etag_matches(headers: &HeaderMap, etag: &str) -> bool {
    headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"))
}

fn with_etag(etag: &str, response: impl IntoResponse) -> Response {
    let mut r = response.into_response();
    if let Ok(v) = HeaderValue::from_str(etag) {
        r.headers_mut().insert(header::ETAG, v);
    }
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    r
}

fn not_modified(etag: &str) -> Response {
    with_etag(etag, StatusCode::NOT_MODIFIED)
}

/// The current trust list, signed by the root key (SPEC.md §14); its JSON view with
/// `Accept: application/json`. Answers 304 to a matching `If-None-Match`.
#[utoipa::path(get, path = "/v1/trust-list", tag = "lists",
    responses(
        (status = 200, description = "The signed trust list",
            content((SignedList = "application/vnd.asxh.trust-list"), (TrustListJson = "application/json"))),
        (status = 304, description = "Unchanged since the ETag given"),
    ))]
pub(super) async fn trust_list(State(state): Shared, headers: HeaderMap) -> Result<Response> {
    let wants_json = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("application/json"));
    let (signed, json) = blocking(move || publish::trust_list(&state.store, &state.cache)).await?;
    let etag = format!(
        "\"tl-{}{}\"",
        signed.version,
        if wants_json { "-json" } else { "" }
    );
    if etag_matches(&headers, &etag) {
        return Ok(not_modified(&etag));
    }
    Ok(if wants_json {
        with_etag(&etag, Json((*json).clone()))
    } else {
        with_etag(
            &etag,
            (
                [(header::CONTENT_TYPE, "application/vnd.asxh.trust-list")],
                (*signed.bytes).clone(),
            ),
        )
    })
}

/// The current revocation list signed by the list key (SPEC.md §15): full, or the delta since
/// `since`. Answers 304 to a matching `If-None-Match`.
#[utoipa::path(get, path = "/v1/revocation-list", tag = "lists", params(SinceQuery),
    responses(
        (status = 200, description = "The signed revocation list or delta",
            content((SignedList = "application/vnd.asxh.revocation-list"))),
        (status = 304, description = "Unchanged since the ETag given"),
        (status = 422, description = "`since` is not a version, or newer than the list", body = ErrorBody),
    ))]
pub(super) async fn revocation_list(
    State(state): Shared,
    headers: HeaderMap,
    Query(q): Query<SinceQuery>,
) -> Result<Response> {
    let since = q
        .since
        .as_deref()
        .map(|s| {
            s.parse::<u64>().map_err(|_| {
                ServerError::invalid("since", format!("{s:?} is not a version number"))
            })
        })
        .transpose()?;
    // Fast path: the current version alone decides a 304, without building anything.
    let s = state.clone();
    let version = blocking(move || s.store.read(publish::revocation_version)).await?;
    let etag = match since {
        Some(b) => format!("\"rl-{b}-{version}\""),
        None => format!("\"rl-{version}\""),
    };
    if etag_matches(&headers, &etag) {
        return Ok(not_modified(&etag));
    }
    let signed =
        blocking(move || publish::revocation_list(&state.store, &state.cache, since)).await?;
    let etag = match since {
        Some(b) => format!("\"rl-{b}-{}\"", signed.version),
        None => format!("\"rl-{}\"", signed.version),
    };
    Ok(with_etag(
        &etag,
        (
            [(header::CONTENT_TYPE, "application/vnd.asxh.revocation-list")],
            (*signed.bytes).clone(),
        ),
    ))
}
