//! Card application benches (issue #10): APDU parsing into a command, dispatch of the commands a
//! verification sends on an issued card, and a whole personalization in process.

use std::hint::black_box;
use std::time::Duration;

use asxh_card::command::Command;
use asxh_core::apdu::CommandApdu;
use asxh_core::card::{CardClient, InProcessTransport};
use asxh_testkit as testkit;
use criterion::{criterion_group, criterion_main, Criterion};

fn benches(c: &mut Criterion) {
    let select = hex::decode("00A4040007F041535848000100").unwrap();
    let auth = [
        &hex::decode("0088000020").unwrap()[..],
        &[0xA5; 32],
        &[0x00],
    ]
    .concat();
    c.bench_function("apdu_parse_to_command", |b| {
        b.iter(|| {
            let apdu = CommandApdu::parse(black_box(&auth)).unwrap();
            Command::try_from(&apdu).unwrap()
        })
    });

    let mut card = testkit::issued_card(4242, testkit::entitlements(3), None);
    let get_data = hex::decode("00CA7F2100").unwrap();
    c.bench_function("card_dispatch_select", |b| {
        b.iter(|| card.process(black_box(&select)))
    });
    c.bench_function("card_dispatch_get_data", |b| {
        card.process(&select);
        b.iter(|| card.process(black_box(&get_data)))
    });
    c.bench_function("card_dispatch_internal_authenticate", |b| {
        card.process(&select);
        b.iter(|| card.process(black_box(&auth)))
    });

    let issuer = testkit::issuer_key();
    c.bench_function("personalization_in_process", |b| {
        b.iter(|| {
            let mut card = testkit::blank_card();
            let mut client = CardClient::new(InProcessTransport::new(&mut card));
            testkit::personalize(
                &mut client,
                &issuer,
                4242,
                testkit::sample_holder(),
                testkit::entitlements(3),
                None,
            )
            .unwrap()
        })
    });
}

criterion_group! {
    name = card;
    config = Criterion::default().sample_size(20).measurement_time(Duration::from_secs(2)).warm_up_time(Duration::from_millis(500));
    targets = benches
}
criterion_main!(card);
