//! The provinces and centrally-governed cities, as shipped with the product: the 34 in force
//! since the 2025 reform (Nghị quyết 202/2025/QH15, effective 12/06/2025; codes per Quyết định
//! 19/2025/QĐ-TTg) and the 63 before it, each pre-merger province with the new one it became part
//! of (SPEC.md §4.6). Communes are too many and change too often to ship: the server imports
//! them from the official list.
//!
//! The reform reused seven codes (15, 24, 44, 52, 80, 82, 91) with a new meaning, and in every
//! case the old province of that code is part of the new province of the same code (old 24 Bắc
//! Giang is in new 24 Bắc Ninh). So the province a code lies in today does not depend on the
//! date ([`current`]); what a code was *called* does ([`on`]): a card issued in 2024 for `24`
//! was issued in Bắc Giang.

use crate::area::AreaCode;
use crate::date::Date;
use crate::error::Problem;

/// Which list a province belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Era {
    /// The 63 provinces before 12/06/2025.
    BeforeReform,
    /// The 34 provinces since 12/06/2025.
    SinceReform,
}

/// One province or centrally-governed city.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Province {
    pub code: &'static str,
    pub name: &'static str,
    pub era: Era,
    /// The province (since the reform) it is part of: its own code for a province of today.
    pub successor: &'static str,
}

/// The first day of the 34 provinces.
pub fn reform_day() -> Date {
    // 2025-06-12 is within the representable range.
    Date::from_ymd("reform", 2025, 6, 12).unwrap_or_else(|_| Date::epoch())
}

/// The last day of the 63 provinces, 2025-06-11.
pub fn last_day_before_reform() -> Date {
    Date::from_days(reform_day().days() - 1)
}

impl Province {
    /// The first day the province existed as listed here (`None`: before any card).
    pub fn valid_from(&self) -> Option<Date> {
        match self.era {
            Era::BeforeReform => None,
            Era::SinceReform => Some(reform_day()),
        }
    }

    /// The last day the province existed (`None`: it still does).
    pub fn valid_until(&self) -> Option<Date> {
        match self.era {
            Era::BeforeReform => Some(last_day_before_reform()),
            Era::SinceReform => None,
        }
    }

    /// Whether the province existed on `day`.
    pub fn valid_on(&self, day: Date) -> bool {
        self.valid_from().is_none_or(|f| f <= day) && self.valid_until().is_none_or(|u| day <= u)
    }
}

const fn new(code: &'static str, name: &'static str) -> Province {
    Province {
        code,
        name,
        era: Era::SinceReform,
        successor: code,
    }
}

const fn old(code: &'static str, name: &'static str, successor: &'static str) -> Province {
    Province {
        code,
        name,
        era: Era::BeforeReform,
        successor,
    }
}

