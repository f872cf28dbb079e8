//! What the clerk reads: the holder, the entitlements with monthly amounts and authorised
//! recipients, and one verdict line saying whether to pay, in the texts of the catalogue
//! (asxh-text): Vietnamese by default, English with `--lang en`.

use std::fmt::Write as _;

use asxh_core::view::EntitlementView;
use asxh_text::format::date;
use asxh_text::{Catalogued, Lang, Msg};

use asxh_verdict::roll::PaymentLine;
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
    from_roll: bool,
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
    // §17.4: where a roll is held its amounts win; the card's is never shown as payable.
    match e.monthly_amount_vnd {
        _ if from_roll => {
            let _ = write!(line, " {}", t(Msg::RollAmountsFromRoll));
        }
        Some(a) => {
            let _ = write!(line, ": {}/{}", lang.money(a), t(Msg::PerMonth));
        }
        None => {}
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
            let area = lang.area(area, h.issued.as_deref());
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
                let line = entitlement_line(e, v.entitlements.get(i), v.roll.is_some(), lang);
                let _ = writeln!(out, "{line}");
            }
        }
    }
    if let Some(roll) = &v.roll {
        let _ = writeln!(
            out,
            "{}",
            asxh_text::message::fill(
                t(Msg::RollHeading),
                &[
                    ("month", date(&roll.month)),
                    ("version", roll.version.to_string()),
                ],
            )
        );
        for l in &v.lines {
            let _ = writeln!(out, "{}", roll_line(l, lang));
        }
    }
    if let Some(r) = &v.revocation {
        let _ = writeln!(out, "{} {}", t(Msg::RevokedBecause), lang.reason(&r.reason));
    }
    for reason in &v.reasons {
        let _ = writeln!(out, "{} {}", t(Msg::Detail), reason.text(lang));
    }
    for warning in &v.warnings {
        let _ = writeln!(out, "{} {}", t(Msg::Note), warning.text(lang));
    }
    let _ = writeln!(out, "{}", verdict_text(v, lang));
    out
}

/// The verdict line of the clerk's screen: whether to pay, with the age of old lists.
pub fn verdict_text(v: &Verdict, lang: Lang) -> String {
    let verdict = match v.outcome {
        Outcome::NothingPayable if v.roll.is_some() => Msg::VerdictNothingDueOnRoll,
        other => verdict_line(other),
    };
    format!(
        "{}{}{}",
        lang.text(verdict),
        data_age(v, lang),
        roll_age(v, lang)
    )
}

/// Whether a line of the roll may be paid now, or why not.
pub fn line_status(l: &PaymentLine) -> Msg {
    match (l.payable, l.line.status.as_str()) {
        (true, _) => Msg::RollLinePayable,
        (false, "paid") => Msg::RollLinePaid,
        (false, "suspended") => Msg::RollLineSuspended,
        (false, "stopped") => Msg::RollLineStopped,
        (false, "paid_by_account") => Msg::RollLinePaidByAccount,
        (false, _) => Msg::RollLineOutsideDates,
    }
}

/// What a paid line is, as the receipt and the day's list show it: program, kind and months.
pub fn paid_line(l: &crate::store::ReceiptLine, lang: Lang) -> String {
    let name = lang
        .program(&l.program)
        .map(|n| format!("{n} ({})", l.program))
        .unwrap_or_else(|| l.program.clone());
    let kind = match l.kind.as_str() {
        "arrears" => Msg::RollKindArrears,
        "one_off" => Msg::RollKindOneOff,
        _ => Msg::RollKindMonthly,
    };
    let months = if l.first_month == l.last_month {
        date(&l.first_month)
    } else {
        format!("{} → {}", date(&l.first_month), date(&l.last_month))
    };
    format!("{name}, {} {months}", lang.text(kind))
}

/// One line of the roll: program, kind and months, the roll's amount, whether to pay it, and
/// who may collect it.
fn roll_line(l: &PaymentLine, lang: Lang) -> String {
    let t = |m| lang.text(m);
    let r = &l.line;
    let name = lang
        .program(&r.program)
        .map(|n| format!("{n} ({})", r.program))
        .unwrap_or_else(|| r.program.clone());
    let kind = match r.kind.as_str() {
        "arrears" => Msg::RollKindArrears,
        "one_off" => Msg::RollKindOneOff,
        _ => Msg::RollKindMonthly,
    };
    let months = if r.first_month == r.last_month {
        date(&r.first_month)
    } else {
        format!("{} → {}", date(&r.first_month), date(&r.last_month))
    };
    let status = line_status(l);
    let mut line = format!(
        "  • {name}, {} {months}: {} — {}",
        t(kind),
        lang.money(r.amount_vnd),
        t(status)
    );
    match &r.recipient {
        None => {
            let _ = write!(line, "\n      {}", t(Msg::RollCollectorHolder));
        }
        Some(p) => {
            let role = if p.role == "guardian" {
                Msg::RollCollectorGuardian
            } else {
                Msg::RollCollectorAuthorised
            };
            let _ = write!(
                line,
                "\n      {}: {} ({} {})",
                t(role),
                p.name,
                t(Msg::IdCard),
                p.id_number
            );
            if let Some(until) = &p.valid_until {
                let _ = write!(line, ", {} {}", t(Msg::RollValidUntil), date(until));
            }
        }
    }
    line
}

