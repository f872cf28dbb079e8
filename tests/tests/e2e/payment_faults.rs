//! Payments when things go wrong (issue #19, "Bad input and faults"): a card pulled while it
//! signs the receipt, the verifier killed while the card signs and again after the receipt is
//! journalled, the network cut in the middle of an upload, and receipts the server refuses as
//! they come out of a payment point's queue (another area's point, a byte of an amount changed).
//! Each through pcscd + vpcd where a card is involved and the real server on loopback; each
//! checks that nothing is lost and nothing is counted twice.

use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use asxh_card::{CardApp, MemoryStorage};
use asxh_core::card::{ins, CardApplication};
use asxh_core::receipt::SignedReceipt;
use asxh_e2e::relay::Relay;
use asxh_e2e::server::{ssn, Province, RunningServer, ServerDir};
use asxh_e2e::verifier::Verifier;
use asxh_e2e::{insert, VirtualReader};
use serde_json::Value;

use crate::payments::{card_key_hex, holder_card, publish_roll, COMMUNE};

/// The verifier's database in its data directory.
const DB_FILE: &str = "verifier.sqlite";

/// A card whose chip stops answering at PERFORM SECURITY OPERATION: COMPUTE DIGITAL SIGNATURE
/// (`00 2A 9E 9A`), the first time it is sent: it raises `asked` and answers nothing for a few
/// seconds (then 6F00, which no one is left to read: the card is pulled or the verifier killed
/// by then). Every other command goes to the reference card.
struct StallsAtSigning {
    inner: CardApp<MemoryStorage>,
    asked: Arc<AtomicBool>,
}

impl CardApplication for StallsAtSigning {
    fn process_apdu(&mut self, command: &[u8]) -> Vec<u8> {
        let signing = command.get(1..4) == Some(&[ins::PERFORM_SECURITY_OPERATION, 0x9E, 0x9A]);
        if signing && !self.asked.load(Ordering::SeqCst) {
            self.asked.store(true, Ordering::SeqCst);
            std::thread::sleep(Duration::from_secs(3));
            return vec![0x6F, 0x00];
        }
        self.inner.process_apdu(command)
    }
    fn power_cycle(&mut self) {
        self.inner.power_cycle()
    }
    fn atr(&self) -> Vec<u8> {
        self.inner.atr()
    }
}

/// A commune with a published roll, one holder with a card (SSN 401) and one without (402),
/// and a payment point paying there through `server_url` (the server, or a relay before it).
struct Counter {
    p: Province,
    server: RunningServer,
    card: Option<CardApp<MemoryStorage>>,
    card_key: String,
    point: Verifier,
}

impl Counter {
    fn new(through_relay: bool) -> (Counter, Option<Relay>) {
        let p = Province::new();
        let address = ServerDir::free_address();
        let server = p.dir.start_args(&["--listen", &address]);
        p.dir.national_base_level();
        let (card, issued) = holder_card(&server, &p, 401, "Trần Thị Lan");
        holder_card(&server, &p, 402, "Hoàng Thị Mai");
        publish_roll(&server, &p);
        let relay = through_relay.then(|| Relay::start(&server.url));
        let url = relay.as_ref().map_or(server.url.clone(), |r| r.url.clone());
        let point = Verifier::init_point(
            &url,
            &p.dir.fingerprint,
            "BD-NGHIA-HANH",
            COMMUNE,
            &p.payment_point,
        );
        point.sync();
        (
            Counter {
                p,
                server,
                card: Some(card),
                card_key: card_key_hex(&issued),
                point,
            },
            relay,
        )
    }

    /// The card, in a reader, stalling at the signature.
    fn stalling(&mut self) -> (StallsAtSigning, Arc<AtomicBool>) {
        let asked = Arc::new(AtomicBool::new(false));
        let card = StallsAtSigning {
            inner: self.card.take().expect("the card is at the counter"),
            asked: asked.clone(),
        };
        (card, asked)
    }

