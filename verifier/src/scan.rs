//! Reading a card QR from a photo or scan (PNG or JPEG) with rqrr: every QR code in the image is
//! decoded and the first that carries a card QR (`ASXH1:` prefix) is returned.

use std::path::Path;

use crate::error::{Result, VerifierError};

/// The text of the card QR in the image at `path`.
pub fn qr_text_from_image(path: &Path) -> Result<String> {
    let image = image::open(path)
        .map_err(|e| {
            VerifierError::Usage(format!(
                "cannot read the image {}: {e} (expected a PNG or JPEG photo or scan)",
                path.display()
            ))
        })?
        .to_luma8();
    let mut prepared = rqrr::PreparedImage::prepare(image);
    let grids = prepared.detect_grids();
    if grids.is_empty() {
        return Err(VerifierError::Usage(format!(
            "no QR code found in {}: photograph the card face straight on, in focus, with the whole code visible",
            path.display()
        )));
    }
    let mut other = Vec::new();
    for grid in grids {
        match grid.decode() {
            Ok((_, text)) if text.trim().to_ascii_uppercase().starts_with("ASXH1:") => {
                return Ok(text.trim().to_owned())
            }
            Ok((_, text)) => other.push(text.chars().take(20).collect::<String>()),
            Err(e) => other.push(format!("unreadable ({e})")),
        }
    }
    Err(VerifierError::Usage(format!(
        "{} holds QR codes but no card QR (found: {})",
        path.display(),
        other.join(", ")
    )))
}
