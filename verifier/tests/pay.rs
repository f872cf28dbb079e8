//! Paying at the counter on the reference card application in process (SPEC.md §18): the
//! receipt the card signs in its verification session, refusals of a second payment and of the
//! wrong collector, the PIN-blocked holder, a card pulled while signing, a journal that cannot
//! store the signed receipt (nothing paid), an older card that cannot sign, and the fallbacks the
//! payment point signs itself.

use asxh_card::CardApp;
use asxh_core::apdu::StatusWord;
use asxh_core::card::{CardClient, CardIoError, InProcessTransport, Pin, PinCheck, Transport};
use asxh_core::entitlement::{IdNumber, ProgramCode};
use asxh_core::lists::roll::{ItemKind, LineStatus, RecipientRole, RollRecipient};
use asxh_core::lists::{IssuerStatus, Month, Roll, RollEntry, RollHeader, RollItem, RollLine};
use asxh_core::receipt::{FallbackReason, SignedReceipt};
use asxh_core::signature::PublicKey;
use asxh_core::{AreaCode, Date, PersonName, SignedCredential};
use asxh_testkit as kit;
use asxh_text::{Catalogued, Lang};
use asxh_verdict::{Lists, Policy};
use asxh_verifier::pay::{
    self, CollectorChoice, FallbackEvidence, LineChoice, PayOutcome, PayRefusal, PayRequest,
    Payment,
};
use asxh_verifier::store::{Snapshot, Store};
use asxh_verifier::VerifierError;

const SERIAL: u64 = 424_242;
const GUARDIAN_ID: &str = "051190001234";
const EXPIRED_ID: &str = "051190005678";

fn now() -> u64 {
    time::OffsetDateTime::now_utc().unix_timestamp() as u64
}

fn month() -> Month {
    Month::of(Date::today())
}

fn item(program: &str, amount: u64) -> RollItem {
    RollItem::new(
        ProgramCode::parse(program).unwrap(),
        None,
        ItemKind::Monthly,
        amount,
        month(),
        month(),
    )
    .unwrap()
}

fn recipient(id: &str, valid_until: Option<&str>) -> RollRecipient {
    RollRecipient {
        role: RecipientRole::Guardian,
        name: PersonName::parse("name", "Lê Văn Tám").unwrap(),
        id_number: IdNumber::parse(id).unwrap(),
        valid_until: valid_until.map(kit::date),
    }
}

/// The holder's roll entry: 1 TGXH due (holder only), 2 HN due (a guardian may collect), 3 NCC
/// suspended, 4 HCN marked paid, 5 BHXH due whose guardian's authorisation has ended.
fn roll() -> Roll {
    let line = |item, recipient, status| RollLine {
        item,
        recipient,
        status,
    };
    Roll::new(
        RollHeader {
            version: 3,
            issued_at: now() - 60,
            next_update: now() + 3600,
            base_version: None,
            area: area(),
            month: month(),
        },
        vec![RollEntry {
            ssn: kit::sample_holder().ssn(),
            lines: vec![
                line(item("TGXH", 500_000), None, LineStatus::Due),
                line(
                    item("HN", 150_000),
                    Some(recipient(GUARDIAN_ID, None)),
                    LineStatus::Due,
                ),
                line(item("NCC", 2_789_000), None, LineStatus::Suspended),
                line(item("HCN", 100_000), None, LineStatus::Paid),
                line(
                    item("BHXH", 4_200_000),
                    Some(recipient(EXPIRED_ID, Some("2020-01-31"))),
                    LineStatus::Due,
                ),
            ],
        }],
    )
    .unwrap()
}

fn area() -> AreaCode {
    AreaCode::parse("51.429.22903").unwrap()
}

fn snapshot() -> Snapshot {
    Snapshot {
        lists: Some(Lists {
            trust: kit::trust_list(
                IssuerStatus::Active,
                kit::test_key("list").verifying_key(),
                now(),
            ),
            revocations: None,
        }),
        area: Some(area()),
        month: month(),
        roll: Some(roll()),
    }
}

fn store(dir: &tempfile::TempDir) -> Store {
    Store::init(
        dir.path(),
        "http://127.0.0.1:9",
        &"ab".repeat(32),
        "point-1",
    )
    .unwrap()
}

