//! The payment-point verifier end to end: cards in the vpcd virtual readers seen through pcscd,
//! lists from the real server over loopback, verdicts read from the binary's `--json` output and
//! exit codes.

use std::io::{BufRead, BufReader};
use std::process::Stdio;

use asxh_core::card::{AdminCode, CardApplication, CardClient, InProcessTransport};
use asxh_core::lists::{IssuerEntry, IssuerStatus, RevocationList, TrustList};
use asxh_core::{Credential, Date};
use asxh_e2e::relay::{server_key, Relay};
use asxh_e2e::server::{issue_body, issue_card, Province};
use asxh_e2e::verifier::{verdict_of, Verifier};
use asxh_e2e::{insert, wait_until_empty, VirtualReader};
use asxh_testkit::{self as testkit, InProcessReader};
use asxh_verdict::{Policy, Verdict};
use asxh_verifier::watch::{watch, WatchOptions, WatchUi};
use serde_json::json;

/// Verifies the card in `reader` with the binary.
fn verify_in<A: CardApplication + Send + 'static>(
    v: &Verifier,
    app: A,
    reader: VirtualReader,
    extra: &[&str],
) -> (i32, serde_json::Value) {
    let (_, code, verdict) = verify_and_pull(v, app, reader, extra);
    (code, verdict)
}

/// [`verify_in`] that gives the card back once pulled out of the reader.
fn verify_and_pull<A: CardApplication + Send + 'static>(
    v: &Verifier,
    app: A,
    reader: VirtualReader,
    extra: &[&str],
) -> (A, i32, serde_json::Value) {
    let card = insert(app, reader);
    let mut args = vec!["card", "--reader", reader.name()];
    args.extend_from_slice(extra);
    let (code, verdict) = v.verdict(&args);
    (card.remove().0, code, verdict)
}

/// A card personalized with the test issuer key, which no trust list knows.
fn locally_issued_card() -> asxh_card::CardApp<asxh_card::MemoryStorage> {
    testkit::issued_card(77, vec![], None)
}

/// An attacker's card: a genuine, issued card application with its own key that answers GET DATA
/// with `credential`.
fn clone_with(credential: Vec<u8>) -> testkit::CloneCard<asxh_card::MemoryStorage> {
    testkit::CloneCard {
        inner: locally_issued_card(),
        copied_credential: credential,
    }
}

