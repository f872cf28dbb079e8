//! Payment points and their keys: the first key registered for a code binds the code to the
//! payment-point account that registered it (the point's area is the account's); the same key
//! again changes nothing; another key from the same account is a rotation, which retires the key
//! before it (receipts paid while it was active still verify with it).

use asxh_api::payments::PointKey;
use asxh_core::lists::OfficeCode;
use asxh_core::signature::{self, IssuerKeyId, PublicKey};
use asxh_core::AreaCode;
use rusqlite::{params, Connection, OptionalExtension};

use crate::audit;
use crate::clock;
use crate::error::{Result, ServerError};
use crate::policy::{act, Authorized};
use crate::store::Store;

/// What a key registration did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Registration {
    /// The code's first key: the code is now the account's.
    Bound,
    /// The key was already the code's active key.
    Unchanged,
    /// The key replaced the code's active key, now retired.
    Rotated,
}

/// The point's code from its path segment: 400 when it is not of the office-code form.
pub fn parse_code(text: &str) -> Result<OfficeCode> {
    OfficeCode::parse(text).map_err(|e| {
        ServerError::bad_request(
            "code",
            format!("{e}; a payment point's code is 2 to 16 of A-Z 0-9 - _"),
        )
    })
}

/// The point's key from its hex form: 400 when it is not an uncompressed P-256 point.
pub fn parse_key(hex_text: &str) -> Result<PublicKey> {
    let bytes = hex::decode(hex_text.trim()).map_err(|_| {
        ServerError::bad_request(
            "public_key_hex",
            "not hexadecimal; expected 130 hex characters (SEC1 uncompressed P-256, 04…)",
        )
    })?;
    signature::public_key_from_bytes("public_key_hex", &bytes).map_err(|e| {
        ServerError::bad_request(
            "public_key_hex",
            format!("{e}; expected 130 hex characters (SEC1 uncompressed P-256, 04…)"),
        )
    })
}

/// The account a point's code is bound to, and the point's area.
pub(crate) fn point_of(conn: &Connection, code: &OfficeCode) -> Result<Option<(i64, AreaCode)>> {
    let row = conn
        .prepare_cached("SELECT account, area FROM payment_points WHERE code = ?1")?
        .query_row([code.as_str()], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
        })
        .optional()?;
    row.map(|(account, area)| Ok((account, AreaCode::parse(&area)?)))
        .transpose()
}

/// The point's keys that were not retired before `at` (Unix seconds): those a receipt paid at
/// `at` may be signed with. A key registered after `at` counts (a point pays offline before
/// its first upload registers the key it made).
pub(crate) fn keys_at(conn: &Connection, code: &OfficeCode, at: u64) -> Result<Vec<PublicKey>> {
    let mut stmt = conn.prepare_cached(
        "SELECT public_key FROM payment_point_keys
         WHERE code = ?1 AND (valid_to IS NULL OR valid_to > ?2) ORDER BY id DESC",
    )?;
    let keys = stmt
        .query_map(params![code.as_str(), at as i64], |r| {
            r.get::<_, Vec<u8>>(0)
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    keys.iter()
        .map(|k| {
            signature::public_key_from_bytes("payment_point_keys.public_key", k)
                .map_err(|e| ServerError::Storage(format!("a stored point key does not read: {e}")))
        })
        .collect()
}

/// Registers `key` for the payment point `code`, as the account of `grant`. Durable and audited
/// on return.
pub fn register_key(
    store: &Store,
    grant: &Authorized<act::RecordPayments>,
    code: &OfficeCode,
    key: &PublicKey,
) -> Result<(Registration, PointKey)> {
    let account = grant
        .account()
        .ok_or_else(|| {
            ServerError::Forbidden("only a payment-point account registers a key".into())
        })?
        .clone();
    let actor = grant.actor();
    let key_id = IssuerKeyId::of(key).to_hex();
    let key_bytes = signature::public_key_bytes(key).to_vec();
    let code = code.clone();
    store.write_batched(move |tx| {
        let now = clock::now();
        let registration = match point_of(tx, &code)? {
            Some((owner, _)) if owner != account.id => {
                return Err(ServerError::Conflict(format!(
                    "payment point {code} is registered to another account"
                )))
            }
            None => {
                tx.prepare_cached(
                    "INSERT INTO payment_points (code, account, area, created_at) VALUES (?1, ?2, ?3, ?4)",
                )?
                .execute(params![code.as_str(), account.id, account.area.as_str(), now])?;
                Registration::Bound
            }
            Some(_) => {
                let active: Option<String> = tx
                    .prepare_cached(
                        "SELECT key_id FROM payment_point_keys WHERE code = ?1 AND status = 'active'",
                    )?
                    .query_row([code.as_str()], |r| r.get(0))
                    .optional()?;
                if active.as_deref() == Some(key_id.as_str()) {
                    Registration::Unchanged
                } else {
                    Registration::Rotated
                }
            }
        };
        if registration != Registration::Unchanged {
            tx.prepare_cached(
                "UPDATE payment_point_keys SET status = 'retired', valid_to = ?2 WHERE code = ?1 AND status = 'active'",
            )?
            .execute(params![code.as_str(), now])?;
            let known: bool = tx
                .prepare_cached("SELECT 1 FROM payment_point_keys WHERE code = ?1 AND key_id = ?2")?
                .exists(params![code.as_str(), key_id])?;
            if known {
                return Err(ServerError::Conflict(format!(
                    "key {key_id} was a key of payment point {code} before and was retired; register a new key"
                )));
            }
            tx.prepare_cached(
                "INSERT INTO payment_point_keys (code, key_id, public_key, status, valid_from) VALUES (?1, ?2, ?3, 'active', ?4)",
            )?
            .execute(params![code.as_str(), key_id, key_bytes, now])?;
            audit::append(
                tx,
                &actor,
                "payment_point.key",
                Some(&account.area),
                &serde_json::json!({
                    "point": code.as_str(),
                    "key_id": key_id,
                    "rotation": registration == Registration::Rotated,
                }),
            )?;
        }
        Ok((
            registration,
            PointKey {
                code: code.as_str().to_owned(),
                area: account.area.as_str().to_owned(),
                key_id,
            },
        ))
    })
}
