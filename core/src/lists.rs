//! The signed lists a verifier keeps offline (SPEC.md §14–§15): the **trust list** (issuer keys
//! and the revocation-list key, signed by the root) and the **revocation list** (revoked card
//! serials with their reasons, signed by the revocation-list key), full or as a delta since a
//! version. Both use the envelope of §5.1 with their own profile byte.

use std::fmt;

use unicode_normalization::UnicodeNormalization;

use crate::area::AreaCode;
use crate::date::Date;
use crate::envelope::{Envelope, Profile, BODY_TAG, ISSUER_KEY_ID_TAG, PROFILE_TAG};
use crate::error::{Error, Result};
use crate::golomb;
use crate::serial::CardSerial;
use crate::signature::{self, IssuerKeyId, PublicKey, SigningKey};
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
    // inside A1 / A2
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

/// An issuing office code: 2 to 16 of `A-Z 0-9 - _`.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct OfficeCode(String);

impl OfficeCode {
    pub fn parse(text: &str) -> Result<Self> {
        let t = text.trim().to_ascii_uppercase();
        if !(2..=16).contains(&t.len())
            || !t
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
        {
            return Err(Error::field(
                "office",
                format!("{text:?} is not an office code (expected 2 to 16 of A-Z 0-9 - _)"),
            ));
        }
        Ok(OfficeCode(t))
    }

    fn from_bytes(bytes: &[u8]) -> Result<Self> {
        let code = OfficeCode::parse(
            std::str::from_utf8(bytes).map_err(|_| Error::field("office", "not ASCII"))?,
        )?;
        if code.0.as_bytes() != bytes {
            return Err(Error::field("office", "not in canonical form"));
        }
        Ok(code)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for OfficeCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
impl fmt::Debug for OfficeCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "OfficeCode({})", self.0)
    }
}

/// Unicode's format characters (general category Cf: bidirectional overrides and isolates,
/// zero-width characters, the soft hyphen, tags, …) and the line and paragraph separators:
/// invisible, or able to reorder what is shown, so a signed text could read differently from
/// what it holds. Unicode 15.1.
const INVISIBLE: &[(char, char)] = &[
    ('\u{00AD}', '\u{00AD}'),
    ('\u{0600}', '\u{0605}'),
    ('\u{061C}', '\u{061C}'),
    ('\u{06DD}', '\u{06DD}'),
    ('\u{070F}', '\u{070F}'),
    ('\u{0890}', '\u{0891}'),
    ('\u{08E2}', '\u{08E2}'),
    ('\u{180E}', '\u{180E}'),
    ('\u{200B}', '\u{200F}'),
    ('\u{2028}', '\u{202E}'),
    ('\u{2060}', '\u{2064}'),
    ('\u{2066}', '\u{206F}'),
    ('\u{FEFF}', '\u{FEFF}'),
    ('\u{FFF9}', '\u{FFFB}'),
    ('\u{110BD}', '\u{110BD}'),
    ('\u{110CD}', '\u{110CD}'),
    ('\u{13430}', '\u{1343F}'),
    ('\u{1BCA0}', '\u{1BCA3}'),
    ('\u{1D173}', '\u{1D17A}'),
    ('\u{E0001}', '\u{E0001}'),
    ('\u{E0020}', '\u{E007F}'),
];

/// Whether `c` is a format character or a line or paragraph separator ([`INVISIBLE`]).
pub fn is_invisible(c: char) -> bool {
    INVISIBLE.iter().any(|&(from, to)| (from..=to).contains(&c))
}

/// Free text shown to people (an office name): NFC, 1 to 100 bytes, no control characters, no
/// format characters or line separators ([`is_invisible`]), no surrounding spaces.
pub fn check_text(field: &'static str, text: &str) -> Result<String> {
    let t: String = text.trim().nfc().collect();
    if t.is_empty() || t.len() > 100 {
        return Err(Error::field(
            field,
            format!("must be 1 to 100 bytes, is {}", t.len()),
        ));
    }
    if let Some(c) = t.chars().find(|c| c.is_control()) {
        return Err(Error::field(
            field,
            format!("contains the control character U+{:04X}", c as u32),
        ));
    }
    if let Some(c) = t.chars().find(|&c| is_invisible(c)) {
        return Err(Error::field(
            field,
            format!(
                "contains the invisible format character U+{:04X} (such as a direction override or a zero-width space)",
                c as u32
            ),
        ));
    }
    Ok(t)
}

