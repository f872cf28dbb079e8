//! The payment-point verifier as the end-to-end tests drive it: the real `asxh-verifier` binary
//! with a data directory of its own, its verdicts read from `--json`.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use serde_json::Value;
use tempfile::TempDir;

/// The `asxh-verifier` binary, built on first use.
pub fn verifier_binary() -> PathBuf {
    crate::binary("asxh-verifier")
}

/// A payment point's data directory.
pub struct Verifier {
    dir: TempDir,
}

impl Verifier {
    /// `asxh-verifier init` against `server_url`, pinning `fingerprint`, then a first sync.
    pub fn init_and_sync(server_url: &str, fingerprint: &str) -> Verifier {
        let v = Verifier::init(server_url, fingerprint);
        v.sync();
        v
    }

    /// `asxh-verifier init` against `server_url`, pinning `fingerprint` (nothing fetched yet).
    pub fn init(server_url: &str, fingerprint: &str) -> Verifier {
        let v = Verifier {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        let out = v.run(&[
            "init",
            "--server",
            server_url,
            "--root-fingerprint",
            fingerprint,
            "--point-id",
            "BD-NGHIA-HANH",
        ]);
        assert!(
            out.status.success(),
            "init: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        v
    }

    /// A payment point `point` (its code) paying in `area`, with the token of its
    /// payment-point account kept for uploads (`init --token-file`); nothing fetched yet.
    pub fn init_point(
        server_url: &str,
        fingerprint: &str,
        point: &str,
        area: &str,
        token: &str,
    ) -> Verifier {
        let v = Verifier {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        let token_file = v.dir.path().join("token");
        std::fs::write(&token_file, token).expect("token file");
        let out = v.run(&[
            "init",
            "--server",
            server_url,
            "--root-fingerprint",
            fingerprint,
            "--point-id",
            point,
            "--area",
            area,
            "--token-file",
            token_file.to_str().expect("UTF-8 path"),
        ]);
        assert!(
            out.status.success(),
            "init: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        v
    }

    /// `asxh-verifier pay … --json`: the exit code, the JSON it printed (`{"verdict",
    /// "payment"}` when paid, `null` otherwise) and what it said on standard error.
    pub fn pay(&self, args: &[&str]) -> (i32, Value, String) {
        let mut all = vec!["pay"];
        all.extend_from_slice(args);
        all.push("--json");
        let out = self.run(&all);
        let stdout = String::from_utf8_lossy(&out.stdout);
        let json = stdout
            .lines()
            .rev()
            .find(|l| l.starts_with('{'))
            .map_or(Value::Null, |l| {
                serde_json::from_str(l).expect("pay prints JSON")
            });
        (
            out.status.code().unwrap_or(-1),
            json,
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    /// The point's data directory opened as the binary opens it, to look at its cache.
    pub fn store(&self) -> asxh_verifier::store::Store {
        asxh_verifier::store::Store::open(&self.data()).expect("initialised data directory")
    }

    pub fn data(&self) -> PathBuf {
        self.dir.path().join("point")
    }

    /// Command line for a subcommand, with `--data` added.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut c = Command::new(verifier_binary());
        c.args(args)
            .arg("--data")
            .arg(self.data())
            .env("RUST_LOG", "warn");
        c
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("asxh-verifier runs")
    }

    /// Runs with the clock moved by `offset` (libfaketime's `-f` syntax, e.g. `+7d`).
    pub fn run_at(&self, offset: &str, args: &[&str]) -> Output {
        Command::new("faketime")
            .args(["-f", offset])
            .arg(verifier_binary())
            .args(args)
            .arg("--data")
            .arg(self.data())
            .env("RUST_LOG", "warn")
            .output()
            .expect("faketime runs (Debian package faketime)")
    }

    /// [`Self::sync`] with the clock moved by `offset`.
    pub fn sync_at(&self, offset: &str) -> Value {
        let out = self.run_at(offset, &["sync", "--json"]);
        assert!(
            out.status.success(),
            "sync at {offset}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).expect("sync report is JSON")
    }

    /// [`Self::verdict`] with the clock moved by `offset`.
    pub fn verdict_at(&self, offset: &str, args: &[&str]) -> (i32, Value) {
        let mut all = args.to_vec();
        all.push("--json");
        verdict_of(&self.run_at(offset, &all))
    }

    /// Runs with `input` on standard input.
    pub fn run_with_input(&self, args: &[&str], input: &str) -> Output {
        let mut child = self
            .command(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(input.as_bytes())
            .expect("write stdin");
        child.wait_with_output().expect("asxh-verifier runs")
    }

    pub fn sync(&self) -> Value {
        let out = self.run(&["sync", "--json"]);
        assert!(
            out.status.success(),
            "sync: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).expect("sync report is JSON")
    }

    /// A sync that must fail: its exit code and what it printed on stderr.
    pub fn failed_sync(&self) -> (i32, String) {
        let out = self.run(&["sync"]);
        assert!(!out.status.success(), "sync should have failed");
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    /// Runs a verification with `--json` and returns the exit code and the (last) verdict.
    pub fn verdict(&self, args: &[&str]) -> (i32, Value) {
        let mut all = args.to_vec();
        all.push("--json");
        verdict_of(&self.run(&all))
    }
}

/// The exit code and the last JSON verdict a verification printed.
pub fn verdict_of(out: &Output) -> (i32, Value) {
    let stdout = String::from_utf8_lossy(&out.stdout);
    let line = stdout
        .lines()
        .rev()
        .find(|l| l.starts_with('{'))
        .unwrap_or_else(|| {
            panic!(
                "no JSON verdict (exit {:?}); stdout: {stdout}; stderr: {}",
                out.status.code(),
                String::from_utf8_lossy(&out.stderr)
            )
        });
    (
        out.status.code().unwrap_or(-1),
        serde_json::from_str(line).expect("verdict is JSON"),
    )
}
