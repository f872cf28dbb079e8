//! TLS for `serve --tls-cert --tls-key`: rustls with the ring provider, given to every
//! configuration explicitly and installed as the process default at start-up, so no build's set
//! of crate features can leave rustls without one (or with two to choose from). HTTP/1.1 is the
//! only protocol offered (ALPN).

use std::path::PathBuf;
use std::sync::Arc;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::ServerConfig;
use tokio_rustls::TlsAcceptor;

use crate::error::{Result, ServerError};

/// The certificate chain and private key files (PEM).
#[derive(Debug, Clone)]
pub struct Tls {
    /// The server's certificate first, then any intermediate certificates.
    pub cert: PathBuf,
    pub key: PathBuf,
}

/// Makes ring the process's rustls provider; call once at start-up.
pub fn install_crypto_provider() {
    // Already installed (by an earlier call) is fine.
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// The acceptor for the certificate and key of `tls`, or a setup error naming the file.
pub fn acceptor(tls: &Tls) -> Result<TlsAcceptor> {
    let certs = CertificateDer::pem_file_iter(&tls.cert)
        .and_then(|certs| certs.collect::<Result<Vec<_>, _>>())
        .map_err(|e| {
            ServerError::Setup(format!(
                "--tls-cert {}: not a PEM certificate file ({e})",
                tls.cert.display()
            ))
        })?;
    if certs.is_empty() {
        return Err(ServerError::Setup(format!(
            "--tls-cert {}: no certificate in it (expected -----BEGIN CERTIFICATE-----)",
            tls.cert.display()
        )));
    }
    let key = PrivateKeyDer::from_pem_file(&tls.key).map_err(|e| {
        ServerError::Setup(format!(
            "--tls-key {}: not a PEM private key file ({e})",
            tls.key.display()
        ))
    })?;
    let mut config =
        ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
            .with_safe_default_protocol_versions()
            .map_err(|e| ServerError::Setup(format!("TLS: {e}")))?
            .with_no_client_auth()
            .with_single_cert(certs, key)
            .map_err(|e| {
                ServerError::Setup(format!(
                    "--tls-cert {} and --tls-key {} do not make a usable pair: {e}",
                    tls.cert.display(),
                    tls.key.display()
                ))
            })?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(TlsAcceptor::from(Arc::new(config)))
}
