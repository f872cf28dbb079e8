//! Tearing (SPEC.md §10) with real files: the card's state lives in a [`FileStorage`] file in a
//! temporary directory, and [`TearingStorage`] cuts the power at every store of an operation, at
//! every point of that store ([`Cut`]: before anything is written, a torn temporary file, a whole
//! temporary file not renamed, renamed but the directory not synced — with the rename kept or
//! lost). After each cut the card is powered up again from the same file and must hold exactly
//! the state before or after the store that was cut, never show its private key, never have a
//! retry counter above the one before the operation (unless the operation completed), be blank,
//! resumable or fully issued, and keep working with a leftover temporary file next to it.

use asxh_card::state::PersistentState;
use asxh_card::{CardApp, FileStorage, Storage};
use asxh_core::card::{
    AdminCode, CardApplication, CardClient, InProcessTransport, LifeCycle, Pin, PinCheck,
    MAX_ADMIN_TRIES, MAX_PIN_TRIES,
};
use asxh_core::signature::{self, SigningKey};
use asxh_core::SignedCredential;
use asxh_testkit::{self as testkit, Cut, TearingStorage};
use rand_core::SeedableRng;

type Card = CardApp<TearingStorage>;
type Client = CardClient<InProcessTransport<Card>>;

const PIN: &str = "2468";
const NEW_PIN: &str = "97531";
const NEW_ADMIN: &str = "office-QNG-2026";

/// A card on the file `path` that cuts power at `cut`; its key generation is seeded, so that
/// every run of an operation stores the same records.
fn card_on(path: &std::path::Path, cut: Option<(usize, Cut)>) -> Card {
    let rng = rand_chacha::ChaCha20Rng::seed_from_u64(20_260_115);
    CardApp::open_with_rng(TearingStorage::new(path, cut), Box::new(rng))
        .expect("the card powers up from its file")
}

/// An issued card with [`PIN`] after `wrong_guesses` wrong PIN guesses, as a state record.
fn issued_state(wrong_guesses: usize) -> PersistentState {
    let mut card = testkit::issued_card(4242, testkit::entitlements(2), Some(&pin(PIN)));
    let mut client = CardClient::new(InProcessTransport::new(&mut card));
    client.select().unwrap();
    for _ in 0..wrong_guesses {
        client.verify_pin(&pin("0000")).unwrap();
    }
    card.persistent_state().clone()
}

fn pin(text: &str) -> Pin {
    Pin::parse(text).unwrap()
}

fn admin(text: &str) -> AdminCode {
    AdminCode::parse(text).unwrap()
}

fn select_apdu() -> Vec<u8> {
    let mut apdu = vec![0x00, 0xA4, 0x04, 0x00, asxh_core::card::AID.len() as u8];
    apdu.extend_from_slice(&asxh_core::card::AID);
    apdu.push(0x00);
    apdu
}

/// Every answer a reading command gets, after SELECT: FCI, GET DATA over four tag pages (the
/// credential and the public key among them), READ PUBLIC KEY, INTERNAL AUTHENTICATE and
/// GET RESPONSE. None may hold the private scalar.
fn assert_private_key_unreadable(card: &mut impl CardApplication, scalar: &[u8; 32]) {
    let mut answers = vec![card.process_apdu(&select_apdu())];
    for page in [0x00u8, 0x5F, 0x7F, 0xBF] {
        for p2 in 0..=0xFFu8 {
            answers.push(card.process_apdu(&[0x00, 0xCA, page, p2, 0x00, 0x00, 0x00]));
        }
    }
    answers.push(card.process_apdu(&[0x00, 0x47, 0x81, 0x00, 0x00]));
    let mut auth = vec![0x00, 0x88, 0x00, 0x00, 32];
    auth.extend_from_slice(&[0x5A; 32]);
    answers.push(card.process_apdu(&[auth.as_slice(), &[0x01]].concat()));
    answers.push(card.process_apdu(&[0x00, 0xC0, 0x00, 0x00, 0x00]));
    for answer in answers {
        assert!(
            !answer.windows(scalar.len()).any(|w| w == scalar),
            "an answer holds the private key"
        );
    }
}

