//! The catalogue of administrative units: the provinces ship with the product
//! ([`asxh_core::provinces`]); the communes (and the districts of the lists before 2025) are
//! imported from the official list file (`asxh-server areas import FILE`: the GSO's "danh mục
//! đơn vị hành chính" export, XLSX or CSV, read with `asxh-sheet`). Each unit is kept with the
//! day it took effect, its last day and, when it merged, the unit it became part of, so a card
//! issued for a commune that no longer exists is still named, and named with where it lies now.
//!
//! The file's columns, by header (compared without diacritics or case): `Mã tỉnh`, `Mã xã`,
//! `Tên xã` (required); `Tên tỉnh`, `Cấp`, `Mã quận huyện` (the lists before 2025), `Hiệu lực
//! từ`, `Hiệu lực đến` and `Mã xã mới` (the unit it merged into: a commune code of the same new
//! province, or a full area code) when the list has them. A file with any bad row imports
//! nothing and names every bad row.

use asxh_core::holder::fold_name;
use asxh_core::{provinces, AreaCode, Date};
use asxh_text::{Lang, Msg};
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::Serialize;

use crate::clock::now;
use crate::error::{Result, ServerError};
use crate::policy::{act, Authorized};

/// One unit of the catalogue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    pub code: AreaCodeText,
    pub name: String,
    /// As the list writes it: `Xã`, `Phường`, `Đặc khu`, `Huyện`, …
    pub level: String,
    pub valid_from: Option<Date>,
    pub valid_until: Option<Date>,
    /// The unit it became part of.
    pub successor: Option<AreaCodeText>,
}

/// An area code as the catalogue stores and shows it.
pub type AreaCodeText = String;

/// The headers, folded, each with the column it names.
const COLUMNS: &[(&str, Col)] = &[
    ("ma tinh", Col::Province),
    ("ma tinh/tp", Col::Province),
    ("ma tp", Col::Province),
    ("ten tinh", Col::ProvinceName),
    ("tinh thanh pho", Col::ProvinceName),
    ("ma quan huyen", Col::District),
    ("ma huyen", Col::District),
    ("ma qh", Col::District),
    ("ma xa", Col::Commune),
    ("ma phuong xa", Col::Commune),
    ("ma px", Col::Commune),
    ("ten xa", Col::Name),
    ("ten phuong xa", Col::Name),
    ("phuong xa", Col::Name),
    ("cap", Col::Level),
    ("hieu luc tu", Col::From),
    ("ngay hieu luc", Col::From),
    ("hieu luc den", Col::Until),
    ("ngay het hieu luc", Col::Until),
    ("ma xa moi", Col::Successor),
    ("sap nhap vao", Col::Successor),
    ("ma don vi ke thua", Col::Successor),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Col {
    Province,
    ProvinceName,
    District,
    Commune,
    Name,
    Level,
    From,
    Until,
    Successor,
}

fn column(header: &str) -> Option<Col> {
    let h = fold_name(header);
    COLUMNS.iter().find(|(n, _)| *n == h).map(|(_, c)| *c)
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Imported {
    /// How the file was read (format, encoding, delimiter).
    pub source: String,
    pub units: usize,
    pub merged: usize,
}

/// A cell's date: ISO `2025-07-01`, or `01/07/2025` as offices write it; empty for none.
fn date_cell(text: &str) -> std::result::Result<Option<Date>, String> {
    if text.is_empty() {
        return Ok(None);
    }
    Date::parse_human("date", text)
        .map(Some)
        .map_err(|_| format!("{text:?} is not a date (2025-07-01 or 01/07/2025)"))
}

/// A numeric code cell, left-padded to its width when a spreadsheet dropped leading zeros
/// (`4` for commune `00004`).
fn code_cell(text: &str, width: usize, what: &str) -> std::result::Result<String, String> {
    if text.is_empty() || text.len() > width || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("{what} {text:?} is not a code of {width} digits"));
    }
    Ok(format!("{text:0>width$}"))
}

