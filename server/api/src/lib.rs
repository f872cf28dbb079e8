//! asxh-api: the issuing server's HTTP API as types. Every JSON body that goes over `/v1/` is
//! defined here once, and both the server and its clients (the personalizer, the post office's
//! and banks' systems through the OpenAPI document the server generates from these types) use
//! it, so a field renamed on one side does not compile on the other.
//!
//! Plain serde data: a request is checked into the registry's typed values by the server, never
//! here. The card formats inside (entitlements, the trust list's issuers) are the views of
//! `asxh-core`, the codec every part shares; [`schema`] describes them for the OpenAPI document.
#![forbid(unsafe_code)]

pub mod accounts;
pub mod payments;
pub mod register;
pub mod rolls;
pub mod schema;

pub use register::*;

use asxh_core::view::{EntitlementView, TrustListView};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// Where a card is in its life on the server: issued and being written (`pending`), written,
/// read back and handed over (`active`), abandoned before use (`void`), or revoked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum CardStatus {
    Pending,
    Active,
    Void,
    Revoked,
}

impl CardStatus {
    pub const ALL: [CardStatus; 4] = [
        CardStatus::Pending,
        CardStatus::Active,
        CardStatus::Void,
        CardStatus::Revoked,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CardStatus::Pending => "pending",
            CardStatus::Active => "active",
            CardStatus::Void => "void",
            CardStatus::Revoked => "revoked",
        }
    }

    /// The status written as [`CardStatus::as_str`] does, or `None`.
    pub fn parse(text: &str) -> Option<CardStatus> {
        CardStatus::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

impl std::fmt::Display for CardStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The card an issuance replaces, revoked in the same transaction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Replaces {
    /// The old card's serial.
    pub serial: String,
    /// Why it is replaced (`damaged`, `lost`, `stolen`, `error`, …).
    pub reason: String,
}

/// The body of `POST /v1/cards`: the holder, the entitlements and the public key the card
/// generated. The server allocates the serial and signs the credential with the office's key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IssueRequest {
    /// The 12-digit personal identification number.
    #[schema(example = "051146000123")]
    pub ssn: String,
    /// Full name, UTF-8 (normalised to NFC).
    #[schema(example = "Trần Thị Lan")]
    pub full_name: String,
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    #[schema(example = "1946-08-19")]
    pub date_of_birth: String,
    /// `M` or `F`.
    #[schema(example = "F")]
    pub sex: String,
    /// Residence area: province and commune (optionally district), dot-separated.
    #[schema(example = "51.22903")]
    pub area_code: String,
    /// At most 8.
    #[serde(default)]
    #[schema(value_type = Vec<schema::Entitlement>)]
    pub entitlements: Vec<EntitlementView>,
    /// SEC1 uncompressed P-256 public key generated on the card, hex.
    pub card_public_key_hex: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replaces: Option<Replaces>,
}

/// The answer to `POST /v1/cards`: the card is PENDING until activated or voided.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct IssueResponse {
    #[schema(example = "0000-0001-7")]
    pub serial: String,
    /// The signed card credential (`7F21`), hex.
    pub credential_hex: String,
    /// The QR credential (`ASXH1:` + base45) printed on the card face.
    pub qr_text: String,
    pub issuer_key_id_hex: String,
    /// `YYYY-MM-DD`.
    pub expires: String,
}

/// The answer to `POST /v1/cards/{serial}/activate` and `.../void`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct StatusChange {
    pub serial: String,
    pub status: CardStatus,
}

/// One entry of a card's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct HistoryEntry {
    /// Unix time, seconds.
    pub at: i64,
    pub event: String,
    /// The account that acted, as `role#id@office`.
    pub actor: String,
    pub detail: String,
}

/// How a revoked card was revoked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RevocationInfo {
    pub reason: String,
    /// `YYYY-MM-DD`.
    pub revoked_on: String,
    /// The first revocation-list version that carries the card.
    pub list_version: i64,
}