/// An ISSUED state holds a key, a serial and a credential bound to that key; anything else is
/// BLANK or PERSONALIZING (restartable) or TERMINATED (by an operation that terminates).
fn assert_not_half_issued(state: &PersistentState) {
    if state.life_cycle != LifeCycle::Issued {
        return;
    }
    let scalar = state.private_key.expect("an issued card has its key");
    let own = signature::public_key_bytes(
        SigningKey::from_bytes(&scalar.into())
            .expect("valid scalar")
            .verifying_key(),
    );
    let credential = state
        .credential
        .as_ref()
        .expect("an issued card has its credential");
    let (serial, key) = SignedCredential::parse(credential)
        .and_then(|c| c.card_binding())
        .expect("the stored credential parses");
    assert_eq!(key, own, "the credential names the card's own key");
    assert_eq!(state.serial, Some(serial), "serial and credential agree");
}

/// After power-up: the card keeps working from what it found. A blank or half-personalized card
/// is personalized again; an issued one authenticates and checks its PIN and administrative code
/// (stores, which must replace any temporary file a cut left behind).
fn assert_card_keeps_working(card: Card, dir: &std::path::Path) {
    let state = card.persistent_state().clone();
    let issuer = testkit::issuer_key();
    let mut client = CardClient::new(InProcessTransport::new(card));
    match state.life_cycle {
        LifeCycle::Blank | LifeCycle::Personalizing => {
            testkit::personalize(
                &mut client,
                &issuer,
                777,
                testkit::sample_holder(),
                vec![],
                Some(&pin(PIN)),
            )
            .expect("an interrupted personalization restarts from scratch");
            testkit::authenticate(&mut client, issuer.verifying_key(), &[1; 32]).unwrap();
        }
        LifeCycle::Issued => {
            testkit::authenticate(&mut client, issuer.verifying_key(), &[2; 32]).unwrap();
            if let Some(p) = &state.pin {
                let expected = if state.pin_tries_left == 0 {
                    PinCheck::Blocked
                } else {
                    PinCheck::Verified
                };
                assert_eq!(client.verify_pin(p).unwrap(), expected);
            }
            client.verify_admin(&state.admin_code).unwrap();
        }
        LifeCycle::Blocked | LifeCycle::Terminated => {}
    }
    if client.transport().app().storage().stores() > 0 {
        let files: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(
            files,
            ["card.state"],
            "the next store replaced the leftover"
        );
    }
}

/// Runs `op` on a card whose file holds `before` (a factory-blank card for `None`): once
/// uncut, to learn the states it stores, then once per store and per [`Cut`]. After each cut the
/// card is powered up from the same file and checked; `also` adds the operation's own rule,
/// given the state found and the uncut run's states `[before, after store 1, …]`. Returns the
/// number of tearing points tried.
fn tear_every_store(
    name: &str,
    before: Option<&PersistentState>,
    op: impl Fn(&mut Client),
    also: impl Fn(&PersistentState, &[PersistentState]),
) -> usize {
    let setup = |dir: &tempfile::TempDir| {
        let path = dir.path().join("card.state");
        if let Some(state) = before {
            std::fs::write(&path, state.encode()).unwrap();
        }
        path
    };
    let dir = tempfile::tempdir().unwrap();
    let mut uncut = CardClient::new(InProcessTransport::new(card_on(&setup(&dir), None)));
    op(&mut uncut);
    let mut trace = vec![before.cloned().unwrap_or_else(PersistentState::factory)];
    trace.extend(
        uncut
            .transport()
            .app()
            .storage()
            .stored()
            .iter()
            .map(|r| PersistentState::decode(r).unwrap()),
    );
    let stores = trace.len() - 1;
    assert!(stores > 0, "{name} stores something");
    let mut points = 0;
    for store in 0..stores {
        for cut in Cut::ALL {
            let dir = tempfile::tempdir().unwrap();
            let path = setup(&dir);
            let mut client =
                CardClient::new(InProcessTransport::new(card_on(&path, Some((store, cut)))));
            op(&mut client);
            assert!(client.transport().app().storage().power_lost());
            drop(client);
            points += 1;

            // Power is back: a new card on the same file, as after a real power loss.
            let mut card = card_on(&path, None);
            let found = card.persistent_state().clone();
            let context = format!("{name}, store {} of {stores}, cut {cut:?}", store + 1);
            let expected = &trace[if cut.new_record_survives() {
                store + 1
            } else {
                store
            }];
            assert_eq!(&found, expected, "{context}: neither old nor new record");
            let completed = &found == trace.last().expect("trace");
            assert!(
                completed || found.pin_tries_left <= trace[0].pin_tries_left,
                "{context}: PIN tries went up"
            );
            assert!(
                completed || found.admin_tries_left <= trace[0].admin_tries_left,
                "{context}: administrative-code tries went up"
            );
            assert_not_half_issued(&found);
            also(&found, &trace);
            if let Some(scalar) = found.private_key {
                assert_private_key_unreadable(&mut card, &scalar);
            }
            assert_card_keeps_working(card_on(&path, None), dir.path());
        }
    }
    println!(
        "tearing: {name}: {stores} stores x {} cut points = {points} tearing points",
        Cut::ALL.len()
    );
    points
}

