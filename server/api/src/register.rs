//! The bodies of the register of entitlement decisions (`/v1/beneficiaries`, `/v1/households`,
//! `/v1/entitlements`, `/v1/base-levels`): beneficiaries and households, decisions and their
//! changes, recipients, base levels.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The body of `PUT /v1/beneficiaries/{ssn}`: register a beneficiary, or change their name or
/// residence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BeneficiaryRequest {
    #[schema(example = "Trần Thị Lan")]
    pub full_name: String,
    /// The commune of residence, whose payment roll pays them.
    #[schema(example = "51.22903")]
    pub area: String,
}

/// The answer to `PUT /v1/beneficiaries/{ssn}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct BeneficiaryPut {
    pub ssn: String,
    /// Whether the beneficiary was new.
    pub created: bool,
}

/// The body of `POST /v1/households`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HouseholdRequest {
    /// The household code (mã hộ): 4 to 32 of `A-Z 0-9 . - /`.
    #[schema(example = "2624901000123")]
    pub code: String,
    #[schema(example = "26.24901")]
    pub area: String,
}

/// The body of `POST /v1/households/{code}/members`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MemberRequest {
    pub ssn: String,
}

/// A household and its members (`GET /v1/households/{code}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct HouseholdRecord {
    pub code: String,
    pub area: String,
    /// The members' SSNs, in order.
    pub members: Vec<String>,
}

/// A guardian (`guardian`, người giám hộ) or an authorised person (`authorised`, người được ủy
/// quyền) who may collect an entitlement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecipientJson {
    /// `guardian` or `authorised`.
    pub role: String,
    pub name: String,
    /// 12 digits.
    pub id_number: String,
    /// The guardianship decision or the letter of authorisation, by its number.
    pub document: String,
    /// `YYYY-MM-DD`.
    pub valid_from: String,
    /// `YYYY-MM-DD`; absent: open-ended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<String>,
}

/// The body of `POST /v1/entitlements`: a decision for exactly one of a beneficiary (`ssn`) or
/// a household (`household`), with exactly one of `coefficient` or `fixed_vnd`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ssn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub household: Option<String>,
    #[schema(example = "TGXH")]
    pub program: String,
    /// The category (diện đối tượng).
    #[schema(example = "NCT80")]
    pub category: String,
    /// Hundredths of the program's base level (1.5 is 150).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coefficient: Option<u32>,
    /// A fixed monthly amount in VND, where no coefficient rule exists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fixed_vnd: Option<u64>,
    /// The decision number (số quyết định).
    #[schema(example = "125/QĐ-UBND")]
    pub decision_no: String,
    /// `YYYY-MM-DD`.
    pub decision_date: String,
    /// The first month paid, `YYYY-MM`.
    pub paid_from: String,
    /// The last month paid, `YYYY-MM`; absent: until a change ends it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paid_until: Option<String>,
    /// The last month already paid before this register (by the system it replaces),
    /// `YYYY-MM`: no arrears for it or the months before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settled_until: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipient: Option<RecipientJson>,
}

/// The answer to `POST /v1/entitlements`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct DecisionRecorded {
    pub id: i64,
}

/// The body of `POST /v1/entitlements/{id}/suspend`, `.../resume` and `.../stop`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusRequest {
    /// The day it takes effect, `YYYY-MM-DD`.
    pub on: String,
    /// Suspend: `not_collected`, `under_review` or `other`; stop: `deceased`, `moved_away` or
    /// `not_eligible`; resume: none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// A note kept in the history.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The body of `PUT /v1/entitlements/{id}/recipient`: the new recipient, or none (the holder
/// collects).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecipientRequest {
    #[serde(default)]
    pub recipient: Option<RecipientJson>,
}

/// One change of an entitlement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct EntitlementEvent {
    /// Unix time, seconds.
    pub at: i64,
    pub actor: String,
    /// `recorded`, `suspended`, `resumed`, `stopped` or `recipient`.
    pub change: String,
    /// What the change said, a JSON object as text.
    pub detail: String,
}

/// An entitlement with its decision, status, recipient and history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct EntitlementRecord {
    pub id: i64,
    /// The household whose decision it is, for a household's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub household: Option<String>,
    pub program: String,
    pub category: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coefficient: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fixed_vnd: Option<u64>,
    pub decision_no: String,
    pub decision_date: String,
    pub paid_from: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paid_until: Option<String>,
    /// The first month a roll pays it; the months before from `paid_from` (after
    /// `settled_until`) are arrears.
    pub first_paid: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settled_until: Option<String>,
    /// `active`, `suspended` or `stopped`.
    pub status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_on: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipient: Option<RecipientJson>,
    pub history: Vec<EntitlementEvent>,
}

/// A beneficiary with every entitlement (`GET /v1/beneficiaries/{ssn}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct BeneficiaryRecord {
    pub ssn: String,
    pub full_name: String,
    pub area: String,
    pub entitlements: Vec<EntitlementRecord>,
}

/// The body of `POST /v1/base-levels`: a program's base level from a month, national (no
/// `province`, command line only) or a province's own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BaseLevelRequest {
    #[schema(example = "TGXH")]
    pub program: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub province: Option<String>,
    /// `YYYY-MM`.
    #[schema(example = "2024-07")]
    pub from: String,
    #[schema(example = 500000)]
    pub amount_vnd: u64,
    #[schema(example = "76/2024/NĐ-CP")]
    pub decree: String,
}

/// The answer to `POST /v1/base-levels`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct BaseLevelSet {
    /// The amount it replaced for the same program, province and month, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replaced_vnd: Option<u64>,
}

/// One base level.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct BaseLevelJson {
    pub program: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub province: Option<String>,
    pub from: String,
    pub amount_vnd: u64,
    pub decree: String,
}

/// Every base level (`GET /v1/base-levels`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct BaseLevelList {
    pub levels: Vec<BaseLevelJson>,
}
