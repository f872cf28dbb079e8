//! The QR fallback (SPEC.md §6): `ASXH1:` followed by base45 (RFC 9285) of a compact signed
//! credential with the same envelope as the card credential but only what a payment point
//! needs. Base45 keeps the QR in alphanumeric mode, which keyboard-wedge scanners pass through.
//! A QR proves the data is issuer-signed, not that the person showing it is the holder.

use crate::credential::CredentialBody;
use crate::date::{Date, PartialDate};
use crate::entitlement::{QrEntitlement, ENTITLEMENT_TAG};
use crate::envelope::{Envelope, Profile, BODY_TAG, PROFILE_TAG};
use crate::error::{FormatError, Result};
use crate::holder::PersonName;
use crate::serial::CardSerial;
use crate::signature::{IssuerKeyId, PublicKey, SigningKey};
use crate::ssn::Ssn;
use crate::tlv::{self, Children, Tlv};

/// The text every QR payload starts with.
pub const QR_PREFIX: &str = "ASXH1:";
/// Largest encoded QR envelope (before base45).
pub const MAX_QR_LEN: usize = 1536;

/// Body tags of a QR credential (SPEC.md §6.2): a subset of the card credential's tags.
mod tag {
    pub const SERIAL: u32 = 0x81;
    pub const ISSUER_KEY_ID: u32 = 0x82;
    pub const EXPIRES: u32 = 0x84;
    pub const SSN: u32 = 0x85;
    pub const NAME: u32 = 0x86;
    pub const DATE_OF_BIRTH: u32 = 0x87;
}

/// The content of a QR credential.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QrBody {
    pub serial: CardSerial,
    pub issuer_key_id: IssuerKeyId,
    pub expires: Date,
    pub ssn: Ssn,
    pub name: PersonName,
    pub date_of_birth: PartialDate,
    pub entitlements: Vec<QrEntitlement>,
}

impl QrBody {
    /// The QR body for a card credential.
    pub fn for_card(card: &CredentialBody) -> Self {
        QrBody {
            serial: card.serial,
            issuer_key_id: card.issuer_key_id,
            expires: card.expires,
            ssn: card.holder.ssn(),
            name: card.holder.name().clone(),
            date_of_birth: card.holder.date_of_birth(),
            entitlements: card
                .entitlements()
                .iter()
                .map(QrEntitlement::from)
                .collect(),
        }
    }

    pub fn to_tlv(&self) -> Tlv {
        let mut children = vec![
            tlv::primitive(PROFILE_TAG, vec![Profile::QrV1 as u8]),
            tlv::primitive(tag::SERIAL, self.serial.to_bytes()),
            tlv::primitive(tag::ISSUER_KEY_ID, self.issuer_key_id.0),
            tlv::primitive(tag::EXPIRES, self.expires.to_bytes()),
            tlv::primitive(tag::SSN, self.ssn.to_bcd()),
            tlv::primitive(tag::NAME, self.name.as_str().as_bytes()),
            tlv::primitive(tag::DATE_OF_BIRTH, self.date_of_birth.to_bcd()),
        ];
        children.extend(self.entitlements.iter().map(QrEntitlement::to_tlv));
        tlv::constructed(BODY_TAG, children)
    }

    pub fn from_tlv(body: &Tlv) -> Result<Self> {
        let mut c = Children::of("QR credential body", body)?;
        c.required(PROFILE_TAG)?;
        let serial = CardSerial::from_bytes(c.required(tag::SERIAL)?)?;
        let issuer_key_id = IssuerKeyId::from_bytes(c.required(tag::ISSUER_KEY_ID)?)?;
        let expires = Date::from_bytes("expires", c.required(tag::EXPIRES)?)?;
        let ssn = Ssn::from_bcd(c.required(tag::SSN)?)?;
        let name = PersonName::from_bytes("full_name", c.required(tag::NAME)?)?;
        let date_of_birth =
            PartialDate::from_bcd("date_of_birth", c.required(tag::DATE_OF_BIRTH)?)?;
        let ents = c.repeated(ENTITLEMENT_TAG);
        c.finish()?;
        crate::credential::check_decoded_entitlements("QR credential body", ents.len())?;
        let entitlements = ents
            .into_iter()
            .map(QrEntitlement::from_tlv)
            .collect::<Result<Vec<_>>>()?;
        // The QR carries no sex field; the SSN's sex digit is taken as given, its birth year
        // must agree with the date of birth.
        ssn.check_holder(ssn.sex(), date_of_birth)?;
        Ok(QrBody {
            serial,
            issuer_key_id,
            expires,
            ssn,
            name,
            date_of_birth,
            entitlements,
        })
    }
}

/// Text scanned from a QR code, whose envelope is well formed but not yet verified.
#[derive(Debug, Clone)]
pub struct SignedQr {
    envelope: Envelope,
}

impl SignedQr {
    /// Parses scanner or decoder text. Leading whitespace and trailing line ends are ignored,
    /// and lower case is accepted because some keyboard-wedge scanners change case.
    pub fn parse(text: &str) -> Result<Self> {
        let t = text
            .trim_start()
            .trim_end_matches(['\r', '\n'])
            .to_ascii_uppercase();
        let payload = t.strip_prefix(QR_PREFIX).ok_or_else(|| {
            let shown: String = t.chars().take(12).collect();
            FormatError::malformed(
                "QR text",
                format!("starts with {shown:?}, expected the prefix {QR_PREFIX}"),
            )
        })?;
        if payload.len() > MAX_QR_LEN * 3 / 2 + 2 {
            return Err(FormatError::malformed(
                "QR text",
                format!(
                    "{} characters, at most {} allowed",
                    payload.len(),
                    MAX_QR_LEN * 3 / 2
                ),
            ));
        }
        let bytes = base45::decode(payload)
            .map_err(|e| FormatError::malformed("QR text", format!("not valid base45 ({e:?})")))?;
        Ok(SignedQr {
            envelope: Envelope::parse(&bytes, Profile::QrV1, MAX_QR_LEN)?,
        })
    }

    pub fn issuer_key_id(&self) -> Result<IssuerKeyId> {
        self.envelope.issuer_key_id()
    }

    /// Checks the signature, then decodes every field.
    pub fn verify(self, issuer_key: &PublicKey) -> Result<QrCredential> {
        let body =
            self.envelope
                .verify_and_decode(issuer_key, "QR credential", QrBody::from_tlv)?;
        Ok(QrCredential {
            text: text_of(&self.envelope),
            body,
        })
    }
}

fn text_of(envelope: &Envelope) -> String {
    format!("{QR_PREFIX}{}", base45::encode(envelope.to_bytes()))
}

/// A QR credential whose issuer signature is valid, with its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QrCredential {
    body: QrBody,
    text: String,
}

impl QrCredential {
    /// Signs `body`; the body must name the signing key.
    pub fn issue(body: QrBody, issuer_key: &SigningKey) -> Result<Self> {
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
        if envelope.to_bytes().len() > MAX_QR_LEN {
            return Err(FormatError::field(
                "qr",
                format!("payload exceeds {MAX_QR_LEN} bytes"),
            ));
        }
        Ok(QrCredential {
            text: text_of(&envelope),
            body,
        })
    }

    pub fn body(&self) -> &QrBody {
        &self.body
    }

    /// `ASXH1:` + base45: the text to put in the QR code (alphanumeric mode).
    pub fn text(&self) -> &str {
        &self.text
    }
}
