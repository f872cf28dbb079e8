//! Payment-roll benches (issue 18, SPEC.md §17): the signed roll of a commune of 3,000
//! beneficiaries and of a province of 400,000, their sizes against the information they carry,
//! a delta of 1,000 changed entries, decode + verify, and the look-up by SSN. Sizes are printed
//! and written to `target/bench-results/roll.json`.
//!
//! The beneficiaries are synthetic but shaped like a province's register: SSNs drawn uniformly
//! from one birth-registration province (4 × 10⁸ possible numbers), social assistance by
//! category (base level 500,000 đ × coefficient), people with merit by a table of amounts, a
//! few households with two programs, arrears and one-off funeral support for some, 15 % of
//! entitlements collected by a guardian or an authorised person.

use std::collections::{BTreeSet, HashMap};
use std::hint::black_box;
use std::time::Duration;

use asxh_core::lists::roll::{ItemKind, LineStatus, RecipientRole};
use asxh_core::lists::{Month, Roll, RollEntry, RollHeader, RollItem, RollLine, RollRecipient};
use asxh_core::{AreaCode, CategoryCode, Date, IdNumber, PersonName, ProgramCode, Ssn};
use asxh_testkit::test_key;
use criterion::{criterion_group, criterion_main, Criterion};
use rand_chacha::ChaCha20Rng;
use rand_core::{RngCore, SeedableRng};
use serde_json::json;

/// SSNs of one birth-registration province: digit 4 in 0–3, two year digits, six of sequence.
const SSN_SPACE: u64 = 4 * 100 * 1_000_000;
const BASE_LEVEL: u64 = 500_000;

fn month(text: &str) -> Month {
    Month::parse("month", text).unwrap()
}

/// A number below `n`.
fn below(rng: &mut ChaCha20Rng, n: u64) -> u64 {
    rng.next_u64() % n
}

fn ssns(count: usize, seed: u64) -> Vec<Ssn> {
    let mut rng = ChaCha20Rng::seed_from_u64(seed);
    let mut set = BTreeSet::new();
    while set.len() < count {
        set.insert(51_000_000_000 + below(&mut rng, SSN_SPACE));
    }
    set.into_iter()
        .map(|n| Ssn::from_number(n).unwrap())
        .collect()
}

const FAMILY: [&str; 8] = [
    "Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Phan", "Đặng",
];
const MIDDLE: [&str; 6] = ["Văn", "Thị", "Minh", "Thanh", "Ngọc", "Đức"];
const GIVEN: [&str; 12] = [
    "An", "Bình", "Cường", "Dũng", "Hoa", "Hương", "Lan", "Mai", "Nam", "Phúc", "Tám", "Xuân",
];

