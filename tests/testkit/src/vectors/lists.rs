//! `lists.json`: trust-list and revocation-list vectors (SPEC.md §14–§15), valid and broken, and
//! one worked delta application.

use asxh_core::envelope::Profile;
use asxh_core::lists::{
    IssuerEntry, IssuerStatus, OfficeCode, Revocation, RevocationList, RevocationReason, TrustList,
};
use asxh_core::signature::{IssuerKeyId, SigningKey};
use asxh_core::tlv::{self, Tlv};
use asxh_core::view::{RevocationListView, TrustListView};
use asxh_core::{AreaCode, CardSerial};
use serde::{Deserialize, Serialize};

use crate::test_key;

use super::CARD_SEED;
use super::{body_children_of, key_hex, other_issuer, resign};
use crate::testkit::{self, date};

/// Unix time all vector lists claim to be signed at (2026-11-25 00:00 UTC).
const ISSUED_AT: u64 = 1_795_564_800;

/// One entry of `lists.json`'s `vectors`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ListVector {
    pub name: String,
    pub description: String,
    /// `trust_list`, `revocation_list` or `revocation_delta`.
    pub kind: String,
    pub list_hex: String,
    pub signer_public_key_hex: String,
    pub expect: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fields: Option<serde_json::Value>,
}

/// A serial and its reason, as the vectors write them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryVector {
    pub serial: String,
    pub reason: String,
}

/// A full list, a delta and the list after applying one to the other (§15.3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplyVector {
    pub full_hex: String,
    pub delta_hex: String,
    pub version_after: u64,
    pub serials_after: Vec<String>,
    /// The entries after, with their reasons: a serial the delta repeats keeps its first one.
    pub entries_after: Vec<EntryVector>,
}

/// A held full list and a newer one that leaves a held serial out: what a verifier holds after
/// taking the newer one (§15.3: revocation is monotonic at the verifier).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeepVector {
    pub held_hex: String,
    pub newer_hex: String,
    pub version_after: u64,
    pub entries_after: Vec<EntryVector>,
}

/// The content of `lists.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ListVectors {
    pub root_public_key_hex: String,
    pub revocation_list_key_hex: String,
    pub vectors: Vec<ListVector>,
    pub apply: ApplyVector,
    pub keep: KeepVector,
}

pub(crate) fn root_key() -> SigningKey {
    test_key("asxh test root")
}

pub(crate) fn list_key() -> SigningKey {
    test_key("asxh test revocation list")
}

fn issuer_entry(
    key: &SigningKey,
    office: &str,
    name: &str,
    area: &str,
    status: IssuerStatus,
) -> IssuerEntry {
    IssuerEntry {
        key_id: IssuerKeyId::of(key.verifying_key()),
        public_key: *key.verifying_key(),
        office: OfficeCode::parse(office).expect("office"),
        office_name: name.into(),
        area: AreaCode::parse(area).expect("area"),
        valid_from: date("2026-01-01"),
        valid_until: date("2045-12-31"),
        status,
    }
}

fn trust_list(issuers: Vec<IssuerEntry>) -> TrustList {
    TrustList {
        version: 7,
        issued_at: ISSUED_AT,
        next_update: ISSUED_AT + 86_400,
        list_key: *list_key().verifying_key(),
        roll_key: *testkit::roll_key().verifying_key(),
        issuers,
    }
}

fn full_trust_list() -> TrustList {
    trust_list(vec![
        issuer_entry(
            &testkit::issuer_key(),
            "QNG-01",
            "Sở Y tế tỉnh Quảng Ngãi",
            "51",
            IssuerStatus::Active,
        ),
        issuer_entry(
            &other_issuer(),
            "HCM-Q1",
            "UBND phường Bến Nghé",
            "79.26734",
            IssuerStatus::Retired,
        ),
        issuer_entry(
            &test_key("asxh test issuer 3 (compromised)"),
            "HN-BD",
            "UBND phường Ba Đình",
            "01.00004",
            IssuerStatus::Revoked,
        ),
    ])
}

fn revocation(serial: u64, reason: RevocationReason) -> Revocation {
    Revocation {
        serial: CardSerial::new(serial).expect("serial"),
        reason,
    }
}

