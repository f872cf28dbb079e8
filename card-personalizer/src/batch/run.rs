//! A batch run (SPEC.md §11.1 for every row of a list). Before the first card: the list read
//! and checked whole (invalid rows refuse the batch, or with `skip_invalid` go back to the
//! commune in the rejected-rows file), the account checked against the server (it may issue,
//! its key is active), the job file opened or resumed with the list merged in ([`super::job`])
//! and what an interrupted run left half-way settled, then each row to do checked against the
//! server — outside the account's area, or an SSN with a live card: rejected for good — and
//! likely duplicates found in the list and in the register, to be decided by a clerk.
//!
//! Then one card after another through a [`CardReader`]: wait for a blank card, personalize it
//! with the job's checkpoints, print its face, wait until it is taken out. A card that is not
//! blank is refused without touching it and the row waits for the next card; a permanent refusal
//! by the server rejects the row; any other failure marks it failed (a later `--resume` tries it
//! again) and the batch goes on. A stop asked for ([`BatchUi::stop_requested`], Ctrl-C) is
//! honoured between cards, never in the middle of one. What the clerk sees is behind
//! [`BatchUi`], so the run is tested in process.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use asxh_api::{CardMatch, CardStatus, MatchPerson};
use asxh_core::card::{AdminCode, CardClient, CardIoError, CardReader};
use asxh_core::{AreaCode, Date, Ssn};
use asxh_sheet::{OutTable, Source};
use asxh_text::message::fill;
use asxh_text::{Lang, Msg};

use crate::batch::JobNote;
use crate::error::{PersonalizerError, Result};
use crate::face::{self, CardFile, Face};
use crate::flow::{self, Office, Personalized};
use crate::request::FieldProblem;
use crate::server::Server;

use super::duplicates::{self, Decision, Duplicate, SameAs};
use super::{read_list, Job, JobRow, List, RowCheckpoints, RowProblem, RowState};

/// How long connecting to a card that was seen inserted may take.
const CONNECT_WAIT: Duration = Duration::from_secs(10);

/// How often a wait for a card looks whether a stop was asked for.
const POLL: Duration = Duration::from_millis(200);

/// What the clerk is told during a batch.
pub trait BatchUi {
    /// The list was read: how (format, encoding, delimiter) and how many rows it has.
    fn list_read(&mut self, source: &Source, rows: usize);
    /// The list has errors, or rows the server would refuse: no card was touched.
    fn list_refused(&mut self, problems: &[RowProblem]);
    /// Rows left out of the batch (`skip_invalid`), each with its problems.
    fn rows_skipped(&mut self, problems: &[RowProblem]);
    /// Likely duplicates wait for a decision, listed in `files`: no card was touched.
    fn duplicates_found(&mut self, duplicates: &[Duplicate], files: &[PathBuf]);
    /// What settling an interrupted run or merging a corrected list did, one line per row.
    fn recovered(&mut self, note: &JobNote);
    /// The cards start: `rows` in the job, `done` of them already issued by an earlier run.
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
    /// The server refused the row for good; it is rejected, not tried again.
    fn row_rejected(&mut self, line: u64, error: &PersonalizerError);
    /// Take the card out.
    fn remove_card(&mut self);
    /// The last row was handled, or the batch stopped (before the results file is written).
    fn finished(&mut self);
    /// The rejected rows (`rows` of them) were written to `files`, to send back.
    fn rejected_written(&mut self, files: &[PathBuf], rows: usize);
    /// The A4 sheet of `cards` faces was written to `path`.
    fn sheet_written(&mut self, path: &Path, cards: usize);
    /// Whether the clerk asked to stop (Ctrl-C): the batch stops before the next card.
    fn stop_requested(&mut self) -> bool;
}