fn text_from_bytes(field: &'static str, bytes: &[u8]) -> Result<String> {
    let s = std::str::from_utf8(bytes).map_err(|_| Error::field(field, "not UTF-8"))?;
    let t = check_text(field, s)?;
    if t != s {
        return Err(Error::field(field, "not in canonical form (NFC, trimmed)"));
    }
    Ok(t)
}

/// Status of an issuer key in the trust list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IssuerStatus {
    /// Signs new cards; its cards are trusted.
    Active = 0,
    /// Signs no new cards; cards it signed stay trusted until they expire.
    Retired = 1,
    /// Compromised: nothing it signed is trusted.
    Revoked = 2,
}

impl IssuerStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            IssuerStatus::Active => "active",
            IssuerStatus::Retired => "retired",
            IssuerStatus::Revoked => "revoked",
        }
    }

    pub fn parse(text: &str) -> Result<Self> {
        match text {
            "active" => Ok(IssuerStatus::Active),
            "retired" => Ok(IssuerStatus::Retired),
            "revoked" => Ok(IssuerStatus::Revoked),
            other => Err(Error::field(
                "status",
                format!("{other:?} is not active, retired or revoked"),
            )),
        }
    }

    fn from_byte(b: &[u8]) -> Result<Self> {
        match b {
            [0] => Ok(IssuerStatus::Active),
            [1] => Ok(IssuerStatus::Retired),
            [2] => Ok(IssuerStatus::Revoked),
            _ => Err(Error::field(
                "status",
                format!("{b:02X?} is not 00, 01 or 02"),
            )),
        }
    }
}

/// One issuer key of the trust list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuerEntry {
    pub key_id: IssuerKeyId,
    pub public_key: PublicKey,
    pub office: OfficeCode,
    pub office_name: String,
    pub area: AreaCode,
    pub valid_from: Date,
    pub valid_until: Date,
    pub status: IssuerStatus,
}

impl IssuerEntry {
    fn to_tlv(&self) -> Tlv {
        tlv::constructed(
            tag::ISSUER,
            vec![
                tlv::primitive(tag::KEY_ID, self.key_id.0),
                tlv::primitive(
                    tag::PUBLIC_KEY,
                    signature::public_key_bytes(&self.public_key),
                ),
                tlv::primitive(tag::OFFICE, self.office.as_str().as_bytes()),
                tlv::primitive(tag::OFFICE_NAME, self.office_name.as_bytes()),
                tlv::primitive(tag::AREA, self.area.as_str().as_bytes()),
                tlv::primitive(tag::VALID_FROM, self.valid_from.to_bytes()),
                tlv::primitive(tag::VALID_UNTIL, self.valid_until.to_bytes()),
                tlv::primitive(tag::STATUS, vec![self.status as u8]),
            ],
        )
    }

    fn from_tlv(t: &Tlv) -> Result<Self> {
        let mut c = Children::of("trust list issuer", t)?;
        let key_id = IssuerKeyId::from_bytes(c.required(tag::KEY_ID)?)?;
        let public_key =
            signature::public_key_from_bytes("public_key", c.required(tag::PUBLIC_KEY)?)?;
        if IssuerKeyId::of(&public_key) != key_id {
            return Err(Error::field("key_id", "does not match the public key"));
        }
        let office = OfficeCode::from_bytes(c.required(tag::OFFICE)?)?;
        let office_name = text_from_bytes("office_name", c.required(tag::OFFICE_NAME)?)?;
        let area = AreaCode::from_bytes(c.required(tag::AREA)?)?;
        let valid_from = Date::from_bytes("valid_from", c.required(tag::VALID_FROM)?)?;
        let valid_until = Date::from_bytes("valid_until", c.required(tag::VALID_UNTIL)?)?;
        let status = IssuerStatus::from_byte(c.required(tag::STATUS)?)?;
        c.finish()?;
        if valid_until < valid_from {
            return Err(Error::field(
                "valid_until",
                format!("{valid_until} is before valid_from {valid_from}"),
            ));
        }
        Ok(IssuerEntry {
            key_id,
            public_key,
            office,
            office_name,
            area,
            valid_from,
            valid_until,
            status,
        })
    }

