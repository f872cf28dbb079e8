//! Base levels (mức chuẩn trợ giúp xã hội) per program from a month: the national one, set at
//! the command line (the ministry's decree), and a province's own, set by an administrator of
//! the province. One action, audited; setting the level of a month already set corrects it.
//! Amounts are computed from the levels whenever a roll is made ([`super::due`]), so every
//! amount the change affects follows it.

use asxh_core::lists::Month;
use asxh_core::{AreaCode, ProgramCode};
use rusqlite::{params, Connection, OptionalExtension};

use super::types::BaseLevelChange;
use crate::amounts::BaseLevel;
use crate::audit;
use crate::clock::now;
use crate::error::{Result, ServerError};
use crate::policy::{act, Authorized};
use crate::scope::Scope;
use crate::store::Store;

/// A base level with the decree that set it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseLevelRow {
    pub level: BaseLevel,
    pub decree: String,
}

/// Sets a base level; returns the amount it replaced for the same program, province and month.
pub fn set_base_level(
    store: &Store,
    grant: &Authorized<act::SetBaseLevels>,
    change: BaseLevelChange,
) -> Result<Option<u64>> {
    match &change.province {
        Some(p) => grant.within(p)?,
        None if grant.scope() == Scope::Everywhere => {}
        None => {
            return Err(ServerError::Forbidden(
                "the national base level is set by the ministry; an account sets its province's own (give province)".into(),
            ))
        }
    }
    let actor = grant.actor();
    store.write_batched(move |tx| {
        let province = change.province.as_ref().map_or("", AreaCode::as_str);
        let key = params![change.program.as_str(), province, change.from.to_string()];
        let before: Option<i64> = tx
            .prepare_cached("SELECT amount_vnd FROM base_levels WHERE program = ?1 AND province = ?2 AND from_month = ?3")?
            .query_row(key, |r| r.get(0))
            .optional()?;
        tx.prepare_cached(
            "INSERT INTO base_levels (program, province, from_month, amount_vnd, decree, set_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT (program, province, from_month) DO UPDATE SET amount_vnd = excluded.amount_vnd, decree = excluded.decree, set_at = excluded.set_at",
        )?
        .execute(params![
            change.program.as_str(),
            province,
            change.from.to_string(),
            change.amount_vnd as i64,
            change.decree,
            now()
        ])?;
        audit::append(
            tx,
            &actor,
            "base_level.set",
            change.province.as_ref(),
            &serde_json::json!({
                "program": change.program.as_str(),
                "province": change.province.as_ref().map(AreaCode::as_str),
                "from": change.from.to_string(),
                "amount_vnd": change.amount_vnd,
                "replaced_vnd": before,
                "decree": change.decree,
            }),
        )?;
        Ok(before.map(|a| a as u64))
    })
}

/// Every base level, by program, province and month.
pub fn base_levels(conn: &Connection) -> Result<Vec<BaseLevelRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT program, province, from_month, amount_vnd, decree FROM base_levels ORDER BY program, province, from_month",
    )?;
    let rows = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, String>(4)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter()
        .map(|(program, province, from, amount, decree)| {
            Ok(BaseLevelRow {
                level: BaseLevel {
                    program: ProgramCode::parse(&program)?,
                    province: (!province.is_empty())
                        .then(|| AreaCode::parse(&province))
                        .transpose()?,
                    from: Month::parse("from_month", &from)?,
                    amount_vnd: amount as u64,
                },
                decree,
            })
        })
        .collect()
}
