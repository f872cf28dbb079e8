//! asxh-verifier: the payment point's verifier. It keeps the signed trust list and revocation
//! list offline ([`store`], [`sync`]), verifies a card through any [`asxh_core::card::Transport`]
//! or a QR text or image ([`scan`]) with [`asxh_verdict`], shows the [`Verdict`] to the clerk
//! ([`render`]), keeps a journal, and watches a reader all day ([`watch`]). It pays at the
//! counter on a receipt the card signs, or the point's own key when the card cannot ([`pay`]),
//! and uploads the receipts when online ([`upload`], inside [`sync`]); the day's receipts print
//! as the end-of-day list ([`daylist`]). The counter screen ([`counter`]) is a local web page
//! over the same loop, paying through [`till`].
#![forbid(unsafe_code)]

pub mod counter;
pub mod daylist;
pub mod error;
pub mod pay;
pub mod render;
pub mod scan;
pub mod store;
pub mod sync;
pub mod till;
pub mod upload;
pub mod watch;

pub use error::VerifierError;

use asxh_verdict::Verdict;
use store::{JournalEntry, Store};

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
