//! The reference card through the real PC/SC stack: pcscd, the vsmartcard vpcd driver and the
//! card application connected to it — the code path of a USB reader. Personalization, read-back,
//! credential and active-authentication checks over short APDUs (vpcd does not say it carries
//! extended length) and over extended ones, write protection once issued, the PIN counter, a
//! card pulled mid-personalization, malformed code blocks, chains given up, credentials PUT DATA
//! must refuse, every recorded APDU vector, and the asxh-vcard binary as opensc-tool sees it.

use std::process::{Child, Command};

use asxh_core::apdu::StatusWord;
use asxh_core::card::{
    AdminCode, CardClient, CardIoError, LifeCycle, PcscTransport, Pin, PinCheck, PinStatus,
    Transport,
};
use asxh_e2e::{
    connect, insert, wait_until_empty, wait_until_present, workspace_binary, VirtualReader,
};
use asxh_testkit as testkit;
use asxh_testkit::vectors::{self, ApduVectors};

fn sw<T: std::fmt::Debug>(r: Result<T, CardIoError>) -> StatusWord {
    match r {
        Err(CardIoError::Status { sw, .. }) => sw,
        other => panic!("expected a card status error, got {other:?}"),
    }
}

#[test]
fn reader_that_reports_no_extended_length_gets_chains_and_get_response_through_pcscd() {
    let reader = VirtualReader::First;
    let _lock = reader.lock();
    let card = insert(testkit::blank_card(), reader);
    let mut client = connect(reader);
    // §7.1: vpcd reports neither dwMaxAPDUDataSize nor SCARD_ATTR_MAXINPUT, so the host cannot
    // know whether extended APDUs reach the card, and uses short ones.
    assert_eq!(client.transport().reader_max_data(), None);
    assert!(!client.transport().supports_extended_length());
    let issuer = testkit::issuer_key();
    let issued = testkit::personalize(
        &mut client,
        &issuer,
        4241,
        testkit::sample_holder(),
        testkit::entitlements(3),
        None,
    )
    .expect("personalization with a chained PUT DATA");
    assert!(
        issued.to_bytes().len() > 255,
        "the credential needs a chain"
    );
    assert_eq!(
        client.stats().commands,
        6,
        "SELECT, VERIFY, GENERATE, PUT DATA in two parts, ACTIVATE: {:?}",
        client.stats()
    );
    client.reset_stats();
    let (read, _) = testkit::authenticate(&mut client, issuer.verifying_key(), &[0xA7; 32])
        .expect("verification");
    assert_eq!(read, issued);
    assert_eq!(
        client.stats().commands,
        4,
        "SELECT, GET DATA (Le 00), GET RESPONSE, INTERNAL AUTHENTICATE"
    );
    drop(client);
    card.remove().1.expect("bridge stopped cleanly");
}

#[test]
fn personalized_card_verifies_through_pcscd_in_three_apdus_over_a_reader_carrying_extended_length()
{
    let reader = VirtualReader::First;
    let _lock = reader.lock();
    let card = insert(testkit::blank_card(), reader);
    let transport = connect(reader).into_transport();
    assert!(transport.reader().contains("Virtual PCD"));
    let atr = transport.atr().to_vec();
    let mut client = CardClient::new(testkit::ReaderCarriesExtendedLength::new(transport, &atr));
    assert!(
        client.transport().supports_extended_length(),
        "the reference ATR announces extended length"
    );
    let issuer = testkit::issuer_key();
    let pin = Pin::parse("2468").unwrap();
    let issued = testkit::personalize(
        &mut client,
        &issuer,
        4242,
        testkit::sample_holder(),
        testkit::entitlements(3),
        Some(&pin),
    )
    .expect("personalization over PC/SC");
    assert!(
        client.stats().commands <= 7,
        "personalization took {:?}",
        client.stats()
    );

    client.reset_stats();
    let (read, auth) = testkit::authenticate(&mut client, issuer.verifying_key(), &[0xA5; 32])
        .expect("verification");
    assert_eq!(read, issued);
    assert!(auth.flags.pin_set() && !auth.flags.pin_verified());
    let stats = client.stats();
    assert_eq!(stats.commands, 3, "SELECT, GET DATA, INTERNAL AUTHENTICATE");
    assert!(stats.bytes_sent + stats.bytes_received <= 1024, "{stats:?}");

    // A response signed for one challenge does not verify for another.
    let body = read.body();
    assert!(!auth.verify(&body.card_public_key, body.serial, &[0xA6; 32]));
    drop(client);
    card.remove().1.expect("bridge stopped cleanly");
}

