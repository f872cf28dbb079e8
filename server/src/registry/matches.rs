//! Who of a list the register already knows, before any card is made for them: for each person
//! (SSN, name, birth year) the cards within the grant's reach with the same SSN, or with the
//! same folded name ([`asxh_core::holder::fold_name`]) and birth year under another SSN — the
//! same person entered twice, the duplicated records the provinces complain of. Void cards
//! (never used) are left out.

use std::collections::HashMap;

use asxh_api::{CardMatch, MatchPerson, MATCH_LIMIT};
use asxh_core::holder::fold_name;
use asxh_core::{CardSerial, Ssn};
use rusqlite::params;

use super::events::status_column;
use crate::error::{Result, ServerError};
use crate::policy::{act, Authorized};
use crate::store::Store;

/// The cards matching each of `people`, by person then serial. One pass over the cards within
/// reach: names are folded here, not in SQL.
pub fn matches(
    store: &Store,
    grant: &Authorized<act::LookUpCards>,
    people: &[MatchPerson],
) -> Result<Vec<CardMatch>> {
    if people.len() > MATCH_LIMIT {
        return Err(ServerError::invalid(
            "people",
            format!("{} people, at most {MATCH_LIMIT} a request", people.len()),
        ));
    }
    let mut by_ssn: HashMap<String, Vec<usize>> = HashMap::new();
    let mut by_name: HashMap<(String, u16), Vec<usize>> = HashMap::new();
    for (i, p) in people.iter().enumerate() {
        let ssn = Ssn::parse(&p.ssn)
            .map_err(|e| ServerError::invalid(format!("people[{i}].ssn"), e.to_string()))?;
        by_ssn.entry(ssn.to_string()).or_default().push(i);
        by_name
            .entry((fold_name(&p.full_name), p.birth_year))
            .or_default()
            .push(i);
    }
    let (area, below) = grant.scope().params();
    let mut out = Vec::new();
    store.read(|c| {
        let mut stmt = c.prepare(&format!(
            "SELECT serial, status, ssn, full_name, date_of_birth, area FROM cards
             WHERE status != 'void' AND {} ORDER BY serial",
            grant.scope().within("area", 1)
        ))?;
        let mut rows = stmt.query(params![area, below])?;
        while let Some(r) = rows.next()? {
            let ssn: String = r.get(2)?;
            let full_name: String = r.get(3)?;
            let date_of_birth: String = r.get(4)?;
            let year = date_of_birth
                .get(..4)
                .and_then(|y| y.parse().ok())
                .unwrap_or(0);
            let same_ssn = by_ssn.get(&ssn).cloned().unwrap_or_default();
            let same_name = by_name
                .get(&(fold_name(&full_name), year))
                .map(|ps| {
                    ps.iter()
                        .copied()
                        .filter(|p| !same_ssn.contains(p))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default();
            if same_ssn.is_empty() && same_name.is_empty() {
                continue;
            }
            let serial = CardSerial::new(r.get::<_, i64>(0)? as u64)?.to_string();
            let status = status_column(r, 1)?;
            let area_code: String = r.get(5)?;
            for (person, same) in same_ssn
                .into_iter()
                .map(|p| (p, true))
                .chain(same_name.into_iter().map(|p| (p, false)))
            {
                out.push(CardMatch {
                    person,
                    same_ssn: same,
                    serial: serial.clone(),
                    status,
                    ssn: ssn.clone(),
                    full_name: full_name.clone(),
                    date_of_birth: date_of_birth.clone(),
                    area_code: area_code.clone(),
                });
            }
        }
        Ok(())
    })?;
    out.sort_by(|a, b| (a.person, &a.serial).cmp(&(b.person, &b.serial)));
    Ok(out)
}
