//! The console's page frame: the layout every page shares (header, navigation, language switch,
//! log-out form, main landmark) in the page's language (the catalogue's [`Lang`], which also
//! labels statuses, roles and reasons, and writes counts and money), times as the pages write
//! them, and the bar chart.

use maud::{html, Markup, DOCTYPE};

use crate::auth::Account;

/// The language of the pages, with the labels of statuses, sexes, reasons and roles: the
/// catalogue's.
pub use asxh_text::Lang;
use asxh_text::Msg;

/// A Unix time as `25/11/2026 21:03` in Vietnam time (the catalogue's way).
pub use asxh_text::local_time as when;

/// What the frame of a page needs.
pub struct Frame<'a> {
    pub lang: Lang,
    pub title: &'a str,
    /// The logged-in account and the session's CSRF token, or `None` on the log-in page.
    pub session: Option<(&'a Account, &'a str)>,
    /// This page's path, so the language switch comes back to it.
    pub path: &'a str,
    /// The path that was asked for (after a form, `path` is the dashboard), for `aria-current`.
    pub here: &'a str,
}

/// A message above the page's content.
pub enum Notice<'a> {
    Done(&'a str),
    /// A problem the console words itself.
    Problem(&'a str),
    /// A refusal of the server's, said as [`super::problem::refusal`] says it.
    Refused(&'a crate::error::ServerError),
}

/// The hidden CSRF field every form of a session carries.
pub fn csrf_field(csrf: &str) -> Markup {
    html! { input type="hidden" name="csrf" value=(csrf); }
}

/// `aria-current` for the navigation link to `href` on the page at `path`: `page` on that very
/// page, `true` on a page under it (a card found from the search), nothing elsewhere.
fn current(path: &str, href: &str) -> Option<&'static str> {
    let path = path.split('?').next().unwrap_or(path);
    if path == href {
        Some("page")
    } else if href != "/console/" && path.starts_with(href) && path[href.len()..].starts_with('/') {
        Some("true")
    } else {
        None
    }
}

/// The page around `content`.
pub fn layout(frame: &Frame<'_>, notice: Option<Notice<'_>>, content: Markup) -> Markup {
    let l = frame.lang;
    let other = match l {
        Lang::Vi => ("en", "English"),
        Lang::En => ("vi", "Tiếng Việt"),
    };
    html! {
        (DOCTYPE)
        html lang=(l.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (frame.title) " — " (l.text(Msg::CardName)) }
                link rel="stylesheet" href="/console/static/console.css";
            }
            body {
                a class="skip" href="#main" { (l.text(Msg::ConsoleSkipToContent)) }
                header {
                    div class="brand" { (l.text(Msg::ConsoleSocialSecurityCardAdministration)) }
                    @if let Some((account, csrf)) = frame.session {
                        nav aria-label=(l.text(Msg::ConsoleMainNavigation)) {
                            a href="/console/" aria-current=[current(frame.here, "/console/")] { (l.text(Msg::ConsoleDashboard)) }
                            a href="/console/cards" aria-current=[current(frame.here, "/console/cards")] { (l.text(Msg::ConsoleFindACard)) }
                            @if crate::policy::allows(account, crate::policy::Action::ReadReports) {
                                a href="/console/reports" aria-current=[current(frame.here, "/console/reports")] { (l.text(Msg::Reports)) }
                            }
                            @if crate::policy::allows(account, crate::policy::Action::ReadEntitlements) {
                                a href="/console/register" aria-current=[current(frame.here, "/console/register")] { (l.text(Msg::RegisterTitle)) }
                            }
                            @if crate::policy::allows(account, crate::policy::Action::ManageOffices) {
                                a href="/console/offices" aria-current=[current(frame.here, "/console/offices")] { (l.text(Msg::ConsoleOfficesAndAccounts)) }
                            }
                        }
                        div class="who" {
                            span { (l.role(account.role.as_str())) " #" (account.id) " · " (l.text(Msg::ConsoleArea)) " " (account.area) }
                            form method="post" action="/console/logout" {
                                (csrf_field(csrf))
                                button type="submit" class="link" { (l.text(Msg::ConsoleLogOut)) }
                            }
                        }
                    }
                    a class="lang" hreflang=(other.0) lang=(other.0) href={ "/console/lang/" (other.0) "?next=" (frame.path) } { (other.1) }
                }
                main id="main" tabindex="-1" {
                    h1 { (frame.title) }
                    @match notice {
                        Some(Notice::Done(text)) => p class="notice done" role="status" { (text) },
                        Some(Notice::Problem(text)) => p class="notice problem" role="alert" { (text) },
                        Some(Notice::Refused(e)) => div class="notice problem" role="alert" { (super::problem::refusal(l, e)) },
                        None => {},
                    }
                    (content)
                }
            }
        }
    }
}