#[test]
fn a_genuine_card_is_valid_then_revoked_after_a_sync_and_offline_verification_keeps_working() {
    let reader = VirtualReader::First;
    let _lock = reader.lock();
    let p = Province::new();
    let server = p.dir.start();
    let (card_a, issued_a) = issue_card(
        testkit::blank_card(),
        &server,
        &p.office_qng,
        issue_body(1, "51.22903"),
    );
    let (card_b, _) = issue_card(
        testkit::blank_card(),
        &server,
        &p.office_qng,
        issue_body(2, "51.22903"),
    );
    let v = Verifier::init_and_sync(&server.url, &p.dir.fingerprint);

    let card = insert(card_a, reader);
    let (code, verdict) = v.verdict(&["card", "--reader", reader.name()]);
    assert_eq!(code, 0, "{verdict}");
    assert_eq!(verdict["outcome"], "valid");
    assert_eq!(verdict["serial"], issued_a["serial"]);
    assert_eq!(verdict["holder"]["full_name"], "Trần Thị Lan");
    assert_eq!(verdict["issuer"]["office"], "QNG-01");
    // SPEC.md §7.1: vpcd does not say it carries extended length, so the credential comes in
    // with Le 00 and GET RESPONSE: SELECT, GET DATA, GET RESPONSE, INTERNAL AUTHENTICATE.
    assert_eq!(verdict["wire"]["commands"], 4, "{verdict}");
    assert!(
        verdict["wire"]["bytes"].as_u64().unwrap() <= 1024,
        "{verdict}"
    );
    // The clerk's screen, in Vietnamese by default and in English on request.
    let human = v.run(&["card", "--reader", reader.name()]);
    let text = String::from_utf8_lossy(&human.stdout);
    assert!(
        text.contains("HỢP LỆ")
            && text.contains("540.000 đ/tháng")
            && text.contains("Trợ giúp xã hội"),
        "{text}"
    );
    let english = String::from_utf8_lossy(
        &v.run(&["card", "--reader", reader.name(), "--lang", "en"])
            .stdout,
    )
    .into_owned();
    assert!(
        english.contains("VALID") && english.contains("Social assistance"),
        "{english}"
    );

    // Revoked on the server: the point only knows after a sync.
    let r = server.post(
        "/v1/revocations",
        Some(&p.admin_51),
        json!({"serial": issued_a["serial"], "reason": "lost"}),
    );
    assert_eq!(r.status, 201);
    assert_eq!(
        v.verdict(&["card", "--reader", reader.name()]).0,
        0,
        "not synced yet"
    );
    let report = v.sync();
    assert_eq!(report["revocation_fetch"], "delta");
    let (code, verdict) = v.verdict(&["card", "--reader", reader.name()]);
    assert_eq!(code, 20, "{verdict}");
    assert_eq!(verdict["revocation"]["reason"], "lost");
    let text =
        String::from_utf8_lossy(&v.run(&["card", "--reader", reader.name()]).stdout).into_owned();
    assert!(
        text.contains("NGỪNG SỬ DỤNG") && text.contains("Mất thẻ"),
        "{text}"
    );
    drop(card.remove());

    // The server goes away: the point keeps verifying from its cache, and says so when it tries
    // to sync.
    drop(server);
    let (code, verdict) = verify_in(&v, card_b, reader, &[]);
    assert_eq!(code, 0, "{verdict}");
    let failed = v.run(&["sync"]);
    assert_eq!(
        failed.status.code(),
        Some(41),
        "{}",
        String::from_utf8_lossy(&failed.stderr)
    );

    let journal = v.run(&["journal", "--json"]);
    let rows: Vec<serde_json::Value> = String::from_utf8_lossy(&journal.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(rows.len() >= 5);
    assert!(
        rows.iter().all(|r| r["holder"].is_null()),
        "no personal data in the journal by default"
    );
    assert!(rows.iter().any(|r| r["outcome"] == "revoked"));
}

#[test]
fn clones_forgeries_foreign_issuers_and_dates_are_each_refused_with_their_exit_code() {
    let reader = VirtualReader::Second;
    let _lock = reader.lock();
    let p = Province::new();
    let server = p.dir.start();
    let (genuine, issued) = issue_card(
        testkit::blank_card(),
        &server,
        &p.office_qng,
        issue_body(3, "51"),
    );
    let credential = hex::decode(issued["credential_hex"].as_str().unwrap()).unwrap();
    let v = Verifier::init_and_sync(&server.url, &p.dir.fingerprint);

    assert_eq!(verify_in(&v, genuine, reader, &[]).0, 0);

    // The genuine credential copied onto another card, which has its own key.
    let (code, verdict) = verify_in(&v, clone_with(credential.clone()), reader, &[]);
    assert_eq!(code, 24, "{verdict}");
    assert_eq!(verdict["outcome"], "clone_suspected");

    // One byte of the holder's name changed.
    let mut flipped = credential.clone();
    let at = flipped
        .windows(3)
        .position(|w| w == "Lan".as_bytes())
        .unwrap();
    flipped[at] = b'M';
    let (code, verdict) = verify_in(&v, clone_with(flipped), reader, &[]);
    assert_eq!(code, 23, "{verdict}");

    // A card personalized with an issuer key the trust list does not know.
    let (code, verdict) = verify_in(&v, locally_issued_card(), reader, &[]);
    assert_eq!(code, 22, "{verdict}");
    assert!(
        verdict["reasons"][0]
            .as_str()
            .unwrap()
            .contains("not in the trust list"),
        "{verdict}"
    );

    // Signed by the office's real key, but valid only from next year.
    let office_key = server_key(&p.dir, "issuer-QNG-01.key");
    let issued_on = Date::from_days(Date::today().days() + 365);
    let body = asxh_core::CredentialBody::new(
        asxh_core::CardSerial::new(900).unwrap(),
        asxh_core::IssuerKeyId::of(office_key.verifying_key()),
        issued_on,
        issued_on.add_years(10).unwrap(),
        testkit::sample_holder(),
        *testkit::issuer_key().verifying_key(),
        vec![],
    )
    .unwrap();
    let future = Credential::issue(body, &office_key)
        .unwrap()
        .to_bytes()
        .to_vec();
    let (code, verdict) = verify_in(&v, clone_with(future), reader, &[]);
    assert_eq!(code, 21, "{verdict}");

    // A terminated card.
    let mut dead = locally_issued_card();
    {
        let mut client = CardClient::new(InProcessTransport::new(&mut dead));
        client.select().unwrap();
        client.verify_admin(&AdminCode::factory_default()).unwrap();
        client.terminate().unwrap();
    }
    let (code, verdict) = verify_in(&v, dead, reader, &[]);
    assert_eq!(code, 25, "{verdict}");

    // Old revocation data.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let (again, _) = issue_card(
        testkit::blank_card(),
        &server,
        &p.office_qng,
        issue_body(4, "51"),
    );
    let card = insert(again, reader);
    let (code, verdict) = v.verdict(&["card", "--reader", reader.name(), "--max-list-age", "1s"]);
    assert_eq!(code, 11, "warn is the default, amber: {verdict}");
    assert_eq!(verdict["outcome"], "valid_stale_data");
    assert!(
        verdict["warnings"].as_array().unwrap().iter().any(|w| w
            .as_str()
            .unwrap()
            .contains("old, more than the allowed 1s")),
        "{verdict}"
    );
    let (code, verdict) = v.verdict(&[
        "card",
        "--reader",
        reader.name(),
        "--max-list-age",
        "1s",
        "--stale-policy",
        "refuse",
    ]);
    assert_eq!(code, 30, "{verdict}");
    drop(card.remove());
}

