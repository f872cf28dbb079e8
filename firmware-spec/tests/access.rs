//! The access matrix `vectors/access.json` (SPEC.md §7.2 table 2, §7.3, §12), written by hand,
//! replayed on the reference card: every command in every life-cycle state and session gets
//! the status word the matrix gives. The matrix must also be complete: all five states in every
//! row, the same sessions in every row, and every command of the parser present.

use std::collections::{BTreeMap, BTreeSet};

use asxh_card::command::Command;
use asxh_card::{CardApp, MemoryStorage, Storage};
use asxh_core::apdu::CommandApdu;
use asxh_core::card::CardApplication;
use asxh_testkit::vectors::{ApduVectors, CARD_SEED};
use rand_core::SeedableRng;
use serde::Deserialize;

#[derive(Deserialize)]
struct Matrix {
    states: BTreeMap<String, Setup>,
    sessions: BTreeMap<String, Setup>,
    commands: Vec<Row>,
}

#[derive(Deserialize)]
struct Setup {
    setup: Vec<Step>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Step {
    Apdu(String),
    Sequence { sequence: String, commands: usize },
}

#[derive(Deserialize)]
struct Row {
    command: String,
    apdu: String,
    sw: BTreeMap<String, BTreeMap<String, String>>,
}

const STATES: [&str; 5] = ["BLANK", "PERSONALIZING", "ISSUED", "BLOCKED", "TERMINATED"];

fn vector_file(name: &str) -> String {
    let path = format!("{}/vectors/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn matrix() -> Matrix {
    serde_json::from_str(&vector_file("access.json")).expect("access.json")
}

/// The command APDUs of a setup, with `{sequence, commands}` taken from apdu.json.
fn apdus(setup: &Setup, recorded: &ApduVectors) -> Vec<Vec<u8>> {
    setup
        .setup
        .iter()
        .flat_map(|step| match step {
            Step::Apdu(hex_text) => vec![hex::decode(hex_text).expect("setup hex")],
            Step::Sequence { sequence, commands } => {
                let seq = recorded
                    .sequences
                    .iter()
                    .find(|s| &s.name == sequence)
                    .unwrap_or_else(|| panic!("no apdu.json sequence {sequence}"));
                assert!(*commands <= seq.exchanges.len(), "{sequence}");
                seq.exchanges[..*commands]
                    .iter()
                    .map(|e| hex::decode(&e.command_hex).unwrap())
                    .collect()
            }
        })
        .collect()
}

fn card(record: Option<&[u8]>) -> CardApp<MemoryStorage> {
    let mut storage = MemoryStorage::new();
    if let Some(r) = record {
        storage.store(r).expect("memory storage");
    }
    let rng = rand_chacha::ChaCha20Rng::seed_from_u64(CARD_SEED);
    CardApp::open_with_rng(storage, Box::new(rng)).expect("memory storage")
}

fn status_word(response: &[u8]) -> String {
    hex::encode_upper(&response[response.len() - 2..])
}

#[test]
fn every_command_in_every_state_and_session_gets_the_status_word_of_the_access_matrix() {
    let m = matrix();
    let recorded: ApduVectors = serde_json::from_str(&vector_file("apdu.json")).unwrap();
    let mut wrong = Vec::new();
    let mut cells = 0;
    for state in STATES {
        let mut c = card(None);
        for apdu in apdus(&m.states[state], &recorded) {
            c.process(&apdu);
        }
        let record = c.storage_mut().load().expect("memory storage");
        for row in &m.commands {
            for (session, expected) in &row.sw[state] {
                let mut c = card(record.as_deref());
                c.power_cycle();
                for apdu in apdus(&m.sessions[session], &recorded) {
                    c.process(&apdu);
                }
                let got = status_word(&c.process(&hex::decode(&row.apdu).unwrap()));
                cells += 1;
                if &got != expected {
                    wrong.push(format!(
                        "{} in {state}, {session}: {got}, the matrix says {expected}",
                        row.command
                    ));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    assert!(cells > 500, "{cells} cells");
}

/// The position of a command in [`COMMANDS`]: adding a command to the parser breaks this match
/// until the command has a row in the matrix.
fn command_index(c: &Command) -> usize {
    match c {
        Command::Select { .. } => 0,
        Command::GetData(_) => 1,
        Command::GenerateKey => 2,
        Command::ReadPublicKey => 3,
        Command::PutCredential { .. } => 4,
        Command::Verify(_) => 5,
        Command::VerifyStatus(_) => 6,
        Command::ResetSecurityStatus(_) => 7,
        Command::SetPin(_) => 8,
        Command::ChangeCode(_) => 9,
        Command::ResetPin(_) => 10,
        Command::InternalAuthenticate { .. } => 11,
        Command::Activate => 12,
        Command::Deactivate => 13,
        Command::Terminate => 14,
        Command::GetResponse => 15,
        Command::SignReceipt { .. } => 16,
    }
}

const COMMANDS: usize = 17;

#[test]
fn the_access_matrix_is_complete() {
    let m = matrix();
    let mut covered = [false; COMMANDS];
    let mut sessions_of: BTreeMap<&str, BTreeSet<&String>> = BTreeMap::new();
    for row in &m.commands {
        let states: BTreeSet<&str> = row.sw.keys().map(String::as_str).collect();
        assert_eq!(states, STATES.into_iter().collect(), "{}", row.command);
        for (state, cells) in &row.sw {
            let sessions: BTreeSet<&String> = cells.keys().collect();
            let first = sessions_of.entry(state).or_insert_with(|| sessions.clone());
            assert_eq!(*first, sessions, "{} in {state}", row.command);
            for s in &sessions {
                assert!(m.sessions.contains_key(*s), "unknown session {s}");
            }
        }
        let apdu = CommandApdu::parse(&hex::decode(&row.apdu).unwrap()).expect("APDU");
        if let Ok(c) = Command::try_from(&apdu) {
            covered[command_index(&c)] = true;
        }
    }
    for state in STATES {
        let s = &sessions_of[state];
        assert!(
            s.contains(&"unselected".to_string()) && s.contains(&"selected".to_string()),
            "{state}"
        );
    }
    let used: BTreeSet<&String> = sessions_of.values().flatten().copied().collect();
    assert_eq!(used, m.sessions.keys().collect(), "every session is used");
    assert_eq!(covered, [true; COMMANDS], "every command has a row");
}
