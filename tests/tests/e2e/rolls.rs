//! The monthly payment roll from the register to the counter (SPEC.md §17): decisions recorded
//! through the API, the roll drafted from them and approved, served by the real binary on
//! loopback, synced by the real verifier, and its verdict's lines following each change in the
//! register (a base level, a recipient, a death) after one sync with no card reissued; forged,
//! tampered, other-area and older rolls refused at sync.

use std::time::{Duration, Instant};

use asxh_e2e::relay::{server_key, Relay};
use asxh_e2e::rolls::{last_month, monthly_line, signed_roll, this_month};
use asxh_e2e::server::{issue_body, ssn, Province, Req, RunningServer};
use asxh_e2e::verifier::Verifier;
use serde_json::{json, Value};

const COMMUNE: &str = "51.429.22903";

/// The QR text of a new card of holder `n` (TGXH 540.000 đ on the card, BHYT).
fn issue_qr(server: &RunningServer, p: &Province, n: u32) -> String {
    let reply = server.post("/v1/cards", Some(&p.office_qng), issue_body(n, "51"));
    assert_eq!(reply.status, 201, "{}", reply.json());
    reply.json()["qr_text"].as_str().unwrap().to_owned()
}

fn roll_path() -> String {
    format!("/v1/rolls/{COMMUNE}/{}", this_month())
}