/// The operation rule of a PIN check or change from a card holding `old_pin`: the PIN is the old
/// one, or the new one only when the whole operation completed; a wrong guess never ends with
/// more tries than it started with minus the one it costs, unless the cut came first.
fn pin_rule(new_pin: Option<&'static str>) -> impl Fn(&PersistentState, &[PersistentState]) {
    move |found, trace| {
        let completed = found == trace.last().expect("trace");
        let before = &trace[0];
        assert_eq!(found.life_cycle, before.life_cycle);
        assert_eq!(found.private_key, before.private_key);
        assert_eq!(found.credential, before.credential);
        match new_pin {
            Some(p) if found.pin == Some(pin(p)) => {
                assert!(completed, "the new PIN is only there with the whole change");
                assert_eq!(found.pin_tries_left, MAX_PIN_TRIES);
            }
            _ => assert_eq!(found.pin, before.pin, "the PIN is the old one"),
        }
    }
}

#[test]
fn a_cut_at_every_store_of_personalization_leaves_a_restartable_or_a_fully_issued_card() {
    let points = tear_every_store(
        "personalization",
        None,
        |c| {
            let _ = testkit::personalize(
                c,
                &testkit::issuer_key(),
                4243,
                testkit::sample_holder(),
                testkit::entitlements(3),
                Some(&pin(PIN)),
            );
        },
        |found, _| {
            assert!(
                matches!(
                    found.life_cycle,
                    LifeCycle::Blank | LifeCycle::Personalizing | LifeCycle::Issued
                ),
                "{found:?}"
            );
            if found.life_cycle == LifeCycle::Issued {
                assert_eq!(
                    found.pin,
                    Some(pin(PIN)),
                    "issued with the PIN it was given"
                );
            }
        },
    );
    // VERIFY admin (decrement, reset), GENERATE, PUT DATA, SET PIN, ACTIVATE.
    assert_eq!(points, 6 * Cut::ALL.len());
}

#[test]
fn a_cut_at_every_store_of_a_pin_check_never_gives_a_try_back_whether_the_pin_is_right_or_wrong() {
    let mut points = 0;
    for (name, wrong_before, guess) in [
        ("right PIN after a wrong guess", 1, PIN),
        ("wrong PIN, 3 tries left", 0, "1111"),
        ("wrong PIN, last try", 2, "1111"),
    ] {
        let before = issued_state(wrong_before);
        points += tear_every_store(
            &format!("VERIFY {name}"),
            Some(&before),
            |c| {
                c.select().unwrap();
                let _ = c.verify_pin(&pin(guess));
            },
            move |found, trace| {
                pin_rule(None)(found, trace);
                if guess != PIN {
                    assert!(
                        found.pin_tries_left < trace[0].pin_tries_left || found == &trace[0],
                        "a wrong guess costs a try once stored"
                    );
                }
            },
        );
    }
    // Right: decrement and reset; wrong: decrement.
    assert_eq!(points, (2 + 1 + 1) * Cut::ALL.len());
}

#[test]
fn a_cut_at_every_store_of_a_pin_change_applies_it_fully_or_not_at_all_and_never_raises_the_counter(
) {
    let mut points = 0;
    for (name, wrong_before, old) in [
        ("right old PIN after a wrong guess", 1, PIN),
        ("right old PIN", 0, PIN),
        ("wrong old PIN", 0, "1111"),
    ] {
        let before = issued_state(wrong_before);
        points += tear_every_store(
            &format!("CHANGE PIN, {name}"),
            Some(&before),
            |c| {
                c.select().unwrap();
                let _ = c.change_pin(&pin(old), &pin(NEW_PIN));
            },
            pin_rule(Some(NEW_PIN)),
        );
    }
    assert_eq!(points, (2 + 2 + 1) * Cut::ALL.len());
}