#[test]
fn a_qr_from_the_card_face_is_valid_qr_only_and_a_tampered_one_is_refused() {
    let p = Province::new();
    let server = p.dir.start();
    let reply = server.post("/v1/cards", Some(&p.office_qng), issue_body(5, "51"));
    let qr_text = reply.json()["qr_text"].as_str().unwrap().to_owned();
    let v = Verifier::init_and_sync(&server.url, &p.dir.fingerprint);

    // The QR as printed: rendered to an image and read back with rqrr.
    let code = qrcode::QrCode::with_error_correction_level(qr_text.as_bytes(), qrcode::EcLevel::M)
        .unwrap();
    let image = code
        .render::<image::Luma<u8>>()
        .module_dimensions(6, 6)
        .build();
    let png = tempfile::Builder::new().suffix(".png").tempfile().unwrap();
    image.save(png.path()).unwrap();
    let (code, verdict) = v.verdict(&["qr", "--image", png.path().to_str().unwrap()]);
    assert_eq!(code, 10, "{verdict}");
    assert_eq!(verdict["outcome"], "valid_qr_only");
    assert_eq!(verdict["medium"], "qr");

    // A scanner types lines: one genuine, one with a changed character.
    let mut tampered = qr_text.clone();
    let last = tampered.pop().unwrap();
    tampered.push(if last == '0' { '1' } else { '0' });
    let out = v.run_with_input(&["qr", "-", "--json"], &format!("{qr_text}\n{tampered}\n"));
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["exit_code"], 10);
    assert_eq!(lines[1]["exit_code"], 23, "{}", lines[1]);
    assert_eq!(
        verdict_of(&out).0,
        23,
        "the exit code is the last verdict's"
    );
    let (code, verdict) = v.verdict(&["qr", "--text", "not a card QR"]);
    assert_eq!(
        code, 43,
        "a scan that is not a card QR is no forgery: {verdict}"
    );
    assert_eq!(verdict["outcome"], "not_a_card_qr");
    let screen = v.run(&["qr", "--text", "https://example.com/"]);
    assert!(
        String::from_utf8_lossy(&screen.stdout).contains("KHÔNG PHẢI MÃ THẺ — quét lại"),
        "{}",
        String::from_utf8_lossy(&screen.stdout)
    );

    let csv = tempfile::Builder::new().suffix(".csv").tempfile().unwrap();
    let out = v.run(&["journal", "--export", csv.path().to_str().unwrap()]);
    assert!(out.status.success());
    let text = std::fs::read_to_string(csv.path()).unwrap();
    assert_eq!(
        text.lines().count(),
        1 + 5,
        "header and five verifications: {text}"
    );
    assert!(text.starts_with("\u{feff}at,local_time,"), "{text}");
    assert!(!text.contains("Trần"), "no names without --journal-holder");

    // Photos that give no card QR: a file that is no image, an image without a QR code, and a
    // QR code that is not a card's. The clerk reads why in Vietnamese, or in English on request.
    let not_an_image = tempfile::Builder::new().suffix(".png").tempfile().unwrap();
    std::fs::write(not_an_image.path(), "ssn,full_name\n").unwrap();
    let no_qr = tempfile::Builder::new().suffix(".png").tempfile().unwrap();
    image::GrayImage::from_pixel(160, 100, image::Luma([255]))
        .save(no_qr.path())
        .unwrap();
    let other_qr = tempfile::Builder::new().suffix(".png").tempfile().unwrap();
    qrcode::QrCode::new(b"https://example.com/")
        .unwrap()
        .render::<image::Luma<u8>>()
        .module_dimensions(6, 6)
        .build()
        .save(other_qr.path())
        .unwrap();
    for (file, vi, en) in [
        (
            not_an_image.path(),
            "Lỗi: không đọc được ảnh",
            "error: cannot read the image",
        ),
        (
            no_qr.path(),
            "Lỗi: không thấy mã QR nào trong ảnh",
            "error: no QR code found in",
        ),
        (
            other_qr.path(),
            "Lỗi: Không phải mã thẻ — quét lại: ảnh",
            "error: Not a card QR — scan again:",
        ),
    ] {
        let file = file.to_str().unwrap();
        let out = v.run(&["qr", "--image", file]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(stderr.starts_with(vi), "{stderr}");
        assert!(
            !stderr.contains("expected") && !stderr.contains("found:"),
            "{stderr}"
        );
        let out = v.run(&["qr", "--lang", "en", "--image", file]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.starts_with(en), "{stderr}");
    }
}

