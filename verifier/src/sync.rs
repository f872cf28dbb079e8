//! Fetching the lists from the server: the root key (once, checked against the pinned
//! fingerprint), the trust list, and the revocation list as deltas since the held version, all
//! with `If-None-Match` so an unchanged list costs one small `304`. Every list is verified before
//! it is stored; nothing older than what is held, and nothing dated beyond the clock skew in the
//! future, is accepted; and a full list never un-revokes a card: what it leaves out of the held
//! revocations is kept (SPEC.md §15.3).

use std::time::Duration;

use asxh_core::lists::{Month, RevocationList, Roll, TrustList};
use asxh_core::signature::{self, PublicKey};
use asxh_core::AreaCode;
use asxh_text::message::Args;
use asxh_text::{local_time, Catalogued, Lang, Msg};
use asxh_verdict::check::CLOCK_SKEW;
use serde::{Serialize, Serializer};
use serde_json::Value;

use crate::error::{ListName, Refusal, Result, VerifierError};
use crate::store::Store;
use crate::upload::UploadReport;

/// Deltas kept on top of a full list; then the next sync asks for one delta from the full list's
/// version instead (or a full list, if the server no longer has that version).
const MAX_DELTAS: u64 = 32;

/// How the revocation list came.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Fetch {
    Full,
    Delta,
    /// One delta from the full list replaced the chain.
    Compacted,
    Unchanged,
}

impl Fetch {
    pub fn msg(self) -> Msg {
        match self {
            Fetch::Full => Msg::SyncFetchFull,
            Fetch::Delta => Msg::SyncFetchDelta,
            Fetch::Compacted => Msg::SyncFetchCompacted,
            Fetch::Unchanged => Msg::SyncFetchUnchanged,
        }
    }
}

/// What the clerk should know after a sync.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyncNote {
    /// The server no longer has the held version to send a delta from: its full list was taken.
    UnknownBase { since: u64 },
    /// Revocations kept although the server's newest list no longer carries them.
    Kept { count: usize },
    /// The server has no roll of the point's area for the month yet.
    NoRoll { area: String, month: String },
    /// A list's next update (Unix time) has passed: the server is not re-signing it.
    Overdue {
        list: ListName,
        version: u64,
        next_update: u64,
    },
}

impl Catalogued for SyncNote {
    fn message(&self, lang: Lang) -> (Msg, Args) {
        match self {
            SyncNote::UnknownBase { since } => {
                (Msg::SyncUnknownBase, vec![("since", since.to_string())])
            }
            SyncNote::Kept { count } => (Msg::SyncKept, vec![("count", count.to_string())]),
            SyncNote::NoRoll { area, month } => (
                Msg::SyncNoRoll,
                vec![
                    ("area", area.clone()),
                    ("month", asxh_text::format::date(month)),
                ],
            ),
            SyncNote::Overdue {
                list,
                version,
                next_update,
            } => (
                Msg::SyncOverdue,
                vec![
                    ("list", lang.text(list.msg()).to_owned()),
                    ("version", version.to_string()),
                    ("by", local_time(*next_update as i64)),
                ],
            ),
        }
    }

    fn examples() -> Vec<Self> {
        vec![
            SyncNote::UnknownBase { since: 3 },
            SyncNote::Kept { count: 2 },
            SyncNote::NoRoll {
                area: "51.429.22903".into(),
                month: "2026-12".into(),
            },
            SyncNote::Overdue {
                list: ListName::TrustList,
                version: 2,
                next_update: 1_795_615_380,
            },
        ]
    }
}

/// The JSON form: the English text.
impl Serialize for SyncNote {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text(Lang::En))
    }
}

/// What a sync did.
#[derive(Debug, Clone, Serialize)]
pub struct SyncReport {
    pub trust_list_version: u64,
    pub trust_list_changed: bool,
    pub revocation_list_version: u64,
    pub revocation_fetch: Fetch,
    pub revoked_cards: usize,
    /// Revocations this point keeps although the server's newest list no longer carries them
    /// (a server restored from an older backup, or a dishonest one): they stay revoked.
    pub kept_revocations: usize,
    /// What the clerk should know: a list whose next update has passed (the server is not
    /// re-signing), revocations kept.
    pub warnings: Vec<SyncNote>,
    /// The payment roll of the point's area for this month, for a point that has an area.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub roll: Option<RollSync>,
    /// The receipts uploaded (SPEC.md §18; `crate::upload`).
    pub upload: UploadReport,
}

