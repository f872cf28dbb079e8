//! The command set of SPEC.md §8 as an enum parsed from an APDU. Parsing checks CLA, INS,
//! P1-P2, data lengths and the PIN and administrative-code blocks (§7.3 steps 1–5) and answers
//! the status word SPEC.md gives for each mistake, so the handlers in [`crate::app`] only ever
//! see well-formed commands: a malformed code block never reaches a retry counter.

use asxh_core::apdu::{CommandApdu, StatusWord, CLA_CHAINING};
use asxh_core::card::{
    data_object, ins, reference, AdminCode, Pin, CHALLENGE_LEN, COMPUTE_SIGNATURE_P1P2,
};

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

/// A well-formed code block (SPEC.md §9.1, §9.2), as VERIFY presents it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Code {
    HolderPin(Pin),
    AdminCode(AdminCode),
}

impl Code {
    pub fn secret(&self) -> Secret {
        match self {
            Code::HolderPin(_) => Secret::HolderPin,
            Code::AdminCode(_) => Secret::AdminCode,
        }
    }

    pub fn block(&self) -> &[u8] {
        match self {
            Code::HolderPin(p) => p.block(),
            Code::AdminCode(a) => a.block(),
        }
    }
}

/// CHANGE REFERENCE DATA with P1 = 00: the current code and its replacement, both well formed
/// and of the same kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CodeChange {
    HolderPin { old: Pin, new: Pin },
    AdminCode { old: AdminCode, new: AdminCode },
}

impl CodeChange {
    /// The code to check before the change.
    pub fn old(&self) -> Code {
        match self {
            CodeChange::HolderPin { old, .. } => Code::HolderPin(old.clone()),
            CodeChange::AdminCode { old, .. } => Code::AdminCode(old.clone()),
        }
    }
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
    /// §8.5 VERIFY with a code.
    Verify(Code),
    /// §8.5 VERIFY without data: is the code verified, how many tries are left?
    VerifyStatus(Secret),
    /// §8.5 VERIFY with P1 = FF: log out of the code (and end any chain, §7.1).
    ResetSecurityStatus(Secret),
    /// §8.7 CHANGE REFERENCE DATA, P1 = 01: set the holder PIN (office).
    SetPin(Pin),
    /// §8.7 CHANGE REFERENCE DATA, P1 = 00: change a code given the current one.
    ChangeCode(CodeChange),
    /// §8.8 RESET RETRY COUNTER, P1 = 02: new holder PIN (office).
    ResetPin(Pin),
    /// §8.6 INTERNAL AUTHENTICATE.
    InternalAuthenticate { challenge: Vec<u8> },
    /// §8.13 PERFORM SECURITY OPERATION: COMPUTE DIGITAL SIGNATURE over a receipt body.
    SignReceipt { body: Vec<u8> },
    /// §8.9 ACTIVATE FILE.
    Activate,
    /// §8.10 DEACTIVATE FILE.
    Deactivate,
    /// §8.11 TERMINATE DF.
    Terminate,
    /// §7.4 GET RESPONSE.
    GetResponse,
}

/// Lengths of a receipt body the card signs (SPEC.md §8.13).
const RECEIPT_BODY_LEN: std::ops::RangeInclusive<usize> = 16..=250;

/// Whether `data` is exactly one `7F4E` TLV: tag, a definite length (one byte, or `81 XX`),
/// and that many value bytes, nothing after. The card does not read the body's fields; this
/// makes the signed message (§18.2) unambiguous.
fn is_one_body_tlv(data: &[u8]) -> bool {
    match data {
        [0x7F, 0x4E, len, rest @ ..] if *len < 0x80 => rest.len() == usize::from(*len),
        [0x7F, 0x4E, 0x81, len, rest @ ..] if *len >= 0x80 => rest.len() == usize::from(*len),
        _ => false,
    }
}

