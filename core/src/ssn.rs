//! The social security number: the 12-digit personal identification number (số định danh cá
//! nhân). Digits 1–3 are the birth-registration province code, digit 4 the century and sex
//! (0/1 = 1900s male/female, 2/3 = 2000s, 4/5 = 2100s, ...), digits 5–6 the last two digits of
//! the birth year, digits 7–12 a sequence number (SPEC.md §4.4).

use std::fmt;

use crate::date::PartialDate;
use crate::error::{FormatError, Problem, Result};
use crate::sex::Sex;

/// A 12-digit SSN of valid shape. Agreement with a holder's sex and birth year is checked by
/// [`Ssn::check_holder`], which [`crate::Holder::new`] always calls.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Ssn([u8; 12]);

impl Ssn {
    /// Parses 12 ASCII digits (spaces around are ignored). The province code must not be 000.
    pub fn parse(text: &str) -> Result<Self> {
        let t = text.trim();
        if t.len() != 12 || !t.bytes().all(|b| b.is_ascii_digit()) {
            return Err(FormatError::invalid(
                "ssn",
                Problem::SsnNotTwelveDigits { text: t.to_owned() },
            ));
        }
        let mut digits = [0u8; 12];
        for (d, b) in digits.iter_mut().zip(t.bytes()) {
            *d = b - b'0';
        }
        if !Self::province_is_valid(&digits) {
            return Err(FormatError::invalid(
                "ssn",
                Problem::SsnProvince { text: t.to_owned() },
            ));
        }
        Ok(Ssn(digits))
    }

    /// The birth-registration province code (the first three digits) is 001–099.
    fn province_is_valid(digits: &[u8; 12]) -> bool {
        digits[0] == 0 && digits[..3] != [0, 0, 0]
    }

    /// The three-digit birth-registration province code.
    pub fn province_code(&self) -> u16 {
        u16::from(self.0[0]) * 100 + u16::from(self.0[1]) * 10 + u16::from(self.0[2])
    }

    /// The sex encoded in digit 4 (even: male, odd: female).
    pub fn sex(&self) -> Sex {
        if self.0[3] % 2 == 0 {
            Sex::Male
        } else {
            Sex::Female
        }
    }

    /// The birth year encoded in digits 4–6.
    pub fn birth_year(&self) -> u16 {
        1900 + u16::from(self.0[3] / 2) * 100 + u16::from(self.0[4]) * 10 + u16::from(self.0[5])
    }

    /// Checks that the SSN agrees with the holder's sex and year of birth.
    pub fn check_holder(&self, sex: Sex, date_of_birth: PartialDate) -> Result<()> {
        if self.sex() != sex {
            return Err(FormatError::invalid(
                "ssn",
                Problem::SsnSexDisagrees {
                    ssn: self.to_string(),
                    encoded: self.sex(),
                    holder: sex,
                },
            ));
        }
        if self.birth_year() != date_of_birth.year() {
            return Err(FormatError::invalid(
                "ssn",
                Problem::SsnBirthYearDisagrees {
                    ssn: self.to_string(),
                    year: self.birth_year(),
                    date_of_birth: date_of_birth.to_string(),
                },
            ));
        }
        Ok(())
    }

    /// Six bytes of packed BCD, the wire form.
    pub fn to_bcd(&self) -> [u8; 6] {
        let mut out = [0u8; 6];
        for (o, pair) in out.iter_mut().zip(self.0.chunks(2)) {
            *o = (pair[0] << 4) | pair[1];
        }
        out
    }

    /// Decodes six bytes of packed BCD.
    pub fn from_bcd(bytes: &[u8]) -> Result<Self> {
        if bytes.len() != 6 {
            return Err(FormatError::field(
                "ssn",
                format!("{} bytes, expected 6 (BCD)", bytes.len()),
            ));
        }
        let mut text = String::with_capacity(12);
        for b in bytes {
            for nibble in [b >> 4, b & 0x0F] {
                if nibble > 9 {
                    return Err(FormatError::field(
                        "ssn",
                        format!("byte {b:02X} is not BCD"),
                    ));
                }
                text.push(char::from(b'0' + nibble));
            }
        }
        Ssn::parse(&text)
    }

