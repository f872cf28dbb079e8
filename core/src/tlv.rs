//! The one BER-TLV codec (ISO/IEC 7816-4 §5.2, SPEC.md §4) used for credentials, QR payloads,
//! card data objects and the card's stored state.
//!
//! Decoding is strict: one object that fills its input exactly, minimal length encoding (the
//! bytes must re-encode to themselves), and children read in the order the format fixes, with
//! unknown or repeated tags rejected. Strictness matters because signatures cover these bytes:
//! one structure must have one encoding.

pub use iso7816_tlv::ber::Tlv;
use iso7816_tlv::ber::{Tag, Value};

use crate::error::{FormatError, Result};

/// Makes a [`Tag`] from its number. Tag numbers are constants of the format; a bad one is a
/// programming error caught by the unit tests of each format.
fn tag(number: u32) -> Tag {
    Tag::try_from(number).unwrap_or_else(|e| panic!("tag constant {number:X} is invalid: {e}"))
}

/// The tag number of a TLV, as written in SPEC.md (e.g. `0x7F21`).
pub fn tag_number(tlv: &Tlv) -> u32 {
    tlv.tag()
        .to_bytes()
        .iter()
        .fold(0u32, |acc, b| (acc << 8) | u32::from(*b))
}

/// Formats a tag number the way SPEC.md writes it.
pub fn tag_name(number: u32) -> String {
    if number > 0xFF {
        format!("{number:04X}")
    } else {
        format!("{number:02X}")
    }
}

/// Encodes a TLV with minimal length fields (SPEC.md §4.1 rule 2). Always use this, never
/// `Tlv::to_vec`: iso7816-tlv 0.4 writes a length of exactly 127 as `81 7F`, which the
/// specification (and every strict decoder) rejects as non-minimal.
pub fn encode(tlv: &Tlv) -> Vec<u8> {
    let mut out = Vec::new();
    encode_into(tlv, &mut out);
    out
}

fn encode_into(tlv: &Tlv, out: &mut Vec<u8>) {
    out.extend_from_slice(tlv.tag().to_bytes());
    match tlv.value() {
        Value::Primitive(v) => {
            encode_length(v.len(), out);
            out.extend_from_slice(v);
        }
        Value::Constructed(children) => {
            let mut inner = Vec::new();
            for c in children {
                encode_into(c, &mut inner);
            }
            encode_length(inner.len(), out);
            out.extend_from_slice(&inner);
        }
    }
}

fn encode_length(len: usize, out: &mut Vec<u8>) {
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = (len as u64).to_be_bytes();
        let skip = bytes.iter().take_while(|b| **b == 0).count();
        out.push(0x80 | (bytes.len() - skip) as u8);
        out.extend_from_slice(&bytes[skip..]);
    }
}

/// A primitive TLV.
pub fn primitive(number: u32, value: impl Into<Vec<u8>>) -> Tlv {
    Tlv::new(tag(number), Value::Primitive(value.into()))
        .unwrap_or_else(|e| panic!("tag {number:X} is not primitive: {e}"))
}

/// A constructed TLV holding `children` in order.
pub fn constructed(number: u32, children: Vec<Tlv>) -> Tlv {
    Tlv::new(tag(number), Value::Constructed(children))
        .unwrap_or_else(|e| panic!("tag {number:X} is not constructed: {e}"))
}

/// Decodes exactly one TLV object of tag `expected` filling all of `bytes` (at most `max_len`
/// bytes), with canonical length encodings.
pub fn decode(context: &'static str, bytes: &[u8], expected: u32, max_len: usize) -> Result<Tlv> {
    if bytes.is_empty() {
        return Err(FormatError::malformed(
            context,
            "empty input, expected a BER-TLV object",
        ));
    }
    if bytes.len() > max_len {
        return Err(FormatError::malformed(
            context,
            format!("{} bytes, at most {max_len} allowed", bytes.len()),
        ));
    }
    let (parsed, rest) = Tlv::parse(bytes);
    let tlv = parsed.map_err(|e| {
        FormatError::malformed(context, format!("not a complete BER-TLV object ({e})"))
    })?;
    if !rest.is_empty() {
        return Err(FormatError::malformed(
            context,
            format!("{} unexpected bytes after the object", rest.len()),
        ));
    }
    if encode(&tlv) != bytes {
        return Err(FormatError::malformed(
            context,
            "length fields are not in minimal (canonical) form",
        ));
    }
    expect_tag(context, &tlv, expected)?;
    Ok(tlv)
}

