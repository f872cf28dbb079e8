//! Unit tests of the counter page: its guard (Host, Origin, token), its `--listen`, and the
//! loop's side answering the page's requests with a card in an in-process reader — one payment
//! per press, a second press answered from the journal, a card changed under the page.

use super::*;
use asxh_core::entitlement::ProgramCode;
use asxh_core::lists::roll::{ItemKind, LineStatus};
use asxh_core::lists::{IssuerStatus, Month, Roll, RollEntry, RollHeader, RollItem, RollLine};
use asxh_core::{AreaCode, Date};
use asxh_testkit as kit;
use asxh_testkit::InProcessReader;
use asxh_verdict::{Lists, Policy};

use crate::store::Snapshot;

fn shared() -> (Shared, mpsc::Receiver<Job>) {
    let (jobs, inbox) = mpsc::channel();
    let shared = Shared {
        listen: "127.0.0.1:8765".parse().unwrap(),
        token: "ab".repeat(32),
        lang: Lang::Vi,
        screen: Mutex::new(Screen::new("POINT-1".into())),
        jobs: Mutex::new(jobs),
    };
    (shared, inbox)
}

const HOST: Option<&str> = Some("127.0.0.1:8765");

#[test]
fn a_request_naming_another_host_is_refused_with_421_even_to_read_the_state() {
    let (s, _inbox) = shared();
    for host in [
        Some("evil.example:8765"),
        Some("localhost:8765"),
        Some("127.0.0.1:8766"),
        None,
    ] {
        let a = guard(&s, host, None, None, false, Lang::Vi).unwrap_err();
        assert_eq!(a.status, 421, "{host:?}");
        assert_eq!(a.body["error"], "wrong_host");
        assert!(
            a.body["message"].as_str().unwrap().contains("đã từ chối"),
            "{a:?}"
        );
    }
    assert!(guard(&s, HOST, None, None, false, Lang::Vi).is_ok());
}

#[test]
fn a_payment_without_the_runs_token_or_from_another_origin_is_refused_with_403() {
    let (s, _inbox) = shared();
    let token = "ab".repeat(32);
    let no_token = guard(&s, HOST, None, None, true, Lang::Vi).unwrap_err();
    assert_eq!(
        (no_token.status, no_token.body["error"].as_str()),
        (403, Some("no_token"))
    );
    let wrong = guard(&s, HOST, None, Some(&"cd".repeat(32)), true, Lang::Vi).unwrap_err();
    assert_eq!(wrong.status, 403);
    let short = guard(&s, HOST, None, Some("ab"), true, Lang::Vi).unwrap_err();
    assert_eq!(short.status, 403);
    let foreign = guard(
        &s,
        HOST,
        Some("https://evil.example"),
        Some(&token),
        true,
        Lang::En,
    )
    .unwrap_err();
    assert_eq!(
        (foreign.status, foreign.body["error"].as_str()),
        (403, Some("foreign_origin"))
    );
    assert!(foreign.body["message"]
        .as_str()
        .unwrap()
        .contains("evil.example"));
    assert!(guard(
        &s,
        HOST,
        Some("http://127.0.0.1:8765"),
        Some(&token),
        true,
        Lang::Vi
    )
    .is_ok());
    assert!(guard(&s, HOST, None, Some(&token), true, Lang::Vi).is_ok());
}

#[test]
fn the_page_listens_on_loopback_only_and_a_wider_address_is_refused_with_its_exit_code() {
    for ok in ["127.0.0.1:8765", "[::1]:8765", "127.0.0.2:1"] {
        assert!(loopback(ok.parse().unwrap()).is_ok(), "{ok}");
    }
    for wide in ["0.0.0.0:8765", "192.168.1.10:8765", "[::]:8765"] {
        let e = loopback(wide.parse().unwrap()).unwrap_err();
        assert_eq!(e.exit_code(), 55, "{wide}");
        assert!(e.text(Lang::Vi).contains("địa chỉ nội bộ"), "{e}");
    }
}

#[test]
fn the_page_carries_the_token_and_only_catalogue_texts_in_its_language() {
    let (s, _inbox) = shared();
    let vi = http::page_text(&s, Lang::Vi);
    assert!(vi.contains(&"ab".repeat(32)));
    assert!(vi.contains("Mời đưa thẻ vào đầu đọc"));
    assert!(vi.contains("<html lang=\"vi\">"));
    assert!(!vi.contains("{{"), "every placeholder filled");
    let en = http::page_text(&s, Lang::En);
    assert!(en.contains("Please insert the card into the reader"));
    assert!(!en.contains("Mời đưa thẻ"));
}

