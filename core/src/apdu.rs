//! ISO/IEC 7816-4 command and response APDUs and status words (SPEC.md §7.1), shared by the
//! host-side client (which encodes commands) and the card application (which parses them).

use std::fmt;

/// A status word SW1-SW2.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct StatusWord(pub u16);

impl StatusWord {
    pub const OK: Self = Self(0x9000);
    pub const WRONG_LENGTH: Self = Self(0x6700);
    pub const MEMORY_FAILURE: Self = Self(0x6581);
    pub const LAST_COMMAND_OF_CHAIN_EXPECTED: Self = Self(0x6883);
    pub const CHAINING_NOT_SUPPORTED: Self = Self(0x6884);
    pub const SECURITY_NOT_SATISFIED: Self = Self(0x6982);
    pub const AUTH_METHOD_BLOCKED: Self = Self(0x6983);
    pub const CONDITIONS_NOT_SATISFIED: Self = Self(0x6985);
    pub const WRONG_DATA: Self = Self(0x6A80);
    pub const FILE_NOT_FOUND: Self = Self(0x6A82);
    pub const NOT_ENOUGH_MEMORY: Self = Self(0x6A84);
    pub const INCORRECT_P1_P2: Self = Self(0x6A86);
    pub const REFERENCE_NOT_FOUND: Self = Self(0x6A88);
    pub const INS_NOT_SUPPORTED: Self = Self(0x6D00);
    pub const CLA_NOT_SUPPORTED: Self = Self(0x6E00);
    pub const NO_PRECISE_DIAGNOSIS: Self = Self(0x6F00);

    /// `61XX`: `XX` more bytes are available with GET RESPONSE (00 means 256 or more).
    pub fn more_data(remaining: usize) -> Self {
        Self(
            0x6100
                | if remaining >= 256 {
                    0
                } else {
                    remaining as u16
                },
        )
    }

    /// `63CX`: verification failed, `X` tries left.
    pub fn verify_failed(tries_left: u8) -> Self {
        Self(0x63C0 | u16::from(tries_left.min(15)))
    }

    pub fn sw1(self) -> u8 {
        (self.0 >> 8) as u8
    }
    pub fn sw2(self) -> u8 {
        self.0 as u8
    }

    pub fn is_ok(self) -> bool {
        self == Self::OK
    }

    /// For `63CX`: the number of tries left.
    pub fn tries_left(self) -> Option<u8> {
        (self.0 & 0xFFF0 == 0x63C0).then_some((self.0 & 0x0F) as u8)
    }

    /// What the status word means, in words.
    pub fn meaning(self) -> String {
        let fixed = match self {
            Self::OK => "success",
            Self::WRONG_LENGTH => "wrong length (Lc or Le)",
            Self::MEMORY_FAILURE => "memory failure: the write did not complete",
            Self::LAST_COMMAND_OF_CHAIN_EXPECTED => "last command of the chain expected",
            Self::CHAINING_NOT_SUPPORTED => "command chaining not supported for this command",
            Self::SECURITY_NOT_SATISFIED => "security status not satisfied (code not verified)",
            Self::AUTH_METHOD_BLOCKED => "authentication method blocked (no tries left)",
            Self::CONDITIONS_NOT_SATISFIED => {
                "conditions of use not satisfied (wrong life-cycle state)"
            }
            Self::WRONG_DATA => "incorrect data in the command",
            Self::FILE_NOT_FOUND => "application not found",
            Self::NOT_ENOUGH_MEMORY => "not enough memory",
            Self::INCORRECT_P1_P2 => "incorrect parameters P1-P2",
            Self::REFERENCE_NOT_FOUND => "referenced data not found",
            Self::INS_NOT_SUPPORTED => "instruction not supported",
            Self::CLA_NOT_SUPPORTED => "class not supported",
            Self::NO_PRECISE_DIAGNOSIS => "no precise diagnosis",
            _ => "",
        };
        if !fixed.is_empty() {
            return fixed.into();
        }
        match self.sw1() {
            0x61 => format!(
                "{} more bytes available",
                if self.sw2() == 0 {
                    256
                } else {
                    usize::from(self.sw2())
                }
            ),
            0x6C => format!("wrong Le, {} bytes available", self.sw2()),
            0x63 if self.tries_left().is_some() => {
                format!("verification failed, {} tries left", self.sw2() & 0x0F)
            }
            _ => "unknown status".into(),
        }
    }
}

