//! Administrative area codes (SPEC.md §4.6) as a path of numeric codes from the province down:
//! `51` (a province), `51.22903` (province and commune), `51.429.22903` (with a district).
//! Vietnam moved to two tiers and 34 provinces in 2025, so neither the depth nor the list of
//! provinces is fixed here; authorisation uses [`AreaCode::contains`].

use std::fmt;

use crate::error::{FormatError, Problem, Result};

/// A path of 1 to 4 numeric components (1 to 6 digits each), written with dots.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AreaCode(String);

impl AreaCode {
    pub const MAX_COMPONENTS: usize = 3;

    /// Parses `51`, `51.22903`, `51.429`, `51.429.22903` (SPEC.md §4.6): the national codes of
    /// the province (2 digits), optionally the district (3) and the commune (5), each exactly
    /// as wide as the national list writes it, so that every area has one code only (`051` or
    /// `51.022903` would name province 51 and commune 22903 a second way).
    pub fn parse(text: &str) -> Result<Self> {
        let t = text.trim();
        let parts: Vec<&str> = t.split('.').collect();
        let widths: Vec<usize> = parts.iter().map(|p| p.len()).collect();
        let ok = parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit()))
            && matches!(widths.as_slice(), [2] | [2, 3] | [2, 5] | [2, 3, 5]);
        if !ok {
            return Err(FormatError::invalid(
                "area_code",
                Problem::AreaCodeForm { text: t.to_owned() },
            ));
        }
        Ok(AreaCode(t.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The components from the province down.
    pub fn components(&self) -> impl Iterator<Item = &str> {
        self.0.split('.')
    }

    /// The province code (first component).
    pub fn province(&self) -> &str {
        self.components().next().unwrap_or("")
    }

    /// Whether `other` lies inside this area (equal, or a descendant).
    pub fn contains(&self, other: &AreaCode) -> bool {
        let mine: Vec<&str> = self.components().collect();
        let theirs: Vec<&str> = other.components().collect();
        theirs.len() >= mine.len() && mine.iter().zip(&theirs).all(|(a, b)| a == b)
    }

    /// Decodes the ASCII wire form.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        let text =
            std::str::from_utf8(bytes).map_err(|_| FormatError::field("area_code", "not ASCII"))?;
        let area = AreaCode::parse(text)?;
        if area.0.as_bytes() != bytes {
            return Err(FormatError::field("area_code", "has surrounding spaces"));
        }
        Ok(area)
    }
}

impl fmt::Display for AreaCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for AreaCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AreaCode({})", self.0)
    }
}

impl std::str::FromStr for AreaCode {
    type Err = FormatError;
    fn from_str(s: &str) -> Result<Self> {
        AreaCode::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_two_and_three_tier_paths() {
        assert_eq!(AreaCode::parse("51").unwrap().province(), "51");
        assert_eq!(AreaCode::parse("51.22903").unwrap().components().count(), 2);
        assert_eq!(
            AreaCode::parse("51.429.22903")
                .unwrap()
                .components()
                .count(),
            3
        );
        for bad in [
            "",
            "51.",
            ".51",
            "5a",
            "51..2",
            "1.2.3.4.5",
            "1234567",
            "51/22903",
            "5",
            "051",
            "51.022903",
            "51.4291",
            "51.429.22903.1",
            "51.22903.429",
            "51.4.22903",
        ] {
            assert!(AreaCode::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn containment_is_by_whole_components() {
        let p = AreaCode::parse("51").unwrap();
        assert!(p.contains(&AreaCode::parse("51.22903").unwrap()));
        assert!(p.contains(&p));
        assert!(!p.contains(&AreaCode::parse("52").unwrap()));
        assert!(!p.contains(&AreaCode::parse("52.22903").unwrap()));
        assert!(!AreaCode::parse("51.429")
            .unwrap()
            .contains(&AreaCode::parse("51.42911").unwrap()));
        assert!(!AreaCode::parse("51.22903").unwrap().contains(&p));
    }
}
