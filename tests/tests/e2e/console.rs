//! The administrators' web console (`/console/`) of the real server binary on loopback: over
//! plain HTTP (the cookie's attributes, CSRF on every form, roles and areas, replacements), and in
//! Debian's Chromium headless driven through chromedriver (log in, find a card, revoke it with a
//! reason and a confirmation, see it in the next signed revocation list, an out-of-area
//! administrator refused). On every page the browser visits, axe-core's WCAG 2.1 A and AA rules
//! find nothing, the page reflows at 320 CSS px and the focus ring has 3:1 against what is around
//! it. The browser test leaves a screenshot of each page (and of its 320 px view) in
//! `target/console-screenshots/` for a reviewer.

use std::collections::BTreeMap;
use std::io::Read;
use std::time::{Duration, Instant};

use crate::browser::{browser, check_page, Driver};
use asxh_core::CardSerial;
use asxh_e2e::server::{issue_body, revocation_list, verified_trust_list, Province, RunningServer};
use fantoccini::{Client, Locator};
use serde_json::{json, Value};

/// A browser-less console user: keeps the cookies the server sets, never follows redirects.
pub(crate) struct Clerk {
    base: String,
    agent: ureq::Agent,
    cookies: BTreeMap<String, String>,
    /// Sent as `X-Forwarded-For`, as a reverse proxy in front of the server would.
    forwarded_for: Option<String>,
}

/// One answer of the console.
pub(crate) struct Page {
    pub(crate) status: u16,
    pub(crate) location: Option<String>,
    set_cookies: Vec<String>,
    pub(crate) body: String,
}