/// What a batch works on.
#[derive(Debug, Clone)]
pub struct BatchOptions {
    /// The province's list (XLSX or CSV).
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
    /// The language of the messages and of the files for the commune.
    pub lang: Lang,
    /// Issue the valid rows and reject the others, instead of refusing the list.
    pub skip_invalid: bool,
    /// Try the job's rejected rows again even if the list did not correct them.
    pub retry_rejected: bool,
    /// A clerk's decisions about likely duplicates (the file the batch wrote, filled in).
    pub accept_duplicates: Option<PathBuf>,
    /// Where the rejected rows go, with their reasons (`.csv`: UTF-8 with a BOM; `.xlsx`).
    pub rejected: Vec<PathBuf>,
    /// Where likely duplicates are listed for a decision (`.xlsx` or `.csv`).
    pub duplicates: Vec<PathBuf>,
}

/// How a batch ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchSummary {
    /// Rows whose card is issued (this run or an earlier one).
    pub done: usize,
    /// Rows that failed (tried again by `--resume`).
    pub failed: usize,
    /// Rows rejected (sent back to the commune), in the job or invalid in the list.
    pub rejected: usize,
    /// Rows not reached (the batch was stopped).
    pub left: usize,
    /// The clerk stopped the batch.
    pub stopped: bool,
    pub elapsed: Duration,
}

impl BatchSummary {
    /// The process exit code: 130 stopped (Ctrl-C), 8 rows failed, 10 rows rejected, else 0.
    pub fn exit_code(&self) -> u8 {
        if self.stopped {
            130
        } else if self.failed > 0 {
            8
        } else if self.rejected > 0 {
            10
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
    let lang = options.lang;
    let input = options.input.as_path();
    let list = read_checked(input, lang, options.skip_invalid, ui)?;
    let own_area = check_account(server, lang)?;

    let created = !options.job.exists();
    let opened = Job::open(
        &options.job,
        input,
        &list,
        options.resume,
        options.retry_rejected,
        lang,
    )?;
    let Some(job) = opened.job else {
        ui.list_refused(&opened.conflicts);
        return Err(PersonalizerError::RowsRefused {
            count: opened.conflicts.len(),
            input: input.to_owned(),
            by_server: false,
        });
    };
    // A batch refused before its first card leaves no job behind, so the next try starts anew.
    let abandon = |job: Job| {
        drop(job);
        if created {
            for suffix in ["", "-wal", "-shm"] {
                let mut p = options.job.clone().into_os_string();
                p.push(suffix);
                let _ = std::fs::remove_file(p);
            }
        }
    };
    for note in opened.notes.iter().chain(&job.recover(server)?) {
        ui.recovered(note);
    }

    let refusals = server_refusals(server, &job, &own_area, lang)?;
    if !refusals.is_empty() && !options.skip_invalid {
        ui.list_refused(&refusals.iter().map(|(_, p)| p.clone()).collect::<Vec<_>>());
        abandon(job);
        return Err(PersonalizerError::RowsRefused {
            count: refusals.len(),
            input: input.to_owned(),
            by_server: true,
        });
    }
    for (ssn, p) in &refusals {
        job.set(ssn, RowState::Rejected, None, Some(&p.problem.message))?;
    }
    if !refusals.is_empty() {
        ui.rows_skipped(&refusals.into_iter().map(|(_, p)| p).collect::<Vec<_>>());
    }

    let decided = match &options.accept_duplicates {
        Some(path) => duplicates::read_decisions(path)?,
        None => HashMap::new(),
    };
    let found = likely_duplicates(server, &job)?;
    let mut undecided = Vec::new();
    for d in found {
        let ssn = Ssn::parse(&d.ssn).ok();
        match ssn.and_then(|s| decided.get(&s)) {
            Some(Decision::Issue) => {}
            Some(Decision::Skip) => {
                let why = format!(
                    "{} {}",
                    lang.text(Msg::DuplicateSkipped),
                    d.same_as
                        .iter()
                        .map(|s| s.text(lang))
                        .collect::<Vec<_>>()
                        .join("; ")
                );
                job.set(&d.ssn, RowState::Rejected, None, Some(&why))?;
            }
            None => undecided.push(d),
        }
    }
    if !undecided.is_empty() {
        write_duplicates(&undecided, &decided, &options.duplicates, lang)?;
        ui.duplicates_found(&undecided, &options.duplicates);
        abandon(job);
        return Err(PersonalizerError::Duplicates(undecided.len()));
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
    let all = job.rows()?;
    let todo: Vec<JobRow> = all
        .iter()
        .filter(|r| r.state == RowState::Todo)
        .cloned()
        .collect();
    let active = all.iter().filter(|r| r.state != RowState::Rejected).count();
    ui.started(active, active - todo.len());
    let mut faces_now = HashMap::new();
    let started = Instant::now();
    let timeout = options.card_timeout;
    let mut stopped = false;
    'rows: for row in todo {
        let holder = row.request.holder().name().as_str().to_owned();
        loop {
            if ui.stop_requested() {
                stopped = true;
                break 'rows;
            }
            ui.insert_card(row.line, &holder);
            if !wait_for_card(reader, timeout, ui)? {
                stopped = true;
                break 'rows;
            }
            job.set(&row.ssn, RowState::Issuing, None, None)?;
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
                            ssn: &row.ssn,
                        },
                    )
                });
            match outcome {
                Ok(done) => {
                    job.set(&row.ssn, RowState::Done, Some(&done.issued.serial), None)?;
                    if options.print_dir.is_some() || options.sheet.is_some() {
                        let face =
                            print_face(options.print_dir.as_deref(), row.line, &done, &office)?;
                        faces_now.insert(done.issued.serial.clone(), face);
                    }
                    ui.row_done(row.line, &done);
                    break;
                }
                Err(e @ PersonalizerError::CardNotBlank { .. }) => {
                    job.set(&row.ssn, RowState::Todo, None, None)?;
                    ui.not_blank(&e);
                    wait_for_removal(reader, timeout, ui);
                }
                Err(e) => {
                    // A lost answer may have left a PENDING card: decide now (resume does too).
                    let _ = super::void_pending(server, &row.ssn);
                    if e.is_permanent_refusal() {
                        job.set(&row.ssn, RowState::Rejected, None, Some(&e.to_string()))?;
                        ui.row_rejected(row.line, &e);
                    } else {
                        job.set(&row.ssn, RowState::Failed, None, Some(&e.to_string()))?;
                        ui.row_failed(row.line, &e);
                    }
                    break;
                }
            }
        }
        ui.remove_card();
        wait_for_removal(reader, timeout, ui);
    }
    ui.finished();
    job.write_results(&options.results)?;
    let rejected = write_rejected(&list, &job, &options.rejected, lang)?;
    if rejected > 0 {
        ui.rejected_written(&options.rejected, rejected);
    }
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
    let count = |s: RowState| all.iter().filter(|r| r.state == s).count();
    Ok(BatchSummary {
        done: count(RowState::Done),
        failed: count(RowState::Failed),
        rejected,
        left: count(RowState::Todo),
        stopped,
        elapsed: started.elapsed(),
    })
}

