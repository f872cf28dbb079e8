//! The command set of SPEC.md §8 as an enum parsed from an APDU. Parsing checks CLA, INS,
//! P1-P2 and data lengths and answers the status word SPEC.md gives for each mistake, so the
//! handlers in [`crate::app`] only ever see well-formed commands.

use asxh_core::apdu::{CommandApdu, StatusWord, CLA_CHAINING};
use asxh_core::card::{data_object, ins, reference, AdminCode, Pin, CHALLENGE_LEN};

/// A data object of GET DATA.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataObject {
    Credential,
    PublicKey,
}

/// Which secret a VERIFY-family command is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Secret {
    HolderPin,
    AdminCode,
}

/// One parsed command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// §8.1 SELECT by DF name.
    Select { aid: Vec<u8>, return_fci: bool },
    /// §8.2 GET DATA.
    GetData(DataObject),
    /// §8.3 GENERATE ASYMMETRIC KEY PAIR, P1 = 80.
    GenerateKey,
    /// §8.3 GENERATE ASYMMETRIC KEY PAIR, P1 = 81: read the existing public key.
    ReadPublicKey,
    /// §8.4 PUT DATA of the credential; `more` when CLA announces further chained commands.
    PutCredential { chunk: Vec<u8>, more: bool },
    /// §8.5 VERIFY with a code, or without one to ask the status.
    Verify {
        secret: Secret,
        block: Option<Vec<u8>>,
    },
    /// §8.5 VERIFY with P1 = FF: forget that the code was verified.
    ResetSecurityStatus { secret: Secret },
    /// §8.7 CHANGE REFERENCE DATA, P1 = 01: set the holder PIN (office).
    SetPin(Pin),
    /// §8.7 CHANGE REFERENCE DATA, P1 = 00: change a code given the current one.
    ChangeCode {
        secret: Secret,
        old: Vec<u8>,
        new: Vec<u8>,
    },
    /// §8.8 RESET RETRY COUNTER, P1 = 02: new holder PIN (office).
    ResetPin(Pin),
    /// §8.6 INTERNAL AUTHENTICATE.
    InternalAuthenticate { challenge: Vec<u8> },
    /// §8.9 ACTIVATE FILE.
    Activate,
    /// §8.10 DEACTIVATE FILE.
    Deactivate,
    /// §8.11 TERMINATE DF.
    Terminate,
    /// §7.4 GET RESPONSE.
    GetResponse,
}

fn secret(p2: u8) -> Result<Secret, StatusWord> {
    match p2 {
        reference::HOLDER_PIN => Ok(Secret::HolderPin),
        reference::ADMIN_CODE => Ok(Secret::AdminCode),
        _ => Err(StatusWord::INCORRECT_P1_P2),
    }
}

fn block_len(secret: Secret) -> usize {
    match secret {
        Secret::HolderPin => Pin::BLOCK_LEN,
        Secret::AdminCode => AdminCode::BLOCK_LEN,
    }
}

fn expect_len(data: &[u8], len: usize) -> Result<(), StatusWord> {
    if data.len() == len {
        Ok(())
    } else {
        Err(StatusWord::WRONG_LENGTH)
    }
}

fn no_data(data: &[u8]) -> Result<(), StatusWord> {
    expect_len(data, 0)
}

fn pin(block: &[u8]) -> Result<Pin, StatusWord> {
    expect_len(block, Pin::BLOCK_LEN)?;
    Pin::from_block(block).ok_or(StatusWord::WRONG_DATA)
}

impl TryFrom<&CommandApdu> for Command {
    type Error = StatusWord;

