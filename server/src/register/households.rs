//! Households (hộ gia đình) and their members. Poor and near-poor status (HN, HCN) is decided
//! per household: a decision for a household applies to whoever is its member when a roll is
//! made. A beneficiary is a member of one household at a time; joining another leaves the
//! first.

use asxh_core::{AreaCode, Date, Ssn};
use rusqlite::{params, OptionalExtension, Transaction};

use super::types::HouseholdCode;
use crate::audit;
use crate::clock::now;
use crate::error::{Result, ServerError};
use crate::policy::{act, Act, Authorized};
use crate::store::Store;

/// A household and its members, in SSN order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Household {
    pub code: HouseholdCode,
    pub area: AreaCode,
    pub members: Vec<Ssn>,
}

/// The area of household `code` if the grant reaches it (one out of reach does not exist).
pub(crate) fn household_area<A: Act>(
    conn: &rusqlite::Connection,
    grant: &Authorized<A>,
    code: &HouseholdCode,
) -> Result<AreaCode> {
    let area: Option<String> = conn
        .prepare_cached("SELECT area FROM households WHERE code = ?1")?
        .query_row([code.as_str()], |r| r.get(0))
        .optional()?;
    area.map(|a| AreaCode::parse(&a))
        .transpose()?
        .filter(|a| grant.covers(a))
        .ok_or_else(|| ServerError::NotFound(format!("no household {code} in the register")))
}

/// Registers a household in `area` (409 if the code is taken).
pub fn add_household(
    store: &Store,
    grant: &Authorized<act::RecordEntitlements>,
    code: HouseholdCode,
    area: AreaCode,
) -> Result<()> {
    grant.within(&area)?;
    crate::areas::check_in_force("area", &area, Date::today())?;
    let actor = grant.actor();
    store.write_batched(move |tx| {
        let taken: bool = tx
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM households WHERE code = ?1)")?
            .query_row([code.as_str()], |r| r.get(0))?;
        if taken {
            return Err(ServerError::Conflict(format!(
                "household {code} is already registered"
            )));
        }
        tx.prepare_cached("INSERT INTO households (code, area, created_at) VALUES (?1, ?2, ?3)")?
            .execute(params![code.as_str(), area.as_str(), now()])?;
        audit::append(
            tx,
            &actor,
            "household.add",
            Some(&area),
            &serde_json::json!({"household": code.as_str()}),
        )
    })
}

/// Makes the beneficiary `ssn` a member of household `code` (leaving any other).
pub fn add_member(
    store: &Store,
    grant: &Authorized<act::RecordEntitlements>,
    code: HouseholdCode,
    ssn: Ssn,
) -> Result<()> {
    let grant = grant.clone();
    store.write_batched(move |tx| {
        let area = household_area(tx, &grant, &code)?;
        super::beneficiaries::beneficiary(tx, &grant, ssn)?;
        let before = member_of(tx, ssn)?;
        if before.as_ref() == Some(&code) {
            return Ok(());
        }
        tx.prepare_cached(
            "INSERT INTO household_members (ssn, household, joined_at) VALUES (?1, ?2, ?3)
             ON CONFLICT (ssn) DO UPDATE SET household = excluded.household, joined_at = excluded.joined_at",
        )?
        .execute(params![ssn.to_string(), code.as_str(), now()])?;
        audit::append(
            tx,
            &grant.actor(),
            "household.member",
            Some(&area),
            &serde_json::json!({"household": code.as_str(), "ssn": ssn.to_string(), "left": before.map(|h| h.as_str().to_owned())}),
        )
    })
}

fn member_of(tx: &Transaction<'_>, ssn: Ssn) -> Result<Option<HouseholdCode>> {
    let code: Option<String> = tx
        .prepare_cached("SELECT household FROM household_members WHERE ssn = ?1")?
        .query_row([ssn.to_string()], |r| r.get(0))
        .optional()?;
    code.map(|c| HouseholdCode::parse(&c)).transpose()
}

/// Household `code` with its members, if the grant reaches it.
pub fn household(
    conn: &rusqlite::Connection,
    grant: &Authorized<act::ReadEntitlements>,
    code: &HouseholdCode,
) -> Result<Household> {
    let area = household_area(conn, grant, code)?;
    let mut stmt =
        conn.prepare_cached("SELECT ssn FROM household_members WHERE household = ?1 ORDER BY ssn")?;
    let members = stmt
        .query_map([code.as_str()], |r| r.get::<_, String>(0))?
        .map(|s| Ok(Ssn::parse(&s?)?))
        .collect::<Result<Vec<_>>>()?;
    Ok(Household {
        code: code.clone(),
        area,
        members,
    })
}
