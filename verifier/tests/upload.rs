//! The upload queue against a small HTTP server on 127.0.0.1 that answers as the payments API
//! does (run with `/work/tools/isolated`): the point's key registered once, every waiting
//! receipt sent in batches, each answer recorded, a lost answer leaving the batch waiting and
//! its retry answered `already_recorded`.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use asxh_core::lists::roll::ItemKind;
use asxh_core::lists::{Month, OfficeCode, RollItem};
use asxh_core::receipt::{Collector, FallbackReason, ReceiptBody, ReceiptId, SignedReceipt};
use asxh_core::{AreaCode, Date, Ssn};
use asxh_verifier::store::{ReceiptLine, Store};
use asxh_verifier::upload::{self, UploadReport};
use asxh_verifier::VerifierError;
use serde_json::{json, Value};

/// One request the server saw.
#[derive(Debug, Clone)]
struct Seen {
    method: String,
    path: String,
    auth: Option<String>,
    body: Value,
}

type Handler = dyn Fn(&Seen) -> Option<(u16, Value)> + Send + Sync;

/// Serves `handler` on a free port of 127.0.0.1 (one request a connection; `None`: the
/// connection is dropped without an answer). Returns the base URL and what it saw.
fn serve(handler: Box<Handler>) -> (String, Arc<Mutex<Vec<Seen>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            let mut parts = line.split_whitespace();
            let method = parts.next().unwrap_or("").to_owned();
            let path = parts.next().unwrap_or("").to_owned();
            let (mut length, mut auth) = (0usize, None);
            loop {
                let mut h = String::new();
                reader.read_line(&mut h).unwrap();
                let h = h.trim_end();
                if h.is_empty() {
                    break;
                }
                let (name, value) = h.split_once(':').unwrap();
                match name.to_ascii_lowercase().as_str() {
                    "content-length" => length = value.trim().parse().unwrap(),
                    "authorization" => auth = Some(value.trim().to_owned()),
                    _ => {}
                }
            }
            let mut body = vec![0; length];
            reader.read_exact(&mut body).unwrap();
            let request = Seen {
                method,
                path,
                auth,
                body: serde_json::from_slice(&body).unwrap_or(Value::Null),
            };
            log.lock().unwrap().push(request.clone());
            if let Some((status, answer)) = handler(&request) {
                let text = answer.to_string();
                let _ = write!(
                    stream,
                    "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{text}",
                    text.len()
                );
            }
        }
    });
    (base, seen)
}

/// The API's answer to a payments upload: each receipt's outcome by `outcome_of` its place.
fn results(seen: &Seen, outcome_of: impl Fn(usize, &str) -> Value) -> Value {
    let receipts = seen.body["receipts"].as_array().unwrap();
    let results: Vec<Value> = receipts
        .iter()
        .enumerate()
        .map(|(i, hex_bytes)| {
            let bytes = hex::decode(hex_bytes.as_str().unwrap()).unwrap();
            let id = SignedReceipt::parse(&bytes).unwrap().body().id.to_hex();
            outcome_of(i, &id)
        })
        .collect();
    json!({ "results": results })
}

fn agent() -> ureq::Agent {
    asxh_client::agent(None, Duration::from_secs(5)).unwrap()
}

/// A point-signed receipt of line amount `n` kept in `store`, as `pay` keeps one.
fn keep_receipt(store: &mut Store, n: u64) -> ReceiptId {
    let month = Month::of(Date::today());
    let item = RollItem::new(
        asxh_core::entitlement::ProgramCode::parse("TGXH").unwrap(),
        None,
        ItemKind::Monthly,
        n,
        month,
        month,
    )
    .unwrap();
    let body = ReceiptBody::new(ReceiptBody {
        id: ReceiptId::random(),
        point: OfficeCode::parse("point-1").unwrap(),
        paid_at: 1_796_000_000 + n,
        serial: None,
        ssn: Ssn::parse("051146000123").unwrap(),
        area: AreaCode::parse("51.429.22903").unwrap(),
        month,
        roll_version: 1,
        collector: Collector::Holder,
        fallback: Some(FallbackReason::CardNotPresented),
        lines: vec![item.clone()],
    })
    .unwrap();
    let id = body.id;
    let receipt = SignedReceipt::sign_by_point(body, &store.point_key().unwrap()).unwrap();
    store
        .save_receipt(&receipt, &[ReceiptLine::of(1, &item)], None)
        .unwrap();
    id
}

fn store(dir: &tempfile::TempDir, token: bool) -> Store {
    let store = Store::init(
        dir.path(),
        "http://127.0.0.1:9",
        &"ab".repeat(32),
        "point-1",
    )
    .unwrap();
    if token {
        let file = dir.path().join("token.txt");
        std::fs::write(&file, "tok-123\n").unwrap();
        store.set_token_file(&file).unwrap();
    }
    store
}

fn outcomes(store: &Store) -> Vec<Option<String>> {
    store
        .receipts(0, i64::MAX)
        .unwrap()
        .into_iter()
        .map(|r| r.outcome)
        .collect()
}

#[test]
fn without_a_token_nothing_is_sent_and_the_receipts_wait() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = store(&dir, false);
    keep_receipt(&mut store, 1);
    let (base, seen) = serve(Box::new(|_| Some((500, json!({})))));
    let report = upload::upload(&mut store, &agent(), &base).unwrap();
    assert!(report.skipped_no_token);
    assert_eq!(report.pending, 1);
    assert!(seen.lock().unwrap().is_empty());
    use asxh_text::Catalogued;
    assert!(report
        .text(asxh_text::Lang::Vi)
        .contains("chưa gửi biên nhận"));
}

