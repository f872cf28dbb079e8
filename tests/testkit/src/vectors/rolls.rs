//! `rolls.json`: payment-roll vectors (SPEC.md §17), valid and broken, and one worked delta
//! application.

use asxh_core::envelope::Profile;
use asxh_core::lists::roll::{ItemKind, LineStatus, RecipientRole, MAX_RECORDS_LEN};
use asxh_core::lists::{Month, Roll, RollEntry, RollHeader, RollItem, RollLine, RollRecipient};
use asxh_core::signature::SigningKey;
use asxh_core::tlv::{self, Tlv};
use asxh_core::view::RollView;
use asxh_core::{AreaCode, CategoryCode, Date, IdNumber, PersonName, ProgramCode, Ssn};
use serde::{Deserialize, Serialize};

use super::{body_children_of, key_hex, resign};
use crate::test_key;
use crate::testkit::roll_key;

/// Unix time the vector rolls claim to be signed at (2026-11-25 00:00 UTC).
const ISSUED_AT: u64 = 1_795_564_800;

/// One entry of `rolls.json`'s `vectors`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RollVector {
    pub name: String,
    pub description: String,
    /// `roll` or `roll_delta`.
    pub kind: String,
    pub roll_hex: String,
    pub signer_public_key_hex: String,
    pub expect: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fields: Option<RollView>,
}

/// A full roll, a delta, and the roll after applying one to the other (§17.3).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RollApplyVector {
    pub full_hex: String,
    pub delta_hex: String,
    pub fields_after: RollView,
}

/// The content of `rolls.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RollVectors {
    pub roll_key_hex: String,
    pub vectors: Vec<RollVector>,
    pub apply: RollApplyVector,
}

pub(super) fn month(text: &str) -> Month {
    Month::parse("month", text).expect("vector month")
}

pub(super) fn item(
    program: &str,
    category: &str,
    kind: ItemKind,
    amount: u64,
    from: &str,
    to: &str,
) -> RollItem {
    RollItem::new(
        ProgramCode::parse(program).expect("program"),
        CategoryCode::parse(category).ok(),
        kind,
        amount,
        month(from),
        month(to),
    )
    .expect("vector item")
}

fn recipient(role: RecipientRole, name: &str, id: &str, until: Option<&str>) -> RollRecipient {
    RollRecipient {
        role,
        name: PersonName::parse("name", name).expect("name"),
        id_number: IdNumber::parse(id).expect("id"),
        valid_until: until.map(|u| Date::parse("valid_until", u).expect("date")),
    }
}

fn line(item: RollItem, recipient: Option<RollRecipient>, status: LineStatus) -> RollLine {
    RollLine {
        item,
        recipient,
        status,
    }
}

fn entry(ssn: &str, lines: Vec<RollLine>) -> RollEntry {
    RollEntry {
        ssn: Ssn::parse(ssn).expect("ssn"),
        lines,
    }
}

fn header(version: u64, base_version: Option<u64>) -> RollHeader {
    RollHeader {
        version,
        issued_at: ISSUED_AT,
        next_update: ISSUED_AT + 3600,
        base_version,
        area: AreaCode::parse("51.22903").expect("area"),
        month: month("2026-12"),
    }
}

fn monthly() -> RollItem {
    item(
        "TGXH",
        "BTXH-80",
        ItemKind::Monthly,
        750_000,
        "2026-12",
        "2026-12",
    )
}

fn guardian() -> RollRecipient {
    recipient(
        RecipientRole::Guardian,
        "Lê Văn Tám",
        "051080000111",
        Some("2027-12-31"),
    )
}

