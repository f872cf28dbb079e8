//! The verification procedure of SPEC.md §5.5 and §11.2 against the cached lists, for a card
//! (SELECT → GET DATA → issuer → signature → revocation → dates → INTERNAL AUTHENTICATE over a
//! fresh random challenge) and for a QR (the same without active authentication). Each step that
//! fails settles the outcome; the first failure wins.

use std::time::Duration;

use asxh_core::card::{CardClient, CardIoError, CardReader, LifeCycle, Pin, PinCheck, Transport};
use asxh_core::lists::{IssuerEntry, IssuerStatus, RevocationList, TrustList};
use asxh_core::signature::PublicKey;
use asxh_core::view::CredentialView;
use asxh_core::{CardSerial, Date, IssuerKeyId, SignedCredential, SignedQr};
use rand_core::{OsRng, RngCore};

use crate::finding::Finding;
use crate::roll::{self, HeldRoll, RollInfo};
use crate::standing;
use crate::verdict::{IssuerInfo, ListInfo, Outcome, RevocationInfo, Verdict, WireInfo};

/// The verified lists a verification uses (the payment point keeps them signed in its store and
/// verifies them again when it loads them).
#[derive(Debug, Clone)]
pub struct Lists {
    pub trust: TrustList,
    /// `None` until the first revocation list arrived.
    pub revocations: Option<RevocationList>,
}

/// Bytes of the active-authentication challenge.
pub const CHALLENGE_LEN: usize = 32;

/// How long [`Checker::card_in`] waits for a card to connect to.
pub const CONNECT_WAIT: Duration = Duration::from_secs(30);

/// The payment point's policy on old revocation data.
#[derive(Debug, Clone, Copy)]
pub struct Policy {
    pub max_list_age: Duration,
    /// Refuse (outcome 30) rather than give the amber outcome (11, 12) when the revocation data
    /// is older than `max_list_age`.
    pub refuse_stale: bool,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            max_list_age: Duration::from_secs(7 * 24 * 3600),
            refuse_stale: false,
        }
    }
}

/// How far in this point's future a list's issued-at may be (clocks differ); beyond it the list
/// is refused at sync, and a held one counts as stale (SPEC.md §15.3).
pub const CLOCK_SKEW: Duration = Duration::from_secs(10 * 60);

/// Verifies cards and QR codes against one snapshot of the lists at one moment.
pub struct Checker<'a> {
    lists: Option<&'a Lists>,
    /// The payment roll of the point's area, for a point that has one (SPEC.md §17.4).
    roll: Option<HeldRoll<'a>>,
    policy: Policy,
    now: u64,
    today: Date,
}

/// A card that refuses a command with a status word is unusable; anything else (no answer, a
/// pulled card, an answer that does not decode) is the reader's or the card's error.
fn card_failure(e: &CardIoError) -> Outcome {
    match e {
        CardIoError::Status { .. } => Outcome::CardUnusable,
        _ => Outcome::ReaderError,
    }
}

impl<'a> Checker<'a> {
    /// A checker at the current time.
    pub fn new(lists: Option<&'a Lists>, policy: Policy) -> Self {
        let now = time::OffsetDateTime::now_utc();
        Checker {
            lists,
            roll: None,
            policy,
            now: now.unix_timestamp().max(0) as u64,
            today: Date::today(),
        }
    }

    /// A checker of a point that pays in an area: the lines payable come from `roll`, the roll
    /// it holds of that area for this month.
    pub fn with_roll(self, roll: HeldRoll<'a>) -> Self {
        Checker {
            roll: Some(roll),
            ..self
        }
    }

