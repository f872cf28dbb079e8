//! What a month's rolls carry, computed from the register (issue 18's target: a base-level
//! change for 400,000 beneficiaries recomputed and the rolls re-published ≤ 10 s on 2 cores).
//! Measured on a SQLite file holding a province of 400,000 beneficiaries in 184 communes, each
//! with a social-assistance decision (a quarter with a second category of the same program,
//! a fifth also with a people-with-merit allowance, 15% with an authorised recipient, a few
//! suspended or stopped) and a tenth in poor households: `due` for the whole province at once,
//! for each commune in turn, and a base-level change followed by every commune's roll computed,
//! built and signed.

use std::hint::black_box;
use std::time::Duration;

use asxh_core::lists::{Month, Roll, RollHeader};
use asxh_core::AreaCode;
use asxh_server::policy::{act, authorize, Principal};
use asxh_server::register::{self, BaseLevelChange};
use asxh_server::Store;
use criterion::{criterion_group, criterion_main, Criterion};

const BENEFICIARIES: i64 = 400_000;
const COMMUNES: i64 = 184;

fn province() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::init(dir.path()).unwrap();
    let levels = authorize::<act::SetBaseLevels>(&Principal::Operator).unwrap();
    for (from, amount) in [("2021-07", 360_000), ("2024-07", 500_000)] {
        let change = BaseLevelChange::new("TGXH", None, from, amount, "76/2024/NĐ-CP").unwrap();
        register::set_base_level(&store, &levels, change).unwrap();
    }
    store
        .write(|tx| {
            tx.execute_batch(&format!(
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {BENEFICIARIES})
                 INSERT INTO beneficiaries (ssn, full_name, area, created_at, updated_at)
                 SELECT printf('051%d%02d%06d', i % 2, 30 + i % 60, i), 'Nguyễn Thị Lan', printf('51.%05d', 22000 + i % {COMMUNES}), 0, 0 FROM n;
                 INSERT INTO entitlements (ssn, program, category, coefficient, decision_no, decision_date, paid_from, first_paid,
                                           paid_until, status, reason, status_on, created_at, updated_at)
                 SELECT ssn, 'TGXH', json_extract('[\"NCT80\",\"NKT-NANG\",\"NKT-DB-NANG\",\"NCT-NGHEO\",\"TRE-MC\",\"DON-THAN\"]', '$[' || (rowid % 6) || ']'),
                        json_extract('[100,150,200,150,250,100]', '$[' || (rowid % 6) || ']'), rowid || '/QĐ-UBND', '2022-01-05', '2022-01', '2022-01',
                        CASE WHEN rowid % 100 = 7 THEN '2026-11' END,
                        CASE WHEN rowid % 100 = 7 THEN 'stopped' WHEN rowid % 50 = 3 THEN 'suspended' ELSE 'active' END,
                        CASE WHEN rowid % 100 = 7 THEN 'deceased' WHEN rowid % 50 = 3 THEN 'not_collected' END,
                        CASE WHEN rowid % 100 = 7 THEN '2026-11-05' WHEN rowid % 50 = 3 THEN '2026-10-01' END, 0, 0
                 FROM (SELECT rowid, ssn FROM (SELECT ROW_NUMBER() OVER (ORDER BY ssn) AS rowid, ssn FROM beneficiaries));
                 INSERT INTO entitlements (ssn, program, category, coefficient, decision_no, decision_date, paid_from, first_paid, status, created_at, updated_at)
                 SELECT ssn, 'TGXH', 'NKT-DB-NANG', 200, 'b' || ssn, '2023-03-01', '2023-03', '2023-03', 'active', 0, 0
                 FROM beneficiaries WHERE CAST(substr(ssn, 7) AS INTEGER) % 4 = 0;
                 INSERT INTO entitlements (ssn, program, category, fixed_vnd, decision_no, decision_date, paid_from, first_paid, status, created_at, updated_at)
                 SELECT ssn, 'NCC', 'TB-81', 2789000, 'n' || ssn, '2024-07-15', '2024-07', '2024-07', 'active', 0, 0
                 FROM beneficiaries WHERE CAST(substr(ssn, 7) AS INTEGER) % 5 = 1;
                 INSERT INTO entitlement_recipients (id, entitlement, role, full_name, id_number, document, valid_from, set_at)
                 SELECT id, id, CASE WHEN id % 2 = 0 THEN 'guardian' ELSE 'authorised' END, 'Trần Văn Bình', printf('051080%06d', id % 1000000),
                        'Giấy ủy quyền ' || id, '2024-01-01', 0
                 FROM entitlements WHERE program = 'TGXH' AND id % 100 < 15;
                 INSERT INTO households (code, area, created_at)
                 SELECT 'H' || ssn, area, 0 FROM beneficiaries WHERE CAST(substr(ssn, 7) AS INTEGER) % 10 = 3;
                 INSERT INTO household_members (ssn, household, joined_at) SELECT substr(code, 2), code, 0 FROM households;
                 INSERT INTO entitlements (household, program, category, fixed_vnd, decision_no, decision_date, paid_from, first_paid, status, created_at, updated_at)
                 SELECT code, 'HN', 'HN', 46000, 'h' || code, '2026-01-10', '2026-01', '2026-01', 'active', 0, 0 FROM households;
                 ANALYZE;"
            ))?;
            Ok(())
        })
        .unwrap();
    (dir, store)
}

