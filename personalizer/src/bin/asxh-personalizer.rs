//! asxh-personalizer: the issuing office's command line — list readers, inspect a card, issue
//! one card, issue a whole list in a batch job that survives crashes, and print card faces.
//! Exit codes: 0 done, 2 usage, 3 invalid data (nothing was touched), 4 card not blank,
//! 5 the written card did not verify, 6 the server refused, 7 job file or output error,
//! 8 a batch finished with failed rows, 40 card or reader error, 41 server unreachable.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use asxh_card::{CardApp, FileStorage};
use asxh_core::card::{
    list_readers, AdminCode, CardClient, InProcessTransport, PcscTransport, Pin, Transport,
};
use asxh_core::{Date, SignedCredential};
use asxh_personalizer::batch::{self, Job, RowCheckpoints, RowState};
use asxh_personalizer::face::{self, CardFile, Face};
use asxh_personalizer::flow::{self, NoCheckpoints, Office, Personalized};
use asxh_personalizer::request::{CardRequest, RawRequest};
use asxh_personalizer::server::Server;
use asxh_personalizer::PersonalizerError;
use clap::{Args, Parser, Subcommand, ValueEnum};

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

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Lang {
    Vi,
    En,
}

/// Picks the clerk's language.
fn say(lang: Lang, vi: &str, en: &str) -> String {
    if lang == Lang::Vi { vi } else { en }.to_owned()
}

#[derive(Args)]
struct ServerArgs {
    #[arg(long)]
    server: String,
    /// File holding the office account's bearer token.
    #[arg(long)]
    token_file: PathBuf,
}

impl ServerArgs {
    fn connect(&self) -> Result<Server, PersonalizerError> {
        let token = std::fs::read_to_string(&self.token_file).map_err(|e| {
            PersonalizerError::Usage(format!(
                "cannot read the token file {}: {e}",
                self.token_file.display()
            ))
        })?;
        Ok(Server::new(&self.server, token.trim()))
    }
}

#[derive(Args)]
struct CardArgs {
    /// PC/SC reader name (or part of it); default: the first reader.
    #[arg(long, conflicts_with = "emulator")]
    reader: Option<String>,
    /// An emulated card whose state is in this file (created blank if missing).
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
    eprint!(
        "{}",
        say(
            lang,
            "Người hưởng nhập mã PIN (4–8 chữ số): ",
            "Holder's PIN (4 to 8 digits): "
        )
    );
    let mut line = String::new();
    std::io::stdin()
        .read_line(&mut line)
        .map_err(|e| PersonalizerError::Usage(format!("cannot read the PIN: {e}")))?;
    Pin::parse(line.trim()).map_err(|e| PersonalizerError::Usage(e.to_string()))
}

/// Runs `f` on the chosen card.
fn with_card<R>(
    card: &CardArgs,
    f: impl FnOnce(&mut dyn FnMutClient) -> Result<R, PersonalizerError>,
) -> Result<R, PersonalizerError> {
    match &card.emulator {
        Some(path) => {
            let app = CardApp::open(FileStorage::new(path)).map_err(|e| {
                PersonalizerError::Usage(format!("emulated card {}: {e}", path.display()))
            })?;
            let mut client = CardClient::new(InProcessTransport::new(app));
            f(&mut client)
        }
        None => {
            let mut client = CardClient::new(PcscTransport::connect(
                card.reader.as_deref(),
                Duration::from_secs(30),
            )?);
            f(&mut client)
        }
    }
}

/// A card client behind either transport.
trait FnMutClient {
    fn personalize(
        &mut self,
        office: &Office<'_>,
        request: &CardRequest,
        pin: Option<&Pin>,
    ) -> Result<Personalized, PersonalizerError>;
    fn inspect(&mut self) -> Result<String, PersonalizerError>;
}

impl<T: Transport> FnMutClient for CardClient<T> {
    fn personalize(
        &mut self,
        office: &Office<'_>,
        request: &CardRequest,
        pin: Option<&Pin>,
    ) -> Result<Personalized, PersonalizerError> {
        flow::personalize(self, office, request, pin, &mut NoCheckpoints)
    }

    fn inspect(&mut self) -> Result<String, PersonalizerError> {
        let info = self.select()?;
        let mut out = format!("life cycle: {}\n", info.life_cycle.name());
        if let Some(s) = info.serial {
            out += &format!("serial: {s}\n");
        }
        out += &format!(
            "holder PIN: {:?}; key: {}; credential: {}\n",
            info.holder_pin, info.has_key, info.has_credential
        );
        if info.has_credential {
            let bytes = self.read_credential()?;
            match SignedCredential::parse(&bytes).and_then(|c| c.unverified_body()) {
                Ok(body) => {
                    out += &format!(
                    "holder: {} ({}), expires {} (signature not checked here: use asxh-verifier)\n",
                    body.holder.name(),
                    body.holder.ssn(),
                    body.expires
                )
                }
                Err(e) => out += &format!("credential does not parse: {e}\n"),
            }
        }
        Ok(out)
    }
}

