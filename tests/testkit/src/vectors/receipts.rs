//! `receipts.json`: payment-receipt vectors (SPEC.md §18), valid and broken, and the receipt
//! body the card signs in `apdu.json`'s sequence `receipt`.

use asxh_core::card::{receipt_message, AuthFlags};
use asxh_core::lists::office::OfficeCode;
use asxh_core::lists::roll::{ItemKind, RecipientRole};
use asxh_core::lists::RollItem;
use asxh_core::receipt::{
    Collector, FallbackReason, ReceiptBody, ReceiptId, SignedReceipt, CARD_FLAGS_TAG, RECEIPT_TAG,
};
use asxh_core::signature::{self, SigningKey};
use asxh_core::tlv::{self, Tlv};
use asxh_core::view::ReceiptView;
use asxh_core::{AreaCode, CardSerial, IdNumber};
use serde::{Deserialize, Serialize};

use super::rolls::{item, month};
use super::{key_hex, APDU_SERIAL};
use crate::test_key;
use crate::testkit;

/// Unix time the vector receipts claim to be paid at (2026-12-01 02:30 UTC, 09:30 in Vietnam).
const PAID_AT: u64 = 1_796_092_200;

/// One entry of `receipts.json`'s `vectors`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReceiptVector {
    pub name: String,
    pub description: String,
    pub receipt_hex: String,
    pub signer_public_key_hex: String,
    pub expect: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fields: Option<ReceiptView>,
}

/// The content of `receipts.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReceiptVectors {
    pub vectors: Vec<ReceiptVector>,
}

/// The card key of the receipt vectors (a card's, generated on the card in real life).
pub fn receipt_card_key() -> SigningKey {
    test_key("asxh test card key for receipts")
}

/// The payment point key of the fallback receipt vectors.
pub fn receipt_point_key() -> SigningKey {
    test_key("asxh test payment point key")
}

fn monthly() -> RollItem {
    item(
        "TGXH",
        "NCT80",
        ItemKind::Monthly,
        750_000,
        "2026-12",
        "2026-12",
    )
}

/// A card-signed receipt body for `serial`, paying this month's allowance to the holder.
fn holder_body(serial: u64, id: u8) -> ReceiptBody {
    ReceiptBody::new(ReceiptBody {
        id: ReceiptId([id; 12]),
        point: OfficeCode::parse("BD-QNG-0142").expect("point"),
        paid_at: PAID_AT,
        serial: Some(CardSerial::new(serial).expect("serial")),
        ssn: testkit::sample_holder().ssn(),
        area: AreaCode::parse("51.522.21550").expect("area"),
        month: month("2026-12"),
        roll_version: 3,
        collector: Collector::Holder,
        fallback: None,
        lines: vec![monthly()],
    })
    .expect("vector receipt")
}

/// The body the card signs in `apdu.json` (its serial is the APDU card's).
pub fn apdu_receipt_body() -> ReceiptBody {
    holder_body(APDU_SERIAL, 0x5A)
}

/// Signs `body` as a card with `key` and `flags` does (SPEC.md §8.13).
fn card_signed(body: ReceiptBody, key: &SigningKey, flags: u8) -> SignedReceipt {
    let serial = body.serial.expect("card receipts name the card").to_bytes();
    let message = receipt_message(&serial, AuthFlags(flags), &body.to_bytes());
    let mut answer = vec![flags];
    answer.extend_from_slice(&signature::sign(key, &message));
    SignedReceipt::from_card(body, &answer).expect("vector receipt")
}

fn valid(
    name: &str,
    description: &str,
    receipt: &SignedReceipt,
    key: &SigningKey,
) -> ReceiptVector {
    receipt
        .verify(key.verifying_key())
        .expect("valid vector verifies");
    ReceiptVector {
        name: name.into(),
        description: description.into(),
        receipt_hex: hex::encode(receipt.to_bytes()),
        signer_public_key_hex: key_hex(key),
        expect: "valid".into(),
        fields: Some(ReceiptView::from(receipt)),
    }
}

fn invalid(
    name: &str,
    description: &str,
    bytes: Vec<u8>,
    key: &SigningKey,
    expect: &str,
) -> ReceiptVector {
    ReceiptVector {
        name: name.into(),
        description: description.into(),
        receipt_hex: hex::encode(bytes),
        signer_public_key_hex: key_hex(key),
        expect: expect.into(),
        fields: None,
    }
}

