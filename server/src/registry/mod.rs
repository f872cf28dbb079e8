//! The card registry, by concern: [`offices`] (adding and listing issuing offices),
//! [`issuance`] (serial allocation, the one-live-card-per-SSN rule, signing; activation and void),
//! [`lookup`] (a card with its history, an SSN's cards, the console's search), [`matches`] (who
//! of a list the register already knows), [`revocation`],
//! [`replacement`] (requests started by administrators) and the card's life cycle as one
//! `match` ([`lifecycle`]). Every function that acts for somebody takes the policy's proof that
//! they may ([`crate::policy::Authorized`]); every change writes its card event and audit row
//! in the same transaction.
//!
//! The modules depend on each other one way: issuance → replacement → revocation → events,
//! lifecycle.

pub mod events;
pub mod issuance;
pub mod lifecycle;
pub mod lookup;
pub mod matches;
pub mod offices;
pub mod replacement;
pub mod revocation;

pub use issuance::{activate, issue, void, CheckedIssueRequest, CARD_VALIDITY_YEARS};
pub use lookup::{card, cards_of, fold_name, replaced_by, search, CardSummary, SEARCH_LIMIT};
pub use matches::matches;
pub use offices::{
    active_issuer_key, add_office, offices_in, rotate_issuer_key, set_issuer_key_status,
};
pub use revocation::{revoke, RevocationTarget};
