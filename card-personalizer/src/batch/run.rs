//! A batch run (SPEC.md §11.1 for every row of a list): the list checked whole, the job file
//! opened (or resumed, settling what an interrupted run left half-way against the server), then
//! one card after another through a [`CardReader`] — wait for a blank card, personalize it with
//! the job's checkpoints, print its face, wait until it is taken out. A card that is not blank is
//! refused without touching it and the row waits for the next card; any other failure marks the
//! row failed (a later `--resume` tries it again) and the batch goes on. What the clerk sees is
//! behind [`BatchUi`], so the run is tested in process.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use asxh_core::card::{AdminCode, CardClient, CardReader};
use asxh_core::Date;

use crate::error::{PersonalizerError, Result};
use crate::face::{self, CardFile, Face};
use crate::flow::{self, Office, Personalized};
use crate::server::Server;

use super::{read_list, void_pending, Job, RowCheckpoints, RowProblem, RowState};

/// How long connecting to a card that was seen inserted may take.
const CONNECT_WAIT: Duration = Duration::from_secs(10);

/// What the clerk is told during a batch.
pub trait BatchUi {
    /// The list has errors: no card was touched.
    fn list_refused(&mut self, problems: &[RowProblem]);
    /// What settling an interrupted run did, one line per row.
    fn recovered(&mut self, note: &str);
    /// The cards start: `rows` in the list, `done` of them already issued by an earlier run.
    fn started(&mut self, rows: usize, done: usize);
    /// Insert a blank card for the row on `line`, whose holder is `holder`.
    fn insert_card(&mut self, line: u64, holder: &str);
    /// The inserted card is not blank (`error` says what it is): take it out; the row waits for
    /// the next card.
    fn not_blank(&mut self, error: &PersonalizerError);
    /// The row's card is issued.
    fn row_done(&mut self, line: u64, done: &Personalized);
    /// The row failed; a later run with `--resume` tries it again.
    fn row_failed(&mut self, line: u64, error: &PersonalizerError);
    /// Take the card out.
    fn remove_card(&mut self);
    /// The last row was handled (before the results file is written).
    fn finished(&mut self);
    /// The A4 sheet of `cards` faces was written to `path`.
    fn sheet_written(&mut self, path: &Path, cards: usize);
}

/// What a batch works on.
#[derive(Debug, Clone)]
pub struct BatchOptions {
    /// The province's list (CSV).
    pub input: PathBuf,
    /// The job file (created, or carried on with `resume`).
    pub job: PathBuf,
    pub resume: bool,
    /// The administrative code of the blank cards.
    pub admin_code: AdminCode,
    /// Where each card's face is printed (PNG), with its card file (JSON) beside it for
    /// printing again, if anywhere.
    pub print_dir: Option<PathBuf>,
    /// Where the A4 sheets of every card the job has issued are written (PDF), if anywhere;
    /// cards issued by an earlier, interrupted run are fetched from the server.
    pub sheet: Option<PathBuf>,
    /// The results CSV.
    pub results: PathBuf,
    /// How long to wait for each card to be inserted.
    pub card_timeout: Duration,
}

/// How a batch ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchSummary {
    /// Rows whose card is issued (this run or an earlier one).
    pub done: usize,
    /// Rows that failed.
    pub failed: usize,
    pub elapsed: Duration,
}

impl BatchSummary {
    /// The process exit code: 8 when rows failed.
    pub fn exit_code(&self) -> u8 {
        if self.failed > 0 {
            8
        } else {
            0
        }
    }
}

