//! The issuing server under faults (issue #8): repeated `kill -9` while clients issue, activate
//! and revoke concurrently, and a data directory on a filesystem that runs full. After each
//! fault, nothing the server acknowledged is missing, no SSN has two live cards, the signed
//! revocation list never goes back, the audit chain verifies and the database is intact.
//!
//! The full disk is a real one: a 16 MiB tmpfs mounted in a private mount namespace (made with
//! `unshare`, as root or in a user namespace) and held by a process of the test. The server runs
//! in that namespace (`nsenter`); the test reaches the files through `/proc/<pid>/root` of the
//! holder. The mount disappears with the holder, so nothing is left mounted when a test fails.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use asxh_core::lists::{RevocationList, TrustList};
use asxh_core::signature::{self, public_key_from_bytes};
use asxh_core::CardSerial;
use asxh_e2e::server::{
    card_key_hex, issue_body, run_server_cli, server_binary, ssn, stderr, Province, RunningServer,
};
use serde_json::{json, Value};

/// The verified trust list, its root checked against the pinned fingerprint.
fn verified_trust_list(server: &RunningServer, fingerprint: &str) -> TrustList {
    let root = server.get("/v1/root-key", None).json();
    let root_key = public_key_from_bytes(
        "root",
        &hex::decode(root["public_key_hex"].as_str().expect("root key hex")).expect("hex"),
    )
    .expect("root key");
    assert_eq!(signature::fingerprint(&root_key), fingerprint);
    let reply = server.get("/v1/trust-list", None);
    assert_eq!(reply.status, 200);
    TrustList::parse_verified(&reply.body, &root_key).expect("trust list verifies")
}

/// The full signed revocation list, verified.
fn revocation_list(server: &RunningServer, trust: &TrustList) -> RevocationList {
    let reply = server.get("/v1/revocation-list", None);
    assert_eq!(reply.status, 200);
    RevocationList::parse_verified(&reply.body, &trust.list_key).expect("revocation list verifies")
}

/// Runs `asxh-server audit verify` on `data` and asserts that it exits 0.
fn assert_audit_verifies(data: &Path) {
    let out = run_server_cli(&["audit", "verify", "--data", data.to_str().expect("UTF-8")]);
    assert_audit_verify_succeeded(data, &out);
}

fn assert_audit_verify_succeeded(data: &Path, out: &std::process::Output) {
    assert!(
        out.status.success(),
        "audit verify on {} exited {:?}: {}",
        data.display(),
        out.status.code(),
        stderr(out)
    );
}

/// `SELECT ssn FROM cards` of every SSN with more than one PENDING or ACTIVE card.
fn ssns_with_two_live_cards(db: &Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(db).expect("open the database");
    let mut stmt = conn
        .prepare(
            "SELECT ssn FROM cards WHERE status IN ('pending', 'active') \
             GROUP BY ssn HAVING COUNT(*) > 1",
        )
        .expect("prepare");
    let rows = stmt
        .query_map([], |r| r.get::<_, String>(0))
        .expect("query")
        .collect::<rusqlite::Result<Vec<_>>>()
        .expect("rows");
    rows
}

fn integrity_check(db: &Path) -> String {
    rusqlite::Connection::open(db)
        .expect("open the database")
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("integrity_check")
}

/// What the server acknowledged (answered 2xx to), by card serial.
#[derive(Default, Clone)]
struct Acknowledged {
    /// Serial → SSN of every acknowledged issuance.
    issued: BTreeMap<String, String>,
    activated: BTreeSet<String>,
    /// Serial → revocation-list version of every acknowledged revocation.
    revoked: BTreeMap<String, u64>,
}

impl Acknowledged {
    fn merge(&mut self, other: Acknowledged) {
        self.issued.extend(other.issued);
        self.activated.extend(other.activated);
        self.revoked.extend(other.revoked);
    }
}

