//! Issuing a card for an office: the request checked into typed values, the serial allocated,
//! the one-live-card-per-SSN rule (or the replaced card revoked), the card credential and its QR
//! credential signed with the office's key (before the write, which is group-committed with the
//! writes beside it); then activation or void once the office has written the card, or failed to.

use asxh_api::{CardStatus, IssueRequest, IssueResponse};
use asxh_core::lists::RevocationReason;
use asxh_core::signature::{self, PublicKey};
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
use crate::{audit, name_index, program_index};

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

/// Whether a date of birth known to the year, month or day is after `today`.
fn born_after(dob: PartialDate, today: Date) -> bool {
    let (y, m, d) = (today.year() as u16, today.month(), today.day());
    match dob {
        PartialDate::Year(year) => year > y,
        PartialDate::YearMonth(year, month) => (year, month) > (y, m),
        PartialDate::Full(year, month, day) => (year, month, day) > (y, m, d),
    }
}

/// Private keys a card would only have if its generator were broken: ±1 … ±[`WEAK_SCALARS`].
const WEAK_SCALARS: u64 = 256;

/// Whether `key` is k·G or −k·G for a small k (the generator itself for k = 1).
fn is_weak(key: &PublicKey) -> bool {
    use p256::elliptic_curve::sec1::ToEncodedPoint;
    use p256::ProjectivePoint;
    static WEAK: std::sync::OnceLock<std::collections::HashSet<Vec<u8>>> =
        std::sync::OnceLock::new();
    let weak = WEAK.get_or_init(|| {
        let mut set = std::collections::HashSet::new();
        let mut point = ProjectivePoint::IDENTITY;
        for _ in 0..WEAK_SCALARS {
            point += ProjectivePoint::GENERATOR;
            for p in [point, -point] {
                set.insert(p.to_affine().to_encoded_point(false).as_bytes().to_vec());
            }
        }
        set
    });
    weak.contains(signature::public_key_bytes(key).as_slice())
}

