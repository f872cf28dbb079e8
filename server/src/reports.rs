//! The reports: beneficiaries with a card in force on a day, by area, sex, age band, program
//! and category (diện), and the monthly increases and decreases (biến động tăng, giảm), all
//! within the reader's area; and their exports (CSV with a BOM, XLSX) through `asxh-sheet`.
//!
//! A card is in force on a day when it was handed out (active, or revoked since), was issued on
//! or before the day, expires on or after it, and was not revoked on or before it. A person
//! counts once however many cards they had: one live card per SSN is the registry's rule, and
//! the monthly changes compare people, so a card replaced within a month is no change at all.
//!
//! The queries filter by area ranges ([`Scope::within`]), which an index on the area column
//! serves, and group in SQL; what is left for Rust is a few hundred groups.

use std::collections::{BTreeMap, HashMap};

use asxh_core::{provinces, AreaCode, Date};
use asxh_sheet::OutTable;
use asxh_text::{Lang, Msg};
use rusqlite::Connection;
use serde::Serialize;

use crate::error::{Result, ServerError};
use crate::policy::{act, Authorized};
use crate::scope::Scope;

pub use asxh_api::{ReportFigures as Figures, ReportLine as Line, ReportMonth as Month};

/// Counts `n` people of `sex` into `f`.
fn add(f: &mut Figures, sex: &str, n: u64) {
    f.people += n;
    match sex {
        "M" => f.male += n,
        "F" => f.female += n,
        _ => {}
    }
}

/// Age bands, by the age reached on the report's day: children (under 6, 6–15), working age,
/// the elderly (60–79) and those of 80 and over (the age of the social pension).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum AgeBand {
    Under6,
    From6To15,
    From16To59,
    From60To79,
    From80,
}

impl AgeBand {
    pub const ALL: [AgeBand; 5] = [
        AgeBand::Under6,
        AgeBand::From6To15,
        AgeBand::From16To59,
        AgeBand::From60To79,
        AgeBand::From80,
    ];

    pub fn of_age(age: i64) -> AgeBand {
        match age {
            ..=5 => AgeBand::Under6,
            6..=15 => AgeBand::From6To15,
            16..=59 => AgeBand::From16To59,
            60..=79 => AgeBand::From60To79,
            _ => AgeBand::From80,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            AgeBand::Under6 => "0-5",
            AgeBand::From6To15 => "6-15",
            AgeBand::From16To59 => "16-59",
            AgeBand::From60To79 => "60-79",
            AgeBand::From80 => "80+",
        }
    }

    pub fn label(self) -> Msg {
        match self {
            AgeBand::Under6 => Msg::AgeUnder6,
            AgeBand::From6To15 => Msg::Age6To15,
            AgeBand::From16To59 => Msg::Age16To59,
            AgeBand::From60To79 => Msg::Age60To79,
            AgeBand::From80 => Msg::Age80Up,
        }
    }
}

/// A report's dimensions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Dimension {
    Area,
    Sex,
    AgeBand,
    Program,
    Category,
}

impl Dimension {
    pub const ALL: [Dimension; 5] = [
        Dimension::Area,
        Dimension::Sex,
        Dimension::AgeBand,
        Dimension::Program,
        Dimension::Category,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Dimension::Area => "area",
            Dimension::Sex => "sex",
            Dimension::AgeBand => "age",
            Dimension::Program => "program",
            Dimension::Category => "category",
        }
    }

    pub fn parse(text: &str) -> Result<Dimension> {
        Dimension::ALL
            .into_iter()
            .find(|d| d.code() == text)
            .ok_or_else(|| {
                ServerError::invalid(
                    "by",
                    format!("{text:?} is not area, sex, age, program or category"),
                )
            })
    }

    pub fn title(self) -> Msg {
        match self {
            Dimension::Area => Msg::ReportByArea,
            Dimension::Sex => Msg::ReportBySex,
            Dimension::AgeBand => Msg::ReportByAge,
            Dimension::Program => Msg::ReportByProgram,
            Dimension::Category => Msg::ReportByCategory,
        }
    }
}

