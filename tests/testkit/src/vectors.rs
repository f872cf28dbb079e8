//! The generator of the test vectors in `firmware-spec/vectors/` (SPEC.md §12):
//! `credentials.json`, `qr.json`, `apdu.json`, `lists.json` and `rolls.json`. Everything is deterministic (fixed keys,
//! RFC 6979 signatures, a seeded card random generator), so the files can be regenerated and
//! compared byte for byte; `tests/vectors.rs` fails when they differ.

use asxh_core::card::CardIoError as Error;
use asxh_core::card::{
    AdminCode, CardClient, InProcessTransport, Pin, Transport, AID, REFERENCE_ATR,
};
use asxh_core::envelope::{Envelope, ENVELOPE_TAG};
use asxh_core::signature::{self, SigningKey};
use asxh_core::tlv::{self, Tlv};
use asxh_core::view::CredentialView;
use asxh_core::{Credential, QrBody, QrCredential};
use serde::{Deserialize, Serialize};

use crate::test_key;

use crate::testkit::{self, holder};
use crate::{CardApp, MemoryStorage};

/// Seed of the card random generator used for `apdu.json`.
pub const CARD_SEED: u64 = 20261125;
/// The serial of the card personalized in `apdu.json`.
pub const APDU_SERIAL: u64 = 1000001;

/// One entry of `credentials.json` or `qr.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CredentialVector {
    pub name: String,
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credential_hex: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qr_text: Option<String>,
    pub issuer_public_key_hex: String,
    /// `valid`, or the error kind a verifier must report (SPEC.md §5.5).
    pub expect: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fields: Option<CredentialView>,
}

/// One command/response pair of `apdu.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exchange {
    pub note: String,
    pub command_hex: String,
    pub response_hex: String,
}

/// A sequence of exchanges on one card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sequence {
    pub name: String,
    pub description: String,
    /// `blank` (a fresh card from [`CARD_SEED`]) or the name of the sequence it continues.
    pub starts_from: String,
    pub exchanges: Vec<Exchange>,
}

/// The content of `apdu.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApduVectors {
    pub aid_hex: String,
    pub atr_hex: String,
    pub card_rng: String,
    pub issuer_public_key_hex: String,
    pub sequences: Vec<Sequence>,
}

fn key_hex(key: &SigningKey) -> String {
    hex::encode(signature::public_key_bytes(key.verifying_key()))
}

fn other_issuer() -> SigningKey {
    test_key("asxh test issuer 2 (not trusted)")
}

/// A card key for vector `n` (credentials only need its public half).
fn card_key(n: u32) -> SigningKey {
    test_key(&format!("asxh vector card {n}"))
}

fn long_name() -> &'static str {
    "Công Tằng Tôn Nữ Thị Hoàng Hạnh Phương Nguyễn Thị Xuân Hương"
}

fn valid_credentials() -> Vec<(&'static str, &'static str, Credential)> {
    let issuer = testkit::issuer_key();
    let mk = |n: u32, serial: u64, h, ents| {
        Credential::issue(
            testkit::credential_body(serial, h, card_key(n).verifying_key(), &issuer, ents),
            &issuer,
        )
        .expect("vector credential")
    };
    vec![
        ("valid-0-entitlements", "A card with no entitlement yet (card issued before programs are attached).",
            mk(1, 1, testkit::sample_holder(), vec![])),
        ("valid-1-entitlement-with-recipient", "One social-assistance entitlement collected by an authorised guardian.",
            mk(2, 2, holder("001204000017", "Phạm Văn Minh", "2004-03", "M", "01.00004"),
                vec![testkit::entitlement("TGXH", "NKT-NANG", Some(1_080_000), Some(("Phạm Thị Hoa", "001175000222")))])),
        ("valid-8-entitlements", "The largest number of entitlements a card carries.",
            mk(3, 3, testkit::sample_holder(), testkit::entitlements(8))),
        ("valid-year-only-birth-date", "Birth date known only to the year (BCD 2 bytes), as in many old records.",
            mk(4, 4, holder("045138000999", "Hồ Thị Tư", "1938", "F", "45.19468"), testkit::entitlements(2))),
        ("valid-long-vietnamese-name", "A long name with many combining-heavy Vietnamese letters (NFC, near the 100-byte limit).",
            mk(5, 9_999_999_999, holder("046152000001", long_name(), "1952-12-01", "F", "46.429.19924"), testkit::entitlements(1))),
    ]
}

/// Re-signs a body whose fields were edited as raw TLV (for vectors that a well-behaved issuer
/// could never produce).
fn resign(body: Vec<Tlv>, key: &SigningKey) -> Vec<u8> {
    Envelope::sign(tlv::constructed(asxh_core::envelope::BODY_TAG, body), key).to_bytes()
}

fn body_children(cred: &Credential) -> Vec<Tlv> {
    body_children_of(cred.to_bytes(), asxh_core::envelope::Profile::CardV1)
}

/// The body elements of a signed envelope this generator made.
fn body_children_of(bytes: &[u8], profile: asxh_core::envelope::Profile) -> Vec<Tlv> {
    let env = Envelope::parse(bytes, profile, 1 << 20).expect("own envelope");
    tlv::items(env.body()).to_vec()
}

fn replace(children: &mut [Tlv], tag: u32, value: Vec<u8>) {
    for c in children.iter_mut() {
        if tlv::tag_number(c) == tag {
            *c = tlv::primitive(tag, value.clone());
        }
    }
}