/// A commune's roll with every kind, role and status.
fn full_roll() -> Roll {
    Roll::new(
        header(1_795_564_800_000, None),
        vec![
            entry(
                "051146000001",
                vec![line(monthly(), Some(guardian()), LineStatus::Due)],
            ),
            entry(
                "051146000002",
                vec![
                    line(monthly(), None, LineStatus::Due),
                    line(
                        item(
                            "TGXH",
                            "BTXH-80",
                            ItemKind::Arrears,
                            280_000,
                            "2026-07",
                            "2026-11",
                        ),
                        None,
                        LineStatus::Due,
                    ),
                ],
            ),
            entry(
                "051146000007",
                vec![line(
                    item(
                        "NCC",
                        "TB-81",
                        ItemKind::Monthly,
                        2_789_000,
                        "2026-12",
                        "2026-12",
                    ),
                    Some(recipient(
                        RecipientRole::Authorised,
                        "Phạm Thị Hoa",
                        "051190000222",
                        None,
                    )),
                    LineStatus::PaidByAccount,
                )],
            ),
            entry(
                "051150000005",
                vec![line(monthly(), None, LineStatus::Suspended)],
            ),
            entry(
                "051150000009",
                vec![
                    line(monthly(), None, LineStatus::Stopped),
                    line(
                        item(
                            "TGXH",
                            "",
                            ItemKind::OneOff,
                            9_000_000,
                            "2026-12",
                            "2026-12",
                        ),
                        Some(recipient(
                            RecipientRole::Authorised,
                            "Phạm Thị Hoa",
                            "051190000222",
                            None,
                        )),
                        LineStatus::Due,
                    ),
                ],
            ),
            entry(
                "099399999999",
                vec![line(monthly(), None, LineStatus::Paid)],
            ),
        ],
    )
    .expect("vector roll")
}

/// A base-level change for one beneficiary, a death, and a new beneficiary.
fn delta() -> Roll {
    Roll::new(
        header(1_795_564_900_000, Some(1_795_564_800_000)),
        vec![
            entry(
                "051146000002",
                vec![line(
                    item(
                        "TGXH",
                        "BTXH-80",
                        ItemKind::Monthly,
                        1_000_000,
                        "2026-12",
                        "2026-12",
                    ),
                    None,
                    LineStatus::Due,
                )],
            ),
            entry("051150000005", vec![]),
            entry("051146000003", vec![line(monthly(), None, LineStatus::Due)]),
        ],
    )
    .expect("vector delta")
}

fn vector(
    name: &str,
    description: &str,
    kind: &str,
    bytes: Vec<u8>,
    signer: &SigningKey,
    expect: &str,
    fields: Option<RollView>,
) -> RollVector {
    RollVector {
        name: name.into(),
        description: description.into(),
        kind: kind.into(),
        roll_hex: hex::encode(bytes),
        signer_public_key_hex: key_hex(signer),
        expect: expect.into(),
        fields,
    }
}

fn invalid(name: &str, description: &str, bytes: Vec<u8>) -> RollVector {
    vector(
        name,
        description,
        "roll",
        bytes,
        &roll_key(),
        "invalid_field",
        None,
    )
}

/// The full roll with its body elements edited and signed again.
fn with_body(edit: impl FnOnce(&mut Vec<Tlv>)) -> Vec<u8> {
    let mut children = body_children_of(&full_roll().sign(&roll_key()), Profile::RollFull);
    edit(&mut children);
    resign(children, &roll_key())
}

/// The full roll with its record stream replaced by `records` (raw-DEFLATE compressed here).
fn with_records(records: Vec<u8>) -> Vec<u8> {
    with_compressed(miniz_oxide::deflate::compress_to_vec(&records, 10))
}

fn with_compressed(compressed: Vec<u8>) -> Vec<u8> {
    with_body(|c| {
        let last = c.len() - 1;
        c[last] = tlv::primitive(0x8C, compressed);
    })
}

/// Byte offset of the entries in a roll's record stream (after both tables). Every number of
/// the vector roll's entries takes one byte: a line count, then three bytes per line.
fn entries_offset(roll: &Roll) -> usize {
    roll.records().len() - (roll.len() + 3 * roll.line_count())
}

