//! The roll's life on a real store: draft, check, approve, publish, correct.

use asxh_core::entitlement::{CategoryCode, IdNumber, ProgramCode};
use asxh_core::holder::PersonName;
use asxh_core::lists::roll::{ItemKind, LineStatus, RecipientRole};
use asxh_core::lists::{Month, Roll, RollEntry, RollItem, RollLine, RollRecipient};
use asxh_core::{AreaCode, Ssn};

use super::*;
use crate::policy::{authorize, Account, Principal, Role};
use crate::publication::{DeltaRefused, ListKind};

const AREA: &str = "51.429.22903";

fn month() -> Month {
    Month::parse("month", "2026-12").unwrap()
}

fn area() -> AreaCode {
    AreaCode::parse(AREA).unwrap()
}

fn admin(area: &str) -> Principal {
    Principal::Account(Account {
        id: 7,
        role: Role::Admin,
        office: None,
        area: AreaCode::parse(area).unwrap(),
    })
}

fn ssn(i: u32) -> Ssn {
    Ssn::parse(&format!("0511460{i:05}")).unwrap()
}

fn line(amount: u64, status: LineStatus, recipient: Option<&str>) -> RollLine {
    RollLine {
        item: RollItem::new(
            ProgramCode::parse("TGXH").unwrap(),
            Some(CategoryCode::parse("BTXH-80").unwrap()),
            ItemKind::Monthly,
            amount,
            month(),
            month(),
        )
        .unwrap(),
        recipient: recipient.map(|name| RollRecipient {
            role: RecipientRole::Guardian,
            name: PersonName::parse("name", name).unwrap(),
            id_number: IdNumber::parse("051090001234").unwrap(),
            valid_until: None,
        }),
        status,
    }
}

fn entries(n: u32) -> Vec<RollEntry> {
    (1..=n)
        .map(|i| RollEntry {
            ssn: ssn(i),
            lines: vec![line(500_000, LineStatus::Due, None)],
        })
        .collect()
}

fn draft_as(store: &Store, who: &Principal, entries: Vec<RollEntry>) -> Result<RollDraft> {
    draft_entries(store, &authorize(who).unwrap(), &area(), month(), entries)
}

fn approve_as(store: &Store, who: &Principal, id: i64) -> Result<RollDraft> {
    approve(store, &authorize(who).unwrap(), id)
}

fn served(store: &Store) -> (Roll, crate::publication::Published) {
    let current = store
        .lists()
        .current(&list_name(&area(), month()))
        .expect("the roll is served");
    let roll = Roll::parse_full_verified(&current.bytes, store.roll_key().unwrap().verifying_key())
        .unwrap();
    (roll, (*current).clone())
}

fn delta_since(store: &Store, base: u64) -> Roll {
    let delta = store
        .lists()
        .delta(store, &list_name(&area(), month()), base)
        .map_err(|e| match e {
            DeltaRefused::UnknownBase { base, current } => format!("unknown {base} {current}"),
            DeltaRefused::Failed(e) => e.to_string(),
        })
        .unwrap();
    Roll::parse_delta_verified(&delta.bytes, store.roll_key().unwrap().verifying_key()).unwrap()
}

fn audit_actions(store: &Store) -> Vec<(String, String)> {
    store
        .read(|c| {
            let mut stmt = c.prepare(
                "SELECT actor, action FROM audit WHERE action LIKE 'roll.%' ORDER BY id",
            )?;
            let rows = stmt
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })
        .unwrap()
}

