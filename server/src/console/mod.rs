//! The administrators' web console under `/console/`: server-rendered pages (maud), no
//! JavaScript. Log in with an account token; the session then lives in an HttpOnly,
//! SameSite=Strict cookie ([`crate::sessions`]) and every form carries the session's CSRF token,
//! checked before anything changes. Every role but the payment point may log in; everything shown or
//! changed goes through the same policy and registry calls the API uses, so the console can do
//! nothing the account's token could not.
//!
//! - [`cookies`]: the cookies and the language read from them;
//! - [`ctx`]: a logged-in request, and the pages it answers with;
//! - [`problem`]: the page frame without a session, and error pages;
//! - [`page`]: languages, the page frame, labels, the chart;
//! - [`views`]: the content of each page;
//! - the handlers of each page: [`login`], [`dashboard`], [`cards`], [`offices`], [`reports`],
//!   [`register`] (its views: [`register_views`]), [`rolls`] and its monthly changes
//!   [`roll_changes`], [`payments`], and payment into an account: the transfer list, the bank's
//!   results and the three unpaid months ([`transfers`]);
//! - [`export`]: a table as a CSV or XLSX download.

pub mod cards;
pub mod cookies;
pub mod ctx;
pub mod dashboard;
mod export;
pub mod login;
pub mod offices;
pub mod page;
pub mod payments;
pub mod problem;
pub mod register;
pub mod register_views;
pub mod reports;
pub mod roll_changes;
pub mod rolls;
pub mod transfers;
pub mod views;

use std::sync::Arc;

use axum::extract::Path;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};

use self::cookies::lang_of;
use self::ctx::Ctx;
use self::problem::problem_page;
use self::views::CardAction;
use crate::error::ServerError;
use crate::state::{AppState, Shared};

/// The console's routes.
pub fn router() -> Router<Arc<AppState>> {
    Router::new()
        .route("/console", get(|| async { Redirect::to("/console/") }))
        .route("/console/", get(dashboard::dashboard))
        .route("/console/login", get(login::login_page).post(login::login))
        .route("/console/logout", post(login::logout))
        .route("/console/lang/{code}", get(login::switch_language))
        .route("/console/static/console.css", get(login::style))
        .route("/console/cards", get(cards::search))
        .route("/console/reports", get(reports::page))
        .route("/console/reports/export", get(reports::export))
        .route("/console/cards/{serial}", get(cards::card))
        .route("/console/rolls/{area}/{month}", get(rolls::page))
        .route(
            "/console/rolls/{area}/{month}/changes",
            get(roll_changes::page),
        )
        .route(
            "/console/rolls/{area}/{month}/changes/export",
            get(roll_changes::export),
        )
        .route("/console/roll-drafts/{id}/approve", post(rolls::approve))
        .route("/console/payments/{area}/{month}", get(payments::page))
        .route(
            "/console/payments/{area}/{month}/export",
            get(payments::export),
        )
        .route("/console/transfers/{area}/{month}", get(transfers::page))
        .route(
            "/console/transfers/{area}/{month}/export",
            get(transfers::export),
        )
        .route(
            "/console/transfers/{area}/{month}/results",
            post(transfers::upload),
        )
        .route(
            "/console/uncollected/{area}/{month}",
            get(transfers::uncollected),
        )
        .route(
            "/console/uncollected/{area}/{month}/suspend",
            post(transfers::suspend),
        )
        .route(
            "/console/cards/{serial}/revoke",
            get(|ctx: Ctx, s: Shared, p: Path<String>| {
                cards::action_form(ctx, s, p, CardAction::Revoke)
            })
            .post(
                |ctx: Ctx, s: Shared, p: Path<String>, f: Form<cards::ActionForm>| {
                    cards::action(ctx, s, p, f, CardAction::Revoke)
                },
            ),
        )
        .route(
            "/console/cards/{serial}/replace",
            get(|ctx: Ctx, s: Shared, p: Path<String>| {
                cards::action_form(ctx, s, p, CardAction::Replace)
            })
            .post(
                |ctx: Ctx, s: Shared, p: Path<String>, f: Form<cards::ActionForm>| {
                    cards::action(ctx, s, p, f, CardAction::Replace)
                },
            ),
        )
        .route(
            "/console/offices",
            get(offices::offices).post(offices::add_office),
        )
        .route("/console/accounts", post(offices::add_account))
        .route(
            "/console/accounts/{id}/revoke",
            post(offices::revoke_account),
        )
        .route(
            "/console/offices/{code}/rotate-key",
            post(offices::rotate_key),
        )
        .route(
            "/console/issuer-keys/{key_id}/{change}",
            post(offices::change_key),
        )
        .route("/console/register", get(register::page))
        .route(
            "/console/register/beneficiaries",
            post(register::put_beneficiary),
        )
        .route("/console/register/decisions", post(register::record))
        .route(
            "/console/register/entitlements/{id}/recipient",
            post(register::change_recipient),
        )
        .route(
            "/console/register/entitlements/{id}/account",
            post(register::change_account),
        )
        .route(
            "/console/register/entitlements/{id}/{change}",
            post(register::change_status),
        )
        .route(
            "/console/register/base-levels",
            get(register::base_levels).post(register::set_base_level),
        )
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

/// Whether `path` is one of the console's (its errors are pages, not JSON).
pub(crate) fn serves(path: &str) -> bool {
    path == "/console" || path.starts_with("/console/")
}

/// The page for a request the console cannot take (a body too large or too late), in the
/// language the request asks for.
pub(crate) fn problem(headers: &HeaderMap, e: &ServerError) -> Response {
    problem_page(lang_of(headers), None, e)
}