impl Page {
    /// The CSRF token of the first form on the page.
    pub(crate) fn csrf(&self) -> String {
        let at = self
            .body
            .find(r#"name="csrf" value=""#)
            .unwrap_or_else(|| panic!("no CSRF field on the page: {}", self.body));
        let rest = &self.body[at + r#"name="csrf" value=""#.len()..];
        rest[..rest.find('"').unwrap()].to_owned()
    }
}

impl Clerk {
    pub(crate) fn new(server: &RunningServer) -> Clerk {
        Clerk {
            base: server.url.clone(),
            agent: ureq::AgentBuilder::new().redirects(0).build(),
            cookies: BTreeMap::new(),
            forwarded_for: None,
        }
    }

    /// A clerk whose requests reach the server through a proxy that says they come from
    /// `address`.
    fn behind_proxy(server: &RunningServer, address: &str) -> Clerk {
        Clerk {
            forwarded_for: Some(address.to_owned()),
            ..Clerk::new(server)
        }
    }

    fn send(
        &mut self,
        method: &str,
        path: &str,
        form: Option<&[(&str, &str)]>,
        origin: Option<&str>,
    ) -> Page {
        let mut r = self.agent.request(method, &format!("{}{path}", self.base));
        if !self.cookies.is_empty() {
            r = r.set("Cookie", &self.cookie_header());
        }
        if let Some(o) = origin {
            r = r.set("Origin", o);
        }
        if let Some(a) = &self.forwarded_for {
            r = r.set("X-Forwarded-For", a);
        }
        let result = match form {
            Some(f) => r.send_form(f),
            None => r.call(),
        };
        let response = match result {
            Ok(r) | Err(ureq::Error::Status(_, r)) => r,
            Err(e) => panic!("{method} {path}: {e}"),
        };
        let set_cookies: Vec<String> = response
            .all("set-cookie")
            .iter()
            .map(|s| s.to_string())
            .collect();
        for c in &set_cookies {
            let pair = c.split(';').next().unwrap();
            let (name, value) = pair.split_once('=').unwrap();
            if value.is_empty() || c.contains("Max-Age=0") {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_owned(), value.to_owned());
            }
        }
        let status = response.status();
        let location = response.header("location").map(str::to_owned);
        let mut body = String::new();
        response.into_reader().read_to_string(&mut body).unwrap();
        Page {
            status,
            location,
            set_cookies,
            body,
        }
    }

    pub(crate) fn get(&mut self, path: &str) -> Page {
        self.send("GET", path, None, None)
    }

    /// The session's cookies as a `Cookie` header.
    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// A file the console sends (an export): status, content type and bytes.
    pub(crate) fn download(&mut self, path: &str) -> (u16, String, Vec<u8>) {
        let response = match self
            .agent
            .get(&format!("{}{path}", self.base))
            .set("Cookie", &self.cookie_header())
            .call()
        {
            Ok(r) | Err(ureq::Error::Status(_, r)) => r,
            Err(e) => panic!("GET {path}: {e}"),
        };
        let status = response.status();
        let kind = response.content_type().to_owned();
        let mut bytes = Vec::new();
        response.into_reader().read_to_end(&mut bytes).unwrap();
        (status, kind, bytes)
    }

    pub(crate) fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Page {
        self.send("POST", path, Some(form), None)
    }

    pub(crate) fn login(&mut self, token: &str) -> Page {
        let csrf = self.get("/console/login").csrf();
        self.post("/console/login", &[("csrf", &csrf), ("token", token)])
    }

    /// The CSRF token of this session (from the dashboard's log-out form).
    fn session_csrf(&mut self) -> String {
        self.get("/console/").csrf()
    }
}

#[test]
fn log_in_is_throttled_per_client_address_and_per_account_and_a_flood_writes_few_audit_rows() {
    let p = Province::new();
    let logins = |server: &RunningServer| {
        server
            .get("/v1/audit?limit=10000", Some(&p.admin_51))
            .json()["rows"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["action"] == "console.login")
            .count()
    };

    // Guessing tokens from one address: ten wrong ones, then a wait, said in Vietnamese; the
    // right token must wait too. A forwarded-for header is not believed from an untrusted peer.
    let server = p.dir.start();
    let mut guesser = Clerk::behind_proxy(&server, "203.0.113.9");
    let statuses: Vec<u16> = (0..30)
        .map(|i| guesser.login(&format!("asxh_{i:048x}")).status)
        .collect();
    assert_eq!(statuses[..10], [401; 10], "{statuses:?}");
    assert_eq!(statuses[10..], [429; 20], "{statuses:?}");
    let page = guesser.login(&p.admin_51);
    assert_eq!(page.status, 429);
    assert!(
        page.body.contains("Quá nhiều lần đăng nhập sai") && page.body.contains("giây"),
        "{}",
        page.body
    );
    assert!(page
        .set_cookies
        .iter()
        .any(|c| c.starts_with("asxh_login=")));
    drop(server);

    // Behind a trusted proxy each client address has its own allowance, and one account logging
    // in again and again (a valid token in a loop) is held back, so few audit rows are written.
    let server = p.dir.start_custom(&[], &["--trusted-proxy", "127.0.0.1"]);
    let mut blocked = Clerk::behind_proxy(&server, "198.51.100.1");
    for i in 0..10 {
        assert_eq!(blocked.login(&format!("asxh_{i:048x}")).status, 401);
    }
    assert_eq!(blocked.login(&p.admin_79).status, 429);
    let mut other = Clerk::behind_proxy(&server, "198.51.100.2");
    assert_eq!(
        other.login(&p.admin_79).status,
        303,
        "another address is not held back"
    );
    let before = logins(&server);
    let statuses: Vec<u16> = (0..40)
        .map(|i| {
            Clerk::behind_proxy(&server, &format!("198.51.100.{}", 10 + i))
                .login(&p.admin_51)
                .status
        })
        .collect();
    assert_eq!(statuses[..10], [303; 10], "{statuses:?}");
    assert_eq!(statuses[10..], [429; 30], "{statuses:?}");
    let page = Clerk::behind_proxy(&server, "198.51.100.99").login(&p.admin_51);
    assert!(
        page.body
            .contains("Tài khoản này đã đăng nhập quá nhiều lần"),
        "{}",
        page.body
    );
    assert_eq!(
        logins(&server) - before,
        10,
        "one audit row per log-in let through"
    );
}

/// Issues and activates a card for holder `n` in `area` through the API; returns its serial.
fn active_card(server: &RunningServer, office_token: &str, n: u32, area: &str) -> String {
    let issued = server.post("/v1/cards", Some(office_token), issue_body(n, area));
    assert_eq!(issued.status, 201, "{}", issued.json());
    let serial = issued.json()["serial"].as_str().unwrap().to_owned();
    let done = server.post(
        &format!("/v1/cards/{serial}/activate"),
        Some(office_token),
        json!({}),
    );
    assert_eq!(done.status, 200, "{}", done.json());
    serial
}

fn card_status(server: &RunningServer, admin: &str, serial: &str) -> Value {
    server
        .get(&format!("/v1/cards/{serial}"), Some(admin))
        .json()
}

#[test]
fn log_in_sets_a_strict_http_only_session_cookie_and_every_form_needs_the_session_csrf_token() {
    let p = Province::new();
    let server = p.dir.start();
    let serial = active_card(&server, &p.office_qng, 1, "51.429");

    let mut clerk = Clerk::new(&server);
    // Not logged in: every page sends to the log-in page.
    for path in [
        "/console/",
        "/console/cards",
        &format!("/console/cards/{serial}"),
    ] {
        let page = clerk.get(path);
        assert_eq!(page.status, 303, "{path}");
        assert_eq!(page.location.as_deref(), Some("/console/login"));
    }
    // A log-in form without the double-submit cookie is refused.
    let mut stranger = Clerk::new(&server);
    let refused = stranger.post("/console/login", &[("csrf", "x"), ("token", &p.admin_51)]);
    assert_eq!(refused.status, 403);
    assert!(!stranger.cookies.contains_key("asxh_session"));
    // A wrong token and a payment point's token are refused with their own words.
    assert_eq!(clerk.login("asxh_0000").status, 401);
    let pp = clerk.login(&p.payment_point);
    assert_eq!(pp.status, 403);
    assert!(pp.body.contains("điểm chi trả"), "{}", pp.body);

    let ok = clerk.login(&p.admin_51);
    assert_eq!(ok.status, 303, "{}", ok.body);
    let session_cookie = ok
        .set_cookies
        .iter()
        .find(|c| c.starts_with("asxh_session="))
        .unwrap();
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/console"] {
        assert!(
            session_cookie.contains(attribute),
            "{session_cookie} lacks {attribute}"
        );
    }
    let dashboard = clerk.get("/console/");
    assert_eq!(dashboard.status, 200);
    assert!(dashboard.body.contains("<html lang=\"vi\""));