/// Checks that `server` knows everything in `ack`: each card by look-up with the status the
/// acknowledgements imply, and each revocation in the verified revocation list with its version.
/// Returns the list's version.
fn assert_nothing_acknowledged_is_lost(
    server: &RunningServer,
    p: &Province,
    ack: &Acknowledged,
    previous_version: u64,
) -> u64 {
    let trust = verified_trust_list(server, &p.dir.fingerprint);
    let list = revocation_list(server, &trust);
    assert!(
        list.version >= previous_version,
        "the revocation list went back from version {previous_version} to {}",
        list.version
    );
    assert!(
        list.entries().len() >= ack.revoked.len(),
        "{} entries for {} acknowledged revocations",
        list.entries().len(),
        ack.revoked.len()
    );
    for (serial, version) in &ack.revoked {
        assert!(
            *version <= list.version,
            "acknowledged revocation of {serial} at version {version}, list is at {}",
            list.version
        );
        assert!(
            list.lookup(CardSerial::parse(serial).expect("serial"))
                .is_some(),
            "acknowledged revocation of {serial} (version {version}) is not in the list"
        );
    }
    for (serial, card_ssn) in &ack.issued {
        let reply = server.get(&format!("/v1/cards/{serial}"), Some(&p.office_qng));
        assert_eq!(
            reply.status, 200,
            "acknowledged card {serial} cannot be looked up"
        );
        let card = reply.json();
        assert_eq!(card["ssn"], card_ssn.as_str(), "card {serial}");
        let status = card["status"].as_str().unwrap_or_default();
        if let Some(version) = ack.revoked.get(serial) {
            assert_eq!(status, "revoked", "card {serial}");
            assert_eq!(
                card["revocation"]["list_version"].as_u64(),
                Some(*version),
                "card {serial}"
            );
        } else if ack.activated.contains(serial) {
            assert!(
                status == "active" || status == "revoked",
                "acknowledged activation of {serial}, but it is {status}"
            );
        } else {
            assert!(
                ["pending", "active", "revoked"].contains(&status),
                "acknowledged issuance of {serial}, but it is {status}"
            );
        }
    }
    list.version
}

/// A small tmpfs mounted in a private mount namespace, held by a `cat` reading a pipe from this
/// process: killing it (or this process ending) unmounts the filesystem.
struct SmallFs {
    holder: Child,
    /// The mount point inside the namespace.
    inside: PathBuf,
    /// The mount point as seen from outside the namespace: `/proc/<holder>/root/<mount point>`.
    /// Plain file operations work through it; SQLite does not (it resolves the symbolic link).
    outside: PathBuf,
    /// The command prefix that runs a program inside the namespace.
    enter: Vec<String>,
    /// How the namespace was made.
    mechanism: &'static str,
    _dir: tempfile::TempDir,
}

impl SmallFs {
    fn mount(size: &str) -> SmallFs {
        let dir = tempfile::tempdir().expect("temp dir");
        let point = dir.path().join("fs");
        std::fs::create_dir(&point).expect("mount point");
        let script =
            r#"mount -t tmpfs -o "size=$1,mode=0700" tmpfs "$2" && echo mounted && exec cat"#;
        let mut failures = Vec::new();
        for (mechanism, flags, nsenter) in [
            (
                "unshare --mount (root with CAP_SYS_ADMIN)",
                &["--mount", "--propagation", "private"][..],
                &["--mount"][..],
            ),
            (
                "unshare --user --map-root-user --mount (user namespace)",
                &[
                    "--user",
                    "--map-root-user",
                    "--mount",
                    "--propagation",
                    "private",
                ][..],
                &["--user", "--mount", "--preserve-credentials"][..],
            ),
        ] {
            let spawned = Command::new("unshare")
                .args(flags)
                .args(["sh", "-c", script, "sh", size])
                .arg(&point)
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn();
            let mut holder = match spawned {
                Ok(c) => c,
                Err(e) => {
                    failures.push(format!("{mechanism}: cannot run unshare: {e}"));
                    continue;
                }
            };
            let mut line = String::new();
            let _ =
                BufReader::new(holder.stdout.take().expect("piped stdout")).read_line(&mut line);
            if line.trim() == "mounted" {
                let pid = holder.id().to_string();
                let outside = PathBuf::from(format!("/proc/{pid}/root"))
                    .join(point.strip_prefix("/").expect("absolute temp path"));
                let mut enter: Vec<String> = vec!["nsenter".into(), "--target".into(), pid];
                enter.extend(nsenter.iter().map(|s| s.to_string()));
                enter.push("--".into());
                return SmallFs {
                    holder,
                    inside: point,
                    outside,
                    enter,
                    mechanism,
                    _dir: dir,
                };
            }
            let _ = holder.kill();
            let mut err = String::new();
            if let Some(mut e) = holder.stderr.take() {
                let _ = e.read_to_string(&mut err);
            }
            let _ = holder.wait();
            failures.push(format!("{mechanism}: {}", err.trim()));
        }
        panic!(
            "no way to mount a small filesystem here (this test needs root with CAP_SYS_ADMIN \
             or unprivileged user namespaces):\n{}",
            failures.join("\n")
        );
    }
}