fn card(pin: Option<&Pin>) -> CardApp<asxh_card::MemoryStorage> {
    kit::issued_card(SERIAL, kit::entitlements(1), pin)
}

fn request(lines: &str, collector: CollectorChoice) -> PayRequest {
    PayRequest {
        lines: LineChoice::parse(lines).unwrap(),
        collector,
        journal_holder: false,
    }
}

fn card_key<T: Transport>(client: &mut CardClient<T>) -> PublicKey {
    client.select().unwrap();
    let bytes = client.read_credential().unwrap();
    let credential = SignedCredential::parse(&bytes)
        .unwrap()
        .verify(kit::issuer_key().verifying_key())
        .unwrap();
    credential.body().card_public_key
}

fn pay_with<T: Transport>(
    store: &mut Store,
    transport: T,
    req: &PayRequest,
) -> Result<PayOutcome, VerifierError> {
    pay::pay_card(
        store,
        &snapshot(),
        Policy::default(),
        &mut CardClient::new(transport),
        None,
        req,
        Lang::Vi,
    )
}

fn paid(outcome: Result<PayOutcome, VerifierError>) -> Payment {
    match outcome {
        Ok(PayOutcome::Paid { payment, .. }) => *payment,
        Ok(PayOutcome::NotVerified(v)) => panic!("not verified: {:?} {:?}", v.outcome, v.reasons),
        Err(e) => panic!("{}", e.text(Lang::En)),
    }
}

fn refusal(outcome: Result<PayOutcome, VerifierError>) -> (PayRefusal, u8, String) {
    match outcome {
        Err(e @ VerifierError::Pay(_)) => {
            let text = e.text(Lang::Vi);
            let code = e.exit_code();
            let VerifierError::Pay(r) = e else {
                unreachable!()
            };
            (r, code, text)
        }
        Err(e) => panic!("another error: {}", e.text(Lang::En)),
        Ok(PayOutcome::Paid { .. }) => panic!("paid"),
        Ok(PayOutcome::NotVerified(v)) => panic!("not verified: {:?}", v.reasons),
    }
}

fn stored(store: &Store) -> Vec<asxh_verifier::store::ReceiptRow> {
    store.receipts(0, i64::MAX).unwrap()
}

#[test]
fn a_card_pays_its_due_lines_on_a_receipt_its_card_key_verifies_in_four_commands() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = store(&dir);
    let mut app = card(None);
    let payment = paid(pay_with(
        &mut store,
        InProcessTransport::new(&mut app),
        &request("1,2", CollectorChoice::Holder),
    ));
    assert_eq!(payment.signed_by, "card");
    assert_eq!(payment.total_vnd, 650_000);
    assert_eq!(
        payment.lines.iter().map(|l| l.number).collect::<Vec<_>>(),
        [1, 2]
    );
    let wire = payment.wire.unwrap();
    assert_eq!(
        wire.commands, 4,
        "SELECT, GET DATA, INTERNAL AUTHENTICATE, PSO"
    );
    assert!(wire.bytes <= 1536, "{} bytes on the wire", wire.bytes);
    eprintln!(
        "wire: {} commands, {} bytes; receipt {} bytes",
        wire.commands,
        wire.bytes,
        payment.receipt_hex.len() / 2
    );

    let rows = stored(&store);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].number, payment.receipt_number);
    assert_eq!(rows[0].outcome, None, "waiting for upload");
    let receipt = SignedReceipt::parse(&rows[0].bytes).unwrap();
    assert!(receipt.to_bytes().len() <= 200);
    let key = card_key(&mut CardClient::new(InProcessTransport::new(&mut app)));
    receipt.verify(&key).unwrap();
    assert!(receipt
        .verify(kit::test_key("another").verifying_key())
        .is_err());
    assert_eq!(receipt.body().serial.unwrap().number(), SERIAL);
    assert_eq!(receipt.body().roll_version, 3);
    assert_eq!(receipt.body().point.as_str(), "POINT-1");
    let text = payment.text(Lang::Vi);
    assert!(
        text.starts_with("CHI TRẢ: giao 650.000 đ cho người thụ hưởng. Số biên nhận "),
        "{text}"
    );
    assert_eq!(
        store.journal().unwrap().len(),
        1,
        "the verification is journalled"
    );
}

