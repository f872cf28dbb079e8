//! The payment point's day at the counter: wait for a card, verify it against the newest cached
//! lists (reloaded when another process synced), journal and show the verdict, wait until the
//! card is taken out, and again — while a background thread syncs the lists every so often.
//! The clerk's screen is behind [`WatchUi`], so the loop runs in process in tests; the screen
//! is lent a [`Till`] to pay the card that is in (`watch --pay`, the counter page), and a screen
//! that takes requests of its own ([`WatchUi::poll`]) is called between short waits.

use std::path::{Path, PathBuf};
use std::time::Duration;

use asxh_core::card::{CardIoError, CardReader};
use asxh_verdict::{Policy, Verdict};

use crate::error::{Result, VerifierError};
use crate::store::Store;
use crate::till::Till;
use crate::{journal, sync};

/// How long one wait for a card (or for its removal) lasts before it is started again.
const WAIT: Duration = Duration::from_secs(3600);

/// What the clerk sees while the loop runs.
pub trait WatchUi {
    /// The reader is empty: insert a card.
    fn waiting_for_card(&mut self);
    /// A card was verified (and journaled); `till` pays it if the clerk asks.
    fn verdict(&mut self, verdict: &Verdict, till: &mut Till<'_>);
    /// Take the card out before the next one.
    fn remove_card(&mut self);
    /// How long one wait for a card or its removal lasts before [`WatchUi::idle`] is called;
    /// `None` (the default): the loop just waits.
    fn poll(&self) -> Option<Duration> {
        None
    }
    /// Between two waits of [`WatchUi::poll`]: the screen may pay now; `card_in` says whether
    /// the verified card is still in.
    fn idle(&mut self, _till: &mut Till<'_>, _card_in: bool) {}
    /// A polling screen's reader cannot be reached (unplugged, the PC/SC service stopped), said
    /// once: the loop goes on without it and tries again; [`WatchUi::waiting_for_card`] follows
    /// once it answers.
    fn reader_unavailable(&mut self) {}
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
    let mut store = Store::open(data)?;
    if !options.sync_every.is_zero() {
        spawn_sync(data.to_owned(), options.sync_every);
    }
    let point_id = store.config()?.point_id;
    let wait = ui.poll().unwrap_or(WAIT);
    let mut stamp = None;
    let mut snapshot = None;
    let mut seen = 0u64;
    let mut reader_lost = false;
    ui.waiting_for_card();
    loop {
        let waited = reader.wait_for_card(wait);
        if reader_lost && matches!(waited, Ok(()) | Err(CardIoError::NoCard { .. })) {
            reader_lost = false;
            ui.waiting_for_card();
        }
        match waited {
            Ok(()) => {}
            Err(CardIoError::NoCard { .. }) => {
                if ui.poll().is_some() {
                    fresh(&store, &mut stamp, &mut snapshot)?;
                    let snapshot = snapshot.as_ref().expect("taken above");
                    ui.idle(&mut till(&mut store, snapshot, reader, options), false);
                }
                continue;
            }
            // A screen that polls stays up without its reader: it says so, still pays without
            // the chip, and tries the reader again.
            Err(e) if ui.poll().is_some() => {
                if !reader_lost {
                    reader_lost = true;
                    tracing::warn!(error = %e, "{}", asxh_text::logs::text(asxh_text::Msg::LogReaderLost));
                    ui.reader_unavailable();
                }
                fresh(&store, &mut stamp, &mut snapshot)?;
                let snapshot = snapshot.as_ref().expect("taken above");
                ui.idle(&mut till(&mut store, snapshot, reader, options), false);
                std::thread::sleep(wait);
                continue;
            }
            Err(e) => {
                return Err(VerifierError::Usage(asxh_text::usage::Usage::Reader {
                    detail: e.to_string(),
                }))
            }
        }
        fresh(&store, &mut stamp, &mut snapshot)?;
        let snapshot = snapshot.as_ref().expect("taken above");
        let verdict = snapshot.checker(options.policy).card_in(reader, None);
        journal(&store, &point_id, &verdict, options.journal_holder)?;
        ui.verdict(&verdict, &mut till(&mut store, snapshot, reader, options));
        seen += 1;
        if options.count.is_some_and(|c| seen >= c) {
            return Ok(0);
        }
        ui.remove_card();
        loop {
            let started_wait = std::time::Instant::now();
            match reader.wait_for_removal(wait) {
                Ok(()) => break,
                Err(CardIoError::NoCard { .. } | CardIoError::CardRemoved { .. }) => {}
                Err(e) if ui.poll().is_none() => {
                    tracing::warn!(error = %e, "{}", asxh_text::logs::text(asxh_text::Msg::LogWaitingForRemoval));
                    std::thread::sleep(Duration::from_secs(1));
                }
                // A wait that ran out is not an error of a polling screen; one that failed at
                // once waits out its time before the next.
                Err(_) => {
                    if let Some(rest) = wait.checked_sub(started_wait.elapsed()) {
                        std::thread::sleep(rest);
                    }
                }
            }
            if ui.poll().is_some() {
                ui.idle(&mut till(&mut store, snapshot, reader, options), true);
            }
        }
        ui.waiting_for_card();
    }
}

/// Reloads the lists when another process synced since they were read.
fn fresh(
    store: &Store,
    stamp: &mut Option<(i64, i64)>,
    snapshot: &mut Option<crate::store::Snapshot>,
) -> Result<()> {
    let now_stamp = store.lists_stamp()?;
    if *stamp != Some(now_stamp) || snapshot.is_none() {
        *snapshot = Some(store.snapshot()?);
        *stamp = Some(now_stamp);
    }
    Ok(())
}

fn till<'a>(
    store: &'a mut Store,
    snapshot: &'a crate::store::Snapshot,
    reader: &'a mut dyn CardReader,
    options: &WatchOptions,
) -> Till<'a> {
    Till {
        store,
        snapshot,
        reader,
        policy: options.policy,
        journal_holder: options.journal_holder,
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
                "{}", asxh_text::logs::text(asxh_text::Msg::LogSynced)
            ),
            Err(e) => {
                tracing::warn!(error = %e, "{}", asxh_text::logs::text(asxh_text::Msg::LogSyncFailed))
            }
        }
        std::thread::sleep(every);
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use asxh_core::card::Transport;

    /// A reader that cannot be reached for its first `lost` waits, then reports no card `empty`
    /// times, then ends the test by panicking (the loop never ends without cards).
    struct LostReader {
        lost: u32,
        empty: u32,
    }

    impl CardReader for LostReader {
        fn wait_for_card(&mut self, _wait: Duration) -> std::result::Result<(), CardIoError> {
            if self.lost > 0 {
                self.lost -= 1;
                return Err(CardIoError::Transport(
                    "the PC/SC service is not running".into(),
                ));
            }
            if self.empty == 0 {
                panic!("the reader's answers ran out");
            }
            self.empty -= 1;
            Err(CardIoError::NoCard {
                reader: "test".into(),
                waited_ms: 0,
            })
        }

        fn connect(
            &mut self,
            _wait: Duration,
        ) -> std::result::Result<Box<dyn Transport + '_>, CardIoError> {
            Err(CardIoError::Transport("no card".into()))
        }

        fn wait_for_removal(&mut self, _wait: Duration) -> std::result::Result<(), CardIoError> {
            Ok(())
        }
    }

    /// A polling screen that writes down what it is told.
    #[derive(Default)]
    struct Screen {
        told: Vec<&'static str>,
        idles: u32,
    }

    impl WatchUi for Screen {
        fn waiting_for_card(&mut self) {
            self.told.push("waiting");
        }
        fn verdict(&mut self, _verdict: &Verdict, _till: &mut Till<'_>) {
            self.told.push("verdict");
        }
        fn remove_card(&mut self) {}
        fn poll(&self) -> Option<Duration> {
            Some(Duration::from_millis(1))
        }
        fn idle(&mut self, _till: &mut Till<'_>, _card_in: bool) {
            self.idles += 1;
        }
        fn reader_unavailable(&mut self) {
            self.told.push("reader unavailable");
        }
    }

    #[test]
    fn a_polling_screen_outlives_a_lost_reader_says_so_once_and_waits_again_when_it_is_back() {
        let dir = tempfile::tempdir().unwrap();
        Store::init(
            dir.path(),
            "http://127.0.0.1:9",
            &"ab".repeat(32),
            "POINT-1",
        )
        .unwrap();
        let mut reader = LostReader { lost: 5, empty: 3 };
        let mut screen = Screen::default();
        let options = WatchOptions {
            policy: Policy::default(),
            journal_holder: false,
            sync_every: Duration::ZERO,
            count: None,
        };
        let ended = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            watch(dir.path(), &mut reader, &options, &mut screen)
        }));
        // The reader's answers ran out; the loop did not give up before.
        assert!(ended.is_err());
        assert_eq!(
            screen.told,
            ["waiting", "reader unavailable", "waiting"],
            "told once that the reader is lost, and to wait for a card once it is back"
        );
        // The screen could still pay without the chip while the reader was lost, and after.
        assert!(screen.idles >= 5 + 2, "{} idles", screen.idles);
    }
}
