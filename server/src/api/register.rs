//! The register of entitlement decisions over HTTP: beneficiaries and households, decisions
//! and their changes (suspend, resume, stop, recipient), a beneficiary's history, base levels.
//! Data entry of a commune and administrators record within their area; auditors read; a
//! province's administrator sets its own base level.

use asxh_api::{
    BaseLevelList, BaseLevelRequest, BaseLevelSet, BeneficiaryPut, BeneficiaryRecord,
    BeneficiaryRequest, DecisionRecorded, DecisionRequest, ErrorBody, HouseholdRecord,
    HouseholdRequest, MemberRequest, RecipientRequest, StatusRequest,
};
use asxh_core::{AreaCode, Date, Ssn};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;

use super::{authorization, parse_json, principal};
use crate::error::{Result, ServerError};
use crate::policy::{act, authorize};
use crate::register::{self, requests, HouseholdCode};
use crate::state::{blocking, Shared};

pub(super) fn parse_id(text: &str) -> Result<i64> {
    text.parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(|| ServerError::invalid("id", format!("{text:?} is not an entitlement id")))
}

/// Register a beneficiary, or change their name or commune of residence.
#[utoipa::path(put, path = "/v1/beneficiaries/{ssn}", tag = "register", request_body = BeneficiaryRequest,
    params(("ssn" = String, Path, description = "The beneficiary's SSN")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Registered or changed", body = BeneficiaryPut),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "Not a data-entry or admin account, or the area is outside its own", body = ErrorBody),
        (status = 422, description = "A field is wrong; `field` names it", body = ErrorBody),
    ))]
pub(super) async fn put_beneficiary(
    State(state): Shared,
    headers: HeaderMap,
    Path(ssn): Path<String>,
    bytes: Bytes,
) -> Result<Json<BeneficiaryPut>> {
    let auth = authorization(&headers);
    blocking(move || {
        let grant = authorize::<act::RecordEntitlements>(&principal(&state, auth.as_deref())?)?;
        let who = requests::beneficiary(&ssn, &parse_json(&bytes)?)?;
        let ssn = who.ssn.to_string();
        let created = register::put_beneficiary(&state.store, &grant, who)?;
        Ok(Json(BeneficiaryPut { ssn, created }))
    })
    .await
}

/// A beneficiary with every entitlement (their own and their household's), its recipient and
/// its whole history.
#[utoipa::path(get, path = "/v1/beneficiaries/{ssn}", tag = "register",
    params(("ssn" = String, Path, description = "The beneficiary's SSN")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The beneficiary", body = BeneficiaryRecord),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "Not an admin, data-entry or auditor account", body = ErrorBody),
        (status = 404, description = "Not registered within the caller's area (one outside it is answered the same way)", body = ErrorBody),
        (status = 422, description = "Not an SSN", body = ErrorBody),
    ))]
pub(super) async fn beneficiary(
    State(state): Shared,
    headers: HeaderMap,
    Path(ssn): Path<String>,
) -> Result<Json<BeneficiaryRecord>> {
    let auth = authorization(&headers);
    blocking(move || {
        let grant = authorize::<act::ReadEntitlements>(&principal(&state, auth.as_deref())?)?;
        let ssn = Ssn::parse(&ssn)?;
        let (who, entitlements) = state.store.read(|c| register::history(c, &grant, ssn))?;
        Ok(Json(requests::beneficiary_json(who, entitlements)))
    })
    .await
}

/// Register a household (mã hộ) in a commune.
#[utoipa::path(post, path = "/v1/households", tag = "register", request_body = HouseholdRequest,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Registered"),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "Not a data-entry or admin account, or the area is outside its own", body = ErrorBody),
        (status = 409, description = "The code is taken", body = ErrorBody),
        (status = 422, description = "A field is wrong; `field` names it", body = ErrorBody),
    ))]