/// `rolls.json`.
pub fn roll_vectors() -> RollVectors {
    let key = roll_key();
    let roll = full_roll();
    let bytes = roll.sign(&key);
    let d = delta();
    let records = roll.records();
    let at = entries_offset(&roll);
    let view = |r: &Roll| Some(RollView::from(r));
    let empty = Roll::new(header(7, None), vec![]).expect("empty roll");
    let mut after = roll.clone();
    after.apply(&d).expect("vector delta applies");

    let vectors = vec![
        vector("roll-commune", "A commune's full roll for 2026-12: every kind (monthly, arrears, one-off), both recipient roles (one open-ended, one recipient shared by two lines), every status, the highest SSN.", "roll",
            bytes.clone(), &key, "valid", view(&roll)),
        vector("roll-delta", "A delta: one entry replaced (a new base level), one removed (0 lines: a death), one added.", "roll_delta",
            d.sign(&key), &key, "valid", view(&d)),
        vector("roll-empty", "A full roll with no entries: both tables empty, count 0.", "roll",
            empty.sign(&key), &key, "valid", view(&empty)),
        vector("roll-bad-signature", "The commune roll verified with another key.", "roll",
            bytes.clone(), &test_key("asxh test revocation list"), "bad_signature", None),
        vector("roll-delta-where-full-expected", "A delta (profile 0A) where a full roll (09) is expected.", "roll",
            d.sign(&key), &key, "invalid_field", None),
        vector("roll-base-version-in-full-roll", "A full roll with a base version 85.", "roll",
            with_body(|c| c.insert(5, tlv::primitive(0x85, vec![1]))), &key, "wrong_tag", None),
        invalid("roll-month-not-yyyy-mm", "Month 87 given as a year only (2 bytes BCD).",
            with_body(|c| c[6] = tlv::primitive(0x87, vec![0x20, 0x26]))),
        invalid("roll-count-differs", "Count 88 says 5, the coded SSNs hold 6 (a first SSN and 5 values).",
            with_body(|c| c[7] = tlv::primitive(0x88, vec![5]))),
        invalid("roll-first-ssn-missing", "A roll of 6 entries without its first SSN 89.",
            with_body(|c| { c.remove(8); })),
        invalid("roll-ssn-invalid", "First SSN 000000000001: province code 000.",
            with_body(|c| c[8] = tlv::primitive(0x89, vec![0, 0, 0, 0, 0, 1]))),
        invalid("roll-inflates-beyond-the-limit", "The records inflate to 16 MiB + 1 byte: refused without inflating further.",
            with_compressed(miniz_oxide::deflate::compress_to_vec(&vec![0u8; MAX_RECORDS_LEN + 1], 10))),
        invalid("roll-bytes-after-deflate", "A byte after the end of the final DEFLATE block.",
            with_compressed({ let mut c = miniz_oxide::deflate::compress_to_vec(&records, 10); c.push(0); c })),
        invalid("roll-deflate-cut-short", "The compressed records end before their final block.",
            with_compressed({ let c = miniz_oxide::deflate::compress_to_vec(&records, 10); c[..c.len() - 2].to_vec() })),
        invalid("roll-item-index-out-of-range", "The first line names item 9 of a 4-item table.",
            with_records({ let mut r = records.clone(); r[at + 1] = 9; r })),
        invalid("roll-recipient-before-first-use", "The first line names recipient code 10 (recipient 8) before any recipient was used.",
            with_records({ let mut r = records.clone(); r[at + 2] = 10; r })),
        invalid("roll-recipient-never-used", "The record stream with its lines' recipient codes set to 0: both recipients are never used.",
            with_records({
                let mut r = records.clone();
                let mut pos = at;
                while pos < r.len() {
                    let n = usize::from(r[pos]);
                    for l in 0..n {
                        r[pos + 2 + 3 * l] = 0;
                    }
                    pos += 1 + 3 * n;
                }
                r
            })),
        invalid("roll-bytes-after-last-entry", "A byte after the sixth and last entry.",
            with_records({ let mut r = records.clone(); r.push(0); r })),
        invalid("roll-unknown-status", "A line status 05.",
            with_records({ let mut r = records.clone(); r[at + 3] = 5; r })),
        invalid("roll-full-entry-without-lines", "A full roll whose first entry has 0 lines.",
            with_records({ let mut r = records.clone(); r.splice(at..at + 4, [0]); r })),
        invalid("roll-number-not-shortest", "The item count 4 written in 2 bytes (84 00).",
            with_records({ let mut r = records.clone(); r.splice(0..1, [0x84, 0x00]); r })),
        invalid("roll-entry-cut-short", "The stream ends inside its last entry (its status byte is missing).",
            with_records(records[..records.len() - 1].to_vec())),
        invalid("roll-unknown-kind", "An item kind 04.",
            with_records({ let mut r = records.clone(); r[1 + 1 + 4 + 1 + 7] = 4; r })),
    ];
    RollVectors {
        roll_key_hex: key_hex(&key),
        vectors,
        apply: RollApplyVector {
            full_hex: hex::encode(bytes),
            delta_hex: hex::encode(d.sign(&key)),
            fields_after: RollView::from(&after),
        },
    }
}
