//! The persisted card state of every released record format (SPEC.md §10: a new version of the
//! reference card MUST load every earlier format). `tests/state/v<N>/` holds, for each format
//! version N, the record a card of that version stored in each situation of
//! `asxh_testkit::vectors::state_fixtures`; those files are written once and never regenerated.
//! Every one must still load, report itself as it was stored, and behave: an issued card still
//! answers verification, a personalizing one resumes, a blocked one is reactivated, a dead one
//! stays dead.

use asxh_card::state::STATE_FORMAT;
use asxh_card::{CardApp, MemoryStorage, Storage};
use asxh_core::apdu::StatusWord;
use asxh_core::card::CardIoError;
use asxh_core::card::{
    AdminCode, CardClient, CardInfo, InProcessTransport, LifeCycle, Pin, PinCheck, PinStatus,
    MAX_ADMIN_TRIES,
};
use asxh_core::{CardSerial, Credential, SignedCredential};
use asxh_testkit as testkit;
use asxh_testkit::vectors::{STATE_FIXTURE_ADMIN_CODE, STATE_FIXTURE_PIN};

type Client = CardClient<InProcessTransport<CardApp<MemoryStorage>>>;

/// Every fixture a record format version must have, in the order of `state_fixtures`.
const FIXTURES: [&str; 11] = [
    "blank-one-wrong-admin-code",
    "personalizing-key-only",
    "personalizing-credential-and-pin",
    "issued-with-pin",
    "issued-without-pin",
    "issued-pin-blocked",
    "issued-admin-code-changed",
    "issued-admin-code-blocked",
    "issued-8-entitlements-long-name",
    "blocked",
    "terminated",
];

fn state_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/state")
}

/// The cards stored as fixture `name` by every released format, each powered up and selected,
/// with the format version it was stored by.
fn cards(name: &str) -> Vec<(u8, Client, CardInfo)> {
    (1..=STATE_FORMAT)
        .map(|version| {
            let path = state_dir().join(format!("v{version}/{name}.state"));
            let record = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let mut storage = MemoryStorage::new();
            storage.store(&record).expect("memory storage");
            let app = CardApp::open(storage)
                .unwrap_or_else(|e| panic!("v{version} {name} does not load: {e}"));
            let mut client = CardClient::new(InProcessTransport::new(app));
            let info = client.select().expect("SELECT");
            (version, client, info)
        })
        .collect()
}

fn serial(n: u64) -> Option<CardSerial> {
    Some(CardSerial::new(n).unwrap())
}

fn pin(text: &str) -> Pin {
    Pin::parse(text).unwrap()
}

fn sw<T: std::fmt::Debug>(r: Result<T, CardIoError>) -> StatusWord {
    match r {
        Err(CardIoError::Status { sw, .. }) => sw,
        other => panic!("expected a status word, got {other:?}"),
    }
}

/// SPEC.md §11.2 against the test issuer; the verified credential.
fn verifies(client: &mut Client, context: &str) -> Credential {
    let issuer = testkit::issuer_key();
    testkit::authenticate(client, issuer.verifying_key(), &[0x5A; 32])
        .unwrap_or_else(|e| panic!("{context}: verification fails: {e}"))
        .0
}

#[test]
fn every_format_version_up_to_the_current_one_has_every_fixture_and_nothing_else() {
    let mut dirs: Vec<String> = std::fs::read_dir(state_dir())
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().unwrap().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    dirs.sort();
    let expected: Vec<String> = (1..=STATE_FORMAT).map(|v| format!("v{v}")).collect();
    assert_eq!(
        dirs, expected,
        "one directory per released record format; a new format writes its own with `cargo run -p asxh-testkit --bin asxh-vectors -- --state-fixtures`"
    );
    for dir in &dirs {
        let mut files: Vec<String> = std::fs::read_dir(state_dir().join(dir))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        files.sort();
        let mut want: Vec<String> = FIXTURES.iter().map(|f| format!("{f}.state")).collect();
        want.sort();
        assert_eq!(files, want, "{dir}");
    }
    let generated: Vec<&str> = asxh_testkit::vectors::state_fixtures()
        .into_iter()
        .map(|(name, _)| name)
        .collect();
    assert_eq!(generated, FIXTURES);
}