#[test]
fn all_pays_every_line_payable_now_and_nothing_the_roll_holds_back() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = store(&dir);
    let mut app = card(None);
    let payment = paid(pay_with(
        &mut store,
        InProcessTransport::new(&mut app),
        &request("all", CollectorChoice::Holder),
    ));
    assert_eq!(
        payment.lines.iter().map(|l| l.number).collect::<Vec<_>>(),
        [1, 2, 5],
        "suspended (3) and paid (4) lines are left out"
    );
}

#[test]
fn a_second_payment_of_a_line_paid_here_is_refused_saying_when_and_where() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = store(&dir);
    let mut app = card(None);
    let first = paid(pay_with(
        &mut store,
        InProcessTransport::new(&mut app),
        &request("1", CollectorChoice::Holder),
    ));
    for lines in ["1", "all", "2,1"] {
        let (r, code, text) = refusal(pay_with(
            &mut store,
            InProcessTransport::new(&mut app),
            &request(lines, CollectorChoice::Holder),
        ));
        assert!(
            matches!(r, PayRefusal::AlreadyPaid { line: 1, .. }),
            "{r:?}"
        );
        assert_eq!(code, 50);
        assert!(text.starts_with("ĐÃ CHI TRẢ khoản 1"), "{text}");
        assert!(text.contains(&first.receipt_number), "{text}");
        assert!(text.contains("POINT-1"), "{text}");
    }
    assert_eq!(stored(&store).len(), 1, "nothing more stored");
    paid(pay_with(
        &mut store,
        InProcessTransport::new(&mut app),
        &request("2", CollectorChoice::Holder),
    ));
}

#[test]
fn a_line_the_roll_marks_paid_or_holds_back_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = store(&dir);
    let mut app = card(None);
    let (r, code, text) = refusal(pay_with(
        &mut store,
        InProcessTransport::new(&mut app),
        &request("4", CollectorChoice::Holder),
    ));
    assert!(
        matches!(r, PayRefusal::MarkedPaid { version: 3, .. }),
        "{r:?}"
    );
    assert_eq!(code, 50);
    assert!(text.starts_with("ĐÃ CHI TRẢ"), "{text}");
    let (r, code, _) = refusal(pay_with(
        &mut store,
        InProcessTransport::new(&mut app),
        &request("3", CollectorChoice::Holder),
    ));
    assert!(matches!(r, PayRefusal::NotPayable { line: 3, .. }), "{r:?}");
    assert_eq!(code, 51);
    let (r, _, _) = refusal(pay_with(
        &mut store,
        InProcessTransport::new(&mut app),
        &request("9", CollectorChoice::Holder),
    ));
    assert_eq!(r, PayRefusal::NoSuchLine { line: 9, count: 5 });
    assert!(stored(&store).is_empty());
}

#[test]
fn a_holder_whose_every_line_the_roll_marks_paid_is_told_already_paid() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = store(&dir);
    let mut app = card(None);
    let mut held = snapshot();
    let mut all_paid = roll();
    let header = all_paid.header.clone();
    let ssn = kit::sample_holder().ssn();
    let lines = all_paid
        .lookup(ssn)
        .unwrap()
        .iter()
        .map(|l| RollLine {
            status: LineStatus::Paid,
            ..l.to_line()
        })
        .collect();
    all_paid = Roll::new(header, vec![RollEntry { ssn, lines }]).unwrap();
    held.roll = Some(all_paid);
    let (r, code, text) = refusal(pay::pay_card(
        &mut store,
        &held,
        Policy::default(),
        &mut CardClient::new(InProcessTransport::new(&mut app)),
        None,
        &request("all", CollectorChoice::Holder),
        Lang::Vi,
    ));
    assert!(matches!(r, PayRefusal::MarkedPaid { line: 1, .. }), "{r:?}");
    assert_eq!(code, 50);
    assert!(text.starts_with("ĐÃ CHI TRẢ"), "{text}");
    assert!(stored(&store).is_empty());
}

