//! Misuse of the issuing server's API not covered by `server_api.rs` (issue #8): holder names
//! that look like SQL are stored and returned byte for byte and change nothing else; names with
//! control characters are refused naming the field; an administrator cannot revoke another
//! province's card by its SSN; malformed `Authorization` headers get 401.

use asxh_core::SignedCredential;
use asxh_e2e::server::{issue_body, ssn, Province, Req};
use serde_json::{json, Value};

/// Table names of the database, sorted.
fn tables(db: &rusqlite::Connection) -> Vec<String> {
    let mut stmt = db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .expect("prepare");
    let names = stmt
        .query_map([], |r| r.get(0))
        .expect("query")
        .collect::<rusqlite::Result<Vec<String>>>()
        .expect("rows");
    names
}

#[test]
fn sql_looking_holder_names_are_stored_and_returned_byte_exact_and_change_nothing_else() {
    let p = Province::new();
    let server = p.dir.start();
    let db = rusqlite::Connection::open(p.dir.data().join("asxh.sqlite")).expect("database");
    let before = tables(&db);
    // Injection payloads made only of what a name may hold (letters, spaces, hyphens,
    // apostrophes, periods): each would change the query if it were pasted into SQL.
    let names = [
        "Nguyễn' OR 'a' LIKE 'a",
        "Trần Thị Lan'--",
        "Lê' UNION SELECT token FROM accounts--",
        "O'Brien'-- DROP TABLE cards",
        "Đặng'' AND status LIKE 'active",
    ];
    let mut serials = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let n = 700 + i as u32;
        let mut body = issue_body(n, "51");
        body["full_name"] = json!(name);
        let r = server.post("/v1/cards", Some(&p.office_qng), body);
        assert_eq!(r.status, 201, "{name:?}: {}", r.json());
        let issued = r.json();
        let serial = issued["serial"].as_str().expect("serial").to_owned();
        // The signed credential carries the name unchanged.
        let credential = SignedCredential::parse(
            &hex::decode(issued["credential_hex"].as_str().expect("credential")).expect("hex"),
        )
        .expect("credential parses");
        let unverified = credential.unverified_body().expect("credential body");
        assert_eq!(unverified.holder.name().as_str(), *name);
        // Look-ups by serial and by SSN return it byte for byte.
        let card = server
            .get(&format!("/v1/cards/{serial}"), Some(&p.admin_51))
            .json();
        assert_eq!(
            card["full_name"].as_str().map(str::as_bytes),
            Some(name.as_bytes())
        );
        let by_ssn = server
            .get(
                &format!("/v1/cards?ssn={}", ssn(n, "F", 1946)),
                Some(&p.office_qng),
            )
            .json();
        let cards = by_ssn["cards"].as_array().expect("cards");
        assert_eq!(
            cards.len(),
            1,
            "{name:?}: the SSN look-up finds exactly its card"
        );
        assert_eq!(cards[0]["full_name"], *name);
        let stored: String = db
            .query_row(
                "SELECT full_name FROM cards WHERE serial = ?1",
                [serial
                    .split('-')
                    .next()
                    .expect("number")
                    .parse::<i64>()
                    .expect("number")],
                |r| r.get(0),
            )
            .expect("stored row");
        assert_eq!(stored.as_bytes(), name.as_bytes());
        serials.push(serial);
    }
    // The classic payload holds characters no name may contain, so it is refused before it
    // reaches the database.
    let mut body = issue_body(799, "51");
    body["full_name"] = json!("Nguyễn'); DROP TABLE cards;--");
    let r = server.post("/v1/cards", Some(&p.office_qng), body);
    assert_eq!(
        (r.status, r.error_field().as_deref()),
        (422, Some("full_name"))
    );

    // Nothing else changed: the same tables, one card per name, the other holders unaffected,
    // and the audit chain intact.
    assert_eq!(tables(&db), before);
    let cards: i64 = db
        .query_row("SELECT COUNT(*) FROM cards", [], |r| r.get(0))
        .expect("count");
    assert_eq!(cards, names.len() as i64);
    let accounts: i64 = db
        .query_row("SELECT COUNT(*) FROM accounts", [], |r| r.get(0))
        .expect("count");
    assert_eq!(accounts, 7, "the province's seven accounts");
    for serial in &serials {
        let card = server
            .get(&format!("/v1/cards/{serial}"), Some(&p.office_qng))
            .json();
        assert_eq!(card["status"], "pending", "{serial}");
    }
    assert!(p
        .dir
        .cli_ok(&["audit", "verify"])
        .contains("còn nguyên vẹn"));
}

