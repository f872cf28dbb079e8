//! asxh-vcard: runs the reference card application as a virtual card in pcscd's vpcd reader,
//! so any PC/SC client (the personalizer, the verifier, opensc-tool) sees a real card.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;
use asxh_card::{vpcd, CardApp, FileStorage, MemoryStorage, Storage};
use clap::Parser;

#[derive(Parser)]
#[command(
    version,
    about = "Virtual card: the reference card application in pcscd's vpcd reader"
)]
struct Args {
    /// File holding the card's persistent state (created blank if missing). Without it the card
    /// lives in memory and is blank at every start.
    #[arg(long)]
    state: Option<PathBuf>,
    /// Host where pcscd's vpcd driver listens.
    #[arg(long, default_value = "127.0.0.1")]
    host: String,
    /// vpcd port: 35963 is reader "Virtual PCD 00 00", 35964 is "Virtual PCD 00 01".
    #[arg(long, default_value_t = vpcd::DEFAULT_PORT)]
    port: u16,
    /// Serve one insertion only: exit when pcscd closes the connection.
    #[arg(long)]
    once: bool,
}

fn run<S: Storage>(storage: S, args: &Args) -> anyhow::Result<()> {
    let mut app = CardApp::open(storage).context("cannot open the card state")?;
    let addr = format!("{}:{}", args.host, args.port);
    loop {
        let stream = vpcd::connect(&addr, Duration::from_secs(30)).with_context(|| {
            format!("is pcscd running with the vsmartcard vpcd driver (listening on {addr})?")
        })?;
        tracing::info!(%addr, life_cycle = app.life_cycle().name(), "card inserted");
        let apdus = vpcd::serve(&mut app, stream)?;
        tracing::info!(apdus, "connection closed");
        if args.once {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(500));
    }
}

fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let args = Args::parse();
    match &args.state {
        Some(path) => run(FileStorage::new(path), &args),
        None => run(MemoryStorage::new(), &args),
    }
}
