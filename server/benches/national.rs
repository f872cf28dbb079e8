//! National scale (issue 22): the pages and answers of one 100,000-card province's administrator
//! in a database of that province alone and in one of the whole country, and their ratio — what
//! grows with the country is cost that should not. Each database is built once ([`national`])
//! and kept under `target/national-db/<cards>/`; the time of the migrations from schema version 6
//! on it is measured when it is built, kept in the database's marker file and reported on every
//! run. Sizes: `ASXH_NATIONAL_CARDS` (default 100,000 and 4,000,000; the report's quick run uses
//! the default). Writes `target/bench-results/national.json`.

#[path = "support/national.rs"]
mod national;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use asxh_core::lists::RevocationReason;
use asxh_core::{CardSerial, Date};
use asxh_server::auth;
use asxh_server::policy::{act, authorize, Principal};
use asxh_server::registry::{self, replacement, RevocationTarget};
use asxh_server::{publish, reports, stats, Store};
use serde_json::json;

/// The cards of province 51, the province whose pages are measured.
const PROVINCE_CARDS: i64 = 100_000;

/// The median of `runs` timings of `f`, after one run to warm the cache.
fn median(runs: usize, mut f: impl FnMut()) -> Duration {
    f();
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    times.sort();
    times[runs / 2]
}

fn db_dir(cards: i64) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("../target/national-db/{cards}"))
}

/// The data directory of `cards` cards, built if missing, and the time the migrations from
/// schema 6 took on it when it was built (kept in the marker file, in milliseconds).
fn database(cards: i64) -> (Store, Option<Duration>) {
    let dir = db_dir(cards);
    // Built by this schema (a database of an older one is built again).
    let marker = dir.join(format!(
        "built-schema-{}",
        asxh_server::store::migrations::MIGRATIONS.len()
    ));
    if !marker.exists() {
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let t = Instant::now();
        let migration = national::build(&dir, cards, PROVINCE_CARDS);
        std::fs::write(&marker, format!("{}\n", migration.as_millis())).unwrap();
        println!(
            "built {cards} cards in {:.1} s (migrations from schema 6: {:.1} s)",
            t.elapsed().as_secs_f64(),
            migration.as_secs_f64()
        );
    }
    let migration = std::fs::read_to_string(&marker)
        .ok()
        .and_then(|ms| ms.trim().parse().ok())
        .map(Duration::from_millis);
    let store = Store::open(&dir).unwrap();
    store.lists().tick(&store).unwrap();
    (store, migration)
}

fn measure(cards: i64) -> Vec<(&'static str, Duration)> {
    let (store, migration) = database(cards);
    let admin = Principal::Account(
        store
            .read(|c| auth::active_account(c, national::ADMIN_ID))
            .unwrap()
            .unwrap(),
    );
    let console = authorize::<act::UseConsole>(&admin).unwrap();
    let look_up = authorize::<act::LookUpCards>(&admin).unwrap();
    let offices = authorize::<act::ManageOffices>(&admin).unwrap();
    let revoke = authorize::<act::RevokeCards>(&admin).unwrap();
    let read_reports = authorize::<act::ReadReports>(&admin).unwrap();
    let now = time::OffsetDateTime::now_utc();
    // Today: the bulk cards are issued the day their database was built.
    let as_of = Date::parse("as_of", &now.date().to_string()).unwrap();
    // A card of the province that replaced another (serial 1001 replaces 1000).
    let card = CardSerial::new(1001).unwrap();
    let runs = 5;
    let mut out = vec![
        (
            "console dashboard",
            median(runs, || {
                store
                    .read(|c| stats::dashboard(c, &console, now, 12))
                    .unwrap();
            }),
        ),
        (
            "console offices page",
            median(runs, || {
                registry::offices_in(&store, &offices).unwrap();
            }),
        ),
        (
            "console card page",
            median(runs, || {
                registry::card(&store, &look_up, card).unwrap();
                store
                    .read(|c| replacement::of_card(c, &look_up, card))
                    .unwrap();
                registry::replaced_by(&store, &look_up, CardSerial::new(1000).unwrap()).unwrap();
            }),
        ),
        (
            "console open replacement requests",
            median(runs, || {
                store.read(|c| replacement::open_in(c, &console)).unwrap();
            }),
        ),
        (
            "name search (a common name, 100 hits)",
            median(runs, || {
                assert!(!registry::search(&store, &look_up, "nguyen van")
                    .unwrap()
                    .is_empty());
            }),
        ),
        (
            "name search (a name no card has)",
            median(runs, || {
                registry::search(&store, &look_up, "zzz không có").unwrap();
            }),
        ),
        (
            "search by SSN",
            median(runs, || {
                registry::search(&store, &look_up, "051000000002").unwrap();
            }),
        ),
        (
            "report as of a day (by area, sex, age band, program, category)",
            median(runs, || {
                let report = store
                    .read(|c| reports::report(c, &read_reports, as_of))
                    .unwrap();
                assert!(report.total.people > 0);
            }),
        ),
        (
            "monthly increases and decreases, 12 months",
            median(runs, || {
                store
                    .read(|c| reports::monthly_changes(c, &read_reports, as_of, 12))
                    .unwrap();
            }),
        ),
    ];
    // The first full list after a revocation (the command line's way: signed in the write).
    let mut next = 2i64;
    out.push((
        "revocation + first full revocation list",
        median(runs, || {
            loop {
                next += 1;
                let serial = CardSerial::new(next as u64).unwrap();
                if registry::revoke(
                    &store,
                    &revoke,
                    RevocationTarget::Serial(serial),
                    RevocationReason::Lost,
                )
                .is_ok()
                {
                    break;
                }
            }
            assert!(store.lists().current(publish::REVOCATION_LIST).is_some());
        }),
    ));
    if let Some(m) = migration {
        out.push((
            "migrations from schema 6 to the newest (once, when built)",
            m,
        ));
    }
    out
}

fn main() {
    let sizes: Vec<i64> = std::env::var("ASXH_NATIONAL_CARDS")
        .ok()
        .map(|v| v.split(',').map(|n| n.trim().parse().unwrap()).collect())
        .unwrap_or_else(|| vec![PROVINCE_CARDS, 4_000_000]);
    let results: Vec<(i64, Vec<(&str, Duration)>)> =
        sizes.iter().map(|&n| (n, measure(n))).collect();
    let (small, base) = &results[0];
    let mut rows = Vec::new();
    for (n, figures) in &results {
        for (name, d) in figures {
            let ms = d.as_secs_f64() * 1000.0;
            let ratio = base
                .iter()
                .find(|(b, _)| b == name)
                .map(|(_, b)| d.as_secs_f64() / b.as_secs_f64().max(1e-9));
            println!(
                "{n:>9} cards  {name:<42} {ms:>9.2} ms{}",
                match ratio {
                    Some(r) if *n != *small => format!("  ×{r:.2} of {small}"),
                    _ => String::new(),
                }
            );
            rows.push(json!({"cards": n, "name": name, "ms": ms, "ratio": ratio}));
        }
    }
    let out = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/bench-results");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(
        out.join("national.json"),
        serde_json::to_string_pretty(&rows).unwrap(),
    )
    .unwrap();
}
