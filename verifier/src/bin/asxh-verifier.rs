//! asxh-verifier: the payment clerk's tool — pin the root, sync the lists (and upload the
//! receipts), verify a card (PC/SC reader, or an emulated card with the `emulator` feature) or a
//! QR (text, scanner line, photo), pay at the counter on a receipt the card signs, watch a reader
//! all day, and read the journal and the day's payments. Exit codes: 0 valid, 10 valid QR only,
//! 11 valid on revocation data older than --max-list-age, 12 valid QR only on such data,
//! 20 revoked, 21 expired or not yet valid, 22 untrusted issuer, 23 bad signature or tampered,
//! 24 clone suspected, 25 card blocked, terminated or not issued, 26 nothing payable today
//! (every entitlement outside its dates), 30 revocation data too old, 40 reader or card error,
//! 43 not a card QR, 2 usage, 3 local storage, 41 server unreachable, 42 the server sent
//! something that does not verify; `pay`: 50 already paid (by this point, or marked paid on the
//! roll), 51 the lines asked for are not payable (not on the roll, not due, no roll held),
//! 52 the collector may not take them (not the roll's recipient, authorisation ended, a QR of
//! another person), 53 the card did not sign the receipt (pulled out, an error, a signature that
//! does not verify): nothing paid, nothing stored; `sync`: 54 the server refused the point's key
//! or its upload; `counter`: 55 --listen is not a loopback address, 56 it cannot be listened on.

use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use asxh_core::card::{PcscReader, Pin};
use asxh_core::entitlement::IdNumber;
use asxh_text::usage::Usage;
use asxh_text::{say, say_raw, Catalogued, Lang, Msg};
use asxh_verdict::Policy;
use asxh_verdict::Verdict;
use asxh_verifier::pay::{
    self, CollectorChoice, FallbackEvidence, LineChoice, PayOutcome, PayRequest,
};
use asxh_verifier::render;
use asxh_verifier::store::{ReceiptRow, Snapshot, Store};
use asxh_verifier::till::Till;
use asxh_verifier::watch::{watch, WatchOptions, WatchUi};
use asxh_verifier::{journal, scan, sync, VerifierError};
use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Parser)]
#[command(
    version,
    about = "Verify electronic social security cards and their QR codes at a payment point"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// Who takes the money.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum CollectorKind {
    /// The beneficiary.
    Holder,
    /// The guardian or authorised person the roll names (with --id-number).
    Recipient,
}

/// Why the point signs the receipt itself.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FallbackArg {
    /// The chip does not answer: the card's QR (--qr-text or --qr-image) and an identity
    /// document were checked.
    #[value(name = "chip_unreadable", alias = "chip-unreadable")]
    ChipUnreadable,
    /// No card: an identity document and the roll were checked.
    #[value(name = "card_not_presented", alias = "card-not-presented")]
    CardNotPresented,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum StalePolicy {
    /// Verify, with the amber outcome (exit 11, 12) saying the data is old.
    Warn,
    /// Refuse to verify (exit 30) until synced.
    Refuse,
}

/// How results are shown and judged.
#[derive(Args)]
struct Output {
    #[arg(long)]
    data: PathBuf,
    /// Print the verdict as JSON (a stable schema) instead of the clerk's screen.
    #[arg(long)]
    json: bool,
    #[arg(long, value_enum, default_value = "vi")]
    lang: Lang,
    /// Oldest revocation data accepted (e.g. 7d, 12h).
    #[arg(long, default_value = "7d", value_parser = humantime::parse_duration)]
    max_list_age: Duration,
    /// What to do when the revocation data is older than --max-list-age.
    #[arg(long, value_enum, default_value = "warn")]
    stale_policy: StalePolicy,
    /// Keep the holder's name and SSN in the journal (off: only serial and outcome).
    #[arg(long)]
    journal_holder: bool,
}

impl Output {
    fn policy(&self) -> Policy {
        Policy {
            max_list_age: self.max_list_age,
            refuse_stale: self.stale_policy == StalePolicy::Refuse,
        }
    }
}