#[test]
fn a_first_draft_is_checked_and_waits_for_approval_which_publishes_it_signed_with_the_roll_key() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::init(dir.path()).unwrap();
    let d = draft_as(&store, &admin("51"), entries(3)).unwrap();
    assert_eq!(d.status, "draft");
    assert_eq!(d.summary.beneficiaries, 3);
    assert_eq!(d.summary.lines, 3);
    assert_eq!(d.summary.total_vnd, 1_500_000);
    assert_eq!(d.summary.totals[0].program, "TGXH");
    assert_eq!(d.summary.changes.added, 3);
    assert!(!d.summary.changes.reductions_only, "nothing published yet");
    assert!(
        store
            .lists()
            .current(&list_name(&area(), month()))
            .is_none(),
        "not published before approval"
    );
    let approved = approve_as(&store, &admin("51.429"), d.id).unwrap();
    assert_eq!(approved.status, "published");
    assert_eq!(approved.approved_by.as_deref(), Some("admin#7"));
    let (roll, published) = served(&store);
    assert_eq!(Some(roll.header.version), approved.published_version);
    assert_eq!(roll.header.area, area());
    assert_eq!(roll.len(), 3);
    assert_eq!(roll.lookup(ssn(2)).unwrap()[0].item.amount_vnd, 500_000);
    assert!(published.etag.starts_with("\"pr-"), "{}", published.etag);
    assert_eq!(
        audit_actions(&store),
        [
            ("admin#7".to_owned(), "roll.draft".to_owned()),
            ("admin#7".to_owned(), "roll.approve".to_owned())
        ]
    );
    // After a restart the same version is the same bytes.
    drop(store);
    let store = Store::open(dir.path()).unwrap();
    assert_eq!(served(&store).1.bytes, published.bytes);
}

#[test]
fn a_stop_publishes_at_once_as_a_delta_without_approval_and_is_audited() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::init(dir.path()).unwrap();
    let first = draft_as(&store, &admin("51"), entries(3)).unwrap();
    let v1 = approve_as(&store, &admin("51"), first.id)
        .unwrap()
        .published_version
        .unwrap();
    let mut next = entries(3);
    next[1].lines[0].status = LineStatus::Stopped;
    next.remove(2);
    let d = draft_as(&store, &admin("51"), next).unwrap();
    assert!(d.summary.changes.reductions_only);
    assert_eq!(
        (d.summary.changes.changed, d.summary.changes.removed),
        (1, 1)
    );
    assert_eq!(d.status, "published");
    assert_eq!(d.approved_by, None);
    let v2 = d.published_version.unwrap();
    assert!(v2 > v1);
    let delta = delta_since(&store, v1);
    assert_eq!(delta.header.base_version, Some(v1));
    let changed = delta.entries();
    assert_eq!(changed.len(), 2, "only the stopped and the removed");
    assert_eq!(changed[0].lines[0].status, LineStatus::Stopped);
    assert!(changed[1].lines.is_empty(), "a removal");
    let (roll, _) = served(&store);
    assert_eq!(roll.len(), 2);
    assert!(roll.lookup(ssn(3)).is_none());
    assert_eq!(
        audit_actions(&store).last().unwrap().1,
        "roll.publish_reduction"
    );
}

#[test]
fn an_amount_increase_a_new_recipient_or_a_new_beneficiary_waits_for_its_own_approval() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::init(dir.path()).unwrap();
    let first = draft_as(&store, &admin("51"), entries(2)).unwrap();
    let v1 = approve_as(&store, &admin("51"), first.id)
        .unwrap()
        .published_version
        .unwrap();
    for change in [
        |e: &mut Vec<RollEntry>| e[0].lines[0] = line(540_000, LineStatus::Due, None),
        |e: &mut Vec<RollEntry>| {
            e[0].lines[0] = line(500_000, LineStatus::Due, Some("Trần Văn Hùng"))
        },
        |e: &mut Vec<RollEntry>| e.extend(entries(3).pop()),
    ] {
        let mut next = entries(2);
        change(&mut next);
        let d = draft_as(&store, &admin("51"), next).unwrap();
        assert_eq!(d.status, "draft", "{:?}", d.summary.changes);
        assert!(!d.summary.changes.reductions_only);
    }
    assert_eq!(served(&store).0.header.version, v1, "nothing published");
    let all = store
        .read(|c| drafts(c, &authorize(&admin("51")).unwrap(), &area(), month()))
        .unwrap();
    assert_eq!(
        all.iter().map(|d| d.status.as_str()).collect::<Vec<_>>(),
        ["draft", "superseded", "superseded", "published"],
        "a later draft supersedes the one waiting"
    );
    let err = approve_as(&store, &admin("51"), all[1].id).unwrap_err();
    assert!(matches!(err, ServerError::Conflict(_)), "{err}");
    let v2 = approve_as(&store, &admin("51"), all[0].id)
        .unwrap()
        .published_version
        .unwrap();
    let delta = delta_since(&store, v1);
    assert_eq!(delta.header.version, v2);
    assert_eq!(delta.entries().len(), 1, "the new beneficiary only");
}

