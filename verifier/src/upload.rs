//! The upload queue: receipts without an outcome go to the server (`POST /v1/payments`, at most
//! [`BATCH`] a request) with the payment point's token, after its key is registered (`PUT
//! /v1/payment-points/{code}/key`). The queue is the receipts table itself, so it survives
//! crashes and offline days; a network error leaves the batch waiting, and a batch sent again
//! after a lost answer is answered `already_recorded` (the server is idempotent by receipt id).
//! Each answer is recorded against its receipt; refused and flagged receipts stay listed.

use std::io::Read;

use asxh_core::lists::OfficeCode;
use asxh_core::signature;
use asxh_text::message::Args;
use asxh_text::{Catalogued, Lang, Msg};
use serde::Serialize;
use serde_json::{json, Value};

use crate::error::{Result, Upload, VerifierError};
use crate::store::Store;

/// Most receipts in one upload (the API's limit).
pub const BATCH: usize = 100;

/// What an upload did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct UploadReport {
    /// No token is held: nothing was sent.
    pub skipped_no_token: bool,
    /// The point's code, when its key was registered by this upload (the first, or a new key).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_registered: Option<String>,
    pub recorded: u64,
    pub already_recorded: u64,
    pub flagged: u64,
    pub refused: u64,
    /// Receipts still waiting.
    pub pending: u64,
}

impl UploadReport {
    /// Whether the clerk has anything to read about it: receipts sent or waiting.
    pub fn has_news(&self) -> bool {
        self.pending + self.recorded + self.already_recorded + self.flagged + self.refused > 0
    }
}

impl Catalogued for UploadReport {
    fn message(&self, _lang: Lang) -> (Msg, Args) {
        if self.skipped_no_token {
            return (
                Msg::SyncUploadSkipped,
                vec![("pending", self.pending.to_string())],
            );
        }
        (
            Msg::SyncUploaded,
            vec![
                ("recorded", self.recorded.to_string()),
                ("already", self.already_recorded.to_string()),
                ("flagged", self.flagged.to_string()),
                ("refused", self.refused.to_string()),
                ("pending", self.pending.to_string()),
            ],
        )
    }

    fn examples() -> Vec<Self> {
        vec![
            UploadReport {
                skipped_no_token: true,
                pending: 3,
                ..Default::default()
            },
            UploadReport {
                key_registered: Some("POINT-1".into()),
                recorded: 5,
                already_recorded: 1,
                flagged: 1,
                refused: 1,
                ..Default::default()
            },
        ]
    }
}

fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// Sends `body` as JSON with the token; the answer's status and JSON (an error answer too).
fn send(
    agent: &ureq::Agent,
    method: &str,
    url: &str,
    token: &str,
    body: &Value,
) -> Result<(u16, Value)> {
    let answer = agent
        .request(method, url)
        .set("Authorization", &format!("Bearer {token}"))
        .send_json(body.clone());
    let resp = match answer {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(e) => {
            return Err(match asxh_client::CertificateProblem::of(&e, url) {
                Some(problem) => VerifierError::Certificate(problem),
                None => VerifierError::Network(format!("{url}: {e}")),
            })
        }
    };
    let status = resp.status();
    let mut text = String::new();
    resp.into_reader()
        .take(4 << 20)
        .read_to_string(&mut text)
        .map_err(|e| VerifierError::Network(format!("{url}: {e}")))?;
    let value = serde_json::from_str(&text).unwrap_or(Value::String(text));
    Ok((status, value))
}

fn refused(what: Upload, status: u16, answer: &Value) -> VerifierError {
    let detail = answer["error"]["message"]
        .as_str()
        .or(answer["error"]["code"].as_str())
        .map(str::to_owned)
        .unwrap_or_else(|| answer.to_string());
    VerifierError::ServerRefused {
        what,
        status,
        detail,
    }
}

/// Registers the point's key unless the server already has this one.
fn register_key(
    store: &Store,
    agent: &ureq::Agent,
    base: &str,
    code: &OfficeCode,
    token: &str,
) -> Result<bool> {
    let key = store.point_key()?;
    let key_hex = hex::encode(signature::public_key_bytes(key.verifying_key()));
    if store.registered_point_key()?.as_deref() == Some(key_hex.as_str()) {
        return Ok(false);
    }
    let url = format!("{base}/v1/payment-points/{}/key", code.as_str());
    let (status, answer) = send(
        agent,
        "PUT",
        &url,
        token,
        &json!({ "public_key_hex": key_hex }),
    )?;
    if !matches!(status, 200 | 201) {
        return Err(refused(Upload::PointKey, status, &answer));
    }
    store.set_registered_point_key(&key_hex)?;
    Ok(true)
}

/// Registers the point's key if needed and uploads every waiting receipt, recording each
/// answer. Without a token it sends nothing and says so.
pub fn upload(store: &mut Store, agent: &ureq::Agent, base: &str) -> Result<UploadReport> {
    let mut report = UploadReport::default();
    let Some(token) = store.token()? else {
        report.skipped_no_token = true;
        report.pending = store.pending_count()?;
        return Ok(report);
    };
    if store.pending_count()? == 0 && store.registered_point_key()?.is_some() {
        return Ok(report);
    }
    let point_id = store.config()?.point_id;
    let code = OfficeCode::parse(&point_id).map_err(|e| {
        VerifierError::Pay(crate::pay::PayRefusal::BadPointCode {
            code: point_id.clone(),
            detail: e.to_string(),
        })
    })?;
    if register_key(store, agent, base, &code, &token)? {
        report.key_registered = Some(code.as_str().to_owned());
    }
    let url = format!("{base}/v1/payments");
    loop {
        let batch = store.pending_receipts(BATCH)?;
        if batch.is_empty() {
            break;
        }
        let receipts: Vec<String> = batch.iter().map(|(_, b)| hex::encode(b)).collect();
        let (status, answer) = send(
            agent,
            "POST",
            &url,
            &token,
            &json!({ "receipts": receipts }),
        )?;
        if status != 200 {
            return Err(refused(Upload::Receipts, status, &answer));
        }
        let results = answer["results"].as_array().cloned().unwrap_or_default();
        let mut outcomes = Vec::with_capacity(results.len());
        for r in &results {
            let (Some(id), Some(outcome)) = (r["id"].as_str(), r["outcome"].as_str()) else {
                continue;
            };
            if !batch.iter().any(|(b, _)| b.to_hex() == id) {
                continue;
            }
            let detail = match outcome {
                "recorded" => {
                    report.recorded += 1;
                    None
                }
                "already_recorded" => {
                    report.already_recorded += 1;
                    None
                }
                "flagged" => {
                    report.flagged += 1;
                    Some(r["paid_by"].clone())
                }
                "refused" => {
                    report.refused += 1;
                    Some(r["problem"].clone())
                }
                _ => continue,
            };
            outcomes.push((id.to_owned(), outcome.to_owned(), detail));
        }
        if outcomes.is_empty() {
            return Err(VerifierError::ServerRefused {
                what: Upload::Receipts,
                status,
                detail: format!("no result for the {} receipts sent", batch.len()),
            });
        }
        let partial = outcomes.len() < batch.len();
        store.record_outcomes(&outcomes, now())?;
        if partial {
            break;
        }
    }
    report.pending = store.pending_count()?;
    Ok(report)
}
