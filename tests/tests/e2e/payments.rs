//! Payments at the counter end to end (issue #19): cards in the vpcd virtual readers seen
//! through pcscd, the real server over loopback, two payment points with their own data
//! directories and accounts. A payment is made once; the same point refuses it again at once,
//! another online point after its sync; two offline points that both paid are caught at upload;
//! a holder with a blocked PIN and a holder without the card are paid; and the receipts verify
//! with the independent Python checker written from SPEC.md alone.

use std::process::Command;
use std::time::{Duration, Instant};

use asxh_core::card::{AdminCode, CardClient, InProcessTransport, Pin, PinCheck};
use asxh_e2e::rolls::this_month;
use asxh_e2e::server::{issue_body, issue_card, ssn, Province, RunningServer, ServerDir};
use asxh_e2e::verifier::Verifier;
use asxh_e2e::{insert, VirtualReader};
use asxh_testkit as testkit;
use serde_json::{json, Value};

use crate::console::Clerk;

pub(crate) const COMMUNE: &str = "51.429.22903";

/// Issues a card to holder `n` (a resident of the commune with a social-assistance decision).
pub(crate) fn holder_card(
    server: &RunningServer,
    p: &Province,
    n: u32,
    name: &str,
) -> (asxh_card::CardApp<asxh_card::MemoryStorage>, Value) {
    let holder = ssn(n, "F", 1946);
    server.register_beneficiary(&p.admin_51, &holder, name, COMMUNE);
    server.record_tgxh(&p.admin_51, &holder, 150, &format!("{n}/QĐ-UBND"));
    issue_card(
        testkit::blank_card(),
        server,
        &p.office_qng,
        issue_body(n, COMMUNE),
    )
}

/// Drafts this month's roll of the commune from the register and approves it; its version.
pub(crate) fn publish_roll(server: &RunningServer, p: &Province) -> u64 {
    let draft = server.draft_roll(&p.admin_51, COMMUNE);
    let approved = server.post(
        &format!("/v1/roll-drafts/{}/approve", draft["id"]),
        Some(&p.admin_51),
        json!({}),
    );
    assert_eq!(approved.status, 200, "{}", approved.json());
    approved.json()["published_version"].as_u64().unwrap()
}

/// Syncs `v` until the roll it holds is newer than `version` (the server publishes paid marks
/// within a second or two); the sync report.
fn sync_past(v: &Verifier, version: u64) -> Value {
    let until = Instant::now() + Duration::from_secs(15);
    loop {
        let report = v.sync();
        if report["roll"]["version"].as_u64().unwrap_or(0) > version {
            return report;
        }
        assert!(
            Instant::now() < until,
            "no newer roll than {version}: {report}"
        );
        std::thread::sleep(Duration::from_millis(300));
    }
}

/// Checks `receipt_hex` with firmware-spec/vectors/check_vectors.py's receipt verifier (written
/// from SPEC.md §18 alone) and `key_hex`; what it decoded.
fn python_verifies(receipt_hex: &str, key_hex: &str) -> Value {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../firmware-spec/vectors");
    let script = "import json, sys, check_vectors as c\n\
                  print(json.dumps(c.verify_receipt(bytes.fromhex(sys.argv[1]), bytes.fromhex(sys.argv[2]))))";
    let out = Command::new("python3")
        .current_dir(dir)
        .args(["-c", script, receipt_hex, key_hex])
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "the independent checker refused the receipt: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("the checker prints JSON")
}

/// The card public key (hex) of an issued card's credential.
pub(super) fn card_key_hex(issued: &Value) -> String {
    let credential = hex::decode(issued["credential_hex"].as_str().unwrap()).unwrap();
    let (_, key) = asxh_core::SignedCredential::parse(&credential)
        .unwrap()
        .card_binding()
        .unwrap();
    hex::encode(key)
}

