//! Accounts and authentication. A token is shown once when the account is made; only its
//! SHA-256 is stored. Every account has a role and an area; what each role may do where is the
//! table of [`crate::policy`].

use asxh_core::lists::{check_text, OfficeCode};
use asxh_core::AreaCode;
use rand_core::{OsRng, RngCore};
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use sha2::{Digest, Sha256};

use crate::audit;
use crate::clock::now;
use crate::error::{Result, ServerError};
use crate::policy::{act, Authorized};
pub use crate::policy::{Account, Role};
use crate::scope::Scope;

fn token_hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.trim().as_bytes()).to_vec()
}

/// Creates an account within the grant's reach and returns its id and token (shown once). An
/// office account belongs to an office (within reach) and gets the office's area unless
/// narrowed; any other account needs an area: an administrator's own unless narrowed. The
/// label (optional) is free text checked like an office name.
pub fn add_account(
    tx: &Transaction<'_>,
    grant: &Authorized<act::CreateAccounts>,
    role: Role,
    office: Option<&OfficeCode>,
    area: Option<&AreaCode>,
    label: Option<&str>,
) -> Result<(i64, String)> {
    let label = label.map(|l| check_text("label", l)).transpose()?;
    if let (Some(o), Scope::Within(own)) = (office, grant.scope()) {
        let office_area = office_area(tx, o)?;
        if !office_area.is_some_and(|a| own.contains(&a)) {
            return Err(ServerError::Forbidden(format!(
                "office {o} is not within area {own}"
            )));
        }
    }
    if let Some(a) = area {
        grant.within(a)?;
        crate::areas::check_in_force("area", a, asxh_core::Date::today())?;
    }
    let own_area = grant.account().map(|a| a.area.clone());
    let area = match role {
        Role::Office => area.cloned(),
        _ => area.cloned().or(own_area),
    };
    let area = match (role, office, area.as_ref()) {
        (Role::Office, None, _) => {
            return Err(ServerError::invalid(
                "office",
                "an office account needs --office",
            ))
        }
        (Role::Office, Some(o), given) => {
            let office_area = office_area(tx, o)?
                .ok_or_else(|| ServerError::NotFound(format!("no office {o}")))?;
            match given {
                Some(a) if !office_area.contains(a) => {
                    return Err(ServerError::invalid(
                        "area",
                        format!("{a} is outside office {o}'s area {office_area}"),
                    ))
                }
                Some(a) => a.clone(),
                None => office_area,
            }
        }
        (_, Some(_), _) => {
            return Err(ServerError::invalid(
                "office",
                "only office accounts belong to an office",
            ))
        }
        (_, None, Some(a)) => a.clone(),
        (_, None, None) => {
            return Err(ServerError::invalid(
                "area",
                "the account needs --area (a province code covers the province)",
            ))
        }
    };
    let mut raw = [0u8; 24];
    OsRng.fill_bytes(&mut raw);
    let token = format!("asxh_{}", hex::encode(raw));
    tx.prepare_cached("INSERT INTO accounts (role, office, area, token_hash, created_at, label) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")?.execute(params![role.as_str(), office.map(|o| o.as_str().to_owned()), area.as_str(), token_hash(&token), now(), label],
    )?;
    let id = tx.last_insert_rowid();
    audit::append(
        tx,
        &grant.actor(),
        "account.add",
        Some(&area),
        &serde_json::json!({"account": id, "role": role.as_str(), "office": office.map(|o| o.as_str()), "area": area.as_str(), "label": label}),
    )?;
    Ok((id, token))
}

fn office_area(tx: &Transaction<'_>, office: &OfficeCode) -> Result<Option<AreaCode>> {
    let area: Option<String> = tx
        .query_row(
            "SELECT area FROM offices WHERE code = ?1",
            [office.as_str()],
            |r| r.get(0),
        )
        .optional()?;
    Ok(area.map(|a| AreaCode::parse(&a)).transpose()?)
}

/// Revokes an account within the grant's reach: its token stops working at once.
pub fn revoke_account(
    tx: &Transaction<'_>,
    grant: &Authorized<act::RevokeAccounts>,
    id: i64,
) -> Result<()> {
    let area: String = tx
        .query_row("SELECT area FROM accounts WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .optional()?
        .ok_or_else(|| ServerError::NotFound(format!("no account {id}")))?;
    let area = AreaCode::parse(&area)?;
    grant.within(&area)?;
    let n = tx
        .prepare_cached("UPDATE accounts SET revoked_at = ?1 WHERE id = ?2 AND revoked_at IS NULL")?
        .execute(params![now(), id])?;
    if n == 0 {
        return Err(ServerError::NotFound(format!("no active account {id}")));
    }
    audit::append(
        tx,
        &grant.actor(),
        "account.revoke",
        Some(&area),
        &serde_json::json!({"account": id}),
    )
}

/// The account a bearer token belongs to.
pub fn authenticate(conn: &Connection, authorization: Option<&str>) -> Result<Account> {
    // The scheme is case-insensitive (RFC 7235 §2.1).
    let token = authorization
        .and_then(|h| h.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token)
        .ok_or(ServerError::Unauthorized)?;
    let id: i64 = conn
        .prepare_cached("SELECT id FROM accounts WHERE token_hash = ?1 AND revoked_at IS NULL")?
        .query_row([token_hash(token)], |r| r.get(0))
        .optional()?
        .ok_or(ServerError::Unauthorized)?;
    active_account(conn, id)?.ok_or(ServerError::Unauthorized)
}

/// An account as the console lists it (never its token).
#[derive(Debug, Clone, serde::Serialize)]
pub struct AccountSummary {
    pub id: i64,
    pub role: String,
    pub office: Option<String>,
    pub area_code: String,
    pub created_at: i64,
    pub revoked_at: Option<i64>,
    pub label: Option<String>,
}

/// The accounts within the grant's reach, by id.
pub fn accounts_in(
    conn: &Connection,
    grant: &Authorized<act::ManageOffices>,
) -> Result<Vec<AccountSummary>> {
    let (area, below) = grant.scope().params();
    let mut stmt = conn.prepare(&format!(
        "SELECT id, role, office, area, created_at, revoked_at, label FROM accounts WHERE {} ORDER BY id",
        grant.scope().within("area", 1)
    ))?;
    let rows = stmt
        .query_map(params![area, below], |r| {
            Ok(AccountSummary {
                id: r.get(0)?,
                role: r.get(1)?,
                office: r.get(2)?,
                area_code: r.get(3)?,
                created_at: r.get(4)?,
                revoked_at: r.get(5)?,
                label: r.get(6)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The account with `id`, if it exists and is not revoked (a console session re-checks this on
/// every request, so revoking an account ends its sessions at once).
pub fn active_account(conn: &Connection, id: i64) -> Result<Option<Account>> {
    let row: Option<(String, Option<String>, String)> = conn
        .prepare_cached(
            "SELECT role, office, area FROM accounts WHERE id = ?1 AND revoked_at IS NULL",
        )?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    row.map(|(role, office, area)| {
        Ok(Account {
            id,
            role: Role::parse(&role)?,
            office: office.map(|o| OfficeCode::parse(&o)).transpose()?,
            area: AreaCode::parse(&area)?,
        })
    })
    .transpose()
}
