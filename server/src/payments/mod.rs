//! Payments at the counter (issue #19): what the payment points paid, from the receipts they
//! upload (SPEC.md §18), each verified before it is kept, and a line of a roll paid at most once.
//!
//! - [`points`]: a payment point's code, bound to its account, and its keys (rotation retires);
//! - [`verify`]: the checks of one receipt (signature, card, point, area, roll);
//! - [`ingest`]: an upload of up to 100 receipts, written in one group-committed transaction:
//!   recorded, already recorded, flagged (a line paid first by another receipt) or refused;
//! - [`marks`]: the paid marks the next version of the roll carries;
//! - [`reconcile`]: a month's paid and unpaid lines by commune, program and point, the flagged
//!   receipts, and the exports;
//! - [`transfers`]: the lines paid into an account, their transfer list and the bank's results;
//! - [`unpaid`]: the beneficiaries who collected nothing for three published months, and their
//!   suspension.

pub mod ingest;
pub mod marks;
pub mod points;
pub mod reconcile;
pub mod transfers;
pub mod unpaid;
pub mod verify;

pub use ingest::upload;
pub use points::{register_key, Registration};