/// The children of a receipt's outer template.
fn outer(receipt: &SignedReceipt) -> Vec<Tlv> {
    let t = tlv::decode("receipt", receipt.to_bytes(), RECEIPT_TAG, 1 << 10).expect("own receipt");
    tlv::items(&t).to_vec()
}

/// A receipt whose body elements were edited and then signed again by the card key with
/// `flags`: every broken-field vector has a valid signature, so only the field is wrong.
fn edited(receipt: &SignedReceipt, key: &SigningKey, edit: impl FnOnce(&mut Vec<Tlv>)) -> Vec<u8> {
    let mut parts = outer(receipt);
    let mut body = tlv::items(&parts[0]).to_vec();
    edit(&mut body);
    let body = tlv::constructed(0x7F4E, body);
    let body_bytes = tlv::encode(&body);
    let serial = receipt.body().serial.map_or([0; 5], CardSerial::to_bytes);
    let message = receipt_message(&serial, receipt.flags(), &body_bytes);
    parts[0] = body;
    let last = parts.len() - 1;
    parts[last] = tlv::primitive(0x5F37, signature::sign(key, &message).to_vec());
    tlv::encode(&tlv::constructed(RECEIPT_TAG, parts))
}

fn set(children: &mut [Tlv], tag: u32, value: Vec<u8>) {
    let c = children
        .iter_mut()
        .find(|c| tlv::tag_number(c) == tag)
        .expect("tag present");
    *c = tlv::primitive(tag, value);
}

