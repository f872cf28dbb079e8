//! The card application as a state machine: APDU bytes in, response bytes out (SPEC.md §7–§10).
//! Every change to persistent state goes through [`CardApp::commit`], which stores the whole new
//! record before the card acts on it: a power cut leaves either the old or the new record.

use asxh_core::apdu::{CommandApdu, StatusWord};
use asxh_core::card::{
    active_auth_message, key_tag, receipt_message, AuthFlags, CardApplication, CardInfo, LifeCycle,
    PinStatus, AID, APPLICATION_VERSION, MAX_ADMIN_TRIES, MAX_PIN_TRIES, REFERENCE_ATR,
};
use asxh_core::credential::MAX_CREDENTIAL_LEN;
use asxh_core::signature::{self, SigningKey};
use asxh_core::tlv;
use asxh_core::SignedCredential;
use p256::SecretKey;
use rand_core::{CryptoRngCore, OsRng};
use subtle::ConstantTimeEq;

use crate::command::{Code, CodeChange, Command, DataObject, Secret};
use crate::error::CardError;
use crate::state::PersistentState;
use crate::storage::Storage;

/// Session state, lost at every power cycle or SELECT.
#[derive(Debug, Default)]
struct Session {
    selected: bool,
    admin_verified: bool,
    pin_verified: bool,
    /// Data of a PUT DATA chain in progress.
    chain: Option<Vec<u8>>,
    /// Response bytes waiting for GET RESPONSE.
    pending: Option<Vec<u8>>,
}

/// The reference card application.
pub struct CardApp<S: Storage> {
    storage: S,
    state: PersistentState,
    session: Session,
    rng: Box<dyn CryptoRngCore + Send>,
}

type Outcome = Result<Vec<u8>, StatusWord>;

impl<S: Storage> CardApp<S> {
    /// Opens the card stored in `storage` (a blank card if it holds nothing yet).
    pub fn open(storage: S) -> Result<Self, CardError> {
        Self::open_with_rng(storage, Box::new(OsRng))
    }

    /// Opens the card with a given random source (deterministic ones make reproducible test
    /// vectors; real cards use their hardware generator).
    pub fn open_with_rng(
        mut storage: S,
        rng: Box<dyn CryptoRngCore + Send>,
    ) -> Result<Self, CardError> {
        let state = match storage.load()? {
            Some(bytes) => PersistentState::decode(&bytes)?,
            None => PersistentState::factory(),
        };
        Ok(CardApp {
            storage,
            state,
            session: Session::default(),
            rng,
        })
    }

    pub fn life_cycle(&self) -> LifeCycle {
        self.state.life_cycle
    }

    pub fn storage(&self) -> &S {
        &self.storage
    }

    pub fn storage_mut(&mut self) -> &mut S {
        &mut self.storage
    }

    /// The persistent state, for tests that check invariants after a power cut.
    pub fn persistent_state(&self) -> &PersistentState {
        &self.state
    }

    /// Stores `new` and only then makes it the card's state. A failed store answers 6581 and
    /// leaves the card as it was.
    fn commit(&mut self, new: PersistentState) -> Result<(), StatusWord> {
        match self.storage.store(&new.encode()) {
            Ok(()) => {
                self.state = new;
                Ok(())
            }
            Err(_) => Err(StatusWord::MEMORY_FAILURE),
        }
    }

    /// What SELECT reports.
    pub fn info(&self) -> CardInfo {
        let s = &self.state;
        CardInfo {
            life_cycle: s.life_cycle,
            version: APPLICATION_VERSION,
            serial: s.serial,
            holder_pin: if s.pin.is_some() {
                PinStatus::TriesLeft(s.pin_tries_left)
            } else {
                PinStatus::NotSet
            },
            admin_tries_left: s.admin_tries_left,
            has_key: s.private_key.is_some(),
            has_credential: s.credential.is_some(),
        }
    }

