//! Dates on the card (SPEC.md §4.3): full calendar dates for issue, expiry and entitlement
//! validity ([`Date`], two bytes: days since 2000-01-01), and birth dates that may be known only
//! to the year or the month, as in many Vietnamese civil records ([`PartialDate`], packed BCD).

use std::fmt;

use time::Month;

use crate::error::{DateForm, FormatError, Problem, Result};

/// Vietnam's time zone, UTC+7 all year (no daylight saving time): the day and the hour people
/// read, and the date that decides a card's validity.
pub const VIETNAM: time::UtcOffset = time::macros::offset!(+7);

/// A calendar date between 2000-01-01 and 2179-06-06, the range of its two-byte wire form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(time::Date);

const EPOCH_JULIAN_DAY: i32 = 2_451_545; // 2000-01-01

impl Date {
    /// The earliest representable date, 2000-01-01.
    pub fn epoch() -> Self {
        Date::from_days(0)
    }

    /// The date `days` days after 2000-01-01.
    pub fn from_days(days: u16) -> Self {
        let julian = EPOCH_JULIAN_DAY + i32::from(days);
        Date(time::Date::from_julian_day(julian).unwrap_or(time::Date::MIN))
    }

    /// Days since 2000-01-01: the wire form.
    pub fn days(self) -> u16 {
        // In range by construction.
        u16::try_from(self.0.to_julian_day() - EPOCH_JULIAN_DAY).unwrap_or(u16::MAX)
    }

    /// Builds a date, checking the calendar and the representable range.
    pub fn from_ymd(field: &'static str, year: i32, month: u8, day: u8) -> Result<Self> {
        let month_enum = Month::try_from(month).map_err(|_| {
            FormatError::invalid(
                field,
                Problem::MonthOutOfRange {
                    month: u32::from(month),
                },
            )
        })?;
        let d = time::Date::from_calendar_date(year, month_enum, day).map_err(|_| {
            FormatError::invalid(field, Problem::NotCalendarDate { year, month, day })
        })?;
        Self::from_time(field, d)
    }

    /// Converts from a `time::Date`, checking the representable range.
    pub fn from_time(field: &'static str, d: time::Date) -> Result<Self> {
        let offset = d.to_julian_day() - EPOCH_JULIAN_DAY;
        if (0..=i32::from(u16::MAX)).contains(&offset) {
            Ok(Date(d))
        } else {
            Err(FormatError::invalid(
                field,
                Problem::DateOutOfRange {
                    date: d.to_string(),
                },
            ))
        }
    }

    /// Parses `YYYY-MM-DD`.
    pub fn parse(field: &'static str, text: &str) -> Result<Self> {
        let t = text.trim();
        let parts: Vec<&str> = t.split('-').collect();
        if parts.len() != 3 || parts[0].len() != 4 || parts[1].len() != 2 || parts[2].len() != 2 {
            return Err(form(field, text, DateForm::Iso));
        }
        let (y, m, d) = (
            digits(field, text, parts[0])?,
            digits(field, text, parts[1])?,
            digits(field, text, parts[2])?,
        );
        Self::from_ymd(field, y as i32, m as u8, d as u8)
    }

    /// Parses a date as people write it: `dd/mm/yyyy` (also `d/m/yyyy`, with `.` or `-`), or
    /// ISO `YYYY-MM-DD` (see [`PartialDate::parse_human`]).
    pub fn parse_human(field: &'static str, text: &str) -> Result<Self> {
        match PartialDate::parse_human(field, text)? {
            PartialDate::Full(y, m, d) => Self::from_ymd(field, i32::from(y), m, d),
            _ => Err(form(field, text, DateForm::Whole)),
        }
    }

    /// Today's date in Vietnam (UTC+7), the date that decides validity at a payment point.
    pub fn today() -> Self {
        let d = time::OffsetDateTime::now_utc().to_offset(VIETNAM).date();
        Date::from_time("today", d).unwrap_or_else(|_| Date::from_days(u16::MAX))
    }

    /// This date plus `years` calendar years (29 February becomes 28 February).
    pub fn add_years(self, years: u16) -> Result<Self> {
        let year = self.0.year() + i32::from(years);
        let day = self.0.day().min(self.0.month().length(year));
        Self::from_ymd("date", year, self.0.month() as u8, day)
    }

