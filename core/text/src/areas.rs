//! Area codes as people read them: the province's name, as it was when the card was issued and,
//! when it has merged since the 2025 reform, with the province it lies in today
//! (`asxh_core::provinces`). Commune names come from the server's catalogue, not from here.

use asxh_core::{provinces, AreaCode, Date};

use crate::{Lang, Msg};

impl Lang {
    /// `51.22903 — Quảng Ngãi`, `26.08884 — Vĩnh Phúc (nay thuộc Phú Thọ)` for a card issued on
    /// `issued` (ISO; today when absent or unreadable); the code alone when no list has its
    /// province.
    pub fn area(self, code: &str, issued: Option<&str>) -> String {
        let day = issued
            .and_then(|d| Date::parse("issued", d).ok())
            .unwrap_or_else(Date::today);
        let Some((then, now)) = AreaCode::parse(code)
            .ok()
            .and_then(|a| provinces::then_and_now(&a, day))
        else {
            return code.to_owned();
        };
        if then.name == now.name {
            format!("{code} — {}", now.name)
        } else {
            format!(
                "{code} — {} ({} {})",
                then.name,
                self.text(Msg::AreaNowPartOf),
                now.name
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_area_reads_with_its_province_as_named_at_issue_and_where_it_lies_today() {
        assert_eq!(
            Lang::Vi.area("51.22903", Some("2026-01-05")),
            "51.22903 — Quảng Ngãi"
        );
        assert_eq!(
            Lang::Vi.area("26.08884", Some("2024-03-01")),
            "26.08884 — Vĩnh Phúc (nay thuộc Phú Thọ)"
        );
        assert_eq!(
            Lang::En.area("24", Some("2024-03-01")),
            "24 — Bắc Giang (now part of Bắc Ninh)"
        );
        assert_eq!(Lang::Vi.area("99.00001", None), "99.00001");
    }
}
