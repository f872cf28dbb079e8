//! `card_words`, the index of name search: the words of each card's folded name
//! ([`asxh_core::holder::fold_name`]) under the card's province, written with the card and filled
//! for the cards already there by the migration that created the table. A search takes the cards
//! of one province with a word starting with the query's first word (an index range, whatever
//! the size of the country), then keeps those whose folded name contains the whole query.

use std::collections::BTreeSet;

use asxh_core::holder::fold_name;
use asxh_core::{AreaCode, CardSerial};
use rusqlite::{params, Connection, Transaction};

use crate::error::Result;
use crate::scope::Scope;

/// The distinct words of a folded name.
fn words(full_name: &str) -> BTreeSet<String> {
    fold_name(full_name)
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Records the words of a new card's name.
pub(crate) fn index(
    tx: &Transaction<'_>,
    serial: CardSerial,
    area: &AreaCode,
    full_name: &str,
) -> Result<()> {
    let mut stmt = tx.prepare_cached(
        "INSERT OR IGNORE INTO card_words (province, word, serial) VALUES (?1, ?2, ?3)",
    )?;
    for word in words(full_name) {
        stmt.execute(params![area.province(), word, serial.number() as i64])?;
    }
    Ok(())
}

/// Fills the index from every card (once, when the table is created), in the index's order so
/// that the B-tree is written front to back.
pub(crate) fn index_all(tx: &Transaction<'_>) -> Result<()> {
    tx.execute_batch(
        "CREATE TEMP TABLE words_to_index (province TEXT NOT NULL, word TEXT NOT NULL, serial INTEGER NOT NULL)",
    )?;
    {
        let mut read = tx.prepare("SELECT serial, area, full_name FROM cards")?;
        let mut rows = read.query([])?;
        let mut write = tx.prepare(
            "INSERT INTO temp.words_to_index (province, word, serial) VALUES (?1, ?2, ?3)",
        )?;
        while let Some(r) = rows.next()? {
            let serial: i64 = r.get(0)?;
            let area: String = r.get(1)?;
            let province = area.split('.').next().unwrap_or_default().to_owned();
            for word in words(&r.get::<_, String>(2)?) {
                write.execute(params![province, word, serial])?;
            }
        }
    }
    tx.execute_batch(
        "INSERT OR IGNORE INTO card_words (province, word, serial)
             SELECT province, word, serial FROM temp.words_to_index ORDER BY province, word, serial;
         DROP TABLE temp.words_to_index;",
    )?;
    Ok(())
}

/// The serials, ascending, of the cards within `reach` a name search for `needle` (folded, at
/// least one letter) may return: those with a word starting with `needle`'s first word. The
/// caller checks the rest of the query and the exact area.
pub(crate) fn candidates(conn: &Connection, reach: &Scope, needle: &str) -> Result<Vec<i64>> {
    let first = needle.split(' ').next().unwrap_or(needle);
    let provinces: Vec<String> = match reach {
        Scope::Within(area) => vec![area.province().to_owned()],
        // Every province code is two digits: one index range per code.
        Scope::Everywhere => (0..100).map(|p| format!("{p:02}")).collect(),
    };
    let mut stmt = conn.prepare_cached(
        "SELECT serial FROM card_words WHERE province = ?1 AND word >= ?2 AND word < ?3",
    )?;
    let mut serials = Vec::new();
    for province in &provinces {
        let rows = stmt.query_map(
            params![province, first, format!("{first}\u{10FFFF}")],
            |r| r.get::<_, i64>(0),
        )?;
        for serial in rows {
            serials.push(serial?);
        }
    }
    serials.sort_unstable();
    serials.dedup();
    Ok(serials)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_is_indexed_by_its_distinct_folded_words() {
        let w: Vec<String> = words("Nguyễn  Thị Đào Nguyễn").into_iter().collect();
        assert_eq!(w, ["dao", "nguyen", "thi"]);
    }
}
