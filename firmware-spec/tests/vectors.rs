//! The test vectors of firmware-spec/vectors/: they are exactly what the generator writes, every
//! credential and QR vector verifies (or fails) as its `expect` says, and every recorded APDU
//! exchange replays byte for byte on a fresh reference card.

use asxh_core::card::CardApplication;
use asxh_core::lists::{RevocationList, Roll, TrustList};
use asxh_core::receipt::SignedReceipt;
use asxh_core::signature::public_key_from_bytes;
use asxh_core::view::CredentialView;
use asxh_core::view::ReceiptView;
use asxh_core::view::{RevocationListView, RollView, TrustListView};
use asxh_core::{FormatError, SignedCredential, SignedQr};
use asxh_testkit as testkit;
use asxh_testkit::vectors::{
    self, ApduVectors, CredentialVector, ListVector, ListVectors, ReceiptVector, ReceiptVectors,
    RollVector, RollVectors,
};

fn vector_file(name: &str) -> String {
    let path = format!("{}/vectors/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn vector_files_are_exactly_what_the_generator_writes() {
    for (name, content) in vectors::generate() {
        assert!(
            vector_file(name) == content,
            "{name} differs from the generator: run `cargo run -p asxh-testkit --bin asxh-vectors` and commit the result with the SPEC.md change"
        );
    }
}

fn check(
    v: &CredentialVector,
    verify: impl Fn(&CredentialVector) -> Result<CredentialView, FormatError>,
) {
    match (verify(v), v.expect.as_str()) {
        (Ok(fields), "valid") => assert_eq!(Some(fields), v.fields, "{}: decoded fields", v.name),
        (Ok(_), expect) => panic!("{}: verified, but expected {expect}", v.name),
        (Err(e), expect) => assert_eq!(e.kind(), expect, "{}: {e}", v.name),
    }
}

fn issuer(v: &CredentialVector) -> asxh_core::PublicKey {
    public_key_from_bytes("issuer", &hex::decode(&v.issuer_public_key_hex).unwrap()).unwrap()
}

#[test]
fn every_credential_vector_verifies_or_fails_as_expected() {
    let all: Vec<CredentialVector> =
        serde_json::from_str(&vector_file("credentials.json")).unwrap();
    assert!(all.iter().filter(|v| v.expect == "valid").count() >= 5);
    for v in &all {
        check(v, |v| {
            let bytes = hex::decode(v.credential_hex.as_ref().unwrap()).unwrap();
            let c = SignedCredential::parse(&bytes)?.verify(&issuer(v))?;
            Ok(CredentialView::from(c.body()))
        });
    }
}

#[test]
fn every_qr_vector_verifies_or_fails_as_expected() {
    let all: Vec<CredentialVector> = serde_json::from_str(&vector_file("qr.json")).unwrap();
    for v in &all {
        check(v, |v| {
            let q = SignedQr::parse(v.qr_text.as_ref().unwrap())?.verify(&issuer(v))?;
            Ok(CredentialView::from(q.body()))
        });
    }
}

#[test]
fn recorded_apdu_exchanges_replay_on_a_fresh_reference_card() {
    let recorded: ApduVectors = serde_json::from_str(&vector_file("apdu.json")).unwrap();
    let mut card = testkit::deterministic_card(vectors::CARD_SEED);
    let mut previous = "blank";
    for seq in &recorded.sequences {
        match seq.starts_from.as_str() {
            "blank" => card = testkit::deterministic_card(vectors::CARD_SEED),
            from => {
                assert_eq!(from, previous, "{}: starts_from", seq.name);
                card.power_cycle();
            }
        }
        previous = &seq.name;
        for (i, ex) in seq.exchanges.iter().enumerate() {
            let response = card.process(&hex::decode(&ex.command_hex).unwrap());
            assert_eq!(
                hex::encode_upper(response),
                ex.response_hex,
                "{} #{i} ({})",
                seq.name,
                ex.note
            );
        }
    }
}

fn key(hex_text: &str) -> asxh_core::PublicKey {
    public_key_from_bytes("key", &hex::decode(hex_text).unwrap()).unwrap()
}

fn verify_list(v: &ListVector) -> Result<serde_json::Value, FormatError> {
    let bytes = hex::decode(&v.list_hex).unwrap();
    let signer = key(&v.signer_public_key_hex);
    Ok(match v.kind.as_str() {
        "trust_list" => serde_json::to_value(TrustListView::from(&TrustList::parse_verified(
            &bytes, &signer,
        )?)),
        "revocation_list" => serde_json::to_value(RevocationListView::from(
            &RevocationList::parse_full_verified(&bytes, &signer)?,
        )),
        "revocation_delta" => serde_json::to_value(RevocationListView::from(
            &RevocationList::parse_delta_verified(&bytes, &signer)?,
        )),
        other => panic!("unknown list kind {other}"),
    }
    .unwrap())
}

#[test]
fn every_list_vector_verifies_or_fails_as_expected() {
    let all: ListVectors = serde_json::from_str(&vector_file("lists.json")).unwrap();
    assert!(all.vectors.iter().any(|v| v.expect != "valid"));
    for v in &all.vectors {
        match (verify_list(v), v.expect.as_str()) {
            (Ok(fields), "valid") => {
                assert_eq!(Some(fields), v.fields, "{}: decoded fields", v.name)
            }
            (Ok(_), expect) => panic!("{}: verified, but expected {expect}", v.name),
            (Err(e), expect) => assert_eq!(e.kind(), expect, "{}: {e}", v.name),
        }
    }
}

#[test]
fn applying_the_delta_vector_gives_the_recorded_list_and_refuses_a_second_time() {
    let all: ListVectors = serde_json::from_str(&vector_file("lists.json")).unwrap();
    let lkey = key(&all.revocation_list_key_hex);
    let mut full =
        RevocationList::parse_verified(&hex::decode(&all.apply.full_hex).unwrap(), &lkey).unwrap();
    let delta =
        RevocationList::parse_verified(&hex::decode(&all.apply.delta_hex).unwrap(), &lkey).unwrap();
    full.apply(&delta).unwrap();
    assert_eq!(full.version, all.apply.version_after);
    let serials: Vec<String> = full
        .entries()
        .iter()
        .map(|e| e.serial.to_string())
        .collect();
    assert_eq!(serials, all.apply.serials_after);
    let entries: Vec<(String, String)> = full
        .entries()
        .iter()
        .map(|e| (e.serial.to_string(), e.reason.as_str().to_owned()))
        .collect();
    let recorded: Vec<(String, String)> = all
        .apply
        .entries_after
        .iter()
        .map(|e| (e.serial.clone(), e.reason.clone()))
        .collect();
    assert_eq!(
        entries, recorded,
        "a repeated serial keeps its first reason"
    );
    assert!(
        full.apply(&delta).is_err(),
        "a delta whose base is not the held version is refused"
    );
}

#[test]
fn taking_a_newer_full_list_keeps_the_revocations_it_leaves_out() {
    let all: ListVectors = serde_json::from_str(&vector_file("lists.json")).unwrap();
    let lkey = key(&all.revocation_list_key_hex);
    let held =
        RevocationList::parse_full_verified(&hex::decode(&all.keep.held_hex).unwrap(), &lkey)
            .unwrap();
    let mut newer =
        RevocationList::parse_full_verified(&hex::decode(&all.keep.newer_hex).unwrap(), &lkey)
            .unwrap();
    newer.keep(&held.missing_from(&newer));
    assert_eq!(newer.version, all.keep.version_after);
    let entries: Vec<(String, String)> = newer
        .entries()
        .iter()
        .map(|e| (e.serial.to_string(), e.reason.as_str().to_owned()))
        .collect();
    let recorded: Vec<(String, String)> = all
        .keep
        .entries_after
        .iter()
        .map(|e| (e.serial.clone(), e.reason.clone()))
        .collect();
    assert_eq!(entries, recorded);
}

fn verify_roll(v: &RollVector) -> Result<RollView, FormatError> {
    let bytes = hex::decode(&v.roll_hex).unwrap();
    let signer = key(&v.signer_public_key_hex);
    let roll = match v.kind.as_str() {
        "roll" => Roll::parse_full_verified(&bytes, &signer)?,
        "roll_delta" => Roll::parse_delta_verified(&bytes, &signer)?,
        other => panic!("unknown roll kind {other}"),
    };
    Ok(RollView::from(&roll))
}

#[test]
fn every_roll_vector_verifies_or_fails_as_expected() {
    let all: RollVectors = serde_json::from_str(&vector_file("rolls.json")).unwrap();
    assert!(all.vectors.iter().any(|v| v.expect != "valid"));
    for v in &all.vectors {
        match (verify_roll(v), v.expect.as_str()) {
            (Ok(fields), "valid") => {
                assert_eq!(Some(fields), v.fields, "{}: decoded fields", v.name)
            }
            (Ok(_), expect) => panic!("{}: verified, but expected {expect}", v.name),
            (Err(e), expect) => assert_eq!(e.kind(), expect, "{}: {e}", v.name),
        }
    }
}

#[test]
fn applying_the_roll_delta_vector_gives_the_recorded_roll() {
    let all: RollVectors = serde_json::from_str(&vector_file("rolls.json")).unwrap();
    let rkey = key(&all.roll_key_hex);
    let mut full =
        Roll::parse_full_verified(&hex::decode(&all.apply.full_hex).unwrap(), &rkey).unwrap();
    let delta =
        Roll::parse_delta_verified(&hex::decode(&all.apply.delta_hex).unwrap(), &rkey).unwrap();
    full.apply(&delta).unwrap();
    assert_eq!(RollView::from(&full), all.apply.fields_after);
    assert!(full.apply(&delta).is_err(), "its base is behind now");
}

fn verify_receipt(v: &ReceiptVector) -> Result<ReceiptView, FormatError> {
    let receipt = SignedReceipt::parse(&hex::decode(&v.receipt_hex).unwrap())?;
    receipt.verify(&key(&v.signer_public_key_hex))?;
    Ok(ReceiptView::from(&receipt))
}

#[test]
fn every_receipt_vector_verifies_or_fails_as_expected() {
    let all: ReceiptVectors = serde_json::from_str(&vector_file("receipts.json")).unwrap();
    assert!(all.vectors.iter().filter(|v| v.expect == "valid").count() >= 4);
    for v in &all.vectors {
        match (verify_receipt(v), v.expect.as_str()) {
            (Ok(fields), "valid") => {
                assert_eq!(Some(fields), v.fields, "{}: decoded fields", v.name)
            }
            (Ok(_), expect) => panic!("{}: verified, but expected {expect}", v.name),
            (Err(e), expect) => assert_eq!(e.kind(), expect, "{}: {e}", v.name),
        }
    }
}

#[test]
fn the_receipt_the_card_signs_in_apdu_json_verifies_with_the_card_key_of_its_credential() {
    let recorded: ApduVectors = serde_json::from_str(&vector_file("apdu.json")).unwrap();
    let seq = recorded
        .sequences
        .iter()
        .find(|s| s.name == "receipt")
        .expect("sequence receipt");
    let answer = |ins: &str| {
        seq.exchanges
            .iter()
            .filter(|e| e.command_hex.to_uppercase().starts_with(ins))
            .map(|e| hex::decode(&e.response_hex).unwrap())
            .collect::<Vec<_>>()
    };
    let credential = &answer("00CA7F21")[0];
    let credential = SignedCredential::parse(&credential[..credential.len() - 2]).unwrap();
    let (serial, card_key) = credential.card_binding().unwrap();
    let card_key = public_key_from_bytes("card", &card_key).unwrap();
    let body = vectors::apdu_receipt_body();
    assert_eq!(body.serial, Some(serial));
    let signed: Vec<_> = answer("002A9E9A")
        .into_iter()
        .filter(|r| r.ends_with(&[0x90, 0x00]))
        .collect();
    assert_eq!(signed.len(), 2);
    for (response, flags) in signed.iter().zip([0x02, 0x03]) {
        let receipt = SignedReceipt::from_card(body.clone(), &response[..65]).unwrap();
        assert_eq!(receipt.flags().0, flags);
        receipt.verify(&card_key).unwrap();
    }
}