/// `credentials.json`.
pub fn credential_vectors() -> Vec<CredentialVector> {
    let issuer = testkit::issuer_key();
    let issuer_hex = key_hex(&issuer);
    let mut out: Vec<CredentialVector> = valid_credentials()
        .into_iter()
        .map(|(name, description, c)| CredentialVector {
            name: name.into(),
            description: description.into(),
            credential_hex: Some(hex::encode(c.to_bytes())),
            qr_text: None,
            issuer_public_key_hex: issuer_hex.clone(),
            expect: "valid".into(),
            fields: Some(CredentialView::from(c.body())),
        })
        .collect();
    let base = valid_credentials().remove(2).2;
    let base_bytes = base.to_bytes().to_vec();
    let invalid = |name: &str, description: &str, bytes: Vec<u8>, expect: &str| CredentialVector {
        name: name.into(),
        description: description.into(),
        credential_hex: Some(hex::encode(bytes)),
        qr_text: None,
        issuer_public_key_hex: issuer_hex.clone(),
        expect: expect.into(),
        fields: None,
    };
    let mut tampered = base_bytes.clone();
    let name_at = tampered
        .windows(3)
        .position(|w| w == "Lan".as_bytes())
        .expect("name in body");
    tampered[name_at] = b'M';
    out.push(invalid(
        "tampered-body-byte",
        "One byte of the holder name changed (Lan → Man) after signing.",
        tampered,
        "bad_signature",
    ));
    let mut flipped_sig = base_bytes.clone();
    let last = flipped_sig.len() - 1;
    flipped_sig[last] ^= 0x01;
    out.push(invalid(
        "tampered-signature-byte",
        "Last bit of s flipped.",
        flipped_sig,
        "bad_signature",
    ));
    out.push(invalid(
        "signed-by-another-key",
        "Body names the trusted issuer key but was signed by another key.",
        resign(body_children(&base), &other_issuer()),
        "bad_signature",
    ));
    out.push(invalid(
        "truncated",
        "The last 10 bytes are missing.",
        base_bytes[..base_bytes.len() - 10].to_vec(),
        "malformed",
    ));
    let mut trailing = base_bytes.clone();
    trailing.push(0x00);
    out.push(invalid(
        "trailing-byte",
        "One extra byte after the envelope.",
        trailing,
        "malformed",
    ));
    let mut wrong_tag = base_bytes.clone();
    wrong_tag[1] = 0x22;
    out.push(invalid(
        "wrong-outer-tag",
        "Outer tag 7F22 instead of 7F21.",
        wrong_tag,
        "wrong_tag",
    ));
    let reencoded = {
        // 7F21 with its length written in a longer form than needed.
        let inner = tlv::decode("v", &base_bytes, ENVELOPE_TAG, 4096).expect("own");
        let content: Vec<u8> = tlv::items(&inner).iter().flat_map(Tlv::to_vec).collect();
        let mut v = vec![0x7F, 0x21, 0x83, 0x00];
        v.extend_from_slice(&(content.len() as u16).to_be_bytes());
        v.extend_from_slice(&content);
        v
    };
    out.push(invalid(
        "non-minimal-length",
        "Envelope length written as 83 00 xx xx: BER allows it, SPEC.md does not.",
        reencoded,
        "malformed",
    ));
    let mut bad_ssn = body_children(&base);
    replace(&mut bad_ssn, 0x85, vec![0x05, 0x10, 0x46, 0x00, 0x01, 0x23]);
    out.push(invalid(
        "bad-ssn-sex-mismatch",
        "Validly signed, but the SSN's century/sex digit says male (0) while the holder is F.",
        resign(bad_ssn, &issuer),
        "invalid_field",
    ));
    let mut bad_ssn_shape = body_children(&base);
    replace(
        &mut bad_ssn_shape,
        0x85,
        vec![0x05, 0x11, 0x46, 0x00, 0x01, 0x2A],
    );
    out.push(invalid(
        "bad-ssn-not-bcd",
        "Validly signed, but the SSN's last nibble is A.",
        resign(bad_ssn_shape, &issuer),
        "invalid_field",
    ));
    let mut padded_area = body_children(&base);
    replace(&mut padded_area, 0x89, b"51.022903".to_vec());
    out.push(invalid(
        "bad-area-code-not-canonical",
        "Validly signed, but the area is 51.022903: commune 22903 written with six digits.",
        resign(padded_area, &issuer),
        "invalid_field",
    ));
    let mut unknown = body_children(&base);
    unknown.push(tlv::primitive(0x9F01, vec![0x00]));
    out.push(invalid(
        "unknown-body-tag",
        "Validly signed, but the body has a tag SPEC.md does not define.",
        resign(unknown, &issuer),
        "wrong_tag",
    ));
    let mut qr_profile = body_children(&base);
    replace(&mut qr_profile, 0x80, vec![0x02]);
    out.push(invalid(
        "wrong-profile",
        "A card body that claims the QR profile 02.",
        resign(qr_profile, &issuer),
        "invalid_field",
    ));
    out.extend(conformance_credential_vectors());
    out
}

/// The failure kind (SPEC.md §5.5) of each of [`testkit::refused_credentials`].
fn refused_kind(name: &str) -> &'static str {
    match name {
        "only-profile-serial-and-key" | "unknown-body-tag" | "nine-entitlements" => "wrong_tag",
        "entitlement-ends-before-valid-from" => "malformed",
        _ => "invalid_field",
    }
}