/// What a sync did to the payment roll.
#[derive(Debug, Clone, Serialize)]
pub struct RollSync {
    pub area: String,
    /// `YYYY-MM`.
    pub month: String,
    pub version: u64,
    pub fetch: Fetch,
    pub beneficiaries: usize,
}

impl SyncReport {
    /// The line the clerk reads.
    pub fn text(&self, lang: Lang) -> String {
        let updated = if self.trust_list_changed {
            lang.text(Msg::SyncUpdated)
        } else {
            ""
        };
        let mut text = asxh_text::message::fill(
            lang.text(Msg::SyncDone),
            &[
                ("trust", self.trust_list_version.to_string()),
                ("updated", updated.to_owned()),
                ("revocation", self.revocation_list_version.to_string()),
                ("fetch", lang.text(self.revocation_fetch.msg()).to_owned()),
                ("revoked", lang.count(self.revoked_cards as u64)),
            ],
        );
        if let Some(r) = &self.roll {
            text.push('\n');
            text.push_str(&asxh_text::message::fill(
                lang.text(Msg::SyncRoll),
                &[
                    ("area", r.area.clone()),
                    ("month", asxh_text::format::date(&r.month)),
                    ("version", r.version.to_string()),
                    ("fetch", lang.text(r.fetch.msg()).to_owned()),
                    ("count", lang.count(r.beneficiaries as u64)),
                ],
            ));
        }
        if let Some(code) = &self.upload.key_registered {
            text.push('\n');
            text.push_str(&asxh_text::message::fill(
                lang.text(Msg::SyncPointKeyRegistered),
                &[("code", code.clone())],
            ));
        }
        if self.upload.has_news() {
            text.push('\n');
            text.push_str(&self.upload.text(lang));
        }
        text
    }
}

struct Fetched {
    status: u16,
    etag: Option<String>,
    body: Vec<u8>,
}

/// The problem code of an error answer (`{"error": {"code": …}}`).
fn error_code(body: &[u8]) -> Option<String> {
    let v: Value = serde_json::from_slice(body).ok()?;
    v["error"]["code"].as_str().map(str::to_owned)
}

fn get(agent: &ureq::Agent, url: &str, etag: Option<&str>) -> Result<Fetched> {
    get_answering(agent, url, etag, &[409])
}

/// A GET whose error answers with a status of `pass` are returned, not failed.
fn get_answering(
    agent: &ureq::Agent,
    url: &str,
    etag: Option<&str>,
    pass: &[u16],
) -> Result<Fetched> {
    let mut req = agent.get(url);
    if let Some(e) = etag {
        req = req.set("If-None-Match", e);
    }
    let resp = match req.call() {
        Ok(r) => r,
        Err(ureq::Error::Status(code, r)) if pass.contains(&code) => {
            let mut body = Vec::new();
            let _ = std::io::Read::read_to_end(
                &mut std::io::Read::take(r.into_reader(), 64 << 10),
                &mut body,
            );
            return Ok(Fetched {
                status: code,
                etag: None,
                body,
            });
        }
        Err(ureq::Error::Status(code, r)) => {
            let text = r.into_string().unwrap_or_default();
            return Err(VerifierError::Network(format!(
                "{url} answered {code}: {text}"
            )));
        }
        Err(e) => {
            return Err(match asxh_client::CertificateProblem::of(&e, url) {
                Some(problem) => VerifierError::Certificate(problem),
                None => VerifierError::Network(format!("{url}: {e}")),
            })
        }
    };
    let status = resp.status();
    let etag = resp.header("etag").map(str::to_owned);
    let mut body = Vec::new();
    std::io::Read::read_to_end(
        &mut std::io::Read::take(
            resp.into_reader(),
            asxh_core::lists::MAX_REVOCATION_LIST_LEN.max(asxh_core::lists::roll::MAX_ROLL_LEN)
                as u64
                + 1,
        ),
        &mut body,
    )
    .map_err(|e| VerifierError::Network(format!("{url}: {e}")))?;
    Ok(Fetched { status, etag, body })
}

fn now() -> u64 {
    time::OffsetDateTime::now_utc().unix_timestamp().max(0) as u64
}

/// Refuses a list signed further in the future than the clock skew allows: its age would be
/// unknown, and a stale-data policy could never fire (SPEC.md §15.3).
fn not_from_the_future(list: ListName, issued_at: u64, now: u64) -> Result<()> {
    if issued_at > now + CLOCK_SKEW.as_secs() {
        return Err(VerifierError::Refused(Refusal::FromTheFuture {
            list,
            issued_at,
            now,
        }));
    }
    Ok(())
}