impl CheckedIssueRequest {
    /// Parses and checks every field, in the order [`issue`] reports problems; touches no store.
    pub fn parse(req: &IssueRequest) -> Result<CheckedIssueRequest> {
        let ssn = Ssn::parse(&req.ssn)?;
        let name = PersonName::parse("full_name", &req.full_name)?;
        let dob = PartialDate::parse("date_of_birth", &req.date_of_birth)?;
        if born_after(dob, Date::today()) {
            return Err(ServerError::invalid(
                "date_of_birth",
                format!("{dob} is in the future"),
            ));
        }
        let sex = Sex::parse(&req.sex)?;
        let area = AreaCode::parse(&req.area_code)?;
        crate::areas::check_in_force("area_code", &area, Date::today())?;
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
        for (i, e) in entitlements.iter().enumerate() {
            if let Some(first) = entitlements[..i]
                .iter()
                .position(|o| o.program() == e.program())
            {
                return Err(ServerError::invalid(
                    format!("entitlements[{i}].program"),
                    format!(
                        "program {} is already entitlements[{first}]: a holder has one entitlement per program (the highest category)",
                        e.program().as_str()
                    ),
                ));
            }
        }
        let card_key_bytes = hex::decode(req.card_public_key_hex.trim())
            .map_err(|_| ServerError::invalid("card_public_key_hex", "is not hex"))?;
        let card_key = signature::public_key_from_bytes("card_public_key_hex", &card_key_bytes)?;
        if is_weak(&card_key) {
            return Err(ServerError::invalid(
                "card_public_key_hex",
                "is the public key of a trivial private key (such as the generator, private key 1): a card generates its key at random; personalize a new blank card",
            ));
        }
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
    let issuer_id = store.read(|c| super::offices::active_issuer_key(c, &office))?;
    let issuer = store.issuer_key(&office, issuer_id)?;
    let issued = Date::today();
    let expires = issued.add_years(CARD_VALIDITY_YEARS)?;
    let actor = grant.actor();
    // The serial is reserved and both signatures made before the write: concurrent issuances
    // sign in parallel and are group-committed together, one fsync for the batch. A serial
    // whose issuance is then refused stays unused.
    let serial = CardSerial::new(store.reserve_serial()? as u64)?;
    let body = CredentialBody::new(
        serial,
        issuer_id,
        issued,
        expires,
        holder.clone(),
        card_key,
        entitlements.clone(),
    )?;
    let qr = QrCredential::issue(QrBody::for_card(&body), &issuer)?;
    let credential = Credential::issue(body, &issuer)?;
    let grant = grant.clone();

    store.write_batched(move |tx| {
        // The key may have been rotated, retired or revoked since it was read.
        if super::offices::active_issuer_key(tx, &office)? != issuer_id {
            return Err(ServerError::Conflict(format!("office {office}'s issuer key changed while the card was being issued; send the request again")));
        }
        if let Some((old, reason)) = replaces {
            // Replacing revokes the old card: the account must reach it, as a revocation would,
            // and be able to issue where it is. A card out of reach is answered as unknown.
            let replacing = grant.and::<act::ReplaceCards>()?;
            let row: Option<(String, CardStatus, String)> = tx
                .prepare_cached("SELECT ssn, status, area FROM cards WHERE serial = ?1")?
                .query_row([old.number() as i64], |r| Ok((r.get(0)?, status_column(r, 1)?, r.get(2)?)))
                .optional()?;
            let reached = |area: &str| AreaCode::parse(area).is_ok_and(|a| replacing.covers(&a) && grant.covers(&a));
            let (old_ssn, old_status, _) = row
                .filter(|(_, _, area)| reached(area))
                .ok_or_else(|| ServerError::NotFound(format!("card {old} to replace does not exist")))?;
            if old_ssn != ssn.to_string() {
                return Err(ServerError::invalid("replaces.serial", format!("card {old} belongs to another SSN")));
            }
            if !lifecycle::allows(old_status, CardChange::Revoke) {
                return Err(ServerError::Conflict(format!("card {old} to replace is {old_status}")));
            }
            revoke_card(tx, old, reason, &actor)?;
        } else {
            let live: Option<(i64, CardStatus, String)> = tx
                .prepare_cached("SELECT serial, status, area FROM cards WHERE ssn = ?1 AND status IN ('pending', 'active')")?
                .query_row([ssn.to_string()], |r| Ok((r.get(0)?, status_column(r, 1)?, r.get(2)?)))
                .optional()?;
            if let Some((serial, status, card_area)) = live {
                let serial = CardSerial::new(serial as u64)?;
                return Err(ServerError::Conflict(if AreaCode::parse(&card_area).is_ok_and(|a| grant.covers(&a)) {
                    format!("SSN {ssn} already has a {status} card {serial}; issue a replacement (replaces) or revoke it first")
                } else {
                    format!("SSN {ssn} already has a live card issued in another area; that area's office or administrator can replace or revoke it")
                }));
            }
        }
        let card_key_bytes = signature::public_key_bytes(&card_key).to_vec();
        let used: Option<i64> = tx.prepare_cached("SELECT serial FROM cards WHERE card_key = ?1 LIMIT 1")?.query_row([&card_key_bytes], |r| r.get(0)).optional()?;
        if used.is_some() {
            return Err(ServerError::invalid("card_public_key_hex", "is the key of a card already issued: a copied card, or a personalizer that reuses keys; personalize a new blank card"));
        }
        tx.prepare_cached("INSERT INTO cards (serial, ssn, full_name, date_of_birth, sex, area, office, status, credential, qr_text, issued, expires, replaces, created_at, card_key)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)")?.execute(params![
                serial.number() as i64, ssn.to_string(), holder.name().as_str(), dob.to_string(), sex.code(), area.as_str(), office.as_str(), CardStatus::Pending.as_str(),
                credential.to_bytes(), qr.text(), issued.to_string(), expires.to_string(), replaces.map(|(s, _)| s.number() as i64), now(), card_key_bytes
            ],
        )
        .map_err(|e| conflict_on_unique(e, &format!("SSN {ssn} already has a live card")))?;
        event(tx, serial, "issued", &actor, &format!("pending; office {office}"))?;
        replacement::link_new_card(tx, &ssn, serial)?;
        program_index::index(tx, serial, credential.body().entitlements())?;
        name_index::index(tx, serial, &area, holder.name().as_str())?;
        audit::append(tx, &actor, "card.issue", Some(&area), &serde_json::json!({"serial": serial.to_string(), "office": office.as_str(), "replaces": replaces.map(|(s, _)| s.to_string())}))?;
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
        let row: Option<(String, CardStatus, String)> = tx
            .query_row(
                "SELECT office, status, area FROM cards WHERE serial = ?1",
                [serial.number() as i64],
                |r| Ok((r.get(0)?, status_column(r, 1)?, r.get(2)?)),
            )
            .optional()?;
        let (office, status, area) = row
            .and_then(|(office, status, area)| Some((office, status, AreaCode::parse(&area).ok()?)))
            .filter(|(_, _, area)| grant.covers(area))
            .ok_or_else(|| ServerError::NotFound(format!("no card {serial}")))?;
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
            Some(&area),
            &serde_json::json!({"serial": serial.to_string()}),
        )
    })
}

/// Fills `cards.card_key` of cards issued before the column existed, from their credentials.
pub(crate) fn index_card_keys(tx: &rusqlite::Transaction<'_>) -> Result<()> {
    let cards: Vec<(i64, Vec<u8>)> = tx
        .prepare("SELECT serial, credential FROM cards WHERE card_key IS NULL")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut set = tx.prepare("UPDATE cards SET card_key = ?1 WHERE serial = ?2")?;
    for (serial, credential) in cards {
        if let Ok((_, key)) =
            asxh_core::SignedCredential::parse(&credential).and_then(|c| c.card_binding())
        {
            set.execute(params![key.to_vec(), serial])?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_birth_date_known_to_the_year_or_month_is_future_only_when_all_of_it_is() {
        let today = Date::parse("d", "2026-12-01").unwrap();
        for (dob, future) in [
            ("2026", false),
            ("2027", true),
            ("2026-12", false),
            ("2027-01", true),
            ("2026-12-01", false),
            ("2026-12-02", true),
            ("1946-08-19", false),
        ] {
            let d = PartialDate::parse("dob", dob).unwrap();
            assert_eq!(born_after(d, today), future, "{dob}");
        }
    }

    #[test]
    fn small_multiples_of_the_generator_are_weak_keys_and_a_random_key_is_not() {
        let point = |p: p256::ProjectivePoint| {
            p256::ecdsa::VerifyingKey::from_affine(p.to_affine()).unwrap()
        };
        let key_of = |k: u64| point(p256::ProjectivePoint::GENERATOR * p256::Scalar::from(k));
        for k in [1, 2, 255, 256] {
            assert!(is_weak(&key_of(k)), "{k}·G");
        }
        assert!(is_weak(&point(-p256::ProjectivePoint::GENERATOR)));
        assert!(!is_weak(&key_of(257)));
        assert!(!is_weak(asxh_testkit::test_key("a card").verifying_key()));
    }
}