    /// The two-byte wire form.
    pub fn to_bytes(self) -> [u8; 2] {
        self.days().to_be_bytes()
    }

    /// Decodes the two-byte wire form.
    pub fn from_bytes(field: &'static str, bytes: &[u8]) -> Result<Self> {
        let arr: [u8; 2] = bytes
            .try_into()
            .map_err(|_| FormatError::field(field, format!("{} bytes, expected 2", bytes.len())))?;
        Ok(Date::from_days(u16::from_be_bytes(arr)))
    }

    pub fn year(self) -> i32 {
        self.0.year()
    }
    pub fn month(self) -> u8 {
        self.0.month() as u8
    }
    pub fn day(self) -> u8 {
        self.0.day()
    }

    /// The date as Vietnamese readers write it, `dd/mm/yyyy` (the card face, reports, consoles;
    /// [`Display`](fmt::Display) stays ISO for files and the wire's JSON views).
    pub fn vi(self) -> String {
        format!("{:02}/{:02}/{:04}", self.day(), self.month(), self.year())
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02}",
            self.year(),
            self.month(),
            self.day()
        )
    }
}

fn digits(field: &'static str, whole: &str, part: &str) -> Result<u32> {
    if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
        return Err(not_digits(field, whole));
    }
    part.parse().map_err(|_| not_digits(field, whole))
}

fn not_digits(field: &'static str, text: &str) -> FormatError {
    FormatError::invalid(
        field,
        Problem::DateNotDigits {
            text: text.to_owned(),
        },
    )
}

fn form(field: &'static str, text: &str, expected: DateForm) -> FormatError {
    FormatError::invalid(
        field,
        Problem::DateForm {
            text: text.to_owned(),
            expected,
        },
    )
}

/// A date of birth known to the year, the month or the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PartialDate {
    Year(u16),
    YearMonth(u16, u8),
    Full(u16, u8, u8),
}

/// Birth years a card can carry: the SSN's century digit starts at 1900.
const BIRTH_YEARS: std::ops::RangeInclusive<u16> = 1900..=2399;

impl PartialDate {
    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub fn parse(field: &'static str, text: &str) -> Result<Self> {
        let t = text.trim();
        let parts: Vec<&str> = t.split('-').collect();
        let lens: Vec<usize> = parts.iter().map(|p| p.len()).collect();
        let nums = parts
            .iter()
            .map(|p| digits(field, text, p))
            .collect::<Result<Vec<u32>>>()
            .map_err(|_| form(field, text, DateForm::IsoPartial))?;
        let date = match (lens.as_slice(), nums.as_slice()) {
            ([4], [y]) => PartialDate::Year(*y as u16),
            ([4, 2], [y, m]) => PartialDate::YearMonth(*y as u16, *m as u8),
            ([4, 2, 2], [y, m, d]) => PartialDate::Full(*y as u16, *m as u8, *d as u8),
            _ => return Err(form(field, text, DateForm::IsoPartial)),
        };
        date.checked(field)
    }

    /// Parses a date of birth as offices write it: `dd/mm/yyyy`, `mm/yyyy` or `yyyy` (the day
    /// and month may have one digit, and `.` or `-` may stand for `/`), or ISO `YYYY-MM-DD`,
    /// `YYYY-MM`. The day always comes first, as in Vietnam: `08/19/1946` is refused, not read
    /// as 19 August. A time after an ISO date (`1946-08-19 00:00:00`, as databases export it) is
    /// ignored.
    pub fn parse_human(field: &'static str, text: &str) -> Result<Self> {
        let t = text.trim();
        let iso = t.len() >= 5 && t.as_bytes()[4] == b'-';
        if iso || !t.contains(['/', '.', '-']) {
            let date = t.split([' ', 'T']).next().unwrap_or(t);
            // A date in the right form but not on the calendar keeps its own problem.
            return Self::parse(field, date).map_err(|e| match e.problem() {
                Some(Problem::DateForm { .. } | Problem::DateNotDigits { .. }) => {
                    form(field, text, DateForm::Partial)
                }
                _ => e,
            });
        }
        let parts: Vec<&str> = t.split(['/', '.', '-']).collect();
        let short = |p: &&str| (1..=2).contains(&p.len());
        let numbers = parts
            .iter()
            .map(|p| digits(field, text, p))
            .collect::<Result<Vec<u32>>>();
        let date = match (parts.as_slice(), numbers) {
            ([d, m, y], Ok(n)) if short(d) && short(m) && y.len() == 4 => {
                PartialDate::Full(n[2] as u16, n[1] as u8, n[0] as u8)
            }
            ([m, y], Ok(n)) if short(m) && y.len() == 4 => {
                PartialDate::YearMonth(n[1] as u16, n[0] as u8)
            }
            _ => return Err(form(field, text, DateForm::Partial)),
        };
        date.checked(field).map_err(|e| match (date, e) {
            (PartialDate::Full(_, m, _), FormatError::InvalidField(f)) if m > 12 => {
                FormatError::invalid(
                    field,
                    Problem::DayFirst {
                        text: text.to_owned(),
                        problem: f.problem,
                    },
                )
            }
            (_, e) => e,
        })
    }

