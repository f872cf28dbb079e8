//! asxh-server: the command line of the issuing server — initialise a data directory, add
//! offices and accounts, import the list of administrative units, keep the register of
//! entitlement decisions, serve the HTTP API, revoke cards, verify the audit chain, back up and
//! restore, print the API's OpenAPI document.

use std::io::Write;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use asxh_core::lists::Month;
use asxh_core::lists::{IssuerStatus, OfficeCode, RevocationReason};
use asxh_core::signature;
use asxh_core::{AreaCode, CardSerial, Ssn};
use asxh_server::auth::{self, Role};
use asxh_server::payments::{transfers, unpaid};
use asxh_server::policy::{act, authorize, Principal};
use asxh_server::publication::{ListOptions, Timing};
use asxh_server::register::{self, requests};
use asxh_server::registry::{self, RevocationTarget};
use asxh_server::store::create_secret_file;
use asxh_server::throttle::Rate;
use asxh_server::{api, areas, audit, rolls, serve, ServerError, Store};
use asxh_text::{say, say_raw, Lang, Msg};
use clap::{Args, Parser, Subcommand};

#[derive(Parser)]
#[command(
    version,
    about = "Issuing server of the electronic social security card"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// How the signed lists are published (SPEC.md §15.2).
#[derive(Args)]
struct ListArgs {
    /// Re-sign the revocation list when its newest publication is this old.
    #[arg(long, default_value = "15m", value_parser = humantime::parse_duration)]
    revocation_list_refresh: Duration,
    /// How long a revocation list promises (its next_update after signing).
    #[arg(long, default_value = "1h", value_parser = humantime::parse_duration)]
    revocation_list_validity: Duration,
    /// Re-sign the trust list when its newest publication is this old.
    #[arg(long, default_value = "6h", value_parser = humantime::parse_duration)]
    trust_list_refresh: Duration,
    /// How long a trust list promises.
    #[arg(long, default_value = "24h", value_parser = humantime::parse_duration)]
    trust_list_validity: Duration,
    /// The longest an HTTP cache in front may keep a list (Cache-Control max-age; never past
    /// the list's next_update). A revocation reaches a polling verifier within this plus its
    /// poll interval.
    #[arg(long, default_value = "30s", value_parser = humantime::parse_duration)]
    list_max_age: Duration,
    /// MiB of revocation-list deltas kept built (the oldest dropped first); the trust list and
    /// the full revocation list are always kept.
    #[arg(long, default_value_t = 32)]
    delta_cache_mib: usize,
}

impl ListArgs {
    fn options(&self) -> ListOptions {
        ListOptions {
            trust_list: Timing {
                refresh: self.trust_list_refresh,
                validity: self.trust_list_validity,
            },
            revocation_list: Timing {
                refresh: self.revocation_list_refresh,
                validity: self.revocation_list_validity,
            },
            max_age: self.list_max_age,
            delta_cache_bytes: self.delta_cache_mib << 20,
        }
    }
}

#[derive(Subcommand)]
enum Command {
    /// Create the database, the root key and the revocation-list key; print the root fingerprint.
    Init {
        #[arg(long)]
        data: PathBuf,
    },
    /// Issuing offices.
    Office {
        #[command(subcommand)]
        command: OfficeCommand,
    },
    /// Accounts and their bearer tokens.
    Account {
        #[command(subcommand)]
        command: AccountCommand,
    },
    /// Serve the HTTP API.
    Serve {
        #[arg(long)]
        data: PathBuf,
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: SocketAddr,
        /// The server's certificate chain (PEM: its certificate, then any intermediates).
        #[arg(long, requires = "tls_key")]
        tls_cert: Option<PathBuf>,
        /// The certificate's private key (PEM).
        #[arg(long, requires = "tls_cert")]
        tls_key: Option<PathBuf>,
        /// Time a client has to send a request header, from connecting or from the header's
        /// first byte.
        #[arg(long, default_value = "15s", value_parser = humantime::parse_duration)]
        header_timeout: Duration,
        /// Time a client has to send a request body once its header arrived (else 408).
        #[arg(long, default_value = "30s", value_parser = humantime::parse_duration)]
        body_timeout: Duration,
        /// A kept-alive connection without a request is closed after this.
        #[arg(long, default_value = "60s", value_parser = humantime::parse_duration)]
        idle_timeout: Duration,
        /// Most connections open at once (lowered to fit the process's open-file limit); when
        /// full, the connection waiting longest without a request is closed for the new one.
        #[arg(long, default_value_t = 2048)]
        max_connections: usize,
        /// A reverse proxy (nginx) in front of the server, repeatable: from it, the client's
        /// address is the last one it added to X-Forwarded-For (for log-in throttling).
        #[arg(long = "trusted-proxy")]
        trusted_proxies: Vec<std::net::IpAddr>,
        /// Failed console log-ins one client address may make in an hour (at most 10 at once).
        #[arg(long, default_value_t = 60)]
        login_failures_per_hour: u32,
        /// Console log-ins of one account in an hour (at most 10 at once; each is audited).
        #[arg(long, default_value_t = 30)]
        logins_per_hour: u32,
        #[command(flatten)]
        lists: ListArgs,
    },
    /// Revoke a card, or every live card of an SSN (same effect as POST /v1/revocations).
    Revoke {
        #[arg(long)]
        data: PathBuf,
        #[arg(long, conflicts_with = "ssn", required_unless_present = "ssn")]
        serial: Option<String>,
        #[arg(long)]
        ssn: Option<String>,
        /// lost, stolen, damaged, deceased, error or replaced.
        #[arg(long)]
        reason: String,
    },
    /// The audit log.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Online backup of the database (consistent while the server runs).
    Backup {
        #[arg(long)]
        data: PathBuf,
        #[arg(long)]
        to: PathBuf,
    },
    /// Replace the database with a backup (the server must be stopped); the key files stay, and
    /// both lists are published at once at versions above anything published before.
    Restore {
        #[arg(long)]
        data: PathBuf,
        /// A file written by `asxh-server backup`.
        #[arg(long)]
        from: PathBuf,
        #[command(flatten)]
        lists: ListArgs,
    },
    /// The catalogue of administrative units (the provinces ship with the server).
    Areas {
        #[command(subcommand)]
        command: AreasCommand,
    },
    /// The register of entitlement decisions: beneficiaries, households, decisions and their
    /// changes, base levels (the same effects as the API's `/v1/beneficiaries`, `/v1/households`,
    /// `/v1/entitlements` and `/v1/base-levels`).
    Register {
        /// The data directory (before or after the subcommand).
        #[arg(long, global = true)]
        data: Option<PathBuf>,
        #[command(subcommand)]
        command: RegisterCommand,
    },
    /// The monthly payment roll of an area (SPEC.md §17.3): draft, list drafts, approve.
    Roll {
        #[command(subcommand)]
        command: RollCommand,
    },
    /// The transfer list (danh sách chuyển khoản) of an area's month and the bank's results
    /// (the same effects as the API's `/v1/transfers`).
    Transfers {
        #[command(subcommand)]
        command: TransfersCommand,
    },
    /// The beneficiaries who collected nothing for three published months, and their
    /// suspension (the API's `/v1/uncollected`).
    Uncollected {
        #[command(subcommand)]
        command: UncollectedCommand,
    },
    /// Print the OpenAPI 3 document of the HTTP API (as served at /v1/openapi.json).
    Openapi,
}

