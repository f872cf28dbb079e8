//! The server's side of payments at the counter (issue #19), through the real binary on
//! loopback: a payment point registers its key, uploads receipts signed by a card the server
//! issued (an in-process reference card holding its credential) or by its own key, and each is
//! answered recorded, already recorded, flagged (two points paid the same line) or refused with
//! its reason; a paid line reaches the roll's next delta as paid, without approval; the console
//! shows the month's payments and exports them.

use std::time::{Duration, Instant};

use asxh_core::card::{CardClient, InProcessTransport};
use asxh_core::lists::roll::LineStatus;
use asxh_core::lists::{Month, OfficeCode, Roll, RollItem};
use asxh_core::receipt::{Collector, FallbackReason, ReceiptBody, ReceiptId, SignedReceipt};
use asxh_core::signature::SigningKey;
use asxh_core::{AreaCode, CardSerial, Date, Ssn};
use asxh_e2e::payments::{register_point_key as register, upload_receipts as upload};
use asxh_e2e::rolls::this_month;
use asxh_e2e::server::{
    issue_body, issue_card, ssn, verified_trust_list, Province, Req, RunningServer,
};
use asxh_testkit as testkit;
use rand_core::OsRng;
use serde_json::{json, Value};

use crate::console::Clerk;

const COMMUNE: &str = "51.429.22903";

/// A province with a published roll of the commune for this month: two beneficiaries with a
/// card each (in-process reference cards the server issued), each paid TGXH at the base level.
struct World {
    p: Province,
    server: RunningServer,
    cards: Vec<(
        asxh_card::CardApp<asxh_card::MemoryStorage>,
        CardSerial,
        Ssn,
    )>,
    roll: Roll,
}

impl World {
    fn new() -> World {
        let p = Province::new();
        let server = p.dir.start();
        p.dir.national_base_level();
        let admin = p.admin_51.clone();
        let mut cards = Vec::new();
        for (n, name) in [(401, "Nguyễn Thị Hoa"), (402, "Lê Thị Thu")] {
            let holder = ssn(n, "F", 1946);
            let (app, issued) = issue_card(
                testkit::blank_card(),
                &server,
                &p.office_qng,
                issue_body(n, COMMUNE),
            );
            server.register_beneficiary(&admin, &holder, name, COMMUNE);
            server.record_tgxh(&admin, &holder, 100, &format!("{n}/QĐ-UBND"));
            let serial = CardSerial::parse(issued["serial"].as_str().unwrap()).unwrap();
            cards.push((app, serial, Ssn::parse(&holder).unwrap()));
        }
        let draft = server.draft_roll(&admin, COMMUNE);
        let id = draft["id"].as_i64().unwrap();
        let r = server.post(
            &format!("/v1/roll-drafts/{id}/approve"),
            Some(&admin),
            json!({}),
        );
        assert_eq!(r.status, 200, "{}", r.json());
        World {
            roll: wait_roll(&server, &p, 0),
            p,
            server,
            cards,
        }
    }

    /// The full roll once its version is above `above` (the serving server publishes within
    /// its heartbeat).
    fn wait_roll_above(&self, above: u64) -> Roll {
        wait_roll(&self.server, &self.p, above)
    }

    /// The roll's line of card `i`'s holder.
    fn line(&self, i: usize) -> RollItem {
        self.roll.lookup(self.cards[i].2).expect("on the roll")[0]
            .item
            .clone()
    }

    fn body(
        &self,
        i: usize,
        point: &str,
        lines: Vec<RollItem>,
        fallback: Option<FallbackReason>,
    ) -> ReceiptBody {
        ReceiptBody::new(ReceiptBody {
            id: ReceiptId::random(),
            point: OfficeCode::parse(point).unwrap(),
            paid_at: now(),
            serial: Some(self.cards[i].1),
            ssn: self.cards[i].2,
            area: AreaCode::parse(COMMUNE).unwrap(),
            month: Month::of(Date::today()),
            roll_version: self.roll.header.version,
            collector: Collector::Holder,
            fallback,
            lines,
        })
        .unwrap()
    }

