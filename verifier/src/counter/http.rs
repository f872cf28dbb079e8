//! The counter page's HTTP side (axum on a thread of its own): the page, its script and style,
//! the state, and the two requests that pay, each behind [`super::guard`].

use std::sync::Arc;

use asxh_text::{Lang, Msg};
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;

use super::{ask_loop, guard, Answer, Ask, Shared, TOKEN_HEADER};

const PAGE: &str = include_str!("page.html");
const SCRIPT: &str = include_str!("counter.js");
const STYLE: &str = include_str!("counter.css");

/// The page's placeholders (`{{Name}}`) and the catalogue texts that fill them.
const TEXTS: &[(&str, Msg)] = &[
    ("Title", Msg::CounterTitle),
    ("InsertCard", Msg::CounterInsertCard),
    ("Reading", Msg::CounterReading),
    ("OtherLanguage", Msg::CounterOtherLanguage),
    ("HolderHeading", Msg::CounterHolderHeading),
    ("HolderName", Msg::HolderName),
    ("HolderIdNumber", Msg::HolderIdNumber),
    ("HolderDateOfBirth", Msg::HolderDateOfBirth),
    ("NoLines", Msg::CounterNoLines),
    ("ColumnTick", Msg::CounterColumnTick),
    ("ColumnWhat", Msg::CounterColumnWhat),
    ("ColumnAmount", Msg::CounterColumnAmount),
    ("ColumnState", Msg::CounterColumnState),
    ("ColumnCollector", Msg::CounterColumnCollector),
    ("CollectorLabel", Msg::CounterCollectorLabel),
    ("IdNumberLabel", Msg::CounterIdNumberLabel),
    ("PayButton", Msg::CounterPayButton),
    ("Paying", Msg::CounterPaying),
    ("Print", Msg::CounterPrint),
    ("FallbackHeading", Msg::CounterFallbackHeading),
    ("FallbackReason", Msg::CounterFallbackReason),
    ("FallbackChipUnreadable", Msg::FallbackChipUnreadable),
    ("FallbackCardNotPresented", Msg::FallbackCardNotPresented),
    ("FallbackSsn", Msg::CounterFallbackSsn),
    ("FallbackQr", Msg::CounterFallbackQr),
    ("FallbackIdChecked", Msg::CounterFallbackIdChecked),
    ("FallbackButton", Msg::CounterFallbackButton),
    ("IdNeeded", Msg::CounterIdNeeded),
    ("NothingTicked", Msg::CounterNothingTicked),
];

/// Serves the page on `listener` until the process ends.
pub(super) fn run(listener: std::net::TcpListener, shared: Arc<Shared>) {
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            tracing::error!(error = %e, "{}", asxh_text::logs::text(asxh_text::Msg::LogCounterRuntime));
            return;
        }
    };
    runtime.block_on(async move {
        let app = Router::new()
            .route("/", get(page))
            .route("/counter.js", get(script))
            .route("/counter.css", get(style))
            .route("/state", get(state))
            .route("/pay", post(pay))
            .route("/fallback", post(fallback))
            .fallback(not_found)
            .with_state(shared);
        let served = listener
            .set_nonblocking(true)
            .and_then(|()| tokio::net::TcpListener::from_std(listener));
        match served {
            Ok(listener) => {
                if let Err(e) = axum::serve(listener, app).await {
                    tracing::error!(error = %e, "{}", asxh_text::logs::text(asxh_text::Msg::LogCounterStopped));
                }
            }
            Err(e) => tracing::error!(error = %e, "{}", asxh_text::logs::text(asxh_text::Msg::LogCounterListener)),
        }
    });
}

#[derive(Deserialize)]
struct LangQuery {
    lang: Option<String>,
}

fn lang_of(shared: &Shared, q: &LangQuery) -> Lang {
    match q.lang.as_deref() {
        Some("en") => Lang::En,
        Some("vi") => Lang::Vi,
        _ => shared.lang,
    }
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// Runs [`guard`] on the request's headers.
fn check(shared: &Shared, headers: &HeaderMap, changes: bool, lang: Lang) -> Result<(), Answer> {
    guard(
        shared,
        header(headers, "host"),
        header(headers, "origin"),
        header(headers, TOKEN_HEADER),
        changes,
        lang,
    )
}

/// A response no other site may frame, cache or sniff.
fn with_headers(mut response: Response, content_type: &'static str) -> Response {
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
        ),
    );
    response
}

