//! Deterministic keys for tests and vectors: the same label always gives the same key, so the
//! vectors are reproducible and a test's keys need no files.

use p256::ecdsa::SigningKey;
use sha2::{Digest, Sha256};

/// A signing key derived deterministically from a label, for test vectors and tests only (never
/// for real cards: anyone can derive it from the label).
pub fn test_key(label: &str) -> SigningKey {
    let mut counter = 0u32;
    loop {
        let digest = Sha256::new()
            .chain_update(label.as_bytes())
            .chain_update(counter.to_be_bytes())
            .finalize();
        if let Ok(k) = SigningKey::from_bytes(&digest) {
            return k;
        }
        counter += 1;
    }
}
