//! The PC/SC transport: a real reader through pcscd (a USB CCID reader in an office, the
//! vsmartcard `vpcd` virtual reader in tests: the same code path). Readers are picked by a
//! substring of their name; the transport can wait for a card to be inserted.

use std::ffi::CString;
use std::time::{Duration, Instant};

use pcsc::{Context, Protocols, ReaderState, Scope, ShareMode, State};

use super::error::{CardIoError, Result};
use super::{Atr, CardReader, Transport};

/// A reader and whether a card is in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReaderInfo {
    pub name: String,
    pub card_present: bool,
}

fn service_error(e: pcsc::Error) -> CardIoError {
    match e {
        pcsc::Error::NoService | pcsc::Error::ServiceStopped => {
            CardIoError::Transport("the PC/SC service (pcscd) is not running".into())
        }
        other => CardIoError::Transport(format!("PC/SC: {other}")),
    }
}

fn establish() -> Result<Context> {
    Context::establish(Scope::User).map_err(service_error)
}

fn reader_names(ctx: &Context) -> Result<Vec<CString>> {
    match ctx.list_readers_owned() {
        Ok(names) => Ok(names),
        Err(pcsc::Error::NoReadersAvailable) => Ok(Vec::new()),
        Err(e) => Err(service_error(e)),
    }
}

/// Lists the readers pcscd knows and whether each holds a card.
pub fn list_readers() -> Result<Vec<ReaderInfo>> {
    let ctx = establish()?;
    let names = reader_names(&ctx)?;
    if names.is_empty() {
        return Ok(Vec::new());
    }
    let mut states: Vec<ReaderState> = names
        .iter()
        .map(|n| ReaderState::new(n.clone(), State::UNAWARE))
        .collect();
    ctx.get_status_change(Duration::from_millis(0), &mut states)
        .map_err(service_error)?;
    Ok(states
        .iter()
        .map(|s| ReaderInfo {
            name: s.name().to_string_lossy().into_owned(),
            card_present: s.event_state().contains(State::PRESENT),
        })
        .collect())
}

/// A connection to the card in one PC/SC reader.
pub struct PcscTransport {
    card: pcsc::Card,
    reader: String,
    atr: Vec<u8>,
    extended: bool,
}

impl PcscTransport {
    /// Connects to the card in the first reader whose name contains `pattern` (any reader if
    /// `None`), waiting up to `wait` for a card to be inserted.
    pub fn connect(pattern: Option<&str>, wait: Duration) -> Result<Self> {
        let ctx = establish()?;
        let reader = find_reader(&ctx, pattern)?;
        wait_for(&ctx, &reader, wait, true)?;
        let card = ctx
            .connect(&reader, ShareMode::Shared, Protocols::ANY)
            .map_err(|e| match e {
                pcsc::Error::NoSmartcard | pcsc::Error::RemovedCard => CardIoError::NoCard {
                    reader: reader.to_string_lossy().into_owned(),
                    waited_ms: wait.as_millis() as u64,
                },
                other => service_error(other),
            })?;
        let atr = card.status2_owned().map_err(service_error)?.atr().to_vec();
        let extended = Atr::parse(&atr).is_some_and(|a| a.extended_length());
        Ok(PcscTransport {
            card,
            reader: reader.to_string_lossy().into_owned(),
            atr,
            extended,
        })
    }

    /// Waits until the card is taken out of the reader (or `wait` passes).
    pub fn wait_for_removal(pattern: Option<&str>, wait: Duration) -> Result<()> {
        let ctx = establish()?;
        let reader = find_reader(&ctx, pattern)?;
        wait_for(&ctx, &reader, wait, false)
    }

    /// Waits until a card is in the reader (or `wait` passes), without connecting to it.
    pub fn wait_for_insertion(pattern: Option<&str>, wait: Duration) -> Result<()> {
        let ctx = establish()?;
        let reader = find_reader(&ctx, pattern)?;
        wait_for(&ctx, &reader, wait, true)
    }