    /// Whether a card this key signed with issue date `issued` is trusted: the key is not
    /// revoked and the issue date lies in the key's validity (a retired key's earlier cards stay
    /// trusted).
    pub fn trusts(&self, issued: Date) -> bool {
        self.status != IssuerStatus::Revoked
            && self.valid_from <= issued
            && issued <= self.valid_until
    }
}

fn uint(field: &'static str, c: &mut Children<'_>, t: u32) -> Result<u64> {
    tlv::decode_uint(field, c.required(t)?, 8)
}

/// The trust list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustList {
    pub version: u64,
    /// Unix time (seconds, UTC) of signing.
    pub issued_at: u64,
    /// Unix time by which a newer list will be published.
    pub next_update: u64,
    pub list_key: PublicKey,
    pub issuers: Vec<IssuerEntry>,
}

impl TrustList {
    /// Signs the list with the root key.
    pub fn sign(&self, root: &SigningKey) -> Vec<u8> {
        let mut body = vec![
            tlv::primitive(PROFILE_TAG, vec![Profile::TrustListV1 as u8]),
            tlv::primitive(tag::VERSION, tlv::encode_uint(self.version)),
            tlv::primitive(ISSUER_KEY_ID_TAG, IssuerKeyId::of(root.verifying_key()).0),
            tlv::primitive(tag::ISSUED_AT, tlv::encode_uint(self.issued_at)),
            tlv::primitive(tag::NEXT_UPDATE, tlv::encode_uint(self.next_update)),
            tlv::constructed(
                tag::LIST_KEY,
                vec![
                    tlv::primitive(tag::KEY_ID, IssuerKeyId::of(&self.list_key).0),
                    tlv::primitive(tag::PUBLIC_KEY, signature::public_key_bytes(&self.list_key)),
                ],
            ),
        ];
        body.extend(self.issuers.iter().map(IssuerEntry::to_tlv));
        Envelope::sign(tlv::constructed(BODY_TAG, body), root).to_bytes()
    }

    /// Parses a trust list and checks it was signed by `root` (the pinned key).
    pub fn parse_verified(bytes: &[u8], root: &PublicKey) -> Result<Self> {
        let env = Envelope::parse(bytes, Profile::TrustListV1, MAX_TRUST_LIST_LEN)?;
        env.verify(root, "trust list")?;
        let mut c = Children::of("trust list", env.body())?;
        c.required(PROFILE_TAG)?;
        let version = uint("version", &mut c, tag::VERSION)?;
        c.required(ISSUER_KEY_ID_TAG)?;
        let issued_at = uint("issued_at", &mut c, tag::ISSUED_AT)?;
        let next_update = uint("next_update", &mut c, tag::NEXT_UPDATE)?;
        let mut lk = Children::of("revocation-list key", c.required_tlv(tag::LIST_KEY)?)?;
        let list_key_id = IssuerKeyId::from_bytes(lk.required(tag::KEY_ID)?)?;
        let list_key = signature::public_key_from_bytes("list_key", lk.required(tag::PUBLIC_KEY)?)?;
        lk.finish()?;
        if IssuerKeyId::of(&list_key) != list_key_id {
            return Err(Error::field("list_key", "key id does not match the key"));
        }
        let issuers = c
            .repeated(tag::ISSUER)
            .into_iter()
            .map(IssuerEntry::from_tlv)
            .collect::<Result<Vec<_>>>()?;
        c.finish()?;
        let mut ids: Vec<IssuerKeyId> = issuers.iter().map(|e| e.key_id).collect();
        ids.sort_unstable();
        if ids.windows(2).any(|w| w[0] == w[1]) {
            return Err(Error::field("key_id", "an issuer key appears twice"));
        }
        Ok(TrustList {
            version,
            issued_at,
            next_update,
            list_key,
            issuers,
        })
    }