    /// Processes one command APDU (SPEC.md §7.3 gives the order of the checks).
    pub fn process(&mut self, bytes: &[u8]) -> Vec<u8> {
        let apdu = match CommandApdu::parse(bytes) {
            Ok(a) => a,
            Err(sw) => {
                self.session.chain = None;
                self.session.pending = None;
                return sw.0.to_be_bytes().to_vec();
            }
        };
        let outcome = self.dispatch(&apdu);
        self.respond(outcome, apdu.le)
    }

    fn respond(&mut self, outcome: Outcome, le: Option<usize>) -> Vec<u8> {
        match outcome {
            Err(sw) => sw.0.to_be_bytes().to_vec(),
            Ok(mut data) => {
                let le = le.unwrap_or(0);
                let sw = if data.len() > le {
                    let rest = data.split_off(le);
                    let sw = StatusWord::more_data(rest.len());
                    self.session.pending = Some(rest);
                    sw
                } else {
                    StatusWord::OK
                };
                data.extend_from_slice(&sw.0.to_be_bytes());
                data
            }
        }
    }

    fn dispatch(&mut self, apdu: &CommandApdu) -> Outcome {
        let cmd = match Command::try_from(apdu) {
            Ok(c) => c,
            Err(sw) => {
                self.session.chain = None;
                self.session.pending = None;
                return Err(sw);
            }
        };
        // §7.1: SELECT and log-out end the session, chain included, whenever they come (a host
        // that gives up on a write must not stay authenticated); anything else breaks the chain.
        if self.session.chain.is_some()
            && !matches!(
                cmd,
                Command::PutCredential { .. }
                    | Command::Select { .. }
                    | Command::ResetSecurityStatus(_)
            )
        {
            self.session.chain = None;
            return Err(StatusWord::LAST_COMMAND_OF_CHAIN_EXPECTED);
        }
        if !matches!(cmd, Command::GetResponse) {
            self.session.pending = None;
        }
        if !self.session.selected && !matches!(cmd, Command::Select { .. }) {
            return Err(StatusWord::CONDITIONS_NOT_SATISFIED);
        }
        if !allowed_in(&cmd, self.state.life_cycle) {
            self.session.chain = None;
            return Err(StatusWord::CONDITIONS_NOT_SATISFIED);
        }
        if needs_admin(&cmd) && !self.session.admin_verified {
            self.session.chain = None;
            return Err(StatusWord::SECURITY_NOT_SATISFIED);
        }
        match cmd {
            Command::Select { aid, return_fci } => self.select(&aid, return_fci),
            Command::GetData(DataObject::Credential) => self
                .state
                .credential
                .clone()
                .ok_or(StatusWord::REFERENCE_NOT_FOUND),
            Command::GetData(DataObject::PublicKey) | Command::ReadPublicKey => {
                self.public_key_template()
            }
            Command::GenerateKey => self.generate_key(),
            Command::PutCredential { chunk, more } => self.put_credential(chunk, more),
            Command::Verify(code) => self.verify(&code),
            Command::VerifyStatus(secret) => self.verify_status(secret),
            // §8.5: log out of the code, ending any chain in progress with it.
            Command::ResetSecurityStatus(secret) => {
                self.session.chain = None;
                set_verified(&mut self.session, secret, false);
                Ok(Vec::new())
            }
            Command::SetPin(pin) => self.office_sets_pin(pin),
            Command::ChangeCode(change) => self.change_code(change),
            Command::ResetPin(pin) => {
                if self.state.pin.is_none() {
                    return Err(StatusWord::REFERENCE_NOT_FOUND);
                }
                self.office_sets_pin(pin)
            }
            Command::InternalAuthenticate { challenge } => self.internal_authenticate(&challenge),
            Command::SignReceipt { body } => self.sign_receipt(&body),
            Command::Activate => self.activate(),
            Command::Deactivate => self.set_life_cycle(LifeCycle::Blocked),
            Command::Terminate => {
                let mut new = self.state.clone();
                new.life_cycle = LifeCycle::Terminated;
                new.private_key = None;
                new.pin = None;
                new.credential = None;
                self.commit(new)?;
                self.session = Session {
                    selected: true,
                    ..Session::default()
                };
                Ok(Vec::new())
            }
            Command::GetResponse => self
                .session
                .pending
                .take()
                .ok_or(StatusWord::CONDITIONS_NOT_SATISFIED),
        }
    }

