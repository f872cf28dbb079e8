//! Payment into an account over HTTP (issue #19 items 4 and 5): an entitlement's payment method
//! (`PUT /v1/entitlements/{id}/account`), an area's transfer list, the bank's result file, and
//! the beneficiaries who collected nothing for three months with their suspension.

use asxh_api::accounts::{
    AccountRequest, Suspended, TransferList, TransferResultsRecorded, UncollectedList,
};
use asxh_api::ErrorBody;
use asxh_core::lists::Month;
use asxh_core::{AreaCode, Date};
use asxh_text::Lang;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::Json;

use super::{authorization, parse_json, principal};
use crate::error::Result;
use crate::payments::{transfers, unpaid};
use crate::policy::{act, authorize};
use crate::register::{self, PaymentAccount};
use crate::state::{blocking, Shared};

fn area_month(area: &str, month: &str) -> Result<(AreaCode, Month)> {
    Ok((AreaCode::parse(area)?, Month::parse("month", month)?))
}

/// English when the request's `Accept-Language` starts with `en`, else Vietnamese.
fn lang(headers: &HeaderMap) -> Lang {
    headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map_or(Lang::Vi, |v| Lang::parse(v.get(..2).unwrap_or("")))
}

/// Pay an entitlement into a bank account or e-wallet, or at the counter again (`account`
/// absent). A register change: the rolls are drafted again, and the draft waits for approval.
#[utoipa::path(put, path = "/v1/entitlements/{id}/account", tag = "register", request_body = AccountRequest,
    params(("id" = i64, Path, description = "The entitlement")),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Changed"),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "Not a data-entry or admin account", body = ErrorBody),
        (status = 404, description = "No such entitlement within the caller's area", body = ErrorBody),
        (status = 409, description = "Stopped, or already paid so", body = ErrorBody),
        (status = 422, description = "A field is wrong (a household's decision, a recipient's account without a recipient); `field` names it", body = ErrorBody),
    ))]
pub(super) async fn change_account(
    State(state): Shared,
    headers: HeaderMap,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Result<StatusCode> {
    let auth = authorization(&headers);
    blocking(move || {
        let grant = authorize::<act::RecordEntitlements>(&principal(&state, auth.as_deref())?)?;
        let id = super::register::parse_id(&id)?;
        let req: AccountRequest = parse_json(&bytes)?;
        let account = req
            .account
            .as_ref()
            .map(PaymentAccount::from_wire)
            .transpose()?;
        register::change_account(&state.store, &grant, id, account)?;
        Ok(StatusCode::NO_CONTENT)
    })
    .await
}

/// The transfer list of an area's month: the published rolls' lines paid into an account, each
/// with its account, its reference and the bank's result once recorded, and the totals by bank.
#[utoipa::path(get, path = "/v1/transfers/{area}/{month}", tag = "payments",
    params(
        ("area" = String, Path, description = "The area code"),
        ("month" = String, Path, description = "`YYYY-MM`"),
    ),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The transfer list", body = TransferList),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "Not an admin or auditor account, or outside its area", body = ErrorBody),
        (status = 422, description = "Not an area code or a month", body = ErrorBody),
    ))]
pub(super) async fn transfer_list(
    State(state): Shared,
    headers: HeaderMap,
    Path((area, month)): Path<(String, String)>,
) -> Result<Json<TransferList>> {
    let auth = authorization(&headers);
    blocking(move || {
        let grant = authorize::<act::ReadPayments>(&principal(&state, auth.as_deref())?)?;
        let (area, month) = area_month(&area, &month)?;
        let list = state
            .store
            .read(|c| transfers::transfer_list(c, &grant, &area, month))?;
        Ok(Json(transfers::wire(list, &area, month)))
    })
    .await
}

