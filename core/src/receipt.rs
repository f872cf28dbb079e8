//! Payment receipts (biên nhận chi trả, SPEC.md §18): what a payment point paid, to whom, from
//! which roll, signed by the card at the counter (profile 0B, PERFORM SECURITY OPERATION over
//! the body, §8.13) or, when the card cannot sign, by the payment point's own key with the reason
//! why (profile 0C). `7F25 { 7F4E body, [5F36 card flags], 5F37 signature }`; a receipt verifies
//! from its bytes and one public key: the card key of the credential whose serial it names, or
//! the payment point's registered key.

use std::fmt;

use rand_core::{OsRng, RngCore};
use sha2::{Digest, Sha256};

use crate::area::AreaCode;
use crate::card::{receipt_message, AuthFlags};
use crate::entitlement::{CategoryCode, IdNumber, ProgramCode};
use crate::error::{FormatError, Result};
use crate::lists::office::OfficeCode;
use crate::lists::roll::{ItemKind, Month, RecipientRole, RollItem};
use crate::serial::CardSerial;
use crate::signature::{self, PublicKey, SigningKey, SIGNATURE_LEN};
use crate::ssn::Ssn;
use crate::tlv::{self, Children, Tlv};

/// Outer tag of a receipt.
pub const RECEIPT_TAG: u32 = 0x7F25;
/// The card's flags byte (profile 0B only): as INTERNAL AUTHENTICATE's (§8.6).
pub const CARD_FLAGS_TAG: u32 = 0x5F36;
/// Most lines one receipt pays.
pub const MAX_LINES: usize = 5;
/// Largest encoded body: it must fit one short command APDU to the card.
pub const MAX_BODY_LEN: usize = 250;
/// Largest encoded receipt.
pub const MAX_RECEIPT_LEN: usize = 512;
/// Length of a receipt id.
pub const RECEIPT_ID_LEN: usize = 12;
/// Length of the collector's identity-number hash.
pub const ID_HASH_LEN: usize = 16;

/// Body tags, in their required order (SPEC.md §18.1).
mod tag {
    pub const BODY: u32 = 0x7F4E;
    pub const PROFILE: u32 = 0x80;
    pub const ID: u32 = 0x81;
    pub const POINT: u32 = 0x82;
    pub const PAID_AT: u32 = 0x83;
    pub const SERIAL: u32 = 0x84;
    pub const SSN: u32 = 0x85;
    pub const AREA: u32 = 0x86;
    pub const MONTH: u32 = 0x87;
    pub const ROLL_VERSION: u32 = 0x88;
    pub const COLLECTOR: u32 = 0x89;
    pub const FALLBACK: u32 = 0x8A;
    pub const LINE: u32 = 0xA0;
    pub const SIGNATURE: u32 = 0x5F37;
    /// Inside a line.
    pub const PROGRAM: u32 = 0x80;
    pub const CATEGORY: u32 = 0x81;
    pub const KIND: u32 = 0x82;
    pub const AMOUNT: u32 = 0x83;
    pub const FIRST: u32 = 0x84;
    pub const LAST: u32 = 0x85;
}

/// Who signed a receipt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReceiptProfile {
    /// Signed by the card at the counter.
    Card = 0x0B,
    /// Signed by the payment point, the card unable to sign (with the reason).
    Point = 0x0C,
}

/// A receipt's identifier: random bytes the payment point draws for each payment. A receipt
/// uploaded twice is the same receipt; two receipts never share one.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ReceiptId(pub [u8; RECEIPT_ID_LEN]);

impl ReceiptId {
    pub fn random() -> Self {
        let mut id = [0u8; RECEIPT_ID_LEN];
        OsRng.fill_bytes(&mut id);
        ReceiptId(id)
    }

    pub fn to_hex(self) -> String {
        hex::encode(self.0)
    }

