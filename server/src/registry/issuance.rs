//! Issuing a card for an office: the request checked into typed values, the serial allocated,
//! the one-live-card-per-SSN rule (or the replaced card revoked), the card credential and its QR
//! credential signed with the office's key; then activation or void once the office has written
//! the card, or failed to.

use asxh_api::{CardStatus, IssueRequest, IssueResponse};
use asxh_core::lists::{IssuerStatus, RevocationReason};
use asxh_core::signature::{self, IssuerKeyId, PublicKey};
use asxh_core::{
    AreaCode, CardSerial, Credential, CredentialBody, Date, Entitlement, Holder, PartialDate,
    PersonName, QrBody, QrCredential, Sex, Ssn,
};
use rusqlite::{params, OptionalExtension};

use super::events::{conflict_on_unique, event, status_column};
use super::lifecycle::{self, CardChange};
use super::replacement;
use super::revocation::revoke_card;
use crate::clock::now;
use crate::error::{Result, ServerError};
use crate::policy::{act, Act, Authorized};
use crate::store::Store;
use crate::{audit, program_index};

/// Years a card is valid.
pub const CARD_VALIDITY_YEARS: u16 = 10;

/// An [`IssueRequest`] whose every field is parsed and valid.
#[derive(Debug, Clone)]
pub struct CheckedIssueRequest {
    pub ssn: Ssn,
    pub dob: PartialDate,
    pub sex: Sex,
    pub area: AreaCode,
    pub holder: Holder,
    pub entitlements: Vec<Entitlement>,
    pub card_key: PublicKey,
    pub replaces: Option<(CardSerial, RevocationReason)>,
}

fn prefixed(prefix: String, e: asxh_core::FormatError) -> ServerError {
    let field = e
        .field_name()
        .map(|f| format!("{prefix}.{f}"))
        .unwrap_or(prefix);
    ServerError::Invalid {
        field: Some(field),
        message: e.to_string(),
    }
}

impl CheckedIssueRequest {
    /// Parses and checks every field, in the order [`issue`] reports problems; touches no store.
    pub fn parse(req: &IssueRequest) -> Result<CheckedIssueRequest> {
        let ssn = Ssn::parse(&req.ssn)?;
        let name = PersonName::parse("full_name", &req.full_name)?;
        let dob = PartialDate::parse("date_of_birth", &req.date_of_birth)?;
        let sex = Sex::parse(&req.sex)?;
        let area = AreaCode::parse(&req.area_code)?;
        let holder = Holder::new(ssn, name, dob, sex, area.clone())?;
        if req.entitlements.len() > asxh_core::credential::MAX_ENTITLEMENTS {
            return Err(ServerError::invalid(
                "entitlements",
                format!("{} entitlements, at most 8", req.entitlements.len()),
            ));
        }
        let entitlements = req
            .entitlements
            .iter()
            .enumerate()
            .map(|(i, e)| {
                e.to_entitlement()
                    .map_err(|err| prefixed(format!("entitlements[{i}]"), err))
            })
            .collect::<Result<Vec<_>>>()?;
        let card_key_bytes = hex::decode(req.card_public_key_hex.trim())
            .map_err(|_| ServerError::invalid("card_public_key_hex", "is not hex"))?;
        let card_key = signature::public_key_from_bytes("card_public_key_hex", &card_key_bytes)?;
        let replaces = req
            .replaces
            .as_ref()
            .map(|r| {
                Ok::<_, ServerError>((
                    CardSerial::parse(&r.serial).map_err(|e| prefixed("replaces".into(), e))?,
                    RevocationReason::parse(&r.reason)
                        .map_err(|e| prefixed("replaces".into(), e))?,
                ))
            })
            .transpose()?;
        Ok(CheckedIssueRequest {
            ssn,
            dob,
            sex,
            area,
            holder,
            entitlements,
            card_key,
            replaces,
        })
    }
}