/// Vectors of what SPEC.md §4.1 and §5.4 settle: the largest card credential the body allows,
/// and every credential a card refuses at PUT DATA (§8.4), each with the failure a verifier
/// reports (a required tag missing before another tag is a wrong tag, at the end of a template
/// malformed; a ninth entitlement is a repeated tag).
fn conformance_credential_vectors() -> Vec<CredentialVector> {
    let issuer = testkit::issuer_key();
    let issuer_hex = key_hex(&issuer);
    let largest = Credential::issue(
        testkit::largest_credential_body(9_999_999_998, card_key(20).verifying_key(), &issuer),
        &issuer,
    )
    .expect("largest credential");
    let mut out = vec![CredentialVector {
        name: "valid-largest".into(),
        description: format!("The largest card credential SPEC.md §5.2-§5.4 allow: {} bytes (100-byte names, a 27-character area code, 8 entitlements with every element at its longest).", largest.to_bytes().len()),
        credential_hex: Some(hex::encode(largest.to_bytes())),
        qr_text: None,
        issuer_public_key_hex: issuer_hex.clone(),
        expect: "valid".into(),
        fields: Some(CredentialView::from(largest.body())),
    }];
    let key = *card_key(21).verifying_key();
    out.extend(
        testkit::refused_credentials(21, &key)
            .into_iter()
            .map(|(name, what, bytes)| CredentialVector {
                name: format!("refused-{name}"),
                description: format!(
                    "Validly signed, but {what}; a card refuses it at PUT DATA (6A80)."
                ),
                credential_hex: Some(hex::encode(bytes)),
                qr_text: None,
                issuer_public_key_hex: issuer_hex.clone(),
                expect: refused_kind(name).into(),
                fields: None,
            }),
    );
    out
}

fn qr_of(cred: &Credential, key: &SigningKey) -> QrCredential {
    QrCredential::issue(QrBody::for_card(cred.body()), key).expect("vector QR")
}

/// `qr.json`.
pub fn qr_vectors() -> Vec<CredentialVector> {
    let issuer = testkit::issuer_key();
    let issuer_hex = key_hex(&issuer);
    let typical = Credential::issue(
        testkit::credential_body(
            123456,
            holder(
                "051146000123",
                "Nguyễn Thị Thanh Hương Lan",
                "1946-08-19",
                "F",
                "51.22903",
            ),
            card_key(10).verifying_key(),
            &issuer,
            testkit::entitlements(3),
        ),
        &issuer,
    )
    .expect("typical");
    let creds = valid_credentials();
    let valid = [
        (
            "valid-typical",
            "A typical card: 25-character Vietnamese name, 3 entitlements.",
            qr_of(&typical, &issuer),
        ),
        (
            "valid-0-entitlements",
            "No entitlement.",
            qr_of(&creds[0].2, &issuer),
        ),
        (
            "valid-recipient-year-month-birth",
            "Year-month birth date and an authorised guardian.",
            qr_of(&creds[1].2, &issuer),
        ),
        (
            "valid-8-entitlements",
            "The largest number of entitlements.",
            qr_of(&creds[2].2, &issuer),
        ),
    ];
    let mut out: Vec<CredentialVector> = valid
        .iter()
        .map(|(name, description, q)| CredentialVector {
            name: (*name).into(),
            description: (*description).into(),
            credential_hex: None,
            qr_text: Some(q.text().into()),
            issuer_public_key_hex: issuer_hex.clone(),
            expect: "valid".into(),
            fields: Some(CredentialView::from(q.body())),
        })
        .collect();
    let invalid = |name: &str, description: &str, text: String, expect: &str| CredentialVector {
        name: name.into(),
        description: description.into(),
        credential_hex: None,
        qr_text: Some(text),
        issuer_public_key_hex: issuer_hex.clone(),
        expect: expect.into(),
        fields: None,
    };
    let typical_qr = &valid[0].2;
    let bytes = base45::decode(&typical_qr.text()[6..]).expect("own base45");
    let mut tampered = bytes.clone();
    let at = tampered
        .windows(4)
        .position(|w| w == b"TGXH")
        .expect("program");
    tampered[at + 3] = b'Y';
    out.push(invalid(
        "tampered",
        "Program code TGXH changed to TGXY after signing.",
        format!("ASXH1:{}", base45::encode(&tampered)),
        "bad_signature",
    ));
    let forged = Envelope::sign(QrBody::for_card(typical.body()).to_tlv(), &other_issuer());
    out.push(invalid(
        "signed-by-another-key",
        "Signed by an untrusted key, naming the trusted key id.",
        format!("ASXH1:{}", base45::encode(forged.to_bytes())),
        "bad_signature",
    ));
    out.push(invalid(
        "wrong-prefix",
        "Prefix ASXH2: (unknown version).",
        typical_qr.text().replacen("ASXH1:", "ASXH2:", 1),
        "malformed",
    ));
    out.push(invalid(
        "not-base45",
        "Contains a character outside the base45 alphabet.",
        format!("{}#", typical_qr.text()),
        "malformed",
    ));
    out.push(invalid(
        "card-credential-in-qr",
        "A card credential (profile 01) carried as QR text.",
        format!("ASXH1:{}", base45::encode(typical.to_bytes())),
        "invalid_field",
    ));
    out
}

/// A transport that records every exchange; it can also hide extended-length support to
/// record the short-APDU path.
struct Recorder {
    inner: InProcessTransport<VectorCard>,
    short_only: bool,
    log: Vec<Exchange>,
}

impl Transport for Recorder {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, Error> {
        let response = self.inner.transmit(command)?;
        self.log.push(Exchange {
            note: describe(command),
            command_hex: hex::encode_upper(command),
            response_hex: hex::encode_upper(&response),
        });
        Ok(response)
    }
    fn supports_extended_length(&self) -> bool {
        !self.short_only && self.inner.supports_extended_length()
    }
}

