//! The figures of the console's dashboard, within one area: cards by sub-area and status, by
//! program (from `program_counts`, which triggers keep from `card_programs`, written from the
//! signed credential in the transaction that issues the card, and each card's status), and
//! revocations per week. Each query is a range of an area's codes (the revocations start from
//! `cards_by_area`; `CROSS JOIN` keeps SQLite from starting anywhere else), so the dashboard of a
//! province costs what its cards cost, whatever the size of the country.

use std::collections::BTreeMap;

use asxh_api::CardStatus;
use rusqlite::Connection;
use serde::Serialize;
use time::{Duration, OffsetDateTime};

use crate::error::Result;
use crate::policy::{act, Authorized};
use crate::registry::events::status_column;
use crate::scope::Scope;

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

    fn add(&mut self, status: CardStatus, n: u64) {
        match status {
            CardStatus::Pending => self.pending += n,
            CardStatus::Active => self.active += n,
            CardStatus::Revoked => self.revoked += n,
            CardStatus::Void => self.void += n,
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
    /// By the area one level below the grant's (or the area itself for cards registered at it;
    /// by province when the grant reaches everywhere).
    pub by_area: Vec<(String, Counts)>,
    /// By program code; a card with two programs counts in both.
    pub by_program: Vec<(String, Counts)>,
    /// The last `weeks` weeks, oldest first, the current week last.
    pub weekly_revocations: Vec<Week>,
}

/// The area directly below `reach` that `card_area` lies in (or `card_area` itself at that
/// level).
fn child_of(reach: &Scope, card_area: &str) -> String {
    let depth = reach.depth() + 1;
    card_area
        .split('.')
        .take(depth)
        .collect::<Vec<_>>()
        .join(".")
}

/// The rows `(key, status, count)` of a `GROUP BY key, status` query within `reach`
/// (parameters ?1 and ?2, see [`Scope::within`]).
fn grouped(conn: &Connection, sql: &str, reach: &Scope) -> Result<Vec<(String, CardStatus, u64)>> {
    let mut stmt = conn.prepare(sql)?;
    let rows = stmt
        .query_map(
            rusqlite::params_from_iter(<[String; 2]>::from(reach.params())),
            |r| Ok((r.get(0)?, status_column(r, 1)?, r.get::<_, i64>(2)? as u64)),
        )?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The dashboard of the grant's reach at `now`, with `weeks` weeks of revocations.
pub fn dashboard(
    conn: &Connection,
    grant: &Authorized<act::UseConsole>,
    now: OffsetDateTime,
    weeks: u32,
) -> Result<Dashboard> {
    let reach = grant.scope();
    let area = &reach;
    let mut total = Counts::default();
    let mut by_area: BTreeMap<String, Counts> = BTreeMap::new();
    let sql = format!(
        "SELECT area, status, COUNT(*) FROM cards WHERE {} GROUP BY area, status",
        reach.within("area", 1)
    );
    for (card_area, status, n) in grouped(conn, &sql, area)? {
        total.add(status, n);
        by_area
            .entry(child_of(area, &card_area))
            .or_default()
            .add(status, n);
    }

    let mut by_program: BTreeMap<String, Counts> = BTreeMap::new();
    let sql = format!(
        "SELECT program, status, SUM(cards) FROM program_counts
         WHERE status != 'void' AND {} GROUP BY program, status",
        reach.within("area", 1)
    );
    for (program, status, n) in grouped(conn, &sql, area)? {
        by_program.entry(program).or_default().add(status, n);
    }

    let vietnam = asxh_core::date::VIETNAM;
    let today = now.to_offset(vietnam).date();
    let this_monday = today - Duration::days(i64::from(today.weekday().number_days_from_monday()));
    let first_monday = this_monday - Duration::weeks(i64::from(weeks.saturating_sub(1)));
    let since = first_monday
        .midnight()
        .assume_offset(vietnam)
        .unix_timestamp();
    let mut counts = vec![0u64; weeks as usize];
    let mut stmt = conn.prepare(&format!(
        "SELECT r.at FROM cards c CROSS JOIN revocations r ON r.serial = c.serial
         WHERE c.status = 'revoked' AND r.at >= ?3 AND {}",
        reach.within("c.area", 1)
    ))?;
    let (within, below) = reach.params();
    let rows = stmt.query_map(rusqlite::params![within, below, since], |r| {
        r.get::<_, i64>(0)
    })?;
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
    use asxh_core::AreaCode;

    #[test]
    fn cards_group_under_the_area_one_level_below_the_accounts() {
        let province = Scope::Within(AreaCode::parse("51").unwrap());
        assert_eq!(child_of(&province, "51.429.22903"), "51.429");
        assert_eq!(child_of(&province, "51"), "51");
        let district = Scope::Within(AreaCode::parse("51.429").unwrap());
        assert_eq!(child_of(&district, "51.429.22903"), "51.429.22903");
        assert_eq!(child_of(&Scope::Everywhere, "51.429.22903"), "51");
    }

    #[test]
    fn issued_counts_every_card_but_the_voided_ones() {
        let mut c = Counts::default();
        for (s, n) in [
            (CardStatus::Pending, 1),
            (CardStatus::Active, 5),
            (CardStatus::Revoked, 2),
            (CardStatus::Void, 3),
        ] {
            c.add(s, n);
        }
        assert_eq!(c.issued(), 8);
        assert_eq!(c.void, 3);
    }
}