fn overdue(list: ListName, version: u64, next_update: u64, now: u64) -> Option<SyncNote> {
    (next_update < now).then_some(SyncNote::Overdue {
        list,
        version,
        next_update,
    })
}

/// A revocation list from the server, verified and not older than what is held.
fn verified_list(
    reply: &Fetched,
    key: &PublicKey,
    delta: bool,
    held: Option<&RevocationList>,
    now: u64,
) -> Result<RevocationList> {
    let what = if delta {
        ListName::RevocationDelta
    } else {
        ListName::RevocationList
    };
    // Either kind parses here, so that a replayed older list of the other kind is named a
    // rollback, which it is whatever else is wrong with it.
    let list = RevocationList::parse_verified(&reply.body, key).map_err(|e| {
        VerifierError::Refused(Refusal::DoesNotVerify {
            list: what,
            detail: e.to_string(),
        })
    })?;
    if let Some(h) = held {
        if list.version < h.version {
            return Err(VerifierError::Refused(Refusal::Older {
                list: ListName::RevocationList,
                version: list.version,
                held: h.version,
            }));
        }
    }
    if list.base_version.is_some() != delta {
        return Err(VerifierError::Refused(Refusal::WrongKind {
            delta_asked: delta,
        }));
    }
    not_from_the_future(what, list.issued_at, now)?;
    Ok(list)
}

/// How long a payment waits for its immediate upload before leaving it to the next sync.
const UPLOAD_NOW_TIMEOUT: Duration = Duration::from_secs(5);

/// Uploads the receipts waiting, at once, without the lists: what `pay` does after storing a
/// receipt, so that the paid mark reaches the other points at their next sync rather than after
/// this point's. A failure leaves the receipts waiting for the next sync.
pub fn upload_now(store: &mut Store) -> Result<crate::upload::UploadReport> {
    let config = store.config()?;
    let agent = asxh_client::agent(config.ca_file.as_deref(), UPLOAD_NOW_TIMEOUT).map_err(|e| {
        VerifierError::Usage(asxh_text::usage::Usage::CaFile {
            detail: e.to_string(),
        })
    })?;
    crate::upload::upload(store, &agent, &config.server)
}