#[test]
fn issued_card_refuses_writes_and_the_pin_counter_blocks_at_zero_over_pcsc() {
    let reader = VirtualReader::First;
    let _lock = reader.lock();
    let card = insert(testkit::blank_card(), reader);
    let mut client = connect(reader);
    let issuer = testkit::issuer_key();
    testkit::personalize(
        &mut client,
        &issuer,
        4243,
        testkit::sample_holder(),
        vec![],
        Some(&Pin::parse("1357").unwrap()),
    )
    .unwrap();
    client.select().unwrap();
    client.verify_admin(&AdminCode::factory_default()).unwrap();
    assert_eq!(
        sw(client.generate_key()),
        StatusWord::CONDITIONS_NOT_SATISFIED
    );
    assert_eq!(
        sw(client.put_credential(&[0x7F, 0x21, 0x00])),
        StatusWord::CONDITIONS_NOT_SATISFIED
    );

    let wrong = Pin::parse("9999").unwrap();
    assert_eq!(
        client.verify_pin(&wrong).unwrap(),
        PinCheck::Wrong { tries_left: 2 }
    );
    assert_eq!(
        client.verify_pin(&wrong).unwrap(),
        PinCheck::Wrong { tries_left: 1 }
    );
    assert_eq!(client.verify_pin(&wrong).unwrap(), PinCheck::Blocked);
    assert_eq!(client.select().unwrap().holder_pin, PinStatus::TriesLeft(0));
    assert_eq!(
        client.verify_pin(&Pin::parse("0000").unwrap()).unwrap(),
        PinCheck::Blocked
    );
    // Blocked PIN, card still authenticates (the holder is never locked out of payment).
    let (_, auth) = testkit::authenticate(&mut client, issuer.verifying_key(), &[1; 32]).unwrap();
    assert!(auth.flags.pin_blocked());
    drop(client);
    card.remove().1.expect("bridge stopped cleanly");
}

/// A blank card inserted in `reader` (whose lock the caller holds), selected, with the
/// administrative code verified and its key generated (SPEC.md §11.1 up to GENERATE).
fn key_generated(
    reader: VirtualReader,
) -> (
    asxh_card::vpcd::InsertedCard<asxh_card::CardApp<asxh_card::MemoryStorage>>,
    CardClient<PcscTransport>,
    asxh_core::PublicKey,
) {
    let card = insert(testkit::blank_card(), reader);
    let mut client = connect(reader);
    client.select().unwrap();
    client.verify_admin(&AdminCode::factory_default()).unwrap();
    let key = client.generate_key().unwrap();
    (card, client, key)
}

#[test]
fn card_pulled_mid_personalization_is_personalized_again_from_scratch() {
    let reader = VirtualReader::First;
    let _lock = reader.lock();
    let (card, mut client, first_key) = key_generated(reader);
    let (app, served) = card.remove();
    served.expect("bridge stopped cleanly");
    wait_until_empty(reader);
    match client.select() {
        Err(CardIoError::CardRemoved { .. } | CardIoError::Transport(_)) => {}
        other => panic!("a pulled card must be reported as removed, got {other:?}"),
    }
    drop(client);

    let card = insert(app, reader);
    let mut client = connect(reader);
    let info = client.select().unwrap();
    assert_eq!(
        (info.life_cycle, info.has_key, info.has_credential),
        (LifeCycle::Personalizing, true, false)
    );
    let issuer = testkit::issuer_key();
    let cred = testkit::personalize(
        &mut client,
        &issuer,
        4244,
        testkit::sample_holder(),
        testkit::entitlements(1),
        None,
    )
    .unwrap();
    assert_ne!(
        cred.body().card_public_key,
        first_key,
        "a new key, nothing kept from the interrupted run"
    );
    testkit::authenticate(&mut client, issuer.verifying_key(), &[2; 32]).unwrap();
    drop(client);
    card.remove().1.expect("bridge stopped cleanly");
}