fn not_a_list(input: &Path, lang: Lang) -> PersonalizerError {
    PersonalizerError::InvalidInput(fill(
        lang.text(Msg::FileNotAList),
        &[("path", input.display().to_string())],
    ))
}

/// Reads the list and tells the clerk how; invalid rows refuse it unless `skip_invalid`.
fn read_checked(
    input: &Path,
    lang: Lang,
    skip_invalid: bool,
    ui: &mut dyn BatchUi,
) -> Result<List> {
    let list = read_list(input, Date::today(), lang).map_err(|problems| {
        ui.list_refused(&problems);
        not_a_list(input, lang)
    })?;
    ui.list_read(&list.source, list.rows.len());
    let problems = list.problems();
    if !problems.is_empty() {
        if !skip_invalid {
            ui.list_refused(&problems);
            return Err(PersonalizerError::InvalidInput(fill(
                lang.text(Msg::ListProblemsIn),
                &[
                    ("count", lang.count(problems.len() as u64)),
                    ("path", input.display().to_string()),
                ],
            )));
        }
        ui.rows_skipped(&problems);
    }
    Ok(list)
}

/// Refuses an account that may not issue cards, or whose office key does not sign; returns
/// the account's area.
fn check_account(server: &Server, lang: Lang) -> Result<AreaCode> {
    let me = server.whoami()?;
    if !me.may_issue_cards {
        return Err(PersonalizerError::Account(
            lang.text(Msg::AccountMayNotIssue)
                .replace("{role}", lang.role(&me.role)),
        ));
    }
    match me.office_key_status.as_deref() {
        Some("active") | None => AreaCode::parse(&me.area_code)
            .map_err(|e| PersonalizerError::Network(format!("the server's account area: {e}"))),
        Some(status) => Err(PersonalizerError::Account(
            lang.text(Msg::OfficeKeyNotActive)
                .replace("{office}", me.office.as_deref().unwrap_or_default())
                .replace("{status}", status),
        )),
    }
}

