//! The bodies of the payment-roll routes (SPEC.md §17.3): a month's draft with its check
//! summary, and its approval.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// What one program pays on a roll: its lines due and their total.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RollProgramTotal {
    #[schema(example = "TGXH")]
    pub program: String,
    /// Lines with status `due`.
    pub lines: u64,
    /// The sum of those lines, VND.
    pub amount_vnd: u64,
}

/// How a draft differs from the roll published before it (by beneficiary).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RollChanges {
    /// Beneficiaries the published roll does not have.
    pub added: u64,
    /// Beneficiaries the draft no longer has.
    pub removed: u64,
    /// Beneficiaries whose lines differ.
    pub changed: u64,
    /// Whether every change only reduces what is payable (a line suspended, stopped or paid, a
    /// beneficiary removed): such a draft publishes at once, without a second approval.
    pub reductions_only: bool,
}

/// The check summary of a draft: what the roll would carry, and what changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RollSummary {
    pub beneficiaries: u64,
    pub lines: u64,
    /// Due lines and their totals, by program, in program order.
    pub totals: Vec<RollProgramTotal>,
    /// The sum of every due line, VND.
    pub total_vnd: u64,
    /// The published version compared with; absent: nothing published yet for the month.
    pub against_version: Option<u64>,
    pub changes: RollChanges,
}

/// One draft of a month's roll.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RollDraft {
    pub id: i64,
    #[schema(example = "51.429.22903")]
    pub area: String,
    #[schema(example = "2026-12")]
    pub month: String,
    /// `draft` (waiting for approval), `published`, or `superseded` (a later draft of the
    /// month replaced it before approval, or the roll changed since it was checked).
    pub status: String,
    pub summary: RollSummary,
    pub drafted_by: String,
    /// Unix seconds.
    pub drafted_at: i64,
    /// Who approved it; absent before approval and for a draft of reductions only, which
    /// publishes without one.
    pub approved_by: Option<String>,
    pub approved_at: Option<i64>,
    /// The version that published it.
    pub published_version: Option<u64>,
}

/// The drafts of an area's month, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RollDraftList {
    pub drafts: Vec<RollDraft>,
}
