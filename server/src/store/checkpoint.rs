//! Checkpoints of the write-ahead log, off the writer's path while a server serves.
//!
//! By default SQLite checkpoints inside the commit that takes the log past 1,000 pages: that
//! commit copies the pages into the database file and waits for its fsync, and every write
//! queued behind it (a whole group commit of revocations) waits too. A serving server turns that
//! off on its writer and checkpoints from a connection of its own instead, a passive checkpoint
//! (it never waits for the writer or the readers, who go on beside it) whenever something was
//! committed since the last one. Durability is the same: a commit is durable in the log, and a
//! checkpoint only moves pages already there.

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use rusqlite::Connection;

use crate::error::Result;

/// How often a serving server looks for commits to checkpoint.
pub const CHECKPOINT_INTERVAL: Duration = Duration::from_millis(200);

/// The connection that checkpoints, and how far it has come.
pub(super) struct Checkpointer {
    conn: Mutex<Connection>,
    /// The writer's commit count at the last checkpoint.
    done: AtomicU64,
}

/// What one checkpoint did (`PRAGMA wal_checkpoint`'s answer).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Checkpoint {
    /// Frames in the log.
    pub log_frames: i64,
    /// Frames of the log now in the database file.
    pub checkpointed_frames: i64,
}

impl Checkpointer {
    pub(super) fn open(path: &Path) -> Result<Checkpointer> {
        Ok(Checkpointer {
            conn: Mutex::new(super::open_connection(path)?),
            done: AtomicU64::new(0),
        })
    }

    /// Checkpoints passively when the writer committed since the last time (`commits` is its
    /// count of commits); `None` when there was nothing to do.
    pub(super) fn run_if_written(&self, commits: &AtomicU64) -> Result<Option<Checkpoint>> {
        let now = commits.load(Ordering::Acquire);
        if self.done.load(Ordering::Acquire) == now {
            return Ok(None);
        }
        let conn = self.conn.lock().unwrap_or_else(|p| p.into_inner());
        let (log_frames, checkpointed_frames) =
            conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| {
                Ok((r.get::<_, i64>(1)?, r.get::<_, i64>(2)?))
            })?;
        self.done.store(now, Ordering::Release);
        Ok(Some(Checkpoint {
            log_frames,
            checkpointed_frames,
        }))
    }
}