/// A short description of a command for the `note` of an exchange.
fn describe(command: &[u8]) -> String {
    use asxh_core::card::ins;
    let (cla, i, p1, p2) = match command {
        [a, b, c, d, ..] => (*a, *b, *c, *d),
        _ => return "truncated APDU".into(),
    };
    let name = match i {
        ins::SELECT => "SELECT".to_string(),
        ins::GET_DATA => format!("GET DATA {p1:02X}{p2:02X}"),
        ins::PUT_DATA => format!("PUT DATA {p1:02X}{p2:02X}"),
        ins::GENERATE_ASYMMETRIC_KEY_PAIR if p1 == 0x80 => "GENERATE ASYMMETRIC KEY PAIR".into(),
        ins::GENERATE_ASYMMETRIC_KEY_PAIR => "read public key".into(),
        ins::VERIFY => match p2 {
            0x81 => "VERIFY holder PIN".into(),
            0x83 => "VERIFY administrative code".into(),
            other => format!("VERIFY key reference {other:02X}"),
        },
        ins::CHANGE_REFERENCE_DATA if p1 == 0x01 => "CHANGE REFERENCE DATA (set holder PIN)".into(),
        ins::CHANGE_REFERENCE_DATA => "CHANGE REFERENCE DATA".into(),
        ins::RESET_RETRY_COUNTER => "RESET RETRY COUNTER".into(),
        ins::INTERNAL_AUTHENTICATE => "INTERNAL AUTHENTICATE".into(),
        ins::ACTIVATE_FILE => "ACTIVATE FILE".into(),
        ins::DEACTIVATE_FILE => "DEACTIVATE FILE".into(),
        ins::TERMINATE_DF => "TERMINATE DF".into(),
        ins::GET_RESPONSE => "GET RESPONSE".into(),
        other => format!("INS {other:02X}"),
    };
    if cla & asxh_core::apdu::CLA_CHAINING != 0 {
        format!("{name} (chained, more follows)")
    } else {
        name
    }
}

/// The challenge used in `apdu.json`: bytes 00 to 1F.
pub fn apdu_challenge() -> Vec<u8> {
    (0u8..32).collect()
}

type VectorCard = CardApp<MemoryStorage>;
type VectorClient = CardClient<Recorder>;

/// Powers `card` up, runs `f` against it and returns the card and what went over the wire.
fn record(
    card: VectorCard,
    short_only: bool,
    f: impl FnOnce(&mut VectorClient) -> Result<(), Error>,
) -> (VectorCard, Vec<Exchange>) {
    let mut client = CardClient::new(Recorder {
        inner: InProcessTransport::new(card),
        short_only,
        log: Vec::new(),
    });
    f(&mut client).expect("vector sequence runs as recorded");
    let rec = client.into_transport();
    (rec.inner.into_app(), rec.log)
}

/// Sends raw command APDUs (for the error cases), ignoring their status words.
fn send_raw(client: &mut VectorClient, commands: &[&str]) -> Result<(), Error> {
    for c in commands {
        let bytes = hex::decode(c.replace(' ', "")).expect("vector hex");
        client.transport_mut().transmit(&bytes)?;
    }
    Ok(())
}

/// `apdu.json`.
pub fn apdu_vectors() -> ApduVectors {
    let issuer = testkit::issuer_key();
    let pin = Pin::parse("2468").expect("pin");
    let challenge = apdu_challenge();
    let mut sequences = Vec::new();

    let (card, log) = record(testkit::deterministic_card(CARD_SEED), false, |c| {
        testkit::personalize(
            c,
            &issuer,
            APDU_SERIAL,
            testkit::sample_holder(),
            testkit::entitlements(3),
            Some(&pin),
        )?;
        c.select().map(drop)
    });
    sequences.push(Sequence {
        name: "personalization".into(),
        description: "A blank card personalized with extended-length APDUs: SELECT, VERIFY the factory administrative code 12345678, GENERATE the card key, PUT DATA the credential signed by the test issuer, set holder PIN 2468, ACTIVATE (lock), SELECT again.".into(),
        starts_from: "blank".into(),
        exchanges: log,
    });

    let (card, log) = record(card, false, |c| {
        c.select()?;
        c.read_credential()?;
        c.internal_authenticate(&challenge)?;
        c.verify_pin(&Pin::parse("1111").expect("pin"))?;
        c.verify_pin(&pin)?;
        c.internal_authenticate(&challenge).map(drop)
    });
    sequences.push(Sequence {
        name: "verification".into(),
        description: "A payment point reads and authenticates the card: SELECT, GET DATA 7F21 (extended Le), INTERNAL AUTHENTICATE over challenge 00..1F, a wrong PIN (63C2), the right PIN, INTERNAL AUTHENTICATE again (flags now say PIN verified).".into(),
        starts_from: "personalization".into(),
        exchanges: log,
    });

    let (card, log) = record(card, true, |c| {
        c.select()?;
        c.read_credential().map(drop)
    });
    sequences.push(Sequence {
        name: "short-apdus".into(),
        description: "The credential read with short APDUs only: GET DATA with Le=00 answers 256 bytes and 61XX, GET RESPONSE fetches the rest.".into(),
        starts_from: "verification".into(),
        exchanges: log,
    });

    let (card, log) = record(card, false, |c| {
        send_raw(
            c,
            &[
                "00 CA 7F 21 00",
                "00 A4 04 00 05 F0 41 53 58 48",
                "00 A4 04 00 07 F0 41 53 58 48 00 01 00",
                "80 CA 7F 21 00",
                "00 FF 00 00",
                "00 A4 01 00 07 F0 41 53 58 48 00 01",
                "00 CA 01 01 00",
                "00 20 00 81 03 31 32 33",
                "00 20 00 82",
                "00 47 80 00 00",
                "00 DA 7F 21 03 7F 21 00",
                "00 44 00 00",
                "00 88 00 00 04 01 02 03 04 00",
                "10 CA 7F 21 00",
                "00 CA 7F",
                "00 DA 7F 21 00 00 00",
                "00 C0 00 00 00",
                "00 E6 00 00",
                "00 20 00 83 10 30 30 30 30 30 30 30 30 FF FF FF FF FF FF FF FF",
                "00 24 01 81 08 31 32 FF FF FF FF FF FF",
            ],
        )
    });
    sequences.push(Sequence {
        name: "errors".into(),
        description: "Malformed or forbidden commands on the issued card and the status word each gets: before SELECT (6985), unknown AID (6A82), CLA 80 (6E00), unknown INS (6D00), bad P1 (6A86), unknown data object (6A88), wrong PIN block length (6700), unknown key reference (6A86), writes on an issued card (6985), challenge too short (6700), chaining on GET DATA (6884), a 3-byte APDU (6700), PUT DATA with no data and an extended Le of 0000 (6700), GET RESPONSE with nothing pending (6985), TERMINATE without the administrative code (6982), a wrong administrative code (63C4), a malformed PIN block (6A80).".into(),
        starts_from: "short-apdus".into(),
        exchanges: log,
    });
    sequences.extend(conformance_sequences(card));

    ApduVectors {
        aid_hex: hex::encode_upper(AID),
        atr_hex: hex::encode_upper(REFERENCE_ATR),
        card_rng: format!("ChaCha20Rng::seed_from_u64({CARD_SEED}) (rand_chacha 0.3); a P-256 key is drawn with p256::SecretKey::random"),
        issuer_public_key_hex: key_hex(&issuer),
        sequences,
    }
}

