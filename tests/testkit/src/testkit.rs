//! Test support shared by the unit tests, the end-to-end tests, the vector generator and the
//! benches: deterministic keys, sample holders and entitlements, and the personalization and
//! verification sequences of SPEC.md §11 written once.

use asxh_core::card::{
    AdminCode, AuthResponse, CardClient, CardIoError as Error, LifeCycle, Pin, Transport,
};
use asxh_core::signature::{self, IssuerKeyId, PublicKey, SigningKey};
use asxh_core::{
    AreaCode, AuthorizedRecipient, CardSerial, CategoryCode, Credential, CredentialBody, Date,
    Entitlement, FormatError, Holder, IdNumber, PartialDate, PersonName, ProgramCode, Sex,
    SignedCredential, Ssn,
};
use rand_core::SeedableRng;

use crate::test_key;

use crate::{CardApp, MemoryStorage};

/// The issuer key of tests and vectors.
pub fn issuer_key() -> SigningKey {
    test_key("asxh test issuer 1")
}

/// A date written `YYYY-MM-DD` (test data: panics if invalid).
pub fn date(text: &str) -> Date {
    Date::parse("date", text).expect("test date")
}

/// A holder from text fields (test data: panics if invalid).
pub fn holder(ssn: &str, name: &str, dob: &str, sex: &str, area: &str) -> Holder {
    Holder::new(
        Ssn::parse(ssn).expect("test ssn"),
        PersonName::parse("full_name", name).expect("test name"),
        PartialDate::parse("date_of_birth", dob).expect("test dob"),
        Sex::parse(sex).expect("test sex"),
        AreaCode::parse(area).expect("test area"),
    )
    .expect("test holder")
}

/// The usual test holder: an elderly woman with a full birth date.
pub fn sample_holder() -> Holder {
    holder(
        "051146000123",
        "Trần Thị Lan",
        "1946-08-19",
        "F",
        "51.22903",
    )
}

/// An entitlement (test data: panics if invalid).
pub fn entitlement(
    program: &str,
    category: &str,
    amount: Option<u64>,
    recipient: Option<(&str, &str)>,
) -> Entitlement {
    Entitlement::new(
        ProgramCode::parse(program).expect("program"),
        CategoryCode::parse(category).expect("category"),
        amount,
        date("2026-01-01"),
        Some(date("2030-12-31")),
        recipient.map(|(name, id)| AuthorizedRecipient {
            name: PersonName::parse("authorized_recipient.name", name).expect("recipient"),
            id_number: IdNumber::parse(id).expect("id"),
        }),
    )
    .expect("test entitlement")
}

/// `n` typical entitlements (0 to 8), cycling through the programs.
pub fn entitlements(n: usize) -> Vec<Entitlement> {
    let programs = [
        ("TGXH", "NCT80", Some(500_000)),
        ("BHYT", "DT-BTXH", None),
        ("HN", "HN-2026", Some(150_000)),
        ("NCC", "TB-81", Some(2_789_000)),
        ("HCN", "HCN-2026", None),
        ("BHXH", "HUU-TRI", Some(4_200_000)),
        ("BHTN", "TCTN", Some(3_100_000)),
        ("TGXH", "NKT-NANG", Some(1_080_000)),
    ];
    programs
        .iter()
        .cycle()
        .take(n)
        .map(|(p, c, a)| entitlement(p, c, *a, None))
        .collect()
}

/// A credential body for a card key.
pub fn credential_body(
    serial: u64,
    holder: Holder,
    card_key: &PublicKey,
    issuer: &SigningKey,
    entitlements: Vec<Entitlement>,
) -> CredentialBody {
    CredentialBody::new(
        CardSerial::new(serial).expect("serial"),
        IssuerKeyId::of(issuer.verifying_key()),
        date("2026-01-15"),
        date("2036-01-14"),
        holder,
        *card_key,
        entitlements,
    )
    .expect("test body")
}

/// A blank in-memory card with the operating system's random generator.
pub fn blank_card() -> CardApp<MemoryStorage> {
    CardApp::open(MemoryStorage::new()).expect("memory storage cannot fail")
}

/// A blank in-memory card whose key generation is reproducible from `seed`.
pub fn deterministic_card(seed: u64) -> CardApp<MemoryStorage> {
    let rng = rand_chacha::ChaCha20Rng::seed_from_u64(seed);
    CardApp::open_with_rng(MemoryStorage::new(), Box::new(rng)).expect("memory storage cannot fail")
}

