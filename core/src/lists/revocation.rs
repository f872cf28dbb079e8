//! The revocation list (SPEC.md §15): revoked card serials with their reasons, signed by the
//! revocation-list key, full or as a delta since a version.

use crate::envelope::{Envelope, Profile, BODY_TAG};
use crate::error::{FormatError, Result};
use crate::golomb;
use crate::serial::CardSerial;
use crate::signature::{PublicKey, SigningKey};
use crate::tlv::{self, Children};

use super::leb128::{push_leb128, read_leb128};
use super::{rice_parameter, tag, uint, Head, MAX_REVOCATION_LIST_LEN};

/// Why a card was revoked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RevocationReason {
    Lost = 1,
    Stolen = 2,
    Damaged = 3,
    Deceased = 4,
    Error = 5,
    Replaced = 6,
}

impl RevocationReason {
    pub const ALL: [RevocationReason; 6] = [
        RevocationReason::Lost,
        RevocationReason::Stolen,
        RevocationReason::Damaged,
        RevocationReason::Deceased,
        RevocationReason::Error,
        RevocationReason::Replaced,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RevocationReason::Lost => "lost",
            RevocationReason::Stolen => "stolen",
            RevocationReason::Damaged => "damaged",
            RevocationReason::Deceased => "deceased",
            RevocationReason::Error => "error",
            RevocationReason::Replaced => "replaced",
        }
    }

    pub fn parse(text: &str) -> Result<Self> {
        Self::ALL
            .into_iter()
            .find(|r| r.as_str() == text.trim())
            .ok_or_else(|| {
                FormatError::field(
                    "reason",
                    format!(
                        "{text:?} is not one of lost, stolen, damaged, deceased, error, replaced"
                    ),
                )
            })
    }

    fn from_byte(b: &[u8]) -> Result<Self> {
        match b {
            [n] => Self::ALL
                .into_iter()
                .find(|r| *r as u8 == *n)
                .ok_or_else(|| {
                    FormatError::field("reason", format!("code {n:02X} is not 01 to 06"))
                }),
            _ => Err(FormatError::field("reason", "must be 1 byte")),
        }
    }
}

/// One revoked card.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Revocation {
    pub serial: CardSerial,
    pub reason: RevocationReason,
}

/// A revocation list (SPEC.md §15): full (`base_version` is `None`) or a delta holding the
/// revocations made after `base_version` up to `version`. The serials are kept as a sorted set
/// (coded with Golomb–Rice on the wire); reasons as one default reason plus the exceptions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevocationList {
    pub version: u64,
    pub issued_at: u64,
    pub next_update: u64,
    pub base_version: Option<u64>,
    serials: Vec<u64>,
    default_reason: RevocationReason,
    /// Serials whose reason is not the default, sorted.
    exceptions: Vec<(u64, RevocationReason)>,
}

impl RevocationList {
    /// Builds a list; each serial must appear once.
    pub fn new(
        version: u64,
        issued_at: u64,
        next_update: u64,
        base_version: Option<u64>,
        mut entries: Vec<Revocation>,
    ) -> Result<Self> {
        entries.sort_by_key(|e| e.serial);
        if entries.windows(2).any(|w| w[0].serial == w[1].serial) {
            return Err(FormatError::field("entries", "a serial appears twice"));
        }
        if base_version.is_some_and(|b| b > version) {
            return Err(FormatError::field(
                "base_version",
                "must not be above the version",
            ));
        }
        // The most common reason is the default (ties: the lowest code).
        let default_reason = RevocationReason::ALL
            .into_iter()
            .max_by_key(|r| {
                (
                    entries.iter().filter(|e| e.reason == *r).count(),
                    std::cmp::Reverse(*r as u8),
                )
            })
            .unwrap_or(RevocationReason::Lost);
        Ok(RevocationList {
            version,
            issued_at,
            next_update,
            base_version,
            serials: entries.iter().map(|e| e.serial.number()).collect(),
            default_reason,
            exceptions: entries
                .iter()
                .filter(|e| e.reason != default_reason)
                .map(|e| (e.serial.number(), e.reason))
                .collect(),
        })
    }

    /// Number of revoked cards in the list.
    pub fn len(&self) -> usize {
        self.serials.len()
    }

    pub fn is_empty(&self) -> bool {
        self.serials.is_empty()
    }

    /// Every revocation, in serial order.
    pub fn entries(&self) -> Vec<Revocation> {
        self.serials
            .iter()
            .map(|&s| Revocation {
                serial: CardSerial::new(s).expect("serials are checked on entry"),
                reason: self.reason_of(s),
            })
            .collect()
    }