    /// The 12 digits read as one integer (the payment roll's order and gaps, SPEC.md §17).
    pub fn number(&self) -> u64 {
        self.0.iter().fold(0, |n, d| n * 10 + u64::from(*d))
    }

    /// The SSN whose 12 digits read as `n` (below 10¹²), checked as [`Ssn::parse`] checks.
    pub fn from_number(n: u64) -> Result<Self> {
        if n >= 1_000_000_000_000 {
            return Err(FormatError::field(
                "ssn",
                format!("{n} has more than 12 digits"),
            ));
        }
        let mut digits = [0u8; 12];
        let mut rest = n;
        for d in digits.iter_mut().rev() {
            *d = (rest % 10) as u8;
            rest /= 10;
        }
        if Self::province_is_valid(&digits) {
            // Without text: a roll checks every one of its 400,000 SSNs on every load.
            Ok(Ssn(digits))
        } else {
            Ssn::parse(&format!("{n:012}"))
        }
    }

    /// The 12 digits.
    pub fn as_string(&self) -> String {
        self.0.iter().map(|d| char::from(b'0' + d)).collect()
    }
}

impl fmt::Display for Ssn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.as_string())
    }
}

impl fmt::Debug for Ssn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Ssn({self})")
    }
}

impl std::str::FromStr for Ssn {
    type Err = FormatError;
    fn from_str(s: &str) -> Result<Self> {
        Ssn::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn century_and_sex_digit_decode() {
        let s = Ssn::parse("051146000123").unwrap();
        assert_eq!(s.province_code(), 51);
        assert_eq!(s.sex(), Sex::Female);
        assert_eq!(s.birth_year(), 1946);
        let s = Ssn::parse("001204000001").unwrap();
        assert_eq!((s.sex(), s.birth_year()), (Sex::Male, 2004));
        let s = Ssn::parse("001501000001").unwrap();
        assert_eq!((s.sex(), s.birth_year()), (Sex::Female, 2101));
    }

    #[test]
    fn bad_shapes_are_rejected_with_the_field_named() {
        for bad in [
            "05114600012",
            "0511460001234",
            "05114600012a",
            "000146000123",
            "151146000123",
            "",
        ] {
            let e = Ssn::parse(bad).unwrap_err();
            assert_eq!(e.field_name(), Some("ssn"), "{bad}");
        }
    }

    #[test]
    fn disagreement_with_sex_or_birth_year_is_an_error() {
        let s = Ssn::parse("051146000123").unwrap();
        assert!(s.check_holder(Sex::Female, PartialDate::Year(1946)).is_ok());
        assert!(s.check_holder(Sex::Male, PartialDate::Year(1946)).is_err());
        assert!(s
            .check_holder(Sex::Female, PartialDate::Year(1947))
            .is_err());
        assert!(s
            .check_holder(Sex::Female, PartialDate::Year(2046))
            .is_err());
    }

    #[test]
    fn an_ssn_from_a_number_is_the_one_its_twelve_digits_parse_to() {
        for n in [
            0u64,
            999_999_999,
            1_000_000_000,
            51_146_000_123,
            99_999_999_999,
            100_000_000_000,
            999_999_999_999,
        ] {
            let text = format!("{n:012}");
            match (Ssn::from_number(n), Ssn::parse(&text)) {
                (Ok(a), Ok(b)) => assert_eq!(a, b, "{n}"),
                (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string(), "{n}"),
                (a, b) => panic!("{n}: {a:?} against {b:?}"),
            }
        }
        assert!(Ssn::from_number(1_000_000_000_000).is_err());
    }

    #[test]
    fn bcd_round_trip() {
        let s = Ssn::parse("051146000123").unwrap();
        assert_eq!(s.to_bcd(), [0x05, 0x11, 0x46, 0x00, 0x01, 0x23]);
        assert_eq!(Ssn::from_bcd(&s.to_bcd()).unwrap(), s);
        assert!(Ssn::from_bcd(&[0x05, 0x11, 0x46, 0x00, 0x01, 0x2A]).is_err());
    }
}