/// A thousand revocations spread over a hundred million serials, most of them lost cards, from a
/// fixed seed.
fn thousand_revocations() -> RevocationList {
    use rand_core::{RngCore, SeedableRng};
    let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(CARD_SEED);
    let mut serials = std::collections::BTreeSet::new();
    while serials.len() < 1000 {
        serials.insert(rng.next_u64() % 100_000_000 + 1);
    }
    let entries = serials
        .into_iter()
        .enumerate()
        .map(|(i, s)| {
            let reason = match i % 10 {
                3 => RevocationReason::Deceased,
                7 => RevocationReason::Damaged,
                _ => RevocationReason::Lost,
            };
            revocation(s, reason)
        })
        .collect();
    RevocationList::new(1000, ISSUED_AT, ISSUED_AT + 3600, None, entries).expect("list")
}

fn full_revocation_list() -> RevocationList {
    use RevocationReason::*;
    RevocationList::new(
        5,
        ISSUED_AT,
        ISSUED_AT + 3600,
        None,
        vec![
            revocation(1, Lost),
            revocation(3, Stolen),
            revocation(1_000_001, Damaged),
            revocation(42_424_242, Deceased),
            revocation(9_999_999_999, Replaced),
        ],
    )
    .expect("list")
}

fn delta() -> RevocationList {
    use RevocationReason::*;
    RevocationList::new(
        7,
        ISSUED_AT + 60,
        ISSUED_AT + 3660,
        Some(5),
        vec![
            revocation(2, Error),
            revocation(3, Error),
            revocation(77, Lost),
        ],
    )
    .expect("delta")
}

/// A full list newer than [`full_revocation_list`] that leaves out card 3 and gives card
/// 42 424 242 another reason.
fn newer_full_list() -> RevocationList {
    use RevocationReason::*;
    RevocationList::new(
        9,
        ISSUED_AT + 120,
        ISSUED_AT + 3720,
        None,
        vec![
            revocation(1, Lost),
            revocation(88, Stolen),
            revocation(1_000_001, Damaged),
            revocation(42_424_242, Lost),
            revocation(9_999_999_999, Replaced),
        ],
    )
    .expect("list")
}

fn entry_vectors(list: &RevocationList) -> Vec<EntryVector> {
    list.entries()
        .iter()
        .map(|e| EntryVector {
            serial: e.serial.to_string(),
            reason: e.reason.as_str().to_owned(),
        })
        .collect()
}

/// Rewrites the body elements of the signed trust list and signs it again with the root.
fn trust_with_body(list: &TrustList, edit: impl FnOnce(&mut Vec<Tlv>)) -> Vec<u8> {
    let mut children = body_children_of(&list.sign(&root_key()), Profile::TrustList);
    edit(&mut children);
    resign(children, &root_key())
}

/// The value bytes of a template: its children, encoded one after the other.
fn template_value(t: &Tlv) -> Vec<u8> {
    tlv::items(t).iter().flat_map(tlv::encode).collect()
}

/// The trust list with one issuer whose office name is `name` (written as given, unchecked).
fn trust_list_named(name: &str) -> TrustList {
    let mut entry = issuer_entry(
        &testkit::issuer_key(),
        "QNG-01",
        "Sở Y tế tỉnh Quảng Ngãi",
        "51",
        IssuerStatus::Active,
    );
    entry.office_name = name.into();
    trust_list(vec![entry])
}

fn vector(
    name: &str,
    description: &str,
    kind: &str,
    bytes: Vec<u8>,
    signer: &SigningKey,
    expect: &str,
    fields: Option<serde_json::Value>,
) -> ListVector {
    ListVector {
        name: name.into(),
        description: description.into(),
        kind: kind.into(),
        list_hex: hex::encode(bytes),
        signer_public_key_hex: key_hex(signer),
        expect: expect.into(),
        fields,
    }
}

fn valid(
    name: &str,
    description: &str,
    kind: &str,
    bytes: Vec<u8>,
    signer: &SigningKey,
    fields: serde_json::Value,
) -> ListVector {
    vector(
        name,
        description,
        kind,
        bytes,
        signer,
        "valid",
        Some(fields),
    )
}

fn invalid(
    name: &str,
    description: &str,
    kind: &str,
    bytes: Vec<u8>,
    signer: &SigningKey,
    expect: &str,
) -> ListVector {
    vector(name, description, kind, bytes, signer, expect, None)
}

fn trust_fields(t: &TrustList) -> serde_json::Value {
    serde_json::to_value(TrustListView::from(t)).expect("json")
}

fn revocation_fields(l: &RevocationList) -> serde_json::Value {
    serde_json::to_value(RevocationListView::from(l)).expect("json")
}

