//! What a verification concludes: one [`Outcome`] (with its exit code) and the facts shown to
//! the clerk — holder, entitlements, issuer, revocation and the age of the revocation data. The
//! JSON form (`--json`) is a stable schema.

use asxh_core::view::CredentialView;
use serde::Serialize;

use crate::finding::Finding;
use crate::roll::{PaymentLine, RollInfo};
use crate::standing::EntitlementStanding;

/// The verdict, from the best to the worst news. The exit code is the process's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Genuine card, issuer trusted, not revoked, in validity, and the card proved it holds the
    /// key the credential names.
    Valid,
    /// The QR data is authentic, but a QR proves nothing about who shows it: check an ID.
    ValidQrOnly,
    /// [`Outcome::Valid`], but the revocation data is older than the point's `--max-list-age`
    /// (or there is none, or it is dated in the future) and the policy is to warn: amber, never
    /// the plain green verdict.
    ValidStaleData,
    /// [`Outcome::ValidQrOnly`] on revocation data too old for the policy, which warns.
    ValidQrOnlyStaleData,
    Revoked,
    /// Expired or not yet valid.
    NotInValidity,
    /// The card or QR is good, but every entitlement it names is outside its dates today
    /// (SPEC.md §5.5 step 4): nothing to pay.
    NothingPayable,
    /// Issuer key unknown, revoked, or outside its validity.
    UntrustedIssuer,
    /// Signature does not verify, or the data is malformed: forged or altered.
    Tampered,
    /// The credential is genuine but the card does not hold its key: a copy.
    CloneSuspected,
    /// The card is blocked, terminated or not issued.
    CardUnusable,
    /// The revocation data is older than the point's policy allows.
    StaleRevocationData,
    /// The reader or card did not answer properly.
    ReaderError,
    /// The scan is not a card's QR at all (another code, a misread, a cut-off scan): scan again.
    /// A misread is not a forgery; a QR that reads but does not verify is [`Outcome::Tampered`].
    NotACardQr,
}

impl Outcome {
    /// Every outcome, from the best to the worst news.
    pub const ALL: [Outcome; 14] = [
        Outcome::Valid,
        Outcome::ValidQrOnly,
        Outcome::ValidStaleData,
        Outcome::ValidQrOnlyStaleData,
        Outcome::Revoked,
        Outcome::NotInValidity,
        Outcome::NothingPayable,
        Outcome::UntrustedIssuer,
        Outcome::Tampered,
        Outcome::CloneSuspected,
        Outcome::CardUnusable,
        Outcome::StaleRevocationData,
        Outcome::ReaderError,
        Outcome::NotACardQr,
    ];

    pub fn exit_code(self) -> u8 {
        match self {
            Outcome::Valid => 0,
            Outcome::ValidQrOnly => 10,
            Outcome::ValidStaleData => 11,
            Outcome::ValidQrOnlyStaleData => 12,
            Outcome::Revoked => 20,
            Outcome::NotInValidity => 21,
            Outcome::NothingPayable => 26,
            Outcome::UntrustedIssuer => 22,
            Outcome::Tampered => 23,
            Outcome::CloneSuspected => 24,
            Outcome::CardUnusable => 25,
            Outcome::StaleRevocationData => 30,
            Outcome::ReaderError => 40,
            Outcome::NotACardQr => 43,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Valid => "valid",
            Outcome::ValidQrOnly => "valid_qr_only",
            Outcome::ValidStaleData => "valid_stale_data",
            Outcome::ValidQrOnlyStaleData => "valid_qr_only_stale_data",
            Outcome::Revoked => "revoked",
            Outcome::NotInValidity => "not_in_validity",
            Outcome::NothingPayable => "nothing_payable",
            Outcome::UntrustedIssuer => "untrusted_issuer",
            Outcome::Tampered => "tampered",
            Outcome::CloneSuspected => "clone_suspected",
            Outcome::CardUnusable => "card_unusable",
            Outcome::StaleRevocationData => "stale_revocation_data",
            Outcome::ReaderError => "reader_error",
            Outcome::NotACardQr => "not_a_card_qr",
        }
    }