fn recipient(rng: &mut ChaCha20Rng) -> RollRecipient {
    let pick =
        |rng: &mut ChaCha20Rng, list: &[&'static str]| list[below(rng, list.len() as u64) as usize];
    let name = format!(
        "{} {} {}",
        pick(rng, &FAMILY),
        pick(rng, &MIDDLE),
        pick(rng, &GIVEN)
    );
    RollRecipient {
        role: if below(rng, 3) == 0 {
            RecipientRole::Guardian
        } else {
            RecipientRole::Authorised
        },
        name: PersonName::parse("name", &name).unwrap(),
        id_number: IdNumber::parse(&format!("051{:09}", below(rng, 1_000_000_000))).unwrap(),
        valid_until: (below(rng, 2) == 0).then(|| Date::parse("d", "2027-12-31").unwrap()),
    }
}

fn item(program: &str, category: &str, kind: ItemKind, amount: u64, first: Month) -> RollItem {
    RollItem::new(
        ProgramCode::parse(program).unwrap(),
        CategoryCode::parse(category).ok(),
        kind,
        amount,
        first,
        month("2026-12"),
    )
    .unwrap()
}

/// Social-assistance categories of Decree 20/2021 with their coefficients (×10) and weights.
const TGXH: [(&str, u64, u64); 6] = [
    ("NCT80", 10, 45),
    ("NKT-NANG", 15, 15),
    ("NKT-DB-NANG", 20, 8),
    ("NCT-NGHEO", 15, 12),
    ("TRE-MC", 25, 5),
    ("DON-THAN", 10, 15),
];
/// Monthly allowances of people with merit, by table.
const NCC: [(&str, u64); 5] = [
    ("TB-81", 2_789_000),
    ("TB-61", 2_100_000),
    ("BB-61", 1_950_000),
    ("TNCC", 1_624_000),
    ("CD-HH", 3_200_000),
];

fn lines(rng: &mut ChaCha20Rng) -> Vec<RollLine> {
    let dec = month("2026-12");
    let mut out = Vec::new();
    let with_recipient = below(rng, 100) < 15;
    let who = with_recipient.then(|| recipient(rng));
    let status = match below(rng, 100) {
        0..=1 => LineStatus::Suspended,
        2 => LineStatus::Stopped,
        3..=12 => LineStatus::PaidByAccount,
        _ => LineStatus::Due,
    };
    if below(rng, 100) < 70 {
        let mut w = below(rng, 100);
        let (cat, coeff, _) = TGXH
            .iter()
            .find(|(_, _, weight)| {
                let hit = w < *weight;
                w = w.saturating_sub(*weight);
                hit
            })
            .copied()
            .unwrap_or(TGXH[0]);
        let amount = BASE_LEVEL * coeff / 10;
        out.push(RollLine {
            item: item("TGXH", cat, ItemKind::Monthly, amount, dec),
            recipient: who.clone(),
            status,
        });
        if below(rng, 100) < 2 {
            out.push(RollLine {
                item: item("TGXH", cat, ItemKind::Arrears, amount * 3, month("2026-09")),
                recipient: who.clone(),
                status: LineStatus::Due,
            });
        }
    } else {
        let (cat, amount) = NCC[below(rng, NCC.len() as u64) as usize];
        out.push(RollLine {
            item: item("NCC", cat, ItemKind::Monthly, amount, dec),
            recipient: who.clone(),
            status,
        });
    }
    if below(rng, 100) < 5 {
        out.push(RollLine {
            item: item("HN", "HN-2026", ItemKind::Monthly, 150_000, dec),
            recipient: who.clone(),
            status: LineStatus::Due,
        });
    }
    if below(rng, 1000) < 5 {
        out.push(RollLine {
            item: item("TGXH", "", ItemKind::OneOff, 9_000_000, dec),
            recipient: who,
            status: LineStatus::Due,
        });
    }
    out
}

fn entries(count: usize, seed: u64) -> Vec<RollEntry> {
    let mut rng = ChaCha20Rng::seed_from_u64(seed ^ 0x5eed);
    ssns(count, seed)
        .into_iter()
        .map(|ssn| RollEntry {
            ssn,
            lines: lines(&mut rng),
        })
        .collect()
}

fn header(version: u64, base_version: Option<u64>, area: &str) -> RollHeader {
    RollHeader {
        version,
        issued_at: 1_795_564_800,
        next_update: 1_795_568_400,
        base_version,
        area: AreaCode::parse(area).unwrap(),
        month: month("2026-12"),
    }
}

fn log2_binomial(n: u64, r: u64) -> f64 {
    (0..r)
        .map(|i| ((n - i) as f64 / (r - i) as f64).log2())
        .sum()
}

/// The information a roll carries, in bytes: which SSNs (log₂ C(N, R) over the SSN space),
/// which lines each has (the empirical entropy of the entries' line patterns, recipients left
/// out), and the recipients themselves (their distinct records DEFLATE-compressed, as text
/// cannot be bounded otherwise).
fn information_bytes(roll: &Roll) -> f64 {
    let entries = roll.entries();
    let ssn_bits = log2_binomial(SSN_SPACE, entries.len() as u64);
    let mut patterns: HashMap<Vec<(RollItem, bool, LineStatus)>, u64> = HashMap::new();
    let mut recipients = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for e in &entries {
        let pattern = e
            .lines
            .iter()
            .map(|l| (l.item.clone(), l.recipient.is_some(), l.status))
            .collect();
        *patterns.entry(pattern).or_default() += 1;
        for r in e.lines.iter().filter_map(|l| l.recipient.as_ref()) {
            if seen.insert(r.clone()) {
                recipients.extend_from_slice(r.name.as_str().as_bytes());
                recipients.push(0);
                recipients.extend_from_slice(r.id_number.as_str().as_bytes());
                recipients.push(r.role as u8);
                recipients.extend_from_slice(&r.valid_until.map_or([0, 0], |d| d.to_bytes()));
            }
        }
    }
    let n = entries.len() as f64;
    let line_bits: f64 = patterns
        .values()
        .map(|&c| -(c as f64) * (c as f64 / n).log2())
        .sum();
    let recipient_bytes = miniz_oxide::deflate::compress_to_vec(&recipients, 10).len() as f64;
    (ssn_bits + line_bits) / 8.0 + recipient_bytes
}

fn benches(c: &mut Criterion) {
    let key = test_key("roll bench");
    let commune = Roll::new(header(1, None, "51.22903"), entries(3_000, 1)).unwrap();
    let commune_bytes = commune.sign(&key);
    let province_entries = entries(400_000, 2);
    let province = Roll::new(header(1, None, "51"), province_entries.clone()).unwrap();
    let province_bytes = province.sign(&key);

    // A month's changes: 1,000 entries with a new amount, suspended, or removed.
    let mut rng = ChaCha20Rng::seed_from_u64(3);
    let mut changed = BTreeSet::new();
    while changed.len() < 1_000 {
        changed.insert(below(&mut rng, province_entries.len() as u64) as usize);
    }
    let delta_entries: Vec<RollEntry> = changed
        .iter()
        .map(|&i| {
            let mut e = province_entries[i].clone();
            match i % 3 {
                0 => e.lines.clear(),
                1 => e.lines[0].status = LineStatus::Suspended,
                _ => e.lines[0].item.amount_vnd += 50_000,
            }
            e
        })
        .collect();
    let delta = Roll::new(header(2, Some(1), "51"), delta_entries).unwrap();
    let delta_bytes = delta.sign(&key);

    c.bench_function("roll_encode_and_sign_400k", |b| {
        b.iter(|| black_box(&province).sign(&key))
    });
    c.bench_function("roll_decode_and_verify_400k", |b| {
        b.iter(|| {
            Roll::parse_full_verified(black_box(&province_bytes), key.verifying_key()).unwrap()
        })
    });
    let probe: Vec<Ssn> = province_entries
        .iter()
        .step_by(397)
        .map(|e| e.ssn)
        .collect();
    let mut i = 0;
    c.bench_function("roll_lookup_400k", |b| {
        b.iter(|| {
            i = (i + 1) % probe.len();
            black_box(province.lookup(probe[i]))
        })
    });

    let commune_info = information_bytes(&commune);
    let province_info = information_bytes(&province);
    let sizes = json!({
        "roll_commune_entries": commune.len(),
        "roll_commune_lines": commune.line_count(),
        "roll_commune_bytes": commune_bytes.len(),
        "roll_commune_records_bytes": commune.records().len(),
        "roll_commune_information_bytes": commune_info,
        "roll_province_entries": province.len(),
        "roll_province_lines": province.line_count(),
        "roll_province_bytes": province_bytes.len(),
        "roll_province_records_bytes": province.records().len(),
        "roll_province_information_bytes": province_info,
        "roll_delta_1000_bytes": delta_bytes.len(),
        "roll_delta_1000_information_bytes": information_bytes(&delta),
    });
    println!("{}", serde_json::to_string_pretty(&sizes).unwrap());
    let out = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/bench-results");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(
        out.join("roll.json"),
        serde_json::to_string_pretty(&sizes).unwrap(),
    )
    .unwrap();
}

criterion_group! {
    name = roll;
    config = Criterion::default().sample_size(10).measurement_time(Duration::from_secs(3)).warm_up_time(Duration::from_secs(1));
    targets = benches
}
criterion_main!(roll);
