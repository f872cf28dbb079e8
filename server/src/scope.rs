//! "Within an area" as SQL: an area covers itself and every area below it (`51` covers
//! `51.429.22903`), the same rule as [`AreaCode::contains`], so queries filter in the database
//! instead of loading rows only to drop them.

use asxh_core::AreaCode;

/// A condition on `column` taking two parameters, `?{first}` (the area) and `?{first + 1}` (see
/// [`below`]).
pub fn within(column: &str, first: usize) -> String {
    format!("({column} = ?{first} OR {column} LIKE ?{})", first + 1)
}

/// The LIKE pattern of the areas below `area`. Area codes are digits and dots, so nothing needs
/// escaping.
pub fn below(area: &AreaCode) -> String {
    format!("{}.%", area.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sql_condition_matches_area_code_contains() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        let area = AreaCode::parse("51.429").unwrap();
        for (other, expected) in [
            ("51.429", true),
            ("51.429.22903", true),
            ("51.4291", false),
            ("51", false),
            ("52.429", false),
        ] {
            let got: bool = conn
                .query_row(
                    &format!("SELECT {}", within("?3", 1)),
                    rusqlite::params![area.as_str(), below(&area), other],
                    |r| r.get(0),
                )
                .unwrap();
            assert_eq!(got, expected, "{other}");
            assert_eq!(area.contains(&AreaCode::parse(other).unwrap()), expected);
        }
    }
}