    pub fn parse_hex(text: &str) -> Result<Self> {
        let bytes = hex::decode(text.trim())
            .map_err(|_| FormatError::field("receipt_id", "not hexadecimal"))?;
        Self::from_bytes(&bytes)
    }

    fn from_bytes(bytes: &[u8]) -> Result<Self> {
        let id: [u8; RECEIPT_ID_LEN] = bytes.try_into().map_err(|_| {
            FormatError::field(
                "receipt_id",
                format!("{} bytes, expected {RECEIPT_ID_LEN}", bytes.len()),
            )
        })?;
        Ok(ReceiptId(id))
    }
}

/// The receipt number people read and write down: the id in upper-case hex, groups of four.
impl fmt::Display for ReceiptId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let hex = hex::encode_upper(self.0);
        for (i, group) in hex.as_bytes().chunks(4).enumerate() {
            if i > 0 {
                f.write_str("-")?;
            }
            f.write_str(std::str::from_utf8(group).expect("hex is ASCII"))?;
        }
        Ok(())
    }
}

impl fmt::Debug for ReceiptId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ReceiptId({self})")
    }
}

/// Who took the money.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Collector {
    /// The holder (the SSN of the receipt).
    Holder,
    /// A guardian or an authorised person of the roll, by a hash of the identity number the
    /// clerk checked: the receipt proves who collected without carrying the number.
    Recipient {
        role: RecipientRole,
        id_hash: [u8; ID_HASH_LEN],
    },
}

impl Collector {
    pub fn recipient(role: RecipientRole, id_number: &IdNumber) -> Self {
        Collector::Recipient {
            role,
            id_hash: id_number_hash(id_number),
        }
    }

    /// Whether this collector is the recipient with `id_number`.
    pub fn is(&self, id_number: &IdNumber) -> bool {
        matches!(self, Collector::Recipient { id_hash, .. } if *id_hash == id_number_hash(id_number))
    }

    fn to_bytes(self) -> Vec<u8> {
        match self {
            Collector::Holder => vec![0],
            Collector::Recipient { role, id_hash } => {
                let mut out = vec![role as u8];
                out.extend_from_slice(&id_hash);
                out
            }
        }
    }

    fn from_bytes(bytes: &[u8]) -> Result<Self> {
        match bytes {
            [0] => Ok(Collector::Holder),
            [role, hash @ ..] if hash.len() == ID_HASH_LEN => {
                let role = RecipientRole::ALL
                    .into_iter()
                    .find(|r| *r as u8 == *role)
                    .ok_or_else(|| {
                        FormatError::field("collector", format!("role {role:02X} is not 01 or 02"))
                    })?;
                Ok(Collector::Recipient {
                    role,
                    id_hash: hash.try_into().expect("length checked"),
                })
            }
            _ => Err(FormatError::field(
                "collector",
                format!(
                    "{} bytes, expected 1 (holder) or {} (role ‖ hash)",
                    bytes.len(),
                    1 + ID_HASH_LEN
                ),
            )),
        }
    }
}

/// The first 16 bytes of SHA-256 over the identity number's ASCII digits.
pub fn id_number_hash(id_number: &IdNumber) -> [u8; ID_HASH_LEN] {
    let digest = Sha256::digest(id_number.as_str().as_bytes());
    digest[..ID_HASH_LEN]
        .try_into()
        .expect("SHA-256 is 32 bytes")
}

/// Why a payment point signed the receipt itself (profile 0C).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FallbackReason {
    /// The chip does not answer or is damaged; the printed QR and an identity document were
    /// checked.
    ChipUnreadable = 1,
    /// The card was not presented; an identity document and the roll were checked.
    CardNotPresented = 2,
    /// The card application cannot sign receipts (an older version).
    CardCannotSign = 3,
}

