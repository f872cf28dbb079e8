//! A national-size database built the fast way, for the national bench and the migration test:
//! one credential genuinely issued by the server, copied in bulk to every other card with rows
//! shaped as the server writes them (card, two programs, revocation of 2% over twelve weeks,
//! one replacement request in a thousand), spread over the 34 provinces, province 51 holding the
//! first cards across four offices. The bulk cards have no audit rows (the
//! chain of the rows there verifies); the database is written at schema version 6 and the
//! newest migration brings it up, so its cost is measured on the way.

use std::path::Path;
use std::time::{Duration, Instant};

use asxh_api::IssueRequest;
use asxh_core::lists::OfficeCode;
use asxh_core::signature::public_key_bytes;
use asxh_core::AreaCode;
use asxh_server::auth::{self, Role};
use asxh_server::policy::{act, authorize, Principal};
use asxh_server::registry;
use asxh_server::Store;
use asxh_testkit::test_key;

/// The offices of province 51.
pub const PROVINCE_OFFICES: [(&str, &str); 4] = [
    ("QNG-01", "51"),
    ("QNG-02", "51.429"),
    ("QNG-03", "51.430"),
    ("QNG-04", "51.431"),
];

/// The account id of the province-51 administrator.
pub const ADMIN_ID: i64 = 2;

/// The objects schema versions 7 and later add (dropped to write the database at version 6).
const LATER_OBJECTS: &str = "DROP TABLE transfer_results; DROP TABLE entitlement_accounts;
    DROP TABLE payment_flags; DROP TABLE payment_lines; DROP TABLE payments;
    DROP TABLE payment_point_keys; DROP TABLE payment_points;
    DROP INDEX cards_by_area; DROP INDEX cards_by_office; DROP INDEX cards_by_replaces;
    DROP INDEX replacements_by_serial; DROP INDEX replacements_by_new_serial; DROP TABLE card_words;
    DROP TRIGGER program_counts_on_program; DROP TRIGGER program_counts_on_status; DROP TABLE program_counts;
    DROP TABLE areas; ALTER TABLE card_programs DROP COLUMN category;
    DROP TABLE roll_changes; DROP TABLE roll_drafts; DROP TABLE roll_entries; DROP TABLE rolls;
    DROP TABLE base_levels; DROP TABLE entitlement_recipients; DROP TABLE entitlement_events;
    DROP TABLE entitlements; DROP TABLE household_members; DROP TABLE households; DROP TABLE beneficiaries;";

/// The provinces of today other than 51, which hold the rest of the country's cards.
fn other_provinces() -> Vec<&'static str> {
    asxh_core::provinces::today()
        .map(|p| p.code)
        .filter(|code| *code != "51")
        .collect()
}