/// The people with a card in force on `as_of`, within the reader's area, every way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub as_of: Date,
    pub total: Figures,
    /// By the area one level below the reader's (pre-merger provinces under the province they
    /// are part of today).
    pub by_area: Vec<Line>,
    pub by_sex: Vec<Line>,
    pub by_age_band: Vec<Line>,
    /// A person with two programs counts in both.
    pub by_program: Vec<Line>,
    pub by_category: Vec<Line>,
}

impl Report {
    pub fn lines(&self, by: Dimension) -> &[Line] {
        match by {
            Dimension::Area => &self.by_area,
            Dimension::Sex => &self.by_sex,
            Dimension::AgeBand => &self.by_age_band,
            Dimension::Program => &self.by_program,
            Dimension::Category => &self.by_category,
        }
    }
}

/// The cards table as a report reads it: through its area index when the reader's area holds a
/// small share of the cards (a province in the country's database), in storage order when it
/// holds most of them (a province's own database), where walking the index only adds a random
/// read of each row. The share comes from the index itself (a count over the area's ranges of
/// `cards(area, status)`) against the highest serial.
fn cards_source(conn: &Connection, scope: &Scope) -> Result<&'static str> {
    let within: i64 = conn
        .prepare_cached(&format!(
            "SELECT COUNT(*) FROM cards WHERE {}",
            scope.within("area", 1)
        ))?
        .query_row(<[String; 2]>::from(scope.params()), |r| r.get(0))?;
    let all: i64 = conn
        .prepare_cached("SELECT COALESCE(MAX(serial), 0) FROM cards")?
        .query_row([], |r| r.get(0))?;
    Ok(if within * 4 > all {
        "cards c NOT INDEXED"
    } else {
        "cards c"
    })
}

/// The condition "card `c` is in force on `?1`". Only a revoked card (2% or so) looks its
/// revocation up.
const IN_FORCE: &str = "c.issued <= ?1 AND c.expires >= ?1 AND (c.status = 'active'
     OR (c.status = 'revoked' AND (SELECT r.revoked_on FROM revocations r WHERE r.serial = c.serial) > ?1))";

/// The age on `?1` of a person born `c.date_of_birth` (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`): a
/// birth known to the year only counts from 1 January, one known to the month from its first.
const AGE: &str = "CAST(substr(?1, 1, 4) AS INTEGER) - CAST(substr(c.date_of_birth, 1, 4) AS INTEGER)
     - (substr(?1, 6, 5) < CASE length(c.date_of_birth) WHEN 4 THEN '01-01'
         WHEN 7 THEN substr(c.date_of_birth, 6, 2) || '-01' ELSE substr(c.date_of_birth, 6, 5) END)";

/// Column `i` of a row as text, without copying it (`None` for NULL).
fn text<'r>(r: &'r rusqlite::Row<'_>, i: usize) -> Result<Option<&'r str>> {
    r.get_ref(i)?.as_str_or_null().map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e))
            .into()
    })
}

/// The area one level below `scope` that `card_area` lies in, pre-merger provinces folded into
/// the province of today.
fn child_of(scope: &Scope, card_area: &str) -> String {
    let area = AreaCode::parse(card_area)
        .map(|a| provinces::in_today_province(&a).to_string())
        .unwrap_or_else(|_| card_area.to_owned());
    let depth = match scope {
        Scope::Everywhere => 1,
        Scope::Within(a) => a.components().count() + 1,
    };
    area.split('.').take(depth).collect::<Vec<_>>().join(".")
}

/// Counts `n` people of `sex` under `key` of `map`, allocating the key only when it is new.
fn add_under(map: &mut HashMap<String, Figures>, key: &str, sex: &str) {
    match map.get_mut(key) {
        Some(f) => add(f, sex, 1),
        None => add(map.entry(key.to_owned()).or_default(), sex, 1),
    }
}

