//! The bodies of the payment routes (issue #19): a payment point registers its key, and uploads
//! the receipts it signed or had the card sign, up to [`MAX_RECEIPTS`] at a time; the answer
//! says, for each receipt in the order sent, what became of it.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Most receipts one `POST /v1/payments` carries.
pub const MAX_RECEIPTS: usize = 100;

/// The body of `PUT /v1/payment-points/{code}/key`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PointKeyRequest {
    /// The point's P-256 public key, SEC1 uncompressed (130 hex characters, `04…`).
    pub public_key_hex: String,
}

/// A payment point's registered key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PointKey {
    /// The point's code (upper-case).
    #[schema(example = "POINT-1")]
    pub code: String,
    /// The point's area: its account's.
    #[schema(example = "51.429.22903")]
    pub area: String,
    /// The key's id (16 hex characters).
    pub key_id: String,
}

/// The body of `POST /v1/payments`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PaymentUpload {
    /// 1 to 100 receipts (SPEC.md §18), each its bytes in lower-case hex.
    pub receipts: Vec<String>,
}

/// What became of one receipt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PaymentOutcome {
    /// Verified and kept; its lines are paid.
    Recorded,
    /// The same receipt (id and bytes) was kept before.
    AlreadyRecorded,
    /// Verified and kept, but a line was paid before by another receipt (`paid_by`).
    Flagged,
    /// Not kept (`problem` says why).
    Refused,
}

/// Why a receipt was refused: `code` one of `malformed`, `bad_signature`, `unknown_card`,
/// `unknown_point`, `point_mismatch`, `outside_area`, `not_in_roll`, `id_reused`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PaymentProblem {
    #[schema(example = "not_in_roll")]
    pub code: String,
    pub message: String,
}

/// A receipt that paid a line before.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PaidBy {
    /// The receipt's id (24 hex characters).
    pub id: String,
    /// The payment point that paid.
    pub point: String,
    /// Unix seconds.
    pub paid_at: u64,
}

/// One receipt's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PaymentResult {
    /// The receipt's id (24 hex characters); empty when the receipt did not parse.
    pub id: String,
    pub outcome: PaymentOutcome,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem: Option<PaymentProblem>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub paid_by: Vec<PaidBy>,
}

/// The answer to `POST /v1/payments`: one result per receipt, in the order sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PaymentResults {
    pub results: Vec<PaymentResult>,
}