#[test]
fn every_recorded_apdu_exchange_replays_byte_for_byte_through_pcscd() {
    let reader = VirtualReader::First;
    let _lock = reader.lock();
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../firmware-spec/vectors/apdu.json"
    );
    let recorded: ApduVectors =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut card = insert(testkit::deterministic_card(vectors::CARD_SEED), reader);
    let mut replayed = 0;
    for seq in &recorded.sequences {
        // Each sequence starts after a power-up: pull the card and insert it again (or a
        // fresh blank one).
        let (app, _) = card.remove();
        wait_until_empty(reader);
        card = if seq.starts_from == "blank" {
            insert(testkit::deterministic_card(vectors::CARD_SEED), reader)
        } else {
            insert(app, reader)
        };
        let mut client = connect(reader);
        for (i, ex) in seq.exchanges.iter().enumerate() {
            let command = hex::decode(&ex.command_hex).unwrap();
            match client.transport_mut().transmit(&command) {
                Ok(response) => assert_eq!(
                    hex::encode_upper(response),
                    ex.response_hex,
                    "{} #{i} ({})",
                    seq.name,
                    ex.note
                ),
                // pcsc-lite refuses to send an APDU shorter than 4 bytes; the card would answer 6700.
                Err(e) => assert!(
                    command.len() < 4 && ex.response_hex == "6700",
                    "{} #{i}: {e}",
                    seq.name
                ),
            }
            replayed += 1;
        }
    }
    assert!(replayed >= 30);
    card.remove().1.expect("bridge stopped cleanly");
}

struct VcardProcess(Child);

impl Drop for VcardProcess {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start_vcard(state: &std::path::Path, reader: VirtualReader) -> VcardProcess {
    let child = Command::new(workspace_binary("asxh-card", "asxh-vcard"))
        .args([
            "--state",
            state.to_str().unwrap(),
            "--port",
            &reader.port().to_string(),
        ])
        .spawn()
        .expect("asxh-vcard starts");
    VcardProcess(child)
}

fn opensc_tool(reader: VirtualReader, apdus: &[&str]) -> String {
    let mut cmd = Command::new("opensc-tool");
    cmd.args(["-r", reader.name()]);
    for a in apdus {
        cmd.args(["-s", a]);
    }
    let out = cmd
        .output()
        .expect("opensc-tool is installed (package opensc)");
    String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr)
}

#[test]
fn vcard_binary_answers_opensc_tool_as_the_spec_says_and_keeps_its_state_across_restarts() {
    let reader = VirtualReader::Second;
    let _lock = reader.lock();
    asxh_e2e::ensure_pcscd();
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("card.state");

    wait_until_empty(reader);
    let vcard = start_vcard(&state, reader);
    wait_until_present(reader);
    let out = opensc_tool(
        reader,
        &["00A4040007F041535848000100", "00CA7F2100", "00FF0000"],
    );
    // §8.1: FCI of a blank card; §8.2: no credential yet in BLANK; §7.3: unknown INS.
    assert!(
        out.contains("6F 19 84 07 F0 41 53 58 48 00 01 8A 01 01 C1 02"),
        "{out}"
    );
    assert!(out.contains("SW1=0x69, SW2=0x85"), "{out}");
    assert!(out.contains("SW1=0x6D, SW2=0x00"), "{out}");

    let issuer = testkit::issuer_key();
    let mut client = connect(reader);
    let cred = testkit::personalize(
        &mut client,
        &issuer,
        777,
        testkit::sample_holder(),
        testkit::entitlements(2),
        None,
    )
    .unwrap();
    drop(client);
    drop(vcard);
    wait_until_empty(reader);

    let _vcard = start_vcard(&state, reader);
    wait_until_present(reader);
    let mut client = connect(reader);
    let info = client.select().unwrap();
    assert_eq!(info.life_cycle, LifeCycle::Issued);
    assert_eq!(info.serial, Some(cred.body().serial));
    testkit::authenticate(&mut client, issuer.verifying_key(), &[3; 32]).unwrap();
}

/// Sends one command APDU (hex, spaces allowed) through PC/SC and returns its status word.
fn send_hex(client: &mut CardClient<PcscTransport>, apdu: &str) -> StatusWord {
    let bytes = hex::decode(apdu.replace(' ', "")).unwrap();
    let r = client.transport_mut().transmit(&bytes).unwrap();
    StatusWord(u16::from_be_bytes([r[r.len() - 2], r[r.len() - 1]]))
}

