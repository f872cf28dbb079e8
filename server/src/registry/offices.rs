//! Issuing offices and their issuer keys: adding an office (with its first key, added to the
//! trust list), rotating its key (a new active key; the old one retired), retiring or revoking a
//! key (SPEC.md §14), and listing them. The trust list carries every key an office has had.

use asxh_api::{IssuerKey, KeyRotation, Office};
use asxh_core::lists::{check_text, IssuerStatus, OfficeCode};
use asxh_core::signature::PublicKey;
use asxh_core::signature::{self, IssuerKeyId};
use asxh_core::{AreaCode, Date};
use rusqlite::{params, Connection, OptionalExtension, Transaction};

use super::events::conflict_on_unique;
use super::issuance::CARD_VALIDITY_YEARS;
use crate::audit;
use crate::clock::now;
use crate::error::{Result, ServerError};
use crate::policy::{act, Authorized};
use crate::publish;
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
    crate::areas::check_in_force("area", area, Date::today())?;
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
insert_key(tx, code, &public, from, until)?;
        publish::trust_list_changed(tx)?;
        audit::append(tx, &actor, "office.add", Some(area), &serde_json::json!({"office": code.as_str(), "area": area.as_str(), "key_id": key_id.to_hex()}))
    })?;
    Ok(key_id)
}

fn insert_key(
    tx: &Transaction<'_>,
    office: &OfficeCode,
    public: &PublicKey,
    from: Date,
    until: Date,
) -> Result<()> {
    tx.prepare_cached("INSERT INTO issuer_keys (key_id, office, public_key, valid_from, valid_until, status, created_at) VALUES (?1, ?2, ?3, ?4, ?5, 'active', ?6)")?
        .execute(params![IssuerKeyId::of(public).to_hex(), office.as_str(), signature::public_key_bytes(public).to_vec(), from.to_string(), until.to_string(), now()])?;
    Ok(())
}

/// The key `office` issues with: its one active key, or 403 when it has none (retired or
/// revoked and not rotated).
pub fn active_issuer_key(conn: &Connection, office: &OfficeCode) -> Result<IssuerKeyId> {
    let id: Option<String> = conn
        .prepare_cached("SELECT key_id FROM issuer_keys WHERE office = ?1 AND status = 'active'")?
        .query_row([office.as_str()], |r| r.get(0))
        .optional()?;
    match id {
        Some(id) => Ok(IssuerKeyId::parse_hex(&id)?),
        None => Err(ServerError::Forbidden(format!(
            "office {office} has no active issuer key (its key was retired or revoked); an administrator rotates the key to give the office a new one"
        ))),
    }
}

fn key_summary(r: &rusqlite::Row<'_>) -> rusqlite::Result<IssuerKey> {
    Ok(IssuerKey {
        key_id_hex: r.get(0)?,
        office: r.get(1)?,
        status: r.get(2)?,
        valid_from: r.get(3)?,
        valid_until: r.get(4)?,
    })
}

const KEY_COLUMNS: &str = "k.key_id, k.office, k.status, k.valid_from, k.valid_until";

/// The office `code` within the grant's reach and its area; an office outside it is answered
/// as an unknown one.
fn office_in_reach<A: crate::policy::Act>(
    conn: &Connection,
    grant: &Authorized<A>,
    code: &OfficeCode,
) -> Result<AreaCode> {
    let area: Option<String> = conn
        .prepare_cached("SELECT area FROM offices WHERE code = ?1")?
        .query_row([code.as_str()], |r| r.get(0))
        .optional()?;
    area.and_then(|a| AreaCode::parse(&a).ok())
        .filter(|a| grant.covers(a))
        .ok_or_else(|| ServerError::NotFound(format!("office {code} does not exist")))
}

