//! What an issuing office's tools ask before they start: who a token is (`/v1/whoami`: role,
//! area, office and whether the access table lets it issue cards), and who of a list the
//! register already knows (`/v1/cards/matches`). A batch asks both before its first card, so
//! that an account that may not issue, a row outside its area or a person already in the
//! register is found before a key is generated on a card.

use asxh_api::{ErrorBody, MatchRequest, MatchResponse, WhoAmI};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::Json;
use rusqlite::OptionalExtension;

use super::{authorization, parse_json, principal};
use crate::auth;
use crate::error::Result;
use crate::policy::{act, allows, authorize, Action};
use crate::registry;
use crate::state::{blocking, Shared};

/// The account the token belongs to. Any account may ask about itself: this reads nothing
/// of the registry, so it is outside the access table.
#[utoipa::path(get, path = "/v1/whoami", tag = "cards",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The token's account", body = WhoAmI),
        (status = 401, description = "No valid token", body = ErrorBody),
    ))]
pub(super) async fn whoami(State(state): Shared, headers: HeaderMap) -> Result<Json<WhoAmI>> {
    let auth = authorization(&headers);
    blocking(move || {
        let account = state
            .store
            .read(|c| auth::authenticate(c, auth.as_deref()))?;
        let office = match &account.office {
            Some(code) => state.store.read(|c| {
                Ok(c.query_row(
                    // The office's active key, else its newest (retired or revoked).
                    "SELECT o.name, COALESCE((SELECT k.status FROM issuer_keys k WHERE k.office = o.code ORDER BY k.status = 'active' DESC, k.created_at DESC, k.rowid DESC LIMIT 1), o.status) FROM offices o WHERE o.code = ?1",
                    [code.as_str()],
                    |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)),
                )
                .optional()?)
            })?,
            None => None,
        };
        Ok(Json(WhoAmI {
            role: account.role.as_str().to_owned(),
            area_code: account.area.as_str().to_owned(),
            office: account.office.as_ref().map(|o| o.as_str().to_owned()),
            office_name: office.as_ref().map(|(name, _)| name.clone()),
            office_key_status: office.map(|(_, status)| status),
            may_issue_cards: allows(&account, Action::IssueCards),
        }))
    })
    .await
}

/// The cards within the caller's area (void cards left out) that have a person's SSN, or
/// their name (compared without diacritics) and birth year under another SSN.
#[utoipa::path(post, path = "/v1/cards/matches", tag = "cards", request_body = MatchRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The matches, by person then serial", body = MatchResponse),
        (status = 400, description = "The body is not JSON", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "Not an office or admin account", body = ErrorBody),
        (status = 413, description = "Body over 64 KiB", body = ErrorBody),
        (status = 422, description = "More than 500 people, or an SSN that is not one; `field` names it", body = ErrorBody),
    ))]
pub(super) async fn matches(
    State(state): Shared,
    headers: HeaderMap,
    bytes: Bytes,
) -> Result<Json<MatchResponse>> {
    let auth = authorization(&headers);
    blocking(move || {
        let grant = authorize::<act::LookUpCards>(&principal(&state, auth.as_deref())?)?;
        let req: MatchRequest = parse_json(&bytes)?;
        Ok(Json(MatchResponse {
            matches: registry::matches(&state.store, &grant, &req.people)?,
        }))
    })
    .await
}