/// Reads the official list into units, or every bad row's problem.
pub fn parse_list(bytes: &[u8]) -> Result<(String, Vec<Unit>)> {
    let sheet = asxh_sheet::read(bytes).map_err(|e| ServerError::invalid("file", e.to_string()))?;
    let table = sheet.table(|h| column(h).is_some());
    let source = table.source.to_string();
    let cols: Vec<Option<Col>> = table.headers.iter().map(|h| column(h)).collect();
    let at = |c: Col| cols.iter().position(|x| *x == Some(c));
    let (Some(province), Some(commune), Some(name)) =
        (at(Col::Province), at(Col::Commune), at(Col::Name))
    else {
        return Err(ServerError::invalid(
            "file",
            format!(
                "the list needs the columns \"Mã tỉnh\", \"Mã xã\" and \"Tên xã\"; its header (row {}) is {:?}",
                table.header_row, table.headers
            ),
        ));
    };
    let cell =
        |r: &asxh_sheet::Record, c: Option<usize>| c.map(|i| r.get(i).text).unwrap_or_default();
    let mut units = Vec::new();
    let mut problems = Vec::new();
    for r in &table.records {
        let row = || -> std::result::Result<Unit, String> {
            if let Some(p) = &r.problem {
                return Err(p.to_string());
            }
            let p = code_cell(&cell(r, Some(province)), 2, "province")?;
            if provinces::current(&p).is_none() {
                return Err(format!("province {p} is in no list of provinces"));
            }
            let district = cell(r, at(Col::District));
            let c = code_cell(&cell(r, Some(commune)), 5, "commune")?;
            let code = if district.is_empty() {
                format!("{p}.{c}")
            } else {
                format!("{p}.{}.{c}", code_cell(&district, 3, "district")?)
            };
            let name = cell(r, Some(name));
            if name.is_empty() || name.len() > 100 || name.chars().any(char::is_control) {
                return Err(format!(
                    "the name {name:?} is empty, longer than 100 bytes or has control characters"
                ));
            }
            let successor = match cell(r, at(Col::Successor)) {
                s if s.is_empty() => None,
                s if s.contains('.') => {
                    Some(AreaCode::parse(&s).map_err(|e| e.to_string())?.to_string())
                }
                s => {
                    let new_province = provinces::current(&p).map_or(p.as_str(), |n| n.code);
                    Some(format!(
                        "{new_province}.{}",
                        code_cell(&s, 5, "successor commune")?
                    ))
                }
            };
            let valid_from = date_cell(&cell(r, at(Col::From)))?;
            let valid_until = date_cell(&cell(r, at(Col::Until)))?;
            if let (Some(f), Some(u)) = (valid_from, valid_until) {
                if u < f {
                    return Err(format!("it ends ({u}) before it starts ({f})"));
                }
            }
            if successor.is_some() && valid_until.is_none() {
                return Err("a unit merged into another needs its last day (Hiệu lực đến)".into());
            }
            Ok(Unit {
                code,
                name,
                level: cell(r, at(Col::Level)),
                valid_from,
                valid_until,
                successor,
            })
        };
        match row() {
            Ok(u) => units.push(u),
            Err(p) => problems.push(format!("row {}: {p}", r.number)),
        }
    }
    if !problems.is_empty() {
        return Err(ServerError::invalid(
            "file",
            format!(
                "nothing imported; {} bad rows:\n{}",
                problems.len(),
                problems.join("\n")
            ),
        ));
    }
    if units.is_empty() {
        return Err(ServerError::invalid(
            "file",
            "the list has no units under its header",
        ));
    }
    Ok((source, units))
}

/// Fails unless `area`'s province is one of the list in force on `day` (new cards, offices and
/// accounts take the codes of today, SPEC.md §4.6); a pre-merger code is answered with its
/// successor.
pub fn check_in_force(field: &str, area: &AreaCode, day: Date) -> Result<()> {
    provinces::check_in_force(area, day).map_err(|m| ServerError::invalid(field, m.to_string()))
}

