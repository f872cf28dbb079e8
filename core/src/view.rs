//! JSON views of the formats (serde): what test vectors, the server API and the verifier's
//! `--json` output show. Views are plain data; turning one back into a checked value goes
//! through the same parsers as any other input.

use serde::{Deserialize, Serialize};

use crate::credential::CredentialBody;
use crate::date::Date;
use crate::entitlement::{
    AuthorizedRecipient, CategoryCode, Entitlement, IdNumber, ProgramCode, QrEntitlement,
};
use crate::error::Result;
use crate::holder::PersonName;
use crate::lists::roll::{ItemKind, LineStatus, RecipientRole};
use crate::lists::{
    IssuerEntry, Month, RevocationList, Roll, RollEntry, RollItem, RollLine, RollRecipient,
    TrustList,
};
use crate::qr::QrBody;
use crate::receipt::{Collector, ReceiptProfile, SignedReceipt};
use crate::signature;

/// An authorised recipient as JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecipientView {
    pub name: String,
    pub id_number: String,
}

/// An entitlement as JSON. `category` and `valid_from` are absent in QR credentials.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntitlementView {
    pub program: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub monthly_amount_vnd: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_from: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorized_recipient: Option<RecipientView>,
}

impl From<&AuthorizedRecipient> for RecipientView {
    fn from(r: &AuthorizedRecipient) -> Self {
        RecipientView {
            name: r.name.to_string(),
            id_number: r.id_number.as_str().into(),
        }
    }
}

impl From<&Entitlement> for EntitlementView {
    fn from(e: &Entitlement) -> Self {
        EntitlementView {
            program: e.program().to_string(),
            category: Some(e.category().as_str().into()),
            monthly_amount_vnd: e.monthly_amount_vnd(),
            valid_from: Some(e.valid_from().to_string()),
            valid_until: e.valid_until().map(|d| d.to_string()),
            authorized_recipient: e.recipient().map(RecipientView::from),
        }
    }
}

impl From<&QrEntitlement> for EntitlementView {
    fn from(e: &QrEntitlement) -> Self {
        EntitlementView {
            program: e.program.to_string(),
            category: None,
            monthly_amount_vnd: e.monthly_amount_vnd,
            valid_from: None,
            valid_until: e.valid_until.map(|d| d.to_string()),
            authorized_recipient: e.recipient.as_ref().map(RecipientView::from),
        }
    }
}

impl EntitlementView {
    /// Parses the view into a checked card entitlement (`category` and `valid_from` required).
    pub fn to_entitlement(&self) -> Result<Entitlement> {
        let program = ProgramCode::parse(&self.program)?;
        let category = CategoryCode::parse(self.category.as_deref().unwrap_or(""))?;
        let from = Date::parse("valid_from", self.valid_from.as_deref().unwrap_or(""))?;
        let until = self
            .valid_until
            .as_deref()
            .map(|u| Date::parse("valid_until", u))
            .transpose()?;
        let recipient = self
            .authorized_recipient
            .as_ref()
            .map(|r| -> Result<AuthorizedRecipient> {
                Ok(AuthorizedRecipient {
                    name: PersonName::parse("authorized_recipient.name", &r.name)?,
                    id_number: IdNumber::parse(&r.id_number)?,
                })
            })
            .transpose()?;
        Entitlement::new(
            program,
            category,
            self.monthly_amount_vnd,
            from,
            until,
            recipient,
        )
    }
}

/// A decoded credential body (card or QR) as JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CredentialView {
    /// `card` or `qr`.
    pub profile: String,
    pub serial: String,
    pub issuer_key_id_hex: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issued: Option<String>,
    pub expires: String,
    pub ssn: String,
    pub full_name: String,
    pub date_of_birth: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sex: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub area_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub card_public_key_hex: Option<String>,
    pub entitlements: Vec<EntitlementView>,
}

impl From<&CredentialBody> for CredentialView {
    fn from(b: &CredentialBody) -> Self {
        CredentialView {
            profile: "card".into(),
            serial: b.serial.to_string(),
            issuer_key_id_hex: b.issuer_key_id.to_hex(),
            issued: Some(b.issued.to_string()),
            expires: b.expires.to_string(),
            ssn: b.holder.ssn().to_string(),
            full_name: b.holder.name().to_string(),
            date_of_birth: b.holder.date_of_birth().to_string(),
            sex: Some(b.holder.sex().code().into()),
            area_code: Some(b.holder.area().to_string()),
            card_public_key_hex: Some(hex::encode(signature::public_key_bytes(&b.card_public_key))),
            entitlements: b.entitlements().iter().map(EntitlementView::from).collect(),
        }
    }
}

