//! asxh-testkit: the test support of the workspace in one dev-only crate, so that no product
//! crate exports test helpers.
//!
//! - the crate root: [`test_key`] (deterministic keys from a label) and, from `testkit`, the keys, sample holders and entitlements, test
//!   cards, the personalization and verification sequences of SPEC.md §11 written once, and the
//!   power-loss injectors of the tearing tests, and [`InProcessReader`], a reader fed with a
//!   queue of in-memory cards;
//! - [`vectors`]: the generator of `firmware-spec/vectors/*.json` (the `asxh-vectors` binary).
#![forbid(unsafe_code)]

mod keys;
pub mod lists;
mod reader;
mod testkit;
pub mod vectors;

pub use keys::test_key;
pub use reader::InProcessReader;
pub use testkit::*;

// The card application's types, under the names the helpers use for them.
use asxh_card::{CardApp, CardError, FileStorage, MemoryStorage, Storage, StoreStep};