/// Fails with [`FormatError::UnexpectedTag`] unless `tlv` has tag `expected`.
pub fn expect_tag(context: &'static str, tlv: &Tlv, expected: u32) -> Result<()> {
    let found = tag_number(tlv);
    if found == expected {
        Ok(())
    } else {
        Err(FormatError::UnexpectedTag {
            context,
            expected: tag_name(expected),
            found: tag_name(found),
        })
    }
}

/// Reads the children of a constructed TLV in their fixed order.
pub struct Children<'a> {
    context: &'static str,
    items: &'a [Tlv],
    next: usize,
}

impl<'a> Children<'a> {
    /// The children of `tlv`, which must be constructed.
    pub fn of(context: &'static str, tlv: &'a Tlv) -> Result<Self> {
        match tlv.value() {
            Value::Constructed(items) => Ok(Children {
                context,
                items,
                next: 0,
            }),
            Value::Primitive(_) => Err(FormatError::malformed(
                context,
                format!("tag {} must be constructed", tag_name(tag_number(tlv))),
            )),
        }
    }

    fn peek_is(&self, number: u32) -> bool {
        self.items
            .get(self.next)
            .is_some_and(|t| tag_number(t) == number)
    }

    /// The next child, which must have tag `number`.
    pub fn required_tlv(&mut self, number: u32) -> Result<&'a Tlv> {
        match self.items.get(self.next) {
            Some(t) if tag_number(t) == number => {
                self.next += 1;
                Ok(t)
            }
            Some(t) => Err(FormatError::UnexpectedTag {
                context: self.context,
                expected: tag_name(number),
                found: tag_name(tag_number(t)),
            }),
            None => Err(FormatError::malformed(
                self.context,
                format!("missing tag {}", tag_name(number)),
            )),
        }
    }

    /// The value of the next child, which must be primitive with tag `number`.
    pub fn required(&mut self, number: u32) -> Result<&'a [u8]> {
        let context = self.context;
        let t = self.required_tlv(number)?;
        primitive_value(context, t)
    }

    /// The value of the next child if it has tag `number`.
    pub fn optional(&mut self, number: u32) -> Result<Option<&'a [u8]>> {
        if self.peek_is(number) {
            self.required(number).map(Some)
        } else {
            Ok(None)
        }
    }

    /// The next child if it has tag `number` (constructed or not).
    pub fn optional_tlv(&mut self, number: u32) -> Option<&'a Tlv> {
        if self.peek_is(number) {
            self.next += 1;
            self.items.get(self.next - 1)
        } else {
            None
        }
    }

    /// The next child, whatever its tag.
    pub fn next_any(&mut self) -> Option<&'a Tlv> {
        let t = self.items.get(self.next)?;
        self.next += 1;
        Some(t)
    }

    /// All consecutive next children with tag `number`.
    pub fn repeated(&mut self, number: u32) -> Vec<&'a Tlv> {
        let mut out = Vec::new();
        while let Some(t) = self.optional_tlv(number) {
            out.push(t);
        }
        out
    }

    /// Fails if any child is left: an unknown, repeated or out-of-order tag.
    pub fn finish(self) -> Result<()> {
        match self.items.get(self.next) {
            None => Ok(()),
            Some(t) => Err(FormatError::UnexpectedTag {
                context: self.context,
                expected: "end of template".into(),
                found: tag_name(tag_number(t)),
            }),
        }
    }
}

/// The value bytes of a primitive TLV.
pub fn primitive_value<'a>(context: &'static str, tlv: &'a Tlv) -> Result<&'a [u8]> {
    match tlv.value() {
        Value::Primitive(v) => Ok(v),
        Value::Constructed(_) => Err(FormatError::malformed(
            context,
            format!("tag {} must be primitive", tag_name(tag_number(tlv))),
        )),
    }
}

/// The children of a constructed TLV (empty for a primitive one).
pub fn items(tlv: &Tlv) -> &[Tlv] {
    match tlv.value() {
        Value::Constructed(items) => items,
        Value::Primitive(_) => &[],
    }
}

