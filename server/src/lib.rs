//! asxh-server: the issuing server. It holds the root, revocation-list and issuer keys, keeps the
//! registry of cards in SQLite (WAL), signs credentials for issuing offices, records
//! revocations, and publishes the signed trust list and revocation lists.
//!
//! - [`store`]: the data directory (database, key files) and the schema migrations;
//! - [`audit`]: the hash-chained audit log;
//! - [`auth`]: accounts, roles and bearer tokens;
//! - [`policy`]: who may do what where, the one access table;
//! - [`register`]: the register of entitlement decisions (beneficiaries, households, decisions,
//!   suspensions, stops, recipients, base levels) and what a month's roll carries;
//! - [`payments`]: the payment points, their keys and the receipts they upload, the paid marks
//!   of the rolls and the reconciliation of a month;
//! - [`registry`]: offices, issuing, activating, voiding, looking up, revoking and replacing
//!   cards;
//! - [`areas`]: the catalogue of administrative units (communes imported, provinces shipped);
//! - [`reports`]: the reports by category, sex, age band, area and program, and their exports;
//! - [`program_index`]: the programs each card carries, for the dashboard;
//! - [`amounts`]: the amount rules of the payment roll (base level × coefficient, tables);
//! - [`publication`]: publishing signed lists of any kind: versions, persisted bytes, serving,
//!   deltas, the heartbeat;
//! - [`publish`]: what is published: the trust list and the revocation list;
//! - [`stats`]: the dashboard figures;
//! - [`scope`]: "within an area" as SQL;
//! - [`clock`]: the time rows are stamped with;
//! - [`state`], [`body`], [`sessions`], [`throttle`]: what HTTP handlers share;
//! - [`api`]: the HTTP API (axum) and its OpenAPI document;
//! - [`console`]: the administrators' web console under `/console/`;
//! - [`serve`]: the application's routes on a listener;
//! - [`error`]: the one error type, with its HTTP status.
//!
//! The wire types of the API live in the `asxh-api` crate, shared with the clients.
#![forbid(unsafe_code)]

pub mod amounts;
pub mod api;
pub mod areas;
pub mod audit;
pub mod auth;
pub mod body;
pub mod clock;
pub mod console;
pub mod error;
pub mod name_index;
pub mod payments;
pub mod policy;
pub mod program_index;
pub mod publication;
pub mod publish;
pub mod register;
pub mod registry;
pub mod reports;
pub mod rolls;
pub mod scope;
pub mod serve;
pub mod sessions;
pub mod state;
pub mod stats;
pub mod store;
pub mod throttle;

pub use error::ServerError;
pub use store::Store;