    /// §8.1
    fn select(&mut self, aid: &[u8], return_fci: bool) -> Outcome {
        self.session = Session::default();
        if aid != AID {
            return Err(StatusWord::FILE_NOT_FOUND);
        }
        self.session.selected = true;
        Ok(if return_fci {
            self.info().to_fci()
        } else {
            Vec::new()
        })
    }

    fn signing_key(&self) -> Result<SigningKey, StatusWord> {
        let scalar = self
            .state
            .private_key
            .ok_or(StatusWord::REFERENCE_NOT_FOUND)?;
        SigningKey::from_bytes(&scalar.into()).map_err(|_| StatusWord::MEMORY_FAILURE)
    }

    fn public_key_template(&self) -> Outcome {
        let key = self.signing_key()?;
        let point = signature::public_key_bytes(key.verifying_key());
        Ok(tlv::encode(&tlv::constructed(
            key_tag::TEMPLATE,
            vec![tlv::primitive(key_tag::POINT, point.to_vec())],
        )))
    }

    /// §8.3: a new key pair; everything written for the previous key is erased with it.
    fn generate_key(&mut self) -> Outcome {
        let secret = SecretKey::random(&mut self.rng);
        let mut new = self.state.clone();
        new.life_cycle = LifeCycle::Personalizing;
        new.private_key = Some(secret.to_bytes().into());
        new.serial = None;
        new.credential = None;
        new.pin = None;
        new.pin_tries_left = MAX_PIN_TRIES;
        self.commit(new)?;
        self.session.pin_verified = false;
        self.public_key_template()
    }

    /// §8.4: the credential is accepted only whole, valid in every format rule a card can check
    /// without the issuer's key (§5.2–§5.4, through the same decoder verifiers use), and naming
    /// this card's key. Every part of a chain is answered 9000 until the total passes the
    /// 2048-byte limit: that part gets 6A84 and the chain is gone.
    fn put_credential(&mut self, chunk: Vec<u8>, more: bool) -> Outcome {
        let mut data = self.session.chain.take().unwrap_or_default();
        data.extend_from_slice(&chunk);
        if data.len() > MAX_CREDENTIAL_LEN {
            return Err(StatusWord::NOT_ENOUGH_MEMORY);
        }
        if more {
            self.session.chain = Some(data);
            return Ok(Vec::new());
        }
        let body = SignedCredential::parse(&data)
            .and_then(|c| c.unverified_body())
            .map_err(|_| StatusWord::WRONG_DATA)?;
        if body.card_public_key != *self.signing_key()?.verifying_key() {
            return Err(StatusWord::WRONG_DATA);
        }
        let mut new = self.state.clone();
        new.serial = Some(body.serial);
        new.credential = Some(data);
        self.commit(new)?;
        Ok(Vec::new())
    }

    /// §8.7 P1 = 01 and §8.8: the office sets the holder PIN, tries back to 3. Nobody has
    /// presented the new PIN in this session, so it is not verified (§8.6 signs that flag).
    fn office_sets_pin(&mut self, pin: asxh_core::card::Pin) -> Outcome {
        let mut new = self.state.clone();
        new.pin = Some(pin);
        new.pin_tries_left = MAX_PIN_TRIES;
        self.commit(new)?;
        self.session.pin_verified = false;
        Ok(Vec::new())
    }

