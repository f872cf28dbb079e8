//! The counter screen end to end (issue #19 items 1 and 6): the real `asxh-verifier counter`
//! binary serving its page on loopback, a card inserted into a vpcd virtual reader seen through
//! pcscd, the real server over loopback. The page follows the card in and out, shows the verdict
//! and the line due, pays through its HTTP API once (the receipt in the point's journal and
//! uploaded), refuses a second press, a collector the roll does not name, a request without the
//! run's token, from a foreign Origin or for a foreign Host. In Chromium headless the clerk goes
//! insert → verdict → pay (from the keyboard) → receipt → remove → English, each view checked
//! by the shared browser checks (axe-core, 320 px reflow, focus ring) with its screenshot left in
//! `target/counter-screenshots/`. And `watch --pay` pays after "c" on standard input, nothing
//! after "k".

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use asxh_e2e::server::{ssn, Province, ServerDir};
use asxh_e2e::verifier::Verifier;
use asxh_e2e::{insert, VirtualReader};
use fantoccini::{Client, Locator};
use serde_json::{json, Value};

use crate::browser::{browser, check_page, Driver};
use crate::payments::{holder_card, publish_roll, COMMUNE};

/// A running `asxh-verifier counter`, stopped when dropped.
pub(crate) struct CounterPage {
    child: Child,
    pub(crate) listen: String,
}

impl Drop for CounterPage {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One HTTP answer: status and body.
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) body: String,
}