impl Drop for SmallFs {
    fn drop(&mut self) {
        let _ = self.holder.kill();
        let _ = self.holder.wait();
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create directory");
    for entry in std::fs::read_dir(from).expect("read directory") {
        let entry = entry.expect("directory entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy file");
        }
    }
}

/// Writes zeros to `path` until the filesystem refuses with ENOSPC, in ever smaller pieces so
/// that not even one block is left. Returns the bytes written.
fn fill(path: &Path) -> u64 {
    let mut f = std::fs::File::create(path).expect("create the filler file");
    let mut written = 0u64;
    for chunk in [1 << 20, 64 << 10, 4 << 10, 512, 1] {
        let zeros = vec![0u8; chunk];
        loop {
            match f.write(&zeros) {
                Ok(0) => break,
                Ok(n) => written += n as u64,
                Err(e) if e.raw_os_error() == Some(28) => break,
                Err(e) => panic!("filling {}: {e}", path.display()),
            }
        }
    }
    let _ = f.sync_all();
    written
}

/// Status and error code of an answer, or the transport error.
fn outcome(reply: &asxh_e2e::server::Reply) -> (u16, String) {
    let code = if reply.status >= 400 {
        reply.error_code()
    } else {
        String::new()
    };
    (reply.status, code)
}

