//! The administrators' web console under `/console/`: server-rendered pages (maud), no
//! JavaScript. Log in with an account token; the session then lives in an HttpOnly,
//! SameSite=Strict cookie ([`session`]) and every form carries the session's CSRF token, checked
//! before anything changes. Admins and issuing offices may log in; everything shown or changed is
//! limited to the account's area by the same registry calls the API uses, so the console can do
//! nothing the account's token could not.
//!
//! - [`session`]: the sessions and their expiry;
//! - [`page`]: languages, the page frame, labels, the chart;
//! - [`views`]: the content of each page.

pub mod page;
pub mod session;
pub mod views;

use std::sync::Arc;
use std::time::Instant;

use asxh_core::lists::{OfficeCode, RevocationReason};
use asxh_core::{AreaCode, CardSerial};
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use cookie::{Cookie, SameSite};
use maud::Markup;
use serde::Deserialize;

use self::page::{layout, Frame, Lang, Notice};
pub use self::session::Sessions;
use self::session::{random_token, same_token};
use self::views::{CardAction, CardExtras};
use crate::api::{blocking, AppState};
use crate::auth::{self, Account, Role};
use crate::error::ServerError;
use crate::registry::{self, RevocationTarget};
use crate::{audit, replacement, stats};

const SESSION_COOKIE: &str = "asxh_session";
const LOGIN_COOKIE: &str = "asxh_login";
const LANG_COOKIE: &str = "asxh_lang";
/// Weeks of revocations on the dashboard's chart.
const CHART_WEEKS: u32 = 12;

type Shared = State<Arc<AppState>>;

/// The console's routes (merged into the API's router).
pub fn router() -> Router<Arc<AppState>> {
    Router::new()
        .route("/console", get(|| async { Redirect::to("/console/") }))
        .route("/console/", get(dashboard))
        .route("/console/login", get(login_page).post(login))
        .route("/console/logout", post(logout))
        .route("/console/lang/{code}", get(switch_language))
        .route("/console/static/console.css", get(style))
        .route("/console/cards", get(search))
        .route("/console/cards/{serial}", get(card))
        .route(
            "/console/cards/{serial}/revoke",
            get(|ctx: Ctx, s: Shared, p: Path<String>| action_form(ctx, s, p, CardAction::Revoke))
                .post(
                    |ctx: Ctx, s: Shared, p: Path<String>, f: Form<ActionForm>| {
                        action(ctx, s, p, f, CardAction::Revoke)
                    },
                ),
        )
        .route(
            "/console/cards/{serial}/replace",
            get(|ctx: Ctx, s: Shared, p: Path<String>| action_form(ctx, s, p, CardAction::Replace))
                .post(
                    |ctx: Ctx, s: Shared, p: Path<String>, f: Form<ActionForm>| {
                        action(ctx, s, p, f, CardAction::Replace)
                    },
                ),
        )
        .route("/console/offices", get(offices).post(add_office))
        .route("/console/accounts", post(add_account))
        .route("/console/accounts/{id}/revoke", post(revoke_account))
        .layer(axum::middleware::from_fn(limit_body))
        .layer(axum::middleware::map_response(security_headers))
}

/// Headers on every console answer: no caching of pages that show personal data, no framing, no
/// scripts, forms only to this server, no referrer leaking serials or SSNs in URLs to other sites
/// (`same-origin`, not `no-referrer`: with no referrer, browsers send `Origin: null` on forms).
async fn security_headers(mut response: Response) -> Response {
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

/// Reads every request body up front: forms are small, and one over [`crate::api::MAX_BODY`] is
/// read to the end and thrown away before the 413, so the browser sees the answer instead of a
/// reset connection (as the API does).
async fn limit_body(request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let (parts, body) = request.into_parts();
    match crate::api::read_body(body).await {
        Ok(bytes) => {
            next.run(axum::extract::Request::from_parts(parts, bytes.into()))
                .await
        }
        Err(e) => problem_page(lang_of(&parts.headers), None, &e),
    }
}

fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == name)
        .map(|c| c.value().to_owned())
}

