//! What a verification found, with its data: the reasons of a verdict that is not valid and the
//! notes the clerk should read even when it is. Each finding is written through the catalogue
//! (asxh-text), in Vietnamese on the clerk's screen by default; the JSON form keeps its English
//! text, as the stable schema always had it.

use asxh_core::card::LifeCycle;
use asxh_core::lists::{OfficeCode, RevocationReason};
use asxh_core::{CardSerial, Date, IssuerKeyId};
use asxh_text::message::Args;
use asxh_text::{labels, local_time, Catalogued, Lang, Msg};
use serde::{Serialize, Serializer};

/// One thing a verification found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finding {
    NoTrustList,
    IssuerUnknown {
        key: IssuerKeyId,
    },
    IssuerRevoked {
        key: IssuerKeyId,
        office: OfficeCode,
    },
    IssuerKeyNotYetValid {
        key: IssuerKeyId,
        from: Date,
    },
    IssuedOutsideKeyValidity {
        issued: Date,
        from: Date,
        until: Date,
    },
    Revoked {
        serial: CardSerial,
        reason: RevocationReason,
    },
    NotYetValid {
        from: Date,
    },
    Expired {
        on: Date,
    },
    NoRevocationList,
    NoRevocationData,
    /// The revocation data is dated this many seconds in this point's future.
    RevocationDataFromTheFuture {
        ahead_seconds: u64,
    },
    RevocationDataTooOld {
        age_seconds: u64,
        allowed_seconds: u64,
    },
    /// The trust list's next update (Unix time) has passed.
    TrustListOverdue {
        version: u64,
        next_update: u64,
    },
    RevocationListOverdue {
        version: u64,
        next_update: u64,
    },
    /// The revocation list is signed (Unix time) in this point's future (`now`).
    RevocationListFromTheFuture {
        issued_at: u64,
        now: u64,
    },
    SelectFailed {
        detail: String,
    },
    CardBlocked,
    CardTerminated,
    CardNeverIssued {
        state: LifeCycle,
    },
    ReadFailed {
        detail: String,
    },
    CredentialMalformed {
        detail: String,
    },
    CredentialNamesNoIssuer {
        detail: String,
    },
    QrNamesNoIssuer {
        detail: String,
    },
    SignatureInvalid {
        detail: String,
    },
    SerialMismatch {
        announced: CardSerial,
        credential: CardSerial,
    },
    WrongPin {
        tries_left: u8,
    },
    PinBlocked,
    NoPinSet,
    PinCheckFailed {
        detail: String,
    },
    ActiveAuthRefused {
        detail: String,
    },
    ActiveAuthFailed {
        detail: String,
    },
    CopiedCredential,
    PinNotConfirmed,
    NotACardQr {
        detail: String,
    },
    QrOnly,
    /// No card could be connected to in the reader (none inserted, no reader, pcscd down).
    ReaderUnavailable {
        detail: String,
    },
    EmulatorUnopenable {
        path: String,
        detail: String,
    },
    /// The roll of the point's area for the month has no entry for the holder.
    NotInRoll {
        area: String,
        month: String,
    },
    /// The holder's lines on the roll are all paid, suspended, stopped or outside the card's
    /// dates.
    NoLineDue {
        month: String,
    },
    /// The point holds no roll of its area for the month: the card's amounts stand, as a note.
    NoRoll {
        area: String,
        month: String,
    },
    RollOverdue {
        version: u64,
        next_update: u64,
    },
}

/// A month `YYYY-MM` as the clerk reads it (`12/2026`).
fn month_vi(month: &str) -> String {
    asxh_text::format::date(month)
}

/// The catalogue's label of a card's life cycle.
pub fn life_cycle(state: LifeCycle) -> Msg {
    match state {
        LifeCycle::Blank => Msg::LifeCycleBlank,
        LifeCycle::Personalizing => Msg::LifeCyclePersonalizing,
        LifeCycle::Issued => Msg::LifeCycleIssued,
        LifeCycle::Blocked => Msg::LifeCycleBlocked,
        LifeCycle::Terminated => Msg::LifeCycleTerminated,
    }
}

