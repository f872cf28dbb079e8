//! The card application's behaviour through the host client, in process: life cycle, access
//! rules, PIN and administrative-code counters, chaining, and power cuts.

use asxh_card::{CardApp, MemoryStorage};
use asxh_core::apdu::StatusWord;
use asxh_core::card::CardIoError;
use asxh_core::card::{
    AdminCode, CardApplication, CardClient, InProcessTransport, LifeCycle, Pin, PinCheck,
    PinStatus, MAX_ADMIN_TRIES,
};
use asxh_testkit::{self as testkit, PowerCutStorage, ShortApdusOnly};

type Client = CardClient<InProcessTransport<CardApp<MemoryStorage>>>;

fn client() -> Client {
    CardClient::new(InProcessTransport::new(testkit::blank_card()))
}

fn issued(pin: Option<&str>) -> Client {
    let mut c = client();
    let pin = pin.map(|p| Pin::parse(p).unwrap());
    testkit::personalize(
        &mut c,
        &testkit::issuer_key(),
        12345,
        testkit::sample_holder(),
        testkit::entitlements(3),
        pin.as_ref(),
    )
    .unwrap();
    c
}

fn sw(result: Result<impl std::fmt::Debug, CardIoError>) -> StatusWord {
    match result {
        Err(CardIoError::Status { sw, .. }) => sw,
        other => panic!("expected a status word error, got {other:?}"),
    }
}

fn raw(c: &mut Client, apdu: &[u8]) -> StatusWord {
    let r = c.transport_mut().app_mut().process_apdu(apdu);
    StatusWord(u16::from_be_bytes([r[r.len() - 2], r[r.len() - 1]]))
}

#[test]
fn personalized_card_authenticates_with_its_credential() {
    let mut c = issued(None);
    let issuer = testkit::issuer_key();
    let (cred, auth) = testkit::authenticate(&mut c, issuer.verifying_key(), &[7; 32]).unwrap();
    assert_eq!(cred.body().serial.number(), 12345);
    assert!(!auth.flags.pin_set());
    let info = c.select().unwrap();
    assert_eq!(info.life_cycle, LifeCycle::Issued);
    assert_eq!(info.serial, Some(cred.body().serial));
}

#[test]
fn issued_card_refuses_every_write_even_with_the_admin_code() {
    let mut c = issued(None);
    c.select().unwrap();
    c.verify_admin(&AdminCode::factory_default()).unwrap();
    assert_eq!(sw(c.generate_key()), StatusWord::CONDITIONS_NOT_SATISFIED);
    assert_eq!(
        sw(c.put_credential(&[0x7F, 0x21, 0x00])),
        StatusWord::CONDITIONS_NOT_SATISFIED
    );
    assert_eq!(sw(c.activate()), StatusWord::CONDITIONS_NOT_SATISFIED);
    assert_eq!(c.select().unwrap().life_cycle, LifeCycle::Issued);
}

#[test]
fn wrong_pin_decrements_blocks_at_zero_and_never_locks_the_holder_out_of_authentication() {
    let mut c = issued(Some("2468"));
    c.select().unwrap();
    let wrong = Pin::parse("1111").unwrap();
    assert_eq!(
        c.verify_pin(&wrong).unwrap(),
        PinCheck::Wrong { tries_left: 2 }
    );
    assert_eq!(
        c.verify_pin(&wrong).unwrap(),
        PinCheck::Wrong { tries_left: 1 }
    );
    assert_eq!(c.verify_pin(&wrong).unwrap(), PinCheck::Blocked);
    assert_eq!(
        c.verify_pin(&Pin::parse("2468").unwrap()).unwrap(),
        PinCheck::Blocked
    );
    assert_eq!(c.select().unwrap().holder_pin, PinStatus::TriesLeft(0));
    let issuer = testkit::issuer_key();
    let (_, auth) = testkit::authenticate(&mut c, issuer.verifying_key(), &[1; 16]).unwrap();
    assert!(auth.flags.pin_blocked() && !auth.flags.pin_verified());
    // The office unblocks with the administrative code.
    c.verify_admin(&AdminCode::factory_default()).unwrap();
    c.reset_pin(&Pin::parse("1357").unwrap()).unwrap();
    assert_eq!(
        c.verify_pin(&Pin::parse("1357").unwrap()).unwrap(),
        PinCheck::Verified
    );
    let auth = c.internal_authenticate(&[2; 16]).unwrap();
    assert!(auth.flags.pin_verified());
}