fn sorted(map: HashMap<String, Figures>) -> Vec<Line> {
    let mut lines: Vec<Line> = map
        .into_iter()
        .map(|(key, figures)| Line { key, figures })
        .collect();
    lines.sort_by(|a, b| a.key.cmp(&b.key));
    lines
}

/// The report of the people with a card in force on `as_of` within the grant's reach: one pass
/// over the cards of the area (by its ranges) and their programs, counted here.
pub fn report(
    conn: &Connection,
    grant: &Authorized<act::ReadReports>,
    as_of: Date,
) -> Result<Report> {
    let scope = grant.scope();
    let day = as_of.to_string();
    let area_sql = scope.within("c.area", 2);
    let (low, high) = scope.params();
    let cards = cards_source(conn, &scope)?;
    let mut stmt = conn.prepare(&format!(
        "SELECT c.serial, c.area, c.sex, {AGE}, p.program, p.category FROM {cards}
         LEFT JOIN card_programs p ON p.serial = c.serial
         WHERE {area_sql} AND {IN_FORCE}"
    ))?;
    let mut rows = stmt.query(rusqlite::params![day, low, high])?;
    let mut total = Figures::default();
    let mut by_card_area: HashMap<String, Figures> = HashMap::new();
    let mut by_sex: HashMap<String, Figures> = HashMap::new();
    let mut by_band: BTreeMap<AgeBand, Figures> = BTreeMap::new();
    let mut by_program: HashMap<String, Figures> = HashMap::new();
    let mut by_category: HashMap<String, Figures> = HashMap::new();
    let mut last = None;
    let mut key = String::new();
    while let Some(r) = rows.next()? {
        let serial: i64 = r.get(0)?;
        let sex = text(r, 2)?.unwrap_or_default();
        // A card's programs are consecutive rows; the person counts on the first.
        if last != Some(serial) {
            last = Some(serial);
            add(&mut total, sex, 1);
            add_under(&mut by_card_area, text(r, 1)?.unwrap_or_default(), sex);
            add_under(&mut by_sex, sex, sex);
            add(
                by_band.entry(AgeBand::of_age(r.get(3)?)).or_default(),
                sex,
                1,
            );
        }
        if let (Some(program), Some(category)) = (text(r, 4)?, text(r, 5)?) {
            add_under(&mut by_program, program, sex);
            key.clear();
            key.push_str(program);
            key.push('/');
            key.push_str(category);
            add_under(&mut by_category, &key, sex);
        }
    }
    let mut by_area: HashMap<String, Figures> = HashMap::new();
    for (card_area, f) in by_card_area {
        let into = by_area.entry(child_of(&scope, &card_area)).or_default();
        into.people += f.people;
        into.male += f.male;
        into.female += f.female;
    }
    Ok(Report {
        as_of,
        total,
        by_area: sorted(by_area),
        by_sex: sorted(by_sex),
        by_age_band: AgeBand::ALL
            .into_iter()
            .map(|b| Line {
                key: b.code().to_owned(),
                figures: by_band.get(&b).copied().unwrap_or_default(),
            })
            .collect(),
        by_program: sorted(by_program),
        by_category: sorted(by_category),
    })
}

/// The last day of the month `months` months after `(year, month)`.
fn month_end(year: i32, month: u8, months: i32) -> Result<(String, String)> {
    let index = year * 12 + i32::from(month) - 1 + months;
    let (y, m) = (index.div_euclid(12), (index.rem_euclid(12) + 1) as u8);
    let month = time::Month::try_from(m).map_err(|_| ServerError::invalid("month", "no month"))?;
    let last = month.length(y);
    Ok((format!("{y:04}-{m:02}"), format!("{y:04}-{m:02}-{last:02}")))
}

/// Most months one report of changes covers.
pub const MAX_MONTHS: u32 = 36;

