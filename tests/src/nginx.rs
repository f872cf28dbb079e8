//! Debian's nginx on loopback, as the tests and benches run it: in front of the server with the
//! configuration the README documents (`server/nginx.conf`, its addresses replaced), or serving
//! one file as static bytes (what the server's list serving is compared with). Each instance has
//! its own prefix directory (configuration, cache, logs) and ends when dropped.

use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;

/// The configuration README documents, with the server at `127.0.0.1:8080` and listening on 80.
pub const DOCUMENTED_CONFIG: &str = include_str!("../../server/nginx.conf");

/// A running nginx. Dropping it stops it.
pub struct Nginx {
    child: Child,
    pub url: String,
    dir: TempDir,
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free loopback port")
        .port()
}

impl Nginx {
    /// nginx with the documented configuration in front of the server at `upstream`
    /// (`http://127.0.0.1:PORT`).
    pub fn in_front_of(upstream: &str) -> Nginx {
        let host = upstream.trim_start_matches("http://").trim_end_matches('/');
        Nginx::start(|dir, port| {
            let cache = dir.join("cache");
            DOCUMENTED_CONFIG
                .replace("server 127.0.0.1:8080;", &format!("server {host};"))
                .replace("listen 80;", &format!("listen 127.0.0.1:{port};"))
                .replace(
                    "/var/cache/nginx/asxh",
                    cache.to_str().expect("UTF-8 temp path"),
                )
        })
    }

    /// nginx serving `bytes` as a static file at `path` (such as `/v1/revocation-list`), with
    /// `content_type` and the Cache-Control the server sends; nginx makes its own ETag.
    pub fn serving(path: &str, bytes: &[u8], content_type: &str) -> Nginx {
        Nginx::start(|dir, port| {
            let root = dir.join("www");
            let file = root.join(path.trim_start_matches('/'));
            std::fs::create_dir_all(file.parent().expect("a directory")).expect("www dir");
            std::fs::write(&file, bytes).expect("static file");
            format!(
                "server {{\n    listen 127.0.0.1:{port};\n    location = {path} {{\n        root {};\n        default_type {content_type};\n        etag on;\n        add_header Cache-Control \"public, max-age=30\";\n    }}\n}}\n",
                root.display()
            )
        })
    }

    fn start(http: impl FnOnce(&Path, u16) -> String) -> Nginx {
        let dir = tempfile::tempdir().expect("temp dir");
        let port = free_port();
        let p = dir.path();
        let conf = format!(
            "daemon off;\nworker_processes auto;\nuser root;\npid {pid};\nerror_log {log} warn;\nevents {{ worker_connections 4096; }}\nhttp {{\n    access_log off;\n    client_body_temp_path {t}/body;\n    proxy_temp_path {t}/proxy;\n    fastcgi_temp_path {t}/fastcgi;\n    uwsgi_temp_path {t}/uwsgi;\n    scgi_temp_path {t}/scgi;\n{http}}}\n",
            pid = p.join("nginx.pid").display(),
            log = p.join("error.log").display(),
            t = p.display(),
            http = http(p, port),
        );
        std::fs::write(p.join("nginx.conf"), conf).expect("nginx.conf");
        let nginx = ["/usr/sbin/nginx", "nginx"]
            .into_iter()
            .find(|n| !n.starts_with('/') || Path::new(n).exists())
            .expect("nginx");
        let child = Command::new(nginx)
            .args(["-p"])
            .arg(p)
            .args(["-e"])
            .arg(p.join("error.log"))
            .args(["-c"])
            .arg(p.join("nginx.conf"))
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("nginx starts (Debian package nginx, installed by scripts/setup)");
        let addr = format!("127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(&addr).is_err() {
            assert!(
                Instant::now() < deadline,
                "nginx did not listen on {addr}: {}",
                std::fs::read_to_string(p.join("error.log")).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Nginx {
            child,
            url: format!("http://{addr}"),
            dir,
        }
    }

    /// nginx's error log so far.
    pub fn error_log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("error.log")).unwrap_or_default()
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        // SIGTERM: fast shutdown of the master and its workers.
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let _ = self.child.wait();
    }
}
