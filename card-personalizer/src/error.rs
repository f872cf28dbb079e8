//! The personalizer's one error type, each with the message a clerk reads and an exit code.

use crate::request::FieldProblem;

#[derive(Debug, thiserror::Error)]
pub enum PersonalizerError {
    #[error("{0}")]
    Usage(String),
    #[error("invalid card data: {}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<FieldProblem>),
    #[error("{0}")]
    InvalidInput(String),
    /// The card is not blank: it is never overwritten.
    #[error("the card is {life_cycle}{}: it is never overwritten; insert a blank card", .serial.as_ref().map(|s| format!(" (card {s})")).unwrap_or_default())]
    CardNotBlank {
        life_cycle: String,
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
    /// The server's TLS certificate was not accepted (the message says what to do, in
    /// Vietnamese; its catalogue text in English on request).
    #[error("{0}")]
    Certificate(asxh_client::CertificateProblem),
    #[error("job file: {0}")]
    Job(String),
    #[error("{0}")]
    Io(String),
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
            PersonalizerError::Invalid(_) | PersonalizerError::InvalidInput(_) => 3,
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
