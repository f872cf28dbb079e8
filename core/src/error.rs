//! The one error type of asxh-core. Each variant names what was wrong and what was expected, so
//! the binaries can show it to a clerk and map it to a distinct exit code or HTTP status.

use crate::apdu::StatusWord;

/// Everything that can go wrong in asxh-core.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// A value (from a form, a CSV row, a credential body) is not acceptable.
    #[error("invalid {0}")]
    InvalidField(FieldError),
    /// Bytes that should be BER-TLV (or another binary format) are not well formed.
    #[error("malformed {context}: {problem}")]
    Malformed {
        context: &'static str,
        problem: String,
    },
    /// Well-formed TLV, but not the tag the format requires at this place.
    #[error("{context}: expected tag {expected}, found {found}")]
    UnexpectedTag {
        context: &'static str,
        expected: String,
        found: String,
    },
    /// The issuer's signature does not verify over the body.
    #[error("signature of the {context} does not verify with key {key_id}")]
    BadSignature {
        context: &'static str,
        key_id: String,
    },
    /// No PC/SC reader matches what was asked for.
    #[error("no smart-card reader found{}", match .pattern { Some(p) => format!(" whose name contains {p:?}"), None => String::new() })]
    NoReader { pattern: Option<String> },
    /// No card was inserted before the timeout.
    #[error("no card inserted in reader {reader:?} within {waited_ms} ms")]
    NoCard { reader: String, waited_ms: u64 },
    /// The card left the reader (or lost power) during an exchange.
    #[error("the card was removed or reset during {during}")]
    CardRemoved { during: String },
    /// Any other failure of the transport (PC/SC service down, socket closed, ...).
    #[error("card transport failed: {0}")]
    Transport(String),
    /// The card answered a command with a status word other than success.
    #[error("card refused {command}: {sw} ({})", .sw.meaning())]
    CardStatus {
        command: &'static str,
        sw: StatusWord,
    },
    /// The card answered with data that is not what SPEC.md says the command returns.
    #[error("card response to {command} is malformed: {problem}")]
    CardResponse {
        command: &'static str,
        problem: String,
    },
}

/// Which field was invalid and why, with what was expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {problem}")]
pub struct FieldError {
    pub field: &'static str,
    pub problem: String,
}

impl Error {
    /// Builds an [`Error::InvalidField`].
    pub fn field(field: &'static str, problem: impl Into<String>) -> Self {
        Error::InvalidField(FieldError {
            field,
            problem: problem.into(),
        })
    }

    /// Builds an [`Error::Malformed`].
    pub fn malformed(context: &'static str, problem: impl Into<String>) -> Self {
        Error::Malformed {
            context,
            problem: problem.into(),
        }
    }

    /// The stable, machine-readable kind used in test vectors and JSON output:
    /// `malformed`, `wrong_tag`, `invalid_field`, `bad_signature`, `card_status`,
    /// `card_response`, `no_reader`, `no_card`, `card_removed` or `transport`.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::InvalidField(_) => "invalid_field",
            Error::Malformed { .. } => "malformed",
            Error::UnexpectedTag { .. } => "wrong_tag",
            Error::BadSignature { .. } => "bad_signature",
            Error::NoReader { .. } => "no_reader",
            Error::NoCard { .. } => "no_card",
            Error::CardRemoved { .. } => "card_removed",
            Error::Transport(_) => "transport",
            Error::CardStatus { .. } => "card_status",
            Error::CardResponse { .. } => "card_response",
        }
    }

    /// The field this error is about, when it is about one.
    pub fn field_name(&self) -> Option<&'static str> {
        match self {
            Error::InvalidField(f) => Some(f.field),
            _ => None,
        }
    }
}

/// Result alias for asxh-core.
pub type Result<T, E = Error> = std::result::Result<T, E>;