/// The personalization sequence of SPEC.md §11.1 with a local issuer key: SELECT, VERIFY the
/// factory administrative code, GENERATE the card key, sign, PUT DATA, optional PIN, ACTIVATE.
pub fn personalize<T: Transport>(
    client: &mut CardClient<T>,
    issuer: &SigningKey,
    serial: u64,
    holder: Holder,
    entitlements: Vec<Entitlement>,
    pin: Option<&Pin>,
) -> Result<Credential, Error> {
    let info = client.select()?;
    if !matches!(info.life_cycle, LifeCycle::Blank | LifeCycle::Personalizing) {
        return Err(Error::Response {
            command: "SELECT",
            problem: format!("card is {}, not blank", info.life_cycle.name()),
        });
    }
    client.verify_admin(&AdminCode::factory_default())?;
    let card_key = client.generate_key()?;
    let body = credential_body(serial, holder, &card_key, issuer, entitlements);
    let credential = Credential::issue(body, issuer)?;
    client.put_credential(credential.to_bytes())?;
    if let Some(p) = pin {
        client.set_pin(p)?;
    }
    client.activate()?;
    Ok(credential)
}

/// The verification sequence of SPEC.md §11.2: SELECT, GET DATA, check the issuer signature,
/// INTERNAL AUTHENTICATE over `challenge` and check it with the credential's card key.
/// Returns the credential and the card's answer; `Ok` only if both verify.
pub fn authenticate<T: Transport>(
    client: &mut CardClient<T>,
    issuer: &PublicKey,
    challenge: &[u8],
) -> Result<(Credential, AuthResponse), Error> {
    client.select()?;
    let bytes = client.read_credential()?;
    let credential = SignedCredential::parse(&bytes)?.verify(issuer)?;
    let auth = client.internal_authenticate(challenge)?;
    let body = credential.body();
    if !auth.verify(&body.card_public_key, body.serial, challenge) {
        return Err(Error::Format(FormatError::BadSignature {
            context: "INTERNAL AUTHENTICATE answer",
            key_id: hex::encode(&signature::public_key_bytes(&body.card_public_key)[1..9]),
        }));
    }
    Ok((credential, auth))
}

/// Storage that loses power after a given number of successful stores: the store that would
/// exceed it fails and leaves the previous record, as a torn write on a real card does.
#[derive(Debug, Clone, Default)]
pub struct PowerCutStorage {
    record: Option<Vec<u8>>,
    stores_left: Option<usize>,
}

impl PowerCutStorage {
    /// Storage holding `record` that cuts power after `stores` more stores (`None`: never).
    pub fn new(record: Option<Vec<u8>>, stores: Option<usize>) -> Self {
        PowerCutStorage {
            record,
            stores_left: stores,
        }
    }

    /// The record that survived.
    pub fn record(&self) -> Option<Vec<u8>> {
        self.record.clone()
    }
}

impl crate::Storage for PowerCutStorage {
    fn load(&mut self) -> Result<Option<Vec<u8>>, crate::CardError> {
        Ok(self.record.clone())
    }

    fn store(&mut self, record: &[u8]) -> Result<(), crate::CardError> {
        match &mut self.stores_left {
            Some(0) => Err(crate::CardError::PowerCut),
            Some(n) => {
                *n -= 1;
                self.record = Some(record.to_vec());
                Ok(())
            }
            None => {
                self.record = Some(record.to_vec());
                Ok(())
            }
        }
    }
}

/// Where, within one store of a [`crate::FileStorage`], [`TearingStorage`] loses power.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cut {
    /// Before the store does anything: not even the temporary file exists.
    BeforeWrite,
    /// Half the record reached the temporary file (a torn write).
    TornTemp,
    /// The temporary file holds the whole record but was not renamed over the old one.
    TempNotRenamed,
    /// Renamed, the directory not synced yet, and the rename survived the power loss.
    RenamedNotDirSynced,
    /// Renamed, the directory not synced yet, and the rename was lost with the power: the old
    /// record is back under its name and the new one is left in the temporary file.
    RenameLost,
}

impl Cut {
    /// Every cut point, in the order a store reaches them.
    pub const ALL: [Cut; 5] = [
        Cut::BeforeWrite,
        Cut::TornTemp,
        Cut::TempNotRenamed,
        Cut::RenamedNotDirSynced,
        Cut::RenameLost,
    ];

