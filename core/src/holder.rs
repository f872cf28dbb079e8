//! The card holder: the name and the [`Holder`] record that ties it to the SSN, sex, date of
//! birth and residence area, checked for agreement when built.

use std::fmt;

use unicode_normalization::UnicodeNormalization;

use crate::area::AreaCode;
use crate::date::PartialDate;
use crate::error::{FormatError, Problem, Result};
use crate::sex::Sex;
use crate::ssn::Ssn;

/// A person's full name: Unicode NFC, letters with single spaces, hyphens, apostrophes and
/// periods between them, 1 to [`PersonName::MAX_BYTES`] bytes of UTF-8. Control characters,
/// digits and punctuation such as `;` `"` `<` are refused.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct PersonName(String);

impl PersonName {
    pub const MAX_BYTES: usize = 100;

    /// Normalises user input (NFC, trimmed, runs of spaces collapsed) and validates it. Control
    /// characters are refused before the whitespace among them (tab, newline, ...) could be
    /// collapsed into a space.
    pub fn parse(field: &'static str, text: &str) -> Result<Self> {
        if let Some(c) = text.chars().find(|c| c.is_control()) {
            return Err(FormatError::invalid(
                field,
                Problem::NameControlCharacter { code: c as u32 },
            ));
        }
        let normalised: String = text.nfc().collect();
        let collapsed = normalised.split_whitespace().collect::<Vec<_>>().join(" ");
        Self::validate(field, &collapsed)?;
        Ok(PersonName(collapsed))
    }

    /// Decodes the wire form, which must already be in canonical form: signed bytes have one
    /// encoding only.
    pub fn from_bytes(field: &'static str, bytes: &[u8]) -> Result<Self> {
        let text = std::str::from_utf8(bytes)
            .map_err(|_| FormatError::field(field, "is not valid UTF-8"))?;
        if Self::is_canonical(text) {
            // Nothing to normalise: checked without building the normal form (a roll holds tens
            // of thousands of names, checked on every load).
            Self::validate(field, text)?;
            return Ok(PersonName(text.to_owned()));
        }
        let name = PersonName::parse(field, text)?;
        if name.0 != text {
            return Err(FormatError::field(
                field,
                "is not in canonical form (Unicode NFC, single spaces, no leading or trailing space)",
            ));
        }
        Ok(name)
    }

    /// Whether `text` is certainly what [`PersonName::parse`] makes of it: NFC by the quick
    /// check, no control character, and single spaces between words as the only whitespace.
    fn is_canonical(text: &str) -> bool {
        !text.starts_with(' ')
            && !text.ends_with(' ')
            && !text.contains("  ")
            && !text
                .chars()
                .any(|c| c.is_control() || (c.is_whitespace() && c != ' '))
            && unicode_normalization::is_nfc_quick(text.chars())
                == unicode_normalization::IsNormalized::Yes
    }

    fn validate(field: &'static str, name: &str) -> Result<()> {
        if name.is_empty() {
            return Err(FormatError::invalid(field, Problem::NameEmpty));
        }
        if name.len() > Self::MAX_BYTES {
            return Err(FormatError::invalid(
                field,
                Problem::NameTooLong {
                    bytes: name.len(),
                    max: Self::MAX_BYTES,
                },
            ));
        }
        if let Some(bad) = name
            .chars()
            .find(|c| !(c.is_alphabetic() || matches!(c, ' ' | '-' | '\'' | '.')))
        {
            return Err(FormatError::invalid(
                field,
                Problem::NameCharacter { found: bad },
            ));
        }
        if !name.chars().any(char::is_alphabetic) {
            return Err(FormatError::invalid(field, Problem::NameNoLetter));
        }
        Ok(())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The name folded as [`fold_name`] does.
    pub fn folded(&self) -> String {
        fold_name(&self.0)
    }
}

/// Lower-case, without Vietnamese diacritics, single spaces (`Nguyễn  Thị Đào` →
/// `nguyen thi dao`): how names are compared where accents may be missing or typed otherwise —
/// the server's search, and the likely duplicates of a list.
pub fn fold_name(text: &str) -> String {
    text.nfd()
        .filter(|c| !('\u{0300}'..='\u{036F}').contains(c))
        .map(|c| match c {
            'đ' | 'Đ' => 'd',
            c => c,
        })
        .flat_map(char::to_lowercase)
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

impl fmt::Display for PersonName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for PersonName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PersonName({:?})", self.0)
    }
}

/// The holder of a card. Built only through [`Holder::new`], which checks that the SSN agrees
/// with sex and birth year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holder {
    ssn: Ssn,
    name: PersonName,
    date_of_birth: PartialDate,
    sex: Sex,
    area: AreaCode,
}

