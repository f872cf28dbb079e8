//! The HTTP API (axum). Handlers parse and authorize, then run the registry or publishing call
//! on a blocking thread (SQLite and signing are synchronous). Errors are JSON
//! `{"error": {"code", "message", "field"}}` with a fitting status; bodies over
//! [`MAX_BODY`] bytes get 413.

use std::net::SocketAddr;
use std::sync::Arc;

use asxh_core::lists::RevocationReason;
use asxh_core::{CardSerial, Ssn};
use axum::body::{Body, Bytes};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::json;

use crate::auth::{self, Account, Role};
use crate::error::{Result, ServerError};
use crate::publish::{self, Cache};
use crate::registry::{self, IssueRequest, RevocationTarget};
use crate::{audit, Store};

/// Largest request body accepted.
pub const MAX_BODY: usize = 64 * 1024;
/// How much of a too-large body is read and thrown away before answering 413.
const DRAIN_LIMIT: usize = 4 * 1024 * 1024;

/// What the handlers share.
pub struct AppState {
    pub store: Store,
    pub cache: Cache,
    /// The console's logged-in sessions.
    pub sessions: crate::console::Sessions,
    /// Whether cookies get the `Secure` attribute (the server speaks TLS).
    pub secure_cookies: bool,
}

impl AppState {
    pub fn new(store: Store, secure_cookies: bool) -> Self {
        AppState {
            store,
            cache: Cache::default(),
            sessions: crate::console::Sessions::default(),
            secure_cookies,
        }
    }
}

type Shared = State<Arc<AppState>>;

/// The router of the whole API.
pub fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/v1/cards", post(issue).get(cards_by_ssn))
        .route("/v1/cards/{serial}", get(card))
        .route(
            "/v1/cards/{serial}/activate",
            post(
                |State(s): Shared, h: HeaderMap, Path(serial): Path<String>, b: Body| {
                    finish(s, h, serial, b, true)
                },
            ),
        )
        .route(
            "/v1/cards/{serial}/void",
            post(
                |State(s): Shared, h: HeaderMap, Path(serial): Path<String>, b: Body| {
                    finish(s, h, serial, b, false)
                },
            ),
        )
        .route("/v1/revocations", post(revoke))
        .route("/v1/root-key", get(root_key))
        .route("/v1/trust-list", get(trust_list))
        .route("/v1/revocation-list", get(revocation_list))
        .route("/v1/audit", get(audit_log))
        .merge(crate::console::router())
        .fallback(|| async { ServerError::NotFound("no such route".into()) })
        .with_state(state)
}

pub(crate) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T> + Send + 'static,
) -> Result<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| ServerError::Setup(format!("worker failed: {e}")))?
}

fn authorization(headers: &HeaderMap) -> Option<String> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

fn account(state: &AppState, authorization: Option<&str>) -> Result<Account> {
    state.store.read(|c| auth::authenticate(c, authorization))
}

/// Reads a request body of at most [`MAX_BODY`] bytes. A longer one is still read (up to
/// [`DRAIN_LIMIT`]) and discarded before the 413 goes out, so the client, which is usually still
/// sending, reads the 413 instead of a reset connection.
pub(crate) async fn read_body(body: Body) -> Result<Bytes> {
    use http_body_util::BodyExt;
    let mut body = body;
    let mut data = Vec::new();
    let mut seen = 0usize;
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|e| {
            ServerError::MalformedJson(format!("request body could not be read: {e}"))
        })?;
        if let Ok(chunk) = frame.into_data() {
            seen += chunk.len();
            if seen > DRAIN_LIMIT {
                break;
            }
            if seen <= MAX_BODY {
                data.extend_from_slice(&chunk);
            }
        }
    }
    if seen > MAX_BODY {
        return Err(ServerError::TooLarge(MAX_BODY));
    }
    Ok(Bytes::from(data))
}

/// Parses a JSON request body: a body that is not JSON is `malformed_json`, one whose fields
/// do not fit `T` is `invalid` naming the field.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T> {
    serde_json::from_slice(bytes).map_err(|e| match e.classify() {
        serde_json::error::Category::Data => {
            let message = e.to_string();
            let field = message.split('`').nth(1).map(str::to_owned);
            ServerError::Invalid { field, message }
        }
        _ => ServerError::MalformedJson(e.to_string()),
    })
}

