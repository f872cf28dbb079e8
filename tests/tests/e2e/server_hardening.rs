//! The server attacked as issue #14 found it could be, through the real binary on loopback:
//! slow and idle clients, oversized headers, a flood of distinct `?since=` values, and accounts
//! reaching outside their area.

use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use asxh_e2e::server::{issue_body, Province, RunningServer, ServerDir};

/// This test process may open at least `n` files (it holds many sockets), raising its soft limit
/// with util-linux's `prlimit` when it is lower.
fn allow_open_files(n: u64) {
    let limits = std::fs::read_to_string("/proc/self/limits").unwrap();
    let soft: u64 = limits
        .lines()
        .find(|l| l.starts_with("Max open files"))
        .and_then(|l| l.split_whitespace().nth(3))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    if soft >= n {
        return;
    }
    let status = std::process::Command::new("prlimit")
        .args([
            "--pid",
            &std::process::id().to_string(),
            &format!("--nofile={n}:"),
        ])
        .status()
        .expect("prlimit (util-linux) runs");
    assert!(
        status.success(),
        "cannot raise this test's open-file limit to {n}"
    );
}

/// Whether the server has closed `stream` (non-blocking): end of stream or reset. Anything the
/// server sent before closing is read and dropped.
fn closed_by_server(stream: &mut TcpStream) -> bool {
    let mut buf = [0u8; 4096];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => return true,
            Ok(_) => continue,
            Err(e) if e.kind() == ErrorKind::WouldBlock => return false,
            Err(_) => return true,
        }
    }
}

/// `GET /healthz` on a new connection; its time, or why it failed.
fn healthz(server: &RunningServer, timeout: Duration) -> Result<Duration, String> {
    let agent = ureq::AgentBuilder::new().timeout(timeout).build();
    let start = Instant::now();
    let reply = agent
        .get(&format!("{}/healthz", server.url))
        .call()
        .map_err(|e| e.to_string())?;
    let mut body = String::new();
    reply
        .into_reader()
        .read_to_string(&mut body)
        .map_err(|e| e.to_string())?;
    if !body.contains("\"ok\"") {
        return Err(format!("healthz answered {body}"));
    }
    Ok(start.elapsed())
}

#[test]
fn with_1024_file_descriptors_1200_slow_header_clients_are_closed_and_healthz_answers_within_a_second(
) {
    allow_open_files(8192);
    let p = Province::new();
    let mut server = p
        .dir
        .start_custom(&["prlimit", "--nofile=1024:1024", "--"], &[]);
    let addr = server.addr();
    let request = b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nUser-Agent: slow\r\n\r\n";
    let start = Instant::now();
    // Each slow client: its stream, the bytes it sent, when the server closed it.
    let mut slow: Vec<(TcpStream, usize, Option<Duration>)> = Vec::new();
    let mut refused = 0;
    for _ in 0..1200 {
        match TcpStream::connect_timeout(&addr, Duration::from_secs(2)) {
            Ok(mut s) => {
                s.write_all(&request[..1]).unwrap();
                s.set_nonblocking(true).unwrap();
                slow.push((s, 1, None));
            }
            Err(_) => refused += 1,
        }
    }
    println!(
        "{} slow connections open ({refused} not accepted) in {:?}",
        slow.len(),
        start.elapsed()
    );

    // Three clients sending a 300 KB header at full speed are answered 431 and closed.
    let big: Vec<_> = (0..3)
        .map(|_| {
            std::thread::spawn(move || {
                let mut s = TcpStream::connect(addr).unwrap();
                s.set_write_timeout(Some(Duration::from_secs(10))).unwrap();
                s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
                let mut head = b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Padding: ".to_vec();
                head.resize(300_000, b'a');
                let _ = s.write_all(&head);
                let mut answer = Vec::new();
                let _ = s.read_to_end(&mut answer);
                String::from_utf8_lossy(&answer).into_owned()
            })
        })
        .collect();

    let mut slowest = Duration::ZERO;
    let mut failures = Vec::new();
    let mut last_byte = Instant::now();
    let deadline = Instant::now() + Duration::from_secs(45);
    while Instant::now() < deadline {
        match healthz(&server, Duration::from_secs(1)) {
            Ok(t) => slowest = slowest.max(t),
            Err(e) => failures.push(format!("at {:?}: {e}", start.elapsed())),
        }
        let send = last_byte.elapsed() >= Duration::from_secs(5);
        if send {
            last_byte = Instant::now();
        }
        for (stream, sent, closed) in slow.iter_mut().filter(|(_, _, c)| c.is_none()) {
            if closed_by_server(stream) {
                *closed = Some(start.elapsed());
            } else if send && *sent < request.len() {
                if stream.write_all(&request[*sent..*sent + 1]).is_err() {
                    *closed = Some(start.elapsed());
                }
                *sent += 1;
            }
        }
        if slow.iter().all(|(_, _, c)| c.is_some()) {
            break;
        }
        std::thread::sleep(Duration::from_millis(500));
    }
    let open = slow.iter().filter(|(_, _, c)| c.is_none()).count();
    let last_closed = slow.iter().filter_map(|(_, _, c)| *c).max();
    println!(
        "healthz: slowest {slowest:?}, {} failures; slow clients still open: {open}, last closed at {last_closed:?}",
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "healthz must answer within a second under 1,200 slow clients:\n{}",
        failures.join("\n")
    );
    assert_eq!(refused, 0, "every slow client got a connection");
    assert_eq!(open, 0, "the server closes every slow client");
    assert!(
        last_closed.is_some_and(|t| t < Duration::from_secs(30)),
        "slow clients are closed within the 15 s header timeout (plus the time to connect them all): {last_closed:?}"
    );
    for answer in big.into_iter().map(|t| t.join().unwrap()) {
        assert!(
            answer.starts_with("HTTP/1.1 431"),
            "a 300 KB header gets 431: {:?}",
            answer.get(..80)
        );
    }
    assert!(server.is_running(), "the server survived");
}