/// The rows to do that the server would refuse for good: outside the account's area, or an
/// SSN that has a live card. By SSN, each with its problem.
fn server_refusals(
    server: &Server,
    job: &Job,
    own: &AreaCode,
    lang: Lang,
) -> Result<Vec<(String, RowProblem)>> {
    let rows: Vec<JobRow> = job
        .rows()?
        .into_iter()
        .filter(|r| r.state == RowState::Todo)
        .collect();
    let problem = |r: &JobRow, field: &str, message: String| {
        (
            r.ssn.clone(),
            RowProblem {
                line: r.line,
                problem: FieldProblem::new(field, lang, message),
            },
        )
    };
    let mut out = Vec::new();
    let mut inside = Vec::new();
    for r in rows {
        let area = r.request.holder().area();
        if own.contains(area) {
            inside.push(r);
        } else {
            out.push(problem(
                &r,
                "area_code",
                lang.text(Msg::OutsideArea)
                    .replace("{area}", area.as_str())
                    .replace("{own}", own.as_str()),
            ));
        }
    }
    let matches = register_matches(server, &inside)?;
    for (i, r) in inside.iter().enumerate() {
        let live =
            matches.get(&i).into_iter().flatten().find(|m| {
                m.same_ssn && matches!(m.status, CardStatus::Active | CardStatus::Pending)
            });
        if let Some(card) = live {
            out.push(problem(
                r,
                "ssn",
                lang.text(Msg::AlreadyHasCard)
                    .replace("{serial}", &card.serial)
                    .replace("{status}", lang.status(card.status.as_str())),
            ));
        }
    }
    out.sort_by_key(|(_, p)| p.line);
    Ok(out)
}

/// The server's matches for `rows`, by index into `rows`.
fn register_matches(server: &Server, rows: &[JobRow]) -> Result<HashMap<usize, Vec<CardMatch>>> {
    if rows.is_empty() {
        return Ok(HashMap::new());
    }
    let people: Vec<MatchPerson> = rows
        .iter()
        .map(|r| {
            let h = r.request.holder();
            MatchPerson {
                ssn: h.ssn().to_string(),
                full_name: h.name().as_str().to_owned(),
                birth_year: h.date_of_birth().year(),
            }
        })
        .collect();
    let mut out: HashMap<usize, Vec<CardMatch>> = HashMap::new();
    for m in server.matches(&people)? {
        out.entry(m.person).or_default().push(m);
    }
    Ok(out)
}

