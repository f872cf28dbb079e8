//! A request of a logged-in console session ([`Ctx`]): the session from its cookie, the account
//! re-read (so a revoked account is logged out at once), the CSRF token, whether a form came from
//! another site; and the pages it answers with.

use asxh_text::Msg;
use std::sync::Arc;
use std::time::Instant;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, Method, StatusCode};
use axum::response::Response;
use maud::Markup;

use super::cookies::{cookie_value, lang_of, SESSION_COOKIE};
use super::page::{layout, Frame, Lang, Notice};
use super::problem::{page_response, problem_page, to_login};
use crate::auth::{self, Account};
use crate::error::ServerError;
use crate::policy::{act, authorize, Act, Authorized, Principal};
use crate::sessions::same_token;
use crate::state::{blocking, AppState};

/// A request of a logged-in session.
pub struct Ctx {
    pub lang: Lang,
    pub account: Account,
    /// The proof that the account may use the console, within its area.
    pub console: Authorized<act::UseConsole>,
    pub(super) session_id: String,
    pub(super) csrf: String,
    path: String,
    /// The path asked for, whatever the method.
    here: String,
    /// A state-changing request whose `Origin` (when the browser sent one) is another site's.
    foreign_origin: bool,
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
        let console = authorize::<act::UseConsole>(&Principal::Account(account.clone()))
            .map_err(|e| problem_page(lang, None, &e))?;
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
            console,
            session_id: id,
            csrf: session.csrf,
            // The language switch comes back here with a GET; after a form, that is the dashboard.
            here: parts.uri.path().to_owned(),
            path: if parts.method == Method::GET {
                parts.uri.path().to_owned()
            } else {
                "/console/".to_owned()
            },
            foreign_origin,
        })
    }
}

impl Ctx {
    /// The proof that the session's account may do `A`, or 403.
    pub(super) fn grant<A: Act>(&self) -> Result<Authorized<A>, ServerError> {
        authorize::<A>(&Principal::Account(self.account.clone()))
    }

    pub(super) fn page(
        &self,
        title: &str,
        notice: Option<Notice<'_>>,
        content: Markup,
    ) -> Response {
        let frame = Frame {
            lang: self.lang,
            title,
            session: Some((&self.account, &self.csrf)),
            path: &self.path,
            here: &self.here,
        };
        page_response(StatusCode::OK, layout(&frame, notice, content))
    }

    /// The page, or the error page when the handler failed.
    pub(super) fn answer(&self, outcome: Result<Response, ServerError>) -> Response {
        outcome.unwrap_or_else(|e| {
            problem_page(self.lang, Some((&self.account, &self.csrf, &self.path)), &e)
        })
    }

    /// Refuses a form that does not carry this session's CSRF token or comes from another site.
    pub(super) fn check_form(&self, csrf: Option<&str>) -> Result<(), ServerError> {
        if self.foreign_origin || !csrf.is_some_and(|t| same_token(t, &self.csrf)) {
            return Err(ServerError::Forbidden(
                self.lang.text(Msg::ConsoleFormExpired).into(),
            ));
        }
        Ok(())
    }
}
