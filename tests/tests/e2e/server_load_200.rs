//! 200 concurrent clients against the real `asxh-server` binary on loopback for 60 s (issue #8),
//! in a mix like a province's: offices issue and activate cards, administrators revoke them and
//! look cards up, payment points poll the revocation list (delta since their version, with the
//! ETag, so mostly `304 Not Modified`) and the trust list. Prints throughput and p50/p99/max
//! latency per kind of request, and fails on any transport error or unexpected status.
//!
//! `ASXH_LOAD_SECS` (default 60) and `ASXH_LOAD_CLIENTS` (default 200) change the run.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Barrier, Mutex};
use std::time::{Duration, Instant};

use asxh_e2e::server::{card_key_hex, issue_body, send_with, ssn, Province, Reply, Req};
use serde_json::json;

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .map(|v| {
            v.parse()
                .unwrap_or_else(|_| panic!("{name}={v:?} is not a number"))
        })
        .unwrap_or(default)
}

/// The kinds of request, as reported.
const KINDS: [&str; 7] = [
    "issue",
    "activate",
    "revoke",
    "card lookup",
    "lookup by SSN",
    "revocation list",
    "trust list",
];

/// One client: its own agent (one keep-alive connection, as a real client has).
struct Client {
    agent: ureq::Agent,
    url: String,
}

impl Client {
    fn send(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        if_none_match: Option<&str>,
        json: Option<serde_json::Value>,
    ) -> Result<Reply, String> {
        let headers = if_none_match
            .map(|e| vec![("If-None-Match", e.to_owned())])
            .unwrap_or_default();
        let req = Req {
            token,
            json,
            headers,
            ..Req::default()
        };
        send_with(&self.agent, &self.url, method, path, req)
    }
}

/// A small deterministic random number generator (xorshift), one per client.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

