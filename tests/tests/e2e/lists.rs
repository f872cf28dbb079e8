//! The signed lists as published and as a payment point takes them (SPEC.md §14–§15; the
//! findings of the signed-lists issue, one test each): a quiet week with the server's clock moved
//! forward, ETags across a restart, a restore from backup, lists dated in the future and a full
//! list that drops a revoked card (both through a relay serving lists signed with the real keys),
//! and a point syncing through nginx with the README's configuration.

use std::time::{Duration, Instant};

use asxh_core::lists::{Revocation, RevocationList, TrustList};
use asxh_e2e::nginx::{Nginx, DOCUMENTED_CONFIG};
use asxh_e2e::relay::{server_key, Relay};
use asxh_e2e::server::{issue_body, revocation_list, verified_trust_list, Province, Req};
use asxh_e2e::server::{RunningServer, ServerDir};
use asxh_e2e::verifier::Verifier;
use serde_json::{json, Value};

/// A pending card of holder `n` in area 51: its serial and the QR text printed on its face.
fn issue_qr(server: &RunningServer, p: &Province, n: u32) -> (String, String) {
    let reply = server.post("/v1/cards", Some(&p.office_qng), issue_body(n, "51"));
    assert_eq!(reply.status, 201, "{}", reply.json());
    let j = reply.json();
    (
        j["serial"].as_str().unwrap().to_owned(),
        j["qr_text"].as_str().unwrap().to_owned(),
    )
}

/// Revokes `serial` as lost; returns the revocation-list version that carries it.
fn revoke(server: &RunningServer, p: &Province, serial: &str) -> u64 {
    let r = server.post(
        "/v1/revocations",
        Some(&p.admin_51),
        json!({"serial": serial, "reason": "lost"}),
    );
    assert_eq!(r.status, 201, "{}", r.json());
    r.json()["list_version"].as_u64().unwrap()
}

fn health(server: &RunningServer) -> Value {
    server.get("/healthz", None).json()
}

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970")
        .as_secs()
}

/// The exit code of a QR verification at the point (with the clock moved by `offset`).
fn qr_code_at(v: &Verifier, offset: &str, qr: &str, extra: &[&str]) -> (i32, Value) {
    let mut args = vec!["qr", "--text", qr];
    args.extend(extra);
    v.verdict_at(offset, &args)
}

#[test]
fn a_quiet_week_is_re_signed_by_the_server_and_a_point_that_syncs_stays_fresh() {
    let p = Province::new();
    let listen = ServerDir::free_address();
    let mut server = p.dir.start_args(&["--listen", &listen]);
    let (_, qr) = issue_qr(&server, &p, 201);
    let v = Verifier::init_and_sync(&server.url, &p.dir.fingerprint);
    let before = health(&server)["revocation_list_version"].as_u64().unwrap();

    // Eight days later (Tết) without a sync: the point's data is more than the 7 days its policy
    // allows, and never a plain green verdict.
    let (code, verdict) = qr_code_at(&v, "+8d", &qr, &["--stale-policy", "refuse"]);
    assert_eq!(code, 30, "{verdict}");
    let (code, verdict) = qr_code_at(&v, "+8d", &qr, &[]);
    assert_eq!(code, 12, "amber under the default warn policy: {verdict}");
    assert_eq!(verdict["outcome"], "valid_qr_only_stale_data");
    let screen = v.run_at("+8d", &["qr", "--text", &qr]);
    let screen = String::from_utf8_lossy(&screen.stdout);
    assert!(
        screen.contains("⚠ CHỈ CÓ MÃ QR") && screen.contains("cách đây 8 ngày"),
        "the verdict line says how old the data is: {screen}"
    );

    // The server's clock eight days on, nothing revoked in between: it re-signs at start-up.
    server.stop();
    let server = p.dir.start_at("+8d", &["--listen", &listen]);
    let after = health(&server)["revocation_list_version"].as_u64().unwrap();
    assert!(after > before, "re-signed: {before} → {after}");
    let trust = verified_trust_list(&server, &p.dir.fingerprint);
    let list = revocation_list(&server, &trust, "");
    assert!(
        list.issued_at >= now() + 8 * 86_400 - 600,
        "signed a week on: {}",
        list.issued_at
    );
    assert!(trust.issued_at >= now() + 8 * 86_400 - 600);

    // The point syncs (a delta: same content, new dates) and is fresh again.
    let report = v.sync_at("+8d");
    assert_eq!(report["revocation_fetch"], "delta", "{report}");
    assert_eq!(report["revocation_list_version"], after);
    assert_eq!(report["warnings"], json!([]), "{report}");
    let (code, verdict) = qr_code_at(&v, "+8d", &qr, &["--stale-policy", "refuse"]);
    assert_eq!(code, 10, "{verdict}");
}

