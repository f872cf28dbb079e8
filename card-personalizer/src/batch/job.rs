//! The job file of a batch: a SQLite record of each row's state, written before and after every
//! step that matters, so that a crash, a pulled card or a network cut never issues an SSN twice
//! and never leaves a PENDING card on the server without a decision.

use std::path::Path;

use rusqlite::{params, Connection, OptionalExtension};
use sha2::{Digest, Sha256};

use crate::error::{PersonalizerError, Result};
use crate::flow::Checkpoints;
use crate::server::Server;

use super::Row;

/// A row's progress in the job file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowState {
    Todo,
    /// `POST /v1/cards` may have been sent; the serial is not known yet.
    Issuing,
    /// The server has a PENDING card for the row.
    Pending,
    /// The physical card is locked with the row's credential.
    Locked,
    Done,
    Failed,
}

impl RowState {
    fn as_str(self) -> &'static str {
        match self {
            RowState::Todo => "todo",
            RowState::Issuing => "issuing",
            RowState::Pending => "pending",
            RowState::Locked => "locked",
            RowState::Done => "done",
            RowState::Failed => "failed",
        }
    }

    fn parse(s: &str) -> Result<Self> {
        Ok(match s {
            "todo" => RowState::Todo,
            "issuing" => RowState::Issuing,
            "pending" => RowState::Pending,
            "locked" => RowState::Locked,
            "done" => RowState::Done,
            "failed" => RowState::Failed,
            other => {
                return Err(PersonalizerError::Job(format!(
                    "unknown row state {other:?}"
                )))
            }
        })
    }
}

/// One row's record.
#[derive(Debug, Clone)]
pub struct JobRow {
    pub line: u64,
    pub ssn: String,
    pub state: RowState,
    pub serial: Option<String>,
    pub error: Option<String>,
}

/// The job file.
pub struct Job {
    conn: Connection,
}

impl Job {
    /// Creates the job for `rows` of the list at `input`, or reopens it with `resume` (the list
    /// must be the same file content).
    pub fn open(path: &Path, input: &Path, rows: &[Row], resume: bool) -> Result<Job> {
        let exists = path.exists();
        if exists && !resume {
            return Err(PersonalizerError::Usage(format!(
                "the job file {} exists: add --resume to carry on with it",
                path.display()
            )));
        }
        if !exists && resume {
            return Err(PersonalizerError::Usage(format!(
                "--resume: there is no job file {}",
                path.display()
            )));
        }
        let digest =
            hex::encode(Sha256::digest(std::fs::read(input).map_err(|e| {
                PersonalizerError::Io(format!("{}: {e}", input.display()))
            })?));
        let conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.execute_batch(
            "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
             CREATE TABLE IF NOT EXISTS rows (line INTEGER PRIMARY KEY, ssn TEXT NOT NULL UNIQUE, state TEXT NOT NULL, serial TEXT, error TEXT);",
        )?;
        let stored: Option<String> = conn
            .query_row(
                "SELECT value FROM meta WHERE key = 'input_sha256'",
                [],
                |r| r.get(0),
            )
            .optional()?;
        match stored {
            Some(s) if s != digest => {
                return Err(PersonalizerError::Usage(format!(
                    "{} is not the list this job was started with (its content changed)",
                    input.display()
                )))
            }
            Some(_) => {}
            None => {
                let tx = conn.unchecked_transaction()?;
                tx.execute(
                    "INSERT INTO meta (key, value) VALUES ('input_sha256', ?1)",
                    [&digest],
                )?;
                for r in rows {
                    tx.execute(
                        "INSERT INTO rows (line, ssn, state) VALUES (?1, ?2, 'todo')",
                        params![r.line as i64, r.request.holder().ssn().to_string()],
                    )?;
                }
                tx.commit()?;
            }
        }
        Ok(Job { conn })
    }

