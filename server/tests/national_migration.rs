//! The migrations from schema 6 on a large database written at version 6 (the national bench's
//! builder at 30,000 cards, 10,000 of them in the province): they index every card's name and
//! fill every card program's category exactly as writing each card does, and the province's
//! pages answer from the new indexes with the same figures as the rows say. Their time at
//! national size is measured by the `national` bench, not asserted here.

use std::collections::{BTreeMap, BTreeSet};

#[path = "../benches/support/national.rs"]
mod national;

use asxh_server::auth;
use asxh_server::policy::{act, authorize, Principal};
use asxh_server::{program_index, registry, stats, Store};

#[test]
fn the_version_7_migration_indexes_every_name_of_a_large_database_and_the_pages_use_it() {
    let dir = tempfile::tempdir().unwrap();
    let cards = 30_000;
    national::build(dir.path(), cards, 10_000);
    let store = Store::open(dir.path()).unwrap();
    let (in_51, words, named) = store
        .read(|c| {
            Ok((
                c.query_row(
                    "SELECT COUNT(*) FROM cards WHERE area = '51' OR area LIKE '51.%'",
                    [],
                    |r| r.get::<_, i64>(0),
                )?,
                c.query_row("SELECT COUNT(*) FROM card_words", [], |r| {
                    r.get::<_, i64>(0)
                })?,
                c.query_row("SELECT COUNT(DISTINCT serial) FROM card_words", [], |r| {
                    r.get::<_, i64>(0)
                })?,
            ))
        })
        .unwrap();
    assert_eq!(named, cards, "every card's name is indexed");
    assert_eq!(in_51, 10_000);
    assert!(words >= 3 * cards, "{words} words");
    let admin = Principal::Account(
        store
            .read(|c| auth::active_account(c, national::ADMIN_ID))
            .unwrap()
            .unwrap(),
    );
    let dashboard = store
        .read(|c| {
            stats::dashboard(
                c,
                &authorize::<act::UseConsole>(&admin)?,
                time::OffsetDateTime::now_utc(),
                12,
            )
        })
        .unwrap();
    let t = &dashboard.total;
    assert_eq!((t.pending + t.active + t.revoked + t.void) as i64, in_51);
    assert!(t.revoked > 0 && t.void > 0);
    let look_up = authorize::<act::LookUpCards>(&admin).unwrap();
    // 89 cards of the province are "Nguyễn Văn …", 625 "Nguyễn …": all of the first, the
    // first hundred of the second.
    let found = registry::search(&store, &look_up, "Nguyễn Văn").unwrap();
    assert_eq!(found.len(), 89);
    assert!(found.iter().all(|c| c.area_code.starts_with("51.")
        && registry::fold_name(&c.full_name).starts_with("nguyen van")));
    let found = registry::search(&store, &look_up, "nguyen").unwrap();
    assert_eq!(found.len(), registry::SEARCH_LIMIT);
    assert!(found.iter().all(|c| c.area_code.starts_with("51")
        && registry::fold_name(&c.full_name).starts_with("nguyen")));
    let offices =
        registry::offices_in(&store, &authorize::<act::ManageOffices>(&admin).unwrap()).unwrap();
    assert_eq!(offices.len(), national::PROVINCE_OFFICES.len());
    let issued: u64 = offices.iter().map(|o| o.cards).sum();
    assert_eq!(
        issued as i64,
        in_51 - t.void as i64,
        "the offices' cards are the province's"
    );
}

#[test]
fn the_migrations_fill_the_name_words_and_categories_of_every_card_as_writing_it_does() {
    let dir = tempfile::tempdir().unwrap();
    national::build(dir.path(), 30_000, 10_000);
    let store = Store::open(dir.path()).unwrap();
    type Words = BTreeSet<(String, String, i64)>;
    type Categories = BTreeMap<(i64, String), String>;
    let (words, expected_words, categories, expected_categories) = store
        .read(|c| {
            let mut words = Words::new();
            let mut stmt = c.prepare("SELECT province, word, serial FROM card_words")?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                words.insert((r.get(0)?, r.get(1)?, r.get(2)?));
            }
            let mut categories = Categories::new();
            let mut stmt = c.prepare("SELECT serial, program, category FROM card_programs")?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                categories.insert((r.get(0)?, r.get(1)?), r.get(2)?);
            }
            // What writing each card records: the distinct words of its folded name under its
            // province, and each program's category from its credential (the last of a program).
            let mut expected_words = Words::new();
            let mut expected_categories = Categories::new();
            let mut stmt = c.prepare("SELECT serial, area, full_name, credential FROM cards")?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                let (serial, area, name): (i64, String, String) = (r.get(0)?, r.get(1)?, r.get(2)?);
                let province = area.split('.').next().unwrap().to_owned();
                for word in registry::fold_name(&name)
                    .split(' ')
                    .filter(|w| !w.is_empty())
                {
                    expected_words.insert((province.clone(), word.to_owned(), serial));
                }
                let credential: Vec<u8> = r.get(3)?;
                for e in program_index::stored_entitlements(&credential).unwrap() {
                    expected_categories.insert(
                        (serial, e.program().as_str().to_owned()),
                        e.category().as_str().to_owned(),
                    );
                }
            }
            Ok((words, expected_words, categories, expected_categories))
        })
        .unwrap();
    assert_eq!(words.len(), expected_words.len());
    assert!(words == expected_words, "the name words are each card's");
    assert_eq!(categories.len(), 60_000, "two programs a card");
    for (key, category) in &categories {
        assert_eq!(
            Some(category),
            expected_categories.get(key),
            "the category of card {} program {}",
            key.0,
            key.1
        );
    }
}
