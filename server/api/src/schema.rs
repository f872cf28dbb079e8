//! OpenAPI schemas of the `asxh-core` views the API carries (an entitlement, the trust list and
//! its issuers) and of the signed lists' bytes. They only describe: the bodies use the core views themselves, and the tests
//! below fail when a view gains, loses or renames a field these do not.

#![allow(dead_code)]

use utoipa::ToSchema;

/// Someone who may collect for the holder.
#[derive(ToSchema)]
#[schema(as = Recipient)]
pub struct Recipient {
    pub name: String,
    /// CCCD or other identity document number.
    pub id_number: String,
}

/// One entitlement the card carries.
#[derive(ToSchema)]
#[schema(as = Entitlement)]
pub struct Entitlement {
    /// `TGXH`, `NCC`, `HN`, `HCN`, `BHYT`, `BHXH`, `BHTN`, … (an open list).
    #[schema(example = "TGXH")]
    pub program: String,
    /// The category (diện) within the program; required on a card.
    #[schema(example = "BTXH-80")]
    pub category: Option<String>,
    pub monthly_amount_vnd: Option<u64>,
    /// `YYYY-MM-DD`; required on a card.
    pub valid_from: Option<String>,
    pub valid_until: Option<String>,
    pub authorized_recipient: Option<Recipient>,
}

/// One issuer key of the trust list.
#[derive(ToSchema)]
#[schema(as = Issuer)]
pub struct Issuer {
    pub key_id_hex: String,
    pub public_key_hex: String,
    pub office: String,
    pub office_name: String,
    pub area: String,
    pub valid_from: String,
    pub valid_until: String,
    /// `active`, `retired` or `revoked`.
    pub status: String,
}

/// The signed content of the trust list (SPEC.md §14).
#[derive(ToSchema)]
#[schema(as = TrustList)]
pub struct TrustList {
    pub version: u64,
    /// Unix time, seconds.
    pub issued_at: u64,
    pub next_update: u64,
    pub revocation_list_key_hex: String,
    /// The key that signs the payment rolls (SPEC.md §17).
    pub roll_key_hex: String,
    pub issuers: Vec<Issuer>,
}

/// A signed list in its binary encoding: the trust list (SPEC.md §14) or a revocation list
/// (§15).
#[derive(ToSchema)]
#[schema(as = SignedList, value_type = String, format = Binary)]
pub struct SignedList(Vec<u8>);

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use asxh_core::view::{EntitlementView, IssuerView, RecipientView, TrustListView};
    use utoipa::openapi::schema::Schema;
    use utoipa::openapi::RefOr;
    use utoipa::PartialSchema;

    use super::*;

    fn properties<T: PartialSchema>() -> BTreeSet<String> {
        match T::schema() {
            RefOr::T(Schema::Object(o)) => o.properties.keys().cloned().collect(),
            other => panic!(
                "not an object schema: {}",
                serde_json::to_string(&other).unwrap()
            ),
        }
    }

    fn keys(value: impl serde::Serialize) -> BTreeSet<String> {
        match serde_json::to_value(value).unwrap() {
            serde_json::Value::Object(m) => m.keys().cloned().collect(),
            other => panic!("not an object: {other}"),
        }
    }

    fn issuer() -> IssuerView {
        IssuerView {
            key_id_hex: "k".into(),
            public_key_hex: "p".into(),
            office: "o".into(),
            office_name: "n".into(),
            area: "51".into(),
            valid_from: "2026-01-01".into(),
            valid_until: "2046-01-01".into(),
            status: "active".into(),
        }
    }

    #[test]
    fn each_schema_names_every_field_of_its_view() {
        let recipient = RecipientView {
            name: "n".into(),
            id_number: "i".into(),
        };
        let entitlement = EntitlementView {
            program: "TGXH".into(),
            category: Some("c".into()),
            monthly_amount_vnd: Some(1),
            valid_from: Some("f".into()),
            valid_until: Some("u".into()),
            authorized_recipient: Some(recipient.clone()),
        };
        let list = TrustListView {
            version: 1,
            issued_at: 2,
            next_update: 3,
            revocation_list_key_hex: "r".into(),
            roll_key_hex: "k".into(),
            issuers: vec![issuer()],
        };
        assert_eq!(properties::<Recipient>(), keys(&recipient));
        assert_eq!(properties::<Entitlement>(), keys(&entitlement));
        assert_eq!(properties::<Issuer>(), keys(issuer()));
        assert_eq!(properties::<TrustList>(), keys(&list));
    }
}