fn parse_serial(text: &str) -> Result<CardSerial> {
    CardSerial::parse(text).map_err(ServerError::from)
}

async fn healthz(State(state): Shared) -> Result<Json<serde_json::Value>> {
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
    Ok(Json(
        json!({"status": "ok", "trust_list_version": tl, "revocation_list_version": rl}),
    ))
}

async fn issue(
    State(state): Shared,
    headers: HeaderMap,
    body: Body,
) -> Result<(StatusCode, Json<registry::IssueResponse>)> {
    let bytes = read_body(body).await?;
    let auth = authorization(&headers);
    let out = blocking(move || {
        let acct = account(&state, auth.as_deref())?;
        acct.require(&[Role::Office], "issue cards")?;
        let req: IssueRequest = parse_json(&bytes)?;
        registry::issue(&state.store, &acct, &req)
    })
    .await?;
    Ok((StatusCode::CREATED, Json(out)))
}

/// `POST /v1/cards/{serial}/activate` (`activate`) or `.../void`.
async fn finish(
    state: Arc<AppState>,
    headers: HeaderMap,
    serial: String,
    body: Body,
    activate: bool,
) -> Result<Json<serde_json::Value>> {
    // The body carries nothing, but is read so the connection stays usable for the next request.
    read_body(body).await?;
    let auth = authorization(&headers);
    blocking(move || {
        let acct = account(&state, auth.as_deref())?;
        let serial = parse_serial(&serial)?;
        registry::finish(&state.store, &acct, serial, activate)?;
        Ok(Json(json!({"serial": serial.to_string(), "status": if activate { "active" } else { "void" }})))
    })
    .await
}

async fn card(
    State(state): Shared,
    headers: HeaderMap,
    Path(serial): Path<String>,
) -> Result<Json<registry::CardRecord>> {
    let auth = authorization(&headers);
    blocking(move || {
        let acct = account(&state, auth.as_deref())?;
        acct.require(&[Role::Admin, Role::Office], "look up cards")?;
        Ok(Json(registry::card(
            &state.store,
            &acct,
            parse_serial(&serial)?,
        )?))
    })
    .await
}

#[derive(Deserialize)]
struct SsnQuery {
    ssn: Option<String>,
}