/// Where the card is.
#[derive(Args)]
struct CardSource {
    /// PC/SC reader name (or part of it); default: the first reader with a card.
    #[cfg_attr(feature = "emulator", arg(long, conflicts_with = "emulator"))]
    #[cfg_attr(not(feature = "emulator"), arg(long))]
    reader: Option<String>,
    /// Use an emulated card whose state is in this file (the reference card application; built
    /// with the `emulator` feature only).
    #[cfg(feature = "emulator")]
    #[arg(long)]
    emulator: Option<PathBuf>,
    /// Ask for the holder's PIN (read from standard input) and verify it on the card first.
    #[arg(long)]
    pin_prompt: bool,
}

#[derive(Subcommand)]
enum Command {
    /// Create the data directory and pin the root key fingerprint.
    Init {
        #[arg(long)]
        data: PathBuf,
        #[arg(long)]
        server: String,
        /// SHA-256 fingerprint of the root key, as `asxh-server init` printed it.
        #[arg(long)]
        root_fingerprint: String,
        /// The payment point's code, on every receipt it makes: 2 to 16 of A-Z 0-9 - _.
        #[arg(long, default_value = "POINT-1")]
        point_id: String,
        /// The province's CA certificate (PEM) for an https:// server, trusted besides the
        /// operating system's certificate store.
        #[arg(long)]
        ca_file: Option<PathBuf>,
        /// The commune (or larger area) this point pays in: `sync` fetches its payment roll.
        #[arg(long)]
        area: Option<String>,
        /// The payment-point account's token (a file holding it): receipts are uploaded with it.
        #[arg(long)]
        token_file: Option<PathBuf>,
        /// Language of the messages.
        #[arg(long, value_enum, default_value = "vi")]
        lang: Lang,
    },
    /// Fetch the trust list, revocation updates and the area's payment roll; verify them
    /// against the pinned root; upload the receipts waiting (with the point's token).
    Sync {
        #[arg(long)]
        data: PathBuf,
        /// Upload with the payment-point token in this file from now on.
        #[arg(long)]
        token_file: Option<PathBuf>,
        #[arg(long)]
        json: bool,
        /// Trust this CA certificate (PEM) for the server from now on.
        #[arg(long)]
        ca_file: Option<PathBuf>,
        /// Pay in this area from now on (its payment roll is fetched).
        #[arg(long)]
        area: Option<String>,
        /// Language of the messages.
        #[arg(long, value_enum, default_value = "vi")]
        lang: Lang,
    },
    /// Verify the card in a reader (or an emulated card).
    Card {
        #[command(flatten)]
        output: Output,
        #[command(flatten)]
        source: CardSource,
    },
    /// Verify every card inserted into a reader, all day; sync in the background.
    Watch {
        #[command(flatten)]
        output: Output,
        #[arg(long)]
        reader: Option<String>,
        /// How often to sync while watching (e.g. 50s, 5m); 0 to never. The default keeps a line
        /// paid at another point, or a card revoked, refused here within a minute.
        #[arg(long, default_value = "50s", value_parser = humantime::parse_duration)]
        sync_every: Duration,
        /// Stop after this many cards (for tests and scripted runs).
        #[arg(long, hide = true)]
        count: Option<u64>,
        /// After a verdict with lines due, ask on the terminal whether to pay them to the holder
        /// (answer c or k on standard input) and pay as `pay` does.
        #[arg(long)]
        pay: bool,
    },
    /// The counter screen: a page on this computer (loopback only) that follows the reader,
    /// shows the verdict and the lines due, pays with the card signing, and prints the receipt.
    Counter {
        #[command(flatten)]
        output: Output,
        #[arg(long)]
        reader: Option<String>,
        /// The page's address: 127.0.0.1 or ::1 only.
        #[arg(long, default_value = "127.0.0.1:8765")]
        listen: std::net::SocketAddr,
        /// How often to sync while serving (e.g. 50s, 5m); 0 to never. The default keeps a line
        /// paid at another point, or a card revoked, refused here within a minute.
        #[arg(long, default_value = "50s", value_parser = humantime::parse_duration)]
        sync_every: Duration,
    },
    /// Verify a QR code: text, a scanner's lines on standard input (`-`), or an image.
    Qr {
        #[command(flatten)]
        output: Output,
        #[arg(long, conflicts_with_all = ["image", "stdin"])]
        text: Option<String>,
        #[arg(long, conflicts_with = "stdin")]
        image: Option<PathBuf>,
        /// `-`: read one QR text per line from standard input (a keyboard-wedge scanner).
        #[arg(value_name = "-")]
        stdin: Option<String>,
    },
    /// Pay the beneficiary of the card (or, with --fallback, of --ssn): the card signs the
    /// receipt, which is stored before the amount to hand over is shown.
    Pay {
        #[command(flatten)]
        output: Output,
        #[command(flatten)]
        source: CardSource,
        /// `all` (every line payable now) or the line numbers shown, e.g. `1,3`.
        #[arg(long, default_value = "all")]
        lines: String,
        #[arg(long, value_enum, default_value = "holder")]
        collector: CollectorKind,
        /// The identity number (12 digits) of the recipient, as on their identity document.
        #[arg(long)]
        id_number: Option<String>,
        /// Pay without the card signing; the receipt is signed by this point's key.
        #[arg(long, value_enum, requires = "ssn")]
        fallback: Option<FallbackArg>,
        /// The beneficiary's personal identification number (with --fallback).
        #[arg(long, requires = "fallback")]
        ssn: Option<String>,
        /// The card's QR text (with --fallback chip-unreadable).
        #[arg(long, conflicts_with = "qr_image")]
        qr_text: Option<String>,
        /// A photo or scan of the card's QR (with --fallback chip-unreadable).
        #[arg(long)]
        qr_image: Option<PathBuf>,
    },
    /// The day's payments (bảng kê chi trả): receipt numbers, beneficiaries, lines, totals and
    /// upload state.
    Receipts {
        #[arg(long)]
        data: PathBuf,
        /// The day (dd/mm/yyyy or YYYY-MM-DD, Vietnam time); default today.
        #[arg(long, alias = "day")]
        date: Option<String>,
        /// Write the list to this CSV file (UTF-8 with a byte order mark, for Excel).
        #[arg(long, conflicts_with = "pdf")]
        export: Option<PathBuf>,
        /// Write the list to print, an A4 PDF with the totals and the signature blocks, to this
        /// file.
        #[arg(long)]
        pdf: Option<PathBuf>,
        #[arg(long)]
        json: bool,
        /// Language of the messages.
        #[arg(long, value_enum, default_value = "vi")]
        lang: Lang,
    },
    /// Show or export the journal of verifications.
    Journal {
        #[arg(long)]
        data: PathBuf,
        /// Write the journal to this CSV file.
        #[arg(long)]
        export: Option<PathBuf>,
        #[arg(long)]
        json: bool,
        /// Language of the messages.
        #[arg(long, value_enum, default_value = "vi")]
        lang: Lang,
    },
}

