//! The register of entitlement decisions on the real server binary on loopback: beneficiaries,
//! households, decisions, suspensions, stops and recipients recorded through the API, the
//! command line (while the server serves) and the console, read back with their whole history;
//! base levels set by the ministry at the command line and by a province's administrator; the
//! areas and roles of the access table; every change in the audit log.

use asxh_e2e::server::{Province, Reply, Req, RunningServer};
use serde_json::{json, Value};

use super::console::Clerk;

fn call(
    server: &RunningServer,
    method: &str,
    path: &str,
    token: &str,
    body: Option<Value>,
) -> Reply {
    server.call(
        method,
        path,
        Req {
            token: Some(token),
            json: body,
            ..Req::default()
        },
    )
}

fn beneficiary(server: &RunningServer, token: &str, ssn: &str) -> Value {
    let reply = call(
        server,
        "GET",
        &format!("/v1/beneficiaries/{ssn}"),
        token,
        None,
    );
    assert_eq!(
        reply.status,
        200,
        "{}",
        String::from_utf8_lossy(&reply.body)
    );
    reply.json()
}

fn decision(ssn: &str, number: &str) -> Value {
    json!({
        "ssn": ssn, "program": "TGXH", "category": "NKT-NANG", "coefficient": 150,
        "decision_no": number, "decision_date": "2024-01-05", "paid_from": "2024-01",
        "recipient": {"role": "guardian", "name": "Trần Văn Bình", "id_number": "051080000111",
                      "document": "QĐ 12/QĐ-UBND", "valid_from": "2024-01-05"}
    })
}

