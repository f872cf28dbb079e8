//! asxh-personalizer: the issuing office's command line — list readers, inspect a card, issue
//! one card, issue a whole list in a batch job that survives crashes, and print card faces.
//! Exit codes: 0 done, 2 usage, 3 invalid data (nothing was touched), 4 card not blank,
//! 5 the written card did not verify, 6 the server refused, 7 job file or output error,
//! 8 a batch finished with failed rows, 9 likely duplicates wait for a decision
//! (`--accept-duplicates`), 10 a batch finished with rejected rows (sent back in the rejected
//! file), 40 card or reader error, 41 server unreachable, 130 a batch stopped by Ctrl-C (carry on
//! with `--resume`).

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use asxh_core::card::{
    list_readers, AdminCode, CardClient, PcscReader, PcscTransport, Pin, Transport,
};
use asxh_core::Date;
use asxh_personalizer::batch::{
    self, BatchOptions, BatchUi, CheckOptions, Duplicate, JobNote, RowProblem,
};
use asxh_personalizer::face::{self, CardFile, Face};
use asxh_personalizer::flow::{self, NoCheckpoints, Office, Personalized};
use asxh_personalizer::request::{CardRequest, RawRequest};
use asxh_personalizer::server::Server;
use asxh_personalizer::PersonalizerError;
use asxh_sheet::{Delimiter, Source};
use asxh_text::usage::Usage;
use asxh_text::{say, say_raw, Catalogued, Lang, Msg};
use clap::{Args, Parser, Subcommand};

#[derive(Parser)]
#[command(
    version,
    about = "Personalize and print electronic social security cards at an issuing office"
)]
struct Cli {
    /// Language of the messages for the clerk.
    #[arg(long, value_enum, default_value = "vi", global = true)]
    lang: Lang,
    #[command(subcommand)]
    command: Command,
}

#[derive(Args)]
struct ServerArgs {
    #[arg(long)]
    server: String,
    /// File holding the office account's bearer token.
    #[arg(long)]
    token_file: PathBuf,
    /// The province's CA certificate (PEM), trusted besides the operating system's store.
    #[arg(long)]
    ca_file: Option<PathBuf>,
}

impl ServerArgs {
    fn connect(&self) -> Result<Server, PersonalizerError> {
        let token = std::fs::read_to_string(&self.token_file).map_err(|e| {
            PersonalizerError::Usage(Usage::TokenFile {
                path: self.token_file.display().to_string(),
                detail: e.to_string(),
            })
        })?;
        Server::new(&self.server, token.trim(), self.ca_file.as_deref())
    }
}

#[derive(Args)]
struct CardArgs {
    /// PC/SC reader name (or part of it); default: the first reader.
    #[cfg_attr(feature = "emulator", arg(long, conflicts_with = "emulator"))]
    #[cfg_attr(not(feature = "emulator"), arg(long))]
    reader: Option<String>,
    /// An emulated card whose state is in this file (created blank if missing; built with the
    /// `emulator` feature only).
    #[cfg(feature = "emulator")]
    #[arg(long)]
    emulator: Option<PathBuf>,
    /// Administrative code of the blank cards (as delivered by the card vendor).
    #[arg(long, default_value = "12345678")]
    admin_code: String,
}