/// Gives `office` a new active issuer key and retires the one it had (valid until today: the
/// cards it signed stay trusted, and nothing it signs later is). The trust list carries both at
/// once. Returns the new key, the retired one and the trust-list version that carries them.
pub fn rotate_issuer_key(
    store: &Store,
    grant: &Authorized<act::ManageIssuerKeys>,
    office: &OfficeCode,
) -> Result<KeyRotation> {
    let area = store.read(|c| office_in_reach(c, grant, office))?;
    let key = store.create_next_issuer_key(office)?;
    let public = *key.verifying_key();
    let new_id = IssuerKeyId::of(&public);
    let today = Date::today();
    let until = today.add_years(CARD_VALIDITY_YEARS * 2)?;
    let actor = grant.actor();
    let mut retired = None;
    let recorded = store.write(|tx| {
        let old = active_issuer_key(tx, office).ok();
        retired = old;
        if let Some(old) = old {
            retire(tx, old, today)?;
        }
        insert_key(tx, office, &public, today, until)?;
        let version = publish::trust_list_changed(tx)?;
        audit::append(
            tx,
            &actor,
            "issuer_key.rotate",
            Some(&area),
            &serde_json::json!({"office": office.as_str(), "key_id": new_id.to_hex(), "retired_key_id": old.map(IssuerKeyId::to_hex)}),
        )?;
        Ok(KeyRotation {
            key_id_hex: new_id.to_hex(),
            retired_key_id_hex: old.map(IssuerKeyId::to_hex),
            trust_list_version: version,
        })
    });
    match (&recorded, retired) {
        (Err(_), _) => store.discard_unrecorded_issuer_key(office, new_id),
        (Ok(_), Some(old)) => store.forget_issuer_key(old),
        (Ok(_), None) => {}
    }
    recorded
}

fn retire(tx: &Transaction<'_>, key: IssuerKeyId, today: Date) -> Result<()> {
    tx.prepare_cached(
        "UPDATE issuer_keys SET status = 'retired', valid_until = MIN(valid_until, ?2), changed_at = ?3 WHERE key_id = ?1",
    )?
    .execute(params![key.to_hex(), today.to_string(), now()])?;
    Ok(())
}