#[test]
fn while_it_runs_the_server_re_signs_unchanged_lists_before_their_next_update() {
    let p = Province::new();
    let fast = [
        "--revocation-list-refresh",
        "2s",
        "--revocation-list-validity",
        "6s",
        "--trust-list-refresh",
        "2s",
        "--trust-list-validity",
        "6s",
    ];
    let server = p.dir.start_args(&fast);
    let (serial, _) = issue_qr(&server, &p, 202);
    revoke(&server, &p, &serial);
    let trust = verified_trust_list(&server, &p.dir.fingerprint);
    let first = revocation_list(&server, &trust, "");
    std::thread::sleep(Duration::from_millis(3500));
    let trust_later = verified_trust_list(&server, &p.dir.fingerprint);
    let later = revocation_list(&server, &trust, "");
    assert!(later.version > first.version, "a new version");
    assert_eq!(later.entries(), first.entries(), "the same content");
    assert!(later.next_update > now(), "never past its next_update");
    assert!(trust_later.version > trust.version);
    assert_eq!(trust_later.issuers, trust.issuers);
    let delta = revocation_list(&server, &trust, &format!("?since={}", first.version));
    assert_eq!(
        delta.entries().len(),
        0,
        "a heartbeat carries no revocation"
    );

    // A refresh interval that is not below the validity could let a list go stale: refused.
    let out = p.dir.cli(&[
        "serve",
        "--listen",
        "127.0.0.1:0",
        "--revocation-list-refresh",
        "2h",
    ]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("must be above zero and below"));
}

#[test]
fn one_version_names_one_byte_string_and_its_etag_across_a_restart() {
    let p = Province::new();
    let listen = ServerDir::free_address();
    let mut server = p.dir.start_args(&["--listen", &listen]);
    let v0 = health(&server)["revocation_list_version"].as_u64().unwrap();
    let (serial, _) = issue_qr(&server, &p, 203);
    revoke(&server, &p, &serial);
    let paths = [
        "/v1/revocation-list".to_owned(),
        format!("/v1/revocation-list?since={v0}"),
        "/v1/trust-list".to_owned(),
    ];
    let before: Vec<_> = paths.iter().map(|path| server.get(path, None)).collect();
    server.stop();
    let server = p.dir.start_args(&["--listen", &listen]);
    for (path, old) in paths.iter().zip(&before) {
        let now = server.get(path, None);
        assert_eq!(now.status, 200, "{path}");
        assert_eq!(now.etag, old.etag, "{path}: same ETag after the restart");
        assert_eq!(now.body, old.body, "{path}: same bytes after the restart");
        let again = server.call(
            "GET",
            path,
            Req {
                headers: vec![("If-None-Match", old.etag.clone().unwrap())],
                ..Req::default()
            },
        );
        assert_eq!(again.status, 304, "{path}");
        assert_eq!(again.etag, old.etag, "{path}");
    }
    // Caches may keep a list, never longer than the server's max-age (30 s by default).
    let agent = ureq::agent();
    for path in &paths {
        let r = agent.get(&format!("{}{path}", server.url)).call().unwrap();
        let cc = r.header("cache-control").unwrap_or_default().to_owned();
        let age: u64 = cc
            .strip_prefix("public, max-age=")
            .and_then(|a| a.parse().ok())
            .unwrap_or_else(|| panic!("{path}: Cache-Control {cc:?}"));
        assert!((1..=30).contains(&age), "{path}: {cc}");
    }
}

