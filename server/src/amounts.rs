//! Amount rules (issue 18): what a decision pays each month is computed, never typed. Social
//! assistance is the base level (mức chuẩn trợ giúp xã hội) × the category's coefficient (hệ
//! số, Decree 20/2021/NĐ-CP); base levels change by decree from a month (360,000 đ to 500,000 đ
//! on 2024-07, Decree 76/2024/NĐ-CP) and a province may set a higher one. Where no coefficient
//! rule exists (people with merit) the amount is a fixed one from a table. A holder in several
//! categories of one program is paid the highest only.

use asxh_core::lists::Month;
use asxh_core::{AreaCode, ProgramCode};

/// A coefficient in hundredths, kept exact (1.5 is 150).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Coefficient(pub u32);

/// A base level of a program, in force from a month: national (`province` is `None`) or a
/// province's own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseLevel {
    pub program: ProgramCode,
    /// The province (a two-digit area code) whose level this is; `None`: the national one.
    pub province: Option<AreaCode>,
    pub from: Month,
    pub amount_vnd: u64,
}

/// How a category's monthly amount is found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// The program's base level × the coefficient.
    Coefficient(Coefficient),
    /// A fixed amount from a table (people with merit).
    Fixed(u64),
}

/// The base level of `program` for a beneficiary of `area` in `month`: the latest national
/// level in force then, or the latest level of the area's province if that is higher (a
/// province may pay more than the national level, never less). `None` when no level is in
/// force.
pub fn base_level(
    levels: &[BaseLevel],
    program: &ProgramCode,
    area: &AreaCode,
    month: Month,
) -> Option<u64> {
    let latest = |provincial: bool| {
        levels
            .iter()
            .filter(|l| &l.program == program && l.from <= month)
            .filter(|l| match &l.province {
                None => !provincial,
                Some(p) => provincial && p.contains(area),
            })
            .max_by_key(|l| l.from)
            .map(|l| l.amount_vnd)
    };
    match (latest(false), latest(true)) {
        (Some(n), Some(p)) => Some(n.max(p)),
        (n, p) => n.or(p),
    }
}

/// The monthly amount of `rule` on `base` (the program's base level, when it has one): base ×
/// coefficient ÷ 100, rounded half up to the đồng. `None` for a coefficient rule without a base
/// level.
pub fn amount(rule: Rule, base: Option<u64>) -> Option<u64> {
    match rule {
        Rule::Fixed(a) => Some(a),
        Rule::Coefficient(Coefficient(c)) => base.map(|b| (b * u64::from(c) + 50) / 100),
    }
}

/// Of the amounts `(program, amount)` one holder is due, the highest of each program only (one
/// entry per program, in the order the programs first appear).
pub fn highest_per_program<T: Clone>(due: &[(ProgramCode, u64, T)]) -> Vec<(ProgramCode, u64, T)> {
    let mut out: Vec<(ProgramCode, u64, T)> = Vec::new();
    for (program, amount, what) in due {
        match out.iter_mut().find(|(p, _, _)| p == program) {
            Some(best) if best.1 < *amount => *best = (program.clone(), *amount, what.clone()),
            Some(_) => {}
            None => out.push((program.clone(), *amount, what.clone())),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn month(text: &str) -> Month {
        Month::parse("month", text).unwrap()
    }

    fn level(province: Option<&str>, from: &str, amount: u64) -> BaseLevel {
        BaseLevel {
            program: ProgramCode::parse("TGXH").unwrap(),
            province: province.map(|p| AreaCode::parse(p).unwrap()),
            from: month(from),
            amount_vnd: amount,
        }
    }

    #[test]
    fn the_base_level_in_force_is_the_latest_and_a_province_may_only_raise_it() {
        let tgxh = ProgramCode::parse("TGXH").unwrap();
        let commune = AreaCode::parse("51.22903").unwrap();
        let elsewhere = AreaCode::parse("01.00004").unwrap();
        let levels = [
            level(None, "2021-07", 360_000),
            level(None, "2024-07", 500_000),
            level(Some("51"), "2023-01", 400_000),
        ];
        let at = |area: &AreaCode, m: &str| base_level(&levels, &tgxh, area, month(m));
        assert_eq!(at(&commune, "2021-06"), None, "before any decree");
        assert_eq!(at(&elsewhere, "2022-12"), Some(360_000));
        assert_eq!(
            at(&commune, "2023-01"),
            Some(400_000),
            "the province pays more"
        );
        assert_eq!(
            at(&elsewhere, "2023-01"),
            Some(360_000),
            "only in its province"
        );
        assert_eq!(
            at(&commune, "2024-07"),
            Some(500_000),
            "the new national level overtakes the province's"
        );
        assert_eq!(
            base_level(
                &levels,
                &ProgramCode::parse("NCC").unwrap(),
                &commune,
                month("2026-01")
            ),
            None
        );
    }

    #[test]
    fn an_amount_is_the_base_times_the_exact_coefficient_or_the_tables() {
        assert_eq!(
            amount(Rule::Coefficient(Coefficient(150)), Some(500_000)),
            Some(750_000)
        );
        assert_eq!(
            amount(Rule::Coefficient(Coefficient(100)), Some(360_000)),
            Some(360_000)
        );
        assert_eq!(
            amount(Rule::Coefficient(Coefficient(333)), Some(100_001)),
            Some(333_003),
            "333,003.33 rounds to the đồng"
        );
        assert_eq!(amount(Rule::Coefficient(Coefficient(150)), None), None);
        assert_eq!(amount(Rule::Fixed(2_789_000), None), Some(2_789_000));
    }

    #[test]
    fn a_holder_in_several_categories_of_one_program_is_paid_the_highest_only() {
        let p = |c: &str| ProgramCode::parse(c).unwrap();
        let due = [
            (p("TGXH"), 500_000, "NCT80"),
            (p("NCC"), 2_789_000, "TB-81"),
            (p("TGXH"), 1_000_000, "NKT-DB-NANG"),
            (p("TGXH"), 750_000, "NKT-NANG"),
        ];
        assert_eq!(
            highest_per_program(&due),
            [
                (p("TGXH"), 1_000_000, "NKT-DB-NANG"),
                (p("NCC"), 2_789_000, "TB-81")
            ]
        );
    }
}
