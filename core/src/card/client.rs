//! The host-side card client: one typed method per command of SPEC.md §8 over any
//! [`Transport`]. It handles the transport details (extended length or command chaining,
//! `61XX` GET RESPONSE, `6CXX` retries) and turns status words into [`CardIoError::Status`].

use super::error::{CardIoError, Result};
use super::{
    active_auth_message, data_object, ins, key_tag, reference, AdminCode, AuthFlags, CardInfo, Pin,
    Transport,
};
use crate::apdu::{CommandApdu, ResponseApdu, StatusWord, CLA_CHAINING};
use crate::serial::CardSerial;
use crate::signature::{self, PublicKey};
use crate::tlv::{self, Children};

/// Commands and bytes exchanged, for the wire figures in BENCHMARKS.md.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WireStats {
    pub commands: u32,
    pub bytes_sent: usize,
    pub bytes_received: usize,
}

/// Outcome of a PIN check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PinCheck {
    Verified,
    Wrong { tries_left: u8 },
    Blocked,
    NotSet,
}

/// The card's answer to INTERNAL AUTHENTICATE.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthResponse {
    pub flags: AuthFlags,
    pub signature: [u8; signature::SIGNATURE_LEN],
}

impl AuthResponse {
    /// Whether the card key signed `challenge` for the card `serial` (SPEC.md §8.6).
    pub fn verify(&self, card_key: &PublicKey, serial: CardSerial, challenge: &[u8]) -> bool {
        signature::verify(
            card_key,
            &active_auth_message(serial, self.flags, challenge),
            &self.signature,
        )
    }
}

/// Largest response the client asks for in one extended-length command.
const MAX_EXTENDED_LE: usize = 65536;
/// Largest chunk of a chained command.
const CHAIN_CHUNK: usize = 255;

/// A typed client of the card application.
pub struct CardClient<T: Transport> {
    transport: T,
    extended: bool,
    stats: WireStats,
}

impl<T: Transport> CardClient<T> {
    pub fn new(transport: T) -> Self {
        let extended = transport.supports_extended_length();
        CardClient {
            transport,
            extended,
            stats: WireStats::default(),
        }
    }

    pub fn stats(&self) -> WireStats {
        self.stats
    }

    pub fn reset_stats(&mut self) {
        self.stats = WireStats::default();
    }

    pub fn transport(&self) -> &T {
        &self.transport
    }

    pub fn transport_mut(&mut self) -> &mut T {
        &mut self.transport
    }

    pub fn into_transport(self) -> T {
        self.transport
    }

    fn send(&mut self, name: &'static str, cmd: &CommandApdu) -> Result<ResponseApdu> {
        let bytes = cmd.to_bytes();
        self.stats.commands += 1;
        self.stats.bytes_sent += bytes.len();
        let raw = self.transport.transmit(&bytes).map_err(|e| match e {
            CardIoError::CardRemoved { .. } => CardIoError::CardRemoved {
                during: name.into(),
            },
            other => other,
        })?;
        self.stats.bytes_received += raw.len();
        ResponseApdu::parse(&raw).ok_or_else(|| CardIoError::Response {
            command: name,
            problem: format!(
                "{} bytes, a response needs at least the 2-byte status word",
                raw.len()
            ),
        })
    }

    /// Sends a command and collects its whole response (following `61XX` with GET RESPONSE and
    /// re-sending once on `6CXX`). Returns the final status word unchecked.
    fn exchange(&mut self, name: &'static str, mut cmd: CommandApdu) -> Result<ResponseApdu> {
        let mut resp = self.send(name, &cmd)?;
        if resp.sw.sw1() == 0x6C {
            cmd.le = Some(if resp.sw.sw2() == 0 {
                256
            } else {
                usize::from(resp.sw.sw2())
            });
            resp = self.send(name, &cmd)?;
        }
        let mut data = std::mem::take(&mut resp.data);
        let mut sw = resp.sw;
        while sw.sw1() == 0x61 {
            let le = if sw.sw2() == 0 {
                256
            } else {
                usize::from(sw.sw2())
            };
            let get = CommandApdu::new(0x00, ins::GET_RESPONSE, 0, 0).le(le);
            let more = self.send(name, &get)?;
            data.extend_from_slice(&more.data);
            sw = more.sw;
            if data.len() > MAX_EXTENDED_LE {
                return Err(CardIoError::Response {
                    command: name,
                    problem: "response longer than 65536 bytes".into(),
                });
            }
        }
        Ok(ResponseApdu { data, sw })
    }

    fn expect_ok(&mut self, name: &'static str, cmd: CommandApdu) -> Result<Vec<u8>> {
        let resp = self.exchange(name, cmd)?;
        if resp.sw.is_ok() {
            Ok(resp.data)
        } else {
            Err(CardIoError::Status {
                command: name,
                sw: resp.sw,
            })
        }
    }

    fn long_le(&self) -> usize {
        if self.extended {
            MAX_EXTENDED_LE
        } else {
            256
        }
    }

