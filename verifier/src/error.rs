//! The verifier's one error type: what stops a command before it reaches a verdict. (A card that
//! fails verification is not an error: it is a [`asxh_verdict::Verdict`] with its outcome.) The
//! clerk reads it from the catalogue ([`Catalogued`]), in Vietnamese by default; the technical
//! detail of a lower layer (a database, the network, a parser) follows as it was reported.

use std::path::PathBuf;

use asxh_text::message::Args;
use asxh_text::usage::Usage;
use asxh_text::{local_time, Catalogued, Lang, Msg};

/// Everything a verifier command can fail with, each with its exit code.
#[derive(Debug, thiserror::Error)]
pub enum VerifierError {
    #[error("{0}")]
    Usage(Usage),
    #[error("{} is not a verifier data directory: run `asxh-verifier init --data {} --server URL --root-fingerprint HEX` first", .0.display(), .0.display())]
    NotInitialised(PathBuf),
    #[error("local storage: {0}")]
    Storage(String),
    #[error("cannot reach the server: {0}")]
    Network(String),
    /// The server's TLS certificate was not accepted.
    #[error("{0}")]
    Certificate(asxh_client::CertificateProblem),
    /// The server sent something that must not be trusted: a list that does not verify, an older
    /// version than the one held, a root key that does not match the pinned fingerprint.
    #[error("refused what the server sent: {}", .0.text(Lang::En))]
    Refused(Refusal),
    /// A payment not made (nothing stored).
    #[error("{}", .0.text(Lang::En))]
    Pay(crate::pay::PayRefusal),
    /// `counter --listen` names an address other computers could reach.
    #[error("--listen {0} is not a loopback address")]
    NotLoopback(String),
    /// The counter page's address cannot be listened on.
    #[error("cannot serve the counter page at {listen}: {detail}")]
    CannotListen { listen: String, detail: String },
    /// The server refused the point's key or an upload as a whole (the receipts stay waiting).
    #[error("the server refused {} ({status}: {detail})", Lang::En.text(.what.msg()))]
    ServerRefused {
        what: Upload,
        status: u16,
        detail: String,
    },
}

/// What the point sent the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Upload {
    PointKey,
    Receipts,
}

impl Upload {
    pub fn msg(self) -> Msg {
        match self {
            Upload::PointKey => Msg::UploadWhatKey,
            Upload::Receipts => Msg::UploadWhatReceipts,
        }
    }
}

/// A list the verifier holds or fetches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListName {
    TrustList,
    RevocationList,
    RevocationDelta,
    PaymentRoll,
    PaymentRollDelta,
}

impl ListName {
    pub fn msg(self) -> Msg {
        match self {
            ListName::TrustList => Msg::ListTrust,
            ListName::RevocationList => Msg::ListRevocation,
            ListName::RevocationDelta => Msg::ListRevocationDelta,
            ListName::PaymentRoll => Msg::ListRoll,
            ListName::PaymentRollDelta => Msg::ListRollDelta,
        }
    }
}

/// Why something the server sent, or the cache of it, is not trusted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The list's signature or format does not check (`detail` says how).
    DoesNotVerify {
        list: ListName,
        detail: String,
    },
    /// A list older than the one held: a rollback.
    Older {
        list: ListName,
        version: u64,
        held: u64,
    },
    /// A delta where a full list was asked for, or the other way round.
    WrongKind {
        delta_asked: bool,
    },
    /// Signed (Unix time `issued_at`) further in this computer's future (`now`) than clocks differ.
    FromTheFuture {
        list: ListName,
        issued_at: u64,
        now: u64,
    },
    RootKeyUnreadable {
        detail: String,
    },
    RootMismatch {
        actual: String,
        pinned: String,
    },
    NoTrustListAfterSync,
    /// What this point keeps no longer verifies (a damaged cache, a changed key): sync again.
    CacheDoesNotVerify {
        list: ListName,
        detail: String,
    },
    /// A payment roll of another area or month than the one asked for.
    RollOtherArea {
        area: String,
        month: String,
        expected_area: String,
        expected_month: String,
    },
}