    fn reason_of(&self, serial: u64) -> RevocationReason {
        match self.exceptions.binary_search_by_key(&serial, |e| e.0) {
            Ok(i) => self.exceptions[i].1,
            Err(_) => self.default_reason,
        }
    }

    /// Signs the list with the revocation-list key.
    pub fn sign(&self, key: &SigningKey) -> Vec<u8> {
        let profile = if self.base_version.is_some() {
            Profile::RevocationDelta
        } else {
            Profile::RevocationList
        };
        let mut body = Head {
            version: self.version,
            issued_at: self.issued_at,
            next_update: self.next_update,
            base_version: self.base_version,
        }
        .to_tlvs(profile, key);
        let k = golomb::best_parameter(&self.serials);
        body.push(tlv::primitive(
            tag::COUNT,
            tlv::encode_uint(self.serials.len() as u64),
        ));
        body.push(tlv::primitive(tag::RICE_PARAMETER, vec![k]));
        body.push(tlv::primitive(
            tag::CODED_SERIALS,
            golomb::encode(&self.serials, k),
        ));
        body.push(tlv::primitive(
            tag::DEFAULT_REASON,
            vec![self.default_reason as u8],
        ));
        if !self.exceptions.is_empty() {
            let mut coded = Vec::new();
            let mut previous = None;
            for (serial, reason) in &self.exceptions {
                let index =
                    self.serials
                        .binary_search(serial)
                        .expect("exceptions are serials of the list") as u64;
                push_leb128(&mut coded, previous.map_or(index, |p: u64| index - p - 1));
                coded.push(*reason as u8);
                previous = Some(index);
            }
            body.push(tlv::primitive(tag::EXCEPTIONS, coded));
        }
        Envelope::sign(tlv::constructed(BODY_TAG, body), key).to_bytes()
    }

    /// Parses a full list or a delta and checks its signature with the revocation-list key.
    pub fn parse_verified(bytes: &[u8], key: &PublicKey) -> Result<Self> {
        Self::parse_profiles(
            bytes,
            key,
            &[Profile::RevocationList, Profile::RevocationDelta],
        )
    }

    /// Parses a full list (profile 06; a delta is the wrong profile, `invalid_field`).
    pub fn parse_full_verified(bytes: &[u8], key: &PublicKey) -> Result<Self> {
        Self::parse_profiles(bytes, key, &[Profile::RevocationList])
    }

    /// Parses a delta (profile 07; a full list is the wrong profile, `invalid_field`).
    pub fn parse_delta_verified(bytes: &[u8], key: &PublicKey) -> Result<Self> {
        Self::parse_profiles(bytes, key, &[Profile::RevocationDelta])
    }

    fn parse_profiles(bytes: &[u8], key: &PublicKey, profiles: &[Profile]) -> Result<Self> {
        let (env, profile) = Envelope::parse_one_of(bytes, profiles, MAX_REVOCATION_LIST_LEN)?;
        let delta = profile == Profile::RevocationDelta;
        env.verify(key, profile.name())?;
        let mut c = Children::of(profile.name(), env.body())?;
        let head = Head::read(&mut c, delta)?;
        let count = uint("count", &mut c, tag::COUNT)?;
        let k = rice_parameter(c.required(tag::RICE_PARAMETER)?)?;
        let serials = golomb::decode(c.required(tag::CODED_SERIALS)?, k, count, CardSerial::MAX)?;
        let default_reason = RevocationReason::from_byte(c.required(tag::DEFAULT_REASON)?)?;
        let mut exceptions = Vec::new();
        if let Some(coded) = c.optional(tag::EXCEPTIONS)? {
            let mut pos = 0;
            let mut next_index = 0u64;
            while pos < coded.len() {
                let index = next_index
                    .checked_add(read_leb128(coded, &mut pos, "exceptions")?)
                    .filter(|i| *i < count)
                    .ok_or_else(|| FormatError::field("exceptions", "an index beyond the list"))?;
                let reason =
                    RevocationReason::from_byte(coded.get(pos..pos + 1).ok_or_else(|| {
                        FormatError::field("exceptions", "ends before a reason")
                    })?)?;
                pos += 1;
                if reason == default_reason {
                    return Err(FormatError::field(
                        "exceptions",
                        "an exception repeats the default reason",
                    ));
                }
                exceptions.push((serials[index as usize], reason));
                next_index = index + 1;
            }
            if exceptions.is_empty() {
                return Err(FormatError::field("exceptions", "present but empty"));
            }
        }
        c.finish()?;
        head.check()?;
        Ok(RevocationList {
            version: head.version,
            issued_at: head.issued_at,
            next_update: head.next_update,
            base_version: head.base_version,
            serials,
            default_reason,
            exceptions,
        })
    }