    /// The roll's lines for the holder (SPEC.md §17.4), and why nothing is payable when the
    /// roll has nothing due for them. Without a roll held the card's amounts stand, with a note.
    fn roll_lines(&self, v: &mut Verdict) -> Option<Finding> {
        let held = self.roll?;
        let month = held.month.to_string();
        let Some(roll) = held
            .roll
            .filter(|r| r.header.area == *held.area && r.header.month == held.month)
        else {
            v.warnings.push(Finding::NoRoll {
                area: held.area.to_string(),
                month,
            });
            return None;
        };
        let h = &roll.header;
        v.roll = Some(RollInfo {
            area: h.area.to_string(),
            month: month.clone(),
            version: h.version,
            issued_at: h.issued_at,
            next_update: h.next_update,
            age_seconds: self.now as i64 - h.issued_at as i64,
        });
        if h.next_update < self.now {
            v.warnings.push(Finding::RollOverdue {
                version: h.version,
                next_update: h.next_update,
            });
        }
        let ssn = v
            .holder
            .as_ref()
            .and_then(|holder| asxh_core::Ssn::parse(&holder.ssn).ok())?;
        match roll::lines_of(roll, ssn, &v.entitlements) {
            None => Some(Finding::NotInRoll {
                area: h.area.to_string(),
                month,
            }),
            Some(lines) => {
                let none_payable = !lines.iter().any(|l| l.payable);
                v.lines = lines;
                none_payable.then_some(Finding::NoLineDue { month })
            }
        }
    }

    /// What the clerk should know about the lists' freshness: a `next_update` that has passed
    /// (trust list and revocation list), a list dated in the future.
    fn freshness_warnings(&self, v: &mut Verdict) {
        let Some(lists) = self.lists else { return };
        if lists.trust.next_update < self.now {
            v.warnings.push(Finding::TrustListOverdue {
                version: lists.trust.version,
                next_update: lists.trust.next_update,
            });
        }
        if let Some(r) = &lists.revocations {
            if r.issued_at > self.now + CLOCK_SKEW.as_secs() {
                v.warnings.push(Finding::RevocationListFromTheFuture {
                    issued_at: r.issued_at,
                    now: self.now,
                });
            } else if r.next_update < self.now {
                v.warnings.push(Finding::RevocationListOverdue {
                    version: r.version,
                    next_update: r.next_update,
                });
            }
        }
    }

    fn issuer_info(&self, key_id: IssuerKeyId) -> IssuerInfo {
        let entry = self.lists.and_then(|l| l.trust.issuer(key_id));
        IssuerInfo {
            key_id_hex: key_id.to_hex(),
            office: entry.map(|e| e.office.to_string()),
            office_name: entry.map(|e| e.office_name.clone()),
            area: entry.map(|e| e.area.to_string()),
            status: entry.map(|e| e.status.as_str().to_owned()),
        }
    }

