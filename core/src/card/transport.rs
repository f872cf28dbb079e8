//! How APDUs reach a card: the [`Transport`] trait, and the in-process transport that hands
//! them straight to a card application in the same process (unit tests, the demo's default).
//! The PC/SC transport lives in `pcsc.rs`.

use super::error::Result;

/// Something that carries command APDUs to a card and brings back its responses.
pub trait Transport {
    /// Sends one command APDU and returns the response APDU (data and status word).
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>>;

    /// Whether extended-length APDUs reach the card (the card says so in its ATR, and the
    /// reader path must carry them).
    fn supports_extended_length(&self) -> bool;
}

impl<T: Transport + ?Sized> Transport for Box<T> {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>> {
        (**self).transmit(command)
    }
    fn supports_extended_length(&self) -> bool {
        (**self).supports_extended_length()
    }
}

/// A card application that answers APDUs: implemented by the reference card (asxh-card).
pub trait CardApplication {
    /// Processes one command APDU and returns the response APDU. Never fails: errors are
    /// status words.
    fn process_apdu(&mut self, command: &[u8]) -> Vec<u8>;

    /// Power cycle: volatile state (selection, verified codes, pending chains) is lost.
    fn power_cycle(&mut self);

    /// The answer to reset.
    fn atr(&self) -> Vec<u8>;
}

impl<A: CardApplication + ?Sized> CardApplication for &mut A {
    fn process_apdu(&mut self, command: &[u8]) -> Vec<u8> {
        (**self).process_apdu(command)
    }
    fn power_cycle(&mut self) {
        (**self).power_cycle()
    }
    fn atr(&self) -> Vec<u8> {
        (**self).atr()
    }
}

impl<A: CardApplication + ?Sized> CardApplication for Box<A> {
    fn process_apdu(&mut self, command: &[u8]) -> Vec<u8> {
        (**self).process_apdu(command)
    }
    fn power_cycle(&mut self) {
        (**self).power_cycle()
    }
    fn atr(&self) -> Vec<u8> {
        (**self).atr()
    }
}

/// The in-process transport: the card application is a value in this process.
pub struct InProcessTransport<A: CardApplication> {
    app: A,
}

impl<A: CardApplication> InProcessTransport<A> {
    /// "Inserts" the card: powers it up.
    pub fn new(mut app: A) -> Self {
        app.power_cycle();
        InProcessTransport { app }
    }

    pub fn app(&self) -> &A {
        &self.app
    }

    pub fn app_mut(&mut self) -> &mut A {
        &mut self.app
    }

    /// "Removes" the card.
    pub fn into_app(self) -> A {
        self.app
    }
}

impl<A: CardApplication> Transport for InProcessTransport<A> {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>> {
        Ok(self.app.process_apdu(command))
    }

    fn supports_extended_length(&self) -> bool {
        super::Atr::parse(&self.app.atr()).is_some_and(|a| a.extended_length())
    }
}