    /// The revocation of `serial`, if revoked.
    pub fn lookup(&self, serial: CardSerial) -> Option<Revocation> {
        let n = serial.number();
        self.serials.binary_search(&n).ok().map(|_| Revocation {
            serial,
            reason: self.reason_of(n),
        })
    }

    /// Applies a delta to this full list. The delta must start at this list's version and be
    /// newer; a list never goes back to an older version. A serial already revoked keeps its
    /// first reason.
    pub fn apply(&mut self, delta: &RevocationList) -> Result<()> {
        let base = delta
            .base_version
            .ok_or_else(|| FormatError::field("base_version", "not a delta"))?;
        if base != self.version {
            return Err(FormatError::field(
                "base_version",
                format!(
                    "delta starts at version {base}, the cached list is version {}",
                    self.version
                ),
            ));
        }
        if delta.version < self.version {
            return Err(FormatError::field(
                "version",
                format!(
                    "delta ends at version {}, older than the cached list's {}",
                    delta.version, self.version
                ),
            ));
        }
        self.merge(&delta.serials, |s| delta.reason_of(s));
        self.version = delta.version;
        self.issued_at = delta.issued_at;
        self.next_update = delta.next_update;
        Ok(())
    }

    /// Adds `entries` to the list; a serial already on it keeps its reason. Version and dates
    /// stay as they are.
    pub fn keep(&mut self, entries: &[Revocation]) {
        let mut added: Vec<(u64, RevocationReason)> = entries
            .iter()
            .map(|e| (e.serial.number(), e.reason))
            .collect();
        added.sort_unstable_by_key(|e| e.0);
        added.dedup_by_key(|e| e.0);
        let serials: Vec<u64> = added.iter().map(|e| e.0).collect();
        self.merge(&serials, |s| {
            added[added
                .binary_search_by_key(&s, |e| e.0)
                .expect("a serial of the added set")]
            .1
        });
    }

    /// The revocations of this list that `other` does not carry.
    pub fn missing_from(&self, other: &RevocationList) -> Vec<Revocation> {
        self.serials
            .iter()
            .filter(|s| other.serials.binary_search(s).is_err())
            .map(|&s| Revocation {
                serial: CardSerial::new(s).expect("serials are checked on entry"),
                reason: self.reason_of(s),
            })
            .collect()
    }

    /// Merges the sorted `serials` into the list, each new one with `reason_of` it.
    fn merge(&mut self, serials: &[u64], reason_of: impl Fn(u64) -> RevocationReason) {
        let mut merged = Vec::with_capacity(self.serials.len() + serials.len());
        let mut added = Vec::new();
        let (mut a, mut b) = (self.serials.iter().peekable(), serials.iter().peekable());
        loop {
            match (a.peek(), b.peek()) {
                (Some(x), Some(y)) if x < y => merged.push(*a.next().expect("peeked")),
                (Some(x), Some(y)) if x == y => {
                    merged.push(*a.next().expect("peeked"));
                    b.next();
                }
                (_, Some(_)) => {
                    let y = *b.next().expect("peeked");
                    merged.push(y);
                    added.push(y);
                }
                (Some(_), None) => merged.push(*a.next().expect("peeked")),
                (None, None) => break,
            }
        }
        if added.is_empty() {
            return;
        }
        let mut exceptions = std::mem::take(&mut self.exceptions);
        exceptions.extend(
            added
                .into_iter()
                .map(|s| (s, reason_of(s)))
                .filter(|(_, r)| *r != self.default_reason),
        );
        exceptions.sort_unstable_by_key(|e| e.0);
        self.serials = merged;
        self.exceptions = exceptions;
        self.settle_default_reason();
    }

