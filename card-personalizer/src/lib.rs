//! asxh-personalizer: the issuing office's tool. It checks what the clerk typed or the province's
//! list ([`request`], [`batch`]), personalizes cards through any [`asxh_core::card::Transport`]
//! with the server signing each credential ([`flow`], [`server`]), records a batch's progress so a
//! crash never issues an SSN twice ([`batch::Job`]), runs a whole list one card after another
//! ([`batch::run()`]), and prints the card face ([`face`]).
#![forbid(unsafe_code)]

pub mod batch;
pub mod error;
pub mod face;
pub mod flow;
pub mod request;
pub mod server;

pub use error::{FaceInput, PersonalizerError};
