//! The job file of a batch: a SQLite record of each row — its data and its state — written
//! before and after every step that matters, so that a crash, a pulled card or a network cut
//! never issues an SSN twice and never leaves a PENDING card on the server without a decision.
//!
//! A job keeps every row it was given, by SSN, with the row's data, so it can go on with a
//! corrected list. The rule of `--resume` with a list (the same or another):
//! - a row whose card is issued (or being issued) must come back unchanged — the same
//!   [`fingerprint`](super::list::fingerprint) — or not at all: a list cannot change a card
//!   that exists, and a changed one refuses the resume before anything is touched;
//! - a row not yet done takes the list's data; a rejected row (refused for good: outside the
//!   account's area, a live card already, a clerk's "skip") becomes to-do again only when its
//!   data changed (it was corrected) or with `--retry-rejected`, so it is not retried forever;
//! - a row with a new SSN is added; the job's rows the list does not hold keep their state and
//!   data (a commune may send back only the corrected rows).

use std::path::Path;

use asxh_core::Date;
use asxh_sheet::OutTable;
use asxh_text::message::{fill, Args};
use asxh_text::usage::Usage;
use asxh_text::{Catalogued, Lang, Msg};
use rusqlite::{params, Connection, OptionalExtension, Transaction};

use crate::error::{PersonalizerError, Result};
use crate::flow::Checkpoints;
use crate::request::{CardRequest, FieldProblem, RawRequest};
use crate::server::Server;

use super::{List, RowProblem};

/// The job file's format; an older one is refused, not guessed at.
const FORMAT: i64 = 2;

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
    /// Failed for a reason that may pass (a card, the reader, the network): `--resume` tries
    /// it again.
    Failed,
    /// Refused for good until the row is corrected: `--resume` does not try it again.
    Rejected,
}

impl RowState {
    pub fn as_str(self) -> &'static str {
        match self {
            RowState::Todo => "todo",
            RowState::Issuing => "issuing",
            RowState::Pending => "pending",
            RowState::Locked => "locked",
            RowState::Done => "done",
            RowState::Failed => "failed",
            RowState::Rejected => "rejected",
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
            "rejected" => RowState::Rejected,
            other => {
                return Err(PersonalizerError::Job(format!(
                    "unknown row state {other:?}"
                )))
            }
        })
    }

    /// The row's card exists, or may: its data can no longer change.
    fn issued(self) -> bool {
        matches!(
            self,
            RowState::Issuing | RowState::Pending | RowState::Locked | RowState::Done
        )
    }
}

/// One row's record.
#[derive(Debug, Clone)]
pub struct JobRow {
    pub ssn: String,
    /// The row's number in the last list that held it.
    pub line: u64,
    pub state: RowState,
    pub serial: Option<String>,
    /// Why it failed or was rejected.
    pub error: Option<String>,
    pub request: CardRequest,
    /// The cells as that list had them, under [`JobRow::headers`].
    pub cells: Vec<String>,
    pub headers: Vec<String>,
}

/// The job file.
pub struct Job {
    conn: Connection,
}

/// A job opened, with what merging the list did (one line per row changed) or, when the list
/// would change rows already issued, why it was refused (nothing was changed then).
pub struct Opened {
    pub job: Option<Job>,
    pub notes: Vec<JobNote>,
    pub conflicts: Vec<RowProblem>,
}

/// What opening or settling a job did to one row (or to the rejected rows).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobNote {
    /// A PENDING card of an interrupted run was voided; the row starts again.
    VoidedInterrupted { line: u64, serial: String },
    /// The row's PENDING card was voided: its physical card was not locked.
    VoidedNotLocked { line: u64, serial: String },
    /// The row's card was locked: the server's card was activated.
    ActivatedLocked { line: u64, serial: String },
    /// A rejected row came back corrected: it is issued again.
    RejectedCorrected { line: u64 },
    /// `--retry-rejected`: these rejected rows are tried again.
    RejectedRetried { count: u64 },
}