/// The served roll's version (waits up to 10 s for it to pass `above`: a publication from the
/// command line reaches the serving server at its next heartbeat).
fn served_version(server: &RunningServer, above: u64) -> u64 {
    let until = Instant::now() + Duration::from_secs(10);
    loop {
        let r = server.get(&roll_path(), None);
        if r.status == 200 {
            let etag = r.etag.clone().unwrap_or_default();
            let version: u64 = etag
                .trim_matches('"')
                .split('-')
                .nth(1)
                .and_then(|v| v.parse().ok())
                .unwrap_or(0);
            if version > above {
                return version;
            }
        }
        assert!(
            Instant::now() < until,
            "the roll never passed version {above}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn approve(server: &RunningServer, p: &Province, draft: &Value) -> Value {
    let id = draft["id"].as_i64().unwrap();
    let r = server.post(
        &format!("/v1/roll-drafts/{id}/approve"),
        Some(&p.admin_51),
        json!({}),
    );
    assert_eq!(r.status, 200, "{}", r.json());
    r.json()
}

fn sync(v: &Verifier) -> Value {
    let out = v.run(&["sync", "--json", "--area", COMMUNE]);
    assert!(
        out.status.success(),
        "sync: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("sync report is JSON")
}

fn screen(v: &Verifier, qr: &str) -> String {
    String::from_utf8_lossy(&v.run(&["qr", "--text", qr]).stdout).into_owned()
}

#[test]
fn the_register_reaches_the_counter_a_base_level_change_a_recipient_change_and_a_death_each_after_one_sync(
) {
    let p = Province::new();
    let server = p.dir.start();
    let qr = issue_qr(&server, &p, 301);
    let holder = ssn(301, "F", 1946);
    let neighbour = ssn(302, "F", 1946);
    let v = Verifier::init(&server.url, &p.dir.fingerprint);

    // Nothing published for the month yet: the card's amounts stand, with a note.
    let report = sync(&v);
    assert!(report.get("roll").is_none(), "{report}");
    assert!(
        report["warnings"].to_string().contains("no payment roll"),
        "{report}"
    );
    assert_eq!(server.get(&roll_path(), None).status, 404);
    let (code, verdict) = v.verdict(&["qr", "--text", &qr]);
    assert_eq!(code, 10, "{verdict}");
    assert!(verdict["warnings"].to_string().contains("no payment roll"));

    // The register: two residents of the commune, each with a decision at the base level
    // (the national 500.000 đ since 2024-07).
    p.dir.national_base_level();
    let admin = p.admin_51.as_str();
    server.register_beneficiary(admin, &holder, "Nguyễn Thị Hoa", COMMUNE);
    server.register_beneficiary(admin, &neighbour, "Lê Thị Thu", COMMUNE);
    let decision = server.record_tgxh(admin, &holder, 100, "301/QĐ-UBND");
    server.record_tgxh(admin, &neighbour, 100, "302/QĐ-UBND");

    // The month's roll: drafted from the register, checked, approved by the area's admin.
    let draft = server.draft_roll(admin, COMMUNE);
    assert_eq!(draft["status"], "draft", "{draft}");
    assert_eq!(draft["summary"]["total_vnd"], 1_000_000, "{draft}");
    assert_eq!(
        server.get(&roll_path(), None).status,
        404,
        "not before approval"
    );
    let first = approve(&server, &p, &draft)["published_version"]
        .as_u64()
        .unwrap();
    let served = server.get(&roll_path(), None);
    assert_eq!(served.status, 200);
    let etag = served.etag.clone().unwrap();
    let again = server.call(
        "GET",
        &roll_path(),
        Req {
            headers: vec![("If-None-Match", etag)],
            ..Req::default()
        },
    );
    assert_eq!(again.status, 304);

    let report = sync(&v);
    assert_eq!(report["roll"]["fetch"], "full", "{report}");
    assert_eq!(report["roll"]["version"], first);
    assert_eq!(report["roll"]["beneficiaries"], 2);
    let (code, verdict) = v.verdict(&["qr", "--text", &qr]);
    assert_eq!(code, 10, "{verdict}");
    assert_eq!(verdict["roll"]["version"], first);
    assert_eq!(verdict["lines"][0]["amount_vnd"], 500_000, "{verdict}");
    assert_eq!(verdict["lines"][0]["payable"], true);
    let text = screen(&v, &qr);
    assert!(
        text.contains("500.000 đ") && text.contains("✔ được chi trả"),
        "{text}"
    );
    assert!(
        !text.contains("540.000"),
        "the card's amount is never shown with a roll: {text}"
    );

    // The province raises its base level from this month: one admin action; the server drafts
    // the roll again with every amount recomputed, and the raise waits for approval.
    let raised = server.post(
        "/v1/base-levels",
        Some(admin),
        json!({"program": "TGXH", "province": "51", "from": this_month(),
               "amount_vnd": 750_000, "decree": "45/2026/NQ-HĐND"}),
    );
    assert_eq!(raised.status, 200, "{}", raised.json());
    let raise = server.redrafted(admin, COMMUNE, draft["id"].as_i64().unwrap());
    assert_eq!(raise["status"], "draft", "an increase waits: {raise}");
    assert_eq!(raise["summary"]["total_vnd"], 1_500_000, "{raise}");
    assert_eq!(raise["summary"]["changes"]["changed"], 2, "{raise}");
    let second = approve(&server, &p, &raise)["published_version"]
        .as_u64()
        .unwrap();
    let report = sync(&v);
    assert_eq!(report["roll"]["fetch"], "delta", "{report}");
    assert_eq!(report["roll"]["version"], second);
    let (_, verdict) = v.verdict(&["qr", "--text", &qr]);
    assert_eq!(
        verdict["lines"][0]["amount_vnd"], 750_000,
        "no card reissued: {verdict}"
    );

    // A guardian now collects.
    let recipient = server.call(
        "PUT",
        &format!("/v1/entitlements/{decision}/recipient"),
        Req {
            token: Some(admin),
            json: Some(
                json!({"recipient": {"role": "guardian", "name": "Trần Văn Hùng",
                "id_number": "051090001234", "document": "QĐ 77/QĐ-UBND",
                "valid_from": format!("{}-01", this_month())}}),
            ),
            ..Req::default()
        },
    );
    assert_eq!(recipient.status, 204, "{}", recipient.json());
    let guardian = server.redrafted(admin, COMMUNE, raise["id"].as_i64().unwrap());
    assert_eq!(
        guardian["status"], "draft",
        "another recipient waits for approval"
    );
    approve(&server, &p, &guardian);
    assert_eq!(sync(&v)["roll"]["fetch"], "delta");
    let (code, verdict) = v.verdict(&["qr", "--text", &qr]);
    assert_eq!(code, 10);
    assert_eq!(
        verdict["lines"][0]["recipient"]["name"], "Trần Văn Hùng",
        "{verdict}"
    );
    let text = screen(&v, &qr);
    assert!(
        text.contains("Người nhận: người giám hộ: Trần Văn Hùng"),
        "{text}"
    );

    // A death last month, reported now: the server's new draft only reduces, so it publishes
    // at once without approval, and one sync stops payment.
    let before = served_version(&server, 0);
    let stop = server.post(
        &format!("/v1/entitlements/{decision}/stop"),
        Some(admin),
        json!({"on": format!("{}-20", last_month()), "reason": "deceased"}),
    );
    assert_eq!(stop.status, 204, "{}", stop.json());
    let stopped = server.redrafted(admin, COMMUNE, guardian["id"].as_i64().unwrap());
    assert_eq!(stopped["status"], "published", "{stopped}");
    assert_eq!(stopped["approved_by"], Value::Null);
    served_version(&server, before);
    let report = sync(&v);
    assert_eq!(report["roll"]["fetch"], "delta", "{report}");
    let (code, verdict) = v.verdict(&["qr", "--text", &qr]);
    assert_eq!(code, 26, "nothing payable: {verdict}");
    assert_eq!(verdict["outcome"], "nothing_payable");
    assert_eq!(verdict["lines"][0]["payable"], false);
    let text = screen(&v, &qr);
    assert!(
        text.contains("thôi hưởng") && text.contains("KHÔNG CÓ KHOẢN NÀO ĐƯỢC CHI TRẢ"),
        "{text}"
    );
    assert!(!text.contains("✔ được chi trả"), "{text}");

    // Another holder of the commune, not on the roll: nothing payable whatever the card says.
    let stranger = issue_qr(&server, &p, 303);
    let (code, verdict) = v.verdict(&["qr", "--text", &stranger]);
    assert_eq!(code, 26, "{verdict}");
    assert!(verdict["reasons"]
        .to_string()
        .contains("not on the payment roll"));
    assert_eq!(sync(&v)["roll"]["fetch"], "unchanged");
}

#[test]
fn a_forged_tampered_other_area_or_older_roll_is_refused_at_sync_in_vietnamese() {
    let p = Province::new();
    let server = p.dir.start();
    let relay = Relay::start(&server.url);
    p.dir.national_base_level();
    let holder = ssn(401, "F", 1946);
    server.register_beneficiary(&p.admin_51, &holder, "Phạm Thị Hạnh", COMMUNE);
    server.record_tgxh(&p.admin_51, &holder, 100, "401/QĐ-UBND");
    let entries = json!([
        {"ssn": holder, "lines": [monthly_line("TGXH", 500_000, "due", None)]},
    ]);
    let draft = server.draft_roll(&p.admin_51, COMMUNE);
    let version = approve(&server, &p, &draft)["published_version"]
        .as_u64()
        .unwrap();
    let genuine = server.get(&roll_path(), None).body;
    let roll_key = server_key(&p.dir, "payment-roll.key");
    let v = Verifier::init(&relay.url, &p.dir.fingerprint);

    let refused = |expect: &str| {
        let out = v.run(&["sync", "--area", COMMUNE]);
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(out.status.code(), Some(42), "{stderr}");
        assert!(stderr.contains(expect), "{stderr}");
    };
    // Signed with another key (the revocation list's): a forgery.
    let forged = signed_roll(
        &server_key(&p.dir, "revocation-list.key"),
        COMMUNE,
        version + 1,
        None,
        &entries,
    );
    relay.replace(&roll_path(), forged);
    refused("danh sách chi trả không đúng chữ ký số");
    let mut tampered = genuine.clone();
    let at = tampered.len() - 70;
    tampered[at] ^= 0x01;
    relay.replace(&roll_path(), tampered);
    refused("danh sách chi trả không đúng chữ ký số");
    // Genuinely signed, but another commune's.
    let other = signed_roll(&roll_key, "51.429.22904", version + 1, None, &entries);
    relay.replace(&roll_path(), other);
    refused("không phải của 51.429.22903");
    assert!(
        v.store().snapshot().unwrap().roll.is_none(),
        "nothing refused is kept"
    );

    // The genuine roll is taken; then an older genuine one is a rollback.
    relay.forward(&roll_path());
    let out = v.run(&["sync", "--json", "--area", COMMUNE]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let older = signed_roll(&roll_key, COMMUNE, version - 1, None, &entries);
    relay.answer_with(&format!("{}?since={version}", roll_path()), 200, older);
    refused("cũ hơn phiên bản");
    assert_eq!(
        v.store().snapshot().unwrap().roll.unwrap().header.version,
        version,
        "the held roll stays"
    );
}