/// The monthly increases and decreases of the `months` months ending with the month of
/// `last`, within the grant's reach, oldest first.
pub fn monthly_changes(
    conn: &Connection,
    grant: &Authorized<act::ReadReports>,
    last: Date,
    months: u32,
) -> Result<Vec<Month>> {
    if !(1..=MAX_MONTHS).contains(&months) {
        return Err(ServerError::invalid(
            "months",
            format!("{months} months; give 1 to {MAX_MONTHS}"),
        ));
    }
    // Month ends from the one before the first month to the last month's.
    let ends = (0..=months as i32)
        .map(|k| month_end(last.year(), last.month(), k - months as i32))
        .collect::<Result<Vec<_>>>()?;
    let scope = grant.scope();
    let area_sql = scope.within("c.area", 2);
    let (low, high) = scope.params();
    let cards = cards_source(conn, &scope)?;
    let first_end = ends[0].1.clone();
    // Only cards that could be in force at one of the month ends; each person's month ends in
    // force, as bits (bit k: the k-th month end), by SSN (12 digits: a number).
    let mut stmt = conn.prepare(&format!(
        "SELECT c.ssn, c.issued, c.expires,
                CASE c.status WHEN 'revoked' THEN (SELECT r.revoked_on FROM revocations r WHERE r.serial = c.serial) END
         FROM {cards}
         WHERE {area_sql} AND c.status IN ('active', 'revoked') AND c.expires >= ?1"
    ))?;
    let mut rows = stmt.query(rusqlite::params![first_end, low, high])?;
    let mut people: HashMap<u64, u64> = HashMap::new();
    while let Some(r) = rows.next()? {
        let (issued, expires) = (
            text(r, 1)?.unwrap_or_default(),
            text(r, 2)?.unwrap_or_default(),
        );
        let revoked = text(r, 3)?;
        let mut bits = 0u64;
        for (k, (_, end)) in ends.iter().enumerate() {
            let e = end.as_str();
            if issued <= e && expires >= e && revoked.is_none_or(|r| r > e) {
                bits |= 1 << k;
            }
        }
        if bits != 0 {
            let ssn = text(r, 0)?.unwrap_or_default();
            let person = ssn.parse::<u64>().map_err(|_| {
                ServerError::Storage(format!("a card's SSN {ssn:?} is not 12 digits"))
            })?;
            *people.entry(person).or_default() |= bits;
        }
    }
    let mut out: Vec<Month> = ends[1..]
        .iter()
        .map(|(month, _)| Month {
            month: month.clone(),
            increases: 0,
            decreases: 0,
            in_force: 0,
        })
        .collect();
    for bits in people.values() {
        for (k, m) in out.iter_mut().enumerate() {
            let (before, now) = (bits >> k & 1 == 1, bits >> (k + 1) & 1 == 1);
            m.in_force += u64::from(now);
            m.increases += u64::from(now && !before);
            m.decreases += u64::from(before && !now);
        }
    }
    Ok(out)
}

/// The label of a line's key in `lang` (an area's name from `names`).
pub fn label(by: Dimension, key: &str, lang: Lang, names: &BTreeMap<String, String>) -> String {
    match by {
        Dimension::Area => names.get(key).cloned().unwrap_or_default(),
        Dimension::Sex => lang.sex(key).to_owned(),
        Dimension::AgeBand => AgeBand::ALL
            .into_iter()
            .find(|b| b.code() == key)
            .map(|b| lang.text(b.label()).to_owned())
            .unwrap_or_default(),
        Dimension::Program => lang.program(key).unwrap_or_default().to_owned(),
        Dimension::Category => key
            .split_once('/')
            .and_then(|(p, _)| lang.program(p))
            .unwrap_or_default()
            .to_owned(),
    }
}

