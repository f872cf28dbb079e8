//! The issuing office's side of the server API: issue (the server signs the credential for the
//! card's key; the card starts PENDING), activate, void, look up an SSN's cards, and fetch the
//! root key and trust list to check a written card exactly as a verifier would.

use std::time::Duration;

use asxh_core::lists::TrustList;
use asxh_core::signature;
use serde::Deserialize;
use serde_json::Value;

use crate::error::{PersonalizerError, Result};

/// The server's answer to `POST /v1/cards`.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
pub struct Issued {
    pub serial: String,
    pub credential_hex: String,
    pub qr_text: String,
    pub issuer_key_id_hex: String,
    pub expires: String,
}

/// An authenticated connection to the server.
pub struct Server {
    base: String,
    token: String,
    agent: ureq::Agent,
}

impl Server {
    pub fn new(base: &str, token: &str) -> Server {
        Server {
            base: base.trim_end_matches('/').to_owned(),
            token: token.trim().to_owned(),
            agent: ureq::AgentBuilder::new()
                .timeout(Duration::from_secs(30))
                .build(),
        }
    }

    fn call(&self, method: &str, path: &str, body: Option<&Value>) -> Result<Vec<u8>> {
        let url = format!("{}{path}", self.base);
        let req = self
            .agent
            .request(method, &url)
            .set("Authorization", &format!("Bearer {}", self.token));
        let result = match body {
            Some(b) => req.send_json(b),
            None => req.call(),
        };
        match result {
            Ok(r) => {
                let mut out = Vec::new();
                std::io::Read::read_to_end(&mut r.into_reader(), &mut out)
                    .map_err(|e| PersonalizerError::Network(format!("{url}: {e}")))?;
                Ok(out)
            }
            Err(ureq::Error::Status(status, r)) => {
                let body: Value = r.into_json().unwrap_or(Value::Null);
                let err = &body["error"];
                Err(PersonalizerError::Server {
                    status,
                    code: err["code"].as_str().unwrap_or("unknown").to_owned(),
                    message: err["message"].as_str().unwrap_or("no message").to_owned(),
                    field: err["field"].as_str().map(str::to_owned),
                })
            }
            Err(e) => Err(PersonalizerError::Network(format!("{url}: {e}"))),
        }
    }

    fn json<T: for<'de> Deserialize<'de>>(bytes: &[u8]) -> Result<T> {
        serde_json::from_slice(bytes).map_err(|e| {
            PersonalizerError::Network(format!("unexpected answer from the server: {e}"))
        })
    }

    /// `POST /v1/cards`: the card is PENDING on the server once this returns.
    pub fn issue(&self, body: &Value) -> Result<Issued> {
        Self::json(&self.call("POST", "/v1/cards", Some(body))?)
    }

    pub fn activate(&self, serial: &str) -> Result<()> {
        self.call(
            "POST",
            &format!("/v1/cards/{serial}/activate"),
            Some(&Value::Object(Default::default())),
        )
        .map(drop)
    }

    pub fn void(&self, serial: &str) -> Result<()> {
        self.call(
            "POST",
            &format!("/v1/cards/{serial}/void"),
            Some(&Value::Object(Default::default())),
        )
        .map(drop)
    }

    /// `(serial, status)` of every card of an SSN this office can see.
    pub fn cards_of(&self, ssn: &str) -> Result<Vec<(String, String)>> {
        let v: Value = Self::json(&self.call("GET", &format!("/v1/cards?ssn={ssn}"), None)?)?;
        Ok(v["cards"]
            .as_array()
            .map(|cards| {
                cards
                    .iter()
                    .filter_map(|c| {
                        Some((
                            c["serial"].as_str()?.to_owned(),
                            c["status"].as_str()?.to_owned(),
                        ))
                    })
                    .collect()
            })
            .unwrap_or_default())
    }

    /// A card's record (`GET /v1/cards/{serial}`).
    pub fn card(&self, serial: &str) -> Result<Value> {
        Self::json(&self.call("GET", &format!("/v1/cards/{serial}"), None)?)
    }

    /// The current trust list, verified under the server's root key.
    pub fn trust_list(&self) -> Result<TrustList> {
        let root: Value = Self::json(&self.call("GET", "/v1/root-key", None)?)?;
        let key = root["public_key_hex"]
            .as_str()
            .and_then(|h| hex::decode(h).ok())
            .and_then(|b| signature::public_key_from_bytes("root_key", &b).ok())
            .ok_or_else(|| {
                PersonalizerError::Network("the server's root key answer holds no key".into())
            })?;
        let bytes = self.call("GET", "/v1/trust-list", None)?;
        TrustList::parse_verified(&bytes, &key)
            .map_err(|e| PersonalizerError::Network(format!("the trust list does not verify: {e}")))
    }
}