fn date_text(d: Option<Date>) -> Option<String> {
    d.map(|d| d.to_string())
}

/// Imports the official list into the catalogue: a unit already there (same code, same first
/// day) takes the file's name, tier, last day and successor. All or nothing.
pub fn import(
    tx: &Transaction<'_>,
    grant: &Authorized<act::ImportAreas>,
    bytes: &[u8],
) -> Result<Imported> {
    let (source, units) = parse_list(bytes)?;
    let at = now();
    let mut stmt = tx.prepare_cached(
        "INSERT INTO areas (code, valid_from, name, level, valid_until, successor, imported_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (code, valid_from) DO UPDATE SET name = excluded.name, level = excluded.level,
           valid_until = excluded.valid_until, successor = excluded.successor, imported_at = excluded.imported_at",
    )?;
    for u in &units {
        stmt.execute(params![
            u.code,
            date_text(u.valid_from).unwrap_or_default(),
            u.name,
            u.level,
            date_text(u.valid_until),
            u.successor,
            at
        ])?;
    }
    let merged = units.iter().filter(|u| u.successor.is_some()).count();
    crate::audit::append(
        tx,
        &grant.actor(),
        "areas.import",
        None,
        &serde_json::json!({"units": units.len(), "merged": merged, "source": source}),
    )?;
    Ok(Imported {
        source,
        units: units.len(),
        merged,
    })
}

fn unit_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Unit> {
    let date = |t: Option<String>| t.and_then(|t| Date::parse("date", &t).ok());
    Ok(Unit {
        code: r.get(0)?,
        valid_from: date(r.get(1)?),
        name: r.get(2)?,
        level: r.get(3)?,
        valid_until: date(r.get(4)?),
        successor: r.get(5)?,
    })
}

/// The unit `code` named on `day` (the one in force then, else the latest before it, else the
/// earliest).
pub fn unit_on(conn: &Connection, code: &str, day: Date) -> Result<Option<Unit>> {
    let day = day.to_string();
    let row = conn
        .prepare_cached(
            "SELECT code, valid_from, name, level, valid_until, successor FROM areas WHERE code = ?1
             ORDER BY (valid_from <= ?2) DESC, CASE WHEN valid_from <= ?2 THEN valid_from END DESC, valid_from
             LIMIT 1",
        )?
        .query_row(params![code, day], unit_row)
        .optional()?;
    Ok(row)
}

/// How an area reads for people: the commune's name (as it was on `day`), its province, and
/// where it lies today when it has merged since.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AreaName {
    /// The unit the code names, when the catalogue has it ("Xã Nghĩa Hành").
    pub unit: Option<String>,
    /// The province as it was on `day` ("Vĩnh Phúc").
    pub province: Option<String>,
    /// Where it lies today when that differs: the successor unit's and province's names.
    pub now: Option<String>,
}

impl AreaName {
    /// `Xã Nghĩa Hành, Quảng Ngãi`, `Vĩnh Phúc (nay thuộc Phú Thọ)`; empty for a code no list
    /// has.
    pub fn text(&self, now_part_of: &str) -> String {
        let here: Vec<&str> = [self.unit.as_deref(), self.province.as_deref()]
            .into_iter()
            .flatten()
            .collect();
        let here = here.join(", ");
        match &self.now {
            Some(now) => format!("{here} ({now_part_of} {now})"),
            None => here,
        }
    }
}

