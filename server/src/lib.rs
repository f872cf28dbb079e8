//! asxh-server: the issuing server. It holds the root, revocation-list and issuer keys, keeps the
//! registry of cards in SQLite (WAL), signs credentials for issuing offices, records
//! revocations, and publishes the signed trust list and revocation lists.
//!
//! - [`store`]: the data directory (database, key files) and schema migrations;
//! - [`audit`]: the hash-chained audit log;
//! - [`auth`]: accounts, roles, bearer tokens and area scopes;
//! - [`registry`]: issuing, activating, voiding, looking up and revoking cards;
//! - [`publish`]: building the signed trust list and revocation lists;
//! - [`api`]: the HTTP API (axum);
//! - [`error`]: the one error type, with its HTTP status.
#![forbid(unsafe_code)]

pub mod api;
pub mod audit;
pub mod auth;
pub mod error;
pub mod publish;
pub mod registry;
pub mod store;

pub use error::ServerError;
pub use store::Store;
