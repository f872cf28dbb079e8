//! TLS as a province deploys it: the server binary built with the whole workspace (as
//! `cargo build --release --workspace` builds it) serving a certificate of the province's own CA;
//! the personalizer and the verifier trusting that CA by `--ca-file` or through the operating
//! system's store, and explaining a certificate they cannot trust (Vietnamese by default); and the
//! workspace linking one rustls crypto provider only.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use asxh_client::{CertificateKind, CertificateProblem};
use asxh_e2e::server::{issue_body, Province, RunningServer};
use asxh_e2e::verifier::Verifier;
use asxh_e2e::{binary, insert, VirtualReader};
use asxh_testkit as testkit;
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair, KeyUsagePurpose};

/// The province's CA and the files a deployment has: the CA certificate (for `--ca-file`), and
/// the server's certificate and key (for `serve --tls-cert --tls-key`).
struct ProvincePki {
    dir: tempfile::TempDir,
}

impl ProvincePki {
    /// A CA, and a server certificate it signs for `localhost` and `127.0.0.1`. With
    /// `ca_as_server`, the server presents the CA certificate itself (a common mistake).
    fn new(ca_as_server: bool) -> ProvincePki {
        let dir = tempfile::tempdir().unwrap();
        let ca_key = KeyPair::generate().unwrap();
        let names = vec!["localhost".to_owned(), "127.0.0.1".to_owned()];
        let mut ca_params =
            CertificateParams::new(if ca_as_server { names.clone() } else { vec![] }).unwrap();
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca_params
            .distinguished_name
            .push(DnType::CommonName, "Sở LĐ-TB&XH tỉnh Quảng Ngãi — CA");
        ca_params.key_usages = vec![
            KeyUsagePurpose::KeyCertSign,
            KeyUsagePurpose::CrlSign,
            KeyUsagePurpose::DigitalSignature,
        ];
        let ca = ca_params.self_signed(&ca_key).unwrap();
        std::fs::write(dir.path().join("ca.pem"), ca.pem()).unwrap();
        if ca_as_server {
            std::fs::write(dir.path().join("server.pem"), ca.pem()).unwrap();
            std::fs::write(dir.path().join("server.key"), ca_key.serialize_pem()).unwrap();
        } else {
            let key = KeyPair::generate().unwrap();
            let mut params = CertificateParams::new(names).unwrap();
            params
                .distinguished_name
                .push(DnType::CommonName, "asxh.quangngai.gov.vn");
            let cert = params.signed_by(&key, &ca, &ca_key).unwrap();
            std::fs::write(dir.path().join("server.pem"), cert.pem()).unwrap();
            std::fs::write(dir.path().join("server.key"), key.serialize_pem()).unwrap();
        }
        ProvincePki { dir }
    }

