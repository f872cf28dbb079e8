//! Numbers, sums of money and times as people read them: counts grouped by thousands (`12.345`
//! in Vietnamese, `12,345` in English), money in đồng (`540.000 đ`), times in Vietnam's local time
//! with the day first (`25/11/2026 21:03`), dates of the JSON views (ISO) day first
//! (`19/08/1946`, `08/1946`, `1946`). Every tool and page writes them through here, so the console
//! and the counter screen never disagree.

use asxh_core::date::VIETNAM;
use asxh_core::{Date, PartialDate};
use time::OffsetDateTime;

use crate::Lang;

fn grouped(n: u64, separator: char) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(separator);
        }
        out.push(c);
    }
    out
}

impl Lang {
    /// A count: `12.345` (Vietnamese), `12,345` (English).
    pub fn count(self, n: u64) -> String {
        match self {
            Lang::Vi => grouped(n, '.'),
            Lang::En => grouped(n, ','),
        }
    }

    /// A sum in đồng: `540.000 đ` (Vietnamese), `540,000 VND` (English).
    pub fn money(self, vnd: u64) -> String {
        match self {
            Lang::Vi => format!("{} đ", grouped(vnd, '.')),
            Lang::En => format!("{} VND", grouped(vnd, ',')),
        }
    }

    /// A length of time to the second, largest units first: `8 ngày 2 giờ` (Vietnamese),
    /// `8days 2h` (English, as the command lines' `7d`, `12h` options are written).
    pub fn duration(self, seconds: u64) -> String {
        let units: [(u64, &str, &str); 4] = [
            (86_400, " ngày", "days"),
            (3_600, " giờ", "h"),
            (60, " phút", "m"),
            (1, " giây", "s"),
        ];
        let mut left = seconds;
        let mut parts = Vec::new();
        for (size, vi, en) in units {
            let n = left / size;
            left %= size;
            if n > 0 {
                let unit = match self {
                    Lang::Vi => vi,
                    Lang::En if n == 1 && size == 86_400 => "day",
                    Lang::En => en,
                };
                parts.push(format!("{n}{unit}"));
            }
        }
        if parts.is_empty() {
            return match self {
                Lang::Vi => "0 giây".into(),
                Lang::En => "0s".into(),
            };
        }
        parts.join(" ")
    }
}

/// A Unix time as `25/11/2026 21:03`, in Vietnam's local time, in both languages. A time before
/// 1970 or past year 9999 (never a real event) is written as its number of seconds.
pub fn local_time(unix_seconds: i64) -> String {
    let local = OffsetDateTime::from_unix_timestamp(unix_seconds)
        .ok()
        .filter(|_| unix_seconds >= 0)
        .and_then(|t| t.checked_to_offset(VIETNAM));
    match local {
        Some(t) => format!(
            "{:02}/{:02}/{:04} {:02}:{:02}",
            t.day(),
            u8::from(t.month()),
            t.year(),
            t.hour(),
            t.minute()
        ),
        None => unix_seconds.to_string(),
    }
}

/// A date of a JSON view or a file, written ISO (`1946-08-19`, `1946-08`, `1946`), as people
/// read it (`19/08/1946`, `08/1946`, `1946`); anything else is shown as it is.
pub fn date(iso: &str) -> String {
    if let Ok(d) = Date::parse("date", iso) {
        return d.vi();
    }
    match PartialDate::parse("date", iso) {
        Ok(d) => d.vi(),
        Err(_) => iso.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_grouped_by_thousands_as_each_language_writes_them() {
        assert_eq!(Lang::Vi.count(0), "0");
        assert_eq!(Lang::Vi.count(999), "999");
        assert_eq!(Lang::Vi.count(12_345), "12.345");
        assert_eq!(Lang::En.count(1_234_567), "1,234,567");
    }

    #[test]
    fn money_is_written_in_dong() {
        assert_eq!(Lang::Vi.money(540_000), "540.000 đ");
        assert_eq!(Lang::Vi.money(1_080_000), "1.080.000 đ");
        assert_eq!(Lang::Vi.money(999), "999 đ");
        assert_eq!(Lang::En.money(540_000), "540,000 VND");
    }

    #[test]
    fn durations_are_written_largest_unit_first() {
        assert_eq!(Lang::Vi.duration(8 * 86_400 + 2 * 3600), "8 ngày 2 giờ");
        assert_eq!(Lang::En.duration(8 * 86_400 + 2 * 3600), "8days 2h");
        assert_eq!(Lang::En.duration(86_400 + 61), "1day 1m 1s");
        assert_eq!(Lang::Vi.duration(600), "10 phút");
        assert_eq!(Lang::En.duration(1), "1s");
        assert_eq!(Lang::Vi.duration(0), "0 giây");
    }

    #[test]
    fn dates_are_written_day_first_whole_or_partial() {
        assert_eq!(date("1946-08-19"), "19/08/1946");
        assert_eq!(date("1946-08"), "08/1946");
        assert_eq!(date("1946"), "1946");
        assert_eq!(date("not a date"), "not a date");
    }

    #[test]
    fn times_are_vietnam_local_time_day_first() {
        // 2026-11-25 14:03 UTC is 21:03 in Hanoi.
        assert_eq!(local_time(1_795_615_380), "25/11/2026 21:03");
        // 17:00 UTC on 31 December is already the new year in Vietnam.
        assert_eq!(local_time(1_798_736_400), "01/01/2027 00:00");
        assert_eq!(local_time(951_782_400 - 7 * 3600), "29/02/2000 00:00");
        assert_eq!(local_time(-30_000), "-30000");
    }
}
