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
    pub const ENTRY: u32 = 0xA0;
    // inside A1 / A2
    pub const KEY_ID: u32 = 0x80;
    pub const PUBLIC_KEY: u32 = 0x81;
    pub const OFFICE: u32 = 0x82;
    pub const OFFICE_NAME: u32 = 0x83;
    pub const AREA: u32 = 0x84;
    pub const VALID_FROM: u32 = 0x85;
    pub const VALID_UNTIL: u32 = 0x86;
    pub const STATUS: u32 = 0x87;
    // inside A0
    pub const SERIAL: u32 = 0x81;
    pub const REASON: u32 = 0x82;
    pub const REVOKED_ON: u32 = 0x83;
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

/// Free text shown to people (an office name): NFC, 1 to 100 bytes, no control characters,
/// no surrounding spaces.
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
    pub revoked_on: Date,
}

/// A revocation list: full (`base_version` is `None`) or a delta holding the revocations made
/// after `base_version` up to `version`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevocationList {
    pub version: u64,
    pub issued_at: u64,
    pub next_update: u64,
    pub base_version: Option<u64>,
    /// Sorted by serial, one entry per serial.
    entries: Vec<Revocation>,
}

impl RevocationList {
    /// Builds a list; entries are sorted and must name each serial once.
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
        Ok(RevocationList {
            version,
            issued_at,
            next_update,
            base_version,
            entries,
        })
    }

    pub fn entries(&self) -> &[Revocation] {
        &self.entries
    }

    /// Signs the list with the revocation-list key.
    pub fn sign(&self, key: &SigningKey) -> Vec<u8> {
        let profile = if self.base_version.is_some() {
            Profile::RevocationDeltaV1
        } else {
            Profile::RevocationListV1
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
        body.extend(self.entries.iter().map(|e| {
            tlv::constructed(
                tag::ENTRY,
                vec![
                    tlv::primitive(tag::SERIAL, e.serial.to_bytes()),
                    tlv::primitive(tag::REASON, vec![e.reason as u8]),
                    tlv::primitive(tag::REVOKED_ON, e.revoked_on.to_bytes()),
                ],
            )
        }));
        Envelope::sign(tlv::constructed(BODY_TAG, body), key).to_bytes()
    }

    /// Parses a full list or a delta and checks its signature with the revocation-list key.
    pub fn parse_verified(bytes: &[u8], key: &PublicKey) -> Result<Self> {
        let delta = bytes.len() > 8
            && Envelope::parse(bytes, Profile::RevocationDeltaV1, MAX_REVOCATION_LIST_LEN).is_ok();
        let profile = if delta {
            Profile::RevocationDeltaV1
        } else {
            Profile::RevocationListV1
        };
        let env = Envelope::parse(bytes, profile, MAX_REVOCATION_LIST_LEN)?;
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
        let entries = c
            .repeated(tag::ENTRY)
            .into_iter()
            .map(|t| {
                let mut e = Children::of("revocation entry", t)?;
                let serial = CardSerial::from_bytes(e.required(tag::SERIAL)?)?;
                let reason = RevocationReason::from_byte(e.required(tag::REASON)?)?;
                let revoked_on = Date::from_bytes("revoked_on", e.required(tag::REVOKED_ON)?)?;
                e.finish()?;
                Ok(Revocation {
                    serial,
                    reason,
                    revoked_on,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        c.finish()?;
        if entries.windows(2).any(|w| w[0].serial >= w[1].serial) {
            return Err(Error::field(
                "entries",
                "serials must be in strictly ascending order",
            ));
        }
        RevocationList::new(version, issued_at, next_update, base_version, entries)
    }

    /// The revocation of `serial`, if revoked.
    pub fn lookup(&self, serial: CardSerial) -> Option<&Revocation> {
        self.entries
            .binary_search_by_key(&serial, |e| e.serial)
            .ok()
            .map(|i| &self.entries[i])
    }

    /// Applies a delta to this full list. The delta must start at this list's version and be
    /// newer; a list never goes back to an older version.
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
        let mut merged = std::mem::take(&mut self.entries);
        for e in &delta.entries {
            if let Err(i) = merged.binary_search_by_key(&e.serial, |x| x.serial) {
                merged.insert(i, *e);
            }
        }
        self.entries = merged;
        self.version = delta.version;
        self.issued_at = delta.issued_at;
        self.next_update = delta.next_update;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signature::test_key;

    fn rev(n: u64, reason: RevocationReason) -> Revocation {
        Revocation {
            serial: CardSerial::new(n).unwrap(),
            reason,
            revoked_on: Date::from_days(9000),
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