/// A card as `GET /v1/cards/{serial}` and `GET /v1/cards?ssn=` show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CardRecord {
    pub serial: String,
    pub status: CardStatus,
    pub ssn: String,
    pub full_name: String,
    pub date_of_birth: String,
    pub sex: String,
    pub area_code: String,
    /// The issuing office's code.
    pub office: String,
    pub issued: String,
    pub expires: String,
    /// The serial of the card this one replaced.
    pub replaces: Option<String>,
    pub revocation: Option<RevocationInfo>,
    pub history: Vec<HistoryEntry>,
    /// The signed card credential, hex, to print the card face again.
    pub credential_hex: String,
    pub qr_text: String,
}

/// The answer to `GET /v1/cards?ssn=`: the SSN's cards within the caller's area, by serial.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CardList {
    pub cards: Vec<CardRecord>,
}

/// The query of `GET /v1/cards`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SsnQuery {
    /// The SSN whose cards to list (required).
    pub ssn: Option<String>,
}

/// The answer to `GET /v1/whoami`: the account a token belongs to, so that a tool can refuse
/// to start what the account may not do (a batch checks it before its first card).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct WhoAmI {
    /// `admin`, `office`, `data-entry`, `auditor`, `payment-point` (an open list: new roles may
    /// appear).
    #[schema(example = "office")]
    pub role: String,
    /// The area the account works in (and every area below it).
    #[schema(example = "51")]
    pub area_code: String,
    /// The account's issuing office, for an office account.
    pub office: Option<String>,
    pub office_name: Option<String>,
    /// The status of the office's issuer key (`active`, `retired`, `revoked`): only an active
    /// key signs cards.
    pub office_key_status: Option<String>,
    /// Whether the server's access table lets the account issue cards (within its area).
    pub may_issue_cards: bool,
}

/// Most people one `POST /v1/cards/matches` asks about.
pub const MATCH_LIMIT: usize = 500;

/// A person of a list, as `POST /v1/cards/matches` compares them with the register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MatchPerson {
    #[schema(example = "051146000123")]
    pub ssn: String,
    /// Compared folded: without diacritics, case or extra spaces.
    #[schema(example = "Trần Thị Lan")]
    pub full_name: String,
    #[schema(example = 1946)]
    pub birth_year: u16,
}

/// The body of `POST /v1/cards/matches`: at most [`MATCH_LIMIT`] people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MatchRequest {
    pub people: Vec<MatchPerson>,
}

/// A card of the register (void cards left out) within the caller's area that has a person's
/// SSN, or their folded name and birth year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CardMatch {
    /// The person's index in the request.
    pub person: usize,
    /// The card has the person's SSN (otherwise: their name and birth year under another SSN).
    pub same_ssn: bool,
    pub serial: String,
    pub status: CardStatus,
    pub ssn: String,
    pub full_name: String,
    pub date_of_birth: String,
    pub area_code: String,
}

/// The answer to `POST /v1/cards/matches`, by person then serial.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct MatchResponse {
    pub matches: Vec<CardMatch>,
}

/// The body of `POST /v1/revocations`: exactly one of `serial` (one card) or `ssn` (every live
/// card of the SSN), and the reason.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RevocationRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub serial: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ssn: Option<String>,
    /// `lost`, `stolen`, `damaged`, `deceased`, `error` or `replaced`.
    pub reason: String,
}

/// The answer to `POST /v1/revocations`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RevocationResponse {
    /// The revocation-list version that carries the revocations.
    pub list_version: i64,
    /// The serials revoked.
    pub revoked: Vec<String>,
    pub reason: String,
}

/// One issuer key of an office (`GET /v1/offices`): every key an office has had stays in the
/// trust list with its status (SPEC.md §14).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct IssuerKey {
    pub key_id_hex: String,
    pub office: String,
    /// `active` (the office issues with it), `retired` (signs no new cards; its cards stay
    /// trusted) or `revoked` (compromised: none of its cards is trusted).
    pub status: String,
    pub valid_from: String,
    pub valid_until: String,
}

/// An issuing office and its keys, the newest first (`GET /v1/offices`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Office {
    pub code: String,
    pub name: String,
    pub area_code: String,
    pub keys: Vec<IssuerKey>,
    /// Cards the office issued that are not voided.
    pub cards: u64,
}

/// The answer to `GET /v1/offices`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct OfficeList {
    pub offices: Vec<Office>,
}

