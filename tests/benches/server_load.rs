//! Bounded load on the real server over loopback (the `asxh-server` binary, a real SQLite file
//! with synchronous=FULL): durable issuances per second, revocation latency under 50 concurrent
//! clients, and `304 Not Modified` answers per second for revocation-list deltas. Prints the
//! figures with their targets and writes them to `target/bench-results/server_load.json`.
//! `ASXH_BENCH_QUICK=1` runs a shorter version (for `scripts/bench-report`).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use asxh_e2e::server::{issue_body, Province};
use serde_json::{json, Value};

struct Figures {
    name: &'static str,
    value: f64,
    unit: &'static str,
    target: &'static str,
    pass: bool,
}

fn agent() -> ureq::Agent {
    ureq::AgentBuilder::new()
        .timeout(Duration::from_secs(30))
        .build()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

static BASE_URL: std::sync::OnceLock<String> = std::sync::OnceLock::new();

fn warm_up(agent: &ureq::Agent) {
    let url = BASE_URL.get().expect("server started");
    agent
        .get(&format!("{url}/healthz"))
        .call()
        .expect("healthz");
}

/// `clients` threads each send `per_client` requests made by `request(client, i)`, starting
/// together; returns every latency and the wall time.
fn run_clients(
    clients: usize,
    per_client: usize,
    request: impl Fn(&ureq::Agent, usize, usize) -> u16 + Send + Sync + 'static,
    expect: u16,
) -> (Vec<Duration>, Duration) {
    let request = Arc::new(request);
    let barrier = Arc::new(Barrier::new(clients + 1));
    let handles: Vec<_> = (0..clients)
        .map(|c| {
            let (request, barrier) = (request.clone(), barrier.clone());
            std::thread::spawn(move || {
                let agent = agent();
                let mut latencies = Vec::with_capacity(per_client);
                // Open the keep-alive connection first: clients of a server stay connected, and
                // a TCP handshake is not what is being measured.
                warm_up(&agent);
                barrier.wait();
                for i in 0..per_client {
                    let t = Instant::now();
                    let status = request(&agent, c, i);
                    latencies.push(t.elapsed());
                    assert_eq!(status, expect, "client {c} request {i}");
                }
                latencies
            })
        })
        .collect();
    barrier.wait();
    let start = Instant::now();
    let mut all: Vec<Duration> = handles
        .into_iter()
        .flat_map(|h| h.join().unwrap())
        .collect();
    let wall = start.elapsed();
    all.sort();
    (all, wall)
}

fn post(agent: &ureq::Agent, url: &str, token: &str, body: Value) -> (u16, Option<Value>) {
    match agent
        .post(url)
        .set("Authorization", &format!("Bearer {token}"))
        .send_json(body)
    {
        Ok(r) => (r.status(), r.into_json().ok()),
        Err(ureq::Error::Status(s, r)) => (s, r.into_json().ok()),
        Err(e) => panic!("{url}: {e}"),
    }
}

fn main() {
    let quick = std::env::var("ASXH_BENCH_QUICK").is_ok_and(|v| v == "1");
    let scale = if quick { 1 } else { 4 };
    let p = Province::new();
    let server = p.dir.start();
    let url = server.url.clone();
    BASE_URL.set(url.clone()).expect("set once");
    let mut figures = Vec::new();

    // 1. Durable issuances per second: 8 office clients, each request a full issuance (two
    //    signatures made before the write, the writes group-committed).
    //    The bodies (each with the public key of a new card) are made before the timed phase:
    //    a card makes its key itself, and the client's scalar multiplication is not the server's
    //    rate.
    let clients = 8;
    let per_client = 100 * scale;
    let next_holder = Arc::new(AtomicUsize::new(1));
    let bodies: Arc<Vec<Value>> = Arc::new(
        (0..clients * per_client)
            .map(|_| issue_body(next_holder.fetch_add(1, Ordering::Relaxed) as u32, "51"))
            .collect(),
    );
    let (u, t, b) = (url.clone(), p.office_qng.clone(), bodies.clone());
    let (cpu_before, client_cpu_before) = (server.cpu_time(), asxh_e2e::cpu_time("self"));
    let (lat, wall) = run_clients(
        clients,
        per_client,
        move |a, c, i| {
            post(
                a,
                &format!("{u}/v1/cards"),
                &t,
                b[c * per_client + i].clone(),
            )
            .0
        },
        201,
    );
    let rate = lat.len() as f64 / wall.as_secs_f64();
    let per_issuance = |cpu: Duration| cpu.as_secs_f64() / lat.len() as f64 * 1e6;
    println!(
        "issuance: {} cards in {:.2} s = {rate:.0}/s (p50 {:?}, p99 {:?}); CPU per issuance: server {:.0} µs, clients {:.0} µs",
        lat.len(),
        wall.as_secs_f64(),
        percentile(&lat, 0.5),
        percentile(&lat, 0.99),
        per_issuance(server.cpu_time() - cpu_before),
        per_issuance(asxh_e2e::cpu_time("self") - client_cpu_before),
    );
    figures.push(Figures {
        name: "durable issuances per second (8 clients)",
        value: rate,
        unit: "/s",
        target: ">= 500/s",
        pass: rate >= 500.0,
    });

    // 2. Revocation latency under 50 concurrent clients, on activated cards.
    let revokers = 50;
    let per_revoker = 25 * scale;
    let serials: Arc<Vec<String>> = Arc::new({
        let a = agent();
        (0..revokers * per_revoker)
            .map(|_| {
                let holder = next_holder.fetch_add(1, Ordering::Relaxed) as u32;
                let (_, body) = post(
                    &a,
                    &format!("{url}/v1/cards"),
                    &p.office_qng,
                    issue_body(holder, "51"),
                );
                let serial = body.unwrap()["serial"].as_str().unwrap().to_owned();
                post(
                    &a,
                    &format!("{url}/v1/cards/{serial}/activate"),
                    &p.office_qng,
                    json!({}),
                );
                serial
            })
            .collect()
    });
    let (u, t, s) = (url.clone(), p.admin_51.clone(), serials.clone());
    let cpu_before = server.cpu_time();
    let (lat, wall) = run_clients(
        revokers,
        per_revoker,
        move |a, c, i| {
            post(
                a,
                &format!("{u}/v1/revocations"),
                &t,
                json!({"serial": s[c * per_revoker + i], "reason": "lost"}),
            )
            .0
        },
        201,
    );
    let p99 = percentile(&lat, 0.99);
    let server_cpu = (server.cpu_time() - cpu_before).as_secs_f64() / lat.len() as f64;
    println!(
        "revocation: {} in {:.2} s with {revokers} clients: p50 {:?}, p99 {p99:?}; server CPU {:.0} µs per revocation ({:.0}% of 2 cores)",
        lat.len(),
        wall.as_secs_f64(),
        percentile(&lat, 0.5),
        server_cpu * 1e6,
        server_cpu * lat.len() as f64 / wall.as_secs_f64() / 2.0 * 100.0
    );
    figures.push(Figures {
        name: "revocation 201 p99, 50 concurrent clients",
        value: p99.as_secs_f64() * 1000.0,
        unit: "ms",
        target: "<= 20 ms",
        pass: p99 <= Duration::from_millis(20),
    });

    // 3. Delta GETs answered 304 (a verifier polling with the ETag it has).
    // The current version (a publication number, SPEC.md §15.1), as a verifier that has synced
    // holds it.
    let health: serde_json::Value = agent()
        .get(&format!("{url}/healthz"))
        .call()
        .unwrap()
        .into_json()
        .unwrap();
    let version = health["revocation_list_version"].as_u64().unwrap();
    let first = agent()
        .get(&format!("{url}/v1/revocation-list?since={version}"))
        .call()
        .unwrap();
    let etag = first.header("etag").unwrap().to_owned();
    let pollers = 8;
    let per_poller = 2500 * scale;
    let u = url.clone();
    let (lat, wall) = run_clients(
        pollers,
        per_poller,
        move |a, _, _| match a
            .get(&format!("{u}/v1/revocation-list?since={version}"))
            .set("If-None-Match", &etag)
            .call()
        {
            Ok(r) => r.status(),
            Err(ureq::Error::Status(s, _)) => s,
            Err(e) => panic!("{e}"),
        },
        304,
    );
    let rate = lat.len() as f64 / wall.as_secs_f64();
    println!(
        "304 delta polls: {} in {:.2} s = {rate:.0}/s (p99 {:?})",
        lat.len(),
        wall.as_secs_f64(),
        percentile(&lat, 0.99)
    );
    figures.push(Figures {
        name: "revocation-list delta GETs answered 304 per second",
        value: rate,
        unit: "/s",
        target: ">= 10000/s",
        pass: rate >= 10_000.0,
    });

    let out = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/bench-results");
    std::fs::create_dir_all(&out).unwrap();
    let json: Vec<Value> = figures
        .iter()
        .map(|f| json!({"name": f.name, "value": f.value, "unit": f.unit, "target": f.target, "pass": f.pass}))
        .collect();
    std::fs::write(
        out.join("server_load.json"),
        serde_json::to_string_pretty(&json).unwrap(),
    )
    .unwrap();
    for f in &figures {
        println!(
            "{:<55} {:>10.1} {:<3} target {:<10} {}",
            f.name,
            f.value,
            f.unit,
            f.target,
            if f.pass { "PASS" } else { "FAIL" }
        );
    }
}