fn set_cookie(
    name: &'static str,
    value: String,
    secure: bool,
    remove: bool,
) -> (header::HeaderName, HeaderValue) {
    let mut c = Cookie::build((name, value))
        .path("/console")
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(secure)
        .build();
    if remove {
        c.make_removal();
    }
    let value =
        HeaderValue::from_str(&c.to_string()).unwrap_or_else(|_| HeaderValue::from_static(""));
    (header::SET_COOKIE, value)
}

fn lang_of(headers: &HeaderMap) -> Lang {
    cookie_value(headers, LANG_COOKIE)
        .map(|c| Lang::parse(&c))
        .unwrap_or(Lang::Vi)
}

/// A request of a logged-in session.
pub struct Ctx {
    pub lang: Lang,
    pub account: Account,
    session_id: String,
    csrf: String,
    path: String,
    /// A state-changing request whose `Origin` (when the browser sent one) is another site's.
    foreign_origin: bool,
}

fn page_response(status: StatusCode, markup: Markup) -> Response {
    (status, axum::response::Html(markup.into_string())).into_response()
}

/// An error page without a session (log-in page and failed log-ins).
fn bare_page(
    lang: Lang,
    status: StatusCode,
    title: &str,
    notice: Option<Notice<'_>>,
    content: Markup,
) -> Response {
    let frame = Frame {
        lang,
        title,
        session: None,
        path: "/console/",
    };
    page_response(status, layout(&frame, notice, content))
}

fn to_login() -> Response {
    Redirect::to("/console/login").into_response()
}

impl FromRequestParts<Arc<AppState>> for Ctx {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<AppState>,
    ) -> Result<Self, Response> {
        let lang = lang_of(&parts.headers);
        let Some(id) = cookie_value(&parts.headers, SESSION_COOKIE) else {
            return Err(to_login());
        };
        let Some(session) = state.sessions.get(&id, Instant::now()) else {
            return Err(to_login());
        };
        let s = state.clone();
        let account = blocking(move || {
            s.store
                .read(|c| auth::active_account(c, session.account_id))
        })
        .await
        .map_err(|e| problem_page(lang, None, &e))?;
        let Some(account) = account else {
            state.sessions.end(&id);
            return Err(to_login());
        };
        let host = parts
            .headers
            .get(header::HOST)
            .and_then(|v| v.to_str().ok());
        let foreign_origin = parts.method == Method::POST
            && parts
                .headers
                .get(header::ORIGIN)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|origin| {
                    let origin_host = origin.split("://").nth(1).unwrap_or(origin);
                    Some(origin_host) != host
                });
        Ok(Ctx {
            lang,
            account,
            session_id: id,
            csrf: session.csrf,
            // The language switch comes back here with a GET; after a form, that is the dashboard.
            path: if parts.method == Method::GET {
                parts.uri.path().to_owned()
            } else {
                "/console/".to_owned()
            },
            foreign_origin,
        })
    }
}

fn status_title(lang: Lang, status: StatusCode) -> &'static str {
    match status {
        StatusCode::FORBIDDEN => lang.t("Không được phép", "Not allowed"),
        StatusCode::NOT_FOUND => lang.t("Không tìm thấy", "Not found"),
        StatusCode::CONFLICT => lang.t("Không thực hiện được", "Cannot be done"),
        StatusCode::UNPROCESSABLE_ENTITY | StatusCode::BAD_REQUEST => {
            lang.t("Thông tin chưa đúng", "Something is not right")
        }
        StatusCode::UNAUTHORIZED => lang.t("Chưa đăng nhập", "Not logged in"),
        _ => lang.t("Lỗi máy chủ", "Server error"),
    }
}

/// The page for an error, inside the session's frame when there is one.
fn problem_page(lang: Lang, ctx: Option<&Ctx>, e: &ServerError) -> Response {
    let status = e.status();
    let title = status_title(lang, status);
    let message = e.to_string();
    let content = maud::html! {
        p { a href="/console/" { (lang.t("Về trang tổng quan", "Back to the dashboard")) } }
    };
    match ctx {
        Some(ctx) => {
            let frame = Frame {
                lang,
                title,
                session: Some((&ctx.account, &ctx.csrf)),
                path: &ctx.path,
            };
            page_response(
                status,
                layout(&frame, Some(Notice::Problem(&message)), content),
            )
        }
        None => bare_page(
            lang,
            status,
            title,
            Some(Notice::Problem(&message)),
            content,
        ),
    }
}

