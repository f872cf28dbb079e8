//! LEB128 (7 bits a byte, low bits first, high bit = more), for the exception indices of the
//! revocation list (SPEC.md §15) and the record stream of the payment roll (§17).

use crate::error::{FormatError, Result};

pub(super) fn push_leb128(out: &mut Vec<u8>, mut v: u64) {
    loop {
        let byte = (v & 0x7F) as u8;
        v >>= 7;
        if v == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

/// Reads one number at `pos`, in shortest form; errors name `field`.
pub(super) fn read_leb128(bytes: &[u8], pos: &mut usize, field: &'static str) -> Result<u64> {
    let mut v = 0u64;
    for shift in (0..64).step_by(7) {
        let byte = *bytes
            .get(*pos)
            .ok_or_else(|| FormatError::field(field, "ends inside a number"))?;
        *pos += 1;
        v |= u64::from(byte & 0x7F) << shift;
        if byte & 0x80 == 0 {
            if byte == 0 && shift > 0 {
                return Err(FormatError::field(
                    field,
                    "a number is not in its shortest form",
                ));
            }
            return Ok(v);
        }
    }
    Err(FormatError::field(field, "a number is longer than 64 bits"))
}