/// A bar chart of `bars` (label, value) as inline SVG, with the same figures in a table for
/// screen readers and keyboard users (the SVG is one labelled image).
pub fn bar_chart(caption: &str, bars: &[(String, u64)], l: Lang) -> Markup {
    let heads = (l.text(Msg::ConsoleWeekOf), l.text(Msg::ConsoleCardsRevoked));
    bar_chart_of(caption, bars, l, heads)
}

/// [`bar_chart`] with the headers of its table of figures: what a bar is, what it counts.
pub fn bar_chart_of(caption: &str, bars: &[(String, u64)], l: Lang, heads: (&str, &str)) -> Markup {
    const WIDTH: u64 = 720;
    const HEIGHT: u64 = 180;
    const TOP: u64 = 20;
    const BOTTOM: u64 = 30;
    let max = bars.iter().map(|b| b.1).max().unwrap_or(0).max(1);
    let slot = WIDTH / (bars.len() as u64).max(1);
    let summary = bars
        .iter()
        .map(|(label, n)| format!("{label}: {n}"))
        .collect::<Vec<_>>()
        .join(", ");
    html! {
        figure class="chart" {
            svg viewBox={ "0 0 " (WIDTH) " " (HEIGHT + TOP + BOTTOM) } role="img" aria-label={ (caption) ". " (summary) } {
                line x1="0" y1=(TOP + HEIGHT) x2=(WIDTH) y2=(TOP + HEIGHT) class="axis" {}
                @for (i, (label, n)) in bars.iter().enumerate() {
                    @let h = HEIGHT * n / max;
                    @let x = i as u64 * slot + slot / 6;
                    rect x=(x) y=(TOP + HEIGHT - h) width=(slot * 2 / 3) height=(h) class="bar" {}
                    text x=(x + slot / 3) y=(TOP + HEIGHT - h - 4) text-anchor="middle" class="value" { (n) }
                    text x=(x + slot / 3) y=(TOP + HEIGHT + 18) text-anchor="middle" class="label" { (label) }
                }
            }
            figcaption { (caption) }
            details {
                summary { (l.text(Msg::ConsoleChartFigures)) }
                table {
                    thead { tr { th scope="col" { (heads.0) } th scope="col" { (heads.1) } } }
                    tbody {
                        @for (label, n) in bars {
                            tr { td { (label) } td class="num" { (n) } }
                        }
                    }
                }
            }
        }
    }
}

/// The style sheet (served at `/console/static/console.css`).
pub const STYLE: &str = include_str!("console.css");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_navigation_marks_the_current_page_and_the_section_a_page_is_in() {
        assert_eq!(current("/console/", "/console/"), Some("page"));
        assert_eq!(current("/console/cards", "/console/"), None);
        assert_eq!(
            current("/console/cards?q=lan", "/console/cards"),
            Some("page")
        );
        assert_eq!(
            current("/console/cards/5100000000013", "/console/cards"),
            Some("true")
        );
        assert_eq!(current("/console/cardsx", "/console/cards"), None);
        assert_eq!(current("/console/offices", "/console/cards"), None);
    }

    #[test]
    fn the_layout_escapes_what_it_is_given() {
        let page = layout(
            &Frame {
                lang: Lang::En,
                title: "<script>alert(1)</script>",
                session: None,
                path: "/console/",
                here: "/console/",
            },
            None,
            html! {},
        )
        .into_string();
        assert!(!page.contains("<script>"));
        assert!(page.contains("&lt;script&gt;"));
    }
}