    /// §9.3: the retry counter is decremented and stored *before* the comparison, so cutting
    /// power during a wrong guess cannot give the guess back. On a match, returns the state with
    /// the counter reset, for the caller to store in one replacement with whatever else the
    /// command changes (§10): storing the reset alone first would let a cut CHANGE REFERENCE
    /// DATA raise the counter without changing the code.
    fn spend_try(&mut self, candidate: &Code) -> Result<PersistentState, StatusWord> {
        let secret = candidate.secret();
        let (tries, max) = match secret {
            Secret::HolderPin => (self.state.pin_tries_left, MAX_PIN_TRIES),
            Secret::AdminCode => (self.state.admin_tries_left, MAX_ADMIN_TRIES),
        };
        let stored: Vec<u8> = match secret {
            Secret::HolderPin => self
                .state
                .pin
                .as_ref()
                .ok_or(StatusWord::REFERENCE_NOT_FOUND)?
                .block()
                .to_vec(),
            Secret::AdminCode => self.state.admin_code.block().to_vec(),
        };
        if tries == 0 {
            return Err(StatusWord::AUTH_METHOD_BLOCKED);
        }
        let mut decremented = self.state.clone();
        set_tries(&mut decremented, secret, tries - 1);
        self.commit(decremented)?;
        set_verified(&mut self.session, secret, false);
        if bool::from(stored.as_slice().ct_eq(candidate.block())) {
            let mut restored = self.state.clone();
            set_tries(&mut restored, secret, max);
            Ok(restored)
        } else {
            Err(StatusWord::verify_failed(tries - 1))
        }
    }

    /// §8.5 and §9: checks a code and, when it matches, stores the counter reset.
    fn verify(&mut self, candidate: &Code) -> Outcome {
        let restored = self.spend_try(candidate)?;
        self.commit(restored)?;
        set_verified(&mut self.session, candidate.secret(), true);
        Ok(Vec::new())
    }

    /// §8.5 without data: 9000 if verified in this session, else the tries left.
    fn verify_status(&mut self, secret: Secret) -> Outcome {
        let (verified, tries) = match secret {
            Secret::HolderPin if self.state.pin.is_none() => {
                return Err(StatusWord::REFERENCE_NOT_FOUND)
            }
            Secret::HolderPin => (self.session.pin_verified, self.state.pin_tries_left),
            Secret::AdminCode => (self.session.admin_verified, self.state.admin_tries_left),
        };
        if verified {
            Ok(Vec::new())
        } else if tries == 0 {
            Err(StatusWord::AUTH_METHOD_BLOCKED)
        } else {
            Err(StatusWord::verify_failed(tries))
        }
    }

    /// §8.7, P1 = 00: the new value and the reset counter are one replacement; the code then
    /// counts as verified (its holder just presented the old one).
    fn change_code(&mut self, change: CodeChange) -> Outcome {
        let old = change.old();
        let mut new = self.spend_try(&old)?;
        match change {
            CodeChange::HolderPin { new: pin, .. } => new.pin = Some(pin),
            CodeChange::AdminCode { new: code, .. } => new.admin_code = code,
        }
        self.commit(new)?;
        set_verified(&mut self.session, old.secret(), true);
        Ok(Vec::new())
    }

    /// §8.6
    fn internal_authenticate(&mut self, challenge: &[u8]) -> Outcome {
        let serial = self
            .state
            .serial
            .ok_or(StatusWord::CONDITIONS_NOT_SATISFIED)?;
        let key = self.signing_key()?;
        let flags = self.auth_flags();
        let sig = signature::sign(&key, &active_auth_message(serial, flags, challenge));
        let mut out = vec![flags.0];
        out.extend_from_slice(&sig);
        Ok(out)
    }

    /// §8.13: the card key over `"ASXH-RC-V1" ‖ serial ‖ flags ‖ body`. Like INTERNAL
    /// AUTHENTICATE it needs no PIN: a blocked PIN never stops a payment, the flags say how it
    /// stood.
    fn sign_receipt(&mut self, body: &[u8]) -> Outcome {
        let serial = self
            .state
            .serial
            .ok_or(StatusWord::CONDITIONS_NOT_SATISFIED)?;
        let key = self.signing_key()?;
        let flags = self.auth_flags();
        let sig = signature::sign(&key, &receipt_message(&serial.to_bytes(), flags, body));
        let mut out = vec![flags.0];
        out.extend_from_slice(&sig);
        Ok(out)
    }