impl Catalogued for JobNote {
    fn message(&self, lang: Lang) -> (Msg, Args) {
        let line = |l: &u64| ("line", l.to_string());
        match self {
            JobNote::VoidedInterrupted { line: l, serial } => (
                Msg::JobVoidedInterrupted,
                vec![line(l), ("serial", serial.clone())],
            ),
            JobNote::VoidedNotLocked { line: l, serial } => (
                Msg::JobVoidedNotLocked,
                vec![line(l), ("serial", serial.clone())],
            ),
            JobNote::ActivatedLocked { line: l, serial } => (
                Msg::JobActivatedLocked,
                vec![line(l), ("serial", serial.clone())],
            ),
            JobNote::RejectedCorrected { line: l } => (Msg::JobRejectedCorrected, vec![line(l)]),
            JobNote::RejectedRetried { count } => {
                (Msg::JobRejectedRetried, vec![("count", lang.count(*count))])
            }
        }
    }

    fn examples() -> Vec<Self> {
        let serial = || "0000-0001-7".to_owned();
        vec![
            JobNote::VoidedInterrupted {
                line: 2,
                serial: serial(),
            },
            JobNote::VoidedNotLocked {
                line: 2,
                serial: serial(),
            },
            JobNote::ActivatedLocked {
                line: 2,
                serial: serial(),
            },
            JobNote::RejectedCorrected { line: 4 },
            JobNote::RejectedRetried { count: 1 },
        ]
    }
}

impl Job {
    /// Creates the job for the valid rows of `list` (read from `input`), or with `resume`
    /// reopens it and merges `list` in by the rule of this module.
    pub fn open(
        path: &Path,
        input: &Path,
        list: &List,
        resume: bool,
        retry_rejected: bool,
        lang: Lang,
    ) -> Result<Opened> {
        let exists = path.exists();
        if exists && !resume {
            return Err(PersonalizerError::Usage(Usage::JobExists {
                path: path.display().to_string(),
            }));
        }
        if !exists && resume {
            return Err(PersonalizerError::Usage(Usage::NoJob {
                path: path.display().to_string(),
            }));
        }
        let conn = Connection::open(path)?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        let format: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        let tables: i64 = conn.query_row(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'",
            [],
            |r| r.get(0),
        )?;
        if tables > 0 && format != FORMAT {
            return Err(PersonalizerError::Job(format!(
                "{} was made by an earlier version of the personalizer (format {format}, this one reads {FORMAT}): finish it with that version, or start a new job",
                path.display()
            )));
        }
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.execute_batch(
            "CREATE TABLE IF NOT EXISTS lists (id INTEGER PRIMARY KEY, file TEXT NOT NULL, source TEXT NOT NULL, headers TEXT NOT NULL);
             CREATE TABLE IF NOT EXISTS rows (ssn TEXT PRIMARY KEY, seq INTEGER NOT NULL, list INTEGER NOT NULL REFERENCES lists(id), line INTEGER NOT NULL,
                 state TEXT NOT NULL, serial TEXT, error TEXT, request TEXT NOT NULL, fingerprint TEXT NOT NULL, cells TEXT NOT NULL);",
        )?;
        conn.pragma_update(None, "user_version", FORMAT)?;
        let tx = conn.unchecked_transaction()?;
        let (notes, conflicts) = merge(&tx, input, list, retry_rejected, lang)?;
        if !conflicts.is_empty() {
            drop(tx);
            return Ok(Opened {
                job: None,
                notes: Vec::new(),
                conflicts,
            });
        }
        tx.commit()?;
        Ok(Opened {
            job: Some(Job { conn }),
            notes,
            conflicts,
        })
    }