/// The rows to do that may be people the job or the register already has under another SSN.
fn likely_duplicates(server: &Server, job: &Job) -> Result<Vec<Duplicate>> {
    let rows: Vec<JobRow> = job
        .rows()?
        .into_iter()
        .filter(|r| r.state != RowState::Rejected)
        .collect();
    let todo: Vec<JobRow> = rows
        .iter()
        .filter(|r| r.state == RowState::Todo)
        .cloned()
        .collect();
    let todo_ssns: HashSet<&str> = todo.iter().map(|r| r.ssn.as_str()).collect();
    let job_ssns: HashSet<&str> = rows.iter().map(|r| r.ssn.as_str()).collect();
    let mut found: HashMap<String, Duplicate> =
        duplicates::in_list(rows.iter().map(|r| (r.line, &r.request)))
            .into_iter()
            .filter(|d| todo_ssns.contains(d.ssn.as_str()))
            .map(|d| (d.ssn.clone(), d))
            .collect();
    let matches = register_matches(server, &todo)?;
    for (i, r) in todo.iter().enumerate() {
        let cards: Vec<&CardMatch> = matches.get(&i).into_iter().flatten().collect();
        // A card of another row of this job is that row's duplicate, listed already.
        let same: Vec<SameAs> = duplicates::in_register(&r.request, &cards)
            .into_iter()
            .filter(|s| !matches!(s, SameAs::Card { ssn, .. } if job_ssns.contains(ssn.as_str())))
            .collect();
        if same.is_empty() {
            continue;
        }
        let d = found.entry(r.ssn.clone()).or_insert_with(|| Duplicate {
            line: r.line,
            ssn: r.ssn.clone(),
            full_name: r.request.holder().name().as_str().to_owned(),
            date_of_birth: r.request.holder().date_of_birth(),
            area_code: r.request.holder().area().as_str().to_owned(),
            same_as: Vec::new(),
        });
        d.same_as.extend(same);
    }
    let mut out: Vec<Duplicate> = found.into_values().collect();
    out.sort_by_key(|d| d.line);
    Ok(out)
}

fn save(table: &OutTable, paths: &[PathBuf], worksheet: &str) -> Result<()> {
    for path in paths {
        let xlsx = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
        if xlsx {
            table.save_xlsx(path, worksheet)
        } else {
            table.save_csv(path)
        }
        .map_err(|e| PersonalizerError::Io(e.to_string()))?;
    }
    Ok(())
}

fn write_duplicates(
    found: &[Duplicate],
    decided: &HashMap<Ssn, Decision>,
    paths: &[PathBuf],
    lang: Lang,
) -> Result<()> {
    save(
        &duplicates::table(found, decided, lang),
        paths,
        "Trung nguoi",
    )
}

/// Writes the rows to send back — the list's invalid rows and the job's rejected rows — in the
/// list's own columns with a reason column; returns how many there are (nothing is written
/// when there are none).
fn write_rejected(list: &List, job: &Job, paths: &[PathBuf], lang: Lang) -> Result<usize> {
    let table = rejected_table(list, &job.rows()?, lang);
    if !table.rows.is_empty() {
        save(&table, paths, "Bi tu choi")?;
    }
    Ok(table.rows.len())
}

/// The rejected rows as a table: the list's headers, then the reason.
pub fn rejected_table(list: &List, job_rows: &[JobRow], lang: Lang) -> OutTable {
    let mut headers = list.headers.clone();
    headers.push(lang.text(Msg::ColumnReason).to_owned());
    let width = list.headers.len();
    let fit = |mut cells: Vec<String>| {
        cells.resize(width, String::new());
        cells
    };
    let mut rows: Vec<(u64, Vec<String>)> = list
        .rows
        .iter()
        .filter_map(|r| {
            let problems = r.outcome.as_ref().err()?;
            let mut cells = fit(r.cells.clone());
            cells.push(
                problems
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; "),
            );
            Some((r.line, cells))
        })
        .collect();
    for r in job_rows.iter().filter(|r| r.state == RowState::Rejected) {
        // The row's cells under this list's headers (a row from an earlier list is placed by
        // its headers' names).
        let mut cells: Vec<String> = list
            .headers
            .iter()
            .map(|h| {
                r.headers
                    .iter()
                    .position(|rh| rh == h)
                    .and_then(|i| r.cells.get(i).cloned())
                    .unwrap_or_default()
            })
            .collect();
        cells.push(r.error.clone().unwrap_or_default());
        rows.push((r.line, cells));
    }
    rows.sort_by_key(|(line, _)| *line);
    OutTable {
        headers,
        rows: rows.into_iter().map(|(_, c)| c).collect(),
    }
}

