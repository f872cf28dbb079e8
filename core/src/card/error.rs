//! What can go wrong talking to a card: no reader, no card, the card pulled out, the transport
//! failing, the card refusing a command with a status word, or answering with something that is
//! not what SPEC.md says the command returns.

use crate::apdu::StatusWord;
use crate::error::FormatError;

/// A failure of the reader, the transport or the card's answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CardIoError {
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
    Status {
        command: &'static str,
        sw: StatusWord,
    },
    /// The card answered with data that is not what SPEC.md says the command returns.
    #[error("card response to {command} is malformed: {problem}")]
    Response {
        command: &'static str,
        problem: String,
    },
    /// The card's answer is a data object that does not decode (the FCI of SELECT).
    #[error(transparent)]
    Format(#[from] FormatError),
}

/// Result alias for talking to a card.
pub(crate) type Result<T, E = CardIoError> = std::result::Result<T, E>;
