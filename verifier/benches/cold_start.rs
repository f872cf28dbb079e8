//! The verifier's cold start with a 1,000,000-entry revocation cache (issue #10, target
//! ≤ 150 ms wall): a data directory holding a signed trust list and a signed list of a million
//! revoked serials, and the `asxh-verifier` process started from nothing to verify a QR (it
//! loads and re-verifies the whole cache first). Writes `target/bench-results/cold_start.json`.

use std::process::Command;
use std::time::{Duration, Instant};

use asxh_core::lists::{IssuerStatus, RevocationList};
use asxh_core::signature;
use asxh_core::{QrBody, QrCredential};
use asxh_testkit as testkit;
use asxh_testkit::test_key;
use asxh_verifier::store::Store;

fn main() {
    let root = test_key("cold start root");
    let list_key = test_key("cold start list");
    let issuer = testkit::issuer_key();
    let now = time::OffsetDateTime::now_utc().unix_timestamp() as u64;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("point");
    let mut store = Store::init(
        &data,
        "http://127.0.0.1:9",
        &signature::fingerprint(root.verifying_key()),
        "bench",
    )
    .unwrap();
    store.set_root_key(root.verifying_key()).unwrap();
    let trust = testkit::trust_list(IssuerStatus::Active, list_key.verifying_key(), now);
    store.save_trust_list(1, &trust.sign(&root), None).unwrap();
    let entries = testkit::random_revocations(1_000_000, 100_000_000, 1)
        .into_iter()
        .filter(|r| r.serial.number() != 4242)
        .collect();
    let list = RevocationList::new(1_000_000, now, now + 3600, None, entries).unwrap();
    store
        .save_full_revocations(list.version, &list.sign(&list_key), None, &[])
        .unwrap();
    drop(store);

    let body = testkit::credential_body(
        4242,
        testkit::sample_holder(),
        issuer.verifying_key(),
        &issuer,
        testkit::entitlements(3),
    );
    let qr = QrCredential::issue(QrBody::for_card(&body), &issuer).unwrap();
    let exe = env!("CARGO_BIN_EXE_asxh-verifier");
    let mut runs = Vec::new();
    for _ in 0..10 {
        let t = Instant::now();
        let out = Command::new(exe)
            .args(["qr", "--json", "--text", qr.text(), "--data"])
            .arg(&data)
            .output()
            .unwrap();
        runs.push(t.elapsed());
        assert_eq!(
            out.status.code(),
            Some(10),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    runs.sort();
    let median = runs[runs.len() / 2];
    println!(
        "verifier cold start with a 1,000,000-entry revocation cache, to a QR verdict: median {:.1} ms (min {:.1}, max {:.1}) over {} runs",
        median.as_secs_f64() * 1e3,
        runs[0].as_secs_f64() * 1e3,
        runs[runs.len() - 1].as_secs_f64() * 1e3,
        runs.len()
    );
    let figures = serde_json::json!([{
        "name": "verifier cold start with a 1,000,000-entry revocation cache (process start to QR verdict, median of 10)",
        "value": median.as_secs_f64() * 1e3, "unit": "ms", "target": "<= 150 ms", "pass": median <= Duration::from_millis(150)
    }]);
    let out = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/bench-results");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(
        out.join("cold_start.json"),
        serde_json::to_string_pretty(&figures).unwrap(),
    )
    .unwrap();
}