    /// The flags both signing commands report and sign (§8.6).
    fn auth_flags(&self) -> AuthFlags {
        let mut flags = 0;
        if self.session.pin_verified {
            flags |= AuthFlags::PIN_VERIFIED;
        }
        if self.state.pin.is_some() {
            flags |= AuthFlags::PIN_SET;
            if self.state.pin_tries_left == 0 {
                flags |= AuthFlags::PIN_BLOCKED;
            }
        }
        AuthFlags(flags)
    }

    /// §8.9: PERSONALIZING → ISSUED needs a stored credential; BLOCKED → ISSUED.
    fn activate(&mut self) -> Outcome {
        if self.state.life_cycle == LifeCycle::Personalizing
            && (self.state.credential.is_none() || self.state.serial.is_none())
        {
            return Err(StatusWord::CONDITIONS_NOT_SATISFIED);
        }
        self.set_life_cycle(LifeCycle::Issued)
    }

    fn set_life_cycle(&mut self, life_cycle: LifeCycle) -> Outcome {
        let mut new = self.state.clone();
        new.life_cycle = life_cycle;
        self.commit(new)?;
        Ok(Vec::new())
    }
}

fn set_tries(state: &mut PersistentState, secret: Secret, tries: u8) {
    match secret {
        Secret::HolderPin => state.pin_tries_left = tries,
        Secret::AdminCode => state.admin_tries_left = tries,
    }
}

fn set_verified(session: &mut Session, secret: Secret, verified: bool) {
    match secret {
        Secret::HolderPin => session.pin_verified = verified,
        Secret::AdminCode => session.admin_verified = verified,
    }
}

/// Which command runs in which life-cycle state (SPEC.md §7.2, table 2).
pub fn allowed_in(cmd: &Command, lc: LifeCycle) -> bool {
    use LifeCycle::*;
    match cmd {
        Command::Select { .. } | Command::GetResponse | Command::ResetSecurityStatus(_) => true,
        Command::Verify(Code::AdminCode(_))
        | Command::VerifyStatus(Secret::AdminCode)
        | Command::ChangeCode(CodeChange::AdminCode { .. })
        | Command::Terminate => lc != Terminated,
        Command::GenerateKey => matches!(lc, Blank | Personalizing),
        Command::PutCredential { .. } => lc == Personalizing,
        Command::GetData(_) | Command::ReadPublicKey | Command::SetPin(_) => {
            matches!(lc, Personalizing | Issued)
        }
        Command::Verify(Code::HolderPin(_))
        | Command::VerifyStatus(Secret::HolderPin)
        | Command::ChangeCode(CodeChange::HolderPin { .. })
        | Command::ResetPin(_)
        | Command::InternalAuthenticate { .. }
        | Command::SignReceipt { .. }
        | Command::Deactivate => lc == Issued,
        Command::Activate => matches!(lc, Personalizing | Blocked),
    }
}

/// Commands that need the administrative code verified in this session (SPEC.md §7.2).
pub fn needs_admin(cmd: &Command) -> bool {
    matches!(
        cmd,
        Command::GenerateKey
            | Command::PutCredential { .. }
            | Command::SetPin(_)
            | Command::ResetPin(_)
            | Command::Activate
            | Command::Deactivate
            | Command::Terminate
    )
}

impl<S: Storage> CardApplication for CardApp<S> {
    fn process_apdu(&mut self, command: &[u8]) -> Vec<u8> {
        self.process(command)
    }

    fn power_cycle(&mut self) {
        self.session = Session::default();
    }

    fn atr(&self) -> Vec<u8> {
        REFERENCE_ATR.to_vec()
    }
}