impl FallbackReason {
    pub const ALL: [FallbackReason; 3] = [
        FallbackReason::ChipUnreadable,
        FallbackReason::CardNotPresented,
        FallbackReason::CardCannotSign,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            FallbackReason::ChipUnreadable => "chip_unreadable",
            FallbackReason::CardNotPresented => "card_not_presented",
            FallbackReason::CardCannotSign => "card_cannot_sign",
        }
    }

    pub fn parse(text: &str) -> Result<Self> {
        Self::ALL
            .into_iter()
            .find(|r| r.as_str() == text)
            .ok_or_else(|| {
                FormatError::field(
                    "fallback",
                    format!(
                        "'{text}' is not one of chip_unreadable, card_not_presented, card_cannot_sign"
                    ),
                )
            })
    }

    fn from_byte(b: u8) -> Result<Self> {
        Self::ALL
            .into_iter()
            .find(|r| *r as u8 == b)
            .ok_or_else(|| FormatError::field("fallback", format!("code {b:02X} is not 01 to 03")))
    }
}

/// What a receipt says was paid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiptBody {
    pub id: ReceiptId,
    /// The payment point's code (the form of an office code, SPEC.md §14).
    pub point: OfficeCode,
    /// Unix time of the payment.
    pub paid_at: u64,
    /// The card presented; required when the card signs, absent when no card was presented.
    pub serial: Option<CardSerial>,
    pub ssn: Ssn,
    /// The roll's area and month, and the roll version the lines were read from.
    pub area: AreaCode,
    pub month: Month,
    pub roll_version: u64,
    pub collector: Collector,
    /// `Some`: signed by the payment point, for this reason (profile 0C).
    pub fallback: Option<FallbackReason>,
    /// The roll items paid: 1 to [`MAX_LINES`], each once.
    pub lines: Vec<RollItem>,
}

impl ReceiptBody {
    /// Checks what the format requires: 1 to 5 distinct lines, a serial when the card signs, a
    /// body that fits one command to the card.
    pub fn new(body: ReceiptBody) -> Result<Self> {
        if body.lines.is_empty() || body.lines.len() > MAX_LINES {
            return Err(FormatError::field(
                "lines",
                format!("{} lines, expected 1 to {MAX_LINES}", body.lines.len()),
            ));
        }
        for (i, line) in body.lines.iter().enumerate() {
            if body.lines[..i].contains(line) {
                return Err(FormatError::field("lines", "the same line is paid twice"));
            }
        }
        if body.fallback.is_none() && body.serial.is_none() {
            return Err(FormatError::field(
                "serial",
                "missing: a card-signed receipt names the card",
            ));
        }
        let len = tlv::encode(&body.to_tlv()).len();
        if len > MAX_BODY_LEN {
            return Err(FormatError::field(
                "lines",
                format!("the body is {len} bytes, at most {MAX_BODY_LEN}: pay fewer lines on one receipt"),
            ));
        }
        Ok(body)
    }

    pub fn profile(&self) -> ReceiptProfile {
        match self.fallback {
            None => ReceiptProfile::Card,
            Some(_) => ReceiptProfile::Point,
        }
    }

    /// Total paid, in VND.
    pub fn total_vnd(&self) -> u64 {
        self.lines.iter().map(|l| l.amount_vnd).sum()
    }

    /// The `7F4E` body TLV, as the card signs it.
    pub fn to_tlv(&self) -> Tlv {
        let mut children = vec![
            tlv::primitive(tag::PROFILE, vec![self.profile() as u8]),
            tlv::primitive(tag::ID, self.id.0.to_vec()),
            tlv::primitive(tag::POINT, self.point.as_str().as_bytes()),
            tlv::primitive(tag::PAID_AT, tlv::encode_uint(self.paid_at)),
        ];
        if let Some(serial) = self.serial {
            children.push(tlv::primitive(tag::SERIAL, serial.to_bytes().to_vec()));
        }
        children.extend([
            tlv::primitive(tag::SSN, self.ssn.to_bcd().to_vec()),
            tlv::primitive(tag::AREA, self.area.as_str().as_bytes()),
            tlv::primitive(tag::MONTH, self.month.to_bcd()),
            tlv::primitive(tag::ROLL_VERSION, tlv::encode_uint(self.roll_version)),
            tlv::primitive(tag::COLLECTOR, self.collector.to_bytes()),
        ]);
        if let Some(reason) = self.fallback {
            children.push(tlv::primitive(tag::FALLBACK, vec![reason as u8]));
        }
        children.extend(self.lines.iter().map(line_to_tlv));
        tlv::constructed(tag::BODY, children)
    }

