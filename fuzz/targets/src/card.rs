//! Targets of the card protocol: the card application's APDU handler (what a reader, or an
//! attacker's terminal, sends to the card) and the host side reading what a card answers (what
//! an attacker's card sends to the office or to a verifier).

use std::collections::VecDeque;

use asxh_core::apdu::StatusWord;
use asxh_core::card::{Atr, CardApplication, CardClient, CardIoError, LifeCycle, Pin, Transport};
use asxh_core::{CardSerial, SignedCredential};

use crate::fixtures::{self, CardFixture};
use crate::steps::{split, Step};

/// A sequence of APDUs (see [`crate::steps`]) sent to a card in each life-cycle state of
/// [`fixtures::cards`]. Every answer ends with a valid status word and carries data only with
/// `9000` or `61XX`; no answer holds any private key the card has had; an issued card never
/// goes back to an earlier state nor has its credential changed, and a terminated card stays
/// terminated without a key; retry counters never exceed their maximum.
pub fn card_apdus(data: &[u8]) {
    let steps = split(data);
    for fixture in fixtures::cards() {
        run_card(fixture, &steps);
    }
}

fn run_card(fixture: &CardFixture, steps: &[Step<'_>]) {
    let mut card = fixture.open();
    let issued_credential = card.persistent_state().credential.clone();
    let mut keys: Vec<[u8; 32]> = card.persistent_state().private_key.into_iter().collect();
    let was_issued = matches!(
        fixture.life_cycle,
        LifeCycle::Issued | LifeCycle::Blocked | LifeCycle::Terminated
    );
    let mut terminated = fixture.life_cycle == LifeCycle::Terminated;
    for step in steps {
        let Step::Message(apdu) = step else {
            card.power_cycle();
            continue;
        };
        let answer = card.process(apdu);
        let state = card.persistent_state();
        if let Some(key) = state.private_key {
            if !keys.contains(&key) {
                keys.push(key);
            }
        }
        let context = || format!("{} card, command {apdu:02X?}", fixture.name);
        check_answer(&answer, &keys, &context);
        let life_cycle = state.life_cycle;
        if was_issued {
            assert!(
                matches!(
                    life_cycle,
                    LifeCycle::Issued | LifeCycle::Blocked | LifeCycle::Terminated
                ),
                "an issued card went back to {life_cycle:?}: {}",
                context()
            );
            if life_cycle != LifeCycle::Terminated {
                assert_eq!(
                    state.credential,
                    issued_credential,
                    "an issued card's credential changed: {}",
                    context()
                );
            }
        }
        if terminated {
            assert_eq!(
                life_cycle,
                LifeCycle::Terminated,
                "a terminated card came back: {}",
                context()
            );
        }
        if life_cycle == LifeCycle::Terminated {
            terminated = true;
            assert!(
                state.private_key.is_none(),
                "a terminated card kept its key: {}",
                context()
            );
        }
        assert!(
            state.pin_tries_left <= asxh_core::card::MAX_PIN_TRIES
                && state.admin_tries_left <= asxh_core::card::MAX_ADMIN_TRIES,
            "a retry counter above its maximum: {}",
            context()
        );
    }
}

fn check_answer(answer: &[u8], keys: &[[u8; 32]], context: &dyn Fn() -> String) {
    let [data @ .., sw1, sw2] = answer else {
        panic!("an answer without a status word: {}", context());
    };
    let sw = StatusWord(u16::from_be_bytes([*sw1, *sw2]));
    assert!(
        matches!(sw.sw1(), 0x61..=0x6F | 0x90..=0x9F),
        "{sw} is not a status word: {}",
        context()
    );
    assert!(
        data.is_empty() || sw.is_ok() || sw.sw1() == 0x61,
        "data with the error {sw}: {}",
        context()
    );
    for key in keys {
        assert!(
            !answer.windows(key.len()).any(|w| w == key),
            "the private key left the card: {}",
            context()
        );
    }
}

/// A card that answers with the messages of the input, in order, then is pulled out.
struct ScriptedCard<'a> {
    answers: VecDeque<&'a [u8]>,
    extended: bool,
}

impl Transport for ScriptedCard<'_> {
    fn transmit(&mut self, _command: &[u8]) -> Result<Vec<u8>, CardIoError> {
        self.answers
            .pop_front()
            .map(<[u8]>::to_vec)
            .ok_or_else(|| CardIoError::CardRemoved {
                during: "a scripted exchange".into(),
            })
    }
    fn supports_extended_length(&self) -> bool {
        self.extended
    }
}

/// What a card answers (see [`crate::steps`]; a power cycle step is skipped): the first message
/// is its ATR, the others answer, in order, the commands of an office or a verifier reading the
/// card — SELECT, GET DATA, the public key, the PIN status and a PIN check, INTERNAL
/// AUTHENTICATE. Every reading is a value or an error, never a panic.
pub fn card_responses(data: &[u8]) {
    let mut messages = split(data).into_iter().filter_map(|s| match s {
        Step::Message(m) => Some(m),
        Step::PowerCycle => None,
    });
    let Some(atr) = messages.next() else {
        return;
    };
    let extended = Atr::parse(atr).is_some_and(|a| a.extended_length() && a.chaining());
    let mut client = CardClient::new(ScriptedCard {
        answers: messages.collect(),
        extended,
    });
    let serial = client
        .select()
        .ok()
        .and_then(|info| info.serial)
        .unwrap_or(CardSerial::new(1).expect("serial 1"));
    let mut card_key = None;
    if let Ok(bytes) = client.read_credential() {
        if let Ok(signed) = SignedCredential::parse(&bytes) {
            card_key = signed.unverified_body().ok().map(|b| b.card_public_key);
        }
    }
    if let Ok(key) = client.read_public_key() {
        card_key = Some(key);
    }
    let _ = client.pin_status();
    let _ = client.verify_pin(&Pin::parse(fixtures::PIN).expect("pin"));
    let challenge = [0xA5; 32];
    if let Ok(auth) = client.internal_authenticate(&challenge) {
        let _ = auth.flags.pin_verified();
        if let Some(key) = card_key {
            let _ = auth.verify(&key, serial, &challenge);
        }
    }
}
