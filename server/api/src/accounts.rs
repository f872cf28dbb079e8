//! The bodies of payment into an account (issue #19 items 4 and 5): an entitlement's payment
//! method, an area's transfer list (danh sách chuyển khoản), the answer to the bank's result
//! file, and the beneficiaries who collected nothing for three months.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The account an entitlement is paid into.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AccountJson {
    /// `bank` or `ewallet`.
    #[schema(example = "bank")]
    pub kind: String,
    /// The bank's or e-wallet's name.
    #[schema(example = "Agribank")]
    pub provider: String,
    /// 6 to 20 digits.
    #[schema(example = "4100205123456")]
    pub account_no: String,
    pub holder_name: String,
    /// Whose account: `holder` (the beneficiary's own) or `recipient` (their guardian's or
    /// authorised person's).
    #[schema(example = "holder")]
    pub owner: String,
}

/// The body of `PUT /v1/entitlements/{id}/account`: the account, or none (at the counter).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AccountRequest {
    #[serde(default)]
    pub account: Option<AccountJson>,
}

/// The bank's result of one transfer, once recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct TransferResultJson {
    /// `ok` or `failed`.
    pub result: String,
    pub bank_txn: String,
    pub reason: String,
}

/// One line of the transfer list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct TransferLineJson {
    /// The line's stable reference (24 characters), which the bank's result file echoes.
    pub reference: String,
    /// The roll's area.
    pub area: String,
    pub ssn: String,
    pub full_name: String,
    pub program: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// `monthly`, `arrears` or `one_off`.
    pub kind: String,
    /// `YYYY-MM`.
    pub first: String,
    pub last: String,
    pub amount_vnd: u64,
    pub account: AccountJson,
    /// Absent while the bank's result is awaited.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<TransferResultJson>,
}

/// The transfers to one bank or e-wallet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ProviderTotalJson {
    pub provider: String,
    pub lines: u64,
    pub amount_vnd: u64,
}

/// `GET /v1/transfers/{area}/{YYYY-MM}`: the published rolls' lines paid into an account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct TransferList {
    pub area: String,
    pub month: String,
    pub lines: Vec<TransferLineJson>,
    pub by_provider: Vec<ProviderTotalJson>,
    pub total_vnd: u64,
}

/// The answer to `POST /v1/transfers/results`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct TransferResultsRecorded {
    /// Results recorded now.
    pub recorded: u64,
    /// Results the same as ones recorded before (the file uploaded again).
    pub repeated: u64,
}

/// A beneficiary who collected nothing in three published months.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct UncollectedJson {
    pub ssn: String,
    pub full_name: String,
    pub area: String,
    /// `YYYY-MM`, oldest first.
    pub months: Vec<String>,
    pub due_vnd: u64,
    /// Their active entitlements, which the suspension suspends.
    pub entitlements: Vec<i64>,
}

/// `GET /v1/uncollected/{area}/{YYYY-MM}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct UncollectedList {
    pub area: String,
    pub month: String,
    pub beneficiaries: Vec<UncollectedJson>,
}

/// The answer to `POST /v1/uncollected/{area}/{YYYY-MM}/suspend`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Suspended {
    /// Entitlements suspended.
    pub suspended: u64,
}