#[test]
fn a_restored_backup_never_reuses_a_version_and_a_point_keeps_every_revocation() {
    let p = Province::new();
    let listen = ServerDir::free_address();
    let mut server = p.dir.start_args(&["--listen", &listen]);
    let cards: Vec<(String, String)> = (0..5).map(|i| issue_qr(&server, &p, 210 + i)).collect();
    let v = Verifier::init_and_sync(&server.url, &p.dir.fingerprint);
    let backup = tempfile::tempdir().unwrap();
    let backup_file = backup.path().join("asxh-backup.sqlite");
    p.dir
        .cli_ok(&["backup", "--to", backup_file.to_str().unwrap()]);

    // After the backup: two revocations, and the point syncs them.
    let lost: Vec<u64> = cards[..2]
        .iter()
        .map(|(s, _)| revoke(&server, &p, s))
        .collect();
    assert_eq!(
        v.sync()["revocation_list_version"],
        *lost.iter().max().unwrap()
    );

    // Restoring is refused while the server runs.
    let refused = p
        .dir
        .cli(&["restore", "--from", backup_file.to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(1), "{refused:?}");
    assert!(String::from_utf8_lossy(&refused.stderr).contains("a server is running"));

    server.stop();
    let out = p
        .dir
        .cli_ok(&["restore", "--from", backup_file.to_str().unwrap()]);
    assert!(
        out.contains("Đã công bố danh sách đơn vị cấp thẻ tin cậy phiên bản"),
        "{out}"
    );
    let server = p.dir.start_args(&["--listen", &listen]);
    let restored = health(&server)["revocation_list_version"].as_u64().unwrap();
    assert!(
        restored > *lost.iter().max().unwrap(),
        "published above everything before the restore: {restored}"
    );
    let gone = server.get(&format!("/v1/revocation-list?since={}", lost[1]), None);
    assert_eq!(gone.status, 409, "a version of the lost history");
    assert_eq!(gone.error_code(), "unknown_base_version");

    // Three more revocations on the restored server, all at new versions.
    for (s, _) in &cards[2..] {
        assert!(revoke(&server, &p, s) > restored);
    }
    let report = v.sync();
    assert_eq!(report["revocation_fetch"], "full", "{report}");
    assert_eq!(report["kept_revocations"], 2, "{report}");
    assert_eq!(report["revoked_cards"], 5, "{report}");
    let warnings = report["warnings"].to_string();
    assert!(
        warnings.contains("no longer knows version")
            && warnings.contains("2 revocations kept that the server's list no longer carries"),
        "{report}"
    );
    for (serial, qr) in &cards {
        let (code, verdict) = v.verdict(&["qr", "--text", qr]);
        assert_eq!(code, 20, "{serial}: {verdict}");
    }
    // And it carries on with deltas from the new version.
    let next = v.sync();
    assert_eq!(next["revocation_fetch"], "delta", "{next}");
    assert_eq!(next["revoked_cards"], 5);
}

/// Re-signs `list` (version, dates, entries as given) with the server's real list key.
fn signed_by_the_server(dir: &ServerDir, list: &RevocationList) -> Vec<u8> {
    list.sign(&server_key(dir, "revocation-list.key"))
}

#[test]
fn lists_dated_in_the_future_are_refused_and_an_overdue_next_update_is_said() {
    let p = Province::new();
    let server = p.dir.start();
    let relay = Relay::start(&server.url);
    let (_, qr) = issue_qr(&server, &p, 220);
    let v = Verifier::init_and_sync(&relay.url, &p.dir.fingerprint);
    let held = v.store().lists().unwrap().unwrap().revocations.unwrap();
    let ten_years = 10 * 365 * 86_400;

    // A delta that chains, genuinely signed, but dated ten years ahead.
    let future = RevocationList::new(
        held.version + 1,
        now() + ten_years,
        now() + ten_years + 3600,
        Some(held.version),
        Vec::new(),
    )
    .unwrap();
    relay.replace("/v1/revocation-list", signed_by_the_server(&p.dir, &future));
    let (code, stderr) = v.failed_sync();
    println!("delta from the future: exit {code}, {}", stderr.trim());
    assert_eq!(code, 42, "{stderr}");
    assert!(
        stderr.contains("phần thay đổi của danh sách thu hồi mang thời điểm")
            && stderr.contains("kiểm tra đồng hồ"),
        "{stderr}"
    );
    assert_eq!(
        v.store()
            .lists()
            .unwrap()
            .unwrap()
            .revocations
            .unwrap()
            .version,
        held.version,
        "the held list is kept"
    );

    // The same for a trust list signed by the real root.
    let root = server_key(&p.dir, "root.key");
    let mut trust: TrustList = TrustList::parse_verified(
        &server.get("/v1/trust-list", None).body,
        root.verifying_key(),
    )
    .unwrap();
    trust.version += 1;
    trust.issued_at = now() + ten_years;
    trust.next_update = trust.issued_at + 86_400;
    relay.replace("/v1/trust-list", trust.sign(&root));
    let (code, stderr) = v.failed_sync();
    assert_eq!(code, 42, "{stderr}");
    assert!(
        stderr.contains("danh sách đơn vị cấp thẻ tin cậy mang thời điểm"),
        "{stderr}"
    );
    relay.forward("/v1/trust-list");

    // A genuine trust list whose next_update has passed: taken, and said.
    relay.forward("/v1/revocation-list");
    trust.version += 1;
    trust.issued_at = now() - 2 * 86_400;
    trust.next_update = now() - 86_400;
    relay.replace("/v1/trust-list", trust.sign(&root));
    let report = v.sync();
    assert_eq!(report["trust_list_version"], trust.version, "{report}");
    assert!(
        report["warnings"]
            .to_string()
            .contains("trust list (version"),
        "{report}"
    );

    // A genuine delta whose next_update has already passed: taken, and said.
    let overdue = RevocationList::new(
        held.version + 1,
        now() - 7200,
        now() - 3600,
        Some(held.version),
        Vec::new(),
    )
    .unwrap();
    relay.replace(
        "/v1/revocation-list",
        signed_by_the_server(&p.dir, &overdue),
    );
    let report = v.sync();
    assert!(
        report["warnings"]
            .to_string()
            .contains("revocation list (version"),
        "{report}"
    );
    let (code, verdict) = v.verdict(&["qr", "--text", &qr]);
    assert_eq!(code, 10, "{verdict}");
    assert!(
        verdict["warnings"]
            .to_string()
            .contains("promised a newer one by"),
        "{verdict}"
    );
}

#[test]
fn a_full_list_that_drops_a_revoked_card_never_un_revokes_it_and_the_point_recovers() {
    let p = Province::new();
    let server = p.dir.start();
    let relay = Relay::start(&server.url);
    let (serial, qr) = issue_qr(&server, &p, 230);
    revoke(&server, &p, &serial);
    let v = Verifier::init_and_sync(&relay.url, &p.dir.fingerprint);
    assert_eq!(v.verdict(&["qr", "--text", &qr]).0, 20);
    let held = v.store().lists().unwrap().unwrap().revocations.unwrap();

    // The relay says the point's version is unknown and serves a newer full list, genuinely
    // signed with the list key, that leaves the card out.
    let dropped = RevocationList::new(
        held.version + 1,
        now(),
        now() + 3600,
        None,
        Vec::<Revocation>::new(),
    )
    .unwrap();
    let since_held = format!("/v1/revocation-list?since={}", held.version);
    relay.answer_with(
        &since_held,
        409,
        serde_json::to_vec(&json!({"error": {"code": "unknown_base_version", "message": "take the full list", "field": null}})).unwrap(),
    );
    relay.replace(
        "/v1/revocation-list",
        signed_by_the_server(&p.dir, &dropped),
    );
    let report = v.sync();
    println!("full list without the revoked card: {report}");
    assert_eq!(report["revocation_fetch"], "full");
    assert_eq!(report["revocation_list_version"], held.version + 1);
    assert_eq!(report["kept_revocations"], 1, "{report}");
    let (code, verdict) = v.verdict(&["qr", "--text", &qr]);
    assert_eq!(code, 20, "still revoked: {verdict}");
    assert_eq!(verdict["revocation"]["reason"], "lost");

    // The real server again, which never published that version: the point takes its full list
    // once, then goes on with deltas; it never asks for the unknown version forever.
    relay.forward(&since_held);
    relay.forward("/v1/revocation-list");
    let (other, _) = issue_qr(&server, &p, 231);
    revoke(&server, &p, &other);
    let report = v.sync();
    assert_eq!(report["revocation_fetch"], "full", "{report}");
    assert_eq!(
        report["kept_revocations"], 0,
        "the server's list carries it: {report}"
    );
    let again = v.sync();
    assert_ne!(again["revocation_fetch"], "full", "{again}");
    assert_eq!(v.verdict(&["qr", "--text", &qr]).0, 20);
}

#[test]
fn a_point_syncing_through_nginx_with_the_documented_config_sees_a_revocation_within_a_minute() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md")).unwrap();
    assert!(
        readme.contains(DOCUMENTED_CONFIG),
        "README shows server/nginx.conf as it is"
    );
    let p = Province::new();
    let server = p.dir.start();
    let nginx = Nginx::in_front_of(&server.url);
    let (serial, qr) = issue_qr(&server, &p, 240);
    let v = Verifier::init_and_sync(&nginx.url, &p.dir.fingerprint);
    assert_eq!(v.verdict(&["qr", "--text", &qr]).0, 10);

    // nginx answers the lists itself once it has them.
    let agent = ureq::agent();
    let cache_status = |path: &str| {
        agent
            .get(&format!("{}{path}", nginx.url))
            .call()
            .unwrap_or_else(|e| panic!("{path} through nginx: {e}\n{}", nginx.error_log()))
            .header("x-cache-status")
            .unwrap_or_default()
            .to_owned()
    };
    cache_status("/v1/revocation-list");
    assert_eq!(cache_status("/v1/revocation-list"), "HIT");

    let revoked_at = Instant::now();
    revoke(&server, &p, &serial);
    loop {
        v.sync();
        if v.verdict(&["qr", "--text", &qr]).0 == 20 {
            break;
        }
        assert!(
            revoked_at.elapsed() < Duration::from_secs(60),
            "the revocation did not reach the point through nginx within 60 s"
        );
        std::thread::sleep(Duration::from_secs(2));
    }
    println!(
        "revocation seen through nginx after {:.1} s",
        revoked_at.elapsed().as_secs_f64()
    );
}
