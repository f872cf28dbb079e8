//! Who issues: the office code of the trust list's issuer entries, and the check of the free
//! text (office names) shown to people.

use std::fmt;

use unicode_normalization::UnicodeNormalization;

use crate::error::{FormatError, Problem, Result};

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
            return Err(FormatError::invalid(
                "office",
                Problem::OfficeCodeForm {
                    text: text.to_owned(),
                },
            ));
        }
        Ok(OfficeCode(t))
    }

    pub(crate) fn from_bytes(bytes: &[u8]) -> Result<Self> {
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

/// Characters that are not shown but change how text around them is shown (Unicode general
/// category Cf: bidirectional controls such as U+202E, zero-width characters such as U+200B), and
/// the line and paragraph separators U+2028 and U+2029: refused in office names (SPEC.md §14), so
/// that a name reads as what it is.
const INVISIBLE: &[(u32, u32)] = &[
    (0x00AD, 0x00AD),
    (0x0600, 0x0605),
    (0x061C, 0x061C),
    (0x06DD, 0x06DD),
    (0x070F, 0x070F),
    (0x0890, 0x0891),
    (0x08E2, 0x08E2),
    (0x180E, 0x180E),
    (0x200B, 0x200F),
    (0x2028, 0x202E),
    (0x2060, 0x2064),
    (0x2066, 0x206F),
    (0xFEFF, 0xFEFF),
    (0xFFF9, 0xFFFB),
    (0x110BD, 0x110BD),
    (0x110CD, 0x110CD),
    (0x13430, 0x1343F),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0001, 0xE0001),
    (0xE0020, 0xE007F),
];

fn invisible(c: char) -> bool {
    let c = c as u32;
    INVISIBLE.iter().any(|(lo, hi)| (*lo..=*hi).contains(&c))
}

/// Free text shown to people (an office name): NFC, 1 to 100 bytes, no control, format or
/// separator characters ([`INVISIBLE`]), no surrounding white space.
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
    if let Some(c) = t.chars().find(|&c| invisible(c)) {
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
    fn office_names_refuse_control_bidi_and_zero_width_characters_and_surrounding_space() {
        assert_eq!(
            check_text("name", " Bưu điện Nghĩa Hành ").unwrap(),
            "Bưu điện Nghĩa Hành"
        );
        for bad in [
            "a\u{202E}b",
            "a\u{200B}b",
            "a\u{2028}b",
            "a\u{7}b",
            "a\u{FEFF}",
        ] {
            assert!(check_text("name", bad).is_err(), "{bad:?}");
        }
        assert!(text_from_bytes("name", "\u{A0}Ba Đình".as_bytes()).is_err());
    }

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