impl fmt::Display for StatusWord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04X}", self.0)
    }
}

impl fmt::Debug for StatusWord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SW {:04X}", self.0)
    }
}

/// CLA bit that marks a command as not the last of a chain.
pub const CLA_CHAINING: u8 = 0x10;

/// A command APDU.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandApdu {
    pub cla: u8,
    pub ins: u8,
    pub p1: u8,
    pub p2: u8,
    pub data: Vec<u8>,
    /// Expected response length, 1 to 65536; `None` when no response data is expected.
    pub le: Option<usize>,
    /// Whether the command was (or is to be) encoded with extended length fields.
    pub extended: bool,
}

impl CommandApdu {
    pub fn new(cla: u8, ins: u8, p1: u8, p2: u8) -> Self {
        CommandApdu {
            cla,
            ins,
            p1,
            p2,
            data: Vec::new(),
            le: None,
            extended: false,
        }
    }

    pub fn data(mut self, data: impl Into<Vec<u8>>) -> Self {
        self.data = data.into();
        self
    }

    pub fn le(mut self, le: usize) -> Self {
        self.le = Some(le);
        self
    }

    /// Encodes the command; extended length fields are used when `self.extended` is set or the
    /// data or Le do not fit short fields.
    pub fn to_bytes(&self) -> Vec<u8> {
        let extended = self.extended || self.data.len() > 255 || self.le.is_some_and(|l| l > 256);
        let mut out = vec![self.cla, self.ins, self.p1, self.p2];
        if extended {
            if !self.data.is_empty() {
                out.push(0);
                out.extend_from_slice(&(self.data.len() as u16).to_be_bytes());
                out.extend_from_slice(&self.data);
            }
            if let Some(le) = self.le {
                if self.data.is_empty() {
                    out.push(0);
                }
                out.extend_from_slice(&((le % 65536) as u16).to_be_bytes());
            }
        } else {
            if !self.data.is_empty() {
                out.push(self.data.len() as u8);
                out.extend_from_slice(&self.data);
            }
            if let Some(le) = self.le {
                out.push((le % 256) as u8);
            }
        }
        out
    }

    /// Parses the four cases of ISO/IEC 7816-4 §5.1, short and extended. A length field that
    /// does not match the bytes gives `6700`.
    pub fn parse(bytes: &[u8]) -> Result<Self, StatusWord> {
        let wrong = Err(StatusWord::WRONG_LENGTH);
        if bytes.len() < 4 {
            return wrong;
        }
        let mut apdu = CommandApdu::new(bytes[0], bytes[1], bytes[2], bytes[3]);
        let body = &bytes[4..];
        match body.len() {
            0 => {}
            1 => {
                apdu.le = Some(if body[0] == 0 {
                    256
                } else {
                    usize::from(body[0])
                })
            }
            _ if body[0] != 0 => {
                let lc = usize::from(body[0]);
                match body.len() - 1 {
                    n if n == lc => apdu.data = body[1..].to_vec(),
                    n if n == lc + 1 => {
                        apdu.data = body[1..=lc].to_vec();
                        let le = body[lc + 1];
                        apdu.le = Some(if le == 0 { 256 } else { usize::from(le) });
                    }
                    _ => return wrong,
                }
            }
            3 => {
                apdu.extended = true;
                let le = usize::from(u16::from_be_bytes([body[1], body[2]]));
                apdu.le = Some(if le == 0 { 65536 } else { le });
            }
            n if n > 3 => {
                apdu.extended = true;
                let lc = usize::from(u16::from_be_bytes([body[1], body[2]]));
                if lc == 0 {
                    return wrong;
                }
                match n - 3 {
                    m if m == lc => apdu.data = body[3..].to_vec(),
                    m if m == lc + 2 => {
                        apdu.data = body[3..3 + lc].to_vec();
                        let le = usize::from(u16::from_be_bytes([body[3 + lc], body[4 + lc]]));
                        apdu.le = Some(if le == 0 { 65536 } else { le });
                    }
                    _ => return wrong,
                }
            }
            _ => return wrong,
        }
        Ok(apdu)
    }
}

