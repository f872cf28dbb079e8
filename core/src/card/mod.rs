//! The card protocol as both sides see it (SPEC.md §7–§9): the application identifier, the
//! instruction bytes, the life cycle, the FCI returned by SELECT, PIN and administrative-code
//! blocks, and the exact message signed by INTERNAL AUTHENTICATE. The card application
//! (asxh-card) and the host-side [`CardClient`] both use these definitions, so they cannot drift.

mod atr;
mod client;
mod error;
#[cfg(feature = "pcsc")]
mod pcsc;
mod reader;
mod transport;

pub use atr::{Atr, REFERENCE_ATR};
pub use client::{AuthResponse, CardClient, PinCheck, WireStats};
pub use error::CardIoError;
#[cfg(feature = "pcsc")]
pub use pcsc::{list_readers, PcscReader, PcscTransport, ReaderInfo};
pub use reader::CardReader;
pub use transport::{CardApplication, InProcessTransport, Transport};

use crate::error::{FormatError, Problem, Result};
use crate::serial::CardSerial;
use crate::tlv::{self, Children};

/// The application identifier: proprietary RID `F0 41 53 58 48` ("ASXH" in the proprietary
/// category F), PIX `00 01` (application version 1).
pub const AID: [u8; 7] = [0xF0, 0x41, 0x53, 0x58, 0x48, 0x00, 0x01];

/// Application version reported in the FCI (major, minor).
pub const APPLICATION_VERSION: [u8; 2] = [1, 0];

/// Instruction bytes (SPEC.md §8).
pub mod ins {
    pub const DEACTIVATE_FILE: u8 = 0x04;
    pub const VERIFY: u8 = 0x20;
    pub const CHANGE_REFERENCE_DATA: u8 = 0x24;
    pub const RESET_RETRY_COUNTER: u8 = 0x2C;
    pub const ACTIVATE_FILE: u8 = 0x44;
    pub const GENERATE_ASYMMETRIC_KEY_PAIR: u8 = 0x47;
    pub const INTERNAL_AUTHENTICATE: u8 = 0x88;
    pub const PERFORM_SECURITY_OPERATION: u8 = 0x2A;
    pub const SELECT: u8 = 0xA4;
    pub const GET_RESPONSE: u8 = 0xC0;
    pub const GET_DATA: u8 = 0xCA;
    pub const PUT_DATA: u8 = 0xDA;
    pub const TERMINATE_DF: u8 = 0xE6;
}

/// Key references of VERIFY, CHANGE REFERENCE DATA and RESET RETRY COUNTER (P2).
pub mod reference {
    /// The holder's optional PIN.
    pub const HOLDER_PIN: u8 = 0x81;
    /// The administrative (transport/personalization) code held by the issuing office.
    pub const ADMIN_CODE: u8 = 0x83;
}

/// Data objects of GET DATA / PUT DATA (P1-P2).
pub mod data_object {
    /// The credential (`7F21` envelope).
    pub const CREDENTIAL: u16 = 0x7F21;
    /// The card's public key template `7F49 { 86 point }`.
    pub const PUBLIC_KEY: u16 = 0x7F49;
}

/// Tags of the public key template returned by GENERATE ASYMMETRIC KEY PAIR.
pub mod key_tag {
    pub const TEMPLATE: u32 = 0x7F49;
    pub const POINT: u32 = 0x86;
}

/// Tags of the FCI returned by SELECT (SPEC.md §8.1).
pub mod fci_tag {
    pub const FCI: u32 = 0x6F;
    pub const AID: u32 = 0x84;
    pub const LIFE_CYCLE: u32 = 0x8A;
    pub const VERSION: u32 = 0xC1;
    pub const SERIAL: u32 = 0xC2;
    pub const HOLDER_PIN: u32 = 0xC3;
    pub const ADMIN_TRIES: u32 = 0xC4;
    pub const CONTENT: u32 = 0xC5;
}