/// The answer to `POST /v1/offices/{code}/keys`: the office's new key, and the one it retired.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct KeyRotation {
    pub key_id_hex: String,
    pub retired_key_id_hex: Option<String>,
    /// The trust-list version that carries both.
    pub trust_list_version: u64,
}

/// The body of `POST /v1/issuer-keys/{key_id}/status`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct IssuerKeyStatusRequest {
    /// `retired` or `revoked`.
    pub status: String,
}

/// The root public key (`GET /v1/root-key`); a verifier keeps it only after comparing the
/// fingerprint with the one it pinned at install (SPEC.md §14).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RootKey {
    /// SEC1 uncompressed, hex.
    pub public_key_hex: String,
    pub fingerprint: String,
}

/// The trust list as JSON (`GET /v1/trust-list` with `Accept: application/json`): the signed
/// content plus the root key's fingerprint, for an administrator to compare with what verifiers
/// pinned. The signed list itself is the binary answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct TrustListJson {
    pub root_key_fingerprint: String,
    #[serde(flatten)]
    #[schema(value_type = schema::TrustList)]
    pub list: TrustListView,
}

/// The query of `GET /v1/revocation-list`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SinceQuery {
    /// Answer with the delta since this version instead of the full list.
    pub since: Option<String>,
}

/// `GET /healthz`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Health {
    /// `ok`.
    pub status: String,
    pub trust_list_version: u64,
    pub revocation_list_version: u64,
}

/// One row of the hash-chained audit log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct AuditRow {
    pub id: i64,
    /// Unix time, seconds.
    pub at: i64,
    pub actor: String,
    pub action: String,
    #[schema(value_type = Object)]
    pub detail: serde_json::Value,
    /// SHA-256 over the previous row's hash and this row, hex.
    pub hash: String,
    /// The area the row is about (the card's, office's or account's); a reader sees only the
    /// rows of their area.
    pub area: Option<String>,
}

/// The answer to `GET /v1/audit`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct AuditLog {
    pub rows: Vec<AuditRow>,
}

/// The query of `GET /v1/audit`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Rows after this id (default 0).
    pub after: Option<i64>,
    /// At most this many rows (1 to 10,000; default 1,000).
    pub limit: Option<i64>,
}

/// The query of `GET /v1/areas/{code}`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AreaQuery {
    /// The day the name is wanted for, `YYYY-MM-DD` (a card's issue date; default today): a
    /// code reused or merged since names what it named then.
    pub on: Option<String>,
}

/// An administrative unit's name, from the catalogue (SPEC.md §4.6).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AreaName {
    #[schema(example = "51.22903")]
    pub area_code: String,
    /// As a card face or a screen shows it, in Vietnamese.
    #[schema(example = "Xã Nghĩa Hành, Quảng Ngãi")]
    pub name: String,
    /// The commune (or district), when the catalogue has it.
    pub unit: Option<String>,
    /// The province as named on the day asked about.
    pub province: Option<String>,
    /// Where the unit lies today, when it has merged since.
    pub now_part_of: Option<String>,
}

/// The query of `GET /v1/reports`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportQuery {
    /// The report's day, `YYYY-MM-DD` (default today).
    pub as_of: Option<String>,
    /// Months of increases and decreases, ending with the report day's month (1 to 36,
    /// default 12).
    pub months: Option<u32>,
}

/// People: all, men, women.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ReportFigures {
    pub people: u64,
    pub male: u64,
    pub female: u64,
}

/// One line of a report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ReportLine {
    /// An area code, `M`/`F`, an age band (`0-5`, `6-15`, `16-59`, `60-79`, `80+`), a program
    /// code, or `program/category`.
    pub key: String,
    pub figures: ReportFigures,
}

/// One month's increases and decreases.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ReportMonth {
    #[schema(example = "2026-11")]
    pub month: String,
    pub increases: u64,
    pub decreases: u64,
    /// People in force at the month's end.
    pub in_force: u64,
}

/// The answer to `GET /v1/reports`: the people with a card in force on `as_of`, within the
/// caller's area, every way, and the monthly increases and decreases.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Report {
    pub as_of: String,
    pub area_code: String,
    pub total: ReportFigures,
    pub by_area: Vec<ReportLine>,
    pub by_sex: Vec<ReportLine>,
    pub by_age_band: Vec<ReportLine>,
    /// A person with two programs counts in both.
    pub by_program: Vec<ReportLine>,
    pub by_category: Vec<ReportLine>,
    pub months: Vec<ReportMonth>,
}

