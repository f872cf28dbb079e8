//! Batch issuing from a province's list: the CSV import (UTF-8, BOM tolerated, English or
//! Vietnamese headers; every row checked before any card is touched) and the job file, a SQLite
//! record of each row's state written before and after every step that matters, so that a
//! crash, a pulled card or a network cut never issues an SSN twice and never leaves a PENDING
//! card on the server without a decision.

use std::collections::HashMap;
use std::path::Path;

use asxh_core::Date;
use rusqlite::{params, Connection, OptionalExtension};
use sha2::{Digest, Sha256};
use unicode_normalization::UnicodeNormalization;

use crate::error::{PersonalizerError, Result};
use crate::flow::Checkpoints;
use crate::request::{CardRequest, FieldProblem, RawRequest};
use crate::server::Server;

/// The columns, each with the header names accepted for it (compared lower-case, NFC, with `_`
/// and spaces treated alike).
const COLUMNS: &[(&str, &[&str])] = &[
    (
        "ssn",
        &[
            "ssn",
            "số định danh",
            "so dinh danh",
            "số định danh cá nhân",
            "cccd",
        ],
    ),
    (
        "full_name",
        &["full name", "họ và tên", "ho va ten", "họ tên"],
    ),
    (
        "date_of_birth",
        &["date of birth", "ngày sinh", "ngay sinh"],
    ),
    ("sex", &["sex", "giới tính", "gioi tinh"]),
    (
        "area_code",
        &["area code", "mã địa bàn", "ma dia ban", "địa bàn"],
    ),
    ("entitlements", &["entitlements", "chế độ", "che do"]),
    (
        "recipient",
        &["recipient", "người nhận thay", "nguoi nhan thay"],
    ),
];

fn normalise_header(h: &str) -> String {
    h.trim_start_matches('\u{feff}')
        .trim()
        .nfc()
        .collect::<String>()
        .to_lowercase()
        .replace('_', " ")
}

/// One row of the input that is not valid, with its line number in the file.
#[derive(Debug, Clone)]
pub struct RowProblem {
    pub line: u64,
    pub problem: FieldProblem,
}

/// A valid input row.
#[derive(Debug, Clone)]
pub struct Row {
    /// Line number in the file (the header is line 1).
    pub line: u64,
    pub request: CardRequest,
}

/// A problem with the file as a whole (line 0).
fn file_problem(message: String) -> Vec<RowProblem> {
    vec![RowProblem {
        line: 0,
        problem: FieldProblem {
            field: "file".into(),
            message,
        },
    }]
}

/// Reads and checks the whole list. Either every row is valid, or every problem is returned.
pub fn read_list(path: &Path, today: Date) -> Result<Vec<Row>, Vec<RowProblem>> {
    let bytes = std::fs::read(path)
        .map_err(|e| file_problem(format!("cannot read {}: {e}", path.display())))?;
    read_list_bytes(bytes, today)
}