/// One dimension of `report` as a table to export: code, name, people, men, women, and the
/// total last.
pub fn table(
    report: &Report,
    by: Dimension,
    lang: Lang,
    names: &BTreeMap<String, String>,
) -> OutTable {
    let figures = |f: &Figures| [f.people, f.male, f.female].map(|n| n.to_string());
    let mut rows: Vec<Vec<String>> = report
        .lines(by)
        .iter()
        .map(|l| {
            let mut row = vec![l.key.clone(), label(by, &l.key, lang, names)];
            row.extend(figures(&l.figures));
            row
        })
        .collect();
    if by != Dimension::Program && by != Dimension::Category {
        let mut total = vec![lang.text(Msg::ReportTotal).to_owned(), String::new()];
        total.extend(figures(&report.total));
        rows.push(total);
    }
    OutTable {
        headers: [
            Msg::ReportCode,
            Msg::ReportName,
            Msg::ReportPeople,
            Msg::ReportMen,
            Msg::ReportWomen,
        ]
        .map(|m| lang.text(m).to_owned())
        .to_vec(),
        rows,
    }
}

/// The monthly changes as a table to export.
pub fn changes_table(months: &[Month], lang: Lang) -> OutTable {
    OutTable {
        headers: [
            Msg::ReportMonth,
            Msg::ReportIncreases,
            Msg::ReportDecreases,
            Msg::ReportInForce,
        ]
        .map(|m| lang.text(m).to_owned())
        .to_vec(),
        rows: months
            .iter()
            .map(|m| {
                vec![
                    m.month.clone(),
                    m.increases.to_string(),
                    m.decreases.to_string(),
                    m.in_force.to_string(),
                ]
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::{authorize, Account, Principal, Role};

    /// A known register: (serial, ssn, sex, date of birth, area, status, issued, revoked on,
    /// programs as (program, category)).
    type Card = (
        i64,
        &'static str,
        &'static str,
        &'static str,
        &'static str,
        &'static str,
        &'static str,
        Option<&'static str>,
        &'static [(&'static str, &'static str)],
    );

    const REGISTER: &[Card] = &[
        (
            1,
            "A",
            "F",
            "1940",
            "51.22903",
            "active",
            "2025-01-10",
            None,
            &[("TGXH", "BTXH-80"), ("NCC", "LS")],
        ),
        (
            2,
            "B",
            "M",
            "2012-09-01",
            "51.22903",
            "active",
            "2025-07-05",
            None,
            &[("TGXH", "TRE-MOCOI")],
        ),
        (
            3,
            "C",
            "F",
            "1965-08",
            "51.22906",
            "revoked",
            "2024-03-01",
            Some("2025-08-01"),
            &[("TGXH", "BTXH-60")],
        ),
        (
            4,
            "D",
            "M",
            "1990-12-31",
            "51.22906",
            "active",
            "2024-05-01",
            None,
            &[("HN", "HN")],
        ),
        (
            5,
            "E",
            "M",
            "1950",
            "79.26734",
            "active",
            "2024-05-01",
            None,
            &[("NCC", "LS")],
        ),
        (
            6,
            "F",
            "F",
            "1950",
            "51.22903",
            "pending",
            "2025-02-01",
            None,
            &[],
        ),
        (
            7,
            "G",
            "F",
            "1950",
            "51.22903",
            "void",
            "2025-02-01",
            None,
            &[],
        ),
        (
            8,
            "H",
            "F",
            "2020",
            "51.22903",
            "active",
            "2025-09-01",
            None,
            &[],
        ),
        (
            9,
            "I",
            "M",
            "1970-03",
            "51.22906",
            "revoked",
            "2024-01-01",
            Some("2025-07-10"),
            &[("BHYT", "HN")],
        ),
        (
            10,
            "I",
            "M",
            "1970-03",
            "51.22906",
            "active",
            "2025-07-10",
            None,
            &[("BHYT", "HN")],
        ),
        (
            11,
            "J",
            "F",
            "1944",
            "26.08884",
            "active",
            "2024-02-01",
            None,
            &[("TGXH", "BTXH-80")],
        ),
    ];

    fn register() -> Connection {
        let mut conn = Connection::open_in_memory().unwrap();
        crate::store::migrations::migrate(&mut conn).unwrap();
        conn.execute(
            "INSERT INTO offices (code, name, area, key_id, public_key, valid_from, valid_until, created_at)
             VALUES ('QNG-01', 'Phòng LĐTBXH', '51', '00', x'00', '2024-01-01', '2034-01-01', 0)",
            [],
        )
        .unwrap();
        for (serial, person, sex, dob, area, status, issued, revoked, programs) in REGISTER {
            // Person A's SSN ends 00, B's 01, …
            let ssn = format!("0511460000{:02}", person.as_bytes()[0] - b'A');
            conn.execute(
                "INSERT INTO cards (serial, ssn, full_name, date_of_birth, sex, area, office, status, credential, qr_text, issued, expires, created_at)
                 VALUES (?1, ?2, 'Người Thụ Hưởng', ?3, ?4, ?5, 'QNG-01', ?6, x'00', '', ?7, '2030-01-01', 0)",
                rusqlite::params![serial, ssn, dob, sex, area, status, issued],
            )
            .unwrap();
            if let Some(on) = revoked {
                conn.execute(
                    "INSERT INTO revocations (version, serial, reason, revoked_on, at) VALUES (1, ?1, 'damaged', ?2, 0)",
                    rusqlite::params![serial, on],
                )
                .unwrap();
            }
            for (program, category) in *programs {
                conn.execute(
                    "INSERT INTO card_programs (serial, program, category) VALUES (?1, ?2, ?3)",
                    rusqlite::params![serial, program, category],
                )
                .unwrap();
            }
        }
        conn
    }

    fn reader(area: &str) -> Authorized<act::ReadReports> {
        authorize(&Principal::Account(Account {
            id: 1,
            role: Role::Auditor,
            office: None,
            area: AreaCode::parse(area).unwrap(),
        }))
        .unwrap()
    }

    fn day(text: &str) -> Date {
        Date::parse("day", text).unwrap()
    }

    fn keyed(lines: &[Line]) -> Vec<(&str, u64, u64, u64)> {
        lines
            .iter()
            .map(|l| {
                let f = l.figures;
                (l.key.as_str(), f.people, f.male, f.female)
            })
            .collect()
    }

    #[test]
    fn a_report_counts_each_person_in_force_on_its_day_within_the_readers_area() {
        let conn = register();
        let r = report(&conn, &reader("51"), day("2025-08-15")).unwrap();
        assert_eq!(
            r.total,
            Figures {
                people: 4,
                male: 3,
                female: 1
            },
            "A, B, D and I (once, on the card that replaced the first); not C (revoked), E \
             (another province), F (pending), G (void) or H (issued later)"
        );
        assert_eq!(
            keyed(&r.by_area),
            [("51.22903", 2, 1, 1), ("51.22906", 2, 2, 0)]
        );
        assert_eq!(keyed(&r.by_sex), [("F", 1, 0, 1), ("M", 3, 3, 0)]);
        assert_eq!(
            keyed(&r.by_age_band),
            [
                ("0-5", 0, 0, 0),
                ("6-15", 1, 1, 0),
                ("16-59", 2, 2, 0),
                ("60-79", 0, 0, 0),
                ("80+", 1, 0, 1)
            ]
        );
        assert_eq!(
            keyed(&r.by_program),
            [
                ("BHYT", 1, 1, 0),
                ("HN", 1, 1, 0),
                ("NCC", 1, 0, 1),
                ("TGXH", 2, 1, 1)
            ]
        );
        assert_eq!(
            keyed(&r.by_category),
            [
                ("BHYT/HN", 1, 1, 0),
                ("HN/HN", 1, 1, 0),
                ("NCC/LS", 1, 0, 1),
                ("TGXH/BTXH-80", 1, 0, 1),
                ("TGXH/TRE-MOCOI", 1, 1, 0)
            ]
        );
        let commune = report(&conn, &reader("51.22906"), day("2025-08-15")).unwrap();
        assert_eq!(keyed(&commune.by_area), [("51.22906", 2, 2, 0)]);
    }

    #[test]
    fn a_birth_known_to_the_year_or_month_ages_from_its_first_day() {
        let conn = register();
        // C, born 1965-08, is 60 from 1 August 2025: on 31 July she is 59.
        let before = report(&conn, &reader("51.22906"), day("2025-07-31")).unwrap();
        let band = |r: &Report, code: &str| {
            r.by_age_band
                .iter()
                .find(|l| l.key == code)
                .unwrap()
                .figures
                .people
        };
        assert_eq!(band(&before, "60-79"), 0);
        assert_eq!(band(&before, "16-59"), 3, "C, D and I");
        let r = report(&conn, &reader("51.22906"), day("2025-08-01")).unwrap();
        assert_eq!(band(&r, "16-59"), 2, "C is revoked on 1 August");
    }

    #[test]
    fn a_province_s_report_holds_the_cards_of_the_provinces_merged_into_it() {
        let conn = register();
        let r = report(&conn, &reader("25"), day("2025-08-15")).unwrap();
        assert_eq!(keyed(&r.by_area), [("25.08884", 1, 0, 1)]);
    }

    #[test]
    fn monthly_changes_compare_people_so_a_replacement_is_no_change() {
        let conn = register();
        let months = monthly_changes(&conn, &reader("51"), day("2025-09-10"), 3).unwrap();
        let got: Vec<(&str, u64, u64, u64)> = months
            .iter()
            .map(|m| (m.month.as_str(), m.increases, m.decreases, m.in_force))
            .collect();
        assert_eq!(
            got,
            [
                ("2025-07", 1, 0, 5),
                ("2025-08", 0, 1, 4),
                ("2025-09", 1, 0, 5)
            ],
            "July: B in (I's replacement is no change); August: C out; September: H in"
        );
        assert!(monthly_changes(&conn, &reader("51"), day("2025-09-10"), 0).is_err());
    }

    #[test]
    fn an_export_has_a_named_line_per_key_and_the_total() {
        let conn = register();
        let r = report(&conn, &reader("51"), day("2025-08-15")).unwrap();
        let t = table(&r, Dimension::AgeBand, Lang::Vi, &BTreeMap::new());
        assert_eq!(t.headers, ["Mã", "Tên", "Số người thụ hưởng", "Nam", "Nữ"]);
        assert_eq!(t.rows[4], ["80+", "Từ 80 tuổi trở lên", "1", "0", "1"]);
        assert_eq!(t.rows[5], ["Tổng cộng", "", "4", "3", "1"]);
        let csv = t.to_csv();
        assert!(csv.starts_with(b"\xEF\xBB\xBF"), "CSV with a BOM");
    }

    #[test]
    fn age_bands_split_at_6_16_60_and_80() {
        let bands: Vec<&str> = [0, 5, 6, 15, 16, 59, 60, 79, 80, 104]
            .into_iter()
            .map(|a| AgeBand::of_age(a).code())
            .collect();
        assert_eq!(
            bands,
            ["0-5", "0-5", "6-15", "6-15", "16-59", "16-59", "60-79", "60-79", "80+", "80+"]
        );
    }

    #[test]
    fn month_ends_cross_years_and_know_february() {
        assert_eq!(
            month_end(2025, 1, -1).unwrap(),
            ("2024-12".into(), "2024-12-31".into())
        );
        assert_eq!(
            month_end(2024, 1, 1).unwrap(),
            ("2024-02".into(), "2024-02-29".into())
        );
    }

    #[test]
    fn a_pre_merger_area_groups_under_its_province_of_today() {
        let everywhere = Scope::Everywhere;
        assert_eq!(child_of(&everywhere, "26.243.08881"), "25");
        let province = Scope::Within(AreaCode::parse("25").unwrap());
        assert_eq!(child_of(&province, "26.08884"), "25.08884");
        assert_eq!(child_of(&province, "25"), "25");
    }
}