/// A server, two cards issued for the holders `n` and `n + 1`, the second revoked because its
/// holder died, and a payment point synced after the revocation.
struct TwoCards {
    genuine: asxh_card::CardApp<asxh_card::MemoryStorage>,
    /// The server's answer to the genuine card's issue request.
    genuine_issued: serde_json::Value,
    revoked: asxh_card::CardApp<asxh_card::MemoryStorage>,
    point: Verifier,
    _server: asxh_e2e::server::RunningServer,
    _province: Province,
}

fn two_cards_the_second_revoked(n: u32) -> TwoCards {
    let p = Province::new();
    let server = p.dir.start();
    let (genuine, genuine_issued) = issue_card(
        testkit::blank_card(),
        &server,
        &p.office_qng,
        issue_body(n, "51"),
    );
    let (revoked, _) = issue_card(
        testkit::blank_card(),
        &server,
        &p.office_qng,
        issue_body(n + 1, "51"),
    );
    let r = server.post(
        "/v1/revocations",
        Some(&p.admin_51),
        json!({"ssn": asxh_e2e::server::ssn(n + 1, "F", 1946), "reason": "deceased"}),
    );
    assert_eq!(r.status, 201);
    let point = Verifier::init_and_sync(&server.url, &p.dir.fingerprint);
    TwoCards {
        genuine,
        genuine_issued,
        revoked,
        point,
        _server: server,
        _province: p,
    }
}

#[test]
fn watch_verifies_two_cards_in_a_row_and_waits_for_each_removal() {
    let reader = VirtualReader::First;
    let _lock = reader.lock();
    let TwoCards {
        genuine: first,
        revoked: second,
        point: v,
        _server,
        _province,
        ..
    } = two_cards_the_second_revoked(6);
    wait_until_empty(reader);
    let mut watch = v
        .command(&[
            "watch",
            "--reader",
            reader.name(),
            "--count",
            "2",
            "--json",
            "--sync-every",
            "0",
        ])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(watch.stdout.take().unwrap()).lines();
    let card = insert(first, reader);
    let one: serde_json::Value = serde_json::from_str(&lines.next().unwrap().unwrap()).unwrap();
    assert_eq!(one["outcome"], "valid", "{one}");
    drop(card.remove());
    let card = insert(second, reader);
    let two: serde_json::Value = serde_json::from_str(&lines.next().unwrap().unwrap()).unwrap();
    assert_eq!(two["outcome"], "revoked", "{two}");
    assert_eq!(two["revocation"]["reason"], "deceased");
    assert!(watch.wait().unwrap().success());
    drop(card.remove());
}

/// The clerk's screen of the in-process watch loop, as a list of what it was told.
#[derive(Default)]
struct Screen(Vec<String>);

impl WatchUi for Screen {
    fn waiting_for_card(&mut self) {
        self.0.push("waiting".into());
    }
    fn verdict(&mut self, verdict: &Verdict, _till: &mut asxh_verifier::till::Till<'_>) {
        self.0.push(verdict.outcome.as_str().into());
    }
    fn remove_card(&mut self) {
        self.0.push("remove".into());
    }
}

/// Watch options of the in-process tests: the default policy, no background sync.
fn in_process_watch(journal_holder: bool, count: Option<u64>) -> WatchOptions {
    WatchOptions {
        policy: Policy::default(),
        journal_holder,
        sync_every: std::time::Duration::ZERO,
        count,
    }
}

