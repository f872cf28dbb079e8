//! What the clerk reads: the holder, the entitlements with monthly amounts and authorised
//! recipients, and one verdict line saying whether to pay. Vietnamese by default, English with
//! `--lang en`.

use std::fmt::Write as _;

use asxh_core::lists::RevocationReason;
use asxh_core::view::EntitlementView;

use asxh_verdict::{Outcome, Verdict};

/// The language of human output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Lang {
    Vi,
    En,
}

fn verdict_line(outcome: Outcome, lang: Lang) -> &'static str {
    match (lang, outcome) {
        (Lang::Vi, Outcome::Valid) => "✔ HỢP LỆ — thẻ thật, đúng chủ thẻ: được chi trả",
        (Lang::Vi, Outcome::ValidQrOnly) => {
            "✔ HỢP LỆ (CHỈ MÃ QR) — dữ liệu thật; kiểm tra giấy tờ tùy thân trước khi chi trả"
        }
        (Lang::Vi, Outcome::Revoked) => "✘ THẺ ĐÃ BỊ THU HỒI — KHÔNG chi trả",
        (Lang::Vi, Outcome::NotInValidity) => "✘ THẺ HẾT HẠN hoặc CHƯA CÓ HIỆU LỰC — KHÔNG chi trả",
        (Lang::Vi, Outcome::UntrustedIssuer) => "✘ NƠI CẤP KHÔNG ĐƯỢC TIN CẬY — KHÔNG chi trả",
        (Lang::Vi, Outcome::Tampered) => {
            "✘ CHỮ KÝ SAI — DỮ LIỆU BỊ GIẢ MẠO HOẶC SỬA ĐỔI — KHÔNG chi trả"
        }
        (Lang::Vi, Outcome::CloneSuspected) => {
            "✘ NGHI THẺ SAO CHÉP — giữ thẻ, báo cán bộ phụ trách — KHÔNG chi trả"
        }
        (Lang::Vi, Outcome::CardUnusable) => "✘ THẺ BỊ KHÓA, ĐÃ HỦY hoặc CHƯA CẤP — KHÔNG chi trả",
        (Lang::Vi, Outcome::StaleRevocationData) => {
            "✘ DANH SÁCH THU HỒI QUÁ CŨ — kết nối mạng và đồng bộ trước khi chi trả"
        }
        (Lang::Vi, Outcome::ReaderError) => {
            "✘ LỖI ĐẦU ĐỌC HOẶC THẺ — rút thẻ ra, cắm lại và thử lại"
        }
        (Lang::En, Outcome::Valid) => "✔ VALID — genuine card, holder's card: pay",
        (Lang::En, Outcome::ValidQrOnly) => {
            "✔ VALID (QR ONLY) — authentic data; check an identity document before paying"
        }
        (Lang::En, Outcome::Revoked) => "✘ CARD REVOKED — do NOT pay",
        (Lang::En, Outcome::NotInValidity) => "✘ CARD EXPIRED or NOT YET VALID — do NOT pay",
        (Lang::En, Outcome::UntrustedIssuer) => "✘ UNTRUSTED ISSUER — do NOT pay",
        (Lang::En, Outcome::Tampered) => "✘ BAD SIGNATURE — FORGED OR ALTERED DATA — do NOT pay",
        (Lang::En, Outcome::CloneSuspected) => {
            "✘ CLONE SUSPECTED — keep the card, call the supervisor — do NOT pay"
        }
        (Lang::En, Outcome::CardUnusable) => {
            "✘ CARD BLOCKED, TERMINATED or NOT ISSUED — do NOT pay"
        }
        (Lang::En, Outcome::StaleRevocationData) => {
            "✘ REVOCATION LIST TOO OLD — connect and sync before paying"
        }
        (Lang::En, Outcome::ReaderError) => {
            "✘ READER OR CARD ERROR — pull the card out, insert it again and retry"
        }
    }
}

fn program_name(code: &str, lang: Lang) -> Option<&'static str> {
    Some(match (lang, code) {
        (Lang::Vi, "TGXH") => "Trợ giúp xã hội",
        (Lang::Vi, "NCC") => "Người có công",
        (Lang::Vi, "HN") => "Hộ nghèo",
        (Lang::Vi, "HCN") => "Hộ cận nghèo",
        (Lang::Vi, "BHYT") => "Bảo hiểm y tế",
        (Lang::Vi, "BHXH") => "Bảo hiểm xã hội",
        (Lang::Vi, "BHTN") => "Bảo hiểm thất nghiệp",
        (Lang::En, "TGXH") => "Social assistance",
        (Lang::En, "NCC") => "People with merit",
        (Lang::En, "HN") => "Poor household",
        (Lang::En, "HCN") => "Near-poor household",
        (Lang::En, "BHYT") => "Health insurance",
        (Lang::En, "BHXH") => "Social insurance",
        (Lang::En, "BHTN") => "Unemployment insurance",
        _ => return None,
    })
}

/// `1080000` → `1.080.000 đ` (Vietnamese thousands separator).
pub fn format_vnd(amount: u64) -> String {
    let digits = amount.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push('.');
        }
        out.push(c);
    }
    out + " đ"
}

