//! The signed envelope shared by card credentials and QR payloads (SPEC.md §5.1):
//! `7F21 { 7F4E body, 5F37 signature }`, the signature being ECDSA P-256/SHA-256 over the
//! complete `7F4E` TLV (tag, length and value) as 64 bytes r‖s.

use crate::error::{FormatError, Result};
use crate::signature::{self, IssuerKeyId, PublicKey, SigningKey, SIGNATURE_LEN};
use crate::tlv::{self, Children, Tlv};

pub const ENVELOPE_TAG: u32 = 0x7F21;
pub const BODY_TAG: u32 = 0x7F4E;
pub const SIGNATURE_TAG: u32 = 0x5F37;
/// Tag of the profile byte, the first element of every body.
pub const PROFILE_TAG: u32 = 0x80;
/// Tag of the signer's key identifier inside every body (the issuer key for credentials, the
/// root key for trust lists, the revocation-list key for revocation lists).
pub const ISSUER_KEY_ID_TAG: u32 = 0x82;

/// Which kind of body an envelope carries (the first body element, tag 80).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Profile {
    /// A card credential, format version 1.
    CardV1 = 0x01,
    /// A QR payload, format version 1.
    QrV1 = 0x02,
    /// A trust list, signed by the root key, naming the revocation-list key and the roll key
    /// (profile 03, without the roll key, is withdrawn).
    TrustList = 0x08,
    /// A full revocation list, signed by the revocation-list key (Golomb–Rice coded serials;
    /// profile 04, explicit entries, is withdrawn).
    RevocationList = 0x06,
    /// A revocation delta (changes since a base version; replaces the withdrawn profile 05).
    RevocationDelta = 0x07,
    /// A full payment roll of one area and month, signed by the roll key (SPEC.md §17).
    RollFull = 0x09,
    /// A payment-roll delta: the entries changed since a base version.
    RollDelta = 0x0A,
}

impl Profile {
    pub fn name(self) -> &'static str {
        match self {
            Profile::CardV1 => "card credential",
            Profile::QrV1 => "QR credential",
            Profile::TrustList => "trust list",
            Profile::RevocationList => "revocation list",
            Profile::RevocationDelta => "revocation delta",
            Profile::RollFull => "payment roll",
            Profile::RollDelta => "payment roll delta",
        }
    }
}

/// A parsed envelope whose signature has not been checked yet.
#[derive(Debug, Clone, PartialEq)]
pub struct Envelope {
    body: Tlv,
    signature: [u8; SIGNATURE_LEN],
}

impl Envelope {
    /// Signs `body` (a `7F4E` TLV).
    pub fn sign(body: Tlv, key: &SigningKey) -> Self {
        let signature = signature::sign(key, &tlv::encode(&body));
        Envelope { body, signature }
    }

    /// Parses the envelope structure of a `profile` body: outer tags, canonical encoding,
    /// signature length and the profile byte. Fields are not decoded here.
    pub fn parse(bytes: &[u8], profile: Profile, max_len: usize) -> Result<Self> {
        Self::parse_one_of(bytes, &[profile], max_len).map(|(envelope, _)| envelope)
    }

    /// Like [`Envelope::parse`] for a body of any of `profiles` (errors are named after the
    /// first); returns which one it is. The bytes are decoded once whichever it is.
    pub fn parse_one_of(
        bytes: &[u8],
        profiles: &[Profile],
        max_len: usize,
    ) -> Result<(Self, Profile)> {
        let expected = profiles[0];
        let context = expected.name();
        let outer = tlv::decode(context, bytes, ENVELOPE_TAG, max_len)?;
        let mut parts = Children::of(context, &outer)?;
        let body = parts.required_tlv(BODY_TAG)?.clone();
        let sig = parts.required(SIGNATURE_TAG)?;
        parts.finish()?;
        let signature: [u8; SIGNATURE_LEN] = sig.try_into().map_err(|_| {
            FormatError::malformed(
                context,
                format!("signature is {} bytes, expected 64 (r‖s)", sig.len()),
            )
        })?;
        let mut fields = Children::of(context, &body)?;
        let p = fields.required(PROFILE_TAG)?;
        match profiles.iter().find(|candidate| p == [**candidate as u8]) {
            Some(found) => Ok((Envelope { body, signature }, *found)),
            None => Err(FormatError::field(
                "profile",
                format!(
                    "{p:02X?} is not the {context} profile {:02X}",
                    expected as u8
                ),
            )),
        }
    }

    /// The issuer key identifier named in the body (tag 82), to pick the verification key.
    pub fn issuer_key_id(&self) -> Result<IssuerKeyId> {
        let mut fields = Children::of("body", &self.body)?;
        while let Some(t) = fields.next_any() {
            if tlv::tag_number(t) == ISSUER_KEY_ID_TAG {
                return IssuerKeyId::from_bytes(tlv::primitive_value("body", t)?);
            }
        }
        Err(FormatError::malformed(
            "body",
            "missing issuer key identifier (tag 82)",
        ))
    }

    /// Checks the signature with `key`, which must also be the key the body names.
    pub fn verify(&self, key: &PublicKey, context: &'static str) -> Result<()> {
        let key_id = IssuerKeyId::of(key);
        if !signature::verify(key, &tlv::encode(&self.body), &self.signature) {
            return Err(FormatError::BadSignature {
                context,
                key_id: key_id.to_hex(),
            });
        }
        let named = self.issuer_key_id()?;
        if named != key_id {
            return Err(FormatError::field(
                "issuer_key_id",
                format!("body names key {named} but was verified with key {key_id}"),
            ));
        }
        Ok(())
    }

    /// SPEC.md §5.5 steps 2 and 3: [`Envelope::verify`], then the body decoded by `decode`. A
    /// body in which tag `82` cannot be read reports what `decode` finds wrong with it (the
    /// first failure in document order, §4.1 rule 3) rather than the missing identifier.
    pub fn verify_and_decode<T>(
        &self,
        key: &PublicKey,
        context: &'static str,
        decode: impl Fn(&Tlv) -> Result<T>,
    ) -> Result<T> {
        match self.verify(key, context) {
            Ok(()) => decode(&self.body),
            Err(e @ FormatError::BadSignature { .. }) => Err(e),
            Err(e) => match decode(&self.body) {
                Err(in_body) if self.issuer_key_id().is_err() => Err(in_body),
                _ => Err(e),
            },
        }
    }

    pub fn body(&self) -> &Tlv {
        &self.body
    }

    pub fn signature(&self) -> &[u8; SIGNATURE_LEN] {
        &self.signature
    }

    /// The encoded envelope.
    pub fn to_bytes(&self) -> Vec<u8> {
        tlv::encode(&tlv::constructed(
            ENVELOPE_TAG,
            vec![
                self.body.clone(),
                tlv::primitive(SIGNATURE_TAG, self.signature.to_vec()),
            ],
        ))
    }
}
