//! The signed lists a verifier keeps offline (SPEC.md §14–§15, §17): the **trust list** (issuer
//! keys, the revocation-list key and the roll key, signed by the root) and the **revocation list** (revoked card
//! serials with their reasons, signed by the revocation-list key), full or as a delta since a
//! version. Both use the envelope of §5.1 with their own profile byte.
//!
//! - [`office`]: office codes and the free text (office names) the trust list carries;
//! - [`trust`]: the trust list and its issuer entries;
//! - [`revocation`]: the revocation list, full or delta, and revocation reasons;
//! - [`roll`]: the monthly payment roll of an area (§17), full or delta;
//! - `leb128`: the variable-length integers of the revocation list's exceptions and the roll.

mod leb128;
pub mod office;
pub mod revocation;
pub mod roll;
pub mod trust;

pub use office::{check_text, OfficeCode};
pub use revocation::{Revocation, RevocationList, RevocationReason};
pub use roll::{Month, Roll, RollEntry, RollHeader, RollItem, RollLine, RollRecipient};
pub use trust::{IssuerEntry, IssuerStatus, TrustList};

use crate::envelope::{Profile, ISSUER_KEY_ID_TAG, PROFILE_TAG};
use crate::error::{FormatError, Result};
use crate::signature::{IssuerKeyId, SigningKey};
use crate::tlv::{self, Children, Tlv};

/// Largest encoded trust list.
pub const MAX_TRUST_LIST_LEN: usize = 1 << 20;
/// Largest encoded revocation list.
pub const MAX_REVOCATION_LIST_LEN: usize = 64 << 20;

mod tag {
    pub const VERSION: u32 = 0x81;
    pub const ISSUED_AT: u32 = 0x83;
    pub const NEXT_UPDATE: u32 = 0x84;
    pub const BASE_VERSION: u32 = 0x85;
    pub const LIST_KEY: u32 = 0xA1;
    pub const ISSUER: u32 = 0xA2;
    pub const ROLL_KEY: u32 = 0xA3;
    // inside A1 / A2 / A3
    pub const KEY_ID: u32 = 0x80;
    pub const PUBLIC_KEY: u32 = 0x81;
    pub const OFFICE: u32 = 0x82;
    pub const OFFICE_NAME: u32 = 0x83;
    pub const AREA: u32 = 0x84;
    pub const VALID_FROM: u32 = 0x85;
    pub const VALID_UNTIL: u32 = 0x86;
    pub const STATUS: u32 = 0x87;
    // revocation list body
    pub const COUNT: u32 = 0x86;
    pub const RICE_PARAMETER: u32 = 0x87;
    pub const CODED_SERIALS: u32 = 0x88;
    pub const DEFAULT_REASON: u32 = 0x89;
    pub const EXCEPTIONS: u32 = 0x8A;
}

/// A required unsigned integer child (at most 8 bytes).
fn uint(field: &'static str, c: &mut Children<'_>, t: u32) -> Result<u64> {
    tlv::decode_uint(field, c.required(t)?, 8)
}

/// What the body of a revocation list or payment roll begins with (`81`–`85`, SPEC.md §15.1,
/// §17.1): its publication and, for a delta, the version it applies to.
struct Head {
    version: u64,
    issued_at: u64,
    next_update: u64,
    base_version: Option<u64>,
}

impl Head {
    /// `80`–`85` of a body signed by `key`.
    fn to_tlvs(&self, profile: Profile, key: &SigningKey) -> Vec<Tlv> {
        let mut out = vec![
            tlv::primitive(PROFILE_TAG, vec![profile as u8]),
            tlv::primitive(tag::VERSION, tlv::encode_uint(self.version)),
            tlv::primitive(ISSUER_KEY_ID_TAG, IssuerKeyId::of(key.verifying_key()).0),
            tlv::primitive(tag::ISSUED_AT, tlv::encode_uint(self.issued_at)),
            tlv::primitive(tag::NEXT_UPDATE, tlv::encode_uint(self.next_update)),
        ];
        if let Some(b) = self.base_version {
            out.push(tlv::primitive(tag::BASE_VERSION, tlv::encode_uint(b)));
        }
        out
    }

    /// Reads `80`–`85` (`85` only for a `delta`).
    fn read(c: &mut Children<'_>, delta: bool) -> Result<Self> {
        c.required(PROFILE_TAG)?;
        let version = uint("version", c, tag::VERSION)?;
        c.required(ISSUER_KEY_ID_TAG)?;
        let issued_at = uint("issued_at", c, tag::ISSUED_AT)?;
        let next_update = uint("next_update", c, tag::NEXT_UPDATE)?;
        let base_version = if delta {
            Some(uint("base_version", c, tag::BASE_VERSION)?)
        } else {
            None
        };
        Ok(Head {
            version,
            issued_at,
            next_update,
            base_version,
        })
    }

    /// A delta's base version must not be above its version (checked after the whole body).
    fn check(&self) -> Result<()> {
        if self.base_version.is_some_and(|b| b > self.version) {
            return Err(FormatError::field(
                "base_version",
                "must not be above the version",
            ));
        }
        Ok(())
    }
}

/// A Rice parameter element: one byte.
fn rice_parameter(bytes: &[u8]) -> Result<u8> {
    match bytes {
        [k] => Ok(*k),
        other => Err(FormatError::field(
            "rice_parameter",
            format!("{} bytes, expected 1", other.len()),
        )),
    }
}