    /// The encoded body: the data of the card's PERFORM SECURITY OPERATION.
    pub fn to_bytes(&self) -> Vec<u8> {
        tlv::encode(&self.to_tlv())
    }

    fn from_tlv(body: &Tlv) -> Result<Self> {
        let mut c = Children::of("receipt body", body)?;
        let profile = match c.required(tag::PROFILE)? {
            [0x0B] => ReceiptProfile::Card,
            [0x0C] => ReceiptProfile::Point,
            other => {
                return Err(FormatError::field(
                    "profile",
                    format!("{}, expected 0B or 0C", hex::encode_upper(other)),
                ))
            }
        };
        let id = ReceiptId::from_bytes(c.required(tag::ID)?)?;
        let point = OfficeCode::from_bytes(c.required(tag::POINT)?)?;
        let paid_at = tlv::decode_uint("paid_at", c.required(tag::PAID_AT)?, 8)?;
        let serial = match profile {
            ReceiptProfile::Card => Some(CardSerial::from_bytes(c.required(tag::SERIAL)?)?),
            ReceiptProfile::Point => c
                .optional(tag::SERIAL)?
                .map(CardSerial::from_bytes)
                .transpose()?,
        };
        let ssn = Ssn::from_bcd(c.required(tag::SSN)?)?;
        let area = AreaCode::from_bytes(c.required(tag::AREA)?)?;
        let month = Month::from_bcd(c.required(tag::MONTH)?)?;
        let roll_version = tlv::decode_uint("roll_version", c.required(tag::ROLL_VERSION)?, 8)?;
        let collector = Collector::from_bytes(c.required(tag::COLLECTOR)?)?;
        let fallback = match profile {
            ReceiptProfile::Card => None,
            ReceiptProfile::Point => match c.required(tag::FALLBACK)? {
                [b] => Some(FallbackReason::from_byte(*b)?),
                other => {
                    return Err(FormatError::field(
                        "fallback",
                        format!("{} bytes, expected 1", other.len()),
                    ))
                }
            },
        };
        let lines = c
            .repeated(tag::LINE)
            .into_iter()
            .map(line_from_tlv)
            .collect::<Result<Vec<_>>>()?;
        c.finish()?;
        ReceiptBody::new(ReceiptBody {
            id,
            point,
            paid_at,
            serial,
            ssn,
            area,
            month,
            roll_version,
            collector,
            fallback,
            lines,
        })
    }

    /// The message signed (SPEC.md §18.2): the card's serial and flags for profile 0B, the
    /// receipt's serial (or zeros) and flags 00 for 0C.
    fn signed_message(&self, body_bytes: &[u8], flags: AuthFlags) -> Vec<u8> {
        let serial = self.serial.map_or([0; 5], CardSerial::to_bytes);
        receipt_message(&serial, flags, body_bytes)
    }
}

fn line_to_tlv(item: &RollItem) -> Tlv {
    let mut children = vec![tlv::primitive(
        tag::PROGRAM,
        item.program.as_str().as_bytes(),
    )];
    if let Some(category) = &item.category {
        children.push(tlv::primitive(tag::CATEGORY, category.as_str().as_bytes()));
    }
    children.extend([
        tlv::primitive(tag::KIND, vec![item.kind as u8]),
        tlv::primitive(tag::AMOUNT, tlv::encode_uint(item.amount_vnd)),
        tlv::primitive(tag::FIRST, item.first.to_bcd()),
        tlv::primitive(tag::LAST, item.last.to_bcd()),
    ]);
    tlv::constructed(tag::LINE, children)
}