#[test]
fn holder_names_with_control_characters_are_refused_naming_the_field() {
    let p = Province::new();
    let server = p.dir.start();
    for (what, name) in [
        ("NUL", "Trần\0Lan"),
        ("newline", "Trần\nLan"),
        ("carriage return and newline", "Trần Thị\r\nLan"),
        ("trailing newline", "Trần Thị Lan\n"),
        ("tab", "Trần\tLan"),
        ("escape sequence", "Trần \u{1b}[31mLan"),
        ("delete", "Trần\u{7f}Lan"),
        ("next line (C1)", "Trần\u{85}Lan"),
        ("right-to-left override", "Trần \u{202E}naL"),
    ] {
        let mut body = issue_body(1, "51");
        body["full_name"] = json!(name);
        let r = server.post("/v1/cards", Some(&p.office_qng), body);
        let reply = r.json();
        assert_eq!(
            (
                r.status,
                r.error_code().as_str(),
                r.error_field().as_deref()
            ),
            (422, "invalid_field", Some("full_name")),
            "{what}: {reply}"
        );
        assert!(
            !reply["error"]["message"]
                .as_str()
                .unwrap_or_default()
                .is_empty(),
            "{what}"
        );
    }
    // The same NUL written as a JSON escape by hand.
    let mut raw = serde_json::to_string(&issue_body(1, "51")).expect("JSON");
    raw = raw.replace("Trần Thị Lan", "Trần\\u0000Lan");
    let r = server.call(
        "POST",
        "/v1/cards",
        Req {
            token: Some(&p.office_qng),
            raw: Some(raw.into_bytes()),
            ..Req::default()
        },
    );
    assert_eq!(
        (r.status, r.error_field().as_deref()),
        (422, Some("full_name"))
    );
    // None of them was stored.
    let cards = server
        .get(
            &format!("/v1/cards?ssn={}", ssn(1, "F", 1946)),
            Some(&p.office_qng),
        )
        .json();
    assert_eq!(cards["cards"], json!([]));
}

#[test]
fn an_admin_cannot_revoke_another_provinces_card_by_ssn_and_bad_authorization_headers_get_401() {
    let p = Province::new();
    let server = p.dir.start();
    let r = server.post("/v1/cards", Some(&p.office_qng), issue_body(1, "51"));
    assert_eq!(r.status, 201);
    let serial = r.json()["serial"].as_str().expect("serial").to_owned();
    let a = server.post(
        &format!("/v1/cards/{serial}/activate"),
        Some(&p.office_qng),
        json!({}),
    );
    assert_eq!(a.status, 200);

    // The matrix in server_api.rs revokes by serial; by SSN, the area check holds as well.
    let r = server.post(
        "/v1/revocations",
        Some(&p.admin_79),
        json!({"ssn": ssn(1, "F", 1946), "reason": "deceased"}),
    );
    assert!(
        r.status == 403 || r.status == 404,
        "admin of area 79 revoking a card of area 51 by SSN: {} {}",
        r.status,
        r.json()
    );
    let card: Value = server
        .get(&format!("/v1/cards/{serial}"), Some(&p.admin_51))
        .json();
    assert_eq!(card["status"], "active");
    let before = server.get("/healthz", None).json()["revocation_list_version"].clone();

    for (what, header) in [
        ("no scheme", p.admin_51.clone()),
        ("Basic scheme", format!("Basic {}", p.admin_51)),
        ("empty bearer", "Bearer ".to_owned()),
        (
            "token with a trailing NUL-like suffix",
            format!("Bearer {}%00", p.admin_51),
        ),
        (
            "token of another account glued on",
            format!("Bearer {}{}", p.admin_51, p.admin_79),
        ),
        ("SQL in the token", "Bearer x' OR '1'='1".to_owned()),
    ] {
        let r = server.call(
            "POST",
            "/v1/revocations",
            Req {
                json: Some(json!({"serial": serial, "reason": "lost"})),
                headers: vec![("Authorization", header)],
                ..Req::default()
            },
        );
        assert_eq!(
            (r.status, r.error_code().as_str()),
            (401, "unauthorized"),
            "{what}"
        );
    }
    assert_eq!(
        server.get("/healthz", None).json()["revocation_list_version"],
        before,
        "no revocation happened"
    );
}

/// Runs `binary args…` with its standard output's reader gone; its exit code and standard error.
fn with_stdout_gone(binary: std::path::PathBuf, args: &[&str]) -> (Option<i32>, String) {
    let out = asxh_e2e::output_with_stdout_gone(std::process::Command::new(binary).args(args));
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_server_and_the_verifier_piped_into_a_reader_that_has_gone_finish_without_a_panic() {
    let p = Province::new();
    let data = p.dir.data();
    let data = data.to_str().unwrap();
    for args in [
        vec!["openapi"],
        vec!["register", "base-levels", "--data", data],
        vec!["audit", "verify", "--data", data],
    ] {
        let (code, stderr) = with_stdout_gone(asxh_e2e::server::server_binary(), &args);
        assert_eq!(code, Some(0), "asxh-server {args:?}: {stderr}");
        assert!(
            !stderr.contains("panicked"),
            "asxh-server {args:?}: {stderr}"
        );
    }
    let server = p.dir.start();
    let v = asxh_e2e::verifier::Verifier::init(&server.url, &p.dir.fingerprint);
    let point = v.data();
    let (code, stderr) = with_stdout_gone(
        asxh_e2e::verifier::verifier_binary(),
        &["sync", "--data", point.to_str().unwrap()],
    );
    assert_eq!(code, Some(0), "asxh-verifier sync: {stderr}");
    assert!(!stderr.contains("panicked"), "asxh-verifier sync: {stderr}");
}