impl Catalogued for Finding {
    fn message(&self, lang: Lang) -> (Msg, Args) {
        use Finding as F;
        let detail = |d: &String| vec![("detail", d.clone())];
        match self {
            F::NoTrustList => (Msg::FindingNoTrustList, vec![]),
            F::IssuerUnknown { key } => (Msg::FindingIssuerUnknown, vec![("key", key.to_string())]),
            F::IssuerRevoked { key, office } => (
                Msg::FindingIssuerRevoked,
                vec![("key", key.to_string()), ("office", office.to_string())],
            ),
            F::IssuerKeyNotYetValid { key, from } => (
                Msg::FindingIssuerKeyNotYetValid,
                vec![("key", key.to_string()), ("from", from.vi())],
            ),
            F::IssuedOutsideKeyValidity {
                issued,
                from,
                until,
            } => (
                Msg::FindingIssuedOutsideKeyValidity,
                vec![
                    ("issued", issued.vi()),
                    ("from", from.vi()),
                    ("until", until.vi()),
                ],
            ),
            F::Revoked { serial, reason } => (
                Msg::FindingRevoked,
                vec![
                    ("serial", serial.to_string()),
                    ("reason", lang.text(labels::reason(*reason)).to_owned()),
                ],
            ),
            F::NotYetValid { from } => (Msg::FindingNotYetValid, vec![("from", from.vi())]),
            F::Expired { on } => (Msg::FindingExpired, vec![("on", on.vi())]),
            F::NoRevocationList => (Msg::FindingNoRevocationList, vec![]),
            F::NoRevocationData => (Msg::FindingNoRevocationData, vec![]),
            F::RevocationDataFromTheFuture { ahead_seconds } => (
                Msg::FindingRevocationDataFromTheFuture,
                vec![("ahead", lang.duration(*ahead_seconds))],
            ),
            F::RevocationDataTooOld {
                age_seconds,
                allowed_seconds,
            } => (
                Msg::FindingRevocationDataTooOld,
                vec![
                    ("age", lang.duration(*age_seconds)),
                    ("allowed", lang.duration(*allowed_seconds)),
                ],
            ),
            F::TrustListOverdue {
                version,
                next_update,
            } => (
                Msg::FindingTrustListOverdue,
                vec![
                    ("version", version.to_string()),
                    ("by", local_time(*next_update as i64)),
                ],
            ),
            F::RevocationListOverdue {
                version,
                next_update,
            } => (
                Msg::FindingRevocationListOverdue,
                vec![
                    ("version", version.to_string()),
                    ("by", local_time(*next_update as i64)),
                ],
            ),
            F::RevocationListFromTheFuture { issued_at, now } => (
                Msg::FindingRevocationListFromTheFuture,
                vec![
                    ("dated", local_time(*issued_at as i64)),
                    ("now", local_time(*now as i64)),
                ],
            ),
            F::SelectFailed { detail: d } => (Msg::FindingSelectFailed, detail(d)),
            F::CardBlocked => (Msg::FindingCardBlocked, vec![]),
            F::CardTerminated => (Msg::FindingCardTerminated, vec![]),
            F::CardNeverIssued { state } => (
                Msg::FindingCardNeverIssued,
                vec![("state", lang.text(life_cycle(*state)).to_owned())],
            ),
            F::ReadFailed { detail: d } => (Msg::FindingReadFailed, detail(d)),
            F::CredentialMalformed { detail: d } => (Msg::FindingCredentialMalformed, detail(d)),
            F::CredentialNamesNoIssuer { detail: d } => {
                (Msg::FindingCredentialNamesNoIssuer, detail(d))
            }
            F::QrNamesNoIssuer { detail: d } => (Msg::FindingQrNamesNoIssuer, detail(d)),
            F::SignatureInvalid { detail: d } => (Msg::FindingSignatureInvalid, detail(d)),
            F::SerialMismatch {
                announced,
                credential,
            } => (
                Msg::FindingSerialMismatch,
                vec![
                    ("announced", announced.to_string()),
                    ("credential", credential.to_string()),
                ],
            ),
            F::WrongPin { tries_left } => (
                Msg::FindingWrongPin,
                vec![("tries", tries_left.to_string())],
            ),
            F::PinBlocked => (Msg::FindingPinBlocked, vec![]),
            F::NoPinSet => (Msg::FindingNoPinSet, vec![]),
            F::PinCheckFailed { detail: d } => (Msg::FindingPinCheckFailed, detail(d)),
            F::ActiveAuthRefused { detail: d } => (Msg::FindingActiveAuthRefused, detail(d)),
            F::ActiveAuthFailed { detail: d } => (Msg::FindingActiveAuthFailed, detail(d)),
            F::CopiedCredential => (Msg::FindingCopiedCredential, vec![]),
            F::PinNotConfirmed => (Msg::FindingPinNotConfirmed, vec![]),
            F::NotACardQr { detail: d } => (Msg::FindingNotACardQr, detail(d)),
            F::QrOnly => (Msg::FindingQrOnly, vec![]),
            F::ReaderUnavailable { detail: d } => (Msg::FindingReaderUnavailable, detail(d)),
            F::EmulatorUnopenable { path, detail } => (
                Msg::FindingEmulatorUnopenable,
                vec![("path", path.clone()), ("detail", detail.clone())],
            ),
            F::NotInRoll { area, month } => (
                Msg::FindingNotInRoll,
                vec![("area", area.clone()), ("month", month_vi(month))],
            ),
            F::NoLineDue { month } => (Msg::FindingNoLineDue, vec![("month", month_vi(month))]),
            F::NoRoll { area, month } => (
                Msg::FindingNoRoll,
                vec![("area", area.clone()), ("month", month_vi(month))],
            ),
            F::RollOverdue {
                version,
                next_update,
            } => (
                Msg::FindingRollOverdue,
                vec![
                    ("version", version.to_string()),
                    ("by", local_time(*next_update as i64)),
                ],
            ),
        }
    }

