//! How one fuzz input becomes a sequence of steps (APDUs sent to a card, or answers a card gives):
//! a length byte `L` below `FE` is followed by `L` bytes of one message, `FE` by a two-byte
//! big-endian length and that many bytes (for extended-length APDUs), and `FF` is a power cycle.
//! A message cut short by the end of the input keeps the bytes there are.

/// One step of a sequence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step<'a> {
    /// One message (command or response APDU).
    Message(&'a [u8]),
    /// The card is powered off and on again.
    PowerCycle,
}

/// Most steps taken from one input, so that one run stays short.
pub const MAX_STEPS: usize = 64;

const LONG: u8 = 0xFE;
const POWER_CYCLE: u8 = 0xFF;

/// Cuts `data` into at most [`MAX_STEPS`] steps.
pub fn split(data: &[u8]) -> Vec<Step<'_>> {
    let mut steps = Vec::new();
    let mut rest = data;
    while let Some((&first, tail)) = rest.split_first() {
        if steps.len() == MAX_STEPS {
            break;
        }
        rest = tail;
        let len = match first {
            POWER_CYCLE => {
                steps.push(Step::PowerCycle);
                continue;
            }
            LONG => {
                let (len_bytes, tail) = rest.split_at(rest.len().min(2));
                rest = tail;
                len_bytes
                    .iter()
                    .fold(0usize, |acc, b| (acc << 8) | usize::from(*b))
            }
            short => usize::from(short),
        };
        let (message, tail) = rest.split_at(rest.len().min(len));
        rest = tail;
        steps.push(Step::Message(message));
    }
    steps
}

/// Writes `steps` in the format [`split`] reads (for seed inputs).
pub fn join(steps: &[Step<'_>]) -> Vec<u8> {
    let mut out = Vec::new();
    for step in steps {
        match step {
            Step::PowerCycle => out.push(POWER_CYCLE),
            Step::Message(m) if m.len() < usize::from(LONG) => {
                out.push(m.len() as u8);
                out.extend_from_slice(m);
            }
            Step::Message(m) => {
                let len = u16::try_from(m.len()).expect("a message is at most 65535 bytes");
                out.push(LONG);
                out.extend_from_slice(&len.to_be_bytes());
                out.extend_from_slice(m);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_reads_back_what_join_wrote() {
        let long = vec![0xAB; 300];
        let steps = [
            Step::Message(&[0x00, 0xA4]),
            Step::PowerCycle,
            Step::Message(&long),
            Step::Message(&[]),
        ];
        assert_eq!(split(&join(&steps)), steps);
    }

    #[test]
    fn split_keeps_a_message_cut_short_and_stops_after_the_most_steps() {
        assert_eq!(split(&[5, 1, 2]), [Step::Message(&[1, 2])]);
        assert_eq!(split(&[0xFE, 1]), [Step::Message(&[])]);
        assert_eq!(split(&[0xFF; 100]).len(), MAX_STEPS);
    }
}