    fn checked(self, field: &'static str) -> Result<Self> {
        let year = self.year();
        if !BIRTH_YEARS.contains(&year) {
            return Err(FormatError::invalid(
                field,
                Problem::BirthYearOutOfRange { year },
            ));
        }
        match self {
            PartialDate::Year(_) => {}
            PartialDate::YearMonth(_, m) => {
                if !(1..=12).contains(&m) {
                    return Err(FormatError::invalid(
                        field,
                        Problem::MonthOutOfRange {
                            month: u32::from(m),
                        },
                    ));
                }
            }
            PartialDate::Full(y, m, d) => {
                let month = Month::try_from(m).map_err(|_| {
                    FormatError::invalid(
                        field,
                        Problem::MonthOutOfRange {
                            month: u32::from(m),
                        },
                    )
                })?;
                time::Date::from_calendar_date(i32::from(y), month, d).map_err(|_| {
                    FormatError::invalid(
                        field,
                        Problem::NotCalendarDate {
                            year: i32::from(y),
                            month: m,
                            day: d,
                        },
                    )
                })?;
            }
        }
        Ok(self)
    }

    pub fn year(self) -> u16 {
        match self {
            PartialDate::Year(y) | PartialDate::YearMonth(y, _) | PartialDate::Full(y, _, _) => y,
        }
    }

    /// The date as Vietnamese readers write it: `dd/mm/yyyy`, or `mm/yyyy` and `yyyy` for the
    /// parts a record does not know ([`Display`](fmt::Display) stays ISO).
    pub fn vi(self) -> String {
        match self {
            PartialDate::Year(y) => format!("{y:04}"),
            PartialDate::YearMonth(y, m) => format!("{m:02}/{y:04}"),
            PartialDate::Full(y, m, d) => format!("{d:02}/{m:02}/{y:04}"),
        }
    }

    /// Packed BCD: 2, 3 or 4 bytes (YYYY, YYYYMM, YYYYMMDD).
    pub fn to_bcd(self) -> Vec<u8> {
        let text: String = self.to_string().chars().filter(|c| *c != '-').collect();
        text.as_bytes()
            .chunks(2)
            .map(|p| ((p[0] - b'0') << 4) | (p[1] - b'0'))
            .collect()
    }