#[test]
fn a_line_is_paid_once_refused_again_here_and_at_another_point_and_a_double_offline_payment_is_flagged(
) {
    let reader = VirtualReader::First;
    let _lock = reader.lock();
    let p = Province::new();
    let address = ServerDir::free_address();
    let mut server = p.dir.start_args(&["--listen", &address]);
    p.dir.national_base_level();
    let (lan, lan_issued) = holder_card(&server, &p, 401, "Trần Thị Lan");
    let (mai, _) = holder_card(&server, &p, 402, "Hoàng Thị Mai");
    let first = publish_roll(&server, &p);
    let other_account = p.dir.add_account("payment-point", None, Some("51"));
    let a = Verifier::init_point(
        &server.url,
        &p.dir.fingerprint,
        "BD-NGHIA-HANH",
        COMMUNE,
        &p.payment_point,
    );
    let b = Verifier::init_point(
        &server.url,
        &p.dir.fingerprint,
        "BD-HANH-THINH",
        COMMUNE,
        &other_account,
    );
    assert_eq!(a.sync()["roll"]["version"], first);
    assert_eq!(b.sync()["roll"]["version"], first);

    // Point A pays Lan: the card signs the receipt in the session that verified it, and the
    // point, online, uploads it at once.
    let card = insert(lan, reader);
    let (code, paid, err) = a.pay(&["--reader", reader.name()]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("1 được ghi nhận"), "uploaded at once: {err}");
    let payment = &paid["payment"];
    assert_eq!(payment["signed_by"], "card", "{payment}");
    assert_eq!(payment["total_vnd"], 750_000, "1.5 × 500.000 đ: {payment}");
    // SELECT, GET DATA, INTERNAL AUTHENTICATE, PERFORM SECURITY OPERATION; the vpcd reader
    // announces no extended length, so the credential takes a GET RESPONSE as well.
    assert_eq!(payment["wire"]["commands"], 5, "{payment}");
    assert!(
        payment["wire"]["bytes"].as_u64().unwrap() <= 1536,
        "{payment}"
    );
    let receipt_hex = payment["receipt_hex"].as_str().unwrap().to_owned();
    assert!(
        receipt_hex.len() / 2 <= 200,
        "{} bytes",
        receipt_hex.len() / 2
    );
    let human = String::from_utf8_lossy(&a.run(&["receipts", "--lang", "vi"]).stdout).into_owned();
    assert!(human.contains("750.000 đ"), "{human}");

    // The receipt verifies from SPEC alone, with the card key of its credential only.
    let decoded = python_verifies(&receipt_hex, &card_key_hex(&lan_issued));
    assert_eq!(decoded["profile"], "card");
    assert_eq!(decoded["ssn"], ssn(401, "F", 1946));
    assert_eq!(decoded["point"], "BD-NGHIA-HANH");
    assert_eq!(decoded["total_vnd"], 750_000);

    // The same point refuses at once, before any upload.
    let (code, _, err) = a.pay(&["--reader", reader.name()]);
    assert_eq!(code, 50, "{err}");
    assert!(err.contains("ĐÃ CHI TRẢ"), "{err}");

    // Already uploaded; the paid mark reaches point B after its sync, which then refuses.
    let report = a.sync();
    assert_eq!(report["upload"]["pending"], 0, "{report}");
    let marked = sync_past(&b, first);
    let (code, _, err) = b.pay(&["--reader", reader.name()]);
    assert_eq!(
        code, 50,
        "paid elsewhere, refused after one sync: {err} {marked}"
    );
    assert!(err.contains("ĐÃ CHI TRẢ"), "{err}");
    card.remove().1.expect("the virtual card thread ends");

    // The network goes down; Mai's card at both points, which cannot know: both pay, and each
    // keeps its receipt for later.
    server.stop();
    let card = insert(mai, reader);
    let (code, first_of_mai, err) = a.pay(&["--reader", reader.name()]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("sẽ gửi ở lần đồng bộ sau"), "{err}");
    let (code, second, err) = b.pay(&["--reader", reader.name()]);
    assert_eq!(code, 0, "an offline point cannot know: {err}");
    card.remove().1.expect("the virtual card thread ends");
    server = p.dir.start_args(&["--listen", &address]);
    assert_eq!(a.sync()["upload"]["recorded"], 1);
    let report = b.sync();
    assert_eq!(report["upload"]["flagged"], 1, "caught at upload: {report}");
    let receipts = String::from_utf8_lossy(&b.run(&["receipts", "--json"]).stdout).into_owned();
    assert!(
        receipts.contains("flagged"),
        "the point keeps the flag: {receipts}"
    );
    // The province sees both receipts as evidence on the payments page.
    let mut clerk = Clerk::new(&server);
    clerk.login(&p.admin_51);
    let page = clerk.get(&format!("/console/payments/{COMMUNE}/{}", this_month()));
    assert_eq!(page.status, 200, "{}", page.body);
    for receipt in [&first_of_mai["payment"], &second["payment"]] {
        let bytes = receipt["receipt_hex"].as_str().unwrap();
        assert!(
            page.body.contains(bytes),
            "both receipts shown: {}",
            page.body
        );
    }
}

