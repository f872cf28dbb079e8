//! A man in the middle on loopback, for the verifier's sync: it forwards every GET to the real
//! server and answers the paths a test chooses with bytes of its choosing — an older but
//! genuinely signed list, a list signed by another root, another root key, a crafted status —
//! as a hostile network or a compromised mirror would. Plain HTTP/1.1 over `std::net`, one connection at a time,
//! `Connection: close`. A POST or PUT is forwarded too (with its token and body), and a path can be made
//! to fail as a broken network does: the request reaches the server but the connection drops
//! before its answer ([`Relay::cut_after_forwarding`]), or the request is held and never answered
//! ([`Relay::hold`]).

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use asxh_core::signature::SigningKey;

use crate::server::ServerDir;

/// Canned answers (status and body) by path, or by path and query.
type Replaced = Arc<Mutex<HashMap<String, (u16, Vec<u8>)>>>;

/// How a POST or PUT of a path fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fault {
    /// Forwarded to the server, then the connection is closed without its answer.
    Cut,
    /// Neither forwarded nor answered, until the relay stops.
    Hold,
}

type Faults = Arc<Mutex<HashMap<String, Fault>>>;

/// The relay: point the verifier at [`Relay::url`] instead of the server's.
pub struct Relay {
    pub url: String,
    replaced: Replaced,
    faults: Faults,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Relay {
    /// Listens on an ephemeral loopback port and forwards to `upstream` (`http://host:port`).
    pub fn start(upstream: &str) -> Relay {
        let listener = TcpListener::bind("127.0.0.1:0").expect("loopback port");
        let url = format!("http://{}", listener.local_addr().expect("bound address"));
        let replaced = Replaced::default();
        let faults = Faults::default();
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let (replaced, faults, stop) = (replaced.clone(), faults.clone(), stop.clone());
            let upstream = upstream.trim_end_matches('/').to_owned();
            let agent = ureq::AgentBuilder::new()
                .timeout(Duration::from_secs(30))
                .build();
            std::thread::spawn(move || {
                for stream in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    if let Ok(stream) = stream {
                        // A client that goes away mid-request is its own problem.
                        let relay = Shared {
                            upstream: &upstream,
                            agent: &agent,
                            replaced: &replaced,
                            faults: &faults,
                            stop: &stop,
                        };
                        let _ = answer(stream, &relay);
                    }
                }
            })
        };
        Relay {
            url,
            replaced,
            faults,
            stop,
            thread: Some(thread),
        }
    }

    /// From now on, `GET path` (whatever its query) is answered `200` with `body`.
    pub fn replace(&self, path: &str, body: Vec<u8>) {
        self.answer_with(path, 200, body);
    }

    /// From now on, `GET target` is answered `status` with `body`; a `target` with a query
    /// (`/v1/revocation-list?since=5`) matches only that query, and wins over its path.
    pub fn answer_with(&self, target: &str, status: u16, body: Vec<u8>) {
        self.replaced
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(target.to_owned(), (status, body));
    }

    /// From now on, `GET path` goes to the server again, and so does `POST path`.
    pub fn forward(&self, path: &str) {
        self.replaced
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(path);
        self.faults
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(path);
    }

    /// From now on, a POST or PUT of `path` reaches the server, which acts on it, but the connection drops
    /// before its answer comes back (a network cut mid-request).
    pub fn cut_after_forwarding(&self, path: &str) {
        self.set_fault(path, Fault::Cut);
    }

    /// From now on, a POST or PUT of `path` is held open and never answered (nor forwarded), until
    /// [`Relay::forward`] or the relay stops.
    pub fn hold(&self, path: &str) {
        self.set_fault(path, Fault::Hold);
    }

    fn set_fault(&self, path: &str, fault: Fault) {
        self.faults
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(path.to_owned(), fault);
    }
}

/// What the accept loop shares with each connection.
struct Shared<'a> {
    upstream: &'a str,
    agent: &'a ureq::Agent,
    replaced: &'a Replaced,
    faults: &'a Faults,
    stop: &'a AtomicBool,
}

