//! asxh-server: the command line of the issuing server — initialise a data directory, add
//! offices and accounts, serve the HTTP API, revoke cards, verify the audit chain, back up and
//! restore, print the API's OpenAPI document.

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use asxh_core::lists::{OfficeCode, RevocationReason};
use asxh_core::signature;
use asxh_core::{AreaCode, CardSerial, Ssn};
use asxh_server::auth::{self, Role};
use asxh_server::policy::{act, authorize, Principal};
use asxh_server::publication::{ListOptions, Timing};
use asxh_server::registry::{self, RevocationTarget};
use asxh_server::{api, audit, serve, ServerError, Store};
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
        #[arg(long, requires = "tls_key")]
        tls_cert: Option<PathBuf>,
        #[arg(long, requires = "tls_cert")]
        tls_key: Option<PathBuf>,
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
    /// Print the OpenAPI 3 document of the HTTP API (as served at /v1/openapi.json).
    Openapi,
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
}

#[derive(Subcommand)]
enum AccountCommand {
    /// Create an account; prints its bearer token once.
    Add {
        #[arg(long)]
        data: PathBuf,
        /// admin, office, payment-point or auditor.
        #[arg(long)]
        role: String,
        #[arg(long)]
        office: Option<String>,
        #[arg(long)]
        area: Option<String>,
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

fn run(cli: Cli) -> Result<(), ServerError> {
    match cli.command {
        Command::Init { data } => {
            let store = Store::init(&data)?;
            let fp = signature::fingerprint(store.root_key()?.verifying_key());
            println!("initialised {}", data.display());
            println!("root key fingerprint (pin it in every verifier): {fp}");
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
            println!("office {code} added, issuer key {key_id}");
        }
        Command::Account {
            command:
                AccountCommand::Add {
                    data,
                    role,
                    office,
                    area,
                },
        } => {
            let store = Store::open(&data)?;
            let role = Role::parse(&role)?;
            let office = office.map(|o| OfficeCode::parse(&o)).transpose()?;
            let area = area.map(|a| AreaCode::parse(&a)).transpose()?;
            let grant = authorize::<act::CreateAccounts>(&Principal::Operator)?;
            let (id, token) = store
                .write(|tx| auth::add_account(tx, &grant, role, office.as_ref(), area.as_ref()))?;
            eprintln!("account {id} ({role}) created; its token is shown only once:");
            println!("{token}");
        }
        Command::Account {
            command: AccountCommand::Revoke { data, id },
        } => {
            let store = Store::open(&data)?;
            let grant = authorize::<act::RevokeAccounts>(&Principal::Operator)?;
            store.write(|tx| auth::revoke_account(tx, &grant, id))?;
            println!("account {id} revoked");
        }
        Command::Serve {
            data,
            listen,
            tls_cert,
            tls_key,
            lists,
        } => {
            let store = Store::open_with(&data, lists.options())?;
            let tls = tls_cert
                .zip(tls_key)
                .map(|(cert, key)| serve::Tls { cert, key });
            let runtime =
                tokio::runtime::Runtime::new().map_err(|e| ServerError::Setup(e.to_string()))?;
            runtime
                .block_on(serve::serve(store, listen, tls))
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
                    return Err(ServerError::invalid("serial", "give --serial or --ssn"))
                }
            };
            let reason = RevocationReason::parse(&reason)?;
            let grant = authorize::<act::RevokeCards>(&Principal::Operator)?;
            let (version, serials) = registry::revoke(&store, &grant, target, reason)?;
            for s in serials {
                println!("revoked {s} ({})", reason.as_str());
            }
            println!("revocation list version {version}");
        }
        Command::Audit {
            command: AuditCommand::Verify { data },
        } => {
            let store = Store::open(&data)?;
            let report = store.read(audit::verify)?;
            println!(
                "audit chain intact: {} rows, last hash {}",
                report.rows, report.last_hash
            );
        }
        Command::Backup { data, to } => {
            let store = Store::open(&data)?;
            store.backup(&to)?;
            println!("backed up to {}", to.display());
        }
        Command::Restore { data, from, lists } => {
            let done = asxh_server::store::restore::restore(&data, &from, lists.options())?;
            if let Some(old) = &done.replaced {
                println!("the replaced database is kept as {}", old.display());
            }
            println!("restored {} into {}", from.display(), data.display());
            println!(
                "published trust list version {} and revocation list version {} (above {})",
                done.trust_list_version, done.revocation_list_version, done.floor
            );
        }
        Command::Openapi => print!("{}", api::openapi_json_text()),
    }
    Ok(())
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    match run(Cli::parse()) {
        Ok(()) => {
            let _ = std::io::stdout().flush();
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(match e {
                ServerError::Invalid { .. } | ServerError::MalformedJson(_) => 2,
                ServerError::NotFound(_) => 3,
                ServerError::Conflict(_) | ServerError::UnknownBaseVersion(_) => 4,
                ServerError::Forbidden(_) | ServerError::Unauthorized => 5,
                ServerError::Storage(_) | ServerError::StorageFull(_) => 6,
                ServerError::AuditBroken(_) => 7,
                ServerError::Setup(_) | ServerError::TooLarge(_) => 1,
            })
        }
    }
}
