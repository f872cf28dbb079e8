//! "Within an area" as SQL: an area covers itself and every area below it (`51` covers
//! `51.429.22903`), the same rule as [`AreaCode::contains`], written as ranges of codes so that
//! queries filter in the database, through an index, instead of loading rows only to drop them.
//!
//! A province's area also covers the pre-merger provinces that are part of it since the 2025
//! reform (SPEC.md §4.6): Phú Thọ (`25`) covers a card issued for Vĩnh Phúc (`26.…`).

use asxh_core::{provinces, AreaCode};

/// The areas a read or a change may reach.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Every area (the operator at the server's command line; the audit log today).
    Everywhere,
    /// This area and every area below it.
    Within(AreaCode),
}

impl Scope {
    pub fn contains(&self, area: &AreaCode) -> bool {
        match self {
            Scope::Everywhere => true,
            Scope::Within(own) => {
                own.contains(area) || own.contains(&provinces::in_today_province(area))
            }
        }
    }

    /// The half-open ranges `[low, high)` of area codes this scope covers, pre-merger provinces
    /// included: a range condition an index on the area column serves. Every component has a
    /// fixed width (§4.6), so `[51.429, 51.429/)` holds `51.429` and every code below it, and
    /// no other (`/` sorts right after `.`). A query that must stay on its index runs once per
    /// range: SQLite scans the whole table for an `OR` of ranges.
    pub fn ranges(&self) -> Vec<(String, String)> {
        match self {
            // Every code starts with a digit, and `:` sorts right after `9`.
            Scope::Everywhere => vec![(String::new(), ":".into())],
            Scope::Within(area) => {
                let rest = &area.as_str()[area.province().len()..];
                std::iter::once(area.province())
                    .chain(provinces::merged_into(area.province()))
                    .map(|p| (format!("{p}{rest}"), format!("{p}{rest}/")))
                    .collect()
            }
        }
    }

    /// The two parameters of [`within`]: the lowest and the first code above the areas it
    /// covers (`""` and `"~"` for everywhere: every area code is digits and dots, below `~`).
    pub fn params(&self) -> (String, String) {
        match self {
            Scope::Everywhere => (String::new(), "~".into()),
            Scope::Within(area) => (area.as_str().to_owned(), above(area)),
        }
    }

    /// How many components the area has (0 for everywhere).
    pub fn depth(&self) -> usize {
        match self {
            Scope::Everywhere => 0,
            Scope::Within(area) => area.components().count(),
        }
    }

    /// A condition on `column` taking two parameters, `?{first}` and `?{first + 1}` (see
    /// [`Scope::params`]): a range of codes, which an index on `column` answers; for an area of a
    /// province that absorbed others in 2025, also the same area's range under each of them (their
    /// codes come from the catalogue shipped with the product, so they are written as literals).
    pub fn within(&self, column: &str, first: usize) -> String {
        let mut condition = format!("({column} >= ?{first} AND {column} < ?{}", first + 1);
        for (low, high) in self.ranges().into_iter().skip(1) {
            condition.push_str(&format!(" OR {column} >= '{low}' AND {column} < '{high}'"));
        }
        condition.push(')');
        condition
    }
}

/// The first code above every area within `area`: `51` covers exactly the codes from `51` up to
/// `51.~` (area codes are digits and dots, and `.` and every digit sort below `~`; `510` sorts
/// above `51.~`).
pub fn above(area: &AreaCode) -> String {
    format!("{}.~", area.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(scope: &Scope, other: &str) -> bool {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        let (area, below) = scope.params();
        conn.query_row(
            &format!("SELECT {}", scope.within("?3", 1)),
            rusqlite::params![area, below, other],
            |r| r.get(0),
        )
        .unwrap()
    }

    #[test]
    fn the_sql_condition_matches_area_code_contains() {
        let area = AreaCode::parse("51.429").unwrap();
        let scope = Scope::Within(area.clone());
        for (other, expected) in [
            ("51.429", true),
            ("51.429.22903", true),
            ("51.42911", false),
            ("51.430", false),
            ("51.428.22903", false),
            ("51", false),
            ("52.429", false),
        ] {
            assert_eq!(matches(&scope, other), expected, "{other}");
            assert_eq!(area.contains(&AreaCode::parse(other).unwrap()), expected);
            assert_eq!(scope.contains(&AreaCode::parse(other).unwrap()), expected);
        }
    }

    #[test]
    fn a_province_covers_the_pre_merger_provinces_now_part_of_it() {
        let phu_tho = Scope::Within(AreaCode::parse("25").unwrap());
        for (other, expected) in [("26.243.08881", true), ("17", true), ("27", false)] {
            assert_eq!(
                phu_tho.contains(&AreaCode::parse(other).unwrap()),
                expected,
                "{other}"
            );
        }
        // The SQL condition agrees: the pre-merger provinces' codes are in it as ranges.
        for (other, expected) in [
            ("25.08881", true),
            ("26.243.08881", true),
            ("17", true),
            ("27", false),
            ("250", false),
        ] {
            assert_eq!(matches(&phu_tho, other), expected, "SQL: {other}");
        }
        let ranges = phu_tho.ranges();
        let in_ranges = |code: &str| {
            ranges
                .iter()
                .any(|(lo, hi)| lo.as_str() <= code && code < hi.as_str())
        };
        for (other, expected) in [
            ("25", true),
            ("25.08881", true),
            ("26.243.08881", true),
            ("17.04444", true),
            ("24", false),
            ("27.01234", false),
        ] {
            assert_eq!(in_ranges(other), expected, "{other}");
        }
        let commune = Scope::Within(AreaCode::parse("51.22903").unwrap());
        assert_eq!(
            commune.ranges()[0],
            ("51.22903".to_owned(), "51.22903/".to_owned())
        );
    }

    #[test]
    fn everywhere_matches_every_area() {
        for other in ["51", "51.429.22903", "79"] {
            assert!(matches(&Scope::Everywhere, other), "{other}");
            assert!(Scope::Everywhere.contains(&AreaCode::parse(other).unwrap()));
        }
    }
}