fn office_name(trust: &asxh_core::lists::TrustList, key_id_hex: &str) -> String {
    trust
        .issuers
        .iter()
        .find(|e| e.key_id.to_hex() == key_id_hex)
        .map(|e| e.office_name.clone())
        .unwrap_or_else(|| key_id_hex.to_owned())
}

/// The face of a card the server holds, "Nơi cấp" from `office` or else the trust list.
fn face_from_server(
    server: &Server,
    trust: &asxh_core::lists::TrustList,
    serial: &str,
    office: Option<&str>,
) -> Result<Face, PersonalizerError> {
    let card = server.card(serial)?;
    let cred = card["credential_hex"].as_str().unwrap_or_default();
    let key_id = SignedCredential::parse(&hex::decode(cred).unwrap_or_default())
        .and_then(|c| c.issuer_key_id())
        .map(|k| k.to_hex())
        .unwrap_or_default();
    let office = office.map_or_else(|| office_name(trust, &key_id), str::to_owned);
    Face::from_credential_hex(cred, card["qr_text"].as_str().unwrap_or_default(), &office)
}

/// Writes the A4 sheets of `faces` and says where.
fn print_sheet(lang: Lang, faces: &[Face], path: &Path) -> Result<(), PersonalizerError> {
    face::save_sheet(faces, path)?;
    println!(
        "{} {} ({} {})",
        say(lang, "Tờ in mặt thẻ:", "Card sheet:"),
        path.display(),
        faces.len(),
        say(lang, "thẻ", "cards")
    );
    Ok(())
}