impl Catalogued for Refusal {
    fn message(&self, lang: Lang) -> (Msg, Args) {
        let list = |l: &ListName| ("list", lang.text(l.msg()).to_owned());
        match self {
            Refusal::DoesNotVerify { list: l, detail } => (
                Msg::RefusalDoesNotVerify,
                vec![list(l), ("detail", detail.clone())],
            ),
            Refusal::Older {
                list: l,
                version,
                held,
            } => (
                Msg::RefusalOlder,
                vec![
                    list(l),
                    ("version", version.to_string()),
                    ("held", held.to_string()),
                ],
            ),
            Refusal::WrongKind { delta_asked: true } => (Msg::RefusalFullForDelta, vec![]),
            Refusal::WrongKind { delta_asked: false } => (Msg::RefusalDeltaForFull, vec![]),
            Refusal::FromTheFuture {
                list: l,
                issued_at,
                now,
            } => (
                Msg::RefusalFromTheFuture,
                vec![
                    list(l),
                    ("dated", local_time(*issued_at as i64)),
                    (
                        "skew",
                        lang.duration(asxh_verdict::check::CLOCK_SKEW.as_secs()),
                    ),
                    ("now", local_time(*now as i64)),
                ],
            ),
            Refusal::RootKeyUnreadable { detail } => (
                Msg::RefusalRootKeyUnreadable,
                vec![("detail", detail.clone())],
            ),
            Refusal::RootMismatch { actual, pinned } => (
                Msg::RefusalRootMismatch,
                vec![("actual", actual.clone()), ("pinned", pinned.clone())],
            ),
            Refusal::NoTrustListAfterSync => (Msg::RefusalNoTrustListAfterSync, vec![]),
            Refusal::CacheDoesNotVerify { list: l, detail } => (
                Msg::RefusalCacheDoesNotVerify,
                vec![list(l), ("detail", detail.clone())],
            ),
            Refusal::RollOtherArea {
                area,
                month,
                expected_area,
                expected_month,
            } => (
                Msg::RefusalRollOtherArea,
                vec![
                    ("area", area.clone()),
                    ("month", asxh_text::format::date(month)),
                    ("expected_area", expected_area.clone()),
                    ("expected_month", asxh_text::format::date(expected_month)),
                ],
            ),
        }
    }

    fn examples() -> Vec<Self> {
        let detail = || "bad signature".to_owned();
        vec![
            Refusal::DoesNotVerify {
                list: ListName::TrustList,
                detail: detail(),
            },
            Refusal::Older {
                list: ListName::RevocationList,
                version: 1,
                held: 2,
            },
            Refusal::WrongKind { delta_asked: true },
            Refusal::WrongKind { delta_asked: false },
            Refusal::FromTheFuture {
                list: ListName::RevocationDelta,
                issued_at: 1_795_615_380,
                now: 1_795_600_000,
            },
            Refusal::RootKeyUnreadable { detail: detail() },
            Refusal::RootMismatch {
                actual: "ab".into(),
                pinned: "cd".into(),
            },
            Refusal::NoTrustListAfterSync,
            Refusal::CacheDoesNotVerify {
                list: ListName::TrustList,
                detail: detail(),
            },
            Refusal::RollOtherArea {
                area: "51.429.22904".into(),
                month: "2026-12".into(),
                expected_area: "51.429.22903".into(),
                expected_month: "2026-12".into(),
            },
        ]
    }
}

impl Catalogued for VerifierError {
    fn message(&self, lang: Lang) -> (Msg, Args) {
        let detail = |d: &String| vec![("detail", d.clone())];
        match self {
            VerifierError::Usage(u) => u.as_error(lang),
            VerifierError::NotInitialised(dir) => (
                Msg::VerifierNotInitialised,
                vec![("dir", dir.display().to_string())],
            ),
            VerifierError::Storage(d) => (Msg::VerifierStorage, detail(d)),
            VerifierError::Network(d) => (Msg::ErrorNetwork, detail(d)),
            VerifierError::Certificate(p) => (Msg::Nested, vec![("text", p.text(lang))]),
            VerifierError::Refused(r) => (Msg::VerifierRefused, vec![("what", r.text(lang))]),
            VerifierError::Pay(r) => (Msg::Nested, vec![("text", r.text(lang))]),
            VerifierError::NotLoopback(listen) => {
                (Msg::CounterNotLoopback, vec![("listen", listen.clone())])
            }
            VerifierError::CannotListen { listen, detail } => (
                Msg::CounterCannotListen,
                vec![("listen", listen.clone()), ("detail", detail.clone())],
            ),
            VerifierError::ServerRefused {
                what,
                status,
                detail,
            } => (
                Msg::VerifierServerRefused,
                vec![
                    ("what", lang.text(what.msg()).to_owned()),
                    ("status", status.to_string()),
                    ("detail", detail.clone()),
                ],
            ),
        }
    }