fn communes() -> Vec<AreaCode> {
    (0..COMMUNES)
        .map(|i| AreaCode::parse(&format!("51.{:05}", 22000 + i)).unwrap())
        .collect()
}

fn bench(c: &mut Criterion) {
    let (_dir, store) = province();
    let month = Month::parse("month", "2026-12").unwrap();
    let whole = AreaCode::parse("51").unwrap();
    let communes = communes();
    let entries = store.read(|c| register::due(c, &whole, month)).unwrap();
    let lines: usize = entries.iter().map(|e| e.lines.len()).sum();
    eprintln!(
        "province: {} beneficiaries due lines, {lines} lines",
        entries.len()
    );
    assert!(entries.len() as i64 > BENEFICIARIES * 9 / 10);

    let mut g = c.benchmark_group("register");
    g.sample_size(10).measurement_time(Duration::from_secs(20));
    g.bench_function("due_province_400k", |b| {
        b.iter(|| {
            black_box(
                store
                    .read(|c| register::due(c, &whole, month))
                    .unwrap()
                    .len(),
            )
        })
    });
    g.bench_function("due_every_commune_400k", |b| {
        b.iter(|| {
            let n: usize = communes
                .iter()
                .map(|a| store.read(|c| register::due(c, a, month)).unwrap().len())
                .sum();
            black_box(n)
        })
    });
    // A base level changed from this month, then every commune's roll computed, built and
    // signed (the bytes a publication persists and serves).
    let key = store.roll_key().unwrap();
    let levels = authorize::<act::SetBaseLevels>(&Principal::Operator).unwrap();
    let mut amount = 500_000;
    g.bench_function("base_level_change_and_every_roll_signed_400k", |b| {
        b.iter(|| {
            amount += 1_000;
            let change =
                BaseLevelChange::new("TGXH", None, "2026-12", amount, "76/2024/NĐ-CP").unwrap();
            register::set_base_level(&store, &levels, change).unwrap();
            let bytes: usize = communes
                .iter()
                .map(|a| {
                    let entries = store.read(|c| register::due(c, a, month)).unwrap();
                    let header = RollHeader {
                        version: 1,
                        issued_at: 1_796_000_000,
                        next_update: 1_796_086_400,
                        base_version: None,
                        area: a.clone(),
                        month,
                    };
                    Roll::new(header, entries).unwrap().sign(&key).len()
                })
                .sum();
            black_box(bytes)
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
