//! The error of the data formats: what is wrong with a value, a credential, a QR payload or a
//! list, each variant naming what was wrong and what was expected. Failures of talking to a card
//! are `card::CardIoError`, a type of their own.

/// A value or an encoding that is not acceptable: bad input from a form or a CSV row, bytes that
/// do not decode, or a signature that does not verify.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FormatError {
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
}

/// Which field was invalid and why, with what was expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {problem}")]
pub struct FieldError {
    pub field: &'static str,
    pub problem: String,
}

impl FormatError {
    /// Builds a [`FormatError::InvalidField`].
    pub fn field(field: &'static str, problem: impl Into<String>) -> Self {
        FormatError::InvalidField(FieldError {
            field,
            problem: problem.into(),
        })
    }

    /// Builds a [`FormatError::Malformed`].
    pub fn malformed(context: &'static str, problem: impl Into<String>) -> Self {
        FormatError::Malformed {
            context,
            problem: problem.into(),
        }
    }

    /// The stable, machine-readable kind used in the test vectors' `expect` and in JSON output:
    /// `malformed`, `wrong_tag`, `invalid_field` or `bad_signature`. Code that decides something
    /// matches on the variants instead.
    pub fn kind(&self) -> &'static str {
        match self {
            FormatError::InvalidField(_) => "invalid_field",
            FormatError::Malformed { .. } => "malformed",
            FormatError::UnexpectedTag { .. } => "wrong_tag",
            FormatError::BadSignature { .. } => "bad_signature",
        }
    }

    /// The field this error is about, when it is about one.
    pub fn field_name(&self) -> Option<&'static str> {
        match self {
            FormatError::InvalidField(f) => Some(f.field),
            _ => None,
        }
    }
}

/// Result alias for the formats of asxh-core.
pub type Result<T, E = FormatError> = std::result::Result<T, E>;