#[test]
fn the_watch_loop_in_process_verifies_journals_and_shows_each_card_and_waits_for_its_removal() {
    let TwoCards {
        genuine,
        genuine_issued: issued,
        revoked,
        point: v,
        ..
    } = two_cards_the_second_revoked(8);
    let credential = hex::decode(issued["credential_hex"].as_str().unwrap()).unwrap();
    let cards: Vec<Box<dyn CardApplication>> = vec![
        Box::new(genuine),
        Box::new(revoked),
        Box::new(clone_with(credential)),
    ];
    let mut reader = InProcessReader::new(cards);
    let mut screen = Screen::default();
    let options = in_process_watch(true, Some(3));
    let code = watch(&v.data(), &mut reader, &options, &mut screen).unwrap();
    assert_eq!(code, 0);
    assert_eq!(
        screen.0,
        [
            "waiting",
            "valid",
            "remove",
            "waiting",
            "revoked",
            "remove",
            "waiting",
            "clone_suspected"
        ]
    );
    assert_eq!(reader.connections(), 3, "one connection per card");
    let journal = v.store().journal().unwrap();
    let outcomes: Vec<&str> = journal.iter().map(|e| e.outcome.as_str()).collect();
    assert_eq!(outcomes, ["valid", "revoked", "clone_suspected"]);
    assert_eq!(
        journal[0].serial.as_ref(),
        issued["serial"].as_str().map(str::to_owned).as_ref()
    );
    assert!(
        journal[0]
            .holder
            .as_deref()
            .is_some_and(|h| h.contains("Trần Thị Lan")),
        "{:?}",
        journal[0]
    );
    assert_eq!(journal[0].point_id, "BD-NGHIA-HANH");
}

#[test]
fn the_watch_loop_ends_with_a_usage_error_when_the_reader_fails_and_keeps_what_it_journaled() {
    let TwoCards {
        genuine, point: v, ..
    } = two_cards_the_second_revoked(10);
    let mut reader = InProcessReader::new([genuine]);
    let mut screen = Screen::default();
    let options = in_process_watch(false, None);
    let e = watch(&v.data(), &mut reader, &options, &mut screen).unwrap_err();
    assert_eq!(e.exit_code(), 2, "{e}");
    assert!(e.to_string().starts_with("reader: "), "{e}");
    assert_eq!(screen.0, ["waiting", "valid", "remove", "waiting"]);
    let journal = v.store().journal().unwrap();
    assert_eq!(journal.len(), 1);
    assert_eq!(journal[0].holder, None, "no personal data unless asked");
}

/// The trust list the server serves now, checked against its root key.
fn served_trust_list(p: &Province, server: &asxh_e2e::server::RunningServer) -> TrustList {
    let root = server_key(&p.dir, "root.key");
    TrustList::parse_verified(
        &server.get("/v1/trust-list", None).body,
        root.verifying_key(),
    )
    .expect("the server's trust list verifies")
}

#[test]
fn cards_of_an_issuer_key_the_trust_list_marks_revoked_or_expired_are_refused_and_retired_ones_stay_valid(
) {
    let reader = VirtualReader::Second;
    let _lock = reader.lock();
    let p = Province::new();
    let server = p.dir.start();
    let relay = Relay::start(&server.url);
    let (mut card, issued) = issue_card(
        testkit::blank_card(),
        &server,
        &p.office_qng,
        issue_body(11, "51"),
    );
    let v = Verifier::init_and_sync(&relay.url, &p.dir.fingerprint);
    let code;
    (card, code, _) = verify_and_pull(&v, card, reader, &[]);
    assert_eq!(code, 0);

    // New trust lists as the ministry would sign them with its root: the office's key retired,
    // then valid only until yesterday (the card was issued today), then revoked.
    let root = server_key(&p.dir, "root.key");
    let mut list = served_trust_list(&p, &server);
    let today = Date::today().days();
    type Change = fn(&mut IssuerEntry, u16);
    let steps: [(&str, Change); 3] = [
        ("retired", |e, _| e.status = IssuerStatus::Retired),
        ("expired", |e, today| {
            e.status = IssuerStatus::Active;
            e.valid_from = Date::from_days(today - 30);
            e.valid_until = Date::from_days(today - 1);
        }),
        ("revoked", |e, _| e.status = IssuerStatus::Revoked),
    ];
    for (what, change) in steps {
        list.version += 1;
        let entry = list
            .issuers
            .iter_mut()
            .find(|e| e.office.to_string() == "QNG-01")
            .expect("QNG-01 in the trust list");
        change(entry, today);
        relay.replace("/v1/trust-list", list.sign(&root));
        let report = v.sync();
        assert_eq!(
            report["trust_list_version"], list.version,
            "{what}: {report}"
        );
        let (code, verdict);
        (card, code, verdict) = verify_and_pull(&v, card, reader, &[]);
        println!("issuer key {what}: exit {code}, {}", verdict["reasons"]);
        match what {
            "retired" => {
                assert_eq!(code, 0, "a retired key's cards stay trusted: {verdict}");
                assert_eq!(verdict["serial"], issued["serial"]);
                assert_eq!(verdict["issuer"]["status"], "retired");
            }
            "expired" => {
                assert_eq!(code, 22, "{verdict}");
                assert_eq!(verdict["outcome"], "untrusted_issuer");
                assert!(
                    verdict["reasons"][0]
                        .as_str()
                        .unwrap()
                        .contains("outside the issuer key's validity"),
                    "{verdict}"
                );
            }
            _ => {
                assert_eq!(code, 22, "{verdict}");
                assert_eq!(verdict["issuer"]["status"], "revoked");
                assert!(
                    verdict["reasons"][0]
                        .as_str()
                        .unwrap()
                        .contains("of office QNG-01 is revoked"),
                    "{verdict}"
                );
            }
        }
    }
}

