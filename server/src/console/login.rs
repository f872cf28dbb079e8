//! Logging in and out, the language switch and the style sheet. Log-in is throttled
//! ([`crate::throttle`]): failed tries per client address, successful ones (each audited) per
//! account.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use axum::extract::ConnectInfo;

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde::Deserialize;

use super::cookies::{
    cookie_value, lang_of, set_cookie, LANG_COOKIE, LOGIN_COOKIE, SESSION_COOKIE,
};
use super::ctx::Ctx;
use super::page::{self, Lang, Notice};
use super::problem::{bare_page, problem_page};
use super::views;
use crate::audit;
use crate::auth;
use crate::error::ServerError;
use crate::policy::{act, authorize, Principal};
use crate::sessions::{random_token, same_token};
use crate::state::{blocking, AppState, Shared};

pub(super) async fn style() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "max-age=3600"),
        ],
        page::STYLE,
    )
        .into_response()
}

#[derive(Deserialize)]
pub(super) struct NextQuery {
    next: Option<String>,
}

/// Sets the language cookie and goes back to the console page the switch was on.
pub(super) async fn switch_language(
    State(state): Shared,
    Path(code): Path<String>,
    Query(q): Query<NextQuery>,
) -> Response {
    let lang = Lang::parse(&code);
    // Only a console path, never another site (no open redirect).
    let next = q
        .next
        .filter(|n| n.starts_with("/console/") && !n.contains("//") && !n.contains('\\'))
        .unwrap_or_else(|| "/console/".into());
    let mut response = Redirect::to(&next).into_response();
    let (name, value) = set_cookie(LANG_COOKIE, lang.code().into(), state.secure_cookies, false);
    response.headers_mut().append(name, value);
    response
}

/// The log-in page, with a fresh double-submit token in a cookie and in the form.
fn login_form(state: &AppState, lang: Lang, status: StatusCode, problem: Option<&str>) -> Response {
    let token = random_token();
    let mut r = bare_page(
        lang,
        status,
        lang.t("Đăng nhập", "Log in"),
        problem.map(Notice::Problem),
        views::login(lang, &token),
    );
    let (name, value) = set_cookie(LOGIN_COOKIE, token, state.secure_cookies, false);
    r.headers_mut().append(name, value);
    r
}

pub(super) async fn login_page(State(state): Shared, headers: HeaderMap) -> Response {
    login_form(&state, lang_of(&headers), StatusCode::OK, None)
}

#[derive(Deserialize)]
pub(super) struct LoginForm {
    token: Option<String>,
    csrf: Option<String>,
}

/// The log-in page again with 429 and how long to wait.
fn wait_page(state: &AppState, lang: Lang, text: (&str, &str), wait: Duration) -> Response {
    let seconds = wait.as_secs().max(1);
    let text = format!(
        "{} {seconds} {}",
        lang.t(text.0, text.1),
        lang.t("giây.", "seconds.")
    );
    let mut r = login_form(state, lang, StatusCode::TOO_MANY_REQUESTS, Some(&text));
    if let Ok(v) = seconds.to_string().parse() {
        r.headers_mut().insert(header::RETRY_AFTER, v);
    }
    r
}

/// What a log-in with a valid token came to.
enum LoggedIn {
    Yes(crate::auth::Account),
    /// The account logged in too often: wait this long.
    TooOften(Duration),
}

pub(super) async fn login(
    State(state): Shared,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Response {
    let lang = lang_of(&headers);
    let client = crate::throttle::client_address(
        peer.ip(),
        headers.get("x-forwarded-for").and_then(|v| v.to_str().ok()),
        &state.trusted_proxies,
    );
    if let Err(wait) = state.login.by_address.check(&client, Instant::now()) {
        return wait_page(
            &state,
            lang,
            (
                "Quá nhiều lần đăng nhập sai từ máy này. Hãy thử lại sau",
                "Too many failed log-ins from this computer. Try again in",
            ),
            wait,
        );
    }
    // Double-submit check: the form's token must equal the cookie set with the log-in page.
    let expected = cookie_value(&headers, LOGIN_COOKIE);
    if !matches!((&form.csrf, &expected), (Some(f), Some(c)) if same_token(f, c)) {
        let text = lang.t(
            "Trang đăng nhập đã hết hạn. Hãy nhập lại mã truy cập.",
            "The log-in page had expired. Enter your token again.",
        );
        return login_form(&state, lang, StatusCode::FORBIDDEN, Some(text));
    }
    let token = form.token.unwrap_or_default();
    let s = state.clone();
    let account = blocking(move || {
        let account = s
            .store
            .read(|c| auth::authenticate(c, Some(&format!("Bearer {}", token.trim()))))?;
        authorize::<act::UseConsole>(&Principal::Account(account.clone()))?;
        // Each log-in is audited: an account logging in too often waits instead.
        if let Err(wait) = s.login.by_account.take(&account.id, Instant::now()) {
            return Ok(LoggedIn::TooOften(wait));
        }
        s.store.write(|tx| {
            audit::append(
                tx,
                &account.actor(),
                "console.login",
                Some(&account.area),
                &serde_json::json!({"account": account.id}),
            )
        })?;
        Ok(LoggedIn::Yes(account))
    })
    .await;
    match account {
        Ok(LoggedIn::TooOften(wait)) => wait_page(
            &state,
            lang,
            (
                "Tài khoản này đã đăng nhập quá nhiều lần. Hãy thử lại sau",
                "This account has logged in too many times. Try again in",
            ),
            wait,
        ),
        Ok(LoggedIn::Yes(account)) => {
            let id = state.sessions.start(account.id, Instant::now());
            let mut r = Redirect::to("/console/").into_response();
            let (n1, v1) = set_cookie(SESSION_COOKIE, id, state.secure_cookies, false);
            let (n2, v2) = set_cookie(LOGIN_COOKIE, String::new(), state.secure_cookies, true);
            r.headers_mut().append(n1, v1);
            r.headers_mut().append(n2, v2);
            r
        }
        Err(ServerError::Unauthorized) => {
            // A wrong token counts against the address it came from.
            let _ = state.login.by_address.take(&client, Instant::now());
            let text = lang.t(
                "Mã truy cập không đúng hoặc đã bị khóa.",
                "The token is not recognised or has been revoked.",
            );
            login_form(&state, lang, StatusCode::UNAUTHORIZED, Some(text))
        }
        Err(ServerError::Forbidden(_)) => {
            let text = lang.t(
                "Tài khoản này không dùng được trang quản trị (điểm chi trả dùng phần mềm chi trả, không dùng trang này).",
                "This account cannot use the console (payment points use the payment software, not this console).",
            );
            login_form(&state, lang, StatusCode::FORBIDDEN, Some(text))
        }
        Err(e) => problem_page(lang, None, &e),
    }
}

#[derive(Deserialize)]
pub(super) struct CsrfForm {
    csrf: Option<String>,
}

pub(super) async fn logout(ctx: Ctx, State(state): Shared, Form(form): Form<CsrfForm>) -> Response {
    ctx.answer(
        async {
            ctx.check_form(form.csrf.as_deref())?;
            state.sessions.end(&ctx.session_id);
            let mut r = Redirect::to("/console/login").into_response();
            let (name, value) =
                set_cookie(SESSION_COOKIE, String::new(), state.secure_cookies, true);
            r.headers_mut().append(name, value);
            Ok(r)
        }
        .await,
    )
}