#[derive(Args)]
struct BatchArgs {
    #[arg(long, required_unless_present = "check")]
    server: Option<String>,
    /// File holding the office account's bearer token.
    #[arg(long, required_unless_present = "check")]
    token_file: Option<PathBuf>,
    /// The province's CA certificate (PEM), trusted besides the operating system's store.
    #[arg(long)]
    ca_file: Option<PathBuf>,
    /// The province's list: .xlsx (or .xls, .ods), or CSV in UTF-8, UTF-16 ("Unicode Text") or
    /// Windows-1258, separated by commas, semicolons or tabs.
    #[arg(long)]
    input: PathBuf,
    /// Only check the list: every problem with its row and field, and likely duplicates in it
    /// (no server, no card). Exit 0 when clean, 3 with invalid rows, 9 with likely duplicates.
    #[arg(long, conflicts_with_all = ["resume", "job"])]
    check: bool,
    #[arg(long, required_unless_present = "check")]
    job: Option<PathBuf>,
    /// Carry on with the job file, with the same list or a corrected one: the rows issued must
    /// be unchanged; corrected rejected rows are tried again.
    #[arg(long)]
    resume: bool,
    /// Issue the valid rows and write the others, with their reasons, to the rejected file.
    #[arg(long)]
    skip_invalid: bool,
    /// With --resume: try the rejected rows again even if the list did not correct them.
    #[arg(long, requires = "resume")]
    retry_rejected: bool,
    /// The likely-duplicates file the batch wrote, with a decision (cấp / bỏ) for each row.
    #[arg(long, value_name = "FILE")]
    accept_duplicates: Option<PathBuf>,
    /// Where the rejected rows go (.csv or .xlsx; repeatable; default: the job file, or with
    /// --check the list, with .rejected.csv and .rejected.xlsx).
    #[arg(long = "rejected", value_name = "FILE")]
    rejected: Vec<PathBuf>,
    /// Where likely duplicates are listed for a decision (.xlsx or .csv; default: the job
    /// file, or with --check the list, with .duplicates.xlsx).
    #[arg(long = "duplicates", value_name = "FILE")]
    duplicates: Vec<PathBuf>,
    #[arg(long)]
    reader: Option<String>,
    #[arg(long, default_value = "12345678")]
    admin_code: String,
    /// Print each card's face (PNG) into this directory, with its card file (JSON) beside it
    /// for printing again with `print --card-file`.
    #[arg(long)]
    print_dir: Option<PathBuf>,
    /// Write the faces of every card the job has issued on A4 sheets (PDF, 10 cards a page
    /// with crop marks); cards of an earlier, interrupted run are fetched from the server.
    #[arg(long)]
    sheet: Option<PathBuf>,
    /// Results CSV (default: the job file with .results.csv).
    #[arg(long)]
    results: Option<PathBuf>,
    /// How long to wait for each card to be inserted.
    #[arg(long, default_value = "10m", value_parser = humantime_secs)]
    card_timeout: Duration,
}

#[derive(Subcommand)]
enum Command {
    /// List PC/SC readers and whether a card is in each.
    Readers,
    /// Show a card's life cycle, serial and holder.
    Inspect {
        #[command(flatten)]
        card: CardArgs,
    },
    /// Issue one card: personalize, lock, verify, activate, print.
    Issue {
        #[command(flatten)]
        server: ServerArgs,
        #[command(flatten)]
        card: CardArgs,
        #[arg(long)]
        ssn: String,
        #[arg(long)]
        name: String,
        /// dd/mm/yyyy, mm/yyyy or yyyy (or ISO YYYY-MM-DD).
        #[arg(long)]
        dob: String,
        /// M/F (Nam/Nữ).
        #[arg(long)]
        sex: String,
        #[arg(long)]
        area: String,
        /// PROGRAM:CATEGORY[:AMOUNT[:FROM[:UNTIL]]], repeatable.
        #[arg(long = "entitlement")]
        entitlements: Vec<String>,
        /// NAME:ID-NUMBER of an authorised recipient.
        #[arg(long)]
        recipient: Option<String>,
        /// Ask the holder for a PIN (read from standard input) and set it on the card.
        #[arg(long)]
        pin_prompt: bool,
        #[arg(long, requires = "reason")]
        replaces: Option<String>,
        /// Why the replaced card is withdrawn (lost, stolen, damaged, ...).
        #[arg(long, requires = "replaces")]
        reason: Option<String>,
        /// Print the card face to this file (.png, .svg or .pdf).
        #[arg(long)]
        print: Option<PathBuf>,
    },
    /// Issue a card for every row of a list, one card after another, resumable.
    Batch(BatchArgs),
    /// Print card faces: one card to a file (.png, .svg or .pdf), or several on A4 sheets.
    Print {
        /// The signed credential (hex); needs --qr.
        #[arg(long, requires = "qr")]
        credential: Option<String>,
        #[arg(long)]
        qr: Option<String>,
        /// A card file (JSON with credential_hex and qr_text, as `batch --print-dir` writes
        /// beside each face, or a card's record from the server); repeatable.
        #[arg(long = "card-file")]
        card_files: Vec<PathBuf>,
        /// Fetch the card from the server; repeatable.
        #[arg(long = "serial", requires_all = ["server", "token_file"])]
        serials: Vec<String>,
        #[arg(long)]
        server: Option<String>,
        #[arg(long)]
        token_file: Option<PathBuf>,
        /// The province's CA certificate (PEM), with --server.
        #[arg(long)]
        ca_file: Option<PathBuf>,
        /// Issuing office shown on the face as "Nơi cấp" (default: the card file's, or the
        /// name the server's trust list gives the card's issuer key).
        #[arg(long)]
        office_name: Option<String>,
        /// Lay the cards out on A4 sheets, 10 a page with crop marks (PDF).
        #[arg(long)]
        sheet: bool,
        #[arg(long)]
        out: PathBuf,
    },
}