    /// SELECT the application by AID; returns what its FCI says.
    pub fn select(&mut self) -> Result<CardInfo> {
        let cmd = CommandApdu::new(0x00, ins::SELECT, 0x04, 0x00)
            .data(super::AID.to_vec())
            .le(256);
        let data = self.expect_ok("SELECT", cmd)?;
        Ok(CardInfo::from_fci(&data)?)
    }

    /// GET DATA of the credential (`7F21`).
    pub fn read_credential(&mut self) -> Result<Vec<u8>> {
        let [p1, p2] = data_object::CREDENTIAL.to_be_bytes();
        let cmd = CommandApdu::new(0x00, ins::GET_DATA, p1, p2).le(self.long_le());
        self.expect_ok("GET DATA (credential)", cmd)
    }

    /// VERIFY the administrative code.
    pub fn verify_admin(&mut self, code: &AdminCode) -> Result<()> {
        let cmd = CommandApdu::new(0x00, ins::VERIFY, 0x00, reference::ADMIN_CODE)
            .data(code.block().to_vec());
        self.expect_ok("VERIFY (administrative code)", cmd)
            .map(drop)
    }

    /// GENERATE ASYMMETRIC KEY PAIR: a new card key; the private key never leaves the card.
    pub fn generate_key(&mut self) -> Result<PublicKey> {
        let cmd = CommandApdu::new(0x00, ins::GENERATE_ASYMMETRIC_KEY_PAIR, 0x80, 0x00).le(256);
        let data = self.expect_ok("GENERATE ASYMMETRIC KEY PAIR", cmd)?;
        parse_public_key("GENERATE ASYMMETRIC KEY PAIR", &data)
    }

    /// Reads the card's existing public key.
    pub fn read_public_key(&mut self) -> Result<PublicKey> {
        let cmd = CommandApdu::new(0x00, ins::GENERATE_ASYMMETRIC_KEY_PAIR, 0x81, 0x00).le(256);
        let data = self.expect_ok("read public key", cmd)?;
        parse_public_key("read public key", &data)
    }

    /// PUT DATA of the credential, in one extended APDU or a chain of short ones.
    pub fn put_credential(&mut self, credential: &[u8]) -> Result<()> {
        let [p1, p2] = data_object::CREDENTIAL.to_be_bytes();
        if self.extended || credential.len() <= CHAIN_CHUNK {
            let cmd = CommandApdu::new(0x00, ins::PUT_DATA, p1, p2).data(credential.to_vec());
            return self.expect_ok("PUT DATA (credential)", cmd).map(drop);
        }
        let chunks: Vec<&[u8]> = credential.chunks(CHAIN_CHUNK).collect();
        for (i, chunk) in chunks.iter().enumerate() {
            let cla = if i + 1 < chunks.len() {
                CLA_CHAINING
            } else {
                0x00
            };
            let cmd = CommandApdu::new(cla, ins::PUT_DATA, p1, p2).data(chunk.to_vec());
            self.expect_ok("PUT DATA (credential)", cmd)?;
        }
        Ok(())
    }

    /// Sets the holder PIN (administrative code verified; PERSONALIZING or ISSUED).
    pub fn set_pin(&mut self, pin: &Pin) -> Result<()> {
        let cmd = CommandApdu::new(
            0x00,
            ins::CHANGE_REFERENCE_DATA,
            0x01,
            reference::HOLDER_PIN,
        )
        .data(pin.block().to_vec());
        self.expect_ok("CHANGE REFERENCE DATA (set PIN)", cmd)
            .map(drop)
    }

    fn pin_check(&mut self, name: &'static str, cmd: CommandApdu) -> Result<PinCheck> {
        let resp = self.exchange(name, cmd)?;
        Ok(match resp.sw {
            StatusWord::OK => PinCheck::Verified,
            StatusWord::AUTH_METHOD_BLOCKED => PinCheck::Blocked,
            StatusWord::REFERENCE_NOT_FOUND => PinCheck::NotSet,
            sw => match sw.tries_left() {
                Some(0) => PinCheck::Blocked,
                Some(n) => PinCheck::Wrong { tries_left: n },
                None => return Err(CardIoError::Status { command: name, sw }),
            },
        })
    }

    /// VERIFY the holder PIN.
    pub fn verify_pin(&mut self, pin: &Pin) -> Result<PinCheck> {
        let cmd = CommandApdu::new(0x00, ins::VERIFY, 0x00, reference::HOLDER_PIN)
            .data(pin.block().to_vec());
        self.pin_check("VERIFY (PIN)", cmd)
    }

    /// Asks how many PIN tries are left without trying (VERIFY with no data).
    pub fn pin_status(&mut self) -> Result<PinCheck> {
        let cmd = CommandApdu::new(0x00, ins::VERIFY, 0x00, reference::HOLDER_PIN);
        self.pin_check("VERIFY (PIN status)", cmd)
    }

