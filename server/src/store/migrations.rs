//! The schema as data: migrations applied in order, each its SQL and an optional upgrade step
//! run in the same transaction (to fill what the SQL created from rows already there).
//! `PRAGMA user_version` records how many ran. Append, never edit: existing databases have run
//! the earlier ones, and `server/tests/schema/` keeps a database of every version to prove the
//! list still upgrades them.

use rusqlite::{Connection, OptionalExtension, Transaction};

use crate::error::{Result, ServerError};
use crate::{audit, name_index, program_index, registry};

/// One schema version.
pub struct Migration {
    pub sql: &'static str,
    /// Runs after `sql`, in its transaction.
    pub upgrade: Option<fn(&Transaction<'_>) -> Result<()>>,
}

/// Every schema version, oldest first.
pub const MIGRATIONS: &[Migration] = &[
    Migration {
        sql: include_str!("v1.sql"),
        upgrade: None,
    },
    Migration {
        sql: include_str!("v2.sql"),
        upgrade: Some(program_index::index_all),
    },
    Migration {
        sql: include_str!("v3.sql"),
        upgrade: None,
    },
    Migration {
        sql: include_str!("v4.sql"),
        upgrade: Some(upgrade_v4),
    },
    Migration {
        sql: include_str!("v5.sql"),
        upgrade: None,
    },
    Migration {
        sql: include_str!("v6.sql"),
        upgrade: None,
    },
    Migration {
        sql: include_str!("v7.sql"),
        upgrade: Some(name_index::index_all),
    },
    Migration {
        sql: include_str!("v8.sql"),
        upgrade: Some(program_index::index_categories),
    },
    Migration {
        sql: include_str!("v9.sql"),
        upgrade: None,
    },
    Migration {
        sql: include_str!("v10.sql"),
        upgrade: None,
    },
    Migration {
        sql: include_str!("v11.sql"),
        upgrade: None,
    },
    Migration {
        sql: include_str!("v12.sql"),
        upgrade: None,
    },
];

/// What version 4 fills from the rows already there.
fn upgrade_v4(tx: &Transaction<'_>) -> Result<()> {
    audit::index_areas(tx)?;
    registry::issuance::index_card_keys(tx)
}

/// Brings the database to the newest schema version; refuses one newer than this server.
pub fn migrate(conn: &mut Connection) -> Result<()> {
    let done: usize = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if done > MIGRATIONS.len() {
        return Err(ServerError::Setup(format!(
            "database schema version {done} is newer than this server ({}); upgrade the server",
            MIGRATIONS.len()
        )));
    }
    if done == MIGRATIONS.len() {
        return Ok(());
    }
    // The migrations fill what they create from rows already there (the name words of every
    // card, each referring to its card): checking each row's reference again would read the
    // cards table once per row, in the order of the new index, and cost more than the rest of
    // the migration at national size. As SQLite's procedure for schema changes does, foreign
    // keys are off while they run, and back as they were after. And the database file is read
    // through a memory map (the cards are read whole by several steps): without one, each page
    // is a read system call and a copy, most of what remains of the migrations' time.
    let foreign_keys: bool = conn.pragma_query_value(None, "foreign_keys", |r| r.get(0))?;
    // (A database in memory has no memory map, and no value for it.)
    let mmap: i64 = conn
        .query_row("PRAGMA mmap_size", [], |r| r.get(0))
        .optional()?
        .unwrap_or(0);
    conn.pragma_update(None, "foreign_keys", false)?;
    conn.pragma_update(None, "mmap_size", MIGRATION_MMAP_BYTES)?;
    let ran = run(conn, done);
    conn.pragma_update(None, "mmap_size", mmap)?;
    conn.pragma_update(None, "foreign_keys", foreign_keys)?;
    ran
}

/// The memory map the migrations read the database through (SQLite caps it at its build's
/// limit, 2 GiB by default).
const MIGRATION_MMAP_BYTES: i64 = 1 << 36;

/// Runs the migrations after the first `done`, each in its transaction.
fn run(conn: &mut Connection, done: usize) -> Result<()> {
    for (i, migration) in MIGRATIONS.iter().enumerate().skip(done) {
        let tx = conn.transaction()?;
        tx.execute_batch(migration.sql)?;
        if let Some(upgrade) = migration.upgrade {
            upgrade(&tx)?;
        }
        tx.pragma_update(None, "user_version", i + 1)?;
        tx.commit()?;
    }
    Ok(())
}
