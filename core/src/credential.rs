//! The card credential (SPEC.md §5.2): the issuer-signed record written on the chip. A
//! [`Credential`] value exists only once its signature has been checked (or it was just signed);
//! bytes read from a card are a [`SignedCredential`] until then.

use crate::area::AreaCode;
use crate::date::{Date, PartialDate};
use crate::entitlement::{Entitlement, ENTITLEMENT_TAG};
use crate::envelope::{Envelope, Profile, PROFILE_TAG};
use crate::error::{FormatError, Problem, Result};
use crate::holder::{Holder, PersonName};
use crate::serial::CardSerial;
use crate::sex::Sex;
use crate::signature::{self, IssuerKeyId, PublicKey, SigningKey};
use crate::ssn::Ssn;
use crate::tlv::{self, Children, Tlv};

/// Body tags of a card credential, in their required order (SPEC.md §5.2).
pub mod tag {
    pub const PROFILE: u32 = 0x80;
    pub const SERIAL: u32 = 0x81;
    pub const ISSUER_KEY_ID: u32 = 0x82;
    pub const ISSUED: u32 = 0x83;
    pub const EXPIRES: u32 = 0x84;
    pub const SSN: u32 = 0x85;
    pub const NAME: u32 = 0x86;
    pub const DATE_OF_BIRTH: u32 = 0x87;
    pub const SEX: u32 = 0x88;
    pub const AREA: u32 = 0x89;
    pub const CARD_PUBLIC_KEY: u32 = 0x8A;
}

/// Largest encoded credential a card must store.
pub const MAX_CREDENTIAL_LEN: usize = 2048;
/// Most entitlements one credential carries.
pub const MAX_ENTITLEMENTS: usize = 8;

/// The content of a card credential.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CredentialBody {
    pub serial: CardSerial,
    pub issuer_key_id: IssuerKeyId,
    pub issued: Date,
    pub expires: Date,
    pub holder: Holder,
    pub card_public_key: PublicKey,
    entitlements: Vec<Entitlement>,
}

impl CredentialBody {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        serial: CardSerial,
        issuer_key_id: IssuerKeyId,
        issued: Date,
        expires: Date,
        holder: Holder,
        card_public_key: PublicKey,
        entitlements: Vec<Entitlement>,
    ) -> Result<Self> {
        if expires < issued {
            return Err(FormatError::invalid(
                "expires",
                Problem::EndsBeforeStart {
                    end: expires.to_string(),
                    start: issued.to_string(),
                    start_field: "the issue date",
                },
            ));
        }
        check_entitlement_count(entitlements.len())?;
        Ok(CredentialBody {
            serial,
            issuer_key_id,
            issued,
            expires,
            holder,
            card_public_key,
            entitlements,
        })
    }

    pub fn entitlements(&self) -> &[Entitlement] {
        &self.entitlements
    }

    /// The `7F4E` body TLV.
    pub fn to_tlv(&self) -> Tlv {
        let h = &self.holder;
        let mut children = vec![
            tlv::primitive(PROFILE_TAG, vec![Profile::CardV1 as u8]),
            tlv::primitive(tag::SERIAL, self.serial.to_bytes()),
            tlv::primitive(tag::ISSUER_KEY_ID, self.issuer_key_id.0),
            tlv::primitive(tag::ISSUED, self.issued.to_bytes()),
            tlv::primitive(tag::EXPIRES, self.expires.to_bytes()),
            tlv::primitive(tag::SSN, h.ssn().to_bcd()),
            tlv::primitive(tag::NAME, h.name().as_str().as_bytes()),
            tlv::primitive(tag::DATE_OF_BIRTH, h.date_of_birth().to_bcd()),
            tlv::primitive(tag::SEX, vec![h.sex().to_byte()]),
            tlv::primitive(tag::AREA, h.area().as_str().as_bytes()),
            tlv::primitive(
                tag::CARD_PUBLIC_KEY,
                signature::public_key_bytes(&self.card_public_key),
            ),
        ];
        children.extend(self.entitlements.iter().map(Entitlement::to_tlv));
        tlv::constructed(crate::envelope::BODY_TAG, children)
    }

    /// Decodes and validates every field of a `7F4E` body.
    pub fn from_tlv(body: &Tlv) -> Result<Self> {
        let mut c = Children::of("card credential body", body)?;
        c.required(PROFILE_TAG)?;
        let serial = CardSerial::from_bytes(c.required(tag::SERIAL)?)?;
        let issuer_key_id = IssuerKeyId::from_bytes(c.required(tag::ISSUER_KEY_ID)?)?;
        let issued = Date::from_bytes("issued", c.required(tag::ISSUED)?)?;
        let expires = Date::from_bytes("expires", c.required(tag::EXPIRES)?)?;
        let ssn = Ssn::from_bcd(c.required(tag::SSN)?)?;
        let name = PersonName::from_bytes("full_name", c.required(tag::NAME)?)?;
        let dob = PartialDate::from_bcd("date_of_birth", c.required(tag::DATE_OF_BIRTH)?)?;
        let sex = Sex::from_bytes(c.required(tag::SEX)?)?;
        let area = AreaCode::from_bytes(c.required(tag::AREA)?)?;
        let card_public_key =
            signature::public_key_from_bytes("card_public_key", c.required(tag::CARD_PUBLIC_KEY)?)?;
        let entitlement_tlvs = c.repeated(ENTITLEMENT_TAG);
        c.finish()?;
        check_decoded_entitlements("card credential body", entitlement_tlvs.len())?;
        let entitlements = entitlement_tlvs
            .into_iter()
            .map(Entitlement::from_tlv)
            .collect::<Result<Vec<_>>>()?;
        let holder = Holder::new(ssn, name, dob, sex, area)?;
        CredentialBody::new(
            serial,
            issuer_key_id,
            issued,
            expires,
            holder,
            card_public_key,
            entitlements,
        )
    }
}

