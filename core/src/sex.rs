//! Sex as recorded on the card (`M` or `F`): its own module because both the SSN (whose fourth
//! digit codes century and sex) and the holder record use it.

use unicode_normalization::UnicodeNormalization;

use crate::error::{FormatError, Problem, Result};

/// Sex as recorded on the card: `M` or `F`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Sex {
    Male,
    Female,
}

impl Sex {
    /// Parses `M`/`F` (also the Vietnamese `Nam`/`Nữ`).
    pub fn parse(text: &str) -> Result<Self> {
        match text
            .trim()
            .nfc()
            .collect::<String>()
            .to_lowercase()
            .as_str()
        {
            "m" | "nam" | "male" => Ok(Sex::Male),
            "f" | "nữ" | "nu" | "female" => Ok(Sex::Female),
            _ => Err(FormatError::invalid(
                "sex",
                Problem::SexForm {
                    text: text.trim().to_owned(),
                },
            )),
        }
    }

    /// `M` or `F`.
    pub fn code(self) -> &'static str {
        match self {
            Sex::Male => "M",
            Sex::Female => "F",
        }
    }

    /// The wire byte, ASCII `M` or `F`.
    pub fn to_byte(self) -> u8 {
        self.code().as_bytes()[0]
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        match bytes {
            b"M" => Ok(Sex::Male),
            b"F" => Ok(Sex::Female),
            _ => Err(FormatError::field(
                "sex",
                format!("{bytes:02X?} is not ASCII M or F"),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sex_parses_vietnamese() {
        assert_eq!(Sex::parse("Nữ").unwrap(), Sex::Female);
        assert_eq!(Sex::parse("nam").unwrap(), Sex::Male);
        assert!(Sex::parse("X").is_err());
    }
}