const SELECT_NO_FCI: &str = "00 A4 04 0C 07 F0 41 53 58 48 00 01";
const SELECT_FCI: &str = "00 A4 04 00 07 F0 41 53 58 48 00 01 00";
const VERIFY_FACTORY_ADMIN: &str = "00 20 00 83 10 31 32 33 34 35 36 37 38 FF FF FF FF FF FF FF FF";
const VERIFY_WRONG_ADMIN: &str = "00 20 00 83 10 30 30 30 30 30 30 30 30 FF FF FF FF FF FF FF FF";
const CHAINED_PART: &str = "10 DA 7F 21 03 7F 21 81";

/// INTERNAL AUTHENTICATE over [`apdu_challenge`], as hex.
fn internal_authenticate_hex() -> String {
    format!("00 88 00 00 20 {} 00", hex::encode(apdu_challenge()))
}

/// Sends a PUT DATA of `credential` (extended length when longer than 255 bytes), ignoring the
/// status word.
fn put_raw(client: &mut VectorClient, credential: &[u8]) -> Result<(), Error> {
    let cmd = asxh_core::apdu::CommandApdu::new(0x00, asxh_core::card::ins::PUT_DATA, 0x7F, 0x21)
        .data(credential.to_vec());
    client.transport_mut().transmit(&cmd.to_bytes()).map(drop)
}

