//! asxh-client: how the issuing office's personalizer and the payment point's verifier connect
//! to the issuing server. One place builds their HTTP agent: TLS by rustls with the *ring*
//! provider (the one crypto provider of the workspace), trusting the operating system's
//! certificate store (which honours `SSL_CERT_FILE` and `SSL_CERT_DIR`) and, with `--ca-file`,
//! the province's own certificate authority. A connection that fails because of the server's
//! certificate becomes a [`CertificateProblem`] that names the host and says what to do, from
//! the catalogue: in Vietnamese (the default) or English.
#![forbid(unsafe_code)]

use std::error::Error as StdError;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use asxh_text::message::Args;
use asxh_text::{Catalogued, Lang, Msg};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::CertificateDer;
use rustls::{CertificateError, ClientConfig, RootCertStore};

/// What can go wrong before a connection is even tried.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error("--ca-file {}: {problem}", .path.display())]
    CaFile { path: PathBuf, problem: String },
    #[error("TLS set-up failed: {0}")]
    Setup(String),
}

/// The crypto provider of every TLS connection the clients make.
pub fn crypto_provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// The certificates of a PEM file (`-----BEGIN CERTIFICATE-----` blocks).
pub fn read_ca_file(path: &Path) -> Result<Vec<CertificateDer<'static>>, ClientError> {
    let fail = |problem: String| ClientError::CaFile {
        path: path.to_owned(),
        problem,
    };
    let bytes = std::fs::read(path).map_err(|e| fail(format!("cannot be read ({e})")))?;
    let certs = CertificateDer::pem_slice_iter(&bytes)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| fail(format!("is not a PEM certificate file ({e})")))?;
    if certs.is_empty() {
        return Err(fail(
            "holds no certificate (expected PEM blocks -----BEGIN CERTIFICATE-----)".into(),
        ));
    }
    Ok(certs)
}

/// The trust anchors: the operating system's store, plus every certificate of `ca_file`.
fn roots(ca_file: Option<&Path>) -> Result<RootCertStore, ClientError> {
    let mut roots = RootCertStore::empty();
    // Unreadable entries of the system store are skipped: the others still count.
    roots.add_parsable_certificates(rustls_native_certs::load_native_certs().certs);
    if let Some(path) = ca_file {
        for cert in read_ca_file(path)? {
            roots.add(cert).map_err(|e| ClientError::CaFile {
                path: path.to_owned(),
                problem: format!("holds a certificate that cannot be a trust anchor ({e})"),
            })?;
        }
    }
    Ok(roots)
}

/// The agent every request to the server goes through: `timeout` for each whole request, TLS
/// trusting the system store and `ca_file`.
pub fn agent(ca_file: Option<&Path>, timeout: Duration) -> Result<ureq::Agent, ClientError> {
    let config = ClientConfig::builder_with_provider(crypto_provider())
        .with_safe_default_protocol_versions()
        .map_err(|e| ClientError::Setup(e.to_string()))?
        .with_root_certificates(roots(ca_file)?)
        .with_no_client_auth();
    Ok(ureq::AgentBuilder::new()
        .tls_config(Arc::new(config))
        .timeout(timeout)
        .build())
}

/// Why the server's certificate was not accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CertificateKind {
    /// Issued by an authority neither the system store nor `--ca-file` holds.
    UnknownIssuer,
    /// The server presents a CA certificate as its own.
    CaUsedAsEndEntity,
    Expired,
    NotYetValid,
    /// Not issued for the host name in the server address.
    WrongName,
    Revoked,
    /// Anything else TLS refused, as rustls says it.
    Other(String),
}

/// A connection refused because of the server's certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateProblem {
    /// The host of the server address, as given.
    pub host: String,
    pub kind: CertificateKind,
}

/// The rustls error inside a failed request, however ureq and `std::io` wrapped it.
fn tls_error(error: &ureq::Error) -> Option<&rustls::Error> {
    let ureq::Error::Transport(transport) = error else {
        return None;
    };
    let mut next: Option<&(dyn StdError + 'static)> = transport.source();
    while let Some(e) = next {
        if let Some(tls) = e.downcast_ref::<rustls::Error>() {
            return Some(tls);
        }
        if let Some(tls) = e
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
            .and_then(|inner| inner.downcast_ref::<rustls::Error>())
        {
            return Some(tls);
        }
        next = e.source();
    }
    None
}

fn kind_of(error: &CertificateError) -> CertificateKind {
    match error {
        CertificateError::UnknownIssuer => CertificateKind::UnknownIssuer,
        CertificateError::Expired | CertificateError::ExpiredContext { .. } => {
            CertificateKind::Expired
        }
        CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => {
            CertificateKind::NotYetValid
        }
        CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
            CertificateKind::WrongName
        }
        CertificateError::Revoked => CertificateKind::Revoked,
        CertificateError::Other(other)
            if matches!(
                other.0.downcast_ref::<webpki::Error>(),
                Some(webpki::Error::CaUsedAsEndEntity)
            ) =>
        {
            CertificateKind::CaUsedAsEndEntity
        }
        other => CertificateKind::Other(other.to_string()),
    }
}