    fn examples() -> Vec<Self> {
        use Finding as F;
        let key = IssuerKeyId([0xAB; 8]);
        let date = Date::parse("date", "2026-01-15").expect("a date");
        let serial = CardSerial::new(42).expect("a serial");
        let detail = || "6A82".to_owned();
        vec![
            F::NoTrustList,
            F::IssuerUnknown { key },
            F::IssuerRevoked {
                key,
                office: OfficeCode::parse("QNG-01").expect("an office"),
            },
            F::IssuerKeyNotYetValid { key, from: date },
            F::IssuedOutsideKeyValidity {
                issued: date,
                from: date,
                until: date,
            },
            F::Revoked {
                serial,
                reason: RevocationReason::Lost,
            },
            F::NotYetValid { from: date },
            F::Expired { on: date },
            F::NoRevocationList,
            F::NoRevocationData,
            F::RevocationDataFromTheFuture {
                ahead_seconds: 1200,
            },
            F::RevocationDataTooOld {
                age_seconds: 8 * 86_400,
                allowed_seconds: 7 * 86_400,
            },
            F::TrustListOverdue {
                version: 2,
                next_update: 1_795_615_380,
            },
            F::RevocationListOverdue {
                version: 2,
                next_update: 1_795_615_380,
            },
            F::RevocationListFromTheFuture {
                issued_at: 1_795_615_380,
                now: 1_795_600_000,
            },
            F::SelectFailed { detail: detail() },
            F::CardBlocked,
            F::CardTerminated,
            F::CardNeverIssued {
                state: LifeCycle::Blank,
            },
            F::ReadFailed { detail: detail() },
            F::CredentialMalformed { detail: detail() },
            F::CredentialNamesNoIssuer { detail: detail() },
            F::QrNamesNoIssuer { detail: detail() },
            F::SignatureInvalid { detail: detail() },
            F::SerialMismatch {
                announced: serial,
                credential: serial,
            },
            F::WrongPin { tries_left: 2 },
            F::PinBlocked,
            F::NoPinSet,
            F::PinCheckFailed { detail: detail() },
            F::ActiveAuthRefused { detail: detail() },
            F::ActiveAuthFailed { detail: detail() },
            F::CopiedCredential,
            F::PinNotConfirmed,
            F::NotACardQr { detail: detail() },
            F::QrOnly,
            F::ReaderUnavailable { detail: detail() },
            F::EmulatorUnopenable {
                path: "emulated-1.state".into(),
                detail: detail(),
            },
            F::NotInRoll {
                area: "51.429.22903".into(),
                month: "2026-12".into(),
            },
            F::NoLineDue {
                month: "2026-12".into(),
            },
            F::NoRoll {
                area: "51.429.22903".into(),
                month: "2026-12".into(),
            },
            F::RollOverdue {
                version: 2,
                next_update: 1_795_615_380,
            },
        ]
    }
}

/// The JSON form: the English text (the stable schema's `reasons` and `warnings` are strings).
impl Serialize for Finding {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text(Lang::En))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_finding_has_its_vietnamese_text_with_its_data() {
        asxh_text::message::check_catalogued::<Finding>().unwrap();
    }

    #[test]
    fn a_finding_reads_vietnamese_with_local_times_and_english_on_request() {
        let revoked = Finding::Revoked {
            serial: CardSerial::new(42).unwrap(),
            reason: RevocationReason::Lost,
        };
        assert_eq!(
            revoked.text(Lang::Vi),
            "thẻ 0000000042-2 đã ngừng sử dụng (mất thẻ)"
        );
        assert_eq!(
            revoked.text(Lang::En),
            "card 0000000042-2 is revoked (lost)"
        );
        let overdue = Finding::TrustListOverdue {
            version: 2,
            next_update: 1_795_615_380,
        };
        assert!(
            overdue.text(Lang::Vi).contains("trước 25/11/2026 21:03"),
            "{}",
            overdue.text(Lang::Vi)
        );
        assert_eq!(
            serde_json::to_value(&overdue).unwrap(),
            "the trust list (version 2) promised a newer one by 25/11/2026 21:03: sync"
        );
    }
}
