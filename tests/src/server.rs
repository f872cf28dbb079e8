//! The issuing server as the end-to-end tests drive it: a fresh data directory made with the
//! real `asxh-server` binary, the server process on an ephemeral loopback port, and HTTP
//! requests to it. [`Province`] is the standard world most tests start from: two offices in two
//! provinces and one account of every role.

use std::io::{BufRead, BufReader, Read as _};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use asxh_core::card::{AdminCode, CardApplication, CardClient, InProcessTransport};
use asxh_core::signature;
use asxh_testkit::test_key;
use serde_json::{json, Value};
use tempfile::TempDir;

use crate::binary;

/// The `asxh-server` binary, built on first use.
pub fn server_binary() -> PathBuf {
    binary("asxh-server")
}

/// A server data directory made by `asxh-server init`.
pub struct ServerDir {
    dir: TempDir,
    /// The root key fingerprint `init` printed.
    pub fingerprint: String,
}

impl ServerDir {
    /// Runs `asxh-server init` in a new temporary directory.
    pub fn init() -> ServerDir {
        let dir = tempfile::tempdir().expect("temp dir");
        let data = dir.path().join("data");
        let out = run_server_cli(&["init", "--data", path_str(&data)]);
        assert!(out.status.success(), "init failed: {}", stderr(&out));
        let text = String::from_utf8_lossy(&out.stdout);
        let fingerprint = text
            .lines()
            .filter_map(|l| l.rsplit_once(": ").map(|(_, fp)| fp.trim()))
            .find(|fp| fp.len() == 64 && fp.bytes().all(|b| b.is_ascii_hexdigit()))
            .map(str::to_owned)
            .unwrap_or_else(|| panic!("init printed no fingerprint: {text}"));
        ServerDir { dir, fingerprint }
    }

    /// The data directory.
    pub fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// Runs an `asxh-server` subcommand with `--data` added.
    pub fn cli(&self, args: &[&str]) -> Output {
        let data = self.data();
        let mut all = args.to_vec();
        all.extend(["--data", path_str(&data)]);
        run_server_cli(&all)
    }

