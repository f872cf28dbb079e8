//! Entitlements (SPEC.md §5.3): what a holder is owed under a program. The program code list is
//! open; the codes the brief names have Vietnamese and English titles for display.

use std::fmt;

use crate::date::Date;
use crate::error::{FormatError, Problem, Result};
use crate::holder::PersonName;
use crate::tlv::{self, Children, Tlv};

/// Tags inside an entitlement template `A0` (SPEC.md §5.3).
mod tag {
    pub const ENTITLEMENT: u32 = 0xA0;
    pub const PROGRAM: u32 = 0x80;
    pub const CATEGORY: u32 = 0x81;
    pub const AMOUNT: u32 = 0x82;
    pub const VALID_FROM: u32 = 0x83;
    pub const VALID_UNTIL: u32 = 0x84;
    pub const RECIPIENT: u32 = 0xA5;
    pub const RECIPIENT_NAME: u32 = 0x80;
    pub const RECIPIENT_ID: u32 = 0x81;
}
pub use tag::ENTITLEMENT as ENTITLEMENT_TAG;

/// Upper bound of a monthly amount in VND (five bytes on the wire).
pub const MAX_AMOUNT_VND: u64 = 999_999_999_999;

/// A program code: 2 to 8 ASCII upper-case letters or digits (`TGXH`, `NCC`, `HN`, `HCN`,
/// `BHYT`, `BHXH`, `BHTN`, or any later one).
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ProgramCode(String);

impl ProgramCode {
    pub fn parse(text: &str) -> Result<Self> {
        let t = text.trim().to_ascii_uppercase();
        if !(2..=8).contains(&t.len())
            || !t
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        {
            return Err(FormatError::invalid(
                "program",
                Problem::ProgramForm {
                    text: text.to_owned(),
                },
            ));
        }
        Ok(ProgramCode(t))
    }

    pub(crate) fn from_bytes(bytes: &[u8]) -> Result<Self> {
        let text =
            std::str::from_utf8(bytes).map_err(|_| FormatError::field("program", "not ASCII"))?;
        let code = ProgramCode::parse(text)?;
        if code.0.as_bytes() != bytes {
            return Err(FormatError::field(
                "program",
                "must be upper-case ASCII without spaces",
            ));
        }
        Ok(code)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ProgramCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
impl fmt::Debug for ProgramCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ProgramCode({})", self.0)
    }
}

/// A category within a program: 1 to 16 of `A-Z 0-9 . _ -`.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct CategoryCode(String);

impl CategoryCode {
    pub fn parse(text: &str) -> Result<Self> {
        let t = text.trim().to_ascii_uppercase();
        if !(1..=16).contains(&t.len())
            || !t.bytes().all(|b| {
                b.is_ascii_uppercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-')
            })
        {
            return Err(FormatError::invalid(
                "category",
                Problem::CategoryForm {
                    text: text.to_owned(),
                },
            ));
        }
        Ok(CategoryCode(t))
    }

    pub(crate) fn from_bytes(bytes: &[u8]) -> Result<Self> {
        let text =
            std::str::from_utf8(bytes).map_err(|_| FormatError::field("category", "not ASCII"))?;
        let code = CategoryCode::parse(text)?;
        if code.0.as_bytes() != bytes {
            return Err(FormatError::field(
                "category",
                "must be upper-case ASCII without spaces",
            ));
        }
        Ok(code)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for CategoryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CategoryCode({})", self.0)
    }
}

/// An identity document number of an authorised recipient: 12 digits (citizen ID) or 9 digits
/// (old identity card).
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct IdNumber(String);

impl IdNumber {
    pub fn parse(text: &str) -> Result<Self> {
        let t = text.trim();
        if !(t.len() == 9 || t.len() == 12) || !t.bytes().all(|b| b.is_ascii_digit()) {
            return Err(FormatError::invalid(
                "authorized_recipient.id_number",
                Problem::IdNumberForm { text: t.to_owned() },
            ));
        }
        Ok(IdNumber(t.to_owned()))
    }

    pub(crate) fn from_bytes(bytes: &[u8]) -> Result<Self> {
        let text = std::str::from_utf8(bytes)
            .map_err(|_| FormatError::field("authorized_recipient.id_number", "not ASCII"))?;
        let id = IdNumber::parse(text)?;
        if id.0.as_bytes() != bytes {
            return Err(FormatError::field(
                "authorized_recipient.id_number",
                "has surrounding spaces",
            ));
        }
        Ok(id)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for IdNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "IdNumber({})", self.0)
    }
}

/// A guardian or representative who may collect the payment for the holder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorizedRecipient {
    pub name: PersonName,
    pub id_number: IdNumber,
}