fn answer(a: Answer) -> Response {
    let status = StatusCode::from_u16(a.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    with_headers(
        (status, a.body.to_string()).into_response(),
        "application/json; charset=utf-8",
    )
}

/// `&`, `<`, `>`, `"` and `'` written as entities.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The page in `lang`, with the run's token.
pub(super) fn page_text(shared: &Shared, lang: Lang) -> String {
    let mut page = PAGE
        .replace("{{lang}}", lang.code())
        .replace(
            "{{other}}",
            match lang {
                Lang::Vi => "en",
                Lang::En => "vi",
            },
        )
        .replace("{{token}}", &shared.token);
    for (name, msg) in TEXTS {
        page = page.replace(&format!("{{{{{name}}}}}"), &escape(lang.text(*msg)));
    }
    page
}

async fn page(
    State(shared): State<Arc<Shared>>,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
) -> Response {
    let lang = lang_of(&shared, &q);
    if let Err(a) = check(&shared, &headers, false, lang) {
        return answer(a);
    }
    with_headers(
        page_text(&shared, lang).into_response(),
        "text/html; charset=utf-8",
    )
}

async fn script(State(shared): State<Arc<Shared>>, headers: HeaderMap) -> Response {
    if let Err(a) = check(&shared, &headers, false, shared.lang) {
        return answer(a);
    }
    with_headers(SCRIPT.into_response(), "text/javascript; charset=utf-8")
}

async fn style(State(shared): State<Arc<Shared>>, headers: HeaderMap) -> Response {
    if let Err(a) = check(&shared, &headers, false, shared.lang) {
        return answer(a);
    }
    with_headers(STYLE.into_response(), "text/css; charset=utf-8")
}

async fn state(
    State(shared): State<Arc<Shared>>,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
) -> Response {
    let lang = lang_of(&shared, &q);
    if let Err(a) = check(&shared, &headers, false, lang) {
        return answer(a);
    }
    let view = shared.screen().view(lang);
    answer(Answer {
        status: 200,
        body: view,
    })
}

/// A request that changes something: guarded, its body read as an [`Ask`] of `kind`, handed
/// to the loop.
async fn changing(
    shared: Arc<Shared>,
    q: LangQuery,
    headers: HeaderMap,
    body: Bytes,
    kind: &'static str,
) -> Response {
    let lang = lang_of(&shared, &q);
    if let Err(a) = check(&shared, &headers, true, lang) {
        return answer(a);
    }
    let ask = serde_json::from_slice::<serde_json::Value>(&body)
        .map_err(|e| e.to_string())
        .and_then(|mut v| {
            if let Some(o) = v.as_object_mut() {
                o.insert("kind".into(), kind.into());
            }
            serde_json::from_value::<Ask>(v).map_err(|e| e.to_string())
        });
    let ask = match ask {
        Ok(a) => a,
        Err(detail) => return answer(super::bad_request(&detail, lang)),
    };
    let answered = tokio::task::spawn_blocking(move || ask_loop(&shared, ask, lang)).await;
    match answered {
        Ok(a) => answer(a),
        Err(e) => answer(super::bad_request(&e.to_string(), lang)),
    }
}

async fn pay(
    State(shared): State<Arc<Shared>>,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    changing(shared, q, headers, body, "pay").await
}

async fn fallback(
    State(shared): State<Arc<Shared>>,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    changing(shared, q, headers, body, "fallback").await
}

async fn not_found(State(shared): State<Arc<Shared>>, headers: HeaderMap) -> Response {
    let lang = shared.lang;
    if let Err(a) = check(&shared, &headers, false, lang) {
        return answer(a);
    }
    answer(Answer::refused(
        404,
        "not_found",
        lang.text(Msg::CounterNotFound).to_owned(),
    ))
}
