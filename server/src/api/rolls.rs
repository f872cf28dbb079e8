//! The payment rolls (SPEC.md §17.3): the signed roll of an area and month for every payment
//! point (no account; full or a delta since a version, ETag and `Cache-Control` as the
//! revocation list), and for administrators the drafts with their check summaries and the
//! approval that publishes one.

use asxh_api::rolls::{RollDraft, RollDraftList};
use asxh_api::schema::SignedList;
use asxh_api::{ErrorBody, SinceQuery};
use asxh_core::lists::Month;
use asxh_core::AreaCode;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Json;

use super::lists::{answer, current_or_delta, parse_since};
use super::{authorization, principal};
use crate::error::{Result, ServerError};
use crate::policy::{act, authorize};
use crate::rolls;
use crate::state::{blocking, Shared};

/// The content type of a signed payment roll and its deltas.
pub const ROLL_TYPE: &str = "application/vnd.asxh.payment-roll";

fn parse_area_month(area: &str, month: &str) -> Result<(AreaCode, Month)> {
    Ok((AreaCode::parse(area)?, Month::parse("month", month)?))
}

/// The payment roll of `area` for `month` (`YYYY-MM`) signed by the roll key (SPEC.md §17):
/// full, or the delta since `since`. Answers 304 to a matching `If-None-Match`.
#[utoipa::path(get, path = "/v1/rolls/{area}/{month}", tag = "lists", params(
        ("area" = String, Path, description = "Area code of the commune (or larger area) the roll pays in"),
        ("month" = String, Path, description = "The month, `YYYY-MM`"),
        SinceQuery),
    responses(
        (status = 200, description = "The signed roll or delta (ETag, Cache-Control: public, max-age)",
            content((SignedList = "application/vnd.asxh.payment-roll"))),
        (status = 304, description = "Unchanged since the ETag given"),
        (status = 404, description = "No roll published for this area and month (or one older than last month)", body = ErrorBody),
        (status = 409, description = "`since` is not a version of this roll published within the retention (`unknown_base_version`): take the full roll", body = ErrorBody),
        (status = 422, description = "Not an area code, a month or a version number", body = ErrorBody),
    ))]
pub(super) async fn roll(
    State(state): Shared,
    headers: HeaderMap,
    Path((area, month)): Path<(String, String)>,
    Query(q): Query<SinceQuery>,
) -> Result<Response> {
    let (area, month) = parse_area_month(&area, &month)?;
    let since = parse_since(&q)?;
    let name = rolls::list_name(&area, month);
    if state.store.lists().current(&name).is_none() {
        return Err(ServerError::NotFound(format!(
            "no payment roll is published for {area} for {month}"
        )));
    }
    let list = current_or_delta(&state, &name, since, "payment roll").await?;
    Ok(answer(&state, &headers, &list, ROLL_TYPE, false))
}

/// The drafts of the roll of `area` for `month`, newest first, each with its check summary.
#[utoipa::path(get, path = "/v1/rolls/{area}/{month}/drafts", tag = "rolls", params(
        ("area" = String, Path, description = "Area code"),
        ("month" = String, Path, description = "`YYYY-MM`")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The drafts", body = RollDraftList),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "Not an administrator, auditor or data-entry account, or the area is outside the account's", body = ErrorBody),
        (status = 422, description = "Not an area code or a month", body = ErrorBody),
    ))]
pub(super) async fn drafts(
    State(state): Shared,
    headers: HeaderMap,
    Path((area, month)): Path<(String, String)>,
) -> Result<Json<RollDraftList>> {
    let auth = authorization(&headers);
    blocking(move || {
        let grant = authorize::<act::ReadRolls>(&principal(&state, auth.as_deref())?)?;
        let (area, month) = parse_area_month(&area, &month)?;
        let drafts = state
            .store
            .read(|c| rolls::drafts(c, &grant, &area, month))?;
        Ok(Json(RollDraftList { drafts }))
    })
    .await
}

/// Draft the roll of `area` for `month` from the register: what each beneficiary residing there
/// is due that month, with its check summary against the published roll. A draft that only
/// reduces what the published roll pays is published at once; any other waits for approval.
#[utoipa::path(post, path = "/v1/rolls/{area}/{month}/drafts", tag = "rolls", params(
        ("area" = String, Path, description = "Area code"),
        ("month" = String, Path, description = "`YYYY-MM`")),
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Drafted (published when it only reduces)", body = RollDraft),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "Not an administrator account, or the area is outside the account's", body = ErrorBody),
        (status = 422, description = "Not an area code or a month", body = ErrorBody),
    ))]
pub(super) async fn draft(
    State(state): Shared,
    headers: HeaderMap,
    Path((area, month)): Path<(String, String)>,
) -> Result<(StatusCode, Json<RollDraft>)> {
    let auth = authorization(&headers);
    blocking(move || {
        let grant = authorize::<act::DraftRolls>(&principal(&state, auth.as_deref())?)?;
        let (area, month) = parse_area_month(&area, &month)?;
        let drafted = rolls::draft(&state.store, &grant, &area, month)?;
        Ok((StatusCode::CREATED, Json(drafted)))
    })
    .await
}

/// Approve a roll draft, which publishes it: the first of a month as the full roll, a
/// correction as the next version (a delta from the one before). Audited with who approved.
#[utoipa::path(post, path = "/v1/roll-drafts/{id}/approve", tag = "rolls", params(
        ("id" = i64, Path, description = "The draft's number")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Approved and published", body = RollDraft),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "Not an administrator account", body = ErrorBody),
        (status = 404, description = "No such draft within the account's area", body = ErrorBody),
        (status = 409, description = "The draft is not waiting for approval, or the roll was published again since its check (draft again)", body = ErrorBody),
        (status = 422, description = "Not a draft number", body = ErrorBody),
    ))]
pub(super) async fn approve(
    State(state): Shared,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<RollDraft>> {
    let auth = authorization(&headers);
    blocking(move || {
        let grant = authorize::<act::ApproveRolls>(&principal(&state, auth.as_deref())?)?;
        let id = id
            .parse::<i64>()
            .map_err(|_| ServerError::invalid("id", format!("{id:?} is not a draft number")))?;
        Ok(Json(rolls::approve(&state.store, &grant, id)?))
    })
    .await
}