fn show(out: &Output, v: &Verdict) {
    if out.json {
        say!("{}", serde_json::to_string(v).expect("verdict serializes"));
    } else {
        say_raw!("{}", render::human(v, out.lang));
        say!();
    }
    let _ = std::io::stdout().flush();
}

fn read_pin() -> Result<Pin, VerifierError> {
    eprint!("{}: ", Msg::EnterPin.both());
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).map_err(|e| {
        VerifierError::Usage(Usage::PinUnreadable {
            detail: e.to_string(),
        })
    })?;
    Pin::parse(line.trim()).map_err(|e| VerifierError::Usage(Usage::Pin(e.into_problem())))
}

fn parse_area(text: &str) -> Result<asxh_core::AreaCode, VerifierError> {
    asxh_core::AreaCode::parse(text).map_err(|e| {
        VerifierError::Usage(Usage::Value {
            option: "--area",
            problem: e.into_problem(),
        })
    })
}

/// Verifies one card and records it.
fn verify_card(
    store: &Store,
    snapshot: &Snapshot,
    out: &Output,
    source: &CardSource,
) -> Result<Verdict, VerifierError> {
    let pin = if source.pin_prompt {
        Some(read_pin()?)
    } else {
        None
    };
    let checker = snapshot.checker(out.policy());
    #[cfg(feature = "emulator")]
    if let Some(path) = &source.emulator {
        let verdict = emulated_card(&checker, path, pin.as_ref());
        record(store, out, &verdict)?;
        return Ok(verdict);
    }
    let verdict = checker.card_in(&mut PcscReader::new(source.reader.as_deref()), pin.as_ref());
    record(store, out, &verdict)?;
    Ok(verdict)
}