fn snapshot(now: u64) -> Snapshot {
    let month = Month::of(Date::today());
    let area = AreaCode::parse("51.429.22903").unwrap();
    let item = RollItem::new(
        ProgramCode::parse("TGXH").unwrap(),
        None,
        ItemKind::Monthly,
        540_000,
        month,
        month,
    )
    .unwrap();
    let roll = Roll::new(
        RollHeader {
            version: 1,
            issued_at: now - 60,
            next_update: now + 3600,
            base_version: None,
            area: area.clone(),
            month,
        },
        vec![RollEntry {
            ssn: kit::sample_holder().ssn(),
            lines: vec![RollLine {
                item,
                recipient: None,
                status: LineStatus::Due,
            }],
        }],
    )
    .unwrap();
    Snapshot {
        lists: Some(Lists {
            trust: kit::trust_list(
                IssuerStatus::Active,
                kit::test_key("list").verifying_key(),
                now,
            ),
            revocations: None,
        }),
        area: Some(area),
        month,
        roll: Some(roll),
    }
}

/// A point with a card in the reader, verified and shown: the desk, its store and snapshot.
struct Counter {
    _dir: tempfile::TempDir,
    desk: Desk,
    store: Store,
    snapshot: Snapshot,
    reader: InProcessReader,
}

impl Counter {
    fn new() -> Counter {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::init(
            dir.path(),
            "http://127.0.0.1:9",
            &"ab".repeat(32),
            "POINT-1",
        )
        .unwrap();
        let now = time::OffsetDateTime::now_utc().unix_timestamp() as u64;
        let (shared, inbox) = shared();
        let mut c = Counter {
            desk: Desk {
                shared: Arc::new(shared),
                inbox,
                data: dir.path().join("nowhere"),
                refreshed: None,
            },
            _dir: dir,
            store,
            snapshot: snapshot(now),
            reader: InProcessReader::new([kit::issued_card(4242, kit::entitlements(1), None)]),
        };
        let verdict = c
            .snapshot
            .checker(Policy::default())
            .card_in(&mut c.reader, None);
        // No revocation list is held: payable, with the amber mark of old data.
        assert_eq!(verdict.outcome, Outcome::ValidStaleData, "{verdict:?}");
        let mut till = Till {
            store: &mut c.store,
            snapshot: &c.snapshot,
            reader: &mut c.reader,
            policy: Policy::default(),
            journal_holder: false,
        };
        c.desk.verdict(&verdict, &mut till);
        c
    }

    fn view(&self) -> Value {
        self.desk.shared.screen().view(Lang::Vi)
    }

    /// Sends `ask` as the page would, lets the loop take it, and returns its answer.
    fn press(&mut self, ask: Ask) -> Answer {
        let (reply, answer) = mpsc::channel();
        self.desk
            .shared
            .jobs
            .lock()
            .unwrap()
            .send(Job {
                ask,
                lang: Lang::Vi,
                reply,
            })
            .unwrap();
        let mut till = Till {
            store: &mut self.store,
            snapshot: &self.snapshot,
            reader: &mut self.reader,
            policy: Policy::default(),
            journal_holder: false,
        };
        self.desk.idle(&mut till, true);
        answer.try_recv().expect("the loop answered")
    }
}

fn pay(generation: u64) -> Ask {
    Ask::Pay {
        generation,
        lines: vec![1],
        id_number: None,
    }
}

#[test]
fn a_valid_card_alone_has_the_green_mark_and_a_qr_only_verdict_the_amber_one() {
    assert_eq!(mark(Outcome::Valid), "green");
    assert_eq!(mark(Outcome::ValidQrOnly), "amber");
    assert_eq!(mark(Outcome::ValidStaleData), "amber");
    assert_eq!(mark(Outcome::Revoked), "red");
    assert_eq!(mark(Outcome::NothingPayable), "red");
}

