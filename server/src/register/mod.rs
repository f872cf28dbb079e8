//! The register of entitlement decisions (issue 18), by concern: [`types`] (the values, parsed
//! once), [`beneficiaries`] and [`households`] (who is paid, where they live, which household
//! they belong to), [`decisions`] (recording a decision), [`status`] (suspend, resume, stop),
//! [`recipients`] (who may collect), [`accounts`] (paid into an account instead of at the
//! counter), [`base_levels`] (the base level of a program from a month),
//! [`history`] (reading it back, with every change), [`events`] (each change's history and
//! audit row) and [`due`] (what a month's roll of an area carries). Every change takes the
//! policy's proof ([`crate::policy::Authorized`]), stays within its area, and writes its
//! history and audit rows in its transaction.

pub mod accounts;
pub mod base_levels;
pub mod beneficiaries;
pub mod decisions;
pub mod due;
pub mod events;
pub mod history;
pub mod households;
pub mod recipients;
pub mod requests;
pub mod status;
pub mod types;

pub use accounts::{change_account, PaymentAccount};
pub use base_levels::{base_levels, set_base_level, BaseLevelRow};
pub use beneficiaries::{beneficiary, put_beneficiary, Beneficiary};
pub use decisions::record;
pub use due::due;
pub use history::{history, EntitlementRecord, Event, RecipientRow};
pub use households::{add_household, add_member, household, Household};
pub use recipients::change_recipient;
pub use status::{change_status, StatusChange};
pub use types::{
    BaseLevelChange, Decision, DecisionFor, DecisionNumber, HouseholdCode, Recipient, Status,
    StopReason, SuspendReason,
};
