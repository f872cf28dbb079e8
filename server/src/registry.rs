//! The card registry: offices, issuing (serial allocation, the one-live-card-per-SSN rule,
//! signing the card credential and its QR credential), activation, voiding, look-up with
//! history, and revocation. Every change writes its card event and audit row in the same
//! transaction.

use asxh_core::lists::{check_text, OfficeCode, RevocationReason};
use asxh_core::signature::{self, IssuerKeyId, PublicKey};
use asxh_core::view::EntitlementView;
use asxh_core::{
    AreaCode, CardSerial, Credential, CredentialBody, Date, Entitlement, Holder, PartialDate,
    PersonName, QrBody, QrCredential, Sex, Ssn,
};
use rusqlite::{params, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};

use crate::auth::{Account, Role};
use crate::error::{Result, ServerError};
use crate::store::{now, Store};
use crate::{audit, replacement, scope};

/// Years a card is valid.
pub const CARD_VALIDITY_YEARS: u16 = 10;

fn conflict_on_unique(e: rusqlite::Error, what: &str) -> ServerError {
    match e {
        rusqlite::Error::SqliteFailure(f, _)
            if f.code == rusqlite::ErrorCode::ConstraintViolation =>
        {
            ServerError::Conflict(what.to_owned())
        }
        other => other.into(),
    }
}

fn bump_trust_list(tx: &Transaction<'_>) -> Result<()> {
    tx.prepare_cached("UPDATE meta SET value = value + 1 WHERE key = 'trust_list_version'")?
        .execute([])?;
    Ok(())
}

/// Creates an issuing office with a new issuer key and adds it to the trust list.
pub fn add_office(
    store: &Store,
    code: &OfficeCode,
    name: &str,
    area: &AreaCode,
    actor: &str,
) -> Result<IssuerKeyId> {
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
        bump_trust_list(tx)?;
        audit::append(tx, actor, "office.add", &serde_json::json!({"office": code.as_str(), "area": area.as_str(), "key_id": key_id.to_hex()}))
    })?;
    Ok(key_id)
}

/// `replaces` of an issue request.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Replaces {
    pub serial: String,
    pub reason: String,
}

/// The body of `POST /v1/cards`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IssueRequest {
    pub ssn: String,
    pub full_name: String,
    pub date_of_birth: String,
    pub sex: String,
    pub area_code: String,
    #[serde(default)]
    pub entitlements: Vec<EntitlementView>,
    pub card_public_key_hex: String,
    #[serde(default)]
    pub replaces: Option<Replaces>,
}

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

