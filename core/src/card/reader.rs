//! A reader where cards come and go: what a batch of personalizations or a payment point's
//! day-long watch needs beyond one [`Transport`] — wait for a card, connect to it, wait until it
//! is taken out. The PC/SC reader implements it (`PcscReader`, with the `pcsc` feature); tests
//! feed cards through an in-process one.

use std::time::Duration;

use super::error::Result;
use super::Transport;

/// A card reader into which cards are inserted one after another.
pub trait CardReader {
    /// Waits until a card is in the reader; [`super::CardIoError::NoCard`] when `wait` passed
    /// without one.
    fn wait_for_card(&mut self, wait: Duration) -> Result<()>;

    /// Connects to the card in the reader, waiting up to `wait` for one to be inserted.
    fn connect(&mut self, wait: Duration) -> Result<Box<dyn Transport + '_>>;

    /// Waits until the card is taken out of the reader (or `wait` passes).
    fn wait_for_removal(&mut self, wait: Duration) -> Result<()>;
}
