//! Targets of the signed lists a verifier downloads (SPEC.md §14–§15, §17): the trust list, the
//! revocation list (full and delta), the Golomb–Rice coding of its serials, and the payment
//! roll (full and delta).
//!
//! A list is only decoded after its signature checks, which random bytes never pass. So each
//! target reads the input as an envelope and, when that parses, signs its body again with the
//! test key the list names in the vectors and decodes that: every field decoder is reached.

use asxh_core::envelope::{Envelope, Profile};
use asxh_core::golomb;
use asxh_core::lists::roll::MAX_ROLL_LEN;
use asxh_core::lists::Roll;
use asxh_core::lists::{
    Revocation, RevocationList, RevocationReason, TrustList, MAX_REVOCATION_LIST_LEN,
    MAX_TRUST_LIST_LEN,
};
use asxh_core::view::{RevocationListView, RollView, TrustListView};
use asxh_core::{CardSerial, Date};

use crate::fixtures::keys;

/// Trust list bytes. An accepted list looks up each of its issuers, and signing it again gives
/// exactly the bytes it was read from.
pub fn trust_list(data: &[u8]) {
    let root = &keys().root;
    let _ = TrustList::parse_verified(data, root.verifying_key());
    let Ok(envelope) = Envelope::parse(data, Profile::TrustList, MAX_TRUST_LIST_LEN) else {
        return;
    };
    assert_eq!(
        envelope.to_bytes(),
        data,
        "an accepted envelope re-encodes to its bytes"
    );
    let signed = Envelope::sign(envelope.body().clone(), root).to_bytes();
    let Ok(list) = TrustList::parse_verified(&signed, root.verifying_key()) else {
        return;
    };
    for issuer in &list.issuers {
        assert_eq!(list.issuer(issuer.key_id), Some(issuer));
        let _ = issuer.trusts(issuer.valid_from);
        let _ = issuer.trusts(Date::epoch());
    }
    assert_eq!(
        list.sign(root),
        signed,
        "a trust list re-encodes to the bytes it was read from"
    );
    serde_json::to_string(&TrustListView::from(&list)).expect("a trust list view is JSON");
}

/// Revocation list bytes, full or delta. An accepted list has sorted distinct entries that
/// `lookup` finds, survives signing and reading again unchanged, and merges with a list or a
/// delta it fits.
pub fn revocation_list(data: &[u8]) {
    let key = &keys().list;
    let _ = RevocationList::parse_verified(data, key.verifying_key());
    let Ok((envelope, profile)) = Envelope::parse_one_of(
        data,
        &[Profile::RevocationList, Profile::RevocationDelta],
        MAX_REVOCATION_LIST_LEN,
    ) else {
        return;
    };
    assert_eq!(
        envelope.to_bytes(),
        data,
        "an accepted envelope re-encodes to its bytes"
    );
    let signed = Envelope::sign(envelope.body().clone(), key).to_bytes();
    let Ok(list) = RevocationList::parse_verified(&signed, key.verifying_key()) else {
        return;
    };
    assert_eq!(
        list.base_version.is_some(),
        profile == Profile::RevocationDelta,
        "a delta is exactly a list with a base version"
    );
    let entries = list.entries();
    assert_eq!(entries.len(), list.len());
    assert_eq!(list.is_empty(), entries.is_empty());
    assert!(
        entries.windows(2).all(|w| w[0].serial < w[1].serial),
        "entries are sorted and distinct"
    );
    for entry in &entries {
        assert_eq!(list.lookup(entry.serial), Some(*entry));
        if let Ok(next) = CardSerial::new(entry.serial.number() + 1) {
            let listed = entries.binary_search_by_key(&next, |e| e.serial).is_ok();
            assert_eq!(list.lookup(next).is_some(), listed);
        }
    }
    let again = RevocationList::parse_verified(&list.sign(key), key.verifying_key())
        .expect("a list read back after signing parses");
    assert_eq!(
        again, list,
        "a revocation list survives signing and reading"
    );
    serde_json::to_string(&RevocationListView::from(&list)).expect("a list view is JSON");
    check_apply(&list, &entries);
}