/// Retires (signs no new cards; its cards stay trusted, and it is valid until today) or revokes
/// (compromised: nothing it signed is trusted) the issuer key `key_id`, within the grant's
/// reach; the trust list carries the change at once. A revoked key stays revoked; retiring one
/// twice is a conflict. Returns the key as it now is.
pub fn set_issuer_key_status(
    store: &Store,
    grant: &Authorized<act::ManageIssuerKeys>,
    key_id: IssuerKeyId,
    status: IssuerStatus,
) -> Result<IssuerKey> {
    let actor = grant.actor();
    let unknown = || ServerError::NotFound(format!("issuer key {key_id} does not exist"));
    let changed = store.write(|tx| {
        let row: Option<(String, String, String)> = tx
            .prepare_cached("SELECT k.office, k.status, o.area FROM issuer_keys k JOIN offices o ON o.code = k.office WHERE k.key_id = ?1")?
            .query_row([key_id.to_hex()], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()?;
        let (office, current, area) = row.ok_or_else(unknown)?;
        let area = AreaCode::parse(&area)?;
        if !grant.covers(&area) {
            return Err(unknown());
        }
        let current = IssuerStatus::parse(&current)?;
        match (current, status) {
            (_, IssuerStatus::Active) => {
                return Err(ServerError::invalid(
                    "status",
                    "a key is made active only by a rotation (a new key); give retired or revoked",
                ))
            }
            (IssuerStatus::Revoked, _) => {
                return Err(ServerError::Conflict(format!("issuer key {key_id} is already revoked")))
            }
            (IssuerStatus::Retired, IssuerStatus::Retired) => {
                return Err(ServerError::Conflict(format!("issuer key {key_id} is already retired")))
            }
            (_, IssuerStatus::Retired) => retire(tx, key_id, Date::today())?,
            (_, IssuerStatus::Revoked) => {
                tx.prepare_cached("UPDATE issuer_keys SET status = 'revoked', changed_at = ?2 WHERE key_id = ?1")?
                    .execute(params![key_id.to_hex(), now()])?;
            }
        }
        publish::trust_list_changed(tx)?;
        let action = match status {
            IssuerStatus::Revoked => "issuer_key.revoke",
            _ => "issuer_key.retire",
        };
        audit::append(
            tx,
            &actor,
            action,
            Some(&area),
            &serde_json::json!({"office": office, "key_id": key_id.to_hex(), "was": current.as_str()}),
        )?;
        Ok(tx
            .prepare_cached(&format!("SELECT {KEY_COLUMNS} FROM issuer_keys k WHERE k.key_id = ?1"))?
            .query_row([key_id.to_hex()], key_summary)?)
    })?;
    store.forget_issuer_key(key_id);
    Ok(changed)
}

/// The offices within the grant's reach, by code, with their keys.
pub fn offices_in(store: &Store, grant: &Authorized<act::ManageOffices>) -> Result<Vec<Office>> {
    let (area, below) = grant.scope().params();
    store.read(|c| {
        let mut stmt = c.prepare(&format!(
            "SELECT o.code, o.name, o.area,
                    (SELECT COUNT(*) FROM cards WHERE office = o.code AND status != 'void')
             FROM offices o WHERE {} ORDER BY o.code",
            grant.scope().within("o.area", 1)
        ))?;
        let mut offices = stmt
            .query_map(params![area, below], |r| {
                Ok(Office {
                    code: r.get(0)?,
                    name: r.get(1)?,
                    area_code: r.get(2)?,
                    keys: Vec::new(),
                    cards: r.get::<_, i64>(3)? as u64,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut keys = c.prepare_cached(&format!(
            "SELECT {KEY_COLUMNS} FROM issuer_keys k WHERE k.office = ?1 ORDER BY k.created_at DESC, k.rowid DESC"
        ))?;
        for o in &mut offices {
            o.keys = keys
                .query_map([o.code.as_str()], key_summary)?
                .collect::<rusqlite::Result<Vec<_>>>()?;
        }
        Ok(offices)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::{authorize, Principal};

    #[test]
    fn a_rotation_whose_transaction_fails_leaves_no_key_file_behind() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::init(dir.path()).unwrap();
        let office = OfficeCode::parse("QNG-01").unwrap();
        let area = AreaCode::parse("51").unwrap();
        add_office(
            &store,
            &authorize(&Principal::Operator).unwrap(),
            &office,
            "Sở Y tế Quảng Ngãi",
            &area,
        )
        .unwrap();
        let keys = dir.path().join("keys");
        let key_files = || std::fs::read_dir(&keys).unwrap().count();
        let before = key_files();
        store
            .write(|tx| {
                tx.execute_batch(
                    "CREATE TRIGGER refuse_keys BEFORE INSERT ON issuer_keys \
                     BEGIN SELECT RAISE(ABORT, 'disk full'); END;",
                )?;
                Ok(())
            })
            .unwrap();
        let grant = authorize(&Principal::Operator).unwrap();
        assert!(rotate_issuer_key(&store, &grant, &office).is_err());
        assert_eq!(
            key_files(),
            before,
            "the unrecorded key file was left in keys/"
        );
    }

    #[test]
    fn an_issuer_key_is_read_from_its_file_once_and_forgotten_when_rotated_out_or_retired() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::init(dir.path()).unwrap();
        let office = OfficeCode::parse("QNG-01").unwrap();
        add_office(
            &store,
            &authorize(&Principal::Operator).unwrap(),
            &office,
            "Sở Y tế Quảng Ngãi",
            &AreaCode::parse("51").unwrap(),
        )
        .unwrap();
        let active = |store: &Store| store.read(|c| active_issuer_key(c, &office)).unwrap();
        let hide_key_files = || {
            for f in std::fs::read_dir(dir.path().join("keys")).unwrap() {
                let f = f.unwrap().path();
                if f.file_name()
                    .unwrap()
                    .to_str()
                    .unwrap()
                    .starts_with("issuer-")
                {
                    std::fs::rename(&f, f.with_extension("hidden")).unwrap();
                }
            }
        };
        let show_key_files = || {
            for f in std::fs::read_dir(dir.path().join("keys")).unwrap() {
                let f = f.unwrap().path();
                if f.extension().is_some_and(|e| e == "hidden") {
                    std::fs::rename(&f, f.with_extension("key")).unwrap();
                }
            }
        };

        let first = active(&store);
        let key = store.issuer_key(&office, first).unwrap();
        hide_key_files();
        assert_eq!(
            store.issuer_key(&office, first).unwrap().to_bytes(),
            key.to_bytes(),
            "the key read once is kept"
        );
        show_key_files();
        let grant = authorize(&Principal::Operator).unwrap();
        rotate_issuer_key(&store, &grant, &office).unwrap();
        hide_key_files();
        assert!(
            store.issuer_key(&office, first).is_err(),
            "the key rotated out is no longer kept"
        );
        show_key_files();

        let second = active(&store);
        store.issuer_key(&office, second).unwrap();
        set_issuer_key_status(&store, &grant, second, IssuerStatus::Retired).unwrap();
        hide_key_files();
        assert!(
            store.issuer_key(&office, second).is_err(),
            "the retired key is no longer kept"
        );
    }
}