/// Encodes `value` as a minimal big-endian unsigned integer (at least one byte).
pub fn encode_uint(value: u64) -> Vec<u8> {
    let bytes = value.to_be_bytes();
    let skip = bytes.iter().take(7).take_while(|b| **b == 0).count();
    bytes[skip..].to_vec()
}

/// Decodes a minimal big-endian unsigned integer of 1 to `max_bytes` bytes.
pub fn decode_uint(field: &'static str, bytes: &[u8], max_bytes: usize) -> Result<u64> {
    if bytes.is_empty() || bytes.len() > max_bytes.min(8) {
        return Err(FormatError::field(
            field,
            format!("{} bytes, expected 1 to {max_bytes}", bytes.len()),
        ));
    }
    if bytes.len() > 1 && bytes[0] == 0 {
        return Err(FormatError::field(field, "integer has a leading zero byte"));
    }
    Ok(bytes.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_rejects_non_minimal_length() {
        // 5F37 with length written as 81 02 instead of 02
        let bytes = [0x5F, 0x37, 0x81, 0x02, 0xAA, 0xBB];
        let err = decode("test", &bytes, 0x5F37, 100).unwrap_err();
        assert_eq!(err.kind(), "malformed");
    }

    #[test]
    fn decode_rejects_trailing_bytes_and_truncation() {
        assert_eq!(
            decode("t", &[0x80, 0x01, 0x00, 0x00], 0x80, 10)
                .unwrap_err()
                .kind(),
            "malformed"
        );
        assert_eq!(
            decode("t", &[0x80, 0x02, 0x00], 0x80, 10)
                .unwrap_err()
                .kind(),
            "malformed"
        );
    }

    #[test]
    fn decode_reports_wrong_tag() {
        assert_eq!(
            decode("t", &[0x81, 0x00], 0x80, 10).unwrap_err().kind(),
            "wrong_tag"
        );
    }

    #[test]
    fn children_enforce_order_and_reject_unknown_tags() {
        let t = constructed(
            0xA0,
            vec![primitive(0x81, vec![1]), primitive(0x80, vec![2])],
        );
        let mut c = Children::of("t", &t).unwrap();
        assert!(c.required(0x80).is_err());
        let mut c = Children::of("t", &t).unwrap();
        assert_eq!(c.optional(0x80).unwrap(), None);
        assert_eq!(c.required(0x81).unwrap(), &[1]);
        assert_eq!(c.finish().unwrap_err().kind(), "wrong_tag");
    }

    #[test]
    fn uint_round_trips_minimally() {
        for v in [0u64, 1, 255, 256, 500_000, u64::MAX] {
            let e = encode_uint(v);
            assert_eq!(decode_uint("x", &e, 8).unwrap(), v);
        }
        assert_eq!(encode_uint(0), vec![0]);
        assert!(decode_uint("x", &[0, 1], 8).is_err());
    }

    #[test]
    fn lengths_use_the_shortest_form_at_every_boundary() {
        for (len, head) in [
            (0usize, vec![0x00]),
            (127, vec![0x7F]),
            (128, vec![0x81, 0x80]),
            (255, vec![0x81, 0xFF]),
            (256, vec![0x82, 0x01, 0x00]),
            (65_535, vec![0x82, 0xFF, 0xFF]),
            (65_536, vec![0x83, 0x01, 0x00, 0x00]),
        ] {
            let t = primitive(0x5F37, vec![0xAB; len]);
            let bytes = encode(&t);
            assert_eq!(&bytes[2..2 + head.len()], &head[..], "length {len}");
            assert_eq!(bytes.len(), 2 + head.len() + len);
            assert_eq!(
                decode("t", &bytes, 0x5F37, 1 << 20).unwrap(),
                t,
                "length {len} decodes"
            );
        }
        let nested = constructed(0x7F4E, vec![primitive(0x80, vec![1; 125])]);
        assert_eq!(&encode(&nested)[..3], &[0x7F, 0x4E, 0x7F]);
        let long_form_127 = [&[0x5F, 0x37, 0x81, 0x7F][..], &[0u8; 127][..]].concat();
        assert_eq!(
            decode("t", &long_form_127, 0x5F37, 1024)
                .unwrap_err()
                .kind(),
            "malformed"
        );
    }
}