/// SPEC.md §4.1 rule 3: an `A0` beyond the eighth is a repeated tag where the table allows no
/// more, a *wrong tag* (whereas building a body with too many is a field error).
pub(crate) fn check_decoded_entitlements(context: &'static str, n: usize) -> Result<()> {
    if n > MAX_ENTITLEMENTS {
        return Err(FormatError::UnexpectedTag {
            context,
            expected: format!("end of template (at most {MAX_ENTITLEMENTS} entitlements)"),
            found: tlv::tag_name(ENTITLEMENT_TAG),
        });
    }
    Ok(())
}

fn check_entitlement_count(n: usize) -> Result<()> {
    if n > MAX_ENTITLEMENTS {
        return Err(FormatError::invalid(
            "entitlements",
            Problem::TooManyEntitlements {
                count: n,
                max: MAX_ENTITLEMENTS,
            },
        ));
    }
    Ok(())
}

/// Credential bytes whose envelope is well formed but whose signature is not yet checked.
#[derive(Debug, Clone, PartialEq)]
pub struct SignedCredential {
    envelope: Envelope,
}

impl SignedCredential {
    /// Parses the envelope (SPEC.md §5.5 step 1).
    pub fn parse(bytes: &[u8]) -> Result<Self> {
        Ok(SignedCredential {
            envelope: Envelope::parse(bytes, Profile::CardV1, MAX_CREDENTIAL_LEN)?,
        })
    }

    /// The issuer key the body names, to look up in the trust list.
    pub fn issuer_key_id(&self) -> Result<IssuerKeyId> {
        self.envelope.issuer_key_id()
    }

    /// Checks the signature with the issuer's key, then decodes every field
    /// (SPEC.md §5.5 steps 2 and 3).
    pub fn verify(self, issuer_key: &PublicKey) -> Result<Credential> {
        let body = self.envelope.verify_and_decode(
            issuer_key,
            "card credential",
            CredentialBody::from_tlv,
        )?;
        Ok(Credential {
            bytes: self.envelope.to_bytes(),
            body,
        })
    }

    /// Every field decoded **without** checking the signature: for showing or printing a
    /// credential the office itself just received from its server, never for deciding anything
    /// (a verifier uses [`SignedCredential::verify`]).
    pub fn unverified_body(&self) -> Result<CredentialBody> {
        CredentialBody::from_tlv(self.envelope.body())
    }

    /// The card serial and card public key, read without checking the signature: what the card
    /// application itself needs to bind a credential to its key (SPEC.md §7.6).
    pub fn card_binding(&self) -> Result<(CardSerial, [u8; signature::PUBLIC_KEY_LEN])> {
        let mut c = Children::of("card credential body", self.envelope.body())?;
        c.required(PROFILE_TAG)?;
        let serial = CardSerial::from_bytes(c.required(tag::SERIAL)?)?;
        let mut key = None;
        while let Some(t) = c.next_any() {
            if tlv::tag_number(t) == tag::CARD_PUBLIC_KEY {
                key = Some(tlv::primitive_value("card credential body", t)?);
                break;
            }
        }
        let key = key.ok_or_else(|| {
            FormatError::malformed("card credential body", "missing card public key (tag 8A)")
        })?;
        let key: [u8; signature::PUBLIC_KEY_LEN] = key.try_into().map_err(|_| {
            FormatError::field(
                "card_public_key",
                format!("{} bytes, expected 65", key.len()),
            )
        })?;
        Ok((serial, key))
    }
}

/// A card credential whose issuer signature is valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credential {
    body: CredentialBody,
    bytes: Vec<u8>,
}

impl Credential {
    /// Signs `body` with the issuer key. The body's issuer key id must name that key.
    pub fn issue(body: CredentialBody, issuer_key: &SigningKey) -> Result<Self> {
        let expected = IssuerKeyId::of(issuer_key.verifying_key());
        if body.issuer_key_id != expected {
            return Err(FormatError::field(
                "issuer_key_id",
                format!(
                    "body names key {} but the signing key is {expected}",
                    body.issuer_key_id
                ),
            ));
        }
        let envelope = Envelope::sign(body.to_tlv(), issuer_key);
        let bytes = envelope.to_bytes();
        if bytes.len() > MAX_CREDENTIAL_LEN {
            return Err(FormatError::field(
                "credential",
                format!(
                    "{} bytes encoded, at most {MAX_CREDENTIAL_LEN} fit on a card",
                    bytes.len()
                ),
            ));
        }
        Ok(Credential { body, bytes })
    }

    pub fn body(&self) -> &CredentialBody {
        &self.body
    }

    /// The encoded credential as written on the card.
    pub fn to_bytes(&self) -> &[u8] {
        &self.bytes
    }
}