fn humantime_secs(text: &str) -> Result<Duration, String> {
    let t = text.trim();
    let (n, unit) = t.split_at(t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len()));
    let n: u64 = n
        .parse()
        .map_err(|_| format!("{text:?} is not a duration like 90s, 10m or 1h"))?;
    Ok(Duration::from_secs(
        n * match unit {
            "" | "s" => 1,
            "m" => 60,
            "h" => 3600,
            _ => return Err(format!("{text:?}: the unit is s, m or h")),
        },
    ))
}

fn admin(code: &str) -> Result<AdminCode, PersonalizerError> {
    AdminCode::parse(code).map_err(|e| {
        PersonalizerError::Usage(Usage::Value {
            option: "--admin-code",
            problem: e.into_problem(),
        })
    })
}

fn read_pin(lang: Lang) -> Result<Pin, PersonalizerError> {
    eprint!("{}", lang.text(Msg::HolderPinPrompt));
    let mut line = String::new();
    std::io::stdin().read_line(&mut line).map_err(|e| {
        PersonalizerError::Usage(Usage::PinUnreadable {
            detail: e.to_string(),
        })
    })?;
    Pin::parse(line.trim()).map_err(|e| PersonalizerError::Usage(Usage::Pin(e.into_problem())))
}

/// A client of the chosen card, behind either transport.
type Client = CardClient<Box<dyn Transport>>;

/// Runs `f` on the chosen card.
fn with_card<R>(
    card: &CardArgs,
    f: impl FnOnce(&mut Client) -> Result<R, PersonalizerError>,
) -> Result<R, PersonalizerError> {
    #[cfg(feature = "emulator")]
    if let Some(path) = &card.emulator {
        use asxh_card::{CardApp, FileStorage};
        use asxh_core::card::InProcessTransport;
        let app = CardApp::open(FileStorage::new(path)).map_err(|e| {
            PersonalizerError::Usage(Usage::EmulatedCard {
                path: path.display().to_string(),
                detail: e.to_string(),
            })
        })?;
        return f(&mut CardClient::new(Box::new(InProcessTransport::new(app))));
    }
    let transport = PcscTransport::connect(card.reader.as_deref(), Duration::from_secs(30))?;
    f(&mut CardClient::new(Box::new(transport)))
}

/// What the clerk sees of a batch: the list's reading and the rows' results on standard
/// output, prompts on standard error above a progress bar — or as plain lines when standard
/// error is not a terminal (the bar is hidden then, and would hide them too).
struct BatchScreen {
    lang: Lang,
    bar: indicatif::ProgressBar,
    /// Ctrl-C presses so far.
    interrupts: Arc<AtomicUsize>,
}

impl BatchScreen {
    fn new(lang: Lang) -> BatchScreen {
        let interrupts = Arc::new(AtomicUsize::new(0));
        let seen = interrupts.clone();
        let said = lang.text(Msg::StopRequested);
        // Without a handler Ctrl-C kills the process mid-card; the job file would still settle
        // it on --resume, but the clerk would not be told what was done.
        let _ = ctrlc::set_handler(move || {
            if seen.fetch_add(1, Ordering::SeqCst) == 0 {
                eprintln!("{said}");
            } else {
                std::process::exit(130);
            }
        });
        BatchScreen {
            lang,
            bar: indicatif::ProgressBar::hidden(),
            interrupts,
        }
    }

    fn say(&self, text: String) {
        if self.bar.is_hidden() {
            eprintln!("{text}");
        } else {
            self.bar.println(text);
        }
    }

    fn line(&self, line: u64) -> String {
        format!("{} {line}", self.lang.text(Msg::LineWord))
    }
}