    fn file(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn start(&self, p: &Province) -> RunningServer {
        p.dir.start_tls(
            &self.file("server.pem"),
            &self.file("server.key"),
            &self.file("ca.pem"),
        )
    }
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn the_server_built_with_the_whole_workspace_serves_tls_with_a_certificate_of_the_provinces_ca() {
    let p = Province::new();
    let pki = ProvincePki::new(false);
    let server = pki.start(&p);
    assert!(
        server.url.starts_with("https://127.0.0.1:"),
        "{}",
        server.url
    );
    assert_eq!(server.get("/healthz", None).json()["status"], "ok");
    let reply = server.post("/v1/cards", Some(&p.office_qng), issue_body(1, "51"));
    assert_eq!(reply.status, 201, "issuing works over TLS");

    // A client that does not trust the province's CA is refused by TLS, and told why.
    let untrusting = asxh_client::agent(None, std::time::Duration::from_secs(10)).unwrap();
    let url = format!("{}/healthz", server.url);
    let err = untrusting.get(&url).call().unwrap_err();
    let problem = CertificateProblem::of(&err, &url).expect("a certificate problem");
    assert_eq!(problem.kind, CertificateKind::UnknownIssuer, "{err}");
    assert_eq!(problem.host, "127.0.0.1");
}

#[test]
fn the_workspace_links_one_rustls_crypto_provider_ring_and_not_aws_lc_rs() {
    // Every kind of dependency (the tests' and build scripts' too) on this platform: a second
    // provider anywhere would make rustls's default provider ambiguous in some build.
    let tree = |package: &str| {
        Command::new(env!("CARGO"))
            .args([
                "tree",
                "--workspace",
                "-e",
                "normal,build,dev",
                "--invert",
                package,
            ])
            .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
            .output()
            .expect("cargo tree runs")
    };
    let aws = tree("aws-lc-rs");
    let aws_text = format!("{}{}", String::from_utf8_lossy(&aws.stdout), stderr(&aws));
    assert!(
        !aws.status.success() && aws_text.contains("did not match any packages"),
        "aws-lc-rs is in the dependency graph:\n{aws_text}"
    );
    let ring = tree("ring");
    let ring_text = String::from_utf8_lossy(&ring.stdout);
    assert!(
        ring.status.success() && ring_text.contains("rustls v0.23"),
        "rustls uses ring: {ring_text}{}",
        stderr(&ring)
    );
}

fn token_file(dir: &Path, token: &str) -> PathBuf {
    let path = dir.join("office.token");
    std::fs::write(&path, token).unwrap();
    path
}

/// `asxh-personalizer [global] issue [flags]` of one card, a blank one put into `reader` for
/// the call, against `server`, with no certificate store of the environment's.
fn personalize(
    server: &RunningServer,
    token: &Path,
    reader: VirtualReader,
    global: &[&str],
    flags: &[&str],
) -> Output {
    let card = insert(testkit::blank_card(), reader);
    let out = Command::new(binary("asxh-personalizer"))
        .args(global)
        .args(["issue", "--server", &server.url, "--token-file"])
        .arg(token)
        .args(flags)
        .args(["--reader", reader.name()])
        .args([
            "--ssn",
            "051146000001",
            "--name",
            "Trần Thị Lan",
            "--dob",
            "1946-08-19",
            "--sex",
            "F",
            "--area",
            "51.22903",
            "--entitlement",
            "TGXH:BTXH-80:540000",
        ])
        .env("RUST_LOG", "warn")
        .env_remove("SSL_CERT_FILE")
        .env_remove("SSL_CERT_DIR")
        .output()
        .expect("asxh-personalizer runs");
    drop(card.remove());
    out
}

#[test]
fn the_personalizer_and_verifier_trust_the_provinces_ca_by_ca_file_or_the_system_store_and_say_what_to_do_otherwise(
) {
    let p = Province::new();
    let pki = ProvincePki::new(false);
    let server = pki.start(&p);
    let work = tempfile::tempdir().unwrap();
    let token = token_file(work.path(), &p.office_qng);
    let reader = VirtualReader::First;
    let _lock = reader.lock();
    let ca = pki.file("ca.pem");

    // Personalizer: without the CA, a clear Vietnamese message naming the host; English on
    // request; with --ca-file the card is issued.
    let out = personalize(&server, &token, reader, &[], &[]);
    assert_eq!(out.status.code(), Some(41), "{}", stderr(&out));
    let text = stderr(&out);
    assert!(
        text.contains("127.0.0.1") && text.contains("chứng chỉ") && text.contains("--ca-file"),
        "{text}"
    );
    let out = personalize(&server, &token, reader, &["--lang", "en"], &[]);
    assert!(
        stderr(&out).contains("Cannot trust the certificate of server 127.0.0.1"),
        "{}",
        stderr(&out)
    );
    let ca_arg = ["--ca-file", ca.to_str().unwrap()];
    let mut with_ca = personalize(&server, &token, reader, &[], &ca_arg);
    assert!(with_ca.status.success(), "{}", stderr(&with_ca));
    assert!(
        String::from_utf8_lossy(&with_ca.stdout).contains("Đã cấp thẻ"),
        "{}",
        String::from_utf8_lossy(&with_ca.stdout)
    );

    // Verifier: the same; the CA given at init is kept for every later sync; or the system store
    // (here through SSL_CERT_FILE, which the store honours) holds it.
    let plain = Verifier::init(&server.url, &p.dir.fingerprint);
    let (code, text) = plain.failed_sync();
    assert_eq!(code, 41, "{text}");
    assert!(
        text.contains("127.0.0.1") && text.contains("--ca-file") && text.contains("chứng chỉ"),
        "{text}"
    );
    let out = plain.run(&["sync", "--lang", "en"]);
    assert!(
        stderr(&out).contains("Cannot trust the certificate of server 127.0.0.1"),
        "{}",
        stderr(&out)
    );
    let through_system_store = plain
        .command(&["sync", "--json"])
        .env("SSL_CERT_FILE", &ca)
        .output()
        .unwrap();
    assert!(
        through_system_store.status.success(),
        "{}",
        stderr(&through_system_store)
    );
    let out = plain.run(&["sync", "--ca-file", ca.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(plain.run(&["sync"]).status.success(), "the CA file is kept");

    // A server presenting its CA certificate as its own is explained as such.
    drop(server);
    let wrong = ProvincePki::new(true);
    let server = wrong.start(&p);
    let v = Verifier::init(&server.url, &p.dir.fingerprint);
    let out = v.run(&[
        "sync",
        "--lang",
        "en",
        "--ca-file",
        wrong.file("ca.pem").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(41));
    assert!(
        stderr(&out).contains("presents a CA certificate as its own"),
        "{}",
        stderr(&out)
    );
    with_ca = personalize(
        &server,
        &token,
        reader,
        &[],
        &["--ca-file", wrong.file("ca.pem").to_str().unwrap()],
    );
    assert!(
        stderr(&with_ca).contains("chứng chỉ gốc (CA) làm chứng chỉ của chính nó"),
        "{}",
        stderr(&with_ca)
    );
}
