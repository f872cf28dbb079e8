//! Payment into an account (issue #19 items 4 and 5), through the real server binary on loopback
//! with its SQLite file: an entitlement paid into a bank account or e-wallet is `paid_by_account`
//! in the roll once approved, on the transfer list with a reference; the bank's result file
//! records all or nothing, a failed transfer is due at the counter in the next approved roll;
//! the beneficiaries unpaid in three published months are listed and "Tạm dừng" suspends them;
//! a receipt paid now for last month's roll reaches that roll's next version.

use asxh_core::lists::roll::LineStatus;
use asxh_core::lists::{Month, Roll};
use asxh_core::signature::SigningKey;
use asxh_core::Ssn;
use asxh_e2e::payments::{point_receipt, register_point_key, upload_receipts};
use asxh_e2e::rolls::{mid_month, months_ago, this_month};
use asxh_e2e::server::{ssn, Province, Req, RunningServer};
use rand_core::OsRng;
use serde_json::{json, Value};

use crate::console::Clerk;

const COMMUNE: &str = "51.429.22903";

fn status_of(roll: &Roll, holder: &str) -> Vec<LineStatus> {
    roll.lookup(Ssn::parse(holder).unwrap())
        .expect("on the roll")
        .iter()
        .map(|l| l.status)
        .collect()
}