/// Verifies the reference card application whose state is in the file `path`, in process.
#[cfg(feature = "emulator")]
fn emulated_card(
    checker: &asxh_verdict::Checker<'_>,
    path: &std::path::Path,
    pin: Option<&Pin>,
) -> Verdict {
    use asxh_card::{CardApp, FileStorage};
    use asxh_core::card::{CardClient, InProcessTransport};
    match CardApp::open(FileStorage::new(path)) {
        Ok(app) => checker.card(&mut CardClient::new(InProcessTransport::new(app)), pin),
        Err(e) => checker.card_failure(
            asxh_verdict::Outcome::ReaderError,
            asxh_verdict::Finding::EmulatorUnopenable {
                path: path.display().to_string(),
                detail: e.to_string(),
            },
        ),
    }
}

/// Keeps the verdict in the point's journal.
fn record(store: &Store, out: &Output, verdict: &Verdict) -> Result<(), VerifierError> {
    journal(
        store,
        &store.config()?.point_id,
        verdict,
        out.journal_holder,
    )
}

fn verify_qr_text(
    store: &Store,
    snapshot: &Snapshot,
    out: &Output,
    text: &str,
) -> Result<Verdict, VerifierError> {
    let verdict = snapshot.checker(out.policy()).qr(text);
    record(store, out, &verdict)?;
    Ok(verdict)
}

/// The clerk's screen of `watch`: prompts on standard error, verdicts on standard output; with
/// `--pay`, the question whether to pay the holder's lines due, answered on standard input.
struct Counter<'a> {
    out: &'a Output,
    pay: bool,
}

impl Counter<'_> {
    /// Asks whether to pay the lines of `verdict` payable now and pays them to the holder.
    fn offer(&self, verdict: &Verdict, till: &mut Till<'_>) -> Result<(), VerifierError> {
        let lang = self.out.lang;
        let due: Vec<_> = till
            .lines(verdict)?
            .into_iter()
            .filter(|l| l.payable())
            .collect();
        if due.is_empty() {
            return Ok(());
        }
        let total: u64 = due.iter().map(|l| l.line.line.amount_vnd).sum();
        eprint!(
            "{} ",
            asxh_text::message::fill(
                lang.text(Msg::WatchPayAsk),
                &[
                    ("count", lang.count(due.len() as u64)),
                    ("total", lang.money(total)),
                ],
            )
        );
        let mut answer = String::new();
        let read = std::io::stdin().lock().read_line(&mut answer);
        if !matches!(read, Ok(n) if n > 0) || !yes(&answer) {
            eprintln!("{}", lang.text(Msg::WatchPayDeclined));
            return Ok(());
        }
        let numbers = due.iter().map(|l| l.number).collect();
        let outcome = till.pay(LineChoice::Numbers(numbers), CollectorChoice::Holder, lang)?;
        tell(self.out, till.store, outcome);
        Ok(())
    }
}

/// `c` (có) or `y` (yes), in either case.
fn yes(answer: &str) -> bool {
    matches!(
        answer.trim().to_lowercase().as_str(),
        "c" | "có" | "y" | "yes"
    )
}

impl WatchUi for Counter<'_> {
    fn waiting_for_card(&mut self) {
        eprintln!("{}", Msg::WaitingForCard.both());
    }
    fn verdict(&mut self, verdict: &Verdict, till: &mut Till<'_>) {
        show(self.out, verdict);
        if self.pay {
            if let Err(e) = self.offer(verdict, till) {
                eprintln!(
                    "{} {}",
                    self.out.lang.text(Msg::ErrorPrefix),
                    e.text(self.out.lang)
                );
            }
        }
    }
    fn remove_card(&mut self) {
        eprintln!("{}", Msg::TakeCardOut.both());
    }
}

