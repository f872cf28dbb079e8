//! The error of the data formats: what is wrong with a value, a credential, a QR payload or a
//! list, each variant naming what was wrong and what was expected. Failures of talking to a card
//! are `card::CardIoError`, a type of their own.
//!
//! A value people type (a form, a batch row, the command line) that is refused carries a typed
//! [`Problem`] with its data, so the tools word it for a clerk from the catalogue (asxh-text);
//! the `Display` here is the English of logs, the API and JSON output.

use std::fmt;

use crate::Sex;

/// A value or an encoding that is not acceptable: bad input from a form or a CSV row, bytes that
/// do not decode, or a signature that does not verify.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FormatError {
    /// A value (from a form, a CSV row, a credential body) is not acceptable.
    #[error("invalid {0}")]
    InvalidField(FieldError),
    /// Bytes that should be BER-TLV (or another binary format) are not well formed.
    #[error("malformed {context}: {problem}")]
    Malformed {
        context: &'static str,
        problem: String,
    },
    /// Well-formed TLV, but not the tag the format requires at this place.
    #[error("{context}: expected tag {expected}, found {found}")]
    UnexpectedTag {
        context: &'static str,
        expected: String,
        found: String,
    },
    /// The issuer's signature does not verify over the body.
    #[error("signature of the {context} does not verify with key {key_id}")]
    BadSignature {
        context: &'static str,
        key_id: String,
    },
}

/// Which field was invalid and why, with what was expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {problem}")]
pub struct FieldError {
    /// The field's name as the formats and the API spell it (`ssn`, `date_of_birth`).
    pub field: &'static str,
    /// Boxed: a problem carries what was found and what was expected, and a `Result` stays small.
    pub problem: Box<Problem>,
}

/// The forms a date may be asked in, for [`Problem::DateForm`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateForm {
    /// `YYYY-MM-DD`.
    Iso,
    /// `dd/mm/yyyy` or `YYYY-MM-DD`, a whole date.
    Whole,
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    IsoPartial,
    /// `dd/mm/yyyy`, `mm/yyyy` or `yyyy`.
    Partial,
    /// `YYYY-MM`.
    Month,
}

impl DateForm {
    pub const ALL: [DateForm; 5] = [
        DateForm::Iso,
        DateForm::Whole,
        DateForm::IsoPartial,
        DateForm::Partial,
        DateForm::Month,
    ];
}