fn line_from_tlv(t: &Tlv) -> Result<RollItem> {
    let mut c = Children::of("receipt line", t)?;
    let program = ProgramCode::from_bytes(c.required(tag::PROGRAM)?)?;
    let category = c
        .optional(tag::CATEGORY)?
        .map(CategoryCode::from_bytes)
        .transpose()?;
    let kind = match c.required(tag::KIND)? {
        [b] => ItemKind::from_byte(*b)?,
        other => {
            return Err(FormatError::field(
                "kind",
                format!("{} bytes, expected 1", other.len()),
            ))
        }
    };
    let amount = tlv::decode_uint("amount_vnd", c.required(tag::AMOUNT)?, 5)?;
    let first = Month::from_bcd(c.required(tag::FIRST)?)?;
    let last = Month::from_bcd(c.required(tag::LAST)?)?;
    c.finish()?;
    RollItem::new(program, category, kind, amount, first, last)
}

/// A receipt as it travels: parsed, its signature not yet checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedReceipt {
    body: ReceiptBody,
    body_bytes: Vec<u8>,
    flags: AuthFlags,
    signature: [u8; SIGNATURE_LEN],
    bytes: Vec<u8>,
}

impl SignedReceipt {
    /// Puts the card's answer to PERFORM SECURITY OPERATION (`flags ‖ r ‖ s`, 65 bytes) and
    /// the body it signed together. The signature is not checked here.
    pub fn from_card(body: ReceiptBody, card_answer: &[u8]) -> Result<Self> {
        if body.profile() != ReceiptProfile::Card {
            return Err(FormatError::field(
                "fallback",
                "a receipt the card signs has no fallback reason",
            ));
        }
        if card_answer.len() != 1 + SIGNATURE_LEN {
            return Err(FormatError::field(
                "signature",
                format!(
                    "the card answered {} bytes, expected 65 (flags ‖ r ‖ s)",
                    card_answer.len()
                ),
            ));
        }
        let signature = card_answer[1..].try_into().expect("length checked");
        Ok(Self::assemble(body, AuthFlags(card_answer[0]), signature))
    }

    /// Signs a fallback receipt (profile 0C) with the payment point's key.
    pub fn sign_by_point(body: ReceiptBody, point_key: &SigningKey) -> Result<Self> {
        if body.profile() != ReceiptProfile::Point {
            return Err(FormatError::field(
                "fallback",
                "missing: a payment point signs only with a fallback reason",
            ));
        }
        let body_bytes = body.to_bytes();
        let flags = AuthFlags(0);
        let signature = signature::sign(point_key, &body.signed_message(&body_bytes, flags));
        Ok(Self::assemble(body, flags, signature))
    }

    fn assemble(body: ReceiptBody, flags: AuthFlags, signature: [u8; SIGNATURE_LEN]) -> Self {
        let body_tlv = body.to_tlv();
        let mut children = vec![body_tlv.clone()];
        if body.profile() == ReceiptProfile::Card {
            children.push(tlv::primitive(CARD_FLAGS_TAG, vec![flags.0]));
        }
        children.push(tlv::primitive(tag::SIGNATURE, signature.to_vec()));
        let bytes = tlv::encode(&tlv::constructed(RECEIPT_TAG, children));
        SignedReceipt {
            body,
            body_bytes: tlv::encode(&body_tlv),
            flags,
            signature,
            bytes,
        }
    }

