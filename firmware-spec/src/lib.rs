//! asxh-card: the reference implementation of the card application specified in SPEC.md.
//!
//! - [`command`]: the command set, parsed from an APDU (a bad APDU is a status word, never a
//!   handler's problem);
//! - [`state`]: the persistent state record and its encoding;
//! - [`storage`]: where that record lives (memory, or a file written atomically);
//! - [`app`]: the state machine, bytes in → bytes out, implementing
//!   [`asxh_core::card::CardApplication`];
//! - [`vpcd`]: the bridge that plugs the application into pcscd as a virtual card through the
//!   vsmartcard `vpcd` driver.
//!
//! The test helpers and the generator of `firmware-spec/vectors/` live in the dev-only crate
//! asxh-testkit (`tests/testkit/`).
#![forbid(unsafe_code)]

pub mod app;
pub mod command;
pub mod error;
pub mod state;
pub mod storage;
pub mod vpcd;

pub use app::CardApp;
pub use error::CardError;
pub use storage::{FileStorage, MemoryStorage, Storage, StoreStep};
