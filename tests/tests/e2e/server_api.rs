//! The issuing server over real HTTP on loopback with a real SQLite file: the issuing flow, the
//! authorization matrix, concurrent duplicate issuance, kill -9 during a stream of revocations,
//! the audit chain, and bad input on every route.

use std::collections::BTreeSet;
use std::sync::{Arc, Barrier, Mutex};

use asxh_core::lists::RevocationReason;
use asxh_core::signature;
use asxh_core::{CardSerial, SignedCredential, SignedQr};
use asxh_e2e::server::{
    card_key_hex, issue_body, revocation_list, ssn, stderr, verified_trust_list, Province, Req,
    RunningServer,
};
use serde_json::{json, Value};

fn issue(server: &RunningServer, token: &str, n: u32, area: &str) -> String {
    let reply = server.post("/v1/cards", Some(token), issue_body(n, area));
    assert_eq!(reply.status, 201, "{}", reply.json());
    reply.json()["serial"].as_str().unwrap().to_owned()
}

#[test]
fn office_issues_activates_and_admin_revokes_and_the_signed_lists_say_so() {
    let p = Province::new();
    let server = p.dir.start();
    assert_eq!(server.get("/healthz", None).json()["status"], "ok");
    let trust = verified_trust_list(&server, &p.dir.fingerprint);
    assert_eq!(trust.issuers.len(), 2);

    // Issue: a PENDING card whose credential and QR verify under the office's issuer key.
    let body = issue_body(1, "51.22903");
    let reply = server.post("/v1/cards", Some(&p.office_qng), body.clone());
    assert_eq!(reply.status, 201, "{}", reply.json());
    let issued = reply.json();
    let serial = issued["serial"].as_str().unwrap().to_owned();
    let key_id =
        asxh_core::IssuerKeyId::parse_hex(issued["issuer_key_id_hex"].as_str().unwrap()).unwrap();
    let issuer = trust
        .issuer(key_id)
        .expect("the issuing key is in the trust list");
    assert_eq!(issuer.office.as_str(), "QNG-01");
    let cred =
        SignedCredential::parse(&hex::decode(issued["credential_hex"].as_str().unwrap()).unwrap())
            .unwrap()
            .verify(&issuer.public_key)
            .expect("credential verifies");
    assert_eq!(cred.body().serial.to_string(), serial);
    assert_eq!(
        hex::encode(signature::public_key_bytes(&cred.body().card_public_key)),
        body["card_public_key_hex"]
    );
    assert_eq!(cred.body().entitlements().len(), 2);
    assert!(issuer.trusts(cred.body().issued));
    let qr = SignedQr::parse(issued["qr_text"].as_str().unwrap())
        .unwrap()
        .verify(&issuer.public_key)
        .expect("QR verifies");
    assert_eq!(qr.body().serial.to_string(), serial);
    assert_eq!(issued["expires"], cred.body().expires.to_string());

    let card = server
        .get(&format!("/v1/cards/{serial}"), Some(&p.office_qng))
        .json();
    assert_eq!(card["status"], "pending");
    assert_eq!(
        server
            .post(
                &format!("/v1/cards/{serial}/activate"),
                Some(&p.office_qng),
                json!({})
            )
            .status,
        200
    );
    let card = server
        .get(&format!("/v1/cards/{serial}"), Some(&p.admin_51))
        .json();
    assert_eq!(card["status"], "active");
    let events: Vec<&str> = card["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["event"].as_str().unwrap())
        .collect();
    assert_eq!(events, ["issued", "activated"]);
    let by_ssn = server
        .get(
            &format!("/v1/cards?ssn={}", ssn(1, "F", 1946)),
            Some(&p.admin_51),
        )
        .json();
    assert_eq!(by_ssn["cards"].as_array().unwrap().len(), 1);

    // Revoke: durable, versioned, in the full list and in the delta, with ETags.
    let empty = revocation_list(&server, &trust, "");
    assert_eq!(empty.entries().len(), 0);
    let v0 = empty.version;
    let reply = server.post(
        "/v1/revocations",
        Some(&p.admin_51),
        json!({"serial": serial, "reason": "lost"}),
    );
    assert_eq!(reply.status, 201, "{}", reply.json());
    let v1 = reply.json()["list_version"].as_u64().unwrap();
    assert!(v1 > v0, "the revocation is a new publication");
    let full = revocation_list(&server, &trust, "");
    assert_eq!(full.version, v1);
    let serial_value = CardSerial::parse(&serial).unwrap();
    assert_eq!(
        full.lookup(serial_value).unwrap().reason,
        RevocationReason::Lost
    );
    let delta = revocation_list(&server, &trust, &format!("?since={v0}"));
    assert_eq!(delta.base_version, Some(v0));
    assert!(delta.lookup(serial_value).is_some());
    let mut cached = empty.clone();
    cached.apply(&delta).unwrap();
    assert_eq!(cached.entries(), full.entries());
    assert_eq!(
        revocation_list(&server, &trust, &format!("?since={v1}"))
            .entries()
            .len(),
        0
    );

    let first = server.get(&format!("/v1/revocation-list?since={v1}"), None);
    let etag = first.etag.clone().expect("ETag");
    let again = server.call(
        "GET",
        &format!("/v1/revocation-list?since={v1}"),
        Req {
            headers: vec![("If-None-Match", etag)],
            ..Req::default()
        },
    );
    assert_eq!(again.status, 304);
    let tl = server.get("/v1/trust-list", None);
    let again = server.call(
        "GET",
        "/v1/trust-list",
        Req {
            headers: vec![("If-None-Match", tl.etag.clone().unwrap())],
            ..Req::default()
        },
    );
    assert_eq!(again.status, 304);
    let json_tl = server
        .call(
            "GET",
            "/v1/trust-list",
            Req {
                headers: vec![("Accept", "application/json".into())],
                ..Req::default()
            },
        )
        .json();
    assert_eq!(json_tl["issuers"].as_array().unwrap().len(), 2);
    assert_eq!(json_tl["root_key_fingerprint"], p.dir.fingerprint);
    assert_eq!(json_tl["issuers"][0]["status"], "active");

    // The revoked SSN may get a new card; replacing that one revokes it in the same step.
    let second = issue(&server, &p.office_qng, 1, "51.22903");
    let mut body = issue_body(1, "51.22903");
    body["replaces"] = json!({"serial": second, "reason": "damaged"});
    let reply = server.post("/v1/cards", Some(&p.office_qng), body);
    assert_eq!(reply.status, 201, "{}", reply.json());
    let third = reply.json()["serial"].as_str().unwrap().to_owned();
    let card = server
        .get(&format!("/v1/cards/{third}"), Some(&p.office_qng))
        .json();
    assert_eq!(card["replaces"], second.as_str());
    let old = server
        .get(&format!("/v1/cards/{second}"), Some(&p.office_qng))
        .json();
    assert_eq!(old["status"], "revoked");
    assert_eq!(old["revocation"]["reason"], "damaged");
    let after_replacement = revocation_list(&server, &trust, "");
    assert!(after_replacement.version > v1);
    assert_eq!(
        after_replacement.version,
        old["revocation"]["list_version"].as_u64().unwrap(),
        "the replacement published the old card's revocation"
    );

    // The audit log has every step, and the chain verifies while the server runs.
    let audit = server.get("/v1/audit", Some(&p.auditor)).json();
    let actions: Vec<&str> = audit["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["action"].as_str().unwrap())
        .collect();
    for expected in [
        "office.add",
        "account.add",
        "card.issue",
        "card.activate",
        "card.revoke",
    ] {
        assert!(actions.contains(&expected), "{expected} in {actions:?}");
    }
    assert!(p
        .dir
        .cli_ok(&["audit", "verify"])
        .contains("Chuỗi nhật ký thao tác còn nguyên vẹn"));

    // A backup taken while serving is a consistent database with every card.
    let backup = p.dir.data().with_file_name("backup.sqlite");
    p.dir.cli_ok(&["backup", "--to", backup.to_str().unwrap()]);
    let db = rusqlite::Connection::open(&backup).unwrap();
    let cards: i64 = db
        .query_row("SELECT COUNT(*) FROM cards", [], |r| r.get(0))
        .unwrap();
    assert_eq!(cards, 3);
}

/// Expected status for each account, in the order of [`tokens`].
type Row = [u16; 8];

fn tokens(p: &Province) -> [Option<&str>; 8] {
    [
        Some(&p.office_qng),
        Some(&p.office_hcm),
        Some(&p.admin_51),
        Some(&p.admin_79),
        Some(&p.payment_point),
        Some(&p.auditor),
        Some(&p.data_entry),
        None,
    ]
}

const ACCOUNT_NAMES: [&str; 8] = [
    "office QNG (51)",
    "office HCM (79)",
    "admin 51",
    "admin 79",
    "payment point",
    "auditor",
    "data entry 51.22903",
    "no token",
];

/// Sends one request per account and records every status that differs from `expected`.
fn check_row(
    failures: &mut Vec<String>,
    p: &Province,
    route: &str,
    expected: Row,
    request: &mut dyn FnMut(Option<&str>) -> u16,
) {
    for (i, token) in tokens(p).into_iter().enumerate() {
        let got = request(token);
        if got != expected[i] {
            failures.push(format!(
                "{route} as {}: got {got}, expected {}",
                ACCOUNT_NAMES[i], expected[i]
            ));
        }
    }
}

#[test]
fn every_role_reaches_exactly_the_routes_and_areas_it_should() {
    let p = Province::new();
    let server = p.dir.start();
    let mut n = 100;
    let mut failures = Vec::new();
    let mut check = |route: &str, expected: Row, request: &mut dyn FnMut(Option<&str>) -> u16| {
        check_row(&mut failures, &p, route, expected, request)
    };
    //                                           QNG  HCM  A51  A79  PP   AUD  DE   none
    check(
        "POST /v1/cards (area 51)",
        [201, 403, 403, 403, 403, 403, 403, 401],
        &mut |t| {
            n += 1;
            server
                .post("/v1/cards", t, issue_body(n, "51.22903"))
                .status
        },
    );
    // Fresh pending cards of QNG for activate/void.
    let pending: Vec<String> = (0..16)
        .map(|i| issue(&server, &p.office_qng, 200 + i, "51"))
        .collect();
    let mut next = pending.iter();
    check(
        "POST /v1/cards/{s}/activate",
        [200, 404, 403, 403, 403, 403, 403, 401],
        &mut |t| {
            server
                .post(
                    &format!("/v1/cards/{}/activate", next.next().unwrap()),
                    t,
                    json!({}),
                )
                .status
        },
    );
    check(
        "POST /v1/cards/{s}/void",
        [200, 404, 403, 403, 403, 403, 403, 401],
        &mut |t| {
            server
                .post(
                    &format!("/v1/cards/{}/void", next.next().unwrap()),
                    t,
                    json!({}),
                )
                .status
        },
    );
    let in_51 = &pending[0];
    check(
        "GET /v1/cards/{s}",
        [200, 404, 200, 404, 403, 200, 404, 401],
        &mut |t| server.get(&format!("/v1/cards/{in_51}"), t).status,
    );
    let in_commune = issue(&server, &p.office_qng, 250, "51.22903");
    check(
        "GET /v1/cards/{s} (card in 51.22903)",
        [200, 404, 200, 404, 403, 200, 200, 401],
        &mut |t| server.get(&format!("/v1/cards/{in_commune}"), t).status,
    );
    check(
        "GET /v1/cards?ssn=",
        [200, 200, 200, 200, 403, 200, 200, 401],
        &mut |t| {
            server
                .get(&format!("/v1/cards?ssn={}", ssn(200, "F", 1946)), t)
                .status
        },
    );
    // Out-of-area lookups by SSN see nothing rather than another province's cards.
    let seen = server
        .get(
            &format!("/v1/cards?ssn={}", ssn(200, "F", 1946)),
            Some(&p.admin_79),
        )
        .json();
    assert_eq!(seen["cards"].as_array().unwrap().len(), 0);
    let active: Vec<String> = (0..8)
        .map(|i| {
            let s = issue(&server, &p.office_qng, 300 + i, "51");
            server.post(
                &format!("/v1/cards/{s}/activate"),
                Some(&p.office_qng),
                json!({}),
            );
            s
        })
        .collect();
    let mut next = active.iter();
    check(
        "POST /v1/revocations (card in 51)",
        [403, 403, 201, 404, 403, 403, 403, 401],
        &mut |t| {
            server
                .post(
                    "/v1/revocations",
                    t,
                    json!({"serial": next.next().unwrap(), "reason": "stolen"}),
                )
                .status
        },
    );
    let current = server.get("/healthz", None).json()["revocation_list_version"].clone();
    let since_current = format!("/v1/revocation-list?since={current}");
    for public in [
        "/healthz",
        "/v1/root-key",
        "/v1/trust-list",
        "/v1/revocation-list",
        since_current.as_str(),
    ] {
        check(public, [200; 8], &mut |t| server.get(public, t).status);
    }
    check(
        "GET /v1/audit",
        [403, 403, 200, 200, 403, 200, 403, 401],
        &mut |t| server.get("/v1/audit", t).status,
    );
    check(
        "GET /v1/reports",
        [200, 200, 200, 200, 403, 200, 200, 401],
        &mut |t| server.get("/v1/reports", t).status,
    );
    check(
        "GET /v1/areas/{code}",
        [200, 200, 200, 200, 200, 200, 200, 401],
        &mut |t| server.get("/v1/areas/51.22903", t).status,
    );
    // Each reader's report holds its own area only.
    let report = |t: &str| server.get("/v1/reports", Some(t)).json();
    let province = report(&p.auditor);
    let commune = report(&p.data_entry);
    assert_eq!(province["area_code"], "51");
    assert_eq!(commune["area_code"], "51.22903");
    assert!(
        province["total"]["people"].as_u64().unwrap()
            > commune["total"]["people"].as_u64().unwrap(),
        "{province} {commune}"
    );
    assert_eq!(report(&p.admin_79)["total"]["people"], 0);
    check("bad token", [401; 8], &mut |_| {
        server.get("/v1/audit", Some("asxh_0000")).status
    });
    assert!(
        failures.is_empty(),
        "authorization matrix:\n{}",
        failures.join("\n")
    );

    // A revoked account's token stops working at once.
    let token = p.dir.add_account("admin", None, Some("51"));
    assert_eq!(server.get("/v1/audit", Some(&token)).status, 200);
    let id = server.get("/v1/audit", Some(&p.admin_51)).json()["rows"]
        .as_array()
        .unwrap()
        .iter()
        .rev()
        .find(|r| r["action"] == "account.add")
        .map(|r| r["detail"]["account"].as_i64().unwrap())
        .unwrap();
    p.dir
        .cli_ok(&["account", "revoke", "--id", &id.to_string()]);
    assert_eq!(server.get("/v1/audit", Some(&token)).status, 401);
}

#[test]
fn of_concurrent_issuances_for_one_ssn_exactly_one_succeeds() {
    let p = Province::new();
    let server = Arc::new(p.dir.start());
    for holder in 0..4u32 {
        let barrier = Arc::new(Barrier::new(8));
        let statuses: Vec<u16> = (0..8)
            .map(|i| {
                let (server, barrier, token) =
                    (server.clone(), barrier.clone(), p.office_qng.clone());
                std::thread::spawn(move || {
                    let mut body = issue_body(500 + holder, "51");
                    body["card_public_key_hex"] =
                        json!(card_key_hex(&format!("racer {holder} {i}")));
                    barrier.wait();
                    server.post("/v1/cards", Some(&token), body).status
                })
            })
            .collect::<Vec<_>>()
            .into_iter()
            .map(|h| h.join().unwrap())
            .collect();
        assert_eq!(
            statuses.iter().filter(|s| **s == 201).count(),
            1,
            "{statuses:?}"
        );
        assert_eq!(
            statuses.iter().filter(|s| **s == 409).count(),
            7,
            "{statuses:?}"
        );
    }
}

#[test]
fn every_revocation_acknowledged_before_a_kill_9_is_in_the_next_list() {
    let p = Province::new();
    let mut server = p.dir.start();
    let serials: Vec<String> = (0..240)
        .map(|i| {
            let s = issue(&server, &p.office_qng, 1000 + i, "51");
            assert_eq!(
                server
                    .post(
                        &format!("/v1/cards/{s}/activate"),
                        Some(&p.office_qng),
                        json!({})
                    )
                    .status,
                200
            );
            s
        })
        .collect();
    let acknowledged = Arc::new(Mutex::new(Vec::<(String, u64)>::new()));
    let server_ref = Arc::new(Mutex::new(()));
    let url = server.url.clone();
    let work = Arc::new(Mutex::new(serials.clone()));
    let clients: Vec<_> = (0..4)
        .map(|_| {
            let (ack, work, url, token) = (
                acknowledged.clone(),
                work.clone(),
                url.clone(),
                p.admin_51.clone(),
            );
            let _guard = server_ref.clone();
            std::thread::spawn(move || {
                let agent = ureq::AgentBuilder::new()
                    .timeout(std::time::Duration::from_secs(10))
                    .build();
                loop {
                    let Some(serial) = work.lock().unwrap().pop() else {
                        return;
                    };
                    match agent
                        .post(&format!("{url}/v1/revocations"))
                        .set("Authorization", &format!("Bearer {token}"))
                        .send_json(json!({"serial": serial, "reason": "lost"}))
                    {
                        Ok(r) if r.status() == 201 => {
                            let v: Value = r.into_json().unwrap();
                            ack.lock()
                                .unwrap()
                                .push((serial, v["list_version"].as_u64().unwrap()));
                        }
                        Ok(r) => panic!("unexpected status {}", r.status()),
                        // The server died mid-request: this one was never acknowledged.
                        Err(_) => return,
                    }
                }
            })
        })
        .collect();
    while acknowledged.lock().unwrap().len() < 80 {
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    server.kill_9();
    for c in clients {
        c.join().unwrap();
    }
    let acknowledged = acknowledged.lock().unwrap().clone();
    assert!(
        acknowledged.len() >= 80 && acknowledged.len() < serials.len(),
        "{} acknowledged",
        acknowledged.len()
    );

    let server = p.dir.start();
    let trust = verified_trust_list(&server, &p.dir.fingerprint);
    let list = revocation_list(&server, &trust, "");
    let max_ack = acknowledged.iter().map(|(_, v)| *v).max().unwrap();
    assert!(
        list.version >= max_ack,
        "list version {} went below an acknowledged {max_ack}",
        list.version
    );
    for (serial, version) in &acknowledged {
        assert!(
            list.lookup(CardSerial::parse(serial).unwrap()).is_some(),
            "acknowledged revocation of {serial} (v{version}) lost"
        );
    }
    // Revocations committed together share their version: fewer versions than revocations
    // under this load, and the list holds every acknowledged one.
    let versions: BTreeSet<u64> = acknowledged.iter().map(|(_, v)| *v).collect();
    assert!(versions.len() <= acknowledged.len());
    assert!(list.entries().len() >= acknowledged.len());
    assert!(p
        .dir
        .cli_ok(&["audit", "verify"])
        .contains("Chuỗi nhật ký thao tác còn nguyên vẹn"));
    // The rest can still be revoked after the restart.
    let remaining = serials
        .iter()
        .find(|s| list.lookup(CardSerial::parse(s).unwrap()).is_none())
        .unwrap();
    let reply = server.post(
        "/v1/revocations",
        Some(&p.admin_51),
        json!({"serial": remaining, "reason": "lost"}),
    );
    assert_eq!(reply.status, 201);
    assert!(
        reply.json()["list_version"].as_u64().unwrap() > list.version,
        "versions only go up across the kill and restart"
    );
}

#[test]
fn audit_verify_names_the_edited_and_the_deleted_row() {
    let p = Province::new();
    {
        let server = p.dir.start();
        let s = issue(&server, &p.office_qng, 1, "51");
        server.post(
            "/v1/revocations",
            Some(&p.admin_51),
            json!({"serial": s, "reason": "error"}),
        );
    }
    assert!(p
        .dir
        .cli_ok(&["audit", "verify"])
        .contains("còn nguyên vẹn"));
    let db = rusqlite::Connection::open(p.dir.data().join("asxh.sqlite")).unwrap();
    let original: String = db
        .query_row("SELECT detail FROM audit WHERE id = 3", [], |r| r.get(0))
        .unwrap();
    db.execute(
        "UPDATE audit SET detail = '{\"edited\":true}' WHERE id = 3",
        [],
    )
    .unwrap();
    let out = p.dir.cli(&["audit", "verify"]);
    assert_eq!(out.status.code(), Some(7), "{}", stderr(&out));
    assert!(stderr(&out).contains("row 3"), "{}", stderr(&out));
    db.execute("UPDATE audit SET detail = ?1 WHERE id = 3", [original])
        .unwrap();
    assert!(p.dir.cli(&["audit", "verify"]).status.success());
    db.execute("DELETE FROM audit WHERE id = 4", []).unwrap();
    let out = p.dir.cli(&["audit", "verify"]);
    assert_eq!(out.status.code(), Some(7));
    assert!(
        stderr(&out).contains("row 4 is missing"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn bad_input_on_every_route_gets_a_status_a_code_and_the_field() {
    let p = Province::new();
    let server = p.dir.start();
    let office = Some(p.office_qng.as_str());
    let admin = Some(p.admin_51.as_str());
    let serial = issue(&server, &p.office_qng, 1, "51");

    let with = |edit: &dyn Fn(&mut Value)| {
        let mut b = issue_body(2, "51");
        edit(&mut b);
        b
    };
    let cases: Vec<(&str, Value, u16, &str, Option<&str>)> = vec![
        (
            "bad SSN shape",
            with(&|b| b["ssn"] = json!("12345")),
            422,
            "invalid_field",
            Some("ssn"),
        ),
        (
            "SSN disagrees with sex",
            with(&|b| b["sex"] = json!("M")),
            422,
            "invalid_field",
            Some("ssn"),
        ),
        (
            "name with control character",
            with(&|b| b["full_name"] = json!("Trần\u{7}Lan")),
            422,
            "invalid_field",
            Some("full_name"),
        ),
        (
            "SQL in the name",
            with(&|b| b["full_name"] = json!("Lan'); DROP TABLE cards;--")),
            422,
            "invalid_field",
            Some("full_name"),
        ),
        (
            "bad date of birth",
            with(&|b| b["date_of_birth"] = json!("1946-02-30")),
            422,
            "invalid_field",
            Some("date_of_birth"),
        ),
        (
            "bad sex",
            with(&|b| b["sex"] = json!("X")),
            422,
            "invalid_field",
            Some("sex"),
        ),
        (
            "bad area",
            with(&|b| b["area_code"] = json!("51..2")),
            422,
            "invalid_field",
            Some("area_code"),
        ),
        (
            "area outside the office",
            with(&|b| b["area_code"] = json!("79")),
            403,
            "forbidden",
            None,
        ),
        (
            "zero amount",
            with(&|b| b["entitlements"][0]["monthly_amount_vnd"] = json!(0)),
            422,
            "invalid_field",
            Some("entitlements[0].monthly_amount_vnd"),
        ),
        (
            "reversed validity",
            with(&|b| b["entitlements"][1]["valid_until"] = json!("2025-01-01")),
            422,
            "invalid_field",
            Some("entitlements[1].valid_until"),
        ),
        (
            "nine entitlements",
            with(&|b| b["entitlements"] = json!(vec![b["entitlements"][0].clone(); 9])),
            422,
            "invalid_field",
            Some("entitlements"),
        ),
        (
            "card key not hex",
            with(&|b| b["card_public_key_hex"] = json!("zz")),
            422,
            "invalid_field",
            Some("card_public_key_hex"),
        ),
        (
            "card key off the curve",
            with(&|b| b["card_public_key_hex"] = json!(format!("04{}", "00".repeat(64)))),
            422,
            "invalid_field",
            Some("card_public_key_hex"),
        ),
        (
            "unknown field",
            with(&|b| b["nickname"] = json!("x")),
            422,
            "invalid_field",
            None,
        ),
        (
            "missing field",
            with(&|b| {
                b.as_object_mut().unwrap().remove("ssn");
            }),
            422,
            "invalid_field",
            None,
        ),
        (
            "replaces with a typo in the serial",
            with(&|b| b["replaces"] = json!({"serial": "0000000001-0", "reason": "lost"})),
            422,
            "invalid_field",
            Some("replaces.serial"),
        ),
        (
            "replaces with a bad reason",
            with(&|b| b["replaces"] = json!({"serial": serial, "reason": "bored"})),
            422,
            "invalid_field",
            Some("replaces.reason"),
        ),
    ];
    for (what, body, status, code, field) in cases {
        let r = server.post("/v1/cards", office, body);
        assert_eq!(
            (r.status, r.error_code().as_str()),
            (status, code),
            "{what}: {}",
            r.json()
        );
        if field.is_some() {
            assert_eq!(r.error_field().as_deref(), field, "{what}: {}", r.json());
        }
        assert!(!r.json()["error"]["message"].as_str().unwrap().is_empty());
    }
    let dup = server.post("/v1/cards", office, issue_body(1, "51"));
    assert_eq!((dup.status, dup.error_code().as_str()), (409, "conflict"));

    let raw = |path: &str, body: &[u8], token| {
        server.call(
            "POST",
            path,
            Req {
                token,
                raw: Some(body.to_vec()),
                ..Req::default()
            },
        )
    };
    let r = raw("/v1/cards", b"{not json", office);
    assert_eq!((r.status, r.error_code().as_str()), (400, "malformed_json"));
    let r = raw("/v1/cards", &vec![b' '; 200 * 1024], office);
    assert_eq!((r.status, r.error_code().as_str()), (413, "too_large"));
    let r = raw("/v1/revocations", b"[]", admin);
    assert_eq!(r.status, 422);

    let r = server.post("/v1/cards/0000000001-0/activate", office, json!({}));
    assert_eq!(
        (r.status, r.error_code().as_str()),
        (422, "invalid_field"),
        "typo in serial"
    );
    let r = server.post("/v1/cards/0000099999-5/activate", office, json!({}));
    assert_eq!(r.status, 404, "{}", r.json());
    let r = server.post(&format!("/v1/cards/{serial}/void"), office, json!({}));
    assert_eq!(r.status, 200);
    let r = server.post(&format!("/v1/cards/{serial}/activate"), office, json!({}));
    assert_eq!(
        (r.status, r.error_code().as_str()),
        (409, "conflict"),
        "a void card cannot be activated"
    );
    assert_eq!(server.get("/v1/cards/abc", office).status, 422);
    assert_eq!(
        server.get("/v1/cards", office).error_field().as_deref(),
        Some("ssn")
    );
    assert_eq!(server.get("/v1/cards?ssn=051", office).status, 422);

    for (body, status, field) in [
        (
            json!({"serial": serial, "ssn": ssn(1, "F", 1946), "reason": "lost"}),
            422,
            Some("serial"),
        ),
        (json!({"reason": "lost"}), 422, Some("serial")),
        (
            json!({"serial": serial, "reason": "bored"}),
            422,
            Some("reason"),
        ),
        (json!({"serial": serial, "reason": "lost"}), 409, None),
        (
            json!({"serial": "0000099999-5", "reason": "lost"}),
            404,
            None,
        ),
        (
            json!({"ssn": ssn(77, "F", 1946), "reason": "lost"}),
            404,
            None,
        ),
    ] {
        let r = server.post("/v1/revocations", admin, body.clone());
        assert_eq!(r.status, status, "{body}: {}", r.json());
        if field.is_some() {
            assert_eq!(r.error_field().as_deref(), field, "{body}");
        }
    }
    assert_eq!(
        server.get("/v1/revocation-list?since=abc", None).status,
        422
    );
    let unknown = server.get("/v1/revocation-list?since=99", None);
    assert_eq!(unknown.status, 409, "a version never published");
    assert_eq!(unknown.error_code(), "unknown_base_version");
    assert_eq!(server.get("/v1/nothing-here", None).status, 404);
    assert_eq!(server.get("/v1/audit?limit=abc", admin).status, 400);
    // The server is still healthy after all of it.
    assert_eq!(server.get("/healthz", None).status, 200);
}

#[test]
fn command_line_refuses_to_overwrite_and_keeps_keys_private() {
    use std::os::unix::fs::PermissionsExt;
    let p = Province::new();
    let keys = p.dir.data().join("keys");
    for entry in std::fs::read_dir(&keys).unwrap() {
        let mode = entry.unwrap().metadata().unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    let again = p.dir.cli(&["init"]);
    assert_eq!(again.status.code(), Some(1));
    assert!(stderr(&again).contains("refusing"), "{}", stderr(&again));
    let dup = p.dir.cli(&[
        "office", "add", "--code", "QNG-01", "--name", "x", "--area", "51",
    ]);
    assert_eq!(dup.status.code(), Some(4), "{}", stderr(&dup));
    let bad = p.dir.cli(&[
        "account", "add", "--role", "office", "--office", "QNG-01", "--area", "79",
    ]);
    assert_eq!(bad.status.code(), Some(2), "{}", stderr(&bad));
    let bad = p
        .dir
        .cli(&["revoke", "--serial", "0000000001-0", "--reason", "lost"]);
    assert_eq!(bad.status.code(), Some(2), "{}", stderr(&bad));
    assert!(stderr(&bad).contains("check digit"), "{}", stderr(&bad));

    let server = p.dir.start();
    let s = issue(&server, &p.office_qng, 1, "51");
    let out = p.dir.cli_ok(&[
        "revoke",
        "--ssn",
        &ssn(1, "F", 1946),
        "--reason",
        "deceased",
    ]);
    assert!(out.contains(&s) && out.contains("phiên bản 1"), "{out}");
    let card = server
        .get(&format!("/v1/cards/{s}"), Some(&p.admin_51))
        .json();
    assert_eq!(card["revocation"]["reason"], "deceased");
}

#[test]
fn the_served_openapi_document_is_the_committed_one() {
    let p = Province::new();
    let server = p.dir.start();
    let reply = server.get("/v1/openapi.json", None);
    assert_eq!(reply.status, 200);
    let committed = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../server/openapi.json"
    ))
    .expect("server/openapi.json");
    assert!(
        reply.body == committed.as_bytes(),
        "GET /v1/openapi.json differs from server/openapi.json"
    );
    assert_eq!(reply.json()["info"]["title"], "asxh-server");
}
