//! Whether each entitlement of a verified credential may be paid on the verification day
//! (SPEC.md §5.5 step 4): in force only from its valid-from to its valid-until, both included.
//! A genuine card whose entitlements are all outside their dates is not a card to pay on:
//! [`Outcome::NothingPayable`](crate::Outcome::NothingPayable).

use asxh_core::entitlement::{Entitlement, QrEntitlement};
use asxh_core::Date;
use serde::Serialize;

/// Where the verification day falls in an entitlement's dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Standing {
    /// In force today.
    Payable,
    /// Its valid-from is after today.
    NotYetStarted,
    /// Its valid-until is before today.
    Ended,
}

/// One entitlement of the credential, in the credential's order, with its standing today.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EntitlementStanding {
    pub program: String,
    pub standing: Standing,
    /// The date that decided a standing other than payable: the start not yet reached, or the
    /// end passed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
}

impl EntitlementStanding {
    pub fn payable(&self) -> bool {
        self.standing == Standing::Payable
    }
}

/// The standings of a card credential's entitlements on `today`.
pub fn of_card(entitlements: &[Entitlement], today: Date) -> Vec<EntitlementStanding> {
    entitlements
        .iter()
        .map(|e| {
            let (standing, date) = if e.is_valid_on(today) {
                (Standing::Payable, None)
            } else if e.valid_from() > today {
                (Standing::NotYetStarted, Some(e.valid_from()))
            } else {
                (Standing::Ended, e.valid_until())
            };
            EntitlementStanding {
                program: e.program().to_string(),
                standing,
                date: date.map(|d| d.to_string()),
            }
        })
        .collect()
}

/// The standings of a QR credential's entitlements on `today` (a QR carries no valid-from, so
/// only an end can be passed).
pub fn of_qr(entitlements: &[QrEntitlement], today: Date) -> Vec<EntitlementStanding> {
    entitlements
        .iter()
        .map(|e| {
            let ended = !e.is_valid_on(today);
            EntitlementStanding {
                program: e.program.to_string(),
                standing: if ended {
                    Standing::Ended
                } else {
                    Standing::Payable
                },
                date: e.valid_until.filter(|_| ended).map(|d| d.to_string()),
            }
        })
        .collect()
}

/// Whether the credential names entitlements and none of them is payable today. A credential
/// with no entitlement at all is an identity card of the programs and keeps its verdict.
pub fn nothing_payable(standings: &[EntitlementStanding]) -> bool {
    !standings.is_empty() && standings.iter().all(|s| !s.payable())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Checker, Lists, Outcome, Policy};
    use asxh_core::entitlement::{CategoryCode, ProgramCode};
    use asxh_core::lists::IssuerStatus;
    use asxh_core::{CardSerial, CredentialBody, IssuerKeyId, QrBody, QrCredential};
    use asxh_testkit::{self as testkit, date};

    fn entitlement(from: &str, until: Option<&str>) -> Entitlement {
        Entitlement::new(
            ProgramCode::parse("TGXH").unwrap(),
            CategoryCode::parse("BTXH-80").unwrap(),
            Some(500_000),
            date(from),
            until.map(date),
            None,
        )
        .unwrap()
    }

    #[test]
    fn an_entitlement_is_payable_from_its_first_to_its_last_day_included() {
        let e = [entitlement("2026-01-01", Some("2026-06-30"))];
        let on = |d| of_card(&e, date(d))[0].standing;
        assert_eq!(on("2025-12-31"), Standing::NotYetStarted);
        assert_eq!(on("2026-01-01"), Standing::Payable);
        assert_eq!(on("2026-06-30"), Standing::Payable);
        assert_eq!(on("2026-07-01"), Standing::Ended);
        let ended = &of_card(&e, date("2026-12-01"))[0];
        assert_eq!(ended.date.as_deref(), Some("2026-06-30"));
        let early = &of_card(&e, date("2025-12-01"))[0];
        assert_eq!(early.date.as_deref(), Some("2026-01-01"));
    }

    #[test]
    fn an_open_ended_entitlement_never_ends_and_a_qr_one_only_ends() {
        let open = [entitlement("2026-01-01", None)];
        assert!(of_card(&open, date("2099-01-01"))[0].payable());
        let qr: Vec<QrEntitlement> = [entitlement("2026-01-01", Some("2026-06-30"))]
            .iter()
            .map(QrEntitlement::from)
            .collect();
        assert_eq!(
            of_qr(&qr, date("2025-01-01"))[0].standing,
            Standing::Payable
        );
        assert_eq!(of_qr(&qr, date("2026-07-01"))[0].standing, Standing::Ended);
    }

    #[test]
    fn nothing_is_payable_only_when_every_named_entitlement_is_outside_its_dates() {
        let two = [
            entitlement("2026-01-01", Some("2026-06-30")),
            entitlement("2027-01-01", None),
        ];
        assert!(nothing_payable(&of_card(&two, date("2026-12-01"))));
        assert!(!nothing_payable(&of_card(&two, date("2026-03-01"))));
        assert!(
            !nothing_payable(&[]),
            "no entitlement: the card's verdict stands"
        );
    }

    fn qr_with(entitlements: Vec<Entitlement>) -> String {
        let key = testkit::issuer_key();
        let body = CredentialBody::new(
            CardSerial::new(1).unwrap(),
            IssuerKeyId::of(key.verifying_key()),
            date("2020-01-01"),
            date("2036-01-01"),
            testkit::sample_holder(),
            *key.verifying_key(),
            entitlements,
        )
        .unwrap();
        QrCredential::issue(QrBody::for_card(&body), &key)
            .unwrap()
            .text()
            .to_owned()
    }

    #[test]
    fn a_qr_whose_entitlements_all_ended_is_nothing_payable_and_one_in_force_keeps_it_payable() {
        let now = time::OffsetDateTime::now_utc().unix_timestamp() as u64;
        let lists = Lists {
            trust: testkit::trust_list(
                IssuerStatus::Active,
                testkit::issuer_key().verifying_key(),
                now,
            ),
            revocations: None,
        };
        let checker = Checker::new(Some(&lists), Policy::default());
        let ended = checker.qr(&qr_with(vec![entitlement(
            "2020-01-01",
            Some("2021-06-30"),
        )]));
        assert_eq!(ended.outcome, Outcome::NothingPayable);
        assert_eq!(ended.exit_code, 26);
        assert!(!ended.outcome.may_pay());
        assert_eq!(ended.entitlements[0].standing, Standing::Ended);
        assert_eq!(ended.entitlements[0].date.as_deref(), Some("2021-06-30"));
        let one_left = checker.qr(&qr_with(vec![
            entitlement("2020-01-01", Some("2021-06-30")),
            entitlement("2020-01-01", None),
        ]));
        assert!(one_left.outcome.may_pay(), "{:?}", one_left.outcome);
        assert_eq!(
            one_left
                .entitlements
                .iter()
                .map(|e| e.standing)
                .collect::<Vec<_>>(),
            [Standing::Ended, Standing::Payable]
        );
    }
}
