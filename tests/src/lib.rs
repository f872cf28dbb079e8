//! The harness of the end-to-end tests: it makes sure pcscd runs with the vsmartcard `vpcd`
//! driver, inserts reference cards into the virtual readers (in a thread of the test process,
//! or as the `asxh-vcard` binary), and connects to them through PC/SC exactly as a USB reader is
//! used. Tests that share a virtual reader take its lock, so they can run in parallel threads.
#![forbid(unsafe_code)]

pub mod nginx;
pub mod payments;
pub mod relay;
pub mod rolls;
pub mod server;
pub mod verifier;

use std::path::PathBuf;
use std::process::Command;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use asxh_card::vpcd::InsertedCard;
use asxh_core::card::{list_readers, CardApplication, CardClient, PcscTransport};

/// One of the two readers the Debian vpcd configuration creates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VirtualReader {
    /// "Virtual PCD 00 00", vpcd port 35963.
    First,
    /// "Virtual PCD 00 01", vpcd port 35964.
    Second,
}

impl VirtualReader {
    pub fn name(self) -> &'static str {
        match self {
            VirtualReader::First => "Virtual PCD 00 00",
            VirtualReader::Second => "Virtual PCD 00 01",
        }
    }

    pub fn port(self) -> u16 {
        match self {
            VirtualReader::First => 35963,
            VirtualReader::Second => 35964,
        }
    }

    pub fn vpcd_addr(self) -> String {
        format!("127.0.0.1:{}", self.port())
    }

    /// Exclusive use of this reader for the calling test.
    pub fn lock(self) -> MutexGuard<'static, ()> {
        static FIRST: Mutex<()> = Mutex::new(());
        static SECOND: Mutex<()> = Mutex::new(());
        let m = match self {
            VirtualReader::First => &FIRST,
            VirtualReader::Second => &SECOND,
        };
        m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

fn virtual_readers_present() -> bool {
    list_readers().is_ok_and(|r| {
        r.iter()
            .filter(|r| r.name.starts_with("Virtual PCD"))
            .count()
            >= 2
    })
}

/// Starts pcscd if it is not running, and waits until the two vpcd readers are listed.
/// Panics with what to install when pcscd or the vpcd driver is missing: these tests are never
/// skipped.
pub fn ensure_pcscd() {
    static STARTED: Mutex<bool> = Mutex::new(false);
    let mut started = STARTED.lock().unwrap_or_else(|p| p.into_inner());
    if *started && virtual_readers_present() {
        return;
    }
    if !virtual_readers_present() {
        assert!(
            std::path::Path::new("/usr/lib/pcsc/drivers/serial/libifdvpcd.so").exists()
                || std::path::Path::new("/etc/reader.conf.d/vpcd").exists(),
            "the vsmartcard vpcd driver is not installed: run the README's test command (it installs pcscd vsmartcard-vpcd)"
        );
        let status = Command::new("pcscd")
            .status()
            .or_else(|_| Command::new("/usr/sbin/pcscd").status());
        assert!(
            status.is_ok(),
            "cannot start pcscd ({status:?}): run the README's test command (it installs pcscd vsmartcard-vpcd)"
        );
        let deadline = Instant::now() + Duration::from_secs(15);
        while !virtual_readers_present() {
            assert!(
                Instant::now() < deadline,
                "pcscd started but the Virtual PCD readers did not appear"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
    *started = true;
}

/// Inserts `app` into `reader` (served on a thread of this process) once pcscd has seen the
/// reader empty, and waits until pcscd sees the card.
pub fn insert<A: CardApplication + Send + 'static>(
    app: A,
    reader: VirtualReader,
) -> InsertedCard<A> {
    ensure_pcscd();
    wait_until_empty(reader);
    let card =
        InsertedCard::insert(app, &reader.vpcd_addr()).expect("vpcd accepts the virtual card");
    wait_until_present(reader);
    card
}

/// Waits until pcscd reports a card in `reader`.
pub fn wait_until_present(reader: VirtualReader) {
    PcscTransport::wait_for_insertion(Some(reader.name()), Duration::from_secs(10))
        .expect("card insertion seen by pcscd");
}

/// Connects a card client to the card in `reader` through PC/SC.
pub fn connect(reader: VirtualReader) -> CardClient<PcscTransport> {
    let transport = PcscTransport::connect(Some(reader.name()), Duration::from_secs(10))
        .unwrap_or_else(|e| panic!("PC/SC connect to {}: {e}", reader.name()));
    CardClient::new(transport)
}

/// Waits until pcscd reports `reader` empty (after a card was pulled).
pub fn wait_until_empty(reader: VirtualReader) {
    ensure_pcscd();
    PcscTransport::wait_for_removal(Some(reader.name()), Duration::from_secs(10))
        .expect("card removal seen by pcscd");
}

/// Runs `command` with its standard output's reader gone before the tool writes to it (as in
/// `… | head -1`): the output, with standard error captured.
pub fn output_with_stdout_gone(command: &mut Command) -> std::process::Output {
    let mut child = command
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the tool starts");
    drop(child.stdout.take());
    child.wait_with_output().expect("the tool ends")
}

/// CPU time (user + system) process `pid` (`"self"` for this one) has used so far, from
/// `/proc/PID/stat`; zero if it cannot be read.
pub fn cpu_time(pid: &str) -> Duration {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // The fields after the command name (which may hold spaces): utime and stime are 14 and 15.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map(|(_, r)| r.split_whitespace().collect())
        .unwrap_or_default();
    let ticks: u64 = fields
        .get(11..13)
        .map(|f| f.iter().filter_map(|t| t.parse::<u64>().ok()).sum())
        .unwrap_or(0);
    // USER_HZ is 100 on Linux.
    Duration::from_millis(ticks * 10)
}

/// The path of the workspace binary `name` (of the package of the same name), built once per
/// test process.
pub fn binary(name: &'static str) -> PathBuf {
    static BUILT: Mutex<Vec<(&'static str, PathBuf)>> = Mutex::new(Vec::new());
    let mut built = BUILT.lock().unwrap_or_else(|p| p.into_inner());
    if let Some((_, path)) = built.iter().find(|(n, _)| *n == name) {
        return path.clone();
    }
    let path = workspace_binary(name, name);
    built.push((name, path.clone()));
    path
}

/// The path of a workspace binary, built first if needed (tests of this crate cannot rely on
/// cargo having built other packages' binaries). Every binary is built as users build them, in
/// one `cargo build --workspace`: a dependency then has the features every crate of the
/// workspace turns on, not only those of the binary's own package (two TLS crypto providers
/// enabled at once broke `serve --tls-cert` only in such a build).
pub fn workspace_binary(package: &str, name: &str) -> PathBuf {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let exe = std::env::current_exe().expect("test executable path");
    let release = exe.components().any(|c| c.as_os_str() == "release");
    let status = Command::new(env!("CARGO"))
        .args(["build", "--quiet", "--workspace", "--bins"])
        .args(release.then_some("--release"))
        .current_dir(&root)
        .status()
        .expect("cargo runs");
    assert!(
        status.success(),
        "cargo build of the workspace ({package}'s {name}) failed"
    );
    let profile_dir = exe
        .parent()
        .and_then(|deps| deps.parent())
        .expect("target/<profile>/deps");
    let path = profile_dir.join(name);
    assert!(
        path.exists(),
        "the workspace build made no {} ({package}'s binary)",
        path.display()
    );
    path
}