fn secret(p2: u8) -> Result<Secret, StatusWord> {
    match p2 {
        reference::HOLDER_PIN => Ok(Secret::HolderPin),
        reference::ADMIN_CODE => Ok(Secret::AdminCode),
        _ => Err(StatusWord::INCORRECT_P1_P2),
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

/// §9.1: an 8-byte block (`6700` otherwise) of 4 to 8 digits padded with FF (`6A80` otherwise).
fn pin(block: &[u8]) -> Result<Pin, StatusWord> {
    expect_len(block, Pin::BLOCK_LEN)?;
    Pin::from_block(block).ok_or(StatusWord::WRONG_DATA)
}

/// §9.2: a 16-byte block (`6700` otherwise) of 8 to 16 printable characters padded with FF
/// (`6A80` otherwise).
fn admin_code(block: &[u8]) -> Result<AdminCode, StatusWord> {
    expect_len(block, AdminCode::BLOCK_LEN)?;
    AdminCode::from_block(block).ok_or(StatusWord::WRONG_DATA)
}

fn code(secret: Secret, block: &[u8]) -> Result<Code, StatusWord> {
    Ok(match secret {
        Secret::HolderPin => Code::HolderPin(pin(block)?),
        Secret::AdminCode => Code::AdminCode(admin_code(block)?),
    })
}

/// §8.7 P1 = 00: old block ‖ new block. The length is checked whole first (`6700`), then the
/// new block and the old one (`6A80`).
fn code_change(secret: Secret, data: &[u8]) -> Result<CodeChange, StatusWord> {
    let n = match secret {
        Secret::HolderPin => Pin::BLOCK_LEN,
        Secret::AdminCode => AdminCode::BLOCK_LEN,
    };
    expect_len(data, 2 * n)?;
    let (old, new) = data.split_at(n);
    Ok(match secret {
        Secret::HolderPin => {
            let new = pin(new)?;
            CodeChange::HolderPin {
                old: pin(old)?,
                new,
            }
        }
        Secret::AdminCode => {
            let new = admin_code(new)?;
            CodeChange::AdminCode {
                old: admin_code(old)?,
                new,
            }
        }
    })
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
                    0x00 if data.is_empty() => Command::VerifyStatus(s),
                    0x00 => Command::Verify(code(s, data)?),
                    0xFF => {
                        no_data(data)?;
                        Command::ResetSecurityStatus(s)
                    }
                    _ => return Err(StatusWord::INCORRECT_P1_P2),
                }
            }
            ins::CHANGE_REFERENCE_DATA => {
                let s = secret(p2)?;
                match (p1, s) {
                    (0x01, Secret::HolderPin) => Command::SetPin(pin(data)?),
                    (0x00, _) => Command::ChangeCode(code_change(s, data)?),
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
            ins::PERFORM_SECURITY_OPERATION => {
                if (p1, p2) != COMPUTE_SIGNATURE_P1P2 {
                    return Err(StatusWord::INCORRECT_P1_P2);
                }
                if !RECEIPT_BODY_LEN.contains(&data.len()) {
                    return Err(StatusWord::WRONG_LENGTH);
                }
                if !is_one_body_tlv(data) {
                    return Err(StatusWord::WRONG_DATA);
                }
                Command::SignReceipt {
                    body: data.to_vec(),
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
            Ok(Command::ResetSecurityStatus(Secret::AdminCode))
        );
        assert_eq!(
            parse(&[0x00, 0x20, 0x00, 0x81]),
            Ok(Command::VerifyStatus(Secret::HolderPin))
        );
    }

    fn verify(p2: u8, block: &str) -> Result<Command, StatusWord> {
        let block = hex::decode(block).unwrap();
        let mut apdu = vec![0x00, 0x20, 0x00, p2, block.len() as u8];
        apdu.extend_from_slice(&block);
        parse(&apdu)
    }

    #[test]
    fn malformed_code_blocks_are_refused_by_the_parser_so_no_handler_spends_a_try_on_them() {
        for pin_block in [
            "313233FFFFFFFFFF",
            "3132A334FFFFFFFF",
            "31323334FF35FFFF",
            "3132333400000000",
            "FFFFFFFFFFFFFFFF",
        ] {
            assert_eq!(
                verify(0x81, pin_block),
                Err(StatusWord::WRONG_DATA),
                "{pin_block}"
            );
        }
        for admin_block in [
            "31323334353637FFFFFFFFFFFFFFFFFF",
            "313233343536373820FFFFFFFFFFFFFF",
            "31323334353637387FFFFFFFFFFFFFFF",
            "313233343536373880FFFFFFFFFFFFFF",
            "313233343536373800FFFFFFFFFFFFFF",
            "2031323334353637FFFFFFFFFFFFFFFF",
        ] {
            assert_eq!(
                verify(0x83, admin_block),
                Err(StatusWord::WRONG_DATA),
                "{admin_block}"
            );
        }
        assert_eq!(
            verify(0x81, "3132333435363738"),
            Ok(Command::Verify(Code::HolderPin(
                Pin::parse("12345678").unwrap()
            )))
        );
        assert_eq!(
            verify(0x83, "7E21313233343536373839304142437E"),
            Ok(Command::Verify(Code::AdminCode(
                AdminCode::parse("~!1234567890ABC~").unwrap()
            )))
        );
        // CHANGE REFERENCE DATA: a malformed old block is refused too, not compared.
        let mut change = hex::decode("0024008110").unwrap();
        change.extend_from_slice(&hex::decode("313233FFFFFFFFFF31323334FFFFFFFF").unwrap());
        assert_eq!(parse(&change), Err(StatusWord::WRONG_DATA));
        assert_eq!(verify(0x81, "313233"), Err(StatusWord::WRONG_LENGTH));
    }
}