#[test]
fn on_a_full_disk_writes_get_507_storage_full_and_after_freeing_space_nothing_is_lost() {
    let p = Province::new();
    let fs = SmallFs::mount("16m");
    let data = fs.inside.join("data");
    copy_dir(&p.dir.data(), &fs.outside.join("data"));
    let mut server = p.dir.start_on(&data, &fs.enter);
    let office = Some(p.office_qng.as_str());
    let admin = Some(p.admin_51.as_str());
    let mut ack = Acknowledged::default();

    let issue =
        |server: &RunningServer, n: u32| server.post("/v1/cards", office, issue_body(n, "51"));
    let activate = |server: &RunningServer, serial: &str| {
        server.post(&format!("/v1/cards/{serial}/activate"), office, json!({}))
    };
    let revoke = |server: &RunningServer, serial: &str| {
        server.post(
            "/v1/revocations",
            admin,
            json!({"serial": serial, "reason": "lost"}),
        )
    };
    // Before: 30 cards issued, 20 of them activated, 10 of those revoked.
    let mut pending = Vec::new();
    let mut active = Vec::new();
    for n in 0..30 {
        let r = issue(&server, n);
        assert_eq!(r.status, 201, "{}", r.json());
        let serial = r.json()["serial"].as_str().expect("serial").to_owned();
        ack.issued.insert(serial.clone(), ssn(n, "F", 1946));
        if n < 20 {
            assert_eq!(activate(&server, &serial).status, 200);
            ack.activated.insert(serial.clone());
            if n < 10 {
                let r = revoke(&server, &serial);
                assert_eq!(r.status, 201);
                ack.revoked
                    .insert(serial, r.json()["list_version"].as_u64().expect("version"));
            } else {
                active.push(serial);
            }
        } else {
            pending.push(serial);
        }
    }

    let filler = fs.outside.join("filler");
    let filled = fill(&filler);

    // Full: every kind of write is tried until each has been refused; any write that still fit
    // in space the database had already allocated is acknowledged and must survive like any other.
    let mut seen: BTreeMap<(&str, u16, String), u32> = BTreeMap::new();
    let mut refused = BTreeMap::<&str, Vec<String>>::new();
    let mut n = 1000;
    for round in 0..60 {
        if ["issue", "activate", "revoke"]
            .iter()
            .all(|k| refused.get(k).is_some_and(|r| !r.is_empty()))
            && round >= 10
        {
            break;
        }
        n += 1;
        let r = issue(&server, n);
        let (status, code) = outcome(&r);
        *seen.entry(("issue", status, code.clone())).or_default() += 1;
        if status == 201 {
            let serial = r.json()["serial"].as_str().expect("serial").to_owned();
            ack.issued.insert(serial.clone(), ssn(n, "F", 1946));
            pending.push(serial);
        } else {
            refused.entry("issue").or_default().push(n.to_string());
        }
        if let Some(serial) = pending.pop() {
            let r = activate(&server, &serial);
            let (status, code) = outcome(&r);
            *seen.entry(("activate", status, code)).or_default() += 1;
            if status == 200 {
                ack.activated.insert(serial.clone());
                active.push(serial);
            } else {
                refused.entry("activate").or_default().push(serial.clone());
                pending.insert(0, serial);
            }
        }
        if let Some(serial) = active.pop() {
            let r = revoke(&server, &serial);
            let (status, code) = outcome(&r);
            *seen.entry(("revoke", status, code)).or_default() += 1;
            if status == 201 {
                ack.revoked
                    .insert(serial, r.json()["list_version"].as_u64().expect("version"));
            } else {
                refused.entry("revoke").or_default().push(serial.clone());
                active.insert(0, serial);
            }
        }
        // Reads go on while the disk is full.
        assert_eq!(server.get("/healthz", None).status, 200);
    }
    eprintln!(
        "disk full ({}): filler {filled} bytes; answers while full: {seen:?}",
        fs.mechanism
    );
    for ((kind, status, code), count) in &seen {
        assert!(
            (*status == 507 && code == "storage_full") || *status < 300,
            "{kind} on a full disk answered {status} {code:?} ({count} times); expected 507 \
             storage_full"
        );
    }
    for kind in ["issue", "activate", "revoke"] {
        assert!(
            refused.get(kind).is_some_and(|r| !r.is_empty()),
            "no {kind} was refused on the full disk: {seen:?}"
        );
    }
    assert_eq!(server.get("/healthz", None).status, 200, "still serving");

    // Freed: the refused writes left nothing behind, so each succeeds when tried again.
    std::fs::remove_file(&filler).expect("remove the filler");
    for n in refused["issue"]
        .iter()
        .map(|n| n.parse::<u32>().expect("n"))
    {
        let r = issue(&server, n);
        assert_eq!(r.status, 201, "issue {n} after freeing space: {}", r.json());
        let serial = r.json()["serial"].as_str().expect("serial").to_owned();
        ack.issued.insert(serial.clone(), ssn(n, "F", 1946));
        pending.push(serial);
    }
    for serial in refused["activate"].iter().chain(pending.iter()) {
        if ack.activated.contains(serial) {
            continue;
        }
        let r = activate(&server, serial);
        assert_eq!(r.status, 200, "activate {serial} after freeing space");
        ack.activated.insert(serial.clone());
        active.push(serial.clone());
    }
    active.sort();
    active.dedup();
    for serial in &active {
        let r = revoke(&server, serial);
        assert_eq!(
            r.status,
            201,
            "revoke {serial} after freeing space: {}",
            r.json()
        );
        ack.revoked.insert(
            serial.clone(),
            r.json()["list_version"].as_u64().expect("version"),
        );
    }
    let version = assert_nothing_acknowledged_is_lost(&server, &p, &ack, 0);
    assert!(ack.revoked.values().all(|v| *v <= version));

    // Stopped: the chain verifies and the database is intact; restarted: still all there.
    server.stop();
    let verify = Command::new(&fs.enter[0])
        .args(&fs.enter[1..])
        .arg(server_binary())
        .args(["audit", "verify", "--data", data.to_str().expect("UTF-8")])
        .output()
        .expect("asxh-server audit verify runs");
    assert_audit_verify_succeeded(&data, &verify);
    // The database files as they are on the small filesystem, checked in a copy (SQLite itself
    // cannot open them through /proc/<pid>/root).
    let copy = tempfile::tempdir().expect("temp dir");
    for file in ["asxh.sqlite", "asxh.sqlite-wal"] {
        let from = fs.outside.join("data").join(file);
        if from.exists() {
            std::fs::copy(&from, copy.path().join(file)).expect("copy the database");
        }
    }
    let db = copy.path().join("asxh.sqlite");
    assert_eq!(integrity_check(&db), "ok");
    assert_eq!(ssns_with_two_live_cards(&db), Vec::<String>::new());
    let server = p.dir.start_on(&data, &fs.enter);
    assert_nothing_acknowledged_is_lost(&server, &p, &ack, version);
    eprintln!(
        "disk full: after freeing space {} cards, {} activations, {} revocations acknowledged \
         in all, all present after a restart; audit verify ok; integrity_check ok",
        ack.issued.len(),
        ack.activated.len(),
        ack.revoked.len()
    );
    drop(server);
    drop(fs);
}

