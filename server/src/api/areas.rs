//! `GET /v1/areas/{code}`: an administrative unit's name from the catalogue (the provinces
//! shipped, the communes imported), as it was on a day, with where it lies today: for a card's
//! face and any screen that shows an area code.

use asxh_api::{AreaName, AreaQuery, ErrorBody};
use asxh_core::{AreaCode, Date};
use asxh_text::{Lang, Msg};
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::Json;

use super::{authorization, principal};
use crate::areas;
use crate::error::{Result, ServerError};
use crate::policy::{act, authorize};
use crate::state::{blocking, Shared};

/// The name of the area `code` on the day `on`.
#[utoipa::path(get, path = "/v1/areas/{code}", tag = "areas", params(("code" = String, Path, description = "An area code, SPEC.md §4.6"), AreaQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The area's name", body = AreaName),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 404, description = "No list of administrative units has the area's province", body = ErrorBody),
        (status = 422, description = "Not an area code, or not a date", body = ErrorBody),
    ))]
pub(super) async fn area_name(
    State(state): Shared,
    headers: HeaderMap,
    Path(code): Path<String>,
    Query(q): Query<AreaQuery>,
) -> Result<Json<AreaName>> {
    let auth = authorization(&headers);
    blocking(move || {
        authorize::<act::ReadAreas>(&principal(&state, auth.as_deref())?)?;
        let area = AreaCode::parse(&code)?;
        let day = match q.on.as_deref() {
            Some(d) => Date::parse("on", d)?,
            None => Date::today(),
        };
        let name = state.store.read(|c| areas::name_of(c, &area, day))?;
        let text = name.text(Lang::Vi.text(Msg::AreaNowPartOf));
        if name.province.is_none() {
            return Err(ServerError::NotFound(format!(
                "no list of administrative units has province {}",
                area.province()
            )));
        }
        Ok(Json(AreaName {
            area_code: area.to_string(),
            name: text,
            unit: name.unit,
            province: name.province,
            now_part_of: name.now,
        }))
    })
    .await
}
