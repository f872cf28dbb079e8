//! Console benches (issue #9): the dashboard and card searches over a province of 100,000 cards
//! (the national bench's database with one province: one genuinely issued credential copied to
//! every row with its programs and name words indexed; 2% revoked over the last twelve weeks).
//! Target: a page in well under a second.

#[path = "support/national.rs"]
mod national;

use std::hint::black_box;

use asxh_server::auth;
use asxh_server::policy::{act, authorize, Authorized, Principal};
use asxh_server::registry;
use asxh_server::{stats, Store};
use criterion::{criterion_group, criterion_main, Criterion};

const CARDS: i64 = 100_000;

/// The province, and the administrator's grants to see the dashboard and to look cards up.
type Province = (
    tempfile::TempDir,
    Store,
    Authorized<act::UseConsole>,
    Authorized<act::LookUpCards>,
);

fn province() -> Province {
    let dir = tempfile::tempdir().unwrap();
    national::build(dir.path(), CARDS, CARDS);
    let store = Store::open(dir.path()).unwrap();
    let admin = Principal::Account(
        store
            .read(|c| auth::active_account(c, national::ADMIN_ID))
            .unwrap()
            .unwrap(),
    );
    let dashboard = authorize::<act::UseConsole>(&admin).unwrap();
    let look_up = authorize::<act::LookUpCards>(&admin).unwrap();
    (dir, store, dashboard, look_up)
}

fn console(c: &mut Criterion) {
    let (_dir, store, dashboard, look_up) = province();
    let mut g = c.benchmark_group("console_100k_cards");
    g.sample_size(10);
    g.bench_function("dashboard", |b| {
        b.iter(|| {
            store
                .read(|conn| {
                    stats::dashboard(conn, &dashboard, time::OffsetDateTime::now_utc(), 12)
                })
                .unwrap()
        })
    });
    g.bench_function("search_name_matching_nothing", |b| {
        b.iter(|| black_box(registry::search(&store, &look_up, "zzz không có").unwrap()))
    });
    g.bench_function("search_ssn", |b| {
        b.iter(|| black_box(registry::search(&store, &look_up, "051000012346").unwrap()))
    });
    g.finish();
}

criterion_group!(benches, console);
criterion_main!(benches);
