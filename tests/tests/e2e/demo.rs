//! The README's demo end to end: it runs, every step succeeds, and it leaves what it promises in
//! its output directory — in process, and through pcscd with `--pcsc`.

use std::path::Path;
use std::process::Command;

use asxh_e2e::VirtualReader;

fn run_demo(out: &Path, extra: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_asxh-demo"))
        .arg("--out")
        .arg(out)
        .args(extra)
        .env("RUST_LOG", "warn")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "demo failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

fn json(path: &Path) -> serde_json::Value {
    serde_json::from_str(
        &std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())),
    )
    .unwrap()
}

fn check_outputs(out: &Path, stdout: &str) {
    assert!(stdout.lines().count() >= 15, "one line per step:\n{stdout}");
    for n in 1..=3 {
        assert!(out.join(format!("card-{n}.png")).exists());
        assert_eq!(
            json(&out.join(format!("verify-card-{n}.json")))["outcome"],
            "valid"
        );
    }
    assert_eq!(json(&out.join("verify-qr-1.json"))["exit_code"], 10);
    let after = json(&out.join("verify-card-2-after-revocation.json"));
    assert_eq!(after["outcome"], "revoked");
    assert_eq!(after["revocation"]["reason"], "lost");
    let second = json(&out.join("verify-card-2.json"));
    assert_eq!(
        second["holder"]["date_of_birth"], "1938",
        "a year-only birth date"
    );
    assert!(
        second["holder"]["entitlements"][0]["authorized_recipient"]["name"].is_string(),
        "an authorised recipient"
    );
    assert_eq!(
        json(&out.join("trust-list.json"))["issuers"][0]["office"],
        "QNG-01"
    );
    // The roll pays card 1 its register amount, and the new base level after one sync.
    for (file, amount) in [
        ("verify-card-1-roll.json", 500_000),
        ("verify-card-1-new-base-level.json", 750_000),
    ] {
        let v = json(&out.join(file));
        assert_eq!(v["lines"][0]["amount_vnd"], amount, "{file}: {v}");
        assert_eq!(v["lines"][0]["payable"], true, "{file}");
    }
    assert!(
        stdout.contains("pay 750,000 VND this month after one sync"),
        "{stdout}"
    );
    assert!(out.join("server").join("asxh.sqlite").exists());
    assert_eq!(
        std::fs::read_to_string(out.join("journal.csv"))
            .unwrap()
            .lines()
            .count(),
        1 + 9,
        "seven verifications and the two card payments"
    );
    // Payments at the counter: the card signs, a second payment is refused, an authorised
    // person collects, the day's list.
    for text in [
        "Trần Thị Lan paid 750,000 VND; the card signed receipt",
        "the same card again: refused — ALREADY PAID",
        "1,125,000 VND paid to his authorised person",
        "signed by the point's own key",
    ] {
        assert!(stdout.contains(text), "{text}: {stdout}");
    }
    assert_eq!(stdout.matches("day's list:").count(), 2, "{stdout}");
    let receipts = std::fs::read_to_string(out.join("receipts.csv")).unwrap();
    assert!(receipts.starts_with('\u{feff}'), "{receipts}");
    assert_eq!(receipts.lines().count(), 1 + 2, "{receipts}");
}

#[test]
fn the_demo_runs_the_whole_flow_in_process_and_overwrites_its_output() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("demo-out");
    run_demo(&out, &[]);
    let stdout = run_demo(&out, &[]);
    check_outputs(&out, &stdout);
}

#[test]
fn the_demo_runs_the_whole_flow_through_pcscd() {
    let _lock = VirtualReader::First.lock();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("demo-out");
    let stdout = run_demo(&out, &["--pcsc"]);
    check_outputs(&out, &stdout);
}