/// Reads from `stream` (blocking, with its read timeout) until the server closes it; returns
/// what it sent and when it closed.
fn read_until_closed(stream: &mut TcpStream, start: Instant) -> (String, Duration) {
    let mut answer = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => answer.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == ErrorKind::WouldBlock || e.kind() == ErrorKind::TimedOut => {
                panic!(
                    "the server did not close the connection within the read timeout; it sent {:?}",
                    String::from_utf8_lossy(&answer)
                )
            }
            Err(_) => break,
        }
    }
    (
        String::from_utf8_lossy(&answer).into_owned(),
        start.elapsed(),
    )
}

#[test]
fn a_silent_client_a_stalled_body_and_an_idle_keep_alive_connection_are_each_closed_on_time() {
    let p = Province::new();
    let server = p.dir.start_custom(
        &[],
        &[
            "--header-timeout",
            "2s",
            "--body-timeout",
            "2s",
            "--idle-timeout",
            "4s",
        ],
    );
    let connect = || {
        let s = TcpStream::connect(server.addr()).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        (s, Instant::now())
    };

    let (mut silent, start) = connect();
    let (_, after) = read_until_closed(&mut silent, start);
    assert!(
        (Duration::from_millis(1500)..Duration::from_secs(5)).contains(&after),
        "a client that sends nothing is closed after the 2 s header timeout, not {after:?}"
    );

    let (mut stalled, start) = connect();
    stalled
        .write_all(
            format!(
                "POST /v1/cards HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{{\"ssn\":",
                p.office_qng
            )
            .as_bytes(),
        )
        .unwrap();
    let (answer, after) = read_until_closed(&mut stalled, start);
    assert!(
        answer.starts_with("HTTP/1.1 408"),
        "a body that stops coming gets 408: {answer:?}"
    );
    assert!(answer.contains("request_timeout"), "{answer}");
    assert!(
        (Duration::from_millis(1500)..Duration::from_secs(5)).contains(&after),
        "after the 2 s body timeout, not {after:?}"
    );

    let (mut idle, _) = connect();
    idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .unwrap();
    let mut first = [0u8; 12];
    idle.read_exact(&mut first).unwrap();
    assert_eq!(&first, b"HTTP/1.1 200");
    let answered = Instant::now();
    let (_, after) = read_until_closed(&mut idle, answered);
    assert!(
        (Duration::from_millis(3500)..Duration::from_secs(7)).contains(&after),
        "a kept-alive connection without a request is closed after the 4 s idle timeout, not {after:?}"
    );

    // A client that keeps its connection busy with requests is never cut off.
    let agent = ureq::AgentBuilder::new().build();
    for _ in 0..6 {
        let r = agent
            .get(&format!("{}/healthz", server.url))
            .call()
            .unwrap();
        assert_eq!(r.status(), 200);
        std::thread::sleep(Duration::from_secs(1));
    }
    let issued = server.post("/v1/cards", Some(&p.office_qng), issue_body(1, "51"));
    assert_eq!(issued.status, 201, "{}", issued.json());
}

#[test]
fn a_request_answered_without_reading_its_body_leaves_the_kept_alive_connection_usable() {
    let p = Province::new();
    let server = p.dir.start();
    let mut conn = TcpStream::connect(server.addr()).unwrap();
    conn.set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    // A bad token is refused before the body is looked at, and this body comes late.
    conn.write_all(
        b"POST /v1/offices/QNG-01/keys HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer nope\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n",
    )
    .unwrap();
    std::thread::sleep(Duration::from_millis(300));
    conn.write_all(b"{}").unwrap();
    conn.write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .unwrap();
    let mut answers = Vec::new();
    let mut buf = [0u8; 4096];
    while String::from_utf8_lossy(&answers)
        .matches("HTTP/1.1 ")
        .count()
        < 2
    {
        match conn.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => answers.extend_from_slice(&buf[..n]),
        }
    }
    let answers = String::from_utf8_lossy(&answers).to_lowercase();
    assert!(answers.starts_with("http/1.1 401"), "{answers}");
    assert!(
        answers.contains("http/1.1 200"),
        "the next request on the connection is answered: {answers}"
    );
    assert!(!answers.contains("connection: close"), "{answers}");
}

/// A well-formed serial no card has.
fn unknown_serial() -> String {
    asxh_core::CardSerial::new(9_999_999_999)
        .unwrap()
        .to_string()
}

