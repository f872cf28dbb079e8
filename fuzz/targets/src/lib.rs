//! asxh-fuzz-targets: one function for each parser that takes bytes from outside (issue #8), each
//! `fn(&[u8])` that must never panic on any input. The same functions serve the cargo-fuzz
//! crate in `fuzz/` (a thin `fuzz_target!` wrapper each) and `tests/replay_corpus.rs`, which runs
//! every file of the committed corpus `fuzz/corpus/<target>/` through them on the stable
//! toolchain in `cargo test --workspace`.
//!
//! Beyond not panicking, every target checks what must hold when the input is accepted: the
//! decoded value re-encodes to the bytes it came from (or at least to the same value), look-ups
//! agree with the entries, and the card never leaks its private key.
//!
//! - [`credentials`]: the card credential and the QR text;
//! - [`lists`]: the trust list, the revocation list (full and delta) and its Golomb–Rice coding,
//!   the payment roll (full and delta);
//! - [`card`]: the card application's APDU handler in every life-cycle state, and the host side
//!   reading a card's answers;
//! - [`office`]: the personalizer's CSV list and the server's JSON request bodies;
//! - [`receipts`]: the payment receipts payment points upload;
//! - [`steps`]: how one input is cut into a sequence of APDUs or card answers;
//! - [`fixtures`]: the keys and cards built once per process.
#![forbid(unsafe_code)]

pub mod card;
pub mod credentials;
pub mod fixtures;
pub mod lists;
pub mod office;
pub mod receipts;
pub mod steps;

pub use card::{card_apdus, card_responses};
pub use credentials::{card_credential, qr_text};
pub use lists::{golomb_rice, payment_roll, revocation_list, trust_list};
pub use office::{batch_csv, server_request_bodies};
pub use receipts::payment_receipt;

/// A fuzz target: any bytes in, a panic only for a bug.
pub type Target = fn(&[u8]);

/// Every target by the name of its cargo-fuzz binary and of its corpus directory.
pub const TARGETS: &[(&str, Target)] = &[
    ("card_credential", card_credential),
    ("qr_text", qr_text),
    ("trust_list", trust_list),
    ("revocation_list", revocation_list),
    ("payment_roll", payment_roll),
    ("payment_receipt", payment_receipt),
    ("golomb_rice", golomb_rice),
    ("card_apdus", card_apdus),
    ("card_responses", card_responses),
    ("batch_csv", batch_csv),
    ("server_request_bodies", server_request_bodies),
];
