//! `GET /v1/reports`: the people with a card in force on a day within the caller's area, by
//! area, sex, age band, program and category, and the monthly increases and decreases
//! ([`crate::reports`]).

use asxh_api::{ErrorBody, Report, ReportQuery};
use asxh_core::Date;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::Json;

use super::{authorization, principal};
use crate::error::Result;
use crate::policy::{act, authorize};
use crate::reports;
use crate::scope::Scope;
use crate::state::{blocking, Shared};

/// The report of the caller's area.
#[utoipa::path(get, path = "/v1/reports", tag = "reports", params(ReportQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The report", body = Report),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "A payment point's account", body = ErrorBody),
        (status = 422, description = "Not a date, or months outside 1 to 36", body = ErrorBody),
    ))]
pub(super) async fn report(
    State(state): Shared,
    headers: HeaderMap,
    Query(q): Query<ReportQuery>,
) -> Result<Json<Report>> {
    let auth = authorization(&headers);
    blocking(move || {
        let grant = authorize::<act::ReadReports>(&principal(&state, auth.as_deref())?)?;
        let as_of = match q.as_of.as_deref() {
            Some(d) => Date::parse("as_of", d)?,
            None => Date::today(),
        };
        let (r, months) = state.store.read(|c| {
            Ok((
                reports::report(c, &grant, as_of)?,
                reports::monthly_changes(c, &grant, as_of, q.months.unwrap_or(12))?,
            ))
        })?;
        Ok(Json(Report {
            as_of: r.as_of.to_string(),
            area_code: match grant.scope() {
                Scope::Within(a) => a.to_string(),
                Scope::Everywhere => String::new(),
            },
            total: r.total,
            by_area: r.by_area,
            by_sex: r.by_sex,
            by_age_band: r.by_age_band,
            by_program: r.by_program,
            by_category: r.by_category,
            months,
        }))
    })
    .await
}