/// Record the bank's result file (the body: CSV or XLSX with the columns reference, result
/// `ok`/`failed`, bank_txn, reason), all or nothing: a broken row, a reference on no published
/// transfer list within the caller's area, or a result unlike one recorded before refuses the
/// whole file (422, every problem named, in Vietnamese unless `Accept-Language: en`). The same
/// results again are recorded once. Audited; the rolls are drafted again (a failed transfer is
/// due at the counter, waiting for approval).
#[utoipa::path(post, path = "/v1/transfers/results", tag = "payments",
    request_body(content = String, content_type = "text/csv", description = "The bank's result file (CSV or XLSX bytes), at most 1 MiB"),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Recorded", body = TransferResultsRecorded),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "Not an admin account", body = ErrorBody),
        (status = 413, description = "Over 1 MiB", body = ErrorBody),
        (status = 422, description = "Nothing recorded: the problems of every broken row", body = ErrorBody),
    ))]
pub(super) async fn record_results(
    State(state): Shared,
    headers: HeaderMap,
    bytes: Bytes,
) -> Result<Json<TransferResultsRecorded>> {
    let auth = authorization(&headers);
    let lang = lang(&headers);
    blocking(move || {
        let grant = authorize::<act::RecordTransferResults>(&principal(&state, auth.as_deref())?)?;
        let rows = transfers::parse_results(&bytes, lang)?;
        let done = transfers::record_results(
            &state.store,
            &grant,
            rows,
            transfers::file_digest(&bytes),
            lang,
        )?;
        Ok(Json(TransferResultsRecorded {
            recorded: done.recorded,
            repeated: done.repeated,
        }))
    })
    .await
}

/// The beneficiaries of an area who collected nothing in the published rolls of the month and
/// the two months before (no receipt, no transfer made).
#[utoipa::path(get, path = "/v1/uncollected/{area}/{month}", tag = "payments",
    params(
        ("area" = String, Path, description = "The area code"),
        ("month" = String, Path, description = "`YYYY-MM`: the last of the three months"),
    ),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The beneficiaries", body = UncollectedList),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "Not an admin or auditor account, or outside its area", body = ErrorBody),
        (status = 422, description = "Not an area code or a month", body = ErrorBody),
    ))]
pub(super) async fn uncollected(
    State(state): Shared,
    headers: HeaderMap,
    Path((area, month)): Path<(String, String)>,
) -> Result<Json<UncollectedList>> {
    let auth = authorization(&headers);
    blocking(move || {
        let grant = authorize::<act::ReadPayments>(&principal(&state, auth.as_deref())?)?;
        let (area, month) = area_month(&area, &month)?;
        let list = state
            .store
            .read(|c| unpaid::uncollected(c, &grant, &area, month))?;
        Ok(Json(unpaid::wire(list, &area, month)))
    })
    .await
}

/// Suspend (tạm dừng), from today, every active entitlement of the beneficiaries listed by
/// `GET /v1/uncollected/{area}/{month}`, with the reason `not_collected` ("không nhận trợ cấp 3
/// tháng liên tiếp"). Audited; the suspension is published at once.
#[utoipa::path(post, path = "/v1/uncollected/{area}/{month}/suspend", tag = "payments",
    params(
        ("area" = String, Path, description = "The area code"),
        ("month" = String, Path, description = "`YYYY-MM`: the last of the three months"),
    ),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Suspended", body = Suspended),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "Not an admin account, or outside its area", body = ErrorBody),
        (status = 422, description = "Not an area code or a month", body = ErrorBody),
    ))]
pub(super) async fn suspend_uncollected(
    State(state): Shared,
    headers: HeaderMap,
    Path((area, month)): Path<(String, String)>,
) -> Result<Json<Suspended>> {
    let auth = authorization(&headers);
    blocking(move || {
        let who = principal(&state, auth.as_deref())?;
        let grant = authorize::<act::SuspendUncollected>(&who)?;
        let record = authorize::<act::RecordEntitlements>(&who)?;
        let (area, month) = area_month(&area, &month)?;
        let suspended = unpaid::suspend_uncollected(
            &state.store,
            &grant,
            &record,
            &area,
            month,
            Date::today(),
        )?;
        Ok(Json(Suspended { suspended }))
    })
    .await
}

// The body limit of the result file's routes ([`crate::body::limit_for`]) is above the file's.
const _: () = assert!(crate::body::MAX_RESULTS_BODY > transfers::MAX_RESULT_FILE);