pub(super) async fn add_household(
    State(state): Shared,
    headers: HeaderMap,
    bytes: Bytes,
) -> Result<StatusCode> {
    let auth = authorization(&headers);
    blocking(move || {
        let grant = authorize::<act::RecordEntitlements>(&principal(&state, auth.as_deref())?)?;
        let req: HouseholdRequest = parse_json(&bytes)?;
        let code = HouseholdCode::parse(&req.code)?;
        register::add_household(&state.store, &grant, code, AreaCode::parse(&req.area)?)?;
        Ok(StatusCode::CREATED)
    })
    .await
}

/// A household with its members.
#[utoipa::path(get, path = "/v1/households/{code}", tag = "register",
    params(("code" = String, Path, description = "The household code")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The household", body = HouseholdRecord),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "Not an admin, data-entry or auditor account", body = ErrorBody),
        (status = 404, description = "No such household within the caller's area", body = ErrorBody),
    ))]
pub(super) async fn household(
    State(state): Shared,
    headers: HeaderMap,
    Path(code): Path<String>,
) -> Result<Json<HouseholdRecord>> {
    let auth = authorization(&headers);
    blocking(move || {
        let grant = authorize::<act::ReadEntitlements>(&principal(&state, auth.as_deref())?)?;
        let code = HouseholdCode::parse(&code)?;
        let h = state
            .store
            .read(|c| register::household(c, &grant, &code))?;
        Ok(Json(HouseholdRecord {
            code: h.code.as_str().to_owned(),
            area: h.area.as_str().to_owned(),
            members: h.members.iter().map(ToString::to_string).collect(),
        }))
    })
    .await
}

/// Make a beneficiary a member of the household (leaving any other).
#[utoipa::path(post, path = "/v1/households/{code}/members", tag = "register", request_body = MemberRequest,
    params(("code" = String, Path, description = "The household code")),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "A member"),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "Not a data-entry or admin account", body = ErrorBody),
        (status = 404, description = "No such household or beneficiary within the caller's area", body = ErrorBody),
        (status = 422, description = "A field is wrong; `field` names it", body = ErrorBody),
    ))]
pub(super) async fn add_member(
    State(state): Shared,
    headers: HeaderMap,
    Path(code): Path<String>,
    bytes: Bytes,
) -> Result<StatusCode> {
    let auth = authorization(&headers);
    blocking(move || {
        let grant = authorize::<act::RecordEntitlements>(&principal(&state, auth.as_deref())?)?;
        let req: MemberRequest = parse_json(&bytes)?;
        let code = HouseholdCode::parse(&code)?;
        register::add_member(&state.store, &grant, code, Ssn::parse(&req.ssn)?)?;
        Ok(StatusCode::NO_CONTENT)
    })
    .await
}

/// Record an entitlement decision for a beneficiary or a household.
#[utoipa::path(post, path = "/v1/entitlements", tag = "register", request_body = DecisionRequest,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Recorded", body = DecisionRecorded),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "Not a data-entry or admin account", body = ErrorBody),
        (status = 404, description = "No such beneficiary or household within the caller's area", body = ErrorBody),
        (status = 409, description = "The decision is already recorded", body = ErrorBody),
        (status = 422, description = "A field is wrong; `field` names it", body = ErrorBody),
    ))]
pub(super) async fn record(
    State(state): Shared,
    headers: HeaderMap,
    bytes: Bytes,
) -> Result<(StatusCode, Json<DecisionRecorded>)> {
    let auth = authorization(&headers);
    blocking(move || {
        let grant = authorize::<act::RecordEntitlements>(&principal(&state, auth.as_deref())?)?;
        let decision = requests::decision(&parse_json(&bytes)?)?;
        let id = register::record(&state.store, &grant, decision, Date::today())?;
        Ok((StatusCode::CREATED, Json(DecisionRecorded { id })))
    })
    .await
}