#[test]
fn only_the_recipient_the_roll_names_with_their_identity_number_collects() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = store(&dir);
    let mut app = card(None);
    let other = IdNumber::parse("051190009999").unwrap();
    let (r, code, text) = refusal(pay_with(
        &mut store,
        InProcessTransport::new(&mut app),
        &request("2", CollectorChoice::Recipient(other)),
    ));
    assert!(
        matches!(r, PayRefusal::WrongRecipient { line: 2, .. }),
        "{r:?}"
    );
    assert_eq!(code, 52);
    assert!(text.contains("KHÔNG chi trả"), "{text}");
    let guardian = IdNumber::parse(GUARDIAN_ID).unwrap();
    let (r, code, _) = refusal(pay_with(
        &mut store,
        InProcessTransport::new(&mut app),
        &request("1", CollectorChoice::Recipient(guardian.clone())),
    ));
    assert_eq!(r, PayRefusal::NoRecipient { line: 1 });
    assert_eq!(code, 52);
    let (r, _, _) = refusal(pay_with(
        &mut store,
        InProcessTransport::new(&mut app),
        &request(
            "5",
            CollectorChoice::Recipient(IdNumber::parse(EXPIRED_ID).unwrap()),
        ),
    ));
    assert!(
        matches!(r, PayRefusal::RecipientExpired { line: 5, .. }),
        "{r:?}"
    );
    assert!(stored(&store).is_empty());

    let payment = paid(pay_with(
        &mut store,
        InProcessTransport::new(&mut app),
        &request("2", CollectorChoice::Recipient(guardian.clone())),
    ));
    assert_eq!(payment.collector, "guardian");
    let receipt = SignedReceipt::parse(&stored(&store)[0].bytes).unwrap();
    assert!(receipt.body().collector.is(&guardian));
    assert!(payment.text(Lang::Vi).contains("cho người giám hộ"));
}

#[test]
fn a_holder_whose_pin_is_blocked_is_paid_and_the_receipt_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = store(&dir);
    let pin = Pin::parse("1357").unwrap();
    let mut app = card(Some(&pin));
    {
        let mut c = CardClient::new(InProcessTransport::new(&mut app));
        c.select().unwrap();
        let wrong = Pin::parse("0000").unwrap();
        while !matches!(c.verify_pin(&wrong).unwrap(), PinCheck::Blocked) {}
    }
    let payment = paid(pay_with(
        &mut store,
        InProcessTransport::new(&mut app),
        &request("1", CollectorChoice::Holder),
    ));
    let pin_state = payment.pin.unwrap();
    assert!(pin_state.blocked && pin_state.set && !pin_state.verified);
    assert_eq!(payment.signed_by, "card", "a blocked PIN is not a fallback");
    let receipt = SignedReceipt::parse(&stored(&store)[0].bytes).unwrap();
    assert!(receipt.flags().pin_blocked());
    assert!(payment.text(Lang::Vi).contains("mã PIN"));
}

/// A transport that fails the PERFORM SECURITY OPERATION (INS 2A) one way: the card pulled
/// out, or the card answering a status word.
struct FailsSigning<T: Transport> {
    inner: T,
    status: Option<StatusWord>,
}

impl<T: Transport> Transport for FailsSigning<T> {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, CardIoError> {
        if command.get(1) == Some(&0x2A) {
            return match self.status {
                None => Err(CardIoError::CardRemoved {
                    during: String::new(),
                }),
                Some(sw) => Ok(sw.0.to_be_bytes().to_vec()),
            };
        }
        self.inner.transmit(command)
    }
    fn supports_extended_length(&self) -> bool {
        self.inner.supports_extended_length()
    }
}

#[test]
fn a_card_pulled_out_while_signing_stores_no_receipt() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = store(&dir);
    let mut app = card(None);
    let (r, code, text) = refusal(pay_with(
        &mut store,
        FailsSigning {
            inner: InProcessTransport::new(&mut app),
            status: None,
        },
        &request("1", CollectorChoice::Holder),
    ));
    assert!(matches!(r, PayRefusal::CardRemoved { .. }), "{r:?}");
    assert_eq!(code, 53);
    assert!(text.contains("CHƯA chi trả"), "{text}");
    assert!(stored(&store).is_empty());
    assert_eq!(store.pending_count().unwrap(), 0);
    paid(pay_with(
        &mut store,
        InProcessTransport::new(&mut app),
        &request("1", CollectorChoice::Holder),
    ));
}