    /// Makes the most common reason the default again (ties: the lowest code), as SPEC.md §15.1
    /// has the encoder do, after serials were added.
    fn settle_default_reason(&mut self) {
        let mut counts = [0usize; 7];
        counts[self.default_reason as usize] = self.serials.len() - self.exceptions.len();
        for (_, r) in &self.exceptions {
            counts[*r as usize] += 1;
        }
        let best = RevocationReason::ALL
            .into_iter()
            .max_by_key(|r| (counts[*r as usize], std::cmp::Reverse(*r as u8)))
            .expect("six reasons");
        if best == self.default_reason {
            return;
        }
        let reasons: Vec<(u64, RevocationReason)> = self
            .serials
            .iter()
            .map(|&s| (s, self.reason_of(s)))
            .collect();
        self.default_reason = best;
        self.exceptions = reasons.into_iter().filter(|(_, r)| *r != best).collect();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use asxh_testkit::test_key;

    fn rev(n: u64, reason: RevocationReason) -> Revocation {
        Revocation {
            serial: CardSerial::new(n).unwrap(),
            reason,
        }
    }

    #[test]
    fn reasons_survive_coding_as_a_default_and_exceptions_and_a_delta_keeps_first_reasons() {
        use RevocationReason::*;
        let key = test_key("list");
        let entries = vec![
            rev(10, Lost),
            rev(20, Lost),
            rev(30, Deceased),
            rev(40, Lost),
            rev(9_999_999_999, Replaced),
        ];
        let full = RevocationList::new(7, 1, 2, None, entries.clone()).unwrap();
        let mut parsed =
            RevocationList::parse_verified(&full.sign(&key), key.verifying_key()).unwrap();
        assert_eq!(parsed.entries(), entries);
        let delta = RevocationList::new(
            9,
            3,
            4,
            Some(7),
            vec![rev(15, Stolen), rev(16, Stolen), rev(30, Error)],
        )
        .unwrap();
        let delta = RevocationList::parse_verified(&delta.sign(&key), key.verifying_key()).unwrap();
        parsed.apply(&delta).unwrap();
        let got: Vec<(u64, RevocationReason)> = parsed
            .entries()
            .iter()
            .map(|e| (e.serial.number(), e.reason))
            .collect();
        assert_eq!(
            got,
            [
                (10, Lost),
                (15, Stolen),
                (16, Stolen),
                (20, Lost),
                (30, Deceased),
                (40, Lost),
                (9_999_999_999, Replaced)
            ]
        );
        let again =
            RevocationList::parse_verified(&parsed.sign(&key), key.verifying_key()).unwrap();
        assert_eq!(again.entries(), parsed.entries());
    }

    proptest::proptest! {
        #[test]
        fn any_list_round_trips_and_a_delta_gives_the_union(
            a in proptest::collection::btree_map(1u64..=9_999_999_999, 1u8..=6, 0..60),
            b in proptest::collection::btree_map(1u64..=9_999_999_999, 1u8..=6, 0..60),
        ) {
            let key = test_key("list");
            let to_entries = |m: &std::collections::BTreeMap<u64, u8>| m.iter().map(|(s, r)| rev(*s, RevocationReason::from_byte(&[*r]).unwrap())).collect::<Vec<_>>();
            let full = RevocationList::new(1, 1, 2, None, to_entries(&a)).unwrap();
            let mut parsed = RevocationList::parse_verified(&full.sign(&key), key.verifying_key()).unwrap();
            proptest::prop_assert_eq!(parsed.entries(), to_entries(&a));
            let delta = RevocationList::new(2, 3, 4, Some(1), to_entries(&b)).unwrap();
            parsed.apply(&RevocationList::parse_verified(&delta.sign(&key), key.verifying_key()).unwrap()).unwrap();
            let mut union = b.clone();
            union.extend(a.iter().map(|(s, r)| (*s, *r)));
            proptest::prop_assert_eq!(parsed.entries(), to_entries(&union));
        }

        #[test]
        fn parsing_a_list_never_panics(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..300)) {
            let _ = RevocationList::parse_verified(&bytes, test_key("list").verifying_key());
        }
    }

    #[test]
    fn revocation_list_and_delta_round_trip_and_apply() {
        let key = test_key("list");
        let full = RevocationList::new(
            3,
            100,
            200,
            None,
            vec![
                rev(9, RevocationReason::Lost),
                rev(2, RevocationReason::Stolen),
            ],
        )
        .unwrap();
        let mut parsed =
            RevocationList::parse_verified(&full.sign(&key), key.verifying_key()).unwrap();
        assert_eq!(parsed, full);
        let delta = RevocationList::new(
            5,
            300,
            400,
            Some(3),
            vec![rev(4, RevocationReason::Deceased)],
        )
        .unwrap();
        let d = RevocationList::parse_verified(&delta.sign(&key), key.verifying_key()).unwrap();
        assert_eq!(d.base_version, Some(3));
        parsed.apply(&d).unwrap();
        assert_eq!(parsed.version, 5);
        assert_eq!(
            parsed.lookup(CardSerial::new(4).unwrap()).unwrap().reason,
            RevocationReason::Deceased
        );
        assert!(parsed.lookup(CardSerial::new(5).unwrap()).is_none());
        assert!(
            parsed.apply(&d).is_err(),
            "a delta from an older base is refused"
        );
    }

    #[test]
    fn lists_signed_by_another_key_are_refused() {
        let key = test_key("list");
        let full = RevocationList::new(1, 1, 2, None, vec![]).unwrap();
        let err =
            RevocationList::parse_verified(&full.sign(&test_key("other")), key.verifying_key())
                .unwrap_err();
        assert_eq!(err.kind(), "bad_signature");
    }
}
