//! The payment roll at the counter (SPEC.md §17.4): the lines the roll of the point's area
//! holds for the holder this month, each with whether it may be paid now. A line is payable
//! only when the roll says it is due and the card's entitlement of its program (if the card
//! names that program) is in force today; the roll's amounts and recipients are the ones shown,
//! whatever the card says.

use asxh_core::lists::roll::LineStatus;
use asxh_core::lists::{Month, Roll};
use asxh_core::view::RollLineView;
use asxh_core::{AreaCode, Ssn};
use serde::Serialize;

use crate::standing::EntitlementStanding;

/// The roll a point holds for its area and the current month (`roll` is `None` before the first
/// sync that found one).
#[derive(Debug, Clone, Copy)]
pub struct HeldRoll<'a> {
    pub area: &'a AreaCode,
    pub month: Month,
    pub roll: Option<&'a Roll>,
}

/// The roll a verdict relied on.
#[derive(Debug, Clone, Serialize)]
pub struct RollInfo {
    pub area: String,
    /// `YYYY-MM`.
    pub month: String,
    pub version: u64,
    /// Unix time the roll was signed.
    pub issued_at: u64,
    pub next_update: u64,
    /// Now − issued-at: negative when the roll is dated in this point's future.
    pub age_seconds: i64,
}

/// One line the roll holds for the holder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PaymentLine {
    #[serde(flatten)]
    pub line: RollLineView,
    /// Whether the clerk may pay it now.
    pub payable: bool,
    /// The card names the line's program, but none of its entitlements of that program is in
    /// force today.
    pub outside_dates: bool,
}

