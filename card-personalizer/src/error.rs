//! The personalizer's one error type, each with the message a clerk reads (from the catalogue,
//! [`Catalogued`]: Vietnamese by default) and an exit code. The technical detail of a lower layer
//! (the card, the server's own words, a parser) follows as it was reported.

use asxh_core::card::LifeCycle;
use asxh_text::message::{fill, Args};
use asxh_text::usage::Usage;
use asxh_text::{Catalogued, Lang, Msg};

use crate::request::FieldProblem;

#[derive(Debug, thiserror::Error)]
pub enum PersonalizerError {
    #[error("{0}")]
    Usage(Usage),
    #[error("invalid card data: {}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<FieldProblem>),
    /// A list or an input refused, already worded for the clerk where it arose.
    #[error("{0}")]
    InvalidInput(String),
    /// What a card face cannot be printed from.
    #[error("{0}")]
    Face(FaceInput),
    /// Rows of the list `input` that would change cards already issued, or that the server
    /// would refuse: no card was touched.
    #[error("{count} rows of {} {}", .input.display(), if *.by_server { "the server would refuse" } else { "change cards already issued" })]
    RowsRefused {
        count: usize,
        input: std::path::PathBuf,
        by_server: bool,
    },
    /// The card is not blank: it is never overwritten.
    #[error("the card is {}{}: it is never overwritten; insert a blank card", .life_cycle.name(), .serial.as_ref().map(|s| format!(" (card {s})")).unwrap_or_default())]
    CardNotBlank {
        life_cycle: LifeCycle,
        serial: Option<String>,
    },
    #[error("card or reader: {0}")]
    Card(#[from] asxh_core::card::CardIoError),
    /// The written card failed the read-back check.
    #[error("the written card does not verify: {0}")]
    ReadBack(String),
    #[error("server refused ({status} {code}{}): {message}", .field.as_ref().map(|f| format!(", field {f}")).unwrap_or_default())]
    Server {
        status: u16,
        code: String,
        message: String,
        field: Option<String>,
    },
    /// The account may not do what was asked (found before any card was touched).
    #[error("{0}")]
    Account(String),
    /// Likely duplicates wait for a clerk's decision.
    #[error("{0} rows may be people already listed or issued under another SSN: decide them with --accept-duplicates")]
    Duplicates(usize),
    #[error("cannot reach the server: {0}")]
    Network(String),
    /// The server's TLS certificate was not accepted (the message says what to do).
    #[error("{0}")]
    Certificate(asxh_client::CertificateProblem),
    #[error("job file: {0}")]
    Job(String),
    #[error("{0}")]
    Io(String),
}

impl Catalogued for PersonalizerError {
    fn message(&self, lang: Lang) -> (Msg, Args) {
        use PersonalizerError as E;
        let detail = |d: String| vec![("detail", d)];
        let nested = |text: String| (Msg::Nested, vec![("text", text)]);
        match self {
            E::Usage(u) => u.as_error(lang),
            E::Invalid(problems) => (
                Msg::PersonalizerInvalid,
                vec![(
                    "problems",
                    problems
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join("; "),
                )],
            ),
            // Already written for the clerk where they arise (list and account checks).
            E::InvalidInput(text) | E::Account(text) | E::Io(text) => nested(text.clone()),
            E::RowsRefused {
                count,
                input,
                by_server,
            } => (
                if *by_server {
                    Msg::PersonalizerRowsServerRefuses
                } else {
                    Msg::PersonalizerRowsChangeIssued
                },
                vec![
                    ("count", lang.count(*count as u64)),
                    ("input", input.display().to_string()),
                ],
            ),
            E::CardNotBlank { life_cycle, serial } => (
                Msg::PersonalizerCardNotBlank,
                vec![
                    (
                        "state",
                        lang.text(asxh_verdict::finding::life_cycle(*life_cycle))
                            .to_owned(),
                    ),
                    (
                        "serial",
                        serial
                            .as_ref()
                            .map(|s| {
                                fill(
                                    lang.text(Msg::PersonalizerCardSerial),
                                    &[("serial", s.clone())],
                                )
                            })
                            .unwrap_or_default(),
                    ),
                ],
            ),
            E::Card(e) => (Msg::PersonalizerCard, detail(e.to_string())),
            E::ReadBack(d) => (Msg::PersonalizerReadBack, detail(d.clone())),
            E::Server {
                status,
                code,
                message,
                field,
            } => {
                let meaning = asxh_api::ErrorCode::parse(code)
                    .map_or(Msg::ProblemServer, asxh_api::ErrorCode::meaning);
                let field = field
                    .as_ref()
                    .map(|f| format!(", field {f}"))
                    .unwrap_or_default();
                (
                    Msg::PersonalizerServer,
                    vec![
                        ("status", status.to_string()),
                        ("meaning", lang.text(meaning).to_owned()),
                        ("code", format!("{code}{field}")),
                        ("message", message.clone()),
                    ],
                )
            }
            E::Duplicates(n) => (
                Msg::PersonalizerDuplicates,
                vec![("count", lang.count(*n as u64))],
            ),
            E::Network(d) => (Msg::ErrorNetwork, detail(d.clone())),
            E::Certificate(p) => nested(p.text(lang)),
            E::Face(input) => nested(input.text(lang)),
            E::Job(d) => (Msg::PersonalizerJob, detail(d.clone())),
        }
    }