impl Answer {
    pub(crate) fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

impl CounterPage {
    /// Starts the counter of `v` on a free loopback port for `reader`, and waits until it
    /// answers.
    pub(crate) fn start(v: &Verifier, reader: VirtualReader, lang: &str) -> CounterPage {
        let listen = ServerDir::free_address();
        let child = v
            .command(&[
                "counter",
                "--reader",
                reader.name(),
                "--listen",
                &listen,
                "--sync-every",
                "0",
                "--lang",
                lang,
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("asxh-verifier counter starts");
        let page = CounterPage { child, listen };
        let until = Instant::now() + Duration::from_secs(20);
        while page.try_request("GET", "/state", &[], "").is_none() {
            assert!(Instant::now() < until, "the counter page never answered");
            std::thread::sleep(Duration::from_millis(100));
        }
        page
    }

    fn try_request(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &str,
    ) -> Option<Answer> {
        let mut stream = TcpStream::connect(&self.listen).ok()?;
        stream
            .set_read_timeout(Some(Duration::from_secs(90)))
            .ok()?;
        let mut request = format!("{method} {path} HTTP/1.1\r\nConnection: close\r\n");
        if !headers.iter().any(|(n, _)| n.eq_ignore_ascii_case("host")) {
            request.push_str(&format!("Host: {}\r\n", self.listen));
        }
        for (n, v) in headers {
            request.push_str(&format!("{n}: {v}\r\n"));
        }
        request.push_str(&format!(
            "Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        ));
        stream.write_all(request.as_bytes()).ok()?;
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).ok()?;
        let raw = String::from_utf8_lossy(&raw).into_owned();
        let (head, body) = raw.split_once("\r\n\r\n")?;
        let status = head.split(' ').nth(1)?.parse().ok()?;
        Some(Answer {
            status,
            body: body.to_owned(),
        })
    }

    /// A request with the Host of the listen address unless `headers` names another.
    pub(crate) fn request(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &str,
    ) -> Answer {
        self.try_request(method, path, headers, body)
            .unwrap_or_else(|| panic!("{method} {path}: no answer"))
    }

    /// The run's token, as the page embeds it.
    pub(crate) fn token(&self) -> String {
        let page = self.request("GET", "/", &[], "");
        assert_eq!(page.status, 200, "{}", page.body);
        let marker = "name=\"counter-token\" content=\"";
        let start = page.body.find(marker).expect("the page carries the token") + marker.len();
        page.body[start..start + 64].to_owned()
    }

    pub(crate) fn state(&self) -> Value {
        let a = self.request("GET", "/state", &[], "");
        assert_eq!(a.status, 200, "{}", a.body);
        a.json()
    }

    /// Waits until the page's state is in `phase`; that state.
    pub(crate) fn wait_for(&self, phase: &str) -> Value {
        let until = Instant::now() + Duration::from_secs(20);
        loop {
            let s = self.state();
            if s["phase"] == phase {
                return s;
            }
            assert!(Instant::now() < until, "never {phase}: {s}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// `POST /pay` as the page sends it, with the token.
    pub(crate) fn pay(&self, token: &str, body: &Value) -> Answer {
        let origin = format!("http://{}", self.listen);
        self.request(
            "POST",
            "/pay",
            &[("X-Counter-Token", token), ("Origin", &origin)],
            &body.to_string(),
        )
    }
}

/// Waits until the point's receipts all have the server's answer `recorded`; their list.
fn uploaded(v: &Verifier, count: usize) -> String {
    let until = Instant::now() + Duration::from_secs(20);
    loop {
        let out = String::from_utf8_lossy(&v.run(&["receipts", "--json"]).stdout).into_owned();
        if out.matches("\"recorded\"").count() == count {
            return out;
        }
        assert!(Instant::now() < until, "not uploaded: {out}");
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn the_counter_page_follows_the_card_pays_once_through_its_api_and_refuses_what_it_must() {
    let reader = VirtualReader::First;
    let _lock = reader.lock();
    let p = Province::new();
    let server = p.dir.start();
    p.dir.national_base_level();
    let (lan, _) = holder_card(&server, &p, 421, "Trần Thị Lan");
    publish_roll(&server, &p);
    let v = Verifier::init_point(
        &server.url,
        &p.dir.fingerprint,
        "BD-NGHIA-HANH",
        COMMUNE,
        &p.payment_point,
    );
    v.sync();
    asxh_e2e::wait_until_empty(reader);
    let page = CounterPage::start(&v, reader, "vi");
    let empty = page.wait_for("empty");
    assert_eq!(empty["point"], "Điểm chi trả BD-NGHIA-HANH", "{empty}");
    let html = page.request("GET", "/", &[], "").body;
    assert!(html.contains("Mời đưa thẻ vào đầu đọc"), "{html}");
    let token = page.token();

    let card = insert(lan, reader);
    let shown = page.wait_for("card");
    let verdict = &shown["verdict"];
    assert_eq!(verdict["mark"], "green", "{shown}");
    assert!(
        verdict["text"].as_str().unwrap().starts_with('✔'),
        "{shown}"
    );
    assert_eq!(verdict["holder"]["name"], "Trần Thị Lan");
    assert_eq!(verdict["holder"]["ssn"], ssn(421, "F", 1946));
    assert_eq!(verdict["holder"]["date_of_birth"], "19/08/1946", "{shown}");
    let line = &shown["lines"][0];
    assert_eq!(line["amount"], "750.000 đ", "1.5 × 500.000 đ: {shown}");
    assert_eq!(line["payable"], true);
    assert_eq!(shown["can_pay"], true);
    let generation = shown["generation"].as_u64().unwrap();
    let ask = json!({ "generation": generation, "lines": [1] });

    // What another site could send: no token, a foreign Origin, a rebound Host.
    let no_token = page.request("POST", "/pay", &[], &ask.to_string());
    assert_eq!(no_token.status, 403, "{}", no_token.body);
    assert_eq!(no_token.json()["error"], "no_token");
    let foreign = page.request(
        "POST",
        "/pay",
        &[
            ("X-Counter-Token", &token),
            ("Origin", "https://evil.example"),
        ],
        &ask.to_string(),
    );
    assert_eq!(foreign.status, 403, "{}", foreign.body);
    assert_eq!(foreign.json()["error"], "foreign_origin");
    let rebound = page.request(
        "GET",
        "/state",
        &[(
            "Host",
            &format!("evil.example:{}", page.listen.split(':').nth(1).unwrap()),
        )],
        "",
    );
    assert_eq!(rebound.status, 421, "{}", rebound.body);
    assert!(
        rebound.json()["message"]
            .as_str()
            .unwrap()
            .contains("đã từ chối"),
        "{}",
        rebound.body
    );
    // A collector the roll does not name.
    let wrong = page.pay(
        &token,
        &json!({ "generation": generation, "lines": [1], "id_number": "051190001235" }),
    );
    assert_eq!(wrong.status, 422, "{}", wrong.body);
    assert!(
        wrong.json()["message"]
            .as_str()
            .unwrap()
            .contains("KHÔNG chi trả"),
        "{}",
        wrong.body
    );
    assert!(
        v.store().receipts(0, i64::MAX).unwrap().is_empty(),
        "nothing paid yet"
    );

    // The clerk presses "Chi trả": the card signs, the receipt is kept, then shown.
    let paid = page.pay(&token, &ask);
    assert_eq!(paid.status, 200, "{}", paid.body);
    let receipt = paid.json()["receipt"].clone();
    let number = receipt["number"].as_str().unwrap().to_owned();
    assert_eq!(number.split('-').count(), 6, "groups of four: {number}");
    assert!(receipt["total"].as_str().unwrap().contains("750.000 đ"));
    assert!(
        receipt["hand_over"]
            .as_str()
            .unwrap()
            .starts_with("Giao tiền cho người nhận"),
        "{receipt}"
    );
    let after = page.wait_for("paid");
    assert_eq!(after["receipt"]["number"], number.as_str());
    assert_eq!(after["lines"][0]["payable"], false, "{after}");
    assert!(
        after["today"].as_str().unwrap().contains("1 biên nhận"),
        "{after}"
    );
    let kept = v.store().receipts(0, i64::MAX).unwrap();
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].number, number);
    let list = uploaded(&v, 1);
    assert!(list.contains(&kept[0].id), "{list}");

    // A second press (a double click) pays nothing: the journal says it was paid.
    let again = page.pay(&token, &ask);
    assert_eq!(again.status, 409, "{}", again.body);
    assert!(
        again.json()["message"]
            .as_str()
            .unwrap()
            .contains("ĐÃ CHI TRẢ"),
        "{}",
        again.body
    );
    assert_eq!(v.store().receipts(0, i64::MAX).unwrap().len(), 1);

    card.remove().1.expect("the virtual card thread ends");
    let gone = page.wait_for("empty");
    assert!(gone["generation"].as_u64().unwrap() > generation);
    let late = page.pay(&token, &ask);
    assert_eq!(late.status, 409, "{}", late.body);
}

#[test]
fn watch_pay_pays_the_holder_after_c_on_standard_input_and_nothing_after_k() {
    let reader = VirtualReader::Second;
    let _lock = reader.lock();
    let p = Province::new();
    let server = p.dir.start();
    p.dir.national_base_level();
    let (mai, _) = holder_card(&server, &p, 422, "Hoàng Thị Mai");
    publish_roll(&server, &p);
    let v = Verifier::init_point(
        &server.url,
        &p.dir.fingerprint,
        "BD-NGHIA-HANH",
        COMMUNE,
        &p.payment_point,
    );
    v.sync();
    let card = insert(mai, reader);
    let args = [
        "watch",
        "--pay",
        "--count",
        "1",
        "--reader",
        reader.name(),
        "--sync-every",
        "0",
    ];
    let declined = v.run_with_input(&args, "k\n");
    assert!(declined.status.success());
    let err = String::from_utf8_lossy(&declined.stderr);
    assert!(
        err.contains("Chi trả 1 dòng, tổng 750.000 đ cho chủ thẻ? [c/k]"),
        "{err}"
    );
    assert!(err.contains("Không chi trả."), "{err}");
    assert!(v.store().receipts(0, i64::MAX).unwrap().is_empty());

    let paid = v.run_with_input(&args, "c\n");
    assert!(
        paid.status.success(),
        "{}",
        String::from_utf8_lossy(&paid.stderr)
    );
    let out = String::from_utf8_lossy(&paid.stdout);
    assert!(out.contains("CHI TRẢ: giao 750.000 đ"), "{out}");
    let kept = v.store().receipts(0, i64::MAX).unwrap();
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].total_vnd, 750_000);
    uploaded(&v, 1);

    // Shown again, the card has nothing left due: no question asked.
    let third = v.run_with_input(&args, "c\n");
    let err = String::from_utf8_lossy(&third.stderr);
    assert!(!err.contains("[c/k]"), "{err}");
    assert_eq!(v.store().receipts(0, i64::MAX).unwrap().len(), 1);
    card.remove().1.expect("the virtual card thread ends");
}

/// Where the counter's browser test leaves its screenshots (under `target/`).
const SHOTS: &str = "counter-screenshots";

/// Waits until the element `id` of the page is shown.
async fn until_shown(c: &Client, id: &str) {
    let until = Instant::now() + Duration::from_secs(20);
    loop {
        let shown = c
            .execute(
                "const e = document.getElementById(arguments[0]); return !!e && !e.hidden;",
                vec![json!(id)],
            )
            .await
            .unwrap();
        if shown == json!(true) {
            return;
        }
        assert!(Instant::now() < until, "#{id} never shown");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn text_of(c: &Client, css: &str) -> String {
    c.find(Locator::Css(css))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

#[test]
fn in_chromium_the_clerk_pays_from_the_keyboard_sees_the_receipt_and_switches_to_english() {
    let reader = VirtualReader::First;
    // The reader is this test's for its whole run, the browser's part included.
    let _lock = reader.lock();
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
        .block_on(clerk_in_chromium(reader));
}

/// The browser part of [`in_chromium_the_clerk_pays_from_the_keyboard_sees_the_receipt_and_switches_to_english`].
async fn clerk_in_chromium(reader: VirtualReader) {
    let p = Province::new();
    let server = p.dir.start();
    p.dir.national_base_level();
    let (thu, _) = holder_card(&server, &p, 431, "Lê Thị Thu");
    publish_roll(&server, &p);
    let v = Verifier::init_point(
        &server.url,
        &p.dir.fingerprint,
        "BD-NGHIA-HANH",
        COMMUNE,
        &p.payment_point,
    );
    v.sync();
    asxh_e2e::wait_until_empty(reader);
    let page = CounterPage::start(&v, reader, "vi");
    let driver = Driver::start();
    let c = browser(&driver).await;
    c.goto(&format!("http://{}/", page.listen)).await.unwrap();
    until_shown(&c, "empty").await;
    assert_eq!(text_of(&c, "#empty").await, "Mời đưa thẻ vào đầu đọc");
    check_page(&c, SHOTS, "01-empty").await;

    let card = insert(thu, reader);
    until_shown(&c, "card").await;
    let verdict = c.find(Locator::Id("verdict")).await.unwrap();
    assert_eq!(
        verdict.attr("class").await.unwrap().as_deref(),
        Some("verdict green")
    );
    assert!(text_of(&c, "#verdict-text").await.starts_with('✔'));
    assert_eq!(
        text_of(&c, "#holder-name").await,
        "Trần Thị Lan",
        "the name the card carries"
    );
    assert!(text_of(&c, "#lines").await.contains("750.000 đ"));
    let ticked = c
        .execute(
            "return document.querySelectorAll('input[name=line]:checked').length;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(ticked, json!(1), "the line due is ticked by default");
    // The focus is on "Chi trả" when the verdict comes.
    let focused = c.active_element().await.unwrap();
    assert_eq!(focused.attr("id").await.unwrap().as_deref(), Some("pay"));
    check_page(&c, SHOTS, "02-verdict").await;
    // The checks moved the focus; back on the button, Enter pays.
    let pay = c.find(Locator::Id("pay")).await.unwrap();
    pay.send_keys("\u{E007}").await.unwrap();
    until_shown(&c, "receipt").await;
    let heading = text_of(&c, "#receipt-heading").await;
    assert!(heading.starts_with("Biên nhận chi trả số "), "{heading}");
    assert!(text_of(&c, "#receipt-total").await.contains("750.000 đ"));
    assert!(text_of(&c, "#hand-over")
        .await
        .starts_with("Giao tiền cho người nhận"));
    assert!(
        text_of(&c, "#receipt-time").await.contains('/'),
        "dd/mm/yyyy HH:MM"
    );
    assert_eq!(v.store().receipts(0, i64::MAX).unwrap().len(), 1);
    check_page(&c, SHOTS, "03-receipt").await;

    card.remove().1.expect("the virtual card thread ends");
    until_shown(&c, "empty").await;
    check_page(&c, SHOTS, "04-removed").await;

    c.find(Locator::Id("language"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let until = Instant::now() + Duration::from_secs(15);
    while c
        .execute("return document.documentElement.lang;", vec![])
        .await
        .unwrap()
        != json!("en")
    {
        assert!(Instant::now() < until, "the English page never came");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    until_shown(&c, "empty").await;
    assert_eq!(
        text_of(&c, "#empty").await,
        "Please insert the card into the reader"
    );
    assert!(text_of(&c, "#today").await.starts_with("Today: 1 receipts"));
    check_page(&c, SHOTS, "05-english").await;
    c.close().await.unwrap();
}
