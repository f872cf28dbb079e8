//! asxh-personalizer: the issuing office's command line — list readers, inspect a card, issue
//! one card, issue a whole list in a batch job that survives crashes, and print card faces.
//! Exit codes: 0 done, 2 usage, 3 invalid data (nothing was touched), 4 card not blank,
//! 5 the written card did not verify, 6 the server refused, 7 job file or output error,
//! 8 a batch finished with failed rows, 40 card or reader error, 41 server unreachable.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use asxh_core::card::{
    list_readers, AdminCode, CardClient, PcscReader, PcscTransport, Pin, Transport,
};
use asxh_core::Date;
use asxh_personalizer::batch::{self, BatchOptions, BatchUi, RowProblem};
use asxh_personalizer::face::{self, CardFile, Face};
use asxh_personalizer::flow::{self, NoCheckpoints, Office, Personalized};
use asxh_personalizer::request::{CardRequest, RawRequest};
use asxh_personalizer::server::Server;
use asxh_personalizer::PersonalizerError;
use asxh_text::{Lang, Msg};
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
            PersonalizerError::Usage(format!(
                "cannot read the token file {}: {e}",
                self.token_file.display()
            ))
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
    #[command(flatten)]
    server: ServerArgs,
    #[arg(long)]
    input: PathBuf,
    #[arg(long)]
    job: PathBuf,
    #[arg(long)]
    resume: bool,
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
        /// YYYY, YYYY-MM or YYYY-MM-DD.
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
    AdminCode::parse(code).map_err(|e| PersonalizerError::Usage(format!("--admin-code: {e}")))
}

fn read_pin(lang: Lang) -> Result<Pin, PersonalizerError> {
    eprint!("{}", lang.text(Msg::HolderPinPrompt));
    let mut line = String::new();
    std::io::stdin()
        .read_line(&mut line)
        .map_err(|e| PersonalizerError::Usage(format!("cannot read the PIN: {e}")))?;
    Pin::parse(line.trim()).map_err(|e| PersonalizerError::Usage(e.to_string()))
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
            PersonalizerError::Usage(format!("emulated card {}: {e}", path.display()))
        })?;
        return f(&mut CardClient::new(Box::new(InProcessTransport::new(app))));
    }
    let transport = PcscTransport::connect(card.reader.as_deref(), Duration::from_secs(30))?;
    f(&mut CardClient::new(Box::new(transport)))
}

/// What the clerk sees of a batch: the rows' results on standard output, prompts above a
/// progress bar.
struct BatchScreen {
    lang: Lang,
    bar: indicatif::ProgressBar,
}

impl BatchUi for BatchScreen {
    fn list_refused(&mut self, problems: &[RowProblem]) {
        eprintln!("{}", self.lang.text(Msg::ListRefused));
        for p in problems {
            eprintln!(
                "  {} {}: {}",
                self.lang.text(Msg::LineWord),
                p.line,
                p.problem
            );
        }
    }

    fn recovered(&mut self, note: &str) {
        eprintln!("{note}");
    }

    fn started(&mut self, rows: usize, done: usize) {
        self.bar = indicatif::ProgressBar::new(rows as u64);
        self.bar.set_position(done as u64);
    }

    fn insert_card(&mut self, line: u64, holder: &str) {
        self.bar.println(format!(
            "{} {} ({holder}) — {}",
            self.lang.text(Msg::LineHeading),
            line,
            self.lang.text(Msg::InsertBlankCard)
        ));
    }

    fn not_blank(&mut self, error: &PersonalizerError) {
        self.bar
            .println(format!("{error} — {}", self.lang.text(Msg::RemoveThisCard)));
    }

    fn row_done(&mut self, line: u64, done: &Personalized) {
        println!(
            "line {}: done {} ({} APDUs)",
            line, done.issued.serial, done.commands
        );
        self.bar.inc(1);
    }

    fn row_failed(&mut self, line: u64, error: &PersonalizerError) {
        println!("line {line}: failed: {error}");
        self.bar.inc(1);
    }

    fn remove_card(&mut self) {
        self.bar.println(self.lang.text(Msg::RemoveCard));
    }

    fn finished(&mut self) {
        self.bar.finish_and_clear();
    }

    fn sheet_written(&mut self, path: &Path, cards: usize) {
        print_sheet_line(self.lang, path, cards);
    }
}

/// Says where the A4 sheets of `cards` faces were written.
fn print_sheet_line(lang: Lang, path: &Path, cards: usize) {
    println!(
        "{} {} ({cards} {})",
        lang.text(Msg::CardSheet),
        path.display(),
        lang.text(Msg::Cards)
    );
}

fn run_batch(lang: Lang, args: &BatchArgs) -> Result<u8, PersonalizerError> {
    let server = args.server.connect()?;
    let options = BatchOptions {
        input: args.input.clone(),
        job: args.job.clone(),
        resume: args.resume,
        admin_code: admin(&args.admin_code)?,
        print_dir: args.print_dir.clone(),
        sheet: args.sheet.clone(),
        results: args
            .results
            .clone()
            .unwrap_or_else(|| args.job.with_extension("results.csv")),
        card_timeout: args.card_timeout,
    };
    let mut screen = BatchScreen {
        lang,
        bar: indicatif::ProgressBar::hidden(),
    };
    let summary = batch::run(
        &server,
        &mut PcscReader::new(args.reader.as_deref()),
        &options,
        &mut screen,
    )?;
    println!(
        "{}: {} {} , {} {}; {} {} ({:.1} s)",
        lang.text(Msg::BatchFinished),
        summary.done,
        lang.text(Msg::BatchCardsIssued),
        summary.failed,
        lang.text(Msg::BatchRowsFailed),
        lang.text(Msg::BatchResultsIn),
        options.results.display(),
        summary.elapsed.as_secs_f64()
    );
    Ok(summary.exit_code())
}

fn run(cli: Cli) -> Result<u8, PersonalizerError> {
    let lang = cli.lang;
    match cli.command {
        Command::Readers => {
            let readers = list_readers()?;
            if readers.is_empty() {
                println!("{}", lang.text(Msg::NoReaderFound));
            }
            for r in readers {
                println!(
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
            print!("{}", with_card(&card, flow::inspect)?);
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
            let request =
                CardRequest::parse(&raw, Date::today()).map_err(PersonalizerError::Invalid)?;
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
            println!(
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
                .save(&out)?;
                println!("{} {}", lang.text(Msg::CardFace), out.display());
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
            let no_office = || {
                PersonalizerError::Usage(
                    "the face shows the issuing office (Nơi cấp): give --office-name".into(),
                )
            };
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
                    return Err(PersonalizerError::Usage(
                        "give --credential HEX --qr TEXT, --card-file F or --serial S --server URL --token-file F"
                            .into(),
                    ))
                }
                _ if sheet => {
                    face::save_sheet(&faces, &out)?;
                    print_sheet_line(lang, &out, faces.len());
                }
                [face] => {
                    face.save(&out)?;
                    println!("{} {}", lang.text(Msg::CardFace), out.display());
                }
                _ => {
                    return Err(PersonalizerError::Usage(format!(
                        "{} cards: several cards are printed on A4 sheets, add --sheet",
                        faces.len()
                    )))
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
    let cli = Cli::parse();
    let lang = cli.lang;
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            match (&e, lang) {
                (PersonalizerError::Certificate(problem), Lang::En) => {
                    eprintln!("error: {}", problem.english())
                }
                _ => eprintln!("error: {e}"),
            }
            ExitCode::from(e.exit_code())
        }
    }
}