fn set_account(server: &RunningServer, token: &str, id: i64, account: Value) -> u16 {
    let r = server.call(
        "PUT",
        &format!("/v1/entitlements/{id}/account"),
        Req {
            token: Some(token),
            json: Some(json!({ "account": account })),
            ..Req::default()
        },
    );
    assert!(
        r.status == 204 || r.status >= 400,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    r.status
}

fn upload_results(server: &RunningServer, token: &str, csv: &str) -> (u16, Value) {
    let r = server.call(
        "POST",
        "/v1/transfers/results",
        Req {
            token: Some(token),
            raw: Some(csv.as_bytes().to_vec()),
            ..Req::default()
        },
    );
    (r.status, r.json())
}

fn transfers(server: &RunningServer, token: &str) -> Value {
    let r = server.get(
        &format!("/v1/transfers/{COMMUNE}/{}", this_month()),
        Some(token),
    );
    assert_eq!(r.status, 200, "{}", r.json());
    r.json()
}

/// The newest draft of this month's roll above `after` whose changes count `changed`
/// beneficiaries (the server drafts again each second, one change or several at a time).
fn redrafted_with(server: &RunningServer, token: &str, after: i64, changed: u64) -> Value {
    let until = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let draft = server.redrafted(token, COMMUNE, after);
        if draft["summary"]["changes"]["changed"] == changed {
            return draft;
        }
        assert!(
            std::time::Instant::now() < until,
            "no draft changing {changed}: {draft}"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}

#[test]
fn an_account_line_is_transferred_from_the_list_and_a_failed_transfer_is_due_at_the_counter_after_approval(
) {
    let p = Province::new();
    let server = p.dir.start();
    p.dir.national_base_level();
    let admin = p.admin_51.clone();
    let (lan, hoa) = (ssn(801, "F", 1944), ssn(802, "F", 1945));
    server.register_beneficiary(&admin, &lan, "Nguyễn Thị Lan", COMMUNE);
    server.register_beneficiary(&admin, &hoa, "Trần Thị Hoa", COMMUNE);
    let lan_e = server.record_tgxh(&admin, &lan, 100, "801/QĐ-UBND");
    let hoa_e = server.record_tgxh(&admin, &hoa, 150, "802/QĐ-UBND");
    let first = server.draft_roll(&admin, COMMUNE);
    server.approve_draft(&admin, &first);
    let month = this_month();
    let roll = server.roll_above(&p.dir.fingerprint, COMMUNE, &month, 0);
    assert_eq!(status_of(&roll, &lan), [LineStatus::Due]);

    // The method in the register: checked, then a register change drafted again and waiting.
    let bad = json!({"kind": "bank", "provider": "Agribank", "account_no": "41-00", "holder_name": "Nguyễn Thị Lan", "owner": "holder"});
    assert_eq!(set_account(&server, &admin, lan_e, bad), 422);
    let no_recipient = json!({"kind": "bank", "provider": "Agribank", "account_no": "4100205123456", "holder_name": "Lê Văn Nam", "owner": "recipient"});
    assert_eq!(set_account(&server, &admin, lan_e, no_recipient), 422);
    let agribank = json!({"kind": "bank", "provider": "Agribank", "account_no": "4100205123456", "holder_name": "Nguyễn Thị Lan", "owner": "holder"});
    let wallet = json!({"kind": "ewallet", "provider": "VNPT Money", "account_no": "0912345678", "holder_name": "Trần Thị Hoa", "owner": "holder"});
    assert_eq!(set_account(&server, &admin, lan_e, agribank.clone()), 204);
    assert_eq!(
        set_account(&server, &admin, lan_e, agribank),
        409,
        "already so"
    );
    assert_eq!(set_account(&server, &admin, hoa_e, wallet), 204);
    assert_eq!(set_account(&server, &p.auditor, hoa_e, json!(null)), 403);
    let draft = redrafted_with(&server, &admin, first["id"].as_i64().unwrap(), 2);
    assert_eq!(
        draft["status"], "draft",
        "a change of method waits for approval: {draft}"
    );
    let still = server.roll_above(&p.dir.fingerprint, COMMUNE, &month, 0);
    assert_eq!(
        status_of(&still, &lan),
        [LineStatus::Due],
        "not before approval"
    );
    server.approve_draft(&admin, &draft);
    let roll = server.roll_above(&p.dir.fingerprint, COMMUNE, &month, still.header.version);
    assert_eq!(status_of(&roll, &lan), [LineStatus::PaidByAccount]);
    assert_eq!(status_of(&roll, &hoa), [LineStatus::PaidByAccount]);

    // The transfer list: both lines with their accounts and references, totals by provider.
    let list = transfers(&server, &p.auditor);
    let lines = list["lines"].as_array().unwrap();
    assert_eq!(lines.len(), 2, "{list}");
    let line_of = |who: &str| lines.iter().find(|l| l["ssn"] == who).unwrap().clone();
    let (lan_line, hoa_line) = (line_of(&lan), line_of(&hoa));
    assert_eq!(lan_line["account"]["account_no"], "4100205123456");
    assert_eq!(lan_line["amount_vnd"], 500_000);
    assert_eq!(hoa_line["account"]["provider"], "VNPT Money");
    assert_eq!(list["total_vnd"], 500_000 + 750_000);
    assert_eq!(
        list["by_provider"],
        json!([
            {"provider": "Agribank", "lines": 1, "amount_vnd": 500_000},
            {"provider": "VNPT Money", "lines": 1, "amount_vnd": 750_000},
        ])
    );
    let (lan_ref, hoa_ref) = (
        lan_line["reference"].as_str().unwrap().to_owned(),
        hoa_line["reference"].as_str().unwrap().to_owned(),
    );
    assert_eq!(
        transfers(&server, &admin)["lines"],
        list["lines"],
        "stable references"
    );

    // A file with a broken row records nothing, naming the row in Vietnamese.
    let broken =
        format!("reference,result,bank_txn,reason\n{lan_ref},ok,FT0001,\n{hoa_ref},maybe,,\n");
    let (status, body) = upload_results(&server, &admin, &broken);
    assert_eq!(status, 422, "{body}");
    let message = body["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("dòng 3: kết quả \"maybe\" không hợp lệ (cần ok hoặc failed)"),
        "{message}"
    );
    assert!(transfers(&server, &admin)["lines"]
        .as_array()
        .unwrap()
        .iter()
        .all(|l| l.get("result").is_none()));
    assert_eq!(upload_results(&server, &p.auditor, &broken).0, 403);

    // One ok, one failed: recorded; the same again: recorded once; a conflict: both shown.
    let good = format!("reference,result,bank_txn,reason\n{lan_ref},ok,FT0001,\n{hoa_ref},failed,,Sai số tài khoản\n");
    let (status, body) = upload_results(&server, &admin, &good);
    assert_eq!(
        (status, body.clone()),
        (200, json!({"recorded": 2, "repeated": 0}))
    );
    assert_eq!(
        upload_results(&server, &admin, &good).1,
        json!({"recorded": 0, "repeated": 2})
    );
    let conflict =
        format!("reference,result,bank_txn,reason\n{lan_ref},failed,,Tài khoản bị khóa\n");
    let (status, body) = upload_results(&server, &admin, &conflict);
    assert_eq!(status, 422, "{body}");
    let message = body["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("ok (FT0001)") && message.contains("failed (Tài khoản bị khóa)"),
        "{message}"
    );

    // The failed line is due at the counter in the next draft, which waits for approval.
    let failed = redrafted_with(&server, &admin, draft["id"].as_i64().unwrap(), 1);
    assert_eq!(failed["status"], "draft", "{failed}");
    server.approve_draft(&admin, &failed);
    let next = server.roll_above(&p.dir.fingerprint, COMMUNE, &month, roll.header.version);
    assert_eq!(
        status_of(&next, &hoa),
        [LineStatus::Due],
        "payable at the counter"
    );
    assert_eq!(
        status_of(&next, &lan),
        [LineStatus::PaidByAccount],
        "transferred: paid"
    );
    let audit = server.get("/v1/audit", Some(&admin)).json().to_string();
    assert!(
        audit.contains("entitlement.account") && audit.contains("transfer.result"),
        "{audit}"
    );

    // The console: the list with its results, its CSV export with a BOM, the payments page
    // counting the line transferred.
    let mut clerk = Clerk::new(&server);
    clerk.login(&admin);
    let page = clerk.get(&format!("/console/transfers/{COMMUNE}/{month}"));
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(
        page.body.contains(&lan_ref)
            && page.body.contains("đã chuyển (FT0001)")
            && !page.body.contains(&hoa_ref),
        "transferred, and the failed line left the list for the counter: {}",
        page.body
    );
    let (status, kind, csv) = clerk.download(&format!(
        "/console/transfers/{COMMUNE}/{month}/export?format=csv"
    ));
    assert_eq!((status, kind.as_str()), (200, "text/csv"));
    assert!(csv.starts_with(b"\xEF\xBB\xBF") && String::from_utf8_lossy(&csv).contains(&lan_ref));
    let payments = clerk.get(&format!("/console/payments/{COMMUNE}/{month}"));
    assert!(
        payments.body.contains("Khoản chuyển khoản"),
        "{}",
        payments.body
    );
}

#[test]
fn three_published_months_unpaid_list_the_holder_tam_dung_suspends_them_and_a_past_months_receipt_reaches_its_roll(
) {
    let p = Province::new();
    p.dir.national_base_level();
    let admin = p.admin_51.clone();
    let (never, paid) = (ssn(811, "F", 1940), ssn(812, "M", 1941));
    let months = [months_ago(2), months_ago(1), this_month()];

    // Two months ago: both decided from that month; its roll published. Then last month's.
    for (i, month) in months[..2].iter().enumerate() {
        let server = p.dir.start_with_clock(&mid_month(month));
        if i == 0 {
            for (who, name, n) in [(&never, "Phan Thị Mười", 811), (&paid, "Võ Văn Tám", 812)]
            {
                server.register_beneficiary(&admin, who, name, COMMUNE);
                server.record_tgxh_signed(&admin, who, 100, &format!("{n}/QĐ-UBND"), month, month);
            }
        }
        let draft = server.draft_roll_of(&admin, COMMUNE, month);
        server.approve_draft(&admin, &draft);
    }
    let server = p.dir.start();
    let draft = server.draft_roll(&admin, COMMUNE);
    server.approve_draft(&admin, &draft);

    // Paid today for last month: the receipt reaches last month's roll as paid.
    let last = &months[1];
    let before = server.roll_above(&p.dir.fingerprint, COMMUNE, last, 0);
    let item = before.lookup(Ssn::parse(&paid).unwrap()).unwrap()[0]
        .item
        .clone();
    let key = SigningKey::random(&mut OsRng);
    assert_eq!(
        register_point_key(&server, &p.payment_point, "POINT-1", &key).0,
        201
    );
    let receipt = point_receipt(
        &key,
        "POINT-1",
        Ssn::parse(&paid).unwrap(),
        (
            COMMUNE,
            Month::parse("month", last).unwrap(),
            before.header.version,
        ),
        vec![item],
    );
    let results = upload_receipts(&server, &p.payment_point, &[receipt.to_bytes()]);
    assert_eq!(results[0]["outcome"], "recorded", "{results:?}");
    let after = server.roll_above(&p.dir.fingerprint, COMMUNE, last, before.header.version);
    assert_eq!(
        status_of(&after, &paid),
        [LineStatus::Paid],
        "last month's roll marks it paid"
    );

    // Only the holder who collected nothing in the three months is listed.
    let path = format!("/v1/uncollected/{COMMUNE}/{}", this_month());
    let list = server.get(&path, Some(&p.auditor)).json();
    let listed: Vec<&str> = list["beneficiaries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["ssn"].as_str().unwrap())
        .collect();
    assert_eq!(listed, [never.as_str()], "{list}");
    assert_eq!(list["beneficiaries"][0]["months"], json!(months));
    assert_eq!(list["beneficiaries"][0]["due_vnd"], 3 * 500_000);

    // The console page lists them; an auditor has no action; "Tạm dừng" suspends at once.
    let mut auditor = Clerk::new(&server);
    auditor.login(&p.auditor);
    let page = auditor.get(&format!("/console/uncollected/{COMMUNE}/{}", this_month()));
    assert!(
        page.body.contains("Phan Thị Mười") && !page.body.contains("Tạm dừng</button>"),
        "{}",
        page.body
    );
    let roll = server.roll_above(&p.dir.fingerprint, COMMUNE, &this_month(), 0);
    let mut clerk = Clerk::new(&server);
    clerk.login(&admin);
    let page = clerk.get(&format!("/console/uncollected/{COMMUNE}/{}", this_month()));
    assert!(page.body.contains("Tạm dừng</button>"), "{}", page.body);
    let done = clerk.post(
        &format!("/console/uncollected/{COMMUNE}/{}/suspend", this_month()),
        &[("csrf", &page.csrf())],
    );
    assert_eq!(done.status, 200, "{}", done.body);
    assert!(done.body.contains("Đã tạm dừng 1 chế độ"), "{}", done.body);
    let next = server.roll_above(
        &p.dir.fingerprint,
        COMMUNE,
        &this_month(),
        roll.header.version,
    );
    assert_eq!(
        status_of(&next, &never),
        [LineStatus::Suspended],
        "published without approval"
    );
    assert_eq!(status_of(&next, &paid), [LineStatus::Due]);
    let history = server
        .get(&format!("/v1/beneficiaries/{never}"), Some(&admin))
        .json()
        .to_string();
    assert!(
        history.contains("not_collected")
            && history.contains("không nhận trợ cấp 3 tháng liên tiếp"),
        "{history}"
    );
    assert_eq!(
        server.get(&path, Some(&p.auditor)).json()["beneficiaries"],
        json!([]),
        "suspended: no longer listed"
    );
}