impl Ctx {
    fn page(&self, title: &str, notice: Option<Notice<'_>>, content: Markup) -> Response {
        let frame = Frame {
            lang: self.lang,
            title,
            session: Some((&self.account, &self.csrf)),
            path: &self.path,
        };
        page_response(StatusCode::OK, layout(&frame, notice, content))
    }

    /// The page, or the error page when the handler failed.
    fn answer(&self, outcome: Result<Response, ServerError>) -> Response {
        outcome.unwrap_or_else(|e| problem_page(self.lang, Some(self), &e))
    }

    /// Refuses a form that does not carry this session's CSRF token or comes from another site.
    fn check_form(&self, csrf: Option<&str>) -> Result<(), ServerError> {
        if self.foreign_origin || !csrf.is_some_and(|t| same_token(t, &self.csrf)) {
            return Err(ServerError::Forbidden(
                self.lang
                    .t(
                        "Biểu mẫu đã hết hạn hoặc không đến từ trang quản trị này. Hãy tải lại trang và thử lại.",
                        "The form has expired or did not come from this console. Reload the page and try again.",
                    )
                    .into(),
            ));
        }
        Ok(())
    }
}

async fn style() -> Response {
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
struct NextQuery {
    next: Option<String>,
}

/// Sets the language cookie and goes back to the console page the switch was on.
async fn switch_language(
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

async fn login_page(State(state): Shared, headers: HeaderMap) -> Response {
    login_form(&state, lang_of(&headers), StatusCode::OK, None)
}

#[derive(Deserialize)]
struct LoginForm {
    token: Option<String>,
    csrf: Option<String>,
}

async fn login(State(state): Shared, headers: HeaderMap, Form(form): Form<LoginForm>) -> Response {
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
        account.require(&[Role::Admin, Role::Office], "use the console")?;
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
struct CsrfForm {
    csrf: Option<String>,
}

async fn logout(ctx: Ctx, State(state): Shared, Form(form): Form<CsrfForm>) -> Response {
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

async fn dashboard(ctx: Ctx, State(state): Shared) -> Response {
    ctx.answer(
        async {
            let area = ctx.account.area.clone();
            let (d, waiting) = blocking(move || {
                state.store.read(|c| {
                    Ok((
                        stats::dashboard(c, &area, time::OffsetDateTime::now_utc(), CHART_WEEKS)?,
                        replacement::open_in(c, &area)?,
                    ))
                })
            })
            .await?;
            let l = ctx.lang;
            let title = format!(
                "{} {}",
                l.t("Tổng quan — địa bàn", "Dashboard — area"),
                ctx.account.area
            );
            Ok(ctx.page(
                &title,
                None,
                views::dashboard(l, &ctx.account, &d, &waiting),
            ))
        }
        .await,
    )
}

#[derive(Deserialize)]
struct SearchQuery {
    q: Option<String>,
}

async fn search(ctx: Ctx, State(state): Shared, Query(q): Query<SearchQuery>) -> Response {
    ctx.answer(
        async {
            let l = ctx.lang;
            let title = l.t("Tìm thẻ", "Find a card");
            let query = q.q.unwrap_or_default();
            if query.trim().is_empty() {
                return Ok(ctx.page(title, None, views::search(l, "", None)));
            }
            let account = ctx.account.clone();
            let text = query.clone();
            match blocking(move || registry::search(&state.store, &account, &text)).await {
                Ok(results) => Ok(ctx.page(title, None, views::search(l, &query, Some(&results)))),
                Err(e @ ServerError::Invalid { .. }) => {
                    let message = e.to_string();
                    Ok(ctx.page(
                        title,
                        Some(Notice::Problem(&message)),
                        views::search(l, &query, None),
                    ))
                }
                Err(e) => Err(e),
            }
        }
        .await,
    )
}

/// The card `serial` (parsed from the path), if within the account's area.
async fn load_card(
    ctx: &Ctx,
    state: &Arc<AppState>,
    serial: &str,
) -> Result<(CardSerial, registry::CardRecord), ServerError> {
    let serial = CardSerial::parse(serial)?;
    let s = state.clone();
    let account = ctx.account.clone();
    let record = blocking(move || registry::card(&s.store, &account, serial)).await?;
    Ok((serial, record))
}

#[derive(Deserialize)]
struct CardQuery {
    done: Option<String>,
}

async fn card(
    ctx: Ctx,
    State(state): Shared,
    Path(serial): Path<String>,
    Query(q): Query<CardQuery>,
) -> Response {
    ctx.answer(
        async {
            let l = ctx.lang;
            let (serial, record) = load_card(&ctx, &state, &serial).await?;
            let s = state.clone();
            let (replacements, replaced_by) = blocking(move || {
                Ok((
                    s.store.read(|c| replacement::of_card(c, serial))?,
                    registry::replaced_by(&s.store, serial)?,
                ))
            })
            .await?;
            let entitlements: Vec<_> = hex::decode(&record.credential_hex)
                .ok()
                .and_then(|b| registry::stored_entitlements(&b))
                .map(|es| es.iter().map(Into::into).collect())
                .unwrap_or_default();
            let done = match (q.done.as_deref(), &record.revocation) {
            (Some("revoked"), Some(r)) => Some(format!(
                "{} {}{}",
                l.t(
                    "Đã thu hồi thẻ. Thẻ có trong danh sách thu hồi phiên bản",
                    "Card revoked. It is in revocation list version"
                ),
                r.list_version,
                l.t(
                    "; các điểm chi trả từ chối thẻ sau lần đồng bộ tiếp theo.",
                    "; payment points refuse it after their next sync."
                )
            )),
            (Some("replacement"), _) => Some(
                l.t(
                    "Đã ghi yêu cầu cấp lại. Điểm cấp thẻ sẽ thấy yêu cầu trên trang tổng quan.",
                    "Replacement requested. Issuing offices see it on their dashboard.",
                )
                .to_owned(),
            ),
            _ => None,
        };
            let title = format!("{} {}", l.t("Thẻ", "Card"), record.serial);
            let x = CardExtras {
                entitlements: &entitlements,
                replacements: &replacements,
                replaced_by: &replaced_by,
            };
            Ok(ctx.page(
                &title,
                done.as_deref().map(Notice::Done),
                views::card(l, &ctx.account, &record, &x),
            ))
        }
        .await,
    )
}

fn action_name(action: CardAction) -> &'static str {
    match action {
        CardAction::Revoke => "revoke cards",
        CardAction::Replace => "start card replacements",
    }
}

async fn action_form(
    ctx: Ctx,
    State(state): Shared,
    Path(serial): Path<String>,
    action: CardAction,
) -> Response {
    ctx.answer(
        async {
            ctx.account.require(&[Role::Admin], action_name(action))?;
            let (_, card) = load_card(&ctx, &state, &serial).await?;
            Ok(ctx.page(
                action.title(ctx.lang),
                None,
                views::action_form(ctx.lang, action, &card, &ctx.csrf),
            ))
        }
        .await,
    )
}

#[derive(Deserialize)]
struct ActionForm {
    csrf: Option<String>,
    step: Option<String>,
    reason: Option<String>,
}

/// `review` shows the confirmation step; `confirm` acts.
async fn action(
    ctx: Ctx,
    State(state): Shared,
    Path(serial): Path<String>,
    Form(form): Form<ActionForm>,
    action: CardAction,
) -> Response {
    ctx.answer(
        async {
            let l = ctx.lang;
            ctx.check_form(form.csrf.as_deref())?;
            ctx.account.require(&[Role::Admin], action_name(action))?;
            let (serial, card) = load_card(&ctx, &state, &serial).await?;
            let reason = form
                .reason
                .as_deref()
                .and_then(|r| RevocationReason::parse(r).ok())
                .filter(|r| action.reasons().contains(r));
            let Some(reason) = reason else {
                let message = l.t("Hãy chọn một lý do.", "Choose a reason.");
                return Ok(ctx.page(
                    action.title(l),
                    Some(Notice::Problem(message)),
                    views::action_form(l, action, &card, &ctx.csrf),
                ));
            };
            if form.step.as_deref() != Some("confirm") {
                return Ok(ctx.page(
                    action.title(l),
                    None,
                    views::action_confirm(l, action, &card, reason, &ctx.csrf),
                ));
            }
            let account = ctx.account.clone();
            let s = state.clone();
            let what = blocking(move || match action {
                CardAction::Revoke => registry::revoke(
                    &s.store,
                    Some(account.area.clone()),
                    account.actor(),
                    RevocationTarget::Serial(serial),
                    reason,
                )
                .map(|_| "revoked"),
                CardAction::Replace => {
                    replacement::request(&s.store, &account, serial, reason).map(|_| "replacement")
                }
            })
            .await?;
            Ok(Redirect::to(&format!("/console/cards/{serial}?done={what}")).into_response())
        }
        .await,
    )
}

async fn offices(ctx: Ctx, State(state): Shared) -> Response {
    ctx.answer(
        async {
            ctx.account
                .require(&[Role::Admin], "manage offices and accounts")?;
            offices_page(&ctx, &state, None).await
        }
        .await,
    )
}

async fn offices_page(
    ctx: &Ctx,
    state: &Arc<AppState>,
    notice: Option<Notice<'_>>,
) -> Result<Response, ServerError> {
    let area = ctx.account.area.clone();
    let s = state.clone();
    let (offices, accounts) = blocking(move || {
        Ok((
            registry::offices_in(&s.store, &area)?,
            s.store.read(|c| auth::accounts_in(c, &area))?,
        ))
    })
    .await?;
    Ok(ctx.page(
        ctx.lang.t("Đơn vị và tài khoản", "Offices and accounts"),
        notice,
        views::offices(ctx.lang, &ctx.account, &offices, &accounts, &ctx.csrf),
    ))
}

/// The offices page again, saying what a form did or why it was refused.
async fn offices_after(
    ctx: &Ctx,
    state: &Arc<AppState>,
    outcome: Result<String, ServerError>,
) -> Result<Response, ServerError> {
    match outcome {
        Ok(text) => offices_page(ctx, state, Some(Notice::Done(&text))).await,
        Err(
            e @ (ServerError::Invalid { .. } | ServerError::Conflict(_) | ServerError::NotFound(_)),
        ) => {
            let text = e.to_string();
            offices_page(ctx, state, Some(Notice::Problem(&text))).await
        }
        Err(e) => Err(e),
    }
}

#[derive(Deserialize)]
struct OfficeForm {
    csrf: Option<String>,
    code: Option<String>,
    name: Option<String>,
    area: Option<String>,
}

async fn add_office(ctx: Ctx, State(state): Shared, Form(form): Form<OfficeForm>) -> Response {
    ctx.answer(
        async {
            ctx.check_form(form.csrf.as_deref())?;
            ctx.account.require(&[Role::Admin], "add offices")?;
            let account = ctx.account.clone();
            let s = state.clone();
            let done_text = ctx.lang.t("Đã thêm điểm cấp thẻ", "Office added:");
            let added = blocking(move || {
                let code = OfficeCode::parse(form.code.as_deref().unwrap_or_default())?;
                let area = AreaCode::parse(form.area.as_deref().unwrap_or_default())?;
                account.require_area(&area)?;
                let name = form.name.as_deref().unwrap_or_default();
                registry::add_office(&s.store, &code, name, &area, &account.actor())?;
                Ok(format!("{done_text} {code}"))
            })
            .await;
            offices_after(&ctx, &state, added).await
        }
        .await,
    )
}

#[derive(Deserialize)]
struct AccountForm {
    csrf: Option<String>,
    role: Option<String>,
    office: Option<String>,
    area: Option<String>,
}

fn non_empty(field: &Option<String>) -> Option<&str> {
    field.as_deref().map(str::trim).filter(|t| !t.is_empty())
}

async fn add_account(ctx: Ctx, State(state): Shared, Form(form): Form<AccountForm>) -> Response {
    ctx.answer(
        async {
            ctx.check_form(form.csrf.as_deref())?;
            ctx.account.require(&[Role::Admin], "create accounts")?;
            let account = ctx.account.clone();
            let s = state.clone();
            let made = blocking(move || {
                let role = Role::parse(form.role.as_deref().unwrap_or_default())?;
                let office = non_empty(&form.office).map(OfficeCode::parse).transpose()?;
                let area = non_empty(&form.area).map(AreaCode::parse).transpose()?;
                if let Some(o) = &office {
                    // The office itself must lie within the admin's area.
                    let known = registry::offices_in(&s.store, &account.area)?;
                    if !known.iter().any(|x| x.code == o.as_str()) {
                        return Err(ServerError::Forbidden(format!(
                            "office {o} is not within area {}",
                            account.area
                        )));
                    }
                }
                if let Some(a) = &area {
                    account.require_area(a)?;
                }
                // Any account but an office's needs an area: the admin's own unless narrowed.
                let area = match role {
                    Role::Office => area,
                    _ => Some(area.unwrap_or_else(|| account.area.clone())),
                };
                s.store.write(|tx| {
                    auth::add_account(tx, role, office.as_ref(), area.as_ref(), &account.actor())
                })
            })
            .await;
            match made {
                Ok((id, token)) => Ok(ctx.page(
                    ctx.lang.t("Tài khoản mới", "New account"),
                    None,
                    views::new_token(ctx.lang, id, &token),
                )),
                Err(e) => offices_after(&ctx, &state, Err(e)).await,
            }
        }
        .await,
    )
}

#[derive(Deserialize)]
struct RevokeAccountForm {
    csrf: Option<String>,
    confirm: Option<String>,
}

async fn revoke_account(
    ctx: Ctx,
    State(state): Shared,
    Path(id): Path<i64>,
    Form(form): Form<RevokeAccountForm>,
) -> Response {
    ctx.answer(
        async {
            ctx.check_form(form.csrf.as_deref())?;
            ctx.account.require(&[Role::Admin], "revoke accounts")?;
            if form.confirm.as_deref() != Some("yes") {
                return Err(ServerError::invalid(
                    "confirm",
                    ctx.lang.t(
                        "Hãy đánh dấu ô xác nhận trước khi khóa tài khoản.",
                        "Tick the confirmation box before revoking an account.",
                    ),
                ));
            }
            if id == ctx.account.id {
                return Err(ServerError::Conflict(
                    "an account cannot revoke itself here; ask another administrator".into(),
                ));
            }
            let account = ctx.account.clone();
            let s = state.clone();
            let done_text = ctx.lang.t("Đã khóa tài khoản", "Revoked account");
            let done = blocking(move || {
                let area = s.store.read(|c| auth::account_area(c, id))?;
                account.require_area(&area)?;
                s.store
                    .write(|tx| auth::revoke_account(tx, id, &account.actor()))?;
                Ok(format!("{done_text} #{id}"))
            })
            .await;
            if done.is_ok() {
                state.sessions.end_all_of(id);
            }
            offices_after(&ctx, &state, done).await
        }
        .await,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_cookies_are_http_only_strict_to_the_console_and_secure_under_tls() {
        let (_, plain) = set_cookie(SESSION_COOKIE, "abc".into(), false, false);
        let plain = plain.to_str().unwrap();
        for attribute in [
            "asxh_session=abc",
            "HttpOnly",
            "SameSite=Strict",
            "Path=/console",
        ] {
            assert!(plain.contains(attribute), "{plain}");
        }
        assert!(!plain.contains("Secure"));
        let (_, tls) = set_cookie(SESSION_COOKIE, "abc".into(), true, false);
        assert!(tls.to_str().unwrap().contains("Secure"));
        let (_, gone) = set_cookie(SESSION_COOKIE, String::new(), true, true);
        assert!(gone.to_str().unwrap().contains("Max-Age=0"));
    }

    #[test]
    fn only_the_session_cookie_named_is_read() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("asxh_lang=en; asxh_session=s1; other=x"),
        );
        assert_eq!(
            cookie_value(&headers, SESSION_COOKIE).as_deref(),
            Some("s1")
        );
        assert_eq!(lang_of(&headers), Lang::En);
        assert_eq!(cookie_value(&headers, LOGIN_COOKIE), None);
    }
}