#[test]
fn correct_pin_restores_the_counter_and_change_pin_needs_the_old_one() {
    let mut c = issued(Some("2468"));
    c.select().unwrap();
    assert_eq!(
        c.verify_pin(&Pin::parse("0000").unwrap()).unwrap(),
        PinCheck::Wrong { tries_left: 2 }
    );
    assert_eq!(
        c.verify_pin(&Pin::parse("2468").unwrap()).unwrap(),
        PinCheck::Verified
    );
    assert_eq!(c.pin_status().unwrap(), PinCheck::Verified);
    assert_eq!(c.select().unwrap().holder_pin, PinStatus::TriesLeft(3));
    let new = Pin::parse("97531").unwrap();
    assert_eq!(
        c.change_pin(&Pin::parse("0000").unwrap(), &new).unwrap(),
        PinCheck::Wrong { tries_left: 2 }
    );
    assert_eq!(
        c.change_pin(&Pin::parse("2468").unwrap(), &new).unwrap(),
        PinCheck::Verified
    );
    c.select().unwrap();
    assert_eq!(c.verify_pin(&new).unwrap(), PinCheck::Verified);
}

#[test]
fn card_without_pin_reports_reference_not_found() {
    let mut c = issued(None);
    c.select().unwrap();
    assert_eq!(
        c.verify_pin(&Pin::parse("1234").unwrap()).unwrap(),
        PinCheck::NotSet
    );
}

#[test]
fn admin_code_blocks_after_its_tries_but_the_card_keeps_working() {
    let mut c = issued(None);
    c.select().unwrap();
    let wrong = AdminCode::parse("00000000").unwrap();
    for left in (0..MAX_ADMIN_TRIES).rev() {
        let s = sw(c.verify_admin(&wrong));
        assert_eq!(s, StatusWord::verify_failed(left));
    }
    assert_eq!(
        sw(c.verify_admin(&AdminCode::factory_default())),
        StatusWord::AUTH_METHOD_BLOCKED
    );
    let issuer = testkit::issuer_key();
    testkit::authenticate(&mut c, issuer.verifying_key(), &[3; 32]).unwrap();
}

#[test]
fn personalization_commands_need_the_admin_code() {
    let mut c = client();
    c.select().unwrap();
    assert_eq!(sw(c.generate_key()), StatusWord::SECURITY_NOT_SATISFIED);
    c.verify_admin(&AdminCode::factory_default()).unwrap();
    c.generate_key().unwrap();
    c.select().unwrap(); // SELECT forgets the verified code
    assert_eq!(sw(c.activate()), StatusWord::SECURITY_NOT_SATISFIED);
}

#[test]
fn credential_for_another_card_key_is_refused() {
    let mut c = client();
    c.select().unwrap();
    c.verify_admin(&AdminCode::factory_default()).unwrap();
    c.generate_key().unwrap();
    let other = asxh_testkit::test_key("someone else's card");
    let issuer = testkit::issuer_key();
    let body = testkit::credential_body(
        9,
        testkit::sample_holder(),
        other.verifying_key(),
        &issuer,
        vec![],
    );
    let cred = asxh_core::Credential::issue(body, &issuer).unwrap();
    assert_eq!(
        sw(c.put_credential(cred.to_bytes())),
        StatusWord::WRONG_DATA
    );
    assert_eq!(
        sw(c.put_credential(&[0x7F, 0x21, 0x01, 0x00])),
        StatusWord::WRONG_DATA
    );
    assert_eq!(
        sw(c.activate()),
        StatusWord::CONDITIONS_NOT_SATISFIED,
        "no credential yet"
    );
}

#[test]
fn interrupted_personalization_restarts_from_scratch() {
    let mut c = client();
    c.select().unwrap();
    c.verify_admin(&AdminCode::factory_default()).unwrap();
    let first = c.generate_key().unwrap();
    c.transport_mut().app_mut().power_cycle();
    let info = c.select().unwrap();
    assert_eq!(
        (info.life_cycle, info.has_key),
        (LifeCycle::Personalizing, true)
    );
    let issuer = testkit::issuer_key();
    let cred =
        testkit::personalize(&mut c, &issuer, 77, testkit::sample_holder(), vec![], None).unwrap();
    assert_ne!(cred.body().card_public_key, first);
    testkit::authenticate(&mut c, issuer.verifying_key(), &[5; 32]).unwrap();
}