#[derive(Subcommand)]
enum TransfersCommand {
    /// The published rolls' lines paid into an account, as JSON; with --out, the list as a
    /// CSV (with a BOM) or XLSX file for the bank (by the file's extension).
    List {
        #[arg(long)]
        data: PathBuf,
        #[arg(long)]
        area: String,
        /// `YYYY-MM`.
        #[arg(long)]
        month: String,
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Record the bank's result file (CSV or XLSX: reference, result ok/failed, bank_txn,
    /// reason); a file with a broken row records nothing.
    Results {
        #[arg(long)]
        data: PathBuf,
        file: PathBuf,
    },
}

#[derive(Subcommand)]
enum UncollectedCommand {
    /// The beneficiaries of the area who collected nothing in the month and the two before.
    List {
        #[arg(long)]
        data: PathBuf,
        #[arg(long)]
        area: String,
        #[arg(long)]
        month: String,
    },
    /// Suspend (tạm dừng) their active entitlements from today: not collected for three months.
    Suspend {
        #[arg(long)]
        data: PathBuf,
        #[arg(long)]
        area: String,
        #[arg(long)]
        month: String,
    },
}

#[derive(Subcommand)]
enum RegisterCommand {
    /// Register a beneficiary, or change their name or commune of residence.
    Beneficiary {
        #[arg(long)]
        ssn: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        area: String,
    },
    /// Register a household (mã hộ) in a commune, with its members.
    Household {
        #[arg(long)]
        code: String,
        #[arg(long)]
        area: String,
        /// A member's SSN (registered as a beneficiary), repeatable.
        #[arg(long = "member")]
        members: Vec<String>,
    },
    /// Record an entitlement decision for a beneficiary (--ssn) or a household (--household).
    Decide(Box<DecideArgs>),
    /// Suspend an entitlement (tạm dừng) from a day: not_collected, under_review or other.
    Suspend(StatusArgs),
    /// Resume a suspended entitlement from a day.
    Resume(StatusArgs),
    /// Stop an entitlement (thôi hưởng) on a day: deceased, moved_away or not_eligible.
    Stop(StatusArgs),
    /// Change who may collect an entitlement: the recipient given, or none (--none).
    Recipient {
        #[arg(long)]
        id: i64,
        #[command(flatten)]
        recipient: RecipientArgs,
        /// No recipient: the holder collects.
        #[arg(long, conflicts_with = "recipient_role")]
        none: bool,
    },
    /// How an entitlement is paid: into an account (`set`) or at the counter again (`clear`).
    Account {
        #[command(subcommand)]
        command: AccountMethodCommand,
    },
    /// Set a program's base level from a month: national, or a province's own (--province).
    BaseLevel {
        #[arg(long)]
        program: String,
        #[arg(long)]
        province: Option<String>,
        /// YYYY-MM.
        #[arg(long)]
        from: String,
        #[arg(long)]
        amount_vnd: u64,
        /// The decree that sets it, such as 76/2024/NĐ-CP.
        #[arg(long)]
        decree: String,
    },
    /// List the base levels.
    BaseLevels,
    /// A beneficiary with every entitlement and its history, as JSON.
    Show {
        #[arg(long)]
        ssn: String,
    },
}

/// `register account`.
#[derive(Subcommand)]
enum AccountMethodCommand {
    /// Pay the entitlement into a bank account or e-wallet.
    Set {
        #[arg(long)]
        id: i64,
        /// bank or ewallet.
        #[arg(long)]
        kind: String,
        /// The bank's or e-wallet's name.
        #[arg(long)]
        provider: String,
        /// 6 to 20 digits.
        #[arg(long)]
        account_no: String,
        #[arg(long)]
        holder_name: String,
        /// Whose account: holder (the beneficiary's own) or recipient.
        #[arg(long, default_value = "holder")]
        owner: String,
    },
    /// Pay the entitlement at the counter again.
    Clear {
        #[arg(long)]
        id: i64,
    },
}

/// `register decide`.
#[derive(Args)]
struct DecideArgs {
    #[arg(
        long,
        conflicts_with = "household",
        required_unless_present = "household"
    )]
    ssn: Option<String>,
    #[arg(long)]
    household: Option<String>,
    #[arg(long)]
    program: String,
    #[arg(long)]
    category: String,
    /// Hundredths of the base level (1.5 is 150).
    #[arg(
        long,
        conflicts_with = "fixed_vnd",
        required_unless_present = "fixed_vnd"
    )]
    coefficient: Option<u32>,
    #[arg(long)]
    fixed_vnd: Option<u64>,
    /// The decision number (số quyết định).
    #[arg(long)]
    decision_no: String,
    /// YYYY-MM-DD.
    #[arg(long)]
    decision_date: String,
    /// YYYY-MM.
    #[arg(long)]
    paid_from: String,
    /// YYYY-MM.
    #[arg(long)]
    paid_until: Option<String>,
    /// The last month already paid by the system the register replaces (YYYY-MM): no
    /// arrears for it or before.
    #[arg(long)]
    settled_until: Option<String>,
    #[command(flatten)]
    recipient: RecipientArgs,
}