/// Every province, the 34 of today first, each list by code.
pub const PROVINCES: &[Province] = &[
    new("01", "Hà Nội"),
    new("04", "Cao Bằng"),
    new("08", "Tuyên Quang"),
    new("11", "Điện Biên"),
    new("12", "Lai Châu"),
    new("14", "Sơn La"),
    new("15", "Lào Cai"),
    new("19", "Thái Nguyên"),
    new("20", "Lạng Sơn"),
    new("22", "Quảng Ninh"),
    new("24", "Bắc Ninh"),
    new("25", "Phú Thọ"),
    new("31", "Hải Phòng"),
    new("33", "Hưng Yên"),
    new("37", "Ninh Bình"),
    new("38", "Thanh Hóa"),
    new("40", "Nghệ An"),
    new("42", "Hà Tĩnh"),
    new("44", "Quảng Trị"),
    new("46", "Huế"),
    new("48", "Đà Nẵng"),
    new("51", "Quảng Ngãi"),
    new("52", "Gia Lai"),
    new("56", "Khánh Hòa"),
    new("66", "Đắk Lắk"),
    new("68", "Lâm Đồng"),
    new("75", "Đồng Nai"),
    new("79", "TP. Hồ Chí Minh"),
    new("80", "Tây Ninh"),
    new("82", "Đồng Tháp"),
    new("86", "Vĩnh Long"),
    new("91", "An Giang"),
    new("92", "Cần Thơ"),
    new("96", "Cà Mau"),
    old("01", "Hà Nội", "01"),
    old("02", "Hà Giang", "08"),
    old("04", "Cao Bằng", "04"),
    old("06", "Bắc Kạn", "19"),
    old("08", "Tuyên Quang", "08"),
    old("10", "Lào Cai", "15"),
    old("11", "Điện Biên", "11"),
    old("12", "Lai Châu", "12"),
    old("14", "Sơn La", "14"),
    old("15", "Yên Bái", "15"),
    old("17", "Hòa Bình", "25"),
    old("19", "Thái Nguyên", "19"),
    old("20", "Lạng Sơn", "20"),
    old("22", "Quảng Ninh", "22"),
    old("24", "Bắc Giang", "24"),
    old("25", "Phú Thọ", "25"),
    old("26", "Vĩnh Phúc", "25"),
    old("27", "Bắc Ninh", "24"),
    old("30", "Hải Dương", "31"),
    old("31", "Hải Phòng", "31"),
    old("33", "Hưng Yên", "33"),
    old("34", "Thái Bình", "33"),
    old("35", "Hà Nam", "37"),
    old("36", "Nam Định", "37"),
    old("37", "Ninh Bình", "37"),
    old("38", "Thanh Hóa", "38"),
    old("40", "Nghệ An", "40"),
    old("42", "Hà Tĩnh", "42"),
    old("44", "Quảng Bình", "44"),
    old("45", "Quảng Trị", "44"),
    old("46", "Thừa Thiên Huế", "46"),
    old("48", "Đà Nẵng", "48"),
    old("49", "Quảng Nam", "48"),
    old("51", "Quảng Ngãi", "51"),
    old("52", "Bình Định", "52"),
    old("54", "Phú Yên", "66"),
    old("56", "Khánh Hòa", "56"),
    old("58", "Ninh Thuận", "56"),
    old("60", "Bình Thuận", "68"),
    old("62", "Kon Tum", "51"),
    old("64", "Gia Lai", "52"),
    old("66", "Đắk Lắk", "66"),
    old("67", "Đắk Nông", "68"),
    old("68", "Lâm Đồng", "68"),
    old("70", "Bình Phước", "75"),
    old("72", "Tây Ninh", "80"),
    old("74", "Bình Dương", "79"),
    old("75", "Đồng Nai", "75"),
    old("77", "Bà Rịa - Vũng Tàu", "79"),
    old("79", "TP. Hồ Chí Minh", "79"),
    old("80", "Long An", "80"),
    old("82", "Tiền Giang", "82"),
    old("83", "Bến Tre", "86"),
    old("84", "Trà Vinh", "86"),
    old("86", "Vĩnh Long", "86"),
    old("87", "Đồng Tháp", "82"),
    old("89", "An Giang", "91"),
    old("91", "Kiên Giang", "91"),
    old("92", "Cần Thơ", "92"),
    old("93", "Hậu Giang", "92"),
    old("94", "Sóc Trăng", "92"),
    old("95", "Bạc Liêu", "96"),
    old("96", "Cà Mau", "96"),
];

/// The 34 provinces of today.
pub fn today() -> impl Iterator<Item = &'static Province> {
    PROVINCES.iter().filter(|p| p.era == Era::SinceReform)
}

/// The province `code` named on `day`.
pub fn on(code: &str, day: Date) -> Option<&'static Province> {
    PROVINCES.iter().find(|p| p.code == code && p.valid_on(day))
}

/// The province of today that the province `code` named (at any date) is part of: `code` itself
/// for a province of today, the successor of a pre-merger one.
pub fn current(code: &str) -> Option<&'static Province> {
    let successor = PROVINCES.iter().find(|p| p.code == code)?.successor;
    today().find(|p| p.code == successor)
}

/// The pre-merger province codes that are part of the province `code` of today, other than
/// `code` itself (`25` → `17`, `26`): the areas a province's account also reaches.
pub fn merged_into(code: &str) -> Vec<&'static str> {
    PROVINCES
        .iter()
        .filter(|p| p.era == Era::BeforeReform && p.successor == code && p.code != code)
        .map(|p| p.code)
        .collect()
}

/// `area` with its province replaced by the province of today it lies in (`26.08881` →
/// `25.08881`); `area` unchanged when its province is of today or unknown.
pub fn in_today_province(area: &AreaCode) -> AreaCode {
    match current(area.province()) {
        Some(p) if p.code != area.province() => {
            let rest = &area.as_str()[area.province().len()..];
            AreaCode::parse(&format!("{}{rest}", p.code)).unwrap_or_else(|_| area.clone())
        }
        _ => area.clone(),
    }
}

/// The province a card's area named when the card was issued and the province of today it lies
/// in (the same one unless it has merged since); `None` for a province code no list has.
pub fn then_and_now(
    area: &AreaCode,
    issued: Date,
) -> Option<(&'static Province, &'static Province)> {
    let code = area.province();
    let now = current(code)?;
    Some((on(code, issued).unwrap_or(now), now))
}

