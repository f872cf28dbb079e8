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

/// Unicode's format characters (general category Cf: bidirectional overrides and isolates,
/// zero-width characters, the soft hyphen, tags, …) and the line and paragraph separators:
/// invisible, or able to reorder what is shown, so a signed text could read differently from
/// what it holds. Unicode 15.1.
const INVISIBLE: &[(char, char)] = &[
    ('\u{00AD}', '\u{00AD}'),
    ('\u{0600}', '\u{0605}'),
    ('\u{061C}', '\u{061C}'),
    ('\u{06DD}', '\u{06DD}'),
    ('\u{070F}', '\u{070F}'),
    ('\u{0890}', '\u{0891}'),
    ('\u{08E2}', '\u{08E2}'),
    ('\u{180E}', '\u{180E}'),
    ('\u{200B}', '\u{200F}'),
    ('\u{2028}', '\u{202E}'),
    ('\u{2060}', '\u{2064}'),
    ('\u{2066}', '\u{206F}'),
    ('\u{FEFF}', '\u{FEFF}'),
    ('\u{FFF9}', '\u{FFFB}'),
    ('\u{110BD}', '\u{110BD}'),
    ('\u{110CD}', '\u{110CD}'),
    ('\u{13430}', '\u{1343F}'),
    ('\u{1BCA0}', '\u{1BCA3}'),
    ('\u{1D173}', '\u{1D17A}'),
    ('\u{E0001}', '\u{E0001}'),
    ('\u{E0020}', '\u{E007F}'),
];

/// Whether `c` is a format character or a line or paragraph separator ([`INVISIBLE`]).
pub fn is_invisible(c: char) -> bool {
    INVISIBLE.iter().any(|&(from, to)| (from..=to).contains(&c))
}

/// Free text shown to people (an office name): NFC, 1 to 100 bytes, no control characters, no
/// format characters or line separators ([`is_invisible`]), no surrounding spaces.
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
    if let Some(c) = t.chars().find(|&c| is_invisible(c)) {
        return Err(FormatError::field(
            field,
            format!(
                "contains the invisible format character U+{:04X} (such as a direction override or a zero-width space)",
                c as u32
            ),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn office_names_with_invisible_or_reordering_characters_are_refused_naming_them() {
        for (text, code) in [
            ("Phòng \u{202E}LĐTBXH", "U+202E"),
            ("Phòng\u{200B}LĐTBXH", "U+200B"),
            ("Phòng\u{2066}LĐTBXH\u{2069}", "U+2066"),
            ("Phòng\u{00AD}LĐTBXH", "U+00AD"),
            ("Phòng\u{2028}LĐTBXH", "U+2028"),
            ("Phòng\u{FEFF}LĐTBXH", "U+FEFF"),
        ] {
            let err = check_text("name", text).unwrap_err().to_string();
            assert!(err.contains(code), "{text:?}: {err}");
        }
        assert_eq!(
            check_text("name", " Phòng Lao động – Thương binh và Xã hội ").unwrap(),
            "Phòng Lao động – Thương binh và Xã hội"
        );
    }
}
