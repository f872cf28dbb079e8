//! The payment point's day at the counter: wait for a card, verify it against the newest cached
//! lists (reloaded when another process synced), journal and show the verdict, wait until the
//! card is taken out, and again — while a background thread syncs the lists every so often.
//! The clerk's screen is behind [`WatchUi`], so the loop runs in process in tests.

use std::path::{Path, PathBuf};
use std::time::Duration;

use asxh_core::card::{CardIoError, CardReader};
use asxh_verdict::{Policy, Verdict};

use crate::error::{Result, VerifierError};
use crate::store::Store;
use crate::{journal, sync};

/// How long one wait for a card (or for its removal) lasts before it is started again.
const WAIT: Duration = Duration::from_secs(3600);

/// What the clerk sees while the loop runs.
pub trait WatchUi {
    /// The reader is empty: insert a card.
    fn waiting_for_card(&mut self);
    /// A card was verified (and journaled).
    fn verdict(&mut self, verdict: &Verdict);
    /// Take the card out before the next one.
    fn remove_card(&mut self);
}

/// How the point judges and records what it verifies.
#[derive(Debug, Clone)]
pub struct WatchOptions {
    pub policy: Policy,
    /// Keep the holder's name and SSN in the journal.
    pub journal_holder: bool,
    /// How often the background thread syncs; zero for never.
    pub sync_every: Duration,
    /// Stop after this many cards (`None`: never).
    pub count: Option<u64>,
}

/// Verifies every card inserted into `reader` with the lists of the data directory `data`;
/// returns the exit code when `options.count` cards were seen.
pub fn watch(
    data: &Path,
    reader: &mut dyn CardReader,
    options: &WatchOptions,
    ui: &mut dyn WatchUi,
) -> Result<u8> {
    let store = Store::open(data)?;
    if !options.sync_every.is_zero() {
        spawn_sync(data.to_owned(), options.sync_every);
    }
    let point_id = store.config()?.point_id;
    let mut stamp = None;
    let mut snapshot = None;
    let mut seen = 0u64;
    ui.waiting_for_card();
    loop {
        match reader.wait_for_card(WAIT) {
            Ok(()) => {}
            Err(CardIoError::NoCard { .. }) => continue,
            Err(e) => {
                return Err(VerifierError::Usage(asxh_text::usage::Usage::Reader {
                    detail: e.to_string(),
                }))
            }
        }
        let now_stamp = store.lists_stamp()?;
        if stamp != Some(now_stamp) || snapshot.is_none() {
            snapshot = Some(store.snapshot()?);
            stamp = Some(now_stamp);
        }
        let verdict = snapshot
            .as_ref()
            .expect("taken above")
            .checker(options.policy)
            .card_in(reader, None);
        journal(&store, &point_id, &verdict, options.journal_holder)?;
        ui.verdict(&verdict);
        seen += 1;
        if options.count.is_some_and(|c| seen >= c) {
            return Ok(0);
        }
        ui.remove_card();
        while let Err(e) = reader.wait_for_removal(WAIT) {
            if !matches!(
                e,
                CardIoError::NoCard { .. } | CardIoError::CardRemoved { .. }
            ) {
                tracing::warn!(error = %e, "waiting for removal");
                std::thread::sleep(Duration::from_secs(1));
            }
        }
        ui.waiting_for_card();
    }
}

/// Syncs the lists of `data` every `every`, for as long as the process runs; a failed sync is
/// logged and the point goes on with the cached lists.
fn spawn_sync(data: PathBuf, every: Duration) {
    std::thread::spawn(move || loop {
        match Store::open(&data).and_then(|mut s| sync::sync(&mut s)) {
            Ok(r) => tracing::info!(
                revocation_list = r.revocation_list_version,
                fetch = ?r.revocation_fetch,
                "synced"
            ),
            Err(e) => {
                tracing::warn!(error = %e, "sync failed; verifying with the cached lists")
            }
        }
        std::thread::sleep(every);
    });
}