impl Command {
    /// The language the command's messages are written in.
    fn lang(&self) -> Lang {
        match self {
            Command::Init { lang, .. }
            | Command::Sync { lang, .. }
            | Command::Receipts { lang, .. }
            | Command::Journal { lang, .. } => *lang,
            Command::Card { output, .. }
            | Command::Pay { output, .. }
            | Command::Watch { output, .. }
            | Command::Counter { output, .. }
            | Command::Qr { output, .. } => output.lang,
        }
    }
}

fn run(cli: Cli) -> Result<u8, VerifierError> {
    match cli.command {
        Command::Init {
            data,
            server,
            root_fingerprint,
            point_id,
            ca_file,
            area,
            token_file,
            lang,
        } => {
            // The point's code goes on every receipt (SPEC.md §18.1): refused here, not at the
            // first payment.
            let point = asxh_core::lists::OfficeCode::parse(&point_id).map_err(|e| {
                VerifierError::Usage(Usage::Value {
                    option: "--point-id",
                    problem: e.into_problem(),
                })
            })?;
            let store = Store::init(&data, &server, &root_fingerprint, point.as_str())?;
            if let Some(ca) = ca_file {
                store.set_ca_file(&ca)?;
            }
            if let Some(area) = area {
                store.set_area(&parse_area(&area)?)?;
            }
            if let Some(path) = token_file {
                store.set_token_file(&path)?;
                say!("{}", lang.text(Msg::TokenStored));
            }
            say!(
                "{}",
                asxh_text::message::fill(
                    lang.text(Msg::VerifierInitialised),
                    &[
                        ("dir", data.display().to_string()),
                        ("server", server),
                        ("fingerprint", root_fingerprint),
                    ],
                )
            );
            Ok(0)
        }
        Command::Sync {
            data,
            token_file,
            json,
            ca_file,
            area,
            lang,
        } => {
            let mut store = Store::open(&data)?;
            if let Some(path) = token_file {
                store.set_token_file(&path)?;
            }
            if let Some(ca) = ca_file {
                store.set_ca_file(&ca)?;
            }
            if let Some(area) = area {
                store.set_area(&parse_area(&area)?)?;
            }
            let report = sync::sync(&mut store)?;
            if json {
                say!(
                    "{}",
                    serde_json::to_string(&report).expect("report serializes")
                );
            } else {
                say!("{}", report.text(lang));
            }
            for w in &report.warnings {
                eprintln!("{} {}", lang.text(Msg::Note), w.text(lang));
            }
            Ok(0)
        }
        Command::Card { output, source } => {
            let store = Store::open(&output.data)?;
            let snapshot = store.snapshot()?;
            let verdict = verify_card(&store, &snapshot, &output, &source)?;
            show(&output, &verdict);
            Ok(verdict.exit_code)
        }
        Command::Watch {
            output,
            reader,
            sync_every,
            count,
            pay,
        } => watch(
            &output.data,
            &mut PcscReader::new(reader.as_deref()),
            &WatchOptions {
                policy: output.policy(),
                journal_holder: output.journal_holder,
                sync_every,
                count,
            },
            &mut Counter { out: &output, pay },
        ),
        Command::Counter {
            output,
            reader,
            listen,
            sync_every,
        } => asxh_verifier::counter::serve(
            &output.data,
            &mut PcscReader::new(reader.as_deref()),
            listen,
            output.lang,
            &WatchOptions {
                policy: output.policy(),
                journal_holder: output.journal_holder,
                sync_every,
                count: None,
            },
        ),
        Command::Qr {
            output,
            text,
            image,
            stdin,
        } => {
            let store = Store::open(&output.data)?;
            let snapshot = store.snapshot()?;
            let texts: Vec<String> = match (text, image, stdin.as_deref()) {
                (Some(t), None, None) => vec![t],
                (None, Some(path), None) => vec![scan::qr_text_from_image(&path)?],
                (None, None, Some("-")) => std::io::stdin()
                    .lock()
                    .lines()
                    .map_while(Result::ok)
                    .filter(|l| !l.trim().is_empty())
                    .collect(),
                _ => {
                    return Err(VerifierError::Usage(Usage::OneOf {
                        ways: &["--text TEXT", "--image FILE", "-"],
                    }))
                }
            };
            let mut code = 2;
            for t in texts {
                let verdict = verify_qr_text(&store, &snapshot, &output, &t)?;
                show(&output, &verdict);
                code = verdict.exit_code;
            }
            Ok(code)
        }
        Command::Pay {
            output,
            source,
            lines,
            collector,
            id_number,
            fallback,
            ssn,
            qr_text,
            qr_image,
        } => pay(
            &output,
            &source,
            PayArgs {
                lines,
                collector,
                id_number,
                fallback,
                ssn,
                qr_text,
                qr_image,
            },
        ),
        Command::Receipts {
            data,
            date,
            export,
            pdf,
            json,
            lang,
        } => match pdf {
            Some(path) => receipts_pdf(&data, date.as_deref(), &path, lang),
            None => receipts(&data, date.as_deref(), export.as_deref(), json, lang),
        },
        Command::Journal {
            data,
            export,
            json,
            lang,
        } => {
            let store = Store::open(&data)?;
            if let Some(path) = export {
                let n = store.export_journal(&path)?;
                say!(
                    "{}",
                    asxh_text::message::fill(
                        lang.text(Msg::JournalExported),
                        &[
                            ("count", lang.count(n as u64)),
                            ("path", path.display().to_string()),
                        ],
                    )
                );
            } else {
                for row in store.journal()? {
                    if json {
                        say!("{}", serde_json::to_string(&row).expect("row serializes"));
                    } else {
                        say!(
                            "{}  {}  {:<5} {:<14} {:<34} {}",
                            asxh_text::local_time(row.at),
                            row.point_id,
                            lang.text(if row.medium == "qr" {
                                Msg::JournalQr
                            } else {
                                Msg::JournalCard
                            }),
                            row.serial.as_deref().unwrap_or("-"),
                            render::journal_outcome(&row.outcome, lang),
                            row.holder.as_deref().unwrap_or("")
                        );
                    }
                }
            }
            Ok(0)
        }
    }
}

