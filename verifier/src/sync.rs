//! Fetching the lists from the server: the root key (once, checked against the pinned
//! fingerprint), the trust list, and the revocation list as deltas since the held version, all
//! with `If-None-Match` so an unchanged list costs one small `304`. Every list is verified before
//! it is stored, and nothing older than what is held is ever accepted: a rollback would bring a
//! revoked card back to life.

use std::time::Duration;

use asxh_core::lists::{RevocationList, TrustList};
use asxh_core::signature;
use serde::Serialize;
use serde_json::Value;

use crate::error::{Result, VerifierError};
use crate::store::Store;

/// Deltas kept on top of a full list before the next sync fetches a new full list.
const MAX_DELTAS: u64 = 32;

/// What a sync did.
#[derive(Debug, Clone, Serialize)]
pub struct SyncReport {
    pub trust_list_version: u64,
    pub trust_list_changed: bool,
    pub revocation_list_version: u64,
    /// `full`, `delta` or `unchanged`.
    pub revocation_fetch: &'static str,
    pub revoked_cards: usize,
}

struct Fetched {
    status: u16,
    etag: Option<String>,
    body: Vec<u8>,
}

fn get(agent: &ureq::Agent, url: &str, etag: Option<&str>) -> Result<Fetched> {
    let mut req = agent.get(url);
    if let Some(e) = etag {
        req = req.set("If-None-Match", e);
    }
    let resp = match req.call() {
        Ok(r) => r,
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
            asxh_core::lists::MAX_REVOCATION_LIST_LEN as u64 + 1,
        ),
        &mut body,
    )
    .map_err(|e| VerifierError::Network(format!("{url}: {e}")))?;
    Ok(Fetched { status, etag, body })
}

/// Brings the cached lists up to date with the server.
pub fn sync(store: &mut Store) -> Result<SyncReport> {
    let config = store.config()?;
    let agent = asxh_client::agent(config.ca_file.as_deref(), Duration::from_secs(30))
        .map_err(|e| VerifierError::Usage(e.to_string()))?;
    let base = &config.server;

    let root = match config.root_key {
        Some(k) => k,
        None => {
            let reply = get(&agent, &format!("{base}/v1/root-key"), None)?;
            let json: Value = serde_json::from_slice(&reply.body)
                .map_err(|e| VerifierError::Refused(format!("root key answer is not JSON: {e}")))?;
            let key = json["public_key_hex"]
                .as_str()
                .and_then(|h| hex::decode(h).ok())
                .and_then(|b| signature::public_key_from_bytes("root_key", &b).ok())
                .ok_or_else(|| {
                    VerifierError::Refused("root key answer holds no valid P-256 key".into())
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
        let list = TrustList::parse_verified(&reply.body, &root)
            .map_err(|e| VerifierError::Refused(format!("trust list: {e}")))?;
        if let Some(h) = &held {
            if list.version < h.trust.version {
                return Err(VerifierError::Refused(format!(
                    "trust list version {} is older than the held version {}",
                    list.version, h.trust.version
                )));
            }
        }
        trust_changed = held
            .as_ref()
            .is_none_or(|h| h.trust.version != list.version);
        store.save_trust_list(list.version, &reply.body, reply.etag.as_deref())?;
    }
    let lists = match store.lists() {
        Ok(Some(l)) => l,
        Ok(None) => return Err(VerifierError::Refused("no trust list after sync".into())),
        // The revocation cache does not verify under the (new) trust list's key: start over
        // with a full list.
        Err(VerifierError::Refused(_)) => {
            store.clear_revocations()?;
            store
                .lists()?
                .ok_or_else(|| VerifierError::Refused("no trust list after sync".into()))?
        }
        Err(e) => return Err(e),
    };
    let list_key = lists.trust.list_key;

    // Revocation list: a delta on top of what is held, or a full list.
    let held_revocations = lists
        .revocations
        .as_ref()
        .filter(|_| store.delta_count().is_ok_and(|n| n < MAX_DELTAS));
    let (fetch, version, revoked) = match held_revocations {
        Some(current) => {
            let url = format!("{base}/v1/revocation-list?since={}", current.version);
            let reply = get(&agent, &url, store.last_delta_etag()?.as_deref())?;
            if reply.status == 304 {
                ("unchanged", current.version, current.entries().len())
            } else {
                let delta = RevocationList::parse_verified(&reply.body, &list_key)
                    .map_err(|e| VerifierError::Refused(format!("revocation delta: {e}")))?;
                // A replayed older list, full or delta, is a rollback whatever else is wrong
                // with it: say so.
                if delta.version < current.version {
                    return Err(VerifierError::Refused(format!(
                        "revocation list version {} is older than the held version {}",
                        delta.version, current.version
                    )));
                }
                let mut next = current.clone();
                next.apply(&delta)
                    .map_err(|e| VerifierError::Refused(format!("revocation delta: {e}")))?;
                store.append_delta(delta.version, &reply.body, reply.etag.as_deref())?;
                ("delta", next.version, next.entries().len())
            }
        }
        None => {
            let reply = get(&agent, &format!("{base}/v1/revocation-list"), None)?;
            let full = RevocationList::parse_verified(&reply.body, &list_key)
                .map_err(|e| VerifierError::Refused(format!("revocation list: {e}")))?;
            if full.base_version.is_some() {
                return Err(VerifierError::Refused(
                    "the server sent a delta where a full list was asked for".into(),
                ));
            }
            if let Some(current) = &lists.revocations {
                if full.version < current.version {
                    return Err(VerifierError::Refused(format!(
                        "revocation list version {} is older than the held version {}",
                        full.version, current.version
                    )));
                }
            }
            store.save_full_revocations(full.version, &reply.body, reply.etag.as_deref())?;
            ("full", full.version, full.entries().len())
        }
    };
    Ok(SyncReport {
        trust_list_version: lists.trust.version,
        trust_list_changed: trust_changed,
        revocation_list_version: version,
        revocation_fetch: fetch,
        revoked_cards: revoked,
    })
}