impl Drop for Relay {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so that it sees the flag.
        let _ = TcpStream::connect(self.url.trim_start_matches("http://"));
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn answer(stream: TcpStream, relay: &Shared<'_>) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 || line.trim().is_empty() {
            break;
        }
        if let Some((k, v)) = line.split_once(':') {
            headers.push((k.trim().to_ascii_lowercase(), v.trim().to_owned()));
        }
    }
    let mut parts = request_line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or("/"));
    let path = target.split('?').next().unwrap_or(target);
    let canned = {
        let map = relay.replaced.lock().unwrap_or_else(|p| p.into_inner());
        map.get(target).or_else(|| map.get(path)).cloned()
    };
    let fault = relay
        .faults
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .get(path)
        .copied();
    let url = format!("{}{target}", relay.upstream);
    let (status, etag, body) = match (method, canned) {
        ("GET", Some((status, body))) => (status, None, body),
        ("GET", None) => forward(relay.agent, &url, &headers),
        ("POST" | "PUT", _) => {
            let length = headers
                .iter()
                .find(|(k, _)| k == "content-length")
                .and_then(|(_, v)| v.parse::<usize>().ok())
                .unwrap_or(0);
            let mut sent = vec![0u8; length];
            reader.read_exact(&mut sent)?;
            if fault == Some(Fault::Hold) {
                while !relay.stop.load(Ordering::SeqCst)
                    && relay
                        .faults
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .get(path)
                        == Some(&Fault::Hold)
                {
                    std::thread::sleep(Duration::from_millis(20));
                }
                return Ok(());
            }
            let answer = forward_with_body(relay.agent, method, &url, &headers, &sent);
            if fault == Some(Fault::Cut) {
                let _ = stream.shutdown(std::net::Shutdown::Both);
                return Ok(());
            }
            answer
        }
        _ => (
            405,
            None,
            b"the relay forwards GET, POST and PUT only".to_vec(),
        ),
    };
    let mut out = stream;
    write!(
        out,
        "HTTP/1.1 {status} Relayed\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    )?;
    if let Some(e) = etag {
        write!(out, "ETag: {e}\r\n")?;
    }
    out.write_all(b"\r\n")?;
    out.write_all(&body)?;
    out.flush()
}

/// The server's answer to a POST or PUT of `body` with the client's token and content type.
fn forward_with_body(
    agent: &ureq::Agent,
    method: &str,
    url: &str,
    headers: &[(String, String)],
    body: &[u8],
) -> (u16, Option<String>, Vec<u8>) {
    let mut req = agent.request(method, url);
    for (k, v) in headers {
        if k == "authorization" || k == "content-type" || k == "accept" {
            req = req.set(k, v);
        }
    }
    read_answer(req.send_bytes(body))
}

/// The server's answer to a GET with the client's conditional and content headers.
fn forward(
    agent: &ureq::Agent,
    url: &str,
    headers: &[(String, String)],
) -> (u16, Option<String>, Vec<u8>) {
    let mut req = agent.get(url);
    for (k, v) in headers {
        if k == "if-none-match" || k == "accept" {
            req = req.set(k, v);
        }
    }
    read_answer(req.call())
}

fn read_answer(answer: Result<ureq::Response, ureq::Error>) -> (u16, Option<String>, Vec<u8>) {
    let resp = match answer {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(e) => return (502, None, format!("relay: {e}").into_bytes()),
    };
    let status = resp.status();
    let etag = resp.header("etag").map(str::to_owned);
    let mut body = Vec::new();
    if resp.into_reader().read_to_end(&mut body).is_err() {
        return (502, None, b"relay: the server's answer broke off".to_vec());
    }
    (status, etag, body)
}

/// A private key from the server's data directory (`root.key`, `revocation-list.key`,
/// `issuer-<office>.key`): what an attacker who stole it would sign with.
pub fn server_key(dir: &ServerDir, file: &str) -> SigningKey {
    let path = dir.data().join("keys").join(file);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    SigningKey::from_slice(&hex::decode(text.trim()).expect("hex key")).expect("P-256 key")
}
