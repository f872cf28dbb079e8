//! LEB128 (7 bits a byte, low bits first, high bit = more), for the exception indices of the
//! revocation list (SPEC.md §15).

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

pub(super) fn read_leb128(bytes: &[u8], pos: &mut usize) -> Result<u64> {
    let mut v = 0u64;
    for shift in (0..64).step_by(7) {
        let byte = *bytes
            .get(*pos)
            .ok_or_else(|| FormatError::field("exceptions", "ends inside an index"))?;
        *pos += 1;
        v |= u64::from(byte & 0x7F) << shift;
        if byte & 0x80 == 0 {
            if byte == 0 && shift > 0 {
                return Err(FormatError::field(
                    "exceptions",
                    "an index is not in its shortest form",
                ));
            }
            return Ok(v);
        }
    }
    Err(FormatError::field(
        "exceptions",
        "an index is longer than 64 bits",
    ))
}