    /// A receipt of card `i` paying `lines` at `point`, signed by the card (PERFORM SECURITY
    /// OPERATION on the in-process reference card).
    fn card_receipt(&mut self, i: usize, point: &str, lines: Vec<RollItem>) -> SignedReceipt {
        let body = self.body(i, point, lines, None);
        let app = std::mem::replace(&mut self.cards[i].0, testkit::blank_card());
        let mut client = CardClient::new(InProcessTransport::new(app));
        client.select().expect("SELECT");
        let answer = client
            .sign_receipt(&body.to_bytes())
            .expect("the card signs");
        self.cards[i].0 = client.into_transport().into_app();
        SignedReceipt::from_card(body, &answer).unwrap()
    }
}

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// The full roll once its version is above `above` (the serving server publishes within its
/// heartbeat).
fn wait_roll(server: &RunningServer, p: &Province, above: u64) -> Roll {
    let until = Instant::now() + Duration::from_secs(10);
    loop {
        let roll = fetch_roll(server, p, None);
        if roll.header.version > above {
            return roll;
        }
        assert!(
            Instant::now() < until,
            "the roll never passed version {above}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn fetch_roll(server: &RunningServer, p: &Province, since: Option<u64>) -> Roll {
    let trust = verified_trust_list(server, &p.dir.fingerprint);
    let query = since.map_or(String::new(), |s| format!("?since={s}"));
    let r = server.get(
        &format!("/v1/rolls/{COMMUNE}/{}{query}", this_month()),
        None,
    );
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    Roll::parse_verified(&r.body, &trust.roll_key).expect("the roll verifies")
}

fn one(server: &RunningServer, token: &str, receipt: &[u8]) -> Value {
    upload(server, token, &[receipt]).remove(0)
}

#[test]
fn a_payment_point_registers_its_key_binds_its_code_and_rotates_it() {
    let p = Province::new();
    let server = p.dir.start();
    let key = SigningKey::random(&mut OsRng);
    let (status, body) = register(&server, &p.payment_point, "point-1", &key);
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["code"], "POINT-1");
    assert_eq!(body["area"], "51");
    assert_eq!(body["key_id"].as_str().unwrap().len(), 16);
    assert_eq!(register(&server, &p.payment_point, "POINT-1", &key).0, 200);
    let next = SigningKey::random(&mut OsRng);
    let (status, rotated) = register(&server, &p.payment_point, "POINT-1", &next);
    assert_eq!(status, 200);
    assert_ne!(rotated["key_id"], body["key_id"]);
    let other = p.dir.add_account("payment-point", None, Some("51"));
    let (status, refused) = register(&server, &other, "POINT-1", &key);
    assert_eq!(status, 409, "{refused}");
    assert_eq!(register(&server, &p.payment_point, "x", &key).0, 400);
    let r = server.call(
        "PUT",
        "/v1/payment-points/POINT-2/key",
        Req {
            token: Some(&p.payment_point),
            json: Some(json!({"public_key_hex": "04abcd"})),
            ..Req::default()
        },
    );
    assert_eq!(r.status, 400, "{}", r.json());
    assert_eq!(r.error_field().as_deref(), Some("public_key_hex"));
    assert_eq!(register(&server, &p.admin_51, "POINT-3", &key).0, 403);
    let audit = server.get("/v1/audit", Some(&p.admin_51)).json();
    assert!(audit.to_string().contains("payment_point.key"), "{audit}");
}

#[test]
fn receipts_are_recorded_once_refused_with_their_reason_and_a_second_point_paying_the_same_line_is_flagged(
) {
    let mut w = World::new();
    let point_key = SigningKey::random(&mut OsRng);
    let token = w.p.payment_point.clone();
    assert_eq!(register(&w.server, &token, "POINT-1", &point_key).0, 201);
    let second = w.p.dir.add_account("payment-point", None, Some("51.429"));
    assert_eq!(
        register(
            &w.server,
            &second,
            "POINT-2",
            &SigningKey::random(&mut OsRng)
        )
        .0,
        201
    );
    let far = w.p.dir.add_account("payment-point", None, Some("79"));
    assert_eq!(
        register(&w.server, &far, "POINT-79", &SigningKey::random(&mut OsRng)).0,
        201
    );

    // A card-signed receipt: recorded; the same again: already recorded.
    let line = w.line(0);
    let paid = w.card_receipt(0, "POINT-1", vec![line.clone()]);
    let r = one(&w.server, &token, paid.to_bytes());
    assert_eq!(r["outcome"], "recorded", "{r}");
    assert_eq!(r["id"], paid.body().id.to_hex());
    assert_eq!(
        one(&w.server, &token, paid.to_bytes())["outcome"],
        "already_recorded"
    );

    // Altered after signing (the amount's last byte): bad signature; cut short: malformed.
    let mut altered = w
        .card_receipt(1, "POINT-1", vec![w.line(1)])
        .to_bytes()
        .to_vec();
    let at = altered
        .windows(3)
        .position(|win| win == [0x07, 0xA1, 0x20])
        .expect("the amount 500.000 đ in the receipt");
    altered[at + 2] = 0x21;
    let r = one(&w.server, &token, &altered);
    assert_eq!(r["outcome"], "refused");
    assert_eq!(r["problem"]["code"], "bad_signature", "{r}");
    let r = one(&w.server, &token, &paid.to_bytes()[..40]);
    assert_eq!(r["problem"]["code"], "malformed", "{r}");

    // A line the roll does not pay that holder: not in the roll.
    let mut other = w.line(1);
    other.amount_vnd += 1;
    let not_on_roll = w.card_receipt(1, "POINT-1", vec![other]);
    let r = one(&w.server, &token, not_on_roll.to_bytes());
    assert_eq!(r["problem"]["code"], "not_in_roll", "{r}");

    // A card the server never issued: unknown card.
    let mut stranger = w.body(1, "POINT-1", vec![w.line(1)], None);
    stranger.serial = Some(CardSerial::new(999_999).unwrap());
    let stranger = SignedReceipt::from_card(stranger, &[0u8; 65]).unwrap();
    let r = one(&w.server, &token, stranger.to_bytes());
    assert_eq!(r["problem"]["code"], "unknown_card", "{r}");

    // Another point's code: point mismatch; a point of another area: outside area.
    let theirs = w.card_receipt(1, "POINT-2", vec![w.line(1)]);
    assert_eq!(
        one(&w.server, &token, theirs.to_bytes())["problem"]["code"],
        "point_mismatch"
    );
    let far_receipt = w.card_receipt(1, "POINT-79", vec![w.line(1)]);
    let r = one(&w.server, &far, far_receipt.to_bytes());
    assert_eq!(r["problem"]["code"], "outside_area", "{r}");

    // The point's own key signs a fallback receipt: recorded.
    let fallback = SignedReceipt::sign_by_point(
        w.body(
            1,
            "POINT-1",
            vec![w.line(1)],
            Some(FallbackReason::ChipUnreadable),
        ),
        &point_key,
    )
    .unwrap();
    assert_eq!(
        one(&w.server, &token, fallback.to_bytes())["outcome"],
        "recorded"
    );

    // Offline, the second point paid holder 0's line too: kept, flagged, naming the first.
    let twice = w.card_receipt(0, "POINT-2", vec![line]);
    let r = one(&w.server, &second, twice.to_bytes());
    assert_eq!(r["outcome"], "flagged", "{r}");
    assert_eq!(
        r["paid_by"],
        json!([{"id": paid.body().id.to_hex(), "point": "POINT-1", "paid_at": paid.body().paid_at}])
    );
    assert_eq!(
        one(&w.server, &second, twice.to_bytes())["outcome"],
        "already_recorded"
    );

    // The same id with other bytes: id reused.
    let mut reused = w.body(
        1,
        "POINT-1",
        vec![w.line(1)],
        Some(FallbackReason::CardNotPresented),
    );
    reused.id = paid.body().id;
    let reused = SignedReceipt::sign_by_point(reused, &point_key).unwrap();
    assert_eq!(
        one(&w.server, &token, reused.to_bytes())["problem"]["code"],
        "id_reused"
    );

    // A batch of 101: refused as a whole, naming the limit; answers keep the order sent.
    let many: Vec<&[u8]> = (0..101).map(|_| paid.to_bytes()).collect();
    let hexes: Vec<String> = many.iter().map(hex::encode).collect();
    let r = w
        .server
        .post("/v1/payments", Some(&token), json!({"receipts": hexes}));
    assert_eq!(r.status, 400, "{}", r.json());
    assert_eq!(r.error_field().as_deref(), Some("receipts"));
    assert!(r.json()["error"]["message"]
        .as_str()
        .unwrap()
        .contains("1 to 100"));
    let hundred = upload(&w.server, &token, &many[..100]);
    assert_eq!(hundred.len(), 100);
    assert!(hundred.iter().all(|r| r["outcome"] == "already_recorded"));
    let results = upload(&w.server, &token, &[&altered, paid.to_bytes()]);
    assert_eq!(results[0]["outcome"], "refused");
    assert_eq!(results[1]["outcome"], "already_recorded");

    // Not a payment point: 403.
    let r = w.server.post(
        "/v1/payments",
        Some(&w.p.admin_51),
        json!({"receipts": [hex::encode(paid.to_bytes())]}),
    );
    assert_eq!(r.status, 403);

    // Each upload that kept receipts is audited, naming them.
    let audit = w
        .server
        .get("/v1/audit?limit=1000", Some(&w.p.admin_51))
        .json();
    let uploads: Vec<&Value> = audit["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["action"] == "payments.upload")
        .collect();
    assert_eq!(uploads.len(), 3, "{audit}");
    assert!(uploads[2].to_string().contains(&twice.body().id.to_hex()));

    // The console: the month's payments, the flagged receipt beside the one that paid first,
    // and the exports.
    let page = console_get(&w, &format!("/console/payments/{COMMUNE}/{}", this_month()));
    assert!(page.contains("Biên nhận chi trùng"), "{page}");
    assert!(page.contains(&paid.body().id.to_string()), "{page}");
    assert!(page.contains(&twice.body().id.to_string()), "{page}");
    assert!(page.contains("POINT-2"), "{page}");
    let csv = console_get(
        &w,
        &format!(
            "/console/payments/{COMMUNE}/{}/export?format=csv",
            this_month()
        ),
    );
    assert!(csv.starts_with('\u{feff}'), "a BOM");
    assert!(
        csv.contains("Số biên nhận") && csv.contains("chi trùng"),
        "{csv}"
    );
    assert_eq!(
        csv.lines().count(),
        4,
        "the header and three receipts of one line: {csv}"
    );
}

/// A console page as the area's administrator sees it, logged in with the account's token.
fn console_get(w: &World, path: &str) -> String {
    let mut clerk = Clerk::new(&w.server);
    clerk.login(&w.p.admin_51);
    let page = clerk.get(path);
    assert_eq!(page.status, 200, "{path}: {}", page.body);
    page.body
}

#[test]
fn a_recorded_line_reaches_the_rolls_next_delta_as_paid_within_seconds_without_approval() {
    let mut w = World::new();
    let token = w.p.payment_point.clone();
    assert_eq!(
        register(
            &w.server,
            &token,
            "POINT-1",
            &SigningKey::random(&mut OsRng)
        )
        .0,
        201
    );
    let before = w.roll.header.version;
    let receipt = w.card_receipt(0, "POINT-1", vec![w.line(0)]);
    let started = Instant::now();
    assert_eq!(
        one(&w.server, &token, receipt.to_bytes())["outcome"],
        "recorded"
    );
    let full = w.wait_roll_above(before);
    let took = started.elapsed();
    assert!(took < Duration::from_secs(5), "the paid mark took {took:?}");
    let delta = fetch_roll(&w.server, &w.p, Some(before));
    assert!(
        delta.header.base_version == Some(before),
        "a delta from {before}"
    );
    let lines = delta
        .lookup(w.cards[0].2)
        .expect("the paid holder is in the delta");
    assert_eq!(lines[0].status, LineStatus::Paid);
    assert!(
        delta.lookup(w.cards[1].2).is_none(),
        "the other holder is unchanged"
    );
    assert_eq!(
        full.lookup(w.cards[1].2).unwrap()[0].status,
        LineStatus::Due
    );
    let drafts = w
        .server
        .get(
            &format!("/v1/rolls/{COMMUNE}/{}/drafts", this_month()),
            Some(&w.p.admin_51),
        )
        .json();
    assert_eq!(drafts["drafts"][0]["status"], "published", "{drafts}");
    assert!(
        drafts["drafts"][0]["approved_by"].is_null(),
        "no approval: {drafts}"
    );
}
