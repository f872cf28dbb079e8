//! asxh-server: the issuing server. It holds the root, revocation-list and issuer keys, keeps the
//! registry of cards in SQLite (WAL), signs credentials for issuing offices, records
//! revocations, and publishes the signed trust list and revocation lists.
//!
//! - [`store`]: the data directory (database, key files) and schema migrations;
//! - [`audit`]: the hash-chained audit log;
//! - [`auth`]: accounts, roles, bearer tokens and area scopes;
//! - [`registry`]: issuing, activating, voiding, looking up and revoking cards;
//! - [`publish`]: building the signed trust list and revocation lists;
//! - [`replacement`]: replacement requests started by administrators;
//! - [`stats`]: the dashboard figures;
//! - [`scope`]: "within an area" as SQL;
//! - [`api`]: the HTTP API (axum);
//! - [`console`]: the administrators' web console under `/console/`;
//! - [`error`]: the one error type, with its HTTP status.
#![forbid(unsafe_code)]

pub mod api;
pub mod audit;
pub mod auth;
pub mod console;
pub mod error;
pub mod publish;
pub mod registry;
pub mod replacement;
pub mod scope;
pub mod stats;
pub mod store;

pub use error::ServerError;
pub use store::Store;
