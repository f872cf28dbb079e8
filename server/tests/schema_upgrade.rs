//! Every older database upgrades: the dumps in `tests/schema/` (one per schema version, written
//! by the server release of that version) are opened by today's server, and afterwards every row
//! is still there, the schema equals a new database's, the audit chain verifies with the same last
//! hash, and the migrations' upgrade steps filled what they create from the old rows.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use asxh_core::lists::RevocationReason;
use asxh_core::Ssn;
use asxh_server::auth::{self, Account, Role};
use asxh_server::policy::{act, authorize, Principal};
use asxh_server::registry::{self, RevocationTarget};
use asxh_server::store::migrations::MIGRATIONS;
use asxh_server::{audit, program_index, stats, Store};
use rusqlite::types::Value;
use rusqlite::Connection;

fn fixture(version: usize) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/schema/v{version}.sql"))
}

/// A data directory (keys made by `init`) whose database is the fixture of `version`.
fn data_dir_at(version: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    drop(Store::init(dir.path()).unwrap());
    for file in ["asxh.sqlite", "asxh.sqlite-wal", "asxh.sqlite-shm"] {
        let _ = std::fs::remove_file(dir.path().join(file));
    }
    let sql = std::fs::read_to_string(fixture(version)).unwrap();
    let conn = Connection::open(dir.path().join("asxh.sqlite")).unwrap();
    conn.execute_batch(&sql).unwrap();
    let loaded: usize = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(loaded, version, "the fixture of version {version}");
    dir
}

fn tables(conn: &Connection) -> Vec<String> {
    let mut stmt = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        .unwrap();
    let names = stmt
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<Vec<String>>>()
        .unwrap();
    names
}

fn columns(conn: &Connection, table: &str) -> Vec<String> {
    let mut stmt = conn
        .prepare(&format!(
            "SELECT name FROM pragma_table_info('{table}') ORDER BY cid"
        ))
        .unwrap();
    let names = stmt
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<Vec<String>>>()
        .unwrap();
    names
}

fn rows(conn: &Connection, table: &str) -> Vec<Vec<Value>> {
    rows_of(conn, table, &columns(conn, table))
}

/// The rows of `table`, only the columns named (those an older version had, when a later
/// migration added columns).
fn rows_of(conn: &Connection, table: &str, columns: &[String]) -> Vec<Vec<Value>> {
    let mut stmt = conn
        .prepare(&format!(
            "SELECT {} FROM {table} ORDER BY 1, 2",
            columns.join(", ")
        ))
        .unwrap();
    let n = stmt.column_count();
    let rows = stmt
        .query_map([], |r| (0..n).map(|i| r.get::<_, Value>(i)).collect())
        .unwrap()
        .collect::<rusqlite::Result<Vec<Vec<Value>>>>()
        .unwrap();
    rows
}

/// Every table and index with its SQL, by name.
fn schema(conn: &Connection) -> Vec<(String, String, Option<String>)> {
    let mut stmt = conn
        .prepare("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name")
        .unwrap();
    let schema = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<rusqlite::Result<Vec<_>>>()
        .unwrap();
    schema
}

fn admin_51(store: &Store) -> Principal {
    let account: Account = store
        .read(|c| auth::active_account(c, 1))
        .unwrap()
        .expect("account 1 of the fixtures is the area-51 admin");
    assert_eq!(account.role, Role::Admin);
    Principal::Account(account)
}

#[test]
fn every_schema_version_has_a_fixture() {
    for version in 1..=MIGRATIONS.len() {
        assert!(
            fixture(version).exists(),
            "no database of schema version {version} in server/tests/schema/ (see its README)"
        );
    }
}