/// Waits for a card until `timeout`; `false` when a stop was asked for first.
fn wait_for_card(
    reader: &mut dyn CardReader,
    timeout: Duration,
    ui: &mut dyn BatchUi,
) -> Result<bool> {
    let deadline = Instant::now() + timeout;
    loop {
        if ui.stop_requested() {
            return Ok(false);
        }
        let left = deadline.saturating_duration_since(Instant::now());
        match reader.wait_for_card(left.min(POLL)) {
            Ok(()) => return Ok(true),
            Err(CardIoError::NoCard { .. }) if !left.is_zero() => {}
            Err(e) => return Err(e.into()),
        }
    }
}

/// Waits until the card is taken out, `timeout` passes or a stop is asked for.
fn wait_for_removal(reader: &mut dyn CardReader, timeout: Duration, ui: &mut dyn BatchUi) {
    let deadline = Instant::now() + timeout;
    while !ui.stop_requested() {
        let left = deadline.saturating_duration_since(Instant::now());
        if reader.wait_for_removal(left.min(POLL)).is_ok() || left.is_zero() {
            return;
        }
    }
}

/// The face of the row's card; printed as `line-<line>-<serial>.png` in `dir` with its card
/// file `line-<line>-<serial>.json` beside it, when there is a `dir`.
fn print_face(
    dir: Option<&Path>,
    line: u64,
    done: &Personalized,
    office: &Office<'_>,
) -> Result<Face> {
    let issued = &done.issued;
    let issuer = face::office_name(office.trust, &issued.issuer_key_id_hex);
    let face = Face::from_credential_hex(&issued.credential_hex, &issued.qr_text, &issuer)?
        .named_by(office.server);
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

/// What `batch --check` works on: a list alone, no server, no card.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    pub input: PathBuf,
    pub lang: Lang,
    pub accept_duplicates: Option<PathBuf>,
    /// Where the invalid rows go, with their reasons, when there are any.
    pub rejected: Vec<PathBuf>,
    /// Where likely duplicates of the list are listed, when there are any.
    pub duplicates: Vec<PathBuf>,
}

/// What `batch --check` found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckSummary {
    pub rows: usize,
    pub invalid: usize,
    pub duplicates: usize,
}

impl CheckSummary {
    /// 0 clean, 3 invalid rows, 9 likely duplicates waiting for a decision.
    pub fn exit_code(&self) -> u8 {
        if self.invalid > 0 {
            3
        } else if self.duplicates > 0 {
            9
        } else {
            0
        }
    }
}

/// Checks a list as a batch would before its first card, without a server (so neither the
/// account's area nor the register): every row's problems, and likely duplicates within it.
pub fn check(options: &CheckOptions, ui: &mut dyn BatchUi) -> Result<CheckSummary> {
    let lang = options.lang;
    let list = read_list(&options.input, Date::today(), lang).map_err(|problems| {
        ui.list_refused(&problems);
        not_a_list(&options.input, lang)
    })?;
    ui.list_read(&list.source, list.rows.len());
    let problems = list.problems();
    let invalid = list.rows.iter().filter(|r| r.outcome.is_err()).count();
    if !problems.is_empty() {
        ui.list_refused(&problems);
        let table = rejected_table(&list, &[], lang);
        save(&table, &options.rejected, "Bi tu choi")?;
        ui.rejected_written(&options.rejected, table.rows.len());
    }
    let decided = match &options.accept_duplicates {
        Some(path) => duplicates::read_decisions(path)?,
        None => HashMap::new(),
    };
    let found: Vec<Duplicate> = duplicates::in_list(list.valid().map(|r| (r.line, &r.request)))
        .into_iter()
        .filter(|d| Ssn::parse(&d.ssn).is_ok_and(|s| !decided.contains_key(&s)))
        .collect();
    if !found.is_empty() {
        write_duplicates(&found, &decided, &options.duplicates, lang)?;
        ui.duplicates_found(&found, &options.duplicates);
    }
    Ok(CheckSummary {
        rows: list.rows.len(),
        invalid,
        duplicates: found.len(),
    })
}
