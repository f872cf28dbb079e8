//! The PC/SC transport: a real reader through pcscd (a USB CCID reader in an office, the
//! vsmartcard `vpcd` virtual reader in tests: the same code path). Readers are picked by a
//! substring of their name; the transport can wait for a card to be inserted. Extended-length
//! APDUs are used only when both the card's ATR and the reader announce them (SPEC.md §7.1).

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
    reader_max_data: Option<usize>,
    extended: bool,
}

/// Command data bytes a reader must carry in one APDU for this application to use extended
/// length: the largest credential a card stores (SPEC.md §5.4, §7.1).
pub const EXTENDED_DATA_NEEDED: usize = 2048;

/// `SCARD_CTL_CODE(3400)`: CM_IOCTL_GET_FEATURE_REQUEST of PC/SC part 10.
const GET_FEATURE_REQUEST: u32 = 3400;
/// FEATURE_GET_TLV_PROPERTIES of PC/SC part 10.
const FEATURE_GET_TLV_PROPERTIES: u8 = 0x12;
/// The property dwMaxAPDUDataSize of FEATURE_GET_TLV_PROPERTIES (0: short APDUs only).
const PROPERTY_MAX_APDU_DATA_SIZE: u8 = 0x0A;
/// Bytes of an extended command APDU besides its data: header 4, Lc 3, Le 2.
const EXTENDED_OVERHEAD: usize = 9;

/// The control code of `feature` in a CM_IOCTL_GET_FEATURE_REQUEST answer (tag, length 4,
/// big-endian code, repeated).
fn feature_code(features: &[u8], feature: u8) -> Option<u32> {
    features.chunks(6).find_map(|t| match t {
        [tag, 4, code @ ..] if *tag == feature => Some(u32::from_be_bytes(code.try_into().ok()?)),
        _ => None,
    })
}

/// A property of a FEATURE_GET_TLV_PROPERTIES answer (tag, length, little-endian value).
fn tlv_property(properties: &[u8], property: u8) -> Option<usize> {
    let mut rest = properties;
    while let [tag, len, tail @ ..] = rest {
        let (value, next) = tail.split_at_checked(usize::from(*len))?;
        if *tag == property {
            let mut bytes = [0u8; 8];
            bytes.get_mut(..value.len())?.copy_from_slice(value);
            return usize::try_from(u64::from_le_bytes(bytes)).ok();
        }
        rest = next;
    }
    None
}

/// How many command data bytes the reader says one APDU may carry (SPEC.md §7.1): PC/SC part
/// 10's dwMaxAPDUDataSize, else pcsc-lite's SCARD_ATTR_MAXINPUT less the header, Lc and Le;
/// `None` when the reader says neither (vpcd says neither).
fn reader_max_data(card: &pcsc::Card) -> Option<usize> {
    let mut buf = [0u8; 256];
    let from_part10 = card
        .control(pcsc::ctl_code(GET_FEATURE_REQUEST as _), &[], &mut buf)
        .ok()
        .and_then(|features| feature_code(features, FEATURE_GET_TLV_PROPERTIES))
        .and_then(|code| {
            let mut props = [0u8; 256];
            let answer = card.control(code as _, &[], &mut props).ok()?;
            tlv_property(answer, PROPERTY_MAX_APDU_DATA_SIZE)
        });
    from_part10.or_else(|| {
        let raw = card.get_attribute_owned(pcsc::Attribute::Maxinput).ok()?;
        let bytes: [u8; 4] = raw.get(..4)?.try_into().ok()?;
        usize::try_from(u32::from_ne_bytes(bytes))
            .ok()?
            .checked_sub(EXTENDED_OVERHEAD)
    })
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
        let reader_max_data = reader_max_data(&card);
        let extended = Atr::parse(&atr).is_some_and(|a| a.extended_length())
            && reader_max_data.is_some_and(|n| n >= EXTENDED_DATA_NEEDED);
        Ok(PcscTransport {
            card,
            reader: reader.to_string_lossy().into_owned(),
            atr,
            reader_max_data,
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

    /// The command data bytes per APDU the reader reported, if it reported any.
    pub fn reader_max_data(&self) -> Option<usize> {
        self.reader_max_data
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
        let removed = || CardIoError::CardRemoved {
            during: format!(
                "a command with INS {:02X}",
                command.get(1).copied().unwrap_or(0)
            ),
        };
        match self.card.transmit(command, &mut buf) {
            // Every answer ends in a status word: a reader that hands back nothing lost the
            // card in the middle of the command (a vpcd reader whose card is pulled does so
            // before pcscd reports the removal).
            Ok([]) => Err(removed()),
            Ok(r) => Ok(r.to_vec()),
            Err(
                pcsc::Error::RemovedCard
                | pcsc::Error::ResetCard
                | pcsc::Error::NoSmartcard
                | pcsc::Error::NotTransacted
                | pcsc::Error::UnpoweredCard
                | pcsc::Error::UnresponsiveCard,
            ) => Err(removed()),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn part10_answers_are_read_as_pcsc_part_10_writes_them() {
        let features = [
            0x06, 4, 0x42, 0x33, 0x00, 0x06, 0x12, 4, 0x42, 0x33, 0x00, 0x12,
        ];
        assert_eq!(feature_code(&features, 0x12), Some(0x4233_0012));
        assert_eq!(feature_code(&features, 0x13), None);
        let properties = [
            0x01, 2, 0x00, 0x00, 0x0A, 4, 0x00, 0x00, 0x01, 0x00, 0x0B, 2, 0xE6, 0x08,
        ];
        assert_eq!(tlv_property(&properties, 0x0A), Some(65536));
        assert_eq!(tlv_property(&properties, 0x0B), Some(0x08E6));
        assert_eq!(tlv_property(&properties, 0x07), None);
        assert_eq!(tlv_property(&[0x0A, 4, 0x00], 0x0A), None, "cut short");
    }
}