    /// Decodes packed BCD of 2, 3 or 4 bytes.
    pub fn from_bcd(field: &'static str, bytes: &[u8]) -> Result<Self> {
        if !(2..=4).contains(&bytes.len()) {
            return Err(FormatError::field(
                field,
                format!(
                    "{} bytes, expected 2, 3 or 4 (BCD YYYY[MM[DD]])",
                    bytes.len()
                ),
            ));
        }
        let mut text = String::new();
        for (i, b) in bytes.iter().enumerate() {
            let (hi, lo) = (b >> 4, b & 0x0F);
            if hi > 9 || lo > 9 {
                return Err(FormatError::field(
                    field,
                    format!("byte {b:02X} is not BCD"),
                ));
            }
            if i == 2 || i == 3 {
                text.push('-');
            }
            text.push(char::from(b'0' + hi));
            text.push(char::from(b'0' + lo));
        }
        PartialDate::parse(field, &text)
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PartialDate::Year(y) => write!(f, "{y:04}"),
            PartialDate::YearMonth(y, m) => write!(f, "{y:04}-{m:02}"),
            PartialDate::Full(y, m, d) => write!(f, "{y:04}-{m:02}-{d:02}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_wire_form_is_days_since_2000() {
        let d = Date::parse("d", "2000-01-31").unwrap();
        assert_eq!(d.to_bytes(), [0, 30]);
        let d = Date::parse("d", "2026-11-25").unwrap();
        assert_eq!(Date::from_bytes("d", &d.to_bytes()).unwrap(), d);
        assert_eq!(Date::from_days(u16::MAX).to_string(), "2179-06-06");
    }

    #[test]
    fn date_rejects_out_of_range_and_non_calendar() {
        assert!(Date::parse("d", "1999-12-31").is_err());
        assert!(Date::parse("d", "2025-02-29").is_err());
        assert!(Date::parse("d", "2025-2-01").is_err());
        assert!(Date::parse("d", "2179-06-07").is_err());
    }

    #[test]
    fn partial_dates_round_trip_through_bcd() {
        for s in ["1946", "1946-08", "1946-08-19", "2004-02-29"] {
            let d = PartialDate::parse("dob", s).unwrap();
            assert_eq!(d.to_string(), s);
            assert_eq!(PartialDate::from_bcd("dob", &d.to_bcd()).unwrap(), d);
        }
        assert_eq!(
            PartialDate::parse("dob", "1946-08").unwrap().to_bcd(),
            vec![0x19, 0x46, 0x08]
        );
    }

    #[test]
    fn partial_date_rejects_bad_months_days_and_years() {
        for s in [
            "1946-13",
            "1946-00",
            "1946-02-30",
            "1899",
            "19460",
            "abcd",
            "",
            "1946-8",
        ] {
            assert!(PartialDate::parse("dob", s).is_err(), "{s}");
        }
        assert!(PartialDate::from_bcd("dob", &[0x19, 0x4A]).is_err());
    }

    #[test]
    fn vietnamese_display_is_day_month_year_with_unknown_parts_left_out() {
        assert_eq!(Date::parse("d", "2026-11-05").unwrap().vi(), "05/11/2026");
        assert_eq!(Date::epoch().vi(), "01/01/2000");
        for (iso, vi) in [
            ("1946-08-19", "19/08/1946"),
            ("1946-08", "08/1946"),
            ("1946", "1946"),
        ] {
            assert_eq!(PartialDate::parse("dob", iso).unwrap().vi(), vi);
        }
    }

    #[test]
    fn dates_are_read_as_offices_write_them() {
        for (written, iso) in [
            ("19/08/1946", "1946-08-19"),
            ("9/8/1946", "1946-08-09"),
            ("19.08.1946", "1946-08-19"),
            ("19-08-1946", "1946-08-19"),
            ("08/1946", "1946-08"),
            ("8/1946", "1946-08"),
            ("1946", "1946"),
            (" 1946-08-19 ", "1946-08-19"),
            ("1946-08", "1946-08"),
            ("1946-08-19 00:00:00", "1946-08-19"),
            ("1946-08-19T00:00:00", "1946-08-19"),
        ] {
            let d = PartialDate::parse_human("dob", written)
                .unwrap_or_else(|e| panic!("{written}: {e}"));
            assert_eq!(d.to_string(), iso, "{written}");
        }
        assert_eq!(
            Date::parse_human("from", "01/01/2026").unwrap().to_string(),
            "2026-01-01"
        );
        assert!(Date::parse_human("from", "01/2026").is_err());
    }

    #[test]
    fn a_written_date_that_is_not_one_says_what_is_expected() {
        for bad in [
            "30/02/1946",
            "19/8/46",
            "1946/08/19",
            "19/08/1946/1",
            "13/1946",
            "ngày 19",
            "",
        ] {
            assert!(PartialDate::parse_human("dob", bad).is_err(), "{bad}");
        }
        let us = PartialDate::parse_human("dob", "08/19/1946").unwrap_err();
        assert!(us.to_string().contains("the day comes first"), "{us}");
        let e = PartialDate::parse_human("dob", "19/8/46").unwrap_err();
        assert!(e.to_string().contains("dd/mm/yyyy"), "{e}");
    }

    #[test]
    fn add_years_clamps_leap_day() {
        let d = Date::parse("d", "2024-02-29").unwrap();
        assert_eq!(d.add_years(1).unwrap().to_string(), "2025-02-28");
    }
}