impl Holder {
    pub fn new(
        ssn: Ssn,
        name: PersonName,
        date_of_birth: PartialDate,
        sex: Sex,
        area: AreaCode,
    ) -> Result<Self> {
        ssn.check_holder(sex, date_of_birth)?;
        Ok(Holder {
            ssn,
            name,
            date_of_birth,
            sex,
            area,
        })
    }

    pub fn ssn(&self) -> Ssn {
        self.ssn
    }
    pub fn name(&self) -> &PersonName {
        &self.name
    }
    pub fn date_of_birth(&self) -> PartialDate {
        self.date_of_birth
    }
    pub fn sex(&self) -> Sex {
        self.sex
    }
    pub fn area(&self) -> &AreaCode {
        &self.area
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folded_names_compare_without_accents_case_or_extra_spaces() {
        assert_eq!(fold_name("Nguyễn  Thị Đào"), "nguyen thi dao");
        assert_eq!(fold_name("NGUYEN THI DAO"), "nguyen thi dao");
        let decomposed: String = "Trần Thị Lan".nfd().collect();
        assert_eq!(fold_name(&decomposed), "tran thi lan");
        assert_eq!(
            PersonName::parse("n", "Lê Văn Tư").unwrap().folded(),
            "le van tu"
        );
    }

    #[test]
    fn names_are_normalised_to_nfc_with_single_spaces() {
        // "Nguyễn" written with a combining circumflex + tilde sequence (NFD).
        let nfd = "  Nguye\u{0302}\u{0303}n   Thi\u{0323}  Ho\u{0302}\u{0300}ng ";
        let n = PersonName::parse("full_name", nfd).unwrap();
        assert_eq!(n.as_str(), "Nguyễn Thị Hồng");
        assert!(PersonName::from_bytes("full_name", nfd.as_bytes()).is_err());
        assert!(PersonName::from_bytes("full_name", n.as_str().as_bytes()).is_ok());
    }

    #[test]
    fn names_refuse_control_characters_digits_and_sql() {
        for bad in [
            "",
            "   ",
            "A\u{0007}B",
            "Robert'); DROP TABLE cards;--",
            "Lê 3",
            "<b>Lan</b>",
            "--",
        ] {
            assert!(PersonName::parse("full_name", bad).is_err(), "{bad:?}");
        }
        let long = "Ạ".repeat(34); // 3 bytes each = 102 bytes
        assert!(PersonName::parse("full_name", &long).is_err());
        assert!(PersonName::parse("full_name", "O'Neil Trần-Văn Jr.").is_ok());
    }

    #[test]
    fn names_with_control_characters_are_refused_even_where_they_are_whitespace() {
        for bad in [
            "Trần\nLan",
            "Trần\r\nLan",
            "Trần\tLan",
            "Lan\n",
            "\u{85}Lan",
            "Trần\0Lan",
            "Trần\u{1b}[31mLan",
            "Lan\u{7f}",
        ] {
            let e = PersonName::parse("full_name", bad).unwrap_err();
            assert_eq!(e.field_name(), Some("full_name"), "{bad:?}");
            assert!(e.to_string().contains("control character"), "{bad:?}: {e}");
        }
        // A right-to-left override is no letter either.
        assert!(PersonName::parse("full_name", "Lan\u{202E}naL").is_err());
    }

    proptest::proptest! {
        /// The wire form's fast check accepts exactly what parsing leaves as it is.
        #[test]
        fn a_name_decodes_from_bytes_exactly_when_parsing_leaves_it_unchanged(
            text in "[ a\u{0300}\u{0302}\u{0303}\u{0323}ễĐđ\u{00A0}\t\u{2003}'.-]{0,12}"
        ) {
            let parsed = PersonName::parse("n", &text);
            let expected = matches!(&parsed, Ok(n) if n.as_str() == text);
            proptest::prop_assert_eq!(PersonName::from_bytes("n", text.as_bytes()).is_ok(), expected);
        }
    }

    #[test]
    fn holder_requires_ssn_agreement() {
        let ssn = Ssn::parse("051146000123").unwrap();
        let name = PersonName::parse("full_name", "Trần Thị Lan").unwrap();
        let area = AreaCode::parse("51.22903").unwrap();
        assert!(Holder::new(
            ssn,
            name.clone(),
            PartialDate::Year(1946),
            Sex::Female,
            area.clone()
        )
        .is_ok());
        let e = Holder::new(ssn, name, PartialDate::Year(1946), Sex::Male, area).unwrap_err();
        assert_eq!(e.field_name(), Some("ssn"));
    }
}