#[test]
fn malformed_pin_and_administrative_code_blocks_are_refused_without_spending_a_try_over_pcsc() {
    let reader = VirtualReader::First;
    let _lock = reader.lock();
    let pin = Pin::parse("2468").unwrap();
    let card = insert(
        testkit::issued_card(4245, testkit::entitlements(1), Some(&pin)),
        reader,
    );
    let mut client = connect(reader);
    client.select().unwrap();
    // §9.1: fewer than 4 digits, a non-digit before the padding, anything but FF after it.
    for block in [
        "313233FFFFFFFFFF",
        "3132A334FFFFFFFF",
        "31323334FF35FFFF",
        "3132333400000000",
    ] {
        assert_eq!(
            send_hex(&mut client, &format!("00 20 00 81 08 {block}")),
            StatusWord::WRONG_DATA,
            "PIN block {block}"
        );
    }
    // §9.2: seven characters, or padding of 20, 7F, 80 or 00: five of them would block the code.
    for block in [
        "31323334353637FFFFFFFFFFFFFFFFFF",
        "3132333435363738 20FFFFFFFFFFFFFF",
        "3132333435363738 7FFFFFFFFFFFFFFF",
        "3132333435363738 80FFFFFFFFFFFFFF",
        "3132333435363738 00FFFFFFFFFFFFFF",
    ] {
        assert_eq!(
            send_hex(&mut client, &format!("00 20 00 83 10 {block}")),
            StatusWord::WRONG_DATA,
            "administrative code block {block}"
        );
    }
    let info = client.select().unwrap();
    assert_eq!(
        (info.holder_pin, info.admin_tries_left),
        (PinStatus::TriesLeft(3), 5),
        "no try spent"
    );
    assert_eq!(client.verify_pin(&pin).unwrap(), PinCheck::Verified);
    client.verify_admin(&AdminCode::factory_default()).unwrap();
    drop(client);
    card.remove().1.expect("bridge stopped cleanly");
}

#[test]
fn select_and_log_out_during_a_put_data_chain_end_the_session_over_pcsc() {
    let reader = VirtualReader::First;
    let _lock = reader.lock();
    let (card, mut client, _) = key_generated(reader);
    let chained_part = "10 DA 7F 21 03 7F 21 81";
    assert_eq!(send_hex(&mut client, chained_part), StatusWord::OK);
    assert_eq!(
        send_hex(&mut client, "00 A4 04 0C 07 F0 41 53 58 48 00 01"),
        StatusWord::OK,
        "SELECT during a chain is a SELECT"
    );
    assert_eq!(
        sw(client.generate_key()),
        StatusWord::SECURITY_NOT_SATISFIED,
        "SELECT ended the session: the administrative code is no longer verified"
    );
    client.verify_admin(&AdminCode::factory_default()).unwrap();
    assert_eq!(send_hex(&mut client, chained_part), StatusWord::OK);
    assert_eq!(
        send_hex(&mut client, "00 20 FF 83"),
        StatusWord::OK,
        "log-out during a chain logs out"
    );
    assert_eq!(
        sw(client.generate_key()),
        StatusWord::SECURITY_NOT_SATISFIED
    );
    assert_eq!(
        sw(client.put_credential(&[0x7F, 0x21, 0x00])),
        StatusWord::SECURITY_NOT_SATISFIED,
        "no chain left to complete"
    );
    let issuer = testkit::issuer_key();
    testkit::personalize(
        &mut client,
        &issuer,
        4246,
        testkit::sample_holder(),
        testkit::entitlements(3),
        None,
    )
    .unwrap();
    testkit::authenticate(&mut client, issuer.verifying_key(), &[4; 32]).unwrap();
    drop(client);
    card.remove().1.expect("bridge stopped cleanly");
}

#[test]
fn put_data_refuses_every_credential_a_verifier_would_refuse_over_pcsc() {
    let reader = VirtualReader::First;
    let _lock = reader.lock();
    let (card, mut client, key) = key_generated(reader);
    for (name, what, credential) in testkit::refused_credentials(4247, &key) {
        assert_eq!(
            sw(client.put_credential(&credential)),
            StatusWord::WRONG_DATA,
            "{name}: {what}"
        );
    }
    assert!(!client.select().unwrap().has_credential, "nothing stored");
    client.verify_admin(&AdminCode::factory_default()).unwrap();
    assert_eq!(
        sw(client.activate()),
        StatusWord::CONDITIONS_NOT_SATISFIED,
        "nothing to lock"
    );
    drop(client);
    card.remove().1.expect("bridge stopped cleanly");
}
