//! The key files under `keys/`: one hex private scalar per file, mode 0600, created once and
//! never overwritten; and the one way to create such a secret file (also for account tokens).

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

use asxh_core::signature::SigningKey;

use crate::error::{Result, ServerError};

/// Creates `path` readable and writable by its owner only; fails if it exists (a secret is
/// never overwritten).
pub fn create_secret_file(path: &Path) -> std::io::Result<File> {
    OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
}

pub(super) fn write_key_file(path: &Path, key: &SigningKey) -> Result<()> {
    let mut f = create_secret_file(path).map_err(|e| {
        ServerError::Setup(format!(
            "cannot create key file {} ({e}); refusing to overwrite a key",
            path.display()
        ))
    })?;
    writeln!(f, "{}", hex::encode(key.to_bytes()))
        .and_then(|()| f.sync_all())
        .map_err(|e| ServerError::Setup(format!("cannot write {}: {e}", path.display())))
}

pub(super) fn read_key_file(path: &Path) -> Result<SigningKey> {
    let text = fs::read_to_string(path)
        .map_err(|e| ServerError::Setup(format!("cannot read key file {}: {e}", path.display())))?;
    let bytes = hex::decode(text.trim())
        .map_err(|_| ServerError::Setup(format!("{} is not a hex key", path.display())))?;
    SigningKey::from_slice(&bytes)
        .map_err(|_| ServerError::Setup(format!("{} is not a P-256 private key", path.display())))
}
