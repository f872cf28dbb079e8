//! Card serial numbers (SPEC.md §4.5): allocated by the server, 1 to 9,999,999,999, five bytes
//! big-endian on the wire, written for people as ten digits, a dash and a Luhn check digit
//! (`0000012345-5`) so that a mistyped serial is caught before a wrong card is revoked.

use std::fmt;

use crate::error::{FormatError, Problem, Result};

/// A card serial number.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CardSerial(u64);

impl CardSerial {
    /// The largest serial (ten decimal digits).
    pub const MAX: u64 = 9_999_999_999;

    /// A serial from its number.
    pub fn new(number: u64) -> Result<Self> {
        if number == 0 || number > Self::MAX {
            return Err(FormatError::invalid(
                "serial",
                Problem::SerialOutOfRange {
                    number,
                    max: Self::MAX,
                },
            ));
        }
        Ok(CardSerial(number))
    }

    pub fn number(self) -> u64 {
        self.0
    }

    /// Parses `NNNNNNNNNN-C` (the dash may be left out; spaces are ignored) and checks the
    /// check digit.
    pub fn parse(text: &str) -> Result<Self> {
        let compact: String = text.chars().filter(|c| *c != '-' && *c != ' ').collect();
        if compact.len() != 11 || !compact.bytes().all(|b| b.is_ascii_digit()) {
            return Err(FormatError::invalid(
                "serial",
                Problem::SerialForm {
                    text: text.to_owned(),
                },
            ));
        }
        let number: u64 = compact[..10].parse().map_err(|_| {
            FormatError::invalid(
                "serial",
                Problem::SerialForm {
                    text: text.to_owned(),
                },
            )
        })?;
        let check = compact.as_bytes()[10] - b'0';
        let serial = CardSerial::new(number)?;
        if serial.check_digit() != check {
            return Err(FormatError::invalid(
                "serial",
                Problem::SerialCheckDigit {
                    text: text.to_owned(),
                    found: check,
                    expected: serial.check_digit(),
                },
            ));
        }
        Ok(serial)
    }

    /// The Luhn check digit of the ten-digit number.
    pub fn check_digit(self) -> u8 {
        let digits = format!("{:010}", self.0);
        let sum: u32 = digits
            .bytes()
            .rev()
            .enumerate()
            .map(|(i, b)| {
                let d = u32::from(b - b'0');
                if i % 2 == 0 {
                    let dd = d * 2;
                    if dd > 9 {
                        dd - 9
                    } else {
                        dd
                    }
                } else {
                    d
                }
            })
            .sum();
        ((10 - (sum % 10)) % 10) as u8
    }

    /// Five bytes big-endian.
    pub fn to_bytes(self) -> [u8; 5] {
        let b = self.0.to_be_bytes();
        [b[3], b[4], b[5], b[6], b[7]]
    }

    /// Decodes five bytes big-endian.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        if bytes.len() != 5 {
            return Err(FormatError::field(
                "serial",
                format!("{} bytes, expected 5", bytes.len()),
            ));
        }
        let n = bytes.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b));
        CardSerial::new(n)
    }
}

impl fmt::Display for CardSerial {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:010}-{}", self.0, self.check_digit())
    }
}

impl fmt::Debug for CardSerial {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CardSerial({self})")
    }
}

impl std::str::FromStr for CardSerial {
    type Err = FormatError;
    fn from_str(s: &str) -> Result<Self> {
        CardSerial::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_form_round_trips_and_catches_typos() {
        let s = CardSerial::new(12345).unwrap();
        let text = s.to_string();
        assert_eq!(text, "0000012345-5");
        assert_eq!(CardSerial::parse(&text).unwrap(), s);
        assert_eq!(CardSerial::parse("00000123455").unwrap(), s);
        assert!(CardSerial::parse("0000012346-5").is_err());
        assert!(CardSerial::parse("0000021345-5").is_err());
        assert!(CardSerial::parse("12345").is_err());
        assert!(CardSerial::parse("0000000000-0").is_err());
    }

    #[test]
    fn wire_form_is_five_bytes() {
        let s = CardSerial::new(CardSerial::MAX).unwrap();
        assert_eq!(CardSerial::from_bytes(&s.to_bytes()).unwrap(), s);
        assert!(CardSerial::from_bytes(&[0xFF; 5]).is_err());
        assert!(CardSerial::from_bytes(&[0; 5]).is_err());
        assert!(CardSerial::from_bytes(&[1; 4]).is_err());
    }
}
