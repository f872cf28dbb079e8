//! Console benches (issue #9): the dashboard and card searches over a province of 100,000 cards
//! (one genuinely issued credential copied to every row with its two programs and the words of
//! its name indexed; 2% revoked
//! over the last twelve weeks). Target: a page in well under a second.

use std::hint::black_box;

use asxh_api::IssueRequest;
use asxh_core::lists::OfficeCode;
use asxh_core::signature::public_key_bytes;
use asxh_core::AreaCode;
use asxh_server::auth::{self, Role};
use asxh_server::policy::{act, authorize, Authorized, Principal};
use asxh_server::registry;
use asxh_server::{stats, Store};
use asxh_testkit::test_key;
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
    let store = Store::init(dir.path()).unwrap();
    let area = AreaCode::parse("51").unwrap();
    let office = OfficeCode::parse("QNG-01").unwrap();
    let operator = Principal::Operator;
    let add_office = authorize::<act::AddOffices>(&operator).unwrap();
    registry::add_office(
        &store,
        &add_office,
        &office,
        "Phòng LĐ-TB&XH Quảng Ngãi",
        &area,
    )
    .unwrap();
    let add_account = authorize::<act::CreateAccounts>(&operator).unwrap();
    let (office_id, _) = store
        .write(|tx| auth::add_account(tx, &add_account, Role::Office, Some(&office), None, None))
        .unwrap();
    let (admin_id, _) = store
        .write(|tx| auth::add_account(tx, &add_account, Role::Admin, None, Some(&area), None))
        .unwrap();
    let office_account = store
        .read(|c| auth::active_account(c, office_id))
        .unwrap()
        .unwrap();
    let req: IssueRequest = serde_json::from_value(serde_json::json!({
        "ssn": "051146000001", "full_name": "Trần Thị Lan", "date_of_birth": "1946-08-19",
        "sex": "F", "area_code": "51.429",
        "entitlements": [{"program": "TGXH", "category": "BTXH-80", "monthly_amount_vnd": 540000,
                          "valid_from": "2026-01-01"}, {"program": "BHYT", "category": "BT", "valid_from": "2026-01-01"}],
        "card_public_key_hex": hex::encode(public_key_bytes(test_key("bench card").verifying_key())),
    }))
    .unwrap();
    let issue = authorize::<act::IssueCards>(&Principal::Account(office_account)).unwrap();
    registry::issue(&store, &issue, &req).unwrap();
    store
        .write(|tx| {
            tx.execute_batch(&format!(
                "WITH RECURSIVE n(i) AS (SELECT 2 UNION ALL SELECT i + 1 FROM n WHERE i < {CARDS})
                 INSERT INTO cards (serial, ssn, full_name, date_of_birth, sex, area, office, status, credential, qr_text, issued, expires, created_at)
                 SELECT i, printf('0511460%05d', i), 'Nguyễn Văn ' || i, '1946-08-19', 'M', '51.' || (400 + i % 20), 'QNG-01',
                        CASE WHEN i % 50 = 0 THEN 'revoked' ELSE 'active' END, c.credential, c.qr_text, c.issued, c.expires, c.created_at
                 FROM n, (SELECT * FROM cards WHERE serial = 1) c;
                 INSERT INTO revocations (version, serial, reason, revoked_on, at)
                 SELECT 1, serial, 'lost', '2026-11-01', unixepoch() - (serial % 84) * 86400 FROM cards WHERE status = 'revoked';
                 INSERT OR IGNORE INTO card_programs (serial, program) SELECT serial, 'TGXH' FROM cards;
                 INSERT OR IGNORE INTO card_programs (serial, program) SELECT serial, 'BHYT' FROM cards;
                 INSERT INTO card_words (province, word, serial)
                 SELECT '51', w.word, c.serial FROM cards c, (SELECT 'nguyen' AS word UNION ALL SELECT 'van') w WHERE c.serial > 1;
                 INSERT INTO card_words (province, word, serial) SELECT '51', CAST(serial AS TEXT), serial FROM cards WHERE serial > 1;"
            ))?;
            Ok(())
        })
        .unwrap();
    let admin = Principal::Account(
        store
            .read(|c| auth::active_account(c, admin_id))
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
        b.iter(|| black_box(registry::search(&store, &look_up, "051146012345").unwrap()))
    });
    g.finish();
}

criterion_group!(benches, console);
criterion_main!(benches);