    /// Parses a receipt: structure, canonical encoding and every field; not the signature.
    pub fn parse(bytes: &[u8]) -> Result<Self> {
        let outer = tlv::decode("receipt", bytes, RECEIPT_TAG, MAX_RECEIPT_LEN)?;
        let mut c = Children::of("receipt", &outer)?;
        let body_tlv = c.required_tlv(tag::BODY)?;
        let body = ReceiptBody::from_tlv(body_tlv)?;
        let flags = match (body.profile(), c.optional(CARD_FLAGS_TAG)?) {
            (ReceiptProfile::Card, Some([f])) if f & !0x07 == 0 => AuthFlags(*f),
            (ReceiptProfile::Card, Some(_)) => {
                return Err(FormatError::field(
                    "card_flags",
                    "expected 1 byte with bits b4–b8 zero",
                ))
            }
            (ReceiptProfile::Card, None) => {
                return Err(FormatError::field(
                    "card_flags",
                    "missing from a card-signed receipt",
                ))
            }
            (ReceiptProfile::Point, None) => AuthFlags(0),
            (ReceiptProfile::Point, Some(_)) => {
                return Err(FormatError::field(
                    "card_flags",
                    "present in a receipt the payment point signed",
                ))
            }
        };
        let signature: [u8; SIGNATURE_LEN] =
            c.required(tag::SIGNATURE)?.try_into().map_err(|_| {
                FormatError::field("signature", format!("expected {SIGNATURE_LEN} bytes"))
            })?;
        c.finish()?;
        let receipt = Self::assemble(body, flags, signature);
        if receipt.bytes != bytes {
            return Err(FormatError::malformed(
                "receipt",
                "not in canonical form (bytes after the receipt or a non-minimal length)",
            ));
        }
        Ok(receipt)
    }

    pub fn body(&self) -> &ReceiptBody {
        &self.body
    }

    /// The card's flags when it signed (PIN verified, set, blocked); zero for profile 0C.
    pub fn flags(&self) -> AuthFlags {
        self.flags
    }

