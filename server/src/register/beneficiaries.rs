//! Beneficiaries (người thụ hưởng) of the register: an SSN with the name and the commune of
//! residence, which decides whose roll pays them. Registered or changed (a move, a corrected
//! name) by data entry within its area; a move out of the area is made by whoever covers both.

use asxh_core::{AreaCode, Date, PersonName, Ssn};
use rusqlite::{params, OptionalExtension};

use crate::audit;
use crate::clock::now;
use crate::error::{Result, ServerError};
use crate::policy::{act, Authorized};
use crate::store::Store;

/// A beneficiary as the register keeps them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Beneficiary {
    pub ssn: Ssn,
    pub name: PersonName,
    pub area: AreaCode,
}

/// Registers a beneficiary, or changes the name or residence of one already there. Returns
/// whether they were new.
pub fn put_beneficiary(
    store: &Store,
    grant: &Authorized<act::RecordEntitlements>,
    beneficiary: Beneficiary,
) -> Result<bool> {
    grant.within(&beneficiary.area)?;
    crate::areas::check_in_force("area", &beneficiary.area, Date::today())?;
    let actor = grant.actor();
    let grant = grant.clone();
    store.write_batched(move |tx| {
        let before: Option<(String, String)> = tx
            .prepare_cached("SELECT full_name, area FROM beneficiaries WHERE ssn = ?1")?
            .query_row([beneficiary.ssn.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        let at = now();
        let ssn = beneficiary.ssn.to_string();
        let (name, area) = (beneficiary.name.as_str(), beneficiary.area.as_str());
        match &before {
            Some((old_name, old_area)) => {
                if !grant.covers(&AreaCode::parse(old_area)?) {
                    return Err(ServerError::Forbidden(format!(
                        "beneficiary {ssn} lives in {old_area}, outside this account's reach"
                    )));
                }
                if old_name == name && old_area == area {
                    return Ok(false);
                }
                tx.prepare_cached("UPDATE beneficiaries SET full_name = ?2, area = ?3, updated_at = ?4 WHERE ssn = ?1")?
                    .execute(params![ssn, name, area, at])?;
                audit::append(
                    tx,
                    &actor,
                    "beneficiary.change",
                    Some(&beneficiary.area),
                    &serde_json::json!({"ssn": ssn, "from_area": old_area, "name_changed": old_name != name}),
                )?;
                Ok(false)
            }
            None => {
                tx.prepare_cached("INSERT INTO beneficiaries (ssn, full_name, area, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?4)")?
                    .execute(params![ssn, name, area, at])?;
                audit::append(tx, &actor, "beneficiary.add", Some(&beneficiary.area), &serde_json::json!({"ssn": ssn}))?;
                Ok(true)
            }
        }
    })
}

/// The beneficiary of `ssn` if the grant reaches where they live (one out of reach is answered
/// as one not registered).
pub fn beneficiary<A: crate::policy::Act>(
    conn: &rusqlite::Connection,
    grant: &Authorized<A>,
    ssn: Ssn,
) -> Result<Beneficiary> {
    let row: Option<(String, String)> = conn
        .prepare_cached("SELECT full_name, area FROM beneficiaries WHERE ssn = ?1")?
        .query_row([ssn.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let not_found = || ServerError::NotFound(format!("no beneficiary {ssn} in the register"));
    let (name, area) = row.ok_or_else(not_found)?;
    let area = AreaCode::parse(&area)?;
    if !grant.covers(&area) {
        return Err(not_found());
    }
    Ok(Beneficiary {
        ssn,
        name: PersonName::parse("full_name", &name)?,
        area,
    })
}