impl AuthorizedRecipient {
    fn to_tlv(&self) -> Tlv {
        tlv::constructed(
            tag::RECIPIENT,
            vec![
                tlv::primitive(tag::RECIPIENT_NAME, self.name.as_str().as_bytes()),
                tlv::primitive(tag::RECIPIENT_ID, self.id_number.as_str().as_bytes()),
            ],
        )
    }

    fn from_tlv(t: &Tlv) -> Result<Self> {
        let mut c = Children::of("authorized recipient", t)?;
        let name = PersonName::from_bytes(
            "authorized_recipient.name",
            c.required(tag::RECIPIENT_NAME)?,
        )?;
        let id_number = IdNumber::from_bytes(c.required(tag::RECIPIENT_ID)?)?;
        c.finish()?;
        Ok(AuthorizedRecipient { name, id_number })
    }
}

fn amount_from_bytes(bytes: &[u8]) -> Result<u64> {
    let v = tlv::decode_uint("monthly_amount_vnd", bytes, 5)?;
    check_amount(v)
}

fn check_amount(v: u64) -> Result<u64> {
    if v == 0 || v > MAX_AMOUNT_VND {
        return Err(FormatError::invalid(
            "monthly_amount_vnd",
            Problem::AmountOutOfRange {
                amount: v,
                max: MAX_AMOUNT_VND,
            },
        ));
    }
    Ok(v)
}

fn check_period(from: Option<Date>, until: Option<Date>) -> Result<()> {
    if let (Some(f), Some(u)) = (from, until) {
        if u < f {
            return Err(FormatError::invalid(
                "valid_until",
                Problem::EndsBeforeStart {
                    end: u.to_string(),
                    start: f.to_string(),
                    start_field: "valid_from",
                },
            ));
        }
    }
    Ok(())
}

/// One entitlement as stored on the card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entitlement {
    program: ProgramCode,
    category: CategoryCode,
    monthly_amount_vnd: Option<u64>,
    valid_from: Date,
    valid_until: Option<Date>,
    recipient: Option<AuthorizedRecipient>,
}

impl Entitlement {
    pub fn new(
        program: ProgramCode,
        category: CategoryCode,
        monthly_amount_vnd: Option<u64>,
        valid_from: Date,
        valid_until: Option<Date>,
        recipient: Option<AuthorizedRecipient>,
    ) -> Result<Self> {
        if let Some(a) = monthly_amount_vnd {
            check_amount(a)?;
        }
        check_period(Some(valid_from), valid_until)?;
        Ok(Entitlement {
            program,
            category,
            monthly_amount_vnd,
            valid_from,
            valid_until,
            recipient,
        })
    }

    pub fn program(&self) -> &ProgramCode {
        &self.program
    }
    pub fn category(&self) -> &CategoryCode {
        &self.category
    }
    pub fn monthly_amount_vnd(&self) -> Option<u64> {
        self.monthly_amount_vnd
    }
    pub fn valid_from(&self) -> Date {
        self.valid_from
    }
    pub fn valid_until(&self) -> Option<Date> {
        self.valid_until
    }
    pub fn recipient(&self) -> Option<&AuthorizedRecipient> {
        self.recipient.as_ref()
    }

    /// Whether the entitlement is in force on `day`.
    pub fn is_valid_on(&self, day: Date) -> bool {
        self.valid_from <= day && self.valid_until.is_none_or(|u| day <= u)
    }

    pub fn to_tlv(&self) -> Tlv {
        let mut children = vec![
            tlv::primitive(tag::PROGRAM, self.program.as_str().as_bytes()),
            tlv::primitive(tag::CATEGORY, self.category.as_str().as_bytes()),
        ];
        if let Some(a) = self.monthly_amount_vnd {
            children.push(tlv::primitive(tag::AMOUNT, tlv::encode_uint(a)));
        }
        children.push(tlv::primitive(tag::VALID_FROM, self.valid_from.to_bytes()));
        if let Some(u) = self.valid_until {
            children.push(tlv::primitive(tag::VALID_UNTIL, u.to_bytes()));
        }
        if let Some(r) = &self.recipient {
            children.push(r.to_tlv());
        }
        tlv::constructed(tag::ENTITLEMENT, children)
    }

    pub fn from_tlv(t: &Tlv) -> Result<Self> {
        let mut c = Children::of("entitlement", t)?;
        let program = ProgramCode::from_bytes(c.required(tag::PROGRAM)?)?;
        let category = CategoryCode::from_bytes(c.required(tag::CATEGORY)?)?;
        let amount = c
            .optional(tag::AMOUNT)?
            .map(amount_from_bytes)
            .transpose()?;
        let from = Date::from_bytes("valid_from", c.required(tag::VALID_FROM)?)?;
        let until = c
            .optional(tag::VALID_UNTIL)?
            .map(|b| Date::from_bytes("valid_until", b))
            .transpose()?;
        let recipient = c
            .optional_tlv(tag::RECIPIENT)
            .map(AuthorizedRecipient::from_tlv)
            .transpose()?;
        c.finish()?;
        Entitlement::new(program, category, amount, from, until, recipient)
    }
}