impl IssueRequest {
    /// Parses and checks every field, in the order [`issue`] reports problems; touches no store.
    pub fn check(&self) -> Result<CheckedIssueRequest> {
        let ssn = Ssn::parse(&self.ssn)?;
        let name = PersonName::parse("full_name", &self.full_name)?;
        let dob = PartialDate::parse("date_of_birth", &self.date_of_birth)?;
        let sex = Sex::parse(&self.sex)?;
        let area = AreaCode::parse(&self.area_code)?;
        let holder = Holder::new(ssn, name, dob, sex, area.clone())?;
        if self.entitlements.len() > asxh_core::credential::MAX_ENTITLEMENTS {
            return Err(ServerError::invalid(
                "entitlements",
                format!("{} entitlements, at most 8", self.entitlements.len()),
            ));
        }
        let entitlements = self
            .entitlements
            .iter()
            .enumerate()
            .map(|(i, e)| {
                e.to_entitlement()
                    .map_err(|err| prefixed(format!("entitlements[{i}]"), err))
            })
            .collect::<Result<Vec<_>>>()?;
        let card_key_bytes = hex::decode(self.card_public_key_hex.trim())
            .map_err(|_| ServerError::invalid("card_public_key_hex", "is not hex"))?;
        let card_key = signature::public_key_from_bytes("card_public_key_hex", &card_key_bytes)?;
        let replaces = self
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

/// The answer to `POST /v1/cards`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct IssueResponse {
    pub serial: String,
    pub credential_hex: String,
    pub qr_text: String,
    pub issuer_key_id_hex: String,
    pub expires: String,
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

/// Issues a card (status PENDING) for an office account.
pub fn issue(store: &Store, account: &Account, req: &IssueRequest) -> Result<IssueResponse> {
    account.require(&[Role::Office], "issue cards")?;
    let office = account
        .office
        .clone()
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
    } = req.check()?;
    account.require_area(&area)?;
    let issuer = store.issuer_key(&office)?;
    let issuer_id = IssuerKeyId::of(issuer.verifying_key());
    let issued = Date::today();
    let expires = issued.add_years(CARD_VALIDITY_YEARS)?;
    let actor = account.actor();

    store.write(|tx| {
        let status: String = tx.prepare_cached("SELECT status FROM offices WHERE code = ?1")?.query_row([office.as_str()], |r| r.get(0))?;
        if status != "active" {
            return Err(ServerError::Forbidden(format!("office {office}'s issuer key is {status}")));
        }
        if let Some((old, reason)) = replaces {
            let row: Option<(String, String)> = tx
                .query_row("SELECT ssn, status FROM cards WHERE serial = ?1", [old.number() as i64], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?;
            let (old_ssn, old_status) = row.ok_or_else(|| ServerError::NotFound(format!("card {old} to replace does not exist")))?;
            if old_ssn != ssn.to_string() {
                return Err(ServerError::invalid("replaces.serial", format!("card {old} belongs to another SSN")));
            }
            if old_status != "active" && old_status != "pending" {
                return Err(ServerError::Conflict(format!("card {old} to replace is {old_status}")));
            }
            revoke_card(tx, old, reason, &actor)?;
        } else {
            let live: Option<(i64, String)> = tx
                .query_row("SELECT serial, status FROM cards WHERE ssn = ?1 AND status IN ('pending', 'active')", [ssn.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))
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
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'pending', ?8, ?9, ?10, ?11, ?12, ?13)")?.execute(params![
                next, ssn.to_string(), holder.name().as_str(), dob.to_string(), sex.code(), area.as_str(), office.as_str(),
                credential.to_bytes(), qr.text(), issued.to_string(), expires.to_string(), replaces.map(|(s, _)| s.number() as i64), now()
            ],
        )
        .map_err(|e| conflict_on_unique(e, &format!("SSN {ssn} already has a live card")))?;
        event(tx, serial, "issued", &actor, &format!("pending; office {office}"))?;
        replacement::link_new_card(tx, &ssn, serial)?;
        index_programs(tx, serial, credential.body().entitlements())?;
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

pub(crate) fn event(
    tx: &Transaction<'_>,
    serial: CardSerial,
    event: &str,
    actor: &str,
    detail: &str,
) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO card_events (serial, at, event, actor, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![serial.number() as i64, now(), event, actor, detail])?;
    Ok(())
}

/// Moves an office's PENDING card to ACTIVE (personalized and read back) or VOID
/// (personalization failed).
pub fn finish(store: &Store, account: &Account, serial: CardSerial, activate: bool) -> Result<()> {
    account.require(
        &[Role::Office],
        if activate {
            "activate cards"
        } else {
            "void cards"
        },
    )?;
    let actor = account.actor();
    store.write(|tx| {
        let row: Option<(String, String)> = tx
            .query_row(
                "SELECT office, status FROM cards WHERE serial = ?1",
                [serial.number() as i64],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let (office, status) =
            row.ok_or_else(|| ServerError::NotFound(format!("no card {serial}")))?;
        if Some(office.as_str()) != account.office.as_ref().map(|o| o.as_str()) {
            return Err(ServerError::Forbidden(format!(
                "card {serial} was issued by another office"
            )));
        }
        let target = if activate { "active" } else { "void" };
        if status == target {
            return Ok(());
        }
        if status != "pending" {
            return Err(ServerError::Conflict(format!(
                "card {serial} is {status}, not pending"
            )));
        }
        tx.prepare_cached("UPDATE cards SET status = ?1 WHERE serial = ?2")?
            .execute(params![target, serial.number() as i64])?;
        if !activate {
            replacement::unlink_voided(tx, serial)?;
        }
        event(
            tx,
            serial,
            if activate { "activated" } else { "voided" },
            &actor,
            "",
        )?;
        audit::append(
            tx,
            &actor,
            if activate {
                "card.activate"
            } else {
                "card.void"
            },
            &serde_json::json!({"serial": serial.to_string()}),
        )
    })
}

/// One entry of a card's history.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct HistoryEntry {
    pub at: i64,
    pub event: String,
    pub actor: String,
    pub detail: String,
}

/// A card as `GET /v1/cards` shows it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CardRecord {
    pub serial: String,
    pub status: String,
    pub ssn: String,
    pub full_name: String,
    pub date_of_birth: String,
    pub sex: String,
    pub area_code: String,
    pub office: String,
    pub issued: String,
    pub expires: String,
    pub replaces: Option<String>,
    pub revocation: Option<RevocationInfo>,
    pub history: Vec<HistoryEntry>,
    /// The signed card credential and QR text, to print the card face again.
    pub credential_hex: String,
    pub qr_text: String,
}

/// How a revoked card was revoked.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RevocationInfo {
    pub reason: String,
    pub revoked_on: String,
    pub list_version: i64,
}