async fn cards_by_ssn(
    State(state): Shared,
    headers: HeaderMap,
    Query(q): Query<SsnQuery>,
) -> Result<Json<serde_json::Value>> {
    let auth = authorization(&headers);
    blocking(move || {
        let acct = account(&state, auth.as_deref())?;
        acct.require(&[Role::Admin, Role::Office], "look up cards")?;
        let ssn = Ssn::parse(
            q.ssn
                .as_deref()
                .ok_or_else(|| ServerError::invalid("ssn", "the query needs ?ssn="))?,
        )?;
        Ok(Json(
            json!({"cards": registry::cards_of(&state.store, &acct, ssn)?}),
        ))
    })
    .await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RevocationRequest {
    serial: Option<String>,
    ssn: Option<String>,
    reason: String,
}

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

async fn revoke(
    State(state): Shared,
    headers: HeaderMap,
    body: Body,
) -> Result<(StatusCode, Json<serde_json::Value>)> {
    let bytes = read_body(body).await?;
    let auth = authorization(&headers);
    blocking(move || {
        let acct = account(&state, auth.as_deref())?;
        acct.require(&[Role::Admin], "revoke cards")?;
        let (target, reason) = parse_revocation_request(&bytes)?;
        let (version, serials) = registry::revoke(
            &state.store,
            Some(acct.area.clone()),
            acct.actor(),
            target,
            reason,
        )?;
        let serials: Vec<String> = serials.iter().map(ToString::to_string).collect();
        Ok((
            StatusCode::CREATED,
            Json(json!({"list_version": version, "revoked": serials, "reason": reason.as_str()})),
        ))
    })
    .await
}

/// The root public key, which verifiers store after checking its fingerprint against the one
/// they pinned (SPEC.md §14).
async fn root_key(State(state): Shared) -> Result<Json<serde_json::Value>> {
    let key = blocking(move || state.store.root_key()).await?;
    let public = key.verifying_key();
    Ok(Json(json!({
        "public_key_hex": hex::encode(asxh_core::signature::public_key_bytes(public)),
        "fingerprint": asxh_core::signature::fingerprint(public),
    })))
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

async fn trust_list(State(state): Shared, headers: HeaderMap) -> Result<Response> {
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

#[derive(Deserialize)]
struct SinceQuery {
    since: Option<String>,
}

async fn revocation_list(
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

#[derive(Deserialize)]
struct AuditQuery {
    after: Option<i64>,
    limit: Option<i64>,
}

async fn audit_log(
    State(state): Shared,
    headers: HeaderMap,
    Query(q): Query<AuditQuery>,
) -> Result<Json<serde_json::Value>> {
    let auth = authorization(&headers);
    blocking(move || {
        let acct = account(&state, auth.as_deref())?;
        acct.require(&[Role::Admin, Role::Auditor], "read the audit log")?;
        let rows = state.store.read(|c| {
            audit::rows(
                c,
                q.after.unwrap_or(0),
                q.limit.unwrap_or(1000).clamp(1, 10_000),
            )
        })?;
        Ok(Json(json!({"rows": rows})))
    })
    .await
}

/// TLS certificate and key files (PEM).
pub struct Tls {
    pub cert: std::path::PathBuf,
    pub key: std::path::PathBuf,
}

/// A server running on a thread of this process (for the demo and embedding): stop it with
/// [`Background::stop`].
pub struct Background {
    pub addr: SocketAddr,
    handle: axum_server::Handle,
    thread: std::thread::JoinHandle<std::io::Result<()>>,
}

impl Background {
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops accepting, lets requests in flight finish, and waits for the thread.
    pub fn stop(self) {
        self.handle
            .graceful_shutdown(Some(std::time::Duration::from_secs(5)));
        let _ = self.thread.join();
    }
}

/// Serves the API on `listen` (port 0: any free port) on a background thread.
pub fn serve_in_background(store: Store, listen: SocketAddr) -> anyhow::Result<Background> {
    let state = Arc::new(AppState::new(store, false));
    let listener = std::net::TcpListener::bind(listen)?;
    listener.set_nonblocking(true)?;
    let addr = listener.local_addr()?;
    let handle = axum_server::Handle::new();
    let server_handle = handle.clone();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let thread = std::thread::spawn(move || {
        runtime.block_on(
            axum_server::from_tcp(listener)
                .handle(server_handle)
                .serve(router(state).into_make_service()),
        )
    });
    Ok(Background {
        addr,
        handle,
        thread,
    })
}

/// Serves the API on `listen` until Ctrl-C or SIGTERM. Prints the bound address (useful with
/// port 0) on stdout before accepting connections.
pub async fn serve(store: Store, listen: SocketAddr, tls: Option<Tls>) -> anyhow::Result<()> {
    let state = Arc::new(AppState::new(store, tls.is_some()));
    let app = router(state).layer(tower_http::trace::TraceLayer::new_for_http());
    let listener = std::net::TcpListener::bind(listen)?;
    listener.set_nonblocking(true)?;
    let addr = listener.local_addr()?;
    let handle = axum_server::Handle::new();
    let shutdown = handle.clone();
    tokio::spawn(async move {
        shutdown_signal().await;
        shutdown.graceful_shutdown(Some(std::time::Duration::from_secs(10)));
    });
    match tls {
        Some(t) => {
            let config =
                axum_server::tls_rustls::RustlsConfig::from_pem_file(&t.cert, &t.key).await?;
            println!("listening on https://{addr}");
            axum_server::from_tcp_rustls(listener, config)
                .handle(handle)
                .serve(app.into_make_service())
                .await?;
        }
        None => {
            println!("listening on http://{addr}");
            axum_server::from_tcp(listener)
                .handle(handle)
                .serve(app.into_make_service())
                .await?;
        }
    }
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    let mut term = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
        Ok(s) => s,
        Err(_) => return ctrl_c.await.unwrap_or(()),
    };
    tokio::select! {
        _ = ctrl_c => {},
        _ = term.recv() => {},
    }
}