#[test]
fn decisions_recorded_through_the_api_and_the_command_line_read_back_with_their_history_within_their_area(
) {
    let p = Province::new();
    p.dir.cli_ok(&[
        "register",
        "base-level",
        "--program",
        "TGXH",
        "--from",
        "2024-07",
        "--amount-vnd",
        "500000",
        "--decree",
        "76/2024/NĐ-CP",
    ]);
    let server = p.dir.start();
    let ssn = "051146000001";
    let here = json!({"full_name": "Trần Thị Lan", "area": "51.22903"});

    // A commune's data entry registers its own residents only; an office registers nobody.
    let put = |token: &str, ssn: &str, body: &Value| {
        call(
            &server,
            "PUT",
            &format!("/v1/beneficiaries/{ssn}"),
            token,
            Some(body.clone()),
        )
    };
    let first = put(&p.data_entry, ssn, &here);
    assert_eq!(
        (first.status, first.json()["created"].clone()),
        (200, json!(true))
    );
    assert_eq!(
        put(&p.data_entry, ssn, &here).json()["created"],
        json!(false)
    );
    let elsewhere = json!({"full_name": "Võ Thị Mai", "area": "51.22906"});
    assert_eq!(put(&p.data_entry, "051147000006", &elsewhere).status, 403);
    assert_eq!(put(&p.office_qng, "051147000006", &here).status, 403);

    // A decision with its guardian; the same decision twice is refused, and so is an amount
    // rule that is neither a coefficient nor a fixed amount.
    let recorded = call(
        &server,
        "POST",
        "/v1/entitlements",
        &p.data_entry,
        Some(decision(ssn, "88/QĐ-UBND")),
    );
    assert_eq!(
        recorded.status,
        201,
        "{}",
        String::from_utf8_lossy(&recorded.body)
    );
    let id = recorded.json()["id"].as_i64().unwrap();
    let again = call(
        &server,
        "POST",
        "/v1/entitlements",
        &p.data_entry,
        Some(decision(ssn, "88/QĐ-UBND")),
    );
    assert_eq!(
        (again.status, again.error_code()),
        (409, "conflict".to_owned())
    );
    let mut neither = decision(ssn, "89/QĐ-UBND");
    neither["coefficient"] = Value::Null;
    let refused = call(
        &server,
        "POST",
        "/v1/entitlements",
        &p.data_entry,
        Some(neither),
    );
    assert_eq!(
        (refused.status, refused.error_field()),
        (422, Some("coefficient".to_owned()))
    );

    // Suspended (not collected for three months), suspended again refused, resumed, a new
    // authorised person.
    let status = |change: &str, token: &str, body: Value| {
        call(
            &server,
            "POST",
            &format!("/v1/entitlements/{id}/{change}"),
            token,
            Some(body),
        )
        .status
    };
    let suspend =
        json!({"on": "2024-09-01", "reason": "not_collected", "note": "Không nhận 3 tháng"});
    assert_eq!(status("suspend", &p.data_entry, suspend.clone()), 204);
    assert_eq!(status("suspend", &p.data_entry, suspend.clone()), 409);
    assert_eq!(
        status("suspend", &p.auditor, suspend),
        403,
        "an auditor only reads"
    );
    assert_eq!(
        status("resume", &p.data_entry, json!({"on": "2024-11-01"})),
        204
    );
    let authorised = json!({"recipient": {"role": "authorised", "name": "Lê Thị Cúc", "id_number": "051085000222",
        "document": "Giấy ủy quyền 04/2024", "valid_from": "2024-11-01", "valid_until": "2025-10-31"}});
    let changed = call(
        &server,
        "PUT",
        &format!("/v1/entitlements/{id}/recipient"),
        &p.data_entry,
        Some(authorised),
    );
    assert_eq!(changed.status, 204);

    // A poor household and its members: its decision is each member's.
    let household = json!({"code": "5122903000123", "area": "51.22903"});
    assert_eq!(
        call(
            &server,
            "POST",
            "/v1/households",
            &p.data_entry,
            Some(household)
        )
        .status,
        201
    );
    let member = json!({"ssn": ssn});
    assert_eq!(
        call(
            &server,
            "POST",
            "/v1/households/5122903000123/members",
            &p.data_entry,
            Some(member)
        )
        .status,
        204
    );
    let hn = json!({"household": "5122903000123", "program": "HN", "category": "HN", "fixed_vnd": 46000,
        "decision_no": "15/QĐ-UBND", "decision_date": "2024-01-10", "paid_from": "2024-01"});
    assert_eq!(
        call(&server, "POST", "/v1/entitlements", &p.data_entry, Some(hn)).status,
        201
    );
    let h = call(
        &server,
        "GET",
        "/v1/households/5122903000123",
        &p.auditor,
        None,
    )
    .json();
    assert_eq!(h["members"], json!([ssn]));

    // Stopped from the command line while the server serves (the holder has died).
    let stop = p.dir.cli_ok(&[
        "register",
        "stop",
        "--id",
        &id.to_string(),
        "--on",
        "2025-03-10",
        "--reason",
        "deceased",
    ]);
    assert!(stop.contains("thôi hưởng"), "{stop}");
    let none = json!({"recipient": null});
    let late = call(
        &server,
        "PUT",
        &format!("/v1/entitlements/{id}/recipient"),
        &p.data_entry,
        Some(none),
    );
    assert_eq!(late.status, 409, "a stopped entitlement is final");

    // Read back by the province's auditor: the whole history; another province's
    // administrator does not see the beneficiary, a payment point may not read the register.
    let record = beneficiary(&server, &p.auditor, ssn);
    let own = &record["entitlements"][0];
    assert_eq!(
        (own["status"].as_str(), own["reason"].as_str()),
        (Some("stopped"), Some("deceased"))
    );
    assert_eq!(
        own["paid_until"], "2025-03",
        "the month of the death is the last paid"
    );
    assert_eq!(own["recipient"]["name"], "Lê Thị Cúc");
    let changes: Vec<&str> = own["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["change"].as_str().unwrap())
        .collect();
    assert_eq!(
        changes,
        [
            "recorded",
            "recipient",
            "suspended",
            "resumed",
            "recipient",
            "stopped"
        ]
    );
    assert_eq!(own["history"][5]["actor"], "cli");
    assert_eq!(record["entitlements"][1]["household"], "5122903000123");
    assert_eq!(
        call(
            &server,
            "GET",
            &format!("/v1/beneficiaries/{ssn}"),
            &p.admin_79,
            None
        )
        .status,
        404
    );
    assert_eq!(
        call(
            &server,
            "GET",
            &format!("/v1/beneficiaries/{ssn}"),
            &p.payment_point,
            None
        )
        .status,
        403
    );

    // Base levels: a province's own by its administrator, the national one only at the
    // command line.
    let level = |token: &str, province: Option<&str>| {
        let mut body = json!({"program": "TGXH", "from": "2027-01", "amount_vnd": 600000, "decree": "12/2026/NQ-HĐND"});
        if let Some(p) = province {
            body["province"] = json!(p);
        }
        call(&server, "POST", "/v1/base-levels", token, Some(body)).status
    };
    assert_eq!(level(&p.admin_51, Some("51")), 200);
    assert_eq!(level(&p.admin_51, None), 403);
    assert_eq!(level(&p.admin_79, Some("51")), 403);
    assert_eq!(level(&p.data_entry, Some("51")), 403);
    let levels = call(&server, "GET", "/v1/base-levels", &p.auditor, None).json();
    let levels: Vec<(Value, Value, Value)> = levels["levels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["province"].clone(),
                l["from"].clone(),
                l["amount_vnd"].clone(),
            )
        })
        .collect();
    assert_eq!(
        levels,
        [
            (Value::Null, json!("2024-07"), json!(500000)),
            (json!("51"), json!("2027-01"), json!(600000))
        ],
        "by program, then the national level before a province's"
    );

    // Every change is in the audit log.
    let audit = call(&server, "GET", "/v1/audit?limit=1000", &p.admin_51, None).json();
    let actions: Vec<&str> = audit["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["action"].as_str().unwrap())
        .collect();
    for action in [
        "beneficiary.add",
        "entitlement.record",
        "entitlement.recipient",
        "entitlement.suspend",
        "entitlement.resume",
        "entitlement.stop",
        "household.add",
        "household.member",
        "base_level.set",
    ] {
        assert!(actions.contains(&action), "{action} not in {actions:?}");
    }

    // The command line reads it back the same way.
    let shown: Value =
        serde_json::from_str(&p.dir.cli_ok(&["register", "show", "--ssn", ssn])).unwrap();
    assert_eq!(shown["entitlements"], record["entitlements"]);
}