fn entitlement_line(e: &EntitlementView, lang: Lang) -> String {
    let name = program_name(&e.program, lang)
        .map(|n| format!("{n} ({})", e.program))
        .unwrap_or_else(|| e.program.clone());
    let mut line = format!("  • {name}");
    if let Some(c) = &e.category {
        let _ = write!(
            line,
            ", {} {c}",
            if lang == Lang::Vi {
                "diện"
            } else {
                "category"
            }
        );
    }
    if let Some(a) = e.monthly_amount_vnd {
        let _ = write!(
            line,
            ": {}/{}",
            format_vnd(a),
            if lang == Lang::Vi { "tháng" } else { "month" }
        );
    }
    match (&e.valid_from, &e.valid_until) {
        (Some(f), Some(u)) => {
            let _ = write!(line, " ({f} → {u})");
        }
        (None, Some(u)) => {
            let _ = write!(
                line,
                " ({} {u})",
                if lang == Lang::Vi { "đến" } else { "until" }
            );
        }
        _ => {}
    }
    if let Some(r) = &e.authorized_recipient {
        let _ = write!(
            line,
            "\n      {}: {} ({} {})",
            if lang == Lang::Vi {
                "Người nhận thay"
            } else {
                "Authorised recipient"
            },
            r.name,
            if lang == Lang::Vi { "CCCD" } else { "ID" },
            r.id_number
        );
    }
    line
}

/// The clerk's screen for one verdict.
pub fn human(v: &Verdict, lang: Lang) -> String {
    let vi = lang == Lang::Vi;
    let mut out = String::new();
    if let Some(h) = &v.holder {
        let label =
            |vi_text: &'static str, en_text: &'static str| if vi { vi_text } else { en_text };
        let _ = writeln!(out, "{:<16} {}", label("Họ và tên:", "Name:"), h.full_name);
        let _ = writeln!(
            out,
            "{:<16} {}",
            label("Ngày sinh:", "Date of birth:"),
            h.date_of_birth
        );
        if let Some(sex) = &h.sex {
            let sex = match (vi, sex.as_str()) {
                (true, "M") => "Nam",
                (true, _) => "Nữ",
                (false, "M") => "male",
                (false, _) => "female",
            };
            let _ = writeln!(out, "{:<16} {sex}", label("Giới tính:", "Sex:"));
        }
        let _ = writeln!(
            out,
            "{:<16} {}",
            label("Số định danh:", "ID number:"),
            h.ssn
        );
        if let Some(area) = &h.area_code {
            let _ = writeln!(out, "{:<16} {area}", label("Địa bàn:", "Area:"));
        }
        let _ = writeln!(out, "{:<16} {}", label("Số thẻ:", "Card serial:"), h.serial);
        let _ = writeln!(out, "{:<16} {}", label("Hạn thẻ:", "Expires:"), h.expires);
        if let Some(office) = v.issuer.as_ref().and_then(|i| i.office_name.as_ref()) {
            let _ = writeln!(out, "{:<16} {office}", label("Nơi cấp:", "Issued by:"));
        }
        if h.entitlements.is_empty() {
            let _ = writeln!(
                out,
                "{}",
                label("Chế độ: (chưa có)", "Entitlements: (none)")
            );
        } else {
            let _ = writeln!(out, "{}", label("Chế độ được hưởng:", "Entitlements:"));
            for e in &h.entitlements {
                let _ = writeln!(out, "{}", entitlement_line(e, lang));
            }
        }
    }
    if let Some(r) = &v.revocation {
        let reason = RevocationReason::parse(&r.reason)
            .map(|r| if vi { r.vietnamese() } else { r.as_str() })
            .unwrap_or(&r.reason);
        let _ = writeln!(
            out,
            "{} {reason}",
            if vi {
                "Lý do thu hồi:"
            } else {
                "Revoked because:"
            }
        );
    }
    for reason in &v.reasons {
        let _ = writeln!(out, "{} {reason}", if vi { "Chi tiết:" } else { "Detail:" });
    }
    for warning in &v.warnings {
        let _ = writeln!(out, "{} {warning}", if vi { "Lưu ý:" } else { "Note:" });
    }
    let _ = writeln!(out, "{}", verdict_line(v.outcome, lang));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_use_the_vietnamese_thousands_separator() {
        assert_eq!(format_vnd(540_000), "540.000 đ");
        assert_eq!(format_vnd(1_080_000), "1.080.000 đ");
        assert_eq!(format_vnd(999), "999 đ");
        assert_eq!(format_vnd(1_000), "1.000 đ");
    }

    #[test]
    fn every_outcome_has_a_line_in_both_languages_saying_whether_to_pay() {
        use Outcome::*;
        for o in [
            Valid,
            ValidQrOnly,
            Revoked,
            NotInValidity,
            UntrustedIssuer,
            Tampered,
            CloneSuspected,
            CardUnusable,
            StaleRevocationData,
            ReaderError,
        ] {
            for lang in [Lang::Vi, Lang::En] {
                let line = verdict_line(o, lang);
                assert_eq!(line.starts_with('✔'), o.may_pay(), "{o:?} {lang:?}");
            }
        }
    }
}
