//! A card reader in the test process: the cards a test lines up are "inserted" one after
//! another, each answering through the in-process transport, so a batch run or a payment
//! point's watch loop can be driven without pcscd.

use std::collections::VecDeque;
use std::time::Duration;

use asxh_card::{CardApp, MemoryStorage};
use asxh_core::card::{CardApplication, CardIoError, CardReader, InProcessTransport, Transport};

/// The name the reader gives in its errors.
const NAME: &str = "in-process reader";

/// A reader fed with a queue of cards (reference cards in memory by default; boxed card
/// applications to mix genuine cards with attackers' ones).
pub struct InProcessReader<A: CardApplication = CardApp<MemoryStorage>> {
    queue: VecDeque<A>,
    inserted: Option<A>,
    removed: Vec<A>,
    connections: usize,
}

impl<A: CardApplication> InProcessReader<A> {
    /// A reader into which `cards` will be inserted in order.
    pub fn new(cards: impl IntoIterator<Item = A>) -> Self {
        InProcessReader {
            queue: cards.into_iter().collect(),
            inserted: None,
            removed: Vec::new(),
            connections: 0,
        }
    }

    /// The cards taken out so far, in order (the card still inserted, if any, last).
    pub fn into_cards(self) -> Vec<A> {
        let mut cards = self.removed;
        cards.extend(self.inserted);
        cards
    }

    /// How many times a client connected.
    pub fn connections(&self) -> usize {
        self.connections
    }

    /// Inserts the next card if none is in; the queue running dry is a transport failure, so
    /// that a loop waiting for cards ends instead of waiting for ever.
    fn insert(&mut self) -> Result<&mut A, CardIoError> {
        if self.inserted.is_none() {
            let next = self.queue.pop_front().ok_or_else(|| {
                CardIoError::Transport(format!("{NAME}: no more cards to insert"))
            })?;
            self.inserted = Some(next);
        }
        Ok(self.inserted.as_mut().expect("a card was just inserted"))
    }
}

impl<A: CardApplication> CardReader for InProcessReader<A> {
    fn wait_for_card(&mut self, _wait: Duration) -> Result<(), CardIoError> {
        self.insert().map(drop)
    }

    fn connect(&mut self, _wait: Duration) -> Result<Box<dyn Transport + '_>, CardIoError> {
        self.connections += 1;
        let card = self.insert()?;
        Ok(Box::new(InProcessTransport::new(card)))
    }

    fn wait_for_removal(&mut self, _wait: Duration) -> Result<(), CardIoError> {
        self.removed.extend(self.inserted.take());
        Ok(())
    }
}