#[test]
fn a_draft_is_approved_only_within_the_approvers_area_once_and_against_the_roll_it_was_checked_with(
) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::init(dir.path()).unwrap();
    assert!(matches!(
        draft_as(&store, &admin("79"), entries(1)).unwrap_err(),
        ServerError::Forbidden(_)
    ));
    let d = draft_as(&store, &admin("51"), entries(2)).unwrap();
    assert!(matches!(
        approve_as(&store, &admin("79"), d.id).unwrap_err(),
        ServerError::NotFound(_)
    ));
    approve_as(&store, &admin("51"), d.id).unwrap();
    assert!(matches!(
        approve_as(&store, &admin("51"), d.id).unwrap_err(),
        ServerError::Conflict(_)
    ));
    // An increase waits; a stop published meanwhile makes its check out of date.
    let mut more = entries(2);
    more[0].lines[0] = line(600_000, LineStatus::Due, None);
    let waiting = draft_as(&store, &admin("51"), more).unwrap();
    let mut stop = entries(2);
    stop[1].lines[0].status = LineStatus::Stopped;
    assert_eq!(
        draft_as(&store, &admin("51"), stop).unwrap().status,
        "published"
    );
    let err = approve_as(&store, &admin("51"), waiting.id).unwrap_err();
    assert!(matches!(err, ServerError::Conflict(_)), "{err}");
    let office = Principal::Account(Account {
        id: 9,
        role: Role::Office,
        office: None,
        area: area(),
    });
    assert!(authorize::<act::ApproveRolls>(&office).is_err());
}

#[test]
fn bad_entries_are_refused_naming_what_is_wrong() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::init(dir.path()).unwrap();
    let mut twice = entries(2);
    twice[1].ssn = twice[0].ssn;
    let err = draft_as(&store, &admin("51"), twice).unwrap_err();
    assert!(err.to_string().contains("appears twice"), "{err}");
    let mut empty = entries(1);
    empty[0].lines.clear();
    let err = draft_as(&store, &admin("51"), empty).unwrap_err();
    assert!(err.to_string().contains("lines"), "{err}");
}

#[test]
fn only_due_lines_not_due_before_count_as_more_to_pay() {
    let due = [line(500_000, LineStatus::Due, None)];
    let stopped = [line(500_000, LineStatus::Stopped, None)];
    let other_recipient = [line(500_000, LineStatus::Due, Some("Lê Thị Hoa"))];
    assert!(only_reduces(Some(&due), &stopped));
    assert!(only_reduces(Some(&due), &due));
    assert!(!only_reduces(Some(&stopped), &due), "due again");
    assert!(!only_reduces(None, &due));
    assert!(!only_reduces(Some(&due), &other_recipient));
}

#[test]
fn a_change_of_payment_method_either_way_waits_for_approval_and_a_paid_mark_does_not() {
    let due = [line(500_000, LineStatus::Due, None)];
    let account = [line(500_000, LineStatus::PaidByAccount, None)];
    let paid = [line(500_000, LineStatus::Paid, None)];
    assert!(!only_reduces(Some(&due), &account), "counter to account");
    assert!(
        !only_reduces(Some(&account), &due),
        "a failed transfer due at the counter"
    );
    assert!(only_reduces(Some(&account), &account));
    assert!(only_reduces(Some(&due), &paid));
    let summary = summarize(
        &[RollEntry {
            ssn: ssn(1),
            lines: account.to_vec(),
        }],
        &HashMap::new(),
        None,
    );
    assert_eq!(
        summary.total_vnd, 500_000,
        "a line paid into an account is paid"
    );
}

#[test]
fn the_heartbeat_serves_the_rolls_of_this_and_the_last_month_only() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::init(dir.path()).unwrap();
    let this = Month::of(asxh_core::Date::today());
    let old = Month::from_index("m", u64::from(this.index() - 3)).unwrap();
    for m in [this, old] {
        let d = draft_entries(
            &store,
            &authorize(&admin("51")).unwrap(),
            &area(),
            m,
            entries(1),
        )
        .unwrap();
        approve_as(&store, &admin("51"), d.id).unwrap();
    }
    let names = store.read(|c| RollKind.lists(c)).unwrap();
    assert_eq!(names, [list_name(&area(), this)]);
}