    /// The issuer entry with key id `id`.
    pub fn issuer(&self, id: IssuerKeyId) -> Option<&IssuerEntry> {
        self.issuers.iter().find(|e| e.key_id == id)
    }
}

/// Why a card was revoked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RevocationReason {
    Lost = 1,
    Stolen = 2,
    Damaged = 3,
    Deceased = 4,
    Error = 5,
    Replaced = 6,
}

impl RevocationReason {
    pub const ALL: [RevocationReason; 6] = [
        RevocationReason::Lost,
        RevocationReason::Stolen,
        RevocationReason::Damaged,
        RevocationReason::Deceased,
        RevocationReason::Error,
        RevocationReason::Replaced,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RevocationReason::Lost => "lost",
            RevocationReason::Stolen => "stolen",
            RevocationReason::Damaged => "damaged",
            RevocationReason::Deceased => "deceased",
            RevocationReason::Error => "error",
            RevocationReason::Replaced => "replaced",
        }
    }

    /// The reason in Vietnamese, for clerks.
    pub fn vietnamese(self) -> &'static str {
        match self {
            RevocationReason::Lost => "mất thẻ",
            RevocationReason::Stolen => "bị đánh cắp",
            RevocationReason::Damaged => "hỏng",
            RevocationReason::Deceased => "người hưởng đã mất",
            RevocationReason::Error => "cấp nhầm",
            RevocationReason::Replaced => "đã cấp thẻ thay thế",
        }
    }

    pub fn parse(text: &str) -> Result<Self> {
        Self::ALL
            .into_iter()
            .find(|r| r.as_str() == text.trim())
            .ok_or_else(|| {
                Error::field(
                    "reason",
                    format!(
                        "{text:?} is not one of lost, stolen, damaged, deceased, error, replaced"
                    ),
                )
            })
    }

    fn from_byte(b: &[u8]) -> Result<Self> {
        match b {
            [n] => Self::ALL
                .into_iter()
                .find(|r| *r as u8 == *n)
                .ok_or_else(|| Error::field("reason", format!("code {n:02X} is not 01 to 06"))),
            _ => Err(Error::field("reason", "must be 1 byte")),
        }
    }
}

/// One revoked card.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Revocation {
    pub serial: CardSerial,
    pub reason: RevocationReason,
}

/// A revocation list (SPEC.md §15): full (`base_version` is `None`) or a delta holding the
/// revocations made after `base_version` up to `version`. The serials are kept as a sorted set
/// (coded with Golomb–Rice on the wire); reasons as one default reason plus the exceptions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevocationList {
    pub version: u64,
    pub issued_at: u64,
    pub next_update: u64,
    pub base_version: Option<u64>,
    serials: Vec<u64>,
    default_reason: RevocationReason,
    /// Serials whose reason is not the default, sorted.
    exceptions: Vec<(u64, RevocationReason)>,
}

