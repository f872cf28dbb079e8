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
    move |e| ServerError::Invalid {
        field: e.field_name().map(str::to_owned),
        message: asxh_text::Catalogued::text(&e, lang),
    }
}

/// The text of a notice for an error a form's action met, in the page's language. In Vietnamese
/// it says what happened first; the error's own words (a refused value's in Vietnamese, as
/// [`refused`] words the console's form values, any other refusal's in English) follow as
/// technical detail for whoever helps the clerk.
pub(super) fn notice_text(lang: Lang, e: &ServerError) -> String {
    let detail = e.to_string();
    match lang {
        Lang::En => detail,
        Lang::Vi => format!(
            "{} {}: {detail}",
            lang.text(e.code().meaning()),
            lang.text(Msg::ProblemTechnicalDetail)
        ),
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
    // In Vietnamese the notice says what happened in Vietnamese; the server's own words (English,
    // naming the field or the card) follow as technical detail for whoever helps the clerk.
    let detail = e.to_string();
    let message = match lang {
        Lang::Vi => lang.text(e.code().meaning()).to_owned(),
        Lang::En => detail.clone(),
    };
    let content = maud::html! {
        @if lang == Lang::Vi {
            details {
                summary { (lang.text(Msg::ProblemTechnicalDetail)) }
                p lang="en" { (detail) }
            }
        }
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
