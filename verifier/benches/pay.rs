//! Payment bench (issue #19): host time from card insertion to the stored receipt with the
//! card's own time taken out — verification, the roll's lines, the receipt built, signed by the
//! card, verified with the card key and committed — with the data directory on a RAM disk
//! (`/dev/shm` where there is one), so the figure is the host's work rather than the disk's
//! flush; and the same on the ordinary temporary directory, flush included.

use std::path::Path;
use std::time::{Duration, Instant};

use asxh_core::card::{CardClient, CardIoError, InProcessTransport, Transport};
use asxh_core::entitlement::ProgramCode;
use asxh_core::lists::roll::{ItemKind, LineStatus};
use asxh_core::lists::{IssuerStatus, Month, Roll, RollEntry, RollHeader, RollItem, RollLine};
use asxh_core::{AreaCode, Date};
use asxh_testkit as kit;
use asxh_text::Lang;
use asxh_verdict::{Lists, Policy};
use asxh_verifier::pay::{self, CollectorChoice, LineChoice, PayOutcome, PayRequest};
use asxh_verifier::store::{Snapshot, Store};
use criterion::{criterion_group, criterion_main, Criterion};

/// A transport that adds up the time spent in the card.
struct Timed<T: Transport> {
    inner: T,
    card_time: Duration,
}

impl<T: Transport> Transport for Timed<T> {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, CardIoError> {
        let start = Instant::now();
        let answer = self.inner.transmit(command);
        self.card_time += start.elapsed();
        answer
    }
    fn supports_extended_length(&self) -> bool {
        self.inner.supports_extended_length()
    }
}

fn snapshot() -> Snapshot {
    let now = time::OffsetDateTime::now_utc().unix_timestamp() as u64;
    let month = Month::of(Date::today());
    let area = AreaCode::parse("51.429.22903").unwrap();
    let item = RollItem::new(
        ProgramCode::parse("TGXH").unwrap(),
        None,
        ItemKind::Monthly,
        500_000,
        month,
        month,
    )
    .unwrap();
    let roll = Roll::new(
        RollHeader {
            version: 1,
            issued_at: now - 60,
            next_update: now + 3600,
            base_version: None,
            area: area.clone(),
            month,
        },
        vec![RollEntry {
            ssn: kit::sample_holder().ssn(),
            lines: vec![RollLine {
                item,
                recipient: None,
                status: LineStatus::Due,
            }],
        }],
    )
    .unwrap();
    Snapshot {
        lists: Some(Lists {
            trust: kit::trust_list(
                IssuerStatus::Active,
                kit::test_key("list").verifying_key(),
                now,
            ),
            revocations: None,
        }),
        area: Some(area),
        month,
        roll: Some(roll),
    }
}

fn bench_on(c: &mut Criterion, name: &str, parent: &Path) {
    let snapshot = snapshot();
    let mut card = kit::issued_card(4242, kit::entitlements(1), None);
    let request = PayRequest {
        lines: LineChoice::All,
        collector: CollectorChoice::Holder,
        journal_holder: false,
    };
    c.bench_function(name, |b| {
        b.iter_custom(|iters| {
            let mut host = Duration::ZERO;
            for _ in 0..iters {
                let dir = tempfile::tempdir_in(parent).unwrap();
                let mut store = Store::init(
                    dir.path(),
                    "http://127.0.0.1:9",
                    &"ab".repeat(32),
                    "point-1",
                )
                .unwrap();
                let mut client = CardClient::new(Timed {
                    inner: InProcessTransport::new(&mut card),
                    card_time: Duration::ZERO,
                });
                let start = Instant::now();
                let outcome = pay::pay_card(
                    &mut store,
                    &snapshot,
                    Policy::default(),
                    &mut client,
                    None,
                    &request,
                    Lang::Vi,
                )
                .unwrap();
                let total = start.elapsed();
                assert!(matches!(outcome, PayOutcome::Paid { .. }));
                host += total - client.transport().card_time;
            }
            host
        })
    });
}

fn benches(c: &mut Criterion) {
    let shm = Path::new("/dev/shm");
    if shm.is_dir() {
        bench_on(c, "pay_card_host_time_excluding_card_ram_disk", shm);
    }
    bench_on(
        c,
        "pay_card_host_time_excluding_card_with_flush",
        &std::env::temp_dir(),
    );
}

criterion_group! {
    name = pay_benches;
    config = Criterion::default().sample_size(20).measurement_time(Duration::from_secs(4));
    targets = benches
}
criterion_main!(pay_benches);