#[test]
fn a_receipt_the_journal_cannot_store_is_not_paid_and_nothing_is_told_to_hand_over() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = store(&dir);
    // The disk refuses the write after the card signed (as a full disk would).
    let db = rusqlite::Connection::open(dir.path().join("verifier.sqlite")).unwrap();
    db.execute_batch(
        "CREATE TRIGGER full BEFORE INSERT ON receipt_lines BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END;",
    )
    .unwrap();
    let mut app = card(None);
    let outcome = pay_with(
        &mut store,
        InProcessTransport::new(&mut app),
        &request("1", CollectorChoice::Holder),
    );
    let Err(e) = outcome else {
        panic!("a payment the journal did not keep was reported made");
    };
    assert_eq!(e.exit_code(), 3, "{}", e.text(Lang::En));
    assert!(
        e.text(Lang::En).contains("disk is full"),
        "{}",
        e.text(Lang::En)
    );
    // The receipt's row went in before its lines: the transaction kept neither.
    assert!(stored(&store).is_empty());
    assert_eq!(store.pending_count().unwrap(), 0);
    db.execute_batch("DROP TRIGGER full;").unwrap();
    paid(pay_with(
        &mut store,
        InProcessTransport::new(&mut app),
        &request("1", CollectorChoice::Holder),
    ));
    assert_eq!(stored(&store).len(), 1);
}

#[test]
fn an_older_card_that_cannot_sign_is_paid_on_a_receipt_the_point_signs() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = store(&dir);
    let mut app = card(None);
    let payment = paid(pay_with(
        &mut store,
        FailsSigning {
            inner: InProcessTransport::new(&mut app),
            status: Some(StatusWord::INS_NOT_SUPPORTED),
        },
        &request("1", CollectorChoice::Holder),
    ));
    assert_eq!(payment.signed_by, "point");
    assert_eq!(payment.fallback, Some("card_cannot_sign"));
    let receipt = SignedReceipt::parse(&stored(&store)[0].bytes).unwrap();
    assert_eq!(
        receipt.body().fallback,
        Some(FallbackReason::CardCannotSign)
    );
    assert_eq!(receipt.body().serial.unwrap().number(), SERIAL);
    receipt
        .verify(store.point_key().unwrap().verifying_key())
        .unwrap();
    assert!(payment.text(Lang::Vi).contains("thẻ đời cũ"));

    let (r, code, _) = refusal(pay_with(
        &mut store,
        FailsSigning {
            inner: InProcessTransport::new(&mut app),
            status: Some(StatusWord::NO_PRECISE_DIAGNOSIS),
        },
        &request("2", CollectorChoice::Holder),
    ));
    assert!(matches!(r, PayRefusal::SigningFailed { .. }), "{r:?}");
    assert_eq!(code, 53);
}

#[test]
fn a_card_left_at_home_is_paid_from_the_roll_on_a_receipt_the_point_signs() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = store(&dir);
    let ssn = kit::sample_holder().ssn();
    let fallback = |store: &mut Store, lines: &str| {
        pay::pay_fallback(
            store,
            &snapshot(),
            Policy::default(),
            ssn,
            &FallbackEvidence::CardNotPresented,
            &request(lines, CollectorChoice::Holder),
            Lang::Vi,
        )
    };
    let payment = paid(fallback(&mut store, "1"));
    assert_eq!(payment.fallback, Some("card_not_presented"));
    let receipt = SignedReceipt::parse(&stored(&store)[0].bytes).unwrap();
    assert_eq!(receipt.body().serial, None);
    assert_eq!(
        receipt.body().fallback,
        Some(FallbackReason::CardNotPresented)
    );
    receipt
        .verify(store.point_key().unwrap().verifying_key())
        .unwrap();
    let (r, _, _) = refusal(fallback(&mut store, "1"));
    assert!(matches!(r, PayRefusal::AlreadyPaid { .. }), "{r:?}");
    let other = asxh_core::Ssn::parse("051146000999").unwrap();
    let (r, code, _) = refusal(pay::pay_fallback(
        &mut store,
        &snapshot(),
        Policy::default(),
        other,
        &FallbackEvidence::CardNotPresented,
        &request("all", CollectorChoice::Holder),
        Lang::Vi,
    ));
    assert!(matches!(r, PayRefusal::NotInRoll { .. }), "{r:?}");
    assert_eq!(code, 51);
}