    fn examples() -> Vec<Self> {
        use PersonalizerError as E;
        let mut all = vec![
            E::Usage(Usage::Value {
                option: "--admin-code",
                problem: Box::new(asxh_core::Problem::AdminCodeForm),
            }),
            E::Invalid(vec![FieldProblem::new(
                "ssn",
                Lang::Vi,
                "\"05114600012\" không đủ 12 chữ số".into(),
            )]),
            E::InvalidInput("…".into()),
            E::RowsRefused {
                count: 2,
                input: "xa-nghia-hanh.xlsx".into(),
                by_server: true,
            },
            E::RowsRefused {
                count: 1,
                input: "xa-nghia-hanh.xlsx".into(),
                by_server: false,
            },
            E::CardNotBlank {
                life_cycle: LifeCycle::Issued,
                serial: Some("0000-0001-7".into()),
            },
            E::CardNotBlank {
                life_cycle: LifeCycle::Terminated,
                serial: None,
            },
            E::Card(asxh_core::card::CardIoError::Status {
                command: "SELECT",
                sw: asxh_core::apdu::StatusWord(0x6A82),
            }),
            E::ReadBack("tampered".into()),
            E::Server {
                status: 409,
                code: "conflict".into(),
                message: "this SSN already has a live card".into(),
                field: None,
            },
            E::Server {
                status: 422,
                code: "invalid_field".into(),
                message: "not a date".into(),
                field: Some("date_of_birth".into()),
            },
            E::Account("…".into()),
            E::Duplicates(2),
            E::Network("connection refused".into()),
            E::Job("database is locked".into()),
            E::Io("cannot write face.png".into()),
        ];
        all.extend(
            asxh_client::CertificateProblem::examples()
                .into_iter()
                .map(E::Certificate),
        );
        all.extend(FaceInput::examples().into_iter().map(E::Face));
        all.extend(Usage::examples().into_iter().map(E::Usage));
        all
    }
}

impl PersonalizerError {
    /// Whether the server refused the row for good (outside the account's area, a live card
    /// already, a field it does not accept): trying again without correcting it cannot help.
    pub fn is_permanent_refusal(&self) -> bool {
        matches!(
            self,
            PersonalizerError::Server {
                status: 403 | 409 | 422,
                ..
            }
        )
    }

