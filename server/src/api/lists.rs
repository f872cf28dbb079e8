//! The public routes every verifier and client uses without an account: health, the root key,
//! the signed trust list (or its JSON view) and the revocation list, full or as a delta. Lists
//! are answered from memory as published ([`crate::publication`]), with an ETag (an unchanged
//! list costs a 304) and `Cache-Control: public, max-age` so an HTTP cache in front can answer
//! for the server.

use asxh_api::schema::SignedList;
use asxh_api::{ErrorBody, Health, RootKey, SinceQuery, TrustListJson};
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;

use crate::clock;
use crate::error::{Result, ServerError};
use crate::publication::{self, DeltaRefused, Published, Stamp};
use crate::publish;
use crate::state::{blocking, AppState, Shared};

/// The content type of the signed trust list.
pub const TRUST_LIST_TYPE: &str = "application/vnd.asxh.trust-list";
/// The content type of the signed revocation list and its deltas.
pub const REVOCATION_LIST_TYPE: &str = "application/vnd.asxh.revocation-list";

/// The server answers, and the lists' current versions.
#[utoipa::path(get, path = "/healthz", tag = "lists",
    responses(
        (status = 200, description = "Up", body = Health),
        (status = 503, description = "Storage unavailable", body = ErrorBody),
    ))]
pub(super) async fn healthz(State(state): Shared) -> Result<Json<Health>> {
    let s = state.clone();
    blocking(move || {
        s.store
            .read(|c| Ok(c.query_row("SELECT 1", [], |_| Ok(()))?))
    })
    .await?;
    state.store.lists().settled().await;
    let version = |name| {
        state
            .store
            .lists()
            .current(name)
            .map_or(0, |p| p.stamp.version)
    };
    Ok(Json(Health {
        status: "ok".into(),
        trust_list_version: version(publish::TRUST_LIST),
        revocation_list_version: version(publish::REVOCATION_LIST),
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

/// How long an HTTP cache may keep `stamp`'s list: the server's `max_age`, never past the list's
/// `next_update` (SPEC.md §15.2).
fn cache_control(state: &AppState, stamp: Stamp) -> HeaderValue {
    let max_age = state.store.lists().options().max_age.as_secs();
    let left = stamp.next_update.saturating_sub(clock::now().max(0) as u64);
    HeaderValue::from_str(&format!("public, max-age={}", max_age.min(left)))
        .unwrap_or_else(|_| HeaderValue::from_static("no-cache"))
}

/// A signed list as the answer: `304` to a matching `If-None-Match`, else the bytes; either way
/// with its ETag and Cache-Control.
pub(super) fn answer(
    state: &AppState,
    headers: &HeaderMap,
    list: &Published,
    content_type: &'static str,
    vary_accept: bool,
) -> Response {
    let mut r = if etag_matches(headers, &list.etag) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        (
            [(header::CONTENT_TYPE, HeaderValue::from_static(content_type))],
            list.bytes.clone(),
        )
            .into_response()
    };
    let h = r.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&list.etag) {
        h.insert(header::ETAG, v);
    }
    h.insert(header::CACHE_CONTROL, cache_control(state, list.stamp));
    if vary_accept {
        h.insert(header::VARY, HeaderValue::from_static("accept"));
    }
    r
}

fn not_published(name: &str) -> ServerError {
    ServerError::Storage(format!("the {name} is not published yet; retry"))
}

/// The current trust list, signed by the root key (SPEC.md §14); its JSON view with
/// `Accept: application/json`. Answers 304 to a matching `If-None-Match`.
#[utoipa::path(get, path = "/v1/trust-list", tag = "lists",
    responses(
        (status = 200, description = "The signed trust list (ETag, Cache-Control: public, max-age; Vary: accept)",
            content((SignedList = "application/vnd.asxh.trust-list"), (TrustListJson = "application/json"))),
        (status = 304, description = "Unchanged since the ETag given"),
        (status = 503, description = "Not published yet (the server is starting)", body = ErrorBody),
    ))]
pub(super) async fn trust_list(State(state): Shared, headers: HeaderMap) -> Result<Response> {
    let wants_json = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("application/json"));
    let signed = state
        .store
        .lists()
        .current(publish::TRUST_LIST)
        .ok_or_else(|| not_published("trust list"))?;
    if !wants_json {
        return Ok(answer(&state, &headers, &signed, TRUST_LIST_TYPE, true));
    }
    let s = state.clone();
    let json = blocking(move || s.trust_json(&signed)).await?;
    Ok(answer(&state, &headers, &json, "application/json", true))
}

/// The current revocation list signed by the list key (SPEC.md §15): full, or the delta since
/// `since`, carrying every revocation acknowledged before the request (it waits for their
/// batch's publication). Answers 304 to a matching `If-None-Match`.
#[utoipa::path(get, path = "/v1/revocation-list", tag = "lists", params(SinceQuery),
    responses(
        (status = 200, description = "The signed revocation list or delta (ETag, Cache-Control: public, max-age)",
            content((SignedList = "application/vnd.asxh.revocation-list"))),
        (status = 304, description = "Unchanged since the ETag given"),
        (status = 409, description = "`since` is not a version this server published within the retention, or is above the current one (`unknown_base_version`): take the full list", body = ErrorBody),
        (status = 422, description = "`since` is not a version number", body = ErrorBody),
        (status = 503, description = "Not published yet (the server is starting)", body = ErrorBody),
    ))]
pub(super) async fn revocation_list(
    State(state): Shared,
    headers: HeaderMap,
    Query(q): Query<SinceQuery>,
) -> Result<Response> {
    let since = parse_since(&q)?;
    state.store.lists().settled().await;
    let list = current_or_delta(&state, publish::REVOCATION_LIST, since, "revocation list").await?;
    Ok(answer(&state, &headers, &list, REVOCATION_LIST_TYPE, false))
}

/// The `since` of a list request, a version number.
pub(super) fn parse_since(q: &SinceQuery) -> Result<Option<u64>> {
    q.since
        .as_deref()
        .map(|s| {
            s.parse::<u64>().map_err(|_| {
                ServerError::invalid("since", format!("{s:?} is not a version number"))
            })
        })
        .transpose()
}

/// The list `name` as published (`what` names it in the error while it is not): full, or the
/// delta since `since` (409 `unknown_base_version` for a base the server does not know).
pub(super) async fn current_or_delta(
    state: &std::sync::Arc<AppState>,
    name: &str,
    since: Option<u64>,
    what: &str,
) -> Result<std::sync::Arc<Published>> {
    let lists = state.store.lists();
    match since {
        None => lists.current(name).ok_or_else(|| not_published(what)),
        Some(base) => match lists.cached_delta(name, base) {
            Some(hit) => Ok(hit),
            None => {
                let s = state.clone();
                let name = name.to_owned();
                blocking(move || {
                    s.store
                        .lists()
                        .delta(&s.store, &name, base)
                        .map_err(|refused| match refused {
                            DeltaRefused::UnknownBase { base, current } => {
                                ServerError::UnknownBaseVersion(format!(
                                    "version {base} is not one this server published within the last {} days (the current version is {current}); fetch the full list",
                                    publication::RETENTION.as_secs() / 86_400
                                ))
                            }
                            DeltaRefused::Failed(e) => e,
                        })
                })
                .await
            }
        },
    }
}
