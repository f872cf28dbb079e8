//! What the clerk reads: the holder, the entitlements with monthly amounts and authorised
//! recipients, and one verdict line saying whether to pay, in the texts of the catalogue
//! (asxh-text): Vietnamese by default, English with `--lang en`.

use std::fmt::Write as _;

use asxh_core::view::EntitlementView;
use asxh_text::format::date;
use asxh_text::{Lang, Msg};

use asxh_verdict::standing::{EntitlementStanding, Standing};
use asxh_verdict::{Outcome, Verdict};

/// The verdict line of an outcome, saying whether to pay.
fn verdict_line(outcome: Outcome) -> Msg {
    match outcome {
        Outcome::Valid => Msg::VerdictValid,
        Outcome::ValidQrOnly => Msg::VerdictValidQrOnly,
        Outcome::ValidStaleData => Msg::VerdictValidStaleData,
        Outcome::ValidQrOnlyStaleData => Msg::VerdictValidQrOnlyStaleData,
        Outcome::Revoked => Msg::VerdictRevoked,
        Outcome::NotInValidity => Msg::VerdictNotInValidity,
        Outcome::NothingPayable => Msg::VerdictNothingPayable,
        Outcome::UntrustedIssuer => Msg::VerdictUntrustedIssuer,
        Outcome::Tampered => Msg::VerdictTampered,
        Outcome::CloneSuspected => Msg::VerdictCloneSuspected,
        Outcome::CardUnusable => Msg::VerdictCardUnusable,
        Outcome::StaleRevocationData => Msg::VerdictStaleRevocationData,
        Outcome::ReaderError => Msg::VerdictReaderError,
        Outcome::NotACardQr => Msg::VerdictNotACardQr,
    }
}

fn entitlement_line(
    e: &EntitlementView,
    standing: Option<&EntitlementStanding>,
    lang: Lang,
) -> String {
    let t = |m| lang.text(m);
    let name = lang
        .program(&e.program)
        .map(|n| format!("{n} ({})", e.program))
        .unwrap_or_else(|| e.program.clone());
    let mut line = format!("  • {name}");
    if let Some(c) = &e.category {
        let _ = write!(line, ", {} {c}", t(Msg::Category));
    }
    if let Some(a) = e.monthly_amount_vnd {
        let _ = write!(line, ": {}/{}", lang.money(a), t(Msg::PerMonth));
    }
    match (&e.valid_from, &e.valid_until) {
        (Some(f), Some(u)) => {
            let _ = write!(line, " ({} → {})", date(f), date(u));
        }
        (None, Some(u)) => {
            let _ = write!(line, " ({} {})", t(Msg::Until), date(u));
        }
        _ => {}
    }
    if let Some(r) = &e.authorized_recipient {
        let _ = write!(
            line,
            "\n      {}: {} ({} {})",
            t(Msg::AuthorisedRecipient),
            r.name,
            t(Msg::IdCard),
            r.id_number
        );
    }
    if let Some(s) = standing {
        let _ = write!(line, "{}", not_payable(s, lang));
    }
    line
}

/// `\n      ✘ KHÔNG chi trả: …` under an entitlement outside its dates today, nothing under a
/// payable one.
fn not_payable(s: &EntitlementStanding, lang: Lang) -> String {
    let why = match s.standing {
        Standing::Payable => return String::new(),
        Standing::Ended => Msg::EntitlementEnded,
        Standing::NotYetStarted => Msg::EntitlementNotYetStarted,
    };
    let on = s.date.as_deref().map(date).unwrap_or_default();
    format!("\n      {} {on}", lang.text(why))
}

/// The clerk's screen for one verdict.
pub fn human(v: &Verdict, lang: Lang) -> String {
    let t = |m| lang.text(m);
    let mut out = String::new();
    if let Some(h) = &v.holder {
        let _ = writeln!(out, "{:<22} {}", t(Msg::HolderName), h.full_name);
        let _ = writeln!(
            out,
            "{:<22} {}",
            t(Msg::HolderDateOfBirth),
            date(&h.date_of_birth)
        );
        if let Some(sex) = &h.sex {
            let sex = if sex == "M" {
                Msg::ScreenMale
            } else {
                Msg::ScreenFemale
            };
            let _ = writeln!(out, "{:<22} {}", t(Msg::HolderSex), t(sex));
        }
        let _ = writeln!(out, "{:<22} {}", t(Msg::HolderIdNumber), h.ssn);
        if let Some(area) = &h.area_code {
            let _ = writeln!(out, "{:<22} {area}", t(Msg::HolderArea));
        }
        let _ = writeln!(out, "{:<22} {}", t(Msg::CardSerial), h.serial);
        let _ = writeln!(out, "{:<22} {}", t(Msg::CardExpires), date(&h.expires));
        if let Some(office) = v.issuer.as_ref().and_then(|i| i.office_name.as_ref()) {
            let _ = writeln!(out, "{:<22} {office}", t(Msg::CardIssuedBy));
        }
        if h.entitlements.is_empty() {
            let _ = writeln!(out, "{}", t(Msg::EntitlementsNone));
        } else {
            let _ = writeln!(out, "{}", t(Msg::EntitlementsHeading));
            for (i, e) in h.entitlements.iter().enumerate() {
                let line = entitlement_line(e, v.entitlements.get(i), lang);
                let _ = writeln!(out, "{line}");
            }
        }
    }
    if let Some(r) = &v.revocation {
        let _ = writeln!(out, "{} {}", t(Msg::RevokedBecause), lang.reason(&r.reason));
    }
    for reason in &v.reasons {
        let _ = writeln!(out, "{} {reason}", t(Msg::Detail));
    }
    for warning in &v.warnings {
        let _ = writeln!(out, "{} {warning}", t(Msg::Note));
    }
    let _ = writeln!(out, "{}{}", t(verdict_line(v.outcome)), data_age(v, lang));
    out
}

/// Revocation data a day old or more is said on the verdict line itself: how many days.
const SAY_AGE_FROM: i64 = 24 * 3600;

/// ` (dữ liệu thu hồi cập nhật cách đây 8 ngày)`, or nothing when the data is fresh.
fn data_age(v: &Verdict, lang: Lang) -> String {
    let t = |m| lang.text(m);
    match v.revocation_list.as_ref().map(|l| l.age_seconds) {
        Some(a) if a >= SAY_AGE_FROM => format!(
            " ({} {} {})",
            t(Msg::RevocationDataAge),
            a / 86_400,
            t(Msg::DaysAgo)
        ),
        Some(a) if a < -(asxh_verdict::check::CLOCK_SKEW.as_secs() as i64) => {
            format!(" ({})", t(Msg::RevocationDataFromTheFuture))
        }
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_outcome_has_a_line_in_both_languages_whose_mark_says_whether_and_how_to_pay() {
        for o in Outcome::ALL {
            for lang in Lang::ALL {
                let line = lang.text(verdict_line(o));
                let mark = match o {
                    Outcome::Valid => '✔',
                    _ if o.may_pay() => '⚠',
                    _ => '✘',
                };
                assert!(line.starts_with(mark), "{o:?} {lang:?}: {line}");
            }
        }
    }
}
