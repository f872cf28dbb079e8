//! Reports benches (issue #20): the report as of a day (by area, sex, age band, program and
//! category), twelve months of increases and decreases, and one exported table, over a province
//! of 400,000 cards as the province's read-only oversight reads them: 120 communes, births from
//! 1925 to 2020, cards issued over three years, 2% revoked over the last year, each card with one
//! or two programs and their categories. Target: each ≤ 1 s.

use std::collections::BTreeMap;
use std::hint::black_box;

use asxh_core::lists::OfficeCode;
use asxh_core::{AreaCode, Date};
use asxh_server::policy::{act, authorize, Account, Authorized, Principal, Role};
use asxh_server::reports::{self, Dimension};
use asxh_server::{registry, Store};
use asxh_text::Lang;
use criterion::{criterion_group, criterion_main, Criterion};

const CARDS: i64 = 400_000;

fn province() -> (tempfile::TempDir, Store, Authorized<act::ReadReports>) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::init(dir.path()).unwrap();
    let area = AreaCode::parse("51").unwrap();
    let add_office = authorize::<act::AddOffices>(&Principal::Operator).unwrap();
    registry::add_office(
        &store,
        &add_office,
        &OfficeCode::parse("QNG-01").unwrap(),
        "Phòng LĐ-TB&XH Quảng Ngãi",
        &area,
    )
    .unwrap();
    // The rows as the registry writes them, without credentials (the reports never read them).
    store
        .write(|tx| {
            tx.execute_batch(&format!(
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {CARDS})
                 INSERT INTO cards (serial, ssn, full_name, date_of_birth, sex, area, office, status, credential, qr_text, issued, expires, created_at)
                 SELECT i, printf('0511%08d', i), 'Nguyễn Văn ' || i,
                        CASE i % 3 WHEN 0 THEN printf('%04d', 1925 + i % 96)
                                   WHEN 1 THEN printf('%04d-%02d', 1925 + i % 96, 1 + i % 12)
                                   ELSE printf('%04d-%02d-%02d', 1925 + i % 96, 1 + i % 12, 1 + i % 28) END,
                        CASE WHEN i % 2 = 0 THEN 'F' ELSE 'M' END,
                        printf('51.%05d', 22000 + i % 120), 'QNG-01',
                        CASE WHEN i % 50 = 0 THEN 'revoked' ELSE 'active' END, x'00', '',
                        date('2023-12-01', '+' || (i % 1095) || ' days'), '2033-12-01', 0
                 FROM n;
                 INSERT INTO revocations (version, serial, reason, revoked_on, at)
                 SELECT 1, serial, 'deceased', date('2025-12-01', '+' || (serial % 365) || ' days'), 0
                 FROM cards WHERE status = 'revoked';
                 INSERT INTO card_programs (serial, program, category)
                 SELECT serial, 'TGXH', 'BTXH-' || (serial % 7) FROM cards;
                 INSERT INTO card_programs (serial, program, category)
                 SELECT serial, 'BHYT', 'BT' FROM cards WHERE serial % 3 = 0;"
            ))?;
            Ok(())
        })
        .unwrap();
    let reader = Principal::Account(Account {
        id: 1,
        role: Role::Auditor,
        office: None,
        area,
    });
    let grant = authorize::<act::ReadReports>(&reader).unwrap();
    (dir, store, grant)
}

fn bench(c: &mut Criterion) {
    let (_dir, store, grant) = province();
    let as_of = Date::parse("as_of", "2026-11-30").unwrap();
    let mut g = c.benchmark_group("reports_400k_cards");
    g.sample_size(10);
    g.bench_function("report_as_of_a_day", |b| {
        b.iter(|| {
            store
                .read(|conn| reports::report(conn, &grant, as_of))
                .unwrap()
        })
    });
    g.bench_function("monthly_changes_12_months", |b| {
        b.iter(|| {
            store
                .read(|conn| reports::monthly_changes(conn, &grant, as_of, 12))
                .unwrap()
        })
    });
    let report = store
        .read(|conn| reports::report(conn, &grant, as_of))
        .unwrap();
    assert_eq!(report.by_area.len(), 120);
    g.bench_function("export_by_area_xlsx", |b| {
        b.iter(|| {
            let table = reports::table(&report, Dimension::Area, Lang::Vi, &BTreeMap::new());
            black_box(table.to_xlsx("Theo địa bàn").unwrap())
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
