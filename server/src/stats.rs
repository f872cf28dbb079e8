//! The figures of the console's dashboard, within one area: cards by sub-area and status, by
//! program, and revocations per week. Programs live only inside the signed credentials, so they
//! are counted by decoding them (a few microseconds each; a province's cards in well under a
//! second), not from a second copy that could disagree with what was signed.

use std::collections::BTreeMap;

use asxh_core::AreaCode;
use rusqlite::Connection;
use serde::Serialize;
use time::{Duration, OffsetDateTime, UtcOffset};

use crate::error::Result;
use crate::registry::stored_entitlements;
use crate::scope;

/// Cards of one area (or program) by status.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Counts {
    pub pending: u64,
    pub active: u64,
    pub revoked: u64,
    pub void: u64,
}

impl Counts {
    /// Cards issued: every card that was written, i.e. all but the voided ones.
    pub fn issued(&self) -> u64 {
        self.pending + self.active + self.revoked
    }

    fn add(&mut self, status: &str, n: u64) {
        match status {
            "pending" => self.pending += n,
            "active" => self.active += n,
            "revoked" => self.revoked += n,
            _ => self.void += n,
        }
    }
}

/// Revocations in the week starting on `monday` (Vietnam time).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Week {
    pub monday: String,
    pub revocations: u64,
}

/// Everything the dashboard shows.
#[derive(Debug, Clone, Serialize)]
pub struct Dashboard {
    pub total: Counts,
    /// By the area one level below the account's (or the area itself for cards registered at it).
    pub by_area: Vec<(String, Counts)>,
    /// By program code; a card with two programs counts in both.
    pub by_program: Vec<(String, Counts)>,
    /// The last `weeks` weeks, oldest first, the current week last.
    pub weekly_revocations: Vec<Week>,
}

/// The area directly below `area` that `card_area` lies in (or `card_area` itself at that level).
fn child_of(area: &AreaCode, card_area: &str) -> String {
    let depth = area.components().count() + 1;
    card_area
        .split('.')
        .take(depth)
        .collect::<Vec<_>>()
        .join(".")
}

/// The dashboard of `area` at `now`, with `weeks` weeks of revocations.
pub fn dashboard(
    conn: &Connection,
    area: &AreaCode,
    now: OffsetDateTime,
    weeks: u32,
) -> Result<Dashboard> {
    let args = rusqlite::params![area.as_str(), scope::below(area)];
    let mut total = Counts::default();
    let mut by_area: BTreeMap<String, Counts> = BTreeMap::new();
    let mut stmt = conn.prepare(&format!(
        "SELECT area, status, COUNT(*) FROM cards WHERE {} GROUP BY area, status",
        scope::within("area", 1)
    ))?;
    let rows = stmt.query_map(args, |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, i64>(2)?,
        ))
    })?;
    for row in rows {
        let (card_area, status, n) = row?;
        let n = n as u64;
        total.add(&status, n);
        by_area
            .entry(child_of(area, &card_area))
            .or_default()
            .add(&status, n);
    }

    let mut by_program: BTreeMap<String, Counts> = BTreeMap::new();
    let mut stmt = conn.prepare(&format!(
        "SELECT status, credential FROM cards WHERE status != 'void' AND {}",
        scope::within("area", 1)
    ))?;
    let mut rows = stmt.query(args)?;
    while let Some(row) = rows.next()? {
        let status: String = row.get(0)?;
        let bytes: Vec<u8> = row.get(1)?;
        // The server signed these bytes itself; one that no longer decodes is counted nowhere
        // rather than failing the whole page (`audit verify` and backups are where that shows).
        let Some(entitlements) = stored_entitlements(&bytes) else {
            continue;
        };
        let mut programs: Vec<&str> = entitlements.iter().map(|e| e.program().as_str()).collect();
        programs.sort_unstable();
        programs.dedup();
        for p in programs {
            by_program.entry(p.to_owned()).or_default().add(&status, 1);
        }
    }

    let vietnam = UtcOffset::from_hms(7, 0, 0).unwrap_or(UtcOffset::UTC);
    let today = now.to_offset(vietnam).date();
    let this_monday = today - Duration::days(i64::from(today.weekday().number_days_from_monday()));
    let first_monday = this_monday - Duration::weeks(i64::from(weeks.saturating_sub(1)));
    let since = first_monday
        .midnight()
        .assume_offset(vietnam)
        .unix_timestamp();
    let mut counts = vec![0u64; weeks as usize];
    let mut stmt = conn.prepare(&format!(
        "SELECT r.at FROM revocations r JOIN cards c ON c.serial = r.serial WHERE r.at >= ?3 AND {}",
        scope::within("c.area", 1)
    ))?;
    let rows = stmt.query_map(
        rusqlite::params![area.as_str(), scope::below(area), since],
        |r| r.get::<_, i64>(0),
    )?;
    for at in rows {
        let Ok(when) = OffsetDateTime::from_unix_timestamp(at?) else {
            continue;
        };
        let day = when.to_offset(vietnam).date();
        let week = ((day - first_monday).whole_days() / 7) as usize;
        if let Some(c) = counts.get_mut(week) {
            *c += 1;
        }
    }
    let weekly_revocations = counts
        .into_iter()
        .enumerate()
        .map(|(i, revocations)| Week {
            monday: (first_monday + Duration::weeks(i as i64)).to_string(),
            revocations,
        })
        .collect();

    Ok(Dashboard {
        total,
        by_area: by_area.into_iter().collect(),
        by_program: by_program.into_iter().collect(),
        weekly_revocations,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cards_group_under_the_area_one_level_below_the_accounts() {
        let province = AreaCode::parse("51").unwrap();
        assert_eq!(child_of(&province, "51.429.22903"), "51.429");
        assert_eq!(child_of(&province, "51"), "51");
        let district = AreaCode::parse("51.429").unwrap();
        assert_eq!(child_of(&district, "51.429.22903"), "51.429.22903");
    }

    #[test]
    fn issued_counts_every_card_but_the_voided_ones() {
        let mut c = Counts::default();
        for (s, n) in [("pending", 1), ("active", 5), ("revoked", 2), ("void", 3)] {
            c.add(s, n);
        }
        assert_eq!(c.issued(), 8);
        assert_eq!(c.void, 3);
    }
}