#[test]
fn a_cut_at_every_store_of_an_office_unblock_admin_code_change_or_termination_is_all_or_nothing() {
    let blocked = issued_state(3);
    assert_eq!(blocked.pin_tries_left, 0);
    let mut points = tear_every_store(
        "RESET RETRY COUNTER of a blocked PIN",
        Some(&blocked),
        |c| {
            c.select().unwrap();
            let _ = c
                .verify_admin(&AdminCode::factory_default())
                .and_then(|()| c.reset_pin(&pin(NEW_PIN)));
        },
        pin_rule(Some(NEW_PIN)),
    );
    let issued = issued_state(0);
    points += tear_every_store(
        "CHANGE administrative code",
        Some(&issued),
        |c| {
            c.select().unwrap();
            let _ = c.change_admin_code(&AdminCode::factory_default(), &admin(NEW_ADMIN));
        },
        |found, trace| {
            if found.admin_code == admin(NEW_ADMIN) {
                assert_eq!(found, trace.last().unwrap(), "new code only when complete");
                assert_eq!(found.admin_tries_left, MAX_ADMIN_TRIES);
            } else {
                assert_eq!(found.admin_code, AdminCode::factory_default());
            }
        },
    );
    points += tear_every_store(
        "TERMINATE",
        Some(&issued),
        |c| {
            c.select().unwrap();
            let _ = c
                .verify_admin(&AdminCode::factory_default())
                .and_then(|()| c.terminate());
        },
        |found, _| match found.life_cycle {
            LifeCycle::Terminated => assert!(
                found.private_key.is_none() && found.pin.is_none() && found.credential.is_none()
            ),
            other => assert_eq!(other, LifeCycle::Issued),
        },
    );
    // Unblock: VERIFY admin (2) + RESET; admin change: decrement + new code; terminate: 2 + 1.
    assert_eq!(points, (3 + 2 + 3) * Cut::ALL.len());
}

#[test]
fn a_successful_code_change_is_two_replacements_the_second_holding_the_new_code_and_reset_tries() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("card.state");
    std::fs::write(&path, issued_state(1).encode()).unwrap();
    let mut c = CardClient::new(InProcessTransport::new(card_on(&path, None)));
    c.select().unwrap();
    assert_eq!(
        c.change_pin(&pin(PIN), &pin(NEW_PIN)).unwrap(),
        PinCheck::Verified
    );
    let stored: Vec<PersistentState> = c
        .transport()
        .app()
        .storage()
        .stored()
        .iter()
        .map(|r| PersistentState::decode(r).unwrap())
        .collect();
    assert_eq!(stored.len(), 2, "decrement, then new PIN with reset tries");
    assert_eq!(
        (stored[0].pin.clone(), stored[0].pin_tries_left),
        (Some(pin(PIN)), 1)
    );
    assert_eq!(
        (stored[1].pin.clone(), stored[1].pin_tries_left),
        (Some(pin(NEW_PIN)), MAX_PIN_TRIES)
    );
    assert_eq!(
        c.pin_status().unwrap(),
        PinCheck::Verified,
        "the new PIN counts as verified"
    );
}

#[test]
fn a_leftover_temporary_file_is_ignored_at_power_up_and_replaced_by_the_next_store() {
    let dir = tempfile::tempdir().unwrap();
    let mut storage = FileStorage::new(dir.path().join("card.state"));
    let record = issued_state(0).encode();
    storage.store(&record).unwrap();
    std::fs::write(storage.temp_path(), &record[..record.len() / 3]).unwrap();
    let card = CardApp::open(storage.clone()).unwrap();
    assert_eq!(card.persistent_state().encode(), record);
    let mut c = CardClient::new(InProcessTransport::new(card));
    c.select().unwrap();
    assert_eq!(c.verify_pin(&pin(PIN)).unwrap(), PinCheck::Verified);
    assert!(!storage.temp_path().exists());
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}