#[test]
fn a_card_replaying_the_genuine_cards_recorded_active_authentication_is_refused_as_a_clone() {
    let reader = VirtualReader::First;
    let _lock = reader.lock();
    let p = Province::new();
    let server = p.dir.start();
    let (mut genuine, issued) = issue_card(
        testkit::blank_card(),
        &server,
        &p.office_qng,
        issue_body(12, "51"),
    );
    let credential = hex::decode(issued["credential_hex"].as_str().unwrap()).unwrap();
    let v = Verifier::init_and_sync(&server.url, &p.dir.fingerprint);

    // The attacker once had the genuine card in a reader of theirs and recorded its answer to a
    // challenge; it is a valid signature by the genuine card key, over that old challenge.
    let recorded_answer = testkit::record_active_auth(&mut genuine, &[0x42; 32]);
    assert_eq!(recorded_answer.len(), 65 + 2);
    assert_eq!(recorded_answer[65..], [0x90, 0x00]);
    let (genuine, code, _) = verify_and_pull(&v, genuine, reader, &[]);
    assert_eq!(code, 0, "the genuine card still verifies");
    drop(genuine);

    let replay = testkit::ReplayCard {
        inner: clone_with(credential),
        recorded_answer,
    };
    let (code, verdict) = verify_in(&v, replay, reader, &[]);
    println!(
        "replayed active authentication: exit {code}, {}",
        verdict["reasons"]
    );
    assert_eq!(code, 24, "{verdict}");
    assert_eq!(verdict["outcome"], "clone_suspected");
    assert!(
        verdict["reasons"][0]
            .as_str()
            .unwrap()
            .contains("could not prove it holds the key of this credential"),
        "{verdict}"
    );
}

