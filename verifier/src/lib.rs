//! asxh-verifier: the payment point's verifier. It keeps the signed trust list and revocation
//! list offline ([`store`], [`sync`]), verifies a card through any [`asxh_core::card::Transport`]
//! or a QR text or image ([`check`], [`scan`]), reaches one [`verdict::Verdict`] with its exit
//! code, shows it to the clerk ([`render`]) and keeps a journal.
#![forbid(unsafe_code)]

pub mod check;
pub mod error;
pub mod render;
pub mod scan;
pub mod store;
pub mod sync;
pub mod verdict;

pub use error::VerifierError;

use store::{JournalEntry, Store};
use verdict::Verdict;

/// Records a verification in the journal: time, point, serial and outcome, and the holder's
/// name and SSN only when `with_holder` (points keep no personal data by default).
pub fn journal(store: &Store, point_id: &str, v: &Verdict, with_holder: bool) -> error::Result<()> {
    store.journal_add(&JournalEntry {
        at: v.checked_at as i64,
        point_id: point_id.to_owned(),
        medium: v.medium.to_owned(),
        serial: v.serial.clone(),
        outcome: v.outcome.as_str().to_owned(),
        exit_code: v.exit_code,
        list_version: v.revocation_list.as_ref().map(|l| l.version),
        holder: v
            .holder
            .as_ref()
            .filter(|_| with_holder)
            .map(|h| format!("{} ({})", h.full_name, h.ssn)),
    })
}