impl From<&QrBody> for CredentialView {
    fn from(b: &QrBody) -> Self {
        CredentialView {
            profile: "qr".into(),
            serial: b.serial.to_string(),
            issuer_key_id_hex: b.issuer_key_id.to_hex(),
            issued: None,
            expires: b.expires.to_string(),
            ssn: b.ssn.to_string(),
            full_name: b.name.to_string(),
            date_of_birth: b.date_of_birth.to_string(),
            sex: None,
            area_code: None,
            card_public_key_hex: None,
            entitlements: b.entitlements.iter().map(EntitlementView::from).collect(),
        }
    }
}

/// One issuer key of a trust list as JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuerView {
    pub key_id_hex: String,
    pub public_key_hex: String,
    pub office: String,
    pub office_name: String,
    pub area: String,
    pub valid_from: String,
    pub valid_until: String,
    pub status: String,
}

/// A trust list as JSON (SPEC.md §14).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrustListView {
    pub version: u64,
    pub issued_at: u64,
    pub next_update: u64,
    pub revocation_list_key_hex: String,
    /// The key that signs the payment rolls (SPEC.md §17).
    pub roll_key_hex: String,
    pub issuers: Vec<IssuerView>,
}

impl From<&IssuerEntry> for IssuerView {
    fn from(e: &IssuerEntry) -> Self {
        IssuerView {
            key_id_hex: e.key_id.to_hex(),
            public_key_hex: hex::encode(signature::public_key_bytes(&e.public_key)),
            office: e.office.to_string(),
            office_name: e.office_name.clone(),
            area: e.area.to_string(),
            valid_from: e.valid_from.to_string(),
            valid_until: e.valid_until.to_string(),
            status: e.status.as_str().into(),
        }
    }
}

impl From<&TrustList> for TrustListView {
    fn from(t: &TrustList) -> Self {
        TrustListView {
            version: t.version,
            issued_at: t.issued_at,
            next_update: t.next_update,
            revocation_list_key_hex: hex::encode(signature::public_key_bytes(&t.list_key)),
            roll_key_hex: hex::encode(signature::public_key_bytes(&t.roll_key)),
            issuers: t.issuers.iter().map(IssuerView::from).collect(),
        }
    }
}

/// One revoked card as JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevocationView {
    pub serial: String,
    pub reason: String,
}

/// A revocation list or delta as JSON (SPEC.md §15).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevocationListView {
    pub version: u64,
    pub issued_at: u64,
    pub next_update: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_version: Option<u64>,
    pub entries: Vec<RevocationView>,
}

impl From<&RevocationList> for RevocationListView {
    fn from(l: &RevocationList) -> Self {
        RevocationListView {
            version: l.version,
            issued_at: l.issued_at,
            next_update: l.next_update,
            base_version: l.base_version,
            entries: l
                .entries()
                .iter()
                .map(|r| RevocationView {
                    serial: r.serial.to_string(),
                    reason: r.reason.as_str().into(),
                })
                .collect(),
        }
    }
}

/// A recipient of a roll line as JSON (SPEC.md §17.2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RollRecipientView {
    /// `guardian` or `authorised`.
    pub role: String,
    pub name: String,
    pub id_number: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<String>,
}

/// One line of a roll entry as JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RollLineView {
    pub program: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// `monthly`, `arrears` or `one_off`.
    pub kind: String,
    pub amount_vnd: u64,
    pub first_month: String,
    pub last_month: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipient: Option<RollRecipientView>,
    /// `due`, `paid`, `suspended`, `stopped` or `paid_by_account`.
    pub status: String,
}

/// One beneficiary's entry of a roll as JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RollEntryView {
    pub ssn: String,
    pub lines: Vec<RollLineView>,
}

/// A payment roll or delta as JSON (SPEC.md §17).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RollView {
    pub version: u64,
    pub issued_at: u64,
    pub next_update: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_version: Option<u64>,
    pub area: String,
    pub month: String,
    pub entries: Vec<RollEntryView>,
}

impl From<&RollLine> for RollLineView {
    fn from(l: &RollLine) -> Self {
        RollLineView {
            program: l.item.program.to_string(),
            category: l.item.category.as_ref().map(|c| c.as_str().to_owned()),
            kind: l.item.kind.as_str().into(),
            amount_vnd: l.item.amount_vnd,
            first_month: l.item.first.to_string(),
            last_month: l.item.last.to_string(),
            recipient: l.recipient.as_ref().map(|r| RollRecipientView {
                role: r.role.as_str().into(),
                name: r.name.to_string(),
                id_number: r.id_number.as_str().into(),
                valid_until: r.valid_until.map(|d| d.to_string()),
            }),
            status: l.status.as_str().into(),
        }
    }
}

