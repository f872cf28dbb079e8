//! Format benches (issue #10): the revocation list at national scale (1,000,000 revoked among
//! 100,000,000 issued: size against the entropy bound, delta size, decode, look-up), credential
//! and QR encode/sign/decode/verify, and the sizes that do not depend on the machine. Sizes are
//! printed and written to `target/bench-results/formats.json`.

use std::collections::BTreeSet;
use std::hint::black_box;
use std::time::Duration;

use asxh_core::lists::{Revocation, RevocationList, RevocationReason};
use asxh_core::signature::IssuerKeyId;
use asxh_core::{
    AreaCode, CardSerial, CategoryCode, Credential, CredentialBody, Date, Entitlement, Holder,
    PartialDate, PersonName, ProgramCode, QrBody, QrCredential, Sex, SignedCredential, SignedQr,
    Ssn,
};
use asxh_testkit::test_key;
use criterion::{criterion_group, criterion_main, Criterion};
use rand_core::{RngCore, SeedableRng};
use serde_json::json;

const ISSUED: u64 = 100_000_000;

fn revocations(count: usize, seed: u64, exclude: &BTreeSet<u64>) -> Vec<Revocation> {
    let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(seed);
    let mut set = BTreeSet::new();
    while set.len() < count {
        let s = rng.next_u64() % ISSUED + 1;
        if !exclude.contains(&s) {
            set.insert(s);
        }
    }
    set.into_iter()
        .map(|s| Revocation {
            serial: CardSerial::new(s).unwrap(),
            reason: RevocationReason::Lost,
        })
        .collect()
}

fn log2_binomial(n: u64, r: u64) -> f64 {
    (0..r)
        .map(|i| ((n - i) as f64 / (r - i) as f64).log2())
        .sum()
}

fn holder(name: &str) -> Holder {
    Holder::new(
        Ssn::parse("051146000123").unwrap(),
        PersonName::parse("full_name", name).unwrap(),
        PartialDate::parse("date_of_birth", "1946-08-19").unwrap(),
        Sex::parse("F").unwrap(),
        AreaCode::parse("51.22903").unwrap(),
    )
    .unwrap()
}

fn entitlements(n: usize) -> Vec<Entitlement> {
    let programs = ["TGXH", "BHYT", "HN", "NCC", "HCN", "BHXH", "BHTN", "TGXH"];
    (0..n)
        .map(|i| {
            Entitlement::new(
                ProgramCode::parse(programs[i]).unwrap(),
                CategoryCode::parse(&format!("CAT-{i:02}-A")).unwrap(),
                Some(540_000 + i as u64 * 10_000),
                Date::parse("valid_from", "2026-01-01").unwrap(),
                Some(Date::parse("valid_until", "2030-12-31").unwrap()),
                None,
            )
            .unwrap()
        })
        .collect()
}

fn credential(name: &str, n: usize) -> Credential {
    let issuer = test_key("bench issuer");
    let body = CredentialBody::new(
        CardSerial::new(1_234_567).unwrap(),
        IssuerKeyId::of(issuer.verifying_key()),
        Date::parse("issued", "2026-11-25").unwrap(),
        Date::parse("expires", "2036-11-24").unwrap(),
        holder(name),
        *test_key("bench card").verifying_key(),
        entitlements(n),
    )
    .unwrap();
    Credential::issue(body, &issuer).unwrap()
}

fn qr_version(text: &str) -> i16 {
    match qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::M)
        .unwrap()
        .version()
    {
        qrcode::Version::Normal(v) | qrcode::Version::Micro(v) => v,
    }
}