/// What `pay` was asked besides where the card is.
struct PayArgs {
    lines: String,
    collector: CollectorKind,
    id_number: Option<String>,
    fallback: Option<FallbackArg>,
    ssn: Option<String>,
    qr_text: Option<String>,
    qr_image: Option<PathBuf>,
}

fn pay(out: &Output, source: &CardSource, args: PayArgs) -> Result<u8, VerifierError> {
    let lines = LineChoice::parse(&args.lines)?;
    let collector = match (args.collector, args.id_number) {
        (CollectorKind::Holder, _) => CollectorChoice::Holder,
        (CollectorKind::Recipient, Some(id)) => {
            CollectorChoice::Recipient(IdNumber::parse(&id).map_err(|e| {
                VerifierError::Usage(Usage::Value {
                    option: "--id-number",
                    problem: e.into_problem(),
                })
            })?)
        }
        (CollectorKind::Recipient, None) => {
            return Err(VerifierError::Usage(Usage::Needs {
                command: "pay --collector recipient",
                option: "--id-number",
            }))
        }
    };
    let request = PayRequest {
        lines,
        collector,
        journal_holder: out.journal_holder,
    };
    let mut store = Store::open(&out.data)?;
    let snapshot = store.snapshot()?;
    let outcome = match args.fallback {
        Some(reason) => {
            let ssn_text = args.ssn.unwrap_or_default();
            let ssn = asxh_core::Ssn::parse(&ssn_text).map_err(|e| {
                VerifierError::Usage(Usage::Value {
                    option: "--ssn",
                    problem: e.into_problem(),
                })
            })?;
            let evidence = match reason {
                FallbackArg::CardNotPresented => FallbackEvidence::CardNotPresented,
                FallbackArg::ChipUnreadable => FallbackEvidence::ChipUnreadable {
                    qr_text: match (args.qr_text, args.qr_image) {
                        (Some(t), _) => t,
                        (None, Some(path)) => scan::qr_text_from_image(&path)?,
                        (None, None) => {
                            return Err(VerifierError::Usage(Usage::OneOf {
                                ways: &["--qr-text TEXT", "--qr-image FILE"],
                            }))
                        }
                    },
                },
            };
            pay::pay_fallback(
                &mut store,
                &snapshot,
                out.policy(),
                ssn,
                &evidence,
                &request,
                out.lang,
            )?
        }
        None => pay_card(&mut store, &snapshot, out, source, &request)?,
    };
    Ok(tell(out, &mut store, outcome))
}