    /// How many receipts the server keeps for holder `n`.
    fn kept_by_server(&self, n: u32) -> i64 {
        let db = rusqlite::Connection::open(self.p.dir.data().join("asxh.sqlite")).unwrap();
        db.query_row(
            "SELECT COUNT(*) FROM payments WHERE ssn = ?1",
            [ssn(n, "F", 1946)],
            |r| r.get(0),
        )
        .unwrap()
    }

    /// The point's receipts of today (`receipts --json`).
    fn receipts(&self) -> Vec<Value> {
        let out = self.point.run(&["receipts", "--json"]);
        assert!(out.status.success());
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(|l| serde_json::from_str(l).expect("a JSON row"))
            .collect()
    }

    /// `pay --json` started in the background on `reader`.
    fn start_pay(&self, reader: VirtualReader) -> Child {
        self.point
            .command(&["pay", "--reader", reader.name(), "--json"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("asxh-verifier starts")
    }
}

fn wait_for(flag: &AtomicBool, what: &str) {
    let until = Instant::now() + Duration::from_secs(20);
    while !flag.load(Ordering::SeqCst) {
        assert!(Instant::now() < until, "{what} never happened");
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn a_card_pulled_while_it_signs_pays_nothing_says_to_insert_it_again_and_the_retry_pays_once() {
    let reader = VirtualReader::First;
    let _lock = reader.lock();
    let (mut c, _) = Counter::new(false);
    let (card, asked) = c.stalling();
    let inserted = insert(card, reader);
    let pay = c.start_pay(reader);
    wait_for(&asked, "the signature command");
    let (card, _) = inserted.remove();
    let out = pay.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(53), "{err}");
    assert!(err.contains("Thẻ bị rút ra khi đang ký biên nhận"), "{err}");
    assert!(err.contains("CHƯA chi trả"), "{err}");
    assert!(err.contains("Cắm lại thẻ"), "{err}");
    assert!(
        !String::from_utf8_lossy(&out.stdout).contains("\"payment\""),
        "no amount shown to hand over"
    );
    assert!(c.receipts().is_empty(), "no receipt journalled");
    assert_eq!(c.point.store().pending_count().unwrap(), 0);
    assert_eq!(c.kept_by_server(401), 0);

    // Inserted again: paid once, and only once.
    let inserted = insert(card.inner, reader);
    let (code, paid, err) = c.point.pay(&["--reader", reader.name()]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(paid["payment"]["total_vnd"], 750_000);
    let (code, _, err) = c.point.pay(&["--reader", reader.name()]);
    assert_eq!(code, 50, "{err}");
    inserted.remove().1.expect("the virtual card thread ends");
    let receipts = c.receipts();
    assert_eq!(receipts.len(), 1, "{receipts:?}");
    assert_eq!(receipts[0]["id"], paid["payment"]["receipt_id"]);
    assert_eq!(c.kept_by_server(401), 1);
}

#[test]
fn a_verifier_killed_while_the_card_signs_keeps_nothing_and_one_killed_after_the_journal_keeps_a_whole_receipt_uploaded_once(
) {
    let reader = VirtualReader::Second;
    let _lock = reader.lock();
    let (mut c, relay) = Counter::new(true);
    let relay = relay.expect("a relay");

    // Killed while the card signs (its answer never comes): nothing journalled, nothing shown.
    let (card, asked) = c.stalling();
    let inserted = insert(card, reader);
    let mut pay = c.start_pay(reader);
    wait_for(&asked, "the signature command");
    pay.kill().unwrap();
    let out = pay.wait_with_output().unwrap();
    assert!(
        !String::from_utf8_lossy(&out.stdout).contains("\"payment\""),
        "nothing told to the clerk"
    );
    let (card, _) = inserted.remove();
    assert!(c.receipts().is_empty(), "no receipt journalled");
    assert_eq!(c.point.store().pending_count().unwrap(), 0);

    // Killed after the receipt is journalled and the clerk told, while the upload waits on a
    // server that never answers: the receipt is whole, verifies with the card's key, and waits.
    relay.hold("/v1/payments");
    let inserted = insert(card.inner, reader);
    let mut pay = c.start_pay(reader);
    let mut stdout = BufReader::new(pay.stdout.take().unwrap());
    let mut told = String::new();
    while !told.contains("\"payment\"") {
        told.clear();
        assert!(
            stdout.read_line(&mut told).unwrap() > 0,
            "pay ended without telling the clerk"
        );
    }
    pay.kill().unwrap();
    pay.wait().unwrap();
    inserted.remove().1.expect("the virtual card thread ends");
    let told: Value = serde_json::from_str(&told).unwrap();
    let receipt_hex = told["payment"]["receipt_hex"].as_str().unwrap();
    let receipts = c.receipts();
    assert_eq!(receipts.len(), 1, "{receipts:?}");
    assert_eq!(receipts[0]["outcome"], Value::Null, "waiting: {receipts:?}");
    let (_, kept) = c.point.store().pending_receipts(10).unwrap().remove(0);
    assert_eq!(
        hex::encode(&kept),
        receipt_hex,
        "the receipt the clerk was told of"
    );
    let receipt = SignedReceipt::parse(&kept).expect("a whole receipt");
    let key =
        asxh_core::signature::public_key_from_bytes("card_key", &hex::decode(&c.card_key).unwrap())
            .unwrap();
    receipt.verify(&key).expect("the card's signature verifies");
    assert_eq!(c.kept_by_server(401), 0, "the held upload never arrived");

    // The network back: the next sync uploads it once; another sends nothing.
    relay.forward("/v1/payments");
    let report = c.point.sync();
    assert_eq!(report["upload"]["recorded"], 1, "{report}");
    assert_eq!(report["upload"]["pending"], 0, "{report}");
    let report = c.point.sync();
    assert_eq!(report["upload"]["recorded"].as_u64().unwrap_or(0), 0);
    assert_eq!(c.kept_by_server(401), 1);
}

#[test]
fn a_network_cut_during_an_upload_keeps_the_receipt_and_the_next_sync_uploads_it_counted_once() {
    let (mut c, relay) = Counter::new(true);
    let relay = relay.expect("a relay");
    // The upload reaches the server, which records it, but the answer is lost on the way back.
    relay.cut_after_forwarding("/v1/payments");
    let holder = ssn(402, "F", 1946);
    let (code, paid, err) = c
        .point
        .pay(&["--fallback", "card_not_presented", "--ssn", &holder]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("sẽ gửi ở lần đồng bộ sau"), "{err}");
    assert_eq!(c.kept_by_server(402), 1, "the server got it");
    assert_eq!(
        c.point.store().pending_count().unwrap(),
        1,
        "the point kept it"
    );

    // The next sync sends it again: the server knows it by its id and counts it once.
    relay.forward("/v1/payments");
    let report = c.point.sync();
    assert_eq!(report["upload"]["already_recorded"], 1, "{report}");
    assert_eq!(report["upload"]["recorded"], 0, "{report}");
    assert_eq!(report["upload"]["pending"], 0, "{report}");
    assert_eq!(c.kept_by_server(402), 1);
    let receipts = c.receipts();
    assert_eq!(receipts[0]["id"], paid["payment"]["receipt_id"]);
    assert_eq!(receipts[0]["outcome"], "already_recorded");

    // The server stopped: the point pays and keeps the receipt; after the restart the next
    // sync uploads it once.
    let address = c.server.addr().to_string();
    c.server.stop();
    let (code, _, err) = c.point.pay(&[
        "--fallback",
        "card_not_presented",
        "--ssn",
        &ssn(401, "F", 1946),
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(c.point.store().pending_count().unwrap(), 1);
    c.server = c.p.dir.start_args(&["--listen", &address]);
    let report = c.point.sync();
    assert_eq!(report["upload"]["recorded"], 1, "{report}");
    assert_eq!(report["upload"]["pending"], 0, "{report}");
    assert_eq!(c.kept_by_server(401), 1);
    assert_eq!(c.kept_by_server(402), 1);

    // The day's list to print carries both, once each.
    let pdf = c.point.data().join("..").join("bang-ke.pdf");
    let today = asxh_core::Date::today().vi();
    let out = c
        .point
        .run(&["receipts", "--date", &today, "--pdf", pdf.to_str().unwrap()]);
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(said.contains("2 biên nhận, 1 trang"), "{said}");
    let text = std::process::Command::new("pdftotext")
        .args(["-layout", pdf.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext runs (poppler-utils)");
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains("Tổng cộng: 2 biên nhận, 2 khoản, 1.500.000 đ"),
        "{text}"
    );
    assert!(
        text.contains(&format!("Ngày {today} — Điểm chi trả BD-NGHIA-HANH")),
        "{text}"
    );
    assert_eq!(text.matches(&ssn(402, "F", 1946)).count(), 1, "{text}");
}

#[test]
fn receipts_the_server_refuses_from_a_points_queue_keep_their_reason_and_are_not_recorded() {
    let (c, _) = Counter::new(false);
    let holder = ssn(402, "F", 1946);

    // A point whose account pays in a neighbouring commune uploads a receipt of this commune.
    let neighbour =
        c.p.dir
            .add_account("payment-point", None, Some("51.429.22904"));
    let far = Verifier::init_point(
        &c.server.url,
        &c.p.dir.fingerprint,
        "BD-HANH-THINH",
        COMMUNE,
        &neighbour,
    );
    far.sync();
    let (code, paid, err) = far.pay(&["--fallback", "card_not_presented", "--ssn", &holder]);
    assert_eq!(code, 0, "{err}");
    let rows = String::from_utf8_lossy(&far.run(&["receipts", "--json"]).stdout).into_owned();
    let row: Value = serde_json::from_str(rows.lines().next().unwrap()).unwrap();
    assert_eq!(row["id"], paid["payment"]["receipt_id"]);
    assert_eq!(row["outcome"], "refused", "{row}");
    assert_eq!(row["outcome_detail"]["code"], "outside_area", "{row}");
    let text = String::from_utf8_lossy(&far.run(&["receipts"]).stdout).into_owned();
    assert!(
        text.contains("TỪ CHỐI") && text.contains("outside_area"),
        "{text}"
    );
    assert_eq!(c.kept_by_server(402), 0);

    // A point that has not got its token yet keeps the receipt waiting; a byte of its amount is
    // changed in the queue before the upload: refused for its signature, not recorded, and not
    // sent again.
    let offline = Verifier::init(&c.server.url, &c.p.dir.fingerprint);
    let out = offline.run(&["sync", "--area", COMMUNE]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (code, _, err) = offline.pay(&["--fallback", "card_not_presented", "--ssn", &holder]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(offline.store().pending_count().unwrap(), 1);
    let db = rusqlite::Connection::open(offline.data().join(DB_FILE)).unwrap();
    let (id, mut bytes): (String, Vec<u8>) = db
        .query_row("SELECT id, bytes FROM receipts", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    let at = bytes
        .windows(3)
        .position(|w| w == [0x0B, 0x71, 0xB0])
        .expect("the amount 750.000 đ in the receipt");
    bytes[at + 2] = 0xB1;
    db.execute(
        "UPDATE receipts SET bytes = ?1 WHERE id = ?2",
        rusqlite::params![bytes, id],
    )
    .unwrap();
    let token = offline.data().join("..").join("token");
    std::fs::write(&token, &c.p.payment_point).unwrap();
    let out = offline.run(&["sync", "--json", "--token-file", token.to_str().unwrap()]);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    assert_eq!(
        report["upload"]["refused"],
        1,
        "{report} {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(report["upload"]["pending"], 0, "{report}");
    let rows = String::from_utf8_lossy(&offline.run(&["receipts", "--json"]).stdout).into_owned();
    let row: Value = serde_json::from_str(rows.lines().next().unwrap()).unwrap();
    assert_eq!(row["outcome_detail"]["code"], "bad_signature", "{row}");
    assert_eq!(c.kept_by_server(402), 0);
    let report = offline.sync();
    assert_eq!(
        report["upload"]["refused"].as_u64().unwrap_or(0),
        0,
        "{report}"
    );
}
