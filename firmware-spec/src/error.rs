//! The one error type of asxh-card: what can go wrong around the state machine (the state
//! machine itself answers with status words).

/// Errors of storage, state decoding and the vpcd bridge.
#[derive(Debug, thiserror::Error)]
pub enum CardError {
    #[error("card storage {path}: {source}")]
    Storage {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("power was cut during the write (injected)")]
    PowerCut,
    #[error("stored card state is corrupt: {0}")]
    CorruptState(#[from] asxh_core::FormatError),
    #[error("vpcd connection to {addr}: {source}")]
    Vpcd {
        addr: String,
        #[source]
        source: std::io::Error,
    },
    #[error("vpcd sent a malformed frame: {0}")]
    VpcdProtocol(String),
}
