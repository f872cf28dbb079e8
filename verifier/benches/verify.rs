//! Verifier benches (issue #6): host CPU of one card verification with the card's own time taken
//! out, as a ratio to the signature verifications it must do; QR text and image verification.
//! (Revocation look-up at national scale is in `core/benches/formats.rs`.)

use std::hint::black_box;
use std::time::{Duration, Instant};

use asxh_card::{CardApp, MemoryStorage};
use asxh_core::card::{CardClient, InProcessTransport};
use asxh_core::lists::{IssuerStatus, RevocationList};
use asxh_core::signature;
use asxh_core::{QrBody, QrCredential};
use asxh_testkit::{self as testkit, TimedCard};
use asxh_verdict::{Checker, Policy};
use asxh_verdict::{Lists, Outcome};
use criterion::{criterion_group, criterion_main, Criterion};

fn lists(revoked: usize) -> Lists {
    let now = time::OffsetDateTime::now_utc().unix_timestamp() as u64;
    let entries = testkit::random_revocations(revoked, 100_000_000, 3)
        .into_iter()
        .filter(|r| r.serial.number() != 4242)
        .collect();
    Lists {
        trust: testkit::trust_list(
            IssuerStatus::Active,
            testkit::issuer_key().verifying_key(),
            now,
        ),
        revocations: Some(
            RevocationList::new(revoked as u64, now, now + 3600, None, entries).unwrap(),
        ),
    }
}

fn issued_card() -> CardApp<MemoryStorage> {
    testkit::issued_card(4242, testkit::entitlements(3), None)
}

fn benches(c: &mut Criterion) {
    let key = testkit::issuer_key();
    let message = [7u8; 300];
    let sig = signature::sign(&key, &message);
    c.bench_function("p256_verify_one_signature", |b| {
        b.iter(|| {
            assert!(signature::verify(
                key.verifying_key(),
                black_box(&message),
                &sig
            ))
        })
    });

    let lists = lists(1000);
    let checker = Checker::new(Some(&lists), Policy::default());
    let mut card = TimedCard::new(issued_card());
    // The wire cost of one verification, which does not depend on the machine.
    let wire = checker
        .card(
            &mut CardClient::new(InProcessTransport::new(&mut card)),
            None,
        )
        .wire
        .expect("card verdicts count the wire");
    let out = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/bench-results");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("wire.json"), serde_json::json!({"verification_commands": wire.commands, "verification_bytes": wire.bytes}).to_string()).unwrap();
    c.bench_function("card_verification_host_cpu_excluding_card_time", |b| {
        b.iter_custom(|iters| {
            card.spent = Duration::ZERO;
            let start = Instant::now();
            for _ in 0..iters {
                let mut client = CardClient::new(InProcessTransport::new(&mut card));
                assert_eq!(checker.card(&mut client, None).outcome, Outcome::Valid);
            }
            start.elapsed() - card.spent
        })
    });

    let body = testkit::credential_body(
        4242,
        testkit::sample_holder(),
        testkit::issuer_key().verifying_key(),
        &key,
        testkit::entitlements(3),
    );
    let qr = QrCredential::issue(QrBody::for_card(&body), &key).unwrap();
    let text = qr.text().to_owned();
    c.bench_function("qr_text_verify", |b| {
        b.iter(|| assert_eq!(checker.qr(black_box(&text)).outcome, Outcome::ValidQrOnly))
    });

    let code =
        qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::M).unwrap();
    let image = code
        .render::<image::Luma<u8>>()
        .module_dimensions(4, 4)
        .build();
    let png = std::env::temp_dir().join("asxh-bench-qr.png");
    image.save(&png).unwrap();
    c.bench_function("qr_image_decode_and_verify", |b| {
        b.iter(|| {
            let text = asxh_verifier::scan::qr_text_from_image(&png).unwrap();
            assert_eq!(checker.qr(&text).outcome, Outcome::ValidQrOnly)
        })
    });
}

criterion_group! {
    name = verifier;
    config = Criterion::default().sample_size(30).measurement_time(Duration::from_secs(3)).warm_up_time(Duration::from_secs(1));
    targets = benches
}
criterion_main!(verifier);