#[test]
fn short_apdus_chain_the_credential_and_fetch_it_with_get_response() {
    let mut c = CardClient::new(ShortApdusOnly(InProcessTransport::new(
        testkit::blank_card(),
    )));
    let issuer = testkit::issuer_key();
    let cred = testkit::personalize(
        &mut c,
        &issuer,
        5,
        testkit::sample_holder(),
        testkit::entitlements(8),
        None,
    )
    .unwrap();
    assert!(cred.to_bytes().len() > 256, "credential must need chaining");
    let (read, _) = testkit::authenticate(&mut c, issuer.verifying_key(), &[9; 32]).unwrap();
    assert_eq!(read.to_bytes(), cred.to_bytes());
}

#[test]
fn commands_before_select_and_broken_chains_are_refused() {
    let mut c = client();
    assert_eq!(
        raw(&mut c, &[0x00, 0xCA, 0x7F, 0x21, 0x00]),
        StatusWord::CONDITIONS_NOT_SATISFIED
    );
    c.select().unwrap();
    c.verify_admin(&AdminCode::factory_default()).unwrap();
    c.generate_key().unwrap();
    assert_eq!(
        raw(&mut c, &[0x10, 0xDA, 0x7F, 0x21, 0x02, 0x7F, 0x21]),
        StatusWord::OK
    );
    assert_eq!(
        raw(&mut c, &[0x00, 0xCA, 0x7F, 0x49, 0x00]),
        StatusWord::LAST_COMMAND_OF_CHAIN_EXPECTED
    );
    assert_eq!(
        raw(&mut c, &[0x00, 0xC0, 0x00, 0x00, 0x00]),
        StatusWord::CONDITIONS_NOT_SATISFIED
    );
}

#[test]
fn blocked_card_cannot_authenticate_until_reactivated_and_terminated_card_is_dead() {
    let mut c = issued(None);
    c.select().unwrap();
    c.verify_admin(&AdminCode::factory_default()).unwrap();
    c.deactivate().unwrap();
    assert_eq!(c.select().unwrap().life_cycle, LifeCycle::Blocked);
    assert_eq!(
        sw(c.internal_authenticate(&[0; 16])),
        StatusWord::CONDITIONS_NOT_SATISFIED
    );
    assert_eq!(
        sw(c.read_credential()),
        StatusWord::CONDITIONS_NOT_SATISFIED
    );
    c.verify_admin(&AdminCode::factory_default()).unwrap();
    c.activate().unwrap();
    c.internal_authenticate(&[0; 16]).unwrap();
    c.verify_admin(&AdminCode::factory_default()).unwrap();
    c.terminate().unwrap();
    let info = c.select().unwrap();
    assert_eq!(
        (info.life_cycle, info.has_key, info.has_credential),
        (LifeCycle::Terminated, false, false)
    );
    assert_eq!(
        sw(c.verify_admin(&AdminCode::factory_default())),
        StatusWord::CONDITIONS_NOT_SATISFIED
    );
}

#[test]
fn power_cut_during_a_wrong_pin_guess_never_gives_the_try_back() {
    let issuer = testkit::issuer_key();
    let mut c = CardClient::new(InProcessTransport::new(
        CardApp::open(PowerCutStorage::default()).unwrap(),
    ));
    testkit::personalize(
        &mut c,
        &issuer,
        3,
        testkit::sample_holder(),
        vec![],
        Some(&Pin::parse("2468").unwrap()),
    )
    .unwrap();
    let record = c.transport().app().storage().record();
    for stores_before_cut in 0..3 {
        for guess in ["1111", "2468"] {
            let storage = PowerCutStorage::new(record.clone(), Some(stores_before_cut));
            let mut c = CardClient::new(InProcessTransport::new(CardApp::open(storage).unwrap()));
            c.select().unwrap();
            let result = c.verify_pin(&Pin::parse(guess).unwrap());
            // Power is back: the card starts again from what storage kept.
            let kept = c.transport().app().storage().record();
            let mut after = CardClient::new(InProcessTransport::new(
                CardApp::open(PowerCutStorage::new(kept, None)).unwrap(),
            ));
            let tries = match after.select().unwrap().holder_pin {
                PinStatus::TriesLeft(n) => n,
                PinStatus::NotSet => panic!("PIN lost"),
            };
            assert!(tries <= 3);
            if stores_before_cut == 0 {
                assert_eq!(
                    sw(result),
                    StatusWord::MEMORY_FAILURE,
                    "nothing compared before the decrement is stored"
                );
                assert_eq!(tries, 3);
            } else if guess == "1111" {
                assert_eq!(tries, 2, "a wrong guess always costs a try");
            }
        }
    }
}

fn raw_hex(c: &mut Client, apdu: &str) -> StatusWord {
    raw(c, &hex::decode(apdu.replace(' ', "")).unwrap())
}

