//! The verifier's one error type: what stops a command before it reaches a verdict. (A card that
//! fails verification is not an error: it is a [`asxh_verdict::Verdict`] with its outcome.)

/// Everything a verifier command can fail with, each with its exit code.
#[derive(Debug, thiserror::Error)]
pub enum VerifierError {
    #[error("{0}")]
    Usage(String),
    #[error("{0}")]
    NotInitialised(String),
    #[error("local storage: {0}")]
    Storage(String),
    #[error("cannot reach the server: {0}")]
    Network(String),
    /// The server's TLS certificate was not accepted (the message says what to do, in
    /// Vietnamese; its catalogue text in English on request).
    #[error("{0}")]
    Certificate(asxh_client::CertificateProblem),
    /// The server sent something that must not be trusted: a list that does not verify, an older
    /// version than the one held, a root key that does not match the pinned fingerprint.
    #[error("refused what the server sent: {0}")]
    Refused(String),
}

impl VerifierError {
    /// The process exit code (the verdict codes 0–40 are in [`asxh_verdict::Outcome`]).
    pub fn exit_code(&self) -> u8 {
        match self {
            VerifierError::Usage(_) | VerifierError::NotInitialised(_) => 2,
            VerifierError::Storage(_) => 3,
            VerifierError::Network(_) | VerifierError::Certificate(_) => 41,
            VerifierError::Refused(_) => 42,
        }
    }
}

impl From<rusqlite::Error> for VerifierError {
    fn from(e: rusqlite::Error) -> Self {
        VerifierError::Storage(e.to_string())
    }
}

pub type Result<T, E = VerifierError> = std::result::Result<T, E>;