/// Tries of the holder PIN before it blocks.
pub const MAX_PIN_TRIES: u8 = 3;
/// Tries of the administrative code before it blocks.
pub const MAX_ADMIN_TRIES: u8 = 5;
/// The administrative code of a blank reference card as it leaves the factory.
pub const DEFAULT_ADMIN_CODE: &str = "12345678";
/// Challenge lengths INTERNAL AUTHENTICATE accepts.
pub const CHALLENGE_LEN: std::ops::RangeInclusive<usize> = 16..=64;
/// Domain-separation prefix of the INTERNAL AUTHENTICATE message.
pub const AUTH_DOMAIN: &[u8] = b"ASXH-AA-V1";
/// Domain separation of the receipts the card signs (SPEC.md §8.13, §18.2).
pub const RECEIPT_DOMAIN: &[u8] = b"ASXH-RC-V1";
/// P1 P2 of PERFORM SECURITY OPERATION: COMPUTE DIGITAL SIGNATURE (ISO/IEC 7816-8).
pub const COMPUTE_SIGNATURE_P1P2: (u8, u8) = (0x9E, 0x9A);

/// Life-cycle states, coded as ISO/IEC 7816-4 life-cycle status bytes (SPEC.md §7.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LifeCycle {
    /// As manufactured: no key, no credential.
    Blank = 0x01,
    /// Key generated; credential and PIN may be written; may be restarted from scratch.
    Personalizing = 0x03,
    /// Locked: readable and usable, never writable again.
    Issued = 0x05,
    /// Deactivated by the issuing office; can be reactivated.
    Blocked = 0x04,
    /// Permanently out of use; key erased.
    Terminated = 0x0C,
}

impl LifeCycle {
    pub fn from_byte(b: u8) -> Option<Self> {
        Some(match b {
            0x01 => LifeCycle::Blank,
            0x03 => LifeCycle::Personalizing,
            0x05 => LifeCycle::Issued,
            0x04 => LifeCycle::Blocked,
            0x0C => LifeCycle::Terminated,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            LifeCycle::Blank => "BLANK",
            LifeCycle::Personalizing => "PERSONALIZING",
            LifeCycle::Issued => "ISSUED",
            LifeCycle::Blocked => "BLOCKED",
            LifeCycle::Terminated => "TERMINATED",
        }
    }
}

/// State of the holder PIN as reported in the FCI.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PinStatus {
    NotSet,
    TriesLeft(u8),
}

/// What SELECT tells about the card (the FCI, SPEC.md §8.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardInfo {
    pub life_cycle: LifeCycle,
    pub version: [u8; 2],
    pub serial: Option<CardSerial>,
    pub holder_pin: PinStatus,
    pub admin_tries_left: u8,
    pub has_key: bool,
    pub has_credential: bool,
}

impl CardInfo {
    /// Encodes the FCI template.
    pub fn to_fci(&self) -> Vec<u8> {
        let mut children = vec![
            tlv::primitive(fci_tag::AID, AID.to_vec()),
            tlv::primitive(fci_tag::LIFE_CYCLE, vec![self.life_cycle as u8]),
            tlv::primitive(fci_tag::VERSION, self.version.to_vec()),
        ];
        if let Some(s) = self.serial {
            children.push(tlv::primitive(fci_tag::SERIAL, s.to_bytes()));
        }
        let pin = match self.holder_pin {
            PinStatus::NotSet => 0xFF,
            PinStatus::TriesLeft(n) => n,
        };
        children.push(tlv::primitive(fci_tag::HOLDER_PIN, vec![pin]));
        children.push(tlv::primitive(
            fci_tag::ADMIN_TRIES,
            vec![self.admin_tries_left],
        ));
        let content = u8::from(self.has_key) | (u8::from(self.has_credential) << 1);
        children.push(tlv::primitive(fci_tag::CONTENT, vec![content]));
        tlv::encode(&tlv::constructed(fci_tag::FCI, children))
    }