    /// CHANGE REFERENCE DATA of the holder PIN with the old PIN.
    pub fn change_pin(&mut self, old: &Pin, new: &Pin) -> Result<PinCheck> {
        let mut data = old.block().to_vec();
        data.extend_from_slice(new.block());
        let cmd = CommandApdu::new(
            0x00,
            ins::CHANGE_REFERENCE_DATA,
            0x00,
            reference::HOLDER_PIN,
        )
        .data(data);
        self.pin_check("CHANGE REFERENCE DATA (PIN)", cmd)
    }

    /// RESET RETRY COUNTER: a new holder PIN set by the office (administrative code verified).
    pub fn reset_pin(&mut self, new: &Pin) -> Result<()> {
        let cmd = CommandApdu::new(0x00, ins::RESET_RETRY_COUNTER, 0x02, reference::HOLDER_PIN)
            .data(new.block().to_vec());
        self.expect_ok("RESET RETRY COUNTER", cmd).map(drop)
    }

    /// CHANGE REFERENCE DATA of the administrative code.
    pub fn change_admin_code(&mut self, old: &AdminCode, new: &AdminCode) -> Result<()> {
        let mut data = old.block().to_vec();
        data.extend_from_slice(new.block());
        let cmd = CommandApdu::new(
            0x00,
            ins::CHANGE_REFERENCE_DATA,
            0x00,
            reference::ADMIN_CODE,
        )
        .data(data);
        self.expect_ok("CHANGE REFERENCE DATA (administrative code)", cmd)
            .map(drop)
    }

    /// ACTIVATE FILE: locks a personalized card (PERSONALIZING → ISSUED) or reactivates a
    /// blocked one.
    pub fn activate(&mut self) -> Result<()> {
        self.expect_ok(
            "ACTIVATE FILE",
            CommandApdu::new(0x00, ins::ACTIVATE_FILE, 0, 0),
        )
        .map(drop)
    }

    /// DEACTIVATE FILE: ISSUED → BLOCKED.
    pub fn deactivate(&mut self) -> Result<()> {
        self.expect_ok(
            "DEACTIVATE FILE",
            CommandApdu::new(0x00, ins::DEACTIVATE_FILE, 0, 0),
        )
        .map(drop)
    }

    /// TERMINATE DF: permanently ends the card.
    pub fn terminate(&mut self) -> Result<()> {
        self.expect_ok(
            "TERMINATE DF",
            CommandApdu::new(0x00, ins::TERMINATE_DF, 0, 0),
        )
        .map(drop)
    }

    /// INTERNAL AUTHENTICATE over the verifier's fresh `challenge`.
    pub fn internal_authenticate(&mut self, challenge: &[u8]) -> Result<AuthResponse> {
        let name = "INTERNAL AUTHENTICATE";
        let cmd = CommandApdu::new(0x00, ins::INTERNAL_AUTHENTICATE, 0, 0)
            .data(challenge.to_vec())
            .le(256);
        let data = self.expect_ok(name, cmd)?;
        if data.len() != 1 + signature::SIGNATURE_LEN {
            return Err(CardIoError::Response {
                command: name,
                problem: format!("{} bytes, expected 65 (flags ‖ r ‖ s)", data.len()),
            });
        }
        let mut sig = [0u8; signature::SIGNATURE_LEN];
        sig.copy_from_slice(&data[1..]);
        Ok(AuthResponse {
            flags: AuthFlags(data[0]),
            signature: sig,
        })
    }

    /// PERFORM SECURITY OPERATION: COMPUTE DIGITAL SIGNATURE over a receipt body (SPEC.md
    /// §8.13): the card's answer `flags ‖ r ‖ s`, for [`crate::receipt::SignedReceipt::from_card`].
    pub fn sign_receipt(&mut self, body: &[u8]) -> Result<Vec<u8>> {
        let name = "PERFORM SECURITY OPERATION";
        let (p1, p2) = super::COMPUTE_SIGNATURE_P1P2;
        let cmd = CommandApdu::new(0x00, ins::PERFORM_SECURITY_OPERATION, p1, p2)
            .data(body.to_vec())
            .le(256);
        let data = self.expect_ok(name, cmd)?;
        if data.len() != 1 + signature::SIGNATURE_LEN {
            return Err(CardIoError::Response {
                command: name,
                problem: format!("{} bytes, expected 65 (flags ‖ r ‖ s)", data.len()),
            });
        }
        Ok(data)
    }
}

fn parse_public_key(command: &'static str, data: &[u8]) -> Result<PublicKey> {
    let bad = |problem: String| CardIoError::Response { command, problem };
    let t = tlv::decode("public key template", data, key_tag::TEMPLATE, 256)
        .map_err(|e| bad(e.to_string()))?;
    let mut c = Children::of("public key template", &t).map_err(|e| bad(e.to_string()))?;
    let point = c.required(key_tag::POINT).map_err(|e| bad(e.to_string()))?;
    c.finish().map_err(|e| bad(e.to_string()))?;
    signature::public_key_from_bytes("card_public_key", point).map_err(|e| bad(e.to_string()))
}