#[test]
fn every_older_database_upgrades_with_its_rows_indexes_and_audit_chain_intact() {
    let fresh_dir = tempfile::tempdir().unwrap();
    let fresh = Store::init(fresh_dir.path()).unwrap();
    let fresh_schema = fresh.read(|c| Ok(schema(c))).unwrap();

    for version in 1..=MIGRATIONS.len() {
        let dir = data_dir_at(version);
        let (before, chain_before) = {
            let conn = Connection::open(dir.path().join("asxh.sqlite")).unwrap();
            let before: Vec<(String, Vec<String>, Vec<Vec<Value>>)> = tables(&conn)
                .into_iter()
                .map(|t| {
                    let c = columns(&conn, &t);
                    let r = rows(&conn, &t);
                    (t, c, r)
                })
                .collect();
            // The chain as the old version left it: its length and last hash (today's verify,
            // run after the upgrade, must find the same).
            let chain = conn
                .query_row(
                    "SELECT COUNT(*), (SELECT hash FROM audit ORDER BY id DESC LIMIT 1) FROM audit",
                    [],
                    |r| {
                        Ok(audit::ChainReport {
                            rows: r.get(0)?,
                            last_hash: r.get(1)?,
                        })
                    },
                )
                .unwrap();
            (before, chain)
        };
        assert!(chain_before.rows > 20, "v{version}: a realistic audit log");

        let store = Store::open(dir.path()).unwrap();
        store
            .read(|c| {
                let done: usize = c.pragma_query_value(None, "user_version", |r| r.get(0))?;
                assert_eq!(done, MIGRATIONS.len(), "v{version}");
                for (table, columns, old) in &before {
                    assert_eq!(&rows_of(c, table, columns), old, "v{version}: table {table}");
                }
                // Every audit row that names a card, account, office or area has its area.
                for row in rows_of(c, "audit", &["id".into(), "detail".into(), "area".into()]) {
                    let (Value::Text(detail), area) = (&row[1], &row[2]) else {
                        panic!("v{version}: audit row {row:?}");
                    };
                    let names_one = ["\"serial\"", "\"account\"", "\"office\"", "\"area\""]
                        .iter()
                        .any(|k| detail.contains(k));
                    assert_eq!(
                        matches!(area, Value::Text(_)),
                        names_one,
                        "v{version}: audit row {row:?}"
                    );
                }
                assert_eq!(schema(c), fresh_schema, "v{version}: schema of a new database");
                assert_eq!(audit::verify(c)?, chain_before, "v{version}: audit chain");
                let check: String = c.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
                assert_eq!(check, "ok", "v{version}");
                assert!(
                    c.prepare("PRAGMA foreign_key_check")?.query([])?.next()?.is_none(),
                    "v{version}: foreign keys"
                );
                // The program index holds exactly the programs (with their categories) of every stored
                // credential.
                let mut expected = BTreeSet::new();
                for row in rows(c, "cards") {
                    let (Value::Integer(serial), Value::Blob(credential)) = (&row[0], &row[8])
                    else {
                        panic!("v{version}: cards row {row:?}");
                    };
                    for e in program_index::stored_entitlements(credential).unwrap() {
                        expected.insert((
                            *serial,
                            e.program().as_str().to_owned(),
                            e.category().as_str().to_owned(),
                        ));
                    }
                }
                let indexed: BTreeSet<(i64, String, String)> = rows(c, "card_programs")
                    .into_iter()
                    .map(|r| match (&r[0], &r[1], &r[2]) {
                        (Value::Integer(s), Value::Text(p), Value::Text(k)) => {
                            (*s, p.clone(), k.clone())
                        }
                        other => panic!("{other:?}"),
                    })
                    .collect();
                assert!(!expected.is_empty());
                assert_eq!(indexed, expected, "v{version}: card_programs");
                // The name index holds the folded words of every card's name, by province.
                let mut expected = BTreeSet::new();
                for row in rows_of(c, "cards", &["serial".into(), "area".into(), "full_name".into()]) {
                    let (Value::Integer(serial), Value::Text(area), Value::Text(name)) =
                        (&row[0], &row[1], &row[2])
                    else {
                        panic!("v{version}: cards row {row:?}");
                    };
                    let province = area.split('.').next().unwrap().to_owned();
                    for word in registry::fold_name(name).split(' ') {
                        expected.insert((province.clone(), word.to_owned(), *serial));
                    }
                }
                let indexed: BTreeSet<(String, String, i64)> = rows(c, "card_words")
                    .into_iter()
                    .map(|r| match (&r[0], &r[1], &r[2]) {
                        (Value::Text(p), Value::Text(w), Value::Integer(s)) => (p.clone(), w.clone(), *s),
                        other => panic!("{other:?}"),
                    })
                    .collect();
                assert!(!expected.is_empty());
                assert_eq!(indexed, expected, "v{version}: card_words");
                // The one-live-card-per-SSN index still refuses a second live card.
                let second = c.execute(
                    "INSERT INTO cards (serial, ssn, full_name, date_of_birth, sex, area, office, status, credential, qr_text, issued, expires, created_at)
                     SELECT 1000, ssn, full_name, date_of_birth, sex, area, office, 'pending', credential, qr_text, issued, expires, created_at
                     FROM cards WHERE status = 'active' LIMIT 1",
                    [],
                );
                assert!(second.is_err(), "v{version}: a second live card was accepted");
                Ok(())
            })
            .unwrap();

        // And the server works on it: the dashboard counts by program, a look-up finds the
        // replaced card's history, and a revocation is published at a higher list version.
        let admin = admin_51(&store);
        let dashboard = store
            .read(|c| {
                stats::dashboard(
                    c,
                    &authorize::<act::UseConsole>(&admin)?,
                    time::OffsetDateTime::now_utc(),
                    1,
                )
            })
            .unwrap();
        let programs: Vec<&str> = dashboard
            .by_program
            .iter()
            .map(|(p, _)| p.as_str())
            .collect();
        assert_eq!(programs, ["BHYT", "HN", "NCC", "TGXH"], "v{version}");
        assert_eq!(dashboard.total.void, 1, "v{version}");
        let look_up = authorize::<act::LookUpCards>(&admin).unwrap();
        let cards =
            registry::cards_of(&store, &look_up, Ssn::parse("051146000001").unwrap()).unwrap();
        assert_eq!(
            cards.len(),
            2,
            "v{version}: the damaged card and its replacement"
        );
        assert_eq!(cards[1].replaces.as_deref(), Some(cards[0].serial.as_str()));
        assert!(cards[0].revocation.is_some());
        // Revocation versions were 1, 2, 3, … before schema 3, publication numbers since.
        let newest_before = before
            .iter()
            .find(|(t, _, _)| t == "revocations")
            .map(|(_, _, r)| {
                r.iter()
                    .map(|row| match row[0] {
                        Value::Integer(v) => v,
                        ref other => panic!("v{version}: revocation version {other:?}"),
                    })
                    .max()
                    .unwrap_or(0)
            })
            .unwrap();
        let pending =
            registry::cards_of(&store, &look_up, Ssn::parse("051210000007").unwrap()).unwrap();
        assert_eq!(pending[0].status, asxh_api::CardStatus::Pending);
        let (list_version, _) = registry::revoke(
            &store,
            &authorize::<act::RevokeCards>(&admin).unwrap(),
            RevocationTarget::Serial(asxh_core::CardSerial::parse(&pending[0].serial).unwrap()),
            RevocationReason::Error,
        )
        .unwrap();
        assert!(
            list_version > newest_before,
            "v{version}: the next revocation-list version {list_version} is above {newest_before}"
        );
        assert_eq!(
            store
                .lists()
                .current(asxh_server::publish::REVOCATION_LIST)
                .map(|p| p.stamp.version as i64),
            Some(list_version),
            "v{version}: published with the revocation"
        );
        assert!(store.read(audit::verify).unwrap().rows > chain_before.rows);
        // The counts by area, program and status are the cards' (filled by the migration, kept
        // by the revocation since).
        let query = |c: &Connection,
                     sql: &str|
         -> asxh_server::error::Result<Vec<(String, String, String, i64)>> {
            let mut stmt = c.prepare(sql)?;
            let rows = stmt
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
                .collect::<rusqlite::Result<Vec<(String, String, String, i64)>>>()?;
            Ok(rows)
        };
        let (kept, counted) = store
            .read(|c| {
                Ok((
                    query(c, "SELECT area, program, status, cards FROM program_counts WHERE cards != 0 ORDER BY 1, 2, 3")?,
                    query(c, "SELECT c.area, p.program, c.status, COUNT(*) FROM card_programs p JOIN cards c ON c.serial = p.serial GROUP BY 1, 2, 3 ORDER BY 1, 2, 3")?,
                ))
            })
            .unwrap();
        assert!(!kept.is_empty());
        assert_eq!(kept, counted, "v{version}: program_counts");
        if version >= 9 {
            register_still_pays(&store, version);
        }
        if version >= 11 {
            payments_still_hold(&store, version);
        }
        if version >= 9 {
            accounts_still_hold(&store, version);
        }
    }
}

