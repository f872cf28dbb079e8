//! Restoring a backup (`asxh-server restore`): the database of a data directory is replaced by a
//! backup made with `asxh-server backup`, the key files stay, and both signed lists are published
//! at once at versions above anything the replaced database had published (SPEC.md §15.2), so no
//! verifier ever meets a version number twice. Refused while a server serves the directory.

use std::fs;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, OptionalExtension};

use super::{lock_data_dir, migrations, Store, DB_FILE, ROOT_KEY};
use crate::audit;
use crate::error::{Result, ServerError};
use crate::publication::{self, ListOptions};
use crate::publish;

/// What a restore did.
#[derive(Debug, Clone)]
pub struct Restored {
    /// Where the replaced database was moved.
    pub replaced: Option<PathBuf>,
    /// The highest list version the replaced database had published (the new floor).
    pub floor: u64,
    pub trust_list_version: u64,
    pub revocation_list_version: u64,
}

fn open_read_only(path: &Path) -> Result<Connection> {
    Ok(Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?)
}

/// Checks that `from` is a server database this server can open.
fn check_backup(from: &Path) -> Result<()> {
    let bad = |why: String| ServerError::invalid("from", format!("{}: {why}", from.display()));
    if !from.is_file() {
        return Err(bad("no such file".into()));
    }
    let conn = open_read_only(from).map_err(|e| bad(format!("cannot open it ({e})")))?;
    let check: String = conn
        .query_row("PRAGMA quick_check", [], |r| r.get(0))
        .map_err(|e| bad(format!("not an SQLite database ({e})")))?;
    if check != "ok" {
        return Err(bad(format!("the database is damaged ({check})")));
    }
    let version: usize = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    let has_cards = conn
        .query_row(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'cards'",
            [],
            |_| Ok(()),
        )
        .optional()?
        .is_some();
    if version == 0 || !has_cards {
        return Err(bad("not a backup of an asxh-server database".into()));
    }
    if version > migrations::MIGRATIONS.len() {
        return Err(bad(format!(
            "schema version {version} is newer than this server ({})",
            migrations::MIGRATIONS.len()
        )));
    }
    Ok(())
}

/// The highest list version the database at `path` published or recorded, 0 when it cannot
/// say (no database, or one from before lists were published).
fn highest_version(path: &Path) -> u64 {
    let Ok(conn) = open_read_only(path) else {
        return 0;
    };
    [
        "SELECT MAX(version) FROM published_lists",
        "SELECT MAX(version) FROM revocations",
        "SELECT MAX(value) FROM meta WHERE key = 'list_version_floor'",
    ]
    .iter()
    .filter_map(|sql| {
        conn.query_row(sql, [], |r| r.get::<_, Option<i64>>(0))
            .ok()
            .flatten()
    })
    .max()
    .unwrap_or(0)
    .max(0) as u64
}

fn sync_dir(dir: &Path) -> Result<()> {
    fs::File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|e| ServerError::Setup(format!("cannot sync {}: {e}", dir.display())))
}

/// Replaces the database of the data directory `dir` with the backup `from`, keeps the key
/// files, and publishes both lists above every version the replaced database published. The
/// replaced database is kept beside it as `asxh.sqlite.replaced-<unix time>`.
pub fn restore(dir: &Path, from: &Path, options: ListOptions) -> Result<Restored> {
    if !dir.join("keys").join(ROOT_KEY).exists() {
        return Err(ServerError::Setup(format!(
            "{} is not a server data directory (its keys/ are needed: restore into the directory the backup came from)",
            dir.display()
        )));
    }
    options.check()?;
    let _lock = lock_data_dir(dir)?;
    check_backup(from)?;
    let db = dir.join(DB_FILE);
    let floor = highest_version(&db);

    // The backup, copied page by page into the directory, then made durable.
    let incoming = dir.join(format!("{DB_FILE}.restoring"));
    let _ = fs::remove_file(&incoming);
    open_read_only(from)?.backup(rusqlite::MAIN_DB, &incoming, None)?;
    fs::File::open(&incoming)
        .and_then(|f| f.sync_all())
        .map_err(|e| ServerError::Setup(format!("cannot sync {}: {e}", incoming.display())))?;

    // The replaced database, whole (its WAL folded in), set aside.
    let replaced = if db.exists() {
        Connection::open(&db)?.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")?;
        let aside = dir.join(format!(
            "{DB_FILE}.replaced-{}",
            crate::clock::now_millis() / 1000
        ));
        fs::rename(&db, &aside)
            .map_err(|e| ServerError::Setup(format!("cannot move {}: {e}", db.display())))?;
        Some(aside)
    } else {
        None
    };
    for stale in ["-wal", "-shm"] {
        let _ = fs::remove_file(dir.join(format!("{DB_FILE}{stale}")));
    }
    fs::rename(&incoming, &db)
        .map_err(|e| ServerError::Setup(format!("cannot move {}: {e}", incoming.display())))?;
    sync_dir(dir)?;

    let store = Store::open_with(dir, options)?;
    let (trust, revocations) = store.write(|tx| {
        publication::raise_floor(tx, floor)?;
        let trust = publish::trust_list_changed(tx)?;
        let revocations = publish::revocation_list_changed(tx)?;
        audit::append(
            tx,
            "cli",
            "server.restore",
            &serde_json::json!({
                "from": from.display().to_string(),
                "version_floor": floor,
                "trust_list_version": trust,
                "revocation_list_version": revocations,
            }),
        )?;
        Ok((trust, revocations))
    })?;
    Ok(Restored {
        replaced,
        floor,
        trust_list_version: trust,
        revocation_list_version: revocations,
    })
}