fn load_cards(
    conn: &rusqlite::Connection,
    where_sql: &str,
    arg: &dyn rusqlite::ToSql,
) -> Result<Vec<CardRecord>> {
    let sql = format!(
        "SELECT c.serial, c.status, c.ssn, c.full_name, c.date_of_birth, c.sex, c.area, c.office, c.issued, c.expires, c.replaces,
                r.reason, r.revoked_on, r.version, c.credential, c.qr_text
         FROM cards c LEFT JOIN revocations r ON r.serial = c.serial WHERE {where_sql} ORDER BY c.serial"
    );
    let mut stmt = conn.prepare(&sql)?;
    let mut cards = stmt
        .query_map([arg], |r| {
            let serial: i64 = r.get(0)?;
            let replaces: Option<i64> = r.get(10)?;
            let reason: Option<String> = r.get(11)?;
            Ok((
                serial,
                replaces,
                CardRecord {
                    serial: String::new(),
                    status: r.get(1)?,
                    ssn: r.get(2)?,
                    full_name: r.get(3)?,
                    date_of_birth: r.get(4)?,
                    sex: r.get(5)?,
                    area_code: r.get(6)?,
                    office: r.get(7)?,
                    issued: r.get(8)?,
                    expires: r.get(9)?,
                    replaces: None,
                    credential_hex: hex::encode(r.get::<_, Vec<u8>>(14)?),
                    qr_text: r.get(15)?,
                    revocation: match reason {
                        Some(reason) => Some(RevocationInfo {
                            reason,
                            revoked_on: r.get(12)?,
                            list_version: r.get(13)?,
                        }),
                        None => None,
                    },
                    history: Vec::new(),
                },
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut out = Vec::with_capacity(cards.len());
    for (serial, replaces, mut card) in cards.drain(..) {
        card.serial = CardSerial::new(serial as u64)?.to_string();
        card.replaces = replaces
            .map(|s| CardSerial::new(s as u64).map(|s| s.to_string()))
            .transpose()?;
        let mut stmt = conn.prepare(
            "SELECT at, event, actor, detail FROM card_events WHERE serial = ?1 ORDER BY id",
        )?;
        card.history = stmt
            .query_map([serial], |r| {
                Ok(HistoryEntry {
                    at: r.get(0)?,
                    event: r.get(1)?,
                    actor: r.get(2)?,
                    detail: r.get(3)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        out.push(card);
    }
    Ok(out)
}

fn visible_to(account: &Account, cards: Vec<CardRecord>) -> Result<Vec<CardRecord>> {
    account.require(&[Role::Admin, Role::Office], "look up cards")?;
    let mut out = Vec::new();
    for c in cards {
        if account.area.contains(&AreaCode::parse(&c.area_code)?) {
            out.push(c);
        }
    }
    Ok(out)
}

/// A card by serial, if within the account's area.
pub fn card(store: &Store, account: &Account, serial: CardSerial) -> Result<CardRecord> {
    let cards = store.read(|c| load_cards(c, "c.serial = ?1", &(serial.number() as i64)))?;
    let card = cards
        .into_iter()
        .next()
        .ok_or_else(|| ServerError::NotFound(format!("no card {serial}")))?;
    account.require(&[Role::Admin, Role::Office], "look up cards")?;
    account.require_area(&AreaCode::parse(&card.area_code)?)?;
    Ok(card)
}

/// All cards of an SSN within the account's area.
pub fn cards_of(store: &Store, account: &Account, ssn: Ssn) -> Result<Vec<CardRecord>> {
    let cards = store.read(|c| load_cards(c, "c.ssn = ?1", &ssn.to_string()))?;
    visible_to(account, cards)
}

/// Revokes one card inside a transaction; returns the revocation-list version that includes it.
pub(crate) fn revoke_card(
    tx: &Transaction<'_>,
    serial: CardSerial,
    reason: RevocationReason,
    actor: &str,
) -> Result<i64> {
    let status: String = tx
        .query_row(
            "SELECT status FROM cards WHERE serial = ?1",
            [serial.number() as i64],
            |r| r.get(0),
        )
        .optional()?
        .ok_or_else(|| ServerError::NotFound(format!("no card {serial}")))?;
    match status.as_str() {
        "revoked" => {
            return Err(ServerError::Conflict(format!(
                "card {serial} is already revoked"
            )))
        }
        "void" => {
            return Err(ServerError::Conflict(format!(
                "card {serial} was voided and never used"
            )))
        }
        _ => {}
    }
    tx.prepare_cached("UPDATE cards SET status = 'revoked' WHERE serial = ?1")?
        .execute([serial.number() as i64])?;
    tx.prepare_cached(
        "INSERT INTO revocations (serial, reason, revoked_on, at) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![
        serial.number() as i64,
        reason.as_str(),
        Date::today().to_string(),
        now()
    ])?;
    let version = tx.last_insert_rowid();
    event(tx, serial, "revoked", actor, reason.as_str())?;
    audit::append(
        tx,
        actor,
        "card.revoke",
        &serde_json::json!({"serial": serial.to_string(), "reason": reason.as_str(), "list_version": version}),
    )?;
    Ok(version)
}

/// What to revoke.
#[derive(Debug, Clone, Copy)]
pub enum RevocationTarget {
    Serial(CardSerial),
    Ssn(Ssn),
}

/// Revokes a card, or every live card of an SSN, within `scope` (`None`: anywhere, for the
/// operator's command line). Returns the revocation-list version that includes the
/// revocation(s) and the serials revoked. Durable on return.
pub fn revoke(
    store: &Store,
    scope: Option<AreaCode>,
    actor: String,
    target: RevocationTarget,
    reason: RevocationReason,
) -> Result<(i64, Vec<CardSerial>)> {
    store.write_batched(move |tx| {
        let serials: Vec<(i64, String)> = match target {
            RevocationTarget::Serial(s) => tx
                .query_row("SELECT serial, area FROM cards WHERE serial = ?1", [s.number() as i64], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?
                .into_iter()
                .collect(),
            RevocationTarget::Ssn(ssn) => {
                let mut stmt = tx.prepare("SELECT serial, area FROM cards WHERE ssn = ?1 AND status IN ('pending', 'active') ORDER BY serial")?;
                let rows = stmt.query_map([ssn.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<Vec<_>>>()?;
                rows
            }
        };
        if serials.is_empty() {
            return Err(ServerError::NotFound(match target {
                RevocationTarget::Serial(s) => format!("no card {s}"),
                RevocationTarget::Ssn(n) => format!("SSN {n} has no live card"),
            }));
        }
        let mut version = 0;
        let mut done = Vec::new();
        for (serial, card_area) in serials {
            let card_area = AreaCode::parse(&card_area)?;
            if let Some(area) = scope.as_ref().filter(|a| !a.contains(&card_area)) {
                return Err(ServerError::Forbidden(format!("card area {card_area} is outside this account's area {area}")));
            }
            let serial = CardSerial::new(serial as u64)?;
            version = revoke_card(tx, serial, reason, &actor)?;
            done.push(serial);
        }
        Ok((version, done))
    })
}

/// A line of a card search.
#[derive(Debug, Clone, Serialize)]
pub struct CardSummary {
    pub serial: String,
    pub full_name: String,
    pub ssn: String,
    pub area_code: String,
    pub status: String,
    pub issued: String,
}

/// Most lines a card search returns.
pub const SEARCH_LIMIT: usize = 100;

/// Lower-case, without Vietnamese diacritics (`Nguyễn Thị Đào` → `nguyen thi dao`), so a clerk
/// can search with or without accents.
pub fn fold_name(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    text.nfd()
        .filter(|c| !('\u{0300}'..='\u{036F}').contains(c))
        .map(|c| match c {
            'đ' | 'Đ' => 'd',
            c => c,
        })
        .flat_map(char::to_lowercase)
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Cards within the account's area whose serial or SSN is `query`, or whose name contains it
/// (accents and case ignored); at most [`SEARCH_LIMIT`], by serial.
pub fn search(store: &Store, account: &Account, query: &str) -> Result<Vec<CardSummary>> {
    account.require(&[Role::Admin, Role::Office], "look up cards")?;
    let query = query.trim();
    let area = account.area.clone();
    // Serial and SSN are exact matches in SQL; a name is matched here, after folding.
    let (filter, exact, needle) = if let Ok(serial) = CardSerial::parse(query) {
        ("serial = ?3", Some(serial.number().to_string()), None)
    } else if let Ok(ssn) = Ssn::parse(query) {
        ("ssn = ?3", Some(ssn.to_string()), None)
    } else {
        let needle = fold_name(query);
        if needle.chars().count() < 2 {
            return Err(ServerError::invalid(
                "q",
                "give a card serial, a 10-digit SSN, or at least 2 letters of a name",
            ));
        }
        ("?3 IS NULL", None, Some(needle))
    };
    store.read(|c| {
        let mut stmt = c.prepare(&format!(
            "SELECT serial, full_name, ssn, area, status, issued FROM cards WHERE {} AND {filter} ORDER BY serial",
            scope::within("area", 1)
        ))?;
        let mut rows = stmt.query(params![area.as_str(), scope::below(&area), exact])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let full_name: String = r.get(1)?;
            if needle
                .as_ref()
                .is_some_and(|n| !fold_name(&full_name).contains(n.as_str()))
            {
                continue;
            }
            out.push(CardSummary {
                serial: CardSerial::new(r.get::<_, i64>(0)? as u64)?.to_string(),
                full_name,
                ssn: r.get(2)?,
                area_code: r.get(3)?,
                status: r.get(4)?,
                issued: r.get(5)?,
            });
            if out.len() == SEARCH_LIMIT {
                break;
            }
        }
        Ok(out)
    })
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

/// The offices whose area lies within `area`, by code.
pub fn offices_in(store: &Store, area: &AreaCode) -> Result<Vec<OfficeSummary>> {
    store.read(|c| {
        let mut stmt = c.prepare(&format!(
            "SELECT o.code, o.name, o.area, o.key_id, o.status, o.valid_from, o.valid_until,
                    (SELECT COUNT(*) FROM cards WHERE office = o.code AND status != 'void')
             FROM offices o WHERE {} ORDER BY o.code",
            scope::within("o.area", 1)
        ))?;
        let rows = stmt
            .query_map(params![area.as_str(), scope::below(area)], |r| {
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

/// The cards issued to replace `serial` (with `replaces`), by serial.
pub fn replaced_by(store: &Store, serial: CardSerial) -> Result<Vec<String>> {
    store.read(|c| {
        let mut stmt =
            c.prepare_cached("SELECT serial FROM cards WHERE replaces = ?1 ORDER BY serial")?;
        let rows = stmt
            .query_map([serial.number() as i64], |r| r.get::<_, i64>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter()
            .map(|n| Ok(CardSerial::new(n as u64)?.to_string()))
            .collect()
    })
}

/// The entitlements inside a credential this server signed and stored, decoded without checking
/// the signature again (the bytes come from the server's own database); `None` if they no longer
/// decode.
pub fn stored_entitlements(credential: &[u8]) -> Option<Vec<asxh_core::Entitlement>> {
    let body = asxh_core::SignedCredential::parse(credential)
        .and_then(|c| c.unverified_body())
        .ok()?;
    Some(body.entitlements().to_vec())
}

/// Records the programs of a card's entitlements in `card_programs` (the dashboard's index).
fn index_programs(
    tx: &Transaction<'_>,
    serial: CardSerial,
    entitlements: &[asxh_core::Entitlement],
) -> Result<()> {
    let mut stmt =
        tx.prepare_cached("INSERT OR IGNORE INTO card_programs (serial, program) VALUES (?1, ?2)")?;
    for e in entitlements {
        stmt.execute(params![serial.number() as i64, e.program().as_str()])?;
    }
    Ok(())
}

/// Fills `card_programs` from every stored credential (once, when the table is created).
pub(crate) fn index_all_programs(tx: &Transaction<'_>) -> Result<()> {
    let cards: Vec<(i64, Vec<u8>)> = tx
        .prepare("SELECT serial, credential FROM cards")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (serial, credential) in cards {
        if let Some(entitlements) = stored_entitlements(&credential) {
            index_programs(tx, CardSerial::new(serial as u64)?, &entitlements)?;
        }
    }
    Ok(())
}