/// The sequences that pin the rules SPEC.md §7–§9 settle for an implementer (malformed code
/// blocks, blocking of both codes, PINs set by the office, chains given up or too long, what
/// PUT DATA checks, GENERATE without Le), continuing `card` (the card after `errors`) or on
/// fresh blank cards.
fn conformance_sequences(card: VectorCard) -> Vec<Sequence> {
    let challenge = internal_authenticate_hex();
    let mut out = Vec::new();
    let (card, log) = record(card, false, |c| {
        send_raw(
            c,
            &[
                SELECT_NO_FCI,
                "00 20 00 81 08 31 32 33 FF FF FF FF FF",
                "00 20 00 81 08 31 32 A3 34 FF FF FF FF",
                "00 20 00 81 08 31 32 33 34 FF 35 FF FF",
                "00 20 00 81 08 31 32 33 34 00 00 00 00",
                "00 20 00 81",
                "00 20 00 83 10 31 32 33 34 35 36 37 FF FF FF FF FF FF FF FF FF",
                "00 20 00 83 10 31 32 33 34 35 36 37 38 20 FF FF FF FF FF FF FF",
                "00 20 00 83 10 31 32 33 34 35 36 37 38 7F FF FF FF FF FF FF FF",
                "00 20 00 83 10 31 32 33 34 35 36 37 38 80 FF FF FF FF FF FF FF",
                "00 20 00 83 10 31 32 33 34 35 36 37 38 00 FF FF FF FF FF FF FF",
                "00 24 00 81 10 31 32 33 FF FF FF FF FF 31 33 35 37 FF FF FF FF",
                "00 24 00 83 20 31 32 33 34 35 36 37 38 FF FF FF FF FF FF FF FF 31 32 33 34 35 36 37 FF FF FF FF FF FF FF FF FF",
                SELECT_FCI,
                VERIFY_FACTORY_ADMIN,
            ],
        )
    });
    out.push(Sequence {
        name: "malformed-code-blocks".into(),
        description: "Malformed PIN and administrative-code blocks are refused with 6A80 and cost no try (SPEC.md §7.3 step 5, §9.1, §9.2): PIN blocks of 3 digits, with a non-digit, with a digit after the padding, padded with 00; VERIFY without data then still says 63C3; administrative-code blocks of 7 characters and padded with 20, 7F, 80 and 00 (five of them, which would block a code if they counted); CHANGE REFERENCE DATA with a malformed old PIN block and with a malformed new administrative code; the FCI still shows 3 PIN tries and the 4 administrative-code tries the errors sequence left; the right administrative code then verifies.".into(),
        starts_from: "errors".into(),
        exchanges: log,
    });

    let (card, log) = record(card, false, |c| {
        send_raw(
            c,
            &[
                SELECT_NO_FCI,
                "00 20 00 81 08 31 31 31 31 FF FF FF FF",
                "00 20 00 81 08 31 31 31 31 FF FF FF FF",
                "00 20 00 81 08 31 31 31 31 FF FF FF FF",
                "00 20 00 81 08 32 34 36 38 FF FF FF FF",
                "00 20 00 81",
                &challenge,
                VERIFY_FACTORY_ADMIN,
                "00 2C 02 81 08 31 33 35 37 FF FF FF FF",
                "00 20 00 81",
                &challenge,
                "00 20 00 81 08 31 33 35 37 FF FF FF FF",
                "00 24 01 81 08 32 34 36 38 FF FF FF FF",
                "00 20 00 81",
                "00 20 00 81 08 32 34 36 38 FF FF FF FF",
                &challenge,
            ],
        )
    });
    out.push(Sequence {
        name: "pin-blocking".into(),
        description: "The holder PIN blocks and the office resets it (SPEC.md §8.5, §8.7, §8.8, §9.3): three wrong PINs answer 63C2, 63C1 and 63C0 (the last try used), then the right PIN and VERIFY without data get 6983; INTERNAL AUTHENTICATE still signs, flags 06 (set, blocked); RESET RETRY COUNTER with the administrative code sets PIN 1357, which is then not verified (63C3, flags 02); the holder verifies 1357; CHANGE REFERENCE DATA 01 81 (the office sets 2468) leaves it not verified again (63C3); 2468 verifies and the flags say 03.".into(),
        starts_from: "malformed-code-blocks".into(),
        exchanges: log,
    });

    let receipt_body = apdu_receipt_body().to_bytes();
    let (card, log) = record(card, false, |c| {
        c.select()?;
        c.read_credential()?;
        c.internal_authenticate(&apdu_challenge())?;
        c.sign_receipt(&receipt_body)?;
        c.verify_pin(&Pin::parse("2468").expect("pin"))?;
        c.sign_receipt(&receipt_body)?;
        let body = hex::encode(&receipt_body);
        let mut trailing = receipt_body.clone();
        trailing.push(0);
        let trailing = format!(
            "00 2A 9E 9A {:02X} {} 00",
            trailing.len(),
            hex::encode(&trailing)
        );
        send_raw(
            c,
            &[
                &format!("00 2A 9E 9B {:02X} {body} 00", receipt_body.len()),
                &trailing,
                "00 2A 9E 9A 0F 7F 4E 0D 00 00 00 00 00 00 00 00 00 00 00 00 00 00",
                "00 2A 9E 9A 10 7F 4F 0E 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00",
            ],
        )
    });
    out.push(Sequence {
        name: "receipt".into(),
        description: format!("A payment after verification (SPEC.md §8.13, §11.3): SELECT, GET DATA, INTERNAL AUTHENTICATE, then PERFORM SECURITY OPERATION over the receipt body {} (750.000 đ to the holder); the card answers flags 02 (PIN set) ‖ signature over \"ASXH-RC-V1\" ‖ serial ‖ flags ‖ body. After the holder PIN, the same body signed with flags 03. Then refused: P2 9B (6A86), the body with a byte after it (6A80), 15 bytes (6700), a TLV that is not 7F4E (6A80).", apdu_receipt_body().id),
        starts_from: "pin-blocking".into(),
        exchanges: log,
    });

    let (_, log) = record(card, false, |c| {
        let mut commands = vec![SELECT_NO_FCI];
        commands.extend([VERIFY_WRONG_ADMIN; 5]);
        commands.extend([
            VERIFY_FACTORY_ADMIN,
            "00 20 00 83",
            "00 24 00 83 20 31 32 33 34 35 36 37 38 FF FF FF FF FF FF FF FF 31 32 33 34 35 36 37 38 39 FF FF FF FF FF FF FF",
            "00 04 00 00",
            "00 E6 00 00",
            "00 2C 02 81 08 31 33 35 37 FF FF FF FF",
            &challenge,
            "00 CA 7F 21 00 00 00",
            SELECT_FCI,
        ]);
        send_raw(c, &commands)
    });
    out.push(Sequence {
        name: "admin-code-blocking".into(),
        description: "The administrative code blocks (SPEC.md §9.2): five wrong codes answer 63C4 to 63C0; then VERIFY with the right code, VERIFY without data and CHANGE REFERENCE DATA of the code answer 6983 (commands that present the code), while DEACTIVATE, TERMINATE and RESET RETRY COUNTER answer 6982 (commands that need it verified); the holder still authenticates and reads the credential; the FCI shows C4 00.".into(),
        starts_from: "receipt".into(),
        exchanges: log,
    });

    let issuer = testkit::issuer_key();
    let (_, log) = record(testkit::deterministic_card(CARD_SEED), true, |c| {
        c.select()?;
        c.verify_admin(&AdminCode::factory_default())?;
        let key = c.generate_key()?;
        send_raw(
            c,
            &[
                CHAINED_PART,
                SELECT_FCI,
                "00 47 80 00 00",
                VERIFY_FACTORY_ADMIN,
                CHAINED_PART,
                "00 20 FF 83",
                "00 DA 7F 21 03 7F 21 00",
                VERIFY_FACTORY_ADMIN,
                CHAINED_PART,
                "00 20 FF 81",
                "00 DA 7F 21 03 7F 21 00",
                CHAINED_PART,
                "00 CA 7F 49 00",
                "00 DA 7F 21 03 7F 21 00",
            ],
        )?;
        let filler = format!("10 DA 7F 21 FF {}", "00".repeat(255));
        let mut too_long = vec![filler.as_str(); 8];
        let ninth = format!("10 DA 7F 21 09 {}", "00".repeat(9));
        too_long.push(&ninth);
        too_long.push("00 DA 7F 21 03 7F 21 00");
        let extended = format!("00 DA 7F 21 00 08 01 {}", "00".repeat(2049));
        too_long.push(&extended);
        send_raw(c, &too_long)?;
        let body = testkit::credential_body(
            APDU_SERIAL + 1,
            testkit::sample_holder(),
            &key,
            &issuer,
            testkit::entitlements(3),
        );
        c.put_credential(Credential::issue(body, &issuer)?.to_bytes())?;
        c.activate()?;
        c.select().map(drop)
    });
    out.push(Sequence {
        name: "chains".into(),
        description: "PUT DATA chains on a fresh card with short APDUs (SPEC.md §7.1, §8.4): a chained part answers 9000; SELECT during the chain is a SELECT and ends the session (GENERATE then 6982); VERIFY FF 83 during a chain logs out and ends the chain (the last part then gets 6982); VERIFY FF 81 ends a chain too (a last part is then a whole, malformed credential: 6A80); any other command breaks the chain with 6883 and a last part is again a credential of its own; eight chained parts of 255 bytes answer 9000 and the ninth, bringing the total to 2049 bytes, 6A84 and ends the chain (a last part is then a credential of its own: 6A80); one extended PUT DATA of 2049 bytes answers 6A84; then the credential is written in two chained parts, the card locked and selected.".into(),
        starts_from: "blank".into(),
        exchanges: log,
    });

    let (_, log) = record(testkit::deterministic_card(CARD_SEED), false, |c| {
        c.select()?;
        c.verify_admin(&AdminCode::factory_default())?;
        let key = c.generate_key()?;
        for (_, _, refused) in testkit::refused_credentials(APDU_SERIAL + 2, &key) {
            put_raw(c, &refused)?;
        }
        send_raw(c, &["00 44 00 00", SELECT_FCI, VERIFY_FACTORY_ADMIN])?;
        let largest = testkit::largest_credential_body(APDU_SERIAL + 2, &key, &issuer);
        c.put_credential(Credential::issue(largest, &issuer)?.to_bytes())?;
        c.read_credential()?;
        c.activate()?;
        c.select().map(drop)
    });
    let any_key = *card_key(1).verifying_key();
    let refused: Vec<String> = testkit::refused_credentials(APDU_SERIAL + 2, &any_key)
        .into_iter()
        .map(|(name, what, _)| format!("{name} ({what})"))
        .collect();
    out.push(Sequence {
        name: "put-data-checks".into(),
        description: format!("PUT DATA refuses with 6A80 every credential a verifier would refuse for its format (SPEC.md §8.4), each signed by the test issuer and naming the card's key: {}; ACTIVATE then finds no credential (6985) and the FCI says so (C5 01); the largest credential SPEC.md §5.2-§5.4 allow ({} bytes: a 100-byte name, a 27-character area code, 8 entitlements with every element at its longest) is stored in one extended APDU, read back, and the card locked.", refused.join("; "), largest_credential_len()),
        starts_from: "blank".into(),
        exchanges: log,
    });

    let (_, log) = record(testkit::deterministic_card(CARD_SEED), false, |c| {
        send_raw(
            c,
            &[
                SELECT_NO_FCI,
                VERIFY_FACTORY_ADMIN,
                "00 47 80 00",
                "00 CA 7F 49 00",
                "00 C0 00 00 00",
                "00 47 81 00 00",
                SELECT_FCI,
            ],
        )
    });
    out.push(Sequence {
        name: "generate-without-le".into(),
        description: "GENERATE ASYMMETRIC KEY PAIR without Le (SPEC.md §8.3): the key is made and stored, and the public key template is left pending (6146); the host that does not fetch it reads the same key with GET DATA 7F49 (the pending data are discarded: GET RESPONSE then 6985) or GENERATE P1 81; the FCI says a key is present.".into(),
        starts_from: "blank".into(),
        exchanges: log,
    });
    out
}