    /// Decodes the FCI template.
    pub fn from_fci(bytes: &[u8]) -> Result<Self> {
        let context = "SELECT response (FCI)";
        let fci = tlv::decode(context, bytes, fci_tag::FCI, 256)?;
        let mut c = Children::of(context, &fci)?;
        let aid = c.required(fci_tag::AID)?;
        if aid != AID {
            return Err(FormatError::malformed(
                context,
                format!(
                    "AID {} is not {}",
                    hex::encode_upper(aid),
                    hex::encode_upper(AID)
                ),
            ));
        }
        let lcs = one_byte(context, c.required(fci_tag::LIFE_CYCLE)?)?;
        let life_cycle = LifeCycle::from_byte(lcs).ok_or_else(|| {
            FormatError::malformed(context, format!("unknown life-cycle byte {lcs:02X}"))
        })?;
        let version: [u8; 2] = c
            .required(fci_tag::VERSION)?
            .try_into()
            .map_err(|_| FormatError::malformed(context, "version is not 2 bytes"))?;
        let serial = c
            .optional(fci_tag::SERIAL)?
            .map(CardSerial::from_bytes)
            .transpose()?;
        let pin = one_byte(context, c.required(fci_tag::HOLDER_PIN)?)?;
        let admin_tries_left = one_byte(context, c.required(fci_tag::ADMIN_TRIES)?)?;
        let content = one_byte(context, c.required(fci_tag::CONTENT)?)?;
        c.finish()?;
        Ok(CardInfo {
            life_cycle,
            version,
            serial,
            holder_pin: if pin == 0xFF {
                PinStatus::NotSet
            } else {
                PinStatus::TriesLeft(pin)
            },
            admin_tries_left,
            has_key: content & 1 != 0,
            has_credential: content & 2 != 0,
        })
    }
}

fn one_byte(context: &'static str, v: &[u8]) -> Result<u8> {
    match v {
        [b] => Ok(*b),
        _ => Err(FormatError::malformed(
            context,
            format!("{} bytes where 1 was expected", v.len()),
        )),
    }
}

/// A holder PIN: 4 to 8 ASCII digits, sent as an 8-byte block padded with FF (SPEC.md §9.1).
#[derive(Clone, PartialEq, Eq)]
pub struct Pin([u8; 8]);

impl Pin {
    pub const BLOCK_LEN: usize = 8;

    pub fn parse(text: &str) -> Result<Self> {
        if !(4..=8).contains(&text.len()) || !text.bytes().all(|b| b.is_ascii_digit()) {
            return Err(FormatError::invalid("pin", Problem::PinForm));
        }
        let mut block = [0xFF; 8];
        block[..text.len()].copy_from_slice(text.as_bytes());
        Ok(Pin(block))
    }

    /// Validates a block received by the card.
    pub fn from_block(block: &[u8]) -> Option<Self> {
        let arr: [u8; 8] = block.try_into().ok()?;
        let digits = arr.iter().take_while(|b| b.is_ascii_digit()).count();
        (digits >= 4 && arr[digits..].iter().all(|b| *b == 0xFF)).then_some(Pin(arr))
    }

    pub fn block(&self) -> &[u8; 8] {
        &self.0
    }
}

impl std::fmt::Debug for Pin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Pin(****)")
    }
}

/// The administrative code: 8 to 16 printable ASCII characters, sent as a 16-byte block padded
/// with FF (SPEC.md §9.2).
#[derive(Clone, PartialEq, Eq)]
pub struct AdminCode([u8; 16]);

impl AdminCode {
    pub const BLOCK_LEN: usize = 16;

    pub fn parse(text: &str) -> Result<Self> {
        if !(8..=16).contains(&text.len()) || !text.bytes().all(|b| (0x21..=0x7E).contains(&b)) {
            return Err(FormatError::invalid("admin_code", Problem::AdminCodeForm));
        }
        let mut block = [0xFF; 16];
        block[..text.len()].copy_from_slice(text.as_bytes());
        Ok(AdminCode(block))
    }

    /// The factory code of blank reference cards.
    pub fn factory_default() -> Self {
        AdminCode::parse(DEFAULT_ADMIN_CODE).unwrap_or(AdminCode([0xFF; 16]))
    }