/// What went wrong, as a stable code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// 400: the body is not JSON.
    MalformedJson,
    /// 422: a field is missing or wrong; `field` names it.
    InvalidField,
    /// 401: no bearer token, or one that is unknown or revoked.
    Unauthorized,
    /// 403: the account may not do this, or not in this area.
    Forbidden,
    /// 404.
    NotFound,
    /// 409: the registry's state refuses it (a live card exists, already revoked, …).
    Conflict,
    /// 409: `GET /v1/revocation-list?since=B` for a version *B* this server did not publish, no
    /// longer keeps (older than the retention) or has not reached: take the full list.
    UnknownBaseVersion,
    /// 413.
    TooLarge,
    /// 408: the request body did not arrive within the server's body timeout.
    RequestTimeout,
    /// 503: the database could not be used; retry.
    StorageUnavailable,
    /// 507: the disk is full; nothing was written.
    StorageFull,
    /// 500: the audit chain does not verify.
    AuditChainBroken,
    /// 500.
    ServerError,
}

impl ErrorCode {
    /// What an error of this kind means for the person reading it (the console's error pages,
    /// the personalizer's refusals), from the catalogue; the server's own message follows as
    /// technical detail.
    pub fn meaning(self) -> asxh_text::Msg {
        use asxh_text::Msg;
        match self {
            ErrorCode::MalformedJson | ErrorCode::InvalidField => Msg::ProblemInvalid,
            ErrorCode::Unauthorized => Msg::ProblemNotLoggedIn,
            ErrorCode::Forbidden => Msg::ProblemForbidden,
            ErrorCode::NotFound => Msg::ProblemNotFound,
            ErrorCode::Conflict | ErrorCode::UnknownBaseVersion => Msg::ProblemConflict,
            ErrorCode::TooLarge => Msg::ProblemTooLarge,
            ErrorCode::RequestTimeout => Msg::ProblemTimeout,
            ErrorCode::StorageUnavailable => Msg::ProblemStorage,
            ErrorCode::StorageFull => Msg::ProblemDiskFull,
            ErrorCode::AuditChainBroken | ErrorCode::ServerError => Msg::ProblemServer,
        }
    }

    /// The code of its wire form (`invalid_field`), if it is one.
    pub fn parse(code: &str) -> Option<ErrorCode> {
        serde_json::from_value(serde_json::Value::String(code.to_owned())).ok()
    }
}

/// The body of every error answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

/// The error inside [`ErrorBody`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ErrorDetail {
    pub code: ErrorCode,
    /// For a person to read.
    pub message: String,
    /// The request field at fault (`entitlements[0].program`, `replaces.serial`, …), if any.
    pub field: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn card_statuses_print_as_they_parse_and_as_serde_writes_them() {
        for s in CardStatus::ALL {
            assert_eq!(CardStatus::parse(s.as_str()), Some(s));
            assert_eq!(serde_json::to_value(s).unwrap(), s.as_str());
        }
        assert_eq!(CardStatus::parse("Active"), None);
    }

    #[test]
    fn an_issue_request_without_replaces_leaves_the_field_out() {
        let req = IssueRequest {
            ssn: "051146000123".into(),
            full_name: "Trần Thị Lan".into(),
            date_of_birth: "1946".into(),
            sex: "F".into(),
            area_code: "51".into(),
            entitlements: Vec::new(),
            card_public_key_hex: "04".into(),
            replaces: None,
        };
        let json = serde_json::to_value(&req).unwrap();
        assert!(json.get("replaces").is_none(), "{json}");
        assert_eq!(serde_json::from_value::<IssueRequest>(json).unwrap(), req);
    }

    #[test]
    fn an_error_body_without_a_field_says_null() {
        let body = ErrorBody {
            error: ErrorDetail {
                code: ErrorCode::AuditChainBroken,
                message: "m".into(),
                field: None,
            },
        };
        assert_eq!(
            serde_json::to_value(body).unwrap(),
            serde_json::json!({"error": {"code": "audit_chain_broken", "message": "m", "field": null}})
        );
    }
}
