//! The pages around an answer: a page response, the bare frame of the log-in page, and the page
//! for an error (inside the session's frame when there is one), titled by its status and saying
//! what it means in the page's language.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::Markup;

use super::page::{layout, Frame, Lang, Notice};
use asxh_text::Msg;

use crate::auth::Account;
use crate::error::ServerError;

pub(super) fn page_response(status: StatusCode, markup: Markup) -> Response {
    (status, axum::response::Html(markup.into_string())).into_response()
}

/// An error page without a session (log-in page and failed log-ins).
pub(super) fn bare_page(
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
        here: "/console/login",
    };
    page_response(status, layout(&frame, notice, content))
}

pub(super) fn to_login() -> Response {
    Redirect::to("/console/login").into_response()
}

fn status_title(lang: Lang, status: StatusCode) -> &'static str {
    match status {
        StatusCode::FORBIDDEN => lang.text(Msg::ConsoleNotAllowed),
        StatusCode::NOT_FOUND => lang.text(Msg::ConsoleNotFound),
        StatusCode::CONFLICT => lang.text(Msg::ConsoleCannotBeDone),
        StatusCode::UNPROCESSABLE_ENTITY | StatusCode::BAD_REQUEST => {
            lang.text(Msg::ConsoleSomethingIsNotRight)
        }
        StatusCode::UNAUTHORIZED => lang.text(Msg::ConsoleNotLoggedIn),
        _ => lang.text(Msg::ConsoleServerError),
    }
}

/// A value of a console form refused by asxh-core, worded in the page's language with the field
/// by its label (the API keeps the error's English).
pub(super) fn refused(lang: Lang) -> impl Fn(asxh_core::FormatError) -> ServerError {
    move |e| ServerError::Worded {
        field: e.field_name().map(str::to_owned),
        message: asxh_text::Catalogued::text(&e, lang),
    }
}

/// What a notice says of a refusal, in the page's language. In Vietnamese it says what the
/// refusal means, then the error's own words: as they are when already in the page's language
/// ([`ServerError::Worded`]), under a collapsed "Chi tiết kỹ thuật" when they are the server's
/// English (naming the field or the card, for whoever helps the clerk). In English, the error's
/// own words. A reason of several lines (a file's broken rows) is a list.
pub(super) fn refusal(lang: Lang, e: &ServerError) -> Markup {
    let detail = e.to_string();
    let mut lines = detail.lines();
    let first = lines.next().unwrap_or_default();
    let rest: Vec<&str> = lines.filter(|l| !l.trim().is_empty()).collect();
    let own_words = maud::html! {
        p { (first) }
        @if !rest.is_empty() {
            ul { @for line in &rest { li { (line) } } }
        }
    };
    match (lang, e) {
        (Lang::En, _) => own_words,
        (Lang::Vi, ServerError::Worded { .. }) => maud::html! {
            p { (lang.text(e.code().meaning())) }
            (own_words)
        },
        (Lang::Vi, _) => maud::html! {
            p { (lang.text(e.code().meaning())) }
            details {
                summary { (lang.text(Msg::ProblemTechnicalDetail)) }
                div lang="en" { (own_words) }
            }
        },
    }
}

/// The logged-in account, its session's CSRF token and the page's path, for the frame.
pub(super) type SessionFrame<'a> = (&'a Account, &'a str, &'a str);

/// The page for an error, inside the session's frame when there is one.
pub(super) fn problem_page(
    lang: Lang,
    session: Option<SessionFrame<'_>>,
    e: &ServerError,
) -> Response {
    let status = e.status();
    let title = status_title(lang, status);
    let content = maud::html! {
        p { a href="/console/" { (lang.text(Msg::ConsoleBackToTheDashboard)) } }
    };
    match session {
        Some((account, csrf, path)) => {
            let frame = Frame {
                lang,
                title,
                session: Some((account, csrf)),
                path,
                here: path,
            };
            page_response(status, layout(&frame, Some(Notice::Refused(e)), content))
        }
        None => bare_page(lang, status, title, Some(Notice::Refused(e)), content),
    }
}