    pub fn to_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// Whether `key` signed this receipt: the card key of the credential with the receipt's
    /// serial (profile 0B), or the payment point's key (0C).
    pub fn verify(&self, key: &PublicKey) -> Result<()> {
        let message = self.body.signed_message(&self.body_bytes, self.flags);
        if signature::verify(key, &message, &self.signature) {
            Ok(())
        } else {
            Err(FormatError::BadSignature {
                context: "payment receipt",
                key_id: crate::signature::IssuerKeyId::of(key).to_hex(),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::card::AuthFlags;

    fn item(program: &str, amount: u64) -> RollItem {
        let month = Month::parse("month", "2026-12").unwrap();
        RollItem::new(
            ProgramCode::parse(program).unwrap(),
            Some(CategoryCode::parse("NCT80").unwrap()),
            ItemKind::Monthly,
            amount,
            month,
            month,
        )
        .unwrap()
    }

    fn body(fallback: Option<FallbackReason>, lines: Vec<RollItem>) -> Result<ReceiptBody> {
        ReceiptBody::new(ReceiptBody {
            id: ReceiptId([7; RECEIPT_ID_LEN]),
            point: OfficeCode::parse("BD-QNG-01").unwrap(),
            paid_at: 1_796_000_000,
            serial: Some(CardSerial::new(1234).unwrap()),
            ssn: Ssn::parse("051146000123").unwrap(),
            area: AreaCode::parse("51.522.21550").unwrap(),
            month: Month::parse("month", "2026-12").unwrap(),
            roll_version: 3,
            collector: Collector::Holder,
            fallback,
            lines,
        })
    }

    fn key(seed: u8) -> SigningKey {
        SigningKey::from_slice(&[seed; 32]).unwrap()
    }

    /// Signs as the card does: its serial and flags, then the body.
    fn card_sign(card: &SigningKey, body: &ReceiptBody, flags: u8) -> Vec<u8> {
        let message = receipt_message(
            &body.serial.unwrap().to_bytes(),
            AuthFlags(flags),
            &body.to_bytes(),
        );
        let mut answer = vec![flags];
        answer.extend_from_slice(&signature::sign(card, &message));
        answer
    }

    #[test]
    fn a_card_signed_receipt_round_trips_and_verifies_with_the_card_key_only() {
        let card = key(1);
        let b = body(None, vec![item("TGXH", 750_000)]).unwrap();
        let receipt = SignedReceipt::from_card(b.clone(), &card_sign(&card, &b, 0x03)).unwrap();
        let parsed = SignedReceipt::parse(receipt.to_bytes()).unwrap();
        assert_eq!(parsed, receipt);
        assert_eq!(parsed.flags(), AuthFlags(0x03));
        parsed.verify(card.verifying_key()).unwrap();
        assert!(parsed.verify(key(2).verifying_key()).is_err());
        assert!(
            receipt.to_bytes().len() <= 200,
            "{} bytes",
            receipt.to_bytes().len()
        );
    }

    #[test]
    fn a_receipt_with_any_byte_changed_does_not_verify_or_does_not_parse() {
        let card = key(1);
        let b = body(None, vec![item("TGXH", 750_000)]).unwrap();
        let receipt = SignedReceipt::from_card(b.clone(), &card_sign(&card, &b, 0)).unwrap();
        let bytes = receipt.to_bytes();
        for i in 0..bytes.len() {
            let mut altered = bytes.to_vec();
            altered[i] ^= 0x01;
            if let Ok(r) = SignedReceipt::parse(&altered) {
                assert!(r.verify(card.verifying_key()).is_err(), "byte {i}");
            }
        }
    }

    #[test]
    fn flags_changed_after_signing_break_the_signature() {
        let card = key(1);
        let b = body(None, vec![item("TGXH", 750_000)]).unwrap();
        let mut answer = card_sign(&card, &b, 0x00);
        answer[0] = 0x01;
        let receipt = SignedReceipt::from_card(b, &answer).unwrap();
        assert!(receipt.verify(card.verifying_key()).is_err());
    }

    #[test]
    fn a_point_signed_receipt_needs_its_reason_and_verifies_with_the_point_key() {
        let point = key(9);
        let b = body(
            Some(FallbackReason::CardNotPresented),
            vec![item("TGXH", 1)],
        )
        .unwrap();
        let receipt = SignedReceipt::sign_by_point(b.clone(), &point).unwrap();
        let parsed = SignedReceipt::parse(receipt.to_bytes()).unwrap();
        parsed.verify(point.verifying_key()).unwrap();
        assert_eq!(
            parsed.body().fallback,
            Some(FallbackReason::CardNotPresented)
        );
        let card_body = body(None, vec![item("TGXH", 1)]).unwrap();
        assert!(SignedReceipt::sign_by_point(card_body, &point).is_err());
        assert!(SignedReceipt::from_card(b, &[0; 65]).is_err());
    }

    #[test]
    fn a_receipt_pays_one_to_eight_distinct_lines() {
        assert!(body(None, vec![]).is_err());
        assert!(body(None, vec![item("TGXH", 5), item("TGXH", 5)]).is_err());
        let most: Vec<_> = (1..=MAX_LINES as u64).map(|i| item("TGXH", i)).collect();
        let b = body(None, most).unwrap();
        eprintln!("{} lines: body {} bytes", MAX_LINES, b.to_bytes().len());
        let one_more: Vec<_> = (1..=MAX_LINES as u64 + 1)
            .map(|i| item("TGXH", i))
            .collect();
        assert!(body(None, one_more).is_err());
    }

    #[test]
    fn the_receipt_number_is_grouped_upper_case_hex() {
        assert_eq!(
            ReceiptId([0xAB; RECEIPT_ID_LEN]).to_string(),
            "ABAB-ABAB-ABAB-ABAB-ABAB-ABAB"
        );
    }

    #[test]
    fn a_recipient_collector_is_recognised_by_their_identity_number_alone() {
        let id = IdNumber::parse("051190001234").unwrap();
        let other = IdNumber::parse("051190001235").unwrap();
        let c = Collector::recipient(RecipientRole::Guardian, &id);
        assert!(c.is(&id));
        assert!(!c.is(&other));
        assert!(!Collector::Holder.is(&id));
    }
}