    pub fn rows(&self) -> Result<Vec<JobRow>> {
        let mut stmt = self
            .conn
            .prepare("SELECT line, ssn, state, serial, error FROM rows ORDER BY line")?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get(3)?,
                    r.get(4)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter()
            .map(|(line, ssn, state, serial, error)| {
                Ok(JobRow {
                    line: line as u64,
                    ssn,
                    state: RowState::parse(&state)?,
                    serial,
                    error,
                })
            })
            .collect()
    }

    /// Records a row's state durably.
    pub fn set(
        &self,
        line: u64,
        state: RowState,
        serial: Option<&str>,
        error: Option<&str>,
    ) -> Result<()> {
        self.conn.execute(
            "UPDATE rows SET state = ?1, serial = COALESCE(?2, serial), error = ?3 WHERE line = ?4",
            params![state.as_str(), serial, error, line as i64],
        )?;
        Ok(())
    }

    /// Settles rows a previous run left half-way, against the server: a PENDING card whose
    /// physical card is not known to be locked is voided and the row starts again; a locked card
    /// is activated; failed rows are tried again. Returns what it did, one line per row.
    pub fn recover(&self, server: &Server) -> Result<Vec<String>> {
        let mut notes = Vec::new();
        for row in self.rows()? {
            match row.state {
                // The server may hold a PENDING card whose answer never arrived (a crash, or a
                // network cut after the server committed).
                RowState::Issuing | RowState::Failed => {
                    for serial in void_pending(server, &row.ssn)? {
                        notes.push(format!(
                            "line {}: voided PENDING card {serial} of an interrupted run",
                            row.line
                        ));
                    }
                    self.set(row.line, RowState::Todo, None, None)?;
                }
                RowState::Pending => {
                    let serial = row.serial.clone().unwrap_or_default();
                    server.void(&serial)?;
                    notes.push(format!(
                        "line {}: voided PENDING card {serial} (the card was not locked)",
                        row.line
                    ));
                    self.set(row.line, RowState::Todo, None, None)?;
                }
                RowState::Locked => {
                    let serial = row.serial.clone().unwrap_or_default();
                    server.activate(&serial)?;
                    notes.push(format!(
                        "line {}: card {serial} was locked; activated it on the server",
                        row.line
                    ));
                    self.set(row.line, RowState::Done, None, None)?;
                }
                RowState::Todo | RowState::Done => {}
            }
        }
        Ok(notes)
    }

    /// Writes the results CSV: line, SSN, serial, state, error.
    pub fn write_results(&self, path: &Path) -> Result<()> {
        let mut w = csv::Writer::from_path(path)
            .map_err(|e| PersonalizerError::Io(format!("{}: {e}", path.display())))?;
        let io = |e: csv::Error| PersonalizerError::Io(e.to_string());
        w.write_record(["line", "ssn", "serial", "state", "error"])
            .map_err(io)?;
        for r in self.rows()? {
            w.write_record([
                r.line.to_string(),
                r.ssn,
                r.serial.unwrap_or_default(),
                r.state.as_str().to_owned(),
                r.error.unwrap_or_default(),
            ])
            .map_err(io)?;
        }
        w.flush().map_err(|e| PersonalizerError::Io(e.to_string()))
    }
}

/// Voids every PENDING card of `ssn` on the server (cards whose personalization did not finish);
/// returns their serials.
pub fn void_pending(server: &Server, ssn: &str) -> Result<Vec<String>> {
    let mut voided = Vec::new();
    for (serial, status) in server.cards_of(ssn)? {
        if status == "pending" {
            server.void(&serial)?;
            voided.push(serial);
        }
    }
    Ok(voided)
}

/// The job's checkpoints for one row.
pub struct RowCheckpoints<'a> {
    pub job: &'a Job,
    pub line: u64,
}

impl Checkpoints for RowCheckpoints<'_> {
    fn server_pending(&mut self, serial: &str) -> Result<()> {
        self.job
            .set(self.line, RowState::Pending, Some(serial), None)
    }
    fn card_locked(&mut self, serial: &str) -> Result<()> {
        self.job
            .set(self.line, RowState::Locked, Some(serial), None)
    }
}
