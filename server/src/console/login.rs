//! Logging in and out, the language switch and the style sheet.

use std::time::Instant;

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

pub(super) async fn login(
    State(state): Shared,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Response {
    let lang = lang_of(&headers);
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
        s.store.write(|tx| {
            audit::append(
                tx,
                &account.actor(),
                "console.login",
                &serde_json::json!({"account": account.id}),
            )
        })?;
        Ok(account)
    })
    .await;
    match account {
        Ok(account) => {
            let id = state.sessions.start(account.id, Instant::now());
            let mut r = Redirect::to("/console/").into_response();
            let (n1, v1) = set_cookie(SESSION_COOKIE, id, state.secure_cookies, false);
            let (n2, v2) = set_cookie(LOGIN_COOKIE, String::new(), state.secure_cookies, true);
            r.headers_mut().append(n1, v1);
            r.headers_mut().append(n2, v2);
            r
        }
        Err(ServerError::Unauthorized) => {
            let text = lang.t(
                "Mã truy cập không đúng hoặc đã bị khóa.",
                "The token is not recognised or has been revoked.",
            );
            login_form(&state, lang, StatusCode::UNAUTHORIZED, Some(text))
        }
        Err(ServerError::Forbidden(_)) => {
            let text = lang.t(
                "Tài khoản này không dùng được trang quản trị (chỉ quản trị viên và điểm cấp thẻ).",
                "This account cannot use the console (administrators and issuing offices only).",
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