#[test]
fn a_holder_with_a_blocked_pin_is_paid_by_the_card_and_one_without_the_card_by_the_point() {
    let reader = VirtualReader::Second;
    let _lock = reader.lock();
    let p = Province::new();
    let server = p.dir.start();
    p.dir.national_base_level();
    let (card, _) = holder_card(&server, &p, 411, "Lê Thị Thu");
    holder_card(&server, &p, 412, "Phạm Văn Hải");
    publish_roll(&server, &p);
    // The office set a PIN; the holder forgot it and blocked it.
    let mut client = CardClient::new(InProcessTransport::new(card));
    client.select().unwrap();
    client.verify_admin(&AdminCode::factory_default()).unwrap();
    client.set_pin(&Pin::parse("2468").unwrap()).unwrap();
    for _ in 0..3 {
        client.verify_pin(&Pin::parse("1111").unwrap()).unwrap();
    }
    assert_eq!(client.pin_status().unwrap(), PinCheck::Blocked);
    let card = client.into_transport().into_app();

    let v = Verifier::init_point(
        &server.url,
        &p.dir.fingerprint,
        "BD-NGHIA-HANH",
        COMMUNE,
        &p.payment_point,
    );
    v.sync();
    let inserted = insert(card, reader);
    let (code, paid, err) = v.pay(&["--reader", reader.name()]);
    assert_eq!(code, 0, "a blocked PIN never stops a payment: {err}");
    assert_eq!(paid["payment"]["signed_by"], "card");
    assert_eq!(paid["payment"]["pin"]["blocked"], true, "{paid}");
    inserted.remove().1.expect("the virtual card thread ends");

    // The other holder left the card at home: identity document and the roll, signed by the
    // point's own key with the reason.
    let (code, paid, err) = v.pay(&[
        "--fallback",
        "card_not_presented",
        "--ssn",
        &ssn(412, "F", 1946),
    ]);
    assert_eq!(code, 0, "{err}");
    let payment = &paid["payment"];
    assert_eq!(payment["signed_by"], "point", "{payment}");
    assert_eq!(payment["fallback"], "card_not_presented");
    let report = v.sync();
    assert_eq!(
        report["upload"]["pending"], 0,
        "uploaded as each was paid: {report}"
    );
    let receipts = String::from_utf8_lossy(&v.run(&["receipts", "--json"]).stdout).into_owned();
    assert_eq!(receipts.matches("\"recorded\"").count(), 2, "{receipts}");
    // The point's receipt verifies from SPEC alone with the point's registered key.
    let key = std::fs::read_to_string(v.data().join("point-key")).unwrap();
    let signing = asxh_core::SigningKey::from_slice(&hex::decode(key.trim()).unwrap()).unwrap();
    let public = hex::encode(asxh_core::signature::public_key_bytes(
        signing.verifying_key(),
    ));
    let decoded = python_verifies(payment["receipt_hex"].as_str().unwrap(), &public);
    assert_eq!(decoded["profile"], "point");
    assert_eq!(decoded["fallback"], "card_not_presented");
}