/// A response APDU: data and status word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseApdu {
    pub data: Vec<u8>,
    pub sw: StatusWord,
}

impl ResponseApdu {
    pub fn status(sw: StatusWord) -> Self {
        ResponseApdu {
            data: Vec::new(),
            sw,
        }
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = self.data.clone();
        out.extend_from_slice(&self.sw.0.to_be_bytes());
        out
    }

    /// Splits bytes received from a card; fewer than two bytes is not a response.
    pub fn parse(bytes: &[u8]) -> Option<Self> {
        if bytes.len() < 2 {
            return None;
        }
        let (data, sw) = bytes.split_at(bytes.len() - 2);
        Some(ResponseApdu {
            data: data.to_vec(),
            sw: StatusWord(u16::from_be_bytes([sw[0], sw[1]])),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_the_seven_cases() {
        let c1 = CommandApdu::parse(&[0, 0x44, 0, 0]).unwrap();
        assert_eq!((c1.data.len(), c1.le), (0, None));
        assert_eq!(
            CommandApdu::parse(&[0, 0xCA, 0x7F, 0x21, 0]).unwrap().le,
            Some(256)
        );
        let c3 = CommandApdu::parse(&[0, 0x20, 0, 0x81, 2, 1, 2]).unwrap();
        assert_eq!((c3.data, c3.le), (vec![1, 2], None));
        let c4 = CommandApdu::parse(&[0, 0x88, 0, 0, 1, 9, 0]).unwrap();
        assert_eq!((c4.data, c4.le), (vec![9], Some(256)));
        let e2 = CommandApdu::parse(&[0, 0xCA, 0x7F, 0x21, 0, 0, 0]).unwrap();
        assert_eq!((e2.le, e2.extended), (Some(65536), true));
        let e3 = CommandApdu::parse(&[0, 0xDA, 0x7F, 0x21, 0, 0, 1, 7]).unwrap();
        assert_eq!((e3.data, e3.le), (vec![7], None));
        let e4 = CommandApdu::parse(&[0, 0x88, 0, 0, 0, 0, 1, 7, 0x01, 0x00]).unwrap();
        assert_eq!((e4.data, e4.le), (vec![7], Some(256)));
    }

    #[test]
    fn inconsistent_lengths_are_6700() {
        for bad in [
            &[0u8, 1, 2][..],
            &[0, 0x20, 0, 0x81, 3, 1, 2],
            &[0, 0xCA, 0, 0, 0, 0],
            &[0, 0xDA, 0, 0, 0, 0, 0, 1],
            &[0, 0xDA, 0, 0, 0, 0, 2, 1],
        ] {
            assert_eq!(
                CommandApdu::parse(bad),
                Err(StatusWord::WRONG_LENGTH),
                "{bad:02X?}"
            );
        }
    }

    #[test]
    fn status_word_helpers() {
        assert_eq!(StatusWord::more_data(300), StatusWord(0x6100));
        assert_eq!(StatusWord::more_data(17), StatusWord(0x6111));
        assert_eq!(StatusWord::verify_failed(2).tries_left(), Some(2));
        assert_eq!(StatusWord::OK.tries_left(), None);
    }

    proptest! {
        #[test]
        fn encode_then_parse_round_trips(cla: u8, ins: u8, p1: u8, p2: u8,
            data in proptest::collection::vec(any::<u8>(), 0..600),
            le in proptest::option::of(1usize..=65536), extended: bool) {
            let mut c = CommandApdu::new(cla, ins, p1, p2).data(data);
            c.le = le;
            c.extended = extended;
            let parsed = CommandApdu::parse(&c.to_bytes()).unwrap();
            prop_assert_eq!(&parsed.data, &c.data);
            prop_assert_eq!(parsed.le, c.le);
        }

        #[test]
        fn parse_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
            let _ = CommandApdu::parse(&bytes);
        }
    }
}