/// Brings the cached lists up to date with the server.
pub fn sync(store: &mut Store) -> Result<SyncReport> {
    let config = store.config()?;
    let agent =
        asxh_client::agent(config.ca_file.as_deref(), Duration::from_secs(30)).map_err(|e| {
            VerifierError::Usage(asxh_text::usage::Usage::CaFile {
                detail: e.to_string(),
            })
        })?;
    let base = &config.server;
    let now = now();
    let mut warnings = Vec::new();

    let root = match config.root_key {
        Some(k) => k,
        None => {
            let reply = get(&agent, &format!("{base}/v1/root-key"), None)?;
            let json: Value = serde_json::from_slice(&reply.body).map_err(|e| {
                VerifierError::Refused(Refusal::RootKeyUnreadable {
                    detail: e.to_string(),
                })
            })?;
            let key = json["public_key_hex"]
                .as_str()
                .and_then(|h| hex::decode(h).ok())
                .and_then(|b| signature::public_key_from_bytes("root_key", &b).ok())
                .ok_or_else(|| {
                    VerifierError::Refused(Refusal::RootKeyUnreadable {
                        detail: "no public_key_hex".into(),
                    })
                })?;
            store.set_root_key(&key)?;
            key
        }
    };

    // Trust list.
    // A cache that no longer verifies (e.g. damaged) is replaced, not trusted.
    let held = store.lists().ok().flatten();
    let held_trust_etag = store.trust_list()?.and_then(|(_, e)| e);
    let reply = get(
        &agent,
        &format!("{base}/v1/trust-list"),
        held_trust_etag.as_deref(),
    )?;
    let mut trust_changed = false;
    if reply.status == 200 {
        let list = TrustList::parse_verified(&reply.body, &root).map_err(|e| {
            VerifierError::Refused(Refusal::DoesNotVerify {
                list: ListName::TrustList,
                detail: e.to_string(),
            })
        })?;
        if let Some(h) = &held {
            if list.version < h.trust.version {
                return Err(VerifierError::Refused(Refusal::Older {
                    list: ListName::TrustList,
                    version: list.version,
                    held: h.trust.version,
                }));
            }
        }
        not_from_the_future(ListName::TrustList, list.issued_at, now)?;
        trust_changed = held
            .as_ref()
            .is_none_or(|h| h.trust.version != list.version);
        store.save_trust_list(list.version, &reply.body, reply.etag.as_deref())?;
    }
    let lists = match store.lists() {
        Ok(Some(l)) => l,
        Ok(None) => return Err(VerifierError::Refused(Refusal::NoTrustListAfterSync)),
        // The revocation cache does not verify under the (new) trust list's key: start over
        // with a full list.
        Err(VerifierError::Refused(_)) => {
            store.clear_revocations()?;
            store
                .lists()?
                .ok_or(VerifierError::Refused(Refusal::NoTrustListAfterSync))?
        }
        Err(e) => return Err(e),
    };
    warnings.extend(overdue(
        ListName::TrustList,
        lists.trust.version,
        lists.trust.next_update,
        now,
    ));
    let list_key = lists.trust.list_key;

    // Revocation list: a delta on top of what is held; past MAX_DELTAS one delta from the full
    // list's version; a full list when there is nothing held or the server does not know the
    // base (409 unknown_base_version: a lost or pruned history).
    let held = lists.revocations.as_ref();
    let full = store.full_revocations(&lists.trust)?;
    let mut fetch = None;
    if let (Some(current), Some(full)) = (held, full.as_ref()) {
        let compact = store.delta_count()? >= MAX_DELTAS;
        let (since, etag) = if compact {
            (full.version, None)
        } else {
            (current.version, store.last_delta_etag()?)
        };
        let url = format!("{base}/v1/revocation-list?since={since}");
        let reply = get(&agent, &url, etag.as_deref())?;
        match reply.status {
            304 => fetch = Some((Fetch::Unchanged, current.clone(), 0)),
            409 if error_code(&reply.body).as_deref() == Some("unknown_base_version") => {
                warnings.push(SyncNote::UnknownBase { since });
            }
            409 => {
                return Err(VerifierError::Network(format!(
                    "{url} answered 409: {}",
                    String::from_utf8_lossy(&reply.body)
                )))
            }
            _ => {
                let delta = verified_list(&reply, &list_key, true, Some(current), now)?;
                let refused = |e: asxh_core::FormatError| {
                    VerifierError::Refused(Refusal::DoesNotVerify {
                        list: ListName::RevocationDelta,
                        detail: e.to_string(),
                    })
                };
                if compact {
                    let mut next = full.clone();
                    next.apply(&delta).map_err(refused)?;
                    let kept = current.missing_from(&next);
                    next.keep(&kept);
                    store.replace_deltas(
                        delta.version,
                        &reply.body,
                        reply.etag.as_deref(),
                        &kept,
                    )?;
                    fetch = Some((Fetch::Compacted, next, kept.len()));
                } else {
                    let mut next = current.clone();
                    next.apply(&delta).map_err(refused)?;
                    store.append_delta(delta.version, &reply.body, reply.etag.as_deref())?;
                    fetch = Some((Fetch::Delta, next, store.kept_revocations()?.len()));
                }
            }
        }
    }
    let (fetch, list, kept) = match fetch {
        Some(done) => done,
        None => {
            let reply = get(&agent, &format!("{base}/v1/revocation-list"), None)?;
            if reply.status != 200 {
                return Err(VerifierError::Network(format!(
                    "{base}/v1/revocation-list answered {}: {}",
                    reply.status,
                    String::from_utf8_lossy(&reply.body)
                )));
            }
            let mut next = verified_list(&reply, &list_key, false, held, now)?;
            let kept = held.map(|h| h.missing_from(&next)).unwrap_or_default();
            next.keep(&kept);
            store.save_full_revocations(next.version, &reply.body, reply.etag.as_deref(), &kept)?;
            (Fetch::Full, next, kept.len())
        }
    };
    if kept > 0 {
        warnings.push(SyncNote::Kept { count: kept });
    }
    warnings.extend(overdue(
        ListName::RevocationList,
        list.version,
        list.next_update,
        now,
    ));
    let roll = match config.area.as_ref() {
        Some(area) => sync_roll(store, &agent, base, &lists.trust, area, now, &mut warnings)?,
        None => None,
    };
    let upload = crate::upload::upload(store, &agent, base)?;
    Ok(SyncReport {
        roll,
        upload,
        trust_list_version: lists.trust.version,
        trust_list_changed: trust_changed,
        revocation_list_version: list.version,
        revocation_fetch: fetch,
        revoked_cards: list.len(),
        kept_revocations: kept,
        warnings,
    })
}

