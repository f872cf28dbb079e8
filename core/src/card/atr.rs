//! Answer-to-reset parsing, just enough to learn from the historical bytes' card capabilities
//! (ISO/IEC 7816-4 §8.1.1.2.7) whether the card accepts extended-length APDUs and chaining.

/// The ATR of the reference card (SPEC.md §7.1): T0 `85` (TD1 follows, 5 historical bytes),
/// TD1 `01` (T=1 and no other protocol), historical bytes `80 73 80 00 C0` (category 80; card
/// capabilities: selection by full DF name; command chaining and extended Lc/Le supported),
/// then the check byte.
pub const REFERENCE_ATR: [u8; 9] = [0x3B, 0x85, 0x01, 0x80, 0x73, 0x80, 0x00, 0xC0, 0x37];

/// What an ATR says about the card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Atr {
    historical: Vec<u8>,
    protocols: Vec<u8>,
}

impl Atr {
    /// Parses the interface bytes to find the historical bytes. `None` if the ATR is cut short.
    pub fn parse(atr: &[u8]) -> Option<Self> {
        let t0 = *atr.get(1)?;
        let k = usize::from(t0 & 0x0F);
        let mut y = t0 >> 4;
        let mut i = 2;
        let mut protocols = Vec::new();
        loop {
            let count = (y & 1) + ((y >> 1) & 1) + ((y >> 2) & 1);
            i += usize::from(count);
            if y & 0x8 == 0 {
                break;
            }
            let td = *atr.get(i)?;
            i += 1;
            y = td >> 4;
            if td & 0x0F != 0x0F && !protocols.contains(&(td & 0x0F)) {
                protocols.push(td & 0x0F);
            }
        }
        let historical = atr.get(i..i + k)?.to_vec();
        if protocols.is_empty() {
            protocols.push(0);
        }
        Some(Atr {
            historical,
            protocols,
        })
    }

    /// The transmission protocols offered (the T of each TDi but T=15; T=0 when there is no
    /// TD1), ISO/IEC 7816-3 §8.2.3.
    pub fn protocols(&self) -> &[u8] {
        &self.protocols
    }

    /// The third software-function byte of the card capabilities, if present.
    fn capabilities_byte3(&self) -> Option<u8> {
        let h = &self.historical;
        if h.first() != Some(&0x80) {
            return None;
        }
        let mut i = 1;
        while i < h.len() {
            let (tag, len) = (h[i] >> 4, usize::from(h[i] & 0x0F));
            let value = h.get(i + 1..i + 1 + len)?;
            if tag == 7 && len >= 3 {
                return Some(value[2]);
            }
            i += 1 + len;
        }
        None
    }

    /// Whether the card announces extended Lc and Le fields.
    pub fn extended_length(&self) -> bool {
        self.capabilities_byte3().is_some_and(|b| b & 0x40 != 0)
    }

    /// Whether the card announces command chaining.
    pub fn chaining(&self) -> bool {
        self.capabilities_byte3().is_some_and(|b| b & 0x80 != 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_atr_announces_extended_length_and_has_a_valid_check_byte() {
        let a = Atr::parse(&REFERENCE_ATR).unwrap();
        assert!(a.extended_length() && a.chaining());
        assert_eq!(a.protocols(), [1], "T=1 only");
        assert_eq!(REFERENCE_ATR[1..].iter().fold(0, |x, b| x ^ b), 0, "TCK");
    }

    #[test]
    fn plain_atr_announces_nothing_and_short_atr_is_none() {
        let plain = Atr::parse(&[0x3B, 0x80, 0x80, 0x01, 0x01]).unwrap();
        assert!(!plain.extended_length());
        assert_eq!(plain.protocols(), [0, 1], "TD1 80 offers T=0, TD2 01 T=1");
        assert_eq!(Atr::parse(&[0x3B, 0x00]).unwrap().protocols(), [0]);
        assert!(Atr::parse(&[0x3B, 0x85, 0x80]).is_none());
    }
}