/// Suspend (`suspend`, tạm dừng), resume (`resume`) or stop (`stop`, thôi hưởng) an
/// entitlement from a day.
#[utoipa::path(post, path = "/v1/entitlements/{id}/{change}", tag = "register", request_body = StatusRequest,
    params(
        ("id" = i64, Path, description = "The entitlement"),
        ("change" = String, Path, description = "`suspend`, `resume` or `stop`"),
    ),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Changed"),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "Not a data-entry or admin account", body = ErrorBody),
        (status = 404, description = "No such entitlement within the caller's area", body = ErrorBody),
        (status = 409, description = "Not allowed from its status (a stopped one is final)", body = ErrorBody),
        (status = 422, description = "A field is wrong; `field` names it", body = ErrorBody),
    ))]
pub(super) async fn change_status(
    State(state): Shared,
    headers: HeaderMap,
    Path((id, change)): Path<(String, String)>,
    bytes: Bytes,
) -> Result<StatusCode> {
    let auth = authorization(&headers);
    blocking(move || {
        let grant = authorize::<act::RecordEntitlements>(&principal(&state, auth.as_deref())?)?;
        let id = parse_id(&id)?;
        let (change, on, note) = requests::status_change(&change, &parse_json(&bytes)?)?;
        register::change_status(&state.store, &grant, id, change, on, note)?;
        Ok(StatusCode::NO_CONTENT)
    })
    .await
}

/// Change who may collect an entitlement (none: the holder collects).
#[utoipa::path(put, path = "/v1/entitlements/{id}/recipient", tag = "register", request_body = RecipientRequest,
    params(("id" = i64, Path, description = "The entitlement")),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Changed"),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "Not a data-entry or admin account", body = ErrorBody),
        (status = 404, description = "No such entitlement within the caller's area", body = ErrorBody),
        (status = 409, description = "Stopped, or no recipient to remove", body = ErrorBody),
        (status = 422, description = "A field is wrong; `field` names it", body = ErrorBody),
    ))]
pub(super) async fn change_recipient(
    State(state): Shared,
    headers: HeaderMap,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Result<StatusCode> {
    let auth = authorization(&headers);
    blocking(move || {
        let grant = authorize::<act::RecordEntitlements>(&principal(&state, auth.as_deref())?)?;
        let id = parse_id(&id)?;
        let req: RecipientRequest = parse_json(&bytes)?;
        let recipient = req
            .recipient
            .as_ref()
            .map(requests::recipient)
            .transpose()?;
        register::change_recipient(&state.store, &grant, id, recipient)?;
        Ok(StatusCode::NO_CONTENT)
    })
    .await
}

/// Every base level, by program, province and month.
#[utoipa::path(get, path = "/v1/base-levels", tag = "register",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The base levels", body = BaseLevelList),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "Not an admin, data-entry or auditor account", body = ErrorBody),
    ))]
pub(super) async fn base_levels(
    State(state): Shared,
    headers: HeaderMap,
) -> Result<Json<BaseLevelList>> {
    let auth = authorization(&headers);
    blocking(move || {
        authorize::<act::ReadEntitlements>(&principal(&state, auth.as_deref())?)?;
        let levels = state.store.read(register::base_levels)?;
        Ok(Json(BaseLevelList {
            levels: levels.into_iter().map(requests::base_level_json).collect(),
        }))
    })
    .await
}

/// Set a program's base level from a month: a province's own (the national one is set at the
/// command line). Every amount computed from it follows.
#[utoipa::path(post, path = "/v1/base-levels", tag = "register", request_body = BaseLevelRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Set", body = BaseLevelSet),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "Not an admin account, another province, or the national level", body = ErrorBody),
        (status = 422, description = "A field is wrong; `field` names it", body = ErrorBody),
    ))]
pub(super) async fn set_base_level(
    State(state): Shared,
    headers: HeaderMap,
    bytes: Bytes,
) -> Result<Json<BaseLevelSet>> {
    let auth = authorization(&headers);
    blocking(move || {
        let grant = authorize::<act::SetBaseLevels>(&principal(&state, auth.as_deref())?)?;
        let change = requests::base_level(&parse_json(&bytes)?)?;
        let replaced_vnd = register::set_base_level(&state.store, &grant, change)?;
        Ok(Json(BaseLevelSet { replaced_vnd }))
    })
    .await
}