/// How the list was read, for the clerk: format, encoding and delimiter.
fn source_text(lang: Lang, source: &Source) -> String {
    match source {
        Source::Workbook { kind, worksheet } => {
            format!(
                "{}, {} \"{worksheet}\"",
                kind.name(),
                lang.text(Msg::Worksheet)
            )
        }
        Source::Text {
            encoding,
            delimiter,
        } => format!(
            "CSV, {}, {}",
            encoding.name(),
            lang.text(match delimiter {
                Delimiter::Comma => Msg::DelimiterComma,
                Delimiter::Semicolon => Msg::DelimiterSemicolon,
                Delimiter::Tab => Msg::DelimiterTab,
            })
        ),
    }
}

fn print_problems(lang: Lang, problems: &[RowProblem]) {
    for p in problems {
        // Line 0 is the file as a whole.
        if p.line == 0 {
            eprintln!("  {}", p.problem);
        } else {
            eprintln!("  {} {}: {}", lang.text(Msg::LineWord), p.line, p.problem);
        }
    }
}

impl BatchUi for BatchScreen {
    fn list_read(&mut self, source: &Source, rows: usize) {
        say!(
            "{}: {}; {rows} {}",
            self.lang.text(Msg::ListReadAs),
            source_text(self.lang, source),
            self.lang.text(Msg::Rows)
        );
    }

    fn list_refused(&mut self, problems: &[RowProblem]) {
        eprintln!("{}", self.lang.text(Msg::ListRefused));
        print_problems(self.lang, problems);
    }

    fn rows_skipped(&mut self, problems: &[RowProblem]) {
        let mut lines: Vec<u64> = problems.iter().map(|p| p.line).collect();
        lines.dedup();
        eprintln!(
            "{} {}:",
            lines.len(),
            self.lang.text(Msg::InvalidRowsSkipped)
        );
        print_problems(self.lang, problems);
    }

    fn duplicates_found(&mut self, duplicates: &[Duplicate], files: &[PathBuf]) {
        eprintln!("{}", self.lang.text(Msg::DuplicatesFound));
        for d in duplicates {
            eprintln!("  {}", d.text(self.lang));
        }
        eprintln!("{}", self.lang.text(Msg::DuplicatesDecide));
        for f in files {
            eprintln!("  {}", f.display());
        }
    }

    fn recovered(&mut self, note: &JobNote) {
        eprintln!("{}", note.text(self.lang));
    }

    fn started(&mut self, rows: usize, done: usize) {
        self.bar = indicatif::ProgressBar::new(rows as u64);
        self.bar.set_position(done as u64);
    }

    fn insert_card(&mut self, line: u64, holder: &str) {
        self.say(format!(
            "{} {} ({holder}) — {}",
            self.lang.text(Msg::LineHeading),
            line,
            self.lang.text(Msg::InsertBlankCard)
        ));
    }

    fn not_blank(&mut self, error: &PersonalizerError) {
        self.say(format!(
            "{} — {}",
            error.text(self.lang),
            self.lang.text(Msg::RemoveThisCard)
        ));
    }

    fn row_done(&mut self, line: u64, done: &Personalized) {
        say!(
            "{}: {} {} ({} APDUs)",
            self.line(line),
            self.lang.text(Msg::RowDone),
            done.issued.serial,
            done.commands
        );
        self.bar.inc(1);
    }

    fn row_failed(&mut self, line: u64, error: &PersonalizerError) {
        say!(
            "{}: {}: {}",
            self.line(line),
            self.lang.text(Msg::RowFailed),
            error.text(self.lang)
        );
        self.bar.inc(1);
    }

    fn row_rejected(&mut self, line: u64, error: &PersonalizerError) {
        say!(
            "{}: {}: {}",
            self.line(line),
            self.lang.text(Msg::RowRejected),
            error.text(self.lang)
        );
        self.bar.inc(1);
    }

    fn remove_card(&mut self) {
        self.say(self.lang.text(Msg::RemoveCard).to_owned());
    }

    fn finished(&mut self) {
        self.bar.finish_and_clear();
    }

    fn rejected_written(&mut self, files: &[PathBuf], rows: usize) {
        say!(
            "{} ({rows} {})",
            self.lang.text(Msg::RejectedRowsIn),
            self.lang.text(Msg::Rows)
        );
        for f in files {
            say!("  {}", f.display());
        }
    }

    fn sheet_written(&mut self, path: &Path, cards: usize) {
        print_sheet_line(self.lang, path, cards);
    }

    fn stop_requested(&mut self) -> bool {
        self.interrupts.load(Ordering::SeqCst) > 0
    }
}