    /// Runs a subcommand that must succeed; returns its stdout.
    pub fn cli_ok(&self, args: &[&str]) -> String {
        let out = self.cli(args);
        assert!(
            out.status.success(),
            "asxh-server {args:?} failed: {}",
            stderr(&out)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    pub fn add_office(&self, code: &str, name: &str, area: &str) {
        self.cli_ok(&[
            "office", "add", "--code", code, "--name", name, "--area", area,
        ]);
    }

    /// Creates an account and returns its token.
    pub fn add_account(&self, role: &str, office: Option<&str>, area: Option<&str>) -> String {
        let mut args = vec!["account", "add", "--role", role];
        if let Some(o) = office {
            args.extend(["--office", o]);
        }
        if let Some(a) = area {
            args.extend(["--area", a]);
        }
        self.cli_ok(&args).trim().to_owned()
    }

    /// Starts `asxh-server serve` on an ephemeral loopback port.
    pub fn start(&self) -> RunningServer {
        start_server(&self.data(), &[], &[], plain_agent())
    }

    /// Starts the server with TLS (`cert` and `key` PEM files); its requests trust the CA
    /// certificate `ca` (PEM), as the clients do with `--ca-file`.
    pub fn start_tls(&self, cert: &Path, key: &Path, ca: &Path) -> RunningServer {
        let agent = asxh_client::agent(Some(ca), Duration::from_secs(30)).expect("the CA file");
        start_server(
            &self.data(),
            &[],
            &["--tls-cert", path_str(cert), "--tls-key", path_str(key)],
            agent,
        )
    }

    /// Starts the server on another data directory (a copy of this one somewhere else, such as
    /// on a small filesystem), run through the command `wrapper` when it is not empty (such as
    /// `nsenter` into another mount namespace; it must exec the server in its own process).
    pub fn start_on(&self, data: &Path, wrapper: &[String]) -> RunningServer {
        start_server(data, wrapper, &[], plain_agent())
    }

    /// Starts the server with `extra` flags of `serve`, run through the command `wrapper` when
    /// it is not empty (such as `prlimit --nofile=…`; it must exec the server in its own process).
    pub fn start_custom(&self, wrapper: &[&str], extra: &[&str]) -> RunningServer {
        let wrapper: Vec<String> = wrapper.iter().map(|w| w.to_string()).collect();
        start_server(&self.data(), &wrapper, extra, plain_agent())
    }

    /// A loopback address no one listens on now, to start the server on the same address again
    /// after a restart (`--listen`).
    pub fn free_address() -> String {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("a free loopback port");
        l.local_addr().expect("bound").to_string()
    }

    /// Starts the server with more `serve` arguments (such as the lists' refresh intervals, or
    /// `--listen` an address of [`ServerDir::free_address`]).
    pub fn start_args(&self, extra: &[&str]) -> RunningServer {
        self.start_custom(&[], extra)
    }

    /// Starts the server with its clock at `faketime` (libfaketime's syntax, e.g.
    /// `@2026-10-15 12:00:00`), preloaded into the server itself rather than through the
    /// `faketime` wrapper, whose child outlives it: this server can be stopped and the data
    /// directory served again.
    pub fn start_with_clock(&self, faketime: &str) -> RunningServer {
        let wrapper = [
            "env".to_owned(),
            "LD_PRELOAD=/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1".to_owned(),
            format!("FAKETIME={faketime}"),
        ];
        start_server(&self.data(), &wrapper, &[], plain_agent())
    }

    /// Starts the server with its clock moved by `offset` (libfaketime's `-f` syntax, e.g.
    /// `+7d`) and more `serve` arguments.
    pub fn start_at(&self, offset: &str, extra: &[&str]) -> RunningServer {
        let wrapper = ["faketime".to_owned(), "-f".to_owned(), offset.to_owned()];
        start_server(&self.data(), &wrapper, extra, plain_agent())
    }
}

/// The test's agent for a plain-HTTP server.
fn plain_agent() -> ureq::Agent {
    ureq::AgentBuilder::new()
        .timeout(Duration::from_secs(30))
        .build()
}

fn start_server(
    data: &Path,
    wrapper: &[String],
    extra: &[&str],
    agent: ureq::Agent,
) -> RunningServer {
    let mut command = match wrapper.split_first() {
        Some((program, args)) => {
            let mut c = Command::new(program);
            c.args(args).arg(server_binary());
            c
        }
        None => Command::new(server_binary()),
    };
    command.arg("serve");
    if !extra.contains(&"--listen") {
        command.args(["--listen", "127.0.0.1:0"]);
    }
    let mut child = command
        .args(["--data", path_str(data)])
        .args(extra)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("asxh-server starts");
    let stdout = child.stdout.take().expect("piped stdout");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let url = loop {
        match rx.recv_timeout(Duration::from_secs(30)) {
            Ok(line) => {
                if let Some(url) = line.strip_prefix("listening on ") {
                    break url.trim().to_owned();
                }
            }
            Err(e) => {
                let _ = child.kill();
                panic!("asxh-server did not say where it listens: {e}");
            }
        }
    };
    RunningServer {
        child: Some(child),
        url,
        agent,
    }
}

fn path_str(p: &Path) -> &str {
    p.to_str().expect("UTF-8 temp path")
}

/// Runs `asxh-server` with exactly `args` (give `--data` yourself), in Vietnamese unless `args`
/// say `--lang en`.
pub fn run_server_cli(args: &[&str]) -> Output {
    Command::new(server_binary())
        .args(args)
        .env("RUST_LOG", "warn")
        .env_remove("ASXH_LANG")
        .output()
        .expect("asxh-server runs")
}

/// The text a command printed on stderr.
pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// An HTTP answer.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub etag: Option<String>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "status {}: body is not JSON ({e}): {:?}",
                self.status,
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    /// The `error.code` of an error body.
    pub fn error_code(&self) -> String {
        self.json()["error"]["code"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// The `error.field` of an error body.
    pub fn error_field(&self) -> Option<String> {
        self.json()["error"]["field"].as_str().map(str::to_owned)
    }
}

/// Sends a request through `agent` to the server at `url` and returns the answer whatever its
/// status; `Err` only when the server could not be reached. For clients that keep their own
/// agent (one keep-alive connection each, as in the load test).
pub fn send_with(
    agent: &ureq::Agent,
    url: &str,
    method: &str,
    path: &str,
    req: Req<'_>,
) -> Result<Reply, String> {
    let mut r = agent.request(method, &format!("{url}{path}"));
    if let Some(t) = req.token {
        r = r.set("Authorization", &format!("Bearer {t}"));
    }
    for (k, v) in &req.headers {
        r = r.set(k, v);
    }
    let result = match (req.json, req.raw) {
        (Some(j), _) => r.send_json(j),
        (None, Some(raw)) => r.set("Content-Type", "application/json").send_bytes(&raw),
        (None, None) => r.call(),
    };
    let response = match result {
        Ok(resp) => resp,
        Err(ureq::Error::Status(_, resp)) => resp,
        Err(e) => return Err(e.to_string()),
    };
    let status = response.status();
    let etag = response.header("etag").map(str::to_owned);
    let mut body = Vec::new();
    response
        .into_reader()
        .read_to_end(&mut body)
        .map_err(|e| format!("reading the body: {e}"))?;
    Ok(Reply { status, etag, body })
}

/// A running `asxh-server serve`. Dropping it kills the process.
pub struct RunningServer {
    child: Option<Child>,
    pub url: String,
    agent: ureq::Agent,
}

/// What a request carries besides method and path.
#[derive(Default, Clone)]
pub struct Req<'a> {
    pub token: Option<&'a str>,
    pub json: Option<Value>,
    pub raw: Option<Vec<u8>>,
    pub headers: Vec<(&'a str, String)>,
}

impl RunningServer {
    /// Sends a request and returns the answer whatever its status; `Err` only when the server
    /// could not be reached.
    pub fn send(&self, method: &str, path: &str, req: Req<'_>) -> Result<Reply, String> {
        send_with(&self.agent, &self.url, method, path, req)
    }

    /// [`Self::send`] that panics when the server cannot be reached.
    pub fn call(&self, method: &str, path: &str, req: Req<'_>) -> Reply {
        self.send(method, path, req)
            .unwrap_or_else(|e| panic!("{method} {path}: {e}"))
    }

    pub fn get(&self, path: &str, token: Option<&str>) -> Reply {
        self.call(
            "GET",
            path,
            Req {
                token,
                ..Req::default()
            },
        )
    }

    pub fn post(&self, path: &str, token: Option<&str>, body: Value) -> Reply {
        self.call(
            "POST",
            path,
            Req {
                token,
                json: Some(body),
                ..Req::default()
            },
        )
    }

    /// The server's process id (0 once it was stopped).
    pub fn pid(&self) -> u32 {
        self.child.as_ref().map(Child::id).unwrap_or_default()
    }

    /// Whether the server process is still running.
    pub fn is_running(&mut self) -> bool {
        self.child
            .as_mut()
            .is_some_and(|c| matches!(c.try_wait(), Ok(None)))
    }

    /// The address the server listens on.
    pub fn addr(&self) -> std::net::SocketAddr {
        self.url
            .split_once("://")
            .map_or(self.url.as_str(), |(_, a)| a)
            .parse()
            .expect("the server listens on an IP address and port")
    }

    /// CPU time (user + system) the server process has used so far, from `/proc`.
    pub fn cpu_time(&self) -> Duration {
        crate::cpu_time(&self.pid().to_string())
    }

    /// The server's resident memory now, from `/proc/PID/status`.
    pub fn resident_bytes(&self) -> u64 {
        let status =
            std::fs::read_to_string(format!("/proc/{}/status", self.pid())).unwrap_or_default();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|kb| kb.parse::<u64>().ok())
            .map_or(0, |kb| kb * 1024)
    }

    /// Kills the server with SIGKILL (no chance to flush or clean up).
    pub fn kill_9(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    /// Stops the server with SIGTERM and waits for it to exit.
    pub fn stop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = Command::new("kill")
                .args(["-TERM", &c.id().to_string()])
                .status();
            let _ = c.wait();
        }
    }
}

impl Drop for RunningServer {
    fn drop(&mut self) {
        self.kill_9();
    }
}

/// An SSN that agrees with `sex` (`"M"`/`"F"`) and birth `year` (1900–2099), province 051,
/// sequence `n`.
pub fn ssn(n: u32, sex: &str, year: u16) -> String {
    let century_sex = match (year >= 2000, sex) {
        (false, "M") => 0,
        (false, _) => 1,
        (true, "M") => 2,
        (true, _) => 3,
    };
    format!("051{century_sex}{:02}{n:06}", year % 100)
}

/// The uncompressed public key (hex) of the deterministic test card key `label`.
pub fn card_key_hex(label: &str) -> String {
    hex::encode(signature::public_key_bytes(test_key(label).verifying_key()))
}

/// A valid `POST /v1/cards` body for holder number `n` in `area`, with the key of a new card
/// (each call another: the server refuses a key a card already has).
pub fn issue_body(n: u32, area: &str) -> Value {
    static CARDS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let card = CARDS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    json!({
        "ssn": ssn(n, "F", 1946),
        "full_name": "Trần Thị Lan",
        "date_of_birth": "1946-08-19",
        "sex": "F",
        "area_code": area,
        "entitlements": [
            {"program": "TGXH", "category": "BTXH-80", "monthly_amount_vnd": 540000,
             "valid_from": "2026-01-01", "valid_until": "2030-12-31"},
            {"program": "BHYT", "category": "BT", "valid_from": "2026-01-01", "valid_until": "2030-12-31"}
        ],
        "card_public_key_hex": card_key_hex(&format!("e2e card {n} #{card}")),
    })
}

/// Personalizes `app` as an issuing office would, with a credential the server signs: SELECT,
/// VERIFY the factory administrative code, GENERATE the card key, `POST /v1/cards` with that key,
/// PUT DATA, ACTIVATE (lock) and `POST .../activate`. Returns the card and the server's answer
/// (`serial`, `credential_hex`, `qr_text`, ...).
pub fn issue_card<A: CardApplication>(
    app: A,
    server: &RunningServer,
    office_token: &str,
    body: Value,
) -> (A, Value) {
    let mut client = CardClient::new(InProcessTransport::new(app));
    client.select().expect("SELECT");
    client
        .verify_admin(&AdminCode::factory_default())
        .expect("factory administrative code");
    let key = client.generate_key().expect("GENERATE");
    let mut body = body;
    body["card_public_key_hex"] = json!(hex::encode(signature::public_key_bytes(&key)));
    let reply = server.post("/v1/cards", Some(office_token), body);
    assert_eq!(reply.status, 201, "issue: {}", reply.json());
    let issued = reply.json();
    let credential =
        hex::decode(issued["credential_hex"].as_str().expect("credential_hex")).expect("hex");
    client.put_credential(&credential).expect("PUT DATA");
    client.activate().expect("ACTIVATE");
    let serial = issued["serial"].as_str().expect("serial").to_owned();
    let done = server.post(
        &format!("/v1/cards/{serial}/activate"),
        Some(office_token),
        json!({}),
    );
    assert_eq!(done.status, 200, "activate: {}", done.json());
    (client.into_transport().into_app(), issued)
}

/// Two provinces: office `QNG-01` serving area 51 and office `HCM-01` serving area 79, with an
/// account of every role.
pub struct Province {
    pub dir: ServerDir,
    pub office_qng: String,
    pub office_hcm: String,
    pub admin_51: String,
    pub admin_79: String,
    pub payment_point: String,
    pub auditor: String,
    /// A commune's data entry, area 51.22903.
    pub data_entry: String,
}

impl Province {
    pub fn new() -> Province {
        let dir = ServerDir::init();
        dir.add_office(
            "QNG-01",
            "Phòng Lao động – Thương binh và Xã hội Quảng Ngãi",
            "51",
        );
        dir.add_office(
            "HCM-01",
            "Phòng Lao động – Thương binh và Xã hội TP. Hồ Chí Minh",
            "79",
        );
        Province {
            office_qng: dir.add_account("office", Some("QNG-01"), None),
            office_hcm: dir.add_account("office", Some("HCM-01"), None),
            admin_51: dir.add_account("admin", None, Some("51")),
            admin_79: dir.add_account("admin", None, Some("79")),
            payment_point: dir.add_account("payment-point", None, Some("51")),
            auditor: dir.add_account("auditor", None, Some("51")),
            data_entry: dir.add_account("data-entry", None, Some("51.22903")),
            dir,
        }
    }
}

impl Default for Province {
    fn default() -> Self {
        Province::new()
    }
}

/// A public key from its hex form.
pub fn hex_key(text: &str) -> asxh_core::PublicKey {
    signature::public_key_from_bytes("key", &hex::decode(text).unwrap()).unwrap()
}

/// Fetches the root key, checks it against the pinned fingerprint, and returns the verified
/// trust list, as a payment point does.
pub fn verified_trust_list(
    server: &RunningServer,
    fingerprint: &str,
) -> asxh_core::lists::TrustList {
    let root = server.get("/v1/root-key", None).json();
    let root_key = hex_key(root["public_key_hex"].as_str().unwrap());
    assert_eq!(
        signature::fingerprint(&root_key),
        fingerprint,
        "root key matches the pinned fingerprint"
    );
    let reply = server.get("/v1/trust-list", None);
    assert_eq!(reply.status, 200);
    asxh_core::lists::TrustList::parse_verified(&reply.body, &root_key)
        .expect("trust list verifies under the pinned root")
}

/// Fetches `/v1/revocation-list{query}` and verifies it with the trust list's list key.
pub fn revocation_list(
    server: &RunningServer,
    trust: &asxh_core::lists::TrustList,
    query: &str,
) -> asxh_core::lists::RevocationList {
    let reply = server.get(&format!("/v1/revocation-list{query}"), None);
    assert_eq!(
        reply.status,
        200,
        "{:?}",
        String::from_utf8_lossy(&reply.body)
    );
    asxh_core::lists::RevocationList::parse_verified(&reply.body, &trust.list_key)
        .expect("revocation list verifies")
}