#[test]
fn stored_blank_card_keeps_its_spent_try_and_personalizes_with_the_factory_code() {
    for (v, mut c, info) in cards("blank-one-wrong-admin-code") {
        assert_eq!(
            (info.life_cycle, info.admin_tries_left, info.has_key),
            (LifeCycle::Blank, MAX_ADMIN_TRIES - 1, false),
            "v{v}"
        );
        assert_eq!(info.holder_pin, PinStatus::NotSet, "v{v}");
        let issuer = testkit::issuer_key();
        testkit::personalize(&mut c, &issuer, 42, testkit::sample_holder(), vec![], None)
            .unwrap_or_else(|e| panic!("v{v}: {e}"));
        assert_eq!(c.select().unwrap().admin_tries_left, MAX_ADMIN_TRIES);
        verifies(&mut c, &format!("v{v}"));
    }
}

#[test]
fn stored_personalizing_card_with_only_a_key_resumes_with_that_key() {
    for (v, mut c, info) in cards("personalizing-key-only") {
        assert_eq!(
            (info.life_cycle, info.has_key, info.has_credential),
            (LifeCycle::Personalizing, true, false),
            "v{v}"
        );
        c.verify_admin(&AdminCode::factory_default()).unwrap();
        let key = c.read_public_key().unwrap();
        let issuer = testkit::issuer_key();
        let body = testkit::credential_body(43, testkit::sample_holder(), &key, &issuer, vec![]);
        let credential = Credential::issue(body, &issuer).unwrap();
        c.put_credential(credential.to_bytes())
            .unwrap_or_else(|e| panic!("v{v}: the stored key is not the card's: {e}"));
        c.activate().unwrap();
        assert_eq!(verifies(&mut c, &format!("v{v}")), credential);
    }
}

#[test]
fn stored_personalizing_card_with_its_credential_and_pin_is_locked_and_verifies() {
    for (v, mut c, info) in cards("personalizing-credential-and-pin") {
        assert_eq!(
            (info.life_cycle, info.serial, info.holder_pin),
            (
                LifeCycle::Personalizing,
                serial(7_000_002),
                PinStatus::TriesLeft(3)
            ),
            "v{v}"
        );
        let stored = c.read_credential().unwrap();
        let key = c.read_public_key().unwrap();
        let credential = SignedCredential::parse(&stored)
            .and_then(|s| s.verify(testkit::issuer_key().verifying_key()))
            .unwrap();
        assert_eq!(credential.body().card_public_key, key, "v{v}");
        c.verify_admin(&AdminCode::factory_default()).unwrap();
        c.activate().unwrap();
        assert_eq!(verifies(&mut c, &format!("v{v}")), credential);
        assert_eq!(
            c.verify_pin(&pin(STATE_FIXTURE_PIN)).unwrap(),
            PinCheck::Verified
        );
    }
}

#[test]
fn stored_issued_card_with_a_pin_answers_verification_and_checks_its_pin() {
    for (v, mut c, info) in cards("issued-with-pin") {
        assert_eq!(
            (info.life_cycle, info.serial, info.holder_pin),
            (
                LifeCycle::Issued,
                serial(7_000_003),
                PinStatus::TriesLeft(3)
            ),
            "v{v}"
        );
        let credential = verifies(&mut c, &format!("v{v}"));
        assert_eq!(credential.body().entitlements().len(), 3);
        assert_eq!(
            c.verify_pin(&pin("0000")).unwrap(),
            PinCheck::Wrong { tries_left: 2 }
        );
        assert_eq!(
            c.verify_pin(&pin(STATE_FIXTURE_PIN)).unwrap(),
            PinCheck::Verified
        );
        assert!(c
            .internal_authenticate(&[1; 16])
            .unwrap()
            .flags
            .pin_verified());
    }
}

