//! Properties of the card application under any sequence of commands (issue #8): it never
//! panics and always answers with a status word; an issued card is never written again, never
//! returns to an earlier life-cycle state, never gives back a PIN try, and no answer ever holds
//! its private key; a blocked PIN stays blocked until the administrator resets it.

use asxh_card::{CardApp, MemoryStorage};
use asxh_core::card::{CardApplication, LifeCycle, Pin};
use asxh_testkit as testkit;
use proptest::prelude::*;

/// One step: a power cycle, a well-formed command the card knows (so that later steps reach the
/// states behind SELECT and the codes), raw bytes, or a command with a known instruction and
/// random fields.
#[derive(Debug, Clone)]
enum Step {
    PowerCycle,
    Known(&'static str),
    Raw(Vec<u8>),
    Command {
        cla: u8,
        ins: u8,
        p1: u8,
        p2: u8,
        data: Vec<u8>,
        le: Option<u8>,
    },
}

fn step() -> impl Strategy<Value = Step> {
    let ins = prop::sample::select(vec![
        0xA4u8, 0xCA, 0x47, 0xDA, 0x20, 0x88, 0x24, 0x2C, 0x44, 0x04, 0xE6, 0xC0,
    ]);
    let known = prop::sample::select(vec![
        "00A4040007F041535848000100",                 // SELECT
        "00200083103132333435363738FFFFFFFFFFFFFFFF", // VERIFY factory administrative code
        "002000810832343638FFFFFFFF",                 // VERIFY the right PIN 2468
        "002000810831323334FFFFFFFF",                 // VERIFY a wrong PIN
        "00CA7F2100",                                 // GET DATA credential
        "0088000020A5A5A5A5A5A5A5A5A5A5A5A5A5A5A5A5A5A5A5A5A5A5A5A5A5A5A5A5A5A5A5A500", // INTERNAL AUTHENTICATE
    ]);
    prop_oneof![
        1 => Just(Step::PowerCycle),
        4 => known.prop_map(Step::Known),
        2 => prop::collection::vec(any::<u8>(), 0..40).prop_map(Step::Raw),
        6 => (prop::sample::select(vec![0x00u8, 0x10, 0x80]), ins, any::<u8>(), any::<u8>(), prop::collection::vec(any::<u8>(), 0..70), prop::option::of(any::<u8>()))
            .prop_map(|(cla, ins, p1, p2, data, le)| Step::Command { cla, ins, p1, p2, data, le }),
    ]
}

fn encode(step: &Step) -> Option<Vec<u8>> {
    match step {
        Step::PowerCycle => None,
        Step::Known(text) => Some(hex::decode(text).expect("hex")),
        Step::Raw(bytes) => Some(bytes.clone()),
        Step::Command {
            cla,
            ins,
            p1,
            p2,
            data,
            le,
        } => {
            let mut apdu = vec![*cla, *ins, *p1, *p2];
            if !data.is_empty() {
                apdu.push(data.len() as u8);
                apdu.extend_from_slice(data);
            }
            apdu.extend(le.iter());
            Some(apdu)
        }
    }
}

fn issued_card() -> CardApp<MemoryStorage> {
    testkit::issued_card(
        4242,
        testkit::entitlements(2),
        Some(&Pin::parse("2468").unwrap()),
    )
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn an_issued_card_under_any_commands_stays_issued_unwritten_and_keeps_its_key(steps in prop::collection::vec(step(), 1..60)) {
        let mut card = issued_card();
        let credential = card.persistent_state().credential.clone();
        let key = card.persistent_state().private_key.expect("issued cards have a key");
        let mut tries = card.persistent_state().pin_tries_left;
        for s in &steps {
            let Some(apdu) = encode(s) else {
                card.power_cycle();
                continue;
            };
            let answer = card.process(&apdu);
            prop_assert!(answer.len() >= 2, "every answer ends with a status word: {apdu:02X?}");
            prop_assert!(!contains(&answer, &key), "the private key left the card on {apdu:02X?}");
            let state = card.persistent_state();
            prop_assert!(matches!(state.life_cycle, LifeCycle::Issued | LifeCycle::Blocked | LifeCycle::Terminated), "{:?} after {apdu:02X?}", state.life_cycle);
            if state.life_cycle != LifeCycle::Terminated {
                prop_assert_eq!(&state.credential, &credential, "the credential changed on {:02X?}", apdu);
            }
            // Only a successful check of the PIN (VERIFY, CHANGE) or an administrator's reset
            // gives tries back; a blocked PIN stays blocked until reset.
            let restored = matches!(apdu.get(1), Some(0x20 | 0x24 | 0x2C)) && answer.ends_with(&[0x90, 0x00]);
            prop_assert!(state.pin_tries_left <= tries || restored, "a PIN try came back on {:02X?}", apdu);
            prop_assert!(tries > 0 || state.pin_tries_left == 0 || apdu.get(1) == Some(&0x2C), "a blocked PIN was unblocked by {:02X?}", apdu);
            tries = state.pin_tries_left;
        }
    }

    #[test]
    fn a_blank_card_under_any_commands_answers_every_one_with_a_status_word(steps in prop::collection::vec(step(), 1..60)) {
        let mut card = testkit::blank_card();
        for s in &steps {
            match encode(s) {
                None => card.power_cycle(),
                Some(apdu) => {
                    let answer = card.process(&apdu);
                    prop_assert!(answer.len() >= 2);
                    if let Some(key) = card.persistent_state().private_key {
                        prop_assert!(!contains(&answer, &key), "the private key left the card on {:02X?}", apdu);
                    }
                }
            }
        }
    }
}