/// What is wrong with a value, with what was found and what was expected. The variants up to
/// [`Problem::Encoding`] are about values people type; `Encoding` is about bytes no one types
/// (a card's, a list's), whose detail is for the technician.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// An SSN that is not 12 digits.
    SsnNotTwelveDigits {
        text: String,
    },
    /// An SSN whose first three digits are not a birth-registration province, 001 to 099.
    SsnProvince {
        text: String,
    },
    /// The SSN's sex digit disagrees with the holder's sex.
    SsnSexDisagrees {
        ssn: String,
        encoded: Sex,
        holder: Sex,
    },
    /// The SSN's century and year digits disagree with the date of birth.
    SsnBirthYearDisagrees {
        ssn: String,
        year: u16,
        date_of_birth: String,
    },
    /// A name with a control character (a tab, a line break).
    NameControlCharacter {
        code: u32,
    },
    NameEmpty,
    NameTooLong {
        bytes: usize,
        max: usize,
    },
    /// A name with a character that is neither a letter nor a space, hyphen, apostrophe or period.
    NameCharacter {
        found: char,
    },
    NameNoLetter,
    /// A card serial number outside 1 to `max`.
    SerialOutOfRange {
        number: u64,
        max: u64,
    },
    /// Not 10 digits, a dash and a check digit.
    SerialForm {
        text: String,
    },
    /// The check digit does not match: the serial was mistyped.
    SerialCheckDigit {
        text: String,
        found: u8,
        expected: u8,
    },
    /// A PIN that is not 4 to 8 digits.
    PinForm,
    /// An administration code that is not 8 to 16 printable ASCII characters without spaces.
    AdminCodeForm,
    /// Not a province code, optionally with a district and a commune code.
    AreaCodeForm {
        text: String,
    },
    /// A province code that is no longer in force: it was merged into `new_code`.
    ProvinceMerged {
        area: String,
        code: String,
        old_name: String,
        new_code: String,
        new_name: String,
        since: String,
    },
    /// A province code that is in no list of provinces.
    ProvinceUnknown {
        area: String,
        code: String,
    },
    SexForm {
        text: String,
    },
    OfficeCodeForm {
        text: String,
    },
    ProgramForm {
        text: String,
    },
    CategoryForm {
        text: String,
    },
    /// An identity document number that is not 12 digits (or 9, an old identity card).
    IdNumberForm {
        text: String,
    },
    /// A date, or a part of one, not written in the form asked for.
    DateForm {
        text: String,
        expected: DateForm,
    },
    /// A date in the right form that has a part that is not digits.
    DateNotDigits {
        text: String,
    },
    MonthOutOfRange {
        month: u32,
    },
    /// A day the calendar does not have (30 February).
    NotCalendarDate {
        year: i32,
        month: u8,
        day: u8,
    },
    /// A date a card cannot hold: before 2000-01-01 or after 2179-06-06.
    DateOutOfRange {
        date: String,
    },
    /// A year of birth outside 1900 to 2399.
    BirthYearOutOfRange {
        year: u16,
    },
    /// A date whose "month" is above 12: probably written month first.
    DayFirst {
        text: String,
        problem: Box<Problem>,
    },
    /// A month (of a payment roll) outside 2000-01 to 2179-12.
    RollMonthOutOfRange {
        text: String,
    },
    /// An end before a start (a card's expiry before its issue, an entitlement's end before its
    /// start, a roll item's last month before its first).
    EndsBeforeStart {
        end: String,
        start: String,
        start_field: &'static str,
    },
    /// More entitlements than a card holds.
    TooManyEntitlements {
        count: usize,
        max: usize,
    },
    /// An amount in đồng outside 1 to `max`.
    AmountOutOfRange {
        amount: u64,
        max: u64,
    },
    /// A code that is not one of a fixed set of codes.
    NotOneOf {
        text: String,
        choices: &'static str,
    },
    /// Bytes (a card's, a list's, a payload's) that are not what the format says, with the
    /// technician's detail.
    Encoding(String),
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use Problem as P;
        match self {
            P::SsnNotTwelveDigits { text } => {
                write!(f, "{text:?} is not 12 digits (expected e.g. 051146000123)")
            }
            P::SsnProvince { text } if text.starts_with("000") => write!(
                f,
                "{text:?} has province code 000, expected a birth-registration province code 001 to 099"
            ),
            P::SsnProvince { text } => write!(
                f,
                "{text:?} has province code {}, expected 001 to 099",
                text.get(..3).unwrap_or(text)
            ),
            P::SsnSexDisagrees {
                ssn,
                encoded,
                holder,
            } => write!(
                f,
                "{ssn} encodes sex {} (digit 4 = {}), but the holder's sex is {}",
                encoded.code(),
                ssn.as_bytes().get(3).map_or('?', |b| char::from(*b)),
                holder.code()
            ),
            P::SsnBirthYearDisagrees {
                ssn,
                year,
                date_of_birth,
            } => write!(
                f,
                "{ssn} encodes birth year {year}, but the date of birth is {date_of_birth}"
            ),
            P::NameControlCharacter { code } => {
                write!(f, "contains the control character U+{code:04X}")
            }
            P::NameEmpty => f.write_str("is empty"),
            P::NameTooLong { bytes, max } => {
                write!(f, "is {bytes} bytes of UTF-8, at most {max} allowed")
            }
            P::NameCharacter { found } => write!(
                f,
                "contains {found:?} (U+{:04X}); only letters, spaces, hyphens, apostrophes and periods are allowed",
                *found as u32
            ),
            P::NameNoLetter => f.write_str("contains no letter"),
            P::SerialOutOfRange { number, max } => write!(f, "{number} is outside 1 to {max}"),
            P::SerialForm { text } => write!(
                f,
                "{text:?} is not a card serial (expected 10 digits, a dash and a check digit, e.g. 0000012345-5)"
            ),
            P::SerialCheckDigit {
                text,
                found,
                expected,
            } => write!(
                f,
                "{text:?} has check digit {found}, expected {expected}: the serial is mistyped"
            ),
            P::PinForm => f.write_str("must be 4 to 8 digits"),
            P::AdminCodeForm => {
                f.write_str("must be 8 to 16 printable ASCII characters without spaces")
            }
            P::AreaCodeForm { text } => write!(
                f,
                "{text:?} is not an area code: expected the province's 2-digit code, then optionally a 3-digit district and a 5-digit commune code, dot-separated (51, 51.22903, 51.429.22903)"
            ),
            P::ProvinceMerged {
                area,
                code,
                old_name,
                new_code,
                new_name,
                since,
            } => write!(
                f,
                "{area}: province {code} ({old_name}) is part of {new_code} {new_name} since {since}; give the code of today"
            ),
            P::ProvinceUnknown { area, code } => {
                write!(f, "{area}: province {code} is in no list of provinces")
            }
            P::SexForm { text } => write!(f, "{text:?} is not a sex (expected M or F)"),
            P::OfficeCodeForm { text } => write!(
                f,
                "{text:?} is not an office code (expected 2 to 16 of A-Z 0-9 - _)"
            ),
            P::ProgramForm { text } => write!(
                f,
                "{text:?} is not a program code (expected 2 to 8 letters or digits, e.g. TGXH, NCC, HN, HCN, BHYT, BHXH, BHTN)"
            ),
            P::CategoryForm { text } => write!(
                f,
                "{text:?} is not a category code (expected 1 to 16 of A-Z 0-9 . _ -)"
            ),
            P::IdNumberForm { text } => write!(
                f,
                "{text:?} is not an ID number (expected 12 digits, or 9 for an old identity card)"
            ),
            P::DateForm { text, expected } => match expected {
                DateForm::Iso => write!(f, "{text:?} is not a date YYYY-MM-DD"),
                DateForm::Whole => {
                    write!(f, "{text:?} is not a whole date dd/mm/yyyy (or YYYY-MM-DD)")
                }
                DateForm::IsoPartial => write!(f, "{text:?} is not YYYY, YYYY-MM or YYYY-MM-DD"),
                DateForm::Partial => {
                    write!(f, "{text:?} is not a date dd/mm/yyyy, mm/yyyy or yyyy")
                }
                DateForm::Month => write!(f, "{text:?} is not a month YYYY-MM"),
            },
            P::DateNotDigits { text } => write!(f, "{text:?} contains a non-digit"),
            P::MonthOutOfRange { month } => write!(f, "month {month} is not 1 to 12"),
            P::NotCalendarDate { year, month, day } => {
                write!(f, "{year:04}-{month:02}-{day:02} is not a calendar date")
            }
            P::DateOutOfRange { date } => write!(f, "{date} is outside 2000-01-01 to 2179-06-06"),
            P::BirthYearOutOfRange { year } => write!(f, "year {year} is outside 1900 to 2399"),
            P::DayFirst { text, problem } => {
                write!(f, "{text:?}: {problem} (the day comes first: dd/mm/yyyy)")
            }
            P::RollMonthOutOfRange { text } => {
                write!(f, "{text} is not a month from 2000-01 to 2179-12")
            }
            P::EndsBeforeStart {
                end,
                start,
                start_field,
            } => write!(f, "{end} is before {start_field} {start}"),
            P::TooManyEntitlements { count, max } => {
                write!(f, "{count} entitlements, at most {max} fit on a card")
            }
            P::AmountOutOfRange { amount, max } => write!(
                f,
                "{amount} is outside 1 to {max} VND (leave it out when the program pays no amount)"
            ),
            P::NotOneOf { text, choices } => write!(f, "{text:?} is not one of {choices}"),
            P::Encoding(detail) => f.write_str(detail),
        }
    }
}