/// Latencies and errors of one client, by kind.
#[derive(Default)]
struct Record {
    latencies: BTreeMap<&'static str, Vec<Duration>>,
    statuses: BTreeMap<(&'static str, u16), u64>,
    errors: Vec<String>,
}

impl Record {
    /// Records a request of `kind` that took `elapsed` and must have answered one of `expected`.
    fn note(
        &mut self,
        kind: &'static str,
        elapsed: Duration,
        answer: &Result<Reply, String>,
        expected: &[u16],
    ) -> bool {
        self.latencies.entry(kind).or_default().push(elapsed);
        match answer {
            Ok(a) => {
                *self.statuses.entry((kind, a.status)).or_default() += 1;
                if expected.contains(&a.status) {
                    return true;
                }
                self.errors.push(format!(
                    "{kind}: status {} {}",
                    a.status,
                    String::from_utf8_lossy(&a.body)
                ));
            }
            Err(e) => self.errors.push(format!("{kind}: transport error: {e}")),
        }
        false
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Card serials of issued cards, and active cards waiting to be revoked.
struct Shared {
    lookups: Vec<(String, String)>,
    revocable: Mutex<Vec<String>>,
    next_holder: AtomicU32,
}

#[test]
fn two_hundred_clients_for_a_minute_get_no_error_from_the_server() {
    let secs = env_number("ASXH_LOAD_SECS", 60);
    let clients = env_number("ASXH_LOAD_CLIENTS", 200) as usize;
    let p = Province::new();
    let server = p.dir.start();

    // 400 active cards to look up and revoke, issued by 8 threads.
    let issued: Vec<(String, String)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..8u32)
            .map(|t| {
                let (server, office) = (&server, &p.office_qng);
                s.spawn(move || {
                    (0..50u32)
                        .map(|i| {
                            let n = t * 50 + i;
                            let r = server.post("/v1/cards", Some(office), issue_body(n, "51"));
                            assert_eq!(r.status, 201, "{}", r.json());
                            let serial = r.json()["serial"].as_str().expect("serial").to_owned();
                            let a = server.post(
                                &format!("/v1/cards/{serial}/activate"),
                                Some(office),
                                json!({}),
                            );
                            assert_eq!(a.status, 200);
                            (serial, ssn(n, "F", 1946))
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("issuing thread"))
            .collect()
    });
    let shared = Arc::new(Shared {
        revocable: Mutex::new(issued.iter().map(|(s, _)| s.clone()).collect()),
        lookups: issued,
        next_holder: AtomicU32::new(100_000),
    });

    let barrier = Arc::new(Barrier::new(clients + 1));
    let stop_at = Arc::new(Mutex::new(None::<Instant>));
    let handles: Vec<_> = (0..clients)
        .map(|c| {
            let (shared, barrier, stop_at) = (shared.clone(), barrier.clone(), stop_at.clone());
            let client = Client {
                agent: ureq::AgentBuilder::new()
                    .timeout(Duration::from_secs(60))
                    .build(),
                url: server.url.clone(),
            };
            let (office, admin) = (p.office_qng.clone(), p.admin_51.clone());
            std::thread::Builder::new()
                .name(format!("client {c}"))
                .stack_size(512 * 1024)
                .spawn(move || {
                    let mut rec = Record::default();
                    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ ((c as u64 + 1) * 0x1000_0001));
                    // Open the keep-alive connection before the clock starts.
                    if let Err(e) = client.send("GET", "/healthz", None, None, None) {
                        rec.errors.push(format!("connect: {e}"));
                    }
                    barrier.wait();
                    let stop = stop_at.lock().unwrap().expect("stop time set");
                    let mut list_since: Option<u64> = None;
                    let mut list_etag: Option<String> = None;
                    let mut trust_etag: Option<String> = None;
                    while Instant::now() < stop {
                        let roll = rng.below(100);
                        let t = Instant::now();
                        if roll < 8 {
                            // An office issues a card and activates it after personalization.
                            let n = shared.next_holder.fetch_add(1, Ordering::Relaxed);
                            let mut body = issue_body(n, "51");
                            body["card_public_key_hex"] =
                                json!(card_key_hex(&format!("load {c} {n}")));
                            let a =
                                client.send("POST", "/v1/cards", Some(&office), None, Some(body));
                            if !rec.note("issue", t.elapsed(), &a, &[201]) {
                                continue;
                            }
                            let v: serde_json::Value =
                                serde_json::from_slice(&a.expect("answer").body).expect("JSON");
                            let serial = v["serial"].as_str().expect("serial").to_owned();
                            let t = Instant::now();
                            let a = client.send(
                                "POST",
                                &format!("/v1/cards/{serial}/activate"),
                                Some(&office),
                                None,
                                Some(json!({})),
                            );
                            if rec.note("activate", t.elapsed(), &a, &[200]) {
                                shared.revocable.lock().unwrap().push(serial);
                            }
                        } else if roll < 12 {
                            let Some(serial) = shared.revocable.lock().unwrap().pop() else {
                                continue;
                            };
                            let body = json!({"serial": serial, "reason": "lost"});
                            let a = client.send(
                                "POST",
                                "/v1/revocations",
                                Some(&admin),
                                None,
                                Some(body),
                            );
                            rec.note("revoke", t.elapsed(), &a, &[201]);
                        } else if roll < 32 {
                            let i = rng.below(shared.lookups.len() as u64) as usize;
                            let path = format!("/v1/cards/{}", shared.lookups[i].0);
                            let token = if roll % 2 == 0 { &admin } else { &office };
                            let a = client.send("GET", &path, Some(token), None, None);
                            rec.note("card lookup", t.elapsed(), &a, &[200]);
                        } else if roll < 37 {
                            let i = rng.below(shared.lookups.len() as u64) as usize;
                            let path = format!("/v1/cards?ssn={}", shared.lookups[i].1);
                            let a = client.send("GET", &path, Some(&admin), None, None);
                            rec.note("lookup by SSN", t.elapsed(), &a, &[200]);
                        } else if roll < 90 {
                            // A payment point asks for what changed since its version.
                            let path = match list_since {
                                Some(v) => format!("/v1/revocation-list?since={v}"),
                                None => "/v1/revocation-list".to_owned(),
                            };
                            let a = client.send("GET", &path, None, list_etag.as_deref(), None);
                            if rec.note("revocation list", t.elapsed(), &a, &[200, 304]) {
                                let a = a.expect("answer");
                                if a.status == 200 {
                                    // ETag "rl-<version>-<hash>" or
                                    // "rl-<since>-<version>-<hash>".
                                    let etag = a.etag.expect("ETag on the revocation list");
                                    let version = etag
                                        .trim_matches('"')
                                        .rsplit('-')
                                        .nth(1)
                                        .and_then(|v| v.parse::<u64>().ok())
                                        .expect("version in the ETag");
                                    if list_since == Some(version) {
                                        list_etag = Some(etag);
                                    } else {
                                        list_since = Some(version);
                                        list_etag = None;
                                    }
                                }
                            }
                        } else {
                            let a = client.send(
                                "GET",
                                "/v1/trust-list",
                                None,
                                trust_etag.as_deref(),
                                None,
                            );
                            if rec.note("trust list", t.elapsed(), &a, &[200, 304]) {
                                if let Some(e) = a.expect("answer").etag {
                                    trust_etag = Some(e);
                                }
                            }
                        }
                    }
                    rec
                })
                .expect("client thread")
        })
        .collect();
    let cpu_before = server.cpu_time();
    *stop_at.lock().unwrap() = Some(Instant::now() + Duration::from_secs(secs));
    let started = Instant::now();
    barrier.wait();
    let records: Vec<Record> = handles
        .into_iter()
        .map(|h| h.join().expect("client thread"))
        .collect();
    let wall = started.elapsed();
    let cpu = server.cpu_time().saturating_sub(cpu_before);

    let mut latencies: BTreeMap<&str, Vec<Duration>> = BTreeMap::new();
    let mut statuses: BTreeMap<(&str, u16), u64> = BTreeMap::new();
    let mut errors = Vec::new();
    for r in records {
        for (k, v) in r.latencies {
            latencies.entry(k).or_default().extend(v);
        }
        for (k, v) in r.statuses {
            *statuses.entry(k).or_default() += v;
        }
        errors.extend(r.errors);
    }
    let total: usize = latencies.values().map(Vec::len).sum();
    eprintln!(
        "load: {clients} clients, {:.1} s, {total} requests, {:.0} requests/s, {} errors, \
         server CPU {:.1} s ({:.0}% of one core)",
        wall.as_secs_f64(),
        total as f64 / wall.as_secs_f64(),
        errors.len(),
        cpu.as_secs_f64(),
        100.0 * cpu.as_secs_f64() / wall.as_secs_f64()
    );
    eprintln!(
        "{:<16} {:>9} {:>9} {:>9} {:>9} {:>9}  statuses",
        "kind", "requests", "req/s", "p50 ms", "p99 ms", "max ms"
    );
    for kind in KINDS {
        let Some(l) = latencies.get_mut(kind) else {
            eprintln!("{kind:<16} {:>9}", 0);
            continue;
        };
        l.sort();
        let seen: Vec<String> = statuses
            .iter()
            .filter(|((k, _), _)| *k == kind)
            .map(|((_, s), n)| format!("{s}×{n}"))
            .collect();
        eprintln!(
            "{kind:<16} {:>9} {:>9.1} {:>9.1} {:>9.1} {:>9.1}  {}",
            l.len(),
            l.len() as f64 / wall.as_secs_f64(),
            ms(percentile(l, 0.5)),
            ms(percentile(l, 0.99)),
            ms(*l.last().expect("one request")),
            seen.join(" ")
        );
    }
    assert!(
        errors.is_empty(),
        "{} errors under load, for example:\n{}",
        errors.len(),
        errors
            .iter()
            .take(20)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    for kind in KINDS {
        assert!(
            latencies.get(kind).is_some_and(|l| !l.is_empty()),
            "no {kind} request was made"
        );
    }
    assert_eq!(server.get("/healthz", None).status, 200);
    assert!(p
        .dir
        .cli_ok(&["audit", "verify"])
        .contains("còn nguyên vẹn"));
}