    fn examples() -> Vec<Self> {
        let mut all = vec![
            VerifierError::NotInitialised("/var/lib/asxh".into()),
            VerifierError::Storage("disk I/O error".into()),
            VerifierError::Network("connection refused".into()),
            VerifierError::NotLoopback("0.0.0.0:8765".into()),
            VerifierError::CannotListen {
                listen: "127.0.0.1:8765".into(),
                detail: "address in use".into(),
            },
        ];
        all.extend(
            asxh_client::CertificateProblem::examples()
                .into_iter()
                .map(VerifierError::Certificate),
        );
        all.extend(Refusal::examples().into_iter().map(VerifierError::Refused));
        all.extend(Usage::examples().into_iter().map(VerifierError::Usage));
        all.extend(
            crate::pay::PayRefusal::examples()
                .into_iter()
                .map(VerifierError::Pay),
        );
        all.push(VerifierError::ServerRefused {
            what: Upload::PointKey,
            status: 409,
            detail: "payment point code bound to another account".into(),
        });
        all
    }
}

impl VerifierError {
    /// The process exit code (the verdict codes 0–40 are in [`asxh_verdict::Outcome`]): 2
    /// usage, 3 local storage, 41 server unreachable, 42 the server sent something that does
    /// not verify, 50 already paid (here or on the roll), 51 the lines asked for are not
    /// payable, 52 the collector may not take them, 53 the card did not sign (pulled out, or a
    /// signature that does not verify): nothing stored, 54 the server refused the point's key or
    /// its upload.
    pub fn exit_code(&self) -> u8 {
        match self {
            VerifierError::Usage(_) | VerifierError::NotInitialised(_) => 2,
            VerifierError::Storage(_) => 3,
            VerifierError::Network(_) | VerifierError::Certificate(_) => 41,
            VerifierError::Refused(_) => 42,
            VerifierError::Pay(r) => r.exit_code(),
            VerifierError::ServerRefused { .. } => 54,
            VerifierError::NotLoopback(_) => 55,
            VerifierError::CannotListen { .. } => 56,
        }
    }
}

impl From<rusqlite::Error> for VerifierError {
    fn from(e: rusqlite::Error) -> Self {
        VerifierError::Storage(e.to_string())
    }
}

pub type Result<T, E = VerifierError> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_a_clerk_can_meet_has_its_vietnamese_text() {
        asxh_text::message::check_catalogued::<Refusal>().unwrap();
        asxh_text::message::check_catalogued::<VerifierError>().unwrap();
        asxh_text::message::check_catalogued::<crate::sync::SyncNote>().unwrap();
        asxh_text::message::check_catalogued::<crate::pay::PayRefusal>().unwrap();
        asxh_text::message::check_catalogued::<crate::upload::UploadReport>().unwrap();
    }

    #[test]
    fn a_list_from_the_future_says_to_check_the_clock_in_local_time() {
        let e = VerifierError::Refused(Refusal::FromTheFuture {
            list: ListName::TrustList,
            issued_at: 1_795_615_380,
            now: 1_795_600_000,
        });
        let vi = e.text(Lang::Vi);
        assert!(
            vi.contains("25/11/2026 21:03") && vi.contains("đồng hồ"),
            "{vi}"
        );
        assert!(
            e.text(Lang::En)
                .contains("the trust list is dated 25/11/2026 21:03"),
            "{}",
            e.text(Lang::En)
        );
    }
}