/// Every `(action, serial)` of the audit log, read through the API page by page.
fn audited(server: &RunningServer, token: &str) -> BTreeSet<(String, String)> {
    let mut seen = BTreeSet::new();
    let mut after = 0;
    loop {
        let page = server.get(&format!("/v1/audit?after={after}&limit=10000"), Some(token));
        assert_eq!(page.status, 200);
        let page = page.json();
        let rows = page["rows"].as_array().expect("rows").clone();
        let Some(last) = rows.last() else {
            return seen;
        };
        after = last["id"].as_i64().expect("id");
        for row in rows {
            if let Some(serial) = row["detail"]["serial"].as_str() {
                seen.insert((
                    row["action"].as_str().unwrap_or_default().to_owned(),
                    serial.to_owned(),
                ));
            }
        }
    }
}

/// One POST with a thread's own agent: `Err` when the server could not be reached or the
/// answer was cut off (the server was killed), else the status and JSON body.
fn post(agent: &ureq::Agent, url: &str, token: &str, body: Value) -> Result<(u16, Value), String> {
    let response = match agent
        .post(url)
        .set("Authorization", &format!("Bearer {token}"))
        .send_json(body)
    {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(e) => return Err(e.to_string()),
    };
    let status = response.status();
    let mut text = String::new();
    response
        .into_reader()
        .read_to_string(&mut text)
        .map_err(|e| e.to_string())?;
    let json = serde_json::from_str(&text).map_err(|e| format!("{e}: {text:?}"))?;
    Ok((status, json))
}

/// Holders that several clients try to issue a card for at the same time (their SSNs collide).
const COLLIDING: [u32; 3] = [900_001, 900_002, 900_003];