/// The QR printed on the sample holder's card.
fn qr_text(holder: asxh_core::Holder) -> String {
    use asxh_core::{QrBody, QrCredential};
    let key = kit::issuer_key();
    let body = kit::credential_body(
        SERIAL,
        holder,
        kit::test_key("card").verifying_key(),
        &key,
        kit::entitlements(1),
    );
    QrCredential::issue(QrBody::for_card(&body), &key)
        .unwrap()
        .text()
        .to_owned()
}

#[test]
fn a_damaged_chip_is_paid_on_its_verified_qr_and_a_qr_of_another_person_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = store(&dir);
    let ssn = kit::sample_holder().ssn();
    let with_qr = |store: &mut Store, qr_text: String| {
        pay::pay_fallback(
            store,
            &snapshot(),
            Policy::default(),
            ssn,
            &FallbackEvidence::ChipUnreadable { qr_text },
            &request("1", CollectorChoice::Holder),
            Lang::Vi,
        )
    };
    let someone_else = kit::holder(
        "051146000777",
        "Nguyễn Thị Bình",
        "1946-01-01",
        "F",
        "51.22903",
    );
    let (r, code, _) = refusal(with_qr(&mut store, qr_text(someone_else)));
    assert!(matches!(r, PayRefusal::QrOtherSsn { .. }), "{r:?}");
    assert_eq!(code, 52);
    match with_qr(&mut store, "ASXH1:NOT-A-QR".into()).unwrap() {
        PayOutcome::NotVerified(v) => assert!(!v.outcome.may_pay()),
        PayOutcome::Paid { .. } => panic!("paid on a QR that does not verify"),
    }
    assert!(stored(&store).is_empty());

    let payment = paid(with_qr(&mut store, qr_text(kit::sample_holder())));
    assert_eq!(payment.fallback, Some("chip_unreadable"));
    assert_eq!(payment.holder.as_deref(), Some("Trần Thị Lan"));
    let receipt = SignedReceipt::parse(&stored(&store)[0].bytes).unwrap();
    assert_eq!(receipt.body().serial.unwrap().number(), SERIAL);
    receipt
        .verify(store.point_key().unwrap().verifying_key())
        .unwrap();
    assert_eq!(store.journal().unwrap().len(), 3, "each QR is journalled");
}

#[test]
fn the_days_list_exports_to_csv_with_a_byte_order_mark_and_each_receipt() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = store(&dir);
    let mut app = card(None);
    let a = paid(pay_with(
        &mut store,
        InProcessTransport::new(&mut app),
        &request("1", CollectorChoice::Holder),
    ));
    let b = paid(pay_with(
        &mut store,
        InProcessTransport::new(&mut app),
        &request(
            "2",
            CollectorChoice::Recipient(IdNumber::parse(GUARDIAN_ID).unwrap()),
        ),
    ));
    let rows = stored(&store);
    assert_eq!(rows.len(), 2);
    let row = |number: &str| rows.iter().find(|r| r.number == number).unwrap();
    assert_eq!(row(&a.receipt_number).collector, "holder");
    assert_eq!(row(&b.receipt_number).collector, "guardian");
    assert_eq!(row(&a.receipt_number).total_vnd, 500_000);
    assert_eq!(
        row(&b.receipt_number).holder.as_deref(),
        Some("Trần Thị Lan")
    );
    let path = dir.path().join("bang-ke.csv");
    assert_eq!(store.export_receipts(&path, &rows).unwrap(), 2);
    let bytes = std::fs::read(&path).unwrap();
    assert!(bytes.starts_with("\u{feff}".as_bytes()));
    let text = String::from_utf8(bytes).unwrap();
    assert!(text.contains(&a.receipt_number) && text.contains(&b.receipt_number));
    assert!(text.contains("Trần Thị Lan"));
    assert_eq!(text.lines().count(), 3, "{text}");
    let paid_at = rows[0].paid_at;
    assert!(store
        .receipts(paid_at + 86_400, i64::MAX)
        .unwrap()
        .is_empty());
}

#[test]
fn the_point_key_is_made_once_and_kept_owner_only() {
    let dir = tempfile::tempdir().unwrap();
    let store = store(&dir);
    let a = store.point_key().unwrap();
    let b = store.point_key().unwrap();
    assert_eq!(a.to_bytes(), b.to_bytes());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.path().join("point-key"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "{mode:o}");
    }
}
