//! Publishing the revocation list of a province (issue 22's target: the first full list after a
//! revocation with 80,000 revoked ≤ 5 ms, one build per version). The server builds the full
//! list once per version, when it publishes it, from the previous version's list kept decoded in
//! memory plus the new revocations; requests never build it. Measured here on a SQLite file
//! with 80,000 revoked cards: the build itself (previous list + one revocation, encoded and
//! signed), a revocation published and committed (durable: fsync), and the heartbeat's
//! re-signing of the unchanged list (durable).

use std::hint::black_box;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, Instant};

use asxh_core::lists::{OfficeCode, Revocation, RevocationList, RevocationReason};
use asxh_core::{AreaCode, CardSerial};
use asxh_server::policy::{act, authorize, Principal};
use asxh_server::publish::{self, REVOCATION_LIST};
use asxh_server::registry::{self, RevocationTarget};
use asxh_server::Store;
use criterion::{criterion_group, criterion_main, Criterion};

const REVOKED: i64 = 80_000;
/// Active cards to revoke while measuring.
const SPARE: i64 = 40_000;

fn province() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::init(dir.path()).unwrap();
    let add_office = authorize::<act::AddOffices>(&Principal::Operator).unwrap();
    registry::add_office(
        &store,
        &add_office,
        &OfficeCode::parse("QNG-01").unwrap(),
        "Phòng LĐ-TB&XH Quảng Ngãi",
        &AreaCode::parse("51").unwrap(),
    )
    .unwrap();
    // Serials spread over the range as a province's are; credentials are not read by the lists.
    let total = REVOKED + SPARE;
    store
        .write(|tx| {
            tx.execute_batch(&format!(
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {total})
                 INSERT INTO cards (serial, ssn, full_name, date_of_birth, sex, area, office, status, credential, qr_text, issued, expires, created_at)
                 SELECT i * 37, printf('0511460%05d', i), 'Nguyễn Văn ' || i, '1946-08-19', 'M', '51.' || (400 + i % 20), 'QNG-01',
                        CASE WHEN i <= {REVOKED} THEN 'revoked' ELSE 'active' END, X'00', '', '2026-01-01', '2036-01-01', 0
                 FROM n;
                 INSERT INTO revocations (version, serial, reason, revoked_on, at)
                 SELECT 1, serial, CASE WHEN serial % 5 = 0 THEN 'deceased' ELSE 'lost' END, '2026-11-01', 0
                 FROM cards WHERE status = 'revoked';"
            ))?;
            publish::revocation_list_changed(tx)?;
            Ok(())
        })
        .unwrap();
    (dir, store)
}

fn lists(c: &mut Criterion) {
    let (_dir, store) = province();
    let current = store.lists().current(REVOCATION_LIST).unwrap();
    let key = store.list_key().unwrap();
    let list = RevocationList::parse_verified(&current.bytes, key.verifying_key()).unwrap();
    assert_eq!(list.len() as i64, REVOKED);
    let mut g = c.benchmark_group("revocation_list_80k");
    g.sample_size(20);
    g.measurement_time(Duration::from_secs(4));
    g.bench_function("build_next_version_in_memory", |b| {
        let new = [Revocation {
            serial: CardSerial::new(((REVOKED + 1) * 37) as u64).unwrap(),
            reason: RevocationReason::Stolen,
        }];
        b.iter(|| {
            let mut next = list.clone();
            next.keep(&new);
            next.version += 1;
            black_box(next.sign(&key))
        })
    });
    let grant = authorize::<act::RevokeCards>(&Principal::Operator).unwrap();
    let next_spare = AtomicI64::new(REVOKED + 1);
    g.bench_function("revoke_one_and_publish_durably", |b| {
        b.iter_custom(|iters| {
            let start = Instant::now();
            for _ in 0..iters {
                let i = next_spare.fetch_add(1, Ordering::Relaxed);
                assert!(i <= REVOKED + SPARE, "more iterations than spare cards");
                let serial = CardSerial::new((i * 37) as u64).unwrap();
                registry::revoke(
                    &store,
                    &grant,
                    RevocationTarget::Serial(serial),
                    RevocationReason::Lost,
                )
                .unwrap();
            }
            start.elapsed()
        })
    });
    g.bench_function("heartbeat_publish_durably", |b| {
        b.iter(|| {
            store
                .write(|tx| publish::revocation_list_changed(tx).map(drop))
                .unwrap()
        })
    });
    g.finish();
}

criterion_group!(benches, lists);
criterion_main!(benches);