/// Shows what a payment came to and, once paid, uploads the receipt at once when online; the
/// exit code.
fn tell(out: &Output, store: &mut Store, outcome: PayOutcome) -> u8 {
    match outcome {
        PayOutcome::NotVerified(verdict) => {
            show(out, &verdict);
            eprintln!("{}", out.lang.text(Msg::PayNotVerified));
            verdict.exit_code
        }
        PayOutcome::Paid { verdict, payment } => {
            if out.json {
                say!(
                    "{}",
                    serde_json::json!({ "verdict": verdict, "payment": payment })
                );
            } else {
                if let Some(v) = &verdict {
                    say_raw!("{}", render::human(v, out.lang));
                    say!();
                }
                say!("{}", payment.text(out.lang));
            }
            let _ = std::io::stdout().flush();
            // The money may be handed over now; the upload is a courtesy to the other points.
            match asxh_verifier::sync::upload_now(store) {
                Ok(report) if report.recorded + report.flagged + report.refused > 0 => {
                    eprintln!("{}", report.text(out.lang));
                }
                Ok(_) => {}
                Err(e) => eprintln!(
                    "{}",
                    asxh_text::message::fill(
                        out.lang.text(Msg::PayUploadLater),
                        &[("detail", e.text(out.lang))],
                    )
                ),
            }
            0
        }
    }
}

/// Pays with the card in the reader (or the emulated card), in one session.
fn pay_card(
    store: &mut Store,
    snapshot: &Snapshot,
    out: &Output,
    source: &CardSource,
    request: &PayRequest,
) -> Result<PayOutcome, VerifierError> {
    let pin = if source.pin_prompt {
        Some(read_pin()?)
    } else {
        None
    };
    #[cfg(feature = "emulator")]
    if let Some(path) = &source.emulator {
        use asxh_card::{CardApp, FileStorage};
        use asxh_core::card::{CardClient, InProcessTransport};
        return match CardApp::open(FileStorage::new(path)) {
            Ok(app) => pay::pay_card(
                store,
                snapshot,
                out.policy(),
                &mut CardClient::new(InProcessTransport::new(app)),
                pin.as_ref(),
                request,
                out.lang,
            ),
            Err(e) => {
                let verdict = snapshot.checker(out.policy()).card_failure(
                    asxh_verdict::Outcome::ReaderError,
                    asxh_verdict::Finding::EmulatorUnopenable {
                        path: path.display().to_string(),
                        detail: e.to_string(),
                    },
                );
                record(store, out, &verdict)?;
                Ok(PayOutcome::NotVerified(Box::new(verdict)))
            }
        };
    }
    asxh_verifier::till::pay_in_reader(
        store,
        snapshot,
        out.policy(),
        &mut PcscReader::new(source.reader.as_deref()),
        pin.as_ref(),
        request,
        out.lang,
    )
}

/// The unix times a day (`dd/mm/yyyy` or `YYYY-MM-DD`, Vietnam time; today without one)
/// starts and ends.
fn day_bounds(day: Option<&str>) -> Result<(i64, i64, String), VerifierError> {
    use asxh_core::date::VIETNAM;
    let date = match day {
        None => time::OffsetDateTime::now_utc().to_offset(VIETNAM).date(),
        Some(text) => {
            let d = asxh_core::Date::parse_human("--date", text).map_err(|e| {
                VerifierError::Usage(Usage::Value {
                    option: "--date",
                    problem: e.into_problem(),
                })
            })?;
            time::Date::from_calendar_date(
                d.year(),
                time::Month::try_from(d.month()).expect("a parsed date's month"),
                d.day(),
            )
            .expect("a parsed date")
        }
    };
    let start = date.midnight().assume_offset(VIETNAM).unix_timestamp();
    let iso = format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    );
    Ok((start, start + 86_400, iso))
}