    fn try_from(apdu: &CommandApdu) -> Result<Self, StatusWord> {
        let chained = match apdu.cla {
            0x00 => false,
            CLA_CHAINING => true,
            _ => return Err(StatusWord::CLA_NOT_SUPPORTED),
        };
        if chained && apdu.ins != ins::PUT_DATA {
            return Err(StatusWord::CHAINING_NOT_SUPPORTED);
        }
        let (p1, p2, data) = (apdu.p1, apdu.p2, apdu.data.as_slice());
        let p1p2 = u16::from_be_bytes([p1, p2]);
        let cmd = match apdu.ins {
            ins::SELECT => {
                let return_fci = match (p1, p2) {
                    (0x04, 0x00) => true,
                    (0x04, 0x0C) => false,
                    _ => return Err(StatusWord::INCORRECT_P1_P2),
                };
                if data.is_empty() || data.len() > 16 {
                    return Err(StatusWord::WRONG_LENGTH);
                }
                Command::Select {
                    aid: data.to_vec(),
                    return_fci,
                }
            }
            ins::GET_DATA => {
                no_data(data)?;
                match p1p2 {
                    data_object::CREDENTIAL => Command::GetData(DataObject::Credential),
                    data_object::PUBLIC_KEY => Command::GetData(DataObject::PublicKey),
                    _ => return Err(StatusWord::REFERENCE_NOT_FOUND),
                }
            }
            ins::GENERATE_ASYMMETRIC_KEY_PAIR => {
                no_data(data)?;
                match (p1, p2) {
                    (0x80, 0x00) => Command::GenerateKey,
                    (0x81, 0x00) => Command::ReadPublicKey,
                    _ => return Err(StatusWord::INCORRECT_P1_P2),
                }
            }
            ins::PUT_DATA => {
                if p1p2 != data_object::CREDENTIAL {
                    return Err(StatusWord::INCORRECT_P1_P2);
                }
                if data.is_empty() {
                    return Err(StatusWord::WRONG_LENGTH);
                }
                Command::PutCredential {
                    chunk: data.to_vec(),
                    more: chained,
                }
            }
            ins::VERIFY => {
                let s = secret(p2)?;
                match p1 {
                    0x00 if data.is_empty() => Command::Verify {
                        secret: s,
                        block: None,
                    },
                    0x00 => {
                        expect_len(data, block_len(s))?;
                        Command::Verify {
                            secret: s,
                            block: Some(data.to_vec()),
                        }
                    }
                    0xFF => {
                        no_data(data)?;
                        Command::ResetSecurityStatus { secret: s }
                    }
                    _ => return Err(StatusWord::INCORRECT_P1_P2),
                }
            }
            ins::CHANGE_REFERENCE_DATA => {
                let s = secret(p2)?;
                match (p1, s) {
                    (0x01, Secret::HolderPin) => Command::SetPin(pin(data)?),
                    (0x00, _) => {
                        let n = block_len(s);
                        expect_len(data, 2 * n)?;
                        Command::ChangeCode {
                            secret: s,
                            old: data[..n].to_vec(),
                            new: data[n..].to_vec(),
                        }
                    }
                    _ => return Err(StatusWord::INCORRECT_P1_P2),
                }
            }
            ins::RESET_RETRY_COUNTER => match (p1, p2) {
                (0x02, reference::HOLDER_PIN) => Command::ResetPin(pin(data)?),
                _ => return Err(StatusWord::INCORRECT_P1_P2),
            },
            ins::INTERNAL_AUTHENTICATE => {
                if (p1, p2) != (0, 0) {
                    return Err(StatusWord::INCORRECT_P1_P2);
                }
                if !CHALLENGE_LEN.contains(&data.len()) {
                    return Err(StatusWord::WRONG_LENGTH);
                }
                Command::InternalAuthenticate {
                    challenge: data.to_vec(),
                }
            }
            ins::ACTIVATE_FILE | ins::DEACTIVATE_FILE | ins::TERMINATE_DF => {
                if (p1, p2) != (0, 0) {
                    return Err(StatusWord::INCORRECT_P1_P2);
                }
                no_data(data)?;
                match apdu.ins {
                    ins::ACTIVATE_FILE => Command::Activate,
                    ins::DEACTIVATE_FILE => Command::Deactivate,
                    _ => Command::Terminate,
                }
            }
            ins::GET_RESPONSE => {
                if (p1, p2) != (0, 0) {
                    return Err(StatusWord::INCORRECT_P1_P2);
                }
                no_data(data)?;
                Command::GetResponse
            }
            _ => return Err(StatusWord::INS_NOT_SUPPORTED),
        };
        Ok(cmd)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(bytes: &[u8]) -> Result<Command, StatusWord> {
        Command::try_from(&CommandApdu::parse(bytes)?)
    }

    #[test]
    fn malformed_commands_get_the_spec_status_words() {
        assert_eq!(
            parse(&[0x80, 0xA4, 4, 0, 1, 0xF0]),
            Err(StatusWord::CLA_NOT_SUPPORTED)
        );
        assert_eq!(
            parse(&[0x10, 0xCA, 0x7F, 0x21, 0]),
            Err(StatusWord::CHAINING_NOT_SUPPORTED)
        );
        assert_eq!(
            parse(&[0x00, 0x12, 0, 0]),
            Err(StatusWord::INS_NOT_SUPPORTED)
        );
        assert_eq!(
            parse(&[0x00, 0xA4, 1, 0, 1, 0xF0]),
            Err(StatusWord::INCORRECT_P1_P2)
        );
        assert_eq!(
            parse(&[0x00, 0xCA, 0x01, 0x01, 0]),
            Err(StatusWord::REFERENCE_NOT_FOUND)
        );
        assert_eq!(
            parse(&[0x00, 0x20, 0, 0x81, 3, 1, 2, 3]),
            Err(StatusWord::WRONG_LENGTH)
        );
        assert_eq!(
            parse(&[0x00, 0x20, 0, 0x82]),
            Err(StatusWord::INCORRECT_P1_P2)
        );
        assert_eq!(
            parse(&[0x00, 0x88, 0, 0, 4, 1, 2, 3, 4, 0]),
            Err(StatusWord::WRONG_LENGTH)
        );
        assert_eq!(
            parse(&[0x00, 0x24, 1, 0x81, 8, b'1', b'2', 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]),
            Err(StatusWord::WRONG_DATA)
        );
    }

    #[test]
    fn well_formed_commands_parse() {
        assert_eq!(parse(&[0x00, 0x47, 0x80, 0, 0]), Ok(Command::GenerateKey));
        assert_eq!(
            parse(&[0x10, 0xDA, 0x7F, 0x21, 1, 9]),
            Ok(Command::PutCredential {
                chunk: vec![9],
                more: true
            })
        );
        assert_eq!(
            parse(&[0x00, 0x20, 0xFF, 0x83]),
            Ok(Command::ResetSecurityStatus {
                secret: Secret::AdminCode
            })
        );
    }
}