/// Rewrites the body elements of a signed revocation list and signs it again.
fn with_body(list: &RevocationList, profile: Profile, edit: impl FnOnce(&mut Vec<Tlv>)) -> Vec<u8> {
    let mut children = body_children_of(&list.sign(&list_key()), profile);
    edit(&mut children);
    resign(children, &list_key())
}

/// `lists.json`.
pub fn list_vectors() -> ListVectors {
    let root = root_key();
    let lkey = list_key();
    let tl = full_trust_list();
    let tl_bytes = tl.sign(&root);
    let empty_tl = trust_list(vec![]);
    let rl = full_revocation_list();
    let rl_bytes = rl.sign(&lkey);
    let empty_rl =
        RevocationList::new(0, ISSUED_AT, ISSUED_AT + 3600, None, vec![]).expect("empty");
    let d = delta();
    let thousand = thousand_revocations();

    let mut tampered_tl = tl_bytes.clone();
    let at = tampered_tl
        .windows(5)
        .position(|w| w == b"QNG-0")
        .expect("office code in list");
    tampered_tl[at + 4] = b'9';

    let mut mismatched = body_children_of(&tl_bytes, Profile::TrustList);
    let last = mismatched.len() - 1;
    let mut issuer = tlv::items(&mismatched[last]).to_vec();
    issuer[0] = tlv::primitive(0x80, IssuerKeyId::of(root.verifying_key()).0);
    mismatched[last] = tlv::constructed(0xA2, issuer);

    // The last issuer entry with one field replaced, re-signed by the root.
    let issuer_with = |index: usize, field: Tlv| {
        let mut children = body_children_of(&tl_bytes, Profile::TrustList);
        let last = children.len() - 1;
        let mut issuer = tlv::items(&children[last]).to_vec();
        issuer[index] = field;
        children[last] = tlv::constructed(0xA2, issuer);
        resign(children, &root)
    };
    let overridden_name = issuer_with(
        3,
        tlv::primitive(0x83, "Phòng \u{202E}HXBTĐL".as_bytes().to_vec()),
    );
    let padded_area = issuer_with(4, tlv::primitive(0x84, b"051".to_vec()));

    let mut trailing = rl_bytes.clone();
    trailing.push(0x00);

    let mut merged = rl.clone();
    merged.apply(&d).expect("delta applies");
    let newer = newer_full_list();
    let mut kept = newer.clone();
    kept.keep(&rl.missing_from(&newer));

    let vectors = vec![
        valid("trust-list-three-issuers", "A trust list with an active, a retired and a revoked issuer key.", "trust_list", tl_bytes.clone(), &root, trust_fields(&tl)),
        valid("trust-list-no-issuers", "A trust list before any office exists.", "trust_list", empty_tl.sign(&root), &root, trust_fields(&empty_tl)),
        invalid("trust-list-signed-by-another-key", "Well formed, but signed by an issuer key instead of the pinned root.", "trust_list", tl.sign(&testkit::issuer_key()), &root, "bad_signature"),
        invalid("trust-list-tampered", "One byte of an office code changed after signing.", "trust_list", tampered_tl, &root, "bad_signature"),
        invalid("trust-list-key-id-mismatch", "An issuer entry whose key id is not the identifier of its key, properly signed.", "trust_list", resign(mismatched, &root), &root, "invalid_field"),
        invalid("trust-list-office-name-with-a-direction-override", "An office name holding U+202E (right-to-left override), which would show it reversed, properly signed.", "trust_list", overridden_name, &root, "invalid_field"),
        invalid("trust-list-area-code-not-canonical", "An issuer area 051: province 51 written with a third digit, properly signed.", "trust_list", padded_area, &root, "invalid_field"),
        invalid("trust-list-given-a-revocation-list", "A revocation list where a trust list is expected (profile 06, not 03).", "trust_list", rl_bytes.clone(), &root, "invalid_field"),
        valid("revocation-list-five-cards", "A full list at version 5 with one card for each of five reasons, serials from 1 to the largest.", "revocation_list", rl_bytes.clone(), &lkey, revocation_fields(&rl)),
        valid("revocation-list-empty", "Nothing revoked yet: version 0, no entries.", "revocation_list", empty_rl.sign(&lkey), &lkey, revocation_fields(&empty_rl)),
        valid("revocation-list-thousand-cards", "A thousand serials among a hundred million, most lost, one in ten deceased or damaged: a realistic Rice parameter and exceptions.", "revocation_list", thousand.sign(&lkey), &lkey, revocation_fields(&thousand)),
        valid("revocation-delta-5-to-7", "The delta from version 5 to 7: two more cards.", "revocation_delta", d.sign(&lkey), &lkey, revocation_fields(&d)),
        invalid("revocation-list-count-beyond-the-data", "The count (86) says one more serial than the coded bytes hold, properly signed.", "revocation_list",
            with_body(&rl, Profile::RevocationList, |c| c[5] = tlv::primitive(0x86, vec![6])), &lkey, "invalid_field"),
        invalid("revocation-list-byte-after-the-coded-serials", "A zero byte after the last coded serial (88), properly signed.", "revocation_list",
            with_body(&rl, Profile::RevocationList, |c| {
                let mut coded = tlv::primitive_value("t", &c[7]).expect("primitive").to_vec();
                coded.push(0);
                c[7] = tlv::primitive(0x88, coded);
            }), &lkey, "invalid_field"),
        invalid("revocation-list-unknown-default-reason", "A default reason (89) of 07, properly signed.", "revocation_list",
            with_body(&rl, Profile::RevocationList, |c| c[8] = tlv::primitive(0x89, vec![0x07])), &lkey, "invalid_field"),
        invalid("revocation-list-exception-repeats-the-default", "An exception (8A) giving the first card the default reason, properly signed.", "revocation_list",
            with_body(&rl, Profile::RevocationList, |c| c[9] = tlv::primitive(0x8A, vec![0x00, 0x01])), &lkey, "invalid_field"),
        invalid("revocation-list-exception-beyond-the-list", "An exception (8A) for index 5 of a list of 5, properly signed.", "revocation_list",
            with_body(&rl, Profile::RevocationList, |c| c[9] = tlv::primitive(0x8A, vec![0x05, 0x02])), &lkey, "invalid_field"),
        invalid("revocation-delta-without-base-version", "A delta (profile 07) whose base version (85) is missing, properly signed.", "revocation_delta",
            with_body(&d, Profile::RevocationDelta, |c| {
                c.remove(5);
            }), &lkey, "wrong_tag"),
        invalid("revocation-list-signed-by-root", "Signed by the root key, not the revocation-list key the trust list names.", "revocation_list", rl.sign(&root), &lkey, "bad_signature"),
        invalid("revocation-list-trailing-byte", "A byte after the envelope.", "revocation_list", trailing, &lkey, "malformed"),
        invalid("trust-list-list-key-id-mismatch", "The A1 key id is the root's identifier, not the identifier of the revocation-list key beside it, properly signed.", "trust_list",
            trust_with_body(&tl, |c| {
                let mut pair = tlv::items(&c[5]).to_vec();
                pair[0] = tlv::primitive(0x80, IssuerKeyId::of(root.verifying_key()).0);
                c[5] = tlv::constructed(0xA1, pair);
            }), &root, "invalid_field"),
        invalid("trust-list-withdrawn-profile-03", "The trust list with profile 03 (withdrawn: it has no roll key), properly signed.", "trust_list",
            trust_with_body(&tl, |c| c[0] = tlv::primitive(0x80, vec![0x03])), &root, "invalid_field"),
        invalid("trust-list-without-roll-key", "The trust list without its A3 roll key: the first A2 stands where A3 is required, properly signed.", "trust_list",
            trust_with_body(&tl, |c| { c.remove(6); }), &root, "wrong_tag"),
        invalid("trust-list-roll-key-id-mismatch", "The A3 key id is the root's identifier, not the roll key's, properly signed.", "trust_list",
            trust_with_body(&tl, |c| {
                let mut pair = tlv::items(&c[6]).to_vec();
                pair[0] = tlv::primitive(0x80, IssuerKeyId::of(root.verifying_key()).0);
                c[6] = tlv::constructed(0xA3, pair);
            }), &root, "invalid_field"),
        invalid("trust-list-81-where-a1-is-required", "The revocation-list key as a primitive 81 (the A1 tag with its constructed bit cleared, the same value bytes), properly signed: another tag, so a wrong tag (§4.1 rule 4).", "trust_list",
            trust_with_body(&tl, |c| c[5] = tlv::primitive(0x81, template_value(&c[5]))), &root, "wrong_tag"),
        invalid("trust-list-82-where-a2-is-required", "The last issuer as a primitive 82 (the A2 tag with its constructed bit cleared), properly signed: a wrong tag.", "trust_list",
            trust_with_body(&tl, |c| {
                let last = c.len() - 1;
                c[last] = tlv::primitive(0x82, template_value(&c[last]));
            }), &root, "wrong_tag"),
        invalid("trust-list-office-name-with-a-bidi-control", "An office name with U+202E RIGHT-TO-LEFT OVERRIDE (a format character, §14), properly signed.", "trust_list",
            trust_list_named("UBND phường \u{202E}hnìĐ aB").sign(&root), &root, "invalid_field"),
        invalid("trust-list-office-name-with-a-zero-width-space", "An office name with U+200B ZERO WIDTH SPACE, properly signed.", "trust_list",
            trust_list_named("UBND phường Ba\u{200B}Đình").sign(&root), &root, "invalid_field"),
        invalid("trust-list-office-name-with-a-leading-no-break-space", "An office name starting with U+00A0 NO-BREAK SPACE (white space at an end), properly signed.", "trust_list",
            trust_list_named("\u{A0}UBND phường Ba Đình").sign(&root), &root, "invalid_field"),
        invalid("revocation-list-given-a-delta", "A delta (profile 07) where a full list is expected.", "revocation_list", d.sign(&lkey), &lkey, "invalid_field"),
        invalid("revocation-delta-given-a-full-list", "A full list (profile 06) where a delta is expected.", "revocation_delta", rl_bytes.clone(), &lkey, "invalid_field"),
        invalid("revocation-delta-base-above-version", "A delta whose base version (85) is 9, above its version 7, properly signed.", "revocation_delta",
            with_body(&d, Profile::RevocationDelta, |c| c[5] = tlv::primitive(0x85, vec![9])), &lkey, "invalid_field"),
        invalid("revocation-list-empty-exceptions", "An exceptions element (8A) of length 0, properly signed.", "revocation_list",
            with_body(&rl, Profile::RevocationList, |c| c[9] = tlv::primitive(0x8A, Vec::new())), &lkey, "invalid_field"),
        invalid("revocation-list-rice-parameter-41", "A Rice parameter (87) of 41, above the largest 40, properly signed.", "revocation_list",
            with_body(&rl, Profile::RevocationList, |c| c[6] = tlv::primitive(0x87, vec![41])), &lkey, "invalid_field"),
        invalid("revocation-list-count-zero-with-coded-serials", "A count (86) of 0 with the five coded serials still in 88, properly signed.", "revocation_list",
            with_body(&rl, Profile::RevocationList, |c| c[5] = tlv::primitive(0x86, vec![0])), &lkey, "invalid_field"),
        invalid("revocation-list-names-another-key", "Signed by the revocation-list key, but its signer key id (82) is the root's identifier.", "revocation_list",
            with_body(&rl, Profile::RevocationList, |c| c[2] = tlv::primitive(0x82, IssuerKeyId::of(root.verifying_key()).0)), &lkey, "invalid_field"),
        invalid("revocation-list-bad-signature-before-a-bad-field", "A default reason (89) of 07 and signed by the root: the signature is checked first (§14.1 step 2).", "revocation_list",
            {
                let mut c = body_children_of(&rl_bytes, Profile::RevocationList);
                c[8] = tlv::primitive(0x89, vec![0x07]);
                resign(c, &root)
            }, &lkey, "bad_signature"),
        invalid("trust-list-wrong-profile-before-a-bad-signature", "A revocation list (profile 06) signed by another key where a trust list is expected: the profile is checked first (§14.1 step 1).", "trust_list",
            rl.sign(&testkit::issuer_key()), &root, "invalid_field"),
    ];

    ListVectors {
        root_public_key_hex: key_hex(&root),
        revocation_list_key_hex: key_hex(&lkey),
        vectors,
        apply: ApplyVector {
            full_hex: hex::encode(rl_bytes),
            delta_hex: hex::encode(d.sign(&lkey)),
            version_after: merged.version,
            serials_after: merged
                .entries()
                .iter()
                .map(|e| e.serial.to_string())
                .collect(),
            entries_after: entry_vectors(&merged),
        },
        keep: KeepVector {
            held_hex: hex::encode(rl.sign(&lkey)),
            newer_hex: hex::encode(newer.sign(&lkey)),
            version_after: kept.version,
            entries_after: entry_vectors(&kept),
        },
    }
}