fn benches(c: &mut Criterion) {
    let key = test_key("bench list key");
    let issuer = test_key("bench issuer");

    // National scale: 1,000,000 revoked among 100,000,000 issued, all lost (the reason costs
    // nothing then; see BENCHMARKS.md for a mix of reasons).
    let million = revocations(1_000_000, 1, &BTreeSet::new());
    let held: BTreeSet<u64> = million.iter().map(|r| r.serial.number()).collect();
    let full = RevocationList::new(1_000_000, 1_795_564_800, 1_795_568_400, None, million).unwrap();
    let full_bytes = full.sign(&key);
    let bound_bits = log2_binomial(ISSUED, 1_000_000);
    let new = revocations(1000, 2, &held);
    let delta = RevocationList::new(
        1_001_000,
        1_795_565_000,
        1_795_568_600,
        Some(1_000_000),
        new,
    )
    .unwrap();
    let delta_bytes = delta.sign(&key);
    let delta_bound_bits = log2_binomial(ISSUED, 1000);

    c.bench_function("revocation_list_decode_1m", |b| {
        b.iter(|| {
            RevocationList::parse_verified(black_box(&full_bytes), key.verifying_key()).unwrap()
        })
    });
    c.bench_function("revocation_list_encode_and_sign_1m", |b| {
        b.iter(|| black_box(&full).sign(&key))
    });
    let probes: Vec<CardSerial> = (0..4096u64)
        .map(|i| CardSerial::new(1 + i * 24_413).unwrap())
        .collect();
    let mut i = 0;
    c.bench_function("revocation_lookup_1m", |b| {
        b.iter(|| {
            i = (i + 1) % probes.len();
            black_box(full.lookup(probes[i]))
        })
    });
    c.bench_function("revocation_delta_1000_apply", |b| {
        b.iter_batched(
            || full.clone(),
            |mut l| l.apply(black_box(&delta)).unwrap(),
            criterion::BatchSize::LargeInput,
        )
    });

    // Credentials and QR.
    let typical = credential("Nguyễn Thị Hoàng Phương Anh", 3);
    let body = typical.body().clone();
    let bytes = typical.to_bytes().to_vec();
    c.bench_function("credential_encode_and_sign", |b| {
        b.iter(|| Credential::issue(black_box(body.clone()), &issuer).unwrap())
    });
    c.bench_function("credential_decode_and_verify", |b| {
        b.iter(|| {
            SignedCredential::parse(black_box(&bytes))
                .unwrap()
                .verify(issuer.verifying_key())
                .unwrap()
        })
    });
    let qr = QrCredential::issue(QrBody::for_card(&body), &issuer).unwrap();
    let text = qr.text().to_owned();
    c.bench_function("qr_encode_and_sign", |b| {
        b.iter(|| QrCredential::issue(QrBody::for_card(black_box(&body)), &issuer).unwrap())
    });
    c.bench_function("qr_decode_and_verify", |b| {
        b.iter(|| {
            SignedQr::parse(black_box(&text))
                .unwrap()
                .verify(issuer.verifying_key())
                .unwrap()
        })
    });

    // Machine-independent sizes.
    let longest_name = "Công Tằng Tôn Nữ Thị Hoàng Hạnh Phương Nguyễn Thị Xuân Hương";
    let largest = credential(longest_name, 8);
    let largest_qr = QrCredential::issue(QrBody::for_card(largest.body()), &issuer).unwrap();
    let sizes = json!({
        "revocation_list_1m_of_100m_bytes": full_bytes.len(),
        "revocation_list_entropy_bound_bytes": bound_bits / 8.0,
        "revocation_list_ratio_to_bound": full_bytes.len() as f64 * 8.0 / bound_bits,
        "revocation_delta_1000_bytes": delta_bytes.len(),
        "revocation_delta_entropy_bound_bytes": delta_bound_bits / 8.0,
        "credential_bytes_0_entitlements": credential("Nguyễn Thị Hoàng Phương Anh", 0).to_bytes().len(),
        "credential_bytes_3_entitlements": typical.to_bytes().len(),
        "credential_bytes_8_entitlements": credential("Nguyễn Thị Hoàng Phương Anh", 8).to_bytes().len(),
        "credential_bytes_8_entitlements_longest_name": largest.to_bytes().len(),
        "qr_chars_typical": text.len(),
        "qr_version_m_typical": qr_version(&text),
        "qr_chars_largest": largest_qr.text().len(),
        "qr_version_m_largest": qr_version(largest_qr.text()),
    });
    println!("{}", serde_json::to_string_pretty(&sizes).unwrap());
    let out = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/bench-results");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(
        out.join("formats.json"),
        serde_json::to_string_pretty(&sizes).unwrap(),
    )
    .unwrap();
}

criterion_group! {
    name = formats;
    config = Criterion::default().sample_size(20).measurement_time(Duration::from_secs(3)).warm_up_time(Duration::from_secs(1));
    targets = benches
}
criterion_main!(formats);
