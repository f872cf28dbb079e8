//! `GET /v1/audit`: the audit log, for administrators and auditors.

use asxh_api::{AuditLog, AuditQuery, ErrorBody};
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::Json;

use super::{authorization, principal};
use crate::error::Result;
use crate::policy::{act, authorize};
use crate::state::{blocking, Shared};

/// Audit rows after `after`, oldest first.
#[utoipa::path(get, path = "/v1/audit", tag = "audit", params(AuditQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The rows", body = AuditLog),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "Not an admin or auditor account", body = ErrorBody),
    ))]
pub(super) async fn audit_log(
    State(state): Shared,
    headers: HeaderMap,
    Query(q): Query<AuditQuery>,
) -> Result<Json<AuditLog>> {
    let auth = authorization(&headers);
    blocking(move || {
        let grant = authorize::<act::ReadAuditLog>(&principal(&state, auth.as_deref())?)?;
        let rows = state.store.read(|c| {
            crate::audit::rows(
                c,
                &grant,
                q.after.unwrap_or(0),
                q.limit.unwrap_or(1000).clamp(1, 10_000),
            )
        })?;
        Ok(Json(AuditLog { rows }))
    })
    .await
}