fn run_batch(lang: Lang, args: &BatchArgs) -> Result<u8, PersonalizerError> {
    let server = &args.server.connect()?;
    let (input, job_path, reader, print_dir, card_timeout) = (
        args.input.as_path(),
        args.job.as_path(),
        args.reader.as_deref(),
        args.print_dir.as_deref(),
        args.card_timeout,
    );
    let results = &args
        .results
        .clone()
        .unwrap_or_else(|| args.job.with_extension("results.csv"));
    let rows = match batch::read_list(input, Date::today()) {
        Ok(rows) => rows,
        Err(problems) => {
            eprintln!(
                "{}",
                say(
                    lang,
                    "Danh sách có lỗi; chưa thẻ nào được ghi:",
                    "The list has errors; no card was touched:"
                )
            );
            for p in &problems {
                eprintln!("  {} {}: {}", say(lang, "dòng", "line"), p.line, p.problem);
            }
            return Err(PersonalizerError::InvalidInput(format!(
                "{} problems in {}",
                problems.len(),
                input.display()
            )));
        }
    };
    let job = Job::open(job_path, input, &rows, args.resume)?;
    for note in job.recover(server)? {
        eprintln!("{note}");
    }
    if let Some(dir) = print_dir {
        std::fs::create_dir_all(dir)
            .map_err(|e| PersonalizerError::Io(format!("{}: {e}", dir.display())))?;
    }
    let trust = server.trust_list()?;
    let office = Office {
        server,
        trust: &trust,
        admin_code: admin(&args.admin_code)?,
    };
    let mut faces_now = std::collections::HashMap::new();
    let todo: Vec<_> = job
        .rows()?
        .into_iter()
        .filter(|r| r.state == RowState::Todo)
        .collect();
    let bar = indicatif::ProgressBar::new(rows.len() as u64);
    bar.set_position((rows.len() - todo.len()) as u64);
    let started = Instant::now();
    for jr in todo {
        let row = rows
            .iter()
            .find(|r| r.line == jr.line)
            .expect("job rows come from the list");
        let name = row.request.holder().name().as_str().to_owned();
        loop {
            bar.println(format!(
                "{} {} ({name}) — {}",
                say(lang, "Dòng", "Line"),
                jr.line,
                say(lang, "mời đưa thẻ trắng vào đầu đọc", "insert a blank card")
            ));
            PcscTransport::wait_for_insertion(reader, card_timeout)?;
            job.set(jr.line, RowState::Issuing, None, None)?;
            let outcome = PcscTransport::connect(reader, Duration::from_secs(10))
                .map_err(PersonalizerError::from)
                .and_then(|t| {
                    let mut client = CardClient::new(t);
                    flow::personalize(
                        &mut client,
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
                    if print_dir.is_some() || args.sheet.is_some() {
                        let issuer = office_name(&trust, &done.issued.issuer_key_id_hex);
                        let face = Face::from_credential_hex(
                            &done.issued.credential_hex,
                            &done.issued.qr_text,
                            &issuer,
                        )?;
                        if let Some(dir) = print_dir {
                            let stem = format!("line-{}-{}", jr.line, done.issued.serial);
                            face.save(&dir.join(format!("{stem}.png")))?;
                            CardFile {
                                credential_hex: done.issued.credential_hex.clone(),
                                qr_text: done.issued.qr_text.clone(),
                                office_name: Some(issuer),
                            }
                            .write(&dir.join(format!("{stem}.json")))?;
                        }
                        faces_now.insert(done.issued.serial.clone(), face);
                    }
                    println!(
                        "line {}: done {} ({} APDUs)",
                        jr.line, done.issued.serial, done.commands
                    );
                    bar.inc(1);
                    break;
                }
                Err(e @ PersonalizerError::CardNotBlank { .. }) => {
                    job.set(jr.line, RowState::Todo, None, None)?;
                    bar.println(format!(
                        "{e} — {}",
                        say(lang, "rút thẻ này ra", "remove this card")
                    ));
                }
                Err(e) => {
                    // A lost answer may have left a PENDING card: decide now (resume does too).
                    let _ = batch::void_pending(server, &jr.ssn);
                    job.set(jr.line, RowState::Failed, None, Some(&e.to_string()))?;
                    println!("line {}: failed: {e}", jr.line);
                    bar.inc(1);
                    let _ = PcscTransport::wait_for_removal(reader, card_timeout);
                    break;
                }
            }
            let _ = PcscTransport::wait_for_removal(reader, card_timeout);
        }
        bar.println(say(lang, "Rút thẻ ra.", "Remove the card."));
        let _ = PcscTransport::wait_for_removal(reader, card_timeout);
    }
    bar.finish_and_clear();
    job.write_results(results)?;
    let all = job.rows()?;
    if let Some(path) = &args.sheet {
        let faces = all
            .iter()
            .filter(|r| r.state == RowState::Done)
            .filter_map(|r| r.serial.as_deref())
            .map(|serial| match faces_now.remove(serial) {
                Some(face) => Ok(face),
                None => face_from_server(server, &trust, serial, None),
            })
            .collect::<Result<Vec<_>, _>>()?;
        if !faces.is_empty() {
            print_sheet(lang, &faces, path)?;
        }
    }
    let failed = all.iter().filter(|r| r.state == RowState::Failed).count();
    let done = all.iter().filter(|r| r.state == RowState::Done).count();
    println!(
        "{}: {done} {} , {failed} {}; {} {} ({:.1} s)",
        say(lang, "Xong", "Finished"),
        say(lang, "thẻ đã cấp", "cards issued"),
        say(
            lang,
            "dòng lỗi (chạy lại với --resume)",
            "rows failed (run again with --resume)"
        ),
        say(lang, "kết quả", "results in"),
        results.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(if failed > 0 { 8 } else { 0 })
}

fn run(cli: Cli) -> Result<u8, PersonalizerError> {
    let lang = cli.lang;
    match cli.command {
        Command::Readers => {
            let readers = list_readers()?;
            if readers.is_empty() {
                println!(
                    "{}",
                    say(
                        lang,
                        "Không thấy đầu đọc thẻ nào (kiểm tra dây cắm và dịch vụ pcscd).",
                        "No card reader found (check the cable and that pcscd runs)."
                    )
                );
            }
            for r in readers {
                println!(
                    "{}\t{}",
                    r.name,
                    if r.card_present {
                        say(lang, "có thẻ", "card present")
                    } else {
                        say(lang, "trống", "empty")
                    }
                );
            }
            Ok(0)
        }
        Command::Inspect { card } => {
            print!("{}", with_card(&card, |c| c.inspect())?);
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
            let done = with_card(&card, |c| c.personalize(&office, &request, pin.as_ref()))?;
            println!(
                "{} {} — {} ({} APDUs, {} bytes)",
                say(lang, "Đã cấp thẻ", "Card issued"),
                done.issued.serial,
                request.holder().name(),
                done.commands,
                done.bytes
            );
            if let Some(out) = print {
                Face::from_credential_hex(
                    &done.issued.credential_hex,
                    &done.issued.qr_text,
                    &office_name(&trust, &done.issued.issuer_key_id_hex),
                )?
                .save(&out)?;
                println!("{} {}", say(lang, "Mặt thẻ:", "Card face:"), out.display());
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
                }
                .connect()?;
                let trust = server.trust_list()?;
                for serial in &serials {
                    faces.push(face_from_server(
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
                _ if sheet => print_sheet(lang, &faces, &out)?,
                [face] => {
                    face.save(&out)?;
                    println!("{} {}", say(lang, "Mặt thẻ:", "Card face:"), out.display());
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
    match run(Cli::parse()) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(e.exit_code())
        }
    }
}