/// Builds a data directory in `dir` with `cards` cards, the first `province` of them in
/// province 51; returns how long the migrations from schema version 6 (7 to 9) took on it.
pub fn build(dir: &Path, cards: i64, province: i64) -> Duration {
    let store = Store::init(dir).unwrap();
    let operator = Principal::Operator;
    let add_office = authorize::<act::AddOffices>(&operator).unwrap();
    for (code, area) in PROVINCE_OFFICES {
        registry::add_office(
            &store,
            &add_office,
            &OfficeCode::parse(code).unwrap(),
            "Phòng LĐ-TB&XH",
            &AreaCode::parse(area).unwrap(),
        )
        .unwrap();
    }
    let others = other_provinces();
    for p in &others {
        registry::add_office(
            &store,
            &add_office,
            &OfficeCode::parse(&format!("P{p}-01")).unwrap(),
            "Phòng LĐ-TB&XH",
            &AreaCode::parse(p).unwrap(),
        )
        .unwrap();
    }
    let add_account = authorize::<act::CreateAccounts>(&operator).unwrap();
    let office = OfficeCode::parse("QNG-01").unwrap();
    let area = AreaCode::parse("51").unwrap();
    let (office_id, _) = store
        .write(|tx| auth::add_account(tx, &add_account, Role::Office, Some(&office), None, None))
        .unwrap();
    let (admin_id, _) = store
        .write(|tx| auth::add_account(tx, &add_account, Role::Admin, None, Some(&area), None))
        .unwrap();
    assert_eq!(admin_id, ADMIN_ID);
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
            tx.execute_batch(LATER_OBJECTS)?;
            let n_others = others.len();
            let others = serde_json::to_string(&others).unwrap();
            tx.execute_batch(&format!(
                "WITH RECURSIVE n(i) AS (SELECT 2 UNION ALL SELECT i + 1 FROM n WHERE i < {cards}),
                 k(i, p) AS (SELECT i, CASE WHEN i <= {province} THEN '51' ELSE json_extract('{others}', '$[' || (i % {n_others}) || ']') END FROM n)
                 INSERT INTO cards (serial, ssn, full_name, date_of_birth, sex, area, office, status, credential, qr_text, issued, expires, replaces, created_at, card_key)
                 SELECT i, printf('%03d%d%08d', p, i % 2, i),
                        json_extract('[\"Nguyễn\",\"Trần\",\"Lê\",\"Phạm\",\"Hoàng\",\"Huỳnh\",\"Phan\",\"Vũ\",\"Võ\",\"Đặng\",\"Bùi\",\"Đỗ\",\"Hồ\",\"Ngô\",\"Dương\",\"Lý\"]', '$[' || (i % 16) || ']')
                          || ' ' || json_extract('[\"Văn\",\"Thị\",\"Hữu\",\"Đức\",\"Ngọc\",\"Minh\",\"Thanh\"]', '$[' || (i / 16 % 7) || ']')
                          || ' ' || json_extract('[\"An\",\"Bình\",\"Chi\",\"Dũng\",\"Đào\",\"Giang\",\"Hà\",\"Hải\",\"Hạnh\",\"Hòa\",\"Hùng\",\"Khánh\",\"Lan\",\"Linh\",\"Long\",\"Mai\",\"Nam\",\"Nga\",\"Phúc\",\"Quang\",\"Sơn\",\"Tâm\",\"Thảo\",\"Trang\",\"Tuấn\",\"Vân\",\"Yến\"]', '$[' || (i / 112 % 27) || ']')
                          || ' ' || (i % 997),
                        printf('19%02d-%02d-%02d', 30 + i % 60, 1 + i % 12, 1 + i % 28), CASE i % 2 WHEN 0 THEN 'M' ELSE 'F' END,
                        CASE WHEN p = '51' THEN '51.' || (429 + i % 3) || '.' || (22900 + i % 40)
                             ELSE printf('%s.%03d.%05d', p, 100 + i % 30, 10000 + i % 500) END,
                        CASE WHEN p = '51' THEN 'QNG-0' || (1 + i % 4) ELSE printf('P%s-01', p) END,
                        CASE WHEN i % 50 = 0 THEN 'revoked' WHEN i % 97 = 0 THEN 'pending' WHEN i % 211 = 0 THEN 'void' ELSE 'active' END,
                        c.credential, c.qr_text, c.issued, c.expires,
                        CASE WHEN i % 1000 = 1 THEN i - 1 END, c.created_at, randomblob(65)
                 FROM k, (SELECT * FROM cards WHERE serial = 1) c;
                 INSERT INTO revocations (version, serial, reason, revoked_on, at)
                 SELECT 1, serial, CASE WHEN serial % 7 = 0 THEN 'deceased' ELSE 'lost' END, '2026-11-01',
                        unixepoch() - (serial % 84) * 86400 FROM cards WHERE status = 'revoked';
                 INSERT INTO card_programs (serial, program) SELECT serial, 'TGXH' FROM cards WHERE serial > 1;
                 INSERT INTO card_programs (serial, program) SELECT serial, 'BHYT' FROM cards WHERE serial > 1;
                 INSERT INTO replacements (serial, reason, requested_by, requested_at, new_serial, done_at)
                 SELECT serial, 'damaged', 'admin', created_at, NULL, NULL FROM cards WHERE serial % 1000 = 500 AND status = 'active';
                 -- Publish the bulk revocations with the next version (the list is rebuilt from the registry).
                 DELETE FROM published_lists WHERE name = 'revocation-list';
                 PRAGMA user_version = 6;"
            ))?;
            Ok(())
        })
        .unwrap();
    drop(store);
    let started = Instant::now();
    drop(Store::open(dir).unwrap());
    started.elapsed()
}
