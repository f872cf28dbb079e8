//! Looking cards up: by serial (with history and revocation), the cards of an SSN, and the
//! console's search by serial, SSN or accent-free name; always within the grant's reach.

use asxh_api::{CardRecord, CardStatus, HistoryEntry, RevocationInfo};
use asxh_core::{AreaCode, CardSerial, Ssn};
use rusqlite::params;
use serde::Serialize;

use super::events::status_column;
use crate::error::{Result, ServerError};
use crate::name_index;
use crate::policy::{act, Authorized};
use crate::store::Store;

fn load_cards(
    conn: &rusqlite::Connection,
    where_sql: &str,
    arg: &dyn rusqlite::ToSql,
) -> Result<Vec<CardRecord>> {
    let sql = format!(
        "SELECT c.serial, c.status, c.ssn, c.full_name, c.date_of_birth, c.sex, c.area, c.office, c.issued, c.expires, c.replaces,
                r.reason, r.revoked_on, r.version, c.credential, c.qr_text
         FROM cards c LEFT JOIN revocations r ON r.serial = c.serial WHERE {where_sql} ORDER BY c.serial"
    );
    let mut stmt = conn.prepare(&sql)?;
    let mut cards = stmt
        .query_map([arg], |r| {
            let serial: i64 = r.get(0)?;
            let replaces: Option<i64> = r.get(10)?;
            let reason: Option<String> = r.get(11)?;
            Ok((
                serial,
                replaces,
                CardRecord {
                    serial: String::new(),
                    status: status_column(r, 1)?,
                    ssn: r.get(2)?,
                    full_name: r.get(3)?,
                    date_of_birth: r.get(4)?,
                    sex: r.get(5)?,
                    area_code: r.get(6)?,
                    office: r.get(7)?,
                    issued: r.get(8)?,
                    expires: r.get(9)?,
                    replaces: None,
                    credential_hex: hex::encode(r.get::<_, Vec<u8>>(14)?),
                    qr_text: r.get(15)?,
                    revocation: match reason {
                        Some(reason) => Some(RevocationInfo {
                            reason,
                            revoked_on: r.get(12)?,
                            list_version: r.get(13)?,
                        }),
                        None => None,
                    },
                    history: Vec::new(),
                },
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut out = Vec::with_capacity(cards.len());
    for (serial, replaces, mut card) in cards.drain(..) {
        card.serial = CardSerial::new(serial as u64)?.to_string();
        card.replaces = replaces
            .map(|s| CardSerial::new(s as u64).map(|s| s.to_string()))
            .transpose()?;
        let mut stmt = conn.prepare(
            "SELECT at, event, actor, detail FROM card_events WHERE serial = ?1 ORDER BY id",
        )?;
        card.history = stmt
            .query_map([serial], |r| {
                Ok(HistoryEntry {
                    at: r.get(0)?,
                    event: r.get(1)?,
                    actor: r.get(2)?,
                    detail: r.get(3)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        out.push(card);
    }
    Ok(out)
}

/// A card by serial, if within the grant's reach (else 404, as for an unknown serial).
pub fn card(
    store: &Store,
    grant: &Authorized<act::LookUpCards>,
    serial: CardSerial,
) -> Result<CardRecord> {
    let cards = store.read(|c| load_cards(c, "c.serial = ?1", &(serial.number() as i64)))?;
    cards
        .into_iter()
        .find(|c| AreaCode::parse(&c.area_code).is_ok_and(|a| grant.covers(&a)))
        .ok_or_else(|| ServerError::NotFound(format!("no card {serial}")))
}

/// All cards of an SSN within the grant's reach.
pub fn cards_of(
    store: &Store,
    grant: &Authorized<act::LookUpCards>,
    ssn: Ssn,
) -> Result<Vec<CardRecord>> {
    let cards = store.read(|c| load_cards(c, "c.ssn = ?1", &ssn.to_string()))?;
    let mut out = Vec::new();
    for c in cards {
        if grant.covers(&AreaCode::parse(&c.area_code)?) {
            out.push(c);
        }
    }
    Ok(out)
}

/// A line of a card search.
#[derive(Debug, Clone, Serialize)]
pub struct CardSummary {
    pub serial: String,
    pub full_name: String,
    pub ssn: String,
    pub area_code: String,
    pub status: CardStatus,
    pub issued: String,
}

/// Most lines a card search returns.
pub const SEARCH_LIMIT: usize = 100;

pub use asxh_core::holder::fold_name;

/// Cards within the grant's reach whose serial or SSN is `query`, or whose name has a word
/// starting with the query's first word and contains the whole query (accents and case ignored);
/// at most [`SEARCH_LIMIT`], by serial. A name is found through [`name_index`] in the province
/// of the grant, so the search costs the same in a province of a large country as of a small one.
pub fn search(
    store: &Store,
    grant: &Authorized<act::LookUpCards>,
    query: &str,
) -> Result<Vec<CardSummary>> {
    let query = query.trim();
    let reach = grant.scope();
    let (area, above) = reach.params();
    let summary = |r: &rusqlite::Row<'_>| -> Result<CardSummary> {
        Ok(CardSummary {
            serial: CardSerial::new(r.get::<_, i64>(0)? as u64)?.to_string(),
            full_name: r.get(1)?,
            ssn: r.get(2)?,
            area_code: r.get(3)?,
            status: status_column(r, 4)?,
            issued: r.get(5)?,
        })
    };
    const COLUMNS: &str = "serial, full_name, ssn, area, status, issued";
    // Serial and SSN are exact matches in SQL.
    let exact = if let Ok(serial) = CardSerial::parse(query) {
        Some(("serial = ?3", serial.number().to_string()))
    } else {
        Ssn::parse(query)
            .ok()
            .map(|ssn| ("ssn = ?3", ssn.to_string()))
    };
    if let Some((filter, value)) = exact {
        return store.read(|c| {
            let mut stmt = c.prepare(&format!(
                "SELECT {COLUMNS} FROM cards WHERE {} AND {filter} ORDER BY serial LIMIT {SEARCH_LIMIT}",
                reach.within("area", 1)
            ))?;
            let mut rows = stmt.query(params![area, above, value])?;
            let mut out = Vec::new();
            while let Some(r) = rows.next()? {
                out.push(summary(r)?);
            }
            Ok(out)
        });
    }
    let needle = fold_name(query);
    if needle.chars().count() < 2 {
        return Err(ServerError::invalid(
            "q",
            "give a card serial, a 10-digit SSN, or at least 2 letters of a name",
        ));
    }
    store.read(|c| {
        let mut card = c.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM cards WHERE serial = ?3 AND {}",
            reach.within("area", 1)
        ))?;
        let mut out = Vec::new();
        for serial in name_index::candidates(c, &reach, &needle)? {
            let mut rows = card.query(params![area, above, serial])?;
            let Some(r) = rows.next()? else {
                continue;
            };
            let found = summary(r)?;
            if !fold_name(&found.full_name).contains(needle.as_str()) {
                continue;
            }
            out.push(found);
            if out.len() == SEARCH_LIMIT {
                break;
            }
        }
        Ok(out)
    })
}

/// The cards issued to replace `serial` (with `replaces`), by serial.
pub fn replaced_by(
    store: &Store,
    _: &Authorized<act::LookUpCards>,
    serial: CardSerial,
) -> Result<Vec<String>> {
    store.read(|c| {
        let mut stmt =
            c.prepare_cached("SELECT serial FROM cards WHERE replaces = ?1 ORDER BY serial")?;
        let rows = stmt
            .query_map([serial.number() as i64], |r| r.get::<_, i64>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter()
            .map(|n| Ok(CardSerial::new(n as u64)?.to_string()))
            .collect()
    })
}