/// [`read_list`] on the bytes of a list already read (the fuzz targets feed it any bytes).
pub fn read_list_bytes(bytes: Vec<u8>, today: Date) -> Result<Vec<Row>, Vec<RowProblem>> {
    let text = String::from_utf8(bytes)
        .map_err(|e| file_problem(format!("not UTF-8 (save the list as CSV UTF-8): {e}")))?;
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| file_problem(format!("no header row: {e}")))?
        .clone();
    let mut index: HashMap<&str, usize> = HashMap::new();
    for (i, h) in headers.iter().enumerate() {
        let h = normalise_header(h);
        match COLUMNS.iter().find(|(_, names)| names.iter().any(|n| *n == h)) {
            Some((name, _)) => {
                index.insert(name, i);
            }
            None => return Err(file_problem(format!("unknown column {h:?}; the columns are ssn, full_name, date_of_birth, sex, area_code, entitlements, recipient (or their Vietnamese names)"))),
        }
    }
    for required in ["ssn", "full_name", "date_of_birth", "sex", "area_code"] {
        if !index.contains_key(required) {
            return Err(file_problem(format!("the column {required} is missing")));
        }
    }
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    let mut seen: HashMap<String, u64> = HashMap::new();
    for (n, record) in reader.records().enumerate() {
        let line = n as u64 + 2;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                problems.push(RowProblem {
                    line,
                    problem: FieldProblem {
                        field: "row".into(),
                        message: format!("not a well-formed CSV row: {e}"),
                    },
                });
                continue;
            }
        };
        let get = |name: &str| {
            index
                .get(name)
                .and_then(|i| record.get(*i))
                .unwrap_or("")
                .to_owned()
        };
        let raw = RawRequest {
            ssn: get("ssn"),
            full_name: get("full_name"),
            date_of_birth: get("date_of_birth"),
            sex: get("sex"),
            area_code: get("area_code"),
            entitlements: get("entitlements")
                .split(';')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect(),
            recipient: Some(get("recipient")).filter(|r| !r.is_empty()),
            replaces: None,
        };
        match CardRequest::parse(&raw, today) {
            Ok(request) => {
                let ssn = request.holder().ssn().to_string();
                if let Some(first) = seen.insert(ssn.clone(), line) {
                    problems.push(RowProblem {
                        line,
                        problem: FieldProblem {
                            field: "ssn".into(),
                            message: format!("SSN {ssn} is already on line {first}"),
                        },
                    });
                }
                rows.push(Row { line, request });
            }
            Err(ps) => problems.extend(ps.into_iter().map(|problem| RowProblem { line, problem })),
        }
    }
    if rows.is_empty() && problems.is_empty() {
        return Err(file_problem("the list has no rows".into()));
    }
    if problems.is_empty() {
        Ok(rows)
    } else {
        Err(problems)
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;

    fn list(text: &str) -> Result<Vec<Row>, Vec<RowProblem>> {
        let f = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(f.path(), text).unwrap();
        read_list(f.path(), Date::today())
    }

    #[test]
    fn vietnamese_headers_and_a_bom_are_accepted() {
        let rows = list("\u{feff}Số định danh,Họ và tên,Ngày sinh,Giới tính,Mã địa bàn,Chế độ\n051146000123,Trần Thị Lan,1946-08-19,Nữ,51.22903,TGXH:BTXH-80:540000;BHYT:BT\n").unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].line, 2);
        assert_eq!(rows[0].request.holder().name().as_str(), "Trần Thị Lan");
    }

    #[test]
    fn every_bad_row_is_reported_with_its_line_and_field_and_nothing_is_returned() {
        let problems = list(
            "ssn,full_name,date_of_birth,sex,area_code,entitlements\n\
             051146000123,Trần Thị Lan,1946-08-19,F,51,TGXH:A\n\
             05114600012,Lan,1946,F,51,\n\
             051146000124,Lan 2,1946,F,51\n\
             051146000123,Trần Thị Lan,1946-08-19,F,51,\n\
             051146000125,Lan',1946,X,51,NOPE\n",
        )
        .unwrap_err();
        let got: Vec<(u64, &str)> = problems
            .iter()
            .map(|p| (p.line, p.problem.field.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (3, "ssn"),
                (4, "row"),
                (5, "ssn"),
                (6, "sex"),
                (6, "entitlements[0]")
            ]
        );
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 200, ..Default::default() })]

        #[test]
        fn any_file_is_read_or_refused_without_panicking(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..400)) {
            let f = tempfile::NamedTempFile::new().unwrap();
            std::fs::write(f.path(), &bytes).unwrap();
            let _ = read_list(f.path(), Date::today());
        }

        #[test]
        fn any_row_under_valid_headers_is_read_or_refused_with_its_line(row in "[0-9A-Za-zàáảãạăâđêôơưÀ-ỹ ,:;\"'.-]{0,120}") {
            let text = format!("ssn,full_name,date_of_birth,sex,area_code,entitlements\n{row}\n");
            if let Err(problems) = list(&text) {
                proptest::prop_assert!(problems.iter().all(|p| p.line <= 2), "{problems:?}");
            }
        }
    }
}