/// `receipts.json`.
pub fn receipt_vectors() -> ReceiptVectors {
    let card = receipt_card_key();
    let point = receipt_point_key();
    let plain = card_signed(holder_body(1_000_777, 0x11), &card, 0x02);
    let guardian_id = IdNumber::parse("051190004567").expect("id");
    let mut body = holder_body(1_000_777, 0x22);
    body.collector = Collector::recipient(RecipientRole::Guardian, &guardian_id);
    body.lines = vec![
        monthly(),
        item(
            "TGXH",
            "NCT80",
            ItemKind::Arrears,
            420_000,
            "2026-07",
            "2026-09",
        ),
        item(
            "TGXH",
            "",
            ItemKind::OneOff,
            7_500_000,
            "2026-12",
            "2026-12",
        ),
    ];
    let guardian = card_signed(ReceiptBody::new(body).expect("vector receipt"), &card, 0x06);
    let mut body = holder_body(1_000_777, 0x33);
    body.fallback = Some(FallbackReason::ChipUnreadable);
    let fallback = SignedReceipt::sign_by_point(ReceiptBody::new(body).expect("fallback"), &point)
        .expect("point-signed");
    let mut body = holder_body(1_000_777, 0x44);
    body.serial = None;
    body.fallback = Some(FallbackReason::CardNotPresented);
    let no_card = SignedReceipt::sign_by_point(ReceiptBody::new(body).expect("no card"), &point)
        .expect("point-signed");

    let mut flags_changed = outer(&plain);
    flags_changed[1] = tlv::primitive(CARD_FLAGS_TAG, vec![0x03]);
    let mut amount_changed = plain.to_bytes().to_vec();
    // The amount's last byte: before the line's first and last months (10 bytes), the card
    // flags (4) and the signature (67).
    let at = amount_changed.len() - 67 - 4 - 10 - 1;
    let original = plain.to_bytes()[at];
    amount_changed[at] ^= 0x01;
    assert_ne!(original, amount_changed[at]);
    let mut long_form = plain.to_bytes().to_vec();
    long_form.splice(2..3, [0x81, long_form[2]]);
    let mut trailing = plain.to_bytes().to_vec();
    trailing.push(0x00);
    let mut without_flags = outer(&plain);
    without_flags.remove(1);
    let mut point_with_flags = outer(&fallback);
    point_with_flags.insert(1, tlv::primitive(CARD_FLAGS_TAG, vec![0]));

    ReceiptVectors {
        vectors: vec![
            valid(
                "valid-card-holder",
                "Card-signed (profile 0B): this month's allowance, 750.000 đ, paid to the holder; the card's flags 02 (PIN set, not verified).",
                &plain,
                &card,
            ),
            valid(
                "valid-card-guardian-three-lines",
                "Card-signed: the monthly line, arrears for July to September and a one-off payment without category, collected by the guardian (role 01 and the hash of identity number 051190004567); flags 06 (PIN set and blocked: a blocked PIN never stops a payment).",
                &guardian,
                &card,
            ),
            valid(
                "valid-point-chip-unreadable",
                "Signed by the payment point's key (profile 0C), reason 01: the chip did not answer; the card's serial came from its QR.",
                &fallback,
                &point,
            ),
            valid(
                "valid-point-no-card",
                "Signed by the payment point (0C), reason 02: no card presented, no serial; the message uses five zero bytes for it.",
                &no_card,
                &point,
            ),
            invalid(
                "bad-signature-other-key",
                "A genuine card receipt checked with the payment point's key.",
                plain.to_bytes().to_vec(),
                &point,
                "bad_signature",
            ),
            invalid(
                "bad-signature-flags-changed",
                "The card flags 02 changed to 03 (as if the PIN had been verified) after signing.",
                tlv::encode(&tlv::constructed(RECEIPT_TAG, flags_changed)),
                &card,
                "bad_signature",
            ),
            invalid(
                "bad-signature-amount-changed",
                "One bit of the amount changed after signing.",
                amount_changed,
                &card,
                "bad_signature",
            ),
            invalid(
                "malformed-long-form-length",
                "The outer length in long form (81 XX) where the short form fits: not canonical.",
                long_form,
                &card,
                "malformed",
            ),
            invalid(
                "malformed-trailing-byte",
                "A byte after the receipt.",
                trailing,
                &card,
                "malformed",
            ),
            invalid(
                "invalid-card-receipt-without-flags",
                "Profile 0B without the card flags 5F36.",
                tlv::encode(&tlv::constructed(RECEIPT_TAG, without_flags)),
                &card,
                "invalid_field",
            ),
            invalid(
                "invalid-point-receipt-with-flags",
                "Profile 0C carrying card flags.",
                tlv::encode(&tlv::constructed(RECEIPT_TAG, point_with_flags)),
                &point,
                "invalid_field",
            ),
            invalid(
                "invalid-card-receipt-with-fallback",
                "Profile 0B with a fallback reason 8A inserted after the collector (re-signed).",
                edited(&plain, &card, |b| {
                    let at = b.iter().position(|c| tlv::tag_number(c) == 0x89).expect("collector") + 1;
                    b.insert(at, tlv::primitive(0x8A, vec![0x01]));
                }),
                &card,
                "wrong_tag",
            ),
            invalid(
                "invalid-six-lines",
                "Six lines (at most five), re-signed.",
                edited(&plain, &card, |b| {
                    for amount in 1..=5u64 {
                        let mut l = tlv::items(b.last().expect("line")).to_vec();
                        set(&mut l, 0x83, tlv::encode_uint(amount));
                        b.push(tlv::constructed(0xA0, l));
                    }
                }),
                &card,
                "invalid_field",
            ),
            invalid(
                "invalid-same-line-twice",
                "The same line twice, re-signed.",
                edited(&plain, &card, |b| {
                    let line = b.last().expect("line").clone();
                    b.push(line);
                }),
                &card,
                "invalid_field",
            ),
            invalid(
                "invalid-collector-length",
                "A collector of 9 bytes (1 or 17 expected), re-signed.",
                edited(&plain, &card, |b| set(b, 0x89, vec![0x01; 9])),
                &card,
                "invalid_field",
            ),
            invalid(
                "invalid-receipt-id-length",
                "A receipt id of 8 bytes (12 expected), re-signed.",
                edited(&plain, &card, |b| set(b, 0x81, vec![0x11; 8])),
                &card,
                "invalid_field",
            ),
            invalid(
                "invalid-kind",
                "A line of kind 04 (01 to 03), re-signed.",
                edited(&plain, &card, |b| {
                    let mut l = tlv::items(b.last().expect("line")).to_vec();
                    set(&mut l, 0x82, vec![0x04]);
                    *b.last_mut().expect("line") = tlv::constructed(0xA0, l);
                }),
                &card,
                "invalid_field",
            ),
        ],
    }
}