/// ` (danh sách chi trả cập nhật cách đây 2 ngày)`, or nothing when the roll is fresh.
fn roll_age(v: &Verdict, lang: Lang) -> String {
    match v.roll.as_ref().map(|r| r.age_seconds) {
        Some(a) if a >= SAY_AGE_FROM => format!(
            " ({} {} {})",
            lang.text(Msg::RollDataAge),
            a / 86_400,
            lang.text(Msg::DaysAgo)
        ),
        _ => String::new(),
    }
}

/// The short label of an outcome's code (`valid_qr_only`), for a line of the journal; an unknown
/// code as it is.
pub fn journal_outcome(code: &str, lang: Lang) -> &str {
    let Some(outcome) = Outcome::ALL.into_iter().find(|o| o.as_str() == code) else {
        return code;
    };
    lang.text(match outcome {
        Outcome::Valid => Msg::JournalValid,
        Outcome::ValidQrOnly => Msg::JournalValidQrOnly,
        Outcome::ValidStaleData => Msg::JournalValidStaleData,
        Outcome::ValidQrOnlyStaleData => Msg::JournalValidQrOnlyStaleData,
        Outcome::Revoked => Msg::JournalRevoked,
        Outcome::NotInValidity => Msg::JournalNotInValidity,
        Outcome::UntrustedIssuer => Msg::JournalUntrustedIssuer,
        Outcome::Tampered => Msg::JournalTampered,
        Outcome::CloneSuspected => Msg::JournalCloneSuspected,
        Outcome::CardUnusable => Msg::JournalCardUnusable,
        Outcome::StaleRevocationData => Msg::JournalStaleRevocationData,
        Outcome::ReaderError => Msg::JournalReaderError,
        Outcome::NotACardQr => Msg::JournalNotACardQr,
        Outcome::NothingPayable => Msg::JournalNothingPayable,
    })
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
    use asxh_core::view::CredentialView;
    use asxh_testkit as testkit;
    use asxh_verdict::verdict::{IssuerInfo, ListInfo, RevocationInfo};
    use asxh_verdict::Finding;

    /// English that once reached the Vietnamese counter screen (the detail and note lines, the
    /// sync's times), as whole words.
    const ENGLISH_THAT_LEAKED: &[&str] = &[
        "the",
        "is",
        "of",
        "and",
        "not",
        "no",
        "card",
        "Card",
        "revoked",
        "expired",
        "valid",
        "issuer",
        "list",
        "only",
        "QR only",
        "authentic",
        "PIN check",
        "wrong",
        "tries",
        "left",
        "UTC",
        "days",
        "ago",
        "Detail",
        "Note",
        "Name",
        "male",
        "female",
        "lost",
        "stolen",
        "promised",
        "check",
        "clock",
        "copied",
        "holder",
        "Entitlements",
        "month",
        "until",
    ];

    /// A verdict of `outcome` carrying every finding as a reason and as a note, for a holder with
    /// entitlements, an issuer and a revocation: every kind of line the screen can show.
    fn everything(outcome: asxh_verdict::Outcome) -> Verdict {
        let key = testkit::issuer_key();
        let body = testkit::credential_body(
            7,
            testkit::sample_holder(),
            key.verifying_key(),
            &key,
            testkit::entitlements(3),
        );
        let mut v = Verdict::new("card", 1_795_615_380);
        v.holder = Some(CredentialView::from(&body));
        v.issuer = Some(IssuerInfo {
            key_id_hex: "ab".repeat(8),
            office: Some("QNG-01".into()),
            office_name: Some("Sở Lao động – Thương binh và Xã hội Quảng Ngãi".into()),
            area: Some("51".into()),
            status: Some("active".into()),
        });
        v.revocation = Some(RevocationInfo {
            reason: "lost".into(),
            list_version: 3,
        });
        v.revocation_list = Some(ListInfo {
            version: 3,
            issued_at: 1_795_000_000,
            next_update: 1_795_100_000,
            age_seconds: 8 * 86_400,
        });
        v.warnings = Finding::examples();
        v.reasons = Finding::examples();
        v.conclude(outcome, None)
    }

    #[test]
    fn the_journal_names_each_outcome_in_words() {
        assert_eq!(journal_outcome("valid_qr_only", Lang::Vi), "Chỉ có mã QR");
        assert_eq!(journal_outcome("revoked", Lang::En), "revoked");
        assert_eq!(journal_outcome("something_new", Lang::Vi), "something_new");
    }

    #[test]
    fn the_vietnamese_counter_screen_shows_none_of_the_english_that_used_to_leak() {
        for outcome in asxh_verdict::Outcome::ALL {
            let screen = human(&everything(outcome), Lang::Vi);
            // What is quoted as a command to type, or is a code of the card's interface, is not
            // a sentence in English.
            let words: Vec<&str> = screen
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .collect();
            let found: Vec<&&str> = ENGLISH_THAT_LEAKED
                .iter()
                .filter(|e| {
                    if e.contains(' ') {
                        screen.contains(**e)
                    } else {
                        words.contains(e)
                    }
                })
                .collect();
            assert!(found.is_empty(), "{outcome:?} shows {found:?}:\n{screen}");
            let english = human(&everything(outcome), Lang::En);
            assert!(english.contains("is revoked (lost)"), "{english}");
        }
    }

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