#[test]
fn stored_issued_card_without_a_pin_answers_verification() {
    for (v, mut c, info) in cards("issued-without-pin") {
        assert_eq!(
            (info.life_cycle, info.holder_pin),
            (LifeCycle::Issued, PinStatus::NotSet),
            "v{v}"
        );
        verifies(&mut c, &format!("v{v}"));
        assert_eq!(c.verify_pin(&pin("1234")).unwrap(), PinCheck::NotSet);
        assert!(!c.internal_authenticate(&[1; 16]).unwrap().flags.pin_set());
    }
}

#[test]
fn stored_card_with_a_blocked_pin_still_authenticates_and_the_office_resets_the_pin() {
    for (v, mut c, info) in cards("issued-pin-blocked") {
        assert_eq!(info.holder_pin, PinStatus::TriesLeft(0), "v{v}");
        assert_eq!(
            c.verify_pin(&pin(STATE_FIXTURE_PIN)).unwrap(),
            PinCheck::Blocked
        );
        verifies(&mut c, &format!("v{v}"));
        assert!(c
            .internal_authenticate(&[1; 16])
            .unwrap()
            .flags
            .pin_blocked());
        c.verify_admin(&AdminCode::factory_default()).unwrap();
        c.reset_pin(&pin("1357")).unwrap();
        assert_eq!(c.verify_pin(&pin("1357")).unwrap(), PinCheck::Verified);
    }
}

#[test]
fn stored_card_with_a_changed_administrative_code_takes_only_the_new_one() {
    for (v, mut c, _) in cards("issued-admin-code-changed") {
        assert_eq!(
            sw(c.verify_admin(&AdminCode::factory_default())),
            StatusWord::verify_failed(MAX_ADMIN_TRIES - 1),
            "v{v}"
        );
        c.verify_admin(&AdminCode::parse(STATE_FIXTURE_ADMIN_CODE).unwrap())
            .unwrap();
        c.deactivate().unwrap();
        assert_eq!(c.select().unwrap().life_cycle, LifeCycle::Blocked);
    }
}

#[test]
fn stored_card_with_a_blocked_administrative_code_still_serves_its_holder() {
    for (v, mut c, info) in cards("issued-admin-code-blocked") {
        assert_eq!(info.admin_tries_left, 0, "v{v}");
        assert_eq!(
            sw(c.verify_admin(&AdminCode::factory_default())),
            StatusWord::AUTH_METHOD_BLOCKED
        );
        verifies(&mut c, &format!("v{v}"));
        assert_eq!(
            c.verify_pin(&pin(STATE_FIXTURE_PIN)).unwrap(),
            PinCheck::Verified
        );
    }
}

#[test]
fn stored_card_with_the_largest_typical_credential_answers_verification() {
    for (v, mut c, info) in cards("issued-8-entitlements-long-name") {
        assert_eq!(info.serial, serial(7_000_008), "v{v}");
        let credential = verifies(&mut c, &format!("v{v}"));
        assert_eq!(credential.body().entitlements().len(), 8);
        assert!(credential.to_bytes().len() > 500);
    }
}

#[test]
fn stored_blocked_card_refuses_verification_until_the_office_reactivates_it() {
    for (v, mut c, info) in cards("blocked") {
        assert_eq!(info.life_cycle, LifeCycle::Blocked, "v{v}");
        assert_eq!(
            sw(c.read_credential()),
            StatusWord::CONDITIONS_NOT_SATISFIED
        );
        c.verify_admin(&AdminCode::factory_default()).unwrap();
        c.activate().unwrap();
        verifies(&mut c, &format!("v{v}"));
    }
}

#[test]
fn stored_terminated_card_stays_dead_and_still_names_its_serial() {
    for (v, mut c, info) in cards("terminated") {
        assert_eq!(
            (
                info.life_cycle,
                info.serial,
                info.has_key,
                info.has_credential
            ),
            (LifeCycle::Terminated, serial(7_000_010), false, false),
            "v{v}"
        );
        assert_eq!(
            sw(c.read_credential()),
            StatusWord::CONDITIONS_NOT_SATISFIED
        );
        assert_eq!(
            sw(c.verify_admin(&AdminCode::factory_default())),
            StatusWord::CONDITIONS_NOT_SATISFIED
        );
    }
}