/// The length of the largest card credential SPEC.md §5.2–§5.4 allow.
pub fn largest_credential_len() -> usize {
    let issuer = testkit::issuer_key();
    let body = testkit::largest_credential_body(1, card_key(1).verifying_key(), &issuer);
    Credential::issue(body, &issuer)
        .expect("largest credential")
        .to_bytes()
        .len()
}

mod lists;
mod receipts;
mod rolls;
pub use lists::{list_vectors, ListVector, ListVectors};
pub use receipts::{
    apdu_receipt_body, receipt_card_key, receipt_point_key, receipt_vectors, ReceiptVector,
    ReceiptVectors,
};
pub use rolls::{roll_vectors, RollApplyVector, RollVector, RollVectors};

/// The vector files: (file name, content).
pub fn generate() -> Vec<(&'static str, String)> {
    let json = |v: serde_json::Value| serde_json::to_string_pretty(&v).expect("json") + "\n";
    vec![
        (
            "credentials.json",
            json(serde_json::to_value(credential_vectors()).expect("json")),
        ),
        (
            "qr.json",
            json(serde_json::to_value(qr_vectors()).expect("json")),
        ),
        (
            "apdu.json",
            json(serde_json::to_value(apdu_vectors()).expect("json")),
        ),
        (
            "lists.json",
            json(serde_json::to_value(list_vectors()).expect("json")),
        ),
        (
            "rolls.json",
            json(serde_json::to_value(roll_vectors()).expect("json")),
        ),
        (
            "receipts.json",
            json(serde_json::to_value(receipt_vectors()).expect("json")),
        ),
    ]
}

/// Seed of the card random generators of the persisted-state fixtures (fixture `n` is made on a
/// card seeded `STATE_FIXTURE_SEED + n`).
pub const STATE_FIXTURE_SEED: u64 = 20_261_200;
/// The first serial of the state fixtures (fixture `n` has serial `STATE_FIXTURE_SERIAL + n`).
pub const STATE_FIXTURE_SERIAL: u64 = 7_000_000;
/// The holder PIN of the state fixtures that have one.
pub const STATE_FIXTURE_PIN: &str = "2468";
/// The administrative code of the state fixture `issued-admin-code-changed`.
pub const STATE_FIXTURE_ADMIN_CODE: &str = "QNG-office-2026";

