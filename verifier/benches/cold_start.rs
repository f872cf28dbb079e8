//! The verifier's cold start with a 1,000,000-entry revocation cache (issue #10, target
//! ≤ 150 ms wall): a data directory holding a signed trust list and a signed list of a million
//! revoked serials, and the `asxh-verifier` process started from nothing to verify a QR (it
//! loads and re-verifies the whole cache first); then the same with a 400,000-line payment roll
//! of the point's area for this month as well (issue #18, target ≤ 150 ms). Writes
//! `target/bench-results/cold_start.json`.

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
    let median = cold_starts(&data, qr.text(), "a 1,000,000-entry revocation cache");

    // The point pays in a commune and holds its roll of 400,000 lines for this month, the
    // holder on it.
    let store = Store::open(&data).unwrap();
    let area = asxh_core::AreaCode::parse("51.429.22903").unwrap();
    store.set_area(&area).unwrap();
    let roll = big_roll(&area, testkit::sample_holder().ssn(), now);
    let bytes = roll.sign(&testkit::roll_key());
    println!("the 400,000-line roll: {} bytes", bytes.len());
    let mut store = store;
    store.save_full_roll(&roll, &bytes, None).unwrap();
    drop(store);
    let with_roll = cold_starts(
        &data,
        qr.text(),
        "a 1,000,000-entry revocation cache and a 400,000-line payment roll",
    );

    let figures = serde_json::json!([{
        "name": "verifier cold start with a 1,000,000-entry revocation cache (process start to QR verdict, median of 10)",
        "value": median.as_secs_f64() * 1e3, "unit": "ms", "target": "<= 150 ms", "pass": median <= Duration::from_millis(150)
    }, {
        "name": "verifier cold start with a 1,000,000-entry revocation cache and a 400,000-line payment roll (process start to QR verdict with the roll's lines, median of 10)",
        "value": with_roll.as_secs_f64() * 1e3, "unit": "ms", "target": "<= 150 ms", "pass": with_roll <= Duration::from_millis(150)
    }]);
    let out = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/bench-results");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(
        out.join("cold_start.json"),
        serde_json::to_string_pretty(&figures).unwrap(),
    )
    .unwrap();
}

/// The median of ten runs of `asxh-verifier qr` on `data`, from process start to the verdict.
fn cold_starts(data: &std::path::Path, qr: &str, what: &str) -> Duration {
    let exe = env!("CARGO_BIN_EXE_asxh-verifier");
    let mut runs = Vec::new();
    for _ in 0..10 {
        let t = Instant::now();
        let out = Command::new(exe)
            .args(["qr", "--json", "--text", qr, "--data"])
            .arg(data)
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
        "verifier cold start with {what}, to a QR verdict: median {:.1} ms (min {:.1}, max {:.1}) over {} runs",
        median.as_secs_f64() * 1e3,
        runs[0].as_secs_f64() * 1e3,
        runs[runs.len() - 1].as_secs_f64() * 1e3,
        runs.len()
    );
    median
}

const FAMILY: [&str; 8] = ["Trần", "Nguyễn", "Lê", "Phạm", "Huỳnh", "Võ", "Đặng", "Bùi"];
const MIDDLE: [&str; 6] = ["Văn", "Thị", "Hữu", "Minh", "Ngọc", "Đức"];
const GIVEN: [&str; 10] = [
    "Hùng", "Mai", "Nam", "Hoa", "Sơn", "Lan", "Tài", "Thu", "Bình", "An",
];

/// A roll of `area` for this month shaped like a province's: 400,000 beneficiaries with SSNs
/// spread over one birth-registration province, `holder` among them, a monthly line each (five
/// amounts), arrears for one in twenty, and 15 % collected by a guardian of their own.
fn big_roll(
    area: &asxh_core::AreaCode,
    holder: asxh_core::Ssn,
    now: u64,
) -> asxh_core::lists::Roll {
    use asxh_core::entitlement::{CategoryCode, IdNumber, ProgramCode};
    use asxh_core::holder::PersonName;
    use asxh_core::lists::roll::{ItemKind, LineStatus, RecipientRole};
    use asxh_core::lists::{Month, Roll, RollEntry, RollHeader, RollItem, RollLine, RollRecipient};
    let month = Month::of(asxh_core::Date::today());
    let before = Month::from_index("m", u64::from(month.index()) - 3).unwrap();
    let item = |kind, amount, first| {
        RollItem::new(
            ProgramCode::parse("TGXH").unwrap(),
            Some(CategoryCode::parse("BTXH-80").unwrap()),
            kind,
            amount,
            first,
            month,
        )
        .unwrap()
    };
    // xorshift64*: SSNs uniform over 051 + 4 × 10⁸ numbers.
    let mut x = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = move || {
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    };
    let mut ssns = std::collections::BTreeSet::from([holder]);
    while ssns.len() < 400_000 {
        let n = next() % 400_000_000;
        let text = format!(
            "051{}{:02}{:06}",
            n / 100_000_000,
            n / 1_000_000 % 100,
            n % 1_000_000
        );
        ssns.insert(asxh_core::Ssn::parse(&text).unwrap());
    }
    let entries: Vec<RollEntry> = ssns
        .into_iter()
        .enumerate()
        .map(|(i, ssn)| {
            let r = next();
            let recipient = (r % 100 < 15).then(|| {
                let name = format!(
                    "{} {} {}",
                    FAMILY[(r >> 8) as usize % FAMILY.len()],
                    MIDDLE[(r >> 16) as usize % MIDDLE.len()],
                    GIVEN[(r >> 24) as usize % GIVEN.len()]
                );
                RollRecipient {
                    role: if r % 2 == 0 {
                        RecipientRole::Guardian
                    } else {
                        RecipientRole::Authorised
                    },
                    name: PersonName::parse("name", &name).unwrap(),
                    id_number: IdNumber::parse(&format!("051090{i:06}")).unwrap(),
                    valid_until: None,
                }
            });
            let amount = 500_000 * (10 + 5 * ((r >> 32) % 5)) / 10;
            let mut lines = vec![RollLine {
                item: item(ItemKind::Monthly, amount, month),
                recipient: recipient.clone(),
                status: LineStatus::Due,
            }];
            if (r >> 40) % 20 == 0 {
                lines.push(RollLine {
                    item: item(ItemKind::Arrears, amount * 3, before),
                    recipient,
                    status: LineStatus::Due,
                });
            }
            RollEntry { ssn, lines }
        })
        .collect();
    Roll::new(
        RollHeader {
            version: 7,
            issued_at: now,
            next_update: now + 3600,
            base_version: None,
            area: area.clone(),
            month,
        },
        entries,
    )
    .unwrap()
}