    pub fn from_block(block: &[u8]) -> Option<Self> {
        let arr: [u8; 16] = block.try_into().ok()?;
        let n = arr
            .iter()
            .take_while(|b| (0x21..=0x7E).contains(*b))
            .count();
        (n >= 8 && arr[n..].iter().all(|b| *b == 0xFF)).then_some(AdminCode(arr))
    }

    pub fn block(&self) -> &[u8; 16] {
        &self.0
    }
}

impl std::fmt::Debug for AdminCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AdminCode(****)")
    }
}

/// Flags the card reports (and signs) in its INTERNAL AUTHENTICATE answer (SPEC.md §8.6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AuthFlags(pub u8);

impl AuthFlags {
    pub const PIN_VERIFIED: u8 = 0x01;
    pub const PIN_SET: u8 = 0x02;
    pub const PIN_BLOCKED: u8 = 0x04;

    pub fn pin_verified(self) -> bool {
        self.0 & Self::PIN_VERIFIED != 0
    }
    pub fn pin_set(self) -> bool {
        self.0 & Self::PIN_SET != 0
    }
    pub fn pin_blocked(self) -> bool {
        self.0 & Self::PIN_BLOCKED != 0
    }
}

/// The exact message the card signs for INTERNAL AUTHENTICATE:
/// `"ASXH-AA-V1" ‖ serial (5 bytes) ‖ flags (1) ‖ len(challenge) (1) ‖ challenge`.
/// The domain prefix keeps these signatures from ever being mistaken for anything else.
pub fn active_auth_message(serial: CardSerial, flags: AuthFlags, challenge: &[u8]) -> Vec<u8> {
    let mut m = Vec::with_capacity(AUTH_DOMAIN.len() + 7 + challenge.len());
    m.extend_from_slice(AUTH_DOMAIN);
    m.extend_from_slice(&serial.to_bytes());
    m.push(flags.0);
    m.push(challenge.len() as u8);
    m.extend_from_slice(challenge);
    m
}

/// The exact message signed for a payment receipt (SPEC.md §18.2):
/// `"ASXH-RC-V1" ‖ serial (5 bytes) ‖ flags (1) ‖ body`, the body being the complete `7F4E` TLV,
/// which delimits itself. The card puts in its own serial and flags; a payment point signing a
/// fallback receipt puts the receipt's serial (zeros without a card) and flags 00.
pub fn receipt_message(serial: &[u8; 5], flags: AuthFlags, body: &[u8]) -> Vec<u8> {
    let mut m = Vec::with_capacity(RECEIPT_DOMAIN.len() + 6 + body.len());
    m.extend_from_slice(RECEIPT_DOMAIN);
    m.extend_from_slice(serial);
    m.push(flags.0);
    m.extend_from_slice(body);
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fci_round_trips() {
        let info = CardInfo {
            life_cycle: LifeCycle::Issued,
            version: APPLICATION_VERSION,
            serial: Some(CardSerial::new(42).unwrap()),
            holder_pin: PinStatus::TriesLeft(2),
            admin_tries_left: 5,
            has_key: true,
            has_credential: true,
        };
        assert_eq!(CardInfo::from_fci(&info.to_fci()).unwrap(), info);
    }

    #[test]
    fn pin_and_admin_blocks_are_padded_and_checked() {
        let p = Pin::parse("1234").unwrap();
        assert_eq!(p.block(), &[b'1', b'2', b'3', b'4', 0xFF, 0xFF, 0xFF, 0xFF]);
        assert_eq!(Pin::from_block(p.block()), Some(p));
        assert!(Pin::parse("123").is_err());
        assert!(Pin::parse("12a4").is_err());
        assert!(Pin::from_block(&[b'1', b'2', b'3', 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]).is_none());
        assert!(Pin::from_block(&[b'1', b'2', b'3', b'4', 0xFF, b'5', 0xFF, 0xFF]).is_none());
        let a = AdminCode::factory_default();
        assert_eq!(AdminCode::from_block(a.block()), Some(a));
        assert!(AdminCode::parse("short").is_err());
    }
}