impl Problem {
    /// One value of each variant (the catalogue test of asxh-text walks them).
    pub fn examples() -> Vec<Problem> {
        use Problem as P;
        let mut all = vec![
            P::SsnNotTwelveDigits {
                text: "05114600012".into(),
            },
            P::SsnProvince {
                text: "000146000123".into(),
            },
            P::SsnSexDisagrees {
                ssn: "051146000123".into(),
                encoded: Sex::Female,
                holder: Sex::Male,
            },
            P::SsnBirthYearDisagrees {
                ssn: "051146000123".into(),
                year: 1946,
                date_of_birth: "1950".into(),
            },
            P::NameControlCharacter { code: 9 },
            P::NameEmpty,
            P::NameTooLong {
                bytes: 130,
                max: 120,
            },
            P::NameCharacter { found: '@' },
            P::NameNoLetter,
            P::SerialOutOfRange {
                number: 0,
                max: 9_999_999_999,
            },
            P::SerialForm {
                text: "12345".into(),
            },
            P::SerialCheckDigit {
                text: "0000012345-4".into(),
                found: 4,
                expected: 5,
            },
            P::PinForm,
            P::AdminCodeForm,
            P::AreaCodeForm { text: "7".into() },
            P::ProvinceMerged {
                area: "26.08884".into(),
                code: "26".into(),
                old_name: "Vĩnh Phúc".into(),
                new_code: "25".into(),
                new_name: "Phú Thọ".into(),
                since: "2025-07-01".into(),
            },
            P::ProvinceUnknown {
                area: "99".into(),
                code: "99".into(),
            },
            P::SexForm { text: "X".into() },
            P::OfficeCodeForm { text: "Q".into() },
            P::ProgramForm {
                text: "Trợ cấp".into(),
            },
            P::CategoryForm { text: "".into() },
            P::IdNumberForm {
                text: "12345".into(),
            },
            P::DateNotDigits {
                text: "1950-0a-01".into(),
            },
            P::MonthOutOfRange { month: 13 },
            P::NotCalendarDate {
                year: 1950,
                month: 2,
                day: 30,
            },
            P::DateOutOfRange {
                date: "1999-12-31".into(),
            },
            P::BirthYearOutOfRange { year: 1850 },
            P::DayFirst {
                text: "08/19/1946".into(),
                problem: Box::new(P::MonthOutOfRange { month: 19 }),
            },
            P::RollMonthOutOfRange {
                text: "1999-12".into(),
            },
            P::EndsBeforeStart {
                end: "2026-01-01".into(),
                start: "2026-06-01".into(),
                start_field: "valid_from",
            },
            P::TooManyEntitlements { count: 9, max: 8 },
            P::AmountOutOfRange {
                amount: 0,
                max: 999_999_999,
            },
            P::NotOneOf {
                text: "weekly".into(),
                choices: "monthly, arrears, one_off",
            },
            P::Encoding("3 bytes, expected 6 (BCD)".into()),
        ];
        all.extend(DateForm::ALL.map(|expected| P::DateForm {
            text: "19/08".into(),
            expected,
        }));
        all
    }
}