/// The recipient of `register decide` and `register recipient`.
#[derive(Args)]
struct RecipientArgs {
    /// guardian or authorised.
    #[arg(long, requires_all = ["recipient_name", "recipient_id", "recipient_document", "recipient_from"])]
    recipient_role: Option<String>,
    #[arg(long)]
    recipient_name: Option<String>,
    /// 12 digits.
    #[arg(long)]
    recipient_id: Option<String>,
    #[arg(long)]
    recipient_document: Option<String>,
    /// YYYY-MM-DD.
    #[arg(long)]
    recipient_from: Option<String>,
    /// YYYY-MM-DD.
    #[arg(long)]
    recipient_until: Option<String>,
}

impl RecipientArgs {
    fn wire(self) -> Option<asxh_api::RecipientJson> {
        Some(asxh_api::RecipientJson {
            role: self.recipient_role?,
            name: self.recipient_name.unwrap_or_default(),
            id_number: self.recipient_id.unwrap_or_default(),
            document: self.recipient_document.unwrap_or_default(),
            valid_from: self.recipient_from.unwrap_or_default(),
            valid_until: self.recipient_until,
        })
    }
}

/// `register suspend`, `resume` and `stop`.
#[derive(Args)]
struct StatusArgs {
    #[arg(long)]
    id: i64,
    /// The day it takes effect, YYYY-MM-DD.
    #[arg(long)]
    on: String,
    #[arg(long)]
    reason: Option<String>,
    /// A note kept in the entitlement's history.
    #[arg(long)]
    note: Option<String>,
}

#[derive(Subcommand)]
enum RollCommand {
    /// Draft the roll of an area for a month from the register (what each beneficiary residing
    /// there is due that month); prints the draft with its check summary. A draft that only
    /// reduces what the published roll pays is published at once.
    Draft {
        #[arg(long)]
        data: PathBuf,
        #[arg(long)]
        area: String,
        /// `YYYY-MM`.
        #[arg(long)]
        month: String,
    },
    /// The drafts of an area's month, newest first, with their check summaries (JSON).
    Drafts {
        #[arg(long)]
        data: PathBuf,
        #[arg(long)]
        area: String,
        #[arg(long)]
        month: String,
    },
    /// Approve a draft, which publishes it.
    Approve {
        #[arg(long)]
        data: PathBuf,
        #[arg(long)]
        draft: i64,
    },
}

/// Reads a roll's entries from the JSON file `path`.
fn print_json(value: &impl serde::Serialize) {
    say!(
        "{}",
        serde_json::to_string_pretty(value).expect("the answer serializes")
    );
}

#[derive(Subcommand)]
enum AreasCommand {
    /// Import the official list of administrative units (XLSX or CSV with the columns Mã tỉnh,
    /// Mã xã, Tên xã, and Cấp, Mã quận huyện, Hiệu lực từ, Hiệu lực đến, Mã xã mới when it has
    /// them); a file with a bad row imports nothing.
    Import {
        #[arg(long)]
        data: PathBuf,
        file: PathBuf,
    },
}

#[derive(Subcommand)]
enum OfficeCommand {
    /// Create an issuing office and its issuer key, and add it to the trust list.
    Add {
        #[arg(long)]
        data: PathBuf,
        #[arg(long)]
        code: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        area: String,
    },
    /// List the offices and every issuer key each has had (status and validity).
    List {
        #[arg(long)]
        data: PathBuf,
    },
    /// Give an office a new issuer key; its old key is retired (its cards stay valid).
    RotateKey {
        #[arg(long)]
        data: PathBuf,
        #[arg(long)]
        code: String,
    },
    /// Retire an issuer key: it signs no new cards, the cards it signed stay valid.
    RetireKey {
        #[arg(long)]
        data: PathBuf,
        /// 16 hex digits, as `office list` shows.
        #[arg(long)]
        key_id: String,
    },
    /// Revoke a compromised issuer key: verifiers trust none of the cards it signed.
    RevokeKey {
        #[arg(long)]
        data: PathBuf,
        /// 16 hex digits, as `office list` shows.
        #[arg(long)]
        key_id: String,
    },
}