    /// Sends short APDUs only, even if the card announces extended length (for readers that
    /// cannot carry them).
    pub fn force_short_apdus(&mut self) {
        self.extended = false;
    }

    pub fn reader(&self) -> &str {
        &self.reader
    }

    pub fn atr(&self) -> &[u8] {
        &self.atr
    }
}

fn find_reader(ctx: &Context, pattern: Option<&str>) -> Result<CString> {
    let names = reader_names(ctx)?;
    let wanted = pattern.map(str::to_lowercase);
    names
        .into_iter()
        .find(|n| {
            wanted
                .as_deref()
                .is_none_or(|w| n.to_string_lossy().to_lowercase().contains(w))
        })
        .ok_or_else(|| CardIoError::NoReader {
            pattern: pattern.map(str::to_owned),
        })
}

/// Waits until a card is present (`present`) or absent (`!present`) in `reader`.
fn wait_for(ctx: &Context, reader: &CString, wait: Duration, present: bool) -> Result<()> {
    let deadline = Instant::now() + wait;
    let mut states = [ReaderState::new(reader.clone(), State::UNAWARE)];
    loop {
        let remaining = deadline.saturating_duration_since(Instant::now());
        match ctx.get_status_change(remaining, &mut states) {
            Ok(()) => {}
            Err(pcsc::Error::Timeout) => {}
            Err(e) => return Err(service_error(e)),
        }
        let state = states[0].event_state();
        if state.contains(State::PRESENT) == present {
            return Ok(());
        }
        if Instant::now() >= deadline {
            return Err(if present {
                CardIoError::NoCard {
                    reader: reader.to_string_lossy().into_owned(),
                    waited_ms: wait.as_millis() as u64,
                }
            } else {
                CardIoError::Transport(format!(
                    "the card was not removed from {:?} within {} ms",
                    reader.to_string_lossy(),
                    wait.as_millis()
                ))
            });
        }
        states[0].sync_current_state();
    }
}

impl Transport for PcscTransport {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>> {
        let mut buf = vec![0u8; pcsc::MAX_BUFFER_SIZE_EXTENDED];
        match self.card.transmit(command, &mut buf) {
            Ok(r) => Ok(r.to_vec()),
            Err(
                pcsc::Error::RemovedCard
                | pcsc::Error::ResetCard
                | pcsc::Error::NoSmartcard
                | pcsc::Error::NotTransacted
                | pcsc::Error::UnpoweredCard
                | pcsc::Error::UnresponsiveCard,
            ) => Err(CardIoError::CardRemoved {
                during: format!(
                    "a command with INS {:02X}",
                    command.get(1).copied().unwrap_or(0)
                ),
            }),
            Err(e) => Err(service_error(e)),
        }
    }

    fn supports_extended_length(&self) -> bool {
        self.extended
    }
}

/// The PC/SC reader whose name contains a pattern (any reader without one), as a
/// [`CardReader`] into which cards are inserted one after another.
#[derive(Debug, Clone, Default)]
pub struct PcscReader {
    pattern: Option<String>,
}

impl PcscReader {
    pub fn new(pattern: Option<&str>) -> Self {
        PcscReader {
            pattern: pattern.map(str::to_owned),
        }
    }
}

impl CardReader for PcscReader {
    fn wait_for_card(&mut self, wait: Duration) -> Result<()> {
        PcscTransport::wait_for_insertion(self.pattern.as_deref(), wait)
    }

    fn connect(&mut self, wait: Duration) -> Result<Box<dyn Transport + '_>> {
        Ok(Box::new(PcscTransport::connect(
            self.pattern.as_deref(),
            wait,
        )?))
    }

    fn wait_for_removal(&mut self, wait: Duration) -> Result<()> {
        PcscTransport::wait_for_removal(self.pattern.as_deref(), wait)
    }
}