    /// Whether the new record is what the card finds after this cut.
    pub fn new_record_survives(self) -> bool {
        self == Cut::RenamedNotDirSynced
    }
}

/// A file-backed power-loss injector: a real [`crate::FileStorage`] whose store number `n`
/// (counting from 0) is stopped at a [`Cut`], after which the power is off: every later store
/// fails without touching the disk. "Powering up" is opening a new card on the same file. It
/// also records every record it stored, so a test can tell which states a cut may leave.
#[derive(Debug)]
pub struct TearingStorage {
    file: crate::FileStorage,
    cut: Option<(usize, Cut)>,
    stores: usize,
    powered: bool,
    stored: Vec<Vec<u8>>,
}

impl TearingStorage {
    /// Storage in the file `path` that loses power at `cut` (`None`: never).
    pub fn new(path: impl Into<std::path::PathBuf>, cut: Option<(usize, Cut)>) -> Self {
        TearingStorage {
            file: crate::FileStorage::new(path),
            cut,
            stores: 0,
            powered: true,
            stored: Vec::new(),
        }
    }

    /// How many stores were asked for, including the one cut and any after it.
    pub fn stores(&self) -> usize {
        self.stores
    }

    /// Whether the power was cut.
    pub fn power_lost(&self) -> bool {
        !self.powered
    }

    /// The records stored whole, in order.
    pub fn stored(&self) -> &[Vec<u8>] {
        &self.stored
    }

    fn tear(&self, record: &[u8], cut: Cut) {
        use crate::StoreStep;
        use std::io::{Error, ErrorKind};
        let lost = || Error::new(ErrorKind::Interrupted, "power lost");
        let path = self.file.path().to_path_buf();
        let old = std::fs::read(&path).ok();
        // The store's own error is the simulated power loss: nothing to report.
        let _ = self
            .file
            .store_stepwise(record, |step, tmp| match (cut, step) {
                (Cut::BeforeWrite, StoreStep::CreateTemp) => Err(lost()),
                (Cut::TornTemp, StoreStep::WriteTemp) => {
                    std::fs::write(tmp, &record[..record.len() / 2])?;
                    Err(lost())
                }
                (Cut::TempNotRenamed, StoreStep::Rename) => Err(lost()),
                (Cut::RenamedNotDirSynced, StoreStep::SyncDir) => Err(lost()),
                (Cut::RenameLost, StoreStep::SyncDir) => {
                    std::fs::rename(&path, tmp)?;
                    if let Some(old) = &old {
                        std::fs::write(&path, old)?;
                    }
                    Err(lost())
                }
                _ => Ok(()),
            });
    }
}

impl crate::Storage for TearingStorage {
    fn load(&mut self) -> Result<Option<Vec<u8>>, crate::CardError> {
        self.file.load()
    }

    fn store(&mut self, record: &[u8]) -> Result<(), crate::CardError> {
        let n = self.stores;
        self.stores += 1;
        if !self.powered {
            return Err(crate::CardError::PowerCut);
        }
        match self.cut {
            Some((at, cut)) if at == n => {
                self.powered = false;
                self.tear(record, cut);
                Err(crate::CardError::PowerCut)
            }
            _ => {
                self.file.store(record)?;
                self.stored.push(record.to_vec());
                Ok(())
            }
        }
    }
}

/// A transport that hides extended-length support, to exercise command chaining and
/// GET RESPONSE as over a reader limited to short APDUs.
pub struct ShortApdusOnly<T: Transport>(pub T);

impl<T: Transport> Transport for ShortApdusOnly<T> {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, Error> {
        self.0.transmit(command)
    }
    fn supports_extended_length(&self) -> bool {
        false
    }
}

/// An attacker's card: a genuine card application with its own key that answers GET DATA with a
/// credential copied from another card. Active authentication must expose it (SPEC.md §11.2).
pub struct CloneCard<S: crate::Storage> {
    pub inner: CardApp<S>,
    pub copied_credential: Vec<u8>,
}

impl<S: crate::Storage> asxh_core::card::CardApplication for CloneCard<S> {
    fn process_apdu(&mut self, command: &[u8]) -> Vec<u8> {
        if command.len() >= 4
            && command[1] == asxh_core::card::ins::GET_DATA
            && command[2..4] == [0x7F, 0x21]
        {
            let mut out = self.copied_credential.clone();
            out.extend_from_slice(&[0x90, 0x00]);
            return out;
        }
        self.inner.process(command)
    }
    fn power_cycle(&mut self) {
        self.inner.power_cycle();
    }
    fn atr(&self) -> Vec<u8> {
        self.inner.atr()
    }
}