#[test]
fn the_key_is_registered_once_and_every_receipt_gets_its_answer_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = store(&dir, true);
    for n in 1..=205 {
        keep_receipt(&mut store, n);
    }
    let point_key = hex::encode(asxh_core::signature::public_key_bytes(
        store.point_key().unwrap().verifying_key(),
    ));
    let (base, seen) = serve(Box::new(|s| match (s.method.as_str(), s.path.as_str()) {
        ("PUT", "/v1/payment-points/POINT-1/key") => Some((
            201,
            json!({"code": "POINT-1", "area": "51.429.22903", "key_id": "k"}),
        )),
        ("POST", "/v1/payments") => Some((
            200,
            results(s, |i, id| match i {
                0 => json!({"id": id, "outcome": "flagged",
                    "paid_by": [{"id": "00".repeat(12), "point": "POINT-2", "paid_at": 1}]}),
                1 => json!({"id": id, "outcome": "refused",
                    "problem": {"code": "not_in_roll", "message": "not in the roll"}}),
                _ => json!({"id": id, "outcome": "recorded"}),
            }),
        )),
        _ => Some((404, json!({"error": {"code": "not_found"}}))),
    }));
    let report = upload::upload(&mut store, &agent(), &base).unwrap();
    assert_eq!(
        report,
        UploadReport {
            skipped_no_token: false,
            key_registered: Some("POINT-1".into()),
            recorded: 199,
            already_recorded: 0,
            flagged: 3,
            refused: 3,
            pending: 0,
        }
    );
    let requests = seen.lock().unwrap().clone();
    assert_eq!(requests[0].method, "PUT");
    assert_eq!(requests[0].body["public_key_hex"], point_key);
    let batches: Vec<usize> = requests[1..]
        .iter()
        .map(|r| r.body["receipts"].as_array().unwrap().len())
        .collect();
    assert_eq!(batches, [100, 100, 5]);
    assert!(requests
        .iter()
        .all(|r| r.auth.as_deref() == Some("Bearer tok-123")));

    let rows = store.receipts(0, i64::MAX).unwrap();
    assert_eq!(rows[0].outcome.as_deref(), Some("flagged"));
    assert_eq!(
        rows[0].outcome_detail.as_ref().unwrap()[0]["point"],
        "POINT-2"
    );
    assert_eq!(rows[1].outcome.as_deref(), Some("refused"));
    assert_eq!(
        rows[1].outcome_detail.as_ref().unwrap()["code"],
        "not_in_roll"
    );
    assert_eq!(rows[2].outcome.as_deref(), Some("recorded"));
    assert!(rows.iter().all(|r| r.uploaded_at.is_some()));

    let again = upload::upload(&mut store, &agent(), &base).unwrap();
    assert_eq!(again.key_registered, None, "registered once");
    assert_eq!(
        seen.lock().unwrap().len(),
        requests.len(),
        "nothing more sent"
    );
}

#[test]
fn a_lost_answer_leaves_the_receipts_waiting_and_the_retry_is_already_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = store(&dir, true);
    let first = keep_receipt(&mut store, 1);
    keep_receipt(&mut store, 2);
    let recorded: Arc<Mutex<Vec<String>>> = Arc::default();
    let kept = recorded.clone();
    let (base, seen) = serve(Box::new(move |s| match s.method.as_str() {
        "PUT" => Some((200, json!({"code": "POINT-1"}))),
        _ => {
            let mut kept = kept.lock().unwrap();
            let answer = results(s, |_, id| {
                let outcome = if kept.iter().any(|k| k == id) {
                    "already_recorded"
                } else {
                    "recorded"
                };
                json!({"id": id, "outcome": outcome})
            });
            let first_time = kept.is_empty();
            for r in answer["results"].as_array().unwrap() {
                kept.push(r["id"].as_str().unwrap().to_owned());
            }
            // The server records the first upload but its answer is lost.
            (!first_time).then_some((200, answer))
        }
    }));
    match upload::upload(&mut store, &agent(), &base) {
        Err(VerifierError::Network(_)) => {}
        other => panic!("{other:?}"),
    }
    assert_eq!(outcomes(&store), [None, None], "still waiting");
    assert_eq!(store.pending_count().unwrap(), 2);

    let report = upload::upload(&mut store, &agent(), &base).unwrap();
    assert_eq!(report.already_recorded, 2);
    assert_eq!(report.pending, 0);
    assert_eq!(
        outcomes(&store),
        [
            Some("already_recorded".to_owned()),
            Some("already_recorded".to_owned())
        ]
    );
    let posts: Vec<Seen> = seen
        .lock()
        .unwrap()
        .iter()
        .filter(|s| s.method == "POST")
        .cloned()
        .collect();
    assert_eq!(posts.len(), 2);
    assert_eq!(posts[0].body, posts[1].body, "the same bytes sent again");
    assert_eq!(recorded.lock().unwrap()[0], first.to_hex());
}

#[test]
fn a_server_that_refuses_the_point_key_stops_the_upload_with_its_reason() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = store(&dir, true);
    keep_receipt(&mut store, 1);
    let (base, seen) = serve(Box::new(|_| {
        Some((
            409,
            json!({"error": {"code": "conflict", "message": "POINT-1 belongs to another account"}}),
        ))
    }));
    match upload::upload(&mut store, &agent(), &base) {
        Err(e @ VerifierError::ServerRefused { status: 409, .. }) => {
            assert_eq!(e.exit_code(), 54);
            use asxh_text::Catalogued;
            assert!(e.text(asxh_text::Lang::Vi).contains("another account"));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(seen.lock().unwrap().len(), 1, "no receipt sent");
    assert_eq!(store.pending_count().unwrap(), 1);
}