/// Payment roll bytes, full or delta. An accepted roll finds every entry's lines by SSN, and
/// survives signing and reading again unchanged.
pub fn payment_roll(data: &[u8]) {
    let key = &keys().roll;
    let _ = Roll::parse_verified(data, key.verifying_key());
    let Ok((envelope, profile)) =
        Envelope::parse_one_of(data, &[Profile::RollFull, Profile::RollDelta], MAX_ROLL_LEN)
    else {
        return;
    };
    let signed = Envelope::sign(envelope.body().clone(), key).to_bytes();
    let Ok(roll) = Roll::parse_verified(&signed, key.verifying_key()) else {
        return;
    };
    assert_eq!(
        roll.is_delta(),
        profile == Profile::RollDelta,
        "a delta is exactly a roll with a base version"
    );
    let entries = roll.entries();
    assert_eq!(entries.len(), roll.len());
    assert!(
        entries.windows(2).all(|w| w[0].ssn < w[1].ssn),
        "entries are sorted and distinct"
    );
    for entry in &entries {
        let found: Vec<_> = roll
            .lookup(entry.ssn)
            .expect("every entry is found")
            .iter()
            .map(|l| l.to_line())
            .collect();
        assert_eq!(found, entry.lines);
    }
    let again = Roll::parse_verified(&roll.sign(key), key.verifying_key())
        .expect("a roll read back after signing parses");
    assert_eq!(again, roll, "a roll survives signing and reading");
    serde_json::to_string(&RollView::from(&roll)).expect("a roll view is JSON");
}

/// Applies `list` as a delta to a full list at its base version, or a one-entry delta to
/// `list` when it is full; the result holds every serial of both.
fn check_apply(list: &RevocationList, entries: &[Revocation]) {
    let extra = Revocation {
        serial: CardSerial::new(1).expect("serial 1"),
        reason: RevocationReason::Damaged,
    };
    let (mut full, delta) = match list.base_version {
        Some(base) => (
            RevocationList::new(base, 0, 0, None, vec![extra]).expect("a one-entry list"),
            list.clone(),
        ),
        None => {
            let Some(version) = list.version.checked_add(1) else {
                return;
            };
            (
                list.clone(),
                RevocationList::new(version, 0, 0, Some(list.version), vec![extra])
                    .expect("a one-entry delta"),
            )
        }
    };
    full.apply(&delta)
        .expect("a delta applies to a list at its base version");
    assert_eq!(full.version, delta.version);
    for entry in entries.iter().chain([&extra]) {
        assert!(
            full.lookup(entry.serial).is_some(),
            "serial {} was lost by applying a delta",
            entry.serial
        );
    }
    assert!(
        full.clone().apply(&full).is_err(),
        "a full list is not a delta"
    );
}

/// Golomb–Rice coded serials: the first byte is the Rice parameter, the next two the count, the
/// rest the coded bits. A decoded set is strictly increasing within range and encodes back to
/// exactly the input bytes; coded with the best parameter, it decodes to itself.
pub fn golomb_rice(data: &[u8]) {
    let [k, c0, c1, coded @ ..] = data else {
        return;
    };
    let count = u64::from(u16::from_be_bytes([*c0, *c1]));
    let Ok(set) = golomb::decode(coded, *k, count, CardSerial::MAX) else {
        return;
    };
    assert_eq!(set.len() as u64, count);
    assert!(set.first().is_none_or(|s| *s >= 1), "serials start at 1");
    assert!(set.last().is_none_or(|s| *s <= CardSerial::MAX));
    assert!(
        set.windows(2).all(|w| w[0] < w[1]),
        "a decoded set is strictly increasing"
    );
    assert_eq!(
        golomb::encode(&set, *k),
        coded,
        "a decoded set encodes back to its bytes"
    );
    let best = golomb::best_parameter(&set);
    let recoded = golomb::encode(&set, best);
    assert_eq!(
        golomb::decode(&recoded, best, count, CardSerial::MAX).expect("its own coding decodes"),
        set
    );
}