/// An attacker's card that replays active authentication: it answers INTERNAL AUTHENTICATE with
/// a response recorded from the genuine card for an earlier challenge, and everything else with
/// `inner` (typically a [`CloneCard`] holding the genuine credential). The verifier's fresh
/// challenge must expose it (SPEC.md §11.2).
pub struct ReplayCard<A: asxh_core::card::CardApplication> {
    pub inner: A,
    /// The genuine card's whole answer (flags, signature, status word).
    pub recorded_answer: Vec<u8>,
}

/// Selects `genuine` and records its whole answer to INTERNAL AUTHENTICATE over `challenge`, for
/// a [`ReplayCard`].
pub fn record_active_auth(
    genuine: &mut impl asxh_core::card::CardApplication,
    challenge: &[u8],
) -> Vec<u8> {
    let mut select = vec![0x00, asxh_core::card::ins::SELECT, 0x04, 0x00];
    select.push(asxh_core::card::AID.len() as u8);
    select.extend_from_slice(&asxh_core::card::AID);
    genuine.process_apdu(&select);
    let mut auth = vec![
        0x00,
        asxh_core::card::ins::INTERNAL_AUTHENTICATE,
        0x00,
        0x00,
    ];
    auth.push(u8::try_from(challenge.len()).expect("challenge of at most 255 bytes"));
    auth.extend_from_slice(challenge);
    auth.push(0x00);
    genuine.process_apdu(&auth)
}

impl<A: asxh_core::card::CardApplication> asxh_core::card::CardApplication for ReplayCard<A> {
    fn process_apdu(&mut self, command: &[u8]) -> Vec<u8> {
        if command.len() >= 2 && command[1] == asxh_core::card::ins::INTERNAL_AUTHENTICATE {
            return self.recorded_answer.clone();
        }
        self.inner.process_apdu(command)
    }
    fn power_cycle(&mut self) {
        self.inner.power_cycle();
    }
    fn atr(&self) -> Vec<u8> {
        self.inner.atr()
    }
}

/// A reference card that adds up the time it spends answering, so that a bench can tell the
/// host's share of a flow from the card's (a real card is much slower than this one).
pub struct TimedCard {
    pub app: CardApp<MemoryStorage>,
    pub spent: std::time::Duration,
}

impl TimedCard {
    pub fn new(app: CardApp<MemoryStorage>) -> Self {
        TimedCard {
            app,
            spent: std::time::Duration::ZERO,
        }
    }
}

impl asxh_core::card::CardApplication for TimedCard {
    fn process_apdu(&mut self, command: &[u8]) -> Vec<u8> {
        let t = std::time::Instant::now();
        let r = self.app.process(command);
        self.spent += t.elapsed();
        r
    }
    fn power_cycle(&mut self) {
        self.app.power_cycle()
    }
    fn atr(&self) -> Vec<u8> {
        self.app.atr()
    }
}

/// The payment-roll key of the test trust lists.
pub fn roll_key() -> SigningKey {
    test_key("asxh test payment roll")
}

/// A trust list (version 1, issued `now`) holding [`issuer_key`] as office QNG-01 of area 51,
/// valid 2000–2099 with `status`, `list_key` as the revocation-list key and [`roll_key`] as the
/// roll key.
pub fn trust_list(
    status: asxh_core::lists::IssuerStatus,
    list_key: &PublicKey,
    now: u64,
) -> asxh_core::lists::TrustList {
    let key = issuer_key();
    asxh_core::lists::TrustList {
        version: 1,
        issued_at: now,
        next_update: now + 86_400,
        list_key: *list_key,
        roll_key: *roll_key().verifying_key(),
        issuers: vec![asxh_core::lists::IssuerEntry {
            key_id: IssuerKeyId::of(key.verifying_key()),
            public_key: *key.verifying_key(),
            office: asxh_core::lists::OfficeCode::parse("QNG-01").expect("office"),
            office_name: "Sở LĐ-TB&XH Quảng Ngãi".into(),
            area: asxh_core::AreaCode::parse("51").expect("area"),
            valid_from: date("2000-01-01"),
            valid_until: date("2099-12-31"),
            status,
        }],
    }
}