    /// Whether the clerk may pay.
    pub fn may_pay(self) -> bool {
        matches!(
            self,
            Outcome::Valid
                | Outcome::ValidQrOnly
                | Outcome::ValidStaleData
                | Outcome::ValidQrOnlyStaleData
        )
    }

    /// The amber form of a good outcome, for revocation data too old for the policy.
    pub fn on_stale_data(self) -> Outcome {
        match self {
            Outcome::Valid => Outcome::ValidStaleData,
            Outcome::ValidQrOnly => Outcome::ValidQrOnlyStaleData,
            other => other,
        }
    }
}

/// The issuer as the trust list describes it.
#[derive(Debug, Clone, Serialize)]
pub struct IssuerInfo {
    pub key_id_hex: String,
    pub office: Option<String>,
    pub office_name: Option<String>,
    pub area: Option<String>,
    pub status: Option<String>,
}

/// A revocation found for the card.
#[derive(Debug, Clone, Serialize)]
pub struct RevocationInfo {
    pub reason: String,
    /// The version of the revocation list that holds the revocation.
    pub list_version: u64,
}

/// The revocation data the verdict relied on.
#[derive(Debug, Clone, Serialize)]
pub struct ListInfo {
    pub version: u64,
    /// Unix time the newest list was signed.
    pub issued_at: u64,
    /// Unix time by which the server promised a newer list.
    pub next_update: u64,
    /// Now − issued-at: negative when the list is dated in this point's future.
    pub age_seconds: i64,
}

/// The result of verifying one card or QR.
#[derive(Debug, Clone, Serialize)]
pub struct Verdict {
    pub outcome: Outcome,
    pub exit_code: u8,
    /// `card` or `qr`.
    pub medium: &'static str,
    /// Why the outcome is not `valid` (empty when it is).
    pub reasons: Vec<Finding>,
    /// What the clerk should know even when the outcome is good (e.g. old revocation data).
    pub warnings: Vec<Finding>,
    pub serial: Option<String>,
    pub holder: Option<CredentialView>,
    /// Each of the holder's entitlements, in the credential's order, with whether it may be
    /// paid on the verification day (empty until the credential verified).
    pub entitlements: Vec<EntitlementStanding>,
    pub issuer: Option<IssuerInfo>,
    pub revocation: Option<RevocationInfo>,
    pub revocation_list: Option<ListInfo>,
    /// The payment roll of the point's area for this month, when the point holds one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub roll: Option<RollInfo>,
    /// This month's lines from the roll for the holder, each with whether it may be paid now
    /// (empty without a roll, or when the holder is not on it).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub lines: Vec<PaymentLine>,
    /// Unix time of the verification.
    pub checked_at: u64,
    /// Command APDUs sent and bytes on the wire both ways (cards only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wire: Option<WireInfo>,
}

/// What the verification cost on the card interface.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct WireInfo {
    pub commands: u32,
    pub bytes: u64,
}

impl Verdict {
    pub fn new(medium: &'static str, checked_at: u64) -> Self {
        Verdict {
            outcome: Outcome::Valid,
            exit_code: 0,
            medium,
            reasons: Vec::new(),
            warnings: Vec::new(),
            serial: None,
            holder: None,
            entitlements: Vec::new(),
            issuer: None,
            revocation: None,
            revocation_list: None,
            roll: None,
            lines: Vec::new(),
            checked_at,
            wire: None,
        }
    }

    /// Settles the outcome, with its reason if it has one.
    pub fn conclude(mut self, outcome: Outcome, reason: impl Into<Option<Finding>>) -> Self {
        self.outcome = outcome;
        self.exit_code = outcome.exit_code();
        self.reasons.extend(reason.into());
        self
    }
}