/// LEB128 (7 bits a byte, low bits first, high bit = more), for the exception indices.
fn push_leb128(out: &mut Vec<u8>, mut v: u64) {
    loop {
        let byte = (v & 0x7F) as u8;
        v >>= 7;
        if v == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

fn read_leb128(bytes: &[u8], pos: &mut usize) -> Result<u64> {
    let mut v = 0u64;
    for shift in (0..64).step_by(7) {
        let byte = *bytes
            .get(*pos)
            .ok_or_else(|| Error::field("exceptions", "ends inside an index"))?;
        *pos += 1;
        v |= u64::from(byte & 0x7F) << shift;
        if byte & 0x80 == 0 {
            if byte == 0 && shift > 0 {
                return Err(Error::field(
                    "exceptions",
                    "an index is not in its shortest form",
                ));
            }
            return Ok(v);
        }
    }
    Err(Error::field(
        "exceptions",
        "an index is longer than 64 bits",
    ))
}

impl RevocationList {
    /// Builds a list; each serial must appear once.
    pub fn new(
        version: u64,
        issued_at: u64,
        next_update: u64,
        base_version: Option<u64>,
        mut entries: Vec<Revocation>,
    ) -> Result<Self> {
        entries.sort_by_key(|e| e.serial);
        if entries.windows(2).any(|w| w[0].serial == w[1].serial) {
            return Err(Error::field("entries", "a serial appears twice"));
        }
        if base_version.is_some_and(|b| b > version) {
            return Err(Error::field(
                "base_version",
                "must not be above the version",
            ));
        }
        // The most common reason is the default (ties: the lowest code).
        let default_reason = RevocationReason::ALL
            .into_iter()
            .max_by_key(|r| {
                (
                    entries.iter().filter(|e| e.reason == *r).count(),
                    std::cmp::Reverse(*r as u8),
                )
            })
            .unwrap_or(RevocationReason::Lost);
        Ok(RevocationList {
            version,
            issued_at,
            next_update,
            base_version,
            serials: entries.iter().map(|e| e.serial.number()).collect(),
            default_reason,
            exceptions: entries
                .iter()
                .filter(|e| e.reason != default_reason)
                .map(|e| (e.serial.number(), e.reason))
                .collect(),
        })
    }

    /// Number of revoked cards in the list.
    pub fn len(&self) -> usize {
        self.serials.len()
    }

    pub fn is_empty(&self) -> bool {
        self.serials.is_empty()
    }

    /// Every revocation, in serial order.
    pub fn entries(&self) -> Vec<Revocation> {
        self.serials
            .iter()
            .map(|&s| Revocation {
                serial: CardSerial::new(s).expect("serials are checked on entry"),
                reason: self.reason_of(s),
            })
            .collect()
    }

    fn reason_of(&self, serial: u64) -> RevocationReason {
        match self.exceptions.binary_search_by_key(&serial, |e| e.0) {
            Ok(i) => self.exceptions[i].1,
            Err(_) => self.default_reason,
        }
    }

    /// Signs the list with the revocation-list key.
    pub fn sign(&self, key: &SigningKey) -> Vec<u8> {
        let profile = if self.base_version.is_some() {
            Profile::RevocationDelta
        } else {
            Profile::RevocationList
        };
        let mut body = vec![
            tlv::primitive(PROFILE_TAG, vec![profile as u8]),
            tlv::primitive(tag::VERSION, tlv::encode_uint(self.version)),
            tlv::primitive(ISSUER_KEY_ID_TAG, IssuerKeyId::of(key.verifying_key()).0),
            tlv::primitive(tag::ISSUED_AT, tlv::encode_uint(self.issued_at)),
            tlv::primitive(tag::NEXT_UPDATE, tlv::encode_uint(self.next_update)),
        ];
        if let Some(b) = self.base_version {
            body.push(tlv::primitive(tag::BASE_VERSION, tlv::encode_uint(b)));
        }
        let k = golomb::best_parameter(&self.serials);
        body.push(tlv::primitive(
            tag::COUNT,
            tlv::encode_uint(self.serials.len() as u64),
        ));
        body.push(tlv::primitive(tag::RICE_PARAMETER, vec![k]));
        body.push(tlv::primitive(
            tag::CODED_SERIALS,
            golomb::encode(&self.serials, k),
        ));
        body.push(tlv::primitive(
            tag::DEFAULT_REASON,
            vec![self.default_reason as u8],
        ));
        if !self.exceptions.is_empty() {
            let mut coded = Vec::new();
            let mut previous = None;
            for (serial, reason) in &self.exceptions {
                let index =
                    self.serials
                        .binary_search(serial)
                        .expect("exceptions are serials of the list") as u64;
                push_leb128(&mut coded, previous.map_or(index, |p: u64| index - p - 1));
                coded.push(*reason as u8);
                previous = Some(index);
            }
            body.push(tlv::primitive(tag::EXCEPTIONS, coded));
        }
        Envelope::sign(tlv::constructed(BODY_TAG, body), key).to_bytes()
    }

    /// Parses a full list or a delta and checks its signature with the revocation-list key.
    pub fn parse_verified(bytes: &[u8], key: &PublicKey) -> Result<Self> {
        let (env, profile) = Envelope::parse_one_of(
            bytes,
            &[Profile::RevocationList, Profile::RevocationDelta],
            MAX_REVOCATION_LIST_LEN,
        )?;
        let delta = profile == Profile::RevocationDelta;
        env.verify(key, profile.name())?;
        let mut c = Children::of(profile.name(), env.body())?;
        c.required(PROFILE_TAG)?;
        let version = uint("version", &mut c, tag::VERSION)?;
        c.required(ISSUER_KEY_ID_TAG)?;
        let issued_at = uint("issued_at", &mut c, tag::ISSUED_AT)?;
        let next_update = uint("next_update", &mut c, tag::NEXT_UPDATE)?;
        let base_version = if delta {
            Some(uint("base_version", &mut c, tag::BASE_VERSION)?)
        } else {
            None
        };
        let count = uint("count", &mut c, tag::COUNT)?;
        let k = match c.required(tag::RICE_PARAMETER)? {
            [k] => *k,
            other => {
                return Err(Error::field(
                    "rice_parameter",
                    format!("{} bytes, expected 1", other.len()),
                ))
            }
        };
        let serials = golomb::decode(c.required(tag::CODED_SERIALS)?, k, count, CardSerial::MAX)?;
        let default_reason = RevocationReason::from_byte(c.required(tag::DEFAULT_REASON)?)?;
        let mut exceptions = Vec::new();
        if let Some(coded) = c.optional(tag::EXCEPTIONS)? {
            let mut pos = 0;
            let mut next_index = 0u64;
            while pos < coded.len() {
                let index = next_index
                    .checked_add(read_leb128(coded, &mut pos)?)
                    .filter(|i| *i < count)
                    .ok_or_else(|| Error::field("exceptions", "an index beyond the list"))?;
                let reason = RevocationReason::from_byte(
                    coded
                        .get(pos..pos + 1)
                        .ok_or_else(|| Error::field("exceptions", "ends before a reason"))?,
                )?;
                pos += 1;
                if reason == default_reason {
                    return Err(Error::field(
                        "exceptions",
                        "an exception repeats the default reason",
                    ));
                }
                exceptions.push((serials[index as usize], reason));
                next_index = index + 1;
            }
            if exceptions.is_empty() {
                return Err(Error::field("exceptions", "present but empty"));
            }
        }
        c.finish()?;
        if base_version.is_some_and(|b| b > version) {
            return Err(Error::field(
                "base_version",
                "must not be above the version",
            ));
        }
        Ok(RevocationList {
            version,
            issued_at,
            next_update,
            base_version,
            serials,
            default_reason,
            exceptions,
        })
    }

    /// The revocation of `serial`, if revoked.
    pub fn lookup(&self, serial: CardSerial) -> Option<Revocation> {
        let n = serial.number();
        self.serials.binary_search(&n).ok().map(|_| Revocation {
            serial,
            reason: self.reason_of(n),
        })
    }

    /// Applies a delta to this full list. The delta must start at this list's version and be
    /// newer; a list never goes back to an older version. A serial already revoked keeps its
    /// first reason.
    pub fn apply(&mut self, delta: &RevocationList) -> Result<()> {
        let base = delta
            .base_version
            .ok_or_else(|| Error::field("base_version", "not a delta"))?;
        if base != self.version {
            return Err(Error::field(
                "base_version",
                format!(
                    "delta starts at version {base}, the cached list is version {}",
                    self.version
                ),
            ));
        }
        let mut merged = Vec::with_capacity(self.serials.len() + delta.serials.len());
        let (mut a, mut b) = (
            self.serials.iter().peekable(),
            delta.serials.iter().peekable(),
        );
        let mut added = Vec::new();
        loop {
            match (a.peek(), b.peek()) {
                (Some(x), Some(y)) if x < y => merged.push(*a.next().expect("peeked")),
                (Some(x), Some(y)) if x == y => {
                    merged.push(*a.next().expect("peeked"));
                    b.next();
                }
                (_, Some(_)) => {
                    let y = *b.next().expect("peeked");
                    merged.push(y);
                    added.push(y);
                }
                (Some(_), None) => merged.push(*a.next().expect("peeked")),
                (None, None) => break,
            }
        }
        let mut exceptions = std::mem::take(&mut self.exceptions);
        exceptions.extend(
            added
                .into_iter()
                .map(|s| (s, delta.reason_of(s)))
                .filter(|(_, r)| *r != self.default_reason),
        );
        exceptions.sort_unstable_by_key(|e| e.0);
        self.serials = merged;
        self.exceptions = exceptions;
        self.version = delta.version;
        self.issued_at = delta.issued_at;
        self.next_update = delta.next_update;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn office_names_with_invisible_or_reordering_characters_are_refused_naming_them() {
        for (text, code) in [
            ("Phòng \u{202E}LĐTBXH", "U+202E"),
            ("Phòng\u{200B}LĐTBXH", "U+200B"),
            ("Phòng\u{2066}LĐTBXH\u{2069}", "U+2066"),
            ("Phòng\u{00AD}LĐTBXH", "U+00AD"),
            ("Phòng\u{2028}LĐTBXH", "U+2028"),
            ("Phòng\u{FEFF}LĐTBXH", "U+FEFF"),
        ] {
            let err = check_text("name", text).unwrap_err().to_string();
            assert!(err.contains(code), "{text:?}: {err}");
        }
        assert_eq!(
            check_text("name", " Phòng Lao động – Thương binh và Xã hội ").unwrap(),
            "Phòng Lao động – Thương binh và Xã hội"
        );
    }
    use crate::signature::test_key;

    fn rev(n: u64, reason: RevocationReason) -> Revocation {
        Revocation {
            serial: CardSerial::new(n).unwrap(),
            reason,
        }
    }

    #[test]
    fn reasons_survive_coding_as_a_default_and_exceptions_and_a_delta_keeps_first_reasons() {
        use RevocationReason::*;
        let key = test_key("list");
        let entries = vec![
            rev(10, Lost),
            rev(20, Lost),
            rev(30, Deceased),
            rev(40, Lost),
            rev(9_999_999_999, Replaced),
        ];
        let full = RevocationList::new(7, 1, 2, None, entries.clone()).unwrap();
        let mut parsed =
            RevocationList::parse_verified(&full.sign(&key), key.verifying_key()).unwrap();
        assert_eq!(parsed.entries(), entries);
        let delta = RevocationList::new(
            9,
            3,
            4,
            Some(7),
            vec![rev(15, Stolen), rev(16, Stolen), rev(30, Error)],
        )
        .unwrap();
        let delta = RevocationList::parse_verified(&delta.sign(&key), key.verifying_key()).unwrap();
        parsed.apply(&delta).unwrap();
        let got: Vec<(u64, RevocationReason)> = parsed
            .entries()
            .iter()
            .map(|e| (e.serial.number(), e.reason))
            .collect();
        assert_eq!(
            got,
            [
                (10, Lost),
                (15, Stolen),
                (16, Stolen),
                (20, Lost),
                (30, Deceased),
                (40, Lost),
                (9_999_999_999, Replaced)
            ]
        );
        let again =
            RevocationList::parse_verified(&parsed.sign(&key), key.verifying_key()).unwrap();
        assert_eq!(again.entries(), parsed.entries());
    }

    proptest::proptest! {
        #[test]
        fn any_list_round_trips_and_a_delta_gives_the_union(
            a in proptest::collection::btree_map(1u64..=9_999_999_999, 1u8..=6, 0..60),
            b in proptest::collection::btree_map(1u64..=9_999_999_999, 1u8..=6, 0..60),
        ) {
            let key = test_key("list");
            let to_entries = |m: &std::collections::BTreeMap<u64, u8>| m.iter().map(|(s, r)| rev(*s, RevocationReason::from_byte(&[*r]).unwrap())).collect::<Vec<_>>();
            let full = RevocationList::new(1, 1, 2, None, to_entries(&a)).unwrap();
            let mut parsed = RevocationList::parse_verified(&full.sign(&key), key.verifying_key()).unwrap();
            proptest::prop_assert_eq!(parsed.entries(), to_entries(&a));
            let delta = RevocationList::new(2, 3, 4, Some(1), to_entries(&b)).unwrap();
            parsed.apply(&RevocationList::parse_verified(&delta.sign(&key), key.verifying_key()).unwrap()).unwrap();
            let mut union = b.clone();
            union.extend(a.iter().map(|(s, r)| (*s, *r)));
            proptest::prop_assert_eq!(parsed.entries(), to_entries(&union));
        }

        #[test]
        fn parsing_a_list_never_panics(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..300)) {
            let _ = RevocationList::parse_verified(&bytes, test_key("list").verifying_key());
        }
    }

    #[test]
    fn revocation_list_and_delta_round_trip_and_apply() {
        let key = test_key("list");
        let full = RevocationList::new(
            3,
            100,
            200,
            None,
            vec![
                rev(9, RevocationReason::Lost),
                rev(2, RevocationReason::Stolen),
            ],
        )
        .unwrap();
        let mut parsed =
            RevocationList::parse_verified(&full.sign(&key), key.verifying_key()).unwrap();
        assert_eq!(parsed, full);
        let delta = RevocationList::new(
            5,
            300,
            400,
            Some(3),
            vec![rev(4, RevocationReason::Deceased)],
        )
        .unwrap();
        let d = RevocationList::parse_verified(&delta.sign(&key), key.verifying_key()).unwrap();
        assert_eq!(d.base_version, Some(3));
        parsed.apply(&d).unwrap();
        assert_eq!(parsed.version, 5);
        assert_eq!(
            parsed.lookup(CardSerial::new(4).unwrap()).unwrap().reason,
            RevocationReason::Deceased
        );
        assert!(parsed.lookup(CardSerial::new(5).unwrap()).is_none());
        assert!(
            parsed.apply(&d).is_err(),
            "a delta from an older base is refused"
        );
    }

    #[test]
    fn lists_signed_by_another_key_are_refused() {
        let key = test_key("list");
        let full = RevocationList::new(1, 1, 2, None, vec![]).unwrap();
        let err =
            RevocationList::parse_verified(&full.sign(&test_key("other")), key.verifying_key())
                .unwrap_err();
        assert_eq!(err.kind(), "bad_signature");
    }

    #[test]
    fn trust_list_round_trips() {
        let root = test_key("root");
        let issuer = test_key("issuer");
        let tl = TrustList {
            version: 2,
            issued_at: 10,
            next_update: 20,
            list_key: *test_key("list").verifying_key(),
            issuers: vec![IssuerEntry {
                key_id: IssuerKeyId::of(issuer.verifying_key()),
                public_key: *issuer.verifying_key(),
                office: OfficeCode::parse("QNG-01").unwrap(),
                office_name: "Bưu điện tỉnh Quảng Ngãi".into(),
                area: AreaCode::parse("51").unwrap(),
                valid_from: Date::from_days(0),
                valid_until: Date::from_days(20000),
                status: IssuerStatus::Active,
            }],
        };
        assert_eq!(
            TrustList::parse_verified(&tl.sign(&root), root.verifying_key()).unwrap(),
            tl
        );
        assert!(TrustList::parse_verified(&tl.sign(&issuer), root.verifying_key()).is_err());
    }
}