#[test]
fn repeated_kill_9_under_concurrent_issuance_and_revocation_loses_nothing_acknowledged() {
    let cycles: u32 = std::env::var("ASXH_KILL_CYCLES")
        .ok()
        .map(|v| v.parse().expect("ASXH_KILL_CYCLES is a number"))
        .unwrap_or(5);
    let p = Province::new();
    let db = p.dir.data().join("asxh.sqlite");
    let next_n = Arc::new(AtomicU32::new(10_000));
    let mut all = Acknowledged::default();
    // Acknowledged-active cards no revocation has been tried for yet.
    let mut revocable: Vec<String> = Vec::new();
    let mut version = 0;
    let mut collisions_refused = 0;
    let started = Instant::now();
    let mut server = p.dir.start();
    for cycle in 1..=cycles {
        let cycle_started = Instant::now();
        let work = Arc::new(Mutex::new(std::mem::take(&mut revocable)));
        let ack = Arc::new(Mutex::new(Acknowledged::default()));
        let unexpected = Arc::new(Mutex::new(Vec::<String>::new()));
        let refused = Arc::new(AtomicU32::new(0));
        // Requests in flight when the server died (never acknowledged).
        let cut_off = Arc::new(AtomicU32::new(0));
        let dead = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let url = server.url.clone();
        let mut clients = Vec::new();
        for client in 0..8u32 {
            let (ack, unexpected, refused, cut_off, work, next_n, url, token) = (
                ack.clone(),
                unexpected.clone(),
                refused.clone(),
                cut_off.clone(),
                work.clone(),
                next_n.clone(),
                url.clone(),
                p.office_qng.clone(),
            );
            clients.push(std::thread::spawn(move || {
                let agent = ureq::AgentBuilder::new()
                    .timeout(Duration::from_secs(20))
                    .build();
                for i in 0u32.. {
                    let colliding = i % 4 == 3;
                    let n = if colliding {
                        COLLIDING[((i / 4 + client) % 3) as usize]
                    } else {
                        next_n.fetch_add(1, Ordering::Relaxed)
                    };
                    let mut body = issue_body(n, "51");
                    body["card_public_key_hex"] =
                        json!(card_key_hex(&format!("kill {cycle} {client} {i}")));
                    let serial = match post(&agent, &format!("{url}/v1/cards"), &token, body) {
                        Err(_) => {
                            cut_off.fetch_add(1, Ordering::Relaxed);
                            return;
                        }
                        Ok((201, v)) => {
                            let serial = v["serial"].as_str().expect("serial").to_owned();
                            ack.lock()
                                .unwrap()
                                .issued
                                .insert(serial.clone(), ssn(n, "F", 1946));
                            serial
                        }
                        Ok((409, _)) if colliding => {
                            refused.fetch_add(1, Ordering::Relaxed);
                            continue;
                        }
                        Ok((status, v)) => {
                            unexpected
                                .lock()
                                .unwrap()
                                .push(format!("issue {n}: {status} {v}"));
                            continue;
                        }
                    };
                    let activate = format!("{url}/v1/cards/{serial}/activate");
                    match post(&agent, &activate, &token, json!({})) {
                        Err(_) => {
                            cut_off.fetch_add(1, Ordering::Relaxed);
                            return;
                        }
                        Ok((200, _)) => {
                            ack.lock().unwrap().activated.insert(serial.clone());
                            work.lock().unwrap().push(serial);
                        }
                        Ok((status, v)) => unexpected
                            .lock()
                            .unwrap()
                            .push(format!("activate {serial}: {status} {v}")),
                    }
                }
            }));
        }
        for _ in 0..3 {
            let (ack, unexpected, cut_off, work, dead, url, token) = (
                ack.clone(),
                unexpected.clone(),
                cut_off.clone(),
                work.clone(),
                dead.clone(),
                url.clone(),
                p.admin_51.clone(),
            );
            clients.push(std::thread::spawn(move || {
                let agent = ureq::AgentBuilder::new()
                    .timeout(Duration::from_secs(20))
                    .build();
                while !dead.load(Ordering::Relaxed) {
                    let Some(serial) = work.lock().unwrap().pop() else {
                        std::thread::sleep(Duration::from_millis(1));
                        continue;
                    };
                    let body = json!({"serial": serial, "reason": "lost"});
                    match post(&agent, &format!("{url}/v1/revocations"), &token, body) {
                        // Not acknowledged: it may or may not have happened, and is not retried.
                        Err(_) => {
                            cut_off.fetch_add(1, Ordering::Relaxed);
                            return;
                        }
                        Ok((201, v)) => {
                            let version = v["list_version"].as_u64().expect("list_version");
                            ack.lock().unwrap().revoked.insert(serial, version);
                        }
                        Ok((status, v)) => unexpected
                            .lock()
                            .unwrap()
                            .push(format!("revoke {serial}: {status} {v}")),
                    }
                }
            }));
        }
        // Kill at a different point each cycle, while all eleven clients are busy.
        let target = 40 + 40 * cycle as usize;
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let (issued, revoked) = {
                let a = ack.lock().unwrap();
                (a.issued.len(), a.revoked.len())
            };
            if (issued >= target && revoked >= target / 2) || Instant::now() > deadline {
                break;
            }
            std::thread::sleep(Duration::from_millis(1));
        }
        server.kill_9();
        dead.store(true, Ordering::Relaxed);
        for c in clients {
            c.join().expect("client thread");
        }
        let unexpected = unexpected.lock().unwrap().clone();
        assert!(
            unexpected.is_empty(),
            "cycle {cycle}: unexpected answers:\n{}",
            unexpected.join("\n")
        );
        let ack = ack.lock().unwrap().clone();
        let counts = (ack.issued.len(), ack.activated.len(), ack.revoked.len());
        assert!(
            counts.0 >= target && counts.2 >= target / 2,
            "cycle {cycle}: the clients got only {counts:?} acknowledged in 30 s"
        );
        all.merge(ack);
        revocable = work.lock().unwrap().clone();
        collisions_refused += refused.load(Ordering::Relaxed);

        // Restarted: everything acknowledged in every cycle so far is there.
        server = p.dir.start();
        let previous = version;
        version = assert_nothing_acknowledged_is_lost(&server, &p, &all, version);
        assert_eq!(ssns_with_two_live_cards(&db), Vec::<String>::new());
        for n in COLLIDING {
            let cards = server
                .get(
                    &format!("/v1/cards?ssn={}", ssn(n, "F", 1946)),
                    Some(&p.admin_51),
                )
                .json();
            let live = cards["cards"]
                .as_array()
                .expect("cards")
                .iter()
                .filter(|c| c["status"] == "pending" || c["status"] == "active")
                .count();
            assert!(live <= 1, "SSN of holder {n} has {live} live cards");
        }
        let audit = audited(&server, &p.auditor);
        for (action, serials) in [
            ("card.issue", all.issued.keys().collect::<Vec<_>>()),
            ("card.activate", all.activated.iter().collect()),
            ("card.revoke", all.revoked.keys().collect()),
        ] {
            for serial in serials {
                assert!(
                    audit.contains(&(action.to_owned(), serial.clone())),
                    "acknowledged {action} of {serial} has no audit row"
                );
            }
        }
        assert_audit_verifies(&p.dir.data());
        eprintln!(
            "kill -9 #{cycle} survived after {:.1} s of load: acknowledged this cycle {} issued, \
             {} activated, {} revoked, {} requests cut off by the kill; revocation list \
             v{previous} -> v{version}; all {} cards, {} activations, {} revocations acknowledged \
             so far present; no SSN with two live cards; audit verify ok",
            cycle_started.elapsed().as_secs_f64(),
            counts.0,
            counts.1,
            counts.2,
            cut_off.load(Ordering::Relaxed),
            all.issued.len(),
            all.activated.len(),
            all.revoked.len(),
        );
    }
    eprintln!(
        "kill -9: {cycles} of {cycles} kills survived in {:.1} s; {} issuances, {} activations, \
         {} revocations acknowledged, none lost; {collisions_refused} colliding issuances \
         refused with 409; final revocation list version {version}",
        started.elapsed().as_secs_f64(),
        all.issued.len(),
        all.activated.len(),
        all.revoked.len(),
    );
}