    pub fn exit_code(&self) -> u8 {
        match self {
            PersonalizerError::Usage(_) => 2,
            PersonalizerError::Invalid(_)
            | PersonalizerError::InvalidInput(_)
            | PersonalizerError::Face(_)
            | PersonalizerError::RowsRefused { .. } => 3,
            PersonalizerError::CardNotBlank { .. } => 4,
            PersonalizerError::Card(_) => 40,
            PersonalizerError::ReadBack(_) => 5,
            PersonalizerError::Server { .. } | PersonalizerError::Account(_) => 6,
            PersonalizerError::Duplicates(_) => 9,
            PersonalizerError::Network(_) | PersonalizerError::Certificate(_) => 41,
            PersonalizerError::Job(_) | PersonalizerError::Io(_) => 7,
        }
    }
}

impl From<rusqlite::Error> for PersonalizerError {
    fn from(e: rusqlite::Error) -> Self {
        PersonalizerError::Job(e.to_string())
    }
}

pub type Result<T, E = PersonalizerError> = std::result::Result<T, E>;

/// What a card face cannot be printed from: a credential or a card file that does not read, or
/// data that does not fit the face.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FaceInput {
    CredentialNotHex,
    CredentialUnreadable {
        detail: String,
    },
    NotACardFile {
        path: String,
        detail: String,
    },
    QrDoesNotFit {
        detail: String,
    },
    /// A QR code of `modules` modules a side, more than `max` print legibly on the face.
    QrTooDense {
        modules: u32,
        max: u32,
    },
    /// The face's text does not fit at its smallest legible size.
    NoRoom {
        label: String,
        value: String,
        min_pt: String,
    },
}

impl Catalogued for FaceInput {
    fn message(&self, _: Lang) -> (Msg, Args) {
        let detail = |d: &String| vec![("detail", d.clone())];
        match self {
            FaceInput::CredentialNotHex => (Msg::FaceCredentialNotHex, vec![]),
            FaceInput::CredentialUnreadable { detail: d } => {
                (Msg::FaceCredentialUnreadable, detail(d))
            }
            FaceInput::NotACardFile { path, detail } => (
                Msg::FaceNotACardFile,
                vec![("path", path.clone()), ("detail", detail.clone())],
            ),
            FaceInput::QrDoesNotFit { detail: d } => (Msg::FaceQrDoesNotFit, detail(d)),
            FaceInput::QrTooDense { modules, max } => (
                Msg::FaceQrTooDense,
                vec![("modules", modules.to_string()), ("max", max.to_string())],
            ),
            FaceInput::NoRoom {
                label,
                value,
                min_pt,
            } => (
                Msg::FaceNoRoom,
                vec![
                    ("label", label.clone()),
                    ("value", format!("\"{value}\"")),
                    ("min_pt", min_pt.clone()),
                ],
            ),
        }
    }

    fn examples() -> Vec<Self> {
        vec![
            FaceInput::CredentialNotHex,
            FaceInput::CredentialUnreadable {
                detail: "malformed credential".into(),
            },
            FaceInput::NotACardFile {
                path: "card.json".into(),
                detail: "expected value at line 1".into(),
            },
            FaceInput::QrDoesNotFit {
                detail: "data too long".into(),
            },
            FaceInput::QrTooDense {
                modules: 90,
                max: 80,
            },
            FaceInput::NoRoom {
                label: "Nơi cấp:".into(),
                value: "UBND xã …".into(),
                min_pt: "6".into(),
            },
        ]
    }
}

impl std::fmt::Display for FaceInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text(Lang::En))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_a_clerk_can_meet_has_its_vietnamese_text() {
        asxh_text::message::check_catalogued::<PersonalizerError>().unwrap();
    }

    #[test]
    fn a_server_refusal_says_what_it_means_and_keeps_the_servers_words_as_detail() {
        let e = PersonalizerError::Server {
            status: 403,
            code: "forbidden".into(),
            message: "area 79 is outside".into(),
            field: None,
        };
        assert_eq!(
            e.text(Lang::Vi),
            "Máy chủ từ chối (403): Tài khoản này không được làm việc này, hoặc việc này nằm ngoài địa bàn của tài khoản. (chi tiết kỹ thuật: forbidden: area 79 is outside)"
        );
        assert_eq!(e.text(Lang::En), e.to_string());
    }
}