#[test]
fn a_sync_offered_older_revocation_lists_keeps_the_newer_one_and_the_card_stays_revoked() {
    let reader = VirtualReader::Second;
    let _lock = reader.lock();
    let p = Province::new();
    let server = p.dir.start();
    let relay = Relay::start(&server.url);
    let (card, issued) = issue_card(
        testkit::blank_card(),
        &server,
        &p.office_qng,
        issue_body(13, "51"),
    );
    let second = server.post("/v1/cards", Some(&p.office_qng), issue_body(14, "51"));
    assert_eq!(second.status, 201, "{}", second.json());
    let revoke = |n: u32| {
        let r = server.post(
            "/v1/revocations",
            Some(&p.admin_51),
            json!({"ssn": asxh_e2e::server::ssn(n, "F", 1946), "reason": "stolen"}),
        );
        assert_eq!(r.status, 201, "{}", r.json());
        r.json()["list_version"].as_u64().unwrap()
    };
    // Genuinely signed lists an attacker can record and replay later: the full list at the
    // first version, and the delta from it to the second.
    let full_v0 = server.get("/v1/revocation-list", None).body;
    let list_key = server_key(&p.dir, "revocation-list.key");
    let v0 = RevocationList::parse_verified(&full_v0, list_key.verifying_key())
        .unwrap()
        .version;
    let v = Verifier::init_and_sync(&relay.url, &p.dir.fingerprint);
    let v1 = revoke(13);
    let delta_0_1 = server
        .get(&format!("/v1/revocation-list?since={v0}"), None)
        .body;
    for (bytes, version) in [(&full_v0, v0), (&delta_0_1, v1)] {
        let list = RevocationList::parse_verified(bytes, list_key.verifying_key()).unwrap();
        assert_eq!(list.version, version, "recorded lists are genuine");
    }
    let v2 = revoke(14);
    assert_eq!(v.sync()["revocation_list_version"], v2);
    let (card, code, verdict) = verify_and_pull(&v, card, reader, &[]);
    assert_eq!(code, 20, "{verdict}");

    for (what, old, version) in [("full list", &full_v0, v0), ("delta", &delta_0_1, v1)] {
        relay.replace("/v1/revocation-list", old.clone());
        let (code, stderr) = v.failed_sync();
        println!("older revocation {what}: exit {code}, {}", stderr.trim());
        assert_eq!(code, 42, "{what}: {stderr}");
        assert!(
            stderr.contains(&format!(
                "danh sách thu hồi phiên bản {version} cũ hơn phiên bản {v2} đang giữ"
            )),
            "{what}: {stderr}"
        );
        let held = v.store().lists().unwrap().unwrap().revocations.unwrap();
        assert_eq!(held.version, v2, "{what}: the newer list is kept");
    }
    let (_, code, verdict) = verify_and_pull(&v, card, reader, &[]);
    assert_eq!(code, 20, "still revoked after the refused syncs: {verdict}");
    assert_eq!(verdict["serial"], issued["serial"]);
    assert_eq!(verdict["revocation"]["reason"], "stolen");
    assert_eq!(verdict["revocation_list"]["version"], v2);

    // The real server again: nothing new, the same version.
    relay.forward("/v1/revocation-list");
    assert_eq!(v.sync()["revocation_list_version"], v2);
}

#[test]
fn a_trust_list_or_root_key_not_from_the_pinned_root_is_refused_with_exit_42_and_the_cache_kept() {
    let reader = VirtualReader::First;
    let _lock = reader.lock();
    let p = Province::new();
    let server = p.dir.start();
    let relay = Relay::start(&server.url);
    let v = Verifier::init_and_sync(&relay.url, &p.dir.fingerprint);
    let cached = v
        .store()
        .trust_list()
        .unwrap()
        .expect("a trust list after sync");

    // Another root signs a newer list that also trusts the attacker's issuer key.
    let impostor = asxh_testkit::test_key("impostor root");
    let mut forged = served_trust_list(&p, &server);
    forged.version += 1;
    let attacker =
        testkit::trust_list(IssuerStatus::Active, &forged.list_key, forged.issued_at).issuers;
    forged.issuers.extend(attacker);
    relay.replace("/v1/trust-list", forged.sign(&impostor));
    let (code, stderr) = v.failed_sync();
    println!("trust list by another root: exit {code}, {}", stderr.trim());
    assert_eq!(code, 42, "{stderr}");
    assert!(
        stderr.contains(
            "Đã từ chối dữ liệu máy chủ gửi, chưa lưu gì: danh sách đơn vị cấp thẻ tin cậy không đúng chữ ký số"
        ),
        "{stderr}"
    );
    assert_eq!(v.store().trust_list().unwrap(), Some(cached), "cache kept");
    let (code, verdict) = verify_in(&v, locally_issued_card(), reader, &[]);
    assert_eq!(code, 22, "the forged list trusted nothing: {verdict}");

    // A new point whose first sync meets a swapped root key (and a list signed by it).
    let fresh = Verifier::init(&relay.url, &p.dir.fingerprint);
    relay.replace(
        "/v1/root-key",
        serde_json::to_vec(&json!({"public_key_hex": hex::encode(
            asxh_core::signature::public_key_bytes(impostor.verifying_key())
        )}))
        .unwrap(),
    );
    let (code, stderr) = fresh.failed_sync();
    println!("swapped root key: exit {code}, {}", stderr.trim());
    assert_eq!(code, 42, "{stderr}");
    assert!(
        stderr.contains(&format!(
            "không phải dấu vân tay đã ghi nhận {}",
            p.dir.fingerprint
        )),
        "{stderr}"
    );
    let store = fresh.store();
    assert!(store.config().unwrap().root_key.is_none(), "no root stored");
    assert!(store.trust_list().unwrap().is_none(), "no list stored");
}

/// The date `days` days from today, as the API takes it.
fn days_from_today(days: i32) -> Date {
    Date::from_days((i32::from(Date::today().days()) + days) as u16)
}

