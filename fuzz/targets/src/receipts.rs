//! The target of the payment receipts a server takes from payment points (SPEC.md §18). Random
//! bytes never carry a valid signature, so an accepted structure is checked for what must hold
//! of any receipt: it encodes back to exactly its bytes, its view is JSON, and a receipt signed
//! again from its body by a payment-point key verifies with that key and no other.

use asxh_core::receipt::{ReceiptProfile, SignedReceipt};
use asxh_core::view::ReceiptView;

use crate::fixtures::keys;

/// Payment receipt bytes.
pub fn payment_receipt(data: &[u8]) {
    let Ok(receipt) = SignedReceipt::parse(data) else {
        return;
    };
    assert_eq!(receipt.to_bytes(), data, "a parsed receipt is canonical");
    serde_json::to_string(&ReceiptView::from(&receipt)).expect("a receipt view is JSON");
    let point = &keys().roll;
    let _ = receipt.verify(point.verifying_key());
    let mut body = receipt.body().clone();
    if body.profile() == ReceiptProfile::Card {
        return;
    }
    body.paid_at = body.paid_at.wrapping_add(1);
    let Ok(body) = asxh_core::receipt::ReceiptBody::new(body) else {
        return;
    };
    let signed = SignedReceipt::sign_by_point(body, point).expect("a 0C body is signed");
    let again = SignedReceipt::parse(signed.to_bytes()).expect("a signed receipt parses");
    again
        .verify(point.verifying_key())
        .expect("the point's own receipt verifies");
    assert!(again.verify(keys().root.verifying_key()).is_err());
}