/// The name of `area` for a card issued (or a record made) on `day`.
pub fn name_of(conn: &Connection, area: &AreaCode, day: Date) -> Result<AreaName> {
    let (then, today) = match provinces::then_and_now(area, day) {
        Some((t, n)) => (Some(t), Some(n)),
        None => (None, None),
    };
    let unit = if area.components().count() > 1 {
        unit_on(conn, area.as_str(), day)?
    } else {
        None
    };
    // The successor chain, at most a few links (a merged unit's successor may merge again).
    let mut last = unit.clone();
    let mut hops = 0;
    while let Some(next) = last.as_ref().and_then(|u| u.successor.clone()) {
        if hops == 4 {
            break;
        }
        hops += 1;
        last = unit_on(conn, &next, Date::today())?.or(Some(Unit {
            code: next.clone(),
            name: next,
            level: String::new(),
            valid_from: None,
            valid_until: None,
            successor: None,
        }));
    }
    let moved_unit = match (&unit, &last) {
        (Some(u), Some(l)) if u.code != l.code => Some(l),
        _ => None,
    };
    let moved_province = matches!((then, today), (Some(t), Some(n)) if t.name != n.name);
    let now = match (moved_unit, moved_province) {
        (Some(l), _) => Some(format!("{}, {}", l.name, today.map_or("", |p| p.name))),
        (None, true) => today.map(|p| p.name.to_owned()),
        (None, false) => None,
    };
    Ok(AreaName {
        unit: unit.map(|u| u.name),
        province: then.map(|p| p.name.to_owned()),
        now,
    })
}

/// How `area` reads in `lang` for a card issued (a record made) on `day`; `None` when no list
/// knows it.
pub fn display(conn: &Connection, area: &str, day: Date, lang: Lang) -> Result<Option<String>> {
    let Ok(area) = AreaCode::parse(area) else {
        return Ok(None);
    };
    let text = name_of(conn, &area, day)?.text(lang.text(Msg::AreaNowPartOf));
    Ok((!text.is_empty()).then_some(text))
}

