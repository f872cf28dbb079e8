//! Ingesting payment receipts (issue #19's target: ≥ 2,000 receipts/s durably on 2 cores; a
//! national payment day peaks near 300/s): the library path `POST /v1/payments` runs
//! ([`payments::upload`]), two uploaders at once (as two payment points' syncs), each sending
//! batches of 100 receipts, each receipt parsed, its signature verified, its line found on the
//! published roll of a commune of 20,000 beneficiaries, and kept, all in group-committed
//! transactions on a SQLite file with synchronous=FULL. The receipts are signed by the payment
//! point's key (profile 0C); a card-signed one costs the same signature check and the parse
//! of the stored credential.

use std::time::{Duration, Instant};

use asxh_core::lists::{Month, OfficeCode, RollItem};
use asxh_core::receipt::{Collector, FallbackReason, ReceiptBody, ReceiptId, SignedReceipt};
use asxh_core::signature::SigningKey;
use asxh_core::{AreaCode, Date, Ssn};
use asxh_server::auth::{self, Role};
use asxh_server::payments;
use asxh_server::policy::{act, authorize, Principal};
use asxh_server::register::{self, BaseLevelChange};
use asxh_server::{rolls, Store};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

const BENEFICIARIES: usize = 20_000;
const COMMUNE: &str = "51.429.22903";
/// Receipts of one measured round: two uploaders, ten batches of 100 each.
const ROUND: usize = 2_000;
const BATCH: usize = 100;

struct Setup {
    _dir: tempfile::TempDir,
    store: Store,
    grant: asxh_server::policy::Authorized<act::RecordPayments>,
    key: SigningKey,
    lines: Vec<(Ssn, RollItem)>,
    version: u64,
}

fn setup() -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::init(dir.path()).unwrap();
    let operator = Principal::Operator;
    let change = BaseLevelChange::new("TGXH", None, "2024-07", 500_000, "76/2024/NĐ-CP").unwrap();
    register::set_base_level(
        &store,
        &authorize::<act::SetBaseLevels>(&operator).unwrap(),
        change,
    )
    .unwrap();
    store
        .write(|tx| {
            tx.execute_batch(&format!(
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {BENEFICIARIES})
                 INSERT INTO beneficiaries (ssn, full_name, area, created_at, updated_at)
                 SELECT printf('051%d%02d%06d', i % 2, 30 + i % 60, i), 'Nguyễn Thị Lan', '{COMMUNE}', 0, 0 FROM n;
                 INSERT INTO entitlements (ssn, program, category, coefficient, decision_no, decision_date, paid_from, first_paid, status, created_at, updated_at)
                 SELECT ssn, 'TGXH', 'NCT80', 100, 'q' || ssn, '2022-01-05', '2022-01', '2022-01', 'active', 0, 0 FROM beneficiaries;
                 ANALYZE;"
            ))?;
            Ok(())
        })
        .unwrap();
    let area = AreaCode::parse(COMMUNE).unwrap();
    let month = Month::of(Date::today());
    let draft = rolls::draft(
        &store,
        &authorize::<act::DraftRolls>(&operator).unwrap(),
        &area,
        month,
    )
    .unwrap();
    let published = rolls::approve(
        &store,
        &authorize::<act::ApproveRolls>(&operator).unwrap(),
        draft.id,
    )
    .unwrap();
    let entries = store.read(|c| register::due(c, &area, month)).unwrap();
    let lines: Vec<(Ssn, RollItem)> = entries
        .iter()
        .map(|e| (e.ssn, e.lines[0].item.clone()))
        .collect();
    assert_eq!(lines.len(), BENEFICIARIES);
    let (id, _) = store
        .write(|tx| {
            auth::add_account(
                tx,
                &authorize::<act::CreateAccounts>(&operator)?,
                Role::PaymentPoint,
                None,
                Some(&area),
                None,
            )
        })
        .unwrap();
    let account = store
        .read(|c| auth::active_account(c, id))
        .unwrap()
        .unwrap();
    let grant = authorize::<act::RecordPayments>(&Principal::Account(account)).unwrap();
    let key = SigningKey::random(&mut rand_core::OsRng);
    payments::register_key(
        &store,
        &grant,
        &OfficeCode::parse("POINT-1").unwrap(),
        key.verifying_key(),
    )
    .unwrap();
    Setup {
        _dir: dir,
        store,
        grant,
        key,
        lines,
        version: published.published_version.unwrap(),
    }
}

/// `ROUND` new receipts (hex), paying the lines from `start` on.
fn receipts(s: &Setup, start: usize) -> Vec<String> {
    let month = Month::of(Date::today());
    (0..ROUND)
        .map(|i| {
            let (ssn, item) = &s.lines[(start + i) % s.lines.len()];
            let body = ReceiptBody::new(ReceiptBody {
                id: ReceiptId::random(),
                point: OfficeCode::parse("POINT-1").unwrap(),
                paid_at: 1_796_000_000,
                serial: None,
                ssn: *ssn,
                area: AreaCode::parse(COMMUNE).unwrap(),
                month,
                roll_version: s.version,
                collector: Collector::Holder,
                fallback: Some(FallbackReason::CardNotPresented),
                lines: vec![item.clone()],
            })
            .unwrap();
            hex::encode(
                SignedReceipt::sign_by_point(body, &s.key)
                    .unwrap()
                    .to_bytes(),
            )
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let s = setup();
    let mut group = c.benchmark_group("payments");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(20));
    group.throughput(Throughput::Elements(ROUND as u64));
    let mut start = 0;
    group.bench_function(
        "ingest 2,000 receipts (2 uploaders × 10 batches of 100)",
        |b| {
            b.iter_custom(|rounds| {
                let mut total = Duration::ZERO;
                for _ in 0..rounds {
                    let round = receipts(&s, start);
                    start += ROUND;
                    let began = Instant::now();
                    std::thread::scope(|scope| {
                        for half in round.chunks(ROUND / 2) {
                            let s = &s;
                            scope.spawn(move || {
                                for batch in half.chunks(BATCH) {
                                    let results =
                                        payments::upload(&s.store, &s.grant, batch).unwrap();
                                    assert!(results.iter().all(|r| matches!(
                                        r.outcome,
                                        asxh_api::payments::PaymentOutcome::Recorded
                                            | asxh_api::payments::PaymentOutcome::Flagged
                                    )));
                                }
                            });
                        }
                    });
                    total += began.elapsed();
                }
                total
            })
        },
    );
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