#[test]
fn a_pin_set_or_reset_by_the_office_is_not_verified_until_the_holder_presents_it() {
    let mut c = issued(Some("2468"));
    c.select().unwrap();
    assert_eq!(
        c.verify_pin(&Pin::parse("2468").unwrap()).unwrap(),
        PinCheck::Verified
    );
    c.verify_admin(&AdminCode::factory_default()).unwrap();
    c.reset_pin(&Pin::parse("1357").unwrap()).unwrap();
    assert_eq!(c.pin_status().unwrap(), PinCheck::Wrong { tries_left: 3 });
    assert!(!c
        .internal_authenticate(&[1; 16])
        .unwrap()
        .flags
        .pin_verified());
    assert_eq!(
        c.verify_pin(&Pin::parse("1357").unwrap()).unwrap(),
        PinCheck::Verified
    );
    c.set_pin(&Pin::parse("8642").unwrap()).unwrap();
    assert_eq!(c.pin_status().unwrap(), PinCheck::Wrong { tries_left: 3 });
    // The holder's own change presents the old PIN: the new one counts as verified.
    assert_eq!(
        c.change_pin(&Pin::parse("8642").unwrap(), &Pin::parse("9753").unwrap())
            .unwrap(),
        PinCheck::Verified
    );
    assert_eq!(c.pin_status().unwrap(), PinCheck::Verified);
}

#[test]
fn a_chain_is_refused_at_the_part_that_takes_it_over_2048_bytes_and_is_then_gone() {
    let mut c = client();
    c.select().unwrap();
    c.verify_admin(&AdminCode::factory_default()).unwrap();
    c.generate_key().unwrap();
    let part = format!("10 DA 7F 21 80 {}", "00".repeat(128));
    for _ in 0..16 {
        assert_eq!(raw_hex(&mut c, &part), StatusWord::OK, "2048 bytes fit");
    }
    assert_eq!(
        raw_hex(&mut c, "10 DA 7F 21 01 00"),
        StatusWord::NOT_ENOUGH_MEMORY
    );
    assert_eq!(
        raw_hex(&mut c, "00 DA 7F 21 03 7F 21 00"),
        StatusWord::WRONG_DATA,
        "a new credential of its own, not the 2052nd byte of the old chain"
    );
}

#[test]
fn generate_without_le_stores_the_key_and_the_host_reads_it_back() {
    let mut c = client();
    c.select().unwrap();
    c.verify_admin(&AdminCode::factory_default()).unwrap();
    assert_eq!(raw_hex(&mut c, "00 47 80 00"), StatusWord(0x6146));
    assert_eq!(raw_hex(&mut c, "00 CA 7F 49 00"), StatusWord::OK);
    assert_eq!(
        raw_hex(&mut c, "00 C0 00 00 00"),
        StatusWord::CONDITIONS_NOT_SATISFIED,
        "a command after 6146 discarded the pending template, not the key"
    );
    let key = c.read_public_key().unwrap();
    let info = c.select().unwrap();
    assert_eq!(
        (info.life_cycle, info.has_key),
        (LifeCycle::Personalizing, true)
    );
    c.verify_admin(&AdminCode::factory_default()).unwrap();
    let issuer = testkit::issuer_key();
    let body = testkit::credential_body(8, testkit::sample_holder(), &key, &issuer, vec![]);
    let cred = asxh_core::Credential::issue(body, &issuer).unwrap();
    c.put_credential(cred.to_bytes()).unwrap();
}

#[test]
fn put_data_refuses_what_a_verifier_refuses_and_takes_the_largest_valid_credential() {
    let mut c = client();
    c.select().unwrap();
    c.verify_admin(&AdminCode::factory_default()).unwrap();
    let key = c.generate_key().unwrap();
    for (name, what, bytes) in testkit::refused_credentials(8, &key) {
        assert_eq!(
            sw(c.put_credential(&bytes)),
            StatusWord::WRONG_DATA,
            "{name}: {what}"
        );
        let verdict = asxh_core::SignedCredential::parse(&bytes)
            .and_then(|s| s.verify(testkit::issuer_key().verifying_key()));
        assert!(verdict.is_err(), "{name}: a verifier refuses it too");
    }
    let issuer = testkit::issuer_key();
    let largest =
        asxh_core::Credential::issue(testkit::largest_credential_body(8, &key, &issuer), &issuer)
            .unwrap();
    assert!(largest.to_bytes().len() > 1600);
    c.put_credential(largest.to_bytes()).unwrap();
    c.activate().unwrap();
    let (read, _) = testkit::authenticate(&mut c, issuer.verifying_key(), &[6; 32]).unwrap();
    assert_eq!(read, largest);
}
