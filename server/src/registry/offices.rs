//! Issuing offices: adding one (a new issuer key, added to the trust list) and listing them.

use asxh_core::lists::{check_text, OfficeCode};
use asxh_core::signature::{self, IssuerKeyId};
use asxh_core::{AreaCode, Date};
use rusqlite::{params, OptionalExtension};
use serde::Serialize;

use super::events::conflict_on_unique;
use super::issuance::CARD_VALIDITY_YEARS;
use crate::audit;
use crate::clock::now;
use crate::error::{Result, ServerError};
use crate::policy::{act, Authorized};
use crate::publish;
use crate::scope;
use crate::store::Store;

/// Creates an issuing office in `area` (within the grant's reach) with a new issuer key, and adds
/// it to the trust list.
pub fn add_office(
    store: &Store,
    grant: &Authorized<act::AddOffices>,
    code: &OfficeCode,
    name: &str,
    area: &AreaCode,
) -> Result<IssuerKeyId> {
    grant.within(area)?;
    let actor = grant.actor();
    let name = check_text("name", name)?;
    let exists: bool = store.read(|c| {
        Ok(c.prepare_cached("SELECT 1 FROM offices WHERE code = ?1")?
            .query_row([code.as_str()], |_| Ok(()))
            .optional()?
            .is_some())
    })?;
    if exists {
        return Err(ServerError::Conflict(format!(
            "office {code} already exists"
        )));
    }
    let key = store.create_issuer_key(code)?;
    let public = *key.verifying_key();
    let key_id = IssuerKeyId::of(&public);
    let from = Date::today();
    let until = from.add_years(CARD_VALIDITY_YEARS * 2)?;
    store.write(|tx| {
        tx.prepare_cached("INSERT INTO offices (code, name, area, key_id, public_key, valid_from, valid_until, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")?.execute(params![code.as_str(), name, area.as_str(), key_id.to_hex(), signature::public_key_bytes(&public).to_vec(), from.to_string(), until.to_string(), now()],
        )
        .map_err(|e| conflict_on_unique(e, &format!("office {code} already exists")))?;
        publish::trust_list_changed(tx)?;
        audit::append(tx, &actor, "office.add", &serde_json::json!({"office": code.as_str(), "area": area.as_str(), "key_id": key_id.to_hex()}))
    })?;
    Ok(key_id)
}

/// An issuing office as the console lists it.
#[derive(Debug, Clone, Serialize)]
pub struct OfficeSummary {
    pub code: String,
    pub name: String,
    pub area_code: String,
    pub key_id_hex: String,
    pub status: String,
    pub valid_from: String,
    pub valid_until: String,
    pub cards: u64,
}

/// The offices within the grant's reach, by code.
pub fn offices_in(
    store: &Store,
    grant: &Authorized<act::ManageOffices>,
) -> Result<Vec<OfficeSummary>> {
    let (area, below) = grant.scope().params();
    store.read(|c| {
        let mut stmt = c.prepare(&format!(
            "SELECT o.code, o.name, o.area, o.key_id, o.status, o.valid_from, o.valid_until,
                    (SELECT COUNT(*) FROM cards WHERE office = o.code AND status != 'void')
             FROM offices o WHERE {} ORDER BY o.code",
            scope::within("o.area", 1)
        ))?;
        let rows = stmt
            .query_map(params![area, below], |r| {
                Ok(OfficeSummary {
                    code: r.get(0)?,
                    name: r.get(1)?,
                    area_code: r.get(2)?,
                    key_id_hex: r.get(3)?,
                    status: r.get(4)?,
                    valid_from: r.get(5)?,
                    valid_until: r.get(6)?,
                    cards: r.get::<_, i64>(7)? as u64,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    })
}