/// Says where the A4 sheets of `cards` faces were written.
fn print_sheet_line(lang: Lang, path: &Path, cards: usize) {
    say!(
        "{} {} ({cards} {})",
        lang.text(Msg::CardSheet),
        path.display(),
        lang.text(Msg::Cards)
    );
}

/// `default` beside `base` when `given` is empty.
fn or_beside(given: &[PathBuf], base: &Path, defaults: &[&str]) -> Vec<PathBuf> {
    if given.is_empty() {
        defaults.iter().map(|d| base.with_extension(d)).collect()
    } else {
        given.to_vec()
    }
}

fn run_check(lang: Lang, args: &BatchArgs) -> Result<u8, PersonalizerError> {
    let options = CheckOptions {
        input: args.input.clone(),
        lang,
        accept_duplicates: args.accept_duplicates.clone(),
        rejected: or_beside(
            &args.rejected,
            &args.input,
            &["rejected.csv", "rejected.xlsx"],
        ),
        duplicates: or_beside(&args.duplicates, &args.input, &["duplicates.xlsx"]),
    };
    let mut screen = BatchScreen::new(lang);
    let summary = batch::check(&options, &mut screen)?;
    if summary.exit_code() == 0 {
        say!(
            "{}: {} {}",
            lang.text(Msg::ListValid),
            summary.rows,
            lang.text(Msg::Rows)
        );
    }
    Ok(summary.exit_code())
}

fn run_batch(lang: Lang, args: &BatchArgs) -> Result<u8, PersonalizerError> {
    if args.check {
        return run_check(lang, args);
    }
    let missing = |option: &'static str| {
        PersonalizerError::Usage(Usage::Needs {
            command: "batch",
            option,
        })
    };
    let job = args.job.clone().ok_or_else(|| missing("--job"))?;
    let server = ServerArgs {
        server: args.server.clone().ok_or_else(|| missing("--server"))?,
        token_file: args
            .token_file
            .clone()
            .ok_or_else(|| missing("--token-file"))?,
        ca_file: args.ca_file.clone(),
    };
    let options = BatchOptions {
        input: args.input.clone(),
        job: job.clone(),
        resume: args.resume,
        admin_code: admin(&args.admin_code)?,
        print_dir: args.print_dir.clone(),
        sheet: args.sheet.clone(),
        results: args
            .results
            .clone()
            .unwrap_or_else(|| job.with_extension("results.csv")),
        card_timeout: args.card_timeout,
        lang,
        skip_invalid: args.skip_invalid,
        retry_rejected: args.retry_rejected,
        accept_duplicates: args.accept_duplicates.clone(),
        rejected: or_beside(&args.rejected, &job, &["rejected.csv", "rejected.xlsx"]),
        duplicates: or_beside(&args.duplicates, &job, &["duplicates.xlsx"]),
    };
    let mut screen = BatchScreen::new(lang);
    let summary = batch::run(
        &server.connect()?,
        &mut PcscReader::new(args.reader.as_deref()),
        &options,
        &mut screen,
    )?;
    say!(
        "{}: {} {}, {} {}, {} {}; {} {} ({:.1} s)",
        lang.text(if summary.stopped {
            Msg::BatchStopped
        } else {
            Msg::BatchFinished
        }),
        summary.done,
        lang.text(Msg::BatchCardsIssued),
        summary.failed,
        lang.text(Msg::BatchRowsFailed),
        summary.rejected,
        lang.text(Msg::BatchRowsRejected),
        lang.text(Msg::BatchResultsIn),
        options.results.display(),
        summary.elapsed.as_secs_f64()
    );
    if summary.stopped || summary.failed > 0 {
        if summary.left > 0 {
            say!("{} {}", summary.left, lang.text(Msg::BatchRowsLeft));
        }
        say!(
            "{} asxh-personalizer batch --server {} --token-file {} --input {} --job {} --resume",
            lang.text(Msg::ToGoOn),
            server.server,
            server.token_file.display(),
            options.input.display(),
            job.display()
        );
    }
    Ok(summary.exit_code())
}