/// `account add`.
#[derive(Args)]
struct AddAccount {
    #[arg(long)]
    data: PathBuf,
    /// admin, office, data-entry (a commune's data entry), auditor (read-only oversight) or
    /// payment-point.
    #[arg(long)]
    role: String,
    #[arg(long)]
    office: Option<String>,
    #[arg(long)]
    area: Option<String>,
    /// Write the token to this new file (mode 0600; an existing file is never overwritten)
    /// instead of printing it.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Who or what the account is for (shown by `account list` and the console), such as
    /// "Chị Lan, quầy 2": at most 100 bytes, no control or invisible characters.
    #[arg(long)]
    label: Option<String>,
}

#[derive(Subcommand)]
enum AccountCommand {
    /// Create an account; prints its bearer token once (or writes it to --out).
    Add(AddAccount),
    /// List every account: id, role, office, area, status and label (never a token).
    List {
        #[arg(long)]
        data: PathBuf,
    },
    /// Revoke an account: its token stops working.
    Revoke {
        #[arg(long)]
        data: PathBuf,
        #[arg(long)]
        id: i64,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Recompute the hash chain; fail naming the first altered or missing row.
    Verify {
        #[arg(long)]
        data: PathBuf,
    },
}

/// Why a command failed: the server's error, or the token file of `account add --out`.
enum Failure {
    Server(ServerError),
    TokenFile(String, std::io::ErrorKind),
}

impl From<ServerError> for Failure {
    fn from(e: ServerError) -> Self {
        Failure::Server(e)
    }
}

impl From<asxh_core::FormatError> for Failure {
    fn from(e: asxh_core::FormatError) -> Self {
        Failure::Server(e.into())
    }
}

fn token_file(lang: Lang, path: &Path, e: std::io::Error) -> Failure {
    let what = if e.kind() == std::io::ErrorKind::AlreadyExists {
        lang.text(Msg::ServerTokenFileExists).to_owned()
    } else {
        asxh_text::os_error::in_lang(&e.to_string(), lang).into_owned()
    };
    Failure::TokenFile(
        text(
            lang,
            Msg::ServerTokenFileFailed,
            &[("path", path.display().to_string()), ("detail", what)],
        ),
        e.kind(),
    )
}

/// The catalogue's text of `msg` in `lang`, its placeholders filled.
fn text(lang: Lang, msg: Msg, args: &[(&str, String)]) -> String {
    asxh_text::message::fill(lang.text(msg), args)
}

/// Prints the catalogue's text of `msg` in `lang` on standard output.
fn tell(lang: Lang, msg: Msg, args: &[(&str, String)]) {
    say!("{}", text(lang, msg, args));
}

/// A day or month written ISO (`2026-12-02`, `2024-07`) as people of `lang` read it (`02/12/2026`,
/// `07/2024` in Vietnamese).
fn day(lang: Lang, iso: &str) -> String {
    match lang {
        Lang::Vi => asxh_text::format::date(iso),
        Lang::En => iso.to_owned(),
    }
}

/// The label of an account role in `lang` (its code in English).
fn role_label(lang: Lang, role: &str) -> String {
    match lang {
        Lang::Vi => lang.role(role).to_owned(),
        Lang::En => role.to_owned(),
    }
}

/// Retires or revokes an issuer key from the command line.
fn change_key(
    lang: Lang,
    data: &Path,
    key_id: &str,
    status: IssuerStatus,
) -> Result<(), ServerError> {
    let store = Store::open(data)?;
    let grant = authorize::<act::ManageIssuerKeys>(&Principal::Operator)?;
    let key = registry::set_issuer_key_status(
        &store,
        &grant,
        signature::IssuerKeyId::parse_hex(key_id)?,
        status,
    )?;
    let said = if status == IssuerStatus::Revoked {
        Msg::ServerKeyRevoked
    } else {
        Msg::ServerKeyRetired
    };
    tell(
        lang,
        said,
        &[
            ("key", key.key_id_hex),
            ("office", key.office.to_string()),
            ("from", day(lang, &key.valid_from)),
            ("until", day(lang, &key.valid_until)),
        ],
    );
    Ok(())
}

/// `account add`: the token printed, or written to a new file of mode 0600.
fn add_account(lang: Lang, a: AddAccount) -> Result<(), Failure> {
    let store = Store::open(&a.data)?;
    let role = Role::parse(&a.role)?;
    let office = a.office.as_deref().map(OfficeCode::parse).transpose()?;
    let area = a.area.as_deref().map(AreaCode::parse).transpose()?;
    let grant = authorize::<act::CreateAccounts>(&Principal::Operator)?;
    // The file first: an account whose token could not be kept is never created.
    let file = match &a.out {
        Some(path) => Some((
            path,
            create_secret_file(path).map_err(|e| token_file(lang, path, e))?,
        )),
        None => None,
    };
    let added = store.write(|tx| {
        auth::add_account(
            tx,
            &grant,
            role,
            office.as_ref(),
            area.as_ref(),
            a.label.as_deref(),
        )
    });
    let (id, token) = match added {
        Ok(done) => done,
        Err(e) => {
            if let Some((path, _)) = file {
                let _ = std::fs::remove_file(path);
            }
            return Err(e.into());
        }
    };
    match file {
        Some((path, mut f)) => {
            writeln!(f, "{token}")
                .and_then(|()| f.sync_all())
                .map_err(|e| token_file(lang, path, e))?;
            tell(
                lang,
                Msg::ServerAccountTokenInFile,
                &[
                    ("id", id.to_string()),
                    ("role", role_label(lang, role.as_str())),
                    ("path", path.display().to_string()),
                ],
            );
        }
        None => {
            eprintln!(
                "{}",
                text(
                    lang,
                    Msg::ServerAccountTokenShownOnce,
                    &[
                        ("id", id.to_string()),
                        ("role", role_label(lang, role.as_str())),
                    ],
                )
            );
            say!("{token}");
        }
    }
    Ok(())
}

fn run(cli: Cli, lang: Lang) -> Result<(), Failure> {
    match cli.command {
        Command::Account {
            command: AccountCommand::Add(a),
        } => add_account(lang, a)?,
        Command::Init { data } => {
            let store = Store::init(&data)?;
            let fp = signature::fingerprint(store.root_key()?.verifying_key());
            tell(
                lang,
                Msg::ServerInitialised,
                &[("dir", data.display().to_string())],
            );
            tell(lang, Msg::ServerRootFingerprint, &[("fingerprint", fp)]);
        }
        Command::Office {
            command:
                OfficeCommand::Add {
                    data,
                    code,
                    name,
                    area,
                },
        } => {
            let store = Store::open(&data)?;
            let code = OfficeCode::parse(&code)?;
            let grant = authorize::<act::AddOffices>(&Principal::Operator)?;
            let key_id =
                registry::add_office(&store, &grant, &code, &name, &AreaCode::parse(&area)?)?;
            tell(
                lang,
                Msg::ServerOfficeAdded,
                &[("code", code.to_string()), ("key", key_id.to_string())],
            );
        }
        Command::Office {
            command: OfficeCommand::List { data },
        } => {
            let store = Store::open(&data)?;
            let grant = authorize::<act::ManageOffices>(&Principal::Operator)?;
            for o in registry::offices_in(&store, &grant)? {
                let cards = text(
                    lang,
                    Msg::ServerOfficeCards,
                    &[("count", o.cards.to_string())],
                );
                say!("{}\t{}\t{}\t{cards}", o.code, o.area_code, o.name);
                for k in o.keys {
                    tell(
                        lang,
                        Msg::ServerOfficeKeyLine,
                        &[
                            ("key", k.key_id_hex),
                            ("status", k.status.to_string()),
                            ("from", k.valid_from),
                            ("until", k.valid_until),
                        ],
                    );
                }
            }
        }
        Command::Office {
            command: OfficeCommand::RotateKey { data, code },
        } => {
            let store = Store::open(&data)?;
            let grant = authorize::<act::ManageIssuerKeys>(&Principal::Operator)?;
            let done = registry::rotate_issuer_key(&store, &grant, &OfficeCode::parse(&code)?)?;
            tell(
                lang,
                Msg::ServerNewIssuerKey,
                &[("code", code), ("key", done.key_id_hex)],
            );
            if let Some(old) = done.retired_key_id_hex {
                tell(lang, Msg::ServerOldKeyRetired, &[("key", old)]);
            }
            tell(
                lang,
                Msg::ServerTrustListVersion,
                &[("version", done.trust_list_version.to_string())],
            );
        }
        Command::Office {
            command: OfficeCommand::RetireKey { data, key_id },
        } => change_key(lang, &data, &key_id, IssuerStatus::Retired)?,
        Command::Office {
            command: OfficeCommand::RevokeKey { data, key_id },
        } => change_key(lang, &data, &key_id, IssuerStatus::Revoked)?,
        Command::Account {
            command: AccountCommand::List { data },
        } => {
            let store = Store::open(&data)?;
            let grant = authorize::<act::ManageOffices>(&Principal::Operator)?;
            tell(lang, Msg::ServerAccountsHeader, &[]);
            for a in store.read(|c| auth::accounts_in(c, &grant))? {
                let status = match a.revoked_at {
                    Some(at) => format!("revoked {}", asxh_text::local_time(at)),
                    None => "active".to_owned(),
                };
                say!(
                    "{}\t{}\t{}\t{}\t{status}\t{}",
                    a.id,
                    a.role,
                    a.office.as_deref().unwrap_or("-"),
                    a.area_code,
                    a.label.as_deref().unwrap_or("-")
                );
            }
        }
        Command::Account {
            command: AccountCommand::Revoke { data, id },
        } => {
            let store = Store::open(&data)?;
            let grant = authorize::<act::RevokeAccounts>(&Principal::Operator)?;
            store.write(|tx| auth::revoke_account(tx, &grant, id))?;
            tell(lang, Msg::ServerAccountRevoked, &[("id", id.to_string())]);
        }
        Command::Serve {
            data,
            listen,
            tls_cert,
            tls_key,
            header_timeout,
            body_timeout,
            idle_timeout,
            max_connections,
            trusted_proxies,
            login_failures_per_hour,
            logins_per_hour,
            lists,
        } => {
            let store = Store::open_with(&data, lists.options())?;
            let options = serve::Options {
                listen,
                tls: tls_cert
                    .zip(tls_key)
                    .map(|(cert, key)| serve::Tls { cert, key }),
                limits: serve::Limits {
                    header_timeout,
                    body_timeout,
                    idle_timeout,
                    max_connections,
                },
                settings: asxh_server::state::Settings {
                    trusted_proxies,
                    login: asxh_server::throttle::LoginLimits {
                        failures_per_address: Rate::per_hour(login_failures_per_hour),
                        logins_per_account: Rate::per_hour(logins_per_hour),
                    },
                    ..Default::default()
                },
            };
            let runtime =
                tokio::runtime::Runtime::new().map_err(|e| ServerError::Setup(e.to_string()))?;
            runtime
                .block_on(serve::serve(store, options))
                .map_err(|e| ServerError::Setup(format!("{e:#}")))?;
        }
        Command::Revoke {
            data,
            serial,
            ssn,
            reason,
        } => {
            let store = Store::open(&data)?;
            let target = match (serial, ssn) {
                (Some(s), _) => RevocationTarget::Serial(CardSerial::parse(&s)?),
                (None, Some(n)) => RevocationTarget::Ssn(Ssn::parse(&n)?),
                (None, None) => {
                    return Err(ServerError::invalid("serial", "give --serial or --ssn").into())
                }
            };
            let reason = RevocationReason::parse(&reason)?;
            let grant = authorize::<act::RevokeCards>(&Principal::Operator)?;
            let (version, serials) = registry::revoke(&store, &grant, target, reason)?;
            let why = lang.text(asxh_text::labels::reason(reason));
            for s in serials {
                tell(
                    lang,
                    Msg::ServerCardRevoked,
                    &[("serial", s.to_string()), ("reason", why.to_owned())],
                );
            }
            tell(
                lang,
                Msg::ServerRevocationListVersion,
                &[("version", version.to_string())],
            );
        }
        Command::Audit {
            command: AuditCommand::Verify { data },
        } => {
            let store = Store::open(&data)?;
            let report = store.read(audit::verify)?;
            tell(
                lang,
                Msg::ServerAuditIntact,
                &[
                    ("rows", lang.count(report.rows as u64)),
                    ("hash", report.last_hash.to_string()),
                ],
            );
        }
        Command::Backup { data, to } => {
            let store = Store::open(&data)?;
            store.backup(&to)?;
            tell(
                lang,
                Msg::ServerBackedUp,
                &[("path", to.display().to_string())],
            );
        }
        Command::Restore { data, from, lists } => {
            let done = asxh_server::store::restore::restore(&data, &from, lists.options())?;
            if let Some(old) = &done.replaced {
                tell(
                    lang,
                    Msg::ServerReplacedKept,
                    &[("path", old.display().to_string())],
                );
            }
            tell(
                lang,
                Msg::ServerRestored,
                &[
                    ("from", from.display().to_string()),
                    ("dir", data.display().to_string()),
                ],
            );
            tell(
                lang,
                Msg::ServerListsPublished,
                &[
                    ("trust", done.trust_list_version.to_string()),
                    ("revocation", done.revocation_list_version.to_string()),
                    ("floor", done.floor.to_string()),
                ],
            );
        }
        Command::Areas {
            command: AreasCommand::Import { data, file },
        } => {
            let bytes = std::fs::read(&file).map_err(|e| {
                ServerError::invalid("file", format!("cannot read {}: {e}", file.display()))
            })?;
            let store = Store::open(&data)?;
            let grant = authorize::<act::ImportAreas>(&Principal::Operator)?;
            let done = store.write(|tx| areas::import(tx, &grant, &bytes))?;
            tell(
                lang,
                Msg::ServerAreasImported,
                &[
                    ("units", lang.count(done.units as u64)),
                    ("merged", lang.count(done.merged as u64)),
                    ("file", file.display().to_string()),
                    ("source", done.source.to_string()),
                ],
            );
        }
        Command::Register { data, command } => {
            let data = data.ok_or_else(|| ServerError::invalid("data", "give --data DIR"))?;
            run_register(lang, &Store::open(&data)?, command)?
        }
        Command::Roll { command } => match command {
            RollCommand::Draft { data, area, month } => {
                let store = Store::open(&data)?;
                let grant = authorize::<act::DraftRolls>(&Principal::Operator)?;
                let area = asxh_core::AreaCode::parse(&area)?;
                let month = asxh_core::lists::Month::parse("month", &month)?;
                print_json(&rolls::draft(&store, &grant, &area, month)?);
            }
            RollCommand::Drafts { data, area, month } => {
                let store = Store::open(&data)?;
                let grant = authorize::<act::ReadRolls>(&Principal::Operator)?;
                let area = asxh_core::AreaCode::parse(&area)?;
                let month = asxh_core::lists::Month::parse("month", &month)?;
                let drafts = store.read(|c| rolls::drafts(c, &grant, &area, month))?;
                print_json(&asxh_api::rolls::RollDraftList { drafts });
            }
            RollCommand::Approve { data, draft } => {
                let store = Store::open(&data)?;
                let grant = authorize::<act::ApproveRolls>(&Principal::Operator)?;
                print_json(&rolls::approve(&store, &grant, draft)?);
            }
        },
        Command::Transfers { command } => run_transfers(lang, command)?,
        Command::Uncollected { command } => run_uncollected(lang, command)?,
        Command::Openapi => say_raw!("{}", api::openapi_json_text()),
    }
    Ok(())
}

fn area_month(area: &str, month: &str) -> Result<(AreaCode, Month), ServerError> {
    Ok((AreaCode::parse(area)?, Month::parse("month", month)?))
}

fn run_transfers(lang: Lang, command: TransfersCommand) -> Result<(), ServerError> {
    match command {
        TransfersCommand::List {
            data,
            area,
            month,
            out,
        } => {
            let store = Store::open(&data)?;
            let grant = authorize::<act::ReadPayments>(&Principal::Operator)?;
            let (area, month) = area_month(&area, &month)?;
            let list = store.read(|c| transfers::transfer_list(c, &grant, &area, month))?;
            match out {
                Some(path) => {
                    let table = transfers::export_table(&list, Lang::Vi);
                    let written = match path.extension().and_then(|e| e.to_str()) {
                        Some("xlsx") => table.save_xlsx(&path, "Chuyen khoan"),
                        _ => table.save_csv(&path),
                    };
                    written.map_err(|e| ServerError::Setup(e.to_string()))?;
                    tell(
                        lang,
                        Msg::ServerTransferLinesWritten,
                        &[
                            ("count", lang.count(list.lines.len() as u64)),
                            ("path", path.display().to_string()),
                        ],
                    );
                }
                None => print_json(&transfers::wire(list, &area, month)),
            }
        }
        TransfersCommand::Results { data, file } => {
            let store = Store::open(&data)?;
            let grant = authorize::<act::RecordTransferResults>(&Principal::Operator)?;
            let bytes = std::fs::read(&file).map_err(|e| {
                ServerError::invalid("file", format!("cannot read {}: {e}", file.display()))
            })?;
            let rows = transfers::parse_results(&bytes, Lang::Vi)?;
            let done = transfers::record_results(
                &store,
                &grant,
                rows,
                transfers::file_digest(&bytes),
                Lang::Vi,
            )?;
            tell(
                lang,
                Msg::ServerTransferResultsRecorded,
                &[
                    ("recorded", lang.count(done.recorded)),
                    ("repeated", lang.count(done.repeated)),
                ],
            );
        }
    }
    Ok(())
}

fn run_uncollected(lang: Lang, command: UncollectedCommand) -> Result<(), ServerError> {
    match command {
        UncollectedCommand::List { data, area, month } => {
            let store = Store::open(&data)?;
            let grant = authorize::<act::ReadPayments>(&Principal::Operator)?;
            let (area, month) = area_month(&area, &month)?;
            let list = store.read(|c| unpaid::uncollected(c, &grant, &area, month))?;
            print_json(&unpaid::wire(list, &area, month));
        }
        UncollectedCommand::Suspend { data, area, month } => {
            let store = Store::open(&data)?;
            let grant = authorize::<act::SuspendUncollected>(&Principal::Operator)?;
            let record = authorize::<act::RecordEntitlements>(&Principal::Operator)?;
            let (area, month) = area_month(&area, &month)?;
            let n = unpaid::suspend_uncollected(
                &store,
                &grant,
                &record,
                &area,
                month,
                asxh_core::Date::today(),
            )?;
            tell(
                lang,
                Msg::ServerUncollectedSuspended,
                &[("count", lang.count(n)), ("note", unpaid::NOTE.to_owned())],
            );
        }
    }
    Ok(())
}

fn run_register(lang: Lang, store: &Store, command: RegisterCommand) -> Result<(), ServerError> {
    let record = || authorize::<act::RecordEntitlements>(&Principal::Operator);
    let status = |kind: &str, a: StatusArgs| -> Result<(), ServerError> {
        let req = asxh_api::StatusRequest {
            on: a.on,
            reason: a.reason,
            note: a.note,
        };
        let (change, on, note) = requests::status_change(kind, &req)?;
        register::change_status(store, &record()?, a.id, change, on, note)?;
        let said = match kind {
            "suspend" => Msg::ServerEntitlementSuspended,
            "resume" => Msg::ServerEntitlementResumed,
            _ => Msg::ServerEntitlementStopped,
        };
        tell(
            lang,
            said,
            &[("id", a.id.to_string()), ("on", day(lang, &on.to_string()))],
        );
        Ok(())
    };
    match command {
        RegisterCommand::Beneficiary { ssn, name, area } => {
            let req = asxh_api::BeneficiaryRequest {
                full_name: name,
                area,
            };
            let who = requests::beneficiary(&ssn, &req)?;
            let created = register::put_beneficiary(store, &record()?, who)?;
            let said = if created {
                Msg::ServerBeneficiaryRegistered
            } else {
                Msg::ServerBeneficiaryUpdated
            };
            tell(lang, said, &[("ssn", ssn)]);
        }
        RegisterCommand::Household {
            code,
            area,
            members,
        } => {
            let code = register::HouseholdCode::parse(&code)?;
            register::add_household(store, &record()?, code.clone(), AreaCode::parse(&area)?)?;
            for m in &members {
                register::add_member(store, &record()?, code.clone(), Ssn::parse(m)?)?;
            }
            tell(
                lang,
                Msg::ServerHouseholdRegistered,
                &[
                    ("code", code.to_string()),
                    ("count", lang.count(members.len() as u64)),
                ],
            );
        }
        RegisterCommand::Decide(a) => {
            let a = *a;
            let req = asxh_api::DecisionRequest {
                ssn: a.ssn,
                household: a.household,
                program: a.program,
                category: a.category,
                coefficient: a.coefficient,
                fixed_vnd: a.fixed_vnd,
                decision_no: a.decision_no,
                decision_date: a.decision_date,
                paid_from: a.paid_from,
                paid_until: a.paid_until,
                settled_until: a.settled_until,
                recipient: a.recipient.wire(),
            };
            let decision = requests::decision(&req)?;
            let id = register::record(store, &record()?, decision, asxh_core::Date::today())?;
            tell(
                lang,
                Msg::ServerEntitlementRecorded,
                &[("id", id.to_string())],
            );
        }
        RegisterCommand::Suspend(a) => status("suspend", a)?,
        RegisterCommand::Resume(a) => status("resume", a)?,
        RegisterCommand::Stop(a) => status("stop", a)?,
        RegisterCommand::Recipient {
            id,
            recipient,
            none,
        } => {
            let recipient = match (recipient.wire(), none) {
                (Some(r), false) => Some(requests::recipient(&r)?),
                (None, true) => None,
                _ => {
                    return Err(ServerError::invalid(
                        "recipient_role",
                        "give the recipient (--recipient-role …) or --none",
                    ))
                }
            };
            register::change_recipient(store, &record()?, id, recipient)?;
            tell(lang, Msg::ServerRecipientChanged, &[("id", id.to_string())]);
        }
        RegisterCommand::Account { command } => {
            let (id, account) = match command {
                AccountMethodCommand::Set {
                    id,
                    kind,
                    provider,
                    account_no,
                    holder_name,
                    owner,
                } => (
                    id,
                    Some(register::PaymentAccount::new(
                        &kind,
                        &provider,
                        &account_no,
                        &holder_name,
                        &owner,
                    )?),
                ),
                AccountMethodCommand::Clear { id } => (id, None),
            };
            let into = account.is_some();
            register::change_account(store, &record()?, id, account)?;
            let said = if into {
                Msg::ServerPaidIntoAccount
            } else {
                Msg::ServerPaidAtCounter
            };
            tell(lang, said, &[("id", id.to_string())]);
        }
        RegisterCommand::BaseLevel {
            program,
            province,
            from,
            amount_vnd,
            decree,
        } => {
            let req = asxh_api::BaseLevelRequest {
                program,
                province,
                from,
                amount_vnd,
                decree,
            };
            let change = requests::base_level(&req)?;
            let grant = authorize::<act::SetBaseLevels>(&Principal::Operator)?;
            let replaced = register::set_base_level(store, &grant, change)?;
            let mut args = vec![
                ("program", req.program.clone()),
                ("from", day(lang, &req.from)),
                ("amount", lang.money(req.amount_vnd)),
            ];
            let said = match replaced {
                Some(was) => {
                    args.push(("was", lang.money(was)));
                    Msg::ServerBaseLevelReplaced
                }
                None => Msg::ServerBaseLevelSet,
            };
            tell(lang, said, &args);
        }
        RegisterCommand::BaseLevels => {
            for row in store.read(register::base_levels)? {
                let l = requests::base_level_json(row);
                say!(
                    "{}\t{}\t{}\t{}\t{}",
                    l.program,
                    l.province.as_deref().unwrap_or("national"),
                    l.from,
                    l.amount_vnd,
                    l.decree
                );
            }
        }
        RegisterCommand::Show { ssn } => {
            let grant = authorize::<act::ReadEntitlements>(&Principal::Operator)?;
            let ssn = Ssn::parse(&ssn)?;
            let (who, entitlements) = store.read(|c| register::history(c, &grant, ssn))?;
            let record = requests::beneficiary_json(who, entitlements);
            say!(
                "{}",
                serde_json::to_string_pretty(&record)
                    .map_err(|e| ServerError::Setup(e.to_string()))?
            );
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    serve::install_crypto_provider();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let (cli, lang) = asxh_text::cli::parse::<Cli>();
    match run(cli, lang) {
        Ok(()) => {
            let _ = std::io::stdout().flush();
            ExitCode::SUCCESS
        }
        Err(Failure::TokenFile(message, kind)) => {
            let meaning = if kind == std::io::ErrorKind::AlreadyExists {
                Msg::ProblemConflict
            } else {
                Msg::ProblemStorage
            };
            eprintln!("{}", asxh_text::cli::failure(lang, meaning, &message));
            ExitCode::from(if kind == std::io::ErrorKind::AlreadyExists {
                8
            } else {
                1
            })
        }
        Err(Failure::Server(e)) => {
            eprintln!(
                "{}",
                asxh_text::cli::failure(lang, e.code().meaning(), &e.to_string())
            );
            ExitCode::from(match e {
                ServerError::Invalid { .. }
                | ServerError::Worded { .. }
                | ServerError::BadRequest { .. }
                | ServerError::MalformedJson(_) => 2,
                ServerError::NotFound(_) => 3,
                ServerError::Conflict(_) | ServerError::UnknownBaseVersion(_) => 4,
                ServerError::Forbidden(_) | ServerError::Unauthorized => 5,
                ServerError::Storage(_) | ServerError::StorageFull(_) => 6,
                ServerError::AuditBroken(_) => 7,
                ServerError::Setup(_) | ServerError::TooLarge(_) | ServerError::BodyTimeout(_) => 1,
            })
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