/// Issues and activates a card for holder `n` in `area` through the API; returns its serial.
fn active_card(server: &RunningServer, office: &str, n: u32, area: &str) -> String {
    let issued = server.post("/v1/cards", Some(office), issue_body(n, area));
    assert_eq!(issued.status, 201, "{}", issued.json());
    let serial = issued.json()["serial"].as_str().unwrap().to_owned();
    let done = server.post(
        &format!("/v1/cards/{serial}/activate"),
        Some(office),
        serde_json::json!({}),
    );
    assert_eq!(done.status, 200, "{}", done.json());
    serial
}

/// `body` of holder `n` replacing `serial` for `reason`, with a new card's key.
fn replacement_body(n: u32, area: &str, serial: &str, reason: &str) -> serde_json::Value {
    let mut body = issue_body(n, area);
    body["replaces"] = serde_json::json!({"serial": serial, "reason": reason});
    body["card_public_key_hex"] = serde_json::json!(asxh_e2e::server::card_key_hex(&format!(
        "new card {serial}"
    )));
    body
}

#[test]
fn an_office_cannot_replace_a_card_outside_its_area_nor_learn_its_serial_from_the_409() {
    let p = Province::new();
    let server = p.dir.start();
    let serial = active_card(&server, &p.office_qng, 1, "51.22903");

    // HCM-01 (area 79) asks for a card for the same SSN: the 409 does not name the card.
    let r = server.post("/v1/cards", Some(&p.office_hcm), issue_body(1, "79"));
    assert_eq!(r.status, 409, "{}", r.json());
    let message = r.json()["error"]["message"].as_str().unwrap().to_owned();
    assert!(
        !message.contains(&serial),
        "a 409 for another area's SSN names its card: {message}"
    );

    // Naming the card anyway as the one it replaces gets the answer an unknown card gets, and
    // changes nothing.
    let unknown = &unknown_serial();
    let bogus = server.post(
        "/v1/cards",
        Some(&p.office_hcm),
        replacement_body(1, "79", unknown, "deceased"),
    );
    let stolen = server.post(
        "/v1/cards",
        Some(&p.office_hcm),
        replacement_body(1, "79", &serial, "deceased"),
    );
    assert_eq!(stolen.status, 404, "{}", stolen.json());
    assert_eq!(
        stolen.json()["error"]["message"]
            .as_str()
            .unwrap()
            .replace(&serial, unknown),
        bogus.json()["error"]["message"].as_str().unwrap(),
        "the same answer as for a card that does not exist"
    );
    let card = server
        .get(&format!("/v1/cards/{serial}"), Some(&p.admin_51))
        .json();
    assert_eq!(card["status"], "active", "{card}");
    let trust = asxh_e2e::server::verified_trust_list(&server, &p.dir.fingerprint);
    assert!(
        asxh_e2e::server::revocation_list(&server, &trust, "")
            .entries()
            .is_empty(),
        "nothing was revoked"
    );

    // An office account narrowed to district 51.429 cannot replace a card of commune 51.22903
    // either, though its office may.
    let narrowed = p.dir.add_account("office", Some("QNG-01"), Some("51.429"));
    let r = server.post(
        "/v1/cards",
        Some(&narrowed),
        replacement_body(1, "51.429.22903", &serial, "damaged"),
    );
    assert_eq!(r.status, 404, "{}", r.json());
    let r = server.post(
        "/v1/cards",
        Some(&p.office_qng),
        replacement_body(1, "51.22903", &serial, "damaged"),
    );
    assert_eq!(
        r.status,
        201,
        "the card's own area replaces it: {}",
        r.json()
    );
    let card = server
        .get(&format!("/v1/cards/{serial}"), Some(&p.admin_51))
        .json();
    assert_eq!(card["revocation"]["reason"], "damaged");
}