fn run(cli: Cli) -> Result<u8, PersonalizerError> {
    let lang = cli.lang;
    match cli.command {
        Command::Readers => {
            let readers = list_readers()?;
            if readers.is_empty() {
                say!("{}", lang.text(Msg::NoReaderFound));
            }
            for r in readers {
                say!(
                    "{}\t{}",
                    r.name,
                    if r.card_present {
                        lang.text(Msg::ReaderHasCard)
                    } else {
                        lang.text(Msg::ReaderEmpty)
                    }
                );
            }
            Ok(0)
        }
        Command::Inspect { card } => {
            say_raw!("{}", with_card(&card, |c| flow::inspect(c, lang))?);
            Ok(0)
        }
        Command::Issue {
            server,
            card,
            ssn,
            name,
            dob,
            sex,
            area,
            entitlements,
            recipient,
            pin_prompt,
            replaces,
            reason,
            print,
        } => {
            let raw = RawRequest {
                ssn,
                full_name: name,
                date_of_birth: dob,
                sex,
                area_code: area,
                entitlements,
                recipient,
                replaces: replaces.zip(reason),
            };
            let request = CardRequest::parse(&raw, Date::today(), lang)
                .map_err(PersonalizerError::Invalid)?;
            let server = server.connect()?;
            let trust = server.trust_list()?;
            let office = Office {
                server: &server,
                trust: &trust,
                admin_code: admin(&card.admin_code)?,
            };
            let pin = if pin_prompt {
                Some(read_pin(lang)?)
            } else {
                None
            };
            let done = with_card(&card, |c| {
                flow::personalize(c, &office, &request, pin.as_ref(), &mut NoCheckpoints)
            })?;
            say!(
                "{} {} — {} ({} APDUs, {} bytes)",
                lang.text(Msg::CardIssued),
                done.issued.serial,
                request.holder().name(),
                done.commands,
                done.bytes
            );
            if let Some(out) = print {
                Face::from_credential_hex(
                    &done.issued.credential_hex,
                    &done.issued.qr_text,
                    &face::office_name(&trust, &done.issued.issuer_key_id_hex),
                )?
                .named_by(&server)
                .save(&out)?;
                say!("{} {}", lang.text(Msg::CardFace), out.display());
            }
            Ok(0)
        }
        Command::Batch(args) => run_batch(lang, &args),
        Command::Print {
            credential,
            qr,
            card_files,
            serials,
            server,
            token_file,
            ca_file,
            office_name: office,
            sheet,
            out,
        } => {
            let mut faces = Vec::new();
            let no_office = || PersonalizerError::Usage(Usage::OfficeName);
            if let Some(hex) = credential {
                let office = office.as_deref().ok_or_else(no_office)?;
                faces.push(Face::from_credential_hex(
                    &hex,
                    qr.as_deref().unwrap_or_default(),
                    office,
                )?);
            }
            for path in &card_files {
                let card = CardFile::read(path)?;
                let office = office
                    .as_deref()
                    .or(card.office_name.as_deref())
                    .ok_or_else(no_office)?;
                faces.push(Face::from_credential_hex(
                    &card.credential_hex,
                    &card.qr_text,
                    office,
                )?);
            }
            if !serials.is_empty() {
                let server = ServerArgs {
                    server: server.unwrap_or_default(),
                    token_file: token_file.unwrap_or_default(),
                    ca_file,
                }
                .connect()?;
                let trust = server.trust_list()?;
                for serial in &serials {
                    faces.push(face::from_server(
                        &server,
                        &trust,
                        serial,
                        office.as_deref(),
                    )?);
                }
            }
            match faces.as_slice() {
                [] => {
                    return Err(PersonalizerError::Usage(Usage::OneOf {
                        ways: &[
                            "--credential HEX --qr TEXT",
                            "--card-file F",
                            "--serial S --server URL --token-file F",
                        ],
                    }))
                }
                _ if sheet => {
                    face::save_sheet(&faces, &out)?;
                    print_sheet_line(lang, &out, faces.len());
                }
                [face] => {
                    face.save(&out)?;
                    say!("{} {}", lang.text(Msg::CardFace), out.display());
                }
                _ => {
                    return Err(PersonalizerError::Usage(Usage::SeveralCards {
                        count: faces.len(),
                    }))
                }
            }
            Ok(0)
        }
    }
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let (cli, _) = asxh_text::cli::parse::<Cli>();
    let lang = cli.lang;
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("{} {}", lang.text(Msg::ErrorPrefix), e.text(lang));
            ExitCode::from(e.exit_code())
        }
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn every_command_and_option_has_its_help_in_vietnamese() {
        asxh_text::cli::check(&super::Cli::command()).unwrap();
    }
}