/// The lines of `ssn` in `roll` (`None`: the roll has no entry for it), judged against the
/// card's entitlements' `standings`.
pub fn lines_of(
    roll: &Roll,
    ssn: Ssn,
    standings: &[EntitlementStanding],
) -> Option<Vec<PaymentLine>> {
    let lines = roll.lookup(ssn)?;
    Some(
        lines
            .iter()
            .map(|l| {
                let program = l.item.program.as_str();
                let named: Vec<&EntitlementStanding> =
                    standings.iter().filter(|s| s.program == program).collect();
                let outside_dates = !named.is_empty() && !named.iter().any(|s| s.payable());
                PaymentLine {
                    line: RollLineView::from(&l.to_line()),
                    payable: l.status == LineStatus::Due && !outside_dates,
                    outside_dates,
                }
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::standing::Standing;
    use asxh_core::entitlement::ProgramCode;
    use asxh_core::lists::roll::ItemKind;
    use asxh_core::lists::{RollEntry, RollHeader, RollItem, RollLine};

    fn roll(status: LineStatus) -> Roll {
        let month = Month::parse("m", "2026-12").unwrap();
        Roll::new(
            RollHeader {
                version: 5,
                issued_at: 1,
                next_update: 2,
                base_version: None,
                area: AreaCode::parse("51.429.22903").unwrap(),
                month,
            },
            vec![RollEntry {
                ssn: Ssn::parse("051146000001").unwrap(),
                lines: vec![RollLine {
                    item: RollItem::new(
                        ProgramCode::parse("TGXH").unwrap(),
                        None,
                        ItemKind::Monthly,
                        500_000,
                        month,
                        month,
                    )
                    .unwrap(),
                    recipient: None,
                    status,
                }],
            }],
        )
        .unwrap()
    }

    fn standing(program: &str, standing: Standing) -> EntitlementStanding {
        EntitlementStanding {
            program: program.into(),
            standing,
            date: None,
        }
    }

    #[test]
    fn a_line_is_payable_only_when_due_on_the_roll_and_in_force_on_the_card() {
        let ssn = Ssn::parse("051146000001").unwrap();
        let payable = |status, standings: &[EntitlementStanding]| {
            lines_of(&roll(status), ssn, standings).unwrap()[0].payable
        };
        assert!(payable(
            LineStatus::Due,
            &[standing("TGXH", Standing::Payable)]
        ));
        assert!(
            payable(LineStatus::Due, &[]),
            "a program the card does not name"
        );
        for status in [
            LineStatus::Paid,
            LineStatus::Suspended,
            LineStatus::Stopped,
            LineStatus::PaidByAccount,
        ] {
            assert!(!payable(status, &[standing("TGXH", Standing::Payable)]));
        }
        assert!(!payable(
            LineStatus::Due,
            &[standing("TGXH", Standing::Ended)]
        ));
        assert!(!payable(
            LineStatus::Due,
            &[standing("TGXH", Standing::NotYetStarted)]
        ));
        assert!(lines_of(
            &roll(LineStatus::Due),
            Ssn::parse("051146000002").unwrap(),
            &[]
        )
        .is_none());
    }

    fn qr_text() -> String {
        use asxh_core::entitlement::{CategoryCode, Entitlement};
        use asxh_core::{CardSerial, CredentialBody, IssuerKeyId, QrBody, QrCredential};
        let key = asxh_testkit::issuer_key();
        let body = CredentialBody::new(
            CardSerial::new(1).unwrap(),
            IssuerKeyId::of(key.verifying_key()),
            asxh_testkit::date("2020-01-01"),
            asxh_testkit::date("2036-01-01"),
            asxh_testkit::sample_holder(),
            *key.verifying_key(),
            vec![Entitlement::new(
                ProgramCode::parse("TGXH").unwrap(),
                CategoryCode::parse("BTXH-80").unwrap(),
                Some(360_000),
                asxh_testkit::date("2020-01-01"),
                None,
                None,
            )
            .unwrap()],
        )
        .unwrap();
        QrCredential::issue(QrBody::for_card(&body), &key)
            .unwrap()
            .text()
            .to_owned()
    }

    fn holders_roll(month: Month, status: Option<LineStatus>) -> Roll {
        let ssn = asxh_testkit::sample_holder().ssn();
        let entries = status
            .map(|status| RollEntry {
                ssn,
                lines: vec![RollLine {
                    item: RollItem::new(
                        ProgramCode::parse("TGXH").unwrap(),
                        None,
                        ItemKind::Monthly,
                        500_000,
                        month,
                        month,
                    )
                    .unwrap(),
                    recipient: None,
                    status,
                }],
            })
            .into_iter()
            .collect();
        let now = time::OffsetDateTime::now_utc().unix_timestamp() as u64;
        Roll::new(
            RollHeader {
                version: 9,
                issued_at: now - 3600,
                next_update: now + 3600,
                base_version: None,
                area: AreaCode::parse("51.429.22903").unwrap(),
                month,
            },
            entries,
        )
        .unwrap()
    }

    #[test]
    fn a_qr_shows_the_rolls_lines_and_pays_nothing_the_roll_does_not_have_due() {
        use crate::{Checker, Finding, Lists, Outcome, Policy};
        let now = time::OffsetDateTime::now_utc().unix_timestamp() as u64;
        let lists = Lists {
            trust: asxh_testkit::trust_list(
                asxh_core::lists::IssuerStatus::Active,
                asxh_testkit::issuer_key().verifying_key(),
                now,
            ),
            revocations: None,
        };
        let area = AreaCode::parse("51.429.22903").unwrap();
        let month = Month::of(asxh_core::Date::today());
        let check = |roll: Option<&Roll>| {
            Checker::new(Some(&lists), Policy::default())
                .with_roll(HeldRoll {
                    area: &area,
                    month,
                    roll,
                })
                .qr(&qr_text())
        };
        let due = holders_roll(month, Some(LineStatus::Due));
        let v = check(Some(&due));
        assert!(v.outcome.may_pay(), "{:?}", v.outcome);
        assert_eq!(v.lines.len(), 1);
        assert_eq!(
            v.lines[0].line.amount_vnd, 500_000,
            "the roll's amount, not the card's"
        );
        assert!(v.lines[0].payable);
        assert_eq!(v.roll.as_ref().unwrap().version, 9);
        let json = serde_json::to_value(&v).unwrap();
        assert_eq!(json["lines"][0]["amount_vnd"], 500_000);
        assert_eq!(json["lines"][0]["payable"], true);
        assert_eq!(json["roll"]["age_seconds"].as_i64().unwrap() / 60, 60);

        let stopped = holders_roll(month, Some(LineStatus::Stopped));
        let v = check(Some(&stopped));
        assert_eq!(v.outcome, Outcome::NothingPayable);
        assert!(!v.lines[0].payable);
        assert!(matches!(v.reasons[..], [Finding::NoLineDue { .. }]));

        let absent = holders_roll(month, None);
        let v = check(Some(&absent));
        assert_eq!(v.outcome, Outcome::NothingPayable);
        assert!(matches!(v.reasons[..], [Finding::NotInRoll { .. }]));

        let last_month = Month::from_index("m", u64::from(month.index() - 1)).unwrap();
        let old = holders_roll(last_month, Some(LineStatus::Due));
        for held in [None, Some(&old)] {
            let v = check(held);
            assert!(
                v.outcome.may_pay(),
                "no roll of this month: the card stands"
            );
            assert!(v.lines.is_empty());
            assert!(v
                .warnings
                .iter()
                .any(|w| matches!(w, Finding::NoRoll { .. })));
        }
    }
}