#[test]
fn an_entitlement_ended_or_not_yet_started_is_never_shown_as_payable_on_the_card_or_its_qr() {
    let reader = VirtualReader::First;
    let _lock = reader.lock();
    let p = Province::new();
    let server = p.dir.start();
    let ended = days_from_today(-30);
    let starts = days_from_today(30);
    let mut body = issue_body(40, "51");
    body["entitlements"] = json!([
        {"program": "TGXH", "category": "BTXH-80", "monthly_amount_vnd": 540000,
         "valid_from": "2020-01-01", "valid_until": ended.to_string()},
        {"program": "NCC", "category": "TB-81", "monthly_amount_vnd": 2789000,
         "valid_from": starts.to_string()}
    ]);
    let (card, issued) = issue_card(testkit::blank_card(), &server, &p.office_qng, body);
    let v = Verifier::init_and_sync(&server.url, &p.dir.fingerprint);

    let card = insert(card, reader);
    let (code, verdict) = v.verdict(&["card", "--reader", reader.name()]);
    assert_eq!(code, 26, "{verdict}");
    assert_eq!(verdict["outcome"], "nothing_payable");
    assert_eq!(verdict["entitlements"][0]["standing"], "ended");
    assert_eq!(verdict["entitlements"][0]["date"], ended.to_string());
    assert_eq!(verdict["entitlements"][1]["standing"], "not_yet_started");
    assert_eq!(verdict["entitlements"][1]["date"], starts.to_string());
    let screen =
        String::from_utf8_lossy(&v.run(&["card", "--reader", reader.name()]).stdout).into_owned();
    assert!(
        screen.contains("KHÔNG CÓ CHÍNH SÁCH NÀO ĐƯỢC CHI TRẢ HÔM NAY")
            && screen.contains(&format!(
                "KHÔNG chi trả: thời hạn hưởng đã kết thúc ngày {}",
                ended.vi()
            ))
            && screen.contains(&format!(
                "KHÔNG chi trả: chưa đến thời hạn hưởng, bắt đầu từ ngày {}",
                starts.vi()
            ))
            && !screen.contains("HỢP LỆ"),
        "{screen}"
    );
    drop(card.remove());

    // One entitlement in force beside an ended one: the card is paid, the ended line is not.
    let mut body = issue_body(42, "51");
    body["entitlements"] = json!([
        {"program": "TGXH", "category": "BTXH-80", "monthly_amount_vnd": 540000,
         "valid_from": "2020-01-01", "valid_until": ended.to_string()},
        {"program": "BHYT", "category": "BT", "valid_from": "2020-01-01"}
    ]);
    let (mixed, _) = issue_card(testkit::blank_card(), &server, &p.office_qng, body);
    let card = insert(mixed, reader);
    let (code, verdict) = v.verdict(&["card", "--reader", reader.name()]);
    assert_eq!(code, 0, "{verdict}");
    assert_eq!(verdict["entitlements"][0]["standing"], "ended");
    assert_eq!(verdict["entitlements"][1]["standing"], "payable");
    let screen =
        String::from_utf8_lossy(&v.run(&["card", "--reader", reader.name()]).stdout).into_owned();
    assert!(
        screen.contains("HỢP LỆ") && screen.matches("KHÔNG chi trả").count() == 1,
        "{screen}"
    );
    drop(card.remove());

    // The card's QR: it carries no start date, so only the end counts.
    let qr = issued["qr_text"].as_str().unwrap();
    let (code, verdict) = v.verdict(&["qr", "--text", qr]);
    assert_eq!(code, 10, "the NCC entitlement has not ended: {verdict}");
    assert_eq!(verdict["entitlements"][0]["standing"], "ended");
    let mut body = issue_body(41, "51");
    body["entitlements"] = json!([
        {"program": "TGXH", "category": "BTXH-80", "monthly_amount_vnd": 540000,
         "valid_from": "2020-01-01", "valid_until": ended.to_string()}
    ]);
    let reply = server.post("/v1/cards", Some(&p.office_qng), body);
    assert_eq!(reply.status, 201);
    let qr = reply.json()["qr_text"].as_str().unwrap().to_owned();
    let (code, verdict) = v.verdict(&["qr", "--text", &qr]);
    assert_eq!(code, 26, "{verdict}");
    let screen = String::from_utf8_lossy(&v.run(&["qr", "--text", &qr]).stdout).into_owned();
    assert!(
        screen.contains("KHÔNG CÓ CHÍNH SÁCH NÀO ĐƯỢC CHI TRẢ HÔM NAY")
            && !screen.contains("CHỈ CÓ MÃ QR —"),
        "{screen}"
    );
}