/// [`display`] of each of `areas`, as of today.
pub fn display_all<'a>(
    conn: &Connection,
    areas: impl IntoIterator<Item = &'a str>,
    lang: Lang,
) -> Result<std::collections::BTreeMap<String, String>> {
    let today = Date::today();
    let mut names = std::collections::BTreeMap::new();
    for a in areas {
        if let Some(n) = display(conn, a, today, lang)? {
            names.insert(a.to_owned(), n);
        }
    }
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::{authorize, Principal};

    const LIST: &str = "Danh mục đơn vị hành chính\n\
Mã tỉnh,Tên tỉnh,Mã xã,Tên xã,Cấp,Hiệu lực từ,Hiệu lực đến,Mã xã mới\n\
51,Quảng Ngãi,22903,Xã Nghĩa Hành,Xã,01/07/2025,,\n\
25,Phú Thọ,08881,Phường Vĩnh Phúc,Phường,2025-07-01,,\n\
26,Vĩnh Phúc,08884,Phường Liên Bảo,Phường,,30/06/2025,08881\n";

    fn db() -> Connection {
        let mut conn = Connection::open_in_memory().unwrap();
        crate::store::migrations::migrate(&mut conn).unwrap();
        conn
    }

    fn day(y: i32, m: u8, d: u8) -> Date {
        Date::from_ymd("day", y, m, d).unwrap()
    }

    #[test]
    fn the_official_list_imports_with_a_merged_unit_named_with_where_it_lies_now() {
        let mut conn = db();
        let tx = conn.transaction().unwrap();
        let grant = authorize::<act::ImportAreas>(&Principal::Operator).unwrap();
        let done = import(&tx, &grant, LIST.as_bytes()).unwrap();
        tx.commit().unwrap();
        assert_eq!((done.units, done.merged), (3, 1));
        assert!(done.source.starts_with("CSV"), "{}", done.source);

        let name = |code: &str, d: Date| {
            name_of(&conn, &AreaCode::parse(code).unwrap(), d)
                .unwrap()
                .text("nay thuộc")
        };
        assert_eq!(
            name("51.22903", day(2025, 8, 1)),
            "Xã Nghĩa Hành, Quảng Ngãi"
        );
        assert_eq!(
            name("26.08884", day(2024, 5, 1)),
            "Phường Liên Bảo, Vĩnh Phúc (nay thuộc Phường Vĩnh Phúc, Phú Thọ)"
        );
        assert_eq!(name("17", day(2024, 5, 1)), "Hòa Bình (nay thuộc Phú Thọ)");
        assert_eq!(name("51.99999", day(2025, 8, 1)), "Quảng Ngãi");
        let old = unit_on(&conn, "26.08884", day(2024, 1, 1))
            .unwrap()
            .unwrap();
        assert_eq!(old.valid_until, Some(day(2025, 6, 30)));
        assert_eq!(old.successor.as_deref(), Some("25.08881"));
    }

    #[test]
    fn importing_the_same_list_again_changes_nothing_and_a_bad_row_imports_nothing() {
        let mut conn = db();
        let grant = authorize::<act::ImportAreas>(&Principal::Operator).unwrap();
        for _ in 0..2 {
            let tx = conn.transaction().unwrap();
            import(&tx, &grant, LIST.as_bytes()).unwrap();
            tx.commit().unwrap();
        }
        let count = |c: &Connection| -> i64 {
            c.query_row("SELECT COUNT(*) FROM areas", [], |r| r.get(0))
                .unwrap()
        };
        assert_eq!(count(&conn), 3);

        let bad = "Mã tỉnh,Mã xã,Tên xã,Hiệu lực đến,Mã xã mới\n\
51,22904,Xã Mới,,\n\
99,00001,Xã Không Có,,\n\
51,2290x,Xã Sai Mã,,\n\
51,22905,Xã Sáp Nhập,,22903\n";
        let tx = conn.transaction().unwrap();
        let err = import(&tx, &grant, bad.as_bytes()).unwrap_err().to_string();
        drop(tx);
        assert!(err.contains("3 bad rows"), "{err}");
        assert!(err.contains("row 3: province 99 is in no list"), "{err}");
        assert!(err.contains("row 4: commune \"2290x\""), "{err}");
        assert!(
            err.contains("row 5: a unit merged into another needs its last day"),
            "{err}"
        );
        assert_eq!(count(&conn), 3, "nothing of the bad file was written");

        let missing = "Tên tỉnh,Tên xã\nQuảng Ngãi,Xã A\n";
        let err = parse_list(missing.as_bytes()).unwrap_err().to_string();
        assert!(
            err.contains("\"Mã tỉnh\", \"Mã xã\" and \"Tên xã\""),
            "{err}"
        );
    }

    #[test]
    fn new_records_take_the_province_codes_of_today_and_a_pre_merger_code_names_its_successor() {
        let today = day(2025, 8, 1);
        check_in_force("area", &AreaCode::parse("25.08881").unwrap(), today).unwrap();
        let err = check_in_force("area", &AreaCode::parse("26.08884").unwrap(), today)
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "26.08884: province 26 (Vĩnh Phúc) is part of 25 Phú Thọ since 2025-06-12; give the code of today"
        );
        let err = check_in_force("area", &AreaCode::parse("99").unwrap(), today).unwrap_err();
        assert_eq!(
            err.to_string(),
            "99: province 99 is in no list of provinces"
        );
        check_in_force("area", &AreaCode::parse("26").unwrap(), day(2025, 1, 1)).unwrap();
    }

    #[test]
    fn the_list_saved_as_xlsx_reads_as_its_csv() {
        let csv = parse_list(LIST.as_bytes()).unwrap().1;
        let rows: Vec<Vec<String>> = LIST
            .lines()
            .skip(1)
            .map(|l| l.split(',').map(str::to_owned).collect())
            .collect();
        let book = asxh_sheet::OutTable {
            headers: rows[0].clone(),
            rows: rows[1..].to_vec(),
        }
        .to_xlsx("Danh mục")
        .unwrap();
        let (source, units) = parse_list(&book).unwrap();
        assert!(source.starts_with("XLSX"), "{source}");
        assert_eq!(units, csv);
        assert_eq!(units[2].successor.as_deref(), Some("25.08881"));
    }

    #[test]
    fn a_spreadsheet_that_dropped_leading_zeros_still_gives_full_width_codes() {
        let list = "Mã tỉnh,Mã xã,Tên xã\n1,4,Phường Ba Đình\n";
        let (_, units) = parse_list(list.as_bytes()).unwrap();
        assert_eq!(units[0].code, "01.00004");
    }
}