/// The part of an entitlement printed in the QR code (SPEC.md §6.2): what a payment point needs
/// to pay, without category and start date, to keep the QR small.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QrEntitlement {
    pub program: ProgramCode,
    pub monthly_amount_vnd: Option<u64>,
    pub valid_until: Option<Date>,
    pub recipient: Option<AuthorizedRecipient>,
}

impl From<&Entitlement> for QrEntitlement {
    fn from(e: &Entitlement) -> Self {
        QrEntitlement {
            program: e.program.clone(),
            monthly_amount_vnd: e.monthly_amount_vnd,
            valid_until: e.valid_until,
            recipient: e.recipient.clone(),
        }
    }
}

impl QrEntitlement {
    pub fn to_tlv(&self) -> Tlv {
        let mut children = vec![tlv::primitive(
            tag::PROGRAM,
            self.program.as_str().as_bytes(),
        )];
        if let Some(a) = self.monthly_amount_vnd {
            children.push(tlv::primitive(tag::AMOUNT, tlv::encode_uint(a)));
        }
        if let Some(u) = self.valid_until {
            children.push(tlv::primitive(tag::VALID_UNTIL, u.to_bytes()));
        }
        if let Some(r) = &self.recipient {
            children.push(r.to_tlv());
        }
        tlv::constructed(tag::ENTITLEMENT, children)
    }

    pub fn from_tlv(t: &Tlv) -> Result<Self> {
        let mut c = Children::of("QR entitlement", t)?;
        let program = ProgramCode::from_bytes(c.required(tag::PROGRAM)?)?;
        let monthly_amount_vnd = c
            .optional(tag::AMOUNT)?
            .map(amount_from_bytes)
            .transpose()?;
        let valid_until = c
            .optional(tag::VALID_UNTIL)?
            .map(|b| Date::from_bytes("valid_until", b))
            .transpose()?;
        let recipient = c
            .optional_tlv(tag::RECIPIENT)
            .map(AuthorizedRecipient::from_tlv)
            .transpose()?;
        c.finish()?;
        Ok(QrEntitlement {
            program,
            monthly_amount_vnd,
            valid_until,
            recipient,
        })
    }

    /// Whether the entitlement has not ended on `day`.
    pub fn is_valid_on(&self, day: Date) -> bool {
        self.valid_until.is_none_or(|u| day <= u)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Entitlement {
        Entitlement::new(
            ProgramCode::parse("tgxh").unwrap(),
            CategoryCode::parse("NCT80").unwrap(),
            Some(500_000),
            Date::parse("f", "2025-01-01").unwrap(),
            Some(Date::parse("u", "2030-12-31").unwrap()),
            Some(AuthorizedRecipient {
                name: PersonName::parse("n", "Lê Văn Tám").unwrap(),
                id_number: IdNumber::parse("051080000111").unwrap(),
            }),
        )
        .unwrap()
    }

    #[test]
    fn entitlement_round_trips_through_tlv() {
        let e = sample();
        let bytes = tlv::encode(&e.to_tlv());
        let back = Entitlement::from_tlv(&tlv::decode("e", &bytes, 0xA0, 1000).unwrap()).unwrap();
        assert_eq!(back, e);
        let q = QrEntitlement::from(&e);
        let qb = tlv::encode(&q.to_tlv());
        assert_eq!(
            QrEntitlement::from_tlv(&tlv::decode("q", &qb, 0xA0, 1000).unwrap()).unwrap(),
            q
        );
    }

    #[test]
    fn entitlement_rejects_zero_amount_and_reversed_period() {
        let p = ProgramCode::parse("HN").unwrap();
        let c = CategoryCode::parse("1").unwrap();
        let d1 = Date::parse("f", "2025-01-01").unwrap();
        let d0 = Date::parse("f", "2024-01-01").unwrap();
        assert_eq!(
            Entitlement::new(p.clone(), c.clone(), Some(0), d1, None, None)
                .unwrap_err()
                .field_name(),
            Some("monthly_amount_vnd")
        );
        assert_eq!(
            Entitlement::new(p, c, None, d1, Some(d0), None)
                .unwrap_err()
                .field_name(),
            Some("valid_until")
        );
    }

    #[test]
    fn codes_are_checked() {
        assert!(ProgramCode::parse("T").is_err());
        assert!(ProgramCode::parse("TGXH;").is_err());
        assert_eq!(ProgramCode::parse("bhyt").unwrap().as_str(), "BHYT");
        assert!(CategoryCode::parse("").is_err());
        assert!(IdNumber::parse("12345678").is_err());
        assert!(IdNumber::parse("123456789").is_ok());
    }
}