type FixtureClient = CardClient<InProcessTransport<VectorCard>>;

/// The persisted-state fixtures of `firmware-spec/tests/state/v<N>/` (SPEC.md §10): the record a
/// card stores in each situation a card in the field can be in, as (file name, record). They
/// are written once per record format ([`crate::state::STATE_FORMAT`]) by
/// `asxh-vectors --state-fixtures` and never rewritten: every later version of the card must
/// load every earlier version's files (`tests/state_fixtures.rs` says what each must still do).
/// Every credential is signed by [`testkit::issuer_key`] for [`testkit::sample_holder`] (the
/// `issued-8-entitlements-long-name` one for the long name of `credentials.json`).
pub fn state_fixtures() -> Vec<(&'static str, Vec<u8>)> {
    type Scenario = fn(&mut FixtureClient, u64) -> Result<(), Error>;
    let scenarios: [(&'static str, Scenario); 11] = [
        ("blank-one-wrong-admin-code", |c, _| {
            c.select()?;
            fixture_wrong_admin_codes(c, 1)
        }),
        ("personalizing-key-only", |c, _| {
            c.select()?;
            c.verify_admin(&AdminCode::factory_default())?;
            c.generate_key().map(drop)
        }),
        ("personalizing-credential-and-pin", |c, serial| {
            c.select()?;
            c.verify_admin(&AdminCode::factory_default())?;
            let key = c.generate_key()?;
            let issuer = testkit::issuer_key();
            let body = testkit::credential_body(
                serial,
                testkit::sample_holder(),
                &key,
                &issuer,
                testkit::entitlements(3),
            );
            c.put_credential(Credential::issue(body, &issuer)?.to_bytes())?;
            c.set_pin(&fixture_pin())
        }),
        ("issued-with-pin", |c, serial| {
            fixture_personalize(c, serial, 3, true)
        }),
        ("issued-without-pin", |c, serial| {
            fixture_personalize(c, serial, 0, false)
        }),
        ("issued-pin-blocked", |c, serial| {
            fixture_personalize(c, serial, 1, true)?;
            c.select()?;
            let wrong = Pin::parse("0000").expect("pin");
            for _ in 0..asxh_core::card::MAX_PIN_TRIES {
                c.verify_pin(&wrong)?;
            }
            Ok(())
        }),
        ("issued-admin-code-changed", |c, serial| {
            fixture_personalize(c, serial, 2, true)?;
            c.select()?;
            let new = AdminCode::parse(STATE_FIXTURE_ADMIN_CODE).expect("code");
            c.change_admin_code(&AdminCode::factory_default(), &new)
        }),
        ("issued-admin-code-blocked", |c, serial| {
            fixture_personalize(c, serial, 2, true)?;
            c.select()?;
            fixture_wrong_admin_codes(c, asxh_core::card::MAX_ADMIN_TRIES)
        }),
        ("issued-8-entitlements-long-name", |c, serial| {
            c.select()?;
            c.verify_admin(&AdminCode::factory_default())?;
            let key = c.generate_key()?;
            let issuer = testkit::issuer_key();
            let long = holder(
                "046152000001",
                long_name(),
                "1952-12-01",
                "F",
                "46.429.19924",
            );
            let body =
                testkit::credential_body(serial, long, &key, &issuer, testkit::entitlements(8));
            c.put_credential(Credential::issue(body, &issuer)?.to_bytes())?;
            c.activate()
        }),
        ("blocked", |c, serial| {
            fixture_personalize(c, serial, 2, true)?;
            c.select()?;
            c.verify_admin(&AdminCode::factory_default())?;
            c.deactivate()
        }),
        ("terminated", |c, serial| {
            fixture_personalize(c, serial, 2, true)?;
            c.select()?;
            c.verify_admin(&AdminCode::factory_default())?;
            c.terminate()
        }),
    ];
    scenarios
        .into_iter()
        .zip(0u64..)
        .map(|((name, run), n)| {
            let card = testkit::deterministic_card(STATE_FIXTURE_SEED + n);
            let mut client = CardClient::new(InProcessTransport::new(card));
            run(&mut client, STATE_FIXTURE_SERIAL + n)
                .unwrap_or_else(|e| panic!("state fixture {name}: {e}"));
            let mut card = client.into_transport().into_app();
            let record = crate::Storage::load(card.storage_mut())
                .expect("memory storage cannot fail")
                .unwrap_or_else(|| panic!("state fixture {name} stored nothing"));
            (name, record)
        })
        .collect()
}

fn fixture_pin() -> Pin {
    Pin::parse(STATE_FIXTURE_PIN).expect("fixture PIN")
}

/// Personalizes and locks a state-fixture card with `n` entitlements and, if `with_pin`,
/// [`STATE_FIXTURE_PIN`].
fn fixture_personalize(
    c: &mut FixtureClient,
    serial: u64,
    n: usize,
    with_pin: bool,
) -> Result<(), Error> {
    let pin = fixture_pin();
    testkit::personalize(
        c,
        &testkit::issuer_key(),
        serial,
        testkit::sample_holder(),
        testkit::entitlements(n),
        with_pin.then_some(&pin),
    )
    .map(drop)
}

/// Presents a wrong administrative code `times` times (each answered 63CX or 6983).
fn fixture_wrong_admin_codes(c: &mut FixtureClient, times: u8) -> Result<(), Error> {
    let wrong = AdminCode::parse("00000000").expect("code");
    for _ in 0..times {
        match c.verify_admin(&wrong) {
            Err(Error::Status { .. }) => {}
            other => other?,
        }
    }
    Ok(())
}
