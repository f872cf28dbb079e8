//! The console's cookies (session, log-in double-submit token, language), all HttpOnly,
//! SameSite=Strict and limited to `/console`, and the page language read from them.

use axum::http::{header, HeaderMap, HeaderValue};
use cookie::{Cookie, SameSite};

use super::page::Lang;

pub(super) const SESSION_COOKIE: &str = "asxh_session";
pub(super) const LOGIN_COOKIE: &str = "asxh_login";
pub(super) const LANG_COOKIE: &str = "asxh_lang";

pub(super) fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == name)
        .map(|c| c.value().to_owned())
}

pub(super) fn set_cookie(
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

pub(super) fn lang_of(headers: &HeaderMap) -> Lang {
    cookie_value(headers, LANG_COOKIE)
        .map(|c| Lang::parse(&c))
        .unwrap_or(Lang::Vi)
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
