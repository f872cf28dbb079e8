//! The HTTP API under `/v1/` (axum). Handlers parse and authorize, then run the registry or
//! publishing call on a blocking thread. Each route is registered together with its OpenAPI
//! description ([`utoipa_axum`]), so the document served at `/v1/openapi.json` (and committed as
//! `server/openapi.json`) lists exactly the routes there are, with the bodies of `asxh-api`.
//!
//! - [`cards`]: issue, activate, void, look up;
//! - [`office`]: who a token is, and who of a list the register already knows;
//! - [`revocations`]: revoke a card or an SSN's cards;
//! - [`offices`]: the offices and their issuer keys (rotate, retire, revoke);
//! - [`lists`]: health, the root key, the signed trust list and revocation list;
//! - [`audit`]: the audit log;
//! - [`areas`]: the names of administrative units;
//! - [`reports`]: the reports of an area;
//! - [`register`]: the register of entitlement decisions and the base levels;
//! - [`rolls`]: the signed payment rolls, their drafts and approval;
//! - [`payments`]: the payment points' keys and their receipts;
//! - [`accounts`]: payment into an account, the transfer list, the bank's results, the
//!   beneficiaries who collected nothing for three months;
//! - [`json`]: reading JSON bodies.

pub mod accounts;
pub mod areas;
pub mod audit;
pub mod cards;
pub mod json;
pub mod lists;
pub mod office;
pub mod offices;
pub mod payments;
pub mod register;
pub mod reports;
pub mod revocations;
pub mod rolls;

use std::sync::{Arc, OnceLock};

use axum::http::{header, HeaderMap};
use axum::response::IntoResponse;
use axum::Router;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::openapi::OpenApi as Document;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub use self::json::parse_json;
pub use self::revocations::parse_revocation_request;
use crate::auth;
use crate::error::Result;
use crate::policy::Principal;
use crate::state::AppState;

/// Where the API describes itself.
pub const OPENAPI_PATH: &str = "/v1/openapi.json";

#[derive(OpenApi)]
#[openapi(
    info(
        title = "asxh-server",
        description = "Issuing server of the electronic social security card (thẻ an sinh xã hội điện tử): issuing offices issue, activate and void cards; administrators look cards up and revoke them; anyone fetches the root key and the signed trust and revocation lists. Errors are `ErrorBody` with a stable `code`."
    ),
    modifiers(&BearerToken),
    tags(
        (name = "cards", description = "Issuing and looking up cards (issuing offices, administrators)"),
        (name = "revocations", description = "Revoking cards (administrators)"),
        (name = "offices", description = "Issuing offices and their issuer keys (administrators)"),
        (name = "lists", description = "The public, signed lists every verifier syncs (no account)"),
        (name = "audit", description = "The hash-chained audit log (administrators, auditors)"),
        (name = "areas", description = "The names of administrative units (any account)"),
        (name = "register", description = "The register of entitlement decisions: beneficiaries, households, decisions, suspensions, stops, recipients, base levels (data entry, administrators; auditors read)"),
        (name = "rolls", description = "Drafting and approving the monthly payment rolls (administrators)"),
        (name = "payments", description = "The payment points' keys and the receipts of the payments they made (payment-point accounts)"),
        (name = "reports", description = "Beneficiaries by area, sex, age band, program and category, and monthly changes (every account but a payment point's)")
    )
)]
struct ApiDoc;

/// The account token (`Authorization: Bearer asxh_…`), as the security scheme `bearer`.
struct BearerToken;

impl utoipa::Modify for BearerToken {
    fn modify(&self, doc: &mut Document) {
        doc.components
            .get_or_insert_with(Default::default)
            .add_security_scheme(
                "bearer",
                SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
            );
    }
}

fn routes() -> OpenApiRouter<Arc<AppState>> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(lists::healthz))
        .routes(routes!(cards::issue, cards::cards_by_ssn))
        .routes(routes!(cards::card))
        .routes(routes!(office::matches))
        .routes(routes!(office::whoami))
        .routes(routes!(cards::activate))
        .routes(routes!(cards::void))
        .routes(routes!(revocations::revoke))
        .routes(routes!(offices::offices))
        .routes(routes!(offices::rotate))
        .routes(routes!(offices::set_status))
        .routes(routes!(lists::root_key))
        .routes(routes!(lists::trust_list))
        .routes(routes!(lists::revocation_list))
        .routes(routes!(audit::audit_log))
        .routes(routes!(areas::area_name))
        .routes(routes!(reports::report))
        .routes(routes!(register::put_beneficiary, register::beneficiary))
        .routes(routes!(register::add_household))
        .routes(routes!(register::household))
        .routes(routes!(register::add_member))
        .routes(routes!(register::record))
        .routes(routes!(register::change_status))
        .routes(routes!(register::change_recipient))
        .routes(routes!(register::base_levels, register::set_base_level))
        .routes(routes!(rolls::roll))
        .routes(routes!(rolls::drafts, rolls::draft))
        .routes(routes!(rolls::approve))
        .routes(routes!(payments::register_key))
        .routes(routes!(payments::upload))
        .routes(routes!(accounts::change_account))
        .routes(routes!(accounts::transfer_list))
        .routes(routes!(accounts::record_results))
        .routes(routes!(accounts::uncollected))
        .routes(routes!(accounts::suspend_uncollected))
        .routes(routes!(openapi_json))
}

/// The OpenAPI 3 document of the API.
pub fn openapi() -> Document {
    routes().split_for_parts().1
}

/// The document as served and committed: pretty JSON and a final newline.
pub fn openapi_json_text() -> &'static str {
    static TEXT: OnceLock<String> = OnceLock::new();
    TEXT.get_or_init(|| {
        let mut text = openapi()
            .to_pretty_json()
            .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
        text.push('\n');
        text
    })
}

/// This API described as OpenAPI 3.
#[utoipa::path(get, path = "/v1/openapi.json", tag = "lists",
    responses((status = 200, description = "The OpenAPI 3 document of this API", content_type = "application/json")))]
async fn openapi_json() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/json")],
        openapi_json_text(),
    )
}

/// The API's routes.
pub fn router() -> Router<Arc<AppState>> {
    routes().split_for_parts().0
}

fn authorization(headers: &HeaderMap) -> Option<String> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// The account a request's bearer token belongs to (401 without one).
fn principal(state: &AppState, authorization: Option<&str>) -> Result<Principal> {
    state
        .store
        .read(|c| auth::authenticate(c, authorization))
        .map(Principal::Account)
}