#[test]
fn the_changes_report_compares_the_published_rolls_of_two_months_per_commune_and_program() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::init(dir.path()).unwrap();
    let who = admin("51");
    let grant = authorize(&who).unwrap();
    let november = Month::parse("month", "2026-11").unwrap();
    let at = |m: Month, amount, status| {
        let mut l = line(amount, status, None);
        l.item.first = m;
        l.item.last = m;
        l
    };
    let publish = |m: Month, entries: Vec<RollEntry>| {
        let d = draft_entries(&store, &grant, &area(), m, entries).unwrap();
        if d.status == "draft" {
            approve_as(&store, &who, d.id).unwrap();
        }
    };
    // November: 1 and 2 paid 500.000, 3 suspended, 4 paid, 5 paid.
    publish(
        november,
        vec![
            RollEntry {
                ssn: ssn(1),
                lines: vec![at(november, 500_000, LineStatus::Due)],
            },
            RollEntry {
                ssn: ssn(2),
                lines: vec![at(november, 500_000, LineStatus::Paid)],
            },
            RollEntry {
                ssn: ssn(3),
                lines: vec![at(november, 500_000, LineStatus::Suspended)],
            },
            RollEntry {
                ssn: ssn(4),
                lines: vec![at(november, 500_000, LineStatus::Due)],
            },
            RollEntry {
                ssn: ssn(5),
                lines: vec![at(november, 500_000, LineStatus::Due)],
            },
        ],
    );
    // December: 1 unchanged, 2 raised to 750.000, 3 resumed, 4 suspended, 5 gone, 6 new
    // with arrears.
    let mut arrears = at(month(), 1_000_000, LineStatus::Due);
    arrears.item.kind = ItemKind::Arrears;
    arrears.item.first = Month::parse("month", "2026-09").unwrap();
    arrears.item.last = november;
    publish(
        month(),
        vec![
            RollEntry {
                ssn: ssn(1),
                lines: vec![at(month(), 500_000, LineStatus::Due)],
            },
            RollEntry {
                ssn: ssn(2),
                lines: vec![at(month(), 750_000, LineStatus::Due)],
            },
            RollEntry {
                ssn: ssn(3),
                lines: vec![at(month(), 500_000, LineStatus::Due)],
            },
            RollEntry {
                ssn: ssn(4),
                lines: vec![at(month(), 500_000, LineStatus::Suspended)],
            },
            RollEntry {
                ssn: ssn(6),
                lines: vec![at(month(), 500_000, LineStatus::Due), arrears],
            },
        ],
    );
    let reader = authorize(&admin("51.429")).unwrap();
    let report = store
        .read(|c| changes::monthly_changes(c, &reader, &area(), month()))
        .unwrap();
    assert!(report.published && report.previous_published);
    assert_eq!(report.previous, november);
    let t = &report.total;
    assert_eq!((t.before.people, t.before.vnd), (4, 2_000_000));
    assert_eq!((t.after.people, t.after.vnd), (4, 2_250_000));
    let got = |c: changes::Change| t.changes.get(&c).map(|x| (x.people, x.vnd));
    assert_eq!(got(changes::Change::New), Some((1, 500_000)));
    assert_eq!(got(changes::Change::Resumed), Some((1, 500_000)));
    assert_eq!(got(changes::Change::Raised), Some((1, 250_000)));
    assert_eq!(got(changes::Change::Suspended), Some((1, 500_000)));
    assert_eq!(got(changes::Change::Stopped), Some((1, 500_000)));
    assert_eq!(got(changes::Change::Lowered), None);
    assert_eq!((t.arrears.people, t.arrears.vnd), (1, 1_000_000));
    assert_eq!(report.rows.len(), 1, "one commune, one program");
    assert_eq!(report.rows[0].program, "TGXH");
    let people: Vec<(Ssn, changes::Change)> =
        report.people.iter().map(|p| (p.ssn, p.change)).collect();
    assert_eq!(
        people,
        [
            (ssn(6), changes::Change::New),
            (ssn(3), changes::Change::Resumed),
            (ssn(4), changes::Change::Suspended),
            (ssn(5), changes::Change::Stopped),
            (ssn(2), changes::Change::Raised),
        ]
    );
    let outsider = authorize(&admin("79")).unwrap();
    assert!(store
        .read(|c| changes::monthly_changes(c, &outsider, &area(), month()))
        .is_err());
}
