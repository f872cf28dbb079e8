//! The one signature helper: ECDSA P-256 with SHA-256, signatures as 64 bytes r‖s, public keys
//! as 65-byte SEC1 uncompressed points (SPEC.md §3). Signing is deterministic (RFC 6979) so test
//! vectors are reproducible; signatures are emitted with low S.

use std::fmt;

use p256::ecdsa::signature::{Signer, Verifier};
use p256::ecdsa::Signature;
use sha2::{Digest, Sha256};

use crate::error::{FormatError, Result};

pub use p256::ecdsa::{SigningKey, VerifyingKey as PublicKey};

/// Length of an encoded signature (r‖s).
pub const SIGNATURE_LEN: usize = 64;
/// Length of an encoded public key (SEC1 uncompressed).
pub const PUBLIC_KEY_LEN: usize = 65;

/// Signs `message` (hashed with SHA-256) and returns r‖s.
pub fn sign(key: &SigningKey, message: &[u8]) -> [u8; SIGNATURE_LEN] {
    let sig: Signature = key.sign(message);
    let sig = sig.normalize_s().unwrap_or(sig);
    let mut out = [0u8; SIGNATURE_LEN];
    out.copy_from_slice(&sig.to_bytes());
    out
}

/// Whether `signature` (r‖s) is a valid signature of `message` by `key`.
pub fn verify(key: &PublicKey, message: &[u8], signature: &[u8]) -> bool {
    match Signature::from_slice(signature) {
        Ok(sig) => key.verify(message, &sig).is_ok(),
        Err(_) => false,
    }
}

/// The SEC1 uncompressed encoding of a public key.
pub fn public_key_bytes(key: &PublicKey) -> [u8; PUBLIC_KEY_LEN] {
    let point = key.to_encoded_point(false);
    let mut out = [0u8; PUBLIC_KEY_LEN];
    out.copy_from_slice(point.as_bytes());
    out
}

/// Decodes a SEC1 uncompressed public key (65 bytes starting with 04, a point on P-256).
pub fn public_key_from_bytes(field: &'static str, bytes: &[u8]) -> Result<PublicKey> {
    if bytes.len() != PUBLIC_KEY_LEN || bytes[0] != 0x04 {
        return Err(FormatError::field(
            field,
            format!(
                "{} bytes, expected a 65-byte SEC1 uncompressed P-256 point (04‖x‖y)",
                bytes.len()
            ),
        ));
    }
    PublicKey::from_sec1_bytes(bytes)
        .map_err(|_| FormatError::field(field, "is not a point on the P-256 curve"))
}

/// Hex SHA-256 of the SEC1 uncompressed key: what verifiers pin for the root.
pub fn fingerprint(key: &PublicKey) -> String {
    hex::encode(Sha256::digest(public_key_bytes(key)))
}

/// An issuer key identifier: the first 8 bytes of SHA-256 of the key's SEC1 uncompressed form.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct IssuerKeyId(pub [u8; 8]);

impl IssuerKeyId {
    pub fn of(key: &PublicKey) -> Self {
        let digest = Sha256::digest(public_key_bytes(key));
        let mut id = [0u8; 8];
        id.copy_from_slice(&digest[..8]);
        IssuerKeyId(id)
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        let arr: [u8; 8] = bytes.try_into().map_err(|_| {
            FormatError::field(
                "issuer_key_id",
                format!("{} bytes, expected 8", bytes.len()),
            )
        })?;
        Ok(IssuerKeyId(arr))
    }

    pub fn parse_hex(text: &str) -> Result<Self> {
        let bytes = hex::decode(text.trim())
            .map_err(|_| FormatError::field("issuer_key_id", format!("{text:?} is not hex")))?;
        Self::from_bytes(&bytes)
    }

    pub fn to_hex(self) -> String {
        hex::encode(self.0)
    }
}

impl fmt::Display for IssuerKeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl fmt::Debug for IssuerKeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "IssuerKeyId({})", self.to_hex())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use asxh_testkit::test_key;

    #[test]
    fn sign_then_verify_and_reject_other_message_or_key() {
        let k = test_key("a");
        let sig = sign(&k, b"hello");
        assert!(verify(k.verifying_key(), b"hello", &sig));
        assert!(!verify(k.verifying_key(), b"hellp", &sig));
        assert!(!verify(test_key("b").verifying_key(), b"hello", &sig));
        assert!(!verify(k.verifying_key(), b"hello", &sig[..63]));
        assert_eq!(sign(&k, b"hello"), sig, "RFC 6979 signing is deterministic");
    }

    #[test]
    fn public_key_round_trip_and_rejects_compressed_or_off_curve() {
        let k = test_key("a");
        let b = public_key_bytes(k.verifying_key());
        assert_eq!(&public_key_from_bytes("k", &b).unwrap(), k.verifying_key());
        let mut off = b;
        off[64] ^= 1;
        assert!(public_key_from_bytes("k", &off).is_err());
        let compressed = k.verifying_key().to_encoded_point(true);
        assert!(public_key_from_bytes("k", compressed.as_bytes()).is_err());
    }
}