impl TryFrom<&RollLineView> for RollLine {
    type Error = crate::FormatError;

    /// The line the view writes out, through the parsers of each field.
    fn try_from(v: &RollLineView) -> Result<Self> {
        let item = RollItem::new(
            ProgramCode::parse(&v.program)?,
            v.category.as_deref().map(CategoryCode::parse).transpose()?,
            ItemKind::parse(&v.kind)?,
            v.amount_vnd,
            Month::parse("first_month", &v.first_month)?,
            Month::parse("last_month", &v.last_month)?,
        )?;
        let recipient = v
            .recipient
            .as_ref()
            .map(|r| {
                Ok::<_, crate::FormatError>(RollRecipient {
                    role: RecipientRole::parse(&r.role)?,
                    name: PersonName::parse("recipient.name", &r.name)?,
                    id_number: IdNumber::parse(&r.id_number)?,
                    valid_until: r
                        .valid_until
                        .as_deref()
                        .map(|d| Date::parse("recipient.valid_until", d))
                        .transpose()?,
                })
            })
            .transpose()?;
        Ok(RollLine {
            item,
            recipient,
            status: LineStatus::parse(&v.status)?,
        })
    }
}

impl TryFrom<&RollEntryView> for RollEntry {
    type Error = crate::FormatError;

    fn try_from(v: &RollEntryView) -> Result<Self> {
        Ok(RollEntry {
            ssn: crate::Ssn::parse(&v.ssn)?,
            lines: v
                .lines
                .iter()
                .map(RollLine::try_from)
                .collect::<Result<_>>()?,
        })
    }
}

impl From<&RollEntry> for RollEntryView {
    fn from(e: &RollEntry) -> Self {
        RollEntryView {
            ssn: e.ssn.to_string(),
            lines: e.lines.iter().map(RollLineView::from).collect(),
        }
    }
}

impl From<&Roll> for RollView {
    fn from(r: &Roll) -> Self {
        RollView {
            version: r.header.version,
            issued_at: r.header.issued_at,
            next_update: r.header.next_update,
            base_version: r.header.base_version,
            area: r.header.area.to_string(),
            month: r.header.month.to_string(),
            entries: r.entries().iter().map(RollEntryView::from).collect(),
        }
    }
}

/// A paid line of a receipt as JSON (SPEC.md §18.1): a roll item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiptLineView {
    pub program: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    pub kind: String,
    pub amount_vnd: u64,
    pub first_month: String,
    pub last_month: String,
}

/// Who collected, as JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CollectorView {
    /// `holder`, `guardian` or `authorised`.
    pub role: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_hash_hex: Option<String>,
}

/// A payment receipt as JSON (SPEC.md §18.3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiptView {
    /// `card` (profile 0B) or `point` (0C).
    pub profile: String,
    pub id_hex: String,
    pub point: String,
    pub paid_at: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub serial: Option<String>,
    pub ssn: String,
    pub area: String,
    pub month: String,
    pub roll_version: u64,
    pub collector: CollectorView,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fallback: Option<String>,
    pub flags: u8,
    pub total_vnd: u64,
    pub lines: Vec<ReceiptLineView>,
}

impl From<&RollItem> for ReceiptLineView {
    fn from(item: &RollItem) -> Self {
        ReceiptLineView {
            program: item.program.to_string(),
            category: item.category.as_ref().map(|c| c.as_str().to_owned()),
            kind: item.kind.as_str().into(),
            amount_vnd: item.amount_vnd,
            first_month: item.first.to_string(),
            last_month: item.last.to_string(),
        }
    }
}

impl From<&SignedReceipt> for ReceiptView {
    fn from(r: &SignedReceipt) -> Self {
        let b = r.body();
        ReceiptView {
            profile: match b.profile() {
                ReceiptProfile::Card => "card",
                ReceiptProfile::Point => "point",
            }
            .into(),
            id_hex: b.id.to_hex(),
            point: b.point.to_string(),
            paid_at: b.paid_at,
            serial: b.serial.map(|s| s.to_string()),
            ssn: b.ssn.to_string(),
            area: b.area.to_string(),
            month: b.month.to_string(),
            roll_version: b.roll_version,
            collector: match b.collector {
                Collector::Holder => CollectorView {
                    role: "holder".into(),
                    id_hash_hex: None,
                },
                Collector::Recipient { role, id_hash } => CollectorView {
                    role: role.as_str().into(),
                    id_hash_hex: Some(hex::encode(id_hash)),
                },
            },
            fallback: b.fallback.map(|f| f.as_str().into()),
            flags: r.flags().0,
            total_vnd: b.total_vnd(),
            lines: b.lines.iter().map(ReceiptLineView::from).collect(),
        }
    }
}
