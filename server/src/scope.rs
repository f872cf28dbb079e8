//! "Within an area" as SQL: an area covers itself and every area below it (`51` covers
//! `51.429.22903`), the same rule as [`AreaCode::contains`], written as a range of codes so that
//! queries filter in the database, through an index, instead of loading rows only to drop them.

use asxh_core::AreaCode;

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
            Scope::Within(own) => own.contains(area),
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
}

/// A condition on `column` taking two parameters, `?{first}` and `?{first + 1}` (see
/// [`Scope::params`]): a range of codes, which an index on `column` answers.
pub fn within(column: &str, first: usize) -> String {
    format!("({column} >= ?{first} AND {column} < ?{})", first + 1)
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
            &format!("SELECT {}", within("?3", 1)),
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
    fn everywhere_matches_every_area() {
        for other in ["51", "51.429.22903", "79"] {
            assert!(matches(&Scope::Everywhere, other), "{other}");
            assert!(Scope::Everywhere.contains(&AreaCode::parse(other).unwrap()));
        }
    }
}