    // A revocation without the token, with another token, or from another site's page does
    // nothing.
    let csrf = clerk.session_csrf();
    let path = format!("/console/cards/{serial}/revoke");
    for (form, origin) in [
        (vec![("step", "confirm"), ("reason", "lost")], None),
        (
            vec![
                ("step", "confirm"),
                ("reason", "lost"),
                ("csrf", "0".repeat(64).as_str()),
            ],
            None,
        ),
        (
            vec![
                ("step", "confirm"),
                ("reason", "lost"),
                ("csrf", csrf.as_str()),
            ],
            Some("http://evil.example"),
        ),
    ] {
        let page = clerk.send("POST", &path, Some(&form), origin);
        assert_eq!(page.status, 403, "{}", page.body);
        assert_eq!(
            card_status(&server, &p.admin_51, &serial)["status"],
            "active"
        );
    }
    // A huge form is refused before it is read.
    let huge = "x".repeat(200 * 1024);
    let page = clerk.post(&path, &[("csrf", &csrf), ("reason", &huge)]);
    assert_eq!(page.status, 413);
    // The same form with the session's token goes through the confirmation step first.
    let review = clerk.post(
        &path,
        &[("csrf", &csrf), ("step", "review"), ("reason", "lost")],
    );
    assert_eq!(review.status, 200);
    assert!(review.body.contains(r#"name="step" value="confirm""#));
    assert_eq!(
        card_status(&server, &p.admin_51, &serial)["status"],
        "active"
    );
    let done = clerk.post(
        &path,
        &[("csrf", &csrf), ("step", "confirm"), ("reason", "lost")],
    );
    assert_eq!(done.status, 303, "{}", done.body);
    assert_eq!(
        card_status(&server, &p.admin_51, &serial)["status"],
        "revoked"
    );
    let audit = server.get("/v1/audit", Some(&p.admin_51)).json();
    let actions: Vec<&str> = audit["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["action"].as_str().unwrap())
        .collect();
    assert!(
        actions.contains(&"console.login") && actions.contains(&"card.revoke"),
        "{actions:?}"
    );

    // Log out ends the session on the server, not just in the browser.
    let old_cookie = clerk.cookies.get("asxh_session").cloned().unwrap();
    assert_eq!(
        clerk.post("/console/logout", &[("csrf", &csrf)]).status,
        303
    );
    clerk.cookies.insert("asxh_session".into(), old_cookie);
    assert_eq!(clerk.get("/console/").status, 303);
    // The language switch only ever goes back into the console.
    let switch = clerk.get("/console/lang/en?next=//evil.example/");
    assert_eq!(switch.location.as_deref(), Some("/console/"));
    assert!(clerk
        .get("/console/login")
        .body
        .contains("<html lang=\"en\""));
}

#[test]
fn admins_act_only_within_their_area_and_issuing_offices_may_only_look() {
    let p = Province::new();
    let server = p.dir.start();
    let serial = active_card(&server, &p.office_qng, 2, "51.429");

    // Another province's card is, to this administrator, a card that does not exist.
    let mut outsider = Clerk::new(&server);
    assert_eq!(outsider.login(&p.admin_79).status, 303);
    let csrf = outsider.session_csrf();
    assert_eq!(
        outsider.get(&format!("/console/cards/{serial}")).status,
        404
    );
    assert_eq!(
        outsider
            .get(&format!("/console/cards/{serial}/revoke"))
            .status,
        404
    );
    let refused = outsider.post(
        &format!("/console/cards/{serial}/revoke"),
        &[("csrf", &csrf), ("step", "confirm"), ("reason", "lost")],
    );
    assert_eq!(refused.status, 404);
    let search = outsider.get(&format!("/console/cards?q={serial}"));
    assert!(
        search.body.contains("(0)"),
        "an out-of-area card is not found"
    );
    assert_eq!(
        card_status(&server, &p.admin_51, &serial)["status"],
        "active"
    );

    let mut office = Clerk::new(&server);
    assert_eq!(office.login(&p.office_qng).status, 303);
    let csrf = office.session_csrf();
    let page = office.get(&format!("/console/cards/{serial}"));
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Trần Thị Lan") && page.body.contains("540"));
    assert!(
        !page.body.contains("/revoke"),
        "no revoke button for an office"
    );
    let forbidden = office.get("/console/offices");
    assert_eq!(forbidden.status, 403);
    assert!(
        forbidden
            .body
            .contains("Tài khoản này không được làm việc này")
            && forbidden.body.contains("Chi tiết kỹ thuật"),
        "in Vietnamese, the page says what the refusal means: {}",
        forbidden.body
    );
    let refused = office.post(
        &format!("/console/cards/{serial}/revoke"),
        &[("csrf", &csrf), ("step", "confirm"), ("reason", "lost")],
    );
    assert_eq!(refused.status, 403);
    assert_eq!(
        card_status(&server, &p.admin_51, &serial)["status"],
        "active"
    );

    // Search by serial, SSN, and name without accents, within the area.
    let mut admin = Clerk::new(&server);
    admin.login(&p.admin_51);
    let ssn = issue_body(2, "51.429")["ssn"].as_str().unwrap().to_owned();
    for q in [serial.as_str(), ssn.as_str(), "tran thi", "LAN"] {
        let page = admin.get(&format!("/console/cards?q={}", q.replace(' ', "+")));
        assert!(
            page.body.contains(&format!("/console/cards/{serial}")),
            "search {q:?}"
        );
    }
    assert_eq!(
        admin.get("/console/cards?q=x").status,
        200,
        "too short: a message, not an error page"
    );

    // An admin creates an office account within the area, not outside it; revoking it ends its
    // console session at once.
    let csrf = admin.session_csrf();
    let made = admin.post(
        "/console/accounts",
        &[
            ("csrf", &csrf),
            ("role", "office"),
            ("office", "QNG-01"),
            ("area", ""),
        ],
    );
    assert_eq!(made.status, 200, "{}", made.body);
    let token = made
        .body
        .split("class=\"token\">")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .to_owned();
    let outside = admin.post(
        "/console/accounts",
        &[
            ("csrf", &csrf),
            ("role", "office"),
            ("office", "HCM-01"),
            ("area", ""),
        ],
    );
    assert_eq!(outside.status, 403, "{}", outside.body);
    let mut new_clerk = Clerk::new(&server);
    assert_eq!(new_clerk.login(&token).status, 303);
    assert_eq!(new_clerk.get("/console/").status, 200);
    let id = made
        .body
        .split("Tài khoản #")
        .nth(1)
        .unwrap()
        .split(' ')
        .next()
        .unwrap()
        .to_owned();
    let not_ticked = admin.post(
        &format!("/console/accounts/{id}/revoke"),
        &[("csrf", &csrf)],
    );
    assert_eq!(not_ticked.status, 422);
    let revoked = admin.post(
        &format!("/console/accounts/{id}/revoke"),
        &[("csrf", &csrf), ("confirm", "yes")],
    );
    assert_eq!(revoked.status, 200, "{}", revoked.body);
    assert_eq!(
        new_clerk.get("/console/").status,
        303,
        "the revoked account's session ended"
    );
}

#[test]
fn a_damaged_card_is_replaced_when_the_office_issues_the_new_one_and_a_lost_one_is_revoked_at_once()
{
    let p = Province::new();
    let server = p.dir.start();
    let damaged = active_card(&server, &p.office_qng, 3, "51.429");
    let lost = active_card(&server, &p.office_qng, 4, "51.429");
    let mut admin = Clerk::new(&server);
    admin.login(&p.admin_51);
    let csrf = admin.session_csrf();

    let started = admin.post(
        &format!("/console/cards/{damaged}/replace"),
        &[("csrf", &csrf), ("step", "confirm"), ("reason", "damaged")],
    );
    assert_eq!(started.status, 303, "{}", started.body);
    assert_eq!(
        card_status(&server, &p.admin_51, &damaged)["status"],
        "active",
        "a damaged card keeps working"
    );
    let again = admin.post(
        &format!("/console/cards/{damaged}/replace"),
        &[("csrf", &csrf), ("step", "confirm"), ("reason", "damaged")],
    );
    assert_eq!(again.status, 409, "one open request per card");
    let not_a_reason = admin.post(
        &format!("/console/cards/{lost}/replace"),
        &[("csrf", &csrf), ("step", "confirm"), ("reason", "deceased")],
    );
    assert_eq!(
        not_a_reason.status, 200,
        "the form again, asking for a reason"
    );
    assert_eq!(card_status(&server, &p.admin_51, &lost)["status"], "active");

    let started = admin.post(
        &format!("/console/cards/{lost}/replace"),
        &[("csrf", &csrf), ("step", "confirm"), ("reason", "lost")],
    );
    assert_eq!(started.status, 303);
    let lost_card = card_status(&server, &p.admin_51, &lost);
    assert_eq!(lost_card["status"], "revoked");
    assert_eq!(lost_card["revocation"]["reason"], "lost");

    let mut office = Clerk::new(&server);
    office.login(&p.office_qng);
    let waiting = office.get("/console/");
    assert!(
        waiting.body.contains(&damaged) && waiting.body.contains(&lost),
        "the office sees both requests"
    );

    // The office prints the damaged card's replacement with `replaces`, the lost card's without
    // (it is already revoked); both requests close.
    let mut body = issue_body(3, "51.429");
    body["card_public_key_hex"] = json!(asxh_e2e::server::card_key_hex("replacement 3"));
    body["replaces"] = json!({"serial": damaged, "reason": "damaged"});
    let new_damaged = server.post("/v1/cards", Some(&p.office_qng), body);
    assert_eq!(new_damaged.status, 201, "{}", new_damaged.json());
    let mut body = issue_body(4, "51.429");
    body["card_public_key_hex"] = json!(asxh_e2e::server::card_key_hex("replacement 4"));
    assert_eq!(
        server.post("/v1/cards", Some(&p.office_qng), body).status,
        201
    );
    assert_eq!(
        card_status(&server, &p.admin_51, &damaged)["status"],
        "revoked"
    );
    let new_serial = new_damaged.json()["serial"].as_str().unwrap().to_owned();
    let old_page = admin.get(&format!("/console/cards/{damaged}"));
    assert!(
        old_page
            .body
            .contains(&format!("/console/cards/{new_serial}")),
        "the old card links to its replacement"
    );
    let dashboard = admin.get("/console/");
    assert!(
        !dashboard
            .body
            .contains(&format!("/console/cards/{damaged}\"")),
        "no request left open"
    );
    assert!(dashboard.body.contains("TGXH"), "the program table");
}

/// Where the console's browser test leaves its screenshots (under `target/`).
const SHOTS: &str = "console-screenshots";

/// Logs in from the keyboard alone: the token field has the focus when the page opens, Enter
/// submits.
async fn log_in(c: &Client, base: &str, token: &str) {
    c.goto(&format!("{base}/console/")).await.unwrap();
    assert!(c
        .current_url()
        .await
        .unwrap()
        .path()
        .ends_with("/console/login"));
    let focused = c.active_element().await.unwrap();
    assert_eq!(focused.attr("id").await.unwrap().as_deref(), Some("token"));
    let old_page = c.find(Locator::Css("html")).await.unwrap();
    focused
        .send_keys(&format!("{token}\u{E007}"))
        .await
        .unwrap();
    wait_for_next_page(c, old_page, "Enter did not submit the log-in form").await;
}

/// Clicks the element and waits until the next page has replaced this one.
async fn click_and_load(c: &Client, locator: Locator<'_>) {
    let old_page = c.find(Locator::Css("html")).await.unwrap();
    c.find(locator).await.unwrap().click().await.unwrap();
    wait_for_next_page(c, old_page, "the click did not load a new page").await;
}

/// Waits until `old_page` (its `html` element) is gone and the next page has its main landmark:
/// a form may post back to the same URL, so the URL cannot tell.
async fn wait_for_next_page(c: &Client, old_page: fantoccini::elements::Element, failure: &str) {
    let deadline = Instant::now() + Duration::from_secs(15);
    while old_page.tag_name().await.is_ok() {
        assert!(Instant::now() < deadline, "{failure}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    c.wait()
        .for_element(Locator::Css("main"))
        .await
        .expect("the new page has a main landmark");
}

async fn text_of(c: &Client, css: &str) -> String {
    c.find(Locator::Css(css))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in_chromium_an_admin_finds_and_revokes_a_card_that_the_next_list_carries_and_an_outsider_is_refused(
) {
    let p = Province::new();
    let server = p.dir.start();
    let serial = active_card(&server, &p.office_qng, 5, "51.429");
    active_card(&server, &p.office_qng, 6, "51.429.22903");
    let base = server.url.clone();
    let driver = Driver::start();
    let c = browser(&driver).await;

    c.goto(&format!("{base}/console/")).await.unwrap();
    check_page(&c, SHOTS, "01-login").await;
    log_in(&c, &base, &p.admin_51).await;
    assert_eq!(c.current_url().await.unwrap().path(), "/console/");
    assert!(text_of(&c, "h1").await.contains("51"));
    check_page(&c, SHOTS, "02-dashboard").await;

    // Find the card by name, typed without accents, and open it from the results.
    click_and_load(&c, Locator::LinkText("Tìm thẻ")).await;
    c.find(Locator::Css("#q"))
        .await
        .unwrap()
        .send_keys("tran thi lan")
        .await
        .unwrap();
    click_and_load(&c, Locator::Css("form[role=search] button")).await;
    check_page(&c, SHOTS, "03-search").await;
    assert_eq!(
        text_of(&c, "nav a[aria-current=page]").await,
        "Tìm thẻ",
        "the navigation says which page this is"
    );
    click_and_load(&c, Locator::LinkText(&serial)).await;
    assert!(text_of(&c, "h1").await.contains(&serial));
    let card_page = text_of(&c, "main").await;
    assert!(card_page.contains("Đang hiệu lực"));
    assert!(
        card_page.contains("Kích hoạt thẻ")
            && card_page.contains("Đơn vị cấp thẻ #1 (QNG-01)")
            && !card_page.contains("activated")
            && !card_page.contains("office#"),
        "the history in words: {card_page}"
    );
    check_page(&c, SHOTS, "04-card").await;

    // Revoke: a reason, then a confirmation page, then the card page says so.
    click_and_load(&c, Locator::Css("a.danger")).await;
    check_page(&c, SHOTS, "05-revoke-reason").await;
    c.find(Locator::Css("#reason"))
        .await
        .unwrap()
        .select_by_value("lost")
        .await
        .unwrap();
    click_and_load(&c, Locator::Css("main form button[type=submit]")).await;
    let confirm = text_of(&c, "main").await;
    assert!(confirm.contains("Mất thẻ"), "{confirm}");
    check_page(&c, SHOTS, "06-revoke-confirm").await;
    click_and_load(&c, Locator::Css("button.danger")).await;
    let notice = text_of(&c, ".notice.done").await;
    assert!(notice.contains("danh sách thu hồi"), "{notice}");
    assert!(text_of(&c, "main").await.contains("Ngừng sử dụng"));
    check_page(&c, SHOTS, "07-card-revoked").await;

    // The month's payment roll drafted from the register, and its monthly changes.
    p.dir.national_base_level();
    let holder = asxh_e2e::server::ssn(701, "F", 1944);
    server.register_beneficiary(&p.admin_51, &holder, "Phạm Thị Thu", "51.429.22903");
    server.record_tgxh(&p.admin_51, &holder, 150, "701/QĐ-UBND");
    let draft = server.draft_roll(&p.admin_51, "51.429.22903");
    let roll_page = format!(
        "{base}/console/rolls/51.429.22903/{}",
        asxh_e2e::rolls::this_month()
    );
    c.goto(&roll_page).await.unwrap();
    assert!(text_of(&c, "main").await.contains("Chờ phê duyệt"));
    check_page(&c, SHOTS, "07a-roll-draft").await;
    let approved = server.post(
        &format!("/v1/roll-drafts/{}/approve", draft["id"]),
        Some(&p.admin_51),
        serde_json::json!({}),
    );
    assert_eq!(approved.status, 200, "{}", approved.json());
    c.goto(&format!("{roll_page}/changes")).await.unwrap();
    let changes = text_of(&c, "main").await;
    assert!(
        changes.contains("Phạm Thị Thu") && changes.contains("Tăng mới"),
        "{changes}"
    );
    check_page(&c, SHOTS, "07b-roll-changes").await;
    // Payment into an account: the transfer list and the three-unpaid-months page.
    let month = asxh_e2e::rolls::this_month();
    c.goto(&format!("{base}/console/transfers/51.429.22903/{month}"))
        .await
        .unwrap();
    assert!(text_of(&c, "h1").await.contains("Danh sách chuyển khoản"));
    check_page(&c, SHOTS, "07c-transfers").await;
    c.goto(&format!("{base}/console/uncollected/51.429.22903/{month}"))
        .await
        .unwrap();
    assert!(text_of(&c, "h1")
        .await
        .contains("Không nhận trợ cấp 3 tháng liên tiếp"));
    check_page(&c, SHOTS, "07d-uncollected").await;
    c.goto(&format!("{base}/console/cards/{serial}"))
        .await
        .unwrap();

    // The next signed revocation list, as a payment point gets it, carries the card.
    let trust = verified_trust_list(&server, &p.dir.fingerprint);
    let list = revocation_list(&server, &trust, "");
    let revoked = CardSerial::parse(&serial).unwrap();
    assert!(
        list.lookup(revoked).is_some(),
        "card {serial} in list version {}",
        list.version
    );

    // The register, the payments, the reports and the offices in Vietnamese; a malformed SSN is
    // refused in Vietnamese, naming the field as clerks know it.
    for (path, name) in [
        (
            format!("/console/register?ssn={holder}"),
            "07e-register-beneficiary",
        ),
        (
            "/console/register/base-levels".to_owned(),
            "07f-base-levels",
        ),
        (
            format!("/console/payments/51.429.22903/{month}"),
            "07g-payments",
        ),
        ("/console/reports".to_owned(), "07h-reports"),
        ("/console/offices".to_owned(), "07i-offices"),
        (
            "/console/register?ssn=12345".to_owned(),
            "07j-register-refused",
        ),
    ] {
        c.goto(&format!("{base}{path}")).await.unwrap();
        check_page(&c, SHOTS, name).await;
    }
    let refused = text_of(&c, ".notice.problem").await;
    assert!(
        refused.contains("Số định danh cá nhân") && !refused.contains("Chi tiết kỹ thuật"),
        "the refusal of a malformed SSN: {refused}"
    );
    c.goto(&format!("{base}/console/cards/{serial}"))
        .await
        .unwrap();

    // The English switch, then the admin-only pages.
    click_and_load(&c, Locator::Css("a.lang")).await;
    assert!(
        text_of(&c, "h1").await.starts_with("Card"),
        "back on the card page, in English"
    );
    click_and_load(&c, Locator::LinkText("Offices and accounts")).await;
    assert!(text_of(&c, "main").await.contains("QNG-01"));
    check_page(&c, SHOTS, "08-offices-en").await;
    let mut names = Vec::new();
    for button in c
        .find_all(Locator::Css("main button.danger"))
        .await
        .unwrap()
    {
        names.push(button.text().await.unwrap());
    }
    let distinct: std::collections::BTreeSet<_> = names.iter().collect();
    assert!(
        names.len() >= 2 && distinct.len() == names.len(),
        "each account's revoke button names its account: {names:?}"
    );
    click_and_load(&c, Locator::LinkText("Dashboard")).await;
    check_page(&c, SHOTS, "09-dashboard-en").await;
    click_and_load(&c, Locator::Css("header form button")).await;
    assert!(c
        .current_url()
        .await
        .unwrap()
        .path()
        .ends_with("/console/login"));

    // Another province's admin: the card page and the revocation form answer as for a card that
    // does not exist.
    log_in(&c, &base, &p.admin_79).await;
    c.goto(&format!("{base}/console/cards/{serial}"))
        .await
        .unwrap();
    assert!(text_of(&c, "h1").await.contains("Not found"));
    assert!(text_of(&c, ".notice.problem")
        .await
        .contains(&format!("no card {serial}")));
    check_page(&c, SHOTS, "10-out-of-area-refused").await;
    c.goto(&format!("{base}/console/cards/{serial}/revoke"))
        .await
        .unwrap();
    assert!(text_of(&c, "h1").await.contains("Not found"));
    c.close().await.unwrap();
}

#[test]
fn account_labels_given_on_the_command_line_or_the_console_show_in_account_list_and_the_accounts_table(
) {
    let p = Province::new();
    let dir = tempfile::tempdir().unwrap();
    let token_file = dir.path().join("lan.token");
    p.dir.cli_ok(&[
        "account",
        "add",
        "--role",
        "office",
        "--office",
        "QNG-01",
        "--label",
        "Chị Lan, quầy 2",
        "--out",
        token_file.to_str().unwrap(),
    ]);
    for bad in ["Quầy\u{202e}2", "a\tb", &"x".repeat(101)] {
        let out = p.dir.cli(&[
            "account", "add", "--role", "auditor", "--area", "51", "--label", bad,
        ]);
        let message = asxh_e2e::server::stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{bad:?}: {message}");
        assert!(message.contains("label"), "{bad:?}: {message}");
    }

    let server = p.dir.start();
    let mut admin = Clerk::new(&server);
    assert_eq!(admin.login(&p.admin_51).status, 303);
    let csrf = admin.session_csrf();
    let made = admin.post(
        "/console/accounts",
        &[
            ("csrf", &csrf),
            ("role", "payment-point"),
            ("office", ""),
            ("area", "51.429"),
            ("label", "Bưu điện xã Hành Thiện"),
        ],
    );
    assert_eq!(made.status, 200, "{}", made.body);
    let refused = admin.post(
        "/console/accounts",
        &[
            ("csrf", &csrf),
            ("role", "auditor"),
            ("office", ""),
            ("area", "51"),
            ("label", "Thanh tra\u{200b}"),
        ],
    );
    assert!(
        refused.body.contains(
            "role=\"alert\"><p>Thông tin nhập chưa đúng. Kiểm tra lại các ô đã điền rồi gửi lại.</p><details><summary>Chi tiết kỹ thuật</summary><div lang=\"en\"><p>invalid label: contains the invisible format character U+200B"
        ),
        "the page says what is wrong: {}",
        refused.body
    );

    let table = admin.get("/console/offices");
    assert_eq!(table.status, 200);
    assert!(table.body.contains("Ghi chú"), "the column is there");
    assert!(table.body.contains("Chị Lan, quầy 2"), "{}", table.body);
    assert!(
        table.body.contains("Bưu điện xã Hành Thiện"),
        "{}",
        table.body
    );

    let listed = p.dir.cli_ok(&["account", "list"]);
    let lines: Vec<&str> = listed.lines().collect();
    assert_eq!(
        lines[0],
        "Mã\tVai trò\tĐơn vị cấp thẻ\tĐịa bàn\tTrạng thái\tNhãn"
    );
    assert!(
        lines.contains(&"8\toffice\tQNG-01\t51\tactive\tChị Lan, quầy 2"),
        "{listed}"
    );
    assert!(
        lines.contains(&"9\tpayment-point\t-\t51.429\tactive\tBưu điện xã Hành Thiện"),
        "{listed}"
    );
    assert_eq!(
        lines.len(),
        1 + 9,
        "seven accounts of the province and two made here: {listed}"
    );
    p.dir.cli_ok(&["account", "revoke", "--id", "8"]);
    let listed = p.dir.cli_ok(&["account", "list"]);
    assert!(
        listed
            .lines()
            .any(|l| l.starts_with("8\toffice\tQNG-01\t51\trevoked ")
                && l.ends_with("\tChị Lan, quầy 2")),
        "{listed}"
    );
}

/// The cells of an exported table, read back as an office would open it.
fn exported_rows(bytes: &[u8]) -> Vec<Vec<String>> {
    asxh_sheet::read(bytes)
        .unwrap()
        .rows
        .into_iter()
        .map(|r| r.cells.into_iter().map(|c| c.text).collect())
        .collect()
}

#[test]
fn reports_count_within_the_readers_area_with_the_areas_names_and_export_as_csv_and_xlsx() {
    let p = Province::new();
    let list = p.dir.data().with_file_name("communes.csv");
    std::fs::write(
        &list,
        "Mã tỉnh,Tên tỉnh,Mã xã,Tên xã,Cấp\n51,Quảng Ngãi,22903,Xã Nghĩa Hành,Xã\n51,Quảng Ngãi,22906,Xã Đình Cương,Xã\n",
    )
    .unwrap();
    let imported = p.dir.cli_ok(&["areas", "import", list.to_str().unwrap()]);
    assert!(
        imported.contains("Đã nhập 2 đơn vị hành chính"),
        "{imported}"
    );
    let server = p.dir.start();
    active_card(&server, &p.office_qng, 11, "51.22903");
    active_card(&server, &p.office_qng, 12, "51.22906");
    active_card(&server, &p.office_hcm, 13, "79.26734");

    // The province's read-only oversight: both communes, by name, and not the other province.
    let mut auditor = Clerk::new(&server);
    assert_eq!(auditor.login(&p.auditor).status, 303);
    let page = auditor.get("/console/reports");
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(
        page.body.contains("Xã Nghĩa Hành, Quảng Ngãi"),
        "{}",
        page.body
    );
    assert!(page.body.contains("Biến động tăng, giảm theo tháng"));
    let (status, kind, csv) = auditor.download("/console/reports/export?by=area&format=csv");
    assert_eq!(status, 200);
    assert_eq!(kind, "text/csv");
    assert!(csv.starts_with(b"\xEF\xBB\xBF"), "CSV with a BOM for Excel");
    let expected = [
        vec!["Mã", "Tên", "Số người thụ hưởng", "Nam", "Nữ"],
        vec!["51.22903", "Xã Nghĩa Hành, Quảng Ngãi", "1", "0", "1"],
        vec!["51.22906", "Xã Đình Cương, Quảng Ngãi", "1", "0", "1"],
        vec!["Tổng cộng", "", "2", "0", "2"],
    ];
    assert_eq!(exported_rows(&csv), expected);
    let (status, kind, xlsx) = auditor.download("/console/reports/export?by=area&format=xlsx");
    assert_eq!(status, 200);
    assert!(kind.contains("spreadsheetml"), "{kind}");
    assert_eq!(exported_rows(&xlsx), expected, "the same table as XLSX");
    let (_, _, ages) = auditor.download("/console/reports/export?by=age&format=csv");
    assert!(
        exported_rows(&ages).contains(&vec![
            "80+".to_owned(),
            "Từ 80 tuổi trở lên".into(),
            "2".into(),
            "0".into(),
            "2".into()
        ]),
        "born 1946-08-19: {:?}",
        exported_rows(&ages)
    );
    let (status, _, _) = auditor.download("/console/reports/export?by=colour&format=csv");
    assert_eq!(status, 422);

    // A commune's data entry sees its commune only, may ask for a damaged card's replacement
    // and may not revoke, not even through a lost card's replacement.
    let mut commune = Clerk::new(&server);
    assert_eq!(commune.login(&p.data_entry).status, 303);
    let (_, _, csv) = commune.download("/console/reports/export?by=area&format=csv");
    assert_eq!(
        exported_rows(&csv)[1..],
        [
            vec!["51.22903", "Xã Nghĩa Hành, Quảng Ngãi", "1", "0", "1"],
            vec!["Tổng cộng", "", "1", "0", "1"],
        ]
    );
    let mine = active_card(&server, &p.office_qng, 14, "51.22903");
    let card = commune.get(&format!("/console/cards/{mine}"));
    assert_eq!(card.status, 200);
    assert!(
        card.body.contains("Xã Nghĩa Hành, Quảng Ngãi"),
        "the residence by name"
    );
    assert!(card.body.contains("/replace") && !card.body.contains("/revoke"));
    let found = commune.get(&format!("/console/cards?q={mine}"));
    assert!(
        found.body.contains("51.22903 — Xã Nghĩa Hành, Quảng Ngãi"),
        "search results name the area: {}",
        found.body
    );
    let mut admin = Clerk::new(&server);
    assert_eq!(admin.login(&p.admin_51).status, 303);
    let offices = admin.get("/console/offices");
    assert!(
        offices
            .body
            .contains("51.22903 — Xã Nghĩa Hành, Quảng Ngãi"),
        "the accounts table names the data entry's commune: {}",
        offices.body
    );
    let form = commune.get(&format!("/console/cards/{mine}/replace"));
    assert!(form.body.contains("value=\"damaged\"") && !form.body.contains("value=\"lost\""));
    let csrf = commune.session_csrf();
    let lost = commune.post(
        &format!("/console/cards/{mine}/replace"),
        &[("csrf", &csrf), ("step", "confirm"), ("reason", "lost")],
    );
    assert_eq!(
        lost.status, 200,
        "the form again: lost is not a reason it may give"
    );
    assert_eq!(card_status(&server, &p.admin_51, &mine)["status"], "active");
    let revoke = commune.post(
        &format!("/console/cards/{mine}/revoke"),
        &[("csrf", &csrf), ("step", "confirm"), ("reason", "lost")],
    );
    assert_eq!(revoke.status, 403);
    let damaged = commune.post(
        &format!("/console/cards/{mine}/replace"),
        &[("csrf", &csrf), ("step", "confirm"), ("reason", "damaged")],
    );
    assert_eq!(damaged.status, 303, "{}", damaged.body);
    assert_eq!(card_status(&server, &p.admin_51, &mine)["status"], "active");
}

#[test]
fn an_administrator_reads_a_roll_drafts_check_summary_and_approves_it_which_publishes_it() {
    use asxh_e2e::rolls::this_month;
    let p = Province::new();
    let server = p.dir.start();
    p.dir.national_base_level();
    for (n, sex, year, name, coefficient) in [
        (501, "F", 1946, "Nguyễn Thị Hoa", 100),
        (502, "M", 1950, "Lê Văn Nam", 150),
    ] {
        let holder = asxh_e2e::server::ssn(n, sex, year);
        server.register_beneficiary(&p.admin_51, &holder, name, "51.429.22903");
        server.record_tgxh(&p.admin_51, &holder, coefficient, &format!("{n}/QĐ-UBND"));
    }
    let draft = server.draft_roll(&p.admin_51, "51.429.22903");
    let page_path = format!("/console/rolls/51.429.22903/{}", this_month());
    let mut clerk = Clerk::new(&server);
    clerk.login(&p.admin_51);
    let page = clerk.get(&page_path);
    assert_eq!(page.status, 200, "{}", page.body);
    for text in [
        "Danh sách chi trả",
        "Chờ phê duyệt",
        "Tổng số tiền phải chi trả",
        "1.250.000 đ",
        "Trợ giúp xã hội (TGXH)",
        "Phê duyệt và công bố",
    ] {
        assert!(page.body.contains(text), "{text}: {}", page.body);
    }
    let csrf = clerk.session_csrf();
    let id = draft["id"].as_i64().unwrap();
    let done = clerk.post(
        &format!("/console/roll-drafts/{id}/approve"),
        &[("csrf", &csrf)],
    );
    assert_eq!(done.status, 200, "{}", done.body);
    assert!(
        done.body
            .contains("Đã phê duyệt và công bố danh sách chi trả"),
        "{}",
        done.body
    );
    assert!(done.body.contains("Đã công bố"));
    assert!(!done.body.contains("Phê duyệt và công bố</button>"));
    let served = server.get(&format!("/v1/rolls/51.429.22903/{}", this_month()), None);
    assert_eq!(served.status, 200);
    // The month's changes (biến động): no roll last month, so both are new, by name.
    assert!(done.body.contains("Biến động tăng/giảm so với tháng trước"));
    let changes = clerk.get(&format!("{page_path}/changes"));
    assert_eq!(changes.status, 200, "{}", changes.body);
    for text in [
        "Biến động tăng/giảm",
        "mọi người được chi trả tháng này đều tính là tăng mới",
        "Tăng mới",
        "Nguyễn Thị Hoa",
        "Lê Văn Nam",
        "1.250.000 đ",
    ] {
        assert!(changes.body.contains(text), "{text}: {}", changes.body);
    }
    let csv = clerk.get(&format!(
        "{page_path}/changes/export?table=people&format=csv"
    ));
    assert_eq!(csv.status, 200);
    assert!(csv.body.starts_with('\u{feff}'), "CSV with a BOM for Excel");
    assert_eq!(csv.body.matches("Tăng mới").count(), 2, "{}", csv.body);
    let bad = clerk.get(&format!("{page_path}/changes/export?table=cards"));
    assert_eq!(bad.status, 422, "{}", bad.body);
    // An administrator of another province sees no draft of this commune.
    let mut other = Clerk::new(&server);
    other.login(&p.admin_79);
    assert_eq!(other.get(&page_path).status, 403);
    assert_eq!(other.get(&format!("{page_path}/changes")).status, 403);
}