fn upload_state(row: &ReceiptRow, lang: Lang) -> String {
    match row.outcome.as_deref() {
        None => lang.text(Msg::ReceiptPending).to_owned(),
        Some("recorded" | "already_recorded") => lang.text(Msg::ReceiptRecorded).to_owned(),
        Some("flagged") => lang.text(Msg::ReceiptFlagged).to_owned(),
        Some(_) => {
            let code = row
                .outcome_detail
                .as_ref()
                .and_then(|d| d["code"].as_str())
                .unwrap_or("");
            format!("{} ({code})", lang.text(Msg::ReceiptRefused))
        }
    }
}

/// Writes the day's list to print as a PDF at `path`.
fn receipts_pdf(
    data: &std::path::Path,
    day: Option<&str>,
    path: &std::path::Path,
    lang: Lang,
) -> Result<u8, VerifierError> {
    let store = Store::open(data)?;
    let (from, to, iso) = day_bounds(day)?;
    let rows = store.receipts(from, to)?;
    let config = store.config()?;
    let area = store.snapshot()?.area.map(|a| a.to_string());
    let printed = asxh_verifier::daylist::pdf(
        &asxh_verifier::daylist::DayList {
            day: &iso,
            point: &config.point_id,
            area: area.as_deref(),
            printed_at: time::OffsetDateTime::now_utc().unix_timestamp(),
            rows: &rows,
        },
        lang,
    )?;
    std::fs::write(path, &printed.bytes)
        .map_err(|e| VerifierError::Storage(format!("cannot write {}: {e}", path.display())))?;
    say!(
        "{}",
        asxh_text::message::fill(
            lang.text(Msg::ReceiptsPdfWritten),
            &[
                ("count", lang.count(rows.len() as u64)),
                ("pages", printed.pages.to_string()),
                ("path", path.display().to_string()),
            ],
        )
    );
    Ok(0)
}

fn receipts(
    data: &std::path::Path,
    day: Option<&str>,
    export: Option<&std::path::Path>,
    json: bool,
    lang: Lang,
) -> Result<u8, VerifierError> {
    let store = Store::open(data)?;
    let (from, to, iso) = day_bounds(day)?;
    let rows = store.receipts(from, to)?;
    if let Some(path) = export {
        let n = store.export_receipts(path, &rows)?;
        say!(
            "{}",
            asxh_text::message::fill(
                lang.text(Msg::ReceiptsExported),
                &[
                    ("count", lang.count(n as u64)),
                    ("path", path.display().to_string()),
                ],
            )
        );
        return Ok(0);
    }
    if json {
        for row in &rows {
            say!("{}", serde_json::to_string(row).expect("row serializes"));
        }
        return Ok(0);
    }
    say!(
        "{}",
        asxh_text::message::fill(
            lang.text(Msg::ReceiptsHeading),
            &[
                ("day", asxh_text::format::date(&iso)),
                ("point", {
                    let id = store.config()?.point_id;
                    asxh_core::lists::OfficeCode::parse(&id)
                        .map(|c| c.as_str().to_owned())
                        .unwrap_or(id)
                }),
            ],
        )
    );
    for row in &rows {
        let collector = match row.collector.as_str() {
            "guardian" => Msg::PayCollectorGuardian,
            "authorised" => Msg::PayCollectorAuthorised,
            _ => Msg::PayCollectorHolder,
        };
        say!(
            "{}  {}  {}  {}  {}  {}  [{}]",
            asxh_text::local_time(row.paid_at),
            row.number,
            row.ssn,
            row.holder.as_deref().unwrap_or("-"),
            lang.text(collector),
            lang.money(row.total_vnd),
            upload_state(row, lang)
        );
        for l in &row.lines {
            say!(
                "    {}",
                asxh_text::message::fill(
                    lang.text(Msg::PayLine),
                    &[
                        ("number", l.number.to_string()),
                        ("what", render::paid_line(l, lang)),
                        ("amount", lang.money(l.amount_vnd)),
                    ],
                )
            );
        }
    }
    say!(
        "{}",
        asxh_text::message::fill(
            lang.text(Msg::ReceiptsTotal),
            &[
                ("count", lang.count(rows.len() as u64)),
                ("total", lang.money(rows.iter().map(|r| r.total_vnd).sum())),
            ],
        )
    );
    Ok(0)
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let (cli, _) = asxh_text::cli::parse::<Cli>();
    let lang = cli.command.lang();
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