    pub fn rows(&self) -> Result<Vec<JobRow>> {
        let mut stmt = self.conn.prepare(
            "SELECT r.ssn, r.line, r.state, r.serial, r.error, r.request, r.cells, l.headers
             FROM rows r JOIN lists l ON l.id = r.list ORDER BY r.seq",
        )?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, String>(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get::<_, String>(5)?,
                    r.get::<_, String>(6)?,
                    r.get::<_, String>(7)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let bad = |what: &str, e: &dyn std::fmt::Display| {
            PersonalizerError::Job(format!("a row's {what} does not read back: {e}"))
        };
        rows.into_iter()
            .map(
                |(ssn, line, state, serial, error, request, cells, headers)| {
                    let raw: RawRequest =
                        serde_json::from_str(&request).map_err(|e| bad("data", &e))?;
                    let request =
                        CardRequest::parse(&raw, Date::epoch(), Lang::En).map_err(|ps| {
                            bad(
                                "data",
                                &ps.iter()
                                    .map(ToString::to_string)
                                    .collect::<Vec<_>>()
                                    .join("; "),
                            )
                        })?;
                    Ok(JobRow {
                        ssn,
                        line: line as u64,
                        state: RowState::parse(&state)?,
                        serial,
                        error,
                        request,
                        cells: serde_json::from_str(&cells).map_err(|e| bad("cells", &e))?,
                        headers: serde_json::from_str(&headers).map_err(|e| bad("headers", &e))?,
                    })
                },
            )
            .collect()
    }

    /// Records a row's state durably.
    pub fn set(
        &self,
        ssn: &str,
        state: RowState,
        serial: Option<&str>,
        error: Option<&str>,
    ) -> Result<()> {
        self.conn.execute(
            "UPDATE rows SET state = ?1, serial = COALESCE(?2, serial), error = ?3 WHERE ssn = ?4",
            params![state.as_str(), serial, error, ssn],
        )?;
        Ok(())
    }

    /// Settles rows a previous run left half-way, against the server: a PENDING card whose
    /// physical card is not known to be locked is voided and the row starts again; a locked card
    /// is activated; failed rows are tried again (rejected ones are not). Returns what it did,
    /// one line per row.
    pub fn recover(&self, server: &Server) -> Result<Vec<JobNote>> {
        let mut notes = Vec::new();
        for row in self.rows()? {
            match row.state {
                // The server may hold a PENDING card whose answer never arrived (a crash, or a
                // network cut after the server committed).
                RowState::Issuing | RowState::Failed => {
                    for serial in void_pending(server, &row.ssn)? {
                        notes.push(JobNote::VoidedInterrupted {
                            line: row.line,
                            serial,
                        });
                    }
                    self.set(&row.ssn, RowState::Todo, None, None)?;
                }
                RowState::Pending => {
                    let serial = row.serial.clone().unwrap_or_default();
                    server.void(&serial)?;
                    notes.push(JobNote::VoidedNotLocked {
                        line: row.line,
                        serial,
                    });
                    self.set(&row.ssn, RowState::Todo, None, None)?;
                }
                RowState::Locked => {
                    let serial = row.serial.clone().unwrap_or_default();
                    server.activate(&serial)?;
                    notes.push(JobNote::ActivatedLocked {
                        line: row.line,
                        serial,
                    });
                    self.set(&row.ssn, RowState::Done, None, None)?;
                }
                RowState::Todo | RowState::Done | RowState::Rejected => {}
            }
        }
        Ok(notes)
    }

    /// Writes the results CSV (UTF-8 with a BOM): line, SSN, serial, state, error.
    pub fn write_results(&self, path: &Path) -> Result<()> {
        OutTable {
            headers: ["line", "ssn", "serial", "state", "error"]
                .map(str::to_owned)
                .to_vec(),
            rows: self
                .rows()?
                .into_iter()
                .map(|r| {
                    vec![
                        r.line.to_string(),
                        r.ssn,
                        r.serial.unwrap_or_default(),
                        r.state.as_str().to_owned(),
                        r.error.unwrap_or_default(),
                    ]
                })
                .collect(),
        }
        .save_csv(path)
        .map_err(|e| PersonalizerError::Io(e.to_string()))
    }
}

/// Merges the valid rows of `list` into the job (see the module's rule).
fn merge(
    tx: &Transaction<'_>,
    input: &Path,
    list: &List,
    retry_rejected: bool,
    lang: Lang,
) -> Result<(Vec<JobNote>, Vec<RowProblem>)> {
    tx.execute(
        "INSERT INTO lists (file, source, headers) VALUES (?1, ?2, ?3)",
        params![
            input.display().to_string(),
            list.source.to_string(),
            serde_json::to_string(&list.headers).unwrap_or_default()
        ],
    )?;
    let list_id = tx.last_insert_rowid();
    let (mut notes, mut conflicts) = (Vec::new(), Vec::new());
    for row in list.valid() {
        let ssn = row.request.holder().ssn().to_string();
        let request = serde_json::to_string(&row.request.raw()).unwrap_or_default();
        let cells = serde_json::to_string(&row.cells).unwrap_or_default();
        let existing: Option<(String, String, Option<String>)> = tx
            .query_row(
                "SELECT state, fingerprint, serial FROM rows WHERE ssn = ?1",
                [&ssn],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        let Some((state, fingerprint, serial)) = existing else {
            tx.execute(
                "INSERT INTO rows (ssn, seq, list, line, state, request, fingerprint, cells)
                 VALUES (?1, (SELECT COALESCE(MAX(seq), 0) + 1 FROM rows), ?2, ?3, 'todo', ?4, ?5, ?6)",
                params![ssn, list_id, row.line as i64, request, row.fingerprint, cells],
            )?;
            continue;
        };
        let state = RowState::parse(&state)?;
        let changed = fingerprint != row.fingerprint;
        if state.issued() {
            if changed {
                conflicts.push(RowProblem {
                    line: row.line,
                    problem: FieldProblem::new(
                        "row",
                        lang,
                        fill(
                            lang.text(Msg::RowIssuedWithOtherData),
                            &[
                                ("ssn", ssn.clone()),
                                (
                                    "serial",
                                    serial.clone().unwrap_or_else(|| {
                                        lang.text(Msg::CardBeingWritten).to_owned()
                                    }),
                                ),
                            ],
                        ),
                    ),
                });
            } else {
                tx.execute(
                    "UPDATE rows SET list = ?1, line = ?2, cells = ?3 WHERE ssn = ?4",
                    params![list_id, row.line as i64, cells, ssn],
                )?;
            }
            continue;
        }
        let reopen = state == RowState::Rejected && changed;
        if reopen {
            notes.push(JobNote::RejectedCorrected { line: row.line });
        }
        tx.execute(
            "UPDATE rows SET list = ?1, line = ?2, cells = ?3, request = ?4, fingerprint = ?5,
                 state = CASE WHEN ?6 THEN 'todo' ELSE state END,
                 error = CASE WHEN ?6 THEN NULL ELSE error END
             WHERE ssn = ?7",
            params![
                list_id,
                row.line as i64,
                cells,
                request,
                row.fingerprint,
                reopen,
                ssn
            ],
        )?;
    }
    if retry_rejected {
        let n = tx.execute(
            "UPDATE rows SET state = 'todo', error = NULL WHERE state = 'rejected'",
            [],
        )?;
        if n > 0 {
            notes.push(JobNote::RejectedRetried { count: n as u64 });
        }
    }
    Ok((notes, conflicts))
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
    pub ssn: &'a str,
}

impl Checkpoints for RowCheckpoints<'_> {
    fn server_pending(&mut self, serial: &str) -> Result<()> {
        self.job
            .set(self.ssn, RowState::Pending, Some(serial), None)
    }
    fn card_locked(&mut self, serial: &str) -> Result<()> {
        self.job.set(self.ssn, RowState::Locked, Some(serial), None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_job_note_has_its_vietnamese_text() {
        asxh_text::message::check_catalogued::<JobNote>().unwrap();
    }
    use crate::batch::read_list_bytes;

    const HEADER: &str = "ssn,full_name,date_of_birth,sex,area_code\n";

    fn list(rows: &[&str]) -> List {
        let text = format!("{HEADER}{}\n", rows.join("\n"));
        read_list_bytes(text.as_bytes(), Date::today(), Lang::En).unwrap()
    }

    fn states(job: &Job) -> Vec<(String, u64, &'static str)> {
        job.rows()
            .unwrap()
            .into_iter()
            .map(|r| (r.ssn[9..].to_owned(), r.line, r.state.as_str()))
            .collect()
    }

    const A: [&str; 4] = [
        "051146000001,Trần Thị Một,1946,F,51.22903",
        "051146000002,Trần Thị Hai,1946,F,79.26734",
        "051146000003,Trần Thị Ba,1946,F,51.22903",
        "051146000004,Trần Thị Bốn,1946,F,51.22903",
    ];

    /// A job from list A: row 1 done, row 2 rejected (outside the area), row 3 failed, row 4
    /// not reached.
    fn job_from_a(path: &Path) -> Job {
        let job = Job::open(path, Path::new("a.csv"), &list(&A), false, false, Lang::En)
            .unwrap()
            .job
            .unwrap();
        job.set("051146000001", RowState::Done, Some("0000-0001-7"), None)
            .unwrap();
        job.set(
            "051146000002",
            RowState::Rejected,
            None,
            Some("area 79 is outside"),
        )
        .unwrap();
        job.set("051146000003", RowState::Failed, None, Some("card pulled"))
            .unwrap();
        job
    }

    #[test]
    fn a_corrected_list_reopens_the_corrected_rejected_row_and_keeps_what_it_does_not_hold() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("job.sqlite");
        drop(job_from_a(&path));
        // List B: row 1 unchanged, row 2 corrected, row 3 changed, row 4 left out, a new row.
        let b = list(&[
            "051146000005,Trần Thị Năm,1946,F,51.22903",
            "051146000001,Trần Thị Một,1946,F,51.22903",
            "051146000002,Trần Thị Hai,1946,F,51.22903",
            "051146000003,Trần Thị Ba,01/1946,F,51.22903",
        ]);
        let opened = Job::open(&path, Path::new("b.csv"), &b, true, false, Lang::En).unwrap();
        assert!(opened.conflicts.is_empty(), "{:?}", opened.conflicts);
        assert_eq!(opened.notes, [JobNote::RejectedCorrected { line: 4 }]);
        assert_eq!(
            opened.notes[0].text(Lang::En),
            "line 4: the rejected row was corrected; it is issued again"
        );
        let job = opened.job.unwrap();
        assert_eq!(
            states(&job),
            [
                ("001".into(), 3, "done"),
                ("002".into(), 4, "todo"),
                ("003".into(), 5, "failed"),
                ("004".into(), 5, "todo"),
                ("005".into(), 2, "todo"),
            ]
        );
        let rows = job.rows().unwrap();
        assert_eq!(rows[1].request.holder().area().as_str(), "51.22903");
        assert_eq!(
            rows[2].request.holder().date_of_birth().to_string(),
            "1946-01"
        );
        assert_eq!(rows[0].serial.as_deref(), Some("0000-0001-7"));
    }

    #[test]
    fn an_unchanged_rejected_row_stays_rejected_unless_retried_on_purpose() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("job.sqlite");
        drop(job_from_a(&path));
        let job = Job::open(&path, Path::new("a.csv"), &list(&A), true, false, Lang::En)
            .unwrap()
            .job
            .unwrap();
        assert_eq!(job.rows().unwrap()[1].state, RowState::Rejected);
        assert_eq!(
            job.rows().unwrap()[1].error.as_deref(),
            Some("area 79 is outside")
        );
        drop(job);
        let opened = Job::open(&path, Path::new("a.csv"), &list(&A), true, true, Lang::En).unwrap();
        assert_eq!(opened.notes, [JobNote::RejectedRetried { count: 1 }]);
        assert_eq!(opened.job.unwrap().rows().unwrap()[1].state, RowState::Todo);
    }

    #[test]
    fn a_list_that_changes_an_issued_row_is_refused_and_the_job_is_left_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("job.sqlite");
        drop(job_from_a(&path));
        let b = list(&[
            "051146000001,Trần Thị Mốt,1946,F,51.22903",
            "051146000002,Trần Thị Hai,1946,F,51.22903",
        ]);
        let opened = Job::open(&path, Path::new("b.csv"), &b, true, false, Lang::En).unwrap();
        assert!(opened.job.is_none());
        assert_eq!(opened.conflicts.len(), 1);
        assert_eq!(opened.conflicts[0].line, 2);
        assert!(opened.conflicts[0].problem.message.contains("0000-0001-7"));
        let job = Job::open(&path, Path::new("a.csv"), &list(&A), true, false, Lang::En)
            .unwrap()
            .job
            .unwrap();
        assert_eq!(
            job.rows().unwrap()[1].state,
            RowState::Rejected,
            "B was not merged"
        );
    }

    #[test]
    fn a_job_file_of_an_earlier_format_is_refused_with_what_to_do() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("job.sqlite");
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch("CREATE TABLE rows (line INTEGER PRIMARY KEY, ssn TEXT);")
            .unwrap();
        drop(conn);
        let Err(e) = Job::open(&path, Path::new("a.csv"), &list(&A), true, false, Lang::En) else {
            panic!("an old job file must be refused");
        };
        assert!(e.to_string().contains("earlier version"), "{e}");
    }
}