#[test]
fn an_office_account_narrowed_to_a_sub_area_acts_only_there_and_out_of_area_serials_answer_like_unknown_ones(
) {
    let p = Province::new();
    let server = p.dir.start();
    let narrowed = p.dir.add_account("office", Some("QNG-01"), Some("51.429"));
    let pending = |n: u32, area: &str| {
        let r = server.post("/v1/cards", Some(&p.office_qng), issue_body(n, area));
        assert_eq!(r.status, 201, "{}", r.json());
        r.json()["serial"].as_str().unwrap().to_owned()
    };
    let outside = pending(1, "51.22903");
    let inside = pending(2, "51.429.22903");
    let unknown = &unknown_serial();
    let answer = |path: &str, token: &str, serial: &str| {
        let r = if path.is_empty() {
            server.get(&format!("/v1/cards/{serial}"), Some(token))
        } else {
            server.post(
                &format!("/v1/cards/{serial}/{path}"),
                Some(token),
                serde_json::json!({}),
            )
        };
        let message = r.json()["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .replace(serial, "S");
        (r.status, r.error_code(), message)
    };
    for what in ["activate", "void"] {
        assert_eq!(
            answer(what, &narrowed, &outside),
            answer(what, &narrowed, unknown),
            "{what} outside the account's sub-area answers like an unknown card"
        );
        assert_eq!(answer(what, &narrowed, &outside).0, 404);
    }
    assert_eq!(answer("activate", &narrowed, &inside).0, 200);

    // Another province's card looks unknown to every route that takes a serial.
    let other = active_card(&server, &p.office_hcm, 3, "79.26734");
    for (what, token) in [
        ("", &p.admin_51),
        ("", &p.office_qng),
        ("activate", &p.office_qng),
        ("void", &p.office_qng),
    ] {
        let got = answer(what, token, &other);
        assert_eq!(
            got,
            answer(what, token, unknown),
            "{what:?} of another province's card"
        );
        assert_eq!(got.0, 404);
    }
    let revoke = |serial: &str| {
        let r = server.post(
            "/v1/revocations",
            Some(&p.admin_51),
            serde_json::json!({"serial": serial, "reason": "lost"}),
        );
        let message = r.json()["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .replace(serial, "S");
        (r.status, r.error_code(), message)
    };
    assert_eq!(revoke(&other), revoke(unknown));
    assert_eq!(revoke(&other).0, 404);
    let card = server
        .get(&format!("/v1/cards/{other}"), Some(&p.admin_79))
        .json();
    assert_eq!(card["status"], "active");
}

#[test]
fn the_audit_log_shows_each_admin_and_auditor_only_the_rows_of_their_area() {
    let p = Province::new();
    let server = p.dir.start();
    let in_51 = active_card(&server, &p.office_qng, 1, "51.22903");
    let in_79 = active_card(&server, &p.office_hcm, 2, "79.26734");
    let rows = |token: &str| {
        let r = server.get("/v1/audit?limit=10000", Some(token));
        assert_eq!(r.status, 200, "{}", r.json());
        r.json()["rows"].as_array().unwrap().clone()
    };
    let mentions = |rows: &[serde_json::Value], what: &str| {
        rows.iter().filter(|r| r.to_string().contains(what)).count()
    };
    let admin_79 = rows(&p.admin_79);
    assert!(mentions(&admin_79, &in_79) >= 2, "issue and activation");
    assert_eq!(
        mentions(&admin_79, &in_51),
        0,
        "no row of area 51: {admin_79:?}"
    );
    assert_eq!(mentions(&admin_79, "QNG-01"), 0, "{admin_79:?}");
    let auditor_51 = rows(&p.auditor);
    assert!(mentions(&auditor_51, &in_51) >= 2);
    assert_eq!(mentions(&auditor_51, &in_79), 0, "{auditor_51:?}");
    assert_eq!(mentions(&auditor_51, "HCM-01"), 0, "{auditor_51:?}");
    for row in admin_79.iter().chain(&auditor_51) {
        assert!(row["area"].is_string(), "every row says its area: {row}");
    }
    // The chain still verifies as a whole.
    let out = p.dir.cli(&["audit", "verify"]);
    assert!(out.status.success());
}

#[test]
fn the_bearer_scheme_is_case_insensitive() {
    let p = Province::new();
    let server = p.dir.start();
    for scheme in ["Bearer", "bearer", "BEARER", "bEaReR"] {
        let r = server.call(
            "GET",
            "/v1/audit",
            asxh_e2e::server::Req {
                headers: vec![("Authorization", format!("{scheme} {}", p.admin_51))],
                ..Default::default()
            },
        );
        assert_eq!(r.status, 200, "{scheme}");
    }
}

/// Writes `n` revocations straight into the server's database (a province after some years of
/// cards), each published as a version of its own after the newest one (so every one is a base a
/// delta may start from, published now so within the retention), spread over the serial range so that every delta is large. Returns the
/// version before them; the next revocation publishes a list carrying them all.
fn seed_revocations(data: &std::path::Path, n: i64) -> i64 {
    let mut db = rusqlite::Connection::open(data.join("asxh.sqlite")).unwrap();
    // Only the revocation list is built from these: the cards they name are not needed.
    db.pragma_update(None, "foreign_keys", "OFF").unwrap();
    let tx = db.transaction().unwrap();
    let before: i64 = tx
        .query_row(
            "SELECT COALESCE(MAX(version), 0) FROM published_lists WHERE name = 'revocation-list'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    {
        let mut revocation = tx
            .prepare(
                "INSERT INTO revocations (version, serial, reason, revoked_on, at) VALUES (?1, ?2, 'lost', '2026-01-01', 0)",
            )
            .unwrap();
        let mut published = tx
            .prepare(
                "INSERT INTO published_lists (name, version, issued_at, next_update, etag, bytes) VALUES ('revocation-list', ?1, CAST(strftime('%s', 'now') AS INTEGER), 0, '', NULL)",
            )
            .unwrap();
        for i in 0..n {
            // Above the serials the test's own cards get.
            revocation
                .execute([before + 1 + i, 1_000_000_000 + i * 9_973])
                .unwrap();
            published.execute([before + 1 + i]).unwrap();
        }
    }
    tx.commit().unwrap();
    before
}

#[test]
fn a_flood_of_distinct_since_values_keeps_the_server_within_its_delta_cache_bound() {
    let p = Province::new();
    let first = seed_revocations(&p.dir.data(), 100_000);
    let server = p.dir.start_custom(&[], &["--delta-cache-mib", "4"]);
    let serial = active_card(&server, &p.office_qng, 1, "51");
    let r = server.post(
        "/v1/revocations",
        Some(&p.admin_51),
        serde_json::json!({"serial": serial, "reason": "lost"}),
    );
    assert_eq!(r.status, 201, "{}", r.json());
    let trust = asxh_e2e::server::verified_trust_list(&server, &p.dir.fingerprint);
    let full = asxh_e2e::server::revocation_list(&server, &trust, "");
    assert!(full.entries().len() > 100_000, "{}", full.entries().len());
    let delta =
        asxh_e2e::server::revocation_list(&server, &trust, &format!("?since={}", first + 99_000));
    assert_eq!(
        (delta.base_version, delta.entries().len()),
        (Some(first as u64 + 99_000), 1_001)
    );
    let one = server
        .get(&format!("/v1/revocation-list?since={}", first + 1), None)
        .body
        .len();
    let before = server.resident_bytes();

    // Four floods of 200 distinct `since` values, each a version the server published, from 4
    // clients, no account needed: about 190 KB each. Without a bound the cache would keep every
    // one (about 38 MB a flood).
    let url = server.url.clone();
    let flood = |round: i64| {
        let clients: Vec<_> = (0..4i64)
            .map(|c| {
                let url = url.clone();
                std::thread::spawn(move || {
                    let agent = ureq::AgentBuilder::new().build();
                    for i in 0..50i64 {
                        let since = first + round * 200 + c * 50 + i + 1;
                        let r = agent
                            .get(&format!("{url}/v1/revocation-list?since={since}"))
                            .call()
                            .unwrap();
                        assert_eq!(r.status(), 200);
                        let mut body = Vec::new();
                        r.into_reader().read_to_end(&mut body).unwrap();
                        assert!(body.len() > 100_000, "a large delta: {}", body.len());
                    }
                })
            })
            .collect();
        for c in clients {
            c.join().unwrap();
        }
        server.resident_bytes()
    };
    let after: Vec<u64> = (0..4).map(flood).collect();
    println!(
        "delta of 100,000 revocations: {one} B; resident {} MiB before the floods, after each: {:?} MiB",
        before >> 20,
        after.iter().map(|b| b >> 20).collect::<Vec<_>>()
    );
    let grown = after[3].saturating_sub(before);
    // glibc gives each thread that allocates at once an arena of its own, up to 8 per core: on a
    // loaded machine the blocking pool starts more threads, and the same floods were seen to
    // leave 46 to 68 MiB; the bound is half of what the deltas alone would keep unbounded.
    assert!(
        grown < (4 + 72) << 20,
        "the server grew by {} MiB under 800 distinct since values (bound: 4 MiB of deltas, plus what building them on the blocking threads keeps in their allocator arenas; unbounded, the 800 deltas alone are 152 MB)",
        grown >> 20
    );
    // The blocking pool may start threads (each with its allocator arena) during the first
    // floods (seen: up to the third); from then on, more distinct values must not cost more
    // memory.
    assert!(
        after[3].saturating_sub(after[2]) < 8 << 20,
        "memory keeps growing with more distinct since values: {after:?}"
    );
    // The deltas still served are correct, cached or rebuilt; a version never published is
    // refused, not built.
    let again =
        asxh_e2e::server::revocation_list(&server, &trust, &format!("?since={}", first + 600));
    assert_eq!(again.entries().len(), 100_000 - 600 + 1);
    let never = server.get(
        &format!("/v1/revocation-list?since={}", first + 10_000_000_000),
        None,
    );
    assert_eq!(never.status, 409);
}

/// The P-256 generator, uncompressed: the public key of the private key 1.
const GENERATOR_HEX: &str = "046b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c2964fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5";

#[test]
fn input_the_server_should_not_accept_is_refused_naming_what_is_wrong() {
    use asxh_e2e::server::ssn;
    use serde_json::json;
    let p = Province::new();
    let server = p.dir.start();
    let mut failures = Vec::new();
    let mut expect = |what: &str, body: serde_json::Value, status: u16, field: &str| {
        let r = server.post("/v1/cards", Some(&p.office_qng), body);
        let got = (r.status, r.error_field());
        if got != (status, Some(field.to_owned())) {
            failures.push(format!(
                "{what}: got {got:?}, expected ({status}, {field}): {}",
                String::from_utf8_lossy(&r.body)
            ));
        }
    };

    let mut future = issue_body(1, "51");
    future["ssn"] = json!(ssn(1, "F", 2099));
    future["date_of_birth"] = json!("2099-01-01");
    expect(
        "a date of birth in the future",
        future,
        422,
        "date_of_birth",
    );
    let mut twice = issue_body(2, "51");
    twice["entitlements"][1] = twice["entitlements"][0].clone();
    expect(
        "the same entitlement twice",
        twice,
        422,
        "entitlements[1].program",
    );
    let mut twice_program = issue_body(3, "51");
    twice_program["entitlements"][1]["program"] = json!("TGXH");
    expect(
        "two entitlements of one program",
        twice_program,
        422,
        "entitlements[1].program",
    );
    for (what, key) in [
        ("the generator as the card key", GENERATOR_HEX.to_owned()),
        ("the point at infinity as the card key", "00".to_owned()),
    ] {
        let mut b = issue_body(4, "51");
        b["card_public_key_hex"] = json!(key);
        expect(what, b, 422, "card_public_key_hex");
    }
    for (n, area) in (50..).zip(["051", "51.022903", "51.4291", "5"]) {
        expect(
            &format!("area code {area}"),
            issue_body(n, area),
            422,
            "area_code",
        );
    }

    // A card key that another card already has (a cloned card, or a personalizer that reuses
    // a key) is refused, even when that card was voided.
    let first = active_card(&server, &p.office_qng, 6, "51");
    let key_of = |serial: &str| {
        let card = server
            .get(&format!("/v1/cards/{serial}"), Some(&p.admin_51))
            .json();
        let credential = hex::decode(card["credential_hex"].as_str().unwrap()).unwrap();
        let body = asxh_core::SignedCredential::parse(&credential)
            .unwrap()
            .unverified_body()
            .unwrap();
        hex::encode(asxh_core::signature::public_key_bytes(
            &body.card_public_key,
        ))
    };
    let voided = server.post("/v1/cards", Some(&p.office_qng), issue_body(7, "51"));
    let voided = voided.json()["serial"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    server.post(
        &format!("/v1/cards/{voided}/void"),
        Some(&p.office_qng),
        json!({}),
    );
    for (what, n, serial) in [
        ("an active card's key", 16, &first),
        ("a voided card's key", 17, &voided),
    ] {
        let mut b = issue_body(n, "51");
        b["card_public_key_hex"] = json!(key_of(serial));
        expect(what, b, 422, "card_public_key_hex");
    }
    let card = server
        .get(&format!("/v1/cards/{first}"), Some(&p.admin_51))
        .json();
    if card["status"] != "active" {
        failures.push(format!("the first card changed: {card}"));
    }

    // Office names that go into the signed trust list, and area codes, from the command line.
    for (what, args) in [
        (
            "a right-to-left override in an office name",
            vec![
                "--code",
                "QNG-02",
                "--name",
                "Phòng \u{202E}LĐTBXH",
                "--area",
                "51",
            ],
        ),
        (
            "a zero-width space in an office name",
            vec![
                "--code",
                "QNG-03",
                "--name",
                "Phòng\u{200B}LĐTBXH",
                "--area",
                "51",
            ],
        ),
        (
            "an area code with a leading zero",
            vec![
                "--code",
                "QNG-04",
                "--name",
                "Phòng LĐTBXH",
                "--area",
                "051",
            ],
        ),
    ] {
        let mut all = vec!["office", "add"];
        all.extend(args);
        let out = p.dir.cli(&all);
        let text = String::from_utf8_lossy(&out.stderr).into_owned();
        if out.status.code() != Some(2) {
            failures.push(format!("{what}: exit {:?}: {text}", out.status.code()));
        }
    }
    let out = p
        .dir
        .cli(&["account", "add", "--role", "admin", "--area", "51.022903"]);
    if out.status.code() != Some(2) {
        failures.push(format!(
            "an account in area 51.022903: exit {:?}",
            out.status.code()
        ));
    }
    assert!(
        failures.is_empty(),
        "accepted what it should refuse:\n{}",
        failures.join("\n")
    );
}

/// The status of issuer key `key_id` in the trust list the server serves now.
fn served_key_status(server: &RunningServer, p: &Province, key_id: &str) -> Option<String> {
    let trust = asxh_e2e::server::verified_trust_list(server, &p.dir.fingerprint);
    trust
        .issuers
        .iter()
        .find(|e| e.key_id.to_hex() == key_id)
        .map(|e| format!("{} until {}", e.status.as_str(), e.valid_until))
}

/// Issues a card for holder `n` of area 51 through the API; returns its answer.
fn issued_card(server: &RunningServer, p: &Province, n: u32) -> serde_json::Value {
    let r = server.post("/v1/cards", Some(&p.office_qng), issue_body(n, "51"));
    assert_eq!(r.status, 201, "{}", r.json());
    r.json()
}

#[test]
fn issuer_keys_rotate_retire_and_revoke_through_api_and_command_line_and_the_verifier_follows_the_trust_list(
) {
    let p = Province::new();
    let server = p.dir.start();
    let first = issued_card(&server, &p, 21);
    let old_key = first["issuer_key_id_hex"].as_str().unwrap().to_owned();
    let qr_first = first["qr_text"].as_str().unwrap().to_owned();
    let v = asxh_e2e::verifier::Verifier::init_and_sync(&server.url, &p.dir.fingerprint);
    let (valid, verdict) = v.verdict(&["qr", "--text", &qr_first]);
    assert!(
        verdict["outcome"].as_str().unwrap().starts_with("valid"),
        "{verdict}"
    );

    // Another province's administrator, an office and an unknown office: answered alike.
    let rotate = |token: &str, code: &str| {
        server.post(
            &format!("/v1/offices/{code}/keys"),
            Some(token),
            serde_json::json!({}),
        )
    };
    assert_eq!(rotate(&p.admin_79, "QNG-01").status, 404);
    assert_eq!(rotate(&p.admin_79, "NOPE-01").status, 404);
    assert_eq!(rotate(&p.office_qng, "QNG-01").status, 403);

    // Rotation: a new active key, the old one retired until today, both in the trust list at once.
    let today = asxh_core::Date::today();
    let r = rotate(&p.admin_51, "QNG-01");
    assert_eq!(r.status, 201, "{}", r.json());
    let new_key = r.json()["key_id_hex"].as_str().unwrap().to_owned();
    assert_eq!(r.json()["retired_key_id_hex"], old_key.as_str());
    assert_eq!(
        served_key_status(&server, &p, &old_key),
        Some(format!("retired until {today}"))
    );
    assert!(served_key_status(&server, &p, &new_key)
        .unwrap()
        .starts_with("active"));
    let second = issued_card(&server, &p, 22);
    assert_eq!(second["issuer_key_id_hex"], new_key.as_str());
    let qr_second = second["qr_text"].as_str().unwrap().to_owned();
    v.sync();
    let (code, verdict) = v.verdict(&["qr", "--text", &qr_first]);
    assert_eq!(code, valid, "a retired key's card stays valid: {verdict}");
    assert_eq!(verdict["issuer"]["status"], "retired");
    assert_eq!(v.verdict(&["qr", "--text", &qr_second]).0, valid);

    // The old key revoked from the command line while the server runs: the server serves the
    // new trust list within its heartbeat, and the verifier refuses the old key's card.
    let out = p
        .dir
        .cli_ok(&["office", "revoke-key", "--key-id", &old_key]);
    assert!(out.contains("Đã thu hồi khóa ký"), "{out}");
    let deadline = Instant::now() + Duration::from_secs(10);
    while served_key_status(&server, &p, &old_key).unwrap() != format!("revoked until {today}") {
        assert!(
            Instant::now() < deadline,
            "the served trust list still has the key unrevoked"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    v.sync();
    let (code, verdict) = v.verdict(&["qr", "--text", &qr_first]);
    assert_eq!(code, 22, "{verdict}");
    assert_eq!(verdict["outcome"], "untrusted_issuer");
    assert_eq!(verdict["issuer"]["status"], "revoked");
    assert_eq!(v.verdict(&["qr", "--text", &qr_second]).0, valid);

    // Retiring through the API leaves the office without a key to issue with until it rotates;
    // a revoked key stays revoked; no key is made active but by a rotation.
    let set = |key: &str, status: &str| {
        server.post(
            &format!("/v1/issuer-keys/{key}/status"),
            Some(&p.admin_51),
            serde_json::json!({ "status": status }),
        )
    };
    let r = set(&new_key, "retired");
    assert_eq!(r.status, 200, "{}", r.json());
    assert_eq!(r.json()["status"], "retired");
    let refused = server.post("/v1/cards", Some(&p.office_qng), issue_body(23, "51"));
    assert_eq!(refused.status, 403, "{}", refused.json());
    assert!(refused.json()["error"]["message"]
        .as_str()
        .unwrap()
        .contains("no active issuer key"));
    assert_eq!(set(&new_key, "retired").status, 409);
    assert_eq!(set(&old_key, "retired").status, 409);
    assert_eq!(set(&new_key, "active").status, 422);
    assert_eq!(set("0011223344556677", "revoked").status, 404);
    let out = p.dir.cli_ok(&["office", "rotate-key", "--code", "QNG-01"]);
    assert!(out.contains("khóa ký mới"), "{out}");
    let third = issued_card(&server, &p, 23)["issuer_key_id_hex"].clone();
    assert!(
        third != old_key.as_str() && third != new_key.as_str(),
        "{third}"
    );

    // The office list shows three keys, newest first; each change is in the audit log.
    let offices = server.get("/v1/offices", Some(&p.admin_51)).json();
    let qng = offices["offices"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["code"] == "QNG-01")
        .unwrap()
        .clone();
    let statuses: Vec<&str> = qng["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["active", "retired", "revoked"], "{qng}");
    let listed = p.dir.cli_ok(&["office", "list"]);
    assert!(
        listed.contains(&format!("khóa ký {old_key}\trevoked")),
        "{listed}"
    );
    let audit = server.get("/v1/audit?limit=1000", Some(&p.admin_51)).json();
    let actions: Vec<&str> = audit["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["action"].as_str().unwrap())
        .filter(|a| a.starts_with("issuer_key."))
        .collect();
    assert_eq!(
        actions.len(),
        4,
        "rotate, revoke, retire, rotate: {actions:?}"
    );
    assert!([
        "issuer_key.rotate",
        "issuer_key.revoke",
        "issuer_key.retire"
    ]
    .iter()
    .all(|a| actions.contains(a)));
    let other = server.get("/v1/audit?limit=1000", Some(&p.admin_79)).json();
    assert!(
        !other.to_string().contains("issuer_key."),
        "area 79 sees none of it"
    );
}

/// The systemd unit shipped in the repository (README, "For the province's IT staff").
const SYSTEMD_UNIT: &str = include_str!("../../../server/asxh-server.service");

/// The unit's `ExecStart=` split into the program and its arguments.
fn unit_exec_start() -> (String, Vec<String>) {
    let line = SYSTEMD_UNIT
        .lines()
        .find_map(|l| l.strip_prefix("ExecStart="))
        .expect("the unit has an ExecStart= line");
    let mut words = line.split_whitespace().map(str::to_owned);
    let program = words.next().expect("ExecStart names a program");
    (program, words.collect())
}

#[test]
fn the_shipped_systemd_unit_passes_systemd_analyze_verify_and_its_serve_flags_start_the_server() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md")).unwrap();
    assert!(
        readme.contains("server/asxh-server.service"),
        "README's IT-staff section names the unit"
    );
    for hardening in [
        "NoNewPrivileges=yes",
        "ProtectSystem=strict",
        "ReadWritePaths=/var/lib/asxh",
        "PrivateTmp=yes",
        "Restart=on-failure",
        "User=asxh",
    ] {
        assert!(
            SYSTEMD_UNIT.lines().any(|l| l == hardening),
            "the unit sets {hardening}"
        );
    }
    let (program, args) = unit_exec_start();
    assert_eq!(program, "/usr/local/bin/asxh-server");
    let data = args
        .iter()
        .position(|a| a == "--data")
        .map(|i| args[i + 1].clone())
        .expect("ExecStart gives --data");
    assert!(
        data.starts_with("/var/lib/asxh/"),
        "the data directory {data} is under ReadWritePaths"
    );

    let analyze = std::process::Command::new("systemd-analyze")
        .arg("--version")
        .output();
    if analyze.map(|o| o.status.success()).unwrap_or(false) {
        // verify checks that ExecStart's program exists: point a copy at the built binary.
        let dir = tempfile::tempdir().unwrap();
        let unit = dir.path().join("asxh-server.service");
        let binary = asxh_e2e::server::server_binary();
        std::fs::write(
            &unit,
            SYSTEMD_UNIT.replace(&program, binary.to_str().unwrap()),
        )
        .unwrap();
        let out = std::process::Command::new("systemd-analyze")
            .arg("verify")
            .arg(&unit)
            .output()
            .expect("systemd-analyze runs");
        let complaints: Vec<String> = String::from_utf8_lossy(&out.stderr)
            .lines()
            .chain(String::from_utf8_lossy(&out.stdout).lines())
            .filter(|l| l.contains("asxh-server.service"))
            .map(str::to_owned)
            .collect();
        assert!(
            out.status.success() && complaints.is_empty(),
            "systemd-analyze verify: {:?} {complaints:#?}",
            out.status
        );
    } else {
        println!("systemd-analyze is not installed: the unit's syntax is not verified");
    }

    // The unit's serve flags, on a test data directory and a free loopback port, start a
    // server that answers.
    let p = Province::new();
    let mut flags: Vec<String> = Vec::new();
    let mut rest = args.iter().skip(1);
    assert_eq!(args[0], "serve");
    while let Some(a) = rest.next() {
        match a.as_str() {
            "--data" => {
                rest.next();
            }
            "--listen" => {
                rest.next();
                flags.extend(["--listen".to_owned(), ServerDir::free_address()]);
            }
            _ => flags.push(a.clone()),
        }
    }
    let flags: Vec<&str> = flags.iter().map(String::as_str).collect();
    let server = p.dir.start_args(&flags);
    healthz(&server, Duration::from_secs(5)).unwrap();
}

#[test]
fn account_add_out_writes_the_token_to_a_new_file_of_mode_0600_and_never_overwrites_one() {
    use std::os::unix::fs::PermissionsExt;
    let p = Province::new();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("qng-02.token");
    let path_s = path.to_str().unwrap();
    let printed = p.dir.cli_ok(&[
        "account", "add", "--role", "office", "--office", "QNG-01", "--out", path_s,
    ]);
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "token file mode {mode:o}");
    let text = std::fs::read_to_string(&path).unwrap();
    let token = text.trim_end_matches('\n');
    assert_eq!(text, format!("{token}\n"), "one line, the token");
    assert!(token.len() >= 32, "a token: {text:?}");
    assert!(
        !printed.contains(token),
        "the token is not printed: {printed}"
    );
    assert!(printed.contains(path_s), "names the file: {printed}");

    let server = p.dir.start();
    let me = server.get("/v1/whoami", Some(token));
    assert_eq!(me.status, 200, "{:?}", me.json());
    assert_eq!(me.json()["office"], "QNG-01", "{:?}", me.json());

    let again = p.dir.cli(&[
        "account", "add", "--role", "auditor", "--area", "51", "--out", path_s,
    ]);
    let message = asxh_e2e::server::stderr(&again);
    assert_eq!(again.status.code(), Some(8), "{message}");
    assert!(
        message.contains(path_s) && message.contains("không bao giờ ghi đè"),
        "{message}"
    );
    assert!(again.stdout.is_empty(), "no token printed instead");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text, "file kept");

    // The refused run created no account: the next one takes the very next id.
    let first: i64 = account_id(&printed);
    let next = p.dir.cli_ok(&[
        "account",
        "add",
        "--role",
        "auditor",
        "--area",
        "51",
        "--out",
        dir.path().join("auditor.token").to_str().unwrap(),
    ]);
    assert_eq!(account_id(&next), first + 1, "{next}");
}

/// The id in `Đã tạo tài khoản N (vai trò)…`: its first number.
fn account_id(printed: &str) -> i64 {
    printed
        .split_whitespace()
        .find_map(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no account id in {printed}"))
}