/// The host part of `url` (`https://host:port/path` → `host`).
fn host_of(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    match host.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(v6).to_owned(),
        None => host.split(':').next().unwrap_or(host).to_owned(),
    }
}

impl CertificateProblem {
    /// The certificate problem behind a failed request to `url`, if that is why it failed.
    pub fn of(error: &ureq::Error, url: &str) -> Option<CertificateProblem> {
        let kind = match tls_error(error)? {
            rustls::Error::InvalidCertificate(e) => kind_of(e),
            other => CertificateKind::Other(other.to_string()),
        };
        Some(CertificateProblem {
            host: host_of(url),
            kind,
        })
    }
}

/// What the clerk reads: the catalogue's text for the kind, naming the host.
impl Catalogued for CertificateProblem {
    fn message(&self, _: Lang) -> (Msg, Args) {
        let host = ("host", self.host.clone());
        let msg = match &self.kind {
            CertificateKind::UnknownIssuer => Msg::CertificateUnknownIssuer,
            CertificateKind::CaUsedAsEndEntity => Msg::CertificateCaUsedAsEndEntity,
            CertificateKind::Expired => Msg::CertificateExpired,
            CertificateKind::NotYetValid => Msg::CertificateNotYetValid,
            CertificateKind::WrongName => Msg::CertificateWrongName,
            CertificateKind::Revoked => Msg::CertificateRevoked,
            CertificateKind::Other(detail) => {
                return (
                    Msg::CertificateOther,
                    vec![host, ("detail", detail.clone())],
                )
            }
        };
        (msg, vec![host])
    }

    fn examples() -> Vec<Self> {
        [
            CertificateKind::UnknownIssuer,
            CertificateKind::CaUsedAsEndEntity,
            CertificateKind::Expired,
            CertificateKind::NotYetValid,
            CertificateKind::WrongName,
            CertificateKind::Revoked,
            CertificateKind::Other("handshake failure".into()),
        ]
        .into_iter()
        .map(|kind| CertificateProblem {
            host: "asxh.tinh.gov.vn".into(),
            kind,
        })
        .collect()
    }
}

impl std::fmt::Display for CertificateProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text(Lang::Vi))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_host_is_taken_from_the_server_address() {
        for (url, host) in [
            (
                "https://asxh.quangngai.gov.vn/v1/cards",
                "asxh.quangngai.gov.vn",
            ),
            ("https://127.0.0.1:8443/healthz", "127.0.0.1"),
            ("https://[::1]:8443/", "::1"),
            ("https://user@host.example:1", "host.example"),
            ("host.example", "host.example"),
        ] {
            assert_eq!(host_of(url), host, "{url}");
        }
    }

    #[test]
    fn a_ca_file_without_certificates_is_refused_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ca.pem");
        std::fs::write(&path, "not a certificate\n").unwrap();
        let err = agent(Some(&path), Duration::from_secs(1)).unwrap_err();
        assert!(err.to_string().contains("ca.pem"), "{err}");
        assert!(err.to_string().contains("BEGIN CERTIFICATE"), "{err}");
        let missing = dir.path().join("missing.pem");
        assert!(agent(Some(&missing), Duration::from_secs(1))
            .unwrap_err()
            .to_string()
            .contains("cannot be read"));
    }

    #[test]
    fn a_ca_certificate_file_is_accepted() {
        let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        let key = rcgen::KeyPair::generate().unwrap();
        let ca = params.self_signed(&key).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ca.pem");
        std::fs::write(&path, ca.pem()).unwrap();
        assert_eq!(read_ca_file(&path).unwrap().len(), 1);
        assert!(agent(Some(&path), Duration::from_secs(1)).is_ok());
    }

    #[test]
    fn every_message_names_the_host_in_both_languages() {
        asxh_text::message::check_catalogued::<CertificateProblem>().unwrap();
        for p in CertificateProblem::examples() {
            assert!(p.text(Lang::Vi).contains("asxh.tinh.gov.vn"));
            assert!(p.text(Lang::En).contains("asxh.tinh.gov.vn"));
            assert_eq!(p.to_string(), p.text(Lang::Vi));
        }
    }
}