/// Issues a card for every row of `options.input` that is not done yet, through `reader`, with
/// `server` signing each credential.
pub fn run(
    server: &Server,
    reader: &mut dyn CardReader,
    options: &BatchOptions,
    ui: &mut dyn BatchUi,
) -> Result<BatchSummary> {
    let input = options.input.as_path();
    let rows = match read_list(input, Date::today()) {
        Ok(rows) => rows,
        Err(problems) => {
            ui.list_refused(&problems);
            return Err(PersonalizerError::InvalidInput(format!(
                "{} problems in {}",
                problems.len(),
                input.display()
            )));
        }
    };
    let job = Job::open(&options.job, input, &rows, options.resume)?;
    for note in job.recover(server)? {
        ui.recovered(&note);
    }
    if let Some(dir) = &options.print_dir {
        std::fs::create_dir_all(dir)
            .map_err(|e| PersonalizerError::Io(format!("{}: {e}", dir.display())))?;
    }
    let trust = server.trust_list()?;
    let office = Office {
        server,
        trust: &trust,
        admin_code: options.admin_code.clone(),
    };
    let todo: Vec<_> = job
        .rows()?
        .into_iter()
        .filter(|r| r.state == RowState::Todo)
        .collect();
    ui.started(rows.len(), rows.len() - todo.len());
    let mut faces_now = std::collections::HashMap::new();
    let started = Instant::now();
    let timeout = options.card_timeout;
    for jr in todo {
        let row = rows
            .iter()
            .find(|r| r.line == jr.line)
            .expect("job rows come from the list");
        let holder = row.request.holder().name().as_str().to_owned();
        loop {
            ui.insert_card(jr.line, &holder);
            reader.wait_for_card(timeout)?;
            job.set(jr.line, RowState::Issuing, None, None)?;
            let outcome = reader
                .connect(CONNECT_WAIT)
                .map_err(PersonalizerError::from)
                .and_then(|t| {
                    flow::personalize(
                        &mut CardClient::new(t),
                        &office,
                        &row.request,
                        None,
                        &mut RowCheckpoints {
                            job: &job,
                            line: jr.line,
                        },
                    )
                });
            match outcome {
                Ok(done) => {
                    job.set(jr.line, RowState::Done, Some(&done.issued.serial), None)?;
                    if options.print_dir.is_some() || options.sheet.is_some() {
                        let face =
                            print_face(options.print_dir.as_deref(), jr.line, &done, &trust)?;
                        faces_now.insert(done.issued.serial.clone(), face);
                    }
                    ui.row_done(jr.line, &done);
                    break;
                }
                Err(e @ PersonalizerError::CardNotBlank { .. }) => {
                    job.set(jr.line, RowState::Todo, None, None)?;
                    ui.not_blank(&e);
                }
                Err(e) => {
                    // A lost answer may have left a PENDING card: decide now (resume does too).
                    let _ = void_pending(server, &jr.ssn);
                    job.set(jr.line, RowState::Failed, None, Some(&e.to_string()))?;
                    ui.row_failed(jr.line, &e);
                    let _ = reader.wait_for_removal(timeout);
                    break;
                }
            }
            let _ = reader.wait_for_removal(timeout);
        }
        ui.remove_card();
        let _ = reader.wait_for_removal(timeout);
    }
    ui.finished();
    job.write_results(&options.results)?;
    let all = job.rows()?;
    if let Some(path) = &options.sheet {
        let faces = all
            .iter()
            .filter(|r| r.state == RowState::Done)
            .filter_map(|r| r.serial.as_deref())
            .map(|serial| match faces_now.remove(serial) {
                Some(face) => Ok(face),
                None => face::from_server(server, &trust, serial, None),
            })
            .collect::<Result<Vec<_>>>()?;
        if !faces.is_empty() {
            face::save_sheet(&faces, path)?;
            ui.sheet_written(path, faces.len());
        }
    }
    Ok(BatchSummary {
        done: all.iter().filter(|r| r.state == RowState::Done).count(),
        failed: all.iter().filter(|r| r.state == RowState::Failed).count(),
        elapsed: started.elapsed(),
    })
}

/// The face of the row's card; printed as `line-<line>-<serial>.png` in `dir` with its card
/// file `line-<line>-<serial>.json` beside it, when there is a `dir`.
fn print_face(
    dir: Option<&Path>,
    line: u64,
    done: &Personalized,
    trust: &asxh_core::lists::TrustList,
) -> Result<Face> {
    let issued = &done.issued;
    let issuer = face::office_name(trust, &issued.issuer_key_id_hex);
    let face = Face::from_credential_hex(&issued.credential_hex, &issued.qr_text, &issuer)?;
    if let Some(dir) = dir {
        let stem = format!("line-{line}-{}", issued.serial);
        face.save(&dir.join(format!("{stem}.png")))?;
        CardFile {
            credential_hex: issued.credential_hex.clone(),
            qr_text: issued.qr_text.clone(),
            office_name: Some(issuer),
        }
        .write(&dir.join(format!("{stem}.json")))?;
    }
    Ok(face)
}
