//! The card's persistent state (SPEC.md §10) and its encoding as one BER-TLV record, written
//! whole by [`crate::Storage`]. Volatile session state (selection, verified codes, a pending
//! chain or response) lives in [`crate::app`] and is lost at every power cycle.

use asxh_core::card::{AdminCode, LifeCycle, Pin, MAX_ADMIN_TRIES, MAX_PIN_TRIES};
use asxh_core::tlv::{self, Children};
use asxh_core::{CardSerial, FormatError as Error};

/// Version of the stored record format. A new version must still load every older one.
pub const STATE_FORMAT: u8 = 1;

mod tag {
    pub const RECORD: u32 = 0x70;
    pub const FORMAT: u32 = 0x80;
    pub const LIFE_CYCLE: u32 = 0x81;
    pub const ADMIN_CODE: u32 = 0x82;
    pub const ADMIN_TRIES: u32 = 0x83;
    pub const PIN: u32 = 0x84;
    pub const PIN_TRIES: u32 = 0x85;
    pub const PRIVATE_KEY: u32 = 0x86;
    pub const SERIAL: u32 = 0x87;
    pub const CREDENTIAL: u32 = 0x88;
}

/// Everything the card keeps across power cycles.
#[derive(Clone, PartialEq, Eq)]
pub struct PersistentState {
    pub life_cycle: LifeCycle,
    pub admin_code: AdminCode,
    pub admin_tries_left: u8,
    pub pin: Option<Pin>,
    pub pin_tries_left: u8,
    /// The card's P-256 private scalar. Never leaves the card: no command returns it.
    pub private_key: Option<[u8; 32]>,
    pub serial: Option<CardSerial>,
    pub credential: Option<Vec<u8>>,
}

impl std::fmt::Debug for PersistentState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PersistentState")
            .field("life_cycle", &self.life_cycle)
            .field("admin_tries_left", &self.admin_tries_left)
            .field("pin_set", &self.pin.is_some())
            .field("pin_tries_left", &self.pin_tries_left)
            .field("has_key", &self.private_key.is_some())
            .field("serial", &self.serial)
            .field("credential_len", &self.credential.as_ref().map(Vec::len))
            .finish()
    }
}

impl PersistentState {
    /// A blank card as it leaves the factory.
    pub fn factory() -> Self {
        PersistentState {
            life_cycle: LifeCycle::Blank,
            admin_code: AdminCode::factory_default(),
            admin_tries_left: MAX_ADMIN_TRIES,
            pin: None,
            pin_tries_left: MAX_PIN_TRIES,
            private_key: None,
            serial: None,
            credential: None,
        }
    }

    pub fn encode(&self) -> Vec<u8> {
        let mut c = vec![
            tlv::primitive(tag::FORMAT, vec![STATE_FORMAT]),
            tlv::primitive(tag::LIFE_CYCLE, vec![self.life_cycle as u8]),
            tlv::primitive(tag::ADMIN_CODE, self.admin_code.block().to_vec()),
            tlv::primitive(tag::ADMIN_TRIES, vec![self.admin_tries_left]),
        ];
        if let Some(p) = &self.pin {
            c.push(tlv::primitive(tag::PIN, p.block().to_vec()));
        }
        c.push(tlv::primitive(tag::PIN_TRIES, vec![self.pin_tries_left]));
        if let Some(k) = &self.private_key {
            c.push(tlv::primitive(tag::PRIVATE_KEY, k.to_vec()));
        }
        if let Some(s) = self.serial {
            c.push(tlv::primitive(tag::SERIAL, s.to_bytes()));
        }
        if let Some(cred) = &self.credential {
            c.push(tlv::primitive(tag::CREDENTIAL, cred.clone()));
        }
        tlv::encode(&tlv::constructed(tag::RECORD, c))
    }

    pub fn decode(bytes: &[u8]) -> Result<Self, Error> {
        let ctx = "card state record";
        let bad = |what: &str| Error::malformed(ctx, what.to_owned());
        let rec = tlv::decode(ctx, bytes, tag::RECORD, 8192)?;
        let mut c = Children::of(ctx, &rec)?;
        if c.required(tag::FORMAT)? != [STATE_FORMAT] {
            return Err(bad("unknown record format"));
        }
        let one = |v: &[u8]| -> Result<u8, Error> {
            v.first()
                .copied()
                .filter(|_| v.len() == 1)
                .ok_or_else(|| bad("1-byte field has another length"))
        };
        let life_cycle = LifeCycle::from_byte(one(c.required(tag::LIFE_CYCLE)?)?)
            .ok_or_else(|| bad("unknown life cycle"))?;
        let admin_code = AdminCode::from_block(c.required(tag::ADMIN_CODE)?)
            .ok_or_else(|| bad("administrative code block"))?;
        let admin_tries_left = one(c.required(tag::ADMIN_TRIES)?)?;
        let pin = c
            .optional(tag::PIN)?
            .map(|b| Pin::from_block(b).ok_or_else(|| bad("PIN block")))
            .transpose()?;
        let pin_tries_left = one(c.required(tag::PIN_TRIES)?)?;
        let private_key = c
            .optional(tag::PRIVATE_KEY)?
            .map(|k| <[u8; 32]>::try_from(k).map_err(|_| bad("private key length")))
            .transpose()?;
        let serial = c
            .optional(tag::SERIAL)?
            .map(CardSerial::from_bytes)
            .transpose()?;
        let credential = c.optional(tag::CREDENTIAL)?.map(<[u8]>::to_vec);
        c.finish()?;
        if admin_tries_left > MAX_ADMIN_TRIES || pin_tries_left > MAX_PIN_TRIES {
            return Err(bad("retry counter above its maximum"));
        }
        Ok(PersistentState {
            life_cycle,
            admin_code,
            admin_tries_left,
            pin,
            pin_tries_left,
            private_key,
            serial,
            credential,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_round_trips() {
        let mut s = PersistentState::factory();
        assert_eq!(PersistentState::decode(&s.encode()).unwrap(), s);
        s.life_cycle = LifeCycle::Issued;
        s.pin = Some(Pin::parse("1234").unwrap());
        s.private_key = Some([7; 32]);
        s.serial = Some(CardSerial::new(5).unwrap());
        s.credential = Some(vec![1, 2, 3]);
        assert_eq!(PersistentState::decode(&s.encode()).unwrap(), s);
    }

    #[test]
    fn corrupt_records_are_refused() {
        let mut bytes = PersistentState::factory().encode();
        bytes.truncate(bytes.len() - 1);
        assert!(PersistentState::decode(&bytes).is_err());
        assert!(PersistentState::decode(&[]).is_err());
    }
}