#[test]
fn the_console_records_a_decision_and_suspends_it_in_vietnamese_and_an_auditor_only_reads() {
    let p = Province::new();
    let server = p.dir.start();
    let ssn = "051146000007";
    let mut clerk = Clerk::new(&server);
    assert_eq!(clerk.login(&p.data_entry).status, 303);
    let start = clerk.get("/console/register");
    assert_eq!(start.status, 200);
    assert!(
        start.body.contains("Ghi quyết định hưởng")
            && start.body.contains("Tra cứu người thụ hưởng"),
        "{}",
        start.body
    );
    let csrf = start.csrf();

    let saved = clerk.post(
        "/console/register/beneficiaries",
        &[
            ("csrf", &csrf),
            ("ssn", ssn),
            ("full_name", "Đặng Thị Hoa"),
            ("area", "51.22903"),
        ],
    );
    assert_eq!(saved.status, 303);
    assert_eq!(
        saved.location.as_deref(),
        Some(&*format!("/console/register?ssn={ssn}&done=saved"))
    );
    let form = |coefficient: &str| {
        vec![
            ("csrf", csrf.clone()),
            ("ssn", ssn.to_owned()),
            ("program", "TGXH".into()),
            ("category", "NCT80".into()),
            ("coefficient", coefficient.into()),
            ("decision_no", "301/QĐ-UBND".into()),
            ("decision_date", "2024-05-04".into()),
            ("paid_from", "2024-06".into()),
            ("role", String::new()),
        ]
    };
    let as_refs =
        |f: &[(&'static str, String)]| f.iter().map(|(k, v)| (*k, v.clone())).collect::<Vec<_>>();
    let send = |clerk: &mut Clerk, f: Vec<(&'static str, String)>| {
        let pairs = as_refs(&f);
        let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
        clerk.post("/console/register/decisions", &pairs)
    };
    let refused = send(&mut clerk, form("0"));
    assert_eq!(refused.status, 200);
    assert!(
        refused.body.contains("class=\"notice problem\"") && refused.body.contains("coefficient"),
        "{}",
        refused.body
    );
    assert_eq!(send(&mut clerk, form("100")).status, 303);

    let page = clerk.get(&format!("/console/register?ssn={ssn}&done=saved"));
    assert!(page.body.contains("Đã lưu."), "{}", page.body);
    assert!(
        page.body.contains("301/QĐ-UBND")
            && page.body.contains("Đang hưởng")
            && page.body.contains("1,00 × mức chuẩn"),
        "{}",
        page.body
    );
    let at = page
        .body
        .find("/console/register/entitlements/")
        .expect("the decision's forms");
    let action = &page.body[at..];
    let action = &action[..action.find('"').unwrap()];
    assert!(action.ends_with("/suspend"), "{action}");
    let suspended = clerk.post(
        action,
        &[
            ("csrf", &csrf),
            ("ssn", ssn),
            ("reason", "not_collected"),
            ("on", "2024-09-01"),
            ("note", ""),
        ],
    );
    assert_eq!(suspended.status, 303);
    let page = clerk.get(&format!("/console/register?ssn={ssn}"));
    assert!(
        page.body.contains("Tạm dừng")
            && page.body.contains("Không nhận trợ cấp 3 tháng liên tục")
            && page.body.contains("01/09/2024"),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("Lịch sử thay đổi") && page.body.contains("Tiếp tục hưởng"),
        "{}",
        page.body
    );

    // The province's auditor reads the same page without a form to change it.
    let mut auditor = Clerk::new(&server);
    auditor.login(&p.auditor);
    let read = auditor.get(&format!("/console/register?ssn={ssn}"));
    assert_eq!(read.status, 200);
    assert!(
        read.body.contains("301/QĐ-UBND") && !read.body.contains("/console/register/entitlements/"),
        "{}",
        read.body
    );
    let levels = auditor.get("/console/register/base-levels");
    assert!(
        levels.body.contains("Mức chuẩn trợ giúp xã hội")
            && !levels.body.contains("Đặt mức chuẩn của tỉnh")
    );
}
