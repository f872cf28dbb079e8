//! Serving the revocation list, side by side with nginx serving the same bytes as a static file
//! (issue 15's target: ≥ 0.8 × nginx, 200 and 304). The real `asxh-server` binary with a
//! province's list (cards issued and revoked over HTTP), and Debian's nginx with the list's exact
//! bytes as a file, its content type and Cache-Control; both loaded in turn by `wrk` with 50
//! keep-alive connections on loopback, first plain GETs (200), then GETs with the ETag each one
//! gave (304). Each pair is measured twice, alternating server and nginx, and the better run of
//! each is kept, so a burst of other work on the machine hits both alike. The load generator
//! shares the cores with whichever is being measured. Writes
//! `target/bench-results/list_serving.json`; `ASXH_BENCH_QUICK=1` runs shorter.

use std::process::Command;
use std::time::Duration;

use asxh_e2e::nginx::Nginx;
use asxh_e2e::server::{issue_body, Province};
use serde_json::{json, Value};

/// Revoked cards on the list served.
const REVOKED: u32 = 2_000;
const CONNECTIONS: u32 = 50;
const PATH: &str = "/v1/revocation-list";

/// A GET as the load will send it: its status, body and the headers asked for (ETag,
/// Content-Type, Cache-Control), checked before loading a URL so that `wrk` measures the answer
/// intended.
struct Probe {
    status: u16,
    body: Vec<u8>,
    etag: Option<String>,
    content_type: Option<String>,
    cache_control: Option<String>,
}

fn probe(url: &str, etag: Option<&str>) -> Probe {
    let mut req = ureq::get(url).timeout(Duration::from_secs(30));
    if let Some(e) = etag {
        req = req.set("If-None-Match", e);
    }
    let r = match req.call() {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("{url}: {e}"),
    };
    let header = |name| r.header(name).map(str::to_owned);
    let (etag, content_type, cache_control) = (
        header("etag"),
        header("content-type"),
        header("cache-control"),
    );
    let status = r.status();
    let mut body = Vec::new();
    std::io::copy(&mut r.into_reader(), &mut body).expect("body");
    Probe {
        status,
        body,
        etag,
        content_type,
        cache_control,
    }
}

/// Requests per second `wrk` reaches on `url` (with `If-None-Match: etag` when given).
fn wrk(url: &str, etag: Option<&str>, seconds: u32) -> f64 {
    let mut cmd = Command::new("wrk");
    cmd.args(["-t", "2", "-c", &CONNECTIONS.to_string()])
        .args(["-d", &format!("{seconds}s")]);
    if let Some(e) = etag {
        cmd.args(["-H", &format!("If-None-Match: {e}")]);
    }
    let out = cmd
        .arg(url)
        .output()
        .expect("wrk runs (Debian package wrk, installed by scripts/setup)");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "wrk {url}: {text}");
    assert!(
        !text.contains("Non-2xx") && !text.contains("Socket errors"),
        "wrk {url} had errors or unexpected statuses:\n{text}"
    );
    text.lines()
        .find_map(|l| l.strip_prefix("Requests/sec:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("no Requests/sec in wrk's output:\n{text}"))
}

fn main() {
    let quick = std::env::var("ASXH_BENCH_QUICK").is_ok_and(|v| v == "1");
    let seconds = if quick { 4 } else { 10 };
    let p = Province::new();
    let server = p.dir.start();
    for holder in 1..=REVOKED {
        let issued = server.post("/v1/cards", Some(&p.office_qng), issue_body(holder, "51"));
        let serial = issued.json()["serial"].as_str().unwrap().to_owned();
        let revoked = server.post(
            "/v1/revocations",
            Some(&p.admin_51),
            json!({"serial": serial, "reason": if holder % 5 == 0 { "deceased" } else { "lost" }}),
        );
        assert_eq!(revoked.status, 201, "revocation of {serial}");
    }

    let server_url = format!("{}{PATH}", server.url);
    let ours = probe(&server_url, None);
    assert_eq!(ours.status, 200);
    assert!(
        ours.cache_control
            .as_deref()
            .is_some_and(|c| c.starts_with("public, max-age=")),
        "the server lets caches keep the list"
    );
    let (bytes, server_etag) = (ours.body, ours.etag.expect("ETag"));
    let nginx = Nginx::serving(PATH, &bytes, &ours.content_type.expect("content type"));
    let nginx_url = format!("{}{PATH}", nginx.url);
    let theirs = probe(&nginx_url, None);
    assert_eq!(
        (theirs.status, &theirs.body),
        (200, &bytes),
        "nginx serves the same bytes"
    );
    let nginx_etag = theirs.etag.expect("nginx ETag");
    assert_eq!(probe(&server_url, Some(&server_etag)).status, 304);
    assert_eq!(probe(&nginx_url, Some(&nginx_etag)).status, 304);

    let mut figures = Vec::new();
    for (answer, server_tag, nginx_tag) in [
        ("200", None, None),
        ("304", Some(server_etag.as_str()), Some(nginx_etag.as_str())),
    ] {
        let (mut ours, mut theirs) = (0f64, 0f64);
        for _ in 0..2 {
            ours = ours.max(wrk(&server_url, server_tag, seconds));
            theirs = theirs.max(wrk(&nginx_url, nginx_tag, seconds));
        }
        let ratio = ours / theirs;
        println!(
            "{answer}: asxh-server {ours:.0}/s, nginx static {theirs:.0}/s = {ratio:.2} × nginx ({} B list, {CONNECTIONS} connections)",
            bytes.len()
        );
        figures.push(json!({
            "answer": answer,
            "server_per_second": ours,
            "nginx_per_second": theirs,
            "ratio": ratio,
            "pass": ratio >= 0.8,
        }));
    }
    let out = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/bench-results");
    std::fs::create_dir_all(&out).unwrap();
    let report: Value = json!({
        "list_bytes": bytes.len(),
        "revoked": REVOKED,
        "connections": CONNECTIONS,
        "seconds": seconds,
        "answers": figures,
    });
    std::fs::write(
        out.join("list_serving.json"),
        serde_json::to_string_pretty(&report).unwrap(),
    )
    .unwrap();
}
