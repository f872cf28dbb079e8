//! Reading a card QR from a photo or scan (PNG or JPEG) with rqrr: every QR code in the image is
//! decoded and the first that carries a card QR (`ASXH1:` prefix) is returned.

use std::path::Path;

use asxh_text::usage::Usage;

use crate::error::{Result, VerifierError};

/// The text of the card QR in the image at `path`.
pub fn qr_text_from_image(path: &Path) -> Result<String> {
    let shown = path.display().to_string();
    let image = image::open(path)
        .map_err(|e| {
            VerifierError::Usage(Usage::ImageUnreadable {
                path: shown.clone(),
                detail: e.to_string(),
            })
        })?
        .to_luma8();
    let mut prepared = rqrr::PreparedImage::prepare(image);
    let grids = prepared.detect_grids();
    if grids.is_empty() {
        return Err(VerifierError::Usage(Usage::NoQrInImage { path: shown }));
    }
    let mut other = Vec::new();
    for grid in grids {
        match grid.decode() {
            Ok((_, text)) if text.trim().to_ascii_uppercase().starts_with("ASXH1:") => {
                return Ok(text.trim().to_owned())
            }
            Ok((_, text)) => {
                other.push(format!("\"{}\"", text.chars().take(20).collect::<String>()))
            }
            Err(e) => other.push(format!("? ({e})")),
        }
    }
    Err(VerifierError::Usage(Usage::NoCardQrInImage {
        path: shown,
        found: other.join(", "),
    }))
}