#[test]
fn the_screen_shows_the_verdict_the_holder_and_the_line_due_ticked_for_payment() {
    let c = Counter::new();
    let v = c.view();
    assert_eq!(v["phase"], "card");
    assert_eq!(v["verdict"]["mark"], "amber");
    assert!(
        v["verdict"]["text"].as_str().unwrap().starts_with('⚠'),
        "{v}"
    );
    assert_eq!(v["lists"][1]["stale"], true, "no revocation list: {v}");
    assert_eq!(v["verdict"]["holder"]["name"], "Trần Thị Lan");
    assert_eq!(v["verdict"]["holder"]["ssn"], "051146000123");
    assert_eq!(v["lines"][0]["amount"], "540.000 đ");
    assert_eq!(v["lines"][0]["payable"], true);
    assert_eq!(v["can_pay"], true);
    assert_eq!(v["collectors"][0]["value"], "holder");
    assert_eq!(v["point"], "Điểm chi trả POINT-1");
}

#[test]
fn a_press_pays_once_and_a_second_press_is_answered_already_paid_from_the_journal() {
    let mut c = Counter::new();
    let generation = c.view()["generation"].as_u64().unwrap();
    let first = c.press(pay(generation));
    assert_eq!(first.status, 200, "{first:?}");
    let receipt = &first.body["receipt"];
    let number = receipt["number"].as_str().unwrap();
    assert_eq!(number.len(), 6 * 4 + 5, "groups of four: {number}");
    assert!(receipt["total"].as_str().unwrap().contains("540.000 đ"));
    assert!(receipt["hand_over"]
        .as_str()
        .unwrap()
        .starts_with("Giao tiền cho người nhận"));
    let v = c.view();
    assert_eq!(v["phase"], "paid");
    assert_eq!(v["lines"][0]["payable"], false, "paid here now: {v}");
    assert_eq!(v["today"], "Hôm nay: 1 biên nhận, 1 khoản, 540.000 đ");

    let second = c.press(pay(generation));
    assert_eq!(second.status, 409, "{second:?}");
    assert_eq!(second.body["error"], "already_paid");
    assert!(
        second.body["message"]
            .as_str()
            .unwrap()
            .contains("ĐÃ CHI TRẢ"),
        "{second:?}"
    );
    let (from, to) = (0, i64::MAX);
    assert_eq!(c.store.receipts(from, to).unwrap().len(), 1, "one receipt");
}

#[test]
fn a_press_for_a_card_the_page_no_longer_shows_or_with_nothing_ticked_pays_nothing() {
    let mut c = Counter::new();
    let generation = c.view()["generation"].as_u64().unwrap();
    let stale = c.press(pay(generation - 1));
    assert_eq!(
        (stale.status, stale.body["error"].as_str()),
        (409, Some("card_changed"))
    );
    let none = c.press(Ask::Pay {
        generation,
        lines: vec![],
        id_number: None,
    });
    assert_eq!(none.status, 422);
    let bad_id = c.press(Ask::Pay {
        generation,
        lines: vec![1],
        id_number: Some("12".into()),
    });
    assert_eq!(bad_id.status, 400, "{bad_id:?}");
    let unchecked = c.press(Ask::Fallback {
        reason: "card_not_presented".into(),
        ssn: "051146000123".into(),
        qr_text: None,
        id_number: None,
        id_checked: false,
    });
    assert_eq!(
        (unchecked.status, unchecked.body["error"].as_str()),
        (422, Some("id_not_checked"))
    );
    assert!(c.store.receipts(0, i64::MAX).unwrap().is_empty());
}

#[test]
fn a_recipient_the_roll_does_not_name_is_refused_in_vietnamese() {
    let mut c = Counter::new();
    let generation = c.view()["generation"].as_u64().unwrap();
    let a = c.press(Ask::Pay {
        generation,
        lines: vec![1],
        id_number: Some("051190001235".into()),
    });
    assert_eq!(a.status, 422, "{a:?}");
    assert!(
        a.body["message"]
            .as_str()
            .unwrap()
            .contains("KHÔNG chi trả"),
        "{a:?}"
    );
    assert!(c.store.receipts(0, i64::MAX).unwrap().is_empty());
}

#[test]
fn a_card_left_at_home_is_paid_on_the_points_receipt_once_the_document_is_checked() {
    let mut c = Counter::new();
    let a = c.press(Ask::Fallback {
        reason: "card_not_presented".into(),
        ssn: "051146000123".into(),
        qr_text: None,
        id_number: None,
        id_checked: true,
    });
    assert_eq!(a.status, 200, "{a:?}");
    assert!(a.body["receipt"]["signed_by"]
        .as_str()
        .unwrap()
        .contains("điểm chi trả ký số"));
}