/// Whether new records (cards, offices, accounts) may take `area` on `day`: its province must
/// be one of the list in force then (SPEC.md §4.6). The error says what the code was and, for
/// a pre-merger code, which code to give instead.
pub fn check_in_force(area: &AreaCode, day: Date) -> Result<(), Box<Problem>> {
    let code = area.province();
    if on(code, day).is_some() {
        return Ok(());
    }
    Err(Box::new(
        match (on(code, last_day_before_reform()), current(code)) {
            (Some(old), Some(new)) => Problem::ProvinceMerged {
                area: area.to_string(),
                code: code.to_string(),
                old_name: old.name.to_string(),
                new_code: new.code.to_string(),
                new_name: new.name.to_string(),
                since: reform_day().to_string(),
            },
            _ => Problem::ProvinceUnknown {
                area: area.to_string(),
                code: code.to_string(),
            },
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u8, d: u8) -> Date {
        Date::from_ymd("day", y, m, d).unwrap()
    }

    #[test]
    fn there_are_34_provinces_today_and_63_before_the_reform_each_code_once_per_list() {
        for (era, count) in [(Era::SinceReform, 34), (Era::BeforeReform, 63)] {
            let codes: Vec<&str> = PROVINCES
                .iter()
                .filter(|p| p.era == era)
                .map(|p| p.code)
                .collect();
            assert_eq!(codes.len(), count, "{era:?}");
            let mut sorted = codes.clone();
            sorted.sort();
            sorted.dedup();
            assert_eq!(sorted, codes, "{era:?}: sorted and unique");
            for c in codes {
                AreaCode::parse(c).unwrap();
            }
        }
    }

    #[test]
    fn every_pre_merger_province_has_a_successor_of_today_and_every_province_today_a_predecessor() {
        for p in PROVINCES.iter().filter(|p| p.era == Era::BeforeReform) {
            assert!(current(p.code).is_some(), "{} {}", p.code, p.name);
        }
        for p in today() {
            let predecessors = PROVINCES
                .iter()
                .filter(|o| o.era == Era::BeforeReform && o.successor == p.code)
                .count();
            assert!(predecessors >= 1, "{} {}", p.code, p.name);
        }
    }

    #[test]
    fn a_reused_code_names_the_old_province_before_the_reform_and_the_new_one_after() {
        let before = day(2025, 6, 11);
        let after = reform_day();
        for (code, was, is) in [
            ("15", "Yên Bái", "Lào Cai"),
            ("24", "Bắc Giang", "Bắc Ninh"),
            ("44", "Quảng Bình", "Quảng Trị"),
            ("52", "Bình Định", "Gia Lai"),
            ("80", "Long An", "Tây Ninh"),
            ("82", "Tiền Giang", "Đồng Tháp"),
            ("91", "Kiên Giang", "An Giang"),
        ] {
            assert_eq!(on(code, before).unwrap().name, was);
            assert_eq!(on(code, after).unwrap().name, is);
            assert_eq!(
                current(code).unwrap().code,
                code,
                "the old {was} is part of the new province of its code"
            );
        }
        assert!(on("26", after).is_none(), "Vĩnh Phúc is no more");
        assert_eq!(on("26", before).unwrap().name, "Vĩnh Phúc");
    }

    #[test]
    fn a_pre_merger_area_lies_in_its_successor_province_today() {
        let old = AreaCode::parse("26.243.08881").unwrap();
        assert_eq!(in_today_province(&old).as_str(), "25.243.08881");
        let kept = AreaCode::parse("51.22903").unwrap();
        assert_eq!(in_today_province(&kept), kept);
        let unknown = AreaCode::parse("99").unwrap();
        assert_eq!(in_today_province(&unknown), unknown);
        assert_eq!(merged_into("25"), ["17", "26"]);
        assert!(merged_into("01").is_empty());
    }

    #[test]
    fn a_card_s_province_is_named_as_it_was_at_issue_with_its_province_of_today() {
        let names = |area: &str, issued: Date| {
            then_and_now(&AreaCode::parse(area).unwrap(), issued).map(|(t, n)| (t.name, n.name))
        };
        assert_eq!(
            names("26.08881", day(2024, 3, 1)),
            Some(("Vĩnh Phúc", "Phú Thọ"))
        );
        assert_eq!(
            names("24", day(2024, 3, 1)),
            Some(("Bắc Giang", "Bắc Ninh"))
        );
        assert_eq!(names("24", day(2025, 7, 1)), Some(("Bắc Ninh", "Bắc Ninh")));
        assert_eq!(
            names("26", day(2025, 7, 1)),
            Some(("Phú Thọ", "Phú Thọ")),
            "a stale code after the reform"
        );
        assert_eq!(names("99", day(2024, 1, 1)), None);
    }
}