impl FormatError {
    /// A value refused for `problem`.
    pub fn invalid(field: &'static str, problem: Problem) -> Self {
        FormatError::InvalidField(FieldError {
            field,
            problem: Box::new(problem),
        })
    }

    /// Bytes of `field` that do not decode ([`Problem::Encoding`], a technician's detail).
    pub fn field(field: &'static str, problem: impl Into<String>) -> Self {
        Self::invalid(field, Problem::Encoding(problem.into()))
    }

    /// Builds a [`FormatError::Malformed`].
    pub fn malformed(context: &'static str, problem: impl Into<String>) -> Self {
        FormatError::Malformed {
            context,
            problem: problem.into(),
        }
    }

    /// The stable, machine-readable kind used in the test vectors' `expect` and in JSON output:
    /// `malformed`, `wrong_tag`, `invalid_field` or `bad_signature`. Code that decides something
    /// matches on the variants instead.
    pub fn kind(&self) -> &'static str {
        match self {
            FormatError::InvalidField(_) => "invalid_field",
            FormatError::Malformed { .. } => "malformed",
            FormatError::UnexpectedTag { .. } => "wrong_tag",
            FormatError::BadSignature { .. } => "bad_signature",
        }
    }

    /// The field this error is about, when it is about one.
    pub fn field_name(&self) -> Option<&'static str> {
        match self {
            FormatError::InvalidField(f) => Some(f.field),
            _ => None,
        }
    }

    /// The problem of a refused value; any other error as an [`Problem::Encoding`] with its
    /// English text as detail.
    pub fn into_problem(self) -> Box<Problem> {
        match self {
            FormatError::InvalidField(f) => f.problem,
            other => Box::new(Problem::Encoding(other.to_string())),
        }
    }

    /// What is wrong with the field, when the error is about one.
    pub fn problem(&self) -> Option<&Problem> {
        match self {
            FormatError::InvalidField(f) => Some(&*f.problem),
            _ => None,
        }
    }
}