/// The register of a version-9 database (schema_upgrade's fixture) reads back and computes its
/// roll: a suspended decision, a household's decision with its arrears, a replaced recipient.
fn register_still_pays(store: &Store, version: usize) {
    use asxh_core::lists::roll::{ItemKind, LineStatus};
    use asxh_core::lists::Month;
    use asxh_server::register;

    let grant = authorize::<act::ReadEntitlements>(&Principal::Operator).unwrap();
    let ssn = Ssn::parse("051210000007").unwrap();
    let (who, entitlements) = store.read(|c| register::history(c, &grant, ssn)).unwrap();
    assert_eq!(who.name.as_str(), "Đặng Gia Bảo", "v{version}");
    assert_eq!(
        entitlements.len(),
        2,
        "v{version}: their own and their household's"
    );
    assert_eq!(
        entitlements[0].recipient.as_ref().map(|r| r.name.as_str()),
        Some("Nguyễn Thị Cúc"),
        "v{version}"
    );
    let area = asxh_core::AreaCode::parse("51.22903").unwrap();
    let month = Month::parse("month", "2026-12").unwrap();
    let entries = store.read(|c| register::due(c, &area, month)).unwrap();
    let lines = |ssn: &str| -> Vec<(String, ItemKind, u64, LineStatus)> {
        entries
            .iter()
            .find(|e| e.ssn.to_string() == ssn)
            .map(|e| {
                e.lines
                    .iter()
                    .map(|l| {
                        (
                            l.item.program.to_string(),
                            l.item.kind,
                            l.item.amount_vnd,
                            l.status,
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    let line = |p: &str, k, a, s| (p.to_owned(), k, a, s);
    // Version 10's fixture raised province 51's base level from 2026-12.
    let base = if version >= 10 { 550_000 } else { 500_000 };
    // Version 12's fixture pays Bảo's own decision into an account.
    let paid_at = if version >= 12 {
        LineStatus::PaidByAccount
    } else {
        LineStatus::Due
    };
    // Version 12's fixture resumes Lan and pays her into an e-wallet.
    let lan = if version >= 12 {
        LineStatus::PaidByAccount
    } else {
        LineStatus::Suspended
    };
    assert_eq!(
        lines("051146000001"),
        [line("TGXH", ItemKind::Monthly, base, lan)],
        "v{version}"
    );
    assert_eq!(
        lines("051210000007"),
        [
            line("HN", ItemKind::Monthly, 46_000, LineStatus::Due),
            line("TGXH", ItemKind::Monthly, base * 5 / 2, paid_at),
            line("HN", ItemKind::Arrears, 46_000, LineStatus::Due),
        ],
        "v{version}"
    );
    assert_eq!(
        entries.len(),
        3,
        "v{version}: the commune's three beneficiaries"
    );
}

/// The payments of a version-11 database: the receipts kept with their bytes, the flagged one
/// naming the receipt that paid first, a paid line refused a second unflagged payment by the
/// database itself, and the month reconciled from them.
fn payments_still_hold(store: &Store, version: usize) {
    use asxh_core::lists::Month;
    use asxh_core::receipt::SignedReceipt;
    use asxh_server::payments::reconcile;

    let (receipts, flags) = store
        .read(|c| {
            let mut stmt =
                c.prepare("SELECT receipt_id, bytes, flagged FROM payments ORDER BY paid_at")?;
            let receipts = stmt
                .query_map([], |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, Vec<u8>>(1)?,
                        r.get::<_, bool>(2)?,
                    ))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            let flags: i64 = c.query_row("SELECT COUNT(*) FROM payment_flags", [], |r| r.get(0))?;
            Ok((receipts, flags))
        })
        .unwrap();
    assert_eq!(receipts.len(), 4, "v{version}");
    for (id, bytes, _) in &receipts {
        let parsed = SignedReceipt::parse(bytes).unwrap();
        assert_eq!(&parsed.body().id.to_hex(), id, "v{version}");
    }
    assert_eq!(
        receipts.iter().filter(|r| r.2).count(),
        1,
        "v{version}: one flagged"
    );
    assert_eq!(flags, 1, "v{version}");
    let again = store.read(|c| {
        Ok(c.execute(
            "INSERT INTO payment_lines (receipt_id, ssn, month, program, category, kind, amount_vnd, first, last, flagged)
             SELECT receipt_id, ssn, month, program, category, kind, amount_vnd, first, last, 0 FROM payment_lines WHERE flagged = 0 LIMIT 1",
            [],
        ))
    });
    assert!(
        again.unwrap().is_err(),
        "v{version}: a line paid twice was accepted"
    );
    let admin = admin_51(store);
    let month = Month::parse("month", "2026-12").unwrap();
    let area = asxh_core::AreaCode::parse("51.22903").unwrap();
    let m = store
        .read(|c| {
            reconcile::month_payments(c, &authorize::<act::ReadPayments>(&admin)?, &area, month)
        })
        .unwrap();
    assert_eq!(m.flagged.len(), 1, "v{version}");
    assert_eq!(m.flagged[0].paid_first.len(), 1, "v{version}");
    let points: Vec<&str> = m.by_point.iter().map(|p| p.point.as_str()).collect();
    assert_eq!(points, ["NGHIAHANH-1", "THON3"], "v{version}");
    // Version 12's fixture approved the raise waiting in version 11's: Bảo's line paid at the
    // old amount is another item since.
    let paid = if version >= 12 { 2 } else { 3 };
    assert_eq!(m.by_area["51.22903"].paid_lines, paid, "v{version}");
}

/// Payment into an account on an upgraded database: a version-12 database's accounts (one
/// replaced, one ended and set again) and the bank's result of its transfer list read back; on
/// every database with a register, the history takes a change of method (the check schema 12
/// widened) and the line is paid into the account in the next draft, the household's decision
/// still at the counter.
fn accounts_still_hold(store: &Store, version: usize) {
    use asxh_core::lists::roll::LineStatus;
    use asxh_core::lists::Month;
    use asxh_server::payments::transfers;
    use asxh_server::register::{self, PaymentAccount};

    let admin = admin_51(store);
    let month = Month::parse("month", "2026-12").unwrap();
    let area = asxh_core::AreaCode::parse("51.22903").unwrap();
    if version >= 12 {
        let (current, replaced): (i64, i64) = store
            .read(|c| {
                Ok(c.query_row(
                    "SELECT SUM(replaced_at IS NULL), SUM(replaced_at IS NOT NULL) FROM entitlement_accounts",
                    [],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )?)
            })
            .unwrap();
        assert_eq!((current, replaced), (2, 2), "v{version}");
        let list = store
            .read(|c| {
                transfers::transfer_list(c, &authorize::<act::ReadPayments>(&admin)?, &area, month)
            })
            .unwrap();
        let results: Vec<(&str, Option<bool>)> = list
            .lines
            .iter()
            .map(|l| (l.provider.as_str(), l.result.as_ref().map(|r| r.ok)))
            .collect();
        assert_eq!(
            results,
            [("VNPT Money", Some(false)), ("Agribank", Some(true))],
            "v{version}"
        );
    }
    let grant = authorize::<act::RecordEntitlements>(&admin).unwrap();
    let wallet =
        PaymentAccount::new("ewallet", "MoMo", "0987654321", "Đặng Gia Bảo", "holder").unwrap();
    register::change_account(store, &grant, 3, Some(wallet))
        .unwrap_or_else(|e| panic!("v{version}: {e}"));
    let due = store.read(|c| register::due(c, &area, month)).unwrap();
    let bao = due
        .iter()
        .find(|e| e.ssn.to_string() == "051210000007")
        .expect("on the roll");
    let statuses: Vec<(&str, LineStatus)> = bao
        .lines
        .iter()
        .map(|l| (l.item.program.as_str(), l.status))
        .collect();
    assert!(
        statuses.iter().all(|(program, status)| match *program {
            "TGXH" => *status == LineStatus::PaidByAccount,
            _ => *status == LineStatus::Due,
        }),
        "v{version}: their own decision into the account, the household's at the counter: {statuses:?}"
    );
}
