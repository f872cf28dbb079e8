//! asxh-core: the data formats every part of the electronic social security card system shares.
//!
//! - holder data: [`Ssn`], [`PersonName`], [`Sex`], [`AreaCode`], [`PartialDate`] and [`Date`];
//! - entitlements ([`Entitlement`]) and the signed card [`Credential`] and [`QrCredential`],
//!   both in the BER-TLV envelope `7F21 { 7F4E body, 5F37 signature }` of SPEC.md §5;
//! - the one TLV codec ([`tlv`]) and the one signature helper ([`signature`]);
//! - the host side of the card protocol ([`apdu`], [`card`]): APDU encoding, status words, and a
//!   typed [`card::CardClient`] over a [`card::Transport`] (in-process, or PC/SC with the default
//!   `pcsc` feature).
//!
//! Every value type here can only be constructed valid: parsing is where validation happens.
#![forbid(unsafe_code)]

pub mod apdu;
pub mod area;
pub mod card;
pub mod credential;
pub mod date;
pub mod entitlement;
pub mod envelope;
pub mod error;
pub mod golomb;
pub mod holder;
pub mod lists;
pub mod provinces;
pub mod qr;
pub mod receipt;
pub mod serial;
pub mod sex;
pub mod signature;
pub mod ssn;
pub mod tlv;
pub mod view;

pub use area::AreaCode;
pub use credential::{Credential, CredentialBody, SignedCredential};
pub use date::{Date, PartialDate};
pub use entitlement::QrEntitlement;
pub use entitlement::{AuthorizedRecipient, CategoryCode, Entitlement, IdNumber, ProgramCode};
pub use error::{DateForm, FieldError, FormatError, Problem};
pub use holder::{Holder, PersonName};
pub use qr::{QrBody, QrCredential, SignedQr};
pub use serial::CardSerial;
pub use sex::Sex;
pub use signature::{IssuerKeyId, PublicKey, SigningKey};
pub use ssn::Ssn;
