//! The issuing office's side of the server API: issue (the server signs the credential for the
//! card's key; the card starts PENDING), activate, void, look up an SSN's cards, ask who the
//! token is and which people of a list the register knows, and fetch the
//! root key and trust list to check a written card exactly as a verifier would. Every body is a
//! type of `asxh-api`, the one definition the server uses too.

use std::path::Path;
use std::time::Duration;

use asxh_api::{
    CardList, CardMatch, CardRecord, ErrorBody, IssueRequest, MatchPerson, MatchRequest,
    MatchResponse, RootKey, StatusChange, WhoAmI, MATCH_LIMIT,
};
use asxh_core::lists::TrustList;
use asxh_core::signature;
use asxh_text::usage::Usage;
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::error::{PersonalizerError, Result};

/// The server's answer to `POST /v1/cards`.
pub type Issued = asxh_api::IssueResponse;

/// The empty body of activate and void.
#[derive(Serialize)]
struct Empty {}

/// An authenticated connection to the server.
pub struct Server {
    base: String,
    token: String,
    agent: ureq::Agent,
}

impl Server {
    /// The server at `base` with the office account's `token`; over HTTPS its certificate must
    /// chain to the operating system's store or to `ca_file` (the province's CA, PEM).
    pub fn new(base: &str, token: &str, ca_file: Option<&Path>) -> Result<Server> {
        Ok(Server {
            base: base.trim_end_matches('/').to_owned(),
            token: token.trim().to_owned(),
            agent: asxh_client::agent(ca_file, Duration::from_secs(30)).map_err(|e| {
                PersonalizerError::Usage(Usage::CaFile {
                    detail: e.to_string(),
                })
            })?,
        })
    }

    fn call(&self, method: &str, path: &str, body: Option<impl Serialize>) -> Result<Vec<u8>> {
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
                let error = r.into_json::<ErrorBody>().ok().map(|b| b.error);
                Err(PersonalizerError::Server {
                    status,
                    code: error
                        .as_ref()
                        .and_then(|e| serde_json::to_value(e.code).ok())
                        .and_then(|c| c.as_str().map(str::to_owned))
                        .unwrap_or_else(|| "unknown".into()),
                    message: error
                        .as_ref()
                        .map(|e| e.message.clone())
                        .unwrap_or_else(|| "no message".into()),
                    field: error.and_then(|e| e.field),
                })
            }
            Err(e) => Err(match asxh_client::CertificateProblem::of(&e, &url) {
                Some(problem) => PersonalizerError::Certificate(problem),
                None => PersonalizerError::Network(format!("{url}: {e}")),
            }),
        }
    }

    fn get(&self, path: &str) -> Result<Vec<u8>> {
        self.call("GET", path, None::<Empty>)
    }

    fn json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T> {
        serde_json::from_slice(bytes).map_err(|e| {
            PersonalizerError::Network(format!("unexpected answer from the server: {e}"))
        })
    }

    /// `POST /v1/cards`: the card is PENDING on the server once this returns.
    pub fn issue(&self, body: &IssueRequest) -> Result<Issued> {
        Self::json(&self.call("POST", "/v1/cards", Some(body))?)
    }

    pub fn activate(&self, serial: &str) -> Result<()> {
        let _: StatusChange = Self::json(&self.call(
            "POST",
            &format!("/v1/cards/{serial}/activate"),
            Some(Empty {}),
        )?)?;
        Ok(())
    }

    pub fn void(&self, serial: &str) -> Result<()> {
        let _: StatusChange =
            Self::json(&self.call("POST", &format!("/v1/cards/{serial}/void"), Some(Empty {}))?)?;
        Ok(())
    }

    /// `(serial, status)` of every card of an SSN this office can see.
    pub fn cards_of(&self, ssn: &str) -> Result<Vec<(String, String)>> {
        let list: CardList = Self::json(&self.get(&format!("/v1/cards?ssn={ssn}"))?)?;
        Ok(list
            .cards
            .into_iter()
            .map(|c| (c.serial, c.status.as_str().to_owned()))
            .collect())
    }

    /// The token's account (`GET /v1/whoami`).
    pub fn whoami(&self) -> Result<WhoAmI> {
        Self::json(&self.get("/v1/whoami")?)
    }

    /// The register's cards with each person's SSN, or their folded name and birth year
    /// (`POST /v1/cards/matches`, [`MATCH_LIMIT`] people a request); `person` indexes `people`.
    pub fn matches(&self, people: &[MatchPerson]) -> Result<Vec<CardMatch>> {
        let mut out = Vec::new();
        for (n, chunk) in people.chunks(MATCH_LIMIT).enumerate() {
            let answer: MatchResponse = Self::json(&self.call(
                "POST",
                "/v1/cards/matches",
                Some(MatchRequest {
                    people: chunk.to_vec(),
                }),
            )?)?;
            out.extend(answer.matches.into_iter().map(|m| CardMatch {
                person: m.person + n * MATCH_LIMIT,
                ..m
            }));
        }
        Ok(out)
    }

    /// The name of area `code` as it was on `on` (`GET /v1/areas/{code}?on=`).
    pub fn area_name(&self, code: &str, on: &str) -> Result<asxh_api::AreaName> {
        Self::json(&self.get(&format!("/v1/areas/{code}?on={on}"))?)
    }

    /// A card's record (`GET /v1/cards/{serial}`).
    pub fn card(&self, serial: &str) -> Result<CardRecord> {
        Self::json(&self.get(&format!("/v1/cards/{serial}"))?)
    }

    /// The current trust list, verified under the server's root key.
    pub fn trust_list(&self) -> Result<TrustList> {
        let root: RootKey = Self::json(&self.get("/v1/root-key")?)?;
        let key = hex::decode(&root.public_key_hex)
            .ok()
            .and_then(|b| signature::public_key_from_bytes("root_key", &b).ok())
            .ok_or_else(|| {
                PersonalizerError::Network("the server's root key answer holds no key".into())
            })?;
        let bytes = self.get("/v1/trust-list")?;
        TrustList::parse_verified(&bytes, &key)
            .map_err(|e| PersonalizerError::Network(format!("the trust list does not verify: {e}")))
    }
}
