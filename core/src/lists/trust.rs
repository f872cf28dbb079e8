//! The trust list (SPEC.md §14): the issuer keys with their office, area, validity and status,
//! the revocation-list key and the payment-roll key, signed by the root.

use crate::area::AreaCode;
use crate::date::Date;
use crate::envelope::{Envelope, Profile, BODY_TAG, ISSUER_KEY_ID_TAG, PROFILE_TAG};
use crate::error::{FormatError, Result};
use crate::signature::{self, IssuerKeyId, PublicKey, SigningKey};
use crate::tlv::{self, Children, Tlv};

use super::office::{text_from_bytes, OfficeCode};
use super::{tag, uint, MAX_TRUST_LIST_LEN};

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
            other => Err(FormatError::field(
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
            _ => Err(FormatError::field(
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
            return Err(FormatError::field(
                "key_id",
                "does not match the public key",
            ));
        }
        let office = OfficeCode::from_bytes(c.required(tag::OFFICE)?)?;
        let office_name = text_from_bytes("office_name", c.required(tag::OFFICE_NAME)?)?;
        let area = AreaCode::from_bytes(c.required(tag::AREA)?)?;
        let valid_from = Date::from_bytes("valid_from", c.required(tag::VALID_FROM)?)?;
        let valid_until = Date::from_bytes("valid_until", c.required(tag::VALID_UNTIL)?)?;
        let status = IssuerStatus::from_byte(c.required(tag::STATUS)?)?;
        c.finish()?;
        if valid_until < valid_from {
            return Err(FormatError::field(
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

/// The trust list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustList {
    pub version: u64,
    /// Unix time (seconds, UTC) of signing.
    pub issued_at: u64,
    /// Unix time by which a newer list will be published.
    pub next_update: u64,
    pub list_key: PublicKey,
    /// The key that signs the payment rolls (SPEC.md §17).
    pub roll_key: PublicKey,
    pub issuers: Vec<IssuerEntry>,
}

/// A key template `{ 80 key id, 81 public key }` (`A1`, `A3`).
fn key_tlv(tag_number: u32, key: &PublicKey) -> Tlv {
    tlv::constructed(
        tag_number,
        vec![
            tlv::primitive(tag::KEY_ID, IssuerKeyId::of(key).0),
            tlv::primitive(tag::PUBLIC_KEY, signature::public_key_bytes(key)),
        ],
    )
}

/// Reads a key template whose id must be its key's identifier.
fn key_from(context: &'static str, field: &'static str, t: &Tlv) -> Result<PublicKey> {
    let mut k = Children::of(context, t)?;
    let id = IssuerKeyId::from_bytes(k.required(tag::KEY_ID)?)?;
    let key = signature::public_key_from_bytes(field, k.required(tag::PUBLIC_KEY)?)?;
    k.finish()?;
    if IssuerKeyId::of(&key) != id {
        return Err(FormatError::field(field, "key id does not match the key"));
    }
    Ok(key)
}

impl TrustList {
    /// Signs the list with the root key.
    pub fn sign(&self, root: &SigningKey) -> Vec<u8> {
        let mut body = vec![
            tlv::primitive(PROFILE_TAG, vec![Profile::TrustList as u8]),
            tlv::primitive(tag::VERSION, tlv::encode_uint(self.version)),
            tlv::primitive(ISSUER_KEY_ID_TAG, IssuerKeyId::of(root.verifying_key()).0),
            tlv::primitive(tag::ISSUED_AT, tlv::encode_uint(self.issued_at)),
            tlv::primitive(tag::NEXT_UPDATE, tlv::encode_uint(self.next_update)),
            key_tlv(tag::LIST_KEY, &self.list_key),
            key_tlv(tag::ROLL_KEY, &self.roll_key),
        ];
        body.extend(self.issuers.iter().map(IssuerEntry::to_tlv));
        Envelope::sign(tlv::constructed(BODY_TAG, body), root).to_bytes()
    }

    /// Parses a trust list and checks it was signed by `root` (the pinned key).
    pub fn parse_verified(bytes: &[u8], root: &PublicKey) -> Result<Self> {
        let env = Envelope::parse(bytes, Profile::TrustList, MAX_TRUST_LIST_LEN)?;
        env.verify(root, "trust list")?;
        let mut c = Children::of("trust list", env.body())?;
        c.required(PROFILE_TAG)?;
        let version = uint("version", &mut c, tag::VERSION)?;
        c.required(ISSUER_KEY_ID_TAG)?;
        let issued_at = uint("issued_at", &mut c, tag::ISSUED_AT)?;
        let next_update = uint("next_update", &mut c, tag::NEXT_UPDATE)?;
        let list_key = key_from(
            "revocation-list key",
            "list_key",
            c.required_tlv(tag::LIST_KEY)?,
        )?;
        let roll_key = key_from("roll key", "roll_key", c.required_tlv(tag::ROLL_KEY)?)?;
        let issuers = c
            .repeated(tag::ISSUER)
            .into_iter()
            .map(IssuerEntry::from_tlv)
            .collect::<Result<Vec<_>>>()?;
        c.finish()?;
        let mut ids: Vec<IssuerKeyId> = issuers.iter().map(|e| e.key_id).collect();
        ids.sort_unstable();
        if ids.windows(2).any(|w| w[0] == w[1]) {
            return Err(FormatError::field("key_id", "an issuer key appears twice"));
        }
        Ok(TrustList {
            version,
            issued_at,
            next_update,
            list_key,
            roll_key,
            issuers,
        })
    }

    /// The issuer entry with key id `id`.
    pub fn issuer(&self, id: IssuerKeyId) -> Option<&IssuerEntry> {
        self.issuers.iter().find(|e| e.key_id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use asxh_testkit::test_key;

    #[test]
    fn trust_list_round_trips() {
        let root = test_key("root");
        let issuer = test_key("issuer");
        let tl = TrustList {
            version: 2,
            issued_at: 10,
            next_update: 20,
            list_key: *test_key("list").verifying_key(),
            roll_key: *test_key("roll").verifying_key(),
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
