//! `card_words`, the index of name search: the words of each card's folded name
//! ([`asxh_core::holder::fold_name`]) under the card's province, written with the card and filled
//! for the cards already there by the migration that created the table. A search takes the cards
//! of one province with a word starting with the query's first word (an index range, whatever
//! the size of the country), then keeps those whose folded name contains the whole query.

use std::collections::{BTreeSet, HashMap};

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

/// Fills the index from every card (once, when the table is created): each distinct word and
/// province is kept once, and the rows are written in the index's order, so that the B-tree is
/// written front to back (national size: millions of cards, a few thousand distinct words).
pub(crate) fn index_all(tx: &Transaction<'_>) -> Result<()> {
    let mut ids: HashMap<String, u32> = HashMap::new();
    let mut folded: Vec<String> = Vec::new();
    let mut folded_ids: HashMap<String, u32> = HashMap::new();
    let mut provinces: Vec<String> = Vec::new();
    let mut province_ids: HashMap<String, u32> = HashMap::new();
    let mut rows: Vec<(u32, u32, i64)> = Vec::new();
    {
        let mut read = tx.prepare("SELECT serial, area, full_name FROM cards")?;
        let mut cards = read.query([])?;
        while let Some(r) = cards.next()? {
            let serial: i64 = r.get(0)?;
            let area: String = r.get(1)?;
            let province = area.split('.').next().unwrap_or_default();
            let province = match province_ids.get(province) {
                Some(id) => *id,
                None => {
                    provinces.push(province.to_owned());
                    let id = provinces.len() as u32 - 1;
                    province_ids.insert(province.to_owned(), id);
                    id
                }
            };
            let name: String = r.get(2)?;
            for raw in name.split_whitespace() {
                let id = match ids.get(raw) {
                    Some(id) => *id,
                    None => {
                        let word = fold_name(raw);
                        let id = *folded_ids.entry(word.clone()).or_insert_with(|| {
                            folded.push(word);
                            folded.len() as u32 - 1
                        });
                        ids.insert(raw.to_owned(), id);
                        id
                    }
                };
                if !folded[id as usize].is_empty() {
                    rows.push((province, id, serial));
                }
            }
        }
    }
    let word_rank = ranks(&folded);
    let province_rank = ranks(&provinces);
    for row in &mut rows {
        row.0 = province_rank[row.0 as usize];
        row.1 = word_rank[row.1 as usize];
    }
    rows.sort_unstable();
    rows.dedup();
    let (provinces, folded) = (
        in_order(&provinces, &province_rank),
        in_order(&folded, &word_rank),
    );
    let mut write =
        tx.prepare("INSERT INTO card_words (province, word, serial) VALUES (?1, ?2, ?3)")?;
    for (province, word, serial) in rows {
        write.execute(params![
            provinces[province as usize],
            folded[word as usize],
            serial
        ])?;
    }
    Ok(())
}

/// `names` in the order of their ranks.
fn in_order<'a>(names: &'a [String], rank: &[u32]) -> Vec<&'a str> {
    let mut sorted = vec![""; names.len()];
    for (name, r) in names.iter().zip(rank) {
        sorted[*r as usize] = name.as_str();
    }
    sorted
}

/// The rank of each of `names` (distinct) in their sorted order.
fn ranks(names: &[String]) -> Vec<u32> {
    let mut order: Vec<u32> = (0..names.len() as u32).collect();
    order.sort_by(|a, b| names[*a as usize].cmp(&names[*b as usize]));
    let mut rank = vec![0u32; names.len()];
    for (i, id) in order.iter().enumerate() {
        rank[*id as usize] = i as u32;
    }
    rank
}

/// The serials, ascending, of the cards within `reach` a name search for `needle` (folded, at
/// least one letter) may return: those with a word starting with `needle`'s first word. The
/// caller checks the rest of the query and the exact area.
pub(crate) fn candidates(conn: &Connection, reach: &Scope, needle: &str) -> Result<Vec<i64>> {
    let first = needle.split(' ').next().unwrap_or(needle);
    let provinces: Vec<String> = match reach {
        // The province, and those it absorbed in 2025 (their cards keep their codes).
        Scope::Within(area) => std::iter::once(area.province())
            .chain(asxh_core::provinces::merged_into(area.province()))
            .map(str::to_owned)
            .collect(),
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

    #[test]
    fn a_name_folded_word_by_word_is_the_name_folded_whole() {
        let name = "Nguyễn  Thị Đào Lê VĂN";
        let by_word: Vec<String> = name.split_whitespace().map(fold_name).collect();
        assert_eq!(by_word.join(" "), fold_name(name));
    }
}