    /// The trust-list entry of `key_id`, or why there is none.
    fn issuer(&self, key_id: IssuerKeyId) -> Result<&'a IssuerEntry, Finding> {
        let lists = self.lists.ok_or(Finding::NoTrustList)?;
        let entry = lists
            .trust
            .issuer(key_id)
            .ok_or(Finding::IssuerUnknown { key: key_id })?;
        if entry.status == IssuerStatus::Revoked {
            return Err(Finding::IssuerRevoked {
                key: key_id,
                office: entry.office.clone(),
            });
        }
        Ok(entry)
    }

    /// Revocation, validity dates and freshness of the revocation data. `issued` is `None` for
    /// a QR (which carries no issue date).
    fn policy_checks(
        &self,
        v: &mut Verdict,
        serial: CardSerial,
        issued: Option<Date>,
        expires: Date,
    ) -> Option<(Outcome, Finding)> {
        match self.lists.and_then(|l| l.revocations.as_ref()) {
            Some(list) => {
                v.revocation_list = Some(ListInfo {
                    version: list.version,
                    issued_at: list.issued_at,
                    next_update: list.next_update,
                    age_seconds: self.now as i64 - list.issued_at as i64,
                });
                if let Some(r) = list.lookup(serial) {
                    v.revocation = Some(RevocationInfo {
                        reason: r.reason.as_str().into(),
                        list_version: list.version,
                    });
                    return Some((
                        Outcome::Revoked,
                        Finding::Revoked {
                            serial,
                            reason: r.reason,
                        },
                    ));
                }
            }
            None => v.warnings.push(Finding::NoRevocationList),
        }
        if let Some(issued) = issued.filter(|i| *i > self.today) {
            return Some((
                Outcome::NotInValidity,
                Finding::NotYetValid { from: issued },
            ));
        }
        if expires < self.today {
            return Some((Outcome::NotInValidity, Finding::Expired { on: expires }));
        }
        None
    }

    /// The last step for a verdict that passed every check: the entitlements' dates, then the
    /// age of the revocation data. Nothing payable today settles it; data older than the policy
    /// allows, dated in the future, or missing gives the amber outcome or, with `refuse_stale`,
    /// a refusal.
    fn settle(&self, mut v: Verdict, good: Outcome) -> Verdict {
        self.freshness_warnings(&mut v);
        if standing::nothing_payable(&v.entitlements) {
            return v.conclude(Outcome::NothingPayable, None);
        }
        if let Some(why) = self.roll_lines(&mut v) {
            return v.conclude(Outcome::NothingPayable, why);
        }
        let age = v.revocation_list.as_ref().map(|l| l.age_seconds);
        let skew = CLOCK_SKEW.as_secs() as i64;
        let allowed = self.policy.max_list_age.as_secs() as i64;
        let stale = match age {
            None => Some(Finding::NoRevocationData),
            Some(a) if a < -skew => Some(Finding::RevocationDataFromTheFuture {
                ahead_seconds: a.unsigned_abs(),
            }),
            Some(a) if a > allowed => Some(Finding::RevocationDataTooOld {
                age_seconds: a as u64,
                allowed_seconds: allowed as u64,
            }),
            Some(_) => None,
        };
        match stale {
            // The verdict line says to sync before paying.
            Some(what) if self.policy.refuse_stale => {
                v.conclude(Outcome::StaleRevocationData, what)
            }
            Some(what) => {
                v.warnings.push(what);
                v.conclude(good.on_stale_data(), None)
            }
            None => v.conclude(good, None),
        }
    }

    /// A card verdict that could not start (no reader, no card, an emulator state that cannot be
    /// opened).
    pub fn card_failure(&self, outcome: Outcome, reason: Finding) -> Verdict {
        Verdict::new("card", self.now).conclude(outcome, reason)
    }

    /// Connects to the card in `reader` (waiting up to [`CONNECT_WAIT`] for one) and verifies
    /// it; a reader that cannot connect gives a `reader_error` verdict saying why.
    pub fn card_in(&self, reader: &mut dyn CardReader, pin: Option<&Pin>) -> Verdict {
        match reader.connect(CONNECT_WAIT) {
            Ok(transport) => self.card(&mut CardClient::new(transport), pin),
            Err(e) => self.card_failure(
                Outcome::ReaderError,
                Finding::ReaderUnavailable {
                    detail: e.to_string(),
                },
            ),
        }
    }

    /// Verifies the card behind `client`. With `pin`, the holder's PIN is checked first and the
    /// card's answer must say so.
    pub fn card<T: Transport>(&self, client: &mut CardClient<T>, pin: Option<&Pin>) -> Verdict {
        self.card_session(client, pin).0
    }

    /// Verifies the card behind `client` as [`Checker::card`] does, for a session that goes on
    /// (a payment point has the card sign a receipt next): also the card public key of the
    /// credential, once the card proved it holds its private key (`None` otherwise).
    pub fn card_session<T: Transport>(
        &self,
        client: &mut CardClient<T>,
        pin: Option<&Pin>,
    ) -> (Verdict, Option<PublicKey>) {
        client.reset_stats();
        let mut card_key = None;
        let v = self.card_steps(client, pin, &mut card_key);
        let stats = client.stats();
        let v = Verdict {
            wire: Some(WireInfo {
                commands: stats.commands,
                bytes: (stats.bytes_sent + stats.bytes_received) as u64,
            }),
            ..v
        };
        (v, card_key)
    }

    fn card_steps<T: Transport>(
        &self,
        client: &mut CardClient<T>,
        pin: Option<&Pin>,
        card_key: &mut Option<PublicKey>,
    ) -> Verdict {
        let mut v = Verdict::new("card", self.now);
        let info = match client.select() {
            Ok(i) => i,
            Err(e) => {
                return v.conclude(
                    card_failure(&e),
                    Finding::SelectFailed {
                        detail: e.to_string(),
                    },
                )
            }
        };
        match info.life_cycle {
            LifeCycle::Issued => {}
            LifeCycle::Blocked => return v.conclude(Outcome::CardUnusable, Finding::CardBlocked),
            LifeCycle::Terminated => {
                return v.conclude(Outcome::CardUnusable, Finding::CardTerminated)
            }
            state @ (LifeCycle::Blank | LifeCycle::Personalizing) => {
                return v.conclude(Outcome::CardUnusable, Finding::CardNeverIssued { state })
            }
        }
        let bytes = match client.read_credential() {
            Ok(b) => b,
            Err(e) => {
                return v.conclude(
                    card_failure(&e),
                    Finding::ReadFailed {
                        detail: e.to_string(),
                    },
                )
            }
        };
        let signed = match SignedCredential::parse(&bytes) {
            Ok(s) => s,
            Err(e) => {
                return v.conclude(
                    Outcome::Tampered,
                    Finding::CredentialMalformed {
                        detail: e.to_string(),
                    },
                )
            }
        };
        let key_id = match signed.issuer_key_id() {
            Ok(k) => k,
            Err(e) => {
                return v.conclude(
                    Outcome::Tampered,
                    Finding::CredentialNamesNoIssuer {
                        detail: e.to_string(),
                    },
                )
            }
        };
        v.issuer = Some(self.issuer_info(key_id));
        let issuer = match self.issuer(key_id) {
            Ok(i) => i,
            Err(reason) => return v.conclude(Outcome::UntrustedIssuer, reason),
        };
        let credential = match signed.verify(&issuer.public_key) {
            Ok(c) => c,
            Err(e) => {
                return v.conclude(
                    Outcome::Tampered,
                    Finding::SignatureInvalid {
                        detail: e.to_string(),
                    },
                )
            }
        };
        let body = credential.body();
        v.serial = Some(body.serial.to_string());
        v.holder = Some(CredentialView::from(body));
        v.entitlements = standing::of_card(body.entitlements(), self.today);
        if !issuer.trusts(body.issued) {
            return v.conclude(
                Outcome::UntrustedIssuer,
                Finding::IssuedOutsideKeyValidity {
                    issued: body.issued,
                    from: issuer.valid_from,
                    until: issuer.valid_until,
                },
            );
        }
        if let Some((outcome, reason)) =
            self.policy_checks(&mut v, body.serial, Some(body.issued), body.expires)
        {
            return v.conclude(outcome, reason);
        }
        if let Some(announced) = info.serial.filter(|s| *s != body.serial) {
            v.warnings.push(Finding::SerialMismatch {
                announced,
                credential: body.serial,
            });
        }
        if let Some(pin) = pin {
            match client.verify_pin(pin) {
                Ok(PinCheck::Verified) => {}
                Ok(PinCheck::Wrong { tries_left }) => {
                    return v.conclude(Outcome::CardUnusable, Finding::WrongPin { tries_left })
                }
                Ok(PinCheck::Blocked) => {
                    return v.conclude(Outcome::CardUnusable, Finding::PinBlocked)
                }
                Ok(PinCheck::NotSet) => v.warnings.push(Finding::NoPinSet),
                Err(e) => {
                    return v.conclude(
                        card_failure(&e),
                        Finding::PinCheckFailed {
                            detail: e.to_string(),
                        },
                    )
                }
            }
        }
        let mut challenge = [0u8; CHALLENGE_LEN];
        OsRng.fill_bytes(&mut challenge);
        let answer = match client.internal_authenticate(&challenge) {
            Ok(a) => a,
            Err(e @ (CardIoError::Status { .. } | CardIoError::Response { .. })) => {
                return v.conclude(
                    Outcome::CloneSuspected,
                    Finding::ActiveAuthRefused {
                        detail: e.to_string(),
                    },
                )
            }
            Err(e) => {
                return v.conclude(
                    Outcome::ReaderError,
                    Finding::ActiveAuthFailed {
                        detail: e.to_string(),
                    },
                )
            }
        };
        if !answer.verify(&body.card_public_key, body.serial, &challenge) {
            return v.conclude(Outcome::CloneSuspected, Finding::CopiedCredential);
        }
        if pin.is_some() && !answer.flags.pin_verified() {
            return v.conclude(Outcome::CloneSuspected, Finding::PinNotConfirmed);
        }
        *card_key = Some(body.card_public_key);
        self.settle(v, Outcome::Valid)
    }

    /// Verifies a QR text (`ASXH1:…`, as a scanner types it).
    pub fn qr(&self, text: &str) -> Verdict {
        let mut v = Verdict::new("qr", self.now);
        let signed = match SignedQr::parse(text) {
            Ok(s) => s,
            Err(e) => {
                return v.conclude(
                    Outcome::NotACardQr,
                    Finding::NotACardQr {
                        detail: e.to_string(),
                    },
                )
            }
        };
        let key_id = match signed.issuer_key_id() {
            Ok(k) => k,
            Err(e) => {
                return v.conclude(
                    Outcome::Tampered,
                    Finding::QrNamesNoIssuer {
                        detail: e.to_string(),
                    },
                )
            }
        };
        v.issuer = Some(self.issuer_info(key_id));
        let issuer = match self.issuer(key_id) {
            Ok(i) => i,
            Err(reason) => return v.conclude(Outcome::UntrustedIssuer, reason),
        };
        let qr = match signed.verify(&issuer.public_key) {
            Ok(q) => q,
            Err(e) => {
                return v.conclude(
                    Outcome::Tampered,
                    Finding::SignatureInvalid {
                        detail: e.to_string(),
                    },
                )
            }
        };
        let body = qr.body();
        v.serial = Some(body.serial.to_string());
        v.holder = Some(CredentialView::from(body));
        v.entitlements = standing::of_qr(&body.entitlements, self.today);
        if issuer.valid_from > self.today {
            return v.conclude(
                Outcome::UntrustedIssuer,
                Finding::IssuerKeyNotYetValid {
                    key: key_id,
                    from: issuer.valid_from,
                },
            );
        }
        if let Some((outcome, reason)) = self.policy_checks(&mut v, body.serial, None, body.expires)
        {
            return v.conclude(outcome, reason);
        }
        v.warnings.push(Finding::QrOnly);
        self.settle(v, Outcome::ValidQrOnly)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use asxh_core::lists::{Revocation, RevocationReason};
    use asxh_core::{CredentialBody, QrBody, QrCredential};
    use asxh_testkit::{self as testkit, date};

    fn lists(status: IssuerStatus, revoked: &[u64], list_age: u64) -> Lists {
        let now = time::OffsetDateTime::now_utc().unix_timestamp() as u64;
        let entries = revoked
            .iter()
            .map(|s| Revocation {
                serial: CardSerial::new(*s).unwrap(),
                reason: RevocationReason::Stolen,
            })
            .collect();
        Lists {
            trust: testkit::trust_list(status, testkit::issuer_key().verifying_key(), now),
            revocations: Some(
                RevocationList::new(
                    revoked.len() as u64,
                    now.wrapping_sub(list_age),
                    now.wrapping_sub(list_age) + 3600,
                    None,
                    entries,
                )
                .unwrap(),
            ),
        }
    }

    fn qr(serial: u64, issued: &str, expires: &str) -> String {
        let key = testkit::issuer_key();
        let body = CredentialBody::new(
            CardSerial::new(serial).unwrap(),
            IssuerKeyId::of(key.verifying_key()),
            date(issued),
            date(expires),
            testkit::sample_holder(),
            *testkit::issuer_key().verifying_key(),
            testkit::entitlements(2),
        )
        .unwrap();
        QrCredential::issue(QrBody::for_card(&body), &key)
            .unwrap()
            .text()
            .to_owned()
    }

    fn outcome(lists: Option<&Lists>, policy: Policy, text: &str) -> Outcome {
        Checker::new(lists, policy).qr(text).outcome
    }

    #[test]
    fn each_qr_failure_gets_its_own_outcome() {
        let fresh = lists(IssuerStatus::Active, &[7], 0);
        let p = Policy::default();
        assert_eq!(
            outcome(Some(&fresh), p, &qr(1, "2026-01-15", "2036-01-14")),
            Outcome::ValidQrOnly
        );
        assert_eq!(
            outcome(Some(&fresh), p, &qr(2, "2010-01-01", "2020-01-01")),
            Outcome::NotInValidity,
            "expired"
        );
        assert_eq!(
            outcome(Some(&fresh), p, &qr(7, "2026-01-15", "2036-01-14")),
            Outcome::Revoked
        );
        let retired = lists(IssuerStatus::Retired, &[], 0);
        assert_eq!(
            outcome(Some(&retired), p, &qr(1, "2026-01-15", "2036-01-14")),
            Outcome::ValidQrOnly,
            "a retired key's cards stay good"
        );
        let compromised = lists(IssuerStatus::Revoked, &[], 0);
        assert_eq!(
            outcome(Some(&compromised), p, &qr(1, "2026-01-15", "2036-01-14")),
            Outcome::UntrustedIssuer
        );
        assert_eq!(
            outcome(None, p, &qr(1, "2026-01-15", "2036-01-14")),
            Outcome::UntrustedIssuer,
            "never synced"
        );
        assert_eq!(
            outcome(Some(&fresh), p, "ASXH1:NOT-BASE45!"),
            Outcome::NotACardQr,
            "a misread is not a forgery"
        );
        assert_eq!(
            outcome(Some(&fresh), p, "https://example.com/"),
            Outcome::NotACardQr,
            "another code"
        );
        let good = qr(1, "2026-01-15", "2036-01-14");
        assert_eq!(
            outcome(Some(&fresh), p, &good[..good.len() / 2]),
            Outcome::NotACardQr,
            "a cut-off scan"
        );
    }

    #[test]
    fn old_revocation_data_warns_or_refuses_by_policy_but_never_hides_a_revocation() {
        let old = lists(IssuerStatus::Active, &[7], 8 * 24 * 3600);
        let warn = Policy::default();
        let refuse = Policy {
            refuse_stale: true,
            ..warn
        };
        let v = Checker::new(Some(&old), warn).qr(&qr(1, "2026-01-15", "2036-01-14"));
        assert_eq!(v.outcome, Outcome::ValidQrOnlyStaleData, "amber, not green");
        assert_eq!(v.exit_code, 12);
        assert!(v.outcome.may_pay());
        assert!(
            v.warnings
                .iter()
                .any(|w| matches!(w, Finding::RevocationListOverdue { .. })),
            "next_update passed: {:?}",
            v.warnings
        );
        assert!(
            v.warnings.iter().any(|w| matches!(
                w,
                Finding::RevocationDataTooOld { age_seconds, allowed_seconds: 604_800 }
                    if *age_seconds >= 8 * 86_400
            )),
            "{:?}",
            v.warnings
        );
        assert_eq!(
            outcome(Some(&old), refuse, &qr(1, "2026-01-15", "2036-01-14")),
            Outcome::StaleRevocationData
        );
        assert_eq!(
            outcome(Some(&old), refuse, &qr(7, "2026-01-15", "2036-01-14")),
            Outcome::Revoked
        );
    }

    #[test]
    fn a_list_dated_in_the_future_never_counts_as_fresh() {
        let future = lists(IssuerStatus::Active, &[], (-(20 * 60i64)) as u64);
        let warn = Policy::default();
        let v = Checker::new(Some(&future), warn).qr(&qr(1, "2026-01-15", "2036-01-14"));
        assert_eq!(v.outcome, Outcome::ValidQrOnlyStaleData);
        assert!(v.revocation_list.as_ref().unwrap().age_seconds < -1000);
        assert!(
            v.warnings
                .iter()
                .any(|w| matches!(w, Finding::RevocationListFromTheFuture { .. })),
            "{:?}",
            v.warnings
        );
        let refuse = Policy {
            refuse_stale: true,
            ..warn
        };
        assert_eq!(
            outcome(Some(&future), refuse, &qr(1, "2026-01-15", "2036-01-14")),
            Outcome::StaleRevocationData
        );
        let within_skew = lists(IssuerStatus::Active, &[], (-60i64) as u64);
        assert_eq!(
            outcome(
                Some(&within_skew),
                refuse,
                &qr(1, "2026-01-15", "2036-01-14")
            ),
            Outcome::ValidQrOnly,
            "a minute ahead is within the clock skew"
        );
    }
}