/// `count` distinct serials drawn from `1..=range` with a seeded generator, revoked as lost.
pub fn random_revocations(
    count: usize,
    range: u64,
    seed: u64,
) -> Vec<asxh_core::lists::Revocation> {
    use rand_core::RngCore;
    let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(seed);
    let mut serials = std::collections::BTreeSet::new();
    while serials.len() < count {
        serials.insert(rng.next_u64() % range + 1);
    }
    serials
        .into_iter()
        .map(|s| asxh_core::lists::Revocation {
            serial: asxh_core::CardSerial::new(s).expect("serial in range"),
            reason: asxh_core::lists::RevocationReason::Lost,
        })
        .collect()
}

/// A blank in-memory card personalized (and locked) with [`issuer_key`] for [`sample_holder`].
pub fn issued_card(
    serial: u64,
    entitlements: Vec<Entitlement>,
    pin: Option<&Pin>,
) -> CardApp<MemoryStorage> {
    let mut card = blank_card();
    let mut client = CardClient::new(asxh_core::card::InProcessTransport::new(&mut card));
    personalize(
        &mut client,
        &issuer_key(),
        serial,
        sample_holder(),
        entitlements,
        pin,
    )
    .expect("in-memory personalization");
    card
}

/// A name of exactly 100 bytes of UTF-8, the longest SPEC.md §4.7 allows.
pub const LONGEST_NAME: &str =
    "Công Tằng Tôn Nữ Thị Hoàng Hạnh Phương Nguyễn Thị Xuân Hương Trần Phạm Đỗ";

/// The body of the largest card credential SPEC.md §5.2–§5.4 allow: every field at its longest
/// (a 100-byte name, the longest area code of §4.6) and 8 entitlements with every
/// optional element, each at its longest.
pub fn largest_credential_body(
    serial: u64,
    card_key: &PublicKey,
    issuer: &SigningKey,
) -> CredentialBody {
    let longest = holder(
        "051146000123",
        LONGEST_NAME,
        "1946-08-19",
        "F",
        "99.999.99999",
    );
    let entitlement = Entitlement::new(
        ProgramCode::parse("TGXH2026").expect("program"),
        CategoryCode::parse("NKT-NANG-2026-01").expect("category"),
        Some(999_999_999_999),
        date("2026-01-01"),
        Some(date("2179-06-06")),
        Some(AuthorizedRecipient {
            name: PersonName::parse("authorized_recipient.name", LONGEST_NAME).expect("name"),
            id_number: IdNumber::parse("001175000222").expect("id"),
        }),
    )
    .expect("largest entitlement");
    credential_body(serial, longest, card_key, issuer, vec![entitlement; 8])
}

/// Signs a credential body given as raw TLV children with [`issuer_key`]: bodies a well-behaved
/// issuer could never produce, for checking that they are refused.
pub fn signed_body(children: Vec<asxh_core::tlv::Tlv>) -> Vec<u8> {
    use asxh_core::envelope::{Envelope, BODY_TAG};
    Envelope::sign(
        asxh_core::tlv::constructed(BODY_TAG, children),
        &issuer_key(),
    )
    .to_bytes()
}

