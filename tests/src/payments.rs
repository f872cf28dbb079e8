//! Payments in the end-to-end tests: a payment point's key registered through the API, its
//! receipts uploaded, and a receipt the point signs itself (no card presented) for a roll line.

use asxh_core::lists::{Month, OfficeCode, RollItem};
use asxh_core::receipt::{Collector, FallbackReason, ReceiptBody, ReceiptId, SignedReceipt};
use asxh_core::signature::{self, SigningKey};
use asxh_core::{AreaCode, Ssn};
use serde_json::{json, Value};

use crate::server::{Req, RunningServer};

/// `PUT /v1/payment-points/{code}/key` with `key`'s public key: the status and the answer.
pub fn register_point_key(
    server: &RunningServer,
    token: &str,
    code: &str,
    key: &SigningKey,
) -> (u16, Value) {
    let key_hex = hex::encode(signature::public_key_bytes(key.verifying_key()));
    let r = server.call(
        "PUT",
        &format!("/v1/payment-points/{code}/key"),
        Req {
            token: Some(token),
            json: Some(json!({"public_key_hex": key_hex})),
            ..Req::default()
        },
    );
    (r.status, r.json())
}

/// `POST /v1/payments` of `receipts`: what became of each, in the order sent.
pub fn upload_receipts(server: &RunningServer, token: &str, receipts: &[&[u8]]) -> Vec<Value> {
    let hexes: Vec<String> = receipts.iter().map(hex::encode).collect();
    let r = server.post("/v1/payments", Some(token), json!({"receipts": hexes}));
    assert_eq!(r.status, 200, "{}", r.json());
    r.json()["results"].as_array().unwrap().clone()
}

/// A receipt of point `point` paying `lines` of `ssn` in the roll of `area` for `month` at
/// `roll_version`, signed by the point's `key` as no card was presented, paid now.
pub fn point_receipt(
    key: &SigningKey,
    point: &str,
    ssn: Ssn,
    (area, month, roll_version): (&str, Month, u64),
    lines: Vec<RollItem>,
) -> SignedReceipt {
    let paid_at = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970")
        .as_secs();
    let body = ReceiptBody::new(ReceiptBody {
        id: ReceiptId::random(),
        point: OfficeCode::parse(point).expect("a point code"),
        paid_at,
        serial: None,
        ssn,
        area: AreaCode::parse(area).expect("an area code"),
        month,
        roll_version,
        collector: Collector::Holder,
        fallback: Some(FallbackReason::CardNotPresented),
        lines,
    })
    .expect("a valid receipt body");
    SignedReceipt::sign_by_point(body, key).expect("the point signs")
}