/// A payment roll from the server, verified under the roll key: of `area` and `month`, of the
/// kind asked for, not older than what is held, not dated in the future.
fn verified_roll(
    reply: &Fetched,
    key: &PublicKey,
    delta: bool,
    area: &AreaCode,
    month: Month,
    held: Option<&Roll>,
    now: u64,
) -> Result<Roll> {
    let what = if delta {
        ListName::PaymentRollDelta
    } else {
        ListName::PaymentRoll
    };
    let roll = Roll::parse_verified(&reply.body, key).map_err(|e| {
        VerifierError::Refused(Refusal::DoesNotVerify {
            list: what,
            detail: e.to_string(),
        })
    })?;
    let h = &roll.header;
    if h.area != *area || h.month != month {
        return Err(VerifierError::Refused(Refusal::RollOtherArea {
            area: h.area.to_string(),
            month: h.month.to_string(),
            expected_area: area.to_string(),
            expected_month: month.to_string(),
        }));
    }
    if let Some(held) = held {
        if h.version < held.header.version {
            return Err(VerifierError::Refused(Refusal::Older {
                list: ListName::PaymentRoll,
                version: h.version,
                held: held.header.version,
            }));
        }
    }
    if roll.is_delta() != delta {
        return Err(VerifierError::Refused(Refusal::WrongKind {
            delta_asked: delta,
        }));
    }
    not_from_the_future(what, h.issued_at, now)?;
    Ok(roll)
}

/// Brings the roll of `area` for this month up to date: a delta on top of what is held (a full
/// roll past [`MAX_DELTAS`], or when the server does not know the base), the full roll when
/// nothing is held. `None` (with a note) while the server has none for the month.
fn sync_roll(
    store: &mut Store,
    agent: &ureq::Agent,
    base: &str,
    trust: &TrustList,
    area: &AreaCode,
    now: u64,
    warnings: &mut Vec<SyncNote>,
) -> Result<Option<RollSync>> {
    let month = Month::of(asxh_core::Date::today());
    let url = format!("{base}/v1/rolls/{area}/{month}");
    // A cache that no longer verifies (e.g. damaged, or a new roll key) is replaced.
    let held = store.roll(trust, area, month).ok().flatten();
    let report = |roll: &Roll, fetch| RollSync {
        area: area.to_string(),
        month: month.to_string(),
        version: roll.header.version,
        fetch,
        beneficiaries: roll.len(),
    };
    if let Some(current) = &held {
        let (deltas, etag) = store.roll_deltas(area, month)?;
        if deltas < MAX_DELTAS {
            let since = current.header.version;
            let reply = get_answering(
                agent,
                &format!("{url}?since={since}"),
                etag.as_deref(),
                &[404, 409],
            )?;
            match reply.status {
                304 => return Ok(Some(report(current, Fetch::Unchanged))),
                409 if error_code(&reply.body).as_deref() == Some("unknown_base_version") => {
                    warnings.push(SyncNote::UnknownBase { since });
                }
                404 | 409 => {
                    return Err(VerifierError::Network(format!(
                        "{url}?since={since} answered {}: {}",
                        reply.status,
                        String::from_utf8_lossy(&reply.body)
                    )))
                }
                _ => {
                    let delta = verified_roll(
                        &reply,
                        &trust.roll_key,
                        true,
                        area,
                        month,
                        held.as_ref(),
                        now,
                    )?;
                    // A delta from the held version to itself: nothing new since.
                    if delta.header.version == since && delta.is_empty() {
                        return Ok(Some(report(current, Fetch::Unchanged)));
                    }
                    let mut next = current.clone();
                    next.apply(&delta).map_err(|e| {
                        VerifierError::Refused(Refusal::DoesNotVerify {
                            list: ListName::PaymentRollDelta,
                            detail: e.to_string(),
                        })
                    })?;
                    store.append_roll_delta(&delta, &reply.body, reply.etag.as_deref())?;
                    warnings.extend(overdue(
                        ListName::PaymentRoll,
                        next.header.version,
                        next.header.next_update,
                        now,
                    ));
                    return Ok(Some(report(&next, Fetch::Delta)));
                }
            }
        }
    }
    let reply = get_answering(agent, &url, None, &[404])?;
    if reply.status == 404 {
        warnings.push(SyncNote::NoRoll {
            area: area.to_string(),
            month: month.to_string(),
        });
        return Ok(None);
    }
    let roll = verified_roll(
        &reply,
        &trust.roll_key,
        false,
        area,
        month,
        held.as_ref(),
        now,
    )?;
    store.save_full_roll(&roll, &reply.body, reply.etag.as_deref())?;
    warnings.extend(overdue(
        ListName::PaymentRoll,
        roll.header.version,
        roll.header.next_update,
        now,
    ));
    Ok(Some(report(&roll, Fetch::Full)))
}
