//! Who issues: the office code of the trust list's issuer entries, and the check of the free
//! text (office names) shown to people.

use std::fmt;

use unicode_normalization::UnicodeNormalization;

use crate::error::{FormatError, Result};

/// An issuing office code: 2 to 16 of `A-Z 0-9 - _`.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct OfficeCode(String);

impl OfficeCode {
    pub fn parse(text: &str) -> Result<Self> {
        let t = text.trim().to_ascii_uppercase();
        if !(2..=16).contains(&t.len())
            || !t
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
        {
            return Err(FormatError::field(
                "office",
                format!("{text:?} is not an office code (expected 2 to 16 of A-Z 0-9 - _)"),
            ));
        }
        Ok(OfficeCode(t))
    }

    pub(super) fn from_bytes(bytes: &[u8]) -> Result<Self> {
        let code = OfficeCode::parse(
            std::str::from_utf8(bytes).map_err(|_| FormatError::field("office", "not ASCII"))?,
        )?;
        if code.0.as_bytes() != bytes {
            return Err(FormatError::field("office", "not in canonical form"));
        }
        Ok(code)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for OfficeCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
impl fmt::Debug for OfficeCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "OfficeCode({})", self.0)
    }
}

/// Free text shown to people (an office name): NFC, 1 to 100 bytes, no control characters,
/// no surrounding spaces.
pub fn check_text(field: &'static str, text: &str) -> Result<String> {
    let t: String = text.trim().nfc().collect();
    if t.is_empty() || t.len() > 100 {
        return Err(FormatError::field(
            field,
            format!("must be 1 to 100 bytes, is {}", t.len()),
        ));
    }
    if let Some(c) = t.chars().find(|c| c.is_control()) {
        return Err(FormatError::field(
            field,
            format!("contains the control character U+{:04X}", c as u32),
        ));
    }
    Ok(t)
}

pub(super) fn text_from_bytes(field: &'static str, bytes: &[u8]) -> Result<String> {
    let s = std::str::from_utf8(bytes).map_err(|_| FormatError::field(field, "not UTF-8"))?;
    let t = check_text(field, s)?;
    if t != s {
        return Err(FormatError::field(
            field,
            "not in canonical form (NFC, trimmed)",
        ));
    }
    Ok(t)
}