/// Credentials signed by [`issuer_key`] and naming `card_key` that each break one format rule of
/// SPEC.md §5.2–§5.4, as (name, what is wrong, bytes): a card MUST refuse every one with `6A80`
/// (§8.4), since a verifier would refuse it.
pub fn refused_credentials(
    serial: u64,
    card_key: &PublicKey,
) -> Vec<(&'static str, &'static str, Vec<u8>)> {
    use asxh_core::credential::tag;
    use asxh_core::tlv::{self, Tlv};
    let issuer = issuer_key();
    let good = credential_body(serial, sample_holder(), card_key, &issuer, entitlements(1));
    let children: Vec<Tlv> = tlv::items(&good.to_tlv()).to_vec();
    let with = |number: u32, value: Vec<u8>| -> Vec<u8> {
        signed_body(
            children
                .iter()
                .map(|c| {
                    if tlv::tag_number(c) == number {
                        tlv::primitive(number, value.clone())
                    } else {
                        c.clone()
                    }
                })
                .collect(),
        )
    };
    let entitlement = |inner: Vec<Tlv>| -> Vec<u8> {
        let mut body: Vec<Tlv> = children_without(&children, 0xA0);
        body.push(tlv::constructed(0xA0, inner));
        signed_body(body)
    };
    let program = tlv::primitive(0x80, b"TGXH".to_vec());
    let category = tlv::primitive(0x81, b"NCT80".to_vec());
    let only_binding: Vec<Tlv> = children
        .iter()
        .filter(|c| [0x80, tag::SERIAL, tag::CARD_PUBLIC_KEY].contains(&tlv::tag_number(c)))
        .cloned()
        .collect();
    let mut unknown = children.clone();
    unknown.push(tlv::primitive(0x9F01, vec![0x00]));
    let mut nine = children_without(&children, 0xA0);
    nine.extend(
        entitlements(8)
            .iter()
            .chain(&entitlements(1))
            .map(Entitlement::to_tlv),
    );
    vec![
        (
            "only-profile-serial-and-key",
            "the body holds only 80, 81 and 8A (§5.2: 82 is required where 8A stands)",
            signed_body(only_binding),
        ),
        (
            "ssn-contradicts-sex",
            "SSN digit 4 says male, the holder is F (§4.4)",
            with(tag::SSN, vec![0x05, 0x10, 0x46, 0x00, 0x01, 0x23]),
        ),
        (
            "ssn-contradicts-birth-year",
            "SSN says born in 1945, the date of birth 1946 (§4.4)",
            with(tag::SSN, vec![0x05, 0x11, 0x45, 0x00, 0x01, 0x23]),
        ),
        (
            "name-not-nfc",
            "the name in Unicode NFD, decomposed (§4.7)",
            with(
                tag::NAME,
                "Tra\u{302}\u{300}n Thi\u{323} Lan".as_bytes().to_vec(),
            ),
        ),
        (
            "expiry-before-issue",
            "expires 2026-01-14, issued 2026-01-15 (§5.2)",
            with(tag::EXPIRES, date("2026-01-14").to_bytes().to_vec()),
        ),
        (
            "date-of-birth-not-a-day",
            "date of birth 1946-02-30 (§4.3)",
            with(tag::DATE_OF_BIRTH, vec![0x19, 0x46, 0x02, 0x30]),
        ),
        (
            "area-code-empty-component",
            "area code 51..22903 (§4.6)",
            with(tag::AREA, b"51..22903".to_vec()),
        ),
        (
            "unknown-body-tag",
            "a tag 9F01 after the entitlements (§4.1 rule 3)",
            signed_body(unknown),
        ),
        (
            "nine-entitlements",
            "9 entitlements, at most 8 (§5.4)",
            signed_body(nine),
        ),
        (
            "entitlement-ends-before-valid-from",
            "an entitlement of only 80 and 81: it ends before the required 83 (§5.3)",
            entitlement(vec![program.clone(), category.clone()]),
        ),
        (
            "entitlement-until-before-from",
            "an entitlement valid until 2025-12-31, from 2026-01-01 (§5.3)",
            entitlement(vec![
                program,
                category,
                tlv::primitive(0x83, date("2026-01-01").to_bytes().to_vec()),
                tlv::primitive(0x84, date("2025-12-31").to_bytes().to_vec()),
            ]),
        ),
    ]
}

fn children_without(children: &[asxh_core::tlv::Tlv], number: u32) -> Vec<asxh_core::tlv::Tlv> {
    children
        .iter()
        .filter(|c| asxh_core::tlv::tag_number(c) != number)
        .cloned()
        .collect()
}

/// A transport over a reader known to carry extended-length APDUs although it does not say so
/// (vpcd carries them, and reports neither PC/SC property of SPEC.md §7.1): the host is told by
/// configuration, as §7.1 allows. The card must still announce extended length in its ATR.
pub struct ReaderCarriesExtendedLength<T: Transport> {
    pub inner: T,
    card_announces: bool,
}

impl<T: Transport> ReaderCarriesExtendedLength<T> {
    /// Wraps `inner`, whose card's ATR is `atr`.
    pub fn new(inner: T, atr: &[u8]) -> Self {
        let card_announces = asxh_core::card::Atr::parse(atr).is_some_and(|a| a.extended_length());
        ReaderCarriesExtendedLength {
            inner,
            card_announces,
        }
    }
}

impl<T: Transport> Transport for ReaderCarriesExtendedLength<T> {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, Error> {
        self.inner.transmit(command)
    }
    fn supports_extended_length(&self) -> bool {
        self.card_announces
    }
}