/// Issues a card (status PENDING) for the office of the grant, for a holder within its reach.
pub fn issue(
    store: &Store,
    grant: &Authorized<act::IssueCards>,
    req: &IssueRequest,
) -> Result<IssueResponse> {
    let office = grant
        .account()
        .and_then(|a| a.office.clone())
        .ok_or_else(|| ServerError::Forbidden("the account has no office".into()))?;
    let CheckedIssueRequest {
        ssn,
        dob,
        sex,
        area,
        holder,
        entitlements,
        card_key,
        replaces,
    } = CheckedIssueRequest::parse(req)?;
    grant.within(&area)?;
    let issuer = store.issuer_key(&office)?;
    let issuer_id = IssuerKeyId::of(issuer.verifying_key());
    let issued = Date::today();
    let expires = issued.add_years(CARD_VALIDITY_YEARS)?;
    let actor = grant.actor();

    store.write(|tx| {
        let status: String = tx.prepare_cached("SELECT status FROM offices WHERE code = ?1")?.query_row([office.as_str()], |r| r.get(0))?;
        let status = IssuerStatus::parse(&status)?;
        if status != IssuerStatus::Active {
            return Err(ServerError::Forbidden(format!("office {office}'s issuer key is {}", status.as_str())));
        }
        if let Some((old, reason)) = replaces {
            let row: Option<(String, CardStatus)> = tx
                .query_row("SELECT ssn, status FROM cards WHERE serial = ?1", [old.number() as i64], |r| Ok((r.get(0)?, status_column(r, 1)?)))
                .optional()?;
            let (old_ssn, old_status) = row.ok_or_else(|| ServerError::NotFound(format!("card {old} to replace does not exist")))?;
            if old_ssn != ssn.to_string() {
                return Err(ServerError::invalid("replaces.serial", format!("card {old} belongs to another SSN")));
            }
            if !lifecycle::allows(old_status, CardChange::Revoke) {
                return Err(ServerError::Conflict(format!("card {old} to replace is {old_status}")));
            }
            revoke_card(tx, old, reason, &actor)?;
        } else {
            let live: Option<(i64, CardStatus)> = tx
                .query_row("SELECT serial, status FROM cards WHERE ssn = ?1 AND status IN ('pending', 'active')", [ssn.to_string()], |r| Ok((r.get(0)?, status_column(r, 1)?)))
                .optional()?;
            if let Some((serial, status)) = live {
                let serial = CardSerial::new(serial as u64)?;
                return Err(ServerError::Conflict(format!("SSN {ssn} already has a {status} card {serial}; issue a replacement (replaces) or revoke it first")));
            }
        }
        let next: i64 = tx.prepare_cached("SELECT COALESCE(MAX(serial), 0) + 1 FROM cards")?.query_row([], |r| r.get(0))?;
        let serial = CardSerial::new(next as u64)?;
        let body = CredentialBody::new(serial, issuer_id, issued, expires, holder.clone(), card_key, entitlements.clone())?;
        let qr = QrCredential::issue(QrBody::for_card(&body), &issuer)?;
        let credential = Credential::issue(body, &issuer)?;
        tx.prepare_cached("INSERT INTO cards (serial, ssn, full_name, date_of_birth, sex, area, office, status, credential, qr_text, issued, expires, replaces, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)")?.execute(params![
                next, ssn.to_string(), holder.name().as_str(), dob.to_string(), sex.code(), area.as_str(), office.as_str(), CardStatus::Pending.as_str(),
                credential.to_bytes(), qr.text(), issued.to_string(), expires.to_string(), replaces.map(|(s, _)| s.number() as i64), now()
            ],
        )
        .map_err(|e| conflict_on_unique(e, &format!("SSN {ssn} already has a live card")))?;
        event(tx, serial, "issued", &actor, &format!("pending; office {office}"))?;
        replacement::link_new_card(tx, &ssn, serial)?;
        program_index::index(tx, serial, credential.body().entitlements())?;
        audit::append(tx, &actor, "card.issue", &serde_json::json!({"serial": serial.to_string(), "office": office.as_str(), "replaces": replaces.map(|(s, _)| s.to_string())}))?;
        Ok(IssueResponse {
            serial: serial.to_string(),
            credential_hex: hex::encode(credential.to_bytes()),
            qr_text: qr.text().to_owned(),
            issuer_key_id_hex: issuer_id.to_hex(),
            expires: expires.to_string(),
        })
    })
}

/// Moves the office's PENDING card to ACTIVE: personalized and read back.
pub fn activate(
    store: &Store,
    grant: &Authorized<act::ActivateCards>,
    serial: CardSerial,
) -> Result<()> {
    finish(store, grant, serial, CardChange::Activate)
}

/// Moves the office's PENDING card to VOID: personalization failed, the card was never used.
pub fn void(store: &Store, grant: &Authorized<act::VoidCards>, serial: CardSerial) -> Result<()> {
    finish(store, grant, serial, CardChange::Void)
}

fn finish<A: Act>(
    store: &Store,
    grant: &Authorized<A>,
    serial: CardSerial,
    change: CardChange,
) -> Result<()> {
    let actor = grant.actor();
    let target = change.target();
    store.write(|tx| {
        let row: Option<(String, CardStatus)> = tx
            .query_row(
                "SELECT office, status FROM cards WHERE serial = ?1",
                [serial.number() as i64],
                |r| Ok((r.get(0)?, status_column(r, 1)?)),
            )
            .optional()?;
        let (office, status) =
            row.ok_or_else(|| ServerError::NotFound(format!("no card {serial}")))?;
        if !grant.covers_office(&office) {
            return Err(ServerError::Forbidden(format!(
                "card {serial} was issued by another office"
            )));
        }
        if status == target {
            return Ok(());
        }
        if !lifecycle::allows(status, change) {
            return Err(ServerError::Conflict(format!(
                "card {serial} is {status}, not pending"
            )));
        }
        tx.prepare_cached("UPDATE cards SET status = ?1 WHERE serial = ?2")?
            .execute(params![target.as_str(), serial.number() as i64])?;
        if change == CardChange::Void {
            replacement::unlink_voided(tx, serial)?;
        }
        let (what, action) = match change {
            CardChange::Void => ("voided", "card.void"),
            _ => ("activated", "card.activate"),
        };
        event(tx, serial, what, &actor, "")?;
        audit::append(
            tx,
            &actor,
            action,
            &serde_json::json!({"serial": serial.to_string()}),
        )
    })
}