/// Result alias for the formats of asxh-core.
pub type Result<T, E = FormatError> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    /// The variant's place in the enum; a new variant fails to compile here until it is given
    /// one, and then fails the test until it has an example.
    fn variant(p: &Problem) -> usize {
        use Problem as P;
        match p {
            P::SsnNotTwelveDigits { .. } => 0,
            P::SsnProvince { .. } => 1,
            P::SsnSexDisagrees { .. } => 2,
            P::SsnBirthYearDisagrees { .. } => 3,
            P::NameControlCharacter { .. } => 4,
            P::NameEmpty => 5,
            P::NameTooLong { .. } => 6,
            P::NameCharacter { .. } => 7,
            P::NameNoLetter => 8,
            P::SerialOutOfRange { .. } => 9,
            P::SerialForm { .. } => 10,
            P::SerialCheckDigit { .. } => 11,
            P::PinForm => 12,
            P::AdminCodeForm => 13,
            P::AreaCodeForm { .. } => 14,
            P::ProvinceMerged { .. } => 15,
            P::ProvinceUnknown { .. } => 16,
            P::SexForm { .. } => 17,
            P::OfficeCodeForm { .. } => 18,
            P::ProgramForm { .. } => 19,
            P::CategoryForm { .. } => 20,
            P::IdNumberForm { .. } => 21,
            P::DateForm { .. } => 22,
            P::DateNotDigits { .. } => 23,
            P::MonthOutOfRange { .. } => 24,
            P::NotCalendarDate { .. } => 25,
            P::DateOutOfRange { .. } => 26,
            P::BirthYearOutOfRange { .. } => 27,
            P::DayFirst { .. } => 28,
            P::RollMonthOutOfRange { .. } => 29,
            P::EndsBeforeStart { .. } => 30,
            P::TooManyEntitlements { .. } => 31,
            P::AmountOutOfRange { .. } => 32,
            P::NotOneOf { .. } => 33,
            P::Encoding(_) => 34,
        }
    }

    #[test]
    fn every_problem_has_an_example_for_the_catalogue_test() {
        let mut seen: Vec<usize> = Problem::examples().iter().map(variant).collect();
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(seen, (0..35).collect::<Vec<_>>());
    }

    #[test]
    fn the_english_of_logs_and_json_is_as_before() {
        let e = FormatError::invalid(
            "ssn",
            Problem::SsnProvince {
                text: "000146000123".into(),
            },
        );
        assert_eq!(
            e.to_string(),
            "invalid ssn: \"000146000123\" has province code 000, expected a birth-registration province code 001 to 099"
        );
        assert_eq!(e.kind(), "invalid_field");
        assert_eq!(e.field_name(), Some("ssn"));
    }
}
